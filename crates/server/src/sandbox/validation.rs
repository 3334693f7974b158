//! flow-model's diagnostics as Meta's `validation_errors` items (flow-json.md §8.1):
//!
//! ```json
//! {"error": "INVALID_PROPERTY_VALUE", "error_type": "FLOW_JSON_ERROR", "message": "…",
//!  "line_start": 10, "line_end": 10, "column_start": 21, "column_end": 34,
//!  "pointers": [{"line_start": 10, "line_end": 10, "column_start": 21, "column_end": 34,
//!                "path": "screens[0].layout.children[0].type"}]}
//! ```
//!
//! Sandbox decisions where Meta is silent: lines and columns are 1-based and `column_end` is
//! the column just after the value (flow-model's exclusive span end); `error_type` is
//! `FLOW_JSON_ERROR` throughout (Meta's current sample); only errors are reported (warnings do
//! not block publishing, so Meta would not name them); a problem without a place in the text
//! (e.g. a file over 10 MB) has no line or column fields and no `pointers`.
use flow_model::{Diagnostic, Report, Span};
use serde_json::{Map, Value, json};

/// What the sandbox keeps of an uploaded flow.json besides its text.
#[derive(Debug, Clone, PartialEq)]
pub struct Checked {
    /// Meta's `validation_errors`.
    pub errors: Vec<Value>,
    /// Top-level `version`.
    pub json_version: Option<String>,
    /// Top-level `data_api_version` (flows with an endpoint).
    pub data_api_version: Option<String>,
    /// Top-level `data_channel_uri` (endpoint flows before Flow JSON 3.0).
    pub data_channel_uri: Option<String>,
}

/// Validates `text` with flow-model and shapes the result as Meta does.
pub fn check(text: &[u8]) -> Checked {
    let report = flow_model::check(text);
    let top = |key: &str| {
        report
            .document
            .as_ref()
            .and_then(|document| document.root().get(key))
            .and_then(Value::as_str)
            .map(str::to_owned)
    };
    Checked {
        errors: validation_errors(&report),
        json_version: top("version"),
        data_api_version: top("data_api_version"),
        data_channel_uri: top("data_channel_uri"),
    }
}

/// Every error of the report as a `validation_errors` item, in document order.
pub fn validation_errors(report: &Report) -> Vec<Value> {
    let root = report.document.as_ref().map(flow_model::Document::root);
    report.diagnostics.iter().filter(|diagnostic| diagnostic.is_error()).map(|d| item(d, root)).collect()
}

/// One diagnostic as Meta's item.
pub fn item(diagnostic: &Diagnostic, root: Option<&Value>) -> Value {
    let mut item = Map::new();
    item.insert("error".to_owned(), Value::from(diagnostic.code().as_str()));
    item.insert("error_type".to_owned(), Value::from("FLOW_JSON_ERROR"));
    item.insert("message".to_owned(), Value::from(diagnostic.message()));
    if let Some(span) = diagnostic.span {
        item.extend(positions(span));
        if !diagnostic.pointer.is_empty() {
            let mut pointer = positions(span);
            pointer.insert("path".to_owned(), Value::from(meta_path(&diagnostic.pointer, root)));
            item.insert("pointers".to_owned(), json!([pointer]));
        }
    }
    Value::Object(item)
}

fn positions(span: Span) -> Map<String, Value> {
    let mut map = Map::new();
    map.insert("line_start".to_owned(), Value::from(span.start.line));
    map.insert("line_end".to_owned(), Value::from(span.end.line));
    map.insert("column_start".to_owned(), Value::from(span.start.column));
    map.insert("column_end".to_owned(), Value::from(span.end.column));
    map
}

/// A JSON Pointer as Meta writes paths: `/screens/0/layout/children/1/type` becomes
/// `screens[0].layout.children[1].type`. Array indexes are told from keys that look like
/// numbers by walking the document; without one, all-digit tokens count as indexes.
pub fn meta_path(pointer: &str, root: Option<&Value>) -> String {
    let mut path = String::new();
    let mut current = root;
    for raw in pointer.split('/').skip(1) {
        let token = raw.replace("~1", "/").replace("~0", "~");
        let is_index = match current {
            Some(Value::Array(_)) => true,
            Some(_) => false,
            None => !token.is_empty() && token.bytes().all(|byte| byte.is_ascii_digit()),
        };
        current = match current {
            Some(Value::Array(items)) => token.parse::<usize>().ok().and_then(|index| items.get(index)),
            Some(Value::Object(members)) => members.get(&token),
            _ => None,
        };
        if is_index {
            path.push('[');
            path.push_str(&token);
            path.push(']');
        } else {
            if !path.is_empty() {
                path.push('.');
            }
            path.push_str(&token);
        }
    }
    path
}

#[cfg(test)]
mod tests {
    use super::*;
    use flow_model::Location;
    use flow_model::diagnostic::JsonProblem;

    #[test]
    fn pointers_become_meta_paths() {
        let root = json!({"screens": [{"layout": {"children": [{"type": "X"}]}, "data": {"0": 1}}]});
        assert_eq!(
            meta_path("/screens/0/layout/children/0/type", Some(&root)),
            "screens[0].layout.children[0].type"
        );
        assert_eq!(meta_path("/screens/0/data/0", Some(&root)), "screens[0].data.0");
        assert_eq!(
            meta_path("/screens/0/layout/children/0/type", None),
            "screens[0].layout.children[0].type"
        );
        assert_eq!(meta_path("/a~1b/c~0d", None), "a/b.c~d");
        assert_eq!(meta_path("", None), "");
    }

    #[test]
    fn broken_json_is_one_invalid_flow_json_error_with_its_place() {
        let checked = check(b"{\n  \"version\": \"7.3\",\n}");
        assert_eq!(checked.errors.len(), 1, "{:?}", checked.errors);
        let error = &checked.errors[0];
        assert_eq!(error["error"], "INVALID_FLOW_JSON");
        assert_eq!(error["error_type"], "FLOW_JSON_ERROR");
        assert!(error["message"].as_str().unwrap().contains("trailing comma"), "{error}");
        assert_eq!(error["line_start"], 3);
        assert!(checked.json_version.is_none());
    }

    #[test]
    fn a_diagnostic_with_a_span_and_pointer_has_every_field() {
        let mut diagnostic = Diagnostic::error("/screens/0/layout/children/0/type", JsonProblem::InvalidUtf8);
        let start = Location { offset: 100, line: 10, column: 21 };
        let end = Location { offset: 113, line: 10, column: 34 };
        diagnostic.span = Some(Span { start, end });
        let item = item(&diagnostic, None);
        assert_eq!(
            item,
            json!({"error": "INVALID_FLOW_JSON", "error_type": "FLOW_JSON_ERROR", "message": diagnostic.message(),
                "line_start": 10, "line_end": 10, "column_start": 21, "column_end": 34,
                "pointers": [{"line_start": 10, "line_end": 10, "column_start": 21, "column_end": 34,
                    "path": "screens[0].layout.children[0].type"}]})
        );
    }

    #[test]
    fn a_diagnostic_without_a_place_has_no_positions_and_warnings_are_left_out() {
        let item = item(&Diagnostic::error("", JsonProblem::TooLarge { size: 11, limit: 10 }), None);
        assert_eq!(item.as_object().unwrap().len(), 3, "{item}");
        let report = Report {
            document: None,
            diagnostics: vec![Diagnostic::warning("/x", JsonProblem::ByteOrderMark)],
        };
        assert!(validation_errors(&report).is_empty());
    }

    #[test]
    fn valid_flows_give_their_versions() {
        let checked = check(flow_model::templates::APPOINTMENT_BOOKING.as_bytes());
        assert_eq!(checked.errors, Vec::<Value>::new());
        assert_eq!(checked.json_version.as_deref(), Some("7.3"));
    }
}
