//! §3.3: every component has a `type` naming a component of the flow's version.
use super::super::context::Flow;
use super::super::schema::json_type;
use crate::model::key;

#[cfg(all(test, not(target_arch = "wasm32")))]
use super::super::sources::{Builder, Code, Docs, Page, Report, error};
use crate::catalog;
use crate::diagnostic::{ComponentProblem, Diagnostic, SchemaProblem};
use crate::json::pointer;

/// What this rule reports, and on whose authority (`validate/sources.rs`).
#[cfg(all(test, not(target_arch = "wasm32")))]
pub(super) const REPORTS: &[Report] = &[
    error(
        "Schema::MissingProperty",
        Code::MissingRequiredProperty,
        "a component has a `type`",
        &[Builder(
            "WAFlowJSONChildrenSchema and WAFlowJSONFormComponentSchema: the components each list takes, by version",
        )],
    ),
    error(
        "Schema::WrongType",
        Code::InvalidPropertyType,
        "`type` is a string",
        &[Builder(
            "WAFlowJSONChildrenSchema and WAFlowJSONFormComponentSchema: the components each list takes, by version",
        )],
    ),
    error(
        "Component::UnknownComponent",
        Code::InvalidPropertyValue,
        "`type` names a component",
        &[
            Builder(
                "WAFlowJSONChildrenSchema and WAFlowJSONFormComponentSchema: the components each list takes, by version",
            ),
            Docs(Page::ErrorCodes, "Invalid value found for property 'type'"),
        ],
    ),
    error(
        "Component::ComponentTooNew",
        Code::InvalidPropertyValue,
        "the component exists in the flow's version",
        &[
            Docs(Page::Components, "each component's \"Supported starting with Flow JSON version\""),
            Builder(
                "WAFlowJSONChildrenSchema and WAFlowJSONFormComponentSchema: the components each list takes, by version",
            ),
        ],
    ),
];

pub(super) fn check(flow: &Flow<'_>, out: &mut Vec<Diagnostic>) {
    for screen in &flow.screens {
        for node in &screen.components {
            let at = || pointer::join(&screen.pointer_of(node), key::TYPE);
            let declared = match node.at.kind {
                Some(_) => None,
                None => node.at.component.get(key::TYPE),
            };
            match node.at.kind.map(|kind| (kind, declared)) {
                Some((found, _)) => match catalog::component(found) {
                    None => out.push(Diagnostic::error(
                        at(),
                        ComponentProblem::UnknownComponent { found: found.to_owned() },
                    )),
                    Some(component) if !component.is_available(flow.version) => out.push(Diagnostic::error(
                        at(),
                        ComponentProblem::ComponentTooNew {
                            component: component.name,
                            since: component.since,
                            version: flow.version,
                        },
                    )),
                    Some(_) => {}
                },
                None => match declared {
                    None => out.push(Diagnostic::error(
                        screen.pointer_of(node),
                        SchemaProblem::MissingProperty { property: key::TYPE.into() },
                    )),
                    Some(other) => out.push(Diagnostic::error(
                        at(),
                        SchemaProblem::WrongType {
                            property: key::TYPE.into(),
                            expected: "string",
                            found: json_type(other),
                        },
                    )),
                },
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{C0, C1, expect, screen};
    use super::*;
    use crate::diagnostic::Code;
    use serde_json::json;

    #[test]
    fn types_must_name_components_of_the_version() {
        let flow = screen("7.3", json!([{"type": "Carousel"}, {"text": "x"}, {"type": 3}]));
        expect(
            check,
            &flow,
            &[
                (Code::InvalidPropertyValue, &format!("{C0}/type")),
                (Code::MissingRequiredProperty, C1),
                (Code::InvalidPropertyType, "/screens/0/layout/children/2/type"),
            ],
        );
        let old = screen("6.2", json!([{"type": "ChipsSelector"}, {"type": "NavigationList"}]));
        expect(check, &old, &[(Code::InvalidPropertyValue, &format!("{C0}/type"))]);
    }
}
