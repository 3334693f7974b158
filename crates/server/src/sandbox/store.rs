//! The sandbox's SQLite database in the data folder.
//!
//! One connection behind a mutex, used from the blocking pool: every request's work is one
//! `BEGIN IMMEDIATE` transaction, so concurrent requests are serialised, each sees the state
//! the previous one left, and a failure (including a full disk) rolls back to nothing written.
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use rusqlite::{Connection, ErrorCode, Transaction, TransactionBehavior};

use crate::error::ApiError;

/// The database file inside the data folder.
pub const DATABASE_FILE: &str = "sandbox.sqlite3";

/// The schema; `user_version` says which one a file has (2: the business public keys, 3: their
/// signature status). A file is brought up to date by the steps after its version ([`STEPS`]).
const SCHEMA_VERSION: i64 = 3;
const SCHEMA: &str = "
CREATE TABLE partners (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL
);
CREATE TABLE waba_accounts (
    id TEXT PRIMARY KEY,
    partner_id TEXT NOT NULL REFERENCES partners(id),
    meta_id TEXT NOT NULL,
    name TEXT NOT NULL,
    currency TEXT NOT NULL,
    timezone_id TEXT NOT NULL,
    namespace TEXT NOT NULL,
    channel_id TEXT NOT NULL,
    client_id TEXT NOT NULL,
    phone_number TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE TABLE flows (
    id TEXT PRIMARY KEY,
    waba_id TEXT NOT NULL REFERENCES waba_accounts(id),
    name TEXT NOT NULL,
    categories TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('DRAFT', 'PUBLISHED', 'THROTTLED', 'BLOCKED', 'DEPRECATED')),
    has_published INTEGER NOT NULL DEFAULT 0,
    published_versions INTEGER NOT NULL DEFAULT 0,
    endpoint_uri TEXT,
    flow_json BLOB,
    published_json BLOB,
    asset_token TEXT UNIQUE,
    validation_errors TEXT NOT NULL DEFAULT '[]',
    json_version TEXT,
    data_api_version TEXT,
    data_channel_uri TEXT,
    preview_token TEXT UNIQUE,
    preview_expires_at INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    UNIQUE (waba_id, name)
);
CREATE INDEX flows_by_waba ON flows (waba_id, seq);
";

/// What version 2 adds: the business public key of each WABA's phone number (Meta keeps one per
/// phone number; a sandbox WABA has one number), see `encryption.rs`.
const SCHEMA_2: &str = "
CREATE TABLE business_public_keys (
    waba_id TEXT PRIMARY KEY REFERENCES waba_accounts(id),
    public_key TEXT NOT NULL,
    uploaded_at INTEGER NOT NULL
);
";

/// What version 3 adds: Meta's signature status of the held key, `MISMATCH` once the number is
/// registered again (`POST /sandbox/control/phone_numbers/{id}/register`) until a new upload.
const SCHEMA_3: &str = "
ALTER TABLE business_public_keys ADD COLUMN signature_status TEXT NOT NULL DEFAULT 'VALID'
    CHECK (signature_status IN ('VALID', 'MISMATCH'));
";

/// What each version adds, in order: a file of version `n` takes the steps from `STEPS[n]` on.
const STEPS: [&str; SCHEMA_VERSION as usize] = [SCHEMA, SCHEMA_2, SCHEMA_3];

/// Why the data folder or its database cannot be used at start.
#[derive(Debug)]
pub struct OpenError(pub String);

/// The sandbox's store.
#[derive(Clone)]
pub struct Store {
    connection: Arc<Mutex<Connection>>,
    path: PathBuf,
}

impl Store {
    /// Opens (creating if needed) the database in `dir`, and seeds a new one.
    pub fn open(dir: &Path) -> Result<Store, OpenError> {
        let shown = dir.display();
        if dir.exists() && !dir.is_dir() {
            return Err(OpenError(format!(
                "the data folder '{shown}' is a file; choose a folder with --data-dir"
            )));
        }
        std::fs::create_dir_all(dir).map_err(|error| {
            OpenError(format!(
                "cannot create the data folder '{shown}': {error}; choose another with --data-dir"
            ))
        })?;
        let path = dir.join(DATABASE_FILE);
        let connection = Connection::open(&path).map_err(|error| {
            OpenError(format!("cannot open the sandbox database '{}': {error}", path.display()))
        })?;
        let store = Store { connection: Arc::new(Mutex::new(connection)), path };
        store.prepare().map_err(|error| {
            OpenError(format!(
                "cannot use the sandbox database '{}': {}; check that the data folder is writable and has \
                 free space, or move the file away to start afresh",
                store.path.display(),
                describe(&error)
            ))
        })?;
        Ok(store)
    }

    /// Where the database file is.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn prepare(&self) -> rusqlite::Result<()> {
        let mut connection = self.connection.lock().unwrap_or_else(PoisonError::into_inner);
        connection.busy_timeout(std::time::Duration::from_secs(5))?;
        connection.execute_batch(
            "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;",
        )?;
        let transaction = connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let version: i64 = transaction.pragma_query_value(None, "user_version", |row| row.get(0))?;
        match version {
            older @ 0..SCHEMA_VERSION => {
                for step in &STEPS[usize::try_from(older).unwrap_or_default()..] {
                    transaction.execute_batch(step)?;
                }
                transaction.pragma_update(None, "user_version", SCHEMA_VERSION)?;
                if older == 0 {
                    super::seed::seed(&transaction, super::now())?;
                }
            }
            SCHEMA_VERSION => {}
            newer => {
                return Err(rusqlite::Error::InvalidParameterName(format!(
                    "the database has schema version {newer}, newer than this flowsmith knows ({SCHEMA_VERSION})"
                )));
            }
        }
        transaction.commit()
    }

    /// Caps the database at about `bytes` (SQLite's `max_page_count`): writes beyond it fail
    /// as on a full disk. For tests of that path, and for operators who want a bound.
    pub fn cap_size(&self, bytes: u64) -> rusqlite::Result<()> {
        let connection = self.connection.lock().unwrap_or_else(PoisonError::into_inner);
        let page_size: i64 = connection.pragma_query_value(None, "page_size", |row| row.get(0))?;
        let pages = (bytes / u64::try_from(page_size.max(1)).unwrap_or(4096)).max(1);
        connection.execute_batch(&format!("PRAGMA max_page_count = {pages}"))
    }

    /// Runs `work` in one immediate transaction on the blocking pool: committed when it
    /// returns `Ok`, rolled back (nothing written) when it returns `Err` or the commit fails.
    pub async fn run<T, F>(&self, work: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&Transaction<'_>) -> Result<T, ApiError> + Send + 'static,
    {
        let connection = Arc::clone(&self.connection);
        let task = tokio::task::spawn_blocking(move || {
            let mut connection = connection.lock().unwrap_or_else(PoisonError::into_inner);
            let transaction = connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let value = work(&transaction)?;
            transaction.commit()?;
            Ok(value)
        });
        task.await.map_err(|error| ApiError::Internal(format!("sandbox task failed: {error}")))?
    }
}

fn describe(error: &rusqlite::Error) -> String {
    match error.sqlite_error_code() {
        Some(ErrorCode::DiskFull) => "the disk is full".to_owned(),
        Some(ErrorCode::ReadOnly) => "the folder or file is read-only".to_owned(),
        Some(ErrorCode::NotADatabase) => "the file is not a SQLite database".to_owned(),
        Some(ErrorCode::CannotOpen | ErrorCode::PermissionDenied) => "permission denied".to_owned(),
        _ => error.to_string(),
    }
}

impl From<rusqlite::Error> for ApiError {
    fn from(error: rusqlite::Error) -> Self {
        match error.sqlite_error_code() {
            Some(ErrorCode::DiskFull) => ApiError::StorageFull(
                "The sandbox's data folder is full; free some disk space and try again. Nothing was saved."
                    .to_owned(),
            ),
            Some(ErrorCode::ReadOnly | ErrorCode::CannotOpen | ErrorCode::PermissionDenied) => {
                ApiError::StorageUnavailable(
                    "The sandbox's data folder cannot be written (read-only or no permission). Nothing was \
                     saved."
                        .to_owned(),
                )
            }
            Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => ApiError::StorageUnavailable(
                "The sandbox's database is busy (another process holds it); try again. Nothing was saved."
                    .to_owned(),
            ),
            _ => ApiError::Internal(format!("sandbox database: {error}")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Opens, with this build, a file left at `version` by an older one (its steps, then
    /// `rows`), and answers `read` of the result and the version the file has then.
    fn upgraded<T>(version: usize, rows: &str, read: impl FnOnce(&Connection) -> T) -> (i64, T) {
        let dir = std::env::temp_dir().join(format!("flowsmith-sandbox-v{version}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        {
            let connection = Connection::open(dir.join(DATABASE_FILE)).unwrap();
            for step in &STEPS[..version] {
                connection.execute_batch(step).unwrap();
            }
            connection.execute_batch(rows).unwrap();
            connection.pragma_update(None, "user_version", i64::try_from(version).unwrap()).unwrap();
        }
        let store = Store::open(&dir).unwrap();
        let connection = store.connection.lock().unwrap();
        let now: i64 = connection.pragma_query_value(None, "user_version", |row| row.get(0)).unwrap();
        let read = read(&connection);
        drop(connection);
        std::fs::remove_dir_all(&dir).unwrap();
        (now, read)
    }

    const OLD_PARTNER: &str = "INSERT INTO partners (id, name) VALUES ('oldPA', 'Old');";

    #[test]
    fn a_version_1_database_gets_the_business_public_keys_and_keeps_its_flows() {
        let count = |connection: &Connection, table: &str| -> i64 {
            connection.query_row(&format!("SELECT COUNT(*) FROM {table}"), [], |row| row.get(0)).unwrap()
        };
        let (version, counts) = upgraded(1, OLD_PARTNER, |connection| {
            (count(connection, "business_public_keys"), count(connection, "partners"))
        });
        assert_eq!((version, counts), (SCHEMA_VERSION, (0, 1)));
    }

    #[test]
    fn a_version_2_database_keeps_its_keys_and_reads_them_valid() {
        let rows = format!(
            "{OLD_PARTNER}
             INSERT INTO waba_accounts (id, partner_id, meta_id, name, currency, timezone_id, namespace,
                 channel_id, client_id, phone_number, created_at)
             VALUES ('oldWA', 'oldPA', '1', 'Old', 'EUR', '1', 'ns', 'ch', 'cl', '+1', 0);
             INSERT INTO business_public_keys (waba_id, public_key, uploaded_at) VALUES ('oldWA', 'PEM', 1);"
        );
        let (version, held) = upgraded(2, &rows, |connection| {
            connection
                .query_row("SELECT public_key, signature_status FROM business_public_keys", [], |row| {
                    Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?))
                })
                .unwrap()
        });
        assert_eq!((version, held), (SCHEMA_VERSION, ("PEM".to_owned(), "VALID".to_owned())));
    }
}
