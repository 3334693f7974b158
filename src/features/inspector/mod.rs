//! The inspector: the selected component's properties as a form generated from the catalog.
mod panel;

pub use panel::Inspector;
