//! What the designer sets for the preview, kept with the draft (`extras["preview"]`): the first
//! screen's data, the answers of the mock endpoint per screen, a test endpoint, the theme.
//! Texts are kept as typed (a half-written JSON answer survives a reload) and read into
//! [`Options`] when sent to the preview.
use flow_model::json::string;
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
    /// A plain-JSON test endpoint for screens without a mock answer.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub endpoint: String,
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

    /// What each text says when it is not JSON (by what it is).
    pub fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        if let Some(text) = &self.custom_data {
            match flow_model::json::read(text) {
                Ok(Value::Object(_)) => {}
                Ok(_) => problems
                    .push("The first screen's data must be a JSON object, between { and }.".to_owned()),
                Err(error) => {
                    problems.push(format!("The first screen's data is not a JSON object ({error})."))
                }
            }
        }
        for (screen, text) in &self.mocks {
            let text = text.as_str().unwrap_or_default();
            if !text.trim().is_empty()
                && let Err(error) = flow_model::json::read(text)
            {
                problems.push(format!("The answer for {screen} is not JSON ({error})."));
            }
        }
        problems
    }

    /// The options the preview runs with (texts that are not JSON are left out).
    pub fn options(&self) -> Options {
        let data = self
            .custom_data
            .as_deref()
            .and_then(|text| flow_model::json::read(text).ok())
            .filter(Value::is_object);
        let mocks = self
            .mocks
            .iter()
            .filter_map(|(screen, text)| Some((screen.clone(), flow_model::json::read(text.as_str()?).ok()?)))
            .collect();
        let endpoint = Some(self.endpoint.trim().to_owned()).filter(|url| !url.is_empty());
        let theme = Some(self.theme.clone()).filter(|theme| !theme.is_empty());
        Options { data, mocks, endpoint, theme, screen: None, flow_token: None }
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
}
