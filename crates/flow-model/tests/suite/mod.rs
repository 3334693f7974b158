//! On wasm32, `#[test]` is wasm-bindgen-test's, so the same tests run in the browser.
mod documents;
mod edit;
mod evaluate;
mod graph;
mod history;
mod layout;
mod message;
mod mock;
#[cfg(not(target_arch = "wasm32"))]
mod properties;
#[cfg(target_arch = "wasm32")]
mod timing;
