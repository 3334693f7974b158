//! §1.3, §3.1: a flow has 1 to 100 screens, each an object.
use serde_json::Value;

use super::super::context::Flow;
use super::super::schema::json_type;
use crate::model::key;

#[cfg(all(test, not(target_arch = "wasm32")))]
use super::super::sources::{Builder, Code, Docs, Page, Report, error};
use crate::diagnostic::{Diagnostic, SchemaProblem, ScreenProblem};
use crate::json::pointer;

/// What this rule reports, and on whose authority (`validate/sources.rs`).
#[cfg(all(test, not(target_arch = "wasm32")))]
pub(super) const REPORTS: &[Report] = &[
    error(
        "Schema::TooFewItems",
        Code::MinItemsRequired,
        "at least one screen",
        &[Builder("WAFlowJSONRootSchema: the root object, closed")],
    ),
    error(
        "Screen::TooManyScreens",
        Code::MaxScreensNumber,
        "at most 100 screens",
        &[Docs(Page::ErrorCodes, "MAX_SCREENS_NUMBER"), Builder("WAFlowJSONMaxAllowedScreensValidatorV500")],
    ),
    error(
        "Schema::WrongType",
        Code::InvalidPropertyType,
        "each screen is an object",
        &[Builder("WAFlowJSONRootSchema: the root object, closed")],
    ),
];

/// Meta's `MAX_SCREENS_NUMBER`.
pub(crate) const MAX_SCREENS: usize = 100;

pub(super) fn check(flow: &Flow<'_>, out: &mut Vec<Diagnostic>) {
    let Some(screens) = flow.root.get(key::SCREENS).and_then(Value::as_array) else { return };
    if screens.is_empty() {
        out.push(Diagnostic::error(
            key::SCREENS_AT,
            SchemaProblem::TooFewItems { property: key::SCREENS.into(), min: 1 },
        ));
    }
    if screens.len() > MAX_SCREENS {
        out.push(Diagnostic::error(key::SCREENS_AT, ScreenProblem::TooManyScreens { found: screens.len() }));
    }
    for (index, screen) in screens.iter().enumerate() {
        if !screen.is_object() {
            out.push(Diagnostic::error(
                pointer::join(key::SCREENS_AT, index),
                SchemaProblem::WrongType {
                    property: key::SCREENS.into(),
                    expected: "object",
                    found: json_type(screen),
                },
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::expect;
    use super::*;
    use crate::diagnostic::Code;
    use serde_json::json;

    #[test]
    fn between_one_and_a_hundred_screen_objects() {
        expect(check, &json!({"screens": []}), &[(Code::MinItemsRequired, "/screens")]);
        let many: Vec<_> = (0..101).map(|_| json!({})).collect();
        expect(check, &json!({"screens": many}), &[(Code::MaxScreensNumber, "/screens")]);
        expect(check, &json!({"screens": [{}, 3]}), &[(Code::InvalidPropertyType, "/screens/1")]);
    }
}
