use flow_model::number::fixed;
use std::fmt::Write;

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::geometry::{NODES, Transform, bounds, fits};
use super::graph_state::GraphState;

/// Largest size of the minimap in pixels (it takes the graph's proportions).
const WIDTH: f64 = 200.0;
const HEIGHT: f64 = 140.0;

/// The whole graph in small, with the visible part framed; shown only when the graph does not
/// fit the view. Pressing or dragging on it centres the view there.
#[component]
pub fn Minimap() -> impl IntoView {
    let graph = expect_context::<GraphState>();
    let shown = Memo::new(move |_| {
        let (width, height) = graph.size.get();
        graph.positions.with(|positions| !fits(positions, graph.transform.get(), width, height))
    });
    // Graph → minimap scale and offset.
    let frame = Memo::new(move |_| {
        graph.positions.with(|positions| {
            let (left, top, right, bottom) = bounds(positions).unwrap_or((0.0, 0.0, 1.0, 1.0));
            let scale = (WIDTH / (right - left)).min(HEIGHT / (bottom - top));
            (left, top, scale, ((right - left) * scale).max(24.0), ((bottom - top) * scale).max(24.0))
        })
    });
    // The cards as one string (they change when the layout does); the frame of what is
    // visible as one transform (it changes with every pan and zoom step).
    let cards = move || {
        let (left, top, scale, _, _) = frame.get();
        let mut svg = String::new();
        graph.positions.with(|positions| {
            for p in positions.iter() {
                let _ = write!(
                    svg,
                    r#"<rect x="{}" y="{}" width="{}" height="{}"/>"#,
                    fixed((p.x - left) * scale, 1),
                    fixed((p.y - top) * scale, 1),
                    fixed(NODES.node_width * scale, 1),
                    fixed(NODES.node_height * scale, 1)
                );
            }
        });
        svg
    };
    let visible = move || {
        let (left, top, scale, _, _) = frame.get();
        let t = graph.transform.get();
        let (width, height) = graph.size.get();
        let corner = t.to_graph(0.0, 0.0);
        format!(
            "translate({} {}) scale({} {})",
            fixed((corner.x - left) * scale, 1),
            fixed((corner.y - top) * scale, 1),
            fixed(width / t.k * scale, 2),
            fixed(height / t.k * scale, 2)
        )
    };
    let dragging = StoredValue::new(false);
    let center_at = move |event: &web_sys::PointerEvent| {
        let (left, top, scale, _, _) = frame.get_untracked();
        let Some(svg) = event.current_target().and_then(|target| target.dyn_into::<web_sys::Element>().ok())
        else {
            return;
        };
        let (x, y) = super::gestures::local(event, &svg);
        let (gx, gy) = (x / scale + left, y / scale + top);
        let (width, height) = graph.size.get_untracked();
        let k = graph.transform.get_untracked().k;
        graph.move_view(Transform { x: width / 2.0 - gx * k, y: height / 2.0 - gy * k, k });
    };
    view! {
        <Show when=move || shown.get()>
            <svg
                class="graph-minimap"
                data-testid="graph-minimap"
                width=move || fixed(frame.get().3, 1).to_string()
                height=move || fixed(frame.get().4, 1).to_string()
                aria-label="Overview: press to move the view"
                on:pointerdown=move |event| {
                    event.stop_propagation();
                    dragging.set_value(true);
                    center_at(&event);
                }
                on:pointermove=move |event| if dragging.get_value() { center_at(&event) }
                on:pointerup=move |_| dragging.set_value(false)
                on:pointerleave=move |_| dragging.set_value(false)
            >
                <g class="graph-minimap__nodes" inner_html=cards />
                <rect class="graph-minimap__view" width="1" height="1" transform=visible />
            </svg>
        </Show>
    }
    .into_any()
}
