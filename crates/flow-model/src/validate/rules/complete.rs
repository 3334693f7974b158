//! §5.1: `complete` only on a terminal screen (its placement on a Footer comes from the
//! catalog's allowed actions).
use super::super::context::Flow;
use crate::model::key;

#[cfg(all(test, not(target_arch = "wasm32")))]
use super::super::sources::{Code, Docs, Page, Report, error};
use crate::catalog::ActionName;
use crate::diagnostic::{ActionProblem, Diagnostic};
use crate::json::pointer;

/// What this rule reports, and on whose authority (`validate/sources.rs`).
#[cfg(all(test, not(target_arch = "wasm32")))]
pub(super) const REPORTS: &[Report] = &[error(
    "Action::CompleteNotTerminal",
    Code::InvalidCompleteAction,
    "`complete` only on a terminal screen",
    &[Docs(Page::ErrorCodes, "On-click-action 'complete' can only be configured on a terminal screen")],
)];

pub(super) fn check(flow: &Flow<'_>, out: &mut Vec<Diagnostic>) {
    for action in flow.actions.iter().filter(|action| action.name == Some(ActionName::Complete)) {
        if flow.screens.get(action.screen).is_some_and(|screen| !screen.terminal) {
            out.push(Diagnostic::error(
                pointer::join(&action.pointer, key::NAME),
                ActionProblem::CompleteNotTerminal,
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{C0, expect, footer, screen};
    use super::*;
    use crate::diagnostic::Code;
    use serde_json::json;

    #[test]
    fn only_on_terminal_screens() {
        let mut flow = screen("7.3", json!([footer()]));
        expect(check, &flow, &[]);
        flow["screens"][0]["terminal"] = json!(false);
        expect(check, &flow, &[(Code::InvalidCompleteAction, &format!("{C0}/on-click-action/name"))]);
    }
}
