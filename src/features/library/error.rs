//! Why a library action failed, as a value: the toolbar, the notices and the dialogs show it
//! through `Display`, worded for people (what happened and what to do).
use std::fmt;
use std::sync::Arc;

use crate::api::ApiError;
use crate::api::workspace::WsError;

/// A failed save, open, lifecycle operation, clone, migration or preview link: a [`Failure`],
/// shared (outcomes are cloned into signals, and a failure never changes, so a clone is a
/// reference count rather than a copy of every message).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LibraryError(Arc<Failure>);

impl LibraryError {
    /// What failed.
    pub fn failure(&self) -> &Failure {
        &self.0
    }
}

/// What failed in a library action.
#[derive(Debug, PartialEq, Eq)]
pub enum Failure {
    /// A Partner API call failed.
    Api(ApiError),
    /// A call to the team's workspace failed.
    Workspace(WsError),
    /// The JSON view holds text that does not parse: nothing is sent.
    TextDoesNotParse,
    /// The open draft is not a flow of the workspace.
    NotInWorkspace,
    /// The workspace has not stored the latest changes yet.
    WorkspaceNotSaved,
    /// The flow has no flow.json on WhatsApp yet.
    NoFlowJson {
        /// The flow's name.
        flow: String,
    },
    /// The flow.json on WhatsApp cannot be opened.
    NotAFlow {
        /// The flow's name.
        flow: String,
        /// Why (from the file reader).
        why: String,
    },
    /// The open draft is not saved to WhatsApp, so it has no preview there.
    NotOnWhatsApp,
    /// Meta refused to migrate a flow.
    MigrationRefused {
        /// Meta's message.
        message: String,
        /// Meta's error code.
        code: String,
    },
    /// Meta's answer to a migration named neither a copy nor a failure.
    MigrationUnreported,
}

impl fmt::Display for LibraryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &*self.0 {
            Failure::Api(error) => f.write_str(&error.for_people()),
            Failure::Workspace(error) => f.write_str(&error.for_people()),
            Failure::TextDoesNotParse => f.write_str(
                "The JSON view holds text that does not parse: fix it (or undo) before saving to WhatsApp.",
            ),
            Failure::NotInWorkspace => f.write_str("This draft is not in the workspace."),
            Failure::WorkspaceNotSaved => f.write_str(
                "Your latest changes are not in the workspace yet: wait until it says Saved, then save to WhatsApp.",
            ),
            Failure::NoFlowJson { flow } => {
                write!(f, "{flow} has no flow.json on WhatsApp yet, so there is nothing to open.")
            }
            Failure::NotAFlow { flow, why } => write!(f, "{flow}: {why}"),
            Failure::NotOnWhatsApp => {
                f.write_str("Save this flow to WhatsApp first: the preview shows the version saved there.")
            }
            Failure::MigrationRefused { message, code } => write!(f, "{message} (code {code})"),
            Failure::MigrationUnreported => f.write_str("WhatsApp reported nothing for this flow."),
        }
    }
}

impl From<Failure> for LibraryError {
    fn from(failure: Failure) -> Self {
        LibraryError(Arc::new(failure))
    }
}

impl From<ApiError> for LibraryError {
    fn from(error: ApiError) -> Self {
        Failure::Api(error).into()
    }
}

impl From<WsError> for LibraryError {
    fn from(error: WsError) -> Self {
        Failure::Workspace(error).into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_read_as_sentences_for_people() {
        let missing = LibraryError::from(Failure::NoFlowJson { flow: "Booking".into() });
        assert_eq!(
            missing.to_string(),
            "Booking has no flow.json on WhatsApp yet, so there is nothing to open."
        );
        let refused = LibraryError::from(Failure::MigrationRefused {
            message: "Name taken".into(),
            code: "100".into(),
        });
        assert_eq!(refused.to_string(), "Name taken (code 100)");
        let not_a_flow =
            LibraryError::from(Failure::NotAFlow { flow: "Booking".into(), why: "This is not JSON.".into() });
        assert_eq!(not_a_flow.to_string(), "Booking: This is not JSON.");
    }
}
