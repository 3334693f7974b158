use flow_model::json::pointer;
use flow_model::model::{Component, ComponentKind, Form, If, Switch};
use leptos::either::Either;
use leptos::prelude::*;
use serde_json::Value;
use web_sys::{DragEvent, KeyboardEvent};

use super::canvas::Problems;
use super::summary::summarize;
use crate::state::{EditorState, Selection, use_editor};

/// Drag data type of a component being moved: its pointer.
pub const DRAG_COMPONENT: &str = "application/x-flowsmith-component";
/// Drag data type of a new component from the palette: its type.
pub const DRAG_NEW: &str = "application/x-flowsmith-new-component";

/// The lists a container holds: (pointer, label).
fn nested_lists(at: &str, component: Component<'_>) -> Vec<(String, String)> {
    match component.kind() {
        ComponentKind::Form(_) => vec![(Form::children_pointer(at), String::new())],
        ComponentKind::If(_) => vec![
            (If::branch_pointer(at, true), "Then".to_owned()),
            (If::branch_pointer(at, false), "Else".to_owned()),
        ],
        ComponentKind::Switch(switch) => {
            switch.case_names().map(|key| (Switch::case_pointer(at, key), format!("Case {key}"))).collect()
        }
        ComponentKind::Leaf(_) => Vec::new(),
    }
}

/// The `type` of the component at `at`.
fn type_at(document: &flow_model::Document, at: &str) -> Option<String> {
    document.get(at).and_then(Component::from_value).and_then(|c| c.type_name()).map(str::to_owned)
}

/// The list and position of a component pointer: `…/children/3` → (`…/children`, 3).
pub fn list_and_index(at: &str) -> Option<(String, usize)> {
    let (list, last) = pointer::split_last(at)?;
    Some((list.to_owned(), pointer::array_index(&last)?))
}

fn select(state: EditorState, at: &str) {
    state.selection.update(|selection| {
        selection.component = Some(at.to_owned());
        selection.field = None;
    });
}

/// Moves the component at `at` by one place in its list; the selection follows.
pub fn move_by(state: EditorState, at: &str, by: isize) {
    let Some((list, index)) = list_and_index(at) else { return };
    let length =
        state.document.with_untracked(|d| d.get(&list).and_then(Value::as_array).map_or(0, Vec::len));
    let to = index as isize + by;
    if to < 0 || to as usize >= length {
        return;
    }
    if state.edit(|document| document.move_component(at, &list, to as usize)) {
        select(state, &pointer::join(&list, to));
    }
}

/// Moves the component at `at` to another screen, where the palette would put a new one of
/// its type (into the screen's Form when allowed, before a closing Footer); it stays selected.
pub fn move_to_screen(state: EditorState, at: &str, target: usize) {
    let Some(kind) = state.document.with_untracked(|d| type_at(d, at)) else {
        return;
    };
    if state.document.with_untracked(|d| flow_model::walk::target_of(d.root(), at).screen) == Some(target) {
        return;
    }
    let version = state.document.with_untracked(|d| {
        d.version().and_then(flow_model::Version::parse).unwrap_or(flow_model::Version::LATEST)
    });
    let place = state.document.with_untracked(|d| {
        super::palette::insertion_point(
            d.root(),
            &Selection { screen: target, component: None, field: None },
            &kind,
            version,
        )
    });
    let Some((list, index)) = place else {
        state.notify_error(format!("A {kind} cannot go on that screen."));
        return;
    };
    if state.edit(|document| document.move_component(at, &list, index)) {
        state.selection.set(Selection {
            screen: target,
            component: Some(pointer::join(&list, index)),
            field: None,
        });
    }
}

/// Removes the component at `at`; the selection moves to a neighbour or clears.
pub fn remove(state: EditorState, at: &str) {
    if state.edit(|document| document.remove_component(at)) {
        state.selection.update(|selection| {
            selection.component = None;
            selection.field = None;
        });
        state.notify("Component deleted. Undo with Ctrl+Z.");
    }
}

/// Duplicates the component at `at` (inputs get fresh names); the copy is selected.
pub fn duplicate(state: EditorState, at: &str) {
    if state.edit(|document| document.duplicate_component(at))
        && let Some((list, index)) = list_and_index(at)
    {
        select(state, &pointer::join(&list, index + 1));
    }
}

fn on_card_keydown(state: EditorState, at: &str, event: &KeyboardEvent) {
    let command = event.ctrl_key() || event.meta_key();
    match event.key().as_str() {
        "ArrowUp" if event.alt_key() => move_by(state, at, -1),
        "ArrowDown" if event.alt_key() => move_by(state, at, 1),
        "Delete" | "Backspace" => remove(state, at),
        "d" | "D" if command => duplicate(state, at),
        "Enter" | " " => select(state, at),
        _ => return,
    }
    event.prevent_default();
    event.stop_propagation();
}

/// Where a drop lands: the list and the position in it.
fn drop_position(at: &str, event: &DragEvent) -> Option<(String, usize)> {
    let (list, index) = list_and_index(at)?;
    let target: web_sys::Element = event.current_target()?.dyn_into().ok()?;
    let rect = target.get_bounding_client_rect();
    let after = f64::from(event.client_y()) > rect.top() + rect.height() / 2.0;
    Some((list, if after { index + 1 } else { index }))
}

use wasm_bindgen::JsCast;

/// Drops a dragged component (or a new one from the palette) at a place in a list.
pub fn drop_at(state: EditorState, event: &DragEvent, list: &str, index: usize) {
    let Some(data) = event.data_transfer() else { return };
    event.prevent_default();
    if let Some(from) = data.get_data(DRAG_COMPONENT).ok().filter(|from| !from.is_empty()) {
        // Moving down within the same list: the index counts the list without the item.
        let index = match list_and_index(&from) {
            Some((from_list, from_index)) if from_list == list && from_index < index => index - 1,
            _ => index,
        };
        if state.edit(|document| document.move_component(&from, list, index)) {
            select(state, &pointer::join(list, index));
        }
    } else if let Some(kind) = data.get_data(DRAG_NEW).ok().filter(|kind| !kind.is_empty()) {
        super::palette::insert_new(state, &kind, list, index);
    }
}

/// One component: its summary, badges, and (for containers) the lists it holds.
#[component]
pub fn ComponentCard(at: String) -> impl IntoView {
    let state = use_editor();
    let Problems(problems) = expect_context::<Problems>();
    let component_pointer = at.clone();
    // Three memos, so typing into a label re-renders the heading only, and nested lists only
    // when they change.
    let (kind_at, summary_at) = (component_pointer.clone(), component_pointer.clone());
    let kind = Memo::new(move |_| {
        state
            .document
            .with(|d| d.get(&kind_at).map(|_| type_at(d, &kind_at).unwrap_or_else(|| "?".to_owned())))
    });
    let summary = Memo::new(move |_| {
        state
            .document
            .with(|d| d.get(&summary_at).and_then(Value::as_object).map(summarize).unwrap_or_default())
    });
    let lists = Memo::new(move |_| {
        state.document.with(|d| {
            let component = d.get(&component_pointer).and_then(Component::from_value);
            component.map(|c| nested_lists(&component_pointer, c)).unwrap_or_default()
        })
    });
    let counts_pointer = at.clone();
    let counts =
        move || problems.with(|index| index.components.get(&counts_pointer).copied().unwrap_or_default());
    let selected_pointer = at.clone();
    let is_selected = Memo::new(move |_| {
        state.selection.with(|selection| selection.component.as_deref() == Some(selected_pointer.as_str()))
    });
    let (click_at, key_at, drag_at, drop_at_pointer) = (at.clone(), at.clone(), at.clone(), at.clone());
    let drop_hint = RwSignal::new(None::<bool>);
    let card = NodeRef::<leptos::html::Article>::new();
    // Keep keyboard focus on the selected card (after a move its element is a new one).
    Effect::new(move |_| {
        if is_selected.get()
            && let Some(card) = card.get()
        {
            let active = web_sys::window().and_then(|w| w.document()).and_then(|d| d.active_element());
            let typing =
                active.is_some_and(|a| matches!(a.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT"));
            if !typing {
                let _ = card.focus();
            }
        }
    });
    view! {
        <article
            node_ref=card
            class="card"
            class:card--selected=is_selected
            class:card--drop-before=move || drop_hint.get() == Some(false)
            class:card--drop-after=move || drop_hint.get() == Some(true)
            data-testid="component-card"
            data-pointer=at.clone()
            data-type=move || kind.get()
            tabindex="0"
            draggable="true"
            aria-current=move || is_selected.get().then_some("true")
            on:click=move |event| {
                event.stop_propagation();
                select(state, &click_at);
            }
            on:keydown=move |event| on_card_keydown(state, &key_at, &event)
            on:dragstart=move |event: DragEvent| {
                event.stop_propagation();
                if let Some(data) = event.data_transfer() {
                    let _ = data.set_data(DRAG_COMPONENT, &drag_at);
                    data.set_effect_allowed("move");
                }
            }
            on:dragover=move |event: DragEvent| {
                event.prevent_default();
                event.stop_propagation();
                drop_hint.set(drop_position(&drop_at_pointer, &event).map(|(_, index)| {
                    list_and_index(&drop_at_pointer).is_some_and(|(_, own)| index > own)
                }));
            }
            on:dragleave=move |_| drop_hint.set(None)
            on:drop={
                let at = at.clone();
                move |event: DragEvent| {
                    event.stop_propagation();
                    drop_hint.set(None);
                    if let Some((list, index)) = drop_position(&at, &event) {
                        drop_at(state, &event, &list, index);
                    }
                }
            }
        >
            <header class="card__header">
                <span class="card__type" data-testid="component-type">{move || kind.get().unwrap_or_default()}</span>
                {move || summary.with(|s| s.name.clone()).map(|name| view! { <code class="card__name">{name}</code> })}
                {move || {
                    let counts = counts();
                    view! {
                        {(counts.errors > 0).then(|| view! { <span class="badge badge--error" title="Errors">{counts.errors}</span> })}
                        {(counts.warnings > 0).then(|| view! { <span class="badge badge--warning" title="Warnings">{counts.warnings}</span> })}
                    }
                }}
            </header>
            <p class="card__heading">{move || summary.with(|s| s.heading.clone())}</p>
            {move || {
                let details = summary.with(|s| s.details.clone());
                (!details.is_empty()).then(|| view! {
                    <ul class="card__details">{details.into_iter().map(|line| view! { <li>{line}</li> }).collect_view()}</ul>
                })
            }}
            {move || {
                let lists = lists.get();
                if lists.is_empty() {
                    Either::Left(())
                } else {
                    Either::Right(view! {
                        <div class="card__lists">
                            {lists
                                .into_iter()
                                .map(|(list, label)| view! {
                                    <div class="card__branch">
                                        {(!label.is_empty()).then(|| view! { <span class="card__branch-label">{label}</span> })}
                                        <ComponentList list=list />
                                    </div>
                                })
                                .collect_view()}
                        </div>
                    })
                }
            }}
        </article>
    }
    .into_any()
}

/// The cards of one list (a screen's layout, a Form's children, a branch), and a drop zone at
/// its end.
#[component]
pub fn ComponentList(list: String) -> impl IntoView {
    let state = use_editor();
    let list_pointer = list.clone();
    let items = Memo::new(move |_| {
        state.document.with(|document| {
            document
                .get(&list_pointer)
                .and_then(Value::as_array)
                .map(|items| {
                    (0..items.len()).map(|index| pointer::join(&list_pointer, index)).collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    });
    let end_list = list.clone();
    let over = RwSignal::new(false);
    view! {
        <div class="card-list" data-testid="card-list" data-list=list.clone()>
            <For each=move || items.get() key=|at| at.clone() let(at)>
                <ComponentCard at=at />
            </For>
            <div
                class="card-list__end"
                class:card-list__end--over=move || over.get()
                on:dragover=move |event: DragEvent| {
                    event.prevent_default();
                    event.stop_propagation();
                    over.set(true);
                }
                on:dragleave=move |_| over.set(false)
                on:drop=move |event: DragEvent| {
                    event.stop_propagation();
                    over.set(false);
                    let length = items.with_untracked(Vec::len);
                    drop_at(state, &event, &end_list, length);
                }
            >
                {move || items.with(Vec::is_empty).then_some("Empty: add components from the palette, or drop them here")}
            </div>
        </div>
    }
    .into_any()
}

/// Selects a card and keeps the screen.
pub fn select_component(state: EditorState, screen: usize, at: Option<String>) {
    state.selection.set(Selection { screen, component: at, field: None });
}
