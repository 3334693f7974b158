//! The channel API keys of 360dialog accounts (migration 0010): 360dialog's messaging API
//! sends only with the channel's own `D360-API-KEY`, which an admin stores with the account.
//! Sealed with the server key like the connections' credentials (associated data
//! `channel_key:{account}`, so a sealed value moved to another row or table does not open),
//! shown only as its last four characters, re-sealed by `flowsmith secret rotate`.
//!
//! Looked up by account when a message is sent ([`Connections::send_as_channel`]), not carried
//! in the account's backend: one account of a partner may have a key and another none.
use serde_json::{Value, json};
use sqlx::{AnyConnection, Row as _};

use super::key::Sealed;
use super::{Connections, MIN_SECRET_CHARS, last4};
use crate::backend::{BackendError, BackendKind, FailureKind};
use crate::config::Secret;
use crate::workspace::WorkspaceError;
use crate::workspace::store::{StoreResult, now_ms};
use crate::workspace::time::rfc3339;

/// A stored channel key, without the key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChannelKeyInfo {
    /// The workspace's account.
    pub account_id: String,
    /// The key's last four characters.
    pub last4: String,
    /// Who stored it.
    pub set_by: String,
    /// When (milliseconds).
    pub set_at: i64,
}

impl ChannelKeyInfo {
    /// As the API shows it.
    pub fn to_json(&self) -> Value {
        json!({"account_id": self.account_id, "present": true, "api_key_last4": self.last4,
            "set_by": self.set_by, "set_at": rfc3339(self.set_at)})
    }
}

/// The associated data of an account's sealed key.
fn row_id(account_id: &str) -> String {
    format!("channel_key:{account_id}")
}

/// Every stored key, sealed: (account, sealed).
pub async fn all_sealed(connection: &mut AnyConnection) -> StoreResult<Vec<(String, Sealed)>> {
    let rows = sqlx::query("SELECT account_id, key_sealed, key_id FROM channel_keys ORDER BY account_id")
        .fetch_all(&mut *connection)
        .await?;
    rows.iter()
        .map(|row| Ok((row.try_get(0)?, Sealed { text: row.try_get(1)?, key_id: row.try_get(2)? })))
        .collect()
}

/// Replaces only the sealed key of `account_id` (key rotation).
pub async fn reseal(connection: &mut AnyConnection, account_id: &str, sealed: &Sealed) -> StoreResult<()> {
    sqlx::query("UPDATE channel_keys SET key_sealed = $2, key_id = $3 WHERE account_id = $1")
        .bind(account_id)
        .bind(&sealed.text)
        .bind(&sealed.key_id)
        .execute(&mut *connection)
        .await?;
    Ok(())
}

/// Re-seals every stored channel key from `old` to `new` (in the caller's transaction); a key
/// already under `new` is left. Answers how many were re-sealed.
pub async fn rotate(
    connection: &mut AnyConnection,
    old: &super::ServerKey,
    new: &super::ServerKey,
) -> Result<usize, String> {
    let failed = |error: crate::workspace::store::StoreError| format!("the database failed: {error}");
    let mut resealed = 0;
    for (account, sealed) in all_sealed(connection).await.map_err(failed)? {
        let id = row_id(&account);
        let resealed_key = old.reseal(new, &id, &sealed).map_err(|error| {
            format!("the channel API key of account {account} cannot be re-encrypted: {error}")
        })?;
        let Some(sealed) = resealed_key else { continue };
        reseal(connection, &account, &sealed).await.map_err(failed)?;
        resealed += 1;
    }
    Ok(resealed)
}

async fn info(connection: &mut AnyConnection, account_id: &str) -> StoreResult<Option<ChannelKeyInfo>> {
    let row = sqlx::query("SELECT key_last4, set_by, set_at FROM channel_keys WHERE account_id = $1")
        .bind(account_id)
        .fetch_optional(&mut *connection)
        .await?;
    row.map(|row| {
        Ok(ChannelKeyInfo {
            account_id: account_id.to_owned(),
            last4: row.try_get(0)?,
            set_by: row.try_get(1)?,
            set_at: row.try_get(2)?,
        })
    })
    .transpose()
}

/// Checks a key an admin sent (the message never repeats it).
fn checked(key: &Secret) -> Result<Secret, WorkspaceError> {
    let text = key.expose().trim();
    if !super::fits_as_secret(text) {
        return Err(WorkspaceError::invalid(
            "api_key",
            format!(
                "a channel API key is {MIN_SECRET_CHARS} or more printable characters without spaces (as \
                 360dialog's Hub shows it for the channel)"
            ),
        ));
    }
    Ok(Secret::new(text))
}

impl Connections {
    /// The 360dialog account `account_id` (its name), or why a channel key does not apply.
    async fn dialog360_account(&self, account_id: &str) -> Result<String, WorkspaceError> {
        let mut connection = self.0.store.pool().acquire().await?;
        let account = crate::workspace::store::account(&mut connection, account_id)
            .await?
            .ok_or_else(|| WorkspaceError::NotFound(format!("No account {account_id} in this workspace")))?;
        if BackendKind::parse(&account.backend) != Some(BackendKind::Dialog360) {
            return Err(WorkspaceError::Backend(BackendError::new(
                FailureKind::Unsupported,
                format!(
                    "{} is reached through {}: only 360dialog accounts send with a channel API key",
                    account.name, account.backend
                ),
            )));
        }
        Ok(account.name)
    }

    /// The stored key of `account_id`, without the key (`None`: none stored).
    pub async fn channel_key_info(&self, account_id: &str) -> Result<Option<ChannelKeyInfo>, WorkspaceError> {
        self.dialog360_account(account_id).await?;
        let mut connection = self.0.store.pool().acquire().await?;
        Ok(info(&mut connection, account_id).await?)
    }

    /// Stores (or replaces) the channel key of the 360dialog account `account_id`, sealed.
    pub async fn set_channel_key(
        &self,
        actor: &str,
        account_id: &str,
        key: &Secret,
    ) -> Result<ChannelKeyInfo, WorkspaceError> {
        let key = checked(key)?;
        self.dialog360_account(account_id).await?;
        let sealed = self.0.key.seal(&row_id(account_id), key.expose());
        let stored = ChannelKeyInfo {
            account_id: account_id.to_owned(),
            last4: last4(key.expose()),
            set_by: actor.to_owned(),
            set_at: now_ms(),
        };
        let mut transaction = self.0.store.write().await?;
        sqlx::query(
            "INSERT INTO channel_keys (account_id, key_sealed, key_id, key_last4, set_by, set_at)
             VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT (account_id) DO UPDATE SET key_sealed = excluded.key_sealed, key_id = excluded.key_id,
                 key_last4 = excluded.key_last4, set_by = excluded.set_by, set_at = excluded.set_at",
        )
        .bind(account_id)
        .bind(&sealed.text)
        .bind(&sealed.key_id)
        .bind(&stored.last4)
        .bind(&stored.set_by)
        .bind(stored.set_at)
        .execute(&mut *transaction)
        .await?;
        transaction.commit().await?;
        Ok(stored)
    }

    /// Removes the channel key of `account_id`; answers it as it was (`None`: there was none).
    pub async fn remove_channel_key(
        &self,
        account_id: &str,
    ) -> Result<Option<ChannelKeyInfo>, WorkspaceError> {
        let mut transaction = self.0.store.write().await?;
        let Some(was) = info(&mut transaction, account_id).await? else { return Ok(None) };
        sqlx::query("DELETE FROM channel_keys WHERE account_id = $1")
            .bind(account_id)
            .execute(&mut *transaction)
            .await?;
        transaction.commit().await?;
        Ok(Some(was))
    }

    /// Sends `message` (the Cloud API's body) from the 360dialog account `account_id` (called
    /// `name`) with its stored channel key; answers WhatsApp's id of it.
    pub async fn send_as_channel(
        &self,
        account_id: &str,
        name: &str,
        message: &Value,
    ) -> Result<String, WorkspaceError> {
        let sealed = {
            let mut connection = self.0.store.pool().acquire().await?;
            sqlx::query("SELECT key_sealed, key_id FROM channel_keys WHERE account_id = $1")
                .bind(account_id)
                .fetch_optional(&mut *connection)
                .await?
                .map(|row| -> StoreResult<Sealed> {
                    Ok(Sealed { text: row.try_get(0)?, key_id: row.try_get(1)? })
                })
                .transpose()?
        };
        let Some(sealed) = sealed else {
            return Err(WorkspaceError::Backend(BackendError::new(
                FailureKind::Unsupported,
                format!(
                    "{name} has no channel API key: 360dialog sends messages only with the channel's own \
                     D360-API-KEY. An admin stores it with the account (the admin page, or PUT \
                     /api/accounts/{account_id}/channel_key)"
                ),
            )));
        };
        let key = self.0.key.open(&row_id(account_id), &sealed).map_err(|error| {
            WorkspaceError::Backend(BackendError::new(
                FailureKind::NotConfigured,
                format!("The channel API key of {name} cannot be used: {error}"),
            ))
        })?;
        Ok(self.0.reach.messaging.send(&key, message).await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_checked_without_repeating_them() {
        assert_eq!(
            checked(&Secret::new("  d360_channel_key_1234 ")).unwrap().expose(),
            "d360_channel_key_1234"
        );
        let error = checked(&Secret::new("short k")).unwrap_err();
        assert_eq!(error.code(), "invalid_request");
        assert!(!error.message().contains("short k"), "{}", error.message());
        assert!(checked(&Secret::new("with a space inside")).is_err());
    }
}
