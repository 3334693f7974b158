use flowsmith::api::workspace::{WsAccount, WsFlow};
use flowsmith::features::messages::{SendDialog, SendTarget};
use leptos::prelude::*;
use serde_json::{Value, json};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::wasm_bindgen_test;

use crate::support::{container, find, texts, tick, type_into};

/// Two entry screens, each with data and its `__example__`s; an endpoint flow or not.
fn flow_json(endpoint: bool) -> Value {
    let mut flow = json!({"version": "7.3", "screens": [
        {"id": "WELCOME", "title": "Hi", "terminal": true, "data": {"name": {"type": "string", "__example__": "Ana"}},
         "layout": {"type": "SingleColumnLayout", "children": [
            {"type": "TextBody", "text": "${data.name}"},
            {"type": "Footer", "label": "Done", "on-click-action": {"name": "complete", "payload": {}}}]}},
        {"id": "AGAIN", "title": "Again", "terminal": true, "data": {"age": {"type": "number", "__example__": 30}},
         "layout": {"type": "SingleColumnLayout", "children": [
            {"type": "Footer", "label": "Done", "on-click-action": {"name": "complete", "payload": {}}}]}}]});
    if endpoint {
        flow["data_api_version"] = json!("3.0");
    }
    flow
}

/// The Send dialog of a flow with `status`, mounted in a fresh container.
fn mount(status: &str) -> web_sys::HtmlElement {
    let root = container();
    let target = SendTarget {
        flow: WsFlow {
            id: "flow1".into(),
            account_id: "acc1".into(),
            name: "Survey".into(),
            status: status.into(),
            meta_flow_id: Some("123456789012345".into()),
            ..WsFlow::default()
        },
        json: flow_json(false),
        account: WsAccount {
            id: "acc1".into(),
            backend: "sandbox".into(),
            external_id: "sandbox1WA".into(),
            ..WsAccount::default()
        },
        partner_id: "sandboxPA".into(),
        origin: "http://127.0.0.1:8080".into(),
    };
    let mounted = leptos::mount::mount_to(root.clone(), move || {
        view! { <SendDialog target=target.clone() on_close=Callback::new(|()| {}) /> }
    });
    mounted.forget();
    root
}

fn choose(root: &web_sys::HtmlElement, selector: &str, value: &str) {
    let select: web_sys::HtmlSelectElement = find(root, selector).unchecked_into();
    select.set_value(value);
    select.dispatch_event(&web_sys::Event::new("change").unwrap()).unwrap();
}

/// Takes the dialog away: a modal `<dialog>` left open makes the rest of the page inert, and
/// the next tests could no longer focus anything.
fn close(root: web_sys::HtmlElement) {
    root.remove();
}

fn textarea(root: &web_sys::HtmlElement, selector: &str) -> String {
    find(root, selector).unchecked_into::<web_sys::HtmlTextAreaElement>().value()
}

#[wasm_bindgen_test]
async fn each_problem_shows_at_its_field_as_it_is_typed() {
    let root = mount("DRAFT");
    tick().await;
    // Nothing typed yet: nothing said.
    assert!(texts(&root, "[data-testid^=send-error-]").is_empty());
    type_into(&find(&root, "[data-testid=send-to]"), "555");
    tick().await;
    let at_to = texts(&root, "[data-testid=send-error-to]");
    assert_eq!(at_to.len(), 1, "{at_to:?}");
    assert!(at_to[0].contains("phone number"), "{at_to:?}");
    assert!(texts(&root, "[data-testid=send-error-cta]").is_empty());
    type_into(&find(&root, "[data-testid=send-cta]"), &"x".repeat(31));
    tick().await;
    assert_eq!(texts(&root, "[data-testid=send-count-cta]"), ["31 / 30"]);
    assert!(texts(&root, "[data-testid=send-error-cta]")[0].contains("30"));
    type_into(&find(&root, "[data-testid=send-to]"), "+15550001111");
    tick().await;
    assert!(texts(&root, "[data-testid=send-error-to]").is_empty());
    // Send with the body still empty: the body's problem shows, nothing is sent.
    find(&root, "[data-testid=send-confirm]").click();
    tick().await;
    assert_eq!(texts(&root, "[data-testid=send-error-body]").len(), 1);
    assert!(texts(&root, "[data-testid=send-done]").is_empty());
    close(root);
}

#[wasm_bindgen_test]
async fn draft_mode_is_refused_for_a_published_flow() {
    let root = mount("PUBLISHED");
    tick().await;
    let mode: web_sys::HtmlSelectElement = find(&root, "[data-testid=send-mode]").unchecked_into();
    assert_eq!(mode.value(), "published");
    let draft: web_sys::HtmlOptionElement =
        find(&root, "[data-testid=send-mode] option[value=draft]").unchecked_into();
    assert!(draft.disabled(), "draft is offered only for a flow not published");
    choose(&root, "[data-testid=send-mode]", "draft");
    tick().await;
    let at_mode = texts(&root, "[data-testid=send-error-mode]");
    assert_eq!(at_mode.len(), 1, "{at_mode:?}");
    assert!(at_mode[0].contains("no draft"), "{at_mode:?}");
    // data_exchange is only for endpoint flows.
    let exchange: web_sys::HtmlOptionElement =
        find(&root, "[data-testid=send-action] option[value=data_exchange]").unchecked_into();
    assert!(exchange.disabled());
    close(root);
}

#[wasm_bindgen_test]
async fn the_first_screen_s_data_is_prefilled_from_its_examples() {
    let root = mount("DRAFT");
    tick().await;
    let screens = texts(&root, "[data-testid=send-screen] option");
    assert_eq!(screens, ["WELCOME", "AGAIN"]);
    let data: Value = serde_json::from_str(&textarea(&root, "[data-testid=send-data]")).unwrap();
    assert_eq!(data, json!({"name": "Ana"}));
    choose(&root, "[data-testid=send-screen]", "AGAIN");
    tick().await;
    let data: Value = serde_json::from_str(&textarea(&root, "[data-testid=send-data]")).unwrap();
    assert_eq!(data, json!({"age": 30}));
    // The JSON shown is the message as sent, and the cURL goes to the sandbox.
    let shown: Value = serde_json::from_str(&texts(&root, "[data-testid=send-json]")[0]).unwrap();
    assert_eq!(
        shown.pointer("/interactive/action/parameters/flow_action_payload"),
        Some(&json!({"screen": "AGAIN", "data": {"age": 30}}))
    );
    assert_eq!(shown.pointer("/interactive/action/parameters/mode"), Some(&json!("draft")));
    let curl = texts(&root, "[data-testid=send-curl]");
    assert!(
        curl[0].contains("/sandbox/api/v2/partners/sandboxPA/waba_accounts/sandbox1WA/messages"),
        "{curl:?}"
    );
    close(root);
}
