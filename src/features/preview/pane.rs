//! The preview beside the editor: the `/embed` page in an iframe, driven with the same
//! postMessage protocol host applications use. The flow is sent after each change (debounced),
//! the editor's selection highlights the component and shows its screen, and a click in the
//! phone selects the card. The preview's settings are edited here and kept with the draft.
use std::time::Duration;

use flow_model::Style;
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::{Map, Value};
use wasm_bindgen::JsValue;

use super::bridge;
use super::settings::{EXTRA_KEY, PreviewSettings};
use crate::features::files::copy_to_clipboard;
use crate::state::{EditorState, Selection, use_editor};

/// How long the editor waits after a change before sending the flow to the preview.
const SEND_AFTER: Duration = Duration::from_millis(150);

/// What the preview page says, read from its JSON.
fn read_event(json: &str) -> Option<(String, Value)> {
    let value: Value = serde_json::from_str(json).ok()?;
    Some((value.get("type")?.as_str()?.to_owned(), value))
}

/// The screen id at `index`.
fn screen_id(state: EditorState, index: usize) -> Option<String> {
    state.document.with_untracked(|document| {
        document.root().get("screens")?.get(index)?.get("id")?.as_str().map(str::to_owned)
    })
}

/// The preview pane.
#[component]
pub fn PreviewPane() -> impl IntoView {
    let state = use_editor();
    let frame = NodeRef::<leptos::html::Iframe>::new();
    let ready = RwSignal::new(false);
    let show_settings = RwSignal::new(false);
    let stored = state.extra(EXTRA_KEY);
    let settings = Memo::new(move |_| stored.with(|value| PreviewSettings::from_extra(value.as_ref())));
    let origin = window().location().origin().unwrap_or_default();
    let target = move || frame.get_untracked().map(|frame| bridge::frame_window(&JsValue::from(frame)));
    let send = {
        let origin = origin.clone();
        move |json: String| {
            if let Some(window) = target().filter(|window| !window.is_undefined()) {
                bridge::post_json(&window, &json, &origin);
            }
        }
    };
    let send = StoredValue::new_local(send);
    let load = move || {
        let flow = state.document.with_untracked(|document| document.to_json(Style::Compact));
        let options = settings.with_untracked(PreviewSettings::options);
        let mut message = Map::new();
        message.insert("type".to_owned(), Value::String("flowsmith:load".to_owned()));
        message.insert("flow".to_owned(), Value::String(flow));
        message.insert("options".to_owned(), serde_json::to_value(options).unwrap_or_default());
        send.with_value(|send| send(Value::Object(message).to_string()));
    };
    let select = move |selection: &Selection| {
        let mut message = Map::new();
        message.insert("type".to_owned(), Value::String("flowsmith:select".to_owned()));
        if let Some(id) = screen_id(state, selection.screen) {
            message.insert("screen".to_owned(), Value::String(id));
        }
        if let Some(pointer) = &selection.component {
            message.insert("component".to_owned(), Value::String(pointer.clone()));
        }
        send.with_value(|send| send(Value::Object(message).to_string()));
    };
    // Changes of the flow or the settings: sent once the editor is quiet for a moment.
    let generation = StoredValue::new(0_u64);
    Effect::new(move |_| {
        state.revision.track();
        settings.track();
        if !ready.get() {
            return;
        }
        let current = generation.try_update_value(|g| {
            *g += 1;
            *g
        });
        set_timeout(
            move || {
                if generation.get_value() == current.unwrap_or_default() {
                    load();
                }
            },
            SEND_AFTER,
        );
    });
    Effect::new(move |_| {
        let selection = state.selection.get();
        if ready.get() {
            select(&selection);
        }
    });
    let listener = window_event_listener(leptos::ev::message, move |event| {
        let Some(source) = target() else { return };
        let Some(json) = bridge::message_json(event.as_ref(), &source) else { return };
        let Some((kind, event)) = read_event(&json) else { return };
        match kind.as_str() {
            "flowsmith:ready" => {
                load();
                ready.set(true);
            }
            "flowsmith:component" => {
                let pointer = event.get("pointer").and_then(Value::as_str).unwrap_or_default().to_owned();
                let index =
                    state.document.with_untracked(|d| flow_model::walk::target_of(d.root(), &pointer).screen);
                if let Some(screen) = index {
                    state.selection.set(Selection { screen, component: Some(pointer), field: None });
                }
            }
            "flowsmith:screen" => {
                let index = event.get("index").and_then(Value::as_u64).unwrap_or_default() as usize;
                if state.selection.with_untracked(|selection| selection.screen != index) {
                    state.selection.set(Selection { screen: index, component: None, field: None });
                }
            }
            _ => {}
        }
    });
    on_cleanup(move || listener.remove());
    view! {
        <section class="preview-pane" data-testid="preview-pane" aria-label="Phone preview">
            <div class="preview-pane__bar">
                <h2>"Preview"</h2>
                <button
                    class="button button--small"
                    class:button--pressed=move || show_settings.get()
                    data-testid="preview-settings-toggle"
                    aria-expanded=move || show_settings.get().to_string()
                    on:click=move |_| show_settings.update(|shown| *shown = !*shown)
                >
                    "Data & endpoint"
                </button>
                <CopyLink />
            </div>
            <Show when=move || show_settings.get()>
                <SettingsPanel settings=settings />
            </Show>
            <iframe
                node_ref=frame
                class="preview-pane__frame"
                data-testid="preview-frame"
                title="Phone preview"
                src="/embed"
            ></iframe>
        </section>
    }
    .into_any()
}

/// Copies a link that opens this flow in the preview (`/embed#flow=…`, compressed).
#[component]
fn CopyLink() -> impl IntoView {
    let state = use_editor();
    let copy = move |_| {
        let flow = state.document.with_untracked(|document| document.to_json(Style::Compact));
        spawn_local(async move {
            let link = match bridge::deflate_fragment(&flow).await {
                Ok(fragment) => {
                    format!("{}/embed#flow={fragment}", window().location().origin().unwrap_or_default())
                }
                Err(error) => return state.notify_error(format!("The link could not be made: {error}")),
            };
            match copy_to_clipboard(&link).await {
                Ok(()) => state.notify("A link to this flow's preview was copied."),
                Err(message) => state.notify_error(message),
            }
        });
    };
    view! { <button class="button button--small" data-testid="preview-copy-link" title="Copy a link that opens this flow in the preview" on:click=copy>"Copy link"</button> }
        .into_any()
}

/// Theme, the first screen's data, mock answers per screen, the test endpoint.
#[component]
fn SettingsPanel(settings: Memo<PreviewSettings>) -> impl IntoView {
    let state = use_editor();
    let change = move |edit: &dyn Fn(&mut PreviewSettings)| {
        let mut next = settings.get_untracked();
        edit(&mut next);
        state.set_extra(EXTRA_KEY, next.to_extra());
    };
    let screen = Memo::new(move |_| screen_id(state, state.selection.with(|s| s.screen)).unwrap_or_default());
    let examples = move || {
        let id = screen_id(state, 0).unwrap_or_default();
        state.document.with_untracked(|document| {
            let screen = super::runtime::screen(document.root(), &id).cloned().unwrap_or_default();
            serde_json::to_string_pretty(&Value::Object(super::runtime::example_data(&screen)))
                .unwrap_or_default()
        })
    };
    view! {
        <div class="preview-settings" data-testid="preview-settings">
            <label class="field">
                <span class="field__label">"Theme"</span>
                <select
                    data-testid="preview-theme-select"
                    prop:value=move || settings.with(|s| s.theme.clone())
                    on:change=move |event| { let theme = event_target_value(&event); change(&|s| s.theme = theme.clone()) }
                >
                    <option value="">"System"</option>
                    <option value="light">"Light"</option>
                    <option value="dark">"Dark"</option>
                </select>
            </label>
            <label class="field">
                <span class="field__label">"First screen's data"</span>
                <select
                    data-testid="preview-data-mode"
                    prop:value=move || if settings.with(|s| s.custom_data.is_some()) { "custom" } else { "examples" }
                    on:change=move |event| {
                        let custom = event_target_value(&event) == "custom";
                        let text = custom.then(examples);
                        change(&|s| s.custom_data = text.clone());
                    }
                >
                    <option value="examples">"The __example__ values of its data model"</option>
                    <option value="custom">"Custom JSON"</option>
                </select>
            </label>
            <Show when=move || settings.with(|s| s.custom_data.is_some())>
                <textarea
                    class="preview-settings__json"
                    data-testid="preview-custom-data"
                    rows="5"
                    spellcheck="false"
                    prop:value=move || settings.with(|s| s.custom_data.clone().unwrap_or_default())
                    on:change=move |event| { let text = event_target_value(&event); change(&|s| s.custom_data = Some(text.clone())) }
                ></textarea>
            </Show>
            <label class="field">
                <span class="field__label">{move || format!("Endpoint's answer to a data_exchange from {}", screen.get())}</span>
                <textarea
                    class="preview-settings__json"
                    data-testid="preview-mock"
                    rows="5"
                    spellcheck="false"
                    placeholder="{\"screen\": \"NEXT_SCREEN\", \"data\": {}}"
                    prop:value=move || settings.with(|s| s.mock_text(&screen.get()))
                    on:change=move |event| {
                        let (text, id) = (event_target_value(&event), screen.get_untracked());
                        change(&|s| {
                            if text.trim().is_empty() { s.mocks.remove(&id); } else { s.mocks.insert(id.clone(), Value::String(text.clone())); }
                        })
                    }
                ></textarea>
            </label>
            <label class="field">
                <span class="field__label">"Test endpoint (plain JSON) for screens without an answer"</span>
                <input
                    type="url"
                    data-testid="preview-endpoint"
                    placeholder="http://localhost:3000/flow"
                    prop:value=move || settings.with(|s| s.endpoint.clone())
                    on:change=move |event| { let url = event_target_value(&event); change(&|s| s.endpoint = url.clone()) }
                />
            </label>
            <ul class="preview-settings__problems">
                {move || settings.with(PreviewSettings::problems).into_iter().map(|problem| view! { <li>{problem}</li> }).collect::<Vec<_>>()}
            </ul>
        </div>
    }
    .into_any()
}
