//! Saving, publishing and deprecating a workspace flow on WhatsApp go through the workspace
//! (`POST /api/flows/{id}/save-to-meta`, `…/publish`, `…/deprecate`), so the server links the
//! flow to WhatsApp once, keeps Meta's errors with the version, and tells the team. The open
//! draft's WhatsApp link follows, as after any save, so its status, Meta's errors under
//! Problems and the lock of a published flow show as they do for every flow on WhatsApp.
use leptos::prelude::*;
use serde_json::Value;

use super::link::{link_untracked, text_of};
use super::{Saving, Workspace};
use crate::api::ValidationError;
use crate::api::workspace::WsChange;
use crate::features::library::link::{RemoteLink, fingerprint, locate, remote_link_untracked, set_link};
use crate::features::library::ops::{Details, Saved};
use crate::features::library::{Failure, LibraryError};
use crate::state::EditorState;

/// Whether WhatsApp operations on the open draft go through the workspace.
pub fn handles(state: EditorState, workspace: Workspace) -> bool {
    workspace.available.get_untracked() && link_untracked(state).is_some()
}

fn external_id(workspace: Workspace, account_id: &str) -> String {
    workspace
        .accounts
        .get_untracked()
        .flatten()
        .and_then(Result::ok)
        .and_then(|list| list.into_iter().find(|account| account.id == account_id))
        .map(|account| account.external_id)
        .unwrap_or_default()
}

/// Saves the open draft's workspace flow to WhatsApp, with a new name and categories first
/// when `details` gives them.
pub async fn save(
    state: EditorState,
    workspace: Workspace,
    partner_id: String,
    details: Option<Details>,
) -> Result<Saved, LibraryError> {
    let Some(mut link) = link_untracked(state) else { return Err(Failure::NotInWorkspace.into()) };
    if workspace.saving.get_untracked() != Saving::Saved {
        return Err(Failure::WorkspaceNotSaved.into());
    }
    let client = workspace.client();
    let previous = remote_link_untracked(state).unwrap_or_default();
    let mut categories = previous.categories.clone();
    if let Some(details) = details {
        let change = WsChange {
            revision: link.revision,
            name: Some(details.name.trim().to_owned()),
            categories: Some(details.categories.clone()),
            ..WsChange::default()
        };
        let flow = client.ws_update(&link.id, &change, &workspace.user_name()).await?;
        link.revision = flow.revision;
        super::link::set_link(state, Some(&link));
        state.draft.update(|draft| draft.name.clone_from(&flow.name));
        categories = details.categories;
    }
    let answer = client.ws_operation(&link.id, "save-to-meta", &workspace.user_name()).await?;
    let meta_flow_id = answer.get("meta_flow_id").and_then(Value::as_str).unwrap_or_default().to_owned();
    let errors = ValidationError::read_all(&answer);
    let (problems, hash) = state
        .document
        .with_untracked(|document| (locate(&errors, document), fingerprint(&text_of(document))));
    let remote = RemoteLink {
        partner_id,
        waba_id: external_id(workspace, &link.account_id),
        flow_id: meta_flow_id,
        name: state.draft.with_untracked(|draft| draft.name.clone()),
        categories,
        endpoint_uri: previous.endpoint_uri,
        status: "DRAFT".into(),
        remote_hash: Some(hash.clone()),
        saved_hash: Some(hash),
        problems,
    };
    set_link(state, Some(&remote));
    Ok(Saved::Uploaded { errors: errors.len() })
}

/// Publishes (`publish`) or deprecates (`deprecate`) the open draft's workspace flow.
pub async fn lifecycle(
    state: EditorState,
    workspace: Workspace,
    operation: &str,
) -> Result<String, LibraryError> {
    let Some(link) = link_untracked(state) else { return Err(Failure::NotInWorkspace.into()) };
    let client = workspace.client();
    let answer = client.ws_operation(&link.id, operation, &workspace.user_name()).await?;
    let status = answer.get("status").and_then(Value::as_str).unwrap_or_default().to_owned();
    if let Some(mut remote) = remote_link_untracked(state) {
        remote.status.clone_from(&status);
        set_link(state, Some(&remote));
    }
    let name = state.draft.with_untracked(|draft| draft.name.clone());
    Ok(match operation {
        "publish" => {
            format!("{name} is published; it is read-only now (New draft in Flows… makes an editable copy).")
        }
        _ => format!("{name} is deprecated."),
    })
}
