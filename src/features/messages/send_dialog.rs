use flow_model::message::{
    BODY_MAX_CHARS, CTA_MAX_CHARS, FOOTER_MAX_CHARS, HEADER_MAX_CHARS, curl, entry_screens,
};
use leptos::prelude::*;

use super::form::{SendForm, backend, example_text};
use super::sent_list::SentList;
use super::{SendTarget, new_token};
use crate::api::messages::{SendRefusal, SentMessage};
use crate::components::Dialog;
use crate::tasks::Task;

/// The Send dialog: the message, checked as it is typed by flow-model's checks (the ones the
/// API runs), each problem at its field; the exact JSON and the cURL command for the account's
/// backend; Send with its progress and the upstream's refusal; what was sent of the flow. A
/// failed send keeps everything typed.
#[component]
pub fn SendDialog(
    target: SendTarget,
    on_close: Callback<()>,
    #[prop(optional)] user: String,
) -> impl IntoView {
    let SendTarget { flow, json, account, partner_id, origin } = target;
    let form = RwSignal::new(SendForm::new(&flow, &json, new_token()));
    let entries = entry_screens(&json);
    let endpoint = flow_model::model::Flow::from_value(&json).is_some_and(|view| view.is_endpoint_flow());
    let published = flow.status != "DRAFT";
    let (flow, json) = (StoredValue::new(flow), StoredValue::new(json));
    let problems = Memo::new(move |_| {
        form.with(|form| flow.with_value(|flow| json.with_value(|json| form.problems(flow, json))))
    });
    let blocked = Memo::new(move |_| problems.with(|found| found.iter().any(|(_, _, error)| *error)));
    let attempted = RwSignal::new(false);
    let touched = RwSignal::new(Vec::<&'static str>::new());
    let sent_count = RwSignal::new(0u64);
    let send = Task::new(move |(request, user): (crate::api::messages::SendRequest, String)| async move {
        let client = crate::api::Client::browser(crate::api::Via::Server { origin: String::new() });
        let result: Result<SentMessage, SendRefusal> = client.send_message(&request, &user).await;
        if result.is_ok() {
            sent_count.update(|n| *n += 1);
        }
        result
    });
    let refusal = move || send.with_value(|value| value.and_then(|result| result.as_ref().err().cloned()));
    let user = StoredValue::new(user);
    let on_send = move |_| {
        attempted.set(true);
        if blocked.get_untracked() || send.pending_untracked() {
            return;
        }
        let request = form.with_untracked(|form| flow.with_value(|flow| form.request(flow)));
        send.start((request, user.get_value()));
    };
    let message_json =
        Memo::new(move |_| form.with(|form| flow.with_value(|flow| form.message(flow).to_json())));
    let pretty = move || serde_json::to_string_pretty(&message_json.get()).unwrap_or_default();
    let chosen = backend(&account, &origin, &partner_id);
    let command = move || curl(&message_json.get(), &chosen);
    // A field's problems: ours once it was typed in (or Send was pressed), and the server's.
    let errors_at = move |field: &'static str| {
        let shown = attempted.get() || touched.with(|touched| touched.contains(&field));
        let mut found: Vec<(String, bool)> = if shown {
            problems.with(|all| {
                all.iter()
                    .filter(|(at, ..)| *at == field)
                    .map(|(_, text, error)| (text.clone(), *error))
                    .collect()
            })
        } else {
            Vec::new()
        };
        if let Some(refused) = refusal() {
            found.extend(
                refused
                    .fields
                    .iter()
                    .filter(|(at, _)| super::form::dialog_field(at) == field)
                    .map(|(_, text)| (text.clone(), true)),
            );
        }
        found
    };
    let field_errors = move |field: &'static str| {
        view! {
            <For each=move || errors_at(field) key=|(text, _)| text.clone() let:problem>
                <p class=if problem.1 { "field__error" } else { "field__warning" } data-testid=format!("send-error-{field}")>{problem.0}</p>
            </For>
        }
    };
    let set = move |field: &'static str, change: fn(&mut SendForm, String)| {
        move |event: leptos::ev::Event| {
            let value = event_target_value(&event);
            form.update(|form| change(form, value));
            touched.update(|touched| {
                if !touched.contains(&field) {
                    touched.push(field);
                }
            });
        }
    };
    let text_field = move |field: &'static str,
                           label: &'static str,
                           limit: usize,
                           read: fn(&SendForm) -> &str,
                           change: fn(&mut SendForm, String)| {
        let length = move || form.with(|form| read(form).chars().count());
        view! {
            <label class="field">
                <span>{label}<span class="muted send__count" data-testid=format!("send-count-{field}")>{move || format!(" {} / {limit}", length())}</span></span>
                <input type="text" data-testid=format!("send-{field}") prop:value=move || form.with(|form| read(form).to_owned()) on:input=set(field, change) />
                {field_errors(field)}
            </label>
        }
    };
    let entries = StoredValue::new(entries);
    let screen_options = move || {
        entries.with_value(|entries| {
            entries
                .iter()
                .map(|screen| view! { <option value=screen.clone()>{screen.clone()}</option> })
                .collect_view()
        })
    };
    let choose_screen = move |event: leptos::ev::Event| {
        let screen = event_target_value(&event);
        let data = json.with_value(|json| example_text(json, &screen));
        form.update(|form| {
            form.screen = screen;
            form.data = data;
        });
    };
    let copy = |text: String| {
        leptos::task::spawn_local(async move {
            let _ = crate::features::files::copy_to_clipboard(&text).await;
        });
    };
    let flow_id = flow.with_value(|flow| flow.id.clone());
    let not_on_whatsapp = flow.with_value(|flow| flow.meta_flow_id.is_none());
    let title = flow.with_value(|flow| format!("Send {}", flow.name));
    view! {
        <Dialog open=Signal::stored(true) on_close=on_close title=title testid="send-dialog">
            <div class="send">
                <Show when=move || not_on_whatsapp>
                    <p class="field__error" role="alert" data-testid="send-not-on-whatsapp">"This flow was never saved to WhatsApp: save it to WhatsApp first, then send it."</p>
                </Show>
                <label class="field">
                    <span>"Recipient (phone number with country code)"</span>
                    <input type="tel" data-testid="send-to" placeholder="+15551234567" autofocus
                        prop:value=move || form.with(|form| form.to.clone()) on:input=set("to", |form, value| form.to = value) />
                    {field_errors("to")}
                </label>
                {text_field("header", "Header (optional)", HEADER_MAX_CHARS, |form| &form.header, |form, value| form.header = value)}
                <label class="field">
                    <span>"Body"<span class="muted send__count" data-testid="send-count-body">{move || format!(" {} / {BODY_MAX_CHARS}", form.with(|form| form.body.chars().count()))}</span></span>
                    <textarea data-testid="send-body" rows="3" prop:value=move || form.with(|form| form.body.clone()) on:input=set("body", |form, value| form.body = value)></textarea>
                    {field_errors("body")}
                </label>
                {text_field("footer", "Footer (optional)", FOOTER_MAX_CHARS, |form| &form.footer, |form, value| form.footer = value)}
                {text_field("cta", "Button", CTA_MAX_CHARS, |form| &form.cta, |form, value| form.cta = value)}
                <label class="field">
                    <span>"Flow token (sent back with the reply)"</span>
                    <input type="text" data-testid="send-flow_token" prop:value=move || form.with(|form| form.flow_token.clone()) on:input=set("flow_token", |form, value| form.flow_token = value) />
                    {field_errors("flow_token")}
                </label>
                <label class="field">
                    <span>"Opens with"</span>
                    <select data-testid="send-action" prop:value=move || form.with(|form| form.action.clone()) on:change=set("action", |form, value| form.action = value)>
                        <option value="navigate">"navigate: a first screen with its data"</option>
                        <option value="data_exchange" disabled=!endpoint>"data_exchange: the endpoint answers (endpoint flows)"</option>
                    </select>
                    {field_errors("action")}
                </label>
                <Show when=move || form.with(|form| form.action == "navigate")>
                    <label class="field">
                        <span>"First screen"</span>
                        <select data-testid="send-screen" prop:value=move || form.with(|form| form.screen.clone()) on:change=choose_screen>
                            {screen_options}
                        </select>
                        {field_errors("screen")}
                    </label>
                    <label class="field">
                        <span>"Its data (JSON, from the screen's __example__s)"</span>
                        <textarea data-testid="send-data" rows="4" class="send__code" prop:value=move || form.with(|form| form.data.clone()) on:input=set("data", |form, value| form.data = value)></textarea>
                        {field_errors("data")}
                    </label>
                </Show>
                <label class="field">
                    <span>"Mode"</span>
                    <select data-testid="send-mode" prop:value=move || form.with(|form| form.mode.clone()) on:change=set("mode", |form, value| form.mode = value)>
                        <option value="draft" disabled=published>"draft: the unpublished flow, to try it"</option>
                        <option value="published">"published"</option>
                    </select>
                    {field_errors("mode")}
                </label>
                {move || errors_at("").into_iter().map(|(text, _)| view! { <p class="field__error" data-testid="send-error-flow">{text}</p> }).collect_view()}
                <details class="send__json" open>
                    <summary>"The message (JSON)"</summary>
                    <pre data-testid="send-json">{pretty}</pre>
                    <button type="button" class="button button--small" data-testid="copy-send-json" on:click=move |_| copy(pretty())>"Copy JSON"</button>
                </details>
                <details class="send__json">
                    <summary>"cURL"</summary>
                    <pre data-testid="send-curl">{command.clone()}</pre>
                    <button type="button" class="button button--small" data-testid="copy-send-curl" on:click=move |_| copy(command())>"Copy cURL"</button>
                </details>
                <Show when=move || refusal().is_some()>
                    <p class="field__error" role="alert" data-testid="send-refusal">{move || refusal().map(|refused| format!("Not sent: {}", refused.error.for_people()))}</p>
                </Show>
                {move || send.with_value(|value| value.and_then(|result| result.as_ref().ok().cloned())).map(|sent| view! {
                    <p role="status" data-testid="send-done">{format!("Sent to {} ({}).", sent.to, sent.message_id.unwrap_or_default())}</p>
                })}
                <footer class="dialog__actions">
                    <button type="button" class="button" data-testid="send-cancel" on:click=move |_| on_close.run(())>"Close"</button>
                    <button type="button" class="button button--primary" data-testid="send-confirm"
                        disabled=move || send.pending() || not_on_whatsapp on:click=on_send>
                        {move || if send.pending() { "Sending…" } else { "Send" }}
                    </button>
                </footer>
                <SentList flow_id=flow_id changes=sent_count />
            </div>
        </Dialog>
    }
    .into_any()
}
