//! End-to-end harness: a real `flowsmith serve` on a free port, chromedriver, headless Chromium.
//!
//! `cargo xtask test` builds the app and the server, then runs these tests with
//! `FLOWSMITH_BIN` (the server binary) and `FLOWSMITH_DIST` (the built app) set.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufRead, BufReader};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder};

/// Chromium flags that work as root on a machine without a display or a network.
pub const CHROMIUM_ARGS: &[&str] = &[
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--window-size=1280,800",
];

/// A child process killed when dropped, so a failing test leaves nothing running.
pub struct Process(Child);

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn required_env(name: &str) -> PathBuf {
    std::env::var_os(name)
        .map(PathBuf::from)
        .unwrap_or_else(|| panic!("{name} is not set: run the end-to-end tests with `cargo xtask test`"))
}

/// `flowsmith serve` on a free port, serving the built app; returns it with its base URL.
pub fn start_server() -> (Process, String) {
    // A fresh sandbox per server, so tests never see each other's flows.
    let data_dir =
        std::env::temp_dir().join(format!("flowsmith-e2e-data-{}-{}", std::process::id(), free_port()));
    let mut child = Command::new(required_env("FLOWSMITH_BIN"))
        .args(["serve", "--port", "0", "--app-dir"])
        .arg(required_env("FLOWSMITH_DIST"))
        .arg("--data-dir")
        .arg(&data_dir)
        .env("FLOWSMITH_LOG", "warn")
        .env_remove("FLOWSMITH_PARTNER_API_KEY")
        .env_remove("FLOWSMITH_MODE")
        .stdout(Stdio::piped())
        .spawn()
        .expect("flowsmith starts");
    // The server prints its URL once it listens: no polling, no port race.
    let stdout = child.stdout.take().expect("piped stdout");
    let mut line = String::new();
    BufReader::new(stdout).read_line(&mut line).expect("the server prints its address");
    let url = line
        .split_whitespace()
        .find(|word| word.starts_with("http://"))
        .unwrap_or_else(|| panic!("no URL in the server's first line: {line:?}"))
        .trim_end_matches('/')
        .to_owned();
    (Process(child), url)
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").and_then(|listener| listener.local_addr()).expect("a free port").port()
}

/// chromedriver on a free port, and a headless Chromium session through it.
pub async fn start_browser() -> (Process, Client) {
    let chromedriver = std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "chromedriver".to_owned());
    let port = free_port();
    let child = Command::new(&chromedriver)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|error| panic!("cannot start {chromedriver}: {error}"));
    let driver = Process(child);
    let deadline = Instant::now() + Duration::from_secs(20);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "chromedriver did not listen on port {port} within 20 s");
        std::thread::sleep(Duration::from_millis(50));
    }
    let profile = std::env::temp_dir().join(format!("flowsmith-e2e-profile-{port}"));
    let mut args: Vec<String> = CHROMIUM_ARGS.iter().map(|arg| (*arg).to_owned()).collect();
    args.push(format!("--user-data-dir={}", profile.display()));
    let mut capabilities = serde_json::Map::new();
    capabilities.insert("goog:chromeOptions".to_owned(), serde_json::json!({ "args": args }));
    let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(capabilities)
        .connect(&format!("http://127.0.0.1:{port}"))
        .await
        .expect("a Chromium session");
    (driver, client)
}
