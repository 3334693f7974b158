//! Sending a flow to a phone (issue 20): the message is built from the workspace's flow,
//! checked against its current flow.json and where it stands at WhatsApp
//! ([`flow_model::message::check`]), sent through the account's backend, and recorded.
//!
//! | route | what |
//! | --- | --- |
//! | `POST /api/messages` | `{account_id?, flow_id, to, header?, body, footer?, cta, flow_token?, action, screen?, data?, mode?}` → 201 the sent message |
//! | `GET /api/messages?flow_id=` | what was sent of the flow, newest first |
//!
//! A message WhatsApp would refuse is refused here (422 `invalid_message`, each problem named
//! by the body's field: `screen`, `data.NAME`), and nothing is sent or recorded.
use axum::Router;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::post;
use flow_model::message::{self, FlowAction, FlowMessage, FlowRef, Mode, Publication};
use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::Messages;
use super::store::SentMessage;
use crate::auth::layer::AuditTarget;
use crate::auth::{Principal, Role};
use crate::workspace::error::success;
use crate::workspace::routes::{body, parse};
use crate::workspace::store::now_ms;
use crate::workspace::time::rfc3339;
use crate::workspace::{Actor, Workspace, WorkspaceError};

/// The most sent messages listed.
pub const MAX_LISTED: i64 = 200;

/// What sending needs: the workspace (flows, backends) and the record of messages.
#[derive(Clone)]
pub struct Sending {
    workspace: Workspace,
    messages: Messages,
}

/// `POST /api/messages` and `GET /api/messages`.
pub fn router(workspace: Workspace, messages: Messages) -> Router {
    Router::new().route("/api/messages", post(send).get(list)).with_state(Sending { workspace, messages })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SendBody {
    #[serde(default)]
    account_id: Option<String>,
    flow_id: String,
    to: String,
    #[serde(default)]
    header: Option<String>,
    body: String,
    #[serde(default)]
    footer: Option<String>,
    cta: String,
    #[serde(default)]
    flow_token: Option<String>,
    action: String,
    #[serde(default)]
    screen: Option<String>,
    #[serde(default)]
    data: Option<Map<String, Value>>,
    #[serde(default)]
    mode: Option<String>,
}

fn not_found(id: &str) -> WorkspaceError {
    WorkspaceError::NotFound(format!("No flow {id} in this workspace"))
}

async fn send(
    State(sending): State<Sending>,
    actor: Actor,
    request: Request,
) -> Result<Response, WorkspaceError> {
    let principal = request.extensions().get::<Principal>().cloned();
    let bytes = body(request).await?;
    let parsed: SendBody = parse(&bytes)?;
    if !crate::ids::is_valid(&parsed.flow_id) {
        return Err(not_found(&parsed.flow_id));
    }
    let flow = sending.workspace.get(&parsed.flow_id).await?;
    if flow.deleted_at.is_some() {
        return Err(not_found(&flow.id));
    }
    if parsed.account_id.as_ref().is_some_and(|account| *account != flow.account_id) {
        return Err(WorkspaceError::invalid("account_id", "is not the account of this flow"));
    }
    // The guard let through an editor of some account: this is the account.
    if let Some(principal) = &principal {
        principal.require_on(Some(&flow.account_id), Role::Editor)?;
    }
    let Some(meta_flow_id) = flow.meta_flow_id.clone() else {
        return Err(WorkspaceError::InvalidMessage(vec![(
            "flow_id".to_owned(),
            format!("'{}' was never saved to WhatsApp: save it to WhatsApp first, then send it", flow.name),
        )]));
    };
    let mode = match parsed.mode.as_deref() {
        None => Mode::Published,
        Some(text) => {
            Mode::parse(text).ok_or_else(|| WorkspaceError::invalid("mode", "must be draft or published"))?
        }
    };
    let action = match parsed.action.as_str() {
        "navigate" => {
            FlowAction::Navigate { screen: parsed.screen.clone().unwrap_or_default(), data: parsed.data }
        }
        "data_exchange" => FlowAction::DataExchange,
        _ => return Err(WorkspaceError::invalid("action", "must be navigate or data_exchange")),
    };
    let flow_message = FlowMessage {
        to: parsed.to,
        header: parsed.header,
        body: parsed.body,
        footer: parsed.footer,
        cta: parsed.cta,
        flow_token: parsed.flow_token,
        flow: FlowRef::Id(meta_flow_id),
        action,
        mode,
        flow_message_version: message::FLOW_MESSAGE_VERSION.to_owned(),
    };
    let flow_json: Value = flow
        .json_definition
        .as_deref()
        .and_then(|text| serde_json::from_str(text).ok())
        .unwrap_or(Value::Null);
    let has_published = flow.status != "DRAFT" || sending.workspace.was_published(&flow.id).await?;
    let publication = Publication::from_status(&flow.status, has_published);
    let problems: Vec<(String, String)> = message::check(&flow_message, &flow_json, publication)
        .iter()
        .filter(|problem| problem.is_error())
        .map(|problem| (problem.send_field().to_owned(), problem.message()))
        .collect();
    if !problems.is_empty() {
        return Err(WorkspaceError::InvalidMessage(problems));
    }
    let message_id = sending.workspace.send_message(&flow, &flow_message.to_json()).await?;
    let now = now_ms();
    let sent = SentMessage {
        id: crate::ids::token(20),
        flow_id: flow.id.clone(),
        account_id: flow.account_id.clone(),
        to_phone: flow_message.to.trim_start_matches('+').to_owned(),
        flow_token: flow_message.flow_token.clone(),
        message_id: Some(message_id),
        mode: mode.as_str().to_owned(),
        sent_by: actor.0.clone(),
        sent_at: now,
        status: "accepted".to_owned(),
        status_at: now,
        status_detail: None,
    };
    sending.messages.record_sent(&sent).await?;
    let mut response = success(StatusCode::CREATED, sent_json(&sent));
    response.extensions_mut().insert(AuditTarget {
        account: Some(flow.account_id),
        flow: Some(flow.id),
        detail: Some(format!("to +{}", sent.to_phone)),
    });
    Ok(response)
}

fn sent_json(sent: &SentMessage) -> Value {
    json!({
        "id": sent.id,
        "flow_id": sent.flow_id,
        "account_id": sent.account_id,
        "to": format!("+{}", sent.to_phone),
        "flow_token": sent.flow_token,
        "message_id": sent.message_id,
        "mode": sent.mode,
        "sent_by": sent.sent_by,
        "sent_at": rfc3339(sent.sent_at),
        "status": sent.status,
        "status_at": rfc3339(sent.status_at),
        "status_detail": sent.status_detail,
    })
}

async fn list(State(sending): State<Sending>, request: Request) -> Result<Response, WorkspaceError> {
    let flow_id = crate::sandbox::query_value(request.uri().query(), "flow_id")
        .filter(|id| !id.is_empty())
        .ok_or_else(|| WorkspaceError::invalid("flow_id", "is required"))?;
    if !crate::ids::is_valid(&flow_id) {
        return Err(not_found(&flow_id));
    }
    let flow = sending.workspace.get(&flow_id).await?;
    if let Some(principal) = request.extensions().get::<Principal>() {
        principal.require_on(Some(&flow.account_id), Role::Viewer)?;
    }
    let sent = sending.messages.sent_of_flow(&flow.id, MAX_LISTED).await?;
    let items: Vec<Value> = sent.iter().map(sent_json).collect();
    Ok(success(StatusCode::OK, json!({"items": items})))
}
