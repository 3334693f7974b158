use flow_model::Document;
use leptos::ev;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::components::Notices;
use crate::features::drafts::{Autosave, restore_last};
use crate::features::editor::{Canvas, FlowSettings, Palette, ScreensPanel};
use crate::features::graph::GraphView;
use crate::features::inspector::Inspector;
use crate::features::json_view::JsonPane;
use crate::features::library::{Actions, save_shortcut};
use crate::features::problems::{ProblemsPanel, problem_index};
use crate::features::shell::{Dock, Layout, Pane, PreviewArea, Toolbar, View, start_shell};
use crate::state::{DraftInfo, EditorState, use_editor};

/// The root component: the editor state, the draft restored from the browser, the shell.
#[component]
pub fn App() -> impl IntoView {
    crate::regex::use_browser_regex();
    crate::text::use_browser_numbers();
    let state = EditorState::provide(Document::from_value(serde_json::json!({})), DraftInfo::default());
    let ready = RwSignal::new(false);
    restore_last(state, ready);
    let autosave = Autosave::start(state);
    provide_context(autosave);
    view! {
        <Show when=move || ready.get() fallback=|| view! { <p class="loading">"Opening your flow…"</p> }>
            <Shell />
        </Show>
    }
    .into_any()
}

/// Undo, redo and the other editor-wide shortcuts. Keys a focused widget already handled
/// (CodeMirror, a card) arrive with `defaultPrevented` and are left alone.
fn global_shortcuts(state: EditorState, actions: Actions) {
    let handle = window_event_listener(ev::keydown, move |event| {
        if event.default_prevented() || !(event.ctrl_key() || event.meta_key()) {
            return;
        }
        match (event.key().to_ascii_lowercase().as_str(), event.shift_key()) {
            ("z", false) => state.undo(),
            ("z", true) | ("y", false) => state.redo(),
            ("s", _) => {
                if !save_shortcut(state, actions) {
                    state.notify("Every change is already kept in this browser. Export to get a file.");
                }
            }
            // The File menu's Open file…, whose input is there even while the menu is closed.
            ("o", false) => {
                if let Ok(Some(input)) = document().query_selector("[data-testid=open-file]") {
                    input.unchecked_into::<web_sys::HtmlElement>().click();
                }
            }
            _ => return,
        }
        event.prevent_default();
    });
    on_cleanup(move || handle.remove());
}

/// The editor: the toolbar over the panes (screens | view and problems | preview | inspector).
#[component]
fn Shell() -> impl IntoView {
    let state = use_editor();
    let layout = Layout::for_window();
    let (_, actions) = crate::features::library::provide(state);
    global_shortcuts(state, actions);
    let index = problem_index(state);
    let screen_names = Memo::new(move |_| {
        state.document.with(|document| {
            document
                .screen_labels()
                .into_iter()
                .map(|(id, title)| if title.is_empty() { id } else { format!("{title} ({id})") })
                .collect::<Vec<_>>()
        })
    });
    let locked = move || state.read_only.with(Option::is_some);
    // On the first visit the sample is open: one line says what it is and where to start.
    let first_visit = start_shell().then(|| {
        view! {
            <p class="hint" role="note" data-testid="first-visit">
                "This sample flow books an appointment. Select a card to edit it in the inspector, try it in "
                "Preview, or start your own with File › New."
                <button class="icon-button" data-dismiss aria-label="Dismiss">"×"</button>
            </p>
        }
    });
    view! {
        <div class="shell" class:shell--preview=move || layout.preview.get()>
            <Toolbar layout=layout />
            {first_visit}
            <div class="panes">
                <Dock pane=Pane::Screens>
                    <ScreensPanel index=index />
                    // A locked (published) flow: settings and palette are disabled; edits elsewhere are refused.
                    <fieldset class="plain-fieldset" disabled=locked>
                        <FlowSettings />
                        <Palette />
                    </fieldset>
                </Dock>
                // Focusable, so focus can go back here when a dialog's opener is gone.
                <main class="workspace" id="pane-main" tabindex="-1">
                    <Show when=locked>
                        <p class="read-only-banner" data-testid="read-only-banner">{move || state.read_only.get()}</p>
                    </Show>
                    {move || match layout.view.get() {
                        View::Cards => view! { <Canvas index=index /> }.into_any(),
                        View::Graph => view! { <GraphView index=index on_open=Callback::new(move |()| layout.view.set(View::Cards)) /> }.into_any(),
                        View::Json => view! { <div class="workspace__json" inert=locked><JsonPane /></div> }.into_any(),
                    }}
                    <ProblemsPanel index=index screen_names=screen_names />
                </main>
                <Show when=move || layout.preview.get()>
                    <Dock pane=Pane::Preview>
                        <PreviewArea layout=layout />
                    </Dock>
                </Show>
                <Dock pane=Pane::Inspector>
                    <fieldset class="plain-fieldset" disabled=locked>
                        <Inspector index=index />
                    </fieldset>
                </Dock>
            </div>
            <Notices />
        </div>
    }
    .into_any()
}
