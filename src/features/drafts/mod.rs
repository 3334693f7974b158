//! Drafts: every open document is kept in the browser (IndexedDB) on each change and comes
//! back after a reload or a crashed tab; the Flows page lists, opens, renames and deletes them.
mod autosave;
mod library;
mod record;

pub use autosave::{Autosave, QUIET_MS, UNSAVED, new_draft_id, open_stored, restore_last};
pub use library::{DraftsList, OPEN_DRAFT_MESSAGE, RENAMED_MESSAGE};
pub use record::DraftRecord;
