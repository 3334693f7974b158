use flow_model::message::FlowMessage;
use leptos::prelude::*;
use serde_json::Value;

/// One flow message in a test phone's chat, as WhatsApp draws it: header, body, footer, and the
/// button that opens the flow (`on_open`); then the phone's reply once the flow completed.
#[component]
pub fn ChatMessage(message: Value, reply: Option<Value>, on_open: Callback<()>) -> impl IntoView {
    let read = FlowMessage::from_json(&message);
    let bubble = match read {
        Ok(message) => view! {
            <div class="chat__bubble" data-testid="chat-message">
                {message.header.map(|header| view! { <strong class="chat__header" data-testid="chat-header">{header}</strong> })}
                <p class="chat__body" data-testid="chat-body">{message.body}</p>
                {message.footer.map(|footer| view! { <p class="chat__footer muted" data-testid="chat-footer">{footer}</p> })}
                {(message.mode == flow_model::message::Mode::Draft).then(|| view! { <p class="chat__footer muted">"Draft"</p> })}
                <button type="button" class="chat__cta" data-testid="chat-cta" on:click=move |_| on_open.run(())>{message.cta}</button>
            </div>
        }
        .into_any(),
        Err(problem) => view! {
            <div class="chat__bubble" data-testid="chat-message"><p class="field__error">{format!("Not a flow message: {}", problem.message())}</p></div>
        }
        .into_any(),
    };
    let answer = reply.map(|reply| {
        let fields: Vec<(String, String)> = reply
            .as_object()
            .map(|object| {
                object
                    .iter()
                    .filter(|(key, _)| key.as_str() != "flow_token")
                    .map(|(key, value)| (key.clone(), value.as_str().map_or_else(|| value.to_string(), str::to_owned)))
                    .collect()
            })
            .unwrap_or_default();
        view! {
            <div class="chat__bubble chat__bubble--reply" data-testid="chat-reply">
                <p class="muted">"Sent"</p>
                <dl>{fields.into_iter().map(|(key, value)| view! { <dt>{key}</dt><dd>{value}</dd> }).collect_view()}</dl>
            </div>
        }
    });
    view! { <div class="chat__turn">{bubble}{answer}</div> }.into_any()
}
