use leptos::prelude::*;

use super::{Failure, LibraryError, use_library};
use crate::components::{Dialog, RateLimitNotice, RateLimitWait};
use crate::tasks::{Loaded, Task};

/// One flow's outcome: its name, and the new id or why it was not copied.
type Outcome = (String, Result<String, LibraryError>);

/// Copies flows of another account of the partner into this one: pick the source and some
/// or all of its flows; one call per flow, so progress is real and one failure does not stop
/// the others; a table of outcomes; the failed ones can be retried.
#[component]
pub fn MigrateDialog(open: RwSignal<bool>) -> impl IntoView {
    let library = use_library();
    let close = Callback::new(move |()| open.set(false));
    let source = RwSignal::new(String::new());
    let chosen = RwSignal::new(Vec::<String>::new());
    let progress = RwSignal::new((0usize, 0usize));
    let outcomes = RwSignal::new(Vec::<Outcome>::new());
    let waiting = RwSignal::new(None::<RateLimitWait>);
    // A call waiting for Meta's rate limit is progress: the server tells of the wait in its
    // events (when it keeps a workspace; not in direct mode), shown until the call ends.
    Effect::new(move |source: Option<Option<web_sys::EventSource>>| {
        if let Some(Some(old)) = source {
            old.close();
        }
        (open.get() && library.through_workspace())
            .then(|| crate::features::workspace::listen_waits("migrate.progress", waiting))
            .flatten()
    });
    let accounts = Loaded::new(move || {
        let (shown, partner, client) =
            (open.get(), library.settings.with(|s| s.partner_id.clone()), library.client());
        async move {
            if shown {
                client.waba_accounts(&partner).await.map_err(|e| e.for_people())
            } else {
                Ok(Vec::new())
            }
        }
    });
    let source_flows = Loaded::new(move || {
        let (from, client) = (source.get(), library.client());
        let account = crate::api::Account { waba_id: from.clone(), ..library.account() };
        async move {
            if from.is_empty() {
                Ok(Vec::new())
            } else {
                client.list_flows(&account).await.map_err(|e| e.for_people())
            }
        }
    });
    let run = Task::new(move |(from, names): (String, Vec<String>)| {
        let (client, account) = (library.client(), library.account());
        async move {
            progress.set((0, names.len()));
            for (done, name) in names.iter().enumerate() {
                let outcome = match client.migrate(&account, &from, Some(std::slice::from_ref(name))).await {
                    Ok(result) => match (result.migrated_flows.first(), result.failed_flows.first()) {
                        (Some(copied), _) => Ok(copied.migrated_id.clone()),
                        (None, Some(failed)) => Err(Failure::MigrationRefused {
                            message: failed.error_message.clone(),
                            code: failed.error_code.clone(),
                        }
                        .into()),
                        (None, None) => Err(Failure::MigrationUnreported.into()),
                    },
                    Err(error) => Err(LibraryError::from(error)),
                };
                waiting.set(None);
                outcomes.update(|all| {
                    all.retain(|(known, _)| known != name);
                    all.push((name.clone(), outcome));
                });
                progress.set((done + 1, names.len()));
            }
            library.changes.update(|changes| *changes += 1);
        }
    });
    let start = move |names: Vec<String>| {
        if !names.is_empty() {
            run.start((source.get_untracked(), names));
        }
    };
    let here = move || library.settings.with(|s| s.waba_id.clone());
    view! {
        <Dialog open=open on_close=close title="Migrate flows from another account" testid="migrate-dialog">
            <p class="muted">"Copies flows of another WhatsApp Business Account of the partner into " <strong>{here}</strong> ". Names must not exist here yet."</p>
            <label class="field">
                <span class="field__label">"Source account"</span>
                <select data-testid="migrate-source" disabled=move || run.pending()
                    on:change=move |e| { source.set(event_target_value(&e)); chosen.set(Vec::new()); outcomes.set(Vec::new()); }>
                    <option value="">"Choose…"</option>
                    {move || accounts.get().and_then(Result::ok).unwrap_or_default().into_iter().filter(|a| a.id != here())
                        .map(|a| view! { <option value=a.id.clone()>{format!("{} ({})", a.name, a.id)}</option> }).collect_view()}
                </select>
            </label>
            <RateLimitNotice wait=waiting testid="migrate-waiting" />
            // One closure renders the rest (few, small parts; no text inputs to keep focus in).
            {move || {
                let pending = run.pending();
                let (done, total) = progress.get();
                let picked = chosen.get();
                let error = accounts.get().and_then(Result::err).or_else(|| source_flows.get().and_then(Result::err));
                let flows = source_flows.get().and_then(Result::ok).unwrap_or_default();
                let all: Vec<String> = flows.iter().map(|flow| flow.name.clone()).collect();
                let results = outcomes.get();
                let retry: Vec<String> = results.iter().filter(|(_, r)| r.is_err()).map(|(n, _)| n.clone()).collect();
                let run_label = if pending { format!("Migrating… {done} of {total}") } else { format!("Migrate {} flow(s)", picked.len()) };
                let (none_picked, no_retry, no_source) = (picked.is_empty(), retry.is_empty(), flows.is_empty());
                view! {
                    <p class="field__error" role="alert">{error}</p>
                    <ul class="migrate__flows" data-testid="migrate-flows">
                        {flows.into_iter().map(|flow| {
                            let on = picked.contains(&flow.name);
                            let name = flow.name.clone();
                            view! {
                                <li><label>
                                    <input type="checkbox" data-testid="migrate-flow" value=flow.name.clone() checked=on
                                        on:change=move |_| chosen.update(|c| { c.retain(|x| *x != name); if !on { c.push(name.clone()); } }) />
                                    {format!(" {} · {}", flow.name, super::link::status_label(&flow.status))}
                                </label></li>
                            }
                        }).collect_view()}
                    </ul>
                    <div class="dialog__actions">
                        <button type="button" class="button" data-testid="migrate-all" disabled=no_source || pending
                            on:click=move |_| chosen.set(all.clone())>"Select all"</button>
                        <button type="button" class="button button--primary" data-testid="migrate-run" disabled=none_picked || pending
                            on:click=move |_| start(chosen.get_untracked())>{run_label}</button>
                    </div>
                    {pending.then(|| view! { <progress data-testid="migrate-progress" max=total value=done></progress> })}
                    {(!results.is_empty()).then(|| view! {
                        <table class="library__table" data-testid="migrate-results">
                            <thead><tr><th>"Flow"</th><th>"Result"</th></tr></thead>
                            <tbody>
                                {results.into_iter().map(|(name, outcome)| {
                                    let key = name.clone();
                                    let (ok, text) = match outcome { Ok(id) => (true, format!("Migrated: new id {id}")), Err(why) => (false, format!("Failed: {why}")) };
                                    view! {
                                        <tr data-testid="migrate-result" data-name=key data-ok=ok.to_string()>
                                            <td>{name}</td>
                                            <td class=if ok { "" } else { "field__error" }>{text}</td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                        <div class="dialog__actions">
                            <button type="button" class="button" data-testid="migrate-retry" disabled=no_retry || pending
                                on:click=move |_| start(retry.clone())>"Retry the failed"</button>
                        </div>
                    })}
                }
                .into_any()
            }}
        </Dialog>
    }
    .into_any()
}
