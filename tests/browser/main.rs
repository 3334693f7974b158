//! Browser tests (wasm-bindgen-test in headless Chromium): components mounted into a real DOM.
//! One test binary; one module per feature.
#![cfg(target_arch = "wasm32")]

mod support;

mod inspector;
mod problems;
mod screen_list;

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);
