//! The JSON view: flow.json as text, in CodeMirror (or a plain text area when the editor bundle
//! cannot load), with diagnostics underlined and marked in a gutter.
pub mod offsets;
mod pane;
mod view;

pub use pane::JsonPane;
pub use view::{JsonView, TextMarker};
