use flow_model::layout::Point;
use leptos::prelude::*;

use super::geometry::NODES;
use super::scene::NodeView;

/// `text` cut to `max` characters with an ellipsis.
pub fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let cut: String = text.chars().take(max.saturating_sub(1)).collect();
    format!("{cut}…")
}

/// Badges of a card, left to right: (text, CSS modifier, x, width). SVG text does not flow,
/// so widths are estimated from the text length.
pub fn badges(node: &NodeView) -> Vec<(String, &'static str, f64, f64)> {
    let mut texts: Vec<(String, &'static str)> = Vec::new();
    if node.entry {
        texts.push(("Entry".into(), "entry"));
    }
    if node.terminal {
        texts.push(("Terminal".into(), "terminal"));
    }
    if node.errors > 0 {
        texts.push((format!("{} errors", node.errors), "error"));
    }
    if node.warnings > 0 {
        texts.push((format!("{} warnings", node.warnings), "warning"));
    }
    let mut x = 14.0;
    texts
        .into_iter()
        .map(|(text, class)| {
            let width = text.chars().count() as f64 * 6.2 + 12.0;
            let badge = (text, class, x, width);
            x += width + 5.0;
            badge
        })
        .collect()
}

/// One screen as a card: title, id, component count, badges for entry, terminal and problems,
/// the analysis findings above it (each a link to its diagnostic), and the handle routes are
/// drawn from. Pointer gestures are handled by the viewport (`data-node`, `data-handle`,
/// `data-finding` say what was hit).
#[component]
pub fn NodeCard(
    /// Position in the scene.
    index: usize,
    /// What the card shows.
    node: NodeView,
    /// Top-left corner.
    #[prop(into)]
    at: Signal<Point>,
    /// Whether it is the selected screen.
    #[prop(into)]
    selected: Signal<bool>,
    /// Whether it is where a route being drawn would go.
    #[prop(into)]
    target: Signal<bool>,
) -> impl IntoView {
    let (w, h) = (NODES.node_width, NODES.node_height);
    let missing = node.screen.is_none();
    let label = if missing {
        format!("{}: no screen has this id", node.id)
    } else {
        format!("Screen {} {}", node.id, node.title)
    };
    let meta = if missing {
        "no such screen".to_owned()
    } else {
        format!("{} component{}", node.components, if node.components == 1 { "" } else { "s" })
    };
    let findings = node
        .findings
        .iter()
        .scan(0.0, |x, finding| {
            let width = finding.kind.label().chars().count() as f64 * 6.2 + 14.0;
            let placed = (*finding, *x, width);
            *x += width + 4.0;
            Some(placed)
        })
        .map(|(finding, x, width)| {
            view! {
                <g class=format!("graph-finding graph-finding--{}", finding.kind.key()) data-finding=finding.problem
                    data-testid="graph-finding" data-kind=finding.kind.key() transform=format!("translate({x} -22)")>
                    <title>"Show the problem"</title>
                    <rect width=width height="18" rx="9" />
                    <text x="7" y="13">{finding.kind.label()}</text>
                </g>
            }
        })
        .collect_view();
    let badges = badges(&node)
        .into_iter()
        .map(|(text, class, x, width)| {
            view! {
                <g class=format!("graph-badge graph-badge--{class}") transform=format!("translate({x} 70)")>
                    <rect width=width height="17" rx="4" />
                    <text x="6" y="12.5">{text}</text>
                </g>
            }
        })
        .collect_view();
    let flagged = !node.findings.is_empty();
    view! {
        <g
            class="graph-node"
            class:graph-node--selected=move || selected.get()
            class:graph-node--missing=missing
            class:graph-node--entry=node.entry
            class:graph-node--terminal=node.terminal
            class:graph-node--flagged=flagged
            class:graph-node--target=move || target.get()
            transform=move || { let p = at.get(); format!("translate({:.1} {:.1})", p.x, p.y) }
            data-node=index
            data-testid="graph-node"
            data-screen-id=node.id.clone()
            aria-label=label
            aria-selected=move || selected.get().to_string()
        >
            <rect class="graph-node__card" width=w height=h rx="10" />
            <rect class="graph-node__stripe" width="6" height=h rx="3" />
            <text class="graph-node__title" x="14" y="24">{shorten(if node.title.is_empty() { &node.id } else { &node.title }, 26)}</text>
            <text class="graph-node__id" x="14" y="42">{shorten(&node.id, 30)}</text>
            <text class="graph-node__meta" x="14" y="59">{meta}</text>
            {badges}
            {findings}
            <circle class="graph-node__handle" cx=w cy=h / 2.0 r="7" data-handle=index data-testid="graph-handle">
                <title>"Drag to another screen to add a route"</title>
            </circle>
        </g>
    }
    .into_any()
}
