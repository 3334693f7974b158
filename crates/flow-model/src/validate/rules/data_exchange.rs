//! §1.3, §5.1: a `data_exchange` action needs `data_api_version` (an endpoint flow).
use super::super::context::Flow;
use crate::model::key;

#[cfg(all(test, not(target_arch = "wasm32")))]
use super::super::sources::{Code, Docs, Page, Report, error};
use crate::catalog::ActionName;
use crate::diagnostic::{Diagnostic, SchemaProblem};
use crate::json::pointer;

/// What this rule reports, and on whose authority (`validate/sources.rs`).
#[cfg(all(test, not(target_arch = "wasm32")))]
pub(super) const REPORTS: &[Report] = &[error(
    "Schema::RequiredFor",
    Code::MissingRequiredProperty,
    "`data_exchange` needs `data_api_version`",
    &[Docs(Page::ErrorCodes, "The property 'data_api_version' is required for data_exchange action")],
)];

pub(super) fn check(flow: &Flow<'_>, out: &mut Vec<Diagnostic>) {
    if flow.endpoint {
        return;
    }
    for action in flow.actions.iter().filter(|action| action.name == Some(ActionName::DataExchange)) {
        out.push(Diagnostic::error(
            pointer::join(&action.pointer, key::NAME),
            SchemaProblem::RequiredFor { property: key::DATA_API_VERSION, needed_by: "data_exchange action" },
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{C0, expect, screen};
    use super::*;
    use crate::diagnostic::Code;
    use serde_json::json;

    #[test]
    fn needs_data_api_version() {
        let mut flow = screen(
            "7.3",
            json!([{"type": "Footer", "label": "x", "on-click-action": {"name": "data_exchange"}}]),
        );
        expect(check, &flow, &[(Code::MissingRequiredProperty, &format!("{C0}/on-click-action/name"))]);
        flow["data_api_version"] = json!("3.0");
        expect(check, &flow, &[]);
    }
}
