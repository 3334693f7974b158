//! The preview beside the editor: the `/embed` page in an iframe, driven with the same
//! postMessage protocol host applications use. The flow is sent after each change (debounced),
//! the editor's selection highlights the component and shows its screen, and a click in the
//! phone selects the card. The preview's settings (first screen's data, mock answers, test
//! endpoint, theme) are kept with the draft as they are: the form that edits them is drawn by
//! the preview page (`settings_panel.rs`, in the embed bundle, so the editor's bundle does not
//! carry it), which sends every change back as `flowsmith:settings`.
use std::time::Duration;

use flow_model::Style;
use flow_model::model::Flow;
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::{Map, Value};
use wasm_bindgen::JsValue;

use super::bridge;

/// The key of the preview's settings in the draft's extras.
const EXTRA_KEY: &str = "preview";
use crate::features::files::copy_to_clipboard;
use crate::state::{EditorState, Selection, use_editor};

/// How long the editor waits after a change before sending the flow to the preview.
const SEND_AFTER: Duration = Duration::from_millis(150);

/// What the preview page says, read from its JSON.
fn read_event(json: &str) -> Option<(String, Value)> {
    let value = flow_model::json::read(json).ok()?;
    Some((value.get("type")?.as_str()?.to_owned(), value))
}

/// The screen id at `index`.
fn screen_id(state: EditorState, index: usize) -> Option<String> {
    state.document.with_untracked(|document| {
        Flow::from_value(document.root())?.screen_at(index)?.id().map(str::to_owned)
    })
}

/// The preview pane.
#[component]
pub fn PreviewPane() -> impl IntoView {
    let state = use_editor();
    let frame = NodeRef::<leptos::html::Iframe>::new();
    let ready = RwSignal::new(false);
    let settings = state.extra(EXTRA_KEY);
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
        let settings = settings.get_untracked().unwrap_or_else(|| Value::Object(Map::new()));
        let mut message = Map::new();
        message.insert("type".to_owned(), Value::String("flowsmith:load".to_owned()));
        message.insert("flow".to_owned(), Value::String(flow));
        message.insert("settings".to_owned(), settings);
        send.with_value(|send| send(flow_model::json::compact(&Value::Object(message))));
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
        send.with_value(|send| send(flow_model::json::compact(&Value::Object(message))));
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
            "flowsmith:settings" => {
                let settings =
                    event.get("settings").cloned().filter(|s| s.as_object().is_some_and(|s| !s.is_empty()));
                if state.extras.with_untracked(|extras| extras.get(EXTRA_KEY) != settings.as_ref()) {
                    state.set_extra(EXTRA_KEY, settings);
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
        <div class="preview-pane" data-testid="preview-pane">
            <div class="preview-pane__bar">
                <CopyLink />
            </div>
            <iframe
                node_ref=frame
                class="preview-pane__frame"
                data-testid="preview-frame"
                title="Phone preview"
                src="/embed"
            ></iframe>
        </div>
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
