//! Times sign-in and the session check (`cargo run --release -p flowsmith-server --example
//! bench_auth [DATABASE_URL]`; figures in BENCHMARKS.md). On a fresh SQLite workspace in a
//! temporary folder, or the PostgreSQL database given:
//! - Argon2id: hashing and verifying one password, each 20 times;
//! - `POST /api/session` over HTTP, 20 sign-ins one after the other;
//! - the session check alone (`Auth::session`, what the guard does per request), 5,000 times,
//!   and the same reading the database each time (no cache);
//! - `GET /flowsmith/config` over HTTP, 5,000 times one after the other, with no user (no
//!   check) and then signed in: the difference is what a session adds to a request.
mod support;

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use flowsmith_server::auth::{Auth, AuthSettings, Role, password};
use flowsmith_server::{AppState, ServeConfig, Settings, app, bind};
use support::summary;

const PASSWORD: &str = "a long enough password";

async fn timed_gets(
    client: &reqwest::Client,
    url: &str,
    cookie: Option<&str>,
    count: usize,
) -> Vec<Duration> {
    let mut times = Vec::with_capacity(count);
    for _ in 0..count + 200 {
        let mut request = client.get(url);
        if let Some(cookie) = cookie {
            request = request.header("cookie", cookie);
        }
        let started = Instant::now();
        let response = request.send().await.expect("answer");
        assert_eq!(response.status(), 200);
        response.bytes().await.expect("body");
        times.push(started.elapsed());
    }
    times.split_off(200) // the first 200 warm up
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let root = std::env::temp_dir().join(format!("flowsmith-bench-auth-{}", std::process::id()));
    let app_dir = root.join("app");
    std::fs::create_dir_all(&app_dir).expect("a temporary folder");
    std::fs::write(app_dir.join("index.html"), "<!doctype html><title>bench</title>").expect("index.html");
    let mut config = ServeConfig::new(&app_dir);
    config.port = 0;
    config.data_dir = root.join("data");
    config.database_url = std::env::args().nth(1).map(|url| url.parse().expect("a database URL"));

    let hashes: Vec<Duration> = (0..20)
        .map(|_| {
            let started = Instant::now();
            password::hash(PASSWORD).expect("hashed");
            started.elapsed()
        })
        .collect();
    summary("argon2id hash", hashes);
    let stored = password::hash(PASSWORD).expect("hashed");
    let verifies: Vec<Duration> = (0..20)
        .map(|_| {
            let started = Instant::now();
            assert!(password::verify(PASSWORD, &stored));
            started.elapsed()
        })
        .collect();
    summary("argon2id verify", verifies);

    let settings = Settings::from_config(&config).expect("settings");
    let listener = bind(&settings).await.expect("bound");
    let address = listener.local_addr().expect("address");
    let state = AppState::new(settings, address).await.expect("state");
    let router = app(state.clone());
    tokio::spawn(async move {
        axum::serve(
            listener,
            axum::ServiceExt::<axum::extract::Request>::into_make_service_with_connect_info::<SocketAddr>(
                router,
            ),
        )
        .await
        .expect("serving");
    });
    let client = reqwest::Client::builder().no_proxy().build().expect("client");
    let base = format!("http://{address}");
    let config_url = format!("{base}/flowsmith/config");
    let open = timed_gets(&client, &config_url, None, 5000).await;

    // A name of its own: a PostgreSQL database given on the command line may have run before.
    let name = format!("bench-{}", std::process::id());
    state.auth().add_user(&name, Role::Viewer, PASSWORD).await.expect("user");
    let mut sign_ins = Vec::new();
    let mut cookie = String::new();
    for _ in 0..20 {
        let started = Instant::now();
        let response = client
            .post(format!("{base}/api/session"))
            .header("content-type", "application/json")
            .body(format!("{{\"username\":\"{name}\",\"password\":\"{PASSWORD}\"}}"))
            .send()
            .await
            .expect("signed in");
        assert_eq!(response.status(), 200);
        let set_cookie = response.headers()["set-cookie"].to_str().expect("cookie").to_owned();
        response.bytes().await.expect("body");
        sign_ins.push(started.elapsed());
        cookie = set_cookie.split(';').next().expect("pair").to_owned();
    }
    summary("POST /api/session (sign-in)", sign_ins);

    let token = cookie.split_once('=').expect("token").1.to_owned();
    let mut checks = Vec::with_capacity(5000);
    for _ in 0..5200 {
        let started = Instant::now();
        assert!(state.auth().session(&token).await.expect("checked").is_some());
        checks.push(started.elapsed());
    }
    summary("session check (Auth::session), as the guard does it", checks.split_off(200));
    // The same check reading the database every time (as after each 2 s of a session's use).
    let uncached = Auth::new(
        state.workspace().store().clone(),
        AuthSettings { session_cache: Duration::ZERO, ..AuthSettings::default() },
    );
    let mut reads = Vec::with_capacity(5000);
    for _ in 0..5200 {
        let started = Instant::now();
        assert!(uncached.session(&token).await.expect("checked").is_some());
        reads.push(started.elapsed());
    }
    summary("session check reading the database", reads.split_off(200));

    let signed = timed_gets(&client, &config_url, Some(&cookie), 5000).await;
    summary("GET /flowsmith/config, no user", open);
    summary("GET /flowsmith/config, signed in", signed);
    let _ = std::fs::remove_dir_all(&root);
}
