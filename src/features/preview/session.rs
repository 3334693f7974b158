//! The running flow, reactive: the visited screens (each with its data, its inputs' values and
//! the messages shown under them), how the flow ended, the snackbar. Components read it through
//! [`Session::lookup`]; actions go through [`Session::run`].
use std::sync::Arc;

use flow_model::evaluate::{self, Lookup};
use flow_model::expression::{Reference, Source};
use flow_model::model::{Action, Component, ComponentKind, Screen};
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::{Map, Value};

use crate::api::Client;
use crate::api::endpoint::{EndpointCall, EndpointTarget, Exchanged, same_origin};

use super::bridge;
use super::endpoint_log::{self, LogEntry};
use super::error::PreviewError;
use super::protocol::{EmbedEvent, Options};
use super::runtime::{self, Reply, Step};

/// One visit of a screen: its data and its form. Going back to a screen shows it as it was.
#[derive(Clone, Copy)]
pub struct Visit {
    /// Unique per visit: screens re-render when it changes.
    pub key: u64,
    /// The screen id.
    pub screen: StoredValue<String>,
    /// `${data}`.
    pub data: RwSignal<Map<String, Value>>,
    /// `${form}`: input values by name.
    pub form: RwSignal<Map<String, Value>>,
    /// Messages under inputs, by name (the business's error messages, then the checks').
    pub errors: RwSignal<Map<String, Value>>,
}

/// How the flow ended.
#[derive(Debug, Clone, PartialEq)]
pub enum Ending {
    /// `complete`: what the business receives.
    Completed(Map<String, Value>),
    /// The person closed it.
    Closed,
}

/// The preview's state. All signals: `Copy`.
#[derive(Clone, Copy)]
pub struct Session {
    /// The flow shown (its JSON value).
    pub flow: RwSignal<Arc<Value>>,
    /// Visited screens; the last one shows.
    pub visits: RwSignal<Vec<Visit>>,
    /// Set when the flow ended.
    pub ending: RwSignal<Option<Ending>>,
    /// A short message over the screen (an address not opened, an endpoint's error message).
    pub snackbar: RwSignal<Option<String>>,
    /// How data_exchange is answered and the first screen's data.
    pub options: RwSignal<Options>,
    /// A data_exchange is waiting for its answer.
    pub busy: RwSignal<bool>,
    /// The component the host selected (JSON Pointer).
    pub highlighted: RwSignal<Option<String>>,
    /// The calls made to the designer's encrypted endpoint, oldest first.
    pub log: RwSignal<Vec<LogEntry>>,
    events: StoredValue<Option<Callback<EmbedEvent>>>,
    next_key: StoredValue<u64>,
    /// Counts the starts: an endpoint's answer to a call made before the flow started again
    /// (its URL, key or data changed meanwhile) is logged, not followed.
    run: StoredValue<u64>,
    /// Owns the visits' signals: a visit outlives the view that created it (a click on a
    /// screen that is replaced by the next one).
    owner: StoredValue<Owner>,
}

impl Default for Session {
    fn default() -> Self {
        Self::new()
    }
}

impl Session {
    /// An empty session (no flow).
    pub fn new() -> Self {
        Session {
            flow: RwSignal::new(Arc::new(Value::Null)),
            visits: RwSignal::new(Vec::new()),
            ending: RwSignal::new(None),
            snackbar: RwSignal::new(None),
            options: RwSignal::new(Options::default()),
            busy: RwSignal::new(false),
            highlighted: RwSignal::new(None),
            log: RwSignal::new(Vec::new()),
            events: StoredValue::new(None),
            next_key: StoredValue::new(0),
            run: StoredValue::new(0),
            owner: StoredValue::new(Owner::new()),
        }
    }

    /// Where the session reports screens, completions and clicks.
    pub fn on_event(&self, callback: Callback<EmbedEvent>) {
        self.events.set_value(Some(callback));
    }

    fn emit(&self, event: EmbedEvent) {
        if let Some(callback) = self.events.get_value() {
            callback.run(event);
        }
    }

    /// The visit shown.
    pub fn current(&self) -> Option<Visit> {
        self.visits.with(|visits| visits.last().copied())
    }

    /// Shows `flow`. The visits stay (with their values) while their screens exist, so editing
    /// a flow keeps the preview where it was; otherwise it starts again.
    pub fn load(&self, flow: Value, options: Options) {
        // The editor sends the flow after every change, and the same flow again when only the
        // selection moved: an unchanged flow keeps the screen as it is (focus included).
        if self.flow.with_untracked(|current| **current == flow)
            && self.options.with_untracked(|current| *current == options)
        {
            return;
        }
        // A new encrypted endpoint starts again: its INIT gives the first screen.
        let options_changed = self.options.with_untracked(|current| {
            current.data != options.data
                || current.public_key != options.public_key
                || (options.public_key.is_some() && current.endpoint != options.endpoint)
        });
        let start_screen = options.screen.clone();
        self.options.set(options);
        let ids = runtime::screen_ids(&flow);
        self.flow.set(Arc::new(flow));
        let kept: Vec<Visit> = self.visits.with_untracked(|visits| {
            visits
                .iter()
                .copied()
                .take_while(|visit| visit.screen.with_value(|id| ids.contains(id)))
                .collect()
        });
        if kept.is_empty() || options_changed {
            self.start(start_screen.as_deref());
        } else {
            self.visits.set(kept);
        }
    }

    /// Starts the flow again on `screen` (the first screen when `None`).
    pub fn start(&self, screen: Option<&str>) {
        self.run.update_value(|run| *run += 1);
        self.ending.set(None);
        self.snackbar.set(None);
        self.busy.set(false);
        let first = self.flow.with_untracked(|flow| runtime::screen_ids(flow).into_iter().next());
        let Some(id) = screen.map(str::to_owned).or(first) else {
            self.visits.set(Vec::new());
            return;
        };
        let is_first = first_is(self, &id);
        let custom = self.options.with_untracked(|options| options.data.clone());
        let data = match custom {
            Some(Value::Object(data)) if is_first => data,
            _ => self.example_data(&id),
        };
        let visit = self.visit(&id, data);
        self.visits.set(vec![visit]);
        self.announce();
        if screen.is_none() && self.encrypted_target().is_some() {
            self.call_endpoint(EndpointCall { action: "INIT".into(), ..Default::default() }, Then::Init, &[]);
        }
    }

    /// Shows `screen` as the host asked (the editor's selection): a new visit with the example
    /// data, unless it already shows.
    pub fn show_screen(&self, screen: &str) {
        let showing = self.current().is_some_and(|visit| visit.screen.with_value(|id| id == screen));
        let exists = self.flow.with_untracked(|flow| runtime::screen(flow, screen).is_some());
        if showing || !exists {
            return;
        }
        self.ending.set(None);
        let data = self.example_data(screen);
        let visit = self.visit(screen, data);
        self.visits.update(|visits| visits.push(visit));
        self.announce();
    }

    fn example_data(&self, screen: &str) -> Map<String, Value> {
        self.flow.with_untracked(|flow| {
            runtime::screen(flow, screen).map(runtime::example_data).unwrap_or_default()
        })
    }

    /// A new visit of `screen` with `data`: inputs start with their init-values and the
    /// business's error messages.
    fn visit(&self, screen: &str, data: Map<String, Value>) -> Visit {
        let key = self.next_key.try_update_value(|key| {
            *key += 1;
            *key
        });
        let (form, errors) = self.flow.with_untracked(|flow| {
            let Some(object) = runtime::screen(flow, screen) else { return (Map::new(), Map::new()) };
            let data_value = Value::Object(data.clone());
            let mut lookup = |reference: Reference<'_>| match (reference.screen, reference.source) {
                (None, Source::Data) => evaluate::lookup_path(&data_value, reference.path).cloned(),
                (Some(other), _) => self.global(other, reference),
                _ => None,
            };
            let form = runtime::initial_form(object, &mut lookup);
            let errors = business_errors(object, &mut lookup);
            (form, errors)
        });
        self.owner.get_value().with(|| Visit {
            key: key.unwrap_or_default(),
            screen: StoredValue::new(screen.to_owned()),
            data: RwSignal::new(data),
            form: RwSignal::new(form),
            errors: RwSignal::new(errors),
        })
    }

    /// `${screen.ID.data.x}` / `${screen.ID.form.x}`: the latest visit of that screen.
    fn global(&self, screen: &str, reference: Reference<'_>) -> Option<Value> {
        let visit = self.visits.with(|visits| {
            visits.iter().rev().find(|visit| visit.screen.with_value(|id| id == screen)).copied()
        })?;
        let signal = if reference.source == Source::Data { visit.data } else { visit.form };
        signal.with(|values| lookup_in(values, reference.path))
    }

    /// Reads a binding in `visit` (tracked: a closure that calls it re-runs when the value
    /// changes).
    pub fn lookup(&self, visit: Visit) -> impl FnMut(Reference<'_>) -> Option<Value> + use<> {
        let session = *self;
        move |reference: Reference<'_>| match reference.screen {
            Some(screen) if !visit.screen.with_value(|id| id == screen) => session.global(screen, reference),
            _ => {
                let signal = if reference.source == Source::Data { visit.data } else { visit.form };
                signal.with(|values| lookup_in(values, reference.path))
            }
        }
    }

    /// The answers of every visited screen, as the chat's summary of a completed flow shows
    /// them (sensitive fields masked): (screen title, its answers), screens without answers
    /// left out.
    pub fn summary(&self) -> Vec<(String, Vec<runtime::Answer>)> {
        let visits = self.visits.get_untracked();
        self.flow.with_untracked(|flow| {
            visits
                .iter()
                .filter_map(|visit| {
                    let id = visit.screen.get_value();
                    let screen = runtime::screen(flow, &id)?;
                    let form = visit.form.get_untracked();
                    let answers = runtime::summary(screen, &form, &mut untracked(self.lookup(*visit)));
                    let title = screen.title_text().map_or(id, str::to_owned);
                    (!answers.is_empty()).then_some((title, answers))
                })
                .collect()
        })
    }

    /// Sets an input's value; its message goes away until it is checked again.
    pub fn set_value(&self, visit: Visit, name: &str, value: Value) {
        visit.form.update(|form| {
            form.insert(name.to_owned(), value);
        });
        if visit.errors.with_untracked(|errors| errors.contains_key(name)) {
            visit.errors.update(|errors| {
                errors.remove(name);
            });
        }
    }

    /// Checks one input (when it loses focus) and shows or clears its message.
    pub fn check_field(&self, visit: Visit, component: &Map<String, Value>) {
        let component = Component::new(component);
        let Some(name) = component.name() else { return };
        let value = visit.form.with_untracked(|form| form.get(name).cloned());
        let mut lookup = untracked(self.lookup(visit));
        let problem = runtime::check_input(component, value.as_ref(), &mut lookup, &bridge::pattern_matches);
        visit.errors.update(|errors| match problem {
            Some(problem) => {
                errors.insert(name.to_owned(), Value::String(problem));
            }
            None => {
                errors.remove(name);
            }
        });
    }

    /// Runs an action of the shown screen. Actions that leave the screen or send its data
    /// (navigate, complete, data_exchange from a Footer, a link or a list) first check the
    /// inputs, as WhatsApp does, and stop on a problem.
    pub fn run(&self, visit: Visit, action: &Value, check_first: bool) {
        if self.busy.get_untracked() {
            return;
        }
        let screen_id = visit.screen.get_value();
        let leaves = Action::new(action).is_some_and(|action| action.sends_form());
        if check_first && leaves && !self.check_screen(visit, &screen_id) {
            return;
        }
        let mut lookup = untracked(self.lookup(visit));
        match runtime::step(action, &mut lookup) {
            Step::Navigate { screen, data } => self.navigate(&screen, data),
            Step::Complete { response } => self.complete(&screen_id, response),
            Step::UpdateData { payload } => visit.data.update(|data| data.extend(payload)),
            Step::OpenUrl { url } => {
                self.snackbar.set(Some(format!("Opens {url} (not followed in the preview)")))
            }
            Step::DataExchange { payload } => self.data_exchange(visit, &screen_id, payload),
            Step::Invalid(why) => self.snackbar.set(Some(why)),
        }
    }

    fn check_screen(&self, visit: Visit, screen_id: &str) -> bool {
        let problems = self.flow.with_untracked(|flow| {
            let screen = runtime::screen(flow, screen_id)?;
            let mut lookup = untracked(self.lookup(visit));
            let form = visit.form.get_untracked();
            Some(runtime::check_screen(screen, &form, &mut lookup, &bridge::pattern_matches))
        });
        match problems {
            Some(problems) if !problems.is_empty() => {
                visit.errors.update(|errors| errors.extend(problems));
                false
            }
            _ => true,
        }
    }

    fn navigate(&self, screen: &str, data: Map<String, Value>) {
        if self.flow.with_untracked(|flow| runtime::screen(flow, screen).is_none()) {
            self.snackbar.set(Some(format!("There is no screen '{screen}' to go to.")));
            return;
        }
        let visit = self.visit(screen, data);
        self.visits.update(|visits| visits.push(visit));
        self.snackbar.set(None);
        self.announce();
    }

    fn complete(&self, screen: &str, mut response: Map<String, Value>) {
        // A sent message's token replaces the preview's `unused` (the test phone's reply).
        if let Some(token) = self.options.with_untracked(|options| options.flow_token.clone()) {
            response.insert("flow_token".to_owned(), Value::String(token));
        }
        self.ending.set(Some(Ending::Completed(response.clone())));
        self.emit(EmbedEvent::Complete { screen: screen.to_owned(), response });
    }

    fn data_exchange(&self, visit: Visit, screen: &str, payload: Map<String, Value>) {
        if self.encrypted() && self.encrypted_target().is_none() {
            self.snackbar.set(Some(
                "Set your endpoint's URL and public key in Data & endpoint: the preview calls it for each data_exchange."
                    .to_owned(),
            ));
            return;
        }
        if self.encrypted_target().is_some() {
            let values = self.flow.with_untracked(|flow| {
                visit.form.with_untracked(|form| endpoint_log::sensitive_values(flow, screen, form))
            });
            let call = EndpointCall {
                action: "data_exchange".into(),
                screen: Some(screen.to_owned()),
                data: Some(payload),
            };
            self.call_endpoint(call, Then::Answer(visit, screen.to_owned()), &values);
            return;
        }
        let (mock, endpoint) = self
            .options
            .with_untracked(|options| (options.mocks.get(screen).cloned(), options.endpoint.clone()));
        if let Some(answer) = mock {
            self.answer(visit, screen, Ok(answer));
            return;
        }
        let Some(endpoint) = endpoint.filter(|url| !url.trim().is_empty()) else {
            self.snackbar.set(Some(format!(
                "data_exchange from {screen} sent {}. Write the endpoint's answer for {screen} in the preview's settings.",
                flow_model::json::compact(&Value::Object(payload))
            )));
            return;
        };
        let body = flow_model::json::compact(&runtime::endpoint_request(screen, &payload));
        let session = *self;
        let screen = screen.to_owned();
        self.busy.set(true);
        spawn_local(async move {
            let answer = match bridge::post_text(&endpoint, &body).await {
                Ok(text) => flow_model::json::read(&text).map_err(PreviewError::AnswerNotJson),
                Err(error) => Err(PreviewError::EndpointFailed(error)),
            };
            session.busy.set(false);
            session.answer(visit, &screen, answer);
        });
    }

    fn answer(&self, visit: Visit, screen: &str, answer: Result<Value, PreviewError>) {
        match answer.and_then(|answer| runtime::reply(&answer)) {
            Ok(Reply::Complete { response }) => self.complete(screen, response),
            Ok(Reply::Screen { screen: next, data, error_message }) => {
                if next == screen {
                    visit.data.set(data);
                } else {
                    self.navigate(&next, data);
                }
                self.snackbar.set(error_message);
            }
            Err(why) => self.snackbar.set(Some(format!("data_exchange from {screen}: {why}"))),
        }
    }

    /// Back: the previous screen as it was (with the encrypted endpoint, a screen with
    /// `refresh_on_back` asks it with `BACK` for new data); on the first screen, closes the flow.
    pub fn back(&self) {
        self.snackbar.set(None);
        if self.visits.with_untracked(Vec::len) > 1 {
            let left = self.current().map(|visit| visit.screen.get_value()).unwrap_or_default();
            self.visits.update(|visits| {
                visits.pop();
            });
            self.announce();
            let Some(shown) = self.current() else { return };
            let refresh = self.flow.with_untracked(|flow| {
                runtime::screen(flow, &shown.screen.get_value())
                    .is_some_and(|screen| screen.refresh_on_back())
            });
            if refresh && self.encrypted_target().is_some() {
                let call = EndpointCall { action: "BACK".into(), screen: Some(left), data: None };
                self.call_endpoint(call, Then::Answer(shown, shown.screen.get_value()), &[]);
            }
        } else {
            self.ending.set(Some(Ending::Closed));
        }
    }

    /// Whether the preview calls the designer's endpoint encrypted as WhatsApp does.
    pub fn encrypted(&self) -> bool {
        self.options.with_untracked(|options| options.public_key.is_some())
    }

    /// The designer's endpoint, once its URL and public key are both set.
    pub fn encrypted_target(&self) -> Option<EndpointTarget> {
        self.options.with_untracked(|options| {
            let url = options.endpoint.clone().filter(|url| !url.trim().is_empty())?;
            let public_key = options.public_key.clone().filter(|key| !key.trim().is_empty())?;
            Some(EndpointTarget { url, public_key })
        })
    }

    /// Calls the designer's endpoint through the server's tester, logs the exchange, and
    /// does `then` with the answer. `values`: what to mask beside the `sensitive` names.
    fn call_endpoint(&self, call: EndpointCall, then: Then, values: &[Value]) {
        let Some(target) = self.encrypted_target() else { return };
        let session = *self;
        let values = values.to_vec();
        let flow = self.flow.get_untracked();
        let run = self.run.get_value();
        if !matches!(then, Then::Log) {
            self.busy.set(true);
        }
        spawn_local(async move {
            let client = Client::new(bridge::Fetch, same_origin());
            let result = client.endpoint_exchange(&target, Some(flow.as_ref()), &call).await;
            let id = session.next_key.try_update_value(|key| {
                *key += 1;
                *key
            });
            let id = id.unwrap_or_default();
            let (mut entry, exchanged) = match result {
                Ok(exchanged) => (LogEntry::exchanged(id, call, &flow, &exchanged, &values), Some(exchanged)),
                Err(error) => (LogEntry::refused(id, call, &flow, error.for_people(), &values), None),
            };
            // Made before the flow started again: only logged (marked as such), nothing moves.
            let stale = session.run.try_get_value().is_some_and(|now| now != run);
            entry.replay = matches!(then, Then::Log);
            entry.outdated = stale && !entry.replay;
            let failure = entry.failure.clone();
            // The session may be gone (the page closed) when the answer comes.
            if session.log.try_update(|log| log.push(entry)).is_none() {
                return;
            }
            if matches!(then, Then::Log) || stale {
                return;
            }
            session.busy.set(false);
            match (exchanged, failure) {
                (_, Some(failure)) => session.snackbar.set(Some(format!("Your endpoint: {failure}"))),
                (Some(exchanged), None) => session.follow(exchanged, then),
                (None, None) => {}
            }
        });
    }

    /// Replays a logged call: the same request sent again, its exchange logged (the preview
    /// stays where it is).
    pub fn replay(&self, entry: &LogEntry) {
        self.call_endpoint(entry.call.clone(), Then::Log, &[]);
    }

    /// Moves the flow on with an encrypted endpoint's answer, as WhatsApp would: an answer
    /// with errors against the flow is refused (its problems shown), warnings are shown.
    fn follow(&self, exchanged: Exchanged, then: Then) {
        let problems = endpoint_log::problems_line(&exchanged.problems);
        let refused = exchanged.problems.iter().any(|problem| problem.severity == "error");
        let Some(answer) = exchanged.answer.filter(|_| !refused) else {
            self.snackbar.set(problems);
            return;
        };
        match then {
            Then::Init => match runtime::reply(&answer) {
                Ok(Reply::Screen { screen, data, error_message }) => {
                    let visit = self.visit(&screen, data);
                    self.visits.set(vec![visit]);
                    self.announce();
                    self.snackbar.set(error_message);
                }
                Ok(Reply::Complete { response }) => self.complete("INIT", response),
                Err(why) => self.snackbar.set(Some(format!("INIT: {why}"))),
            },
            Then::Answer(visit, screen) => self.answer(visit, &screen, Ok(answer)),
            Then::Log => {}
        }
        if problems.is_some() {
            self.snackbar.set(problems);
        }
    }

    /// The host is told which screen shows.
    fn announce(&self) {
        let Some(visit) = self.visits.with_untracked(|visits| visits.last().copied()) else { return };
        let screen = visit.screen.get_value();
        let index = self
            .flow
            .with_untracked(|flow| runtime::screen(flow, &screen).map(|screen| screen.index()))
            .unwrap_or_default();
        self.emit(EmbedEvent::Screen { screen, index, data: visit.data.get_untracked() });
    }

    /// The person clicked a component: the host may select it.
    pub fn clicked(&self, visit: Visit, pointer: &str) {
        self.emit(EmbedEvent::Component { screen: visit.screen.get_value(), pointer: pointer.to_owned() });
    }
}

/// What an encrypted endpoint's answer does.
#[derive(Clone)]
enum Then {
    /// It opens the flow.
    Init,
    /// It answers a data_exchange or BACK from `visit` on this screen.
    Answer(Visit, String),
    /// Nothing: a replay is only logged.
    Log,
}

fn first_is(session: &Session, id: &str) -> bool {
    session.flow.with_untracked(|flow| runtime::screen_ids(flow).first().is_some_and(|first| first == id))
}

fn lookup_in(values: &Map<String, Value>, path: &str) -> Option<Value> {
    let (field, rest) = path.split_once('.').map_or((path, None), |(field, rest)| (field, Some(rest)));
    let value = values.get(field)?;
    match rest {
        Some(rest) => evaluate::lookup_path(value, rest).cloned(),
        None => Some(value.clone()),
    }
}

/// A lookup that subscribes to nothing (for actions and checks run from event handlers).
fn untracked(
    mut lookup: impl FnMut(Reference<'_>) -> Option<Value>,
) -> impl FnMut(Reference<'_>) -> Option<Value> {
    move |reference| untrack(|| lookup(reference))
}

/// The error messages the business set on the screen's inputs (Form `error-messages`, each
/// input's `error-message`), evaluated.
fn business_errors(screen: Screen<'_>, lookup: &mut Lookup<'_>) -> Map<String, Value> {
    let mut errors = Map::new();
    for component in screen.every_component() {
        if let ComponentKind::Form(form) = component.kind() {
            for (name, message) in runtime::object_value(form.error_messages(), lookup).unwrap_or_default() {
                let message = evaluate::evaluate_value(&message, lookup).unwrap_or(message);
                if !message.is_null() && message != "" {
                    errors.insert(name, Value::String(evaluate::display(&message)));
                }
            }
        } else if let (Some(name), Some(message)) = (component.name(), component.error_message())
            && let Ok(message) = evaluate::evaluate_value(message, lookup)
            && !message.is_null()
            && message != ""
        {
            errors.insert(name.to_owned(), Value::String(evaluate::display(&message)));
        }
    }
    errors
}
