use leptos::prelude::*;

use super::{CloneSource, Job, use_actions};
use crate::components::{Dialog, DialogActions};

/// Asks for the name of a copy of a flow (names are unique in an account) and clones it.
#[component]
pub fn CloneDialog(source: RwSignal<Option<CloneSource>>) -> impl IntoView {
    let actions = use_actions();
    let open = Signal::derive(move || source.with(Option::is_some));
    let close = Callback::new(move |()| source.set(None));
    view! {
        <Dialog open=open on_close=close title="Clone flow" testid="clone-dialog">
            <Show when=move || open.get()>
                {move || {
                    let (account, flow, open_it) = source.get_untracked().unwrap_or_default();
                    let name = RwSignal::new(format!("{} copy", flow.name));
                    let from = flow.name.clone();
                    let submit = move |_| {
                        if name.with_untracked(|name| name.trim().is_empty()) {
                            return;
                        }
                        actions.run(Job::Clone((account.clone(), flow.clone(), name.get_untracked(), open_it)));
                        source.set(None);
                    };
                    view! {
                        <p class="muted">{format!("A new draft with the flow.json of {from}.")} {open_it.then_some(" It opens in the editor.")}</p>
                        <label class="field">
                            <span class="field__label">"Name of the copy"</span>
                            <input data-testid="clone-name" prop:value=move || name.get() on:input=move |event| name.set(event_target_value(&event)) />
                        </label>
                        <DialogActions on_cancel=close label="Clone" on_confirm=Callback::new(submit) testid="clone-confirm"
                            disabled=Signal::derive(move || actions.busy() || name.with(|name| name.trim().is_empty())) />
                    }
                }}
            </Show>
        </Dialog>
    }
    .into_any()
}
