use flow_model::catalog::{ActionName, Event};
use flow_model::model::Flow;
use leptos::prelude::*;
use serde_json::Value;

use crate::components::{Dialog, DialogActions};
use crate::features::inspector::navigate_payload;
use crate::state::{Selection, use_editor};

/// What the Footer of screen `screen` does now, in words (`None`: the screen has no Footer).
fn footer_action(root: &Value, screen: usize) -> Option<String> {
    let screen = Flow::from_value(root)?.screen_at(screen)?;
    let footer = screen.every_component().find(|c| c.type_name() == Some("Footer"))?;
    let action = footer.action(Event::OnClick);
    let name = action.and_then(|a| a.name_text()).unwrap_or("nothing");
    Some(match (ActionName::parse(name), action.and_then(|a| a.next())) {
        (Some(ActionName::Navigate), Some(next)) => format!("navigates to {next}"),
        (Some(ActionName::DataExchange), _) => "asks the endpoint (data_exchange)".to_owned(),
        _ => name.to_owned(),
    })
}

/// A route drawn from one screen to another, waiting for confirmation.
#[derive(Debug, Clone, PartialEq)]
pub struct RouteOffer {
    /// The index of the screen it leaves.
    pub screen: usize,
    /// Its id.
    pub from: String,
    /// The id of the screen it leads to.
    pub to: String,
    /// Whether the Footer of `from` should navigate to `to` too.
    pub footer: bool,
}

impl RouteOffer {
    /// The offer for a route from screen `screen` (`from`) to `to` in `root`: the Footer
    /// navigates too, unless it now asks the endpoint (which it would then no longer do).
    pub fn new(root: &Value, screen: usize, from: String, to: String) -> Self {
        let asks_endpoint = footer_action(root, screen)
            .is_some_and(|action| action.contains(ActionName::DataExchange.as_str()));
        let footer = !asks_endpoint || !Flow::from_value(root).is_some_and(|flow| flow.has_routing_model());
        RouteOffer { screen, from, to, footer }
    }
}

/// Offered after a route is drawn from one screen to another: adds it to the routing model
/// and, if wanted (always, without a routing model), makes the first screen's Footer navigate
/// to the second. One undo step.
#[component]
pub fn ConnectDialog(
    /// The route drawn.
    connecting: RwSignal<Option<RouteOffer>>,
) -> impl IntoView {
    let state = use_editor();
    let routing_model = move || {
        state.document.with(|d| Flow::from_value(d.root()).is_some_and(|flow| flow.has_routing_model()))
    };
    let current = move || {
        let screen = connecting.with(|offer| offer.as_ref().map(|offer| offer.screen))?;
        Some(state.document.with(|d| footer_action(d.root(), screen)))
    };
    let footer = move || connecting.with(|offer| offer.as_ref().is_some_and(|offer| offer.footer));
    let close = Callback::new(move |()| connecting.set(None));
    let confirm = move |_| {
        let Some(RouteOffer { screen, from, to, footer }) = connecting.get_untracked() else { return };
        let with_footer = footer || !routing_model();
        let payload =
            with_footer.then(|| state.document.with_untracked(|d| navigate_payload(d.root(), screen, &to)));
        if state.edit(|document| document.add_route(&from, &to, payload)) {
            state.selection.set(Selection { screen, ..Selection::default() });
            state.notify(format!("Added the route from {from} to {to}. Undo with Ctrl+Z."));
        }
        connecting.set(None);
    };
    let names = move || connecting.get().map(|offer| (offer.from, offer.to)).unwrap_or_default();
    view! {
        <Dialog open=Signal::derive(move || connecting.with(Option::is_some)) on_close=close title="Add a route" testid="connect-dialog">
            <p>"From " <strong>{move || names().0}</strong> " to " <strong>{move || names().1}</strong> "."</p>
            {move || {
                let footer_text = match current().flatten() {
                    Some(action) => format!("Its Footer now {action}; it will navigate to {} instead.", names().1),
                    None => "It has no Footer: one labelled “Continue” will be added.".to_owned(),
                };
                if routing_model() {
                    view! {
                        <p class="muted">"The route goes into routing_model."</p>
                        <label class="field field--inline">
                            <input type="checkbox" data-testid="connect-footer" prop:checked=footer
                                on:change=move |event| {
                                    let checked = event_target_checked(&event);
                                    connecting.update(|offer| if let Some(offer) = offer { offer.footer = checked });
                                } />
                            <span>{format!("Also make the Footer of {} navigate there", names().0)}</span>
                        </label>
                        <p class="muted">{footer_text}</p>
                    }
                    .into_any()
                } else {
                    view! {
                        <p class="muted">"This flow has no routing model: its routes are its navigate actions."</p>
                        <p class="muted">{footer_text}</p>
                    }
                    .into_any()
                }
            }}
            <DialogActions on_cancel=close label="Add route" on_confirm=Callback::new(confirm) testid="connect-confirm" />
        </Dialog>
    }
    .into_any()
}
