use leptos::prelude::*;

use super::clone_dialog::CloneDialog;
use super::confirm::ConfirmDialog;
use super::conflict_dialog::ConflictDialog;
use super::details_dialog::DetailsDialog;
use super::link::RemoteLink;
use super::ops::{Lifecycle, SaveRequest, Saved};
use super::publish_dialog::PublishDialog;
use super::{CloneSource, Job, LifecycleRequest, use_actions, use_library};
use crate::components::Menu;
use crate::features::workspace::access::Role;
use crate::features::workspace::{Saving, link_untracked, use_workspace};

/// What can be done to the open draft's flow: save (with a retry after a failure), and in
/// "More": publish, details, clone, deprecate, delete. (WhatsApp's preview is a tab of the
/// preview area.)
#[component]
pub fn FlowActions(link: Memo<Option<RemoteLink>>) -> impl IntoView {
    let actions = use_actions();
    let use_editor_state = StoredValue::new(crate::state::use_editor());
    let (library, workspace) = (use_library(), use_workspace());
    // Why the signed-in user's role on the flow's account (or the chosen one) does not allow
    // what needs `role`: the control is disabled and says so.
    let refused = move |role: Role| {
        let account = link.with(|link| link.as_ref().map(|link| link.waba_id.clone()));
        workspace.refusal(role, &account.unwrap_or_else(|| library.settings.with(|s| s.waba_id.clone())))
    };
    let details = RwSignal::new(false);
    let publish = RwSignal::new(false);
    let clone = RwSignal::new(None::<CloneSource>);
    let confirm = RwSignal::new(None::<LifecycleRequest>);
    let ask = move |operation: Lifecycle| {
        if let Some(link) = link.get_untracked() {
            confirm.set(Some((link.account(), link.flow_id.clone(), link.name.clone(), operation)));
        }
    };
    let ask_clone = move |_| {
        if let Some(link) = link.get_untracked() {
            clone.set(Some((link.account(), link.info(), true)));
        }
    };
    let save_with = move |request: SaveRequest| actions.run(Job::Save(request));
    let save = move |_| {
        if link.with_untracked(Option::is_none) {
            details.set(true);
        } else {
            save_with(SaveRequest::default());
        }
    };
    let failure = move || actions.saved().and_then(Result::err);
    let asks_details =
        Signal::derive(move || details.get() || actions.saved() == Some(Ok(Saved::NeedsDetails)));
    // A retry repeats the failed save as it was asked.
    let retry = move |_| {
        if let Some((job @ Job::Save(_), Err(_))) = actions.job.value_untracked() {
            actions.run(job);
        }
    };
    let status = move || link.with(|link| link.as_ref().map(|link| link.status.clone()).unwrap_or_default());
    let linked = move || link.with(Option::is_some);
    let editable = move || link.with(|link| link.as_ref().is_none_or(RemoteLink::is_editable));
    let live = move || matches!(status().as_str(), "PUBLISHED" | "THROTTLED" | "BLOCKED");
    // Sending goes through the workspace: the Flows page opens its Send dialog for this flow.
    let in_workspace = move || workspace.saving.with(|saving| *saving != Saving::Unlinked);
    let send = move |_| {
        if let Some(link) = link_untracked(use_editor_state.get_value()) {
            workspace.frame.set(Some(format!("/flows?send={}", crate::api::encode_query(&link.id))));
        }
    };
    view! {
        <button
            class="button button--primary"
            data-testid="save-remote"
            disabled=move || actions.busy() || !editable() || refused(Role::Editor).is_some()
            title=move || refused(Role::Editor).unwrap_or_else(|| if editable() { "Save this draft to WhatsApp (creates the flow on the first save)" } else { "Only drafts can be saved: clone this flow to change it" }.into())
            on:click=save
        >
            {move || if actions.saving() { "Saving…" } else { "Save to WhatsApp" }}
        </button>
        <Menu label="More" testid="flow-menu">
            <button class="menu__item" data-testid="publish" title=move || refused(Role::Publisher) disabled=move || !linked() || actions.busy() || status() != "DRAFT" || refused(Role::Publisher).is_some() on:click=move |_| publish.set(true)>"Publish…"</button>
            <button class="menu__item" data-testid="send-flow" title=move || refused(Role::Editor) hidden=move || !in_workspace() disabled=move || !linked() || refused(Role::Editor).is_some() on:click=send>"Send…"</button>
            <button class="menu__item" data-testid="edit-details" title=move || refused(Role::Editor) disabled=move || actions.busy() || !editable() || refused(Role::Editor).is_some() on:click=move |_| details.set(true)>"Name and categories…"</button>
            <button class="menu__item" data-testid="clone-flow" title=move || refused(Role::Editor) disabled=move || !linked() || actions.busy() || refused(Role::Editor).is_some() on:click=ask_clone>"Clone…"</button>
            <button class="menu__item" data-testid="deprecate-flow" title=move || refused(Role::Publisher) disabled=move || !live() || actions.busy() || refused(Role::Publisher).is_some() on:click=move |_| ask(Lifecycle::Deprecate)>"Deprecate…"</button>
            <button class="menu__item menu__item--danger" data-testid="delete-flow" title=move || refused(Role::Publisher) disabled=move || status() != "DRAFT" || actions.busy() || refused(Role::Publisher).is_some() on:click=move |_| ask(Lifecycle::Delete)>"Delete from WhatsApp…"</button>
        </Menu>
        <Show when=move || failure().is_some()>
            <span class="save-failure" role="alert" data-testid="save-error">
                <span>{move || failure().map(|message| format!("Not saved: {message} Your draft is safe in this browser."))}</span>
                <button class="button button--small" data-testid="save-retry" disabled=move || actions.busy() on:click=retry>"Retry"</button>
                <button class="icon-button" aria-label="Dismiss" on:click=move |_| actions.forget()>"×"</button>
            </span>
        </Show>
        <DetailsDialog
            open=asks_details
            link=link
            on_close=Callback::new(move |()| {
                details.set(false);
                if actions.saved() == Some(Ok(Saved::NeedsDetails)) {
                    actions.forget();
                }
            })
            on_save=Callback::new(move |chosen| {
                details.set(false);
                save_with(SaveRequest { details: Some(chosen), overwrite: false });
            })
        />
        <ConflictDialog on_overwrite=Callback::new(move |()| {
            let asked = match actions.job.value_untracked() {
                Some((Job::Save(request), _)) => request,
                _ => SaveRequest::default(),
            };
            save_with(SaveRequest { overwrite: true, ..asked });
        }) />
        <PublishDialog open=publish link=link />
        <CloneDialog source=clone />
        <ConfirmDialog request=confirm />
    }
    .into_any()
}
