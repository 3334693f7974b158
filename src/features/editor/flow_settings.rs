use std::collections::BTreeSet;

use flow_model::graph::EdgeKind;
use flow_model::model::{Flow, key};
use flow_model::{Document, Version, analyze, validate};
use leptos::prelude::*;
use serde_json::{Map, Value};

use crate::state::use_editor;

/// What changing the flow's version to `to` would do: the problems it adds and removes.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct VersionImpact {
    /// Problems the new version finds that the current one does not.
    pub added: Vec<String>,
    /// Problems that go away.
    pub removed: usize,
}

/// Validates the document as if it had version `to`, and compares.
pub fn version_impact(document: &Document, to: &str) -> VersionImpact {
    let messages = |document: &Document| -> BTreeSet<String> {
        validate(document)
            .iter()
            .filter(|d| d.is_error())
            .filter(|d| d.pointer != key::VERSION_AT)
            .map(|d| format!("{} ({})", d.message(), d.pointer))
            .collect()
    };
    let before = messages(document);
    let mut changed = document.root().clone();
    if let Some(root) = changed.as_object_mut() {
        root.insert("version".into(), Value::from(to));
    }
    let after = messages(&Document::from_value(changed));
    VersionImpact {
        added: after.difference(&before).cloned().collect(),
        removed: before.difference(&after).count(),
    }
}

/// A routing model with the screens' navigate routes (what endpoint flows must declare).
pub fn routing_model_from_navigation(document: &Document) -> Map<String, Value> {
    let graph = analyze(document);
    let mut model = Map::new();
    for node in &graph.nodes {
        let mut targets: Vec<Value> = Vec::new();
        for edge in graph.edges.iter().filter(|e| {
            e.from == node.id
                && e.target_exists
                && matches!(e.kind, EdgeKind::Navigate | EdgeKind::NavigationListItem)
        }) {
            if edge.to != node.id && !targets.iter().any(|t| t == edge.to.as_str()) {
                targets.push(Value::from(edge.to.clone()));
            }
        }
        model.insert(node.id.clone(), Value::Array(targets));
    }
    model
}

/// Version, data API version and routing mode of the flow. A version change first shows what
/// it would break.
#[component]
pub fn FlowSettings() -> impl IntoView {
    let state = use_editor();
    let version = Memo::new(move |_| state.document.with(|d| d.version().unwrap_or_default().to_owned()));
    let data_api = Memo::new(move |_| {
        state.document.with(|d| Flow::from_value(d.root())?.data_api_version().map(str::to_owned))
    });
    let endpoint = Memo::new(move |_| {
        let flow = |d: &flow_model::Document| {
            Flow::from_value(d.root()).map(|f| f.has_routing_model() || f.is_endpoint_flow())
        };
        state.document.with(|d| flow(d).unwrap_or(false))
    });
    let pending = RwSignal::new(None::<(String, VersionImpact)>);
    let choose_version = move |to: String| {
        if to == version.get_untracked() {
            pending.set(None);
            return;
        }
        let impact = state.document.with_untracked(|d| version_impact(d, &to));
        pending.set(Some((to, impact)));
    };
    let apply_version = move |_| {
        if let Some((to, _)) = pending.get_untracked() {
            state.edit(|d| d.set_property(key::VERSION_AT, Value::from(to)));
        }
        pending.set(None);
    };
    let set_endpoint = move |on: bool| {
        if on {
            let model = state.document.with_untracked(routing_model_from_navigation);
            if data_api.get_untracked().is_none() {
                state.edit(|d| d.set_property(key::DATA_API_VERSION_AT, Value::from("3.0")));
            }
            if !state
                .document
                .with_untracked(|d| Flow::from_value(d.root()).is_some_and(|f| f.has_routing_model()))
            {
                state.edit(|d| d.set_property(key::ROUTING_MODEL_AT, Value::Object(model)));
            }
        } else {
            for at in [key::ROUTING_MODEL_AT, key::DATA_API_VERSION_AT] {
                if state.document.with_untracked(|d| d.get(at).is_some()) {
                    state.edit(|d| d.remove_property(at));
                }
            }
        }
    };
    let versions: Vec<String> = Version::PUBLISHABLE.iter().rev().map(ToString::to_string).collect();
    view! {
        <section class="flow-settings" aria-labelledby="flow-settings-heading" data-testid="flow-settings">
            <header class="panel-header"><h2 id="flow-settings-heading">"Flow"</h2></header>
            <div class="flow-settings__body">
                <label class="field">
                    <span class="field__label">"Flow JSON version"</span>
                    <select data-testid="flow-version" prop:value=move || pending.get().map(|(to, _)| to).unwrap_or_else(|| version.get())
                        on:change=move |event| choose_version(event_target_value(&event))>
                        {versions.iter().map(|v| view! { <option value=v.clone()>{v.clone()}</option> }).collect_view()}
                        {move || {
                            let current = version.get();
                            (!Version::PUBLISHABLE.iter().any(|v| v.to_string() == current))
                                .then(|| view! { <option value=current.clone()>{format!("{current} (not publishable)")}</option> })
                        }}
                    </select>
                </label>
                {move || pending.get().map(|(to, impact)| view! {
                    <div class="version-impact" role="alert" data-testid="version-impact">
                        {if impact.added.is_empty() {
                            view! { <p>{format!("Nothing breaks at {to}.")}</p> }.into_any()
                        } else {
                            view! {
                                <p>{format!("At {to}, {} new problem(s):", impact.added.len())}</p>
                                <ul>{impact.added.iter().take(8).map(|m| view! { <li>{m.clone()}</li> }).collect_view()}</ul>
                            }.into_any()
                        }}
                        {(impact.removed > 0).then(|| view! { <p class="muted">{format!("{} problem(s) go away.", impact.removed)}</p> })}
                        <div class="dialog__actions">
                            <button class="button" on:click=move |_| pending.set(None)>"Keep " {move || version.get()}</button>
                            <button class="button button--primary" data-testid="apply-version" on:click=apply_version>"Change version"</button>
                        </div>
                    </div>
                })}
                <fieldset class="field">
                    <legend class="field__label">"Routing"</legend>
                    <label class="choice">
                        <input type="radio" name="routing-mode" prop:checked=move || !endpoint.get() on:change=move |_| set_endpoint(false) />
                        "From navigate actions (no endpoint)"
                    </label>
                    <label class="choice">
                        <input type="radio" name="routing-mode" data-testid="endpoint-mode" prop:checked=move || endpoint.get() on:change=move |_| set_endpoint(true) />
                        "Endpoint: data_exchange with a routing_model"
                    </label>
                </fieldset>
                <Show when=move || endpoint.get()>
                    <label class="field">
                        <span class="field__label">"Data API version"</span>
                        <select prop:value=move || data_api.get().unwrap_or_default()
                            on:change=move |event| {
                                let chosen = event_target_value(&event);
                                if chosen.is_empty() {
                                    state.edit(|d| d.remove_property(key::DATA_API_VERSION_AT));
                                } else {
                                    state.edit(|d| d.set_property(key::DATA_API_VERSION_AT, Value::from(chosen)));
                                }
                            }>
                            <option value="">"Not set"</option>
                            <option value="3.0">"3.0"</option>
                            <option value="4.0" disabled=move || Version::parse(&version.get()).is_none_or(|v| v < Version::V7_3)>"4.0 (Flow JSON 7.3+)"</option>
                        </select>
                    </label>
                </Show>
            </div>
        </section>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lowering_the_version_names_what_breaks() {
        let document =
            flow_model::parse(flow_model::templates::find("survey").unwrap().json).document.unwrap();
        let impact = version_impact(&document, "6.2");
        assert!(impact.added.iter().any(|m| m.contains("ChipsSelector")), "{:?}", impact.added);
        assert!(version_impact(&document, "7.3").added.is_empty());
    }

    #[test]
    fn routing_model_follows_navigate_actions() {
        let document = flow_model::parse(flow_model::templates::APPOINTMENT_BOOKING).document.unwrap();
        let model = routing_model_from_navigation(&document);
        assert_eq!(
            Value::Object(model),
            serde_json::json!({"APPOINTMENT": ["DETAILS"], "DETAILS": ["SUMMARY"], "SUMMARY": []})
        );
    }
}
