use leptos::prelude::*;

use super::ops::Lifecycle;
use super::{Job, LifecycleRequest, use_actions};
use crate::components::{Dialog, DialogActions};

/// What deprecating or deleting means, said before it is done.
pub fn consequences(operation: Lifecycle, name: &str) -> (String, &'static str, &'static str) {
    match operation {
        Lifecycle::Deprecate => (
            format!("Deprecate {name}?"),
            "This cannot be undone. Customers can no longer open the flow and it can no longer be sent; \
             messages already sent stop working. The flow stays listed as deprecated, and you can still clone it.",
            "Deprecate",
        ),
        Lifecycle::Delete => (
            format!("Delete {name} from WhatsApp?"),
            "This cannot be undone: the draft is removed from the WhatsApp Business Account. \
             A copy stays in this browser under Drafts; saving it again creates a new flow.",
            "Delete",
        ),
        Lifecycle::Publish => (format!("Publish {name}?"), "This cannot be undone.", "Publish"),
    }
}

/// Asks before deprecating or deleting a flow; confirming starts the operation.
#[component]
pub fn ConfirmDialog(request: RwSignal<Option<LifecycleRequest>>) -> impl IntoView {
    let actions = use_actions();
    let open = Signal::derive(move || request.with(Option::is_some));
    let close = Callback::new(move |()| request.set(None));
    let text = move || {
        request.with(|request| request.as_ref().map(|(_, _, name, operation)| consequences(*operation, name)))
    };
    let confirm = move |_| {
        if let Some(chosen) = request.get_untracked() {
            actions.run(Job::Lifecycle(chosen));
        }
        request.set(None);
    };
    view! {
        <Dialog open=open on_close=close title="Are you sure?" testid="confirm-dialog">
            <h3 class="confirm__title">{move || text().map(|(title, _, _)| title)}</h3>
            <p class="confirm__body" data-testid="confirm-text">{move || text().map(|(_, body, _)| body)}</p>
            <DialogActions on_cancel=close label=move || text().map(|(_, _, verb)| verb).unwrap_or_default()
                on_confirm=Callback::new(confirm) testid="confirm-yes" disabled=Signal::derive(move || actions.busy()) danger=true />
        </Dialog>
    }
    .into_any()
}
