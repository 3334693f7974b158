use flow_model::{parse, templates};
use leptos::prelude::*;

use crate::components::Dialog;
use crate::features::drafts::new_draft_id;
use crate::state::{DraftInfo, use_editor};

/// Start a new flow from a template (each valid at Flow JSON 7.3) or empty. The current
/// draft stays in the drafts library.
#[component]
pub fn NewFlowDialog(open: RwSignal<bool>) -> impl IntoView {
    let state = use_editor();
    let close = Callback::new(move |()| open.set(false));
    view! {
        <Dialog open=open on_close=close title="New flow" testid="new-flow-dialog">
            <p class="muted">"Your current flow stays in Drafts."</p>
            <ul class="templates">
                {templates::ALL
                    .iter()
                    .map(|template| {
                        view! {
                            <li>
                                <button
                                    class="template"
                                    data-testid="template"
                                    data-template=template.id
                                    on:click=move |_| {
                                        if let Some(document) = parse(template.json).document {
                                            state.open(document, DraftInfo { id: new_draft_id(), name: template.name.to_owned() });
                                            open.set(false);
                                        }
                                    }
                                >
                                    <strong>{template.name}</strong>
                                    <span class="muted">{template.description}</span>
                                </button>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </Dialog>
    }
    .into_any()
}
