//! Calendar dates as Flow JSON writes them: `YYYY-MM-DD` (5.0+), or before 5.0 a millisecond
//! timestamp as text. Days are counted from 1970-01-01 in the proleptic Gregorian calendar
//! (Howard Hinnant's `days_from_civil` and `civil_from_days`), so the sandbox's timestamps and
//! the preview's pickers share one piece of arithmetic.
//!
//! Written here rather than taken from chrono or time: it runs in the browser's wasm bundle,
//! where size matters, and needs only civil-date arithmetic (days to and from a year, month
//! and day, and the weekday), none of the clocks, time zones and formatting those bring.
//!
//! ```
//! use flow_model::date;
//!
//! assert_eq!(date::day_number("1970-01-02"), Some(1));
//! assert_eq!(date::civil(19_723), (2024, 1, 1));
//! assert_eq!(date::weekday("2024-02-29"), Some("Thu"));
//! assert_eq!(date::text("1704067200000").as_deref(), Some("2024-01-01"));
//! ```

/// Milliseconds in a day.
const DAY_MILLIS: i64 = 86_400_000;

/// The year, month (1 to 12) and day (1 to 31) of the day `days` after 1970-01-01.
pub fn civil(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_index + 2) / 5 + 1;
    let month = if month_index < 10 { month_index + 3 } else { month_index - 9 };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    // Both fit: 1 ≤ day ≤ 31, 1 ≤ month ≤ 12.
    (year, u32::try_from(month).unwrap_or(1), u32::try_from(day).unwrap_or(1))
}

/// Days since 1970-01-01 of a `YYYY-MM-DD` date (`None` when it is not three numbers).
pub fn day_number(date: &str) -> Option<i64> {
    let mut parts = date.split('-').map(|part| part.parse::<i64>().ok());
    let (year, month, day) = (parts.next()??, parts.next()??, parts.next()??);
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let day_of_year = (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    Some(era * 146_097 + day_of_era - 719_468)
}

/// `YYYY-MM-DD` of the day `days` after 1970-01-01.
pub fn iso(days: i64) -> String {
    let (year, month, day) = civil(days);
    format!("{year:04}-{month:02}-{day:02}")
}

/// A picker's date as `YYYY-MM-DD`: the text itself when it is one, or the UTC day of a
/// millisecond timestamp (the dates of a DatePicker before 5.0).
pub fn text(value: &str) -> Option<String> {
    let value = value.trim();
    let bytes = value.as_bytes();
    if bytes.len() == 10 && bytes.get(4) == Some(&b'-') && bytes.get(7) == Some(&b'-') {
        return Some(value.to_owned());
    }
    let millis: i64 = value.parse().ok()?;
    Some(iso(millis.div_euclid(DAY_MILLIS)))
}

/// `Mon` … `Sun` (as CalendarPicker's `include-days` writes them) of a `YYYY-MM-DD` date.
pub fn weekday(date: &str) -> Option<&'static str> {
    // 1970-01-01 was a Thursday.
    const WEEKDAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    let days = day_number(date)?;
    WEEKDAYS.get(usize::try_from(days.rem_euclid(7)).ok()?).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_and_dates_convert_both_ways() {
        for days in [-719_468, -1, 0, 1, 59, 60, 11_016, 19_723, 19_782, 2_932_896] {
            assert_eq!(day_number(&iso(days)), Some(days), "{}", iso(days));
        }
        assert_eq!(iso(0), "1970-01-01");
        assert_eq!(iso(-1), "1969-12-31");
        assert_eq!(iso(19_782), "2024-02-29");
        assert_eq!(day_number("2000-03-01"), Some(11_017));
        assert_eq!(day_number("2024-xx-01"), None);
    }

    #[test]
    fn picker_texts_and_weekdays() {
        assert_eq!(text(" 2025-06-06 ").as_deref(), Some("2025-06-06"));
        assert_eq!(text("1693569600000").as_deref(), Some("2023-09-01"));
        assert_eq!(text("-86400000").as_deref(), Some("1969-12-31"));
        assert_eq!(text("soon"), None);
        assert_eq!(weekday("1970-01-01"), Some("Thu"));
        assert_eq!(weekday("2025-06-08"), Some("Sun"));
        assert_eq!(weekday("nope"), None);
    }
}
