//! The workspace across server processes: the real `flowsmith` binary, twice on one PostgreSQL
//! database (as behind a load balancer), and killed with SIGKILL mid-work on either engine.
mod common;

use std::io::Read as _;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use common::{app_dir, client, databases, engine, json, postgres_database, temp_dir};
use futures_util::StreamExt as _;
use serde_json::{Value, json};

/// A `flowsmith serve` process on a free port.
struct Process {
    child: Child,
    url: String,
}

impl Process {
    /// Starts the binary in sandbox mode with the workspace in `database` (a SQLite file in
    /// `data` when `None`), and waits for its "serving" line.
    fn start(name: &str, data: &std::path::Path, database: &Option<String>) -> Process {
        let mut command = Command::new(env!("CARGO_BIN_EXE_flowsmith"));
        command
            .args(["serve", "--port", "0", "--mode", "sandbox", "--app-dir"])
            .arg(app_dir(name))
            .arg("--data-dir")
            .arg(data)
            .env_remove("FLOWSMITH_DATABASE_URL")
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        if let Some(url) = database {
            command.args(["--database-url", url]);
        }
        let mut child = command.spawn().unwrap();
        let mut stdout = child.stdout.take().unwrap();
        let mut line = Vec::new();
        let mut byte = [0u8; 1];
        while stdout.read(&mut byte).unwrap() == 1 && byte[0] != b'\n' {
            line.push(byte[0]);
        }
        let line = String::from_utf8(line).unwrap();
        let url = line
            .split_whitespace()
            .find(|word| word.starts_with("http://"))
            .unwrap_or_else(|| panic!("no URL in {line:?}"))
            .trim_end_matches('/')
            .to_owned();
        Process { child, url }
    }

    fn at(&self, path: &str) -> String {
        format!("{}{path}", self.url)
    }

    /// SIGKILL: no shutdown, no flush, nothing but what was already committed.
    fn kill(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn flow_text(text: &str) -> String {
    format!("{{\"version\": \"7.2\", \"screens\": [], \"note\": \"{text}\"}}")
}

async fn account(process: &Process) -> String {
    let (status, body) = json(client().get(process.at("/api/accounts")).send().await.unwrap()).await;
    assert_eq!(status, 200, "{body}");
    body["data"][0]["id"].as_str().unwrap().to_owned()
}

async fn create(process: &Process, account: &str, name: &str) -> String {
    let body = format!(
        "{{\"account_id\": \"{account}\", \"name\": \"{name}\", \"json_definition\": {}}}",
        flow_text("1")
    );
    let response = client()
        .post(process.at("/api/flows"))
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await;
    let (status, created) = json(response.unwrap()).await;
    assert_eq!(status, 201, "{created}");
    created["data"]["id"].as_str().unwrap().to_owned()
}

async fn put(process: &Process, id: &str, revision: i64, text: &str) -> (u16, Value) {
    let body = format!("{{\"revision\": {revision}, \"json_definition\": {}}}", flow_text(text));
    let response = client()
        .put(process.at(&format!("/api/flows/{id}")))
        .header("content-type", "application/json")
        .header("x-flowsmith-user", "Bo")
        .body(body)
        .send()
        .await
        .unwrap();
    json(response).await
}

#[tokio::test]
async fn two_servers_on_one_postgresql_share_the_workspace_and_its_events() {
    let Some(database) = postgres_database("cluster").await else { return };
    let database = Some(database);
    let one = Process::start("cluster-one", &temp_dir("cluster-one"), &database);
    let two = Process::start("cluster-two", &temp_dir("cluster-two"), &database);
    // Listening on the second server before anything happens on the first.
    let events = client().get(two.at("/api/events")).send().await.unwrap();
    let mut stream = events.bytes_stream();
    let mut seen = String::new();
    while !seen.contains("event: ready") {
        seen.push_str(&String::from_utf8_lossy(&stream.next().await.unwrap().unwrap()));
    }
    let account = account(&one).await;
    let id = create(&one, &account, "Shared across servers").await;
    let (status, changed) = put(&one, &id, 1, "two").await;
    assert_eq!(status, 200, "{changed}");
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    while !seen.contains("event: flow.changed") {
        let chunk = tokio::time::timeout_at(deadline, stream.next())
            .await
            .expect("the change is announced on the other server");
        seen.push_str(&String::from_utf8_lossy(&chunk.unwrap().unwrap()));
    }
    assert!(
        seen.contains("event: flow.created") && seen.contains(&format!("\"flow_id\":\"{id}\"")),
        "{seen}"
    );
    assert!(seen.contains("\"actor\":\"Bo\"") && seen.contains("\"revision\":2"), "{seen}");
    // Read through the other server.
    let (status, flow) = json(client().get(two.at(&format!("/api/flows/{id}"))).send().await.unwrap()).await;
    assert_eq!((status, flow["data"]["revision"].as_i64()), (200, Some(2)), "{flow}");
    // The same revision saved through both servers at once: one wins, the other gets 409.
    let (first, second) = tokio::join!(put(&one, &id, 2, "from one"), put(&two, &id, 2, "from two"));
    let mut statuses = [first.0, second.0];
    statuses.sort_unstable();
    assert_eq!(statuses, [200, 409], "{first:?} {second:?}");
    let winner = if first.0 == 200 { "from one" } else { "from two" };
    let text = client()
        .get(one.at(&format!("/api/flows/{id}/flow.json")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(text, flow_text(winner));
}

#[tokio::test]
async fn a_killed_server_loses_no_acknowledged_write() {
    for database in databases("killed").await {
        let data = temp_dir("killed-data");
        let server = Process::start("killed", &data, &database);
        let account = account(&server).await;
        let id = create(&server, &account, "Survives").await;
        let mut revision = 1;
        for step in 0..20 {
            let (status, body) = put(&server, &id, revision, &format!("step {step}")).await;
            assert_eq!(status, 200, "{body}");
            revision = body["data"]["revision"].as_i64().unwrap();
        }
        server.kill();
        let again = Process::start("killed-again", &data, &database);
        let (status, flow) =
            json(client().get(again.at(&format!("/api/flows/{id}"))).send().await.unwrap()).await;
        assert_eq!(status, 200, "{}: {flow}", engine(&database));
        assert_eq!(flow["data"]["revision"], json!(revision), "{}", engine(&database));
        assert_eq!(flow["data"]["json_definition"]["note"], "step 19");
        let (_, versions) =
            json(client().get(again.at(&format!("/api/flows/{id}/versions"))).send().await.unwrap()).await;
        assert_eq!(versions["data"][0]["revision"], json!(revision));
    }
}
