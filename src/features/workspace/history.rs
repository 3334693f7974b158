use flow_model::compare::compare;
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::short_time;
use crate::api::workspace::WsVersion;
use crate::api::{Browser, Client, Via};
use crate::components::ComparisonList;
use crate::tasks::Loaded;

fn client() -> Client<Browser> {
    Client::browser(Via::Server { origin: String::new() })
}

/// A flow's versions on the server, newest first: who saved each, when and why; what one
/// changed against the flow as it is now (screen by screen); restoring one (as a new version,
/// so nothing is lost: an editor showing the flow follows); naming the current state.
#[component]
pub fn HistoryPanel(
    /// The workspace's flow id.
    id: String,
    /// Who the user is (sent with a restore or a name).
    user: RwSignal<String>,
    /// Closes the panel.
    on_close: Callback<()>,
    /// Why the user may not restore or name a version (their role), if so.
    #[prop(default = None)]
    refused: Option<String>,
) -> impl IntoView {
    let id = StoredValue::new(id);
    let versions = Loaded::new(move || {
        let id = id.get_value();
        async move { client().ws_versions(&id).await.map_err(|error| error.for_people()) }
    });
    let chosen = RwSignal::new(None::<WsVersion>);
    // The chosen version compared with the flow as it is now.
    let comparison = Loaded::new(move || {
        let (id, version) = (id.get_value(), chosen.get());
        async move {
            let version = version?;
            let client = client();
            let theirs =
                client.ws_version_json(&id, version.revision).await.map_err(|error| error.for_people());
            let now = client.ws_get(&id).await.map_err(|error| error.for_people());
            Some(theirs.and_then(|theirs| now.map(|(_, now)| compare(&theirs, &now))))
        }
    });
    let label = RwSignal::new(String::new());
    let message = RwSignal::new(None::<String>);
    let restore = move |_| {
        let Some(version) = chosen.get_untracked() else { return };
        let latest =
            versions.get_untracked().and_then(Result::ok).and_then(|list| list.first().map(|v| v.revision));
        let (id, name) = (id.get_value(), user.get_untracked());
        spawn_local(async move {
            let flow = client()
                .ws_get(&id)
                .await
                .map(|(flow, _)| flow.revision)
                .unwrap_or(latest.unwrap_or_default());
            match client().ws_restore_version(&id, version.revision, flow, &name).await {
                Ok(flow) => {
                    message.set(Some(format!(
                        "Version {} restored as version {}.",
                        version.revision, flow.revision
                    )));
                    chosen.set(None);
                    versions.reload();
                }
                Err(error) => message.set(Some(error.for_people())),
            }
        });
    };
    let name_current = move |_| {
        let text = label.get_untracked();
        if text.trim().is_empty() {
            return;
        }
        let (id, name) = (id.get_value(), user.get_untracked());
        spawn_local(async move {
            match client().ws_name_version(&id, &text, &name).await {
                Ok(_) => {
                    label.set(String::new());
                    versions.reload();
                }
                Err(error) => message.set(Some(error.for_people())),
            }
        });
    };
    let row = move |version: WsVersion| {
        let revision = version.revision;
        let what = match (&version.label, version.whatsapp_errors) {
            (Some(label), _) => format!("{}: {label}", version.reason_label()),
            (None, Some(errors)) if errors > 0 => {
                format!("{} ({errors} errors from Meta)", version.reason_label())
            }
            _ => version.reason_label().to_owned(),
        };
        let who = format!("{} · {}", short_time(&version.created_at), version.author);
        view! {
            <li>
                <button type="button" class="history__version" data-testid="history-version" data-revision=revision
                    class:history__version--chosen=move || chosen.with(|c| c.as_ref().is_some_and(|c| c.revision == revision))
                    on:click=move |_| chosen.set(Some(version.clone()))>
                    <strong>{format!("Version {revision}")}</strong>" "<span>{what}</span>" "<span class="muted">{who}</span>
                </button>
            </li>
        }
    };
    let refused_restore = refused.clone();
    view! {
        <section class="history" data-testid="history-dialog" aria-label="History">
            <header class="history__header">
                <h2>"History"</h2>
                <button class="icon-button" aria-label="Close the history" data-testid="history-close" on:click=move |_| on_close.run(())>"×"</button>
            </header>
            <p role="status" data-testid="history-message">{move || message.get()}</p>
            <div class="history__body">
                <ol class="history__list" data-testid="history-list">
                    {move || match versions.get() {
                        None => view! { <li class="muted">"Loading versions…"</li> }.into_any(),
                        Some(Err(error)) => view! { <li class="field__error" role="alert">{error}</li> }.into_any(),
                        Some(Ok(list)) => list.into_iter().map(row).collect_view().into_any(),
                    }}
                </ol>
                <div class="history__detail" aria-live="polite">
                    {move || match (chosen.get(), comparison.get().flatten()) {
                        (None, _) => view! { <p class="muted">"Choose a version to see what it changed against the flow as it is now."</p> }.into_any(),
                        (Some(_), None) => view! { <p class="muted">"Loading…"</p> }.into_any(),
                        (Some(_), Some(Err(error))) => view! { <p class="field__error" role="alert">{error}</p> }.into_any(),
                        (Some(version), Some(Ok(found))) => view! {
                            <p>{format!("Version {} compared with the flow now:", version.revision)}</p>
                            <ComparisonList comparison=found />
                            <button type="button" class="button button--primary" data-testid="history-restore" disabled=refused_restore.is_some() title=refused_restore.clone() on:click=restore>
                                {format!("Restore version {}", version.revision)}
                            </button>
                        }.into_any(),
                    }}
                </div>
            </div>
            <div class="dialog__actions">
                <input type="text" placeholder="Name the current version, e.g. Sent to the client" aria-label="Version name"
                    data-testid="history-label" maxlength="200" prop:value=move || label.get() on:input=move |e| label.set(event_target_value(&e)) />
                <button type="button" class="button" data-testid="history-name" disabled=refused.is_some() title=refused.clone() on:click=name_current>"Name this version"</button>
            </div>
        </section>
    }
    .into_any()
}
