//! 360dialog mode against a stub upstream on 127.0.0.1:0: the key is added and never comes
//! back, only the Partner API operations pass, hop-by-hop headers stop, uploads stream, and
//! upstream failures become 502/504 in the envelope.
mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::extract::Request;
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use common::{Server, app_dir, assert_envelope, client, json, start, stub, temp_dir};
use flowsmith_server::{ServeConfig, config::Secret};
use futures_util::StreamExt as _;

const SECRET: &str = "pk_live_7c1d9e0b4a";

/// What the stub saw of one request.
#[derive(Debug, Clone)]
struct Seen {
    method: String,
    path_and_query: String,
    headers: HeaderMap,
    chunks: usize,
}

type Log = Arc<Mutex<Vec<Seen>>>;

/// A stub that records requests; `/api/v2/partners/p1PA/waba_accounts/echoWA/flows` echoes the key.
fn recording_stub(log: Log) -> Router {
    Router::new().fallback(move |request: Request| {
        let log = Arc::clone(&log);
        async move {
            let (parts, body) = request.into_parts();
            let mut stream = body.into_data_stream();
            let (mut body_len, mut chunks) = (0, 0);
            while let Some(chunk) = stream.next().await {
                let Ok(chunk) = chunk else { break };
                body_len += chunk.len();
                chunks += 1;
            }
            let key = parts.headers.get("x-api-key").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
            log.lock().unwrap().push(Seen {
                method: parts.method.to_string(),
                path_and_query: parts.uri.path_and_query().map(ToString::to_string).unwrap_or_default(),
                headers: parts.headers.clone(),
                chunks,
            });
            let path = parts.uri.path();
            if path.ends_with("/echoWA/flows") {
                let body = format!(r#"{{"flows":[],"count":0,"total":0,"debug":"key {key}"}}"#);
                return ([("x-echo", format!("key={key}")), ("set-cookie", "s=1".to_owned())], body).into_response();
            }
            if path.ends_with("/failWA/flows") {
                return (StatusCode::SERVICE_UNAVAILABLE, "<html>upstream down</html>").into_response();
            }
            if path.ends_with("/slowWA/flows") {
                tokio::time::sleep(Duration::from_secs(30)).await;
            }
            if path.ends_with("/missingWA/flows") {
                let body = r#"{"meta":{"success":false,"http_code":404,"developer_message":"WABA not found","360dialog_trace_id":"T1"}}"#;
                return (StatusCode::NOT_FOUND, [("content-type", "application/json")], body).into_response();
            }
            let mut response =
                ([("content-type", "application/json"), ("connection", "close"), ("keep-alive", "timeout=5")],
                 format!(r#"{{"received":{body_len}}}"#))
                    .into_response();
            response.headers_mut().insert("access-control-allow-origin", "*".parse().unwrap());
            response
        }
    })
}

fn upstream_config(name: &str, upstream: &str) -> ServeConfig {
    let mut config = ServeConfig::new(app_dir(name));
    config.port = 0;
    config.data_dir = temp_dir(&format!("{name}-data"));
    config.upstream_url = upstream.to_owned();
    config.partner_api_key = Some(Secret::new(SECRET));
    config.upstream_timeout = flowsmith_server::config::Seconds(Duration::from_millis(300));
    config
}

async fn proxied(name: &str) -> (Server, Log) {
    let log: Log = Arc::default();
    let (upstream, _, _) = stub(recording_stub(Arc::clone(&log))).await;
    (start(upstream_config(name, &upstream)).await, log)
}

#[tokio::test]
async fn the_key_is_added_and_browser_credentials_stay_behind() {
    let (server, log) = proxied("inject").await;
    let url = server.at("/api/v2/partners/p1PA/waba_accounts/w1WA/flows?fields=id,name&fields=status");
    let response = client()
        .get(url)
        .header("x-api-key", "browser-guess")
        .header("authorization", "Bearer browser")
        .header("cookie", "session=1")
        .header("connection", "keep-alive, x-hop")
        .header("x-hop", "1")
        .header("te", "trailers")
        .send()
        .await
        .unwrap();
    let headers = response.headers().clone();
    let (status, body) = json(response).await;
    assert_eq!((status, body["received"].as_u64()), (200, Some(0)), "{body}");
    assert!(!headers.contains_key("access-control-allow-origin") && !headers.contains_key("keep-alive"));
    let seen = log.lock().unwrap()[0].clone();
    assert_eq!(
        seen.path_and_query,
        "/api/v2/partners/p1PA/waba_accounts/w1WA/flows?fields=id,name&fields=status"
    );
    assert_eq!(seen.headers["x-api-key"], SECRET);
    for stripped in ["authorization", "cookie", "x-hop", "te", "origin"] {
        assert!(!seen.headers.contains_key(stripped), "{stripped} crossed: {:?}", seen.headers);
    }
    assert!(seen.headers.contains_key("x-request-id"));
}

#[tokio::test]
async fn the_key_never_comes_back() {
    let (server, _) = proxied("echo").await;
    let response =
        client().get(server.at("/api/v2/partners/p1PA/waba_accounts/echoWA/flows")).send().await.unwrap();
    let headers = format!("{:?}", response.headers());
    let body = response.text().await.unwrap();
    assert!(!headers.contains(SECRET) && !body.contains(SECRET), "{headers} {body}");
    assert!(body.contains("[redacted]") && !headers.contains("set-cookie"), "{headers} {body}");
    let (_, config) = json(client().get(server.at("/flowsmith/config")).send().await.unwrap()).await;
    assert_eq!(config["mode"], "360dialog");
    assert!(!config.to_string().contains(SECRET));
}

#[tokio::test]
async fn only_the_partner_operations_pass() {
    let (server, log) = proxied("allowlist").await;
    let base = "/api/v2/partners/p1PA";
    for (method, path) in [
        ("GET", format!("{base}/clients")),
        ("POST", format!("{base}/channels/c1/api_keys")),
        ("GET", format!("{base}/waba_accounts/w1WA/templates")),
        ("PUT", format!("{base}/waba_accounts/w1WA/flows/1")),
        ("GET", format!("{base}/waba_accounts/w1WA/flows/1/publish")),
        ("GET", "/api/v2/token".to_owned()),
        ("GET", "/api/v1/whatever".to_owned()),
        ("GET", format!("{base}/waba_accounts/w1WA/flows/..%2F..%2Fclients")),
        ("GET", format!("{base}/waba_accounts/w%20A/flows")),
    ] {
        let request = client().request(method.parse().unwrap(), server.at(&path));
        let (status, body) = json(request.send().await.unwrap()).await;
        assert_envelope(status, &body, 404);
    }
    assert!(log.lock().unwrap().is_empty(), "{:?}", log.lock().unwrap());
    for (method, path) in [
        ("GET", format!("{base}/channels")),
        ("POST", format!("{base}/waba_accounts/w1WA/flows/migrate_flows")),
        ("PATCH", format!("{base}/waba_accounts/w1WA/flows/1")),
        ("DELETE", format!("{base}/waba_accounts/w1WA/flows/1")),
        ("GET", format!("{base}/waba_accounts/w1WA/flows/1/preview?invalidate=true")),
    ] {
        let response = client().request(method.parse().unwrap(), server.at(&path)).send().await.unwrap();
        assert_eq!(response.status(), 200, "{method} {path}");
    }
    assert_eq!(log.lock().unwrap().len(), 5);
}

#[tokio::test]
async fn a_configured_partner_id_fences_the_paths() {
    let log: Log = Arc::default();
    let (upstream, _, _) = stub(recording_stub(Arc::clone(&log))).await;
    let mut config = upstream_config("partner", &upstream);
    config.partner_id = Some("p1PA".to_owned());
    let server = start(config).await;
    let other = server.at("/api/v2/partners/p2PA/waba_accounts/w1WA/flows");
    let (status, body) = json(client().get(other).send().await.unwrap()).await;
    assert_envelope(status, &body, 403);
    assert!(log.lock().unwrap().is_empty());
    let (_, config) = json(client().get(server.at("/flowsmith/config")).send().await.unwrap()).await;
    assert_eq!(config["partner_id"], "p1PA");
}

#[tokio::test]
async fn upstream_errors_pass_and_failures_become_502_or_504() {
    let (server, _) = proxied("failures").await;
    let flows = |waba: &str| server.at(&format!("/api/v2/partners/p1PA/waba_accounts/{waba}/flows"));
    let (status, body) = json(client().get(flows("missingWA")).send().await.unwrap()).await;
    assert_eq!(assert_envelope(status, &body, 404), "WABA not found");
    let (status, body) = json(client().get(flows("failWA")).send().await.unwrap()).await;
    let message = assert_envelope(status, &body, 502);
    assert!(message.contains("HTTP 503") && message.contains("upstream down"), "{message}");
    let (status, body) = json(client().get(flows("slowWA")).send().await.unwrap()).await;
    assert!(assert_envelope(status, &body, 504).contains("300 ms"), "{body}");
}

/// The outermost layer (`layers::Edge`): a request slower than `--request-timeout` is answered
/// 504 in the envelope, under the request's id (also in `x-request-id`) and with the security
/// headers of every answer; a body over the limit is refused with a 413 that a page of an
/// allowed origin can read (the limit sits inside CORS).
#[tokio::test]
async fn the_request_timeout_and_the_body_limit_answer_in_the_envelope_under_the_request_id() {
    const PAGE: &str = "https://crm.example.org";
    let log: Log = Arc::default();
    let (upstream, _, _) = stub(recording_stub(Arc::clone(&log))).await;
    let mut config = upstream_config("edge-timeout", &upstream);
    config.upstream_timeout = flowsmith_server::config::Seconds(Duration::from_secs(20));
    config.request_timeout = flowsmith_server::config::Seconds(Duration::from_millis(400));
    config.cors_origins = vec![PAGE.to_owned()];
    let server = start(config).await;

    let slow = server.at("/api/v2/partners/p1PA/waba_accounts/slowWA/flows");
    let response = client().get(&slow).header("x-request-id", "slow-1").send().await.unwrap();
    let headers = response.headers().clone();
    let (status, body) = json(response).await;
    let message = assert_envelope(status, &body, 504);
    assert!(message.contains("400 ms") && message.contains("longer than"), "{message}");
    assert_eq!(body["meta"]["360dialog_trace_id"], "slow-1", "{body}");
    assert_eq!(headers["x-request-id"], "slow-1");
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(headers["referrer-policy"], "same-origin");
    assert!(headers.contains_key("content-security-policy"));

    let upload = server.at("/api/v2/partners/p1PA/waba_accounts/w1WA/flows/1/assets");
    let (content_type, form) = multipart(12 * 1024 * 1024);
    let response = client()
        .post(&upload)
        .header("origin", PAGE)
        .header("content-type", &content_type)
        .body(form)
        .send()
        .await
        .unwrap();
    let headers = response.headers().clone();
    let (status, body) = json(response).await;
    assert_envelope(status, &body, 413);
    assert_eq!(headers["access-control-allow-origin"], PAGE);
    let id = headers["x-request-id"].to_str().unwrap();
    assert_eq!(body["meta"]["360dialog_trace_id"], id, "{body}");
    assert!(log.lock().unwrap().iter().all(|seen| !seen.path_and_query.ends_with("/assets")));
}

#[tokio::test]
async fn an_unreachable_upstream_is_a_502() {
    // A port that was free a moment ago: nothing listens there.
    let address = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
    let server = start(upstream_config("unreachable", &format!("http://{address}"))).await;
    let url = server.at("/api/v2/partners/p1PA/waba_accounts/w1WA/flows");
    let (status, body) = json(client().get(url).send().await.unwrap()).await;
    let message = assert_envelope(status, &body, 502);
    assert!(message.contains("Cannot reach") && !message.contains(SECRET), "{message}");
}

fn multipart(size: usize) -> (String, Vec<u8>) {
    let boundary = "XflowsmithX";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"flow.json\"\r\n\
         Content-Type: application/json\r\n\r\n"
    )
    .into_bytes();
    body.extend(std::iter::repeat_n(b' ', size));
    body.extend(format!("\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nflow.json\r\n--{boundary}--\r\n").into_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

#[tokio::test]
async fn a_large_multipart_upload_is_streamed_through() {
    let (server, log) = proxied("stream").await;
    let url = server.at("/api/v2/partners/p1PA/waba_accounts/w1WA/flows/1/assets");
    let (content_type, body) = multipart(9 * 1024 * 1024);
    let total = body.len();
    // Sent in 64 KiB chunks without a Content-Length: the proxy must pass it on as it comes.
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> =
        body.chunks(64 * 1024).map(|c| Ok(c.to_vec())).collect();
    let streamed = reqwest::Body::wrap_stream(futures_util::stream::iter(chunks));
    let response =
        client().post(&url).header("content-type", &content_type).body(streamed).send().await.unwrap();
    let (status, answer) = json(response).await;
    assert_eq!((status, answer["received"].as_u64()), (200, Some(total as u64)), "{answer}");
    let seen = log.lock().unwrap()[0].clone();
    assert_eq!(seen.method, "POST");
    assert!(seen.headers["content-type"].to_str().unwrap().starts_with("multipart/form-data; boundary="));
    assert!(seen.chunks > 1, "the upload arrived in one piece: it was buffered");
    // With a Content-Length, the same upload passes too.
    let response =
        client().post(&url).header("content-type", &content_type).body(body.clone()).send().await.unwrap();
    assert_eq!(json(response).await.1["received"].as_u64(), Some(total as u64));
}

#[tokio::test]
async fn oversized_uploads_are_refused_without_reaching_upstream_whole() {
    let (server, log) = proxied("oversized").await;
    let url = server.at("/api/v2/partners/p1PA/waba_accounts/w1WA/flows/1/assets");
    let (content_type, body) = multipart(12 * 1024 * 1024);
    let (status, answer) = json(
        client().post(&url).header("content-type", &content_type).body(body.clone()).send().await.unwrap(),
    )
    .await;
    assert_envelope(status, &answer, 413);
    assert!(log.lock().unwrap().is_empty(), "a declared oversized body went upstream");
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> =
        body.chunks(256 * 1024).map(|c| Ok(c.to_vec())).collect();
    let streamed = reqwest::Body::wrap_stream(futures_util::stream::iter(chunks));
    let (status, answer) =
        json(client().post(&url).header("content-type", &content_type).body(streamed).send().await.unwrap())
            .await;
    assert_envelope(status, &answer, 413);
}

#[tokio::test]
async fn the_sandbox_routes_do_not_exist_in_360dialog_mode() {
    let (server, _) = proxied("nosandbox").await;
    let (status, body) =
        json(client().get(server.at("/sandbox/api/v2/partners/sandboxPA/channels")).send().await.unwrap())
            .await;
    assert_envelope(status, &body, 404);
}
