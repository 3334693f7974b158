//! §6.2: nested expressions (6.0+) in component properties and screen titles parse, type-check
//! and give a value of the property's type. Before 6.0 backticks are plain text: a warning.
use super::super::context::Flow;
use super::super::strings;
use crate::catalog::Kind;
use crate::diagnostic::{Diagnostic, Problem};
use crate::expression::{self, Dynamic, ExpressionError, Type};
use crate::version::Feature;

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
                    Problem::ExpressionTooOld { property },
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
        let error = match outcome {
            Err(error) => Some(error),
            Ok(outcome) => expected
                .filter(|expected| outcome.result != *expected && outcome.result != Type::Unknown)
                .map(|expected| ExpressionError::ResultType { expected, found: outcome.result }),
        };
        if let Some(error) = error {
            out.push(Diagnostic::error(flow.pointer(&string.at), Problem::Expression { property, error }));
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
