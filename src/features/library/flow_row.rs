use leptos::prelude::*;

use super::link::status_label;
use crate::api::{CATEGORIES, FlowInfo};

fn category_label(code: &str) -> String {
    CATEGORIES
        .iter()
        .find(|(c, _)| *c == code)
        .map_or_else(|| code.to_owned(), |(_, label)| (*label).to_owned())
}

/// What a row's buttons ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowAction {
    /// Open in the editor.
    Open,
    /// Clone.
    Clone,
    /// Deprecate.
    Deprecate,
    /// Delete.
    Delete,
}

/// One flow of the library: name, status, categories, Meta's error count, Flow JSON version,
/// and what can be done to it in its status.
#[component]
pub fn FlowRow(
    flow: FlowInfo,
    /// Whether an operation is running (buttons are disabled).
    #[prop(into)]
    busy: Signal<bool>,
    /// Why the user's role does not allow cloning, and the lifecycle operations, if so.
    refusals: Signal<(Option<String>, Option<String>)>,
    /// A button was clicked.
    on_action: Callback<(RowAction, FlowInfo)>,
) -> impl IntoView {
    let status = flow.status.clone();
    let errors = flow.validation_errors.len();
    let categories = flow.categories.iter().map(|c| category_label(c)).collect::<Vec<_>>().join(", ");
    let errors_class = if errors == 0 { "badge" } else { "badge badge--error" };
    let live = matches!(status.as_str(), "PUBLISHED" | "THROTTLED" | "BLOCKED");
    let draft = status == "DRAFT";
    let button = move |action: RowAction,
                       label: &'static str,
                       testid: &'static str,
                       shown: bool,
                       flow: &FlowInfo| {
        let flow = flow.clone();
        let refused = move || match action {
            RowAction::Open => None,
            RowAction::Clone => refusals.get().0,
            _ => refusals.get().1,
        };
        shown.then(|| {
            view! {
                <button class="button button--small" class:button--danger=action == RowAction::Delete data-testid=testid
                    disabled=move || busy.get() || refused().is_some() title=refused on:click=move |_| on_action.run((action, flow.clone()))>{label}</button>
            }
        })
    };
    view! {
        <tr class="flow-row" data-testid="flow-row" data-flow-id=flow.id.clone() data-name=flow.name.clone() data-status=status.clone()>
            <td class="flow-row__name"><strong>{flow.name.clone()}</strong><div class="muted flow-row__id">{flow.id.clone()}</div></td>
            <td><span class="status-badge" data-status=status.clone() data-testid="flow-status">{status_label(&status)}</span></td>
            <td class="muted">{categories}</td>
            <td>
                <span class=errors_class data-testid="flow-errors" title="Validation errors Meta reported">{errors}</span>
            </td>
            <td class="muted">{flow.json_version.clone().unwrap_or_else(|| "—".to_owned())}</td>
            <td>
                <div class="flow-row__actions">
                    {button(RowAction::Open, "Open", "flow-open", true, &flow)}
                    {button(RowAction::Clone, "Clone…", "flow-clone", true, &flow)}
                    {button(RowAction::Deprecate, "Deprecate…", "flow-deprecate", live, &flow)}
                    {button(RowAction::Delete, "Delete…", "flow-delete", draft, &flow)}
                </div>
            </td>
        </tr>
    }
    .into_any()
}
