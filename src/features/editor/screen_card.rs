use flow_model::ScreenSummary;
use leptos::prelude::*;

/// One screen: its title, its id and the types of its components.
#[component]
pub fn ScreenCard(screen: ScreenSummary) -> impl IntoView {
    let ScreenSummary { id, title, component_types } = screen;
    let screen_id = id.clone();
    view! {
        <article class="screen-card" data-testid="screen-card" data-screen-id=screen_id>
            <h2 class="screen-card__title" data-testid="screen-title">{title}</h2>
            <code class="screen-card__id">{id}</code>
            <ul class="screen-card__components">
                {component_types
                    .into_iter()
                    .map(|kind| view! { <li data-testid="component-type">{kind}</li> })
                    .collect_view()}
            </ul>
        </article>
    }
}
