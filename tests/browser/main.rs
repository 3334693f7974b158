//! Browser tests (wasm-bindgen-test in headless Chromium): components mounted into a real DOM.
//! One test binary; one module per feature.
#![cfg(target_arch = "wasm32")]

mod support;

mod drafts;
mod endpoint_log;
mod graph;
mod inspector;
mod messages;
mod preview;
mod problems;
mod rate_limit_wait;
mod responses;
mod screen_list;
mod shortcuts;
mod tasks;

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

mod text {
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn decimals_in_a_flow_are_read_by_the_browser_as_rust_reads_them() {
        flowsmith::text::use_browser_numbers();
        let text = r#"[0.1, -2.5e-3, 1.7976931348623157e308, 18446744073709551616, 5e-324, 123456789012345678901234567890.123]"#;
        let parsed = flow_model::parse(text);
        let root = parsed.document.expect("parses").root().clone();
        let expected = [
            0.1,
            -2.5e-3,
            1.797_693_134_862_315_7e308,
            18_446_744_073_709_551_616.0,
            5e-324,
            1.234_567_890_123_456_8e29,
        ];
        let values: Vec<f64> = root.as_array().unwrap().iter().map(|value| value.as_f64().unwrap()).collect();
        assert_eq!(values, expected);
        // Too large for a double: said, as natively.
        let too_large = flow_model::parse("[1e999]");
        assert!(too_large.document.is_none());
        assert!(too_large.diagnostics.iter().any(|diagnostic| diagnostic.is_error()));
    }

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
