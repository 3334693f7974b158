use leptos::prelude::*;
use leptos::task::spawn_local;

use super::actions::{add_screen, view_center};
use super::export::{download_png, download_svg, svg_document};
use super::geometry::fit;
use super::graph_state::GraphState;
use crate::state::use_editor;

/// Zooms the view by `factor` around its middle.
pub fn zoom(graph: GraphState, factor: f64) {
    let (width, height) = graph.size.get_untracked();
    graph.move_view(graph.transform.get_untracked().zoom_at(factor, width / 2.0, height / 2.0));
}

/// Shows every node.
pub fn fit_to_view(graph: GraphState) {
    let (width, height) = graph.size.get_untracked();
    let transform = graph.positions.with_untracked(|positions| fit(positions, width, height));
    graph.transform.set(transform);
}

/// The graph's buttons: add a screen, zoom, fit, tidy up, overlays, export; and the legend.
#[component]
pub fn GraphToolbar() -> impl IntoView {
    let state = use_editor();
    let graph = expect_context::<GraphState>();
    let file_name = move |extension: &str| {
        let name = state.draft.with_untracked(|draft| draft.name.trim().to_owned());
        format!("{}-graph.{extension}", if name.is_empty() { "flow" } else { &name })
    };
    let svg = move || {
        graph.scene.with_untracked(|scene| {
            graph.positions.with_untracked(|positions| svg_document(scene, positions))
        })
    };
    let export_svg = move |_| {
        if let Err(message) = download_svg(&file_name("svg"), &svg()) {
            state.notify_error(message);
        }
    };
    let export_png = move |_| {
        let (name, svg) = (file_name("png"), svg());
        spawn_local(async move {
            if let Err(message) = download_png(&name, &svg).await {
                state.notify_error(message);
            }
        });
    };
    let tidy = move |_| {
        graph.tidy_up(state);
        request_animation_frame(move || fit_to_view(graph));
    };
    let percent = move || format!("{}%", flow_model::number::fixed(graph.transform.with(|t| t.k * 100.0), 0));
    view! {
        <div class="graph__toolbar" role="toolbar" aria-label="Graph">
            <button class="button button--small" data-testid="graph-add-screen" on:click=move |_| add_screen(state, graph, view_center(graph))>"+ Screen"</button>
            <span class="graph__group">
                <button class="button button--small" data-testid="graph-zoom-out" title="Zoom out (-)" aria-label="Zoom out" on:click=move |_| zoom(graph, 1.0 / 1.25)>"−"</button>
                <span class="graph__zoom" data-testid="graph-zoom">{percent}</span>
                <button class="button button--small" data-testid="graph-zoom-in" title="Zoom in (+)" aria-label="Zoom in" on:click=move |_| zoom(graph, 1.25)>"+"</button>
                <button class="button button--small" data-testid="graph-fit" title="Fit to view (0)" on:click=move |_| fit_to_view(graph)>"Fit"</button>
            </span>
            <button class="button button--small" data-testid="graph-tidy" title="Lay out every screen afresh, forgetting where they were moved" on:click=tidy>"Tidy up"</button>
            <button
                class="button button--small"
                class:button--pressed=move || graph.overlays.get()
                aria-pressed=move || graph.overlays.get().to_string()
                data-testid="graph-overlays"
                title="Show dead ends, unreachable screens, cycles and too many branches"
                on:click=move |_| graph.overlays.update(|shown| *shown = !*shown)
            >"Analysis"</button>
            <span class="graph__group">
                <button class="button button--small" data-testid="graph-export-svg" on:click=export_svg>"SVG"</button>
                <button class="button button--small" data-testid="graph-export-png" on:click=export_png>"PNG"</button>
            </span>
            <ul class="graph__legend" aria-label="Legend">
                <li class="graph__key graph__key--routing">"route"</li>
                <li class="graph__key graph__key--navigate">"navigate"</li>
                <li class="graph__key graph__key--list">"NavigationList"</li>
                <li class="graph__key graph__key--endpoint">"endpoint decides"</li>
                <li class="graph__key graph__key--flagged">"disagrees"</li>
            </ul>
        </div>
    }
    .into_any()
}
