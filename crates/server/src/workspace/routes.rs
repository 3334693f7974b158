//! The workspace API under `/api/` (JSON, `{"status": "success", "data": …}` or the error
//! envelope of [`super::error`]). Each handler reads and checks the request, calls one
//! operation of the [`Workspace`], and writes its answer; nothing here touches the database or
//! a backend.
//!
//! | route | operation |
//! | --- | --- |
//! | `GET /api/accounts[?refresh=1]` | the accounts this server reaches |
//! | `GET /api/flows?page=&limit=&status=&account_id=&q=&sort=&trash=` | a page of flows: `{items, total, page, limit}` |
//! | `POST /api/flows` `{account_id, name, categories, json_definition}` | create (201) |
//! | `POST /api/flows/sync` `{account_id}` | import the account's flows: `{synced, new, updated, conflicts, missing}` |
//! | `GET /api/flows/{id}` | the flow with `json_definition` (exact text) and `revision` |
//! | `GET /api/flows/{id}/flow.json` | the exact stored text |
//! | `PUT /api/flows/{id}` `{revision, json_definition?, name?, categories?, reason?, label?}` | change (409 if stale) |
//! | `DELETE /api/flows/{id}` / `POST /api/flows/{id}/restore` | to the trash and back |
//! | `GET /api/flows/{id}/versions`, `GET …/versions/{n}` | history |
//! | `POST /api/flows/{id}/versions` `{label}` | name the current state |
//! | `POST /api/flows/{id}/versions/{n}/restore` `{revision?}` | restore a version as a new revision |
//! | `POST /api/flows/{id}/draft` | a new draft of a published flow |
//! | `GET /api/flows/{id}/conflict/flow.json`, `POST …/conflict` `{resolution, revision}` | a sync conflict |
//! | `POST /api/flows/{id}/save-to-meta`, `…/publish`, `…/deprecate` | WhatsApp |
//! | `GET /api/events` | Server-Sent Events (resumes after `Last-Event-ID`) |
use std::convert::Infallible;
use std::time::Duration;

use axum::Router;
use axum::extract::{FromRequestParts, Path, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::{Value, json};
use tokio::sync::broadcast::error::RecvError;

use super::error::{WorkspaceError, success};
use super::events::Notice;
use super::store::{self, ListQuery, Sort};
use super::{
    Actor, Create, FlowText, Resolution, SaveReason, Update, Workspace, account_json, flow_json, version_json,
};
use crate::auth::{Principal, Role};

type Result<T> = std::result::Result<T, WorkspaceError>;

/// The header the app names its user in when nobody signs in (percent-encoded UTF-8).
pub const USER_HEADER: &str = "x-flowsmith-user";
/// The most flows a page holds.
pub const MAX_LIMIT: i64 = 100;
/// Events replayed to a reconnecting client at most (it reloads its lists beyond that).
const MAX_REPLAY: i64 = 500;

/// The workspace's routes.
pub fn router(workspace: Workspace) -> Router {
    Router::new()
        .route("/api/accounts", get(accounts))
        .route("/api/flows", get(list).post(create))
        .route("/api/flows/sync", post(sync))
        .route("/api/flows/{id}", get(get_flow).put(update).delete(trash))
        .route("/api/flows/{id}/flow.json", get(stored_text))
        .route("/api/flows/{id}/restore", post(untrash))
        .route("/api/flows/{id}/versions", get(versions).post(name_version))
        .route("/api/flows/{id}/versions/{revision}", get(version))
        .route("/api/flows/{id}/versions/{revision}/restore", post(restore_version))
        .route("/api/flows/{id}/draft", post(new_draft))
        .route("/api/flows/{id}/conflict", post(resolve_conflict))
        .route("/api/flows/{id}/conflict/flow.json", get(conflict_text))
        .route("/api/flows/{id}/save-to-meta", post(save_to_meta))
        .route("/api/flows/{id}/publish", post(publish))
        .route("/api/flows/{id}/deprecate", post(deprecate))
        .route("/api/events", get(events))
        .with_state(workspace)
}

/// Who is asking: the signed-in user; with no sign-in, the app's `X-Flowsmith-User` (a display
/// name, percent-encoded), or `anonymous`.
impl<S: Send + Sync> FromRequestParts<S> for Actor {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> std::result::Result<Self, Infallible> {
        Ok(match parts.extensions.get::<crate::auth::Principal>() {
            Some(principal) => Actor(principal.user.name.clone()),
            None => Actor(header_actor(&parts.headers)),
        })
    }
}

/// The name the app sends in `X-Flowsmith-User` when nobody signs in, or `anonymous`.
pub fn header_actor(headers: &HeaderMap) -> String {
    let name = headers
        .get(USER_HEADER)
        .and_then(|value| value.to_str().ok())
        .map(|value| percent_encoding::percent_decode_str(value).decode_utf8_lossy().trim().to_owned())
        .filter(|name| !name.is_empty() && name.chars().count() <= 64 && !name.chars().any(char::is_control));
    name.unwrap_or_else(|| "anonymous".to_owned())
}

fn flow_id(id: &str) -> Result<&str> {
    if crate::ids::is_valid(id) {
        Ok(id)
    } else {
        Err(WorkspaceError::NotFound(format!(
            "No flow {} in this workspace",
            id.chars().take(64).collect::<String>()
        )))
    }
}

/// The JSON body, at most the server's body limit (413 beyond), as JSON (415 otherwise).
pub(crate) async fn body(request: Request) -> Result<axum::body::Bytes> {
    let content_type = request.headers().get(header::CONTENT_TYPE).and_then(|value| value.to_str().ok());
    if !content_type
        .is_some_and(|value| value.trim_start().to_ascii_lowercase().starts_with("application/json"))
    {
        return Err(WorkspaceError::UnsupportedMediaType);
    }
    axum::body::to_bytes(request.into_body(), usize::MAX).await.map_err(|error| {
        if crate::layers::is_length_limit(&error) {
            WorkspaceError::TooLarge { limit: flow_model::MAX_INPUT_BYTES }
        } else {
            WorkspaceError::InvalidJson("The request body could not be read".to_owned())
        }
    })
}

pub(crate) fn parse<'a, T: Deserialize<'a>>(bytes: &'a [u8]) -> Result<T> {
    serde_json::from_slice(bytes).map_err(|error| {
        if error.is_data() {
            WorkspaceError::invalid("body", error.to_string())
        } else {
            WorkspaceError::InvalidJson(format!("The body is not JSON: {error}"))
        }
    })
}

/// `json_definition` as sent: a JSON object (kept exactly as written, numbers and key order
/// included) or a string holding the flow.json text.
fn flow_text(raw: &RawValue, limit: usize) -> Result<FlowText> {
    let text = raw.get();
    if text.starts_with('"') {
        let decoded: String = serde_json::from_str(text)
            .map_err(|error| WorkspaceError::invalid("json_definition", error.to_string()))?;
        FlowText::new(decoded, limit)
    } else {
        FlowText::new(text.to_owned(), limit)
    }
}

/// `{"status": "success", "data": {…data, "<key>": <text as JSON>}}`, the text written as it
/// is stored (`null` when the flow has none yet).
fn success_with_text(status: StatusCode, data: &Value, key: &str, text: &str) -> Response {
    let mut out = flow_model::json::compact(&json!({ "status": "success", "data": data }));
    // The envelope ends with "}}": insert the member before the data object's closing brace.
    out.truncate(out.len() - 2);
    let member = if text.trim().is_empty() { "null" } else { text };
    let separator = if data.as_object().is_some_and(|map| !map.is_empty()) { "," } else { "" };
    out.push_str(&format!("{separator}{}:{member}}}}}", json!(key)));
    let mut response = (status, out).into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    response
}

async fn accounts(State(workspace): State<Workspace>, request: Request) -> Result<Response> {
    let refresh = crate::sandbox::query_value(request.uri().query(), "refresh")
        .is_some_and(|value| value == "1" || value == "true");
    let accounts = workspace.accounts(refresh).await?;
    Ok(success(StatusCode::OK, json!(accounts.iter().map(account_json).collect::<Vec<_>>())))
}

fn list_query(query: Option<&str>) -> Result<ListQuery> {
    let value = |name: &str| crate::sandbox::query_value(query, name).filter(|value| !value.is_empty());
    let number = |name: &'static str, default: i64| -> Result<i64> {
        match value(name) {
            None => Ok(default),
            Some(text) => text
                .parse::<i64>()
                .map_err(|_| WorkspaceError::invalid(name, format!("'{text}' is not a whole number"))),
        }
    };
    let page = number("page", 1)?;
    if !(1..=1_000_000).contains(&page) {
        return Err(WorkspaceError::invalid("page", "must be 1 or more"));
    }
    let limit = number("limit", 20)?;
    if !(1..=MAX_LIMIT).contains(&limit) {
        return Err(WorkspaceError::invalid("limit", format!("must be between 1 and {MAX_LIMIT}")));
    }
    let status = value("status").map(|status| status.to_ascii_uppercase());
    if let Some(status) = &status
        && !["DRAFT", "PUBLISHED", "DEPRECATED", "THROTTLED", "BLOCKED"].contains(&status.as_str())
    {
        return Err(WorkspaceError::invalid(
            "status",
            format!("'{status}' is not one of DRAFT, PUBLISHED, DEPRECATED, THROTTLED, BLOCKED"),
        ));
    }
    let account_id = value("account_id");
    if let Some(account) = &account_id
        && !crate::ids::is_valid(account)
    {
        return Err(WorkspaceError::invalid("account_id", "is not an account id"));
    }
    let text = value("q");
    if text.as_ref().is_some_and(|text| text.chars().count() > 200) {
        return Err(WorkspaceError::invalid("q", "must be at most 200 characters"));
    }
    let sort = match value("sort") {
        None => Sort::UpdatedDesc,
        Some(text) => Sort::parse(&text).ok_or_else(|| {
            WorkspaceError::invalid(
                "sort",
                format!("'{text}' is not one of -updated, updated, name, -name, -created"),
            )
        })?,
    };
    let trash = value("trash").is_some_and(|value| value == "1" || value == "true");
    Ok(ListQuery { page, limit, status, account_id, text, trash, sort, reach: None })
}

async fn list(State(workspace): State<Workspace>, request: Request) -> Result<Response> {
    let query = list_query(request.uri().query())?;
    let (page, limit) = (query.page, query.limit);
    let (flows, total) = workspace.list(query).await?;
    let items: Vec<Value> = flows.iter().map(flow_json).collect();
    Ok(success(StatusCode::OK, json!({ "items": items, "total": total, "page": page, "limit": limit })))
}

#[derive(Deserialize)]
struct CreateBody<'a> {
    account_id: String,
    name: String,
    #[serde(default)]
    categories: Option<Vec<String>>,
    #[serde(borrow)]
    json_definition: Option<&'a RawValue>,
}

async fn create(State(workspace): State<Workspace>, actor: Actor, request: Request) -> Result<Response> {
    let principal = request.extensions().get::<Principal>().cloned();
    let bytes = body(request).await?;
    let parsed: CreateBody<'_> = parse(&bytes)?;
    // The guard let through a role on some account: this is the account.
    if let Some(principal) = principal {
        principal.require_on(Some(&parsed.account_id), Role::Editor)?;
    }
    let raw = parsed
        .json_definition
        .ok_or_else(|| WorkspaceError::invalid("json_definition", "is required (the flow.json)"))?;
    let create = Create {
        account_id: parsed.account_id,
        name: parsed.name,
        categories: parsed.categories.unwrap_or_else(|| vec!["OTHER".to_owned()]),
        json_definition: flow_text(raw, workspace.flow_limit())?,
    };
    let flow = workspace.create(&actor, create).await?;
    Ok(success(StatusCode::CREATED, flow_json(&flow)))
}

async fn get_flow(State(workspace): State<Workspace>, Path(id): Path<String>) -> Result<Response> {
    let flow = workspace.get(flow_id(&id)?).await?;
    let text = flow.json_definition.clone().unwrap_or_default();
    Ok(success_with_text(StatusCode::OK, &flow_json(&flow), "json_definition", &text))
}

fn text_response(text: String, name: &str) -> Response {
    let mut response = (StatusCode::OK, text).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if let Ok(value) = HeaderValue::from_str(&format!("inline; filename=\"{name}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    response
}

async fn stored_text(State(workspace): State<Workspace>, Path(id): Path<String>) -> Result<Response> {
    let flow = workspace.get(flow_id(&id)?).await?;
    Ok(text_response(flow.json_definition.unwrap_or_default(), "flow.json"))
}

#[derive(Deserialize)]
struct UpdateBody<'a> {
    revision: Option<i64>,
    name: Option<String>,
    categories: Option<Vec<String>>,
    #[serde(borrow)]
    json_definition: Option<&'a RawValue>,
    reason: Option<String>,
    label: Option<String>,
}

async fn update(
    State(workspace): State<Workspace>,
    Path(id): Path<String>,
    actor: Actor,
    request: Request,
) -> Result<Response> {
    let id = flow_id(&id)?.to_owned();
    let bytes = body(request).await?;
    let parsed: UpdateBody<'_> = parse(&bytes)?;
    let revision = parsed.revision.ok_or_else(|| {
        WorkspaceError::invalid(
            "revision",
            "is required: send the revision you last read, so no one's work is overwritten",
        )
    })?;
    let reason = match parsed.reason.as_deref() {
        None | Some("autosave") => SaveReason::Autosave,
        Some("named") => SaveReason::Named,
        Some(other) => {
            return Err(WorkspaceError::invalid("reason", format!("'{other}' is not autosave or named")));
        }
    };
    if reason == SaveReason::Named && parsed.label.is_none() {
        return Err(WorkspaceError::invalid("label", "is required for a named version"));
    }
    let json_definition =
        parsed.json_definition.map(|raw| flow_text(raw, workspace.flow_limit())).transpose()?;
    let update = Update {
        revision,
        name: parsed.name,
        categories: parsed.categories,
        json_definition,
        reason,
        label: parsed.label,
    };
    let flow = workspace.update(&actor, &id, update).await?;
    Ok(success(StatusCode::OK, flow_json(&flow)))
}

async fn trash(State(workspace): State<Workspace>, Path(id): Path<String>, actor: Actor) -> Result<Response> {
    let flow = workspace.trash(&actor, flow_id(&id)?).await?;
    Ok(success(StatusCode::OK, flow_json(&flow)))
}

async fn untrash(
    State(workspace): State<Workspace>,
    Path(id): Path<String>,
    actor: Actor,
) -> Result<Response> {
    let flow = workspace.untrash(&actor, flow_id(&id)?).await?;
    Ok(success(StatusCode::OK, flow_json(&flow)))
}

async fn versions(State(workspace): State<Workspace>, Path(id): Path<String>) -> Result<Response> {
    let versions = workspace.versions(flow_id(&id)?).await?;
    Ok(success(StatusCode::OK, json!(versions.iter().map(version_json).collect::<Vec<_>>())))
}

fn revision_of(text: &str) -> Result<i64> {
    text.parse::<i64>().ok().filter(|revision| *revision >= 1).ok_or_else(|| {
        WorkspaceError::NotFound(format!(
            "'{}' is not a version number",
            text.chars().take(20).collect::<String>()
        ))
    })
}

async fn version(
    State(workspace): State<Workspace>,
    Path((id, revision)): Path<(String, String)>,
) -> Result<Response> {
    let version = workspace.version(flow_id(&id)?, revision_of(&revision)?).await?;
    let text = version.json_definition.clone().unwrap_or_default();
    Ok(success_with_text(StatusCode::OK, &version_json(&version), "json_definition", &text))
}

#[derive(Deserialize)]
struct NameBody {
    label: String,
}

async fn name_version(
    State(workspace): State<Workspace>,
    Path(id): Path<String>,
    actor: Actor,
    request: Request,
) -> Result<Response> {
    let id = flow_id(&id)?.to_owned();
    let bytes = body(request).await?;
    let parsed: NameBody = parse(&bytes)?;
    let version = workspace.name_version(&actor, &id, &parsed.label).await?;
    Ok(success(StatusCode::OK, version_json(&version)))
}

#[derive(Deserialize, Default)]
struct SeenBody {
    revision: Option<i64>,
}

/// An optional JSON body (`{}` or none at all).
async fn optional_body<T: for<'a> Deserialize<'a> + Default>(request: Request) -> Result<T> {
    let empty = request.headers().get(header::CONTENT_LENGTH).is_some_and(|length| length.as_bytes() == b"0")
        || !request.headers().contains_key(header::CONTENT_TYPE);
    if empty {
        return Ok(T::default());
    }
    let bytes = body(request).await?;
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(T::default());
    }
    parse(&bytes)
}

async fn restore_version(
    State(workspace): State<Workspace>,
    Path((id, revision)): Path<(String, String)>,
    actor: Actor,
    request: Request,
) -> Result<Response> {
    let id = flow_id(&id)?.to_owned();
    let from = revision_of(&revision)?;
    let seen: SeenBody = optional_body(request).await?;
    let flow = workspace.restore_version(&actor, &id, from, seen.revision).await?;
    Ok(success(StatusCode::OK, flow_json(&flow)))
}

async fn new_draft(
    State(workspace): State<Workspace>,
    Path(id): Path<String>,
    actor: Actor,
) -> Result<Response> {
    let flow = workspace.new_draft(&actor, flow_id(&id)?).await?;
    Ok(success(StatusCode::CREATED, flow_json(&flow)))
}

async fn conflict_text(State(workspace): State<Workspace>, Path(id): Path<String>) -> Result<Response> {
    let text = workspace.conflict_json(flow_id(&id)?).await?;
    Ok(text_response(text, "whatsapp-flow.json"))
}

#[derive(Deserialize)]
struct ConflictBody {
    resolution: String,
    revision: i64,
}

async fn resolve_conflict(
    State(workspace): State<Workspace>,
    Path(id): Path<String>,
    actor: Actor,
    request: Request,
) -> Result<Response> {
    let id = flow_id(&id)?.to_owned();
    let bytes = body(request).await?;
    let parsed: ConflictBody = parse(&bytes)?;
    let resolution = match parsed.resolution.as_str() {
        "theirs" | "whatsapp" => Resolution::Theirs,
        "mine" | "local" => Resolution::Mine,
        other => {
            return Err(WorkspaceError::invalid("resolution", format!("'{other}' is not theirs or mine")));
        }
    };
    let flow = workspace.resolve_conflict(&actor, &id, resolution, parsed.revision).await?;
    Ok(success(StatusCode::OK, flow_json(&flow)))
}

async fn save_to_meta(
    State(workspace): State<Workspace>,
    Path(id): Path<String>,
    actor: Actor,
) -> Result<Response> {
    let saved = workspace.save_to_whatsapp(&actor, flow_id(&id)?).await?;
    Ok(success(
        StatusCode::OK,
        json!({ "meta_flow_id": saved.meta_flow_id, "validation_errors": saved.validation_errors, "revision": saved.revision }),
    ))
}

async fn publish(
    State(workspace): State<Workspace>,
    Path(id): Path<String>,
    actor: Actor,
) -> Result<Response> {
    let flow = workspace.publish(&actor, flow_id(&id)?).await?;
    Ok(success(StatusCode::OK, json!({ "id": flow.id, "status": flow.status, "flow": flow_json(&flow) })))
}

async fn deprecate(
    State(workspace): State<Workspace>,
    Path(id): Path<String>,
    actor: Actor,
) -> Result<Response> {
    let flow = workspace.deprecate(&actor, flow_id(&id)?).await?;
    Ok(success(StatusCode::OK, json!({ "id": flow.id, "status": flow.status, "flow": flow_json(&flow) })))
}

#[derive(Deserialize)]
struct SyncBody {
    account_id: String,
}

async fn sync(State(workspace): State<Workspace>, actor: Actor, request: Request) -> Result<Response> {
    let principal = request.extensions().get::<Principal>().cloned();
    let bytes = body(request).await?;
    let parsed: SyncBody = parse(&bytes)?;
    if let Some(principal) = principal {
        principal.require_on(Some(&parsed.account_id), Role::Publisher)?;
    }
    if !crate::ids::is_valid(&parsed.account_id) {
        return Err(WorkspaceError::invalid("account_id", "is not an account id"));
    }
    let account_id = parsed.account_id.clone();
    // The sync goes on if the client leaves (it is idempotent, and others see its progress).
    let task = tokio::spawn(async move { workspace.sync(&actor, &parsed.account_id).await });
    let report = task.await.map_err(|error| {
        WorkspaceError::Storage(store::StoreError::Other(format!("the sync task failed: {error}")))
    })??;
    let mut response = success(StatusCode::OK, report.to_json());
    let target = crate::auth::layer::AuditTarget { account: Some(account_id), ..Default::default() };
    response.extensions_mut().insert(target);
    Ok(response)
}

fn sse_event(notice: &Notice) -> SseEvent {
    let event = SseEvent::default().event(notice.kind.as_str()).data(flow_model::json::compact(&notice.data));
    match notice.id {
        Some(id) => event.id(id.to_string()),
        None => event,
    }
}

/// Server-Sent Events: what happens in the workspace, from now on, or after the client's
/// `Last-Event-ID` (at most 500 events; beyond, or when a slow client misses some, it gets
/// `resync` and reloads what it shows).
async fn events(State(workspace): State<Workspace>, headers: HeaderMap) -> Result<Response> {
    // Subscribed before the log is read, so nothing that happens meanwhile is missed (what
    // both deliver is skipped by id).
    let receiver = workspace.hub().subscribe();
    let last: Option<i64> = headers
        .get("last-event-id")
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.trim().parse().ok());
    let mut first: Vec<SseEvent> = vec![SseEvent::default().event("ready").data("{}")];
    let mut seen = 0;
    if let Some(last) = last {
        let missed = workspace.events_after(last, MAX_REPLAY + 1).await?;
        if missed.len() > usize::try_from(MAX_REPLAY).unwrap_or(usize::MAX) {
            first.push(SseEvent::default().event("resync").data("{}"));
        } else {
            for event in &missed {
                first.push(sse_event(&Notice::of(event)));
            }
        }
        seen = missed.last().map_or(last, |event| event.id);
    }
    let replay = futures_util::stream::iter(first.into_iter().map(Ok::<_, Infallible>));
    let live = futures_util::stream::unfold((receiver, seen), |(mut receiver, seen)| async move {
        loop {
            match receiver.recv().await {
                Ok(notice) if notice.id.is_some_and(|id| id <= seen) => continue,
                Ok(notice) => return Some((Ok::<_, Infallible>(sse_event(&notice)), (receiver, seen))),
                Err(RecvError::Lagged(_)) => {
                    return Some((Ok(SseEvent::default().event("resync").data("{}")), (receiver, seen)));
                }
                Err(RecvError::Closed) => return None,
            }
        }
    });
    let stream = futures_util::StreamExt::chain(replay, live);
    let mut response =
        Sse::new(stream).keep_alive(KeepAlive::new().interval(Duration::from_secs(15))).into_response();
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    // Proxies such as nginx would otherwise hold the stream back.
    response.headers_mut().insert("x-accel-buffering", HeaderValue::from_static("no"));
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_queries_are_checked() {
        let query = list_query(Some("page=2&limit=50&status=draft&q=Sign%20up&sort=name")).unwrap();
        assert_eq!((query.page, query.limit, query.status.as_deref()), (2, 50, Some("DRAFT")));
        assert_eq!((query.text.as_deref(), query.sort), (Some("Sign up"), Sort::NameAsc));
        for (bad, field) in [
            ("limit=101", "limit"),
            ("limit=0", "limit"),
            ("page=0", "page"),
            ("page=x", "page"),
            ("status=LIVE", "status"),
            ("sort=id", "sort"),
            ("account_id=..%2F", "account_id"),
        ] {
            match list_query(Some(bad)) {
                Err(WorkspaceError::Invalid { field: got, .. }) => assert_eq!(got, field, "{bad}"),
                other => panic!("{bad}: {other:?}"),
            }
        }
    }

    #[test]
    fn the_actor_is_a_plain_name() {
        let mut headers = HeaderMap::new();
        assert_eq!(header_actor(&headers), "anonymous");
        headers.insert(USER_HEADER, HeaderValue::from_static("Jos%C3%A9%20Silva"));
        assert_eq!(header_actor(&headers), "José Silva");
        headers.insert(USER_HEADER, HeaderValue::from_static("a%0Ab"));
        assert_eq!(header_actor(&headers), "anonymous");
    }

    #[test]
    fn text_goes_into_the_envelope_as_written() {
        let response = success_with_text(
            StatusCode::OK,
            &json!({"id": "f"}),
            "json_definition",
            "{\"n\": 1.0,\n \"a\": 2}",
        );
        let body = futures_util::FutureExt::now_or_never(axum::body::to_bytes(response.into_body(), 1000))
            .unwrap()
            .unwrap();
        assert_eq!(
            &body[..],
            b"{\"status\":\"success\",\"data\":{\"id\":\"f\",\"json_definition\":{\"n\": 1.0,\n \"a\": 2}}}"
        );
    }
}
