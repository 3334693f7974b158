//! The strings that may read data: screen titles, values of dynamic component properties and
//! If conditions (actions and nested component lists excluded: they have their own rules).
//! Gathered once per validation, keeping only those that hold a `$` or start with a backtick
//! (and every If condition): the rules on bindings, expressions and mixed text read this list.
//! Expressions and conditions are checked once, when the context is built ([`Checked`]).
use serde_json::{Map, Value};

use super::context::{Flow, Gathered, Node, Token, Where, member};
use crate::catalog::{Component, Event, Kind, Property};
use crate::expression::{self, Dynamic, ExpressionError, Outcome, Reference};
use crate::json;
use crate::model::key;

/// One string of a screen.
pub(crate) struct StringAt<'a> {
    /// Index of the screen.
    pub screen: usize,
    /// Where the string is ([`Flow::pointer`] gives its pointer).
    pub at: Where,
    /// The string.
    pub text: &'a str,
    /// The component property it is (in), `None` for a screen title.
    pub property: Option<&'static Property>,
    /// The component, `None` for a screen title.
    pub component: Option<&'static Component>,
    /// The string is the property's whole value (not inside an array or object).
    pub whole: bool,
    /// Its check as an expression, when it is a nested expression or an If condition (that
    /// is not one binding). Several rules read it; it is checked once.
    pub checked: Option<Checked>,
}

/// A string checked as an expression ([`expression::check`]).
pub(crate) struct Checked {
    /// What the check found.
    pub outcome: Result<Outcome, ExpressionError>,
    /// The bindings it read, in order (up to an error): `Flow::references[start..end]`.
    pub references: (usize, usize),
}

impl Checked {
    /// Checks `text` of screen `screen`, adding the bindings it reads to `references`.
    pub fn new<'a>(
        flow: &Flow<'a>,
        screen: usize,
        text: &'a str,
        references: &mut Vec<Reference<'a>>,
    ) -> Checked {
        let start = references.len();
        let outcome = expression::check(text, &mut |reference| {
            references.push(reference);
            flow.type_of(screen, &reference)
        });
        Checked { outcome, references: (start, references.len()) }
    }
}

impl<'a> StringAt<'a> {
    /// The text an expression check reads: between the backticks of a nested expression,
    /// else the whole text of an If condition (`None`: not checked as an expression).
    pub fn expression(&self) -> Option<&'a str> {
        match expression::classify(self.text) {
            Dynamic::Expression(inner) => Some(inner),
            Dynamic::Binding(_) => None,
            _ if self.is_condition() => Some(self.text),
            _ => None,
        }
    }
}

impl StringAt<'_> {
    /// The property name for messages.
    pub fn property_name(&self) -> &'static str {
        self.property.map_or(key::TITLE, |property| property.name)
    }

    /// Whether a binding or expression may stand here.
    pub fn is_dynamic(&self) -> bool {
        self.property.is_none_or(|property| property.dynamic)
    }

    /// Whether this is an If condition.
    pub fn is_condition(&self) -> bool {
        self.component.is_some_and(|component| component.name == "If")
            && self.property.is_some_and(|property| property.name == key::CONDITION)
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
    text.starts_with('`') || text.as_bytes().contains(&b'$')
}

/// Gathers a screen's title when it may read data (before the screen's components).
pub(crate) fn gather_title<'a>(screen: usize, object: &'a Map<String, Value>, gathered: &mut Gathered<'a>) {
    if let Some(Value::String(title)) = member(object, key::TITLE)
        && may_read_data(title)
    {
        let first = gathered.tokens.len();
        gathered.tokens.push(Token::Key(key::TITLE));
        gathered.strings.push(StringAt {
            screen,
            at: Where { screen, component: None, tokens: (first, gathered.tokens.len()) },
            text: title,
            property: None,
            component: None,
            whole: true,
            checked: None,
        });
    }
}

/// Gathers the strings of component `index` of screen `screen`, in document order, with the
/// properties of its members (already in `gathered.props`).
pub(crate) fn gather<'a>(screen: usize, index: usize, node: &Node<'a>, gathered: &mut Gathered<'a>) {
    let Some(component) = node.spec else { return };
    let Gathered { props, tokens, strings, path, .. } = gathered;
    let resolved = props.get(node.props..node.props + node.at.component.len()).unwrap_or_default();
    for ((key, value), property) in node.at.component.iter().zip(resolved) {
        let Some(property) = property else { continue };
        // Only dynamic values (and If conditions, always expressions) read data.
        let condition = property.name == key::CONDITION && component.name == "If";
        if !(property.dynamic || condition) {
            continue;
        }
        // The property's name is the key (and already in cache, unlike the key's text).
        if Event::from_property(property.name).is_some()
            || matches!(property.kind, Kind::Components | Kind::Cases)
        {
            continue;
        }
        path.clear();
        path.push(Token::Key(key.as_str()));
        let mut walk =
            Walk { screen, component: index, property, spec: component, found: strings, tokens, path };
        if let Value::String(text) = value {
            if condition || may_read_data(text) {
                walk.push(text, true);
            }
            continue;
        }
        walk.value(value, 0);
    }
}

struct Walk<'v, 'a> {
    screen: usize,
    component: usize,
    property: &'static Property,
    spec: &'static Component,
    found: &'v mut Vec<StringAt<'a>>,
    tokens: &'v mut Vec<Token<'a>>,
    /// The tokens from the component to the value being walked.
    path: &'v mut Vec<Token<'a>>,
}

impl<'a> Walk<'_, 'a> {
    fn push(&mut self, text: &'a str, whole: bool) {
        let first = self.tokens.len();
        self.tokens.extend_from_slice(self.path);
        self.found.push(StringAt {
            screen: self.screen,
            at: Where {
                screen: self.screen,
                component: Some(self.component),
                tokens: (first, self.tokens.len()),
            },
            text,
            property: Some(self.property),
            component: Some(self.spec),
            whole,
            checked: None,
        });
    }

    fn value(&mut self, value: &'a Value, depth: usize) {
        if depth > json::MAX_DEPTH {
            return;
        }
        match value {
            Value::String(text) if may_read_data(text) => self.push(text, false),
            Value::Array(items) => {
                for (index, item) in items.iter().enumerate() {
                    self.path.push(Token::Index(index));
                    self.value(item, depth + 1);
                    self.path.pop();
                }
            }
            Value::Object(map) => {
                for (key, item) in map {
                    // Item-level actions are checked with the other actions.
                    if Event::from_property(key).is_some() {
                        continue;
                    }
                    self.path.push(Token::Key(key));
                    self.value(item, depth + 1);
                    self.path.pop();
                }
            }
            _ => {}
        }
    }
}
