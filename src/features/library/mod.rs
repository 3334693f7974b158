//! The flows library: the connection to the Partner API, every flow of the account, and the
//! open draft's life on WhatsApp (save, preview, publish, deprecate, delete, clone, migrate).
//!
//! State: [`Library`] (connection, server mode, a change counter lists reload on) and
//! [`Actions`] (one [`Task`] runs every long operation, a [`Job`], shared by every button that
//! starts one, so `.pending()` disables them all and nothing is submitted twice; a second gets
//! preview links). The open draft's link to its remote flow is kept with the draft ([`link`]).
mod clone_dialog;
mod confirm;
mod conflict_dialog;
mod connection;
mod connection_dialog;
mod details_dialog;
mod error;
mod flow_actions;
mod flow_row;
pub mod link;
mod migrate_dialog;
pub mod ops;
mod preview_pane;
mod publish_dialog;
mod remote_bar;
mod whatsapp_list;

use leptos::prelude::*;

pub use connection::{ConnectionSettings, Library, use_library, via_of};
pub use error::{Failure, LibraryError};
pub use preview_pane::WhatsAppPreview;
pub use remote_bar::RemoteBar;
pub use whatsapp_list::{OPEN_WHATSAPP_MESSAGE, WhatsAppFlows};

use crate::api::{Account, FlowInfo, Preview};
use crate::features::workspace::{Workspace, whatsapp};
use crate::state::EditorState;
use crate::tasks::Task;
use ops::{Lifecycle, SaveRequest, Saved};

/// A lifecycle request: where, which flow (id and name), what.
pub type LifecycleRequest = (Account, String, String, Lifecycle);

/// A clone request: where, the source, the new name, whether to open the clone.
pub type CloneRequest = (Account, FlowInfo, String, bool);

/// What to clone: where, the source, whether to open the clone.
pub type CloneSource = (Account, FlowInfo, bool);

/// A long operation on WhatsApp. All run through one [`Task`]: one runs at a time, and every
/// button that starts one is disabled meanwhile (nothing is submitted twice).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Job {
    /// Save the open draft.
    Save(SaveRequest),
    /// Open a remote flow (account, flow id).
    Open(Account, String),
    /// Publish, deprecate or delete a flow.
    Lifecycle(LifecycleRequest),
    /// Clone a flow.
    Clone(CloneRequest),
}

/// How a job ended (with the job, so a failure can be retried as it was).
pub type JobResult = (Job, Result<Option<Saved>, LibraryError>);

/// The library's actions: the jobs, and the preview link (its own, as the pane shows it while
/// other jobs run).
#[derive(Clone, Copy)]
pub struct Actions {
    /// Save, open, lifecycle and clone.
    pub job: Task<Job, JobResult>,
    /// Get the open flow's preview link (`true`: a new one).
    pub preview: Task<bool, Result<Preview, LibraryError>>,
}

impl Actions {
    /// Whether a job is running (buttons that start one are disabled).
    pub fn busy(&self) -> bool {
        self.job.pending()
    }

    /// Starts a job unless one is running.
    pub fn run(&self, job: Job) {
        self.job.start(job);
    }

    /// Whether the running job is a save.
    pub fn saving(&self) -> bool {
        self.job.with_input(|job| matches!(job, Some(Job::Save(_))))
    }

    /// The last save's outcome, while it is the last job's.
    pub fn saved(&self) -> Option<Result<Saved, LibraryError>> {
        self.job.with_value(|value| match value {
            Some((Job::Save(_), result)) => Some(result.clone().map(Option::unwrap_or_default)),
            _ => None,
        })
    }

    /// Forgets the last job's outcome (a dismissed failure, a closed question).
    pub fn forget(&self) {
        self.job.forget();
    }
}

async fn run_job(
    state: EditorState,
    library: Library,
    workspace: Workspace,
    job: Job,
) -> Result<Option<Saved>, LibraryError> {
    let client = library.client();
    // A draft of the team's workspace goes to WhatsApp through the workspace.
    let through_workspace = whatsapp::handles(state, workspace);
    let result = match job {
        Job::Lifecycle((_, flow_id, _, operation))
            if through_workspace
                && operation != Lifecycle::Delete
                && link::remote_link_untracked(state).is_some_and(|link| link.flow_id == flow_id) =>
        {
            let operation = if operation == Lifecycle::Publish { "publish" } else { "deprecate" };
            whatsapp::lifecycle(state, workspace, operation).await
        }
        Job::Save(request) => {
            let saved = if through_workspace {
                let partner = library.settings.with_untracked(|settings| settings.partner_id.clone());
                whatsapp::save(state, workspace, partner, request.details).await?
            } else {
                ops::save(state, client, library.account(), request).await?
            };
            if let Saved::Uploaded { errors } = saved {
                state.notify(match errors {
                    0 => "Saved to WhatsApp; Meta found no errors.".to_owned(),
                    // The errors stay listed under Problems; the message need not stay.
                    n => format!(
                        "Saved to WhatsApp, but Meta found {n} error(s): see Problems, marked WhatsApp."
                    ),
                });
            }
            return Ok(Some(saved));
        }
        Job::Open(account, flow_id) => ops::open(state, client, account, flow_id)
            .await
            .map(|name| format!("Opened {name} from WhatsApp as a new draft.")),
        Job::Lifecycle((account, flow_id, name, operation)) => {
            ops::lifecycle(state, client, account, flow_id, name, operation).await
        }
        Job::Clone((account, source, name, open_it)) => {
            match ops::clone_flow(client.clone(), account.clone(), source, name.clone()).await {
                Ok(id) if open_it => {
                    ops::open(state, client, account, id).await.map(|_| format!("Cloned as {name}."))
                }
                Ok(_) => Ok(format!("Cloned as {name}.")),
                Err(message) => Err(message),
            }
        }
    };
    result.map(|done| {
        state.notify(done);
        None
    })
}

/// Provides the library, the workspace and their actions (called once by the shell).
pub fn provide(state: EditorState) -> (Library, Actions) {
    let library = Library::provide();
    let workspace = crate::features::workspace::provide(state, library);
    let job = Task::new(move |job: Job| {
        async move {
            let result = run_job(state, library, workspace, job.clone()).await;
            // A failed save is shown by the toolbar with a retry; others as a notice.
            if let (Err(error), false) = (&result, matches!(job, Job::Save(_))) {
                state.notify_error(error.to_string());
            }
            library.changes.update(|changes| *changes += 1);
            (job, result)
        }
    });
    let preview = Task::new(move |invalidate: bool| async move {
        let Some(link) = link::remote_link_untracked(state) else {
            return Err(Failure::NotOnWhatsApp.into());
        };
        Ok(library.client().preview(&link.account(), &link.flow_id, invalidate).await?)
    });
    let actions = Actions { job, preview };
    provide_context(actions);
    // `/?waba=…&whatsapp_flow=…` (the Flows page's Open, on its own) opens that flow once the
    // server said which partner this is.
    let wanted = crate::features::workspace::page::query_param("waba")
        .zip(crate::features::workspace::page::query_param("whatsapp_flow"));
    if let Some((waba_id, flow_id)) = wanted {
        Effect::new(move |done: Option<bool>| {
            if done == Some(true) || library.server.with(Option::is_none) {
                return done.unwrap_or(false);
            }
            let partner_id = library.settings.with_untracked(|settings| settings.partner_id.clone());
            actions.run(Job::Open(Account { partner_id, waba_id: waba_id.clone() }, flow_id.clone()));
            if let Ok(history) = window().history() {
                let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some("/"));
            }
            true
        });
    }
    (library, actions)
}

/// Ctrl+S: saves the open draft to WhatsApp when it is linked to an editable flow there.
/// Returns whether it did (otherwise the shell says the draft is kept in the browser).
pub fn save_shortcut(state: EditorState, actions: Actions) -> bool {
    let editable = link::remote_link_untracked(state).is_some_and(|link| link.is_editable());
    if editable {
        actions.run(Job::Save(SaveRequest::default()));
    }
    editable
}

/// The actions from context.
///
/// # Panics
/// Outside the shell (a programming error).
pub fn use_actions() -> Actions {
    expect_context::<Actions>()
}
