//! §3: `layout` is `{type: "SingleColumnLayout", children: [...]}`, closed.
use serde_json::Value;

use super::super::context::Flow;
use super::super::schema::json_type;
use crate::model::key;

#[cfg(all(test, not(target_arch = "wasm32")))]
use super::super::sources::{Builder, Code, Docs, Page, Report, error};
use crate::diagnostic::{Diagnostic, Owner, SchemaProblem};
use crate::json::pointer;

/// What this rule reports, and on whose authority (`validate/sources.rs`).
#[cfg(all(test, not(target_arch = "wasm32")))]
pub(super) const REPORTS: &[Report] = &[
    error(
        "Schema::NotInEnum",
        Code::InvalidEnumValue,
        "the layout is `SingleColumnLayout`",
        &[Docs(Page::FlowJson, "Layout"), Builder("WAFlowJSONSingleColumnLayoutSchema")],
    ),
    error(
        "Schema::WrongType",
        Code::InvalidPropertyType,
        "`children` is an array of objects",
        &[Builder("WAFlowJSONSingleColumnLayoutSchema")],
    ),
    error(
        "Schema::UnknownProperty",
        Code::InvalidPropertyKey,
        "the layout has only `type` and `children`",
        &[Builder("WAFlowJSONSingleColumnLayoutSchema")],
    ),
    error(
        "Schema::MissingProperty",
        Code::MissingRequiredProperty,
        "`type` and `children` are present",
        &[Builder("WAFlowJSONSingleColumnLayoutSchema")],
    ),
];

/// The layout types Meta offers publicly (the shopping layouts of the internal 5.2 are not).
pub(crate) const LAYOUT_TYPES: &[&str] = &["SingleColumnLayout"];

pub(super) fn check(flow: &Flow<'_>, out: &mut Vec<Diagnostic>) {
    for screen in &flow.screens {
        let Some(Value::Object(layout)) = screen.object.get(key::LAYOUT) else { continue };
        // Pointers are built only for what is reported.
        let at = || pointer::join(&screen.pointer, key::LAYOUT);
        for (key, value) in layout {
            let key_at = || pointer::join(&at(), key);
            match key.as_str() {
                key::TYPE => match value.as_str() {
                    Some(found) if LAYOUT_TYPES.contains(&found) => {}
                    _ => out.push(Diagnostic::error(
                        key_at(),
                        SchemaProblem::NotInEnum { property: key::TYPE.into(), allowed: LAYOUT_TYPES },
                    )),
                },
                key::CHILDREN if !value.is_array() => out.push(Diagnostic::error(
                    key_at(),
                    SchemaProblem::WrongType {
                        property: key::CHILDREN.into(),
                        expected: "array",
                        found: json_type(value),
                    },
                )),
                key::CHILDREN => {}
                _ => out.push(Diagnostic::error(
                    key_at(),
                    SchemaProblem::UnknownProperty {
                        property: key.clone(),
                        owner: Owner::Layout,
                        since: None,
                        inside_form: false,
                    },
                )),
            }
        }
        for required in [key::TYPE, key::CHILDREN] {
            if !layout.contains_key(required) {
                out.push(Diagnostic::error(
                    at(),
                    SchemaProblem::MissingProperty { property: required.into() },
                ));
            }
        }
        if let Some(Value::Array(children)) = layout.get(key::CHILDREN) {
            for (index, child) in children.iter().enumerate() {
                if !child.is_object() {
                    out.push(Diagnostic::error(
                        pointer::join(&pointer::join(&at(), key::CHILDREN), index),
                        SchemaProblem::WrongType {
                            property: key::CHILDREN.into(),
                            expected: "object",
                            found: json_type(child),
                        },
                    ));
                }
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
    fn single_column_layout_with_children() {
        expect(check, &screen("7.3", json!([])), &[]);
        let mut flow = screen("7.3", json!([1]));
        flow["screens"][0]["layout"]["type"] = json!("CartLayout");
        flow["screens"][0]["layout"]["x"] = json!(1);
        expect(
            check,
            &flow,
            &[
                (Code::InvalidEnumValue, "/screens/0/layout/type"),
                (Code::InvalidPropertyKey, "/screens/0/layout/x"),
                (Code::InvalidPropertyType, "/screens/0/layout/children/0"),
            ],
        );
        let empty = json!({"version": "7.3", "screens": [{"id": "A", "layout": {}}]});
        expect(
            check,
            &empty,
            &[
                (Code::MissingRequiredProperty, "/screens/0/layout"),
                (Code::MissingRequiredProperty, "/screens/0/layout"),
            ],
        );
    }
}
