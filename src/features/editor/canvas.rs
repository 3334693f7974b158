use std::sync::Arc;

use flow_model::json::pointer;
use flow_model::model::{Component, Flow, Screen};
use leptos::prelude::*;
use serde_json::Value;

use super::component_card::{ComponentList, remove};
use super::palette::insertion_point;
use crate::features::problems::ProblemIndex;
use crate::state::{EditorState, Selection, use_editor};

/// Components in clipboard text: one component object, or a list of them.
pub fn components_from_text(text: &str) -> Option<Vec<Value>> {
    let value = flow_model::json::read(text.trim()).ok()?;
    let is_component = |v: &Value| Component::from_value(v).is_some_and(|c| c.type_name().is_some());
    match value {
        Value::Array(items) if !items.is_empty() && items.iter().all(is_component) => Some(items),
        single if is_component(&single) => Some(vec![single]),
        _ => None,
    }
}

/// Pastes components after the selection (or at the end of the screen).
fn paste(state: EditorState, text: &str) -> bool {
    let Some(components) = components_from_text(text) else { return false };
    let selection = state.selection.get_untracked();
    let version = state.document.with_untracked(|d| {
        d.version().and_then(flow_model::Version::parse).unwrap_or(flow_model::Version::LATEST)
    });
    let kind = components.first().and_then(Component::from_value).and_then(|c| c.type_name());
    let kind = kind.unwrap_or_default().to_owned();
    let target = state.document.with_untracked(|d| insertion_point(d.root(), &selection, &kind, version));
    let Some((list, mut index)) = target else {
        state.notify_error(format!("A {kind} cannot go here."));
        return true;
    };
    let mut last = None;
    for component in components {
        if state.edit(|d| d.insert_component(&list, index, component)) {
            last = Some(pointer::join(&list, index));
            index += 1;
        }
    }
    if last.is_some() {
        state.selection.set(Selection { screen: selection.screen, component: last, field: None });
    }
    true
}

/// The problem index, shared with every card of the canvas through context.
#[derive(Clone, Copy)]
pub struct Problems(pub Signal<Arc<ProblemIndex>>);

/// The selected screen as a column of component cards, Form, If and Switch as nested
/// containers. Copy, cut and paste move components as JSON through the clipboard.
#[component]
pub fn Canvas(
    /// The problem index, for badges on cards.
    #[prop(into)]
    index: Signal<Arc<ProblemIndex>>,
) -> impl IntoView {
    let state = use_editor();
    provide_context(Problems(index));
    let screen = Memo::new(move |_| {
        let selected = state.selection.with(|selection| selection.screen);
        state.document.with(|document| {
            let screen = Flow::from_value(document.root())?.screen_at(selected)?;
            let text = |text: Option<&str>| text.unwrap_or_default().to_owned();
            Some((selected, text(screen.id()), text(screen.title_text()), screen.is_terminal()))
        })
    });
    view! {
        <section
            class="canvas"
            data-testid="canvas"
            aria-label="Screen"
            on:copy=move |event: web_sys::ClipboardEvent| clipboard(state, &event, false)
            on:cut=move |event: web_sys::ClipboardEvent| clipboard(state, &event, true)
            on:paste=move |event: web_sys::ClipboardEvent| {
                let text = event.clipboard_data().and_then(|data| data.get_data("text/plain").ok()).unwrap_or_default();
                if paste(state, &text) {
                    event.prevent_default();
                }
            }
        >
            {move || match screen.get() {
                None => view! { <p class="canvas__empty">"This flow has no screens yet. Add one on the left."</p> }.into_any(),
                Some((index, id, title, terminal)) => {
                    let list = Screen::children_pointer(&Screen::pointer_of(index));
                    view! {
                        <header class="canvas__header">
                            <h2 data-testid="canvas-title">{if title.is_empty() { "(no title)".to_owned() } else { title }}</h2>
                            <code>{id}</code>
                            {terminal.then(|| view! { <span class="badge">"terminal"</span> })}
                        </header>
                        <ComponentList list=list />
                    }
                    .into_any()
                }
            }}
        </section>
    }
    .into_any()
}

/// Copies (or cuts) the selected component as JSON, so it pastes into other flows and tabs.
fn clipboard(state: EditorState, event: &web_sys::ClipboardEvent, cut: bool) {
    let Some(at) = state.selection.get_untracked().component else { return };
    let Some(json) =
        state.document.with_untracked(|d| d.get(&at).and_then(|c| serde_json::to_string_pretty(c).ok()))
    else {
        return;
    };
    if let Some(data) = event.clipboard_data()
        && data.set_data("text/plain", &json).is_ok()
    {
        event.prevent_default();
        if cut {
            remove(state, &at);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clipboard_text_gives_components_or_nothing() {
        assert_eq!(components_from_text(r#"{"type": "TextBody", "text": "x"}"#).map(|c| c.len()), Some(1));
        assert_eq!(components_from_text(r#"[{"type": "A"}, {"type": "B"}]"#).map(|c| c.len()), Some(2));
        assert_eq!(components_from_text(r#"[{"type": "A"}, 3]"#), None);
        assert_eq!(components_from_text("hello"), None);
        assert_eq!(components_from_text("[]"), None);
    }
}
