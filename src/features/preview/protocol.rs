//! The postMessage protocol between a host page (the editor, or any application) and the
//! embed page. Every message is an object whose `type` starts with `flowsmith:`; README.md
//! documents it for host applications.
use flow_model::json::string;
use serde::Serialize;
use serde_json::{Map, Value};

use super::settings::PreviewSettings;

/// What the host sends to the embed page (`type` names the message: `flowsmith:load`,
/// `flowsmith:select`, `flowsmith:restart`).
#[derive(Debug, Clone, PartialEq)]
#[allow(clippy::large_enum_variant)] // one message at a time: boxing would only add code
pub enum HostMessage {
    /// Show a flow (an object or its JSON text), with preview options.
    Load {
        /// The flow: JSON text (objects are turned into text by the page's script).
        flow: String,
        /// Initial data, mock answers, test endpoint, theme.
        options: Options,
        /// Settings the host keeps and lets the person edit here (the editor's, kept with the
        /// draft): they give the options, and the page shows their form and reports changes
        /// with `flowsmith:settings`.
        settings: Option<PreviewSettings>,
    },
    /// Highlight a component and show its screen (the editor's selection).
    Select {
        /// The screen id to show.
        screen: Option<String>,
        /// JSON Pointer of the component to highlight.
        component: Option<String>,
    },
    /// Start again from the first screen.
    Restart,
}

/// How the preview runs a flow.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Options {
    /// The first screen's data; `None`: the `__example__` values of its data model.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data: Option<Value>,
    /// The answer to a data_exchange, per screen id (`{"screen": …, "data": {…}}`).
    #[serde(skip_serializing_if = "Map::is_empty")]
    pub mocks: Map<String, Value>,
    /// A test endpoint that answers plain JSON (used for screens without a mock).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub endpoint: Option<String>,
    /// The endpoint's public key (PEM): `endpoint` is then called encrypted as WhatsApp calls
    /// it, through the server's tester, for INIT, every data_exchange and BACK.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub public_key: Option<String>,
    /// `light` or `dark`; the system's otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub theme: Option<String>,
    /// The screen to start on (an id); the first screen otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub screen: Option<String>,
    /// The flow token the completion carries back (a sent message's); `unused` otherwise, as
    /// WhatsApp writes it for a message without one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub flow_token: Option<String>,
}

/// What the embed page tells its host.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type")]
pub enum EmbedEvent {
    /// The page listens: send `flowsmith:load` now.
    #[serde(rename = "flowsmith:ready")]
    Ready {
        /// The protocol version.
        version: u32,
    },
    /// A screen is shown.
    #[serde(rename = "flowsmith:screen")]
    Screen {
        /// Its id.
        screen: String,
        /// Its index in `screens`.
        index: usize,
        /// Its data.
        data: Map<String, Value>,
    },
    /// The flow completed: what the business receives.
    #[serde(rename = "flowsmith:complete")]
    Complete {
        /// The screen the flow completed on.
        screen: String,
        /// The response JSON (payload and flow token).
        response: Map<String, Value>,
    },
    /// The person clicked a component.
    #[serde(rename = "flowsmith:component")]
    Component {
        /// Its screen's id.
        screen: String,
        /// Its JSON Pointer.
        pointer: String,
    },
    /// The person changed the settings the host sent (to keep them).
    #[serde(rename = "flowsmith:settings")]
    Settings {
        /// All of them.
        settings: PreviewSettings,
    },
    /// A flow could not be loaded.
    #[serde(rename = "flowsmith:error")]
    Error {
        /// What went wrong.
        message: String,
    },
}

impl EmbedEvent {
    /// The message as JSON text.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// The protocol version `flowsmith:ready` announces.
pub const VERSION: u32 = 1;

impl Options {
    /// Reads the options a host sent; each missing or mistyped one is left out.
    fn read(value: &Value) -> Self {
        Options {
            data: value.get("data").filter(|data| !data.is_null()).cloned(),
            mocks: value.get("mocks").and_then(Value::as_object).cloned().unwrap_or_default(),
            endpoint: string(value, "endpoint"),
            public_key: string(value, "public_key"),
            theme: string(value, "theme"),
            screen: string(value, "screen"),
            flow_token: string(value, "flow_token"),
        }
    }
}

/// Reads a host message (JSON text from the page's script); `None` when it is not one (not
/// JSON, no known `type`, or a load without its flow). Other fields read leniently: a missing
/// or mistyped one is its default. By hand, as `DraftRecord::from_json`, for the bundle's size.
pub fn read_host_message(json: &str) -> Option<HostMessage> {
    let message = flow_model::json::read(json).ok()?;
    match message.get("type")?.as_str()? {
        "flowsmith:load" => Some(HostMessage::Load {
            flow: string(&message, "flow")?,
            options: message.get("options").map(Options::read).unwrap_or_default(),
            settings: message
                .get("settings")
                .filter(|settings| settings.is_object())
                .map(|settings| PreviewSettings::from_extra(Some(settings))),
        }),
        "flowsmith:select" => Some(HostMessage::Select {
            screen: string(&message, "screen"),
            component: string(&message, "component"),
        }),
        "flowsmith:restart" => Some(HostMessage::Restart),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_read_and_write_as_documented() {
        let load =
            read_host_message(r#"{"type": "flowsmith:load", "flow": "{}", "options": {"theme": "dark"}}"#);
        assert_eq!(
            load,
            Some(HostMessage::Load {
                flow: "{}".into(),
                options: Options { theme: Some("dark".into()), ..Options::default() },
                settings: None,
            })
        );
        assert_eq!(read_host_message(r#"{"type": "flowsmith:restart"}"#), Some(HostMessage::Restart));
        assert_eq!(read_host_message(r#"{"type": "other"}"#), None);
        assert_eq!(read_host_message(r#"{"type": "flowsmith:load", "options": {}}"#), None, "no flow");
        assert_eq!(read_host_message("[1]"), None);
        assert_eq!(
            read_host_message(r##"{"type": "flowsmith:select", "screen": "A", "component": "#/x"}"##),
            Some(HostMessage::Select { screen: Some("A".into()), component: Some("#/x".into()) })
        );
        let Some(HostMessage::Load { options, settings, .. }) = read_host_message(
            r#"{"type": "flowsmith:load", "flow": "{}", "options": {"data": {"a": 1}, "mocks": {"A": {}}, "screen": "B", "theme": 3}, "settings": {"theme": "light"}}"#,
        ) else {
            panic!("a load")
        };
        assert_eq!(options.data, Some(serde_json::json!({"a": 1})));
        assert_eq!((options.mocks.len(), options.screen.as_deref(), options.theme), (1, Some("B"), None));
        let Some(HostMessage::Load { options, .. }) = read_host_message(
            r#"{"type": "flowsmith:load", "flow": "{}", "options": {"flow_token": "t-1"}}"#,
        ) else {
            panic!("a load")
        };
        assert_eq!(options.flow_token.as_deref(), Some("t-1"));
        assert_eq!(settings.map(|settings| settings.theme), Some("light".to_owned()));
        assert_eq!(
            EmbedEvent::Ready { version: VERSION }.to_json(),
            r#"{"type":"flowsmith:ready","version":1}"#
        );
    }
}
