//! The typed client of the server's endpoint tester (`/api/endpoint/exchange` and `/health`):
//! the server calls a business's endpoint encrypted as WhatsApp does (the browser cannot: the
//! endpoint answers no CORS, and the request is sealed with the endpoint's public key) and
//! answers with the exchange decrypted, checked against the flow. Only through the
//! same-origin server. Answers are read by hand from `Value`s, as the workspace's are.
use serde_json::{Map, Value, json};

use super::transport::{HttpRequest, Method, Transport};
use super::{Client, Via};

/// The endpoint called: its URL and the public key uploaded to WhatsApp (never the private
/// key: the endpoint keeps that).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct EndpointTarget {
    /// `https://…` (or `http://` for a local test).
    pub url: String,
    /// PEM (`-----BEGIN PUBLIC KEY-----` or `RSA PUBLIC KEY`).
    pub public_key: String,
}

/// What WhatsApp sends: `INIT`, `data_exchange`, `BACK` (or `ping`).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct EndpointCall {
    /// `INIT`, `data_exchange`, `BACK`, `ping`.
    pub action: String,
    /// The screen the person is on (data_exchange) or leaves (BACK).
    pub screen: Option<String>,
    /// The payload.
    pub data: Option<Map<String, Value>>,
}

impl EndpointCall {
    /// The request part of the tester's body: `{action, screen?, data?}`.
    pub fn to_value(&self) -> Value {
        let mut request = Map::new();
        request.insert("action".into(), json!(self.action));
        if let Some(screen) = &self.screen {
            request.insert("screen".into(), json!(screen));
        }
        if let Some(data) = &self.data {
            request.insert("data".into(), Value::Object(data.clone()));
        }
        Value::Object(request)
    }
}

/// Why a call brought no answer: the tester's stable code and its message for people.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct EndpointFailure {
    /// `timeout`, `refresh_key`, `not_encrypted`, `http_status`, `closed`, `unreachable`, …
    pub code: String,
    /// What happened and what usually causes it.
    pub message: String,
}

/// A problem of an answer against the flow, at its screen and field.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AnswerProblem {
    /// The screen the answer shows, when the flow has it.
    pub screen: Option<String>,
    /// The path in the answer: `screen`, `data`, `data.FIELD…`.
    pub field: String,
    /// `error` (WhatsApp refuses the answer) or `warning`.
    pub severity: String,
    /// flow-model's stable code.
    pub code: String,
    /// What is wrong.
    pub message: String,
}

/// One call, decrypted.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Exchanged {
    /// The endpoint's HTTP status, when it answered.
    pub status: Option<u16>,
    /// From sending to the answer's last byte.
    pub latency_ms: f64,
    /// The request as the endpoint decrypts it.
    pub request: Value,
    /// The answer, decrypted.
    pub answer: Option<Value>,
    /// Why there is no answer.
    pub failure: Option<EndpointFailure>,
    /// The answer's problems against the flow.
    pub problems: Vec<AnswerProblem>,
}

/// One check of the health report.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct HealthCheck {
    /// `https`, `ping`, `latency`, `wrong_key`, `error_notification`, `signature`.
    pub name: String,
    /// `pass`, `warn`, `fail` or `skip`.
    pub outcome: String,
    /// What was found.
    pub detail: String,
    /// The call's latency, for the checks that call.
    pub latency_ms: Option<f64>,
}

/// The health report.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct HealthReport {
    /// No check failed.
    pub healthy: bool,
    /// The checks, in the order made.
    pub checks: Vec<HealthCheck>,
}

/// The server did not make the call: it refused it (a URL or a key it cannot read, a role) or
/// could not be reached. Its own small reading of the server's envelope, not `ApiError`'s: the
/// preview's bundle carries this client, and not the Partner API's error wording.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EndpointError(pub String);

impl EndpointError {
    /// What to tell people.
    pub fn for_people(&self) -> String {
        self.0.clone()
    }

    /// Reads a refusal: the envelope's `error.message` (`public_key: not a PEM key…`).
    fn read(status: u16, body: &str) -> Self {
        let parsed = flow_model::json::read(body).ok();
        let message = parsed
            .as_ref()
            .and_then(|value| value.get("error"))
            .and_then(|error| error.get("message"))
            .and_then(Value::as_str);
        EndpointError(match message {
            Some(message) => format!("The server refused the call ({status}): {message}."),
            None => format!("The server answered {status}, not the endpoint tester's answer."),
        })
    }
}

fn text(value: &Value, key: &str) -> String {
    value.get(key).and_then(Value::as_str).unwrap_or_default().to_owned()
}

impl Exchanged {
    /// Reads the tester's `data`.
    pub fn read(value: &Value) -> Self {
        Exchanged {
            status: value.get("status").and_then(Value::as_u64).and_then(|s| u16::try_from(s).ok()),
            latency_ms: value.get("latency_ms").and_then(Value::as_f64).unwrap_or_default(),
            request: value.get("request").cloned().unwrap_or(Value::Null),
            answer: value.get("answer").filter(|answer| !answer.is_null()).cloned(),
            failure: value.get("failure").filter(|failure| failure.is_object()).map(|failure| {
                EndpointFailure { code: text(failure, "code"), message: text(failure, "message") }
            }),
            problems: value
                .get("problems")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .map(|problem| AnswerProblem {
                    screen: problem.get("screen").and_then(Value::as_str).map(str::to_owned),
                    field: text(problem, "field"),
                    severity: text(problem, "severity"),
                    code: text(problem, "code"),
                    message: text(problem, "message"),
                })
                .collect(),
        }
    }
}

impl HealthReport {
    /// Reads the tester's `data`.
    pub fn read(value: &Value) -> Self {
        HealthReport {
            healthy: value.get("healthy").and_then(Value::as_bool).unwrap_or_default(),
            checks: value
                .get("checks")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .map(|check| HealthCheck {
                    name: text(check, "name"),
                    outcome: text(check, "outcome"),
                    detail: text(check, "detail"),
                    latency_ms: check.get("latency_ms").and_then(Value::as_f64),
                })
                .collect(),
        }
    }
}

/// The body of `/api/endpoint/exchange`: the flow goes along so the server checks the answer.
pub fn exchange_body(target: &EndpointTarget, flow: Option<&Value>, call: &EndpointCall) -> String {
    let mut body = Map::new();
    body.insert("url".into(), json!(target.url.trim()));
    body.insert("public_key".into(), json!(target.public_key));
    if let Some(flow) = flow {
        body.insert("flow".into(), flow.clone());
    }
    body.insert("request".into(), call.to_value());
    flow_model::json::compact(&Value::Object(body))
}

impl<T: Transport> Client<T> {
    /// One call of the tester: its envelope's `data`.
    async fn tester(&self, path: &str, body: String) -> Result<Value, EndpointError> {
        let Via::Server { origin } = &self.via else {
            return Err(EndpointError(
                "The endpoint tester is on the server: switch Connection to this server.".to_owned(),
            ));
        };
        let request = HttpRequest {
            method: Method::Post,
            url: format!("{origin}/api/endpoint/{path}"),
            headers: vec![("Content-Type", "application/json".to_owned())],
            body: Some(body),
        };
        let response = self.transport.send(request).await.map_err(|cause| {
            EndpointError(format!("The server could not be reached ({cause}): is flowsmith serve running?"))
        })?;
        match flow_model::json::read(&response.body) {
            Ok(mut value)
                if (200..300).contains(&response.status)
                    && value.get("status").and_then(Value::as_str) == Some("success") =>
            {
                Ok(value.get_mut("data").map(Value::take).unwrap_or(Value::Null))
            }
            _ => Err(EndpointError::read(response.status, &response.body)),
        }
    }

    /// Sends `call` to the endpoint through the server; the answer's problems are checked
    /// against `flow`. `Err` is the server refusing (a URL or key it cannot read, a role);
    /// what the endpoint did wrong is in the [`Exchanged`].
    pub async fn endpoint_exchange(
        &self,
        target: &EndpointTarget,
        flow: Option<&Value>,
        call: &EndpointCall,
    ) -> Result<Exchanged, EndpointError> {
        let value = self.tester("exchange", exchange_body(target, flow, call)).await?;
        Ok(Exchanged::read(&value))
    }

    /// The endpoint's health check, through the server.
    pub async fn endpoint_health(&self, target: &EndpointTarget) -> Result<HealthReport, EndpointError> {
        let body = json!({"url": target.url.trim(), "public_key": target.public_key});
        let value = self.tester("health", flow_model::json::compact(&body)).await?;
        Ok(HealthReport::read(&value))
    }
}

/// The same-origin server (the tester is only there).
pub fn same_origin() -> Via {
    Via::Server { origin: String::new() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_exchange_body_carries_the_call_and_the_flow() {
        let target = EndpointTarget { url: " http://127.0.0.1:9/flow ".into(), public_key: "PEM".into() };
        let call = EndpointCall {
            action: "data_exchange".into(),
            screen: Some("PICK".into()),
            data: json!({"a": 1}).as_object().cloned(),
        };
        let body: Value =
            serde_json::from_str(&exchange_body(&target, Some(&json!({"screens": []})), &call)).unwrap();
        assert_eq!(
            body,
            json!({"url": "http://127.0.0.1:9/flow", "public_key": "PEM", "flow": {"screens": []},
                "request": {"action": "data_exchange", "screen": "PICK", "data": {"a": 1}}})
        );
        let init = EndpointCall { action: "INIT".into(), ..Default::default() };
        assert_eq!(init.to_value(), json!({"action": "INIT"}));
    }

    #[test]
    fn answers_read_as_the_server_writes_them() {
        let exchanged = Exchanged::read(&json!({"status": 200, "latency_ms": 3.5,
            "request": {"version": "3.0", "action": "INIT"}, "answer": {"screen": "A", "data": {}}, "failure": null,
            "problems": [{"screen": "A", "field": "data.x", "severity": "error", "code": "payload_schema", "message": "x is missing"}]}));
        assert_eq!(exchanged.status, Some(200));
        assert_eq!(exchanged.answer, Some(json!({"screen": "A", "data": {}})));
        assert_eq!(exchanged.failure, None);
        assert_eq!(exchanged.problems[0].field, "data.x");
        assert_eq!(exchanged.problems[0].screen.as_deref(), Some("A"));
        let failed =
            Exchanged::read(&json!({"status": 421, "latency_ms": 1.0, "request": {}, "answer": null,
            "failure": {"code": "refresh_key", "message": "The endpoint answered 421"}, "problems": []}));
        assert_eq!(failed.answer, None);
        assert_eq!(failed.failure.map(|failure| failure.code), Some("refresh_key".to_owned()));
        let report = HealthReport::read(&json!({"healthy": false, "checks": [
            {"name": "ping", "outcome": "pass", "detail": "active", "latency_ms": 4.0},
            {"name": "https", "outcome": "warn", "detail": "plain HTTP"}]}));
        assert!(!report.healthy);
        assert_eq!(report.checks[0].latency_ms, Some(4.0));
        assert_eq!(report.checks[1].latency_ms, None);
    }

    #[test]
    fn refusals_say_the_servers_message() {
        let envelope = r#"{"status": "error", "error": {"code": "invalid_request", "message": "public_key: not a PEM key", "field": "public_key"}}"#;
        assert_eq!(
            EndpointError::read(400, envelope).for_people(),
            "The server refused the call (400): public_key: not a PEM key."
        );
        assert_eq!(
            EndpointError::read(404, "<html>").for_people(),
            "The server answered 404, not the endpoint tester's answer."
        );
    }
}
