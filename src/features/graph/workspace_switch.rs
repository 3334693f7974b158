use leptos::prelude::*;

/// "Cards | Graph": which view of the flow the workspace shows.
#[component]
pub fn WorkspaceSwitch(
    /// Whether the graph shows (else the cards).
    show_graph: RwSignal<bool>,
) -> impl IntoView {
    view! {
        <span class="segmented" role="group" aria-label="Workspace">
            <button
                class="button"
                class:button--pressed=move || !show_graph.get()
                aria-pressed=move || (!show_graph.get()).to_string()
                data-testid="workspace-cards"
                on:click=move |_| show_graph.set(false)
            >"Cards"</button>
            <button
                class="button"
                class:button--pressed=move || show_graph.get()
                aria-pressed=move || show_graph.get().to_string()
                data-testid="workspace-graph"
                title="The flow as a graph of screens and routes"
                on:click=move |_| show_graph.set(true)
            >"Graph"</button>
        </span>
    }
    .into_any()
}
