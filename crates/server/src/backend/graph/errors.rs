//! Graph's error object (`{"error": {message, type, code, error_subcode, error_user_title,
//! error_user_msg, fbtrace_id}}`) as a [`BackendError`]: the same kinds and words as the
//! Partner API's (which wraps the same object), so the app cannot tell the backends apart.
use axum::http::StatusCode;
use serde_json::Value;

use crate::backend::{BackendError, FailureKind};

/// Who answered, in messages.
pub const WHO: &str = "Meta's Graph API";

/// The failure of an error answer with `status` and (maybe) Graph's error object in `body`.
pub fn refusal(status: StatusCode, body: Option<&Value>) -> BackendError {
    let error = body.and_then(|body| body.get("error"));
    let number = |key: &str| error.and_then(|error| error.get(key)).and_then(Value::as_u64);
    let text = |key: &str| {
        error.and_then(|error| error.get(key)).and_then(Value::as_str).filter(|text| !text.is_empty())
    };
    let (code, subcode) = (number("code"), number("error_subcode"));
    let detail = match (text("error_user_title"), text("error_user_msg"), text("message")) {
        (Some(title), Some(user), _) if !user.starts_with(title) => format!("{title}: {user}"),
        (_, Some(user), _) => user.to_owned(),
        (_, None, Some(message)) => message.to_owned(),
        (_, None, None) => format!("{WHO} answered HTTP {}", status.as_u16()),
    };
    let detail: String = detail.chars().take(1000).collect();
    let kind = FailureKind::of_meta(status, code, subcode);
    BackendError { kind, status: Some(status), code, message: kind.explain(WHO, code, &detail) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn error(code: u64, subcode: Option<u64>) -> Value {
        json!({"error": {"message": "(#x) Something", "type": "OAuthException", "code": code,
            "error_subcode": subcode, "fbtrace_id": "A1"}})
    }

    #[test]
    fn codes_become_the_failures_the_partner_api_gives() {
        let kind = |status: u16, code: u64, subcode: Option<u64>| {
            refusal(StatusCode::from_u16(status).unwrap(), Some(&error(code, subcode))).kind
        };
        assert_eq!(kind(401, 190, Some(463)), FailureKind::Credential);
        assert_eq!(kind(400, 190, None), FailureKind::Credential);
        assert_eq!(kind(403, 10, None), FailureKind::Permission);
        assert_eq!(kind(400, 200, None), FailureKind::Permission);
        for code in [4, 80007, 130429] {
            assert_eq!(kind(400, code, None), FailureKind::RateLimited, "{code}");
        }
        assert_eq!(kind(400, 100, Some(33)), FailureKind::NotFound);
        assert_eq!(kind(400, 139002, None), FailureKind::Refused);
        assert_eq!(kind(500, 2, None), FailureKind::Unavailable);
    }

    #[test]
    fn the_message_is_meta_s_words_for_people() {
        let body = json!({"error": {"message": "(#139002) Publishing Flow in invalid state", "code": 139002,
            "error_user_title": "Flow can't be published", "error_user_msg": "Fix the validation errors first"}});
        let failure = refusal(StatusCode::BAD_REQUEST, Some(&body));
        assert_eq!(failure.code, Some(139002));
        assert_eq!(failure.message, "Flow can't be published: Fix the validation errors first");
        let expired = refusal(
            StatusCode::UNAUTHORIZED,
            Some(
                &json!({"error": {"message": "Error validating access token: Session has expired", "code": 190}}),
            ),
        );
        assert!(expired.message.contains("expired or invalid"), "{}", expired.message);
        assert!(expired.message.contains("Session has expired"), "{}", expired.message);
        let bare = refusal(StatusCode::BAD_GATEWAY, None);
        assert_eq!(
            (bare.kind, bare.message.as_str()),
            (FailureKind::Unavailable, "Meta's Graph API answered HTTP 502")
        );
    }
}
