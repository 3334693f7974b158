use leptos::prelude::*;

use super::clone_dialog::CloneDialog;
use super::confirm::ConfirmDialog;
use super::flow_row::{FlowRow, RowAction};
use super::migrate_dialog::MigrateDialog;
use super::ops::Lifecycle;
use super::{CloneSource, Job, LifecycleRequest, use_actions, use_library};
use crate::api::FlowInfo;
use crate::components::Dialog;
use crate::tasks::Loaded;
use crate::text::lower_case;

/// The list in the chosen order. An insertion sort on one string key: lists are short, and
/// one small loop costs the bundle less than a sort instantiated per order.
fn sorted(flows: Vec<FlowInfo>, by: &str) -> Vec<FlowInfo> {
    let key = |flow: &FlowInfo| match by {
        "status" => format!("{}\u{0}{}", flow.status, lower_case(&flow.name)),
        "errors" => {
            format!("{:010}", u32::MAX as usize - flow.validation_errors.len().min(u32::MAX as usize))
        }
        "version" => format!("{:>10}", flow.json_version.clone().unwrap_or_default()),
        _ => lower_case(&flow.name),
    };
    let mut keyed: Vec<(String, FlowInfo)> = flows.into_iter().map(|flow| (key(&flow), flow)).collect();
    for end in 1..keyed.len() {
        let mut at = end;
        while at > 0 && keyed[at - 1].0 > keyed[at].0 {
            keyed.swap(at - 1, at);
            at -= 1;
        }
    }
    if by == "version" {
        keyed.reverse();
    }
    keyed.into_iter().map(|(_, flow)| flow).collect()
}

/// Every flow of the account: search, status filter, sort; open, clone, deprecate, delete;
/// migrate flows from another account. Without an account it offers the connection dialog
/// (`connection`); without flows it says how to make one.
#[component]
pub fn LibraryDialog(open: RwSignal<bool>, connection: RwSignal<bool>) -> impl IntoView {
    let library = use_library();
    let actions = use_actions();
    let close = Callback::new(move |()| open.set(false));
    let flows = Loaded::new(move || {
        library.changes.track();
        let (shown, account, client) =
            (open.get(), library.settings.with(|_| library.account()), library.client());
        async move {
            if !shown {
                return None;
            }
            Some(client.list_flows(&account).await.map_err(|error| error.for_people()))
        }
    });
    let search = RwSignal::new(String::new());
    let status = RwSignal::new(String::new());
    let order = RwSignal::new("name".to_owned());
    let migrate = RwSignal::new(false);
    let clone = RwSignal::new(None::<CloneSource>);
    let confirm = RwSignal::new(None::<LifecycleRequest>);
    let shown = Memo::new(move |_| {
        let mut list = flows.get().flatten().and_then(Result::ok).unwrap_or_default();
        let needle = search.with(|s| lower_case(s.trim()));
        list.retain(|flow| {
            (needle.is_empty() || lower_case(&flow.name).contains(&needle) || flow.id.contains(&needle))
                && status.with(|s| s.is_empty() || *s == flow.status)
        });
        sorted(list, &order.get())
    });
    let on_action = Callback::new(move |(action, flow): (RowAction, FlowInfo)| {
        let account = library.account();
        match action {
            RowAction::Open => {
                if !actions.busy() {
                    actions.run(Job::Open(account, flow.id));
                    open.set(false);
                }
            }
            RowAction::Clone => clone.set(Some((account, flow, false))),
            RowAction::Deprecate => confirm.set(Some((account, flow.id, flow.name, Lifecycle::Deprecate))),
            RowAction::Delete => confirm.set(Some((account, flow.id, flow.name, Lifecycle::Delete))),
        }
    });
    let busy = Signal::derive(move || actions.busy());
    view! {
        <Dialog open=open on_close=close title="Flows on WhatsApp" testid="library-dialog">
            <p class="muted">"Account " <strong>{move || library.settings.with(|s| s.waba_id.clone())}</strong> " of partner " {move || library.settings.with(|s| s.partner_id.clone())}</p>
            <div class="library__filters">
                <input type="search" placeholder="Search by name or id" aria-label="Search flows" data-testid="library-search"
                    prop:value=move || search.get() on:input=move |e| search.set(event_target_value(&e)) />
                <select aria-label="Status" data-testid="library-status" on:change=move |e| status.set(event_target_value(&e))>
                    <option value="">"Any status"</option>
                    {["DRAFT", "PUBLISHED", "THROTTLED", "BLOCKED", "DEPRECATED"].map(|s| view! { <option value=s>{super::link::status_label(s)}</option> }).collect_view()}
                </select>
                <select aria-label="Sort" data-testid="library-sort" on:change=move |e| order.set(event_target_value(&e))>
                    <option value="name">"By name"</option>
                    <option value="status">"By status"</option>
                    <option value="errors">"Most errors first"</option>
                    <option value="version">"Newest Flow JSON first"</option>
                </select>
                <button class="button" data-testid="library-refresh" on:click=move |_| flows.reload()>"Refresh"</button>
                <button class="button" data-testid="open-migrate" on:click=move |_| migrate.set(true)>"Migrate…"</button>
            </div>
            <p class="field__error" role="alert" data-testid="library-error">{move || flows.get().flatten().and_then(Result::err)}</p>
            // The error says to choose an account in Connection: the way there.
            <Show when=move || library.settings.with(|s| s.waba_id.is_empty())>
                <button class="button" data-testid="library-connection" on:click=move |_| connection.set(true)>"Open Connection…"</button>
            </Show>
            <Show when=move || flows.get().flatten().is_none()>
                <p class="muted" data-testid="library-loading">"Loading flows…"</p>
            </Show>
            <Show when=move || flows.get().flatten().is_some_and(|r| r.is_ok()) && shown.with(Vec::is_empty)>
                <p class="muted" data-testid="library-empty">
                    {move || if search.with(String::is_empty) && status.with(String::is_empty) {
                        "No flows on this account yet: Save to WhatsApp makes one from the open draft."
                    } else {
                        "No flows match."
                    }}
                </p>
            </Show>
            <table class="library__table" data-testid="library-table">
                <thead><tr><th>"Name"</th><th>"Status"</th><th>"Categories"</th><th>"Errors"</th><th>"Flow JSON"</th><th></th></tr></thead>
                <tbody>
                    <For each=move || shown.get() key=|flow| (flow.id.clone(), flow.status.clone(), flow.validation_errors.len(), flow.name.clone())
                        children=move |flow| view! { <FlowRow flow=flow busy=busy on_action=on_action /> } />
                </tbody>
            </table>
            <CloneDialog source=clone />
            <ConfirmDialog request=confirm />
            <MigrateDialog open=migrate />
        </Dialog>
    }
    .into_any()
}
