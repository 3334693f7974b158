use std::sync::Arc;

use flow_model::catalog;
use flow_model::model::{Component, ComponentKind, Flow, Screen};
use flow_model::walk::components;
use leptos::prelude::*;

use super::bindings::suggestions;
use super::field::{JsonField, PropertyForm};
use super::screen::ScreenInspector;
use super::values::document_version;
use super::{FieldMessages, InspectorContext};
use crate::components::{Icon, IconName};
use crate::features::editor::component_card::{duplicate, move_by, move_to_screen, remove};
use crate::features::problems::ProblemIndex;
use crate::state::use_editor;

/// The selected component's properties as a form generated from the catalog, or the screen's
/// properties when no component is selected.
#[component]
pub fn Inspector(
    /// The problem index, for messages under fields.
    #[prop(into)]
    index: Signal<Arc<ProblemIndex>>,
) -> impl IntoView {
    let state = use_editor();
    // The bindings offered are read when a field of the inspector gains or loses focus and
    // when the selection changes, not on every change of the document: they only matter while
    // a field is being filled, and walking every screen of a large flow on each keystroke
    // cost more than the rest of the inspector.
    let offered = RwSignal::new(Vec::<String>::new());
    let refresh = move || {
        let screen = state.selection.with_untracked(|s| s.screen);
        let fresh = state.document.with_untracked(|d| suggestions(d.root(), screen));
        if offered.with_untracked(|current| *current != fresh) {
            offered.set(fresh);
        }
    };
    Effect::new(move |_| {
        state.selection.track();
        refresh();
    });
    provide_context(InspectorContext { index, offered: offered.into() });
    let target = Memo::new(move |_| state.selection.with(|s| (s.screen, s.component.clone())));
    view! {
        <section class="inspector" data-testid="inspector" aria-label="Inspector" on:focusin=move |_| refresh() on:focusout=move |_| refresh()>
            <datalist id="binding-suggestions">
                {move || offered.get().into_iter().map(|binding| view! { <option value=binding /> }).collect_view()}
            </datalist>
            {move || match target.get() {
                (_, Some(at)) => view! { <ComponentInspector at=at /> }.into_any(),
                (screen, None) => {
                    let exists = state.document.with_untracked(|d| d.get(&Screen::pointer_of(screen)).is_some());
                    if exists { view! { <ScreenInspector screen=screen /> }.into_any() } else { ().into_any() }
                }
            }}
        </section>
    }
    .into_any()
}

#[component]
fn ComponentInspector(at: String) -> impl IntoView {
    let state = use_editor();
    let version = document_version(state);
    let kind_at = at.clone();
    let kind = Memo::new(move |_| {
        state
            .document
            .with(|d| d.get(&kind_at).and_then(Component::from_value)?.type_name().map(str::to_owned))
    });
    let form_at = at.clone();
    let inside_form = Memo::new(move |_| {
        let screen = state.selection.with(|s| s.screen);
        state.document.with(|d| {
            let Some(screen) = Flow::from_value(d.root()).and_then(|flow| flow.screen_at(screen)) else {
                return false;
            };
            let all = components(screen.object(), &screen.pointer());
            let is_form = |c: &flow_model::walk::ComponentAt<'_>| {
                matches!(Component::new(c.component).kind(), ComponentKind::Form(_))
            };
            all.iter()
                .find(|c| all.pointer(c) == form_at)
                .is_some_and(|c| c.ancestors(&all).any(|i| all.get(i).is_some_and(is_form)))
        })
    });
    let screens = Memo::new(move |_| {
        state.document.with(|d| d.screen_labels().into_iter().map(|(id, _)| id).collect::<Vec<_>>())
    });
    let (up_at, down_at, dup_at, del_at, move_at, form_at) =
        (at.clone(), at.clone(), at.clone(), at.clone(), at.clone(), at.clone());
    let move_to_screen = move |target: usize| move_to_screen(state, &move_at, target);
    view! {
        <div class="inspector__component" data-testid="component-inspector">
            <header class="inspector__header">
                <h2 class="inspector__title">{move || kind.get().unwrap_or_else(|| "Unknown component".into())}</h2>
                <div class="inspector__actions">
                    <button class="icon-button" title="Move up (Alt+↑)" aria-label="Move up" on:click=move |_| move_by(state, &up_at, -1)><Icon name=IconName::Up /></button>
                    <button class="icon-button" title="Move down (Alt+↓)" aria-label="Move down" on:click=move |_| move_by(state, &down_at, 1)><Icon name=IconName::Down /></button>
                    <button class="icon-button" title="Duplicate (Ctrl+D)" aria-label="Duplicate" on:click=move |_| duplicate(state, &dup_at)><Icon name=IconName::Copy /></button>
                    <button class="icon-button" title="Delete (Del)" aria-label="Delete" data-testid="delete-component" on:click=move |_| remove(state, &del_at)><Icon name=IconName::Delete /></button>
                </div>
            </header>
            <label class="field">
                <span class="field__label">"Move to screen"</span>
                <select aria-label="Move to screen" on:change=move |event| {
                    if let Ok(target) = event_target_value(&event).parse::<usize>() {
                        move_to_screen(target);
                    }
                }>
                    <option value="">"Choose…"</option>
                    {move || {
                        let own = state.selection.with(|s| s.screen);
                        screens.get().into_iter().enumerate().filter(|(i, _)| *i != own)
                            .map(|(i, id)| view! { <option value=i.to_string()>{id}</option> }).collect_view()
                    }}
                </select>
            </label>
            <FieldMessages at=at.clone() />
            {move || match kind.get().as_deref().and_then(catalog::component) {
                Some(component) => {
                    let available = component.is_available(version.get());
                    view! {
                        {(!available).then(|| view! {
                            <p class="field__error">{format!("{} needs Flow JSON {} or later.", component.name, component.since)}</p>
                        })}
                        <p class="muted inspector__summary">{component.summary}</p>
                        <PropertyForm at=form_at.clone() properties=component.properties version=version inside_form=inside_form.get() />
                    }
                    .into_any()
                }
                None => view! {
                    <p class="muted">"Flowsmith does not know this component type; edit it as JSON."</p>
                    <JsonField at=form_at.clone() />
                }
                .into_any(),
            }}
        </div>
    }
    .into_any()
}
