//! The typed client of sending a flow to a phone (`/api/messages`) and of the sandbox's test
//! phones (`/api/test-phones…`, sandbox mode). Through the same-origin server only, like the
//! workspace; answers read by hand from `Value`s, as the workspace's are.
use serde_json::{Map, Value, json};

use super::transport::{HttpRequest, Method, Transport, encode_query};
use super::workspace::{USER_HEADER, WsError, optional, text};
use super::{ApiError, Client, Via};

/// The body of `POST /api/messages`: what the Send dialog filled in.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SendRequest {
    /// The workspace's account of the flow.
    pub account_id: String,
    /// The workspace's flow id.
    pub flow_id: String,
    /// The recipient (E.164).
    pub to: String,
    /// The header text, if any.
    pub header: Option<String>,
    /// The body text.
    pub body: String,
    /// The footer text, if any.
    pub footer: Option<String>,
    /// The button's text.
    pub cta: String,
    /// The flow token, if any.
    pub flow_token: Option<String>,
    /// `navigate` or `data_exchange`.
    pub action: String,
    /// The first screen (navigate).
    pub screen: Option<String>,
    /// Its data (navigate).
    pub data: Option<Map<String, Value>>,
    /// `draft` or `published`.
    pub mode: String,
}

impl SendRequest {
    /// The JSON body, optional fields left out when not given.
    pub fn to_json(&self) -> String {
        let mut body = Map::new();
        for (key, value) in [
            ("account_id", Some(&self.account_id)),
            ("flow_id", Some(&self.flow_id)),
            ("to", Some(&self.to)),
            ("header", self.header.as_ref()),
            ("body", Some(&self.body)),
            ("footer", self.footer.as_ref()),
            ("cta", Some(&self.cta)),
            ("flow_token", self.flow_token.as_ref()),
            ("action", Some(&self.action)),
            ("screen", self.screen.as_ref()),
            ("mode", Some(&self.mode)),
        ] {
            if let Some(value) = value {
                body.insert(key.to_owned(), json!(value));
            }
        }
        if let Some(data) = &self.data {
            body.insert("data".to_owned(), Value::Object(data.clone()));
        }
        flow_model::json::compact(&Value::Object(body))
    }
}

/// A message sent of a flow, as `GET /api/messages` lists it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SentMessage {
    /// The record's id.
    pub id: String,
    /// The recipient, `+` and digits.
    pub to: String,
    /// The flow token sent.
    pub flow_token: Option<String>,
    /// The backend's message id (`wamid.…`).
    pub message_id: Option<String>,
    /// `draft` or `published`.
    pub mode: String,
    /// Who sent it.
    pub sent_by: String,
    /// When (RFC 3339).
    pub sent_at: String,
    /// `accepted`, `sent`, `delivered`, `read` or `failed`.
    pub status: String,
    /// Why it failed, when it did.
    pub status_detail: Option<String>,
}

fn list<T>(value: &Value, key: &str, read: impl Fn(&Value) -> T) -> Vec<T> {
    value.get(key).and_then(Value::as_array).map(|items| items.iter().map(read).collect()).unwrap_or_default()
}

impl SentMessage {
    /// Reads one of an answer.
    pub fn read(value: &Value) -> Self {
        SentMessage {
            id: text(value, "id"),
            to: text(value, "to"),
            flow_token: optional(value, "flow_token"),
            message_id: optional(value, "message_id"),
            mode: text(value, "mode"),
            sent_by: text(value, "sent_by"),
            sent_at: text(value, "sent_at"),
            status: text(value, "status"),
            status_detail: optional(value, "status_detail"),
        }
    }
}

/// Why a message was not sent: the error, and each field the server named (`to`, `screen`,
/// `data.NAME`…) with what is wrong there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SendRefusal {
    /// The error for people (WhatsApp's refusal, a role, no answer).
    pub error: WsError,
    /// The fields WhatsApp would refuse (`invalid_message`, or `invalid` with its field).
    pub fields: Vec<(String, String)>,
}

impl SendRefusal {
    /// Reads a refusal's body.
    pub fn read(status: u16, body: &str) -> Self {
        let error = WsError::read(status, body);
        let parsed = flow_model::json::read(body).unwrap_or(Value::Null);
        let answer = &parsed["error"];
        let mut fields = list(answer, "fields", |field| (text(field, "field"), text(field, "message")));
        if let Some(field) = optional(answer, "field") {
            fields.push((field, text(answer, "message")));
        }
        SendRefusal { error, fields }
    }
}

/// A flow message a test phone received.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ReceivedMessage {
    /// The sandbox's `wamid.`: what completing it names.
    pub message_id: String,
    /// When (Meta's format).
    pub received_at: String,
    /// The message as sent (the Cloud API's body).
    pub message: Value,
    /// What the phone answered once the flow was completed (its `response_json`).
    pub reply: Option<Value>,
}

/// A test phone of the sandbox and its chat, oldest first.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TestPhone {
    /// Its number, E.164.
    pub phone: String,
    /// Its name.
    pub name: String,
    /// What it received.
    pub messages: Vec<ReceivedMessage>,
}

impl TestPhone {
    fn read(value: &Value) -> Self {
        TestPhone {
            phone: text(value, "phone"),
            name: text(value, "name"),
            messages: list(value, "messages", |message| ReceivedMessage {
                message_id: text(message, "message_id"),
                received_at: text(message, "received_at"),
                message: message.get("message").cloned().unwrap_or(Value::Null),
                reply: message.get("reply").filter(|reply| !reply.is_null()).cloned(),
            }),
        }
    }
}

impl<T: Transport> Client<T> {
    /// Sends a flow to a phone (`POST /api/messages`); the message as recorded.
    pub async fn send_message(&self, request: &SendRequest, user: &str) -> Result<SentMessage, SendRefusal> {
        let Via::Server { origin } = &self.via else {
            let error =
                ApiError::refused("Sending goes through the server: switch Connection to this server");
            let error = WsError { error: Box::new(error), code: String::new(), current: None };
            return Err(SendRefusal { error, fields: Vec::new() });
        };
        let mut headers = vec![("Content-Type", "application/json".to_owned())];
        if !user.trim().is_empty() {
            headers.push((USER_HEADER, encode_query(user.trim())));
        }
        let sent = HttpRequest {
            method: Method::Post,
            url: format!("{origin}/api/messages"),
            headers,
            body: Some(request.to_json()),
        };
        let response = self.transport.send(sent).await.map_err(|cause| SendRefusal {
            error: WsError { error: Box::new(ApiError::offline(cause)), code: String::new(), current: None },
            fields: Vec::new(),
        })?;
        if !(200..300).contains(&response.status) {
            return Err(SendRefusal::read(response.status, &response.body));
        }
        let answer = flow_model::json::read(&response.body).unwrap_or(Value::Null);
        Ok(SentMessage::read(&answer["data"]))
    }

    /// What was sent of a flow, newest first.
    pub async fn sent_messages(&self, flow_id: &str) -> Result<Vec<SentMessage>, WsError> {
        let path = format!("messages?flow_id={}", encode_query(flow_id));
        let value = self.workspace(Method::Get, path, None, "").await?;
        Ok(list(&value, "items", SentMessage::read))
    }

    /// The sandbox's test phones and their chats.
    pub async fn test_phones(&self) -> Result<Vec<TestPhone>, WsError> {
        let value = self.workspace(Method::Get, "test-phones".into(), None, "").await?;
        Ok(list(&value, "phones", TestPhone::read))
    }

    /// Completes the flow of a message a test phone received with `response` (what its last
    /// screen completed with): the sandbox delivers the reply as WhatsApp would.
    pub async fn complete_test_message(
        &self,
        message_id: &str,
        response: &Map<String, Value>,
    ) -> Result<Value, WsError> {
        let path = format!("test-phones/{}/complete", encode_query(message_id));
        let body = flow_model::json::compact(&json!({ "response_json": response }));
        self.workspace(Method::Post, path, Some(body), "").await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_send_body_leaves_out_what_is_not_given() {
        let request = SendRequest {
            account_id: "acc".into(),
            flow_id: "f1".into(),
            to: "+15550001111".into(),
            body: "Hi".into(),
            cta: "Open".into(),
            action: "navigate".into(),
            screen: Some("A".into()),
            data: Some(json!({"n": 1}).as_object().unwrap().clone()),
            mode: "draft".into(),
            ..SendRequest::default()
        };
        assert_eq!(
            flow_model::json::read(&request.to_json()).unwrap(),
            json!({"account_id": "acc", "flow_id": "f1", "to": "+15550001111", "body": "Hi", "cta": "Open",
                "action": "navigate", "screen": "A", "data": {"n": 1}, "mode": "draft"})
        );
    }

    #[test]
    fn a_refusal_names_its_fields() {
        let body = r#"{"status": "error", "error": {"code": "invalid_message", "message": "WhatsApp would refuse this message",
            "fields": [{"field": "to", "message": "not a phone"}, {"field": "data.age", "message": "a number"}]}}"#;
        let refusal = SendRefusal::read(422, body);
        assert_eq!(refusal.error.code, "invalid_message");
        assert_eq!(
            refusal.fields,
            [("to".to_owned(), "not a phone".to_owned()), ("data.age".to_owned(), "a number".to_owned())]
        );
        let invalid = SendRefusal::read(
            400,
            r#"{"status": "error", "error": {"code": "invalid", "field": "mode", "message": "mode must be draft"}}"#,
        );
        assert_eq!(invalid.fields, [("mode".to_owned(), "mode must be draft".to_owned())]);
    }
}
