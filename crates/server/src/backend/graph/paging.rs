//! Graph's cursor paging: a list answers `{"data": […], "paging": {"cursors": {"before",
//! "after"}, "next": "<url>"}}`; the next page is the same request with `after=<cursor>`, and
//! the last page has no `next`.
use serde_json::Value;

/// Pages read at most for one list (25 a page: 25,000 flows), against a server that would
/// answer `next` forever.
pub const MAX_PAGES: usize = 1000;

/// The items of one page.
pub fn items(page: &Value) -> Vec<Value> {
    page.get("data").and_then(Value::as_array).cloned().unwrap_or_default()
}

/// The cursor of the page after `page`, `None` on the last one.
pub fn after(page: &Value) -> Option<String> {
    let paging = page.get("paging")?;
    paging.get("next")?;
    paging
        .pointer("/cursors/after")
        .and_then(Value::as_str)
        .filter(|cursor| !cursor.is_empty())
        .map(str::to_owned)
}

/// `path` (with or without a query) with `after=<cursor>` added.
pub fn with_after(path: &str, cursor: &str) -> String {
    let encoded: String = url::form_urlencoded::byte_serialize(cursor.as_bytes()).collect();
    let joiner = if path.contains('?') { '&' } else { '?' };
    format!("{path}{joiner}after={encoded}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_next_cursor_only_while_there_is_a_next_page() {
        let middle = json!({"data": [{"id": "1"}], "paging": {"cursors": {"before": "a", "after": "b"},
            "next": "https://graph.facebook.com/v21.0/1/flows?after=b"}});
        assert_eq!(after(&middle).as_deref(), Some("b"));
        assert_eq!(items(&middle).len(), 1);
        let last = json!({"data": [], "paging": {"cursors": {"before": "a", "after": "b"}}});
        assert_eq!(after(&last), None);
        assert_eq!(after(&json!({"data": []})), None);
        assert_eq!(with_after("/1/flows?fields=id", "b+/="), "/1/flows?fields=id&after=b%2B%2F%3D");
        assert_eq!(with_after("/1/flows", "b"), "/1/flows?after=b");
    }
}
