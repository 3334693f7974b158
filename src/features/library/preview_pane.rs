use leptos::prelude::*;
use leptos::task::spawn_local;

use super::link::{has_unsaved_changes, remote_link};
use super::use_actions;
use crate::features::files::copy_to_clipboard;
use crate::state::use_editor;

/// Meta's web preview of the open flow (the link the API returns, in an iframe), a tab of the
/// preview area: a new link on demand, open in a new tab, copy the link.
#[component]
pub fn WhatsAppPreview() -> impl IntoView {
    let state = use_editor();
    let actions = use_actions();
    let link = remote_link(state);
    let loaded = RwSignal::new(false);
    let url = Memo::new(move |_| {
        actions.preview.with_value(|value| value.and_then(|r| r.as_ref().ok()).map(|p| p.preview_url.clone()))
    });
    let expires = move || {
        actions.preview.with_value(|value| value.and_then(|r| r.as_ref().ok()).map(|p| p.expires_at.clone()))
    };
    let failure = move || {
        actions.preview.with_value(|value| value.and_then(|r| r.as_ref().err().map(ToString::to_string)))
    };
    let stale = Memo::new(move |_| {
        state.revision.track();
        link.with(|link| link.as_ref().is_some_and(|link| has_unsaved_changes(state, link)))
    });
    // The frame is made anew on Reload and after each save (the link stays the same, the
    // flow behind it changed), so the page loads again.
    let reloads = RwSignal::new(0u64);
    let saved_version =
        Memo::new(move |_| link.with(|link| link.as_ref().and_then(|link| link.saved_hash.clone())));
    let refresh = move |invalidate: bool| {
        if actions.preview.start(invalidate) {
            loaded.set(false);
            reloads.update(|n| *n += 1);
        }
    };
    let copy = move |_| {
        if let Some(url) = url.get_untracked() {
            spawn_local(async move {
                match copy_to_clipboard(&url).await {
                    Ok(()) => state.notify("Preview link copied."),
                    Err(message) => state.notify_error(message),
                }
            });
        }
    };
    view! {
        <div class="remote-preview" data-testid="remote-preview">
            <div class="remote-preview__actions">
                <button class="button button--small" data-testid="preview-refresh" disabled=move || actions.preview.pending() on:click=move |_| refresh(false)>"Reload"</button>
                <button class="button button--small" data-testid="preview-new-link" disabled=move || actions.preview.pending()
                    title="A new link; the old one stops working" on:click=move |_| refresh(true)>"New link"</button>
                <a class="button button--small" data-testid="preview-open-tab" target="_blank" rel="noopener noreferrer"
                    href=move || url.get().unwrap_or_default() aria-disabled=move || url.with(Option::is_none).to_string()>"Open in new tab"</a>
                <button class="button button--small" data-testid="preview-copy" disabled=move || url.with(Option::is_none) on:click=copy>"Copy link"</button>
            </div>
            <Show when=move || stale.get()>
                <p class="warning" data-testid="preview-stale">"This shows the version saved on WhatsApp; save to preview your latest changes."</p>
            </Show>
            <p class="field__error" role="alert" data-testid="preview-error">{failure}</p>
            <Show when=move || actions.preview.pending()>
                <p class="muted">"Getting the preview link…"</p>
            </Show>
            <Show when=move || url.with(Option::is_some)>
                {move || {
                    reloads.track();
                    saved_version.track();
                    view! {
                        <iframe class="remote-preview__frame" data-testid="remote-preview-frame" title="WhatsApp's preview of the flow"
                            data-loaded=move || loaded.get().to_string()
                            src=url.get().unwrap_or_default() on:load=move |_| loaded.set(true)></iframe>
                    }
                }}
                <p class="muted remote-preview__expiry">{move || expires().map(|at| format!("Link valid until {at}"))}</p>
            </Show>
        </div>
    }
    .into_any()
}
