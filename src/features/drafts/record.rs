use serde::Serialize;
use serde_json::{Map, Value};

/// One draft as stored: the flow and what the editor needs to reopen it as it was.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DraftRecord {
    /// Storage key.
    pub id: String,
    /// Name shown in the library.
    pub name: String,
    /// The flow.json of the last document that parsed (pretty style).
    pub flow_json: String,
    /// Text typed in the JSON view that did not parse when saved: shown again as typed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub typed_text: Option<String>,
    /// Last change, in milliseconds since the epoch.
    pub updated_at: f64,
    /// The undo history of the draft (see `flow_model::History::to_json`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub history: Option<Value>,
    /// How many screens (for the library).
    pub screens: usize,
    /// The Flow JSON version (for the library).
    pub version: String,
    /// Fields of other features (remote link, graph positions, preview mocks) and of newer
    /// app versions: kept as they are.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl DraftRecord {
    /// Reads a stored record; `None` when it is not one (a damaged or foreign entry): the id,
    /// name, flow and time must be there, the rest reads as its default when missing or
    /// mistyped, and unknown fields are kept in `extra`, in their order.
    ///
    /// By hand from a `Value` rather than a derived `Deserialize`: serde's deserializer and its
    /// error messages cost the bundle more than these lines (BENCHMARKS.md, "How the bundles stay small").
    pub fn from_json(text: &str) -> Option<Self> {
        let Value::Object(mut fields) = flow_model::json::read(text).ok()? else {
            return None;
        };
        let mut take_text = |key: &str| match fields.shift_remove(key) {
            Some(Value::String(text)) => Some(text),
            _ => None,
        };
        let (id, name, flow_json) = (take_text("id")?, take_text("name")?, take_text("flow_json")?);
        let (typed_text, version) = (take_text("typed_text"), take_text("version").unwrap_or_default());
        let updated_at = fields.shift_remove("updated_at")?.as_f64()?;
        let history = fields.shift_remove("history").filter(|history| !history.is_null());
        let screens = fields.shift_remove("screens").and_then(|count| count.as_u64()).unwrap_or(0);
        Some(DraftRecord {
            id,
            name,
            flow_json,
            typed_text,
            updated_at,
            history,
            screens: usize::try_from(screens).unwrap_or(0),
            version,
            extra: fields,
        })
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
        assert_eq!(DraftRecord::from_json("[]"), None);
    }

    #[test]
    fn a_record_without_its_flow_is_damaged_and_mistyped_extras_read_as_defaults() {
        assert_eq!(DraftRecord::from_json(r#"{"id":"a","name":"N","updated_at":1}"#), None);
        assert_eq!(DraftRecord::from_json(r#"{"id":"a","name":"N","flow_json":{},"updated_at":1}"#), None);
        assert_eq!(
            DraftRecord::from_json(r#"{"id":"a","name":"N","flow_json":"{}","updated_at":"x"}"#),
            None
        );
        let record = DraftRecord::from_json(
            r#"{"z":1,"id":"a","name":"N","flow_json":"{}","updated_at":2,"screens":"3","version":7,"history":null,"typed_text":"{","a":2}"#,
        )
        .unwrap();
        assert_eq!((record.screens, record.version.as_str(), record.updated_at), (0, "", 2.0));
        assert_eq!((record.history, record.typed_text.as_deref()), (None, Some("{")));
        assert_eq!(record.extra.keys().collect::<Vec<_>>(), ["z", "a"], "unknown fields in their order");
    }
}
