//! The JSON view: flow.json as text, in CodeMirror (or a plain text area when the editor bundle
//! cannot load), with diagnostics as lint markers.
pub mod offsets;
mod pane;
mod view;

pub use pane::JsonPane;
pub use view::{JsonView, TextMarker};
