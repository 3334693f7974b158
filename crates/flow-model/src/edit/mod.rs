//! Edits of a flow document. Every edit returns its inverse, an [`Edit`] that holds only what
//! the edit changed (a property's old value, a removed component, a list position), so an undo
//! stack costs memory in proportion to the changes, not to the document.
//!
//! All edits go through seven primitive changes on JSON values (replace a value, insert or
//! remove an object member, rename a member in place, insert, remove or move an array item),
//! each exactly invertible and each keeping the order of the other keys, so edited documents
//! stay lossless.
mod components;
mod diff;
mod persist;
mod routes;
mod screens;

use std::borrow::Cow;
use std::fmt;

use serde_json::Value;

use crate::document::Document;
use crate::json::{MAX_DEPTH, Source, pointer};

pub use screens::{ScreenRemoval, is_valid_screen_id};

/// One primitive change. Pointers are JSON Pointers into the document as it is when the change
/// is applied.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Change {
    /// Replace the value at `at` (which must exist).
    Replace { at: String, value: Value },
    /// Insert the member `key` at position `index` of the object at `object`.
    InsertMember { object: String, index: usize, key: String, value: Value },
    /// Remove the member `key` of the object at `object`.
    RemoveMember { object: String, key: String },
    /// Rename the member `from` of the object at `object` to `to`, keeping its position.
    RenameMember { object: String, from: String, to: String },
    /// Insert an item at `index` of the array at `array`.
    InsertItem { array: String, index: usize, value: Value },
    /// Remove the item at `index` of the array at `array`.
    RemoveItem { array: String, index: usize },
    /// Move an item: take it out of `from`, then insert it into `to` at `to_index`, where `to`
    /// is read in the document without the item. Costs no copy of the item, in either direction.
    MoveItem { from: String, from_index: usize, to: String, to_index: usize },
}

/// What an edit is about, so that a burst of typing into one field can become one undo step.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Scope {
    /// The value of one property (the JSON Pointer of the property).
    Property(String),
    /// The whole document, replaced from the JSON text.
    Document,
    /// A change of structure: components, screens, references. Never coalesced.
    Structure,
}

/// A change to a document, ready to be applied with [`Document::apply`]. Every edit method
/// returns the `Edit` that undoes it; applying that returns the one that redoes it.
#[derive(Debug, Clone, PartialEq)]
pub struct Edit {
    changes: Vec<Change>,
    scope: Scope,
}

impl Edit {
    fn new(changes: Vec<Change>, scope: Scope) -> Self {
        Edit { changes, scope }
    }

    /// What the edit is about.
    pub fn scope(&self) -> &Scope {
        &self.scope
    }

    /// Whether applying the edit changes nothing (e.g. moving a component to where it is).
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// About how many bytes of memory the edit holds: what an undo stack pays for it.
    pub fn size(&self) -> usize {
        let pointers = |texts: &[&str]| texts.iter().map(|text| text.len()).sum::<usize>();
        let changes: usize = self
            .changes
            .iter()
            .map(|change| {
                std::mem::size_of::<Change>()
                    + match change {
                        Change::Replace { at, value } => pointers(&[at]) + value_size(value),
                        Change::InsertMember { object, key, value, .. } => {
                            pointers(&[object, key]) + value_size(value)
                        }
                        Change::RemoveMember { object, key } => pointers(&[object, key]),
                        Change::RenameMember { object, from, to } => pointers(&[object, from, to]),
                        Change::InsertItem { array, value, .. } => pointers(&[array]) + value_size(value),
                        Change::RemoveItem { array, .. } => pointers(&[array]),
                        Change::MoveItem { from, to, .. } => pointers(&[from, to]),
                    }
            })
            .sum();
        std::mem::size_of::<Edit>() + changes
    }

    /// This edit followed by `later` as one edit: undoing a burst is undoing its last edit,
    /// then the one before. When `later` only rewrites values that this edit restores as a
    /// whole anyway (typing into the same field again), it is dropped instead.
    pub(crate) fn absorb(&mut self, later: Edit) {
        let covered = |at: &str| {
            self.changes.iter().any(|change| {
                let whole = match change {
                    Change::Replace { at, .. } => Cow::Borrowed(at.as_str()),
                    Change::RemoveMember { object, key } => Cow::Owned(pointer::join(object, key)),
                    _ => return false,
                };
                is_within(at, &whole)
            })
        };
        let only_values = self
            .changes
            .iter()
            .all(|change| matches!(change, Change::Replace { .. } | Change::RemoveMember { .. }));
        let redundant = only_values
            && later.changes.iter().all(|change| matches!(change, Change::Replace { at, .. } if covered(at)));
        if !redundant {
            // `self` undoes the older edit, so it must run after `later`'s undo.
            let mut changes = later.changes;
            changes.append(&mut self.changes);
            self.changes = changes;
        }
    }
}

/// Whether `pointer` is `ancestor` or lies inside it.
pub(crate) fn is_within(pointer: &str, ancestor: &str) -> bool {
    pointer.strip_prefix(ancestor).is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

/// An approximation of the heap bytes a value holds, without recursion.
fn value_size(value: &Value) -> usize {
    let mut size = 0;
    let mut pending = vec![value];
    while let Some(value) = pending.pop() {
        size += std::mem::size_of::<Value>();
        match value {
            Value::String(text) => size += text.len(),
            Value::Array(items) => pending.extend(items),
            Value::Object(map) => {
                for (key, value) in map {
                    size += key.len() + std::mem::size_of::<String>();
                    pending.push(value);
                }
            }
            Value::Null | Value::Bool(_) | Value::Number(_) => {}
        }
    }
    size
}

/// How deep a value nests objects and arrays (0 for a scalar), without recursion.
fn value_depth(value: &Value) -> usize {
    let mut deepest = 0;
    let mut pending = vec![(value, 0)];
    while let Some((value, depth)) = pending.pop() {
        let children: Box<dyn Iterator<Item = &Value>> = match value {
            Value::Array(items) => Box::new(items.iter()),
            Value::Object(map) => Box::new(map.values()),
            _ => continue,
        };
        deepest = deepest.max(depth + 1);
        pending.extend(children.map(|child| (child, depth + 1)));
    }
    deepest
}

/// Why an edit could not be made. The document is unchanged when an edit fails.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum EditError {
    /// The pointer is not a JSON Pointer (it must be empty or start with `/`).
    InvalidPointer {
        /// The pointer as given.
        pointer: String,
    },
    /// Nothing is at the pointer.
    NotFound {
        /// The pointer.
        pointer: String,
    },
    /// The value at the pointer should be a list (a JSON array).
    NotAList {
        /// The pointer.
        pointer: String,
    },
    /// The value at the pointer should be an object.
    NotAnObject {
        /// The pointer.
        pointer: String,
    },
    /// A list position past the end of the list.
    IndexOutOfRange {
        /// The list's pointer.
        pointer: String,
        /// The position asked for.
        index: usize,
        /// The largest position allowed.
        max: usize,
    },
    /// The object already has a property of that name.
    PropertyExists {
        /// The pointer of the property.
        pointer: String,
    },
    /// The whole document cannot be removed.
    RemoveDocument,
    /// The pointer does not name a component of a screen.
    NotAComponent {
        /// The pointer.
        pointer: String,
    },
    /// The pointer does not name a list of components (a screen's layout, a Form's children,
    /// a branch of an If, a case of a Switch).
    NotAComponentList {
        /// The pointer.
        pointer: String,
    },
    /// A component cannot move into itself.
    IntoItself {
        /// The component's pointer.
        component: String,
        /// The list inside it.
        list: String,
    },
    /// No screen has this id.
    ScreenNotFound {
        /// The id asked for.
        id: String,
    },
    /// Another screen already has this id.
    ScreenIdTaken {
        /// The id.
        id: String,
    },
    /// The id cannot name a screen.
    InvalidScreenId {
        /// The id.
        id: String,
    },
    /// A screen must be an object with a string `id`.
    NotAScreen,
    /// A route from a screen to itself.
    RouteToItself {
        /// The screen id.
        id: String,
    },
    /// The edit would nest objects and arrays deeper than documents may.
    TooDeep {
        /// The maximum nesting depth.
        limit: usize,
    },
}

impl fmt::Display for EditError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EditError::InvalidPointer { pointer } => {
                write!(f, "'{pointer}' is not a JSON Pointer: it must be empty or start with '/'")
            }
            EditError::NotFound { pointer } => write!(f, "nothing is at '{pointer}'"),
            EditError::NotAList { pointer } => write!(f, "the value at '{pointer}' is not a list"),
            EditError::NotAnObject { pointer } => write!(f, "the value at '{pointer}' is not an object"),
            EditError::IndexOutOfRange { pointer, index, max } => {
                write!(f, "position {index} is past the end of the list at '{pointer}' (at most {max})")
            }
            EditError::PropertyExists { pointer } => write!(f, "a property already exists at '{pointer}'"),
            EditError::RemoveDocument => f.write_str("the whole document cannot be removed"),
            EditError::NotAComponent { pointer } => write!(f, "'{pointer}' is not a component of a screen"),
            EditError::NotAComponentList { pointer } => write!(
                f,
                "'{pointer}' is not a list of components (a screen's layout children, a Form's \
                 children, an If's then or else, or a Switch case)"
            ),
            EditError::IntoItself { component, list } => {
                write!(f, "the component at '{component}' cannot move into its own list '{list}'")
            }
            EditError::ScreenNotFound { id } => write!(f, "no screen has the id '{id}'"),
            EditError::ScreenIdTaken { id } => write!(f, "another screen already has the id '{id}'"),
            EditError::InvalidScreenId { id } => write!(
                f,
                "'{id}' cannot be a screen id: use letters and underscores only (not only \
                 underscores), and not the reserved word SUCCESS"
            ),
            EditError::NotAScreen => f.write_str("a screen must be an object with a string 'id'"),
            EditError::RouteToItself { id } => {
                write!(f, "screen '{id}' cannot lead to itself: Meta rejects routes that loop on one screen")
            }
            EditError::TooDeep { limit } => {
                write!(f, "the edit would nest objects and arrays more than {limit} levels deep")
            }
        }
    }
}

impl std::error::Error for EditError {}

/// The value at `at` in `root`.
pub(crate) fn resolve<'v>(root: &'v Value, at: &str) -> Result<&'v Value, EditError> {
    let tokens = pointer::tokens(at).ok_or_else(|| EditError::InvalidPointer { pointer: at.to_owned() })?;
    let mut value = root;
    for token in tokens {
        let child = match value {
            Value::Object(map) => map.get(token.as_ref()),
            Value::Array(items) => pointer::array_index(&token).and_then(|index| items.get(index)),
            _ => None,
        };
        value = child.ok_or_else(|| EditError::NotFound { pointer: at.to_owned() })?;
    }
    Ok(value)
}

fn resolve_mut<'v>(root: &'v mut Value, at: &str) -> Result<&'v mut Value, EditError> {
    let tokens = pointer::tokens(at).ok_or_else(|| EditError::InvalidPointer { pointer: at.to_owned() })?;
    let mut value = root;
    for token in tokens {
        let child = match value {
            Value::Object(map) => map.get_mut(token.as_ref()),
            Value::Array(items) => pointer::array_index(&token).and_then(|index| items.get_mut(index)),
            _ => None,
        };
        value = child.ok_or_else(|| EditError::NotFound { pointer: at.to_owned() })?;
    }
    Ok(value)
}

fn object_mut<'v>(
    root: &'v mut Value,
    at: &str,
) -> Result<&'v mut serde_json::Map<String, Value>, EditError> {
    resolve_mut(root, at)?.as_object_mut().ok_or_else(|| EditError::NotAnObject { pointer: at.to_owned() })
}

fn array_mut<'v>(root: &'v mut Value, at: &str) -> Result<&'v mut Vec<Value>, EditError> {
    resolve_mut(root, at)?.as_array_mut().ok_or_else(|| EditError::NotAList { pointer: at.to_owned() })
}

/// Applies one change and returns the change that undoes it. On error nothing changed.
fn apply_change(root: &mut Value, change: Change) -> Result<Change, EditError> {
    Ok(match change {
        Change::Replace { at, value } => {
            let old = std::mem::replace(resolve_mut(root, &at)?, value);
            Change::Replace { at, value: old }
        }
        Change::InsertMember { object, index, key, value } => {
            let map = object_mut(root, &object)?;
            if map.contains_key(&key) {
                return Err(EditError::PropertyExists { pointer: pointer::join(&object, &key) });
            }
            if index > map.len() {
                return Err(EditError::IndexOutOfRange { pointer: object, index, max: map.len() });
            }
            map.shift_insert(index, key.clone(), value);
            Change::RemoveMember { object, key }
        }
        Change::RemoveMember { object, key } => {
            let map = object_mut(root, &object)?;
            let not_found = || EditError::NotFound { pointer: pointer::join(&object, &key) };
            let index = map.keys().position(|name| *name == key).ok_or_else(not_found)?;
            let value = map.shift_remove(&key).ok_or_else(not_found)?;
            Change::InsertMember { object, index, key, value }
        }
        Change::RenameMember { object, from, to } => {
            let map = object_mut(root, &object)?;
            if from != to {
                if map.contains_key(&to) {
                    return Err(EditError::PropertyExists { pointer: pointer::join(&object, &to) });
                }
                let not_found = || EditError::NotFound { pointer: pointer::join(&object, &from) };
                let index = map.keys().position(|name| *name == from).ok_or_else(not_found)?;
                let value = map.shift_remove(&from).ok_or_else(not_found)?;
                map.shift_insert(index, to.clone(), value);
            }
            Change::RenameMember { object, from: to, to: from }
        }
        Change::InsertItem { array, index, value } => {
            let items = array_mut(root, &array)?;
            if index > items.len() {
                return Err(EditError::IndexOutOfRange { pointer: array, index, max: items.len() });
            }
            items.insert(index, value);
            Change::RemoveItem { array, index }
        }
        Change::RemoveItem { array, index } => {
            let items = array_mut(root, &array)?;
            if index >= items.len() {
                let max = items.len().saturating_sub(1);
                return Err(EditError::IndexOutOfRange { pointer: array, index, max });
            }
            let value = items.remove(index);
            Change::InsertItem { array, index, value }
        }
        Change::MoveItem { from, from_index, to, to_index } => {
            let items = array_mut(root, &from)?;
            if from_index >= items.len() {
                let max = items.len().saturating_sub(1);
                return Err(EditError::IndexOutOfRange { pointer: from, index: from_index, max });
            }
            let item = items.remove(from_index);
            let inserted = array_mut(root, &to).and_then(|items| {
                if to_index > items.len() {
                    Err(EditError::IndexOutOfRange { pointer: to.clone(), index: to_index, max: items.len() })
                } else {
                    Ok(items)
                }
            });
            match inserted {
                Ok(items) => items.insert(to_index, item),
                Err(error) => {
                    // Put the item back where it was: the document must be unchanged on error.
                    if let Ok(items) = array_mut(root, &from) {
                        items.insert(from_index.min(items.len()), item);
                    }
                    return Err(error);
                }
            }
            Change::MoveItem { from: to, from_index: to_index, to: from, to_index: from_index }
        }
    })
}

/// Changes applied so far to a document; dropped without [`Transaction::commit`], it undoes
/// them, so an edit that fails half-way leaves the document as it was.
struct Transaction<'d> {
    document: &'d mut Document,
    undo: Vec<Change>,
    /// The document's source text, put back if nothing changes in the end.
    source: Option<Source>,
}

impl<'d> Transaction<'d> {
    fn new(document: &'d mut Document) -> Self {
        let source = document.take_source();
        Transaction { document, undo: Vec::new(), source }
    }

    fn root(&self) -> &Value {
        self.document.root()
    }

    fn apply(&mut self, change: Change) -> Result<(), EditError> {
        let inverse = apply_change(self.document.root_mut(), change)?;
        self.undo.push(inverse);
        Ok(())
    }

    /// Ends the transaction: returns the edit that undoes it.
    fn commit(mut self, scope: Scope) -> Edit {
        let mut changes = std::mem::take(&mut self.undo);
        changes.reverse();
        if !changes.is_empty() {
            self.source = None;
        }
        Edit::new(changes, scope)
    }
}

impl Drop for Transaction<'_> {
    fn drop(&mut self) {
        while let Some(change) = self.undo.pop() {
            // The exact inverse of a change that just succeeded cannot fail.
            let _ = apply_change(self.document.root_mut(), change);
        }
        // Back to the value the text describes.
        if let Some(source) = self.source.take() {
            self.document.restore_source(source);
        }
    }
}

/// Fails when a value placed at `at` would nest deeper than parsed documents may.
fn check_depth(at: &str, value: &Value) -> Result<(), EditError> {
    let tokens = pointer::tokens(at).map_or(0, Iterator::count);
    if tokens + value_depth(value) > MAX_DEPTH {
        return Err(EditError::TooDeep { limit: MAX_DEPTH });
    }
    Ok(())
}

/// The parent pointer and the last token of a pointer that is not the whole document.
fn split(at: &str) -> Result<(&str, Cow<'_, str>), EditError> {
    if pointer::tokens(at).is_none() {
        return Err(EditError::InvalidPointer { pointer: at.to_owned() });
    }
    pointer::split_last(at).ok_or(EditError::RemoveDocument)
}

impl Document {
    /// The value at a JSON Pointer, if any.
    pub fn get(&self, at: &str) -> Option<&Value> {
        resolve(self.root(), at).ok()
    }

    /// Applies an edit (typically one returned by another edit, to undo or redo it) and
    /// returns the edit that reverts it. All or nothing: on error the document is unchanged.
    pub fn apply(&mut self, edit: Edit) -> Result<Edit, EditError> {
        let Edit { changes, scope } = edit;
        let mut transaction = Transaction::new(self);
        for change in changes {
            transaction.apply(change)?;
        }
        Ok(transaction.commit(scope))
    }

    /// Sets the property (or list item) at `at` to `value`. A new property goes after the
    /// object's other properties; an existing one keeps its place. `""` replaces the whole
    /// document's value.
    pub fn set_property(&mut self, at: &str, value: Value) -> Result<Edit, EditError> {
        check_depth(at, &value)?;
        let change = if at.is_empty() {
            Change::Replace { at: String::new(), value }
        } else {
            let (parent, key) = split(at)?;
            match resolve(self.root(), parent)? {
                Value::Object(map) if map.contains_key(key.as_ref()) => {
                    Change::Replace { at: at.to_owned(), value }
                }
                Value::Object(map) => Change::InsertMember {
                    object: parent.to_owned(),
                    index: map.len(),
                    key: key.into_owned(),
                    value,
                },
                Value::Array(_) => {
                    resolve(self.root(), at)?;
                    Change::Replace { at: at.to_owned(), value }
                }
                _ => return Err(EditError::NotFound { pointer: at.to_owned() }),
            }
        };
        let mut transaction = Transaction::new(self);
        transaction.apply(change)?;
        Ok(transaction.commit(Scope::Property(at.to_owned())))
    }

    /// Removes the property (or list item) at `at`.
    pub fn remove_property(&mut self, at: &str) -> Result<Edit, EditError> {
        let (parent, key) = split(at)?;
        let change = match resolve(self.root(), parent)? {
            Value::Object(_) => Change::RemoveMember { object: parent.to_owned(), key: key.into_owned() },
            Value::Array(items) => match pointer::array_index(&key).filter(|index| *index < items.len()) {
                Some(index) => Change::RemoveItem { array: parent.to_owned(), index },
                None => return Err(EditError::NotFound { pointer: at.to_owned() }),
            },
            _ => return Err(EditError::NotFound { pointer: at.to_owned() }),
        };
        let mut transaction = Transaction::new(self);
        transaction.apply(change)?;
        Ok(transaction.commit(Scope::Structure))
    }

    /// Moves item `from` of the array at `list` to position `to` (its position after the
    /// move), e.g. to reorder the options of a data source. Costs no copy of the item.
    pub fn move_item(&mut self, list: &str, from: usize, to: usize) -> Result<Edit, EditError> {
        let len = resolve(self.root(), list)?
            .as_array()
            .ok_or_else(|| EditError::NotAList { pointer: list.to_owned() })?
            .len();
        for index in [from, to] {
            if index >= len {
                return Err(EditError::IndexOutOfRange {
                    pointer: list.to_owned(),
                    index,
                    max: len.saturating_sub(1),
                });
            }
        }
        let mut transaction = Transaction::new(self);
        if from != to {
            transaction.apply(Change::MoveItem {
                from: list.to_owned(),
                from_index: from,
                to: list.to_owned(),
                to_index: to,
            })?;
        }
        Ok(transaction.commit(Scope::Structure))
    }

    /// Replaces the whole document, e.g. with what the JSON text pane now holds (its source
    /// text and spans come along). The returned edit holds only the differences between the
    /// two documents, not a copy of either.
    pub fn replace(&mut self, with: Document) -> Edit {
        let undo = diff::changes(with.root(), self.root());
        *self = with;
        Edit::new(undo, Scope::Document)
    }
}
