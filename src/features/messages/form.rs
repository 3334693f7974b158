//! What the Send dialog holds, and what it turns into: the Cloud API message (for the JSON and
//! the cURL shown), the body of `POST /api/messages`, and the problems of flow-model's
//! [`check`] placed at the dialog's fields. The checks are flow-model's, the ones the server
//! runs: no limit is written here.
use flow_model::message::{
    self, Backend, FlowAction, FlowMessage, FlowRef, MessageProblem, Mode, Publication, check, entry_screens,
    example_data,
};
use serde_json::{Map, Value};

use crate::api::messages::SendRequest;
use crate::api::workspace::{WsAccount, WsFlow};

/// The dialog's fields, as `POST /api/messages` names them (a field of the first screen's
/// data, `data.NAME`, shows at `data`).
pub const FIELDS: [&str; 10] =
    ["to", "header", "body", "footer", "cta", "flow_token", "action", "screen", "data", "mode"];

/// The Graph API version the cURL command of a Meta account names.
pub const GRAPH_VERSION: &str = "v21.0";

/// The dialog's field a problem or a refusal names (`data.NAME` shows at `data`; what has no
/// field of its own, such as `flow_id`, at the top: `""`).
pub fn dialog_field(send_field: &str) -> &'static str {
    let field =
        if send_field.starts_with("data.") || send_field.starts_with("data[") { "data" } else { send_field };
    FIELDS.iter().find(|known| **known == field).copied().unwrap_or("")
}

/// The Send dialog's fields as typed.
#[derive(Debug, Clone, PartialEq)]
pub struct SendForm {
    /// The recipient.
    pub to: String,
    /// The header (empty: none).
    pub header: String,
    /// The body.
    pub body: String,
    /// The footer (empty: none).
    pub footer: String,
    /// The button's text.
    pub cta: String,
    /// The flow token (empty: none).
    pub flow_token: String,
    /// `navigate` or `data_exchange`.
    pub action: String,
    /// The first screen (navigate).
    pub screen: String,
    /// Its data as JSON text (empty: none).
    pub data: String,
    /// `draft` or `published`.
    pub mode: String,
}

impl SendForm {
    /// The form for `flow` (its flow.json `json`): the first entry screen with its data from
    /// the screen's `__example__`s, `token` as the flow token, draft while the flow is not
    /// published.
    pub fn new(flow: &WsFlow, json: &Value, token: String) -> Self {
        let screen = entry_screens(json).into_iter().next().unwrap_or_default();
        let mode = if flow.status == "DRAFT" { Mode::Draft } else { Mode::Published };
        SendForm {
            to: String::new(),
            header: String::new(),
            body: String::new(),
            footer: String::new(),
            cta: "Open".to_owned(),
            flow_token: token,
            action: "navigate".to_owned(),
            data: example_text(json, &screen),
            screen,
            mode: mode.as_str().to_owned(),
        }
    }

    /// The data as a JSON object: `Ok(None)` when empty, `Err` with why when it is not an
    /// object.
    pub fn data_object(&self) -> Result<Option<Map<String, Value>>, String> {
        if self.data.trim().is_empty() {
            return Ok(None);
        }
        match flow_model::json::read(&self.data) {
            Ok(Value::Object(data)) => Ok(Some(data)),
            Ok(_) => Err("The data must be a JSON object, e.g. {\"name\": \"Ana\"}.".to_owned()),
            Err(error) => Err(format!("The data is not JSON: {error}.")),
        }
    }

    /// The Cloud API message the form makes for `flow` (its WhatsApp id, else its name).
    pub fn message(&self, flow: &WsFlow) -> FlowMessage {
        let optional = |text: &str| Some(text.to_owned()).filter(|text| !text.is_empty());
        let action = if self.action == "data_exchange" {
            FlowAction::DataExchange
        } else {
            FlowAction::Navigate { screen: self.screen.clone(), data: self.data_object().ok().flatten() }
        };
        FlowMessage {
            to: self.to.trim().to_owned(),
            header: optional(&self.header),
            body: self.body.clone(),
            footer: optional(&self.footer),
            cta: self.cta.clone(),
            flow_token: optional(&self.flow_token),
            flow: match &flow.meta_flow_id {
                Some(id) => FlowRef::Id(id.clone()),
                None => FlowRef::Name(flow.name.clone()),
            },
            action,
            mode: Mode::parse(&self.mode).unwrap_or(Mode::Published),
            flow_message_version: message::FLOW_MESSAGE_VERSION.to_owned(),
        }
    }

    /// Every problem, as `(dialog field, message, is an error)`: flow-model's check of the
    /// message against `json`, and data that is not a JSON object.
    pub fn problems(&self, flow: &WsFlow, json: &Value) -> Vec<(&'static str, String, bool)> {
        let mut found: Vec<(&'static str, String, bool)> = Vec::new();
        if self.action != "data_exchange"
            && let Err(why) = self.data_object()
        {
            found.push(("data", why, true));
        }
        let publication = Publication::from_status(&flow.status, flow.status != "DRAFT");
        found.extend(check(&self.message(flow), json, publication).iter().map(|problem: &MessageProblem| {
            (dialog_field(problem.send_field()), problem.message(), problem.is_error())
        }));
        found
    }

    /// The body of `POST /api/messages`.
    pub fn request(&self, flow: &WsFlow) -> SendRequest {
        let message = self.message(flow);
        let (screen, data) = match message.action {
            FlowAction::Navigate { screen, data } => (Some(screen), data),
            FlowAction::DataExchange => (None, None),
        };
        SendRequest {
            account_id: flow.account_id.clone(),
            flow_id: flow.id.clone(),
            to: message.to,
            header: message.header,
            body: message.body,
            footer: message.footer,
            cta: message.cta,
            flow_token: message.flow_token,
            action: self.action.clone(),
            screen,
            data,
            mode: self.mode.clone(),
        }
    }
}

/// The `__example__` data of `screen`, as the data field shows it (empty when it has none).
pub fn example_text(json: &Value, screen: &str) -> String {
    let data = example_data(json, screen);
    if data.is_empty() {
        String::new()
    } else {
        serde_json::to_string_pretty(&Value::Object(data)).unwrap_or_default()
    }
}

/// Where the account's messages go, for the cURL command: the sandbox at this server
/// (`origin`), 360dialog's messaging API, or Meta's `/{phone-number-id}/messages` (the number
/// is the user's to fill in).
pub fn backend(account: &WsAccount, origin: &str, partner_id: &str) -> Backend {
    match account.backend.as_str() {
        "sandbox" => Backend::Sandbox {
            base: format!(
                "{origin}/sandbox/api/v2/partners/{partner_id}/waba_accounts/{}",
                account.external_id
            ),
        },
        "graph" => Backend::Graph {
            phone_number_id: "{phone-number-id}".to_owned(),
            version: GRAPH_VERSION.to_owned(),
        },
        _ => Backend::Dialog360,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn flow(status: &str) -> WsFlow {
        WsFlow {
            id: "f1".into(),
            account_id: "acc".into(),
            name: "Survey".into(),
            status: status.into(),
            meta_flow_id: Some("123456789012345".into()),
            ..WsFlow::default()
        }
    }

    fn survey() -> Value {
        json!({"version": "7.3", "data_api_version": "3.0", "routing_model": {"WELCOME": ["DONE"], "DONE": []}, "screens": [
            {"id": "WELCOME", "title": "Hi", "data": {"name": {"type": "string", "__example__": "Ana"}},
             "layout": {"type": "SingleColumnLayout", "children": [
                {"type": "TextBody", "text": "${data.name}"},
                {"type": "Footer", "label": "Next", "on-click-action": {"name": "navigate", "next": {"type": "screen", "name": "DONE"}, "payload": {}}}]}},
            {"id": "DONE", "title": "Done", "terminal": true, "layout": {"type": "SingleColumnLayout", "children": [
                {"type": "Footer", "label": "Done", "on-click-action": {"name": "complete", "payload": {}}}]}}]})
    }

    #[test]
    fn the_form_starts_on_an_entry_screen_with_its_example_data() {
        let form = SendForm::new(&flow("DRAFT"), &survey(), "t1".into());
        assert_eq!((form.screen.as_str(), form.mode.as_str()), ("WELCOME", "draft"));
        assert_eq!(form.data_object(), Ok(Some(json!({"name": "Ana"}).as_object().unwrap().clone())));
        assert_eq!(SendForm::new(&flow("PUBLISHED"), &survey(), "t1".into()).mode, "published");
    }

    #[test]
    fn problems_land_on_the_dialog_s_fields() {
        let mut form = SendForm::new(&flow("DRAFT"), &survey(), "t1".into());
        form.body = "Hello".into();
        form.to = "+15550001111".into();
        assert_eq!(form.problems(&flow("DRAFT"), &survey()), []);
        form.to = "555".into();
        form.screen = "DONE".into();
        form.data = "{\"age\": 3}".into();
        form.mode = "published".into();
        let fields: Vec<&str> = form.problems(&flow("DRAFT"), &survey()).iter().map(|p| p.0).collect();
        assert_eq!(fields, ["to", "screen", "data", "mode"]);
        form.data = "[1]".into();
        assert_eq!(form.problems(&flow("DRAFT"), &survey())[0].0, "data");
        assert_eq!(dialog_field("flow_id"), "");
        assert_eq!(dialog_field("data.name"), "data");
    }

    #[test]
    fn the_request_carries_the_form() {
        let mut form = SendForm::new(&flow("DRAFT"), &survey(), "t1".into());
        form.to = " +15550001111 ".into();
        form.body = "Hello".into();
        let request = form.request(&flow("DRAFT"));
        assert_eq!((request.to.as_str(), request.mode.as_str()), ("+15550001111", "draft"));
        assert_eq!((request.screen.as_deref(), request.header.as_deref()), (Some("WELCOME"), None));
        form.action = "data_exchange".into();
        assert_eq!(form.request(&flow("DRAFT")).screen, None);
    }

    #[test]
    fn each_backend_has_its_curl() {
        let account = |backend: &str| WsAccount {
            backend: backend.into(),
            external_id: "sandbox1WA".into(),
            ..WsAccount::default()
        };
        let url = |name: &str| backend(&account(name), "http://127.0.0.1:8080", "sandboxPA").messages_url();
        assert_eq!(
            url("sandbox"),
            "http://127.0.0.1:8080/sandbox/api/v2/partners/sandboxPA/waba_accounts/sandbox1WA/messages"
        );
        assert_eq!(url("360dialog"), Backend::Dialog360.messages_url());
        assert!(url("graph").ends_with("/{phone-number-id}/messages"));
    }
}
