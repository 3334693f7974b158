//! The workspace's database: SQLite in the data folder by default, PostgreSQL when a
//! `postgres://` URL is given (several servers then share one workspace).
//!
//! One SQL code path through sqlx's `Any` driver: the statements are written in the SQL both
//! engines speak (`$1` parameters, `RETURNING`, `ON CONFLICT`, partial indexes, `LIKE … ESCAPE`),
//! values are the types both have (text and 64-bit integers; times in milliseconds), and the
//! two differences are here and nowhere else: how a writing transaction starts (SQLite's
//! `BEGIN IMMEDIATE` takes the write lock at once, so a read-then-write never fails to upgrade;
//! PostgreSQL locks the rows it reads with `FOR UPDATE`) and the migrations, one folder per
//! engine with the same tables (`migrations/sqlite`, `migrations/postgres`), applied at start.
use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr as _;
use std::time::Duration;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions, AnyRow};
use sqlx::{Any, AnyConnection, AnyPool, Row as _, Transaction};

/// The workspace's database file inside the data folder.
pub const DATABASE_FILE: &str = "workspace.sqlite3";

/// Which engine a store runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    /// A file in the data folder.
    Sqlite,
    /// A PostgreSQL server.
    Postgres,
}

impl Engine {
    /// `sqlite` or `postgres`.
    pub fn as_str(self) -> &'static str {
        match self {
            Engine::Sqlite => "sqlite",
            Engine::Postgres => "postgres",
        }
    }
}

/// Where the workspace is kept: a URL whose `Debug` and `Display` hide the password.
#[derive(Clone, PartialEq, Eq)]
pub struct DatabaseUrl(String);

impl DatabaseUrl {
    /// Checks that `text` is a `postgres://`, `postgresql://` or `sqlite://` URL.
    pub fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim();
        let scheme = text.split_once("://").map(|(scheme, _)| scheme.to_ascii_lowercase());
        match scheme.as_deref() {
            Some("postgres" | "postgresql" | "sqlite") => Ok(DatabaseUrl(text.to_owned())),
            _ => Err(format!(
                "--database-url '{}' must start with postgres://, postgresql:// or sqlite://",
                DatabaseUrl(text.to_owned())
            )),
        }
    }

    /// The engine the URL names.
    pub fn engine(&self) -> Engine {
        if self.0.to_ascii_lowercase().starts_with("sqlite:") { Engine::Sqlite } else { Engine::Postgres }
    }

    /// The URL itself, for the one place that connects.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for DatabaseUrl {
    /// The URL with any password replaced by `[redacted]`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match url::Url::parse(&self.0) {
            Ok(mut url) if url.password().is_some() => {
                let _ = url.set_password(Some("[redacted]"));
                f.write_str(url.as_str())
            }
            Ok(_) => f.write_str(&self.0),
            Err(_) => f.write_str("[unreadable URL]"),
        }
    }
}

impl fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DatabaseUrl({self})")
    }
}

impl std::str::FromStr for DatabaseUrl {
    type Err = String;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        DatabaseUrl::parse(text)
    }
}

/// Where a store is opened.
#[derive(Debug, Clone)]
pub enum Location {
    /// `workspace.sqlite3` in this folder.
    DataDir(PathBuf),
    /// A database URL.
    Url(DatabaseUrl),
}

/// What went wrong in the database.
#[derive(Debug)]
pub enum StoreError {
    /// The disk (or the database's size cap) is full: nothing was written.
    Full(String),
    /// The database cannot be reached or written right now.
    Unavailable(String),
    /// A uniqueness rule refused the write (which one: the constraint's name).
    Unique(String),
    /// Anything else: a bug or an unexpected answer.
    Other(String),
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StoreError::Full(message)
            | StoreError::Unavailable(message)
            | StoreError::Unique(message)
            | StoreError::Other(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for StoreError {}

impl From<sqlx::Error> for StoreError {
    fn from(error: sqlx::Error) -> Self {
        match &error {
            sqlx::Error::Database(database) => {
                let code = database.code().map(|code| code.into_owned()).unwrap_or_default();
                if database.is_unique_violation() {
                    return StoreError::Unique(
                        database.constraint().unwrap_or(database.message()).to_owned(),
                    );
                }
                match code.as_str() {
                    // SQLITE_FULL (13), PostgreSQL's disk_full and out_of_memory classes.
                    "13" | "53100" | "53200" => StoreError::Full(database.message().to_owned()),
                    // SQLITE_BUSY (5) and its extended codes, SQLITE_READONLY (8), SQLITE_IOERR (10),
                    // SQLITE_CANTOPEN (14); PostgreSQL's connection and shutdown classes.
                    "5" | "261" | "517" | "8" | "10" | "14" | "57P01" | "57P03" | "08006" | "08001" => {
                        StoreError::Unavailable(database.message().to_owned())
                    }
                    _ if code.starts_with("10") && code.len() > 3 => {
                        StoreError::Unavailable(database.message().to_owned())
                    }
                    _ => StoreError::Other(error.to_string()),
                }
            }
            sqlx::Error::PoolTimedOut
            | sqlx::Error::PoolClosed
            | sqlx::Error::Io(_)
            | sqlx::Error::Tls(_) => StoreError::Unavailable(error.to_string()),
            _ => StoreError::Other(error.to_string()),
        }
    }
}

/// The result of a store call.
pub type StoreResult<T> = Result<T, StoreError>;

/// The workspace's database (cheap to clone: a pool).
#[derive(Clone)]
pub struct Store {
    pool: AnyPool,
    engine: Engine,
    /// The URL, kept to open PostgreSQL's listening connection.
    url: String,
}

impl Store {
    /// Opens (creating if needed) the database at `location` and applies the migrations.
    pub async fn open(location: &Location) -> Result<Store, String> {
        Self::open_capped(location, None).await
    }

    /// As [`Store::open`]; a SQLite file is capped at about `max_bytes` (SQLite's
    /// `max_page_count`): writes beyond it fail as on a full disk. For the tests of that path,
    /// and for operators who want a bound.
    pub async fn open_capped(location: &Location, max_bytes: Option<u64>) -> Result<Store, String> {
        sqlx::any::install_default_drivers();
        let (url, engine, shown) = match location {
            Location::DataDir(dir) => {
                prepare_dir(dir)?;
                let path = dir.join(DATABASE_FILE);
                let url = format!("sqlite://{}?mode=rwc", path.display());
                (url, Engine::Sqlite, format!("the workspace database '{}'", path.display()))
            }
            Location::Url(url) => {
                (url.expose().to_owned(), url.engine(), format!("the workspace database {url}"))
            }
        };
        let options = AnyConnectOptions::from_str(&url).map_err(|error| format!("{shown}: {error}"))?;
        let pool = AnyPoolOptions::new()
            .max_connections(match engine {
                Engine::Sqlite => 4,
                Engine::Postgres => 10,
            })
            .acquire_timeout(Duration::from_secs(10))
            .after_connect(move |connection, _meta| {
                Box::pin(async move {
                    if engine == Engine::Sqlite {
                        // WAL: readers never wait for the writer; FULL: a commit is on disk
                        // before it is acknowledged; a writer waits up to 5 s for another.
                        sqlx::raw_sql(
                            "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; \
                             PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;",
                        )
                        .execute(&mut *connection)
                        .await?;
                        if let Some(bytes) = max_bytes {
                            let pages = (bytes / 4096).max(16);
                            sqlx::raw_sql(sqlx::AssertSqlSafe(format!("PRAGMA max_page_count = {pages}")))
                                .execute(&mut *connection)
                                .await?;
                        }
                    }
                    Ok(())
                })
            })
            .connect_with(options)
            .await
            .map_err(|error| format!("cannot open {shown}: {error}"))?;
        let migrations = match engine {
            Engine::Sqlite => sqlx::migrate!("migrations/sqlite"),
            Engine::Postgres => sqlx::migrate!("migrations/postgres"),
        };
        migrations.run(&pool).await.map_err(|error| format!("cannot prepare {shown}: {error}"))?;
        Ok(Store { pool, engine, url })
    }

    /// The engine.
    pub fn engine(&self) -> Engine {
        self.engine
    }

    /// The pool, for reads that need no transaction.
    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// The database URL (PostgreSQL's listener opens its own connection with it).
    pub(crate) fn url(&self) -> &str {
        &self.url
    }

    /// Starts a transaction that will write: it commits whole or leaves nothing.
    pub async fn write(&self) -> StoreResult<Transaction<'static, Any>> {
        let transaction = match self.engine {
            Engine::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await?,
            Engine::Postgres => self.pool.begin().await?,
        };
        Ok(transaction)
    }

    /// What a `SELECT` that will be followed by a write of the same rows ends with.
    pub fn for_update(&self) -> &'static str {
        match self.engine {
            Engine::Sqlite => "",
            Engine::Postgres => " FOR UPDATE",
        }
    }

    /// Closes the pool (tests reopen the same database).
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

fn prepare_dir(dir: &Path) -> Result<(), String> {
    let shown = dir.display();
    if dir.exists() && !dir.is_dir() {
        return Err(format!("the data folder '{shown}' is a file; choose a folder with --data-dir"));
    }
    std::fs::create_dir_all(dir).map_err(|error| {
        format!("cannot create the data folder '{shown}': {error}; choose another with --data-dir")
    })
}

/// Milliseconds since the Unix epoch.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |elapsed| i64::try_from(elapsed.as_millis()).unwrap_or(i64::MAX))
}

/// A WhatsApp Business Account of the workspace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    /// The workspace's id.
    pub id: String,
    /// `sandbox` or `360dialog`.
    pub backend: String,
    /// The backend's id (360dialog's `…WA`).
    pub external_id: String,
    /// Meta's id of the WABA.
    pub waba_id: Option<String>,
    /// Its name.
    pub name: String,
    /// The stored connection it was last listed through; `None`: the connection from flags.
    pub connection_id: Option<String>,
}

const ACCOUNT_COLUMNS: &str = "id, backend, external_id, waba_id, name, connection_id";

fn account_from(row: &AnyRow) -> StoreResult<Account> {
    Ok(Account {
        id: row.try_get(0)?,
        backend: row.try_get(1)?,
        external_id: row.try_get(2)?,
        waba_id: row.try_get(3)?,
        name: row.try_get(4)?,
        connection_id: row.try_get(5)?,
    })
}

/// Adds an account, or refreshes its WABA id, name and connection (the last to list it);
/// answers it.
pub async fn upsert_account(
    connection: &mut AnyConnection,
    backend: &str,
    connection_id: Option<&str>,
    external_id: &str,
    waba_id: Option<&str>,
    name: &str,
    now: i64,
) -> StoreResult<Account> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "INSERT INTO accounts (id, backend, external_id, waba_id, name, created_at, updated_at, connection_id)
         VALUES ($1, $2, $3, $4, $5, $6, $6, $7)
         ON CONFLICT (backend, external_id) DO UPDATE SET waba_id = excluded.waba_id, name = excluded.name,
             updated_at = excluded.updated_at, connection_id = excluded.connection_id
         RETURNING {ACCOUNT_COLUMNS}"
    )))
    .bind(uuid::Uuid::new_v4().to_string())
    .bind(backend)
    .bind(external_id)
    .bind(waba_id)
    .bind(name)
    .bind(now)
    .bind(connection_id)
    .fetch_one(&mut *connection)
    .await?;
    account_from(&row)
}

/// Every account, by name.
pub async fn accounts(connection: &mut AnyConnection) -> StoreResult<Vec<Account>> {
    let rows =
        sqlx::query(sqlx::AssertSqlSafe(format!("SELECT {ACCOUNT_COLUMNS} FROM accounts ORDER BY name, id")))
            .fetch_all(&mut *connection)
            .await?;
    rows.iter().map(account_from).collect()
}

/// The account `id`.
pub async fn account(connection: &mut AnyConnection, id: &str) -> StoreResult<Option<Account>> {
    let row =
        sqlx::query(sqlx::AssertSqlSafe(format!("SELECT {ACCOUNT_COLUMNS} FROM accounts WHERE id = $1")))
            .bind(id)
            .fetch_optional(&mut *connection)
            .await?;
    row.as_ref().map(account_from).transpose()
}

/// A flow as stored; `json_definition` is read only when asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flow {
    /// The workspace's id.
    pub id: String,
    /// Its account.
    pub account_id: String,
    /// Its name (unique per account outside the trash).
    pub name: String,
    /// Its categories, as a JSON array.
    pub categories: String,
    /// WhatsApp's status (`DRAFT` until published).
    pub status: String,
    /// WhatsApp's flow id once saved there.
    pub meta_flow_id: Option<String>,
    /// The flow.json text exactly as written, when read.
    pub json_definition: Option<String>,
    /// Its revision: 1 when created, one more at each change.
    pub revision: i64,
    /// The revision whose flow.json WhatsApp has (saved there, or synced from there).
    pub meta_revision: Option<i64>,
    /// SHA-256 of the flow.json WhatsApp has, as last seen.
    pub meta_json_sha256: Option<String>,
    /// Meta's validation errors of that flow.json, as a JSON array.
    pub validation_errors: String,
    /// When a sync found WhatsApp's flow.json changed while this one had unsaved changes.
    pub conflict_at: Option<i64>,
    /// The flow this one was made from (a new draft of a published flow).
    pub source_flow_id: Option<String>,
    /// Who created it.
    pub created_by: String,
    /// When.
    pub created_at: i64,
    /// Who changed it last.
    pub updated_by: String,
    /// When.
    pub updated_at: i64,
    /// Who put it in the trash.
    pub deleted_by: Option<String>,
    /// When (it is purged 30 days later).
    pub deleted_at: Option<i64>,
}

const FLOW_COLUMNS: &str = "id, account_id, name, categories, status, meta_flow_id, revision, meta_revision, \
    meta_json_sha256, validation_errors, conflict_at, source_flow_id, created_by, created_at, updated_by, \
    updated_at, deleted_by, deleted_at";

fn flow_from(row: &AnyRow, with_json: bool) -> StoreResult<Flow> {
    Ok(Flow {
        id: row.try_get(0)?,
        account_id: row.try_get(1)?,
        name: row.try_get(2)?,
        categories: row.try_get(3)?,
        status: row.try_get(4)?,
        meta_flow_id: row.try_get(5)?,
        revision: row.try_get(6)?,
        meta_revision: row.try_get(7)?,
        meta_json_sha256: row.try_get(8)?,
        validation_errors: row.try_get(9)?,
        conflict_at: row.try_get(10)?,
        source_flow_id: row.try_get(11)?,
        created_by: row.try_get(12)?,
        created_at: row.try_get(13)?,
        updated_by: row.try_get(14)?,
        updated_at: row.try_get(15)?,
        deleted_by: row.try_get(16)?,
        deleted_at: row.try_get(17)?,
        json_definition: if with_json { Some(row.try_get(18)?) } else { None },
    })
}

/// The flow `id` (trashed or not), with its flow.json when `with_json`; `lock` is the store's
/// [`Store::for_update`] when the caller will write it in the same transaction.
pub async fn flow(
    connection: &mut AnyConnection,
    id: &str,
    with_json: bool,
    lock: &str,
) -> StoreResult<Option<Flow>> {
    let json = if with_json { ", json_definition" } else { "" };
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {FLOW_COLUMNS}{json} FROM flows WHERE id = $1{lock}"
    )))
    .bind(id)
    .fetch_optional(&mut *connection)
    .await?;
    row.as_ref().map(|row| flow_from(row, with_json)).transpose()
}

/// The flow of `account_id` that is WhatsApp's `meta_flow_id`, trashed or not.
pub async fn flow_by_meta_id(
    connection: &mut AnyConnection,
    account_id: &str,
    meta_flow_id: &str,
    lock: &str,
) -> StoreResult<Option<Flow>> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {FLOW_COLUMNS}, json_definition FROM flows WHERE account_id = $1 AND meta_flow_id = $2{lock}"
    )))
    .bind(account_id)
    .bind(meta_flow_id)
    .fetch_optional(&mut *connection)
    .await?;
    row.as_ref().map(|row| flow_from(row, true)).transpose()
}

/// A flow to insert.
#[derive(Debug, Clone)]
pub struct NewFlow<'a> {
    /// Its id.
    pub id: &'a str,
    /// Its account.
    pub account_id: &'a str,
    /// Its name.
    pub name: &'a str,
    /// Its categories as a JSON array.
    pub categories: &'a str,
    /// Its status.
    pub status: &'a str,
    /// WhatsApp's id, when it comes from there.
    pub meta_flow_id: Option<&'a str>,
    /// The flow.json text.
    pub json_definition: &'a str,
    /// When it comes from WhatsApp: SHA-256 of that flow.json (revision 1 is WhatsApp's).
    pub meta_json_sha256: Option<&'a str>,
    /// Meta's validation errors (JSON array).
    pub validation_errors: &'a str,
    /// The flow it was made from.
    pub source_flow_id: Option<&'a str>,
    /// Who.
    pub author: &'a str,
    /// When.
    pub now: i64,
}

/// Inserts a flow at revision 1.
pub async fn insert_flow(connection: &mut AnyConnection, flow: &NewFlow<'_>) -> StoreResult<()> {
    let meta_revision: Option<i64> = flow.meta_json_sha256.map(|_| 1);
    sqlx::query(
        "INSERT INTO flows (id, account_id, name, name_folded, categories, status, meta_flow_id, json_definition,
             revision, meta_revision, meta_json_sha256, validation_errors, source_flow_id,
             created_by, created_at, updated_by, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1, $9, $10, $11, $12, $13, $14, $13, $14)",
    )
    .bind(flow.id)
    .bind(flow.account_id)
    .bind(flow.name)
    .bind(fold(flow.name))
    .bind(flow.categories)
    .bind(flow.status)
    .bind(flow.meta_flow_id)
    .bind(flow.json_definition)
    .bind(meta_revision)
    .bind(flow.meta_json_sha256)
    .bind(flow.validation_errors)
    .bind(flow.source_flow_id)
    .bind(flow.author)
    .bind(flow.now)
    .execute(&mut *connection)
    .await?;
    Ok(())
}

/// How a name is searched: lower case (Unicode), so `q` matches whatever the case.
pub fn fold(name: &str) -> String {
    name.to_lowercase()
}

/// A change of a flow's content or name, applied only if the flow is still at `expected`.
#[derive(Debug, Clone)]
pub struct Change<'a> {
    /// The revision the writer last saw.
    pub expected: i64,
    /// The new name, if it changes.
    pub name: Option<&'a str>,
    /// The new categories (JSON array), if they change.
    pub categories: Option<&'a str>,
    /// The new flow.json, if it changes.
    pub json_definition: Option<&'a str>,
    /// Who.
    pub author: &'a str,
    /// When.
    pub now: i64,
}

/// Applies `change` if the flow is at `change.expected` (compare and swap in one statement, so
/// of two writers of the same revision exactly one wins); answers the new revision, or `None`
/// when the flow moved on (or does not exist, or is in the trash).
pub async fn change_flow(
    connection: &mut AnyConnection,
    id: &str,
    change: &Change<'_>,
) -> StoreResult<Option<i64>> {
    let folded = change.name.map(fold);
    let row = sqlx::query(
        "UPDATE flows SET revision = revision + 1,
             name = COALESCE($3, name), name_folded = COALESCE($4, name_folded),
             categories = COALESCE($5, categories), json_definition = COALESCE($6, json_definition),
             updated_by = $7, updated_at = $8
         WHERE id = $1 AND revision = $2 AND deleted_at IS NULL
         RETURNING revision",
    )
    .bind(id)
    .bind(change.expected)
    .bind(change.name)
    .bind(folded)
    .bind(change.categories)
    .bind(change.json_definition)
    .bind(change.author)
    .bind(change.now)
    .fetch_optional(&mut *connection)
    .await?;
    row.map(|row| row.try_get::<i64, _>(0)).transpose().map_err(StoreError::from)
}

/// Records what WhatsApp has of the flow: its id, the revision it holds, that text's hash and
/// Meta's errors, and (when given) its status.
pub async fn set_whatsapp_state(
    connection: &mut AnyConnection,
    id: &str,
    state: &WhatsAppState<'_>,
) -> StoreResult<()> {
    sqlx::query(
        "UPDATE flows SET meta_flow_id = COALESCE($2, meta_flow_id), meta_revision = COALESCE($3, meta_revision),
             meta_json_sha256 = COALESCE($4, meta_json_sha256), validation_errors = COALESCE($5, validation_errors),
             status = COALESCE($6, status)
         WHERE id = $1",
    )
    .bind(id)
    .bind(state.meta_flow_id)
    .bind(state.meta_revision)
    .bind(state.meta_json_sha256)
    .bind(state.validation_errors)
    .bind(state.status)
    .execute(&mut *connection)
    .await?;
    Ok(())
}

/// What is known of a flow on WhatsApp; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct WhatsAppState<'a> {
    /// WhatsApp's id.
    pub meta_flow_id: Option<&'a str>,
    /// The revision WhatsApp holds.
    pub meta_revision: Option<i64>,
    /// SHA-256 of the flow.json WhatsApp holds.
    pub meta_json_sha256: Option<&'a str>,
    /// Meta's validation errors (JSON array).
    pub validation_errors: Option<&'a str>,
    /// Its status.
    pub status: Option<&'a str>,
}

/// Sets or clears a sync conflict (WhatsApp's newer flow.json beside unsaved local work).
pub async fn set_conflict(
    connection: &mut AnyConnection,
    id: &str,
    conflict: Option<(&str, i64)>,
) -> StoreResult<()> {
    sqlx::query("UPDATE flows SET conflict_json = $2, conflict_at = $3 WHERE id = $1")
        .bind(id)
        .bind(conflict.map(|(text, _)| text))
        .bind(conflict.map(|(_, at)| at))
        .execute(&mut *connection)
        .await?;
    Ok(())
}

/// WhatsApp's flow.json of a sync conflict.
pub async fn conflict_json(connection: &mut AnyConnection, id: &str) -> StoreResult<Option<String>> {
    let row = sqlx::query("SELECT conflict_json FROM flows WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut *connection)
        .await?;
    Ok(row.map(|row| row.try_get::<Option<String>, _>(0)).transpose()?.flatten())
}

/// Puts a flow in the trash (or takes it out with `None`).
pub async fn set_trashed(
    connection: &mut AnyConnection,
    id: &str,
    trashed: Option<(&str, i64)>,
    new_name: Option<&str>,
) -> StoreResult<bool> {
    let done = sqlx::query(
        "UPDATE flows SET deleted_by = $2, deleted_at = $3,
             name = COALESCE($4, name), name_folded = COALESCE($5, name_folded)
         WHERE id = $1",
    )
    .bind(id)
    .bind(trashed.map(|(who, _)| who))
    .bind(trashed.map(|(_, at)| at))
    .bind(new_name)
    .bind(new_name.map(fold))
    .execute(&mut *connection)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Deletes for good the flows trashed before `before`, with their versions; answers how many.
pub async fn purge_trash(connection: &mut AnyConnection, before: i64) -> StoreResult<u64> {
    sqlx::query("DELETE FROM versions WHERE flow_id IN (SELECT id FROM flows WHERE deleted_at < $1)")
        .bind(before)
        .execute(&mut *connection)
        .await?;
    let done =
        sqlx::query("DELETE FROM flows WHERE deleted_at < $1").bind(before).execute(&mut *connection).await?;
    Ok(done.rows_affected())
}

/// Whether a flow of `account_id` outside the trash is called `name` (other than `except`).
pub async fn name_taken(
    connection: &mut AnyConnection,
    account_id: &str,
    name: &str,
    except: Option<&str>,
) -> StoreResult<bool> {
    let row = sqlx::query(
        "SELECT COUNT(*) FROM flows WHERE account_id = $1 AND name = $2 AND deleted_at IS NULL AND id <> $3",
    )
    .bind(account_id)
    .bind(name)
    .bind(except.unwrap_or(""))
    .fetch_one(&mut *connection)
    .await?;
    Ok(row.try_get::<i64, _>(0)? > 0)
}

/// How a list of flows is ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sort {
    /// Most recently changed first (the default).
    UpdatedDesc,
    /// Least recently changed first.
    UpdatedAsc,
    /// By name, A to Z.
    NameAsc,
    /// By name, Z to A.
    NameDesc,
    /// Newest first.
    CreatedDesc,
}

impl Sort {
    /// The sort a `sort=` value names: `updated`, `-updated`, `name`, `-name`, `-created`.
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "-updated" | "-updated_at" => Some(Sort::UpdatedDesc),
            "updated" | "updated_at" => Some(Sort::UpdatedAsc),
            "name" => Some(Sort::NameAsc),
            "-name" => Some(Sort::NameDesc),
            "-created" | "-created_at" => Some(Sort::CreatedDesc),
            _ => None,
        }
    }

    fn sql(self) -> &'static str {
        match self {
            // Ties broken in the same direction: one index serves both (migration 0005).
            Sort::UpdatedDesc => "updated_at DESC, id DESC",
            Sort::UpdatedAsc => "updated_at, id",
            Sort::NameAsc => "name_folded, id",
            Sort::NameDesc => "name_folded DESC, id DESC",
            Sort::CreatedDesc => "created_at DESC, id DESC",
        }
    }
}

/// What a list of flows is filtered by.
#[derive(Debug, Clone)]
pub struct ListQuery {
    /// 1-based page.
    pub page: i64,
    /// Flows per page.
    pub limit: i64,
    /// Only this status.
    pub status: Option<String>,
    /// Only this account.
    pub account_id: Option<String>,
    /// Only names containing this text (any case).
    pub text: Option<String>,
    /// The trash instead of the live flows.
    pub trash: bool,
    /// The order.
    pub sort: Sort,
    /// Only the accounts these connections reach (`None`: every account).
    pub reach: Option<crate::backend::Reachable>,
}

/// One page of flows (without their flow.json) and how many match in all.
pub async fn list_flows(connection: &mut AnyConnection, query: &ListQuery) -> StoreResult<(Vec<Flow>, i64)> {
    let pattern = query.text.as_deref().map(|text| {
        let escaped = fold(text).replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
        format!("%{escaped}%")
    });
    let trash = if query.trash { "deleted_at IS NOT NULL" } else { "deleted_at IS NULL" };
    // The accounts of the backends this server reaches, read first (a few rows) and given as
    // values: as `account_id IN (SELECT … FROM accounts …)` PostgreSQL guessed that 50 of
    // 10,000 flows match and sorted them all rather than read an index in order, and SQLite
    // searched `flows_by_account`, whose rows it then read (BENCHMARKS.md).
    let accounts = match &query.reach {
        None => None,
        Some(reach) => {
            // Accounts of the flags' backends have no connection; the others name theirs.
            let mut values: Vec<&str> = Vec::new();
            let mut conditions = Vec::new();
            for (list, condition) in [
                (&reach.kinds, "(connection_id IS NULL AND backend IN ({}))"),
                (&reach.connections, "connection_id IN ({})"),
            ] {
                if list.is_empty() {
                    continue;
                }
                let start = values.len();
                values.extend(list.iter().map(String::as_str));
                let marks: Vec<String> = (start + 1..=values.len()).map(|n| format!("${n}")).collect();
                conditions.push(condition.replace("{}", &marks.join(", ")));
            }
            if conditions.is_empty() {
                return Ok((Vec::new(), 0));
            }
            let mut select = sqlx::query(sqlx::AssertSqlSafe(format!(
                "SELECT id FROM accounts WHERE {} ORDER BY id",
                conditions.join(" OR ")
            )));
            for value in values {
                select = select.bind(value);
            }
            let rows = select.fetch_all(&mut *connection).await?;
            let ids = rows.iter().map(|row| row.try_get::<String, _>(0)).collect::<Result<Vec<_>, _>>()?;
            if ids.is_empty() {
                return Ok((Vec::new(), 0));
            }
            Some(ids)
        }
    };
    // Only the conditions asked for: with `($1 IS NULL OR status = $1)` and the like,
    // PostgreSQL's generic plan of the prepared statement guessed that few flows match and
    // walked every flow's row in order rather than an index (BENCHMARKS.md).
    let mut filter = trash.to_owned();
    let mut values: Vec<&str> = Vec::new();
    if let Some(ids) = &accounts {
        let marks: Vec<String> = (1..=ids.len()).map(|n| format!("${n}")).collect();
        filter.push_str(&format!(" AND account_id IN ({})", marks.join(", ")));
        values.extend(ids.iter().map(String::as_str));
    }
    for (condition, value) in [
        ("status = {}", query.status.as_deref()),
        ("account_id = {}", query.account_id.as_deref()),
        ("name_folded LIKE {} ESCAPE '\\'", pattern.as_deref()),
    ] {
        if let Some(value) = value {
            values.push(value);
            filter.push_str(" AND ");
            filter.push_str(&condition.replace("{}", &format!("${}", values.len())));
        }
    }
    let mut count = sqlx::query(sqlx::AssertSqlSafe(format!("SELECT COUNT(*) FROM flows WHERE {filter}")));
    for value in &values {
        count = count.bind(*value);
    }
    let total: i64 = count.fetch_one(&mut *connection).await?.try_get(0)?;
    // The page's ids first, from a listing index alone (migrations 0002 and 0005:
    // `flows_listing_*` on SQLite, `flows_live_*` on PostgreSQL), then only those rows: a page
    // never reads the other flows' rows, which are wide (in SQLite, the columns after the
    // flow.json sit in its overflow pages).
    let order = query.sort.sql();
    let (limit, offset) = (values.len() + 1, values.len() + 2);
    let mut page = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {FLOW_COLUMNS} FROM flows WHERE id IN \
         (SELECT id FROM flows WHERE {filter} ORDER BY {order} LIMIT ${limit} OFFSET ${offset}) ORDER BY {order}"
    )));
    for value in &values {
        page = page.bind(*value);
    }
    let rows = page
        .bind(query.limit)
        .bind((query.page - 1).saturating_mul(query.limit))
        .fetch_all(&mut *connection)
        .await?;
    let flows = rows.iter().map(|row| flow_from(row, false)).collect::<StoreResult<Vec<_>>>()?;
    Ok((flows, total))
}

/// Every flow of an account (trashed too), with WhatsApp's id when it has one: what sync
/// compares against.
pub async fn flows_of_account(connection: &mut AnyConnection, account_id: &str) -> StoreResult<Vec<Flow>> {
    let rows =
        sqlx::query(sqlx::AssertSqlSafe(format!("SELECT {FLOW_COLUMNS} FROM flows WHERE account_id = $1")))
            .bind(account_id)
            .fetch_all(&mut *connection)
            .await?;
    rows.iter().map(|row| flow_from(row, false)).collect()
}

/// A saved state of a flow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Version {
    /// The flow.
    pub flow_id: String,
    /// The revision this state was.
    pub revision: i64,
    /// The flow's name then.
    pub name: String,
    /// The flow.json text, when read.
    pub json_definition: Option<String>,
    /// Why it was kept: `created`, `autosave`, `named`, `saved_to_whatsapp`, `published`,
    /// `restored`, `synced`.
    pub reason: String,
    /// The user's name for it, or what it was restored from.
    pub label: Option<String>,
    /// Who.
    pub author: String,
    /// When.
    pub created_at: i64,
    /// Meta's validation errors when it was saved to WhatsApp (JSON array).
    pub validation_errors: Option<String>,
}

const VERSION_COLUMNS: &str = "flow_id, revision, name, reason, label, author, created_at, validation_errors";

fn version_from(row: &AnyRow, with_json: bool) -> StoreResult<Version> {
    Ok(Version {
        flow_id: row.try_get(0)?,
        revision: row.try_get(1)?,
        name: row.try_get(2)?,
        reason: row.try_get(3)?,
        label: row.try_get(4)?,
        author: row.try_get(5)?,
        created_at: row.try_get(6)?,
        validation_errors: row.try_get(7)?,
        json_definition: if with_json { Some(row.try_get(8)?) } else { None },
    })
}

/// Keeps a state of a flow.
pub async fn insert_version(connection: &mut AnyConnection, version: &Version) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO versions (flow_id, revision, name, json_definition, reason, label, author, created_at,
             validation_errors)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(&version.flow_id)
    .bind(version.revision)
    .bind(&version.name)
    .bind(version.json_definition.as_deref().unwrap_or_default())
    .bind(&version.reason)
    .bind(version.label.as_deref())
    .bind(&version.author)
    .bind(version.created_at)
    .bind(version.validation_errors.as_deref())
    .execute(&mut *connection)
    .await?;
    Ok(())
}

/// The newest version of a flow (without its text).
pub async fn latest_version(connection: &mut AnyConnection, flow_id: &str) -> StoreResult<Option<Version>> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {VERSION_COLUMNS} FROM versions WHERE flow_id = $1 ORDER BY revision DESC LIMIT 1"
    )))
    .bind(flow_id)
    .fetch_optional(&mut *connection)
    .await?;
    row.as_ref().map(|row| version_from(row, false)).transpose()
}

/// Deletes one version (an autosave replaced by the next one of the same burst).
pub async fn delete_version(connection: &mut AnyConnection, flow_id: &str, revision: i64) -> StoreResult<()> {
    sqlx::query("DELETE FROM versions WHERE flow_id = $1 AND revision = $2")
        .bind(flow_id)
        .bind(revision)
        .execute(&mut *connection)
        .await?;
    Ok(())
}

/// Marks a version: a new reason, and optionally a label and Meta's errors.
pub async fn mark_version(
    connection: &mut AnyConnection,
    flow_id: &str,
    revision: i64,
    reason: &str,
    label: Option<&str>,
    validation_errors: Option<&str>,
) -> StoreResult<bool> {
    let done = sqlx::query(
        "UPDATE versions SET reason = $3, label = COALESCE($4, label),
             validation_errors = COALESCE($5, validation_errors)
         WHERE flow_id = $1 AND revision = $2",
    )
    .bind(flow_id)
    .bind(revision)
    .bind(reason)
    .bind(label)
    .bind(validation_errors)
    .execute(&mut *connection)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The versions of a flow, newest first (without their text).
pub async fn versions(connection: &mut AnyConnection, flow_id: &str) -> StoreResult<Vec<Version>> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {VERSION_COLUMNS} FROM versions WHERE flow_id = $1 ORDER BY revision DESC"
    )))
    .bind(flow_id)
    .fetch_all(&mut *connection)
    .await?;
    rows.iter().map(|row| version_from(row, false)).collect()
}

/// One version with its text.
pub async fn version(
    connection: &mut AnyConnection,
    flow_id: &str,
    revision: i64,
) -> StoreResult<Option<Version>> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {VERSION_COLUMNS}, json_definition FROM versions WHERE flow_id = $1 AND revision = $2"
    )))
    .bind(flow_id)
    .bind(revision)
    .fetch_optional(&mut *connection)
    .await?;
    row.as_ref().map(|row| version_from(row, true)).transpose()
}

/// An entry of the event log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    /// Its place in the log (increasing).
    pub id: i64,
    /// When.
    pub at: i64,
    /// Who.
    pub actor: String,
    /// What: `flow.created`, `flow.changed`, `flow.deleted`, …
    pub kind: String,
    /// The account concerned.
    pub account_id: Option<String>,
    /// The flow concerned.
    pub flow_id: Option<String>,
    /// The flow's revision after it.
    pub revision: Option<i64>,
    /// More, as a JSON object.
    pub detail: String,
}

/// Appends to the event log; answers the entry with its id.
pub async fn insert_event(connection: &mut AnyConnection, event: &Event) -> StoreResult<Event> {
    let row = sqlx::query(
        "INSERT INTO events (at, actor, kind, account_id, flow_id, revision, detail)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(event.at)
    .bind(&event.actor)
    .bind(&event.kind)
    .bind(event.account_id.as_deref())
    .bind(event.flow_id.as_deref())
    .bind(event.revision)
    .bind(&event.detail)
    .fetch_one(&mut *connection)
    .await?;
    Ok(Event { id: row.try_get(0)?, ..event.clone() })
}

/// The entries after `after`, oldest first, at most `limit`.
pub async fn events_after(connection: &mut AnyConnection, after: i64, limit: i64) -> StoreResult<Vec<Event>> {
    let rows = sqlx::query(
        "SELECT id, at, actor, kind, account_id, flow_id, revision, detail FROM events WHERE id > $1
         ORDER BY id LIMIT $2",
    )
    .bind(after)
    .bind(limit)
    .fetch_all(&mut *connection)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(Event {
                id: row.try_get(0)?,
                at: row.try_get(1)?,
                actor: row.try_get(2)?,
                kind: row.try_get(3)?,
                account_id: row.try_get(4)?,
                flow_id: row.try_get(5)?,
                revision: row.try_get(6)?,
                detail: row.try_get(7)?,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn database_urls_hide_their_password() {
        let url = DatabaseUrl::parse("postgres://flowsmith:s3cret@db.example.com:5432/work").unwrap();
        assert_eq!(url.engine(), Engine::Postgres);
        assert!(!format!("{url} {url:?}").contains("s3cret"), "{url:?}");
        assert_eq!(url.expose(), "postgres://flowsmith:s3cret@db.example.com:5432/work");
        assert_eq!(DatabaseUrl::parse("sqlite:///tmp/w.sqlite3").unwrap().engine(), Engine::Sqlite);
        let refused = DatabaseUrl::parse("mysql://root:pw@localhost/x").unwrap_err();
        assert!(refused.contains("postgres://") && !refused.contains(":pw@"), "{refused}");
    }

    #[test]
    fn sorts_have_names() {
        assert_eq!(Sort::parse("-updated"), Some(Sort::UpdatedDesc));
        assert_eq!(Sort::parse("name"), Some(Sort::NameAsc));
        assert_eq!(Sort::parse("updated; DROP TABLE flows"), None);
    }
}
