//! Graph's cursor paging: a list answers `{"data": […], "paging": {"cursors": {"before",
//! "after"}, "next": "<url>"}}`; the next page is the same request with `after=<cursor>`, and
//! the last page has no `next`.
use serde::Deserialize;
use serde_json::Value;

use crate::backend::RemoteFlow;

/// Pages read at most for one list (25 a page: 25,000 flows), against a server that would
/// answer `next` forever.
pub const MAX_PAGES: usize = 1000;

/// A page of a flow listing, read straight into its flows (no `Value` in between: the
/// listing is the Graph backend's most frequent call, see BENCHMARKS.md). `None` when the
/// answer is not of that shape; [`items`] and [`after`] read it then.
pub fn flows_page(body: &[u8]) -> Option<(Vec<RemoteFlow>, Option<String>)> {
    let page: Page = serde_json::from_slice(body).ok()?;
    let flows = page
        .data
        .into_iter()
        .filter_map(|flow| {
            Some(RemoteFlow {
                id: flow.id?,
                name: flow.name.unwrap_or_default(),
                categories: flow.categories.unwrap_or_default(),
                status: flow.status.unwrap_or_else(|| "DRAFT".to_owned()),
                validation_errors: flow.validation_errors.unwrap_or_default(),
            })
        })
        .collect();
    let after = page
        .paging
        .filter(|paging| paging.next.is_some())
        .and_then(|paging| paging.cursors?.after)
        .filter(|cursor| !cursor.is_empty());
    Some((flows, after))
}

#[derive(Deserialize)]
struct Page {
    data: Vec<ListedFlow>,
    #[serde(default)]
    paging: Option<Paging>,
}

#[derive(Deserialize)]
struct ListedFlow {
    id: Option<String>,
    name: Option<String>,
    categories: Option<Vec<String>>,
    status: Option<String>,
    validation_errors: Option<Vec<Value>>,
}

#[derive(Deserialize)]
struct Paging {
    cursors: Option<Cursors>,
    next: Option<serde::de::IgnoredAny>,
}

#[derive(Deserialize)]
struct Cursors {
    after: Option<String>,
}

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

    #[test]
    fn a_flow_page_reads_as_the_value_path_does() {
        let pages = [
            json!({"data": [{"id": "1", "name": "a", "categories": ["SURVEY"], "status": "PUBLISHED",
                "validation_errors": [{"error": "X"}]}, {"name": "no id"}, {"id": "2"}],
                "paging": {"cursors": {"before": "a", "after": "b"}, "next": "https://graph/next"}}),
            json!({"data": [], "paging": {"cursors": {"after": "b"}}}),
            json!({"data": [{"id": "3", "status": null}]}),
            json!({"data": [], "paging": {"cursors": {"after": ""}, "next": "x"}}),
        ];
        for page in pages {
            let (flows, cursor) = flows_page(page.to_string().as_bytes()).expect("a page");
            let by_value: Vec<RemoteFlow> =
                items(&page).iter().filter_map(crate::backend::partner::remote_flow).collect();
            assert_eq!(flows, by_value, "{page}");
            assert_eq!(cursor, after(&page), "{page}");
        }
        // Not a page of flows (the slow path reads what it can).
        assert!(flows_page(br#"{"data": [{"id": 1}]}"#).is_none());
        assert!(flows_page(b"[]").is_none());
    }
}
