//! The webhooks WhatsApp calls, and the responses API.
//!
//! | route | what |
//! | --- | --- |
//! | `GET /webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=&hub.challenge=` | Meta's verification: the challenge as text |
//! | `POST /webhooks/whatsapp` | a delivery signed with `X-Hub-Signature-256` (the app secret) |
//! | `POST /webhooks/360dialog/{secret}` | a delivery from 360dialog for the account whose path this is |
//! | `POST /api/accounts/{id}/webhook` | a new 360dialog path for the account (admins): `{path, url}`, shown once |
//! | `GET /api/flows/{id}/responses?page=&limit=&from=&to=` | a page of the flow's responses, with counts per day |
//! | `GET /api/flows/{id}/responses.csv?from=&to=` | the same as CSV (at most [`MAX_EXPORT`] rows, newest first) |
//!
//! The webhooks have no session and no same-origin check (WhatsApp calls them): each checks its
//! caller itself (the verify token, Meta's signature, or the secret path), and the access table
//! lists them as `Access::Webhook`.
use axum::Router;
use axum::extract::{Path, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::{Value, json};

use super::store::ResponseQuery;
use super::webhook::{self, Delivery, Malformed};
use super::{DELIVERY_LIMIT, Messages, WebhookError};
use crate::auth::layer::AuditTarget;
use crate::auth::{Principal, Role};
use crate::error::json_response;
use crate::workspace::error::success;
use crate::workspace::time::rfc3339;
use crate::workspace::{Actor, WorkspaceError};

/// The most responses a page holds.
pub const MAX_LIMIT: i64 = 100;
/// The most responses one CSV export holds.
pub const MAX_EXPORT: i64 = 100_000;
/// Where 360dialog delivers an account's webhooks (the secret follows).
pub const DIALOG360_PATH: &str = "/webhooks/360dialog/";

/// The webhooks (outside the API's same-origin check).
pub fn webhooks(messages: Messages) -> Router {
    Router::new()
        .route("/webhooks/whatsapp", get(handshake).post(whatsapp_delivery))
        .route("/webhooks/360dialog/{secret}", post(dialog360_delivery))
        .with_state(messages)
}

/// The responses API and the accounts' webhook paths.
pub fn router(messages: Messages) -> Router {
    Router::new()
        .route("/api/accounts/{id}/webhook", post(new_webhook_path))
        .route("/api/flows/{id}/responses", get(responses))
        .route("/api/flows/{id}/responses.csv", get(responses_csv))
        .with_state(messages)
}

async fn handshake(State(messages): State<Messages>, request: Request) -> Result<Response, WebhookError> {
    let challenge = messages.handshake(request.uri().query())?;
    let mut response = (StatusCode::OK, challenge).into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain; charset=utf-8"));
    Ok(response)
}

/// The raw body, at most [`DELIVERY_LIMIT`] bytes.
async fn delivery_body(request: Request) -> Result<axum::body::Bytes, WebhookError> {
    if crate::layers::declared_length(&request).is_some_and(|length| length > DELIVERY_LIMIT as u64) {
        return Err(WebhookError::TooLarge);
    }
    axum::body::to_bytes(request.into_body(), DELIVERY_LIMIT).await.map_err(|error| {
        if crate::layers::is_length_limit(&error) {
            WebhookError::TooLarge
        } else {
            WebhookError::Malformed("the body could not be read".to_owned())
        }
    })
}

async fn record(messages: &Messages, body: &[u8], account: Option<String>) -> Result<Response, WebhookError> {
    let delivery = Delivery::parse(body).map_err(|Malformed(why)| WebhookError::Malformed(why))?;
    let recorded = messages.record(delivery, account).await?;
    let data =
        json!({"responses": recorded.responses, "replays": recorded.replays, "statuses": recorded.statuses});
    Ok(json_response(StatusCode::OK, &json!({"status": "success", "data": data})))
}

async fn whatsapp_delivery(
    State(messages): State<Messages>,
    request: Request,
) -> Result<Response, WebhookError> {
    let signature = request.headers().get(webhook::SIGNATURE_HEADER).map(|value| value.as_bytes().to_vec());
    let body = delivery_body(request).await?;
    messages.check_signature(&body, signature.as_deref())?;
    record(&messages, &body, None).await
}

async fn dialog360_delivery(
    State(messages): State<Messages>,
    Path(secret): Path<String>,
    request: Request,
) -> Result<Response, WebhookError> {
    let account = messages.account_of_path(&secret).await?;
    let body = delivery_body(request).await?;
    record(&messages, &body, Some(account)).await
}

async fn new_webhook_path(
    State(messages): State<Messages>,
    Path(id): Path<String>,
    actor: Actor,
    request: Request,
) -> Result<Response, WorkspaceError> {
    if !crate::ids::is_valid(&id) {
        return Err(WorkspaceError::NotFound("No such account in this workspace".to_owned()));
    }
    if let Some(principal) = request.extensions().get::<Principal>() {
        principal.require_on(Some(&id), Role::Admin)?;
    }
    let secret = messages.new_webhook_path(&actor, &id).await?;
    let path = format!("{DIALOG360_PATH}{secret}");
    let url = messages
        .settings()
        .public_url
        .as_ref()
        .map(|base| format!("{}{path}", base.as_str().trim_end_matches('/')));
    let mut response = success(StatusCode::OK, json!({"account_id": id, "path": path, "url": url}));
    response.extensions_mut().insert(AuditTarget { account: Some(id), ..AuditTarget::default() });
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

fn flow_id(id: &str) -> Result<&str, WorkspaceError> {
    if crate::ids::is_valid(id) {
        Ok(id)
    } else {
        Err(WorkspaceError::NotFound("No such flow in this workspace".to_owned()))
    }
}

/// `page`, `limit`, `from` and `to` (RFC 3339 or milliseconds; `to` excluded).
fn response_query(query: Option<&str>, export: bool) -> Result<(ResponseQuery, i64), WorkspaceError> {
    let value = |name: &str| crate::sandbox::query_value(query, name).filter(|value| !value.is_empty());
    let number = |name: &'static str, default: i64, range: std::ops::RangeInclusive<i64>| match value(name) {
        None => Ok(default),
        Some(text) => text.parse::<i64>().ok().filter(|n| range.contains(n)).ok_or_else(|| {
            WorkspaceError::invalid(
                name,
                format!("must be a whole number from {} to {}", range.start(), range.end()),
            )
        }),
    };
    let time = |name: &'static str| {
        value(name).map(|text| crate::auth::routes::time_filter(name, &text)).transpose()
    };
    let (page, limit) = if export {
        (1, MAX_EXPORT)
    } else {
        (number("page", 1, 1..=1_000_000)?, number("limit", 50, 1..=MAX_LIMIT)?)
    };
    let query = ResponseQuery { from: time("from")?, to: time("to")?, offset: (page - 1) * limit, limit };
    Ok((query, page))
}

fn day(millis: i64) -> String {
    rfc3339(millis)[..10].to_owned()
}

async fn responses(
    State(messages): State<Messages>,
    Path(id): Path<String>,
    request: Request,
) -> Result<Response, WorkspaceError> {
    let (query, page) = response_query(request.uri().query(), false)?;
    let reader = request.extensions().get::<Principal>();
    let found = messages.responses(flow_id(&id)?, &query, reader).await?;
    let lens = &found.lens;
    let items: Vec<Value> = found.items.iter().map(|response| lens.json(response)).collect();
    let rows: Vec<_> = found.items.iter().map(|response| lens.fields(response)).collect();
    let per_day: Vec<Value> =
        found.per_day.iter().map(|(at, count)| json!({"day": day(*at), "count": count})).collect();
    Ok(success(
        StatusCode::OK,
        json!({
            "items": items,
            "columns": super::responses::columns(&rows),
            "total": found.total,
            "page": page,
            "limit": query.limit,
            "per_day": per_day,
            "phone_masked": !lens.full_phone,
            "sensitive_fields": lens.sensitive,
        }),
    ))
}

async fn responses_csv(
    State(messages): State<Messages>,
    Path(id): Path<String>,
    request: Request,
) -> Result<Response, WorkspaceError> {
    let (query, _) = response_query(request.uri().query(), true)?;
    let reader = request.extensions().get::<Principal>();
    let found = messages.responses(flow_id(&id)?, &query, reader).await?;
    let mut response = (StatusCode::OK, found.lens.csv(&found.items)).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/csv; charset=utf-8"));
    if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"responses-{id}.csv\"")) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn response_queries_are_checked() {
        let (query, page) =
            response_query(Some("page=3&limit=20&from=2026-12-06T00:00:00Z&to=1765000000000"), false)
                .unwrap();
        assert_eq!((page, query.offset, query.limit), (3, 40, 20));
        assert_eq!((query.from, query.to), (Some(1_796_515_200_000), Some(1_765_000_000_000)));
        for (bad, field) in [("limit=101", "limit"), ("page=0", "page"), ("from=yesterday", "from")] {
            match response_query(Some(bad), false) {
                Err(WorkspaceError::Invalid { field: got, .. }) => assert_eq!(got, field, "{bad}"),
                other => panic!("{bad}: {other:?}"),
            }
        }
        assert_eq!(response_query(Some("limit=5"), true).unwrap().0.limit, MAX_EXPORT);
    }
}
