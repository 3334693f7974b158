//! `cargo xtask bench workspace`: the budgets of the shared workspace (issue 15), measured on a
//! release `flowsmith serve` in sandbox mode, once with its workspace in SQLite
//! (`workspace.sqlite3` in its data folder) and once in PostgreSQL (the throwaway server of
//! `postgres.rs`, with fsync on, as a production server writes).
//!
//! Both servers run side by side and every measurement alternates between them, in rounds,
//! because this machine is shared with other builds: the load average is printed with each
//! round. Everything goes through the HTTP API, one request at a time on a kept-alive
//! loopback connection (`http_client.rs`):
//!
//! 1. seeding: 10,000 flows (the five templates of flow-model, 3 to 6 KB of flow.json each,
//!    named `<template> <number>`, half in each sandbox account) created by `POST /api/flows`
//!    from four connections at once, and timed;
//! 2. lists: pages of 50 (`GET /api/flows?limit=50&page=N`: first, middle and last page, with
//!    `q=`, `account_id=`, `sort=name`, and all three), each answer checked (50 items, the
//!    expected total);
//! 3. autosave: `PUT /api/flows/{id}` with `revision` of `samples::maximal_flow(100, 50)`
//!    (written by flow-model's `maximal` example), a different text each time;
//! 4. sync: 500 flows in the sandbox's `sandbox1WA` (created, and their flow.json uploaded,
//!    through the Partner API), then `POST /api/flows/sync` three times: the first import (500
//!    new), again (nothing changed), and after every flow's flow.json changed on WhatsApp,
//!    while `GET /api/events` is read for its `sync.progress` notices.
//!
//! "Server time" is the request's time as the client sees it: from writing the request to
//! having read the whole answer, on loopback. It includes the round trip and the transfer of the
//! bodies (1.2 MB up for an autosave), so it is an upper bound of the time the server spent;
//! on a loaded machine it also includes waiting for a core. Beside it, the CPU time the
//! server's processes spent per request (`/proc/PID/stat`: flowsmith's, and on PostgreSQL also
//! that of the database's processes), which moves much less with the load.
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::http_client::{Connection, Response};
use crate::pipeline::Failure;
use crate::postgres::Postgres;
use crate::server_bench::{Server, cpu_ticks, load_average, stat_fields};
use crate::tools;

/// Flows in the workspace for the list budget.
const FLOWS: usize = 10_000;
/// Connections seeding at once.
const SEEDERS: usize = 4;
/// Rounds of each measurement, alternating between the engines.
const ROUNDS: usize = 3;
/// Untimed requests before each case of a round.
const WARM_UP: usize = 3;
/// Timed list requests per case and round.
const LISTS: usize = 40;
/// Timed autosaves per round.
const AUTOSAVES: usize = 15;
/// Flows of the synced account.
const SYNC_FLOWS: usize = 500;
/// The sandbox account synced, and its flows in the Partner API.
const SYNC_ACCOUNT: &str = "sandbox1WA";
const PARTNER_FLOWS: &str = "/api/v2/partners/sandboxPA/waba_accounts/sandbox1WA/flows";

const LIST_BUDGET_MS: f64 = 20.0;
const AUTOSAVE_BUDGET_MS: f64 = 50.0;
const SYNC_BUDGET_MS: f64 = 10_000.0;

/// The templates the seeded flows are made of: file, and the name their flows get.
const TEMPLATES: [(&str, &str); 5] = [
    ("appointment-booking", "Appointment booking"),
    ("customer-support", "Customer support"),
    ("lead-generation", "Lead generation"),
    ("sign-up", "Sign-up"),
    ("survey", "Survey"),
];

fn failed(what: &str) -> impl Fn(std::io::Error) -> Failure + '_ {
    move |error| Failure::new(format!("{what}: {error}"))
}

/// A JSON request's headers: the workspace's author header and the sandbox's key.
const JSON_HEADERS: [(&str, &str); 3] =
    [("content-type", "application/json"), ("x-flowsmith-user", "Bench"), ("x-api-key", "sandbox")];

/// The answer's JSON if its status is `expected`.
fn expect(response: &Response, expected: u16, what: &str) -> Result<Value, Failure> {
    if response.status != expected {
        return Err(Failure::new(format!(
            "{what} answered {} instead of {expected}: {}",
            response.status,
            response.text().chars().take(500).collect::<String>()
        )));
    }
    serde_json::from_slice(&response.body)
        .map_err(|error| Failure::new(format!("{what} answered something that is not JSON: {error}")))
}

fn string_at<'a>(value: &'a Value, pointer: &str, what: &str) -> Result<&'a str, Failure> {
    value
        .pointer(pointer)
        .and_then(Value::as_str)
        .ok_or_else(|| Failure::new(format!("{what}: no {pointer}")))
}

/// One of the two servers.
struct Engine {
    name: &'static str,
    server: Server,
    /// PostgreSQL's main process, whose children are its backends.
    postmaster: Option<u32>,
    /// The workspace ids of `sandbox1WA` and `sandbox2WA`.
    accounts: [String; 2],
}

/// CPU time so far of `pid` and its children (PostgreSQL's backends), in clock ticks.
fn tree_ticks(pid: u32) -> u64 {
    let children: u64 = std::fs::read_dir("/proc")
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .filter_map(|entry| entry.file_name().to_str()?.parse::<u32>().ok())
                .filter(|child| stat_fields(*child).get(1).is_some_and(|parent| *parent == pid.to_string()))
                .map(cpu_ticks)
                .sum()
        })
        .unwrap_or(0);
    cpu_ticks(pid) + children
}

impl Engine {
    fn start(name: &'static str, folder: &Path, postgres: Option<&Postgres>) -> Result<Engine, Failure> {
        let data = folder.join(format!("data-{}", name.to_ascii_lowercase()));
        let mut command = Command::new(tools::workspace_root().join("target/release/flowsmith"));
        command
            .args(["serve", "--port", "0"])
            .arg("--app-dir")
            .arg(folder.join("app"))
            .arg("--data-dir")
            .arg(&data)
            // Sandbox mode, whatever the environment says.
            .env_remove("FLOWSMITH_PARTNER_API_KEY")
            .env_remove("FLOWSMITH_PARTNER_API_KEY_FILE")
            .env_remove("FLOWSMITH_MODE")
            .env_remove("FLOWSMITH_DATABASE_URL")
            // Requests are logged at info; what is measured is the workspace, not the terminal.
            .env("FLOWSMITH_LOG", "warn");
        if let Some(postgres) = postgres {
            command.arg("--database-url").arg(&postgres.url);
        }
        let server = Server::start(command)?;
        let mut connection = Connection::open(&server.url).map_err(failed("connect"))?;
        let response =
            connection.send("GET", "/api/accounts", &[], b"").map_err(failed("GET /api/accounts"))?;
        let answer = expect(&response, 200, "GET /api/accounts")?;
        let id = |external: &str| -> Result<String, Failure> {
            answer["data"]
                .as_array()
                .and_then(|accounts| accounts.iter().find(|account| account["external_id"] == external))
                .and_then(|account| account["id"].as_str())
                .map(str::to_owned)
                .ok_or_else(|| Failure::new(format!("{name}: no account {external} in {answer}")))
        };
        let accounts = [id("sandbox1WA")?, id("sandbox2WA")?];
        let postmaster = postgres.and_then(Postgres::postmaster_pid);
        Ok(Engine { name, server, postmaster, accounts })
    }

    /// CPU milliseconds spent so far by the server and, on PostgreSQL, by the database's
    /// processes (clock ticks of 10 ms: meaningful over many requests).
    fn cpu_ms(&self) -> f64 {
        let ticks = cpu_ticks(self.server.pid()) + self.postmaster.map_or(0, tree_ticks);
        ticks as f64 * 10.0
    }

    fn connect(&self) -> Result<Connection, Failure> {
        Connection::open(&self.server.url).map_err(failed(self.name))
    }
}

/// Milliseconds, for reports.
fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

/// Median and 95th percentile (nearest rank) of some timings, in milliseconds.
#[derive(Debug, Clone, Copy)]
struct Summary {
    median: f64,
    p95: f64,
    max: f64,
    count: usize,
}

/// Timings of one kind of request, and the CPU time the server processes spent on them.
#[derive(Debug, Default)]
struct Samples {
    times: Vec<Duration>,
    cpu_ms: f64,
}

impl Samples {
    fn add(&mut self, other: &Samples) {
        self.times.extend(&other.times);
        self.cpu_ms += other.cpu_ms;
    }

    /// CPU milliseconds per request.
    fn cpu_per_request(&self) -> f64 {
        self.cpu_ms / self.times.len().max(1) as f64
    }

    fn summary(&self) -> Summary {
        summarize(&self.times)
    }
}

fn summarize(samples: &[Duration]) -> Summary {
    let mut sorted: Vec<f64> = samples.iter().copied().map(ms).collect();
    sorted.sort_by(f64::total_cmp);
    let at = |rank: usize| sorted.get(rank.min(sorted.len().saturating_sub(1))).copied().unwrap_or(f64::NAN);
    let p95_rank = (sorted.len() * 95).div_ceil(100).saturating_sub(1);
    Summary { median: at(sorted.len() / 2), p95: at(p95_rank), max: at(sorted.len()), count: sorted.len() }
}

fn verdict(value: f64, budget: f64) -> &'static str {
    if value < budget { "met" } else { "**not met**" }
}

/// Which of the worst median, 95th percentile and CPU time are under the budget.
fn verdicts([sqlite, postgres]: [&Samples; 2], budget: f64) -> String {
    let (a, b) = (sqlite.summary(), postgres.summary());
    format!(
        "median {}, p95 {}, CPU {}",
        verdict(a.median.max(b.median), budget),
        verdict(a.p95.max(b.p95), budget),
        verdict(sqlite.cpu_per_request().max(postgres.cpu_per_request()), budget)
    )
}

/// The templates' flow.json texts, in the order of [`TEMPLATES`].
fn templates() -> Result<Vec<String>, Failure> {
    let folder = tools::workspace_root().join("crates/flow-model/templates");
    TEMPLATES
        .iter()
        .map(|(file, _)| {
            let path = folder.join(format!("{file}.json"));
            std::fs::read_to_string(&path)
                .map_err(|error| Failure::new(format!("cannot read {}: {error}", path.display())))
        })
        .collect()
}

/// `POST /api/flows` for flows `worker`, `worker + SEEDERS`, … on one connection.
fn seed_part(engine: &Engine, texts: &[String], worker: usize) -> Result<(), Failure> {
    let mut connection = engine.connect()?;
    for index in (worker..FLOWS).step_by(SEEDERS) {
        let template = index % TEMPLATES.len();
        let name = format!("{} {index:05}", TEMPLATES[template].1);
        let account = &engine.accounts[index % 2];
        let body = format!(
            "{{\"account_id\":{},\"name\":{},\"categories\":[\"OTHER\"],\"json_definition\":{}}}",
            json!(account),
            json!(name),
            texts[template]
        );
        let response = connection
            .send("POST", "/api/flows", &JSON_HEADERS, body.as_bytes())
            .map_err(failed("POST /api/flows"))?;
        expect(&response, 201, "POST /api/flows")?;
    }
    Ok(())
}

/// Creates the 10,000 flows through the API; answers how long it took.
fn seed(engine: &Engine, texts: &[String]) -> Result<Duration, Failure> {
    let started = Instant::now();
    std::thread::scope(|scope| {
        let workers: Vec<_> =
            (0..SEEDERS).map(|worker| scope.spawn(move || seed_part(engine, texts, worker))).collect();
        workers.into_iter().try_for_each(|worker| {
            worker.join().unwrap_or_else(|_| Err(Failure::new("a seeding thread panicked")))
        })
    })?;
    Ok(started.elapsed())
}

/// A list request and what its answer must hold.
struct ListCase {
    name: &'static str,
    query: String,
    total: u64,
}

fn list_cases(account: &str) -> Vec<ListCase> {
    let case = |name, query: &str, total| ListCase { name, query: format!("limit=50&{query}"), total };
    vec![
        case("first page (default sort: last changed first)", "page=1", 10_000),
        case("middle page (page 100 of 200)", "page=100", 10_000),
        case("last page (page 200 of 200)", "page=200", 10_000),
        case("q=survey (2,000 match), page 20 of 40", "page=20&q=survey", 2_000),
        case("account_id= (5,000 match), page 50 of 100", &format!("page=50&account_id={account}"), 5_000),
        case("sort=name, page 100 of 200", "page=100&sort=name", 10_000),
        case("sort=-created, page 100 of 200", "page=100&sort=-created", 10_000),
        case(
            "account_id= and q=survey and sort=name (1,000 match), page 10 of 20",
            &format!("page=10&account_id={account}&q=survey&sort=name"),
            1_000,
        ),
    ]
}

/// Sends `path`, checks the page it answers, and answers how long that took.
fn list_once(
    engine: &Engine,
    connection: &mut Connection,
    case: &ListCase,
    path: &str,
) -> Result<Duration, Failure> {
    let started = Instant::now();
    let response = connection.send("GET", path, &[], b"").map_err(failed("GET /api/flows"))?;
    let elapsed = started.elapsed();
    let answer = expect(&response, 200, &format!("GET {path}"))?;
    let items = answer.pointer("/data/items").and_then(Value::as_array).map_or(0, Vec::len);
    let total = answer.pointer("/data/total").and_then(Value::as_u64);
    if items != 50 || total != Some(case.total) {
        return Err(Failure::new(format!(
            "{}: GET {path} answered {items} items of {total:?}, not 50 of {}",
            engine.name, case.total
        )));
    }
    Ok(elapsed)
}

/// One round of every list case on `engine`; adds to `samples` (one per case).
fn list_round(engine: &Engine, cases: &[ListCase], samples: &mut [Samples]) -> Result<(), Failure> {
    let mut connection = engine.connect()?;
    for (case, samples) in cases.iter().zip(samples.iter_mut()) {
        let path = format!("/api/flows?{}", case.query);
        for _ in 0..WARM_UP {
            list_once(engine, &mut connection, case, &path)?;
        }
        let mut round = Samples::default();
        let cpu = engine.cpu_ms();
        for _ in 0..LISTS {
            round.times.push(list_once(engine, &mut connection, case, &path)?);
        }
        round.cpu_ms = engine.cpu_ms() - cpu;
        let summary = round.summary();
        println!(
            "    {:<11} {:<70} median {:>6.2} ms  p95 {:>6.2} ms  CPU {:>5.2} ms/request",
            engine.name,
            case.name,
            summary.median,
            summary.p95,
            round.cpu_per_request()
        );
        samples.add(&round);
    }
    Ok(())
}

/// The first screen's title in `samples::maximal_flow(100, 50)`.
const TITLE: &str = "\"Step 1 of 100\"";

/// The maximal flow's text with its first screen's title changed (a new autosave each time).
fn edited(maximal: &str, edit: usize) -> String {
    maximal.replacen(TITLE, &format!("\"Step 1 of 100 (edit {edit})\""), 1)
}

/// A flow of the workspace being autosaved: its id and the revision last seen.
struct Autosaved {
    id: String,
    revision: i64,
    edits: usize,
}

fn create_maximal(engine: &Engine, maximal: &str) -> Result<Autosaved, Failure> {
    let body = format!(
        "{{\"account_id\":{},\"name\":\"Maximal flow\",\"categories\":[\"OTHER\"],\"json_definition\":{maximal}}}",
        json!(engine.accounts[0])
    );
    let mut connection = engine.connect()?;
    let response = connection
        .send("POST", "/api/flows", &JSON_HEADERS, body.as_bytes())
        .map_err(failed("POST /api/flows"))?;
    let answer = expect(&response, 201, "POST /api/flows (the maximal flow)")?;
    let id = string_at(&answer, "/data/id", "POST /api/flows")?.to_owned();
    Ok(Autosaved { id, revision: 1, edits: 0 })
}

/// One autosave of the maximal flow, checked; answers how long it took.
fn autosave_once(
    engine: &Engine,
    connection: &mut Connection,
    maximal: &str,
    flow: &mut Autosaved,
) -> Result<Duration, Failure> {
    flow.edits += 1;
    let body =
        format!("{{\"revision\":{},\"json_definition\":{}}}", flow.revision, edited(maximal, flow.edits));
    let path = format!("/api/flows/{}", flow.id);
    let started = Instant::now();
    let response = connection
        .send("PUT", &path, &JSON_HEADERS, body.as_bytes())
        .map_err(failed("PUT /api/flows/{id}"))?;
    let elapsed = started.elapsed();
    let answer = expect(&response, 200, &format!("PUT {path}"))?;
    let revision = answer.pointer("/data/revision").and_then(Value::as_i64);
    if revision != Some(flow.revision + 1) {
        return Err(Failure::new(format!("{}: PUT {path} answered revision {revision:?}", engine.name)));
    }
    flow.revision += 1;
    Ok(elapsed)
}

/// One round of autosaves of the maximal flow.
fn autosave_round(engine: &Engine, maximal: &str, flow: &mut Autosaved) -> Result<Samples, Failure> {
    let mut connection = engine.connect()?;
    for _ in 0..WARM_UP {
        autosave_once(engine, &mut connection, maximal, flow)?;
    }
    let mut round = Samples::default();
    let cpu = engine.cpu_ms();
    for _ in 0..AUTOSAVES {
        round.times.push(autosave_once(engine, &mut connection, maximal, flow)?);
    }
    round.cpu_ms = engine.cpu_ms() - cpu;
    Ok(round)
}

/// A `multipart/form-data` body uploading `text` as a flow's flow.json (the Partner API's
/// assets call: `file`, `name`, `asset_type`).
fn flow_json_upload(text: &str) -> (String, Vec<u8>) {
    let boundary = "flowsmith-bench-boundary-7Hq2";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"flow.json\"\r\n\
         Content-Type: application/json\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(text.as_bytes());
    body.extend_from_slice(
        format!(
            "\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nflow.json\r\n\
             --{boundary}\r\nContent-Disposition: form-data; name=\"asset_type\"\r\n\r\nFLOW_JSON\r\n\
             --{boundary}--\r\n"
        )
        .as_bytes(),
    );
    (format!("multipart/form-data; boundary={boundary}"), body)
}

fn upload(connection: &mut Connection, flow_id: &str, text: &str) -> Result<(), Failure> {
    let (content_type, body) = flow_json_upload(text);
    let path = format!("{PARTNER_FLOWS}/{flow_id}/assets");
    let headers = [("content-type", content_type.as_str()), ("x-api-key", "sandbox")];
    let response = connection.send("POST", &path, &headers, &body).map_err(failed("upload flow.json"))?;
    expect(&response, 200, &format!("POST {path}"))?;
    Ok(())
}

/// Fills the sandbox account up to 500 flows through the Partner API (each created, then its
/// flow.json uploaded); answers the ids of those created with their texts.
fn fill_sandbox(engine: &Engine, texts: &[String]) -> Result<Vec<(String, usize)>, Failure> {
    let mut connection = engine.connect()?;
    let headers = [("x-api-key", "sandbox")];
    let response = connection.send("GET", PARTNER_FLOWS, &headers, b"").map_err(failed("list flows"))?;
    let existing = expect(&response, 200, "GET the sandbox's flows")?["flows"].as_array().map_or(0, Vec::len);
    let mut created = Vec::new();
    for index in existing..SYNC_FLOWS {
        let body =
            json!({ "name": format!("Imported flow {index:03}"), "categories": ["OTHER"] }).to_string();
        let response = connection
            .send("POST", PARTNER_FLOWS, &JSON_HEADERS, body.as_bytes())
            .map_err(failed("create a sandbox flow"))?;
        let answer = expect(&response, 200, "POST the sandbox's flows")?;
        let id = string_at(&answer, "/id", "POST the sandbox's flows")?.to_owned();
        let template = index % texts.len();
        upload(&mut connection, &id, &texts[template])?;
        created.push((id, template));
    }
    Ok(created)
}

/// What one sync did and how its progress was reported.
struct SyncRun {
    elapsed: Duration,
    /// CPU milliseconds of the server (and database) processes meanwhile.
    cpu_ms: f64,
    report: Value,
    /// `sync.progress` notices: when (after the request was sent), done, total.
    progress: Vec<(Duration, u64, u64)>,
    finished_event: bool,
}

/// Reads Server-Sent Events from `stream` and sends (time, name, data) until it ends.
fn read_events(mut stream: Connection, sender: mpsc::Sender<(Instant, String, Value)>) {
    let mut buffer = String::new();
    while let Ok(Some(chunk)) = stream.next_chunk() {
        buffer.push_str(&String::from_utf8_lossy(&chunk));
        while let Some(end) = buffer.find("\n\n") {
            let block: String = buffer.drain(..end + 2).collect();
            let (mut name, mut data) = (String::new(), String::new());
            for line in block.lines() {
                if let Some(value) = line.strip_prefix("event:") {
                    name = value.trim().to_owned();
                } else if let Some(value) = line.strip_prefix("data:") {
                    data.push_str(value.trim());
                }
            }
            if !name.is_empty()
                && sender
                    .send((Instant::now(), name, serde_json::from_str(&data).unwrap_or(Value::Null)))
                    .is_err()
            {
                return;
            }
        }
    }
}

/// `POST /api/flows/sync` of the sandbox account, timed, while `GET /api/events` is read.
fn sync(engine: &Engine) -> Result<SyncRun, Failure> {
    let mut events = engine.connect()?;
    let status = events
        .open_stream("/api/events", &[("accept", "text/event-stream")])
        .map_err(failed("GET /api/events"))?;
    if status != 200 {
        return Err(Failure::new(format!("{}: GET /api/events answered {status}", engine.name)));
    }
    let socket = events.socket().map_err(failed("GET /api/events"))?;
    let (sender, receiver) = mpsc::channel();
    let reader = std::thread::spawn(move || read_events(events, sender));
    let wait = Duration::from_secs(30);
    match receiver.recv_timeout(wait) {
        Ok((_, name, _)) if name == "ready" => {}
        other => return Err(Failure::new(format!("{}: /api/events began with {other:?}", engine.name))),
    }
    let body = json!({ "account_id": engine.accounts[0] }).to_string();
    let mut connection = engine.connect()?;
    let cpu = engine.cpu_ms();
    let started = Instant::now();
    let response = connection
        .send("POST", "/api/flows/sync", &JSON_HEADERS, body.as_bytes())
        .map_err(failed("POST /api/flows/sync"))?;
    let elapsed = started.elapsed();
    let cpu_ms = engine.cpu_ms() - cpu;
    let report = expect(&response, 200, "POST /api/flows/sync")?["data"].clone();
    let mut progress = Vec::new();
    let mut finished_event = false;
    while let Ok((at, name, data)) = receiver.recv_timeout(wait) {
        match name.as_str() {
            "sync.progress" => progress.push((
                at.saturating_duration_since(started),
                data["done"].as_u64().unwrap_or(0),
                data["total"].as_u64().unwrap_or(0),
            )),
            "sync.finished" => {
                finished_event = true;
                break;
            }
            "resync" => return Err(Failure::new(format!("{}: the event stream lagged", engine.name))),
            _ => {}
        }
    }
    let _ = socket.shutdown(std::net::Shutdown::Both);
    let _ = reader.join();
    Ok(SyncRun { elapsed, cpu_ms, report, progress, finished_event })
}

fn print_sync(engine: &Engine, kind: &str, run: &SyncRun) {
    let steps: Vec<String> = run.progress.iter().map(|(_, done, total)| format!("{done}/{total}")).collect();
    let first = run.progress.first().map_or(f64::NAN, |(at, _, _)| ms(*at));
    let last = run.progress.last().map_or(f64::NAN, |(at, _, _)| ms(*at));
    println!(
        "    {:<11} {kind:<42} {:>8.0} ms  CPU {:>6.0} ms  report {}  (load {})",
        engine.name,
        ms(run.elapsed),
        run.cpu_ms,
        run.report,
        load_average()
    );
    println!(
        "    {:<11} {} sync.progress notices, the first at {first:.0} ms, the last at {last:.0} ms: {}; sync.finished {}",
        "",
        run.progress.len(),
        steps.join(" "),
        if run.finished_event { "received" } else { "MISSING" }
    );
}

fn check_report(engine: &Engine, kind: &str, run: &SyncRun, new: u64, updated: u64) -> Result<(), Failure> {
    let field = |name: &str| run.report[name].as_u64();
    if field("synced") != Some(SYNC_FLOWS as u64)
        || field("new") != Some(new)
        || field("updated") != Some(updated)
    {
        return Err(Failure::new(format!(
            "{}: {kind} sync answered {} (expected {SYNC_FLOWS} synced, {new} new, {updated} updated)",
            engine.name, run.report
        )));
    }
    if run.progress.len() < 2 || !run.finished_event {
        return Err(Failure::new(format!("{}: {kind} sync reported no progress", engine.name)));
    }
    Ok(())
}

/// The maximal flow (100 screens of 50 components), written by flow-model's example.
fn maximal_flow(folder: &Path) -> Result<String, Failure> {
    let path = folder.join("maximal.json");
    let output = Command::new(tools::workspace_root().join("target/release/examples/maximal"))
        .env("WRITE", &path)
        .env("RUNS", "1")
        .output()
        .map_err(|error| Failure::new(format!("cannot run flow-model's maximal example: {error}")))?;
    if !output.status.success() {
        return Err(Failure::new(format!(
            "flow-model's maximal example failed: {}",
            String::from_utf8_lossy(&output.stderr)
        )));
    }
    let text = std::fs::read_to_string(&path)
        .map_err(|error| Failure::new(format!("cannot read {}: {error}", path.display())))?;
    // Each autosave changes this title (`edited`): without it they would all send one text.
    if !text.contains(TITLE) {
        return Err(Failure::new(format!("the maximal flow has no title {TITLE}: see `edited`")));
    }
    Ok(text)
}

/// Starts both servers (the second on `postgres`), seeds them, runs every measurement, prints
/// the figures.
pub fn run(postgres: &Postgres) -> Result<(), Failure> {
    let folder: PathBuf =
        std::env::temp_dir().join(format!("flowsmith-workspace-bench-{}", std::process::id()));
    std::fs::create_dir_all(folder.join("app"))
        .and_then(|()| std::fs::write(folder.join("app/index.html"), "<!doctype html>\n"))
        .map_err(|error| Failure::new(format!("cannot write {}: {error}", folder.display())))?;
    let result = measure(&folder, postgres);
    let _ = std::fs::remove_dir_all(&folder);
    result
}

/// A row of the summary: medians, 95th percentiles and CPU per request on both engines.
fn row(what: &str, [sqlite, postgres]: [&Samples; 2], budget: f64) {
    let (a, b) = (sqlite.summary(), postgres.summary());
    println!(
        "| {what} ({} requests each) | {:.2} ms | {:.2} ms | {:.2} ms | {:.2} ms | {:.2} ms | {:.2} ms | {budget} ms: {} |",
        a.count,
        a.median,
        a.p95,
        sqlite.cpu_per_request(),
        b.median,
        b.p95,
        postgres.cpu_per_request(),
        verdicts([sqlite, postgres], budget)
    );
}

fn measure(folder: &Path, postgres: &Postgres) -> Result<(), Failure> {
    let texts = templates()?;
    let maximal = maximal_flow(folder)?;
    println!("load average at start: {}", load_average());
    let engines =
        [Engine::start("SQLite", folder, None)?, Engine::start("PostgreSQL", folder, Some(postgres))?];

    println!("\nseeding {FLOWS} flows through POST /api/flows ({SEEDERS} connections)");
    for engine in &engines {
        let load = load_average();
        let took = seed(engine, &texts)?;
        println!(
            "    {:<11} {FLOWS} flows in {:.1} s ({:.0} flows/s)  (load {load})",
            engine.name,
            took.as_secs_f64(),
            FLOWS as f64 / took.as_secs_f64()
        );
    }

    // What autovacuum does within a minute of a bulk load; without fresh statistics the first
    // lists right after seeding were planned badly (up to three times slower).
    postgres.sql("VACUUM ANALYZE")?;

    println!("\nlists: GET /api/flows, {LISTS} requests per case and round after {WARM_UP} untimed");
    let cases: Vec<Vec<ListCase>> = engines.iter().map(|engine| list_cases(&engine.accounts[0])).collect();
    let mut lists: Vec<Vec<Samples>> =
        engines.iter().map(|_| cases[0].iter().map(|_| Samples::default()).collect()).collect();
    for round in 1..=ROUNDS {
        for (index, engine) in engines.iter().enumerate() {
            println!("  round {round}, {} (load {})", engine.name, load_average());
            list_round(engine, &cases[index], &mut lists[index])?;
        }
    }

    println!(
        "\nautosave: PUT /api/flows/{{id}} of the maximal flow ({:.2} MB), {AUTOSAVES} per round after {WARM_UP} untimed",
        maximal.len() as f64 / 1e6
    );
    let mut flows: Vec<Autosaved> =
        engines.iter().map(|engine| create_maximal(engine, &maximal)).collect::<Result<_, _>>()?;
    let mut autosaves: Vec<Samples> = engines.iter().map(|_| Samples::default()).collect();
    for round in 1..=ROUNDS {
        for (index, engine) in engines.iter().enumerate() {
            let load = load_average();
            let samples = autosave_round(engine, &maximal, &mut flows[index])?;
            let summary = samples.summary();
            println!(
                "  round {round}, {:<11} median {:>6.2} ms  p95 {:>6.2} ms  max {:>6.2} ms  CPU {:>5.2} ms/request  (load {load})",
                engine.name,
                summary.median,
                summary.p95,
                summary.max,
                samples.cpu_per_request()
            );
            autosaves[index].add(&samples);
        }
    }

    println!(
        "\nsync of {SYNC_ACCOUNT} with {SYNC_FLOWS} flows (POST /api/flows/sync, GET /api/events read meanwhile)"
    );
    let mut created = Vec::new();
    for engine in &engines {
        let started = Instant::now();
        let flows = fill_sandbox(engine, &texts)?;
        println!(
            "    {:<11} {} flows created in the sandbox through the Partner API in {:.1} s",
            engine.name,
            flows.len(),
            started.elapsed().as_secs_f64()
        );
        created.push(flows);
    }
    let mut syncs: Vec<Vec<(&str, SyncRun)>> = engines.iter().map(|_| Vec::new()).collect();
    for (kind, new, updated) in [("first (every flow new)", SYNC_FLOWS, 0), ("again (nothing changed)", 0, 0)]
    {
        for (index, engine) in engines.iter().enumerate() {
            let run = sync(engine)?;
            print_sync(engine, kind, &run);
            check_report(engine, kind, &run, new as u64, updated as u64)?;
            syncs[index].push((kind, run));
        }
    }
    for (engine, flows) in engines.iter().zip(&created) {
        let mut connection = engine.connect()?;
        for (id, template) in flows {
            // Someone renamed the first screen on WhatsApp.
            let text = texts[*template].replacen("\"title\": \"", "\"title\": \"(v2) ", 1);
            upload(&mut connection, id, &text)?;
        }
    }
    let kind = "after every created flow changed on WhatsApp";
    for (index, engine) in engines.iter().enumerate() {
        let run = sync(engine)?;
        print_sync(engine, kind, &run);
        check_report(engine, kind, &run, 0, created[index].len() as u64)?;
        syncs[index].push((kind, run));
    }
    drop(engines);

    println!(
        "\nsummary: time as the client sees it on loopback (an upper bound of server time), and CPU time of the \
         server's processes (flowsmith; flowsmith and PostgreSQL's) per request; load at the end {}",
        load_average()
    );
    println!(
        "| request | SQLite median | SQLite p95 | SQLite CPU | PostgreSQL median | PostgreSQL p95 | PostgreSQL CPU | budget |"
    );
    println!("| --- | --- | --- | --- | --- | --- | --- | --- |");
    for (index, case) in cases[0].iter().enumerate() {
        row(
            &format!("`GET /api/flows?limit=50…` {}", case.name),
            [&lists[0][index], &lists[1][index]],
            LIST_BUDGET_MS,
        );
    }
    row("`PUT /api/flows/{id}`, the maximal flow", [&autosaves[0], &autosaves[1]], AUTOSAVE_BUDGET_MS);
    for (index, (kind, _)) in syncs[0].iter().enumerate() {
        let [sqlite, postgres] = [0, 1].map(|engine| &syncs[engine][index].1);
        println!(
            "| `POST /api/flows/sync`, {SYNC_FLOWS} flows, {kind} | {:.0} ms | | {:.0} ms | {:.0} ms | | {:.0} ms | {SYNC_BUDGET_MS:.0} ms: {} |",
            ms(sqlite.elapsed),
            sqlite.cpu_ms,
            ms(postgres.elapsed),
            postgres.cpu_ms,
            verdict(ms(sqlite.elapsed).max(ms(postgres.elapsed)), SYNC_BUDGET_MS)
        );
    }
    Ok(())
}
