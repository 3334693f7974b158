//! Screen edits: add, rename (with every reference), remove (reporting what referenced the
//! screen), reorder.
use serde_json::{Value, json};

use super::{Change, Edit, EditError, Scope, Transaction, check_depth, resolve};
use crate::document::Document;
use crate::json::pointer;
use crate::model::key;
use crate::references::{self, ReferenceKind, ScreenReference, binding_prefix};

/// Whether `id` can name a screen in every version we write: letters and underscores, not
/// only underscores (Flow JSON 7.0+), and not the reserved `SUCCESS` in any case (Meta's docs
/// reserve `SUCCESS`, its validator checks `success`). Stricter than 5.1–6.3, which also
/// allow commas, so that a version upgrade never breaks an id the editor made.
pub fn is_valid_screen_id(id: &str) -> bool {
    !id.is_empty()
        && id.bytes().all(|byte| byte.is_ascii_alphabetic() || byte == b'_')
        && id.bytes().any(|byte| byte != b'_')
        && !id.eq_ignore_ascii_case("SUCCESS")
}

/// What removing a screen did.
#[derive(Debug, Clone, PartialEq)]
pub struct ScreenRemoval {
    /// The edit that puts the screen (and its routes) back.
    pub undo: Edit,
    /// References to the removed screen that are still in the document (navigate targets and
    /// bindings), with pointers into the document as it is now: what the author has to fix.
    /// Its routing model entries are removed with it.
    pub dangling: Vec<ScreenReference>,
}

/// The index of the screen with this id in `screens`.
pub(super) fn screen_index(root: &Value, id: &str) -> Result<usize, EditError> {
    references::screens(root)
        .find(|(_, screen)| references::screen_id(screen) == Some(id))
        .map(|(index, _)| index)
        .ok_or_else(|| EditError::ScreenNotFound { id: id.to_owned() })
}

fn check_new_id(root: &Value, id: &str) -> Result<(), EditError> {
    if !is_valid_screen_id(id) {
        return Err(EditError::InvalidScreenId { id: id.to_owned() });
    }
    if screen_index(root, id).is_ok() {
        return Err(EditError::ScreenIdTaken { id: id.to_owned() });
    }
    Ok(())
}

fn screen_count(root: &Value) -> usize {
    root.get(key::SCREENS).and_then(Value::as_array).map_or(0, Vec::len)
}

impl Document {
    /// A new, empty screen object: what "add screen" inserts.
    pub fn new_screen(id: &str, title: &str) -> Value {
        json!({
            (key::ID): id,
            (key::TITLE): title,
            (key::LAYOUT): { (key::TYPE): "SingleColumnLayout", (key::CHILDREN): [] }
        })
    }

    /// Inserts `screen` (an object with a new, valid `id`) at position `index` of `screens`,
    /// creating the list if the document has none.
    pub fn add_screen(&mut self, index: usize, screen: Value) -> Result<Edit, EditError> {
        let id = screen.get(key::ID).and_then(Value::as_str).ok_or(EditError::NotAScreen)?;
        check_new_id(self.root(), id)?;
        check_depth(&pointer::join(key::SCREENS_AT, 0), &screen)?;
        let change = match self.root().get(key::SCREENS) {
            Some(_) => Change::InsertItem { array: key::SCREENS_AT.to_owned(), index, value: screen },
            None => {
                let root =
                    self.root().as_object().ok_or(EditError::NotAnObject { pointer: String::new() })?;
                if index > 0 {
                    return Err(EditError::IndexOutOfRange {
                        pointer: key::SCREENS_AT.to_owned(),
                        index,
                        max: 0,
                    });
                }
                Change::InsertMember {
                    object: String::new(),
                    index: root.len(),
                    key: key::SCREENS.to_owned(),
                    value: Value::Array(vec![screen]),
                }
            }
        };
        let mut transaction = Transaction::new(self);
        transaction.apply(change)?;
        Ok(transaction.commit(Scope::Structure))
    }

    /// Renames the screen `from` to `to` and rewrites every reference to it: navigate targets
    /// (NavigationList items included), routing model keys and routes, and `${screen.ID...}`
    /// bindings in any string. `sensitive` lists field names, not screens, so it stays.
    pub fn rename_screen(&mut self, from: &str, to: &str) -> Result<Edit, EditError> {
        let index = screen_index(self.root(), from)?;
        if from == to {
            return Ok(Edit::new(Vec::new(), Scope::Structure));
        }
        check_new_id(self.root(), to)?;
        let mut changes = vec![Change::Replace {
            at: format!("{}/{index}/{}", key::SCREENS_AT, key::ID),
            value: Value::from(to),
        }];
        let (old_prefix, new_prefix) = (binding_prefix(from), binding_prefix(to));
        for reference in self.screen_references(from) {
            changes.push(match reference.kind {
                ReferenceKind::NavigateTarget | ReferenceKind::RoutingDestination => {
                    Change::Replace { at: reference.pointer, value: Value::from(to) }
                }
                ReferenceKind::Binding => {
                    let text = resolve(self.root(), &reference.pointer)?.as_str().unwrap_or_default();
                    let value = Value::from(text.replace(&old_prefix, &new_prefix));
                    Change::Replace { at: reference.pointer, value }
                }
                ReferenceKind::RoutingSource => Change::RenameMember {
                    object: key::ROUTING_MODEL_AT.to_owned(),
                    from: from.to_owned(),
                    to: to.to_owned(),
                },
            });
        }
        let mut transaction = Transaction::new(self);
        for change in changes {
            transaction.apply(change)?;
        }
        Ok(transaction.commit(Scope::Structure))
    }

    /// Removes the screen `id` with its routing model entry and the routes to it. Navigate
    /// actions and bindings that name it stay (they hold the author's payloads and text) and
    /// are reported, so the editor can show what to fix.
    pub fn remove_screen(&mut self, id: &str) -> Result<ScreenRemoval, EditError> {
        let index = screen_index(self.root(), id)?;
        let mut routes = Vec::new();
        let mut own_entry = false;
        for reference in self.screen_references(id) {
            match reference.kind {
                ReferenceKind::RoutingSource => own_entry = true,
                ReferenceKind::RoutingDestination => {
                    if let Some((list, position)) = pointer::split_last(&reference.pointer)
                        && let Some(position) = pointer::array_index(&position)
                    {
                        routes.push((list.to_owned(), position));
                    }
                }
                ReferenceKind::NavigateTarget | ReferenceKind::Binding => {}
            }
        }
        let mut transaction = Transaction::new(self);
        // Last first, so that removing a route does not move the next one to remove.
        for (list, position) in routes.into_iter().rev() {
            transaction.apply(Change::RemoveItem { array: list, index: position })?;
        }
        if own_entry {
            transaction.apply(Change::RemoveMember {
                object: key::ROUTING_MODEL_AT.to_owned(),
                key: id.to_owned(),
            })?;
        }
        transaction.apply(Change::RemoveItem { array: key::SCREENS_AT.to_owned(), index })?;
        let undo = transaction.commit(Scope::Structure);
        let dangling = self.screen_references(id);
        Ok(ScreenRemoval { undo, dangling })
    }

    /// Moves the screen at position `from` of `screens` to position `to`.
    pub fn move_screen(&mut self, from: usize, to: usize) -> Result<Edit, EditError> {
        let count = screen_count(self.root());
        let max = count.saturating_sub(1);
        for index in [from, to] {
            if index >= count {
                return Err(EditError::IndexOutOfRange { pointer: key::SCREENS_AT.to_owned(), index, max });
            }
        }
        let mut transaction = Transaction::new(self);
        if from != to {
            let screens = key::SCREENS_AT.to_owned();
            transaction.apply(Change::MoveItem {
                from: screens.clone(),
                from_index: from,
                to: screens,
                to_index: to,
            })?;
        }
        Ok(transaction.commit(Scope::Structure))
    }
}
