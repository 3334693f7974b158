//! The phone preview's renderers in a real DOM: every component of the catalog, live If and
//! Switch, bindings, checks, actions, the mock endpoint, hostile strings and markdown edge
//! cases. Nothing from a flow may become HTML.
use std::sync::{Arc, Mutex};

use flowsmith::features::preview::protocol::{EmbedEvent, Options};
use flowsmith::features::preview::session::Session;
use flowsmith::features::preview::{Phone, read_flow};
use leptos::prelude::*;
use serde_json::{Value, json};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::wasm_bindgen_test;

use crate::support::{container, find, texts, tick, type_into};

const HOSTILE: &str = "<img src=x onerror=\"window.__pwned=1\"><script>window.__pwned=1</script>&amp; ${x}";

/// Mounts the phone on `flow` (with `options`) and returns its container, its session and the
/// events it reported.
async fn mount(
    flow: Value,
    options: Options,
) -> (web_sys::HtmlElement, Session, Arc<Mutex<Vec<EmbedEvent>>>) {
    let root = container();
    let events = Arc::new(Mutex::new(Vec::new()));
    let session = Session::new();
    let sink = Arc::clone(&events);
    session.on_event(Callback::new(move |event| sink.lock().unwrap().push(event)));
    session.load(flow, options);
    let mounted = leptos::mount::mount_to(
        root.clone(),
        move || view! { <Phone session=session theme=Signal::stored(None::<String>) /> },
    );
    mounted.forget();
    tick().await;
    (root, session, events)
}

fn screen(id: &str, children: Value) -> Value {
    json!({"id": id, "title": id, "layout": {"type": "SingleColumnLayout", "children": children}})
}

fn flow(screens: Vec<Value>) -> Value {
    json!({"version": "7.3", "screens": screens})
}

fn count(root: &web_sys::HtmlElement, selector: &str) -> u32 {
    root.query_selector_all(selector).map(|nodes| nodes.length()).unwrap_or(0)
}

fn pwned() -> bool {
    js_sys::Reflect::get(&js_sys::global(), &"__pwned".into()).map(|v| !v.is_undefined()).unwrap_or(false)
}

#[wasm_bindgen_test]
async fn every_component_of_the_catalog_renders() {
    let png = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=";
    let items = json!([{"id": "a", "title": "Alpha", "description": "First"}, {"id": "b", "title": "Beta"}]);
    let children = json!([
        {"type": "TextHeading", "text": "Heading"},
        {"type": "TextSubheading", "text": "Subheading"},
        {"type": "TextBody", "text": ["Line one", "Line two"], "font-weight": "bold", "strikethrough": true},
        {"type": "TextCaption", "text": "*caption*", "markdown": true},
        {"type": "TextInput", "name": "t", "label": "Text", "input-type": "password", "helper-text": "Help"},
        {"type": "TextArea", "name": "ta", "label": "Area", "max-length": 10},
        {"type": "Dropdown", "name": "d", "label": "Pick", "data-source": items},
        {"type": "RadioButtonsGroup", "name": "r", "label": "One", "data-source": items},
        {"type": "CheckboxGroup", "name": "c", "label": "Many", "data-source": items},
        {"type": "ChipsSelector", "name": "ch", "label": "Chips", "data-source": items},
        {"type": "DatePicker", "name": "dp", "label": "Date", "min-date": "2026-01-01"},
        {"type": "CalendarPicker", "name": "cs", "label": "Day"},
        {"type": "CalendarPicker", "name": "cr", "mode": "range", "title": "Stay", "label": {"start-date": "In", "end-date": "Out"}},
        {"type": "OptIn", "name": "o", "label": "I agree", "on-click-action": {"name": "open_url", "url": "https://example.com/terms"}},
        {"type": "PhotoPicker", "name": "p", "label": "Photos", "max-uploaded-photos": 2},
        {"type": "DocumentPicker", "name": "doc", "label": "Documents"},
        {"type": "Image", "src": png, "alt-text": "dot", "height": 40},
        {"type": "ImageCarousel", "images": [{"src": png, "alt-text": "one"}, {"src": png, "alt-text": "two"}]},
        {"type": "EmbeddedLink", "text": "A link", "on-click-action": {"name": "open_url", "url": "https://example.com"}},
        {"type": "Footer", "label": "Go", "left-caption": "L", "right-caption": "R", "on-click-action": {"name": "complete"}}
    ]);
    let (root, session, _) = mount(flow(vec![screen("ALL", children)]), Options::default()).await;
    let types: Vec<String> = (0..count(&root, ".wa-c"))
        .filter_map(|i| root.query_selector_all(".wa-c").ok()?.item(i))
        .filter_map(|node| node.dyn_into::<web_sys::Element>().ok()?.get_attribute("data-type"))
        .collect();
    assert_eq!(types.len(), 20, "{types:?}");
    assert_eq!(texts(&root, ".wa-heading"), ["Heading"]);
    assert_eq!(
        find(&root, "[data-type=TextBody] .wa-body").get_attribute("data-weight").as_deref(),
        Some("bold")
    );
    assert_eq!(count(&root, ".wa-text--strike"), 1);
    assert_eq!(count(&root, "[data-type=TextCaption] em"), 1);
    assert_eq!(find(&root, "[data-type=TextInput] input").get_attribute("type").as_deref(), Some("password"));
    assert_eq!(count(&root, "[data-type=Dropdown] option"), 3);
    assert_eq!(count(&root, "[data-type=RadioButtonsGroup] input[type=radio]"), 2);
    assert_eq!(count(&root, "[data-type=CheckboxGroup] input[type=checkbox]"), 2);
    assert_eq!(count(&root, ".wa-chip"), 2);
    assert_eq!(count(&root, "[data-type=CalendarPicker] input[type=date]"), 3, "single + range");
    assert_eq!(texts(&root, ".wa-range__part .wa-caption"), ["In", "Out"]);
    assert_eq!(count(&root, ".wa-carousel img"), 2);
    assert!(find(&root, ".wa-image").get_attribute("src").unwrap().starts_with("data:image/png;base64,"));
    assert_eq!(texts(&root, ".wa-footer__captions span"), ["L", "", "R"]);
    // The simulated picker adds files up to its maximum.
    let add = find(&root, "[data-type=PhotoPicker] .wa-picker");
    add.click();
    add.click();
    tick().await;
    assert_eq!(texts(&root, "[data-type=PhotoPicker] .wa-files li span"), ["photo_1.jpg", "photo_2.jpg"]);
    assert!(add.unchecked_ref::<web_sys::HtmlButtonElement>().disabled());
    // open_url is shown, not followed.
    find(&root, "[data-type=EmbeddedLink] button").click();
    tick().await;
    assert_eq!(
        texts(&root, "[data-testid=preview-snackbar] span"),
        ["Opens https://example.com (not followed in the preview)"]
    );
    assert!(session.ending.get_untracked().is_none());
}

#[wasm_bindgen_test]
async fn the_chat_summary_masks_the_screens_sensitive_fields() {
    let mut first = screen(
        "DETAILS",
        json!([{"type": "Form", "name": "f", "children": [
            {"type": "TextInput", "name": "who", "label": "Name"},
            {"type": "TextInput", "name": "email", "label": "Email", "input-type": "email"},
            {"type": "TextInput", "name": "pin", "label": "PIN", "input-type": "passcode"},
            {"type": "Footer", "label": "Done", "on-click-action": {"name": "complete", "payload": {}}}]}]),
    );
    first["sensitive"] = json!(["email", "pin"]);
    first["terminal"] = json!(true);
    let (root, session, _) = mount(flow(vec![first]), Options::default()).await;
    let visit = session.visits.get_untracked()[0];
    for (name, value) in [("who", "Ana"), ("email", "ana@example.com"), ("pin", "1234")] {
        session.set_value(visit, name, json!(value));
    }
    find(&root, "[data-testid=preview-footer]").click();
    tick().await;
    assert_eq!(texts(&root, "[data-testid=preview-summary] h3"), ["DETAILS"]);
    assert_eq!(
        texts(&root, "[data-testid=preview-summary] dt"),
        ["Name", "Email"],
        "the passcode is left out"
    );
    assert_eq!(texts(&root, "[data-testid=preview-summary] dd"), ["Ana", "••••"]);
    let summary = texts(&root, "[data-testid=preview-summary]").join("");
    assert!(!summary.contains("ana@example.com") && !summary.contains("1234"), "{summary}");
}

#[wasm_bindgen_test]
async fn hostile_strings_stay_text_everywhere() {
    let children = json!([
        {"type": "TextHeading", "text": HOSTILE},
        {"type": "TextBody", "text": HOSTILE, "markdown": true},
        {"type": "RichText", "text": [HOSTILE, "[click](javascript:alert(1))", "<a href=\"javascript:x\">raw</a>"]},
        {"type": "TextInput", "name": "n", "label": HOSTILE, "helper-text": HOSTILE},
        {"type": "Dropdown", "name": "d", "label": "L", "data-source": [{"id": HOSTILE, "title": HOSTILE}]},
        {"type": "Image", "src": "x\" onerror=\"window.__pwned=1"},
        {"type": "Footer", "label": HOSTILE, "on-click-action": {"name": "complete", "payload": {"x": HOSTILE}}}
    ]);
    let mut first = screen("S", children);
    first["title"] = json!(HOSTILE);
    let (root, _, _) = mount(flow(vec![first]), Options::default()).await;
    assert_eq!(texts(&root, "[data-testid=preview-title]"), [HOSTILE]);
    assert_eq!(texts(&root, ".wa-heading"), [HOSTILE]);
    assert_eq!(count(&root, ".wa-screen img, .wa-screen script, .wa-screen a[href^=javascript]"), 0);
    assert!(texts(&root, ".wa-rich").join("").contains("<a href=\"javascript:x\">raw</a>"));
    assert_eq!(texts(&root, "[data-testid=preview-problem]"), ["This Image's src is not base64 image data."]);
    find(&root, "[data-testid=preview-footer]").click();
    tick().await;
    let response = texts(&root, "[data-testid=preview-response]").join("");
    assert!(response.contains("onerror"), "the payload is shown as JSON text: {response}");
    assert_eq!(count(&root, ".wa-ending img"), 0);
    assert!(!pwned());
}

#[wasm_bindgen_test]
async fn markdown_edge_cases_render_what_whatsapp_supports() {
    let png = "data:image/png;base64,iVBORw0KGgo=";
    let text = vec![
        "# Title".to_owned(),
        "## Sub".to_owned(),
        "Some **bold**, *italic* and ~~struck~~ text with [a link](https://example.com).".to_owned(),
        String::new(),
        "1. one".to_owned(),
        "2. two".to_owned(),
        String::new(),
        "| Plan | Price |".to_owned(),
        "| --- | --- |".to_owned(),
        "| Basic | 5 |".to_owned(),
        String::new(),
        format!("![inline]({png})"),
        "![remote](https://example.com/x.png)".to_owned(),
        format!("{}deep", "> ".repeat(200)),
    ];
    let children = json!([{"type": "RichText", "text": text}]);
    let (root, _, _) = mount(flow(vec![screen("MD", children)]), Options::default()).await;
    assert_eq!(texts(&root, ".wa-rich h1"), ["Title"]);
    assert_eq!(texts(&root, ".wa-rich h2"), ["Sub"]);
    assert_eq!(texts(&root, ".wa-rich strong"), ["bold"]);
    assert_eq!(texts(&root, ".wa-rich em"), ["italic"]);
    assert_eq!(texts(&root, ".wa-rich s"), ["struck"]);
    assert_eq!(find(&root, ".wa-rich a").get_attribute("href").as_deref(), Some("https://example.com"));
    assert_eq!(texts(&root, ".wa-rich ol li"), ["one", "two"]);
    assert_eq!(texts(&root, ".wa-rich td"), ["Plan", "Price", "Basic", "5"]);
    assert_eq!(count(&root, ".wa-rich img"), 1, "only the inline base64 image");
    assert!(texts(&root, ".wa-rich").join("").contains("remote"));
    assert!(texts(&root, ".wa-rich").join("").contains("deep"));
    // A link is shown, not followed.
    find(&root, ".wa-rich a").click();
    tick().await;
    assert_eq!(
        texts(&root, "[data-testid=preview-snackbar] span"),
        ["Opens https://example.com (not followed in the preview)"]
    );
}

#[wasm_bindgen_test]
async fn bindings_if_switch_visible_and_enabled_follow_the_form_live() {
    let children = json!([
        {"type": "OptIn", "name": "more", "label": "More"},
        {"type": "If", "condition": "${form.more}", "then": [{"type": "TextBody", "text": "then"}], "else": [{"type": "TextBody", "text": "else"}]},
        {"type": "Dropdown", "name": "kind", "label": "Kind", "data-source": [{"id": "a", "title": "A"}, {"id": "b", "title": "B"}]},
        {"type": "Switch", "value": "${form.kind}", "cases": {"a": [{"type": "TextBody", "text": "case a"}], "b": [{"type": "TextBody", "text": "case b"}]}},
        {"type": "TextCaption", "text": "shown", "visible": "${form.more}"},
        {"type": "TextInput", "name": "t", "label": "`'Hello ' ${data.name}`", "enabled": "${form.more}"}
    ]);
    let mut first = screen("LIVE", children);
    first["data"] = json!({"name": {"type": "string", "__example__": "Ana"}});
    let (root, _, _) = mount(flow(vec![first]), Options::default()).await;
    assert_eq!(texts(&root, "[data-type=TextBody]"), ["else"]);
    assert_eq!(count(&root, "[data-type=TextCaption]"), 0);
    assert!(
        find(&root, "[data-type=TextInput] input").unchecked_ref::<web_sys::HtmlInputElement>().disabled()
    );
    assert_eq!(texts(&root, "[data-type=TextInput] .wa-field__label"), ["Hello Ana"]);
    find(&root, "[data-type=OptIn] input").click();
    tick().await;
    assert_eq!(texts(&root, "[data-type=TextBody]"), ["then"]);
    assert_eq!(texts(&root, "[data-type=TextCaption]"), ["shown"]);
    assert!(
        !find(&root, "[data-type=TextInput] input").unchecked_ref::<web_sys::HtmlInputElement>().disabled()
    );
    let select: web_sys::HtmlSelectElement = find(&root, "[data-type=Dropdown] select").unchecked_into();
    select.set_value("b");
    select.dispatch_event(&web_sys::Event::new("change").unwrap()).unwrap();
    tick().await;
    assert_eq!(texts(&root, "[data-type=TextBody]"), ["then", "case b"]);
}

#[wasm_bindgen_test]
async fn checks_init_values_navigate_update_data_and_the_mock_endpoint() {
    let ask = json!({"id": "ASK", "title": "Ask", "data": {"greeting": {"type": "string", "__example__": "Hi"}},
        "layout": {"type": "SingleColumnLayout", "children": [
            {"type": "TextBody", "text": "${data.greeting}"},
            {"type": "Form", "name": "f", "init-values": {"email": "ana@"}, "error-messages": {"code": "Wrong code"}, "children": [
                {"type": "TextInput", "name": "email", "label": "Email", "input-type": "email", "required": true},
                {"type": "TextInput", "name": "code", "label": "Code", "pattern": "[0-9]{3}", "helper-text": "3 digits"},
                {"type": "RadioButtonsGroup", "name": "r", "label": "R", "data-source": [{"id": "x", "title": "X"}],
                 "on-select-action": {"name": "update_data", "payload": {"greeting": "Updated"}}},
                {"type": "Footer", "label": "Send", "on-click-action": {"name": "data_exchange", "payload": {"email": "${form.email}"}}}]}]}});
    let next = json!({"id": "NEXT", "title": "Next", "data": {"who": {"type": "string", "__example__": "x"}},
        "layout": {"type": "SingleColumnLayout", "children": [{"type": "TextBody", "text": "`'For ' ${data.who}`"}]}});
    let mut options = Options::default();
    options.mocks.insert("ASK".into(), json!({"screen": "NEXT", "data": {"who": "Ana"}}));
    let (root, session, events) = mount(flow(vec![ask, next]), options).await;
    assert_eq!(
        find(&root, "[data-name=email] input").unchecked_ref::<web_sys::HtmlInputElement>().value(),
        "ana@"
    );
    assert_eq!(
        texts(&root, "[data-name=code] [data-testid=preview-error]"),
        ["Wrong code"],
        "the business's message"
    );
    find(&root, "[data-testid=preview-footer]").click();
    tick().await;
    assert_eq!(
        texts(&root, "[data-name=email] [data-testid=preview-error]"),
        ["Enter a valid email address."]
    );
    type_into(&find(&root, "[data-name=email] input"), "ana@example.com");
    type_into(&find(&root, "[data-name=code] input"), "12a");
    find(&root, "[data-testid=preview-footer]").click();
    tick().await;
    assert_eq!(
        texts(&root, "[data-name=code] [data-testid=preview-error]"),
        ["Enter a value in the expected format: 3 digits"]
    );
    type_into(&find(&root, "[data-name=code] input"), "123");
    find(&root, "[data-type=RadioButtonsGroup] input").click();
    tick().await;
    assert_eq!(texts(&root, "[data-type=TextBody]"), ["Updated"], "update_data changed the data");
    find(&root, "[data-testid=preview-footer]").click();
    tick().await;
    assert_eq!(texts(&root, "[data-testid=preview-title]"), ["Next"]);
    assert_eq!(texts(&root, "[data-type=TextBody]"), ["For Ana"]);
    find(&root, "[data-testid=preview-back]").click();
    tick().await;
    assert_eq!(texts(&root, "[data-testid=preview-title]"), ["Ask"]);
    assert_eq!(
        find(&root, "[data-name=code] input").unchecked_ref::<web_sys::HtmlInputElement>().value(),
        "123",
        "back keeps the form"
    );
    let screens: Vec<String> = events
        .lock()
        .unwrap()
        .iter()
        .filter_map(|event| match event {
            EmbedEvent::Screen { screen, .. } => Some(screen.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(screens, ["ASK", "NEXT", "ASK"]);
    session.start(None);
}

#[wasm_bindgen_test]
async fn broken_flows_show_what_they_can_and_name_the_rest() {
    let children = json!([
        {"type": "Carousel3D"},
        {"label": "no type"},
        7,
        {"type": "If", "condition": "`${form.x} =`", "then": [{"type": "TextBody", "text": "x"}]},
        {"type": "TextBody", "text": "`'a' *`"},
        {"type": "TextInput", "label": "No name"},
        {"type": "Footer", "label": "Nowhere", "on-click-action": {"name": "navigate", "next": {"type": "screen", "name": "MISSING"}}},
        {"type": "TextHeading", "text": "Still here"}
    ]);
    let (root, _, _) = mount(flow(vec![screen("BROKEN", children)]), Options::default()).await;
    assert_eq!(texts(&root, ".wa-heading"), ["Still here"]);
    let problems = texts(&root, "[data-testid=preview-problem]");
    assert_eq!(problems.len(), 5, "{problems:?}");
    assert!(problems[0].contains("Carousel3D"));
    assert!(texts(&root, "[data-type=TextBody]").join("").starts_with('⚠'));
    find(&root, "[data-testid=preview-footer]").click();
    tick().await;
    assert_eq!(
        texts(&root, "[data-testid=preview-snackbar] span"),
        ["There is no screen 'MISSING' to go to."]
    );
    assert!(read_flow("[1, 2]").is_err() && read_flow("{").is_err());
    let (empty, _, _) = mount(json!({"version": "7.3"}), Options::default()).await;
    assert_eq!(texts(&empty, "[data-testid=preview-empty]"), ["This flow has no screens to show."]);
}
