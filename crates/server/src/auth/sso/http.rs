//! openidconnect's HTTP client over the workspace's reqwest. Its own `reqwest` feature would
//! pull a second reqwest (0.12) with its TLS stack into the binary; this adapter is the few
//! lines its [`AsyncHttpClient`] trait asks for. No redirects are followed (the crate's advice
//! against request forgery through a provider's answers), and answers are bounded in size.
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use openidconnect::{AsyncHttpClient, HttpRequest, HttpResponse};

/// The largest answer read from the identity provider (discovery, keys, tokens).
const MAX_ANSWER_BYTES: usize = 1024 * 1024;
/// How long a call to the identity provider may take.
const TIMEOUT: Duration = Duration::from_secs(15);

/// Calls the identity provider.
#[derive(Clone)]
pub struct HttpClient(reqwest::Client);

/// Why a call to the identity provider failed (never holds a token: bodies are not kept).
#[derive(Debug)]
pub struct HttpError(String);

impl std::fmt::Display for HttpError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for HttpError {}

impl HttpClient {
    /// rustls over ring with the system's roots, as the rest of the server's calls.
    pub fn new() -> Result<HttpClient, String> {
        let _ = rustls::crypto::ring::default_provider().install_default();
        reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(TIMEOUT)
            .build()
            .map(HttpClient)
            .map_err(|error| format!("cannot set up the HTTPS client: {error}"))
    }
}

impl<'c> AsyncHttpClient<'c> for HttpClient {
    type Error = HttpError;
    type Future = Pin<Box<dyn Future<Output = Result<HttpResponse, HttpError>> + Send + 'c>>;

    fn call(&'c self, request: HttpRequest) -> Self::Future {
        Box::pin(async move {
            let (parts, body) = request.into_parts();
            let url = parts.uri.to_string();
            let mut response = self
                .0
                .request(parts.method, &url)
                .headers(parts.headers)
                .body(body)
                .send()
                .await
                .map_err(|error| HttpError(format!("{url}: {error}")))?;
            let mut answer = HttpResponse::new(Vec::new());
            *answer.status_mut() = response.status();
            *answer.headers_mut() = std::mem::take(response.headers_mut());
            let body = answer.body_mut();
            while let Some(chunk) =
                response.chunk().await.map_err(|error| HttpError(format!("{url}: {error}")))?
            {
                if body.len() + chunk.len() > MAX_ANSWER_BYTES {
                    return Err(HttpError(format!("{url}: the answer is over {MAX_ANSWER_BYTES} bytes")));
                }
                body.extend_from_slice(&chunk);
            }
            Ok(answer)
        })
    }
}
