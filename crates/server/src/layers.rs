//! The layers around every route: request id, request timeout, body limit, and the guard that
//! keeps foreign web pages from driving the API with this server's key.
use std::error::Error as StdError;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::config::Origins;
use crate::error::{ApiError, REQUEST_ID};

/// The request's id, as an extension for the trace span.
#[derive(Debug, Clone)]
pub struct RequestId(pub String);

/// The response (and request) header carrying the request id.
pub const REQUEST_ID_HEADER: &str = "x-request-id";

/// Gives every request an id: the caller's `x-request-id` when it is a plain token, a fresh one
/// otherwise. The id is in the trace span, in error envelopes and in the response header.
pub async fn request_id(mut request: Request, next: Next) -> Response {
    let id = request
        .headers()
        .get(REQUEST_ID_HEADER)
        .and_then(|value| value.to_str().ok())
        .filter(|value| crate::ids::is_valid(value))
        .map_or_else(crate::ids::request_id, str::to_owned);
    request.extensions_mut().insert(RequestId(id.clone()));
    let mut response = REQUEST_ID.scope(id.clone(), next.run(request)).await;
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert(REQUEST_ID_HEADER, value);
    }
    response
}

/// Answers 504 (in the envelope) when the inner service takes longer than `after`.
pub async fn timeout(State(after): State<Duration>, request: Request, next: Next) -> Response {
    match tokio::time::timeout(after, next.run(request)).await {
        Ok(response) => response,
        Err(_) => ApiError::RequestTimeout(after).into_response(),
    }
}

/// Refuses bodies over `limit` bytes: at once when `Content-Length` says so, and while reading
/// otherwise (chunked uploads), so a streamed upload stops at the limit too.
pub async fn body_limit(State(limit): State<usize>, request: Request, next: Next) -> Response {
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.parse::<u64>().ok());
    if declared.is_some_and(|length| length > limit as u64) {
        return ApiError::PayloadTooLarge { limit }.into_response();
    }
    let (parts, body) = request.into_parts();
    let body = Body::new(http_body_util::Limited::new(body, limit));
    next.run(Request::from_parts(parts, body)).await
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

/// Refuses requests addressed to a host name this server is not known by (see
/// [`OriginPolicy::trusts_host`]), and requests that a browser sent from a page of another
/// origin that is not allowed.
///
/// CORS only stops a foreign page from *reading* answers; a form post or a `fetch` with
/// `mode: "no-cors"` still reaches the server, which would spend the partner key on the
/// page's behalf. Browsers name the page's origin in `Origin`, so this checks it. Requests
/// without `Origin` (curl, servers, same-origin GETs) pass, unless they change something
/// ([`crate::auth::access::changes_state`]: every method but GET/HEAD/OPTIONS, and a preview
/// link's `invalidate`) and the browser says in `Sec-Fetch-Site` that another site sent them
/// (a link followed from another site carries a `SameSite=Lax` cookie).
pub async fn origin_guard(State(policy): State<Arc<OriginPolicy>>, request: Request, next: Next) -> Response {
    let host = request.headers().get(header::HOST).and_then(|host| host.to_str().ok());
    if let Some(host) = host.or_else(|| request.uri().authority().map(|a| a.as_str()))
        && !policy.trusts_host(host)
    {
        return ApiError::Forbidden(format!(
            "Requests addressed to '{host}' are refused: this server only answers its IP address, localhost \
             and the name of --public-url (a page of another site could otherwise reach it under its own \
             name); start it with --public-url to use that name"
        ))
        .into_response();
    }
    if let Some(origin) = request.headers().get(header::ORIGIN) {
        let trusted = is_same_origin(origin, request.headers())
            || origin.as_bytes() == policy.public_origin.as_bytes()
            || policy.allowed.allows(origin.as_bytes());
        if !trusted {
            return ApiError::Forbidden(
                "Requests from web pages of other origins are refused; allow the origin with --cors-origin"
                    .to_owned(),
            )
            .into_response();
        }
    } else if crate::auth::access::changes_state(request.method(), request.uri().query())
        && request
            .headers()
            .get("sec-fetch-site")
            .is_some_and(|site| !matches!(site.as_bytes(), b"same-origin" | b"none"))
    {
        return ApiError::Forbidden(
            "Changes must come from this server's own pages; this request came from another site".to_owned(),
        )
        .into_response();
    }
    next.run(request).await
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
