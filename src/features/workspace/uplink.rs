//! Saving the open draft to its workspace flow as it changes: once the user pauses for
//! [`QUIET_MS`], one change in flight at a time, the latest state sent after it. The draft is
//! kept in this browser by autosave whatever happens here, so a change that cannot be sent
//! waits: it is sent again when the browser is back online, every [`RETRY_MS`] meanwhile, and
//! at the next change. A change someone else saved first stops the sending until the user
//! chooses (the conflict dialog); a refused change (read-only, too large) is said, not retried.
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::link::{link_untracked, set_link, text_of};
use super::{Saving, Workspace};
use crate::api::workspace::WsChange;
use crate::features::library::link::fingerprint;
use crate::state::EditorState;

/// How long a burst of edits may go unsent (the server keeps one version per burst anyway).
pub const QUIET_MS: u64 = 1_000;
/// How often a change that could not be sent is tried again.
pub const RETRY_MS: u64 = 15_000;

/// The sending's bookkeeping (one per app, in context).
#[derive(Clone, Copy)]
pub struct Uplink {
    state: EditorState,
    /// Bumped at each change; a scheduled send runs only if no change came after it.
    generation: StoredValue<u64>,
    /// A send is in flight.
    sending: StoredValue<bool>,
    /// Another change came while one was in flight.
    again: StoredValue<bool>,
    /// The editor's revision last sent successfully (what is "waiting" is the rest).
    acknowledged: StoredValue<u64>,
}

impl Uplink {
    /// The bookkeeping for `state`'s draft.
    pub fn new(state: EditorState) -> Uplink {
        Uplink {
            state,
            generation: StoredValue::new(0),
            sending: StoredValue::new(false),
            again: StoredValue::new(false),
            acknowledged: StoredValue::new(0),
        }
    }
}

/// Starts sending the open draft's changes to its workspace flow.
pub fn start(state: EditorState, workspace: Workspace) {
    let uplink = workspace.uplink;
    // What the status shows follows the link: a draft opened from (or added to) the workspace
    // starts saved.
    Effect::new(move |_| {
        let linked = super::link::link_tracked(state).is_some();
        let available = workspace.available.get();
        let saving = workspace.saving.get_untracked();
        if !(linked && available) {
            workspace.saving.set(Saving::Unlinked);
        } else if saving == Saving::Unlinked {
            // A draft restored with changes the server never got (a reload while offline)
            // sends them now; one that matches the server is simply saved.
            uplink.acknowledged.set_value(state.revision.get_untracked());
            workspace.saving.set(Saving::Sending);
            uplink.send(workspace);
        }
    });
    Effect::new(move |previous: Option<()>| {
        state.revision.track();
        if previous.is_none() {
            return;
        }
        let generation = uplink.generation.try_update_value(|g| {
            *g += 1;
            *g
        });
        set_timeout(
            move || {
                if uplink.generation.get_value() == generation.unwrap_or_default() {
                    uplink.send(workspace);
                }
            },
            std::time::Duration::from_millis(QUIET_MS),
        );
    });
    let online = window_event_listener(leptos::ev::online, move |_| uplink.send(workspace));
    // A change that could not be sent is tried again now and then (a server restart, a
    // network that came back without the browser noticing).
    let retry = set_interval_with_handle(
        move || {
            if matches!(workspace.saving.get_untracked(), Saving::Offline(_)) {
                uplink.send(workspace);
            }
        },
        std::time::Duration::from_millis(RETRY_MS),
    )
    .ok();
    on_cleanup(move || {
        online.remove();
        if let Some(retry) = retry {
            retry.clear();
        }
    });
}

impl Uplink {
    /// Sends the draft if it differs from what the server has, unless a conflict waits for
    /// the user or a send is in flight (then it goes after that one).
    pub fn send(self, workspace: Workspace) {
        if !workspace.available.get_untracked()
            || matches!(workspace.saving.get_untracked(), Saving::Conflict(_) | Saving::Refused(_))
        {
            return;
        }
        let Some(link) = link_untracked(self.state) else { return };
        if self.sending.get_value() {
            self.again.set_value(true);
            return;
        }
        let revision = self.state.revision.get_untracked();
        let text = self.state.document.with_untracked(text_of);
        let hash = fingerprint(&text);
        if hash == link.hash {
            self.acknowledged.set_value(revision);
            workspace.saving.set(Saving::Saved);
            return;
        }
        self.sending.set_value(true);
        workspace.saving.set(Saving::Sending);
        let change = WsChange { revision: link.revision, text: Some(text), ..WsChange::default() };
        let client = workspace.client();
        let user = workspace.user_name();
        spawn_local(async move {
            let result = client.ws_update(&link.id, &change, &user).await;
            self.sending.set_value(false);
            // The user may have opened another draft meanwhile: the answer is this link's.
            let still = link_untracked(self.state).is_some_and(|now| now.id == link.id);
            match result {
                Ok(flow) if still => {
                    set_link(self.state, Some(&super::WsLink { revision: flow.revision, hash, ..link }));
                    self.acknowledged.set_value(revision);
                    workspace.saving.set(Saving::Saved);
                }
                Ok(_) => {}
                Err(error) if error.is_offline() => {
                    let waiting =
                        self.state.revision.get_untracked().saturating_sub(self.acknowledged.get_value());
                    workspace.saving.set(Saving::Offline(waiting.max(1)));
                    return;
                }
                Err(error) if still && error.code == "stale_revision" => {
                    workspace.saving.set(Saving::Conflict(error.current.unwrap_or_default()));
                    return;
                }
                Err(error) if still => {
                    workspace.saving.set(Saving::Refused(error.for_people()));
                    return;
                }
                Err(_) => {}
            }
            if self.again.get_value() {
                self.again.set_value(false);
                self.send(workspace);
            }
        });
    }
}
