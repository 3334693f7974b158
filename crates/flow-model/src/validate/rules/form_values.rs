//! §3.2: a Form's `init-values` never set a media picker; from 7.0 each `init-values` and
//! `error-messages` key names an input of the Form, and each initial value has the type of
//! that input's value.
use serde_json::Value;

use super::super::context::{Flow, Names, Node};
use super::super::schema::json_type;
use crate::model::key;

#[cfg(all(test, not(target_arch = "wasm32")))]
use super::super::sources::{Builder, Code, Docs, Page, Report, error};
use crate::catalog::{Category, ValueType};
use crate::diagnostic::{ComponentProblem, Diagnostic, SchemaProblem};
use crate::expression::{self, Dynamic};
use crate::json::pointer;
use crate::version::Feature;

/// What this rule reports, and on whose authority (`validate/sources.rs`).
#[cfg(all(test, not(target_arch = "wasm32")))]
pub(super) const REPORTS: &[Report] = &[
    error(
        "Component::NativeInInitValues",
        Code::NativeComponentInFormInitValues,
        "no media picker in `init-values`",
        &[Docs(Page::ErrorCodes, "NATIVE_COMPONENT_IN_FORM_INIT_VALUES")],
    ),
    error(
        "Component::UnusedFormValue",
        Code::InvalidPropertyValue,
        "`init-values` and `error-messages` keys name inputs of the Form (7.0+)",
        &[
            Docs(Page::Changelog, "7.0: type checking of Form init-values and error-messages"),
            Builder("WAFlowJSONValidatorChainV700"),
        ],
    ),
    error(
        "Schema::WrongType",
        Code::InvalidPropertyType,
        "an initial value has its input's type (7.0+)",
        &[
            Docs(Page::FlowJson, "Form configuration: init-values types"),
            Builder("WAFlowJSONValidatorChainV700"),
        ],
    ),
];

pub(super) fn check(flow: &Flow<'_>, out: &mut Vec<Diagnostic>) {
    let typed = flow.version.supports(Feature::TypedFormValues);
    for screen in &flow.screens {
        for (form_index, form) in screen.components.iter().enumerate().filter(|(_, node)| node.is("Form")) {
            // The Form's components follow it directly (its subtree): scanning them, not the
            // whole screen, keeps many Forms from costing the square of the screen.
            let inputs: Vec<&Node<'_>> = screen
                .components
                .get(form_index + 1..)
                .unwrap_or_default()
                .iter()
                .take_while(|node| node.at.parent.is_some_and(|parent| parent >= form_index))
                .filter(|node| node.spec.is_some_and(|spec| spec.is_input()))
                .collect();
            let names = Names::new(inputs.iter().map(|node| node.name()));
            let find = |name: &str| {
                let position = names.first(name, inputs.iter().map(|node| node.name()));
                position.and_then(|position| inputs.get(position))
            };
            for property in [key::INIT_VALUES, key::ERROR_MESSAGES] {
                let Some(Value::Object(values)) = form.at.component.get(property) else { continue };
                let at = pointer::join(&screen.pointer_of(form), property);
                for (key, value) in values {
                    let key_at = pointer::join(&at, key);
                    let input = find(key);
                    let is_media =
                        input.and_then(|node| node.spec).is_some_and(|spec| spec.category == Category::Media);
                    if property == key::INIT_VALUES && is_media {
                        out.push(Diagnostic::error(
                            key_at,
                            ComponentProblem::NativeInInitValues { name: key.clone() },
                        ));
                        continue;
                    }
                    if !typed {
                        continue;
                    }
                    let Some(input) = input else {
                        out.push(Diagnostic::error(
                            key_at,
                            ComponentProblem::UnusedFormValue { key: key.clone(), property },
                        ));
                        continue;
                    };
                    let is_dynamic = value.as_str().is_some_and(|text| {
                        !matches!(expression::classify(text), Dynamic::Literal | Dynamic::Interpolated)
                    });
                    let expected = if property == key::INIT_VALUES {
                        input.spec.and_then(|spec| spec.value)
                    } else {
                        None
                    };
                    if let Some(expected) = expected
                        && !is_dynamic
                        && !fits(expected, value)
                    {
                        out.push(Diagnostic::error(
                            key_at,
                            SchemaProblem::WrongType {
                                property: key.clone(),
                                expected: type_name(expected),
                                found: json_type(value),
                            },
                        ));
                    }
                }
            }
        }
    }
}

fn fits(expected: ValueType, value: &Value) -> bool {
    match expected {
        ValueType::String | ValueType::Text => value.is_string(),
        ValueType::Number => value.is_number(),
        ValueType::Boolean => value.is_boolean(),
        ValueType::StringArray => value.as_array().is_some_and(|items| items.iter().all(Value::is_string)),
        ValueType::DateOrRange => value.is_string() || value.is_object(),
        ValueType::Media => value.is_array(),
    }
}

fn type_name(expected: ValueType) -> &'static str {
    match expected {
        ValueType::String | ValueType::Text => "string",
        ValueType::Number => "number",
        ValueType::Boolean => "boolean",
        ValueType::StringArray => "array<string>",
        ValueType::DateOrRange => "string or object",
        ValueType::Media => "array",
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{C0, expect, screen};
    use super::*;
    use crate::diagnostic::Code;
    use serde_json::json;

    fn form(init: Value, errors: Value) -> Value {
        json!([{"type": "Form", "name": "f", "init-values": init, "error-messages": errors, "children": [
            {"type": "TextInput", "name": "name", "label": "Name"},
            {"type": "CheckboxGroup", "name": "tags", "label": "Tags", "data-source": []},
            {"type": "PhotoPicker", "name": "photo", "label": "Photo"}
        ]}])
    }

    #[test]
    fn typed_and_known_keys_from_7_0() {
        let flow = screen(
            "7.3",
            form(
                json!({"name": 3, "tags": ["a"], "photo": [], "age": "1"}),
                json!({"name": "Bad", "nick": "x"}),
            ),
        );
        expect(
            check,
            &flow,
            &[
                (Code::InvalidPropertyType, &format!("{C0}/init-values/name")),
                (Code::NativeComponentInFormInitValues, &format!("{C0}/init-values/photo")),
                (Code::InvalidPropertyValue, &format!("{C0}/init-values/age")),
                (Code::InvalidPropertyValue, &format!("{C0}/error-messages/nick")),
            ],
        );
        let older = screen("6.3", form(json!({"name": 3, "photo": [], "age": "1"}), json!({})));
        expect(check, &older, &[(Code::NativeComponentInFormInitValues, &format!("{C0}/init-values/photo"))]);
        let dynamic = screen("7.3", form(json!({"name": "${data.name}", "tags": "${data.tags}"}), json!({})));
        expect(check, &dynamic, &[]);
    }
}
