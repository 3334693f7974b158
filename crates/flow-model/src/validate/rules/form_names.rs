//! §3.2: input names are unique on a screen, across all If and Switch branches.
use super::super::context::Flow;
use crate::model::key;

#[cfg(all(test, not(target_arch = "wasm32")))]
use super::super::sources::{Builder, Code, Docs, Page, Report, error};
use crate::diagnostic::{ComponentProblem, Diagnostic};
use crate::json::pointer;

/// What this rule reports, and on whose authority (`validate/sources.rs`).
#[cfg(all(test, not(target_arch = "wasm32")))]
pub(super) const REPORTS: &[Report] = &[error(
    "Component::DuplicateName",
    Code::DuplicateFormComponentNames,
    "input names are unique on a screen",
    &[
        Docs(Page::ErrorCodes, "DUPLICATE_FORM_COMPONENT_NAMES"),
        Builder("WAFlowJSONValidatorChainV500: Form names"),
    ],
)];

pub(super) fn check(flow: &Flow<'_>, out: &mut Vec<Diagnostic>) {
    // Reused across screens. Sorting the names finds the duplicates without hashing each
    // name, which cost more than the rest of the rule on large flows.
    let mut names: Vec<(&str, usize)> = Vec::new();
    let mut repeated = Vec::new();
    for screen in &flow.screens {
        names.clear();
        repeated.clear();
        for (index, node) in screen.components.iter().enumerate() {
            if !node.spec.is_some_and(|spec| spec.is_input()) {
                continue;
            }
            let Some(name) = node.name() else { continue };
            names.push((name, index));
        }
        // By name, then document order: all but the first of each name are duplicates.
        crate::order::sort(&mut names);
        for pair in names.windows(2) {
            if let [(first, _), (second, index)] = pair
                && first == second
            {
                repeated.push(*index);
            }
        }
        crate::order::sort(&mut repeated);
        for node in repeated.iter().filter_map(|index| screen.components.get(*index)) {
            let name = node.name().unwrap_or_default();
            out.push(Diagnostic::error(
                pointer::join(&screen.pointer_of(node), key::NAME),
                ComponentProblem::DuplicateName { name: name.to_owned() },
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{expect, screen};
    use super::*;
    use crate::diagnostic::Code;
    use serde_json::json;

    #[test]
    fn names_are_unique_across_branches() {
        let flow = screen(
            "7.3",
            json!([{"type": "TextInput", "name": "a", "label": "A"},
                   {"type": "If", "condition": "${data.x}", "then": [{"type": "TextArea", "name": "a", "label": "A"}]}]),
        );
        expect(
            check,
            &flow,
            &[(Code::DuplicateFormComponentNames, "/screens/0/layout/children/1/then/0/name")],
        );
    }
}
