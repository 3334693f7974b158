//! §4.2 (6.2+): a TextInput `pattern` is a valid JavaScript regular expression, applies only to
//! input types text, number, password and passcode, and needs a `helper-text` that tells the
//! user what the pattern expects.
use serde_json::Value;

use super::super::context::{Flow, member};
use crate::catalog::prop;

#[cfg(all(test, not(target_arch = "wasm32")))]
use super::super::sources::{Builder, Code, Docs, Page, Report, error};
use crate::diagnostic::{ComponentProblem, Diagnostic, SchemaProblem};
use crate::expression::{self, Dynamic};
use crate::json::pointer;

/// What this rule reports, and on whose authority (`validate/sources.rs`).
#[cfg(all(test, not(target_arch = "wasm32")))]
pub(super) const REPORTS: &[Report] = &[
    error(
        "Schema::InvalidRegex",
        Code::InvalidPropertyValueFormat,
        "`pattern` is a JavaScript regular expression (6.2+)",
        &[Docs(Page::Components, "TextInput: pattern"), Builder("the TextInput schema: regex format")],
    ),
    error(
        "Component::PatternInputType",
        Code::InvalidPropertyValue,
        "`pattern` only with input types text, number, password, passcode",
        &[Docs(Page::Components, "TextInput: pattern")],
    ),
    error(
        "Schema::MissingProperty",
        Code::MissingRequiredProperty,
        "`pattern` needs `helper-text`",
        &[
            Docs(Page::Components, "TextInput: helper-text is mandatory with pattern"),
            Builder("WAFlowJSONValidatorChainV602: pattern needs helper-text"),
        ],
    ),
];

/// The input types a pattern applies to.
pub(crate) const PATTERN_INPUT_TYPES: &[&str] = &["text", "number", "password", "passcode"];

pub(super) fn check(flow: &Flow<'_>, out: &mut Vec<Diagnostic>) {
    for screen in &flow.screens {
        for node in screen.components.iter().filter(|node| node.is("TextInput")) {
            let component = node.at.component;
            let Some(Value::String(pattern)) = member(component, prop::PATTERN) else { continue };
            if node.spec.and_then(|spec| spec.property(prop::PATTERN, flow.version)).is_none() {
                continue; // Before 6.2: the unknown-property rule says so.
            }
            let at = pointer::join(&screen.pointer_of(node), prop::PATTERN);
            let literal =
                !matches!(expression::classify(pattern), Dynamic::Binding(_) | Dynamic::Expression(_));
            if literal && let Some(Err(reason)) = crate::regex::check(pattern) {
                out.push(Diagnostic::error(at.clone(), SchemaProblem::InvalidRegex { reason }));
            }
            if let Some(Value::String(input_type)) = member(component, prop::INPUT_TYPE)
                && !PATTERN_INPUT_TYPES.contains(&input_type.as_str())
                && !matches!(expression::classify(input_type), Dynamic::Binding(_))
            {
                out.push(Diagnostic::error(
                    at,
                    ComponentProblem::PatternInputType { input_type: input_type.clone() },
                ));
            }
            if member(component, prop::HELPER_TEXT).is_none() {
                out.push(Diagnostic::error(
                    screen.pointer_of(node),
                    SchemaProblem::MissingProperty { property: prop::HELPER_TEXT.into() },
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{C0, C1, expect, screen};
    use super::*;
    use crate::diagnostic::Code;
    use serde_json::json;

    #[test]
    fn pattern_is_a_javascript_regex_with_helper_text() {
        let flow = screen(
            "7.3",
            json!([{"type": "TextInput", "name": "a", "label": "A", "pattern": "^[0-9]{4}(?<year>)$", "helper-text": "4 digits"},
                   {"type": "TextInput", "name": "b", "label": "B", "pattern": "([a-z]", "input-type": "email"},
                   {"type": "TextInput", "name": "c", "label": "C", "pattern": "\\p{L}+", "helper-text": "letters"}]),
        );
        expect(
            check,
            &flow,
            &[
                (Code::InvalidPropertyValueFormat, &format!("{C1}/pattern")),
                (Code::InvalidPropertyValue, &format!("{C1}/pattern")),
                (Code::MissingRequiredProperty, C1),
            ],
        );
        let _ = C0;
    }
}
