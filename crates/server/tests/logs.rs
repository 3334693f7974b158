//! The real binary with the key in its environment and every log level on: the key appears in
//! no log line, no response and no help text.
mod common;

use std::io::Read;
use std::process::{Command, Stdio};

use common::{app_dir, client, stub, temp_dir};

const SECRET: &str = "pk_live_never_print_me_42";

/// Starts `command` with every log level on; answers the process, its stdout, the URL it serves
/// and the first line it printed.
fn serve(mut command: Command) -> (std::process::Child, std::process::ChildStdout, String, String) {
    let mut child = command
        .env("FLOWSMITH_LOG", "trace")
        .env_remove("FLOWSMITH_MODE")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut first = Vec::new();
    let mut byte = [0u8; 1];
    while stdout.read(&mut byte).unwrap() == 1 && byte[0] != b'\n' {
        first.push(byte[0]);
    }
    let line = String::from_utf8(first).unwrap();
    let url = line
        .split_whitespace()
        .find(|word| word.starts_with("http://"))
        .unwrap()
        .trim_end_matches('/')
        .to_owned();
    (child, stdout, url, line)
}

/// Stops the server; answers all it wrote.
fn stop(mut child: std::process::Child, mut stdout: std::process::ChildStdout) -> String {
    child.kill().unwrap();
    child.wait().unwrap();
    let mut logs = String::new();
    child.stderr.take().unwrap().read_to_string(&mut logs).unwrap();
    stdout.read_to_string(&mut logs).unwrap();
    logs
}

#[tokio::test]
async fn the_key_is_never_logged() {
    let (upstream, _, _) = stub(axum::Router::new().fallback(|| async {
        ([("content-type", "application/json")], r#"{"flows":[],"count":0,"total":0}"#)
    }))
    .await;
    let mut command = Command::new(env!("CARGO_BIN_EXE_flowsmith"));
    command
        .args(["serve", "--port", "0", "--upstream-url", &upstream, "--app-dir"])
        .arg(app_dir("logs"))
        .arg("--data-dir")
        .arg(temp_dir("logs-data"))
        .env("FLOWSMITH_PARTNER_API_KEY", SECRET);
    let (child, stdout, url, _) = serve(command);
    for path in [
        "/api/v2/partners/p1PA/waba_accounts/w1WA/flows",
        "/api/v2/partners/p1PA/clients",
        "/flowsmith/config",
        "/flowsmith/asset?url=https://evil.example/x",
    ] {
        let response = client().get(format!("{url}{path}")).send().await.unwrap();
        let headers = format!("{:?}", response.headers());
        let body = response.text().await.unwrap();
        assert!(!headers.contains(SECRET) && !body.contains(SECRET), "{path}: {headers} {body}");
    }
    let logs = stop(child, stdout);
    assert!(logs.contains("request"), "the trace level logged nothing: {logs}");
    assert!(!logs.contains(SECRET), "the key is in the logs:\n{logs}");
}

/// Graph mode: the token is in no log line and no answer, even from an upstream that echoes
/// the Authorization header in its error messages.
#[tokio::test]
async fn the_graph_token_is_never_logged() {
    let (upstream, _, _) = stub(axum::Router::new().fallback(|headers: axum::http::HeaderMap| async move {
        let echoed = headers.get("authorization").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
        let body = format!(
            r#"{{"error":{{"message":"Error validating access token ({echoed})","type":"OAuthException","code":190,"fbtrace_id":"A"}}}}"#
        );
        (axum::http::StatusCode::UNAUTHORIZED, [("content-type", "application/json")], body)
    }))
    .await;
    let mut command = Command::new(env!("CARGO_BIN_EXE_flowsmith"));
    command
        .args(["serve", "--port", "0", "--mode", "graph", "--waba-id", "111", "--graph-url"])
        .arg(format!("{upstream}/v21.0"))
        .arg("--app-dir")
        .arg(app_dir("graph-logs"))
        .arg("--data-dir")
        .arg(temp_dir("graph-logs-data"))
        .env("FLOWSMITH_GRAPH_TOKEN", SECRET);
    let (child, stdout, url, line) = serve(command);
    assert!(line.contains("Meta's Graph API"), "{line}");
    for path in [
        "/api/v2/partners/meta/channels",
        "/api/v2/partners/meta/waba_accounts/111/flows",
        "/api/accounts?refresh=1",
        "/flowsmith/config",
    ] {
        let response = client().get(format!("{url}{path}")).send().await.unwrap();
        let headers = format!("{:?}", response.headers());
        let body = response.text().await.unwrap();
        assert!(!headers.contains(SECRET) && !body.contains(SECRET), "{path}: {headers} {body}");
        if path.contains("channels") {
            assert!(body.contains("Error validating access token"), "{body}");
        }
    }
    let logs = stop(child, stdout);
    assert!(logs.contains("request"), "the trace level logged nothing: {logs}");
    assert!(!logs.contains(SECRET), "the token is in the logs:\n{logs}");
}

#[test]
fn help_documents_every_flag_and_hides_the_key() {
    let output = Command::new(env!("CARGO_BIN_EXE_flowsmith"))
        .args(["serve", "--help"])
        .env("FLOWSMITH_PARTNER_API_KEY", SECRET)
        .env("FLOWSMITH_SANDBOX_API_KEY", SECRET)
        .env("FLOWSMITH_SECRET_KEY", SECRET)
        .env("FLOWSMITH_GRAPH_TOKEN", SECRET)
        .output()
        .unwrap();
    let help = String::from_utf8(output.stdout).unwrap();
    assert!(!help.contains(SECRET), "{help}");
    for flag in [
        "--bind",
        "--port",
        "--app-dir",
        "--mode",
        "--upstream-url",
        "--partner-api-key",
        "--partner-api-key-file",
        "--partner-id",
        "--sandbox-api-key",
        "--cors-origin",
        "--body-limit",
        "--upstream-timeout",
        "--request-timeout",
        "--data-dir",
        "--public-url",
        "--frame-ancestor",
        "--secret-key",
        "--graph-url",
        "--graph-api-version",
        "--graph-token",
        "--graph-token-file",
        "--waba-id",
    ] {
        assert!(help.contains(flag), "{flag} is not in --help:\n{help}");
    }
}

#[tokio::test]
async fn sigterm_stops_the_server_gracefully() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_flowsmith"))
        .args(["serve", "--port", "0", "--mode", "sandbox", "--app-dir"])
        .arg(app_dir("sigterm"))
        .arg("--data-dir")
        .arg(temp_dir("sigterm-data"))
        .env("FLOWSMITH_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut first = Vec::new();
    let mut byte = [0u8; 1];
    while stdout.read(&mut byte).unwrap() == 1 && byte[0] != b'\n' {
        first.push(byte[0]);
    }
    let line = String::from_utf8(first).unwrap();
    let url = line
        .split_whitespace()
        .find(|word| word.starts_with("http://"))
        .unwrap()
        .trim_end_matches('/')
        .to_owned();
    assert_eq!(client().get(format!("{url}/healthz")).send().await.unwrap().status(), 200);
    let status = Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap();
    assert!(status.success());
    let exit = child.wait().unwrap();
    let mut rest = String::new();
    stdout.read_to_string(&mut rest).unwrap();
    assert!(exit.success(), "{exit:?}");
    assert!(rest.contains("flowsmith: stopped"), "{rest}");
}
