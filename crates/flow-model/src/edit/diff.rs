//! The changes that turn one JSON value into another: how replacing the whole document (from
//! the JSON text pane) becomes an undo step the size of what was typed, not of the document.
use serde_json::{Map, Value};

use super::Change;
use crate::json::pointer;

/// Changes that, applied in order to `from`, give exactly `to` (values and key order). Walks
/// both values with an explicit stack, so nesting depth cannot overflow the stack.
pub(super) fn changes(from: &Value, to: &Value) -> Vec<Change> {
    let mut changes = Vec::new();
    let mut pending = vec![(from, to, String::new())];
    while let Some((from, to, at)) = pending.pop() {
        match (from, to) {
            (Value::Object(old), Value::Object(new)) => match members(old, new, &at) {
                Some((removed, common, inserted)) => {
                    changes.extend(removed);
                    // Pushed in reverse so that changes come out in document order.
                    for (key, old, new) in common.into_iter().rev() {
                        pending.push((old, new, pointer::join(&at, key)));
                    }
                    changes.extend(inserted);
                }
                None => changes.push(Change::Replace { at, value: to.clone() }),
            },
            (Value::Array(old), Value::Array(new)) => {
                let prefix = old.iter().zip(new).take_while(|(old, new)| same(old, new)).count();
                let old_rest = old.get(prefix..).unwrap_or_default();
                let new_rest = new.get(prefix..).unwrap_or_default();
                let suffix = old_rest
                    .iter()
                    .rev()
                    .zip(new_rest.iter().rev())
                    .take_while(|(old, new)| same(old, new))
                    .count();
                let old_middle = old_rest.get(..old_rest.len() - suffix).unwrap_or_default();
                let new_middle = new_rest.get(..new_rest.len() - suffix).unwrap_or_default();
                if old_middle.len() == new_middle.len() {
                    for (offset, (old, new)) in old_middle.iter().zip(new_middle).enumerate().rev() {
                        pending.push((old, new, pointer::join(&at, prefix + offset)));
                    }
                } else {
                    for _ in old_middle {
                        changes.push(Change::RemoveItem { array: at.clone(), index: prefix });
                    }
                    for (offset, value) in new_middle.iter().enumerate() {
                        changes.push(Change::InsertItem {
                            array: at.clone(),
                            index: prefix + offset,
                            value: value.clone(),
                        });
                    }
                }
            }
            _ if from == to => {}
            _ => changes.push(Change::Replace { at, value: to.clone() }),
        }
    }
    changes
}

type Members<'v> = (Vec<Change>, Vec<(&'v String, &'v Value, &'v Value)>, Vec<Change>);

/// For two objects whose shared keys come in the same order: the members to remove, the
/// shared members (to compare further) and the members to insert, in an order that keeps
/// `new`'s key order. `None` when the shared keys are reordered: the object is replaced.
fn members<'v>(old: &'v Map<String, Value>, new: &'v Map<String, Value>, at: &str) -> Option<Members<'v>> {
    let shared_old = old.keys().filter(|key| new.contains_key(*key));
    let shared_new = new.keys().filter(|key| old.contains_key(*key));
    if !shared_old.eq(shared_new) {
        return None;
    }
    let removed = old
        .keys()
        .filter(|key| !new.contains_key(*key))
        .map(|key| Change::RemoveMember { object: at.to_owned(), key: key.clone() })
        .collect();
    let common =
        old.iter().filter_map(|(key, old)| new.get(key).map(|new| (key, old, new))).collect::<Vec<_>>();
    // Inserted in increasing position of `new`: everything before each one is already there.
    let inserted = new
        .iter()
        .enumerate()
        .filter(|(_, (key, _))| !old.contains_key(*key))
        .map(|(index, (key, value))| Change::InsertMember {
            object: at.to_owned(),
            index,
            key: key.clone(),
            value: value.clone(),
        })
        .collect();
    Some((removed, common, inserted))
}

/// Equality that also compares key order (`Value`'s own `==` ignores it), without recursion.
pub(crate) fn same(a: &Value, b: &Value) -> bool {
    let mut pending = vec![(a, b)];
    while let Some((a, b)) = pending.pop() {
        match (a, b) {
            (Value::Object(a), Value::Object(b)) => {
                if a.len() != b.len() {
                    return false;
                }
                for ((key_a, a), (key_b, b)) in a.iter().zip(b) {
                    if key_a != key_b {
                        return false;
                    }
                    pending.push((a, b));
                }
            }
            (Value::Array(a), Value::Array(b)) => {
                if a.len() != b.len() {
                    return false;
                }
                pending.extend(a.iter().zip(b));
            }
            (a, b) => {
                if a != b {
                    return false;
                }
            }
        }
    }
    true
}
