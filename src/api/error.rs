//! Errors of the Partner API, read from 360dialog's envelope and said in the user's terms.
//!
//! The envelope is `{"meta": {"success": false, "http_code": 404, "developer_message": "…",
//! "360dialog_trace_id": "…", "details": {…}}}`; older 360dialog answers spell it in camelCase
//! (`httpCode`, `developerMessage`). Meta's own refusals (codes 100 and 1390xx) come as Graph's
//! error object, in `meta.details.error`, in `meta.error` (an object or a JSON string), or
//! inside the developer message after "Invalid payload (".
use std::fmt;

use serde_json::Value;

/// Meta's Graph error, as 360dialog passes it on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GraphError {
    /// Graph's code, e.g. 139002.
    pub code: u64,
    /// Meta's title for the case (`error_user_title`, else `message`).
    pub title: String,
    /// What happened, for people (`error_user_msg`).
    pub detail: String,
}

/// What went wrong, in the terms the UI explains.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// No answer: the connection failed.
    Offline,
    /// The answer was not the API's (a proxy's HTML page, a cut-off body).
    Unexpected,
    /// The request itself was not sent: an id or a flow the client refused before sending.
    Refused,
    /// 400 without Meta's error: a field of the request is wrong.
    WrongPayload,
    /// Meta refused the operation (Graph error).
    Meta,
    /// 401: the key was refused (missing, expired, revoked).
    Unauthorized,
    /// 403: the key does not reach this partner or account.
    Forbidden,
    /// 404: no such partner path, WABA account or flow.
    NotFound,
    /// 413: the body is over the server's limit.
    TooLarge,
    /// 502 or 504: 360dialog (or the sandbox) failed or did not answer in time.
    Upstream,
    /// Any other 5xx: the server failed.
    Server,
}

/// A failed API call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// What kind of failure.
    pub kind: ErrorKind,
    /// The HTTP status, when an answer came.
    pub status: Option<u16>,
    /// The developer message of the envelope (or what we know).
    pub message: String,
    /// `360dialog_trace_id`, to quote when asking for help.
    pub trace_id: Option<String>,
    /// Meta's error, when Meta refused.
    pub graph: Option<GraphError>,
}

impl ApiError {
    /// No answer came.
    pub fn offline(cause: impl Into<String>) -> Self {
        ApiError {
            kind: ErrorKind::Offline,
            status: None,
            message: cause.into(),
            trace_id: None,
            graph: None,
        }
    }

    /// Refused by the client before sending.
    pub fn refused(message: impl Into<String>) -> Self {
        ApiError {
            kind: ErrorKind::Refused,
            status: None,
            message: message.into(),
            trace_id: None,
            graph: None,
        }
    }

    /// Reads a failed answer (status not 2xx, or a 2xx body that is not what was expected).
    pub fn from_answer(status: u16, body: &str) -> Self {
        let parsed: Option<Value> = flow_model::json::read(body).ok();
        let meta = parsed.as_ref().and_then(|value| value.get("meta")).filter(|meta| meta.is_object());
        let read = |names: &[&str]| {
            names.iter().find_map(|name| meta.and_then(|meta| meta.get(*name)).filter(|v| !v.is_null()))
        };
        let code =
            read(&["http_code", "httpCode"]).and_then(Value::as_u64).and_then(|c| u16::try_from(c).ok());
        let status = code.filter(|code| *code >= 400).unwrap_or(status);
        let message = read(&["developer_message", "developerMessage"])
            .and_then(Value::as_str)
            .map(str::to_owned)
            .or_else(|| parsed.as_ref().and_then(plain_error_message))
            .unwrap_or_default();
        let trace_id = read(&["360dialog_trace_id", "360dialogTraceId", "traceId", "trace_id"])
            .and_then(Value::as_str)
            .map(str::to_owned);
        let graph = meta.and_then(|meta| graph_error(meta, &message));
        let kind = match (status, &graph, parsed.is_some()) {
            (_, Some(_), _) => ErrorKind::Meta,
            (400, None, true) => ErrorKind::WrongPayload,
            (401, ..) => ErrorKind::Unauthorized,
            (403, ..) => ErrorKind::Forbidden,
            (404, _, true) => ErrorKind::NotFound,
            (413, ..) => ErrorKind::TooLarge,
            (502 | 504, ..) => ErrorKind::Upstream,
            (500..=599, ..) => ErrorKind::Server,
            _ => ErrorKind::Unexpected,
        };
        ApiError { kind, status: Some(status), message, trace_id, graph }
    }

    /// A 2xx answer whose body is not what the operation returns.
    pub fn unexpected(status: u16, what: &str) -> Self {
        ApiError {
            kind: ErrorKind::Unexpected,
            status: Some(status),
            message: format!("the answer is not {what}"),
            trace_id: None,
            graph: None,
        }
    }

    /// Meta's error code, when Meta refused.
    pub fn graph_code(&self) -> Option<u64> {
        self.graph.as_ref().map(|graph| graph.code)
    }

    /// The message for people: what happened and what to do. Never a key, never raw JSON.
    pub fn for_people(&self) -> String {
        let said = self.message.trim().trim_end_matches('.');
        let mut text = match self.kind {
            ErrorKind::Offline => {
                "The server could not be reached: check your connection (or whether flowsmith serve is running), then try again.".to_owned()
            }
            ErrorKind::Unexpected => format!(
                "The server gave an answer Flowsmith cannot read{}; try again, and check the server address if it persists.",
                self.status.map(|status| format!(" (HTTP {status})")).unwrap_or_default()
            ),
            ErrorKind::Refused => format!("{said}."),
            ErrorKind::WrongPayload => format!("The request was refused as malformed: {said}."),
            ErrorKind::Meta => match &self.graph {
                Some(graph) if graph.detail.is_empty() => format!("WhatsApp refused: {} (#{}).", graph.title, graph.code),
                Some(graph) => format!(
                    "WhatsApp refused: {} (#{}). {}",
                    graph.title,
                    graph.code,
                    sentence(&graph.detail)
                ),
                None => format!("WhatsApp refused: {said}."),
            },
            ErrorKind::Unauthorized => format!(
                "The API key was refused ({}): it may be missing, expired or revoked. Check the key in Connection, or the server's key.",
                if said.is_empty() { "401" } else { said }
            ),
            ErrorKind::Forbidden => format!("Access denied: {said}. Check the partner id and account in Connection."),
            ErrorKind::NotFound => format!("Not found: {said}. Check the partner id and account in Connection, or reload the flows list."),
            ErrorKind::TooLarge => format!("Too large for the server: {said}."),
            ErrorKind::Upstream => format!("The Partner API failed or did not answer in time: {said}. Try again in a moment."),
            ErrorKind::Server => format!("The server failed: {said}. Try again; if it persists, its log has the details."),
        };
        if let Some(trace) = &self.trace_id {
            text.push_str(&format!(" (trace id {trace})"));
        }
        text
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.for_people())
    }
}

fn sentence(text: &str) -> String {
    let text = text.trim();
    if text.ends_with(['.', '!', '?']) { text.to_owned() } else { format!("{text}.") }
}

/// A non-envelope error body some proxies answer: `{"error": "…"}` or `{"message": "…"}`.
fn plain_error_message(value: &Value) -> Option<String> {
    ["error", "message", "detail"].iter().find_map(|key| value.get(*key)?.as_str().map(str::to_owned))
}

/// Graph's error from wherever this envelope carries it.
fn graph_error(meta: &Value, message: &str) -> Option<GraphError> {
    let from_value = |value: &Value| -> Option<GraphError> {
        let error = value.get("error").unwrap_or(value);
        match error {
            Value::String(text) => flow_model::json::read(text).ok().and_then(|v| from_object(&v)),
            other => from_object(other),
        }
    };
    meta.get("details").and_then(from_value).or_else(|| meta.get("error").and_then(from_value)).or_else(
        || {
            // "Invalid payload ({"error": {…}})"
            let start = message.find('{')?;
            let end = message.rfind('}')?;
            let inner: Value = flow_model::json::read(message.get(start..=end)?).ok()?;
            from_object(&inner)
        },
    )
}

fn from_object(value: &Value) -> Option<GraphError> {
    let error = value.get("error").filter(|e| e.is_object()).unwrap_or(value);
    let code = error.get("code")?.as_u64()?;
    let text = |key: &str| error.get(key).and_then(Value::as_str).unwrap_or_default().to_owned();
    let title = Some(text("error_user_title")).filter(|t| !t.is_empty()).unwrap_or_else(|| text("message"));
    Some(GraphError { code, title, detail: text("error_user_msg") })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snake_case_envelope_with_a_graph_error() {
        let body = r#"{"meta": {"success": false, "http_code": 400,
            "developer_message": "(#139002) Publishing Flow with validation errors: fix them",
            "360dialog_trace_id": "t1",
            "details": {"error": {"message": "(#139002) Publishing Flow with validation errors", "code": 139002,
              "error_user_title": "Publishing Flow with validation errors", "error_user_msg": "The flow.json has 1 validation error(s)"}}}}"#;
        let error = ApiError::from_answer(400, body);
        assert_eq!(error.kind, ErrorKind::Meta);
        assert_eq!(error.graph_code(), Some(139002));
        assert_eq!(error.trace_id.as_deref(), Some("t1"));
        assert_eq!(
            error.for_people(),
            "WhatsApp refused: Publishing Flow with validation errors (#139002). The flow.json has 1 validation error(s). (trace id t1)"
        );
    }

    #[test]
    fn camel_case_envelope() {
        let body = r#"{"meta": {"httpCode": 403, "developerMessage": "Permission denied for partner x", "success": false}}"#;
        let error = ApiError::from_answer(403, body);
        assert_eq!(error.kind, ErrorKind::Forbidden);
        assert_eq!(error.message, "Permission denied for partner x");
        assert!(error.for_people().contains("Check the partner id"));
    }

    #[test]
    fn graph_error_inside_the_developer_message_or_as_a_string() {
        let inner = r#"{\"error\":{\"message\":\"Invalid parameter\",\"code\":100,\"error_user_title\":\"Name taken\",\"error_user_msg\":\"Choose another\"}}"#;
        let body = format!(
            r#"{{"meta": {{"success": false, "http_code": 400, "developer_message": "Invalid payload ({inner})"}}}}"#
        );
        let error = ApiError::from_answer(400, &body);
        assert_eq!(
            error.graph,
            Some(GraphError { code: 100, title: "Name taken".into(), detail: "Choose another".into() })
        );
        let body = format!(
            r#"{{"meta": {{"success": false, "http_code": 400, "developer_message": "x", "error": "{inner}"}}}}"#
        );
        assert_eq!(ApiError::from_answer(400, &body).graph_code(), Some(100));
    }

    #[test]
    fn answers_that_are_not_the_api() {
        let error = ApiError::from_answer(502, "<html>Bad gateway</html>");
        assert_eq!(error.kind, ErrorKind::Upstream);
        let error = ApiError::from_answer(404, "<html>nope</html>");
        assert_eq!(error.kind, ErrorKind::Unexpected);
        assert!(error.for_people().contains("HTTP 404"));
        assert!(ApiError::offline("TypeError").for_people().starts_with("The server could not be reached"));
    }

    #[test]
    fn unauthorized_says_what_to_do() {
        let body =
            r#"{"meta": {"success": false, "http_code": 401, "developer_message": "Invalid api key"}}"#;
        let text = ApiError::from_answer(401, body).for_people();
        assert!(text.contains("Invalid api key") && text.contains("expired"), "{text}");
    }
}
