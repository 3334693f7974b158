//! §1.2, §4.3: from 6.0 to 6.3 a component's `on-select-action` also runs when its screen opens
//! (Meta reverted this in 7.0): a `data_exchange` there calls the endpoint before anyone chose
//! anything, an `update_data` changes the screen at once. A warning on each, naming 7.0 as the
//! way out. (Item-level actions run only on selection.)
use super::super::context::Flow;

#[cfg(all(test, not(target_arch = "wasm32")))]
use super::super::sources::{Code, Docs, Page, Report, warning};
use crate::catalog::Event;
use crate::diagnostic::{ComponentProblem, Diagnostic};
use crate::version::Feature;

/// What this rule reports, and on whose authority (`validate/sources.rs`).
#[cfg(all(test, not(target_arch = "wasm32")))]
pub(super) const REPORTS: &[Report] = &[warning(
    "Component::SelectActionOnRender",
    Code::InvalidPropertyValue,
    "a component's on-select-action from 6.0 to 6.3 also runs when the screen opens",
    &[Docs(Page::Changelog, "6.0: component on-select-action fired on render; 7.0: reverted")],
)];

pub(super) fn check(flow: &Flow<'_>, out: &mut Vec<Diagnostic>) {
    if !flow.version.supports(Feature::SelectActionOnRender) {
        return;
    }
    for action in &flow.actions {
        if action.event == Event::OnSelect && action.item.is_none() {
            out.push(Diagnostic::warning(
                action.pointer.clone(),
                ComponentProblem::SelectActionOnRender { version: flow.version },
            ));
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
    fn component_select_actions_run_on_render_in_6_x() {
        let update = json!({"name": "update_data", "payload": {}});
        let children = json!([{"type": "Dropdown", "name": "d", "label": "D", "on-select-action": update,
            "data-source": [{"id": "a", "title": "A", "on-select-action": update}]}]);
        expect(
            check,
            &screen("6.3", children.clone()),
            &[(Code::InvalidPropertyValue, &format!("{C0}/on-select-action"))],
        );
        expect(check, &screen("7.0", children), &[]);
    }
}
