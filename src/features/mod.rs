//! The app's features, one folder each.
pub mod editor;
pub mod json_view;
