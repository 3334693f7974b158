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

pub mod catalog;
pub mod compare;
pub mod date;
pub mod diagnostic;
mod document;
mod edit;
pub mod endpoint;
pub mod evaluate;
pub mod expression;
pub mod graph;
mod history;
pub mod json;
pub mod layout;
pub mod message;
pub mod mock;
pub mod model;
pub mod number;
pub mod order;
mod references;
pub mod regex;
pub mod samples;
pub mod screen_data;
pub mod templates;
mod validate;
pub mod version;
pub mod walk;

pub use diagnostic::{Code, Diagnostic, Location, Problem, Severity, Span, SyntaxProblem};
pub use document::{Document, MAX_INPUT_BYTES, Parsed, ScreenSummary, Style, parse};
pub use edit::{Edit, EditError, Scope, ScreenRemoval, is_valid_screen_id};
pub use graph::{Graph, analyze};
pub use history::History;
pub use references::{ReferenceKind, ScreenReference};
pub use validate::{Report, check, is_valid, validate};
pub use version::{Feature, Version};
