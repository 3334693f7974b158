use leptos::prelude::*;

/// A modal dialog (the native `<dialog>`: focus stays inside, Escape closes it).
#[component]
pub fn Dialog(
    /// Whether the dialog is shown.
    #[prop(into)]
    open: Signal<bool>,
    /// Called when the user closes it (Escape, the close button).
    on_close: Callback<()>,
    /// The heading.
    #[prop(into)]
    title: String,
    /// A stable name for tests.
    #[prop(into)]
    testid: String,
    children: Children,
) -> impl IntoView {
    let dialog = NodeRef::<leptos::html::Dialog>::new();
    let label = title.clone();
    Effect::new(move |_| {
        let Some(element) = dialog.get() else { return };
        match (open.get(), element.open()) {
            (true, false) => {
                let _ = element.show_modal();
            }
            (false, true) => element.close(),
            _ => {}
        }
    });
    view! {
        <dialog
            node_ref=dialog
            class="dialog"
            data-testid=testid
            aria-label=label
            on:close=move |_| {
                if open.get_untracked() {
                    on_close.run(());
                }
            }
        >
            <header class="dialog__header">
                <h2>{title}</h2>
                <button class="icon-button" aria-label="Close" on:click=move |_| on_close.run(())>
                    "×"
                </button>
            </header>
            <div class="dialog__body">{children()}</div>
        </dialog>
    }
    .into_any()
}
