//! Each account's RSA key pair for the endpoint contract: WhatsApp wraps every endpoint
//! request's AES key with the public key, and the business's endpoint unwraps it with the
//! private key.
//!
//! An admin generates a pair (RSA-2048, as Meta requires) or imports a private key in any PEM
//! form [`crate::endpoint::keys`] reads (its errors say which form the text is and which were
//! expected). The private key is sealed at rest like the connections' credentials
//! ([`crate::connections::key`], the text `endpoint-key:<account id>` as associated data, so a
//! sealed key moved to another account does not open) and leaves the server once: the first
//! download marks it, in the same statement that checks it was not (two downloads at once
//! cannot both get it), and every later one is refused saying who took it and when. The public
//! key, its fingerprint and its status are for editors; uploading it to WhatsApp goes through
//! the account's backend ([`crate::backend::Backend::upload_public_key`]).
//!
//! Routes in [`routes`], SQL in [`store`] (migration 0009); `flowsmith secret rotate` re-seals
//! the private keys with the connections' credentials ([`rotate`]).
pub mod routes;
pub mod store;

use base64::Engine as _;
use serde_json::{Value, json};
use sha2::{Digest as _, Sha256};
use sqlx::AnyConnection;

use super::{PrivateKey, PublicKey};
use crate::config::Secret;
use crate::connections::Connections;
use crate::connections::key::{OpenError, ServerKey};
use crate::endpoint::keys::KEY_BITS;
use crate::workspace::store::{Store, now_ms};
use crate::workspace::time::rfc3339;
use crate::workspace::{Actor, Workspace, WorkspaceError};
use store::KeyRow;

type Result<T> = std::result::Result<T, WorkspaceError>;

/// The longest private key text accepted (an RSA-4096 PEM is about 3.3 kB).
pub const MAX_PEM_BYTES: usize = 16 * 1024;

/// What an admin asks for: a new pair, or their own private key (`Debug` redacts the key).
#[derive(Clone, Debug)]
pub enum KeySource {
    /// A new RSA-2048 pair made here.
    Generate,
    /// A private key in PEM (PKCS#1, PKCS#8, or encrypted PKCS#8 with `passphrase`).
    Import {
        /// The PEM text.
        pem: Secret,
        /// Opens an encrypted PKCS#8 key.
        passphrase: Option<Secret>,
    },
}

/// The accounts' endpoint keys (cheap to clone).
#[derive(Clone)]
pub struct EndpointKeys {
    store: Store,
    connections: Connections,
    workspace: Workspace,
}

/// The associated data a private key is sealed with: its account.
fn sealed_for(account_id: &str) -> String {
    format!("endpoint-key:{account_id}")
}

/// `SHA256:` and the hex SHA-256 of the key's DER (SPKI), what
/// `openssl pkey -pubin -in public.pem -outform DER | sha256sum` prints.
pub fn fingerprint(public_pem: &str) -> String {
    let body: String = public_pem.lines().filter(|line| !line.starts_with("-----")).collect();
    let der = base64::engine::general_purpose::STANDARD.decode(body.trim()).unwrap_or_default();
    let digest = Sha256::digest(&der);
    let hex: String = digest.iter().map(|byte| format!("{byte:02x}")).collect();
    format!("SHA256:{hex}")
}

impl EndpointKeys {
    /// The keys of `store`'s accounts, sealed with the server key of `connections`, uploaded
    /// through `workspace`'s backends.
    pub fn new(store: Store, connections: Connections, workspace: Workspace) -> EndpointKeys {
        EndpointKeys { store, connections, workspace }
    }

    fn key(&self) -> &ServerKey {
        self.connections.server_key()
    }

    /// The account `account_id` must exist in the workspace.
    async fn account_exists(&self, connection: &mut AnyConnection, account_id: &str) -> Result<()> {
        match crate::workspace::store::account(connection, account_id).await? {
            Some(_) => Ok(()),
            None => Err(no_account(account_id)),
        }
    }

    /// The key of `account_id`, or a 404 saying there is none.
    async fn row(&self, account_id: &str) -> Result<KeyRow> {
        let mut connection = self.store.pool().acquire().await?;
        self.account_exists(&mut connection, account_id).await?;
        store::key(&mut connection, account_id, "").await?.ok_or_else(|| no_key(account_id))
    }

    /// Makes or imports the key pair of `account_id`; `replace` must be said when it has one.
    pub async fn create(
        &self,
        actor: &Actor,
        account_id: &str,
        source: KeySource,
        replace: bool,
    ) -> Result<Value> {
        let origin = match source {
            KeySource::Generate => "generated",
            KeySource::Import { .. } => "imported",
        };
        // Refused before the (slow) key generation when it would be refused after it.
        {
            let mut connection = self.store.pool().acquire().await?;
            self.account_exists(&mut connection, account_id).await?;
            if let Some(existing) = store::key(&mut connection, account_id, "").await?
                && !replace
            {
                return Err(already(&existing));
            }
        }
        // RSA key generation and passphrase derivation take long: off the async threads.
        let private =
            tokio::task::spawn_blocking(move || read_or_generate(&source)).await.map_err(|error| {
                WorkspaceError::Storage(crate::workspace::store::StoreError::Other(error.to_string()))
            })??;
        let public = private.public_key();
        let public_key_pem = public.to_pem().map_err(key_failed)?;
        let private_pem = private.to_pem().map_err(key_failed)?;
        let now = now_ms();
        let row = KeyRow {
            account_id: account_id.to_owned(),
            fingerprint: fingerprint(&public_key_pem),
            public_key_pem,
            sealed: self.key().seal(&sealed_for(account_id), &private_pem),
            origin: origin.to_owned(),
            created_by: actor.0.clone(),
            created_at: now,
            downloaded_by: None,
            downloaded_at: None,
            uploaded_by: None,
            uploaded_at: None,
            signature_status: None,
            status_checked_at: None,
        };
        let mut transaction = self.store.write().await?;
        self.account_exists(&mut transaction, account_id).await?;
        if let Some(existing) = store::key(&mut transaction, account_id, self.store.for_update()).await?
            && !replace
        {
            return Err(already(&existing));
        }
        store::save(&mut transaction, &row).await?;
        transaction.commit().await?;
        Ok(self.to_json(&row))
    }

    /// The key of `account_id` as editors see it (never the private key).
    pub async fn get(&self, account_id: &str) -> Result<Value> {
        Ok(self.to_json(&self.row(account_id).await?))
    }

    /// The private key of `account_id`, once: `(fingerprint, PKCS#8 PEM)`.
    pub async fn download(&self, actor: &Actor, account_id: &str) -> Result<(String, Secret)> {
        let mut transaction = self.store.write().await?;
        self.account_exists(&mut transaction, account_id).await?;
        let row = store::key(&mut transaction, account_id, self.store.for_update())
            .await?
            .ok_or_else(|| no_key(account_id))?;
        let taken = |by: &str, at: i64| {
            WorkspaceError::ReadOnly(format!(
                "The private key of this account was downloaded already, by {by} on {}: it leaves the server \
                 only once. If that copy is lost, generate a new key pair (and upload its public key to \
                 WhatsApp)",
                rfc3339(at)
            ))
        };
        if let (Some(by), Some(at)) = (&row.downloaded_by, row.downloaded_at) {
            return Err(taken(by, at));
        }
        let pem = self.open(&row).map_err(WorkspaceError::ReadOnly)?;
        if !store::mark_downloaded(&mut transaction, account_id, &actor.0, now_ms()).await? {
            return Err(taken("someone else", now_ms()));
        }
        transaction.commit().await?;
        Ok((row.fingerprint, pem))
    }

    /// Uploads the public key of `account_id` to WhatsApp through its backend, then asks its
    /// status (a failure of that second call leaves the status unknown, the upload done).
    pub async fn upload(&self, actor: &Actor, account_id: &str) -> Result<Value> {
        let row = self.row(account_id).await?;
        self.workspace.upload_public_key(account_id, &row.public_key_pem).await?;
        {
            let mut transaction = self.store.write().await?;
            store::mark_uploaded(&mut transaction, account_id, &row.fingerprint, &actor.0, now_ms()).await?;
            transaction.commit().await?;
        }
        if let Err(error) = self.whatsapp(account_id).await {
            tracing::warn!(account = account_id, error = %error.message(), "the key's status could not be read after its upload");
        }
        self.get(account_id).await
    }

    /// What WhatsApp holds for `account_id`: its key, whether it is this server's, and Meta's
    /// signature status (recorded with the key when it is this server's).
    pub async fn whatsapp(&self, account_id: &str) -> Result<Value> {
        let ours = {
            let mut connection = self.store.pool().acquire().await?;
            self.account_exists(&mut connection, account_id).await?;
            store::key(&mut connection, account_id, "").await?
        };
        let held = self.workspace.public_key(account_id).await?;
        let theirs = held.public_key.as_deref().map(|pem| PublicKey::from_pem(pem).ok());
        let matches = match (&ours, &theirs) {
            (Some(ours), Some(Some(theirs))) => {
                Some(PublicKey::from_pem(&ours.public_key_pem).ok().as_ref() == Some(theirs))
            }
            (Some(_), _) => Some(false),
            (None, _) => None,
        };
        if let Some(ours) = &ours {
            let status = if matches == Some(true) { held.signature_status.as_deref() } else { None };
            let mut transaction = self.store.write().await?;
            store::mark_status(&mut transaction, account_id, &ours.fingerprint, status, now_ms()).await?;
            transaction.commit().await?;
        }
        let their_fingerprint =
            theirs.flatten().and_then(|key| key.to_pem().ok()).map(|pem| fingerprint(&pem));
        Ok(json!({
            "account_id": account_id,
            "public_key_pem": held.public_key,
            "fingerprint": their_fingerprint,
            "signature_status": held.signature_status,
            "matches_ours": matches,
        }))
    }

    /// The private key of `row`, opened.
    fn open(&self, row: &KeyRow) -> std::result::Result<Secret, String> {
        self.key()
            .open(&sealed_for(&row.account_id), &row.sealed)
            .map_err(|error: OpenError| format!("The private key of this account cannot be opened: {error}"))
    }

    fn to_json(&self, row: &KeyRow) -> Value {
        let problem = self.open(row).err();
        json!({
            "account_id": row.account_id,
            "public_key_pem": row.public_key_pem,
            "fingerprint": row.fingerprint,
            "bits": KEY_BITS,
            "origin": row.origin,
            "created_by": row.created_by,
            "created_at": rfc3339(row.created_at),
            "downloaded": row.downloaded_at.is_some(),
            "downloaded_by": row.downloaded_by,
            "downloaded_at": row.downloaded_at.map(rfc3339),
            "uploaded": row.uploaded_at.is_some(),
            "uploaded_by": row.uploaded_by,
            "uploaded_at": row.uploaded_at.map(rfc3339),
            "signature_status": row.signature_status,
            "status_checked_at": row.status_checked_at.map(rfc3339),
            "usable": problem.is_none(),
            "problem": problem,
        })
    }
}

/// A new pair, or the imported private key checked to be RSA-2048.
fn read_or_generate(source: &KeySource) -> Result<PrivateKey> {
    match source {
        KeySource::Generate => PrivateKey::generate().map_err(key_failed),
        KeySource::Import { pem, passphrase } => {
            let key = PrivateKey::from_pem(pem.expose(), passphrase.as_ref().map(Secret::expose)).map_err(
                |error| {
                    let field = match error {
                        super::ContractError::PassphraseNeeded | super::ContractError::WrongPassphrase => {
                            "passphrase"
                        }
                        _ => "private_key_pem",
                    };
                    WorkspaceError::invalid(field, error.to_string())
                },
            )?;
            let bits = key.public_key().bits();
            if bits != KEY_BITS {
                return Err(WorkspaceError::invalid(
                    "private_key_pem",
                    format!(
                        "this key is RSA-{bits}; WhatsApp takes RSA-{KEY_BITS} keys only (openssl genrsa 2048)"
                    ),
                ));
            }
            Ok(key)
        }
    }
}

fn key_failed(error: super::ContractError) -> WorkspaceError {
    WorkspaceError::Storage(crate::workspace::store::StoreError::Other(format!("RSA: {error}")))
}

fn already(existing: &KeyRow) -> WorkspaceError {
    WorkspaceError::ReadOnly(format!(
        "This account has an endpoint key already ({}, {} by {} on {}): send \"replace\": true to replace \
         it. The endpoint holding the old private key stops decrypting once WhatsApp has the new public key",
        existing.fingerprint,
        existing.origin,
        existing.created_by,
        rfc3339(existing.created_at)
    ))
}

fn no_account(account_id: &str) -> WorkspaceError {
    let shown: String = account_id.chars().take(64).collect();
    WorkspaceError::NotFound(format!("No account {shown} in this workspace"))
}

fn no_key(account_id: &str) -> WorkspaceError {
    let shown: String = account_id.chars().take(64).collect();
    WorkspaceError::NotFound(format!(
        "Account {shown} has no endpoint key yet: an admin generates or imports one (POST /api/accounts/{shown}/endpoint-key)"
    ))
}

/// Re-seals every account's private key from `old` to `new` in `connection` (the transaction
/// of `flowsmith secret rotate`): one already under `new` is left; one `old` does not open
/// stops the rotation, naming the account. Answers how many were re-sealed.
pub async fn rotate(
    connection: &mut AnyConnection,
    old: &ServerKey,
    new: &ServerKey,
) -> std::result::Result<usize, String> {
    let failed = |error: crate::workspace::store::StoreError| format!("the database failed: {error}");
    let rows = store::keys(connection).await.map_err(failed)?;
    let mut resealed = 0;
    for row in &rows {
        let aad = sealed_for(&row.account_id);
        let resealed_key = old.reseal(new, &aad, &row.sealed).map_err(|error| {
            format!("the endpoint key of account {} cannot be re-encrypted: {error}", row.account_id)
        })?;
        let Some(sealed) = resealed_key else { continue };
        store::reseal(connection, &row.account_id, &sealed).await.map_err(failed)?;
        resealed += 1;
    }
    Ok(resealed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_are_the_sha256_of_the_der() {
        // The DER of this (truncated, not a real key) body is its base64 decoded.
        let pem = "-----BEGIN PUBLIC KEY-----\nAAEC\n-----END PUBLIC KEY-----\n";
        let expected: String = Sha256::digest([0u8, 1, 2]).iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(fingerprint(pem), format!("SHA256:{expected}"));
    }

    #[test]
    fn sealed_keys_are_bound_to_their_account() {
        let (key, _) = ServerKey::generate();
        let sealed = key.seal(&sealed_for("a1"), "pem");
        assert!(key.open(&sealed_for("a1"), &sealed).is_ok());
        assert!(key.open(&sealed_for("a2"), &sealed).is_err());
    }
}
