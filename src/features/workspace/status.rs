use leptos::prelude::*;

use super::link::{link_tracked, link_untracked};
use super::{Saving, Workspace, use_workspace};
use crate::api::encode_query;
use crate::features::drafts::Autosave;
use crate::state::{EditorState, use_editor};

/// Adds the open draft to the workspace: the Flows page's drafts tab asks for its name and
/// account (the draft is written first, so the page reads it as it is).
fn add(state: EditorState, workspace: Workspace, autosave: Option<Autosave>) {
    if let Some(autosave) = autosave {
        autosave.save_now(state);
    }
    let id = encode_query(&state.draft.with_untracked(|draft| draft.id.clone()));
    workspace.frame.set(Some(format!("/flows?tab=drafts&current={id}&add={id}")));
}

/// The toolbar's workspace part: where the open draft's changes are with the server, its
/// history, and the team's flows.
#[component]
pub fn WorkspaceStatus() -> impl IntoView {
    let state = use_editor();
    let workspace = use_workspace();
    let autosave = use_context::<Autosave>();
    let linked = Memo::new(move |_| link_tracked(state).is_some());
    // A viewer's edits stay in this browser: the server would refuse them.
    let read_only = move || {
        link_tracked(state).and_then(|link| workspace.refusal(super::access::Role::Editor, &link.account_id))
    };
    let user =
        move || workspace.session.get().flatten().map(|session| session.user).filter(|user| !user.is_empty());
    let label = move || match workspace.saving.get() {
        _ if read_only().is_some() => "Read only".to_owned(),
        Saving::Unlinked => "Only in this browser".to_owned(),
        Saving::Saved => "Saved".to_owned(),
        Saving::Sending => "Saving…".to_owned(),
        Saving::Offline(1) => "Offline: 1 change waiting".to_owned(),
        Saving::Offline(count) => format!("Offline: {count} changes waiting"),
        Saving::Conflict(_) => "Someone else saved".to_owned(),
        Saving::Refused(_) => "Not saved".to_owned(),
    };
    let kind = move || match workspace.saving.get() {
        _ if read_only().is_some() => "unlinked",
        Saving::Unlinked => "unlinked",
        Saving::Saved => "saved",
        Saving::Sending => "sending",
        Saving::Offline(_) => "offline",
        Saving::Conflict(_) => "conflict",
        Saving::Refused(_) => "refused",
    };
    let why = move || {
        if let Some(why) = read_only() {
            return format!("{why} Your changes stay in this browser.");
        }
        match workspace.saving.get() {
        Saving::Refused(why) => why,
        Saving::Offline(_) => {
            "The server cannot be reached; your changes are kept in this browser and sent when it can be."
                .to_owned()
        }
        Saving::Unlinked => {
            "Only in this browser: add this draft to the workspace to keep it on the server, with its history.".to_owned()
        }
        _ => "Changes are saved to the team's workspace on the server as you edit.".to_owned(),
    }
    };
    view! {
        <Show when=move || workspace.available.get()>
            <span class="ws-status" data-testid="workspace-status" data-state=kind title=why role="status">{label}</span>
            <Show when=move || matches!(workspace.saving.get(), Saving::Refused(_)) && read_only().is_none()>
                <button class="button button--small" data-testid="workspace-retry" on:click=move |_| workspace.send_now()>"Try again"</button>
            </Show>
            <Show
                when=move || linked.get()
                fallback=move || view! {
                    <button class="button" data-testid="workspace-add" title=why on:click=move |_| add(state, workspace, autosave)>"Add to workspace…"</button>
                }
            >
                <button class="button" data-testid="open-history" on:click=move |_| {
                    if let Some(link) = link_untracked(state) {
                        workspace.frame.set(Some(format!("/flows?history={}", encode_query(&link.id))));
                    }
                }>"History…"</button>
            </Show>
            {move || user().map(|user| view! {
                <button class="button button--small" data-testid="sign-out" title=format!("Signed in as {user}: sign out") on:click=move |_| {
                    leptos::task::spawn_local(async move {
                        if workspace.client().ws_sign_out().await.is_ok() {
                            let _ = window().location().set_href("/signin");
                        }
                    });
                }>{user.clone()}</button>
            })}
        </Show>
    }
    .into_any()
}
