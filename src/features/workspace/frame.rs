use leptos::prelude::*;

use super::add_dialog::{ADDED_MESSAGE, link_of_message};
use super::link::{set_link, text_of};
use super::open::open_by_id;
use super::page::OPEN_MESSAGE;
use super::{Saving, use_workspace};
use crate::api::Account;
use crate::components::Dialog;
use crate::features::drafts::{OPEN_DRAFT_MESSAGE, RENAMED_MESSAGE, open_stored};
use crate::features::library::link::fingerprint;
use crate::features::library::{Job, OPEN_WHATSAPP_MESSAGE, use_actions};
use crate::framing::CLOSE_MESSAGE;
use crate::state::use_editor;

/// The Flows page (`/flows`, a bundle of its own) in a dialog over the editor: what is opened
/// there opens here (its `flowsmith:open-flow`, `flowsmith:open-whatsapp-flow` and
/// `flowsmith:open-draft` messages, taken only from that frame), a draft added to the
/// workspace there is linked here (`flowsmith:draft-added`), and Escape there closes it.
#[component]
pub fn FlowsFrame() -> impl IntoView {
    let state = use_editor();
    let workspace = use_workspace();
    let actions = use_actions();
    let open = Signal::derive(move || workspace.frame.with(Option::is_some));
    let close = Callback::new(move |()| workspace.frame.set(None));
    let frame = NodeRef::<leptos::html::Iframe>::new();
    let listener = window_event_listener(leptos::ev::message, move |event: web_sys::MessageEvent| {
        // Compared as values: the frame's window is not an instance of this page's `Window`
        // (another realm), so it cannot be cast to one.
        let from_frame =
            frame.get_untracked().and_then(|frame| frame.content_window()).is_some_and(|inner| {
                event.source().is_some_and(|source| {
                    wasm_bindgen::JsValue::from(source) == wasm_bindgen::JsValue::from(inner)
                })
            });
        let same_origin = event.origin() == window().location().origin().unwrap_or_default();
        if !(from_frame && same_origin) {
            return;
        }
        let data = event.data();
        let field =
            |name: &str| js_sys::Reflect::get(&data, &name.into()).ok().and_then(|value| value.as_string());
        match (field("type").as_deref(), field("id"), field("waba_id"), field("flow_id")) {
            (Some(CLOSE_MESSAGE), ..) => workspace.frame.set(None),
            (Some(OPEN_MESSAGE), Some(id), ..) => {
                workspace.frame.set(None);
                open_by_id(state, workspace, id);
            }
            (Some(OPEN_DRAFT_MESSAGE), Some(id), ..) => {
                workspace.frame.set(None);
                open_stored(state, id);
            }
            (Some(ADDED_MESSAGE), Some(id), ..) if state.draft.with_untracked(|draft| draft.id == id) => {
                let Some(link) = link_of_message(&data) else { return };
                workspace.frame.set(None);
                let name = field("name").unwrap_or_default();
                set_link(state, Some(&link));
                // The page sent the draft as IndexedDB had it: a change made since goes now.
                let current = state.document.with_untracked(|document| fingerprint(&text_of(document)));
                if current == link.hash {
                    workspace.saving.set(Saving::Saved);
                } else {
                    workspace.send_now();
                }
                state.notify(format!("{name} is in the workspace: changes are saved there as you edit."));
                state.draft.update(|draft| draft.name = name);
            }
            (Some(RENAMED_MESSAGE), Some(id), ..) => {
                if let Some(name) =
                    field("name").filter(|_| state.draft.with_untracked(|draft| draft.id == id))
                {
                    state.draft.update(|draft| draft.name = name);
                }
            }
            (Some(OPEN_WHATSAPP_MESSAGE), _, Some(waba_id), Some(flow_id)) if !actions.busy() => {
                workspace.frame.set(None);
                let partner_id =
                    workspace.library.settings.with_untracked(|settings| settings.partner_id.clone());
                actions.run(Job::Open(Account { partner_id, waba_id }, flow_id));
            }
            _ => {}
        }
    });
    on_cleanup(move || listener.remove());
    view! {
        <Dialog open=open on_close=close title="Flows" testid="flows-frame-dialog">
            // In the page only while shown: the Flows page loads when asked for, not with the editor.
            <Show when=move || open.get()>
                <iframe node_ref=frame class="flows-frame" title="The team's flows" data-testid="flows-frame"
                src=move || workspace.frame.get().unwrap_or_default()></iframe>
            </Show>
        </Dialog>
    }
    .into_any()
}
