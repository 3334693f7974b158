//! The endpoint tester (`flowsmith_server::endpoint::tester`, `/api/endpoint/…`): a real server
//! calls endpoints written here with the contract's endpoint side, well-behaved and not: every
//! action round trips, each answer is checked against the flow, and every way an endpoint fails
//! (slow, HTML, 500, plain JSON, a closed connection, nothing listening, a wrong key) ends in a
//! clear failure, never a hang.
mod common;

use std::sync::{Arc, OnceLock};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use common::{client, json, sandbox_config, start, stub};
use flowsmith_server::endpoint::tester::{Target, Tester};
use flowsmith_server::endpoint::{
    Action, EncryptedRequest, PrivateKey, Request, Response as Answer, SIGNATURE_HEADER, decrypt_request,
    encrypt_response, verify,
};
use serde_json::{Value, json};
use url::Url;

const SECRET: &str = "the app secret";

fn key() -> &'static PrivateKey {
    static KEY: OnceLock<PrivateKey> = OnceLock::new();
    KEY.get_or_init(|| PrivateKey::generate().unwrap())
}

fn public_pem() -> String {
    key().public_key().to_pem().unwrap()
}

/// What the endpoint under test does.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Behaviour {
    /// Answers as the flow expects; 421 when it cannot decrypt; 432 on a wrong signature.
    Good,
    /// Answers every data_exchange with a screen the routing model does not allow.
    WrongNext,
    /// Waits longer than the tester does.
    Slow,
    /// An HTML error page with 200.
    Html,
    /// 500.
    Broken,
    /// The answer as plain JSON.
    Plain,
    /// 200 and an empty body whatever it receives (no 421).
    Careless,
}

fn flow() -> Value {
    let layout = json!({"type": "SingleColumnLayout", "children": []});
    json!({"version": "7.0", "data_api_version": "3.0",
    "routing_model": {"PICK": ["DETAILS"], "DETAILS": []},
    "screens": [
        {"id": "PICK", "data": {"dates": {"type": "array", "items": {"type": "string"}, "__example__": ["x"]}},
         "layout": layout},
        {"id": "DETAILS", "terminal": true, "data": {"price": {"type": "number", "__example__": 1}},
         "layout": layout}
    ]})
}

async fn endpoint(State(behaviour): State<Arc<Behaviour>>, headers: HeaderMap, body: Bytes) -> Response {
    let behaviour = *behaviour;
    match behaviour {
        Behaviour::Html => {
            return ([("content-type", "text/html")], "<html><body>Bad gateway</body></html>")
                .into_response();
        }
        Behaviour::Broken => return (StatusCode::INTERNAL_SERVER_ERROR, "boom").into_response(),
        Behaviour::Careless => return (StatusCode::OK, "").into_response(),
        Behaviour::Slow => tokio::time::sleep(Duration::from_secs(5)).await,
        _ => {}
    }
    if let Some(signature) = headers.get(SIGNATURE_HEADER).and_then(|value| value.to_str().ok())
        && verify(SECRET.as_bytes(), &body, signature).is_err()
    {
        return StatusCode::from_u16(432).unwrap().into_response();
    }
    let Ok(encrypted) = EncryptedRequest::from_body(&body) else {
        return StatusCode::from_u16(421).unwrap().into_response();
    };
    let Ok((request, response_key)) = decrypt_request::<Request>(key(), &encrypted) else {
        return StatusCode::from_u16(421).unwrap().into_response();
    };
    let token = request.flow_token.clone().unwrap_or_default();
    let answer = match (request.action, request.error().is_some()) {
        (_, true) => Answer::acknowledged(),
        (Action::Ping, _) => Answer::active(),
        (Action::Init, _) => {
            Answer::screen("PICK", json!({"dates": ["2026-12-24"]}).as_object().unwrap().clone())
        }
        (Action::Back, _) => Answer::screen("PICK", json!({"dates": []}).as_object().unwrap().clone()),
        (Action::DataExchange, _) if behaviour == Behaviour::WrongNext => {
            Answer::screen("NOWHERE", Default::default())
        }
        (Action::DataExchange, _) if request.screen.as_deref() == Some("DETAILS") => {
            Answer::success(&token, Default::default())
        }
        (Action::DataExchange, _) => {
            Answer::screen("DETAILS", json!({"price": "12"}).as_object().unwrap().clone())
        }
    };
    match behaviour {
        Behaviour::Plain => serde_json::to_string(&answer).unwrap().into_response(),
        _ => encrypt_response(&response_key, &answer).unwrap().into_response(),
    }
}

async fn serve_endpoint(behaviour: Behaviour) -> String {
    let router = Router::new().route("/flow", post(endpoint)).with_state(Arc::new(behaviour));
    let (url, _, _task) = stub(router).await;
    std::mem::forget(_task);
    format!("{url}/flow")
}

fn target(url: &str) -> Target {
    Target { url: Url::parse(url).unwrap(), public_key: key().public_key() }
}

async fn exchange(server: &common::Server, url: &str, request: Value) -> Value {
    let response = client()
        .post(server.at("/api/endpoint/exchange"))
        .json(&json!({"url": url, "public_key": public_pem(), "flow": flow(), "request": request}))
        .send()
        .await
        .unwrap();
    let (status, body) = json(response).await;
    assert_eq!(status, 200, "{body}");
    body["data"].clone()
}

fn codes(data: &Value) -> Vec<String> {
    data["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|problem| problem["code"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn every_action_round_trips_through_the_server_and_is_checked_against_the_flow() {
    let server = start(sandbox_config("tester-actions")).await;
    let url = serve_endpoint(Behaviour::Good).await;

    let ping = exchange(&server, &url, json!({"action": "ping"})).await;
    assert_eq!(ping["status"], 200);
    assert_eq!(ping["answer"], json!({"data": {"status": "active"}}));
    assert_eq!(ping["request"], json!({"version": "3.0", "action": "ping"}));
    assert!(ping["latency_ms"].as_f64().unwrap() >= 0.0);

    let init = exchange(&server, &url, json!({"action": "INIT", "flow_token": "tok-1"})).await;
    assert_eq!(init["answer"]["screen"], "PICK");
    assert_eq!(init["request"]["flow_token"], "tok-1");
    assert_eq!(codes(&init), Vec::<String>::new());

    let next =
        exchange(&server, &url, json!({"action": "data_exchange", "screen": "PICK", "data": {"day": "x"}}))
            .await;
    assert_eq!(next["answer"]["screen"], "DETAILS");
    // "12" where the data model declares a number: WhatsApp's payload-schema-error.
    assert_eq!(codes(&next), vec!["payload_schema_error"]);
    assert_eq!(next["problems"][0]["field"], "data.price");
    assert_eq!(next["problems"][0]["screen"], "DETAILS");
    assert_eq!(next["problems"][0]["severity"], "error");

    let done = exchange(
        &server,
        &url,
        json!({"action": "data_exchange", "screen": "DETAILS", "flow_token": "tok-2"}),
    )
    .await;
    assert_eq!(done["answer"]["screen"], "SUCCESS");
    assert_eq!(done["answer"]["data"]["extension_message_response"]["params"]["flow_token"], "tok-2");
    assert_eq!(codes(&done), Vec::<String>::new());

    let back = exchange(&server, &url, json!({"action": "BACK", "screen": "DETAILS"})).await;
    assert_eq!(back["answer"]["screen"], "PICK");
    assert_eq!(codes(&back), Vec::<String>::new());

    let notification = exchange(
        &server,
        &url,
        json!({"action": "data_exchange", "screen": "PICK", "data": {"error": "payload-schema-error", "error_message": "x"}}),
    )
    .await;
    assert_eq!(notification["answer"], json!({"data": {"acknowledged": true}}));
    assert_eq!(codes(&notification), Vec::<String>::new());

    let wrong = serve_endpoint(Behaviour::WrongNext).await;
    let moved =
        exchange(&server, &wrong, json!({"action": "data_exchange", "screen": "PICK", "data": {}})).await;
    assert_eq!(codes(&moved), vec!["unknown_screen"]);
}

#[tokio::test]
async fn each_way_an_endpoint_fails_is_named_and_nothing_hangs() {
    let tester = Tester::new(None, true).with_timeout(Duration::from_millis(500));
    let cases = [
        (Behaviour::Slow, "timeout", "No answer in 0.5 s"),
        (Behaviour::Html, "not_encrypted", "answered HTML"),
        (Behaviour::Broken, "http_status", "answered 500"),
        (Behaviour::Plain, "not_encrypted", "plain JSON"),
    ];
    for (behaviour, code, words) in cases {
        let url = serve_endpoint(behaviour).await;
        let exchanged = tester.exchange(&target(&url), Request::ping()).await;
        let failure = exchanged.failure.unwrap_or_else(|| panic!("{code}: no failure"));
        assert_eq!(failure.code, code, "{}", failure.message);
        assert!(failure.message.contains(words), "{code}: {}", failure.message);
        assert!(exchanged.answer.is_none());
    }

    // A server that accepts and closes at once.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            drop(socket);
        }
    });
    let exchanged = tester.exchange(&target(&format!("http://{address}/flow")), Request::ping()).await;
    assert_eq!(exchanged.failure.unwrap().code, "closed");

    // Nothing listening.
    let free = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
    let exchanged = tester.exchange(&target(&format!("http://{free}/flow")), Request::ping()).await;
    assert_eq!(exchanged.failure.unwrap().code, "unreachable");

    // A key that is not the endpoint's: its 421, explained.
    let url = serve_endpoint(Behaviour::Good).await;
    let stranger = PrivateKey::generate().unwrap().public_key();
    let exchanged = tester
        .exchange(&Target { url: Url::parse(&url).unwrap(), public_key: stranger }, Request::ping())
        .await;
    assert_eq!(exchanged.status, Some(421));
    assert_eq!(exchanged.failure.unwrap().code, "refresh_key");
}

#[tokio::test]
async fn private_addresses_are_refused_unless_allowed() {
    let url = serve_endpoint(Behaviour::Good).await;
    let refused = Tester::new(None, false).exchange(&target(&url), Request::ping()).await;
    let failure = refused.failure.unwrap();
    assert_eq!(failure.code, "private_address");
    assert!(failure.message.contains("--allow-private-endpoints"), "{}", failure.message);
    let allowed = Tester::new(None, true).exchange(&target(&url), Request::ping()).await;
    assert!(allowed.failure.is_none(), "{:?}", allowed.failure);
}

#[tokio::test]
async fn the_health_check_passes_a_good_endpoint_and_names_what_a_careless_one_misses() {
    let tester = Tester::new(Some(flowsmith_server::config::Secret::new(SECRET)), true);
    let good = tester.health(&target(&serve_endpoint(Behaviour::Good).await)).await;
    let outcomes: Vec<(&str, &str)> = good.checks.iter().map(|check| (check.name, check.outcome)).collect();
    assert_eq!(
        outcomes,
        vec![
            ("https", "warn"),
            ("ping", "pass"),
            ("latency", "pass"),
            ("wrong_key", "pass"),
            ("error_notification", "pass"),
            ("signature", "pass"),
        ]
    );
    assert!(good.healthy);

    let careless = tester.health(&target(&serve_endpoint(Behaviour::Careless).await)).await;
    assert!(!careless.healthy);
    let failed: Vec<&str> =
        careless.checks.iter().filter(|check| check.outcome == "fail").map(|check| check.name).collect();
    assert_eq!(failed, vec!["ping", "wrong_key", "error_notification"]);
    let wrong_key = careless.checks.iter().find(|check| check.name == "wrong_key").unwrap();
    assert!(wrong_key.detail.contains("must answer 421"), "{}", wrong_key.detail);
}

#[tokio::test]
async fn the_api_refuses_a_bad_url_or_key_by_field_and_reports_health() {
    let server = start(sandbox_config("tester-api")).await;
    let post = |body: Value| client().post(server.at("/api/endpoint/exchange")).json(&body).send();
    let (status, body) = json(
        post(json!({"url": "not a url", "public_key": public_pem(), "request": {"action": "ping"}}))
            .await
            .unwrap(),
    )
    .await;
    common::assert_error(status, &body, 400, "invalid_request");
    assert_eq!(body["error"]["field"], "url");
    let (status, body) = json(
        post(json!({"url": "http://127.0.0.1:9/", "public_key": "-----BEGIN RSA PRIVATE KEY-----", "request": {"action": "ping"}}))
            .await
            .unwrap(),
    )
    .await;
    let message = common::assert_error(status, &body, 400, "invalid_request");
    assert_eq!(body["error"]["field"], "public_key");
    assert!(message.contains("PUBLIC KEY"), "{message}");
    let (status, body) = json(
        post(
            json!({"url": "http://127.0.0.1:9/", "public_key": public_pem(), "request": {"action": "BACK"}}),
        )
        .await
        .unwrap(),
    )
    .await;
    common::assert_error(status, &body, 400, "invalid_request");
    assert_eq!(body["error"]["field"], "request.screen");

    let url = serve_endpoint(Behaviour::Good).await;
    let response = client()
        .post(server.at("/api/endpoint/health"))
        .json(&json!({"url": url, "public_key": public_pem()}))
        .send()
        .await
        .unwrap();
    let (status, body) = json(response).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["data"]["healthy"], true);
    assert_eq!(body["data"]["checks"][1]["name"], "ping");
}
