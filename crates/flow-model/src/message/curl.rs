//! The cURL command that sends a message through an account's backend, to show next to the
//! JSON. Secrets are never written: the command reads them from the shell (`$TOKEN`,
//! `$D360_API_KEY`, `$SANDBOX_API_KEY`), so it can be copied, logged and shared as it is.
//!
//! - Meta's Cloud API: `POST https://graph.facebook.com/{version}/{phone-number-id}/messages`
//!   with `Authorization: Bearer` (Flow Messages reference, its example request).
//! - 360dialog's messaging API: `POST https://waba-v2.360dialog.io/messages` with the channel's
//!   `D360-API-KEY`, the same body; the key names the number (partner-api.md §4.2).
//! - The sandbox stands in for 360dialog (crates/server/src/sandbox), so it takes the same
//!   request at its own base URL, with its key in `X-API-Key` (`$SANDBOX_API_KEY`).
use serde_json::Value;

/// Where a message goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Backend {
    /// Meta's Cloud API, for the business phone number `phone_number_id`, at Graph API
    /// `version` (e.g. `v21.0`).
    Graph {
        /// The sending number's id at Meta.
        phone_number_id: String,
        /// The Graph API version, e.g. `v21.0`.
        version: String,
    },
    /// 360dialog's messaging API (the channel's API key names the number).
    Dialog360,
    /// Flowsmith's sandbox at `base` (e.g. `http://127.0.0.1:8080/sandbox`).
    Sandbox {
        /// The sandbox's base URL, without a trailing `/`.
        base: String,
    },
}

/// 360dialog's messaging API.
pub const DIALOG360_MESSAGES_URL: &str = "https://waba-v2.360dialog.io/messages";
/// Meta's Graph API host.
pub const GRAPH_URL: &str = "https://graph.facebook.com";

impl Backend {
    /// The URL a message is POSTed to.
    pub fn messages_url(&self) -> String {
        match self {
            Backend::Graph { phone_number_id, version } => {
                format!("{GRAPH_URL}/{version}/{phone_number_id}/messages")
            }
            Backend::Dialog360 => DIALOG360_MESSAGES_URL.to_owned(),
            Backend::Sandbox { base } => format!("{}/messages", base.trim_end_matches('/')),
        }
    }

    /// The credential header, reading its secret from a shell variable. In double quotes so
    /// the shell expands the variable (single quotes would send `$TOKEN` itself).
    fn credential(&self) -> &'static str {
        match self {
            Backend::Graph { .. } => "\"Authorization: Bearer $TOKEN\"",
            Backend::Dialog360 => "\"D360-API-KEY: $D360_API_KEY\"",
            // The sandbox takes its key as the Partner API does (`--sandbox-api-key`).
            Backend::Sandbox { .. } => "\"X-API-Key: $SANDBOX_API_KEY\"",
        }
    }
}

/// The cURL command that POSTs `message` (a message body, e.g. [`FlowMessage::to_json`]'s)
/// to `backend`: every value in single quotes, so nothing in it is read by the shell.
///
/// [`FlowMessage::to_json`]: super::FlowMessage::to_json
pub fn curl(message: &Value, backend: &Backend) -> String {
    let body = serde_json::to_string_pretty(message).unwrap_or_default();
    format!(
        "curl -X POST {} \\\n  -H {} \\\n  -H 'Content-Type: application/json' \\\n  -d {}",
        quote(&backend.messages_url()),
        backend.credential(),
        quote(&body)
    )
}

/// `text` as one shell word: in single quotes, each `'` written as `'\''` (close the quotes,
/// an escaped quote, open them again).
pub fn quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', "'\\''"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_survive_the_shell() {
        assert_eq!(quote("it's"), "'it'\\''s'");
        assert_eq!(quote("$HOME `x` \"y\""), "'$HOME `x` \"y\"'");
    }

    #[test]
    fn each_backend_has_its_url_and_credential() {
        let graph = Backend::Graph { phone_number_id: "106540352242922".into(), version: "v21.0".into() };
        assert_eq!(graph.messages_url(), "https://graph.facebook.com/v21.0/106540352242922/messages");
        assert_eq!(
            Backend::Sandbox { base: "http://127.0.0.1:8080/sandbox/".into() }.messages_url(),
            "http://127.0.0.1:8080/sandbox/messages"
        );
        let command = curl(&serde_json::json!({"a": "b"}), &Backend::Dialog360);
        assert_eq!(
            command,
            "curl -X POST 'https://waba-v2.360dialog.io/messages' \\\n  -H \"D360-API-KEY: $D360_API_KEY\" \\\n  \
             -H 'Content-Type: application/json' \\\n  -d '{\n  \"a\": \"b\"\n}'"
        );
    }
}
