//! The team's workspace on the server (`flowsmith serve`'s `/api/flows…`): the open draft is
//! linked to a flow there and saved there as it changes (IndexedDB stays the offline copy and
//! queue); the Flows page (a bundle of its own, framed in a dialog) lists every flow of every
//! account, and its History shows and restores versions; a change someone else saved
//! meanwhile becomes a question, never an overwrite; the server's events keep lists and the
//! open flow up to date; controls the user's role does not allow are disabled (`access`).
//!
//! Without a workspace (the app served as static files, or the Partner API called directly
//! from the browser), none of this shows and the browser-only drafts work as before.
pub mod access;
pub mod add_dialog;
mod conflict_dialog;
mod events;
mod frame;
mod history;
mod link;
mod open;
pub mod page;
mod status;
mod uplink;
mod waits;
pub mod whatsapp;

use leptos::prelude::*;

pub use conflict_dialog::ConflictDialog;
pub use events::{listen_account_waits, listen_waits};
pub use frame::FlowsFrame;
pub use link::{WsLink, link_tracked, link_untracked};
pub use page::FlowsPage;
pub use status::WorkspaceStatus;
pub use waits::{AccountWait, AccountWaitNotice, hold as hold_wait};

use crate::api::workspace::{WsAccount, WsFlow};
use crate::api::{Browser, Client, Via};
use crate::features::library::Library;
use crate::state::EditorState;
use crate::tasks::Loaded;

/// localStorage key of the name this browser's user goes by in the history.
pub const USER_KEY: &str = "flowsmith-user-name";

/// Where the open draft's changes are with the server.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Saving {
    /// Not linked to a workspace flow.
    #[default]
    Unlinked,
    /// The server has the draft as it is.
    Saved,
    /// A change is on its way.
    Sending,
    /// The server cannot be reached: this many changes wait (kept in this browser meanwhile).
    Offline(u64),
    /// Someone saved the flow meanwhile: the flow as it is now. Nothing is sent until the user
    /// chooses.
    Conflict(Box<WsFlow>),
    /// The server refused the change (read-only, too large, gone): why.
    Refused(String),
}

/// The workspace's state in the app (all signals, so `Copy`).
#[derive(Clone, Copy)]
pub struct Workspace {
    /// Whether the server keeps a workspace and the app reaches it (not in direct mode).
    pub available: Memo<bool>,
    /// The accounts, once the workspace is available.
    pub accounts: Loaded<Option<Result<Vec<WsAccount>, String>>>,
    /// Who is signed in and their roles, once the workspace is available.
    pub session: Loaded<Option<access::Session>>,
    /// Bumped by every event of the workspace: lists reload on it.
    pub changes: RwSignal<u64>,
    /// The open draft's saving.
    pub saving: RwSignal<Saving>,
    /// The Flows page shown over the editor (its address), if it is.
    pub frame: RwSignal<Option<String>>,
    /// The connection (partner id, the library's dialog).
    pub library: Library,
    /// The last wait for Meta's rate limit the server told of (`whatsapp.waiting`), while it lasts.
    pub waiting: RwSignal<Option<AccountWait>>,
    uplink: uplink::Uplink,
}

impl Workspace {
    /// The client of the same-origin server.
    pub fn client(&self) -> Client<Browser> {
        Client::browser(Via::Server { origin: String::new() })
    }

    /// Sends the open draft now, whatever stopped the sending before (the user chose in a
    /// conflict, or asks to try a refused change again).
    pub fn send_now(&self) {
        self.saving.set(Saving::Sending);
        self.uplink.send(*self);
    }

    /// Why the signed-in user may not do what needs `needed` on `account` (either id of it;
    /// empty for "some account"), for a disabled control's title; `None` when they may (tracked).
    pub fn refusal(&self, needed: access::Role, account: &str) -> Option<String> {
        self.session.get().flatten().and_then(|session| session.refusal(needed, account))
    }

    /// The backend's id of a workspace account (360dialog's `…WA`), once the accounts loaded.
    pub fn external_id(&self, account_id: &str) -> String {
        self.accounts
            .get_untracked()
            .flatten()
            .and_then(Result::ok)
            .and_then(|list| list.into_iter().find(|account| account.id == account_id))
            .map(|account| account.external_id)
            .unwrap_or_default()
    }

    /// What people call the backend of the account WhatsApp knows as `external_id` (the
    /// connection badge: a stored Meta connection's account says Meta on a server in another
    /// mode); `None` until the accounts are known, or for an account they do not hold (tracked).
    pub fn backend_label(&self, external_id: &str) -> Option<&'static str> {
        let accounts = self.accounts.get().flatten()?.ok()?;
        let backend = accounts.into_iter().find(|account| account.external_id == external_id)?.backend;
        Some(match backend.as_str() {
            "graph" => "Meta",
            "sandbox" => "Sandbox",
            _ => "360dialog",
        })
    }

    /// The user's name, for the changes they send: read from this browser each time, since the
    /// Flows page (another document) is where it is set.
    pub fn user_name(&self) -> String {
        web_sys::window()
            .and_then(|window| window.local_storage().ok().flatten())
            .and_then(|storage| storage.get_item(USER_KEY).ok().flatten())
            .unwrap_or_default()
    }
}

/// Provides the workspace (called once by the shell): saving the open draft to the server,
/// listening to the server's events.
pub fn provide(state: EditorState, library: Library) -> Workspace {
    let available = Memo::new(move |_| library.through_workspace());
    let changes = RwSignal::new(0u64);
    let accounts = Loaded::new(move || {
        let on = available.get();
        async move {
            if !on {
                return None;
            }
            let client = Client::browser(Via::Server { origin: String::new() });
            Some(client.ws_accounts().await.map_err(|error| error.for_people()))
        }
    });
    let session = Loaded::new(move || {
        let on = available.get();
        async move {
            let client = Client::browser(Via::Server { origin: String::new() });
            // Without an answer nothing is disabled: the server still refuses what it must.
            if !on {
                return None;
            }
            client.ws_session().await.ok().map(|data| access::Session::read(&data))
        }
    });
    let workspace = Workspace {
        available,
        accounts,
        session,
        changes,
        saving: RwSignal::new(Saving::Unlinked),
        frame: RwSignal::new(None),
        library,
        waiting: RwSignal::new(None),
        uplink: uplink::Uplink::new(state),
    };
    provide_context(workspace);
    uplink::start(state, workspace);
    events::listen(state, workspace);
    // `/?flow=<id>` (the Flows page's Open, on its own) opens that flow once the workspace is known.
    if let Some(id) = page::query_param("flow") {
        Effect::new(move |done: Option<bool>| {
            if done == Some(true) || !available.get() || accounts.get().is_none() {
                return done.unwrap_or(false);
            }
            open::open_by_id(state, workspace, id.clone());
            if let Ok(history) = window().history() {
                let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some("/"));
            }
            true
        });
    }
    workspace
}

/// The workspace from context.
///
/// # Panics
/// Outside the shell (a programming error).
pub fn use_workspace() -> Workspace {
    expect_context::<Workspace>()
}

/// A time of the API (`2026-12-04T15:54:06.599Z`) as people read it: `2026-12-04 15:54`.
pub fn short_time(rfc3339: &str) -> String {
    rfc3339.get(..16).map_or_else(|| rfc3339.to_owned(), |start| start.replace('T', " "))
}
