//! The phone preview: a renderer of every component of the catalog looking like WhatsApp,
//! interactive (form state, client-side checks, actions, a mock endpoint), and the embed page
//! (`/embed`, a second wasm bundle) that shows it to the editor and to host applications
//! through a postMessage protocol.
pub mod bridge;
mod embed;
pub mod endpoint_log;
mod endpoint_panel;
pub mod error;
mod inputs;
pub mod markdown;
mod pane;
mod phone;
pub mod protocol;
pub mod render;
pub mod runtime;
pub mod session;
pub mod settings;
mod settings_panel;

pub use embed::{EmbedApp, read_flow};
pub use endpoint_panel::{EndpointLog, HealthCheck};
pub use pane::PreviewPane;
pub use phone::{Controls, Phone};
