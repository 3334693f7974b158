use flow_model::layout::Point;
use flow_model::number::fixed;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;

use super::edge_line::EdgeLine;
use super::geometry::{NODES, canvas, edge_path, fits, node_at};
use super::gestures;
use super::graph_state::GraphState;
use super::markup::markers;
use super::node_card::NodeCard;
use super::toolbar::fit_to_view;
use crate::state::use_editor;

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
    // The view's size follows the panes around it; a flow that was in view whole stays so.
    let observer = StoredValue::new_local(None::<(web_sys::ResizeObserver, Closure<dyn Fn()>)>);
    Effect::new(move |_| {
        let Some(element) = viewport.get() else { return };
        let target = element.clone();
        let resized = Closure::<dyn Fn()>::new(move || {
            let size = (target.client_width() as f64, target.client_height() as f64);
            let (before, t) = (graph.size.get_untracked(), graph.transform.get_untracked());
            if size == before || size.0 <= 0.0 {
                return;
            }
            let was_whole = graph.positions.with_untracked(|p| fits(p, t, before.0, before.1));
            graph.size.set(size);
            if was_whole {
                fit_to_view(graph);
            }
        });
        if let Ok(resize) = web_sys::ResizeObserver::new(resized.as_ref().unchecked_ref()) {
            resize.observe(&element);
            observer.set_value(Some((resize, resized)));
        }
    });
    on_cleanup(move || {
        if let Some((resize, _)) = observer.try_update_value(Option::take).flatten() {
            resize.disconnect();
        }
    });

    let nodes = move || graph.scene.with(|scene| scene.nodes.iter().cloned().enumerate().collect::<Vec<_>>());
    let node_view = move |(index, node): (usize, super::scene::NodeView)| {
        let at = Memo::new(move |_| graph.positions.with(|p| p.get(index).copied().unwrap_or_default()));
        let screen = node.screen;
        let card_state = Signal::derive(move || {
            let selected = screen.is_some() && screen == Some(selected_screen.get());
            let target = graph.connecting.with(|connecting| {
                connecting.is_some_and(|(from, point)| {
                    from != index && graph.positions.with(|p| node_at(p, point)) == Some(index)
                })
            });
            (selected, target)
        });
        view! { <NodeCard index=index node=node at=at state=card_state /> }
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
                    d=format!("M{} {}L{} {}", fixed(start.x, 1), fixed(start.y, 1), fixed(to.x, 1), fixed(to.y, 1)) />
            }
        })
    };
    let area = Memo::new(move |_| graph.positions.with(|p| canvas(p)));
    let element =
        move || viewport.get_untracked().map(|element| element.unchecked_into::<web_sys::Element>());
    view! {
        <div
            class="graph__viewport"
            node_ref=viewport
            tabindex="0"
            role="application"
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
            // Pan and zoom move this plane with a CSS transform: no repaint of the drawing.
            <div class="graph__plane" class:graph__plane--moving=move || graph.moving.get()
                style:transform=move || graph.transform.with(|t| t.css()) data-testid="graph-content">
                <svg
                    class=move || {
                        let far = if graph.transform.with(|t| t.k < 0.55) { " graph__svg--far" } else { "" };
                        let plain = if graph.overlays.get() { "" } else { " graph__svg--plain" };
                        format!("graph__svg{far}{plain}")
                    }
                    data-testid="graph-svg"
                    style=move || { let (x, y, w, h) = area.get(); let (x, y, w, h) = (fixed(x, 1), fixed(y, 1), fixed(w, 1), fixed(h, 1)); format!("left:{x}px;top:{y}px;width:{w}px;height:{h}px") }
                    viewBox=move || { let (x, y, w, h) = area.get(); let (x, y, w, h) = (fixed(x, 1), fixed(y, 1), fixed(w, 1), fixed(h, 1)); format!("{x} {y} {w} {h}") }
                >
                    <defs inner_html=markers() />
                    <g class="graph__edges">
                        <For each=edges key=|(index, edge)| (*index, edge.clone()) children=edge_view />
                    </g>
                    <g class="graph__nodes">
                        <For each=nodes key=|(index, node)| (*index, node.clone()) children=node_view />
                    </g>
                    {drawing}
                </svg>
            </div>
        </div>
    }
    .into_any()
}
