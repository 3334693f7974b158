//! §4 (common conventions): Meta's builder warns that dynamic-data field names should avoid
//! `-`, spaces, backticks and `'`. They are read back in bindings and expressions (a space is
//! not even allowed in a binding: `${data.first name}` is no binding at all), so each data
//! model field (at any depth) and each input `name` with one of them gets a warning.
use serde_json::{Map, Value};

use super::super::context::Flow;
use crate::diagnostic::{Diagnostic, Problem};
use crate::json::{self, pointer};

/// The characters Meta advises against in field names.
const AVOID: &[char] = &['-', ' ', '`', '\''];

pub(super) fn check(flow: &Flow<'_>, out: &mut Vec<Diagnostic>) {
    for screen in &flow.screens {
        if let Some(data) = screen.data {
            fields(data, &pointer::join(&screen.pointer, "data"), 0, out);
        }
        for node in &screen.components {
            let Some(name) = node.name() else { continue };
            // Only inputs are read back (`${form.name}`); a Form's or NavigationList's name is not.
            if node.spec.is_some_and(|spec| spec.value.is_some()) && name.contains(AVOID) {
                out.push(Diagnostic::warning(pointer::join(&screen.pointer_of(node), "name"), problem(name)));
            }
        }
    }
}

/// Warns about the fields of a data model object (`data`, or a schema's `properties`) at
/// `at`, and those of the schemas inside them.
fn fields(object: &Map<String, Value>, at: &str, depth: usize, out: &mut Vec<Diagnostic>) {
    if depth > json::MAX_DEPTH {
        return;
    }
    for (name, schema) in object {
        let field_at = pointer::join(at, name);
        if name.contains(AVOID) {
            out.push(Diagnostic::warning(field_at.clone(), problem(name)));
        }
        schemas(schema, &field_at, depth + 1, out);
    }
}

/// The fields inside a schema: its `properties`, and those of its array `items`.
fn schemas(schema: &Value, at: &str, depth: usize, out: &mut Vec<Diagnostic>) {
    if depth > json::MAX_DEPTH {
        return;
    }
    if let Some(Value::Object(properties)) = schema.get("properties") {
        fields(properties, &pointer::join(at, "properties"), depth + 1, out);
    }
    if let Some(items @ Value::Object(_)) = schema.get("items") {
        schemas(items, &pointer::join(at, "items"), depth + 1, out);
    }
}

fn problem(name: &str) -> Problem {
    let suggestion: String = name.chars().map(|c| if AVOID.contains(&c) { '_' } else { c }).collect();
    Problem::FieldNameCharacters { name: name.to_owned(), suggestion }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{C0, C1, expect, screen};
    use super::*;
    use crate::diagnostic::Code;
    use serde_json::json;

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
