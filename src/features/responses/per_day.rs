use leptos::prelude::*;

/// The count of responses of each day as a bar list: the busiest day's bar is full width.
#[component]
pub fn PerDay(
    /// (day `YYYY-MM-DD`, responses), oldest first.
    days: Vec<(String, i64)>,
) -> impl IntoView {
    let most = days.iter().map(|(_, count)| *count).max().unwrap_or(1).max(1);
    let rows = days
        .into_iter()
        .map(|(day, count)| {
            // At least a sliver, so a day with one response among thousands still shows.
            let width = format!("width: {}%", (count * 100 / most).max(1));
            let label = day.clone();
            view! {
                <li class="per-day__day" data-testid="responses-day" data-day=day>
                    <span class="per-day__label">{label}</span>
                    <span class="per-day__bar" aria-hidden="true"><span style=width></span></span>
                    <span class="per-day__count" data-testid="responses-day-count">{count}</span>
                </li>
            }
        })
        .collect_view();
    view! {
        <ol class="per-day" data-testid="responses-per-day" aria-label="Responses per day (UTC)">{rows}</ol>
    }
}
