//! The flows of the chosen WhatsApp Business Account as WhatsApp has them (the Partner API's
//! list), on the Flows page: search, status filter, sort; open in the editor, clone, deprecate,
//! delete there; migrate flows from another account. Opening posts `flowsmith:open-whatsapp-flow`
//! to the editor that frames the page (on its own, the page opens the editor at
//! `/?waba=…&whatsapp_flow=…`).
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::confirm::consequences;
use super::flow_row::{FlowRow, RowAction};
use super::migrate_dialog::MigrateDialog;
use super::ops::Lifecycle;
use super::use_library;
use crate::api::{FlowInfo, NewFlow};
use crate::features::workspace::access::{self, Role};
use crate::features::workspace::{AccountWait, AccountWaitNotice, listen_account_waits};
use crate::tasks::Loaded;
use crate::text::lower_case;

/// The message the page posts to the editor that frames it to open a flow of WhatsApp.
pub const OPEN_WHATSAPP_MESSAGE: &str = "flowsmith:open-whatsapp-flow";

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

/// Opens a flow of WhatsApp in the editor: the one that frames this page, or this tab's.
fn open_in_editor(waba_id: &str, flow_id: &str) {
    let fields =
        [("type", OPEN_WHATSAPP_MESSAGE.into()), ("waba_id", waba_id.into()), ("flow_id", flow_id.into())];
    if !crate::framing::tell_editor(&fields) {
        let encode = crate::api::encode_query;
        let url = format!("/?waba={}&whatsapp_flow={}", encode(waba_id), encode(flow_id));
        let _ = window().location().assign(&url);
    }
}

/// What a row's button asks, until the user confirms it (clone's name, or a lifecycle).
#[derive(Debug, Clone, PartialEq)]
enum Asking {
    Clone(FlowInfo, String),
    Lifecycle(FlowInfo, Lifecycle),
}

/// Every flow of the account as WhatsApp has it.
#[component]
pub fn WhatsAppFlows() -> impl IntoView {
    let library = use_library();
    let flows = Loaded::new(move || {
        library.changes.track();
        let (account, client) = (library.settings.with(|_| library.account()), library.client());
        async move { client.list_flows(&account).await.map_err(|error| error.for_people()) }
    });
    let search = RwSignal::new(String::new());
    let status = RwSignal::new(String::new());
    let order = RwSignal::new("name".to_owned());
    let migrate = RwSignal::new(false);
    let asking = RwSignal::new(None::<Asking>);
    let busy = RwSignal::new(false);
    let message = RwSignal::new(None::<(bool, String)>);
    // Calls of this account waiting for Meta's rate limit, told by the server that keeps a
    // workspace (in direct mode the browser's own calls are not the server's to tell of).
    let waiting = RwSignal::new(None::<AccountWait>);
    listen_account_waits(waiting, move || library.through_workspace());
    let shown = Memo::new(move |_| {
        let mut list = flows.get().and_then(Result::ok).unwrap_or_default();
        let needle = search.with(|s| lower_case(s.trim()));
        list.retain(|flow| {
            (needle.is_empty() || lower_case(&flow.name).contains(&needle) || flow.id.contains(&needle))
                && status.with(|s| s.is_empty() || *s == flow.status)
        });
        sorted(list, &order.get())
    });
    let on_action = Callback::new(move |(action, flow): (RowAction, FlowInfo)| match action {
        RowAction::Open => open_in_editor(&library.account().waba_id, &flow.id),
        RowAction::Clone => asking.set(Some(Asking::Clone(flow.clone(), format!("{} copy", flow.name)))),
        RowAction::Deprecate => asking.set(Some(Asking::Lifecycle(flow, Lifecycle::Deprecate))),
        RowAction::Delete => asking.set(Some(Asking::Lifecycle(flow, Lifecycle::Delete))),
    });
    let confirm = move |_| {
        let Some(asked) = asking.get_untracked() else { return };
        let (client, account) = (library.client(), library.account());
        busy.set(true);
        spawn_local(async move {
            let result = match asked {
                Asking::Clone(source, name) => {
                    let categories = if source.categories.is_empty() {
                        vec!["OTHER".to_owned()]
                    } else {
                        source.categories.clone()
                    };
                    let new = NewFlow {
                        name: name.trim().to_owned(),
                        categories,
                        clone_flow_id: Some(source.id.clone()),
                        endpoint_uri: None,
                    };
                    client.create_flow(&account, &new).await.map(|_| format!("Cloned as {}.", new.name))
                }
                Asking::Lifecycle(flow, Lifecycle::Deprecate) => client
                    .deprecate(&account, &flow.id)
                    .await
                    .map(|()| format!("{} is deprecated.", flow.name)),
                Asking::Lifecycle(flow, _) => client
                    .delete_flow(&account, &flow.id)
                    .await
                    .map(|()| format!("{} was deleted from WhatsApp.", flow.name)),
            };
            busy.set(false);
            asking.set(None);
            message.set(Some(match result {
                Ok(done) => (false, done),
                Err(error) => (true, error.for_people()),
            }));
            library.changes.update(|changes| *changes += 1);
        });
    };
    let busy_signal = Signal::derive(move || busy.get());
    // What the signed-in user's role on this account does not allow: (clone, the rest).
    let session = access::load();
    let refused = move |role: Role| {
        let account = library.settings.with(|settings| settings.waba_id.clone());
        session.get().flatten().and_then(|session| session.refusal(role, &account))
    };
    let refusals = Signal::derive(move || (refused(Role::Editor), refused(Role::Publisher)));
    view! {
        <section class="whatsapp-flows" data-testid="library-dialog">
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
                <button class="button" data-testid="open-migrate" title=move || refused(Role::Publisher) disabled=move || refused(Role::Publisher).is_some() on:click=move |_| migrate.set(true)>"Migrate…"</button>
            </div>
            <AccountWaitNotice told=waiting account=Signal::derive(move || library.settings.with(|s| s.waba_id.clone())) testid="library-waiting" />
            <p role="status" data-testid="library-message" class:field__error=move || message.with(|m| m.as_ref().is_some_and(|m| m.0))>
                {move || message.get().map(|(_, text)| text)}
            </p>
            <p class="field__error" role="alert" data-testid="library-error">{move || flows.get().and_then(Result::err)}</p>
            <Show when=move || flows.get().is_none()>
                <p class="muted" data-testid="library-loading">"Loading flows…"</p>
            </Show>
            // The error says to choose an account in Connection: where that is.
            <Show when=move || library.settings.with(|s| s.waba_id.is_empty())>
                <p class="muted" data-testid="library-connection">"Choose a WhatsApp Business Account with the account button at the top of the editor (Connection)."</p>
            </Show>
            <Show when=move || flows.get().is_some_and(|r| r.is_ok()) && shown.with(Vec::is_empty)>
                <p class="muted" data-testid="library-empty">
                    {move || if search.with(String::is_empty) && status.with(String::is_empty) {
                        "No flows on this account yet: Save to WhatsApp makes one from the open draft."
                    } else {
                        "No flows match."
                    }}
                </p>
            </Show>
            {move || asking.get().map(|asked| {
                let (title, body, verb) = match &asked {
                    Asking::Clone(source, _) => (format!("Clone {}", source.name), "A new draft with the flow.json of this flow.", "Clone"),
                    Asking::Lifecycle(flow, operation) => consequences(*operation, &flow.name),
                };
                let clone_name = matches!(asked, Asking::Clone(..)).then(|| view! {
                    <label class="field"><span class="field__label">"Name of the copy"</span>
                        <input data-testid="clone-name" prop:value=move || match asking.get() { Some(Asking::Clone(_, name)) => name, _ => String::new() }
                            on:input=move |e| asking.update(|a| if let Some(Asking::Clone(_, name)) = a { *name = event_target_value(&e) }) />
                    </label>
                });
                view! {
                    <div class="confirm" data-testid="confirm-dialog">
                        <h3 class="confirm__title">{title}</h3>
                        <p class="confirm__body" data-testid="confirm-text">{body}</p>
                        {clone_name}
                        <footer class="dialog__actions">
                            <button type="button" class="button" on:click=move |_| asking.set(None)>"Cancel"</button>
                            <button type="button" class="button button--danger" data-testid=if verb == "Clone" { "clone-confirm" } else { "confirm-yes" }
                                disabled=move || busy.get() on:click=confirm>{verb}</button>
                        </footer>
                    </div>
                }
            })}
            <table class="library__table" data-testid="library-table">
                <thead><tr><th>"Name"</th><th>"Status"</th><th>"Categories"</th><th>"Errors"</th><th>"Flow JSON"</th><th></th></tr></thead>
                <tbody>
                    <For each=move || shown.get() key=|flow| (flow.id.clone(), flow.status.clone(), flow.validation_errors.len(), flow.name.clone())
                        children=move |flow| view! { <FlowRow flow=flow busy=busy_signal refusals=refusals on_action=on_action /> } />
                </tbody>
            </table>
            <MigrateDialog open=migrate />
        </section>
    }
    .into_any()
}
