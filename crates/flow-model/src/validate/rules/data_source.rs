//! §4.3: data-source items use images or colors, not both; an event's action is set on the
//! component or on its items, not both; a Dropdown with images has at most 100 options.
use serde_json::Value;

use super::super::context::{Flow, member};
use crate::catalog::prop;

#[cfg(all(test, not(target_arch = "wasm32")))]
use super::super::sources::{Code, Docs, Page, Report, error};
use crate::catalog::Event;
use crate::diagnostic::{ComponentProblem, Diagnostic, SchemaProblem};
use crate::json::pointer;

/// What this rule reports, and on whose authority (`validate/sources.rs`).
#[cfg(all(test, not(target_arch = "wasm32")))]
pub(super) const REPORTS: &[Report] = &[
    error(
        "Component::ImageAndColor",
        Code::DataSourceItemsHaveBothImageAndColor,
        "options use images or colors, not both",
        &[Docs(Page::ErrorCodes, "DATA_SOURCE_ITEMS_HAVE_BOTH_IMAGE_AND_COLOR")],
    ),
    error(
        "Component::ActionAtBothLevels",
        Code::DuplicatePropetyForCondition,
        "an event's action on the component or on its options, not both",
        &[Docs(
            Page::ErrorCodes,
            "The 'on-select-action' property cannot be used at both the component and data-source levels",
        )],
    ),
    error(
        "Schema::TooManyItems",
        Code::MaxItemsRequired,
        "a Dropdown with images has at most 100 options",
        &[Docs(Page::Components, "Dropdown: limits and restrictions")],
    ),
];

/// Dropdown options when any has an image.
pub(crate) const MAX_DROPDOWN_OPTIONS_WITH_IMAGES: u32 = 100;

pub(super) fn check(flow: &Flow<'_>, out: &mut Vec<Diagnostic>) {
    for screen in &flow.screens {
        for node in &screen.components {
            if !node
                .spec
                .is_some_and(|spec| spec.properties.iter().any(|property| property.name == prop::DATA_SOURCE))
            {
                continue;
            }
            let Some(Value::Array(items)) = member(node.at.component, prop::DATA_SOURCE) else { continue };
            let at = || pointer::join(&screen.pointer_of(node), prop::DATA_SOURCE);
            let objects = || items.iter().filter_map(Value::as_object);
            let has = |item: &serde_json::Map<String, Value>, key: &str| member(item, key).is_some();
            let images = objects().any(|item| has(item, prop::IMAGE) || has(item, prop::ALT_TEXT));
            if images && objects().any(|item| has(item, prop::COLOR)) {
                out.push(Diagnostic::error(at(), ComponentProblem::ImageAndColor));
            }
            for event in [Event::OnSelect, Event::OnUnselect] {
                let key = event.property();
                if member(node.at.component, key).is_none() {
                    continue;
                }
                if let Some(index) =
                    items.iter().position(|item| item.as_object().is_some_and(|item| has(item, key)))
                {
                    out.push(Diagnostic::error(
                        pointer::join(&pointer::join(&at(), index), key),
                        ComponentProblem::ActionAtBothLevels { event: key },
                    ));
                }
            }
            let with_images = objects().any(|item| has(item, prop::IMAGE));
            if node.is("Dropdown") && with_images && items.len() > MAX_DROPDOWN_OPTIONS_WITH_IMAGES as usize {
                out.push(Diagnostic::error(
                    at(),
                    SchemaProblem::TooManyItems {
                        property: prop::DATA_SOURCE.into(),
                        max: MAX_DROPDOWN_OPTIONS_WITH_IMAGES,
                    },
                ));
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
    fn images_or_colors_and_one_level_of_actions() {
        let action = json!({"name": "update_data", "payload": {}});
        let flow = screen(
            "7.3",
            json!([{"type": "RadioButtonsGroup", "data-source": [{"id": "a", "image": "AAAA"}, {"id": "b", "color": "#000000"}]},
                   {"type": "CheckboxGroup", "on-select-action": action, "data-source": [{"id": "a"}, {"id": "b", "on-select-action": action}]}]),
        );
        expect(
            check,
            &flow,
            &[
                (Code::DataSourceItemsHaveBothImageAndColor, &format!("{C0}/data-source")),
                (Code::DuplicatePropetyForCondition, &format!("{C1}/data-source/1/on-select-action")),
            ],
        );
        let options: Vec<_> =
            (0..101).map(|i| json!({"id": i.to_string(), "title": "x", "image": "AAAA"})).collect();
        expect(
            check,
            &screen("7.3", json!([{"type": "Dropdown", "data-source": options}])),
            &[(Code::MaxItemsRequired, &format!("{C0}/data-source"))],
        );
    }
}
