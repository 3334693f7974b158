//! Why the preview could not load a flow or follow an endpoint's answer, as values: the page
//! and the snackbar show them through `Display`, worded for people.
use std::fmt;

use flow_model::json::ReadError;

/// A browser call of the bridge that failed (a fetch, an HTTP error status, a compression
/// stream): what the browser said.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrowserError(pub String);

impl fmt::Display for BrowserError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A flow text, a flow address or an endpoint's answer the preview cannot use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PreviewError {
    /// The test endpoint could not be asked (network, HTTP error status).
    EndpointFailed(BrowserError),
    /// The flow's text is not JSON.
    FlowNotJson(ReadError),
    /// The flow's text is JSON but not an object.
    NotAFlow,
    /// `?flow=` is not an address.
    NotAnAddress(String),
    /// `?flow=` is not an http(s) address.
    NotHttp(String),
    /// The test endpoint's answer is not JSON.
    AnswerNotJson(ReadError),
    /// The answer is not an object.
    AnswerNotAnObject,
    /// The answer's `data` is not an object.
    AnswerDataNotAnObject,
    /// The answer names no `screen`.
    AnswerWithoutScreen,
}

impl fmt::Display for PreviewError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PreviewError::EndpointFailed(error) => write!(f, "The test endpoint failed: {error}"),
            PreviewError::FlowNotJson(error) => write!(f, "This flow.json is not valid JSON ({error})."),
            PreviewError::NotAFlow => f.write_str(
                "This is JSON but not a flow: a flow.json is an object with \"version\" and \"screens\".",
            ),
            PreviewError::NotAnAddress(url) => write!(f, "'{url}' is not an address."),
            PreviewError::NotHttp(url) => write!(f, "'{url}' is not an http(s) address."),
            PreviewError::AnswerNotJson(error) => {
                write!(f, "The test endpoint failed: the answer is not JSON: {error}")
            }
            PreviewError::AnswerNotAnObject => {
                f.write_str("The answer is not a JSON object like {\"screen\": \"NEXT\", \"data\": {}}.")
            }
            PreviewError::AnswerDataNotAnObject => f.write_str("The answer's \"data\" is not an object."),
            PreviewError::AnswerWithoutScreen => f.write_str("The answer names no \"screen\"."),
        }
    }
}
