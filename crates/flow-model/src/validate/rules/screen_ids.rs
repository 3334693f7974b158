//! §2: a screen id is letters and underscores (7.0+: not only underscores; before, Meta's
//! pattern also lets commas through), unique, and not the reserved `SUCCESS` (nor `success`,
//! which Meta's builder checks; another casing is a warning).
use std::collections::HashSet;

use serde_json::Value;

use super::super::context::Flow;
use super::super::schema::json_type;
use crate::model::key;

#[cfg(all(test, not(target_arch = "wasm32")))]
use super::super::sources::{Builder, Code, Docs, Ours, Page, Report, error, warning};
use crate::diagnostic::{Diagnostic, SchemaProblem, ScreenProblem};
use crate::json::pointer;
use crate::version::Feature;

/// What this rule reports, and on whose authority (`validate/sources.rs`).
#[cfg(all(test, not(target_arch = "wasm32")))]
pub(super) const REPORTS: &[Report] = &[
    error(
        "Schema::MissingProperty",
        Code::MissingRequiredProperty,
        "a screen has an `id`",
        &[
            Docs(Page::FlowJson, "Screens: id is required"),
            Builder("WAFlowJSONScreenSchema: the screen object, closed"),
        ],
    ),
    error(
        "Schema::WrongType",
        Code::InvalidPropertyType,
        "`id` is a string",
        &[Builder("WAFlowJSONScreenSchema: the screen object, closed")],
    ),
    error(
        "Screen::ScreenIdPattern",
        Code::PatternMismatch,
        "letters and underscores (7.0+: not only underscores)",
        &[Builder("WAFlowJSONConstants: screen id patterns; WAFlowJSONScreenIDValidatorV500")],
    ),
    error(
        "Screen::ReservedScreenId",
        Code::ScreenIdIsReservedKeyword,
        "not `SUCCESS` (the docs) nor `success` (the builder)",
        &[
            Docs(Page::FlowJson, "Screens: SUCCESS is a reserved keyword"),
            Builder("WAFlowJSONScreenIDValidatorV500: \"success\" is reserved"),
        ],
    ),
    warning(
        "Screen::ReservedScreenId",
        Code::ScreenIdIsReservedKeyword,
        "another casing of `success`",
        &[Ours(
            "neither Meta source names it, but the endpoint protocol ends a flow with the screen \"SUCCESS\"",
        )],
    ),
    error(
        "Screen::DuplicateScreenId",
        Code::DuplicateScreenIds,
        "ids are unique",
        &[Docs(Page::ErrorCodes, "DUPLICATE_SCREEN_IDS"), Builder("WAFlowJSONScreenIDValidatorV500")],
    ),
];

/// Whether `id` matches the screen id pattern of a version (Appendix A).
pub(crate) fn is_valid_id(id: &str, strict: bool) -> bool {
    if strict {
        !id.is_empty()
            && id.bytes().all(|b| b.is_ascii_alphabetic() || b == b'_')
            && id.bytes().any(|b| b != b'_')
    } else {
        !id.is_empty() && id.bytes().all(|b| b.is_ascii_alphabetic() || b == b'_' || b == b',')
    }
}

pub(super) fn check(flow: &Flow<'_>, out: &mut Vec<Diagnostic>) {
    let strict = flow.version.supports(Feature::StrictScreenIds);
    let mut seen = HashSet::with_capacity(flow.screens.len());
    for screen in &flow.screens {
        let at = pointer::join(&screen.pointer, key::ID);
        match screen.object.get(key::ID) {
            None => out.push(Diagnostic::error(
                screen.pointer.clone(),
                SchemaProblem::MissingProperty { property: key::ID.into() },
            )),
            Some(Value::String(id)) => {
                // Meta's docs reserve `SUCCESS`, its builder checks `success`; another casing is
                // reserved by neither, but an endpoint ends a flow with the screen `SUCCESS`.
                if id == "SUCCESS" || id == "success" {
                    out.push(Diagnostic::error(at, ScreenProblem::ReservedScreenId { id: id.clone() }));
                } else if id.eq_ignore_ascii_case("success") {
                    out.push(Diagnostic::warning(at, ScreenProblem::ReservedScreenId { id: id.clone() }));
                } else if !is_valid_id(id, strict) {
                    out.push(Diagnostic::error(
                        at,
                        ScreenProblem::ScreenIdPattern { id: id.clone(), strict },
                    ));
                } else if !seen.insert(id.as_str()) {
                    out.push(Diagnostic::error(at, ScreenProblem::DuplicateScreenId { id: id.clone() }));
                }
            }
            Some(other) => out.push(Diagnostic::error(
                at,
                SchemaProblem::WrongType {
                    property: key::ID.into(),
                    expected: "string",
                    found: json_type(other),
                },
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::expect;
    use super::*;
    use crate::diagnostic::Code;
    use serde_json::json;

    fn ids(version: &str, ids: &[Value]) -> Value {
        json!({"version": version, "screens": ids.iter().map(|id| json!({"id": id})).collect::<Vec<_>>()})
    }

    #[test]
    fn patterns_by_version() {
        expect(check, &ids("7.3", &[json!("WELCOME_screen")]), &[]);
        expect(check, &ids("7.3", &[json!("STEP_1")]), &[(Code::PatternMismatch, "/screens/0/id")]);
        expect(check, &ids("7.3", &[json!("___")]), &[(Code::PatternMismatch, "/screens/0/id")]);
        expect(check, &ids("6.3", &[json!("___")]), &[]);
        expect(check, &ids("6.3", &[json!("A,B")]), &[]);
        expect(check, &ids("7.0", &[json!("A,B")]), &[(Code::PatternMismatch, "/screens/0/id")]);
        expect(check, &ids("7.3", &[json!("")]), &[(Code::PatternMismatch, "/screens/0/id")]);
    }

    #[test]
    fn reserved_duplicate_missing_and_mistyped() {
        expect(
            check,
            &ids("7.3", &[json!("SUCCESS")]),
            &[(Code::ScreenIdIsReservedKeyword, "/screens/0/id")],
        );
        expect(
            check,
            &ids("7.3", &[json!("success")]),
            &[(Code::ScreenIdIsReservedKeyword, "/screens/0/id")],
        );
        expect(check, &ids("7.3", &[json!("A"), json!("A")]), &[(Code::DuplicateScreenIds, "/screens/1/id")]);
        expect(check, &ids("7.3", &[json!(1)]), &[(Code::InvalidPropertyType, "/screens/0/id")]);
        expect(check, &json!({"screens": [{}]}), &[(Code::MissingRequiredProperty, "/screens/0")]);
    }
}
