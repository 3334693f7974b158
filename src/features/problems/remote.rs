//! Meta's findings on the flow.json last sent to (or opened from) WhatsApp: its
//! `validation_errors`, each placed on the document by the library (through Meta's path or the
//! source map of the text it was about). They are kept with the draft, under
//! `extras.remote.problems`, and shown beside our own diagnostics until the next save.
use serde_json::{Map, Value};

/// One of Meta's validation errors, placed on the document.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RemoteProblem {
    /// Meta's code, e.g. `INVALID_PROPERTY_VALUE`.
    pub code: String,
    /// Meta's message.
    pub message: String,
    /// Where it lands (JSON Pointer); `""` when Meta gave no usable place.
    pub pointer: String,
    /// The line of the uploaded text it was reported at, if any.
    pub line: Option<usize>,
}

impl RemoteProblem {
    /// As kept with the draft.
    pub fn to_value(&self) -> Value {
        let mut object = Map::new();
        object.insert("code".into(), Value::from(self.code.clone()));
        object.insert("message".into(), Value::from(self.message.clone()));
        object.insert("pointer".into(), Value::from(self.pointer.clone()));
        if let Some(line) = self.line {
            object.insert("line".into(), Value::from(line));
        }
        Value::Object(object)
    }

    /// From what was kept (missing fields read as empty).
    pub fn from_value(value: &Value) -> Self {
        let text = |key: &str| value.get(key).and_then(Value::as_str).unwrap_or_default().to_owned();
        RemoteProblem {
            code: text("code"),
            message: text("message"),
            pointer: text("pointer"),
            line: value.get("line").and_then(Value::as_u64).and_then(|line| usize::try_from(line).ok()),
        }
    }
}

/// The extras key of the link to the remote flow.
pub const REMOTE_KEY: &str = "remote";

/// Meta's problems kept with the draft.
pub fn remote_problems(extras: &Map<String, Value>) -> Vec<RemoteProblem> {
    extras
        .get(REMOTE_KEY)
        .and_then(|remote| remote.get("problems"))
        .and_then(Value::as_array)
        .map(|problems| problems.iter().map(RemoteProblem::from_value).collect())
        .unwrap_or_default()
}
