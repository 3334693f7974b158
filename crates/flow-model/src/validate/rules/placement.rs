//! §3.2, §3.3, §4.7: each component sits only where the catalog allows it in the flow's
//! version: inputs inside a Form before 4.0; no RichText in a Form; no If or Switch in a
//! Switch; a Footer in an If only when that If is not nested in another If or Switch.
use super::super::context::{Flow, Node};

#[cfg(all(test, not(target_arch = "wasm32")))]
use super::super::sources::{Builder, Code, Docs, Page, Report, error};
use crate::catalog::Parent;
use crate::diagnostic::{ComponentProblem, Diagnostic};
use crate::version::Feature;
use crate::walk::Place;

/// What this rule reports, and on whose authority (`validate/sources.rs`).
#[cfg(all(test, not(target_arch = "wasm32")))]
pub(super) const REPORTS: &[Report] = &[
    error(
        "Component::InputOutsideForm",
        Code::KeywordOneOf,
        "before 4.0, inputs sit inside a Form",
        &[
            Docs(Page::FlowJson, "Forms and Form properties"),
            Builder("WAFlowJSONChildrenSchema: \"must be defined inside parent property 'Form'\""),
        ],
    ),
    error(
        "Component::NotAllowedIn",
        Code::InvalidComponentPlacement,
        "each component sits only in the lists Meta allows it in (no RichText in a Form, no If or Switch in a Switch, a Footer only in a top-level If)",
        &[
            Docs(Page::Components, "If and Switch: allowed components; If, \"Footer\""),
            Builder(
                "WAFlowJSONChildrenSchema and WAFlowJSONFormComponentSchema: the components each list takes, by version",
            ),
        ],
    ),
];

fn parent_of(place: Place<'_>) -> Parent {
    match place {
        Place::Layout => Parent::Layout,
        Place::Form => Parent::Form,
        Place::IfThen | Place::IfElse => Parent::If,
        Place::SwitchCase(_) => Parent::Switch,
    }
}

pub(super) fn check(flow: &Flow<'_>, out: &mut Vec<Diagnostic>) {
    for screen in &flow.screens {
        for node in &screen.components {
            let Some(component) = node.spec.filter(|component| component.is_available(flow.version)) else {
                continue;
            };
            let parent = parent_of(node.at.place);
            if !component.allowed_in(parent, flow.version) {
                let problem = if parent == Parent::Layout
                    && component.is_input()
                    && !flow.version.supports(Feature::OptionalForm)
                {
                    ComponentProblem::InputOutsideForm { component: component.name }
                } else {
                    ComponentProblem::NotAllowedIn { component: component.name, parent: parent.as_str() }
                };
                out.push(Diagnostic::error(screen.pointer_of(node), problem));
            } else if parent == Parent::If
                && component.name == "Footer"
                && in_nested_if(node, &screen.components)
            {
                out.push(Diagnostic::error(
                    screen.pointer_of(node),
                    ComponentProblem::NotAllowedIn { component: component.name, parent: "a nested If" },
                ));
            }
        }
    }
}

/// Whether the If holding `node` is itself inside an If or a Switch.
fn in_nested_if(node: &Node<'_>, all: &[Node<'_>]) -> bool {
    // Parents come before their components, so indexes only decrease: the loop ends.
    let mut parent = node.at.parent.and_then(|index| all.get(index)).and_then(|holder| holder.at.parent);
    while let Some(ancestor) = parent.and_then(|index| all.get(index)) {
        if ancestor.is("If") || ancestor.is("Switch") {
            return true;
        }
        parent = ancestor.at.parent;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{C0, expect, screen};
    use super::*;
    use crate::diagnostic::Code;
    use serde_json::json;

    #[test]
    fn containers_accept_what_the_catalog_says() {
        let flow = screen(
            "7.3",
            json!([{"type": "Form", "name": "f", "children": [{"type": "RichText", "text": "x"}]},
                   {"type": "Switch", "value": "${data.x}", "cases": {"a": [{"type": "If", "condition": "${data.y}", "then": []}]}}]),
        );
        expect(
            check,
            &flow,
            &[
                (Code::InvalidComponentPlacement, &format!("{C0}/children/0")),
                (Code::InvalidComponentPlacement, "/screens/0/layout/children/1/cases/a/0"),
            ],
        );
    }

    #[test]
    fn versions_gate_placement() {
        let chips = json!({"type": "If", "condition": "${data.y}", "then": [{"type": "ChipsSelector"}]});
        expect(
            check,
            &screen("7.0", json!([chips])),
            &[(Code::InvalidComponentPlacement, &format!("{C0}/then/0"))],
        );
        expect(check, &screen("7.1", json!([chips])), &[]);
        let input = json!([{"type": "TextInput", "name": "a", "label": "A"}]);
        expect(check, &screen("3.1", input.clone()), &[(Code::KeywordOneOf, C0)]);
        expect(check, &screen("4.0", input), &[]);
    }

    #[test]
    fn footer_only_in_a_top_level_if() {
        let footer = json!({"type": "Footer"});
        let nested = json!({"type": "If", "condition": "${data.a}", "then": [
            {"type": "If", "condition": "${data.b}", "then": [footer], "else": [footer]}
        ]});
        expect(
            check,
            &screen("7.3", json!([nested])),
            &[
                (Code::InvalidComponentPlacement, &format!("{C0}/then/0/then/0")),
                (Code::InvalidComponentPlacement, &format!("{C0}/then/0/else/0")),
            ],
        );
        let top = json!({"type": "If", "condition": "${data.a}", "then": [footer], "else": [footer]});
        expect(check, &screen("7.3", json!([top])), &[]);
    }
}
