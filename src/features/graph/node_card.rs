use flow_model::layout::Point;
use flow_model::number::fixed;
use leptos::prelude::*;

use super::markup::{node_class, node_markup};
use super::scene::NodeView;

/// One screen as a card (its drawing is [`node_markup`]). Pointer gestures are handled by the
/// viewport: `data-node`, `data-handle` and `data-finding` say what was hit.
#[component]
pub fn NodeCard(
    /// Position in the scene.
    index: usize,
    /// What the card shows.
    node: NodeView,
    /// Top-left corner.
    #[prop(into)]
    at: Signal<Point>,
    /// Whether it is the selected screen (`.0`), and where a route being drawn would go (`.1`).
    #[prop(into)]
    state: Signal<(bool, bool)>,
) -> impl IntoView {
    let label = if node.screen.is_none() {
        format!("{}: no screen has this id", node.id)
    } else {
        format!("Screen {} {}", node.id, node.title)
    };
    let markup = node_markup(&node);
    let id = node.id.clone();
    view! {
        <g
            class=move || { let (selected, target) = state.get(); node_class(&node, selected, target) }
            transform=move || { let p = at.get(); format!("translate({} {})", fixed(p.x, 1), fixed(p.y, 1)) }
            data-node=index
            data-testid="graph-node"
            data-screen-id=id
            role="img"
            aria-label=label
            aria-current=move || state.get().0.then_some("true")
            inner_html=markup
        />
    }
    .into_any()
}
