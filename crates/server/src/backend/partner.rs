//! The 360dialog Partner API as a backend, and the sandbox, which answers the same API
//! in-process. Each operation is one (or two) Partner API calls, sent through the proxy's
//! target with the server's key, so the workspace reaches WhatsApp exactly as the app's own
//! calls do:
//!
//! | operation | Partner API call (under `/api/v2/partners/{partner_id}`) |
//! | --- | --- |
//! | accounts | `GET /channels?limit=1000` → each channel's `waba_account` (`id`, `external_id`, `name`) |
//! | flows | `GET /waba_accounts/{waba}/flows?fields=id,name,categories,status,validation_errors` (one page: the API has no paging) |
//! | flow | `GET …/flows/{id}?fields=…` (`preview.invalidate(true)` passed as is) |
//! | assets | `GET …/flows/{id}/assets` → `assets` |
//! | flow_json | `GET …/flows/{id}/assets` → the `FLOW_JSON` asset's `download_url`, fetched through the asset fetcher (Meta's hosts only) |
//! | create | `POST …/flows` `{name, categories, clone_flow_id}` → `{id}`; then, the API taking no flow.json at creation, `upload_flow_json` and `publish` when asked |
//! | update_metadata | `PATCH …/flows/{id}` `{name, categories}` |
//! | upload_flow_json | `POST …/flows/{id}/assets` multipart `file` (flow.json), `name=flow.json`, `asset_type=FLOW_JSON` → `validation_errors` |
//! | preview | `GET …/flows/{id}/preview?invalidate=true|false` → its `preview` |
//! | publish, deprecate | `POST …/flows/{id}/publish`, `…/deprecate` |
//! | delete | `DELETE …/flows/{id}` |
//! | migrate | `POST …/waba_accounts/{destination}/flows/migrate_flows` `{source_waba_account_id, source_flow_names}` |
//! | send_message | sandbox: `POST …/waba_accounts/{waba}/messages` (its stand-in of the messaging API); 360dialog: refused here; the workspace sends through `messaging.rs` with the account's channel key |
//! | upload_public_key | sandbox: `POST …/waba_accounts/{waba}/whatsapp_business_encryption` `{business_public_key}` (its stand-in of Meta's call of that name); 360dialog: refused (409), the Partner API has no such call: the number's key is set with the channel's own API key or in 360dialog's hub |
//! | public_key | sandbox: `GET …/waba_accounts/{waba}/whatsapp_business_encryption` → Meta's `data[0]` (`business_public_key`, `business_public_key_signature_status`); 360dialog: refused, as above |
//!
//! Meta's error inside 360dialog's envelope is read with its code, so expired keys, missing
//! permissions and rate limits are the same failures as through the Graph API.
use axum::body::Body;
use axum::extract::Request;
use axum::http::{Method, StatusCode, header};
use http_body_util::BodyExt as _;
use serde_json::{Value, json};

use super::multipart::multipart;
use super::{
    AccountRef, Backend, BackendError, BackendKind, BackendResult, CreatedFlow, FailureKind, NewRemoteFlow,
    PublicKeyStatus, RemoteAccount, RemoteFlow,
};
use crate::error::ApiError;
use crate::proxy::{MAX_UPSTREAM_RESPONSE, Target, asset::AssetFetcher};

/// The Partner API reached through `target` (360dialog or the in-process sandbox).
pub struct Partner {
    kind: BackendKind,
    target: Target,
    partner_id: Option<String>,
    assets: AssetFetcher,
}

impl Partner {
    /// A backend of `kind` sending through `target` for `partner_id`.
    pub fn new(kind: BackendKind, target: Target, partner_id: Option<String>, assets: AssetFetcher) -> Self {
        Partner { kind, target, partner_id, assets }
    }

    fn partner(&self) -> BackendResult<&str> {
        self.partner_id.as_deref().ok_or_else(|| {
            BackendError::new(
                FailureKind::NotConfigured,
                "This server has no 360dialog partner id: start it with --partner-id (FLOWSMITH_PARTNER_ID) \
                 to reach your WhatsApp Business Accounts",
            )
        })
    }

    fn flows_path(&self, account: &AccountRef) -> BackendResult<String> {
        let partner = self.partner()?;
        if !crate::ids::is_valid(&account.external_id) {
            return Err(BackendError::new(
                FailureKind::NotFound,
                "This account's id cannot be used in a URL",
            ));
        }
        Ok(format!("/api/v2/partners/{partner}/waba_accounts/{}/flows", account.external_id))
    }

    fn flow_path(&self, account: &AccountRef, flow_id: &str) -> BackendResult<String> {
        if !crate::ids::is_valid(flow_id) {
            return Err(BackendError::new(FailureKind::NotFound, "This flow id cannot be used in a URL"));
        }
        Ok(format!("{}/{flow_id}", self.flows_path(account)?))
    }

    /// The sandbox's stand-in of Meta's `whatsapp_business_encryption`, beside the WABA's flows.
    fn encryption_path(&self, account: &AccountRef) -> BackendResult<String> {
        let flows = self.flows_path(account)?;
        Ok(format!("{}/whatsapp_business_encryption", flows.trim_end_matches("/flows")))
    }

    fn who(&self) -> &'static str {
        match self.kind {
            BackendKind::Sandbox => "The sandbox",
            BackendKind::Dialog360 | BackendKind::Graph => "The 360dialog Partner API",
        }
    }

    /// Sends one call and reads its JSON answer; an error answer becomes a `BackendError`.
    async fn call(
        &self,
        method: Method,
        path: &str,
        body: Option<(String, Vec<u8>)>,
    ) -> BackendResult<Value> {
        let mut builder =
            Request::builder().method(method).uri(path).header(header::ACCEPT, "application/json");
        let body = match body {
            Some((content_type, bytes)) => {
                builder = builder
                    .header(header::CONTENT_TYPE, content_type)
                    .header(header::CONTENT_LENGTH, bytes.len());
                Body::from(bytes)
            }
            None => Body::empty(),
        };
        let request = builder.body(body).map_err(|error| {
            BackendError::new(FailureKind::Unavailable, format!("cannot build the request: {error}"))
        })?;
        let response = self.target.send(request).await.map_err(|error| self.transport_failure(&error))?;
        let status = response.status();
        let bytes = http_body_util::Limited::new(response.into_body(), MAX_UPSTREAM_RESPONSE)
            .collect()
            .await
            .map_err(|_| {
                BackendError::new(
                    FailureKind::Unavailable,
                    format!("{} sent an answer that could not be read", self.who()),
                )
            })?
            .to_bytes();
        let value: Option<Value> = serde_json::from_slice(&bytes).ok();
        if status.is_success() {
            return value.ok_or_else(|| {
                BackendError::new(
                    FailureKind::Unavailable,
                    format!("{} answered with something that is not JSON", self.who()),
                )
            });
        }
        Err(refusal(status, value.as_ref(), self.who()))
    }

    fn transport_failure(&self, error: &ApiError) -> BackendError {
        let kind = match error {
            ApiError::UpstreamTimeout { .. } | ApiError::RequestTimeout(_) => FailureKind::Timeout,
            _ => FailureKind::Unavailable,
        };
        let mut failure = BackendError::new(kind, error.message());
        failure.status = Some(error.status());
        failure
    }
}

/// Reads 360dialog's error envelope (either spelling) and Meta's Graph error inside it.
pub(super) fn refusal(status: StatusCode, body: Option<&Value>, who: &str) -> BackendError {
    let meta = body.and_then(|body| body.get("meta"));
    let graph = meta.and_then(|meta| {
        meta.pointer("/details/error").cloned().or_else(|| match meta.get("error") {
            Some(Value::String(text)) => {
                serde_json::from_str::<Value>(text).ok().and_then(|v| v.get("error").cloned())
            }
            Some(object @ Value::Object(_)) => {
                Some(object.get("error").cloned().unwrap_or_else(|| object.clone()))
            }
            _ => None,
        })
    });
    let graph_message = graph.as_ref().and_then(|graph| {
        graph
            .get("error_user_msg")
            .or_else(|| graph.get("message"))
            .and_then(Value::as_str)
            .map(str::to_owned)
    });
    let developer = meta
        .and_then(|meta| meta.get("developer_message").or_else(|| meta.get("developerMessage")))
        .and_then(Value::as_str)
        .map(str::to_owned);
    let message =
        graph_message.or(developer).unwrap_or_else(|| format!("{who} answered HTTP {}", status.as_u16()));
    let code = graph.as_ref().and_then(|graph| graph.get("code")).and_then(Value::as_u64);
    let subcode = graph.as_ref().and_then(|graph| graph.get("error_subcode")).and_then(Value::as_u64);
    let kind = FailureKind::of_meta(status, code, subcode);
    let message: String = message.chars().take(1000).collect();
    BackendError { kind, status: Some(status), code, message: kind.explain(who, code, &message) }
}

/// Meta's answer of `GET …/whatsapp_business_encryption` (`{data: [{business_public_key,
/// business_public_key_signature_status}]}`; no key: an empty `data`).
pub(super) fn public_key_status(answer: &Value) -> PublicKeyStatus {
    let first = answer.pointer("/data/0");
    let field = |name: &str| first.and_then(|key| string(key, name)).filter(|text| !text.is_empty());
    PublicKeyStatus {
        public_key: field("business_public_key"),
        signature_status: field("business_public_key_signature_status"),
    }
}

/// 360dialog's Partner API has no call for a number's business public key.
fn no_key_call() -> BackendError {
    BackendError::new(
        FailureKind::Unsupported,
        "360dialog sets the endpoint's public key through its hub: its Partner API, which this server \
         uses, has no call for it (the channel's own D360-API-KEY, which this server does not keep, \
         does). Upload the public key shown here there",
    )
}

/// WhatsApp's id of a sent message: `messages[0].id` of the messaging API's answer (the same
/// for the Cloud API and 360dialog).
pub(super) fn message_id(answer: &Value) -> Option<String> {
    answer.pointer("/messages/0/id").and_then(Value::as_str).map(str::to_owned)
}

fn string(value: &Value, key: &str) -> Option<String> {
    value.get(key).and_then(Value::as_str).map(str::to_owned)
}

fn unreadable(who: &str, what: &str) -> BackendError {
    BackendError::new(FailureKind::Unavailable, format!("{who} answered without {what}"))
}

#[async_trait::async_trait]
impl Backend for Partner {
    fn kind(&self) -> BackendKind {
        self.kind
    }

    async fn accounts(&self) -> BackendResult<Vec<RemoteAccount>> {
        let partner = self.partner()?;
        let answer =
            self.call(Method::GET, &format!("/api/v2/partners/{partner}/channels?limit=1000"), None).await?;
        let channels = answer
            .get("partner_channels")
            .and_then(Value::as_array)
            .ok_or_else(|| unreadable(self.who(), "its channels"))?;
        let mut accounts: Vec<RemoteAccount> = Vec::new();
        for channel in channels {
            let Some(waba) = channel.get("waba_account") else { continue };
            let Some(external_id) = string(waba, "id").or_else(|| string(channel, "waba_account_id")) else {
                continue;
            };
            if accounts.iter().any(|known| known.external_id == external_id) {
                continue;
            }
            let name = string(waba, "name").unwrap_or_else(|| external_id.clone());
            accounts.push(RemoteAccount { waba_id: string(waba, "external_id"), name, external_id });
        }
        Ok(accounts)
    }

    async fn flows(&self, account: &AccountRef) -> BackendResult<Vec<RemoteFlow>> {
        let path =
            format!("{}?fields=id,name,categories,status,validation_errors", self.flows_path(account)?);
        let answer = self.call(Method::GET, &path, None).await?;
        let flows = answer
            .get("flows")
            .and_then(Value::as_array)
            .ok_or_else(|| unreadable(self.who(), "its flows"))?;
        Ok(flows.iter().filter_map(remote_flow).collect())
    }

    async fn flow(&self, account: &AccountRef, flow_id: &str, fields: &[String]) -> BackendResult<Value> {
        let mut path = self.flow_path(account, flow_id)?;
        let query: String = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(fields.iter().map(|field| ("fields", field)))
            .finish();
        if !query.is_empty() {
            path = format!("{path}?{query}");
        }
        self.call(Method::GET, &path, None).await
    }

    async fn assets(&self, account: &AccountRef, flow_id: &str) -> BackendResult<Vec<Value>> {
        let answer =
            self.call(Method::GET, &format!("{}/assets", self.flow_path(account, flow_id)?), None).await?;
        answer
            .get("assets")
            .and_then(Value::as_array)
            .cloned()
            .ok_or_else(|| unreadable(self.who(), "its assets"))
    }

    async fn flow_json(&self, account: &AccountRef, flow_id: &str) -> BackendResult<Option<String>> {
        let assets = self.assets(account, flow_id).await?;
        let Some(link) = flow_json_link(&assets) else { return Ok(None) };
        let bytes = self.assets.download(&link).await.map_err(|error| self.transport_failure(&error))?;
        utf8(bytes).map(Some)
    }

    async fn create(&self, account: &AccountRef, flow: &NewRemoteFlow) -> BackendResult<CreatedFlow> {
        let mut body = json!({ "name": flow.name, "categories": flow.categories });
        if let Some(source) = &flow.clone_flow_id {
            body["clone_flow_id"] = json!(source);
        }
        let body = serde_json::to_vec(&body)
            .map_err(|error| BackendError::new(FailureKind::Unavailable, error.to_string()))?;
        let answer = self
            .call(Method::POST, &self.flows_path(account)?, Some(("application/json".to_owned(), body)))
            .await?;
        let id = string(&answer, "id").ok_or_else(|| unreadable(self.who(), "the new flow's id"))?;
        let validation_errors = match &flow.flow_json {
            Some(text) => self.upload_flow_json(account, &id, text).await?,
            None => Vec::new(),
        };
        if flow.publish {
            self.publish(account, &id).await?;
        }
        Ok(CreatedFlow { id, validation_errors })
    }

    async fn update_metadata(
        &self,
        account: &AccountRef,
        flow_id: &str,
        name: &str,
        categories: &[String],
    ) -> BackendResult<()> {
        let body = serde_json::to_vec(&json!({ "name": name, "categories": categories }))
            .map_err(|error| BackendError::new(FailureKind::Unavailable, error.to_string()))?;
        self.call(
            Method::PATCH,
            &self.flow_path(account, flow_id)?,
            Some(("application/json".to_owned(), body)),
        )
        .await?;
        Ok(())
    }

    async fn upload_flow_json(
        &self,
        account: &AccountRef,
        flow_id: &str,
        text: &str,
    ) -> BackendResult<Vec<Value>> {
        let (content_type, body) = multipart(text);
        let path = format!("{}/assets", self.flow_path(account, flow_id)?);
        let answer = self.call(Method::POST, &path, Some((content_type, body))).await?;
        Ok(answer.get("validation_errors").and_then(Value::as_array).cloned().unwrap_or_default())
    }

    async fn publish(&self, account: &AccountRef, flow_id: &str) -> BackendResult<()> {
        self.call(Method::POST, &format!("{}/publish", self.flow_path(account, flow_id)?), None).await?;
        Ok(())
    }

    async fn deprecate(&self, account: &AccountRef, flow_id: &str) -> BackendResult<()> {
        self.call(Method::POST, &format!("{}/deprecate", self.flow_path(account, flow_id)?), None).await?;
        Ok(())
    }

    async fn preview(&self, account: &AccountRef, flow_id: &str, invalidate: bool) -> BackendResult<Value> {
        let path = format!("{}/preview?invalidate={invalidate}", self.flow_path(account, flow_id)?);
        let answer = self.call(Method::GET, &path, None).await?;
        answer.get("preview").cloned().ok_or_else(|| unreadable(self.who(), "the preview"))
    }

    async fn delete(&self, account: &AccountRef, flow_id: &str) -> BackendResult<()> {
        self.call(Method::DELETE, &self.flow_path(account, flow_id)?, None).await?;
        Ok(())
    }

    async fn migrate(
        &self,
        source: &AccountRef,
        destination: &AccountRef,
        names: Option<&[String]>,
    ) -> BackendResult<Value> {
        let mut body = json!({ "source_waba_account_id": source.external_id });
        if let Some(names) = names {
            body["source_flow_names"] = json!(names);
        }
        let body = serde_json::to_vec(&body)
            .map_err(|error| BackendError::new(FailureKind::Unavailable, error.to_string()))?;
        let path = format!("{}/migrate_flows", self.flows_path(destination)?);
        self.call(Method::POST, &path, Some(("application/json".to_owned(), body))).await
    }

    async fn send_message(&self, account: &AccountRef, message: &Value) -> BackendResult<String> {
        match self.kind {
            // The sandbox's stand-in of the messaging API, beside its flows: it keeps the
            // message for its test phones.
            BackendKind::Sandbox => {
                let path = format!("{}/messages", self.flows_path(account)?.trim_end_matches("/flows"));
                let bytes = serde_json::to_vec(message).unwrap_or_default();
                let answer =
                    self.call(Method::POST, &path, Some(("application/json".to_owned(), bytes))).await?;
                message_id(&answer).ok_or_else(|| unreadable(self.who(), "the message's id"))
            }
            // 360dialog sends through `POST https://waba-v2.360dialog.io/messages` with the
            // channel's own `D360-API-KEY` (the partner key cannot send): the workspace sends
            // with the key an admin stored with the account (`messaging.rs`), not through here.
            BackendKind::Dialog360 | BackendKind::Graph => Err(BackendError::new(
                FailureKind::Unsupported,
                "This account has no channel API key: 360dialog sends messages only with the channel's \
                 own D360-API-KEY, which this server does not keep",
            )),
        }
    }

    async fn upload_public_key(&self, account: &AccountRef, public_key_pem: &str) -> BackendResult<()> {
        if self.kind != BackendKind::Sandbox {
            return Err(no_key_call());
        }
        let bytes = serde_json::to_vec(&json!({ "business_public_key": public_key_pem })).unwrap_or_default();
        self.call(
            Method::POST,
            &self.encryption_path(account)?,
            Some(("application/json".to_owned(), bytes)),
        )
        .await?;
        Ok(())
    }

    async fn public_key(&self, account: &AccountRef) -> BackendResult<PublicKeyStatus> {
        if self.kind != BackendKind::Sandbox {
            return Err(no_key_call());
        }
        let answer = self.call(Method::GET, &self.encryption_path(account)?, None).await?;
        Ok(public_key_status(&answer))
    }
}

/// A flow of a listing (either API: the flow object is Meta's), `None` without an id.
pub(super) fn remote_flow(flow: &Value) -> Option<RemoteFlow> {
    Some(RemoteFlow {
        id: string(flow, "id")?,
        name: string(flow, "name").unwrap_or_default(),
        categories: flow
            .get("categories")
            .and_then(Value::as_array)
            .map(|list| list.iter().filter_map(Value::as_str).map(str::to_owned).collect())
            .unwrap_or_default(),
        status: string(flow, "status").unwrap_or_else(|| "DRAFT".to_owned()),
        validation_errors: flow
            .get("validation_errors")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default(),
    })
}

/// The `download_url` of the `FLOW_JSON` asset, if there is one.
pub(super) fn flow_json_link(assets: &[Value]) -> Option<String> {
    assets
        .iter()
        .find(|asset| asset.get("asset_type").and_then(Value::as_str) == Some("FLOW_JSON"))
        .and_then(|asset| string(asset, "download_url"))
}

/// A downloaded flow.json as text.
pub(super) fn utf8(bytes: Vec<u8>) -> BackendResult<String> {
    String::from_utf8(bytes).map_err(|_| {
        BackendError::new(FailureKind::Unavailable, "The flow.json on WhatsApp is not UTF-8 text")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A 360dialog backend whose target must not be called: nothing is sent.
    fn dialog360() -> Partner {
        let assets = crate::proxy::asset::AssetFetcher::new(
            crate::proxy::asset::AssetPolicy::local_for_tests(&[]),
            std::time::Duration::from_secs(1),
            None,
        )
        .unwrap();
        let target = Target::Sandbox(axum::Router::new(), crate::config::Secret::new("key"));
        Partner::new(BackendKind::Dialog360, target, Some("p1".to_owned()), assets)
    }

    #[tokio::test]
    async fn a_360dialog_account_cannot_send_without_its_channel_key() {
        let partner = dialog360();
        let account = AccountRef { external_id: "w1WA".to_owned() };
        let error = partner.send_message(&account, &json!({"to": "15550001111"})).await.unwrap_err();
        assert_eq!(error.kind, FailureKind::Unsupported);
        assert!(error.message.contains("no channel API key"), "{}", error.message);
    }

    #[tokio::test]
    async fn a_360dialog_account_refuses_the_endpoint_key_saying_where_it_is_set() {
        let partner = dialog360();
        let account = AccountRef { external_id: "w1WA".to_owned() };
        let upload = partner.upload_public_key(&account, "-----BEGIN PUBLIC KEY-----").await.unwrap_err();
        let status = partner.public_key(&account).await.unwrap_err();
        for error in [upload, status] {
            assert_eq!(error.kind, FailureKind::Unsupported);
            assert!(
                error.message.starts_with("360dialog sets the endpoint's public key through its hub"),
                "{}",
                error.message
            );
        }
    }

    #[test]
    fn public_key_statuses_are_read_from_metas_answer() {
        let answer = json!({"data": [{"business_public_key": "PEM", "business_public_key_signature_status": "MISMATCH"}]});
        let status = public_key_status(&answer);
        assert_eq!(
            (status.public_key.as_deref(), status.signature_status.as_deref()),
            (Some("PEM"), Some("MISMATCH"))
        );
        assert_eq!(public_key_status(&json!({"data": []})), PublicKeyStatus::default());
    }

    #[test]
    fn send_refusals_are_said_in_plain_words() {
        let outside =
            json!({"meta": {"details": {"error": {"code": 131047, "message": "Re-engagement message"}}}});
        let error = refusal(StatusCode::BAD_REQUEST, Some(&outside), "The sandbox");
        assert_eq!((error.kind, error.code), (FailureKind::Refused, Some(131047)));
        assert!(error.message.starts_with("More than 24 hours"), "{}", error.message);
        assert!(error.message.ends_with("(Re-engagement message)"), "{}", error.message);
    }

    #[test]
    fn refusals_read_meta_errors_in_every_shape() {
        let nested = json!({"meta": {"http_code": 400, "developer_message": "Invalid payload",
            "details": {"error": {"code": 139002, "error_user_msg": "Fix the flow first"}}}});
        let error = refusal(StatusCode::BAD_REQUEST, Some(&nested), "The sandbox");
        assert_eq!(
            (error.kind, error.code, error.message.as_str()),
            (FailureKind::Refused, Some(139002), "Fix the flow first")
        );
        let as_string = json!({"meta": {"developer_message": "x",
            "error": "{\"error\":{\"message\":\"Invalid parameter\",\"code\":100}}"}});
        let error = refusal(StatusCode::BAD_REQUEST, Some(&as_string), "The sandbox");
        assert_eq!((error.code, error.message.as_str()), (Some(100), "Invalid parameter"));
        let camel =
            json!({"meta": {"httpCode": 404, "developerMessage": "Flow with specified ID does not exist"}});
        let error = refusal(StatusCode::NOT_FOUND, Some(&camel), "The sandbox");
        assert_eq!(
            (error.kind, error.message.as_str()),
            (FailureKind::NotFound, "Flow with specified ID does not exist")
        );
        let error = refusal(StatusCode::BAD_GATEWAY, None, "The 360dialog Partner API");
        assert_eq!(
            (error.kind, error.message.as_str()),
            (FailureKind::Unavailable, "The 360dialog Partner API answered HTTP 502")
        );
    }
}
