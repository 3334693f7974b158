//! Reading and writing one value of the document from a form field.
use flow_model::Version;
use leptos::prelude::*;
use serde_json::Value;

use crate::state::EditorState;

/// The value at `at`, kept in step with the document.
pub fn value_at(state: EditorState, at: String) -> Memo<Option<Value>> {
    Memo::new(move |_| state.document.with(|document| document.get(&at).cloned()))
}

/// Sets (or, with `None`, removes) the value at `at`. Setting an absent property adds it.
pub fn write(state: EditorState, at: &str, value: Option<Value>) {
    let exists = state.document.with_untracked(|document| document.get(at).is_some());
    match value {
        Some(value) => {
            let unchanged = state.document.with_untracked(|document| document.get(at) == Some(&value));
            if !unchanged {
                state.edit(|document| document.set_property(at, value));
            }
        }
        None if exists => {
            state.edit(|document| document.remove_property(at));
        }
        None => {}
    }
}

/// The document's Flow JSON version (the latest when missing or unknown).
pub fn document_version(state: EditorState) -> Memo<Version> {
    Memo::new(move |_| {
        state.document.with(|document| document.version().and_then(Version::parse).unwrap_or(Version::LATEST))
    })
}

/// A JSON value shown in a text field: strings as they are, anything else as JSON.
pub fn display(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => flow_model::json::compact(other),
    }
}

/// Text typed into a field that takes a number: the number, or (for dynamic properties) the
/// text as a binding; `None` for empty text.
pub fn number_from(text: &str, integer: bool) -> Option<Value> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    if integer && let Ok(number) = text.parse::<i64>() {
        return Some(Value::from(number));
    }
    match flow_model::number::parse(text).and_then(serde_json::Number::from_f64) {
        Some(number) => Some(Value::Number(number)),
        None => Some(Value::String(text.to_owned())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_integers_and_bindings() {
        assert_eq!(number_from(" 12 ", true), Some(Value::from(12)));
        assert_eq!(number_from("1.5", false), Some(serde_json::json!(1.5)));
        assert_eq!(number_from("${data.max}", false), Some(Value::from("${data.max}")));
        assert_eq!(number_from("  ", false), None);
        assert_eq!(display(&Value::from(3)), "3");
        assert_eq!(display(&Value::from("x")), "x");
    }
}
