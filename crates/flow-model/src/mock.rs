//! A mock of a flow's endpoint: the answers a designer writes for it, and what it answers each
//! request from them (issue 21). One reader for the preview's **Data & endpoint** settings and
//! for `flowsmith endpoint --answers`, so the preview and the mock endpoint a team registers with
//! Meta answer alike.
//!
//! The answers are the preview's settings as the draft keeps them (`extras["preview"]`, what
//! `flowsmith:settings` reports) or as a host sends them (`flowsmith:load`'s `options`):
//! `{"custom_data": TEXT | "data": OBJECT, "mocks": {SCREEN_ID: TEXT | OBJECT}}`, where a text is
//! JSON as typed and each answer is `{"screen": "NEXT", "data": {…}}` (or `SUCCESS`). Other keys
//! (the theme, a test endpoint) are the preview's and left alone.
//!
//! What the mock answers (the decrypted contract, flow-json.md §10.2), as a function of the
//! request alone, so that a replayed request gets the very same answer:
//! - `ping`: `{"data": {"status": "active"}}`; an error notification:
//!   `{"data": {"acknowledged": true}}`;
//! - `INIT`: the first entry screen, with the written first screen's data or its `__example__`s;
//! - `data_exchange` on a screen: the answer written for it; otherwise the first screen the
//!   routing model leads to (without one: the next screen in the document) with its
//!   `__example__`s, or, where none follows, the completion
//!   `{"screen": "SUCCESS", "data": {"extension_message_response": {"params": {flow_token, …}}}}`
//!   whose params are the request's data;
//! - `BACK` from a screen: the screen that leads to it (without a routing model: the one before
//!   it), with its `__example__`s.
//!
//! A completion written without a flow token gets the request's: WhatsApp requires it.
use std::fmt;

use serde_json::{Map, Value};

use crate::endpoint::{Exchange, SUCCESS};
use crate::graph;
use crate::model::Flow;

/// The settings key of the first screen's data, as typed.
const CUSTOM_DATA: &str = "custom_data";
/// The options key of the first screen's data, as an object.
const DATA: &str = "data";
/// The key of the answers per screen.
const MOCKS: &str = "mocks";

/// The answers written for a flow's mock endpoint, read.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MockAnswers {
    /// The first screen's data (`INIT`); `None`: its `__example__` values.
    pub first_data: Option<Map<String, Value>>,
    /// Per screen id, the answer to a `data_exchange` from that screen.
    pub answers: Map<String, Value>,
    /// What could not be read, in the order written (the first screen's data first).
    pub problems: Vec<MockProblem>,
}

/// Something written that is not an answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MockProblem {
    /// The first screen's data is not JSON (the reader's message).
    FirstDataNotJson(String),
    /// The first screen's data is JSON but not an object.
    FirstDataNotAnObject,
    /// A screen's answer is not JSON (the screen, the reader's message).
    AnswerNotJson {
        /// The screen id.
        screen: String,
        /// What the JSON reader says.
        detail: String,
    },
    /// A screen's answer is JSON but not an object (the screen).
    AnswerNotAnObject {
        /// The screen id.
        screen: String,
    },
    /// The settings are not an object, or an object with none of the keys answers are kept
    /// under (a bare map of screens, say).
    NotSettings,
}

impl fmt::Display for MockProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MockProblem::FirstDataNotJson(detail) => {
                write!(f, "The first screen's data is not a JSON object ({detail}).")
            }
            MockProblem::FirstDataNotAnObject => {
                f.write_str("The first screen's data must be a JSON object, between { and }.")
            }
            MockProblem::AnswerNotJson { screen, detail } => {
                write!(f, "The answer for {screen} is not JSON ({detail}).")
            }
            MockProblem::AnswerNotAnObject { screen } => write!(
                f,
                "The answer for {screen} must be a JSON object: {{\"screen\": \"NEXT\", \"data\": {{…}}}}."
            ),
            MockProblem::NotSettings => f.write_str(
                "These are not the preview's mock answers: expected an object such as {\"mocks\": {\"SCREEN_ID\": \
                 {\"screen\": \"NEXT\", \"data\": {…}}}, \"custom_data\": \"{…}\"}.",
            ),
        }
    }
}

/// A value written as JSON text (the settings form keeps texts as typed) or as JSON itself (an
/// answers file, a host's options); blank text is nothing written.
fn written(value: &Value) -> Option<Result<Value, String>> {
    match value {
        Value::String(text) if text.trim().is_empty() => None,
        Value::String(text) => Some(crate::json::read(text).map_err(|error| error.to_string())),
        Value::Null => None,
        other => Some(Ok(other.clone())),
    }
}

impl MockAnswers {
    /// Reads the first screen's data and the answers per screen, each a JSON text or a value.
    /// What cannot be read is left out and named in [`MockAnswers::problems`].
    pub fn read(first_data: Option<&Value>, mocks: &Map<String, Value>) -> MockAnswers {
        let mut read = MockAnswers::default();
        match first_data.and_then(written) {
            None => {}
            Some(Ok(Value::Object(data))) => read.first_data = Some(data),
            Some(Ok(_)) => read.problems.push(MockProblem::FirstDataNotAnObject),
            Some(Err(detail)) => read.problems.push(MockProblem::FirstDataNotJson(detail)),
        }
        for (screen, text) in mocks {
            match written(text) {
                None => {}
                Some(Ok(answer @ Value::Object(_))) => {
                    read.answers.insert(screen.clone(), answer);
                }
                Some(Ok(_)) => read.problems.push(MockProblem::AnswerNotAnObject { screen: screen.clone() }),
                Some(Err(detail)) => {
                    read.problems.push(MockProblem::AnswerNotJson { screen: screen.clone(), detail })
                }
            }
        }
        read
    }

    /// Reads the preview's settings (or a host's options) as a whole: an answers file.
    pub fn from_settings(settings: &Value) -> MockAnswers {
        let Some(object) = settings.as_object() else {
            return MockAnswers { problems: vec![MockProblem::NotSettings], ..MockAnswers::default() };
        };
        // An empty object is settings with nothing written; a map of screens is not settings.
        if !object.is_empty() && ![CUSTOM_DATA, DATA, MOCKS].iter().any(|key| object.contains_key(*key)) {
            return MockAnswers { problems: vec![MockProblem::NotSettings], ..MockAnswers::default() };
        }
        let empty = Map::new();
        let mocks = object.get(MOCKS).and_then(Value::as_object).unwrap_or(&empty);
        let first = object.get(CUSTOM_DATA).filter(|value| !value.is_null()).or_else(|| object.get(DATA));
        MockAnswers::read(first, mocks)
    }

    /// The screens answers are written for that `flow` does not have (a typo, or a screen
    /// renamed since), in the order written.
    pub fn unknown_screens(&self, flow: &Value) -> Vec<String> {
        let view = Flow::from_value(flow);
        self.answers
            .keys()
            .filter(|screen| view.and_then(|view| view.screen(screen)).is_none())
            .cloned()
            .collect()
    }
}

/// What the mock endpoint answers `exchange` in a session of `flow` (its flow.json) whose flow
/// token is `flow_token`; `data` is the request's data (the params of a completion).
pub fn answer(
    flow: &Value,
    answers: &MockAnswers,
    exchange: Exchange<'_>,
    flow_token: &str,
    data: &Map<String, Value>,
) -> Value {
    let view = Flow::from_value(flow);
    let shown = |screen: &str, data: Map<String, Value>| {
        let mut answer = Map::new();
        answer.insert("screen".to_owned(), Value::from(screen));
        answer.insert("data".to_owned(), Value::Object(data));
        Value::Object(answer)
    };
    let examples = |screen: &str| {
        view.and_then(|view| view.screen(screen))
            .and_then(|screen| screen.data())
            .map(|model| model.examples())
            .unwrap_or_default()
    };
    match exchange {
        Exchange::Ping => only_data("status", Value::from("active")),
        Exchange::ErrorNotification => only_data("acknowledged", Value::Bool(true)),
        Exchange::Init => match first_screen(flow) {
            Some(first) => {
                let data = answers.first_data.clone().unwrap_or_else(|| examples(&first));
                shown(&first, data)
            }
            None => completion(flow_token, data),
        },
        Exchange::DataExchange { screen } => match answers.answers.get(screen) {
            Some(written) => with_flow_token(written.clone(), flow_token),
            None => match view.and_then(|view| next_screen(view, screen)) {
                Some(next) => shown(&next, examples(&next)),
                None => completion(flow_token, data),
            },
        },
        Exchange::Back { screen } => {
            let previous = view.and_then(|view| previous_screen(view, screen)).or_else(|| first_screen(flow));
            match previous {
                Some(previous) => shown(&previous, examples(&previous)),
                None => completion(flow_token, data),
            }
        }
    }
}

fn only_data(key: &str, value: Value) -> Value {
    let mut data = Map::new();
    data.insert(key.to_owned(), value);
    let mut answer = Map::new();
    answer.insert("data".to_owned(), Value::Object(data));
    Value::Object(answer)
}

/// The end of the flow: the request's data as the completion's params, with the flow token.
fn completion(flow_token: &str, data: &Map<String, Value>) -> Value {
    let mut params = data.clone();
    params.insert("flow_token".to_owned(), Value::from(flow_token));
    let mut response = Map::new();
    response.insert("params".to_owned(), Value::Object(params));
    let mut data = Map::new();
    data.insert("extension_message_response".to_owned(), Value::Object(response));
    let mut answer = Map::new();
    answer.insert("screen".to_owned(), Value::from(SUCCESS));
    answer.insert("data".to_owned(), Value::Object(data));
    Value::Object(answer)
}

/// A written completion without a flow token gets the request's; other answers are as written.
fn with_flow_token(mut written: Value, flow_token: &str) -> Value {
    if written.get("screen").and_then(Value::as_str) != Some(SUCCESS) {
        return written;
    }
    let params = written
        .as_object_mut()
        .and_then(|answer| object_at(answer, "data"))
        .and_then(|data| object_at(data, "extension_message_response"))
        .and_then(|response| object_at(response, "params"));
    if let Some(params) = params {
        params.entry("flow_token").or_insert_with(|| Value::from(flow_token));
    }
    written
}

/// The object under `key`, made when missing; `None` when something else is there (the answer
/// stays as written, and the tester names what is wrong with it).
fn object_at<'m>(map: &'m mut Map<String, Value>, key: &str) -> Option<&'m mut Map<String, Value>> {
    map.entry(key).or_insert_with(|| Value::Object(Map::new())).as_object_mut()
}

/// The screen a flow opens on: its first entry screen (no route leads to it), else its first.
fn first_screen(flow: &Value) -> Option<String> {
    graph::analyze_root(flow)
        .entry
        .into_iter()
        .next()
        .or_else(|| Flow::from_value(flow)?.screen_ids().next().map(str::to_owned))
}

/// The screen after `from`: the first the routing model leads to; without a routing model, the
/// next in the document unless `from` is terminal. `None`: the flow ends.
fn next_screen(flow: Flow<'_>, from: &str) -> Option<String> {
    if flow.has_routing_model() {
        let (_, to) = flow.routing_model().find(|(screen, _)| *screen == from)?;
        return to.first().map(|to| (*to).to_owned());
    }
    let screen = flow.screen(from)?;
    if screen.is_terminal() {
        return None;
    }
    flow.screen_at(screen.index() + 1).and_then(|next| next.id()).map(str::to_owned)
}

/// The screen before `from`: the first the routing model leads from to it; without a routing
/// model, the one before it in the document.
fn previous_screen(flow: Flow<'_>, from: &str) -> Option<String> {
    if flow.has_routing_model() {
        return flow.routing_model().find(|(_, to)| to.contains(&from)).map(|(screen, _)| screen.to_owned());
    }
    let index = flow.screen(from)?.index();
    flow.screen_at(index.checked_sub(1)?).and_then(|previous| previous.id()).map(str::to_owned)
}
