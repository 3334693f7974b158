//! The SQL of users, sessions, failed sign-ins and the audit log (migration 0004), and of
//! single sign-on (identities and sign-ins under way, migration 0007), in the SQL both engines
//! speak, as the workspace's own statements (`workspace/store.rs`).
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row as _};

use super::Role;
use crate::workspace::store::{StoreError, StoreResult};

/// A user as stored (never with the password hash, which only [`password_hash`] reads).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    /// The id.
    pub id: String,
    /// The name as written when added.
    pub name: String,
    /// The role for every account.
    pub role: Role,
    /// When added.
    pub created_at: i64,
    /// When last changed.
    pub updated_at: i64,
}

/// The key a name is looked up by: "Ana" and "ana" are one user.
pub fn name_key(name: &str) -> String {
    name.trim().to_lowercase()
}

fn role_of(text: &str) -> StoreResult<Role> {
    Role::parse(text).ok_or_else(|| StoreError::Other(format!("unknown role '{text}' in the users table")))
}

fn user_from(row: &AnyRow) -> StoreResult<User> {
    Ok(User {
        id: row.try_get(0)?,
        name: row.try_get(1)?,
        role: role_of(&row.try_get::<String, _>(2)?)?,
        created_at: row.try_get(3)?,
        updated_at: row.try_get(4)?,
    })
}

const USER_COLUMNS: &str = "id, name, role, created_at, updated_at";

/// Whether any user exists.
pub async fn any_user(connection: &mut AnyConnection) -> StoreResult<bool> {
    let row = sqlx::query("SELECT COUNT(*) FROM (SELECT 1 FROM users LIMIT 1) AS one")
        .fetch_one(&mut *connection)
        .await?;
    Ok(row.try_get::<i64, _>(0)? > 0)
}

/// Adds a user; `StoreError::Unique` when the name is taken.
pub async fn insert_user(
    connection: &mut AnyConnection,
    name: &str,
    role: Role,
    password_hash: &str,
    now: i64,
) -> StoreResult<User> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "INSERT INTO users (id, name, name_key, role, password_hash, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING {USER_COLUMNS}"
    )))
    .bind(uuid::Uuid::new_v4().to_string())
    .bind(name.trim())
    .bind(name_key(name))
    .bind(role.as_str())
    .bind(password_hash)
    .bind(now)
    .fetch_one(&mut *connection)
    .await?;
    user_from(&row)
}

/// Every user, by name.
pub async fn users(connection: &mut AnyConnection) -> StoreResult<Vec<User>> {
    let rows =
        sqlx::query(sqlx::AssertSqlSafe(format!("SELECT {USER_COLUMNS} FROM users ORDER BY name_key")))
            .fetch_all(&mut *connection)
            .await?;
    rows.iter().map(user_from).collect()
}

/// The user named `name` (any case).
pub async fn user_named(connection: &mut AnyConnection, name: &str) -> StoreResult<Option<User>> {
    let row =
        sqlx::query(sqlx::AssertSqlSafe(format!("SELECT {USER_COLUMNS} FROM users WHERE name_key = $1")))
            .bind(name_key(name))
            .fetch_optional(&mut *connection)
            .await?;
    row.as_ref().map(user_from).transpose()
}

/// The password hash of users who sign in elsewhere (single sign-on, a proxy's header): not a
/// PHC string, so no password matches it ([`super::password::verify`]).
pub const NO_PASSWORD: &str = "none";

/// The user `subject` is at `issuer` (single sign-on).
pub async fn user_by_identity(
    connection: &mut AnyConnection,
    issuer: &str,
    subject: &str,
) -> StoreResult<Option<User>> {
    let row = sqlx::query(
        "SELECT u.id, u.name, u.role, u.created_at, u.updated_at
         FROM user_identities i JOIN users u ON u.id = i.user_id WHERE i.issuer = $1 AND i.subject = $2",
    )
    .bind(issuer)
    .bind(subject)
    .fetch_optional(&mut *connection)
    .await?;
    row.as_ref().map(user_from).transpose()
}

/// Records that `subject` at `issuer` is `user_id`; false when that identity already is a user's.
pub async fn insert_identity(
    connection: &mut AnyConnection,
    issuer: &str,
    subject: &str,
    user_id: &str,
    now: i64,
) -> StoreResult<bool> {
    let inserted = sqlx::query(
        "INSERT INTO user_identities (issuer, subject, user_id, created_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (issuer, subject) DO NOTHING",
    )
    .bind(issuer)
    .bind(subject)
    .bind(user_id)
    .bind(now)
    .execute(&mut *connection)
    .await?
    .rows_affected();
    Ok(inserted > 0)
}

/// A sign-in sent to the identity provider, as kept until the browser comes back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OidcLogin {
    /// SHA-256 of the `state` parameter (hex).
    pub state_sha256: String,
    /// SHA-256 of the browser's binding cookie (hex).
    pub browser_sha256: String,
    /// The PKCE code verifier, sent with the code.
    pub pkce_verifier: String,
    /// The nonce the ID token must carry.
    pub nonce: String,
    /// Where to go once signed in (a path of this server).
    pub next: String,
    /// When it may no longer be completed.
    pub expires_at: i64,
}

/// Keeps a sign-in under way.
pub async fn insert_oidc_login(connection: &mut AnyConnection, login: &OidcLogin) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO oidc_logins (state_sha256, browser_sha256, pkce_verifier, nonce, next, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(&login.state_sha256)
    .bind(&login.browser_sha256)
    .bind(&login.pkce_verifier)
    .bind(&login.nonce)
    .bind(&login.next)
    .bind(login.expires_at)
    .execute(&mut *connection)
    .await?;
    Ok(())
}

/// Takes (reads and deletes, in one statement) the sign-in under way whose state hashes to
/// `state_sha256`: a second return with the same state finds nothing.
pub async fn take_oidc_login(
    connection: &mut AnyConnection,
    state_sha256: &str,
) -> StoreResult<Option<OidcLogin>> {
    let row = sqlx::query(
        "DELETE FROM oidc_logins WHERE state_sha256 = $1
         RETURNING state_sha256, browser_sha256, pkce_verifier, nonce, next, expires_at",
    )
    .bind(state_sha256)
    .fetch_optional(&mut *connection)
    .await?;
    row.map(|row| {
        Ok(OidcLogin {
            state_sha256: row.try_get(0)?,
            browser_sha256: row.try_get(1)?,
            pkce_verifier: row.try_get(2)?,
            nonce: row.try_get(3)?,
            next: row.try_get(4)?,
            expires_at: row.try_get(5)?,
        })
    })
    .transpose()
}

/// Forgets sign-ins under way that can no longer be completed.
pub async fn purge_oidc_logins(connection: &mut AnyConnection, now: i64) -> StoreResult<u64> {
    Ok(sqlx::query("DELETE FROM oidc_logins WHERE expires_at <= $1")
        .bind(now)
        .execute(&mut *connection)
        .await?
        .rows_affected())
}

/// The user named `name` with their password hash.
pub async fn password_hash(
    connection: &mut AnyConnection,
    name: &str,
) -> StoreResult<Option<(User, String)>> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {USER_COLUMNS}, password_hash FROM users WHERE name_key = $1"
    )))
    .bind(name_key(name))
    .fetch_optional(&mut *connection)
    .await?;
    row.map(|row| Ok((user_from(&row)?, row.try_get(5)?))).transpose()
}

/// Changes a user's role and ends their sessions; false when there is no such user.
pub async fn set_role(
    connection: &mut AnyConnection,
    user_id: &str,
    role: Role,
    now: i64,
) -> StoreResult<bool> {
    let changed = sqlx::query("UPDATE users SET role = $1, updated_at = $2 WHERE id = $3")
        .bind(role.as_str())
        .bind(now)
        .bind(user_id)
        .execute(&mut *connection)
        .await?
        .rows_affected();
    end_sessions_of(connection, user_id).await?;
    Ok(changed > 0)
}

/// Changes a user's password hash and ends their sessions; false when there is no such user.
pub async fn set_password(
    connection: &mut AnyConnection,
    user_id: &str,
    password_hash: &str,
    now: i64,
) -> StoreResult<bool> {
    let changed = sqlx::query("UPDATE users SET password_hash = $1, updated_at = $2 WHERE id = $3")
        .bind(password_hash)
        .bind(now)
        .bind(user_id)
        .execute(&mut *connection)
        .await?
        .rows_affected();
    end_sessions_of(connection, user_id).await?;
    Ok(changed > 0)
}

/// Removes a user (their sessions and single sign-on identities go with them).
pub async fn delete_user(connection: &mut AnyConnection, user_id: &str) -> StoreResult<bool> {
    end_sessions_of(connection, user_id).await?;
    // SQLite enforces `ON DELETE CASCADE` only with a pragma: said here for both engines.
    sqlx::query("DELETE FROM user_identities WHERE user_id = $1")
        .bind(user_id)
        .execute(&mut *connection)
        .await?;
    let deleted = sqlx::query("DELETE FROM users WHERE id = $1")
        .bind(user_id)
        .execute(&mut *connection)
        .await?
        .rows_affected();
    Ok(deleted > 0)
}

/// A user's roles on single accounts: (the workspace's account id, role).
pub async fn account_roles(
    connection: &mut AnyConnection,
    user_id: &str,
) -> StoreResult<Vec<(String, Role)>> {
    let rows =
        sqlx::query("SELECT account_id, role FROM user_account_roles WHERE user_id = $1 ORDER BY account_id")
            .bind(user_id)
            .fetch_all(&mut *connection)
            .await?;
    rows.iter().map(|row| Ok((row.try_get(0)?, role_of(&row.try_get::<String, _>(1)?)?))).collect()
}

/// Sets (or, with `None`, removes) a user's role on one account, and ends their sessions.
pub async fn set_account_role(
    connection: &mut AnyConnection,
    user_id: &str,
    account_id: &str,
    role: Option<Role>,
) -> StoreResult<()> {
    match role {
        Some(role) => {
            sqlx::query(
                "INSERT INTO user_account_roles (user_id, account_id, role) VALUES ($1, $2, $3)
                 ON CONFLICT (user_id, account_id) DO UPDATE SET role = excluded.role",
            )
            .bind(user_id)
            .bind(account_id)
            .bind(role.as_str())
            .execute(&mut *connection)
            .await?;
        }
        None => {
            sqlx::query("DELETE FROM user_account_roles WHERE user_id = $1 AND account_id = $2")
                .bind(user_id)
                .bind(account_id)
                .execute(&mut *connection)
                .await?;
        }
    }
    end_sessions_of(connection, user_id).await?;
    Ok(())
}

/// The workspace's id of the account `id` names: a workspace id, or WhatsApp's (`…WA`).
pub async fn account_id(connection: &mut AnyConnection, id: &str) -> StoreResult<Option<String>> {
    let row = sqlx::query("SELECT id FROM accounts WHERE id = $1 OR external_id = $1 ORDER BY id LIMIT 1")
        .bind(id)
        .fetch_optional(&mut *connection)
        .await?;
    row.map(|row| row.try_get(0).map_err(StoreError::from)).transpose()
}

/// WhatsApp's id (`…WA`) of the workspace's account `id`, if it has one.
pub async fn external_account_id(connection: &mut AnyConnection, id: &str) -> StoreResult<Option<String>> {
    let row = sqlx::query("SELECT external_id FROM accounts WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut *connection)
        .await?;
    row.map(|row| row.try_get(0).map_err(StoreError::from)).transpose()
}

/// How many admins there are.
pub async fn admin_count(connection: &mut AnyConnection) -> StoreResult<i64> {
    let row =
        sqlx::query("SELECT COUNT(*) FROM users WHERE role = 'admin'").fetch_one(&mut *connection).await?;
    Ok(row.try_get(0)?)
}

/// A session as found by its token's hash, with its user.
#[derive(Debug, Clone)]
pub struct SessionRow {
    /// The user.
    pub user: User,
    /// When the session was last used (to the minute).
    pub last_seen_at: i64,
    /// When it ends whatever happens.
    pub expires_at: i64,
}

/// Starts a session.
pub async fn insert_session(
    connection: &mut AnyConnection,
    token_sha256: &str,
    user_id: &str,
    now: i64,
    expires_at: i64,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO sessions (token_sha256, user_id, created_at, last_seen_at, expires_at) VALUES ($1, $2, $3, $3, $4)",
    )
    .bind(token_sha256)
    .bind(user_id)
    .bind(now)
    .bind(expires_at)
    .execute(&mut *connection)
    .await?;
    Ok(())
}

/// The session whose token hashes to `token_sha256`, with its user.
pub async fn session(connection: &mut AnyConnection, token_sha256: &str) -> StoreResult<Option<SessionRow>> {
    let row = sqlx::query(
        "SELECT u.id, u.name, u.role, u.created_at, u.updated_at, s.last_seen_at, s.expires_at
         FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_sha256 = $1",
    )
    .bind(token_sha256)
    .fetch_optional(&mut *connection)
    .await?;
    row.map(|row| {
        Ok(SessionRow { user: user_from(&row)?, last_seen_at: row.try_get(5)?, expires_at: row.try_get(6)? })
    })
    .transpose()
}

/// Notes that the session was used now.
pub async fn touch_session(connection: &mut AnyConnection, token_sha256: &str, now: i64) -> StoreResult<()> {
    sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE token_sha256 = $2")
        .bind(now)
        .bind(token_sha256)
        .execute(&mut *connection)
        .await?;
    Ok(())
}

/// Ends one session.
pub async fn end_session(connection: &mut AnyConnection, token_sha256: &str) -> StoreResult<()> {
    sqlx::query("DELETE FROM sessions WHERE token_sha256 = $1")
        .bind(token_sha256)
        .execute(&mut *connection)
        .await?;
    Ok(())
}

/// Ends every session of a user.
pub async fn end_sessions_of(connection: &mut AnyConnection, user_id: &str) -> StoreResult<u64> {
    Ok(sqlx::query("DELETE FROM sessions WHERE user_id = $1")
        .bind(user_id)
        .execute(&mut *connection)
        .await?
        .rows_affected())
}

/// Forgets sessions that ended: absolute expiry passed, or idle since `idle_before`.
pub async fn purge_sessions(connection: &mut AnyConnection, now: i64, idle_before: i64) -> StoreResult<u64> {
    Ok(sqlx::query("DELETE FROM sessions WHERE expires_at <= $1 OR last_seen_at < $2")
        .bind(now)
        .bind(idle_before)
        .execute(&mut *connection)
        .await?
        .rows_affected())
}

/// Failed sign-ins under `key`: how many, and when the last was.
pub async fn failures(connection: &mut AnyConnection, key: &str) -> StoreResult<Option<(i64, i64)>> {
    let row = sqlx::query("SELECT failures, last_at FROM sign_in_failures WHERE key = $1")
        .bind(key)
        .fetch_optional(&mut *connection)
        .await?;
    row.map(|row| Ok((row.try_get(0)?, row.try_get(1)?))).transpose()
}

/// Counts one more failure under `key`; a count older than `window_start` starts again at 1.
pub async fn add_failure(
    connection: &mut AnyConnection,
    key: &str,
    now: i64,
    window_start: i64,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO sign_in_failures (key, failures, last_at) VALUES ($1, 1, $2)
         ON CONFLICT (key) DO UPDATE SET
             failures = CASE WHEN sign_in_failures.last_at < $3 THEN 1 ELSE sign_in_failures.failures + 1 END,
             last_at = excluded.last_at",
    )
    .bind(key)
    .bind(now)
    .bind(window_start)
    .execute(&mut *connection)
    .await?;
    Ok(())
}

/// Forgets failures older than `before` (their window has passed).
pub async fn purge_failures(connection: &mut AnyConnection, before: i64) -> StoreResult<u64> {
    Ok(sqlx::query("DELETE FROM sign_in_failures WHERE last_at < $1")
        .bind(before)
        .execute(&mut *connection)
        .await?
        .rows_affected())
}

/// Forgets the failures under `key` (a successful sign-in).
pub async fn clear_failures(connection: &mut AnyConnection, key: &str) -> StoreResult<()> {
    sqlx::query("DELETE FROM sign_in_failures WHERE key = $1").bind(key).execute(&mut *connection).await?;
    Ok(())
}

/// One line of the audit log.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct AuditEntry {
    /// Its id (0 before it is written).
    pub id: i64,
    /// When, in milliseconds since the epoch.
    pub at: i64,
    /// Who: a user name, `anonymous` or the CLI's `cli:USER`.
    pub actor: String,
    /// What: `sign_in`, `sign_in_failed`, `sign_out`, `save_to_whatsapp`, `publish`,
    /// `deprecate`, `delete`, `migrate`, `sync`, `trash`, `user_add`, `user_role`,
    /// `user_password`, `user_remove`.
    pub action: String,
    /// The account (workspace id or WhatsApp account id), when one is concerned.
    pub account: Option<String>,
    /// The flow (workspace id or WhatsApp flow id), when one is concerned.
    pub flow: Option<String>,
    /// `ok`, `denied` (role or sign-in), `refused` (a 4xx), `failed` (a 5xx).
    pub outcome: String,
    /// More: the HTTP status, the user concerned, the address.
    pub detail: Option<String>,
}

/// Appends to the audit log.
pub async fn insert_audit(connection: &mut AnyConnection, entry: &AuditEntry) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO audit (at, actor, action, account, flow, outcome, detail) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(entry.at)
    .bind(&entry.actor)
    .bind(&entry.action)
    .bind(&entry.account)
    .bind(&entry.flow)
    .bind(&entry.outcome)
    .bind(&entry.detail)
    .execute(&mut *connection)
    .await?;
    Ok(())
}

/// Which audit lines to read: every filter optional, newest first.
#[derive(Debug, Clone, Default)]
pub struct AuditQuery {
    /// Exactly this actor.
    pub actor: Option<String>,
    /// Exactly this action.
    pub action: Option<String>,
    /// Exactly this account.
    pub account: Option<String>,
    /// Exactly this flow.
    pub flow: Option<String>,
    /// Exactly this outcome.
    pub outcome: Option<String>,
    /// At or after (ms).
    pub since: Option<i64>,
    /// Before (ms).
    pub until: Option<i64>,
    /// Only lines with an id below this (the next page).
    pub before_id: Option<i64>,
    /// At most this many.
    pub limit: i64,
}

/// Audit lines matching `query`, newest first.
pub async fn audit(connection: &mut AnyConnection, query: &AuditQuery) -> StoreResult<Vec<AuditEntry>> {
    let mut sql =
        String::from("SELECT id, at, actor, action, account, flow, outcome, detail FROM audit WHERE 1 = 1");
    let mut texts: Vec<&str> = Vec::new();
    let mut numbers: Vec<i64> = Vec::new();
    let mut index = 0;
    for (column, value) in [
        ("actor", &query.actor),
        ("action", &query.action),
        ("account", &query.account),
        ("flow", &query.flow),
        ("outcome", &query.outcome),
    ] {
        if let Some(value) = value {
            index += 1;
            sql.push_str(&format!(" AND {column} = ${index}"));
            texts.push(value);
        }
    }
    for (condition, value) in [("at >=", query.since), ("at <", query.until), ("id <", query.before_id)] {
        if let Some(value) = value {
            index += 1;
            sql.push_str(&format!(" AND {condition} ${index}"));
            numbers.push(value);
        }
    }
    index += 1;
    sql.push_str(&format!(" ORDER BY id DESC LIMIT ${index}"));
    let mut statement = sqlx::query(sqlx::AssertSqlSafe(sql));
    for text in texts {
        statement = statement.bind(text);
    }
    for number in numbers {
        statement = statement.bind(number);
    }
    let rows = statement.bind(query.limit).fetch_all(&mut *connection).await?;
    rows.iter()
        .map(|row| {
            Ok(AuditEntry {
                id: row.try_get(0)?,
                at: row.try_get(1)?,
                actor: row.try_get(2)?,
                action: row.try_get(3)?,
                account: row.try_get(4)?,
                flow: row.try_get(5)?,
                outcome: row.try_get(6)?,
                detail: row.try_get(7)?,
            })
        })
        .collect()
}

/// The account of the workspace's flow `id` (for the audit log).
pub async fn account_of_flow(connection: &mut AnyConnection, id: &str) -> StoreResult<Option<String>> {
    let row = sqlx::query("SELECT account_id FROM flows WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut *connection)
        .await?;
    row.map(|row| row.try_get(0).map_err(StoreError::from)).transpose()
}
