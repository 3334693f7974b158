//! §4.7: If nests at most 3 deep; a Footer in one branch needs one in the other; the
//! condition (a string before 6.0; from 6.0 a boolean or a string) is an expression that
//! reads dynamic data and gives a boolean.
use serde_json::Value;

use super::super::context::{Flow, Node, member};
use crate::model::key;

#[cfg(all(test, not(target_arch = "wasm32")))]
use super::super::sources::{Code, Docs, Page, Report, error};
use crate::diagnostic::{ComponentProblem, DataProblem, Diagnostic};
use crate::expression::{self, ExpressionError, Type};
use crate::json::pointer;
use crate::walk::Place;

/// What this rule reports, and on whose authority (`validate/sources.rs`).
#[cfg(all(test, not(target_arch = "wasm32")))]
pub(super) const REPORTS: &[Report] = &[
    error(
        "Component::IfNesting",
        Code::MaximumIfNesting,
        "If nests at most 3 deep",
        &[Docs(Page::Components, "If: up to 3 nested If"), Docs(Page::ErrorCodes, "MAXIMUM_IF_NESTING")],
    ),
    error(
        "Component::FooterInIfBranches",
        Code::MissingFooterInIfElseBranches,
        "a Footer in one branch needs one in the other",
        &[Docs(Page::Components, "If, \"Footer\"")],
    ),
    error(
        "Data::Expression",
        Code::InvalidPropertyValue,
        "the condition parses, reads dynamic data and gives a boolean",
        &[Docs(Page::Components, "If, \"Condition\" and \"Supported operators\"")],
    ),
];

/// The deepest If nesting Meta accepts.
pub(crate) const MAX_IF_NESTING: usize = 3;

pub(super) fn check(flow: &Flow<'_>, out: &mut Vec<Diagnostic>) {
    for (screen_index, screen) in flow.screens.iter().enumerate() {
        for (index, node) in screen.components.iter().enumerate() {
            if !node.is("If") {
                continue;
            }
            if if_depth(node, &screen.components) == MAX_IF_NESTING + 1 {
                out.push(Diagnostic::error(screen.pointer_of(node), ComponentProblem::IfNesting));
            }
            let footer_in = |place: Place<'_>| {
                screen.children(index).any(|child| child.at.place == place && child.is("Footer"))
            };
            if footer_in(Place::IfThen) != footer_in(Place::IfElse) {
                out.push(Diagnostic::error(screen.pointer_of(node), ComponentProblem::FooterInIfBranches));
            }
            if let Some(Value::String(condition)) = member(node.at.component, key::CONDITION) {
                let text =
                    condition.strip_prefix('`').and_then(|rest| rest.strip_suffix('`')).unwrap_or(condition);
                // Checked once by the context when it collected the condition.
                let outcome = match flow
                    .condition_of(screen_index, index)
                    .and_then(|string| string.checked.as_ref())
                {
                    Some(checked) => checked.outcome.clone(),
                    None => expression::check(text, &mut |reference| flow.type_of(screen_index, &reference)),
                };
                let error = match outcome {
                    Err(error) => Some(error),
                    Ok(outcome) if !outcome.dynamic => Some(ExpressionError::LiteralOnly),
                    Ok(outcome) if outcome.result != Type::Boolean && outcome.result != Type::Unknown => {
                        Some(ExpressionError::ResultType { expected: Type::Boolean, found: outcome.result })
                    }
                    Ok(_) => None,
                };
                if let Some(error) = error {
                    out.push(Diagnostic::error(
                        pointer::join(&screen.pointer_of(node), key::CONDITION),
                        DataProblem::Expression { property: key::CONDITION.into(), error },
                    ));
                }
            }
        }
    }
}

/// How many Ifs hold `node`, itself included.
fn if_depth(node: &Node<'_>, all: &[Node<'_>]) -> usize {
    let mut depth = usize::from(node.is("If"));
    let mut parent = node.at.parent;
    while let Some(ancestor) = parent.and_then(|index| all.get(index)) {
        depth += usize::from(ancestor.is("If"));
        parent = ancestor.at.parent;
    }
    depth
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{C0, expect, screen};
    use super::*;
    use crate::diagnostic::Code;
    use serde_json::json;

    fn nest(depth: usize) -> Value {
        let mut component = json!({"type": "TextBody", "text": "x"});
        for _ in 0..depth {
            component = json!({"type": "If", "condition": "${data.a}", "then": [component]});
        }
        component
    }

    #[test]
    fn three_levels_at_most() {
        expect(check, &screen("7.3", json!([nest(3)])), &[]);
        expect(
            check,
            &screen("7.3", json!([nest(5)])),
            &[(Code::MaximumIfNesting, &format!("{C0}/then/0/then/0/then/0"))],
        );
    }

    #[test]
    fn footer_in_both_branches() {
        let flow =
            screen("7.3", json!([{"type": "If", "condition": "${data.a}", "then": [{"type": "Footer"}]}]));
        expect(check, &flow, &[(Code::MissingFooterInIfElseBranches, C0)]);
    }

    #[test]
    fn conditions_are_dynamic_boolean_expressions() {
        let mut flow = screen(
            "7.3",
            json!([{"type": "If", "condition": "true", "then": []},
                   {"type": "If", "condition": "${data.count} >", "then": []},
                   {"type": "If", "condition": "${data.count} + 1", "then": []},
                   {"type": "If", "condition": "(${data.count} > 2) && ${form.ok}", "then": []},
                   {"type": "If", "condition": true, "then": []}]),
        );
        flow["screens"][0]["data"] = json!({"count": {"type": "number", "__example__": 1}});
        expect(
            check,
            &flow,
            &[
                (Code::InvalidPropertyValue, &format!("{C0}/condition")),
                (Code::InvalidPropertyValue, "/screens/0/layout/children/1/condition"),
                (Code::InvalidPropertyValue, "/screens/0/layout/children/2/condition"),
            ],
        );
    }
}
