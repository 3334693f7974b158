//! The Flowsmith app: a Leptos (client-side rendered) single-page app.
pub mod api;
pub mod app;
pub mod components;
pub mod features;
pub mod framing;
pub mod regex;
pub mod state;
pub mod storage;
pub mod tasks;
pub mod text;

pub use app::App;
