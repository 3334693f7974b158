//! Undo and redo: a bounded stack of the edits that revert each step.
use std::collections::VecDeque;

use crate::document::Document;
use crate::edit::{Edit, EditError, Scope};

/// The undo and redo stacks of one open document.
///
/// Each step holds the [`Edit`] that reverts it, which is the size of the change, not of the
/// document. The stack keeps at most `max_steps` steps and about `max_bytes` of edits, the
/// oldest going first. Successive edits of the same property (or successive replacements of
/// the whole document from the JSON text) within `burst_ms` of each other make one step, so
/// undo reverts a burst of typing at once. Time comes from the caller (milliseconds, any
/// origin): the model reads no clock.
#[derive(Debug, Clone)]
pub struct History {
    undo: VecDeque<Step>,
    redo: Vec<Edit>,
    max_steps: usize,
    max_bytes: usize,
    burst_ms: u64,
    /// Bytes held by `undo` and `redo`.
    bytes: usize,
    /// Whether the next push may join the last undo step.
    open_burst: bool,
}

#[derive(Debug, Clone)]
struct Step {
    undo: Edit,
    /// When the step's last edit was made.
    at_ms: u64,
}

impl Default for History {
    fn default() -> Self {
        History::new()
    }
}

impl History {
    /// Steps kept by [`History::new`].
    pub const DEFAULT_MAX_STEPS: usize = 500;
    /// Memory kept by [`History::new`]: 64 MB of edits.
    pub const DEFAULT_MAX_BYTES: usize = 64 * 1024 * 1024;
    /// Edits of one property closer than this (in ms) are one step.
    pub const DEFAULT_BURST_MS: u64 = 1000;

    /// An empty history with the default bounds.
    pub fn new() -> Self {
        History::with_limits(Self::DEFAULT_MAX_STEPS, Self::DEFAULT_MAX_BYTES, Self::DEFAULT_BURST_MS)
    }

    /// An empty history keeping at most `max_steps` steps (at least 1) and about `max_bytes`
    /// of edits (the latest step is kept whatever its size), joining edits of one property
    /// made within `burst_ms` of each other.
    pub fn with_limits(max_steps: usize, max_bytes: usize, burst_ms: u64) -> Self {
        History {
            undo: VecDeque::new(),
            redo: Vec::new(),
            max_steps: max_steps.max(1),
            max_bytes,
            burst_ms,
            bytes: 0,
            open_burst: false,
        }
    }

    /// Records a step: `undo` is what an edit method returned, `now_ms` when the edit was made.
    /// Clears the redo stack. An empty edit records nothing.
    pub fn push(&mut self, undo: Edit, now_ms: u64) {
        if undo.is_empty() {
            return;
        }
        self.bytes -= self.redo.drain(..).map(|edit| edit.size()).sum::<usize>().min(self.bytes);
        if let Some(last) = self.undo.back_mut().filter(|last| {
            self.open_burst
                && joins(last.undo.scope(), undo.scope())
                && now_ms.saturating_sub(last.at_ms) <= self.burst_ms
        }) {
            self.bytes -= last.undo.size().min(self.bytes);
            last.undo.absorb(undo);
            last.at_ms = now_ms;
            self.bytes += last.undo.size();
        } else {
            self.bytes += undo.size();
            self.undo.push_back(Step { undo, at_ms: now_ms });
        }
        self.open_burst = true;
        self.trim();
    }

    /// Ends the current burst: the next edit starts a new step (e.g. when a field loses focus).
    pub fn break_burst(&mut self) {
        self.open_burst = false;
    }

    /// Reverts the last step. `Ok(false)` when there is nothing to undo. If the document no
    /// longer matches the history (it was changed without recording the step), the document
    /// stays as it is, the history is cleared and the error says why.
    pub fn undo(&mut self, document: &mut Document) -> Result<bool, EditError> {
        self.open_burst = false;
        let Some(step) = self.undo.pop_back() else { return Ok(false) };
        self.bytes -= step.undo.size().min(self.bytes);
        match document.apply(step.undo) {
            Ok(redo) => {
                self.bytes += redo.size();
                self.redo.push(redo);
                Ok(true)
            }
            Err(error) => {
                self.clear();
                Err(error)
            }
        }
    }

    /// Applies again the last undone step. `Ok(false)` when there is nothing to redo; errors
    /// as for [`History::undo`].
    pub fn redo(&mut self, document: &mut Document) -> Result<bool, EditError> {
        self.open_burst = false;
        let Some(redo) = self.redo.pop() else { return Ok(false) };
        self.bytes -= redo.size().min(self.bytes);
        match document.apply(redo) {
            Ok(undo) => {
                self.bytes += undo.size();
                // A redone step keeps its place: it is not the start of a new burst.
                self.undo.push_back(Step { undo, at_ms: 0 });
                Ok(true)
            }
            Err(error) => {
                self.clear();
                Err(error)
            }
        }
    }

    /// Whether there is a step to undo.
    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    /// Whether there is a step to redo.
    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    /// How many steps can be undone.
    pub fn undo_len(&self) -> usize {
        self.undo.len()
    }

    /// How many steps can be redone.
    pub fn redo_len(&self) -> usize {
        self.redo.len()
    }

    /// About how many bytes the history holds.
    pub fn size(&self) -> usize {
        self.bytes
    }

    /// Forgets every step (e.g. when another document is opened).
    pub fn clear(&mut self) {
        self.undo.clear();
        self.redo.clear();
        self.bytes = 0;
        self.open_burst = false;
    }

    /// The undo and redo stacks as JSON, to store them beside the document they belong to.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "undo": self.undo.iter().map(|step| step.undo.to_json()).collect::<Vec<_>>(),
            "redo": self.redo.iter().map(Edit::to_json).collect::<Vec<_>>(),
        })
    }

    /// As [`History::to_json`], keeping only the newest undo steps whose JSON fits in about
    /// `max_bytes` (and the redo steps when they fit after them): a history too large to store
    /// loses its oldest steps, not all of them. Answers the JSON and how many steps were left
    /// out.
    pub fn to_json_within(&self, max_bytes: usize) -> (serde_json::Value, usize) {
        let mut kept: Vec<serde_json::Value> = Vec::new();
        let mut bytes = 0;
        for step in self.undo.iter().rev() {
            let json = step.undo.to_json();
            let size = crate::json::compact(&json).len();
            if bytes + size > max_bytes {
                break;
            }
            bytes += size;
            kept.push(json);
        }
        kept.reverse();
        let mut left_out = self.undo.len() - kept.len();
        let redo: Vec<serde_json::Value> = self.redo.iter().map(Edit::to_json).collect();
        let redo_size: usize = redo.iter().map(|json| crate::json::compact(json).len()).sum();
        let redo = if bytes + redo_size <= max_bytes {
            redo
        } else {
            left_out += redo.len();
            Vec::new()
        };
        (serde_json::json!({ "undo": kept, "redo": redo }), left_out)
    }

    /// Restores stacks stored by [`History::to_json`] into this history (keeping its bounds).
    /// Returns `false`, and changes nothing, when the JSON is not a stored history. The caller
    /// must pair it with the same document it was stored with: if they do not match, the
    /// first undo says so and clears the history.
    pub fn restore(&mut self, stored: &serde_json::Value) -> bool {
        let edits = |key: &str| -> Option<Vec<Edit>> {
            stored.get(key)?.as_array()?.iter().map(Edit::from_json).collect()
        };
        let (Some(undo), Some(redo)) = (edits("undo"), edits("redo")) else { return false };
        self.clear();
        self.bytes = undo.iter().chain(&redo).map(Edit::size).sum();
        self.undo = undo.into_iter().map(|undo| Step { undo, at_ms: 0 }).collect();
        self.redo = redo;
        self.trim();
        true
    }

    /// Drops the oldest steps beyond the bounds, always keeping the latest one.
    fn trim(&mut self) {
        while self.undo.len() > self.max_steps || (self.bytes > self.max_bytes && self.undo.len() > 1) {
            match self.undo.pop_front() {
                Some(step) => self.bytes -= step.undo.size().min(self.bytes),
                None => break,
            }
        }
    }
}

/// Whether an edit of scope `later` may join a step of scope `earlier`.
fn joins(earlier: &Scope, later: &Scope) -> bool {
    match (earlier, later) {
        (Scope::Property(a), Scope::Property(b)) => a == b,
        (Scope::Document, Scope::Document) => true,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn document() -> Document {
        crate::parse(r#"{"version": "7.3", "screens": [{"id": "A", "title": "One"}]}"#).document.unwrap()
    }

    fn text(document: &Document) -> String {
        document.to_json(crate::Style::Compact)
    }

    #[test]
    fn undo_and_redo_walk_the_steps() {
        let mut document = document();
        let original = text(&document);
        let mut history = History::new();
        history.push(document.set_property("/screens/0/title", json!("Two")).unwrap(), 0);
        let after_title = text(&document);
        history.push(document.set_property("/version", json!("7.2")).unwrap(), 10);
        assert_eq!(history.undo_len(), 2);
        assert!(history.undo(&mut document).unwrap());
        assert_eq!(text(&document), after_title);
        assert!(history.undo(&mut document).unwrap());
        assert_eq!(text(&document), original);
        assert!(!history.undo(&mut document).unwrap());
        assert!(history.redo(&mut document).unwrap());
        assert!(history.redo(&mut document).unwrap());
        assert!(text(&document).contains("\"7.2\"") && text(&document).contains("Two"));
        assert!(!history.can_redo());
    }

    #[test]
    fn typing_into_one_field_is_one_step_until_a_pause() {
        let mut document = document();
        let original = text(&document);
        let mut history = History::new();
        for (at, title) in [(0, "O"), (300, "On"), (600, "One!"), (900, "One!!")] {
            history.push(document.set_property("/screens/0/title", json!(title)).unwrap(), at);
        }
        assert_eq!(history.undo_len(), 1);
        // A pause longer than the burst window starts a new step.
        history.push(document.set_property("/screens/0/title", json!("Later")).unwrap(), 5000);
        assert_eq!(history.undo_len(), 2);
        history.undo(&mut document).unwrap();
        assert_eq!(document.get("/screens/0/title"), Some(&json!("One!!")));
        history.undo(&mut document).unwrap();
        assert_eq!(text(&document), original);
    }

    #[test]
    fn a_new_property_typed_in_a_burst_is_removed_by_one_undo() {
        let mut document = document();
        let original = text(&document);
        let mut history = History::new();
        for (at, value) in [(0, "a"), (100, "ab"), (200, "abc")] {
            history.push(document.set_property("/screens/0/extra", json!(value)).unwrap(), at);
        }
        assert_eq!(history.undo_len(), 1);
        history.undo(&mut document).unwrap();
        assert_eq!(text(&document), original);
    }

    #[test]
    fn edits_of_other_properties_or_after_undo_do_not_join() {
        let mut document = document();
        let mut history = History::new();
        history.push(document.set_property("/screens/0/title", json!("X")).unwrap(), 0);
        history.push(document.set_property("/version", json!("7.2")).unwrap(), 10);
        history.push(document.set_property("/screens/0/title", json!("Y")).unwrap(), 20);
        assert_eq!(history.undo_len(), 3);
        history.undo(&mut document).unwrap();
        history.push(document.set_property("/version", json!("7.1")).unwrap(), 30);
        assert_eq!(history.undo_len(), 3);
        history.break_burst();
        history.push(document.set_property("/version", json!("7.0")).unwrap(), 40);
        assert_eq!(history.undo_len(), 4);
    }

    #[test]
    fn replacing_from_the_json_text_is_one_step_and_joins_while_typing() {
        let mut document = document();
        let original = text(&document);
        let mut history = History::new();
        let edits = [
            r#"{"version": "7.3", "screens": [{"id": "A", "title": "One t"}]}"#,
            r#"{"version": "7.3", "screens": [{"id": "A", "title": "One tw"}], "x": 1}"#,
            r#"{"version": "7.3", "screens": [{"id": "A", "title": "One two"}, {"id": "B"}], "x": 1}"#,
        ];
        for (at, edit) in edits.iter().enumerate() {
            let replacement = crate::parse(edit).document.unwrap();
            history.push(document.replace(replacement), at as u64 * 100);
        }
        assert_eq!(history.undo_len(), 1);
        // The JSON pane's text still describes the document: spans keep working.
        assert!(document.span("/screens/1/id").is_some());
        history.undo(&mut document).unwrap();
        assert_eq!(text(&document), original);
        history.redo(&mut document).unwrap();
        assert_eq!(text(&document), text(&crate::parse(edits[2]).document.unwrap()));
    }

    #[test]
    fn keeps_a_bounded_number_of_steps_oldest_first() {
        let mut document = document();
        let mut history = History::with_limits(200, usize::MAX, 0);
        for step in 0..250u64 {
            let edit = document.set_property("/screens/0/title", json!(format!("title {step}"))).unwrap();
            history.push(edit, step * 10_000);
        }
        assert_eq!(history.undo_len(), 200);
        while history.undo(&mut document).unwrap() {}
        assert_eq!(document.get("/screens/0/title"), Some(&json!("title 49")));
    }

    #[test]
    fn keeps_about_the_memory_allowed() {
        let mut document = document();
        let mut history = History::with_limits(1000, 10_000, 0);
        for step in 0..100u64 {
            let edit = document.set_property("/screens/0/title", json!("x".repeat(1000))).unwrap();
            history.push(edit, step * 10_000);
        }
        assert!(history.size() <= 10_000 + 2000, "{}", history.size());
        assert!(history.undo_len() >= 5);
    }

    #[test]
    fn a_history_that_does_not_match_the_document_is_cleared_with_an_error() {
        let mut document = document();
        let mut history = History::new();
        history.push(document.set_property("/screens/0/title", json!("X")).unwrap(), 0);
        let mut other = crate::Document::from_value(json!({}));
        let error = history.undo(&mut other).unwrap_err();
        assert!(matches!(error, EditError::NotFound { .. }), "{error}");
        assert!(!history.can_undo() && !history.can_redo());
        assert_eq!(other.root(), &json!({}));
    }
}
