//! Sending through 360dialog (issue 20, item 2), on SQLite and on PostgreSQL: admins store an
//! account's channel API key (`/api/accounts/{id}/channel_key`), sealed at rest and shown only
//! by its last four characters; a 360dialog account then sends a flow message to 360dialog's
//! messaging API (a stub on port 0 that records what it is sent) with `D360-API-KEY`; its
//! refusals come back in plain words; the key is in no answer, audit line or log line. The
//! Partner API is a second server's sandbox, as in `credentials.rs`.
mod common;

use std::sync::{Arc, Mutex, Once};

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use common::{Server, assert_error, call, client, databases, engine, sandbox_config, stub, workspace_config};
use flowsmith_server::auth::Role;
use flowsmith_server::config::{Mode, Secret};
use flowsmith_server::connections::{channel_keys, key};
use flowsmith_server::proxy::asset::AssetPolicy;
use flowsmith_server::workspace::store::Store;
use flowsmith_server::{ServeConfig, Settings};
use serde_json::{Value, json};

const PASSWORD: &str = "a long enough password";
const PARTNER_KEY: &str = "pk_partner_3e8c1d7a0b";
const CHANNEL_KEY: &str = "d360_channel_7f3a9c2e5b";
/// A key the stub refuses, as 360dialog refuses a revoked one.
const REVOKED_KEY: &str = "d360_revoked_0c4f6a1e8d";
const TEST_PHONE: &str = "+15550001111";

/// Every log line of this test binary (trace level).
static LOGS: Mutex<Vec<u8>> = Mutex::new(Vec::new());

struct LogSink;

impl std::io::Write for LogSink {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        LOGS.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn log_everything() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let subscriber = tracing_subscriber::fmt().with_ansi(false).with_writer(|| LogSink);
        subscriber.with_max_level(tracing::Level::TRACE).init();
    });
}

/// What the messaging stub was sent: (`D360-API-KEY`, body).
type Sent = Arc<Mutex<Vec<(String, Value)>>>;

/// 360dialog's messaging API as the tests need it: refuses the revoked key (401), three phones
/// as WhatsApp refuses them, and answers the Cloud API's answer otherwise.
async fn messaging(State(sent): State<Sent>, headers: HeaderMap, body: axum::body::Bytes) -> Response {
    let key = headers.get("d360-api-key").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    let body: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    let to = body["to"].as_str().unwrap_or_default().to_owned();
    let count = {
        let mut sent = sent.lock().unwrap();
        sent.push((key.clone(), body));
        sent.len()
    };
    let answer = |status: StatusCode, value: Value| {
        (status, [("content-type", "application/json")], value.to_string()).into_response()
    };
    if key == REVOKED_KEY {
        return answer(
            StatusCode::UNAUTHORIZED,
            json!({"meta": {"success": false, "http_code": 401, "developer_message": "Invalid api_key"}}),
        );
    }
    match to.as_str() {
        "+447700900001" => answer(
            StatusCode::BAD_REQUEST,
            json!({"error": {"message": "(#131026) Message undeliverable", "code": 131026}}),
        ),
        "+447700900002" => answer(
            StatusCode::BAD_REQUEST,
            json!({"meta": {"success": false, "http_code": 400, "developer_message": "Invalid payload",
                "error": "{\"error\":{\"message\":\"Re-engagement message\",\"code\":131047}}"}}),
        ),
        "+447700900003" => answer(
            StatusCode::BAD_REQUEST,
            json!({"error": {"message": "(#131009) Parameter value is not valid", "code": 131009,
                "error_data": {"details": "Flow with id 1 not found"}}}),
        ),
        _ => answer(
            StatusCode::OK,
            json!({"messaging_product": "whatsapp", "contacts": [{"input": to, "wa_id": to.trim_start_matches('+')}],
                "messages": [{"id": format!("wamid.D360-{count}")}]}),
        ),
    }
}

/// The second server whose sandbox stands in for 360dialog's Partner API.
async fn partner_api() -> Server {
    let mut config = sandbox_config("channel-partner");
    config.sandbox_api_key = Secret::new(PARTNER_KEY);
    common::start(config).await
}

/// A server in 360dialog mode against `partner` and the messaging stub at `messaging_url`.
fn dialog360_config(
    name: &str,
    database: &Option<String>,
    partner: &Server,
    messaging_url: &str,
) -> ServeConfig {
    let mut config = workspace_config(name, database);
    config.mode = Some(Mode::Dialog360);
    config.partner_api_key = Some(Secret::new(PARTNER_KEY));
    config.partner_id = Some(common::PARTNER.to_owned());
    config.upstream_url = format!("{}/sandbox", partner.url);
    config.dialog360_messaging_url = messaging_url.to_owned();
    config
}

fn assert_no_key(text: &str, what: &str) {
    for key in [CHANNEL_KEY, REVOKED_KEY] {
        assert!(!text.contains(key), "{key} in {what}: {text}");
    }
}

/// A flow whose first screen takes a `city_hint`.
fn survey() -> Value {
    json!({"version": "7.2", "screens": [{"id": "SURVEY", "title": "Survey", "terminal": true,
        "data": {"city_hint": {"type": "string", "__example__": "Paris"}},
        "layout": {"type": "SingleColumnLayout", "children": [
            {"type": "TextInput", "name": "city", "label": "City"},
            {"type": "Footer", "label": "Send", "on-click-action": {"name": "complete",
                "payload": {"city": "${form.city}"}}}]}}]})
}

fn message(flow: &str, to: &str) -> Value {
    json!({"flow_id": flow, "to": to, "body": "Tell us where you are", "cta": "Open", "flow_token": "T-9",
        "action": "navigate", "screen": "SURVEY", "data": {"city_hint": "Lyon"}, "mode": "draft"})
}

#[tokio::test]
async fn a_360dialog_account_sends_with_the_channel_key_its_admin_stored() {
    log_everything();
    let partner = partner_api().await;
    let sent = Sent::default();
    let (stub_url, _, _stub) =
        stub(Router::new().route("/messages", axum::routing::post(messaging)).with_state(sent.clone())).await;
    for database in databases("channel_keys").await {
        sent.lock().unwrap().clear();
        let on = engine(&database);
        let config = dialog360_config("channel-send", &database, &partner, &format!("{stub_url}/messages"));
        let server =
            common::start_with(config.clone(), Some(AssetPolicy::local_for_tests(&["127.0.0.1"]))).await;
        for role in [Role::Viewer, Role::Editor, Role::Admin] {
            server.state.auth().add_user(role.as_str(), role, PASSWORD).await.unwrap();
        }
        let admin = common::session_cookie(&server, "admin", PASSWORD).await;
        let editor = common::session_cookie(&server, "editor", PASSWORD).await;
        let viewer = common::session_cookie(&server, "viewer", PASSWORD).await;

        let (status, accounts, text) = call(&server, "GET", "/api/accounts", &admin, None).await;
        assert_eq!(status, 200, "{on}: {text}");
        let account = accounts["data"][0].clone();
        assert_eq!(account["backend"], "360dialog", "{on}: {account}");
        let account = account["id"].as_str().unwrap().to_owned();
        let key_path = format!("/api/accounts/{account}/channel_key");
        let create =
            json!({"account_id": account, "name": format!("Survey on {on}"), "json_definition": survey()});
        let (status, created, text) = call(&server, "POST", "/api/flows", &editor, Some(create)).await;
        assert_eq!(status, 201, "{on}: {text}");
        let flow = created["data"]["id"].as_str().unwrap().to_owned();
        let (status, saved, text) =
            call(&server, "POST", &format!("/api/flows/{flow}/save-to-meta"), &editor, None).await;
        assert_eq!(status, 200, "{on}: {text}");
        let meta_flow_id = saved["data"]["meta_flow_id"].as_str().unwrap().to_owned();

        // No key yet: refused, saying what to do; nothing reaches 360dialog.
        let (status, body, _) =
            call(&server, "POST", "/api/messages", &editor, Some(message(&flow, TEST_PHONE))).await;
        let words = assert_error(status, &body, 409, "account_cannot_do_this");
        assert!(words.contains("no channel API key") && words.contains("channel_key"), "{on}: {words}");
        assert!(sent.lock().unwrap().is_empty(), "{on}");

        // Only admins see or change the key.
        let (status, body, _) = call(&server, "GET", &key_path, &admin, None).await;
        assert_eq!((status, &body["data"]["present"]), (200, &json!(false)), "{on}: {body}");
        for (cookie, method) in [(&viewer, "GET"), (&editor, "PUT"), (&editor, "DELETE")] {
            let (status, body, _) =
                call(&server, method, &key_path, cookie, Some(json!({"api_key": CHANNEL_KEY}))).await;
            assert_error(status, &body, 403, "forbidden");
        }
        let (status, body, text) =
            call(&server, "PUT", &key_path, &admin, Some(json!({"api_key": "short k"}))).await;
        assert_error(status, &body, 400, "invalid_request");
        assert!(!text.contains("short k"), "{on}: {text}");

        // Stored: shown by its last four characters only.
        let (status, body, text) =
            call(&server, "PUT", &key_path, &admin, Some(json!({"api_key": CHANNEL_KEY}))).await;
        assert_eq!(status, 200, "{on}: {text}");
        assert_no_key(&text, "the PUT's answer");
        assert_eq!(
            (&body["data"]["api_key_last4"], &body["data"]["set_by"]),
            (&json!("2e5b"), &json!("admin")),
            "{on}"
        );
        let (status, body, text) = call(&server, "GET", &key_path, &admin, None).await;
        assert_eq!(
            (status, &body["data"]["present"], &body["data"]["api_key_last4"]),
            (200, &json!(true), &json!("2e5b")),
            "{on}: {text}"
        );
        assert_no_key(&text, "the GET's answer");

        // Sent with the key, as the Cloud API's body.
        let (status, body, text) =
            call(&server, "POST", "/api/messages", &editor, Some(message(&flow, TEST_PHONE))).await;
        assert_eq!(status, 201, "{on}: {text}");
        assert_eq!(body["data"]["message_id"], "wamid.D360-1", "{on}");
        assert_no_key(&text, "the send's answer");
        {
            let sent = sent.lock().unwrap();
            let (key, message) = &sent[0];
            assert_eq!(key, CHANNEL_KEY, "{on}");
            assert_eq!(
                (&message["messaging_product"], &message["to"]),
                (&json!("whatsapp"), &json!(TEST_PHONE)),
                "{on}"
            );
            let parameters = &message["interactive"]["action"]["parameters"];
            assert_eq!(
                (&parameters["flow_id"], &parameters["mode"]),
                (&json!(meta_flow_id), &json!("draft")),
                "{on}"
            );
        }

        // Refusals in plain words, with Meta's code.
        for (to, code, words) in [
            ("+447700900001", 131026, "not on WhatsApp"),
            ("+447700900002", 131047, "24 hours"),
            ("+447700900003", 131009, "does not know this flow"),
        ] {
            let (status, body, text) =
                call(&server, "POST", "/api/messages", &editor, Some(message(&flow, to))).await;
            let said = assert_error(status, &body, 422, "whatsapp_refused");
            assert!(said.contains(words), "{on}: {to}: {said}");
            assert_eq!(body["error"]["meta_code"], code, "{on}: {text}");
        }

        // A revoked key: said as such, and which key to replace.
        let (status, _, text) =
            call(&server, "PUT", &key_path, &admin, Some(json!({"api_key": REVOKED_KEY}))).await;
        assert_eq!(status, 200, "{on}: {text}");
        let (status, body, text) =
            call(&server, "POST", "/api/messages", &editor, Some(message(&flow, TEST_PHONE))).await;
        let said = assert_error(status, &body, 502, "whatsapp_credential_refused");
        assert!(said.contains("channel API key"), "{on}: {said}");
        assert_no_key(&text, "a refusal");
        assert_eq!(sent.lock().unwrap().last().unwrap().0, REVOKED_KEY, "{on}");

        // Sealed at rest under the server key, for this account only.
        let settings = Settings::from_config(&config).unwrap();
        let store = Store::open(&settings.workspace).await.unwrap();
        let stored = {
            let mut connection = store.pool().acquire().await.unwrap();
            channel_keys::all_sealed(&mut connection).await.unwrap()
        };
        let (server_key, _) = key::load(&config.data_dir, None).unwrap();
        assert_eq!(stored.len(), 1, "{on}");
        assert_no_key(&stored[0].1.text, "the database");
        assert_eq!(
            server_key.open(&format!("channel_key:{account}"), &stored[0].1).unwrap().expose(),
            REVOKED_KEY
        );
        assert!(server_key.open("channel_key:another", &stored[0].1).is_err(), "{on}");

        // Removed: gone, and sending is refused again.
        let (status, _, text) = call(&server, "DELETE", &key_path, &admin, None).await;
        assert_eq!(status, 200, "{on}: {text}");
        let (status, body, _) = call(&server, "DELETE", &key_path, &admin, None).await;
        assert_error(status, &body, 404, "not_found");
        let (_, body, _) = call(&server, "GET", &key_path, &admin, None).await;
        assert_eq!(body["data"]["present"], false, "{on}");
        let (status, body, _) =
            call(&server, "POST", "/api/messages", &editor, Some(message(&flow, TEST_PHONE))).await;
        assert_error(status, &body, 409, "account_cannot_do_this");

        // The audit log names the changes by the last four characters only.
        let (status, log, text) = call(&server, "GET", "/api/audit?limit=100", &admin, None).await;
        assert_eq!(status, 200, "{on}: {text}");
        assert_no_key(&text, "the audit log");
        let actions: Vec<(&str, &str)> = log["data"]["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|entry| entry["action"].as_str().is_some_and(|a| a.starts_with("channel_key")))
            .map(|entry| (entry["action"].as_str().unwrap(), entry["detail"].as_str().unwrap_or_default()))
            .collect();
        assert!(actions.contains(&("channel_key_set", "200 channel key …2e5b")), "{on}: {actions:?}");
        assert!(actions.contains(&("channel_key_remove", "200 channel key …1e8d")), "{on}: {actions:?}");
    }
    let logs = String::from_utf8_lossy(&LOGS.lock().unwrap()).into_owned();
    assert!(logs.contains("request"), "nothing was logged");
    assert_no_key(&logs, "the logs");
}

#[tokio::test]
async fn only_360dialog_accounts_take_a_channel_key() {
    let server = common::start(sandbox_config("channel-sandbox")).await;
    let (status, accounts) =
        common::json(client().get(server.at("/api/accounts")).send().await.unwrap()).await;
    assert_eq!(status, 200, "{accounts}");
    let account = accounts["data"][0]["id"].as_str().unwrap();
    let path = format!("/api/accounts/{account}/channel_key");
    let (status, body) = common::json(
        client().put(server.at(&path)).json(&json!({"api_key": CHANNEL_KEY})).send().await.unwrap(),
    )
    .await;
    let words = assert_error(status, &body, 409, "account_cannot_do_this");
    assert!(words.contains("only 360dialog accounts"), "{words}");
    let (status, body) =
        common::json(client().get(server.at("/api/accounts/nobody/channel_key")).send().await.unwrap()).await;
    assert_error(status, &body, 404, "not_found");
}
