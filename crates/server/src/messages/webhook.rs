//! WhatsApp's webhook deliveries: the signature Meta puts on them, and what they say.
//!
//! Meta signs each delivery with `X-Hub-Signature-256: sha256=<hex>`, the HMAC-SHA256 of the
//! raw body under the app secret; [`sign`] writes that header (for the sandbox's forwarding and
//! the tests) and [`verify`] checks it in constant time. [`Delivery::parse`] reads the Cloud
//! API's shape (`entry[].changes[].value` with `messages[]` and `statuses[]`), and the same
//! `value` at the top level, as 360dialog's on-premise channels deliver it. Of the messages
//! only completed flows (`interactive.type: nfm_reply`) are kept; other kinds of message and
//! change are not this server's business and are acknowledged without a trace.
use hmac::{Hmac, Mac as _};
use serde_json::{Map, Value};
use sha2::Sha256;

/// The header Meta signs deliveries in.
pub const SIGNATURE_HEADER: &str = "x-hub-signature-256";

type HmacSha256 = Hmac<Sha256>;

fn mac(secret: &str) -> HmacSha256 {
    // HMAC takes a key of any length (longer ones are hashed first): this cannot fail.
    HmacSha256::new_from_slice(secret.as_bytes()).unwrap_or_else(|_| unreachable!("HMAC accepts any key"))
}

/// The `X-Hub-Signature-256` value of `body` under `app_secret`: `sha256=` and 64 hex digits.
pub fn sign(app_secret: &str, body: &[u8]) -> String {
    let mut mac = mac(app_secret);
    mac.update(body);
    let digest = mac.finalize().into_bytes();
    let mut out = String::with_capacity(71);
    out.push_str("sha256=");
    for byte in digest {
        out.push(char::from(b"0123456789abcdef"[usize::from(byte >> 4)]));
        out.push(char::from(b"0123456789abcdef"[usize::from(byte & 15)]));
    }
    out
}

/// Whether `header` (an `X-Hub-Signature-256` value) signs `body` under `app_secret`. The
/// comparison takes the same time wherever the first wrong byte is.
pub fn verify(app_secret: &str, body: &[u8], header: &[u8]) -> bool {
    let Some(hex) = header.strip_prefix(b"sha256=") else { return false };
    let Some(expected) = decode_hex(hex) else { return false };
    let mut mac = mac(app_secret);
    mac.update(body);
    mac.verify_slice(&expected).is_ok()
}

fn decode_hex(hex: &[u8]) -> Option<[u8; 32]> {
    if hex.len() != 64 {
        return None;
    }
    let digit = |byte: u8| match byte {
        b'0'..=b'9' => Some(byte - b'0'),
        b'a'..=b'f' => Some(byte - b'a' + 10),
        b'A'..=b'F' => Some(byte - b'A' + 10),
        _ => None,
    };
    let mut out = [0_u8; 32];
    for (index, pair) in hex.chunks_exact(2).enumerate() {
        out[index] = digit(pair[0])? << 4 | digit(pair[1])?;
    }
    Some(out)
}

/// A completed flow: an inbound `nfm_reply` message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    /// WhatsApp's id of the inbound message (`wamid.…`).
    pub message_id: String,
    /// Who answered (`from`: E.164 digits).
    pub from: String,
    /// The message it answers (`context.id`).
    pub context_id: Option<String>,
    /// `flow_token` inside `response_json`.
    pub flow_token: Option<String>,
    /// `response_json`, a JSON object as text, as WhatsApp sent it.
    pub response_json: String,
    /// WhatsApp's time of the reply (milliseconds).
    pub timestamp: Option<i64>,
    /// The WhatsApp Business Account it came to (`entry[].id`), when the delivery names it.
    pub waba_id: Option<String>,
}

/// A status update of a sent message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusUpdate {
    /// WhatsApp's id of the sent message.
    pub message_id: String,
    /// `sent`, `delivered`, `read` or `failed`.
    pub status: String,
    /// WhatsApp's time of the update (milliseconds).
    pub timestamp: Option<i64>,
    /// The first error's title and code, for `failed`.
    pub detail: Option<String>,
}

/// What a delivery says that this server keeps.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Delivery {
    /// Completed flows.
    pub replies: Vec<Reply>,
    /// Status updates of sent messages.
    pub statuses: Vec<StatusUpdate>,
}

/// Why a delivery cannot be read (answered 400: the sender's bug, not ours).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Malformed(pub String);

fn malformed<T>(message: impl Into<String>) -> Result<T, Malformed> {
    Err(Malformed(message.into()))
}

/// An optional array member: absent or `null` is empty, another type is malformed.
fn array<'a>(object: &'a Map<String, Value>, key: &str, at: &str) -> Result<&'a [Value], Malformed> {
    match object.get(key) {
        None | Some(Value::Null) => Ok(&[]),
        Some(Value::Array(items)) => Ok(items),
        Some(_) => malformed(format!("{at}.{key} must be an array")),
    }
}

fn object<'a>(value: &'a Value, at: &str) -> Result<&'a Map<String, Value>, Malformed> {
    value.as_object().map_or_else(|| malformed(format!("{at} must be an object")), Ok)
}

fn text(object: &Map<String, Value>, key: &str) -> Option<String> {
    object.get(key).and_then(Value::as_str).map(str::to_owned)
}

/// WhatsApp's timestamps are seconds since the epoch, as a string (or a number).
fn timestamp(object: &Map<String, Value>) -> Option<i64> {
    let seconds = match object.get("timestamp")? {
        Value::String(text) => text.trim().parse::<i64>().ok()?,
        Value::Number(number) => number.as_i64()?,
        _ => return None,
    };
    seconds.checked_mul(1000)
}

impl Delivery {
    /// Reads a delivery's body.
    pub fn parse(body: &[u8]) -> Result<Delivery, Malformed> {
        let value: Value = serde_json::from_slice(body).map_err(|error| {
            Malformed(format!("the body is not JSON (line {}, column {})", error.line(), error.column()))
        })?;
        let root = object(&value, "the body")?;
        let mut delivery = Delivery::default();
        if root.contains_key("entry") {
            for (e, entry) in array(root, "entry", "")?.iter().enumerate() {
                let at = format!("entry[{e}]");
                let entry = object(entry, &at)?;
                let waba_id = text(entry, "id");
                for (c, change) in array(entry, "changes", &at)?.iter().enumerate() {
                    let at = format!("{at}.changes[{c}]");
                    let change = object(change, &at)?;
                    match change.get("value") {
                        None | Some(Value::Null) => {}
                        Some(value) => {
                            let at = format!("{at}.value");
                            delivery.read_value(object(value, &at)?, &at, waba_id.as_deref())?;
                        }
                    }
                }
            }
        } else {
            delivery.read_value(root, "", None)?;
        }
        Ok(delivery)
    }

    fn read_value(
        &mut self,
        value: &Map<String, Value>,
        at: &str,
        waba_id: Option<&str>,
    ) -> Result<(), Malformed> {
        for (m, message) in array(value, "messages", at)?.iter().enumerate() {
            let at = format!("{at}.messages[{m}]");
            if let Some(reply) = reply(object(message, &at)?, &at, waba_id)? {
                self.replies.push(reply);
            }
        }
        for (s, status) in array(value, "statuses", at)?.iter().enumerate() {
            let at = format!("{at}.statuses[{s}]");
            let status = object(status, &at)?;
            let (Some(message_id), Some(name)) = (text(status, "id"), text(status, "status")) else {
                return malformed(format!("{at} needs id and status"));
            };
            let detail = status
                .get("errors")
                .and_then(Value::as_array)
                .and_then(|errors| errors.first())
                .and_then(Value::as_object)
                .map(|error| {
                    let title = error.get("title").and_then(Value::as_str).unwrap_or("error");
                    match error.get("code") {
                        Some(code) => format!("{title} ({code})"),
                        None => title.to_owned(),
                    }
                });
            self.statuses.push(StatusUpdate {
                message_id,
                status: name.to_ascii_lowercase(),
                timestamp: timestamp(status),
                detail,
            });
        }
        Ok(())
    }
}

/// The reply in an inbound message, if it is a completed flow.
fn reply(message: &Map<String, Value>, at: &str, waba_id: Option<&str>) -> Result<Option<Reply>, Malformed> {
    let Some(interactive) = message.get("interactive").and_then(Value::as_object) else { return Ok(None) };
    if interactive.get("type").and_then(Value::as_str) != Some("nfm_reply") {
        return Ok(None);
    }
    let Some(nfm) = interactive.get("nfm_reply").and_then(Value::as_object) else {
        return malformed(format!("{at}.interactive.nfm_reply is missing"));
    };
    let Some(response_json) = nfm.get("response_json").and_then(Value::as_str) else {
        return malformed(format!("{at}.interactive.nfm_reply.response_json must be a string"));
    };
    let Ok(Value::Object(response)) = serde_json::from_str::<Value>(response_json) else {
        return malformed(format!("{at}.interactive.nfm_reply.response_json must hold a JSON object"));
    };
    let (Some(message_id), Some(from)) = (text(message, "id"), text(message, "from")) else {
        return malformed(format!("{at} needs id and from"));
    };
    Ok(Some(Reply {
        message_id,
        from,
        context_id: message.get("context").and_then(Value::as_object).and_then(|context| text(context, "id")),
        flow_token: text(&response, "flow_token"),
        response_json: response_json.to_owned(),
        timestamp: timestamp(message),
        waba_id: waba_id.map(str::to_owned),
    }))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn signatures_are_meta_s_hmac_and_checked_whole() {
        // RFC 4231's test case 2 ("Jefe"), as Meta would write it.
        let signature = sign("Jefe", b"what do ya want for nothing?");
        assert_eq!(signature, "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
        let body = b"what do ya want for nothing?";
        assert!(verify("Jefe", body, signature.as_bytes()));
        assert!(verify(
            "Jefe",
            body,
            signature.to_ascii_uppercase().replace("SHA256=", "sha256=").as_bytes()
        ));
        assert!(!verify("Jefe", b"what do ya want for nothing!", signature.as_bytes()));
        assert!(!verify("jefe", body, signature.as_bytes()));
        assert!(!verify("Jefe", body, &signature.as_bytes()[..70]));
        assert!(!verify("Jefe", body, signature.replace("sha256=", "sha1=").as_bytes()));
        assert!(!verify("Jefe", body, b""));
    }

    #[test]
    fn a_cloud_api_delivery_gives_its_flow_replies_and_statuses() {
        let body = json!({"object": "whatsapp_business_account", "entry": [{"id": "WABA1", "changes": [
            {"field": "messages", "value": {"messaging_product": "whatsapp",
                "contacts": [{"wa_id": "447700900123"}],
                "messages": [
                    {"from": "447700900123", "id": "wamid.IN1", "timestamp": "1765000000", "type": "interactive",
                     "context": {"from": "15550001111", "id": "wamid.OUT1"},
                     "interactive": {"type": "nfm_reply", "nfm_reply": {"name": "flow", "body": "Sent",
                        "response_json": "{\"flow_token\":\"T1\",\"rating\":\"5\"}"}}},
                    {"from": "447700900123", "id": "wamid.TEXT", "type": "text", "text": {"body": "hi"}}
                ],
                "statuses": [{"id": "wamid.OUT1", "status": "failed", "timestamp": "1765000001",
                    "errors": [{"code": 131047, "title": "Re-engagement message"}]}]}},
            {"field": "message_template_status_update", "value": {"event": "APPROVED"}}
        ]}]});
        let delivery = Delivery::parse(body.to_string().as_bytes()).unwrap();
        assert_eq!(
            delivery.replies,
            vec![Reply {
                message_id: "wamid.IN1".to_owned(),
                from: "447700900123".to_owned(),
                context_id: Some("wamid.OUT1".to_owned()),
                flow_token: Some("T1".to_owned()),
                response_json: "{\"flow_token\":\"T1\",\"rating\":\"5\"}".to_owned(),
                timestamp: Some(1_765_000_000_000),
                waba_id: Some("WABA1".to_owned()),
            }]
        );
        assert_eq!(delivery.statuses.len(), 1);
        assert_eq!(delivery.statuses[0].status, "failed");
        assert_eq!(delivery.statuses[0].detail.as_deref(), Some("Re-engagement message (131047)"));
    }

    #[test]
    fn three_sixty_dialog_s_top_level_value_reads_the_same() {
        let body = json!({"messages": [{"from": "491701234567", "id": "wamid.X", "type": "interactive",
            "interactive": {"type": "nfm_reply", "nfm_reply": {"response_json": "{\"a\": 1}"}}}]});
        let delivery = Delivery::parse(body.to_string().as_bytes()).unwrap();
        assert_eq!(delivery.replies.len(), 1);
        assert_eq!(
            (delivery.replies[0].flow_token.as_deref(), delivery.replies[0].waba_id.as_deref()),
            (None, None)
        );
    }

    #[test]
    fn malformed_deliveries_say_where() {
        for (body, expected) in [
            ("{\"entry\": ", "not JSON"),
            ("[1]", "the body must be an object"),
            ("{\"entry\": {}}", ".entry must be an array"),
            (
                "{\"entry\": [{\"changes\": [{\"value\": []}]}]}",
                "entry[0].changes[0].value must be an object",
            ),
            (
                "{\"messages\": [{\"id\": \"m\", \"from\": \"1\", \"interactive\": {\"type\": \"nfm_reply\", \"nfm_reply\": {\"response_json\": \"[1]\"}}}]}",
                "response_json must hold a JSON object",
            ),
            ("{\"statuses\": [{\"id\": \"m\"}]}", "needs id and status"),
        ] {
            let Malformed(message) = Delivery::parse(body.as_bytes()).unwrap_err();
            assert!(message.contains(expected), "{body}: {message}");
        }
        assert_eq!(Delivery::parse(b"{\"object\": \"page\"}").unwrap(), Delivery::default());
    }
}
