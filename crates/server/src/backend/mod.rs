//! What the workspace needs from WhatsApp, behind one interface: the accounts a server reaches
//! and the life of their flows. Implemented by the Partner API (`partner.rs`: 360dialog, and the
//! sandbox, which speaks the same API in-process); Meta's Graph API joins as another
//! implementation. Routes never call a backend: the workspace does.
mod partner;

use std::fmt;
use std::sync::Arc;

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
}

impl BackendKind {
    /// The stored and shown name: `sandbox` or `360dialog`.
    pub fn as_str(self) -> &'static str {
        match self {
            BackendKind::Sandbox => "sandbox",
            BackendKind::Dialog360 => "360dialog",
        }
    }

    /// The kind named `name`.
    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "sandbox" => Some(BackendKind::Sandbox),
            "360dialog" => Some(BackendKind::Dialog360),
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

/// A flow as the backend lists it.
#[derive(Debug, Clone, PartialEq)]
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

/// The operations the workspace performs on WhatsApp. Each implementation writes down, beside
/// each method, which upstream call it makes.
#[async_trait::async_trait]
pub trait Backend: Send + Sync {
    /// Which kind this is.
    fn kind(&self) -> BackendKind;

    /// Every account this server reaches through the backend.
    async fn accounts(&self) -> BackendResult<Vec<RemoteAccount>>;

    /// Every flow of `account` (all pages).
    async fn flows(&self, account: &AccountRef) -> BackendResult<Vec<RemoteFlow>>;

    /// The flow.json text of a flow, `None` when it has none yet.
    async fn flow_json(&self, account: &AccountRef, flow_id: &str) -> BackendResult<Option<String>>;

    /// Creates a flow without flow.json; answers its id.
    async fn create_flow(
        &self,
        account: &AccountRef,
        name: &str,
        categories: &[String],
    ) -> BackendResult<String>;

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

    /// Publishes a flow.
    async fn publish(&self, account: &AccountRef, flow_id: &str) -> BackendResult<()>;

    /// Deprecates a published flow.
    async fn deprecate(&self, account: &AccountRef, flow_id: &str) -> BackendResult<()>;
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
    async fn flow_json(&self, _: &AccountRef, _: &str) -> BackendResult<Option<String>> {
        self.fail()
    }
    async fn create_flow(&self, _: &AccountRef, _: &str, _: &[String]) -> BackendResult<String> {
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

    async fn stored_connections(&self) -> StoreResult<Arc<Vec<Arc<crate::connections::Connection>>>> {
        match &self.stored {
            None => Ok(Arc::default()),
            Some(connections) => connections.stored().await,
        }
    }
}
