//! Shared by the integration tests: a real `flowsmith serve` on 127.0.0.1:0 with its own app
//! and data folders, a stub upstream on 127.0.0.1:0, and a plain HTTP client.
#![allow(dead_code)]

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

use axum::Router;
use flowsmith_server::{AppState, ServeConfig, Settings, app, bind};
use serde_json::Value;

pub const PARTNER: &str = "sandboxPA";
pub const WABA1: &str = "sandbox1WA";
pub const WABA2: &str = "sandbox2WA";
pub const KEY: &str = "sandbox";

/// A fresh folder under the system's temp folder, unique per test and run.
pub fn temp_dir(name: &str) -> PathBuf {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let unique = COUNTER.fetch_add(1, Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("flowsmith-test-{name}-{}-{unique}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// An app folder with an index.html (with an inline script, as Trunk writes) and one file.
pub fn app_dir(name: &str) -> PathBuf {
    let dir = temp_dir(&format!("{name}-app"));
    std::fs::write(
        dir.join("index.html"),
        "<!doctype html><title>Flowsmith</title><script type=\"module\">import init from '/app.js';</script>",
    )
    .unwrap();
    std::fs::write(dir.join("app.js"), "export {}").unwrap();
    dir
}

/// Sandbox mode on a free port with fresh folders.
pub fn sandbox_config(name: &str) -> ServeConfig {
    let mut config = ServeConfig::new(app_dir(name));
    config.port = 0;
    config.bind = IpAddr::V4(Ipv4Addr::LOCALHOST);
    config.data_dir = temp_dir(&format!("{name}-data"));
    config
}

/// A running server.
pub struct Server {
    pub url: String,
    pub state: AppState,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Server {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Server {
    /// A server already started by the caller.
    pub fn from_parts(url: String, state: AppState, task: tokio::task::JoinHandle<()>) -> Server {
        Server { url, state, task }
    }

    /// `{url}{path}`.
    pub fn at(&self, path: &str) -> String {
        format!("{}{path}", self.url)
    }

    /// The sandbox API path of a flows operation under the default partner.
    pub fn flows(&self, waba: &str, rest: &str) -> String {
        self.at(&format!("/api/v2/partners/{PARTNER}/waba_accounts/{waba}/flows{rest}"))
    }

    /// The same under `/sandbox` (the key-checked surface).
    pub fn sandbox_flows(&self, waba: &str, rest: &str) -> String {
        self.at(&format!("/sandbox/api/v2/partners/{PARTNER}/waba_accounts/{waba}/flows{rest}"))
    }
}

/// Starts `config` on its port (0: a free one).
pub async fn start(config: ServeConfig) -> Server {
    start_with(config, None).await
}

/// Starts `config`, fetching asset links under `policy` when given.
pub async fn start_with(
    config: ServeConfig,
    policy: Option<flowsmith_server::proxy::asset::AssetPolicy>,
) -> Server {
    let settings = Settings::from_config(&config).unwrap();
    let listener = bind(&settings).await.unwrap();
    let address = listener.local_addr().unwrap();
    let state = match policy {
        Some(policy) => AppState::with_asset_policy(settings, address, policy).await.unwrap(),
        None => AppState::new(settings, address).await.unwrap(),
    };
    let router = app(state.clone());
    let task = tokio::spawn(async move {
        axum::serve(listener, axum::ServiceExt::<axum::extract::Request>::into_make_service(router))
            .await
            .unwrap();
    });
    Server { url: format!("http://{address}"), state, task }
}

/// Starts `settings` with the peer's address known (as `flowsmith serve` does: the guard
/// needs it for failed sign-ins per address and for trusted proxies).
pub async fn start_connected(settings: Settings) -> Server {
    let listener = bind(&settings).await.unwrap();
    let address = listener.local_addr().unwrap();
    let state = AppState::new(settings, address).await.unwrap();
    let router = app(state.clone());
    let task = tokio::spawn(async move {
        axum::serve(
            listener,
            axum::ServiceExt::<axum::extract::Request>::into_make_service_with_connect_info::<SocketAddr>(
                router,
            ),
        )
        .await
        .unwrap();
    });
    Server { url: format!("http://{address}"), state, task }
}

/// A stub upstream: `router` on a free loopback port; returns its base URL and task.
pub async fn stub(router: Router) -> (String, SocketAddr, tokio::task::JoinHandle<()>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let task = tokio::spawn(async move {
        axum::serve(listener, axum::ServiceExt::<axum::extract::Request>::into_make_service(router))
            .await
            .unwrap();
    });
    (format!("http://{address}"), address, task)
}

/// A client that never follows redirects and has no proxy.
pub fn client() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).no_proxy().build().unwrap()
}

/// Status and JSON body.
pub async fn json(response: reqwest::Response) -> (u16, Value) {
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    let value = serde_json::from_str(&text).unwrap_or_else(|_| panic!("not JSON ({status}): {text}"));
    (status, value)
}

/// Sends `method path` with `cookie` (may be empty) and a JSON body; answers the status, the
/// body (`null` when not JSON) and its text.
pub async fn call(
    server: &Server,
    method: &str,
    path: &str,
    cookie: &str,
    body: Option<Value>,
) -> (u16, Value, String) {
    let mut request = client().request(method.parse().unwrap(), server.at(path)).header("cookie", cookie);
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    let value = serde_json::from_str(&text).unwrap_or(Value::Null);
    (status, value, text)
}

/// Asserts the 360dialog error envelope with `status`, and returns its developer_message.
pub fn assert_envelope(status: u16, body: &Value, expected: u16) -> String {
    assert_eq!(status, expected, "{body}");
    let meta = &body["meta"];
    assert_eq!(meta["success"], false, "{body}");
    assert_eq!(meta["http_code"], expected, "{body}");
    assert!(meta["360dialog_trace_id"].as_str().is_some_and(|id| !id.is_empty()), "{body}");
    meta["developer_message"].as_str().unwrap_or_else(|| panic!("no developer_message: {body}")).to_owned()
}

/// A multipart upload of `file` as flow.json.
pub fn flow_json_form(file: Vec<u8>) -> reqwest::multipart::Form {
    reqwest::multipart::Form::new()
        .part(
            "file",
            reqwest::multipart::Part::bytes(file)
                .file_name("flow.json")
                .mime_str("application/json")
                .unwrap(),
        )
        .text("name", "flow.json")
        .text("asset_type", "FLOW_JSON")
}

/// The workspace databases a test runs on: a SQLite file in the data folder (`None`) always,
/// and a fresh PostgreSQL database (`Some(url)`) when `cargo xtask test` started a server
/// (`FLOWSMITH_TEST_POSTGRES`). With `FLOWSMITH_REQUIRE_POSTGRES=1` (as the xtask sets), a
/// missing server fails the test instead of leaving PostgreSQL untested.
pub async fn databases(name: &str) -> Vec<Option<String>> {
    let mut all = vec![None];
    match postgres_database(name).await {
        Some(url) => all.push(Some(url)),
        None => eprintln!(
            "{name}: PostgreSQL not tested (set FLOWSMITH_TEST_POSTGRES, or run `cargo xtask test`)"
        ),
    }
    all
}

/// A fresh, empty PostgreSQL database of the test server, when there is one.
pub async fn postgres_database(name: &str) -> Option<String> {
    use sqlx::Connection as _;
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let Ok(admin) = std::env::var("FLOWSMITH_TEST_POSTGRES") else {
        assert!(
            std::env::var("FLOWSMITH_REQUIRE_POSTGRES").as_deref() != Ok("1"),
            "FLOWSMITH_REQUIRE_POSTGRES=1 but FLOWSMITH_TEST_POSTGRES is not set"
        );
        return None;
    };
    let unique = COUNTER.fetch_add(1, Ordering::Relaxed);
    let database: String = format!("t_{name}_{}_{unique}", std::process::id())
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '_' })
        .collect();
    let mut connection = sqlx::PgConnection::connect(&admin).await.expect("the test PostgreSQL server");
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!("DROP DATABASE IF EXISTS {database}")))
        .execute(&mut connection)
        .await
        .unwrap();
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE DATABASE {database}")))
        .execute(&mut connection)
        .await
        .unwrap();
    let base = admin.rsplit_once('/').map_or(admin.as_str(), |(base, _)| base).to_owned();
    Some(format!("{base}/{database}"))
}

/// Sandbox mode with the workspace in `database` (see [`databases`]).
pub fn workspace_config(name: &str, database: &Option<String>) -> ServeConfig {
    let mut config = sandbox_config(name);
    config.database_url = database.as_ref().map(|url| url.parse().unwrap());
    config
}

/// Which engine a database of [`databases`] is, for messages.
pub fn engine(database: &Option<String>) -> &'static str {
    if database.is_some() { "postgres" } else { "sqlite" }
}

/// Asserts the workspace's error envelope with `status` and `code`; returns the message.
pub fn assert_error(status: u16, body: &Value, expected: u16, code: &str) -> String {
    assert_eq!(status, expected, "{body}");
    assert_eq!(body["status"], "error", "{body}");
    assert_eq!(body["error"]["code"], code, "{body}");
    assert!(body["error"]["trace_id"].as_str().is_some_and(|id| !id.is_empty()), "{body}");
    body["error"]["message"].as_str().unwrap_or_else(|| panic!("no message: {body}")).to_owned()
}

/// Signs `name` in with `password`; answers the session cookie (`name=value`).
pub async fn session_cookie(server: &Server, name: &str, password: &str) -> String {
    let response = client()
        .post(server.at("/api/session"))
        .json(&serde_json::json!({"username": name, "password": password}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200, "{name} signs in");
    let cookie = response.headers()["set-cookie"].to_str().unwrap();
    cookie.split(';').next().unwrap().to_owned()
}

/// Creates flow `name` of `flow_json` in the workspace's first account: (account id, flow id).
pub async fn create_in_first_account(server: &Server, name: &str, flow_json: Value) -> (String, String) {
    let (status, accounts) = json(client().get(server.at("/api/accounts")).send().await.unwrap()).await;
    assert_eq!(status, 200, "{accounts}");
    let account = accounts["data"][0]["id"].as_str().unwrap().to_owned();
    let create = serde_json::json!({"account_id": account, "name": name, "json_definition": flow_json});
    let (status, created) =
        json(client().post(server.at("/api/flows")).json(&create).send().await.unwrap()).await;
    assert_eq!(status, 201, "{created}");
    (account, created["data"]["id"].as_str().unwrap().to_owned())
}
