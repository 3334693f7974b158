use std::sync::Arc;

use leptos::prelude::*;

use crate::features::problems::ProblemIndex;
use crate::state::use_editor;

/// The selected component's properties.
#[component]
pub fn Inspector(
    /// The problem index, for messages under fields.
    #[prop(into)]
    index: Signal<Arc<ProblemIndex>>,
) -> impl IntoView {
    let state = use_editor();
    let _ = index;
    view! {
        <section class="inspector" data-testid="inspector" aria-label="Inspector">
            {move || match state.selection.get().component {
                None => view! { <p class="muted">"Select a component to edit it."</p> }.into_any(),
                Some(pointer) => view! { <code>{pointer}</code> }.into_any(),
            }}
        </section>
    }
}
