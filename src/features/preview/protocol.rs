//! The postMessage protocol between a host page (the editor, or any application) and the
//! embed page. Every message is an object whose `type` starts with `flowsmith:`; README.md
//! documents it for host applications.
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::settings::PreviewSettings;

/// What the host sends to the embed page.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(tag = "type")]
#[allow(clippy::large_enum_variant)] // one message at a time: boxing would only add code
pub enum HostMessage {
    /// Show a flow (an object or its JSON text), with preview options.
    #[serde(rename = "flowsmith:load")]
    Load {
        /// The flow: JSON text (objects are turned into text by the page's script).
        flow: String,
        /// Initial data, mock answers, test endpoint, theme.
        #[serde(default)]
        options: Options,
        /// Settings the host keeps and lets the person edit here (the editor's, kept with the
        /// draft): they give the options, and the page shows their form and reports changes
        /// with `flowsmith:settings`.
        #[serde(default)]
        settings: Option<PreviewSettings>,
    },
    /// Highlight a component and show its screen (the editor's selection).
    #[serde(rename = "flowsmith:select")]
    Select {
        /// The screen id to show.
        #[serde(default)]
        screen: Option<String>,
        /// JSON Pointer of the component to highlight.
        #[serde(default)]
        component: Option<String>,
    },
    /// Start again from the first screen.
    #[serde(rename = "flowsmith:restart")]
    Restart,
}

/// How the preview runs a flow.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
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
    /// `light` or `dark`; the system's otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub theme: Option<String>,
    /// The screen to start on (an id); the first screen otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub screen: Option<String>,
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

/// Reads a host message (JSON text from the page's script); `None` when it is not one.
pub fn read_host_message(json: &str) -> Option<HostMessage> {
    serde_json::from_value(flow_model::json::read(json).ok()?).ok()
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
        assert_eq!(
            EmbedEvent::Ready { version: VERSION }.to_json(),
            r#"{"type":"flowsmith:ready","version":1}"#
        );
    }
}
