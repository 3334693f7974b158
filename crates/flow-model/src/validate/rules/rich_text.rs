//! §3.1, §4.1: RichText is alone on its screen (6.3+: or with a Footer), and its static
//! (a Form around it is the placement rule's to report)
//! text does not mix literal text with `${…}` (Meta rejects string interpolation there).
use serde_json::Value;

use super::super::context::Flow;
use crate::catalog::prop;

#[cfg(all(test, not(target_arch = "wasm32")))]
use super::super::sources::{Builder, Code, Docs, Page, Report, error};
use crate::diagnostic::{ComponentProblem, DataProblem, Diagnostic};
use crate::expression::{self, Dynamic};
use crate::json::pointer;
use crate::version::{Feature, Version};

/// What this rule reports, and on whose authority (`validate/sources.rs`).
#[cfg(all(test, not(target_arch = "wasm32")))]
pub(super) const REPORTS: &[Report] = &[
    error(
        "Component::RichTextPlacement",
        Code::InvalidComponentPlacement,
        "RichText alone on its screen (6.3+: or with a Footer)",
        &[
            Docs(Page::Components, "Rich Text"),
            Docs(Page::Changelog, "6.3: RichText with a Footer"),
            Builder("WAFlowJSON…ComponentPlacementValidatorV600, V602, V603"),
        ],
    ),
    error(
        "Component::RichTextPlacement",
        Code::InvalidRichtextPlacement,
        "the same before 6.0, under the code Meta used then",
        &[Docs(Page::ErrorCodes, "INVALID_RICHTEXT_PLACEMENT")],
    ),
    error(
        "Data::MixedBinding",
        Code::InvalidTextDynamicData,
        "RichText does not mix text with `${…}`",
        &[Docs(Page::ErrorCodes, "String interpolation is not supported by RichText")],
    ),
];

pub(super) fn check(flow: &Flow<'_>, out: &mut Vec<Diagnostic>) {
    let footer_allowed = flow.version.supports(Feature::RichTextWithFooter);
    let legacy = flow.version < Version::V6_0;
    for screen in &flow.screens {
        let Some(rich_text) = screen.components.iter().find(|node| node.is("RichText")) else { continue };
        let others = screen
            .components
            .iter()
            .any(|node| !(node.is("RichText") || node.is("Form") || footer_allowed && node.is("Footer")))
            || screen.components.iter().filter(|node| node.is("RichText")).count() > 1;
        if others {
            out.push(Diagnostic::error(
                screen.pointer_of(rich_text),
                ComponentProblem::RichTextPlacement { footer_allowed, legacy },
            ));
        }
        for node in screen.components.iter().filter(|node| node.is("RichText")) {
            let at = pointer::join(&screen.pointer_of(node), prop::TEXT);
            let mixed = |text: &str| matches!(expression::classify(text), Dynamic::Interpolated);
            match node.at.component.get(prop::TEXT) {
                Some(Value::String(text)) if mixed(text) => out.push(mixed_error(at)),
                Some(Value::Array(lines)) => {
                    for (index, line) in lines.iter().enumerate() {
                        // Static lines may not hold bindings at all.
                        if line.as_str().is_some_and(expression::contains_binding) {
                            out.push(mixed_error(pointer::join(&at, index)));
                        }
                    }
                }
                _ => {}
            }
        }
    }
}

fn mixed_error(at: String) -> Diagnostic {
    Diagnostic::error(
        at,
        DataProblem::MixedBinding { property: prop::TEXT.into(), suggestion: None, rich_text: true },
    )
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{C0, expect, footer, screen};
    use super::*;
    use crate::diagnostic::Code;
    use serde_json::json;

    #[test]
    fn alone_or_with_a_footer_by_version() {
        let with_footer = json!([{"type": "RichText", "text": "# Hi"}, footer()]);
        expect(check, &screen("6.3", with_footer.clone()), &[]);
        expect(check, &screen("6.2", with_footer), &[(Code::InvalidComponentPlacement, C0)]);
        let with_text = json!([{"type": "RichText", "text": "# Hi"}, {"type": "TextBody", "text": "x"}]);
        expect(check, &screen("7.3", with_text.clone()), &[(Code::InvalidComponentPlacement, C0)]);
        expect(check, &screen("5.1", with_text), &[(Code::InvalidRichtextPlacement, C0)]);
    }

    #[test]
    fn no_string_interpolation() {
        let flow = screen("7.3", json!([{"type": "RichText", "text": ["# ${data.title}", "plain"]}]));
        expect(check, &flow, &[(Code::InvalidTextDynamicData, &format!("{C0}/text/0"))]);
        let whole = screen("7.3", json!([{"type": "RichText", "text": "${data.markdown}"}]));
        expect(check, &whole, &[]);
        let mixed = screen("7.3", json!([{"type": "RichText", "text": "Hello ${data.name}"}]));
        expect(check, &mixed, &[(Code::InvalidTextDynamicData, &format!("{C0}/text"))]);
    }
}
