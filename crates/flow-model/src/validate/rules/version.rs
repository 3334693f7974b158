//! §1.1: `version` is present, a string, a version Meta knows, and not frozen.
use serde_json::Value;

use super::super::context::Flow;
use crate::model::key;

#[cfg(all(test, not(target_arch = "wasm32")))]
use super::super::sources::{Builder, Code, Docs, Page, Report, error};
use crate::diagnostic::{Diagnostic, FlowProblem};
use crate::version::{Status, Version};

/// What this rule reports, and on whose authority (`validate/sources.rs`).
#[cfg(all(test, not(target_arch = "wasm32")))]
pub(super) const REPORTS: &[Report] = &[
    error(
        "Flow::MissingVersion",
        Code::MissingFlowJsonVersion,
        "`version` is present",
        &[
            Docs(Page::FlowJson, "Top-level Flow JSON properties: version is required"),
            Docs(Page::ErrorCodes, "MISSING_FLOW_JSON_VERSION"),
        ],
    ),
    error(
        "Flow::UnknownVersion",
        Code::InvalidFlowJsonVersion,
        "`version` is a version Meta offers",
        &[Docs(Page::Versioning, "supported versions"), Docs(Page::ErrorCodes, "INVALID_FLOW_JSON_VERSION")],
    ),
    error(
        "Flow::FrozenVersion",
        Code::UnsupportedFlowJsonVersion,
        "the version is not frozen (1.0 to 5.0 cannot be published)",
        &[
            Docs(Page::Versioning, "frozen versions"),
            Docs(Page::Changelog, "2.1 to 4.0 frozen 8 Apr 2025, 5.0 frozen 10 Sep 2025"),
            Builder("WAFlowJSONRootSchema: \"Unsupported Flow JSON version\" for 1.0 to 5.0"),
        ],
    ),
];

pub(super) fn check(flow: &Flow<'_>, out: &mut Vec<Diagnostic>) {
    match flow.root.get(key::VERSION) {
        None => out.push(Diagnostic::error("", FlowProblem::MissingVersion)),
        Some(Value::String(text)) => match Version::parse(text).map(Version::status) {
            Some(Status::Publishable) => {}
            Some(Status::Frozen) => {
                if let Some(version) = Version::parse(text) {
                    out.push(Diagnostic::error(key::VERSION_AT, FlowProblem::FrozenVersion { version }));
                }
            }
            Some(Status::Unknown) | None => {
                out.push(Diagnostic::error(
                    key::VERSION_AT,
                    FlowProblem::UnknownVersion { version: format!("'{text}'") },
                ));
            }
        },
        // Integers were accepted only before 2.1, all frozen or gone: Meta compares strings.
        Some(other) => out.push(Diagnostic::error(
            key::VERSION_AT,
            FlowProblem::UnknownVersion { version: crate::json::compact(other) },
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{expect, screen};
    use super::*;
    use crate::diagnostic::Code;
    use serde_json::json;

    #[test]
    fn publishable_versions_pass() {
        for version in Version::PUBLISHABLE {
            expect(check, &screen(&version.to_string(), json!([])), &[]);
        }
    }

    #[test]
    fn missing_unknown_and_frozen_versions() {
        expect(check, &json!({"screens": []}), &[(Code::MissingFlowJsonVersion, "")]);
        for unknown in ["5.2", "7.4", "latest", "7.3.0"] {
            expect(check, &screen(unknown, json!([])), &[(Code::InvalidFlowJsonVersion, "/version")]);
        }
        expect(check, &json!({"version": 7.3}), &[(Code::InvalidFlowJsonVersion, "/version")]);
        expect(check, &screen("5.0", json!([])), &[(Code::UnsupportedFlowJsonVersion, "/version")]);
        expect(check, &screen("2.1", json!([])), &[(Code::UnsupportedFlowJsonVersion, "/version")]);
    }
}
