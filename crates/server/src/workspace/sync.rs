//! Sync: every flow of an account on WhatsApp, imported into the workspace with its flow.json.
//!
//! - A flow the workspace does not know becomes a new flow at revision 1, which is WhatsApp's
//!   (renamed `name (WhatsApp)` if a local draft already has its name).
//! - A known flow takes WhatsApp's status and validation errors; if WhatsApp's flow.json
//!   changed since the workspace last saw it (compared by SHA-256), it becomes a new revision,
//!   unless the flow has local changes not saved to WhatsApp: then WhatsApp's text is kept
//!   beside the flow as a conflict for the user to resolve, and nothing local is overwritten.
//! - A flow in the trash is left there. Flows gone from WhatsApp are counted (`missing`),
//!   not deleted.
//!
//! Flow.json downloads run eight at a time; each flow is written in its own short transaction
//! (a long sync never holds the database's write lock), so running it again is idempotent:
//! `new` and `updated` are then 0. Progress goes to every subscriber as `sync.progress`,
//! including the backend's waits for a rate limit (`waiting_s` and a `message` such as
//! "waiting 12 s for Meta's rate limit"): a wait is progress, not a failure.
use futures_util::StreamExt as _;
use serde_json::{Value, json};

use super::events::Notice;
use super::store::{self, Account, Change, NewFlow, WhatsAppState, now_ms};
use super::{Actor, Result, Workspace, sha256};
use crate::backend::{AccountRef, Backend, RemoteFlow};

/// Downloads in flight at once.
const PARALLEL_DOWNLOADS: usize = 8;

/// What a sync did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SyncReport {
    /// Flows of the account on WhatsApp, all looked at.
    pub synced: u64,
    /// Of those, new to the workspace.
    pub new: u64,
    /// Of those, changed in the workspace (status, errors, flow.json, or a new conflict).
    pub updated: u64,
    /// Of those, left as conflicts (WhatsApp changed while local work was unsaved).
    pub conflicts: u64,
    /// Flows of the workspace whose WhatsApp flow is gone.
    pub missing: u64,
}

impl SyncReport {
    /// As the API answers it.
    pub fn to_json(self) -> Value {
        json!({
            "synced": self.synced, "new": self.new, "updated": self.updated,
            "conflicts": self.conflicts, "missing": self.missing,
        })
    }
}

enum Outcome {
    New,
    Updated,
    Conflict,
    Unchanged,
}

pub(super) async fn run(
    workspace: &Workspace,
    actor: &Actor,
    account: &Account,
    backend: &dyn Backend,
) -> Result<SyncReport> {
    let report = workspace.wait_reporter("sync.progress", Some(account.id.clone()));
    crate::backend::reporting_waits(report, import(workspace, actor, account, backend)).await
}

async fn import(
    workspace: &Workspace,
    actor: &Actor,
    account: &Account,
    backend: &dyn Backend,
) -> Result<SyncReport> {
    let target = AccountRef { external_id: account.external_id.clone() };
    let remote = backend.flows(&target).await?;
    let total = remote.len();
    let known = {
        let mut connection = workspace.store.pool().acquire().await?;
        store::flows_of_account(&mut connection, &account.id).await?
    };
    let mut report = SyncReport {
        missing: known
            .iter()
            .filter(|flow| flow.deleted_at.is_none())
            .filter_map(|flow| flow.meta_flow_id.as_deref())
            .filter(|id| !remote.iter().any(|flow| flow.id == *id))
            .count() as u64,
        ..SyncReport::default()
    };
    progress(workspace, account, 0, total).await;
    let mut downloads = futures_util::stream::iter(remote.into_iter().map(|flow| {
        let target = target.clone();
        async move {
            let text = backend.flow_json(&target, &flow.id).await;
            (flow, text)
        }
    }))
    .buffered(PARALLEL_DOWNLOADS);
    let step = (total / 20).max(1);
    while let Some((flow, text)) = downloads.next().await {
        let text = text?.unwrap_or_default();
        match apply(workspace, actor, account, &flow, &text).await? {
            Outcome::New => report.new += 1,
            Outcome::Updated => report.updated += 1,
            Outcome::Conflict => {
                report.updated += 1;
                report.conflicts += 1;
            }
            Outcome::Unchanged => {}
        }
        report.synced += 1;
        let done = usize::try_from(report.synced).unwrap_or(usize::MAX);
        if done % step == 0 && done < total {
            progress(workspace, account, done, total).await;
        }
    }
    let mut transaction = workspace.store.write().await?;
    let event = workspace
        .hub
        .record(
            &mut transaction,
            &store::Event {
                id: 0,
                at: now_ms(),
                actor: actor.0.clone(),
                kind: "sync.finished".to_owned(),
                account_id: Some(account.id.clone()),
                flow_id: None,
                revision: None,
                detail: flow_model::json::compact(&report.to_json()),
            },
        )
        .await?;
    transaction.commit().await?;
    workspace.announce([event]);
    Ok(report)
}

async fn progress(workspace: &Workspace, account: &Account, done: usize, total: usize) {
    let notice = Notice {
        id: None,
        kind: "sync.progress".to_owned(),
        data: json!({ "kind": "sync.progress", "account_id": account.id, "done": done, "total": total }),
    };
    workspace.hub.broadcast(&workspace.store, notice).await;
}

/// Brings one WhatsApp flow into the workspace, in one transaction.
async fn apply(
    workspace: &Workspace,
    actor: &Actor,
    account: &Account,
    remote: &RemoteFlow,
    text: &str,
) -> Result<Outcome> {
    let now = now_ms();
    let sha = sha256(text);
    let errors = flow_model::json::compact(&Value::Array(remote.validation_errors.clone()));
    let categories = flow_model::json::compact(&json!(remote.categories));
    let mut transaction = workspace.store.write().await?;
    let lock = workspace.store.for_update();
    let Some(local) = store::flow_by_meta_id(&mut transaction, &account.id, &remote.id, lock).await? else {
        let id = uuid::Uuid::new_v4().to_string();
        let name = workspace.free_name(&mut transaction, &account.id, &remote.name, "WhatsApp").await?;
        let new = NewFlow {
            id: &id,
            account_id: &account.id,
            name: &name,
            categories: &categories,
            status: &remote.status,
            meta_flow_id: Some(&remote.id),
            json_definition: text,
            meta_json_sha256: Some(&sha),
            validation_errors: &errors,
            source_flow_id: None,
            author: &actor.0,
            now,
        };
        store::insert_flow(&mut transaction, &new).await?;
        workspace.keep_version(&mut transaction, &id, 1, &name, text, "synced", None, actor, now).await?;
        let flow =
            store::flow(&mut transaction, &id, false, "").await?.ok_or_else(|| super::flow_not_found(&id))?;
        let event = workspace
            .log(
                &mut transaction,
                actor,
                "flow.created",
                Some(&flow),
                Some(1),
                json!({ "name": name, "source": "sync" }),
            )
            .await?;
        transaction.commit().await?;
        workspace.announce([event]);
        return Ok(Outcome::New);
    };
    if local.deleted_at.is_some() {
        return Ok(Outcome::Unchanged);
    }
    let mut outcome = Outcome::Unchanged;
    let status_changed = local.status != remote.status || local.validation_errors != errors;
    let text_changed = local.meta_json_sha256.as_deref() != Some(sha.as_str());
    let unsaved = local.meta_revision != Some(local.revision);
    let mut revision = local.revision;
    if text_changed && !unsaved {
        let rename = (remote.name != local.name
            && !store::name_taken(&mut transaction, &account.id, &remote.name, Some(&local.id)).await?)
            .then_some(remote.name.as_str());
        let change = Change {
            expected: local.revision,
            name: rename,
            categories: Some(&categories),
            json_definition: Some(text),
            author: &actor.0,
            now,
        };
        if let Some(new_revision) = store::change_flow(&mut transaction, &local.id, &change).await? {
            revision = new_revision;
            let name = rename.unwrap_or(&local.name);
            workspace
                .keep_version(&mut transaction, &local.id, revision, name, text, "synced", None, actor, now)
                .await?;
            let state = WhatsAppState {
                meta_revision: Some(revision),
                meta_json_sha256: Some(&sha),
                ..Default::default()
            };
            store::set_whatsapp_state(&mut transaction, &local.id, &state).await?;
            outcome = Outcome::Updated;
        }
    } else if text_changed {
        let already = store::conflict_json(&mut transaction, &local.id).await?;
        if already.as_deref() != Some(text) {
            store::set_conflict(&mut transaction, &local.id, Some((text, now))).await?;
            outcome = Outcome::Conflict;
        }
    }
    if status_changed {
        let state = WhatsAppState {
            validation_errors: Some(&errors),
            status: Some(&remote.status),
            ..Default::default()
        };
        store::set_whatsapp_state(&mut transaction, &local.id, &state).await?;
        if matches!(outcome, Outcome::Unchanged) {
            outcome = Outcome::Updated;
        }
    }
    if matches!(outcome, Outcome::Unchanged) {
        return Ok(outcome);
    }
    let flow = store::flow(&mut transaction, &local.id, false, "")
        .await?
        .ok_or_else(|| super::flow_not_found(&local.id))?;
    let kind = if matches!(outcome, Outcome::Conflict) { "flow.conflict" } else { "flow.changed" };
    let event = workspace
        .log(
            &mut transaction,
            actor,
            kind,
            Some(&flow),
            Some(revision),
            json!({ "name": flow.name, "reason": "synced", "status": flow.status }),
        )
        .await?;
    transaction.commit().await?;
    workspace.announce([event]);
    Ok(outcome)
}
