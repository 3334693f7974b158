//! Any bytes through `check()`: never a panic, a hang or unbounded memory; whatever reads as a
//! document writes back losslessly and yields a graph.
#![no_main]
use flow_model::{Style, analyze, check, parse};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let report = check(bytes);
    let Some(document) = report.document else { return };
    for diagnostic in &report.diagnostics {
        let _ = document.span(&diagnostic.pointer);
    }
    let _ = analyze(&document);
    for style in [Style::Pretty, Style::Compact] {
        let text = document.to_json(style);
        let again = parse(&text).document.expect("our own output reads back");
        assert_eq!(again.to_json(style), text, "lossless in the {style:?} style");
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        let _ = document.pointer_at(text.lines().count(), 3);
    }
});
