//! CORS for configured origins only, preflights, and the guard against foreign pages driving
//! the API with the server's key.
mod common;

use common::{PARTNER, assert_envelope, client, json, sandbox_config, start};

const ALLOWED: &str = "https://crm.example.com";

#[tokio::test]
async fn preflight_and_requests_from_an_allowed_origin() {
    let mut config = sandbox_config("cors-allowed");
    config.cors_origins = vec![ALLOWED.to_owned()];
    let server = start(config).await;
    let url = server.at(&format!("/api/v2/partners/{PARTNER}/channels"));
    let preflight = client()
        .request(reqwest::Method::OPTIONS, &url)
        .header("origin", ALLOWED)
        .header("access-control-request-method", "PATCH")
        .header("access-control-request-headers", "content-type")
        .send()
        .await
        .unwrap();
    assert!(preflight.status().is_success(), "{}", preflight.status());
    let headers = preflight.headers();
    assert_eq!(headers["access-control-allow-origin"], ALLOWED);
    assert!(headers["access-control-allow-methods"].to_str().unwrap().contains("PATCH"));
    assert!(!headers.contains_key("access-control-allow-credentials"));
    let response = client().get(&url).header("origin", ALLOWED).send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["access-control-allow-origin"], ALLOWED);
    assert!(response.headers()["access-control-expose-headers"].to_str().unwrap().contains("x-request-id"));
}

#[tokio::test]
async fn other_origins_get_no_cors_headers_and_cannot_act() {
    let mut config = sandbox_config("cors-refused");
    config.cors_origins = vec![ALLOWED.to_owned()];
    let server = start(config).await;
    let url = server.at(&format!("/api/v2/partners/{PARTNER}/waba_accounts/sandbox1WA/flows"));
    for origin in ["https://evil.example.com", "null", "https://crm.example.com.evil.com"] {
        let preflight = client()
            .request(reqwest::Method::OPTIONS, &url)
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .send()
            .await
            .unwrap();
        assert!(!preflight.headers().contains_key("access-control-allow-origin"), "{origin}");
        // A "simple" form post still reaches a server; the guard refuses it.
        let post = client()
            .post(&url)
            .header("origin", origin)
            .header("content-type", "application/x-www-form-urlencoded")
            .body("name=csrf&categories=OTHER")
            .send()
            .await
            .unwrap();
        assert!(!post.headers().contains_key("access-control-allow-origin"), "{origin}");
        let (status, body) = json(post).await;
        assert_envelope(status, &body, 403);
    }
    let (_, list) = json(client().get(&url).send().await.unwrap()).await;
    assert!(!list.to_string().contains("csrf"), "{list}");
}

#[tokio::test]
async fn the_same_origin_needs_no_configuration() {
    let server = start(sandbox_config("cors-same")).await;
    let url = server.at(&format!("/api/v2/partners/{PARTNER}/channels"));
    let response = client().get(&url).header("origin", server.url.clone()).send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert!(!response.headers().contains_key("access-control-allow-origin"));
}

#[tokio::test]
async fn a_wildcard_never_comes_with_credentials() {
    let mut config = sandbox_config("cors-any");
    config.cors_origins = vec!["*".to_owned()];
    let server = start(config).await;
    let url = server.at(&format!("/api/v2/partners/{PARTNER}/channels"));
    let response = client().get(&url).header("origin", "https://anywhere.example").send().await.unwrap();
    assert_eq!(response.headers()["access-control-allow-origin"], "*");
    assert!(!response.headers().contains_key("access-control-allow-credentials"));
    // And 360dialog mode refuses the wildcard at start.
    let mut config = sandbox_config("cors-any-360");
    config.cors_origins = vec!["*".to_owned()];
    config.partner_api_key = Some(flowsmith_server::config::Secret::new("k"));
    let error = flowsmith_server::Settings::from_config(&config).unwrap_err().to_string();
    assert!(error.contains("refused in 360dialog mode"), "{error}");
}

#[tokio::test]
async fn a_page_that_rebinds_its_own_name_to_this_machine_is_refused() {
    let server = start(sandbox_config("cors-rebinding")).await;
    let path = format!("/api/v2/partners/{PARTNER}/waba_accounts/sandbox1WA/flows");
    let url = server.at(&path);
    let port = reqwest::Url::parse(&url).unwrap().port().unwrap();
    // The attacker's page at http://evil.test:PORT, its name now resolving to 127.0.0.1: the
    // browser sends its own name in Host and Origin, which look "same origin".
    let evil = format!("evil.test:{port}");
    let post = client()
        .post(&url)
        .header("host", &evil)
        .header("origin", format!("http://{evil}"))
        .json(&serde_json::json!({"name": "rebound", "categories": ["OTHER"]}))
        .send()
        .await
        .unwrap();
    let (status, body) = json(post).await;
    assert_envelope(status, &body, 403);
    assert!(body.to_string().contains("--public-url"), "{body}");
    let get = client().get(&url).header("host", &evil).send().await.unwrap();
    assert_eq!(get.status(), 403, "a same-origin GET has no Origin; the Host alone decides");
    // The names this server is known by still work.
    let local = client().get(&url).header("host", format!("localhost:{port}")).send().await.unwrap();
    let (status, list) = json(local).await;
    assert_eq!(status, 200);
    assert!(!list.to_string().contains("rebound"), "{list}");
}
