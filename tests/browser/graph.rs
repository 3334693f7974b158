use flow_model::{analyze, parse, samples};
use flowsmith::features::graph::GraphView;
use flowsmith::features::problems::problem_index;
use flowsmith::state::{DraftInfo, EditorState};
use leptos::prelude::*;
use wasm_bindgen_test::wasm_bindgen_test;

use crate::support::{container, find, texts, tick};

/// Mounts the graph view over `text`; returns the container and the state.
async fn mount(text: &str) -> (web_sys::HtmlElement, EditorState) {
    let document = parse(text).document.expect("JSON");
    let root = container();
    root.style().set_css_text("width: 1000px; height: 700px; display: flex;");
    let state = std::rc::Rc::new(std::cell::RefCell::new(None));
    let captured = state.clone();
    let mounted = leptos::mount::mount_to(root.clone(), move || {
        let state = EditorState::provide(document.clone(), DraftInfo::default());
        *captured.borrow_mut() = Some(state);
        let index = problem_index(state);
        view! { <GraphView index=index on_open=Callback::new(|()| {}) /> }
    });
    mounted.forget();
    tick().await;
    let state: EditorState = state.borrow().expect("state");
    (root, state)
}

fn count(root: &web_sys::HtmlElement, selector: &str) -> usize {
    root.query_selector_all(selector).expect("a selector").length() as usize
}

#[wasm_bindgen_test]
async fn one_node_per_screen_and_one_path_per_edge() {
    for text in [flow_model::templates::APPOINTMENT_BOOKING.to_owned(), samples::routing_flow(30, 4)] {
        let (root, state) = mount(&text).await;
        let graph = state.document.with_untracked(analyze);
        assert_eq!(count(&root, "[data-testid=graph-node]"), graph.nodes.len());
        assert_eq!(count(&root, "[data-testid=graph-edge-path]"), graph.edges.len());
        let ids = root.query_selector_all("[data-testid=graph-node]").expect("nodes");
        let first = ids.item(0).and_then(|n| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(n).ok());
        assert_eq!(
            first.and_then(|n| n.get_attribute("data-screen-id")),
            graph.nodes.first().map(|n| n.id.clone())
        );
    }
}

#[wasm_bindgen_test]
async fn edges_show_their_kind_and_disagreements_are_flagged() {
    let text = r#"{"version": "7.3", "data_api_version": "3.0", "routing_model": {"A": ["B"], "B": ["C"]}, "screens": [
        {"id": "A", "title": "First", "layout": {"type": "SingleColumnLayout", "children": [
          {"type": "EmbeddedLink", "text": "Skip", "on-click-action": {"name": "navigate", "next": {"type": "screen", "name": "C"}}},
          {"type": "Footer", "label": "Next", "on-click-action": {"name": "navigate", "next": {"type": "screen", "name": "B"}}}]}},
        {"id": "B", "title": "Second", "layout": {"type": "SingleColumnLayout", "children": [
          {"type": "Footer", "label": "Ask", "on-click-action": {"name": "data_exchange", "payload": {}}}]}},
        {"id": "C", "title": "Third", "terminal": true, "layout": {"type": "SingleColumnLayout", "children": [
          {"type": "Footer", "label": "Done", "on-click-action": {"name": "complete", "payload": {}}}]}}]}"#;
    let (root, _) = mount(text).await;
    let kinds: Vec<String> = (0..count(&root, "[data-testid=graph-edge]"))
        .filter_map(|i| root.query_selector_all("[data-testid=graph-edge]").ok()?.item(i as u32))
        .filter_map(|n| {
            wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(n).ok()?.get_attribute("data-kind")
        })
        .collect();
    assert_eq!(kinds, ["routing", "routing", "navigate", "navigate", "endpoint"]);
    let labels = texts(&root, ".graph-edge__label");
    assert!(labels.contains(&"Footer “Next”".to_owned()), "{labels:?}");
    assert!(labels.contains(&"decided by the endpoint".to_owned()), "{labels:?}");
    assert!(labels.contains(&"⚠ not in routing_model".to_owned()), "the link to C has no route: {labels:?}");
    assert_eq!(count(&root, ".graph-edge--flagged"), 1);
}

#[wasm_bindgen_test]
async fn a_dense_flow_with_cycles_and_dangling_targets_renders_and_names_its_problems() {
    let mut flow: serde_json::Value = serde_json::from_str(&samples::routing_flow(100, 4)).expect("JSON");
    flow["routing_model"]["SCREEN_CV"] = serde_json::json!(["SCREEN_BA", "NOWHERE"]);
    let (root, state) = mount(&flow.to_string()).await;
    assert_eq!(count(&root, "[data-testid=graph-node]"), 101, "100 screens and the missing one");
    let graph = state.document.with_untracked(analyze);
    assert_eq!(count(&root, "[data-testid=graph-edge-path]"), graph.edges.len());
    assert!(graph.edges.len() >= 300, "{} edges", graph.edges.len());
    let performance = web_sys::window().and_then(|w| w.performance()).expect("performance");
    let measures = performance.get_entries_by_name("flowsmith:graph-layout");
    assert!(
        measures.length() > 0,
        "the layout is measured: {:?}",
        performance.get_entries_by_type("measure")
    );
    let missing = find(&root, "[data-testid=graph-node][data-screen-id=NOWHERE]");
    assert!(missing.get_attribute("class").unwrap_or_default().contains("graph-node--missing"));
    assert!(count(&root, "[data-testid=graph-finding][data-kind=cycle]") > 0, "the cycle is named");
    // Selecting a node selects the screen.
    let node = find(&root, "[data-testid=graph-node][data-screen-id=SCREEN_C]");
    assert_eq!(node.get_attribute("aria-current"), None);
    state.selection.update(|selection| selection.screen = 2);
    tick().await;
    assert_eq!(node.get_attribute("aria-current").as_deref(), Some("true"));
}
