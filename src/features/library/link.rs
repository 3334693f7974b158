//! The link between the open draft and a flow on WhatsApp, kept with the draft (extras key
//! `remote`): where the flow lives, what it was called and its status when last seen, Meta's
//! validation errors of the last save, and fingerprints of the flow.json as last fetched or
//! uploaded, to tell unsaved changes and changes made elsewhere.
use flow_model::{Document, Style};
use leptos::prelude::*;
use serde_json::{Map, Value};

use crate::api::{Account, FlowInfo, ValidationError};
use crate::features::problems::{REMOTE_KEY, RemoteProblem};
use crate::state::EditorState;

/// Extras key of the editor's lock (see `EditorState::read_only`).
const READ_ONLY_KEY: &str = "read_only";

/// The open draft's flow on WhatsApp.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RemoteLink {
    /// `…PA`
    pub partner_id: String,
    /// `…WA`
    pub waba_id: String,
    /// Meta's flow id.
    pub flow_id: String,
    /// The flow's name on WhatsApp.
    pub name: String,
    /// Its categories.
    pub categories: Vec<String>,
    /// Its endpoint, if any.
    pub endpoint_uri: Option<String>,
    /// Its status when last seen.
    pub status: String,
    /// Fingerprint of the flow.json on WhatsApp as last fetched or uploaded; `None` before the
    /// first upload.
    pub remote_hash: Option<String>,
    /// Fingerprint of this draft (pretty flow.json) when it last matched WhatsApp's.
    pub saved_hash: Option<String>,
    /// Meta's validation errors of that flow.json, placed on the document.
    pub problems: Vec<RemoteProblem>,
}

impl RemoteLink {
    /// As kept with the draft.
    pub fn to_value(&self) -> Value {
        let mut object = Map::new();
        for (key, text) in [
            ("partner_id", &self.partner_id),
            ("waba_id", &self.waba_id),
            ("flow_id", &self.flow_id),
            ("name", &self.name),
            ("status", &self.status),
        ] {
            object.insert(key.into(), Value::from(text.clone()));
        }
        object.insert("categories".into(), Value::from(self.categories.clone()));
        for (key, text) in [
            ("endpoint_uri", &self.endpoint_uri),
            ("remote_hash", &self.remote_hash),
            ("saved_hash", &self.saved_hash),
        ] {
            object.insert(key.into(), text.clone().map_or(Value::Null, Value::from));
        }
        object.insert(
            "problems".into(),
            Value::Array(self.problems.iter().map(RemoteProblem::to_value).collect()),
        );
        Value::Object(object)
    }

    /// From what was kept; `None` when it is not a link.
    pub fn from_value(value: &Value) -> Option<Self> {
        let text = |key: &str| value.get(key).and_then(Value::as_str).map(str::to_owned);
        let list = |key: &str| value.get(key).and_then(Value::as_array).map_or(&[][..], Vec::as_slice);
        Some(RemoteLink {
            partner_id: text("partner_id")?,
            waba_id: text("waba_id")?,
            flow_id: text("flow_id")?,
            name: text("name").unwrap_or_default(),
            categories: list("categories").iter().filter_map(Value::as_str).map(str::to_owned).collect(),
            endpoint_uri: text("endpoint_uri"),
            status: text("status").unwrap_or_default(),
            remote_hash: text("remote_hash"),
            saved_hash: text("saved_hash"),
            problems: list("problems").iter().map(RemoteProblem::from_value).collect(),
        })
    }

    /// Where the flow lives.
    pub fn account(&self) -> Account {
        Account { partner_id: self.partner_id.clone(), waba_id: self.waba_id.clone() }
    }

    /// The flow as the API would list it (for clone and conflict handling).
    pub fn info(&self) -> FlowInfo {
        FlowInfo {
            id: self.flow_id.clone(),
            name: self.name.clone(),
            status: self.status.clone(),
            categories: self.categories.clone(),
            endpoint_uri: self.endpoint_uri.clone(),
            ..FlowInfo::default()
        }
    }

    /// Whether the flow may be edited: only drafts (Meta's published, throttled, blocked and
    /// deprecated flows are changed by cloning them).
    pub fn is_editable(&self) -> bool {
        self.status.is_empty() || self.status == "DRAFT"
    }
}

/// The open draft's link, if any (a memo of the extras).
pub fn remote_link(state: EditorState) -> Memo<Option<RemoteLink>> {
    let extras = state.extras;
    Memo::new(move |_| extras.with(|extras| extras.get(REMOTE_KEY).and_then(RemoteLink::from_value)))
}

/// The open draft's link, read once (not tracked).
pub fn remote_link_untracked(state: EditorState) -> Option<RemoteLink> {
    state.extras.with_untracked(|extras| extras.get(REMOTE_KEY).and_then(RemoteLink::from_value))
}

/// Links the open draft to a flow (or unlinks it with `None`), and locks the editor when the
/// flow is not a draft.
pub fn set_link(state: EditorState, link: Option<&RemoteLink>) {
    let lock = link.filter(|link| !link.is_editable()).map(|link| {
        format!(
            "This flow is {} on WhatsApp and cannot be changed: clone it to make a new draft.",
            status_label(&link.status).to_ascii_lowercase()
        )
    });
    state.extras.update(|extras| {
        match link.map(RemoteLink::to_value) {
            Some(value) => extras.insert(REMOTE_KEY.to_owned(), value),
            None => extras.remove(REMOTE_KEY),
        };
        match lock {
            Some(reason) => extras.insert(READ_ONLY_KEY.to_owned(), Value::from(reason)),
            None => extras.remove(READ_ONLY_KEY),
        };
    });
}

/// Changes the open draft's link, if it is still linked to `flow_id` (the user may have
/// opened another draft while a call was running).
pub fn update_link(state: EditorState, flow_id: &str, change: impl FnOnce(&mut RemoteLink)) {
    if let Some(mut link) = remote_link_untracked(state).filter(|link| link.flow_id == flow_id) {
        change(&mut link);
        set_link(state, Some(&link));
    }
}

/// A fingerprint of a text (64-bit FNV-1a, hex): equal texts, equal fingerprints; a change is
/// missed with a chance of 2^-64.
pub fn fingerprint(text: &str) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in text.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{hash:016x}")
}

/// The draft's flow.json as it is uploaded.
pub fn upload_text(document: &Document) -> String {
    document.to_json(Style::Pretty)
}

/// Whether the draft differs from the flow.json last saved to (or opened from) WhatsApp.
pub fn has_unsaved_changes(state: EditorState, link: &RemoteLink) -> bool {
    match &link.saved_hash {
        Some(saved) => state.document.with(|document| fingerprint(&upload_text(document)) != *saved),
        None => true,
    }
}

/// Meta's path (`screens[0].layout.children[1].type`) as a JSON Pointer.
pub fn meta_path_to_pointer(path: &str) -> String {
    let mut pointer = String::new();
    for part in path.split('.').filter(|part| !part.is_empty()) {
        let mut pieces = part.split('[');
        if let Some(key) = pieces.next().filter(|key| !key.is_empty()) {
            pointer.push('/');
            pointer.push_str(&key.replace('~', "~0").replace('/', "~1"));
        }
        for index in pieces {
            pointer.push('/');
            pointer.push_str(index.trim_end_matches(']'));
        }
    }
    pointer
}

/// Places Meta's validation errors on `document`, the document of the flow.json they are
/// about (parsed from that text, so its source map holds): Meta's path when it names a value
/// of the document, else the line and column through the source map.
pub fn locate(errors: &[ValidationError], document: &Document) -> Vec<RemoteProblem> {
    errors
        .iter()
        .map(|error| {
            let by_path = error
                .pointers
                .iter()
                .map(|pointer| meta_path_to_pointer(&pointer.path))
                .find(|pointer| !pointer.is_empty() && document.get(pointer).is_some());
            let line = error.line_start.or_else(|| error.pointers.first().and_then(|p| p.line_start));
            let column = error.column_start.or_else(|| error.pointers.first().and_then(|p| p.column_start));
            let pointer = by_path
                .or_else(|| line.zip(column).map(|(line, column)| document.pointer_at(line, column)))
                .unwrap_or_default();
            RemoteProblem { code: error.error.clone(), message: error.message.clone(), pointer, line }
        })
        .collect()
}

/// A status for people.
pub fn status_label(status: &str) -> &'static str {
    match status {
        "DRAFT" => "Draft",
        "PUBLISHED" => "Published",
        "THROTTLED" => "Throttled",
        "BLOCKED" => "Blocked",
        "DEPRECATED" => "Deprecated",
        "" => "Not saved",
        _ => "Unknown",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::ErrorPointer;

    #[test]
    fn meta_paths_become_pointers() {
        assert_eq!(
            meta_path_to_pointer("screens[0].layout.children[1].type"),
            "/screens/0/layout/children/1/type"
        );
        assert_eq!(meta_path_to_pointer("version"), "/version");
        assert_eq!(meta_path_to_pointer(""), "");
    }

    #[test]
    fn errors_land_by_path_or_by_line_and_column() {
        let text =
            "{\n  \"version\": \"7.3\",\n  \"screens\": [\n    {\"id\": \"A\", \"title\": \"x\"}\n  ]\n}";
        let document = flow_model::parse(text).document.unwrap();
        let by_path = ValidationError {
            error: "INVALID_PROPERTY_VALUE".into(),
            message: "m".into(),
            pointers: vec![ErrorPointer { path: "screens[0].title".into(), ..ErrorPointer::default() }],
            ..ValidationError::default()
        };
        let by_line =
            ValidationError { line_start: Some(2), column_start: Some(14), ..ValidationError::default() };
        let nowhere = ValidationError { error: "X".into(), ..ValidationError::default() };
        let located = locate(&[by_path, by_line, nowhere], &document);
        assert_eq!(located[0].pointer, "/screens/0/title");
        assert_eq!(located[1].pointer, "/version");
        assert_eq!(located[2].pointer, "");
    }

    #[test]
    fn fingerprints_tell_texts_apart() {
        assert_eq!(fingerprint("a"), fingerprint("a"));
        assert_ne!(fingerprint("a"), fingerprint("b"));
        assert_eq!(fingerprint("").len(), 16);
    }
}
