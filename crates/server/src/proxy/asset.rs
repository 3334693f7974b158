//! `GET /flowsmith/asset?url=<download_url>`: a flow's flow.json from the `download_url` of its
//! assets, fetched by the server (the browser cannot: CORS).
//!
//! Only the hosts Meta serves assets from are fetched: `https://` on port 443, a DNS name (no IP
//! address), no user info, and the host exactly `mmg.whatsapp.net`, `lookaside.fbsbx.com`,
//! `lookaside.facebook.com`, or a subdomain of `fbcdn.net`. URLs are parsed as browsers do
//! (WHATWG), so `https://evil.com/#@lookaside.fbsbx.com` is evil.com and refused. Redirects are
//! followed only to allowed hosts. In sandbox mode this server's own `/sandbox/assets/…` links
//! are answered from the sandbox. The answer is capped at flow-model's 10 MB.
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use tower::ServiceExt as _;
use url::{Host, Url};

use crate::error::ApiError;

/// Hosts a `download_url` may point at.
#[derive(Debug, Clone)]
pub struct AssetPolicy {
    exact: Vec<String>,
    suffixes: Vec<String>,
    allow_http: bool,
}

impl AssetPolicy {
    /// Meta's asset hosts.
    pub fn meta() -> Self {
        AssetPolicy {
            exact: ["mmg.whatsapp.net", "lookaside.fbsbx.com", "lookaside.facebook.com"]
                .map(str::to_owned)
                .to_vec(),
            suffixes: vec![".fbcdn.net".to_owned()],
            allow_http: false,
        }
    }

    /// Exactly `hosts` over plain http too: for tests against a local stand-in only.
    pub fn local_for_tests(hosts: &[&str]) -> Self {
        AssetPolicy {
            exact: hosts.iter().map(|host| (*host).to_owned()).collect(),
            suffixes: Vec::new(),
            allow_http: true,
        }
    }

    /// These hosts and the host of `base` (the configured Graph API: an operator's choice), over
    /// plain http too when `base` is http (allowed on loopback only).
    pub fn with_host_of(mut self, base: &Url) -> Self {
        if let Some(host) = base.host_str() {
            self.exact.push(host.trim_start_matches('[').trim_end_matches(']').to_ascii_lowercase());
            self.allow_http |= base.scheme() == "http";
        }
        self
    }

    /// Why `url` may not be fetched, if it may not.
    pub fn refusal(&self, url: &Url) -> Option<&'static str> {
        let scheme_ok = url.scheme() == "https" || (self.allow_http && url.scheme() == "http");
        if !scheme_ok {
            return Some("only https:// download links are fetched");
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Some("download links with user info are refused");
        }
        let host = match url.host() {
            Some(Host::Domain(host)) => host.to_ascii_lowercase(),
            Some(Host::Ipv4(ip)) if self.allow_http => ip.to_string(),
            Some(_) | None => return Some("the link's host is not one of Meta's asset hosts"),
        };
        if !self.allow_http && url.port().is_some_and(|port| port != 443) {
            return Some("download links on other ports than 443 are refused");
        }
        let allowed =
            self.exact.contains(&host) || self.suffixes.iter().any(|suffix| host.ends_with(suffix.as_str()));
        (!allowed).then_some("the link's host is not one of Meta's asset hosts")
    }
}

/// The asset endpoint's state.
#[derive(Clone)]
pub struct AssetFetcher {
    client: reqwest::Client,
    policy: Arc<AssetPolicy>,
    timeout: Duration,
    /// In sandbox mode: this server's `…/sandbox/assets/` prefix and the sandbox router.
    sandbox: Option<(String, axum::Router)>,
}

impl AssetFetcher {
    /// Fetches under `policy`, waiting at most `timeout`.
    pub fn new(
        policy: AssetPolicy,
        timeout: Duration,
        sandbox: Option<(String, axum::Router)>,
    ) -> Result<Self, String> {
        let policy = Arc::new(policy);
        let redirect_policy = Arc::clone(&policy);
        let redirects = reqwest::redirect::Policy::custom(move |attempt| {
            if attempt.previous().len() >= 5 {
                attempt.error("too many redirects")
            } else if redirect_policy.refusal(attempt.url()).is_some() {
                attempt.error(RedirectRefused)
            } else {
                attempt.follow()
            }
        });
        let client = super::http_client(redirects)?;
        Ok(AssetFetcher { client, policy, timeout, sandbox })
    }
}

#[derive(Debug)]
struct RedirectRefused;

impl std::fmt::Display for RedirectRefused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("redirect to a host that is not one of Meta's asset hosts")
    }
}

impl std::error::Error for RedirectRefused {}

/// The handler.
pub async fn fetch(State(fetcher): State<AssetFetcher>, request: Request) -> Result<Response, ApiError> {
    let link = crate::sandbox::query_value(request.uri().query(), "url")
        .ok_or_else(|| ApiError::field("query", "url", "Missing data for required field."))?;
    let body = fetcher.download(&link).await?;
    let mut response = (StatusCode::OK, body).into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

impl AssetFetcher {
    /// The file at `link`, a `download_url` of a flow's assets: from the sandbox in-process for
    /// this server's own links, otherwise from Meta's asset hosts only, capped at 10 MB.
    pub async fn download(&self, link: &str) -> Result<Vec<u8>, ApiError> {
        let url = Url::parse(link.trim()).map_err(|_| {
            ApiError::field("query", "url", "Not a URL: pass a download_url of the flow's assets")
        })?;
        if let Some((prefix, sandbox)) = &self.sandbox
            && let Some(rest) = url.as_str().strip_prefix(prefix.as_str())
        {
            let inner = Request::get(format!("/assets/{rest}")).body(axum::body::Body::empty());
            let inner = inner.map_err(|_| ApiError::field("query", "url", "Not a sandbox asset link"))?;
            let response = match sandbox.clone().oneshot(inner).await {
                Ok(response) => response,
                Err(never) => match never {},
            };
            if response.status() != StatusCode::OK {
                return Err(ApiError::NotFound(
                    "No asset at this link: it was replaced by a newer upload or never existed".to_owned(),
                ));
            }
            let body = axum::body::to_bytes(response.into_body(), flow_model::MAX_INPUT_BYTES)
                .await
                .map_err(|_| ApiError::Internal("the sandbox's asset could not be read".to_owned()))?;
            return Ok(body.to_vec());
        }
        if let Some(reason) = self.policy.refusal(&url) {
            return Err(ApiError::Forbidden(format!("This download link is refused: {reason}")));
        }
        let mut url = url;
        url.set_fragment(None);
        let timeout = self.timeout;
        let failure = |error: reqwest::Error| {
            if error.is_timeout() {
                ApiError::UpstreamTimeout { what: "Meta's asset host", after: timeout }
            } else if error.is_redirect() {
                ApiError::Forbidden(
                    "This download link is refused: it redirects to a host that is not one of Meta's asset hosts"
                        .to_owned(),
                )
            } else {
                ApiError::BadGateway("Cannot reach Meta's asset host; try again later".to_owned())
            }
        };
        let mut answer = self.client.get(url).timeout(timeout).send().await.map_err(failure)?;
        match answer.status() {
            StatusCode::OK => {}
            StatusCode::FORBIDDEN | StatusCode::NOT_FOUND | StatusCode::GONE => {
                return Err(ApiError::NotFound(
                    "The asset is gone at this link (links expire): list the flow's assets again for a fresh download_url"
                        .to_owned(),
                ));
            }
            other => {
                return Err(ApiError::BadGateway(format!(
                    "Meta's asset host answered HTTP {}",
                    other.as_u16()
                )));
            }
        }
        let mut body = Vec::new();
        while let Some(chunk) = answer.chunk().await.map_err(failure)? {
            if body.len() + chunk.len() > flow_model::MAX_INPUT_BYTES {
                return Err(ApiError::BadGateway(format!(
                    "The asset is larger than a flow.json may be ({} bytes)",
                    flow_model::MAX_INPUT_BYTES
                )));
            }
            body.extend_from_slice(&chunk);
        }
        Ok(body)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(link: &str) -> bool {
        AssetPolicy::meta().refusal(&Url::parse(link).unwrap()).is_some()
    }

    #[test]
    fn meta_hosts_pass() {
        for link in [
            "https://mmg.whatsapp.net/v/t62/flow.json?token=1",
            "https://lookaside.fbsbx.com/wa_flows/asset?id=1",
            "https://scontent.xx.fbcdn.net/v/flow.json",
            "https://LOOKASIDE.fbsbx.com:443/x",
        ] {
            assert!(!refused(link), "{link}");
        }
    }

    #[test]
    fn tricks_are_refused() {
        for link in [
            "https://evil.com/#@lookaside.fbsbx.com",
            "https://lookaside.fbsbx.com@evil.com/x",
            "https://user:pw@lookaside.fbsbx.com/x",
            "http://lookaside.fbsbx.com/x",
            "https://lookaside.fbsbx.com.evil.com/x",
            "https://evilfbcdn.net/x",
            "https://fbcdn.net.evil.com/x",
            "https://lookaside.fbsbx.com:8443/x",
            "https://127.0.0.1/x",
            "https://[::1]/x",
            "file:///etc/passwd",
            "ftp://lookaside.fbsbx.com/x",
        ] {
            assert!(refused(link), "{link}");
        }
    }
}
