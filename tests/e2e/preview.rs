//! The phone preview: beside the editor (the appointment sample walked to its response, the
//! selection both ways), and as the `/embed` page framed by another origin, loaded from a
//! sandbox preview link and from a `#flow=` fragment.
use std::io::{Read, Write};
use std::net::TcpListener;
use std::time::Duration;

use fantoccini::Client;
use serde_json::{Value, json};

use crate::support::{self, Page};

/// Enters the editor's preview iframe.
async fn enter_preview(client: &Client) {
    client.enter_frame(0).await.expect("the preview frame");
}

/// Sets a date input's value as a picker would.
async fn pick_date(page: &Page<'_>, selector: &str, date: &str) {
    page.find(selector).await;
    page.script(&format!(
        "const input = document.querySelector('{selector}'); input.value = '{date}'; \
         input.dispatchEvent(new Event('change', {{ bubbles: true }}));"
    ))
    .await;
}

/// Clicks an element of the phone after scrolling it to the middle of the screen, as a person
/// would: the Footer is pinned over the bottom of the screen.
async fn tap(page: &Page<'_>, selector: &str) {
    page.find(selector).await;
    page.script(&format!("document.querySelector(\"{selector}\").scrollIntoView({{ block: 'center' }});"))
        .await;
    page.click(selector).await;
}

async fn title(page: &Page<'_>) -> String {
    page.find("[data-testid=preview-title]").await.text().await.unwrap_or_default()
}

async fn wait_title(page: &Page<'_>, expected: &str) {
    page.until(
        &format!("the preview shows '{expected}'"),
        &format!("document.querySelector('[data-testid=preview-title]')?.textContent === '{expected}'"),
    )
    .await;
}

#[tokio::test]
#[ignore = "needs the built app and chromedriver: run by `cargo xtask test`"]
async fn appointment_sample_is_walked_in_the_preview_to_its_response() {
    let (_server, url) = support::start_server();
    let (_driver, client) = support::start_browser().await;
    let page = Page { client: &client };
    client.goto(&url).await.expect("the app loads");
    page.find("[data-testid=screen-list]").await;
    page.click("[data-testid=toggle-preview]").await;
    page.find("[data-testid=preview-frame]").await;

    // Selecting a card highlights it in the phone.
    page.click("[data-testid=component-card][data-type=Dropdown]").await;
    enter_preview(&client).await;
    wait_title(&page, "Book appointment").await;
    page.find(".wa-c--highlight[data-type=Dropdown]").await;
    // A click in the phone selects the card.
    page.click(".wa-c[data-type=TextSubheading]").await;
    client.enter_parent_frame().await.expect("back to the editor");
    page.until(
        "the clicked component's card to be selected",
        "document.querySelector('[data-testid=component-card][aria-current=true]')?.dataset.type === 'TextSubheading'",
    )
    .await;
    // The preview follows the selected screen, and Restart starts again.
    page.click("[data-screen-id=DETAILS] .screen-item__main").await;
    enter_preview(&client).await;
    wait_title(&page, "Your details").await;
    page.click("[data-testid=preview-restart]").await;
    wait_title(&page, "Book appointment").await;

    // Screen 1: a required Dropdown, DatePicker and RadioButtonsGroup.
    page.click("[data-testid=preview-footer]").await;
    page.until(
        "three required messages",
        "document.querySelectorAll('[data-testid=preview-error]:not(:empty)').length === 3",
    )
    .await;
    assert_eq!(title(&page).await, "Book appointment", "a required field stops the Footer");
    page.choose(".wa-c[data-type=Dropdown] select", "dental").await;
    pick_date(&page, ".wa-c[data-type=DatePicker] input", "2026-12-01").await;
    tap(&page, ".wa-c[data-type=RadioButtonsGroup] input[value='10:30']").await;
    page.click("[data-testid=preview-footer]").await;
    wait_title(&page, "Your details").await;

    // Screen 2: text inputs with their input types.
    page.fill("[data-name=name] input", "Ana Silva").await;
    page.fill("[data-name=email] input", "ana@").await;
    page.fill("[data-name=phone] input", "+351 912 345 678").await;
    page.fill("[data-name=notes] textarea", "First visit").await;
    page.click("[data-testid=preview-footer]").await;
    page.until(
        "the email's message",
        "document.querySelector('[data-name=email] [data-testid=preview-error]')?.textContent === 'Enter a valid email address.'",
    )
    .await;
    page.fill("[data-name=email] input", "ana@example.com").await;
    page.click("[data-testid=preview-footer]").await;
    wait_title(&page, "Confirm booking").await;

    // Screen 3: the navigate payload became ${data}; the OptIn is required.
    let bodies = page.texts(".wa-c[data-type=TextBody]").await;
    assert_eq!(bodies, ["Appointment: 2026-12-01 at 10:30", "Name: Ana Silva, ana@example.com"]);
    page.click("[data-testid=preview-footer]").await;
    page.until(
        "the opt-in's message",
        "document.querySelector('[data-name=accept_policy] [data-testid=preview-error]')?.textContent === 'This field is required.'",
    )
    .await;
    tap(&page, "[data-name=accept_policy] input").await;
    page.click("[data-testid=preview-footer]").await;
    let response = page.find("[data-testid=preview-response]").await.text().await.expect("the response");
    let response: Value = serde_json::from_str(&response).expect("the response is JSON");
    assert_eq!(
        response,
        json!({"department": "dental", "date": "2026-12-01", "time": "10:30", "name": "Ana Silva",
               "email": "ana@example.com", "phone": "+351 912 345 678", "notes": "First visit",
               "accept_policy": true, "flow_token": "unused"})
    );

    // The preview's settings are edited in the phone's pane and kept with the draft.
    page.click("[data-testid=preview-restart-flow]").await;
    page.click("[data-testid=preview-settings-toggle]").await;
    page.choose("[data-testid=preview-theme-select]", "dark").await;
    page.find(".wa-phone[data-theme=dark]").await;
    client.enter_parent_frame().await.expect("back to the editor");
    tokio::time::sleep(Duration::from_millis(600)).await;
    client.refresh().await.expect("the editor reloads");
    page.click("[data-testid=toggle-preview]").await;
    enter_preview(&client).await;
    wait_title(&page, "Book appointment").await;
    page.find(".wa-phone[data-theme=dark]").await;
    client.close().await.expect("the session closes");
}

const SMALL_FLOW: &str = r#"{"version": "7.3", "screens": [
  {"id": "ASK", "title": "Ask", "layout": {"type": "SingleColumnLayout", "children": [
    {"type": "TextInput", "name": "nick", "label": "Nickname", "required": true},
    {"type": "Footer", "label": "Next", "on-click-action": {"name": "navigate", "next": {"type": "screen", "name": "DONE"}, "payload": {"nick": "${form.nick}"}}}]}},
  {"id": "DONE", "title": "Done", "terminal": true, "data": {"nick": {"type": "string", "__example__": "x"}},
   "layout": {"type": "SingleColumnLayout", "children": [
    {"type": "TextBody", "text": "`'Hi ' ${data.nick}`"},
    {"type": "Footer", "label": "Finish", "on-click-action": {"name": "complete", "payload": {"nick": "${data.nick}"}}}]}}]}"#;

/// A page on its own port (another origin) that frames `/embed`, loads a flow when the
/// preview is ready, and records every event it receives.
fn host_page(embed_origin: &str) -> String {
    format!(
        r#"<!doctype html><title>Host</title>
<iframe id="preview" src="{embed_origin}/embed" width="420" height="780"></iframe>
<script>
window.events = [];
const frame = document.getElementById('preview');
addEventListener('message', (event) => {{
  if (event.origin !== '{embed_origin}' || event.source !== frame.contentWindow) return;
  window.events.push(event.data);
  if (event.data.type === 'flowsmith:ready') {{
    frame.contentWindow.postMessage({{ type: 'flowsmith:load', flow: {SMALL_FLOW} }}, '{embed_origin}');
  }}
}});
</script>"#
    )
}

#[tokio::test]
#[ignore = "needs the built app and chromedriver: run by `cargo xtask test`"]
async fn embed_framed_by_another_origin_exchanges_the_protocol_events() {
    let host_port = support::free_port();
    let host_origin = format!("http://127.0.0.1:{host_port}");
    let (_server, url) = support::start_server_with(&["--frame-ancestor", &host_origin]);
    let listener_url = serve_host_on(host_port, host_page(&url));
    let (_driver, client) = support::start_browser().await;
    let page = Page { client: &client };
    client.goto(&listener_url).await.expect("the host page loads");
    page.until("the preview's ready event", "window.events.some((e) => e.type === 'flowsmith:ready')").await;
    client.enter_frame(0).await.expect("the embed frame");
    wait_title(&page, "Ask").await;
    page.fill("[data-name=nick] input", "Ana").await;
    page.click("[data-testid=preview-footer]").await;
    wait_title(&page, "Done").await;
    assert_eq!(page.texts(".wa-c[data-type=TextBody]").await, ["Hi Ana"]);
    page.click("[data-testid=preview-footer]").await;
    page.find("[data-testid=preview-complete]").await;
    client.enter_parent_frame().await.expect("back to the host");
    page.until("the complete event", "window.events.some((e) => e.type === 'flowsmith:complete')").await;
    let events = page.script("return window.events;").await;
    // Clicks in the phone also tell the host which component was clicked; the rest, in order:
    let types: Vec<&str> = events
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["type"].as_str())
        .filter(|t| *t != "flowsmith:component")
        .collect();
    assert_eq!(types, ["flowsmith:ready", "flowsmith:screen", "flowsmith:screen", "flowsmith:complete"]);
    let screens: Vec<&str> = events
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["type"] == "flowsmith:screen")
        .filter_map(|e| e["screen"].as_str())
        .collect();
    assert_eq!(screens, ["ASK", "DONE"]);
    let complete = events.as_array().unwrap().iter().find(|e| e["type"] == "flowsmith:complete").unwrap();
    assert_eq!(complete["screen"], "DONE");
    assert_eq!(complete["response"], json!({"nick": "Ana", "flow_token": "unused"}));
    client.close().await.expect("the session closes");
}

/// Serves `html` to every request on `port` (another origin than the server's), until the
/// test ends.
fn serve_host_on(port: u16, html: String) -> String {
    let listener = TcpListener::bind(("127.0.0.1", port)).expect("the host port");
    let url = format!("http://127.0.0.1:{port}");
    std::thread::spawn(move || {
        for stream in listener.incoming().take(64) {
            let Ok(mut stream) = stream else { continue };
            let mut request = [0_u8; 4096];
            let _ = stream.read(&mut request);
            let head = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: text/html; charset=utf-8\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
                html.len()
            );
            let _ = stream.write_all(head.as_bytes());
            let _ = stream.write_all(html.as_bytes());
        }
    });
    url
}

#[tokio::test]
#[ignore = "needs the built app and chromedriver: run by `cargo xtask test`"]
async fn embed_loads_a_sandbox_preview_link_and_a_fragment() {
    let (_server, url) = support::start_server();
    let (_driver, client) = support::start_browser().await;
    let page = Page { client: &client };
    client.goto(&format!("{url}/healthz")).await.expect("a page of the server");
    // The sandbox's preview link opens /embed?flow=<its flow.json>.
    let preview = client
        .execute_async(
            "const done = arguments[0]; fetch('/sandbox/api/v2/partners/sandboxPA/waba_accounts/sandbox1WA/flows/1287346519273403/preview', { headers: { 'x-api-key': 'sandbox' } }).then((r) => r.json()).then(done);",
            Vec::new(),
        )
        .await
        .expect("the preview link");
    let link = preview["preview"]["preview_url"].as_str().expect("a preview_url").to_owned();
    assert!(link.starts_with(&format!("{url}/embed?flow=")), "{link}");
    client.goto(&link).await.expect("the preview link opens");
    page.find("[data-testid=preview-screen]").await;
    assert!(!title(&page).await.is_empty());

    // A flow in the fragment: base64url of raw deflate.
    let fragment = client
        .execute_async(
            "const [text, done] = arguments; const stream = new Blob([text]).stream().pipeThrough(new CompressionStream('deflate-raw'));\
             new Response(stream).arrayBuffer().then((buffer) => { let binary = ''; new Uint8Array(buffer).forEach((b) => binary += String.fromCharCode(b));\
             done(btoa(binary).replace(/\\+/g, '-').replace(/\\//g, '_').replace(/=+$/, '')); });",
            vec![Value::from(SMALL_FLOW)],
        )
        .await
        .expect("the fragment");
    client.goto(&format!("{url}/embed#flow={}", fragment.as_str().unwrap())).await.expect("the embed page");
    wait_title(&page, "Ask").await;
    // A broken fragment says what is wrong instead of a blank page.
    client.goto(&format!("{url}/healthz")).await.expect("another page");
    client.goto(&format!("{url}/embed#flow=not-deflate")).await.expect("the embed page");
    page.find("[data-testid=preview-load-error]").await;
    tokio::time::sleep(Duration::from_millis(10)).await;
    client.close().await.expect("the session closes");
}
