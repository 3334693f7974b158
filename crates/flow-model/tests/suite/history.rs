//! The undo stack on a maximal flow: 250 steps cost memory in proportion to the changes.
use flow_model::{History, Style, parse, samples};
use serde_json::json;
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

#[test]
fn many_steps_on_a_maximal_flow_keep_only_the_changes() {
    let text = samples::maximal_flow(100, 50);
    let mut document = parse(&text).document.unwrap();
    let original = document.to_json(Style::Pretty);
    let mut history = History::new();
    for step in 0..250u64 {
        let screen = step % 100;
        let at = format!("/screens/{screen}/layout/children/0/children/2/label");
        let edit = document.set_property(&at, json!(format!("Answer {step}"))).unwrap();
        // Far apart in time: every edit is its own step.
        history.push(edit, step * 10_000);
        if step % 50 == 0 {
            let from = format!("/screens/{screen}/layout/children/0/children/0");
            let to = format!("/screens/{}/layout/children/0/children", (screen + 1) % 100);
            history.push(document.move_component(&from, &to, 0).unwrap(), step * 10_000 + 1);
        }
    }
    assert_eq!(history.undo_len(), 255);
    // 255 copies of a 1 MB document would be 255 MB; the steps hold a few hundred bytes each.
    assert!(history.size() < 255 * 1024, "{} bytes", history.size());
    while history.undo(&mut document).unwrap() {}
    assert_eq!(document.to_json(Style::Pretty), original);
    while history.redo(&mut document).unwrap() {}
    assert_eq!(document.get("/screens/49/layout/children/0/children/2/label"), Some(&json!("Answer 249")));
}

#[test]
fn a_stored_history_undoes_and_redoes_after_restoring() {
    let mut document =
        flow_model::parse(r#"{"version": "7.3", "screens": [{"id": "A", "title": "One", "layout": {"type": "SingleColumnLayout", "children": []}}]}"#)
            .document
            .unwrap();
    let original = document.to_json(flow_model::Style::Compact);
    let mut history = flow_model::History::new();
    history.push(document.set_property("/screens/0/title", serde_json::json!("Two")).unwrap(), 0);
    history.push(document.rename_screen("A", "B").unwrap(), 5000);
    history.push(
        document
            .insert_component(
                "/screens/0/layout/children",
                0,
                serde_json::json!({"type": "TextBody", "text": "x"}),
            )
            .unwrap(),
        10_000,
    );
    history.undo(&mut document).unwrap();
    let stored = serde_json::to_string(&history.to_json()).unwrap();

    let mut restored = flow_model::History::new();
    assert!(restored.restore(&serde_json::from_str(&stored).unwrap()));
    assert!(restored.can_redo());
    restored.redo(&mut document).unwrap();
    while restored.undo(&mut document).unwrap() {}
    assert_eq!(document.to_json(flow_model::Style::Compact), original);
    assert!(
        !flow_model::History::new().restore(&serde_json::json!({"undo": [{"scope": "nope"}], "redo": []}))
    );
}

#[test]
fn a_history_too_large_to_store_keeps_its_newest_steps() {
    let mut document =
        flow_model::parse(r#"{"version": "7.3", "screens": [{"id": "A", "title": "0"}]}"#).document.unwrap();
    let mut history = flow_model::History::new();
    for step in 1..=10u64 {
        let title = format!("{step}{}", "x".repeat(100));
        history.push(
            document.set_property("/screens/0/title", serde_json::json!(title)).unwrap(),
            step * 10_000,
        );
    }
    let (whole, left_out) = history.to_json_within(usize::MAX);
    assert_eq!((whole, left_out), (history.to_json(), 0));
    let one_step = flow_model::json::compact(&history.to_json()["undo"][9]).len();
    let (trimmed, left_out) = history.to_json_within(one_step * 3);
    assert_eq!((trimmed["undo"].as_array().unwrap().len(), left_out), (3, 7));
    // What is kept is the newest: undoing it three times from the document now works.
    let mut restored = flow_model::History::new();
    assert!(restored.restore(&trimmed));
    for _ in 0..3 {
        assert!(restored.undo(&mut document).unwrap());
    }
    assert!(document.get("/screens/0/title").unwrap().as_str().unwrap().starts_with('7'));
    assert!(!restored.can_undo());
}
