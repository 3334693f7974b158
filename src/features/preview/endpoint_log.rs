//! The log of the calls the preview makes to the designer's own endpoint (encrypted as
//! WhatsApp calls it, through the server's tester): each entry shows the request and the
//! answer decrypted, the status and the time, with the flow's `sensitive` fields masked, and
//! keeps the request as sent so that it can be replayed. Pure: tested natively and in the
//! browser.
use flow_model::model::Flow;
use serde_json::{Map, Value};

use crate::api::endpoint::{AnswerProblem, EndpointCall, Exchanged};

/// What a masked value shows (as the chat's summary of a completed flow does).
pub const MASK: &str = "••••";

/// The names a screen lists as `sensitive`.
pub fn sensitive_fields(flow: &Value, screen: &str) -> Vec<String> {
    Flow::from_value(flow)
        .and_then(|flow| flow.screen(screen))
        .map(|screen| screen.sensitive().map(str::to_owned).collect())
        .unwrap_or_default()
}

/// `data` with what is sensitive masked: the fields named in `names`, and any text or number
/// equal to one of `values` (what the person typed in a sensitive input, sent under another
/// name by the action's payload).
pub fn mask_data(data: &Map<String, Value>, names: &[String], values: &[Value]) -> Map<String, Value> {
    data.iter()
        .map(|(key, value)| {
            let secret = names.iter().any(|name| name == key)
                || (matches!(value, Value::String(_) | Value::Number(_)) && values.contains(value));
            (key.clone(), if secret { Value::String(MASK.to_owned()) } else { value.clone() })
        })
        .collect()
}

/// A request or an answer (`{screen?, data?, …}`) with the sensitive fields of its screen
/// masked; `values` as in [`mask_data`].
pub fn masked(flow: &Value, message: &Value, values: &[Value]) -> Value {
    let Some(object) = message.as_object() else { return message.clone() };
    let screen = object.get("screen").and_then(Value::as_str).unwrap_or_default();
    let names = sensitive_fields(flow, screen);
    let mut copy = object.clone();
    if let Some(Value::Object(data)) = object.get("data") {
        copy.insert("data".to_owned(), Value::Object(mask_data(data, &names, values)));
    }
    Value::Object(copy)
}

/// The values the person typed in `screen`'s sensitive inputs (`form`: the screen's values).
pub fn sensitive_values(flow: &Value, screen: &str, form: &Map<String, Value>) -> Vec<Value> {
    sensitive_fields(flow, screen)
        .iter()
        .filter_map(|name| form.get(name))
        .filter(|value| match value {
            Value::String(text) => !text.is_empty(),
            Value::Number(_) => true,
            _ => false,
        })
        .cloned()
        .collect()
}

/// One call in the log.
#[derive(Debug, Clone, PartialEq)]
pub struct LogEntry {
    /// Unique in the log (keys the list).
    pub id: u64,
    /// The request as sent, unmasked: what Replay sends again.
    pub call: EndpointCall,
    /// The request as the endpoint decrypted it, masked.
    pub request: Value,
    /// The answer, decrypted and masked.
    pub answer: Option<Value>,
    /// The endpoint's HTTP status.
    pub status: Option<u16>,
    /// How long the endpoint took.
    pub latency_ms: Option<f64>,
    /// Why there is no answer (the server's message).
    pub failure: Option<String>,
    /// The answer's problems against the flow.
    pub problems: Vec<AnswerProblem>,
    /// This entry replays another.
    pub replay: bool,
    /// Its answer came after the preview started again (new URL, key or data): not followed.
    pub outdated: bool,
}

impl LogEntry {
    /// An exchange the server made; `values` as in [`mask_data`].
    pub fn exchanged(
        id: u64,
        call: EndpointCall,
        flow: &Value,
        exchanged: &Exchanged,
        values: &[Value],
    ) -> Self {
        LogEntry {
            id,
            request: masked(flow, &exchanged.request, values),
            answer: exchanged.answer.as_ref().map(|answer| masked(flow, answer, values)),
            status: exchanged.status,
            latency_ms: Some(exchanged.latency_ms),
            failure: exchanged.failure.as_ref().map(|failure| failure.message.clone()),
            problems: exchanged.problems.clone(),
            replay: false,
            outdated: false,
            call,
        }
    }

    /// A call the server refused to make (a URL or a key it cannot read), or that never
    /// reached it.
    pub fn refused(id: u64, call: EndpointCall, flow: &Value, message: String, values: &[Value]) -> Self {
        LogEntry {
            id,
            request: masked(flow, &call.to_value(), values),
            answer: None,
            status: None,
            latency_ms: None,
            failure: Some(message),
            problems: Vec::new(),
            replay: false,
            outdated: false,
            call,
        }
    }

    /// What the call was: `INIT`, `data_exchange from PICK`, `BACK from DETAILS`, and where
    /// the answer went (`→ DETAILS`).
    pub fn title(&self) -> String {
        let mut title = self.call.action.clone();
        if let Some(screen) = &self.call.screen {
            title.push_str(" from ");
            title.push_str(screen);
        }
        if let Some(next) =
            self.answer.as_ref().and_then(|answer| answer.get("screen")).and_then(Value::as_str)
        {
            title.push_str(" → ");
            title.push_str(next);
        }
        if self.replay {
            title.push_str(" (replay)");
        }
        if self.outdated {
            title.push_str(" (not followed: the preview started again)");
        }
        title
    }

    /// The status and the time: `200 · 12 ms`, `421 · 3 ms`, `no answer · 10000 ms`.
    pub fn status_text(&self) -> String {
        let status = self.status.map_or_else(|| "no answer".to_owned(), |status| status.to_string());
        match self.latency_ms {
            Some(ms) => format!("{status} · {} ms", flow_model::number::fixed(ms, 0)),
            None => status,
        }
    }

    /// Whether the call went wrong: no answer, or an answer WhatsApp would refuse.
    pub fn failed(&self) -> bool {
        self.failure.is_some() || self.problems.iter().any(|problem| problem.severity == "error")
    }
}

/// Where a problem is: `DETAILS › data.slots` (the field alone when the answer names no
/// screen of the flow).
pub fn problem_place(problem: &AnswerProblem) -> String {
    match &problem.screen {
        Some(screen) => format!("{screen} › {}", problem.field),
        None => problem.field.clone(),
    }
}

/// The answer's problems as one line for the phone's snackbar.
pub fn problems_line(problems: &[AnswerProblem]) -> Option<String> {
    let shown: Vec<String> =
        problems.iter().map(|problem| format!("{}: {}", problem_place(problem), problem.message)).collect();
    (!shown.is_empty()).then(|| format!("The endpoint's answer: {}", shown.join("; ")))
}

/// Pretty JSON for the log.
pub fn pretty(value: &Value) -> String {
    serde_json::to_string_pretty(value).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn flow() -> Value {
        json!({"version": "7.3", "screens": [
            {"id": "ASK", "sensitive": ["pin"], "layout": {"type": "SingleColumnLayout", "children": []}},
            {"id": "DONE", "sensitive": ["card"], "layout": {"type": "SingleColumnLayout", "children": []}}]})
    }

    #[test]
    fn sensitive_fields_are_masked_by_name_and_by_value() {
        let request = json!({"version": "3.0", "action": "data_exchange", "screen": "ASK",
            "data": {"pin": "1234", "code": "1234", "name": "Ana", "count": 2}});
        let form = json!({"pin": "1234", "name": "Ana"});
        let values = sensitive_values(&flow(), "ASK", form.as_object().unwrap());
        assert_eq!(values, [json!("1234")]);
        assert_eq!(
            masked(&flow(), &request, &values),
            json!({"version": "3.0", "action": "data_exchange", "screen": "ASK",
                "data": {"pin": MASK, "code": MASK, "name": "Ana", "count": 2}})
        );
        // The answer is masked by its own screen's list; other screens' fields are not.
        let answer = json!({"screen": "DONE", "data": {"card": "4111", "pin": "x"}});
        assert_eq!(
            masked(&flow(), &answer, &[]),
            json!({"screen": "DONE", "data": {"card": MASK, "pin": "x"}})
        );
        assert_eq!(masked(&flow(), &json!([1]), &[]), json!([1]));
        assert!(sensitive_fields(&flow(), "NOPE").is_empty());
    }

    #[test]
    fn entries_say_what_was_called_and_how_it_went() {
        let call = EndpointCall {
            action: "data_exchange".into(),
            screen: Some("ASK".into()),
            data: json!({"pin": "1234"}).as_object().cloned(),
        };
        let exchanged = Exchanged {
            status: Some(200),
            latency_ms: 12.4,
            request: json!({"action": "data_exchange", "screen": "ASK", "data": {"pin": "1234"}}),
            answer: Some(json!({"screen": "DONE", "data": {}})),
            ..Exchanged::default()
        };
        let entry = LogEntry::exchanged(1, call.clone(), &flow(), &exchanged, &[]);
        assert_eq!(entry.title(), "data_exchange from ASK → DONE");
        assert_eq!(entry.status_text(), "200 · 12 ms");
        assert_eq!(entry.request["data"]["pin"], MASK);
        assert_eq!(entry.call, call, "the replay sends what was sent");
        assert!(!entry.failed());
        let refused = LogEntry::refused(2, call, &flow(), "public_key: not a PEM key".into(), &[]);
        assert_eq!(refused.status_text(), "no answer");
        assert!(refused.failed());
        let problem = AnswerProblem {
            screen: Some("DONE".into()),
            field: "data.slots".into(),
            severity: "error".into(),
            code: "payload_schema".into(),
            message: "slots is missing".into(),
        };
        assert_eq!(problem_place(&problem), "DONE › data.slots");
        assert_eq!(
            problems_line(std::slice::from_ref(&problem)).as_deref(),
            Some("The endpoint's answer: DONE › data.slots: slots is missing")
        );
        assert_eq!(problems_line(&[]), None);
    }
}
