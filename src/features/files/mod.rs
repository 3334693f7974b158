//! Files: new flows from templates, opening a file or pasted text, exporting flow.json.
mod export;
mod new_flow;
mod open;

pub use export::{copy_to_clipboard, download, download_blob};
pub use new_flow::NewFlowDialog;
pub use open::{OpenFile, PasteDialog, accept_flow_text};
