//! `GET /flowsmith/asset?url=…`: only Meta's asset hosts, no tricks, no redirects elsewhere; the
//! sandbox's own download links answered locally.
mod common;

use axum::Router;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use axum::routing::get;
use common::{WABA1, assert_envelope, client, json, sandbox_config, start, start_with, stub};
use flowsmith_server::proxy::asset::AssetPolicy;

fn asset_url(server: &common::Server, link: &str) -> String {
    let encoded: String = url::form_urlencoded::byte_serialize(link.as_bytes()).collect();
    server.at(&format!("/flowsmith/asset?url={encoded}"))
}

#[tokio::test]
async fn links_off_meta_hosts_are_refused() {
    let server = start(sandbox_config("asset-refused")).await;
    for link in [
        "https://evil.com/#@lookaside.fbsbx.com",
        "https://lookaside.fbsbx.com@evil.com/flow.json",
        "https://user:pass@lookaside.fbsbx.com/flow.json",
        "http://lookaside.fbsbx.com/flow.json",
        "https://lookaside.fbsbx.com.evil.com/flow.json",
        "https://127.0.0.1/flow.json",
        "https://lookaside.fbsbx.com:8443/flow.json",
        "file:///etc/passwd",
        "javascript:alert(1)",
    ] {
        let (status, body) = json(client().get(asset_url(&server, link)).send().await.unwrap()).await;
        assert!(assert_envelope(status, &body, 403).contains("refused"), "{link}: {body}");
    }
    for query in ["", "?url=", "?url=not%20a%20url"] {
        let (status, body) =
            json(client().get(server.at(&format!("/flowsmith/asset{query}"))).send().await.unwrap()).await;
        assert_envelope(status, &body, 400);
    }
}

#[tokio::test]
async fn sandbox_download_links_are_served_locally() {
    let server = start(sandbox_config("asset-sandbox")).await;
    let (_, assets) =
        json(client().get(server.flows(WABA1, "/1287346519273402/assets")).send().await.unwrap()).await;
    let link = assets["assets"][0]["download_url"].as_str().unwrap().to_owned();
    assert!(link.starts_with(&format!("{}/sandbox/assets/", server.url)), "{link}");
    let response = client().get(asset_url(&server, &link)).send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.text().await.unwrap(), flow_model::templates::APPOINTMENT_BOOKING);
    let (status, body) = json(
        client()
            .get(asset_url(&server, &format!("{}/sandbox/assets/nope/flow.json", server.url)))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_envelope(status, &body, 404);
}

#[tokio::test]
async fn allowed_hosts_are_fetched_and_redirects_elsewhere_refused() {
    let flow = r#"{"version":"7.3","screens":[]}"#;
    let (base, address, _) = stub(
        Router::new()
            .route(
                "/flow.json",
                get(move || async move { ([("content-type", "application/octet-stream")], flow) }),
            )
            .route("/moved", get(|| async { Redirect::temporary("/flow.json") }))
            .route("/gone", get(|| async { StatusCode::FORBIDDEN.into_response() }))
            .route("/broken", get(|| async { StatusCode::INTERNAL_SERVER_ERROR.into_response() })),
    )
    .await;
    let (evil, _, _) =
        stub(Router::new().route(
            "/away",
            get(move || async move {
                Redirect::temporary(&format!("http://localhost:{}/flow.json", address.port()))
            }),
        ))
        .await;
    let evil_port = evil.rsplit(':').next().unwrap().to_owned();
    let server =
        start_with(sandbox_config("asset-local"), Some(AssetPolicy::local_for_tests(&["127.0.0.1"]))).await;
    let response = client().get(asset_url(&server, &format!("{base}/flow.json"))).send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "application/json");
    assert_eq!(response.text().await.unwrap(), flow);
    let followed = client().get(asset_url(&server, &format!("{base}/moved"))).send().await.unwrap();
    assert_eq!(followed.text().await.unwrap(), flow);
    // 127.0.0.1 is allowed, localhost is not: the redirect is refused.
    let (status, body) = json(
        client().get(asset_url(&server, &format!("http://127.0.0.1:{evil_port}/away"))).send().await.unwrap(),
    )
    .await;
    assert!(assert_envelope(status, &body, 403).contains("redirects"), "{body}");
    let (status, body) =
        json(client().get(asset_url(&server, &format!("{base}/gone"))).send().await.unwrap()).await;
    assert!(assert_envelope(status, &body, 404).contains("links expire"), "{body}");
    let (status, body) =
        json(client().get(asset_url(&server, &format!("{base}/broken"))).send().await.unwrap()).await;
    assert_envelope(status, &body, 502);
}
