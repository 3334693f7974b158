use leptos::prelude::*;

use super::Pane;

/// A pane (a named `aside`), its splitter and its rail. The rail shows only when the pane is
/// collapsed (`style/main.css` decides when) and opens it over the others; `shell.js` drags
/// and moves the splitter, opens and closes the rail.
#[component]
pub fn Dock(pane: Pane, children: Children) -> impl IntoView {
    let (smallest, default, largest) = pane.widths();
    let id = format!("pane-{}", pane.name());
    let splitter = {
        let id = id.clone();
        move || {
            view! {
                <div
                    class="splitter"
                    role="separator"
                    aria-orientation="vertical"
                    aria-label=format!("Resize {}", pane.label())
                    aria-controls=id
                    aria-valuemin=smallest
                    aria-valuemax=largest
                    aria-valuenow=default
                    tabindex="0"
                    data-testid="splitter"
                    data-pane=pane.name()
                ></div>
            }
        }
    };
    let left = pane == Pane::Screens;
    view! {
        <div class=format!("dock dock--{}", pane.name())>
            {(!left).then(splitter.clone())}
            <button class="rail" data-testid="rail" data-pane=pane.name() aria-controls=id.clone() aria-expanded="false">
                {pane.label()}
            </button>
            <aside id=id class="pane" aria-label=pane.label() data-testid="pane" data-pane=pane.name()>
                {children()}
            </aside>
            {left.then(splitter)}
        </div>
    }
    .into_any()
}
