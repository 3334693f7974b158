//! Sending a flow to a phone (issue 20): the **Send…** dialog (the Cloud API's interactive flow
//! message, checked by flow-model as the API checks it, with its JSON and cURL), what was sent
//! of a flow, and the sandbox's **Test phone** (its numbers' chats as WhatsApp draws them; a
//! message's button opens the flow in the phone preview, and completing it delivers the reply).
//! Both live on the Flows page (its own bundle); the editor opens that page to send.
mod chat;
pub mod form;
mod send_dialog;
mod sent_list;
mod test_phone;

use leptos::prelude::*;
use serde_json::Value;

pub use chat::ChatMessage;
pub use send_dialog::SendDialog;
pub use sent_list::SentList;
pub use test_phone::TestPhones;

use crate::api::workspace::{WsAccount, WsFlow};
use crate::api::{Browser, Client, Via};

/// What the Send dialog sends: the workspace's flow, its flow.json, its account, and where the
/// cURL command goes (the partner id and this server's origin, for the sandbox).
#[derive(Debug, Clone, PartialEq)]
pub struct SendTarget {
    /// The flow.
    pub flow: WsFlow,
    /// Its flow.json.
    pub json: Value,
    /// Its account.
    pub account: WsAccount,
    /// The partner id (the sandbox's URL names it).
    pub partner_id: String,
    /// This server's origin, e.g. `http://127.0.0.1:8080`.
    pub origin: String,
}

/// A new flow token: `flowsmith-` and 16 random hex digits (the reply carries it back).
pub fn new_token() -> String {
    let digits: String = (0..16)
        .map(|_| char::from_digit((js_sys::Math::random() * 16.0) as u32 % 16, 16).unwrap_or('0'))
        .collect();
    format!("flowsmith-{digits}")
}

fn client() -> Client<Browser> {
    Client::browser(Via::Server { origin: String::new() })
}

/// Loads what the dialog needs for the workspace flow `id`, then shows it.
#[component]
pub fn SendFlow(id: String, on_close: Callback<()>, #[prop(optional)] user: String) -> impl IntoView {
    let loaded = crate::tasks::Loaded::new(move || {
        let id = id.clone();
        async move {
            let client = client();
            let (flow, json) = client.ws_get(&id).await.map_err(|error| error.for_people())?;
            let accounts = client.ws_accounts().await.map_err(|error| error.for_people())?;
            let account =
                accounts.into_iter().find(|account| account.id == flow.account_id).unwrap_or_default();
            let partner_id =
                client.server_config().await.ok().and_then(|config| config.partner_id).unwrap_or_default();
            let origin = window().location().origin().unwrap_or_default();
            Ok::<_, String>(SendTarget { flow, json, account, partner_id, origin })
        }
    });
    let user = StoredValue::new(user);
    move || {
        loaded.get().map(|result| match result {
            Ok(target) => view! { <SendDialog target=target on_close=on_close user=user.get_value() /> }.into_any(),
            Err(error) => view! {
                <p class="field__error" role="alert" data-testid="send-load-error">{format!("The flow could not be loaded to send it: {error}")}</p>
            }
            .into_any(),
        })
    }
}
