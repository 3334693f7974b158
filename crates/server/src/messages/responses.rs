//! What people answered, as the responses table and its CSV show it: phones masked for roles
//! below publisher, the flow's `sensitive` fields masked for everyone, each field of
//! `response_json` a column.
use std::collections::BTreeSet;

use flow_model::expression::{self, Dynamic, Source};
use flow_model::model::Flow;
use serde_json::{Map, Value, json};

use super::store::FlowResponse;
use crate::workspace::time::rfc3339;

/// What a masked value shows.
pub const MASK: &str = "••••";

/// `+44 ••••••12 34`: the first two digits (about the country) and the last four, the rest
/// hidden. Numbers too short for that show only their last two digits.
pub fn mask_phone(phone: &str) -> String {
    let digits: Vec<char> = phone.chars().filter(char::is_ascii_digit).collect();
    if digits.len() < 8 {
        let shown: String = digits[digits.len().saturating_sub(2)..].iter().collect();
        return format!("+{}{shown}", "•".repeat(digits.len().saturating_sub(2)));
    }
    let head: String = digits[..2].iter().collect();
    let tail = &digits[digits.len() - 4..];
    format!("+{head} {}{}{} {}{}", "•".repeat(digits.len() - 6), tail[0], tail[1], tail[2], tail[3])
}

/// The keys of `response_json` that hold a `sensitive` field: every name a screen lists in
/// `sensitive`, and every key a payload binds to such a field (`"pin": "${form.pin_code}"`),
/// since the reply carries the `complete` action's payload keys, not the inputs' names.
pub fn sensitive_keys(flow_json: &str) -> BTreeSet<String> {
    let mut keys = BTreeSet::new();
    let Ok(root) = serde_json::from_str::<Value>(flow_json) else { return keys };
    let Some(flow) = Flow::from_value(&root) else { return keys };
    let mut sensitive: BTreeSet<&str> = BTreeSet::new();
    for screen in flow.screens() {
        sensitive.extend(screen.sensitive());
    }
    if sensitive.is_empty() {
        return keys;
    }
    keys.extend(sensitive.iter().map(|name| (*name).to_owned()));
    for screen in flow.screens() {
        for component in screen.every_component() {
            for (_, action) in component.actions() {
                let Some(Value::Object(payload)) = action.payload() else { continue };
                for (key, value) in payload {
                    let Some(text) = value.as_str() else { continue };
                    if let Dynamic::Binding(reference) = expression::classify(text)
                        && reference.source == Source::Form
                        && sensitive.contains(reference.field())
                    {
                        keys.insert(key.clone());
                    }
                }
            }
        }
    }
    keys
}

/// How one reader sees responses.
#[derive(Debug, Clone)]
pub struct Lens {
    /// Whether phones are shown whole (publisher or above on the flow's account).
    pub full_phone: bool,
    /// The keys masked for everyone.
    pub sensitive: BTreeSet<String>,
}

impl Lens {
    fn phone(&self, phone: &str) -> String {
        if self.full_phone { format!("+{phone}") } else { mask_phone(phone) }
    }

    /// The fields of a response (its `response_json` but the `flow_token`), sensitive ones
    /// masked.
    pub fn fields(&self, response: &FlowResponse) -> Map<String, Value> {
        let mut fields = match serde_json::from_str::<Value>(&response.response_json) {
            Ok(Value::Object(fields)) => fields,
            _ => Map::new(),
        };
        // `shift_remove` keeps the fields in the order the person answered them.
        fields.shift_remove("flow_token");
        for (key, value) in &mut fields {
            if self.sensitive.contains(key) {
                *value = json!(MASK);
            }
        }
        fields
    }

    /// A response as the API answers it.
    pub fn json(&self, response: &FlowResponse) -> Value {
        json!({
            "id": response.id,
            "received_at": rfc3339(response.received_at),
            "replied_at": response.replied_at.map(rfc3339),
            "phone": self.phone(&response.phone),
            "flow_token": response.flow_token,
            "sent_message_id": response.sent_message_id,
            "fields": self.fields(response),
        })
    }

    /// The responses as CSV (RFC 4180, formulas defused): time, phone, then one column per
    /// field, in the order the fields first appear.
    pub fn csv(&self, responses: &[FlowResponse]) -> String {
        let rows: Vec<Map<String, Value>> = responses.iter().map(|response| self.fields(response)).collect();
        let columns = columns(&rows);
        let mut out = String::from("received_at,phone");
        for column in &columns {
            out.push(',');
            out.push_str(&crate::auth::routes::csv_field(column));
        }
        out.push_str("\r\n");
        for (response, fields) in responses.iter().zip(&rows) {
            out.push_str(&rfc3339(response.received_at));
            out.push(',');
            out.push_str(&crate::auth::routes::csv_field(&self.phone(&response.phone)));
            for column in &columns {
                out.push(',');
                let cell = match fields.get(column) {
                    None | Some(Value::Null) => String::new(),
                    Some(Value::String(text)) => text.clone(),
                    Some(other) => other.to_string(),
                };
                out.push_str(&crate::auth::routes::csv_field(&cell));
            }
            out.push_str("\r\n");
        }
        out
    }
}

/// The field names of `rows`, each once, in the order they first appear.
pub fn columns(rows: &[Map<String, Value>]) -> Vec<String> {
    let mut seen = BTreeSet::new();
    let mut columns = Vec::new();
    for row in rows {
        for key in row.keys() {
            if seen.insert(key.as_str()) {
                columns.push(key.clone());
            }
        }
    }
    columns
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones_show_the_country_and_the_last_four_digits() {
        assert_eq!(mask_phone("447700900123"), "+44 ••••••01 23");
        assert_eq!(mask_phone("+1 555 000 1234"), "+15 •••••12 34");
        assert_eq!(mask_phone("12345"), "+•••45");
        assert!(!mask_phone("447700900123").contains("7700"));
    }

    #[test]
    fn sensitive_fields_are_the_names_and_the_payload_keys_bound_to_them() {
        let flow = json!({"version": "7.2", "screens": [{"id": "A", "title": "A", "terminal": true,
            "sensitive": ["pin_code"], "layout": {"type": "SingleColumnLayout", "children": [
                {"type": "TextInput", "name": "pin_code", "label": "PIN"},
                {"type": "TextInput", "name": "city", "label": "City"},
                {"type": "Footer", "label": "Done", "on-click-action": {"name": "complete",
                    "payload": {"pin": "${form.pin_code}", "town": "${form.city}"}}}]}}]});
        let keys = sensitive_keys(&flow.to_string());
        assert_eq!(keys.into_iter().collect::<Vec<_>>(), ["pin", "pin_code"]);
        assert!(sensitive_keys("not json").is_empty());
    }

    #[test]
    fn csv_has_a_column_per_field_and_defuses_formulas() {
        let response = |id: &str, json: &str| FlowResponse {
            id: id.to_owned(),
            message_id: id.to_owned(),
            flow_id: Some("f".to_owned()),
            account_id: None,
            sent_message_id: None,
            phone: "447700900123".to_owned(),
            flow_token: None,
            response_json: json.to_owned(),
            replied_at: None,
            received_at: 0,
        };
        let lens = Lens { full_phone: false, sensitive: ["pin".to_owned()].into() };
        let csv = lens.csv(&[
            response("1", r#"{"flow_token":"t","city":"=cmd()","pin":"1234"}"#),
            response("2", r#"{"rating":5,"city":"Leeds, UK"}"#),
        ]);
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines[0], "received_at,phone,city,pin,rating");
        // A phone starts with `+`, which a spreadsheet would read as a formula too.
        assert_eq!(lines[1], "1970-01-01T00:00:00.000Z,'+44 ••••••01 23,'=cmd(),••••,");
        assert_eq!(lines[2], "1970-01-01T00:00:00.000Z,'+44 ••••••01 23,\"Leeds, UK\",,5");
    }
}
