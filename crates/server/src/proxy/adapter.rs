//! The app's Partner-API-shaped routes answered through a [`Backend`], for the backends that
//! do not speak the Partner API (Meta's Graph API): the app calls `/api/v2/partners/{p}/…` in
//! every mode, so it needs no change, and the backend does the rest.
//!
//! | Partner API operation | backend operation | answer |
//! | --- | --- | --- |
//! | `GET …/channels` | accounts (and, in every mode, those of stored Graph connections: [`with_accounts_of`]) | `{partner_channels: [{id, waba_account: {id, external_id, name}}], count, total}` |
//! | `GET …/flows` | flows | `{flows: [{id, name, categories, status, validation_errors}], count, total}` |
//! | `POST …/flows` | create (`name`, `categories`, `clone_flow_id`) | `{id}` |
//! | `POST …/flows/migrate_flows` | migrate (`source_waba_account_id` → the source account) | as the backend answers |
//! | `GET …/flows/{id}` | flow (the asked `fields`) | the flow object |
//! | `PATCH …/flows/{id}` | update_metadata (categories kept when not sent) | `{success: true}` |
//! | `DELETE …/flows/{id}` | delete | `{success: true}` |
//! | `GET …/flows/{id}/assets` | assets | `{assets, count, total}` |
//! | `POST …/flows/{id}/assets` | upload_flow_json (the multipart `file`) | `{success: true, validation_errors}` |
//! | `POST …/flows/{id}/publish`, `…/deprecate` | publish, deprecate | `{success: true}` |
//! | `GET …/flows/{id}/preview?invalidate=` | preview | `{id, preview}` |
//!
//! A backend failure is answered in 360dialog's envelope with Meta's error object in
//! `meta.details.error`, as 360dialog passes Meta's refusals on, so the app shows the same words.
use std::sync::Arc;

use axum::extract::Request;
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Value, json};

use crate::backend::{
    AccountRef, Backend, BackendError, FailureKind, NewRemoteFlow, RemoteAccount, RemoteFlow,
};
use crate::error::{ApiError, json_response};
use crate::sandbox::request;

/// Answers one Partner API operation (`request`'s path from `/api/v2/`) with `backend`.
pub async fn answer(
    backend: &Arc<dyn Backend>,
    body_limit: usize,
    request: Request,
) -> Result<Response, ApiError> {
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let query = request.uri().query().map(str::to_owned);
    let segments: Vec<&str> = path.trim_start_matches("/api/v2/").split('/').collect();
    let outcome = match (method.as_str(), segments.as_slice()) {
        ("GET", ["partners", _, "channels"]) => channels(backend.as_ref()).await,
        // The most frequent call: written straight from the flows read (BENCHMARKS.md).
        ("GET", ["partners", _, "waba_accounts", waba, "flows"]) => {
            return Ok(match backend.flows(&account(waba)).await {
                Ok(flows) => json_response(StatusCode::OK, &FlowListing::of(&flows)),
                Err(failure) => refusal(&failure),
            });
        }
        ("POST", ["partners", _, "waba_accounts", waba, "flows"]) => {
            let body = request::read_object(request, body_limit).await?;
            let asked = request::create_request(&body)?;
            let new = NewRemoteFlow {
                name: asked.name,
                categories: asked.categories,
                clone_flow_id: asked.clone_flow_id,
                ..NewRemoteFlow::default()
            };
            backend.create(&account(waba), &new).await.map(|created| json!({ "id": created.id }))
        }
        ("POST", ["partners", _, "waba_accounts", waba, "flows", "migrate_flows"]) => {
            let body = request::read_object(request, body_limit).await?;
            let asked = request::migrate_request(&body)?;
            let source = account(&asked.source_waba_account_id);
            backend.migrate(&source, &account(waba), asked.source_flow_names.as_deref()).await
        }
        ("GET", ["partners", _, "waba_accounts", waba, "flows", flow]) => {
            let fields: Vec<String> = request::query_values(query.as_deref(), "fields")
                .iter()
                .flat_map(|value| {
                    value
                        .split(',')
                        .map(str::trim)
                        .filter(|f| !f.is_empty())
                        .map(str::to_owned)
                        .collect::<Vec<_>>()
                })
                .collect();
            backend.flow(&account(waba), flow, &fields).await
        }
        ("PATCH", ["partners", _, "waba_accounts", waba, "flows", flow]) => {
            let body = request::read_object(request, body_limit).await?;
            let asked = request::update_request(&body)?;
            let target = account(waba);
            let categories = match asked.categories {
                Some(categories) => Ok(categories),
                None => backend.flow(&target, flow, &["categories".to_owned()]).await.map(|current| {
                    current
                        .get("categories")
                        .and_then(Value::as_array)
                        .map(|list| list.iter().filter_map(Value::as_str).map(str::to_owned).collect())
                        .unwrap_or_default()
                }),
            };
            match categories {
                Ok(categories) => {
                    backend.update_metadata(&target, flow, &asked.name, &categories).await.map(|()| done())
                }
                Err(error) => Err(error),
            }
        }
        ("DELETE", ["partners", _, "waba_accounts", waba, "flows", flow]) => {
            backend.delete(&account(waba), flow).await.map(|()| done())
        }
        ("GET", ["partners", _, "waba_accounts", waba, "flows", flow, "assets"]) => {
            backend.assets(&account(waba), flow).await.map(|assets| listing("assets", assets))
        }
        ("POST", ["partners", _, "waba_accounts", waba, "flows", flow, "assets"]) => {
            let (waba, flow) = ((*waba).to_owned(), (*flow).to_owned());
            let bytes = request::read_flow_json(request, body_limit).await?;
            let text = String::from_utf8(bytes)
                .map_err(|_| ApiError::field("form", "file", "The flow.json is not UTF-8 text."))?;
            backend
                .upload_flow_json(&account(&waba), &flow, &text)
                .await
                .map(|errors| json!({ "success": true, "validation_errors": errors }))
        }
        ("POST", ["partners", _, "waba_accounts", waba, "flows", flow, "publish"]) => {
            backend.publish(&account(waba), flow).await.map(|()| done())
        }
        ("POST", ["partners", _, "waba_accounts", waba, "flows", flow, "deprecate"]) => {
            backend.deprecate(&account(waba), flow).await.map(|()| done())
        }
        ("GET", ["partners", _, "waba_accounts", waba, "flows", flow, "preview"]) => {
            let invalidate = request::invalidate(query.as_deref())?;
            backend
                .preview(&account(waba), flow, invalidate)
                .await
                .map(|preview| json!({ "id": flow, "preview": preview }))
        }
        _ => return Err(ApiError::NotFound("Not a Partner API operation this server forwards".to_owned())),
    };
    Ok(match outcome {
        Ok(body) => json_response(StatusCode::OK, &body),
        Err(failure) => refusal(&failure),
    })
}

fn account(id: &str) -> AccountRef {
    AccountRef { external_id: id.to_owned() }
}

fn done() -> Value {
    json!({ "success": true })
}

fn listing(key: &str, items: Vec<Value>) -> Value {
    let count = items.len();
    json!({ key: items, "count": count, "total": count })
}

/// `{flows: [{id, name, categories, status, validation_errors}], count, total}`.
#[derive(serde::Serialize)]
struct FlowListing<'a> {
    flows: &'a [RemoteFlow],
    count: usize,
    total: usize,
}

impl<'a> FlowListing<'a> {
    fn of(flows: &'a [RemoteFlow]) -> Self {
        FlowListing { flows, count: flows.len(), total: flows.len() }
    }
}

async fn channels(backend: &dyn Backend) -> Result<Value, BackendError> {
    let accounts = backend.accounts().await?;
    Ok(listing("partner_channels", accounts.iter().map(channel).collect()))
}

/// An account as the channel listing shows it.
fn channel(account: &RemoteAccount) -> Value {
    json!({
        "id": account.external_id,
        "waba_account_id": account.external_id,
        "waba_account": { "id": account.external_id, "external_id": account.waba_id, "name": account.name },
    })
}

/// A channel listing (`GET …/channels`) with the accounts of `more` (stored Graph connections)
/// added after its own, so the app can choose them too. A backend that cannot list its accounts
/// is left out (logged): the rest of the listing still serves. Other answers pass as they are.
pub async fn with_accounts_of(response: Response, more: &[Arc<dyn Backend>]) -> Result<Response, ApiError> {
    if more.is_empty() || response.status() != StatusCode::OK {
        return Ok(response);
    }
    let (head, body) = response.into_parts();
    let bytes = axum::body::to_bytes(body, crate::proxy::MAX_UPSTREAM_RESPONSE)
        .await
        .map_err(|error| ApiError::BadGateway(format!("the channel listing could not be read: {error}")))?;
    let mut listed: Value = match serde_json::from_slice(&bytes) {
        Ok(value) => value,
        Err(_) => return Ok(Response::from_parts(head, axum::body::Body::from(bytes))),
    };
    let Some(channels) = listed.get_mut("partner_channels").and_then(Value::as_array_mut) else {
        return Ok(Response::from_parts(head, axum::body::Body::from(bytes)));
    };
    for backend in more {
        match backend.accounts().await {
            Ok(accounts) => {
                for account in &accounts {
                    if !channels
                        .iter()
                        .any(|known| known["waba_account"]["id"] == account.external_id.as_str())
                    {
                        channels.push(channel(account));
                    }
                }
            }
            Err(failure) => {
                tracing::warn!(message = failure.message, "a stored connection's accounts are not listed")
            }
        }
    }
    let count = channels.len();
    listed["count"] = json!(count);
    listed["total"] = json!(count);
    Ok(json_response(StatusCode::OK, &listed))
}

/// A backend failure in 360dialog's envelope, Meta's code in `details.error` when known.
fn refusal(failure: &BackendError) -> Response {
    let status = match failure.kind {
        FailureKind::NotFound => StatusCode::NOT_FOUND,
        FailureKind::Refused => StatusCode::BAD_REQUEST,
        FailureKind::RateLimited => StatusCode::TOO_MANY_REQUESTS,
        FailureKind::Timeout => StatusCode::GATEWAY_TIMEOUT,
        FailureKind::NotConfigured => StatusCode::SERVICE_UNAVAILABLE,
        FailureKind::Unsupported => StatusCode::CONFLICT,
        FailureKind::Credential | FailureKind::Permission | FailureKind::Unavailable => {
            StatusCode::BAD_GATEWAY
        }
    };
    let trace_id = crate::error::request_id();
    let mut meta = json!({
        "success": false,
        "http_code": status.as_u16(),
        "developer_message": failure.message,
        "360dialog_trace_id": trace_id,
    });
    if let Some(code) = failure.code {
        meta["details"] = json!({ "error": {
            "message": failure.message, "code": code, "error_user_msg": failure.message, "fbtrace_id": trace_id,
        }});
    }
    if status.is_server_error() {
        tracing::warn!(trace_id, status = status.as_u16(), message = failure.message, "backend failed");
    }
    json_response(status, &json!({ "meta": meta }))
}
