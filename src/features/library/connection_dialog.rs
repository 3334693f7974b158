use leptos::prelude::*;

use super::connection::{ConnectionSettings, via_of};
use super::use_library;
use crate::api::Client;
use crate::components::{Dialog, DialogActions};
use crate::tasks::Loaded;

/// The connection: partner id, the WhatsApp Business Account (picked from the partner's
/// channel listing), and the mode: through this server (the key stays there) or directly
/// from the browser with a key (warned). Remembered in this browser.
#[component]
pub fn ConnectionDialog(open: RwSignal<bool>) -> impl IntoView {
    let library = use_library();
    let workspace = use_context::<crate::features::workspace::Workspace>();
    let close = Callback::new(move |()| open.set(false));
    view! {
        <Dialog open=open on_close=close title="Connection to WhatsApp" testid="connection-dialog">
            <Show when=move || open.get()>
                {move || {
                    let initial = library.settings.get_untracked();
                    let settings = RwSignal::new(initial.clone());
                    let key = RwSignal::new(library.key.get_untracked());
                    // The accounts load for the partner id once it is typed (on change, not per key).
                    let asked = RwSignal::new(initial.partner_id.clone());
                    let accounts = Loaded::new(move || {
                        let partner = asked.get();
                        // The mode is tracked; the base URL and key are read as they are then
                        // (a reload per keystroke would be wasted).
                        settings.with(|s| s.direct);
                        let via = settings.with_untracked(|s| via_of(s, &key.get_untracked()));
                        async move {
                            if partner.trim().is_empty() {
                                return Ok(Vec::new());
                            }
                            Client::browser(via).waba_accounts(partner.trim()).await.map_err(|e| e.for_people())
                        }
                    });
                    let edit = move |change: fn(&mut ConnectionSettings, String)| {
                        move |event| settings.update(|s| change(s, event_target_value(&event)))
                    };
                    let refused = RwSignal::new(None::<&'static str>);
                    let save = move |_| {
                        let chosen = settings.get_untracked();
                        let base = chosen.base_url.trim();
                        let problem = if !chosen.direct {
                            None
                        } else if !(base.starts_with("https://") || base.starts_with("http://")) {
                            Some("Direct mode needs the Partner API base URL, starting with https://.")
                        } else if key.with_untracked(|key| key.trim().is_empty()) {
                            Some("Direct mode needs your partner API key.")
                        } else {
                            None
                        };
                        refused.set(problem);
                        if problem.is_none() {
                            library.save_settings(chosen, key.get_untracked().trim().to_owned());
                            close.run(());
                        }
                    };
                    view! {
                        <p class="muted">
                            "Mode: " <strong data-testid="connection-mode">{move || library.mode_label()}</strong>
                            {move || library.server.with(|s| match s {
                                Some(Ok(config)) if config.is_sandbox() => " — a local stand-in of the Partner API: nothing reaches WhatsApp.",
                                Some(Ok(config)) if config.mode == "graph" => " — calls go to Meta's Graph API with the server's token.",
                                Some(Ok(_)) => " — calls go to 360dialog with the server's key.",
                                _ => "",
                            })}
                        </p>
                        <label class="field">
                            <span class="field__label">"Partner id"</span>
                            <input data-testid="partner-id" placeholder="e.g. abcdPA" prop:value=move || settings.with(|s| s.partner_id.clone())
                                on:input=edit(|s, v| s.partner_id = v.trim().to_owned())
                                on:change=move |e| asked.set(event_target_value(&e)) />
                        </label>
                        <label class="field">
                            <span class="field__label">"WhatsApp Business Account"</span>
                            <select data-testid="waba-picker" prop:value=move || settings.with(|s| s.waba_id.clone())
                                on:change=edit(|s, v| s.waba_id = v)>
                                <option value="">"Choose an account…"</option>
                                {move || accounts.get().and_then(Result::ok).unwrap_or_default().into_iter().map(|account| {
                                    // Which backend it is reached through, where the workspace says (a
                                    // stored Meta connection's account beside the server's own).
                                    let label = match workspace.and_then(|w| w.backend_label(&account.id)) {
                                        Some(backend) => format!("{} ({}) · {backend}", account.name, account.id),
                                        None => format!("{} ({})", account.name, account.id),
                                    };
                                    let selected = settings.with_untracked(|s| s.waba_id == account.id);
                                    view! { <option value=account.id selected=selected>{label}</option> }
                                }).collect_view()}
                            </select>
                        </label>
                        <p class="field__error" role="alert" data-testid="connection-error">
                            {move || accounts.get().and_then(Result::err)}
                        </p>
                        <Show when=move || accounts.get().is_none()>
                            <p class="muted">"Loading the partner's accounts…"</p>
                        </Show>
                        <fieldset class="connection__mode">
                            <legend class="field__label">"How the app reaches the Partner API"</legend>
                            <label><input type="radio" name="via" data-testid="via-server" prop:checked=move || settings.with(|s| !s.direct)
                                on:change=move |_| settings.update(|s| s.direct = false) />
                                " Through this server (recommended: the API key stays on the server)"</label>
                            <label><input type="radio" name="via" data-testid="via-direct" prop:checked=move || settings.with(|s| s.direct)
                                on:change=move |_| settings.update(|s| s.direct = true) />
                                " Directly from this browser, with my key"</label>
                        </fieldset>
                        <Show when=move || settings.with(|s| s.direct)>
                            <p class="warning" role="alert" data-testid="direct-warning">
                                "Your partner API key will be sent from this browser: any script on this page, extension or "
                                "person with access to this tab can read it. It is kept for this tab only (sessionStorage). "
                                "Prefer the server mode, which keeps the key on the server."
                            </p>
                            <label class="field">
                                <span class="field__label">"Partner API base URL"</span>
                                <input data-testid="direct-base" placeholder="https://hub.360dialog.io" prop:value=move || settings.with(|s| s.base_url.clone())
                                    on:input=edit(|s, v| s.base_url = v.trim().to_owned()) />
                            </label>
                            <label class="field">
                                <span class="field__label">"Partner API key"</span>
                                <input data-testid="direct-key" type="password" autocomplete="off" prop:value=move || key.get()
                                    on:input=move |e| key.set(event_target_value(&e)) />
                            </label>
                        </Show>
                        <p class="field__error" role="alert" data-testid="connection-refused">{move || refused.get()}</p>
                        <DialogActions on_cancel=close label="Use this connection" on_confirm=Callback::new(save) testid="connection-save" />
                    }
                }}
            </Show>
        </Dialog>
    }
    .into_any()
}
