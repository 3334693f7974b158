//! `flowsmith fmt`: pretty, lossless, atomic; --check and --stdout.
mod support;

use support::{Folder, flowsmith, stderr, stdout};

const COMPACT: &str =
    r#"{"version":"7.3","zeta":{"unknown":[1,2.5,"é\u00e9"]},"screens":[{"id":"A","x-mine":null}]}"#;
const PRETTY: &str = "{\n  \"version\": \"7.3\",\n  \"zeta\": {\n    \"unknown\": [\n      1,\n      2.5,\n      \"éé\"\n    ]\n  },\n  \"screens\": [\n    {\n      \"id\": \"A\",\n      \"x-mine\": null\n    }\n  ]\n}\n";

fn read(folder: &Folder, name: &str) -> String {
    std::fs::read_to_string(folder.path().join(name)).unwrap()
}

#[test]
fn rewrites_in_the_pretty_style_keeping_order_and_unknown_keys() {
    let folder = Folder::new("rewrite");
    folder.file("flow.json", COMPACT);
    let output = flowsmith(&folder, &["fmt", "flow.json"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(read(&folder, "flow.json"), PRETTY);
    // Nothing left behind by the atomic write.
    assert_eq!(folder.names(), ["flow.json"]);
    // Formatting again changes nothing.
    let output = flowsmith(&folder, &["fmt", "flow.json"]);
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(read(&folder, "flow.json"), PRETTY);
}

#[test]
fn check_lists_unformatted_files_and_changes_nothing() {
    let folder = Folder::new("check");
    folder.file("compact.json", COMPACT);
    folder.file("pretty.json", PRETTY);
    let output = flowsmith(&folder, &["fmt", "--check", "compact.json", "pretty.json"]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(stdout(&output), "compact.json: not formatted\n");
    assert_eq!(read(&folder, "compact.json"), COMPACT);
    let output = flowsmith(&folder, &["fmt", "--check", "pretty.json"]);
    assert_eq!(output.status.code(), Some(0));
}

#[test]
fn stdout_prints_instead_of_writing() {
    let folder = Folder::new("stdout");
    folder.file("flow.json", COMPACT);
    let output = flowsmith(&folder, &["fmt", "--stdout", "flow.json"]);
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(stdout(&output), PRETTY);
    assert_eq!(read(&folder, "flow.json"), COMPACT);
}

#[test]
fn a_file_that_is_not_json_is_left_untouched_with_an_error() {
    let folder = Folder::new("not-json");
    folder.file("broken.json", "{\"version\": \"7.3\",}");
    folder.file("flow.json", COMPACT);
    let output = flowsmith(&folder, &["fmt", "broken.json", "flow.json"]);
    assert_eq!(output.status.code(), Some(1));
    let message = stderr(&output);
    assert!(message.contains("broken.json:1:19: Flow JSON is not valid JSON: trailing comma"), "{message}");
    assert!(message.contains("left untouched"), "{message}");
    assert_eq!(read(&folder, "broken.json"), "{\"version\": \"7.3\",}");
    // The other file is still formatted.
    assert_eq!(read(&folder, "flow.json"), PRETTY);
}

#[test]
fn a_repeated_property_is_not_silently_dropped() {
    let folder = Folder::new("duplicate");
    let text = "{\"a\": 1, \"a\": 2}";
    folder.file("flow.json", text);
    let output = flowsmith(&folder, &["fmt", "flow.json"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("would drop the earlier value"), "{}", stderr(&output));
    assert_eq!(read(&folder, "flow.json"), text);
}

#[test]
fn an_unreadable_file_exits_two() {
    let folder = Folder::new("unreadable");
    let output = flowsmith(&folder, &["fmt", "missing.json"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("cannot read missing.json"), "{}", stderr(&output));
}

#[test]
fn check_and_stdout_exclude_each_other() {
    let folder = Folder::new("conflict");
    folder.file("flow.json", COMPACT);
    let output = flowsmith(&folder, &["fmt", "--check", "--stdout", "flow.json"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("cannot be used with"), "{}", stderr(&output));
}

#[cfg(unix)]
#[test]
fn a_symbolic_link_stays_a_link_and_permissions_are_kept() {
    use std::os::unix::fs::PermissionsExt;
    let folder = Folder::new("symlink");
    let target = folder.file("real.json", COMPACT);
    std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o640)).unwrap();
    std::os::unix::fs::symlink("real.json", folder.path().join("link.json")).unwrap();
    let output = flowsmith(&folder, &["fmt", "link.json"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(std::fs::symlink_metadata(folder.path().join("link.json")).unwrap().file_type().is_symlink());
    assert_eq!(read(&folder, "real.json"), PRETTY);
    assert_eq!(std::fs::metadata(&target).unwrap().permissions().mode() & 0o777, 0o640);
}
