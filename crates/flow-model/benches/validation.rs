//! The validator's benchmarks (`cargo bench -p flow-model --bench validation`); figures in
//! BENCHMARKS.md, "Validation performance".
//!
//! - `validate`: `flow_model::validate` alone on generated flows of 10, 50 and 100 screens of
//!   50 components (100 × 50 is Meta's maximum, about 1.2 MB): the editor runs it on every
//!   keystroke, and the time should grow linearly.
//! - `parse + validate + serialize`: what opening or saving a flow costs, on the same inputs.
#[cfg(not(target_arch = "wasm32"))]
mod native {
    use std::hint::black_box;

    use criterion::{Criterion, Throughput};
    use flow_model::{Document, Style, parse, samples, validate};
    use serde_json::Value;

    fn flows() -> impl Iterator<Item = (usize, String)> {
        [10, 50, 100].into_iter().map(|screens| (screens, samples::maximal_flow(screens, 50)))
    }

    fn validation(c: &mut Criterion) {
        let mut group = c.benchmark_group("validate");
        for (screens, input) in flows() {
            let document = parse(&input).document.unwrap_or_else(|| Document::from_value(Value::Null));
            assert!(validate(&document).is_empty(), "the sample flows are valid");
            group.throughput(Throughput::Bytes(input.len() as u64));
            group.bench_function(format!("{screens} screens x 50 components"), |b| {
                b.iter(|| validate(black_box(&document)))
            });
        }
        group.finish();

        let mut group = c.benchmark_group("parse + validate + serialize");
        for (screens, input) in flows() {
            group.throughput(Throughput::Bytes(input.len() as u64));
            group.bench_function(format!("{screens} screens x 50 components"), |b| {
                b.iter(|| {
                    let document = parse(black_box(input.as_bytes())).document;
                    let found = document.as_ref().map(validate).unwrap_or_default();
                    let written = document.map(|document| document.to_json(Style::Pretty));
                    (found, written)
                })
            });
        }
        group.finish();
    }

    criterion::criterion_group! {
        name = benches;
        config = Criterion::default().sample_size(50);
        targets = validation
    }
}

#[cfg(not(target_arch = "wasm32"))]
criterion::criterion_main!(native::benches);

#[cfg(target_arch = "wasm32")]
fn main() {}
