//! Flow JSON, the document format of WhatsApp Flows, as a pure Rust model.
//!
//! No IO and no web dependencies: the same code runs in the browser app (wasm32), in the
//! `flowsmith` server and CLI, and in tests. Parsing never panics on user input: it returns
//! what it could read together with what is wrong with it.
#![warn(missing_docs)]
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)
)]

mod document;
pub mod templates;

pub use document::{Document, Parsed, ScreenSummary, SyntaxError, parse};
