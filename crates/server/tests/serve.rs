//! `flowsmith serve`: static app, health check, and the errors people see when it cannot start.
use std::net::{IpAddr, Ipv4Addr};
use std::path::{Path, PathBuf};

use axum::body::Body;
use axum::http::{Request, StatusCode};
use flowsmith_server::{ServeConfig, ServeError, app, bind};
use http_body_util::BodyExt;
use tower::ServiceExt;

fn app_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("flowsmith-serve-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("index.html"), "<!doctype html><title>Flowsmith</title>").unwrap();
    std::fs::write(dir.join("app.js"), "export {}").unwrap();
    dir
}

fn config(app_dir: &Path, port: u16) -> ServeConfig {
    ServeConfig { bind: IpAddr::V4(Ipv4Addr::LOCALHOST), port, app_dir: app_dir.to_owned() }
}

async fn get(config: &ServeConfig, path: &str) -> (StatusCode, String) {
    let request = Request::get(path).body(Body::empty()).unwrap();
    let response = app(config).oneshot(request).await.unwrap();
    let status = response.status();
    let body = response.into_body().collect().await.unwrap().to_bytes();
    (status, String::from_utf8_lossy(&body).into_owned())
}

#[tokio::test]
async fn healthz_answers_ok() {
    let config = config(&app_dir("healthz"), 0);
    let (status, body) = get(&config, "/healthz").await;
    assert_eq!(status, StatusCode::OK);
    let json: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(json["status"], "ok");
}

#[tokio::test]
async fn serves_app_files_and_index_for_client_routes() {
    let config = config(&app_dir("files"), 0);
    assert_eq!(get(&config, "/app.js").await, (StatusCode::OK, "export {}".to_owned()));
    let (status, body) = get(&config, "/embed").await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("<title>Flowsmith</title>"), "{body}");
}

#[tokio::test]
async fn missing_app_folder_is_named_with_what_to_do() {
    let missing = std::env::temp_dir().join("flowsmith-no-such-dist");
    let error = bind(&config(&missing, 0)).await.unwrap_err();
    assert!(matches!(error, ServeError::AppDirMissing(_)));
    let message = error.to_string();
    assert!(message.contains("flowsmith-no-such-dist") && message.contains("cargo xtask serve"), "{message}");
}

#[tokio::test]
async fn port_in_use_is_named_with_what_to_do() {
    let dir = app_dir("port");
    let first = bind(&config(&dir, 0)).await.unwrap();
    let port = first.local_addr().unwrap().port();
    let error = bind(&config(&dir, port)).await.unwrap_err();
    assert!(matches!(error, ServeError::AddressInUse(_)));
    let message = error.to_string();
    assert!(message.contains(&format!("127.0.0.1:{port}")) && message.contains("--port"), "{message}");
}
