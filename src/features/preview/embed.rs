//! The `/embed` page: the phone preview without the editor. It loads a flow from `?flow=<url>`
//! (this server, or an origin the server allows), from `#flow=<base64url of raw deflate>`, or
//! from the page that frames it (`flowsmith:load`), and tells that page what happens
//! (`flowsmith:ready`, `flowsmith:screen`, `flowsmith:complete`, …), always naming its origin.
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::Value;
use wasm_bindgen::JsValue;

use super::bridge;
use super::endpoint_panel::EndpointLog;
use super::error::PreviewError;
use super::phone::{Controls, Phone};
use super::protocol::{self, EmbedEvent, HostMessage, Options};
use super::session::Session;
use super::settings::PreviewSettings;
use super::settings_panel::SettingsPanel;

/// What the page is doing.
#[derive(Debug, Clone, PartialEq)]
enum Status {
    /// No flow yet: waiting for the host's `flowsmith:load`.
    Waiting,
    /// Fetching or decoding a flow.
    Loading,
    /// A flow shows.
    Ready,
    /// The flow could not be loaded: why.
    Failed(String),
}

/// A query parameter of the page's address.
fn query(name: &str) -> Option<String> {
    let search = window().location().search().ok()?;
    search.trim_start_matches('?').split('&').find_map(|pair| {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        let decode = |text: &str| {
            js_sys::decode_uri_component(&text.replace('+', " ")).ok().and_then(|t| t.as_string())
        };
        (decode(key)? == name).then(|| decode(value)).flatten().filter(|value| !value.is_empty())
    })
}

/// The `flow=` part of the address's fragment.
fn fragment_flow() -> Option<String> {
    let hash = window().location().hash().ok()?;
    let hash = hash.strip_prefix('#').unwrap_or(&hash);
    hash.split('&')
        .find_map(|part| part.strip_prefix("flow="))
        .map(str::to_owned)
        .filter(|flow| !flow.is_empty())
}

/// Reads a flow's JSON text.
pub fn read_flow(text: &str) -> Result<Value, PreviewError> {
    match flow_model::json::read(text) {
        Ok(flow @ Value::Object(_)) => Ok(flow),
        Ok(_) => Err(PreviewError::NotAFlow),
        Err(error) => Err(PreviewError::FlowNotJson(error)),
    }
}

/// The embed page.
#[component]
pub fn EmbedApp() -> impl IntoView {
    let session = Session::new();
    let status = RwSignal::new(Status::Waiting);
    let theme = RwSignal::new(query("theme"));
    let parent = bridge::parent_window();
    // Where events go: the framing page's origin, learned from the browser (or `?origin=`),
    // else from the first message the parent sends.
    let host_origin = StoredValue::new(bridge::parent_origin());
    let post = {
        let parent = parent.clone();
        move |event: EmbedEvent| {
            if parent.is_undefined() {
                return;
            }
            if let Some(origin) = host_origin.get_value() {
                bridge::post_json(&parent, &event.to_json(), &origin);
            }
        }
    };
    let post = StoredValue::new_local(post);
    session.on_event(Callback::new(move |event| post.with_value(|post| post(event))));
    let editable = RwSignal::new(false);
    let show_settings = RwSignal::new(false);
    let settings = RwSignal::new(PreviewSettings::default());
    let show = move |text: &str, options: Options| match read_flow(text) {
        Ok(flow) => {
            if options.theme.is_some() && theme.with_untracked(|shown| *shown != options.theme) {
                theme.set(options.theme.clone());
            }
            session.load(flow, options);
            // Setting a signal notifies even when the value is the same: the phone would be
            // drawn again on every load.
            if status.with_untracked(|status| *status != Status::Ready) {
                status.set(Status::Ready);
            }
            // The next frame comes after the view is in the DOM: the first screen is drawn.
            request_animation_frame(bridge::mark_first_render);
        }
        Err(why) => {
            let message = why.to_string();
            status.set(Status::Failed(message.clone()));
            post.with_value(|post| post(EmbedEvent::Error { message }));
        }
    };
    let listener = {
        let parent = parent.clone();
        window_event_listener(leptos::ev::message, move |event| {
            let event: &JsValue = event.as_ref();
            if parent.is_undefined() {
                return;
            }
            let Some(json) = bridge::message_json(event, &parent) else { return };
            let origin = bridge::message_origin(event);
            match host_origin.get_value() {
                Some(expected) if expected != origin => return,
                None => host_origin.set_value(Some(origin)),
                _ => {}
            }
            match protocol::read_host_message(&json) {
                Some(HostMessage::Load { flow, options, settings: None }) => show(&flow, options),
                Some(HostMessage::Load { flow, options, settings: Some(kept) }) => {
                    let mut from_settings = kept.options();
                    from_settings.screen = options.screen;
                    if settings.with_untracked(|shown| *shown != kept) {
                        settings.set(kept);
                    }
                    if !editable.get_untracked() {
                        editable.set(true);
                    }
                    show(&flow, from_settings);
                }
                Some(HostMessage::Select { screen, component }) => {
                    if let Some(screen) = screen {
                        session.show_screen(&screen);
                    }
                    session.highlighted.set(component);
                    reveal_highlighted(session);
                }
                Some(HostMessage::Restart) => session.start(None),
                None => {}
            }
        })
    };
    on_cleanup(move || listener.remove());
    load_from_address(status, show);
    post.with_value(|post| post(EmbedEvent::Ready { version: protocol::VERSION }));
    let settings_changed = Callback::new(move |changed: PreviewSettings| {
        let flow = session.flow.with_untracked(|flow| (**flow).clone());
        let options = changed.options();
        theme.set(options.theme.clone());
        session.load(flow, options);
        post.with_value(|post| post(EmbedEvent::Settings { settings: changed }));
    });
    view! {
        <div class="preview-embed">
            <Controls session=session theme=theme />
            <Show when=move || editable.get()>
                <button
                    type="button"
                    class="preview-controls__button preview-settings__toggle"
                    data-testid="preview-settings-toggle"
                    aria-expanded=move || show_settings.get().to_string()
                    on:click=move |_| show_settings.update(|shown| *shown = !*shown)
                >
                    "Data & endpoint"
                </button>
                <Show when=move || show_settings.get()>
                    <SettingsPanel session=session settings=settings on_change=settings_changed />
                </Show>
            </Show>
            {move || match status.get() {
                Status::Ready => view! {
                    <div class="preview-embed__stage">
                        <Phone session=session theme=theme />
                        <Show when=move || session.options.with(|options| options.public_key.is_some())>
                            <EndpointLog session=session />
                        </Show>
                    </div>
                }.into_any(),
                Status::Waiting => notice("Waiting for a flow…", "preview-waiting"),
                Status::Loading => notice("Loading the flow…", "preview-loading"),
                Status::Failed(why) => notice(&why, "preview-load-error"),
            }}
        </div>
    }
    .into_any()
}

fn notice(text: &str, testid: &'static str) -> AnyView {
    view! { <p class="preview-notice" data-testid=testid>{text.to_owned()}</p> }.into_any()
}

/// Loads `?flow=` or `#flow=` when the address has one.
fn load_from_address(status: RwSignal<Status>, show: impl Fn(&str, Options) + Copy + 'static) {
    let options = Options { screen: query("screen"), ..Options::default() };
    if let Some(url) = query("flow") {
        status.set(Status::Loading);
        spawn_local(async move {
            match flow_url(&url) {
                Ok(url) => match bridge::fetch_text(&url).await {
                    Ok(text) => show(&text, options),
                    Err(error) => status.set(Status::Failed(format!(
                        "The flow at {url} could not be loaded: {error}. Flows load from this server, or from \
                         origins the server allows with --preview-origin."
                    ))),
                },
                Err(why) => status.set(Status::Failed(why.to_string())),
            }
        });
    } else if let Some(fragment) = fragment_flow() {
        status.set(Status::Loading);
        spawn_local(async move {
            match bridge::inflate_fragment(&fragment).await {
                Ok(text) => show(&text, options),
                Err(error) => status.set(Status::Failed(format!(
                    "The flow in the address (#flow=) could not be decoded: {error}. It must be base64url \
                     of raw-deflated flow.json."
                ))),
            }
        });
    }
}

/// `?flow=` resolved against the page: only http(s) addresses.
fn flow_url(url: &str) -> Result<String, PreviewError> {
    let base = window().location().href().unwrap_or_default();
    let resolved =
        web_sys::Url::new_with_base(url, &base).map_err(|_| PreviewError::NotAnAddress(url.to_owned()))?;
    let protocol = resolved.protocol();
    if protocol != "https:" && protocol != "http:" {
        return Err(PreviewError::NotHttp(url.to_owned()));
    }
    Ok(resolved.href())
}

/// Scrolls the highlighted component into view once it is drawn.
fn reveal_highlighted(session: Session) {
    request_animation_frame(move || {
        let Some(pointer) = session.highlighted.get_untracked() else { return };
        let escaped = pointer.replace('\\', "\\\\").replace('"', "\\\"");
        let selector = format!("[data-pointer=\"{escaped}\"]");
        if let Ok(Some(element)) = document().query_selector(&selector) {
            element.scroll_into_view_with_bool(false);
        }
    });
}
