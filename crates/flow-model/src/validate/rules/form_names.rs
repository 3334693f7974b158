//! §3.2: input names are unique on a screen, across all If and Switch branches.
use std::collections::HashSet;

use super::super::context::Flow;
use crate::diagnostic::{Diagnostic, Problem};
use crate::json::pointer;

pub(super) fn check(flow: &Flow<'_>, out: &mut Vec<Diagnostic>) {
    for screen in &flow.screens {
        let mut seen = HashSet::new();
        for node in &screen.components {
            if !node.spec.is_some_and(|spec| spec.is_input()) {
                continue;
            }
            let Some(name) = node.name() else { continue };
            if !seen.insert(name) {
                out.push(Diagnostic::error(
                    pointer::join(&screen.pointer_of(node), "name"),
                    Problem::DuplicateName { name: name.to_owned() },
                ));
            }
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
