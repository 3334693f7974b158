//! Beyond Meta's routing rules (§7.1, whose note says "all routes must end at the terminal
//! screen"): where people get stuck (a screen that is not terminal and leads nowhere, unless
//! only links lead to it: a terms page opened from an EmbeddedLink or an OptIn's "Read more" is
//! left with the back button, a pattern Meta's own templates use, with or without the route
//! an endpoint flow's routing model must give the link), screens
//! no path from an entry screen reaches although they are linked to the rest, and screens that
//! lead back to each other (Meta rejects only loops on one screen and back routes of an
//! endpoint flow's routing model). Warnings: Meta accepts such flows, people get lost in them.
//! The graph view draws each of these on its screens and links to the warning.
use std::collections::{HashMap, HashSet};

use serde_json::Value;

use super::super::context::Flow;
use crate::model::key;

#[cfg(all(test, not(target_arch = "wasm32")))]
use super::super::sources::{Code, Docs, Ours, Page, Report, warning};
use super::routing_model::unconnected;
use crate::catalog::ActionName;
use crate::diagnostic::{Diagnostic, Problem, RoutingProblem, Severity};
use crate::graph::{self, Edge, EdgeKind, Node};

/// What this rule reports, and on whose authority (`validate/sources.rs`).
#[cfg(all(test, not(target_arch = "wasm32")))]
pub(super) const REPORTS: &[Report] = &[
    warning(
        "Routing::DeadEnd",
        Code::InvalidRoutingModel,
        "a screen that is not terminal leads somewhere",
        &[
            Docs(Page::FlowJson, "Routing rules: all routes must end at the terminal screen"),
            Ours("the builder does not enforce it"),
        ],
    ),
    warning(
        "Routing::Unreachable",
        Code::InvalidRoutingModel,
        "every screen is reached from an entry screen",
        &[Ours("Meta checks only that screens are connected, in either direction")],
    ),
    warning(
        "Routing::Cycle",
        Code::InvalidRoutingModel,
        "screens do not lead back to each other",
        &[Ours("Meta rejects only loops on one screen and back routes of a routing model")],
    ),
];

pub(super) fn check(flow: &Flow<'_>, out: &mut Vec<Diagnostic>) {
    let mut nodes: Vec<Node> = Vec::new();
    let mut pointer_of: HashMap<&str, &str> = HashMap::new();
    for screen in &flow.screens {
        let Some(id) = screen.id else { continue };
        if pointer_of.contains_key(id) {
            continue;
        }
        pointer_of.insert(id, &screen.pointer);
        nodes.push(Node { id: id.to_owned(), pointer: screen.pointer.clone(), terminal: screen.terminal });
    }
    if nodes.len() < 2 {
        return;
    }
    let routing = flow.root.get(key::ROUTING_MODEL).and_then(Value::as_object);
    let routes_of = |id: &str| -> Vec<&str> {
        routing
            .and_then(|routing| routing.get(id))
            .and_then(Value::as_array)
            .map(|routes| routes.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default()
    };
    let edge = |from: &str, to: &str, kind: EdgeKind| Edge {
        from: from.to_owned(),
        to: to.to_owned(),
        kind,
        pointer: String::new(),
        component: None,
        target_exists: pointer_of.contains_key(to),
    };
    let mut edges: Vec<Edge> = Vec::new();
    for from in routing.into_iter().flat_map(|routing| routing.keys()) {
        edges.extend(routes_of(from).into_iter().map(|to| edge(from, to, EdgeKind::Routing)));
    }
    // Screens where the endpoint decides: it may also end the flow, so they are no dead end.
    let mut endpoint_decides: HashSet<&str> = HashSet::new();
    // The links (EmbeddedLink, OptIn's "Read more") by screen: a route of the routing model
    // that repeats a link, as an endpoint flow must, is that link.
    let links: HashSet<(&str, &str)> = flow
        .actions
        .iter()
        .filter(|action| action.name == Some(ActionName::Navigate))
        .filter_map(|action| {
            let screen = flow.screens.get(action.screen)?;
            let holder = screen.components.get(action.component).and_then(|node| node.at.kind);
            matches!(holder, Some("EmbeddedLink" | "OptIn")).then_some((screen.id?, action.next_screen()?))
        })
        .collect();
    // Screens reached by more than a link: a route, a Footer, a NavigationList.
    let mut on_a_path: HashSet<&str> = edges
        .iter()
        .filter(|edge| !links.contains(&(edge.from.as_str(), edge.to.as_str())))
        .filter_map(|edge| pointer_of.get_key_value(edge.to.as_str()))
        .map(|(id, _)| *id)
        .collect();
    for action in &flow.actions {
        let Some(screen) = flow.screens.get(action.screen) else { continue };
        let Some(from) = screen.id else { continue };
        match action.name {
            Some(ActionName::Navigate) => {
                if let Some(to) = action.next_screen() {
                    edges.push(edge(from, to, EdgeKind::Navigate));
                    let holder = screen.components.get(action.component).and_then(|node| node.at.kind);
                    if !matches!(holder, Some("EmbeddedLink" | "OptIn")) {
                        on_a_path.insert(to);
                    }
                }
            }
            Some(ActionName::DataExchange) if endpoint_decides.insert(from) => {
                edges.extend(routes_of(from).into_iter().map(|to| edge(from, to, EdgeKind::DataExchange)));
            }
            _ => {}
        }
    }
    let graph = graph::summarize(nodes, edges);
    let warn = |pointer: &str, problem: RoutingProblem| Diagnostic {
        severity: Severity::Warning,
        pointer: pointer.to_owned(),
        span: None,
        problem: Problem::Routing(problem),
    };
    let entries: HashSet<&str> = graph.entry.iter().map(String::as_str).collect();
    let stuck = |id: &&String| {
        !endpoint_decides.contains(id.as_str())
            && (on_a_path.contains(id.as_str()) || entries.contains(id.as_str()))
    };
    for id in graph.dead_ends.iter().filter(stuck) {
        let pointer = pointer_of.get(id.as_str()).copied().unwrap_or_default();
        out.push(warn(pointer, RoutingProblem::DeadEnd { screen: id.clone() }));
    }
    // Screens linked to nothing are Meta's "not connected" error; only the others are ours.
    let ids: Vec<&str> = graph.nodes.iter().map(|node| node.id.as_str()).collect();
    let mut neighbours: HashMap<&str, Vec<&str>> = HashMap::new();
    for edge in graph.edges.iter().filter(|edge| edge.target_exists) {
        neighbours.entry(&edge.from).or_default().push(&edge.to);
        neighbours.entry(&edge.to).or_default().push(&edge.from);
    }
    let apart = unconnected(&ids, &neighbours);
    for id in graph.unreachable.iter().filter(|id| !apart.contains(id)) {
        let pointer = pointer_of.get(id.as_str()).copied().unwrap_or_default();
        out.push(warn(pointer, RoutingProblem::Unreachable { screen: id.clone() }));
    }
    let both_ways_in_routing = |a: &str, b: &str| routes_of(a).contains(&b) && routes_of(b).contains(&a);
    for group in &graph.cycles {
        let reported_by_meta = match group.as_slice() {
            [_] => true,
            [a, b] => both_ways_in_routing(a, b),
            _ => false,
        };
        if let (false, Some(first)) = (reported_by_meta, group.first()) {
            let pointer = pointer_of.get(first.as_str()).copied().unwrap_or_default();
            out.push(warn(pointer, RoutingProblem::Cycle { screens: group.clone() }));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{navigate_footer as go, run};
    use super::*;
    use crate::diagnostic::Code;
    use serde_json::json;

    fn flow(screens: Vec<(&str, Vec<Value>)>) -> Value {
        let screens: Vec<Value> = screens
            .into_iter()
            .map(|(id, children)| json!({"id": id, "terminal": id.starts_with('Z'), "layout": {"children": children}}))
            .collect();
        json!({"version": "7.3", "screens": screens})
    }

    fn found(flow: &Value) -> Vec<(Code, String)> {
        let mut found = run(check, flow);
        found.sort();
        found
    }

    #[test]
    fn a_flow_that_moves_forward_to_its_end_is_fine() {
        assert!(found(&flow(vec![("A", vec![go("B")]), ("B", vec![go("Z")]), ("Z", vec![])])).is_empty());
    }

    #[test]
    fn dead_ends_unreachable_screens_and_cycles_are_warned() {
        let diagnostics = found(&flow(vec![
            ("A", vec![go("B")]),
            ("B", vec![]),
            ("C", vec![go("D")]),
            ("D", vec![go("E")]),
            ("E", vec![go("C"), go("B")]),
            ("Z", vec![]),
        ]));
        let pointers: Vec<&str> = diagnostics.iter().map(|(_, pointer)| pointer.as_str()).collect();
        // B is a dead end; C, D, E go round and no entry reaches them; Z is apart (Meta's error).
        assert_eq!(pointers, ["/screens/1", "/screens/2", "/screens/2", "/screens/3", "/screens/4"]);
        let link = json!({"type": "EmbeddedLink", "text": "Terms", "on-click-action": {"name": "navigate", "next": {"type": "screen", "name": "TERMS"}}});
        let terms = flow(vec![("A", vec![link, go("Z")]), ("TERMS", vec![]), ("Z", vec![])]);
        assert!(found(&terms).is_empty(), "a page only a link opens is left with the back button");
        assert!(diagnostics.iter().all(|(code, _)| *code == Code::InvalidRoutingModel));
    }

    #[test]
    fn the_endpoint_may_end_the_flow_and_meta_reports_back_routes_itself() {
        let mut endpoint = flow(vec![
            ("A", vec![go("B")]),
            (
                "B",
                vec![
                    json!({"type": "Footer", "label": "x", "on-click-action": {"name": "data_exchange", "payload": {}}}),
                ],
            ),
        ]);
        assert!(found(&endpoint).is_empty(), "B asks the endpoint");
        endpoint["routing_model"] = json!({"A": ["B"], "B": ["A"]});
        assert!(found(&endpoint).is_empty(), "A <-> B is Meta's backward route error");
    }
}
