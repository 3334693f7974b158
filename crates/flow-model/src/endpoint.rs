//! A flow endpoint's answers held against the flow, as WhatsApp's client holds them (the
//! decrypted contract, flow-json.md §10.2): the tester reports these at the screen and field
//! they concern.
//!
//! Sources, and the choices where they are silent:
//! - A data exchange, INIT or BACK answer is `{screen, data}`; `data` must match the screen's
//!   data model (`payload-schema-error`: see [`crate::screen_data`]), and `data.error_message`
//!   is the snackbar, never declared.
//! - The next screen must be allowed by `routing_model` (`invalid-screen-transition`): from a
//!   data_exchange on screen S, a screen S routes to, or S itself (new data for the same
//!   screen, e.g. with an `error_message`). Without a routing model, any screen.
//! - INIT opens the flow, so its screen should be an entry screen, and BACK answers for the
//!   screen the person goes back to, one that routes to the current screen. Meta states
//!   neither as a client error, so both are warnings.
//! - Finishing: `{"screen": "SUCCESS", "data": {"extension_message_response": {"params":
//!   {"flow_token": …}}}}`, the flow token required. A token other than the request's is a
//!   warning: WhatsApp sends it on, but the business's webhook will not match the session.
//! - `ping` expects `{"data": {"status": "active"}}`; an error notification
//!   `{"data": {"acknowledged": true}}`.
use std::fmt;

use serde_json::{Map, Value};

use crate::diagnostic::Severity;
use crate::graph;
use crate::model::Flow;
use crate::screen_data::{self, DataProblemKind};

/// The screen id an answer gives to finish the flow.
pub const SUCCESS: &str = "SUCCESS";
/// The snackbar text of a screen answer, never part of a data model.
pub const ERROR_MESSAGE: &str = "error_message";

/// The request an answer is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exchange<'r> {
    /// The health check.
    Ping,
    /// The flow opens with `flow_action: data_exchange`.
    Init,
    /// A `data_exchange` action on `screen`.
    DataExchange {
        /// The screen the person is on.
        screen: &'r str,
    },
    /// The person went back from `screen`, whose previous screen has `refresh_on_back`.
    Back {
        /// The screen the person leaves.
        screen: &'r str,
    },
    /// WhatsApp tells the endpoint about an error in a previous answer.
    ErrorNotification,
}

/// What is wrong with an answer (the text is [`AnswerProblem`]'s `Display`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AnswerProblemKind {
    /// The answer is not a JSON object.
    NotAnObject,
    /// No `screen` text.
    NoScreen,
    /// `data` is there and not an object.
    DataNotAnObject,
    /// The flow has no such screen.
    UnknownScreen {
        /// The screen answered.
        screen: String,
        /// The flow's screens.
        screens: Vec<String>,
    },
    /// The routing model does not lead from the current screen to the answered one.
    NotAllowedNext {
        /// The screen the person is on.
        from: String,
        /// The screen answered.
        screen: String,
        /// The screens allowed.
        allowed: Vec<String>,
    },
    /// INIT answered a screen other screens lead to.
    NotAnEntryScreen {
        /// The screen answered.
        screen: String,
        /// The flow's entry screens.
        entries: Vec<String>,
    },
    /// BACK answered a screen that does not lead to the current one.
    NotAPreviousScreen {
        /// The screen the person leaves.
        from: String,
        /// The screen answered.
        screen: String,
    },
    /// `SUCCESS` without `extension_message_response.params.flow_token`.
    NoCompletionToken,
    /// `SUCCESS` with a flow token other than the request's.
    OtherFlowToken {
        /// The request's.
        expected: String,
        /// The answer's.
        found: String,
    },
    /// A ping answer without `data.status: "active"`.
    NotActive,
    /// An error notification's answer without `data.acknowledged: true`.
    NotAcknowledged,
    /// A field of `data` against the screen's data model.
    Data(DataProblemKind),
}

/// One problem of an answer: where (`screen`, `data`, `data.FIELD…`), how bad, what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnswerProblem {
    /// The path in the answer.
    pub field: String,
    /// Errors are what WhatsApp's client refuses; warnings what it lets through.
    pub severity: Severity,
    /// The screen the answer shows, when it names one the flow has.
    pub screen: Option<String>,
    /// What is wrong.
    pub kind: AnswerProblemKind,
}

impl AnswerProblem {
    /// Whether WhatsApp's client would refuse the answer.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// A stable code, e.g. `invalid_screen_transition`.
    pub fn code(&self) -> &'static str {
        match &self.kind {
            AnswerProblemKind::NotAnObject => "not_an_object",
            AnswerProblemKind::NoScreen => "no_screen",
            AnswerProblemKind::DataNotAnObject => "data_not_an_object",
            AnswerProblemKind::UnknownScreen { .. } => "unknown_screen",
            AnswerProblemKind::NotAllowedNext { .. } => "invalid_screen_transition",
            AnswerProblemKind::NotAnEntryScreen { .. } => "not_an_entry_screen",
            AnswerProblemKind::NotAPreviousScreen { .. } => "not_a_previous_screen",
            AnswerProblemKind::NoCompletionToken => "no_completion_token",
            AnswerProblemKind::OtherFlowToken { .. } => "other_flow_token",
            AnswerProblemKind::NotActive => "not_active",
            AnswerProblemKind::NotAcknowledged => "not_acknowledged",
            AnswerProblemKind::Data(DataProblemKind::RequiredField) => "required_field",
            AnswerProblemKind::Data(DataProblemKind::UnsetField) => "unset_field",
            AnswerProblemKind::Data(DataProblemKind::UndeclaredField) => "undeclared_field",
            AnswerProblemKind::Data(DataProblemKind::Mismatch { .. }) => "payload_schema_error",
        }
    }
}

impl fmt::Display for AnswerProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let list = |names: &[String]| if names.is_empty() { "none".to_owned() } else { names.join(", ") };
        let screen = self.screen.as_deref().unwrap_or("the screen");
        let name = self.field.strip_prefix("data.").unwrap_or(&self.field);
        match &self.kind {
            AnswerProblemKind::NotAnObject => write!(f, "The answer is not a JSON object."),
            AnswerProblemKind::NoScreen => {
                write!(f, "The answer names no screen: give \"screen\" (a screen id, or SUCCESS to finish).")
            }
            AnswerProblemKind::DataNotAnObject => write!(f, "The answer's \"data\" is not an object."),
            AnswerProblemKind::UnknownScreen { screen, screens } => {
                write!(f, "The flow has no screen '{screen}'; its screens: {}.", list(screens))
            }
            AnswerProblemKind::NotAllowedNext { from, screen, allowed } => write!(
                f,
                "The routing model does not lead from {from} to {screen} (WhatsApp refuses it as \
                 invalid-screen-transition); from {from}: {}.",
                list(allowed)
            ),
            AnswerProblemKind::NotAnEntryScreen { screen, entries } => write!(
                f,
                "INIT answered {screen}, which other screens lead to; a flow opens on an entry screen (this \
                 flow's: {}).",
                list(entries)
            ),
            AnswerProblemKind::NotAPreviousScreen { from, screen } => write!(
                f,
                "BACK from {from} answered {screen}, which does not lead to {from}: the person would not \
                 come back there."
            ),
            AnswerProblemKind::NoCompletionToken => write!(
                f,
                "SUCCESS needs data.extension_message_response.params.flow_token: without it WhatsApp cannot \
                 finish the flow."
            ),
            AnswerProblemKind::OtherFlowToken { expected, found } => write!(
                f,
                "SUCCESS gives the flow token '{found}', not the request's '{expected}': the response will not \
                 match this session."
            ),
            AnswerProblemKind::NotActive => {
                write!(f, "A health check expects {{\"data\": {{\"status\": \"active\"}}}}.")
            }
            AnswerProblemKind::NotAcknowledged => {
                write!(f, "An error notification expects {{\"data\": {{\"acknowledged\": true}}}}.")
            }
            AnswerProblemKind::Data(DataProblemKind::RequiredField) => {
                write!(f, "{screen} requires '{name}' in its data model and the answer does not give it.")
            }
            AnswerProblemKind::Data(DataProblemKind::UnsetField) => write!(
                f,
                "{screen} declares '{name}' and the answer does not give it: the screen shows nothing where it \
                 uses it."
            ),
            AnswerProblemKind::Data(DataProblemKind::UndeclaredField) => {
                write!(
                    f,
                    "{screen}'s data model does not declare '{name}': nothing on the screen can use it."
                )
            }
            AnswerProblemKind::Data(DataProblemKind::Mismatch { expected }) => write!(
                f,
                "'{name}' should be {expected}, as {screen}'s data model declares (WhatsApp refuses it as \
                 payload-schema-error)."
            ),
        }
    }
}

/// Every problem of `answer`, the decrypted answer to `exchange` in a session of `flow` (its
/// flow.json) whose flow token is `flow_token`.
pub fn check_answer(
    flow: &Value,
    exchange: Exchange<'_>,
    flow_token: &str,
    answer: &Value,
) -> Vec<AnswerProblem> {
    let mut found = Vec::new();
    let problem = |field: &str, severity, screen: Option<&str>, kind| AnswerProblem {
        field: field.to_owned(),
        severity,
        screen: screen.map(str::to_owned),
        kind,
    };
    let Some(answer) = answer.as_object() else {
        return vec![problem("", Severity::Error, None, AnswerProblemKind::NotAnObject)];
    };
    let empty = Map::new();
    let data = match answer.get("data") {
        None | Some(Value::Null) => &empty,
        Some(Value::Object(data)) => data,
        Some(_) => return vec![problem("data", Severity::Error, None, AnswerProblemKind::DataNotAnObject)],
    };
    match exchange {
        Exchange::Ping => {
            if data.get("status").and_then(Value::as_str) != Some("active") {
                found.push(problem("data.status", Severity::Error, None, AnswerProblemKind::NotActive));
            }
            return found;
        }
        Exchange::ErrorNotification => {
            if data.get("acknowledged") != Some(&Value::Bool(true)) {
                found.push(problem(
                    "data.acknowledged",
                    Severity::Error,
                    None,
                    AnswerProblemKind::NotAcknowledged,
                ));
            }
            return found;
        }
        _ => {}
    }
    let Some(screen) = answer.get("screen").and_then(Value::as_str) else {
        return vec![problem("screen", Severity::Error, None, AnswerProblemKind::NoScreen)];
    };
    if screen == SUCCESS {
        let token = data
            .get("extension_message_response")
            .and_then(|response| response.get("params"))
            .and_then(|params| params.get("flow_token"))
            .and_then(Value::as_str);
        let at = "data.extension_message_response.params.flow_token";
        match token {
            None => found.push(problem(at, Severity::Error, None, AnswerProblemKind::NoCompletionToken)),
            Some(token) if token != flow_token => {
                let kind = AnswerProblemKind::OtherFlowToken {
                    expected: flow_token.to_owned(),
                    found: token.to_owned(),
                };
                found.push(problem(at, Severity::Warning, None, kind));
            }
            Some(_) => {}
        }
        return found;
    }
    let view = Flow::from_value(flow);
    let Some(target) = view.and_then(|view| view.screen(screen)) else {
        let screens = view.map(|view| view.screen_ids().map(str::to_owned).collect()).unwrap_or_default();
        let kind = AnswerProblemKind::UnknownScreen { screen: screen.to_owned(), screens };
        return vec![problem("screen", Severity::Error, None, kind)];
    };
    let at = Some(screen);
    match exchange {
        Exchange::Init => {
            let entries = graph::analyze_root(flow).entry;
            if !entries.iter().any(|entry| entry == screen) {
                let kind = AnswerProblemKind::NotAnEntryScreen { screen: screen.to_owned(), entries };
                found.push(problem("screen", Severity::Warning, at, kind));
            }
        }
        Exchange::DataExchange { screen: from } => {
            if let Some(allowed) = view.and_then(|view| routes(view, from))
                && screen != from
                && !allowed.iter().any(|to| to == screen)
            {
                let kind = AnswerProblemKind::NotAllowedNext {
                    from: from.to_owned(),
                    screen: screen.to_owned(),
                    allowed,
                };
                found.push(problem("screen", Severity::Error, at, kind));
            }
        }
        Exchange::Back { screen: from } => {
            let leads_back =
                view.and_then(|view| routes(view, screen)).is_none_or(|to| to.iter().any(|to| to == from));
            if !leads_back {
                let kind = AnswerProblemKind::NotAPreviousScreen {
                    from: from.to_owned(),
                    screen: screen.to_owned(),
                };
                found.push(problem("screen", Severity::Warning, at, kind));
            }
        }
        Exchange::Ping | Exchange::ErrorNotification => {}
    }
    for data_problem in screen_data::problems(target.data(), data, &[ERROR_MESSAGE]) {
        let field = format!("data.{}", data_problem.field);
        found.push(problem(&field, data_problem.severity, at, AnswerProblemKind::Data(data_problem.kind)));
    }
    found
}

/// The screens the routing model leads to from `from` (`None` without a routing model: any
/// screen may follow).
fn routes(flow: Flow<'_>, from: &str) -> Option<Vec<String>> {
    if !flow.has_routing_model() {
        return None;
    }
    let to = flow.routing_model().find(|(screen, _)| *screen == from).map(|(_, to)| to).unwrap_or_default();
    Some(to.into_iter().map(str::to_owned).collect())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn flow() -> Value {
        let layout = json!({"type": "SingleColumnLayout", "children": []});
        json!({"version": "7.0", "data_api_version": "3.0",
        "routing_model": {"PICK": ["DETAILS"], "DETAILS": ["DONE"], "DONE": []},
        "screens": [
            {"id": "PICK", "data": {"dates": {"type": "array", "items": {"type": "string"},
                "__example__": ["2026-12-24"]}}, "layout": layout},
            {"id": "DETAILS", "data": {"price": {"type": "number", "__example__": 12.5},
                "required": ["price"]}, "layout": layout},
            {"id": "DONE", "terminal": true, "layout": layout}
        ]})
    }

    fn codes(exchange: Exchange<'_>, answer: Value) -> Vec<(String, &'static str, Severity)> {
        check_answer(&flow(), exchange, "tok", &answer)
            .iter()
            .map(|problem| (problem.field.clone(), problem.code(), problem.severity))
            .collect()
    }

    #[test]
    fn a_good_answer_has_no_problem() {
        let next = json!({"screen": "DETAILS", "data": {"price": 3}});
        assert_eq!(codes(Exchange::DataExchange { screen: "PICK" }, next), vec![]);
        let same = json!({"screen": "PICK", "data": {"dates": [], "error_message": "Sold out"}});
        assert_eq!(codes(Exchange::DataExchange { screen: "PICK" }, same), vec![]);
        let done = json!({"screen": "SUCCESS", "data": {"extension_message_response": {"params": {"flow_token": "tok"}}}});
        assert_eq!(codes(Exchange::DataExchange { screen: "DONE" }, done), vec![]);
        assert_eq!(codes(Exchange::Ping, json!({"data": {"status": "active"}})), vec![]);
        assert_eq!(codes(Exchange::ErrorNotification, json!({"data": {"acknowledged": true}})), vec![]);
        assert_eq!(codes(Exchange::Init, json!({"screen": "PICK", "data": {"dates": ["x"]}})), vec![]);
        assert_eq!(
            codes(Exchange::Back { screen: "DETAILS" }, json!({"screen": "PICK", "data": {"dates": []}})),
            vec![]
        );
    }

    #[test]
    fn transitions_the_routing_model_does_not_allow_are_errors() {
        let found = codes(Exchange::DataExchange { screen: "PICK" }, json!({"screen": "DONE"}));
        assert_eq!(found, vec![("screen".to_owned(), "invalid_screen_transition", Severity::Error)]);
        let problem = &check_answer(
            &flow(),
            Exchange::DataExchange { screen: "PICK" },
            "tok",
            &json!({"screen": "DONE"}),
        )[0];
        assert!(problem.to_string().contains("from PICK: DETAILS"), "{problem}");
        let found = codes(Exchange::DataExchange { screen: "PICK" }, json!({"screen": "NOPE"}));
        assert_eq!(found, vec![("screen".to_owned(), "unknown_screen", Severity::Error)]);
    }

    #[test]
    fn init_and_back_to_unlikely_screens_are_warnings() {
        let found = codes(Exchange::Init, json!({"screen": "DONE"}));
        assert_eq!(found, vec![("screen".to_owned(), "not_an_entry_screen", Severity::Warning)]);
        let found = codes(Exchange::Back { screen: "DETAILS" }, json!({"screen": "DONE"}));
        assert_eq!(found, vec![("screen".to_owned(), "not_a_previous_screen", Severity::Warning)]);
    }

    #[test]
    fn data_is_held_against_the_answered_screen() {
        let found = codes(
            Exchange::DataExchange { screen: "PICK" },
            json!({"screen": "DETAILS", "data": {"price": "3", "x": 1}}),
        );
        assert_eq!(
            found,
            vec![
                ("data.price".to_owned(), "payload_schema_error", Severity::Error),
                ("data.x".to_owned(), "undeclared_field", Severity::Warning),
            ]
        );
        let found = codes(Exchange::DataExchange { screen: "PICK" }, json!({"screen": "DETAILS"}));
        assert_eq!(found, vec![("data.price".to_owned(), "required_field", Severity::Error)]);
        let problem = &check_answer(&flow(), Exchange::Init, "tok", &json!({"screen": "DETAILS"}))[1];
        assert_eq!(problem.screen.as_deref(), Some("DETAILS"));
        assert!(problem.to_string().starts_with("DETAILS requires 'price'"), "{problem}");
    }

    #[test]
    fn completion_needs_the_flow_token() {
        let at = "data.extension_message_response.params.flow_token".to_owned();
        let found =
            codes(Exchange::DataExchange { screen: "DONE" }, json!({"screen": "SUCCESS", "data": {}}));
        assert_eq!(found, vec![(at.clone(), "no_completion_token", Severity::Error)]);
        let other = json!({"screen": "SUCCESS", "data": {"extension_message_response": {"params": {"flow_token": "zzz"}}}});
        assert_eq!(
            codes(Exchange::DataExchange { screen: "DONE" }, other),
            vec![(at, "other_flow_token", Severity::Warning)]
        );
    }

    #[test]
    fn malformed_answers_say_what_shape_is_wrong() {
        let exchange = Exchange::DataExchange { screen: "PICK" };
        assert_eq!(codes(exchange, json!([1])), vec![(String::new(), "not_an_object", Severity::Error)]);
        assert_eq!(
            codes(exchange, json!({"data": 1})),
            vec![("data".to_owned(), "data_not_an_object", Severity::Error)]
        );
        assert_eq!(
            codes(exchange, json!({"data": {}})),
            vec![("screen".to_owned(), "no_screen", Severity::Error)]
        );
        assert_eq!(
            codes(Exchange::Ping, json!({"data": {"status": "down"}})),
            vec![("data.status".to_owned(), "not_active", Severity::Error)]
        );
        assert_eq!(
            codes(Exchange::ErrorNotification, json!({})),
            vec![("data.acknowledged".to_owned(), "not_acknowledged", Severity::Error)]
        );
    }

    #[test]
    fn without_a_routing_model_any_screen_may_follow() {
        let mut flow = flow();
        flow.as_object_mut().map(|flow| flow.remove("routing_model"));
        let found =
            check_answer(&flow, Exchange::DataExchange { screen: "PICK" }, "tok", &json!({"screen": "DONE"}));
        assert_eq!(found, vec![]);
    }
}
