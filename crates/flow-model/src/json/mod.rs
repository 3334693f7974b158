//! JSON text: the strict reader, JSON Pointers and the source map.
pub(crate) mod parser;
pub mod pointer;
mod source_map;

pub use parser::MAX_DEPTH;
pub use source_map::Source;
