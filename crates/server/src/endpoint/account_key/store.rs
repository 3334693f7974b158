//! The SQL of accounts' endpoint keys (migration 0009, both engines): the private key only
//! sealed.
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row as _};

use crate::connections::key::Sealed;
use crate::workspace::store::StoreResult;

/// An account's key pair as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyRow {
    /// The workspace's id of the account.
    pub account_id: String,
    /// The public key, SPKI PEM.
    pub public_key_pem: String,
    /// `SHA256:` and the hex SHA-256 of the public key's DER.
    pub fingerprint: String,
    /// The private key (PKCS#8 PEM), sealed.
    pub sealed: Sealed,
    /// `generated` or `imported`.
    pub origin: String,
    /// Who made or imported it.
    pub created_by: String,
    /// When (milliseconds).
    pub created_at: i64,
    /// Who downloaded the private key, once.
    pub downloaded_by: Option<String>,
    /// When.
    pub downloaded_at: Option<i64>,
    /// Who last uploaded the public key to WhatsApp.
    pub uploaded_by: Option<String>,
    /// When.
    pub uploaded_at: Option<i64>,
    /// What WhatsApp last said of it (`VALID`, `MISMATCH`).
    pub signature_status: Option<String>,
    /// When that was asked.
    pub status_checked_at: Option<i64>,
}

const COLUMNS: &str = "account_id, public_key_pem, fingerprint, private_sealed, key_id, origin, created_by, \
                       created_at, downloaded_by, downloaded_at, uploaded_by, uploaded_at, signature_status, \
                       status_checked_at";

fn row_from(row: &AnyRow) -> StoreResult<KeyRow> {
    Ok(KeyRow {
        account_id: row.try_get(0)?,
        public_key_pem: row.try_get(1)?,
        fingerprint: row.try_get(2)?,
        sealed: Sealed { text: row.try_get(3)?, key_id: row.try_get(4)? },
        origin: row.try_get(5)?,
        created_by: row.try_get(6)?,
        created_at: row.try_get(7)?,
        downloaded_by: row.try_get(8)?,
        downloaded_at: row.try_get(9)?,
        uploaded_by: row.try_get(10)?,
        uploaded_at: row.try_get(11)?,
        signature_status: row.try_get(12)?,
        status_checked_at: row.try_get(13)?,
    })
}

/// The key of `account_id`; `lock` ends the statement (`FOR UPDATE` on PostgreSQL in a write).
pub async fn key(
    connection: &mut AnyConnection,
    account_id: &str,
    lock: &str,
) -> StoreResult<Option<KeyRow>> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM endpoint_keys WHERE account_id = $1{lock}"
    )))
    .bind(account_id)
    .fetch_optional(&mut *connection)
    .await?;
    row.as_ref().map(row_from).transpose()
}

/// Every stored key (key rotation).
pub async fn keys(connection: &mut AnyConnection) -> StoreResult<Vec<KeyRow>> {
    let rows =
        sqlx::query(sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM endpoint_keys ORDER BY account_id")))
            .fetch_all(&mut *connection)
            .await?;
    rows.iter().map(row_from).collect()
}

/// Writes `row` as the account's key, replacing any other (with its download and upload).
pub async fn save(connection: &mut AnyConnection, row: &KeyRow) -> StoreResult<()> {
    sqlx::query("DELETE FROM endpoint_keys WHERE account_id = $1")
        .bind(&row.account_id)
        .execute(&mut *connection)
        .await?;
    sqlx::query(
        "INSERT INTO endpoint_keys (account_id, public_key_pem, fingerprint, private_sealed, key_id, origin,
             created_by, created_at, downloaded_by, downloaded_at, uploaded_by, uploaded_at, signature_status,
             status_checked_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
    )
    .bind(&row.account_id)
    .bind(&row.public_key_pem)
    .bind(&row.fingerprint)
    .bind(&row.sealed.text)
    .bind(&row.sealed.key_id)
    .bind(&row.origin)
    .bind(&row.created_by)
    .bind(row.created_at)
    .bind(row.downloaded_by.as_deref())
    .bind(row.downloaded_at)
    .bind(row.uploaded_by.as_deref())
    .bind(row.uploaded_at)
    .bind(row.signature_status.as_deref())
    .bind(row.status_checked_at)
    .execute(&mut *connection)
    .await?;
    Ok(())
}

/// Marks the private key of `account_id` downloaded by `actor`, unless it was already: answers
/// whether this call did (one statement, so two downloads at once cannot both get it).
pub async fn mark_downloaded(
    connection: &mut AnyConnection,
    account_id: &str,
    actor: &str,
    at: i64,
) -> StoreResult<bool> {
    let done = sqlx::query(
        "UPDATE endpoint_keys SET downloaded_by = $2, downloaded_at = $3
         WHERE account_id = $1 AND downloaded_at IS NULL",
    )
    .bind(account_id)
    .bind(actor)
    .bind(at)
    .execute(&mut *connection)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Records an upload of the key `fingerprint` of `account_id` (a key replaced meanwhile is left).
pub async fn mark_uploaded(
    connection: &mut AnyConnection,
    account_id: &str,
    fingerprint: &str,
    actor: &str,
    at: i64,
) -> StoreResult<()> {
    sqlx::query(
        "UPDATE endpoint_keys SET uploaded_by = $3, uploaded_at = $4
         WHERE account_id = $1 AND fingerprint = $2",
    )
    .bind(account_id)
    .bind(fingerprint)
    .bind(actor)
    .bind(at)
    .execute(&mut *connection)
    .await?;
    Ok(())
}

/// Records what WhatsApp said of the key `fingerprint` of `account_id`.
pub async fn mark_status(
    connection: &mut AnyConnection,
    account_id: &str,
    fingerprint: &str,
    status: Option<&str>,
    at: i64,
) -> StoreResult<()> {
    sqlx::query(
        "UPDATE endpoint_keys SET signature_status = $3, status_checked_at = $4
         WHERE account_id = $1 AND fingerprint = $2",
    )
    .bind(account_id)
    .bind(fingerprint)
    .bind(status)
    .bind(at)
    .execute(&mut *connection)
    .await?;
    Ok(())
}

/// Replaces only the sealed private key of `account_id` (server key rotation).
pub async fn reseal(connection: &mut AnyConnection, account_id: &str, sealed: &Sealed) -> StoreResult<()> {
    sqlx::query("UPDATE endpoint_keys SET private_sealed = $2, key_id = $3 WHERE account_id = $1")
        .bind(account_id)
        .bind(&sealed.text)
        .bind(&sealed.key_id)
        .execute(&mut *connection)
        .await?;
    Ok(())
}
