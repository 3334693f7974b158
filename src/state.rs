//! The one editor state: the open document, its undo history, the selection and what derives
//! from them. Provided through context; components get it with [`use_editor`] and hand leaf
//! components narrow signals and callbacks.
use std::sync::Arc;

use flow_model::model::Flow;
use flow_model::{Diagnostic, Document, Edit, EditError, History, Style, parse};
use leptos::prelude::*;

/// What is selected: a screen (by index), and optionally a component of it and a field of
/// that component to focus.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Selection {
    /// Index of the screen in `screens`.
    pub screen: usize,
    /// JSON Pointer of the selected component, if any.
    pub component: Option<String>,
    /// JSON Pointer of a property to focus in the inspector (set by the problems panel and the
    /// graph's overlays).
    pub field: Option<String>,
}

/// A message for the user: something worked, or failed and what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    /// Increasing id, to key and dismiss notices.
    pub id: u64,
    /// Error or information.
    pub is_error: bool,
    /// The text.
    pub text: String,
}

/// Which draft (browser-stored document) is open.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DraftInfo {
    /// Storage key of the draft.
    pub id: String,
    /// Name shown in the drafts library.
    pub name: String,
}

/// The editor state. All fields are signals, so the struct is `Copy`.
#[derive(Clone, Copy)]
pub struct EditorState {
    /// The last document that parsed: cards, graph and preview show it.
    pub document: RwSignal<Document>,
    /// Text typed in the JSON view, while it is the source of truth (it may not parse).
    pub json_text: RwSignal<Option<String>>,
    /// What is selected.
    pub selection: RwSignal<Selection>,
    /// The open draft.
    pub draft: RwSignal<DraftInfo>,
    /// Messages shown as toasts.
    pub notices: RwSignal<Vec<Notice>>,
    /// What other features keep with the draft outside flow.json (graph positions, preview
    /// settings, the flow on WhatsApp and the workspace flow it is linked to, a lock), by
    /// feature key. Saved with the draft; never written into flow.json.
    pub extras: RwSignal<serde_json::Map<String, serde_json::Value>>,
    /// Why the document may not be changed, when a feature locked it (extras key
    /// `read_only`, e.g. a flow published on WhatsApp): edits, typing, undo and redo are
    /// refused with this reason.
    pub read_only: Memo<Option<String>>,
    /// Bumped on every change of the document (by edits, undo, redo or replacement).
    pub revision: RwSignal<u64>,
    /// Flow-rule diagnostics of `document`, in document order (with spans while the document
    /// still has the text it was read from).
    pub diagnostics: Memo<Arc<Vec<Diagnostic>>>,
    /// The text the JSON view shows: what was typed, or `document` pretty-printed.
    pub json_view_text: Memo<String>,
    /// JSON-level problems of typed text the editor does not take (it does not parse, or it
    /// gives a key twice); empty otherwise.
    pub text_problems: Memo<Arc<Vec<Diagnostic>>>,
    history: StoredValue<History>,
    history_state: RwSignal<(bool, bool)>,
    next_notice: StoredValue<u64>,
}

/// The editor state from context.
///
/// # Panics
/// Outside the tree below [`EditorState::provide`] (a programming error, not user input).
pub fn use_editor() -> EditorState {
    use_context::<EditorState>().expect("EditorState is provided by App")
}

fn now_ms() -> u64 {
    js_sys::Date::now() as u64
}

impl EditorState {
    /// A state holding `document`, provided as context to the components below.
    pub fn provide(document: Document, draft: DraftInfo) -> Self {
        let document = RwSignal::new(document);
        let json_text = RwSignal::new(None::<String>);
        let diagnostics = Memo::new(move |_| Arc::new(document.with(flow_model::validate)));
        let json_view_text = Memo::new(move |_| {
            json_text.get().unwrap_or_else(|| document.with(|document| document.to_json(Style::Pretty)))
        });
        let text_problems = Memo::new(move |_| {
            Arc::new(json_text.with(|typed| {
                match typed {
                    Some(text) => parse(text)
                        .diagnostics
                        .into_iter()
                        .filter(|diagnostic| diagnostic.is_error() || diagnostic.is_lossy())
                        .collect(),
                    None => Vec::new(),
                }
            }))
        });
        let extras = RwSignal::new(serde_json::Map::new());
        let read_only = Memo::new(move |_| {
            extras.with(|extras: &serde_json::Map<String, serde_json::Value>| {
                extras.get("read_only").and_then(|reason| reason.as_str()).map(str::to_owned)
            })
        });
        let state = EditorState {
            document,
            json_text,
            selection: RwSignal::new(Selection::default()),
            draft: RwSignal::new(draft),
            notices: RwSignal::new(Vec::new()),
            extras,
            read_only,
            revision: RwSignal::new(0),
            diagnostics,
            json_view_text,
            text_problems,
            history: StoredValue::new(History::new()),
            history_state: RwSignal::new((false, false)),
            next_notice: StoredValue::new(0),
        };
        provide_context(state);
        state
    }

    /// Whether there is a step to undo.
    pub fn can_undo(&self) -> bool {
        self.history_state.get().0
    }

    /// Whether there is a step to redo.
    pub fn can_redo(&self) -> bool {
        self.history_state.get().1
    }

    fn after_change(&self) {
        let state = self.history.with_value(|history| (history.can_undo(), history.can_redo()));
        self.history_state.set(state);
        self.revision.update(|revision| *revision += 1);
    }

    /// Makes an edit through one of flow-model's edit methods and records its undo step.
    /// Typed text in the JSON view gives way to the edited document. Returns whether the
    /// edit was made; a failed edit changes nothing and says why.
    pub fn edit(&self, edit: impl FnOnce(&mut Document) -> Result<Edit, EditError>) -> bool {
        if self.refused_read_only() {
            return false;
        }
        let result = self.document.try_update(edit);
        match result {
            Some(Ok(undo)) => {
                self.history.update_value(|history| history.push(undo, now_ms()));
                self.json_text.set(None);
                self.after_change();
                true
            }
            Some(Err(error)) => {
                self.notify_error(format!("That change could not be made: {error}."));
                false
            }
            None => false,
        }
    }

    /// Whether the document is locked; says why when it is.
    fn refused_read_only(&self) -> bool {
        match self.read_only.get_untracked() {
            Some(reason) => {
                self.notify_error(reason);
                true
            }
            None => false,
        }
    }

    /// Ends a typing burst: the next edit is a new undo step (e.g. a field lost focus).
    pub fn break_burst(&self) {
        self.history.update_value(History::break_burst);
    }

    /// Takes text typed in the JSON view. When it parses (and gives no key twice), it becomes
    /// the document (one undo step per burst of typing); when not, the cards keep the last good
    /// document and the text is kept as typed.
    pub fn type_json(&self, text: String) {
        if self.refused_read_only() {
            return;
        }
        let parsed = parse(&text);
        // Text that would lose a value (a key given twice) is not taken either: the JSON view
        // keeps it, marked, until it is fixed.
        let usable = parsed.document.filter(|_| {
            !parsed.diagnostics.iter().any(|diagnostic| diagnostic.is_error() || diagnostic.is_lossy())
        });
        if let Some(document) = usable {
            let undo = self.document.try_update(|current| current.replace(document));
            if let Some(undo) = undo {
                self.history.update_value(|history| history.push(undo, now_ms()));
            }
            self.after_change();
        }
        self.json_text.set(Some(text));
    }

    /// Shows the document pretty-printed again in the JSON view, when the typed text parses
    /// (called when the JSON view loses focus).
    pub fn settle_json(&self) {
        if self.json_text.with_untracked(Option::is_some)
            && self.text_problems.with_untracked(|p| p.is_empty())
        {
            self.json_text.set(None);
        }
    }

    /// Reverts the last step.
    pub fn undo(&self) {
        if self.refused_read_only() {
            return;
        }
        let result = self.history.try_update_value(|history| self.document.try_update(|d| history.undo(d)));
        self.finish_history_move(result.flatten(), "undo");
    }

    /// Repeats the last undone step.
    pub fn redo(&self) {
        if self.refused_read_only() {
            return;
        }
        let result = self.history.try_update_value(|history| self.document.try_update(|d| history.redo(d)));
        self.finish_history_move(result.flatten(), "redo");
    }

    fn finish_history_move(&self, result: Option<Result<bool, EditError>>, what: &str) {
        match result {
            Some(Ok(true)) => {
                self.json_text.set(None);
                self.clamp_selection();
                self.after_change();
            }
            Some(Ok(false)) | None => {}
            Some(Err(error)) => {
                self.notify_error(format!("Could not {what}: {error}. The history was cleared."));
                self.after_change();
            }
        }
    }

    /// A feature's value kept with the draft (see `extras`).
    pub fn extra(&self, key: &'static str) -> Memo<Option<serde_json::Value>> {
        let extras = self.extras;
        Memo::new(move |_| extras.with(|extras| extras.get(key).cloned()))
    }

    /// Sets (or with `None` removes) a feature's value kept with the draft.
    pub fn set_extra(&self, key: &str, value: Option<serde_json::Value>) {
        self.extras.update(|extras| match value {
            Some(value) => {
                extras.insert(key.to_owned(), value);
            }
            None => {
                extras.remove(key);
            }
        });
    }

    /// Opens another document: a new history, the first screen selected, no extras.
    pub fn open(&self, document: Document, draft: DraftInfo) {
        self.extras.set(serde_json::Map::new());
        self.document.set(document);
        self.json_text.set(None);
        self.history.update_value(History::clear);
        self.selection.set(Selection::default());
        self.draft.set(draft);
        self.after_change();
    }

    /// Opens a document whose JSON view text did not parse when it was saved: the cards show
    /// `document`, the JSON view the typed text.
    pub fn open_with_text(&self, document: Document, text: Option<String>, draft: DraftInfo) {
        self.open(document, draft);
        self.json_text.set(text);
    }

    /// The undo history as JSON, to keep with the draft.
    pub fn history_json(&self) -> serde_json::Value {
        self.history.with_value(History::to_json)
    }

    /// The undo history as JSON, its newest steps within about `max_bytes`, and how many
    /// older steps were left out.
    pub fn history_json_within(&self, max_bytes: usize) -> (serde_json::Value, usize) {
        self.history.with_value(|history| history.to_json_within(max_bytes))
    }

    /// Restores an undo history kept with the draft now open.
    pub fn restore_history(&self, stored: &serde_json::Value) {
        if self.history.try_update_value(|history| history.restore(stored)) == Some(true) {
            let state = self.history.with_value(|history| (history.can_undo(), history.can_redo()));
            self.history_state.set(state);
        }
    }

    /// Keeps the selection on an existing screen after screens were removed or undone.
    pub fn clamp_selection(&self) {
        let screens = self.document.with_untracked(|document| {
            Flow::from_value(document.root()).map_or(0, |flow| flow.screen_count())
        });
        self.selection.update(|selection| {
            if selection.screen >= screens {
                *selection = Selection { screen: screens.saturating_sub(1), component: None, field: None };
            } else if let Some(pointer) = &selection.component {
                let exists = self.document.with_untracked(|document| document.get(pointer).is_some());
                if !exists {
                    selection.component = None;
                    selection.field = None;
                }
            }
        });
    }

    /// Shows a message.
    pub fn notify(&self, text: impl Into<String>) {
        self.push_notice(false, text.into());
    }

    /// Shows an error message.
    pub fn notify_error(&self, text: impl Into<String>) {
        self.push_notice(true, text.into());
    }

    fn push_notice(&self, is_error: bool, text: String) {
        let id = self.next_notice.try_update_value(|next| {
            *next += 1;
            *next
        });
        let id = id.unwrap_or_default();
        self.notices.update(|notices| {
            notices.push(Notice { id, is_error, text });
            // Keep the last few: a burst of failures must not fill the screen.
            if notices.len() > 4 {
                notices.remove(0);
            }
        });
    }

    /// Removes a message.
    pub fn dismiss(&self, id: u64) {
        self.notices.update(|notices| notices.retain(|notice| notice.id != id));
    }
}
