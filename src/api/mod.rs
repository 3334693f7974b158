//! The typed client of the 360dialog Partner API flows operations (the seed OpenAPI's eleven)
//! and of the partner's channel listing, as `flowsmith serve` offers them.
//!
//! Two ways to reach the API ([`Via`]): through the same-origin server, which adds the key
//! (the default: the key never reaches the browser), or directly at a configured base URL with
//! a key the user typed (kept in sessionStorage; the key is then visible to this page and to
//! anything that runs in it, and the UI says so).
pub mod endpoint;
mod error;
pub mod messages;
pub mod responses;
mod transport;
mod types;
pub mod workspace;

use serde_json::Value;

pub use error::{ApiError, ErrorKind, GraphError};
pub use transport::{
    Browser, HttpRequest, HttpResponse, Method, Transport, encode_query, flow_json_multipart,
};
pub use types::{
    Asset, CATEGORIES, ErrorPointer, FlowInfo, FlowUpdate, Migrated, Migration, MigrationFailure, NewFlow,
    Preview, ServerConfig, ValidationError, WabaAccount,
};

/// The largest flow.json Meta takes (flow-model's limit): larger ones are not sent.
pub const MAX_FLOW_JSON_BYTES: usize = flow_model::MAX_INPUT_BYTES;

/// The fields the library asks for.
const LIST_FIELDS: &str =
    "fields=id&fields=name&fields=status&fields=categories&fields=validation_errors&fields=json_version";
/// The fields of one flow.
const FLOW_FIELDS: &str = "fields=id&fields=name&fields=status&fields=categories&fields=validation_errors&fields=json_version&fields=endpoint_uri";

/// How the API is reached.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Via {
    /// The same-origin `flowsmith serve` (`/api/v2/…`), which holds the key. `origin` is
    /// empty in the app (relative URLs); tests name the server.
    Server {
        /// `http://host:port`, or empty for the page's origin.
        origin: String,
    },
    /// A Partner API base URL (e.g. `https://hub.360dialog.io`) with the key sent by the browser.
    Direct {
        /// Base URL; `/api/v2/…` follows it.
        base: String,
        /// The partner API key.
        key: String,
    },
}

/// A WhatsApp Business Account of a partner: where flows live.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Account {
    /// `…PA`
    pub partner_id: String,
    /// `…WA`
    pub waba_id: String,
}

/// Whether `id` is an id the API takes in a path: 1 to 64 letters, digits, `-` or `_`.
pub fn is_valid_id(id: &str) -> bool {
    (1..=64).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// The client: a transport and a way to the API.
#[derive(Debug, Clone)]
pub struct Client<T> {
    transport: T,
    via: Via,
}

impl Client<Browser> {
    /// The app's client.
    pub fn browser(via: Via) -> Self {
        Client { transport: Browser, via }
    }
}

impl<T: Transport> Client<T> {
    /// A client over `transport`.
    pub fn new(transport: T, via: Via) -> Self {
        Client { transport, via }
    }

    /// How this client reaches the API.
    pub fn via(&self) -> &Via {
        &self.via
    }

    fn api_url(&self, path: &str) -> String {
        match &self.via {
            Via::Server { origin } => format!("{origin}/api/v2/{path}"),
            Via::Direct { base, .. } => format!("{}/api/v2/{path}", base.trim_end_matches('/')),
        }
    }

    fn partner_path(partner_id: &str, rest: &str) -> Result<String, ApiError> {
        check_id("partner id", partner_id)?;
        Ok(format!("partners/{partner_id}/{rest}"))
    }

    fn flows_path(account: &Account, rest: &str) -> Result<String, ApiError> {
        check_id("WhatsApp Business Account id", &account.waba_id)?;
        Self::partner_path(&account.partner_id, &format!("waba_accounts/{}/flows{rest}", account.waba_id))
    }

    fn flow_path(account: &Account, flow_id: &str, rest: &str) -> Result<String, ApiError> {
        check_id("flow id", flow_id)?;
        Self::flows_path(account, &format!("/{flow_id}{rest}"))
    }

    async fn call(
        &self,
        method: Method,
        url: String,
        body: Option<(String, String)>,
    ) -> Result<String, ApiError> {
        let mut headers = Vec::new();
        if let Via::Direct { key, .. } = &self.via {
            headers.push(("X-API-Key", key.clone()));
        }
        let body = body.map(|(content_type, body)| {
            headers.push(("Content-Type", content_type));
            body
        });
        let response = self
            .transport
            .send(HttpRequest { method, url, headers, body })
            .await
            .map_err(ApiError::offline)?;
        if (200..300).contains(&response.status) {
            Ok(response.body)
        } else {
            Err(ApiError::from_answer(response.status, &response.body))
        }
    }

    /// One API call whose answer is a JSON object. (One future type for every operation: the
    /// answers are read by non-async code, which keeps the bundle small.)
    async fn api(
        &self,
        method: Method,
        path: Result<String, ApiError>,
        body: Option<String>,
    ) -> Result<Value, ApiError> {
        let url = self.api_url(&path?);
        let text = self.call(method, url, body.map(|body| ("application/json".to_owned(), body))).await?;
        json_object(&text)
    }

    /// What the same-origin server says about itself (`GET /flowsmith/config`).
    pub async fn server_config(&self) -> Result<ServerConfig, ApiError> {
        let origin = match &self.via {
            Via::Server { origin } => origin.clone(),
            Via::Direct { .. } => String::new(),
        };
        let text = self.call(Method::Get, format!("{origin}/flowsmith/config"), None).await?;
        json_object(&text).map(|value| ServerConfig::read(&value))
    }

    /// The partner's WhatsApp Business Accounts, from its channel listing.
    pub async fn waba_accounts(&self, partner_id: &str) -> Result<Vec<WabaAccount>, ApiError> {
        let path = Self::partner_path(partner_id, "channels?limit=1000");
        self.api(Method::Get, path, None).await.map(|value| WabaAccount::read_channels(&value))
    }

    /// Every flow of the account.
    pub async fn list_flows(&self, account: &Account) -> Result<Vec<FlowInfo>, ApiError> {
        let value =
            self.api(Method::Get, Self::flows_path(account, &format!("?{LIST_FIELDS}")), None).await?;
        Ok(types::items(&value, "flows").iter().map(FlowInfo::read).collect())
    }

    /// One flow.
    pub async fn get_flow(&self, account: &Account, flow_id: &str) -> Result<FlowInfo, ApiError> {
        let path = Self::flow_path(account, flow_id, &format!("?{FLOW_FIELDS}"));
        self.api(Method::Get, path, None).await.map(|value| FlowInfo::read(&value))
    }

    /// Creates a flow (a copy of `clone_flow_id` when given); returns its id.
    pub async fn create_flow(&self, account: &Account, flow: &NewFlow) -> Result<String, ApiError> {
        if let Some(source) = &flow.clone_flow_id {
            check_id("flow id to clone", source)?;
        }
        let value = self.api(Method::Post, Self::flows_path(account, ""), Some(flow.to_json())).await?;
        Some(types::text(&value, "id"))
            .filter(|id| !id.is_empty())
            .ok_or_else(|| ApiError::unexpected(200, "a new flow's id"))
    }

    /// Changes a flow's name, categories and endpoint.
    pub async fn update_flow(
        &self,
        account: &Account,
        flow_id: &str,
        update: &FlowUpdate,
    ) -> Result<(), ApiError> {
        self.api(Method::Patch, Self::flow_path(account, flow_id, ""), Some(update.to_json())).await.map(drop)
    }

    /// Deletes a draft that was never published.
    pub async fn delete_flow(&self, account: &Account, flow_id: &str) -> Result<(), ApiError> {
        self.api(Method::Delete, Self::flow_path(account, flow_id, ""), None).await.map(drop)
    }

    /// The flow's assets (its flow.json, with a download link).
    pub async fn assets(&self, account: &Account, flow_id: &str) -> Result<Vec<Asset>, ApiError> {
        let value = self.api(Method::Get, Self::flow_path(account, flow_id, "/assets"), None).await?;
        Ok(types::items(&value, "assets").iter().map(Asset::read).collect())
    }

    /// Uploads flow.json; returns Meta's validation errors (empty when Meta accepts it).
    pub async fn upload_flow_json(
        &self,
        account: &Account,
        flow_id: &str,
        flow_json: &str,
    ) -> Result<Vec<ValidationError>, ApiError> {
        if flow_json.len() > MAX_FLOW_JSON_BYTES {
            return Err(ApiError::refused(format!(
                "This flow.json is {} MB; WhatsApp takes at most {} MB, so it was not sent (your draft is kept in this browser)",
                flow_model::number::fixed(flow_json.len() as f64 / 1_048_576.0, 1),
                MAX_FLOW_JSON_BYTES / 1_048_576
            )));
        }
        let url = self.api_url(&Self::flow_path(account, flow_id, "/assets")?);
        let text = self.call(Method::Post, url, Some(flow_json_multipart(flow_json))).await?;
        json_object(&text).map(|value| ValidationError::read_all(&value))
    }

    /// Publishes the flow (for good: a published flow cannot be unpublished).
    pub async fn publish(&self, account: &Account, flow_id: &str) -> Result<(), ApiError> {
        self.api(Method::Post, Self::flow_path(account, flow_id, "/publish"), None).await.map(drop)
    }

    /// Deprecates a published flow (for good).
    pub async fn deprecate(&self, account: &Account, flow_id: &str) -> Result<(), ApiError> {
        self.api(Method::Post, Self::flow_path(account, flow_id, "/deprecate"), None).await.map(drop)
    }

    /// The web preview link; `invalidate` asks for a new one (the old stops working).
    pub async fn preview(
        &self,
        account: &Account,
        flow_id: &str,
        invalidate: bool,
    ) -> Result<Preview, ApiError> {
        let path = Self::flow_path(
            account,
            flow_id,
            if invalidate { "/preview?invalidate=true" } else { "/preview" },
        );
        self.api(Method::Get, path, None).await.map(|value| Preview::read(&value))
    }

    /// Copies flows of another account of the partner into `account` (all of them when
    /// `names` is `None`).
    pub async fn migrate(
        &self,
        account: &Account,
        source_waba_id: &str,
        names: Option<&[String]>,
    ) -> Result<Migration, ApiError> {
        check_id("source WhatsApp Business Account id", source_waba_id)?;
        let mut body = serde_json::Map::new();
        body.insert("source_waba_account_id".to_owned(), source_waba_id.into());
        if let Some(names) = names {
            body.insert("source_flow_names".to_owned(), names.to_vec().into());
        }
        let body = flow_model::json::compact(&Value::Object(body));
        let value = self.api(Method::Post, Self::flows_path(account, "/migrate_flows"), Some(body)).await?;
        Ok(Migration::read(&value))
    }

    /// The text behind an asset's `download_url`: through the server's `/flowsmith/asset`,
    /// or, in direct mode, from the link itself (falling back to this origin's server when
    /// the browser may not read it).
    pub async fn download(&self, download_url: &str) -> Result<String, ApiError> {
        let through_server =
            |origin: &str| format!("{origin}/flowsmith/asset?url={}", encode_query(download_url));
        match &self.via {
            Via::Server { origin } => self.call(Method::Get, through_server(origin), None).await,
            Via::Direct { .. } => {
                let request = HttpRequest {
                    method: Method::Get,
                    url: download_url.to_owned(),
                    headers: Vec::new(),
                    body: None,
                };
                match self.transport.send(request).await {
                    Ok(response) if (200..300).contains(&response.status) => Ok(response.body),
                    _ => self.call(Method::Get, through_server(""), None).await,
                }
            }
        }
    }

    /// The flow's current flow.json, if it has one.
    pub async fn flow_json(&self, account: &Account, flow_id: &str) -> Result<Option<String>, ApiError> {
        let assets = self.assets(account, flow_id).await?;
        let Some(asset) =
            assets.iter().find(|asset| asset.asset_type == "FLOW_JSON" || asset.name == "flow.json")
        else {
            return Ok(None);
        };
        self.download(&asset.download_url).await.map(Some)
    }
}

/// An answer's JSON object (a 2xx answer that is not one is "unexpected").
fn json_object(text: &str) -> Result<Value, ApiError> {
    match flow_model::json::read(text) {
        Ok(value) if value.is_object() => Ok(value),
        _ => Err(ApiError::unexpected(200, "the JSON object the API answers with")),
    }
}

fn check_id(what: &str, id: &str) -> Result<(), ApiError> {
    if is_valid_id(id) {
        Ok(())
    } else if id.is_empty() {
        Err(ApiError::refused(format!("No {what} is set: choose one in Connection")))
    } else {
        Err(ApiError::refused(format!(
            "\u{201c}{id}\u{201d} is not a valid {what}: ids are 1 to 64 letters, digits, - or _"
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_checked_before_anything_is_sent() {
        assert!(is_valid_id("sandbox1WA") && is_valid_id("1287346519273401"));
        assert!(
            !is_valid_id("") && !is_valid_id("../x") && !is_valid_id("a b") && !is_valid_id(&"a".repeat(65))
        );
        let error =
            Client::<Browser>::flows_path(&Account { partner_id: "p".into(), waba_id: "x/y".into() }, "")
                .unwrap_err();
        assert_eq!(error.kind, ErrorKind::Refused);
        assert!(error.for_people().contains("not a valid WhatsApp Business Account id"));
    }

    #[test]
    fn urls_by_mode() {
        let server = Client::browser(Via::Server { origin: String::new() });
        assert_eq!(server.api_url("partners/p/channels"), "/api/v2/partners/p/channels");
        let direct = Client::browser(Via::Direct { base: "https://hub.example/".into(), key: "k".into() });
        assert_eq!(direct.api_url("partners/p/channels"), "https://hub.example/api/v2/partners/p/channels");
    }
}
