//! 360dialog's messaging API, through which a 360dialog account sends flow messages:
//! `POST https://waba-v2.360dialog.io/messages` with the channel's own `D360-API-KEY` (not the
//! partner key, which cannot send) and the Cloud API's message body, unchanged (the key names
//! the phone number, so no phone-number id is in the path). The answer is the Cloud API's
//! (`messages[0].id`); a refusal is Meta's error, bare or inside 360dialog's `meta` envelope,
//! and becomes the same plain words as through the other backends (not on WhatsApp 131026,
//! outside the 24-hour window 131047, flow not found 131009), but for a refused key, which
//! names the channel key an admin stores (`PUT /api/accounts/{id}/channel_key`).
//!
//! The key travels only in the header: it is in no message, log line or error of this module.
use std::time::Duration;

use axum::http::StatusCode;
use serde_json::Value;

use super::{BackendError, BackendResult, FailureKind};
use crate::config::Secret;
use crate::proxy::MAX_UPSTREAM_RESPONSE;

/// 360dialog's messaging API (the default of `--dialog360-messaging-url`).
pub const DEFAULT_URL: &str = "https://waba-v2.360dialog.io/messages";
/// The header the channel's key goes in.
pub const KEY_HEADER: &str = "D360-API-KEY";
/// Who answered, in messages.
pub const WHO: &str = "360dialog's messaging API";

/// The client of 360dialog's messaging API (cheap to clone).
#[derive(Clone)]
pub struct Dialog360Messaging {
    client: reqwest::Client,
    url: url::Url,
    timeout: Duration,
}

impl std::fmt::Debug for Dialog360Messaging {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Dialog360Messaging({})", self.url)
    }
}

impl Dialog360Messaging {
    /// Sends to `url` (the whole URL of `/messages`), waiting at most `timeout`.
    pub fn new(url: url::Url, timeout: Duration) -> Result<Self, String> {
        let client = crate::proxy::http_client(reqwest::redirect::Policy::none())?;
        Ok(Dialog360Messaging { client, url, timeout })
    }

    /// Sends `message` (the Cloud API's body) with the channel key `key`; answers WhatsApp's
    /// id of it (`wamid.…`).
    pub async fn send(&self, key: &Secret, message: &Value) -> BackendResult<String> {
        let response = self
            .client
            .post(self.url.clone())
            .timeout(self.timeout)
            .header(KEY_HEADER, key.expose())
            .header(reqwest::header::ACCEPT, "application/json")
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(serde_json::to_vec(message).unwrap_or_default())
            .send()
            .await
            .map_err(|error| {
                // reqwest's words may name the URL, never the headers.
                let kind = if error.is_timeout() { FailureKind::Timeout } else { FailureKind::Unavailable };
                BackendError::new(kind, format!("{WHO} could not be reached: {}", error.without_url()))
            })?;
        let status = StatusCode::from_u16(response.status().as_u16()).unwrap_or(StatusCode::BAD_GATEWAY);
        let bytes = read_limited(response).await?;
        let value: Option<Value> = serde_json::from_slice(&bytes).ok();
        if !status.is_success() {
            return Err(refusal(status, value.as_ref()));
        }
        value.as_ref().and_then(super::partner::message_id).ok_or_else(|| {
            BackendError::new(FailureKind::Unavailable, format!("{WHO} answered without the message's id"))
        })
    }
}

async fn read_limited(mut response: reqwest::Response) -> BackendResult<Vec<u8>> {
    let mut bytes = Vec::new();
    loop {
        match response.chunk().await {
            Ok(Some(chunk)) if bytes.len() + chunk.len() <= MAX_UPSTREAM_RESPONSE => {
                bytes.extend_from_slice(&chunk)
            }
            Ok(None) => return Ok(bytes),
            _ => {
                return Err(BackendError::new(
                    FailureKind::Unavailable,
                    format!("{WHO} sent an answer that could not be read"),
                ));
            }
        }
    }
}

/// The failure of an error answer: Meta's error bare (`{"error": {…}}`, the Cloud API passed
/// through) or inside 360dialog's envelope (`{"meta": {…}}`).
fn refusal(status: StatusCode, body: Option<&Value>) -> BackendError {
    let mut failure = if body.and_then(|body| body.get("error")).is_some_and(Value::is_object) {
        super::graph::errors::refusal(status, body)
    } else {
        super::partner::refusal(status, body, WHO)
    };
    if failure.kind == FailureKind::Credential {
        failure.message = "360dialog refused the channel API key stored with this account (revoked, or \
                           not this channel's): an admin must store the channel's current key (the admin \
                           page, or PUT /api/accounts/{id}/channel_key)"
            .to_owned();
    }
    failure
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn refusals_become_plain_words_whatever_their_envelope() {
        let bare = json!({"error": {"message": "(#131026) Message undeliverable", "code": 131026}});
        let error = refusal(StatusCode::BAD_REQUEST, Some(&bare));
        assert_eq!((error.kind, error.code), (FailureKind::Refused, Some(131026)));
        assert!(error.message.contains("not on WhatsApp"), "{}", error.message);
        let wrapped = json!({"meta": {"success": false, "http_code": 400, "developer_message": "Invalid payload",
            "error": "{\"error\":{\"message\":\"Re-engagement message\",\"code\":131047}}"}});
        let error = refusal(StatusCode::BAD_REQUEST, Some(&wrapped));
        assert_eq!((error.kind, error.code), (FailureKind::Refused, Some(131047)));
        assert!(error.message.starts_with("More than 24 hours"), "{}", error.message);
        let bad_key =
            json!({"meta": {"success": false, "http_code": 401, "developer_message": "Invalid api_key"}});
        let error = refusal(StatusCode::UNAUTHORIZED, Some(&bad_key));
        assert_eq!(error.kind, FailureKind::Credential);
        assert!(error.message.contains("channel API key"), "{}", error.message);
        let error = refusal(StatusCode::BAD_GATEWAY, None);
        assert_eq!(error.kind, FailureKind::Unavailable);
    }
}
