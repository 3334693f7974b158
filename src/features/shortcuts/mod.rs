//! The keyboard shortcuts, listed in a dialog that `?` (or the toolbar's `?` button) opens.
//! The list is data: each feature keeps its own key handling, and this table says what they do.
use leptos::ev;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::components::Dialog;

/// (group, [(keys, what they do)]), in the order the dialog shows them.
pub const SHORTCUTS: &[(&str, &[(&str, &str)])] = &[
    (
        "Everywhere",
        &[
            ("Ctrl+Z", "Undo (cards and JSON alike)"),
            ("Ctrl+Shift+Z, Ctrl+Y", "Redo"),
            ("Ctrl+S", "Save to WhatsApp (a draft linked to a flow there)"),
            ("Ctrl+O", "Open a flow.json file"),
            ("?", "This list"),
            ("Escape", "Close the open menu, dialog, or pane opened from its rail"),
        ],
    ),
    (
        "Panes (a splitter focused; Tab reaches them)",
        &[
            ("←, →", "Narrow or widen the pane (Shift: four times as far)"),
            ("Home, End", "Its smallest, its largest width"),
        ],
    ),
    ("Preview (a tab focused)", &[("←, →", "The other preview: the phone, WhatsApp's")]),
    ("JSON view", &[("Tab", "Indent"), ("Escape, then Tab", "Leave the text for the next control")]),
    (
        "Screens (a screen in the list focused)",
        &[("Alt+↑, Alt+↓", "Move the screen"), ("F2", "Rename"), ("Delete", "Delete, after a confirmation")],
    ),
    (
        "Cards (a card focused)",
        &[
            ("Alt+↑, Alt+↓", "Move the component"),
            ("Enter, Space", "Select it (its properties show in the inspector)"),
            ("Delete, Backspace", "Remove it"),
            ("Ctrl+D", "Duplicate it"),
            (
                "Ctrl+C, Ctrl+X, Ctrl+V",
                "Copy, cut and paste components as JSON (also between flows and tabs)",
            ),
        ],
    ),
    (
        "Graph",
        &[
            ("Arrows", "Select the nearest screen that way"),
            ("Enter", "Open the selected screen in the editor"),
            ("Delete, Backspace", "Remove the selected route, or delete the screen after a confirmation"),
            ("+, −, 0", "Zoom in, zoom out, fit to view"),
            ("Escape", "Unselect the route"),
        ],
    ),
];

/// Whether a key press is the `?` that opens the list: not while typing somewhere, and not
/// with Ctrl, Alt or Meta held.
pub fn opens_the_list(event: &web_sys::KeyboardEvent) -> bool {
    if event.key() != "?"
        || event.ctrl_key()
        || event.alt_key()
        || event.meta_key()
        || event.default_prevented()
    {
        return false;
    }
    let typing =
        event.target().and_then(|target| target.dyn_into::<web_sys::Element>().ok()).is_some_and(|element| {
            matches!(element.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")
                || element.closest("[contenteditable], .cm-editor").ok().flatten().is_some()
        });
    !typing
}

/// The list as HTML: a heading and a table per group, every text escaped.
pub fn markup() -> String {
    let escape = |text: &str| text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
    let mut html = String::new();
    for (group, keys) in SHORTCUTS {
        html.push_str(&format!("<h3>{}</h3><table class=\"shortcuts\"><tbody>", escape(group)));
        for (keys, what) in *keys {
            html.push_str(&format!("<tr><td><kbd>{}</kbd></td><td>{}</td></tr>", escape(keys), escape(what)));
        }
        html.push_str("</tbody></table>");
    }
    html
}

/// The dialog; `?` anywhere outside a text field opens it.
#[component]
pub fn ShortcutsDialog(open: RwSignal<bool>) -> impl IntoView {
    let handle = window_event_listener(ev::keydown, move |event| {
        if opens_the_list(&event) {
            event.prevent_default();
            open.set(true);
        }
    });
    on_cleanup(move || handle.remove());
    // One string of markup for the whole static list: a view per row cost the bundle about
    // 4 KB gzip for text that never changes.
    let list = markup();
    view! {
        <Dialog open=open on_close=Callback::new(move |()| open.set(false)) title="Keyboard shortcuts" testid="shortcuts-dialog">
            <div inner_html=list></div>
        </Dialog>
    }
    .into_any()
}
