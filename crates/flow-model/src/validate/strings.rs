//! The strings that may read data: screen titles, values of dynamic component properties and
//! If conditions (actions and nested component lists excluded: they have their own rules).
//! Collected once per validation, keeping only those that hold a `$` or start with a backtick
//! (and every If condition): the rules on bindings, expressions and mixed text read this list.
use std::fmt::Write as _;

use serde_json::Value;

use super::context::Flow;
use crate::catalog::{Component, Event, Kind, Property};
use crate::json::{self, pointer};

/// One string of a screen.
pub(crate) struct StringAt<'a> {
    /// Index of the screen.
    pub screen: usize,
    /// Pointer to the string.
    pub pointer: String,
    /// The string.
    pub text: &'a str,
    /// The component property it is (in), `None` for a screen title.
    pub property: Option<&'static Property>,
    /// The component, `None` for a screen title.
    pub component: Option<&'static Component>,
    /// The string is the property's whole value (not inside an array or object).
    pub whole: bool,
}

impl StringAt<'_> {
    /// The property name for messages.
    pub fn property_name(&self) -> &'static str {
        self.property.map_or("title", |property| property.name)
    }

    /// Whether a binding or expression may stand here.
    pub fn is_dynamic(&self) -> bool {
        self.property.is_none_or(|property| property.dynamic)
    }

    /// Whether this is an If condition.
    pub fn is_condition(&self) -> bool {
        self.component.is_some_and(|component| component.name == "If")
            && self.property.is_some_and(|property| property.name == "condition")
    }
}

/// Calls `visit` for every collected string, in document order.
pub(crate) fn each<'a>(flow: &Flow<'a>, visit: &mut dyn FnMut(&StringAt<'a>)) {
    for string in &flow.strings {
        visit(string);
    }
}

/// Whether a string may read data: anything else is plain text to every rule that reads this list.
fn may_read_data(text: &str) -> bool {
    text.starts_with('`') || text.contains('$')
}

/// Collects the strings of every screen, in document order.
pub(crate) fn collect<'a>(flow: &Flow<'a>) -> Vec<StringAt<'a>> {
    let mut found = Vec::new();
    let mut buffer = String::new();
    for (screen_index, screen) in flow.screens.iter().enumerate() {
        if let Some(Value::String(title)) = screen.object.get("title")
            && may_read_data(title)
        {
            found.push(StringAt {
                screen: screen_index,
                pointer: pointer::join(&screen.pointer, "title"),
                text: title,
                property: None,
                component: None,
                whole: true,
            });
        }
        for node in &screen.components {
            let Some(component) = node.spec else { continue };
            for ((key, value), property) in node.at.component.iter().zip(screen.props_of(node)) {
                let Some(property) = property else { continue };
                if Event::from_property(key).is_some()
                    || matches!(property.kind, Kind::Components | Kind::Cases)
                {
                    continue;
                }
                // Only dynamic values (and If conditions, always expressions) read data.
                let condition = property.name == "condition" && component.name == "If";
                if !(property.dynamic || condition) {
                    continue;
                }
                if let Value::String(text) = value {
                    if condition || may_read_data(text) {
                        found.push(StringAt {
                            screen: screen_index,
                            pointer: pointer::join(&node.at.pointer, key),
                            text,
                            property: Some(property),
                            component: Some(component),
                            whole: true,
                        });
                    }
                    continue;
                }
                buffer.clear();
                buffer.push_str(&node.at.pointer);
                pointer::push(&mut buffer, key);
                let mut walk = Walk { screen: screen_index, property, component, found: &mut found };
                walk.value(&mut buffer, value, 0);
            }
        }
    }
    found
}

struct Walk<'v, 'a> {
    screen: usize,
    property: &'static Property,
    component: &'static Component,
    found: &'v mut Vec<StringAt<'a>>,
}

impl<'a> Walk<'_, 'a> {
    fn value(&mut self, buffer: &mut String, value: &'a Value, depth: usize) {
        if depth > json::MAX_DEPTH {
            return;
        }
        match value {
            Value::String(text) if may_read_data(text) => self.found.push(StringAt {
                screen: self.screen,
                pointer: buffer.clone(),
                text,
                property: Some(self.property),
                component: Some(self.component),
                whole: false,
            }),
            Value::Array(items) => {
                for (index, item) in items.iter().enumerate() {
                    let length = buffer.len();
                    let _ = write!(buffer, "/{index}");
                    self.value(buffer, item, depth + 1);
                    buffer.truncate(length);
                }
            }
            Value::Object(map) => {
                for (key, item) in map {
                    // Item-level actions are checked with the other actions.
                    if Event::from_property(key).is_some() {
                        continue;
                    }
                    let length = buffer.len();
                    pointer::push(buffer, key);
                    self.value(buffer, item, depth + 1);
                    buffer.truncate(length);
                }
            }
            _ => {}
        }
    }
}
