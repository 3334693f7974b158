//! Connections: the ways this server reaches WhatsApp. One comes from the flags of `flowsmith
//! serve` (the sandbox, or a 360dialog partner key) and is never stored; admins add more in
//! the app (`/admin`, `/api/connections`): a 360dialog partner (partner id and partner API
//! key), or Meta's Graph API (a system-user token and its WABAs, kept in the row's `settings`;
//! the token sealed the same way).
//!
//! A credential is sealed at rest ([`key`]) and leaves the server only as its last four
//! characters: the API and the audit log show those, `Secret` keeps it out of logs, and the
//! proxy cuts it out of upstream answers. Each stored connection gets its own backend (and
//! proxy target), built when the server first needs it and kept until its row changes; rows
//! are read again at most every [`FRESH_FOR`] (what this server changes applies at once), so
//! several servers on one database see each other's changes. A connection whose credential
//! does not open (another server key, a changed ciphertext) stays listed, and every call through
//! it fails with a message naming it.
pub mod channel_key_routes;
pub mod channel_keys;
pub mod key;
pub mod routes;
pub mod store;

use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

pub use key::ServerKey;
use store::ConnectionRow;

use crate::backend::{Backend, BackendKind, Partner, Unusable};
use crate::config::Secret;
use crate::proxy::{Target, Upstream, asset::AssetFetcher};
use crate::workspace::WorkspaceError;
use crate::workspace::store::{Store, StoreResult, now_ms};
use crate::workspace::time::rfc3339;

/// How long the stored connections read from the database are believed.
pub const FRESH_FOR: Duration = Duration::from_secs(2);
/// The id the connection from flags is shown with.
pub const FLAGS_ID: &str = "flags";
/// The longest name of a connection.
const MAX_NAME_CHARS: usize = 100;
/// The shortest credential accepted (so that its last four characters are a small part of it).
const MIN_SECRET_CHARS: usize = 8;
/// The longest credential accepted.
const MAX_SECRET_BYTES: usize = 4096;

/// How stored connections reach their upstream: the same base URL, limits and asset fetcher
/// as the connection from flags.
#[derive(Clone)]
pub struct Reach {
    /// 360dialog's base URL (`--upstream-url`).
    pub base: url::Url,
    /// The Graph API's base URL with its version (`--graph-url`, `--graph-api-version`).
    pub graph_base: url::Url,
    /// Wait for an upstream call.
    pub timeout: Duration,
    /// Largest request body.
    pub body_limit: usize,
    /// Calls in flight at once, per connection.
    pub concurrency: usize,
    /// Fetches flow.json downloads.
    pub assets: AssetFetcher,
    /// 360dialog's messaging API, which 360dialog accounts send with their channel key.
    pub messaging: crate::backend::messaging::Dialog360Messaging,
}

/// A connection as this server knows it.
pub struct Connection {
    /// Its stored id; `None` for the connection from flags.
    pub id: Option<String>,
    /// What people call it.
    pub name: String,
    /// Its backend.
    pub kind: BackendKind,
    /// 360dialog's partner id.
    pub partner_id: Option<String>,
    /// Meta's ids of the WABAs a Graph connection works on (empty for other kinds).
    pub waba_ids: Vec<String>,
    /// The credential's last four characters.
    pub last4: String,
    /// Where the proxy sends calls for its partner; `None` when it cannot be used.
    target: Option<Target>,
    /// The workspace's way to it (an [`Unusable`] one, saying why, when it cannot be used).
    backend: Arc<dyn Backend>,
    /// Why it cannot be used.
    problem: Option<String>,
    /// The row it was opened from (a changed row is opened again).
    row: Option<ConnectionRow>,
}

impl Connection {
    /// The connection configured by flags.
    pub fn from_flags(
        kind: BackendKind,
        partner_id: Option<String>,
        key: &Secret,
        target: Target,
        backend: Arc<dyn Backend>,
    ) -> Connection {
        Connection {
            id: None,
            name: "From the server's flags".to_owned(),
            kind,
            partner_id,
            waba_ids: Vec::new(),
            last4: last4(key.expose()),
            target: Some(target),
            backend,
            problem: None,
            row: None,
        }
    }

    /// The proxy's target, when it can be used.
    pub fn target(&self) -> Option<&Target> {
        self.target.as_ref()
    }

    /// The backend (one that fails saying why, when it cannot be used).
    pub fn backend(&self) -> &Arc<dyn Backend> {
        &self.backend
    }

    /// Why it cannot be used.
    pub fn problem(&self) -> Option<&str> {
        self.problem.as_deref()
    }

    /// As the API shows it: never the credential, only its last four characters.
    pub fn to_json(&self) -> Value {
        let mut value = json!({
            "id": self.id.as_deref().unwrap_or(FLAGS_ID),
            "name": self.name,
            "kind": self.kind.as_str(),
            "partner_id": self.partner_id,
            "waba_ids": self.waba_ids,
            "api_key_last4": self.last4,
            "source": if self.id.is_some() { "stored" } else { "flags" },
            "usable": self.problem.is_none(),
            "problem": self.problem,
        });
        if let Some(row) = &self.row {
            value["created_by"] = json!(row.created_by);
            value["created_at"] = json!(rfc3339(row.created_at));
            value["updated_by"] = json!(row.updated_by);
            value["updated_at"] = json!(rfc3339(row.updated_at));
        }
        value
    }

    /// For the audit log: name, kind, partner and the key's last four characters.
    pub fn audit_detail(&self) -> String {
        format!(
            "connection {} ({}, partner {}, key …{})",
            self.name,
            self.kind.as_str(),
            self.partner_id.as_deref().unwrap_or("-"),
            self.last4
        )
    }
}

/// The last four characters of a credential: all that is ever shown of it.
pub fn last4(secret: &str) -> String {
    let count = secret.chars().count();
    secret.chars().skip(count.saturating_sub(4)).collect()
}

/// What a stored connection is, with what it needs besides its credential: kept in the row's
/// columns (`partner_id`), or in its `settings` (JSON) for kinds that need more. Meta's Graph
/// API joins as another variant (its WABA ids in `settings`, its credential a system-user
/// token), with its backend in [`Connections::backend_for`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// A 360dialog partner (`…PA`); the credential is its partner API key.
    Dialog360 {
        /// The partner id.
        partner_id: String,
    },
    /// Meta's Graph API; the credential is a system-user token.
    Graph {
        /// Meta's ids of the WhatsApp Business Accounts to work on.
        waba_ids: Vec<String>,
    },
}

impl Kind {
    /// Its backend.
    pub fn backend(&self) -> BackendKind {
        match self {
            Kind::Dialog360 { .. } => BackendKind::Dialog360,
            Kind::Graph { .. } => BackendKind::Graph,
        }
    }

    /// 360dialog's partner id, for the kinds that have one.
    pub fn partner_id(&self) -> Option<&str> {
        match self {
            Kind::Dialog360 { partner_id } => Some(partner_id),
            Kind::Graph { .. } => None,
        }
    }

    /// The row's `partner_id` and `settings`.
    fn columns(&self) -> (Option<String>, String) {
        match self {
            Kind::Dialog360 { partner_id } => (Some(partner_id.clone()), "{}".to_owned()),
            Kind::Graph { waba_ids } => (None, json!({ "waba_ids": waba_ids }).to_string()),
        }
    }

    /// The kind a row stores.
    fn of_row(row: &ConnectionRow) -> Result<Kind, String> {
        match (BackendKind::parse(&row.kind), &row.partner_id) {
            (Some(BackendKind::Dialog360), Some(partner_id)) => {
                Ok(Kind::Dialog360 { partner_id: partner_id.clone() })
            }
            (Some(BackendKind::Graph), None) => {
                let settings: Value = serde_json::from_str(&row.settings).unwrap_or(Value::Null);
                let waba_ids = settings
                    .get("waba_ids")
                    .and_then(Value::as_array)
                    .map(|ids| ids.iter().filter_map(Value::as_str).map(str::to_owned).collect())
                    .unwrap_or_default();
                Ok(Kind::Graph { waba_ids })
            }
            _ => Err(format!("its kind '{}' is not one this server knows", row.kind)),
        }
    }

    /// Checks what an admin sent.
    fn checked(self) -> Result<Kind, WorkspaceError> {
        match self {
            Kind::Dialog360 { partner_id } => {
                let partner_id = partner_id.trim().to_owned();
                if !crate::ids::is_valid(&partner_id) {
                    return Err(WorkspaceError::invalid(
                        "partner_id",
                        "a 360dialog partner id is 1 to 64 letters, digits, '-' or '_' (e.g. abcdEFPA)",
                    ));
                }
                Ok(Kind::Dialog360 { partner_id })
            }
            Kind::Graph { waba_ids } => {
                let waba_ids: Vec<String> = waba_ids.iter().map(|id| id.trim().to_owned()).collect();
                if waba_ids.is_empty() || !waba_ids.iter().all(|id| crate::ids::is_valid(id)) {
                    return Err(WorkspaceError::invalid(
                        "waba_ids",
                        "name one or more WhatsApp Business Account ids (Meta's, digits)",
                    ));
                }
                Ok(Kind::Graph { waba_ids })
            }
        }
    }
}

/// What an admin sends to add a connection, or to replace one (`secret` then optional: the
/// stored one is kept).
#[derive(Debug, Clone)]
pub struct ConnectionInput {
    /// What people call it.
    pub name: String,
    /// What it is.
    pub kind: Kind,
    /// Its credential (360dialog's partner API key).
    pub secret: Option<Secret>,
}

/// The stored connections and the one from flags (cheap to clone).
#[derive(Clone)]
pub struct Connections(Arc<Inner>);

struct Inner {
    store: Store,
    key: ServerKey,
    flags: Option<Arc<Connection>>,
    reach: Reach,
    cache: Mutex<Cache>,
}

#[derive(Default)]
struct Cache {
    read_at: Option<Instant>,
    stored: Arc<Vec<Arc<Connection>>>,
}

impl Connections {
    /// The connections of `store`, opened with `key`, besides `flags`.
    pub fn new(store: Store, key: ServerKey, flags: Option<Connection>, reach: Reach) -> Connections {
        Connections(Arc::new(Inner {
            store,
            key,
            flags: flags.map(Arc::new),
            reach,
            cache: Mutex::new(Cache::default()),
        }))
    }

    /// The server key's fingerprint.
    pub fn key_id(&self) -> &str {
        self.0.key.id()
    }

    /// The server key (accounts' endpoint keys are sealed with it too).
    pub fn server_key(&self) -> &ServerKey {
        &self.0.key
    }

    /// The connection from flags.
    pub fn flags(&self) -> Option<&Arc<Connection>> {
        self.0.flags.as_ref()
    }

    fn cache(&self) -> std::sync::MutexGuard<'_, Cache> {
        self.0.cache.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The stored connections, read again when the last read is older than [`FRESH_FOR`].
    pub async fn stored(&self) -> StoreResult<Arc<Vec<Arc<Connection>>>> {
        let known = {
            let cache = self.cache();
            if cache.read_at.is_some_and(|at| at.elapsed() < FRESH_FOR) {
                return Ok(Arc::clone(&cache.stored));
            }
            Arc::clone(&cache.stored)
        };
        let rows = {
            let mut connection = self.0.store.pool().acquire().await?;
            store::connections(&mut connection).await?
        };
        let stored: Vec<Arc<Connection>> = rows
            .into_iter()
            .map(|row| match known.iter().find(|open| open.row.as_ref() == Some(&row)) {
                Some(open) => Arc::clone(open),
                None => Arc::new(self.open(row)),
            })
            .collect();
        let stored = Arc::new(stored);
        let mut cache = self.cache();
        cache.stored = Arc::clone(&stored);
        cache.read_at = Some(Instant::now());
        Ok(stored)
    }

    /// Forgets what was read, so the next use reads the rows again (after a change here).
    fn changed(&self) {
        self.cache().read_at = None;
    }

    /// Every connection: the one from flags first, then the stored ones by name.
    pub async fn all(&self) -> StoreResult<Vec<Arc<Connection>>> {
        let mut all: Vec<Arc<Connection>> = self.0.flags.iter().cloned().collect();
        all.extend(self.stored().await?.iter().cloned());
        Ok(all)
    }

    /// The stored connection of 360dialog's partner `partner_id`, if there is one.
    pub async fn for_partner(&self, partner_id: &str) -> StoreResult<Option<Arc<Connection>>> {
        let stored = self.stored().await?;
        Ok(stored.iter().find(|open| open.partner_id.as_deref() == Some(partner_id)).cloned())
    }

    /// The stored Graph connection that works on the WABA `waba_id` (Meta's id), if there is
    /// one: the app's Partner-shaped calls for that account go through its backend.
    pub async fn for_waba(&self, waba_id: &str) -> StoreResult<Option<Arc<Connection>>> {
        let stored = self.stored().await?;
        Ok(stored
            .iter()
            .find(|open| open.kind == BackendKind::Graph && open.waba_ids.iter().any(|id| id == waba_id))
            .cloned())
    }

    /// The backends of the stored Graph connections that can be used.
    pub async fn graph_backends(&self) -> StoreResult<Vec<Arc<dyn Backend>>> {
        let stored = self.stored().await?;
        Ok(stored
            .iter()
            .filter(|open| open.kind == BackendKind::Graph && open.problem.is_none())
            .map(|open| Arc::clone(&open.backend))
            .collect())
    }

    /// Opens a stored row: its credential unsealed into a backend, or the reason it cannot be.
    fn open(&self, row: ConnectionRow) -> Connection {
        let kind = Kind::of_row(&row);
        let waba_ids = match &kind {
            Ok(Kind::Graph { waba_ids }) => waba_ids.clone(),
            _ => Vec::new(),
        };
        let opened = kind.clone().and_then(|kind| {
            let secret = self.0.key.open(&row.id, &row.sealed).map_err(|error| error.to_string())?;
            self.backend_for(&kind, secret)
        });
        let kind = kind.map_or(BackendKind::Dialog360, |kind| kind.backend());
        let (target, backend, problem) = match opened {
            Ok((target, backend)) => (Some(target), backend, None),
            Err(reason) => {
                let problem = format!("The connection '{}' cannot be used: {reason}", row.name);
                tracing::warn!(connection = row.name, id = row.id, "{problem}");
                let backend: Arc<dyn Backend> = Arc::new(Unusable::new(kind, problem.clone()));
                (None, backend, Some(problem))
            }
        };
        Connection {
            id: Some(row.id.clone()),
            name: row.name.clone(),
            kind,
            partner_id: row.partner_id.clone(),
            waba_ids,
            last4: row.last4.clone(),
            target,
            backend,
            problem,
            row: Some(row),
        }
    }

    /// The proxy target and the backend of a stored connection of `kind`, with its credential.
    fn backend_for(&self, kind: &Kind, secret: Secret) -> Result<(Target, Arc<dyn Backend>), String> {
        let reach = &self.0.reach;
        match kind {
            Kind::Dialog360 { partner_id } => {
                let upstream = Upstream::new(
                    reach.base.clone(),
                    secret,
                    reach.timeout,
                    reach.body_limit,
                    reach.concurrency,
                )?;
                let target = Target::Upstream(Arc::new(upstream));
                let backend = Partner::new(
                    BackendKind::Dialog360,
                    target.clone(),
                    Some(partner_id.clone()),
                    reach.assets.clone(),
                );
                Ok((target, Arc::new(backend)))
            }
            Kind::Graph { waba_ids } => {
                let settings = crate::backend::graph::GraphSettings {
                    base: reach.graph_base.clone(),
                    token: secret,
                    waba_ids: waba_ids.clone(),
                    timeout: reach.timeout,
                    retries: crate::backend::graph::RetryPolicy::default(),
                };
                let backend: Arc<dyn Backend> =
                    Arc::new(crate::backend::graph::Graph::new(settings, reach.assets.clone())?);
                Ok((Target::Backend(Arc::clone(&backend), reach.body_limit), backend))
            }
        }
    }

    /// Stores a new connection, sealed; answers it opened.
    pub async fn add(&self, actor: &str, input: ConnectionInput) -> Result<Arc<Connection>, WorkspaceError> {
        let input = self.check(input)?;
        let secret = input.secret.as_ref().ok_or_else(|| {
            WorkspaceError::invalid(
                "api_key",
                "send the credential of the new connection (360dialog's partner API key, or Meta's token)",
            )
        })?;
        let id = uuid::Uuid::new_v4().to_string();
        let now = now_ms();
        let (partner_id, settings) = input.kind.columns();
        let row = ConnectionRow {
            sealed: self.0.key.seal(&id, secret.expose()),
            last4: last4(secret.expose()),
            id,
            kind: input.kind.backend().as_str().to_owned(),
            name: input.name,
            partner_id,
            settings,
            updated_by: actor.to_owned(),
            updated_at: now,
            created_by: actor.to_owned(),
            created_at: now,
        };
        let mut transaction = self.0.store.write().await?;
        store::save(&mut transaction, &row).await.map_err(partner_taken)?;
        transaction.commit().await?;
        self.changed();
        Ok(Arc::new(self.open(row)))
    }

    /// Replaces the connection `id`'s name, partner and (when sent) credential.
    pub async fn replace(
        &self,
        actor: &str,
        id: &str,
        input: ConnectionInput,
    ) -> Result<Arc<Connection>, WorkspaceError> {
        refuse_flags(id)?;
        let input = self.check(input)?;
        let mut transaction = self.0.store.write().await?;
        let mut row = store::connection(&mut transaction, id, self.0.store.for_update())
            .await?
            .ok_or_else(|| not_found(id))?;
        if row.kind != input.kind.backend().as_str() {
            return Err(WorkspaceError::invalid(
                "kind",
                format!("this connection is a {} connection; add a new one for another kind", row.kind),
            ));
        }
        if let Some(secret) = &input.secret {
            row.sealed = self.0.key.seal(&row.id, secret.expose());
            row.last4 = last4(secret.expose());
        }
        row.name = input.name;
        (row.partner_id, row.settings) = input.kind.columns();
        row.updated_by = actor.to_owned();
        row.updated_at = now_ms();
        store::save(&mut transaction, &row).await.map_err(partner_taken)?;
        transaction.commit().await?;
        self.changed();
        Ok(Arc::new(self.open(row)))
    }

    /// Removes the connection `id`; answers it as it was. Its accounts stay in the workspace,
    /// unreachable (and out of lists) until a connection lists them again.
    pub async fn remove(&self, id: &str) -> Result<Arc<Connection>, WorkspaceError> {
        refuse_flags(id)?;
        let mut transaction = self.0.store.write().await?;
        let row = store::connection(&mut transaction, id, self.0.store.for_update())
            .await?
            .ok_or_else(|| not_found(id))?;
        store::delete(&mut transaction, id).await?;
        transaction.commit().await?;
        self.changed();
        Ok(Arc::new(self.open(row)))
    }
}

impl Connections {
    /// Checks what an admin sent, and that it is not the connection from flags again (both
    /// would list the same accounts, each taking them from the other).
    fn check(&self, input: ConnectionInput) -> Result<ConnectionInput, WorkspaceError> {
        let input = check(input)?;
        if let Some(flags) = &self.0.flags
            && flags.kind == input.kind.backend()
            && flags.partner_id.is_some()
            && flags.partner_id.as_deref() == input.kind.partner_id()
        {
            return Err(WorkspaceError::NameTaken(
                "This partner is the server's own connection, from its flags: change the flags of \
                 `flowsmith serve` to change its key"
                    .to_owned(),
            ));
        }
        Ok(input)
    }
}

fn refuse_flags(id: &str) -> Result<(), WorkspaceError> {
    if id == FLAGS_ID {
        return Err(WorkspaceError::ReadOnly(
            "The connection from the server's flags is not stored: change the flags of `flowsmith serve` \
             (or its environment) and restart it"
                .to_owned(),
        ));
    }
    Ok(())
}

fn not_found(id: &str) -> WorkspaceError {
    let shown: String = id.chars().take(64).collect();
    WorkspaceError::NotFound(format!("No connection {shown} on this server"))
}

fn partner_taken(error: crate::workspace::store::StoreError) -> WorkspaceError {
    match error {
        crate::workspace::store::StoreError::Unique(_) => WorkspaceError::NameTaken(
            "A connection for this partner id exists already: replace its key instead".to_owned(),
        ),
        other => other.into(),
    }
}

/// Whether `text` (trimmed) can be a credential: long enough that its last four characters are
/// a small part of it, printable, without spaces.
fn fits_as_secret(text: &str) -> bool {
    text.chars().count() >= MIN_SECRET_CHARS
        && text.len() <= MAX_SECRET_BYTES
        && text.bytes().all(|byte| byte.is_ascii_graphic())
}

/// Checks what an admin sent (messages never repeat the credential).
fn check(mut input: ConnectionInput) -> Result<ConnectionInput, WorkspaceError> {
    input.name = input.name.trim().to_owned();
    if input.name.is_empty()
        || input.name.chars().count() > MAX_NAME_CHARS
        || input.name.chars().any(char::is_control)
    {
        return Err(WorkspaceError::invalid(
            "name",
            format!("a connection's name is 1 to {MAX_NAME_CHARS} characters on one line"),
        ));
    }
    input.kind = input.kind.checked()?;
    if let Some(secret) = &input.secret {
        let text = secret.expose().trim();
        if !fits_as_secret(text) {
            return Err(WorkspaceError::invalid(
                "api_key",
                format!(
                    "a partner API key or token is {MIN_SECRET_CHARS} or more printable characters without \
                     spaces (as 360dialog's Hub or Meta's Business Manager shows it)"
                ),
            ));
        }
        input.secret = Some(Secret::new(text));
    }
    Ok(input)
}

/// Re-seals every stored credential (and every account's endpoint private key) from `old` to
/// `new` in one transaction (all or nothing):
/// a credential `old` does not open stops it, naming the connection; one already under `new`
/// (a rotation that stopped before its key file moved) is left. Answers how many were re-sealed.
pub async fn rotate(store: &Store, old: &ServerKey, new: &ServerKey) -> Result<usize, String> {
    let failed = |error: crate::workspace::store::StoreError| format!("the database failed: {error}");
    let failed_commit = |error: sqlx::Error| format!("the database failed: {error}");
    let mut transaction = store.write().await.map_err(failed)?;
    let rows = store::connections(&mut transaction).await.map_err(failed)?;
    let mut resealed = 0;
    for row in &rows {
        let resealed_row = old
            .reseal(new, &row.id, &row.sealed)
            .map_err(|error| format!("the connection '{}' cannot be re-encrypted: {error}", row.name))?;
        let Some(sealed) = resealed_row else { continue };
        store::reseal(&mut transaction, &row.id, &sealed).await.map_err(failed)?;
        resealed += 1;
    }
    // The accounts' endpoint private keys, sealed with the same key, in the same transaction.
    resealed += crate::endpoint::account_key::rotate(&mut transaction, old, new).await?;
    resealed += channel_keys::rotate(&mut transaction, old, new).await?;
    transaction.commit().await.map_err(failed_commit)?;
    Ok(resealed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(name: &str, partner: &str, secret: Option<&str>) -> ConnectionInput {
        ConnectionInput {
            name: name.to_owned(),
            kind: Kind::Dialog360 { partner_id: partner.to_owned() },
            secret: secret.map(Secret::new),
        }
    }

    #[test]
    fn inputs_are_checked_without_repeating_the_key() {
        assert!(check(input(" Team ", "abPA", Some("pk_live_123456"))).is_ok());
        assert_eq!(check(input("", "abPA", None)).unwrap_err().code(), "invalid_request");
        assert!(check(input("Team", "../x", None)).is_err());
        let error = check(input("Team", "abPA", Some("short key"))).unwrap_err();
        assert!(!error.message().contains("short key"), "{}", error.message());
    }

    #[test]
    fn only_the_last_four_characters_show() {
        assert_eq!(last4("pk_live_abcd9f3a"), "9f3a");
        assert_eq!(last4("ab"), "ab");
    }
}
