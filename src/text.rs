//! Text operations done with the browser's own Unicode tables, so the bundle does not carry
//! Rust's (the case tables alone cost the editor 7.9 KB gzip).

/// Lower case as `String.prototype.toLowerCase` gives it: what `str::to_lowercase` gives (final
/// sigma included), for names in any language. ASCII-only text should use
/// `to_ascii_lowercase`, which needs no tables.
pub fn lower_case(text: &str) -> String {
    js_sys::JsString::from(text).to_lower_case().into()
}
