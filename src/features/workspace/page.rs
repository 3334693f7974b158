//! The Flows page (`/flows`, a bundle of its own, like the preview's): the team's flows of
//! every account the server reaches, to filter, sort and page through; open, rename, delete
//! to the trash and restore; make a new draft of a published flow; sync an account from
//! WhatsApp with its progress; and a flow's history. The editor shows it in a dialog and opens
//! what is chosen here (`flowsmith:open-flow` posted to it); on its own, the page opens the
//! editor at `/?flow=<id>`.
//!
//! A page rather than the editor's own dialogs because of the editor's bundle budget (600 KB
//! gzip): listing and managing flows needs nothing of the editor, and its code would have cost
//! the editor about 40 KB gzip that every visit downloads (BENCHMARKS.md).
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast as _;

use super::access::{self, Role};
use super::history::HistoryPanel;
use super::{USER_KEY, short_time};
use crate::api::workspace::{WsAccount, WsChange, WsFlow, WsQuery};
use crate::api::{Browser, Client, Via};
use crate::components::{RateLimitNotice, RateLimitWait};
use crate::tasks::Loaded;

/// The message the page posts to the editor that frames it to open a flow.
pub const OPEN_MESSAGE: &str = "flowsmith:open-flow";

fn client() -> Client<Browser> {
    Client::browser(Via::Server { origin: String::new() })
}

/// A parameter of the page's address.
pub fn query_param(name: &str) -> Option<String> {
    let href = window().location().href().ok()?;
    web_sys::Url::new(&href).ok()?.search_params().get(name).filter(|value| !value.is_empty())
}

fn status_label(status: &str) -> &'static str {
    match status {
        "DRAFT" => "Draft",
        "PUBLISHED" => "Published",
        "THROTTLED" => "Throttled",
        "BLOCKED" => "Blocked",
        "DEPRECATED" => "Deprecated",
        _ => "Unknown",
    }
}

/// Opens a flow in the editor: the one that frames this page, or this tab's.
fn open_in_editor(id: &str) {
    if !crate::framing::tell_editor(&[("type", OPEN_MESSAGE.into()), ("id", id.into())]) {
        let _ = window().location().assign(&format!("/?flow={}", crate::api::encode_query(id)));
    }
}

/// One row of the list: plain elements (the table's one click handler reads the buttons'
/// `data-action` and `data-id`), so a page of 100 flows costs no closure per button.
fn row(flow: &WsFlow, account: &str, refused: Option<String>) -> impl IntoView + use<> {
    let whatsapp = match (&flow.meta_flow_id, flow.unsaved, flow.validation_errors.len()) {
        (None, ..) => "Not on WhatsApp".to_owned(),
        (Some(_), true, _) => "Changes not on WhatsApp".to_owned(),
        (Some(_), false, 0) => "Saved to WhatsApp".to_owned(),
        (Some(_), false, n) => format!("On WhatsApp, {n} errors"),
    };
    let conflict = if flow.conflict_at.is_some() { " · changed on WhatsApp meanwhile" } else { "" };
    let trashed = flow.deleted_at.is_some();
    // Open, History and Responses are for every role; the rest change the flow or send it (the
    // editor role).
    let button = |action: &'static str, label: &'static str, shown: bool| {
        let refused = refused.clone().filter(|_| !matches!(action, "open" | "history" | "responses"));
        shown.then(|| {
            view! {
                <button class="button button--small" class:button--danger=action == "delete" data-action=action
                    disabled=refused.is_some() title=refused
                    data-id=flow.id.clone() data-testid=format!("ws-flow-{action}")>{label}</button>
            }
        })
    };
    view! {
        <tr class="flow-row" data-testid="ws-flow-row" data-flow-id=flow.id.clone() data-name=flow.name.clone()>
            <td class="flow-row__name"><strong>{flow.name.clone()}</strong><div class="muted">{account.to_owned()}</div></td>
            <td><span class="status-badge" data-status=flow.status.clone()>{status_label(&flow.status)}</span></td>
            <td class="muted" data-testid="ws-flow-whatsapp">{whatsapp}{conflict}</td>
            <td class="muted">{format!("{} · {}", short_time(&flow.updated_at), flow.updated_by)}</td>
            <td>
                <div class="flow-row__actions">
                    {button("open", "Open", !trashed)}
                    {button("history", "History", !trashed)}
                    {button("send", "Send…", !trashed)}
                    {button("responses", "Responses", !trashed)}
                    {button("rename", "Rename", !trashed)}
                    {button("draft", "New draft", !trashed && flow.status != "DRAFT")}
                    {button("delete", "Delete", !trashed)}
                    {button("restore", "Restore", trashed)}
                </div>
            </td>
        </tr>
    }
}

/// The Flows page: the workspace's flows (when the server keeps them) and the flows as
/// WhatsApp has them, as two tabs.
#[component]
pub fn FlowsPage() -> impl IntoView {
    crate::framing::close_frame_on_escape();
    let library = crate::features::library::Library::provide();
    let offered = Memo::new(move |_| {
        library.server.with(|server| matches!(server, Some(Ok(config)) if config.workspace))
    });
    // The sandbox's test phones: only where the sandbox runs (and a workspace to send from).
    let sandbox = Memo::new(move |_| {
        library
            .server
            .with(|server| matches!(server, Some(Ok(config)) if config.is_sandbox() && config.workspace))
    });
    let asked = query_param("tab");
    let current = query_param("current");
    // Which tab: the one asked for, else the workspace when the server keeps one.
    let tab = RwSignal::new(asked);
    let shown = move || {
        tab.get().unwrap_or_else(|| {
            if library.server.with(Option::is_some) && !offered.get() {
                "whatsapp".to_owned()
            } else {
                "workspace".to_owned()
            }
        })
    };
    let button = move |name: &'static str, label: &'static str| {
        view! {
            <button role="tab" class="button" data-testid=format!("tab-{name}") aria-selected=move || (shown() == name).to_string()
                on:click=move |_| tab.set(Some(name.to_owned()))>{label}</button>
        }
    };
    view! {
        <main class="flows-page" data-testid="workspace-flows">
            <nav class="flows-page__tabs" role="tablist" aria-label="Flows">
                <Show when=move || offered.get()>{button("workspace", "Workspace")}</Show>
                {button("whatsapp", "On WhatsApp")}
                {button("drafts", "In this browser")}
                <Show when=move || sandbox.get()>{button("phones", "Test phone")}</Show>
            </nav>
            {move || match shown().as_str() {
                "whatsapp" => view! { <crate::features::library::WhatsAppFlows /> }.into_any(),
                "phones" => view! { <crate::features::messages::TestPhones /> }.into_any(),
                "drafts" => view! { <crate::features::drafts::DraftsList current=current.clone() workspace=offered /> }.into_any(),
                _ => view! { <WorkspaceFlows /> }.into_any(),
            }}
        </main>
    }
    .into_any()
}

/// The workspace's flows.
#[component]
fn WorkspaceFlows() -> impl IntoView {
    let user = RwSignal::new(
        window()
            .local_storage()
            .ok()
            .flatten()
            .and_then(|s| s.get_item(USER_KEY).ok().flatten())
            .unwrap_or_default(),
    );
    let set_user = move |name: String| {
        let name: String = name.trim().chars().take(64).collect();
        if let Some(storage) = window().local_storage().ok().flatten() {
            let _ = storage.set_item(USER_KEY, &name);
        }
        user.set(name);
    };
    let changes = RwSignal::new(0u64);
    let progress = RwSignal::new(None::<(u64, u64)>);
    let waiting = RwSignal::new(None::<RateLimitWait>);
    super::events::listen_page(changes, progress, waiting);
    let accounts =
        Loaded::new(move || async move { client().ws_accounts().await.map_err(|error| error.for_people()) });
    let account_list = Memo::new(move |_| accounts.get().and_then(Result::ok).unwrap_or_default());
    let query = RwSignal::new(WsQuery::default());
    let page = Loaded::new(move || {
        changes.track();
        let wanted = query.get();
        async move { client().ws_list(&wanted).await.map_err(|error| error.for_people()) }
    });
    // Who is signed in: what their role does not allow is disabled, with why.
    let session = access::load();
    let refusal =
        move |role: Role, account: &str| session.get().flatten().and_then(|s| s.refusal(role, account));
    let signed_in = move || session.get().flatten().is_some_and(|s| !s.user.is_empty());
    let message = RwSignal::new(None::<(bool, String)>);
    let busy = RwSignal::new(false);
    let history = RwSignal::new(query_param("history"));
    // The flow whose Send dialog is open (`?send=<id>`: the editor's Send… opens this page so).
    let sending = RwSignal::new(query_param("send"));
    let responses = RwSignal::new(query_param("responses"));
    let renaming = RwSignal::new(None::<WsFlow>);
    let new_name = RwSignal::new(String::new());
    let sync_account = RwSignal::new(String::new());
    let set = move |change: fn(&mut WsQuery, String), value: String| {
        query.update(|query| {
            change(query, value);
            query.page = 1;
        });
    };
    let find = move |id: &str| {
        page.get_untracked().and_then(Result::ok).and_then(|p| p.items.into_iter().find(|f| f.id == id))
    };
    let operation = move |id: String, operation: &'static str, done: String| {
        busy.set(true);
        let name = user.get_untracked();
        spawn_local(async move {
            let result = client().ws_operation(&id, operation, &name).await;
            busy.set(false);
            message.set(Some(match result {
                Ok(_) => (false, done),
                Err(error) => (true, error.for_people()),
            }));
            page.reload();
        });
    };
    let on_table = move |event: web_sys::MouseEvent| {
        let target = event.target().and_then(|target| target.dyn_into::<web_sys::Element>().ok());
        let Some(button) = target.and_then(|element| element.closest("button[data-action]").ok().flatten())
        else {
            return;
        };
        let (Some(action), Some(id)) = (button.get_attribute("data-action"), button.get_attribute("data-id"))
        else {
            return;
        };
        if busy.get_untracked() {
            return;
        }
        let Some(flow) = find(&id) else { return };
        match action.as_str() {
            "open" => open_in_editor(&id),
            "history" => history.set(Some(id)),
            "send" => sending.set(Some(id)),
            "responses" => responses.set(Some(id)),
            "rename" => {
                new_name.set(flow.name.clone());
                renaming.set(Some(flow));
            }
            "draft" => {
                operation(id, "draft", format!("A new draft of {} is at the top of the list.", flow.name))
            }
            "delete" => operation(id, "", format!("{} is in the trash for 30 days.", flow.name)),
            "restore" => operation(id, "restore", format!("{} is back.", flow.name)),
            _ => {}
        }
    };
    let rename = move |_| {
        let Some(flow) = renaming.get_untracked() else { return };
        let change = WsChange {
            revision: flow.revision,
            name: Some(new_name.get_untracked().trim().to_owned()),
            ..WsChange::default()
        };
        let name = user.get_untracked();
        spawn_local(async move {
            match client().ws_update(&flow.id, &change, &name).await {
                Ok(_) => {
                    renaming.set(None);
                    page.reload();
                }
                Err(error) => message.set(Some((true, error.for_people()))),
            }
        });
    };
    let sync = move |_| {
        let chosen = Some(sync_account.get_untracked())
            .filter(|id| !id.is_empty())
            .or_else(|| account_list.with_untracked(|list| list.first().map(|account| account.id.clone())));
        let Some(account_id) = chosen else { return };
        busy.set(true);
        progress.set(Some((0, 0)));
        let name = user.get_untracked();
        spawn_local(async move {
            let result = client().ws_sync(&account_id, &name).await;
            busy.set(false);
            progress.set(None);
            waiting.set(None);
            message.set(Some(match result {
                Ok(report) => (
                    false,
                    format!(
                        "{} flows on WhatsApp: {} new, {} updated{}.",
                        report.synced,
                        report.new,
                        report.updated,
                        if report.conflicts > 0 {
                            format!(", {} changed on WhatsApp beside unsaved work", report.conflicts)
                        } else {
                            String::new()
                        }
                    ),
                ),
                Err(error) => (true, error.for_people()),
            }));
            page.reload();
        });
    };
    let sync_refused = move || {
        let chosen = sync_account.get();
        let account = if chosen.is_empty() {
            account_list.with(|list| list.first().map(|a| a.id.clone())).unwrap_or_default()
        } else {
            chosen
        };
        refusal(Role::Publisher, &account)
    };
    let account_options = move || {
        account_list
            .get()
            .into_iter()
            .map(|account: WsAccount| view! { <option value=account.id.clone()>{account.choice()}</option> })
            .collect_view()
    };
    let list = move || {
        page.get().map(|result| match result {
            Err(error) => view! { <p class="field__error" role="alert">{error}</p> }.into_any(),
            Ok(found) if found.total == 0 => {
                let hint = if query.with_untracked(|q| q.trash) {
                    "The trash is empty."
                } else {
                    "No flows here yet: add a draft from the editor (Add to workspace), or sync an account from WhatsApp."
                };
                view! { <p class="muted" data-testid="ws-empty">{hint}</p> }.into_any()
            }
            Ok(found) => {
                let first = (found.page - 1) * found.limit;
                let last = first + found.items.len() as i64;
                let rows = account_list.with_untracked(|accounts| {
                    found.items.iter().map(|flow| {
                        let account = accounts.iter().find(|a| a.id == flow.account_id).map(|a| a.name.as_str()).unwrap_or_default();
                        row(flow, account, refusal(Role::Editor, &flow.account_id))
                    }).collect_view()
                });
                view! {
                    <table class="library__table" data-testid="ws-table" on:click=on_table>
                        <thead><tr><th>"Name"</th><th>"Status"</th><th>"WhatsApp"</th><th>"Changed"</th><th></th></tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                    <div class="pager">
                        <button class="button button--small" data-testid="ws-previous" disabled={found.page <= 1}
                            on:click=move |_| query.update(|q| q.page -= 1)>"Previous"</button>
                        <span class="muted" data-testid="ws-range">{format!("{}–{last} of {}", first + 1, found.total)}</span>
                        <button class="button button--small" data-testid="ws-next" disabled={last >= found.total}
                            on:click=move |_| query.update(|q| q.page += 1)>"Next"</button>
                    </div>
                }
                .into_any()
            }
        })
    };
    view! {
        <div>
            <header class="flows-page__header">
                <h1>"Flows"</h1>
                <label class="field ws-user" hidden=signed_in>
                    <span>"Your name in the history"</span>
                    <input type="text" data-testid="ws-user" maxlength="64" placeholder="e.g. Ana"
                        prop:value=move || user.get() on:change=move |e| set_user(event_target_value(&e)) />
                </label>
            </header>
            <div class="library__filters">
                <select aria-label="Account" data-testid="ws-account" on:change=move |e| set(|q, v| q.account_id = v, event_target_value(&e))>
                    <option value="">"All accounts"</option>
                    {account_options}
                </select>
                <select aria-label="Status" data-testid="ws-status" on:change=move |e| set(|q, v| q.status = v, event_target_value(&e))>
                    <option value="">"Any status"</option>
                    {["DRAFT", "PUBLISHED", "DEPRECATED", "THROTTLED", "BLOCKED"].map(|s| view! { <option value=s>{status_label(s)}</option> }).collect_view()}
                </select>
                <input type="search" placeholder="Search by name" aria-label="Search flows" data-testid="ws-search"
                    on:input=move |e| set(|q, v| q.text = v, event_target_value(&e)) />
                <select aria-label="Sort" data-testid="ws-sort" on:change=move |e| set(|q, v| q.sort = v, event_target_value(&e))>
                    <option value="-updated">"Recently changed"</option>
                    <option value="name">"By name"</option>
                    <option value="-created">"Newest"</option>
                </select>
                <label class="checkbox"><input type="checkbox" data-testid="ws-trash"
                    on:change=move |e| set(|q, v| q.trash = v == "true", event_target_checked(&e).to_string()) />"Trash"</label>
            </div>
            <p role="status" data-testid="ws-message" class:field__error=move || message.with(|m| m.as_ref().is_some_and(|m| m.0))>
                {move || message.get().map(|(_, text)| text)}
            </p>
            {list}
            {move || renaming.get().map(|flow| view! {
                <div class="dialog__actions">
                    <label>{format!("New name for {}", flow.name)}
                        <input type="text" data-testid="ws-rename-input" maxlength="200" prop:value=move || new_name.get()
                            on:input=move |e| new_name.set(event_target_value(&e)) />
                    </label>
                    <button class="button" on:click=move |_| renaming.set(None)>"Cancel"</button>
                    <button class="button button--primary" data-testid="ws-rename-save" on:click=rename>"Rename"</button>
                </div>
            })}
            <section class="ws-sync">
                <h2>"Sync from WhatsApp"</h2>
                <div class="library__filters">
                    <select aria-label="Account to sync" data-testid="ws-sync-account" on:change=move |e| sync_account.set(event_target_value(&e))>
                        {account_options}
                    </select>
                    <button class="button" data-testid="ws-sync" title=sync_refused
                        disabled=move || busy.get() || account_list.with(Vec::is_empty) || sync_refused().is_some() on:click=sync>"Sync"</button>
                    {move || progress.get().map(|(done, total)| view! {
                        <progress data-testid="ws-sync-progress" max=total.max(1) value=done></progress>
                        <span class="muted">{format!("{done} of {total}")}</span>
                    })}
                    <RateLimitNotice wait=waiting testid="ws-sync-waiting" />
                </div>
            </section>
            {move || sending.get().map(|id| view! {
                <crate::features::messages::SendFlow id=id user=user.get_untracked() on_close=Callback::new(move |()| sending.set(None)) />
            })}
            {move || history.get().map(|id| {
                let refused = find(&id).and_then(|flow| refusal(Role::Editor, &flow.account_id));
                view! { <HistoryPanel id=id user=user refused=refused on_close=Callback::new(move |()| history.set(None)) /> }
            })}
            {move || responses.get().map(|id| {
                let name = find(&id).map_or_else(|| "this flow".to_owned(), |flow| flow.name);
                view! { <crate::features::responses::ResponsesPanel id=id name=name on_close=Callback::new(move |()| responses.set(None)) /> }
            })}
        </div>
    }
    .into_any()
}
