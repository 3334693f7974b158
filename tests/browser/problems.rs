use flow_model::parse;
use flowsmith::features::problems::{ProblemsPanel, problem_index};
use flowsmith::state::{DraftInfo, EditorState};
use leptos::prelude::*;
use wasm_bindgen_test::wasm_bindgen_test;

use crate::support::{container, find, texts, tick};

/// The problems panel of `text`'s flow mounted in a fresh container, with its state.
fn mount_panel(text: &str, screen_names: Vec<String>) -> (web_sys::HtmlElement, EditorState) {
    let document = parse(text).document.expect("JSON");
    let root = container();
    let state = std::rc::Rc::new(std::cell::RefCell::new(None));
    let captured = state.clone();
    let mounted = leptos::mount::mount_to(root.clone(), move || {
        let state = EditorState::provide(document.clone(), DraftInfo::default());
        *captured.borrow_mut() = Some(state);
        let index = problem_index(state);
        view! { <ProblemsPanel index=index screen_names=Signal::stored(screen_names.clone()) /> }
    });
    mounted.forget();
    let state = state.borrow().expect("state");
    (root, state)
}

#[wasm_bindgen_test]
async fn problems_are_grouped_by_screen_and_a_click_selects_the_field() {
    let text = r#"{"version": "7.3", "screens": [
        {"id": "FIRST", "title": "First", "layout": {"type": "SingleColumnLayout", "children": [
            {"type": "TextInput", "name": "n", "label": "A label much longer than twenty"},
            {"type": "Footer", "label": "Next", "on-click-action": {"name": "navigate", "next": {"type": "screen", "name": "SECOND"}}}]}},
        {"id": "SECOND", "title": "Second", "terminal": true, "layout": {"type": "SingleColumnLayout", "children": [
            {"type": "Footer", "label": "Done", "on-click-action": {"name": "complete"}}]}}]}"#;
    let (root, state) = mount_panel(text, vec!["First (FIRST)".into(), "Second (SECOND)".into()]);
    tick().await;
    assert_eq!(texts(&root, "[data-testid=error-count]"), ["1 errors"]);
    let groups = texts(&root, "[data-testid=problem-group] h3");
    assert_eq!(groups, ["First (FIRST) 1"]);
    let problem = find(&root, "[data-testid=problem]");
    assert_eq!(problem.get_attribute("data-code").as_deref(), Some("MAX_CHARS_REQUIRED"));
    problem.click();
    tick().await;
    let selection = state.selection.get_untracked();
    assert_eq!(selection.screen, 0);
    assert_eq!(selection.component.as_deref(), Some("/screens/0/layout/children/0"));
    assert_eq!(selection.field.as_deref(), Some("/screens/0/layout/children/0/label"));
}

#[wasm_bindgen_test]
async fn whatsapp_errors_of_the_last_save_show_beside_ours_and_land_on_the_field() {
    let text = r#"{"version": "7.3", "screens": [
        {"id": "ONLY", "title": "Only", "terminal": true, "layout": {"type": "SingleColumnLayout", "children": [
            {"type": "TextInput", "name": "n", "label": "Name"},
            {"type": "Footer", "label": "Done", "on-click-action": {"name": "complete"}}]}}]}"#;
    let (root, state) = mount_panel(text, vec!["Only (ONLY)".into()]);
    tick().await;
    assert!(texts(&root, "[data-testid=remote-problem]").is_empty());
    state.set_extra(
        "remote",
        Some(serde_json::json!({"problems": [
            {"code": "INVALID_PROPERTY_VALUE", "message": "Meta does not like it", "pointer": "/screens/0/layout/children/0/label", "line": 4}
        ]})),
    );
    tick().await;
    assert_eq!(texts(&root, "[data-testid=error-count]"), ["0 errors"]);
    assert_eq!(texts(&root, "[data-testid=remote-error-count]"), ["1 from WhatsApp"]);
    assert_eq!(texts(&root, "[data-testid=problem-group] h3"), ["Only (ONLY) 1"]);
    let problem = find(&root, "[data-testid=remote-problem]");
    assert_eq!(problem.get_attribute("data-code").as_deref(), Some("INVALID_PROPERTY_VALUE"));
    problem.click();
    tick().await;
    let selection = state.selection.get_untracked();
    assert_eq!(selection.component.as_deref(), Some("/screens/0/layout/children/0"));
    assert_eq!(selection.field.as_deref(), Some("/screens/0/layout/children/0/label"));
}

#[wasm_bindgen_test]
async fn a_read_only_flow_refuses_edits_and_says_why() {
    let document = parse(r#"{"version": "7.3", "screens": []}"#).document.expect("JSON");
    let state = mounted_state(document);
    state.set_extra("read_only", Some(serde_json::json!("Published: clone it.")));
    assert!(!state.edit(|document| document.set_property("/version", serde_json::json!("7.2"))));
    state.type_json("{}".into());
    assert_eq!(state.document.with_untracked(|d| d.version().map(str::to_owned)), Some("7.3".to_owned()));
    assert_eq!(
        state.notices.with_untracked(|n| n.last().map(|n| n.text.clone())),
        Some("Published: clone it.".into())
    );
    state.set_extra("read_only", None);
    assert!(state.edit(|document| document.set_property("/version", serde_json::json!("7.2"))));
}

/// A key given twice is only Meta's warning, but the editor does not take such text: the
/// first value would be lost when the JSON view shows the document again.
#[wasm_bindgen_test]
async fn typed_text_with_a_key_twice_is_kept_not_taken() {
    let document = parse(r#"{"version": "7.3", "screens": []}"#).document.expect("JSON");
    let state = mounted_state(document);
    let typed = r#"{"version": "7.2", "version": "7.1", "screens": []}"#;
    state.type_json(typed.into());
    assert_eq!(state.document.with_untracked(|d| d.version().map(str::to_owned)), Some("7.3".to_owned()));
    assert_eq!(state.text_problems.with_untracked(|problems| problems.len()), 1);
    state.settle_json();
    assert_eq!(state.json_view_text.get_untracked(), typed, "the typed text stays");
}

/// An editor state provided in a mounted root, to drive it without its views.
fn mounted_state(document: flow_model::Document) -> EditorState {
    let state = std::rc::Rc::new(std::cell::RefCell::new(None));
    let captured = state.clone();
    let mounted = leptos::mount::mount_to(container(), move || {
        *captured.borrow_mut() = Some(EditorState::provide(document.clone(), DraftInfo::default()));
    });
    mounted.forget();
    state.borrow().expect("state")
}
