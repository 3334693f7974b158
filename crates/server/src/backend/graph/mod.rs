//! Meta's Graph API as a backend: the flows of the WhatsApp Business Accounts a system-user
//! token reaches (`--mode graph`, or a stored connection). The token is a bearer header on
//! calls to the configured base URL only, never in a URL, a message or a log; answers are
//! cleaned of it before they are read.
//!
//! | operation | Graph API call (under the base URL, default `https://graph.facebook.com/v21.0`) |
//! | --- | --- |
//! | accounts | `GET /{waba-id}?fields=id,name` for each configured WABA |
//! | flows | `GET /{waba-id}/flows?fields=id,name,categories,status,validation_errors`, then `&after=<cursor>` while `paging.next` is given (`paging.rs`) |
//! | flow | `GET /{flow-id}?fields=…` |
//! | assets | `GET /{flow-id}/assets` → `data` |
//! | flow_json | the `FLOW_JSON` asset's `download_url`: without the token; from the base URL's own host, else Meta's asset hosts only |
//! | create | `POST /{waba-id}/flows` JSON `{name, categories, clone_flow_id?, flow_json? (a string), publish?}` → `{id, validation_errors?}` |
//! | update_metadata | `POST /{flow-id}` JSON `{name, categories}` |
//! | upload_flow_json | `POST /{flow-id}/assets` multipart `file`, `name=flow.json`, `asset_type=FLOW_JSON` → `validation_errors` |
//! | preview | `GET /{flow-id}?fields=preview.invalidate(true|false)` → its `preview` |
//! | publish, deprecate | `POST /{flow-id}/publish`, `POST /{flow-id}/deprecate` |
//! | delete | `DELETE /{flow-id}` |
//! | migrate | `POST /{destination-waba-id}/migrate_flows` JSON `{source_waba_id, source_flow_names?}` |
//! | send_message | `GET /{waba-id}/phone_numbers?fields=id,display_phone_number` (the first sends), then `POST /{phone-number-id}/messages` JSON → `messages[0].id` |
//! | upload_public_key | the WABA's first phone number (as send_message), then `POST /{phone-number-id}/whatsapp_business_encryption` form `business_public_key=<PEM>` → `{success: true}` |
//! | public_key | the same phone number, then `GET /{phone-number-id}/whatsapp_business_encryption` → `data[0]`: `business_public_key`, `business_public_key_signature_status` (`VALID`, `MISMATCH`) |
//!
//! Errors are Graph's error object (`errors.rs`); a rate-limited call waits as Meta says and
//! tries again (`limits.rs`), reporting each wait to the task's progress
//! ([`crate::backend::report_wait`]).
pub mod errors;
pub mod limits;
pub mod paging;

use std::time::Duration;

use axum::body::Body;
use axum::http::{HeaderValue, Method, StatusCode, Uri, header};
use bytes::Bytes;
use http_body_util::{BodyExt as _, LengthLimitError, Limited};
use serde_json::{Value, json};

use super::multipart::multipart;
use super::partner::{flow_json_link, remote_flow, utf8};
use super::{
    AccountRef, Backend, BackendError, BackendKind, BackendResult, CreatedFlow, FailureKind, NewRemoteFlow,
    PublicKeyStatus, RemoteAccount, RemoteFlow, report_wait,
};
use crate::config::Secret;
use crate::proxy::asset::AssetFetcher;
use crate::proxy::{MAX_UPSTREAM_RESPONSE, Redactor, UpstreamClient};
pub use errors::WHO;
pub use limits::RetryPolicy;

/// Meta's production base URL.
pub const DEFAULT_URL: &str = "https://graph.facebook.com/v21.0";
/// The API version of the default base URL.
pub const DEFAULT_VERSION: &str = "v21.0";

/// Tokens shorter than this are not cut out of answers (see [`Graph::read`]).
const MIN_REDACTED_TOKEN: usize = 16;

/// The fields of a flow a listing asks for.
const LIST_FIELDS: &str = "id,name,categories,status,validation_errors";

/// How to reach the Graph API.
#[derive(Clone)]
pub struct GraphSettings {
    /// Base URL with its version, without a trailing slash (`https://graph.facebook.com/v21.0`).
    pub base: url::Url,
    /// The system-user token.
    pub token: Secret,
    /// Meta's ids of the WhatsApp Business Accounts to work on.
    pub waba_ids: Vec<String>,
    /// How long one call may take.
    pub timeout: Duration,
    /// Tries again on rate limits.
    pub retries: RetryPolicy,
}

/// The Graph API backend.
pub struct Graph {
    /// hyper's pooled client, as the 360dialog front's: reqwest's URL, redirect and retry
    /// layers cost more than the rest of a proxied call (BENCHMARKS.md), and it follows no
    /// redirect, so the bearer header never reaches another host.
    client: UpstreamClient,
    prefix: String,
    origin: String,
    /// Cuts the token out of answers. Not a short one: a stand-in's well-known token (the
    /// sandbox's `sandbox`) is a word its answers hold (`/sandbox/assets/…`); Meta's tokens are
    /// hundreds of characters.
    redactor: Redactor,
    bearer: HeaderValue,
    waba_ids: Vec<String>,
    timeout: Duration,
    retries: RetryPolicy,
    assets: AssetFetcher,
}

/// A request body: its type and bytes (kept, so a rate-limited call can be sent again).
type Payload = Option<(String, Bytes)>;

impl Graph {
    /// A backend with `settings`, downloading foreign asset links through `assets`.
    pub fn new(settings: GraphSettings, assets: AssetFetcher) -> Result<Self, String> {
        let mut bearer = HeaderValue::from_str(&format!("Bearer {}", settings.token.expose()))
            .map_err(|_| "the Graph API token holds characters a header cannot".to_owned())?;
        bearer.set_sensitive(true);
        let client = crate::proxy::upstream_client()?;
        Ok(Graph {
            client,
            prefix: settings.base.as_str().trim_end_matches('/').to_owned(),
            origin: settings.base.origin().ascii_serialization(),
            redactor: Redactor::new(if settings.token.expose().len() < MIN_REDACTED_TOKEN {
                ""
            } else {
                settings.token.expose()
            }),
            bearer,
            waba_ids: settings.waba_ids,
            timeout: settings.timeout,
            retries: settings.retries,
            assets,
        })
    }

    /// Sends one call (`path` from the base URL, query included), trying again while Meta's
    /// rate limit says to wait; answers the JSON of a success.
    async fn call(&self, method: Method, path: &str, payload: Payload) -> BackendResult<Value> {
        let body = self.call_for_body(method, path, payload).await?;
        serde_json::from_slice(&body).map_err(|_| not_json())
    }

    /// The same, answering the body of a success as it came (the caller reads it).
    async fn call_for_body(&self, method: Method, path: &str, payload: Payload) -> BackendResult<Bytes> {
        let uri = self.uri(&format!("{}{path}", self.prefix))?;
        let mut attempt = 0;
        loop {
            let mut request = axum::http::Request::new(match &payload {
                Some((_, bytes)) => Body::from(bytes.clone()),
                None => Body::empty(),
            });
            *request.method_mut() = method.clone();
            *request.uri_mut() = uri.clone();
            let headers = request.headers_mut();
            headers.insert(header::AUTHORIZATION, self.bearer.clone());
            headers.insert(header::ACCEPT, HeaderValue::from_static("application/json"));
            if let Some((content_type, _)) = &payload {
                // Our own types (JSON, a form, multipart with its boundary): always a header value.
                let value = HeaderValue::from_str(content_type).map_err(|_| {
                    BackendError::new(FailureKind::Unavailable, format!("A call to {WHO} could not be made"))
                })?;
                headers.insert(header::CONTENT_TYPE, value);
            }
            let (status, headers, body) = self.exchange(request).await?;
            if status.is_success() {
                return Ok(body);
            }
            let value: Option<Value> = serde_json::from_slice(&body).ok();
            let failure = errors::refusal(status, value.as_ref());
            if failure.kind != FailureKind::RateLimited {
                return Err(failure);
            }
            let Some(wait) = self.retries.wait(attempt, &headers) else { return Err(failure) };
            tracing::info!(
                wait_s = wait.as_secs(),
                attempt,
                "Meta's rate limit: waiting before trying again"
            );
            report_wait(wait);
            tokio::time::sleep(wait).await;
            attempt += 1;
        }
    }

    fn uri(&self, url: &str) -> BackendResult<Uri> {
        Uri::try_from(url).map_err(|_| {
            BackendError::new(FailureKind::NotFound, format!("This call cannot be addressed to {WHO}"))
        })
    }

    /// One request and its answer (capped, with the token cut out should an upstream ever
    /// echo it), all within the timeout.
    async fn exchange(
        &self,
        request: axum::http::Request<Body>,
    ) -> BackendResult<(StatusCode, axum::http::HeaderMap, Bytes)> {
        let unreadable = || {
            BackendError::new(
                FailureKind::Unavailable,
                format!("{WHO} sent an answer that could not be read"),
            )
        };
        let exchange = async {
            let answer =
                self.client.request(request).await.map_err(|error| self.transport_failure(&error))?;
            let (head, body) = answer.into_parts();
            let body = match Limited::new(body, MAX_UPSTREAM_RESPONSE).collect().await {
                Ok(collected) => collected.to_bytes(),
                Err(error) if error.is::<LengthLimitError>() => return Err(unreadable()),
                Err(error) => {
                    tracing::warn!(error = %error, "Graph API answer could not be read");
                    return Err(unreadable());
                }
            };
            Ok((head.status, head.headers, body))
        };
        let (status, headers, body) =
            tokio::time::timeout(self.timeout, exchange).await.map_err(|_| {
                let mut failure = BackendError::new(
                    FailureKind::Timeout,
                    format!("{WHO} did not answer within {} s; try again later", self.timeout.as_secs()),
                );
                failure.status = Some(StatusCode::GATEWAY_TIMEOUT);
                failure
            })??;
        Ok((status, headers, self.redactor.redact(body)))
    }

    fn transport_failure(&self, error: &hyper_util::client::legacy::Error) -> BackendError {
        // The error names the URL at most; the token is a header, never in it.
        tracing::warn!(error = %error, "Graph API call failed");
        let reason = if error.is_connect() { "cannot connect" } else { "the connection failed" };
        let mut failure = BackendError::new(
            FailureKind::Unavailable,
            format!("Cannot reach {WHO} at {}: {reason}; try again later", self.origin),
        );
        failure.status = Some(StatusCode::BAD_GATEWAY);
        failure
    }

    /// The WABA's first phone number: the account stores no phone number of its own, and
    /// WhatsApp keeps messages and endpoint keys per phone number. `missing` says what cannot be
    /// done without one.
    async fn phone_number_id(&self, account: &AccountRef, missing: &str) -> BackendResult<String> {
        let path = format!(
            "/{}/phone_numbers?fields=id,display_phone_number",
            segment(&account.external_id, "account")?
        );
        let numbers = self.call(Method::GET, &path, None).await?;
        let id = numbers.pointer("/data/0/id").and_then(Value::as_str).ok_or_else(|| {
            BackendError::new(
                FailureKind::Unsupported,
                format!("This WhatsApp Business Account has no phone number {missing}"),
            )
        })?;
        Ok(segment(id, "phone number")?.to_owned())
    }

    fn json(body: &Value) -> Payload {
        Some(("application/json".to_owned(), Bytes::from(body.to_string())))
    }

    /// Downloads an asset link: from the base URL's own host with the same client (and no
    /// token), else through the asset fetcher, which takes Meta's asset hosts only.
    async fn download(&self, link: &str) -> BackendResult<Vec<u8>> {
        let own = url::Url::parse(link).ok().filter(|url| url.origin().ascii_serialization() == self.origin);
        let Some(own) = own else {
            return self.assets.download(link).await.map_err(|error| {
                let mut failure = BackendError::new(FailureKind::Unavailable, error.message());
                failure.status = Some(error.status());
                failure
            });
        };
        let mut request = axum::http::Request::new(Body::empty());
        // The parsed form: what a browser would send for the link (spaces and the like encoded).
        *request.uri_mut() = self.uri(own.as_str())?;
        let (status, _, body) = self.exchange(request).await?;
        if !status.is_success() {
            return Err(BackendError::new(
                FailureKind::Unavailable,
                format!("The flow.json link answered HTTP {}", status.as_u16()),
            ));
        }
        Ok(body.to_vec())
    }
}

/// `id` checked for a path segment.
fn segment<'a>(id: &'a str, what: &str) -> BackendResult<&'a str> {
    if crate::ids::is_valid(id) {
        Ok(id)
    } else {
        Err(BackendError::new(FailureKind::NotFound, format!("This {what} id cannot be used in a URL")))
    }
}

fn fields_query(fields: &[String]) -> String {
    let joined = fields.join(",");
    url::form_urlencoded::Serializer::new(String::new()).append_pair("fields", &joined).finish()
}

fn not_json() -> BackendError {
    BackendError::new(FailureKind::Unavailable, format!("{WHO} answered with something that is not JSON"))
}

fn missing(what: &str) -> BackendError {
    BackendError::new(FailureKind::Unavailable, format!("{WHO} answered without {what}"))
}

#[async_trait::async_trait]
impl Backend for Graph {
    fn kind(&self) -> BackendKind {
        BackendKind::Graph
    }

    async fn accounts(&self) -> BackendResult<Vec<RemoteAccount>> {
        let mut accounts = Vec::with_capacity(self.waba_ids.len());
        for waba in &self.waba_ids {
            let answer = self
                .call(Method::GET, &format!("/{}?fields=id,name", segment(waba, "account")?), None)
                .await?;
            let name = answer.get("name").and_then(Value::as_str).unwrap_or(waba).to_owned();
            accounts.push(RemoteAccount { external_id: waba.clone(), waba_id: Some(waba.clone()), name });
        }
        Ok(accounts)
    }

    async fn flows(&self, account: &AccountRef) -> BackendResult<Vec<RemoteFlow>> {
        let first = format!("/{}/flows?fields={LIST_FIELDS}", segment(&account.external_id, "account")?);
        let mut flows = Vec::new();
        let mut path = first.clone();
        let mut seen = Vec::new();
        for _ in 0..paging::MAX_PAGES {
            let body = self.call_for_body(Method::GET, &path, None).await?;
            let (listed, after) = match paging::flows_page(&body) {
                Some(page) => page,
                None => {
                    let page: Value = serde_json::from_slice(&body).map_err(|_| not_json())?;
                    (paging::items(&page).iter().filter_map(remote_flow).collect(), paging::after(&page))
                }
            };
            flows.extend(listed);
            match after {
                Some(cursor) if !seen.contains(&cursor) => {
                    path = paging::with_after(&first, &cursor);
                    seen.push(cursor);
                }
                _ => return Ok(flows),
            }
        }
        Err(BackendError::new(
            FailureKind::Unavailable,
            format!("{WHO} kept answering more pages of flows after {} pages", paging::MAX_PAGES),
        ))
    }

    async fn flow(&self, _: &AccountRef, flow_id: &str, fields: &[String]) -> BackendResult<Value> {
        let mut path = format!("/{}", segment(flow_id, "flow")?);
        if !fields.is_empty() {
            path = format!("{path}?{}", fields_query(fields));
        }
        self.call(Method::GET, &path, None).await
    }

    async fn assets(&self, _: &AccountRef, flow_id: &str) -> BackendResult<Vec<Value>> {
        let answer = self.call(Method::GET, &format!("/{}/assets", segment(flow_id, "flow")?), None).await?;
        answer.get("data").and_then(Value::as_array).cloned().ok_or_else(|| missing("the flow's assets"))
    }

    async fn flow_json(&self, account: &AccountRef, flow_id: &str) -> BackendResult<Option<String>> {
        let assets = self.assets(account, flow_id).await?;
        let Some(link) = flow_json_link(&assets) else { return Ok(None) };
        utf8(self.download(&link).await?).map(Some)
    }

    async fn create(&self, account: &AccountRef, flow: &NewRemoteFlow) -> BackendResult<CreatedFlow> {
        let mut body = json!({ "name": flow.name, "categories": flow.categories });
        if let Some(source) = &flow.clone_flow_id {
            body["clone_flow_id"] = json!(segment(source, "flow")?);
        }
        if let Some(text) = &flow.flow_json {
            body["flow_json"] = json!(text);
        }
        if flow.publish {
            body["publish"] = json!(true);
        }
        let path = format!("/{}/flows", segment(&account.external_id, "account")?);
        let answer = self.call(Method::POST, &path, Self::json(&body)).await?;
        let id = answer.get("id").and_then(Value::as_str).ok_or_else(|| missing("the new flow's id"))?;
        let validation_errors =
            answer.get("validation_errors").and_then(Value::as_array).cloned().unwrap_or_default();
        Ok(CreatedFlow { id: id.to_owned(), validation_errors })
    }

    async fn update_metadata(
        &self,
        _: &AccountRef,
        flow_id: &str,
        name: &str,
        categories: &[String],
    ) -> BackendResult<()> {
        let body = json!({ "name": name, "categories": categories });
        self.call(Method::POST, &format!("/{}", segment(flow_id, "flow")?), Self::json(&body)).await?;
        Ok(())
    }

    async fn upload_flow_json(&self, _: &AccountRef, flow_id: &str, text: &str) -> BackendResult<Vec<Value>> {
        let (content_type, body) = multipart(text);
        let path = format!("/{}/assets", segment(flow_id, "flow")?);
        let answer = self.call(Method::POST, &path, Some((content_type, Bytes::from(body)))).await?;
        Ok(answer.get("validation_errors").and_then(Value::as_array).cloned().unwrap_or_default())
    }

    async fn preview(&self, account: &AccountRef, flow_id: &str, invalidate: bool) -> BackendResult<Value> {
        let field = format!("preview.invalidate({invalidate})");
        let answer = self.flow(account, flow_id, &[field]).await?;
        answer.get("preview").cloned().ok_or_else(|| missing("the preview"))
    }

    async fn publish(&self, _: &AccountRef, flow_id: &str) -> BackendResult<()> {
        self.call(Method::POST, &format!("/{}/publish", segment(flow_id, "flow")?), None).await?;
        Ok(())
    }

    async fn deprecate(&self, _: &AccountRef, flow_id: &str) -> BackendResult<()> {
        self.call(Method::POST, &format!("/{}/deprecate", segment(flow_id, "flow")?), None).await?;
        Ok(())
    }

    async fn delete(&self, _: &AccountRef, flow_id: &str) -> BackendResult<()> {
        self.call(Method::DELETE, &format!("/{}", segment(flow_id, "flow")?), None).await?;
        Ok(())
    }

    async fn migrate(
        &self,
        source: &AccountRef,
        destination: &AccountRef,
        names: Option<&[String]>,
    ) -> BackendResult<Value> {
        let mut body = json!({ "source_waba_id": segment(&source.external_id, "account")? });
        if let Some(names) = names {
            body["source_flow_names"] = json!(names);
        }
        let path = format!("/{}/migrate_flows", segment(&destination.external_id, "account")?);
        let answer = self.call(Method::POST, &path, Self::json(&body)).await?;
        Ok(json!({
            "migrated_flows": answer.get("migrated_flows").cloned().unwrap_or_else(|| json!([])),
            "failed_flows": answer.get("failed_flows").cloned().unwrap_or_else(|| json!([])),
        }))
    }

    async fn send_message(&self, account: &AccountRef, message: &Value) -> BackendResult<String> {
        let phone_number_id = self.phone_number_id(account, "to send from").await?;
        let path = format!("/{phone_number_id}/messages");
        let answer = self.call(Method::POST, &path, Self::json(message)).await?;
        super::partner::message_id(&answer).ok_or_else(|| {
            BackendError::new(FailureKind::Unavailable, format!("{WHO} answered without the message's id"))
        })
    }

    async fn upload_public_key(&self, account: &AccountRef, public_key_pem: &str) -> BackendResult<()> {
        let phone_number_id = self.phone_number_id(account, "to set an endpoint key for").await?;
        let form = url::form_urlencoded::Serializer::new(String::new())
            .append_pair("business_public_key", public_key_pem)
            .finish();
        let payload = Some(("application/x-www-form-urlencoded".to_owned(), Bytes::from(form)));
        let path = format!("/{phone_number_id}/whatsapp_business_encryption");
        self.call(Method::POST, &path, payload).await?;
        Ok(())
    }

    async fn public_key(&self, account: &AccountRef) -> BackendResult<PublicKeyStatus> {
        let phone_number_id = self.phone_number_id(account, "to hold an endpoint key").await?;
        let path = format!("/{phone_number_id}/whatsapp_business_encryption");
        let answer = self.call(Method::GET, &path, None).await?;
        Ok(super::partner::public_key_status(&answer))
    }
}
