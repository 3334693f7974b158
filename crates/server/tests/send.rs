//! Sending a flow (issue 20): `POST /api/messages` and `GET /api/messages` on a real server in
//! sandbox mode, on SQLite and PostgreSQL: a draft sent to a sandbox test phone, listed,
//! completed on the phone and found among the flow's responses, matched to what was sent;
//! refusals named by field with nothing sent; roles. And the Graph backend's sending against a
//! stub that records what it is sent.
mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::extract::{Request, State};
use axum::response::{IntoResponse, Response};
use common::{
    KEY, Server, assert_error, client, databases, engine, json, start_connected, stub, workspace_config,
};
use flowsmith_server::Settings;
use flowsmith_server::auth::Role;
use flowsmith_server::backend::graph::{Graph, GraphSettings, RetryPolicy};
use flowsmith_server::backend::{AccountRef, Backend, FailureKind};
use flowsmith_server::config::Secret;
use flowsmith_server::messages::webhook;
use flowsmith_server::proxy::asset::{AssetFetcher, AssetPolicy};
use serde_json::{Value, json};

const PASSWORD: &str = "a long enough password";
const TEST_PHONE: &str = "+15550001111";
/// A WABA of the sandbox, by Meta's id.
const CLINIC: &str = "102290129340398";

/// A flow whose first screen takes a `city_hint` string.
fn survey() -> Value {
    json!({"version": "7.2", "screens": [{"id": "SURVEY", "title": "Survey", "terminal": true,
        "data": {"city_hint": {"type": "string", "__example__": "Paris"}},
        "layout": {"type": "SingleColumnLayout", "children": [
            {"type": "TextBody", "text": "${data.city_hint}"},
            {"type": "TextInput", "name": "city", "label": "City"},
            {"type": "Footer", "label": "Send", "on-click-action": {"name": "complete",
                "payload": {"city": "${form.city}"}}}]}}]})
}

/// A server with the survey in its first account: (server, flow id).
async fn with_flow(name: &str, database: &Option<String>) -> (Server, String) {
    let server = start_connected(Settings::from_config(&workspace_config(name, database)).unwrap()).await;
    let (_, flow) = common::create_in_first_account(&server, "Survey", survey()).await;
    (server, flow)
}

fn message(flow: &str) -> Value {
    json!({"flow_id": flow, "to": TEST_PHONE, "body": "Tell us where you are", "cta": "Open",
        "flow_token": "T-1", "action": "navigate", "screen": "SURVEY", "data": {"city_hint": "Lyon"},
        "mode": "draft"})
}

async fn send(server: &Server, body: &Value, cookie: Option<&str>) -> (u16, Value) {
    let mut request = client().post(server.at("/api/messages")).json(body);
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    json(request.send().await.unwrap()).await
}

async fn sent_list(server: &Server, flow: &str) -> Vec<Value> {
    let (status, body) =
        json(client().get(server.at(&format!("/api/messages?flow_id={flow}"))).send().await.unwrap()).await;
    assert_eq!(status, 200, "{body}");
    body["data"]["items"].as_array().unwrap().clone()
}

async fn phones(server: &Server) -> Value {
    let (status, body) = json(
        client().get(server.at("/sandbox/control/phones")).header("x-api-key", KEY).send().await.unwrap(),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    body["phones"].clone()
}

/// The fields a 422 `invalid_message` names.
fn fields(status: u16, body: &Value) -> Vec<String> {
    assert_error(status, body, 422, "invalid_message");
    body["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn a_draft_sent_to_a_test_phone_is_listed_completed_and_its_response_matched() {
    for database in databases("send_flow").await {
        let (server, flow) = with_flow("send-flow", &database).await;
        let on = engine(&database);

        // Never saved to WhatsApp: refused, nothing sent.
        let (status, body) = send(&server, &message(&flow), None).await;
        assert_eq!(fields(status, &body), ["flow_id"], "{on}");
        let (status, saved) =
            json(client().post(server.at(&format!("/api/flows/{flow}/save-to-meta"))).send().await.unwrap())
                .await;
        assert_eq!(status, 200, "{on}: {saved}");
        let meta_flow_id = saved["data"]["meta_flow_id"].as_str().unwrap().to_owned();

        // Refusals, each named by the body's field; nothing reaches a phone.
        let mut bad_phone = message(&flow);
        bad_phone["to"] = json!("555-0100");
        let mut bad_screen = message(&flow);
        bad_screen["screen"] = json!("NOPE");
        let mut bad_data = message(&flow);
        bad_data["data"] = json!({"city_hint": 5});
        for (body, field) in [(bad_phone, "to"), (bad_screen, "screen"), (bad_data, "data.city_hint")] {
            let (status, answer) = send(&server, &body, None).await;
            assert!(fields(status, &answer).contains(&field.to_owned()), "{on}: {field}: {answer}");
        }
        // A number that is not a test phone: the sandbox refuses it as WhatsApp refuses a number
        // not on WhatsApp (131026), in plain words.
        let mut stranger = message(&flow);
        stranger["to"] = json!("+447700900123");
        let (status, answer) = send(&server, &stranger, None).await;
        let words = assert_error(status, &answer, 422, "whatsapp_refused");
        assert!(words.contains("not on WhatsApp"), "{on}: {words}");
        assert_eq!(answer["error"]["meta_code"], 131026, "{on}");
        assert!(sent_list(&server, &flow).await.is_empty(), "{on}");
        assert!(phones(&server).await[0]["messages"].as_array().unwrap().is_empty(), "{on}");

        // The draft is sent, listed and on the phone, exactly as the Cloud API's body.
        let (status, sent) = send(&server, &message(&flow), None).await;
        assert_eq!(status, 201, "{on}: {sent}");
        let wamid = sent["data"]["message_id"].as_str().unwrap().to_owned();
        assert!(wamid.starts_with("wamid."), "{on}: {wamid}");
        let listed = sent_list(&server, &flow).await;
        assert_eq!(listed.len(), 1, "{on}");
        assert_eq!(
            (&listed[0]["to"], &listed[0]["message_id"], &listed[0]["mode"], &listed[0]["status"]),
            (&json!(TEST_PHONE), &json!(wamid), &json!("draft"), &json!("accepted")),
            "{on}"
        );
        let phone = &phones(&server).await[0];
        assert_eq!(phone["phone"], TEST_PHONE);
        let received = &phone["messages"][0];
        assert_eq!(received["message_id"], wamid.as_str(), "{on}");
        let parameters = &received["message"]["interactive"]["action"]["parameters"];
        assert_eq!(
            parameters,
            &json!({"flow_message_version": "3", "flow_token": "T-1", "flow_id": meta_flow_id, "flow_cta": "Open",
                "mode": "draft", "flow_action": "navigate",
                "flow_action_payload": {"screen": "SURVEY", "data": {"city_hint": "Lyon"}}}),
            "{on}"
        );

        // The phone completes the flow: the reply is recorded and matched to the message.
        let complete = server.at(&format!("/sandbox/control/messages/{wamid}/complete"));
        let answer = json!({"response_json": {"city": "Lyon"}});
        let (status, body) = json(client().post(&complete).json(&answer).send().await.unwrap()).await;
        assert_eq!(status, 401, "{on}: the test phone's controls take the sandbox key: {body}");
        let (status, body) =
            json(client().post(&complete).header("x-api-key", KEY).json(&answer).send().await.unwrap()).await;
        assert_eq!((status, &body["responses"]), (200, &json!(1)), "{on}: {body}");
        assert_eq!(
            body["delivery"]["entry"][0]["changes"][0]["value"]["messages"][0]["context"]["id"],
            wamid.as_str()
        );
        let (status, page) =
            json(client().get(server.at(&format!("/api/flows/{flow}/responses"))).send().await.unwrap())
                .await;
        assert_eq!(status, 200, "{on}: {page}");
        assert_eq!(page["data"]["total"], 1, "{on}: {page}");
        let response = &page["data"]["items"][0];
        assert_eq!(response["sent_message_id"], sent["data"]["id"], "{on}: {response}");
        assert_eq!(
            (&response["flow_token"], &response["fields"]["city"]),
            (&json!("T-1"), &json!("Lyon")),
            "{on}"
        );
        let (status, body) = json(
            client()
                .post(server.at("/sandbox/control/messages/wamid.unknown/complete"))
                .header("x-api-key", KEY)
                .json(&answer)
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(status, 404, "{on}: {body}");

        // Published, the flow has no draft to open.
        let (status, body) =
            json(client().post(server.at(&format!("/api/flows/{flow}/publish"))).send().await.unwrap()).await;
        assert_eq!(status, 200, "{on}: {body}");
        let (status, answer) = send(&server, &message(&flow), None).await;
        assert_eq!(fields(status, &answer), ["mode"], "{on}");
        let mut published = message(&flow);
        published["mode"] = json!("published");
        let (status, answer) = send(&server, &published, None).await;
        assert_eq!(status, 201, "{on}: {answer}");
        assert_eq!(sent_list(&server, &flow).await.len(), 2, "{on}");
    }
}

#[tokio::test]
async fn viewers_list_what_was_sent_and_only_editors_send() {
    for database in databases("send_roles").await {
        let (server, flow) = with_flow("send-roles", &database).await;
        let (status, _) =
            json(client().post(server.at(&format!("/api/flows/{flow}/save-to-meta"))).send().await.unwrap())
                .await;
        assert_eq!(status, 200);
        for role in Role::ALL {
            server.state.auth().add_user(role.as_str(), role, PASSWORD).await.unwrap();
        }
        let (viewer, editor) = (
            common::session_cookie(&server, "viewer", PASSWORD).await,
            common::session_cookie(&server, "editor", PASSWORD).await,
        );
        let (status, body) = send(&server, &message(&flow), Some(&viewer)).await;
        assert_error(status, &body, 403, "forbidden");
        let (status, body) = send(&server, &message(&flow), Some(&editor)).await;
        assert_eq!(status, 201, "{body}");
        let (status, body) = json(
            client()
                .get(server.at(&format!("/api/messages?flow_id={flow}")))
                .header("cookie", &viewer)
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["data"]["items"].as_array().unwrap().len(), 1);
        assert_eq!(body["data"]["items"][0]["sent_by"], "editor");

        // The app's test phones: editors of the message's account see it and may answer it; an
        // editor of another account only sees neither, and viewers may not look.
        let auth = server.state.auth();
        let (_, accounts) =
            json(client().get(server.at("/api/accounts")).header("cookie", &editor).send().await.unwrap())
                .await;
        let other_account = accounts["data"][1]["id"].as_str().unwrap().to_owned();
        auth.add_user("other", Role::Viewer, PASSWORD).await.unwrap();
        auth.set_account_role("other", &other_account, Some(Role::Editor)).await.unwrap();
        let other = common::session_cookie(&server, "other", PASSWORD).await;
        let test_phones = |cookie: String| {
            let server = &server;
            async move {
                json(
                    client()
                        .get(server.at("/api/test-phones"))
                        .header("cookie", cookie)
                        .send()
                        .await
                        .unwrap(),
                )
                .await
            }
        };
        let received = |phones: &Value| -> Vec<String> {
            phones["data"]["phones"]
                .as_array()
                .unwrap()
                .iter()
                .flat_map(|phone| phone["messages"].as_array().unwrap().clone())
                .map(|message| message["message_id"].as_str().unwrap().to_owned())
                .collect()
        };
        let (status, body) = test_phones(viewer.clone()).await;
        assert_error(status, &body, 403, "forbidden");
        let (status, seen_by_editor) = test_phones(editor.clone()).await;
        assert_eq!(status, 200, "{seen_by_editor}");
        let ids = received(&seen_by_editor);
        assert_eq!(ids.len(), 1, "{seen_by_editor}");
        let (status, seen_by_other) = test_phones(other.clone()).await;
        assert_eq!(status, 200, "{seen_by_other}");
        assert!(received(&seen_by_other).is_empty(), "{seen_by_other}");
        let complete = |cookie: &str| {
            client()
                .post(server.at(&format!("/api/test-phones/{}/complete", ids[0])))
                .header("cookie", cookie)
                .json(&json!({"response_json": {"city": "Porto"}}))
                .send()
        };
        let (status, body) = json(complete(&other).await.unwrap()).await;
        assert_eq!(status, 404, "{body}");
        let (status, body) = json(complete(&editor).await.unwrap()).await;
        assert_eq!(status, 200, "{body}");
    }
}

/// What the stub was sent: (method, path, authorization, body).
type Seen = Arc<Mutex<Vec<(String, String, String, String)>>>;

async fn graph_stub(State(seen): State<Seen>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let body = String::from_utf8_lossy(&axum::body::to_bytes(body, usize::MAX).await.unwrap()).into_owned();
    let authorization =
        parts.headers.get("authorization").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    let path = parts.uri.path().to_owned();
    seen.lock().unwrap().push((parts.method.to_string(), parts.uri.to_string(), authorization, body.clone()));
    let ok = |value: Value| ([("content-type", "application/json")], value.to_string()).into_response();
    match (parts.method.as_str(), path.as_str()) {
        ("GET", "/v21.0/111/phone_numbers") => {
            ok(json!({"data": [{"id": "106540352242922", "display_phone_number": "+1 555-000-9999"}]}))
        }
        ("POST", "/v21.0/106540352242922/messages") if body.contains("447700900999") => (
            axum::http::StatusCode::BAD_REQUEST,
            [("content-type", "application/json")],
            json!({"error": {"message": "(#131026) Message undeliverable", "code": 131026}}).to_string(),
        )
            .into_response(),
        ("POST", "/v21.0/106540352242922/messages") => ok(json!({"messaging_product": "whatsapp",
            "contacts": [{"input": "+15550001111", "wa_id": "15550001111"}], "messages": [{"id": "wamid.GRAPH1"}]})),
        _ => (axum::http::StatusCode::NOT_FOUND, "no").into_response(),
    }
}

#[tokio::test]
async fn the_graph_backend_sends_from_the_waba_s_phone_number_with_the_bearer_token() {
    let seen = Seen::default();
    let (base, _, _task) = stub(Router::new().fallback(graph_stub).with_state(seen.clone())).await;
    let assets = AssetFetcher::new(AssetPolicy::local_for_tests(&[]), Duration::from_secs(5), None).unwrap();
    let settings = GraphSettings {
        base: format!("{base}/v21.0").parse().unwrap(),
        token: Secret::new("EAAG-token"),
        waba_ids: vec!["111".to_owned()],
        timeout: Duration::from_secs(10),
        retries: RetryPolicy { retries: 0, max_wait: Duration::from_secs(1) },
    };
    let graph = Graph::new(settings, assets).unwrap();
    let account = AccountRef { external_id: "111".to_owned() };
    let body = json!({"messaging_product": "whatsapp", "recipient_type": "individual", "to": "+15550001111",
        "type": "interactive", "interactive": {"type": "flow", "body": {"text": "Hi"},
        "action": {"name": "flow", "parameters": {"flow_message_version": "3", "flow_id": "42", "flow_cta": "Open",
        "flow_action": "navigate", "flow_action_payload": {"screen": "A"}}}}});
    assert_eq!(graph.send_message(&account, &body).await.unwrap(), "wamid.GRAPH1");
    {
        let seen = seen.lock().unwrap();
        assert_eq!(seen.len(), 2, "{seen:?}");
        assert_eq!(seen[1].0, "POST");
        assert_eq!(seen[1].1, "/v21.0/106540352242922/messages");
        assert_eq!(seen[1].2, "Bearer EAAG-token");
        assert_eq!(serde_json::from_str::<Value>(&seen[1].3).unwrap(), body);
    }
    let mut stranger = body.clone();
    stranger["to"] = json!("+447700900999");
    let refused = graph.send_message(&account, &stranger).await.unwrap_err();
    assert_eq!((refused.kind, refused.code), (FailureKind::Refused, Some(131026)));
    assert!(refused.message.contains("not on WhatsApp"), "{}", refused.message);
}

#[tokio::test]
async fn the_graph_backend_sends_through_the_sandbox_s_graph_api_to_its_test_phones() {
    let server = common::start(common::sandbox_config("send-graph-sandbox")).await;
    let assets = AssetFetcher::new(AssetPolicy::local_for_tests(&[]), Duration::from_secs(5), None).unwrap();
    let settings = GraphSettings {
        base: server.at("/sandbox/graph/v21.0").parse().unwrap(),
        token: Secret::new(KEY),
        waba_ids: vec![CLINIC.to_owned()],
        timeout: Duration::from_secs(10),
        retries: RetryPolicy { retries: 0, max_wait: Duration::from_secs(1) },
    };
    let graph = Graph::new(settings, assets).unwrap();
    let account = AccountRef { external_id: CLINIC.to_owned() };
    let body = json!({"messaging_product": "whatsapp", "recipient_type": "individual", "to": TEST_PHONE,
        "type": "interactive", "interactive": {"type": "flow", "body": {"text": "Hi"},
        "action": {"name": "flow", "parameters": {"flow_message_version": "3", "flow_id": "42", "flow_cta": "Open",
        "flow_action": "navigate", "flow_action_payload": {"screen": "A"}}}}});
    let wamid = graph.send_message(&account, &body).await.unwrap();
    let received = &phones(&server).await[0]["messages"][0];
    assert_eq!((&received["message_id"], &received["message"]), (&json!(wamid), &body));
    let mut stranger = body.clone();
    stranger["to"] = json!("+447700900123");
    let refused = graph.send_message(&account, &stranger).await.unwrap_err();
    assert_eq!((refused.kind, refused.code), (FailureKind::Refused, Some(131026)), "{}", refused.message);
    let nobody = AccountRef { external_id: "999999999999999".to_owned() };
    assert_eq!(graph.send_message(&nobody, &body).await.unwrap_err().kind, FailureKind::NotFound);
}

#[tokio::test]
async fn a_completed_flow_is_forwarded_signed_to_the_webhook_forward_url() {
    const APP_SECRET: &str = "the app secret";
    /// What the stub received: the signature header and the body.
    type Forwarded = Arc<Mutex<Vec<(String, Vec<u8>)>>>;
    let forwarded = Forwarded::default();
    let kept = Arc::clone(&forwarded);
    let router = Router::new().route(
        "/hook",
        axum::routing::post(move |headers: axum::http::HeaderMap, body: axum::body::Bytes| {
            let kept = Arc::clone(&kept);
            async move {
                let signature = headers[webhook::SIGNATURE_HEADER].to_str().unwrap().to_owned();
                kept.lock().unwrap().push((signature, body.to_vec()));
                "ok"
            }
        }),
    );
    let (base, _, _task) = stub(router).await;
    let mut config = workspace_config("send-forward", &None);
    config.app_secret = Some(Secret::new(APP_SECRET));
    config.webhook_forward_url = Some(format!("{base}/hook"));
    let server = start_connected(Settings::from_config(&config).unwrap()).await;
    let (status, accounts) = json(client().get(server.at("/api/accounts")).send().await.unwrap()).await;
    assert_eq!(status, 200, "{accounts}");
    let create =
        json!({"account_id": accounts["data"][0]["id"], "name": "Survey", "json_definition": survey()});
    let (_, created) = json(client().post(server.at("/api/flows")).json(&create).send().await.unwrap()).await;
    let flow = created["data"]["id"].as_str().unwrap().to_owned();
    let (status, _) =
        json(client().post(server.at(&format!("/api/flows/{flow}/save-to-meta"))).send().await.unwrap())
            .await;
    assert_eq!(status, 200);
    let (status, sent) = send(&server, &message(&flow), None).await;
    assert_eq!(status, 201, "{sent}");
    let wamid = sent["data"]["message_id"].as_str().unwrap();
    let (status, body) = json(
        client()
            .post(server.at(&format!("/sandbox/control/messages/{wamid}/complete")))
            .header("x-api-key", KEY)
            .json(&json!({"response_json": {"city": "Lyon"}}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!((status, &body["forwarded"]), (200, &json!({"status": 200})), "{body}");
    let (signature, got) = forwarded.lock().unwrap().pop().unwrap();
    assert!(webhook::verify(APP_SECRET, &got, signature.as_bytes()), "{signature}");
    let delivery: Value = serde_json::from_slice(&got).unwrap();
    assert_eq!(delivery, body["delivery"]);
    let reply = &delivery["entry"][0]["changes"][0]["value"]["messages"][0];
    assert_eq!(reply["context"]["id"], wamid);
    let response: Value =
        serde_json::from_str(reply["interactive"]["nfm_reply"]["response_json"].as_str().unwrap()).unwrap();
    assert_eq!(response, json!({"city": "Lyon", "flow_token": "T-1"}));
}
