//! Which headers cross the proxy. Hop-by-hop headers (RFC 9110 §7.6.1, and any named in
//! `Connection`) belong to one connection and never cross; neither do the browser's
//! credentials and identity (cookies, `Authorization`, `X-API-Key`, `Origin`, `Referer`)
//! going up, nor the upstream's cookies and CORS decisions coming down.
use axum::http::{HeaderMap, HeaderName, HeaderValue, header};
use bytes::Bytes;

/// Hop-by-hop headers.
const HOP_BY_HOP: &[&str] = &[
    "connection",
    "keep-alive",
    "proxy-authenticate",
    "proxy-authorization",
    "proxy-connection",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
];

/// Headers of the browser's request that stay here.
const NOT_FORWARDED: &[&str] = &[
    "host",
    "cookie",
    "authorization",
    "x-api-key",
    "origin",
    "referer",
    // Plain bodies come back, so the key can be looked for in them.
    "accept-encoding",
    "forwarded",
    "x-forwarded-for",
    "x-forwarded-host",
    "x-forwarded-proto",
];

/// Headers of the upstream's response that stay there.
const NOT_RETURNED: &[&str] =
    &["set-cookie", "set-cookie2", "content-length", "alt-svc", "strict-transport-security"];

fn named_by_connection(headers: &HeaderMap) -> Vec<String> {
    headers
        .get_all(header::CONNECTION)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .map(|name| name.trim().to_ascii_lowercase())
        .filter(|name| !name.is_empty())
        .collect()
}

fn crosses(name: &HeaderName, connection: &[String]) -> bool {
    let name = name.as_str();
    !HOP_BY_HOP.contains(&name) && !connection.iter().any(|named| named == name)
}

/// The browser's headers as sent upstream (before the key is added). The values are copies:
/// hyper's values share the connection's read buffer, which they would keep alive.
pub fn request_headers(headers: &HeaderMap) -> HeaderMap {
    let connection = named_by_connection(headers);
    let mut out = HeaderMap::with_capacity(headers.len());
    for (name, value) in headers {
        if crosses(name, &connection) && !NOT_FORWARDED.contains(&name.as_str()) {
            let mut copy = HeaderValue::from_maybe_shared(Bytes::copy_from_slice(value.as_bytes()))
                .unwrap_or_else(|_| value.clone());
            copy.set_sensitive(value.is_sensitive());
            out.append(name.clone(), copy);
        }
    }
    out
}

/// Copies the upstream's headers that return to the browser into `out`, each replacing what
/// `out` had under that name. Any value holding `secret` is dropped.
pub fn return_headers(headers: &HeaderMap, secret: &str, out: &mut HeaderMap) {
    let connection = named_by_connection(headers);
    let leaks = |value: &HeaderValue| {
        !secret.is_empty() && memchr::memmem::find(value.as_bytes(), secret.as_bytes()).is_some()
    };
    for name in headers.keys() {
        let returned = crosses(name, &connection)
            && !NOT_RETURNED.contains(&name.as_str())
            && !name.as_str().starts_with("access-control-");
        if !returned {
            continue;
        }
        let mut first = true;
        for value in headers.get_all(name).iter().filter(|value| !leaks(value)) {
            if std::mem::take(&mut first) {
                out.insert(name.clone(), value.clone());
            } else {
                out.append(name.clone(), value.clone());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hop_by_hop_and_credentials_stay_behind() {
        let mut headers = HeaderMap::new();
        for (name, value) in [
            ("connection", "keep-alive, x-private"),
            ("x-private", "1"),
            ("keep-alive", "timeout=5"),
            ("transfer-encoding", "chunked"),
            ("te", "trailers"),
            ("upgrade", "h2c"),
            ("cookie", "session=1"),
            ("authorization", "Bearer browser"),
            ("x-api-key", "browser-key"),
            ("host", "127.0.0.1:8080"),
            ("origin", "http://127.0.0.1:8080"),
            ("content-type", "application/json"),
            ("accept", "application/json"),
        ] {
            headers.append(name, HeaderValue::from_static(value));
        }
        let forwarded = request_headers(&headers);
        let names: Vec<&str> = forwarded.keys().map(HeaderName::as_str).collect();
        assert_eq!(names, ["content-type", "accept"]);
    }

    #[test]
    fn upstream_cookies_cors_and_the_key_stay_upstream() {
        let mut headers = HeaderMap::new();
        for (name, value) in [
            ("set-cookie", "a=b"),
            ("access-control-allow-origin", "*"),
            ("connection", "close"),
            ("x-echo", "key=s3cret!"),
            ("content-type", "application/json"),
            ("vary", "accept"),
            ("vary", "origin"),
        ] {
            headers.append(name, HeaderValue::from_static(value));
        }
        let mut returned = HeaderMap::new();
        returned.insert("content-type", HeaderValue::from_static("application/octet-stream"));
        returned.insert("x-echo", HeaderValue::from_static("ours"));
        return_headers(&headers, "s3cret!", &mut returned);
        let names: Vec<&str> = returned.keys().map(HeaderName::as_str).collect();
        assert_eq!(names, ["content-type", "x-echo", "vary"]);
        assert_eq!(returned["content-type"], "application/json");
        assert_eq!(returned["x-echo"], "ours", "a value holding the key replaces nothing");
        assert_eq!(returned.get_all("vary").iter().count(), 2);
    }
}
