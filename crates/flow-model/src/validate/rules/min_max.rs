//! §8.2 `MIN_VALUE_GREATER_THAN_MAX`: the minimum of a pair never exceeds its maximum
//! (TextInput characters, selections, uploads).
use serde_json::Value;

use super::super::context::{Flow, member};
use crate::catalog::prop;

#[cfg(all(test, not(target_arch = "wasm32")))]
use super::super::sources::{Builder, Code, Docs, Page, Report, error};
use crate::diagnostic::{ComponentProblem, Diagnostic};
use crate::json::pointer;

/// What this rule reports, and on whose authority (`validate/sources.rs`).
#[cfg(all(test, not(target_arch = "wasm32")))]
pub(super) const REPORTS: &[Report] = &[error(
    "Component::MinGreaterThanMax",
    Code::MinValueGreaterThanMax,
    "minimums not above maximums (characters, selections, uploads)",
    &[
        Docs(Page::ErrorCodes, "MIN_VALUE_GREATER_THAN_MAX"),
        Builder("WAFlowJSONValidatorChainV500: min/max pairs"),
    ],
)];

/// (component, minimum property, maximum property).
const PAIRS: &[(&str, &str, &str)] = &[
    ("TextInput", prop::MIN_CHARS, prop::MAX_CHARS),
    ("CheckboxGroup", prop::MIN_SELECTED_ITEMS, prop::MAX_SELECTED_ITEMS),
    ("ChipsSelector", prop::MIN_SELECTED_ITEMS, prop::MAX_SELECTED_ITEMS),
    ("PhotoPicker", prop::MIN_UPLOADED_PHOTOS, prop::MAX_UPLOADED_PHOTOS),
    ("DocumentPicker", prop::MIN_UPLOADED_DOCUMENTS, prop::MAX_UPLOADED_DOCUMENTS),
];

pub(super) fn check(flow: &Flow<'_>, out: &mut Vec<Diagnostic>) {
    for screen in &flow.screens {
        for node in &screen.components {
            let Some(spec) = node.spec else { continue };
            for (component, min, max) in PAIRS.iter().filter(|(component, ..)| *component == spec.name) {
                let number = |key: &str| -> Option<f64> {
                    let declared = member(node.at.component, key).and_then(Value::as_f64);
                    let default = spec
                        .property(key, flow.version)
                        .and_then(|p| p.default)
                        .and_then(crate::number::parse);
                    declared.or(default)
                };
                if let (Some(low), Some(high)) = (number(min), number(max))
                    && low > high
                    && member(node.at.component, min).is_some()
                {
                    out.push(Diagnostic::error(
                        pointer::join(&screen.pointer_of(node), min),
                        ComponentProblem::MinGreaterThanMax {
                            min,
                            max,
                            component,
                            name: node.name().unwrap_or("?").to_owned(),
                        },
                    ));
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

    #[test]
    fn minimum_not_above_maximum_defaults_included() {
        let flow = screen(
            "7.3",
            json!([{"type": "TextInput", "name": "a", "min-chars": 100},
                   {"type": "PhotoPicker", "name": "p", "min-uploaded-photos": 3, "max-uploaded-photos": 2},
                   {"type": "CheckboxGroup", "name": "c", "min-selected-items": 2, "max-selected-items": "${data.max}"}]),
        );
        expect(
            check,
            &flow,
            &[
                (Code::MinValueGreaterThanMax, &format!("{C0}/min-chars")),
                (Code::MinValueGreaterThanMax, &format!("{C1}/min-uploaded-photos")),
            ],
        );
    }
}
