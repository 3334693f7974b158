//! §7.1, flows without `routing_model`: the routes come from navigate actions (a screen with a
//! NavigationList counts as linked to every screen); at most 10 per screen, an entry screen
//! (not checked when a NavigationList is in the flow), and all screens connected.
use std::collections::{HashMap, HashSet};

use super::super::context::Flow;
use crate::model::key;

#[cfg(all(test, not(target_arch = "wasm32")))]
use super::super::sources::{Builder, Code, Docs, Page, Report, error};
use super::routing_model::{MAX_BRANCHES, unconnected};
use crate::catalog::ActionName;
use crate::diagnostic::{Diagnostic, Problem, RoutingProblem};

/// What this rule reports, and on whose authority (`validate/sources.rs`).
#[cfg(all(test, not(target_arch = "wasm32")))]
pub(super) const REPORTS: &[Report] = &[
    error(
        "Routing::TooManyBranches",
        Code::InvalidRoutingModel,
        "at most 10 screens navigated to from a screen",
        &[
            Docs(
                Page::ErrorCodes,
                "Number of branches exceeds the max limit of 10 … Reduce navigate actions",
            ),
            Builder("WAFlowJSONRoutingModelValidator (endpoint-less)"),
        ],
    ),
    error(
        "Routing::NoEntryScreen",
        Code::InvalidRoutingModel,
        "a screen no navigate action goes to",
        &[
            Docs(Page::FlowJson, "Routing rules: the entry screen without an endpoint"),
            Builder("WAFlowJSONRoutingModelValidator (endpoint-less)"),
        ],
    ),
    error(
        "Routing::NotConnected",
        Code::InvalidRoutingModel,
        "all screens connected by navigate actions",
        &[
            Docs(Page::ErrorCodes, "not connected with the rest of the screens via navigate screen action"),
            Builder("WAFlowJSONRoutingModelValidator (endpoint-less)"),
        ],
    ),
];

pub(super) fn check(flow: &Flow<'_>, out: &mut Vec<Diagnostic>) {
    if flow.root.contains_key(key::ROUTING_MODEL) || flow.endpoint {
        return;
    }
    let ids: Vec<&str> = flow.screens.iter().filter_map(|screen| screen.id).collect();
    let mut edges: HashMap<&str, Vec<&str>> = HashMap::new();
    for action in flow.actions.iter().filter(|action| action.name == Some(ActionName::Navigate)) {
        let (Some(from), Some(to)) =
            (flow.screens.get(action.screen).and_then(|screen| screen.id), action.next_screen())
        else {
            continue;
        };
        if from != to && flow.ids.contains_key(to) {
            let targets = edges.entry(from).or_default();
            if !targets.contains(&to) {
                targets.push(to);
            }
        }
    }
    for screen in &flow.screens {
        let count = screen.id.and_then(|id| edges.get(id)).map_or(0, Vec::len);
        if count > MAX_BRANCHES {
            out.push(Diagnostic::error(
                screen.pointer.clone(),
                Problem::Routing(RoutingProblem::TooManyBranches {
                    screens: vec![screen.label()],
                    derived: true,
                }),
            ));
        }
    }
    let lists: Vec<&str> = flow
        .screens
        .iter()
        .filter(|screen| screen.components.iter().any(|node| node.is("NavigationList")))
        .filter_map(|screen| screen.id)
        .collect();
    if lists.is_empty() {
        let inbound: HashSet<&str> = edges.values().flatten().copied().collect();
        if !ids.is_empty() && ids.iter().all(|id| inbound.contains(id)) {
            out.push(Diagnostic::error(
                key::SCREENS_AT,
                Problem::Routing(RoutingProblem::NoEntryScreen { derived: true }),
            ));
        }
    }
    if ids.len() < 2 {
        return;
    }
    let mut neighbours: HashMap<&str, Vec<&str>> = HashMap::new();
    for (from, targets) in &edges {
        for to in targets {
            neighbours.entry(from).or_default().push(to);
            neighbours.entry(to).or_default().push(from);
        }
    }
    // A NavigationList may lead to any screen. Linking every screen with the first screen that
    // has one connects the same screens as linking it with all of them, without a number of
    // links that grows with the square of the screens.
    if let Some(list) = lists.first() {
        for id in &ids {
            neighbours.entry(list).or_default().push(id);
            neighbours.entry(id).or_default().push(list);
        }
    }
    let unconnected = unconnected(&ids, &neighbours);
    if !unconnected.is_empty() {
        out.push(Diagnostic::error(
            key::SCREENS_AT,
            Problem::Routing(RoutingProblem::NotConnected { screens: unconnected, derived: true }),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{expect, navigate_footer as go};
    use super::*;
    use crate::diagnostic::Code;
    use serde_json::{Value, json};

    fn flow(screens: Vec<(&str, Vec<Value>)>) -> Value {
        let screens: Vec<Value> = screens
            .into_iter()
            .map(|(id, children)| json!({"id": id, "layout": {"children": children}}))
            .collect();
        json!({"version": "7.3", "screens": screens})
    }

    #[test]
    fn connected_with_an_entry() {
        expect(check, &flow(vec![("A", vec![go("B")]), ("B", vec![])]), &[]);
        expect(
            check,
            &flow(vec![("A", vec![go("B")]), ("B", vec![]), ("C", vec![])]),
            &[(Code::InvalidRoutingModel, "/screens")],
        );
        expect(
            check,
            &flow(vec![("A", vec![go("B")]), ("B", vec![go("A")])]),
            &[(Code::InvalidRoutingModel, "/screens")],
        );
    }

    #[test]
    fn at_most_ten_branches() {
        let names: Vec<String> = (0..11).map(|i| format!("S{}", "x".repeat(i + 1))).collect();
        let mut screens = vec![("A", names.iter().map(|name| go(name)).collect::<Vec<_>>())];
        screens.extend(names.iter().map(|name| (name.as_str(), vec![])));
        expect(check, &flow(screens), &[(Code::InvalidRoutingModel, "/screens/0")]);
    }
}
