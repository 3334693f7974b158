//! The browser's own regular expressions for flow-model's pattern checks (see
//! `flow_model::regex`): exactly the JavaScript semantics Meta uses, at no bundle cost.
use wasm_bindgen::prelude::*;

#[wasm_bindgen(inline_js = "export function regexError(pattern) {
  try { new RegExp(pattern); return undefined; } catch (error) { return String(error.message); }
}")]
extern "C" {
    #[wasm_bindgen(js_name = regexError)]
    fn regex_error(pattern: &str) -> Option<String>;
}

fn check(pattern: &str) -> Result<(), String> {
    match regex_error(pattern) {
        None => Ok(()),
        Some(message) => Err(message),
    }
}

/// Makes flow-model check patterns with the browser's engine (idempotent).
pub fn use_browser_regex() {
    let _ = flow_model::regex::set_checker(check);
}
