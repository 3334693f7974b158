//! The phone: WhatsApp's flow sheet (header with close or back, the screen's title, the
//! components, the Footer pinned at the bottom), the snackbar, the end of the flow, and the
//! controls above it (screen, restart, theme).
use std::sync::Arc;

use flow_model::model::{Screen, key};
use leptos::prelude::*;
use serde_json::Value;

use super::render::{Ctx, list, problem};
use super::runtime::{self, Shown};
use super::session::{Ending, Session};

/// The phone showing the session's current screen.
#[component]
pub fn Phone(
    /// The running flow.
    session: Session,
    /// `light`, `dark`, or the system's (`None`).
    #[prop(into)]
    theme: Signal<Option<String>>,
) -> impl IntoView {
    let screen = move || {
        let visit = session.current()?;
        let flow = session.flow.get();
        let id = visit.screen.get_value();
        let screen = runtime::screen(&flow, &id)?;
        let children = screen.layout_children().map(|_| Screen::children_pointer(&screen.pointer()));
        Some((visit, Arc::new(screen.object().clone()), children, id))
    };
    let body = move || {
        let Some((visit, object, children_pointer, id)) = screen() else {
            return view! { <p class="wa-empty" data-testid="preview-empty">"This flow has no screens to show."</p> }.into_any();
        };
        let ctx = Ctx { session, visit };
        let title_object = Arc::clone(&object);
        let title = move || ctx.text(&title_object, key::TITLE);
        let children = match (Screen::new(0, &object).layout_children(), children_pointer) {
            (Some(children), Some(pointer)) => list(ctx, children, &pointer),
            _ => vec![problem("This screen has no layout.children to show.".to_owned())],
        };
        let first = session.visits.with(Vec::len) <= 1;
        view! {
            <header class="wa-header">
                <button
                    type="button"
                    class="wa-header__button"
                    data-testid="preview-back"
                    aria-label=if first { "Close" } else { "Back" }
                    on:click=move |_| session.back()
                >
                    {if first { "✕" } else { "←" }}
                </button>
                <h1 class="wa-header__title" data-testid="preview-title">{title}</h1>
                <span class="wa-header__menu" aria-hidden="true">"⋮"</span>
            </header>
            <main class="wa-screen" data-testid="preview-screen" data-screen-id=id>
                {children}
                <p class="wa-managed">"Managed by the business. "<span class="wa-link">"Learn more"</span></p>
            </main>
        }
        .into_any()
    };
    view! {
        <div
            class="wa-phone"
            data-testid="preview-phone"
            data-theme=move || theme.get().unwrap_or_default()
        >
            <div class="wa-status" aria-hidden="true"><span>"9:41"</span><span>"▴ ▮"</span></div>
            <div class="wa-sheet">{body}</div>
            {move || session.snackbar.get().map(|text| view! {
                <div class="wa-snackbar" role="status" data-testid="preview-snackbar">
                    <span>{text}</span>
                    <button type="button" class="wa-snackbar__close" aria-label="Dismiss" on:click=move |_| session.snackbar.set(None)>"✕"</button>
                </div>
            })}
            {move || session.ending.get().map(|ending| ending_view(session, ending))}
        </div>
    }
    .into_any()
}

fn ending_view(session: Session, ending: Ending) -> AnyView {
    let restart = move |_| session.start(None);
    match ending {
        Ending::Completed(response) => {
            let json = serde_json::to_string_pretty(&Value::Object(response)).unwrap_or_default();
            view! {
                <div class="wa-ending" data-testid="preview-complete">
                    <p class="wa-ending__title">"✓ Flow completed"</p>
                    <p class="wa-caption">"The business receives this response_json:"</p>
                    <pre class="wa-response" data-testid="preview-response">{json}</pre>
                    {summary_view(session)}
                    <button type="button" class="wa-footer__button" data-testid="preview-restart-flow" on:click=restart>"Start again"</button>
                </div>
            }
            .into_any()
        }
        Ending::Closed => view! {
            <div class="wa-ending" data-testid="preview-closed">
                <p class="wa-ending__title">"Flow closed"</p>
                <p class="wa-caption">"Nothing is sent to the business."</p>
                <button type="button" class="wa-footer__button" on:click=restart>"Start again"</button>
            </div>
        }
        .into_any(),
    }
}

/// The summary the person sees in the chat after completing: each screen's answers, with the
/// screen's `sensitive` fields masked or left out as WhatsApp does.
fn summary_view(session: Session) -> AnyView {
    let screens = session.summary();
    if screens.is_empty() {
        return ().into_any();
    }
    let rows = screens
        .into_iter()
        .map(|(title, answers)| {
            let answers = answers
                .into_iter()
                .filter_map(|answer| {
                    let (value, masked) = match answer.shown {
                        Shown::Text(text) => (text, false),
                        Shown::Masked => ("••••".to_owned(), true),
                        Shown::Hidden => return None,
                    };
                    Some(view! {
                        <dt>{answer.label}</dt>
                        <dd class:wa-summary__masked=masked>{value}</dd>
                    })
                })
                .collect::<Vec<_>>();
            view! { <h3 class="wa-summary__screen">{title}</h3><dl>{answers}</dl> }
        })
        .collect::<Vec<_>>();
    view! {
        <section class="wa-summary" data-testid="preview-summary" aria-label="Summary in the chat">
            <p class="wa-caption">"The person sees this summary in the chat (sensitive fields masked):"</p>
            {rows}
        </section>
    }
    .into_any()
}

/// Above the phone: jump to a screen, start again, light or dark.
#[component]
pub fn Controls(
    /// The running flow.
    session: Session,
    /// The theme shown.
    theme: RwSignal<Option<String>>,
) -> impl IntoView {
    let ids = Memo::new(move |_| session.flow.with(|flow| runtime::screen_ids(flow)));
    let current = move || session.current().map(|visit| visit.screen.get_value()).unwrap_or_default();
    view! {
        <div class="preview-controls">
            <select
                class="preview-controls__screen"
                data-testid="preview-screen-select"
                aria-label="Screen"
                prop:value=current
                on:change=move |event| session.show_screen(&event_target_value(&event))
            >
                {move || ids.get().into_iter().map(|id| {
                    let shown = id.clone();
                    view! { <option value=id>{shown}</option> }
                }).collect::<Vec<_>>()}
            </select>
            <button type="button" class="preview-controls__button" data-testid="preview-restart" on:click=move |_| session.start(None)>"Restart"</button>
            <button
                type="button"
                class="preview-controls__button"
                data-testid="preview-theme"
                aria-label="Light or dark"
                on:click=move |_| theme.update(|theme| {
                    *theme = Some(if theme.as_deref() == Some("dark") { "light" } else { "dark" }.to_owned());
                })
            >
                {move || if theme.get().as_deref() == Some("dark") { "☀" } else { "☾" }}
            </button>
        </div>
    }
    .into_any()
}
