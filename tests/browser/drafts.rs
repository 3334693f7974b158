use flow_model::parse;
use flowsmith::features::drafts::{Autosave, QUIET_MS, UNSAVED};
use flowsmith::state::{DraftInfo, EditorState};
use leptos::prelude::*;
use wasm_bindgen_test::wasm_bindgen_test;

use crate::support::{container, sleep, tick};

/// A reload just after the quiet period, while the change's IndexedDB write is under way (the
/// page takes that write with it): what the page writes to localStorage as it goes away keeps
/// the change. Once seen as a flaky end-to-end test that reloaded and found the edit gone.
#[wasm_bindgen_test]
async fn a_change_being_written_when_the_page_goes_away_is_kept() {
    let window = web_sys::window().expect("a window");
    let storage = window.local_storage().expect("localStorage").expect("localStorage");
    storage.remove_item(UNSAVED).expect("removed");
    let document = parse(r#"{"version": "7.3", "screens": []}"#).document.expect("JSON");
    let state = std::rc::Rc::new(std::cell::RefCell::new(None));
    let captured = state.clone();
    let mounted = leptos::mount::mount_to(container(), move || {
        let state = EditorState::provide(
            document.clone(),
            DraftInfo { id: "draft-autosave-test".into(), name: "Before".into() },
        );
        Autosave::start(state);
        *captured.borrow_mut() = Some(state);
    });
    mounted.forget();
    let state = state.borrow().expect("state");
    tick().await;

    state.draft.update(|draft| draft.name = "Renamed just before the reload".into());
    tick().await;
    // Registered after the autosave's timer of the same length, so it fires just after the
    // save has started its write, before IndexedDB can finish it.
    sleep(QUIET_MS).await;
    window.dispatch_event(&web_sys::Event::new("pagehide").expect("an event")).expect("dispatched");

    let unsaved =
        storage.get_item(UNSAVED).expect("readable").expect("the record written as the page went away");
    assert!(unsaved.contains("Renamed just before the reload"), "{unsaved}");
    storage.remove_item(UNSAVED).expect("removed");
}
