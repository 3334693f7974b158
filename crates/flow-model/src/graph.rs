//! The flow as a graph of screens: which screen leads to which, and what that says about the
//! flow (where it starts, where it ends, what cannot be reached, where a user gets stuck,
//! where they can go round in circles).
//!
//! Works on any document: dangling targets are kept as edges (marked), cycles are found
//! without recursion, duplicate ids resolve to the first screen with that id, and the output
//! order depends only on the document.
use std::collections::HashMap;

use serde_json::Value;

use crate::catalog::{ActionName, prop};
use crate::document::Document;
use crate::json::pointer;
use crate::model::key;
use crate::references::{self, screen_id};

/// Where an edge comes from.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EdgeKind {
    /// A route of `routing_model`.
    Routing,
    /// A navigate action of a component (a Footer, EmbeddedLink, OptIn or NavigationList).
    Navigate,
    /// A navigate action of a NavigationList item.
    NavigationListItem,
    /// A data_exchange action: the endpoint decides where the user goes, among the screens
    /// the routing model allows from this screen.
    DataExchange,
}

/// One way from a screen to another.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Edge {
    /// The screen the edge leaves.
    pub from: String,
    /// The screen it leads to (which may not exist: see `target_exists`).
    pub to: String,
    /// Where the edge comes from.
    pub kind: EdgeKind,
    /// The pointer of what makes the edge: the route's entry in `routing_model`, or the
    /// action object.
    pub pointer: String,
    /// The component that holds the action (`None` for routes).
    pub component: Option<String>,
    /// Whether a screen has the id `to`.
    pub target_exists: bool,
}

impl Edge {
    /// Whether the endpoint, not the flow, picks this way at run time.
    pub fn decided_by_endpoint(&self) -> bool {
        self.kind == EdgeKind::DataExchange
    }
}

/// How an edge disagrees with the others in a flow with a routing model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Mismatch {
    /// A navigate action whose route is in neither direction of `routing_model`.
    NotInRoutingModel,
    /// A route of `routing_model` that no action of its screen takes (no navigate action to
    /// its target, no data_exchange letting the endpoint choose it).
    NoActionTakesIt,
}

/// One screen as a node.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    /// The screen id.
    pub id: String,
    /// The pointer of the screen object.
    pub pointer: String,
    /// Whether the screen is terminal (`"terminal": true`).
    pub terminal: bool,
}

/// The screen graph of a flow and what it tells. Screen lists are in document order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Graph {
    /// The screens with a string id, in document order (a repeated id: its first screen).
    pub nodes: Vec<Node>,
    /// Every edge: routes in `routing_model` order, then actions in document order, then the
    /// endpoint's choices.
    pub edges: Vec<Edge>,
    /// Screens no other screen leads to: where the flow can start.
    pub entry: Vec<String>,
    /// Screens marked terminal.
    pub terminal: Vec<String>,
    /// Screens that cannot be reached from an entry screen (from the first screen when no
    /// screen is an entry).
    pub unreachable: Vec<String>,
    /// Non-terminal screens with no way to another existing screen: the user gets stuck.
    pub dead_ends: Vec<String>,
    /// Groups of screens that lead back to each other (strongly connected, in document order),
    /// and single screens that lead to themselves; ordered by their first screen.
    pub cycles: Vec<Vec<String>>,
}

impl Graph {
    /// For each edge (same order), how it disagrees with the others. Only a flow with a
    /// routing model (`routing_model`) can disagree; dangling edges are not mismatches (they
    /// are problems of their own).
    pub fn mismatches(&self, routing_model: bool) -> Vec<Option<Mismatch>> {
        let pairs = |kinds: &[EdgeKind]| -> std::collections::HashSet<(&str, &str)> {
            self.edges
                .iter()
                .filter(|edge| kinds.contains(&edge.kind))
                .map(|edge| (edge.from.as_str(), edge.to.as_str()))
                .collect()
        };
        let routes = pairs(&[EdgeKind::Routing]);
        let navigated = pairs(&[EdgeKind::Navigate, EdgeKind::NavigationListItem]);
        let asks_endpoint: std::collections::HashSet<&str> = self
            .edges
            .iter()
            .filter(|edge| edge.kind == EdgeKind::DataExchange)
            .map(|edge| edge.from.as_str())
            .collect();
        self.edges
            .iter()
            .map(|edge| {
                let pair = (edge.from.as_str(), edge.to.as_str());
                if !routing_model || !edge.target_exists {
                    return None;
                }
                match edge.kind {
                    EdgeKind::Navigate | EdgeKind::NavigationListItem
                        if !routes.contains(&pair) && !routes.contains(&(pair.1, pair.0)) =>
                    {
                        Some(Mismatch::NotInRoutingModel)
                    }
                    EdgeKind::Routing if !navigated.contains(&pair) && !asks_endpoint.contains(pair.0) => {
                        Some(Mismatch::NoActionTakesIt)
                    }
                    _ => None,
                }
            })
            .collect()
    }
}

/// Builds the screen graph of `document` and analyses it.
pub fn analyze(document: &Document) -> Graph {
    analyze_root(document.root())
}

/// Builds the screen graph of a flow's JSON value and analyses it.
pub(crate) fn analyze_root(root: &Value) -> Graph {
    let mut nodes = Vec::new();
    let mut index_of: HashMap<&str, usize> = HashMap::new();
    for (position, screen) in references::screens(root) {
        let Some(id) = screen_id(screen) else { continue };
        if index_of.contains_key(id) {
            continue;
        }
        index_of.insert(id, nodes.len());
        nodes.push(Node {
            id: id.to_owned(),
            pointer: pointer::join(key::SCREENS_AT, position),
            terminal: screen.get(key::TERMINAL).and_then(Value::as_bool) == Some(true),
        });
    }
    let edges = edges(root, &index_of);
    summarize(nodes, edges)
}

/// The analysis of screens `nodes` (distinct ids, document order) linked by `edges`: entry,
/// terminal, unreachable and dead-end screens, cycles.
pub(crate) fn summarize(nodes: Vec<Node>, edges: Vec<Edge>) -> Graph {
    let index_of: HashMap<&str, usize> =
        nodes.iter().enumerate().map(|(index, node)| (node.id.as_str(), index)).collect();
    let count = nodes.len();
    // Adjacency by node index, without dangling targets; `successors` keeps self-loops.
    let mut successors: Vec<Vec<usize>> = vec![Vec::new(); count];
    let mut has_inbound = vec![false; count];
    for edge in &edges {
        if let (Some(&from), Some(&to)) = (index_of.get(edge.from.as_str()), index_of.get(edge.to.as_str())) {
            if let Some(list) = successors.get_mut(from)
                && !list.contains(&to)
            {
                list.push(to);
            }
            if from != to
                && let Some(inbound) = has_inbound.get_mut(to)
            {
                *inbound = true;
            }
        }
    }
    let ids = |indexes: &mut dyn Iterator<Item = usize>| -> Vec<String> {
        indexes.filter_map(|index| nodes.get(index)).map(|node| node.id.clone()).collect()
    };
    let entries: Vec<usize> = (0..count).filter(|index| has_inbound.get(*index) == Some(&false)).collect();
    let starts = if entries.is_empty() && count > 0 { vec![0] } else { entries.clone() };
    let reached = reachable(&successors, &starts);
    let unreachable = ids(&mut (0..count).filter(|index| reached.get(*index) == Some(&false)));
    let dead_ends = ids(&mut (0..count).filter(|index| {
        let terminal = nodes.get(*index).is_some_and(|node| node.terminal);
        let forward = successors.get(*index).is_some_and(|next| next.iter().any(|to| to != index));
        !terminal && !forward
    }));
    let cycles = strongly_connected(&successors)
        .into_iter()
        .filter(|group| match group.as_slice() {
            [single] => successors.get(*single).is_some_and(|next| next.contains(single)),
            _ => true,
        })
        .map(|group| ids(&mut group.into_iter()))
        .collect();
    Graph {
        entry: ids(&mut entries.into_iter()),
        terminal: nodes.iter().filter(|node| node.terminal).map(|node| node.id.clone()).collect(),
        unreachable,
        dead_ends,
        cycles,
        edges,
        nodes,
    }
}

fn edges(root: &Value, index_of: &HashMap<&str, usize>) -> Vec<Edge> {
    let exists = |id: &str| index_of.contains_key(id);
    let mut edges = Vec::new();
    let routing = root.get(key::ROUTING_MODEL).and_then(Value::as_object);
    for (from, destinations) in routing.into_iter().flatten() {
        let list = pointer::join(key::ROUTING_MODEL_AT, from);
        for (index, to) in destinations.as_array().into_iter().flatten().enumerate() {
            let Some(to) = to.as_str() else { continue };
            edges.push(Edge {
                from: from.clone(),
                to: to.to_owned(),
                kind: EdgeKind::Routing,
                pointer: pointer::join(&list, index),
                component: None,
                target_exists: exists(to),
            });
        }
    }
    let screen_id_at = |position: usize| {
        root.get(key::SCREENS)
            .and_then(|screens| screens.get(position))
            .and_then(Value::as_object)
            .and_then(screen_id)
    };
    for action in references::navigate_actions(root) {
        let Some(from) = screen_id_at(action.screen) else { continue };
        let in_item = action.component.as_deref().is_some_and(|component| {
            let rest = action.action.strip_prefix(component).and_then(|rest| rest.strip_prefix('/'));
            rest.and_then(|rest| rest.strip_prefix(prop::LIST_ITEMS))
                .is_some_and(|rest| rest.starts_with('/'))
        });
        let kind = if action.component_kind == Some("NavigationList") && in_item {
            EdgeKind::NavigationListItem
        } else {
            EdgeKind::Navigate
        };
        edges.push(Edge {
            from: from.to_owned(),
            to: action.target.to_owned(),
            kind,
            pointer: action.action,
            component: action.component,
            target_exists: exists(action.target),
        });
    }
    // One edge per screen and route, made by the screen's first data_exchange action.
    let mut seen = Vec::new();
    for action in references::actions(root, ActionName::DataExchange) {
        let Some(from) = screen_id_at(action.screen) else { continue };
        if seen.contains(&from) {
            continue;
        }
        seen.push(from);
        let routes = routing.and_then(|routing| routing.get(from)).and_then(Value::as_array);
        for to in routes.into_iter().flatten().filter_map(Value::as_str) {
            edges.push(Edge {
                from: from.to_owned(),
                to: to.to_owned(),
                kind: EdgeKind::DataExchange,
                pointer: action.pointer.clone(),
                component: action.holder.as_ref().map(|holder| holder.pointer.clone()),
                target_exists: exists(to),
            });
        }
    }
    edges
}

/// Which nodes can be reached from `starts`.
fn reachable(successors: &[Vec<usize>], starts: &[usize]) -> Vec<bool> {
    let mut reached = vec![false; successors.len()];
    let mut pending = starts.to_vec();
    while let Some(node) = pending.pop() {
        match reached.get_mut(node) {
            Some(seen) if !*seen => *seen = true,
            _ => continue,
        }
        pending.extend(successors.get(node).into_iter().flatten().copied());
    }
    reached
}

/// Strongly connected components of size two or more, and single nodes, each sorted, ordered
/// by their smallest node (Tarjan's algorithm with an explicit stack).
fn strongly_connected(successors: &[Vec<usize>]) -> Vec<Vec<usize>> {
    let count = successors.len();
    let mut index = vec![usize::MAX; count];
    let mut low = vec![0; count];
    let mut on_stack = vec![false; count];
    let mut stack = Vec::new();
    let mut next_index = 0;
    let mut groups = Vec::new();
    for start in 0..count {
        if index.get(start) != Some(&usize::MAX) {
            continue;
        }
        // (node, position of the next successor to look at)
        let mut calls = vec![(start, 0)];
        while let Some(frame) = calls.last_mut() {
            let (node, position) = *frame;
            frame.1 += 1;
            if position == 0 && index.get(node) == Some(&usize::MAX) {
                set(&mut index, node, next_index);
                set(&mut low, node, next_index);
                next_index += 1;
                stack.push(node);
                set(&mut on_stack, node, true);
            }
            let next = successors.get(node).and_then(|next| next.get(position)).copied();
            match next {
                Some(next) if index.get(next) == Some(&usize::MAX) => calls.push((next, 0)),
                Some(next) => {
                    if on_stack.get(next) == Some(&true) {
                        let lowest = get(&low, node).min(get(&index, next));
                        set(&mut low, node, lowest);
                    }
                }
                None => {
                    calls.pop();
                    if let Some(&(parent, _)) = calls.last() {
                        let lowest = get(&low, parent).min(get(&low, node));
                        set(&mut low, parent, lowest);
                    }
                    if get(&low, node) == get(&index, node) {
                        let mut group = Vec::new();
                        while let Some(member) = stack.pop() {
                            set(&mut on_stack, member, false);
                            group.push(member);
                            if member == node {
                                break;
                            }
                        }
                        crate::order::sort(&mut group);
                        groups.push(group);
                    }
                }
            }
        }
    }
    crate::order::sort_by_key(&mut groups, |group| group.first().copied());
    groups
}

fn get<T: Copy + Default>(values: &[T], at: usize) -> T {
    values.get(at).copied().unwrap_or_default()
}

fn set<T>(values: &mut [T], at: usize, value: T) {
    if let Some(slot) = values.get_mut(at) {
        *slot = value;
    }
}
