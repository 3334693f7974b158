//! flow-model's benchmarks (`cargo xtask bench`); figures and budgets in BENCHMARKS.md.
//!
//! - `check`: parse + validate + serialize of generated flows of 10, 50 and 100 screens of 50
//!   components (100 × 50 is Meta's maximum, about 1 MB): the time should grow linearly.
//! - `limit`: a flow just under 10 MB processed, and one just over refused.
//! - `edit`: an edit and its undo on the maximal flow, for each kind of edit.
//! - `graph`: the screen graph of the maximal flow.
#[cfg(not(target_arch = "wasm32"))]
mod native {
    use std::hint::black_box;
    use std::time::Duration;

    use criterion::{BatchSize, Criterion, Throughput};
    use flow_model::{Document, MAX_INPUT_BYTES, Style, analyze, check, parse, samples};
    use serde_json::{Value, json};

    /// Parse + validate + serialize: what opening or saving a flow costs.
    fn round_trip(input: &[u8]) -> String {
        let report = check(input);
        report.document.map(|document| document.to_json(Style::Pretty)).unwrap_or_default()
    }

    /// The maximal flow with one large Image per screen, just under the 10 MB limit.
    fn ten_megabyte_flow() -> String {
        let base = samples::maximal_flow(100, 50);
        let mut flow: Value = serde_json::from_str(&base).unwrap_or_default();
        let screens =
            flow.get_mut("screens").and_then(Value::as_array_mut).map(|screens| screens.len()).unwrap_or(1);
        // Room for the images, less some for their JSON around the base64 text.
        let per_image = (MAX_INPUT_BYTES - base.len() - 64 * 1024) / screens;
        for screen in flow.get_mut("screens").and_then(Value::as_array_mut).into_iter().flatten() {
            if let Some(children) =
                screen.pointer_mut("/layout/children/0/children").and_then(Value::as_array_mut)
            {
                children.insert(0, json!({"type": "Image", "src": "A".repeat(per_image), "height": 200}));
            }
        }
        let text = serde_json::to_string_pretty(&flow).unwrap_or_default();
        assert!(text.len() <= MAX_INPUT_BYTES && text.len() > MAX_INPUT_BYTES - 200 * 1024, "{}", text.len());
        text
    }

    fn checks(c: &mut Criterion) {
        let mut group = c.benchmark_group("check");
        for screens in [10, 50, 100] {
            let input = samples::maximal_flow(screens, 50);
            group.throughput(Throughput::Bytes(input.len() as u64));
            group.bench_function(format!("{screens} screens x 50 components"), |b| {
                b.iter(|| round_trip(black_box(input.as_bytes())))
            });
        }
        // Where the time of the maximal flow goes.
        let input = samples::maximal_flow(100, 50);
        group.throughput(Throughput::Bytes(input.len() as u64));
        group.bench_function("100 x 50: parse only", |b| b.iter(|| parse(black_box(input.as_bytes()))));
        let document = parse(&input).document.unwrap_or_else(|| Document::from_value(Value::Null));
        group.bench_function("100 x 50: serialize only", |b| {
            b.iter(|| black_box(&document).to_json(Style::Pretty))
        });
        group.finish();

        let mut group = c.benchmark_group("limit");
        let processed = ten_megabyte_flow();
        group.throughput(Throughput::Bytes(processed.len() as u64));
        group.bench_function("10 MB flow processed", |b| {
            b.iter(|| round_trip(black_box(processed.as_bytes())))
        });
        let refused = vec![b' '; MAX_INPUT_BYTES + 1];
        group.bench_function("over 10 MB refused", |b| b.iter(|| check(black_box(&refused))));
        group.finish();
    }

    fn edits(c: &mut Criterion) {
        let text = samples::maximal_flow(100, 50);
        let mut document = parse(&text).document.unwrap_or_else(|| Document::from_value(Value::Null));
        let mut group = c.benchmark_group("edit + undo, 100 x 50 flow");
        group.bench_function("set a property", |b| {
            b.iter(|| {
                let undo =
                    document.set_property("/screens/50/layout/children/0/children/2/label", json!("Name"));
                undo.and_then(|undo| document.apply(undo))
            })
        });
        group.bench_function("rename a screen (every reference)", |b| {
            b.iter(|| {
                let undo = document.rename_screen("SCREEN_BX", "RENAMED");
                undo.and_then(|undo| document.apply(undo))
            })
        });
        group.bench_function("move a component to another screen", |b| {
            b.iter(|| {
                let undo = document.move_component(
                    "/screens/50/layout/children/0/children/3",
                    "/screens/70/layout/children/0/children",
                    0,
                );
                undo.and_then(|undo| document.apply(undo))
            })
        });
        group.bench_function("duplicate a component", |b| {
            b.iter(|| {
                let undo = document.duplicate_component("/screens/50/layout/children/0/children/4");
                undo.and_then(|undo| document.apply(undo))
            })
        });
        group.bench_function("remove a screen", |b| {
            b.iter(|| document.remove_screen("SCREEN_BX").and_then(|removal| document.apply(removal.undo)))
        });
        // The JSON pane: one word typed, the new text parsed (not measured), the document
        // replaced (a diff of the two) and the replacement undone.
        let typed = text.replacen("Step 51 of 100", "Step fifty-one of 100", 1);
        let replacement = parse(&typed).document.unwrap_or_else(|| Document::from_value(Value::Null));
        group.bench_function("replace the document from the JSON text", |b| {
            b.iter_batched(
                || replacement.clone(),
                |replacement| {
                    let undo = document.replace(replacement);
                    document.apply(undo)
                },
                BatchSize::LargeInput,
            )
        });
        group.finish();
    }

    fn graph(c: &mut Criterion) {
        let document = parse(samples::maximal_flow(100, 50))
            .document
            .unwrap_or_else(|| Document::from_value(Value::Null));
        c.bench_function("graph of the 100 x 50 flow", |b| b.iter(|| analyze(black_box(&document))));
    }

    pub fn main() {
        // Short runs: the machine is shared, and the figures are stable well within this.
        let mut criterion = Criterion::default()
            .sample_size(20)
            .warm_up_time(Duration::from_secs(1))
            .measurement_time(Duration::from_secs(4))
            .configure_from_args();
        checks(&mut criterion);
        edits(&mut criterion);
        graph(&mut criterion);
        criterion.final_summary();
    }
}

fn main() {
    #[cfg(not(target_arch = "wasm32"))]
    native::main();
}
