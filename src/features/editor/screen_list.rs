use flow_model::ScreenSummary;
use leptos::prelude::*;

use crate::components::{Icon, IconName};
use crate::features::problems::Counts;

/// What the user asks of a screen in the list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScreenAction {
    /// Show it in the editor.
    Select(usize),
    /// Change its id (every reference follows).
    Rename(usize),
    /// Add a copy after it.
    Duplicate(usize),
    /// Move it one place up or down.
    Move(usize, isize),
    /// Remove it (asks first).
    Delete(usize),
    /// A dragged component (its pointer) was dropped on it.
    DropComponent(usize, String),
}

/// The screens of the flow, in order, with their problem counts and actions.
#[component]
pub fn ScreenList(
    /// The screens.
    #[prop(into)]
    screens: Signal<Vec<ScreenSummary>>,
    /// Index of the selected screen.
    #[prop(into)]
    selected: Signal<usize>,
    /// Problem counts per screen index.
    #[prop(into)]
    counts: Signal<Vec<Counts>>,
    /// What the user asked.
    on_action: Callback<ScreenAction>,
) -> impl IntoView {
    let rows = move || screens.with(|screens| screens.iter().cloned().enumerate().collect::<Vec<_>>());
    view! {
        <ol class="screen-list" data-testid="screen-list" aria-label="Screens">
            <For
                each=rows
                key=|(index, screen)| (*index, screen.clone())
                children=move |(index, screen)| {
                    let count = move || counts.with(|counts| counts.get(index).copied().unwrap_or_default());
                    let is_last = move || index + 1 >= screens.with(Vec::len);
                    let has_errors = move || count().errors > 0;
                    let has_warnings = move || count().warnings > 0;
                    let title = if screen.title.is_empty() { "(no title)".to_owned() } else { screen.title.clone() };
                    let components = screen.component_types.len();
                    view! {
                        <li
                            on:dragover=move |event: web_sys::DragEvent| {
                                let dragging = event.data_transfer().is_some_and(|data| {
                                    data.types().includes(&crate::features::editor::component_card::DRAG_COMPONENT.into(), 0)
                                });
                                if dragging {
                                    event.prevent_default();
                                }
                            }
                            on:drop=move |event: web_sys::DragEvent| {
                                let at = event
                                    .data_transfer()
                                    .and_then(|data| data.get_data(crate::features::editor::component_card::DRAG_COMPONENT).ok())
                                    .filter(|at| !at.is_empty());
                                if let Some(at) = at {
                                    event.prevent_default();
                                    on_action.run(ScreenAction::DropComponent(index, at));
                                }
                            }
                            class="screen-item"
                            class:screen-item--selected=move || selected.get() == index
                            data-testid="screen-card"
                            data-screen-id=screen.id.clone()
                        >
                            <button
                                class="screen-item__main"
                                aria-current=move || (selected.get() == index).then_some("true")
                                on:click=move |_| on_action.run(ScreenAction::Select(index))
                                on:keydown=move |event| {
                                    if event.alt_key() && event.key() == "ArrowUp" {
                                        event.prevent_default();
                                        on_action.run(ScreenAction::Move(index, -1));
                                    } else if event.alt_key() && event.key() == "ArrowDown" {
                                        event.prevent_default();
                                        on_action.run(ScreenAction::Move(index, 1));
                                    } else if event.key() == "F2" {
                                        on_action.run(ScreenAction::Rename(index));
                                    } else if event.key() == "Delete" {
                                        on_action.run(ScreenAction::Delete(index));
                                    }
                                }
                            >
                                <span class="screen-item__title" data-testid="screen-title">{title}</span>
                                <code class="screen-item__id">{screen.id.clone()}</code>
                                <span class="screen-item__meta">
                                    {format!("{components} component{}", if components == 1 { "" } else { "s" })}
                                </span>
                                <Show when=has_errors>
                                    <span class="badge badge--error" title="Errors">{move || count().errors}</span>
                                </Show>
                                <Show when=has_warnings>
                                    <span class="badge badge--warning" title="Warnings">{move || count().warnings}</span>
                                </Show>
                            </button>
                            <span class="screen-item__actions">
                                <button class="icon-button" title="Move up (Alt+↑)" aria-label="Move screen up"
                                    disabled=move || index == 0
                                    on:click=move |_| on_action.run(ScreenAction::Move(index, -1))><Icon name=IconName::Up /></button>
                                <button class="icon-button" title="Move down (Alt+↓)" aria-label="Move screen down"
                                    disabled=is_last
                                    on:click=move |_| on_action.run(ScreenAction::Move(index, 1))><Icon name=IconName::Down /></button>
                                <button class="icon-button" title="Rename (F2)" aria-label="Rename screen"
                                    on:click=move |_| on_action.run(ScreenAction::Rename(index))><Icon name=IconName::Edit /></button>
                                <button class="icon-button" title="Duplicate" aria-label="Duplicate screen"
                                    on:click=move |_| on_action.run(ScreenAction::Duplicate(index))><Icon name=IconName::Copy /></button>
                                <button class="icon-button" title="Delete (Del)" aria-label="Delete screen"
                                    on:click=move |_| on_action.run(ScreenAction::Delete(index))><Icon name=IconName::Delete /></button>
                            </span>
                        </li>
                    }
                }
            />
        </ol>
    }
    .into_any()
}
