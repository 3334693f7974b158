//! A flow's responses end to end (issue 20, item 5), against a real `flowsmith serve` in
//! sandbox mode: a draft is sent to a sandbox test phone (`POST /api/messages`) and completed
//! there (`POST /sandbox/control/messages/{id}/complete`); the app's typed client reads the
//! page; in Chromium the Flows page opens the flow's Responses, which show the row (the phone,
//! the field's column), the count of the day, and download the CSV.
use std::time::{Duration, Instant};

use flowsmith::api::responses::ResponsesQuery;
use flowsmith::api::{Client, HttpRequest, Method, Transport, Via};
use serde_json::{Value, json};

use crate::client::Native;
use crate::support::{self, Page, key};

const TEST_PHONE: &str = "+15550001111";

fn survey() -> String {
    json!({"version": "7.2", "screens": [{"id": "SURVEY", "title": "Survey", "terminal": true,
        "data": {"city_hint": {"type": "string", "__example__": "Paris"}},
        "layout": {"type": "SingleColumnLayout", "children": [
            {"type": "TextInput", "name": "city", "label": "City"},
            {"type": "Footer", "label": "Send", "on-click-action": {"name": "complete",
                "payload": {"city": "${form.city}"}}}]}}]})
    .to_string()
}

/// POSTs `body` as JSON to `url` (with the sandbox's key); answers status and JSON.
async fn post(url: String, body: &Value) -> (u16, Value) {
    let request = HttpRequest {
        method: Method::Post,
        url,
        headers: vec![("Content-Type", "application/json".to_owned()), ("X-API-Key", "sandbox".to_owned())],
        body: Some(body.to_string()),
    };
    let response = Native::new().send(request).await.expect("the server answers");
    (response.status, serde_json::from_str(&response.body).unwrap_or(Value::Null))
}

async fn wait_for_file(path: &std::path::Path) -> String {
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        if let Ok(text) = std::fs::read_to_string(path)
            && text.contains('\n')
        {
            return text;
        }
        assert!(Instant::now() < deadline, "{} was not downloaded", path.display());
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
#[ignore = "needs the built app and chromedriver: run by `cargo xtask test`"]
async fn a_completed_flow_shows_in_its_responses_with_the_day_s_count_and_the_csv() {
    let (_server, url) = support::start_server();
    let api = Client::new(Native::new(), Via::Server { origin: url.clone() });
    let accounts = api.ws_accounts().await.expect("accounts");
    let clinic = accounts.iter().find(|account| account.external_id == "sandbox1WA").expect("the clinic");
    let flow = api.ws_create(&clinic.id, "Where are you", &survey(), "Ana").await.expect("created");
    api.ws_operation(&flow.id, "save-to-meta", "Ana").await.expect("saved to WhatsApp");
    let empty = api.ws_responses(&flow.id, &ResponsesQuery::default()).await.expect("no responses yet");
    assert_eq!(empty.total, 0);

    let message = json!({"flow_id": flow.id, "to": TEST_PHONE, "body": "Where are you?", "cta": "Open",
        "flow_token": "E2E-1", "action": "navigate", "screen": "SURVEY", "data": {"city_hint": "Lyon"},
        "mode": "draft"});
    let (status, sent) = post(format!("{url}/api/messages"), &message).await;
    assert_eq!(status, 201, "{sent}");
    let wamid = sent["data"]["message_id"].as_str().expect("WhatsApp's id").to_owned();
    let (status, completed) = post(
        format!("{url}/sandbox/control/messages/{wamid}/complete"),
        &json!({"response_json": {"city": "Lyon"}}),
    )
    .await;
    assert_eq!((status, &completed["responses"]), (200, &json!(1)), "{completed}");

    // The typed client reads the page as the view shows it.
    let page = api.ws_responses(&flow.id, &ResponsesQuery::default()).await.expect("responses");
    assert_eq!((page.total, page.columns.as_slice()), (1, ["city".to_owned()].as_slice()));
    assert_eq!(page.items[0].field("city"), "Lyon");
    let day = page.per_day[0].0.clone();
    let outside = ResponsesQuery { to: "2000-01-01".into(), ..ResponsesQuery::default() };
    assert_eq!(api.ws_responses(&flow.id, &outside).await.expect("filtered").total, 0);

    let downloads = std::env::temp_dir().join(format!("flowsmith-e2e-responses-{}", support::free_port()));
    std::fs::create_dir_all(&downloads).expect("a downloads folder");
    let (_driver, client) = support::start_browser_downloading_to(Some(&downloads)).await;
    let browser = Page { client: &client };
    browser.client.goto(&format!("{url}/flows")).await.expect("the Flows page loads");
    browser.click(&format!("[data-flow-id='{}'] [data-testid=ws-flow-responses]", flow.id)).await;
    browser.find("[data-testid=responses-row]").await;
    let cells = browser.texts("[data-testid=responses-row] td").await;
    assert_eq!(cells[1..], [TEST_PHONE.to_owned(), "Lyon".to_owned()], "{cells:?}");
    assert_eq!(browser.texts("[data-testid=responses-day] .per-day__label").await, [day]);
    assert_eq!(browser.texts("[data-testid=responses-day-count]").await, ["1"]);
    assert_eq!(browser.texts("[data-testid=responses-range]").await, ["1–1 of 1"]);

    // The export is a link: reached with Tab, followed with Enter.
    browser.tab_to("[data-testid=responses-csv]").await;
    browser.press(key::ENTER).await;
    let csv = wait_for_file(&downloads.join(format!("responses-{}.csv", flow.id))).await;
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], "received_at,phone,city", "{csv}");
    assert!(lines[1].ends_with(&format!("'{TEST_PHONE},Lyon")), "{csv}");

    // A filter on days without responses: said so.
    // (Typing into a date field depends on the browser's locale: the value is set as a
    // date picker sets it.)
    browser
        .script(
            "const to = document.querySelector('[data-testid=responses-to]'); to.value = '1999-01-01'; \
             to.dispatchEvent(new Event('change', {bubbles: true}));",
        )
        .await;
    browser.find("[data-testid=responses-empty]").await;
    client.close().await.expect("the session closes");
}
