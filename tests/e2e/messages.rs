//! Sending a flow to a phone end to end (issue 20), in Chromium against a real `flowsmith serve`
//! in sandbox mode that forwards the sandbox's replies to a listener of this test, signed with
//! `--app-secret`: a draft is sent to a test phone from the Send dialog, opened from the Test
//! phone, completed in the phone preview; its answer is then among the flow's responses (the API
//! and the Responses view) and in the forwarded webhook, whose `X-Hub-Signature-256` is checked
//! here with HMAC-SHA256.
use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::TcpListener;
use std::sync::mpsc;
use std::time::Duration;

use flowsmith::api::{Client, HttpRequest, Method, Transport as _, Via};
use hmac::{Hmac, Mac as _};
use serde_json::Value;

use crate::client::Native;
use crate::support::{self, Page};

const SECRET: &str = "e2e-app-secret";
const PHONE: &str = "+15550001111";

/// One screen asking a name, completing with it.
const ASK_NAME: &str = r#"{"version": "7.3", "screens": [{"id": "ASK", "title": "Your name", "terminal": true,
  "success": true, "layout": {"type": "SingleColumnLayout", "children": [
    {"type": "TextInput", "name": "name", "label": "Name", "required": true},
    {"type": "Footer", "label": "Send", "on-click-action": {"name": "complete", "payload": {"name": "${form.name}"}}}]}}]}"#;

/// A request the listener received: its headers (lower-case names) and body.
type Received = (Vec<(String, String)>, Vec<u8>);

/// A listener answering 200 to each POST; each request comes out of the channel.
fn webhook_listener() -> (String, mpsc::Receiver<Received>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a port");
    let url = format!("http://{}/hook", listener.local_addr().expect("its address"));
    let (sender, receiver) = mpsc::channel();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().expect("a second handle"));
            let mut headers = Vec::new();
            let mut line = String::new();
            reader.read_line(&mut line).expect("the request line");
            loop {
                line.clear();
                reader.read_line(&mut line).expect("a header");
                let Some((name, value)) = line.trim_end().split_once(':') else { break };
                headers.push((name.trim().to_ascii_lowercase(), value.trim().to_owned()));
            }
            let length = headers
                .iter()
                .find(|(name, _)| name == "content-length")
                .and_then(|(_, value)| value.parse::<usize>().ok())
                .unwrap_or(0);
            let mut body = vec![0; length];
            reader.read_exact(&mut body).expect("the body");
            let _ = stream.write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\nconnection: close\r\n\r\n");
            let _ = sender.send((headers, body));
        }
    });
    (url, receiver)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

#[tokio::test]
#[ignore = "needs the built app and chromedriver: run by `cargo xtask test`"]
async fn a_draft_sent_to_a_test_phone_is_answered_and_forwarded_signed() {
    let (hook, deliveries) = webhook_listener();
    let (_server, url) =
        support::start_server_with(&["--webhook-forward-url", &hook, "--app-secret", SECRET]);
    let api = Client::new(Native::new(), Via::Server { origin: url.clone() });
    let accounts = api.ws_accounts().await.expect("accounts");
    let clinic = accounts.iter().find(|account| account.external_id == "sandbox1WA").expect("the clinic");
    let flow = api.ws_create(&clinic.id, "Ask a name", ASK_NAME, "Ana").await.expect("created");
    api.ws_operation(&flow.id, "save-to-meta", "Ana").await.expect("saved to WhatsApp");
    // More flows, changed later: the test phone must find this one past the list's first page.
    for index in 0..100 {
        api.ws_create(&clinic.id, &format!("Other {index}"), ASK_NAME, "Ana").await.expect("created");
    }

    let (_driver, client) = support::start_browser().await;
    let page = Page { client: &client };
    // The Send dialog of the flow (what its row's Send… and the editor's open).
    client.goto(&format!("{url}/flows?send={}", flow.id)).await.expect("the Flows page loads");
    page.find("[data-testid=send-dialog] [data-testid=send-to]").await;
    let mode = page.find("[data-testid=send-mode]").await.prop("value").await.expect("the mode");
    assert_eq!(mode.as_deref(), Some("draft"), "a flow never published is sent as a draft");
    page.fill("[data-testid=send-to]", PHONE).await;
    page.fill("[data-testid=send-body]", "Tell us your name").await;
    page.click("[data-testid=send-confirm]").await;
    page.find("[data-testid=send-done]").await;
    page.until("the sent list", "document.querySelectorAll('[data-testid=sent-message]').length === 1").await;

    // The test phone received it; its button opens the flow in the phone preview.
    client.goto(&format!("{url}/flows?tab=phones")).await.expect("the Test phone tab");
    let cta = format!("[data-testid=test-phone][data-phone='{PHONE}'] [data-testid=chat-cta]");
    page.find(&cta).await;
    assert_eq!(
        page.texts(&format!("[data-phone='{PHONE}'] [data-testid=chat-body]")).await,
        ["Tell us your name"]
    );
    page.click(&cta).await;
    let frame = page.find("[data-testid=test-phone-preview]").await;
    frame.enter_frame().await.expect("the preview frame");
    page.fill("[data-name=name] input", "Ana Silva").await;
    page.click("[data-testid=preview-footer]").await;
    client.enter_parent_frame().await.expect("back to the page");
    page.find(&format!("[data-phone='{PHONE}'] [data-testid=chat-reply]")).await;
    assert!(page.texts("[data-testid=chat-reply]").await[0].contains("Ana Silva"));

    // Among the flow's responses…
    let answer = Native::new()
        .send(HttpRequest {
            method: Method::Get,
            url: format!("{url}/api/flows/{}/responses", flow.id),
            headers: Vec::new(),
            body: None,
        })
        .await
        .expect("the responses");
    assert_eq!(answer.status, 200, "{}", answer.body);
    let responses: Value = serde_json::from_str(&answer.body).expect("JSON");
    assert_eq!(responses["data"]["total"], 1, "{responses}");
    assert!(responses["data"]["items"].to_string().contains("Ana Silva"), "{responses}");

    // …in the flow's responses table…
    client.goto(&format!("{url}/flows?responses={}", flow.id)).await.expect("the Responses view");
    page.find("[data-testid=responses-row]").await;
    let cells = page.texts("[data-testid=responses-row] td").await;
    assert!(cells.iter().any(|cell| cell == "Ana Silva"), "{cells:?}");

    // …and forwarded, signed as Meta signs: HMAC-SHA256 of the body under the app secret.
    let (headers, body) = deliveries.recv_timeout(Duration::from_secs(15)).expect("the forwarded webhook");
    let signature = headers
        .iter()
        .find(|(name, _)| name == "x-hub-signature-256")
        .map(|(_, value)| value.clone())
        .expect("X-Hub-Signature-256");
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(SECRET.as_bytes()).expect("a key");
    mac.update(&body);
    assert_eq!(signature, format!("sha256={}", hex(&mac.finalize().into_bytes())));
    let delivery: Value = serde_json::from_slice(&body).expect("JSON");
    let reply = &delivery["entry"][0]["changes"][0]["value"]["messages"][0];
    assert_eq!(reply["from"], PHONE.trim_start_matches('+'));
    let response: Value =
        serde_json::from_str(reply["interactive"]["nfm_reply"]["response_json"].as_str().expect("a string"))
            .expect("response_json is JSON");
    assert_eq!(response["name"], "Ana Silva");
    assert!(
        response["flow_token"].as_str().is_some_and(|token| token.starts_with("flowsmith-")),
        "{response}"
    );
    client.close().await.expect("the session closes");
}
