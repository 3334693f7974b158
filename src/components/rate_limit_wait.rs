//! A wait for Meta's rate limit, shown as progress and never as a failure: while a sync or a
//! migration waits before trying a call again, the server tells every page (a `waiting_s` and
//! a `message` in the notice of its events), and the page shows the words beside its progress.
use leptos::prelude::*;
use serde_json::Value;

/// A wait the server told of.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RateLimitWait {
    /// How long the call waits.
    pub seconds: u64,
    /// The words for people ("waiting 12 s for Meta's rate limit").
    pub message: String,
}

impl RateLimitWait {
    /// The wait an event's data tells of; `None` for progress that is not a wait.
    pub fn of_notice(data: &Value) -> Option<RateLimitWait> {
        let seconds = data.get("waiting_s")?.as_u64()?;
        let message = data
            .get("message")
            .and_then(Value::as_str)
            .filter(|message| !message.is_empty())
            .map_or_else(|| format!("waiting {seconds} s for Meta's rate limit"), str::to_owned);
        Some(RateLimitWait { seconds, message })
    }
}

/// The current wait, if any, as a status line with an indeterminate progress bar.
#[component]
pub fn RateLimitNotice(
    /// The wait to show; nothing shows without one.
    #[prop(into)]
    wait: Signal<Option<RateLimitWait>>,
    /// The `data-testid` of the line.
    testid: &'static str,
) -> impl IntoView {
    move || {
        wait.get().map(|wait| {
            view! {
                <p class="rate-limit-wait muted" role="status" data-testid=testid data-seconds=wait.seconds>
                    <progress></progress>
                    " "
                    {wait.message}
                </p>
            }
        })
    }
}
