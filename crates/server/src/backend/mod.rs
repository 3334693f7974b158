//! What the workspace needs from WhatsApp, behind one interface: the accounts a server reaches
//! and the life of their flows. Implemented by the Partner API (`partner.rs`: 360dialog, and the
//! sandbox, which speaks the same API in-process) and by Meta's Graph API (`graph/`). Each
//! implementation writes down, beside each operation, the upstream call it makes. Routes never
//! call a backend: the workspace does, and in graph mode the proxy's Partner-shaped routes
//! (`proxy/adapter.rs`).
pub mod graph;
pub mod messaging;
mod multipart;
mod partner;

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use axum::http::StatusCode;
use serde_json::Value;

pub use partner::Partner;

use crate::workspace::store::StoreResult;

/// Which kind of backend an account is reached through (stored with the account).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BackendKind {
    /// The local stand-in of the Partner API.
    Sandbox,
    /// 360dialog's Partner API.
    Dialog360,
    /// Meta's Graph API with a system-user token.
    Graph,
}

impl BackendKind {
    /// The stored name: `sandbox`, `360dialog` or `graph`.
    pub fn as_str(self) -> &'static str {
        match self {
            BackendKind::Sandbox => "sandbox",
            BackendKind::Dialog360 => "360dialog",
            BackendKind::Graph => "graph",
        }
    }

    /// The name people see: `Sandbox`, `360dialog` or `Meta`.
    pub fn label(self) -> &'static str {
        match self {
            BackendKind::Sandbox => "Sandbox",
            BackendKind::Dialog360 => "360dialog",
            BackendKind::Graph => "Meta",
        }
    }

    /// The kind named `name`.
    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "sandbox" => Some(BackendKind::Sandbox),
            "360dialog" => Some(BackendKind::Dialog360),
            "graph" => Some(BackendKind::Graph),
            _ => None,
        }
    }
}

/// A WhatsApp Business Account as the backend lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoteAccount {
    /// The backend's id of the account (360dialog's `…WA`).
    pub external_id: String,
    /// Meta's id of the WABA, when the backend says it.
    pub waba_id: Option<String>,
    /// Its name.
    pub name: String,
}

/// Where a flow operation goes: the account as the backend knows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountRef {
    /// The backend's id of the account.
    pub external_id: String,
}

/// A flow as the backend lists it; serialised, the flow of a Partner API listing.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct RemoteFlow {
    /// WhatsApp's flow id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its categories.
    pub categories: Vec<String>,
    /// `DRAFT`, `PUBLISHED`, `DEPRECATED`, `THROTTLED` or `BLOCKED`.
    pub status: String,
    /// Meta's `validation_errors` of its flow.json.
    pub validation_errors: Vec<Value>,
}

/// What a new flow is made of (`create`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NewRemoteFlow {
    /// Its name (unique in the account).
    pub name: String,
    /// Its categories.
    pub categories: Vec<String>,
    /// A flow of the same owner to copy the flow.json of.
    pub clone_flow_id: Option<String>,
    /// Publish it at once (needs a valid `flow_json`).
    pub publish: bool,
    /// Its flow.json, uploaded with it.
    pub flow_json: Option<String>,
}

/// A flow just created.
#[derive(Debug, Clone, PartialEq)]
pub struct CreatedFlow {
    /// WhatsApp's id of it.
    pub id: String,
    /// Meta's `validation_errors` of the flow.json sent with it (empty when none or valid).
    pub validation_errors: Vec<Value>,
}

/// The business public key WhatsApp holds for an account's phone number (Meta's
/// `whatsapp_business_encryption`), and what it says of it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PublicKeyStatus {
    /// The key WhatsApp holds (PEM); `None` when none was uploaded.
    pub public_key: Option<String>,
    /// Meta's `business_public_key_signature_status`: `VALID` or `MISMATCH`.
    pub signature_status: Option<String>,
}

/// Why a backend call failed, in words for people, with what the upstream said.
#[derive(Debug, Clone, PartialEq)]
pub struct BackendError {
    /// What kind of failure.
    pub kind: FailureKind,
    /// The upstream's HTTP status, when it answered.
    pub status: Option<StatusCode>,
    /// Meta's error code (e.g. 139002), when the answer carried one.
    pub code: Option<u64>,
    /// What happened, for people.
    pub message: String,
}

/// The kinds of backend failures the workspace tells apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailureKind {
    /// WhatsApp refused the operation (a lifecycle rule, a name taken, a bad payload).
    Refused,
    /// The flow or account does not exist there.
    NotFound,
    /// The backend could not be reached, failed, or answered something unreadable.
    Unavailable,
    /// The backend did not answer in time.
    Timeout,
    /// This server is not configured for what was asked.
    NotConfigured,
    /// The credential (partner key or access token) was refused: expired or invalid (Graph 190).
    Credential,
    /// The credential does not reach this account or flow (Graph 10, 200–299).
    Permission,
    /// Meta's rate limit, still reached after the waits allowed (Graph 4, 17, 32, 613, 80007, 130429).
    RateLimited,
    /// The account lacks what the operation needs (a 360dialog account has no channel API key
    /// to send messages with).
    Unsupported,
}

impl FailureKind {
    /// The failure of Meta's error `code` (with `subcode`) answered with `status`: the same for
    /// every backend, so the app says the same words whichever one an account is reached by.
    pub fn of_meta(status: StatusCode, code: Option<u64>, subcode: Option<u64>) -> Self {
        match (code, subcode) {
            (Some(190), _) => FailureKind::Credential,
            (Some(10 | 200..=299), _) => FailureKind::Permission,
            (Some(4 | 17 | 32 | 613 | 80007 | 130429), _) => FailureKind::RateLimited,
            // "Unsupported get request. Object with ID … does not exist".
            (Some(100), Some(33)) => FailureKind::NotFound,
            // Sending: "Receiver is incapable of receiving this message" (not on WhatsApp),
            // "Re-engagement message" (outside the 24-hour window), "Parameter value is not
            // valid" (a flow id or screen WhatsApp does not know).
            (Some(131026 | 131047 | 131009), _) => FailureKind::Refused,
            _ => match status {
                StatusCode::UNAUTHORIZED => FailureKind::Credential,
                StatusCode::FORBIDDEN => FailureKind::Permission,
                StatusCode::TOO_MANY_REQUESTS => FailureKind::RateLimited,
                StatusCode::NOT_FOUND => FailureKind::NotFound,
                StatusCode::GATEWAY_TIMEOUT => FailureKind::Timeout,
                status if status.is_server_error() => FailureKind::Unavailable,
                _ => FailureKind::Refused,
            },
        }
    }

    /// `detail` (what the upstream said, with Meta's `code`) in the words the app shows for
    /// this kind.
    pub fn explain(self, who: &str, code: Option<u64>, detail: &str) -> String {
        match self {
            FailureKind::Credential => format!(
                "{who} refused this server's credential (expired or invalid): {detail}. An admin must give \
                 the server a new one"
            ),
            FailureKind::Permission => {
                format!("{who} says this server's credential may not do this here: {detail}")
            }
            FailureKind::RateLimited => {
                format!("{who}'s rate limit is reached: {detail}. Try again in a few minutes")
            }
            _ => match code.and_then(send_refusal) {
                Some(words) => format!("{words} ({detail})"),
                None => detail.to_owned(),
            },
        }
    }
}

/// What WhatsApp's refusal of a sent message means, in plain words (the Cloud API's error
/// codes; the upstream's own words follow in brackets).
fn send_refusal(code: u64) -> Option<&'static str> {
    match code {
        131026 => Some("This phone number is not on WhatsApp, or cannot receive this message"),
        131047 => Some(
            "More than 24 hours have passed since this person last wrote to the business: WhatsApp only \
             delivers a template message now",
        ),
        131009 => Some(
            "WhatsApp does not know this flow, screen or parameter: save the flow to WhatsApp and check the message",
        ),
        _ => None,
    }
}

impl BackendError {
    /// A failure of `kind` with `message`.
    pub fn new(kind: FailureKind, message: impl Into<String>) -> Self {
        BackendError { kind, status: None, code: None, message: message.into() }
    }
}

impl fmt::Display for BackendError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for BackendError {}

/// The result of a backend call.
pub type BackendResult<T> = Result<T, BackendError>;

/// The operations the workspace and the app perform on WhatsApp. Each implementation writes
/// down, beside each method, which upstream call it makes.
#[async_trait::async_trait]
pub trait Backend: Send + Sync {
    /// Which kind this is.
    fn kind(&self) -> BackendKind;

    /// Every account this server reaches through the backend.
    async fn accounts(&self) -> BackendResult<Vec<RemoteAccount>>;

    /// Every flow of `account` (all pages).
    async fn flows(&self, account: &AccountRef) -> BackendResult<Vec<RemoteFlow>>;

    /// One flow with the asked `fields` (Meta's names, e.g. `preview.invalidate(true)`), as
    /// Meta's flow object.
    async fn flow(&self, account: &AccountRef, flow_id: &str, fields: &[String]) -> BackendResult<Value>;

    /// The flow.json text of a flow, `None` when it has none yet.
    async fn flow_json(&self, account: &AccountRef, flow_id: &str) -> BackendResult<Option<String>>;

    /// The flow's assets as Meta lists them (`name`, `asset_type`, `download_url`).
    async fn assets(&self, account: &AccountRef, flow_id: &str) -> BackendResult<Vec<Value>>;

    /// Creates a flow (a copy of `clone_flow_id`, with a flow.json, published at once, as asked).
    async fn create(&self, account: &AccountRef, flow: &NewRemoteFlow) -> BackendResult<CreatedFlow>;

    /// Sets a flow's name and categories.
    async fn update_metadata(
        &self,
        account: &AccountRef,
        flow_id: &str,
        name: &str,
        categories: &[String],
    ) -> BackendResult<()>;

    /// Uploads flow.json; answers Meta's `validation_errors` (empty when valid).
    async fn upload_flow_json(
        &self,
        account: &AccountRef,
        flow_id: &str,
        text: &str,
    ) -> BackendResult<Vec<Value>>;

    /// The web preview (`preview_url`, `expires_at`); `invalidate` asks for a new link.
    async fn preview(&self, account: &AccountRef, flow_id: &str, invalidate: bool) -> BackendResult<Value>;

    /// Publishes a flow.
    async fn publish(&self, account: &AccountRef, flow_id: &str) -> BackendResult<()>;

    /// Deprecates a published flow.
    async fn deprecate(&self, account: &AccountRef, flow_id: &str) -> BackendResult<()>;

    /// Deletes a draft that was never published.
    async fn delete(&self, account: &AccountRef, flow_id: &str) -> BackendResult<()>;

    /// Copies flows of `source` into `destination` by name (all when `names` is `None`):
    /// `{"migrated_flows": [{source_name, source_id, migrated_id}], "failed_flows":
    /// [{source_name, error_code, error_message}]}`.
    async fn migrate(
        &self,
        source: &AccountRef,
        destination: &AccountRef,
        names: Option<&[String]>,
    ) -> BackendResult<Value>;

    /// Sends `message` (the Cloud API's message body, [`flow_model::message::FlowMessage::to_json`])
    /// from `account`; answers WhatsApp's id of it (`wamid.…`).
    async fn send_message(&self, account: &AccountRef, message: &Value) -> BackendResult<String>;

    /// Uploads the business public key (SPKI PEM) WhatsApp wraps the AES keys of the account's
    /// endpoint requests with.
    async fn upload_public_key(&self, account: &AccountRef, public_key_pem: &str) -> BackendResult<()>;

    /// The business public key WhatsApp holds for the account, and its signature status.
    async fn public_key(&self, account: &AccountRef) -> BackendResult<PublicKeyStatus>;
}

/// Reports a wait for an upstream's rate limit to whoever runs the current task (sync and
/// migrate show it as progress); a no-op elsewhere.
pub type WaitReport = Arc<dyn Fn(Duration) + Send + Sync>;

tokio::task_local! {
    static WAITS: WaitReport;
}

/// Runs `work` with its rate-limit waits reported to `report`.
pub async fn reporting_waits<F: std::future::Future>(report: WaitReport, work: F) -> F::Output {
    WAITS.scope(report, work).await
}

/// Tells the task's reporter (if any) that a call waits `wait` for a rate limit.
pub fn report_wait(wait: Duration) {
    let _ = WAITS.try_with(|report| report(wait));
}

/// The words of a rate-limit wait, as progress shows it.
pub fn wait_message(wait: Duration) -> String {
    format!("waiting {} s for Meta's rate limit", wait.as_secs().max(1))
}

/// A backend that cannot be used (a stored connection whose credential does not open): every
/// call fails with the reason, which names the connection.
pub struct Unusable {
    kind: BackendKind,
    message: String,
}

impl Unusable {
    /// A backend of `kind` whose every call fails with `message`.
    pub fn new(kind: BackendKind, message: String) -> Self {
        Unusable { kind, message }
    }

    fn fail<T>(&self) -> BackendResult<T> {
        Err(BackendError::new(FailureKind::NotConfigured, self.message.clone()))
    }
}

#[async_trait::async_trait]
impl Backend for Unusable {
    fn kind(&self) -> BackendKind {
        self.kind
    }
    async fn accounts(&self) -> BackendResult<Vec<RemoteAccount>> {
        self.fail()
    }
    async fn flows(&self, _: &AccountRef) -> BackendResult<Vec<RemoteFlow>> {
        self.fail()
    }
    async fn flow(&self, _: &AccountRef, _: &str, _: &[String]) -> BackendResult<Value> {
        self.fail()
    }
    async fn flow_json(&self, _: &AccountRef, _: &str) -> BackendResult<Option<String>> {
        self.fail()
    }
    async fn assets(&self, _: &AccountRef, _: &str) -> BackendResult<Vec<Value>> {
        self.fail()
    }
    async fn create(&self, _: &AccountRef, _: &NewRemoteFlow) -> BackendResult<CreatedFlow> {
        self.fail()
    }
    async fn update_metadata(&self, _: &AccountRef, _: &str, _: &str, _: &[String]) -> BackendResult<()> {
        self.fail()
    }
    async fn upload_flow_json(&self, _: &AccountRef, _: &str, _: &str) -> BackendResult<Vec<Value>> {
        self.fail()
    }
    async fn publish(&self, _: &AccountRef, _: &str) -> BackendResult<()> {
        self.fail()
    }
    async fn deprecate(&self, _: &AccountRef, _: &str) -> BackendResult<()> {
        self.fail()
    }
    async fn preview(&self, _: &AccountRef, _: &str, _: bool) -> BackendResult<Value> {
        self.fail()
    }
    async fn delete(&self, _: &AccountRef, _: &str) -> BackendResult<()> {
        self.fail()
    }
    async fn migrate(&self, _: &AccountRef, _: &AccountRef, _: Option<&[String]>) -> BackendResult<Value> {
        self.fail()
    }
    async fn send_message(&self, _: &AccountRef, _: &Value) -> BackendResult<String> {
        self.fail()
    }
    async fn upload_public_key(&self, _: &AccountRef, _: &str) -> BackendResult<()> {
        self.fail()
    }
    async fn public_key(&self, _: &AccountRef) -> BackendResult<PublicKeyStatus> {
        self.fail()
    }
}

/// A backend with the connection it belongs to.
#[derive(Clone)]
pub struct Connected {
    /// The stored connection's id; `None` for the connection from flags.
    pub connection: Option<String>,
    /// Its backend.
    pub backend: Arc<dyn Backend>,
}

/// Which accounts a server reaches: those its flags' backends list (accounts without a
/// connection, of these kinds) and those of its stored connections.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Reachable {
    /// The kinds of the backends from flags.
    pub kinds: Vec<String>,
    /// The ids of the stored connections.
    pub connections: Vec<String>,
}

impl Reachable {
    /// Whether an account of `backend` last listed through `connection` is reached.
    pub fn covers(&self, backend: &str, connection: Option<&str>) -> bool {
        match connection {
            None => self.kinds.iter().any(|kind| kind == backend),
            Some(id) => self.connections.iter().any(|known| known == id),
        }
    }
}

/// The backends this server reaches WhatsApp through: one per connection, the one configured
/// by flags and those admins stored ([`crate::connections`]).
#[derive(Clone, Default)]
pub struct Backends {
    flags: Vec<Arc<dyn Backend>>,
    stored: Option<crate::connections::Connections>,
}

impl Backends {
    /// The backends configured by flags (one per kind).
    pub fn new(list: Vec<Arc<dyn Backend>>) -> Self {
        Backends { flags: list, stored: None }
    }

    /// These and the stored connections of `connections`.
    pub fn with_connections(mut self, connections: crate::connections::Connections) -> Self {
        self.stored = Some(connections);
        self
    }

    /// Every backend with its connection: from flags first, then the stored ones (those that
    /// cannot be used fail every call, saying why).
    pub async fn all(&self) -> StoreResult<Vec<Connected>> {
        let mut all: Vec<Connected> = self
            .flags
            .iter()
            .map(|backend| Connected { connection: None, backend: Arc::clone(backend) })
            .collect();
        for open in self.stored_connections().await?.iter() {
            all.push(Connected { connection: open.id.clone(), backend: Arc::clone(open.backend()) });
        }
        Ok(all)
    }

    /// Which accounts are reached.
    pub async fn reachable(&self) -> StoreResult<Reachable> {
        Ok(Reachable {
            kinds: self.flags.iter().map(|backend| backend.kind().as_str().to_owned()).collect(),
            connections: self.stored_connections().await?.iter().filter_map(|open| open.id.clone()).collect(),
        })
    }

    /// The backend of an account of `kind` last listed through `connection` (`None`: flags).
    pub async fn get(
        &self,
        kind: BackendKind,
        connection: Option<&str>,
    ) -> StoreResult<Option<Arc<dyn Backend>>> {
        let Some(id) = connection else {
            return Ok(self.flags.iter().find(|backend| backend.kind() == kind).cloned());
        };
        let stored = self.stored_connections().await?;
        Ok(stored.iter().find(|open| open.id.as_deref() == Some(id)).map(|open| Arc::clone(open.backend())))
    }

    /// The stored connections (and what is stored with accounts, such as channel keys).
    pub fn connections(&self) -> Option<&crate::connections::Connections> {
        self.stored.as_ref()
    }

    async fn stored_connections(&self) -> StoreResult<Arc<Vec<Arc<crate::connections::Connection>>>> {
        match &self.stored {
            None => Ok(Arc::default()),
            Some(connections) => connections.stored().await,
        }
    }
}
