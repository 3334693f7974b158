//! What the designer sets for the preview, kept with the draft (`extras["preview"]`): the first
//! screen's data, the answers of the mock endpoint per screen, a test endpoint (plain JSON, or
//! the designer's own endpoint encrypted as WhatsApp calls it, with its public key: never the
//! private key), the theme.
//! Texts are kept as typed (a half-written JSON answer survives a reload) and read into
//! [`Options`] when sent to the preview.
use flow_model::json::string;
use flow_model::mock::MockAnswers;
use serde::Serialize;
use serde_json::{Map, Value};

use super::protocol::Options;

/// The key in the draft's extras.
pub const EXTRA_KEY: &str = "preview";

/// The preview's settings of one draft.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct PreviewSettings {
    /// Custom JSON for the first screen's data; `None`: its `__example__` values.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub custom_data: Option<String>,
    /// The mock endpoint's answer to a data_exchange, per screen id, as typed.
    #[serde(skip_serializing_if = "Map::is_empty")]
    pub mocks: Map<String, Value>,
    /// A plain-JSON test endpoint for screens without a mock answer, or (`encrypted`) the
    /// designer's endpoint.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub endpoint: String,
    /// `endpoint` is called encrypted as WhatsApp calls it (through the server's tester), for
    /// every INIT, data_exchange and BACK.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub encrypted: bool,
    /// The endpoint's public key (PEM), as uploaded to WhatsApp.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub public_key: String,
    /// `light` or `dark`; the system's when empty.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub theme: String,
}

impl PreviewSettings {
    /// The settings kept with a draft (or sent by a host); each missing or mistyped one reads
    /// as its default. By hand, as `DraftRecord::from_json`, for the bundle's size.
    pub fn from_extra(value: Option<&Value>) -> Self {
        let Some(value) = value else {
            return Self::default();
        };
        PreviewSettings {
            custom_data: string(value, "custom_data"),
            mocks: value.get("mocks").and_then(Value::as_object).cloned().unwrap_or_default(),
            endpoint: string(value, "endpoint").unwrap_or_default(),
            encrypted: value.get("encrypted").and_then(Value::as_bool).unwrap_or_default(),
            public_key: string(value, "public_key").unwrap_or_default(),
            theme: string(value, "theme").unwrap_or_default(),
        }
    }

    /// The value kept with the draft; `None` when everything is default.
    pub fn to_extra(&self) -> Option<Value> {
        (*self != PreviewSettings::default()).then(|| serde_json::to_value(self).ok()).flatten()
    }

    /// The mock answer typed for `screen`.
    pub fn mock_text(&self, screen: &str) -> String {
        self.mocks.get(screen).and_then(Value::as_str).unwrap_or_default().to_owned()
    }

    /// The first screen's data and the mock answers, read as `flowsmith endpoint --answers`
    /// reads them (one reader: `flow_model::mock`).
    fn answers(&self) -> MockAnswers {
        let custom_data = self.custom_data.clone().map(Value::String);
        MockAnswers::read(custom_data.as_ref(), &self.mocks)
    }

    /// What each text says when it is not what it should be (by what it is).
    pub fn problems(&self) -> Vec<String> {
        let mut problems: Vec<String> = self.answers().problems.iter().map(ToString::to_string).collect();
        if self.encrypted && self.endpoint.trim().is_empty() {
            problems.push(
                "Your endpoint's URL is missing: the preview calls it for INIT and each data_exchange."
                    .to_owned(),
            );
        }
        if self.encrypted && !self.public_key.contains("-----BEGIN") {
            problems.push(
                "Your endpoint's public key is missing: paste the PEM uploaded to WhatsApp (-----BEGIN PUBLIC KEY-----…)."
                    .to_owned(),
            );
        }
        problems
    }

    /// The options the preview runs with (texts that do not read are left out).
    pub fn options(&self) -> Options {
        let MockAnswers { first_data, answers: mocks, .. } = self.answers();
        let data = first_data.map(Value::Object);
        let endpoint = Some(self.endpoint.trim().to_owned()).filter(|url| !url.is_empty());
        let theme = Some(self.theme.clone()).filter(|theme| !theme.is_empty());
        let public_key = self.encrypted.then(|| self.public_key.clone());
        Options { data, mocks, endpoint, public_key, theme, screen: None, flow_token: None }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn settings_round_trip_through_the_draft_and_read_into_options() {
        assert_eq!(PreviewSettings::default().to_extra(), None);
        let mut settings =
            PreviewSettings { custom_data: Some(r#"{"name": "Ana"}"#.into()), ..Default::default() };
        settings.mocks.insert("A".into(), json!(r#"{"screen": "B", "data": {}}"#));
        settings.mocks.insert("B".into(), json!("{not json"));
        let stored = settings.to_extra();
        assert_eq!(PreviewSettings::from_extra(stored.as_ref()), settings);
        let options = settings.options();
        assert_eq!(options.data, Some(json!({"name": "Ana"})));
        assert_eq!(options.mocks.keys().collect::<Vec<_>>(), ["A"]);
        assert_eq!(settings.problems().len(), 1);
        assert_eq!(PreviewSettings::from_extra(Some(&json!(42))), PreviewSettings::default());
        // One mistyped setting does not lose the others.
        let mixed = json!({"custom_data": 5, "mocks": {"A": "{}"}, "theme": "dark", "endpoint": null});
        let read = PreviewSettings::from_extra(Some(&mixed));
        assert_eq!((read.custom_data, read.theme.as_str(), read.endpoint.as_str()), (None, "dark", ""));
        assert_eq!(read.mocks.keys().collect::<Vec<_>>(), ["A"]);
    }

    #[test]
    fn the_encrypted_endpoint_keeps_its_url_and_public_key_and_says_what_is_missing() {
        let mut settings = PreviewSettings { encrypted: true, ..Default::default() };
        assert_eq!(settings.problems().len(), 2, "{:?}", settings.problems());
        settings.endpoint = "http://127.0.0.1:3000/flow".into();
        settings.public_key = "-----BEGIN PUBLIC KEY-----\nMIIB\n-----END PUBLIC KEY-----".into();
        assert!(settings.problems().is_empty());
        let stored = settings.to_extra();
        assert_eq!(stored.as_ref().and_then(|s| s.get("encrypted")), Some(&json!(true)));
        assert_eq!(PreviewSettings::from_extra(stored.as_ref()), settings);
        let options = settings.options();
        assert_eq!(options.public_key.as_deref(), Some(settings.public_key.as_str()));
        assert_eq!(options.endpoint.as_deref(), Some("http://127.0.0.1:3000/flow"));
        // Plain mode keeps the key typed, but the preview calls the endpoint in plain JSON.
        settings.encrypted = false;
        assert_eq!(settings.options().public_key, None);
    }
}
