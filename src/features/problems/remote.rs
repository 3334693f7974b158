//! Meta's findings on the flow.json last sent to (or opened from) WhatsApp: its
//! `validation_errors`, each placed on the document by the library (through Meta's path or the
//! source map of the text it was about). They are kept with the draft, under
//! `extras.remote.problems`, and shown beside our own diagnostics until the next save.
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// One of Meta's validation errors, placed on the document.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct RemoteProblem {
    /// Meta's code, e.g. `INVALID_PROPERTY_VALUE`.
    pub code: String,
    /// Meta's message.
    pub message: String,
    /// Where it lands (JSON Pointer); `""` when Meta gave no usable place.
    #[serde(default)]
    pub pointer: String,
    /// The line of the uploaded text it was reported at, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
}

/// The extras key of the link to the remote flow.
pub const REMOTE_KEY: &str = "remote";

/// Meta's problems kept with the draft.
pub fn remote_problems(extras: &Map<String, Value>) -> Vec<RemoteProblem> {
    extras
        .get(REMOTE_KEY)
        .and_then(|remote| remote.get("problems"))
        .and_then(|problems| serde_json::from_value(problems.clone()).ok())
        .unwrap_or_default()
}
