use leptos::prelude::*;
use leptos::task::spawn_local;

use super::link::{matching, set_link, text_of};
use super::{Saving, Workspace};
use crate::api::workspace::WsFlow;
use crate::features::library::link::{RemoteLink, fingerprint, locate, set_link as set_remote_link};
use crate::state::{DraftInfo, EditorState};

/// Opens a workspace flow (`json` its flow.json) as the open draft, linked to it; when the
/// flow is on WhatsApp, linked there too, so its status, Meta's errors and the lock of a
/// published flow show as for any flow on WhatsApp.
pub fn open_flow(state: EditorState, workspace: Workspace, flow: &WsFlow, json: serde_json::Value) {
    let partner_id = workspace.library.settings.with_untracked(|settings| settings.partner_id.clone());
    let external_id = workspace.external_id(&flow.account_id);
    let document = flow_model::Document::from_value(json);
    // One local draft per workspace flow: opening it again replaces that draft, not adds one.
    state.open(document, DraftInfo { id: format!("workspace-{}", flow.id), name: flow.name.clone() });
    set_link(state, Some(&matching(state, &flow.id, &flow.account_id, flow.revision)));
    if let Some(meta_flow_id) = &flow.meta_flow_id {
        let (problems, hash) = state.document.with_untracked(|document| {
            (locate(&flow.validation_errors, document), fingerprint(&text_of(document)))
        });
        let remote = RemoteLink {
            partner_id,
            waba_id: external_id,
            flow_id: meta_flow_id.clone(),
            name: flow.name.clone(),
            categories: flow.categories.clone(),
            status: flow.status.clone(),
            remote_hash: (!flow.unsaved).then(|| hash.clone()),
            saved_hash: (!flow.unsaved).then_some(hash),
            problems,
            ..RemoteLink::default()
        };
        set_remote_link(state, Some(&remote));
    }
    workspace.saving.set(Saving::Saved);
}

/// Fetches the workspace flow `id` and opens it.
pub fn open_by_id(state: EditorState, workspace: Workspace, id: String) {
    let client = workspace.client();
    spawn_local(async move {
        match client.ws_get(&id).await {
            Ok((flow, json)) => {
                open_flow(state, workspace, &flow, json);
                state.notify(format!("Opened {} from the workspace.", flow.name));
            }
            Err(error) => state.notify_error(error.for_people()),
        }
    });
}
