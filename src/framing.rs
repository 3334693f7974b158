//! The Flows page in the editor's frame: what the page tells the editor that frames it
//! (`postMessage` to its parent, addressed to this origin only; the editor takes messages
//! from its own frame only, see `features::workspace::FlowsFrame`).
use wasm_bindgen::JsValue;

/// Posted when Escape is pressed on the page with no dialog of its own open: the editor
/// closes the frame, as Escape does when the focus is in the editor.
pub const CLOSE_MESSAGE: &str = "flowsmith:close";

/// Posts `fields` as one object to the editor that frames this page; `false` when the page
/// is on its own (then the caller does the thing itself).
pub fn tell_editor(fields: &[(&str, JsValue)]) -> bool {
    let window = leptos::prelude::window();
    let Some(parent) = window.parent().ok().flatten().filter(|parent| parent != &window) else {
        return false;
    };
    let message = js_sys::Object::new();
    for (key, value) in fields {
        let _ = js_sys::Reflect::set(&message, &(*key).into(), value);
    }
    let _ = parent.post_message(&message, &window.location().origin().unwrap_or_default());
    true
}

/// Escape on the page closes the editor's frame unless a dialog of the page is open (the
/// dialog takes it). Registered by the Flows page for its lifetime.
pub fn close_frame_on_escape() {
    let listener = leptos::prelude::window_event_listener(leptos::ev::keydown, |event| {
        if event.key() != "Escape" || event.default_prevented() {
            return;
        }
        let dialog_open = leptos::prelude::document().query_selector("dialog[open]").ok().flatten().is_some();
        if !dialog_open {
            tell_editor(&[("type", CLOSE_MESSAGE.into())]);
        }
    });
    leptos::prelude::on_cleanup(move || listener.remove());
}
