use leptos::prelude::*;
use leptos::task::spawn_local;

use super::DraftRecord;
use super::autosave::open_record;
use crate::components::Dialog;
use crate::state::use_editor;
use crate::storage::{self, Store};

fn when(updated_at: f64) -> String {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(updated_at));
    String::from(date.to_locale_string("default", &wasm_bindgen::JsValue::UNDEFINED))
}

/// The drafts kept in this browser: open, rename, delete.
#[component]
pub fn DraftsDialog(open: RwSignal<bool>) -> impl IntoView {
    let state = use_editor();
    let drafts = RwSignal::new(Vec::<DraftRecord>::new());
    let error = RwSignal::new(None::<String>);
    let renaming = RwSignal::new(None::<String>);
    let load = move || {
        spawn_local(async move {
            match storage::all(Store::Drafts).await {
                Ok(values) => {
                    let mut records: Vec<DraftRecord> =
                        values.iter().filter_map(|json| DraftRecord::from_json(json)).collect();
                    flow_model::order::sort_by(&mut records, |a, b| b.updated_at.total_cmp(&a.updated_at));
                    drafts.set(records);
                    error.set(None);
                }
                Err(failure) => error.set(Some(failure.to_string())),
            }
        });
    };
    Effect::new(move |_| {
        if open.get() {
            load();
        }
    });
    let write = move |record: DraftRecord| {
        spawn_local(async move {
            if let Err(failure) = storage::put(Store::Drafts, &record.id, &record.to_json()).await {
                error.set(Some(failure.to_string()));
            }
            load();
        });
    };
    let delete = move |id: String| {
        spawn_local(async move {
            if let Err(failure) = storage::delete(Store::Drafts, &id).await {
                error.set(Some(failure.to_string()));
            }
            load();
        });
    };
    view! {
        <Dialog open=open on_close=Callback::new(move |()| open.set(false)) title="Drafts in this browser" testid="drafts-dialog">
            <p class="field__error" role="alert">{move || error.get()}</p>
            <Show when=move || drafts.with(Vec::is_empty)>
                <p class="muted">"No drafts yet."</p>
            </Show>
            <ul class="drafts">
                <For
                    each=move || drafts.get()
                    key=|record| (record.id.clone(), record.name.clone(), record.updated_at.to_bits())
                    children=move |record| {
                        let current = state.draft.with_untracked(|draft| draft.id == record.id);
                        let id = record.id.clone();
                        let (rename_id, delete_id) = (id.clone(), id.clone());
                        let is_renaming = {
                            let id = id.clone();
                            move || renaming.get().as_deref() == Some(id.as_str())
                        };
                        let to_open = record.clone();
                        let to_rename = record.clone();
                        view! {
                            <li class="draft" data-testid="draft">
                                <Show
                                    when=is_renaming
                                    fallback={
                                        let name = record.name.clone();
                                        move || view! { <strong class="draft__name">{name.clone()}</strong> }
                                    }
                                >
                                    <input
                                        class="draft__rename"
                                        aria-label="Draft name"
                                        value=to_rename.name.clone()
                                        on:keydown={
                                            let to_rename = to_rename.clone();
                                            move |event| {
                                                if event.key() == "Enter" {
                                                    let name = event_target_value(&event).trim().to_owned();
                                                    if !name.is_empty() {
                                                        if state.draft.with_untracked(|d| d.id == to_rename.id) {
                                                            state.draft.update(|draft| draft.name = name.clone());
                                                        }
                                                        write(DraftRecord { name, ..to_rename.clone() });
                                                    }
                                                    renaming.set(None);
                                                } else if event.key() == "Escape" {
                                                    event.prevent_default();
                                                    renaming.set(None);
                                                }
                                            }
                                        }
                                    />
                                </Show>
                                <span class="muted">
                                    {format!("{} screens · {} · {}", record.screens, record.version, when(record.updated_at))}
                                    {current.then_some(" · open now")}
                                </span>
                                <span class="draft__actions">
                                    <button class="button button--small" disabled=current on:click={
                                        let record = to_open.clone();
                                        move |_| {
                                            if open_record(state, record.clone()) {
                                                open.set(false);
                                            } else {
                                                error.set(Some("This draft is damaged and cannot be opened.".into()));
                                            }
                                        }
                                    }>"Open"</button>
                                    <button class="button button--small" on:click=move |_| renaming.set(Some(rename_id.clone()))>"Rename"</button>
                                    <button class="button button--small button--danger" disabled=current
                                        title=if current { "The open draft cannot be deleted" } else { "Delete this draft" }
                                        on:click=move |_| delete(delete_id.clone())>"Delete"</button>
                                </span>
                            </li>
                        }
                    }
                />
            </ul>
        </Dialog>
    }
    .into_any()
}
