//! §6.1: a string that mixes words and `${data.x}` is shown literally by WhatsApp: the value is
//! never filled in, and Meta does not say so. A warning, with the nested expression that does
//! what was meant (6.0+). Also: a `${…}` that is no valid binding. (RichText, where Meta
//! rejects it, has its own rule.)
use super::super::context::Flow;

#[cfg(all(test, not(target_arch = "wasm32")))]
use super::super::sources::{Code, Ours, Report, warning};
use super::super::strings;
use crate::diagnostic::{DataProblem, Diagnostic};
use crate::expression::{self, Dynamic};
use crate::version::Feature;

/// What this rule reports, and on whose authority (`validate/sources.rs`).
#[cfg(all(test, not(target_arch = "wasm32")))]
pub(super) const REPORTS: &[Report] = &[
    warning(
        "Data::MixedBinding",
        Code::InvalidTextDynamicData,
        "text mixed with `${…}` is shown as written, not filled in",
        &[Ours(
            "WhatsApp shows it literally and Meta does not say so; the nested expression that does it is suggested",
        )],
    ),
    warning(
        "Data::InvalidBinding",
        Code::PatternMismatch,
        "`${…}` that is no binding",
        &[Ours("shown as written")],
    ),
];

pub(super) fn check(flow: &Flow<'_>, out: &mut Vec<Diagnostic>) {
    let expressions = flow.version.supports(Feature::NestedExpressions);
    strings::each(flow, &mut |string| {
        if !string.is_dynamic() || string.component.is_some_and(|component| component.name == "RichText") {
            return;
        }
        if string.component.is_some_and(|component| component.name == "If") {
            return; // Conditions are expressions: the If rule checks them.
        }
        match expression::classify(string.text) {
            Dynamic::Interpolated => out.push(Diagnostic::warning(
                flow.pointer(&string.at),
                DataProblem::MixedBinding {
                    property: string.property_name().to_owned(),
                    suggestion: expressions.then(|| suggestion(string.text)),
                    rich_text: false,
                },
            )),
            Dynamic::InvalidBinding => {
                out.push(Diagnostic::warning(
                    flow.pointer(&string.at),
                    DataProblem::InvalidBinding { text: string.text.to_owned() },
                ));
            }
            _ => {}
        }
    });
}

/// `Hello ${data.name}!` as the nested expression `` `'Hello ' ${data.name} '!'` ``.
pub(crate) fn suggestion(text: &str) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut rest = text;
    let quote = |literal: &str| format!("'{}'", literal.replace('\\', "\\\\").replace('\'', "\\'"));
    while let Some(start) = rest.find("${") {
        let binding_end = rest.get(start..).and_then(|tail| tail.find('}')).map(|end| start + end + 1);
        let Some(end) =
            binding_end.filter(|end| rest.get(start..*end).and_then(expression::parse_binding).is_some())
        else {
            break;
        };
        if let Some(literal) = rest.get(..start).filter(|literal| !literal.is_empty()) {
            parts.push(quote(literal));
        }
        parts.push(rest.get(start..end).unwrap_or_default().to_owned());
        rest = rest.get(end..).unwrap_or_default();
    }
    if !rest.is_empty() {
        parts.push(quote(rest));
    }
    format!("`{}`", parts.join(" "))
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{C0, C1, expect, screen};
    use super::*;
    use crate::diagnostic::Code;
    use serde_json::json;

    #[test]
    fn mixed_text_is_a_warning_with_a_rewrite() {
        let flow = screen(
            "7.3",
            json!([{"type": "TextBody", "text": "Hello ${data.name}, welcome!"},
                   {"type": "TextHeading", "text": "${data.}"},
                   {"type": "TextBody", "text": "Costs ${5}"}]),
        );
        expect(
            check,
            &flow,
            &[
                (Code::InvalidTextDynamicData, &format!("{C0}/text")),
                (Code::PatternMismatch, &format!("{C1}/text")),
            ],
        );
        assert_eq!(
            suggestion("Hello ${data.name}, it's ${form.day}"),
            "`'Hello ' ${data.name} ', it\\'s ' ${form.day}`"
        );
        assert_eq!(suggestion("${data.a}${data.b}"), "`${data.a} ${data.b}`");
    }
}
