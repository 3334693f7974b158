//! Gathers every object the catalog describes (components, and the objects inside them such
//! as data-source items) once per validation, with the catalog property of each member, and
//! checks single values against a property's kind. The schema rules (`unknown_properties`,
//! `required_properties`, `property_types`, `property_limits`) check these objects one at a
//! time, in one shared pass, instead of walking the components again.
use serde_json::{Map, Value};

use super::context::{Flow, Gathered, Node, Token, Where};
use crate::catalog::{Component, Kind, Property, find_property};
use crate::expression::{self, Dynamic};
use crate::json::pointer;
use crate::model::key;
use crate::version::{Feature, Version};

/// An object described by the catalog.
pub(crate) struct Described<'a> {
    /// Where the object is.
    pub at: Where,
    /// The object.
    pub object: &'a Map<String, Value>,
    /// Its properties.
    pub properties: &'static [Property],
    /// The component it is or is in.
    pub component: &'static Component,
    /// The property path inside the component (`None` for the component itself).
    pub part: Option<&'static str>,
    /// The component sits in a Form.
    pub in_form: bool,
    /// Where the properties of its members start in [`Flow::props`].
    props: usize,
}

impl<'a> Described<'a> {
    /// Each member with its property in the flow's version (`None`: not a property of the
    /// object).
    pub fn members<'f>(
        &self,
        flow: &'f Flow<'a>,
    ) -> impl Iterator<Item = (&'a String, &'a Value, Option<&'static Property>)> + use<'a, 'f> {
        let resolved = self.resolved(flow);
        self.object
            .iter()
            .enumerate()
            .map(move |(index, (key, value))| (key, value, resolved.get(index).copied().flatten()))
    }

    /// The property of each member in the flow's version, in member order.
    pub fn resolved<'f>(&self, flow: &'f Flow<'_>) -> &'f [Option<&'static Property>] {
        flow.props.get(self.props..self.props + self.object.len()).unwrap_or_default()
    }

    /// Whether `key` is the component's `type`, which the catalog does not list.
    pub fn is_type_key(&self, key: &str) -> bool {
        self.part.is_none() && key == key::TYPE
    }
}

/// Gathers component `index` of screen `screen` (whose members' properties are in
/// `gathered.props` already) and the objects inside it, depth first, adding the properties of
/// their members.
pub(crate) fn gather<'a>(
    version: Version,
    screen: usize,
    index: usize,
    node: &Node<'a>,
    gathered: &mut Gathered<'a>,
) {
    let Some(component) = node.spec else { return };
    gathered.described.push(Described {
        at: Where { screen, component: Some(index), tokens: (0, 0) },
        object: node.at.component,
        properties: component.properties,
        component,
        part: None,
        in_form: node.in_form,
        props: node.props,
    });
    // Most components hold no object (only lists of items do).
    if !component.properties.iter().any(|property| inner_object(property).is_some()) {
        return;
    }
    gathered.path.clear();
    let mut collector =
        Collector { version, screen, component: index, spec: component, in_form: node.in_form, gathered };
    collector.parts(node.at.component, node.props);
}

/// What stays the same while one component's objects are gathered.
struct Collector<'c, 'a> {
    version: Version,
    screen: usize,
    component: usize,
    spec: &'static Component,
    in_form: bool,
    /// Its `path` holds the tokens from the component to the object being gathered.
    gathered: &'c mut Gathered<'a>,
}

/// The properties of the objects a property holds, and whether it holds a list of them.
fn inner_object(property: &Property) -> Option<(&'static [Property], bool)> {
    match property.kind {
        Kind::Object(inner) => Some((inner, false)),
        Kind::List(&Kind::Object(inner)) => Some((inner, true)),
        Kind::OneOf(kinds) => kinds.iter().find_map(|kind| match kind {
            Kind::Object(inner) => Some((*inner, false)),
            _ => None,
        }),
        _ => None,
    }
}

impl<'a> Collector<'_, 'a> {
    /// Gathers the objects inside `object`'s members, whose properties start at `props` in
    /// the pool. Recursion follows the catalog's static nesting (at most three levels), never
    /// the document's.
    fn parts(&mut self, object: &'a Map<String, Value>, props: usize) {
        for (index, (key, value)) in object.iter().enumerate() {
            let Some(property) = self.gathered.props.get(props + index).copied().flatten() else { continue };
            let Some((inner, listed)) = inner_object(property) else { continue };
            self.gathered.path.push(Token::Key(key));
            match (listed, value) {
                (false, Value::Object(object)) => self.one(object, inner, property.name),
                (true, Value::Array(items)) => {
                    for (index, item) in items.iter().enumerate() {
                        if let Value::Object(object) = item {
                            self.gathered.path.push(Token::Index(index));
                            self.one(object, inner, property.name);
                            self.gathered.path.pop();
                        }
                    }
                }
                _ => {}
            }
            self.gathered.path.pop();
        }
    }

    /// Gathers `object` (at the path) and the objects inside it.
    fn one(&mut self, object: &'a Map<String, Value>, properties: &'static [Property], part: &'static str) {
        let gathered = &mut *self.gathered;
        let start = gathered.props.len();
        gathered.props.extend(object.keys().map(|key| find_property(properties, key, self.version)));
        let first = gathered.tokens.len();
        gathered.tokens.extend_from_slice(&gathered.path);
        gathered.described.push(Described {
            at: Where {
                screen: self.screen,
                component: Some(self.component),
                tokens: (first, gathered.tokens.len()),
            },
            object,
            properties,
            component: self.spec,
            part: Some(part),
            in_form: self.in_form,
            props: start,
        });
        self.parts(object, start);
    }
}

/// A place below a described object, turned into a pointer only when a diagnostic needs it
/// (building pointers for every value would cost more than the checks).
#[derive(Clone, Copy)]
pub(crate) enum At<'p> {
    /// A described object.
    Object(&'p Where),
    /// A member of an object.
    Key(&'p At<'p>, &'p str),
    /// An item of an array.
    Index(&'p At<'p>, usize),
}

impl At<'_> {
    /// The pointer. Recursion follows the catalog's static nesting of kinds (a few levels).
    pub fn pointer(&self, flow: &Flow<'_>) -> String {
        match self {
            At::Object(at) => flow.pointer(at),
            At::Key(parent, key) => pointer::join(&parent.pointer(flow), key),
            At::Index(parent, index) => pointer::join(&parent.pointer(flow), index),
        }
    }
}

/// The JSON type name of a value, as messages say it.
pub(crate) fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(number) if number.is_i64() || number.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// Whether a value has the JSON type of `kind` (not its finer rules).
pub(crate) fn fits(kind: &Kind, value: &Value) -> bool {
    match kind {
        Kind::String(_) | Kind::Enum(_) => value.is_string(),
        Kind::Boolean => value.is_boolean(),
        Kind::Number => value.is_number(),
        Kind::Integer => value.as_f64().is_some_and(|number| number.fract() == 0.0),
        Kind::List(_) | Kind::Components => value.is_array(),
        Kind::Object(_) | Kind::Map(_) | Kind::Action(_) | Kind::Cases => value.is_object(),
        Kind::Any => !value.is_null(),
        Kind::OneOf(kinds) => kinds.iter().any(|kind| fits(kind, value)),
    }
}

/// The kind of `kind` that `value` has (the first that fits, for [`Kind::OneOf`]).
pub(crate) fn resolve_kind<'k>(kind: &'k Kind, value: &Value) -> Option<&'k Kind> {
    match kind {
        Kind::OneOf(kinds) => kinds.iter().find(|kind| fits(kind, value)),
        kind if fits(kind, value) => Some(kind),
        _ => None,
    }
}

/// What a dynamic property's string stands for.
pub(crate) fn is_dynamic(property: &Property, value: &Value, version: Version) -> bool {
    property.dynamic
        && value.as_str().is_some_and(|text| match expression::classify(text) {
            Dynamic::Binding(_) => true,
            Dynamic::Expression(_) => version.supports(Feature::NestedExpressions),
            _ => false,
        })
}

/// Whether a string is blank (empty or whitespace only).
pub(crate) fn is_blank(text: &str) -> bool {
    // Most text starts with a printable ASCII character: no need to decode it.
    if text.as_bytes().first().is_some_and(|byte| (0x21..0x7f).contains(byte)) {
        return false;
    }
    text.trim().is_empty()
}

/// Whether `text` is a `YYYY-MM-DD` calendar date.
pub(crate) fn is_iso_date(text: &str) -> bool {
    let bytes = text.as_bytes();
    let digits = |range: std::ops::Range<usize>| {
        bytes
            .get(range.clone())
            .is_some_and(|part| part.iter().all(u8::is_ascii_digit))
            .then(|| text.get(range).and_then(|part| part.parse::<u32>().ok()))
            .flatten()
    };
    if bytes.len() != 10 || bytes.get(4) != Some(&b'-') || bytes.get(7) != Some(&b'-') {
        return false;
    }
    let (Some(year), Some(month), Some(day)) = (digits(0..4), digits(5..7), digits(8..10)) else {
        return false;
    };
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&day)
}

/// Whether `text` is a date in the format `version` uses.
pub(crate) fn is_date(text: &str, version: Version) -> bool {
    if version.supports(Feature::IsoDates) {
        is_iso_date(text)
    } else {
        !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit())
    }
}

/// The date format `version` uses, for messages.
pub(crate) fn date_format(version: Version) -> &'static str {
    if version.supports(Feature::IsoDates) { "YYYY-MM-DD" } else { "timestamp in milliseconds" }
}

/// The decoded size in bytes of base64 text, or `None` when it is not base64 (standard
/// alphabet, padding optional, line breaks tolerated).
pub(crate) fn base64_size(text: &str) -> Option<usize> {
    let mut count = 0usize;
    let mut padding = 0usize;
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'+' | b'/' if padding == 0 => count += 1,
            b'=' => padding += 1,
            b'\n' | b'\r' => {}
            _ => return None,
        }
    }
    let total = count + padding;
    if count == 0 || padding > 2 || (padding > 0 && !total.is_multiple_of(4)) || count % 4 == 1 {
        return None;
    }
    Some(count * 3 / 4)
}

/// Whether `text` is `#RRGGBB`.
pub(crate) fn is_hex_color(text: &str) -> bool {
    text.len() == 7 && text.starts_with('#') && text.bytes().skip(1).all(|b| b.is_ascii_hexdigit())
}

/// Characters as JavaScript counts them (UTF-16 code units): Meta's limits are checked in
/// JavaScript.
pub(crate) fn char_count(text: &str) -> usize {
    text.encode_utf16().count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_real_calendar_dates() {
        assert!(is_iso_date("2024-02-29"));
        assert!(!is_iso_date("2023-02-29"));
        assert!(!is_iso_date("2024-13-01"));
        assert!(!is_iso_date("2024-1-01"));
        assert!(!is_iso_date("2024-01-01T00"));
        assert!(is_date("1700000000000", Version::V4_0));
        assert!(!is_date("2024-01-01", Version::V4_0));
    }

    #[test]
    fn blank_is_whitespace_only() {
        assert!(is_blank(""));
        assert!(is_blank(" \t\n\u{b}"));
        assert!(is_blank("\u{3000}"));
        assert!(!is_blank("a"));
        assert!(!is_blank(" a"));
        assert!(!is_blank("é"));
    }

    #[test]
    fn base64_sizes() {
        assert_eq!(base64_size("aGVsbG8="), Some(5));
        assert_eq!(base64_size("aGVsbG8"), Some(5));
        assert_eq!(base64_size("aGVs\nbG8="), Some(5));
        assert_eq!(base64_size("not base64!"), None);
        assert_eq!(base64_size("data:image/png;base64,aGVsbG8="), None);
        assert_eq!(base64_size(""), None);
    }

    #[test]
    fn utf16_length_counts_emoji_twice() {
        assert_eq!(char_count("añ😀"), 4);
    }
}
