//! `cargo xtask bench graph`: what the Graph backend adds to a proxied operation (issue 19's
//! budget: under 1 ms p99 against a local stub). wrk lists a WABA's flows at about 1,000
//! requests/s, direct from `examples/bench_stub.rs` speaking Graph (`GET /v21.0/{waba}/flows`)
//! and through `flowsmith serve --mode graph` (`GET /api/v2/partners/meta/waba_accounts/{waba}/flows`:
//! the front, the adapter, the Graph backend's call and its answer turned into the Partner
//! shape), alternated [`RUNS`] times; medians, as `bench server` does for 360dialog.
use std::path::Path;
use std::process::Command;

use crate::pipeline::Failure;
use crate::server_bench::{Run, Server, load_average, median, serve_command, wrk};
use crate::tools;

/// Runs of each direct/proxied pair.
const RUNS: usize = 3;
/// The WABA listed.
const WABA: &str = "102290129340398";

fn flowsmith(root: &Path, stub: &str, folder: &Path) -> Command {
    let mut command = serve_command(root, folder);
    command
        .args(["--mode", "graph", "--waba-id", WABA, "--graph-url", &format!("{stub}/v21.0")])
        .env("FLOWSMITH_GRAPH_TOKEN", "bench-graph-token-0123456789");
    command
}

fn show(label: &str, run: &Run, load: &str) {
    println!(
        "  {label:<8} {:>7.0} req/s  p50 {:>6.3} ms  p99 {:>6.3} ms  stub {:>5.1} + flowsmith {:>5.1} µs CPU/req  errors {}  (load {load})",
        run.requests_per_second, run.p50_ms, run.p99_ms, run.stub_cpu_us, run.proxy_cpu_us, run.errors
    );
}

/// Starts the stub and the server, runs the pairs and prints the medians.
pub fn run() -> Result<(), Failure> {
    let root = tools::workspace_root();
    let folder = std::env::temp_dir().join(format!("flowsmith-bench-graph-{}", std::process::id()));
    std::fs::create_dir_all(folder.join("app"))
        .and_then(|()| std::fs::write(folder.join("app/index.html"), "<!doctype html>\n"))
        .and_then(|()| std::fs::write(folder.join("rate.lua"), "function delay()\n  return 10\nend\n"))
        .map_err(|error| Failure::new(format!("cannot write {}: {error}", folder.display())))?;
    let rate = folder.join("rate.lua").to_string_lossy().into_owned();
    let mut stub = Command::new(root.join("target/release/examples/bench_stub"));
    stub.args(["0", "0", "graph"]);
    let stub = Server::start(stub)?;
    let server = Server::start(flowsmith(&root, &stub.url, &folder))?;
    let direct_url =
        format!("{}/v21.0/{WABA}/flows?fields=id,name,categories,status,validation_errors", stub.url);
    let proxied_url = format!("{}/api/v2/partners/meta/waba_accounts/{WABA}/flows", server.url);
    // 10 connections each waiting 10 ms between requests: about 1,000 requests/s.
    let args = ["-t2", "-c10", "-d15s", "--latency", "-s", rate.as_str()];
    println!("list a WABA's flows at about 1,000 requests/s: wrk {}", args.join(" "));
    let (mut direct, mut proxied) = (Vec::new(), Vec::new());
    for _ in 0..RUNS {
        let load = load_average();
        let run = wrk(&args, &direct_url, &stub, None)?;
        show("direct", &run, &load);
        direct.push(run);
        let load = load_average();
        let run = wrk(&args, &proxied_url, &stub, Some(&server))?;
        show("graph", &run, &load);
        proxied.push(run);
    }
    drop(server);
    drop(stub);
    let _ = std::fs::remove_dir_all(&folder);
    let errors: u64 = direct.iter().chain(&proxied).map(|run| run.errors).sum();
    if errors > 0 {
        return Err(Failure::new(format!("{errors} requests failed: the figures would not mean anything")));
    }
    let p99 = |runs: &[Run]| median(runs.iter().map(|run| run.p99_ms).collect());
    let p50 = |runs: &[Run]| median(runs.iter().map(|run| run.p50_ms).collect());
    let cpu = median(proxied.iter().map(|run| run.proxy_cpu_us).collect());
    println!("\nmedians of {RUNS} runs (load average at the end: {})", load_average());
    println!("| measure | direct | through the Graph backend | budget |");
    println!("| --- | --- | --- | --- |");
    println!(
        "| p99 at ~1,000 req/s | {:.2} ms | {:.2} ms | +{:.2} ms (under +1 ms) |",
        p99(&direct),
        p99(&proxied),
        p99(&proxied) - p99(&direct)
    );
    println!(
        "| p50 at ~1,000 req/s | {:.3} ms | {:.3} ms | +{:.3} ms |",
        p50(&direct),
        p50(&proxied),
        p50(&proxied) - p50(&direct)
    );
    println!("| flowsmith CPU per request | | {cpu:.1} µs | |");
    Ok(())
}
