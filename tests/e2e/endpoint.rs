//! The preview against the designer's own endpoint, encrypted as WhatsApp calls it: a real
//! `flowsmith serve` (on loopback, so it may call a private address) makes each call to an
//! endpoint written with Node's `crypto` (`encrypted_endpoint.mjs`); the flow's screens come
//! from that endpoint one by one, and the log beside the phone shows each exchange decrypted,
//! the sensitive field masked, replayable; the health check reports. The same flow runs against
//! `flowsmith endpoint`, the mock endpoint, screen by screen.
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use serde_json::Value;

use crate::support::{self, Page};

/// A flow whose first screen is opened with INIT and left with a data_exchange.
const FLOW: &str = r#"{"version": "7.3", "data_api_version": "3.0", "routing_model": {"PICK": ["DETAILS"], "DETAILS": []}, "screens": [{"id": "PICK", "title": "Pick", "sensitive": ["pin"], "data": {"greeting": {"type": "string", "__example__": "Hello"}}, "layout": {"type": "SingleColumnLayout", "children": [{"type": "TextBody", "text": "${data.greeting}"}, {"type": "TextInput", "name": "pin", "label": "PIN", "input-type": "passcode"}, {"type": "Footer", "label": "Next", "on-click-action": {"name": "data_exchange", "payload": {"pin": "${form.pin}"}}}]}}, {"id": "DETAILS", "title": "Details", "terminal": true, "data": {"slot": {"type": "string", "__example__": "10:00"}}, "layout": {"type": "SingleColumnLayout", "children": [{"type": "TextBody", "text": "${data.slot}"}, {"type": "Footer", "label": "Done", "on-click-action": {"name": "complete", "payload": {}}}]}}]}"#;

/// The endpoint's process, stopped when dropped.
struct Endpoint(Child);

impl Drop for Endpoint {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The endpoint of `encrypted_endpoint.mjs` for `FLOW`: its process, URL and public key.
fn start_endpoint() -> (Endpoint, String, String) {
    let dir = std::env::temp_dir().join(format!("flowsmith-e2e-endpoint-{}", support::free_port()));
    std::fs::create_dir_all(&dir).expect("a folder for the flow");
    let flow = dir.join("flow.json");
    std::fs::write(&flow, FLOW).expect("the flow is written");
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/e2e/encrypted_endpoint.mjs");
    let mut child = Command::new("node")
        .arg(script)
        .arg(&flow)
        .stdout(Stdio::piped())
        .spawn()
        .expect("node starts the endpoint");
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("piped stdout"))
        .read_line(&mut line)
        .expect("the endpoint prints its address");
    let said: Value =
        serde_json::from_str(&line).unwrap_or_else(|_| panic!("the endpoint's first line: {line:?}"));
    let text = |key: &str| said[key].as_str().expect("url and public_key").to_owned();
    (Endpoint(child), text("url"), text("public_key"))
}

/// Sets a field of the preview's settings as a person does (its value, then `change`).
async fn set(page: &Page<'_>, selector: &str, value: &str) {
    page.find(selector).await;
    let value = serde_json::to_string(value).expect("a JSON string");
    page.script(&format!(
        "const field = document.querySelector('{selector}'); field.value = {value}; \
         field.dispatchEvent(new Event('change', {{ bubbles: true }}));"
    ))
    .await;
}

#[tokio::test]
#[ignore = "needs the built app, chromedriver and node: run by `cargo xtask test`"]
async fn screens_come_from_the_encrypted_endpoint_and_the_log_shows_each_exchange() {
    let (_endpoint, endpoint_url, public_key) = start_endpoint();
    let (_server, url) = support::start_server();
    let (_driver, client) = support::start_browser().await;
    let page = Page { client: &client };
    open_with_endpoint(&page, &url, &endpoint_url, &public_key).await;

    // INIT: the first screen's data comes from the endpoint.
    page.until(
        "the first screen with the endpoint's data",
        "[...document.querySelectorAll('.wa-c[data-type=TextBody]')].some(e => e.textContent === 'Hello (endpoint)')",
    )
    .await;
    page.until(
        "the INIT in the log",
        "document.querySelector('[data-testid=endpoint-log-entry][data-action=INIT]')",
    )
    .await;
    let init = page
        .texts("[data-testid=endpoint-log-entry][data-action=INIT] [data-testid=endpoint-log-title]")
        .await;
    assert_eq!(init, ["INIT → PICK"]);

    // data_exchange: the next screen comes from the endpoint, the PIN masked in the log.
    page.fill("[data-name=pin] input", "4321").await;
    page.click("[data-testid=preview-footer]").await;
    page.until(
        "the next screen",
        "document.querySelector('[data-testid=preview-title]')?.textContent === 'Details'",
    )
    .await;
    assert_eq!(page.texts(".wa-c[data-type=TextBody]").await, ["10:00 (endpoint)"]);
    let exchange = "[data-testid=endpoint-log-entry][data-action=data_exchange]";
    assert_eq!(
        page.texts(&format!("{exchange} [data-testid=endpoint-log-title]")).await,
        ["data_exchange from PICK → DETAILS"]
    );
    let status = page.texts(&format!("{exchange} [data-testid=endpoint-log-status]")).await;
    assert!(status[0].starts_with("200 · "), "{status:?}");
    let request = page.texts(&format!("{exchange} [data-testid=endpoint-log-request]")).await;
    let request: Value = serde_json::from_str(&request[0]).expect("the request is JSON");
    assert_eq!(request["action"], "data_exchange");
    assert_eq!(request["data"]["pin"], "••••", "the sensitive PIN is masked");
    assert!(request.get("flow_token").is_some(), "the decrypted request as the endpoint reads it");
    let answer = page.texts(&format!("{exchange} [data-testid=endpoint-log-answer]")).await;
    let answer: Value = serde_json::from_str(&answer[0]).expect("the answer is JSON");
    assert_eq!(answer, serde_json::json!({"screen": "DETAILS", "data": {"slot": "10:00 (endpoint)"}}));

    // Replay sends the same request again: a new entry, the preview stays.
    page.click(&format!("{exchange} [data-testid=endpoint-log-replay]")).await;
    page.until(
        "the replayed exchange",
        "document.querySelectorAll('[data-testid=endpoint-log-entry][data-action=data_exchange]').length === 2",
    )
    .await;
    let titles = page.texts(&format!("{exchange} [data-testid=endpoint-log-title]")).await;
    assert_eq!(titles[0], "data_exchange from PICK → DETAILS (replay)", "newest first");
    assert_eq!(page.texts("[data-testid=preview-title]").await, ["Details"]);

    // The health check: ping, a wrong key answered 421, plain HTTP only a warning.
    page.click("[data-testid=endpoint-health-check]").await;
    page.find("[data-testid=endpoint-health-report]").await;
    let outcome = |check: &str| {
        format!(
            "document.querySelector('[data-testid=endpoint-health-item][data-check={check}]')?.dataset.outcome"
        )
    };
    for (check, expected) in
        [("ping", "pass"), ("wrong_key", "pass"), ("error_notification", "pass"), ("https", "warn")]
    {
        page.until(&format!("{check} {expected}"), &format!("{} === '{expected}'", outcome(check))).await;
    }
    let healthy = page
        .script("return document.querySelector('[data-testid=endpoint-health-report]').dataset.healthy;")
        .await;
    assert_eq!(healthy, "true");
    client.close().await.expect("the session closes");
}

/// Opens the app at `url`, types `FLOW`, and sets the encrypted endpoint and its public key in
/// the preview's settings; leaves the driver in the preview's frame.
async fn open_with_endpoint(page: &Page<'_>, url: &str, endpoint_url: &str, public_key: &str) {
    let client = page.client;
    client.goto(url).await.expect("the app loads");
    page.find("[data-testid=screen-list]").await;

    page.type_flow(FLOW).await;
    page.until("the typed flow", "document.querySelector('[data-screen-id=DETAILS]')").await;

    page.click("[data-testid=toggle-preview]").await;
    page.find("[data-testid=preview-frame]").await;
    client.enter_frame(0).await.expect("the preview frame");
    page.until(
        "the first screen",
        "document.querySelector('[data-testid=preview-title]')?.textContent === 'Pick'",
    )
    .await;
    page.click("[data-testid=preview-settings-toggle]").await;
    set(page, "[data-testid=preview-endpoint]", endpoint_url).await;
    page.choose("[data-testid=preview-endpoint-mode]", "encrypted").await;
    set(page, "[data-testid=preview-public-key]", public_key).await;
}

/// `flowsmith endpoint` (the mock endpoint) for `FLOW`, with a key pair made by Node's
/// `crypto`: its process, URL and public key (read from what it prints at start).
fn start_mock() -> (Endpoint, String, String) {
    let dir = std::env::temp_dir().join(format!("flowsmith-e2e-mock-{}", support::free_port()));
    std::fs::create_dir_all(&dir).expect("a folder for the flow and the key");
    let flow = dir.join("flow.json");
    std::fs::write(&flow, FLOW).expect("the flow is written");
    let key = dir.join("key.pem");
    let made = Command::new("node")
        .args([
            "-e",
            "const { generateKeyPairSync } = require('crypto'); \
             const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 }); \
             require('fs').writeFileSync(process.argv[1], privateKey.export({ type: 'pkcs8', format: 'pem' }));",
        ])
        .arg(&key)
        .status()
        .expect("node makes a key pair");
    assert!(made.success(), "the private key is written");
    let bin = std::env::var_os("FLOWSMITH_BIN").expect("FLOWSMITH_BIN: run with `cargo xtask test`");
    let mut child = Command::new(bin)
        .args(["endpoint", "--port", "0", "--flow"])
        .arg(&flow)
        .arg("--private-key")
        .arg(&key)
        .stdout(Stdio::piped())
        .spawn()
        .expect("flowsmith endpoint starts");
    let mut out = BufReader::new(child.stdout.take().expect("piped stdout"));
    let mut said = String::new();
    // The address on the first line, then the public key to upload.
    while !said.contains("-----END PUBLIC KEY-----") {
        let read = out.read_line(&mut said).expect("the mock prints its address and key");
        assert!(read > 0, "the mock stopped before printing its key: {said:?}");
    }
    let url = said
        .split_whitespace()
        .find(|word| word.starts_with("http://"))
        .unwrap_or_else(|| panic!("no address in {said:?}"))
        .to_owned();
    let begin = said.find("-----BEGIN PUBLIC KEY-----").expect("the public key");
    (Endpoint(child), url, said[begin..].trim().to_owned())
}

#[tokio::test]
#[ignore = "needs the built app, chromedriver and node: run by `cargo xtask test`"]
async fn screens_come_from_the_mock_endpoint_one_by_one() {
    let (_mock, endpoint_url, public_key) = start_mock();
    let (_server, url) = support::start_server();
    let (_driver, client) = support::start_browser().await;
    let page = Page { client: &client };
    open_with_endpoint(&page, &url, &endpoint_url, &public_key).await;

    // INIT: the mock answers the first screen with its `__example__` data.
    page.until(
        "the INIT in the log",
        "document.querySelector('[data-testid=endpoint-log-entry][data-action=INIT]')",
    )
    .await;
    assert_eq!(
        page.texts("[data-testid=endpoint-log-entry][data-action=INIT] [data-testid=endpoint-log-title]")
            .await,
        ["INIT → PICK"]
    );
    assert_eq!(page.texts(".wa-c[data-type=TextBody]").await, ["Hello"]);

    // data_exchange: the next screen of the routing model, with its example data.
    page.fill("[data-name=pin] input", "1234").await;
    page.click("[data-testid=preview-footer]").await;
    page.until(
        "the next screen",
        "document.querySelector('[data-testid=preview-title]')?.textContent === 'Details'",
    )
    .await;
    assert_eq!(page.texts(".wa-c[data-type=TextBody]").await, ["10:00"]);
    let exchange = "[data-testid=endpoint-log-entry][data-action=data_exchange]";
    assert_eq!(
        page.texts(&format!("{exchange} [data-testid=endpoint-log-title]")).await,
        ["data_exchange from PICK → DETAILS"]
    );
    let answer = page.texts(&format!("{exchange} [data-testid=endpoint-log-answer]")).await;
    let answer: Value = serde_json::from_str(&answer[0]).expect("the answer is JSON");
    assert_eq!(answer, serde_json::json!({"screen": "DETAILS", "data": {"slot": "10:00"}}));
    client.close().await.expect("the session closes");
}
