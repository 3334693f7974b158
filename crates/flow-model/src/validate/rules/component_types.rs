//! §3.3: every component has a `type` naming a component of the flow's version.
use serde_json::Value;

use super::super::context::Flow;
use super::super::schema::json_type;
use crate::catalog;
use crate::diagnostic::{Diagnostic, Problem};
use crate::json::pointer;

pub(super) fn check(flow: &Flow<'_>, out: &mut Vec<Diagnostic>) {
    for screen in &flow.screens {
        for node in &screen.components {
            let at = pointer::join(&node.at.pointer, "type");
            match node.at.component.get("type") {
                None => out.push(Diagnostic::error(
                    node.at.pointer.clone(),
                    Problem::MissingProperty { property: "type".into() },
                )),
                Some(Value::String(found)) => match catalog::component(found) {
                    None => {
                        out.push(Diagnostic::error(at, Problem::UnknownComponent { found: found.clone() }))
                    }
                    Some(component) if !component.is_available(flow.version) => out.push(Diagnostic::error(
                        at,
                        Problem::ComponentTooNew {
                            component: component.name,
                            since: component.since,
                            version: flow.version,
                        },
                    )),
                    Some(_) => {}
                },
                Some(other) => out.push(Diagnostic::error(
                    at,
                    Problem::WrongType {
                        property: "type".into(),
                        expected: "string",
                        found: json_type(other),
                    },
                )),
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
