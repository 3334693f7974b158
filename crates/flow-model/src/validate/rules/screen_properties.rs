//! §2: the screen object is closed; `title` (⚠ required: Meta's schema requires it, its docs
//! do not; we follow the stricter reading) is a non-blank string from 5.0; `layout` is
//! required; `terminal`, `success`, `refresh_on_back` are booleans; `success` only on terminal
//! screens and at least one terminal screen succeeds; `refresh_on_back: true` needs an
//! endpoint; `data` is an object.
use serde_json::Value;

use super::super::context::Flow;
use super::super::schema::{is_blank, json_type};
use crate::model::key;

#[cfg(all(test, not(target_arch = "wasm32")))]
use super::super::sources::{Builder, Code, Docs, Page, Report, error};
use crate::diagnostic::{Diagnostic, Owner, SchemaProblem, ScreenProblem};
use crate::json::pointer;
use crate::version::{Feature, Version};

/// What this rule reports, and on whose authority (`validate/sources.rs`).
#[cfg(all(test, not(target_arch = "wasm32")))]
pub(super) const REPORTS: &[Report] = &[
    error(
        "Schema::UnknownProperty",
        Code::InvalidPropertyKey,
        "the screen object has only screen properties (`sensitive` from 5.1)",
        &[Builder("WAFlowJSONScreenSchema: the screen object, closed"), Docs(Page::FlowJson, "Screens")],
    ),
    error(
        "Schema::WrongType",
        Code::InvalidPropertyType,
        "title a string; layout, data objects; terminal, success, refresh_on_back booleans",
        &[Builder("WAFlowJSONScreenSchema: the screen object, closed")],
    ),
    error(
        "Schema::MissingProperty",
        Code::MissingRequiredProperty,
        "`title` and `layout` are present (the docs call title optional, the builder requires it)",
        &[
            Builder("WAFlowJSONScreenSchema: the screen object, closed"),
            Docs(Page::FlowJson, "Screens: layout is required"),
        ],
    ),
    error(
        "Schema::Blank",
        Code::PatternMismatch,
        "a title is not blank (5.0+)",
        &[Builder("WAFlowJSONScreenSchema: non-blank title pattern from 5.0")],
    ),
    error(
        "Screen::SuccessOnlyOnTerminal",
        Code::NotKeywordSchemaValidationFailed,
        "`success` only on terminal screens",
        &[
            Docs(Page::FlowJson, "Screens: success is only applicable on terminal screens"),
            Docs(Page::ErrorCodes, "Property 'success' can only be specified on a terminal screen"),
        ],
    ),
    error(
        "Screen::NoSuccessfulTerminal",
        Code::InvalidPropertyValue,
        "some terminal screen succeeds",
        &[
            Docs(Page::FlowJson, "Screens: success"),
            Builder("WAFlowJSONValidatorChainV500: success on terminal"),
        ],
    ),
    error(
        "Screen::RefreshOnBackWithoutEndpoint",
        Code::InvalidPropertyValue,
        "`refresh_on_back: true` only with an endpoint",
        &[
            Docs(
                Page::FlowJson,
                "Screens: refresh_on_back is only applicable for Flows with a Data Endpoint",
            ),
            Docs(
                Page::ErrorCodes,
                "Property 'refresh_on_back' can be true only when property 'data_api_version' is set",
            ),
        ],
    ),
];

/// The screen properties and the version that introduced them.
const SCREEN_KEYS: &[(&str, Version)] = &[
    (key::ID, Version::V1_0),
    (key::TITLE, Version::V1_0),
    (key::LAYOUT, Version::V1_0),
    (key::TERMINAL, Version::V1_0),
    (key::SUCCESS, Version::V1_0),
    (key::DATA, Version::V1_0),
    (key::REFRESH_ON_BACK, Version::V1_0),
    (key::SENSITIVE, Version::V5_1),
];

pub(super) fn check(flow: &Flow<'_>, out: &mut Vec<Diagnostic>) {
    let mut any_terminal = false;
    let mut any_success = false;
    for screen in &flow.screens {
        let at = |key: &str| pointer::join(&screen.pointer, key);
        for (key, value) in screen.object {
            match SCREEN_KEYS.iter().find(|(name, _)| name == key) {
                Some((_, since)) if *since <= flow.version => {}
                found => out.push(Diagnostic::error(
                    at(key),
                    SchemaProblem::UnknownProperty {
                        property: key.clone(),
                        owner: Owner::Screen,
                        since: found.map(|(_, since)| *since),
                        inside_form: false,
                    },
                )),
            }
            let expected = match key.as_str() {
                key::TITLE => "string",
                key::LAYOUT | key::DATA => "object",
                key::TERMINAL | key::SUCCESS | key::REFRESH_ON_BACK => "boolean",
                _ => continue,
            };
            let fits = match expected {
                "string" => value.is_string(),
                "object" => value.is_object(),
                _ => value.is_boolean(),
            };
            if !fits {
                out.push(Diagnostic::error(
                    at(key),
                    SchemaProblem::WrongType { property: key.clone(), expected, found: json_type(value) },
                ));
            }
        }
        for required in [key::TITLE, key::LAYOUT] {
            if !screen.object.contains_key(required) {
                out.push(Diagnostic::error(
                    screen.pointer.clone(),
                    SchemaProblem::MissingProperty { property: required.into() },
                ));
            }
        }
        if let Some(Value::String(title)) = screen.object.get(key::TITLE)
            && flow.version.supports(Feature::NonBlankTitle)
            && is_blank(title)
        {
            out.push(Diagnostic::error(at(key::TITLE), SchemaProblem::Blank { property: key::TITLE.into() }));
        }
        let success = screen.object.get(key::SUCCESS);
        if screen.terminal {
            any_terminal = true;
            any_success |= success.and_then(Value::as_bool) != Some(false);
        } else if success.is_some() {
            out.push(Diagnostic::error(at(key::SUCCESS), ScreenProblem::SuccessOnlyOnTerminal));
        }
        if screen.object.get(key::REFRESH_ON_BACK).and_then(Value::as_bool) == Some(true) && !flow.endpoint {
            out.push(Diagnostic::error(
                at(key::REFRESH_ON_BACK),
                ScreenProblem::RefreshOnBackWithoutEndpoint,
            ));
        }
    }
    if any_terminal && !any_success {
        out.push(Diagnostic::error(key::SCREENS_AT, ScreenProblem::NoSuccessfulTerminal));
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{expect, screen};
    use super::*;
    use crate::diagnostic::Code;
    use serde_json::json;

    #[test]
    fn closed_screen_with_typed_properties() {
        let mut flow = screen("7.3", json!([]));
        flow["screens"][0]["color"] = json!("red");
        flow["screens"][0]["terminal"] = json!("yes");
        expect(
            check,
            &flow,
            &[
                (Code::InvalidPropertyKey, "/screens/0/color"),
                (Code::InvalidPropertyType, "/screens/0/terminal"),
            ],
        );
        let mut old = screen("5.0", json!([]));
        old["screens"][0]["sensitive"] = json!([]);
        expect(check, &old, &[(Code::InvalidPropertyKey, "/screens/0/sensitive")]);
    }

    #[test]
    fn title_and_layout_are_required_and_titles_not_blank() {
        let flow = json!({"version": "7.3", "screens": [{"id": "A", "terminal": true}]});
        expect(
            check,
            &flow,
            &[(Code::MissingRequiredProperty, "/screens/0"), (Code::MissingRequiredProperty, "/screens/0")],
        );
        let mut blank = screen("7.3", json!([]));
        blank["screens"][0]["title"] = json!("  ");
        expect(check, &blank, &[(Code::PatternMismatch, "/screens/0/title")]);
        blank["version"] = json!("4.0");
        expect(check, &blank, &[]);
    }

    #[test]
    fn success_and_refresh_on_back() {
        let mut flow = screen("7.3", json!([]));
        flow["screens"][0]["terminal"] = json!(false);
        flow["screens"][0]["success"] = json!(true);
        flow["screens"][0]["refresh_on_back"] = json!(true);
        expect(
            check,
            &flow,
            &[
                (Code::NotKeywordSchemaValidationFailed, "/screens/0/success"),
                (Code::InvalidPropertyValue, "/screens/0/refresh_on_back"),
            ],
        );
        let mut failing = screen("7.3", json!([]));
        failing["screens"][0]["success"] = json!(false);
        expect(check, &failing, &[(Code::InvalidPropertyValue, "/screens")]);
    }
}
