//! The mock endpoint (`flowsmith endpoint`), started as a real process: every action round trips
//! with the endpoint tester (WhatsApp's side, `endpoint::tester`) and with an independent
//! WhatsApp written with Node's `crypto` (`tests/endpoint/whatsapp.mjs`), the answers held
//! against the flow; what does not decrypt (tampered, another key, another IV) gets a bare 421,
//! a bad signature 432, a replay the very same answer; and a mock that cannot start says why.
//! Node is on every machine that runs these tests (Node 20): without it they fail.
#[path = "endpoint/shared.rs"]
mod shared;
mod support;

use std::ffi::OsString;
use std::io::{BufRead as _, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use flow_model::endpoint::{Exchange, check_answer};
use flowsmith_server::config::Secret;
use flowsmith_server::endpoint::mock::REQUEST_LIMIT;
use flowsmith_server::endpoint::tester::{Target, Tester};
use flowsmith_server::endpoint::{
    Action, EncryptedRequest, Request, SIGNATURE_HEADER, encrypt_request, sign,
};
use serde_json::{Map, Value, json};
use shared::{key, node, other_key};
use support::{Folder, stderr};
use url::Url;

const TOKEN: &str = "flow-token-7f3a";
const SECRET: &str = "the app secret";

fn flow() -> Value {
    let layout = |action: &str| {
        json!({"type": "SingleColumnLayout", "children": [
            {"type": "Footer", "label": "Next", "on-click-action": {"name": action, "payload": {}}}
        ]})
    };
    json!({"version": "7.3", "data_api_version": "3.0",
    "routing_model": {"PICK": ["DETAILS"], "DETAILS": ["DONE"], "DONE": []},
    "screens": [
        {"id": "PICK", "data": {"dates": {"type": "array", "items": {"type": "string"}, "__example__": ["2026-12-24"]}},
         "layout": layout("data_exchange")},
        {"id": "DETAILS", "data": {"price": {"type": "number", "__example__": 12.5}}, "layout": layout("data_exchange")},
        {"id": "DONE", "terminal": true, "layout": layout("data_exchange")}
    ]})
}

/// The preview's settings as the draft keeps them: PICK answered as written (the same screen
/// with a message), DONE finishing without a token (the mock adds the request's).
fn answers() -> Value {
    json!({
        "custom_data": "{\"dates\": [\"2027-01-02\"]}",
        "mocks": {
            "PICK": "{\"screen\": \"PICK\", \"data\": {\"dates\": [], \"error_message\": \"Sold out\"}}",
            "DONE": {"screen": "SUCCESS", "data": {"extension_message_response": {"params": {"booking": "B-7"}}}}
        },
        "theme": "dark"
    })
}

fn object(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(map) => map,
        other => panic!("not an object: {other}"),
    }
}

/// Every request WhatsApp sends, with the answer the mock gives it from `answers()`.
fn conversation() -> Vec<(Request, Exchange<'static>, Value)> {
    vec![
        (Request::ping(), Exchange::Ping, json!({"data": {"status": "active"}})),
        (Request::init(TOKEN), Exchange::Init, json!({"screen": "PICK", "data": {"dates": ["2027-01-02"]}})),
        (
            Request::data_exchange(TOKEN, "PICK", object(json!({"date": "2026-12-24"}))),
            Exchange::DataExchange { screen: "PICK" },
            json!({"screen": "PICK", "data": {"dates": [], "error_message": "Sold out"}}),
        ),
        (
            Request::data_exchange(TOKEN, "DETAILS", object(json!({"confirm": true}))),
            Exchange::DataExchange { screen: "DETAILS" },
            json!({"screen": "DONE", "data": {}}),
        ),
        (
            Request::back(TOKEN, "DETAILS"),
            Exchange::Back { screen: "DETAILS" },
            json!({"screen": "PICK", "data": {"dates": ["2026-12-24"]}}),
        ),
        (
            Request::data_exchange(TOKEN, "DONE", object(json!({"rating": 5}))),
            Exchange::DataExchange { screen: "DONE" },
            json!({"screen": "SUCCESS", "data": {"extension_message_response": {"params": {"booking": "B-7", "flow_token": TOKEN}}}}),
        ),
        (
            Request::error_notification(
                Action::DataExchange,
                TOKEN,
                "DONE",
                "INVALID_SCREEN",
                "No screen DONE",
            ),
            Exchange::ErrorNotification,
            json!({"data": {"acknowledged": true}}),
        ),
    ]
}

/// A `flowsmith endpoint` process, stopped when dropped.
struct Mock {
    child: Child,
    url: Url,
    _folder: Folder,
}

impl Drop for Mock {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(test: &str, extra: &[&str]) -> Mock {
    let folder = Folder::new(&format!("mock-{test}"));
    let mut args: Vec<OsString> = vec![
        "--flow".into(),
        folder.file("flow.json", flow().to_string()).into(),
        "--private-key".into(),
        folder.file("key.pem", key().to_pem().unwrap()).into(),
        "--answers".into(),
        folder.file("answers.json", answers().to_string()).into(),
    ];
    args.extend(extra.iter().map(OsString::from));
    launch(folder, args, None)
}

/// Runs `flowsmith endpoint --port 0 ARGS` and reads the address from its first line.
fn launch(folder: Folder, args: Vec<OsString>, passphrase: Option<&str>) -> Mock {
    let mut command = Command::new(env!("CARGO_BIN_EXE_flowsmith"));
    command
        .args(["endpoint", "--port", "0"])
        .args(args)
        .env_remove("FLOWSMITH_APP_SECRET")
        .env_remove("FLOWSMITH_KEY_PASSPHRASE");
    if let Some(passphrase) = passphrase {
        command.env("FLOWSMITH_KEY_PASSPHRASE", passphrase);
    }
    let mut child = command.stdout(Stdio::piped()).stderr(Stdio::null()).spawn().unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let address = line.trim().rsplit(' ').next().unwrap_or_default().to_owned();
    assert!(address.starts_with("http://127.0.0.1:"), "the first line names the address: {line:?}");
    Mock { child, url: Url::parse(&address).unwrap(), _folder: folder }
}

fn target(mock: &Mock) -> Target {
    Target { url: mock.url.clone(), public_key: key().public_key() }
}

#[tokio::test]
async fn every_action_round_trips_with_the_tester() {
    let mock = start("tester", &[]);
    let tester = Tester::new(None, true);
    let flow = flow();
    for (request, exchange, expected) in conversation() {
        let action = request.action;
        let exchanged = tester.exchange(&target(&mock), request).await;
        assert_eq!(exchanged.failure, None, "{action:?}");
        let answer = exchanged.answer.unwrap();
        assert_eq!(answer, expected, "{action:?}");
        assert_eq!(
            check_answer(&flow, exchange, TOKEN, &answer),
            vec![],
            "{action:?}: the tester finds nothing wrong"
        );
    }
    let report = tester.health(&target(&mock)).await;
    assert!(report.healthy, "{report:?}");
    let wrong_key = report.checks.iter().find(|check| check.name == "wrong_key").unwrap();
    assert_eq!(wrong_key.outcome, "pass");
}

/// Node's WhatsApp encrypts each request for the mock's public key, signs it, and decrypts the
/// mock's answer: the same answers as the tester's.
#[test]
fn node_as_whatsapp_gets_the_same_answers() {
    let mock = start("node", &["--app-secret", SECRET]);
    let public_key = key().public_key().to_pem().unwrap();
    for (request, _, expected) in conversation() {
        let action = request.action;
        let called = node(
            "exchange",
            json!({"url": mock.url.as_str(), "publicKey": public_key, "payload": request, "secret": SECRET}),
        );
        assert_eq!(called, json!({"status": 200, "answer": expected}), "{action:?}");
    }
    let unsigned = node(
        "exchange",
        json!({"url": mock.url.as_str(), "publicKey": public_key, "payload": Request::ping()}),
    );
    assert_eq!(unsigned, json!({"status": 432, "body": ""}));
    let other = other_key().public_key().to_pem().unwrap();
    let stranger = node(
        "exchange",
        json!({"url": mock.url.as_str(), "publicKey": other, "payload": Request::ping(), "secret": SECRET}),
    );
    assert_eq!(stranger, json!({"status": 421, "body": ""}));
}

async fn post(mock: &Mock, body: String, signature: Option<String>) -> (u16, Vec<u8>) {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let mut call =
        reqwest::Client::new().post(mock.url.clone()).header("content-type", "application/json").body(body);
    if let Some(signature) = signature {
        call = call.header(SIGNATURE_HEADER, signature);
    }
    let response = call.send().await.unwrap();
    (response.status().as_u16(), response.bytes().await.unwrap().to_vec())
}

fn sealed_init() -> EncryptedRequest {
    encrypt_request(&key().public_key(), &Request::init(TOKEN)).unwrap().0
}

fn flip_last_byte(text: &str) -> String {
    let mut bytes = BASE64.decode(text).unwrap();
    *bytes.last_mut().unwrap() ^= 1;
    BASE64.encode(bytes)
}

#[tokio::test]
async fn what_does_not_decrypt_gets_a_bare_421() {
    let mock = start("421", &[]);
    let tampered = EncryptedRequest {
        encrypted_flow_data: flip_last_byte(&sealed_init().encrypted_flow_data),
        ..sealed_init()
    };
    let wrong_key = encrypt_request(&other_key().public_key(), &Request::init(TOKEN)).unwrap().0;
    let wrapped_key_changed = EncryptedRequest {
        encrypted_aes_key: flip_last_byte(&sealed_init().encrypted_aes_key),
        ..sealed_init()
    };
    let wrong_iv = EncryptedRequest { initial_vector: BASE64.encode([7u8; 16]), ..sealed_init() };
    let short_iv = EncryptedRequest { initial_vector: BASE64.encode([7u8; 12]), ..sealed_init() };
    let cases = [
        ("tampered ciphertext", tampered.to_body()),
        ("another key", wrong_key.to_body()),
        ("a changed wrapped key", wrapped_key_changed.to_body()),
        ("another IV", wrong_iv.to_body()),
        ("a 12-byte IV", short_iv.to_body()),
        ("a request not encrypted", json!({"version": "3.0", "action": "INIT"}).to_string()),
        ("not JSON", "hello".to_owned()),
    ];
    for (case, body) in cases {
        assert_eq!(post(&mock, body, None).await, (421, Vec::new()), "{case}");
    }
    // And the mock still answers what it can decrypt.
    let (status, _) = post(&mock, sealed_init().to_body(), None).await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn with_an_app_secret_only_signed_requests_are_answered() {
    let mock = start("signature", &["--app-secret", SECRET]);
    let body = sealed_init().to_body();
    assert_eq!(post(&mock, body.clone(), None).await.0, 432, "unsigned");
    assert_eq!(
        post(&mock, body.clone(), Some(sign(b"another secret", body.as_bytes()))).await.0,
        432,
        "another secret"
    );
    assert_eq!(post(&mock, body.clone(), Some("sha256=zz".to_owned())).await.0, 432, "malformed");
    let changed = sealed_init().to_body();
    assert_eq!(
        post(&mock, changed, Some(sign(SECRET.as_bytes(), body.as_bytes()))).await.0,
        432,
        "another body"
    );
    assert_eq!(
        post(&mock, body.clone(), Some(sign(SECRET.as_bytes(), body.as_bytes()))).await.0,
        200,
        "signed"
    );
    let tester = Tester::new(Some(Secret::new(SECRET)), true);
    let report = tester.health(&target(&mock)).await;
    let signature = report.checks.iter().find(|check| check.name == "signature").unwrap();
    assert_eq!((report.healthy, signature.outcome), (true, "pass"), "{report:?}");
}

/// The answer is a function of the request: a replay gets the same bytes, so the key and IV it
/// reuses never encrypt two different texts.
#[tokio::test]
async fn a_replayed_request_gets_the_very_same_answer() {
    let mock = start("replay", &[]);
    for request in [Request::init(TOKEN), Request::data_exchange(TOKEN, "DETAILS", Map::new())] {
        let body = encrypt_request(&key().public_key(), &request).unwrap().0.to_body();
        let first = post(&mock, body.clone(), None).await;
        let again = post(&mock, body, None).await;
        assert_eq!(first.0, 200);
        assert!(!first.1.is_empty());
        assert_eq!(first, again, "{:?}", request.action);
    }
}

#[tokio::test]
async fn oversized_bodies_and_other_methods_are_refused() {
    let mock = start("limits", &[]);
    // One byte over: the mock reads it all before refusing, so the answer is not lost to a reset.
    assert_eq!(post(&mock, "x".repeat(REQUEST_LIMIT + 1), None).await.0, 413);
    let got = reqwest::Client::new().get(mock.url.clone()).send().await.unwrap();
    assert_eq!(got.status().as_u16(), 405);
}

/// Each way the mock cannot start: exit status 1 and a message naming the file and the fix.
#[test]
fn a_mock_that_cannot_start_says_why() {
    let folder = Folder::new("mock-start");
    let flow = folder.file("flow.json", flow().to_string());
    let key = folder.file("key.pem", key().to_pem().unwrap());
    let public = folder.file("public.pem", key_public_pem());
    let locked = folder.file("locked.pem", key_locked_pem());
    let typo = folder.file("typo.json", json!({"mocks": {"PIKC": {"screen": "DETAILS"}}}).to_string());
    let bare_map = folder.file("bare.json", json!({"PICK": {"screen": "DETAILS"}}).to_string());
    let not_json = folder.file("broken.json", "{\"screens\": [");
    let run = |args: &[&PathBuf]| {
        let mut command = Command::new(env!("CARGO_BIN_EXE_flowsmith"));
        command.arg("endpoint").args(["--port", "0"]).env_remove("FLOWSMITH_KEY_PASSPHRASE");
        for (flag, value) in ["--flow", "--private-key", "--answers"].iter().zip(args) {
            command.arg(flag).arg(value);
        }
        let output = command.output().unwrap();
        assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
        stderr(&output)
    };
    let said = run(&[&flow, &public]);
    assert!(said.contains("public.pem") && said.contains("a public key (SPKI), not a private key"), "{said}");
    assert!(said.contains("BEGIN RSA PRIVATE KEY-----"), "names the forms expected: {said}");
    let said = run(&[&flow, &locked]);
    assert!(said.contains("give the passphrase"), "{said}");
    let said = run(&[&flow, &key, &typo]);
    assert!(said.contains("typo.json") && said.contains("no screen PIKC"), "{said}");
    let said = run(&[&flow, &key, &bare_map]);
    assert!(said.contains("not the preview's mock answers"), "{said}");
    let said = run(&[&not_json, &key]);
    assert!(said.contains("broken.json is not JSON"), "{said}");
}

fn key_public_pem() -> String {
    key().public_key().to_pem().unwrap()
}

fn key_locked_pem() -> String {
    static LOCKED: OnceLock<String> = OnceLock::new();
    LOCKED.get_or_init(|| key().to_encrypted_pem("open sesame").unwrap()).clone()
}

/// A key with a passphrase opens with `--passphrase` (or its environment variable).
#[tokio::test]
async fn a_key_with_a_passphrase_opens_with_it() {
    let folder = Folder::new("mock-passphrase");
    let args = vec![
        "--flow".into(),
        folder.file("flow.json", flow().to_string()).into(),
        "--private-key".into(),
        folder.file("locked.pem", key_locked_pem()).into(),
    ];
    let mock = launch(folder, args, Some("open sesame"));
    let exchanged = Tester::new(None, true).exchange(&target(&mock), Request::init(TOKEN)).await;
    // Without answers: the first screen with its `__example__` data.
    assert_eq!(exchanged.answer, Some(json!({"screen": "PICK", "data": {"dates": ["2026-12-24"]}})));
}
