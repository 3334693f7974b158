//! WhatsApp's interactive flow message: the message that puts a flow on someone's phone.
//!
//! [`FlowMessage`] is the request as people fill it in (recipient, texts, which flow, how it
//! opens); [`FlowMessage::to_json`] writes the exact body of the Cloud API's
//! `POST /{phone-number-id}/messages` (360dialog's messaging API takes the same body), and
//! [`FlowMessage::from_json`] reads one back (what the sandbox's test phone receives).
//! [`check`] holds a message against the flow it opens, [`curl`] writes the command that
//! sends it. Pure: no IO, and the same on wasm32.
//!
//! The shape follows Meta's "Flow Messages" reference of the Cloud API
//! (developers.facebook.com/docs/whatsapp/cloud-api/messages/interactive-flow-messages) and
//! "Sending a Flow" (…/docs/whatsapp/flows/guides/sendingaflow); `reference/partner-api.md` §4
//! sums them up.
use serde_json::{Map, Value};

use crate::catalog::ActionName;

mod check;
mod curl;

pub use check::{
    BODY_MAX_CHARS, CTA_MAX_CHARS, FOOTER_MAX_CHARS, HEADER_MAX_CHARS, MessageProblem, MessageProblemKind,
    Publication, check, entry_screens, example_data, field,
};
pub use curl::{Backend, curl};

/// The key names of the Cloud API's message object, written here once. Names it shares with
/// Flow JSON (`type`, `name`, `text`, `data`, `screen`, `mode`) are model's and the catalog's,
/// re-exported here.
pub mod key {
    pub use crate::catalog::prop::{MODE, TEXT};
    pub use crate::model::key::{DATA, NAME, SCREEN, TYPE};

    crate::model::key_names! {
        /// `messaging_product`, always `whatsapp`.
        MESSAGING_PRODUCT = "messaging_product";
        /// `recipient_type`, `individual` for a person.
        RECIPIENT_TYPE = "recipient_type";
        /// `to`, the recipient's phone number.
        TO = "to";
        /// The `interactive` object.
        INTERACTIVE = "interactive";
        /// The interactive message's optional `header`.
        HEADER = "header";
        /// The interactive message's `body`.
        BODY = "body";
        /// The interactive message's optional `footer`.
        FOOTER = "footer";
        /// The interactive message's `action`.
        ACTION = "action";
        /// The flow action's `parameters`.
        PARAMETERS = "parameters";
        /// `flow_message_version`, always `"3"`.
        FLOW_MESSAGE_VERSION = "flow_message_version";
        /// `flow_token`, the business's identifier of this sending.
        FLOW_TOKEN = "flow_token";
        /// `flow_id`, the flow's id at WhatsApp.
        FLOW_ID = "flow_id";
        /// `flow_name`, the flow's name (instead of its id).
        FLOW_NAME = "flow_name";
        /// `flow_cta`, the button's text.
        FLOW_CTA = "flow_cta";
        /// `flow_action`, `navigate` or `data_exchange`.
        FLOW_ACTION = "flow_action";
        /// `flow_action_payload`, the first screen and its data (navigate only).
        FLOW_ACTION_PAYLOAD = "flow_action_payload";
    }
}

/// The one `messaging_product`.
pub const WHATSAPP: &str = "whatsapp";
/// The `recipient_type` of a person.
pub const INDIVIDUAL: &str = "individual";
/// The message `type`.
pub const INTERACTIVE: &str = "interactive";
/// The interactive `type`, and the action's `name`.
pub const FLOW: &str = "flow";
/// The one `flow_message_version` WhatsApp takes.
pub const FLOW_MESSAGE_VERSION: &str = "3";

/// Which flow the message opens: by its id at WhatsApp, or by its name (Cloud API only). Meta
/// takes exactly one of `flow_id` and `flow_name`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FlowRef {
    /// `flow_id`: digits.
    Id(String),
    /// `flow_name`.
    Name(String),
}

/// How the flow opens.
#[derive(Debug, Clone, PartialEq)]
pub enum FlowAction {
    /// `navigate`: on `screen`, with `data` for it (a non-empty object, or none).
    Navigate {
        /// The first screen: an entry screen of the flow.
        screen: String,
        /// Its data, as the screen's data model declares it.
        data: Option<Map<String, Value>>,
    },
    /// `data_exchange`: the flow's endpoint answers the opening (INIT) with the first screen.
    DataExchange,
}

/// Which version of the flow the message opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// `draft`: the unpublished version, to try it (the phone shows a draft banner).
    Draft,
    /// `published` (WhatsApp's default, so not written).
    Published,
}

impl Mode {
    /// WhatsApp's spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Draft => "draft",
            Mode::Published => "published",
        }
    }

    /// The mode for WhatsApp's spelling.
    pub fn parse(text: &str) -> Option<Mode> {
        [Mode::Draft, Mode::Published].into_iter().find(|mode| mode.as_str() == text)
    }
}

/// An interactive flow message, as people fill it in. Field paths in
/// [`MessageProblem::field`] name its fields (`to`, `header`, `body`, `footer`, `cta`,
/// `flow_token`, `flow_id` or `flow_name`, `action`, `action.screen`, `action.data.NAME…`,
/// `mode`, `flow_message_version`).
#[derive(Debug, Clone, PartialEq)]
pub struct FlowMessage {
    /// The recipient's phone number (E.164 digits, optionally after `+`).
    pub to: String,
    /// The header text, if any.
    pub header: Option<String>,
    /// The body text.
    pub body: String,
    /// The footer text, if any.
    pub footer: Option<String>,
    /// The button's text.
    pub cta: String,
    /// The business's identifier of this sending, sent back with the reply (WhatsApp writes
    /// `unused` when there is none).
    pub flow_token: Option<String>,
    /// Which flow.
    pub flow: FlowRef,
    /// How it opens.
    pub action: FlowAction,
    /// Draft or published.
    pub mode: Mode,
    /// `flow_message_version`: [`FLOW_MESSAGE_VERSION`].
    pub flow_message_version: String,
}

impl FlowMessage {
    /// The Cloud API's message body, in Meta's order; `mode` only when draft (published is
    /// WhatsApp's default), `flow_action_payload` only for navigate, `data` only when given.
    pub fn to_json(&self) -> Value {
        let mut parameters = Map::new();
        put(&mut parameters, key::FLOW_MESSAGE_VERSION, &self.flow_message_version);
        if let Some(token) = &self.flow_token {
            put(&mut parameters, key::FLOW_TOKEN, token);
        }
        match &self.flow {
            FlowRef::Id(id) => put(&mut parameters, key::FLOW_ID, id),
            FlowRef::Name(name) => put(&mut parameters, key::FLOW_NAME, name),
        }
        put(&mut parameters, key::FLOW_CTA, &self.cta);
        if self.mode == Mode::Draft {
            put(&mut parameters, key::MODE, self.mode.as_str());
        }
        match &self.action {
            FlowAction::Navigate { screen, data } => {
                put(&mut parameters, key::FLOW_ACTION, ActionName::Navigate.as_str());
                let mut payload = Map::new();
                put(&mut payload, key::SCREEN, screen);
                if let Some(data) = data {
                    payload.insert(key::DATA.to_owned(), Value::Object(data.clone()));
                }
                parameters.insert(key::FLOW_ACTION_PAYLOAD.to_owned(), Value::Object(payload));
            }
            FlowAction::DataExchange => {
                put(&mut parameters, key::FLOW_ACTION, ActionName::DataExchange.as_str())
            }
        }
        let mut action = Map::new();
        put(&mut action, key::NAME, FLOW);
        action.insert(key::PARAMETERS.to_owned(), Value::Object(parameters));

        let mut interactive = Map::new();
        put(&mut interactive, key::TYPE, FLOW);
        if let Some(header) = &self.header {
            let mut object = Map::new();
            put(&mut object, key::TYPE, key::TEXT);
            put(&mut object, key::TEXT, header);
            interactive.insert(key::HEADER.to_owned(), Value::Object(object));
        }
        interactive.insert(key::BODY.to_owned(), text_object(&self.body));
        if let Some(footer) = &self.footer {
            interactive.insert(key::FOOTER.to_owned(), text_object(footer));
        }
        interactive.insert(key::ACTION.to_owned(), Value::Object(action));

        let mut message = Map::new();
        put(&mut message, key::MESSAGING_PRODUCT, WHATSAPP);
        put(&mut message, key::RECIPIENT_TYPE, INDIVIDUAL);
        put(&mut message, key::TO, &self.to);
        put(&mut message, key::TYPE, INTERACTIVE);
        message.insert(key::INTERACTIVE.to_owned(), Value::Object(interactive));
        Value::Object(message)
    }

    /// Reads a Cloud API message body back (the sandbox receives these). Refuses what is not
    /// an interactive flow message, naming the first field it could not read; also a navigate
    /// message without `flow_action_payload.screen` (WhatsApp would open the first entry
    /// screen: fill [`entry_screens`]' first in instead).
    pub fn from_json(message: &Value) -> Result<FlowMessage, MessageProblem> {
        let invalid = |field: &str, expected: &'static str| {
            MessageProblem::error(field, MessageProblemKind::Invalid { expected })
        };
        let text_of = |value: Option<&Value>, field: &str| -> Result<String, MessageProblem> {
            value.and_then(Value::as_str).map(str::to_owned).ok_or_else(|| invalid(field, "a string"))
        };
        let optional_text = |value: Option<&Value>, field: &str| -> Result<Option<String>, MessageProblem> {
            value.map(|value| text_of(Some(value), field)).transpose()
        };
        if message.get(key::TYPE).and_then(Value::as_str) != Some(INTERACTIVE) {
            return Err(invalid(key::TYPE, "\"interactive\""));
        }
        let interactive =
            message.get(key::INTERACTIVE).ok_or_else(|| invalid(key::INTERACTIVE, "an object"))?;
        if interactive.get(key::TYPE).and_then(Value::as_str) != Some(FLOW) {
            return Err(invalid(key::INTERACTIVE, "an interactive message of type \"flow\""));
        }
        let action = interactive.get(key::ACTION);
        if action.and_then(|action| action.get(key::NAME)).and_then(Value::as_str) != Some(FLOW) {
            return Err(invalid(key::ACTION, "an action named \"flow\""));
        }
        let parameters = action.and_then(|action| action.get(key::PARAMETERS));
        let parameter = |name: &str| parameters.and_then(|parameters| parameters.get(name));
        let flow = match (parameter(key::FLOW_ID), parameter(key::FLOW_NAME)) {
            (Some(id), None) => FlowRef::Id(text_of(Some(id), key::FLOW_ID)?),
            (None, Some(name)) => FlowRef::Name(text_of(Some(name), key::FLOW_NAME)?),
            _ => return Err(invalid(key::FLOW_ID, "exactly one of flow_id and flow_name")),
        };
        let flow_action = optional_text(parameter(key::FLOW_ACTION), field::ACTION)?;
        let action = match flow_action.as_deref().map(ActionName::parse) {
            None | Some(Some(ActionName::Navigate)) => {
                let payload = parameter(key::FLOW_ACTION_PAYLOAD);
                let screen = text_of(payload.and_then(|payload| payload.get(key::SCREEN)), field::SCREEN)?;
                let data = match payload.and_then(|payload| payload.get(key::DATA)) {
                    None => None,
                    Some(Value::Object(data)) => Some(data.clone()),
                    Some(_) => return Err(invalid(field::DATA, "an object")),
                };
                FlowAction::Navigate { screen, data }
            }
            // Meta: the payload "should be omitted otherwise"; reading past it would lose it.
            Some(Some(ActionName::DataExchange)) if parameter(key::FLOW_ACTION_PAYLOAD).is_some() => {
                return Err(invalid(
                    field::SCREEN,
                    "no flow_action_payload, as data_exchange lets the endpoint pick the screen",
                ));
            }
            Some(Some(ActionName::DataExchange)) => FlowAction::DataExchange,
            Some(_) => return Err(invalid(field::ACTION, "navigate or data_exchange")),
        };
        let mode = match optional_text(parameter(key::MODE), key::MODE)? {
            None => Mode::Published,
            Some(mode) => Mode::parse(&mode).ok_or_else(|| invalid(key::MODE, "draft or published"))?,
        };
        let header = interactive.get(key::HEADER);
        if header.is_some_and(|header| header.get(key::TYPE).and_then(Value::as_str) != Some(key::TEXT)) {
            return Err(invalid(key::HEADER, "a text header"));
        }
        Ok(FlowMessage {
            to: text_of(message.get(key::TO), key::TO)?,
            header: optional_text(text_in(header), key::HEADER)?,
            body: text_of(text_in(interactive.get(key::BODY)), key::BODY)?,
            footer: optional_text(text_in(interactive.get(key::FOOTER)), key::FOOTER)?,
            cta: text_of(parameter(key::FLOW_CTA), field::CTA)?,
            flow_token: optional_text(parameter(key::FLOW_TOKEN), key::FLOW_TOKEN)?,
            flow,
            action,
            mode,
            flow_message_version: text_of(parameter(key::FLOW_MESSAGE_VERSION), key::FLOW_MESSAGE_VERSION)?,
        })
    }
}

fn put(object: &mut Map<String, Value>, key: &str, text: &str) {
    object.insert(key.to_owned(), Value::String(text.to_owned()));
}

/// The `text` of a text object that is there (`null` when the object has none).
fn text_in(object: Option<&Value>) -> Option<&Value> {
    object.map(|object| object.get(key::TEXT).unwrap_or(&Value::Null))
}

fn text_object(text: &str) -> Value {
    let mut object = Map::new();
    put(&mut object, key::TEXT, text);
    Value::Object(object)
}
