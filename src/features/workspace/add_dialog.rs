use leptos::prelude::*;
use leptos::task::spawn_local;

use super::link::{matching, set_link, text_of};
use super::{Saving, use_workspace};
use crate::components::{Dialog, DialogActions};
use crate::state::use_editor;

/// Adds the open draft (not yet in the workspace) to an account of the workspace. The first
/// account is chosen for a newcomer: the sandbox has exactly the accounts to use.
#[component]
pub fn AddDialog() -> impl IntoView {
    let state = use_editor();
    let workspace = use_workspace();
    let open = workspace.add_open;
    let accounts =
        Memo::new(move |_| workspace.accounts.get().flatten().and_then(Result::ok).unwrap_or_default());
    let account = RwSignal::new(String::new());
    let name = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let add = move |()| {
        let account_id = Some(account.get_untracked())
            .filter(|id| !id.is_empty())
            .or_else(|| accounts.with_untracked(|list| list.first().map(|account| account.id.clone())));
        let Some(account_id) = account_id else { return };
        let chosen =
            name.get_untracked().unwrap_or_else(|| state.draft.with_untracked(|draft| draft.name.clone()));
        let text = state.document.with_untracked(text_of);
        let client = workspace.client();
        let user = workspace.user_name();
        busy.set(true);
        spawn_local(async move {
            let result = client.ws_create(&account_id, chosen.trim(), &text, &user).await;
            busy.set(false);
            match result {
                Ok(flow) => {
                    set_link(state, Some(&matching(state, &flow.id, &flow.account_id, flow.revision)));
                    state.draft.update(|draft| draft.name.clone_from(&flow.name));
                    workspace.saving.set(Saving::Saved);
                    state.notify(format!(
                        "{} is in the workspace: changes are saved there as you edit.",
                        flow.name
                    ));
                    open.set(false);
                }
                Err(error) => state.notify_error(error.for_people()),
            }
        });
    };
    view! {
        <Dialog open=open on_close=Callback::new(move |()| open.set(false)) title="Add to the workspace" testid="ws-add">
            <p class="muted">"The draft is then kept on the server, with its history, for the whole team."</p>
            <label class="field">
                <span>"Name"</span>
                <input type="text" data-testid="ws-add-name" maxlength="200"
                    prop:value=move || name.get().unwrap_or_else(|| state.draft.with(|draft| draft.name.clone()))
                    on:input=move |e| name.set(Some(event_target_value(&e))) />
            </label>
            <label class="field">
                <span>"WhatsApp Business Account"</span>
                <select data-testid="ws-add-account" on:change=move |e| account.set(event_target_value(&e))>
                    {move || accounts.get().into_iter().map(|a| view! { <option value=a.id.clone()>{a.name}</option> }).collect_view()}
                </select>
            </label>
            <DialogActions on_cancel=Callback::new(move |()| open.set(false)) label="Add to workspace"
                on_confirm=Callback::new(add) testid="ws-add-save"
                disabled=Signal::derive(move || busy.get() || accounts.with(Vec::is_empty)) />
        </Dialog>
    }
    .into_any()
}
