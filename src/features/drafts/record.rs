use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// One draft as stored: the flow and what the editor needs to reopen it as it was.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DraftRecord {
    /// Storage key.
    pub id: String,
    /// Name shown in the library.
    pub name: String,
    /// The flow.json of the last document that parsed (pretty style).
    pub flow_json: String,
    /// Text typed in the JSON view that did not parse when saved: shown again as typed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub typed_text: Option<String>,
    /// Last change, in milliseconds since the epoch.
    pub updated_at: f64,
    /// The undo history of the draft (see `flow_model::History::to_json`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub history: Option<Value>,
    /// How many screens (for the library).
    #[serde(default)]
    pub screens: usize,
    /// The Flow JSON version (for the library).
    #[serde(default)]
    pub version: String,
    /// Fields of other features (remote link, graph positions, preview mocks) and of newer
    /// app versions: kept as they are.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl DraftRecord {
    /// Reads a stored record; `None` when it is not one (a damaged or foreign entry).
    pub fn from_json(text: &str) -> Option<Self> {
        serde_json::from_value(flow_model::json::read(text).ok()?).ok()
    }

    /// The stored form.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_fields_survive_a_round_trip() {
        let stored = r#"{"id":"a","name":"N","flow_json":"{}","updated_at":1.0,"graph":{"A":[1,2]}}"#;
        let record = DraftRecord::from_json(stored).unwrap();
        assert_eq!(record.extra.get("graph"), Some(&serde_json::json!({"A": [1, 2]})));
        assert_eq!(DraftRecord::from_json(&record.to_json()), Some(record));
        assert_eq!(DraftRecord::from_json("not json"), None);
    }
}
