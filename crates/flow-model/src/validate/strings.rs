//! Walks every string a screen shows or reads: screen titles and the values of component
//! properties (actions and nested component lists excluded: they have their own rules).
//! Shared by the rules on bindings, expressions and mixed text.
use serde_json::Value;

use super::context::Flow;
use crate::catalog::{Component, Event, Kind, Property};
use crate::json::{self, pointer};

/// One string of a screen.
pub(crate) struct StringAt<'a, 'p> {
    /// Index of the screen.
    pub screen: usize,
    /// Pointer to the string.
    pub pointer: &'p str,
    /// The string.
    pub text: &'a str,
    /// The component property it is (in), `None` for a screen title.
    pub property: Option<&'static Property>,
    /// The component, `None` for a screen title.
    pub component: Option<&'static Component>,
    /// The string is the property's whole value (not inside an array or object).
    pub whole: bool,
}

impl StringAt<'_, '_> {
    /// The property name for messages.
    pub fn property_name(&self) -> &'static str {
        self.property.map_or("title", |property| property.name)
    }

    /// Whether a binding or expression may stand here.
    pub fn is_dynamic(&self) -> bool {
        self.property.is_none_or(|property| property.dynamic)
    }
}

/// Calls `visit` for every string of every screen, in document order.
pub(crate) fn each<'a>(flow: &Flow<'a>, visit: &mut dyn FnMut(&StringAt<'a, '_>)) {
    let mut buffer = String::new();
    for (screen_index, screen) in flow.screens.iter().enumerate() {
        if let Some(Value::String(title)) = screen.object.get("title") {
            let at = pointer::join(&screen.pointer, "title");
            visit(&StringAt {
                screen: screen_index,
                pointer: &at,
                text: title,
                property: None,
                component: None,
                whole: true,
            });
        }
        for node in &screen.components {
            let Some(component) = node.spec else { continue };
            for (key, value) in node.at.component {
                if key == "type" || Event::from_property(key).is_some() {
                    continue;
                }
                let Some(property) = component.properties.iter().find(|property| property.name == key) else {
                    continue;
                };
                if matches!(property.kind, Kind::Components | Kind::Cases) {
                    continue;
                }
                buffer.clear();
                buffer.push_str(&node.at.pointer);
                pointer::push(&mut buffer, key);
                let mut at = Walk { screen: screen_index, property, component, visit: &mut *visit };
                at.value(&mut buffer, value, true, 0);
            }
        }
    }
}

struct Walk<'v, 'a> {
    screen: usize,
    property: &'static Property,
    component: &'static Component,
    visit: &'v mut dyn FnMut(&StringAt<'a, '_>),
}

impl<'a> Walk<'_, 'a> {
    fn value(&mut self, buffer: &mut String, value: &'a Value, whole: bool, depth: usize) {
        if depth > json::MAX_DEPTH {
            return;
        }
        match value {
            Value::String(text) => (self.visit)(&StringAt {
                screen: self.screen,
                pointer: buffer,
                text,
                property: Some(self.property),
                component: Some(self.component),
                whole,
            }),
            Value::Array(items) => {
                for (index, item) in items.iter().enumerate() {
                    let length = buffer.len();
                    pointer::push(buffer, &index.to_string());
                    self.value(buffer, item, false, depth + 1);
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
                    self.value(buffer, item, false, depth + 1);
                    buffer.truncate(length);
                }
            }
            _ => {}
        }
    }
}
