use flow_model::{Document, Style, parse, templates};
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::DraftRecord;
use crate::state::{DraftInfo, EditorState};
use crate::storage::{self, Store};

const LAST_DRAFT: &str = "last-draft";
const MAX_STORED_HISTORY: usize = 2 * 1024 * 1024;

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
            document.screens().len(),
            document.version().unwrap_or_default().to_owned(),
        )
    });
    // Histories are small (edits hold only what changed); a huge one is not kept, so that a
    // write per change stays cheap.
    let history = Some(state.history_json()).filter(|history| history.to_string().len() < MAX_STORED_HISTORY);
    DraftRecord {
        history,
        id: draft.id,
        name: draft.name,
        flow_json,
        typed_text: state.json_text.get_untracked(),
        updated_at: js_sys::Date::now(),
        screens,
        version,
        extra: Default::default(),
    }
}

/// Writes the open draft on every change: at most one write in flight, and the latest
/// state written after it (a burst of typing costs two writes, not one per key).
#[derive(Clone, Copy)]
pub struct Autosave {
    pending: StoredValue<Option<(String, String)>>,
    writing: StoredValue<bool>,
    /// The last storage error, shown once.
    pub failed: RwSignal<Option<String>>,
}

impl Autosave {
    /// Starts saving the state's document whenever it changes.
    pub fn start(state: EditorState) -> Self {
        let autosave = Autosave {
            pending: StoredValue::new(None),
            writing: StoredValue::new(false),
            failed: RwSignal::new(None),
        };
        Effect::new(move |previous: Option<()>| {
            state.revision.track();
            state.json_text.track();
            state.draft.track();
            // The first run only subscribes: the draft is written on its first change.
            if previous.is_none() {
                return;
            }
            let record = record_of(state);
            autosave.pending.set_value(Some((record.id.clone(), record.to_json())));
            autosave.flush(state);
        });
        autosave
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
    if let Some(history) = &record.history {
        state.restore_history(history);
    }
    true
}

/// Opens the draft that was open last in this browser, or the appointment-booking sample on a
/// first visit. Sets `ready` when done.
pub fn restore_last(state: EditorState, ready: RwSignal<bool>) {
    spawn_local(async move {
        let last = match storage::get(Store::Session, LAST_DRAFT).await {
            Ok(Some(id)) => storage::get(Store::Drafts, &id)
                .await
                .ok()
                .flatten()
                .and_then(|json| DraftRecord::from_json(&json)),
            _ => None,
        };
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
