use flow_model::layout::Point;
use leptos::prelude::*;

use super::markup::{edge_class, edge_markup, kind_key};
use super::scene::EdgeView;

/// One edge (its drawing is [`edge_markup`]); the viewport reads `data-edge` to pick it.
#[component]
pub fn EdgeLine(
    /// Position in the scene.
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
    let class_edge = edge.clone();
    view! {
        <g
            class=move || edge_class(&class_edge, dangling, selected.get())
            data-edge=index
            data-testid="graph-edge"
            data-kind=kind
            inner_html=move || path.with(|(d, label)| edge_markup(&edge, dangling, d, *label))
        />
    }
    .into_any()
}
