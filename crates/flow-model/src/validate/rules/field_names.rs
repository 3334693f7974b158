//! §4 (common conventions): Meta's builder warns that dynamic-data field names should avoid
//! `-`, spaces, backticks and `'`. They are read back in bindings and expressions (a space is
//! not even allowed in a binding: `${data.first name}` is no binding at all), so each data
//! model field (at any depth) and each input `name` with one of them gets a warning. A name
//! Meta itself gives a property (`main-content`, `alt-text`: the items of a list bound to data
//! declare them, as Meta's dynamic NavigationList example does) is not warned about.
use serde_json::{Map, Value};

use super::super::context::{Flow, member};
use crate::model::key;

#[cfg(all(test, not(target_arch = "wasm32")))]
use super::super::sources::{Builder, Code, Report, warning};
use crate::diagnostic::{DataProblem, Diagnostic};
use crate::json::parser::bytes_equal;
use crate::json::{self, pointer};

/// What this rule reports, and on whose authority (`validate/sources.rs`).
#[cfg(all(test, not(target_arch = "wasm32")))]
pub(super) const REPORTS: &[Report] = &[warning(
    "Data::FieldNameCharacters",
    Code::PatternMismatch,
    "data model fields and input names without `-`, spaces, backticks or `'`",
    &[Builder("the builder warns that dynamic data field names should avoid these characters")],
)];

/// The characters Meta advises against in field names (all ASCII: names are checked byte by
/// byte, as this runs for every input of the flow).
const AVOID: [u8; 4] = *b"- `'";

/// Whether `name` has one of them, eight bytes at a time (most inputs have a name). The last
/// bytes are padded with zero bytes, which are none of them.
pub(in crate::validate) fn is_discouraged(name: &str) -> bool {
    name.as_bytes().chunks(8).any(|chunk| {
        let mut word = [0; 8];
        word.get_mut(..chunk.len()).unwrap_or_default().copy_from_slice(chunk);
        let word = u64::from_le_bytes(word);
        AVOID.iter().any(|byte| bytes_equal(word, *byte) != 0)
    })
}

pub(super) fn check(flow: &Flow<'_>, out: &mut Vec<Diagnostic>) {
    for screen in &flow.screens {
        if let Some(data) = screen.data {
            let mut path = vec![key::DATA];
            fields(data, &screen.pointer, &mut path, out);
        }
    }
    // The context noted the inputs whose names have them.
    for (screen, component) in &flow.odd_names {
        let Some(screen) = flow.screens.get(*screen) else { continue };
        let Some(node) = screen.components.get(*component) else { continue };
        let Some(name) = node.name() else { continue };
        out.push(Diagnostic::warning(pointer::join(&screen.pointer_of(node), key::NAME), problem(name)));
    }
}

/// Warns about the fields of a data model object (`data`, or a schema's `properties`) at
/// `path` below the screen at `screen`, and those of the schemas inside them. The pointer is
/// built only for a warning.
fn fields<'a>(
    object: &'a Map<String, Value>,
    screen: &str,
    path: &mut Vec<&'a str>,
    out: &mut Vec<Diagnostic>,
) {
    if path.len() > json::MAX_DEPTH {
        return;
    }
    for (name, schema) in object {
        path.push(name);
        if is_discouraged(name) && !is_catalog_property(name) {
            let at = path.iter().fold(screen.to_owned(), |at, token| pointer::join(&at, token));
            out.push(Diagnostic::warning(at, problem(name)));
        }
        schemas(schema, screen, path, out);
        path.pop();
    }
}

/// The fields inside a schema: its `properties`, and those of its array `items`.
fn schemas<'a>(schema: &'a Value, screen: &str, path: &mut Vec<&'a str>, out: &mut Vec<Diagnostic>) {
    let Value::Object(schema) = schema else { return };
    if path.len() > json::MAX_DEPTH {
        return;
    }
    if let Some(Value::Object(properties)) = member(schema, key::PROPERTIES) {
        path.push(key::PROPERTIES);
        fields(properties, screen, path, out);
        path.pop();
    }
    if let Some(items) = member(schema, key::ITEMS) {
        path.push(key::ITEMS);
        schemas(items, screen, path, out);
        path.pop();
    }
}

/// Whether some component (or an object inside one) has a property called `name`.
fn is_catalog_property(name: &str) -> bool {
    fn any(properties: &[crate::catalog::Property], name: &str) -> bool {
        properties.iter().any(|property| property.name == name || kind_has(&property.kind, name))
    }
    fn kind_has(kind: &crate::catalog::Kind, name: &str) -> bool {
        use crate::catalog::Kind;
        match kind {
            Kind::Object(properties) => any(properties, name),
            Kind::List(inner) | Kind::Map(inner) => kind_has(inner, name),
            Kind::OneOf(kinds) => kinds.iter().any(|kind| kind_has(kind, name)),
            _ => false,
        }
    }
    crate::catalog::components().any(|component| any(component.properties, name))
}

fn problem(name: &str) -> DataProblem {
    let suggestion: String = name
        .chars()
        .map(|c| if u8::try_from(c).is_ok_and(|byte| AVOID.contains(&byte)) { '_' } else { c })
        .collect();
    DataProblem::FieldNameCharacters { name: name.to_owned(), suggestion }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{C0, C1, expect, screen};
    use super::*;
    use crate::diagnostic::Code;
    use serde_json::json;

    #[test]
    fn discouraged_characters_anywhere_in_names_of_any_length() {
        for length in 1..20 {
            assert!(!is_discouraged(&"a_0Zé".repeat(length)));
            for at in 0..length {
                for avoided in AVOID {
                    let mut name = vec![b'x'; length];
                    name[at] = avoided;
                    assert!(is_discouraged(std::str::from_utf8(&name).unwrap()), "{length} {at} {avoided}");
                }
            }
        }
    }

    #[test]
    fn data_fields_and_input_names_avoid_dashes_spaces_and_quotes() {
        let mut flow = screen(
            "7.3",
            json!([{"type": "TextInput", "name": "first-name", "label": "First name"},
                   {"type": "Form", "name": "the form", "children": [{"type": "OptIn", "name": "it's ok", "label": "OK"}]}]),
        );
        flow["screens"][0]["data"] = json!({
            "full name": {"type": "string", "__example__": "x"},
            "required": ["full name"],
            "user": {"type": "object", "properties": {"e-mail": {"type": "string"}}, "__example__": {}},
            "list": {"type": "array", "items": {"type": "object", "properties": {"`x`": {"type": "string"}}}, "__example__": []}
        });
        expect(
            check,
            &flow,
            &[
                (Code::PatternMismatch, "/screens/0/data/full name"),
                (Code::PatternMismatch, "/screens/0/data/user/properties/e-mail"),
                (Code::PatternMismatch, "/screens/0/data/list/items/properties/`x`"),
                (Code::PatternMismatch, &format!("{C0}/name")),
                (Code::PatternMismatch, &format!("{C1}/children/0/name")),
            ],
        );
    }
}
