//! §5.1 (6.0+): `update_data` keys exist in the current screen's data model, and a key is not
//! set to its own value.
use serde_json::Value;

use super::super::context::Flow;
use crate::model::key;

#[cfg(all(test, not(target_arch = "wasm32")))]
use super::super::sources::{Builder, Code, Docs, Page, Report, error};
use crate::catalog::ActionName;
use crate::diagnostic::{ActionProblem, Diagnostic};
use crate::expression::{self, Dynamic, Source};
use crate::json::pointer;

/// What this rule reports, and on whose authority (`validate/sources.rs`).
#[cfg(all(test, not(target_arch = "wasm32")))]
pub(super) const REPORTS: &[Report] = &[
    error(
        "Action::UpdateDataNoDataModel",
        Code::InvalidUpdateDataActionPayload,
        "update_data on a screen with a data model",
        &[
            Docs(Page::ErrorCodes, "No data model is defined in the screen '…'"),
            Builder("WAFlowJSONValidatorChainV600: update_data"),
        ],
    ),
    error(
        "Action::UpdateDataUnknownFields",
        Code::InvalidUpdateDataActionPayload,
        "update_data keys are declared by the screen's data model",
        &[Docs(Page::FlowJson, "update_data action"), Builder("WAFlowJSONValidatorChainV600: update_data")],
    ),
    error(
        "Action::UpdateDataSelf",
        Code::InvalidUpdateDataActionPayload,
        "no key set to its own value",
        &[Builder("WAFlowJSONValidatorChainV600: self-update")],
    ),
];

pub(super) fn check(flow: &Flow<'_>, out: &mut Vec<Diagnostic>) {
    for action in flow.actions.iter().filter(|action| action.name == Some(ActionName::UpdateData)) {
        let Some(screen) = flow.screens.get(action.screen) else { continue };
        let Some(payload) = action.payload() else { continue };
        let at = pointer::join(&action.pointer, key::PAYLOAD);
        let Some(data) = screen.data else {
            out.push(Diagnostic::error(at, ActionProblem::UpdateDataNoDataModel { screen: screen.label() }));
            continue;
        };
        let unknown: Vec<String> =
            payload.keys().filter(|key| !data.contains_key(key.as_str())).cloned().collect();
        if !unknown.is_empty() {
            out.push(Diagnostic::error(
                at.clone(),
                ActionProblem::UpdateDataUnknownFields { screen: screen.label(), fields: unknown },
            ));
        }
        for (key, value) in payload {
            if let Value::String(text) = value
                && let Dynamic::Binding(reference) = expression::classify(text)
                && reference.screen.is_none()
                && reference.source == Source::Data
                && reference.path == key
            {
                out.push(Diagnostic::error(pointer::join(&at, key), ActionProblem::UpdateDataSelf));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{C0, expect, screen};
    use super::*;
    use crate::diagnostic::Code;
    use serde_json::json;

    fn flow(data: Option<Value>, payload: Value) -> Value {
        let mut flow = screen(
            "7.3",
            json!([{"type": "OptIn", "name": "o", "label": "O", "on-select-action": {"name": "update_data", "payload": payload}}]),
        );
        if let Some(data) = data {
            flow["screens"][0]["data"] = data;
        }
        flow
    }

    #[test]
    fn keys_of_the_current_data_model_not_set_to_themselves() {
        let at = format!("{C0}/on-select-action/payload");
        expect(check, &flow(None, json!({"a": true})), &[(Code::InvalidUpdateDataActionPayload, &at)]);
        let data = json!({"a": {"type": "boolean", "__example__": true}});
        expect(
            check,
            &flow(Some(data.clone()), json!({"a": false, "b": 1})),
            &[(Code::InvalidUpdateDataActionPayload, &at)],
        );
        expect(
            check,
            &flow(Some(data), json!({"a": "${data.a}"})),
            &[(Code::InvalidUpdateDataActionPayload, &format!("{at}/a"))],
        );
    }
}
