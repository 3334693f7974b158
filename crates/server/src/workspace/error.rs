//! The workspace API's one error type and its envelope:
//!
//! ```json
//! {"status": "error", "error": {"code": "stale_revision", "message": "…", "trace_id": "…"}}
//! ```
//!
//! `code` is stable (clients branch on it), `message` says what happened and what to do, and
//! `trace_id` is the request's id, also in the `x-request-id` header and the log. Some errors
//! carry more: the flow as it is now (`current`, on a stale revision), the field at fault
//! (`field`), WhatsApp's error code (`meta_code`).
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};

use super::store::StoreError;
use crate::backend::{BackendError, FailureKind};
use crate::error::{json_response, request_id};

/// Everything the workspace API refuses or fails at.
#[derive(Debug)]
pub enum WorkspaceError {
    /// 400 `invalid_json`: the body (or `json_definition`) is not JSON.
    InvalidJson(String),
    /// 400 `invalid_request`: a field or parameter is wrong.
    Invalid {
        /// The field or parameter.
        field: &'static str,
        /// What is wrong with it.
        message: String,
    },
    /// 422 `invalid_message`: a flow message WhatsApp would refuse or that would open a broken
    /// screen; each problem as `(field, message)`, fields named as the send body names them.
    InvalidMessage(Vec<(String, String)>),
    /// 415 `unsupported_media_type`.
    UnsupportedMediaType,
    /// 404 `not_found`: no such flow, version or account (the message says which).
    NotFound(String),
    /// 409 `stale_revision`: someone saved the flow since the revision the client sent.
    StaleRevision {
        /// The flow as it is now (no flow.json): revision, who and when.
        current: Value,
    },
    /// 409 `read_only`: the flow cannot be changed in its state (published, in the trash).
    ReadOnly(String),
    /// 409 `name_taken`: another flow of the account has this name.
    NameTaken(String),
    /// 409 `unsaved_changes`: the operation needs the flow saved to WhatsApp first.
    UnsavedChanges(String),
    /// 409 `not_on_whatsapp`: the flow was never saved to WhatsApp.
    NotOnWhatsApp(String),
    /// 409 `no_conflict`: there is no sync conflict to resolve.
    NoConflict,
    /// 413 `flow_too_large`.
    TooLarge {
        /// The limit in bytes.
        limit: usize,
    },
    /// 401 `sign_in_required`: no session, or it ended (the message says which).
    SignInRequired(String),
    /// 401 `invalid_credentials`: the name or the password is wrong (never which).
    InvalidCredentials,
    /// 403 `forbidden`: the signed-in user's role does not allow this, or the request came
    /// from another site (the message says which and why).
    Forbidden(String),
    /// 429 `too_many_attempts`: too many failed sign-ins; try again after this many seconds.
    TooManyAttempts {
        /// Seconds until the next attempt is considered (also the `Retry-After` header).
        retry_after: u64,
    },
    /// WhatsApp (through the account's backend) refused or failed.
    Backend(BackendError),
    /// The database failed.
    Storage(StoreError),
}

impl WorkspaceError {
    /// A 400 naming `field`.
    pub fn invalid(field: &'static str, message: impl Into<String>) -> Self {
        WorkspaceError::Invalid { field, message: message.into() }
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        match self {
            WorkspaceError::InvalidJson(_) | WorkspaceError::Invalid { .. } => StatusCode::BAD_REQUEST,
            WorkspaceError::InvalidMessage(_) => StatusCode::UNPROCESSABLE_ENTITY,
            WorkspaceError::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            WorkspaceError::NotFound(_) => StatusCode::NOT_FOUND,
            WorkspaceError::StaleRevision { .. }
            | WorkspaceError::ReadOnly(_)
            | WorkspaceError::NameTaken(_)
            | WorkspaceError::UnsavedChanges(_)
            | WorkspaceError::NotOnWhatsApp(_)
            | WorkspaceError::NoConflict => StatusCode::CONFLICT,
            WorkspaceError::TooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            WorkspaceError::SignInRequired(_) | WorkspaceError::InvalidCredentials => {
                StatusCode::UNAUTHORIZED
            }
            WorkspaceError::Forbidden(_) => StatusCode::FORBIDDEN,
            WorkspaceError::TooManyAttempts { .. } => StatusCode::TOO_MANY_REQUESTS,
            WorkspaceError::Backend(error) => match error.kind {
                FailureKind::Refused => StatusCode::UNPROCESSABLE_ENTITY,
                FailureKind::NotFound => StatusCode::NOT_FOUND,
                FailureKind::Unavailable => StatusCode::BAD_GATEWAY,
                FailureKind::Timeout => StatusCode::GATEWAY_TIMEOUT,
                FailureKind::NotConfigured => StatusCode::SERVICE_UNAVAILABLE,
                // Not 401/403: those are about the person signed in here, not the server's token.
                FailureKind::Credential | FailureKind::Permission => StatusCode::BAD_GATEWAY,
                FailureKind::RateLimited => StatusCode::TOO_MANY_REQUESTS,
                FailureKind::Unsupported => StatusCode::CONFLICT,
            },
            WorkspaceError::Storage(error) => match error {
                StoreError::Full(_) => StatusCode::INSUFFICIENT_STORAGE,
                StoreError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
                StoreError::Unique(_) => StatusCode::CONFLICT,
                StoreError::Other(_) => StatusCode::INTERNAL_SERVER_ERROR,
            },
        }
    }

    /// The stable code.
    pub fn code(&self) -> &'static str {
        match self {
            WorkspaceError::InvalidJson(_) => "invalid_json",
            WorkspaceError::Invalid { .. } => "invalid_request",
            WorkspaceError::InvalidMessage(_) => "invalid_message",
            WorkspaceError::UnsupportedMediaType => "unsupported_media_type",
            WorkspaceError::NotFound(_) => "not_found",
            WorkspaceError::StaleRevision { .. } => "stale_revision",
            WorkspaceError::ReadOnly(_) => "read_only",
            WorkspaceError::NameTaken(_) => "name_taken",
            WorkspaceError::UnsavedChanges(_) => "unsaved_changes",
            WorkspaceError::NotOnWhatsApp(_) => "not_on_whatsapp",
            WorkspaceError::NoConflict => "no_conflict",
            WorkspaceError::TooLarge { .. } => "flow_too_large",
            WorkspaceError::SignInRequired(_) => "sign_in_required",
            WorkspaceError::InvalidCredentials => "invalid_credentials",
            WorkspaceError::Forbidden(_) => "forbidden",
            WorkspaceError::TooManyAttempts { .. } => "too_many_attempts",
            WorkspaceError::Backend(error) => match error.kind {
                FailureKind::Refused => "whatsapp_refused",
                FailureKind::NotFound => "whatsapp_not_found",
                FailureKind::Unavailable => "whatsapp_unavailable",
                FailureKind::Timeout => "whatsapp_timeout",
                FailureKind::NotConfigured => "backend_not_configured",
                FailureKind::Credential => "whatsapp_credential_refused",
                FailureKind::Permission => "whatsapp_permission_denied",
                FailureKind::RateLimited => "whatsapp_rate_limited",
                FailureKind::Unsupported => "account_cannot_do_this",
            },
            WorkspaceError::Storage(error) => match error {
                StoreError::Full(_) => "storage_full",
                StoreError::Unavailable(_) => "storage_unavailable",
                StoreError::Unique(_) => "name_taken",
                StoreError::Other(_) => "internal",
            },
        }
    }

    /// What happened and what to do, for people.
    pub fn message(&self) -> String {
        match self {
            WorkspaceError::InvalidJson(message) => message.clone(),
            WorkspaceError::Invalid { field, message } => format!("{field}: {message}"),
            WorkspaceError::InvalidMessage(fields) => {
                let all: Vec<String> =
                    fields.iter().map(|(field, message)| format!("{field}: {message}")).collect();
                format!("WhatsApp would refuse this message; nothing was sent. {}", all.join("; "))
            }
            WorkspaceError::UnsupportedMediaType => {
                "Send the body as JSON (Content-Type: application/json)".to_owned()
            }
            WorkspaceError::NotFound(message)
            | WorkspaceError::ReadOnly(message)
            | WorkspaceError::NameTaken(message)
            | WorkspaceError::UnsavedChanges(message)
            | WorkspaceError::NotOnWhatsApp(message)
            | WorkspaceError::SignInRequired(message)
            | WorkspaceError::Forbidden(message) => message.clone(),
            WorkspaceError::InvalidCredentials => {
                "Wrong user name or password; try again (an admin can reset a password with \
                 `flowsmith user reset-password`)"
                    .to_owned()
            }
            WorkspaceError::TooManyAttempts { retry_after } => format!(
                "Too many failed sign-ins; wait {retry_after} s before trying again (nothing was checked)"
            ),
            WorkspaceError::StaleRevision { current } => {
                let who = current.get("updated_by").and_then(Value::as_str).unwrap_or("someone");
                let revision = current.get("revision").and_then(Value::as_i64).unwrap_or_default();
                format!(
                    "{who} saved this flow meanwhile (it is now at revision {revision}); nothing was overwritten: \
                     compare, then take theirs or save yours again with revision {revision}"
                )
            }
            WorkspaceError::NoConflict => "This flow has no sync conflict to resolve".to_owned(),
            WorkspaceError::TooLarge { limit } => {
                format!(
                    "The flow.json is larger than WhatsApp accepts ({} MB); nothing was saved",
                    limit / (1024 * 1024)
                )
            }
            WorkspaceError::Backend(error) => format!("WhatsApp: {}", error.message),
            WorkspaceError::Storage(error) => match error {
                StoreError::Full(_) => {
                    "The workspace's disk is full; nothing was saved. Free space and try again".to_owned()
                }
                StoreError::Unavailable(_) => {
                    "The workspace's database cannot be reached right now; nothing was saved. Try again"
                        .to_owned()
                }
                StoreError::Unique(_) => {
                    "Another flow of this account has this name; choose another".to_owned()
                }
                StoreError::Other(_) => {
                    "Internal error; the server log has the details under this trace id".to_owned()
                }
            },
        }
    }

    /// The envelope, as JSON.
    pub fn envelope(&self, trace_id: &str) -> Value {
        let mut error = Map::new();
        error.insert("code".to_owned(), json!(self.code()));
        error.insert("message".to_owned(), json!(self.message()));
        error.insert("trace_id".to_owned(), json!(trace_id));
        match self {
            WorkspaceError::Invalid { field, .. } => {
                error.insert("field".to_owned(), json!(field));
            }
            WorkspaceError::StaleRevision { current } => {
                error.insert("current".to_owned(), current.clone());
            }
            WorkspaceError::InvalidMessage(fields) => {
                let fields: Vec<Value> = fields
                    .iter()
                    .map(|(field, message)| json!({"field": field, "message": message}))
                    .collect();
                error.insert("fields".to_owned(), Value::Array(fields));
            }
            WorkspaceError::Backend(backend) => {
                if let Some(code) = backend.code {
                    error.insert("meta_code".to_owned(), json!(code));
                }
            }
            _ => {}
        }
        json!({ "status": "error", "error": error })
    }
}

impl From<StoreError> for WorkspaceError {
    fn from(error: StoreError) -> Self {
        WorkspaceError::Storage(error)
    }
}

impl From<sqlx::Error> for WorkspaceError {
    fn from(error: sqlx::Error) -> Self {
        WorkspaceError::Storage(StoreError::from(error))
    }
}

impl From<BackendError> for WorkspaceError {
    fn from(error: BackendError) -> Self {
        WorkspaceError::Backend(error)
    }
}

impl IntoResponse for WorkspaceError {
    fn into_response(self) -> Response {
        let trace_id = request_id();
        let status = self.status();
        match &self {
            WorkspaceError::Storage(
                cause @ (StoreError::Other(_) | StoreError::Full(_) | StoreError::Unavailable(_)),
            ) => {
                tracing::error!(trace_id, %cause, "workspace storage failed");
            }
            WorkspaceError::Backend(cause) if status.is_server_error() => {
                tracing::warn!(trace_id, %cause, status = status.as_u16(), "backend failed");
            }
            _ => tracing::debug!(trace_id, code = self.code(), "refused"),
        }
        let mut response = json_response(status, &self.envelope(&trace_id));
        if let WorkspaceError::TooManyAttempts { retry_after } = self {
            response.headers_mut().insert(axum::http::header::RETRY_AFTER, retry_after.into());
        }
        response
    }
}

/// The success envelope: `{"status": "success", "data": …}`.
pub fn success(status: StatusCode, data: Value) -> Response {
    json_response(status, &json!({ "status": "success", "data": data }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_envelope_has_code_message_and_trace() {
        let body = WorkspaceError::invalid("limit", "must be between 1 and 100").envelope("t1");
        assert_eq!(
            body,
            json!({"status": "error", "error": {"code": "invalid_request", "message": "limit: must be between 1 and 100",
                "trace_id": "t1", "field": "limit"}})
        );
        let stale = WorkspaceError::StaleRevision { current: json!({"revision": 4, "updated_by": "Ana"}) };
        assert_eq!(stale.status(), StatusCode::CONFLICT);
        assert!(stale.message().starts_with("Ana saved this flow meanwhile (it is now at revision 4)"));
        assert_eq!(stale.envelope("t")["error"]["current"]["revision"], 4);
    }

    #[test]
    fn storage_failures_never_show_the_database_message() {
        let error =
            WorkspaceError::from(StoreError::Other("relation \"flows\" at postgres://u:pw@h".to_owned()));
        let body = error.envelope("t").to_string();
        assert!(!body.contains("pw") && !body.contains("relation"), "{body}");
        assert_eq!(error.status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(
            WorkspaceError::from(StoreError::Full(String::new())).status(),
            StatusCode::INSUFFICIENT_STORAGE
        );
    }
}
