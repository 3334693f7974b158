use leptos::prelude::*;

/// A menu button: a disclosure (`<details>`) whose items are buttons (`menu__item`). The shell's
/// script (`features/shell/shell.js`) closes it when an item is chosen (focus goes back to the
/// menu's button, so a dialog the item opens gives focus back there), on Escape, and when
/// focus moves elsewhere.
#[component]
pub fn Menu(
    /// The menu button's text.
    label: &'static str,
    /// A stable name for tests.
    testid: &'static str,
    children: Children,
) -> impl IntoView {
    view! {
        <details class="menu" data-testid=testid>
            <summary class="button">{label}</summary>
            <div class="menu__items">{children()}</div>
        </details>
    }
    .into_any()
}
