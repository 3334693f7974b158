use flow_model::compare::{Comparison, compare};
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::events::load_theirs;
use super::link::{link_untracked, set_link};
use super::{Saving, WsLink, short_time, use_workspace};
use crate::components::{ComparisonList, Dialog};
use crate::state::use_editor;

/// Shown when someone saved the open flow while this draft had changes not yet sent: who and
/// when, what differs (on demand), and the choice: take theirs (yours stays one Undo away),
/// or keep yours as a new version (theirs stays in the history). Nothing is overwritten until
/// the user chooses.
#[component]
pub fn ConflictDialog() -> impl IntoView {
    let state = use_editor();
    let workspace = use_workspace();
    let current = Memo::new(move |_| match workspace.saving.get() {
        Saving::Conflict(flow) => Some(*flow),
        _ => None,
    });
    let open = Signal::derive(move || current.with(Option::is_some));
    let comparison = RwSignal::new(None::<Result<Comparison, String>>);
    // Closing without choosing keeps editing; the next change asks again.
    let close = Callback::new(move |()| {
        comparison.set(None);
        workspace.saving.set(Saving::Refused(
            "Someone else saved this flow: choose whose version to keep (History shows theirs)".to_owned(),
        ));
    });
    let compare_now = move |_| {
        let Some(link) = link_untracked(state) else { return };
        let client = workspace.client();
        spawn_local(async move {
            let result = client.ws_get(&link.id).await.map_err(|error| error.for_people());
            let result =
                result.map(|(_, theirs)| state.document.with_untracked(|ours| compare(&theirs, ours.root())));
            comparison.set(Some(result));
        });
    };
    let take_theirs = move |_| {
        let Some(link) = link_untracked(state) else { return };
        comparison.set(None);
        workspace.saving.set(Saving::Saved);
        load_theirs(state, workspace, link.id, String::new());
    };
    let keep_mine = move |_| {
        let (Some(link), Some(flow)) = (link_untracked(state), current.get_untracked()) else { return };
        comparison.set(None);
        // Sent as a change of their revision: theirs stays in the history.
        set_link(state, Some(&WsLink { revision: flow.revision, hash: String::new(), ..link }));
        workspace.send_now();
    };
    view! {
        <Dialog open=open on_close=close title="Someone else saved this flow" testid="workspace-conflict">
            <p data-testid="workspace-conflict-who">
                {move || current.with(|flow| flow.as_ref().map(|flow| format!(
                    "{} saved \u{201c}{}\u{201d} at {} (revision {}) while you were editing it. Nothing was overwritten.",
                    if flow.updated_by.is_empty() { "Someone" } else { &flow.updated_by },
                    flow.name,
                    short_time(&flow.updated_at),
                    flow.revision
                )))}
            </p>
            <Show when=move || comparison.with(Option::is_some)>
                <p class="muted">"Their version compared with yours:"</p>
                {move || match comparison.get() {
                    Some(Ok(found)) => view! { <ComparisonList comparison=found /> }.into_any(),
                    Some(Err(message)) => view! { <p class="field__error" role="alert">{message}</p> }.into_any(),
                    None => ().into_any(),
                }}
            </Show>
            <footer class="dialog__actions">
                <button type="button" class="button" data-testid="workspace-conflict-compare" on:click=compare_now>"Compare"</button>
                <button type="button" class="button" data-testid="workspace-conflict-theirs" on:click=take_theirs>"Take theirs"</button>
                <button type="button" class="button button--primary" data-testid="workspace-conflict-mine" on:click=keep_mine>"Keep mine as a new version"</button>
            </footer>
        </Dialog>
    }
    .into_any()
}
