//! The endpoint tester: WhatsApp's side of the contract, over HTTP, against a business's
//! endpoint (issue 21, item 3). The server makes each call because the browser cannot: the
//! endpoint answers no CORS, and the request must be encrypted and signed as WhatsApp does.
//!
//! Every call ends in an [`Exchanged`]: the decrypted request, the decrypted answer or a
//! [`Failure`] saying plainly what went wrong (unreachable, closed, slow, HTML, 500, a key
//! refresh, an answer that does not decrypt), and its latency. Nothing hangs: WhatsApp's own
//! limit, 10 s, bounds every call, and an answer is read up to [`ANSWER_LIMIT`] bytes.
//!
//! The server calls addresses people type, so it refuses private, loopback and link-local
//! addresses (cloud metadata services live there) unless it listens on loopback itself (a
//! local tool, whose user may run a mock endpoint beside it) or `--allow-private-endpoints`
//! says so; the address checked is the one connected to (the name is resolved once and pinned),
//! so a DNS answer cannot change between the check and the call, and redirects are not
//! followed (WhatsApp does not follow them either).
use std::net::{IpAddr, SocketAddr};
use std::time::{Duration, Instant};

use serde::Serialize;
use serde_json::Value;
use url::Url;

use super::contract::{
    self, ContractError, FLOW_TOKEN_INVALID, REFRESH_KEY, SIGNATURE_HEADER, SIGNATURE_INVALID,
};
use super::keys::PublicKey;
use super::payload::{Action, Request};
use crate::config::Secret;

/// WhatsApp waits this long for an answer (flow-json.md §10.1: "Timeout 10 s").
pub const WHATSAPP_TIMEOUT: Duration = Duration::from_secs(10);
/// Meta's advice for an answer ("aim <1 s").
pub const AIM: Duration = Duration::from_secs(1);
/// The most bytes of an answer read: an encrypted screen is a few kilobytes.
pub const ANSWER_LIMIT: usize = 1 << 20;
/// How much of an unexpected answer a failure quotes.
const QUOTE_CHARS: usize = 200;

/// A public key that belongs to no endpoint (its private half was never kept): the health
/// check's wrong-key request, which a correct endpoint answers with 421.
const STRANGER_KEY: &str = "-----BEGIN PUBLIC KEY-----
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAxKi2B1J+N2FrF2UoGQtr
PtLnzG4jPxiqSO7Mcgc9A2cr1XLwR7CZriZgJy7TDB5/zzomeCd0fq8wJVs922yL
/thCMCRXMGK/D5s+i/sEHBgiY2tyFqfOpQP9nHR/BkcL2f37aqKv+mR1t5N6vvLh
NZnY9XJ6sKMI60jbOsRWnL/ixNNoPxqGRH1BEa7Ej9FJWDNa05koQ9lKXBXFtwI4
Hgt7CsS/oJ0FuCdlNC7kQWnfcnk87RbbeQrSPf4ULK0YV+j8Uq5ZiYTA9QShpX/u
bk7OrQlHd0tnucjUsGxlpxHUrq6Sj6U/jjpJAg3bN3BxTttplI3hBJomoP0ZAh0a
1QIDAQAB
-----END PUBLIC KEY-----";

/// The endpoint a test calls.
#[derive(Debug, Clone)]
pub struct Target {
    /// Its URL (http or https; WhatsApp itself calls only https).
    pub url: Url,
    /// The business's public key, as uploaded to WhatsApp.
    pub public_key: PublicKey,
}

/// What went wrong with a call, for the report: a stable code and what to do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Failure {
    /// `private_address`, `unreachable`, `tls`, `closed`, `timeout`, `too_large`, `refresh_key`,
    /// `flow_token_invalid`, `signature_invalid`, `http_status`, `not_encrypted`, `not_json`,
    /// `encryption`.
    pub code: &'static str,
    /// What happened and what usually causes it.
    pub message: String,
}

impl Failure {
    fn new(code: &'static str, message: impl Into<String>) -> Failure {
        Failure { code, message: message.into() }
    }
}

/// One call: what was sent and what came back.
#[derive(Debug, Clone, Serialize)]
pub struct Exchanged {
    /// The HTTP status, when the endpoint answered.
    pub status: Option<u16>,
    /// From sending the request to the answer's last byte.
    pub latency_ms: f64,
    /// The request, decrypted.
    pub request: Request,
    /// The answer, decrypted.
    pub answer: Option<Value>,
    /// Why there is no answer.
    pub failure: Option<Failure>,
}

/// Calls endpoints as WhatsApp does.
#[derive(Clone)]
pub struct Tester {
    app_secret: Option<Secret>,
    private_allowed: bool,
    timeout: Duration,
}

impl Tester {
    /// A tester signing with `app_secret` (as Meta signs with the app's secret), allowed to call
    /// private addresses or not (see the module's header).
    pub fn new(app_secret: Option<Secret>, private_allowed: bool) -> Tester {
        Tester { app_secret, private_allowed, timeout: WHATSAPP_TIMEOUT }
    }

    /// The same with a shorter limit than WhatsApp's (tests of a slow endpoint).
    pub fn with_timeout(self, timeout: Duration) -> Tester {
        Tester { timeout, ..self }
    }

    /// Sends `request` to `target`, encrypted with its public key, and decrypts the answer.
    pub async fn exchange(&self, target: &Target, request: Request) -> Exchanged {
        self.call(target, &target.public_key, request, Signature::Right).await
    }

    async fn call(
        &self,
        target: &Target,
        key: &PublicKey,
        request: Request,
        signature: Signature,
    ) -> Exchanged {
        let started = Instant::now();
        let done = |status, answer, failure| Exchanged {
            status,
            latency_ms: started.elapsed().as_secs_f64() * 1000.0,
            request: request.clone(),
            answer,
            failure,
        };
        let (body, response_key) = match contract::encrypt_request(key, &request) {
            Ok((encrypted, key)) => (encrypted.to_body(), key),
            Err(error) => return done(None, None, Some(Failure::new("encryption", error.to_string()))),
        };
        let client = match self.client_for(&target.url).await {
            Ok(client) => client,
            Err(failure) => return done(None, None, Some(failure)),
        };
        let mut call = client
            .post(target.url.clone())
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(body.clone());
        match (&self.app_secret, signature) {
            (Some(secret), Signature::Right) => {
                call =
                    call.header(SIGNATURE_HEADER, contract::sign(secret.expose().as_bytes(), body.as_bytes()))
            }
            (_, Signature::Wrong) => {
                call = call.header(SIGNATURE_HEADER, contract::sign(b"not the app secret", body.as_bytes()))
            }
            (None, Signature::Right) => {}
        }
        let started = Instant::now();
        let answered = tokio::time::timeout(self.timeout, async {
            let mut response = call.send().await?;
            let status = response.status().as_u16();
            let content_type = response
                .headers()
                .get(reqwest::header::CONTENT_TYPE)
                .and_then(|value| value.to_str().ok())
                .unwrap_or("")
                .to_owned();
            let mut bytes = Vec::new();
            while let Some(chunk) = response.chunk().await? {
                if bytes.len() + chunk.len() > ANSWER_LIMIT {
                    return Ok(Err(status));
                }
                bytes.extend_from_slice(&chunk);
            }
            Ok(Ok((status, content_type, bytes)))
        })
        .await;
        let latency = started.elapsed();
        let mut exchanged = match answered {
            Err(_) => done(
                None,
                None,
                Some(Failure::new(
                    "timeout",
                    format!(
                        "No answer in {} s: WhatsApp gives up after 10 s and shows the person an error.",
                        self.timeout.as_secs_f64()
                    ),
                )),
            ),
            Ok(Err(error)) => done(None, None, Some(transport_failure(&error))),
            Ok(Ok(Err(status))) => done(
                Some(status),
                None,
                Some(Failure::new(
                    "too_large",
                    format!("The answer is over {ANSWER_LIMIT} bytes; a screen's data is a few kilobytes."),
                )),
            ),
            Ok(Ok(Ok((status, content_type, bytes)))) => {
                let (answer, failure) = read_answer(status, &content_type, &bytes, &response_key);
                done(Some(status), answer, failure)
            }
        };
        exchanged.latency_ms = latency.as_secs_f64() * 1000.0;
        exchanged
    }

    /// A client that connects only to the address checked: the name resolved once, pinned.
    async fn client_for(&self, url: &Url) -> Result<reqwest::Client, Failure> {
        if !matches!(url.scheme(), "http" | "https") {
            return Err(Failure::new(
                "unreachable",
                "The endpoint's URL must start with https:// (or http:// to test locally).",
            ));
        }
        let host =
            url.host_str().unwrap_or_default().trim_start_matches('[').trim_end_matches(']').to_owned();
        let port = url.port_or_known_default().unwrap_or(443);
        let addresses: Vec<SocketAddr> = match host.parse::<IpAddr>() {
            Ok(ip) => vec![SocketAddr::new(ip, port)],
            Err(_) => match tokio::net::lookup_host((host.as_str(), port)).await {
                Ok(found) => found.collect(),
                Err(error) => {
                    return Err(Failure::new("unreachable", format!("{host} does not resolve: {error}.")));
                }
            },
        };
        let Some(address) = addresses.first().copied() else {
            return Err(Failure::new("unreachable", format!("{host} has no address.")));
        };
        if !self.private_allowed && addresses.iter().any(|address| is_private(address.ip())) {
            return Err(Failure::new(
                "private_address",
                format!(
                    "{host} is a private address ({}); this server calls only public endpoints. Its admin can allow \
                     private ones with --allow-private-endpoints.",
                    address.ip()
                ),
            ));
        }
        let _ = rustls::crypto::ring::default_provider().install_default();
        reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(self.timeout)
            .resolve(&host, address)
            .build()
            .map_err(|error| Failure::new("unreachable", format!("cannot set up the HTTPS client: {error}")))
    }
}

/// Whether the health check's signature is the right one or a wrong one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Signature {
    Right,
    Wrong,
}

/// What a transport error means to the person testing.
fn transport_failure(error: &reqwest::Error) -> Failure {
    let detail = error_chain(error);
    let lower = detail.to_lowercase();
    if lower.contains("certificate") || lower.contains("tls") || lower.contains("handshake") {
        Failure::new(
            "tls",
            format!("The TLS handshake failed ({detail}): WhatsApp needs a valid certificate."),
        )
    } else if error.is_connect() {
        Failure::new(
            "unreachable",
            format!("Could not connect ({detail}): is the endpoint running at this address?"),
        )
    } else {
        Failure::new(
            "closed",
            format!(
                "The endpoint closed the connection before answering ({detail}): look at its log for a crash."
            ),
        )
    }
}

fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// An answer's status and body read as WhatsApp's client reads them.
fn read_answer(
    status: u16,
    content_type: &str,
    body: &[u8],
    key: &contract::ResponseKey,
) -> (Option<Value>, Option<Failure>) {
    let text = String::from_utf8_lossy(body);
    let quote: String = text.chars().take(QUOTE_CHARS).collect();
    match status {
        200 => {}
        REFRESH_KEY => {
            return (
                None,
                Some(Failure::new(
                    "refresh_key",
                    "The endpoint answered 421: it could not decrypt the request. WhatsApp would fetch the public key again \
                 and retry: check that the public key here (and uploaded to WhatsApp) is the half of the endpoint's \
                 private key.",
                )),
            );
        }
        FLOW_TOKEN_INVALID => {
            let said = serde_json::from_slice::<Value>(body)
                .ok()
                .and_then(|value| value.get("error_msg").and_then(Value::as_str).map(str::to_owned));
            let said = said.map(|said| format!(" (\"{said}\")")).unwrap_or_default();
            return (
                None,
                Some(Failure::new(
                    "flow_token_invalid",
                    format!(
                        "The endpoint answered 427{said}: the flow token is invalid or expired. WhatsApp shows a generic \
                     error and disables the flow's button."
                    ),
                )),
            );
        }
        SIGNATURE_INVALID => {
            return (
                None,
                Some(Failure::new(
                    "signature_invalid",
                    "The endpoint answered 432: the request's X-Hub-Signature-256 did not verify. Both sides must use the \
                 Meta app's secret.",
                )),
            );
        }
        other => {
            return (
                None,
                Some(Failure::new("http_status", format!("The endpoint answered {other}, not 200: {quote}"))),
            );
        }
    }
    match contract::decrypt_response::<Value>(key, &text) {
        Ok(answer) => (Some(answer), None),
        Err(ContractError::Json { detail, .. }) => {
            (None, Some(Failure::new("not_json", format!("The answer decrypts, but not to JSON: {detail}."))))
        }
        Err(error) => {
            let looks = if content_type.contains("html") || text.trim_start().starts_with('<') {
                format!("The endpoint answered HTML ({content_type}), not an encrypted answer: {quote}")
            } else if text.trim_start().starts_with('{') {
                format!(
                    "The endpoint answered plain JSON, not an encrypted answer: it must encrypt its answer with the \
                     request's AES key and the inverted IV. It said: {quote}"
                )
            } else {
                format!("The answer does not decrypt: {error}")
            };
            (None, Some(Failure::new("not_encrypted", looks)))
        }
    }
}

/// Addresses a server on the internet should not be made to call for strangers.
fn is_private(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            v4.is_private()
                || v4.is_loopback()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.is_multicast()
                || (a == 100 && (64..128).contains(&b)) // shared address space (RFC 6598)
                || a == 0
        }
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_private(IpAddr::V4(v4));
            }
            let first = v6.segments()[0];
            v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (first & 0xfe00) == 0xfc00 // unique local
                || (first & 0xffc0) == 0xfe80 // link local
        }
    }
}

/// One check of the health report.
#[derive(Debug, Clone, Serialize)]
pub struct Check {
    /// `https`, `ping`, `latency`, `wrong_key`, `error_notification`, `signature`.
    pub name: &'static str,
    /// `pass`, `warn`, `fail` or `skip`.
    pub outcome: &'static str,
    /// What was found.
    pub detail: String,
    /// The call's latency, for checks that call.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub latency_ms: Option<f64>,
}

/// The health report: what Meta's health check does, and more.
#[derive(Debug, Clone, Serialize)]
pub struct HealthReport {
    /// Every check passed (warnings allowed).
    pub healthy: bool,
    /// The checks, in the order made.
    pub checks: Vec<Check>,
}

impl Tester {
    /// Meta's health check (a ping answered `active`) and more: HTTPS, latency against
    /// WhatsApp's limits, a request under a key that is not the endpoint's (421 expected), an
    /// error notification (acknowledged), and, with an app secret, a wrongly signed request
    /// (432 expected).
    pub async fn health(&self, target: &Target) -> HealthReport {
        let mut checks = Vec::new();
        let check = |name, outcome, detail: String, latency_ms| Check { name, outcome, detail, latency_ms };
        checks.push(if target.url.scheme() == "https" {
            check("https", "pass", "The endpoint is served over HTTPS.".to_owned(), None)
        } else {
            check(
                "https",
                "warn",
                "WhatsApp calls only HTTPS endpoints with a valid certificate: this one is plain HTTP (fine for a \
                 local test)."
                    .to_owned(),
                None,
            )
        });
        let ping = self.exchange(target, Request::ping()).await;
        let problems = ping
            .answer
            .as_ref()
            .map(|answer| {
                flow_model::endpoint::check_answer(
                    &Value::Null,
                    flow_model::endpoint::Exchange::Ping,
                    "",
                    answer,
                )
            })
            .unwrap_or_default();
        let reachable = ping.failure.is_none();
        checks.push(match (&ping.failure, problems.first()) {
            (Some(failure), _) => check("ping", "fail", failure.message.clone(), Some(ping.latency_ms)),
            (None, Some(problem)) => check("ping", "fail", problem.to_string(), Some(ping.latency_ms)),
            (None, None) => check(
                "ping",
                "pass",
                "The endpoint answers the health check: active.".to_owned(),
                Some(ping.latency_ms),
            ),
        });
        if reachable {
            let latency = Duration::from_secs_f64(ping.latency_ms / 1000.0);
            checks.push(if latency <= AIM {
                check("latency", "pass", format!("{:.0} ms: under Meta's 1 s aim.", ping.latency_ms), None)
            } else {
                check(
                    "latency",
                    "warn",
                    format!("{:.0} ms: over Meta's 1 s aim (WhatsApp gives up at 10 s).", ping.latency_ms),
                    None,
                )
            });
        }
        let stranger = PublicKey::from_pem(STRANGER_KEY);
        match stranger {
            Ok(stranger) => {
                let wrong = self.call(target, &stranger, Request::ping(), Signature::Right).await;
                checks.push(match (wrong.status, &wrong.failure) {
                    (Some(REFRESH_KEY), _) => check(
                        "wrong_key",
                        "pass",
                        "A request under another key gets 421, so WhatsApp refreshes the key and retries.".to_owned(),
                        Some(wrong.latency_ms),
                    ),
                    (Some(200), _) => check(
                        "wrong_key",
                        "fail",
                        "A request under another key was answered 200: the endpoint must answer 421 when it cannot \
                         decrypt, or WhatsApp never refreshes a changed key."
                            .to_owned(),
                        Some(wrong.latency_ms),
                    ),
                    (Some(status), _) => check(
                        "wrong_key",
                        "fail",
                        format!(
                            "A request under another key got {status}; WhatsApp expects 421 (refresh the key and \
                             retry)."
                        ),
                        Some(wrong.latency_ms),
                    ),
                    (None, failure) => check(
                        "wrong_key",
                        "fail",
                        failure.as_ref().map(|failure| failure.message.clone()).unwrap_or_default(),
                        Some(wrong.latency_ms),
                    ),
                });
            }
            Err(error) => checks.push(check("wrong_key", "skip", error.to_string(), None)),
        }
        let notification = Request::error_notification(
            Action::DataExchange,
            "flowsmith-health-check",
            "HEALTH_CHECK",
            "test",
            "A test of error handling",
        );
        let notified = self.exchange(target, notification).await;
        let problems = notified
            .answer
            .as_ref()
            .map(|answer| {
                flow_model::endpoint::check_answer(
                    &Value::Null,
                    flow_model::endpoint::Exchange::ErrorNotification,
                    "",
                    answer,
                )
            })
            .unwrap_or_default();
        checks.push(match (&notified.failure, problems.first()) {
            (Some(failure), _) => {
                check("error_notification", "fail", failure.message.clone(), Some(notified.latency_ms))
            }
            (None, Some(problem)) => {
                check("error_notification", "fail", problem.to_string(), Some(notified.latency_ms))
            }
            (None, None) => check(
                "error_notification",
                "pass",
                "An error notification is acknowledged.".to_owned(),
                Some(notified.latency_ms),
            ),
        });
        if self.app_secret.is_some() {
            let forged = self.call(target, &target.public_key, Request::ping(), Signature::Wrong).await;
            checks.push(match forged.status {
                Some(SIGNATURE_INVALID) => check(
                    "signature",
                    "pass",
                    "A request with a wrong X-Hub-Signature-256 gets 432.".to_owned(),
                    Some(forged.latency_ms),
                ),
                status => check(
                    "signature",
                    "warn",
                    format!(
                        "A request with a wrong X-Hub-Signature-256 got {}; an endpoint should check the signature \
                         and answer 432, so that only WhatsApp can call it.",
                        status.map_or_else(|| "no answer".to_owned(), |status| status.to_string())
                    ),
                    Some(forged.latency_ms),
                ),
            });
        } else {
            checks.push(check(
                "signature",
                "skip",
                "This server has no --app-secret, so its requests are unsigned and the endpoint's signature check is \
                 not tried."
                    .to_owned(),
                None,
            ));
        }
        let healthy = checks.iter().all(|check| check.outcome != "fail");
        HealthReport { healthy, checks }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_addresses_are_known() {
        for private in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "::1",
            "fd00::1",
            "fe80::1",
            "::ffff:127.0.0.1",
        ] {
            assert!(is_private(private.parse().unwrap()), "{private}");
        }
        for public in ["157.240.1.1", "8.8.8.8", "2a03:2880::1", "100.128.0.1"] {
            assert!(!is_private(public.parse().unwrap()), "{public}");
        }
    }

    #[test]
    fn the_stranger_key_reads() {
        assert_eq!(PublicKey::from_pem(STRANGER_KEY).map(|key| key.bits()).ok(), Some(2048));
    }
}
