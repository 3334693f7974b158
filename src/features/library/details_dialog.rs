use flow_model::model::Flow;
use leptos::prelude::*;

use super::link::RemoteLink;
use super::ops::Details;
use crate::api::CATEGORIES;
use crate::components::{Dialog, DialogActions};
use crate::state::use_editor;

/// The flow's name, categories and endpoint on WhatsApp: asked on the first save, and
/// editable later (saved with the next upload).
#[component]
pub fn DetailsDialog(
    /// Whether it is shown.
    open: Signal<bool>,
    /// The open draft's link (none before the first save).
    link: Memo<Option<RemoteLink>>,
    /// Closed without saving.
    on_close: Callback<()>,
    /// Save with these details.
    on_save: Callback<Details>,
) -> impl IntoView {
    let state = use_editor();
    view! {
        <Dialog open=open on_close=on_close title="Save to WhatsApp" testid="details-dialog">
            <Show when=move || open.get()>
                {move || {
                    let known = link.get_untracked().map(|link| Details::of(&link));
                    let first = known.is_none();
                    let uses_endpoint = state.document.with_untracked(|d| Flow::from_value(d.root()).is_some_and(|flow| flow.is_endpoint_flow()));
                    let initial = known.unwrap_or_else(|| Details {
                        name: state.draft.with_untracked(|draft| draft.name.clone()),
                        ..Details::default()
                    });
                    let name = RwSignal::new(initial.name);
                    let categories = RwSignal::new(initial.categories);
                    let endpoint = RwSignal::new(initial.endpoint_uri.unwrap_or_default());
                    let problem = RwSignal::new(None::<&'static str>);
                    let submit = move |_| {
                        let details = Details {
                            name: name.get_untracked(),
                            categories: categories.get_untracked(),
                            endpoint_uri: Some(endpoint.get_untracked().trim().to_owned()).filter(|uri| !uri.is_empty()),
                        };
                        match details.problem() {
                            Some(message) => problem.set(Some(message)),
                            None => on_save.run(details),
                        }
                    };
                    view! {
                        <p class="muted">
                            {if first { "The flow is created in the chosen WhatsApp Business Account, then its flow.json is uploaded and checked by Meta." } else { "Changes are saved with the next upload." }}
                        </p>
                        <label class="field">
                            <span class="field__label">"Name (unique in the account)"</span>
                            <input data-testid="details-name" prop:value=move || name.get() on:input=move |e| name.set(event_target_value(&e)) />
                        </label>
                        <fieldset class="categories">
                            <legend class="field__label">"Categories"</legend>
                            {CATEGORIES.iter().map(|(code, label)| {
                                let code = *code;
                                view! {
                                    <label class="categories__item">
                                        <input type="checkbox" data-testid="details-category" value=code
                                            prop:checked=move || categories.with(|c| c.iter().any(|x| x == code))
                                            on:change=move |e| {
                                                let on = event_target_checked(&e);
                                                categories.update(|c| { c.retain(|x| x != code); if on { c.push(code.to_owned()); } });
                                            } />
                                        {*label}
                                    </label>
                                }
                            }).collect_view()}
                        </fieldset>
                        <Show when=move || uses_endpoint || !endpoint.with(String::is_empty)>
                            <label class="field">
                                <span class="field__label">"Endpoint URL (this flow exchanges data with your server)"</span>
                                <input data-testid="details-endpoint" type="url" placeholder="https://" prop:value=move || endpoint.get() on:input=move |e| endpoint.set(event_target_value(&e)) />
                            </label>
                        </Show>
                        <p class="field__error" role="alert" data-testid="details-error">{move || problem.get()}</p>
                        <DialogActions on_cancel=on_close label=if first { "Create and save" } else { "Save" }
                            on_confirm=Callback::new(submit) testid="details-save" />
                    }
                }}
            </Show>
        </Dialog>
    }
    .into_any()
}
