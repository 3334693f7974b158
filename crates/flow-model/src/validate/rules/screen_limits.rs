//! §3.1: at most 50 components per screen (⚠ Meta's builder allows 100, its docs say 50: we
//! follow the stricter reading), per-type maximums per screen from the catalog (If and
//! Switch branches count as alternatives: the most over the branches), and per-flow maximums.
use std::collections::HashMap;

use super::super::context::{Flow, Node};
use crate::model::key;

#[cfg(all(test, not(target_arch = "wasm32")))]
use super::super::sources::{Builder, Code, Docs, Page, Report, error};
use crate::catalog::{self, Component};
use crate::diagnostic::{ComponentProblem, Diagnostic};
use crate::walk::Place;

/// What this rule reports, and on whose authority (`validate/sources.rs`).
#[cfg(all(test, not(target_arch = "wasm32")))]
pub(super) const REPORTS: &[Report] = &[
    error(
        "Component::TooManyComponents",
        Code::MaxAllowedComponentsPerScreen,
        "at most 50 components on a screen (the builder counts to 100)",
        &[Docs(Page::Components, "the maximum number of components per screen is 50")],
    ),
    error(
        "Component::TooManyOfType",
        Code::ComponentTypeMaxNumberPerScreen,
        "per-type maximums per screen (Footer 1, EmbeddedLink 2, Image 3, OptIn 5, one media picker, ...)",
        &[
            Docs(Page::Components, "each component's \"Limits and restrictions\""),
            Builder("WAFlowJSONConstants: SCREEN_COMPONENT_MAX_COUNT (and _V700: one Form)"),
        ],
    ),
    error(
        "Component::TooManyInFlow",
        Code::InvalidPropertyValue,
        "at most 3 ImageCarousels in a flow",
        &[Docs(Page::Components, "Image Carousel: limits and restrictions")],
    ),
];

/// The most components on one screen (Form wrappers not counted).
pub(crate) const MAX_COMPONENTS_PER_SCREEN: usize = 50;

/// A group of component types sharing one per-screen maximum.
struct Group {
    names: Vec<&'static str>,
    max: u32,
}

fn groups(flow: &Flow<'_>) -> Vec<Group> {
    let mut groups: Vec<Group> = Vec::new();
    for component in catalog::available(flow.version) {
        let Some(limit) = component.per_screen.filter(|limit| limit.since <= flow.version) else { continue };
        if groups.iter().any(|group| group.names.contains(&component.name)) {
            continue;
        }
        let mut names = vec![component.name];
        names.extend(limit.shared_with.iter().copied());
        groups.push(Group { names, max: limit.max });
    }
    groups
}

pub(super) fn check(flow: &Flow<'_>, out: &mut Vec<Diagnostic>) {
    let groups = groups(flow);
    // (component name, its group) for every name of every group.
    let grouped: Vec<(&'static str, usize)> = groups
        .iter()
        .enumerate()
        .flat_map(|(index, group)| group.names.iter().map(move |name| (*name, index)))
        .collect();
    let mut totals = vec![0usize; groups.len()];
    let mut per_flow: HashMap<&'static str, usize> = HashMap::new();
    for screen in &flow.screens {
        let counted = screen.components.iter().filter(|node| !node.is("Form")).count();
        if counted > MAX_COMPONENTS_PER_SCREEN {
            let at = crate::json::pointer::join(&screen.pointer, key::LAYOUT);
            out.push(Diagnostic::error(
                crate::json::pointer::join(&at, key::CHILDREN),
                ComponentProblem::TooManyComponents { max: MAX_COMPONENTS_PER_SCREEN as u32, found: counted },
            ));
        }
        // The most of a group at once is at most its total on the screen: only a screen whose
        // total is over the maximum needs the count over branches (which allocates per
        // component).
        totals.fill(0);
        for node in &screen.components {
            let Some(spec) = node.spec else { continue };
            for (name, group) in &grouped {
                if catalog::same(name, spec.name)
                    && let Some(total) = totals.get_mut(*group)
                {
                    *total += 1;
                }
            }
        }
        let over = totals.iter().zip(&groups).any(|(total, group)| *total > group.max as usize);
        let most = if over { most_per_group(&screen.components, &groups) } else { Vec::new() };
        for (group, found) in groups.iter().zip(most) {
            if found <= group.max as usize {
                continue;
            }
            // Point at the last one: with branches as alternatives, no earlier one is "the extra".
            let beyond = screen
                .components
                .iter()
                .rev()
                .find(|node| node.spec.is_some_and(|spec| group.names.contains(&spec.name)));
            if let Some(node) = beyond {
                out.push(Diagnostic::error(
                    screen.pointer_of(node),
                    ComponentProblem::TooManyOfType {
                        component: group.names.join(" or "),
                        max: group.max,
                        found,
                    },
                ));
            }
        }
        for node in &screen.components {
            let Some(component) = node.spec else { continue };
            let Some(max) = component.per_flow else { continue };
            let count = per_flow.entry(component.name).or_default();
            *count += 1;
            if *count == max as usize + 1 {
                let total = flow
                    .screens
                    .iter()
                    .flat_map(|screen| &screen.components)
                    .filter(|node| node.is(component.name))
                    .count();
                out.push(Diagnostic::error(
                    screen.pointer_of(node),
                    ComponentProblem::TooManyInFlow { component: component.name, max, found: total },
                ));
            }
        }
    }
}

/// For each group, the most components of the group on the screen at once: If branches and
/// Switch cases are alternatives (the larger counts), Form children add up.
fn most_per_group(nodes: &[Node<'_>], groups: &[Group]) -> Vec<usize> {
    let width = groups.len();
    let unit = |spec: Option<&'static Component>| -> Vec<usize> {
        groups
            .iter()
            .map(|group| usize::from(spec.is_some_and(|spec| group.names.contains(&spec.name))))
            .collect()
    };
    // Sums per branch of each container, filled from the last component to the first, so a
    // container's branches are complete when it is reached.
    let mut branches: Vec<Vec<(Place<'_>, Vec<usize>)>> = vec![Vec::new(); nodes.len()];
    let mut top = vec![0; width];
    for (index, node) in nodes.iter().enumerate().rev() {
        let own = branches.get_mut(index).map(std::mem::take).unwrap_or_default();
        let value = if node.is("Form") {
            own.into_iter().fold(unit(node.spec), |sum, (_, counts)| add(sum, &counts))
        } else {
            let most = own.into_iter().fold(vec![0; width], |most, (_, counts)| {
                most.iter().zip(&counts).map(|(a, b)| *a.max(b)).collect()
            });
            add(most, &unit(node.spec))
        };
        match node.at.parent.and_then(|parent| branches.get_mut(parent)) {
            Some(parent) => match parent.iter_mut().find(|(place, _)| *place == node.at.place) {
                Some((_, sum)) => *sum = add(std::mem::take(sum), &value),
                None => parent.push((node.at.place, value)),
            },
            None => top = add(top, &value),
        }
    }
    top
}

fn add(mut sum: Vec<usize>, counts: &[usize]) -> Vec<usize> {
    for (total, count) in sum.iter_mut().zip(counts) {
        *total += count;
    }
    sum
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{expect, screen};
    use super::*;
    use crate::diagnostic::Code;
    use serde_json::{Value, json};

    fn footer() -> Value {
        json!({"type": "Footer"})
    }

    #[test]
    fn per_type_limits_count_branches_as_alternatives() {
        let branches =
            json!({"type": "If", "condition": "${data.a}", "then": [footer()], "else": [footer()]});
        expect(check, &screen("7.3", json!([branches.clone()])), &[]);
        expect(
            check,
            &screen("7.3", json!([branches, footer()])),
            &[(Code::ComponentTypeMaxNumberPerScreen, "/screens/0/layout/children/1")],
        );
        let pickers = json!([{"type": "PhotoPicker"}, {"type": "DocumentPicker"}]);
        expect(
            check,
            &screen("7.3", pickers),
            &[(Code::ComponentTypeMaxNumberPerScreen, "/screens/0/layout/children/1")],
        );
        let links = json!([{"type": "Switch", "value": "${data.x}", "cases": {
            "a": [{"type": "EmbeddedLink"}, {"type": "EmbeddedLink"}, {"type": "EmbeddedLink"}], "b": []}}]);
        expect(
            check,
            &screen("7.3", links),
            &[(Code::ComponentTypeMaxNumberPerScreen, "/screens/0/layout/children/0/cases/a/2")],
        );
    }

    #[test]
    fn one_form_per_screen_from_7_0() {
        let forms = json!([{"type": "Form", "children": []}, {"type": "Form", "children": []}]);
        expect(check, &screen("6.3", forms.clone()), &[]);
        expect(
            check,
            &screen("7.0", forms),
            &[(Code::ComponentTypeMaxNumberPerScreen, "/screens/0/layout/children/1")],
        );
    }

    #[test]
    fn fifty_components_per_screen_and_three_carousels_per_flow() {
        let many: Vec<_> = (0..51).map(|_| json!({"type": "TextBody", "text": "x"})).collect();
        expect(
            check,
            &screen("7.3", json!(many)),
            &[(Code::MaxAllowedComponentsPerScreen, "/screens/0/layout/children")],
        );
        let carousels = |n: usize| (0..n).map(|_| json!({"type": "ImageCarousel"})).collect::<Vec<_>>();
        let flow = json!({"version": "7.3", "screens": [
            {"id": "A", "layout": {"children": carousels(2)}},
            {"id": "B", "layout": {"children": carousels(2)}}
        ]});
        expect(check, &flow, &[(Code::InvalidPropertyValue, "/screens/1/layout/children/1")]);
    }
}
