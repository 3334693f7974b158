use std::sync::Arc;

use flow_model::ScreenReference;
use leptos::prelude::*;

use super::actions::{remove_edge, reveal_problem, select_node};
use super::connect_dialog::{ConnectDialog, RouteOffer};
use super::edge_bar::EdgeBar;
use super::geometry::{Direction, NODES, Transform, first_view, step};
use super::graph_state::GraphState;
use super::minimap::Minimap;
use super::toolbar::{GraphToolbar, fit_to_view, zoom};
use super::viewport::Viewport;
use crate::features::editor::DeleteScreenDialog;
use crate::features::problems::ProblemIndex;
use crate::state::{EditorState, use_editor};

/// Pans so that node `index` is in view, when it is not.
fn reveal_node(graph: GraphState, index: usize) {
    let Some(at) = graph.positions.with_untracked(|p| p.get(index).copied()) else { return };
    let (width, height) = graph.size.get_untracked();
    let t = graph.transform.get_untracked();
    let (x, y) = (t.x + at.x * t.k, t.y + at.y * t.k);
    let (w, h) = (NODES.node_width * t.k, NODES.node_height * t.k);
    if x < 0.0 || y < 0.0 || x + w > width || y + h > height {
        graph.transform.set(Transform {
            x: width / 2.0 - (at.x + NODES.node_width / 2.0) * t.k,
            y: height / 2.0 - (at.y + NODES.node_height / 2.0) * t.k,
            k: t.k,
        });
    }
}

/// The node the arrow key `direction` leads to from the selected screen's node.
fn next_node(state: EditorState, graph: GraphState, direction: Direction) -> Option<usize> {
    let screen = state.selection.get_untracked().screen;
    let (real, positions): (Vec<usize>, Vec<_>) = graph.scene.with_untracked(|scene| {
        graph.positions.with_untracked(|p| {
            scene
                .nodes
                .iter()
                .enumerate()
                .filter(|(_, node)| node.screen.is_some())
                .filter_map(|(index, _)| Some((index, *p.get(index)?)))
                .unzip()
        })
    });
    let Some(from) = graph.node_of_screen(screen).and_then(|node| real.iter().position(|&i| i == node))
    else {
        return real.first().copied();
    };
    step(&positions, from, direction).and_then(|at| real.get(at).copied())
}

/// The routing graph: every screen as a card, every way between screens as an edge, laid out
/// left to right; pan, zoom, minimap; drag nodes, draw routes, remove edges, add screens;
/// overlays of what the analysis found, each linked to its problem; export as SVG or PNG.
#[component]
pub fn GraphView(
    /// The problem index: counts on cards and the diagnostics overlays link to.
    #[prop(into)]
    index: Signal<Arc<ProblemIndex>>,
    /// Opens the selected screen in the editor (the cards).
    on_open: Callback<()>,
) -> impl IntoView {
    let state = use_editor();
    let graph = GraphState::new(state, index);
    provide_context(graph);
    // Cleanups run before the memos are dropped: the layout is still there to keep.
    on_cleanup(move || graph.keep_positions(state, None));
    let viewport = NodeRef::<leptos::html::Div>::new();
    let offer = RwSignal::new(None::<RouteOffer>);
    let deleting = RwSignal::new(None::<(usize, String, Vec<ScreenReference>)>);
    let on_connect = Callback::new(move |(from, to): (usize, usize)| {
        let ends = graph.scene.with_untracked(|scene| {
            let from = scene.nodes.get(from)?;
            let to = scene.nodes.get(to)?;
            Some((from.screen?, from.id.clone(), to.id.clone(), to.screen.is_some()))
        });
        match ends {
            Some((screen, from, to, true)) => {
                offer.set(Some(
                    state.document.with_untracked(|d| RouteOffer::new(d.root(), screen, from, to)),
                ));
            }
            Some((_, _, to, false)) => {
                state.notify_error(format!("No screen is called {to}: add it first, or rename one."))
            }
            None => {}
        }
    });
    let on_finding = Callback::new(move |position: usize| reveal_problem(state, index, position));
    let on_key = Callback::new(move |event: web_sys::KeyboardEvent| {
        if event.ctrl_key() || event.meta_key() || event.alt_key() || event.default_prevented() {
            return;
        }
        let key = event.key();
        if let Some(direction) = Direction::from_key(&key) {
            if let Some(next) = next_node(state, graph, direction) {
                select_node(state, graph, next);
                reveal_node(graph, next);
            }
        } else {
            match key.as_str() {
                "Enter" => on_open.run(()),
                "Delete" | "Backspace" => match graph.selected_edge.get_untracked() {
                    Some(edge) => remove_edge(state, graph, edge),
                    None => {
                        let screen = state.selection.get_untracked().screen;
                        let id = state
                            .document
                            .with_untracked(|d| d.screen_labels().into_iter().nth(screen).map(|(id, _)| id));
                        if let Some(id) = id {
                            let references = state.document.with_untracked(|d| d.screen_references(&id));
                            deleting.set(Some((screen, id, references)));
                        }
                    }
                },
                "+" | "=" => zoom(graph, 1.25),
                "-" => zoom(graph, 1.0 / 1.25),
                "0" => fit_to_view(graph),
                "Escape" => graph.selected_edge.set(None),
                _ => return,
            }
        }
        event.prevent_default();
    });
    // Show the whole flow when the view opens, once its size is known.
    request_animation_frame(move || {
        if let Some(element) = viewport.get_untracked() {
            let (width, height) = (element.client_width() as f64, element.client_height() as f64);
            graph.size.set((width, height));
            graph.transform.set(graph.positions.with_untracked(|p| first_view(p, width, height)));
        }
    });
    let no_entry = move || graph.scene.with(|scene| scene.no_entry);
    view! {
        <section class="graph" data-testid="graph-view" aria-label="Routing graph">
            <GraphToolbar />
            <Show when=move || no_entry().is_some() && graph.overlays.get()>
                <button class="graph__banner" data-testid="graph-no-entry" on:click=move |_| if let Some(position) = no_entry() { reveal_problem(state, index, position) }>
                    "⚠ No entry screen: every screen has a way in, so the flow has nowhere to start. Show the problem"
                </button>
            </Show>
            <EdgeBar index=index on_open=on_open />
            <div class="graph__stage">
                <Viewport viewport=viewport on_finding=on_finding on_connect=on_connect on_key=on_key />
                <Minimap />
            </div>
            <ConnectDialog connecting=offer />
            <DeleteScreenDialog deleting=deleting />
        </section>
    }
    .into_any()
}
