//! §4.4 (6.1+): CalendarPicker's `title`, `description`, `min-days` and `max-days` exist only in
//! range mode; in range mode `label`, `helper-text`, `required`, `init-value` and
//! `error-message` may be `{start-date, end-date}` objects and in single mode they may not;
//! `min-days` not above `max-days`; initial dates (its own `init-value`, or its entry in the
//! Form's `init-values`) are dates within the range.
use serde_json::Value;

use super::super::context::Flow;
use super::super::schema::is_iso_date;
use crate::catalog::prop;
use crate::model::key;

#[cfg(all(test, not(target_arch = "wasm32")))]
use super::super::sources::{Builder, Code, Docs, Page, Report, error};
use crate::diagnostic::{ComponentProblem, Diagnostic};
use crate::expression::{self, Dynamic};
use crate::json::pointer;

/// What this rule reports, and on whose authority (`validate/sources.rs`).
#[cfg(all(test, not(target_arch = "wasm32")))]
pub(super) const REPORTS: &[Report] = &[
    error(
        "Component::RangeModeOnly",
        Code::InvalidPropertyNameForCondition,
        "`title`, `description`, `min-days`, `max-days` only in range mode",
        &[Docs(Page::Components, "CalendarPicker"), Builder("WAFlowJSONValidatorChainV601: CalendarPicker")],
    ),
    error(
        "Component::CalendarModeShape",
        Code::UnexpectedCalendarPickerRangeModeProp,
        "no `{start-date, end-date}` objects in single mode",
        &[Docs(Page::ErrorCodes, "UNEXPECTED_CALENDAR_PICKER_RANGE_MODE_PROP")],
    ),
    error(
        "Component::CalendarModeShape",
        Code::MissingCalendarPickerRangeModeProp,
        "a range-mode `init-value` is a `{start-date, end-date}` object",
        &[Docs(Page::ErrorCodes, "MISSING_CALENDAR_PICKER_RANGE_MODE_PROP")],
    ),
    error(
        "Component::MinMaxDays",
        Code::InvalidMinMaxDays,
        "`min-days` not above `max-days`",
        &[Docs(Page::ErrorCodes, "INVALID_MIN_MAX_DAYS")],
    ),
    error(
        "Component::InitDateFormat",
        Code::InvalidDateSingleInitValueFormat,
        "initial dates as `YYYY-MM-DD`",
        &[Docs(Page::ErrorCodes, "INVALID_DATE_SINGLE_INIT_VALUE_FORMAT")],
    ),
    error(
        "Component::DateRange",
        Code::InvalidDateRange,
        "initial dates within the range",
        &[Docs(Page::ErrorCodes, "INVALID_DATE_RANGE")],
    ),
];

const RANGE_ONLY: &[&str] = &[key::TITLE, prop::DESCRIPTION, prop::MIN_DAYS, prop::MAX_DAYS];
const RANGE_OBJECTS: &[&str] =
    &[prop::LABEL, prop::HELPER_TEXT, key::REQUIRED, key::INIT_VALUE, key::ERROR_MESSAGE];

pub(super) fn check(flow: &Flow<'_>, out: &mut Vec<Diagnostic>) {
    for screen in &flow.screens {
        for node in screen.components.iter().filter(|node| node.is("CalendarPicker")) {
            let component = node.at.component;
            let at = |key: &str| pointer::join(&screen.pointer_of(node), key);
            let mode = component.get(prop::MODE).and_then(Value::as_str).unwrap_or("single");
            let range = match mode {
                "range" => true,
                "single" => false,
                _ => continue, // A binding decides at run time; an invalid value is reported elsewhere.
            };
            if !range {
                for property in RANGE_ONLY.iter().filter(|key| component.contains_key(**key)) {
                    out.push(Diagnostic::error(at(property), ComponentProblem::RangeModeOnly { property }));
                }
            }
            for property in RANGE_OBJECTS {
                if let Some(Value::Object(_)) = component.get(*property)
                    && !range
                {
                    out.push(Diagnostic::error(
                        at(property),
                        ComponentProblem::CalendarModeShape { property, range: false },
                    ));
                }
            }
            // Its own `init-value`, or its entry in the Form's `init-values`.
            let initial = super::date_picker::initial_value(screen, node);
            if range
                && let Some(initial) = &initial
                && let Value::String(text) = initial.value
                && matches!(expression::classify(text), Dynamic::Literal)
            {
                out.push(Diagnostic::error(
                    initial.pointer(screen),
                    ComponentProblem::CalendarModeShape { property: key::INIT_VALUE, range: true },
                ));
            }
            if let (Some(low), Some(high)) = (
                component.get(prop::MIN_DAYS).and_then(Value::as_f64),
                component.get(prop::MAX_DAYS).and_then(Value::as_f64),
            ) && low > high
            {
                out.push(Diagnostic::error(at(prop::MIN_DAYS), ComponentProblem::MinMaxDays));
            }
            if let Some(initial) = &initial
                && let Value::Object(dates) = initial.value
            {
                for key in [prop::START_DATE, prop::END_DATE] {
                    if let Some(Value::String(date)) = dates.get(key)
                        && matches!(expression::classify(date), Dynamic::Literal)
                        && !is_iso_date(date)
                    {
                        out.push(Diagnostic::error(
                            pointer::join(&initial.pointer(screen), key),
                            ComponentProblem::InitDateFormat { format: "YYYY-MM-DD" },
                        ));
                    }
                }
                let start =
                    dates.get(prop::START_DATE).and_then(Value::as_str).filter(|date| is_iso_date(date));
                let end = dates.get(prop::END_DATE).and_then(Value::as_str).filter(|date| is_iso_date(date));
                if let (Some(start), Some(end)) = (start, end)
                    && start > end
                {
                    out.push(Diagnostic::error(
                        initial.pointer(screen),
                        ComponentProblem::DateRange { property: key::INIT_VALUE.into() },
                    ));
                }
            }
            let single = initial.as_ref().filter(|_| !range).map(|initial| (initial, screen));
            super::date_picker::check_dates(flow, component, &|| screen.pointer_of(node), single, out);
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
    fn mode_dependent_properties() {
        let flow = screen(
            "7.3",
            json!([{"type": "CalendarPicker", "name": "a", "label": {"start-date": "From", "end-date": "To"}, "title": "T", "min-days": 2},
                   {"type": "CalendarPicker", "name": "b", "mode": "range", "label": {"end-date": "To"}, "min-days": 5, "max-days": 2,
                    "init-value": {"start-date": "2025-03-01", "end-date": "2025-02-01"}}]),
        );
        expect(
            check,
            &flow,
            &[
                (Code::InvalidPropertyNameForCondition, &format!("{C0}/title")),
                (Code::InvalidPropertyNameForCondition, &format!("{C0}/min-days")),
                (Code::UnexpectedCalendarPickerRangeModeProp, &format!("{C0}/label")),
                (Code::InvalidMinMaxDays, &format!("{C1}/min-days")),
                (Code::InvalidDateRange, &format!("{C1}/init-value")),
            ],
        );
        let single_in_range = screen(
            "7.3",
            json!([{"type": "CalendarPicker", "name": "c", "mode": "range", "label": "L", "init-value": "2025-01-01"}]),
        );
        expect(
            check,
            &single_in_range,
            &[(Code::MissingCalendarPickerRangeModeProp, &format!("{C0}/init-value"))],
        );
    }
}
