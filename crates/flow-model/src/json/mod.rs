//! JSON text: the strict reader, JSON Pointers and the source map.
pub(crate) mod parser;
pub mod pointer;
pub(crate) mod pretty;
mod source_map;

pub use parser::MAX_DEPTH;
pub use source_map::Source;

use serde_json::{Map, Value};

/// Reads JSON text that is not a flow: API answers, stored drafts, values typed in the
/// inspector, the preview's settings. The same strict reader as flows (RFC 8259, depth bound
/// [`MAX_DEPTH`]), without the text ranges a flow keeps; of a repeated key the last value wins,
/// as in JavaScript's `JSON.parse`. The app reads all its JSON text through here: one grammar,
/// and problems worded the same way, wherever JSON is typed or received.
pub fn read(text: &str) -> Result<Value, ReadError> {
    parser::parse(text).map(|output| output.value).map_err(|failure| {
        let (what, at) = match failure {
            parser::Failure::Syntax(problem, at) => (problem.to_string(), at),
            parser::Failure::TooDeep(at) => {
                (format!("objects and arrays nest more than {MAX_DEPTH} levels deep"), at)
            }
        };
        let before = text.get(..at).unwrap_or(text);
        let line_start = before.rfind('\n').map_or(0, |newline| newline + 1);
        ReadError {
            what,
            line: before.matches('\n').count() + 1,
            column: before[line_start..].chars().count() + 1,
        }
    })
}

/// A value as JSON text without spaces (what `Value`'s `Display` writes). Through serde_json's
/// serializer into a string: `Display` goes through an `io::Write` adapter whose error path
/// formats a message with `Debug`, which pulls Rust's Unicode printable tables (17 KB) into
/// the app's bundle.
pub fn compact(value: &Value) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

/// A string member of an object, owned; `None` when it is missing or not a string, or when
/// `value` is not an object. How the app reads the JSON it stores and receives, field by field.
pub fn string(value: &Value, key: &str) -> Option<String> {
    value.get(key).and_then(Value::as_str).map(str::to_owned)
}

/// Why [`read`] refused a text: what is wrong and where (1-based line and column, columns in
/// characters). Shown as "invalid number at line 1, column 4".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadError {
    what: String,
    /// Line of the problem.
    pub line: usize,
    /// Column of the problem, in characters.
    pub column: usize,
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} at line {}, column {}", self.what, self.line, self.column)
    }
}

/// A member of an object. Flow JSON objects have a handful of members: comparing keys is
/// cheaper than hashing them (serde_json's maps hash with SipHash), and the walk and the
/// validator look members up in their hot loops.
pub(crate) fn member<'a>(object: &'a Map<String, Value>, key: &str) -> Option<&'a Value> {
    if object.len() > 16 {
        return object.get(key);
    }
    object.iter().find(|(name, _)| crate::catalog::same(name, key)).map(|(_, value)| value)
}

#[cfg(test)]
mod tests {
    #[test]
    fn compact_text_is_what_display_writes() {
        let value = serde_json::json!({"a": [1, 2.5, "x\"y", null, true], "b": {}});
        assert_eq!(super::compact(&value), value.to_string());
        assert_eq!(super::compact(&value), r#"{"a":[1,2.5,"x\"y",null,true],"b":{}}"#);
    }

    #[test]
    fn a_string_member_is_read_only_from_an_object_and_only_when_it_is_a_string() {
        let value = serde_json::json!({"a": "x", "b": 1});
        assert_eq!(super::string(&value, "a").as_deref(), Some("x"));
        assert_eq!(super::string(&value, "b"), None);
        assert_eq!(super::string(&value, "c"), None);
        assert_eq!(super::string(&serde_json::json!(["a"]), "a"), None);
    }

    use super::read;

    #[test]
    fn reads_what_serde_json_reads() {
        for text in [
            r#"{"a": [1, -2.5e3, "x\u00e9\n", true, false, null], "b": {"c": {}}}"#,
            " [ ] ",
            r#""\ud83d\ude00""#,
            "0",
            r#"{"meta": {"developer_message": "{\"error\": {\"code\": 100}}"}}"#,
        ] {
            let expected: serde_json::Value = serde_json::from_str(text).unwrap();
            assert_eq!(read(text).unwrap(), expected, "{text}");
        }
        // A repeated key keeps its last value.
        assert_eq!(read(r#"{"a": 1, "a": 2}"#).unwrap(), serde_json::json!({"a": 2}));
    }

    #[test]
    fn says_what_is_wrong_and_where() {
        for (text, message) in [
            ("", "the text is empty at line 1, column 1"),
            (
                "{\n  \"a\": 1,\n  \"b\": tru\n}",
                "invalid literal: expected true, false or null at line 3, column 8",
            ),
            ("[1,\n 2,]", "trailing comma: remove the ',' before the closing bracket at line 2, column 4"),
            ("{\"é\": 01}", "invalid number at line 1, column 7"),
            ("{} x", "unexpected characters after the end of the JSON value at line 1, column 4"),
        ] {
            assert_eq!(read(text).unwrap_err().to_string(), message, "{text:?}");
        }
        let deep = "[".repeat(super::MAX_DEPTH + 1);
        let error = read(&deep).unwrap_err();
        assert!(
            error.to_string().starts_with("objects and arrays nest more than 128 levels deep"),
            "{error}"
        );
    }
}
