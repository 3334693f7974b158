//! The sandbox's test phones: a few phone numbers that receive the flow messages sent through
//! the sandbox (its stand-in of the messaging API, `POST …/waba_accounts/{waba}/messages`), so
//! a flow can be sent and answered without a phone. The chats live in memory: they are a
//! try-out, gone when the server stops (the sent messages and responses are in the workspace's
//! database).
//!
//! | route | what |
//! | --- | --- |
//! | `POST /sandbox/api/v2/partners/{partner}/waba_accounts/{waba}/messages` | a flow message → `{messaging_product, contacts, messages: [{id}]}`, Cloud API's answer |
//! | `GET /sandbox/control/phones` | the test phones with what each received |
//! | `GET /sandbox/graph/{version}/{waba}/phone_numbers`, `POST …/{phone-number-id}/messages` | the same through the Graph API (`graph.rs`) |
//!
//! Completing a received flow (`POST /sandbox/control/messages/{id}/complete`) is in
//! [`crate::messages::sandbox`]: it records the reply as a webhook delivery.
use std::sync::{Arc, Mutex, PoisonError};

use axum::extract::{Request, State};
use axum::response::Response;
use serde_json::{Value, json};

use super::request::WabaPath;
use super::{Sandbox, flows, now, ok};
use crate::error::{ApiError, GraphError};

/// The test phones: E.164 number and name.
pub const TEST_PHONES: [(&str, &str); 3] =
    [("+15550001111", "Test phone 1"), ("+15550002222", "Test phone 2"), ("+15550003333", "Test phone 3")];

/// A flow message a test phone received.
#[derive(Debug, Clone, PartialEq)]
pub struct Received {
    /// The `wamid.` the sandbox gave it.
    pub message_id: String,
    /// The WABA it came from.
    pub waba_id: String,
    /// The phone, digits only.
    pub to: String,
    /// The message as sent (the Cloud API's body).
    pub message: Value,
    /// When (seconds since the epoch).
    pub received_at: i64,
    /// The phone's answer once its flow was completed (the reply's `response_json`), for the
    /// app's chat.
    pub reply: Option<Value>,
}

/// The test phones' chats.
#[derive(Debug, Clone, Default)]
pub struct Chats(Arc<Mutex<Vec<Received>>>);

impl Chats {
    fn push(&self, received: Received) {
        self.0.lock().unwrap_or_else(PoisonError::into_inner).push(received);
    }

    /// The message the sandbox sent as `message_id`.
    pub fn find(&self, message_id: &str) -> Option<Received> {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .iter()
            .find(|m| m.message_id == message_id)
            .cloned()
    }

    /// Keeps the answer the phone gave to `message_id` (shown in its chat).
    pub fn answer(&self, message_id: &str, reply: Value) {
        let mut chats = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(received) = chats.iter_mut().find(|m| m.message_id == message_id) {
            received.reply = Some(reply);
        }
    }

    /// Every message received, oldest first.
    pub fn all(&self) -> Vec<Received> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }
}

/// The digits of a phone number (what WhatsApp calls the `wa_id`).
pub fn digits(phone: &str) -> String {
    phone.chars().filter(char::is_ascii_digit).collect()
}

/// Receives a flow message on a test phone, as the Cloud API answers a sent message
/// (`POST …/waba_accounts/{waba}/messages`).
pub async fn send(
    State(sandbox): State<Sandbox>,
    path: WabaPath,
    request: Request,
) -> Result<Response, ApiError> {
    let message = read_message(&sandbox, request).await?;
    let (partner_id, waba_id) = (path.partner_id, path.waba_id.clone());
    sandbox.store.run(move |tx| flows::waba(tx, &partner_id, &waba_id).map(|_| ())).await?;
    Ok(ok(receive(&sandbox, path.waba_id, message)?))
}

/// The JSON body of a sent message.
pub async fn read_message(sandbox: &Sandbox, request: Request) -> Result<Value, ApiError> {
    let bytes = axum::body::to_bytes(request.into_body(), sandbox.body_limit).await.map_err(|_| {
        ApiError::WrongPayload { message: "the body could not be read".to_owned(), details: None }
    })?;
    serde_json::from_slice(&bytes)
        .map_err(|error| ApiError::WrongPayload { message: format!("not JSON: {error}"), details: None })
}

/// Puts `message`, sent from the WABA `waba_id`, on its test phone; answers the Cloud API's
/// answer. A number that is not a test phone is refused as WhatsApp refuses one not on
/// WhatsApp (131026).
pub fn receive(sandbox: &Sandbox, waba_id: String, message: Value) -> Result<Value, ApiError> {
    let parsed = flow_model::message::FlowMessage::from_json(&message).map_err(|problem| {
        ApiError::Graph(GraphError::new(
            100,
            "Invalid parameter",
            format!("{}: {}", problem.field, problem.message()),
        ))
    })?;
    let to = digits(&parsed.to);
    if !TEST_PHONES.iter().any(|(phone, _)| digits(phone) == to) {
        return Err(ApiError::Graph(GraphError::new(
            131026,
            "Message undeliverable",
            format!("+{to} is not one of the sandbox's test phones ({})", phone_list()),
        )));
    }
    let message_id = format!("wamid.{}", crate::ids::token(32));
    sandbox.chats.push(Received {
        message_id: message_id.clone(),
        waba_id,
        to: to.clone(),
        message,
        received_at: now(),
        reply: None,
    });
    Ok(json!({
        "messaging_product": "whatsapp",
        "contacts": [{"input": parsed.to, "wa_id": to}],
        "messages": [{"id": message_id}],
    }))
}

fn phone_list() -> String {
    TEST_PHONES.iter().map(|(phone, _)| *phone).collect::<Vec<_>>().join(", ")
}

/// The test phones, each with the messages it received, oldest first.
pub async fn phones(State(sandbox): State<Sandbox>) -> Response {
    ok(phones_json(&sandbox.chats, |_| true))
}

/// `{phones: [{phone, name, messages: [{message_id, waba_account_id, received_at, message,
/// reply}]}]}` (`reply`: the completed flow's `response_json`, or `null`), of the messages
/// `shown` keeps.
pub fn phones_json(chats: &Chats, shown: impl Fn(&Received) -> bool) -> Value {
    let received = chats.all();
    let phones: Vec<Value> = TEST_PHONES
        .iter()
        .map(|(phone, name)| {
            let chat: Vec<Value> = received
                .iter()
                .filter(|message| message.to == digits(phone) && shown(message))
                .map(|message| {
                    json!({
                        "message_id": message.message_id,
                        "waba_account_id": message.waba_id,
                        "received_at": super::format_time(message.received_at),
                        "message": message.message,
                        "reply": message.reply,
                    })
                })
                .collect();
            json!({"phone": phone, "name": name, "messages": chat})
        })
        .collect();
    json!({"phones": phones})
}
