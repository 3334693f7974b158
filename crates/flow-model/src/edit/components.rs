//! Component edits: insert, remove, move (also to another screen or container), duplicate.
use std::borrow::Cow;
use std::collections::HashSet;

use serde_json::Value;

use super::{Change, Edit, EditError, Scope, Transaction, check_depth, is_within, resolve, split};
use crate::document::Document;
use crate::json::pointer;
use crate::model::key;
use crate::walk;

/// What a pointer names on the way through screens and containers.
enum Located {
    /// A list of components; `len` is 0 when the list is not there yet (it will be created).
    List { exists: bool, len: usize },
    /// A component object.
    Component,
}

/// Follows `at` through `screens/N/layout/children`, then components and their lists (Form
/// `children`, If `then`/`else`, Switch `cases/KEY`). `None` when the path leaves that shape.
fn locate(root: &Value, at: &str) -> Result<Option<Located>, EditError> {
    let tokens: Vec<Cow<'_, str>> =
        pointer::tokens(at).ok_or_else(|| EditError::InvalidPointer { pointer: at.to_owned() })?.collect();
    let not_found = || EditError::NotFound { pointer: at.to_owned() };
    let mut tokens = tokens.iter().map(Cow::as_ref);
    let (Some(key::SCREENS), Some(index), Some(key::LAYOUT), Some(key::CHILDREN)) =
        (tokens.next(), tokens.next(), tokens.next(), tokens.next())
    else {
        return Ok(None);
    };
    let screen = pointer::array_index(index)
        .and_then(|index| root.get(key::SCREENS)?.as_array()?.get(index))
        .ok_or_else(not_found)?;
    let mut list = screen.get(key::LAYOUT).ok_or_else(not_found)?.get(key::CHILDREN);
    loop {
        let Some(index) = tokens.next() else {
            return Ok(Some(Located::List {
                exists: list.is_some(),
                len: list.and_then(Value::as_array).map_or(0, Vec::len),
            }));
        };
        let items = list.ok_or_else(not_found)?.as_array().ok_or_else(not_found)?;
        let component =
            pointer::array_index(index).and_then(|index| items.get(index)).ok_or_else(not_found)?;
        let Some(component) = component.as_object() else { return Ok(None) };
        let Some(key) = tokens.next() else { return Ok(Some(Located::Component)) };
        list = match (component.get(key::TYPE).and_then(Value::as_str), key) {
            (Some("Form"), key::CHILDREN) | (Some("If"), key::THEN | key::ELSE) => component.get(key),
            (Some("Switch"), key::CASES) => {
                let cases = component.get(key::CASES).and_then(Value::as_object).ok_or_else(not_found)?;
                let Some(case) = tokens.next() else { return Ok(None) };
                cases.get(case)
            }
            _ => return Ok(None),
        };
    }
}

fn component_list(root: &Value, at: &str) -> Result<(bool, usize), EditError> {
    match locate(root, at)? {
        Some(Located::List { exists, len }) => Ok((exists, len)),
        _ => Err(EditError::NotAComponentList { pointer: at.to_owned() }),
    }
}

/// The list and position of the component at `at`.
fn component(root: &Value, at: &str) -> Result<(String, usize), EditError> {
    let not_component = || EditError::NotAComponent { pointer: at.to_owned() };
    match locate(root, at)? {
        Some(Located::Component) => {
            let (list, index) = split(at)?;
            let index = pointer::array_index(&index).ok_or_else(not_component)?;
            Ok((list.to_owned(), index))
        }
        _ => Err(not_component()),
    }
}

/// `at` as it reads once the item `removed` of the list `list` is gone: a later sibling's
/// index (in `at`'s path) goes down by one.
fn after_removal(at: &str, list: &str, removed: usize) -> String {
    let Some(rest) = at.strip_prefix(list).and_then(|rest| rest.strip_prefix('/')) else {
        return at.to_owned();
    };
    let (index, tail) = rest.split_once('/').map_or((rest, ""), |(index, tail)| (index, tail));
    match pointer::array_index(index) {
        Some(index) if index > removed => {
            let mut adjusted = pointer::join(list, index - 1);
            if !tail.is_empty() {
                adjusted.push('/');
                adjusted.push_str(tail);
            }
            adjusted
        }
        _ => at.to_owned(),
    }
}

/// The change that creates a missing component list with the given items.
fn create_list(root: &Value, list: &str, items: Vec<Value>) -> Result<Change, EditError> {
    let (parent, key) = split(list)?;
    let object = resolve(root, parent)?
        .as_object()
        .ok_or_else(|| EditError::NotAnObject { pointer: parent.to_owned() })?;
    Ok(Change::InsertMember {
        object: parent.to_owned(),
        index: object.len(),
        key: key.into_owned(),
        value: Value::Array(items),
    })
}

impl Document {
    /// Inserts `component` at position `index` of the component list `list` (e.g.
    /// `/screens/0/layout/children`, or a Form's `children`, an If's `then`/`else`, a
    /// Switch's `cases/KEY`, which is created if missing). The component goes in as given.
    pub fn insert_component(
        &mut self,
        list: &str,
        index: usize,
        component: Value,
    ) -> Result<Edit, EditError> {
        let (exists, len) = component_list(self.root(), list)?;
        if !component.is_object() {
            return Err(EditError::NotAComponent { pointer: pointer::join(list, index) });
        }
        check_depth(&pointer::join(list, index), &component)?;
        let max = if exists { len } else { 0 };
        if index > max {
            return Err(EditError::IndexOutOfRange { pointer: list.to_owned(), index, max });
        }
        let change = if exists {
            Change::InsertItem { array: list.to_owned(), index, value: component }
        } else {
            create_list(self.root(), list, vec![component])?
        };
        let mut transaction = Transaction::new(self);
        transaction.apply(change)?;
        Ok(transaction.commit(Scope::Structure))
    }

    /// Removes the component at `at` (with everything inside it).
    pub fn remove_component(&mut self, at: &str) -> Result<Edit, EditError> {
        let (list, index) = component(self.root(), at)?;
        let mut transaction = Transaction::new(self);
        transaction.apply(Change::RemoveItem { array: list, index })?;
        Ok(transaction.commit(Scope::Structure))
    }

    /// Moves the component at `at` into the component list `list`, possibly of another
    /// container or screen. `list` is read in the document as it is before the move; `index`
    /// is the component's position in `list` after the move (so moving down by one in its own
    /// list is `index + 1`).
    pub fn move_component(&mut self, at: &str, list: &str, index: usize) -> Result<Edit, EditError> {
        let (from, from_index) = component(self.root(), at)?;
        let (exists, len) = component_list(self.root(), list)?;
        if is_within(list, at) {
            return Err(EditError::IntoItself { component: at.to_owned(), list: list.to_owned() });
        }
        let to = after_removal(list, &from, from_index);
        let max = if to == from { len - 1 } else { len };
        if index > max {
            return Err(EditError::IndexOutOfRange { pointer: list.to_owned(), index, max });
        }
        let mut transaction = Transaction::new(self);
        if !exists {
            let change = create_list(transaction.root(), list, Vec::new())?;
            transaction.apply(change)?;
        }
        if to != from || index != from_index {
            transaction.apply(Change::MoveItem { from, from_index, to, to_index: index })?;
        }
        Ok(transaction.commit(Scope::Structure))
    }

    /// Inserts a copy of the component at `at` right after it. Every `name` in the copy (an
    /// input, a Form, and what a container holds) gets a fresh one, unused on the screen,
    /// so the copy never duplicates a form field: `email` becomes `email_2`.
    pub fn duplicate_component(&mut self, at: &str) -> Result<Edit, EditError> {
        let (list, index) = component(self.root(), at)?;
        let mut copy = resolve(self.root(), at)?.clone();
        let mut names = names_on_screen(self.root(), at);
        rename_inputs(&mut copy, &mut names);
        let mut transaction = Transaction::new(self);
        transaction.apply(Change::InsertItem { array: list, index: index + 1, value: copy })?;
        Ok(transaction.commit(Scope::Structure))
    }
}

/// Every component `name` of the screen that `at` lies in.
fn names_on_screen(root: &Value, at: &str) -> HashSet<String> {
    let screen = pointer::tokens(at)
        .and_then(|mut tokens| tokens.nth(1))
        .and_then(|index| pointer::array_index(&index))
        .and_then(|index| root.get(key::SCREENS)?.get(index)?.as_object());
    let Some(screen) = screen else { return HashSet::new() };
    walk::components(screen, "")
        .iter()
        .filter_map(|component| component.component.get(key::NAME).and_then(Value::as_str))
        .map(str::to_owned)
        .collect()
}

/// Gives every component in `component` (itself included) that has a string `name` a fresh
/// name not in `names`, and records it there. Iterative, like [`walk::components`].
fn rename_inputs(component: &mut Value, names: &mut HashSet<String>) {
    let mut pending = vec![component];
    while let Some(value) = pending.pop() {
        let Some(object) = value.as_object_mut() else { continue };
        if let Some(Value::String(name)) = object.get_mut(key::NAME) {
            *name = fresh_name(name, names);
        }
        let lists: &[&str] = match object.get(key::TYPE).and_then(Value::as_str) {
            Some("Form") => &[key::CHILDREN],
            Some("If") => &[key::THEN, key::ELSE],
            Some("Switch") => &[key::CASES],
            _ => &[],
        };
        let mut nested = Vec::new();
        for (key, child) in object.iter_mut() {
            if !lists.contains(&key.as_str()) {
                continue;
            }
            match child {
                Value::Object(cases) => nested.extend(cases.values_mut().filter_map(list_items).flatten()),
                other => nested.extend(list_items(other).into_iter().flatten()),
            }
        }
        // Reversed so that names are given in document order.
        pending.extend(nested.into_iter().rev());
    }
}

fn list_items(value: &mut Value) -> Option<std::slice::IterMut<'_, Value>> {
    value.as_array_mut().map(|items| items.iter_mut())
}

/// `base_N` for the smallest N from 2 not yet used, where `base` is `name` without a
/// trailing `_N`.
fn fresh_name(name: &str, names: &mut HashSet<String>) -> String {
    let base = match name.rsplit_once('_') {
        Some((base, number))
            if !base.is_empty() && !number.is_empty() && number.bytes().all(|b| b.is_ascii_digit()) =>
        {
            base
        }
        _ => name,
    };
    let fresh = (2..)
        .map(|number| format!("{base}_{number}"))
        .find(|candidate| !names.contains(candidate))
        .unwrap_or_else(|| format!("{base}_copy"));
    names.insert(fresh.clone());
    fresh
}
