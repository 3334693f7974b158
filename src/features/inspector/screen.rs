//! The selected screen's own properties (when no component is selected).
use flow_model::is_valid_screen_id;
use flow_model::json::pointer;
use flow_model::model::{Screen, key};
use leptos::prelude::*;
use serde_json::Value;

use super::FieldMessages;
use super::bindings::form_fields;
use super::data_model::SchemaFields;
use super::values::{display, value_at, write};
use crate::state::use_editor;

/// Id, title, terminal and success, refresh_on_back, sensitive fields, and the data model.
#[component]
pub fn ScreenInspector(screen: usize) -> impl IntoView {
    let state = use_editor();
    let at = Screen::pointer_of(screen);
    let (id, title, terminal, success, refresh) = (
        value_at(state, pointer::join(&at, key::ID)),
        value_at(state, pointer::join(&at, key::TITLE)),
        value_at(state, pointer::join(&at, key::TERMINAL)),
        value_at(state, pointer::join(&at, key::SUCCESS)),
        value_at(state, pointer::join(&at, key::REFRESH_ON_BACK)),
    );
    let sensitive = value_at(state, pointer::join(&at, key::SENSITIVE));
    let inputs = Memo::new(move |_| state.document.with(|d| form_fields(d.root(), screen)));
    let id_text = RwSignal::new(None::<String>);
    let id_error = move || {
        let typed = id_text.get()?;
        let current = id.with(|id| id.as_ref().map(display)).unwrap_or_default();
        if typed == current {
            None
        } else if !is_valid_screen_id(&typed) {
            Some("Letters and underscores only (no digits), not only underscores, not SUCCESS.".to_owned())
        } else {
            None
        }
    };
    let rename = move || {
        let Some(typed) = id_text.get_untracked() else { return };
        let current = id.with_untracked(|id| id.as_ref().map(display)).unwrap_or_default();
        if typed != current && id_error().is_none() && state.edit(|d| d.rename_screen(&current, &typed)) {
            state.notify(format!("Renamed {current} to {typed}; every reference follows."));
        }
        id_text.set(None);
    };
    let flag = move |key: &'static str, checked: bool| {
        let at = pointer::join(&Screen::pointer_of(screen), key);
        write(state, &at, checked.then_some(Value::Bool(true)));
    };
    let (title_at, success_at, sensitive_at) = (
        pointer::join(&at, key::TITLE),
        pointer::join(&at, key::SUCCESS),
        pointer::join(&at, key::SENSITIVE),
    );
    view! {
        <section class="inspector__screen" data-testid="screen-inspector">
            <h2 class="inspector__title">"Screen"</h2>
            <label class="field">
                <span class="field__label">"id " <span class="field__hint">"(references follow a rename)"</span></span>
                <input
                    data-testid="screen-id"
                    prop:value=move || id_text.get().unwrap_or_else(|| id.with(|id| id.as_ref().map(display)).unwrap_or_default())
                    on:input=move |event| id_text.set(Some(event_target_value(&event)))
                    on:keydown=move |event| {
                        if event.key() == "Enter" {
                            rename();
                        } else if event.key() == "Escape" {
                            id_text.set(None);
                        }
                    }
                    on:blur=move |_| rename()
                />
                <span class="field__error" role="alert">{id_error}</span>
                <FieldMessages at=pointer::join(&at, "id") />
            </label>
            <label class="field">
                <span class="field__label">"title"</span>
                <input
                    data-testid="screen-title-input"
                    list="binding-suggestions"
                    prop:value=move || title.with(|t| t.as_ref().map(display).unwrap_or_default())
                    on:input=move |event| write(state, &title_at, Some(Value::String(event_target_value(&event))))
                    on:blur=move |_| state.break_burst()
                />
                <FieldMessages at=pointer::join(&at, "title") />
            </label>
            <label class="choice">
                <input type="checkbox" data-testid="screen-terminal"
                    prop:checked=move || terminal.with(|t| t.as_ref().and_then(Value::as_bool) == Some(true))
                    on:change=move |event| flag("terminal", event_target_checked(&event)) />
                "Terminal screen (ends the flow; needs a Footer that completes it)"
            </label>
            <Show when=move || terminal.with(|t| t.as_ref().and_then(Value::as_bool) == Some(true))>
                <label class="choice">
                    <input type="checkbox"
                        prop:checked=move || success.with(|s| s.as_ref().and_then(Value::as_bool) != Some(false))
                        on:change={
                            let success_at = success_at.clone();
                            move |event| {
                                let value = if event_target_checked(&event) { None } else { Some(Value::Bool(false)) };
                                write(state, &success_at, value);
                            }
                        } />
                    "Counts as a successful end (success)"
                </label>
            </Show>
            <label class="choice">
                <input type="checkbox"
                    prop:checked=move || refresh.with(|r| r.as_ref().and_then(Value::as_bool) == Some(true))
                    on:change=move |event| flag("refresh_on_back", event_target_checked(&event)) />
                "Ask the endpoint for data again on back (refresh_on_back)"
            </label>
            <FieldMessages at=pointer::join(&at, "refresh_on_back") />
            <fieldset class="field">
                <legend class="field__label">"Sensitive fields (masked in the completion summary)"</legend>
                <Show when=move || inputs.with(Vec::is_empty)>
                    <p class="muted">"This screen has no inputs."</p>
                </Show>
                {move || {
                    let sensitive_at = sensitive_at.clone();
                    inputs
                        .get()
                        .into_iter()
                        .map(|name| {
                            let checked_name = name.clone();
                            let at = sensitive_at.clone();
                            view! {
                                <label class="choice">
                                    <input type="checkbox"
                                        prop:checked=move || sensitive.with(|s| s.as_ref().and_then(Value::as_array).is_some_and(|l| l.iter().any(|v| v == checked_name.as_str())))
                                        on:change={
                                            let name = name.clone();
                                            move |event| {
                                                let mut list: Vec<Value> = sensitive.get_untracked().and_then(|s| s.as_array().cloned()).unwrap_or_default();
                                                list.retain(|v| v != name.as_str());
                                                if event_target_checked(&event) {
                                                    list.push(Value::from(name.clone()));
                                                }
                                                write(state, &at, (!list.is_empty()).then_some(Value::Array(list)));
                                            }
                                        } />
                                    {name.clone()}
                                </label>
                            }
                        })
                        .collect_view()
                }}
                <FieldMessages at=pointer::join(&at, "sensitive") />
            </fieldset>
            <h3 class="inspector__subtitle">"Data model"</h3>
            <p class="muted">"What this screen receives (navigate payloads, the endpoint), with an example for the preview."</p>
            <SchemaFields at=pointer::join(&at, "data") top_level=true />
            <FieldMessages at=pointer::join(&at, "data") />
        </section>
    }
    .into_any()
}
