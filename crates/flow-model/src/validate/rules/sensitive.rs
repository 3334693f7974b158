//! §2 (5.1+): each `sensitive` entry names a component of the same screen.
use serde_json::Value;

use super::super::context::Flow;
use super::super::schema::json_type;
use crate::model::key;

#[cfg(all(test, not(target_arch = "wasm32")))]
use super::super::sources::{Builder, Code, Docs, Page, Report, error};
use crate::diagnostic::{Diagnostic, SchemaProblem, ScreenProblem};
use crate::json::pointer;

/// What this rule reports, and on whose authority (`validate/sources.rs`).
#[cfg(all(test, not(target_arch = "wasm32")))]
pub(super) const REPORTS: &[Report] = &[
    error(
        "Schema::WrongType",
        Code::InvalidPropertyType,
        "`sensitive` is a list of strings",
        &[Builder("WAFlowJSONScreenSchema: the screen object, closed")],
    ),
    error(
        "Screen::InvalidSensitiveField",
        Code::InvalidSensitiveField,
        "each entry names a component of the screen",
        &[
            Docs(Page::FlowJson, "Additional information on sensitive fields"),
            Builder("WAFlowJSONSensitiveFieldsValidatorV501"),
        ],
    ),
];

pub(super) fn check(flow: &Flow<'_>, out: &mut Vec<Diagnostic>) {
    for screen in &flow.screens {
        let Some(sensitive) = screen.object.get(key::SENSITIVE) else { continue };
        let at = pointer::join(&screen.pointer, key::SENSITIVE);
        let Some(entries) = sensitive.as_array() else {
            out.push(Diagnostic::error(
                at,
                SchemaProblem::WrongType {
                    property: key::SENSITIVE.into(),
                    expected: "array",
                    found: json_type(sensitive),
                },
            ));
            continue;
        };
        for (index, entry) in entries.iter().enumerate() {
            let entry_at = pointer::join(&at, index);
            match entry {
                Value::String(name) if screen.named(name).is_some() => {}
                Value::String(name) => {
                    out.push(Diagnostic::error(
                        entry_at,
                        ScreenProblem::InvalidSensitiveField { field: name.clone() },
                    ));
                }
                other => out.push(Diagnostic::error(
                    entry_at,
                    SchemaProblem::WrongType {
                        property: key::SENSITIVE.into(),
                        expected: "string",
                        found: json_type(other),
                    },
                )),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{expect, screen};
    use super::*;
    use crate::diagnostic::Code;
    use serde_json::json;

    #[test]
    fn entries_name_components_of_the_screen() {
        let mut flow = screen("7.3", json!([{"type": "TextInput", "name": "password", "label": "Password"}]));
        flow["screens"][0]["sensitive"] = json!(["password", "pin", 3]);
        expect(
            check,
            &flow,
            &[
                (Code::InvalidSensitiveField, "/screens/0/sensitive/1"),
                (Code::InvalidPropertyType, "/screens/0/sensitive/2"),
            ],
        );
    }
}
