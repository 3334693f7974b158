//! The connection to the Partner API: partner id, WhatsApp Business Account, and how the API
//! is reached (through this server, or directly with a key). Remembered per browser in
//! localStorage; a direct-mode key only in sessionStorage (gone when the tab closes).
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::{Map, Value};

use crate::api::{Account, ApiError, Browser, Client, ServerConfig, Via};

const SETTINGS_KEY: &str = "flowsmith-connection";
const KEY_KEY: &str = "flowsmith-partner-api-key";

/// What the user chose.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ConnectionSettings {
    /// `…PA`
    pub partner_id: String,
    /// `…WA`
    pub waba_id: String,
    /// Call the API directly from the browser with a key.
    pub direct: bool,
    /// The base URL of direct mode.
    pub base_url: String,
}

impl ConnectionSettings {
    fn to_json(&self) -> String {
        let mut object = Map::new();
        object.insert("partner_id".into(), Value::from(self.partner_id.clone()));
        object.insert("waba_id".into(), Value::from(self.waba_id.clone()));
        object.insert("direct".into(), Value::from(self.direct));
        object.insert("base_url".into(), Value::from(self.base_url.clone()));
        flow_model::json::compact(&Value::Object(object))
    }

    fn from_json(json: &str) -> Option<Self> {
        let value = flow_model::json::read(json).ok()?;
        let text = |key: &str| value.get(key).and_then(Value::as_str).unwrap_or_default().to_owned();
        Some(ConnectionSettings {
            partner_id: text("partner_id"),
            waba_id: text("waba_id"),
            direct: value.get("direct").and_then(Value::as_bool).unwrap_or_default(),
            base_url: text("base_url"),
        })
    }
}

fn local() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

fn session() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok()?
}

/// The library's shared state: the connection and what the server said about itself.
#[derive(Clone, Copy)]
pub struct Library {
    /// The connection settings (saved on change by [`Library::save_settings`]).
    pub settings: RwSignal<ConnectionSettings>,
    /// The direct-mode key (sessionStorage only).
    pub key: RwSignal<String>,
    /// `/flowsmith/config`, once asked.
    pub server: RwSignal<Option<Result<ServerConfig, ApiError>>>,
    /// Bumped after any change on WhatsApp, so lists reload.
    pub changes: RwSignal<u64>,
}

impl Library {
    /// Reads the remembered connection, provides the library as context, and asks the server
    /// about itself (filling in its partner id when none is chosen yet). In sandbox mode with
    /// no account chosen, the sandbox's first account is chosen (for this page, not kept), so
    /// Flows… and Save to WhatsApp work at once.
    pub fn provide() -> Library {
        let stored = local()
            .and_then(|storage| storage.get_item(SETTINGS_KEY).ok().flatten())
            .and_then(|json| ConnectionSettings::from_json(&json))
            .unwrap_or_default();
        let key = session().and_then(|storage| storage.get_item(KEY_KEY).ok().flatten()).unwrap_or_default();
        let library = Library {
            settings: RwSignal::new(stored),
            key: RwSignal::new(key),
            server: RwSignal::new(None),
            changes: RwSignal::new(0),
        };
        provide_context(library);
        spawn_local(async move {
            let config = Client::browser(Via::Server { origin: String::new() }).server_config().await;
            if let Ok(config) = &config
                && let Some(partner) = &config.partner_id
                && library.settings.with_untracked(|settings| settings.partner_id.is_empty())
            {
                library.settings.update(|settings| settings.partner_id.clone_from(partner));
            }
            // The sandbox and Meta (graph mode) list their accounts: the first is chosen.
            let sandbox = config.as_ref().is_ok_and(|config| config.is_sandbox() || config.mode == "graph");
            library.server.set(Some(config));
            let (partner, unchosen) = library
                .settings
                .with_untracked(|s| (s.partner_id.clone(), s.waba_id.is_empty() && !s.direct));
            if sandbox
                && unchosen
                && let Ok(accounts) =
                    Client::browser(Via::Server { origin: String::new() }).waba_accounts(&partner).await
                && let Some(first) = accounts.first()
                && library.settings.with_untracked(|settings| settings.waba_id.is_empty())
            {
                library.settings.update(|settings| settings.waba_id.clone_from(&first.id));
            }
        });
        library
    }

    /// Remembers the settings in this browser (and the key for this tab only).
    pub fn save_settings(&self, settings: ConnectionSettings, key: String) {
        if let Some(storage) = local() {
            let _ = storage.set_item(SETTINGS_KEY, &settings.to_json());
        }
        if let Some(storage) = session() {
            let _ = if settings.direct && !key.is_empty() {
                storage.set_item(KEY_KEY, &key)
            } else {
                storage.remove_item(KEY_KEY)
            };
        }
        self.key.set(if settings.direct { key } else { String::new() });
        self.settings.set(settings);
        self.changes.update(|changes| *changes += 1);
    }

    /// The client for the current settings.
    pub fn client(&self) -> Client<Browser> {
        let settings = self.settings.get_untracked();
        Client::browser(via_of(&settings, &self.key.get_untracked()))
    }

    /// The chosen account.
    pub fn account(&self) -> Account {
        self.settings.with_untracked(|settings| Account {
            partner_id: settings.partner_id.clone(),
            waba_id: settings.waba_id.clone(),
        })
    }

    /// Whether the app's calls go through a server that keeps a workspace (and so tells of its
    /// events, rate-limit waits included); not in direct mode (tracked).
    pub fn through_workspace(&self) -> bool {
        let direct = self.settings.with(|settings| settings.direct);
        !direct && self.server.with(|server| matches!(server, Some(Ok(config)) if config.workspace))
    }

    /// The badge text: where calls go.
    pub fn mode_label(&self) -> String {
        if self.settings.with(|settings| settings.direct) {
            return "Direct (key in browser)".to_owned();
        }
        match self.server.get() {
            None => "Connecting…".to_owned(),
            Some(Ok(config)) if config.is_sandbox() => "Sandbox".to_owned(),
            Some(Ok(config)) if config.mode == "graph" => "Meta".to_owned(),
            Some(Ok(_)) => "360dialog".to_owned(),
            Some(Err(_)) => "No server".to_owned(),
        }
    }
}

/// How a settings value reaches the API.
pub fn via_of(settings: &ConnectionSettings, key: &str) -> Via {
    if settings.direct {
        Via::Direct { base: settings.base_url.trim().to_owned(), key: key.to_owned() }
    } else {
        Via::Server { origin: String::new() }
    }
}

/// The library from context.
///
/// # Panics
/// Outside the shell (a programming error).
pub fn use_library() -> Library {
    expect_context::<Library>()
}
