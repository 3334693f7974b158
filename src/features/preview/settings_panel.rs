//! The preview's settings form, drawn in the embed page when the host keeps settings (the
//! editor does, with the draft): theme, the first screen's data (its `__example__` values or
//! custom JSON), the mock endpoint's answer to a data_exchange from the screen shown, and a
//! test endpoint: plain JSON, or the designer's own endpoint encrypted as WhatsApp calls it
//! (URL and public key, with its health check). Each change runs at once and goes back to the
//! host.
use leptos::prelude::*;
use serde_json::Value;

use crate::api::endpoint::EndpointTarget;

use super::endpoint_panel::HealthCheck;
use super::runtime;
use super::session::Session;
use super::settings::PreviewSettings;

/// Theme, the first screen's data, mock answers per screen, the test endpoint.
#[component]
pub fn SettingsPanel(
    /// The running flow (its screens and data models).
    session: Session,
    /// The settings shown.
    settings: RwSignal<PreviewSettings>,
    /// Called with the settings after each change.
    on_change: Callback<PreviewSettings>,
) -> impl IntoView {
    let change = move |edit: &dyn Fn(&mut PreviewSettings)| {
        let mut next = settings.get_untracked();
        edit(&mut next);
        settings.set(next.clone());
        on_change.run(next);
    };
    let screen =
        Memo::new(move |_| session.current().map(|visit| visit.screen.get_value()).unwrap_or_default());
    let examples = move || {
        session.flow.with_untracked(|flow| {
            let first = runtime::screen_ids(flow).into_iter().next().unwrap_or_default();
            let data = runtime::screen(flow, &first).map(runtime::example_data).unwrap_or_default();
            serde_json::to_string_pretty(&Value::Object(data)).unwrap_or_default()
        })
    };
    let target = Signal::derive(move || {
        settings.with(|s| {
            (s.encrypted && !s.endpoint.trim().is_empty())
                .then(|| EndpointTarget { url: s.endpoint.clone(), public_key: s.public_key.clone() })
        })
    });
    view! {
        <div class="preview-settings" data-testid="preview-settings">
            <label class="field">
                <span class="field__label">"Theme"</span>
                <select
                    data-testid="preview-theme-select"
                    prop:value=move || settings.with(|s| s.theme.clone())
                    on:change=move |event| { let theme = event_target_value(&event); change(&|s| s.theme = theme.clone()) }
                >
                    <option value="">"System"</option>
                    <option value="light">"Light"</option>
                    <option value="dark">"Dark"</option>
                </select>
            </label>
            <label class="field">
                <span class="field__label">"First screen's data"</span>
                <select
                    data-testid="preview-data-mode"
                    prop:value=move || if settings.with(|s| s.custom_data.is_some()) { "custom" } else { "examples" }
                    on:change=move |event| {
                        let custom = event_target_value(&event) == "custom";
                        let text = custom.then(examples);
                        change(&|s| s.custom_data = text.clone());
                    }
                >
                    <option value="examples">"The __example__ values of its data model"</option>
                    <option value="custom">"Custom JSON"</option>
                </select>
            </label>
            <Show when=move || settings.with(|s| s.custom_data.is_some())>
                <textarea
                    class="preview-settings__json"
                    data-testid="preview-custom-data"
                    rows="5"
                    spellcheck="false"
                    prop:value=move || settings.with(|s| s.custom_data.clone().unwrap_or_default())
                    on:change=move |event| { let text = event_target_value(&event); change(&|s| s.custom_data = Some(text.clone())) }
                ></textarea>
            </Show>
            <label class="field">
                <span class="field__label">{move || format!("Endpoint's answer to a data_exchange from {}", screen.get())}</span>
                <textarea
                    class="preview-settings__json"
                    data-testid="preview-mock"
                    rows="5"
                    spellcheck="false"
                    placeholder="{\"screen\": \"NEXT_SCREEN\", \"data\": {}}"
                    prop:value=move || settings.with(|s| s.mock_text(&screen.get()))
                    on:change=move |event| {
                        let (text, id) = (event_target_value(&event), screen.get_untracked());
                        change(&|s| {
                            if text.trim().is_empty() { s.mocks.remove(&id); } else { s.mocks.insert(id.clone(), Value::String(text.clone())); }
                        })
                    }
                ></textarea>
            </label>
            <label class="field">
                <span class="field__label">"Test endpoint"</span>
                <select
                    data-testid="preview-endpoint-mode"
                    prop:value=move || if settings.with(|s| s.encrypted) { "encrypted" } else { "plain" }
                    on:change=move |event| { let encrypted = event_target_value(&event) == "encrypted"; change(&|s| s.encrypted = encrypted) }
                >
                    <option value="plain">"Plain JSON, for screens without an answer"</option>
                    <option value="encrypted">"My endpoint, encrypted as WhatsApp calls it"</option>
                </select>
            </label>
            <label class="field">
                <span class="field__label">"Endpoint URL"</span>
                <input
                    type="url"
                    data-testid="preview-endpoint"
                    placeholder="http://localhost:3000/flow"
                    prop:value=move || settings.with(|s| s.endpoint.clone())
                    on:change=move |event| { let url = event_target_value(&event); change(&|s| s.endpoint = url.clone()) }
                />
            </label>
            <Show when=move || settings.with(|s| s.encrypted)>
                <label class="field">
                    <span class="field__label">"Its public key (PEM, as uploaded to WhatsApp; never the private key)"</span>
                    <textarea
                        class="preview-settings__json"
                        data-testid="preview-public-key"
                        rows="4"
                        spellcheck="false"
                        placeholder="-----BEGIN PUBLIC KEY-----"
                        prop:value=move || settings.with(|s| s.public_key.clone())
                        on:change=move |event| { let key = event_target_value(&event); change(&|s| s.public_key = key.clone()) }
                    ></textarea>
                </label>
                <HealthCheck target=target />
            </Show>
            <ul class="preview-settings__problems">
                {move || settings.with(PreviewSettings::problems).into_iter().map(|problem| view! { <li>{problem}</li> }).collect::<Vec<_>>()}
            </ul>
        </div>
    }
    .into_any()
}
