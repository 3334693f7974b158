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

/// The backends this server is configured with, by kind.
#[derive(Clone, Default)]
pub struct Backends {
    backends: Vec<Arc<dyn Backend>>,
}

impl Backends {
    /// The backends in `list` (one per kind).
    pub fn new(list: Vec<Arc<dyn Backend>>) -> Self {
        Backends { backends: list }
    }

    /// The backend of `kind`, if this server has it.
    pub fn get(&self, kind: BackendKind) -> Option<&Arc<dyn Backend>> {
        self.backends.iter().find(|backend| backend.kind() == kind)
    }

    /// Every configured backend.
    pub fn all(&self) -> impl Iterator<Item = &Arc<dyn Backend>> {
        self.backends.iter()
    }
}
