//! The SVG of node cards and edges as text, shared by the live view (set as each card's and
//! edge's inner markup, so 100 cards and 300 edges cost one string each instead of a tree of
//! reactive views) and the exported file (with a style sheet of its own). Pure.
use flow_model::number::fixed;
use std::fmt::Write;

use flow_model::graph::{EdgeKind, Mismatch};
use flow_model::layout::Point;

use super::geometry::NODES;
use super::scene::{EdgeView, NodeView};

/// XML text with `&`, `<`, `>` and `"` escaped.
pub fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// `text` cut to `max` characters with an ellipsis.
pub fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let cut: String = text.chars().take(max.saturating_sub(1)).collect();
    format!("{cut}…")
}

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

/// Arrowheads, one per edge style.
pub fn markers() -> String {
    ["routing", "navigate", "list", "endpoint", "flagged"]
        .iter()
        .map(|kind| {
            format!(
                r#"<marker id="graph-arrow-{kind}" class="graph-arrow graph-arrow--{kind}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M0 0L10 5L0 10z"/></marker>"#
            )
        })
        .collect()
}

/// A rounded label: a rectangle sized to its text (SVG text does not flow, so the width is
/// estimated from its length) and the text.
fn pill(svg: &mut String, class: &str, x: f64, y: f64, text: &str, data: &str) -> f64 {
    let width = text.chars().count() as f64 * 6.2 + 13.0;
    let _ = write!(
        svg,
        r#"<g class="{class}" transform="translate({} {})"{data}><rect width="{}" height="17" rx="8"/><text x="6.5" y="12.5">{}</text></g>"#,
        fixed(x, 1),
        fixed(y, 1),
        fixed(width, 1),
        escape(text)
    );
    width
}

/// The `class` of a card's group.
pub fn node_class(node: &NodeView, selected: bool, target: bool) -> String {
    let mut class = String::from("graph-node");
    for (on, modifier) in [
        (selected, "selected"),
        (target, "target"),
        (node.screen.is_none(), "missing"),
        (node.entry, "entry"),
        (node.terminal, "terminal"),
        (!node.findings.is_empty(), "flagged"),
    ] {
        if on {
            let _ = write!(class, " graph-node--{modifier}");
        }
    }
    class
}

/// What a card shows: title, id, component count, badges (entry, terminal, problems), the
/// analysis findings above it (each naming its diagnostic in `data-finding`), and the handle
/// routes are drawn from.
pub fn node_markup(node: &NodeView) -> String {
    let (w, h) = (fixed(NODES.node_width, 1), fixed(NODES.node_height, 1));
    let handle_y = fixed(NODES.node_height / 2.0, 1);
    let missing = node.screen.is_none();
    let title = if node.title.is_empty() { &node.id } else { &node.title };
    let meta = if missing {
        "no such screen".to_owned()
    } else {
        format!("{} component{}", node.components, if node.components == 1 { "" } else { "s" })
    };
    let mut svg = format!(
        r#"<rect class="graph-node__card" width="{w}" height="{h}" rx="10"/><rect class="graph-node__stripe" width="6" height="{h}" rx="3"/><text class="graph-node__title" x="14" y="24">{}</text><text class="graph-node__id" x="14" y="42">{}</text><text class="graph-node__meta" x="14" y="59">{}</text>"#,
        escape(&shorten(title, 26)),
        escape(&shorten(&node.id, 30)),
        escape(&meta)
    );
    let mut x = 14.0;
    for (on, text, modifier) in [
        (node.entry, "Entry".to_owned(), "entry"),
        (node.terminal, "Terminal".to_owned(), "terminal"),
        (node.errors > 0, format!("{} errors", node.errors), "error"),
        (node.warnings > 0, format!("{} warnings", node.warnings), "warning"),
    ] {
        if on {
            x += pill(&mut svg, &format!("graph-badge graph-badge--{modifier}"), x, 70.0, &text, "") + 5.0;
        }
    }
    let mut x = 0.0;
    for finding in &node.findings {
        let data = format!(
            r#" data-finding="{}" data-testid="graph-finding" data-kind="{}""#,
            finding.problem,
            finding.kind.key()
        );
        let class = format!("graph-finding graph-finding--{}", finding.kind.key());
        x += pill(&mut svg, &class, x, -22.0, finding.kind.label(), &data) + 4.0;
    }
    if !missing {
        let _ = write!(
            svg,
            r#"<circle class="graph-node__handle" cx="{w}" cy="{handle_y}" r="7" data-handle="" data-testid="graph-handle"><title>Drag to another screen to add a route</title></circle>"#
        );
    }
    svg
}

/// The `class` of an edge's group.
pub fn edge_class(edge: &EdgeView, dangling: bool, selected: bool) -> String {
    let mut class = format!("graph-edge graph-edge--{}", kind_key(&edge.kind));
    if edge.mismatch.is_some() || dangling {
        class.push_str(" graph-edge--flagged");
    }
    if selected {
        class.push_str(" graph-edge--selected");
    }
    class
}

/// An edge: its curve `d` (with a wider invisible twin that is easier to hit), its arrowhead,
/// and its label at `label` (what holds it, or what is wrong with it).
pub fn edge_markup(edge: &EdgeView, dangling: bool, d: &str, label: Point) -> String {
    let marker = if edge.mismatch.is_some() || dangling { "flagged" } else { kind_key(&edge.kind) };
    let mut svg = format!(
        r#"<path class="graph-edge__hit" d="{d}"/><path class="graph-edge__line" d="{d}" marker-end="url(#graph-arrow-{marker})" data-testid="graph-edge-path"/>"#
    );
    let text = edge.mismatch.map_or_else(|| edge.label.clone(), |m| format!("⚠ {}", mismatch_text(m)));
    if !text.is_empty() {
        let _ = write!(
            svg,
            r#"<text class="graph-edge__label" x="{}" y="{}" text-anchor="middle">{}</text>"#,
            fixed(label.x, 1),
            fixed(label.y - 5.0, 1),
            escape(&text)
        );
    }
    svg
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::features::graph::scene::{Finding, FindingKind};

    fn node() -> NodeView {
        NodeView {
            id: "ASK".into(),
            screen: Some(1),
            title: "Ask <us> & \"them\"".into(),
            components: 1,
            entry: true,
            terminal: false,
            errors: 2,
            warnings: 0,
            findings: vec![Finding { kind: FindingKind::DeadEnd, problem: 7 }],
        }
    }

    #[test]
    fn cards_escape_text_and_name_their_findings_problem() {
        let svg = node_markup(&node());
        assert!(svg.contains("Ask &lt;us&gt; &amp; &quot;them&quot;"), "{svg}");
        assert!(svg.contains("1 component<") && svg.contains("2 errors") && svg.contains(">Entry<"));
        assert!(svg.contains(r#"data-finding="7" data-testid="graph-finding" data-kind="dead-end""#));
        assert!(svg.contains("data-handle"));
        assert_eq!(
            node_class(&node(), true, false),
            "graph-node graph-node--selected graph-node--entry graph-node--flagged"
        );
        assert_eq!(shorten("abcdef", 4), "abc…");
    }

    #[test]
    fn edges_say_what_disagrees() {
        let edge = EdgeView {
            from: 0,
            to: 1,
            kind: EdgeKind::Navigate,
            label: "Footer “Go”".into(),
            mismatch: Some(Mismatch::NotInRoutingModel),
            problem: None,
            pointer: String::new(),
            lane: (0, 1),
        };
        let svg = edge_markup(&edge, false, "M0 0", Point { x: 10.0, y: 20.0 });
        assert!(svg.contains("url(#graph-arrow-flagged)") && svg.contains("⚠ not in routing_model"), "{svg}");
        assert_eq!(
            edge_class(&edge, false, true),
            "graph-edge graph-edge--navigate graph-edge--flagged graph-edge--selected"
        );
    }
}
