//! The routing graph end to end: draw a route by dragging from one screen's handle to another
//! and see routing_model change in the JSON view; select a node and see the editor follow.
use std::time::Duration;

use fantoccini::actions::{InputSource, MOUSE_BUTTON_LEFT, MouseActions, PointerAction};

use crate::support::{self, Page, key};

/// An endpoint flow, its routing model first so the JSON view shows it without scrolling.
const FLOW: &str = r#"{"version": "7.3", "data_api_version": "3.0",
  "routing_model": {"START": ["DETAILS"], "DETAILS": ["DONE"]},
  "screens": [
    {"id": "START", "title": "Start", "layout": {"type": "SingleColumnLayout", "children": [
      {"type": "Footer", "label": "Next", "on-click-action": {"name": "navigate", "next": {"type": "screen", "name": "DETAILS"}}}]}},
    {"id": "DETAILS", "title": "Details", "layout": {"type": "SingleColumnLayout", "children": [
      {"type": "Footer", "label": "Send", "on-click-action": {"name": "data_exchange", "payload": {}}}]}},
    {"id": "DONE", "title": "All done", "terminal": true, "layout": {"type": "SingleColumnLayout", "children": [
      {"type": "Footer", "label": "Finish", "on-click-action": {"name": "complete", "payload": {}}}]}}]}"#;

/// Opens `flow` through the paste dialog.
pub async fn open_flow(page: &Page<'_>, flow: &str) {
    page.menu("file-menu", "paste-flow").await;
    page.script(&format!(
        "const area = document.querySelector('[data-testid=paste-text]'); area.value = {}; area.dispatchEvent(new Event('input', {{ bubbles: true }}));",
        serde_json::Value::from(flow)
    ))
    .await;
    page.click("[data-testid=paste-open]").await;
}

/// Drags with the mouse from the center of `from` to the center of `to`, in steps.
pub async fn drag(page: &Page<'_>, from: &str, to: &str) {
    let start = page.find(from).await;
    let end = page.find(to).await;
    let mouse = MouseActions::new("mouse".to_owned())
        .then(PointerAction::MoveToElement { element: start, duration: None, x: 0.0, y: 0.0 })
        .then(PointerAction::Down { button: MOUSE_BUTTON_LEFT })
        .then(PointerAction::MoveBy { duration: Some(Duration::from_millis(100)), x: 30.0, y: 10.0 })
        .then(PointerAction::MoveToElement {
            element: end,
            duration: Some(Duration::from_millis(200)),
            x: 0.0,
            y: 0.0,
        })
        .then(PointerAction::Up { button: MOUSE_BUTTON_LEFT });
    page.client.perform_actions(mouse).await.expect("the drag is performed");
}

#[tokio::test]
#[ignore = "needs the built app and chromedriver: run by `cargo xtask test`"]
async fn dragging_between_two_nodes_adds_a_route_and_selecting_a_node_switches_screens() {
    let (_server, url) = support::start_server();
    let (_driver, client) = support::start_browser().await;
    let page = Page { client: &client };
    client.goto(&url).await.expect("the app loads");
    page.find("[data-testid=screen-list]").await;
    open_flow(&page, FLOW).await;
    page.until("the flow opens", "document.querySelector('[data-screen-id=DETAILS]')").await;

    page.click("[data-testid=workspace-graph]").await;
    page.until("three nodes", "document.querySelectorAll('[data-testid=graph-node]').length == 3").await;
    assert_eq!(
        page.script("return document.querySelectorAll('[data-testid=graph-edge-path]').length").await,
        serde_json::json!(4),
        "two routes, the Footer's navigate, the endpoint's choice"
    );

    // Selecting a node selects its screen in the editor.
    page.click("[data-testid=graph-node][data-screen-id=DONE] .graph-node__card").await;
    page.until(
        "DONE selected in the screen list",
        "document.querySelector('.screen-item--selected[data-screen-id=DONE]')",
    )
    .await;
    page.until(
        "the inspector shows DONE",
        "document.querySelector('[data-testid=screen-id]')?.value == 'DONE'",
    )
    .await;

    // Drag from START's handle to DONE: a route, offered with the Footer's navigate too.
    drag(
        &page,
        "[data-testid=graph-node][data-screen-id=START] [data-testid=graph-handle]",
        "[data-testid=graph-node][data-screen-id=DONE] .graph-node__card",
    )
    .await;
    page.find("[data-testid=connect-dialog][open]").await;
    page.click("[data-testid=connect-confirm]").await;
    page.until("five edges", "document.querySelectorAll('[data-testid=graph-edge-path]').length == 5").await;
    page.click("[data-testid=workspace-json]").await;
    page.until(
        "routing_model has the new route in the JSON view",
        r#"document.querySelector('[data-testid=json-editor-content]')?.textContent.replace(/\s+/g, '').includes('"START":["DETAILS","DONE"]')"#,
    )
    .await;
    page.click("[data-testid=workspace-graph]").await;

    // Arrow keys move the selection; Enter opens the screen in the editor.
    page.click("[data-testid=graph-node][data-screen-id=START] .graph-node__card").await;
    page.keys("[data-testid=graph-viewport]", "\u{E014}").await; // →
    page.until(
        "DETAILS selected",
        "document.querySelector('.screen-item--selected[data-screen-id=DETAILS]')",
    )
    .await;
    page.keys("[data-testid=graph-viewport]", key::ENTER).await;
    page.until("the cards of DETAILS", "!document.querySelector('[data-testid=graph-view]') && document.querySelector('.canvas')?.textContent.includes('Details')").await;
    client.close().await.expect("the session closes");
}

#[tokio::test]
#[ignore = "needs the built app and chromedriver: run by `cargo xtask test`"]
async fn a_dense_tangled_flow_renders_and_names_its_problems() {
    let (_server, url) = support::start_server();
    let (_driver, client) = support::start_browser().await;
    let page = Page { client: &client };
    client.goto(&url).await.expect("the app loads");
    page.find("[data-testid=screen-list]").await;
    // 100 screens, a dense routing model, plus a cycle and a route to a screen that is not there.
    let mut flow: serde_json::Value =
        serde_json::from_str(&flow_model::samples::routing_flow(100, 4)).expect("JSON");
    flow["routing_model"]["SCREEN_CV"] = serde_json::json!(["SCREEN_A", "GONE"]);
    open_flow(&page, &flow.to_string()).await;
    page.until("the flow opens", "document.querySelector('[data-screen-id=SCREEN_CV]')").await;
    page.click("[data-testid=workspace-graph]").await;
    page.until("101 nodes", "document.querySelectorAll('[data-testid=graph-node]').length == 101").await;
    page.until(
        "the missing screen's node",
        "document.querySelector('[data-testid=graph-node][data-screen-id=GONE]')",
    )
    .await;
    page.until("a cycle is shown", "document.querySelector('[data-testid=graph-finding][data-kind=cycle]')")
        .await;
    // The finding links to its diagnostic in the problems panel.
    page.click("[data-testid=graph-finding][data-kind=cycle]").await;
    page.until("its problem is focused", "document.activeElement?.dataset.testid == 'problem' && document.activeElement.dataset.code == 'INVALID_ROUTING_MODEL'").await;
    client.close().await.expect("the session closes");
}

#[tokio::test]
#[ignore = "needs the built app and chromedriver: run by `cargo xtask test`"]
async fn the_graph_exports_as_svg_and_png() {
    let downloads = std::env::temp_dir().join(format!("flowsmith-e2e-graph-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&downloads);
    std::fs::create_dir_all(&downloads).expect("a downloads folder");
    let (_server, url) = support::start_server();
    let (_driver, client) = support::start_browser_downloading_to(Some(&downloads)).await;
    let page = Page { client: &client };
    client.goto(&url).await.expect("the app loads");
    page.find("[data-testid=screen-list]").await;
    open_flow(&page, FLOW).await;
    page.until("the flow opens", "document.querySelector('[data-screen-id=DETAILS]')").await;
    page.click("[data-testid=workspace-graph]").await;
    page.until("three nodes", "document.querySelectorAll('[data-testid=graph-node]').length == 3").await;
    page.click("[data-testid=graph-export-svg]").await;
    page.click("[data-testid=graph-export-png]").await;
    let read = |name: &str| {
        let path = downloads.join(name);
        async move {
            for _ in 0..150 {
                if let Ok(bytes) = std::fs::read(&path)
                    && !bytes.is_empty()
                {
                    return bytes;
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            panic!("{} was not downloaded", path.display());
        }
    };
    let svg = String::from_utf8(read("Pasted flow-graph.svg").await).expect("UTF-8");
    assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""), "{svg}");
    assert_eq!(svg.matches("<g class=\"graph-node").count(), 3);
    assert_eq!(svg.matches("data-testid=\"graph-edge-path\"").count(), 4);
    let png = read("Pasted flow-graph.png").await;
    assert_eq!(png.get(..8), Some(&b"\x89PNG\r\n\x1a\n"[..]), "a PNG file");
    client.close().await.expect("the session closes");
}
