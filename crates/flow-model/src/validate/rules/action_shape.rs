//! §5.1, §5.2: an action is a closed object whose `name` is an action the component's event
//! accepts in the flow's version; navigate has `next: {type: "screen", name}`; on-select and
//! on-unselect actions have a `payload`; open_url has a `url` and no payload.
use serde_json::Value;

use super::super::context::{ActionAt, Flow};
use super::super::schema::json_type;
use crate::model::key;

#[cfg(all(test, not(target_arch = "wasm32")))]
use super::super::sources::{Builder, Code, Docs, Page, Report, error};
use crate::catalog::{ActionName, Event, Kind, Property, find_property};
use crate::diagnostic::{ActionProblem, Diagnostic, Owner, Problem, SchemaProblem};
use crate::expression::{self, Dynamic};
use crate::json::pointer;

/// What this rule reports, and on whose authority (`validate/sources.rs`).
#[cfg(all(test, not(target_arch = "wasm32")))]
pub(super) const REPORTS: &[Report] = &[
    error(
        "Schema::MissingProperty",
        Code::MissingRequiredProperty,
        "an action has its `name`; navigate its `next`, open_url its `url`, select actions a `payload`",
        &[Builder("WAFlowJSONActionSchema")],
    ),
    error(
        "Action::ActionNotAllowed",
        Code::InvalidEnumValue,
        "the action is one the component's event accepts in the version",
        &[Docs(Page::FlowJson, "Actions"), Builder("WAFlowJSONActionSchema")],
    ),
    error(
        "Schema::WrongType",
        Code::InvalidPropertyType,
        "`name` and `next.name` strings, `payload` and `next` objects, `url` a string",
        &[Builder("WAFlowJSONActionSchema")],
    ),
    error(
        "Schema::UnknownProperty",
        Code::InvalidPropertyKey,
        "each action and `next` has only its keys (no payload on open_url)",
        &[Builder("WAFlowJSONActionSchema")],
    ),
    error(
        "Schema::InvalidFormat",
        Code::InvalidPropertyValueFormat,
        "`url` is a URI",
        &[Builder("WAFlowJSONActionSchema")],
    ),
    error(
        "Schema::NotInEnum",
        Code::InvalidEnumValue,
        "`next.type` is `screen`",
        &[Builder("WAFlowJSONActionSchema")],
    ),
];

/// The keys of each action.
fn keys(action: ActionName) -> &'static [&'static str] {
    match action {
        ActionName::Navigate => &[key::NAME, key::NEXT, key::PAYLOAD],
        ActionName::OpenUrl => &[key::NAME, key::URL],
        ActionName::Complete | ActionName::DataExchange | ActionName::UpdateData => {
            &[key::NAME, key::PAYLOAD]
        }
    }
}

/// The catalog property holding an action (on the component or on its items).
pub(crate) fn property_of(flow: &Flow<'_>, action: &ActionAt<'_>) -> Option<&'static Property> {
    let component = flow.screens.get(action.screen)?.components.get(action.component)?.spec?;
    match action.item {
        None => component.property(action.event.property(), flow.version),
        Some(part) => match component.property(part, flow.version)?.kind {
            Kind::List(&Kind::Object(item)) => find_property(item, action.event.property(), flow.version),
            _ => None,
        },
    }
}

pub(super) fn check(flow: &Flow<'_>, out: &mut Vec<Diagnostic>) {
    for action in &flow.actions {
        let at = |key: &str| pointer::join(&action.pointer, key);
        let Some(property) = property_of(flow, action) else { continue };
        let allowed = property.allowed_actions(flow.version);
        let Some(name_value) = action.action.get(key::NAME) else {
            out.push(Diagnostic::error(
                action.pointer.clone(),
                SchemaProblem::MissingProperty { property: key::NAME.into() },
            ));
            continue;
        };
        let Some(name) = action.name.filter(|name| allowed.contains(name)) else {
            let Some(component) = flow
                .screens
                .get(action.screen)
                .and_then(|screen| screen.components.get(action.component))
                .and_then(|node| node.spec)
            else {
                continue;
            };
            let owner = match action.item {
                None => component.name.to_owned(),
                Some(part) => format!("{part} items of {}", component.name),
            };
            let problem: Problem = match name_value.as_str() {
                Some(name) => ActionProblem::ActionNotAllowed {
                    action: name.to_owned(),
                    event: action.event.property(),
                    owner,
                    allowed,
                }
                .into(),
                None => SchemaProblem::WrongType {
                    property: key::NAME.into(),
                    expected: "string",
                    found: json_type(name_value),
                }
                .into(),
            };
            out.push(Diagnostic::error(at(key::NAME), problem));
            continue;
        };
        for key in action.action.keys() {
            if !keys(name).contains(&key.as_str()) {
                out.push(Diagnostic::error(
                    at(key),
                    SchemaProblem::UnknownProperty {
                        property: key.clone(),
                        owner: Owner::Action(name.as_str().to_owned()),
                        since: None,
                        inside_form: false,
                    },
                ));
            }
        }
        if let Some(payload) = action.action.get(key::PAYLOAD).filter(|payload| !payload.is_object()) {
            out.push(Diagnostic::error(
                at(key::PAYLOAD),
                SchemaProblem::WrongType {
                    property: key::PAYLOAD.into(),
                    expected: "object",
                    found: json_type(payload),
                },
            ));
        }
        let required: &[&str] = match name {
            ActionName::Navigate => &[key::NEXT],
            ActionName::OpenUrl => &[key::URL],
            _ if action.event != Event::OnClick => &[key::PAYLOAD],
            _ => &[],
        };
        for key in required {
            if !action.action.contains_key(*key) {
                out.push(Diagnostic::error(
                    action.pointer.clone(),
                    SchemaProblem::MissingProperty { property: (*key).into() },
                ));
            }
        }
        if let Some(next) = action.action.get(key::NEXT).filter(|_| name == ActionName::Navigate) {
            check_next(next, &at(key::NEXT), out);
        }
        if let Some(url) = action.action.get(key::URL).filter(|_| name == ActionName::OpenUrl) {
            match url {
                Value::String(text) if matches!(expression::classify(text), Dynamic::Binding(_)) => {}
                Value::String(text) if is_uri(text) => {}
                Value::String(_) => {
                    out.push(Diagnostic::error(
                        at(key::URL),
                        SchemaProblem::InvalidFormat { property: key::URL.into(), format: "uri" },
                    ));
                }
                other => out.push(Diagnostic::error(
                    at(key::URL),
                    SchemaProblem::WrongType {
                        property: key::URL.into(),
                        expected: "string",
                        found: json_type(other),
                    },
                )),
            }
        }
    }
}

/// `next` is exactly `{type: "screen", name: "<id>"}`.
fn check_next(next: &Value, at: &str, out: &mut Vec<Diagnostic>) {
    let Some(next) = next.as_object() else {
        out.push(Diagnostic::error(
            at,
            SchemaProblem::WrongType {
                property: key::NEXT.into(),
                expected: "object",
                found: json_type(next),
            },
        ));
        return;
    };
    for (key, value) in next {
        let key_at = pointer::join(at, key);
        match key.as_str() {
            key::TYPE if value.as_str() != Some(key::SCREEN) => {
                out.push(Diagnostic::error(
                    key_at,
                    SchemaProblem::NotInEnum { property: key::TYPE.into(), allowed: &[key::SCREEN] },
                ));
            }
            key::NAME if !value.is_string() => out.push(Diagnostic::error(
                key_at,
                SchemaProblem::WrongType {
                    property: key::NAME.into(),
                    expected: "string",
                    found: json_type(value),
                },
            )),
            key::TYPE | key::NAME => {}
            _ => out.push(Diagnostic::error(
                key_at,
                SchemaProblem::UnknownProperty {
                    property: key.clone(),
                    owner: Owner::Next,
                    since: None,
                    inside_form: false,
                },
            )),
        }
    }
    for key in [key::TYPE, key::NAME] {
        if !next.contains_key(key) {
            out.push(Diagnostic::error(at, SchemaProblem::MissingProperty { property: key.into() }));
        }
    }
}

/// An absolute URI: a scheme (letter, then letters, digits, `+`, `-`, `.`), `:`, and no spaces.
fn is_uri(text: &str) -> bool {
    let Some((scheme, rest)) = text.split_once(':') else { return false };
    let mut scheme_bytes = scheme.bytes();
    scheme_bytes.next().is_some_and(|first| first.is_ascii_alphabetic())
        && scheme_bytes.all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'))
        && !rest.is_empty()
        && !text.chars().any(char::is_whitespace)
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{C0, C1, expect, screen};
    use super::*;
    use crate::diagnostic::Code;
    use serde_json::json;

    #[test]
    fn names_allowed_by_component_event_and_version() {
        let flow = screen(
            "7.3",
            json!([{"type": "EmbeddedLink", "text": "x", "on-click-action": {"name": "complete"}},
                   {"type": "Dropdown", "name": "d", "label": "D", "data-source": [
                       {"id": "a", "title": "A", "on-select-action": {"name": "data_exchange", "payload": {}}}],
                    "on-unselect-action": {"name": "update_data"}},
                   {"type": "Footer", "label": "x", "on-click-action": {"name": "jump"}}]),
        );
        expect(
            check,
            &flow,
            &[
                (Code::InvalidEnumValue, &format!("{C0}/on-click-action/name")),
                (Code::InvalidEnumValue, &format!("{C1}/data-source/0/on-select-action/name")),
                (Code::MissingRequiredProperty, &format!("{C1}/on-unselect-action")),
                (Code::InvalidEnumValue, "/screens/0/layout/children/2/on-click-action/name"),
            ],
        );
        let old = screen(
            "5.1",
            json!([{"type": "EmbeddedLink", "text": "x", "on-click-action": {"name": "open_url", "url": "https://a.b"}}]),
        );
        expect(check, &old, &[(Code::InvalidEnumValue, &format!("{C0}/on-click-action/name"))]);
    }

    #[test]
    fn shapes_of_navigate_and_open_url() {
        let flow = screen(
            "7.3",
            json!([{"type": "Footer", "label": "x", "on-click-action": {"name": "navigate", "next": {"type": "page", "name": "B", "x": 1}, "url": "u"}},
                   {"type": "EmbeddedLink", "text": "x", "on-click-action": {"name": "open_url", "url": "not a url", "payload": {}}},
                   {"type": "EmbeddedLink", "text": "y", "on-click-action": {"name": "navigate"}}]),
        );
        expect(
            check,
            &flow,
            &[
                (Code::InvalidPropertyKey, &format!("{C0}/on-click-action/url")),
                (Code::InvalidEnumValue, &format!("{C0}/on-click-action/next/type")),
                (Code::InvalidPropertyKey, &format!("{C0}/on-click-action/next/x")),
                (Code::InvalidPropertyKey, &format!("{C1}/on-click-action/payload")),
                (Code::InvalidPropertyValueFormat, &format!("{C1}/on-click-action/url")),
                (Code::MissingRequiredProperty, "/screens/0/layout/children/2/on-click-action"),
            ],
        );
    }
}
