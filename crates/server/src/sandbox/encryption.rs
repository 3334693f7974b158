//! The sandbox's stand-in of Meta's `whatsapp_business_encryption`: the business public key
//! WhatsApp wraps each endpoint request's AES key with, one per phone number (a sandbox WABA has
//! one number, so the key is kept per WABA, in the table `business_public_keys`).
//!
//! | route | what |
//! | --- | --- |
//! | `POST /sandbox/graph/{version}/{phone-number-id}/whatsapp_business_encryption` `business_public_key=<PEM>` (form or JSON) | keeps the key → `{"success": true}` |
//! | `GET /sandbox/graph/{version}/{phone-number-id}/whatsapp_business_encryption` | `{"data": [{business_public_key, business_public_key_signature_status}]}`, `{"data": []}` before any |
//! | `POST`, `GET /sandbox/api/v2/partners/{partner}/waba_accounts/{waba}/whatsapp_business_encryption` | the same beside the Partner-shaped flows (360dialog itself has no such call: see `backend/partner.rs`) |
//! | `POST /sandbox/control/phone_numbers/{phone-number-id}/register` (with `X-API-Key`) | the number registered again: its key reads `MISMATCH` until the next upload |
//!
//! A key that is not an RSA-2048 public key in PEM is refused as Meta refuses a parameter (400,
//! code 100, the reason in `error_user_msg`). Meta signs the key it takes and reports `VALID`
//! until the number is registered again (`MISMATCH`); the control route plays that
//! registration, so that "upload again" can be tried offline.
use axum::extract::{Path, Request, State};
use axum::response::Response;
use rusqlite::{OptionalExtension as _, params};
use serde_json::{Value, json};

use super::graph::GraphFailure;
use super::request::{self, WabaPath};
use super::{Sandbox, flows, now, ok};
use crate::endpoint::PublicKey;
use crate::endpoint::keys::KEY_BITS;
use crate::error::ApiError;

/// The most text a key may be (an RSA-2048 SPKI PEM is about 450 bytes).
const MAX_KEY_BYTES: usize = 16 * 1024;

/// The WABA of the Graph API's phone number `id` (Meta's id of the WABA and a `0`).
pub(super) fn waba_of_phone_number(
    tx: &rusqlite::Transaction<'_>,
    id: &str,
) -> Result<flows::Waba, ApiError> {
    let unknown = || ApiError::NotFound(format!("No phone number {id}"));
    let meta_id = id.strip_suffix('0').filter(|rest| crate::ids::is_valid(rest)).ok_or_else(unknown)?;
    flows::graph_waba(tx, meta_id)?
        .map(|(_, waba)| waba)
        .filter(|waba| waba.phone_number_id() == id)
        .ok_or_else(unknown)
}

/// The key as sent, if it is an RSA-2048 public key in PEM.
fn checked(text: String) -> Result<String, ApiError> {
    let refuse = |problem: String| ApiError::field("json", "business_public_key", problem);
    if text.len() > MAX_KEY_BYTES {
        return Err(refuse(format!("A public key is at most {MAX_KEY_BYTES} bytes of PEM.")));
    }
    let key = PublicKey::from_pem(&text).map_err(|error| refuse(error.to_string()))?;
    if key.bits() != KEY_BITS {
        return Err(refuse(format!("The key is RSA-{}; WhatsApp takes RSA-{KEY_BITS} keys.", key.bits())));
    }
    Ok(text)
}

fn keep(tx: &rusqlite::Transaction<'_>, waba: &flows::Waba, key: &str) -> Result<Value, ApiError> {
    tx.execute(
        "INSERT INTO business_public_keys (waba_id, public_key, uploaded_at, signature_status)
         VALUES (?1, ?2, ?3, 'VALID')
         ON CONFLICT (waba_id) DO UPDATE SET public_key = excluded.public_key,
             uploaded_at = excluded.uploaded_at, signature_status = 'VALID'",
        params![waba.id, key, now()],
    )?;
    Ok(json!({ "success": true }))
}

fn held(tx: &rusqlite::Transaction<'_>, waba: &flows::Waba) -> Result<Value, ApiError> {
    let key: Option<(String, String)> = tx
        .query_row(
            "SELECT public_key, signature_status FROM business_public_keys WHERE waba_id = ?1",
            [&waba.id],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .optional()?;
    let data: Vec<Value> = key
        .into_iter()
        .map(|(key, status)| json!({ "business_public_key": key, "business_public_key_signature_status": status }))
        .collect();
    Ok(json!({ "data": data }))
}

/// `POST /control/phone_numbers/{phone-number-id}/register`: what registering the number again
/// does at Meta, where the signature of the held key no longer matches (`MISMATCH`) until the
/// business uploads its key again. Answers the number's key status (`null` without a key).
pub async fn register_again(
    State(sandbox): State<Sandbox>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let answer = sandbox
        .store
        .run(move |tx| {
            let waba = waba_of_phone_number(tx, &id)?;
            let changed = tx.execute(
                "UPDATE business_public_keys SET signature_status = 'MISMATCH' WHERE waba_id = ?1",
                [&waba.id],
            )?;
            let status = (changed != 0).then_some("MISMATCH");
            Ok(json!({ "phone_number_id": id, "business_public_key_signature_status": status }))
        })
        .await?;
    Ok(ok(answer))
}

/// `POST /graph/{version}/{phone-number-id}/whatsapp_business_encryption`.
pub async fn graph_upload(
    State(sandbox): State<Sandbox>,
    Path((_, id)): Path<(String, String)>,
    request: Request,
) -> Result<Response, GraphFailure> {
    let body = request::read_object(request, sandbox.body_limit).await?;
    let key = checked(request::business_public_key(&body)?)?;
    let answer = sandbox.store.run(move |tx| keep(tx, &waba_of_phone_number(tx, &id)?, &key)).await?;
    Ok(ok(answer))
}

/// `GET /graph/{version}/{phone-number-id}/whatsapp_business_encryption`.
pub async fn graph_key(
    State(sandbox): State<Sandbox>,
    Path((_, id)): Path<(String, String)>,
) -> Result<Response, GraphFailure> {
    let answer = sandbox.store.run(move |tx| held(tx, &waba_of_phone_number(tx, &id)?)).await?;
    Ok(ok(answer))
}

/// `POST /api/v2/partners/{partner}/waba_accounts/{waba}/whatsapp_business_encryption`.
pub async fn upload(
    State(sandbox): State<Sandbox>,
    path: WabaPath,
    request: Request,
) -> Result<Response, ApiError> {
    let body = request::read_object(request, sandbox.body_limit).await?;
    let key = checked(request::business_public_key(&body)?)?;
    sandbox.in_waba(path.partner_id, path.waba_id, move |tx, waba| keep(tx, waba, &key)).await
}

/// `GET /api/v2/partners/{partner}/waba_accounts/{waba}/whatsapp_business_encryption`.
pub async fn key(State(sandbox): State<Sandbox>, path: WabaPath) -> Result<Response, ApiError> {
    sandbox.in_waba(path.partner_id, path.waba_id, held).await
}
