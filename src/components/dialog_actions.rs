use leptos::prelude::*;
use leptos::text_prop::TextProp;

/// The foot of a dialog: Cancel, then the dialog's action. One component for every dialog, so
/// their buttons look and behave the same (and the app carries their markup once).
#[component]
pub fn DialogActions(
    /// Closes the dialog without acting.
    on_cancel: Callback<()>,
    /// The action's label.
    #[prop(into)]
    label: TextProp,
    /// Runs the action; without it the button submits the dialog's form.
    #[prop(optional)]
    on_confirm: Option<Callback<()>>,
    /// The action button's `data-testid`.
    #[prop(optional)]
    testid: Option<&'static str>,
    /// The Cancel button's `data-testid`.
    #[prop(optional)]
    cancel_testid: Option<&'static str>,
    /// The action cannot run now.
    #[prop(optional, into)]
    disabled: Signal<bool>,
    /// The action destroys something: a red button.
    #[prop(optional)]
    danger: bool,
) -> impl IntoView {
    view! {
        <footer class="dialog__actions">
            <button type="button" class="button" data-testid=cancel_testid on:click=move |_| on_cancel.run(())>
                "Cancel"
            </button>
            <button
                type=if on_confirm.is_some() { "button" } else { "submit" }
                class=if danger { "button button--danger" } else { "button button--primary" }
                data-testid=testid
                disabled=move || disabled.get()
                on:click=move |_| {
                    if let Some(confirm) = on_confirm {
                        confirm.run(());
                    }
                }
            >
                {move || label.get()}
            </button>
        </footer>
    }
    .into_any()
}
