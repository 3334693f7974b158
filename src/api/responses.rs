//! The typed client of a flow's responses (`GET /api/flows/{id}/responses`, and the CSV link
//! of `/api/flows/{id}/responses.csv`): what people answered, as the server shows them to the
//! signed-in user (phones masked below publisher, `sensitive` fields masked for everyone).
use serde_json::Value;

use super::Client;
use super::transport::{Method, Transport, encode_query};
use super::workspace::WsError;

/// Which responses: a page of them, received from the start of `from` to the end of `to`
/// (days as `YYYY-MM-DD`, UTC; empty: open).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResponsesQuery {
    /// 1-based page.
    pub page: i64,
    /// Responses per page (at most 100).
    pub limit: i64,
    /// The first day, `YYYY-MM-DD` (empty: from the first response).
    pub from: String,
    /// The last day, `YYYY-MM-DD` (empty: up to now).
    pub to: String,
}

impl Default for ResponsesQuery {
    fn default() -> Self {
        ResponsesQuery { page: 1, limit: 50, from: String::new(), to: String::new() }
    }
}

/// The day after `day` (`YYYY-MM-DD`), `None` when it is not such a day.
pub fn day_after(day: &str) -> Option<String> {
    let mut parts = day.trim().splitn(3, '-').map(|part| part.parse::<u32>().ok());
    let (year, month, date) = (parts.next()??, parts.next()??, parts.next()??);
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let length = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    if date == 0 || date > length {
        return None;
    }
    let (year, month, date) = match (month, date == length) {
        (12, true) => (year + 1, 1, 1),
        (_, true) => (year, month + 1, 1),
        (_, false) => (year, month, date + 1),
    };
    Some(format!("{year:04}-{month:02}-{date:02}"))
}

impl ResponsesQuery {
    /// The time filter as the server takes it: `from` the first day's start, `to` the day
    /// after the last (the server's `to` is excluded). Days that are not dates are left out.
    fn time_filter(&self) -> Vec<String> {
        let mut parts = Vec::new();
        if day_after(&self.from).is_some() {
            parts.push(format!("from={}T00:00:00Z", self.from.trim()));
        }
        if let Some(next) = day_after(&self.to) {
            parts.push(format!("to={next}T00:00:00Z"));
        }
        parts
    }

    /// The query string of a page.
    pub fn to_query(&self) -> String {
        let mut parts = vec![format!("page={}", self.page), format!("limit={}", self.limit)];
        parts.extend(self.time_filter());
        parts.join("&")
    }

    /// The link of the CSV export of the flow `flow_id`'s responses in this time range (every
    /// page).
    pub fn csv_link(&self, flow_id: &str) -> String {
        let filter = self.time_filter();
        let query = if filter.is_empty() { String::new() } else { format!("?{}", filter.join("&")) };
        format!("/api/flows/{}/responses.csv{query}", encode_query(flow_id))
    }
}

/// One response, as its row shows it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FlowResponse {
    /// The server's id.
    pub id: String,
    /// When the server received it (RFC 3339, UTC).
    pub received_at: String,
    /// Who answered, as the server shows it to this user (masked or whole).
    pub phone: String,
    /// Each field of `response_json` (masked ones as the server masked them), as text.
    pub fields: Vec<(String, String)>,
}

impl FlowResponse {
    fn read(value: &Value) -> Self {
        let fields = value
            .get("fields")
            .and_then(Value::as_object)
            .map(|fields| fields.iter().map(|(key, value)| (key.clone(), cell(value))).collect())
            .unwrap_or_default();
        FlowResponse {
            id: text(value, "id"),
            received_at: text(value, "received_at"),
            phone: text(value, "phone"),
            fields,
        }
    }

    /// The text of the field `column` (empty when the response has none).
    pub fn field(&self, column: &str) -> &str {
        self.fields.iter().find(|(key, _)| key == column).map_or("", |(_, value)| value.as_str())
    }
}

/// A field's value as a cell shows it: text as it is, other values as JSON.
fn cell(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(text) => text.clone(),
        other => flow_model::json::compact(other),
    }
}

fn text(value: &Value, key: &str) -> String {
    value.get(key).and_then(Value::as_str).unwrap_or_default().to_owned()
}

/// A page of a flow's responses with the counts per day of the whole time range.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ResponsesPage {
    /// The responses of the page, newest first.
    pub items: Vec<FlowResponse>,
    /// The fields, in the order they first appear: one column each.
    pub columns: Vec<String>,
    /// How many match in all.
    pub total: i64,
    /// The page (1-based).
    pub page: i64,
    /// Responses per page.
    pub limit: i64,
    /// (day `YYYY-MM-DD`, responses that day), oldest first.
    pub per_day: Vec<(String, i64)>,
    /// Whether phones are masked for this user.
    pub phone_masked: bool,
    /// The fields masked for everyone (the flow's `sensitive` ones).
    pub sensitive_fields: Vec<String>,
}

impl ResponsesPage {
    /// Reads the `data` of the server's answer.
    pub fn read(value: &Value) -> Self {
        let strings = |key: &str| -> Vec<String> {
            value
                .get(key)
                .and_then(Value::as_array)
                .map(|list| list.iter().filter_map(Value::as_str).map(str::to_owned).collect())
                .unwrap_or_default()
        };
        let number = |key: &str| value.get(key).and_then(Value::as_i64).unwrap_or_default();
        ResponsesPage {
            items: value
                .get("items")
                .and_then(Value::as_array)
                .map(|list| list.iter().map(FlowResponse::read).collect())
                .unwrap_or_default(),
            columns: strings("columns"),
            total: number("total"),
            page: number("page").max(1),
            limit: number("limit").max(1),
            per_day: value
                .get("per_day")
                .and_then(Value::as_array)
                .map(|list| {
                    list.iter()
                        .map(|day| {
                            (text(day, "day"), day.get("count").and_then(Value::as_i64).unwrap_or_default())
                        })
                        .collect()
                })
                .unwrap_or_default(),
            phone_masked: value.get("phone_masked").and_then(Value::as_bool).unwrap_or(true),
            sensitive_fields: strings("sensitive_fields"),
        }
    }

    /// The position of the page's last response (1-based), for "1–50 of 120".
    pub fn last_shown(&self) -> i64 {
        (self.page - 1) * self.limit + self.items.len() as i64
    }
}

impl<T: Transport> Client<T> {
    /// A page of the flow `flow_id`'s responses.
    pub async fn ws_responses(
        &self,
        flow_id: &str,
        query: &ResponsesQuery,
    ) -> Result<ResponsesPage, WsError> {
        let path = format!("flows/{}/responses?{}", encode_query(flow_id), query.to_query());
        self.workspace(Method::Get, path, None, "").await.map(|value| ResponsesPage::read(&value))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn days_are_whole_utc_days_with_to_included() {
        let query = ResponsesQuery {
            from: "2026-12-01".into(),
            to: "2026-12-31".into(),
            ..ResponsesQuery::default()
        };
        assert_eq!(query.to_query(), "page=1&limit=50&from=2026-12-01T00:00:00Z&to=2027-01-01T00:00:00Z");
        assert_eq!(
            query.csv_link("f1"),
            "/api/flows/f1/responses.csv?from=2026-12-01T00:00:00Z&to=2027-01-01T00:00:00Z"
        );
        assert_eq!(ResponsesQuery::default().csv_link("f1"), "/api/flows/f1/responses.csv");
        let bad = ResponsesQuery { from: "yesterday".into(), ..ResponsesQuery::default() };
        assert_eq!(bad.to_query(), "page=1&limit=50");
        assert_eq!(day_after("2028-02-28").as_deref(), Some("2028-02-29"));
        assert_eq!(day_after("2026-02-28").as_deref(), Some("2026-03-01"));
        assert_eq!(day_after("2026-04-31"), None);
    }

    #[test]
    fn a_page_is_read_with_its_columns_and_counts() {
        let page = ResponsesPage::read(
            &json!({"items": [{"id": "r1", "received_at": "2026-12-06T10:00:00.000Z",
            "phone": "+44 ••••••01 23", "fields": {"city": "Lyon", "pin": "••••", "rating": 5}}],
            "columns": ["city", "pin", "rating"], "total": 51, "page": 2, "limit": 50,
            "per_day": [{"day": "2026-12-06", "count": 51}], "phone_masked": true, "sensitive_fields": ["pin"]}),
        );
        assert_eq!(page.items[0].field("rating"), "5");
        assert_eq!(page.items[0].field("pin"), "••••");
        assert_eq!(page.items[0].field("none"), "");
        assert_eq!(page.per_day, [("2026-12-06".to_owned(), 51)]);
        assert_eq!(page.last_shown(), 51);
        assert_eq!(page.sensitive_fields, ["pin"]);
    }
}
