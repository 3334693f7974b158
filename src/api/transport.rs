//! How a request leaves the app: a plain description of it ([`HttpRequest`]), and the
//! [`Transport`] that sends it. In the app that is the browser's fetch through gloo-net
//! ([`Browser`]); native tests send the same requests to a real `flowsmith serve` with an
//! HTTP client of their own, so every operation's request and reading of the answer is tested
//! against the sandbox.
use std::future::Future;

/// An HTTP method the Partner API uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// GET
    Get,
    /// POST
    Post,
    /// PATCH
    Patch,
    /// PUT
    Put,
    /// DELETE
    Delete,
}

impl Method {
    /// The method's name.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Patch => "PATCH",
            Method::Put => "PUT",
            Method::Delete => "DELETE",
        }
    }
}

/// A request to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpRequest {
    /// The method.
    pub method: Method,
    /// Absolute, or relative to the page (same origin).
    pub url: String,
    /// Extra headers (the API key in direct mode, the body's type).
    pub headers: Vec<(&'static str, String)>,
    /// The body, if any.
    pub body: Option<String>,
}

/// An answer, whatever its status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpResponse {
    /// The HTTP status.
    pub status: u16,
    /// The body as text.
    pub body: String,
}

/// Sends requests. `Err` means no answer came (the connection failed); its text is for the
/// log, the client says what happened in the user's terms.
pub trait Transport {
    /// Sends one request.
    fn send(&self, request: HttpRequest) -> impl Future<Output = Result<HttpResponse, String>>;
}

/// The browser's fetch, through gloo-net.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Browser;

impl Transport for Browser {
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, String> {
        use gloo_net::http::{Method as Verb, RequestBuilder};
        let verb = match request.method {
            Method::Get => Verb::GET,
            Method::Post => Verb::POST,
            Method::Patch => Verb::PATCH,
            Method::Put => Verb::PUT,
            Method::Delete => Verb::DELETE,
        };
        let mut builder = RequestBuilder::new(&request.url).method(verb);
        for (name, value) in &request.headers {
            builder = builder.header(name, value);
        }
        let built = match request.body {
            Some(body) => builder.body(body),
            None => builder.build(),
        };
        let response =
            built.map_err(|error| error.to_string())?.send().await.map_err(|error| error.to_string())?;
        let status = response.status();
        let body = response.text().await.map_err(|error| error.to_string())?;
        if status == 401 && body.contains("\"sign_in_required\"") {
            to_sign_in();
        }
        Ok(HttpResponse { status, body })
    }
}

/// Leaves for the server's sign-in page, which comes back here once signed in.
fn to_sign_in() {
    let Some(window) = web_sys::window() else { return };
    let location = window.location();
    let here = location.pathname().unwrap_or_default() + &location.search().unwrap_or_default();
    let _ = location.assign(&format!("/signin?next={}", encode_query(&here)));
}

/// The boundary of multipart bodies: it cannot occur in flow.json text, which is JSON (no raw
/// control characters, and this string holds a line break).
const BOUNDARY: &str = "flowsmith-7d1c0b9f2a4e4a8b";

/// A `multipart/form-data` body uploading `flow_json` as Meta's `FLOW_JSON` asset: its
/// content type and the body.
pub fn flow_json_multipart(flow_json: &str) -> (String, String) {
    let mut body = String::with_capacity(flow_json.len() + 400);
    body.push_str("--");
    body.push_str(BOUNDARY);
    body.push_str(
        "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"flow.json\"\r\nContent-Type: application/json\r\n\r\n",
    );
    body.push_str(flow_json);
    for (name, value) in [("name", "flow.json"), ("asset_type", "FLOW_JSON")] {
        body.push_str("\r\n--");
        body.push_str(BOUNDARY);
        body.push_str("\r\nContent-Disposition: form-data; name=\"");
        body.push_str(name);
        body.push_str("\"\r\n\r\n");
        body.push_str(value);
    }
    body.push_str("\r\n--");
    body.push_str(BOUNDARY);
    body.push_str("--\r\n");
    (format!("multipart/form-data; boundary={BOUNDARY}"), body)
}

/// Percent-encodes a query parameter's value (everything but RFC 3986's unreserved characters).
pub fn encode_query(value: &str) -> String {
    let mut encoded = String::with_capacity(value.len() * 3 / 2);
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            encoded.push(char::from(byte));
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    encoded
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multipart_has_the_three_parts() {
        let (content_type, body) = flow_json_multipart("{\"version\": \"7.3\"}");
        assert!(content_type.starts_with("multipart/form-data; boundary="));
        assert!(body.contains("name=\"file\"; filename=\"flow.json\""));
        assert!(body.contains("\r\n\r\n{\"version\": \"7.3\"}\r\n--"));
        assert!(body.contains("name=\"asset_type\"\r\n\r\nFLOW_JSON\r\n"));
        assert!(body.ends_with("--\r\n"));
    }

    #[test]
    fn queries_are_encoded() {
        assert_eq!(encode_query("http://a/b?c=d&e"), "http%3A%2F%2Fa%2Fb%3Fc%3Dd%26e");
        assert_eq!(encode_query("é"), "%C3%A9");
    }
}
