//! `cargo xtask`: the commands of the README, and the tools they need.
//!
//! - `cargo xtask serve`: install what is missing, build the app (release), run `flowsmith serve`.
//! - `cargo xtask test`: install what is missing, then every check, stopping at the first failure.
//! - `cargo xtask bench [server|workspace|graph]`: flow-model's criterion benchmarks, the browser
//!   benchmarks, the server's proxy benchmarks, the workspace's and the Graph backend's (figures
//!   go to BENCHMARKS.md); `server`, `workspace` or `graph` runs only that one.
//! - `cargo xtask schemathesis`: only the schemathesis step of `test`, on a debug build.
//! - `cargo xtask fuzz [SECONDS]`: flow-model's fuzz targets on nightly (not part of `test`).
mod bundle;
mod graph_bench;
mod http_client;
mod pipeline;
mod postgres;
mod precompress;
mod schemathesis;
mod server_bench;
mod tools;
mod wasm_order;
mod workspace_bench;

use std::process::ExitCode;

use pipeline::{Failure, Pipeline};

const USAGE: &str = "\
usage: cargo xtask <command>

commands:
  serve [ARGS...]   install missing tools, build the app in release mode and run `flowsmith serve`
                    on 127.0.0.1:8080; ARGS go to `flowsmith serve` (e.g. --port 9000, --bind 0.0.0.0)
  test              install missing tools and run every check: fmt, clippy (native and wasm32),
                    native tests, schemathesis on the sandbox, browser tests, release build,
                    end-to-end tests
  schemathesis      only test's schemathesis step: both seed specs against a debug sandbox
  build             install missing tools and build the app in release mode into dist/
  bench [server|workspace|graph]
                    run flow-model's, the browser's, the proxy's, the workspace's and the Graph
                    backend's benchmarks (record figures in BENCHMARKS.md); `bench server` runs
                    only the proxy's (wrk, release build), `bench workspace` only the workspace's
                    (release build, SQLite and a throwaway PostgreSQL), `bench graph` only what
                    the Graph backend adds to a proxied call (wrk, release build)
  fuzz [SECONDS]    install cargo-fuzz if missing and run each flow-model fuzz target for SECONDS
                    (default 60) on the nightly toolchain; findings go to fuzz/artifacts/
";

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let command = args.next();
    let rest: Vec<String> = args.collect();
    let result = match command.as_deref() {
        Some("serve") => serve(&rest),
        Some("test") => test(),
        Some("build") => build(),
        Some("bench") => match rest.as_slice() {
            [] => bench(),
            [server] if server == "server" => bench_server(),
            [workspace] if workspace == "workspace" => bench_workspace(),
            [graph] if graph == "graph" => bench_graph(),
            _ => Err(Failure::new(format!(
                "bench takes no argument, `server`, `workspace` or `graph`\n\n{USAGE}"
            ))),
        },
        Some("schemathesis") => schemathesis(),
        Some("fuzz") => fuzz(&rest),
        Some("help" | "--help" | "-h") => {
            print!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Some(other) => Err(Failure::new(format!("unknown command '{other}'\n\n{USAGE}"))),
        None => Err(Failure::new(USAGE.to_owned())),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            eprintln!("\nxtask: {failure}");
            ExitCode::FAILURE
        }
    }
}

/// The tools every build needs: the wasm32 target, Trunk, wasm-bindgen, and (when possible) wasm-opt.
fn build_tools(pipeline: &mut Pipeline) -> Result<tools::BuildTools, Failure> {
    pipeline.step("tools", |_| tools::ensure_build_tools())
}

fn build() -> Result<(), Failure> {
    let mut pipeline = Pipeline::new("build");
    let tools = build_tools(&mut pipeline)?;
    pipeline.step("release build", |_| bundle::build_release(&tools, true))?;
    pipeline.finish();
    Ok(())
}

fn serve(server_args: &[String]) -> Result<(), Failure> {
    let mut pipeline = Pipeline::new("serve");
    let tools = build_tools(&mut pipeline)?;
    pipeline.step("release build", |_| bundle::build_release(&tools, false))?;
    pipeline.step("server build", |step| {
        step.run(tools::cargo().args(["build", "--release", "--locked", "-p", "flowsmith-server"]))
    })?;
    pipeline.finish();
    let server = tools::workspace_root().join("target/release/flowsmith");
    let dist = tools::workspace_root().join("dist");
    let mut command = std::process::Command::new(server);
    command.arg("serve").arg("--app-dir").arg(dist).args(server_args);
    pipeline::run_until_interrupted(&mut command)
}

fn bench() -> Result<(), Failure> {
    let mut pipeline = Pipeline::new("bench");
    let build_tools = build_tools(&mut pipeline)?;
    let chromedriver = pipeline.step("browser tools", |_| tools::ensure_chromium())?;
    pipeline.step("flow-model benchmarks", |step| {
        step.run(tools::cargo().args(["bench", "--locked", "-p", "flow-model", "--bench", "flow_model"]))?;
        step.run(tools::cargo().args(["bench", "--locked", "-p", "flow-model", "--bench", "validation"]))
    })?;
    // flow-model in headless Chromium, built as the app ships it (`wasm-release`: size-optimised).
    pipeline.step("flow-model in the browser", |step| {
        step.run(&mut browser_tests(
            &chromedriver,
            &[
                "--profile",
                "wasm-release",
                "-p",
                "flow-model",
                "--test",
                "tests",
                "--",
                "--include-ignored",
                "--nocapture",
                "bench_",
            ],
        ))
    })?;
    pipeline.step("release build", |_| bundle::build_release(&build_tools, true))?;
    // Browser measurements of the release build, driven over WebDriver (`tests/e2e/bench.rs`).
    pipeline.step("browser benchmarks", |step| {
        step.run(tools::cargo().args(["test", "--workspace", "--locked", "--no-run"]))?;
        step.run(&mut end_to_end(&chromedriver, &["bench_", "--nocapture", "--test-threads=1"]))
    })?;
    pipeline.finish();
    bench_server()?;
    bench_graph()?;
    bench_workspace()
}

/// The proxy's budgets (issue 5): wrk against `examples/bench_stub.rs`, direct and through
/// `flowsmith serve` (`server_bench.rs`).
fn bench_server() -> Result<(), Failure> {
    let mut pipeline = Pipeline::new("bench server");
    pipeline.step("wrk", |_| tools::ensure_wrk())?;
    pipeline.step("server build", |step| {
        release_build(step, &["-p", "flowsmith-server", "--bin", "flowsmith", "--example", "bench_stub"])
    })?;
    pipeline.step("proxy benchmarks", |_| server_bench::run())?;
    pipeline.finish();
    Ok(())
}

/// What the Graph backend adds to a proxied operation (issue 19): wrk against
/// `examples/bench_stub.rs` speaking Graph, direct and through `flowsmith serve --mode graph`
/// (`graph_bench.rs`).
fn bench_graph() -> Result<(), Failure> {
    let mut pipeline = Pipeline::new("bench graph");
    pipeline.step("wrk", |_| tools::ensure_wrk())?;
    pipeline.step("server build", |step| {
        release_build(step, &["-p", "flowsmith-server", "--bin", "flowsmith", "--example", "bench_stub"])
    })?;
    pipeline.step("Graph backend benchmark", |_| graph_bench::run())?;
    pipeline.finish();
    Ok(())
}

/// The workspace's budgets (issue 15): lists, autosave and sync through the API of a release
/// `flowsmith serve`, on SQLite and on a throwaway PostgreSQL (`workspace_bench.rs`).
fn bench_workspace() -> Result<(), Failure> {
    let mut pipeline = Pipeline::new("bench workspace");
    pipeline.step("server build", |step| {
        release_build(step, &["-p", "flowsmith-server", "--bin", "flowsmith"])?;
        // Writes the maximal flow the autosave is measured with (`samples::maximal_flow`).
        release_build(step, &["-p", "flow-model", "--example", "maximal"])
    })?;
    // Durable (fsync on), as a production server: a commit's cost is part of the budgets.
    let postgres = pipeline.step("PostgreSQL", |_| postgres::Postgres::start_durable())?;
    pipeline.step("workspace benchmarks", |_| workspace_bench::run(&postgres))?;
    drop(postgres);
    pipeline.finish();
    Ok(())
}

/// `cargo build --release --locked` of `targets`.
fn release_build(step: &mut pipeline::Step, targets: &[&str]) -> Result<(), Failure> {
    step.run(tools::cargo().args(["build", "--release", "--locked"]).args(targets))
}

/// The ignored tests of the e2e binary selected by `filters`, against the built app (`dist/`)
/// served by `target/debug/flowsmith` (built by `cargo test --workspace --no-run`).
fn end_to_end(chromedriver: &std::path::Path, filters: &[&str]) -> std::process::Command {
    let root = tools::workspace_root();
    let mut command = tools::cargo();
    command
        .args(["test", "--workspace", "--locked", "--test", "e2e", "--", "--ignored"])
        .args(filters)
        .env("FLOWSMITH_BIN", root.join("target/debug/flowsmith"))
        .env("FLOWSMITH_DIST", root.join("dist"))
        .env("CHROMEDRIVER", chromedriver);
    command
}

/// `cargo test` of wasm32 targets with `args`, run by wasm-bindgen-test-runner in headless
/// Chromium through `chromedriver`.
fn browser_tests(chromedriver: &std::path::Path, args: &[&str]) -> std::process::Command {
    let mut command = tools::cargo();
    command
        .args(["test", "--locked", "--target", "wasm32-unknown-unknown"])
        .args(args)
        .env("CHROMEDRIVER", chromedriver)
        .env("WASM_BINDGEN_TEST_WEBDRIVER_JSON", tools::workspace_root().join("webdriver.json"))
        .env("WASM_BINDGEN_TEST_TIMEOUT", "300");
    command
}

/// The fuzz targets of `fuzz/Cargo.toml`, each run for the same time.
const FUZZ_TARGETS: &[&str] = &["check", "edits"];

fn fuzz(args: &[String]) -> Result<(), Failure> {
    let seconds: u64 = match args {
        [] => 60,
        [seconds] => seconds
            .parse()
            .map_err(|_| Failure::new(format!("'{seconds}' is not a number of seconds\n\n{USAGE}")))?,
        _ => return Err(Failure::new(format!("fuzz takes at most one argument\n\n{USAGE}"))),
    };
    let mut pipeline = Pipeline::new("fuzz");
    pipeline.step("tools", |_| tools::ensure_cargo_fuzz())?;
    for target in FUZZ_TARGETS {
        pipeline.step(target, |step| step.run(&mut tools::cargo_fuzz_run(target, seconds)))?;
    }
    pipeline.finish();
    Ok(())
}

fn test() -> Result<(), Failure> {
    let mut pipeline = Pipeline::new("test");
    let build_tools = build_tools(&mut pipeline)?;
    let chromedriver = pipeline.step("browser tools", |_| tools::ensure_chromium())?;
    pipeline.step("fmt", |step| step.run(tools::cargo().args(["fmt", "--all", "--check"])))?;
    pipeline.step("clippy (native)", |step| {
        step.run(tools::cargo().args([
            "clippy",
            "--workspace",
            "--all-targets",
            "--locked",
            "--",
            "-D",
            "warnings",
        ]))
    })?;
    pipeline.step("clippy (wasm32)", |step| {
        step.run(tools::cargo().args([
            "clippy",
            "--target",
            "wasm32-unknown-unknown",
            "-p",
            "flowsmith",
            "-p",
            "flow-model",
            "--all-targets",
            "--locked",
            "--",
            "-D",
            "warnings",
        ]))
    })?;
    // The workspace's store and API tests run on SQLite and on this PostgreSQL.
    let postgres = pipeline.step("PostgreSQL", |_| postgres::Postgres::start())?;
    pipeline.step("native tests", |step| {
        step.run_tests(
            tools::cargo()
                .args(["test", "--workspace", "--locked"])
                .env(postgres::URL_VARIABLE, &postgres.url)
                .env(postgres::REQUIRE_VARIABLE, "1"),
        )
    })?;
    drop(postgres);
    // The native tests built target/debug/flowsmith, whose sandbox schemathesis probes.
    schemathesis_step(&mut pipeline)?;
    pipeline.step("browser tests", |step| {
        step.run_tests(&mut browser_tests(&chromedriver, &["-p", "flowsmith", "-p", "flow-model"]))
    })?;
    pipeline.step("release build", |_| bundle::build_release(&build_tools, true))?;
    pipeline.step("end-to-end tests", |step| {
        // Same selection as the native tests (the whole workspace), so nothing recompiles with
        // other features; this also builds target/debug/flowsmith.
        step.run(tools::cargo().args(["test", "--workspace", "--locked", "--no-run"]))?;
        step.run_tests(&mut end_to_end(&chromedriver, &["--skip", "bench_"]))
    })?;
    pipeline.finish();
    Ok(())
}

/// Schemathesis on both seed specs against the sandbox of `target/debug/flowsmith` (issue 19).
fn schemathesis_step(pipeline: &mut Pipeline) -> Result<(), Failure> {
    pipeline.step("schemathesis", |step| {
        let schemathesis = schemathesis::ensure()?;
        schemathesis::run(step, &schemathesis)
    })
}

fn schemathesis() -> Result<(), Failure> {
    let mut pipeline = Pipeline::new("schemathesis");
    pipeline.step("server build", |step| {
        step.run(tools::cargo().args(["build", "--locked", "-p", "flowsmith-server", "--bin", "flowsmith"]))
    })?;
    schemathesis_step(&mut pipeline)?;
    pipeline.finish();
    Ok(())
}
