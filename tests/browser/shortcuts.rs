//! The keyboard shortcuts dialog: `?` opens it, except while typing.
use flowsmith::features::shortcuts::{SHORTCUTS, ShortcutsDialog};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::wasm_bindgen_test;

use crate::support::{container, texts, tick};

/// Sends a keydown of `key` from `target`, bubbling to the window.
fn press(target: &web_sys::EventTarget, key: &str) {
    let init = web_sys::KeyboardEventInit::new();
    init.set_key(key);
    init.set_bubbles(true);
    init.set_cancelable(true);
    let event =
        web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).expect("an event");
    target.dispatch_event(&event).expect("dispatched");
}

#[wasm_bindgen_test]
async fn question_mark_opens_the_list_but_not_while_typing() {
    let root = container();
    let open = RwSignal::new(false);
    let input = web_sys::window().unwrap().document().unwrap().create_element("input").unwrap();
    root.append_child(&input).unwrap();
    let mounted = leptos::mount::mount_to(root.clone(), move || view! { <ShortcutsDialog open=open /> });
    mounted.forget();
    tick().await;
    press(&input, "?");
    tick().await;
    assert!(!open.get_untracked(), "typing a question mark in a field is typing");
    press(&root, "a");
    tick().await;
    assert!(!open.get_untracked());
    press(&root, "?");
    tick().await;
    assert!(open.get_untracked());
    let dialog: web_sys::HtmlDialogElement =
        root.query_selector("[data-testid=shortcuts-dialog]").unwrap().expect("the dialog").unchecked_into();
    assert!(dialog.open(), "shown as a modal");
    let groups: Vec<String> = SHORTCUTS.iter().map(|(group, _)| (*group).to_owned()).collect();
    assert_eq!(texts(&root, "[data-testid=shortcuts-dialog] h3"), groups);
    let rows: usize = SHORTCUTS.iter().map(|(_, keys)| keys.len()).sum();
    assert_eq!(texts(&root, "[data-testid=shortcuts-dialog] kbd").len(), rows);
    assert!(texts(&root, "[data-testid=shortcuts-dialog] kbd").contains(&"Ctrl+Z".to_owned()));
}
