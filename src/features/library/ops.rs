//! What the library's buttons do on WhatsApp through the Partner API, as async functions over
//! the editor state and a client: save, open, publish, deprecate, delete, clone. A draft of the
//! team's workspace is saved, published and deprecated through the workspace instead
//! (`features::workspace::whatsapp`); `run_job` in `mod.rs` chooses. The components run them in
//! the library's one job `Task` (one at a time, `.pending()` as progress). Every failure comes
//! back as a [`LibraryError`], shown worded for people; the local draft is never touched by a
//! failure (it is kept in this browser by autosave whatever happens here).
use flow_model::{Diagnostic, parse};
use leptos::prelude::*;

use super::error::{Failure, LibraryError};
use super::link::{RemoteLink, fingerprint, locate, set_link, update_link, upload_text};
use crate::api::{Account, Browser, Client, FlowInfo, FlowUpdate, NewFlow};
use crate::features::drafts::new_draft_id;
use crate::features::files::accept_flow_text;
use crate::state::{DraftInfo, EditorState};

/// The name, categories and endpoint of a flow on WhatsApp.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Details {
    /// Unique in the account.
    pub name: String,
    /// At least one.
    pub categories: Vec<String>,
    /// For flows with an endpoint.
    pub endpoint_uri: Option<String>,
}

impl Details {
    /// The details of a linked flow.
    pub fn of(link: &RemoteLink) -> Self {
        Details {
            name: link.name.clone(),
            categories: link.categories.clone(),
            endpoint_uri: link.endpoint_uri.clone(),
        }
    }

    /// What is missing, for people.
    pub fn problem(&self) -> Option<&'static str> {
        if self.name.trim().is_empty() {
            Some("Give the flow a name.")
        } else if self.categories.is_empty() {
            Some("Choose at least one category.")
        } else {
            None
        }
    }
}

/// What a save asks for.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SaveRequest {
    /// New details (required for the first save; a change of them is PATCHed).
    pub details: Option<Details>,
    /// Overwrite the flow.json on WhatsApp even if it changed since it was opened.
    pub overwrite: bool,
}

/// How a save ended.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Saved {
    /// Uploaded; Meta found this many errors.
    Uploaded {
        /// Meta's validation errors.
        errors: usize,
    },
    /// Not uploaded: the flow.json on WhatsApp changed since it was opened; here is it.
    Conflict {
        /// The flow.json on WhatsApp now.
        remote: String,
    },
    /// The draft has no link and no details were given: ask for them.
    #[default]
    NeedsDetails,
}

/// Saves the open draft to WhatsApp: creates the flow on the first save (and links the
/// draft at once, so a retry never makes a second one), PATCHes changed details, checks the
/// flow.json on WhatsApp did not change since it was opened, uploads, and keeps Meta's errors.
pub async fn save(
    state: EditorState,
    client: Client<Browser>,
    account: Account,
    request: SaveRequest,
) -> Result<Saved, LibraryError> {
    if state.text_problems.with_untracked(|problems| problems.iter().any(Diagnostic::is_error)) {
        return Err(Failure::TextDoesNotParse.into());
    }
    let text = state.document.with_untracked(upload_text);
    let linked = super::link::remote_link_untracked(state);
    let mut link = match linked {
        Some(link) => link,
        None => {
            let Some(details) = request.details.clone() else { return Ok(Saved::NeedsDetails) };
            let new = NewFlow {
                name: details.name.trim().to_owned(),
                categories: details.categories.clone(),
                clone_flow_id: None,
                endpoint_uri: details.endpoint_uri.clone(),
            };
            let flow_id = client.create_flow(&account, &new).await?;
            let link = RemoteLink {
                partner_id: account.partner_id.clone(),
                waba_id: account.waba_id.clone(),
                flow_id,
                name: new.name,
                categories: new.categories,
                endpoint_uri: new.endpoint_uri,
                status: "DRAFT".into(),
                ..RemoteLink::default()
            };
            set_link(state, Some(&link));
            link
        }
    };
    let account = link.account();
    let flow_id = link.flow_id.clone();
    if !request.overwrite
        && let Some(known) = &link.remote_hash
    {
        let remote = client.flow_json(&account, &flow_id).await?;
        if let Some(remote) = remote.filter(|remote| fingerprint(remote) != *known) {
            return Ok(Saved::Conflict { remote });
        }
    }
    if let Some(details) = request.details.filter(|details| *details != Details::of(&link)) {
        let update = FlowUpdate {
            name: details.name.trim().to_owned(),
            categories: details.categories.clone(),
            endpoint_uri: details.endpoint_uri.clone(),
        };
        client.update_flow(&account, &flow_id, &update).await?;
        link.name = update.name;
        link.categories = update.categories;
        link.endpoint_uri = update.endpoint_uri;
        update_link(state, &flow_id, |current| {
            current.name.clone_from(&link.name);
            current.categories.clone_from(&link.categories);
            current.endpoint_uri.clone_from(&link.endpoint_uri);
        });
    }
    let errors = client.upload_flow_json(&account, &flow_id, &text).await?;
    let uploaded = parse(&text).document;
    let problems = uploaded.as_ref().map(|document| locate(&errors, document)).unwrap_or_default();
    // Editing a published flow makes it a draft again: ask for the status rather than guess.
    let status = client.get_flow(&account, &flow_id).await.map(|flow| flow.status).ok();
    let hash = fingerprint(&text);
    update_link(state, &flow_id, |current| {
        current.remote_hash = Some(hash.clone());
        current.saved_hash = Some(hash);
        current.problems = problems;
        if let Some(status) = status {
            current.status = status;
        }
    });
    Ok(Saved::Uploaded { errors: errors.len() })
}

/// Opens a flow of the account as a new draft linked to it.
pub async fn open(
    state: EditorState,
    client: Client<Browser>,
    account: Account,
    flow_id: String,
) -> Result<String, LibraryError> {
    let flow = client.get_flow(&account, &flow_id).await?;
    let text = client.flow_json(&account, &flow_id).await?;
    let Some(text) = text else {
        return Err(Failure::NoFlowJson { flow: flow.name }.into());
    };
    open_text(state, &account, &flow, &text)?;
    Ok(flow.name)
}

/// Opens `text`, the flow.json of `flow` on WhatsApp, as a new draft linked to it.
pub fn open_text(
    state: EditorState,
    account: &Account,
    flow: &FlowInfo,
    text: &str,
) -> Result<(), LibraryError> {
    let document =
        accept_flow_text(text).map_err(|why| Failure::NotAFlow { flow: flow.name.clone(), why })?;
    let problems = locate(&flow.validation_errors, &document);
    let saved_hash = fingerprint(&upload_text(&document));
    state.open(document, DraftInfo { id: new_draft_id(), name: flow.name.clone() });
    let link = RemoteLink {
        partner_id: account.partner_id.clone(),
        waba_id: account.waba_id.clone(),
        flow_id: flow.id.clone(),
        name: flow.name.clone(),
        categories: flow.categories.clone(),
        endpoint_uri: flow.endpoint_uri.clone(),
        status: flow.status.clone(),
        remote_hash: Some(fingerprint(text)),
        saved_hash: Some(saved_hash),
        problems,
    };
    set_link(state, Some(&link));
    Ok(())
}

/// A lifecycle operation on a flow of the account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lifecycle {
    /// Publish (for good).
    Publish,
    /// Deprecate (for good).
    Deprecate,
    /// Delete a draft.
    Delete,
}

impl Lifecycle {
    /// The status the flow has afterwards (`""`: gone).
    pub fn result_status(self) -> &'static str {
        match self {
            Lifecycle::Publish => "PUBLISHED",
            Lifecycle::Deprecate => "DEPRECATED",
            Lifecycle::Delete => "",
        }
    }
}

/// Runs a lifecycle operation; the open draft's link follows at once. Returns what was done.
pub async fn lifecycle(
    state: EditorState,
    client: Client<Browser>,
    account: Account,
    flow_id: String,
    name: String,
    operation: Lifecycle,
) -> Result<String, LibraryError> {
    let done = match operation {
        Lifecycle::Publish => {
            client.publish(&account, &flow_id).await.map(|()| format!("{name} is published."))
        }
        Lifecycle::Deprecate => {
            client.deprecate(&account, &flow_id).await.map(|()| format!("{name} is deprecated."))
        }
        Lifecycle::Delete => client
            .delete_flow(&account, &flow_id)
            .await
            .map(|()| format!("{name} was deleted from WhatsApp.")),
    };
    let done = done?;
    match operation {
        Lifecycle::Delete => {
            // The draft stays in this browser, unlinked: saving it again creates a new flow.
            let linked =
                super::link::remote_link_untracked(state).is_some_and(|link| link.flow_id == flow_id);
            if linked {
                set_link(state, None);
            }
        }
        _ => update_link(state, &flow_id, |link| link.status = operation.result_status().to_owned()),
    }
    Ok(done)
}

/// Clones a flow into the same account under `name`; returns the new flow's id.
pub async fn clone_flow(
    client: Client<Browser>,
    account: Account,
    source: FlowInfo,
    name: String,
) -> Result<String, LibraryError> {
    let new = NewFlow {
        name: name.trim().to_owned(),
        categories: if source.categories.is_empty() {
            vec!["OTHER".to_owned()]
        } else {
            source.categories.clone()
        },
        clone_flow_id: Some(source.id.clone()),
        endpoint_uri: None,
    };
    Ok(client.create_flow(&account, &new).await?)
}
