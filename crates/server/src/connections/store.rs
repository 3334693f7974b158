//! The SQL of stored connections (migration 0006, both engines): the credential only sealed.
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row as _};

use super::key::Sealed;
use crate::workspace::store::StoreResult;

/// A connection as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnectionRow {
    /// Its id (also the associated data of its sealed credential).
    pub id: String,
    /// The backend: `360dialog`.
    pub kind: String,
    /// What people call it.
    pub name: String,
    /// 360dialog's partner id (`…PA`); one connection per partner.
    pub partner_id: Option<String>,
    /// What else a kind needs that is not secret (JSON).
    pub settings: String,
    /// The credential, sealed.
    pub sealed: Sealed,
    /// Its last four characters, the only part ever shown.
    pub last4: String,
    /// Who stored it last, and when (milliseconds).
    pub updated_by: String,
    /// When it was stored last.
    pub updated_at: i64,
    /// Who added it.
    pub created_by: String,
    /// When.
    pub created_at: i64,
}

const COLUMNS: &str = "id, kind, name, partner_id, settings, secret_sealed, key_id, secret_last4, \
                       updated_by, updated_at, created_by, created_at";

fn row_from(row: &AnyRow) -> StoreResult<ConnectionRow> {
    Ok(ConnectionRow {
        id: row.try_get(0)?,
        kind: row.try_get(1)?,
        name: row.try_get(2)?,
        partner_id: row.try_get(3)?,
        settings: row.try_get(4)?,
        sealed: Sealed { text: row.try_get(5)?, key_id: row.try_get(6)? },
        last4: row.try_get(7)?,
        updated_by: row.try_get(8)?,
        updated_at: row.try_get(9)?,
        created_by: row.try_get(10)?,
        created_at: row.try_get(11)?,
    })
}

/// Every stored connection, by name.
pub async fn connections(connection: &mut AnyConnection) -> StoreResult<Vec<ConnectionRow>> {
    let rows =
        sqlx::query(sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM connections ORDER BY name, id")))
            .fetch_all(&mut *connection)
            .await?;
    rows.iter().map(row_from).collect()
}

/// The connection `id`; `lock` ends the statement (`FOR UPDATE` on PostgreSQL in a write).
pub async fn connection(
    connection: &mut AnyConnection,
    id: &str,
    lock: &str,
) -> StoreResult<Option<ConnectionRow>> {
    let row =
        sqlx::query(sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM connections WHERE id = $1{lock}")))
            .bind(id)
            .fetch_optional(&mut *connection)
            .await?;
    row.as_ref().map(row_from).transpose()
}

/// Writes `row`: adds it, or replaces everything of it but its id and creation.
pub async fn save(connection: &mut AnyConnection, row: &ConnectionRow) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO connections (id, kind, name, partner_id, settings, secret_sealed, key_id, secret_last4,
             updated_by, updated_at, created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
         ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, name = excluded.name,
             partner_id = excluded.partner_id, settings = excluded.settings,
             secret_sealed = excluded.secret_sealed, key_id = excluded.key_id,
             secret_last4 = excluded.secret_last4, updated_by = excluded.updated_by,
             updated_at = excluded.updated_at",
    )
    .bind(&row.id)
    .bind(&row.kind)
    .bind(&row.name)
    .bind(row.partner_id.as_deref())
    .bind(&row.settings)
    .bind(&row.sealed.text)
    .bind(&row.sealed.key_id)
    .bind(&row.last4)
    .bind(&row.updated_by)
    .bind(row.updated_at)
    .bind(&row.created_by)
    .bind(row.created_at)
    .execute(&mut *connection)
    .await?;
    Ok(())
}

/// Replaces only the sealed credential of `id` (key rotation).
pub async fn reseal(connection: &mut AnyConnection, id: &str, sealed: &Sealed) -> StoreResult<()> {
    sqlx::query("UPDATE connections SET secret_sealed = $2, key_id = $3 WHERE id = $1")
        .bind(id)
        .bind(&sealed.text)
        .bind(&sealed.key_id)
        .execute(&mut *connection)
        .await?;
    Ok(())
}

/// Removes `id`; answers whether it existed.
pub async fn delete(connection: &mut AnyConnection, id: &str) -> StoreResult<bool> {
    let done =
        sqlx::query("DELETE FROM connections WHERE id = $1").bind(id).execute(&mut *connection).await?;
    Ok(done.rows_affected() == 1)
}
