//! §4.7: a Switch reads a binding, has at least one case, case keys match Meta's pattern,
//! each case is a list of components, and a Footer in one case needs one in every case.
use serde_json::Value;

use super::super::context::Flow;
use super::super::schema::json_type;
use crate::model::key;

#[cfg(all(test, not(target_arch = "wasm32")))]
use super::super::sources::{Builder, Code, Docs, Page, Report, error};
use crate::diagnostic::{ComponentProblem, Diagnostic, SchemaProblem};
use crate::expression::{self, Dynamic};
use crate::json::pointer;
use crate::walk::Place;

/// What this rule reports, and on whose authority (`validate/sources.rs`).
#[cfg(all(test, not(target_arch = "wasm32")))]
pub(super) const REPORTS: &[Report] = &[
    error(
        "Schema::BindingRequired",
        Code::PatternMismatch,
        "`value` is a binding",
        &[Docs(Page::Components, "Switch: value is a variable")],
    ),
    error(
        "Component::EmptySwitchCases",
        Code::EmptySwitchCases,
        "at least one case",
        &[Docs(Page::Components, "Switch, \"Cases\"")],
    ),
    error(
        "Schema::PatternMismatch",
        Code::PatternMismatch,
        "case keys match `^[a-zA-Z][a-zA-Z0-9-_]*$`",
        &[Builder("WAFlowJSONSwitchComponentSchema: case key pattern")],
    ),
    error(
        "Schema::WrongType",
        Code::InvalidPropertyType,
        "each case is a list of components",
        &[Docs(Page::Components, "Switch: cases is a map of arrays of components")],
    ),
    error(
        "Component::FooterInSwitchCases",
        Code::MissingFooterInSwitchBranches,
        "a Footer in one case needs one in every case",
        &[Docs(Page::ErrorCodes, "MISSING_FOOTER_IN_SWITCH_BRANCHES")],
    ),
];

/// Meta's pattern for case keys (Appendix A).
pub(crate) const CASE_KEY_PATTERN: &str = "^[a-zA-Z][a-zA-Z0-9-_]*$";

fn is_case_key(key: &str) -> bool {
    let mut bytes = key.bytes();
    bytes.next().is_some_and(|first| first.is_ascii_alphabetic())
        && bytes.all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

pub(super) fn check(flow: &Flow<'_>, out: &mut Vec<Diagnostic>) {
    for screen in &flow.screens {
        for (index, node) in screen.components.iter().enumerate() {
            if !node.is("Switch") {
                continue;
            }
            if let Some(Value::String(value)) = node.at.component.get(key::VALUE)
                && !matches!(expression::classify(value), Dynamic::Binding(_))
            {
                out.push(Diagnostic::error(
                    pointer::join(&screen.pointer_of(node), key::VALUE),
                    SchemaProblem::BindingRequired { property: key::VALUE.into() },
                ));
            }
            let Some(Value::Object(cases)) = node.at.component.get(key::CASES) else { continue };
            let at = pointer::join(&screen.pointer_of(node), key::CASES);
            if cases.is_empty() {
                out.push(Diagnostic::error(at.clone(), ComponentProblem::EmptySwitchCases));
            }
            for (key, case) in cases {
                let case_at = pointer::join(&at, key);
                if !is_case_key(key) {
                    out.push(Diagnostic::error(
                        case_at.clone(),
                        SchemaProblem::PatternMismatch { property: key.clone(), pattern: CASE_KEY_PATTERN },
                    ));
                }
                if !case.is_array() {
                    out.push(Diagnostic::error(
                        case_at,
                        SchemaProblem::WrongType {
                            property: key.clone(),
                            expected: "array",
                            found: json_type(case),
                        },
                    ));
                }
            }
            let with_footer = |key: &str| {
                screen
                    .children(index)
                    .any(|child| child.at.place == Place::SwitchCase(key) && child.is("Footer"))
            };
            let footers = cases.keys().filter(|key| with_footer(key)).count();
            if footers > 0 && footers < cases.len() {
                out.push(Diagnostic::error(at, ComponentProblem::FooterInSwitchCases));
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

    #[test]
    fn value_cases_keys_and_footers() {
        let flow = screen(
            "7.3",
            json!([{"type": "Switch", "value": "plain", "cases": {}},
                   {"type": "Switch", "value": "${data.x}", "cases": {"1a": [], "ok": [{"type": "Footer"}], "b": 3}}]),
        );
        expect(
            check,
            &flow,
            &[
                (Code::PatternMismatch, &format!("{C0}/value")),
                (Code::EmptySwitchCases, &format!("{C0}/cases")),
                (Code::PatternMismatch, "/screens/0/layout/children/1/cases/1a"),
                (Code::InvalidPropertyType, "/screens/0/layout/children/1/cases/b"),
                (Code::MissingFooterInSwitchBranches, "/screens/0/layout/children/1/cases"),
            ],
        );
    }
}
