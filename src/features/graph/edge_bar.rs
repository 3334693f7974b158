use std::sync::Arc;

use flow_model::graph::{EdgeKind, Mismatch};
use leptos::prelude::*;

use super::actions::{remove_edge, reveal_problem};
use super::graph_state::GraphState;
use super::markup::mismatch_text;
use crate::features::inspector::navigate_payload;
use crate::features::problems::ProblemIndex;
use crate::state::{Selection, use_editor};

/// What the selected edge is, what is wrong with it, and what can be done: fix the
/// disagreement with the routing model, show its problem, open its component, remove it.
#[component]
pub fn EdgeBar(
    /// The problem index, to link to a diagnostic.
    #[prop(into)]
    index: Signal<Arc<ProblemIndex>>,
    /// Opens the selection in the editor (the cards).
    on_open: Callback<()>,
) -> impl IntoView {
    let state = use_editor();
    let graph = expect_context::<GraphState>();
    let selected = Memo::new(move |_| {
        let at = graph.selected_edge.get()?;
        let edge = graph.graph.with(|graph| graph.edges.get(at).cloned())?;
        let view = graph.scene.with(|scene| scene.edges.get(at).cloned())?;
        Some((at, edge, view))
    });
    view! {
        {move || selected.get().map(|(at, edge, view)| {
            let (from, to) = (edge.from.clone(), edge.to.clone());
            let what = match edge.kind {
                EdgeKind::Routing => format!("Route {from} → {to} in routing_model"),
                EdgeKind::DataExchange => format!("{from} asks the endpoint, which may send people to {to}"),
                _ => format!("{} on {from} navigates to {to}", view.label),
            };
            let problem = (!edge.target_exists).then(|| format!("No screen is called {to}."))
                .or_else(|| view.mismatch.map(|m| mismatch_text(m).to_owned()));
            let from_screen = graph.scene.with_untracked(|scene| scene.nodes.get(view.from).and_then(|node| node.screen));
            let flagged = problem.is_some();
            let fix = view.mismatch.map(|mismatch| {
                let (from, to) = (from.clone(), to.clone());
                let (label, footer) = match mismatch {
                    Mismatch::NotInRoutingModel => ("Add the route to routing_model", false),
                    Mismatch::NoActionTakesIt => ("Make the Footer navigate here", true),
                };
                let apply = move |_| {
                    let screen = from_screen.unwrap_or_default();
                    let payload = footer.then(|| state.document.with_untracked(|d| navigate_payload(d.root(), screen, &to)));
                    state.edit(|document| document.add_route(&from, &to, payload));
                };
                view! { <button class="button button--small button--primary" data-testid="edge-fix" on:click=apply>{label}</button> }
            });
            let diagnostic = view.problem;
            let component = edge.component.clone();
            let open = move |_| {
                let screen = from_screen.unwrap_or_else(|| state.selection.get_untracked().screen);
                state.selection.set(Selection { screen, component: component.clone(), field: None });
                on_open.run(());
            };
            view! {
                <div class="graph__edge-bar" class:graph__edge-bar--flagged=flagged data-testid="edge-bar" role="status">
                    <span class="graph__edge-what">{what}</span>
                    {problem.map(|text| view! { <span class="graph__edge-problem">"⚠ " {text}</span> })}
                    {fix}
                    {diagnostic.map(|position| view! {
                        <button class="button button--small" data-testid="edge-problem" on:click=move |_| reveal_problem(state, index, position)>"Show problem"</button>
                    })}
                    {edge.component.is_some().then(|| view! {
                        <button class="button button--small" data-testid="edge-open" on:click=open.clone()>"Open component"</button>
                    })}
                    <button class="button button--small button--danger" data-testid="remove-edge" title="Remove (Delete)" on:click=move |_| remove_edge(state, graph, at)>"Remove"</button>
                    <button class="icon-button" aria-label="Close" on:click=move |_| graph.selected_edge.set(None)>"×"</button>
                </div>
            }
        })}
    }
    .into_any()
}
