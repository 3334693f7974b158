//! The sandbox: a local, persistent stand-in of 360dialog's Partner API flows endpoints.
//!
//! Mounted at `/sandbox` in sandbox mode:
//! - `/sandbox/api/v2/partners/{partner_id}/…`: the 11 flows operations of the seed spec and the
//!   partner's channel listing, with `X-API-Key` (401 without the right one). The app's
//!   same-origin `/api/v2/…` reaches them with the key added by the server (see `proxy`).
//! - `/sandbox/assets/{token}/flow.json`: an asset's `download_url`.
//! - `/sandbox/preview/{token}/flow.json`: the flow behind a `preview_url`, whose page is the
//!   app's `/embed?flow=<that URL>`.
//! - `POST /sandbox/control/flows/{flow_id}/status` with `{"status": "THROTTLED"}` (or
//!   `BLOCKED`, `PUBLISHED`), with `X-API-Key`: what Meta's health monitoring would do, for tests.
//! - `/sandbox/graph/{version}/…`: the same WABAs and flows through Meta's Graph API, with
//!   `Authorization: Bearer <the same key>` (see `graph.rs`), and
//!   `POST /sandbox/control/graph/rate_limit` to make it answer Meta's rate limit.
//! - `…/whatsapp_business_encryption` through either API: the business public key of a WABA's
//!   phone number, and `POST /sandbox/control/phone_numbers/{id}/register` to make it read
//!   `MISMATCH` as after a new registration (see `encryption.rs`).
mod encryption;
mod fields;
mod flows;
pub mod graph;
pub mod lifecycle;
pub mod phones;
pub(crate) mod request;
mod seed;
mod store;
pub mod validation;

use axum::Router;
use axum::extract::{Path, Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::Value;

pub use flows::{Links, MAX_MIGRATE_NAMES, PREVIEW_LIFETIME_SECONDS};
pub use request::{CATEGORIES, query_value};
pub use store::{DATABASE_FILE, OpenError, Store};

use crate::config::Secret;
use crate::error::{ApiError, json_response};
use request::{FlowPath, PartnerPath, WabaPath};

/// The sandbox's state: its store, the key it accepts, and how it links to itself.
#[derive(Clone)]
pub struct Sandbox {
    store: Store,
    key: Secret,
    links: Links,
    body_limit: usize,
    /// The Graph routes' simulated rate limit (`graph.rs`).
    graph_limit: std::sync::Arc<std::sync::Mutex<graph::RateLimit>>,
    /// What the test phones received (`phones.rs`).
    chats: phones::Chats,
}

impl Sandbox {
    /// A sandbox on `store`.
    pub fn new(store: Store, key: Secret, links: Links, body_limit: usize) -> Self {
        Sandbox {
            store,
            key,
            links,
            body_limit,
            graph_limit: std::sync::Arc::default(),
            chats: phones::Chats::default(),
        }
    }

    /// The store (tests cap its size to see a full disk).
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The sandbox's key.
    pub fn key(&self) -> &Secret {
        &self.key
    }

    /// What the test phones received.
    pub fn chats(&self) -> &phones::Chats {
        &self.chats
    }
}

/// The routes under `/sandbox`.
pub fn router(sandbox: Sandbox) -> Router {
    let flows = "/api/v2/partners/{partner_id}/waba_accounts/{waba_account_id}/flows";
    let api = Router::new()
        .route("/api/v2/partners/{partner_id}/channels", get(channels))
        .route(flows, get(list).post(create))
        .route(&format!("{flows}/migrate_flows"), post(migrate))
        .route(&format!("{flows}/{{flow_id}}"), get(get_flow).patch(update).delete(delete))
        .route(&format!("{flows}/{{flow_id}}/assets"), get(assets).post(upload))
        .route(&format!("{flows}/{{flow_id}}/publish"), post(publish))
        .route(&format!("{flows}/{{flow_id}}/preview"), get(preview))
        .route(&format!("{flows}/{{flow_id}}/deprecate"), post(deprecate))
        .route("/control/flows/{flow_id}/status", post(force_status))
        .route("/control/graph/rate_limit", post(graph::control_rate_limit))
        .route("/api/v2/partners/{partner_id}/waba_accounts/{waba_account_id}/messages", post(phones::send))
        .route(
            "/api/v2/partners/{partner_id}/waba_accounts/{waba_account_id}/whatsapp_business_encryption",
            get(encryption::key).post(encryption::upload),
        )
        .route("/control/phones", get(phones::phones))
        .route("/control/phone_numbers/{phone_number_id}/register", post(encryption::register_again))
        .route_layer(middleware::from_fn_with_state(sandbox.clone(), require_key));
    Router::new()
        .merge(api)
        .merge(graph::router(sandbox.clone()))
        .route("/assets/{token}/flow.json", get(download))
        .route("/preview/{token}/flow.json", get(preview_json))
        .fallback(|| async { ApiError::NotFound("No such sandbox route".to_owned()) })
        .method_not_allowed_fallback(|| async { ApiError::MethodNotAllowed })
        // The app's body limit (10 MB flow.json plus multipart) applies, not axum's 2 MB default.
        .layer(axum::extract::DefaultBodyLimit::disable())
        .with_state(sandbox)
}

/// The header the Partner API takes its key in.
pub const API_KEY_HEADER: &str = "x-api-key";

async fn require_key(State(sandbox): State<Sandbox>, request: Request, next: Next) -> Response {
    match request.headers().get(API_KEY_HEADER) {
        Some(key) if sandbox.key.matches(key.as_bytes()) => next.run(request).await,
        Some(_) => ApiError::Unauthorized("Invalid api key").into_response(),
        None if request.headers().contains_key(header::AUTHORIZATION) => {
            ApiError::Unauthorized("The sandbox takes the partner API key in the X-API-Key header only")
                .into_response()
        }
        None => ApiError::Unauthorized("Missing X-API-Key header").into_response(),
    }
}

/// Seconds since the Unix epoch.
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |elapsed| i64::try_from(elapsed.as_secs()).unwrap_or(i64::MAX))
}

/// Meta's timestamp format: `2024-02-29T06:35:40+0000` (UTC).
pub fn format_time(seconds: i64) -> String {
    let second_of_day = seconds.rem_euclid(86_400);
    format!(
        "{}T{:02}:{:02}:{:02}+0000",
        flow_model::date::iso(seconds.div_euclid(86_400)),
        second_of_day / 3600,
        second_of_day / 60 % 60,
        second_of_day % 60
    )
}

fn ok(body: Value) -> Response {
    json_response(StatusCode::OK, &body)
}

impl Sandbox {
    /// Runs `work` on the WABA account of the path in one transaction; answers its JSON.
    async fn in_waba<F>(&self, partner_id: String, waba_id: String, work: F) -> Result<Response, ApiError>
    where
        F: FnOnce(&rusqlite::Transaction<'_>, &flows::Waba) -> Result<Value, ApiError> + Send + 'static,
    {
        let body = self
            .store
            .run(move |tx| {
                let waba = flows::waba(tx, &partner_id, &waba_id)?;
                work(tx, &waba)
            })
            .await?;
        Ok(ok(body))
    }
}

async fn channels(
    State(sandbox): State<Sandbox>,
    PartnerPath(partner_id): PartnerPath,
    request: Request,
) -> Result<Response, ApiError> {
    let query = request::channel_query(request.uri().query())?;
    let body = sandbox.store.run(move |tx| flows::channels(tx, &partner_id, &query)).await?;
    Ok(ok(body))
}

async fn list(
    State(sandbox): State<Sandbox>,
    path: WabaPath,
    request: Request,
) -> Result<Response, ApiError> {
    let asked = fields::parse(&request::query_values(request.uri().query(), "fields"))?;
    let links = sandbox.links.clone();
    sandbox
        .in_waba(path.partner_id, path.waba_id, move |tx, waba| flows::list(tx, waba, &asked, &links, now()))
        .await
}

async fn create(
    State(sandbox): State<Sandbox>,
    path: WabaPath,
    request: Request,
) -> Result<Response, ApiError> {
    let body = request::read_object(request, sandbox.body_limit).await?;
    let create = request::create_request(&body)?;
    let partner_id = path.partner_id.clone();
    sandbox
        .in_waba(path.partner_id, path.waba_id, move |tx, waba| {
            flows::create(tx, &partner_id, waba, create, now())
        })
        .await
}

async fn migrate(
    State(sandbox): State<Sandbox>,
    path: WabaPath,
    request: Request,
) -> Result<Response, ApiError> {
    let body = request::read_object(request, sandbox.body_limit).await?;
    let migrate = request::migrate_request(&body)?;
    let partner_id = path.partner_id.clone();
    sandbox
        .in_waba(path.partner_id, path.waba_id, move |tx, waba| {
            flows::migrate(tx, &partner_id, waba, migrate, now())
        })
        .await
}

async fn get_flow(
    State(sandbox): State<Sandbox>,
    path: FlowPath,
    request: Request,
) -> Result<Response, ApiError> {
    let asked = fields::parse(&request::query_values(request.uri().query(), "fields"))?;
    let links = sandbox.links.clone();
    let flow_id = path.flow_id.clone();
    sandbox
        .in_waba(path.partner_id, path.waba_id, move |tx, waba| {
            flows::get(tx, waba, &flow_id, &asked, &links, now())
        })
        .await
}

async fn update(
    State(sandbox): State<Sandbox>,
    path: FlowPath,
    request: Request,
) -> Result<Response, ApiError> {
    let body = request::read_object(request, sandbox.body_limit).await?;
    let update = request::update_request(&body)?;
    let flow_id = path.flow_id.clone();
    sandbox
        .in_waba(path.partner_id, path.waba_id, move |tx, waba| {
            flows::update(tx, waba, &flow_id, update, now())
        })
        .await
}

async fn delete(State(sandbox): State<Sandbox>, path: FlowPath) -> Result<Response, ApiError> {
    let flow_id = path.flow_id.clone();
    sandbox.in_waba(path.partner_id, path.waba_id, move |tx, waba| flows::delete(tx, waba, &flow_id)).await
}

async fn assets(State(sandbox): State<Sandbox>, path: FlowPath) -> Result<Response, ApiError> {
    let links = sandbox.links.clone();
    let flow_id = path.flow_id.clone();
    sandbox
        .in_waba(path.partner_id, path.waba_id, move |tx, waba| flows::assets(tx, waba, &flow_id, &links))
        .await
}

async fn upload(
    State(sandbox): State<Sandbox>,
    path: FlowPath,
    request: Request,
) -> Result<Response, ApiError> {
    // Refuse unknown flows before reading (and validating) up to 10 MB.
    let scope = path.clone();
    sandbox
        .store
        .run(move |tx| {
            let waba = flows::waba(tx, &scope.partner_id, &scope.waba_id)?;
            flows::flow(tx, &waba, &scope.flow_id).map(|_| ())
        })
        .await?;
    let text = request::read_flow_json(request, sandbox.body_limit).await?;
    let (text, checked) = checked(text).await?;
    let flow_id = path.flow_id.clone();
    sandbox
        .in_waba(path.partner_id, path.waba_id, move |tx, waba| {
            flows::upload(tx, waba, &flow_id, &text, &checked, now())
        })
        .await
}

/// `text` with Meta's checks of it, run on the blocking pool (up to 10 MB of JSON).
async fn checked(text: Vec<u8>) -> Result<(Vec<u8>, validation::Checked), ApiError> {
    tokio::task::spawn_blocking(move || {
        let checked = validation::check(&text);
        (text, checked)
    })
    .await
    .map_err(|error| ApiError::Internal(format!("validation task failed: {error}")))
}

async fn publish(State(sandbox): State<Sandbox>, path: FlowPath) -> Result<Response, ApiError> {
    let flow_id = path.flow_id.clone();
    sandbox
        .in_waba(path.partner_id, path.waba_id, move |tx, waba| flows::publish(tx, waba, &flow_id, now()))
        .await
}

async fn preview(
    State(sandbox): State<Sandbox>,
    path: FlowPath,
    request: Request,
) -> Result<Response, ApiError> {
    let invalidate = request::invalidate(request.uri().query())?;
    let links = sandbox.links.clone();
    let flow_id = path.flow_id.clone();
    sandbox
        .in_waba(path.partner_id, path.waba_id, move |tx, waba| {
            flows::preview(tx, waba, &flow_id, invalidate, &links, now())
        })
        .await
}

async fn deprecate(State(sandbox): State<Sandbox>, path: FlowPath) -> Result<Response, ApiError> {
    let flow_id = path.flow_id.clone();
    sandbox
        .in_waba(path.partner_id, path.waba_id, move |tx, waba| flows::deprecate(tx, waba, &flow_id, now()))
        .await
}

async fn force_status(
    State(sandbox): State<Sandbox>,
    Path(flow_id): Path<String>,
    request: Request,
) -> Result<Response, ApiError> {
    if !crate::ids::is_valid(&flow_id) {
        return Err(ApiError::flow_not_found());
    }
    let body = request::read_object(request, sandbox.body_limit).await?;
    let status = request::control_status(&body)?;
    let answer = sandbox.store.run(move |tx| flows::force_status(tx, &flow_id, status, now())).await?;
    Ok(ok(answer))
}

async fn download(State(sandbox): State<Sandbox>, Path(token): Path<String>) -> Result<Response, ApiError> {
    let text = if crate::ids::is_valid(&token) {
        sandbox.store.run(move |tx| flows::asset_by_token(tx, &token)).await?
    } else {
        None
    };
    let text = text.ok_or_else(|| {
        ApiError::NotFound(
            "No asset at this link: it was replaced by a newer upload or never existed".to_owned(),
        )
    })?;
    Ok(flow_json_response(text))
}

async fn preview_json(
    State(sandbox): State<Sandbox>,
    Path(token): Path<String>,
) -> Result<Response, ApiError> {
    let text = if crate::ids::is_valid(&token) {
        sandbox.store.run(move |tx| flows::preview_by_token(tx, &token, now())).await?
    } else {
        None
    };
    let text = text.ok_or_else(|| {
        ApiError::NotFound(
            "This preview link expired or was replaced, or its flow has no flow.json yet; ask for a new one"
                .to_owned(),
        )
    })?;
    Ok(flow_json_response(text))
}

fn flow_json_response(text: Vec<u8>) -> Response {
    let mut response = (StatusCode::OK, text).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// Whether a method and path (below `/api/v2`) is one of the operations the sandbox and the
/// proxy serve: the 11 flows operations and the channel listing.
pub fn is_partner_operation(method: &Method, segments: &[&str]) -> bool {
    matches!(
        (segments, method.as_str()),
        (["partners", _, "channels"], "GET")
            | (["partners", _, "waba_accounts", _, "flows"], "GET" | "POST")
            | (["partners", _, "waba_accounts", _, "flows", "migrate_flows"], "POST")
            | (["partners", _, "waba_accounts", _, "flows", _], "GET" | "PATCH" | "DELETE")
            | (["partners", _, "waba_accounts", _, "flows", _, "assets"], "GET" | "POST")
            | (["partners", _, "waba_accounts", _, "flows", _, "publish" | "deprecate"], "POST")
            | (["partners", _, "waba_accounts", _, "flows", _, "preview"], "GET")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_are_meta_shaped() {
        assert_eq!(format_time(0), "1970-01-01T00:00:00+0000");
        assert_eq!(format_time(1_709_188_540), "2024-02-29T06:35:40+0000");
        assert_eq!(format_time(1_795_392_000), "2026-11-23T00:00:00+0000");
    }

    #[test]
    fn the_partner_operations_and_nothing_else() {
        let ops = [
            ("GET", "partners/p/channels"),
            ("GET", "partners/p/waba_accounts/w/flows"),
            ("POST", "partners/p/waba_accounts/w/flows"),
            ("POST", "partners/p/waba_accounts/w/flows/migrate_flows"),
            ("GET", "partners/p/waba_accounts/w/flows/1"),
            ("PATCH", "partners/p/waba_accounts/w/flows/1"),
            ("DELETE", "partners/p/waba_accounts/w/flows/1"),
            ("GET", "partners/p/waba_accounts/w/flows/1/assets"),
            ("POST", "partners/p/waba_accounts/w/flows/1/assets"),
            ("POST", "partners/p/waba_accounts/w/flows/1/publish"),
            ("GET", "partners/p/waba_accounts/w/flows/1/preview"),
            ("POST", "partners/p/waba_accounts/w/flows/1/deprecate"),
        ];
        for (method, path) in ops {
            let segments: Vec<&str> = path.split('/').collect();
            assert!(is_partner_operation(&method.parse().unwrap(), &segments), "{method} {path}");
        }
        for (method, path) in [
            ("DELETE", "partners/p/waba_accounts/w/flows"),
            ("GET", "partners/p/clients"),
            ("POST", "partners/p/channels/c/api_keys"),
            ("GET", "partners/p/waba_accounts/w/templates"),
            ("PUT", "partners/p/waba_accounts/w/flows/1"),
            ("GET", "partners/p/waba_accounts/w/flows/1/publish"),
        ] {
            let segments: Vec<&str> = path.split('/').collect();
            assert!(!is_partner_operation(&method.parse().unwrap(), &segments), "{method} {path}");
        }
    }
}
