//! The server's events (`GET /api/events`, Server-Sent Events through the browser's
//! `EventSource`, which reconnects by itself and resumes after the last event it saw): every
//! event reloads the lists; a change of the open flow saved by someone else is loaded at once
//! when this draft has nothing unsent (one Undo brings the previous state back), and otherwise
//! left to the next send, which then asks the user.
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::Value;
use wasm_bindgen::JsCast as _;
use wasm_bindgen::closure::Closure;

use super::link::{link_untracked, matching, set_link};
use super::{Saving, Workspace};
use crate::components::RateLimitWait;
use crate::state::EditorState;

/// The events the app listens to (named events reach only listeners of their name).
const KINDS: [&str; 14] = [
    "flow.created",
    "flow.changed",
    "flow.deleted",
    "flow.restored",
    "flow.saved_to_whatsapp",
    "flow.published",
    "flow.deprecated",
    "flow.conflict",
    "flow.version_named",
    "sync.progress",
    "sync.finished",
    "resync",
    // Waits for Meta's rate limit of a migration and of other calls through the server.
    "migrate.progress",
    "whatsapp.waiting",
];

/// Opens the server's event stream and hands each event (its name and data) to `on_event`;
/// `None` when the browser cannot open it.
fn subscribe(on_event: impl Fn(&str, &Value) + 'static) -> Option<web_sys::EventSource> {
    let source = web_sys::EventSource::new("/api/events").ok()?;
    let handler = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
        let data = event.data().as_string().unwrap_or_default();
        let value = flow_model::json::read(&data).unwrap_or(Value::Null);
        on_event(&event.type_(), &value);
    });
    for kind in KINDS {
        let _ = source.add_event_listener_with_callback(kind, handler.as_ref().unchecked_ref());
    }
    // The source lives as long as the page; so does its handler.
    handler.forget();
    Some(source)
}

/// The editor listens while the workspace is available.
pub fn listen(state: EditorState, workspace: Workspace) {
    Effect::new(move |source: Option<Option<web_sys::EventSource>>| {
        if let Some(Some(old)) = source {
            old.close();
        }
        if !workspace.available.get() {
            return None;
        }
        subscribe(move |kind, data| on_event(state, workspace, kind, data))
    });
}

/// The Flows page listens: lists reload on any change; a sync's progress shows, and so does a
/// wait for Meta's rate limit (until the next progress). The stream is closed when the page's
/// tab is left (a browser opens only six connections to a server).
pub fn listen_page(
    changes: RwSignal<u64>,
    progress: RwSignal<Option<(u64, u64)>>,
    waiting: RwSignal<Option<RateLimitWait>>,
) {
    let number = |data: &Value, key: &str| data.get(key).and_then(Value::as_u64).unwrap_or_default();
    let source = subscribe(move |kind, data| match kind {
        "sync.progress" => match RateLimitWait::of_notice(data) {
            Some(wait) => waiting.set(Some(wait)),
            None => {
                waiting.set(None);
                progress.set(Some((number(data, "done"), number(data, "total"))));
            }
        },
        "migrate.progress" | "whatsapp.waiting" => {}
        _ => changes.update(|changes| *changes += 1),
    });
    let source = StoredValue::new_local(source);
    on_cleanup(move || close(source));
}

/// A stream kept while a component lives.
type Kept = StoredValue<Option<web_sys::EventSource>, LocalStorage>;

/// Closes the kept stream, if any (it may have gone with its component already).
fn close(kept: Kept) {
    if let Some(source) = kept.try_update_value(Option::take).flatten() {
        source.close();
    }
}

/// Listens, while the calling component lives and `wanted` says so, for waits of ordinary
/// calls (`whatsapp.waiting`), kept in `slot` while they last (the On WhatsApp tab).
pub fn listen_account_waits(slot: RwSignal<Option<super::AccountWait>>, wanted: impl Fn() -> bool + 'static) {
    let current: Kept = StoredValue::new_local(None);
    Effect::new(move |_| {
        let wanted = wanted();
        close(current);
        if wanted {
            current.set_value(subscribe(move |kind, data| {
                if kind == "whatsapp.waiting"
                    && let Some(wait) = super::AccountWait::of_notice(data)
                {
                    super::waits::hold(slot, wait);
                }
            }));
        }
    });
    on_cleanup(move || close(current));
}

/// Listens for waits for Meta's rate limit told as `kind` events (a migration's are
/// `migrate.progress`), shown in `waiting`; `None` when the browser cannot open the stream.
pub fn listen_waits(
    kind: &'static str,
    waiting: RwSignal<Option<RateLimitWait>>,
) -> Option<web_sys::EventSource> {
    subscribe(move |told, data| {
        if told == kind
            && let Some(wait) = RateLimitWait::of_notice(data)
        {
            waiting.set(Some(wait));
        }
    })
}

fn on_event(state: EditorState, workspace: Workspace, kind: &str, data: &Value) {
    let text = |key: &str| data.get(key).and_then(Value::as_str).unwrap_or_default().to_owned();
    if kind == "whatsapp.waiting"
        && let Some(wait) = super::AccountWait::of_notice(data)
    {
        super::waits::hold(workspace.waiting, wait);
    }
    if matches!(kind, "sync.progress" | "migrate.progress" | "whatsapp.waiting") {
        return;
    }
    workspace.changes.update(|changes| *changes += 1);
    let Some(link) = link_untracked(state) else { return };
    let revision = data.get("revision").and_then(Value::as_i64).unwrap_or_default();
    if text("flow_id") != link.id || revision <= link.revision {
        return;
    }
    match kind {
        "flow.deleted" => {
            state.notify_error(format!(
                "{} moved this flow to the trash; your copy stays in this browser.",
                text("actor")
            ));
        }
        "flow.changed" | "flow.conflict" if workspace.saving.get_untracked() == Saving::Saved => {
            load_theirs(state, workspace, link.id, text("actor"));
        }
        _ => {}
    }
}

/// Loads the workspace's flow.json into the open draft, as one undoable step.
pub fn load_theirs(state: EditorState, workspace: Workspace, id: String, actor: String) {
    let client = workspace.client();
    spawn_local(async move {
        let Ok((flow, json)) = client.ws_get(&id).await else { return };
        if link_untracked(state).is_none_or(|link| link.id != id) {
            return;
        }
        let document = flow_model::Document::from_value(json);
        // Replacing the whole document is one undo step, so the previous state is one Undo away.
        if state.edit(|current| Ok(current.replace(document))) {
            set_link(state, Some(&matching(state, &flow.id, &flow.account_id, flow.revision)));
            workspace.saving.set(Saving::Saved);
            if !actor.is_empty() {
                state.notify(format!(
                    "{actor} changed this flow: you now see their version (Undo brings yours back)."
                ));
            }
        }
    });
}
