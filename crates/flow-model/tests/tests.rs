//! The crate's integration tests, one binary (they also run on wasm32 in headless Chromium).
//! Each module of `suite/` covers one area; fixtures live in `fixtures/<area>/`.
mod suite;

#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);
