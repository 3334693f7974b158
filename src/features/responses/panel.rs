use leptos::prelude::*;

use super::ResponsesView;
use crate::api::responses::ResponsesQuery;
use crate::api::{Browser, Client, Via};
use crate::tasks::Loaded;

fn client() -> Client<Browser> {
    Client::browser(Via::Server { origin: String::new() })
}

/// A flow's responses on the server: the time filter (whole UTC days), the CSV export of
/// every response in it, and the page shown ([`ResponsesView`]).
#[component]
pub fn ResponsesPanel(
    /// The workspace's flow id.
    id: String,
    /// The flow's name, for the heading.
    name: String,
    /// Closes the panel.
    on_close: Callback<()>,
) -> impl IntoView {
    let id = StoredValue::new(id);
    let query = RwSignal::new(ResponsesQuery::default());
    let page = Loaded::new(move || {
        let (id, wanted) = (id.get_value(), query.get());
        async move { client().ws_responses(&id, &wanted).await.map_err(|error| error.for_people()) }
    });
    let on_page = Callback::new(move |number: i64| query.update(|query| query.page = number.max(1)));
    let set_day = move |change: fn(&mut ResponsesQuery, String), value: String| {
        query.update(|query| {
            change(query, value);
            query.page = 1;
        });
    };
    let filtered = Signal::derive(move || query.with(|q| !q.from.is_empty() || !q.to.is_empty()));
    let csv = move || query.with(|q| q.csv_link(&id.get_value()));
    let close_on_escape = move |event: web_sys::KeyboardEvent| {
        if event.key() == "Escape" {
            event.stop_propagation();
            on_close.run(());
        }
    };
    view! {
        <section class="responses" data-testid="responses-panel" aria-label=format!("Responses to {name}") on:keydown=close_on_escape>
            <header class="history__header">
                <h2>{format!("Responses to {name}")}</h2>
                <button type="button" class="icon-button" aria-label="Close the responses" data-testid="responses-close"
                    on:click=move |_| on_close.run(())>"×"</button>
            </header>
            <div class="library__filters">
                <label class="field">"From (UTC)"
                    <input type="date" data-testid="responses-from" prop:value=move || query.with(|q| q.from.clone())
                        on:change=move |e| set_day(|q, v| q.from = v, event_target_value(&e)) />
                </label>
                <label class="field">"To (UTC)"
                    <input type="date" data-testid="responses-to" prop:value=move || query.with(|q| q.to.clone())
                        on:change=move |e| set_day(|q, v| q.to = v, event_target_value(&e)) />
                </label>
                <button type="button" class="button button--small" data-testid="responses-refresh" on:click=move |_| page.reload()>"Refresh"</button>
                <a class="button button--small" data-testid="responses-csv" href=csv download="">"Export CSV"</a>
            </div>
            <ResponsesView page=Signal::derive(move || page.get()) on_page=on_page filtered=filtered />
        </section>
    }
    .into_any()
}
