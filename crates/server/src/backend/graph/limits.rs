//! Meta's rate limits: how long to wait before trying a refused call again. `Retry-After`
//! (seconds) first, then the `X-Business-Use-Case-Usage` header's
//! `estimated_time_to_regain_access` (minutes, per business and use case: the longest counts),
//! else an exponential backoff (1, 2, 4, 8 … s). A wait longer than the policy allows fails
//! the call as rate limited instead of hanging it.
use std::time::Duration;

use axum::http::HeaderMap;
use serde_json::Value;

/// How many times and how long a rate-limited call is tried again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Tries after the first.
    pub retries: u32,
    /// The longest single wait accepted.
    pub max_wait: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy { retries: 5, max_wait: Duration::from_secs(300) }
    }
}

impl RetryPolicy {
    /// The wait before try `attempt + 1` (0-based) after an answer with `headers`; `None` when
    /// no more tries are allowed or the wait is longer than allowed.
    pub fn wait(&self, attempt: u32, headers: &HeaderMap) -> Option<Duration> {
        if attempt >= self.retries {
            return None;
        }
        let wait = told(headers).unwrap_or_else(|| Duration::from_secs(1 << attempt.min(10)));
        (wait <= self.max_wait).then_some(wait)
    }
}

/// What the answer says about the wait, if anything.
pub fn told(headers: &HeaderMap) -> Option<Duration> {
    let retry_after = headers
        .get(axum::http::header::RETRY_AFTER)
        .and_then(|value| value.to_str().ok())
        .and_then(|text| text.trim().parse::<u64>().ok())
        .map(Duration::from_secs);
    retry_after.or_else(|| {
        let usage = headers.get("x-business-use-case-usage")?.to_str().ok()?;
        let usage: Value = serde_json::from_str(usage).ok()?;
        let minutes = usage
            .as_object()?
            .values()
            .filter_map(Value::as_array)
            .flatten()
            .filter_map(|entry| entry.get("estimated_time_to_regain_access").and_then(Value::as_u64))
            .max()?;
        Some(Duration::from_secs(minutes.saturating_mul(60)))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn retry_after_then_business_usage_then_backoff() {
        let policy = RetryPolicy { retries: 3, max_wait: Duration::from_secs(600) };
        let mut headers = HeaderMap::new();
        assert_eq!(policy.wait(0, &headers), Some(Duration::from_secs(1)));
        assert_eq!(policy.wait(2, &headers), Some(Duration::from_secs(4)));
        assert_eq!(policy.wait(3, &headers), None);
        headers.insert(
            "x-business-use-case-usage",
            HeaderValue::from_static(
                r#"{"102290129340398":[{"type":"whatsapp_business_management","call_count":100,"estimated_time_to_regain_access":3},{"type":"x","estimated_time_to_regain_access":1}]}"#,
            ),
        );
        assert_eq!(policy.wait(0, &headers), Some(Duration::from_secs(180)));
        headers.insert(axum::http::header::RETRY_AFTER, HeaderValue::from_static("12"));
        assert_eq!(policy.wait(0, &headers), Some(Duration::from_secs(12)));
        headers.insert(axum::http::header::RETRY_AFTER, HeaderValue::from_static("3600"));
        assert_eq!(policy.wait(0, &headers), None, "longer than the policy allows");
    }
}
