use flow_model::Diagnostic;
use leptos::prelude::*;

use super::link::{RemoteLink, has_unsaved_changes};
use super::ops::Lifecycle;
use super::{Job, use_actions};
use crate::components::{Dialog, DialogActions};
use crate::state::use_editor;

/// What stands in the way of publishing the open draft, for people (empty: nothing).
fn blockers(local: &[Diagnostic], typed_errors: usize, link: &RemoteLink, unsaved: bool) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    if typed_errors > 0 {
        found.push("The JSON view holds text that does not parse.".to_owned());
    }
    found.extend(local.iter().filter(|d| d.is_error()).map(|d| format!("{} ({})", d.message(), d.code())));
    found.extend(link.problems.iter().map(|p| format!("WhatsApp: {} ({})", p.message, p.code)));
    if unsaved {
        found.push("This draft has changes not saved to WhatsApp: save it first (publishing publishes what is saved there).".to_owned());
    }
    if link.status != "DRAFT" {
        found.push(format!(
            "Only drafts can be published; this flow is {}.",
            link.status.to_ascii_lowercase()
        ));
    }
    found
}

/// Publishing: refused with the list of problems while the draft or Meta's last check has
/// errors, otherwise a confirmation that says it cannot be undone and what follows.
#[component]
pub fn PublishDialog(open: RwSignal<bool>, link: Memo<Option<RemoteLink>>) -> impl IntoView {
    let state = use_editor();
    let actions = use_actions();
    let close = Callback::new(move |()| open.set(false));
    let found = Memo::new(move |_| {
        if !open.get() {
            return Vec::new();
        }
        let Some(link) = link.get() else { return vec!["Save this flow to WhatsApp first.".to_owned()] };
        let typed = state.text_problems.with(|problems| problems.iter().filter(|d| d.is_error()).count());
        state.revision.track();
        let unsaved = has_unsaved_changes(state, &link);
        state.diagnostics.with(|local| blockers(local, typed, &link, unsaved))
    });
    let publish = move |_| {
        if let Some(link) = link.get_untracked()
            && found.with_untracked(Vec::is_empty)
        {
            actions.run(Job::Lifecycle((
                link.account(),
                link.flow_id.clone(),
                link.name.clone(),
                Lifecycle::Publish,
            )));
            open.set(false);
        }
    };
    view! {
        <Dialog open=open on_close=close title="Publish on WhatsApp" testid="publish-dialog">
            <Show
                when=move || found.with(Vec::is_empty)
                fallback=move || view! {
                    <p role="alert">"This flow cannot be published yet:"</p>
                    <ul class="publish__blockers" data-testid="publish-blockers">
                        {move || found.get().into_iter().take(20).map(|line| view! { <li>{line}</li> }).collect_view()}
                    </ul>
                    <p class="muted">"Fix them in the editor (the Problems panel takes you to each), save, then publish."</p>
                }
            >
                <p data-testid="publish-warning"><strong>"Publishing cannot be undone."</strong></p>
                <ul class="publish__consequences">
                    <li>"The flow can be sent to customers in messages and templates."</li>
                    <li>"It can no longer be changed or deleted: to change it, clone it and publish the copy."</li>
                    <li>"To retire it, deprecate it (also final)."</li>
                </ul>
            </Show>
            <DialogActions on_cancel=close label="Publish" on_confirm=Callback::new(publish) testid="publish-confirm"
                cancel_testid="publish-cancel" disabled=Signal::derive(move || !found.with(Vec::is_empty) || actions.busy()) />
        </Dialog>
    }
    .into_any()
}
