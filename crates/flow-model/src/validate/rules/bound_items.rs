//! §6.4, §4.3, §4.6: a list of items bound to data (`"data-source": "${data.options}"`, and
//! so NavigationList `list-items` and ImageCarousel `images`) must be declared in the data
//! model as an array whose `items.properties` declare every property the component's items
//! need (`id` and `title`; `id` and `main-content.title`; `src` and `alt-text`), with their
//! types. Meta: "Data model schema is invalid for '…'. Missing schema for …". The `__example__`
//! items should have them too (a warning: Meta checks examples only against the declared
//! schema, but the preview shows examples and the endpoint must send the same shape).
//!
//! Which properties the items need, and their kinds, come from the catalog.
use serde_json::{Map, Value};

use super::super::context::{Flow, Screen, get};
use crate::model::key;

#[cfg(all(test, not(target_arch = "wasm32")))]
use super::super::sources::{Code, Docs, Ours, Page, Report, error, warning};
use super::super::strings::StringAt;
use crate::catalog::{Kind, Property};
use crate::diagnostic::{DataProblem, Diagnostic};
use crate::expression::{self, Dynamic, Reference, Source};
use crate::json::pointer;
use crate::version::Version;

/// What this rule reports, and on whose authority (`validate/sources.rs`).
#[cfg(all(test, not(target_arch = "wasm32")))]
pub(super) const REPORTS: &[Report] = &[
    error(
        "Data::ItemSchemaMissing",
        Code::InvalidScreenDynamicData,
        "a list bound to data declares the item properties the component needs",
        &[Docs(Page::ErrorCodes, "Data model schema is invalid for '…'. Missing schema for …")],
    ),
    warning(
        "Data::ItemSchemaType",
        Code::InvalidScreenDynamicData,
        "those item properties have the types the component needs",
        &[Ours("Meta checks that they are declared, not their types")],
    ),
    warning(
        "Data::ExampleItemIncomplete",
        Code::InvalidScreenData,
        "the `__example__` items have them",
        &[Ours("Meta checks examples only against the declared schema; the preview shows them")],
    ),
];

pub(super) fn check(flow: &Flow<'_>, out: &mut Vec<Diagnostic>) {
    for string in &flow.strings {
        let Some(item) = bound_list(string) else { continue };
        let Dynamic::Binding(reference) = expression::classify(string.text) else { continue };
        if reference.source != Source::Data {
            continue;
        }
        // Unresolved bindings and declarations that are not arrays are the `dynamic_data`
        // rule's; a missing `items` is the `data_model` rule's.
        let Ok(target) = flow.target(string.screen, &reference) else { continue };
        let Ok(Some(schema)) = target.declaration(reference.path) else { continue };
        if get(schema, key::TYPE).and_then(Value::as_str) != Some("array") {
            continue;
        }
        let Some(items) = get(schema, key::ITEMS) else { continue };
        let mut found = Vec::new();
        declared(flow.version, item, items, "", &mut found);
        let text = || reference.text.to_owned();
        for gap in found {
            let problem = match gap {
                Gap::Missing(property) => DataProblem::ItemSchemaMissing { reference: text(), property },
                Gap::Type { property, expected, found } => {
                    DataProblem::ItemSchemaType { reference: text(), property, expected, found }
                }
            };
            // Meta checks that the item properties are declared, not their types: a type that
            // does not fit is ours to warn about.
            let diagnostic = match problem {
                DataProblem::ItemSchemaType { .. } => Diagnostic::warning(flow.pointer(&string.at), problem),
                _ => Diagnostic::error(flow.pointer(&string.at), problem),
            };
            out.push(diagnostic);
        }
        examples(flow, string, target, &reference, item, out);
    }
}

/// The properties of the items of the list `string` is the whole value of, when it is one.
fn bound_list(string: &StringAt<'_>) -> Option<&'static [Property]> {
    if !string.whole {
        return None;
    }
    match string.property?.kind {
        Kind::List(Kind::Object(item)) => Some(item),
        _ => None,
    }
}

/// The JSON Schema type a value of `kind` has, for the kinds items' required properties have.
fn schema_type(kind: &Kind) -> Option<&'static str> {
    match kind {
        Kind::String(_) | Kind::Enum(_) => Some("string"),
        Kind::Boolean => Some("boolean"),
        Kind::Number => Some("number"),
        Kind::Integer => Some("integer"),
        Kind::List(_) => Some("array"),
        Kind::Object(_) => Some("object"),
        _ => None,
    }
}

/// What an item schema lacks.
enum Gap {
    /// A property the items need is not declared (its dotted path).
    Missing(String),
    /// It is declared with another type.
    Type { property: String, expected: &'static str, found: String },
}

/// The properties items need in `version`.
fn needed_in(version: Version, properties: &'static [Property]) -> impl Iterator<Item = &'static Property> {
    properties.iter().filter(move |property| property.is_required(version) && property.is_available(version))
}

/// `prefix.name`, or `name` at the top.
fn dotted(prefix: &str, name: &str) -> String {
    if prefix.is_empty() { name.to_owned() } else { format!("{prefix}.{name}") }
}

/// Collects what `schema` (an item schema, at dotted `prefix` in the items) lacks of the
/// properties the items need.
fn declared(version: Version, needed: &'static [Property], schema: &Value, prefix: &str, out: &mut Vec<Gap>) {
    let properties = get(schema, key::PROPERTIES);
    for property in needed_in(version, needed) {
        let path = || dotted(prefix, property.name);
        let Some(declaration) = properties.and_then(|properties| get(properties, property.name)) else {
            out.push(Gap::Missing(path()));
            continue;
        };
        let Some(expected) = schema_type(&property.kind) else { continue };
        let found = get(declaration, key::TYPE).and_then(Value::as_str);
        // An integer is a number; anything else must be the type itself.
        let fits =
            found.is_none_or(|found| found == expected || (expected == "number" && found == "integer"));
        if !fits {
            out.push(Gap::Type { property: path(), expected, found: found.unwrap_or_default().to_owned() });
        } else if let Kind::Object(inner) = property.kind {
            declared(version, inner, declaration, &path(), out);
        }
    }
}

/// Warns about `__example__` items of the bound field that lack a property the items need.
fn examples(
    flow: &Flow<'_>,
    string: &StringAt<'_>,
    target: &Screen<'_>,
    reference: &Reference<'_>,
    needed: &'static [Property],
    out: &mut Vec<Diagnostic>,
) {
    let Some(data) = target.data else { return };
    let mut segments = reference.segments();
    let Some(field) = segments.next() else { return };
    let Some(mut example) = data.get(field).and_then(|schema| get(schema, key::EXAMPLE)) else { return };
    let mut at =
        pointer::join(&pointer::join(&pointer::join(&target.pointer, key::DATA), field), key::EXAMPLE);
    for segment in segments {
        let Some(inner) = get(example, segment) else { return };
        example = inner;
        at = pointer::join(&at, segment);
    }
    let Value::Array(items) = example else { return };
    let component = string.component.map_or("the component", |component| component.name);
    for (index, item) in items.iter().enumerate() {
        // Items of another type are the `data_model` rule's (the example against its schema).
        let Value::Object(item) = item else { continue };
        if let Some(property) = missing(flow.version, needed, item) {
            out.push(Diagnostic::warning(
                pointer::join(&at, index),
                DataProblem::ExampleItemIncomplete {
                    reference: reference.text.to_owned(),
                    component,
                    property,
                },
            ));
        }
    }
}

/// The dotted path of the first property the items need that `item` lacks.
fn missing(version: Version, needed: &'static [Property], item: &Map<String, Value>) -> Option<String> {
    needed_in(version, needed).find_map(|property| match (item.get(property.name), property.kind) {
        (None, _) => Some(property.name.to_owned()),
        (Some(Value::Object(inner)), Kind::Object(properties)) => {
            missing(version, properties, inner).map(|path| dotted(property.name, &path))
        }
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{C1, expect};
    use super::*;
    use crate::diagnostic::Code;
    use serde_json::json;

    fn flow(data: Value, children: Value) -> Value {
        json!({"version": "7.3", "screens": [{"id": "A", "title": "A", "terminal": true, "data": data,
            "layout": {"type": "SingleColumnLayout", "children": children}}]})
    }

    #[test]
    fn bound_items_declare_what_the_component_needs() {
        let flow = flow(
            json!({
                "ok": {"type": "array", "items": {"type": "object", "properties": {
                    "id": {"type": "string"}, "title": {"type": "string"}}}, "__example__": [{"id": "a", "title": "A"}]},
                "no_title": {"type": "array", "items": {"type": "object", "properties": {
                    "id": {"type": "integer"}}}, "__example__": []},
                "strings": {"type": "array", "items": {"type": "string"}, "__example__": ["a"]},
                "places": {"type": "array", "items": {"type": "object", "properties": {
                    "id": {"type": "string"}, "main-content": {"type": "object", "properties": {}}}}, "__example__": []}
            }),
            json!([{"type": "Dropdown", "name": "a", "label": "A", "data-source": "${data.ok}"},
                   {"type": "RadioButtonsGroup", "name": "b", "label": "B", "data-source": "${data.no_title}"},
                   {"type": "ChipsSelector", "name": "c", "label": "C", "data-source": "${data.strings}"},
                   {"type": "NavigationList", "name": "d", "list-items": "${data.places}"}]),
        );
        expect(
            check,
            &flow,
            &[
                (Code::InvalidScreenDynamicData, &format!("{C1}/data-source")),
                (Code::InvalidScreenDynamicData, &format!("{C1}/data-source")),
                (Code::InvalidScreenDynamicData, "/screens/0/layout/children/2/data-source"),
                (Code::InvalidScreenDynamicData, "/screens/0/layout/children/2/data-source"),
                (Code::InvalidScreenDynamicData, "/screens/0/layout/children/3/list-items"),
            ],
        );
    }

    #[test]
    fn example_items_have_what_the_component_needs() {
        let flow = flow(
            json!({"options": {"type": "array", "items": {"type": "object", "properties": {
                "id": {"type": "string"}, "title": {"type": "string"}}},
                "__example__": [{"id": "a", "title": "A"}, {"id": "b", "name": "B"}]}}),
            json!([{"type": "CheckboxGroup", "name": "a", "label": "A", "data-source": "${data.options}"},
                   {"type": "Dropdown", "name": "b", "label": "B", "data-source": "${data.missing}"}]),
        );
        expect(check, &flow, &[(Code::InvalidScreenData, "/screens/0/data/options/__example__/1")]);
    }
}
