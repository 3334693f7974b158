use flow_model::ScreenSummary;
use leptos::prelude::*;

use super::ScreenCard;

/// Every screen of the flow as a card, in document order.
#[component]
pub fn ScreenList(#[prop(into)] screens: Signal<Vec<ScreenSummary>>) -> impl IntoView {
    view! {
        <section class="screen-list" data-testid="screen-list" aria-label="Screens">
            <For
                each=move || screens.get()
                key=|screen| screen.id.clone()
                children=|screen| view! { <ScreenCard screen /> }
            />
        </section>
    }
}
