use flow_model::{Document, Style};
use leptos::ev;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::components::Notices;
use crate::features::drafts::{Autosave, restore_last};
use crate::features::editor::{Canvas, FlowSettings, Palette, ScreensPanel};
use crate::features::files::{NewFlowDialog, OpenFile, PasteDialog, copy_to_clipboard, download};
use crate::features::graph::{GraphView, WorkspaceSwitch};
use crate::features::inspector::Inspector;
use crate::features::json_view::JsonPane;
use crate::features::library::{Actions, RemoteBar, WhatsAppPreview, save_shortcut};
use crate::features::preview::PreviewPane;
use crate::features::problems::{ProblemsPanel, problem_index};
use crate::features::shortcuts::ShortcutsDialog;
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
            _ => return,
        }
        event.prevent_default();
    });
    on_cleanup(move || handle.remove());
}

#[component]
fn Shell() -> impl IntoView {
    let state = use_editor();
    let (library, actions) = crate::features::library::provide(state);
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
    let show_json = RwSignal::new(false);
    let show_graph = RwSignal::new(false);
    // The phone preview shows beside the canvas on screens wide enough for both.
    let show_preview =
        RwSignal::new(window().inner_width().ok().and_then(|w| w.as_f64()).unwrap_or(0.0) >= 1400.0);
    view! {
        <div class="shell" class:shell--json=move || show_json.get()>
            <Toolbar show_json=show_json show_preview=show_preview show_graph=show_graph />
            <aside class="sidebar">
                <ScreensPanel index=index />
                // A locked (published) flow: settings and palette are disabled; edits elsewhere are refused.
                <fieldset class="plain-fieldset" disabled=move || state.read_only.with(Option::is_some)>
                    <FlowSettings />
                    <Palette />
                </fieldset>
            </aside>
            <main class="workspace">
                <Show when=move || state.read_only.with(Option::is_some)>
                    <p class="read-only-banner" data-testid="read-only-banner">{move || state.read_only.get()}</p>
                </Show>
                <div class="workspace__panes">
                    <Show when=move || show_graph.get() fallback=move || view! { <Canvas index=index /> }>
                        <GraphView index=index on_open=Callback::new(move |()| show_graph.set(false)) />
                    </Show>
                    <Show when=move || show_json.get()>
                        <div class="workspace__json" inert=move || state.read_only.with(Option::is_some)>
                            <JsonPane />
                        </div>
                    </Show>
                    <Show when=move || library.preview_open.get()>
                        <WhatsAppPreview />
                    </Show>
                    <Show when=move || show_preview.get()>
                        <PreviewPane />
                    </Show>
                </div>
                <ProblemsPanel index=index screen_names=screen_names />
            </main>
            <aside class="inspector-pane">
                <fieldset class="plain-fieldset" disabled=move || state.read_only.with(Option::is_some)>
                    <Inspector index=index />
                </fieldset>
            </aside>
            <Notices />
        </div>
    }
    .into_any()
}

#[component]
fn Toolbar(
    show_json: RwSignal<bool>,
    show_preview: RwSignal<bool>,
    show_graph: RwSignal<bool>,
) -> impl IntoView {
    let state = use_editor();
    let workspace = crate::features::workspace::use_workspace();
    let new_flow = RwSignal::new(false);
    let paste = RwSignal::new(false);
    let shortcuts = RwSignal::new(false);
    let flow_json = move || state.document.with_untracked(|document| document.to_json(Style::Pretty) + "\n");
    let export = move |_| {
        let name = state.draft.with_untracked(|draft| draft.name.clone());
        let file = format!("{}.json", if name.trim().is_empty() { "flow" } else { name.trim() });
        if let Err(message) = download(&file, &flow_json()) {
            state.notify_error(message);
        }
    };
    let copy = move |_| {
        let text = flow_json();
        spawn_local(async move {
            match copy_to_clipboard(&text).await {
                Ok(()) => state.notify("flow.json copied to the clipboard."),
                Err(message) => state.notify_error(message),
            }
        });
    };
    view! {
        <header class="toolbar">
            <h1 class="toolbar__brand">"Flowsmith"</h1>
            <span class="toolbar__draft" data-testid="draft-name" title="Draft name">{move || state.draft.with(|d| d.name.clone())}</span>
            <nav class="toolbar__actions" aria-label="File">
                <button class="button" data-testid="new-flow" on:click=move |_| new_flow.set(true)>"New…"</button>
                <OpenFile />
                <button class="button" data-testid="paste-flow" on:click=move |_| paste.set(true)>"Paste…"</button>
                <button class="button" data-testid="drafts" on:click=move |_| {
                    // The drafts of this browser are listed by the Flows page.
                    let current = state.draft.with_untracked(|draft| crate::api::encode_query(&draft.id));
                    workspace.frame.set(Some(format!("/flows?tab=drafts&current={current}")));
                }>"Drafts…"</button>
                <button class="button" data-testid="export" title="Download flow.json" on:click=export>"Export"</button>
                <button class="button" data-testid="copy-json" on:click=copy>"Copy JSON"</button>
            </nav>
            <WorkspaceSwitch show_graph=show_graph />
            <nav class="toolbar__actions" aria-label="Edit">
                <button class="button" data-testid="undo" title="Undo (Ctrl+Z)" disabled=move || !state.can_undo() on:click=move |_| state.undo()>"Undo"</button>
                <button class="button" data-testid="redo" title="Redo (Ctrl+Shift+Z, Ctrl+Y)" disabled=move || !state.can_redo() on:click=move |_| state.redo()>"Redo"</button>
                <button
                    class="button"
                    class:button--pressed=move || show_json.get()
                    data-testid="toggle-json"
                    aria-pressed=move || show_json.get().to_string()
                    on:click=move |_| show_json.update(|shown| *shown = !*shown)
                >"JSON"</button>
                <button
                    class="button"
                    class:button--pressed=move || show_preview.get()
                    data-testid="toggle-preview"
                    title="The flow running in a phone, beside the editor"
                    aria-pressed=move || show_preview.get().to_string()
                    on:click=move |_| show_preview.update(|shown| *shown = !*shown)
                >"Phone preview"</button>
            </nav>
            <RemoteBar />
            <button class="button" data-testid="show-shortcuts" title="Keyboard shortcuts (?)" aria-label="Keyboard shortcuts" on:click=move |_| shortcuts.set(true)>"?"</button>
            <NewFlowDialog open=new_flow />
            <PasteDialog open=paste />
            <ShortcutsDialog open=shortcuts />
        </header>
    }
    .into_any()
}
