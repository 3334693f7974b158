use flow_model::parse;
use flowsmith::features::drafts::{Autosave, UNSAVED};
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
    let document = parse(r#"{"version": "7.3", "screens": []}"#).document.expect("JSON");
    let state = std::rc::Rc::new(std::cell::RefCell::new(None));
    let captured = state.clone();
    let mounted = leptos::mount::mount_to(container(), move || {
        let state = EditorState::provide(
            document.clone(),
            DraftInfo { id: "draft-autosave-test".into(), name: "Before".into() },
        );
        let autosave = Autosave::start(state);
        *captured.borrow_mut() = Some((state, autosave));
    });
    mounted.forget();
    let (state, autosave) = state.borrow().expect("state");
    tick().await;

    state.draft.update(|draft| draft.name = "Renamed just before the reload".into());
    tick().await;
    // What the quiet period's timer does: start the IndexedDB write. The page goes away in
    // the same task, so the write cannot have finished, whatever the machine's load (waiting
    // for the timer instead let IndexedDB finish first on a loaded machine, and the test
    // failed).
    autosave.save_now(state);
    window.dispatch_event(&web_sys::Event::new("pagehide").expect("an event")).expect("dispatched");

    let slot = autosave.slot();
    assert!(slot.starts_with(UNSAVED), "{slot}");
    let unsaved =
        storage.get_item(&slot).expect("readable").expect("the record written as the page went away");
    assert!(unsaved.contains("Renamed just before the reload"), "{unsaved}");
    storage.remove_item(&slot).expect("removed");
}

/// Two tabs each wrote their last changes as they went away, to slots of their own: the next
/// start keeps both in IndexedDB and opens the newer.
#[wasm_bindgen_test]
async fn two_tabs_going_away_keep_both_their_changes() {
    use flowsmith::features::drafts::{DraftRecord, restore_last};
    use flowsmith::storage::{self, Store};
    let storage_local = web_sys::window().expect("a window").local_storage().expect("ls").expect("ls");
    let record = |id: &str, name: &str, at: f64| DraftRecord {
        id: id.into(),
        name: name.into(),
        flow_json: r#"{"version": "7.3", "screens": []}"#.into(),
        typed_text: None,
        updated_at: at,
        screens: 0,
        version: "7.3".into(),
        extra: serde_json::Map::new(),
        history: None,
    };
    let now = js_sys::Date::now();
    storage_local
        .set_item(&format!("{UNSAVED}tab-one"), &record("draft-tab-one", "From tab one", now).to_json())
        .expect("written");
    storage_local
        .set_item(&format!("{UNSAVED}tab-two"), &record("draft-tab-two", "From tab two", now + 1.0).to_json())
        .expect("written");
    let document = parse(r#"{"version": "7.3", "screens": []}"#).document.expect("JSON");
    let state = std::rc::Rc::new(std::cell::RefCell::new(None));
    let captured = state.clone();
    let ready = std::rc::Rc::new(std::cell::RefCell::new(None));
    let ready_captured = ready.clone();
    let mounted = leptos::mount::mount_to(container(), move || {
        let state = EditorState::provide(document.clone(), DraftInfo::default());
        let ready = RwSignal::new(false);
        restore_last(state, ready);
        *captured.borrow_mut() = Some(state);
        *ready_captured.borrow_mut() = Some(ready);
    });
    mounted.forget();
    let (state, ready) = (state.borrow().expect("state"), ready.borrow().expect("ready"));
    for _ in 0..100 {
        if ready.get_untracked() {
            break;
        }
        sleep(20).await;
    }
    assert!(ready.get_untracked(), "restored");
    assert_eq!(state.draft.with_untracked(|draft| draft.name.clone()), "From tab two");
    for id in ["draft-tab-one", "draft-tab-two"] {
        assert!(storage::get(Store::Drafts, id).await.expect("readable").is_some(), "{id} kept");
        storage::delete(Store::Drafts, id).await.expect("removed");
    }
    assert!(
        storage_local.get_item(&format!("{UNSAVED}tab-one")).expect("readable").is_none(),
        "slots are emptied"
    );
}
