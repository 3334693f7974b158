//! Edits as JSON, so an undo history can be stored (e.g. in browser storage) and restored.
use serde_json::{Map, Value, json};

use super::{Change, Edit, Scope};

fn text(object: &Map<String, Value>, key: &str) -> Option<String> {
    object.get(key)?.as_str().map(str::to_owned)
}

fn index(object: &Map<String, Value>, key: &str) -> Option<usize> {
    usize::try_from(object.get(key)?.as_u64()?).ok()
}

impl Change {
    fn to_json(&self) -> Value {
        match self {
            Change::Replace { at, value } => json!({"op": "replace", "at": at, "value": value}),
            Change::InsertMember { object, index, key, value } => {
                json!({"op": "insert_member", "object": object, "index": index, "key": key, "value": value})
            }
            Change::RemoveMember { object, key } => {
                json!({"op": "remove_member", "object": object, "key": key})
            }
            Change::RenameMember { object, from, to } => {
                json!({"op": "rename_member", "object": object, "from": from, "to": to})
            }
            Change::InsertItem { array, index, value } => {
                json!({"op": "insert_item", "array": array, "index": index, "value": value})
            }
            Change::RemoveItem { array, index } => {
                json!({"op": "remove_item", "array": array, "index": index})
            }
            Change::MoveItem { from, from_index, to, to_index } => {
                json!({"op": "move_item", "from": from, "from_index": from_index, "to": to, "to_index": to_index})
            }
        }
    }

    fn from_json(value: &Value) -> Option<Change> {
        let object = value.as_object()?;
        let value_of = |key: &str| object.get(key).cloned();
        Some(match object.get("op")?.as_str()? {
            "replace" => Change::Replace { at: text(object, "at")?, value: value_of("value")? },
            "insert_member" => Change::InsertMember {
                object: text(object, "object")?,
                index: index(object, "index")?,
                key: text(object, "key")?,
                value: value_of("value")?,
            },
            "remove_member" => {
                Change::RemoveMember { object: text(object, "object")?, key: text(object, "key")? }
            }
            "rename_member" => Change::RenameMember {
                object: text(object, "object")?,
                from: text(object, "from")?,
                to: text(object, "to")?,
            },
            "insert_item" => Change::InsertItem {
                array: text(object, "array")?,
                index: index(object, "index")?,
                value: value_of("value")?,
            },
            "remove_item" => {
                Change::RemoveItem { array: text(object, "array")?, index: index(object, "index")? }
            }
            "move_item" => Change::MoveItem {
                from: text(object, "from")?,
                from_index: index(object, "from_index")?,
                to: text(object, "to")?,
                to_index: index(object, "to_index")?,
            },
            _ => return None,
        })
    }
}

impl Edit {
    /// The edit as JSON (for storage).
    pub fn to_json(&self) -> Value {
        let scope = match &self.scope {
            Scope::Property(at) => json!({"property": at}),
            Scope::Document => json!("document"),
            Scope::Structure => json!("structure"),
        };
        json!({"scope": scope, "changes": self.changes.iter().map(Change::to_json).collect::<Vec<_>>()})
    }

    /// An edit stored by [`Edit::to_json`]; `None` when the JSON is not one.
    pub fn from_json(value: &Value) -> Option<Edit> {
        let scope = match value.get("scope")? {
            Value::String(name) if name == "document" => Scope::Document,
            Value::String(name) if name == "structure" => Scope::Structure,
            Value::Object(object) => Scope::Property(text(object, "property")?),
            _ => return None,
        };
        let changes =
            value.get("changes")?.as_array()?.iter().map(Change::from_json).collect::<Option<Vec<_>>>()?;
        Some(Edit::new(changes, scope))
    }
}
