//! A flow message held against the flow it opens, before anything is sent: what WhatsApp
//! would refuse, or what would open a broken first screen, named by field.
//!
//! Sources, and the choices where they are silent:
//! - Text limits: header 60 and footer 60 characters, body 1024 (the Cloud API's interactive
//!   object: "Header Object … Maximum length: 60 characters", body "Maximum length: 1024
//!   characters", footer "Maximum length: 60 characters"); the button 30 characters, no emoji
//!   (Flow Messages reference: "CTA text length is advised to be 30 characters or less (no
//!   emoji)"; an older revision said 20, which we do not enforce). Characters are Unicode
//!   scalar values.
//! - `flow_message_version` must be `"3"`; `flow_token` is optional (WhatsApp writes `unused`);
//!   `flow_id` is WhatsApp's numeric id (Flows API: `id` "123456789012345").
//! - The first screen "needs to be an entry screen" (Sending a Flow): one no route or navigate
//!   action leads to ([`entry_screens`], the graph's entry screens).
//! - `data` is "Optional input data for the first Screen of the Flow. If provided, this must
//!   be a non-empty object" (Sending a Flow). The client checks it against the screen's data
//!   model as JSON Schema (`payload-schema-error`, flow-json.md §10.2), where only the model's
//!   `required` names must be present: so a missing `required` field, a wrong type and a value
//!   outside `enum` are errors, while a declared field left out, or a field the screen does not
//!   declare, is a warning (the screen shows nothing where it uses the first; nothing can use
//!   the second).
//! - `mode: draft` opens the draft, which only a flow with unpublished changes has; `published`
//!   needs a published version (flow-json.md §9.1; On-Premises error 2066 "invalid flow mode").
//! - `data_exchange` asks the flow's endpoint for the first screen, so only a flow that
//!   declares one (`data_api_version`, or `data_channel_uri` before 3.0) can open that way.
//! - `to`: a phone number as E.164 writes it: an optional `+`, then 7 to 15 digits, the
//!   first not 0 (country codes never start with 0). Spaces, dashes and brackets are refused
//!   rather than guessed away.
use std::fmt;

use serde_json::{Map, Value};

use super::{FLOW_MESSAGE_VERSION, FlowAction, FlowMessage, FlowRef, Mode};
use crate::diagnostic::Severity;
use crate::graph;
use crate::model::{Flow, key};
use crate::screen_data::{self, DataProblemKind};

/// The most characters of the header text.
pub const HEADER_MAX_CHARS: usize = 60;
/// The most characters of the body text.
pub const BODY_MAX_CHARS: usize = 1024;
/// The most characters of the footer text.
pub const FOOTER_MAX_CHARS: usize = 60;
/// The most characters of the button text.
pub const CTA_MAX_CHARS: usize = 30;
/// The fewest digits of a phone number.
pub const PHONE_MIN_DIGITS: usize = 7;
/// The most digits of a phone number (E.164).
pub const PHONE_MAX_DIGITS: usize = 15;

/// The field paths of [`FlowMessage`] that problems name.
pub mod field {
    pub use super::super::key::{
        ACTION, BODY, FLOW_ID, FLOW_MESSAGE_VERSION, FLOW_NAME, FLOW_TOKEN, FOOTER, HEADER, MODE, TO,
    };
    /// The button text.
    pub const CTA: &str = "cta";
    /// The first screen of a navigate action.
    pub const SCREEN: &str = "action.screen";
    /// The first screen's data; its fields are `action.data.NAME` (and below, `.inner`, `[0]`).
    pub const DATA: &str = "action.data";
    /// The first screen's data as the send body names it (`data`, `data.NAME`).
    pub const DATA_NAME: &str = "data";
}

/// Where the flow stands at WhatsApp, as far as the message's `mode` goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Publication {
    /// Never published: only `mode: draft` opens it.
    Draft,
    /// Published, unchanged since: only `mode: published` opens it.
    Published,
    /// Published, then changed (a DRAFT with a published version): `draft` opens the changes,
    /// `published` the last published version.
    PublishedWithDraft,
}

impl Publication {
    /// From WhatsApp's `status` and whether a version was ever published. THROTTLED, BLOCKED
    /// and DEPRECATED count as published: whether WhatsApp still sends them is its answer.
    pub fn from_status(status: &str, has_published: bool) -> Publication {
        match (status, has_published) {
            ("DRAFT", false) => Publication::Draft,
            ("DRAFT", true) => Publication::PublishedWithDraft,
            _ => Publication::Published,
        }
    }
}

/// What is wrong with a message, as structured fields (the text is [`MessageProblem::message`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MessageProblemKind {
    /// A required text is empty, or an optional one is given empty.
    Empty,
    /// A text is longer than WhatsApp shows.
    TooLong {
        /// The most characters.
        limit: usize,
        /// How many it has.
        length: usize,
    },
    /// The button text has an emoji.
    Emoji,
    /// `to` is not an E.164 phone number.
    NotAPhoneNumber,
    /// `flow_id` is not digits.
    NotAFlowId,
    /// `flow_message_version` is not `"3"`.
    UnsupportedVersion,
    /// The first screen is not in the flow.
    UnknownScreen {
        /// The screen asked for.
        screen: String,
        /// The screens the flow has.
        screens: Vec<String>,
    },
    /// The first screen is one other screens lead to.
    NotAnEntryScreen {
        /// The screen asked for.
        screen: String,
        /// The screens a message may open.
        entries: Vec<String>,
    },
    /// `data` is given empty.
    EmptyData,
    /// A `required` field of the screen's data model is not given.
    RequiredField,
    /// A declared field is not given (the screen shows nothing where it uses it).
    UnsetField,
    /// A given field the screen's data model does not declare.
    UndeclaredField,
    /// A given value does not match the data model.
    Mismatch {
        /// What the data model expects, e.g. "of type 'integer'".
        expected: String,
    },
    /// `data_exchange` for a flow without an endpoint.
    NoEndpoint,
    /// `mode: draft` for a flow that has no draft.
    NoDraft,
    /// `mode: published` for a flow never published.
    NotPublished,
    /// [`FlowMessage::from_json`]: the field is missing or not what it should be.
    Invalid {
        /// What was expected.
        expected: &'static str,
    },
}

/// One problem of a message: the field (a path of [`FlowMessage`], see [`field`]), how bad it
/// is, and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageProblem {
    /// The field's path, e.g. `body`, `action.screen`, `action.data.amount`.
    pub field: String,
    /// Errors block sending; warnings do not.
    pub severity: Severity,
    /// What is wrong.
    pub kind: MessageProblemKind,
}

impl MessageProblem {
    pub(crate) fn error(field: &str, kind: MessageProblemKind) -> MessageProblem {
        MessageProblem { field: field.to_owned(), severity: Severity::Error, kind }
    }

    /// Whether it blocks sending.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// A stable code, e.g. `too_long`.
    pub fn code(&self) -> &'static str {
        match self.kind {
            MessageProblemKind::Empty => "empty",
            MessageProblemKind::TooLong { .. } => "too_long",
            MessageProblemKind::Emoji => "emoji",
            MessageProblemKind::NotAPhoneNumber => "not_a_phone_number",
            MessageProblemKind::NotAFlowId => "not_a_flow_id",
            MessageProblemKind::UnsupportedVersion => "unsupported_version",
            MessageProblemKind::UnknownScreen { .. } => "unknown_screen",
            MessageProblemKind::NotAnEntryScreen { .. } => "not_an_entry_screen",
            MessageProblemKind::EmptyData => "empty_data",
            MessageProblemKind::RequiredField => "required_field",
            MessageProblemKind::UnsetField => "unset_field",
            MessageProblemKind::UndeclaredField => "undeclared_field",
            MessageProblemKind::Mismatch { .. } => "mismatch",
            MessageProblemKind::NoEndpoint => "no_endpoint",
            MessageProblemKind::NoDraft => "no_draft",
            MessageProblemKind::NotPublished => "not_published",
            MessageProblemKind::Invalid { .. } => "invalid",
        }
    }

    /// What is wrong and what to do, for people.
    pub fn message(&self) -> String {
        self.to_string()
    }

    /// The field as `POST /api/messages` and the Send dialog name it: the first screen is
    /// `screen` and its data `data` (`data.NAME…` for a field of it); the others keep their
    /// names.
    pub fn send_field(&self) -> &str {
        match self.field.strip_prefix("action.") {
            Some(rest) if rest == "screen" || rest.starts_with(field::DATA_NAME) => rest,
            _ => &self.field,
        }
    }
}

impl fmt::Display for MessageProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let field = match self.field.as_str() {
            field::CTA => "button text",
            field::FLOW_TOKEN => "flow token",
            field => field,
        };
        let data_field =
            field.strip_prefix(field::DATA).and_then(|rest| rest.strip_prefix('.')).unwrap_or(field);
        let list = |names: &[String]| if names.is_empty() { "none".to_owned() } else { names.join(", ") };
        match &self.kind {
            MessageProblemKind::Empty => {
                write!(f, "The {field} is empty: write it, or leave it out if it is optional.")
            }
            MessageProblemKind::TooLong { limit, length } => write!(
                f,
                "The {field} has {length} characters; WhatsApp shows at most {limit}: shorten it by {}.",
                length - limit
            ),
            MessageProblemKind::Emoji => {
                write!(f, "The {field} has an emoji, which WhatsApp does not allow there: use words.")
            }
            MessageProblemKind::NotAPhoneNumber => write!(
                f,
                "'to' is not a phone number WhatsApp accepts: write the country code and the number in digits only, \
                 optionally after a '+', {PHONE_MIN_DIGITS} to {PHONE_MAX_DIGITS} digits in all, the first not 0 \
                 (for example 15551234567)."
            ),
            MessageProblemKind::NotAFlowId => {
                write!(
                    f,
                    "The flow_id is WhatsApp's id of the flow, digits only (for example 123456789012345)."
                )
            }
            MessageProblemKind::UnsupportedVersion => {
                write!(
                    f,
                    "The flow_message_version must be \"{FLOW_MESSAGE_VERSION}\", the only one WhatsApp takes."
                )
            }
            MessageProblemKind::UnknownScreen { screen, screens } => {
                write!(f, "The flow has no screen '{screen}'; its screens: {}.", list(screens))
            }
            MessageProblemKind::NotAnEntryScreen { screen, entries } => write!(
                f,
                "'{screen}' cannot open the flow: other screens lead to it, and a message opens an entry screen, \
                 one no other screen leads to (this flow's: {}).",
                list(entries)
            ),
            MessageProblemKind::EmptyData => {
                write!(f, "The first screen's data is empty: give at least one field, or leave data out.")
            }
            MessageProblemKind::RequiredField => write!(
                f,
                "The first screen requires '{data_field}' in its data model: give it (its __example__ is only for \
                 the preview)."
            ),
            MessageProblemKind::UnsetField => write!(
                f,
                "The first screen declares '{data_field}' and the message does not give it: the screen shows \
                 nothing where it uses it."
            ),
            MessageProblemKind::UndeclaredField => write!(
                f,
                "The first screen's data model does not declare '{data_field}': nothing on the screen can use it."
            ),
            MessageProblemKind::Mismatch { expected } => {
                write!(f, "'{data_field}' should be {expected}, as the first screen's data model declares.")
            }
            MessageProblemKind::NoEndpoint => write!(
                f,
                "data_exchange asks the flow's endpoint for the first screen, and this flow has none (no \
                 data_api_version): open it with navigate."
            ),
            MessageProblemKind::NoDraft => write!(
                f,
                "The flow is published and has no unpublished changes, so there is no draft to open: send it with \
                 mode published."
            ),
            MessageProblemKind::NotPublished => write!(
                f,
                "The flow is not published yet: send it with mode draft to try it, or publish it first."
            ),
            MessageProblemKind::Invalid { expected } => write!(f, "{}: expected {expected}.", self.field),
        }
    }
}

/// The screens a message may open first: the flow's entry screens (no route or navigate action
/// leads to them), in document order.
pub fn entry_screens(flow: &Value) -> Vec<String> {
    graph::analyze_root(flow).entry
}

/// The data a dialog prefills for `screen`: each field's `__example__` (empty when the screen
/// or its data model is missing).
pub fn example_data(flow: &Value, screen: &str) -> Map<String, Value> {
    let model = Flow::from_value(flow).and_then(|flow| flow.screen(screen)).and_then(|screen| screen.data());
    model.map(|model| model.examples()).unwrap_or_default()
}

/// Every problem of `message` as a message opening `flow` (its flow.json), whose
/// `publication` is given: errors block sending, warnings do not. Field order: as
/// [`FlowMessage`] declares its fields.
pub fn check(message: &FlowMessage, flow: &Value, publication: Publication) -> Vec<MessageProblem> {
    let mut found = Vec::new();
    if !is_phone_number(&message.to) {
        found.push(MessageProblem::error(field::TO, MessageProblemKind::NotAPhoneNumber));
    }
    text(&mut found, field::HEADER, message.header.as_deref(), HEADER_MAX_CHARS);
    text(&mut found, field::BODY, Some(&message.body), BODY_MAX_CHARS);
    text(&mut found, field::FOOTER, message.footer.as_deref(), FOOTER_MAX_CHARS);
    text(&mut found, field::CTA, Some(&message.cta), CTA_MAX_CHARS);
    if message.cta.chars().any(is_emoji) {
        found.push(MessageProblem::error(field::CTA, MessageProblemKind::Emoji));
    }
    if message.flow_token.as_deref().is_some_and(str::is_empty) {
        found.push(MessageProblem::error(field::FLOW_TOKEN, MessageProblemKind::Empty));
    }
    match &message.flow {
        FlowRef::Id(id) if id.is_empty() || !id.bytes().all(|byte| byte.is_ascii_digit()) => {
            found.push(MessageProblem::error(field::FLOW_ID, MessageProblemKind::NotAFlowId))
        }
        FlowRef::Name(name) if name.trim().is_empty() => {
            found.push(MessageProblem::error(field::FLOW_NAME, MessageProblemKind::Empty))
        }
        _ => {}
    }
    let flow_view = Flow::from_value(flow);
    match &message.action {
        FlowAction::Navigate { screen, data } => first_screen(&mut found, flow, screen, data.as_ref()),
        FlowAction::DataExchange => {
            let endpoint = flow_view.is_some_and(|flow| {
                flow.is_endpoint_flow() || flow.object().contains_key(key::DATA_CHANNEL_URI)
            });
            if !endpoint {
                found.push(MessageProblem::error(field::ACTION, MessageProblemKind::NoEndpoint));
            }
        }
    }
    match (message.mode, publication) {
        (Mode::Draft, Publication::Published) => {
            found.push(MessageProblem::error(field::MODE, MessageProblemKind::NoDraft))
        }
        (Mode::Published, Publication::Draft) => {
            found.push(MessageProblem::error(field::MODE, MessageProblemKind::NotPublished))
        }
        _ => {}
    }
    if message.flow_message_version != FLOW_MESSAGE_VERSION {
        found
            .push(MessageProblem::error(field::FLOW_MESSAGE_VERSION, MessageProblemKind::UnsupportedVersion));
    }
    found
}

/// The text limits: a required text (`Some`) or a given optional one must not be empty, nor
/// longer than `limit` characters.
fn text(found: &mut Vec<MessageProblem>, field: &str, text: Option<&str>, limit: usize) {
    let Some(text) = text else { return };
    let length = text.chars().count();
    if text.trim().is_empty() {
        found.push(MessageProblem::error(field, MessageProblemKind::Empty));
    } else if length > limit {
        found.push(MessageProblem::error(field, MessageProblemKind::TooLong { limit, length }));
    }
}

/// The first screen: it exists, is an entry screen, and `data` fits its data model.
fn first_screen(
    found: &mut Vec<MessageProblem>,
    flow: &Value,
    screen: &str,
    data: Option<&Map<String, Value>>,
) {
    let view = Flow::from_value(flow);
    let Some(target) = view.and_then(|view| view.screen(screen)) else {
        let screens = view.map(|view| view.screen_ids().map(str::to_owned).collect()).unwrap_or_default();
        let screen = screen.to_owned();
        found.push(MessageProblem::error(
            field::SCREEN,
            MessageProblemKind::UnknownScreen { screen, screens },
        ));
        return;
    };
    let entries = entry_screens(flow);
    if !entries.iter().any(|entry| entry == screen) {
        let screen = screen.to_owned();
        found.push(MessageProblem::error(
            field::SCREEN,
            MessageProblemKind::NotAnEntryScreen { screen, entries },
        ));
    }
    if data.is_some_and(Map::is_empty) {
        found.push(MessageProblem::error(field::DATA, MessageProblemKind::EmptyData));
    }
    let empty = Map::new();
    for problem in screen_data::problems(target.data(), data.unwrap_or(&empty), &[]) {
        let kind = match problem.kind {
            DataProblemKind::RequiredField => MessageProblemKind::RequiredField,
            DataProblemKind::UnsetField => MessageProblemKind::UnsetField,
            DataProblemKind::UndeclaredField => MessageProblemKind::UndeclaredField,
            DataProblemKind::Mismatch { expected } => MessageProblemKind::Mismatch { expected },
        };
        let field = format!("{}.{}", field::DATA, problem.field);
        found.push(MessageProblem { field, severity: problem.severity, kind });
    }
}

/// E.164 as WhatsApp takes it: an optional `+`, then 7 to 15 digits, the first not 0.
fn is_phone_number(to: &str) -> bool {
    let digits = to.strip_prefix('+').unwrap_or(to);
    (PHONE_MIN_DIGITS..=PHONE_MAX_DIGITS).contains(&digits.len())
        && digits.bytes().all(|byte| byte.is_ascii_digit())
        && !digits.starts_with('0')
}

/// Whether `c` is an emoji or part of one: the pictographic blocks, regional indicators,
/// the emoji variation selector and the joiner. An approximation of Unicode's
/// Extended_Pictographic without its tables (they would weigh on the app's bundle).
fn is_emoji(c: char) -> bool {
    matches!(u32::from(c),
        0x1F000..=0x1FAFF | 0x2600..=0x27BF | 0x2300..=0x23FF | 0x2B00..=0x2BFF | 0xFE0F | 0x200D)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phone_numbers_are_e164_digits() {
        for good in ["15551234567", "+15551234567", "6834002", "+491701234567890"] {
            assert!(is_phone_number(good), "{good}");
        }
        for bad in [
            "",
            "+",
            "123456",
            "0155512345",
            "+1 555 123 4567",
            "1555-123-4567",
            "1234567890123456",
            "++1555123",
        ] {
            assert!(!is_phone_number(bad), "{bad}");
        }
    }

    #[test]
    fn emoji_are_found_and_letters_are_not() {
        assert!("Book 📅".chars().any(is_emoji));
        assert!("Go ✅".chars().any(is_emoji));
        assert!(!"Réserver — ¡ya! 日本".chars().any(is_emoji));
    }

    #[test]
    fn publication_follows_the_status() {
        assert_eq!(Publication::from_status("DRAFT", false), Publication::Draft);
        assert_eq!(Publication::from_status("DRAFT", true), Publication::PublishedWithDraft);
        assert_eq!(Publication::from_status("THROTTLED", true), Publication::Published);
    }
}
