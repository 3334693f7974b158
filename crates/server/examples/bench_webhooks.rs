//! Times WhatsApp's webhook deliveries and the responses page (issue 20's budgets; figures in
//! BENCHMARKS.md): `cargo run -p flowsmith-server --example bench_webhooks [DATABASE_URL]`,
//! on a fresh SQLite workspace in a temporary folder, or the PostgreSQL database given.
//!
//! - deliveries: 5,000 signed `nfm_reply` deliveries to `/webhooks/whatsapp` over HTTP, from
//!   32 connections at once, as fast as they are answered; then 1,000 a second for 5 s,
//!   paced. Each is checked to be answered 200 and, at the end, recorded (no loss);
//! - the responses page: 100,000 responses of one flow (and 20,000 of another), then
//!   `GET /api/flows/{id}/responses?limit=50` for the first, a middle and the last page and a
//!   one-day filter, 50 times each one after the other (client time on loopback: an upper
//!   bound of server time).
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use flowsmith_server::config::Secret;
use flowsmith_server::messages::store::{FlowResponse, SentMessage, insert_response};
use flowsmith_server::messages::webhook::{SIGNATURE_HEADER, sign};
use flowsmith_server::{AppState, ServeConfig, Settings, app, bind};
use serde_json::json;
use sqlx::Row as _;

const APP_SECRET: &str = "bench app secret";
const BURST: usize = 5_000;
const CONNECTIONS: usize = 32;
const WARM_UP: usize = 50;
const PACED_RATE: usize = 1_000;
const PACED_SECONDS: usize = 5;
const RESPONSES: usize = 100_000;
const OTHER_RESPONSES: usize = 20_000;
const DAY: i64 = 86_400_000;
const START: i64 = 1_796_515_200_000; // 2026-12-06T00:00:00Z

fn summary(name: &str, mut times: Vec<Duration>) {
    times.sort();
    let at = |share: f64| times[((times.len() as f64 * share) as usize).min(times.len() - 1)];
    println!(
        "{name}: n={} p50={:.2} ms p99={:.2} ms max={:.2} ms",
        times.len(),
        at(0.5).as_secs_f64() * 1000.0,
        at(0.99).as_secs_f64() * 1000.0,
        times[times.len() - 1].as_secs_f64() * 1000.0
    );
}

/// One delivery of a completed flow answering the sent message `n % 100`.
fn delivery(n: usize) -> Vec<u8> {
    let response =
        json!({"flow_token": format!("token-{}", n % 100), "rating": "5", "comment": "Quick and kind"});
    json!({"object": "whatsapp_business_account", "entry": [{"id": "WABA", "changes": [{"field": "messages",
        "value": {"messaging_product": "whatsapp", "messages": [{"from": "447700900123", "id": format!("wamid.IN{n}"),
            "timestamp": "1796515200", "type": "interactive", "context": {"id": format!("wamid.OUT{}", n % 100)},
            "interactive": {"type": "nfm_reply", "nfm_reply": {"name": "flow", "body": "Sent",
                "response_json": response.to_string()}}}]}}]}]})
    .to_string()
    .into_bytes()
}

async fn post(client: &reqwest::Client, url: &str, n: usize) -> Duration {
    let body = delivery(n);
    let signature = sign(APP_SECRET, &body);
    let started = Instant::now();
    let response = client
        .post(url)
        .header("content-type", "application/json")
        .header(SIGNATURE_HEADER, signature)
        .body(body)
        .send()
        .await
        .expect("answer");
    let status = response.status();
    response.bytes().await.expect("body");
    assert_eq!(status, 200, "delivery {n}");
    started.elapsed()
}

async fn count(state: &AppState) -> i64 {
    sqlx::query("SELECT COUNT(*) FROM flow_responses WHERE message_id LIKE 'wamid.IN%'")
        .fetch_one(state.workspace().store().pool())
        .await
        .expect("count")
        .get(0)
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let root = std::env::temp_dir().join(format!("flowsmith-bench-webhooks-{}", std::process::id()));
    let app_dir = root.join("app");
    std::fs::create_dir_all(&app_dir).expect("a temporary folder");
    std::fs::write(app_dir.join("index.html"), "<!doctype html><title>bench</title>").expect("index.html");
    let mut config = ServeConfig::new(&app_dir);
    config.port = 0;
    config.data_dir = root.join("data");
    config.app_secret = Some(Secret::new(APP_SECRET));
    if let Some(url) = std::env::args().nth(1) {
        config.database_url = Some(url.parse().expect("a database URL"));
    }
    let settings = Settings::from_config(&config).expect("settings");
    let listener = bind(&settings).await.expect("bind");
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
        .expect("serve");
    });
    let base = format!("http://{address}");
    let client =
        reqwest::Client::builder().no_proxy().pool_max_idle_per_host(CONNECTIONS).build().expect("client");
    println!("engine: {}", state.workspace().store().engine().as_str());

    // A flow and 100 messages sent of it, which the replies answer.
    let accounts: serde_json::Value = client
        .get(format!("{base}/api/accounts"))
        .send()
        .await
        .expect("accounts")
        .json()
        .await
        .expect("JSON");
    let account = accounts["data"][0]["id"].as_str().expect("an account").to_owned();
    let mut flows = Vec::new();
    for name in ["Survey", "Other"] {
        let create = json!({"account_id": account, "name": name,
            "json_definition": flow_model::templates::APPOINTMENT_BOOKING.parse::<serde_json::Value>().expect("template")});
        let created: serde_json::Value = client
            .post(format!("{base}/api/flows"))
            .json(&create)
            .send()
            .await
            .expect("create")
            .json()
            .await
            .expect("JSON");
        flows.push(created["data"]["id"].as_str().expect("a flow id").to_owned());
    }
    for n in 0..100 {
        let sent = SentMessage {
            id: format!("sent-{n}"),
            flow_id: flows[0].clone(),
            account_id: account.clone(),
            to_phone: "447700900123".to_owned(),
            flow_token: Some(format!("token-{n}")),
            message_id: Some(format!("wamid.OUT{n}")),
            mode: "published".to_owned(),
            sent_by: "bench".to_owned(),
            sent_at: START,
            status: "accepted".to_owned(),
            status_at: START,
            status_detail: None,
        };
        state.messages().record_sent(&sent).await.expect("sent");
    }

    // Deliveries as fast as they are answered, from 32 connections.
    let url = Arc::new(format!("{base}/webhooks/whatsapp"));
    for n in 0..WARM_UP {
        post(&client, &url, 1_000_000 + n).await; // not timed
    }
    let started = Instant::now();
    let mut tasks = Vec::new();
    for worker in 0..CONNECTIONS {
        let (client, url) = (client.clone(), Arc::clone(&url));
        tasks.push(tokio::spawn(async move {
            let mut times = Vec::new();
            for n in (worker..BURST).step_by(CONNECTIONS) {
                times.push(post(&client, &url, n).await);
            }
            times
        }));
    }
    let mut times = Vec::new();
    for task in tasks {
        times.extend(task.await.expect("worker"));
    }
    let elapsed = started.elapsed();
    println!(
        "burst: {BURST} deliveries from {CONNECTIONS} connections in {:.2} s = {:.0} deliveries/s",
        elapsed.as_secs_f64(),
        BURST as f64 / elapsed.as_secs_f64()
    );
    summary("burst latency", times);

    // 1,000 a second, paced, for 5 s.
    let total = PACED_RATE * PACED_SECONDS;
    let started = Instant::now();
    let mut tasks = Vec::new();
    for i in 0..total {
        let due = started + Duration::from_secs_f64(i as f64 / PACED_RATE as f64);
        tokio::time::sleep_until(due.into()).await;
        let (client, url) = (client.clone(), Arc::clone(&url));
        tasks.push(tokio::spawn(async move { post(&client, &url, BURST + i).await }));
    }
    let mut times = Vec::new();
    for task in tasks {
        times.push(task.await.expect("delivery"));
    }
    let elapsed = started.elapsed();
    println!(
        "paced: {total} deliveries at {PACED_RATE}/s answered within {:.2} s ({:.0} deliveries/s)",
        elapsed.as_secs_f64(),
        total as f64 / elapsed.as_secs_f64()
    );
    summary("paced latency", times);
    let sent = (WARM_UP + BURST + total) as i64;
    let recorded = count(&state).await;
    println!("recorded: {recorded} of {sent} (lost: {})", sent - recorded);
    assert_eq!(recorded, sent, "deliveries lost");

    // 100,000 responses of the survey (over 20 days), 20,000 of another flow.
    let mut connection = state.workspace().store().pool().acquire().await.expect("connection");
    let fill = Instant::now();
    for (flow, how_many) in [(&flows[0], RESPONSES), (&flows[1], OTHER_RESPONSES)] {
        for chunk in (0..how_many).collect::<Vec<_>>().chunks(5_000) {
            let mut transaction = sqlx::Connection::begin(&mut *connection).await.expect("transaction");
            for n in chunk {
                let response = FlowResponse {
                    id: format!("{flow}-{n:06}"),
                    message_id: format!("wamid.FILL-{flow}-{n}"),
                    flow_id: Some(flow.clone()),
                    account_id: Some(account.clone()),
                    sent_message_id: None,
                    phone: format!("4477009{n:05}"),
                    flow_token: Some("token".to_owned()),
                    response_json: json!({"flow_token": "token", "rating": (n % 5 + 1).to_string(),
                        "comment": "Quick and kind", "email": format!("person{n}@example.com")})
                    .to_string(),
                    replied_at: None,
                    received_at: START + (*n as i64) * (20 * DAY / how_many as i64),
                };
                insert_response(&mut transaction, &response).await.expect("insert");
            }
            transaction.commit().await.expect("commit");
        }
    }
    drop(connection);
    println!("filled {} responses in {:.1} s", RESPONSES + OTHER_RESPONSES, fill.elapsed().as_secs_f64());
    if state.workspace().store().engine().as_str() == "postgres" {
        sqlx::raw_sql("VACUUM ANALYZE flow_responses")
            .execute(state.workspace().store().pool())
            .await
            .expect("analyze");
    } else {
        sqlx::raw_sql("ANALYZE").execute(state.workspace().store().pool()).await.expect("analyze");
    }
    let survey = &flows[0];
    let first: serde_json::Value = client
        .get(format!("{base}/api/flows/{survey}/responses?limit=50"))
        .send()
        .await
        .expect("page")
        .json()
        .await
        .expect("JSON");
    let matching = first["data"]["total"].as_i64().expect("total");
    println!("responses of the flow: {matching}");
    let pages = (matching + 49) / 50;
    for (name, query) in [
        ("first page", "limit=50".to_owned()),
        ("middle page", format!("limit=50&page={}", pages / 2)),
        ("last page", format!("limit=50&page={pages}")),
        ("one day, first page", format!("limit=50&from={}&to={}", START + 5 * DAY, START + 6 * DAY)),
    ] {
        let page_url = format!("{base}/api/flows/{survey}/responses?{query}");
        let mut times = Vec::new();
        for _ in 0..60 {
            let started = Instant::now();
            let response = client.get(&page_url).send().await.expect("page");
            assert_eq!(response.status(), 200);
            let body: serde_json::Value = response.json().await.expect("JSON");
            times.push(started.elapsed());
            assert!(body["data"]["items"].as_array().is_some_and(|items| !items.is_empty()), "{name}");
        }
        summary(&format!("responses page, {name}"), times.split_off(10));
    }
    let _ = std::fs::remove_dir_all(&root);
}
