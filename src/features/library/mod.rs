//! The flows library: the connection to the Partner API, every flow of the account, and the
//! open draft's life on WhatsApp (save, preview, publish, deprecate, delete, clone, migrate).
//!
//! State: [`Library`] (connection, server mode, a change counter lists reload on) and
//! [`Actions`] (one `Action` per long operation, shared by every button that starts it, so
//! `.pending()` disables them all and nothing is submitted twice). The open draft's link to
//! its remote flow is kept with the draft ([`link`]).
mod clone_dialog;
mod confirm;
mod conflict_dialog;
mod connection;
mod connection_dialog;
mod details_dialog;
mod flow_actions;
mod flow_row;
mod library_dialog;
pub mod link;
mod migrate_dialog;
pub mod ops;
mod preview_pane;
mod publish_dialog;
mod remote_bar;

use leptos::prelude::*;

pub use connection::{ConnectionSettings, Library, use_library, via_of};
pub use preview_pane::PreviewPane;
pub use remote_bar::RemoteBar;

use crate::api::{Account, FlowInfo, Preview};
use crate::state::EditorState;
use ops::{Lifecycle, SaveRequest, Saved};

/// A lifecycle request: where, which flow (id and name), what.
pub type LifecycleRequest = (Account, String, String, Lifecycle);

/// A clone request: where, the source, the new name, whether to open the clone.
pub type CloneRequest = (Account, FlowInfo, String, bool);

/// What to clone: where, the source, whether to open the clone.
pub type CloneSource = (Account, FlowInfo, bool);

/// The library's long operations.
#[derive(Clone, Copy)]
pub struct Actions {
    /// Save the open draft.
    pub save: Action<SaveRequest, Result<Saved, String>>,
    /// Open a remote flow (account, flow id).
    pub open: Action<(Account, String), Result<String, String>>,
    /// Publish, deprecate or delete a flow.
    pub lifecycle: Action<LifecycleRequest, Result<String, String>>,
    /// Clone a flow.
    pub clone: Action<CloneRequest, Result<String, String>>,
    /// Get the open flow's preview link (`true`: a new one).
    pub preview: Action<bool, Result<Preview, String>>,
}

impl Actions {
    /// Whether any operation is running (buttons that start one are disabled).
    pub fn busy(&self) -> bool {
        self.save.pending().get()
            || self.open.pending().get()
            || self.lifecycle.pending().get()
            || self.clone.pending().get()
    }
}

/// Provides the library and its actions (called once by the shell).
pub fn provide(state: EditorState) -> (Library, Actions) {
    let library = Library::provide();
    let save = Action::new_local(move |request: &SaveRequest| {
        let request = request.clone();
        async move {
            let result = ops::save(state, library.client(), library.account(), request).await;
            match &result {
                Ok(Saved::Uploaded { errors: 0 }) => state.notify("Saved to WhatsApp; Meta found no errors."),
                // The errors stay listed under Problems; the message need not stay.
                Ok(Saved::Uploaded { errors }) => state.notify(format!(
                    "Saved to WhatsApp, but Meta found {errors} error(s): they are listed under Problems, marked WhatsApp."
                )),
                _ => {}
            }
            library.changes.update(|changes| *changes += 1);
            result
        }
    });
    let open = Action::new_local(move |(account, flow_id): &(Account, String)| {
        let (account, flow_id) = (account.clone(), flow_id.clone());
        async move {
            let result = ops::open(state, library.client(), account, flow_id).await;
            match &result {
                Ok(name) => state.notify(format!("Opened {name} from WhatsApp as a new draft.")),
                Err(message) => state.notify_error(message.clone()),
            }
            result
        }
    });
    let lifecycle = Action::new_local(move |request: &LifecycleRequest| {
        let (account, flow_id, name, operation) = request.clone();
        async move {
            let result = ops::lifecycle(state, library.client(), account, flow_id, name, operation).await;
            match &result {
                Ok(done) => state.notify(done.clone()),
                Err(message) => state.notify_error(message.clone()),
            }
            library.changes.update(|changes| *changes += 1);
            result
        }
    });
    let clone = Action::new_local(move |request: &CloneRequest| {
        let (account, source, name, open_it) = request.clone();
        async move {
            let client = library.client();
            let mut result = ops::clone_flow(client.clone(), account.clone(), source, name.clone()).await;
            if let Ok(id) = &result {
                if open_it {
                    result = ops::open(state, client, account, id.clone()).await.map(|_| id.clone());
                }
                if result.is_ok() {
                    state.notify(format!("Cloned as {name}."));
                }
            }
            if let Err(message) = &result {
                state.notify_error(message.clone());
            }
            library.changes.update(|changes| *changes += 1);
            result
        }
    });
    let preview = Action::new_local(move |invalidate: &bool| {
        let invalidate = *invalidate;
        async move {
            let Some(link) = link::remote_link_untracked(state) else {
                return Err(
                    "Save this flow to WhatsApp first: the preview shows the version saved there.".to_owned()
                );
            };
            library
                .client()
                .preview(&link.account(), &link.flow_id, invalidate)
                .await
                .map_err(|error| error.for_people())
        }
    });
    let actions = Actions { save, open, lifecycle, clone, preview };
    provide_context(actions);
    (library, actions)
}

/// The actions from context.
///
/// # Panics
/// Outside the shell (a programming error).
pub fn use_actions() -> Actions {
    expect_context::<Actions>()
}
