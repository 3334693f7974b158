//! The preview against the designer's own endpoint, in a real DOM: masking and log entries,
//! the settings of the encrypted mode, the log beside the phone with Replay, and the session
//! saying plainly what is missing or what the server refused (the test page has no tester:
//! its `/api/endpoint/exchange` answers 404, which the preview must show, not swallow).
use flowsmith::api::endpoint::{EndpointCall, Exchanged};
use flowsmith::features::preview::EndpointLog;
use flowsmith::features::preview::endpoint_log::{self, LogEntry, MASK};
use flowsmith::features::preview::protocol::Options;
use flowsmith::features::preview::session::Session;
use flowsmith::features::preview::settings::PreviewSettings;
use leptos::prelude::*;
use serde_json::{Value, json};
use wasm_bindgen_test::wasm_bindgen_test;

use crate::support::{container, find, sleep, texts, tick};

fn flow() -> Value {
    json!({"version": "7.3", "screens": [
        {"id": "ASK", "title": "Ask", "sensitive": ["pin"], "layout": {"type": "SingleColumnLayout", "children": [
            {"type": "TextInput", "name": "pin", "label": "PIN"},
            {"type": "Footer", "label": "Next", "on-click-action": {"name": "data_exchange", "payload": {"pin": "${form.pin}"}}}]}},
        {"id": "DONE", "title": "Done", "terminal": true, "layout": {"type": "SingleColumnLayout", "children": []}}]})
}

fn call() -> EndpointCall {
    EndpointCall {
        action: "data_exchange".into(),
        screen: Some("ASK".into()),
        data: json!({"pin": "1234", "day": "Mon"}).as_object().cloned(),
    }
}

/// The options of the encrypted mode, to an address nothing listens on (the test page's
/// server answers the tester's route, not the endpoint).
fn encrypted() -> Options {
    Options {
        endpoint: Some("http://127.0.0.1:9/flow".into()),
        public_key: Some("PEM".into()),
        ..Options::default()
    }
}

/// Waits (a few timers) until `done` holds: a fetch to the test page's server resolves.
async fn until(what: &str, done: impl Fn() -> bool) {
    for _ in 0..200 {
        if done() {
            return;
        }
        sleep(20).await;
    }
    panic!("timed out waiting for {what}");
}

#[wasm_bindgen_test]
fn the_log_masks_sensitive_fields_in_the_browser_as_natively() {
    let exchanged = Exchanged {
        status: Some(200),
        latency_ms: 7.0,
        request: json!({"version": "3.0", "action": "data_exchange", "screen": "ASK", "data": {"pin": "1234", "day": "Mon"}}),
        answer: Some(json!({"screen": "DONE", "data": {}})),
        ..Exchanged::default()
    };
    let entry = LogEntry::exchanged(1, call(), &flow(), &exchanged, &[]);
    assert_eq!(entry.request["data"], json!({"pin": MASK, "day": "Mon"}));
    assert_eq!(entry.call.data.as_ref().and_then(|data| data.get("pin")), Some(&json!("1234")));
    assert_eq!(
        (entry.title().as_str(), entry.status_text().as_str()),
        ("data_exchange from ASK → DONE", "200 · 7 ms")
    );
    let values = endpoint_log::sensitive_values(&flow(), "ASK", json!({"pin": "99"}).as_object().unwrap());
    let renamed = json!({"screen": "ASK", "data": {"code": "99"}});
    assert_eq!(endpoint_log::masked(&flow(), &renamed, &values)["data"]["code"], MASK);
}

#[wasm_bindgen_test]
fn the_encrypted_mode_is_kept_with_the_draft_and_gives_the_options() {
    let settings = PreviewSettings {
        endpoint: "http://127.0.0.1:3000/flow".into(),
        encrypted: true,
        public_key: "-----BEGIN PUBLIC KEY-----\nMIIB\n-----END PUBLIC KEY-----".into(),
        ..PreviewSettings::default()
    };
    let kept = settings.to_extra();
    assert_eq!(PreviewSettings::from_extra(kept.as_ref()), settings);
    assert!(kept.is_some_and(|kept| !kept.to_string().contains("PRIVATE")));
    assert_eq!(settings.options().public_key, Some(settings.public_key.clone()));
    assert_eq!(PreviewSettings { encrypted: false, ..settings }.options().public_key, None);
}

#[wasm_bindgen_test]
async fn the_log_shows_each_exchange_and_replays_it() {
    let root = container();
    let session = Session::new();
    let mounted = leptos::mount::mount_to(root.clone(), move || view! { <EndpointLog session=session /> });
    mounted.forget();
    session.load(flow(), encrypted());
    let exchanged = Exchanged {
        status: Some(200),
        latency_ms: 3.0,
        request: call().to_value(),
        answer: Some(json!({"screen": "DONE", "data": {}})),
        ..Exchanged::default()
    };
    // The INIT of the load is on its way; the entry written here is the first shown.
    session.log.update(|log| log.insert(0, LogEntry::exchanged(1000, call(), &flow(), &exchanged, &[])));
    tick().await;
    let titles = texts(
        &root,
        "[data-testid=endpoint-log-entry][data-action=data_exchange] [data-testid=endpoint-log-title]",
    );
    assert_eq!(titles, ["data_exchange from ASK → DONE"]);
    let request = texts(&root, "[data-action=data_exchange] [data-testid=endpoint-log-request]");
    let request: Value = serde_json::from_str(&request[0]).expect("pretty JSON");
    assert_eq!(request["data"]["pin"], MASK);
    // Replay: the same request goes to the server again; this page has no tester, so the
    // entry says the server's refusal.
    find(&root, "[data-action=data_exchange] [data-testid=endpoint-log-replay]").click();
    let replays = || {
        texts(&root, "[data-testid=endpoint-log-title]")
            .iter()
            .filter(|title| title.ends_with("(replay)"))
            .count()
    };
    until("the replay in the log", || replays() == 1).await;
    let replayed =
        session.log.with_untracked(|log| log.iter().find(|entry| entry.replay).cloned()).expect("a replay");
    assert_eq!(replayed.call, call(), "the same request, unmasked");
    assert!(replayed.failure.is_some() && replayed.failed());
}

#[wasm_bindgen_test]
async fn the_session_says_what_is_missing_and_what_the_server_refused() {
    // Mounting sets up the app's executor, which the session's calls run on.
    leptos::mount::mount_to(container(), || ()).forget();
    let session = Session::new();
    // Encrypted, but no URL yet: no call is made, the person is told what to set.
    session.load(flow(), Options { public_key: Some("PEM".into()), ..Options::default() });
    assert!(session.encrypted() && session.encrypted_target().is_none());
    let visit = session.current().expect("the first screen");
    session.run(visit, &json!({"name": "data_exchange", "payload": {}}), false);
    let said = session.snackbar.get_untracked().unwrap_or_default();
    assert!(said.contains("URL and public key"), "{said}");
    assert!(session.log.with_untracked(Vec::is_empty));
    // Complete: INIT goes to the server on open; its refusal is logged and shown plainly.
    session.load(flow(), encrypted());
    until("the INIT in the log", || session.log.with_untracked(|log| !log.is_empty())).await;
    let entry = session.log.with_untracked(|log| log[0].clone());
    assert_eq!(entry.call.action, "INIT");
    assert!(entry.failure.is_some());
    until("the snackbar", || {
        session.snackbar.get_untracked().is_some_and(|text| text.starts_with("Your endpoint: "))
    })
    .await;
    assert!(!session.busy.get_untracked());
}

/// The endpoint's URL changes while its INIT is on its way: the flow starts again with a new
/// INIT, and the first one's answer, when it comes, is logged as not followed.
#[wasm_bindgen_test]
async fn an_answer_to_a_call_made_before_the_preview_started_again_is_not_followed() {
    leptos::mount::mount_to(container(), || ()).forget();
    let session = Session::new();
    session.load(flow(), encrypted());
    let moved = Options { endpoint: Some("http://127.0.0.1:9/other".into()), ..encrypted() };
    session.load(flow(), moved);
    until("both INITs in the log", || session.log.with_untracked(|log| log.len() == 2)).await;
    let outdated: Vec<_> =
        session.log.with_untracked(|log| log.iter().filter(|e| e.outdated).cloned().collect());
    assert_eq!(outdated.len(), 1, "only the first INIT's answer is outdated");
    assert_eq!(outdated[0].call.action, "INIT");
    assert!(outdated[0].title().contains("not followed"), "{}", outdated[0].title());
    assert!(!outdated[0].replay);
}
