//! The drafts kept in this browser, on the Flows page ("In this browser"): open in the editor,
//! rename, delete, add to the workspace (when the server keeps one; `?add=<id>` asks at once). Opening posts `flowsmith:open-draft` to the editor that frames the page (on
//! its own, the page opens the editor at `/?draft=<id>`); renaming the draft the editor has
//! open tells it (`flowsmith:draft-renamed`), so its next save keeps the new name.
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast as _;

use super::DraftRecord;
use crate::features::workspace::add_dialog::{AddDraftDialog, in_workspace};
use crate::features::workspace::page::query_param;
use crate::storage::{self, Store};

/// The message that opens a draft of this browser in the editor.
pub const OPEN_DRAFT_MESSAGE: &str = "flowsmith:open-draft";
/// The message that tells the editor a draft was renamed.
pub const RENAMED_MESSAGE: &str = "flowsmith:draft-renamed";

fn when(updated_at: f64) -> String {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(updated_at));
    String::from(date.to_locale_string("default", &wasm_bindgen::JsValue::UNDEFINED))
}

/// Posts `{type, id, name}` to the editor that frames this page; `false` when it is on its own.
fn tell_editor(kind: &str, id: &str, name: &str) -> bool {
    crate::framing::tell_editor(&[("type", kind.into()), ("id", id.into()), ("name", name.into())])
}

/// The drafts of this browser, newest first. `current` is the editor's open draft (it cannot be
/// deleted).
#[component]
pub fn DraftsList(
    /// The draft the editor has open.
    current: Option<String>,
    /// Whether the server keeps a workspace (drafts can be added to it).
    #[prop(into)]
    workspace: Signal<bool>,
) -> impl IntoView {
    let drafts = RwSignal::new(Vec::<DraftRecord>::new());
    let error = RwSignal::new(None::<String>);
    let adding = RwSignal::new(None::<DraftRecord>);
    // `?add=<id>`: the editor's "Add to workspace…" for its open draft, asked once it is listed.
    let add_asked = StoredValue::new(query_param("add"));
    let load = move || {
        spawn_local(async move {
            match storage::all(Store::Drafts).await {
                Ok(values) => {
                    let mut records: Vec<DraftRecord> =
                        values.iter().filter_map(|json| DraftRecord::from_json(json)).collect();
                    flow_model::order::sort_by(&mut records, |a, b| b.updated_at.total_cmp(&a.updated_at));
                    if let Some(asked) = add_asked.try_update_value(Option::take).flatten() {
                        match records.iter().find(|record| record.id == asked) {
                            Some(record) if !in_workspace(record) => adding.set(Some(record.clone())),
                            Some(_) => {}
                            None => error.set(Some("That draft is not kept in this browser.".to_owned())),
                        }
                    }
                    drafts.set(records);
                    error.set(None);
                }
                Err(failure) => error.set(Some(failure.to_string())),
            }
        });
    };
    load();
    let find =
        move |id: &str| drafts.with_untracked(|list| list.iter().find(|record| record.id == id).cloned());
    let current = StoredValue::new(current);
    // One handler for every row's buttons (`data-action`, `data-id`): no closure per button.
    let on_click = move |event: web_sys::MouseEvent| {
        let target = event.target().and_then(|target| target.dyn_into::<web_sys::Element>().ok());
        let Some(button) = target.and_then(|element| element.closest("button[data-action]").ok().flatten())
        else {
            return;
        };
        let (Some(action), Some(id)) = (button.get_attribute("data-action"), button.get_attribute("data-id"))
        else {
            return;
        };
        let Some(record) = find(&id) else { return };
        match action.as_str() {
            "open" if !tell_editor(OPEN_DRAFT_MESSAGE, &id, &record.name) => {
                let _ = window().location().assign(&format!("/?draft={}", crate::api::encode_query(&id)));
            }
            "rename" => {
                let Ok(Some(name)) =
                    window().prompt_with_message_and_default("New name of the draft", &record.name)
                else {
                    return;
                };
                let name = name.trim().to_owned();
                if name.is_empty() {
                    return;
                }
                tell_editor(RENAMED_MESSAGE, &id, &name);
                spawn_local(async move {
                    let renamed = DraftRecord { name, ..record };
                    if let Err(failure) = storage::put(Store::Drafts, &renamed.id, &renamed.to_json()).await {
                        error.set(Some(failure.to_string()));
                    }
                    load();
                });
            }
            "add" => adding.set(Some(record)),
            "delete" => spawn_local(async move {
                if let Err(failure) = storage::delete(Store::Drafts, &id).await {
                    error.set(Some(failure.to_string()));
                }
                load();
            }),
            _ => {}
        }
    };
    let row = move |record: &DraftRecord| {
        let open_now = current.with_value(|current| current.as_deref() == Some(record.id.as_str()));
        let linked = in_workspace(record);
        view! {
            <li class="draft" data-testid="draft" data-name=record.name.clone()>
                <strong class="draft__name">{record.name.clone()}</strong>
                <span class="muted">
                    {format!("{} screens · {} · {}", record.screens, record.version, when(record.updated_at))}
                    {open_now.then_some(" · open now")}
                    {linked.then_some(" · in the workspace")}
                </span>
                <span class="draft__actions">
                    <button class="button button--small" data-action="open" data-id=record.id.clone() data-testid="draft-open" disabled=open_now>"Open"</button>
                    <button class="button button--small" data-action="rename" data-id=record.id.clone() data-testid="draft-rename">"Rename"</button>
                    {(workspace.get_untracked() && !linked).then(|| view! {
                        <button class="button button--small" data-action="add" data-id=record.id.clone() data-testid="draft-add">"Add to workspace…"</button>
                    })}
                    <button class="button button--small button--danger" data-action="delete" data-id=record.id.clone() data-testid="draft-delete" disabled=open_now
                        title=if open_now { "The open draft cannot be deleted" } else { "Delete this draft" }>"Delete"</button>
                </span>
            </li>
        }
    };
    view! {
        <section data-testid="drafts-dialog">
            <p class="muted">"Every draft opened in this browser is kept here, even without a server."</p>
            <p class="field__error" role="alert">{move || error.get()}</p>
            <Show when=move || drafts.with(Vec::is_empty)>
                <p class="muted">"No drafts yet."</p>
            </Show>
            <ul class="drafts" on:click=on_click>
                {move || {
                    workspace.track();
                    drafts.with(|list| list.iter().map(row).collect_view())
                }}
            </ul>
            <AddDraftDialog draft=adding on_added=Callback::new(move |_| load()) />
        </section>
    }
    .into_any()
}
