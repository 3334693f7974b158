//! §7.1, endpoint flows (`routing_model` present): every screen appears in the routing model,
//! only existing screens do, no screen routes to itself or back to where it came from, at most
//! 10 branches per screen, an entry screen exists (7.3+: navigate actions count as inbound
//! edges), all screens are connected, and every navigate action has its route.
use std::collections::{HashMap, HashSet};

use serde_json::Value;

use super::super::context::Flow;
use super::super::schema::json_type;
use crate::model::key;

#[cfg(all(test, not(target_arch = "wasm32")))]
use super::super::sources::{Builder, Code, Docs, Page, Report, error};
use crate::catalog::ActionName;
use crate::diagnostic::{Diagnostic, Problem, RoutingProblem, SchemaProblem};
use crate::json::pointer;
use crate::version::{Feature, Version};

/// What this rule reports, and on whose authority (`validate/sources.rs`).
#[cfg(all(test, not(target_arch = "wasm32")))]
pub(super) const REPORTS: &[Report] = &[
    error(
        "Schema::WrongType",
        Code::InvalidPropertyType,
        "routes are lists of screen ids",
        &[Builder("WAFlowJSONRootSchema: the root object, closed")],
    ),
    error(
        "Routing::InvalidScreens",
        Code::InvalidRoutingModel,
        "only existing screens in the routing model",
        &[
            Docs(Page::ErrorCodes, "Invalid screens found in the routing model"),
            Builder("WAFlowJSONRoutingModelValidator"),
        ],
    ),
    error(
        "Routing::MissingScreens",
        Code::InvalidRoutingModel,
        "every screen in the routing model (terminal screens excepted)",
        &[
            Docs(Page::ErrorCodes, "Following screens are missing in the routing model"),
            Builder("WAFlowJSONRoutingModelValidator"),
        ],
    ),
    error(
        "Routing::Loop",
        Code::InvalidRoutingModel,
        "no screen routes to itself",
        &[
            Docs(Page::FlowJson, "Routing rules: route cannot be the current screen"),
            Docs(Page::ErrorCodes, "Loop detected in the routing model"),
        ],
    ),
    error(
        "Routing::TooManyBranches",
        Code::InvalidRoutingModel,
        "at most 10 routes from a screen",
        &[
            Docs(Page::ErrorCodes, "Number of branches exceeds the max limit of 10"),
            Builder("WAFlowJSONRoutingModelValidator"),
        ],
    ),
    error(
        "Routing::BackwardRoute",
        Code::InvalidRoutingModel,
        "no route back where a route comes from",
        &[
            Docs(Page::FlowJson, "Routing rules: only forward routes"),
            Docs(Page::ErrorCodes, "Backward route … is not allowed"),
        ],
    ),
    error(
        "Routing::NoEntryScreen",
        Code::InvalidRoutingModel,
        "an entry screen (7.3+: navigate actions count as inbound routes)",
        &[
            Docs(Page::FlowJson, "Routing rules: there should be an entry screen"),
            Builder("WAFlowJSONValidatorChainV703: entry screen"),
        ],
    ),
    error(
        "Routing::NotConnected",
        Code::InvalidRoutingModel,
        "all screens connected",
        &[
            Docs(Page::ErrorCodes, "Following screens are not connected with the rest of the screens"),
            Builder("WAFlowJSONRoutingModelValidator"),
        ],
    ),
    error(
        "Routing::MissingRoute",
        Code::InvalidRoutingModel,
        "every navigate action has its route (not from NavigationList screens, 6.2+)",
        &[
            Docs(Page::ErrorCodes, "Missing direct route from screen … in the routing model"),
            Builder("WAFlowJSONValidatorChainV602: routes"),
        ],
    ),
];

/// The most destinations of one screen.
pub(crate) const MAX_BRANCHES: usize = 10;

pub(super) fn check(flow: &Flow<'_>, out: &mut Vec<Diagnostic>) {
    let Some(Value::Object(model)) = flow.root.get(key::ROUTING_MODEL) else { return };
    let routing = |problem| Problem::Routing(problem);
    // Edges, keeping only string destinations.
    let mut edges: Vec<(&str, Vec<&str>)> = Vec::with_capacity(model.len());
    for (from, destinations) in model {
        let at = pointer::join(key::ROUTING_MODEL_AT, from);
        let Some(list) = destinations.as_array() else {
            out.push(Diagnostic::error(
                at,
                SchemaProblem::WrongType {
                    property: from.clone(),
                    expected: "array",
                    found: json_type(destinations),
                },
            ));
            continue;
        };
        let mut targets = Vec::with_capacity(list.len());
        for (index, destination) in list.iter().enumerate() {
            match destination.as_str() {
                Some(to) => targets.push(to),
                None => out.push(Diagnostic::error(
                    pointer::join(&at, index),
                    SchemaProblem::WrongType {
                        property: from.clone(),
                        expected: "string",
                        found: json_type(destination),
                    },
                )),
            }
        }
        edges.push((from.as_str(), targets));
    }
    let exists = |id: &str| flow.ids.contains_key(id);
    let mut invalid: Vec<String> = Vec::new();
    let mut present: HashSet<&str> = HashSet::new();
    for (from, targets) in &edges {
        for id in std::iter::once(from).chain(targets.iter()) {
            present.insert(id);
            if !exists(id) && !invalid.iter().any(|known| known == id) {
                invalid.push((*id).to_owned());
            }
        }
    }
    if !invalid.is_empty() {
        out.push(Diagnostic::error(
            key::ROUTING_MODEL_AT,
            routing(RoutingProblem::InvalidScreens { screens: invalid }),
        ));
    }
    let missing: Vec<String> = flow
        .screens
        .iter()
        .filter(|screen| !screen.terminal)
        .filter_map(|screen| screen.id)
        .filter(|id| !present.contains(id))
        .map(str::to_owned)
        .collect();
    if !missing.is_empty() {
        out.push(Diagnostic::error(
            key::ROUTING_MODEL_AT,
            routing(RoutingProblem::MissingScreens { screens: missing }),
        ));
    }
    let forward: HashSet<(&str, &str)> =
        edges.iter().flat_map(|(from, targets)| targets.iter().map(move |to| (*from, *to))).collect();
    let mut reported_back: HashSet<(&str, &str)> = HashSet::new();
    for (from, targets) in &edges {
        let at = pointer::join(key::ROUTING_MODEL_AT, from);
        if targets.contains(from) {
            out.push(Diagnostic::error(
                at.clone(),
                routing(RoutingProblem::Loop { screens: vec![(*from).to_owned()] }),
            ));
        }
        let distinct: HashSet<&&str> = targets.iter().collect();
        if distinct.len() > MAX_BRANCHES {
            out.push(Diagnostic::error(
                at.clone(),
                routing(RoutingProblem::TooManyBranches {
                    screens: vec![(*from).to_owned()],
                    derived: false,
                }),
            ));
        }
        for to in targets {
            if to != from && forward.contains(&(*to, *from)) && !reported_back.contains(&(*to, *from)) {
                reported_back.insert((*from, *to));
                out.push(Diagnostic::error(
                    pointer::join(key::ROUTING_MODEL_AT, to),
                    routing(RoutingProblem::BackwardRoute { from: (*from).to_owned(), to: (*to).to_owned() }),
                ));
            }
        }
    }
    // Entry screen: a screen with no inbound edge (7.3+: navigate actions count too).
    let mut inbound: HashSet<&str> =
        forward.iter().filter(|(from, to)| from != to).map(|(_, to)| *to).collect();
    if flow.version.supports(Feature::StrictRouting) {
        for action in flow.actions.iter().filter(|action| action.name == Some(ActionName::Navigate)) {
            if let Some(next) = action.next_screen()
                && flow.screens.get(action.screen).and_then(|screen| screen.id) != Some(next)
            {
                inbound.insert(next);
            }
        }
    }
    let ids: Vec<&str> = flow.screens.iter().filter_map(|screen| screen.id).collect();
    if !ids.is_empty() && ids.iter().all(|id| inbound.contains(id)) {
        out.push(Diagnostic::error(
            key::ROUTING_MODEL_AT,
            routing(RoutingProblem::NoEntryScreen { derived: false }),
        ));
    }
    // Connectivity, undirected, from the first screen.
    let mut neighbours: HashMap<&str, Vec<&str>> = HashMap::new();
    for (from, to) in &forward {
        neighbours.entry(from).or_default().push(to);
        neighbours.entry(to).or_default().push(from);
    }
    let unconnected = unconnected(&ids, &neighbours);
    if !unconnected.is_empty() {
        out.push(Diagnostic::error(
            key::ROUTING_MODEL_AT,
            routing(RoutingProblem::NotConnected { screens: unconnected, derived: false }),
        ));
    }
    // Every navigate action has its route (either direction); screens with a NavigationList
    // are exempt from 6.2.
    for action in flow.actions.iter().filter(|action| action.name == Some(ActionName::Navigate)) {
        let Some(screen) = flow.screens.get(action.screen) else { continue };
        let (Some(from), Some(to)) = (screen.id, action.next_screen()) else { continue };
        if from == to || !exists(to) {
            continue;
        }
        let navigation_list =
            flow.version >= Version::V6_2 && screen.components.iter().any(|node| node.is("NavigationList"));
        if !navigation_list && !forward.contains(&(from, to)) && !forward.contains(&(to, from)) {
            out.push(Diagnostic::error(
                pointer::join(&pointer::join(&action.pointer, key::NEXT), key::NAME),
                routing(RoutingProblem::MissingRoute { from: from.to_owned(), to: to.to_owned() }),
            ));
        }
    }
}

/// Screens not reachable from the first one over `neighbours`, in screen order.
pub(crate) fn unconnected(ids: &[&str], neighbours: &HashMap<&str, Vec<&str>>) -> Vec<String> {
    let Some(first) = ids.first() else { return Vec::new() };
    let mut seen: HashSet<&str> = HashSet::from([*first]);
    let mut queue = vec![*first];
    while let Some(id) = queue.pop() {
        for next in neighbours.get(id).into_iter().flatten() {
            if seen.insert(next) {
                queue.push(next);
            }
        }
    }
    ids.iter().filter(|id| !seen.contains(*id)).map(|id| (*id).to_owned()).collect()
}

#[cfg(test)]
mod tests {
    use super::super::test_support::expect;
    use super::*;
    use crate::diagnostic::Code;
    use serde_json::json;

    fn flow(routing: Value, screens: &[&str]) -> Value {
        let screens: Vec<Value> = screens
            .iter()
            .map(|id| json!({"id": id, "terminal": id.starts_with('Z'), "layout": {"children": []}}))
            .collect();
        json!({"version": "7.3", "data_api_version": "3.0", "routing_model": routing, "screens": screens})
    }

    #[test]
    fn a_good_routing_model() {
        expect(check, &flow(json!({"A": ["B"], "B": ["Z"], "Z": []}), &["A", "B", "Z"]), &[]);
    }

    #[test]
    fn missing_invalid_loops_and_backward_routes() {
        expect(
            check,
            &flow(json!({"A": ["A", "X"], "Z": []}), &["A", "B", "Z"]),
            &[
                (Code::InvalidRoutingModel, "/routing_model"),
                (Code::InvalidRoutingModel, "/routing_model"),
                (Code::InvalidRoutingModel, "/routing_model/A"),
                (Code::InvalidRoutingModel, "/routing_model"),
            ],
        );
        expect(
            check,
            &flow(json!({"A": ["B"], "B": ["A", "Z"]}), &["A", "B", "Z"]),
            &[(Code::InvalidRoutingModel, "/routing_model/B"), (Code::InvalidRoutingModel, "/routing_model")],
        );
    }

    #[test]
    fn branches_entry_connectivity_and_navigate_routes() {
        let many: Vec<String> = (0..11).map(|i| format!("S{}", "x".repeat(i + 1))).collect();
        let mut ids: Vec<&str> = vec!["A"];
        ids.extend(many.iter().map(String::as_str));
        let routing = json!({"A": many});
        let found = super::super::test_support::run(check, &flow(routing, &ids));
        assert!(found.contains(&(Code::InvalidRoutingModel, "/routing_model/A".to_owned())), "{found:?}");
        expect(
            check,
            &flow(json!({"A": ["B"], "B": [], "C": ["Z"]}), &["A", "B", "C", "Z"]),
            &[(Code::InvalidRoutingModel, "/routing_model")],
        );
        let mut navigate = flow(json!({"A": ["Z"]}), &["A", "B", "Z"]);
        navigate["routing_model"]["B"] = json!(["Z"]);
        navigate["screens"][0]["layout"]["children"] = json!([{"type": "Footer", "label": "x", "on-click-action": {"name": "navigate", "next": {"type": "screen", "name": "B"}}}]);
        expect(
            check,
            &navigate,
            &[(Code::InvalidRoutingModel, "/screens/0/layout/children/0/on-click-action/next/name")],
        );
    }
}
