//! §3.2 (4.0+): when a screen has a Form, no input sits outside it, and a Footer outside it
//! does not read `${form.…}`.
use super::super::context::Flow;
use crate::catalog::prop;

#[cfg(all(test, not(target_arch = "wasm32")))]
use super::super::sources::{Code, Docs, Page, Report, error};
use crate::diagnostic::{ComponentProblem, Diagnostic};
use crate::version::Feature;
use serde_json::Value;

/// What this rule reports, and on whose authority (`validate/sources.rs`).
#[cfg(all(test, not(target_arch = "wasm32")))]
pub(super) const REPORTS: &[Report] = &[
    error(
        "Component::ComponentOutsideForm",
        Code::ComponentsOutsideForm,
        "with a Form on the screen, no input outside it (4.0+)",
        &[Docs(Page::ErrorCodes, "COMPONENTS_OUTSIDE_FORM")],
    ),
    error(
        "Component::FooterOutsideFormReadsForm",
        Code::InvalidOnClickActionPayload,
        "a Footer outside the Form does not read `${form.…}`",
        &[Docs(
            Page::ErrorCodes,
            "Footer placed outside Form component is not allowed to reference form data",
        )],
    ),
];

pub(super) fn check(flow: &Flow<'_>, out: &mut Vec<Diagnostic>) {
    if !flow.version.supports(Feature::OptionalForm) {
        return; // Before 4.0 every input is in a Form: the placement rule says so.
    }
    for screen in flow.screens.iter().filter(|screen| screen.has_form()) {
        for node in screen.components.iter().filter(|node| !node.in_form) {
            let Some(component) = node.spec else { continue };
            if component.is_input() {
                out.push(Diagnostic::error(
                    screen.pointer_of(node),
                    ComponentProblem::ComponentOutsideForm { component: component.name.to_owned() },
                ));
            } else if component.name == "Footer"
                && node.at.component.get(prop::ON_CLICK_ACTION).is_some_and(|action| reads_form(action, 0))
            {
                out.push(Diagnostic::error(
                    screen.pointer_of(node),
                    ComponentProblem::FooterOutsideFormReadsForm,
                ));
            }
        }
    }
}

/// Whether a value reads `${form.…}` of the current screen anywhere inside.
fn reads_form(value: &Value, depth: usize) -> bool {
    if depth > crate::json::MAX_DEPTH {
        return false;
    }
    match value {
        Value::String(text) => text.contains("${form."),
        Value::Array(items) => items.iter().any(|item| reads_form(item, depth + 1)),
        Value::Object(map) => map.values().any(|item| reads_form(item, depth + 1)),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{C1, expect, screen};
    use super::*;
    use crate::diagnostic::Code;
    use serde_json::json;

    #[test]
    fn inputs_and_form_reading_footers_stay_inside_the_form() {
        let flow = screen(
            "7.3",
            json!([{"type": "Form", "name": "f", "children": [{"type": "TextInput", "name": "a", "label": "A"}]},
                   {"type": "OptIn", "name": "b", "label": "B"},
                   {"type": "Footer", "label": "Go", "on-click-action": {"name": "complete", "payload": {"a": "${form.a}"}}},
                   {"type": "TextBody", "text": "fine"}]),
        );
        expect(
            check,
            &flow,
            &[
                (Code::ComponentsOutsideForm, C1),
                (Code::InvalidOnClickActionPayload, "/screens/0/layout/children/2"),
            ],
        );
        let no_form = screen("7.3", json!([{"type": "TextInput", "name": "a", "label": "A"}]));
        expect(check, &no_form, &[]);
    }
}
