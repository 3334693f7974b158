//! §4.6: NavigationList is not on a terminal screen and shares its screen only with other
//! NavigationLists (a wrapping Form is tolerated); `on-click-action` is set on the list or on
//! every item, not both; no item `end` with `media-size: large`; at most one item with a badge.
use serde_json::Value;

use super::super::context::Flow;
use crate::catalog::prop;

#[cfg(all(test, not(target_arch = "wasm32")))]
use super::super::sources::{Builder, Code, Docs, Page, Report, error};
use crate::diagnostic::{ComponentProblem, Diagnostic};
use crate::json::pointer;

/// What this rule reports, and on whose authority (`validate/sources.rs`).
#[cfg(all(test, not(target_arch = "wasm32")))]
pub(super) const REPORTS: &[Report] = &[
    error(
        "Component::NavigationListPlacement",
        Code::InvalidComponentPlacement,
        "not on a terminal screen, and only beside other NavigationLists",
        &[
            Docs(Page::Components, "Navigation List: limits and restrictions"),
            Builder("WAFlowJSONNavigationListValidatorV602"),
        ],
    ),
    error(
        "Component::ActionAtBothLevels",
        Code::DuplicatePropetyForCondition,
        "`on-click-action` on the list or on the items, not both",
        &[Docs(Page::Components, "Navigation List: limits and restrictions")],
    ),
    error(
        "Component::NavigationListActionMissing",
        Code::MissingRequiredProperty,
        "`on-click-action` on the list or on every item",
        &[Docs(Page::Components, "Navigation List: limits and restrictions")],
    ),
    error(
        "Component::EndWithLargeMedia",
        Code::InvalidPropertyNameForCondition,
        "no item `end` with `media-size: large`",
        &[Docs(Page::Components, "Navigation List: limits and restrictions")],
    ),
    error(
        "Component::MultipleBadges",
        Code::InvalidPropertyValue,
        "at most one item with a badge",
        &[Docs(Page::Components, "Navigation List: list items restrictions")],
    ),
];

pub(super) fn check(flow: &Flow<'_>, out: &mut Vec<Diagnostic>) {
    for screen in &flow.screens {
        let mut lists = screen.components.iter().filter(|node| node.is("NavigationList")).peekable();
        let Some(first) = lists.peek() else { continue };
        if screen.terminal {
            out.push(Diagnostic::error(
                screen.pointer_of(first),
                ComponentProblem::NavigationListPlacement { terminal: true },
            ));
        }
        if let Some(other) =
            screen.components.iter().find(|node| !node.is("NavigationList") && !node.is("Form"))
        {
            out.push(Diagnostic::error(
                screen.pointer_of(other),
                ComponentProblem::NavigationListPlacement { terminal: false },
            ));
        }
        for node in lists {
            let list = node.at.component;
            let items: &[Value] =
                list.get(prop::LIST_ITEMS).and_then(Value::as_array).map_or(&[], Vec::as_slice);
            let on_list = list.contains_key(prop::ON_CLICK_ACTION);
            let items_at = pointer::join(&screen.pointer_of(node), prop::LIST_ITEMS);
            let large = list.get(prop::MEDIA_SIZE).and_then(Value::as_str) == Some("large");
            let mut badges = 0;
            for (index, item) in items.iter().enumerate() {
                let Some(item) = item.as_object() else { continue };
                let item_at = pointer::join(&items_at, index);
                if on_list && item.contains_key(prop::ON_CLICK_ACTION) {
                    out.push(Diagnostic::error(
                        pointer::join(&item_at, prop::ON_CLICK_ACTION),
                        ComponentProblem::ActionAtBothLevels { event: prop::ON_CLICK_ACTION },
                    ));
                }
                if !on_list && !item.contains_key(prop::ON_CLICK_ACTION) {
                    out.push(Diagnostic::error(
                        item_at.clone(),
                        ComponentProblem::NavigationListActionMissing,
                    ));
                }
                if large && item.contains_key(prop::END) {
                    out.push(Diagnostic::error(
                        pointer::join(&item_at, prop::END),
                        ComponentProblem::EndWithLargeMedia,
                    ));
                }
                if item.contains_key(prop::BADGE) {
                    badges += 1;
                    if badges == 2 {
                        out.push(Diagnostic::error(
                            pointer::join(&item_at, prop::BADGE),
                            ComponentProblem::MultipleBadges,
                        ));
                    }
                }
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

    fn item(id: &str, extra: Value) -> Value {
        let mut item = json!({"id": id, "main-content": {"title": id}});
        if let (Some(item), Some(extra)) = (item.as_object_mut(), extra.as_object()) {
            item.extend(extra.clone());
        }
        item
    }

    #[test]
    fn placement() {
        let list = json!({"type": "NavigationList", "name": "n", "list-items": [], "on-click-action": {"name": "data_exchange"}});
        expect(
            check,
            &screen("7.3", json!([list.clone(), {"type": "TextBody", "text": "x"}])),
            &[(Code::InvalidComponentPlacement, C0), (Code::InvalidComponentPlacement, C1)],
        );
        let mut flow = screen("7.3", json!([list]));
        flow["screens"][0]["terminal"] = json!(false);
        expect(check, &flow, &[]);
    }

    #[test]
    fn actions_end_and_badges() {
        let click = json!({"on-click-action": {"name": "data_exchange"}});
        let list = json!({"type": "NavigationList", "name": "n", "media-size": "large", "list-items": [
            item("a", click.clone()),
            item("b", json!({"end": {"title": "x"}, "badge": "New"})),
            item("c", json!({"badge": "Hot", "on-click-action": {"name": "data_exchange"}}))
        ]});
        let mut flow = screen("7.3", json!([list]));
        flow["screens"][0]["terminal"] = json!(false);
        expect(
            check,
            &flow,
            &[
                (Code::MissingRequiredProperty, &format!("{C0}/list-items/1")),
                (Code::InvalidPropertyNameForCondition, &format!("{C0}/list-items/1/end")),
                (Code::InvalidPropertyValue, &format!("{C0}/list-items/2/badge")),
            ],
        );
        let both = json!({"type": "NavigationList", "name": "n", "on-click-action": {"name": "data_exchange"},
            "list-items": [item("a", click)]});
        let mut flow = screen("7.3", json!([both]));
        flow["screens"][0]["terminal"] = json!(false);
        expect(
            check,
            &flow,
            &[(Code::DuplicatePropetyForCondition, &format!("{C0}/list-items/0/on-click-action"))],
        );
    }
}
