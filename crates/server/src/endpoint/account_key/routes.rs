//! `/api/accounts/{id}/endpoint-key`: an account's endpoint key pair, in the workspace API's
//! envelope. Each handler checks the role on the account (a user may have roles per account);
//! the access table has the same roles for everyone else.
//!
//! | route | who | what |
//! | --- | --- | --- |
//! | `GET /api/accounts/{id}/endpoint-key` | editors | the public key (PEM), fingerprint, who made it and when, download and upload status |
//! | `POST /api/accounts/{id}/endpoint-key` `{"generate": true}` or `{"private_key_pem", "passphrase"?}`, `"replace"?` | admins (audited) | a new pair, or an imported private key (201) |
//! | `GET /api/accounts/{id}/endpoint-key/download` | admins (audited) | the private key (PKCS#8 PEM), once; then 409 |
//! | `POST /api/accounts/{id}/endpoint-key/upload` | admins (audited) | the public key sent to WhatsApp through the account's backend |
//! | `GET /api/accounts/{id}/endpoint-key/whatsapp` | editors | the key WhatsApp holds, whether it is ours, its signature status |
use axum::Router;
use axum::extract::{Path, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse as _, Response};
use axum::routing::{get, post};
use serde_json::{Value, json};

use super::{EndpointKeys, KeySource, MAX_PEM_BYTES};
use crate::auth::layer::AuditTarget;
use crate::auth::{Principal, Role};
use crate::config::Secret;
use crate::connections::routes::secret_body;
use crate::workspace::error::success;
use crate::workspace::routes::body;
use crate::workspace::{Actor, WorkspaceError};

type Result<T> = std::result::Result<T, WorkspaceError>;

/// The routes.
pub fn router(keys: EndpointKeys) -> Router {
    Router::new()
        .route("/api/accounts/{id}/endpoint-key", get(show).post(create))
        .route("/api/accounts/{id}/endpoint-key/download", get(download))
        .route("/api/accounts/{id}/endpoint-key/upload", post(upload))
        .route("/api/accounts/{id}/endpoint-key/whatsapp", get(whatsapp))
        .with_state(keys)
}

/// The account of the path, checked for `role` on it when someone is signed in.
fn account(id: &str, request: &Request, role: Role) -> Result<String> {
    let id = account_id(id)?;
    may(request, &id, role)?;
    Ok(id)
}

/// The account of the path (an id that can be one).
fn account_id(id: &str) -> Result<String> {
    if !crate::ids::is_valid(id) {
        return Err(WorkspaceError::NotFound("No such account in this workspace".to_owned()));
    }
    Ok(id.to_owned())
}

/// Whether the one signed in (if anyone) has `role` on the account `id`.
fn may(request: &Request, id: &str, role: Role) -> Result<()> {
    match request.extensions().get::<Principal>() {
        Some(principal) => principal.require_on(Some(id), role),
        None => Ok(()),
    }
}

/// The answer, or the refusal, with what the audit log records of it: the account, and the
/// key's fingerprint when there is one.
fn audited(account: String, answer: Result<(Response, String)>) -> Response {
    let (mut response, detail) = match answer {
        Ok((response, detail)) => (response, Some(detail)),
        Err(error) => (error.into_response(), None),
    };
    response.extensions_mut().insert(AuditTarget {
        account: Some(account),
        detail,
        ..AuditTarget::default()
    });
    response
}

/// The body, read field by field so that no error message can quote the key.
fn input(bytes: &[u8]) -> Result<(KeySource, bool)> {
    let object = secret_body(bytes, "send {\"generate\": true} or {\"private_key_pem\", \"passphrase\"?}")?;
    let flag = |field: &'static str| match object.get(field) {
        None | Some(Value::Null) => Ok(false),
        Some(Value::Bool(flag)) => Ok(*flag),
        Some(_) => Err(WorkspaceError::invalid(field, format!("{field} must be true or false"))),
    };
    let text = |field: &'static str| match object.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(text)) if text.trim().is_empty() => Ok(None),
        Some(Value::String(text)) => Ok(Some(Secret::new(text.clone()))),
        Some(_) => Err(WorkspaceError::invalid(field, format!("{field} must be text"))),
    };
    let (generate, replace) = (flag("generate")?, flag("replace")?);
    let (pem, passphrase) = (text("private_key_pem")?, text("passphrase")?);
    let source = match (generate, pem) {
        (true, Some(_)) => {
            return Err(WorkspaceError::invalid(
                "generate",
                "send either \"generate\": true or a private_key_pem to import, not both",
            ));
        }
        (true, None) => KeySource::Generate,
        (false, Some(pem)) if pem.expose().len() > MAX_PEM_BYTES => {
            return Err(WorkspaceError::invalid(
                "private_key_pem",
                format!("a private key is at most {MAX_PEM_BYTES} bytes of PEM"),
            ));
        }
        (false, Some(pem)) => KeySource::Import { pem, passphrase },
        (false, None) => {
            return Err(WorkspaceError::invalid(
                "private_key_pem",
                "send \"generate\": true for a new key pair, or the private key to import in private_key_pem",
            ));
        }
    };
    Ok((source, replace))
}

async fn show(
    State(keys): State<EndpointKeys>,
    Path(id): Path<String>,
    request: Request,
) -> Result<Response> {
    let id = account(&id, &request, Role::Editor)?;
    Ok(success(StatusCode::OK, keys.get(&id).await?))
}

async fn create(
    State(keys): State<EndpointKeys>,
    Path(id): Path<String>,
    actor: Actor,
    request: Request,
) -> Result<Response> {
    let id = account_id(&id)?;
    let answer = async {
        may(&request, &id, Role::Admin)?;
        let (source, replace) = input(&body(request).await?)?;
        let made = keys.create(&actor, &id, source, replace).await?;
        let detail = format!(
            "key {} ({})",
            made["fingerprint"].as_str().unwrap_or("-"),
            made["origin"].as_str().unwrap_or("-")
        );
        Ok((success(StatusCode::CREATED, made), detail))
    };
    let answer = answer.await;
    Ok(audited(id, answer))
}

async fn download(
    State(keys): State<EndpointKeys>,
    Path(id): Path<String>,
    actor: Actor,
    request: Request,
) -> Result<Response> {
    let id = account_id(&id)?;
    let answer = match may(&request, &id, Role::Admin) {
        Ok(()) => keys.download(&actor, &id).await,
        Err(refused) => Err(refused),
    };
    let answer = answer.map(|(fingerprint, pem)| {
        let data = json!({
            "account_id": id,
            "fingerprint": fingerprint,
            "private_key_pem": pem.expose(),
            "file_name": format!("endpoint-private-key-{id}.pem"),
        });
        let mut response = success(StatusCode::OK, data);
        response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        (response, format!("key {fingerprint}"))
    });
    Ok(audited(id, answer))
}

async fn upload(
    State(keys): State<EndpointKeys>,
    Path(id): Path<String>,
    actor: Actor,
    request: Request,
) -> Result<Response> {
    let id = account_id(&id)?;
    let answer = match may(&request, &id, Role::Admin) {
        Ok(()) => keys.upload(&actor, &id).await,
        Err(refused) => Err(refused),
    };
    let answer = answer.map(|uploaded| {
        let detail = format!("key {}", uploaded["fingerprint"].as_str().unwrap_or("-"));
        (success(StatusCode::OK, uploaded), detail)
    });
    Ok(audited(id, answer))
}

async fn whatsapp(
    State(keys): State<EndpointKeys>,
    Path(id): Path<String>,
    request: Request,
) -> Result<Response> {
    let id = account(&id, &request, Role::Editor)?;
    Ok(success(StatusCode::OK, keys.whatsapp(&id).await?))
}

#[cfg(test)]
mod tests {
    use super::*;

    const PEM: &str = "-----BEGIN PRIVATE KEY-----\nMIIsecretbits\n-----END PRIVATE KEY-----";

    #[test]
    fn bodies_are_read_without_quoting_the_key() {
        assert!(matches!(input(br#"{"generate": true}"#).unwrap(), (KeySource::Generate, false)));
        let body = json!({"private_key_pem": PEM, "passphrase": "pw", "replace": true}).to_string();
        match input(body.as_bytes()).unwrap() {
            (KeySource::Import { pem, passphrase }, true) => {
                assert_eq!((pem.expose(), passphrase.unwrap().expose()), (PEM, "pw"));
            }
            _ => panic!("an import that replaces"),
        }
        for body in [
            json!({"generate": true, "private_key_pem": PEM}).to_string(),
            json!({"private_key_pem": [PEM]}).to_string(),
            json!({"generate": PEM}).to_string(),
            json!({}).to_string(),
            format!("{{\"private_key_pem\": \"{}\"", PEM.replace('\n', "\\n")),
            json!({"private_key_pem": "x".repeat(MAX_PEM_BYTES + 1)}).to_string(),
        ] {
            let error = input(body.as_bytes()).unwrap_err();
            assert!(!error.message().contains("secretbits"), "{body}: {}", error.message());
        }
    }
}
