//! WhatsApp's webhooks and the responses API (issue 20) on a real server in sandbox mode, each
//! test on SQLite and on PostgreSQL: Meta's handshake, signed deliveries (right, wrong,
//! missing, replayed), malformed and huge ones (nothing recorded), replies matched by flow
//! token and by the message they answer, status updates, 360dialog's secret path, the
//! responses page (paging, time filter, counts per day, masking by role, sensitive fields),
//! the CSV, and forwarding signed as Meta signs.
mod common;

use common::{Server, assert_error, client, databases, json, start_connected, workspace_config};
use flowsmith_server::auth::Role;
use flowsmith_server::config::Secret;
use flowsmith_server::messages::store::{FlowResponse, SentMessage};
use flowsmith_server::messages::webhook::{self, SIGNATURE_HEADER};
use flowsmith_server::{ServeConfig, Settings};
use serde_json::{Value, json};
use sqlx::Row as _;

const APP_SECRET: &str = "the app secret of the Meta app";
const VERIFY_TOKEN: &str = "a verify token";
const PASSWORD: &str = "a long enough password";
const PHONE: &str = "447700900123";

/// A flow whose PIN is `sensitive`; its `complete` payload sends it as `pin`.
fn survey() -> Value {
    json!({"version": "7.2", "screens": [{"id": "SURVEY", "title": "Survey", "terminal": true,
        "sensitive": ["pin_code"], "layout": {"type": "SingleColumnLayout", "children": [
            {"type": "TextInput", "name": "pin_code", "label": "PIN", "input-type": "passcode"},
            {"type": "TextInput", "name": "city", "label": "City"},
            {"type": "Footer", "label": "Send", "on-click-action": {"name": "complete",
                "payload": {"pin": "${form.pin_code}", "city": "${form.city}"}}}]}}]})
}

fn config(name: &str, database: &Option<String>) -> ServeConfig {
    let mut config = workspace_config(name, database);
    config.app_secret = Some(Secret::new(APP_SECRET));
    config.webhook_verify_token = Some(Secret::new(VERIFY_TOKEN));
    config
}

async fn start(config: ServeConfig) -> Server {
    start_connected(Settings::from_config(&config).unwrap()).await
}

/// The server, a flow of the survey in its first account: (server, account id, flow id).
async fn with_flow(name: &str, database: &Option<String>) -> (Server, String, String) {
    let server = start(config(name, database)).await;
    let (account, flow) = common::create_in_first_account(&server, "Survey", survey()).await;
    (server, account, flow)
}

/// Records a message as sent, as `POST /api/messages` will.
async fn sent(server: &Server, id: &str, flow: &str, account: &str, token: &str, wamid: &str) {
    let message = SentMessage {
        id: id.to_owned(),
        flow_id: flow.to_owned(),
        account_id: account.to_owned(),
        to_phone: PHONE.to_owned(),
        flow_token: Some(token.to_owned()),
        message_id: Some(wamid.to_owned()),
        mode: "draft".to_owned(),
        sent_by: "ana".to_owned(),
        sent_at: 1,
        status: "accepted".to_owned(),
        status_at: 1,
        status_detail: None,
    };
    server.state.messages().record_sent(&message).await.unwrap();
}

/// A Cloud API delivery of one completed flow.
fn reply(id: &str, context: Option<&str>, response: Value) -> Value {
    let mut message = json!({"from": PHONE, "id": id, "timestamp": "1796515200", "type": "interactive",
        "interactive": {"type": "nfm_reply", "nfm_reply": {"name": "flow", "body": "Sent",
            "response_json": response.to_string()}}});
    if let Some(context) = context {
        message["context"] = json!({"from": "15550001111", "id": context});
    }
    json!({"object": "whatsapp_business_account", "entry": [{"id": "WABA", "changes": [{"field": "messages",
        "value": {"messaging_product": "whatsapp", "messages": [message]}}]}]})
}

fn statuses(updates: &[(&str, &str, &str)]) -> Value {
    let statuses: Vec<Value> = updates
        .iter()
        .map(|(id, status, at)| {
            let mut update = json!({"id": id, "status": status, "timestamp": at, "recipient_id": PHONE});
            if *status == "failed" {
                update["errors"] = json!([{"code": 131047, "title": "Re-engagement message"}]);
            }
            update
        })
        .collect();
    json!({"entry": [{"id": "WABA", "changes": [{"field": "messages", "value": {"statuses": statuses}}]}]})
}

/// POSTs `body` to /webhooks/whatsapp with `signature` (none: no header).
async fn deliver_raw(server: &Server, body: Vec<u8>, signature: Option<String>) -> (u16, Value) {
    let mut request =
        client().post(server.at("/webhooks/whatsapp")).header("content-type", "application/json").body(body);
    if let Some(signature) = signature {
        request = request.header(SIGNATURE_HEADER, signature);
    }
    json(request.send().await.unwrap()).await
}

/// POSTs `body` signed with the app secret.
async fn deliver(server: &Server, body: &Value) -> (u16, Value) {
    let bytes = body.to_string().into_bytes();
    let signature = webhook::sign(APP_SECRET, &bytes);
    deliver_raw(server, bytes, Some(signature)).await
}

async fn count(server: &Server, sql: &str) -> i64 {
    let row = sqlx::query(sqlx::AssertSqlSafe(sql.to_owned()))
        .fetch_one(server.state.workspace().store().pool())
        .await
        .unwrap();
    row.try_get(0).unwrap()
}

async fn responses_stored(server: &Server) -> i64 {
    count(server, "SELECT COUNT(*) FROM flow_responses").await
}

#[tokio::test]
async fn meta_s_handshake_answers_the_challenge_only_with_the_verify_token() {
    for database in databases("hooks_handshake").await {
        let server = start(config("hooks-handshake", &database)).await;
        let ask = |query: &str| client().get(server.at(&format!("/webhooks/whatsapp?{query}"))).send();
        let response = ask("hub.mode=subscribe&hub.verify_token=a%20verify%20token&hub.challenge=1158201444")
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        assert_eq!(response.headers()["content-type"], "text/plain; charset=utf-8");
        assert_eq!(response.text().await.unwrap(), "1158201444");
        for query in [
            "hub.mode=subscribe&hub.verify_token=a%20verify%20toke&hub.challenge=1",
            "hub.mode=subscribe&hub.verify_token=a%20verify%20token%20&hub.challenge=1",
            "hub.mode=unsubscribe&hub.verify_token=a%20verify%20token&hub.challenge=1",
            "hub.mode=subscribe&hub.challenge=1",
        ] {
            let (status, body) = json(ask(query).await.unwrap()).await;
            assert_error(status, &body, 403, "verification_failed");
        }
        // Without the flag, nothing can verify.
        let mut bare = workspace_config("hooks-handshake-bare", &database);
        bare.database_url = None;
        let bare = start(bare).await;
        let url = bare.at("/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=&hub.challenge=1");
        let (status, body) = json(client().get(url).send().await.unwrap()).await;
        assert_error(status, &body, 503, "webhook_not_configured");
    }
}

#[tokio::test]
async fn deliveries_are_recorded_only_when_signed_whole_and_once() {
    for database in databases("hooks_signature").await {
        let (server, account, flow) = with_flow("hooks-signature", &database).await;
        sent(&server, "s1", &flow, &account, "T1", "wamid.OUT1").await;
        let delivery = reply("wamid.IN1", None, json!({"flow_token": "T1", "city": "Leeds"}));
        let bytes = delivery.to_string().into_bytes();

        // Missing, wrong (another secret, another body), malformed header: 401, nothing recorded.
        let (status, body) = deliver_raw(&server, bytes.clone(), None).await;
        assert_error(status, &body, 401, "invalid_signature");
        for signature in [
            webhook::sign("another secret", &bytes),
            webhook::sign(APP_SECRET, b"{}"),
            "sha256=zz".to_owned(),
            webhook::sign(APP_SECRET, &bytes).replace("sha256=", "sha1="),
        ] {
            let (status, body) = deliver_raw(&server, bytes.clone(), Some(signature)).await;
            assert_error(status, &body, 401, "invalid_signature");
        }
        assert_eq!(responses_stored(&server).await, 0);

        // Signed: recorded; the same delivery again: acknowledged, not recorded twice.
        let (status, body) = deliver(&server, &delivery).await;
        assert_eq!(
            (status, &body["data"]),
            (200, &json!({"responses": 1, "replays": 0, "statuses": 0})),
            "{body}"
        );
        let (status, body) = deliver(&server, &delivery).await;
        assert_eq!(
            (status, &body["data"]),
            (200, &json!({"responses": 0, "replays": 1, "statuses": 0})),
            "{body}"
        );
        assert_eq!(responses_stored(&server).await, 1);

        // Malformed (signed, so the signature is not what refuses it) and huge: nothing recorded.
        for malformed in
            [b"{\"entry\": [".to_vec(), b"[]".to_vec(), b"{\"entry\": [{\"changes\": 3}]}".to_vec()]
        {
            let signature = webhook::sign(APP_SECRET, &malformed);
            let (status, body) = deliver_raw(&server, malformed, Some(signature)).await;
            assert_error(status, &body, 400, "malformed_delivery");
        }
        let mut huge = reply("wamid.HUGE", None, json!({"flow_token": "T1", "essay": "x".repeat(1_100_000)}));
        let huge_bytes = huge.to_string().into_bytes();
        let signature = webhook::sign(APP_SECRET, &huge_bytes);
        let (status, body) = deliver_raw(&server, huge_bytes, Some(signature)).await;
        assert_error(status, &body, 413, "delivery_too_large");
        // Streamed without a length, the limit holds while reading.
        huge["entry"][0]["id"] = json!("streamed");
        let huge_bytes = huge.to_string().into_bytes();
        let signature = webhook::sign(APP_SECRET, &huge_bytes);
        let chunks: Vec<Result<Vec<u8>, std::io::Error>> =
            huge_bytes.chunks(64 * 1024).map(|c| Ok(c.to_vec())).collect();
        let response = client()
            .post(server.at("/webhooks/whatsapp"))
            .header(SIGNATURE_HEADER, signature)
            .body(reqwest::Body::wrap_stream(futures_util::stream::iter(chunks)))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 413);
        assert_eq!(responses_stored(&server).await, 1);

        // Without --app-secret, nothing is accepted.
        let mut bare = workspace_config("hooks-signature-bare", &None);
        bare.webhook_verify_token = Some(Secret::new(VERIFY_TOKEN));
        let bare = start(bare).await;
        let (status, body) = deliver_raw(&bare, bytes.clone(), Some(webhook::sign(APP_SECRET, &bytes))).await;
        assert_error(status, &body, 503, "webhook_not_configured");
    }
}

/// WhatsApp calls from its servers under the name registered with it: the API's same-origin
/// and host checks do not apply, the signature does.
#[tokio::test]
async fn webhooks_answer_under_any_host_name_and_origin() {
    let (server, account, flow) = with_flow("hooks-host", &None).await;
    sent(&server, "s1", &flow, &account, "T1", "wamid.OUT1").await;
    let bytes = reply("wamid.IN1", None, json!({"flow_token": "T1"})).to_string().into_bytes();
    let send = |signature: Option<String>| {
        let mut request = client()
            .post(server.at("/webhooks/whatsapp"))
            .header("host", "flows.example.com")
            .header("origin", "https://elsewhere.example")
            .header("sec-fetch-site", "cross-site")
            .body(bytes.clone());
        if let Some(signature) = signature {
            request = request.header(SIGNATURE_HEADER, signature);
        }
        request.send()
    };
    let (status, body) = json(send(None).await.unwrap()).await;
    assert_error(status, &body, 401, "invalid_signature");
    let (status, body) = json(send(Some(webhook::sign(APP_SECRET, &bytes))).await.unwrap()).await;
    assert_eq!(status, 200, "{body}");
    // The API under that name is still refused (DNS rebinding).
    let response =
        client().get(server.at("/api/flows")).header("host", "flows.example.com").send().await.unwrap();
    assert_eq!(response.status(), 403);
}

#[tokio::test]
async fn deliveries_at_once_are_all_recorded_and_a_replay_among_them_once() {
    for database in databases("hooks_burst").await {
        let (server, account, flow) = with_flow("hooks-burst", &database).await;
        sent(&server, "s1", &flow, &account, "T1", "wamid.OUT1").await;
        // 60 deliveries in flight together (written in shared transactions), each of the 20
        // replies sent three times.
        let mut tasks = Vec::new();
        for n in 0..60 {
            let delivery =
                reply(&format!("wamid.IN{}", n % 20), None, json!({"flow_token": "T1", "n": n % 20}));
            let url = server.at("/webhooks/whatsapp");
            tasks.push(tokio::spawn(async move {
                let bytes = delivery.to_string().into_bytes();
                let response = client()
                    .post(url)
                    .header(SIGNATURE_HEADER, webhook::sign(APP_SECRET, &bytes))
                    .body(bytes)
                    .send()
                    .await
                    .unwrap();
                json(response).await
            }));
        }
        let (mut recorded, mut replays) = (0, 0);
        for task in tasks {
            let (status, body) = task.await.unwrap();
            assert_eq!(status, 200, "{body}");
            recorded += body["data"]["responses"].as_i64().unwrap();
            replays += body["data"]["replays"].as_i64().unwrap();
        }
        assert_eq!((recorded, replays), (20, 40));
        assert_eq!(responses_stored(&server).await, 20);
    }
}

#[tokio::test]
async fn replies_are_matched_by_the_message_they_answer_or_their_flow_token() {
    for database in databases("hooks_match").await {
        let (server, account, flow) = with_flow("hooks-match", &database).await;
        sent(&server, "s1", &flow, &account, "shared", "wamid.OUT1").await;
        sent(&server, "s2", &flow, &account, "T2", "wamid.OUT2").await;
        // By context.id, whatever the token says.
        deliver(
            &server,
            &reply("wamid.IN1", Some("wamid.OUT2"), json!({"flow_token": "shared", "city": "A"})),
        )
        .await;
        // By flow token, without a context.
        deliver(&server, &reply("wamid.IN2", None, json!({"flow_token": "shared", "city": "B"}))).await;
        // Neither: kept with no flow.
        deliver(&server, &reply("wamid.IN3", Some("wamid.ELSEWHERE"), json!({"flow_token": "other"}))).await;
        let rows = sqlx::query(
            "SELECT message_id, flow_id, sent_message_id FROM flow_responses ORDER BY message_id",
        )
        .fetch_all(server.state.workspace().store().pool())
        .await
        .unwrap();
        let rows: Vec<(String, Option<String>, Option<String>)> =
            rows.iter().map(|row| (row.get(0), row.get(1), row.get(2))).collect();
        assert_eq!(
            rows,
            vec![
                ("wamid.IN1".to_owned(), Some(flow.clone()), Some("s2".to_owned())),
                ("wamid.IN2".to_owned(), Some(flow.clone()), Some("s1".to_owned())),
                ("wamid.IN3".to_owned(), None, None),
            ]
        );
        let (_, page) =
            json(client().get(server.at(&format!("/api/flows/{flow}/responses"))).send().await.unwrap())
                .await;
        assert_eq!(page["data"]["total"], 2, "{page}");
    }
}

#[tokio::test]
async fn status_updates_move_sent_messages_forward_only() {
    for database in databases("hooks_status").await {
        let (server, account, flow) = with_flow("hooks-status", &database).await;
        sent(&server, "s1", &flow, &account, "T1", "wamid.OUT1").await;
        sent(&server, "s2", &flow, &account, "T2", "wamid.OUT2").await;
        // `read` can come before `delivered`; an unknown message is ignored.
        let (status, body) = deliver(
            &server,
            &statuses(&[
                ("wamid.OUT1", "sent", "1796515200"),
                ("wamid.OUT1", "read", "1796515260"),
                ("wamid.OUT1", "delivered", "1796515230"),
                ("wamid.OUT2", "failed", "1796515300"),
                ("wamid.UNKNOWN", "delivered", "1796515300"),
            ]),
        )
        .await;
        assert_eq!((status, &body["data"]["statuses"]), (200, &json!(3)), "{body}");
        let listed = server.state.messages().sent_of_flow(&flow, 10).await.unwrap();
        let by_id = |id: &str| listed.iter().find(|message| message.id == id).unwrap().clone();
        let first = by_id("s1");
        assert_eq!((first.status.as_str(), first.status_at), ("read", 1_796_515_260_000));
        let second = by_id("s2");
        assert_eq!(second.status, "failed");
        assert_eq!(second.status_detail.as_deref(), Some("Re-engagement message (131047)"));
    }
}

#[tokio::test]
async fn three_sixty_dialog_delivers_to_a_secret_path_per_account() {
    for database in databases("hooks_360").await {
        let (server, account, flow) = with_flow("hooks-360", &database).await;
        sent(&server, "s1", &flow, &account, "T1", "wamid.OUT1").await;
        let (status, made) =
            json(client().post(server.at(&format!("/api/accounts/{account}/webhook"))).send().await.unwrap())
                .await;
        assert_eq!(status, 200, "{made}");
        let path = made["data"]["path"].as_str().unwrap().to_owned();
        assert!(path.starts_with("/webhooks/360dialog/") && path.len() > 60, "{path}");
        assert_eq!(made["data"]["url"], json!(server.at(&path)));
        // Only its hash is kept.
        let secret = path.rsplit('/').next().unwrap();
        let kept: String = sqlx::query("SELECT secret_sha256 FROM account_webhooks")
            .fetch_one(server.state.workspace().store().pool())
            .await
            .unwrap()
            .get(0);
        assert_ne!(kept, secret);
        // 360dialog's on-premise shape: the value at the top level, unsigned.
        let delivery = json!({"messages": [{"from": PHONE, "id": "wamid.IN1", "type": "interactive",
            "interactive": {"type": "nfm_reply", "nfm_reply": {"response_json": "{\"flow_token\": \"T1\", \"city\": \"C\"}"}}}]});
        let (status, body) =
            json(client().post(server.at(&path)).json(&delivery).send().await.unwrap()).await;
        assert_eq!((status, &body["data"]["responses"]), (200, &json!(1)), "{body}");
        // Matched by its token among the account's messages.
        let row = sqlx::query("SELECT flow_id, account_id, sent_message_id FROM flow_responses")
            .fetch_one(server.state.workspace().store().pool())
            .await
            .unwrap();
        let matched: (Option<String>, Option<String>, Option<String>) = (row.get(0), row.get(1), row.get(2));
        assert_eq!(matched, (Some(flow.clone()), Some(account.clone()), Some("s1".to_owned())));
        let (status, body) = json(
            client()
                .post(server.at("/webhooks/360dialog/not-the-secret"))
                .json(&delivery)
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_error(status, &body, 404, "not_found");
        // A new path replaces the old.
        client().post(server.at(&format!("/api/accounts/{account}/webhook"))).send().await.unwrap();
        let (status, _) = json(client().post(server.at(&path)).json(&delivery).send().await.unwrap()).await;
        assert_eq!(status, 404);
        assert_eq!(responses_stored(&server).await, 1);
    }
}

/// A response received at `at` (milliseconds), straight into the store.
async fn stored_response(server: &Server, flow: &str, n: usize, at: i64, fields: Value) {
    let mut connection = server.state.workspace().store().pool().acquire().await.unwrap();
    let response = FlowResponse {
        id: format!("r{n:04}"),
        message_id: format!("wamid.IN{n}"),
        flow_id: Some(flow.to_owned()),
        account_id: None,
        sent_message_id: None,
        phone: PHONE.to_owned(),
        flow_token: Some("T".to_owned()),
        response_json: fields.to_string(),
        replied_at: None,
        received_at: at,
    };
    assert!(flowsmith_server::messages::store::insert_response(&mut connection, &response).await.unwrap());
}

#[tokio::test]
async fn the_responses_page_pages_filters_counts_and_masks_by_role() {
    const DAY: i64 = 86_400_000;
    const START: i64 = 1_796_515_200_000; // 2026-12-06T00:00:00Z
    for database in databases("hooks_page").await {
        let (server, _, flow) = with_flow("hooks-page", &database).await;
        // 30 responses: 10 a day over three days, the newest last.
        for n in 0..30 {
            let at = START + (n as i64 / 10) * DAY + (n as i64 % 10) * 60_000;
            stored_response(
                &server,
                &flow,
                n,
                at,
                json!({"flow_token": "T", "city": format!("city {n}"), "pin": "1234"}),
            )
            .await;
        }
        for role in Role::ALL {
            server.state.auth().add_user(role.as_str(), role, PASSWORD).await.unwrap();
        }
        let (viewer, publisher) = (
            common::session_cookie(&server, "viewer", PASSWORD).await,
            common::session_cookie(&server, "publisher", PASSWORD).await,
        );
        let get = |path: String, cookie: &str| client().get(server.at(&path)).header("cookie", cookie).send();

        let (status, body) =
            json(get(format!("/api/flows/{flow}/responses?page=2&limit=12"), &viewer).await.unwrap()).await;
        assert_eq!(status, 200, "{body}");
        let data = &body["data"];
        assert_eq!(
            (data["total"].clone(), data["page"].clone(), data["limit"].clone()),
            (json!(30), json!(2), json!(12))
        );
        let items = data["items"].as_array().unwrap();
        assert_eq!(items.len(), 12);
        // Newest first: the second page starts at the 13th newest (n = 17).
        assert_eq!(items[0]["fields"], json!({"city": "city 17", "pin": "••••"}));
        assert_eq!(items[0]["received_at"], "2026-12-07T00:07:00.000Z");
        assert_eq!(items[0]["phone"], "+44 ••••••01 23");
        assert_eq!(data["phone_masked"], true);
        assert_eq!(data["columns"], json!(["city", "pin"]));
        assert_eq!(data["sensitive_fields"], json!(["pin", "pin_code"]));
        assert_eq!(
            data["per_day"],
            json!([{"day": "2026-12-06", "count": 10}, {"day": "2026-12-07", "count": 10}, {"day": "2026-12-08", "count": 10}])
        );
        assert!(!body.to_string().contains("1234") && !body.to_string().contains("7700900"), "{body}");

        // A publisher sees the phone, never the sensitive field.
        let (_, body) =
            json(get(format!("/api/flows/{flow}/responses?limit=1"), &publisher).await.unwrap()).await;
        assert_eq!(body["data"]["items"][0]["phone"], "+447700900123");
        assert_eq!(body["data"]["items"][0]["fields"]["pin"], "••••");
        assert_eq!(body["data"]["phone_masked"], false);

        // The time filter: the second day only (`to` excluded).
        let path = format!("/api/flows/{flow}/responses?from=2026-12-07T00:00:00Z&to={}", START + 2 * DAY);
        let (_, body) = json(get(path, &viewer).await.unwrap()).await;
        assert_eq!(body["data"]["total"], 10, "{body}");
        assert_eq!(body["data"]["per_day"], json!([{"day": "2026-12-07", "count": 10}]));
        // Partial days at both ends, and a range within one day, are counted exactly.
        let path = format!("/api/flows/{flow}/responses?from=2026-12-06T00:05:00Z&to=2026-12-08T00:03:00Z");
        let (_, body) = json(get(path, &viewer).await.unwrap()).await;
        assert_eq!(
            body["data"]["per_day"],
            json!([{"day": "2026-12-06", "count": 5}, {"day": "2026-12-07", "count": 10}, {"day": "2026-12-08", "count": 3}])
        );
        assert_eq!(body["data"]["total"], 18);
        let path = format!("/api/flows/{flow}/responses?from=2026-12-07T00:02:00Z&to=2026-12-07T00:05:00Z");
        let (_, body) = json(get(path, &viewer).await.unwrap()).await;
        assert_eq!((&body["data"]["total"], body["data"]["items"].as_array().unwrap().len()), (&json!(3), 3));
        let path = format!("/api/flows/{flow}/responses?to=2026-12-07T00:04:00Z");
        let (_, body) = json(get(path, &viewer).await.unwrap()).await;
        assert_eq!(
            body["data"]["per_day"],
            json!([{"day": "2026-12-06", "count": 10}, {"day": "2026-12-07", "count": 4}])
        );

        // Refusals.
        for (query, field) in [("limit=0", "limit"), ("page=x", "page"), ("from=soon", "from")] {
            let (status, body) =
                json(get(format!("/api/flows/{flow}/responses?{query}"), &viewer).await.unwrap()).await;
            let message = assert_error(status, &body, 400, "invalid_request");
            assert!(message.starts_with(field), "{message}");
        }
        let (status, body) = json(get("/api/flows/nope/responses".to_owned(), &viewer).await.unwrap()).await;
        assert_error(status, &body, 404, "not_found");
        let (status, body) =
            json(client().get(server.at(&format!("/api/flows/{flow}/responses"))).send().await.unwrap())
                .await;
        assert_error(status, &body, 401, "sign_in_required");

        // CSV: every row, masked the same way, formulas defused.
        stored_response(
            &server,
            &flow,
            99,
            START + 3 * DAY,
            json!({"city": "=HYPERLINK(\"x\")", "pin": "9"}),
        )
        .await;
        let response = get(format!("/api/flows/{flow}/responses.csv"), &viewer).await.unwrap();
        assert_eq!(response.headers()["content-type"], "text/csv; charset=utf-8");
        let csv = response.text().await.unwrap();
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines.len(), 32, "{csv}");
        assert_eq!(lines[0], "received_at,phone,city,pin");
        assert_eq!(lines[1], "2026-12-09T00:00:00.000Z,'+44 ••••••01 23,\"'=HYPERLINK(\"\"x\"\")\",••••");
        assert!(!csv.contains("1234"), "{csv}");
        let csv = get(format!("/api/flows/{flow}/responses.csv?from=2026-12-08T00:00:00Z"), &publisher)
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert_eq!(csv.lines().count(), 12, "{csv}");
        assert!(csv.contains("'+447700900123"), "{csv}");
    }
}

#[tokio::test]
async fn forwarded_deliveries_are_signed_as_meta_signs_them() {
    use std::sync::{Arc, Mutex};
    /// What the stub received: the signature header and the body.
    type Received = Vec<(String, Vec<u8>)>;
    let received: Arc<Mutex<Received>> = Arc::default();
    let kept = Arc::clone(&received);
    let router = axum::Router::new().route(
        "/hook",
        axum::routing::post(move |headers: axum::http::HeaderMap, body: axum::body::Bytes| {
            let kept = Arc::clone(&kept);
            async move {
                let signature = headers[SIGNATURE_HEADER].to_str().unwrap().to_owned();
                kept.lock().unwrap().push((signature, body.to_vec()));
                "ok"
            }
        }),
    );
    let (base, _, _task) = common::stub(router).await;
    let mut config = config("hooks-forward", &None);
    config.webhook_forward_url = Some(format!("{base}/hook"));
    let server = start(config).await;
    let body = reply("wamid.IN1", Some("wamid.OUT1"), json!({"flow_token": "T"})).to_string().into_bytes();
    assert_eq!(server.state.messages().forward(body.clone()).await, Ok(200));
    let (signature, got) = received.lock().unwrap().pop().unwrap();
    assert_eq!(got, body);
    assert!(webhook::verify(APP_SECRET, &got, signature.as_bytes()), "{signature}");
    // What it forwards, this server's own webhook accepts.
    let (status, answer) = deliver_raw(&server, got, Some(signature)).await;
    assert_eq!(status, 200, "{answer}");

    // Forwarding needs the secret to sign with.
    let mut unsigned = workspace_config("hooks-forward-bare", &None);
    unsigned.webhook_forward_url = Some(format!("{base}/hook"));
    let refused = Settings::from_config(&unsigned).unwrap_err().to_string();
    assert!(refused.contains("--app-secret"), "{refused}");
}
