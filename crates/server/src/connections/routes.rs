//! `/api/connections` (admins): the connections to WhatsApp, in the workspace API's envelope.
//! Answers never hold a credential, only `api_key_last4`.
//!
//! | route | what |
//! | --- | --- |
//! | `GET /api/connections` | every connection: the one from flags (`source: flags`, id `flags`) and the stored ones |
//! | `POST /api/connections` `{kind: "360dialog", name, partner_id, api_key}` | adds one (201) |
//! | `PUT /api/connections/{id}` `{kind, name, partner_id, api_key?}` | replaces it (without `api_key`, the stored key stays) |
//! | `DELETE /api/connections/{id}` | removes it |
use axum::Router;
use axum::extract::{Path, Request, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Map, Value, json};

use super::{Connection, ConnectionInput, Connections, Kind};
use crate::auth::layer::AuditTarget;
use crate::backend::BackendKind;
use crate::config::Secret;
use crate::workspace::error::success;
use crate::workspace::routes::body;
use crate::workspace::{Actor, WorkspaceError};

type Result<T> = std::result::Result<T, WorkspaceError>;

/// The routes.
pub fn router(connections: Connections) -> Router {
    Router::new()
        .route("/api/connections", axum::routing::get(list).post(add))
        .route("/api/connections/{id}", axum::routing::put(replace).delete(remove))
        .with_state(connections.clone())
        .merge(super::channel_key_routes::router(connections))
}

async fn list(State(connections): State<Connections>) -> Result<Response> {
    let all = connections.all().await?;
    Ok(success(StatusCode::OK, json!(all.iter().map(|open| open.to_json()).collect::<Vec<_>>())))
}

/// A body that carries a secret as a JSON object, refused with messages that never quote it
/// (serde's messages quote the value of a wrong type): its fields are then read one by one.
/// `expected` says what to send.
pub(crate) fn secret_body(bytes: &[u8], expected: &str) -> Result<Map<String, Value>> {
    let value: Value = serde_json::from_slice(bytes).map_err(|error| {
        WorkspaceError::InvalidJson(format!(
            "The body is not JSON (line {}, column {})",
            error.line(),
            error.column()
        ))
    })?;
    match value {
        Value::Object(object) => Ok(object),
        _ => Err(WorkspaceError::invalid("body", expected.to_owned())),
    }
}

/// The body, read field by field so that no error message can quote the credential.
fn input(bytes: &[u8], secret_required: bool) -> Result<ConnectionInput> {
    let object = secret_body(bytes, "send {kind, name, partner_id, api_key}")?;
    let text = |field: &'static str| -> Result<Option<String>> {
        match object.get(field) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(text)) => Ok(Some(text.clone())),
            Some(_) => Err(WorkspaceError::invalid(field, format!("{field} must be text"))),
        }
    };
    let required = |field: &'static str| {
        text(field)?.ok_or_else(|| WorkspaceError::invalid(field, format!("{field} is missing")))
    };
    let kind_name = text("kind")?.unwrap_or_else(|| BackendKind::Dialog360.as_str().to_owned());
    let kind = match BackendKind::parse(&kind_name) {
        Some(BackendKind::Dialog360) => Kind::Dialog360 { partner_id: required("partner_id")? },
        Some(BackendKind::Graph) => {
            let ids = match object.get("waba_ids") {
                Some(Value::Array(ids)) if ids.iter().all(Value::is_string) => {
                    ids.iter().filter_map(Value::as_str).map(str::to_owned).collect()
                }
                Some(Value::String(id)) => vec![id.clone()],
                _ => return Err(WorkspaceError::invalid("waba_ids", "waba_ids must be a list of ids")),
            };
            Kind::Graph { waba_ids: ids }
        }
        Some(BackendKind::Sandbox) => {
            return Err(WorkspaceError::invalid(
                "kind",
                "the sandbox is not stored: it is the connection of `flowsmith serve --mode sandbox`",
            ));
        }
        None => {
            let shown: String = kind_name.chars().take(40).collect();
            return Err(WorkspaceError::invalid(
                "kind",
                format!("'{shown}' is not a kind of connection: 360dialog or graph"),
            ));
        }
    };
    // A Graph connection's credential may also be sent as `token`.
    let secret = text("api_key")?.or(text("token")?).map(Secret::new);
    if secret_required && secret.is_none() {
        return Err(WorkspaceError::invalid("api_key", "api_key is missing"));
    }
    Ok(ConnectionInput { name: required("name")?, kind, secret })
}

/// The answer, with what the audit log records of it.
fn answer(status: StatusCode, connection: &Connection) -> Response {
    let mut response = success(status, connection.to_json());
    response
        .extensions_mut()
        .insert(AuditTarget { detail: Some(connection.audit_detail()), ..AuditTarget::default() });
    response
}

async fn add(State(connections): State<Connections>, actor: Actor, request: Request) -> Result<Response> {
    let bytes = body(request).await?;
    let added = connections.add(&actor.0, input(&bytes, true)?).await?;
    Ok(answer(StatusCode::CREATED, &added))
}

async fn replace(
    State(connections): State<Connections>,
    Path(id): Path<String>,
    actor: Actor,
    request: Request,
) -> Result<Response> {
    let bytes = body(request).await?;
    let replaced = connections.replace(&actor.0, &id, input(&bytes, false)?).await?;
    Ok(answer(StatusCode::OK, &replaced))
}

async fn remove(State(connections): State<Connections>, Path(id): Path<String>) -> Result<Response> {
    let removed = connections.remove(&id).await?;
    Ok(answer(StatusCode::OK, &removed))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_are_read_without_quoting_the_key() {
        let parsed =
            input(br#"{"name": "Team", "partner_id": "abPA", "api_key": "pk_live_1234"}"#, true).unwrap();
        assert_eq!(parsed.kind, Kind::Dialog360 { partner_id: "abPA".to_owned() });
        assert_eq!(parsed.secret.unwrap().expose(), "pk_live_1234");
        assert!(
            input(br#"{"kind": "sandbox", "name": "T", "partner_id": "abPA", "api_key": "x"}"#, true)
                .is_err()
        );
        for body in [
            r#""pk_live_1234""#,
            r#"{"name": "pk_live_1234", "partner_id": 1, "api_key": "x"}"#,
            r#"{"name": "Team", "partner_id": "abPA", "api_key": ["pk_live_1234"]}"#,
            r#"{"name": "Team", "partner_id": "abPA", "api_key": "pk_live_1234""#,
        ] {
            let error = input(body.as_bytes(), true).unwrap_err();
            assert!(!error.message().contains("pk_live"), "{body}: {}", error.message());
        }
        assert!(input(br#"{"name": "Team", "partner_id": "abPA"}"#, true).is_err());
        assert!(input(br#"{"name": "Team", "partner_id": "abPA"}"#, false).is_ok());
    }
}
