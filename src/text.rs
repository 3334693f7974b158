//! Text operations done with the browser's own tables, so the bundle does not carry Rust's:
//! lower case (Rust's case tables cost the editor 7.9 KB gzip) and reading decimals (Rust's
//! parser carries a 10 KB table of powers of five; see `flow_model::number`).

/// Lower case as `String.prototype.toLowerCase` gives it: what `str::to_lowercase` gives (final
/// sigma included), for names in any language. ASCII-only text should use
/// `to_ascii_lowercase`, which needs no tables.
pub fn lower_case(text: &str) -> String {
    js_sys::JsString::from(text).to_lower_case().into()
}

/// Makes flow-model read decimals with JavaScript's `parseFloat` (idempotent; before any flow is
/// parsed). flow-model has checked that the text is a decimal, which `parseFloat` reads whole,
/// correctly rounded, as Rust would.
pub fn use_browser_numbers() {
    let _ = flow_model::number::set_parser(js_sys::Number::parse_float);
}
