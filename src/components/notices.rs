use leptos::prelude::*;

use crate::state::use_editor;

/// Messages for the user, newest last. Information fades after a few seconds; errors stay
/// until dismissed.
#[component]
pub fn Notices() -> impl IntoView {
    let state = use_editor();
    view! {
        <div class="notices" role="status" aria-live="polite">
            <For
                each=move || state.notices.get()
                key=|notice| notice.id
                children=move |notice| {
                    let id = notice.id;
                    if !notice.is_error {
                        set_timeout(move || state.dismiss(id), std::time::Duration::from_secs(5));
                    }
                    view! {
                        <div class="notice" class:notice--error=notice.is_error data-testid="notice">
                            <span>{notice.text}</span>
                            <button class="icon-button" aria-label="Dismiss" on:click=move |_| state.dismiss(id)>
                                "×"
                            </button>
                        </div>
                    }
                }
            />
        </div>
    }
    .into_any()
}
