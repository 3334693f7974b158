//! Adding a draft of this browser to the workspace, on the Flows page's "In this browser" tab
//! (the editor's "Add to workspace…" opens that tab for its open draft). The draft's record
//! is linked to the new flow where it is kept (IndexedDB), and the editor that frames the page
//! is told (`flowsmith:draft-added`), so the draft it has open is linked too and its next
//! change goes to the server.
//!
//! On the Flows page rather than in the editor because of the editor's bundle budget
//! (BENCHMARKS.md): creating flows happens on that page, as opening and renaming them do.
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::USER_KEY;
use super::link::{KEY, WsLink};
use crate::api::{Client, Via};
use crate::components::{Dialog, DialogActions};
use crate::features::drafts::DraftRecord;
use crate::features::library::link::fingerprint;
use crate::storage::{self, Store};
use crate::tasks::Loaded;

/// The message that tells the editor a draft is now in the workspace: `id` (the draft),
/// `flow`, `account_id`, `revision`, `hash` (of the text sent) and `name`.
pub const ADDED_MESSAGE: &str = "flowsmith:draft-added";

/// Whether a stored draft is linked to a workspace flow.
pub fn in_workspace(record: &DraftRecord) -> bool {
    record.extra.get(KEY).is_some_and(|link| WsLink::from_value(link).is_some())
}

/// Posts the new link to the editor that frames this page (nothing when it is on its own).
fn tell_editor(draft: &str, link: &WsLink, name: &str) {
    #[allow(clippy::cast_precision_loss, reason = "revisions stay far below 2^53")]
    let revision = wasm_bindgen::JsValue::from_f64(link.revision as f64);
    crate::framing::tell_editor(&[
        ("type", ADDED_MESSAGE.into()),
        ("id", draft.into()),
        ("flow", link.id.as_str().into()),
        ("account_id", link.account_id.as_str().into()),
        ("hash", link.hash.as_str().into()),
        ("name", name.into()),
        ("revision", revision),
    ]);
}

/// The link a message of [`ADDED_MESSAGE`] carries (read by the editor).
pub fn link_of_message(data: &wasm_bindgen::JsValue) -> Option<WsLink> {
    let field = |name: &str| js_sys::Reflect::get(data, &name.into()).ok();
    let text = |name: &str| field(name).and_then(|value| value.as_string());
    #[allow(clippy::cast_possible_truncation, reason = "a revision the page sent as a whole number")]
    let revision = field("revision").and_then(|value| value.as_f64()).map(|number| number as i64)?;
    Some(WsLink { id: text("flow")?, account_id: text("account_id")?, revision, hash: text("hash")? })
}

/// Asks for a name and an account, then creates the workspace flow from the draft's flow.json.
/// The first account is chosen: the sandbox has exactly the accounts to use.
#[component]
pub fn AddDraftDialog(
    /// The draft to add; `None` closes the dialog.
    draft: RwSignal<Option<DraftRecord>>,
    /// Called with the record as stored once it is linked.
    on_added: Callback<DraftRecord>,
) -> impl IntoView {
    let client = || Client::browser(Via::Server { origin: String::new() });
    let accounts =
        Loaded::new(move || async move { client().ws_accounts().await.map_err(|e| e.for_people()) });
    let list = Memo::new(move |_| accounts.get().and_then(Result::ok).unwrap_or_default());
    let account = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    // Each time a draft is asked for, its name is the proposal.
    Effect::new(move |_| {
        if let Some(record) = draft.get() {
            name.set(record.name);
            error.set(None);
        }
    });
    let close = Callback::new(move |()| draft.set(None));
    let add = move |()| {
        let Some(record) = draft.get_untracked() else { return };
        let Some(account_id) = Some(account.get_untracked())
            .filter(|id| !id.is_empty())
            .or_else(|| list.with_untracked(|list| list.first().map(|account| account.id.clone())))
        else {
            return;
        };
        let chosen = name.get_untracked().trim().to_owned();
        let chosen = if chosen.is_empty() { record.name.clone() } else { chosen };
        let user = window()
            .local_storage()
            .ok()
            .flatten()
            .and_then(|storage| storage.get_item(USER_KEY).ok().flatten())
            .unwrap_or_default();
        busy.set(true);
        spawn_local(async move {
            let created = client().ws_create(&account_id, &chosen, &record.flow_json, &user).await;
            let flow = match created {
                Ok(flow) => flow,
                Err(failure) => {
                    busy.set(false);
                    error.set(Some(failure.for_people()));
                    return;
                }
            };
            let link = WsLink {
                id: flow.id,
                account_id: flow.account_id,
                revision: flow.revision,
                hash: fingerprint(&record.flow_json),
            };
            let mut linked = DraftRecord { name: flow.name, ..record };
            linked.extra.insert(KEY.to_owned(), link.to_value());
            // The editor that has this draft open keeps it from now on; told first, so its
            // next write of the draft carries the link.
            tell_editor(&linked.id, &link, &linked.name);
            let kept = storage::put(Store::Drafts, &linked.id, &linked.to_json()).await;
            busy.set(false);
            match kept {
                Ok(()) => {
                    draft.set(None);
                    on_added.run(linked);
                }
                Err(failure) => error.set(Some(format!(
                    "The flow is in the workspace, but this browser could not note it with the draft: {failure}"
                ))),
            }
        });
    };
    view! {
        <Dialog open=Signal::derive(move || draft.with(Option::is_some)) on_close=close title="Add to the workspace" testid="ws-add">
            <p class="muted">"The draft is then kept on the server, with its history, for the whole team."</p>
            <label class="field">
                <span>"Name"</span>
                <input type="text" data-testid="ws-add-name" maxlength="200"
                    prop:value=move || name.get() on:input=move |e| name.set(event_target_value(&e)) />
            </label>
            <label class="field">
                <span>"WhatsApp Business Account"</span>
                <select data-testid="ws-add-account" on:change=move |e| account.set(event_target_value(&e))>
                    {move || list.get().into_iter().map(|a| view! { <option value=a.id.clone()>{a.choice()}</option> }).collect_view()}
                </select>
            </label>
            <p class="field__error" role="alert">{move || error.get().or_else(|| accounts.get().and_then(Result::err))}</p>
            <DialogActions on_cancel=close label="Add to workspace" on_confirm=Callback::new(add) testid="ws-add-save"
                disabled=Signal::derive(move || busy.get() || list.with(Vec::is_empty)) />
        </Dialog>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_draft_is_in_the_workspace_once_its_record_has_a_link() {
        let record = |extra: &str| {
            DraftRecord::from_json(&format!(
                r#"{{"id":"d","name":"N","flow_json":"{{}}","updated_at":1.0{extra}}}"#
            ))
            .expect("a record")
        };
        assert!(!in_workspace(&record("")));
        assert!(!in_workspace(&record(r#","workspace":{"id":"f"}"#)), "a link needs a revision");
        let linked = record(r#","workspace":{"id":"f","account_id":"a","revision":3,"hash":"00"}"#);
        assert!(in_workspace(&linked));
    }
}
