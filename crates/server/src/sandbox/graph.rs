//! The sandbox's Graph API: Meta's flows routes at `/sandbox/graph/{version}/…` (any
//! `v<major>.<minor>`), with `Authorization: Bearer <sandbox key>`, over the same store as
//! the Partner-shaped routes, so the same WABAs and flows are seen through both APIs. A WABA
//! goes by Meta's id (`102290129340398`) or the sandbox's (`sandbox1WA`); flows by their id.
//!
//! Answers are Graph's: lists paged by 25 (`limit` up to 100) with `paging.cursors` and
//! `next`, `{"success": true}` for changes, and errors as Graph's error object (`message`,
//! `type`, `code`, `error_subcode`, `error_user_title`, `error_user_msg`, `fbtrace_id`): 190 for
//! a wrong token, 100 with subcode 33 for an unknown id, 200 for permissions, Meta's 1390xx
//! lifecycle refusals as the Partner-shaped routes give them.
//!
//! `POST /sandbox/control/graph/rate_limit` `{"calls": 2, "retry_after": 1}` (with `X-API-Key`)
//! makes the next `calls` Graph calls answer HTTP 429, code 80007, with `Retry-After` and
//! `X-Business-Use-Case-Usage`: Meta's rate limit, for tests of the backend's waits.
use axum::Router;
use axum::extract::{Path, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use base64::Engine as _;
use serde_json::{Value, json};

use super::flows::{self, CreateRequest, UpdateRequest};
use super::{Sandbox, fields, now, request};
use crate::error::{ApiError, json_response};

/// Flows a list page holds unless `limit` says otherwise (Meta's default).
pub const PAGE_SIZE: usize = 25;
/// The largest `limit`.
const MAX_PAGE_SIZE: usize = 100;

/// The simulated rate limit: how many calls still answer 429, and the wait they announce.
#[derive(Debug, Default)]
pub struct RateLimit {
    calls: u32,
    retry_after: u64,
}

/// The Graph routes, under `/graph`.
pub fn router(sandbox: Sandbox) -> Router<Sandbox> {
    let base = "/graph/{version}";
    Router::new()
        .route(&format!("{base}/{{id}}"), get(get_node).post(update).delete(delete))
        .route(&format!("{base}/{{id}}/flows"), get(list).post(create))
        .route(&format!("{base}/{{id}}/migrate_flows"), post(migrate))
        .route(&format!("{base}/{{id}}/assets"), get(assets).post(upload))
        .route(&format!("{base}/{{id}}/publish"), post(publish))
        .route(&format!("{base}/{{id}}/deprecate"), post(deprecate))
        .route(&format!("{base}/{{id}}/phone_numbers"), get(phone_numbers))
        .route(&format!("{base}/{{id}}/messages"), post(send_message))
        .route(
            &format!("{base}/{{id}}/whatsapp_business_encryption"),
            get(super::encryption::graph_key).post(super::encryption::graph_upload),
        )
        .route_layer(middleware::from_fn_with_state(sandbox, guard))
}

/// A failure answered as Graph's error object.
pub struct GraphFailure(ApiError);

impl From<ApiError> for GraphFailure {
    fn from(error: ApiError) -> Self {
        GraphFailure(error)
    }
}

type GraphResult = Result<Response, GraphFailure>;

impl IntoResponse for GraphFailure {
    fn into_response(self) -> Response {
        let trace_id = crate::error::request_id();
        let error = &self.0;
        let (status, code, subcode, message, title) = match error {
            ApiError::Graph(graph) => {
                (StatusCode::BAD_REQUEST, graph.code, None, format!("(#{}) {}", graph.code, graph.title), Some(graph.title))
            }
            ApiError::WrongPayload { .. } | ApiError::UnsupportedMediaType(_) | ApiError::MethodNotAllowed => {
                (StatusCode::BAD_REQUEST, 100, None, "(#100) Invalid parameter".to_owned(), None)
            }
            ApiError::PayloadTooLarge { .. } => {
                (StatusCode::PAYLOAD_TOO_LARGE, 100, None, "(#100) The file is too large".to_owned(), None)
            }
            ApiError::Unauthorized(_) => (
                StatusCode::UNAUTHORIZED,
                190,
                None,
                "Invalid OAuth access token - Cannot parse access token".to_owned(),
                None,
            ),
            ApiError::Forbidden(_) => (StatusCode::FORBIDDEN, 200, None, "(#200) Permissions error".to_owned(), None),
            ApiError::NotFound(_) => (
                StatusCode::BAD_REQUEST,
                100,
                Some(33),
                "Unsupported request. The object does not exist, cannot be loaded due to missing permissions, \
                 or does not support this operation"
                    .to_owned(),
                None,
            ),
            _ => (
                error.status(),
                2,
                None,
                "An unexpected error has occurred. Please retry your request later.".to_owned(),
                None,
            ),
        };
        if status.is_server_error() {
            tracing::warn!(
                trace_id,
                status = status.as_u16(),
                message = error.message(),
                "graph sandbox failed"
            );
        }
        let mut object = json!({
            "message": message,
            "type": "OAuthException",
            "code": code,
            "error_user_msg": error.message(),
            "fbtrace_id": trace_id,
        });
        if let Some(subcode) = subcode {
            object["error_subcode"] = json!(subcode);
        }
        if let Some(title) = title {
            object["error_user_title"] = json!(title);
            if let ApiError::Graph(graph) = error {
                object["error_user_msg"] = json!(graph.detail);
            }
        }
        json_response(status, &json!({ "error": object }))
    }
}

/// The token, the version, then the simulated rate limit.
async fn guard(State(sandbox): State<Sandbox>, request: Request, next: Next) -> Response {
    let token = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|value| value.as_bytes().strip_prefix(b"Bearer "))
        .map(<[u8]>::to_vec);
    match token {
        Some(token) if sandbox.key.matches(&token) => {}
        Some(_) => return GraphFailure(ApiError::Unauthorized("Invalid OAuth access token")).into_response(),
        None => {
            return GraphFailure(ApiError::Unauthorized(
                "An access token is required (Authorization: Bearer …)",
            ))
            .into_response();
        }
    }
    let version = request.uri().path().split('/').nth(2).unwrap_or_default().to_owned();
    if !crate::config::is_graph_version(&version) {
        return GraphFailure(ApiError::field(
            "path",
            "version",
            format!("Unknown API version '{}'", shorten(&version)),
        ))
        .into_response();
    }
    let limited = {
        let mut limit = sandbox.graph_limit.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        (limit.calls > 0).then(|| {
            limit.calls -= 1;
            limit.retry_after
        })
    };
    match limited {
        Some(retry_after) => rate_limited(retry_after),
        None => next.run(request).await,
    }
}

fn shorten(text: &str) -> String {
    text.chars().take(20).collect()
}

fn rate_limited(retry_after: u64) -> Response {
    let trace_id = crate::error::request_id();
    let body = json!({ "error": {
        "message": "(#80007) Rate limit hit for WhatsApp Business Account",
        "type": "OAuthException",
        "code": 80007,
        "error_user_msg": format!("Too many calls; try again in {retry_after} s"),
        "fbtrace_id": trace_id,
    }});
    let mut response = json_response(StatusCode::TOO_MANY_REQUESTS, &body);
    let minutes = retry_after.div_ceil(60);
    let usage = json!({ "sandbox": [{
        "type": "whatsapp_business_management", "call_count": 100, "total_cputime": 1, "total_time": 1,
        "estimated_time_to_regain_access": minutes,
    }]});
    response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(retry_after));
    if let Ok(value) = HeaderValue::from_str(&usage.to_string()) {
        response.headers_mut().insert("x-business-use-case-usage", value);
    }
    response
}

/// `POST /control/graph/rate_limit` `{"calls": n, "retry_after": s}`.
pub async fn control_rate_limit(
    State(sandbox): State<Sandbox>,
    request: Request,
) -> Result<Response, ApiError> {
    let bytes = axum::body::to_bytes(request.into_body(), 4096).await.map_err(|_| {
        ApiError::wrong_payload("Wrong payload: send {\"calls\": n, \"retry_after\": seconds}")
    })?;
    let body: Value = serde_json::from_slice(&bytes)
        .map_err(|_| ApiError::wrong_payload("Wrong payload: the body must be a JSON object"))?;
    let number = |key: &str, max: u64| -> Result<u64, ApiError> {
        match body.get(key) {
            None => Ok(1),
            Some(value) => value
                .as_u64()
                .filter(|n| *n <= max)
                .ok_or_else(|| ApiError::field("json", key, format!("A whole number from 0 to {max}."))),
        }
    };
    let calls = u32::try_from(number("calls", 1000)?).unwrap_or(1000);
    let retry_after = number("retry_after", 3600)?;
    *sandbox.graph_limit.lock().unwrap_or_else(std::sync::PoisonError::into_inner) =
        RateLimit { calls, retry_after };
    Ok(json_response(StatusCode::OK, &json!({ "calls": calls, "retry_after": retry_after })))
}

fn ok(body: &Value) -> Response {
    json_response(StatusCode::OK, body)
}

fn checked_id(id: &str) -> Result<(), ApiError> {
    if crate::ids::is_valid(id) { Ok(()) } else { Err(ApiError::NotFound(String::new())) }
}

/// Runs `work` on the WABA `id` names, in one transaction.
async fn on_waba<F>(sandbox: &Sandbox, id: String, work: F) -> Result<Value, ApiError>
where
    F: FnOnce(&rusqlite::Transaction<'_>, &str, &flows::Waba) -> Result<Value, ApiError> + Send + 'static,
{
    checked_id(&id)?;
    sandbox
        .store
        .run(move |tx| {
            let (partner, waba) = flows::graph_waba(tx, &id)?
                .ok_or_else(|| ApiError::NotFound(format!("No WhatsApp Business Account {id}")))?;
            work(tx, &partner, &waba)
        })
        .await
}

/// Runs `work` on the flow `id` (with its WABA), in one transaction.
async fn on_flow<F>(sandbox: &Sandbox, id: String, work: F) -> Result<Value, ApiError>
where
    F: FnOnce(&rusqlite::Transaction<'_>, &flows::Waba, &str) -> Result<Value, ApiError> + Send + 'static,
{
    checked_id(&id)?;
    sandbox
        .store
        .run(move |tx| {
            let (_, waba) = flows::graph_flow_waba(tx, &id)?.ok_or_else(ApiError::flow_not_found)?;
            work(tx, &waba, &id)
        })
        .await
}

/// `GET /{id}`: a WABA (`id`, `name`, …) or a flow with the asked fields.
async fn get_node(
    State(sandbox): State<Sandbox>,
    Path((_, id)): Path<(String, String)>,
    request: Request,
) -> GraphResult {
    let asked = fields::parse(&request::query_values(request.uri().query(), "fields"))?;
    let links = sandbox.links.clone();
    checked_id(&id)?;
    let body = sandbox
        .store
        .run(move |tx| {
            if let Some((_, waba)) = flows::graph_flow_waba(tx, &id)? {
                return flows::get(tx, &waba, &id, &asked, &links, now());
            }
            match flows::graph_waba(tx, &id)? {
                Some((_, waba)) => Ok(waba.graph_json()),
                None => Err(ApiError::NotFound(format!("No object {id}"))),
            }
        })
        .await?;
    Ok(ok(&body))
}

/// `POST /{flow-id}`: name, categories, endpoint_uri (each optional).
async fn update(
    State(sandbox): State<Sandbox>,
    Path((_, id)): Path<(String, String)>,
    request: Request,
) -> GraphResult {
    let body = request::read_object(request, sandbox.body_limit).await?;
    let (name, update) = request::graph_update_request(&body)?;
    let answer = on_flow(&sandbox, id, move |tx, waba, id| {
        let name = match name {
            Some(name) => name,
            None => flows::flow(tx, waba, id)?.name,
        };
        flows::update(tx, waba, id, UpdateRequest { name, ..update }, now())
    })
    .await?;
    Ok(ok(&answer))
}

async fn delete(State(sandbox): State<Sandbox>, Path((_, id)): Path<(String, String)>) -> GraphResult {
    let answer = on_flow(&sandbox, id, flows::delete).await?;
    Ok(ok(&answer))
}

/// The cursor of a list position: opaque to clients, like Meta's.
fn cursor(offset: usize) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("offset:{offset}"))
}

fn offset_of(cursor: &str) -> Result<usize, ApiError> {
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(cursor.trim())
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .and_then(|text| text.strip_prefix("offset:").and_then(|n| n.parse().ok()))
        .ok_or_else(|| ApiError::field("query", "after", "Not a cursor this API gave"))
}

/// `GET /{waba-id}/flows?fields=…&limit=…&after=…`.
async fn list(
    State(sandbox): State<Sandbox>,
    Path((version, id)): Path<(String, String)>,
    request: Request,
) -> GraphResult {
    let query = request.uri().query().map(str::to_owned);
    let asked = fields::parse(&request::query_values(query.as_deref(), "fields"))?;
    let start = match request::query_value(query.as_deref(), "after") {
        Some(after) => offset_of(&after)?,
        None => 0,
    };
    let size = match request::query_value(query.as_deref(), "limit") {
        None => PAGE_SIZE,
        Some(text) => {
            text.parse::<usize>().ok().filter(|n| (1..=MAX_PAGE_SIZE).contains(n)).ok_or_else(|| {
                ApiError::field("query", "limit", format!("A number from 1 to {MAX_PAGE_SIZE}"))
            })?
        }
    };
    let links = sandbox.links.clone();
    let all = on_waba(&sandbox, id.clone(), move |tx, _, waba| flows::list(tx, waba, &asked, &links, now()))
        .await?;
    let items = all.get("flows").and_then(Value::as_array).cloned().unwrap_or_default();
    let page: Vec<Value> = items.iter().skip(start).take(size).cloned().collect();
    let mut body = json!({ "data": page });
    if !page.is_empty() {
        let end = start + page.len();
        body["paging"] = json!({ "cursors": { "before": cursor(start), "after": cursor(end) } });
        if end < items.len() {
            let mut next = url::form_urlencoded::Serializer::new(String::new());
            for (key, value) in url::form_urlencoded::parse(query.as_deref().unwrap_or_default().as_bytes()) {
                if key != "after" {
                    next.append_pair(&key, &value);
                }
            }
            next.append_pair("after", &cursor(end));
            body["paging"]["next"] =
                json!(sandbox.links.graph(&format!("{version}/{id}/flows?{}", next.finish())));
        }
    }
    Ok(ok(&body))
}

/// `POST /{waba-id}/flows` JSON `{name, categories, clone_flow_id?, endpoint_uri?, flow_json?,
/// publish?}`: created, its flow.json uploaded and published when sent, all or nothing.
async fn create(
    State(sandbox): State<Sandbox>,
    Path((_, id)): Path<(String, String)>,
    request: Request,
) -> GraphResult {
    let body = request::read_object(request, sandbox.body_limit).await?;
    let (create, flow_json, publish): (CreateRequest, _, _) = request::graph_create_request(&body)?;
    let checked = match flow_json {
        Some(text) => Some(super::checked(text.into_bytes()).await?),
        None => None,
    };
    let answer = on_waba(&sandbox, id, move |tx, partner, waba| {
        let created = flows::create(tx, partner, waba, create, now())?;
        let flow_id = created.get("id").and_then(Value::as_str).unwrap_or_default().to_owned();
        let mut answer = json!({ "id": flow_id, "success": true });
        if let Some((text, checked)) = &checked {
            let uploaded = flows::upload(tx, waba, &flow_id, text, checked, now())?;
            answer["validation_errors"] =
                uploaded.get("validation_errors").cloned().unwrap_or_else(|| json!([]));
        }
        if publish {
            flows::publish(tx, waba, &flow_id, now())?;
        }
        Ok(answer)
    })
    .await?;
    Ok(ok(&answer))
}

/// `POST /{destination-waba-id}/migrate_flows` `{source_waba_id, source_flow_names?}`.
async fn migrate(
    State(sandbox): State<Sandbox>,
    Path((_, id)): Path<(String, String)>,
    request: Request,
) -> GraphResult {
    let body = request::read_object(request, sandbox.body_limit).await?;
    let mut asked = request::graph_migrate_request(&body)?;
    let answer = on_waba(&sandbox, id, move |tx, partner, destination| {
        let (source_partner, source) =
            flows::graph_waba(tx, &asked.source_waba_account_id)?.ok_or_else(|| {
                ApiError::Forbidden(format!(
                    "No WhatsApp Business Account {} reached",
                    asked.source_waba_account_id
                ))
            })?;
        if source_partner != partner {
            return Err(ApiError::Forbidden("The source account is not reached with this token".to_owned()));
        }
        asked.source_waba_account_id = source.id.clone();
        flows::migrate(tx, partner, destination, asked, now())
    })
    .await?;
    Ok(ok(&answer))
}

/// `GET /{flow-id}/assets`: `{data: [{name, asset_type, download_url}], paging}`.
async fn assets(State(sandbox): State<Sandbox>, Path((_, id)): Path<(String, String)>) -> GraphResult {
    let links = sandbox.links.clone();
    let answer = on_flow(&sandbox, id, move |tx, waba, id| flows::assets(tx, waba, id, &links)).await?;
    let data = answer.get("assets").cloned().unwrap_or_else(|| json!([]));
    let count = data.as_array().map_or(0, Vec::len);
    Ok(ok(&json!({ "data": data, "paging": { "cursors": { "before": cursor(0), "after": cursor(count) } } })))
}

/// `POST /{flow-id}/assets`, multipart `file`, `name=flow.json`, `asset_type=FLOW_JSON`.
async fn upload(
    State(sandbox): State<Sandbox>,
    Path((_, id)): Path<(String, String)>,
    request: Request,
) -> GraphResult {
    // Refuse unknown flows before reading (and validating) up to 10 MB.
    on_flow(&sandbox, id.clone(), |_, _, _| Ok(Value::Null)).await?;
    let text = request::read_flow_json(request, sandbox.body_limit).await?;
    let (text, checked) = super::checked(text).await?;
    let answer =
        on_flow(&sandbox, id, move |tx, waba, id| flows::upload(tx, waba, id, &text, &checked, now()))
            .await?;
    Ok(ok(&answer))
}

async fn publish(State(sandbox): State<Sandbox>, Path((_, id)): Path<(String, String)>) -> GraphResult {
    let answer = on_flow(&sandbox, id, |tx, waba, id| flows::publish(tx, waba, id, now())).await?;
    Ok(ok(&answer))
}

async fn deprecate(State(sandbox): State<Sandbox>, Path((_, id)): Path<(String, String)>) -> GraphResult {
    let answer = on_flow(&sandbox, id, |tx, waba, id| flows::deprecate(tx, waba, id, now())).await?;
    Ok(ok(&answer))
}

/// `GET /{waba}/phone_numbers`: the WABA's one phone number (its id leads back to the WABA).
async fn phone_numbers(State(sandbox): State<Sandbox>, Path((_, id)): Path<(String, String)>) -> GraphResult {
    let body = on_waba(&sandbox, id, |_, _, waba| {
        Ok(json!({"data": [{"id": waba.phone_number_id(), "verified_name": waba.name()}]}))
    })
    .await?;
    Ok(json_response(StatusCode::OK, &body))
}

/// `POST /{phone-number-id}/messages`: a flow message to a test phone (`phones.rs`).
async fn send_message(
    State(sandbox): State<Sandbox>,
    Path((_, id)): Path<(String, String)>,
    request: Request,
) -> GraphResult {
    let message = super::phones::read_message(&sandbox, request).await?;
    let waba = sandbox.store.run(move |tx| super::encryption::waba_of_phone_number(tx, &id)).await?;
    Ok(json_response(StatusCode::OK, &super::phones::receive(&sandbox, waba.id, message)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_foreign_ones_are_refused() {
        assert_eq!(offset_of(&cursor(50)).unwrap(), 50);
        assert!(offset_of("bm9wZQ").is_err());
        assert!(offset_of("%%%").is_err());
    }
}
