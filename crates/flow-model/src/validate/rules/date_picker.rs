//! §4.4: DatePicker dates: `min-date` not after `max-date`, unavailable dates and the initial
//! value within them, and an initial value (its own `init-value`, or its entry in the Form's
//! `init-values`) in the version's date format. Before 5.0, dates are millisecond timestamps
//! and, when unset, the range is 1900-01-01 to 2100-12-31; such a DatePicker reads them in the
//! phone's time zone, which a warning says (the "old picker").
use serde_json::Value;

use super::super::context::{Flow, Node, Screen, member};
use super::super::schema::{date_format, is_date, is_iso_date};
use crate::catalog::prop;
use crate::model::key;

#[cfg(all(test, not(target_arch = "wasm32")))]
use super::super::sources::{Builder, Code, Docs, Ours, Page, Report, error, warning};
use crate::diagnostic::{ComponentProblem, Diagnostic, Severity};
use crate::expression::{self, Dynamic};
use crate::json::pointer;
use crate::version::Feature;

/// What this rule reports, and on whose authority (`validate/sources.rs`).
#[cfg(all(test, not(target_arch = "wasm32")))]
pub(super) const REPORTS: &[Report] = &[
    error(
        "Component::DateRange",
        Code::InvalidDateRange,
        "`min-date` not after `max-date`, the initial date within them",
        &[Docs(Page::ErrorCodes, "INVALID_DATE_RANGE"), Builder("WAFlowJSONValidatorChainV500: DatePicker")],
    ),
    warning(
        "Component::DateRange",
        Code::InvalidDateRange,
        "unavailable dates within the range",
        &[Ours("they do nothing outside it")],
    ),
    error(
        "Component::InitDateFormat",
        Code::InvalidDateSingleInitValueFormat,
        "the initial date in the version's format",
        &[Docs(Page::ErrorCodes, "INVALID_DATE_SINGLE_INIT_VALUE_FORMAT")],
    ),
    warning(
        "Component::TimeZoneUnsafeDatePicker",
        Code::InvalidPropertyValue,
        "a DatePicker before 5.0 reads dates in the phone's time zone",
        &[Docs(Page::Components, "DatePicker, \"Before flow JSON version 5.0\"")],
    ),
];

/// 2100-12-31T23:59:59.999Z in milliseconds: the last day a pre-5.0 DatePicker offers when
/// `max-date` is unset. (Its first, 1900-01-01, is before 1970: no timestamp written as
/// digits is earlier.)
const DEFAULT_MAX_TIMESTAMP: u64 = 4_133_980_799_999;

pub(super) fn check(flow: &Flow<'_>, out: &mut Vec<Diagnostic>) {
    let iso = flow.version.supports(Feature::IsoDates);
    for screen in &flow.screens {
        for node in screen.components.iter().filter(|node| node.is("DatePicker")) {
            let at = || screen.pointer_of(node);
            if !iso {
                out.push(Diagnostic::warning(
                    at(),
                    ComponentProblem::TimeZoneUnsafeDatePicker { version: flow.version },
                ));
            }
            let initial = initial_value(screen, node);
            check_dates(flow, node.at.component, &at, initial.as_ref().map(|initial| (initial, screen)), out);
        }
    }
}

/// A picker's initial value: its own `init-value`, or inside a Form the Form's `init-values`
/// entry for its name.
pub(super) struct Initial<'a> {
    /// The value.
    pub value: &'a Value,
    /// The picker, or the Form whose `init-values` holds the value.
    owner: &'a Node<'a>,
    /// In the Form's `init-values`, under this key (the picker's name); else the picker's own
    /// `init-value`.
    form_key: Option<&'a str>,
}

impl Initial<'_> {
    /// The value's JSON Pointer.
    pub fn pointer(&self, screen: &Screen<'_>) -> String {
        let owner = screen.pointer_of(self.owner);
        match self.form_key {
            Some(key) => pointer::join(&pointer::join(&owner, key::INIT_VALUES), key),
            None => pointer::join(&owner, key::INIT_VALUE),
        }
    }
}

/// The initial value of `node`, a picker of `screen`, when it has one.
pub(super) fn initial_value<'a>(screen: &'a Screen<'a>, node: &'a Node<'a>) -> Option<Initial<'a>> {
    if let Some(value) = member(node.at.component, key::INIT_VALUE) {
        return Some(Initial { value, owner: node, form_key: None });
    }
    if !node.in_form {
        return None;
    }
    let name = node.name()?;
    let components = &screen.components;
    let form =
        std::iter::successors(node.at.parent, |index| components.get(*index).and_then(|c| c.at.parent))
            .filter_map(|index| components.get(index))
            .find(|container| container.is("Form"))?;
    let (key, value) = member(form.at.component, key::INIT_VALUES)?.as_object()?.get_key_value(name)?;
    Some(Initial { value, owner: form, form_key: Some(key) })
}

/// A literal date string (not a binding or expression).
fn literal(value: Option<&Value>) -> Option<&str> {
    value.and_then(Value::as_str).filter(|text| matches!(expression::classify(text), Dynamic::Literal))
}

/// Shared with CalendarPicker: the range and what must lie inside it.
pub(super) fn check_dates(
    flow: &Flow<'_>,
    component: &serde_json::Map<String, Value>,
    at: &dyn Fn() -> String,
    initial: Option<(&Initial<'_>, &Screen<'_>)>,
    out: &mut Vec<Diagnostic>,
) {
    // Comparing "YYYY-MM-DD" strings compares dates; timestamps (before 5.0) are compared as numbers.
    let iso = flow.version.supports(Feature::IsoDates);
    let key = |text: &str| -> Option<(u64, String)> {
        if iso {
            is_iso_date(text).then(|| (0, text.to_owned()))
        } else {
            text.parse::<u64>().ok().map(|number| (number, String::new()))
        }
    };
    let min = literal(member(component, prop::MIN_DATE)).and_then(key);
    let mut max = literal(member(component, prop::MAX_DATE)).and_then(key);
    // §4.4: before 5.0 an unset range is 1900-01-01 to 2100-12-31.
    if !iso && max.is_none() && member(component, prop::MAX_DATE).is_none() {
        max = Some((DEFAULT_MAX_TIMESTAMP, String::new()));
    }
    if let (Some(low), Some(high)) = (&min, &max)
        && low > high
    {
        out.push(Diagnostic::error(
            pointer::join(&at(), prop::MIN_DATE),
            ComponentProblem::DateRange { property: prop::MIN_DATE.into() },
        ));
    }
    let outside = |date: &(u64, String)| {
        min.as_ref().is_some_and(|low| date < low) || max.as_ref().is_some_and(|high| date > high)
    };
    if let Some(Value::Array(dates)) = member(component, prop::UNAVAILABLE_DATES) {
        for (index, date) in dates.iter().enumerate() {
            if literal(Some(date)).and_then(key).is_some_and(|date| outside(&date)) {
                out.push(Diagnostic {
                    severity: Severity::Warning,
                    pointer: pointer::join(&pointer::join(&at(), prop::UNAVAILABLE_DATES), index),
                    span: None,
                    problem: ComponentProblem::DateRange { property: prop::UNAVAILABLE_DATES.into() }.into(),
                });
            }
        }
    }
    let Some((initial, screen)) = initial else { return };
    if let Some(text) = literal(Some(initial.value)) {
        let init_at = || initial.pointer(screen);
        if !is_date(text, flow.version) {
            out.push(Diagnostic::error(
                init_at(),
                ComponentProblem::InitDateFormat { format: date_format(flow.version) },
            ));
        } else if key(text).is_some_and(|date| outside(&date)) {
            out.push(Diagnostic::error(
                init_at(),
                ComponentProblem::DateRange { property: key::INIT_VALUE.into() },
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{C0, expect, screen};
    use super::*;
    use crate::diagnostic::Code;
    use serde_json::json;

    #[test]
    fn ranges_and_initial_values() {
        let flow = screen(
            "7.3",
            json!([{"type": "DatePicker", "name": "d", "label": "D", "min-date": "2025-02-01", "max-date": "2025-01-01",
                    "unavailable-dates": ["2024-01-01"], "init-value": "01-01-2025"}]),
        );
        expect(
            check,
            &flow,
            &[
                (Code::InvalidDateRange, &format!("{C0}/min-date")),
                (Code::InvalidDateRange, &format!("{C0}/unavailable-dates/0")),
                (Code::InvalidDateSingleInitValueFormat, &format!("{C0}/init-value")),
            ],
        );
        let outside = screen(
            "7.3",
            json!([{"type": "DatePicker", "name": "d", "label": "D", "max-date": "2025-01-01", "init-value": "2025-06-01"}]),
        );
        expect(check, &outside, &[(Code::InvalidDateRange, &format!("{C0}/init-value"))]);
    }

    #[test]
    fn initial_values_of_a_form() {
        let flow = screen(
            "6.0",
            json!([{"type": "Form", "name": "f", "init-values": {"d": "2025-13-01", "e": "2024-01-01"}, "children": [
                {"type": "DatePicker", "name": "d", "label": "D"},
                {"type": "If", "condition": "${data.x}", "then": [
                    {"type": "DatePicker", "name": "e", "label": "E", "min-date": "2025-01-01"}]}]}]),
        );
        expect(
            check,
            &flow,
            &[
                (Code::InvalidDateSingleInitValueFormat, &format!("{C0}/init-values/d")),
                (Code::InvalidDateRange, &format!("{C0}/init-values/e")),
            ],
        );
    }

    #[test]
    fn timestamps_before_5_0() {
        let flow = screen(
            "4.0",
            json!([{"type": "DatePicker", "name": "d", "label": "D", "unavailable-dates": ["4133980800000"],
                    "init-value": "1700000000000"}]),
        );
        expect(
            check,
            &flow,
            &[
                (Code::InvalidPropertyValue, C0),
                // After 2100-12-31, the last day when `max-date` is unset.
                (Code::InvalidDateRange, &format!("{C0}/unavailable-dates/0")),
            ],
        );
    }
}
