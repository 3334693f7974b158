use leptos::prelude::*;
use serde_json::Value;

use super::link::{remote_link_untracked, upload_text};
use super::ops::{Saved, open_text};
use super::use_actions;
use crate::components::{ComparisonList, Dialog};
use crate::state::use_editor;

/// Shown when the flow.json on WhatsApp changed since this draft was opened or saved: both
/// versions side by side, where they differ, and the choice.
#[component]
pub fn ConflictDialog(on_overwrite: Callback<()>) -> impl IntoView {
    let state = use_editor();
    let actions = use_actions();
    let remote = Memo::new(move |_| match actions.saved() {
        Some(Ok(Saved::Conflict { remote })) => Some(remote),
        _ => None,
    });
    let open = Signal::derive(move || remote.with(Option::is_some));
    let close = Callback::new(move |()| actions.forget());
    let ours = Memo::new(move |_| if open.get() { state.document.with(upload_text) } else { String::new() });
    // Read only while the dialog is open: otherwise this memo would compare the whole flow on
    // every keystroke.
    let summary = Memo::new(move |_| {
        remote.with(|remote| {
            let text = remote.as_deref()?;
            let theirs = flow_model::json::read(text).unwrap_or(Value::Null);
            Some(state.document.with(|d| flow_model::compare::compare(&theirs, d.root())))
        })
    });
    let open_theirs = move |_| {
        let (Some(text), Some(link)) = (remote.get_untracked(), remote_link_untracked(state)) else { return };
        close.run(());
        match open_text(state, &link.account(), &link.info(), &text) {
            Ok(()) => {
                state.notify("Opened the version on WhatsApp as a new draft; yours stays under Drafts.")
            }
            Err(error) => state.notify_error(error.to_string()),
        }
    };
    view! {
        <Dialog open=open on_close=close title="The flow changed on WhatsApp" testid="conflict-dialog">
            <p>"Someone saved this flow on WhatsApp after you opened it. Saving now would replace their version with yours."</p>
            <div class="conflict__summary" data-testid="conflict-summary">
                {move || summary.get().map(|found| view! { <ComparisonList comparison=found /> })}
            </div>
            <div class="conflict__panes">
                <section>
                    <h3>"On WhatsApp now"</h3>
                    <pre class="conflict__text" data-testid="conflict-theirs" tabindex="0">{move || remote.get()}</pre>
                </section>
                <section>
                    <h3>"Your draft"</h3>
                    <pre class="conflict__text" data-testid="conflict-ours" tabindex="0">{move || ours.get()}</pre>
                </section>
            </div>
            <footer class="dialog__actions">
                <button type="button" class="button" on:click=move |_| close.run(())>"Keep editing"</button>
                <button type="button" class="button" data-testid="conflict-open-theirs" on:click=open_theirs>"Open theirs as a new draft"</button>
                <button type="button" class="button button--danger" data-testid="conflict-overwrite"
                    on:click=move |_| on_overwrite.run(())>"Replace with mine"</button>
            </footer>
        </Dialog>
    }
    .into_any()
}
