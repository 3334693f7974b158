//! The endpoint tester's API: the preview and its health check call a business's endpoint
//! through these, encrypted as WhatsApp calls it ([`super::tester`]).
//!
//! | route | what |
//! | --- | --- |
//! | `POST /api/endpoint/exchange` | `{url, public_key, flow?, request: {action, screen?, data?, flow_token?}}` → the call, decrypted, with the answer's problems against `flow` |
//! | `POST /api/endpoint/health` | `{url, public_key}` → the health report |
//!
//! Editors may call them (testing a flow is designing it); the calls change nothing here, so
//! they are not audited. Refusals use the workspace's envelope (`invalid_request` with the
//! field); what the endpoint did wrong is the answer, not an error: the call itself worked.
use axum::Router;
use axum::extract::{Request as HttpRequest, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::post;
use flow_model::endpoint::{Exchange, check_answer};
use serde::Deserialize;
use serde_json::{Map, Value, json};
use url::Url;

use super::keys::PublicKey;
use super::payload::{Action, Request};
use super::tester::{Target, Tester};
use crate::workspace::WorkspaceError;
use crate::workspace::error::success;
use crate::workspace::routes::{body, parse};

/// The tester's routes.
pub fn router(tester: Tester) -> Router {
    Router::new()
        .route("/api/endpoint/exchange", post(exchange))
        .route("/api/endpoint/health", post(health))
        .with_state(tester)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ExchangeBody {
    url: String,
    public_key: String,
    #[serde(default)]
    flow: Option<Value>,
    request: RequestBody,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RequestBody {
    action: Action,
    #[serde(default)]
    screen: Option<String>,
    #[serde(default)]
    data: Option<Map<String, Value>>,
    #[serde(default)]
    flow_token: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct HealthBody {
    url: String,
    public_key: String,
}

fn target(url: &str, public_key: &str) -> Result<Target, WorkspaceError> {
    let url = Url::parse(url.trim())
        .map_err(|error| WorkspaceError::invalid("url", format!("is not a URL: {error}")))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(WorkspaceError::invalid("url", "must start with https:// (or http:// for a local test)"));
    }
    let public_key = PublicKey::from_pem(public_key)
        .map_err(|error| WorkspaceError::invalid("public_key", error.to_string()))?;
    Ok(Target { url, public_key })
}

async fn exchange(State(tester): State<Tester>, request: HttpRequest) -> Result<Response, WorkspaceError> {
    let bytes = body(request).await?;
    let parsed: ExchangeBody = parse(&bytes)?;
    let target = target(&parsed.url, &parsed.public_key)?;
    let RequestBody { action, screen, data, flow_token } = parsed.request;
    let token = flow_token.unwrap_or_else(|| "flowsmith-test".to_owned());
    let request = match action {
        Action::Ping => Request::ping(),
        Action::Init => Request { data, ..Request::init(&token) },
        Action::DataExchange | Action::Back => {
            let Some(screen) = screen.filter(|screen| !screen.is_empty()) else {
                return Err(WorkspaceError::invalid("request.screen", "names the screen the person is on"));
            };
            if action == Action::Back {
                Request { data, ..Request::back(&token, &screen) }
            } else {
                Request::data_exchange(&token, &screen, data.unwrap_or_default())
            }
        }
    };
    let exchanged = tester.exchange(&target, request.clone()).await;
    let asked = match (request.action, request.screen.as_deref()) {
        _ if request.error().is_some() => Exchange::ErrorNotification,
        (Action::Ping, _) => Exchange::Ping,
        (Action::Init, _) => Exchange::Init,
        (Action::DataExchange, screen) => Exchange::DataExchange { screen: screen.unwrap_or_default() },
        (Action::Back, screen) => Exchange::Back { screen: screen.unwrap_or_default() },
    };
    let problems: Vec<Value> = match (&exchanged.answer, &parsed.flow) {
        (Some(answer), Some(flow)) => check_answer(flow, asked, &token, answer)
            .iter()
            .map(|problem| {
                json!({
                    "field": problem.field,
                    "severity": if problem.is_error() { "error" } else { "warning" },
                    "screen": problem.screen,
                    "code": problem.code(),
                    "message": problem.to_string(),
                })
            })
            .collect(),
        _ => Vec::new(),
    };
    let mut data = serde_json::to_value(&exchanged).unwrap_or(Value::Null);
    if let Some(data) = data.as_object_mut() {
        data.insert("problems".to_owned(), Value::Array(problems));
    }
    Ok(success(StatusCode::OK, data))
}

async fn health(State(tester): State<Tester>, request: HttpRequest) -> Result<Response, WorkspaceError> {
    let bytes = body(request).await?;
    let parsed: HealthBody = parse(&bytes)?;
    let target = target(&parsed.url, &parsed.public_key)?;
    let report = tester.health(&target).await;
    Ok(success(StatusCode::OK, serde_json::to_value(&report).unwrap_or(Value::Null)))
}
