//! §4: component schemas are closed: a property the component does not have in the flow's
//! version is `INVALID_PROPERTY_KEY` (so are `init-value` / `error-message` inside a Form).
use super::super::context::Flow;
use super::super::schema::Described;

#[cfg(all(test, not(target_arch = "wasm32")))]
use super::super::sources::{Builder, Code, Docs, Page, Report, error};
use crate::catalog::first_version_of;
use crate::diagnostic::{Diagnostic, Owner, SchemaProblem};
use crate::json::pointer;

/// What this rule reports, and on whose authority (`validate/sources.rs`).
#[cfg(all(test, not(target_arch = "wasm32")))]
pub(super) const REPORTS: &[Report] = &[error(
    "Schema::UnknownProperty",
    Code::InvalidPropertyKey,
    "a component has only its properties in the flow's version (`init-value`, `error-message` only outside a Form)",
    &[
        Builder(
            "the per-component WAFlowJSON…ComponentSchemaV500 to V701: closed objects, required properties, types, enums, formats",
        ),
        Docs(Page::FlowJson, "Forms and Form properties"),
    ],
)];

pub(super) fn check(flow: &Flow<'_>, described: &Described<'_>, out: &mut Vec<Diagnostic>) {
    for (key, _, found) in described.members(flow) {
        let inside_form = found.is_some_and(|property| property.outside_form_only && described.in_form);
        // Known properties first: that test needs no key text.
        if found.is_some() && !inside_form || described.is_type_key(key) {
            continue;
        }
        let owner = match described.part {
            None => Owner::Component(described.component.name.to_owned()),
            Some(part) => {
                Owner::Part { property: part.to_owned(), component: described.component.name.to_owned() }
            }
        };
        let since = first_version_of(described.properties, key).filter(|since| *since > flow.version);
        out.push(Diagnostic::error(
            pointer::join(&flow.pointer(&described.at), key),
            SchemaProblem::UnknownProperty { property: key.clone(), owner, since, inside_form },
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{C0, expect_each as expect, screen};
    use super::*;
    use crate::diagnostic::Code;
    use serde_json::json;

    #[test]
    fn unknown_too_new_and_form_only_properties() {
        let flow = screen(
            "7.3",
            json!([{"type": "TextHeading", "text": "Hi", "color": "red"},
                   {"type": "Form", "name": "f", "children": [
                       {"type": "TextInput", "name": "a", "label": "A", "init-value": "x"}]},
                   {"type": "Dropdown", "name": "d", "label": "D", "data-source": [{"id": "1", "title": "One", "icon": "x"}]}]),
        );
        expect(
            check,
            &flow,
            &[
                (Code::InvalidPropertyKey, &format!("{C0}/color")),
                (Code::InvalidPropertyKey, "/screens/0/layout/children/1/children/0/init-value"),
                (Code::InvalidPropertyKey, "/screens/0/layout/children/2/data-source/0/icon"),
            ],
        );
        let old = screen("6.1", json!([{"type": "TextInput", "name": "a", "label": "A", "pattern": "x"}]));
        expect(check, &old, &[(Code::InvalidPropertyKey, &format!("{C0}/pattern"))]);
    }
}
