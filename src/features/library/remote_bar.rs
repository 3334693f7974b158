use leptos::prelude::*;

use super::connection_dialog::ConnectionDialog;
use super::flow_actions::FlowActions;
use super::link::{has_unsaved_changes, remote_link, status_label};
use super::{use_actions, use_library};
use crate::features::workspace::{
    AccountWaitNotice, ConflictDialog as WorkspaceConflict, FlowsFrame, WorkspaceStatus, link_tracked,
    use_workspace,
};
use crate::state::use_editor;

/// The toolbar's WhatsApp account and its actions, as one group: where calls go (mode badge,
/// account), the flows library, and the open draft's flow on WhatsApp with what can be done to
/// it.
#[component]
pub fn RemoteBar() -> impl IntoView {
    let state = use_editor();
    let library = use_library();
    let actions = use_actions();
    let workspace = use_workspace();
    let connection = RwSignal::new(false);
    let link = remote_link(state);
    let unsaved = Memo::new(move |_| {
        state.revision.track();
        link.with(|link| link.as_ref().map(|link| has_unsaved_changes(state, link)))
    });
    let account = move || {
        library.settings.with(|settings| {
            if settings.waba_id.is_empty() {
                "choose an account".to_owned()
            } else {
                settings.waba_id.clone()
            }
        })
    };
    // The chosen account's backend when the workspace knows it (a stored Meta connection's
    // account on a server in sandbox or 360dialog mode), else the server's mode.
    let badge = move || {
        let chosen = library.settings.with(|s| (!s.direct).then(|| s.waba_id.clone()));
        chosen
            .and_then(|waba| workspace.backend_label(&waba))
            .map_or_else(|| library.mode_label(), str::to_owned)
    };
    view! {
        <div class="toolbar__group remote-bar" role="group" aria-label="WhatsApp account" data-testid="remote-bar">
            <button
                class="button connection-button"
                data-testid="connection-button"
                title=move || format!("Partner API connection: partner, WhatsApp Business Account ({}), mode", account())
                on:click=move |_| connection.set(true)
            >
                <span
                    class="mode-badge"
                    class:mode-badge--sandbox=move || badge() == "Sandbox"
                    class:mode-badge--direct=move || library.settings.with(|s| s.direct)
                    data-testid="mode-badge"
                >
                    {badge}
                </span>
                <span class="connection-button__account" data-testid="connection-account">{account}</span>
            </button>
            // The Flows page: the team's flows on the server (when it keeps them), and the
            // flows as WhatsApp has them.
            <button class="button" data-testid="open-library" on:click=move |_| {
                let tab = if workspace.available.get_untracked() { "" } else { "?tab=whatsapp" };
                workspace.frame.set(Some(format!("/flows{tab}")));
            }>"Flows…"</button>
            <WorkspaceStatus />
            <Show when=move || link.with(Option::is_some)>
                <span class="remote-flow" data-testid="remote-flow" title=move || link.with(|l| l.as_ref().map(|l| format!("Linked to the flow {} on WhatsApp", l.name)))>
                    <span class="remote-flow__name">{move || link.with(|l| l.as_ref().map(|l| l.name.clone()))}</span>
                    <span
                        class="status-badge"
                        data-testid="remote-status"
                        data-status=move || link.with(|l| l.as_ref().map(|l| l.status.clone()))
                    >
                        {move || link.with(|l| l.as_ref().map(|l| status_label(&l.status)))}
                    </span>
                    <Show when=move || unsaved.get() == Some(true)>
                        <span class="remote-flow__unsaved" data-testid="unsaved-changes" title="Changed since it was last saved to WhatsApp">
                            "•"<span class="visually-hidden">" not saved"</span>
                        </span>
                    </Show>
                </span>
            </Show>
            <FlowActions link=link />
            <Show when=move || actions.busy()>
                <span class="spinner" role="progressbar" aria-label="Working" data-testid="remote-busy"></span>
            </Show>
            // A call of this account (or of the open workspace flow) waiting for Meta's rate limit.
            <AccountWaitNotice
                told=workspace.waiting
                account=Signal::derive(move || library.settings.with(|settings| settings.waba_id.clone()))
                flow=Signal::derive(move || link_tracked(state).map(|link| link.id))
                testid="whatsapp-waiting"
            />
            <ConnectionDialog open=connection />
            <FlowsFrame />
            <WorkspaceConflict />
        </div>
    }
    .into_any()
}
