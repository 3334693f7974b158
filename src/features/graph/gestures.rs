//! Pointer and wheel gestures on the graph's viewport: pan (drag the background), zoom (wheel,
//! pinch), drag a node, draw a route from a node's handle, pick an edge or a finding. One set of
//! listeners on the viewport; what was hit is read from `data-*` attributes, so 100 nodes and
//! 300 edges add no listeners of their own.
use flow_model::layout::Point;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, MouseEvent, PointerEvent, WheelEvent};

use super::actions::select_node;
use super::geometry::{Transform, node_at};
use super::graph_state::{Gesture, GraphState};
use crate::state::EditorState;

/// The pointer's position in the viewport, in pixels.
pub fn local(event: &MouseEvent, viewport: &Element) -> (f64, f64) {
    let rect = viewport.get_bounding_client_rect();
    (event.client_x() as f64 - rect.left(), event.client_y() as f64 - rect.top())
}

/// The index in attribute `name` of the closest element around the event's target having it.
fn hit(event: &PointerEvent, name: &str) -> Option<usize> {
    let target: Element = event.target()?.dyn_into().ok()?;
    target.closest(&format!("[{name}]")).ok()??.get_attribute(name)?.parse().ok()
}

/// Whether the event's target is inside an element having attribute `name`.
fn within(event: &PointerEvent, name: &str) -> bool {
    let target = event.target().and_then(|target| target.dyn_into::<Element>().ok());
    target.is_some_and(|target| target.closest(&format!("[{name}]")).ok().flatten().is_some())
}

fn two_pointers(graph: GraphState) -> Option<((f64, f64), (f64, f64))> {
    graph.pointers.with_value(|pointers| match pointers.as_slice() {
        [a, b, ..] => Some(((a.1, a.2), (b.1, b.2))),
        _ => None,
    })
}

fn distance(a: (f64, f64), b: (f64, f64)) -> f64 {
    ((a.0 - b.0).powi(2) + (a.1 - b.1).powi(2)).sqrt().max(1.0)
}

/// A pointer went down on the viewport.
pub fn down(graph: GraphState, event: &PointerEvent, viewport: &Element, on_finding: impl Fn(usize)) {
    let (x, y) = local(event, viewport);
    let id = event.pointer_id();
    graph.pointers.update_value(|pointers| {
        pointers.retain(|pointer| pointer.0 != id);
        pointers.push((id, x, y));
    });
    let _ = viewport.set_pointer_capture(id);
    if let Some((a, b)) = two_pointers(graph) {
        graph.drag.set(None);
        graph.connecting.set(None);
        graph
            .gesture
            .set_value(Gesture::Pinch { distance: distance(a, b), from: graph.transform.get_untracked() });
        return;
    }
    if event.button() != 0 {
        return;
    }
    let gesture = if let Some(problem) = hit(event, "data-finding") {
        // No focus for the viewport: it goes to the problem's row.
        event.prevent_default();
        on_finding(problem);
        Gesture::Idle
    } else if let Some(from) = hit(event, "data-node").filter(|_| within(event, "data-handle")) {
        graph.connecting.set(Some((from, graph.transform.get_untracked().to_graph(x, y))));
        Gesture::Connect { from }
    } else if let Some(index) = hit(event, "data-node") {
        let at =
            graph.positions.with_untracked(|positions| positions.get(index).copied()).unwrap_or_default();
        Gesture::Node { index, x, y, at, moved: false }
    } else if let Some(edge) = hit(event, "data-edge") {
        graph.selected_edge.set(Some(edge));
        Gesture::Idle
    } else {
        Gesture::Pan { x, y, from: graph.transform.get_untracked() }
    };
    graph.gesture.set_value(gesture);
}

/// The pointer moved.
pub fn moved(graph: GraphState, event: &PointerEvent, viewport: &Element) {
    let (x, y) = local(event, viewport);
    let id = event.pointer_id();
    graph.pointers.update_value(|pointers| {
        if let Some(pointer) = pointers.iter_mut().find(|pointer| pointer.0 == id) {
            *pointer = (id, x, y);
        }
    });
    match graph.gesture.get_value() {
        Gesture::Idle => {}
        Gesture::Pan { x: x0, y: y0, from } => {
            graph.move_view(Transform { x: from.x + x - x0, y: from.y + y - y0, k: from.k });
        }
        Gesture::Node { index, x: x0, y: y0, at, moved } => {
            let k = graph.transform.get_untracked().k;
            let (dx, dy) = ((x - x0) / k, (y - y0) / k);
            if moved || dx.abs() + dy.abs() > 4.0 / k {
                graph.gesture.set_value(Gesture::Node { index, x: x0, y: y0, at, moved: true });
                graph.drag.set(Some((index, Point { x: at.x + dx, y: at.y + dy })));
            }
        }
        Gesture::Connect { from } => {
            graph.connecting.set(Some((from, graph.transform.get_untracked().to_graph(x, y))));
        }
        Gesture::Pinch { distance: start, from } => {
            if let Some((a, b)) = two_pointers(graph) {
                let middle = ((a.0 + b.0) / 2.0, (a.1 + b.1) / 2.0);
                graph.move_view(from.zoom_at(distance(a, b) / start, middle.0, middle.1));
            }
        }
    }
}

/// The pointer went up (or was cancelled: `cancelled` drops what was being drawn).
pub fn up(
    state: EditorState,
    graph: GraphState,
    event: &PointerEvent,
    viewport: &Element,
    cancelled: bool,
    on_connect: impl Fn(usize, usize),
) {
    let (x, y) = local(event, viewport);
    let id = event.pointer_id();
    graph.pointers.update_value(|pointers| pointers.retain(|pointer| pointer.0 != id));
    let gesture = graph.gesture.get_value();
    graph.gesture.set_value(Gesture::Idle);
    match gesture {
        Gesture::Node { index, moved: false, .. } if !cancelled => select_node(state, graph, index),
        Gesture::Node { index, moved: true, .. } => {
            let dropped = graph.drag.get_untracked();
            let id = graph.scene.with_untracked(|scene| scene.nodes.get(index).map(|node| node.id.clone()));
            if let (Some((_, at)), Some(id), false) = (dropped, id, cancelled) {
                graph.keep_positions(state, Some((&id, at)));
            }
            graph.drag.set(None);
        }
        Gesture::Connect { from } => {
            graph.connecting.set(None);
            let at = graph.transform.get_untracked().to_graph(x, y);
            let to = graph.positions.with_untracked(|positions| node_at(positions, at));
            if let (Some(to), false) = (to, cancelled)
                && to != from
            {
                on_connect(from, to);
            }
        }
        Gesture::Pan { x: x0, y: y0, .. } if (x - x0).abs() + (y - y0).abs() < 3.0 => {
            graph.selected_edge.set(None);
        }
        _ => {}
    }
}

/// The wheel: zoom around the pointer (a trackpad pinch arrives as a wheel with Ctrl);
/// a sideways scroll pans.
pub fn wheel(graph: GraphState, event: &WheelEvent, viewport: &Element) {
    event.prevent_default();
    let (x, y) = local(event, viewport);
    let scale = if event.delta_mode() == WheelEvent::DOM_DELTA_LINE { 16.0 } else { 1.0 };
    let (dx, dy) = (event.delta_x() * scale, event.delta_y() * scale);
    let t = graph.transform.get_untracked();
    if event.ctrl_key() || (dx == 0.0 && !event.shift_key()) {
        graph.move_view(t.zoom_at((-dy * 0.0015).exp(), x, y));
    } else {
        let (dx, dy) = if event.shift_key() && dx == 0.0 { (dy, 0.0) } else { (dx, dy) };
        graph.move_view(Transform { x: t.x - dx, y: t.y - dy, k: t.k });
    }
}
