use flow_model::templates;
use leptos::prelude::*;

use crate::features::editor::ScreenList;

/// The root component: for now, the bundled appointment-booking sample as a list of screens.
#[component]
pub fn App() -> impl IntoView {
    let parsed = flow_model::parse(templates::APPOINTMENT_BOOKING);
    let screens = parsed.document.map(|document| document.screens()).unwrap_or_default();
    view! {
        <header class="app-header">
            <h1>"Flowsmith"</h1>
            <span class="app-tagline">"Visual builder for WhatsApp Flows"</span>
        </header>
        <main class="app-main">
            <ScreenList screens=Signal::stored(screens) />
        </main>
    }
}
