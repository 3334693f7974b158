//! `cargo xtask bench server`: the budgets of `flowsmith serve` as a proxy (issue 5), measured
//! with wrk from a second process on loopback against `examples/bench_stub.rs`.
//!
//! Each case runs direct (wrk → stub) and proxied (wrk → flowsmith → stub) back to back, three
//! times, and reports medians, because this machine is shared and its load moves between runs
//! (the load average is printed with every case). Besides wrk's figures it reads the CPU time
//! each server process spent (`/proc/PID/stat`) and divides by the requests served: that figure
//! moves much less with the load than requests per second do.
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::pipeline::Failure;
use crate::tools;

/// The operation every request asks for: list a WABA's flows.
const PATH: &str = "/api/v2/partners/benchPA/waba_accounts/benchWA/flows";

/// Milliseconds the "remote" stub waits before answering: a fast answer from a remote API.
const REMOTE_DELAY_MS: u32 = 20;

/// Runs of each direct/proxied pair.
const RUNS: usize = 3;

/// A server we started; killed when dropped, so a failed step leaves nothing running.
pub(crate) struct Server {
    child: Child,
    /// `http://HOST:PORT`, as the server printed it.
    pub(crate) url: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    /// Starts `command` and waits for the `http://…` it prints on its first line.
    pub(crate) fn start(mut command: Command) -> Result<Server, Failure> {
        let shown = crate::pipeline::show(&command);
        let mut child = command
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|error| Failure::new(format!("cannot start `{shown}`: {error}")))?;
        let mut line = String::new();
        if let Some(stdout) = child.stdout.take() {
            let _ = BufReader::new(stdout).read_line(&mut line);
        }
        let url = line
            .split_whitespace()
            .find_map(|word| word.strip_prefix("http://"))
            .map(|rest| format!("http://{}", rest.trim_end_matches('/')));
        let server = Server { child, url: url.unwrap_or_default() };
        if server.url.is_empty() {
            return Err(Failure::new(format!("`{shown}` printed no URL (first line: {line:?})")));
        }
        Ok(server)
    }

    pub(crate) fn pid(&self) -> u32 {
        self.child.id()
    }
}

/// CPU time (user + system) of a process so far, in clock ticks of 10 ms.
pub(crate) fn cpu_ticks(pid: u32) -> u64 {
    let fields = stat_fields(pid);
    let field = |index: usize| fields.get(index).and_then(|value| value.parse::<u64>().ok()).unwrap_or(0);
    // utime and stime are fields 14 and 15 of the whole line, 12 and 13 after the name.
    field(11) + field(12)
}

/// The fields of `/proc/PID/stat` after the command name (which may hold spaces), from the
/// state (field 3 of the whole line) on.
pub(crate) fn stat_fields(pid: u32) -> Vec<String> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    stat.rsplit_once(')').map_or("", |(_, rest)| rest).split_whitespace().map(str::to_owned).collect()
}

fn status_kb(pid: u32, key: &str) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|line| line.strip_prefix(key))
        .and_then(|rest| rest.trim_start_matches(':').split_whitespace().next())
        .and_then(|value| value.parse().ok())
        .unwrap_or(0)
}

/// The load averages over 1, 5 and 15 minutes.
pub(crate) fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|text| text.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
}

/// What one wrk run measured.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Run {
    pub(crate) requests_per_second: f64,
    pub(crate) p50_ms: f64,
    pub(crate) p99_ms: f64,
    /// CPU microseconds per request of the server processes (stub, and proxy when proxied).
    pub(crate) stub_cpu_us: f64,
    pub(crate) proxy_cpu_us: f64,
    pub(crate) requests: u64,
    pub(crate) errors: u64,
}

/// `12.3us`, `0.96ms`, `1.2s` as milliseconds.
fn millis(text: &str) -> Option<f64> {
    let (number, factor) = if let Some(number) = text.strip_suffix("us") {
        (number, 0.001)
    } else if let Some(number) = text.strip_suffix("ms") {
        (number, 1.0)
    } else if let Some(number) = text.strip_suffix('s') {
        (number, 1000.0)
    } else {
        return None;
    };
    number.parse::<f64>().ok().map(|value| value * factor)
}

fn parse_wrk(output: &str) -> Run {
    let mut run = Run::default();
    for line in output.lines().map(str::trim) {
        let words: Vec<&str> = line.split_whitespace().collect();
        match words.as_slice() {
            ["Requests/sec:", value] => run.requests_per_second = value.parse().unwrap_or(0.0),
            ["50%", value] => run.p50_ms = millis(value).unwrap_or(f64::NAN),
            ["99%", value] => run.p99_ms = millis(value).unwrap_or(f64::NAN),
            [count, "requests", "in", ..] => run.requests = count.parse().unwrap_or(0),
            ["Socket", "errors:", rest @ ..] => {
                run.errors += rest
                    .iter()
                    .filter_map(|word| word.trim_end_matches(',').parse::<u64>().ok())
                    .sum::<u64>();
            }
            ["Non-2xx", "or", "3xx", "responses:", count] => run.errors += count.parse::<u64>().unwrap_or(0),
            _ => {}
        }
    }
    run
}

/// Runs wrk against `url`, timing the CPU of `stub` and `proxy`.
pub(crate) fn wrk(args: &[&str], url: &str, stub: &Server, proxy: Option<&Server>) -> Result<Run, Failure> {
    let (stub_before, proxy_before) =
        (cpu_ticks(stub.pid()), proxy.map_or(0, |proxy| cpu_ticks(proxy.pid())));
    let output = tools::command("wrk")
        .args(args)
        .arg(url)
        .output()
        .map_err(|error| Failure::new(format!("cannot run wrk: {error}")))?;
    let text = String::from_utf8_lossy(&output.stdout);
    if !output.status.success() {
        return Err(Failure::new(format!("wrk failed: {}", String::from_utf8_lossy(&output.stderr))));
    }
    let mut run = parse_wrk(&text);
    let requests = run.requests.max(1) as f64;
    let per_request = |ticks: u64| ticks as f64 * 10_000.0 / requests;
    run.stub_cpu_us = per_request(cpu_ticks(stub.pid()) - stub_before);
    run.proxy_cpu_us = proxy.map_or(0.0, |proxy| per_request(cpu_ticks(proxy.pid()) - proxy_before));
    Ok(run)
}

pub(crate) fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied().unwrap_or(f64::NAN)
}

/// Direct and proxied runs of one case, alternated; prints each and returns the medians.
fn compare(name: &str, args: &[&str], stub: &Server, proxy: &Server) -> Result<(Run, Run), Failure> {
    println!("\n{name}: wrk {}", args.join(" "));
    let (mut direct, mut proxied) = (Vec::new(), Vec::new());
    for _ in 0..RUNS {
        let load = load_average();
        let run = wrk(args, &format!("{}{PATH}", stub.url), stub, None)?;
        println!(
            "  direct   {:>9.0} req/s  p50 {:>7.3} ms  p99 {:>7.3} ms  stub {:>5.1} µs CPU/req  errors {}  (load {load})",
            run.requests_per_second, run.p50_ms, run.p99_ms, run.stub_cpu_us, run.errors
        );
        direct.push(run);
        let load = load_average();
        let run = wrk(args, &format!("{}{PATH}", proxy.url), stub, Some(proxy))?;
        println!(
            "  proxied  {:>9.0} req/s  p50 {:>7.3} ms  p99 {:>7.3} ms  stub {:>5.1} + proxy {:>5.1} µs CPU/req  errors {}  (load {load})",
            run.requests_per_second, run.p50_ms, run.p99_ms, run.stub_cpu_us, run.proxy_cpu_us, run.errors
        );
        proxied.push(run);
    }
    let medians = |runs: &[Run]| Run {
        requests_per_second: median(runs.iter().map(|run| run.requests_per_second).collect()),
        p50_ms: median(runs.iter().map(|run| run.p50_ms).collect()),
        p99_ms: median(runs.iter().map(|run| run.p99_ms).collect()),
        stub_cpu_us: median(runs.iter().map(|run| run.stub_cpu_us).collect()),
        proxy_cpu_us: median(runs.iter().map(|run| run.proxy_cpu_us).collect()),
        requests: runs.iter().map(|run| run.requests).sum(),
        errors: runs.iter().map(|run| run.errors).sum(),
    };
    Ok((medians(&direct), medians(&proxied)))
}

/// Peak memory of the proxy while wrk holds `connections` connections busy through it.
fn memory(connections: u32, proxy: &Server) -> Result<(u64, u64, u64, Run), Failure> {
    let idle = status_kb(proxy.pid(), "VmRSS");
    let url = format!("{}{PATH}", proxy.url);
    let connections = format!("-c{connections}");
    let mut child = tools::command("wrk")
        .args(["-t2", &connections, "-d12s", &url])
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|error| Failure::new(format!("cannot run wrk: {error}")))?;
    let mut peak_sampled = 0;
    let started = Instant::now();
    while child.try_wait().ok().flatten().is_none() && started.elapsed() < Duration::from_secs(60) {
        peak_sampled = peak_sampled.max(status_kb(proxy.pid(), "VmRSS"));
        std::thread::sleep(Duration::from_millis(250));
    }
    let output = child.wait_with_output().map_err(|error| Failure::new(format!("wrk failed: {error}")))?;
    let run = parse_wrk(&String::from_utf8_lossy(&output.stdout));
    Ok((idle, peak_sampled, status_kb(proxy.pid(), "VmHWM"), run))
}

/// The release `flowsmith serve` on a free port with its folders under `folder`; callers add
/// the mode's flags.
pub(crate) fn serve_command(root: &Path, folder: &Path) -> Command {
    let mut command = Command::new(root.join("target/release/flowsmith"));
    command
        .args(["serve", "--port", "0", "--app-dir"])
        .arg(folder.join("app"))
        .arg("--data-dir")
        .arg(folder.join("data"))
        // Requests are logged at info; the budget is about the proxy, not the terminal.
        .env("FLOWSMITH_LOG", "warn");
    command
}

fn proxy_command(root: &Path, upstream: &str, folder: &Path) -> Command {
    let mut command = serve_command(root, folder);
    command.args(["--upstream-url", upstream]).env("FLOWSMITH_PARTNER_API_KEY", "bench-key");
    command
}

fn stub_command(root: &Path, delay_ms: u32) -> Command {
    let mut command = Command::new(root.join("target/release/examples/bench_stub"));
    command.args(["0", &delay_ms.to_string()]);
    command
}

fn percent(part: f64, whole: f64) -> f64 {
    100.0 * part / whole
}

/// Builds, starts the stubs and proxies, runs every case and prints the figures.
pub fn run() -> Result<(), Failure> {
    let root = tools::workspace_root();
    let folder: PathBuf = std::env::temp_dir().join(format!("flowsmith-bench-{}", std::process::id()));
    std::fs::create_dir_all(folder.join("app")).map_err(|error| Failure::new(error.to_string()))?;
    std::fs::write(folder.join("app/index.html"), "<!doctype html>\n")
        .and_then(|()| std::fs::write(folder.join("rate.lua"), "function delay()\n  return 10\nend\n"))
        .map_err(|error| Failure::new(format!("cannot write {}: {error}", folder.display())))?;
    let rate = folder.join("rate.lua");
    let rate = rate.to_string_lossy();

    println!("load average at start: {}", load_average());
    let stub = Server::start(stub_command(&root, 0))?;
    let proxy = Server::start(proxy_command(&root, &stub.url, &folder))?;
    // 10 connections each waiting 10 ms between requests: about 1,000 requests/s.
    let (direct, proxied) = compare(
        "latency at about 1,000 requests/s",
        &["-t2", "-c10", "-d20s", "--latency", "-s", &rate],
        &stub,
        &proxy,
    )?;
    let latency = (direct, proxied);
    let (direct, proxied) =
        compare("throughput, 64 connections", &["-t2", "-c64", "-d10s", "--latency"], &stub, &proxy)?;
    let throughput = (direct, proxied);
    println!("\nmemory with 1,000 connections through the proxy (load {})", load_average());
    let (idle, sampled, peak, busy) = memory(1000, &proxy)?;
    drop(proxy);
    drop(stub);

    let remote_stub = Server::start(stub_command(&root, REMOTE_DELAY_MS))?;
    let remote_proxy = Server::start(proxy_command(&root, &remote_stub.url, &folder))?;
    let remote = compare(
        &format!("throughput against an upstream answering in {REMOTE_DELAY_MS} ms, 32 connections"),
        &["-t2", "-c32", "-d10s", "--latency"],
        &remote_stub,
        &remote_proxy,
    )?;
    let remote_64 = compare(
        "the same with 64 connections (more than the proxy's cap on upstream calls at once)",
        &["-t2", "-c64", "-d10s", "--latency"],
        &remote_stub,
        &remote_proxy,
    )?;
    drop(remote_proxy);
    drop(remote_stub);
    let _ = std::fs::remove_dir_all(&folder);

    println!("\nmedians of {RUNS} runs (load average at the end: {})", load_average());
    println!("| measure | direct | proxied | budget |");
    println!("| --- | --- | --- | --- |");
    println!(
        "| p99 at ~1,000 req/s ({:.0} / {:.0} req/s) | {:.2} ms | {:.2} ms | +{:.2} ms (under +1 ms) |",
        latency.0.requests_per_second,
        latency.1.requests_per_second,
        latency.0.p99_ms,
        latency.1.p99_ms,
        latency.1.p99_ms - latency.0.p99_ms
    );
    println!(
        "| p50 at ~1,000 req/s | {:.3} ms | {:.3} ms | +{:.3} ms |",
        latency.0.p50_ms,
        latency.1.p50_ms,
        latency.1.p50_ms - latency.0.p50_ms
    );
    for (name, (direct, proxied)) in [
        ("throughput, zero-work stub, 64 connections", throughput),
        ("throughput, 20 ms upstream, 32 connections", remote),
        ("throughput, 20 ms upstream, 64 connections", remote_64),
    ] {
        println!(
            "| {name} | {:.0} req/s | {:.0} req/s | {:.0}% (at least 80%) |",
            direct.requests_per_second,
            proxied.requests_per_second,
            percent(proxied.requests_per_second, direct.requests_per_second)
        );
    }
    println!(
        "| CPU per request, zero-work stub | stub {:.1} µs | stub {:.1} µs + proxy {:.1} µs | |",
        throughput.0.stub_cpu_us, throughput.1.stub_cpu_us, throughput.1.proxy_cpu_us
    );
    println!(
        "| proxy RSS with 1,000 connections ({:.0} req/s, {} errors) | | before {} MB, peak sampled {} MB, VmHWM (whole run) {} MB | under 50 MB |",
        busy.requests_per_second,
        busy.errors,
        idle / 1024,
        sampled / 1024,
        peak / 1024
    );
    Ok(())
}
