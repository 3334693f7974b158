use flow_model::{Document, Style, parse, templates};
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::DraftRecord;
use crate::state::{DraftInfo, EditorState};
use crate::storage::{self, Store};

const LAST_DRAFT: &str = "last-draft";
const MAX_STORED_HISTORY: usize = 2 * 1024 * 1024;
/// Start of the localStorage keys of records written as a page went away: each page load
/// writes its own slot (the prefix and a random part), so two tabs never overwrite each
/// other's last changes.
pub const UNSAVED: &str = "flowsmith-unsaved-draft:";

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

/// Every record written to localStorage as a page went away (this page's earlier loads and
/// other tabs'), removed from there, newest last.
fn take_unsaved() -> Vec<DraftRecord> {
    let Some(storage) = local_storage() else { return Vec::new() };
    let count = storage.length().unwrap_or(0);
    let keys: Vec<String> = (0..count)
        .filter_map(|index| storage.key(index).ok().flatten())
        .filter(|key| key.starts_with(UNSAVED) || key == UNSAVED.trim_end_matches(':'))
        .collect();
    let mut records: Vec<DraftRecord> = keys
        .iter()
        .filter_map(|key| {
            let json = storage.get_item(key).ok().flatten();
            let _ = storage.remove_item(key);
            json.and_then(|json| DraftRecord::from_json(&json))
        })
        .collect();
    flow_model::order::sort_by(&mut records, |a, b| a.updated_at.total_cmp(&b.updated_at));
    records
}

/// Asks the browser to keep this site's storage under storage pressure (it may say no; the
/// drafts then stay as evictable as any site's).
fn ask_for_persistent_storage() {
    if let Some(storage) = web_sys::window().map(|window| window.navigator().storage()) {
        let _ = storage.persist();
    }
}

/// A new draft id: time and randomness, unique enough for one browser.
pub fn new_draft_id() -> String {
    format!("draft-{:x}-{:x}", js_sys::Date::now() as u64, (js_sys::Math::random() * 4_294_967_296.0) as u64)
}

/// The record of the state's current document.
fn record_of(state: EditorState) -> DraftRecord {
    let draft = state.draft.get_untracked();
    let (flow_json, screens, version) = state.document.with_untracked(|document| {
        (
            document.to_json(Style::Pretty),
            document.screen_labels().len(),
            document.version().unwrap_or_default().to_owned(),
        )
    });
    // Histories are small (edits hold only what changed); a huge one keeps its newest steps
    // only, so that a write per change stays cheap.
    let (history, left_out) = state.history_json_within(MAX_STORED_HISTORY);
    if left_out > 0 && !TRIMMED_SAID.with(|said| said.replace(true)) {
        state.notify(format!(
            "The undo history is larger than this browser keeps with a draft: its oldest {left_out} steps will not survive a reload."
        ));
    }
    let history = Some(history);
    DraftRecord {
        history,
        id: draft.id,
        name: draft.name,
        flow_json,
        typed_text: state.json_text.get_untracked(),
        updated_at: js_sys::Date::now(),
        screens,
        version,
        extra: state.extras.get_untracked(),
    }
}

thread_local! {
    /// Whether the trimmed undo history was said already (once per page).
    static TRIMMED_SAID: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// How long a burst of changes may go unsaved: serializing a 1 MB flow on every keystroke
/// would cost more than the keystroke itself.
pub const QUIET_MS: u64 = 300;

/// Writes the open draft after every change (once the user pauses for [`QUIET_MS`], and at
/// once when the page is hidden or closed): at most one write in flight, the latest state
/// written after it.
#[derive(Clone, Copy)]
pub struct Autosave {
    pending: StoredValue<Option<(String, String)>>,
    writing: StoredValue<bool>,
    /// Bumped on each change; a scheduled save runs only if no change came after it.
    generation: StoredValue<u64>,
    /// The last storage error, shown once.
    pub failed: RwSignal<Option<String>>,
    /// This page's localStorage slot for what is written as it goes away.
    slot: StoredValue<String>,
}

impl Autosave {
    /// Starts saving the state's document whenever it changes.
    pub fn start(state: EditorState) -> Self {
        let autosave = Autosave {
            pending: StoredValue::new(None),
            writing: StoredValue::new(false),
            generation: StoredValue::new(0),
            failed: RwSignal::new(None),
            slot: StoredValue::new(format!("{UNSAVED}{}", new_draft_id())),
        };
        ask_for_persistent_storage();
        Effect::new(move |previous: Option<()>| {
            state.revision.track();
            state.json_text.track();
            state.draft.track();
            state.extras.track();
            // The first run only subscribes: the draft is written on its first change.
            if previous.is_none() {
                return;
            }
            let generation = autosave.generation.try_update_value(|g| {
                *g += 1;
                *g
            });
            set_timeout(
                move || {
                    if autosave.generation.get_value() == generation.unwrap_or_default() {
                        autosave.save_now(state);
                    }
                },
                std::time::Duration::from_millis(QUIET_MS),
            );
        });
        // Leaving or hiding the page saves at once, so a reload or a closed tab loses nothing.
        let hidden = window_event_listener(leptos::ev::pagehide, move |_| autosave.save_if_changed(state));
        // visibilitychange bubbles from the document to the window.
        let visibility = window_event_listener(leptos::ev::visibilitychange, move |_| {
            autosave.save_if_changed(state);
        });
        on_cleanup(move || {
            hidden.remove();
            visibility.remove();
        });
        autosave
    }

    /// Saves now if a change is waiting for its quiet period or its write has not finished. The
    /// page may be going away, and an IndexedDB write may not finish then (one already under
    /// way is lost with the page too): the record also goes to localStorage, which writes
    /// synchronously, and the next start takes it from there.
    fn save_if_changed(self, state: EditorState) {
        if self.generation.get_value() != 0 || self.writing.get_value() {
            let record = record_of(state);
            let written = local_storage()
                .map(|storage| storage.set_item(&self.slot.get_value(), &record.to_json()).is_ok())
                .unwrap_or(false);
            if !written {
                // Said now: when the page was only hidden, the user sees it on return.
                state.notify_error(
                    "This browser refused to keep your last changes as the page went away (its storage may be full): \
                     export flow.json or free space before closing the tab.",
                );
            }
            self.save_now(state);
        }
    }

    /// This page's localStorage slot (tests read it).
    pub fn slot(&self) -> String {
        self.slot.get_value()
    }

    /// Writes the open draft now (the Flows page is about to read it from IndexedDB).
    pub fn save_now(self, state: EditorState) {
        self.generation.set_value(0);
        let record = record_of(state);
        self.pending.set_value(Some((record.id.clone(), record.to_json())));
        self.flush(state);
    }

    fn flush(self, state: EditorState) {
        if self.writing.get_value() {
            return;
        }
        let Some((id, json)) = self.pending.try_update_value(Option::take).flatten() else { return };
        self.writing.set_value(true);
        spawn_local(async move {
            let result = match storage::put(Store::Drafts, &id, &json).await {
                Ok(()) => storage::put(Store::Session, LAST_DRAFT, &id).await,
                Err(error) => Err(error),
            };
            self.writing.set_value(false);
            match result {
                Ok(()) => self.failed.set(None),
                Err(error) => {
                    if self.failed.get_untracked().is_none() {
                        state.notify_error(format!(
                            "Your changes could not be kept in this browser: {error}. Export flow.json to keep them."
                        ));
                    }
                    self.failed.set(Some(error.to_string()));
                }
            }
            self.flush(state);
        });
    }
}

/// Opens the draft of a stored record.
pub fn open_record(state: EditorState, record: DraftRecord) -> bool {
    let parsed = parse(&record.flow_json);
    let Some(document) = parsed.document else { return false };
    state.open_with_text(document, record.typed_text, DraftInfo { id: record.id, name: record.name });
    state.extras.set(record.extra);
    if let Some(history) = &record.history {
        state.restore_history(history);
    }
    true
}

/// Opens the draft of this browser stored as `id` (the Flows page's Open); says so when it is
/// gone or damaged.
pub fn open_stored(state: EditorState, id: String) {
    spawn_local(async move {
        let record = storage::get(Store::Drafts, &id)
            .await
            .ok()
            .flatten()
            .and_then(|json| DraftRecord::from_json(&json));
        if record.is_some_and(|record| open_record(state, record)) {
            let _ = storage::put(Store::Session, LAST_DRAFT, &id).await;
        } else {
            state.notify_error("This draft is gone from this browser or damaged, and cannot be opened.");
        }
    });
}

/// Opens the draft that was open last in this browser, or the appointment-booking sample on a
/// first visit. Sets `ready` when done.
pub fn restore_last(state: EditorState, ready: RwSignal<bool>) {
    spawn_local(async move {
        // `/?draft=<id>` (the Flows page's Open, on its own) asks for that draft.
        let asked = crate::features::workspace::page::query_param("draft");
        if asked.is_some()
            && let Ok(history) = window().history()
        {
            let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some("/"));
        }
        let last = match asked {
            Some(id) => Ok(Some(id)),
            None => storage::get(Store::Session, LAST_DRAFT).await,
        };
        let stored = match last {
            Ok(Some(id)) => storage::get(Store::Drafts, &id)
                .await
                .ok()
                .flatten()
                .and_then(|json| DraftRecord::from_json(&json)),
            _ => None,
        };
        // What pages wrote as they went away is newer than IndexedDB when their write did not
        // finish: keep each in IndexedDB now (every tab's, not only the last), and open the
        // newest when it is newer than the draft open last.
        let mut last = stored;
        for unsaved in take_unsaved() {
            let known = storage::get(Store::Drafts, &unsaved.id).await.ok().flatten();
            let newer = known
                .and_then(|json| DraftRecord::from_json(&json))
                .is_none_or(|known| known.updated_at <= unsaved.updated_at);
            if !newer {
                continue;
            }
            if let Err(error) = storage::put(Store::Drafts, &unsaved.id, &unsaved.to_json()).await {
                state.notify_error(format!("A draft written as a page closed could not be kept: {error}."));
                continue;
            }
            if last.as_ref().is_none_or(|last| last.updated_at <= unsaved.updated_at) {
                let _ = storage::put(Store::Session, LAST_DRAFT, &unsaved.id).await;
                last = Some(unsaved);
            }
        }
        let restored = last.is_some_and(|record| open_record(state, record));
        if !restored {
            let sample =
                templates::find("appointment-booking").map(|template| template.json).unwrap_or_default();
            let document =
                parse(sample).document.unwrap_or_else(|| Document::from_value(serde_json::json!({})));
            state.open(document, DraftInfo { id: new_draft_id(), name: "Appointment booking".into() });
        }
        ready.set(true);
    });
}
