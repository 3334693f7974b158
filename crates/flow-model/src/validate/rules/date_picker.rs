//! §4.4: DatePicker dates: `min-date` not after `max-date`, unavailable dates and the initial
//! value within them, and an `init-value` in the version's date format.
use serde_json::Value;

use super::super::context::{Flow, member};
use super::super::schema::{date_format, is_date, is_iso_date};
use crate::diagnostic::{Diagnostic, Problem, Severity};
use crate::expression::{self, Dynamic};
use crate::json::pointer;
use crate::version::Feature;

pub(super) fn check(flow: &Flow<'_>, out: &mut Vec<Diagnostic>) {
    for screen in &flow.screens {
        for node in screen.components.iter().filter(|node| node.is("DatePicker") || node.is("CalendarPicker"))
        {
            check_dates(flow, node.at.component, &|| screen.pointer_of(node), node.is("DatePicker"), out);
        }
    }
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
    single_init_value: bool,
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
    let min = literal(member(component, "min-date")).and_then(key);
    let max = literal(member(component, "max-date")).and_then(key);
    if let (Some(low), Some(high)) = (&min, &max)
        && low > high
    {
        out.push(Diagnostic::error(
            pointer::join(&at(), "min-date"),
            Problem::DateRange { property: "min-date".into() },
        ));
    }
    let outside = |date: &(u64, String)| {
        min.as_ref().is_some_and(|low| date < low) || max.as_ref().is_some_and(|high| date > high)
    };
    if let Some(Value::Array(dates)) = member(component, "unavailable-dates") {
        for (index, date) in dates.iter().enumerate() {
            if literal(Some(date)).and_then(key).is_some_and(|date| outside(&date)) {
                out.push(Diagnostic {
                    severity: Severity::Warning,
                    pointer: pointer::join(&pointer::join(&at(), "unavailable-dates"), index),
                    span: None,
                    problem: Problem::DateRange { property: "unavailable-dates".into() },
                });
            }
        }
    }
    if !single_init_value {
        return;
    }
    if let Some(text) = literal(member(component, "init-value")) {
        let init_at = || pointer::join(&at(), "init-value");
        if !is_date(text, flow.version) {
            out.push(Diagnostic::error(
                init_at(),
                Problem::InitDateFormat { format: date_format(flow.version) },
            ));
        } else if key(text).is_some_and(|date| outside(&date)) {
            out.push(Diagnostic::error(init_at(), Problem::DateRange { property: "init-value".into() }));
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
}
