use flow_model::compare::Comparison;
use leptos::prelude::*;

/// What changed between two versions of a flow (`flow_model::compare`), one line per screen
/// and component: `+` added, `−` removed, `~` changed.
#[component]
pub fn ComparisonList(
    /// The comparison to show.
    comparison: Comparison,
) -> impl IntoView {
    let lines = comparison.lines();
    let empty = lines.is_empty().then(|| view! { <li class="muted">"No differences."</li> });
    let lines = lines
        .into_iter()
        .map(|line| {
            view! {
                <li class="comparison__line" class:comparison__line--nested=line.nested data-change=line.change.as_str()>
                    {format!("{} {}", line.change.sign(), line.text)}
                </li>
            }
        })
        .collect_view();
    view! { <ul class="comparison" data-testid="comparison">{empty}{lines}</ul> }.into_any()
}
