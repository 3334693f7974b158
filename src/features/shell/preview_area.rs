use leptos::prelude::*;

use super::Layout;
use crate::features::library::link::remote_link;
use crate::features::library::{WhatsAppPreview, use_actions};
use crate::features::preview::PreviewPane;
use crate::state::use_editor;

/// The previews, one tab each (the arrow keys move between them: `shell.js`): this app's
/// phone, and WhatsApp's own preview once the draft is saved there. A tab's content, once made,
/// stays while the area is open, so switching keeps each one where it was.
#[component]
pub fn PreviewArea(layout: Layout) -> impl IntoView {
    let state = use_editor();
    let actions = use_actions();
    let link = remote_link(state);
    let linked = move || link.with(Option::is_some);
    // WhatsApp's tab shows only while the draft is linked to a flow there.
    let whatsapp = move || linked() && layout.whatsapp.get();
    // WhatsApp's tab is made when first chosen (its memos follow every change of the draft).
    let seen = RwSignal::new(layout.whatsapp.get_untracked());
    let choose = move |chosen: bool| {
        layout.whatsapp.set(chosen);
        seen.set(seen.get_untracked() || chosen);
        // WhatsApp's preview link is asked for when its tab is chosen, until one came.
        if chosen && !actions.preview.with_value(|value| value.is_some_and(Result::is_ok)) {
            actions.preview.start(false);
        }
    };
    view! {
        <div class="preview-area" data-testid="preview-area">
            <div class="preview-area__bar">
                <div class="tabs" role="tablist" aria-label="Previews">
                    <button class="tab" role="tab" id="preview-tab-phone" data-testid="preview-tab-phone" aria-controls="preview-panel-phone"
                        aria-selected=move || (!whatsapp()).to_string() on:click=move |_| choose(false)>"Phone"</button>
                    <button class="tab" role="tab" id="preview-tab-whatsapp" data-testid="preview-tab-whatsapp" aria-controls="preview-panel-whatsapp"
                        aria-selected=move || whatsapp().to_string() disabled=move || !linked()
                        title="WhatsApp's own preview of the flow as last saved there (save it first)" on:click=move |_| choose(true)>"WhatsApp"</button>
                </div>
                <button class="icon-button" data-testid="preview-close" aria-label="Close the preview" data-then-focus="[data-testid=toggle-preview]" on:click=move |_| layout.preview.set(false)>"×"</button>
            </div>
            <div class="preview-area__panel" role="tabpanel" id="preview-panel-phone" aria-labelledby="preview-tab-phone" hidden=whatsapp>
                <PreviewPane />
            </div>
            <div class="preview-area__panel" role="tabpanel" id="preview-panel-whatsapp" aria-labelledby="preview-tab-whatsapp" hidden=move || !whatsapp()>
                <Show when=move || seen.get()>
                    <WhatsAppPreview />
                </Show>
            </div>
        </div>
    }
    .into_any()
}
