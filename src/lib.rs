//! The Flowsmith app: a Leptos (client-side rendered) single-page app.
pub mod app;
pub mod features;
pub mod storage;

pub use app::App;
