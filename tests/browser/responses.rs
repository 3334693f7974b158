//! The responses view (issue 20, item 5): a loaded page as the server answers it drawn as a
//! table with a column per field, masked values as the server masked them, the counts per day,
//! the pager; the empty, loading and error states; everything reachable from the keyboard.
use flowsmith::api::responses::ResponsesPage;
use flowsmith::features::responses::ResponsesView;
use leptos::prelude::*;
use serde_json::json;
use wasm_bindgen::JsCast as _;
use wasm_bindgen_test::wasm_bindgen_test;

use crate::support::{container, find, texts, tick};

type Loaded = Option<Result<ResponsesPage, String>>;

/// Mounts the view over `page`; answers the root, the page signal and the pages asked for.
fn mount(page: Loaded, filtered: bool) -> (web_sys::HtmlElement, RwSignal<Loaded>, RwSignal<Vec<i64>>) {
    let root = container();
    let (signal, asked) = (RwSignal::new(page), RwSignal::new(Vec::new()));
    leptos::mount::mount_to(root.clone(), move || {
        let on_page = Callback::new(move |number: i64| asked.update(|asked| asked.push(number)));
        view! { <ResponsesView page=signal on_page=on_page filtered=filtered /> }
    })
    .forget();
    (root, signal, asked)
}

fn page_two_of_three() -> ResponsesPage {
    ResponsesPage::read(&json!({
        "items": [
            {"id": "r2", "received_at": "2026-12-06T10:15:00.000Z", "phone": "+44 ••••••01 23",
             "fields": {"city": "Lyon", "pin": "••••", "rating": 5}},
            {"id": "r1", "received_at": "2026-12-05T09:00:00.000Z", "phone": "+15 •••••11 11",
             "fields": {"city": "Leeds, UK", "extra": {"a": 1}}}],
        "columns": ["city", "pin", "rating", "extra"], "total": 5, "page": 2, "limit": 2,
        "per_day": [{"day": "2026-12-05", "count": 1}, {"day": "2026-12-06", "count": 4}],
        "phone_masked": true, "sensitive_fields": ["pin"]}))
}

#[wasm_bindgen_test]
async fn a_page_shows_a_column_per_field_the_counts_per_day_and_pages_on() {
    let (root, _, asked) = mount(Some(Ok(page_two_of_three())), false);
    tick().await;
    assert_eq!(texts(&root, "thead th"), ["Received (UTC)", "Phone", "city", "pin", "rating", "extra"]);
    let first: Vec<String> = texts(&root, "[data-testid=responses-row]:first-child td");
    assert_eq!(first, ["2026-12-06 10:15", "+44 ••••••01 23", "Lyon", "••••", "5", ""]);
    let second = texts(&root, "[data-testid=responses-row]:nth-child(2) td");
    assert_eq!(second[2..], ["Leeds, UK", "", "", "{\"a\":1}"]);
    assert!(find(&root, "td[data-column=pin]").class_name().contains("responses__masked"));
    assert_eq!(texts(&root, "[data-testid=responses-day] .per-day__label"), ["2026-12-05", "2026-12-06"]);
    assert_eq!(texts(&root, "[data-testid=responses-day-count]"), ["1", "4"]);
    let masking = texts(&root, "[data-testid=responses-masking]").join(" ");
    assert!(masking.contains("masked for your role") && masking.contains("pin"), "{masking}");
    assert_eq!(texts(&root, "[data-testid=responses-range]"), ["3–4 of 5"]);

    // Previous and Next are buttons (focusable, Enter and Space press them).
    let previous = find(&root, "[data-testid=responses-previous]");
    let next = find(&root, "[data-testid=responses-next]");
    assert_eq!((previous.tag_name().as_str(), next.tag_name().as_str()), ("BUTTON", "BUTTON"));
    next.focus().unwrap();
    let document = web_sys::window().unwrap().document().unwrap();
    assert_eq!(
        document.active_element().map(|e| e.get_attribute("data-testid")),
        Some(Some("responses-next".to_owned()))
    );
    next.click();
    previous.click();
    assert_eq!(asked.get_untracked(), [3, 1]);
    // The table scrolls sideways as a focusable region.
    let region = find(&root, "[role=region]");
    assert_eq!(region.get_attribute("tabindex").as_deref(), Some("0"));
}

#[wasm_bindgen_test]
async fn the_last_page_cannot_go_on_and_the_first_cannot_go_back() {
    let mut page = page_two_of_three();
    page.page = 1;
    page.total = 2;
    let (root, _, _) = mount(Some(Ok(page)), false);
    tick().await;
    for button in ["responses-previous", "responses-next"] {
        let button: web_sys::HtmlButtonElement =
            find(&root, &format!("[data-testid={button}]")).unchecked_into();
        assert!(button.disabled(), "{button:?}");
    }
}

#[wasm_bindgen_test]
async fn loading_empty_and_error_states_say_what_is_going_on() {
    let (root, page, _) = mount(None, false);
    tick().await;
    assert_eq!(texts(&root, "[data-testid=responses-loading]"), ["Loading responses…"]);
    page.set(Some(Ok(ResponsesPage::default())));
    tick().await;
    assert!(texts(&root, "[data-testid=responses-empty]")[0].contains("No one has answered"));
    assert!(root.query_selector("table").unwrap().is_none());
    page.set(Some(Err("You may not see this flow's responses.".to_owned())));
    tick().await;
    let error = find(&root, "[data-testid=responses-error]");
    assert_eq!(error.get_attribute("role").as_deref(), Some("alert"));
    assert_eq!(error.text_content().unwrap(), "You may not see this flow's responses.");

    let (filtered, _, _) = mount(Some(Ok(ResponsesPage::default())), true);
    tick().await;
    assert!(texts(&filtered, "[data-testid=responses-empty]")[0].contains("widen the time filter"));
}
