//! The inspector: the selected component's properties as a form generated from the catalog
//! (the right input per kind, counters for limits, binding suggestions, list and action
//! editors), or the selected screen's properties and data model.
mod action;
mod bindings;
mod data_model;
mod field;
mod image;
mod items;
mod panel;
mod screen;
mod values;

use std::sync::Arc;

use leptos::prelude::*;

pub use action::navigate_payload;
pub use bindings::suggestions;
pub use panel::Inspector;

use crate::features::problems::ProblemIndex;

/// What the inspector's fields share.
#[derive(Clone, Copy)]
pub struct InspectorContext {
    /// The problem index.
    pub index: Signal<Arc<ProblemIndex>>,
    /// The bindings offered to the selected screen's fields (`${data.…}`, `${form.…}`,
    /// `${screen.…}`), refreshed when a field gains or loses focus and when the selection
    /// changes, not on every change of the document (they come from every screen).
    pub offered: Signal<Vec<String>>,
}

/// The problems about one property (or component, or screen), under its field.
#[component]
pub fn FieldMessages(at: String) -> impl IntoView {
    let InspectorContext { index, .. } = expect_context::<InspectorContext>();
    let remote_at = at.clone();
    let messages = Memo::new(move |_| index.with(|index| index.for_property(&at)));
    let remote = Memo::new(move |_| index.with(|index| index.remote_for_property(&remote_at)));
    view! {
        <ul class="field__messages">
            {move || {
                messages
                    .get()
                    .into_iter()
                    .map(|diagnostic| view! {
                        <li class="field__message" class:field__message--error=diagnostic.is_error() data-testid="field-message" data-code=diagnostic.code().as_str()>
                            {diagnostic.message()}
                        </li>
                    })
                    .collect_view()
            }}
            {move || {
                remote
                    .get()
                    .into_iter()
                    .map(|problem| view! {
                        <li class="field__message field__message--error field__message--remote" data-testid="field-message" data-source="whatsapp" data-code=problem.code>
                            "WhatsApp: " {problem.message}
                        </li>
                    })
                    .collect_view()
            }}
        </ul>
    }
    .into_any()
}
