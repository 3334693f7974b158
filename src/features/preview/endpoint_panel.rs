//! The designer's own endpoint beside the phone: the **Health check** (the server's report,
//! each check with its outcome and latency against Meta's limits) and the log of every
//! exchange, decrypted and masked (`endpoint_log.rs`), each with Replay.
use leptos::prelude::*;

use crate::api::Client;
use crate::api::endpoint::{EndpointTarget, HealthReport, same_origin};

use super::bridge;
use super::endpoint_log::{self, LogEntry};
use super::session::Session;

/// The health check's button and its report.
#[component]
pub fn HealthCheck(
    /// The endpoint checked (`None`: not set).
    #[prop(into)]
    target: Signal<Option<EndpointTarget>>,
) -> impl IntoView {
    let check = Action::new_local(|target: &EndpointTarget| {
        let target = target.clone();
        async move { Client::new(bridge::Fetch, same_origin()).endpoint_health(&target).await }
    });
    let run = move |_| {
        if let Some(target) = target.get_untracked() {
            check.dispatch(target);
        }
    };
    let report = move || {
        check.value().get().map(|result| match result {
            Ok(report) => report_view(&report),
            Err(error) => view! { <p class="endpoint-health__error" data-testid="endpoint-health-error">{error.for_people()}</p> }.into_any(),
        })
    };
    view! {
        <div class="endpoint-health">
            <button
                type="button"
                class="preview-controls__button"
                data-testid="endpoint-health-check"
                disabled=move || target.with(Option::is_none) || check.pending().get()
                on:click=run
            >
                {move || if check.pending().get() { "Checking…" } else { "Health check" }}
            </button>
            {report}
        </div>
    }
    .into_any()
}

fn report_view(report: &HealthReport) -> AnyView {
    let verdict = if report.healthy { "Healthy" } else { "Not healthy" };
    let checks = report
        .checks
        .iter()
        .map(|check| {
            let latency = check
                .latency_ms
                .map(|ms| format!(" ({} ms)", flow_model::number::fixed(ms, 0)))
                .unwrap_or_default();
            view! {
                <li class=format!("endpoint-health__check endpoint-health__check--{}", check.outcome) data-testid="endpoint-health-item" data-check=check.name.clone() data-outcome=check.outcome.clone()>
                    <strong>{format!("{} {}", check.outcome, check.name)}</strong>
                    {format!("{latency}: {}", check.detail)}
                </li>
            }
        })
        .collect::<Vec<_>>();
    view! {
        <div class="endpoint-health__report" data-testid="endpoint-health-report" data-healthy=report.healthy.to_string()>
            <p>{verdict}</p>
            <ul>{checks}</ul>
        </div>
    }
    .into_any()
}

/// The log of the exchanges with the designer's endpoint, newest first.
#[component]
pub fn EndpointLog(
    /// The running flow (its log, and Replay).
    session: Session,
) -> impl IntoView {
    let entries = move || session.log.with(|log| log.iter().rev().cloned().collect::<Vec<_>>());
    view! {
        <section class="endpoint-log" data-testid="endpoint-log" aria-label="Your endpoint's exchanges">
            <h2 class="endpoint-log__title">"Your endpoint, decrypted"</h2>
            <Show when=move || session.log.with(Vec::is_empty)>
                <p class="endpoint-log__empty">"No exchange yet: the flow's INIT and each data_exchange show here."</p>
            </Show>
            <For each=entries key=|entry| entry.id let(entry)>
                <Entry session=session entry=entry />
            </For>
        </section>
    }
    .into_any()
}

#[component]
fn Entry(session: Session, entry: LogEntry) -> impl IntoView {
    let class = if entry.failed() {
        "endpoint-log__entry endpoint-log__entry--failed"
    } else {
        "endpoint-log__entry"
    };
    let problems = entry
        .problems
        .iter()
        .map(|problem| {
            view! {
                <li data-testid="endpoint-log-problem" data-severity=problem.severity.clone()>
                    {format!("{}: {}", endpoint_log::problem_place(problem), problem.message)}
                </li>
            }
        })
        .collect::<Vec<_>>();
    let answer = entry.answer.as_ref().map(|answer| {
        view! { <pre class="endpoint-log__json" data-testid="endpoint-log-answer">{endpoint_log::pretty(answer)}</pre> }
    });
    let failure = entry.failure.clone().map(|failure| {
        view! { <p class="endpoint-log__failure" data-testid="endpoint-log-failure">{failure}</p> }
    });
    let replayed = entry.clone();
    view! {
        <details class=class data-testid="endpoint-log-entry" data-action=entry.call.action.clone() open=true>
            <summary>
                <span class="endpoint-log__what" data-testid="endpoint-log-title">{entry.title()}</span>
                <span class="endpoint-log__status" data-testid="endpoint-log-status">{entry.status_text()}</span>
            </summary>
            <button
                    type="button"
                    class="preview-controls__button"
                    data-testid="endpoint-log-replay"
                    title="Send the same request again"
                    on:click=move |_| session.replay(&replayed)
                >
                    "Replay"
                </button>
            <pre class="endpoint-log__json" data-testid="endpoint-log-request">{endpoint_log::pretty(&entry.request)}</pre>
            {answer}
            {failure}
            <ul class="endpoint-log__problems">{problems}</ul>
        </details>
    }
    .into_any()
}
