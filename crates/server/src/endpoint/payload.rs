//! The decrypted payloads (flow-json.md §10.2): what WhatsApp sends and what the endpoint answers.
//!
//! A request is `{version: "3.0", action, screen?, data?, flow_token?, flow_token_signature?}`:
//! - `ping` (the health check, no token) is answered `{data: {status: "active"}}`;
//! - `INIT` (the flow opens with `flow_action: data_exchange`), `data_exchange` (a screen's or a
//!   component's action) and `BACK` (back to a screen with `refresh_on_back`) are answered with
//!   the next screen `{screen, data}` (`data.error_message` shows a snackbar), or the end
//!   `{screen: "SUCCESS", data: {extension_message_response: {params: {flow_token, ...}}}}`;
//! - an error notification is an `INIT` or `data_exchange` whose `data` has `error` and
//!   `error_message` (the client could not use the previous answer), answered
//!   `{data: {acknowledged: true}}`.
//!
//! Data API 4.0 (flows of version 7.3 and later with `data_api_version: "4.0"`) adds
//! `flow_token_signature`, an HS256 JWT over the flow token signed with the Meta app secret; the
//! payload shapes are otherwise those of 3.0.
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

/// The payload version WhatsApp sends (it stays "3.0" with data API 4.0).
pub const VERSION: &str = "3.0";
/// The screen name that ends the flow.
pub const SUCCESS_SCREEN: &str = "SUCCESS";

/// What a request asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Action {
    /// The health check.
    #[serde(rename = "ping")]
    Ping,
    /// The flow opens.
    #[serde(rename = "INIT")]
    Init,
    /// A screen or component sends its payload.
    #[serde(rename = "data_exchange")]
    DataExchange,
    /// The user goes back to a screen with `refresh_on_back`.
    #[serde(rename = "BACK")]
    Back,
}

/// A decrypted request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Request {
    pub version: String,
    pub action: Action,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub screen: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<Map<String, Value>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flow_token: Option<String>,
    /// Data API 4.0 only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flow_token_signature: Option<String>,
}

/// What an error notification reports: the client's error key and its message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ErrorNotification<'a> {
    pub error: &'a str,
    pub error_message: &'a str,
}

impl Request {
    fn new(action: Action, flow_token: Option<&str>) -> Self {
        Request {
            version: VERSION.to_owned(),
            action,
            screen: None,
            data: None,
            flow_token: flow_token.map(str::to_owned),
            flow_token_signature: None,
        }
    }

    /// The health check.
    pub fn ping() -> Self {
        Request::new(Action::Ping, None)
    }

    /// The flow opening.
    pub fn init(flow_token: &str) -> Self {
        Request::new(Action::Init, Some(flow_token))
    }

    /// A screen's `data_exchange` action with its payload.
    pub fn data_exchange(flow_token: &str, screen: &str, data: Map<String, Value>) -> Self {
        Request {
            screen: Some(screen.to_owned()),
            data: Some(data),
            ..Request::new(Action::DataExchange, Some(flow_token))
        }
    }

    /// Back to a screen with `refresh_on_back`.
    pub fn back(flow_token: &str, screen: &str) -> Self {
        Request { screen: Some(screen.to_owned()), ..Request::new(Action::Back, Some(flow_token)) }
    }

    /// The client reporting that it could not use the endpoint's previous answer on `screen`.
    pub fn error_notification(
        action: Action,
        flow_token: &str,
        screen: &str,
        error: &str,
        error_message: &str,
    ) -> Self {
        let data = json!({"error": error, "error_message": error_message});
        let Value::Object(data) = data else { unreachable!("json! of braces is an object") };
        Request {
            screen: Some(screen.to_owned()),
            data: Some(data),
            ..Request::new(action, Some(flow_token))
        }
    }

    /// The reported error when this is an error notification.
    pub fn error(&self) -> Option<ErrorNotification<'_>> {
        let data = self.data.as_ref()?;
        Some(ErrorNotification {
            error: data.get("error")?.as_str()?,
            error_message: data.get("error_message").and_then(Value::as_str).unwrap_or(""),
        })
    }
}

/// An endpoint's answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Response {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub screen: Option<String>,
    #[serde(default)]
    pub data: Map<String, Value>,
}

impl Response {
    /// The next screen with its data.
    pub fn screen(screen: &str, data: Map<String, Value>) -> Self {
        Response { screen: Some(screen.to_owned()), data }
    }

    /// The end of the flow: the completion message's params, `flow_token` among them.
    pub fn success(flow_token: &str, mut params: Map<String, Value>) -> Self {
        params.insert("flow_token".to_owned(), Value::from(flow_token));
        let mut data = Map::new();
        data.insert("extension_message_response".to_owned(), json!({"params": params}));
        Response { screen: Some(SUCCESS_SCREEN.to_owned()), data }
    }

    /// The answer to `ping`.
    pub fn active() -> Self {
        Response::data_only("status", Value::from("active"))
    }

    /// The answer to an error notification.
    pub fn acknowledged() -> Self {
        Response::data_only("acknowledged", Value::Bool(true))
    }

    fn data_only(key: &str, value: Value) -> Self {
        let mut data = Map::new();
        data.insert(key.to_owned(), value);
        Response { screen: None, data }
    }

    /// The completion params when this answer ends the flow.
    pub fn completion_params(&self) -> Option<&Map<String, Value>> {
        if self.screen.as_deref() != Some(SUCCESS_SCREEN) {
            return None;
        }
        self.data.get("extension_message_response")?.get("params")?.as_object()
    }
}
