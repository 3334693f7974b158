//! Browser storage for drafts: IndexedDB through a small JS module (`idb.js`).
//!
//! Values are JSON strings; errors come back as messages for people (quota exceeded, private
//! mode without IndexedDB, another tab blocking an upgrade).
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen(module = "/src/storage/idb.js")]
extern "C" {
    #[wasm_bindgen(js_name = idbPut)]
    fn idb_put(store: &str, key: &str, value: &str) -> js_sys::Promise;
    #[wasm_bindgen(js_name = idbGet)]
    fn idb_get(store: &str, key: &str) -> js_sys::Promise;
    #[wasm_bindgen(js_name = idbDelete)]
    fn idb_delete(store: &str, key: &str) -> js_sys::Promise;
    #[wasm_bindgen(js_name = idbAll)]
    fn idb_all(store: &str) -> js_sys::Promise;
}

/// An object store of the drafts database.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Store {
    /// One record per draft, keyed by draft id.
    Drafts,
    /// Small facts about the session, e.g. which draft was open last.
    Session,
}

impl Store {
    fn name(self) -> &'static str {
        match self {
            Store::Drafts => "drafts",
            Store::Session => "session",
        }
    }
}

/// Why storage failed, for people.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StorageError(pub String);

impl std::fmt::Display for StorageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

fn error(value: JsValue) -> StorageError {
    let message = js_sys::Reflect::get(&value, &JsValue::from_str("message"))
        .ok()
        .and_then(|message| message.as_string())
        .or_else(|| value.as_string())
        .unwrap_or_else(|| "browser storage failed".to_owned());
    let hint = if message.contains("Quota") || message.contains("quota") {
        " (browser storage is full: delete old drafts in the drafts library)"
    } else {
        ""
    };
    StorageError(format!("{message}{hint}"))
}

/// Stores `value` under `key`.
pub async fn put(store: Store, key: &str, value: &str) -> Result<(), StorageError> {
    JsFuture::from(idb_put(store.name(), key, value)).await.map(|_| ()).map_err(error)
}

/// The value under `key`, if any.
pub async fn get(store: Store, key: &str) -> Result<Option<String>, StorageError> {
    JsFuture::from(idb_get(store.name(), key)).await.map(|value| value.as_string()).map_err(error)
}

/// Removes `key` (no error when absent).
pub async fn delete(store: Store, key: &str) -> Result<(), StorageError> {
    JsFuture::from(idb_delete(store.name(), key)).await.map(|_| ()).map_err(error)
}

/// Every value of the store.
pub async fn all(store: Store) -> Result<Vec<String>, StorageError> {
    let values = JsFuture::from(idb_all(store.name())).await.map_err(error)?;
    Ok(js_sys::Array::from(&values).iter().filter_map(|value| value.as_string()).collect())
}
