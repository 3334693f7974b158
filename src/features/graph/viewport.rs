use flow_model::layout::Point;
use leptos::ev;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;

use super::edge_line::EdgeLine;
use super::geometry::{NODES, edge_path, node_at};
use super::gestures;
use super::graph_state::GraphState;
use super::node_card::NodeCard;
use crate::state::use_editor;

/// Arrowheads, one per edge style.
fn markers() -> impl IntoView {
    ["routing", "navigate", "list", "endpoint", "flagged"]
        .into_iter()
        .map(|kind| {
            view! {
                <marker id=format!("graph-arrow-{kind}") class=format!("graph-arrow graph-arrow--{kind}")
                    viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse">
                    <path d="M0 0L10 5L0 10z" />
                </marker>
            }
        })
        .collect_view()
}

/// The drawing: edges under node cards, the route being drawn on top, in one group that pan
/// and zoom move (one attribute per frame). Gestures are handled here, on the viewport.
#[component]
pub fn Viewport(
    /// The viewport element (for focus, size and the non-passive wheel listener).
    viewport: NodeRef<leptos::html::Div>,
    /// A finding was clicked: the position of its diagnostic.
    on_finding: Callback<usize>,
    /// A route was drawn from node to node.
    on_connect: Callback<(usize, usize)>,
    /// Keys pressed while the graph has focus.
    on_key: Callback<web_sys::KeyboardEvent>,
) -> impl IntoView {
    let state = use_editor();
    let graph = expect_context::<GraphState>();
    let selected_screen = Memo::new(move |_| state.selection.with(|selection| selection.screen));
    // Wheel zoom must be able to cancel scrolling: a non-passive listener.
    let wheel = StoredValue::new_local(None::<Closure<dyn Fn(web_sys::WheelEvent)>>);
    Effect::new(move |_| {
        let Some(element) = viewport.get() else { return };
        let target = element.clone();
        let listener = Closure::<dyn Fn(web_sys::WheelEvent)>::new(move |event: web_sys::WheelEvent| {
            gestures::wheel(graph, &event, &target);
        });
        let options = web_sys::AddEventListenerOptions::new();
        options.set_passive(false);
        let _ = element.add_event_listener_with_callback_and_add_event_listener_options(
            "wheel",
            listener.as_ref().unchecked_ref(),
            &options,
        );
        graph.size.set((element.client_width() as f64, element.client_height() as f64));
        wheel.set_value(Some(listener));
    });
    on_cleanup(move || {
        let listener = wheel.try_update_value(Option::take).flatten();
        if let (Some(element), Some(listener)) = (viewport.get_untracked(), listener) {
            let _ = element.remove_event_listener_with_callback("wheel", listener.as_ref().unchecked_ref());
        }
    });
    let resize = window_event_listener(ev::resize, move |_| {
        if let Some(element) = viewport.get_untracked() {
            graph.size.set((element.client_width() as f64, element.client_height() as f64));
        }
    });
    on_cleanup(move || resize.remove());

    let nodes = move || graph.scene.with(|scene| scene.nodes.iter().cloned().enumerate().collect::<Vec<_>>());
    let node_view = move |(index, node): (usize, super::scene::NodeView)| {
        let at = Memo::new(move |_| graph.positions.with(|p| p.get(index).copied().unwrap_or_default()));
        let screen = node.screen;
        let selected = Signal::derive(move || screen.is_some() && screen == Some(selected_screen.get()));
        let target = Signal::derive(move || {
            graph.connecting.with(|connecting| {
                connecting.is_some_and(|(from, point)| {
                    from != index && graph.positions.with(|p| node_at(p, point)) == Some(index)
                })
            })
        });
        view! { <NodeCard index=index node=node at=at selected=selected target=target /> }
    };
    let edges = move || graph.scene.with(|scene| scene.edges.iter().cloned().enumerate().collect::<Vec<_>>());
    let edge_view = move |(index, edge): (usize, super::scene::EdgeView)| {
        let (from, to, lane) = (edge.from, edge.to, edge.lane);
        let path = Memo::new(move |_| {
            graph.positions.with(|p| {
                let at = |i: usize| p.get(i).copied().unwrap_or_default();
                edge_path(at(from), at(to), from == to, lane)
            })
        });
        let dangling =
            graph.scene.with_untracked(|scene| scene.nodes.get(to).is_some_and(|n| n.screen.is_none()));
        let selected = Signal::derive(move || graph.selected_edge.get() == Some(index));
        view! { <EdgeLine index=index edge=edge path=path selected=selected dangling=dangling /> }
    };
    let drawing = move || {
        graph.connecting.get().map(|(from, to)| {
            let start = graph.positions.with(|p| p.get(from).copied().unwrap_or_default());
            let start = Point { x: start.x + NODES.node_width, y: start.y + NODES.node_height / 2.0 };
            view! {
                <path class="graph-drawing" marker-end="url(#graph-arrow-navigate)"
                    d=format!("M{:.1} {:.1}L{:.1} {:.1}", start.x, start.y, to.x, to.y) />
            }
        })
    };
    let element =
        move || viewport.get_untracked().map(|element| element.unchecked_into::<web_sys::Element>());
    view! {
        <div
            class="graph__viewport"
            node_ref=viewport
            tabindex="0"
            data-testid="graph-viewport"
            aria-label="Routing graph. Arrow keys move between screens, Enter opens one, Delete removes it."
            on:pointerdown=move |event| if let Some(element) = element() {
                gestures::down(graph, &event, &element, |problem| on_finding.run(problem));
            }
            on:pointermove=move |event| if let Some(element) = element() { gestures::moved(graph, &event, &element) }
            on:pointerup=move |event| if let Some(element) = element() {
                gestures::up(state, graph, &event, &element, false, |from, to| on_connect.run((from, to)));
            }
            on:pointercancel=move |event| if let Some(element) = element() {
                gestures::up(state, graph, &event, &element, true, |_, _| {});
            }
            on:keydown=move |event| on_key.run(event)
        >
            <svg class="graph__svg" class:graph__svg--far=move || graph.transform.with(|t| t.k < 0.55)
                class:graph__svg--plain=move || !graph.overlays.get() data-testid="graph-svg">
                <defs>{markers()}</defs>
                <g transform=move || graph.transform.with(|t| t.attribute()) data-testid="graph-content">
                    <g class="graph__edges">
                        <For each=edges key=|(index, edge)| (*index, edge.clone()) children=edge_view />
                    </g>
                    <g class="graph__nodes">
                        <For each=nodes key=|(index, node)| (*index, node.clone()) children=node_view />
                    </g>
                    {drawing}
                </g>
            </svg>
        </div>
    }
    .into_any()
}
