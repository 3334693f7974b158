use flow_model::Style;
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::{Layout, View};
use crate::components::{Icon, IconName, Menu};
use crate::features::files::{NewFlowDialog, OpenFile, PasteDialog, copy_to_clipboard, download};
use crate::features::library::RemoteBar;
use crate::features::shortcuts::ShortcutsDialog;
use crate::state::use_editor;

/// The toolbar, one row from 1280 px: the draft, the File menu, the views, undo and redo, the
/// preview, the WhatsApp account and its actions, the shortcuts.
#[component]
pub fn Toolbar(layout: Layout) -> impl IntoView {
    let state = use_editor();
    let new_flow = RwSignal::new(false);
    let paste = RwSignal::new(false);
    let workspace = crate::features::workspace::use_workspace();
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
    let view_button = move |(view, label, testid): (View, &'static str, &'static str)| {
        view! {
            <button
                class="button"
                class:button--pressed=move || layout.view.get() == view
                aria-pressed=move || (layout.view.get() == view).to_string()
                data-testid=testid
                on:click=move |_| layout.view.set(view)
            >
                {label}
            </button>
        }
    };
    let views = [
        (View::Cards, "Cards", "workspace-cards"),
        (View::Graph, "Graph", "workspace-graph"),
        (View::Json, "JSON", "workspace-json"),
    ];
    view! {
        <header class="toolbar">
            <h1 class="toolbar__brand">"Flowsmith"</h1>
            <span class="toolbar__draft" data-testid="draft-name" title=move || format!("Draft: {}", state.draft.with(|d| d.name.clone()))>
                {move || state.draft.with(|d| d.name.clone())}
            </span>
            <Menu label="File" testid="file-menu">
                <button class="menu__item" data-testid="new-flow" on:click=move |_| new_flow.set(true)>"New…"</button>
                <OpenFile />
                <button class="menu__item" data-testid="paste-flow" on:click=move |_| paste.set(true)>"Paste…"</button>
                <button class="menu__item" data-testid="drafts" on:click=move |_| {
                    // The drafts of this browser are listed by the Flows page.
                    let current = state.draft.with_untracked(|draft| crate::api::encode_query(&draft.id));
                    workspace.frame.set(Some(format!("/flows?tab=drafts&current={current}")));
                }>"Drafts…"</button>
                <button class="menu__item" data-testid="export" title="Download flow.json" on:click=export>"Export"</button>
                <button class="menu__item" data-testid="copy-json" on:click=copy>"Copy JSON"</button>
            </Menu>
            <div class="segmented" role="group" aria-label="View">{views.map(view_button)}</div>
            <div class="toolbar__group" role="group" aria-label="Edit">
                <button class="button" data-testid="undo" title="Undo (Ctrl+Z)" aria-label="Undo" disabled=move || !state.can_undo() on:click=move |_| state.undo()>
                    <Icon name=IconName::Undo />
                </button>
                <button class="button" data-testid="redo" title="Redo (Ctrl+Shift+Z, Ctrl+Y)" aria-label="Redo" disabled=move || !state.can_redo() on:click=move |_| state.redo()>
                    <Icon name=IconName::Redo />
                </button>
                <button
                    class="button"
                    class:button--pressed=move || layout.preview.get()
                    data-testid="toggle-preview"
                    title="The flow running in a phone, beside the editor"
                    aria-pressed=move || layout.preview.get().to_string()
                    on:click=move |_| layout.preview.update(|shown| *shown = !*shown)
                >"Preview"</button>
            </div>
            <RemoteBar />
            <button class="button" data-testid="show-shortcuts" title="Keyboard shortcuts (?)" aria-label="Keyboard shortcuts" on:click=move |_| shortcuts.set(true)>"?"</button>
            <NewFlowDialog open=new_flow />
            <PasteDialog open=paste />
            <ShortcutsDialog open=shortcuts />
        </header>
    }
    .into_any()
}
