//! §4: each component (and each object inside one) has its required properties.
use super::super::context::Flow;
use super::super::schema::Described;

#[cfg(all(test, not(target_arch = "wasm32")))]
use super::super::sources::{Builder, Code, Docs, Page, Report, error};
use crate::diagnostic::{Diagnostic, SchemaProblem};

/// What this rule reports, and on whose authority (`validate/sources.rs`).
#[cfg(all(test, not(target_arch = "wasm32")))]
pub(super) const REPORTS: &[Report] = &[error(
    "Schema::MissingProperty",
    Code::MissingRequiredProperty,
    "each component and each object in it has its required properties",
    &[
        Docs(Page::Components, "the \"(required)\" properties of each component"),
        Builder(
            "the per-component WAFlowJSON…ComponentSchemaV500 to V701: closed objects, required properties, types, enums, formats",
        ),
    ],
)];

pub(super) fn check(flow: &Flow<'_>, described: &Described<'_>, out: &mut Vec<Diagnostic>) {
    // A member is named like a property exactly when it resolved to a property of that name:
    // reading the resolved properties spares reading every key's text again.
    let resolved = described.resolved(flow);
    for property in flow.required_of(described.properties) {
        if !resolved.iter().flatten().any(|found| crate::catalog::same(found.name, property.name)) {
            out.push(Diagnostic::error(
                flow.pointer(&described.at),
                SchemaProblem::MissingProperty { property: property.name.to_owned() },
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{C0, C1, expect_each as expect, screen};
    use super::*;
    use crate::diagnostic::Code;
    use serde_json::json;

    #[test]
    fn required_properties_by_version() {
        let flow = screen(
            "7.3",
            json!([{"type": "TextInput", "label": "A"},
                   {"type": "RadioButtonsGroup", "name": "r", "data-source": [{"id": "1"}]}]),
        );
        expect(
            check,
            &flow,
            &[
                (Code::MissingRequiredProperty, C0),
                (Code::MissingRequiredProperty, C1),
                (Code::MissingRequiredProperty, &format!("{C1}/data-source/0")),
            ],
        );
        // `label` of RadioButtonsGroup is required from 4.0 only.
        let old = screen("3.1", json!([{"type": "RadioButtonsGroup", "name": "r", "data-source": []}]));
        expect(check, &old, &[]);
    }
}
