//! The sandbox's operations, each on one open transaction of the store.
//!
//! Sandbox decisions where the material is silent (each tested):
//! - lists are newest first;
//! - flow names are unique per WABA among flows that exist (deleted ones free their name);
//! - `clone_flow_id` may name any flow of the same partner; the copy takes the source's
//!   flow.json and, unless given, its endpoint_uri; its name and categories are the request's;
//! - a preview link lives 30 days; asking again returns the same link until it expires or
//!   `invalidate=true` rotates it; the link shows the flow's current flow.json;
//! - the asset's `download_url` changes with every upload, like a CDN link of a new file.
use rusqlite::{OptionalExtension, Row, Transaction, params};
use serde_json::{Map, Value, json};

use super::fields::{self, Field};
use super::lifecycle::{self, Operation, Outcome, Publishable, State, Status};
use super::validation::Checked;
use crate::error::{ApiError, GraphError};

/// How long a preview link is valid (Meta: 30 days).
pub const PREVIEW_LIFETIME_SECONDS: i64 = 30 * 24 * 60 * 60;
/// Meta's cap on `source_flow_names`.
pub const MAX_MIGRATE_NAMES: usize = 100;
/// Meta's code for a flow that could not be migrated.
pub const MIGRATION_ERROR_CODE: &str = "4233041";

/// Absolute links to this server, for preview and download URLs.
#[derive(Debug, Clone)]
pub struct Links {
    base: String,
}

impl Links {
    /// Links under `base` (e.g. `http://127.0.0.1:8080`).
    pub fn new(base: &url::Url) -> Self {
        Links { base: base.as_str().trim_end_matches('/').to_owned() }
    }

    /// Where an uploaded flow.json can be downloaded.
    pub fn download_url(&self, token: &str) -> String {
        format!("{}/sandbox/assets/{token}/flow.json", self.base)
    }

    /// A Graph sandbox URL of `path` (`v21.0/{id}/flows?…`), for `paging.next`.
    pub fn graph(&self, path: &str) -> String {
        format!("{}/sandbox/graph/{path}", self.base)
    }

    /// The app's embed page showing the flow behind a preview token.
    pub fn preview_url(&self, token: &str) -> String {
        let flow = format!("{}/sandbox/preview/{token}/flow.json", self.base);
        let encoded: String = url::form_urlencoded::byte_serialize(flow.as_bytes()).collect();
        format!("{}/embed?flow={encoded}", self.base)
    }
}

/// A WABA account of the partner.
#[derive(Debug, Clone)]
pub struct Waba {
    /// 360dialog's id (`…WA`).
    pub id: String,
    meta_id: String,
    name: String,
    currency: String,
    timezone_id: String,
    namespace: String,
}

impl Waba {
    /// The id of the WABA's one phone number in the Graph API: Meta's id of the WABA and a
    /// `0`, so a message's phone number leads back to its WABA.
    pub fn phone_number_id(&self) -> String {
        format!("{}0", self.meta_id)
    }

    /// Its name.
    pub fn name(&self) -> &str {
        &self.name
    }
}

/// A flow as stored, without its flow.json text.
#[derive(Debug, Clone)]
pub struct Flow {
    /// Meta-style numeric id.
    pub id: String,
    /// Unique per WABA.
    pub name: String,
    categories: Vec<String>,
    /// Lifecycle state.
    pub state: State,
    endpoint_uri: Option<String>,
    has_json: bool,
    asset_token: Option<String>,
    validation_errors: Vec<Value>,
    json_version: Option<String>,
    data_api_version: Option<String>,
    data_channel_uri: Option<String>,
    preview_token: Option<String>,
    preview_expires_at: Option<i64>,
}

const FLOW_COLUMNS: &str = "id, waba_id, name, categories, status, has_published, endpoint_uri, \
    flow_json IS NOT NULL, asset_token, validation_errors, json_version, data_api_version, data_channel_uri, \
    preview_token, preview_expires_at";

fn flow_from_row(row: &Row<'_>) -> rusqlite::Result<Flow> {
    let categories: String = row.get(3)?;
    let status: String = row.get(4)?;
    let errors: String = row.get(9)?;
    Ok(Flow {
        id: row.get(0)?,
        name: row.get(2)?,
        categories: serde_json::from_str(&categories).unwrap_or_default(),
        state: State {
            status: Status::parse(&status).unwrap_or(Status::Draft),
            has_published: row.get::<_, i64>(5)? != 0,
        },
        endpoint_uri: row.get(6)?,
        has_json: row.get(7)?,
        asset_token: row.get(8)?,
        validation_errors: serde_json::from_str(&errors).unwrap_or_default(),
        json_version: row.get(10)?,
        data_api_version: row.get(11)?,
        data_channel_uri: row.get(12)?,
        preview_token: row.get(13)?,
        preview_expires_at: row.get(14)?,
    })
}

/// The WABA account `waba_id` of `partner_id`: 403 for a partner the key does not reach,
/// 404 for a WABA it does not hold.
pub fn waba(tx: &Transaction<'_>, partner_id: &str, waba_id: &str) -> Result<Waba, ApiError> {
    partner(tx, partner_id)?;
    tx.query_row(
        "SELECT id, meta_id, name, currency, timezone_id, namespace FROM waba_accounts
         WHERE id = ?1 AND partner_id = ?2",
        params![waba_id, partner_id],
        |row| {
            Ok(Waba {
                id: row.get(0)?,
                meta_id: row.get(1)?,
                name: row.get(2)?,
                currency: row.get(3)?,
                timezone_id: row.get(4)?,
                namespace: row.get(5)?,
            })
        },
    )
    .optional()?
    .ok_or_else(|| ApiError::NotFound(format!("WABA account {waba_id} not found for partner {partner_id}")))
}

impl Waba {
    /// The account as the Graph API shows it (`GET /{waba-id}`): by Meta's id.
    pub fn graph_json(&self) -> Value {
        json!({
            "id": self.meta_id,
            "name": self.name,
            "currency": self.currency,
            "timezone_id": self.timezone_id,
            "message_template_namespace": self.namespace,
        })
    }
}

/// The WABA the Graph API names `id` (Meta's id, or the sandbox's own `…WA`), with its partner.
pub fn graph_waba(tx: &Transaction<'_>, id: &str) -> Result<Option<(String, Waba)>, ApiError> {
    let found: Option<(String, String)> = tx
        .query_row(
            "SELECT partner_id, id FROM waba_accounts WHERE meta_id = ?1 OR id = ?1 ORDER BY id LIMIT 1",
            [id],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .optional()?;
    found.map(|(partner, waba_id)| Ok((partner.clone(), waba(tx, &partner, &waba_id)?))).transpose()
}

/// The WABA (with its partner) of the flow `flow_id`, for the Graph API's `/{flow-id}` paths.
pub fn graph_flow_waba(tx: &Transaction<'_>, flow_id: &str) -> Result<Option<(String, Waba)>, ApiError> {
    let found: Option<(String, String)> = tx
        .query_row(
            "SELECT w.partner_id, w.id FROM flows f JOIN waba_accounts w ON w.id = f.waba_id WHERE f.id = ?1",
            [flow_id],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .optional()?;
    found.map(|(partner, waba_id)| Ok((partner.clone(), waba(tx, &partner, &waba_id)?))).transpose()
}

fn partner(tx: &Transaction<'_>, partner_id: &str) -> Result<(), ApiError> {
    let known = tx.query_row("SELECT 1 FROM partners WHERE id = ?1", [partner_id], |_| Ok(())).optional()?;
    known.ok_or_else(|| ApiError::Forbidden(format!("Permission denied for partner {partner_id}")))
}

/// The flow `flow_id` of the WABA, or 404.
pub fn flow(tx: &Transaction<'_>, waba: &Waba, flow_id: &str) -> Result<Flow, ApiError> {
    tx.query_row(
        &format!("SELECT {FLOW_COLUMNS} FROM flows WHERE id = ?1 AND waba_id = ?2"),
        params![flow_id, waba.id],
        flow_from_row,
    )
    .optional()?
    .ok_or_else(ApiError::flow_not_found)
}

fn flows_of(tx: &Transaction<'_>, waba_id: &str) -> Result<Vec<Flow>, ApiError> {
    let mut statement =
        tx.prepare(&format!("SELECT {FLOW_COLUMNS} FROM flows WHERE waba_id = ?1 ORDER BY seq DESC"))?;
    let flows = statement.query_map([waba_id], flow_from_row)?.collect::<Result<Vec<_>, _>>()?;
    Ok(flows)
}

fn name_taken(
    tx: &Transaction<'_>,
    waba_id: &str,
    name: &str,
    except: Option<&str>,
) -> Result<bool, ApiError> {
    let found: Option<String> = tx
        .query_row("SELECT id FROM flows WHERE waba_id = ?1 AND name = ?2", params![waba_id, name], |row| {
            row.get(0)
        })
        .optional()?;
    Ok(found.is_some_and(|id| Some(id.as_str()) != except))
}

fn name_not_unique(name: &str) -> ApiError {
    ApiError::Graph(GraphError::new(
        100,
        "Flow name is not unique",
        format!(
            "A flow named '{name}' already exists in this WhatsApp Business Account; choose another name"
        ),
    ))
}

/// The fields of a new flow.
#[derive(Debug, Clone)]
pub struct NewFlow {
    /// Its name.
    pub name: String,
    /// Its categories.
    pub categories: Vec<String>,
    /// Its endpoint.
    pub endpoint_uri: Option<String>,
    /// Its state.
    pub state: State,
    /// Its flow.json and what validation found, if any.
    pub json: Option<(Vec<u8>, Checked)>,
}

/// Stores a new flow with a fresh id in `waba_id`; returns the id.
pub fn insert(
    tx: &Transaction<'_>,
    waba_id: &str,
    flow: &NewFlow,
    id: Option<&str>,
    now: i64,
) -> Result<String, ApiError> {
    let id = match id {
        Some(id) => id.to_owned(),
        None => fresh_flow_id(tx)?,
    };
    let (text, checked) = match &flow.json {
        Some((text, checked)) => (Some(text.as_slice()), Some(checked)),
        None => (None, None),
    };
    let errors =
        checked.map_or_else(|| "[]".to_owned(), |checked| Value::from(checked.errors.clone()).to_string());
    let published = flow.state.has_published;
    tx.execute(
        "INSERT INTO flows (id, waba_id, name, categories, status, has_published, published_versions, endpoint_uri,
             flow_json, published_json, asset_token, validation_errors, json_version, data_api_version,
             data_channel_uri, created_at, updated_at, seq)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?16,
             (SELECT COALESCE(MAX(seq), 0) + 1 FROM flows))",
        params![
            id,
            waba_id,
            flow.name,
            Value::from(flow.categories.clone()).to_string(),
            flow.state.status.as_str(),
            published,
            i64::from(published),
            flow.endpoint_uri,
            text,
            if published { text } else { None },
            text.map(|_| crate::ids::token(32)),
            errors,
            checked.and_then(|checked| checked.json_version.clone()),
            checked.and_then(|checked| checked.data_api_version.clone()),
            checked.and_then(|checked| checked.data_channel_uri.clone()),
            now,
        ],
    )?;
    Ok(id)
}

fn fresh_flow_id(tx: &Transaction<'_>) -> Result<String, ApiError> {
    for _ in 0..8 {
        let id = crate::ids::flow_id();
        let taken = tx.query_row("SELECT 1 FROM flows WHERE id = ?1", [&id], |_| Ok(())).optional()?;
        if taken.is_none() {
            return Ok(id);
        }
    }
    Err(ApiError::Internal("no free flow id after 8 tries".to_owned()))
}

fn flow_json(tx: &Transaction<'_>, flow_id: &str) -> Result<Option<Vec<u8>>, ApiError> {
    Ok(tx.query_row("SELECT flow_json FROM flows WHERE id = ?1", [flow_id], |row| row.get(0))?)
}

/// `GET …/flows`: every flow of the WABA with the asked fields.
pub fn list(
    tx: &Transaction<'_>,
    waba: &Waba,
    asked: &[Field],
    links: &Links,
    now: i64,
) -> Result<Value, ApiError> {
    let flows = flows_of(tx, &waba.id)?;
    let mut items = Vec::with_capacity(flows.len());
    for flow in &flows {
        items.push(project(tx, waba, flow, asked, links, now)?);
    }
    let count = items.len();
    Ok(json!({ "flows": items, "count": count, "total": count }))
}

/// `GET …/flows/{id}`.
pub fn get(
    tx: &Transaction<'_>,
    waba: &Waba,
    flow_id: &str,
    asked: &[Field],
    links: &Links,
    now: i64,
) -> Result<Value, ApiError> {
    let flow = flow(tx, waba, flow_id)?;
    project(tx, waba, &flow, asked, links, now)
}

fn project(
    tx: &Transaction<'_>,
    waba: &Waba,
    flow: &Flow,
    asked: &[Field],
    links: &Links,
    now: i64,
) -> Result<Value, ApiError> {
    if fields::wants(asked, Field::Metric) {
        return Err(ApiError::Graph(GraphError::new(
            139006,
            "Metrics threshold is not reached",
            "Endpoint metrics need at least 250 requests to the flow's endpoint; the sandbox has none",
        )));
    }
    let mut object = Map::new();
    let text = |value: &Option<String>| value.clone().map(Value::from);
    for field in asked {
        match field {
            Field::Id => fields::put(&mut object, "id", Some(Value::from(flow.id.clone()))),
            Field::Name => fields::put(&mut object, "name", Some(Value::from(flow.name.clone()))),
            Field::Categories => {
                fields::put(&mut object, "categories", Some(Value::from(flow.categories.clone())))
            }
            Field::ValidationErrors => fields::put(
                &mut object,
                "validation_errors",
                Some(Value::from(flow.validation_errors.clone())),
            ),
            Field::Status => {
                fields::put(&mut object, "status", Some(Value::from(flow.state.status.as_str())))
            }
            Field::JsonVersion => fields::put(&mut object, "json_version", text(&flow.json_version)),
            Field::DataApiVersion => {
                fields::put(&mut object, "data_api_version", text(&flow.data_api_version))
            }
            Field::DataChannelUri => {
                fields::put(&mut object, "data_channel_uri", text(&flow.data_channel_uri))
            }
            Field::EndpointUri => fields::put(&mut object, "endpoint_uri", text(&flow.endpoint_uri)),
            Field::Preview { invalidate } => {
                let preview = ensure_preview(tx, flow, *invalidate, links, now)?;
                fields::put(&mut object, "preview", Some(preview));
            }
            Field::WhatsappBusinessAccount => fields::put(
                &mut object,
                "whatsapp_business_account",
                Some(json!({
                    "id": waba.meta_id,
                    "name": waba.name,
                    "currency": waba.currency,
                    "timezone_id": waba.timezone_id,
                    "message_template_namespace": waba.namespace,
                })),
            ),
            Field::HealthStatus => fields::put(&mut object, "health_status", Some(health(waba, flow))),
            Field::Metric => {}
        }
    }
    Ok(Value::Object(object))
}

/// `health_status` (partner-api.md §2.4): the flow LIMITED when THROTTLED, BLOCKED when
/// BLOCKED or DEPRECATED or, unpublished, failing a publishing check; the WABA available.
fn health(waba: &Waba, flow: &Flow) -> Value {
    let unpublishable = !flow.has_json || !flow.validation_errors.is_empty();
    let (state, errors) = match flow.state.status {
        Status::Throttled => ("LIMITED", json!([])),
        Status::Blocked | Status::Deprecated => ("BLOCKED", json!([])),
        Status::Draft if unpublishable => (
            "BLOCKED",
            json!([{"error_code": 139001,
                "error_description": "flow.json: upload a flow.json without validation errors before you can send or publish this flow.",
                "possible_solution": "https://developers.facebook.com/docs/whatsapp/flows/reference/flowjson"}]),
        ),
        _ => ("AVAILABLE", json!([])),
    };
    let mut node = json!({"entity_type": "FLOW", "id": flow.id, "can_send_message": state});
    if errors.as_array().is_some_and(|list| !list.is_empty()) {
        node["errors"] = errors;
    }
    json!({
        "can_send_message": state,
        "entities": [node, {"entity_type": "WABA", "id": waba.meta_id, "can_send_message": "AVAILABLE"}],
    })
}

fn ensure_preview(
    tx: &Transaction<'_>,
    flow: &Flow,
    invalidate: bool,
    links: &Links,
    now: i64,
) -> Result<Value, ApiError> {
    let current = match (&flow.preview_token, flow.preview_expires_at) {
        (Some(token), Some(expires)) if !invalidate && expires > now => Some((token.clone(), expires)),
        _ => None,
    };
    let (token, expires) = match current {
        Some(current) => current,
        None => {
            let token = crate::ids::token(32);
            let expires = now + PREVIEW_LIFETIME_SECONDS;
            tx.execute(
                "UPDATE flows SET preview_token = ?1, preview_expires_at = ?2 WHERE id = ?3",
                params![token, expires, flow.id],
            )?;
            (token, expires)
        }
    };
    Ok(json!({ "preview_url": links.preview_url(&token), "expires_at": super::format_time(expires) }))
}

/// `GET …/flows/{id}/preview`.
pub fn preview(
    tx: &Transaction<'_>,
    waba: &Waba,
    flow_id: &str,
    invalidate: bool,
    links: &Links,
    now: i64,
) -> Result<Value, ApiError> {
    let flow = flow(tx, waba, flow_id)?;
    let preview = ensure_preview(tx, &flow, invalidate, links, now)?;
    Ok(json!({ "id": flow.id, "preview": preview }))
}

/// The body of `POST …/flows`.
#[derive(Debug, Clone)]
pub struct CreateRequest {
    /// `name`
    pub name: String,
    /// `categories`
    pub categories: Vec<String>,
    /// `clone_flow_id`
    pub clone_flow_id: Option<String>,
    /// `endpoint_uri`
    pub endpoint_uri: Option<String>,
}

/// `POST …/flows`: a new DRAFT (a copy of `clone_flow_id` when given); returns its id.
pub fn create(
    tx: &Transaction<'_>,
    partner_id: &str,
    waba: &Waba,
    request: CreateRequest,
    now: i64,
) -> Result<Value, ApiError> {
    if name_taken(tx, &waba.id, &request.name, None)? {
        return Err(name_not_unique(&request.name));
    }
    let mut new = NewFlow {
        name: request.name,
        categories: request.categories,
        endpoint_uri: request.endpoint_uri,
        state: State::NEW,
        json: None,
    };
    if let Some(source_id) = &request.clone_flow_id {
        let source = tx
            .query_row(
                &format!(
                    "SELECT {FLOW_COLUMNS} FROM flows WHERE id = ?1
                     AND waba_id IN (SELECT id FROM waba_accounts WHERE partner_id = ?2)"
                ),
                params![source_id, partner_id],
                flow_from_row,
            )
            .optional()?
            .ok_or_else(|| {
                ApiError::Graph(GraphError::new(
                    100,
                    "Flow with specified ID does not exist",
                    format!("clone_flow_id {source_id} names no flow you can access"),
                ))
            })?;
        if let Outcome::Becomes(state) = lifecycle::apply(source.state, Operation::CloneSource)? {
            new.state = state;
        }
        new.json = copy_json(tx, &source)?;
        if new.endpoint_uri.is_none() {
            new.endpoint_uri = source.endpoint_uri.clone();
        }
    }
    let id = insert(tx, &waba.id, &new, None, now)?;
    Ok(json!({ "id": id }))
}

fn copy_json(tx: &Transaction<'_>, source: &Flow) -> Result<Option<(Vec<u8>, Checked)>, ApiError> {
    let text = if source.has_json { flow_json(tx, &source.id)? } else { None };
    Ok(text.map(|text| {
        let checked = Checked {
            errors: source.validation_errors.clone(),
            json_version: source.json_version.clone(),
            data_api_version: source.data_api_version.clone(),
            data_channel_uri: source.data_channel_uri.clone(),
        };
        (text, checked)
    }))
}

/// The body of `PATCH …/flows/{id}`.
#[derive(Debug, Clone)]
pub struct UpdateRequest {
    /// `name` (required by the contract).
    pub name: String,
    /// `categories`, when given.
    pub categories: Option<Vec<String>>,
    /// `endpoint_uri`, when given (`Some(None)` clears it).
    pub endpoint_uri: Option<Option<String>>,
}

/// `PATCH …/flows/{id}`: new metadata; a published flow becomes a draft (DRAFT*).
pub fn update(
    tx: &Transaction<'_>,
    waba: &Waba,
    flow_id: &str,
    request: UpdateRequest,
    now: i64,
) -> Result<Value, ApiError> {
    let flow = flow(tx, waba, flow_id)?;
    let state = becomes(flow.state, Operation::UpdateMetadata)?;
    if name_taken(tx, &waba.id, &request.name, Some(&flow.id))? {
        return Err(name_not_unique(&request.name));
    }
    let categories = request.categories.unwrap_or(flow.categories);
    let endpoint_uri = request.endpoint_uri.unwrap_or(flow.endpoint_uri);
    tx.execute(
        "UPDATE flows SET name = ?1, categories = ?2, endpoint_uri = ?3, status = ?4, has_published = ?5,
             updated_at = ?6 WHERE id = ?7",
        params![
            request.name,
            Value::from(categories).to_string(),
            endpoint_uri,
            state.status.as_str(),
            state.has_published,
            now,
            flow.id
        ],
    )?;
    Ok(json!({ "success": true }))
}

fn becomes(state: State, operation: Operation) -> Result<State, ApiError> {
    match lifecycle::apply(state, operation)? {
        Outcome::Becomes(state) => Ok(state),
        Outcome::Deleted => Err(ApiError::Internal(format!("{operation:?} deleted a flow"))),
    }
}

/// `POST …/flows/{id}/assets`: stores the checked flow.json; returns Meta's answer.
pub fn upload(
    tx: &Transaction<'_>,
    waba: &Waba,
    flow_id: &str,
    text: &[u8],
    checked: &Checked,
    now: i64,
) -> Result<Value, ApiError> {
    let flow = flow(tx, waba, flow_id)?;
    let state = becomes(flow.state, Operation::UploadJson)?;
    tx.execute(
        "UPDATE flows SET flow_json = ?1, asset_token = ?2, validation_errors = ?3, json_version = ?4,
             data_api_version = ?5, data_channel_uri = ?6, status = ?7, has_published = ?8, updated_at = ?9
         WHERE id = ?10",
        params![
            text,
            crate::ids::token(32),
            Value::from(checked.errors.clone()).to_string(),
            checked.json_version,
            checked.data_api_version,
            checked.data_channel_uri,
            state.status.as_str(),
            state.has_published,
            now,
            flow.id
        ],
    )?;
    Ok(json!({ "success": true, "validation_errors": checked.errors }))
}

/// `GET …/flows/{id}/assets`.
pub fn assets(tx: &Transaction<'_>, waba: &Waba, flow_id: &str, links: &Links) -> Result<Value, ApiError> {
    let flow = flow(tx, waba, flow_id)?;
    let assets: Vec<Value> = flow
        .asset_token
        .iter()
        .filter(|_| flow.has_json)
        .map(|token| json!({"name": "flow.json", "asset_type": "FLOW_JSON", "download_url": links.download_url(token)}))
        .collect();
    let count = assets.len();
    Ok(json!({ "assets": assets, "count": count, "total": count }))
}

/// `POST …/flows/{id}/publish`.
pub fn publish(tx: &Transaction<'_>, waba: &Waba, flow_id: &str, now: i64) -> Result<Value, ApiError> {
    let flow = flow(tx, waba, flow_id)?;
    let check = Publishable {
        has_json: flow.has_json,
        errors: flow.validation_errors.len(),
        missing_endpoint: flow.data_api_version.is_some()
            && flow.endpoint_uri.is_none()
            && flow.data_channel_uri.is_none(),
    };
    let state = becomes(flow.state, Operation::Publish(check))?;
    tx.execute(
        "UPDATE flows SET status = ?1, has_published = 1, published_versions = published_versions + 1,
             published_json = flow_json, updated_at = ?2 WHERE id = ?3",
        params![state.status.as_str(), now, flow.id],
    )?;
    Ok(json!({ "success": true }))
}

/// `POST …/flows/{id}/deprecate`.
pub fn deprecate(tx: &Transaction<'_>, waba: &Waba, flow_id: &str, now: i64) -> Result<Value, ApiError> {
    let flow = flow(tx, waba, flow_id)?;
    let state = becomes(flow.state, Operation::Deprecate)?;
    set_state(tx, &flow.id, state, now)?;
    Ok(json!({ "success": true }))
}

fn set_state(tx: &Transaction<'_>, flow_id: &str, state: State, now: i64) -> Result<(), ApiError> {
    tx.execute(
        "UPDATE flows SET status = ?1, has_published = ?2, updated_at = ?3 WHERE id = ?4",
        params![state.status.as_str(), state.has_published, now, flow_id],
    )?;
    Ok(())
}

/// `DELETE …/flows/{id}`.
pub fn delete(tx: &Transaction<'_>, waba: &Waba, flow_id: &str) -> Result<Value, ApiError> {
    let flow = flow(tx, waba, flow_id)?;
    match lifecycle::apply(flow.state, Operation::Delete)? {
        Outcome::Deleted => {
            tx.execute("DELETE FROM flows WHERE id = ?1", [&flow.id])?;
            Ok(json!({ "success": true }))
        }
        Outcome::Becomes(_) => Err(ApiError::Internal("delete kept the flow".to_owned())),
    }
}

/// The body of `POST …/flows/migrate_flows`.
#[derive(Debug, Clone)]
pub struct MigrateRequest {
    /// `source_waba_account_id`
    pub source_waba_account_id: String,
    /// `source_flow_names`; `None` migrates every flow.
    pub source_flow_names: Option<Vec<String>>,
}

/// `POST …/flows/migrate_flows`: copies flows of another WABA of the partner by name.
/// Copies keep their status; a name that exists in the destination or not in the source is
/// reported in `failed_flows` and the others still migrate.
pub fn migrate(
    tx: &Transaction<'_>,
    partner_id: &str,
    destination: &Waba,
    request: MigrateRequest,
    now: i64,
) -> Result<Value, ApiError> {
    if request.source_waba_account_id == destination.id {
        return Err(ApiError::field(
            "json",
            "source_waba_account_id",
            "The source is the destination; name another WABA account",
        ));
    }
    let source = waba(tx, partner_id, &request.source_waba_account_id).map_err(|error| match error {
        ApiError::NotFound(_) => ApiError::Forbidden(format!(
            "Permission denied for WABA account {}: it is not one of partner {partner_id}",
            request.source_waba_account_id
        )),
        other => other,
    })?;
    let mut source_flows = flows_of(tx, &source.id)?;
    source_flows.reverse();
    let names: Vec<String> = match request.source_flow_names {
        Some(names) => {
            let mut unique = Vec::new();
            for name in names {
                if !unique.contains(&name) {
                    unique.push(name);
                }
            }
            unique
        }
        None => source_flows.iter().map(|flow| flow.name.clone()).collect(),
    };
    let (mut migrated, mut failed) = (Vec::new(), Vec::new());
    for name in names {
        let Some(flow) = source_flows.iter().find(|flow| flow.name == name) else {
            failed.push(failure(&name, "Flows Migration Error: Flow name not found in source WABA."));
            continue;
        };
        if name_taken(tx, &destination.id, &name, None)? {
            failed.push(failure(
                &name,
                "Flows Migration Error: Flow with the same name exists in destination WABA.",
            ));
            continue;
        }
        let state = becomes(flow.state, Operation::MigrateSource)?;
        let copy = NewFlow {
            name: flow.name.clone(),
            categories: flow.categories.clone(),
            endpoint_uri: flow.endpoint_uri.clone(),
            state,
            json: copy_json(tx, flow)?,
        };
        let id = insert(tx, &destination.id, &copy, None, now)?;
        migrated.push(json!({ "source_name": name, "source_id": flow.id, "migrated_id": id }));
    }
    Ok(json!({ "migrated_flows": migrated, "failed_flows": failed }))
}

fn failure(name: &str, message: &str) -> Value {
    json!({ "source_name": name, "error_code": MIGRATION_ERROR_CODE, "error_message": message })
}

/// The sandbox control: what Meta's health monitoring would do to a flow.
pub fn force_status(
    tx: &Transaction<'_>,
    flow_id: &str,
    status: Status,
    now: i64,
) -> Result<Value, ApiError> {
    let flow = tx
        .query_row(&format!("SELECT {FLOW_COLUMNS} FROM flows WHERE id = ?1"), [flow_id], flow_from_row)
        .optional()?
        .ok_or_else(ApiError::flow_not_found)?;
    let state = becomes(flow.state, Operation::ForceStatus(status))?;
    set_state(tx, &flow.id, state, now)?;
    Ok(json!({ "id": flow.id, "status": state.status.as_str() }))
}

/// The flow.json behind a download token.
pub fn asset_by_token(tx: &Transaction<'_>, token: &str) -> Result<Option<Vec<u8>>, ApiError> {
    Ok(tx
        .query_row("SELECT flow_json FROM flows WHERE asset_token = ?1", [token], |row| row.get(0))
        .optional()?
        .flatten())
}

/// The current flow.json behind a preview token that has not expired.
pub fn preview_by_token(tx: &Transaction<'_>, token: &str, now: i64) -> Result<Option<Vec<u8>>, ApiError> {
    Ok(tx
        .query_row(
            "SELECT flow_json FROM flows WHERE preview_token = ?1 AND preview_expires_at > ?2",
            params![token, now],
            |row| row.get(0),
        )
        .optional()?
        .flatten())
}

/// Query of the partner's channel listing.
#[derive(Debug, Clone, Default)]
pub struct ChannelQuery {
    /// `limit` (default and maximum 1000).
    pub limit: usize,
    /// `offset`.
    pub offset: usize,
    /// `filters` as given (a JSON object).
    pub filters: Map<String, Value>,
    /// `sort` as given (`id`, `-id`, `created_at`, `-created_at`).
    pub sort: String,
}

/// `GET /api/v2/partners/{partner_id}/channels`: the partner's channels with their WABA
/// accounts, which is how clients find WABA account ids.
pub fn channels(tx: &Transaction<'_>, partner_id: &str, query: &ChannelQuery) -> Result<Value, ApiError> {
    partner(tx, partner_id)?;
    let mut statement = tx.prepare(
        "SELECT id, meta_id, name, namespace, channel_id, client_id, phone_number, created_at
         FROM waba_accounts WHERE partner_id = ?1",
    )?;
    let mut channels = statement
        .query_map([partner_id], |row| {
            let created: i64 = row.get(7)?;
            Ok(json!({
                "id": row.get::<_, String>(4)?,
                "client_id": row.get::<_, String>(5)?,
                "status": "ready",
                "account_mode": "live",
                "created_at": super::format_time(created),
                "setup_info": { "phone_number": row.get::<_, String>(6)? },
                "waba_account_id": row.get::<_, String>(0)?,
                "waba_account": {
                    "id": row.get::<_, String>(0)?,
                    "external_id": row.get::<_, String>(1)?,
                    "name": row.get::<_, String>(2)?,
                    "namespace": row.get::<_, String>(3)?,
                    "client_id": row.get::<_, String>(5)?,
                    "created_at": super::format_time(created),
                    "fb_account_status": "APPROVED",
                },
            }))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    channels.retain(|channel| {
        query.filters.iter().all(|(key, wanted)| {
            let value = key.split('.').try_fold(channel, |value, part| value.get(part));
            value == Some(wanted)
        })
    });
    let descending = query.sort.starts_with('-');
    let key = query.sort.trim_start_matches('-').to_owned();
    channels.sort_by(|a, b| {
        let order = a[&key].as_str().cmp(&b[&key].as_str());
        if descending { order.reverse() } else { order }
    });
    let total = channels.len();
    let page: Vec<Value> = channels.into_iter().skip(query.offset).take(query.limit).collect();
    Ok(json!({
        "count": page.len(),
        "filters": query.filters,
        "limit": query.limit,
        "offset": query.offset,
        "sort": [query.sort],
        "total": total,
        "partner_channels": page,
    }))
}
