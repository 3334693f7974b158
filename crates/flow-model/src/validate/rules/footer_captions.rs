//! §4.6: Footer `left-caption` and `right-caption` go together; `center-caption` goes alone.
use super::super::context::Flow;
use crate::catalog::prop;

#[cfg(all(test, not(target_arch = "wasm32")))]
use super::super::sources::{Builder, Code, Docs, Page, Report, error};
use crate::diagnostic::{ComponentProblem, Diagnostic};
use crate::json::pointer;

/// What this rule reports, and on whose authority (`validate/sources.rs`).
#[cfg(all(test, not(target_arch = "wasm32")))]
pub(super) const REPORTS: &[Report] = &[
    error(
        "Component::CaptionDependency",
        Code::InvalidDependencies,
        "`left-caption` and `right-caption` together",
        &[
            Docs(Page::Components, "Footer"),
            Docs(
                Page::ErrorCodes,
                "Footer should have property left-caption when property right-caption is present",
            ),
        ],
    ),
    error(
        "Component::CenterCaptionExclusive",
        Code::NotKeywordSchemaValidationFailed,
        "`center-caption` alone",
        &[Docs(Page::Components, "Footer"), Builder("WAFlowJSONFooterComponentSchema: not keyword")],
    ),
];

pub(super) fn check(flow: &Flow<'_>, out: &mut Vec<Diagnostic>) {
    for screen in &flow.screens {
        for node in screen.components.iter().filter(|node| node.is("Footer")) {
            let has = |key: &str| node.at.component.contains_key(key);
            for (present, missing) in
                [(prop::LEFT_CAPTION, prop::RIGHT_CAPTION), (prop::RIGHT_CAPTION, prop::LEFT_CAPTION)]
            {
                if has(present) && !has(missing) {
                    out.push(Diagnostic::error(
                        pointer::join(&screen.pointer_of(node), present),
                        ComponentProblem::CaptionDependency { present, missing },
                    ));
                }
            }
            if has(prop::CENTER_CAPTION) && (has(prop::LEFT_CAPTION) || has(prop::RIGHT_CAPTION)) {
                out.push(Diagnostic::error(
                    pointer::join(&screen.pointer_of(node), prop::CENTER_CAPTION),
                    ComponentProblem::CenterCaptionExclusive,
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
    fn captions() {
        let flow = screen(
            "7.3",
            json!([{"type": "Footer", "left-caption": "a"}, {"type": "Footer", "center-caption": "c", "left-caption": "a", "right-caption": "b"}]),
        );
        expect(
            check,
            &flow,
            &[
                (Code::InvalidDependencies, &format!("{C0}/left-caption")),
                (Code::NotKeywordSchemaValidationFailed, &format!("{C1}/center-caption")),
            ],
        );
    }
}
