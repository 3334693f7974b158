//! What the benchmark examples share: one line of percentiles per measured step.
use std::time::Duration;

/// Prints `name: n= p50= p99= max=` of the times, in milliseconds.
pub fn summary(name: &str, mut times: Vec<Duration>) {
    times.sort();
    let at = |share: f64| times[((times.len() as f64 * share) as usize).min(times.len() - 1)];
    println!(
        "{name}: n={} p50={:.3} ms p99={:.3} ms max={:.3} ms",
        times.len(),
        at(0.5).as_secs_f64() * 1000.0,
        at(0.99).as_secs_f64() * 1000.0,
        times[times.len() - 1].as_secs_f64() * 1000.0
    );
}
