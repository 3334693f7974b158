//! The app's same-origin Partner API: `/api/v2/partners/{partner_id}/…`.
//!
//! Exactly the 11 flows operations of the seed spec and the partner's channel listing pass;
//! every other path or method under `/api/` is a 404. The server's own key is added: in
//! 360dialog mode the call goes to the upstream over HTTPS (request bodies streamed, so a
//! 10 MB upload is never held whole); in sandbox mode it goes in-process to the sandbox; in
//! graph mode the backend answers it through the adapter (`adapter.rs`). The
//! browser's own credentials never cross, and the key never comes back: response headers and
//! bodies that would hold it are cleaned before they leave.
pub mod adapter;
pub mod asset;
mod headers;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Uri};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use http_body_util::{BodyExt as _, LengthLimitError, Limited};
use tower::ServiceExt as _;

use crate::config::Secret;
use crate::error::ApiError;
use crate::sandbox::{API_KEY_HEADER, is_partner_operation};

/// Largest upstream answer passed on (Partner API answers are small JSON documents).
pub const MAX_UPSTREAM_RESPONSE: usize = 16 * 1024 * 1024;

/// Upstream calls in flight at once by default (`--upstream-concurrency`); more wait their turn.
/// Bounds the upstream connections (and their buffers) however many browsers are connected:
/// 32 keeps 1,000 connections under 50 MB; 128 keeps 98% of the direct throughput against a
/// 20 ms upstream at 64 connections for 3 MB more (BENCHMARKS.md).
pub const MAX_UPSTREAM_CALLS: usize = 32;

/// Where the front sends the app's calls.
#[derive(Clone)]
pub enum Target {
    /// The in-process sandbox router (its routes start at `/api/v2`), and its key.
    Sandbox(Router, Secret),
    /// 360dialog.
    Upstream(Arc<Upstream>),
    /// A backend that does not speak the Partner API (Meta's Graph API), answering the
    /// Partner-shaped operations through the adapter; and the body limit of uploads.
    Backend(Arc<dyn crate::backend::Backend>, usize),
}

impl Target {
    /// Sends one Partner API call (path from `/api/v2/…`) with the server's key: the
    /// workspace's backend calls WhatsApp through here, as the app's own calls do.
    pub async fn send(&self, request: Request) -> Result<Response, ApiError> {
        match self {
            Target::Sandbox(sandbox, key) => Ok(to_sandbox(sandbox.clone(), key, request).await),
            Target::Upstream(upstream) => upstream.forward(request).await,
            Target::Backend(backend, body_limit) => adapter::answer(backend, *body_limit, request).await,
        }
    }
}

/// The front's state (cheap to clone: one `Arc`).
#[derive(Clone)]
pub struct Front(Arc<FrontInner>);

struct FrontInner {
    target: Target,
    partner_id: Option<String>,
    connections: Option<crate::connections::Connections>,
    /// Tells the app about rate-limit waits of calls the backend answers (graph mode).
    workspace: Option<crate::workspace::Workspace>,
}

impl Front {
    /// A front for `target`; with `partner_id`, only that partner's paths pass.
    pub fn new(target: Target, partner_id: Option<String>) -> Self {
        Front(Arc::new(FrontInner { target, partner_id, connections: None, workspace: None }))
    }

    /// The same, sending a stored connection's partner to that connection (its own key).
    pub fn with_connections(
        target: Target,
        partner_id: Option<String>,
        connections: crate::connections::Connections,
        workspace: crate::workspace::Workspace,
    ) -> Self {
        Front(Arc::new(FrontInner {
            target,
            partner_id,
            connections: Some(connections),
            workspace: Some(workspace),
        }))
    }
}

/// The `/api/` routes.
pub fn router(front: Front) -> Router {
    Router::new()
        .route("/api/v2/{*rest}", axum::routing::any(forward))
        .route("/api/{*rest}", axum::routing::any(not_an_operation))
        .with_state(front)
}

async fn not_an_operation() -> ApiError {
    ApiError::NotFound("Not a Partner API operation this server forwards".to_owned())
}

async fn forward(State(front): State<Front>, request: Request) -> Result<Response, ApiError> {
    let path = request.uri().path().to_owned();
    let segments: Vec<&str> = path.trim_start_matches("/api/v2/").split('/').collect();
    // Ids are checked before anything else, so "..", "%2F" and friends never reach a URL.
    let ids_ok = segments.iter().all(|segment| crate::ids::is_valid(segment));
    if !ids_ok || !is_partner_operation(request.method(), &segments) {
        return Err(not_an_operation().await);
    }
    let stored = |error: crate::workspace::store::StoreError| {
        ApiError::StorageUnavailable(format!("cannot read the stored connections: {error}"))
    };
    // A partner an admin stored a connection for goes there, with that connection's key.
    if let (Some(connections), Some(asked)) = (&front.0.connections, segments.get(1))
        && let Some(connection) = connections.for_partner(asked).await.map_err(stored)?
    {
        return match connection.target() {
            Some(target) => target.send(request).await,
            None => Err(ApiError::BadGateway(connection.problem().unwrap_or_default().to_owned())),
        };
    }
    // An account of a stored Graph connection goes to that connection's backend, whatever
    // partner the app names (it names the server's own; Meta's WABA ids are not 360dialog's).
    if let (Some(connections), ["partners", _, "waba_accounts", waba, ..]) =
        (&front.0.connections, segments.as_slice())
        && let Some(connection) = connections.for_waba(waba).await.map_err(stored)?
    {
        return match connection.target() {
            Some(target) => through(&front, target, &segments, request).await,
            None => Err(ApiError::BadGateway(connection.problem().unwrap_or_default().to_owned())),
        };
    }
    if let (Some(configured), Some(asked)) = (&front.0.partner_id, segments.get(1))
        && configured != asked
    {
        return Err(ApiError::Forbidden(format!(
            "This server works for partner {configured}; partner {asked} is not forwarded"
        )));
    }
    let answer = through(&front, &front.0.target, &segments, request).await?;
    // The accounts of stored Graph connections are listed with the server's own.
    match (&front.0.connections, segments.as_slice()) {
        (Some(connections), ["partners", _, "channels"]) => {
            let more = connections.graph_backends().await.map_err(stored)?;
            adapter::with_accounts_of(answer, &more).await
        }
        _ => Ok(answer),
    }
}

/// Sends `request` to `target`; a backend's waits for Meta's rate limit are told to the app
/// as they happen: a migration's as its progress (`migrate.progress`), other calls' as
/// `whatsapp.waiting`.
async fn through(
    front: &Front,
    target: &Target,
    segments: &[&str],
    request: Request,
) -> Result<Response, ApiError> {
    let (kind, account) = match segments {
        [.., account, "flows", "migrate_flows"] => ("migrate.progress", Some((*account).to_owned())),
        ["partners", _, "waba_accounts", account, ..] => ("whatsapp.waiting", Some((*account).to_owned())),
        _ => ("whatsapp.waiting", None),
    };
    match (target, &front.0.workspace) {
        (Target::Backend(..), Some(workspace)) => {
            let report = workspace.wait_reporter(kind, account);
            crate::backend::reporting_waits(report, target.send(request)).await
        }
        _ => target.send(request).await,
    }
}

async fn to_sandbox(sandbox: Router, key: &Secret, request: Request) -> Response {
    let (mut parts, body) = request.into_parts();
    let mut headers = headers::request_headers(&parts.headers);
    if let Ok(mut value) = HeaderValue::from_str(key.expose()) {
        value.set_sensitive(true);
        headers.insert(API_KEY_HEADER, value);
    }
    parts.headers = headers;
    // The front's own route parameters must not reach the sandbox's extractors.
    parts.extensions = axum::http::Extensions::new();
    match sandbox.oneshot(Request::from_parts(parts, body)).await {
        Ok(response) => response,
        Err(never) => match never {},
    }
}

/// 360dialog's Partner API behind the front.
pub struct Upstream {
    client: UpstreamClient,
    /// The base URL without its trailing `/`: a request's path and query are appended as they
    /// came (ids already checked), so no URL is parsed per request but the final one.
    prefix: String,
    host: String,
    key: HeaderValue,
    secret: Secret,
    redactor: Redactor,
    timeout: Duration,
    body_limit: usize,
    calls: tokio::sync::Semaphore,
}

/// hyper's pooled client over rustls (ring, the platform's roots). Not reqwest: its redirect,
/// retry and URL layers cost more than the rest of a proxied call (BENCHMARKS.md), and the
/// front needs none of them.
pub(crate) type UpstreamClient = hyper_util::client::legacy::Client<
    hyper_rustls::HttpsConnector<hyper_util::client::legacy::connect::HttpConnector>,
    Body,
>;

/// The HTTP client for asset downloads: rustls with the ring provider, system roots.
pub fn http_client(redirects: reqwest::redirect::Policy) -> Result<reqwest::Client, String> {
    // The process-wide provider; a second call finds it installed, which is fine.
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .redirect(redirects)
        .pool_idle_timeout(Duration::from_secs(60))
        .pool_max_idle_per_host(MAX_UPSTREAM_CALLS)
        .build()
        .map_err(|error| format!("cannot set up the HTTPS client: {error}"))
}

/// The client of the 360dialog front and of the Graph backend.
pub(crate) fn upstream_client() -> Result<UpstreamClient, String> {
    use rustls_platform_verifier::ConfigVerifierExt as _;
    let _ = rustls::crypto::ring::default_provider().install_default();
    let tls = rustls::ClientConfig::with_platform_verifier()
        .map_err(|error| format!("cannot set up the HTTPS client: {error}"))?;
    let mut http = hyper_util::client::legacy::connect::HttpConnector::new();
    // Small request and answer on a kept-alive connection: waiting for Nagle only adds latency.
    http.set_nodelay(true);
    http.enforce_http(false);
    let connector = hyper_rustls::HttpsConnectorBuilder::new()
        .with_tls_config(tls)
        .https_or_http()
        .enable_http1()
        .wrap_connector(http);
    Ok(hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
        .pool_timer(hyper_util::rt::TokioTimer::new())
        .pool_idle_timeout(Duration::from_secs(60))
        .pool_max_idle_per_host(MAX_UPSTREAM_CALLS)
        .build(connector))
}

impl Upstream {
    /// Forwards to `base` with `key`, waiting at most `timeout`, at most `concurrency` calls at
    /// once.
    pub fn new(
        base: url::Url,
        key: Secret,
        timeout: Duration,
        body_limit: usize,
        concurrency: usize,
    ) -> Result<Self, String> {
        let mut value = HeaderValue::from_str(key.expose())
            .map_err(|_| "the partner API key holds characters a header cannot")?;
        value.set_sensitive(true);
        let client = upstream_client()?;
        let prefix = base[..url::Position::AfterPath].trim_end_matches('/').to_owned();
        let host = base.host_str().unwrap_or_default().to_owned();
        let calls = tokio::sync::Semaphore::new(concurrency.max(1));
        let redactor = Redactor::new(key.expose());
        Ok(Upstream { client, prefix, host, key: value, secret: key, redactor, timeout, body_limit, calls })
    }

    async fn forward(&self, request: Request) -> Result<Response, ApiError> {
        let (parts, body) = request.into_parts();
        let method = parts.method.clone();
        let path_and_query = parts.uri.path_and_query().map_or("/", |path| path.as_str());
        let mut target = String::with_capacity(self.prefix.len() + path_and_query.len());
        target.push_str(&self.prefix);
        target.push_str(path_and_query);
        let uri = Uri::try_from(target)
            .map_err(|error| ApiError::Internal(format!("no upstream URL for this path: {error}")))?;
        let mut headers = headers::request_headers(&parts.headers);
        headers.insert(API_KEY_HEADER, self.key.clone());
        if let Ok(id) = HeaderValue::from_str(&crate::error::request_id()) {
            headers.insert(crate::layers::REQUEST_ID_HEADER, id);
        }
        let has_body = parts.headers.contains_key(axum::http::header::CONTENT_LENGTH)
            || parts.headers.contains_key(axum::http::header::TRANSFER_ENCODING);
        // The URI and header values still point into hyper's read buffer of the connection
        // (8 KB); the upstream call holds copies, so a request waiting for its turn below
        // holds a few hundred bytes, not that buffer.
        drop(parts);
        let over_limit = Arc::new(AtomicBool::new(false));
        let body = if has_body {
            let flag = Arc::clone(&over_limit);
            Body::new(body.map_err(move |error| {
                if crate::layers::is_length_limit(&error) {
                    flag.store(true, Ordering::Relaxed);
                }
                error
            }))
        } else {
            Body::empty()
        };
        let mut call = axum::http::Request::new(body);
        *call.method_mut() = method;
        *call.uri_mut() = uri;
        *call.headers_mut() = headers;
        let _turn =
            self.calls.acquire().await.map_err(|_| ApiError::Internal("upstream closed".to_owned()))?;
        let exchange = async {
            let upstream = self
                .client
                .request(call)
                .await
                .map_err(|error| self.failure(error.is_connect(), &error, &over_limit))?;
            let (head, body) = upstream.into_parts();
            // Answers are read whole (capped) so the key can be looked for in them.
            let body = match Limited::new(body, MAX_UPSTREAM_RESPONSE).collect().await {
                Ok(collected) => collected.to_bytes(),
                Err(error) if error.is::<LengthLimitError>() => {
                    return Err(ApiError::BadGateway(format!(
                        "The 360dialog Partner API answered with more than {MAX_UPSTREAM_RESPONSE} bytes"
                    )));
                }
                Err(error) => return Err(self.failure(false, &*error, &over_limit)),
            };
            Ok((head, body))
        };
        let (head, body) = tokio::time::timeout(self.timeout, exchange).await.map_err(|_| {
            ApiError::UpstreamTimeout { what: "The 360dialog Partner API", after: self.timeout }
        })??;
        let body = self.redactor.redact(body);
        if head.status.is_server_error() {
            return Err(ApiError::BadGateway(format!(
                "The 360dialog Partner API failed with HTTP {}: {}",
                head.status.as_u16(),
                upstream_message(&body)
            )));
        }
        let mut response = (head.status, body).into_response();
        headers::return_headers(&head.headers, self.secret.expose(), response.headers_mut());
        Ok(response)
    }

    fn failure(&self, connect: bool, error: &dyn std::fmt::Display, over_limit: &AtomicBool) -> ApiError {
        if over_limit.load(Ordering::Relaxed) {
            return ApiError::PayloadTooLarge { limit: self.body_limit };
        }
        let host = self.host.as_str();
        // The error names the URL at most (never the key, which is a header); keep it short.
        let reason = if connect { "cannot connect" } else { "the connection failed" };
        tracing::warn!(host, error = %error, "upstream call failed");
        ApiError::BadGateway(format!(
            "Cannot reach the 360dialog Partner API at {host}: {reason}; try again later"
        ))
    }
}

/// The upstream's `developer_message` (either spelling), or the start of its body.
fn upstream_message(body: &[u8]) -> String {
    let parsed: Option<serde_json::Value> = serde_json::from_slice(body).ok();
    let meta = parsed.as_ref().and_then(|value| value.get("meta"));
    let message = meta
        .and_then(|meta| meta.get("developer_message").or_else(|| meta.get("developerMessage")))
        .and_then(serde_json::Value::as_str);
    match message {
        Some(message) => message.chars().take(500).collect(),
        None if body.is_empty() => "no body".to_owned(),
        None => String::from_utf8_lossy(&body[..body.len().min(200)]).into_owned(),
    }
}

/// Cuts a secret out of answers. Its searcher is built once: built for each answer, it cost
/// more than the search (BENCHMARKS.md).
pub struct Redactor {
    finder: memchr::memmem::Finder<'static>,
}

impl Redactor {
    /// A redactor of `secret`; an empty one cuts nothing.
    pub fn new(secret: &str) -> Self {
        Redactor { finder: memchr::memmem::Finder::new(secret.as_bytes()).into_owned() }
    }

    /// `body` with every occurrence of the secret replaced by `[redacted]`.
    pub fn redact(&self, body: Bytes) -> Bytes {
        let length = self.finder.needle().len();
        if length == 0 || self.finder.find(&body).is_none() {
            return body;
        }
        tracing::warn!("an upstream's answer held the server's credential; it was redacted");
        let mut out = Vec::with_capacity(body.len());
        let mut rest: &[u8] = &body;
        while let Some(at) = self.finder.find(rest) {
            out.extend_from_slice(&rest[..at]);
            out.extend_from_slice(b"[redacted]");
            rest = &rest[at + length..];
        }
        out.extend_from_slice(rest);
        Bytes::from(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_is_cut_out_of_bodies() {
        let redactor = Redactor::new("k3y");
        let body = redactor.redact(Bytes::from_static(b"{\"key\":\"k3y\",\"again\":\"k3yk3y\"}"));
        assert_eq!(&body[..], b"{\"key\":\"[redacted]\",\"again\":\"[redacted][redacted]\"}");
        assert_eq!(&redactor.redact(Bytes::from_static(b"clean"))[..], b"clean");
        assert_eq!(&Redactor::new("").redact(Bytes::from_static(b"clean"))[..], b"clean");
    }

    #[test]
    fn upstream_messages_are_read_in_both_spellings() {
        assert_eq!(upstream_message(br#"{"meta":{"developer_message":"down"}}"#), "down");
        assert_eq!(upstream_message(br#"{"meta":{"developerMessage":"down"}}"#), "down");
        assert_eq!(upstream_message(b"<html>Bad gateway</html>"), "<html>Bad gateway</html>");
        assert_eq!(upstream_message(b""), "no body");
    }
}
