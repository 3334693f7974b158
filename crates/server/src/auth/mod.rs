//! Who is there and what they may do: users with a role, sessions behind an opaque cookie,
//! failed sign-ins slowed and then refused, and the audit log.
//!
//! Modes ([`Auth::sign_in_required`]): with no user and a loopback bind (or
//! `--insecure-no-auth`) nobody signs in, as on one person's machine; once a user exists, every
//! route but the public ones ([`access`]) needs a session. A server on another address with no
//! user refuses to start ([`check_start`]).
//!
//! Sessions: the cookie holds 32 random bytes (base64url); the database holds only their
//! SHA-256, so a copy of it signs no one in. A session ends when signed out, after
//! [`AuthSettings::idle`] unused, after [`AuthSettings::lifetime`] whatever happens, and when its
//! user's password or role changes.
pub mod access;
pub mod layer;
pub mod password;
pub mod routes;
pub mod sso;
pub mod store;
pub mod users;

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use base64::Engine as _;
use sha2::{Digest as _, Sha256};

use crate::workspace::WorkspaceError;
use crate::workspace::store::{Store, StoreResult, now_ms};
pub use store::{AuditEntry, User};

/// The session cookie's name.
pub const COOKIE: &str = "flowsmith_session";
/// How long "no user yet" is believed before the database is asked again (a user added with
/// `flowsmith user add` while the server runs turns sign-in on within this time).
const NO_USER_RECHECK_MS: i64 = 1000;
/// A session's last use is written at most this often (not on every request).
const TOUCH_EVERY_MS: i64 = 60 * 1000;

/// What a user may do. Each role may do what the ones before it may.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, clap::ValueEnum, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Open flows, preview them, read their history.
    Viewer,
    /// Also edit, save to the workspace, save to WhatsApp, make preview links.
    Editor,
    /// Also publish, deprecate, delete on WhatsApp, migrate and sync.
    Publisher,
    /// Also manage users, accounts' connections and their credentials, and read the audit log.
    Admin,
}

impl Role {
    /// Every role, least first.
    pub const ALL: [Role; 4] = [Role::Viewer, Role::Editor, Role::Publisher, Role::Admin];

    /// `viewer`, `editor`, `publisher` or `admin`.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Viewer => "viewer",
            Role::Editor => "editor",
            Role::Publisher => "publisher",
            Role::Admin => "admin",
        }
    }

    /// The role named `text`.
    pub fn parse(text: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|role| role.as_str() == text.trim().to_ascii_lowercase())
    }

    /// What this role allows, for refusals ("publishing needs the publisher role: …").
    pub fn allows(self) -> &'static str {
        match self {
            Role::Viewer => "open, preview and read history",
            Role::Editor => "edit, save, save to WhatsApp and make preview links",
            Role::Publisher => "publish, deprecate, delete on WhatsApp, migrate and sync",
            Role::Admin => "manage users and credentials, and read the audit log",
        }
    }
}

/// The signed-in user of a request (a request extension set by [`layer::guard`]).
#[derive(Debug, Clone)]
pub struct Principal {
    /// The user.
    pub user: User,
    /// Their session's token hash.
    pub session: String,
    /// Their roles on single accounts (the workspace's account id), instead of `user.role`.
    pub accounts: Vec<(String, Role)>,
}

impl Principal {
    /// Their role on `account` (the workspace's id), or for all when `None`.
    pub fn role_on(&self, account: Option<&str>) -> Role {
        account
            .and_then(|account| self.accounts.iter().find(|(id, _)| id == account))
            .map_or(self.user.role, |(_, role)| *role)
    }

    /// Their highest role on any account: what a route whose account is only in its body
    /// (create, sync) lets through, for the handler to check on the account named.
    pub fn best_role(&self) -> Role {
        self.accounts.iter().map(|(_, role)| *role).fold(self.user.role, Role::max)
    }

    /// Refuses unless their role on `account` (any id of it) is at least `needed`.
    pub fn require_on(&self, account: Option<&str>, needed: Role) -> Result<(), WorkspaceError> {
        let role = self.role_on(account);
        if role >= needed {
            return Ok(());
        }
        Err(WorkspaceError::Forbidden(format!(
            "Your role{}, {}, may not do this: it needs the {} role ({}); ask an admin",
            if account.is_some() && self.accounts.iter().any(|(id, _)| Some(id.as_str()) == account) {
                " on this account"
            } else {
                ""
            },
            role.as_str(),
            needed.as_str(),
            needed.allows()
        )))
    }
}

/// How many failed sign-ins are allowed before they are slowed, and then refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Throttle {
    /// Per user name: from this many failures, each next attempt waits 1, 2, 4 … s.
    pub user_slow_after: i64,
    /// Per user name: from this many, attempts are refused until `window` after the last.
    pub user_refuse_after: i64,
    /// The same per address (higher: several people may share one).
    pub address_slow_after: i64,
    /// See `user_refuse_after`.
    pub address_refuse_after: i64,
    /// Failures older than this are forgotten.
    pub window: Duration,
}

impl Default for Throttle {
    fn default() -> Self {
        Throttle {
            user_slow_after: 5,
            user_refuse_after: 10,
            address_slow_after: 20,
            address_refuse_after: 50,
            window: Duration::from_secs(15 * 60),
        }
    }
}

impl Throttle {
    /// Seconds to wait before an attempt under a key with `failures`, the last at `last_at`,
    /// is considered at `now`; `None` when it may go ahead.
    pub fn wait(
        failures: i64,
        last_at: i64,
        now: i64,
        slow_after: i64,
        refuse_after: i64,
        window: Duration,
    ) -> Option<u64> {
        let window_ms = i64::try_from(window.as_millis()).unwrap_or(i64::MAX);
        let elapsed = now.saturating_sub(last_at).max(0);
        if elapsed >= window_ms || failures < slow_after {
            return None;
        }
        let wait_ms = if failures >= refuse_after {
            window_ms
        } else {
            1000_i64.saturating_mul(1 << (failures - slow_after).min(20)).min(window_ms)
        };
        (elapsed < wait_ms).then(|| u64::try_from((wait_ms - elapsed + 999) / 1000).unwrap_or(1).max(1))
    }
}

/// How sign-in behaves (from the flags of `flowsmith serve`).
#[derive(Debug, Clone)]
pub struct AuthSettings {
    /// Serve a non-loopback address with no user (`--insecure-no-auth`).
    pub insecure_no_auth: bool,
    /// Whether the server listens on a loopback address only.
    pub loopback: bool,
    /// Always mark the cookie `Secure` (`--secure-cookies`, or an https `--public-url`).
    pub secure_cookies: bool,
    /// Proxies (addresses and blocks) whose `X-Forwarded-For`, `X-Forwarded-Proto` and
    /// [`AuthSettings::auth_header`] are believed.
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// A session unused this long ends.
    pub idle: Duration,
    /// A session ends this long after sign-in whatever happens.
    pub lifetime: Duration,
    /// Failed sign-ins.
    pub throttle: Throttle,
    /// How long a session read from the database is believed without reading it again
    /// (sign-out, role and password changes made on this server apply at once).
    pub session_cache: Duration,
    /// The header in which a trusted proxy names the signed-in user (`--auth-header`).
    pub auth_header: Option<axum::http::HeaderName>,
    /// OpenID Connect single sign-on (`--oidc-issuer` …).
    pub oidc: Option<sso::oidc::OidcSettings>,
    /// The role of users created at their first single sign-on.
    pub sso_default_role: Role,
}

impl AuthSettings {
    /// Whether `address` (a connection's peer) is one of the trusted proxies.
    pub fn is_trusted_proxy(&self, address: IpAddr) -> bool {
        let address = address.to_canonical();
        self.trusted_proxies.iter().any(|network| network.contains(&address))
    }

    /// Whether people sign in elsewhere (OpenID Connect or a proxy's header): users then come
    /// into being at their first sign-in, so sign-in is required even before any exists.
    pub fn single_sign_on(&self) -> bool {
        self.oidc.is_some() || self.auth_header.is_some()
    }
}

impl Default for AuthSettings {
    fn default() -> Self {
        AuthSettings {
            insecure_no_auth: false,
            loopback: true,
            secure_cookies: false,
            trusted_proxies: Vec::new(),
            idle: Duration::from_secs(8 * 3600),
            lifetime: Duration::from_secs(7 * 24 * 3600),
            throttle: Throttle::default(),
            session_cache: SESSION_CACHE,
            auth_header: None,
            oidc: None,
            sso_default_role: Role::Viewer,
        }
    }
}

/// See [`AuthSettings::session_cache`]: a request costs no query for this long after the last
/// read, and a change made on another server of the workspace applies within it.
pub const SESSION_CACHE: Duration = Duration::from_secs(2);

/// Sign-in, sessions and the audit log over the workspace's database (cheap to clone).
#[derive(Clone)]
pub struct Auth(Arc<Inner>);

struct Inner {
    store: Store,
    settings: AuthSettings,
    /// Once a user has been seen, sign-in is required (until the server restarts).
    users_seen: AtomicBool,
    /// When "no user" was last read from the database.
    checked_at: AtomicI64,
    /// Sessions read from the database in the last [`AuthSettings::session_cache`], by token
    /// hash: most requests then need no query. What this server changes (sign-out, a new role
    /// or password, a removed user) leaves it at once; what another server changes, within
    /// that time.
    recent: Mutex<HashMap<String, Recent>>,
    /// The identity provider, when single sign-on is configured.
    oidc: Option<sso::oidc::Oidc>,
}

/// A session as last read.
struct Recent {
    principal: Principal,
    read_at: i64,
    last_seen_at: i64,
    expires_at: i64,
}

/// The most sessions kept in memory (beyond, the cache starts afresh).
const MAX_RECENT: usize = 10_000;

/// The error for a server that may not start as configured (see [`check_start`]).
pub const NO_USER_MESSAGE: &str = "this server listens on an address other machines can reach, and no user can sign in: \
     add one first with `flowsmith user add NAME --role admin` (with the same --data-dir or --database-url), \
     or start with --insecure-no-auth to let anyone who reaches the port use it (and your partner key) without signing in";

/// Whether a server with these settings may start on `store`: a non-loopback bind needs a user
/// or `--insecure-no-auth`. Answers a warning to print when it starts insecure.
pub async fn check_start(store: &Store, settings: &AuthSettings) -> Result<Option<&'static str>, String> {
    if settings.loopback || settings.single_sign_on() {
        return Ok(None);
    }
    let mut connection = store.pool().acquire().await.map_err(|error| error.to_string())?;
    if store::any_user(&mut connection).await.map_err(|error| error.to_string())? {
        return Ok(None);
    }
    if settings.insecure_no_auth {
        return Ok(Some(INSECURE_WARNING));
    }
    Err(NO_USER_MESSAGE.to_owned())
}

/// Printed at start and shown in the app when serving others without sign-in.
pub const INSECURE_WARNING: &str = "WARNING: --insecure-no-auth: no user is configured and this server is reachable from \
     other machines; anyone who reaches it can publish, deprecate and delete flows with the partner key. \
     Add a user with `flowsmith user add NAME --role admin` to require sign-in.";

/// 32 random bytes, base64url: a session token, a generated password.
pub fn random_token() -> String {
    let mut bytes = [0_u8; 32];
    // getrandom only fails where the OS has no randomness at all; nothing can be signed then.
    getrandom::fill(&mut bytes).expect("the operating system's random number generator");
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// The SHA-256 of a token, in hex: what the database keeps.
pub fn token_hash(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    digest.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// A session just started: the token for the cookie, and the user.
pub struct SignedIn {
    /// The cookie's value.
    pub token: String,
    /// Who.
    pub user: User,
}

impl Auth {
    /// Sign-in over `store` with `settings`.
    pub fn new(store: Store, settings: AuthSettings) -> Auth {
        let settings_oidc = settings.oidc.clone().map(sso::oidc::Oidc::new);
        Auth(Arc::new(Inner {
            store,
            settings,
            users_seen: AtomicBool::new(false),
            checked_at: AtomicI64::new(0),
            recent: Mutex::new(HashMap::new()),
            oidc: settings_oidc,
        }))
    }

    /// The settings.
    pub fn settings(&self) -> &AuthSettings {
        &self.0.settings
    }

    /// The database.
    pub fn store(&self) -> &Store {
        &self.0.store
    }

    /// Whether requests need a session: once any user exists. "No user" is read again at most
    /// once a second, so a user added from the command line turns sign-in on at once.
    pub async fn sign_in_required(&self) -> StoreResult<bool> {
        if self.0.users_seen.load(Ordering::Relaxed) || self.0.settings.single_sign_on() {
            return Ok(true);
        }
        let now = now_ms();
        if now - self.0.checked_at.load(Ordering::Relaxed) < NO_USER_RECHECK_MS {
            return Ok(false);
        }
        let mut connection = self.0.store.pool().acquire().await?;
        let any = store::any_user(&mut connection).await?;
        self.0.checked_at.store(now, Ordering::Relaxed);
        if any {
            self.0.users_seen.store(true, Ordering::Relaxed);
        }
        Ok(any)
    }

    /// Notes that a user exists (added through this server): sign-in is required from now on.
    pub(crate) fn users_added(&self) {
        self.0.users_seen.store(true, Ordering::Relaxed);
    }

    /// Whether nobody signs in and the server is reachable from elsewhere.
    pub fn insecure(&self) -> bool {
        self.0.settings.insecure_no_auth && !self.0.settings.loopback
    }

    /// The session of `token`, if it is still open (an ended one is forgotten).
    pub async fn session(&self, token: &str) -> StoreResult<Option<Principal>> {
        let hash = token_hash(token);
        let now = now_ms();
        let idle = i64::try_from(self.0.settings.idle.as_millis()).unwrap_or(i64::MAX);
        let fresh_for = i64::try_from(self.0.settings.session_cache.as_millis()).unwrap_or(0);
        if let Some(recent) = self.recent().get(&hash)
            && now - recent.read_at < fresh_for
            && now < recent.expires_at
            && now - recent.last_seen_at < idle
        {
            return Ok(Some(recent.principal.clone()));
        }
        let mut connection = self.0.store.pool().acquire().await?;
        let Some(row) = store::session(&mut connection, &hash).await? else {
            self.recent().remove(&hash);
            return Ok(None);
        };
        if now >= row.expires_at || now.saturating_sub(row.last_seen_at) >= idle {
            store::end_session(&mut connection, &hash).await?;
            self.recent().remove(&hash);
            return Ok(None);
        }
        let mut last_seen_at = row.last_seen_at;
        if now - row.last_seen_at >= TOUCH_EVERY_MS {
            store::touch_session(&mut connection, &hash, now).await?;
            last_seen_at = now;
        }
        let accounts = store::account_roles(&mut connection, &row.user.id).await?;
        let principal = Principal { user: row.user, session: hash.clone(), accounts };
        if fresh_for > 0 {
            let mut recent = self.recent();
            if recent.len() >= MAX_RECENT {
                recent.clear();
            }
            let entry = Recent {
                principal: principal.clone(),
                read_at: now,
                last_seen_at,
                expires_at: row.expires_at,
            };
            recent.insert(hash, entry);
        }
        Ok(Some(principal))
    }

    /// Whether the session of `token` is still open, read from the database and not counted
    /// as activity: an open event stream asks this, and only the user's own requests keep a
    /// session from idling out.
    pub async fn is_open(&self, token: &str) -> StoreResult<bool> {
        let now = now_ms();
        let idle = i64::try_from(self.0.settings.idle.as_millis()).unwrap_or(i64::MAX);
        let mut connection = self.0.store.pool().acquire().await?;
        let row = store::session(&mut connection, &token_hash(token)).await?;
        Ok(row.is_some_and(|row| now < row.expires_at && now.saturating_sub(row.last_seen_at) < idle))
    }

    fn recent(&self) -> std::sync::MutexGuard<'_, HashMap<String, Recent>> {
        self.0.recent.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Forgets the sessions of `user_id` kept in memory (their role, password or account
    /// changed: they are read again, and ended ones refused).
    pub(crate) fn forget_sessions_of(&self, user_id: &str) {
        self.recent().retain(|_, recent| recent.principal.user.id != user_id);
    }

    /// Checks `name` and `password` (slowed and then refused after failures, per name and per
    /// `address`), and starts a session. The answer is the same whether or not the user exists.
    pub async fn sign_in(
        &self,
        name: &str,
        password: &str,
        address: Option<IpAddr>,
    ) -> Result<SignedIn, WorkspaceError> {
        let now = now_ms();
        let throttle = self.0.settings.throttle;
        let user_key = format!("user:{}", store::name_key(name));
        let address_key = address.map(|address| format!("addr:{address}"));
        let mut connection = self.0.store.pool().acquire().await?;
        let mut wait = store::failures(&mut connection, &user_key).await?.and_then(|(failures, last)| {
            Throttle::wait(
                failures,
                last,
                now,
                throttle.user_slow_after,
                throttle.user_refuse_after,
                throttle.window,
            )
        });
        if let Some(key) = &address_key
            && let Some((failures, last)) = store::failures(&mut connection, key).await?
        {
            let by_address = Throttle::wait(
                failures,
                last,
                now,
                throttle.address_slow_after,
                throttle.address_refuse_after,
                throttle.window,
            );
            wait = wait.max(by_address);
        }
        if let Some(retry_after) = wait {
            return Err(WorkspaceError::TooManyAttempts { retry_after });
        }
        let found = store::password_hash(&mut connection, name).await?;
        drop(connection);
        // A user who signs in elsewhere has no password: verified against the decoy as if
        // unknown, so the time taken does not tell them apart.
        let (user, stored) = match found {
            Some((user, stored)) if stored != store::NO_PASSWORD => (Some(user), stored),
            _ => (None, password::decoy().to_owned()),
        };
        let candidate = password.to_owned();
        let matches =
            tokio::task::spawn_blocking(move || password::verify(&candidate, &stored)).await.unwrap_or(false);
        let mut connection = self.0.store.pool().acquire().await?;
        let user = match user {
            Some(user) if matches => user,
            _ => {
                let window_start = now - i64::try_from(throttle.window.as_millis()).unwrap_or(i64::MAX);
                store::add_failure(&mut connection, &user_key, now, window_start).await?;
                if let Some(key) = &address_key {
                    store::add_failure(&mut connection, key, now, window_start).await?;
                }
                return Err(WorkspaceError::InvalidCredentials);
            }
        };
        store::clear_failures(&mut connection, &user_key).await?;
        Ok(self.start_session(&mut connection, user).await?)
    }

    /// Starts a session of `user`, who just proved who they are (a password, single sign-on).
    pub(crate) async fn start_session(
        &self,
        connection: &mut sqlx::AnyConnection,
        user: User,
    ) -> StoreResult<SignedIn> {
        let now = now_ms();
        let token = random_token();
        let lifetime = i64::try_from(self.0.settings.lifetime.as_millis()).unwrap_or(i64::MAX);
        store::insert_session(connection, &token_hash(&token), &user.id, now, now.saturating_add(lifetime))
            .await?;
        self.0.users_seen.store(true, Ordering::Relaxed);
        Ok(SignedIn { token, user })
    }

    /// The identity provider, when OpenID Connect is configured.
    pub(crate) fn oidc(&self) -> Option<&sso::oidc::Oidc> {
        self.0.oidc.as_ref()
    }

    /// Ends the session of `token` (nothing when there is none).
    pub async fn sign_out(&self, token: &str) -> StoreResult<()> {
        let hash = token_hash(token);
        self.recent().remove(&hash);
        let mut connection = self.0.store.pool().acquire().await?;
        store::end_session(&mut connection, &hash).await
    }

    /// Appends to the audit log; a failure to write is logged, never shown to the caller
    /// (the operation itself already happened).
    pub async fn audit(&self, entry: AuditEntry) {
        let written = async {
            let mut connection = self.0.store.pool().acquire().await?;
            store::insert_audit(&mut connection, &entry).await
        };
        if let Err(error) = written.await {
            tracing::error!(%error, action = entry.action, "cannot write the audit log");
        }
    }

    /// Forgets ended sessions and old failure counts (run every hour).
    pub async fn purge(&self) -> StoreResult<u64> {
        let now = now_ms();
        let idle = i64::try_from(self.0.settings.idle.as_millis()).unwrap_or(i64::MAX);
        let window = i64::try_from(self.0.settings.throttle.window.as_millis()).unwrap_or(i64::MAX);
        let mut connection = self.0.store.pool().acquire().await?;
        store::purge_failures(&mut connection, now.saturating_sub(window)).await?;
        store::purge_oidc_logins(&mut connection, now).await?;
        store::purge_sessions(&mut connection, now, now.saturating_sub(idle)).await
    }
}

/// An audit line of now with outcome and details to fill.
pub fn audit_entry(actor: &str, action: &str, outcome: &str) -> AuditEntry {
    AuditEntry {
        id: 0,
        at: now_ms(),
        actor: actor.to_owned(),
        action: action.to_owned(),
        account: None,
        flow: None,
        outcome: outcome.to_owned(),
        detail: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failed_sign_ins_are_slowed_then_refused_then_forgotten() {
        let window = Duration::from_secs(900);
        let wait = |failures: i64, elapsed_ms: i64| {
            Throttle::wait(failures, 1_000_000, 1_000_000 + elapsed_ms, 5, 10, window)
        };
        assert_eq!(wait(4, 0), None);
        assert_eq!(wait(5, 0), Some(1));
        assert_eq!(wait(5, 1000), None);
        assert_eq!(wait(7, 1000), Some(3));
        assert_eq!(wait(7, 4000), None);
        assert_eq!(wait(10, 0), Some(900));
        assert_eq!(wait(10, 899_000), Some(1));
        assert_eq!(wait(10, 900_000), None);
        assert_eq!(wait(60, 0), Some(900));
    }

    #[test]
    fn roles_are_ordered_and_named() {
        assert!(
            Role::Viewer < Role::Editor && Role::Editor < Role::Publisher && Role::Publisher < Role::Admin
        );
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        assert_eq!(Role::parse("Admin"), Some(Role::Admin));
        assert_eq!(Role::parse("root"), None);
    }

    #[test]
    fn tokens_are_random_and_stored_hashed() {
        let (one, two) = (random_token(), random_token());
        assert_ne!(one, two);
        assert_eq!(one.len(), 43);
        assert_eq!(token_hash(&one).len(), 64);
        assert_ne!(token_hash(&one), one);
    }
}
