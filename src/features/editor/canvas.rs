use std::sync::Arc;

use flow_model::json::pointer;
use leptos::prelude::*;
use serde_json::Value;

use super::component_card::ComponentList;
use crate::features::problems::ProblemIndex;
use crate::state::use_editor;

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
            let screen = document.root().get("screens").and_then(|screens| screens.get(selected))?;
            let text = |key: &str| screen.get(key).and_then(Value::as_str).unwrap_or_default().to_owned();
            Some((
                selected,
                text("id"),
                text("title"),
                screen.get("terminal").and_then(Value::as_bool) == Some(true),
            ))
        })
    });
    view! {
        <section class="canvas" data-testid="canvas" aria-label="Screen">
            {move || match screen.get() {
                None => view! { <p class="canvas__empty">"This flow has no screens yet. Add one on the left."</p> }.into_any(),
                Some((index, id, title, terminal)) => {
                    let list = format!("{}/layout/children", pointer::join("/screens", index));
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
}
