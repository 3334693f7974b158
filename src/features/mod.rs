//! The app's features, one folder each.
pub mod editor;
