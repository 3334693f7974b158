//! What the Partner API flows operations take and return (the seed OpenAPI's schemas), read
//! leniently: a missing field is its default, an unknown one is ignored.
use serde_json::{Map, Value};

/// Meta's flow categories, in the contract's order, with labels for people.
pub const CATEGORIES: &[(&str, &str)] = &[
    ("SIGN_UP", "Sign up"),
    ("SIGN_IN", "Sign in"),
    ("APPOINTMENT_BOOKING", "Appointment booking"),
    ("LEAD_GENERATION", "Lead generation"),
    ("CONTACT_US", "Contact us"),
    ("CUSTOMER_SUPPORT", "Customer support"),
    ("SURVEY", "Survey"),
    ("OTHER", "Other"),
];

/// What `/flowsmith/config` says about the server.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ServerConfig {
    /// `sandbox`, `360dialog` or `graph` (Meta's Graph API).
    pub mode: String,
    /// The partner id the server is configured for, if any.
    pub partner_id: Option<String>,
    /// The server's version.
    pub version: String,
    /// Whether the server keeps a workspace (`/api/flows…`).
    pub workspace: bool,
}

impl ServerConfig {
    /// Whether the server answers from its sandbox.
    pub fn is_sandbox(&self) -> bool {
        self.mode == "sandbox"
    }
}

/// A WhatsApp Business Account of the partner, from the channel listing.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct WabaAccount {
    /// 360dialog's id (`…WA`).
    pub id: String,
    /// Its name.
    pub name: String,
}

/// One of Meta's `validation_errors`: where (1-based lines and columns of the uploaded
/// flow.json) and what.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ValidationError {
    /// Meta's code, e.g. `INVALID_PROPERTY_VALUE`.
    pub error: String,
    /// e.g. `FLOW_JSON_ERROR`.
    pub error_type: String,
    /// For people.
    pub message: String,
    /// First line.
    pub line_start: Option<usize>,
    /// First column.
    pub column_start: Option<usize>,
    /// The places, with Meta's path (`screens[0].layout.children[1].type`).
    pub pointers: Vec<ErrorPointer>,
}

/// A place a validation error points at.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ErrorPointer {
    /// Meta's path.
    pub path: String,
    /// First line.
    pub line_start: Option<usize>,
    /// First column.
    pub column_start: Option<usize>,
}

/// A flow as the list and get operations return it (the fields asked for).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FlowInfo {
    /// Meta's flow id.
    pub id: String,
    /// Its name (unique in the account).
    pub name: String,
    /// `DRAFT`, `PUBLISHED`, `THROTTLED`, `BLOCKED` or `DEPRECATED`.
    pub status: String,
    /// Meta's categories.
    pub categories: Vec<String>,
    /// Meta's findings on its flow.json.
    pub validation_errors: Vec<ValidationError>,
    /// The flow.json's `version`.
    pub json_version: Option<String>,
    /// The endpoint, for flows with one.
    pub endpoint_uri: Option<String>,
}

/// An asset of a flow: its flow.json.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Asset {
    /// `flow.json`.
    pub name: String,
    /// `FLOW_JSON`.
    pub asset_type: String,
    /// Where to download it (short-lived).
    pub download_url: String,
}

/// A web preview link.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Preview {
    /// The page to open or embed.
    pub preview_url: String,
    /// When it stops working (`2024-02-29T06:35:40+0000`).
    pub expires_at: String,
}

/// The fields of a new flow.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NewFlow {
    /// Its name.
    pub name: String,
    /// At least one category.
    pub categories: Vec<String>,
    /// A flow to copy the flow.json of.
    pub clone_flow_id: Option<String>,
    /// The endpoint, for flows with one.
    pub endpoint_uri: Option<String>,
}

/// New metadata of a flow (`name` is required by the contract).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FlowUpdate {
    /// Its name.
    pub name: String,
    /// Its categories.
    pub categories: Vec<String>,
    /// The endpoint, when the flow has one.
    pub endpoint_uri: Option<String>,
}

/// What a migration did, per flow name.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Migration {
    /// Copied flows.
    pub migrated_flows: Vec<Migrated>,
    /// Flows that were not copied, with why.
    pub failed_flows: Vec<MigrationFailure>,
}

/// A copied flow.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Migrated {
    /// Its name in the source account.
    pub source_name: String,
    /// Its id in the source account.
    pub source_id: String,
    /// The new flow's id.
    pub migrated_id: String,
}

/// A flow that was not copied.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MigrationFailure {
    /// Its name in the source account.
    pub source_name: String,
    /// Meta's code (4233041), a string or a number on the wire.
    pub error_code: String,
    /// Why.
    pub error_message: String,
}

// Reading answers: by hand from a `serde_json::Value` (already in the app for flow.json), which
// costs the bundle far less than a derived deserializer per type. Missing or mistyped fields
// read as empty, so an answer with more or fewer fields than the contract still reads.

/// A string field (a number is written out: Meta sends some codes as numbers).
pub(super) fn text(value: &Value, key: &str) -> String {
    match value.get(key) {
        Some(Value::String(text)) => text.clone(),
        Some(Value::Number(number)) => number.to_string(),
        _ => String::new(),
    }
}

fn position(value: &Value, key: &str) -> Option<usize> {
    value.get(key).and_then(Value::as_u64).and_then(|n| usize::try_from(n).ok())
}

/// The items of an array field (none when absent).
pub(super) fn items<'v>(value: &'v Value, key: &str) -> &'v [Value] {
    value.get(key).and_then(Value::as_array).map_or(&[], Vec::as_slice)
}

impl ServerConfig {
    pub(super) fn read(value: &Value) -> Self {
        ServerConfig {
            mode: text(value, "mode"),
            partner_id: flow_model::json::string(value, "partner_id"),
            version: text(value, "version"),
            workspace: value.get("workspace").is_some_and(Value::is_object),
        }
    }
}

impl WabaAccount {
    /// The accounts of a channel listing (`partner_channels[].waba_account`), each once.
    pub(super) fn read_channels(value: &Value) -> Vec<WabaAccount> {
        let mut accounts: Vec<WabaAccount> = Vec::new();
        for channel in items(value, "partner_channels") {
            let account = channel.get("waba_account").unwrap_or(&Value::Null);
            let mut id = text(account, "id");
            if id.is_empty() {
                id = text(channel, "waba_account_id");
            }
            let mut name = text(account, "name");
            if name.is_empty() {
                name = channel.get("setup_info").map(|info| text(info, "phone_number")).unwrap_or_default();
            }
            if !id.is_empty() && !accounts.iter().any(|known| known.id == id) {
                accounts.push(WabaAccount { id, name });
            }
        }
        accounts
    }
}

impl ValidationError {
    pub(super) fn read(value: &Value) -> Self {
        ValidationError {
            error: text(value, "error"),
            error_type: text(value, "error_type"),
            message: text(value, "message"),
            line_start: position(value, "line_start"),
            column_start: position(value, "column_start"),
            pointers: items(value, "pointers")
                .iter()
                .map(|pointer| ErrorPointer {
                    path: text(pointer, "path"),
                    line_start: position(pointer, "line_start"),
                    column_start: position(pointer, "column_start"),
                })
                .collect(),
        }
    }

    pub fn read_all(value: &Value) -> Vec<ValidationError> {
        items(value, "validation_errors").iter().map(ValidationError::read).collect()
    }
}

impl FlowInfo {
    pub(super) fn read(value: &Value) -> Self {
        FlowInfo {
            id: text(value, "id"),
            name: text(value, "name"),
            status: text(value, "status"),
            categories: items(value, "categories")
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect(),
            validation_errors: ValidationError::read_all(value),
            json_version: flow_model::json::string(value, "json_version"),
            endpoint_uri: flow_model::json::string(value, "endpoint_uri"),
        }
    }
}

impl Asset {
    pub(super) fn read(value: &Value) -> Self {
        Asset {
            name: text(value, "name"),
            asset_type: text(value, "asset_type"),
            download_url: text(value, "download_url"),
        }
    }
}

impl Preview {
    pub(super) fn read(value: &Value) -> Self {
        let preview = value.get("preview").unwrap_or(&Value::Null);
        Preview { preview_url: text(preview, "preview_url"), expires_at: text(preview, "expires_at") }
    }
}

impl Migration {
    pub(super) fn read(value: &Value) -> Self {
        Migration {
            migrated_flows: items(value, "migrated_flows")
                .iter()
                .map(|flow| Migrated {
                    source_name: text(flow, "source_name"),
                    source_id: text(flow, "source_id"),
                    migrated_id: text(flow, "migrated_id"),
                })
                .collect(),
            failed_flows: items(value, "failed_flows")
                .iter()
                .map(|flow| MigrationFailure {
                    source_name: text(flow, "source_name"),
                    error_code: text(flow, "error_code"),
                    error_message: text(flow, "error_message"),
                })
                .collect(),
        }
    }
}

fn strings(list: &[String]) -> Value {
    Value::Array(list.iter().cloned().map(Value::from).collect())
}

impl NewFlow {
    pub(super) fn to_json(&self) -> String {
        let mut body = Map::new();
        body.insert("name".into(), Value::from(self.name.clone()));
        body.insert("categories".into(), strings(&self.categories));
        if let Some(id) = &self.clone_flow_id {
            body.insert("clone_flow_id".into(), Value::from(id.clone()));
        }
        if let Some(uri) = &self.endpoint_uri {
            body.insert("endpoint_uri".into(), Value::from(uri.clone()));
        }
        flow_model::json::compact(&Value::Object(body))
    }
}

impl FlowUpdate {
    pub(super) fn to_json(&self) -> String {
        let mut body = Map::new();
        body.insert("name".into(), Value::from(self.name.clone()));
        body.insert("categories".into(), strings(&self.categories));
        if let Some(uri) = &self.endpoint_uri {
            body.insert("endpoint_uri".into(), Value::from(uri.clone()));
        }
        flow_model::json::compact(&Value::Object(body))
    }
}
