//! `/api/accounts/{id}/channel_key` (admins of the account): the channel API key a 360dialog
//! account sends messages with. Answers never hold the key, only `api_key_last4`; the audit log
//! records the last four too.
//!
//! | route | what |
//! | --- | --- |
//! | `GET /api/accounts/{id}/channel_key` | `{account_id, present, api_key_last4?, set_by?, set_at?}` |
//! | `PUT /api/accounts/{id}/channel_key` `{api_key}` | stores or replaces it |
//! | `DELETE /api/accounts/{id}/channel_key` | removes it (404 when none is stored) |
use axum::Router;
use axum::extract::{Path, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use serde_json::{Value, json};

use super::Connections;
use super::channel_keys::ChannelKeyInfo;
use crate::auth::layer::AuditTarget;
use crate::auth::{Principal, Role};
use crate::config::Secret;
use crate::workspace::error::success;
use crate::workspace::routes::body;
use crate::workspace::{Actor, WorkspaceError};

type Result<T> = std::result::Result<T, WorkspaceError>;

/// The routes.
pub fn router(connections: Connections) -> Router {
    Router::new()
        .route("/api/accounts/{id}/channel_key", axum::routing::get(show).put(store).delete(remove))
        .with_state(connections)
}

/// The account of the path, once the caller is known to be its admin.
fn account(id: &str, request: &Request) -> Result<String> {
    if !crate::ids::is_valid(id) {
        return Err(WorkspaceError::NotFound("No such account in this workspace".to_owned()));
    }
    if let Some(principal) = request.extensions().get::<Principal>() {
        principal.require_on(Some(id), Role::Admin)?;
    }
    Ok(id.to_owned())
}

/// The body's `api_key`, read so that no error message can quote it.
fn api_key(bytes: &[u8]) -> Result<Secret> {
    let value = super::routes::secret_body(bytes, "send {\"api_key\": \"…\"}: the channel's API key")?;
    match value.get("api_key") {
        Some(Value::String(text)) => Ok(Secret::new(text.clone())),
        Some(_) => Err(WorkspaceError::invalid("api_key", "api_key must be text")),
        None => Err(WorkspaceError::invalid("api_key", "send {\"api_key\": \"…\"}: the channel's API key")),
    }
}

fn answer(account: String, data: Value, info: Option<&ChannelKeyInfo>) -> Response {
    let mut response = success(StatusCode::OK, data);
    let detail = info.map(|info| format!("channel key …{}", info.last4));
    response.extensions_mut().insert(AuditTarget {
        account: Some(account),
        detail,
        ..AuditTarget::default()
    });
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

async fn show(
    State(connections): State<Connections>,
    Path(id): Path<String>,
    request: Request,
) -> Result<Response> {
    let account = account(&id, &request)?;
    let info = connections.channel_key_info(&account).await?;
    let data = info
        .as_ref()
        .map_or_else(|| json!({"account_id": account, "present": false}), ChannelKeyInfo::to_json);
    Ok(answer(account, data, None))
}

async fn store(
    State(connections): State<Connections>,
    Path(id): Path<String>,
    actor: Actor,
    request: Request,
) -> Result<Response> {
    let account = account(&id, &request)?;
    let key = api_key(&body(request).await?)?;
    let info = connections.set_channel_key(&actor.0, &account, &key).await?;
    Ok(answer(account, info.to_json(), Some(&info)))
}

async fn remove(
    State(connections): State<Connections>,
    Path(id): Path<String>,
    request: Request,
) -> Result<Response> {
    let account = account(&id, &request)?;
    let removed = connections.remove_channel_key(&account).await?.ok_or_else(|| {
        WorkspaceError::NotFound(format!("Account {account} has no channel API key to remove"))
    })?;
    Ok(answer(account.clone(), json!({"account_id": account, "present": false}), Some(&removed)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_is_read_without_being_quoted() {
        assert_eq!(api_key(br#"{"api_key": "d360_key_1234"}"#).unwrap().expose(), "d360_key_1234");
        for body in [r#"{"api_key": ["d360_key_1234"]}"#, r#"{"api_key": "d360_key_1234""#, r#"{}"#] {
            let error = api_key(body.as_bytes()).unwrap_err();
            assert!(!error.message().contains("d360_key"), "{body}: {}", error.message());
        }
    }
}
