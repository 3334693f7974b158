//! The one error type of the HTTP surface, answered in 360dialog's error envelope:
//!
//! ```json
//! {"meta": {"success": false, "http_code": 404, "developer_message": "…", "360dialog_trace_id": "…"}}
//! ```
//!
//! `360dialog_trace_id` is this request's id (also in the `x-request-id` header and the logs).
//! Errors that Meta would raise (the `1390xx` lifecycle codes, code 100) are 400s that carry
//! Graph's error object in `meta.details.error`, so clients can read the code. No message ever
//! holds a credential: they are built from our own words and from validated ids only.
use std::time::Duration;

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};

tokio::task_local! {
    /// The id of the request being answered (set by the request-id middleware).
    pub static REQUEST_ID: String;
}

/// The current request's id, or a fresh one outside a request.
pub fn request_id() -> String {
    REQUEST_ID.try_with(Clone::clone).unwrap_or_else(|_| crate::ids::request_id())
}

/// An error raised by Meta's Graph API, as 360dialog passes it on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GraphError {
    /// Graph's error code, e.g. 139002.
    pub code: u32,
    /// Meta's title for the case, e.g. "Publishing Flow in invalid state".
    pub title: &'static str,
    /// What happened and what to do, for people.
    pub detail: String,
}

impl GraphError {
    /// A Graph error with Meta's code and title.
    pub fn new(code: u32, title: &'static str, detail: impl Into<String>) -> Self {
        GraphError { code, title, detail: detail.into() }
    }

    fn to_json(&self, trace_id: &str) -> Value {
        json!({
            "message": format!("(#{}) {}", self.code, self.title),
            "type": "OAuthException",
            "code": self.code,
            "error_user_title": self.title,
            "error_user_msg": self.detail,
            "fbtrace_id": trace_id,
        })
    }
}

/// Everything that can go wrong while answering a request.
#[derive(Debug)]
pub enum ApiError {
    /// 400: the request is malformed; `details` says which field, keyed by where it was
    /// (`json`, `form`, `files`, `query`).
    WrongPayload {
        /// What is wrong, for people.
        message: String,
        /// Per-field problems.
        details: Option<Value>,
    },
    /// 400: Meta refused the operation.
    Graph(GraphError),
    /// 401: no key, or not the right one.
    Unauthorized(&'static str),
    /// 403: the key does not reach this resource, or the request came from a foreign web page.
    Forbidden(String),
    /// 404: no such route or resource.
    NotFound(String),
    /// 405: the route exists, the method does not.
    MethodNotAllowed,
    /// 413: the body is larger than the configured limit.
    PayloadTooLarge {
        /// The limit in bytes.
        limit: usize,
    },
    /// 415: a body of a type the operation does not read.
    UnsupportedMediaType(String),
    /// 502: the upstream could not be reached or answered with a failure of its own.
    BadGateway(String),
    /// 504: the upstream did not answer in time.
    UpstreamTimeout {
        /// What we waited for.
        what: &'static str,
        /// How long.
        after: Duration,
    },
    /// 504: this server did not finish the request in time.
    RequestTimeout(Duration),
    /// 507: the sandbox's disk (or its size cap) is full; nothing was written.
    StorageFull(String),
    /// 503: the sandbox's data folder cannot be written; nothing was written.
    StorageUnavailable(String),
    /// 500: a bug or an unexpected failure; details are in the log under the trace id.
    Internal(String),
}

impl ApiError {
    /// 400 with a message only.
    pub fn wrong_payload(message: impl Into<String>) -> Self {
        ApiError::WrongPayload { message: message.into(), details: None }
    }

    /// 400 naming one field: `{"<location>": {"<field>": ["<problem>"]}}`.
    pub fn field(location: &str, field: &str, problem: impl Into<String>) -> Self {
        let problem = problem.into();
        ApiError::WrongPayload {
            message: format!("Wrong payload: {field}: {problem}"),
            details: Some(json!({ location: { field: [problem] } })),
        }
    }

    /// 404 for an unknown flow (Graph code 100's wording).
    pub fn flow_not_found() -> Self {
        ApiError::NotFound("Flow with specified ID does not exist".to_owned())
    }

    /// The HTTP status this error is answered with.
    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::WrongPayload { .. } | ApiError::Graph(_) => StatusCode::BAD_REQUEST,
            ApiError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden(_) => StatusCode::FORBIDDEN,
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::PayloadTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::BadGateway(_) => StatusCode::BAD_GATEWAY,
            ApiError::UpstreamTimeout { .. } | ApiError::RequestTimeout(_) => StatusCode::GATEWAY_TIMEOUT,
            ApiError::StorageFull(_) => StatusCode::INSUFFICIENT_STORAGE,
            ApiError::StorageUnavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The `developer_message`.
    pub fn message(&self) -> String {
        match self {
            ApiError::WrongPayload { message, .. } => message.clone(),
            ApiError::Graph(error) => format!("(#{}) {}: {}", error.code, error.title, error.detail),
            ApiError::Unauthorized(message) => (*message).to_owned(),
            ApiError::Forbidden(message) | ApiError::NotFound(message) => message.clone(),
            ApiError::MethodNotAllowed => "Method not allowed for this path".to_owned(),
            ApiError::PayloadTooLarge { limit } => {
                format!("The request body is larger than this server accepts ({limit} bytes)")
            }
            ApiError::UnsupportedMediaType(message) => message.clone(),
            ApiError::BadGateway(message) => message.clone(),
            ApiError::UpstreamTimeout { what, after } => {
                format!("{what} did not answer within {}; try again later", show_duration(*after))
            }
            ApiError::RequestTimeout(after) => {
                format!("The request took longer than {}; try again", show_duration(*after))
            }
            ApiError::StorageFull(message) | ApiError::StorageUnavailable(message) => message.clone(),
            ApiError::Internal(_) => {
                "Internal error; the server log has the details under this trace id".to_owned()
            }
        }
    }

    /// The envelope, as JSON.
    pub fn envelope(&self, trace_id: &str) -> Value {
        let mut meta = Map::new();
        meta.insert("success".to_owned(), Value::Bool(false));
        meta.insert("http_code".to_owned(), Value::from(self.status().as_u16()));
        meta.insert("developer_message".to_owned(), Value::String(self.message()));
        meta.insert("360dialog_trace_id".to_owned(), Value::String(trace_id.to_owned()));
        match self {
            ApiError::WrongPayload { details: Some(details), .. } => {
                meta.insert("details".to_owned(), details.clone());
            }
            ApiError::Graph(error) => {
                meta.insert("details".to_owned(), json!({ "error": error.to_json(trace_id) }));
            }
            _ => {}
        }
        json!({ "meta": meta })
    }
}

fn show_duration(duration: Duration) -> String {
    if duration.subsec_millis() == 0 {
        format!("{} s", duration.as_secs())
    } else {
        format!("{} ms", duration.as_millis())
    }
}

impl From<GraphError> for ApiError {
    fn from(error: GraphError) -> Self {
        ApiError::Graph(error)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let trace_id = request_id();
        match &self {
            ApiError::Internal(cause) => tracing::error!(trace_id, cause, "internal error"),
            ApiError::StorageFull(_) | ApiError::StorageUnavailable(_) | ApiError::BadGateway(_) => {
                tracing::warn!(
                    trace_id,
                    status = self.status().as_u16(),
                    message = self.message(),
                    "request failed"
                )
            }
            _ => tracing::debug!(
                trace_id,
                status = self.status().as_u16(),
                message = self.message(),
                "refused"
            ),
        }
        json_response(self.status(), &self.envelope(&trace_id))
    }
}

/// A JSON response with the given status: a `Value`, or a typed answer written straight out
/// (no `Value` built for it).
pub fn json_response<T: serde::Serialize + ?Sized>(status: StatusCode, body: &T) -> Response {
    let bytes = match serde_json::to_vec(body) {
        Ok(bytes) => bytes,
        // Only a map with keys that are not strings fails, which no answer of ours has.
        Err(error) => {
            tracing::error!(%error, "an answer could not be written as JSON");
            return (StatusCode::INTERNAL_SERVER_ERROR, "{}").into_response();
        }
    };
    let mut response = (status, bytes).into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn envelope_has_the_360dialog_shape() {
        let body = ApiError::flow_not_found().envelope("trace1");
        assert_eq!(
            body,
            json!({"meta": {"success": false, "http_code": 404,
                "developer_message": "Flow with specified ID does not exist", "360dialog_trace_id": "trace1"}})
        );
    }

    #[test]
    fn graph_errors_carry_the_code_in_details() {
        let error =
            ApiError::from(GraphError::new(139002, "Publishing Flow in invalid state", "Only drafts."));
        let body = error.envelope("t");
        assert_eq!(body["meta"]["http_code"], 400);
        assert_eq!(body["meta"]["details"]["error"]["code"], 139002);
        assert_eq!(
            body["meta"]["developer_message"],
            "(#139002) Publishing Flow in invalid state: Only drafts."
        );
    }
}
