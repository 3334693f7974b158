//! Parse + validate + serialize of the maximal flow (`samples::maximal_flow(100, 50)`, about
//! 1.1 MB) in headless Chromium: issue 3's browser budget is 25 ms. A measurement, not a test:
//! ignored, run in release mode by `cargo xtask bench`; it prints figures and asserts nothing
//! about time. The native figures come from `examples/maximal.rs` and the criterion benches.
use flow_model::{Style, parse, samples, validate};

/// `performance.now()`: milliseconds with sub-millisecond resolution.
fn now() -> f64 {
    let performance =
        js_sys::Reflect::get(&js_sys::global(), &"performance".into()).expect("the page has performance");
    let now = js_sys::Reflect::get(&performance, &"now".into()).expect("performance.now exists");
    js_sys::Function::from(now)
        .call0(&performance)
        .expect("performance.now runs")
        .as_f64()
        .unwrap_or(f64::NAN)
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied().unwrap_or(f64::NAN)
}

#[wasm_bindgen_test::wasm_bindgen_test]
#[ignore = "a measurement: run by `cargo xtask bench`"]
fn bench_check_of_the_maximal_flow_in_the_browser() {
    let text = samples::maximal_flow(100, 50);
    let expected = validate(&parse(&text).document.expect("the generated flow is JSON")).len();
    let (mut all, mut parsing, mut validating, mut writing) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    // Three warm-up runs (the first grows the wasm memory), then twenty measured.
    for run in 0..23 {
        let start = now();
        let document = parse(&text).document.expect("JSON");
        let parsed = now();
        let found = validate(&document);
        let validated = now();
        let written = document.to_json(Style::Pretty);
        let end = now();
        assert_eq!(found.len(), expected);
        assert_eq!(written.len(), text.len(), "the pretty text is the generated text");
        if run >= 3 {
            all.push(end - start);
            parsing.push(parsed - start);
            validating.push(validated - parsed);
            writing.push(end - validated);
        }
    }
    wasm_bindgen_test::console_log!(
        "maximal flow ({} bytes) in the browser, median of 20: parse + validate + serialize {:.2} ms \
         (parse {:.2} ms, validate {:.2} ms, serialize {:.2} ms)",
        text.len(),
        median(all),
        median(parsing),
        median(validating),
        median(writing)
    );
}
