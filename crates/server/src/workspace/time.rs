//! Times as the workspace API writes them: RFC 3339 in UTC with milliseconds
//! (`2024-01-01T00:00:00.000Z`), from the milliseconds the store keeps.
use time::OffsetDateTime;
use time::macros::format_description;

/// `millis` since the Unix epoch as RFC 3339 (UTC, milliseconds); out-of-range times clamp to
/// the epoch rather than fail, since they can only come from a damaged row.
pub fn rfc3339(millis: i64) -> String {
    let format = format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]Z");
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(millis) * 1_000_000)
        .unwrap_or(OffsetDateTime::UNIX_EPOCH)
        .format(format)
        .unwrap_or_else(|_| "1970-01-01T00:00:00.000Z".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_rfc3339_in_utc() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(rfc3339(1_709_188_540_123), "2024-02-29T06:35:40.123Z");
        assert_eq!(rfc3339(i64::MAX), "1970-01-01T00:00:00.000Z");
    }
}
