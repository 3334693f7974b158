//! Reading sandbox requests: ids from the path, the query, and bodies in JSON, form-encoded or
//! multipart, checked field by field against the seed spec's request schemas
//! (`additionalProperties: false`: unknown members are refused). Problems are reported all at
//! once in `meta.details`, keyed by where they were (`json`, `form`, `files`, `query`).
use std::collections::HashMap;

use axum::extract::{FromRequest, FromRequestParts, Multipart, Path, Request};
use axum::http::{header, request::Parts};
use serde_json::{Map, Value, json};

use super::flows::{ChannelQuery, CreateRequest, MAX_MIGRATE_NAMES, MigrateRequest, UpdateRequest};
use super::lifecycle::Status;
use crate::error::ApiError;
use crate::ids;

/// Meta's flow categories.
pub const CATEGORIES: &[&str] = &[
    "SIGN_UP",
    "SIGN_IN",
    "APPOINTMENT_BOOKING",
    "LEAD_GENERATION",
    "CONTACT_US",
    "CUSTOMER_SUPPORT",
    "SURVEY",
    "OTHER",
];

/// Longest flow name the sandbox accepts (Meta does not say; 200 characters is generous).
pub const MAX_NAME_CHARS: usize = 200;

async fn path_ids(parts: &mut Parts) -> Result<HashMap<String, String>, ApiError> {
    let Path(ids) = Path::<HashMap<String, String>>::from_request_parts(parts, &())
        .await
        .map_err(|_| ApiError::NotFound("Not found".to_owned()))?;
    // An id with characters ids never have cannot name anything: 404, and it goes no further.
    let named = ["partner_id", "waba_account_id", "flow_id"];
    if let Some((name, _)) =
        ids.iter().find(|(name, id)| named.contains(&name.as_str()) && !ids::is_valid(id))
    {
        return Err(match name.as_str() {
            "flow_id" => ApiError::flow_not_found(),
            _ => ApiError::NotFound(format!("No such {}", name.trim_end_matches("_id").replace('_', " "))),
        });
    }
    Ok(ids)
}

fn take(ids: &mut HashMap<String, String>, name: &str) -> String {
    ids.remove(name).unwrap_or_default()
}

/// `{partner_id}` of the path.
pub struct PartnerPath(pub String);

impl<S: Send + Sync> FromRequestParts<S> for PartnerPath {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        Ok(PartnerPath(take(&mut path_ids(parts).await?, "partner_id")))
    }
}

/// `{partner_id}` and `{waba_account_id}` of the path.
#[derive(Debug, Clone)]
pub struct WabaPath {
    /// The partner.
    pub partner_id: String,
    /// The WABA account.
    pub waba_id: String,
}

impl<S: Send + Sync> FromRequestParts<S> for WabaPath {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        let mut ids = path_ids(parts).await?;
        Ok(WabaPath { partner_id: take(&mut ids, "partner_id"), waba_id: take(&mut ids, "waba_account_id") })
    }
}

/// `{partner_id}`, `{waba_account_id}` and `{flow_id}` of the path.
#[derive(Debug, Clone)]
pub struct FlowPath {
    /// The partner.
    pub partner_id: String,
    /// The WABA account.
    pub waba_id: String,
    /// The flow.
    pub flow_id: String,
}

impl<S: Send + Sync> FromRequestParts<S> for FlowPath {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        let mut ids = path_ids(parts).await?;
        Ok(FlowPath {
            partner_id: take(&mut ids, "partner_id"),
            waba_id: take(&mut ids, "waba_account_id"),
            flow_id: take(&mut ids, "flow_id"),
        })
    }
}

/// Every value of `name` in a query string.
pub fn query_values(query: Option<&str>, name: &str) -> Vec<String> {
    url::form_urlencoded::parse(query.unwrap_or_default().as_bytes())
        .filter(|(key, _)| key == name)
        .map(|(_, value)| value.into_owned())
        .collect()
}

pub fn query_value(query: Option<&str>, name: &str) -> Option<String> {
    query_values(query, name).pop()
}

/// `invalidate` of the preview operation: `true`/`false` (also `1`/`0`), default false.
pub fn invalidate(query: Option<&str>) -> Result<bool, ApiError> {
    match query_value(query, "invalidate").as_deref().map(str::to_ascii_lowercase).as_deref() {
        None | Some("false" | "0") => Ok(false),
        Some("true" | "1") => Ok(true),
        Some(_) => Err(ApiError::field("query", "invalidate", "Not a valid boolean: write true or false")),
    }
}

/// `limit`, `offset`, `filters` and `sort` of the channel listing.
pub fn channel_query(query: Option<&str>) -> Result<ChannelQuery, ApiError> {
    let number = |name: &str, default: usize, max: usize| -> Result<usize, ApiError> {
        match query_value(query, name) {
            None => Ok(default),
            Some(text) => text.trim().parse::<usize>().ok().filter(|value| *value <= max).ok_or_else(|| {
                ApiError::field("query", name, format!("Must be a whole number from 0 to {max}"))
            }),
        }
    };
    let filters = match query_value(query, "filters") {
        None => Map::new(),
        Some(text) => match serde_json::from_str::<Value>(&text) {
            Ok(Value::Object(map)) => map,
            _ => {
                return Err(ApiError::field(
                    "query",
                    "filters",
                    "Must be a JSON object, e.g. {\"id\": \"…\"}",
                ));
            }
        },
    };
    let sort = query_value(query, "sort").unwrap_or_else(|| "id".to_owned());
    if !["id", "-id", "created_at", "-created_at"].contains(&sort.as_str()) {
        return Err(ApiError::field(
            "query",
            "sort",
            "Sort by id or created_at, with a leading '-' for descending",
        ));
    }
    Ok(ChannelQuery {
        limit: number("limit", 1000, 1000)?,
        offset: number("offset", 0, usize::MAX)?,
        filters,
        sort,
    })
}

/// A request body as a map of members, and where they came from (`json` or `form`).
pub struct Body {
    members: Map<String, Value>,
    location: &'static str,
}

/// Reads a JSON object or a form-encoded body. Other types are 415; an empty body is an empty
/// object (so missing required members are named).
pub async fn read_object(request: Request, limit: usize) -> Result<Body, ApiError> {
    let content_type = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .map(|value| value.split(';').next().unwrap_or_default().trim().to_ascii_lowercase());
    let bytes = axum::body::to_bytes(request.into_body(), usize::MAX)
        .await
        .map_err(|error| crate::layers::body_error(&error, limit))?;
    match content_type.as_deref() {
        _ if bytes.iter().all(u8::is_ascii_whitespace) => Ok(Body { members: Map::new(), location: "json" }),
        Some("application/json") => match serde_json::from_slice::<Value>(&bytes) {
            Ok(Value::Object(members)) => Ok(Body { members, location: "json" }),
            Ok(_) => Err(ApiError::wrong_payload("Wrong payload: the body must be a JSON object")),
            Err(error) => {
                Err(ApiError::wrong_payload(format!("Wrong payload: the body is not valid JSON ({error})")))
            }
        },
        Some("application/x-www-form-urlencoded") => {
            let mut members = Map::new();
            for (key, value) in url::form_urlencoded::parse(&bytes) {
                let value = Value::String(value.into_owned());
                match members.get_mut(key.as_ref()) {
                    Some(Value::Array(items)) => items.push(value),
                    Some(first) => *first = Value::Array(vec![first.take(), value]),
                    None => {
                        members.insert(key.into_owned(), value);
                    }
                }
            }
            Ok(Body { members, location: "form" })
        }
        other => Err(ApiError::UnsupportedMediaType(format!(
            "Send the body as application/json (or application/x-www-form-urlencoded), not {}",
            other.unwrap_or("without a Content-Type")
        ))),
    }
}

/// Problems found in a body, reported together.
struct Problems {
    location: &'static str,
    fields: Map<String, Value>,
}

impl Problems {
    fn new(location: &'static str) -> Self {
        Problems { location, fields: Map::new() }
    }

    fn add(&mut self, field: &str, problem: impl Into<String>) {
        let entry = self.fields.entry(field.to_owned()).or_insert_with(|| json!([]));
        if let Value::Array(list) = entry {
            list.push(Value::String(problem.into()));
        }
    }

    fn unknown(&mut self, body: &Body, known: &[&str]) {
        for key in body.members.keys().filter(|key| !known.contains(&key.as_str())) {
            self.add(key, "Unknown field.");
        }
    }

    fn finish<T>(self, value: T) -> Result<T, ApiError> {
        if self.fields.is_empty() {
            return Ok(value);
        }
        let summary: Vec<String> = self
            .fields
            .iter()
            .map(|(field, problems)| {
                let first = problems.get(0).and_then(Value::as_str).unwrap_or_default();
                format!("{field}: {first}")
            })
            .collect();
        Err(ApiError::WrongPayload {
            message: format!("Wrong payload: {}", summary.join("; ")),
            details: Some(json!({ self.location: self.fields })),
        })
    }
}

const REQUIRED: &str = "Missing data for required field.";

fn string(body: &Body, problems: &mut Problems, field: &str, required: bool) -> Option<String> {
    match body.members.get(field) {
        None | Some(Value::Null) if required => {
            problems.add(field, REQUIRED);
            None
        }
        None | Some(Value::Null) => None,
        Some(Value::String(text)) => Some(text.clone()),
        Some(_) => {
            problems.add(field, "Not a valid string.");
            None
        }
    }
}

/// A list from JSON (`["a"]`) or a form (repeated keys, a JSON array as text, or `a,b`).
fn list(body: &Body, problems: &mut Problems, field: &str) -> Option<Vec<String>> {
    let value = body.members.get(field)?;
    let parsed = match value {
        Value::Array(items) => {
            items.iter().map(|item| item.as_str().map(str::to_owned)).collect::<Option<Vec<_>>>()
        }
        Value::String(text) if body.location == "form" => {
            if text.trim_start().starts_with('[') {
                serde_json::from_str::<Vec<String>>(text).ok()
            } else {
                Some(
                    text.split(',')
                        .map(|item| item.trim().to_owned())
                        .filter(|item| !item.is_empty())
                        .collect(),
                )
            }
        }
        _ => None,
    };
    if parsed.is_none() {
        problems.add(field, "Not a valid list of strings.");
    }
    parsed
}

fn name(body: &Body, problems: &mut Problems) -> String {
    let name = string(body, problems, "name", true).unwrap_or_default();
    let trimmed = name.trim();
    if body.members.contains_key("name") && trimmed.is_empty() {
        problems.add("name", "Must not be empty.");
    } else if trimmed.chars().count() > MAX_NAME_CHARS {
        problems.add("name", format!("Longer than {MAX_NAME_CHARS} characters."));
    } else if trimmed.chars().any(char::is_control) {
        problems.add("name", "Must not contain control characters.");
    }
    trimmed.to_owned()
}

fn categories(body: &Body, problems: &mut Problems, required: bool) -> Option<Vec<String>> {
    let Some(list) = list(body, problems, "categories") else {
        if required && !body.members.contains_key("categories") {
            problems.add("categories", REQUIRED);
        }
        return None;
    };
    if list.is_empty() {
        problems.add("categories", "At least one category is required.");
    }
    let mut unique = Vec::new();
    for category in list {
        if !CATEGORIES.contains(&category.as_str()) {
            problems.add("categories", format!("'{category}' is not one of: {}.", CATEGORIES.join(", ")));
        } else if !unique.contains(&category) {
            unique.push(category);
        }
    }
    Some(unique)
}

fn endpoint_uri(body: &Body, problems: &mut Problems) -> Option<Option<String>> {
    if matches!(body.members.get("endpoint_uri"), Some(Value::Null)) {
        return Some(None);
    }
    let text = string(body, problems, "endpoint_uri", false)?;
    let text = text.trim().to_owned();
    if text.is_empty() {
        return Some(None);
    }
    let valid = url::Url::parse(&text)
        .is_ok_and(|url| url.scheme() == "https" && url.host().is_some() && url.username().is_empty());
    if !valid {
        problems.add("endpoint_uri", "Invalid Endpoint URI: write an https:// URL.");
    }
    Some(Some(text))
}

/// `FlowInput`: name and categories required, clone_flow_id and endpoint_uri optional.
pub fn create_request(body: &Body) -> Result<CreateRequest, ApiError> {
    let mut problems = Problems::new(body.location);
    problems.unknown(body, &["name", "categories", "clone_flow_id", "endpoint_uri"]);
    let create = flow_input(body, &mut problems);
    problems.finish(create)
}

/// The members of `FlowInput`, with their problems.
fn flow_input(body: &Body, problems: &mut Problems) -> CreateRequest {
    let name = name(body, problems);
    let categories = categories(body, problems, true).unwrap_or_default();
    let clone_flow_id = string(body, problems, "clone_flow_id", false);
    if clone_flow_id.as_deref().is_some_and(|id| !ids::is_valid(id)) {
        problems.add("clone_flow_id", "Not a flow id.");
    }
    let endpoint_uri = endpoint_uri(body, problems).flatten();
    CreateRequest { name, categories, clone_flow_id, endpoint_uri }
}

/// The Graph API's create: `FlowInput` plus `flow_json` (the flow.json as a string) and
/// `publish`.
pub fn graph_create_request(body: &Body) -> Result<(CreateRequest, Option<String>, bool), ApiError> {
    let mut problems = Problems::new(body.location);
    problems.unknown(body, &["name", "categories", "clone_flow_id", "endpoint_uri", "flow_json", "publish"]);
    let create = flow_input(body, &mut problems);
    let flow_json = string(body, &mut problems, "flow_json", false);
    let publish = match body.members.get("publish") {
        None | Some(Value::Null) => false,
        Some(Value::Bool(publish)) => *publish,
        Some(Value::String(text)) if text == "true" || text == "false" => text == "true",
        Some(_) => {
            problems.add("publish", "Not a valid boolean.");
            false
        }
    };
    problems.finish((create, flow_json, publish))
}

/// The Graph API's `POST /{flow-id}`: every field optional (the name kept when not sent).
pub fn graph_update_request(body: &Body) -> Result<(Option<String>, UpdateRequest), ApiError> {
    let mut problems = Problems::new(body.location);
    problems.unknown(body, &["name", "categories", "endpoint_uri", "application_id"]);
    let name = body.members.contains_key("name").then(|| name(body, &mut problems));
    let categories = categories(body, &mut problems, false);
    let endpoint_uri = endpoint_uri(body, &mut problems);
    problems.finish((name, UpdateRequest { name: String::new(), categories, endpoint_uri }))
}

/// The Graph API's `migrate_flows`: `source_waba_id` required, `source_flow_names` optional.
pub fn graph_migrate_request(body: &Body) -> Result<MigrateRequest, ApiError> {
    migration(body, "source_waba_id", "Not a WhatsApp Business Account id.")
}

/// `FlowUpdate`: name required (as the seed spec says), categories and endpoint_uri optional.
pub fn update_request(body: &Body) -> Result<UpdateRequest, ApiError> {
    let mut problems = Problems::new(body.location);
    problems.unknown(body, &["name", "categories", "endpoint_uri"]);
    let name = name(body, &mut problems);
    let categories = categories(body, &mut problems, false);
    let endpoint_uri = endpoint_uri(body, &mut problems);
    problems.finish(UpdateRequest { name, categories, endpoint_uri })
}

/// `FlowMigrateIn`: source_waba_account_id required, source_flow_names optional (≤ 100).
pub fn migrate_request(body: &Body) -> Result<MigrateRequest, ApiError> {
    migration(body, "source_waba_account_id", "Not a WABA account id.")
}

/// A migration: the source account's id in `source` (the APIs name it differently) and the
/// optional names (≤ 100).
fn migration(body: &Body, source_field: &str, not_an_id: &str) -> Result<MigrateRequest, ApiError> {
    let mut problems = Problems::new(body.location);
    problems.unknown(body, &[source_field, "source_flow_names"]);
    let source = string(body, &mut problems, source_field, true).unwrap_or_default();
    if body.members.contains_key(source_field) && !ids::is_valid(&source) {
        problems.add(source_field, not_an_id);
    }
    let names = list(body, &mut problems, "source_flow_names");
    if names.as_ref().is_some_and(|names| names.len() > MAX_MIGRATE_NAMES) {
        problems.add("source_flow_names", format!("At most {MAX_MIGRATE_NAMES} names per call."));
    }
    problems.finish(MigrateRequest { source_waba_account_id: source, source_flow_names: names })
}

/// The control endpoint's `{"status": …}`.
pub fn control_status(body: &Body) -> Result<Status, ApiError> {
    let mut problems = Problems::new(body.location);
    problems.unknown(body, &["status"]);
    let text = string(body, &mut problems, "status", true).unwrap_or_default();
    let status = Status::parse(&text)
        .filter(|status| matches!(status, Status::Published | Status::Throttled | Status::Blocked));
    if body.members.contains_key("status") && status.is_none() {
        problems.add("status", "Must be THROTTLED, BLOCKED or PUBLISHED.");
    }
    problems.finish(status.unwrap_or(Status::Published))
}

/// Meta's `whatsapp_business_encryption` body: `business_public_key` (form or JSON); returns
/// the PEM text as sent.
pub fn business_public_key(body: &Body) -> Result<String, ApiError> {
    let mut problems = Problems::new(body.location);
    problems.unknown(body, &["business_public_key"]);
    let key = string(body, &mut problems, "business_public_key", true).unwrap_or_default();
    problems.finish(key)
}

/// `FlowAssetFileIn` (multipart): `file`, `name=flow.json`, `asset_type=FLOW_JSON`; returns the
/// file's bytes.
pub async fn read_flow_json(request: Request, limit: usize) -> Result<Vec<u8>, ApiError> {
    let is_multipart = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.to_ascii_lowercase().starts_with("multipart/form-data"));
    if !is_multipart {
        return Err(ApiError::UnsupportedMediaType(
            "Upload flow.json as multipart/form-data with the parts file, name=flow.json and asset_type=FLOW_JSON"
                .to_owned(),
        ));
    }
    let mut multipart = Multipart::from_request(request, &())
        .await
        .map_err(|rejection| ApiError::wrong_payload(format!("Wrong payload: {}", rejection.body_text())))?;
    let read_error = |error: axum::extract::multipart::MultipartError| {
        if error.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::PayloadTooLarge { limit }
        } else {
            ApiError::wrong_payload(format!(
                "Wrong payload: the multipart body is malformed ({})",
                error.body_text()
            ))
        }
    };
    let mut problems = Problems::new("form");
    let (mut file, mut name, mut asset_type) = (None, None, None);
    while let Some(field) = multipart.next_field().await.map_err(read_error)? {
        let part = field.name().unwrap_or_default().to_owned();
        match part.as_str() {
            "file" if file.is_none() => file = Some(field.bytes().await.map_err(read_error)?.to_vec()),
            "name" if name.is_none() => name = Some(field.text().await.map_err(read_error)?),
            "asset_type" if asset_type.is_none() => {
                asset_type = Some(field.text().await.map_err(read_error)?)
            }
            "file" | "name" | "asset_type" => problems.add(&part, "Given more than once."),
            _ => problems.add(&part, "Unknown field."),
        }
    }
    match name.as_deref().map(str::trim) {
        None => problems.add("name", REQUIRED),
        Some("flow.json") => {}
        Some(_) => problems.add("name", "Only 'flow.json' is supported."),
    }
    match asset_type.as_deref().map(str::trim) {
        None => problems.add("asset_type", REQUIRED),
        Some("FLOW_JSON") => {}
        Some(_) => problems.add("asset_type", "Only 'FLOW_JSON' is supported."),
    }
    if file.is_none() {
        problems.add("file", REQUIRED);
    }
    problems.finish(file.unwrap_or_default())
}
