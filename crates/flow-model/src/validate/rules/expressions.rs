//! §6.2: nested expressions (6.0+) in component properties and screen titles parse and
//! type-check; one whose value is not of the property's type is a warning (Meta states that only
//! of If conditions). Before 6.0 backticks are plain text: a warning.
use super::super::context::Flow;

#[cfg(all(test, not(target_arch = "wasm32")))]
use super::super::sources::{Code, Docs, Ours, Page, Report, error, warning};
use super::super::strings;
use crate::catalog::Kind;
use crate::diagnostic::{DataProblem, Diagnostic};
use crate::expression::{self, Dynamic, ExpressionError, Type};
use crate::version::Feature;

/// What this rule reports, and on whose authority (`validate/sources.rs`).
#[cfg(all(test, not(target_arch = "wasm32")))]
pub(super) const REPORTS: &[Report] = &[
    error(
        "Data::Expression",
        Code::InvalidPropertyValue,
        "a nested expression parses and type-checks",
        &[
            Docs(
                Page::FlowJson,
                "Nested Expressions: operators, their types, \"validated during Flow JSON creation time\"",
            ),
            Docs(Page::ErrorCodes, "INVALID_PROPERTY_VALUE: typical expression errors"),
        ],
    ),
    warning(
        "Data::Expression",
        Code::InvalidPropertyValue,
        "a nested expression gives a value of its property's type",
        &[Ours("Meta states it for If conditions only")],
    ),
    warning(
        "Data::ExpressionTooOld",
        Code::InvalidTextDynamicData,
        "backticks before 6.0 are shown as written",
        &[Docs(Page::FlowJson, "Nested Expressions: supported starting with 6.0")],
    ),
];

pub(super) fn check(flow: &Flow<'_>, out: &mut Vec<Diagnostic>) {
    let supported = flow.version.supports(Feature::NestedExpressions);
    strings::each(flow, &mut |string| {
        if !string.is_dynamic() {
            return;
        }
        let Dynamic::Expression(inner) = expression::classify(string.text) else { return };
        let property = string.property_name().to_owned();
        if !supported {
            let text_kind = string
                .property
                .is_none_or(|property| matches!(property.kind, Kind::String(_) | Kind::OneOf(_)));
            if text_kind {
                out.push(Diagnostic::warning(
                    flow.pointer(&string.at),
                    DataProblem::ExpressionTooOld { property },
                ));
            }
            return;
        }
        let outcome = match &string.checked {
            Some(checked) => checked.outcome.clone(),
            None => expression::check(inner, &mut |reference| flow.type_of(string.screen, &reference)),
        };
        let expected = match string.property.map(|property| &property.kind) {
            Some(Kind::Boolean) => Some(Type::Boolean),
            Some(Kind::Number | Kind::Integer) => Some(Type::Number),
            _ => None,
        };
        match outcome {
            Err(error) => {
                out.push(Diagnostic::error(
                    flow.pointer(&string.at),
                    DataProblem::Expression { property, error },
                ));
            }
            // Meta states the result type only of If conditions (their rule): elsewhere a result
            // of another type is ours to warn about.
            Ok(outcome) => {
                if let Some(expected) =
                    expected.filter(|expected| outcome.result != *expected && outcome.result != Type::Unknown)
                {
                    let error = ExpressionError::ResultType { expected, found: outcome.result };
                    out.push(Diagnostic::warning(
                        flow.pointer(&string.at),
                        DataProblem::Expression { property, error },
                    ));
                }
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{C0, C1, expect, screen};
    use super::*;
    use crate::diagnostic::Code;
    use serde_json::json;

    #[test]
    fn expressions_parse_and_fit_their_property() {
        let mut flow = screen(
            "7.3",
            json!([{"type": "TextBody", "text": "`'Hi ' ${data.name}`", "visible": "`${data.age} > 18`"},
                   {"type": "TextBody", "text": "`'Hi ' (${data.name}`", "visible": "`${data.age} + 1`"},
                   {"type": "TextInput", "name": "x", "label": "X", "max-chars": "`${data.age} > 1`"}]),
        );
        flow["screens"][0]["data"] = json!({"name": {"type": "string", "__example__": "a"}, "age": {"type": "number", "__example__": 1}});
        expect(
            check,
            &flow,
            &[
                (Code::InvalidPropertyValue, &format!("{C1}/text")),
                (Code::InvalidPropertyValue, &format!("{C1}/visible")),
                (Code::InvalidPropertyValue, "/screens/0/layout/children/2/max-chars"),
            ],
        );
    }

    #[test]
    fn before_6_0_expressions_are_text() {
        let flow = screen("5.1", json!([{"type": "TextBody", "text": "`'Hi ' ${data.name}`"}]));
        expect(check, &flow, &[(Code::InvalidTextDynamicData, &format!("{C0}/text"))]);
    }
}
