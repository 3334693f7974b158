use std::sync::{Arc, Mutex};

use flow_model::templates;
use flowsmith::features::editor::{ScreenAction, ScreenList};
use flowsmith::features::problems::Counts;
use leptos::prelude::*;
use wasm_bindgen_test::wasm_bindgen_test;

use crate::support::{container, find, texts};

#[wasm_bindgen_test]
fn screen_list_shows_each_screen_with_its_counts_and_reports_actions() {
    let screens =
        flow_model::parse(templates::APPOINTMENT_BOOKING).document.expect("the sample is JSON").screens();
    let counts = vec![Counts::default(), Counts { errors: 2, warnings: 1 }, Counts::default()];
    let actions = Arc::new(Mutex::new(Vec::new()));
    let seen = actions.clone();
    let root = container();
    let _mounted = leptos::mount::mount_to(root.clone(), move || {
        let seen = seen.clone();
        view! {
            <ScreenList
                screens=Signal::stored(screens.clone())
                selected=Signal::stored(1)
                counts=Signal::stored(counts.clone())
                on_action=Callback::new(move |action| seen.lock().expect("lock").push(action))
            />
        }
    });

    assert_eq!(
        texts(&root, "[data-testid=screen-title]"),
        ["Book appointment", "Your details", "Confirm booking"]
    );
    let details = find(&root, "[data-screen-id=DETAILS]");
    assert!(details.class_name().contains("screen-item--selected"));
    assert_eq!(texts(&details, ".badge--error"), ["2"]);
    assert_eq!(texts(&details, ".badge--warning"), ["1"]);
    assert!(texts(&find(&root, "[data-screen-id=APPOINTMENT]"), ".badge").is_empty());

    find(&root, "[data-screen-id=SUMMARY] .screen-item__main").click();
    find(&root, "[data-screen-id=SUMMARY] [aria-label='Move screen up']").click();
    assert_eq!(*actions.lock().expect("lock"), [ScreenAction::Select(2), ScreenAction::Move(2, -1)]);
    let first_up: web_sys::HtmlButtonElement = wasm_bindgen::JsCast::unchecked_into(find(
        &root,
        "[data-screen-id=APPOINTMENT] [aria-label='Move screen up']",
    ));
    assert!(first_up.disabled(), "the first screen cannot move up");
}
