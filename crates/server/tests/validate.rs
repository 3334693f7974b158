//! `flowsmith validate`: exit statuses, human snippets and the JSON shape.
mod support;

use serde_json::{Value, json};
use support::{Folder, VALID_FLOW, flowsmith, stderr, stdout};

const TRAILING_COMMA: &str = "{\n  \"version\": \"7.3\",\n  \"screens\": [],\n}\n";
const DUPLICATE_KEY: &str = "{\"version\": \"7.3\",\n \"screens\": [{\"id\": \"A\", \"id\": \"B\"}]}";

#[test]
fn valid_files_exit_zero_even_with_warnings() {
    let folder = Folder::new("valid");
    folder.file("flow.json", VALID_FLOW);
    folder.file("bom.json", format!("\u{feff}{VALID_FLOW}"));
    let output = flowsmith(&folder, &["validate", "flow.json", "bom.json"]);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    let text = stdout(&output);
    assert!(text.contains("flow.json: valid (0 errors, 0 warnings)"), "{text}");
    assert!(text.contains("warning[INVALID_FLOW_JSON]") && text.contains("byte order mark"), "{text}");
    assert!(text.contains("checked 2 files: 0 invalid, 0 unreadable"), "{text}");
}

#[test]
fn an_error_shows_a_snippet_with_a_caret_and_exits_one() {
    let folder = Folder::new("error");
    folder.file("flow.json", VALID_FLOW);
    folder.file("broken.json", TRAILING_COMMA);
    let output = flowsmith(&folder, &["validate", "flow.json", "broken.json"]);
    assert_eq!(output.status.code(), Some(1));
    let text = stdout(&output);
    assert!(text.contains("error[INVALID_FLOW_JSON]: Flow JSON is not valid JSON: trailing comma"), "{text}");
    assert!(text.contains("┌─ broken.json:4:1"), "{text}");
    // The offending line, then a caret under its first column.
    assert!(text.contains("4 │ }\n  │ ^"), "{text}");
    assert!(text.contains("broken.json: invalid (1 error, 0 warnings)"), "{text}");
}

#[test]
fn the_pointer_of_a_diagnostic_is_shown() {
    let folder = Folder::new("pointer");
    folder.file("flow.json", DUPLICATE_KEY);
    let output = flowsmith(&folder, &["validate", "flow.json"]);
    assert_eq!(output.status.code(), Some(1));
    let text = stdout(&output);
    assert!(text.contains("= at /screens/0/id"), "{text}");
    assert!(text.contains("2 │  \"screens\": [{\"id\": \"A\", \"id\": \"B\"}]}"), "{text}");
}

#[test]
fn an_unreadable_file_exits_two_and_the_others_are_still_checked() {
    let folder = Folder::new("unreadable");
    folder.file("broken.json", TRAILING_COMMA);
    let output = flowsmith(&folder, &["validate", "missing.json", "broken.json"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("cannot read missing.json"), "{}", stderr(&output));
    assert!(stdout(&output).contains("broken.json: invalid"), "{}", stdout(&output));
}

#[test]
fn json_format_is_one_array_with_one_object_per_file() {
    let folder = Folder::new("json");
    folder.file("flow.json", VALID_FLOW);
    folder.file("dup.json", DUPLICATE_KEY);
    folder.file("broken.json", TRAILING_COMMA);
    let output =
        flowsmith(&folder, &["validate", "--format", "json", "flow.json", "dup.json", "broken.json"]);
    assert_eq!(output.status.code(), Some(1));
    let files: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(files[0], json!({"path": "flow.json", "valid": true, "diagnostics": []}));
    let duplicate = files[1]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "INVALID_FLOW_JSON")
        .cloned()
        .unwrap_or_default();
    assert_eq!(
        duplicate,
        json!({
            "code": "INVALID_FLOW_JSON",
            "severity": "warning",
            "message": "Property 'id' appears more than once in this object; only the last value counts.",
            "pointer": "/screens/0/id",
            "line_start": 2, "column_start": 26, "line_end": 2, "column_end": 30
        })
    );
    assert_eq!(files[1]["valid"], json!(false));
    let broken = &files[2]["diagnostics"][0];
    assert_eq!(
        (&broken["pointer"], &broken["line_start"], &broken["column_start"]),
        (&json!(""), &json!(4), &json!(1))
    );
    assert_eq!(files.as_array().unwrap().len(), 3);
}

#[test]
fn json_format_names_an_unreadable_file_and_places_placeless_diagnostics_at_one_one() {
    let folder = Folder::new("json-unreadable");
    folder.file("big.json", vec![b' '; flow_model::MAX_INPUT_BYTES + 10]);
    let output = flowsmith(&folder, &["validate", "--format", "json", "missing.json", "big.json"]);
    assert_eq!(output.status.code(), Some(2));
    let files: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(files[0]["path"], json!("missing.json"));
    assert_eq!(files[0]["valid"], json!(false));
    assert!(files[0]["error"].as_str().unwrap().starts_with("cannot read the file"));
    let too_large = &files[1]["diagnostics"][0];
    assert_eq!(too_large["pointer"], json!(""));
    assert_eq!((&too_large["line_start"], &too_large["column_start"]), (&json!(1), &json!(1)));
    // The real size is named, though only the start of the file was read.
    let message = too_large["message"].as_str().unwrap();
    assert!(message.contains(&format!("({} bytes)", flow_model::MAX_INPUT_BYTES + 10)), "{message}");
}

#[test]
fn standard_input_is_read_with_a_dash() {
    let folder = Folder::new("stdin");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_flowsmith"))
        .args(["validate", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .current_dir(folder.path())
        .spawn()
        .unwrap();
    use std::io::Write;
    child.stdin.take().unwrap().write_all(TRAILING_COMMA.as_bytes()).unwrap();
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(stdout(&output).contains("<stdin>:4:1"), "{}", stdout(&output));
}

#[test]
fn no_file_is_a_usage_error() {
    let folder = Folder::new("usage");
    let output = flowsmith(&folder, &["validate"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("<FILE>..."), "{}", stderr(&output));
}
