use leptos::prelude::*;

use crate::api::{Browser, Client, Via};
use crate::tasks::Loaded;

/// What was sent of a flow (`GET /api/messages?flow_id=`), newest first, with each message's
/// status; loaded again after each send (`changes`).
#[component]
pub fn SentList(flow_id: String, changes: RwSignal<u64>) -> impl IntoView {
    let flow_id = StoredValue::new(flow_id);
    let sent = Loaded::new(move || {
        changes.track();
        let id = flow_id.get_value();
        async move {
            let client: Client<Browser> = Client::browser(Via::Server { origin: String::new() });
            client.sent_messages(&id).await.map_err(|error| error.for_people())
        }
    });
    view! {
        <section class="send__sent" data-testid="sent-messages">
            <h3>"Sent"</h3>
            {move || sent.get().map(|result| match result {
                Err(error) => view! { <p class="field__error" data-testid="sent-error">{error}</p> }.into_any(),
                Ok(list) if list.is_empty() => view! { <p class="muted" data-testid="sent-empty">"Nothing sent of this flow yet."</p> }.into_any(),
                Ok(list) => view! {
                    <table class="library__table">
                        <thead><tr><th>"To"</th><th>"Mode"</th><th>"Sent"</th><th>"Status"</th></tr></thead>
                        <tbody>
                            {list.into_iter().map(|message| { let status = message.status.clone(); view! {
                                <tr data-testid="sent-message" data-status=status>
                                    <td>{message.to}</td>
                                    <td>{message.mode}</td>
                                    <td class="muted">{format!("{} · {}", crate::features::workspace::short_time(&message.sent_at), message.sent_by)}</td>
                                    <td title=message.status_detail.unwrap_or_default()>{message.status}</td>
                                </tr>
                            }}).collect_view()}
                        </tbody>
                    </table>
                }.into_any(),
            })}
        </section>
    }
    .into_any()
}
