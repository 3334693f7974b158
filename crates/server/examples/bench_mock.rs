//! The mock endpoint's throughput (issue 21's budget: 1,000 requests/s on two cores); figures in
//! BENCHMARKS.md. Starts `flowsmith endpoint` (the binary in `FLOWSMITH_BIN`, by default the
//! release build) on the appointment-booking template, encrypts 256 distinct `data_exchange`
//! requests as WhatsApp does, then posts them over `CONCURRENCY` keep-alive connections for
//! `SECONDS`, checking every answer is a 200. Prints the rate reached and the mock's own CPU
//! time per request (from /proc), whence its capacity on two cores, since the load generator
//! shares the machine's two cores with it:
//! `cargo build --release -p flowsmith-server && cargo run --release -p flowsmith-server --example bench_mock [SECONDS] [CONCURRENCY]`
use std::io::{BufRead as _, BufReader};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use flowsmith_server::endpoint::{PrivateKey, Request, encrypt_request};
use serde_json::{Map, Value, json};

/// The mock's user and system CPU time so far, from /proc/PID/stat (Linux).
fn cpu_time(pid: u32) -> Duration {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).expect("/proc/PID/stat (Linux)");
    // The fields after the command's closing parenthesis: utime and stime are the 12th and 13th.
    let after = &stat[stat.rfind(')').expect("a stat line") + 2..];
    let fields: Vec<&str> = after.split(' ').collect();
    let ticks: u64 = fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap();
    // USER_HZ is 100 on Linux.
    Duration::from_millis(ticks * 10)
}

struct Stopped(std::process::Child);

impl Drop for Stopped {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::main]
async fn main() {
    let seconds: u64 = std::env::args().nth(1).map_or(10, |n| n.parse().expect("SECONDS is a number"));
    let concurrency: usize =
        std::env::args().nth(2).map_or(8, |n| n.parse().expect("CONCURRENCY is a number"));
    let binary = std::env::var("FLOWSMITH_BIN").unwrap_or_else(|_| {
        concat!(env!("CARGO_MANIFEST_DIR"), "/../../target/release/flowsmith").to_owned()
    });
    let folder = std::env::temp_dir().join(format!("flowsmith-bench-mock-{}", std::process::id()));
    std::fs::create_dir_all(&folder).unwrap();
    let key = PrivateKey::generate().unwrap();
    std::fs::write(folder.join("key.pem"), key.to_pem().unwrap()).unwrap();
    std::fs::write(folder.join("flow.json"), flow_model::templates::APPOINTMENT_BOOKING).unwrap();
    let mut child = Command::new(&binary)
        .args(["endpoint", "--port", "0", "--flow"])
        .arg(folder.join("flow.json"))
        .arg("--private-key")
        .arg(folder.join("key.pem"))
        .env("FLOWSMITH_LOG", "warn")
        .stdout(Stdio::piped())
        .spawn()
        .unwrap_or_else(|error| panic!("cannot start {binary}: {error}"));
    let stdout = child.stdout.take().unwrap();
    // Stopped however this ends (a panic included), so no mock outlives the benchmark.
    let child = Stopped(child);
    let mut line = String::new();
    BufReader::new(stdout).read_line(&mut line).unwrap();
    let url: Arc<str> = line.trim().rsplit(' ').next().unwrap().into();

    let flow: Value = serde_json::from_str(flow_model::templates::APPOINTMENT_BOOKING).unwrap();
    let screen = flow["screens"][0]["id"].as_str().unwrap().to_owned();
    let bodies: Arc<Vec<String>> = Arc::new(
        (0..256)
            .map(|n| {
                let data: Map<String, Value> =
                    json!({"department": "shop", "date": format!("2026-12-{:02}", n % 28 + 1), "notes": "x".repeat(300)})
                        .as_object()
                        .unwrap()
                        .clone();
                let request = Request::data_exchange(&format!("token-{n}"), &screen, data);
                encrypt_request(&key.public_key(), &request).unwrap().0.to_body()
            })
            .collect(),
    );
    let _ = rustls::crypto::ring::default_provider().install_default();
    let client = reqwest::Client::builder().pool_max_idle_per_host(concurrency).build().unwrap();
    // Warm up: connections made, the mock's first requests served.
    for body in bodies.iter().take(50) {
        let answer = client.post(&*url).body(body.clone()).send().await.unwrap();
        assert_eq!(answer.status(), 200);
    }

    let done = Arc::new(AtomicU64::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let cpu_before = cpu_time(child.0.id());
    let started = Instant::now();
    let workers: Vec<_> = (0..concurrency)
        .map(|worker| {
            let (client, url, bodies, done, stop) =
                (client.clone(), url.clone(), bodies.clone(), done.clone(), stop.clone());
            tokio::spawn(async move {
                let mut n = worker;
                while !stop.load(Ordering::Relaxed) {
                    let body = bodies[n % bodies.len()].clone();
                    let answer = client.post(&*url).body(body).send().await.unwrap();
                    assert_eq!(answer.status(), 200);
                    answer.bytes().await.unwrap();
                    done.fetch_add(1, Ordering::Relaxed);
                    n += concurrency;
                }
            })
        })
        .collect();
    tokio::time::sleep(Duration::from_secs(seconds)).await;
    stop.store(true, Ordering::Relaxed);
    for worker in workers {
        worker.await.unwrap();
    }
    let elapsed = started.elapsed();
    let cpu = cpu_time(child.0.id()) - cpu_before;
    drop(child);
    let _ = std::fs::remove_dir_all(&folder);

    let requests = done.load(Ordering::Relaxed);
    let per_request_ms = cpu.as_secs_f64() * 1000.0 / requests as f64;
    println!(
        "mock endpoint: {requests} requests in {:.1} s = {:.0} requests/s with the load generator on the same two cores \
         ({concurrency} connections)",
        elapsed.as_secs_f64(),
        requests as f64 / elapsed.as_secs_f64()
    );
    println!(
        "mock endpoint's own CPU: {:.3} ms per request ({:.2} s in all) = {:.0} requests/s on two cores",
        per_request_ms,
        cpu.as_secs_f64(),
        2000.0 / per_request_ms
    );
}
