//! §6.4: each field of a screen's `data` is an object with a string `type` and an
//! `__example__` (only at the top level) that matches the declared schema; arrays declare
//! `items`; `required` is a list of names. The example check covers the JSON Schema subset
//! Flow JSON uses (type, properties, items, required, enum).
use serde_json::{Map, Value};

use super::super::context::Flow;
use crate::model::key;

#[cfg(all(test, not(target_arch = "wasm32")))]
use super::super::sources::{Builder, Code, Docs, Ours, Page, Report, error, warning};
use crate::diagnostic::{DataModelProblem, DataProblem, Diagnostic};
use crate::json::{self, pointer};

/// What this rule reports, and on whose authority (`validate/sources.rs`).
#[cfg(all(test, not(target_arch = "wasm32")))]
pub(super) const REPORTS: &[Report] = &[
    error(
        "Data::ScreenData",
        Code::InvalidScreenData,
        "each field of `data` is an object with a string `type` of JSON Schema, arrays declare `items`, `__example__` only at the top and matching the schema, `required` a list",
        &[
            Docs(Page::FlowJson, "Declaring screen properties"),
            Builder("WAFlowJSONScreenDataValidatorV500"),
            Docs(Page::ErrorCodes, "INVALID_SCREEN_DATA"),
        ],
    ),
    error(
        "Data::ScreenData",
        Code::MissingRequiredProperty,
        "each field has an `__example__`",
        &[Docs(Page::FlowJson, "Declaring screen properties: __example__ is mandatory")],
    ),
    warning(
        "Data::ScreenData",
        Code::InvalidScreenData,
        "a data model too deep to check",
        &[Ours("a bound on our checker's work")],
    ),
];

/// The JSON Schema types a data model field may declare (§6.3: no `null`).
pub(crate) const DATA_TYPES: &[&str] = &["string", "number", "integer", "boolean", "object", "array"];

pub(super) fn check(flow: &Flow<'_>, out: &mut Vec<Diagnostic>) {
    for screen in &flow.screens {
        let Some(data) = screen.data else { continue };
        let at = pointer::join(&screen.pointer, key::DATA);
        for (field, declaration) in data {
            let field_at = pointer::join(&at, field);
            let report = |out: &mut Vec<Diagnostic>, at: String, problem| {
                // Too deep for us to check is no rule of Meta's.
                let ours = problem == DataModelProblem::TooDeep;
                let problem = DataProblem::ScreenData { field: field.clone(), problem };
                out.push(if ours {
                    Diagnostic::warning(at, problem)
                } else {
                    Diagnostic::error(at, problem)
                });
            };
            if field == key::REQUIRED {
                let names = declaration.as_array().is_some_and(|items| items.iter().all(Value::is_string));
                if !names {
                    report(out, field_at, DataModelProblem::RequiredNotArray);
                }
                continue;
            }
            let Some(schema) = declaration.as_object() else {
                report(out, field_at, DataModelProblem::NotAnObject);
                continue;
            };
            let mut problems = Vec::new();
            check_schema(schema, &field_at, true, 0, &mut problems);
            let schema_ok = problems.is_empty();
            for (at, problem) in problems {
                report(out, at, problem);
            }
            match schema.get(key::EXAMPLE) {
                None => report(out, field_at, DataModelProblem::MissingExample),
                Some(example) if schema_ok => {
                    let mut path = String::new();
                    if let Some(expected) = mismatch(schema, example, &mut path, 0) {
                        report(
                            out,
                            pointer::join(&field_at, key::EXAMPLE),
                            DataModelProblem::ExampleMismatch { at: path, expected },
                        );
                    }
                }
                Some(_) => {}
            }
        }
    }
}

/// Checks one schema object: its `type`, nested `__example__`, array `items`.
fn check_schema(
    schema: &Map<String, Value>,
    at: &str,
    top: bool,
    depth: usize,
    out: &mut Vec<(String, DataModelProblem)>,
) {
    if depth > json::MAX_DEPTH {
        out.push((at.to_owned(), DataModelProblem::TooDeep));
        return;
    }
    if !top && schema.contains_key(key::EXAMPLE) {
        out.push((pointer::join(at, key::EXAMPLE), DataModelProblem::NestedExample));
    }
    let kind = match schema.get(key::TYPE) {
        None => {
            out.push((at.to_owned(), DataModelProblem::MissingType));
            return;
        }
        Some(Value::String(kind)) if DATA_TYPES.contains(&kind.as_str()) => kind.as_str(),
        Some(Value::String(kind)) => {
            out.push((pointer::join(at, key::TYPE), DataModelProblem::UnknownType { found: kind.clone() }));
            return;
        }
        Some(_) => {
            out.push((pointer::join(at, key::TYPE), DataModelProblem::TypeNotString));
            return;
        }
    };
    if kind == "array" {
        match schema.get(key::ITEMS) {
            None => out.push((at.to_owned(), DataModelProblem::MissingItems)),
            Some(Value::Object(items)) => {
                check_schema(items, &pointer::join(at, key::ITEMS), false, depth + 1, out)
            }
            Some(Value::Bool(_)) => {}
            Some(_) => out.push((pointer::join(at, key::ITEMS), DataModelProblem::ItemsType)),
        }
    }
    if let Some(Value::Object(properties)) = schema.get(key::PROPERTIES) {
        let properties_at = pointer::join(at, key::PROPERTIES);
        for (name, property) in properties {
            if let Value::Object(property) = property {
                check_schema(property, &pointer::join(&properties_at, name), false, depth + 1, out);
            }
        }
    }
}

/// The first place where `example` does not match `schema`, as (dotted path, expectation).
/// Also holds a flow message's data against its first screen's data model (`message::check`).
pub(crate) fn mismatch(
    schema: &Map<String, Value>,
    example: &Value,
    path: &mut String,
    depth: usize,
) -> Option<String> {
    if depth > json::MAX_DEPTH {
        return None;
    }
    let fail = |expected: String| Some(expected);
    if let Some(kind) = schema.get(key::TYPE).and_then(Value::as_str) {
        let fits = match kind {
            "string" => example.is_string(),
            "number" => example.is_number(),
            "integer" => example.as_f64().is_some_and(|number| number.fract() == 0.0),
            "boolean" => example.is_boolean(),
            "object" => example.is_object(),
            "array" => example.is_array(),
            _ => true,
        };
        if !fits {
            return fail(format!("of type '{kind}'"));
        }
    }
    if let Some(Value::Array(allowed)) = schema.get(key::ENUM)
        && !allowed.contains(example)
    {
        return fail(format!("one of {}", crate::json::compact(&Value::Array(allowed.clone()))));
    }
    match example {
        Value::Object(object) => {
            if let Some(Value::Array(required)) = schema.get(key::REQUIRED) {
                for name in required.iter().filter_map(Value::as_str) {
                    if !object.contains_key(name) {
                        return fail(format!("an object with the required property '{name}'"));
                    }
                }
            }
            if let Some(Value::Object(properties)) = schema.get(key::PROPERTIES) {
                for (name, value) in object {
                    let Some(Value::Object(inner)) = properties.get(name) else { continue };
                    let length = path.len();
                    if !path.is_empty() {
                        path.push('.');
                    }
                    path.push_str(name);
                    if let Some(expected) = mismatch(inner, value, path, depth + 1) {
                        return Some(expected);
                    }
                    path.truncate(length);
                }
            }
        }
        Value::Array(items) => {
            if let Some(Value::Object(inner)) = schema.get(key::ITEMS) {
                for (index, item) in items.iter().enumerate() {
                    let length = path.len();
                    path.push_str(&format!("[{index}]"));
                    if let Some(expected) = mismatch(inner, item, path, depth + 1) {
                        return Some(expected);
                    }
                    path.truncate(length);
                }
            }
        }
        _ => {}
    }
    None
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{expect, screen};
    use super::*;
    use crate::diagnostic::Code;
    use serde_json::json;

    fn with_data(data: Value) -> Value {
        let mut flow = screen("7.3", json!([]));
        flow["screens"][0]["data"] = data;
        flow
    }

    #[test]
    fn declarations_need_type_and_example() {
        let flow = with_data(json!({
            "a": {"type": "string"},
            "b": {"__example__": 1},
            "c": {"type": 3, "__example__": 1},
            "d": "string",
            "e": {"type": "array", "__example__": []},
            "f": {"type": "array", "items": {"type": "string", "__example__": "x"}, "__example__": []},
            "required": "a"
        }));
        expect(
            check,
            &flow,
            &[
                (Code::MissingRequiredProperty, "/screens/0/data/a"),
                (Code::InvalidScreenData, "/screens/0/data/b"),
                (Code::InvalidScreenData, "/screens/0/data/c/type"),
                (Code::InvalidScreenData, "/screens/0/data/d"),
                (Code::InvalidScreenData, "/screens/0/data/e"),
                (Code::InvalidScreenData, "/screens/0/data/f/items/__example__"),
                (Code::InvalidScreenData, "/screens/0/data/required"),
            ],
        );
    }

    /// Only a document built in code nests a schema this deep: the JSON reader stops at half
    /// of it. A warning, not an error: the limit is ours.
    #[test]
    fn a_schema_too_deep_to_check_is_a_warning() {
        let mut deep = json!({"type": "string"});
        for _ in 0..=crate::json::MAX_DEPTH {
            deep = json!({"type": "object", "properties": {"x": deep}});
        }
        deep["__example__"] = json!({});
        let flow = with_data(json!({"deep": deep}));
        let Some(root) = flow.as_object() else { panic!("a flow is an object") };
        let mut found = Vec::new();
        check(&super::super::super::context::Flow::new(root), &mut found);
        assert!(
            found.iter().any(|d| d.severity == crate::Severity::Warning
                && matches!(
                    &d.problem,
                    crate::Problem::Data(DataProblem::ScreenData { problem: DataModelProblem::TooDeep, .. })
                )),
            "{found:?}"
        );
        assert!(found.iter().all(|d| !d.is_error()), "{found:?}");
    }

    #[test]
    fn examples_match_their_schema() {
        let flow = with_data(json!({
            "ok": {"type": "array", "items": {"type": "object", "properties": {"id": {"type": "string"}}}, "__example__": [{"id": "1"}]},
            "count": {"type": "integer", "__example__": 1.5},
            "list": {"type": "array", "items": {"type": "object", "properties": {"id": {"type": "string"}}, "required": ["id"]},
                     "__example__": [{"id": "1"}, {"id": 2}]},
            "size": {"type": "string", "enum": ["S", "M"], "__example__": "L"},
            "user": {"type": "object", "required": ["name"], "__example__": {}}
        }));
        expect(
            check,
            &flow,
            &[
                (Code::InvalidScreenData, "/screens/0/data/count/__example__"),
                (Code::InvalidScreenData, "/screens/0/data/list/__example__"),
                (Code::InvalidScreenData, "/screens/0/data/size/__example__"),
                (Code::InvalidScreenData, "/screens/0/data/user/__example__"),
            ],
        );
    }
}
