//! Browser tests (wasm-bindgen-test in headless Chromium): components mounted into a real DOM.
//! One test binary; one module per feature.
#![cfg(target_arch = "wasm32")]

mod support;

mod graph;
mod inspector;
mod preview;
mod problems;
mod screen_list;
mod shortcuts;

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

mod text {
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn lower_case_by_the_browser_agrees_with_rust() {
        for name in ["Sign-Up FLOW", "Inscrição ÁGIL", "ΟΔΥΣΣΕΥΣ", "İstanbul Şube", "Запись", "ẞ straße", ""]
        {
            assert_eq!(flowsmith::text::lower_case(name), name.to_lowercase(), "{name}");
        }
    }
}

mod regex {
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn patterns_are_checked_by_the_browser_engine() {
        flowsmith::regex::use_browser_regex();
        assert_eq!(flow_model::regex::check(r"^\d{3}(?<x>a)$"), Some(Ok(())));
        assert!(
            matches!(flow_model::regex::check("(unclosed"), Some(Err(message)) if message.contains("Invalid"))
        );
    }
}
