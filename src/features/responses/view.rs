use leptos::prelude::*;

use super::PerDay;
use crate::api::responses::{FlowResponse, ResponsesPage};
use crate::features::workspace::short_time;

fn row(response: &FlowResponse, columns: &[String], sensitive: &[String]) -> impl IntoView + use<> {
    let cells = columns
        .iter()
        .map(|column| {
            let masked = sensitive.contains(column);
            view! { <td class:responses__masked=masked data-column=column.clone()>{response.field(column).to_owned()}</td> }
        })
        .collect_view();
    view! {
        <tr data-testid="responses-row" data-response-id=response.id.clone()>
            <td class="responses__time">{short_time(&response.received_at)}</td>
            <td class="responses__phone" data-testid="responses-phone">{response.phone.clone()}</td>
            {cells}
        </tr>
    }
}

/// What a page says about masking, for people.
fn masking_note(page: &ResponsesPage) -> String {
    let mut notes = Vec::new();
    if page.phone_masked {
        notes.push(
            "Phone numbers are masked for your role (publishers and admins see them whole).".to_owned(),
        );
    }
    if !page.sensitive_fields.is_empty() {
        notes
            .push(format!("Sensitive fields are masked for everyone: {}.", page.sensitive_fields.join(", ")));
    }
    notes.join(" ")
}

/// A loaded page of responses: counts per day, the table, and the pager (or the empty or
/// error state).
#[component]
pub fn ResponsesView(
    /// The page (`None` while it loads; `Err`: why it could not be).
    #[prop(into)]
    page: Signal<Option<Result<ResponsesPage, String>>>,
    /// Asks for another page (1-based).
    on_page: Callback<i64>,
    /// Whether a time filter is set (the empty state says so).
    #[prop(into, default = Signal::from(false))]
    filtered: Signal<bool>,
) -> impl IntoView {
    move || match page.get() {
        None => {
            view! { <p class="muted" data-testid="responses-loading">"Loading responses…"</p> }.into_any()
        }
        Some(Err(error)) => {
            view! { <p class="field__error" role="alert" data-testid="responses-error">{error}</p> }
                .into_any()
        }
        Some(Ok(found)) if found.total == 0 => {
            let hint = if filtered.get_untracked() {
                "No responses in these days: widen the time filter."
            } else {
                "No one has answered this flow yet. Send it to a phone; each completed flow shows here."
            };
            view! { <p class="muted" data-testid="responses-empty">{hint}</p> }.into_any()
        }
        Some(Ok(found)) => {
            let first = (found.page - 1) * found.limit + 1;
            let last = found.last_shown();
            let (page_number, total) = (found.page, found.total);
            let headers = found
                .columns
                .iter()
                .map(|column| view! { <th scope="col">{column.clone()}</th> })
                .collect_view();
            let rows = found
                .items
                .iter()
                .map(|response| row(response, &found.columns, &found.sensitive_fields))
                .collect_view();
            view! {
                <PerDay days=found.per_day.clone() />
                <p class="muted" data-testid="responses-masking">{masking_note(&found)}</p>
                <div class="responses__scroll" tabindex="0" role="region" aria-label="Responses">
                    <table class="library__table" data-testid="responses-table">
                        <thead><tr><th scope="col">"Received (UTC)"</th><th scope="col">"Phone"</th>{headers}</tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
                <div class="pager">
                    <button type="button" class="button button--small" data-testid="responses-previous"
                        disabled={page_number <= 1} on:click=move |_| on_page.run(page_number - 1)>"Previous"</button>
                    <span class="muted" data-testid="responses-range">{format!("{first}–{last} of {total}")}</span>
                    <button type="button" class="button button--small" data-testid="responses-next"
                        disabled={last >= total} on:click=move |_| on_page.run(page_number + 1)>"Next"</button>
                </div>
            }
            .into_any()
        }
    }
}
