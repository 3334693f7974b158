//! The sandbox's test phone answering a flow it received (`POST
//! /sandbox/control/messages/{message_id}/complete {response_json}`), as WhatsApp does: an
//! inbound Cloud API delivery with an `nfm_reply` whose `context.id` is the sent message, recorded
//! like a verified webhook delivery and, with `--webhook-forward-url`, forwarded there signed
//! with the app secret. Here rather than in `sandbox/` because it needs the record of messages.
//! The app's Test phone view reaches the same through `/api/test-phones…` (editors, no sandbox
//! key: the browser never holds it).
use axum::extract::{Path, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};

use std::collections::HashSet;

use super::Messages;
use super::webhook::{Delivery, Malformed};
use crate::auth::{Principal, Role};
use crate::error::{ApiError, json_response};
use crate::sandbox::{API_KEY_HEADER, Sandbox, phones};
use crate::workspace::WorkspaceError;
use crate::workspace::error::success;

/// The sandbox and the record of messages.
#[derive(Clone)]
pub struct TestPhone {
    /// The sandbox (its key, its test phones' chats).
    pub sandbox: Sandbox,
    /// Where replies are recorded.
    pub messages: Messages,
}

/// The Cloud API's inbound delivery of `response` (the flow's answer) from the phone that
/// received `received`, answering it.
pub fn delivery(
    received: &phones::Received,
    response: &Map<String, Value>,
    reply_id: &str,
    at: i64,
) -> Value {
    let name = phones::TEST_PHONES
        .iter()
        .find(|(phone, _)| phones::digits(phone) == received.to)
        .map_or("Test phone", |(_, name)| *name);
    json!({"object": "whatsapp_business_account", "entry": [{"id": received.waba_id, "changes": [{
        "field": "messages",
        "value": {
            "messaging_product": "whatsapp",
            "contacts": [{"profile": {"name": name}, "wa_id": received.to}],
            "messages": [{
                "context": {"id": received.message_id},
                "from": received.to,
                "id": reply_id,
                "timestamp": at.to_string(),
                "type": "interactive",
                "interactive": {"type": "nfm_reply", "nfm_reply": {
                    "name": "flow",
                    "body": "Sent",
                    "response_json": Value::Object(response.clone()).to_string(),
                }},
            }],
        },
    }]}]})
}

/// Completes the flow of a message a test phone received (tests and scripts: the sandbox's
/// key in `X-API-Key`).
pub async fn complete(
    State(phone): State<TestPhone>,
    Path(message_id): Path<String>,
    request: Request,
) -> Result<Response, ApiError> {
    let key = request.headers().get(API_KEY_HEADER).map(|value| value.as_bytes().to_vec());
    if !key.is_some_and(|key| phone.sandbox.key().matches(&key)) {
        return Err(ApiError::Unauthorized("Missing or invalid X-API-Key header"));
    }
    match deliver(&phone, &message_id, request).await? {
        Ok(answer) => Ok(json_response(StatusCode::OK, &answer)),
        Err(refusal) => Ok(refusal),
    }
}

/// The test phones and their chats, for the app's Test phone view (`GET /api/test-phones`:
/// editors, who need no sandbox key: the server holds it). A signed-in user sees the messages
/// of the accounts they may edit only: an agency's designers share one sandbox, not each
/// other's clients.
pub async fn app_phones(
    State(phone): State<TestPhone>,
    request: Request,
) -> Result<Response, WorkspaceError> {
    let chats = phone.sandbox.chats();
    let Some(principal) = request.extensions().get::<Principal>() else {
        return Ok(success(StatusCode::OK, phones::phones_json(chats, |_| true)));
    };
    let mut editable = HashSet::new();
    let wabas: HashSet<String> = chats.all().into_iter().map(|received| received.waba_id).collect();
    for waba in wabas {
        if may_edit(&phone, principal, &waba).await? {
            editable.insert(waba);
        }
    }
    Ok(success(StatusCode::OK, phones::phones_json(chats, |received| editable.contains(&received.waba_id))))
}

/// Whether `principal` may edit the flows of the account of `waba` (their default role when
/// the WABA is no account of the workspace).
async fn may_edit(phone: &TestPhone, principal: &Principal, waba: &str) -> Result<bool, WorkspaceError> {
    let account = phone.messages.account_of_waba(waba).await?;
    Ok(principal.role_on(account.as_deref()) >= Role::Editor)
}

/// Completes a received flow from the app's Test phone view (`POST
/// /api/test-phones/{message_id}/complete {response_json}`: editors of the message's account;
/// to others it is as if there were no such message).
pub async fn app_complete(
    State(phone): State<TestPhone>,
    Path(message_id): Path<String>,
    request: Request,
) -> Result<Response, ApiError> {
    if let Some(principal) = request.extensions().get::<Principal>() {
        let hidden = match phone.sandbox.chats().find(&message_id) {
            Some(received) => !may_edit(&phone, principal, &received.waba_id)
                .await
                .map_err(|error| ApiError::Internal(format!("{error:?}")))?,
            None => true,
        };
        if hidden {
            return Err(ApiError::NotFound(format!("No test phone received a message {message_id}")));
        }
    }
    match deliver(&phone, &message_id, request).await? {
        Ok(answer) => Ok(success(StatusCode::OK, answer)),
        Err(refusal) => Ok(refusal),
    }
}

/// Answers the message `message_id` with the request's `response_json`, as WhatsApp delivers
/// a flow's reply: what happened, or the webhook's own refusal (a full or unreachable
/// database: nothing recorded).
async fn deliver(
    phone: &TestPhone,
    message_id: &str,
    request: Request,
) -> Result<Result<Value, Response>, ApiError> {
    let received = phone
        .sandbox
        .chats()
        .find(message_id)
        .ok_or_else(|| ApiError::NotFound(format!("No test phone received a message {message_id}")))?;
    let wrong = |message: String| ApiError::WrongPayload { message, details: None };
    let bytes = axum::body::to_bytes(request.into_body(), super::DELIVERY_LIMIT)
        .await
        .map_err(|_| wrong("the body could not be read".to_owned()))?;
    let body: Value = serde_json::from_slice(&bytes).map_err(|error| wrong(format!("not JSON: {error}")))?;
    let Some(Value::Object(mut response)) = body.get("response_json").cloned() else {
        return Err(wrong(
            "response_json must be an object (what the flow's last screen completes with)".to_owned(),
        ));
    };
    // WhatsApp sends the message's flow_token back in the reply (`unused` when there was none).
    let token = received
        .message
        .pointer("/interactive/action/parameters/flow_token")
        .and_then(Value::as_str)
        .unwrap_or("unused");
    response.entry("flow_token").or_insert_with(|| json!(token));
    let reply_id = format!("wamid.{}", crate::ids::token(32));
    let delivery_json = delivery(&received, &response, &reply_id, crate::sandbox::now());
    let bytes = delivery_json.to_string().into_bytes();
    let parsed = Delivery::parse(&bytes).map_err(|Malformed(why)| ApiError::Internal(why))?;
    let recorded = match phone.messages.record(parsed, None).await {
        Ok(recorded) => recorded,
        Err(error) => return Ok(Err(error.into_response())),
    };
    phone.sandbox.chats().answer(message_id, Value::Object(response.clone()));
    let forwarded = match &phone.messages.settings().forward_url {
        Some(_) => match phone.messages.forward(bytes).await {
            Ok(status) => json!({"status": status}),
            Err(error) => json!({"error": error}),
        },
        None => Value::Null,
    };
    Ok(Ok(json!({
        "message_id": reply_id,
        "context_id": received.message_id,
        "responses": recorded.responses,
        "delivery": delivery_json,
        "forwarded": forwarded,
    })))
}

/// The app's routes to the test phones (sandbox mode only).
pub fn app_router(sandbox: Sandbox, messages: Messages) -> axum::Router {
    axum::Router::new()
        .route("/api/test-phones", axum::routing::get(app_phones))
        .route("/api/test-phones/{message_id}/complete", axum::routing::post(app_complete))
        .with_state(TestPhone { sandbox, messages })
}
