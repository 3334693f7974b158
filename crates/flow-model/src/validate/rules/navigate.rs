//! §5.1: a navigate action goes to an existing screen other than its own, and its payload gives
//! exactly the fields the next screen's data model declares, with their types. Meta checks the
//! payload in 5.x and again from 7.3; in between a mismatch is a warning (the values are lost or
//! missing at run time all the same).
use serde_json::{Map, Value};

use super::super::context::{Flow, Resolved};
use super::super::schema::json_type;
use crate::model::key;

#[cfg(all(test, not(target_arch = "wasm32")))]
use super::super::sources::{Builder, Code, Docs, Ours, Page, Report, error, warning};
use crate::catalog::ActionName;
use crate::diagnostic::{ActionProblem, Diagnostic, Severity};
use crate::expression::{self, Dynamic, Type};
use crate::json::pointer;
use crate::version::Feature;

/// What this rule reports, and on whose authority (`validate/sources.rs`).
#[cfg(all(test, not(target_arch = "wasm32")))]
pub(super) const REPORTS: &[Report] = &[
    error(
        "Action::UnknownNextScreen",
        Code::InvalidNavigateActionNextScreenName,
        "navigate goes to an existing screen",
        &[Docs(Page::ErrorCodes, "Unknown screen ids found")],
    ),
    error(
        "Action::SameScreenNavigation",
        Code::InvalidNavigateActionNextScreenName,
        "navigate leaves its screen",
        &[
            Docs(Page::ErrorCodes, "Same screen navigation is not allowed"),
            Docs(Page::FlowJson, "Routing rules: route cannot be the current screen"),
        ],
    ),
    error(
        "Action::PayloadFieldsNotInDataModel",
        Code::InvalidNavigateActionPayload,
        "the payload gives only fields the next screen declares (5.x and 7.3+)",
        &[Builder("WAFlowJSONValidatorChainV500 and V703: navigate payload fields")],
    ),
    error(
        "Action::DataModelFieldsNotInPayload",
        Code::InvalidNavigateActionPayload,
        "the payload gives every field the next screen declares (5.x and 7.3+)",
        &[Builder("WAFlowJSONValidatorChainV500 and V703: navigate payload fields")],
    ),
    error(
        "Action::MissingNavigatePayload",
        Code::MissingNavigationActionPayload,
        "a payload when the next screen has a data model (5.x and 7.3+)",
        &[Docs(Page::ErrorCodes, "MISSING_NAVIGATION_ACTION_PAYLOAD")],
    ),
    error(
        "Action::NavigatePayloadType",
        Code::InvalidNavigateActionPayload,
        "payload values have the declared types (5.x and 7.3+)",
        &[Docs(Page::ErrorCodes, "INVALID_NAVIGATE_ACTION_PAYLOAD")],
    ),
    warning(
        "Action::PayloadFieldsNotInDataModel",
        Code::InvalidNavigateActionPayload,
        "navigate payload fields the next screen does not declare, 6.0 to 7.2",
        &[Ours("Meta does not check it in these versions; the values are lost all the same")],
    ),
    warning(
        "Action::DataModelFieldsNotInPayload",
        Code::InvalidNavigateActionPayload,
        "declared fields a navigate payload does not give, 6.0 to 7.2",
        &[Ours("Meta does not check it in these versions; the fields are missing all the same")],
    ),
    warning(
        "Action::MissingNavigatePayload",
        Code::MissingNavigationActionPayload,
        "no navigate payload to a screen with a data model, 6.0 to 7.2",
        &[Ours("Meta does not check it in these versions")],
    ),
    warning(
        "Action::NavigatePayloadType",
        Code::InvalidNavigateActionPayload,
        "navigate payload values of another type than declared, 6.0 to 7.2",
        &[Ours("Meta does not check it in these versions")],
    ),
];

pub(super) fn check(flow: &Flow<'_>, out: &mut Vec<Diagnostic>) {
    let severity = if Feature::NavigatePayloadMatchesDataModel.in_version(flow.version) {
        Severity::Error
    } else {
        Severity::Warning
    };
    let push = |out: &mut Vec<Diagnostic>, at: String, problem: ActionProblem| {
        out.push(Diagnostic { severity, pointer: at, span: None, problem: problem.into() });
    };
    for action in flow.actions.iter().filter(|action| action.name == Some(ActionName::Navigate)) {
        let Some(next) = action.next_screen() else { continue };
        let next_at = pointer::join(&pointer::join(&action.pointer, key::NEXT), key::NAME);
        let Some(target) = flow.screen(next) else {
            out.push(Diagnostic::error(next_at, ActionProblem::UnknownNextScreen { id: next.to_owned() }));
            continue;
        };
        let current = flow.screens.get(action.screen);
        if current.and_then(|screen| screen.id) == Some(next) {
            out.push(Diagnostic::error(next_at, ActionProblem::SameScreenNavigation { id: next.to_owned() }));
            continue;
        }
        let empty = Map::new();
        let declared = target.data.unwrap_or(&empty);
        let fields: Vec<&String> = declared.keys().filter(|key| *key != key::REQUIRED).collect();
        let payload_at = pointer::join(&action.pointer, key::PAYLOAD);
        let Some(payload) = action.payload() else {
            if !fields.is_empty() && !action.action.contains_key(key::PAYLOAD) {
                push(
                    out,
                    action.pointer.clone(),
                    ActionProblem::MissingNavigatePayload { screen: next.to_owned() },
                );
            }
            continue;
        };
        let extra: Vec<String> = payload.keys().filter(|key| !fields.contains(key)).cloned().collect();
        if !extra.is_empty() {
            push(out, payload_at.clone(), ActionProblem::PayloadFieldsNotInDataModel { fields: extra });
        }
        let missing: Vec<String> = fields
            .iter()
            .filter(|key| !payload.contains_key(key.as_str()))
            .map(|key| (*key).clone())
            .collect();
        if !missing.is_empty() {
            push(out, payload_at.clone(), ActionProblem::DataModelFieldsNotInPayload { fields: missing });
        }
        for (key, value) in payload {
            let Some(expected) =
                declared.get(key).and_then(|schema| schema.get(key::TYPE)).and_then(Value::as_str)
            else {
                continue;
            };
            let found = match value {
                Value::String(text) => match expression::classify(text) {
                    Dynamic::Binding(reference) => match flow.resolve(action.screen, &reference) {
                        Resolved::Found(Some(found)) => found,
                        Resolved::Input(Type::Unknown) | Resolved::Found(None) => continue,
                        // A TextInput of input type number: a number in expressions, but Meta
                        // does not say what a payload carries; a string field takes it too.
                        Resolved::Input(Type::Number) if expected == "string" => continue,
                        Resolved::Input(ty) => type_name(ty),
                        _ => continue,
                    },
                    Dynamic::Expression(_) => continue,
                    _ => "string",
                },
                other => json_type(other),
            };
            let fits = found == expected
                || (expected == "number" && found == "integer")
                || (expected == "integer"
                    && found == "number"
                    && value.as_f64().is_some_and(|n| n.fract() == 0.0));
            if !fits {
                push(
                    out,
                    pointer::join(&payload_at, key),
                    ActionProblem::NavigatePayloadType {
                        field: key.clone(),
                        expected: expected.to_owned(),
                        found: found.to_owned(),
                    },
                );
            }
        }
    }
}

fn type_name(ty: Type) -> &'static str {
    match ty {
        Type::String => "string",
        Type::Number => "number",
        Type::Boolean => "boolean",
        Type::Array => "array",
        Type::Object => "object",
        Type::Unknown => "unknown",
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{C0, expect, run};
    use super::*;
    use crate::diagnostic::Code;
    use serde_json::json;

    fn flow(version: &str, action: Value) -> Value {
        json!({"version": version, "screens": [
            {"id": "A", "layout": {"children": [
                {"type": "TextInput", "name": "age", "label": "Age"},
                {"type": "Footer", "label": "Go", "on-click-action": action}]}},
            {"id": "B", "data": {"name": {"type": "string", "__example__": "x"}, "count": {"type": "number", "__example__": 1}}}
        ]})
    }

    #[test]
    fn target_exists_and_is_another_screen() {
        let at = "/screens/0/layout/children/1/on-click-action/next/name";
        let unknown = flow("7.3", json!({"name": "navigate", "next": {"type": "screen", "name": "Z"}}));
        expect(check, &unknown, &[(Code::InvalidNavigateActionNextScreenName, at)]);
        let same = flow("7.3", json!({"name": "navigate", "next": {"type": "screen", "name": "A"}}));
        expect(check, &same, &[(Code::InvalidNavigateActionNextScreenName, at)]);
        let _ = C0;
    }

    #[test]
    fn payload_matches_the_next_data_model() {
        let at = "/screens/0/layout/children/1/on-click-action";
        let none = flow("7.3", json!({"name": "navigate", "next": {"type": "screen", "name": "B"}}));
        expect(check, &none, &[(Code::MissingNavigationActionPayload, at)]);
        let wrong = flow(
            "7.3",
            json!({"name": "navigate", "next": {"type": "screen", "name": "B"}, "payload": {"name": 3, "extra": "x"}}),
        );
        expect(
            check,
            &wrong,
            &[
                (Code::InvalidNavigateActionPayload, &format!("{at}/payload")),
                (Code::InvalidNavigateActionPayload, &format!("{at}/payload")),
                (Code::InvalidNavigateActionPayload, &format!("{at}/payload/name")),
            ],
        );
        let typed = flow(
            "7.3",
            json!({"name": "navigate", "next": {"type": "screen", "name": "B"}, "payload": {"name": "${form.age}", "count": "${form.age}"}}),
        );
        expect(check, &typed, &[(Code::InvalidNavigateActionPayload, &format!("{at}/payload/count"))]);
        // 6.0 to 7.2: warnings.
        let found = Flow::new(none.as_object().unwrap()).version;
        assert_eq!(found, crate::Version::V7_3);
        let lenient = flow("7.2", json!({"name": "navigate", "next": {"type": "screen", "name": "B"}}));
        assert_eq!(run(check, &lenient).len(), 1);
        let root = lenient.as_object().unwrap();
        let mut out = Vec::new();
        check(&Flow::new(root), &mut out);
        assert_eq!(out[0].severity, Severity::Warning);
    }
}
