//! The app's features, one folder each.
pub mod drafts;
pub mod editor;
pub mod files;
pub mod graph;
pub mod inspector;
pub mod json_view;
pub mod library;
pub mod messages;
pub mod preview;
pub mod problems;
pub mod responses;
pub mod shell;
pub mod shortcuts;
pub mod workspace;
