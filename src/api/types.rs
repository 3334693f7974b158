//! What the Partner API flows operations take and return (the seed OpenAPI's schemas), read
//! leniently: a missing field is its default, an unknown one is ignored.
use serde::{Deserialize, Serialize};
use serde_json::Value;

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
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
pub struct ServerConfig {
    /// `sandbox` or `360dialog`.
    #[serde(default)]
    pub mode: String,
    /// The partner id the server is configured for, if any.
    #[serde(default)]
    pub partner_id: Option<String>,
    /// The server's version.
    #[serde(default)]
    pub version: String,
}

impl ServerConfig {
    /// Whether the server answers from its sandbox.
    pub fn is_sandbox(&self) -> bool {
        self.mode == "sandbox"
    }
}

/// A WhatsApp Business Account of the partner, from the channel listing.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
pub struct WabaAccount {
    /// 360dialog's id (`…WA`).
    #[serde(default)]
    pub id: String,
    /// Its name.
    #[serde(default)]
    pub name: String,
}

#[derive(Deserialize)]
pub(super) struct Channels {
    #[serde(default)]
    pub partner_channels: Vec<Channel>,
}

#[derive(Deserialize)]
pub(super) struct Channel {
    #[serde(default)]
    pub waba_account: Option<WabaAccount>,
    #[serde(default)]
    pub waba_account_id: Option<String>,
    #[serde(default)]
    pub setup_info: Option<Value>,
}

/// One of Meta's `validation_errors`: where (1-based lines and columns of the uploaded
/// flow.json) and what.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ValidationError {
    /// Meta's code, e.g. `INVALID_PROPERTY_VALUE`.
    #[serde(default)]
    pub error: String,
    /// e.g. `FLOW_JSON_ERROR`.
    #[serde(default)]
    pub error_type: String,
    /// For people.
    #[serde(default)]
    pub message: String,
    /// First line.
    #[serde(default)]
    pub line_start: Option<usize>,
    /// First column.
    #[serde(default)]
    pub column_start: Option<usize>,
    /// The places, with Meta's path (`screens[0].layout.children[1].type`).
    #[serde(default)]
    pub pointers: Vec<ErrorPointer>,
}

/// A place a validation error points at.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ErrorPointer {
    /// Meta's path.
    #[serde(default)]
    pub path: String,
    /// First line.
    #[serde(default)]
    pub line_start: Option<usize>,
    /// First column.
    #[serde(default)]
    pub column_start: Option<usize>,
}

/// A flow as the list and get operations return it (the fields asked for).
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
pub struct FlowInfo {
    /// Meta's flow id.
    #[serde(default)]
    pub id: String,
    /// Its name (unique in the account).
    #[serde(default)]
    pub name: String,
    /// `DRAFT`, `PUBLISHED`, `THROTTLED`, `BLOCKED` or `DEPRECATED`.
    #[serde(default)]
    pub status: String,
    /// Meta's categories.
    #[serde(default)]
    pub categories: Vec<String>,
    /// Meta's findings on its flow.json.
    #[serde(default)]
    pub validation_errors: Vec<ValidationError>,
    /// The flow.json's `version`.
    #[serde(default)]
    pub json_version: Option<String>,
    /// The endpoint, for flows with one.
    #[serde(default)]
    pub endpoint_uri: Option<String>,
}

#[derive(Deserialize)]
pub(super) struct FlowList {
    #[serde(default)]
    pub flows: Vec<FlowInfo>,
}

#[derive(Deserialize)]
pub(super) struct Created {
    pub id: String,
}

#[derive(Deserialize)]
pub(super) struct Uploaded {
    #[serde(default)]
    pub validation_errors: Vec<ValidationError>,
}

#[derive(Deserialize)]
pub(super) struct Assets {
    #[serde(default)]
    pub assets: Vec<Asset>,
}

/// An asset of a flow: its flow.json.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
pub struct Asset {
    /// `flow.json`.
    #[serde(default)]
    pub name: String,
    /// `FLOW_JSON`.
    #[serde(default)]
    pub asset_type: String,
    /// Where to download it (short-lived).
    #[serde(default)]
    pub download_url: String,
}

/// A web preview link.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
pub struct Preview {
    /// The page to open or embed.
    #[serde(default)]
    pub preview_url: String,
    /// When it stops working (`2024-02-29T06:35:40+0000`).
    #[serde(default)]
    pub expires_at: String,
}

#[derive(Deserialize)]
pub(super) struct PreviewOut {
    pub preview: Preview,
}

/// The fields of a new flow.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct NewFlow {
    /// Its name.
    pub name: String,
    /// At least one category.
    pub categories: Vec<String>,
    /// A flow to copy the flow.json of.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub clone_flow_id: Option<String>,
    /// The endpoint, for flows with one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub endpoint_uri: Option<String>,
}

/// New metadata of a flow (`name` is required by the contract).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct FlowUpdate {
    /// Its name.
    pub name: String,
    /// Its categories.
    pub categories: Vec<String>,
    /// The endpoint, when the flow has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub endpoint_uri: Option<String>,
}

/// What a migration did, per flow name.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
pub struct Migration {
    /// Copied flows.
    #[serde(default)]
    pub migrated_flows: Vec<Migrated>,
    /// Flows that were not copied, with why.
    #[serde(default)]
    pub failed_flows: Vec<MigrationFailure>,
}

/// A copied flow.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
pub struct Migrated {
    /// Its name in the source account.
    #[serde(default)]
    pub source_name: String,
    /// Its id in the source account.
    #[serde(default)]
    pub source_id: String,
    /// The new flow's id.
    #[serde(default)]
    pub migrated_id: String,
}

/// A flow that was not copied.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
pub struct MigrationFailure {
    /// Its name in the source account.
    #[serde(default)]
    pub source_name: String,
    /// Meta's code (4233041), a string or a number on the wire.
    #[serde(default, deserialize_with = "text_or_number")]
    pub error_code: String,
    /// Why.
    #[serde(default)]
    pub error_message: String,
}

fn text_or_number<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    Ok(match Value::deserialize(deserializer)? {
        Value::String(text) => text,
        Value::Null => String::new(),
        other => other.to_string(),
    })
}
