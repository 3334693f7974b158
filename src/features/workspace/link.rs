//! The link between the open draft and its workspace flow, kept with the draft (extras key
//! `workspace`): the flow's id and account, the revision the server had when the draft last
//! matched it, and a fingerprint of that flow.json, to tell a change worth sending from a
//! draft merely opened or reloaded.
use flow_model::{Document, Style};
use leptos::prelude::*;
use serde_json::{Map, Value, json};

use crate::features::library::link::fingerprint;
use crate::state::EditorState;

/// Extras key of the link.
pub const KEY: &str = "workspace";

/// The open draft's workspace flow.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct WsLink {
    /// The workspace's flow id.
    pub id: String,
    /// Its account.
    pub account_id: String,
    /// The revision the server had when this draft last matched it.
    pub revision: i64,
    /// Fingerprint of the flow.json (pretty) at that revision.
    pub hash: String,
}

impl WsLink {
    /// The link as the draft's record keeps it.
    pub fn to_value(&self) -> Value {
        json!({ "id": self.id, "account_id": self.account_id, "revision": self.revision, "hash": self.hash })
    }

    /// A link read from the draft's record.
    pub fn from_value(value: &Value) -> Option<WsLink> {
        let text = |key: &str| value.get(key).and_then(Value::as_str).map(str::to_owned);
        Some(WsLink {
            id: text("id")?,
            account_id: text("account_id").unwrap_or_default(),
            revision: value.get("revision").and_then(Value::as_i64)?,
            hash: text("hash").unwrap_or_default(),
        })
    }
}

/// The flow.json text the workspace keeps of a document (the JSON view's style).
pub fn text_of(document: &Document) -> String {
    document.to_json(Style::Pretty)
}

/// The open draft's link, read once (not tracked).
pub fn link_untracked(state: EditorState) -> Option<WsLink> {
    state.extras.with_untracked(|extras| extras.get(KEY).and_then(WsLink::from_value))
}

/// The open draft's link, tracked.
pub fn link_tracked(state: EditorState) -> Option<WsLink> {
    state.extras.with(|extras| extras.get(KEY).and_then(WsLink::from_value))
}

/// Links the open draft (or unlinks it with `None`).
pub fn set_link(state: EditorState, link: Option<&WsLink>) {
    state.extras.update(|extras: &mut Map<String, Value>| match link {
        Some(link) => {
            extras.insert(KEY.to_owned(), link.to_value());
        }
        None => {
            extras.remove(KEY);
        }
    });
}

/// The link for a flow at `revision` whose flow.json is now the open document's.
pub fn matching(state: EditorState, id: &str, account_id: &str, revision: i64) -> WsLink {
    let hash = state.document.with_untracked(|document| fingerprint(&text_of(document)));
    WsLink { id: id.to_owned(), account_id: account_id.to_owned(), revision, hash }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_survives_the_draft_record() {
        let link = WsLink { id: "f".into(), account_id: "a".into(), revision: 7, hash: "00ff".into() };
        assert_eq!(WsLink::from_value(&link.to_value()), Some(link));
        assert_eq!(WsLink::from_value(&json!({"id": "f"})), None, "a link without a revision is not one");
    }
}
