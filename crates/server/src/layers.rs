//! The layers around every route: request id, request timeout and security headers ([`Edge`]),
//! body limit, and the guard that keeps foreign web pages from driving the API with this server's
//! key.
use std::convert::Infallible;
use std::error::Error as StdError;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tokio::task::futures::TaskLocalFuture;
use tower::{Layer, Service};

use crate::config::Origins;
use crate::error::{ApiError, REQUEST_ID};

/// The response (and request) header carrying the request id.
pub const REQUEST_ID_HEADER: &str = "x-request-id";

/// The id of `request`: the caller's `x-request-id` when it is a plain token, a fresh one
/// otherwise.
fn request_id_of(request: &Request) -> String {
    request
        .headers()
        .get(REQUEST_ID_HEADER)
        .and_then(|value| value.to_str().ok())
        .filter(|value| crate::ids::is_valid(value))
        .map_or_else(crate::ids::request_id, str::to_owned)
}

/// What [`Edge`] needs to know.
#[derive(Debug)]
pub struct EdgeSettings {
    /// After this long a request is answered 504.
    pub timeout: Duration,
    /// `Content-Security-Policy` of answers that do not set their own (pages set a fresher one).
    pub content_security_policy: HeaderValue,
}

/// The outermost layer of every request, written by hand as one service rather than a
/// `from_fn` per concern: each `from_fn` boxed its inner service and its future for every
/// request, a tenth of a proxied request's instructions (BENCHMARKS.md, "Server: sync through
/// Meta's Graph API"). In order:
/// - the request's id ([`request_id_of`]): the task-local [`REQUEST_ID`] for the trace span and
///   error envelopes (inner services' `call` and futures run within it), and the `x-request-id`
///   response header;
/// - the request timeout: 504 in the envelope after [`EdgeSettings::timeout`];
/// - the security headers of every answer: `X-Content-Type-Options`, `Referrer-Policy`, and
///   `Content-Security-Policy` unless the answer has its own.
#[derive(Debug, Clone)]
pub struct EdgeLayer(Arc<EdgeSettings>);

impl EdgeLayer {
    pub fn new(settings: EdgeSettings) -> EdgeLayer {
        EdgeLayer(Arc::new(settings))
    }
}

impl<S> Layer<S> for EdgeLayer {
    type Service = Edge<S>;

    fn layer(&self, inner: S) -> Edge<S> {
        Edge { inner, settings: Arc::clone(&self.0) }
    }
}

/// See [`EdgeLayer`].
#[derive(Debug, Clone)]
pub struct Edge<S> {
    inner: S,
    settings: Arc<EdgeSettings>,
}

impl<S, B> Service<Request> for Edge<S>
where
    S: Service<Request, Response = axum::http::Response<B>, Error = Infallible>,
    B: axum::body::HttpBody<Data = bytes::Bytes> + Send + 'static,
    B::Error: Into<axum::BoxError>,
{
    type Response = Response;
    type Error = Infallible;
    type Future = EdgeFuture<S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request) -> Self::Future {
        let id = request_id_of(&request);
        // Ids are plain tokens (`ids::is_valid`), so this never fails.
        let header = HeaderValue::from_str(&id).ok();
        let inner = REQUEST_ID.sync_scope(id.clone(), || self.inner.call(request));
        EdgeFuture {
            inner: REQUEST_ID.scope(id, tokio::time::timeout(self.settings.timeout, inner)),
            header,
            settings: Arc::clone(&self.settings),
        }
    }
}

pin_project_lite::pin_project! {
    /// The future of [`Edge`].
    pub struct EdgeFuture<F> {
        #[pin]
        inner: TaskLocalFuture<String, tokio::time::Timeout<F>>,
        header: Option<HeaderValue>,
        settings: Arc<EdgeSettings>,
    }
}

impl<F, B> Future for EdgeFuture<F>
where
    F: Future<Output = Result<axum::http::Response<B>, Infallible>>,
    B: axum::body::HttpBody<Data = bytes::Bytes> + Send + 'static,
    B::Error: Into<axum::BoxError>,
{
    type Output = Result<Response, Infallible>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        let mut response = match std::task::ready!(this.inner.poll(cx)) {
            // The trace layer's body in it, as `from_fn` did.
            Ok(Ok(response)) => response.map(Body::new),
            Err(_elapsed) => {
                let after = this.settings.timeout;
                let id = this.header.as_ref().and_then(|id| id.to_str().ok()).unwrap_or_default().to_owned();
                tracing::warn!(id, seconds = after.as_secs(), "request timed out: answered 504");
                REQUEST_ID.sync_scope(id, || ApiError::RequestTimeout(after).into_response())
            }
        };
        let headers = response.headers_mut();
        if !headers.contains_key(header::CONTENT_SECURITY_POLICY) {
            headers.insert(header::CONTENT_SECURITY_POLICY, this.settings.content_security_policy.clone());
        }
        headers.insert(header::X_CONTENT_TYPE_OPTIONS, crate::statics::NOSNIFF);
        headers.insert(header::REFERRER_POLICY, crate::statics::REFERRER_POLICY);
        if let Some(id) = this.header.take() {
            headers.insert(REQUEST_ID_HEADER, id);
        }
        Poll::Ready(Ok(response))
    }
}

/// Refuses bodies over its limit: at once when `Content-Length` says so, and while reading
/// otherwise (chunked uploads), so a streamed upload stops at the limit too. By hand for the
/// reason [`EdgeLayer`] is; inside CORS, so a page of an allowed origin can read the 413.
#[derive(Debug, Clone, Copy)]
pub struct BodyLimitLayer(pub usize);

impl<S> Layer<S> for BodyLimitLayer {
    type Service = BodyLimit<S>;

    fn layer(&self, inner: S) -> BodyLimit<S> {
        BodyLimit { inner, limit: self.0 }
    }
}

/// See [`BodyLimitLayer`].
#[derive(Debug, Clone)]
pub struct BodyLimit<S> {
    inner: S,
    limit: usize,
}

impl<S> Service<Request> for BodyLimit<S>
where
    S: Service<Request, Response = Response, Error = Infallible>,
{
    type Response = Response;
    type Error = Infallible;
    type Future = futures_util::future::Either<std::future::Ready<Result<Response, Infallible>>, S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request) -> Self::Future {
        use futures_util::future::Either;
        let limit = self.limit;
        if declared_length(&request).is_some_and(|length| length > limit as u64) {
            // Within the request's id (`Edge` calls inner services in its scope).
            return Either::Left(std::future::ready(Ok(ApiError::PayloadTooLarge { limit }.into_response())));
        }
        let (parts, body) = request.into_parts();
        let body = Body::new(http_body_util::Limited::new(body, limit));
        Either::Right(self.inner.call(Request::from_parts(parts, body)))
    }
}

/// The body's length as `Content-Length` declares it, if it does.
pub fn declared_length(request: &Request) -> Option<u64> {
    request.headers().get(header::CONTENT_LENGTH)?.to_str().ok()?.parse().ok()
}

/// Whether reading a body failed because it crossed the body limit.
pub fn is_length_limit(error: &(dyn StdError + 'static)) -> bool {
    let mut current: Option<&(dyn StdError + 'static)> = Some(error);
    while let Some(error) = current {
        if error.is::<http_body_util::LengthLimitError>() {
            return true;
        }
        current = error.source();
    }
    false
}

/// The error for a body that could not be read.
pub fn body_error(error: &axum::Error, limit: usize) -> ApiError {
    if is_length_limit(error) {
        ApiError::PayloadTooLarge { limit }
    } else {
        ApiError::wrong_payload("The request body could not be read; send it again")
    }
}

/// Who may call the API from a browser.
#[derive(Debug, Clone)]
pub struct OriginPolicy {
    /// The configured CORS origins.
    pub allowed: Origins,
    /// The public URL's origin (`http://127.0.0.1:8080`).
    pub public_origin: String,
    /// Host names, besides IP addresses and `localhost`, that requests may name in `Host`:
    /// the public URL's and the allowed origins', lowercase, without port.
    pub hosts: Vec<String>,
}

impl OriginPolicy {
    /// The policy for the server at `public_url` called from `allowed` origins.
    pub fn new(allowed: Origins, public_url: &url::Url) -> OriginPolicy {
        let mut hosts: Vec<String> = public_url.host_str().map(str::to_ascii_lowercase).into_iter().collect();
        if let Origins::List(origins) = &allowed {
            let parsed = origins.iter().filter_map(|origin| url::Url::parse(origin.to_str().ok()?).ok());
            hosts.extend(parsed.filter_map(|url| url.host_str().map(str::to_ascii_lowercase)));
        }
        OriginPolicy { allowed, public_origin: public_url.origin().ascii_serialization(), hosts }
    }

    /// Whether a request naming `host` (a `Host` header: name or address, maybe a port) may
    /// use the API. A page of another site can make its own domain name resolve to this
    /// machine (DNS rebinding) and then call the API as its "same origin", so only names this
    /// server is known by pass: IP addresses (a rebinding needs a name), `localhost`, and the
    /// hosts of the public URL and of the allowed origins.
    pub fn trusts_host(&self, host: &str) -> bool {
        let host = host.trim();
        if host.starts_with('[') {
            return true; // An IPv6 address.
        }
        let name = match host.rsplit_once(':') {
            Some((name, port)) if port.bytes().all(|b| b.is_ascii_digit()) => name,
            _ => host,
        };
        let name = name.trim_end_matches('.').to_ascii_lowercase();
        name.parse::<std::net::Ipv4Addr>().is_ok()
            || name == "localhost"
            || name.ends_with(".localhost")
            || self.hosts.contains(&name)
    }
}

/// The refusal of a request addressed to a host name this server is not known by (see
/// [`OriginPolicy::trusts_host`]), or sent by a browser from a page of another origin that is
/// not allowed; `None` when it may pass.
///
/// CORS only stops a foreign page from *reading* answers; a form post or a `fetch` with
/// `mode: "no-cors"` still reaches the server, which would spend the partner key on the
/// page's behalf. Browsers name the page's origin in `Origin`, so this checks it. Requests
/// without `Origin` (curl, servers, same-origin GETs) pass, unless they change something
/// ([`crate::auth::access::changes_state`]: every method but GET/HEAD/OPTIONS, and a preview
/// link's `invalidate`) and the browser says in `Sec-Fetch-Site` that another site sent them
/// (a link followed from another site carries a `SameSite=Lax` cookie).
pub fn origin_refusal(policy: &OriginPolicy, request: &Request) -> Option<Response> {
    let host = request.headers().get(header::HOST).and_then(|host| host.to_str().ok());
    if let Some(host) = host.or_else(|| request.uri().authority().map(|a| a.as_str()))
        && !policy.trusts_host(host)
    {
        return Some(ApiError::Forbidden(format!(
            "Requests addressed to '{host}' are refused: this server only answers its IP address, localhost \
             and the name of --public-url (a page of another site could otherwise reach it under its own \
             name); start it with --public-url to use that name"
        ))
        .into_response());
    }
    if let Some(origin) = request.headers().get(header::ORIGIN) {
        let trusted = is_same_origin(origin, request.headers())
            || origin.as_bytes() == policy.public_origin.as_bytes()
            || policy.allowed.allows(origin.as_bytes());
        if !trusted {
            return Some(ApiError::Forbidden(
                "Requests from web pages of other origins are refused; allow the origin with --cors-origin"
                    .to_owned(),
            )
            .into_response());
        }
    } else if crate::auth::access::changes_state(request.method(), request.uri().query())
        && request
            .headers()
            .get("sec-fetch-site")
            .is_some_and(|site| !matches!(site.as_bytes(), b"same-origin" | b"none"))
    {
        return Some(
            ApiError::Forbidden(
                "Changes must come from this server's own pages; this request came from another site"
                    .to_owned(),
            )
            .into_response(),
        );
    }
    None
}

/// The guard of the API's routes: [`origin_refusal`], then who is signed in and may do what
/// ([`crate::auth::layer::guard`]), as one route layer (each layer boxes the route again).
#[derive(Clone)]
pub struct ApiGuard {
    pub policy: Arc<OriginPolicy>,
    pub auth: crate::auth::Auth,
}

pub async fn api_guard(State(guard): State<ApiGuard>, request: Request, next: Next) -> Response {
    if let Some(refusal) = origin_refusal(&guard.policy, &request) {
        return refusal;
    }
    crate::auth::layer::guard(State(guard.auth), request, next).await
}

fn is_same_origin(origin: &HeaderValue, headers: &HeaderMap) -> bool {
    let Some(host) = headers.get(header::HOST).and_then(|host| host.to_str().ok()) else { return false };
    let Ok(origin) = origin.to_str() else { return false };
    origin.strip_prefix("http://").or_else(|| origin.strip_prefix("https://")) == Some(host)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_addresses_localhost_and_known_names_are_trusted_hosts() {
        let public = url::Url::parse("http://flows.example.com:8080/").unwrap();
        let allowed = Origins::List(vec![HeaderValue::from_static("https://crm.example.org")]);
        let policy = OriginPolicy::new(allowed, &public);
        for host in [
            "127.0.0.1:8080",
            "127.0.0.1",
            "10.1.2.3:9000",
            "[::1]:8080",
            "localhost:8080",
            "LOCALHOST",
            "app.localhost:8080",
            "flows.example.com:8080",
            "Flows.Example.com.",
            "crm.example.org",
        ] {
            assert!(policy.trusts_host(host), "{host}");
        }
        for host in [
            "evil.test:8080",
            "evil.test",
            "127.0.0.1.evil.test",
            "localhost.evil.test:8080",
            "example.com",
            "",
        ] {
            assert!(!policy.trusts_host(host), "{host}");
        }
    }

    #[test]
    fn same_origin_compares_scheme_less_authority_with_host() {
        let mut headers = HeaderMap::new();
        headers.insert(header::HOST, HeaderValue::from_static("127.0.0.1:8080"));
        assert!(is_same_origin(&HeaderValue::from_static("http://127.0.0.1:8080"), &headers));
        assert!(!is_same_origin(&HeaderValue::from_static("http://127.0.0.1:8081"), &headers));
        assert!(!is_same_origin(&HeaderValue::from_static("null"), &headers));
        assert!(!is_same_origin(&HeaderValue::from_static("http://evil.test"), &headers));
    }
}
