//! JSON text: the strict reader, JSON Pointers and the source map.
pub(crate) mod parser;
pub mod pointer;
pub(crate) mod pretty;
mod source_map;

pub use parser::MAX_DEPTH;
pub use source_map::Source;

use serde_json::{Map, Value};

/// A member of an object. Flow JSON objects have a handful of members: comparing keys is
/// cheaper than hashing them (serde_json's maps hash with SipHash), and the walk and the
/// validator look members up in their hot loops.
pub(crate) fn member<'a>(object: &'a Map<String, Value>, key: &str) -> Option<&'a Value> {
    if object.len() > 16 {
        return object.get(key);
    }
    object.iter().find(|(name, _)| crate::catalog::same(name, key)).map(|(_, value)| value)
}
