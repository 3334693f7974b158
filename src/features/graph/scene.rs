//! What the graph shows, as plain data derived from the document, its graph analysis, its
//! layout and its diagnostics: node cards with their badges, edges with their style, label and
//! flags, and which diagnostic each overlay links to. Pure, so it is tested natively.
use flow_model::catalog::prop;
use std::collections::HashMap;

use flow_model::catalog::Event;
use flow_model::diagnostic::RoutingProblem;
use flow_model::graph::{EdgeKind, Graph, Mismatch};
use flow_model::layout::Arrangement;
use flow_model::model::{Component, Flow, key};
use flow_model::walk;
use flow_model::{Diagnostic, Document, Problem};
use serde_json::Value;

/// An analysis finding drawn on a node.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FindingKind {
    /// Not terminal and leads nowhere.
    DeadEnd,
    /// No path from an entry screen reaches it.
    Unreachable,
    /// Linked to no other screen at all.
    NotConnected,
    /// Part of screens that lead back to each other (or a loop on itself, a back route).
    Cycle,
    /// More than 10 branches.
    TooManyBranches,
}

impl FindingKind {
    /// The badge text.
    pub fn label(self) -> &'static str {
        match self {
            FindingKind::DeadEnd => "Dead end",
            FindingKind::Unreachable => "Unreachable",
            FindingKind::NotConnected => "Not connected",
            FindingKind::Cycle => "Cycle",
            FindingKind::TooManyBranches => "> 10 branches",
        }
    }

    /// A stable name for CSS and tests.
    pub fn key(self) -> &'static str {
        match self {
            FindingKind::DeadEnd => "dead-end",
            FindingKind::Unreachable => "unreachable",
            FindingKind::NotConnected => "not-connected",
            FindingKind::Cycle => "cycle",
            FindingKind::TooManyBranches => "branches",
        }
    }
}

/// A finding and the diagnostic (its position in the diagnostics list) that names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Finding {
    /// What was found.
    pub kind: FindingKind,
    /// Position of the diagnostic in the problem index.
    pub problem: usize,
}

/// One node card.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct NodeView {
    /// The screen id (or the id a dangling edge names).
    pub id: String,
    /// The screen's index in `screens`; `None` for a missing screen.
    pub screen: Option<usize>,
    /// The screen title.
    pub title: String,
    /// How many components the screen has.
    pub components: usize,
    /// No other screen leads to it.
    pub entry: bool,
    /// Marked terminal.
    pub terminal: bool,
    /// Errors and warnings on the screen.
    pub errors: usize,
    /// Warnings on the screen.
    pub warnings: usize,
    /// Analysis findings, each linked to its diagnostic.
    pub findings: Vec<Finding>,
}

/// One edge.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct EdgeView {
    /// Index of the node it leaves.
    pub from: usize,
    /// Index of the node it reaches.
    pub to: usize,
    /// Where it comes from.
    pub kind: EdgeKind,
    /// What holds it, e.g. `Footer “Continue”` (empty for routes).
    pub label: String,
    /// How it disagrees with the routing model, if it does.
    pub mismatch: Option<Mismatch>,
    /// The diagnostic naming the disagreement or the missing screen, when there is one.
    pub problem: Option<usize>,
    /// The pointer of the route entry or action.
    pub pointer: String,
    /// Its place among the edges between the same two screens, and how many there are.
    pub lane: (usize, usize),
}

/// Everything the graph draws except positions.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Scene {
    /// Node cards, in the arrangement's order.
    pub nodes: Vec<NodeView>,
    /// Edges, in the graph's order.
    pub edges: Vec<EdgeView>,
    /// The "no entry screen" diagnostic, when there is one.
    pub no_entry: Option<usize>,
    /// Whether the flow has a routing model.
    pub routing_model: bool,
}

/// `Type “text”` for the component holding an action, shortened.
fn holder_label(root: &Value, component: Option<&str>, action: &str) -> String {
    let Some(pointer) = component else { return String::new() };
    let Some(object) = root.pointer(pointer) else { return String::new() };
    let component = Component::from_value(object);
    let kind = component.and_then(|c| c.type_name()).unwrap_or("Component");
    // A NavigationList item: its title.
    let on_click = format!("/{}", Event::OnClick.property());
    let item = action.strip_suffix(on_click.as_str()).and_then(|item| root.pointer(item));
    let text = item
        .filter(|_| kind == "NavigationList")
        .and_then(|item| item.pointer("/main-content/title"))
        .or_else(|| component?.get(prop::LABEL))
        .or_else(|| component?.get(prop::TEXT))
        .and_then(Value::as_str)
        .unwrap_or_default();
    let short: String = text.chars().take(22).collect();
    let ellipsis = if short.len() < text.len() { "…" } else { "" };
    if text.is_empty() { kind.to_owned() } else { format!("{kind} “{short}{ellipsis}”") }
}

/// The screen ids a routing diagnostic is about, and what it says of them.
fn routing_findings(root: &Value, diagnostic: &Diagnostic) -> Vec<(String, FindingKind)> {
    let Problem::Routing(problem) = &diagnostic.problem else { return Vec::new() };
    let all = |ids: &[String], kind| ids.iter().map(|id| (id.clone(), kind)).collect();
    match problem {
        RoutingProblem::DeadEnd { screen } => vec![(screen.clone(), FindingKind::DeadEnd)],
        RoutingProblem::Unreachable { screen } => vec![(screen.clone(), FindingKind::Unreachable)],
        RoutingProblem::NotConnected { screens, .. } => all(screens, FindingKind::NotConnected),
        RoutingProblem::Cycle { screens } | RoutingProblem::Loop { screens } => {
            all(screens, FindingKind::Cycle)
        }
        RoutingProblem::BackwardRoute { from, to } => {
            vec![(from.clone(), FindingKind::Cycle), (to.clone(), FindingKind::Cycle)]
        }
        RoutingProblem::TooManyBranches { .. } => {
            // At `/routing_model/ID`, or at the screen itself when derived from actions.
            let id = diagnostic
                .pointer
                .strip_prefix(key::ROUTING_MODEL_AT)
                .and_then(|id| id.strip_prefix('/'))
                .map(|id| id.replace("~1", "/").replace("~0", "~"))
                .or_else(|| {
                    let screen = walk::target_of(root, &diagnostic.pointer).screen?;
                    Flow::from_value(root)?.screen_at(screen)?.id().map(str::to_owned)
                });
            id.map(|id| vec![(id, FindingKind::TooManyBranches)]).unwrap_or_default()
        }
        _ => Vec::new(),
    }
}

impl Scene {
    /// The scene of `document`, whose graph is `graph`, arranged as `arrangement`, with
    /// `diagnostics` (the problem index's, whose positions overlays link to) and the problem
    /// counts per screen index.
    pub fn new(
        document: &Document,
        graph: &Graph,
        arrangement: &Arrangement,
        diagnostics: &[Diagnostic],
        counts: &dyn Fn(usize) -> (usize, usize),
    ) -> Scene {
        let root = document.root();
        let flow = Flow::from_value(root);
        let routing_model = flow.is_some_and(|flow| flow.has_routing_model());
        let mut findings: HashMap<String, Vec<Finding>> = HashMap::new();
        let mut no_entry = None;
        for (position, diagnostic) in diagnostics.iter().enumerate() {
            if matches!(diagnostic.problem, Problem::Routing(RoutingProblem::NoEntryScreen { .. })) {
                no_entry = no_entry.or(Some(position));
            }
            for (id, kind) in routing_findings(root, diagnostic) {
                let list = findings.entry(id).or_default();
                if !list.iter().any(|finding| finding.kind == kind) {
                    list.push(Finding { kind, problem: position });
                }
            }
        }
        let screen_of = |pointer: &str| {
            let index = pointer.strip_prefix(key::SCREENS_AT)?.strip_prefix('/')?;
            index.parse::<usize>().ok()
        };
        let nodes = arrangement
            .nodes
            .iter()
            .map(|placed| {
                let node = graph.nodes.iter().find(|node| node.id == placed.id);
                let screen = node.and_then(|node| screen_of(&node.pointer));
                let object = screen.and_then(|screen| flow?.screen_at(screen));
                let (errors, warnings) = screen.map_or((0, 0), counts);
                NodeView {
                    id: placed.id.clone(),
                    screen,
                    title: object.and_then(|o| o.title_text()).unwrap_or_default().to_owned(),
                    components: object.map_or(0, |object| object.every_component().count()),
                    entry: graph.entry.contains(&placed.id),
                    terminal: node.is_some_and(|node| node.terminal),
                    errors,
                    warnings,
                    findings: findings.remove(&placed.id).unwrap_or_default(),
                }
            })
            .collect();
        let mismatches = graph.mismatches(routing_model);
        let mut pairs: HashMap<(usize, usize), usize> = HashMap::new();
        let mut edges: Vec<EdgeView> = graph
            .edges
            .iter()
            .zip(&arrangement.edges)
            .zip(mismatches)
            .map(|((edge, &(from, to)), mismatch)| {
                let key = (from.min(to), from.max(to));
                let count = pairs.entry(key).or_insert(0);
                let lane = *count;
                *count += 1;
                let label = match edge.kind {
                    EdgeKind::Routing => String::new(),
                    EdgeKind::DataExchange => "decided by the endpoint".to_owned(),
                    _ => holder_label(root, edge.component.as_deref(), &edge.pointer),
                };
                // Meta's "missing route" names the action's next screen; a dangling target is
                // named where it is written.
                let problem = diagnostics.iter().position(|d| {
                    let on_edge = d.pointer == edge.pointer
                        || d.pointer == format!("{}/next/name", edge.pointer)
                        || d.pointer.starts_with(&format!("{}/", edge.pointer));
                    let names_target = matches!(&d.problem,
                        Problem::Routing(RoutingProblem::InvalidScreens { screens: ids }) if ids.contains(&edge.to));
                    (on_edge && (mismatch.is_some() || !edge.target_exists))
                        || (names_target && !edge.target_exists)
                });
                EdgeView {
                    from,
                    to,
                    kind: edge.kind.clone(),
                    label,
                    mismatch,
                    problem,
                    pointer: edge.pointer.clone(),
                    lane: (lane, 0),
                }
            })
            .collect();
        for edge in &mut edges {
            let key = (edge.from.min(edge.to), edge.from.max(edge.to));
            edge.lane.1 = pairs.get(&key).copied().unwrap_or(1);
        }
        Scene { nodes, edges, no_entry, routing_model }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use flow_model::layout::{Options, arrange};
    use flow_model::{analyze, parse, validate};

    fn scene(text: &str) -> Scene {
        let document = parse(text).document.unwrap();
        let graph = analyze(&document);
        let arrangement = arrange(&graph, |_| None, &Options::default());
        let diagnostics = validate(&document);
        Scene::new(&document, &graph, &arrangement, &diagnostics, &|_| (0, 0))
    }

    #[test]
    fn edges_say_what_holds_them_and_flag_what_disagrees_with_the_routing_model() {
        let scene =
            scene(include_str!("../../../crates/flow-model/tests/suite/fixtures/graph/endpoint.json"));
        assert!(scene.routing_model);
        assert!(
            scene
                .edges
                .iter()
                .any(|e| e.kind == EdgeKind::DataExchange && e.label == "decided by the endpoint")
        );
        for edge in scene.edges.iter().filter(|edge| edge.kind == EdgeKind::Navigate) {
            assert!(!edge.label.is_empty(), "a navigate edge names its component");
        }
        let ids: Vec<&str> = scene.nodes.iter().map(|node| node.id.as_str()).collect();
        assert!(!ids.is_empty());
    }

    #[test]
    fn findings_link_to_the_diagnostics_that_name_them() {
        let text = include_str!("../../../crates/flow-model/tests/fixtures/paths/stuck-and-going-round.json");
        let document = parse(text).document.unwrap();
        let diagnostics = validate(&document);
        let scene = scene(text);
        let node = |id: &str| scene.nodes.iter().find(|node| node.id == id).unwrap();
        let dead_end = node("PAUSED").findings.first().copied().unwrap();
        assert_eq!(dead_end.kind, FindingKind::DeadEnd);
        assert!(matches!(
            diagnostics[dead_end.problem].problem,
            Problem::Routing(RoutingProblem::DeadEnd { .. })
        ));
        for id in ["ASK", "CHECK", "CHANGE"] {
            assert_eq!(node(id).findings.first().map(|f| f.kind), Some(FindingKind::Cycle), "{id}");
        }
        assert!(node("HELP").findings.is_empty(), "a page a link opens is no dead end");
    }

    #[test]
    fn dangling_targets_and_parallel_edges() {
        let scene = scene(
            r#"{"version": "7.3", "data_api_version": "3.0", "routing_model": {"A": ["B", "GONE"]}, "screens": [
              {"id": "A", "layout": {"children": [
                {"type": "Footer", "label": "Go", "on-click-action": {"name": "navigate", "next": {"type": "screen", "name": "B"}}}]}},
              {"id": "B", "terminal": true, "layout": {"children": []}}]}"#,
        );
        let gone = scene.nodes.iter().position(|node| node.id == "GONE").unwrap();
        assert_eq!(scene.nodes[gone].screen, None);
        let to_gone = scene.edges.iter().find(|edge| edge.to == gone).unwrap();
        assert!(to_gone.problem.is_some(), "the invalid screen is named by a diagnostic");
        let lanes: Vec<(usize, usize)> = scene.edges.iter().filter(|e| e.to == 1).map(|e| e.lane).collect();
        assert_eq!(lanes, [(0, 2), (1, 2)], "the route and the navigate action side by side");
    }
}
