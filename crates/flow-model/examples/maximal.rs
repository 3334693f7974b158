//! Times parse + validate + serialize of a maximal flow: `flow_model::samples::maximal_flow`,
//! 100 screens of 50 components each (about 1.2 MB of Flow JSON), the input the benches and the
//! browser benchmark use. `cargo run --release -p flow-model --example maximal [SCREENS]`.
//!
//! `MODE=parse|validate|serialize` repeats one step only (`MODE=all` all three), `RUNS` times (200 by default), for
//! `perf stat` or `valgrind --tool=callgrind`, which count instructions even on a busy machine.
use std::time::{Duration, Instant};

use flow_model::{Style, parse, samples, validate};

fn main() {
    let screens: usize = std::env::args().nth(1).and_then(|arg| arg.parse().ok()).unwrap_or(100);
    let text = samples::maximal_flow(screens, 50);
    if let Ok(path) = std::env::var("WRITE") {
        std::fs::write(path, &text).unwrap();
    }
    let document = parse(&text).document.expect("the generated flow is JSON");
    let diagnostics = validate(&document);
    for diagnostic in diagnostics.iter().take(5) {
        eprintln!("{} {} {}", diagnostic.code(), diagnostic.pointer, diagnostic.message());
    }
    let components: usize = document.screens().iter().map(|screen| screen.component_types.len()).sum();
    println!(
        "{} screens, {components} components, {} bytes, {} diagnostics",
        screens,
        text.len(),
        diagnostics.len()
    );
    let runs: usize = std::env::var("RUNS").ok().and_then(|runs| runs.parse().ok()).unwrap_or(200);
    if let Ok(mode) = std::env::var("MODE") {
        for _ in 0..runs {
            match mode.as_str() {
                "parse" => drop(std::hint::black_box(parse(&text))),
                "validate" => drop(std::hint::black_box(validate(&document))),
                "serialize" => drop(std::hint::black_box(document.to_json(Style::Pretty))),
                "all" => {
                    let document = parse(&text).document.expect("JSON");
                    drop(std::hint::black_box((validate(&document), document.to_json(Style::Pretty))));
                }
                _ => {}
            }
        }
        return;
    }
    let runs = runs.clamp(1, 50);
    let mut steps: [Vec<Duration>; 4] = Default::default();
    for _ in 0..runs {
        let start = Instant::now();
        let document = parse(&text).document.expect("JSON");
        let parsed = start.elapsed();
        let found = validate(&document);
        let validated = start.elapsed();
        let written = document.to_json(Style::Pretty);
        let all = start.elapsed();
        assert_eq!(found.len(), diagnostics.len());
        assert!(!written.is_empty());
        for (step, time) in steps.iter_mut().zip([all, parsed, validated - parsed, all - validated]) {
            step.push(time);
        }
    }
    let names = ["parse + validate + serialize", "parse alone", "validate alone", "serialize alone"];
    for (name, times) in names.iter().zip(&mut steps) {
        times.sort();
        println!("{name}: median {:?}, best {:?}", times[runs / 2], times[0]);
    }
}
