//! §7.2: at least one terminal screen; each terminal screen has a Footer; from 7.3 its action
//! ends the flow (`complete`, or `data_exchange` in an endpoint flow); before 7.3 another
//! action there is a warning.
use serde_json::Value;

use super::super::context::Flow;
use crate::catalog::{ActionName, prop};
use crate::model::key;

#[cfg(all(test, not(target_arch = "wasm32")))]
use super::super::sources::{Builder, Code, Docs, Ours, Page, Report, error, warning};
use crate::diagnostic::{Diagnostic, ScreenProblem, Severity};
use crate::json::pointer;
use crate::version::Feature;

/// What this rule reports, and on whose authority (`validate/sources.rs`).
#[cfg(all(test, not(target_arch = "wasm32")))]
pub(super) const REPORTS: &[Report] = &[
    error(
        "Screen::MissingTerminalScreen",
        Code::MissingTerminalScreen,
        "at least one terminal screen",
        &[
            Docs(Page::FlowJson, "Screens: each Flow should have a terminal state"),
            Docs(Page::ErrorCodes, "MISSING_TERMINAL_SCREEN"),
        ],
    ),
    error(
        "Screen::MissingFooterOnTerminal",
        Code::MissingFooterOnTerminalScreen,
        "a Footer on each terminal screen",
        &[Docs(Page::FlowJson, "Screens: it's mandatory to have a Footer on the terminal screen")],
    ),
    error(
        "Screen::TerminalFooterAction",
        Code::InvalidPropertyValue,
        "a terminal screen's Footer ends the flow (7.3+)",
        &[Builder("WAFlowJSONTerminalScreenFooterValidatorV500, in the chain from V703")],
    ),
    warning(
        "Screen::TerminalFooterAction",
        Code::InvalidPropertyValue,
        "a terminal screen's Footer that does not end the flow, before 7.3",
        &[Ours("Meta checks it from 7.3; before, people cannot finish there all the same")],
    ),
];

pub(super) fn check(flow: &Flow<'_>, out: &mut Vec<Diagnostic>) {
    if flow.screens.is_empty() {
        return;
    }
    if !flow.screens.iter().any(|screen| screen.terminal) {
        out.push(Diagnostic::error(key::SCREENS_AT, ScreenProblem::MissingTerminalScreen));
    }
    let severity =
        if flow.version.supports(Feature::StrictRouting) { Severity::Error } else { Severity::Warning };
    for screen in flow.screens.iter().filter(|screen| screen.terminal) {
        let footers: Vec<_> = screen.components.iter().filter(|node| node.is("Footer")).collect();
        if footers.is_empty() {
            out.push(Diagnostic::error(
                screen.pointer.clone(),
                ScreenProblem::MissingFooterOnTerminal { screen: screen.label() },
            ));
        }
        for footer in footers {
            let Some(name) = footer
                .at
                .component
                .get(prop::ON_CLICK_ACTION)
                .and_then(|action| action.get(key::NAME))
                .and_then(Value::as_str)
            else {
                continue;
            };
            let ends = name == ActionName::Complete.as_str()
                || (flow.endpoint && name == ActionName::DataExchange.as_str());
            if !ends {
                out.push(Diagnostic {
                    severity,
                    pointer: pointer::join(
                        &pointer::join(&screen.pointer_of(footer), prop::ON_CLICK_ACTION),
                        key::NAME,
                    ),
                    span: None,
                    problem: ScreenProblem::TerminalFooterAction {
                        found: name.to_owned(),
                        endpoint: flow.endpoint,
                    }
                    .into(),
                });
            }
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
    fn terminal_screens_end_with_a_footer_that_completes() {
        expect(check, &screen("7.3", json!([footer()])), &[]);
        expect(check, &screen("7.3", json!([])), &[(Code::MissingFooterOnTerminalScreen, "/screens/0")]);
        let mut none = screen("7.3", json!([footer()]));
        none["screens"][0]["terminal"] = json!(false);
        expect(check, &none, &[(Code::MissingTerminalScreen, "/screens")]);
        let navigate = json!({"type": "Footer", "label": "x", "on-click-action": {"name": "navigate", "next": {"type": "screen", "name": "B"}}});
        expect(
            check,
            &screen("7.3", json!([navigate])),
            &[(Code::InvalidPropertyValue, &format!("{C0}/on-click-action/name"))],
        );
    }
}
