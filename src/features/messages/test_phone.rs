use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::{Map, Value, json};
use wasm_bindgen::JsValue;

use super::chat::ChatMessage;
use super::client;
use crate::api::workspace::WsQuery;
use crate::features::preview::bridge;
use crate::tasks::Loaded;

/// A message whose flow is open on the test phone.
#[derive(Debug, Clone, PartialEq)]
struct Opening {
    message_id: String,
    message: Value,
}

/// The sandbox's test phones (sandbox mode): each number's chat as WhatsApp draws it. A
/// message's button opens its flow in the phone preview (`/embed`) with the message's first
/// screen, data and flow token; completing it delivers the reply through the sandbox (as a
/// webhook delivery, forwarded when the server forwards them), and the reply shows in the chat.
#[component]
pub fn TestPhones() -> impl IntoView {
    let phones =
        Loaded::new(move || async move { client().test_phones().await.map_err(|error| error.for_people()) });
    let opening = RwSignal::new(None::<Opening>);
    let notice = RwSignal::new(None::<(bool, String)>);
    let delivered = Callback::new(move |outcome: Result<(), String>| {
        opening.set(None);
        notice.set(Some(match outcome {
            Ok(()) => (
                false,
                "The reply was delivered: it is in the chat and among the flow's responses.".to_owned(),
            ),
            Err(error) => (true, format!("The reply was not delivered: {error}")),
        }));
        phones.reload();
    });
    let chats = move || {
        phones.get().map(|result| match result {
            Err(error) => {
                view! { <p class="field__error" role="alert" data-testid="test-phones-error">{error}</p> }
                    .into_any()
            }
            Ok(list) => list
                .into_iter()
                .map(|phone| {
                    let turns = phone
                        .messages
                        .into_iter()
                        .map(|received| {
                            let open = Opening {
                                message_id: received.message_id.clone(),
                                message: received.message.clone(),
                            };
                            view! {
                                <ChatMessage message=received.message reply=received.reply
                                    on_open=Callback::new(move |()| opening.set(Some(open.clone()))) />
                            }
                        })
                        .collect_view();
                    view! {
                        <section class="test-phone" data-testid="test-phone" data-phone=phone.phone.clone()>
                            <h3>{format!("{} · {}", phone.name, phone.phone)}</h3>
                            <div class="chat">{turns}</div>
                        </section>
                    }
                })
                .collect_view()
                .into_any(),
        })
    };
    view! {
        <div class="test-phones" data-testid="test-phones">
            <p class="muted">"Send a flow to one of these numbers (Send… on a flow), then open it here as a phone would. Nothing reaches WhatsApp."</p>
            <button class="button button--small" data-testid="test-phones-refresh" on:click=move |_| phones.reload()>"Refresh"</button>
            <p role="status" data-testid="test-phone-notice" class:field__error=move || notice.with(|n| n.as_ref().is_some_and(|n| n.0))>
                {move || notice.get().map(|(_, text)| text)}
            </p>
            <div class="test-phones__list">{chats}</div>
            {move || opening.get().map(|open| view! { <OpenFlow opening=open on_done=delivered on_close=Callback::new(move |()| opening.set(None)) /> })}
        </div>
    }
    .into_any()
}

/// The flow of a received message in the phone preview, started as the message asks; its
/// completion is delivered as the phone's reply.
/// Flows read per page while looking for the one a message names (the list's largest page).
const LIST_PAGE: i64 = 100;

#[component]
fn OpenFlow(
    opening: Opening,
    on_done: Callback<Result<(), String>>,
    on_close: Callback<()>,
) -> impl IntoView {
    let parameters =
        opening.message.pointer("/interactive/action/parameters").cloned().unwrap_or(Value::Null);
    let meta_id = parameters.get("flow_id").and_then(Value::as_str).unwrap_or_default().to_owned();
    // The workspace's flow WhatsApp knows by this id: its flow.json is what the phone opens.
    let flow = Loaded::new(move || {
        let meta_id = meta_id.clone();
        async move {
            let client = client();
            // Page by page, so a workspace of any size finds it.
            let mut query = WsQuery { page: 1, limit: LIST_PAGE, ..WsQuery::default() };
            let found = loop {
                let page = client.ws_list(&query).await.map_err(|e| e.for_people())?;
                let listed = page.items.len();
                let found = page
                    .items
                    .into_iter()
                    .find(|flow| flow.meta_flow_id.as_deref() == Some(meta_id.as_str()));
                if found.is_some() || listed < LIST_PAGE as usize {
                    break found;
                }
                query.page += 1;
            };
            let found =
                found.ok_or_else(|| format!("No flow of the workspace is flow {meta_id} on WhatsApp"))?;
            client.ws_get(&found.id).await.map(|(_, json)| json).map_err(|e| e.for_people())
        }
    });
    let frame = NodeRef::<leptos::html::Iframe>::new();
    let origin = window().location().origin().unwrap_or_default();
    let payload = parameters.get("flow_action_payload").cloned().unwrap_or(Value::Null);
    let mut options = Map::new();
    for (key, value) in [
        ("screen", payload.get("screen")),
        ("data", payload.get("data")),
        ("flow_token", parameters.get("flow_token")),
    ] {
        if let Some(value) = value {
            options.insert(key.to_owned(), value.clone());
        }
    }
    let message_id = StoredValue::new(opening.message_id);
    let origin_for_listener = origin.clone();
    let listener = window_event_listener(leptos::ev::message, move |event| {
        let event: &JsValue = event.as_ref();
        let Some(element) = frame.get_untracked() else { return };
        let target = bridge::frame_window(element.as_ref());
        let Some(text) = bridge::message_json(event, &target) else { return };
        let Ok(message) = flow_model::json::read(&text) else { return };
        match message.get("type").and_then(Value::as_str) {
            Some("flowsmith:ready") => {
                let Some(Ok(flow)) = flow.get_untracked() else { return };
                let load = json!({"type": "flowsmith:load", "flow": flow_model::json::compact(&flow), "options": options});
                bridge::post_json(&target, &flow_model::json::compact(&load), &origin_for_listener);
            }
            Some("flowsmith:complete") => {
                let response =
                    message.get("response").and_then(Value::as_object).cloned().unwrap_or_default();
                let id = message_id.get_value();
                spawn_local(async move {
                    let outcome = client()
                        .complete_test_message(&id, &response)
                        .await
                        .map(drop)
                        .map_err(|e| e.for_people());
                    on_done.run(outcome);
                });
            }
            _ => {}
        }
    });
    on_cleanup(move || listener.remove());
    view! {
        <div class="test-phone__open" data-testid="test-phone-open">
            <button class="button button--small" data-testid="test-phone-close" on:click=move |_| on_close.run(())>"Close"</button>
            {move || flow.get().map(|loaded| match loaded {
                // The frame loads once the flow is here: its `flowsmith:ready` is answered with it.
                Ok(_) => view! { <iframe node_ref=frame class="test-phone__frame" data-testid="test-phone-preview" src="/embed" title="The flow on the test phone"></iframe> }.into_any(),
                Err(error) => view! { <p class="field__error" role="alert" data-testid="test-phone-flow-error">{error}</p> }.into_any(),
            })}
        </div>
    }
    .into_any()
}
