//! What the graph's gestures, buttons and keys do to the flow and the selection.
use std::sync::Arc;

use flow_model::graph::EdgeKind;
use flow_model::layout::Point;
use flow_model::model::Flow;
use leptos::prelude::*;
use serde_json::Value;
use wasm_bindgen::JsCast;

use super::graph_state::GraphState;
use crate::features::editor::fresh_screen_id;
use crate::features::problems::{ProblemIndex, select_problem};
use crate::state::{EditorState, Selection};

/// Selects the screen of node `index` (a missing screen has none to select).
pub fn select_node(state: EditorState, graph: GraphState, index: usize) {
    let screen = graph.scene.with_untracked(|scene| scene.nodes.get(index).and_then(|node| node.screen));
    if let Some(screen) = screen {
        state.selection.set(Selection { screen, ..Selection::default() });
    }
}

/// Selects what the diagnostic at `position` is about, as the problems panel does, and shows
/// that diagnostic's row in the panel.
pub fn reveal_problem(state: EditorState, index: Signal<Arc<ProblemIndex>>, position: usize) {
    index.with_untracked(|index| select_problem(state, index, position));
    let row = web_sys::window()
        .and_then(|window| window.document())
        .and_then(|document| {
            document.query_selector(&format!("[data-testid=problem][data-position=\"{position}\"]")).ok()
        })
        .flatten();
    if let Some(row) = row.and_then(|row| row.dyn_into::<web_sys::HtmlElement>().ok()) {
        row.scroll_into_view();
        let _ = row.focus();
    }
}

/// The pointer of the routing model entry `from` → `to`, if there is one.
fn route_pointer(root: &Value, from: &str, to: &str) -> Option<String> {
    let routes = Flow::from_value(root)?.routes_from(from)?;
    let index = routes.iter().position(|route| route.as_str() == Some(to))?;
    Some(Flow::route_pointer(from, index))
}

/// Removes what makes edge `index`: a route from the routing model, a navigate action from
/// its component (the problems panel then asks for another), or, for the endpoint's choice,
/// the route it chooses from.
pub fn remove_edge(state: EditorState, graph: GraphState, index: usize) {
    let Some(edge) = graph.graph.with_untracked(|graph| graph.edges.get(index).cloned()) else { return };
    let at = match edge.kind {
        EdgeKind::DataExchange => {
            state.document.with_untracked(|document| route_pointer(document.root(), &edge.from, &edge.to))
        }
        _ => Some(edge.pointer.clone()),
    };
    let Some(at) = at else { return };
    if state.edit(|document| document.remove_property(&at)) {
        graph.selected_edge.set(None);
        let what = match edge.kind {
            EdgeKind::Navigate | EdgeKind::NavigationListItem => "navigate action",
            _ => "route",
        };
        state.notify(format!("Removed the {what} from {} to {}. Undo with Ctrl+Z.", edge.from, edge.to));
    }
}

/// Adds a new screen at the end of the flow, drawn at `at`, and selects it.
pub fn add_screen(state: EditorState, graph: GraphState, at: Point) {
    let ids: Vec<String> = state
        .document
        .with_untracked(|document| document.screen_labels().into_iter().map(|(id, _)| id).collect());
    let id = fresh_screen_id(&ids, "NEW_SCREEN");
    let position = ids.len();
    let screen = flow_model::Document::new_screen(&id, "New screen");
    if state.edit(|document| document.add_screen(position, screen)) {
        graph.keep_positions(state, Some((&id, at)));
        state.selection.set(Selection { screen: position, ..Selection::default() });
        state.notify(format!("Added screen {id}. Drag from another screen's handle to route to it."));
    }
}

/// The graph point at the middle of the view.
pub fn view_center(graph: GraphState) -> Point {
    let (width, height) = graph.size.get_untracked();
    graph.transform.get_untracked().to_graph(width / 2.0, height / 2.0)
}
