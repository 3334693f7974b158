//! The team's workspace: WhatsApp Business Accounts, flows with every saved version, and an
//! event log, in a database shared by every server (`store.rs`). Routes (`routes.rs`) call
//! the operations here; the operations that reach WhatsApp call the account's backend
//! ([`crate::backend`]), never an upstream directly.
//!
//! Rules the operations keep (each tested in `tests/workspace_*.rs`):
//! - a change names the revision its author last saw; if the flow moved on, nothing is written
//!   and the answer is 409 with the flow as it is now (compare and swap in one statement);
//! - every change of the flow.json keeps the new state as a version; autosaves of one author
//!   within one 10-minute window keep only their last state (so history is readable and the
//!   database does not grow by a flow per keystroke burst), while named, saved-to-WhatsApp,
//!   published, restored and synced versions are never replaced;
//! - a flow on WhatsApp that is not a draft is read-only here too, as there: a new draft is a
//!   new flow (`POST /api/flows/{id}/draft`);
//! - deleting puts a flow in the trash, restorable for 30 days, then purged;
//! - the WhatsApp id of a new flow is stored as soon as WhatsApp answers, so a retried save
//!   never creates a second flow there; operations on WhatsApp for one flow run one at a time
//!   per server;
//! - sync never overwrites local work not yet saved to WhatsApp: that becomes a conflict the
//!   user resolves.
pub mod error;
pub mod events;
pub mod routes;
pub mod store;
mod sync;
pub mod time;

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError, Weak};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use sha2::{Digest as _, Sha256};

use crate::backend::{AccountRef, Backend, BackendKind, Backends, NewRemoteFlow};
pub use error::WorkspaceError;
use events::{Hub, Notice};
use store::{Account, Change, Event, Flow, ListQuery, NewFlow, Store, Version, WhatsAppState, now_ms};
pub use sync::SyncReport;
use time::rfc3339;

/// How long a flow stays in the trash.
pub const TRASH_DAYS: i64 = 30;
const DAY_MS: i64 = 24 * 60 * 60 * 1000;
/// Autosaves of one author within one window of this length keep only their last state.
pub const AUTOSAVE_WINDOW_MS: i64 = 10 * 60 * 1000;
/// The longest flow name (Meta's own limit is not published; this keeps lists readable).
pub const MAX_NAME_CHARS: usize = 200;
/// How long a backend may take to list its accounts before its stored ones are used.
const ACCOUNTS_WAIT: Duration = Duration::from_secs(5);

/// When the backends were last asked for their accounts, and through which connections (the
/// stored connections' ids; `None` for the one from flags).
struct AccountsAsked {
    at: Instant,
    connections: Vec<Option<String>>,
}

/// How often the accounts are asked again of the backends.
const ACCOUNTS_FRESH_FOR: Duration = Duration::from_secs(60);

type Result<T> = std::result::Result<T, WorkspaceError>;

/// Who does something: the signed-in user; when nobody signs in, the name the app sends
/// (`X-Flowsmith-User`), or `anonymous`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor(pub String);

/// A flow.json text, checked to be a JSON object, kept exactly as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlowText(String);

impl FlowText {
    /// Checks `text`: JSON (an object), at most `limit` bytes.
    pub fn new(text: String, limit: usize) -> Result<FlowText> {
        if text.len() > limit {
            return Err(WorkspaceError::TooLarge { limit });
        }
        if let Err(error) = serde_json::from_str::<&serde_json::value::RawValue>(&text) {
            return Err(WorkspaceError::InvalidJson(format!(
                "json_definition is not JSON: {error} (line {}, column {})",
                error.line(),
                error.column()
            )));
        }
        if !text.trim_start().starts_with('{') {
            return Err(WorkspaceError::invalid("json_definition", "must be a JSON object (a flow.json)"));
        }
        Ok(FlowText(text))
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// SHA-256 of a text, in hex: how flow.json texts are compared with WhatsApp's.
pub fn sha256(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    digest.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// A new flow.
#[derive(Debug, Clone)]
pub struct Create {
    /// Its account.
    pub account_id: String,
    /// Its name.
    pub name: String,
    /// Its categories.
    pub categories: Vec<String>,
    /// Its flow.json.
    pub json_definition: FlowText,
}

/// A change of a flow.
#[derive(Debug, Clone)]
pub struct Update {
    /// The revision the author last saw.
    pub revision: i64,
    /// A new name.
    pub name: Option<String>,
    /// New categories.
    pub categories: Option<Vec<String>>,
    /// A new flow.json.
    pub json_definition: Option<FlowText>,
    /// Why: `autosave` (the default) or `named` (with `label`).
    pub reason: SaveReason,
    /// The user's name for this version.
    pub label: Option<String>,
}

/// Why a change is saved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SaveReason {
    /// The editor saved as the user typed.
    Autosave,
    /// The user saved a version with a name.
    Named,
}

/// How a sync conflict is resolved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resolution {
    /// WhatsApp's flow.json becomes the flow's (the local one stays as a version).
    Theirs,
    /// The local flow.json stays; the next save to WhatsApp replaces WhatsApp's.
    Mine,
}

/// What saving to WhatsApp did.
#[derive(Debug, Clone, PartialEq)]
pub struct Saved {
    /// WhatsApp's flow id.
    pub meta_flow_id: String,
    /// Meta's validation errors of what was uploaded.
    pub validation_errors: Vec<Value>,
    /// The revision uploaded.
    pub revision: i64,
}

/// The workspace (cheap to clone).
#[derive(Clone)]
pub struct Workspace {
    store: Store,
    hub: Hub,
    backends: Backends,
    flow_limit: usize,
    locks: Arc<Mutex<HashMap<String, Weak<tokio::sync::Mutex<()>>>>>,
    accounts_asked: Arc<Mutex<Option<AccountsAsked>>>,
}

impl Workspace {
    /// The workspace in `store`, reaching WhatsApp through `backends`.
    pub fn new(store: Store, backends: Backends) -> Workspace {
        let hub = Hub::new(&store);
        Workspace {
            store,
            hub,
            backends,
            flow_limit: flow_model::MAX_INPUT_BYTES,
            locks: Arc::default(),
            accounts_asked: Arc::default(),
        }
    }

    /// A reporter of rate-limit waits that tells every subscriber, as `kind` notices with the
    /// seconds and the words ("waiting 12 s for Meta's rate limit"), about `account` (the
    /// workspace's id for a sync, the backend's for a migration through the proxy).
    pub fn wait_reporter(&self, kind: &'static str, account: Option<String>) -> crate::backend::WaitReport {
        self.reporter(kind, account, None)
    }

    /// The reporter of the waits of a workspace flow's calls to WhatsApp (save to WhatsApp,
    /// publish, deprecate): `whatsapp.waiting` notices naming the account as the app's
    /// Partner-shaped paths do (its `external_id`, as the proxy's notices) and the flow.
    fn flow_wait_reporter(&self, account: &Account, flow_id: &str) -> crate::backend::WaitReport {
        self.reporter("whatsapp.waiting", Some(account.external_id.clone()), Some(flow_id.to_owned()))
    }

    /// Made for every call the proxy answers through a backend: nothing is built until a wait
    /// is told.
    fn reporter(
        &self,
        kind: &'static str,
        account: Option<String>,
        flow: Option<String>,
    ) -> crate::backend::WaitReport {
        let workspace = self.clone();
        Arc::new(move |wait: std::time::Duration| {
            let workspace = workspace.clone();
            let mut data = json!({ "kind": kind, "account_id": account });
            if let Some(flow) = &flow {
                data["flow_id"] = json!(flow);
            }
            tokio::spawn(async move {
                data["waiting_s"] = json!(wait.as_secs().max(1));
                data["message"] = json!(crate::backend::wait_message(wait));
                let notice = Notice { id: None, kind: kind.to_owned(), data };
                workspace.hub.broadcast(&workspace.store, notice).await;
            });
        })
    }

    /// The store.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The subscribers' hub.
    pub fn hub(&self) -> &Hub {
        &self.hub
    }

    /// The largest flow.json accepted.
    pub fn flow_limit(&self) -> usize {
        self.flow_limit
    }

    /// Holds WhatsApp operations on one flow to one at a time on this server.
    async fn lock(&self, flow_id: &str) -> tokio::sync::OwnedMutexGuard<()> {
        let mutex = {
            let mut locks = self.locks.lock().unwrap_or_else(PoisonError::into_inner);
            locks.retain(|_, weak| weak.strong_count() > 0);
            match locks.get(flow_id).and_then(Weak::upgrade) {
                Some(mutex) => mutex,
                None => {
                    let mutex = Arc::new(tokio::sync::Mutex::new(()));
                    locks.insert(flow_id.to_owned(), Arc::downgrade(&mutex));
                    mutex
                }
            }
        };
        mutex.lock_owned().await
    }

    /// Writes `event` in `transaction`; announce the answer after commit.
    async fn log(
        &self,
        connection: &mut sqlx::AnyConnection,
        actor: &Actor,
        kind: &str,
        flow: Option<&Flow>,
        revision: Option<i64>,
        detail: Value,
    ) -> Result<Event> {
        let event = Event {
            id: 0,
            at: now_ms(),
            actor: actor.0.clone(),
            kind: kind.to_owned(),
            account_id: flow.map(|flow| flow.account_id.clone()),
            flow_id: flow.map(|flow| flow.id.clone()),
            revision,
            detail: flow_model::json::compact(&detail),
        };
        Ok(self.hub.record(connection, &event).await?)
    }

    fn announce(&self, events: impl IntoIterator<Item = Event>) {
        for event in events {
            self.hub.announce(Notice::of(&event));
        }
    }

    // ----- accounts -----

    /// The accounts this server reaches, asking the backends again when the last answer is
    /// older than a minute, when a connection was added or removed since (its accounts show at
    /// once), or when `refresh`. The backends are asked together, each for at most
    /// [`ACCOUNTS_WAIT`]; one that fails or is slower leaves its stored accounts and is asked
    /// again after the minute (an unreachable connection must not slow every page that lists
    /// accounts).
    pub async fn accounts(&self, refresh: bool) -> Result<Vec<Account>> {
        let all = self.backends.all().await?;
        let connections: Vec<Option<String>> =
            all.iter().map(|connected| connected.connection.clone()).collect();
        let stale = {
            let asked = self.accounts_asked.lock().unwrap_or_else(PoisonError::into_inner);
            refresh
                || asked.as_ref().is_none_or(|asked| {
                    asked.at.elapsed() > ACCOUNTS_FRESH_FOR || asked.connections != connections
                })
        };
        let mut failure = None;
        if stale {
            let asked = futures_util::future::join_all(all.iter().map(|connected| async move {
                let answer = tokio::time::timeout(ACCOUNTS_WAIT, connected.backend.accounts()).await;
                (connected, answer)
            }))
            .await;
            for (connected, answer) in asked {
                let backend = &connected.backend;
                let answer = answer.unwrap_or_else(|_| {
                    Err(crate::backend::BackendError::new(
                        crate::backend::FailureKind::Timeout,
                        format!(
                            "{} did not list its accounts within {} s",
                            backend.kind().as_str(),
                            ACCOUNTS_WAIT.as_secs()
                        ),
                    ))
                });
                match answer {
                    Ok(remote) => {
                        let mut transaction = self.store.write().await?;
                        for account in &remote {
                            store::upsert_account(
                                &mut transaction,
                                backend.kind().as_str(),
                                connected.connection.as_deref(),
                                &account.external_id,
                                account.waba_id.as_deref(),
                                &account.name,
                                now_ms(),
                            )
                            .await?;
                        }
                        transaction.commit().await?;
                    }
                    Err(error) => {
                        tracing::warn!(%error, backend = backend.kind().as_str(), "cannot list the accounts");
                        failure = Some(error);
                    }
                }
            }
            *self.accounts_asked.lock().unwrap_or_else(PoisonError::into_inner) =
                Some(AccountsAsked { at: Instant::now(), connections });
        }
        let reachable = self.backends.reachable().await?;
        let mut connection = self.store.pool().acquire().await?;
        let accounts: Vec<Account> = store::accounts(&mut connection)
            .await?
            .into_iter()
            .filter(|account| reachable.covers(&account.backend, account.connection_id.as_deref()))
            .collect();
        match failure {
            Some(error) if accounts.is_empty() => Err(error.into()),
            _ => Ok(accounts),
        }
    }

    async fn account(&self, id: &str) -> Result<(Account, Arc<dyn Backend>)> {
        let mut connection = self.store.pool().acquire().await?;
        let account = store::account(&mut connection, id)
            .await?
            .ok_or_else(|| WorkspaceError::NotFound(format!("No account {id} in this workspace")))?;
        drop(connection);
        let backend = match BackendKind::parse(&account.backend) {
            Some(kind) => self.backends.get(kind, account.connection_id.as_deref()).await?,
            None => None,
        };
        let backend = backend.ok_or_else(|| {
            WorkspaceError::NotFound(format!(
                "Account {} is reached through {}, which this server is not configured for{}",
                account.name,
                account.backend,
                if account.connection_id.is_some() { " (its connection was removed)" } else { "" }
            ))
        })?;
        Ok((account, backend))
    }

    // ----- flows -----

    /// One page of flows and how many match.
    pub async fn list(&self, mut query: ListQuery) -> Result<(Vec<Flow>, i64)> {
        query.reach = Some(self.backends.reachable().await?);
        let mut connection = self.store.pool().acquire().await?;
        Ok(store::list_flows(&mut connection, &query).await?)
    }

    /// A flow with its flow.json (in the trash too, so it can be looked at before restoring).
    pub async fn get(&self, id: &str) -> Result<Flow> {
        let mut connection = self.store.pool().acquire().await?;
        store::flow(&mut connection, id, true, "").await?.ok_or_else(|| flow_not_found(id))
    }

    /// Creates a flow (not yet on WhatsApp) at revision 1.
    pub async fn create(&self, actor: &Actor, create: Create) -> Result<Flow> {
        check_name(&create.name)?;
        let categories = categories_json(&create.categories)?;
        let (account, _) = self.account(&create.account_id).await?;
        let id = uuid::Uuid::new_v4().to_string();
        let now = now_ms();
        let mut transaction = self.store.write().await?;
        if store::name_taken(&mut transaction, &account.id, &create.name, None).await? {
            return Err(name_taken(&create.name, &account.name));
        }
        let new = NewFlow {
            id: &id,
            account_id: &account.id,
            name: &create.name,
            categories: &categories,
            status: "DRAFT",
            meta_flow_id: None,
            json_definition: create.json_definition.as_str(),
            meta_json_sha256: None,
            validation_errors: "[]",
            source_flow_id: None,
            author: &actor.0,
            now,
        };
        store::insert_flow(&mut transaction, &new).await?;
        self.keep_version(
            &mut transaction,
            &id,
            1,
            &create.name,
            create.json_definition.as_str(),
            "created",
            None,
            actor,
            now,
        )
        .await?;
        self.finish(transaction, actor, "flow.created", &id, |flow| json!({ "name": flow.name })).await
    }

    #[allow(clippy::too_many_arguments)]
    async fn keep_version(
        &self,
        connection: &mut sqlx::AnyConnection,
        flow_id: &str,
        revision: i64,
        name: &str,
        text: &str,
        reason: &str,
        label: Option<&str>,
        actor: &Actor,
        now: i64,
    ) -> Result<()> {
        let version = Version {
            flow_id: flow_id.to_owned(),
            revision,
            name: name.to_owned(),
            json_definition: Some(text.to_owned()),
            reason: reason.to_owned(),
            label: label.map(str::to_owned),
            author: actor.0.clone(),
            created_at: now,
            validation_errors: None,
        };
        Ok(store::insert_version(connection, &version).await?)
    }

    /// Changes a flow if it is still at `update.revision`.
    pub async fn update(&self, actor: &Actor, id: &str, update: Update) -> Result<Flow> {
        if update.name.is_none() && update.categories.is_none() && update.json_definition.is_none() {
            return Err(WorkspaceError::invalid(
                "json_definition",
                "nothing to change: send json_definition, name or categories",
            ));
        }
        if let Some(name) = &update.name {
            check_name(name)?;
        }
        let categories = update.categories.as_deref().map(categories_json).transpose()?;
        let label = update.label.as_deref().map(check_label).transpose()?;
        let now = now_ms();
        let mut transaction = self.store.write().await?;
        let lock = self.store.for_update();
        let flow = store::flow(&mut transaction, id, false, lock).await?.ok_or_else(|| flow_not_found(id))?;
        if flow.deleted_at.is_some() {
            return Err(WorkspaceError::ReadOnly(format!(
                "'{}' is in the trash: restore it before changing it",
                flow.name
            )));
        }
        if flow.revision != update.revision {
            return Err(stale(&flow));
        }
        if update.json_definition.is_some() && flow.status != "DRAFT" {
            return Err(read_only(&flow));
        }
        if let Some(name) = &update.name
            && name != &flow.name
            && store::name_taken(&mut transaction, &flow.account_id, name, Some(id)).await?
        {
            return Err(name_taken(name, "this account"));
        }
        let change = Change {
            expected: update.revision,
            name: update.name.as_deref(),
            categories: categories.as_deref(),
            json_definition: update.json_definition.as_ref().map(FlowText::as_str),
            author: &actor.0,
            now,
        };
        let Some(revision) = store::change_flow(&mut transaction, id, &change).await? else {
            return Err(stale(&flow));
        };
        let name = update.name.clone().unwrap_or_else(|| flow.name.clone());
        if let Some(text) = &update.json_definition {
            let reason = match update.reason {
                SaveReason::Autosave => {
                    self.coalesce_autosave(&mut transaction, &flow, actor, now).await?;
                    "autosave"
                }
                SaveReason::Named => "named",
            };
            self.keep_version(
                &mut transaction,
                id,
                revision,
                &name,
                text.as_str(),
                reason,
                label.as_deref(),
                actor,
                now,
            )
            .await?;
        } else if update.reason == SaveReason::Named {
            let current =
                store::flow(&mut transaction, id, true, "").await?.ok_or_else(|| flow_not_found(id))?;
            let text = current.json_definition.unwrap_or_default();
            self.keep_version(
                &mut transaction,
                id,
                revision,
                &name,
                &text,
                "named",
                label.as_deref(),
                actor,
                now,
            )
            .await?;
        }
        let reason = match update.reason {
            SaveReason::Autosave => "autosave",
            SaveReason::Named => "named",
        };
        self.finish(
            transaction,
            actor,
            "flow.changed",
            id,
            |flow| json!({ "name": flow.name, "reason": reason }),
        )
        .await
    }

    /// Re-reads the flow, logs `kind` about it (at its new revision), commits, and announces
    /// it: how every change of a flow ends.
    async fn finish(
        &self,
        mut transaction: sqlx::Transaction<'static, sqlx::Any>,
        actor: &Actor,
        kind: &str,
        id: &str,
        detail: impl FnOnce(&Flow) -> Value,
    ) -> Result<Flow> {
        let flow = store::flow(&mut transaction, id, false, "").await?.ok_or_else(|| flow_not_found(id))?;
        let event =
            self.log(&mut transaction, actor, kind, Some(&flow), Some(flow.revision), detail(&flow)).await?;
        transaction.commit().await?;
        self.announce([event]);
        Ok(flow)
    }

    /// Drops the previous autosave if it is this author's, in the same window, and not what
    /// WhatsApp holds: a burst of typing leaves one version per window.
    async fn coalesce_autosave(
        &self,
        connection: &mut sqlx::AnyConnection,
        flow: &Flow,
        actor: &Actor,
        now: i64,
    ) -> Result<()> {
        let Some(latest) = store::latest_version(connection, &flow.id).await? else { return Ok(()) };
        let same_window =
            latest.created_at.div_euclid(AUTOSAVE_WINDOW_MS) == now.div_euclid(AUTOSAVE_WINDOW_MS);
        if latest.reason == "autosave"
            && latest.author == actor.0
            && same_window
            && Some(latest.revision) != flow.meta_revision
        {
            store::delete_version(connection, &flow.id, latest.revision).await?;
        }
        Ok(())
    }

    /// Puts a flow in the trash.
    pub async fn trash(&self, actor: &Actor, id: &str) -> Result<Flow> {
        let now = now_ms();
        let mut transaction = self.store.write().await?;
        let flow = store::flow(&mut transaction, id, false, self.store.for_update()).await?;
        if flow.is_none_or(|flow| flow.deleted_at.is_some()) {
            return Err(flow_not_found(id));
        }
        store::set_trashed(&mut transaction, id, Some((&actor.0, now)), None).await?;
        self.finish(transaction, actor, "flow.deleted", id, |flow| json!({ "name": flow.name })).await
    }

    /// Takes a flow out of the trash (renamed if its name was taken meanwhile).
    pub async fn untrash(&self, actor: &Actor, id: &str) -> Result<Flow> {
        let mut transaction = self.store.write().await?;
        let flow = store::flow(&mut transaction, id, false, self.store.for_update()).await?;
        let flow = flow.ok_or_else(|| flow_not_found(id))?;
        if flow.deleted_at.is_none() {
            return Ok(flow);
        }
        let name = self.free_name(&mut transaction, &flow.account_id, &flow.name, "restored").await?;
        let new_name = (name != flow.name).then_some(name.as_str());
        store::set_trashed(&mut transaction, id, None, new_name).await?;
        self.finish(transaction, actor, "flow.restored", id, |flow| json!({ "name": flow.name })).await
    }

    /// `name`, or `name (suffix)`, `name (suffix 2)`, … whichever is free in the account.
    async fn free_name(
        &self,
        connection: &mut sqlx::AnyConnection,
        account_id: &str,
        name: &str,
        suffix: &str,
    ) -> Result<String> {
        let mut candidate = name.to_owned();
        let mut attempt = 1;
        while store::name_taken(connection, account_id, &candidate, None).await? {
            candidate = if attempt == 1 {
                format!("{name} ({suffix})")
            } else {
                format!("{name} ({suffix} {attempt})")
            };
            attempt += 1;
        }
        Ok(candidate)
    }

    /// Deletes for good what has been in the trash for 30 days; answers how many.
    pub async fn purge_trash(&self) -> Result<u64> {
        let mut transaction = self.store.write().await?;
        let purged = store::purge_trash(&mut transaction, now_ms() - TRASH_DAYS * DAY_MS).await?;
        transaction.commit().await?;
        Ok(purged)
    }

    /// The events logged after id `after`, oldest first, at most `limit` (what a client that
    /// reconnects with `Last-Event-ID` missed).
    pub async fn events_after(&self, after: i64, limit: i64) -> Result<Vec<Event>> {
        let mut connection = self.store.pool().acquire().await?;
        Ok(store::events_after(&mut connection, after, limit).await?)
    }

    /// The versions of a flow, newest first.
    pub async fn versions(&self, id: &str) -> Result<Vec<Version>> {
        let mut connection = self.store.pool().acquire().await?;
        store::flow(&mut connection, id, false, "").await?.ok_or_else(|| flow_not_found(id))?;
        Ok(store::versions(&mut connection, id).await?)
    }

    /// One version with its flow.json.
    pub async fn version(&self, id: &str, revision: i64) -> Result<Version> {
        let mut connection = self.store.pool().acquire().await?;
        store::version(&mut connection, id, revision).await?.ok_or_else(|| {
            WorkspaceError::NotFound(format!(
                "Flow {id} has no version {revision} (autosaves of one burst keep only their last state)"
            ))
        })
    }

    /// Makes a version's flow.json the flow's again, as a new revision.
    pub async fn restore_version(
        &self,
        actor: &Actor,
        id: &str,
        from: i64,
        seen: Option<i64>,
    ) -> Result<Flow> {
        let now = now_ms();
        let mut transaction = self.store.write().await?;
        let flow = store::flow(&mut transaction, id, false, self.store.for_update()).await?;
        let flow = flow.filter(|flow| flow.deleted_at.is_none()).ok_or_else(|| flow_not_found(id))?;
        if seen.is_some_and(|seen| seen != flow.revision) {
            return Err(stale(&flow));
        }
        if flow.status != "DRAFT" {
            return Err(read_only(&flow));
        }
        let version = store::version(&mut transaction, id, from)
            .await?
            .ok_or_else(|| WorkspaceError::NotFound(format!("Flow {id} has no version {from}")))?;
        let text = version.json_definition.unwrap_or_default();
        let change = Change {
            expected: flow.revision,
            name: None,
            categories: None,
            json_definition: Some(&text),
            author: &actor.0,
            now,
        };
        let revision =
            store::change_flow(&mut transaction, id, &change).await?.ok_or_else(|| stale(&flow))?;
        let label = format!("from version {from}");
        self.keep_version(
            &mut transaction,
            id,
            revision,
            &flow.name,
            &text,
            "restored",
            Some(&label),
            actor,
            now,
        )
        .await?;
        self.finish(
            transaction,
            actor,
            "flow.changed",
            id,
            |flow| json!({ "name": flow.name, "reason": "restored", "from": from }),
        )
        .await
    }

    /// Gives the current state a name in the history (keeping it from being replaced).
    pub async fn name_version(&self, actor: &Actor, id: &str, label: &str) -> Result<Version> {
        let label = check_label(label)?;
        let now = now_ms();
        let mut transaction = self.store.write().await?;
        let flow = store::flow(&mut transaction, id, true, self.store.for_update()).await?;
        let flow = flow.filter(|flow| flow.deleted_at.is_none()).ok_or_else(|| flow_not_found(id))?;
        if !store::mark_version(&mut transaction, id, flow.revision, "named", Some(&label), None).await? {
            let text = flow.json_definition.clone().unwrap_or_default();
            self.keep_version(
                &mut transaction,
                id,
                flow.revision,
                &flow.name,
                &text,
                "named",
                Some(&label),
                actor,
                now,
            )
            .await?;
        }
        let version =
            store::version(&mut transaction, id, flow.revision).await?.ok_or_else(|| flow_not_found(id))?;
        let event = self
            .log(
                &mut transaction,
                actor,
                "flow.version_named",
                Some(&flow),
                Some(flow.revision),
                json!({ "label": label }),
            )
            .await?;
        transaction.commit().await?;
        self.announce([event]);
        Ok(version)
    }

    /// A new draft (a new flow, not yet on WhatsApp) with the flow.json of a published one.
    pub async fn new_draft(&self, actor: &Actor, id: &str) -> Result<Flow> {
        let now = now_ms();
        let new_id = uuid::Uuid::new_v4().to_string();
        let mut transaction = self.store.write().await?;
        let source = store::flow(&mut transaction, id, true, "").await?;
        let source = source.filter(|flow| flow.deleted_at.is_none()).ok_or_else(|| flow_not_found(id))?;
        let name = self.free_name(&mut transaction, &source.account_id, &source.name, "new draft").await?;
        let text = source.json_definition.clone().unwrap_or_default();
        let new = NewFlow {
            id: &new_id,
            account_id: &source.account_id,
            name: &name,
            categories: &source.categories,
            status: "DRAFT",
            meta_flow_id: None,
            json_definition: &text,
            meta_json_sha256: None,
            validation_errors: "[]",
            source_flow_id: Some(id),
            author: &actor.0,
            now,
        };
        store::insert_flow(&mut transaction, &new).await?;
        let label = format!("new draft of {}", source.name);
        self.keep_version(&mut transaction, &new_id, 1, &name, &text, "created", Some(&label), actor, now)
            .await?;
        self.finish(
            transaction,
            actor,
            "flow.created",
            &new_id,
            |flow| json!({ "name": flow.name, "source_flow_id": id }),
        )
        .await
    }

    /// WhatsApp's flow.json of a sync conflict.
    pub async fn conflict_json(&self, id: &str) -> Result<String> {
        let mut connection = self.store.pool().acquire().await?;
        store::conflict_json(&mut connection, id).await?.ok_or(WorkspaceError::NoConflict)
    }

    /// Resolves a sync conflict.
    pub async fn resolve_conflict(
        &self,
        actor: &Actor,
        id: &str,
        resolution: Resolution,
        seen: i64,
    ) -> Result<Flow> {
        let now = now_ms();
        let mut transaction = self.store.write().await?;
        let flow = store::flow(&mut transaction, id, false, self.store.for_update()).await?;
        let flow = flow.filter(|flow| flow.deleted_at.is_none()).ok_or_else(|| flow_not_found(id))?;
        if flow.revision != seen {
            return Err(stale(&flow));
        }
        let theirs = store::conflict_json(&mut transaction, id).await?.ok_or(WorkspaceError::NoConflict)?;
        match resolution {
            Resolution::Mine => {}
            Resolution::Theirs => {
                let change = Change {
                    expected: flow.revision,
                    name: None,
                    categories: None,
                    json_definition: Some(&theirs),
                    author: &actor.0,
                    now,
                };
                let revision =
                    store::change_flow(&mut transaction, id, &change).await?.ok_or_else(|| stale(&flow))?;
                self.keep_version(
                    &mut transaction,
                    id,
                    revision,
                    &flow.name,
                    &theirs,
                    "synced",
                    Some("WhatsApp's version"),
                    actor,
                    now,
                )
                .await?;
                let sha = sha256(&theirs);
                let state = WhatsAppState {
                    meta_revision: Some(revision),
                    meta_json_sha256: Some(&sha),
                    ..Default::default()
                };
                store::set_whatsapp_state(&mut transaction, id, &state).await?;
            }
        }
        store::set_conflict(&mut transaction, id, None).await?;
        let taken = match resolution {
            Resolution::Theirs => "theirs",
            Resolution::Mine => "mine",
        };
        self.finish(
            transaction,
            actor,
            "flow.changed",
            id,
            |flow| json!({ "name": flow.name, "reason": "conflict_resolved", "resolution": taken }),
        )
        .await
    }

    // ----- WhatsApp -----

    /// Saves the flow to WhatsApp: creates it there the first time (its id is kept at once),
    /// brings its name and categories up to date, uploads the flow.json, and keeps Meta's
    /// validation errors with the version uploaded.
    pub async fn save_to_whatsapp(&self, actor: &Actor, id: &str) -> Result<Saved> {
        let _turn = self.lock(id).await;
        let flow = self.get(id).await?;
        if flow.deleted_at.is_some() {
            return Err(flow_not_found(id));
        }
        if flow.status != "DRAFT" {
            return Err(read_only(&flow));
        }
        let (account, backend) = self.account(&flow.account_id).await?;
        let target = AccountRef { external_id: account.external_id.clone() };
        let categories: Vec<String> = serde_json::from_str(&flow.categories).unwrap_or_default();
        let text = flow.json_definition.clone().unwrap_or_default();
        let (meta_flow_id, errors) =
            crate::backend::reporting_waits(self.flow_wait_reporter(&account, id), async {
                let meta_flow_id =
                    self.meta_flow_for(&flow, id, backend.as_ref(), &target, categories).await?;
                let errors = backend.upload_flow_json(&target, &meta_flow_id, &text).await?;
                Ok::<_, WorkspaceError>((meta_flow_id, errors))
            })
            .await?;
        let errors_json = flow_model::json::compact(&Value::Array(errors.clone()));
        let sha = sha256(&text);
        let now = now_ms();
        let mut transaction = self.store.write().await?;
        let state = WhatsAppState {
            meta_flow_id: Some(&meta_flow_id),
            meta_revision: Some(flow.revision),
            meta_json_sha256: Some(&sha),
            validation_errors: Some(&errors_json),
            status: None,
        };
        store::set_whatsapp_state(&mut transaction, id, &state).await?;
        if !store::mark_version(
            &mut transaction,
            id,
            flow.revision,
            "saved_to_whatsapp",
            None,
            Some(&errors_json),
        )
        .await?
        {
            self.keep_version(
                &mut transaction,
                id,
                flow.revision,
                &flow.name,
                &text,
                "saved_to_whatsapp",
                None,
                actor,
                now,
            )
            .await?;
            store::mark_version(
                &mut transaction,
                id,
                flow.revision,
                "saved_to_whatsapp",
                None,
                Some(&errors_json),
            )
            .await?;
        }
        let detail =
            json!({ "name": flow.name, "meta_flow_id": meta_flow_id, "validation_errors": errors.len() });
        let event = self
            .log(&mut transaction, actor, "flow.saved_to_whatsapp", Some(&flow), Some(flow.revision), detail)
            .await?;
        transaction.commit().await?;
        self.announce([event]);
        Ok(Saved { meta_flow_id, validation_errors: errors, revision: flow.revision })
    }

    /// The flow's id on WhatsApp: its name and categories brought up to date there, or a new
    /// flow made there (its id kept at once, so a failed upload does not make another).
    async fn meta_flow_for(
        &self,
        flow: &Flow,
        id: &str,
        backend: &dyn Backend,
        target: &AccountRef,
        categories: Vec<String>,
    ) -> Result<String> {
        Ok(match &flow.meta_flow_id {
            Some(meta_flow_id) => {
                backend.update_metadata(target, meta_flow_id, &flow.name, &categories).await?;
                meta_flow_id.clone()
            }
            None => {
                let new = NewRemoteFlow { name: flow.name.clone(), categories, ..NewRemoteFlow::default() };
                let created = backend.create(target, &new).await?.id;
                let mut transaction = self.store.write().await?;
                let state = WhatsAppState { meta_flow_id: Some(&created), ..Default::default() };
                store::set_whatsapp_state(&mut transaction, id, &state).await?;
                transaction.commit().await?;
                created
            }
        })
    }

    /// Publishes the flow on WhatsApp (saved there first, with no change since).
    pub async fn publish(&self, actor: &Actor, id: &str) -> Result<Flow> {
        self.lifecycle(actor, id, Lifecycle::Publish).await
    }

    /// Deprecates the published flow on WhatsApp.
    pub async fn deprecate(&self, actor: &Actor, id: &str) -> Result<Flow> {
        self.lifecycle(actor, id, Lifecycle::Deprecate).await
    }

    async fn lifecycle(&self, actor: &Actor, id: &str, operation: Lifecycle) -> Result<Flow> {
        let _turn = self.lock(id).await;
        let flow = self.get(id).await?;
        if flow.deleted_at.is_some() {
            return Err(flow_not_found(id));
        }
        let Some(meta_flow_id) = flow.meta_flow_id.clone() else {
            return Err(WorkspaceError::NotOnWhatsApp(format!(
                "'{}' is not on WhatsApp yet: save it to WhatsApp first",
                flow.name
            )));
        };
        if operation == Lifecycle::Publish && flow.meta_revision != Some(flow.revision) {
            return Err(WorkspaceError::UnsavedChanges(format!(
                "'{}' has changes not saved to WhatsApp: save it to WhatsApp, then publish",
                flow.name
            )));
        }
        let (account, backend) = self.account(&flow.account_id).await?;
        let waits = self.flow_wait_reporter(&account, id);
        let target = AccountRef { external_id: account.external_id };
        let (status, kind) = match operation {
            Lifecycle::Publish => {
                crate::backend::reporting_waits(waits, backend.publish(&target, &meta_flow_id)).await?;
                ("PUBLISHED", "flow.published")
            }
            Lifecycle::Deprecate => {
                crate::backend::reporting_waits(waits, backend.deprecate(&target, &meta_flow_id)).await?;
                ("DEPRECATED", "flow.deprecated")
            }
        };
        let mut transaction = self.store.write().await?;
        let state = WhatsAppState { status: Some(status), ..Default::default() };
        store::set_whatsapp_state(&mut transaction, id, &state).await?;
        if operation == Lifecycle::Publish
            && let Some(revision) = flow.meta_revision
        {
            store::mark_version(&mut transaction, id, revision, "published", None, None).await?;
        }
        self.finish(transaction, actor, kind, id, |flow| json!({ "name": flow.name, "status": status })).await
    }

    /// Sends `message` (the Cloud API's body) from the account of `flow`; answers WhatsApp's id
    /// of it. Checking it and recording it are the caller's ([`crate::messages::send`]).
    pub async fn send_message(&self, flow: &Flow, message: &Value) -> Result<String> {
        let (account, backend) = self.account(&flow.account_id).await?;
        // 360dialog sends with the channel's own key, which an admin stores with the account
        // (`connections/channel_keys.rs`), not with the partner key of its backend.
        if backend.kind() == BackendKind::Dialog360
            && let Some(connections) = self.backends.connections()
        {
            return connections.send_as_channel(&account.id, &account.name, message).await;
        }
        let target = AccountRef { external_id: account.external_id };
        Ok(backend.send_message(&target, message).await?)
    }

    /// Uploads `public_key_pem` as the business public key of the account `account_id`'s number
    /// (its endpoint key; [`crate::endpoint::account_key`]).
    pub async fn upload_public_key(&self, account_id: &str, public_key_pem: &str) -> Result<()> {
        let (account, backend) = self.account(account_id).await?;
        let target = AccountRef { external_id: account.external_id };
        Ok(backend.upload_public_key(&target, public_key_pem).await?)
    }

    /// The business public key WhatsApp holds for the account `account_id`, and its status.
    pub async fn public_key(&self, account_id: &str) -> Result<crate::backend::PublicKeyStatus> {
        let (account, backend) = self.account(account_id).await?;
        let target = AccountRef { external_id: account.external_id };
        Ok(backend.public_key(&target).await?)
    }

    /// Whether a version of the flow was ever published (kept with the mark `published`).
    pub async fn was_published(&self, id: &str) -> Result<bool> {
        Ok(self.versions(id).await?.iter().any(|version| version.reason == "published"))
    }

    /// Imports every flow of an account from WhatsApp (see `sync.rs`).
    pub async fn sync(&self, actor: &Actor, account_id: &str) -> Result<SyncReport> {
        let (account, backend) = self.account(account_id).await?;
        sync::run(self, actor, &account, backend.as_ref()).await
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lifecycle {
    Publish,
    Deprecate,
}

fn flow_not_found(id: &str) -> WorkspaceError {
    WorkspaceError::NotFound(format!(
        "No flow {id} in this workspace (it may have been purged from the trash)"
    ))
}

fn name_taken(name: &str, account: &str) -> WorkspaceError {
    WorkspaceError::NameTaken(format!("A flow of {account} is already called '{name}': choose another name"))
}

fn read_only(flow: &Flow) -> WorkspaceError {
    WorkspaceError::ReadOnly(format!(
        "'{}' is {} on WhatsApp and cannot change, as on WhatsApp: make a new draft of it \
         (POST /api/flows/{}/draft) and edit that",
        flow.name,
        flow.status.to_ascii_lowercase(),
        flow.id
    ))
}

fn stale(flow: &Flow) -> WorkspaceError {
    WorkspaceError::StaleRevision { current: flow_json(flow) }
}

fn check_name(name: &str) -> Result<()> {
    let trimmed = name.trim();
    if trimmed.is_empty() {
        return Err(WorkspaceError::invalid("name", "must not be empty"));
    }
    if trimmed != name {
        return Err(WorkspaceError::invalid("name", "must not start or end with spaces"));
    }
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(WorkspaceError::invalid("name", format!("must be at most {MAX_NAME_CHARS} characters")));
    }
    if name.chars().any(char::is_control) {
        return Err(WorkspaceError::invalid("name", "must not hold control characters (line breaks, tabs)"));
    }
    Ok(())
}

fn check_label(label: &str) -> Result<String> {
    let label = label.trim();
    if label.is_empty() || label.chars().count() > MAX_NAME_CHARS || label.chars().any(char::is_control) {
        return Err(WorkspaceError::invalid(
            "label",
            format!("must be 1 to {MAX_NAME_CHARS} characters on one line"),
        ));
    }
    Ok(label.to_owned())
}

fn categories_json(categories: &[String]) -> Result<String> {
    if categories.is_empty() {
        return Err(WorkspaceError::invalid(
            "categories",
            "name at least one category (WhatsApp needs one), e.g. OTHER",
        ));
    }
    if let Some(unknown) =
        categories.iter().find(|category| !crate::sandbox::CATEGORIES.contains(&category.as_str()))
    {
        return Err(WorkspaceError::invalid(
            "categories",
            format!(
                "'{unknown}' is not one of WhatsApp's categories: {}",
                crate::sandbox::CATEGORIES.join(", ")
            ),
        ));
    }
    let mut unique: Vec<&str> = Vec::new();
    for category in categories {
        if !unique.contains(&category.as_str()) {
            unique.push(category);
        }
    }
    Ok(flow_model::json::compact(&json!(unique)))
}

/// A flow as the API shows it, without its flow.json.
pub fn flow_json(flow: &Flow) -> Value {
    let categories: Value = serde_json::from_str(&flow.categories).unwrap_or_else(|_| json!([]));
    let errors: Value = serde_json::from_str(&flow.validation_errors).unwrap_or_else(|_| json!([]));
    let error_count = errors.as_array().map_or(0, Vec::len);
    json!({
        "id": flow.id,
        "account_id": flow.account_id,
        "name": flow.name,
        "categories": categories,
        "status": flow.status,
        "meta_flow_id": flow.meta_flow_id,
        "revision": flow.revision,
        "meta_revision": flow.meta_revision,
        "has_unsaved_changes": flow.meta_revision != Some(flow.revision),
        "validation_errors": errors,
        "validation_error_count": error_count,
        "conflict_at": flow.conflict_at.map(rfc3339),
        "source_flow_id": flow.source_flow_id,
        "created_at": rfc3339(flow.created_at),
        "created_by": flow.created_by,
        "updated_at": rfc3339(flow.updated_at),
        "updated_by": flow.updated_by,
        "deleted_at": flow.deleted_at.map(rfc3339),
        "deleted_by": flow.deleted_by,
        "purge_at": flow.deleted_at.map(|at| rfc3339(at + TRASH_DAYS * DAY_MS)),
    })
}

/// A version as the API shows it, without its flow.json.
pub fn version_json(version: &Version) -> Value {
    let errors: Option<Value> =
        version.validation_errors.as_deref().and_then(|text| serde_json::from_str(text).ok());
    json!({
        "revision": version.revision,
        "name": version.name,
        "reason": version.reason,
        "label": version.label,
        "author": version.author,
        "created_at": rfc3339(version.created_at),
        "validation_errors": errors,
    })
}

/// An account as the API shows it.
pub fn account_json(account: &Account) -> Value {
    json!({
        "id": account.id,
        "name": account.name,
        "backend": account.backend,
        "waba_id": account.waba_id,
        "external_id": account.external_id,
        "connection_id": account.connection_id,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flow_texts_are_json_objects_within_the_limit() {
        assert!(FlowText::new("{\"version\": \"7.2\", \"n\": 1.0}".to_owned(), 100).is_ok());
        let error = FlowText::new("{\"version\": ".to_owned(), 100).unwrap_err();
        assert_eq!(error.code(), "invalid_json");
        assert!(error.message().contains("line 1"), "{}", error.message());
        assert_eq!(FlowText::new("[1]".to_owned(), 100).unwrap_err().code(), "invalid_request");
        assert_eq!(FlowText::new("{}".repeat(60), 100).unwrap_err().code(), "flow_too_large");
    }

    #[test]
    fn names_and_categories_are_checked() {
        assert!(check_name("Customer survey").is_ok());
        for bad in ["", " padded", "two\nlines", &"x".repeat(MAX_NAME_CHARS + 1)] {
            assert_eq!(check_name(bad).unwrap_err().code(), "invalid_request", "{bad:?}");
        }
        assert_eq!(categories_json(&["SURVEY".to_owned(), "SURVEY".to_owned()]).unwrap(), "[\"SURVEY\"]");
        assert!(categories_json(&[]).is_err());
        let error = categories_json(&["MARKETING".to_owned()]).unwrap_err();
        assert!(error.message().contains("'MARKETING' is not one of"), "{}", error.message());
    }

    #[test]
    fn sha256_is_hex() {
        assert_eq!(sha256(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }
}
