//! The mock endpoint (`flowsmith endpoint`): the business's side of the contract for one flow,
//! answering from the preview's mock answers (`flow_model::mock`), so that a team can register
//! a working endpoint with Meta before its backend exists, and the tester has a real
//! counterpart in tests.
//!
//! Each POST (on any path: Meta calls the URI it was given) is read as WhatsApp sends it: the
//! signature first when there is an app secret (432 when it does not verify; cheap, and before
//! any RSA work a stranger could make us do), then the decryption (a bare 421 for anything that
//! stops it, whatever the reason), then the answer, encrypted under the request's key and the
//! inverted IV. The answer depends on the request alone, so a replayed request gets the same
//! bytes again: the key and IV a replay reuses never encrypt two different texts.
use std::sync::Arc;
use std::time::Instant;

use axum::Router;
use axum::body::{Body, to_bytes};
use axum::extract::{Request as HttpRequest, State};
use axum::http::{Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use flow_model::endpoint::Exchange;
use flow_model::mock::{MockAnswers, answer};
use serde_json::Value;

use super::contract::{self, ContractError, EncryptedRequest, SIGNATURE_HEADER, SIGNATURE_INVALID};
use super::keys::PrivateKey;
use super::payload::{Action, Request};
use crate::config::Secret;

/// The most bytes of a request read: WhatsApp's carry a screen's payload, a few kilobytes.
pub const REQUEST_LIMIT: usize = 1 << 20;

/// What the mock endpoint answers with: the flow, its answers, the private key whose public
/// half WhatsApp encrypts for, and the Meta app's secret when requests are to be signed.
pub struct MockEndpoint {
    /// The flow's JSON.
    pub flow: Value,
    /// The answers written for it.
    pub answers: MockAnswers,
    /// The business's private key.
    pub private_key: PrivateKey,
    /// The Meta app's secret: requests must carry its `X-Hub-Signature-256`.
    pub app_secret: Option<Secret>,
}

/// The mock endpoint's routes: every path answers a POST.
pub fn router(mock: Arc<MockEndpoint>) -> Router {
    Router::new().fallback(serve).with_state(mock)
}

async fn serve(State(mock): State<Arc<MockEndpoint>>, request: HttpRequest) -> Response {
    if request.method() != Method::POST {
        return (
            StatusCode::METHOD_NOT_ALLOWED,
            [(header::ALLOW, "POST")],
            "flowsmith mock endpoint: WhatsApp posts encrypted flow requests here.\n",
        )
            .into_response();
    }
    let started = Instant::now();
    let signature = request
        .headers()
        .get(SIGNATURE_HEADER)
        .map(|value| value.to_str().map(str::to_owned).unwrap_or_default());
    let Ok(body) = to_bytes(request.into_body(), REQUEST_LIMIT).await else {
        tracing::info!(limit = REQUEST_LIMIT, "refused a request over the size limit");
        return bare(StatusCode::PAYLOAD_TOO_LARGE);
    };
    if let Some(secret) = &mock.app_secret {
        let verified = signature
            .ok_or(ContractError::SignatureFormat)
            .and_then(|header| contract::verify(secret.expose().as_bytes(), &body, &header));
        if let Err(error) = verified {
            tracing::info!(%error, "432: the signature does not verify");
            return bare(StatusCode::from_u16(SIGNATURE_INVALID).unwrap_or(StatusCode::BAD_REQUEST));
        }
    }
    let decrypted = EncryptedRequest::from_body(&body)
        .and_then(|encrypted| contract::decrypt_request::<Request>(&mock.private_key, &encrypted));
    let (request, key) = match decrypted {
        Ok(decrypted) => decrypted,
        Err(error) => {
            let status = StatusCode::from_u16(error.status()).unwrap_or(StatusCode::BAD_REQUEST);
            tracing::info!(%error, status = status.as_u16(), "a request that does not decrypt");
            return bare(status);
        }
    };
    let screen = request.screen.as_deref().unwrap_or_default();
    let exchange = match request.action {
        _ if request.error().is_some() => Exchange::ErrorNotification,
        Action::Ping => Exchange::Ping,
        Action::Init => Exchange::Init,
        Action::DataExchange => Exchange::DataExchange { screen },
        Action::Back => Exchange::Back { screen },
    };
    let empty = serde_json::Map::new();
    let data = request.data.as_ref().unwrap_or(&empty);
    let token = request.flow_token.as_deref().unwrap_or_default();
    let answered = answer(&mock.flow, &mock.answers, exchange, token, data);
    match contract::encrypt_response(&key, &answered) {
        Ok(sealed) => {
            let next = answered.get("screen").and_then(Value::as_str).unwrap_or("-");
            let micros = u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX);
            tracing::debug!(action = ?request.action, screen, answered = next, micros, "answered");
            ([(header::CONTENT_TYPE, "text/plain")], sealed).into_response()
        }
        Err(error) => {
            tracing::warn!(%error, "cannot encrypt the answer");
            bare(StatusCode::INTERNAL_SERVER_ERROR)
        }
    }
}

/// A status and nothing else: a caller learns no reason.
fn bare(status: StatusCode) -> Response {
    (status, Body::empty()).into_response()
}
