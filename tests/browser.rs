//! Browser tests (wasm-bindgen-test in headless Chromium): components mounted into a real DOM.
#![cfg(target_arch = "wasm32")]

use flow_model::templates;
use flowsmith::features::editor::ScreenList;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

/// A fresh container in the test page's body.
fn container() -> web_sys::HtmlElement {
    let document = web_sys::window().and_then(|window| window.document()).expect("a document");
    let element = document.create_element("div").expect("a div");
    document.body().expect("a body").append_child(&element).expect("appended");
    element.unchecked_into()
}

fn texts(root: &web_sys::HtmlElement, selector: &str) -> Vec<String> {
    let nodes = root.query_selector_all(selector).expect("a valid selector");
    (0..nodes.length())
        .filter_map(|index| nodes.item(index))
        .map(|node| node.text_content().unwrap_or_default())
        .collect()
}

#[wasm_bindgen_test]
fn screen_list_renders_one_card_per_screen_with_title_and_component_types() {
    let screens =
        flow_model::parse(templates::APPOINTMENT_BOOKING).document.expect("the sample is JSON").screens();
    let root = container();
    let _mounted = leptos::mount::mount_to(root.clone(), move || {
        view! { <ScreenList screens=Signal::stored(screens.clone()) /> }
    });

    assert_eq!(
        texts(&root, "[data-testid=screen-title]"),
        ["Book appointment", "Your details", "Confirm booking"]
    );
    let first_card = root.query_selector("[data-screen-id=APPOINTMENT]").expect("selector").expect("a card");
    let first_card: web_sys::HtmlElement = first_card.unchecked_into();
    assert_eq!(
        texts(&first_card, "[data-testid=component-type]"),
        ["Form", "TextSubheading", "Dropdown", "DatePicker", "RadioButtonsGroup", "Footer"]
    );
}
