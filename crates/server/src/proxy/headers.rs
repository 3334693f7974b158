//! Which headers cross the proxy. Hop-by-hop headers (RFC 9110 §7.6.1, and any named in
//! `Connection`) belong to one connection and never cross; neither do the browser's
//! credentials and identity (cookies, `Authorization`, `X-API-Key`, `Origin`, `Referer`)
//! going up, nor the upstream's cookies and CORS decisions coming down.
use axum::http::{HeaderMap, HeaderName, header};

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

fn filtered(headers: &HeaderMap, keep: impl Fn(&HeaderName) -> bool) -> HeaderMap {
    let connection = named_by_connection(headers);
    let mut out = HeaderMap::with_capacity(headers.len());
    for (name, value) in headers {
        let lower = name.as_str();
        if HOP_BY_HOP.contains(&lower) || connection.iter().any(|named| named == lower) || !keep(name) {
            continue;
        }
        out.append(name.clone(), value.clone());
    }
    out
}

/// The browser's headers as sent upstream (before the key is added).
pub fn request_headers(headers: &HeaderMap) -> HeaderMap {
    filtered(headers, |name| !NOT_FORWARDED.contains(&name.as_str()))
}

/// The upstream's headers as returned to the browser. Any value holding `secret` is dropped.
pub fn response_headers(headers: &HeaderMap, secret: &str) -> HeaderMap {
    filtered(headers, |name| {
        let name = name.as_str();
        !NOT_RETURNED.contains(&name) && !name.starts_with("access-control-")
    })
    .into_iter()
    .fold((HeaderMap::new(), None), |(mut out, mut last), (name, value)| {
        if name.is_some() {
            last = name;
        }
        let leaks = !secret.is_empty()
            && value.as_bytes().windows(secret.len()).any(|part| part == secret.as_bytes());
        if let (Some(name), false) = (&last, leaks) {
            out.append(name.clone(), value);
        }
        (out, last)
    })
    .0
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

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
        let returned = response_headers(&headers, "s3cret!");
        let names: Vec<&str> = returned.keys().map(HeaderName::as_str).collect();
        assert_eq!(names, ["content-type", "vary"]);
        assert_eq!(returned.get_all("vary").iter().count(), 2);
    }
}
