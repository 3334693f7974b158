use std::sync::Arc;

use flow_model::model::{Flow, key};
use flow_model::{ScreenReference, is_valid_screen_id};
use leptos::prelude::*;
use serde_json::Value;

use super::{ScreenAction, ScreenList};
use crate::components::{Dialog, DialogActions};
use crate::features::problems::{Counts, ProblemIndex};
use crate::state::{Selection, use_editor};

/// A screen id not used yet: `base`, then `base` with `_B`, `_C`… (ids may not hold digits).
pub fn fresh_screen_id(taken: &[String], base: &str) -> String {
    let mut candidate = base.to_owned();
    let mut suffix = b'B';
    while taken.iter().any(|id| id == &candidate) {
        candidate = format!("{base}_{}", suffix as char);
        suffix = if suffix == b'Z' { b'A' } else { suffix + 1 };
        if suffix == b'A' {
            return format!("{base}_{}", "X".repeat(taken.len()));
        }
    }
    candidate
}

fn screen_ids(state: crate::state::EditorState) -> Vec<String> {
    state.document.with_untracked(|document| document.screen_labels().into_iter().map(|(id, _)| id).collect())
}

/// The screen list with its actions: add, rename (references follow), reorder, duplicate,
/// delete (after a confirmation naming what references the screen).
#[component]
pub fn ScreensPanel(
    /// The problem index, for counts per screen.
    #[prop(into)]
    index: Signal<Arc<ProblemIndex>>,
) -> impl IntoView {
    let state = use_editor();
    let screens = Memo::new(move |_| state.document.with(|document| document.screens()));
    let counts = Memo::new(move |_| {
        let total = screens.with(Vec::len);
        index.with(|index| {
            (0..total).map(|i| index.screens.get(&i).copied().unwrap_or_default()).collect::<Vec<Counts>>()
        })
    });
    let selected = Signal::derive(move || state.selection.with(|selection| selection.screen));
    let renaming = RwSignal::new(None::<(usize, String)>);
    let deleting = RwSignal::new(None::<(usize, String, Vec<ScreenReference>)>);

    let on_action = Callback::new(move |action: ScreenAction| match action {
        ScreenAction::Select(screen) => state.selection.set(Selection { screen, ..Selection::default() }),
        ScreenAction::DropComponent(screen, at) => super::component_card::move_to_screen(state, &at, screen),
        ScreenAction::Move(from, by) => {
            let count = screens.with_untracked(Vec::len) as isize;
            let to = from as isize + by;
            if (0..count).contains(&to) && state.edit(|document| document.move_screen(from, to as usize)) {
                state.selection.set(Selection { screen: to as usize, ..Selection::default() });
            }
        }
        ScreenAction::Duplicate(screen) => {
            let Some(mut copy) = state.document.with_untracked(|d| {
                Some(Value::Object(Flow::from_value(d.root())?.screen_at(screen)?.object().clone()))
            }) else {
                return;
            };
            let base = copy.get(key::ID).and_then(Value::as_str).unwrap_or("SCREEN").to_owned();
            let id = fresh_screen_id(&screen_ids(state), &format!("{base}_COPY"));
            copy[key::ID] = Value::String(id);
            if state.edit(|document| document.add_screen(screen + 1, copy)) {
                state.selection.set(Selection { screen: screen + 1, ..Selection::default() });
            }
        }
        ScreenAction::Rename(screen) => {
            let id = screens.with_untracked(|s| s.get(screen).map(|s| s.id.clone())).unwrap_or_default();
            renaming.set(Some((screen, id)));
        }
        ScreenAction::Delete(screen) => {
            let id = screens.with_untracked(|s| s.get(screen).map(|s| s.id.clone())).unwrap_or_default();
            let references = state.document.with_untracked(|document| document.screen_references(&id));
            deleting.set(Some((screen, id, references)));
        }
    });

    let add_screen = move |_| {
        let id = fresh_screen_id(&screen_ids(state), "NEW_SCREEN");
        let at = screens.with_untracked(Vec::len).min(state.selection.get_untracked().screen + 1);
        let screen = flow_model::Document::new_screen(&id, "New screen");
        if state.edit(|document| document.add_screen(at, screen)) {
            state.selection.set(Selection { screen: at, ..Selection::default() });
        }
    };

    view! {
        <section class="screens-panel" aria-labelledby="screens-heading">
            <header class="panel-header">
                <h2 id="screens-heading">"Screens " <span class="muted">{move || screens.with(Vec::len)}</span></h2>
                <button class="button button--small" data-testid="add-screen" on:click=add_screen>"+ Screen"</button>
            </header>
            <ScreenList screens=screens selected=selected counts=counts on_action=on_action />
            <RenameScreenDialog renaming=renaming />
            <DeleteScreenDialog deleting=deleting />
        </section>
    }
    .into_any()
}

#[component]
fn RenameScreenDialog(renaming: RwSignal<Option<(usize, String)>>) -> impl IntoView {
    let state = use_editor();
    let new_id = RwSignal::new(String::new());
    Effect::new(move |_| {
        if let Some((_, id)) = renaming.get() {
            new_id.set(id);
        }
    });
    let problem = move || {
        let (_, old) = renaming.get()?;
        let id = new_id.get();
        if id == old {
            return None;
        }
        if !is_valid_screen_id(&id) {
            return Some(
                "Use letters and underscores only (no digits, not only underscores), and not SUCCESS."
                    .to_owned(),
            );
        }
        screen_ids(state).contains(&id).then(|| format!("Another screen is already called {id}."))
    };
    let references = move || {
        renaming
            .get()
            .map(|(_, old)| state.document.with_untracked(|document| document.screen_references(&old).len()))
            .unwrap_or(0)
    };
    let close = Callback::new(move |()| renaming.set(None));
    let confirm = move || {
        let Some((_, old)) = renaming.get_untracked() else { return };
        let id = new_id.get_untracked();
        if id != old && problem().is_none() && state.edit(|document| document.rename_screen(&old, &id)) {
            state.notify(format!("Renamed {old} to {id}; every reference follows."));
        }
        renaming.set(None);
    };
    view! {
        <Dialog open=Signal::derive(move || renaming.with(Option::is_some)) on_close=close title="Rename screen" testid="rename-screen">
            <form on:submit=move |event| {
                event.prevent_default();
                confirm();
            }>
                <label class="field">
                    <span class="field__label">"Screen id"</span>
                    <input
                        data-testid="rename-input"
                        prop:value=move || new_id.get()
                        on:input=move |event| new_id.set(event_target_value(&event))
                        autofocus
                    />
                </label>
                <p class="field__error" role="alert">{problem}</p>
                <p class="muted">{move || format!("{} reference(s) to this screen will be updated.", references())}</p>
                <DialogActions on_cancel=close label="Rename" disabled=Signal::derive(move || problem().is_some()) />
            </form>
        </Dialog>
    }
    .into_any()
}

/// Asks before deleting a screen, naming what refers to it (the screen list and the graph
/// open it with the screen's index, id and references).
#[component]
pub fn DeleteScreenDialog(
    deleting: RwSignal<Option<(usize, String, Vec<ScreenReference>)>>,
) -> impl IntoView {
    let state = use_editor();
    let close = Callback::new(move |()| deleting.set(None));
    let confirm = Callback::new(move |()| {
        let Some((_, id, _)) = deleting.get_untracked() else { return };
        let mut dangling = Vec::new();
        let removed = state.edit(|document| {
            document.remove_screen(&id).map(|removal| {
                dangling = removal.dangling;
                removal.undo
            })
        });
        if removed {
            state.clamp_selection();
            if dangling.is_empty() {
                state.notify(format!("Deleted screen {id}. Undo with Ctrl+Z."));
            } else {
                state.notify_error(format!(
                    "Deleted screen {id}; {} reference(s) to it remain: see Problems. Undo with Ctrl+Z.",
                    dangling.len()
                ));
            }
        }
        deleting.set(None);
    });
    view! {
        <Dialog open=Signal::derive(move || deleting.with(Option::is_some)) on_close=close title="Delete screen" testid="delete-screen">
            {move || {
                deleting.get().map(|(_, id, references)| {
                    view! {
                        <p>"Delete screen " <strong>{id.clone()}</strong> "?"</p>
                        {if references.is_empty() {
                            view! { <p class="muted">"Nothing else refers to it."</p> }.into_any()
                        } else {
                            view! {
                                <p>"These places refer to it and will need fixing:"</p>
                                <ul class="reference-list" data-testid="screen-references">
                                    {references
                                        .into_iter()
                                        .map(|reference| view! {
                                            <li>{reference.kind.describe()} " at " <code>{reference.pointer}</code></li>
                                        })
                                        .collect_view()}
                                </ul>
                            }
                            .into_any()
                        }}
                    }
                })
            }}
            <DialogActions on_cancel=close label="Delete" on_confirm=confirm testid="confirm-delete" danger=true />
        </Dialog>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fresh_ids_skip_taken_ones_and_hold_no_digits() {
        let taken = vec!["A_COPY".to_owned(), "A_COPY_B".to_owned()];
        assert_eq!(fresh_screen_id(&taken, "A_COPY"), "A_COPY_C");
        assert_eq!(fresh_screen_id(&taken, "NEW"), "NEW");
        assert!(is_valid_screen_id(&fresh_screen_id(&taken, "A_COPY")));
    }
}
