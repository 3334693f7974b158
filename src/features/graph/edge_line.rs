use flow_model::graph::{EdgeKind, Mismatch};
use flow_model::layout::Point;
use leptos::prelude::*;

use super::scene::EdgeView;

/// The CSS modifier (and arrowhead) of an edge's kind.
pub fn kind_key(kind: &EdgeKind) -> &'static str {
    match kind {
        EdgeKind::Routing => "routing",
        EdgeKind::Navigate => "navigate",
        EdgeKind::NavigationListItem => "list",
        EdgeKind::DataExchange => "endpoint",
    }
}

/// What a flagged edge's warning says.
pub fn mismatch_text(mismatch: Mismatch) -> &'static str {
    match mismatch {
        Mismatch::NotInRoutingModel => "not in routing_model",
        Mismatch::NoActionTakesIt => "no action takes this route",
    }
}

/// One edge: its curve (with a wider invisible twin that is easier to hit), its arrowhead,
/// and its label (what holds it, or what is wrong with it).
#[component]
pub fn EdgeLine(
    /// Position in the scene (`data-edge`).
    index: usize,
    /// The edge.
    edge: EdgeView,
    /// The curve's `d` and where the label goes.
    #[prop(into)]
    path: Signal<(String, Point)>,
    /// Whether it is the selected edge.
    #[prop(into)]
    selected: Signal<bool>,
    /// Whether its target is a missing screen.
    dangling: bool,
) -> impl IntoView {
    let kind = kind_key(&edge.kind);
    let flagged = edge.mismatch.is_some() || dangling;
    let marker =
        if flagged { "url(#graph-arrow-flagged)".to_owned() } else { format!("url(#graph-arrow-{kind})") };
    let label = match edge.mismatch {
        Some(mismatch) => format!("⚠ {}", mismatch_text(mismatch)),
        None => edge.label.clone(),
    };
    let has_label = !label.is_empty();
    let d = move || path.with(|(d, _)| d.clone());
    view! {
        <g
            class=format!("graph-edge graph-edge--{kind}")
            class:graph-edge--flagged=flagged
            class:graph-edge--selected=move || selected.get()
            data-edge=index
            data-testid="graph-edge"
            data-kind=kind
        >
            <path class="graph-edge__hit" d=d />
            <path class="graph-edge__line" d=d marker-end=marker data-testid="graph-edge-path" />
            {has_label.then(|| view! {
                <text class="graph-edge__label" x=move || path.with(|(_, p)| format!("{:.1}", p.x))
                    y=move || path.with(|(_, p)| format!("{:.1}", p.y - 5.0)) text-anchor="middle">{label}</text>
            })}
        </g>
    }
    .into_any()
}
