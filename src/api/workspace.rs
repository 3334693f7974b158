//! The typed client of the server's workspace (`/api/accounts`, `/api/flows…`): the team's
//! flows with their versions, kept by `flowsmith serve`. Only through the same-origin server
//! (there is no workspace in direct mode). Answers are read by hand from `Value`s, as the
//! Partner API's are (smaller bundle than derived deserializers).
use serde_json::{Map, Value, json};

use super::transport::{HttpRequest, Method, Transport, encode_query};
use super::types::ValidationError;
use super::{ApiError, Client, ErrorKind, Via};

/// The header naming who makes a change on a server nobody signs in to, percent-encoded (a
/// signed-in user is known by the session).
pub const USER_HEADER: &str = "X-Flowsmith-User";

/// An account of the workspace.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct WsAccount {
    /// The workspace's id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// `sandbox`, `360dialog` or `graph`.
    pub backend: String,
    /// The backend's id (360dialog's `…WA`).
    pub external_id: String,
    /// Meta's id of the WABA.
    pub waba_id: Option<String>,
}

/// A flow of the workspace (without its flow.json).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct WsFlow {
    /// The workspace's id.
    pub id: String,
    /// Its account.
    pub account_id: String,
    /// Its name.
    pub name: String,
    /// Its categories.
    pub categories: Vec<String>,
    /// WhatsApp's status (`DRAFT` until published).
    pub status: String,
    /// WhatsApp's flow id once saved there.
    pub meta_flow_id: Option<String>,
    /// Its revision.
    pub revision: i64,
    /// Whether it has changes not saved to WhatsApp.
    pub unsaved: bool,
    /// Meta's validation errors of what WhatsApp has.
    pub validation_errors: Vec<ValidationError>,
    /// When a sync found WhatsApp's flow.json changed beside unsaved work.
    pub conflict_at: Option<String>,
    /// Who changed it last.
    pub updated_by: String,
    /// When (RFC 3339).
    pub updated_at: String,
    /// When it went to the trash.
    pub deleted_at: Option<String>,
    /// When the trash empties it.
    pub purge_at: Option<String>,
}

fn text(value: &Value, key: &str) -> String {
    value.get(key).and_then(Value::as_str).unwrap_or_default().to_owned()
}

fn optional(value: &Value, key: &str) -> Option<String> {
    value.get(key).and_then(Value::as_str).map(str::to_owned)
}

impl WsAccount {
    /// Its name and what it is reached through, for choosing it: `Clinic (Meta)`.
    pub fn choice(&self) -> String {
        let backend = match self.backend.as_str() {
            "sandbox" => "Sandbox",
            "graph" => "Meta",
            _ => "360dialog",
        };
        format!("{} ({backend})", self.name)
    }

    fn read(value: &Value) -> Self {
        WsAccount {
            id: text(value, "id"),
            name: text(value, "name"),
            backend: text(value, "backend"),
            external_id: text(value, "external_id"),
            waba_id: optional(value, "waba_id"),
        }
    }
}

impl WsFlow {
    /// Reads a flow of an answer.
    pub fn read(value: &Value) -> Self {
        WsFlow {
            id: text(value, "id"),
            account_id: text(value, "account_id"),
            name: text(value, "name"),
            categories: value
                .get("categories")
                .and_then(Value::as_array)
                .map(|list| list.iter().filter_map(Value::as_str).map(str::to_owned).collect())
                .unwrap_or_default(),
            status: text(value, "status"),
            meta_flow_id: optional(value, "meta_flow_id"),
            revision: value.get("revision").and_then(Value::as_i64).unwrap_or_default(),
            unsaved: value.get("has_unsaved_changes").and_then(Value::as_bool).unwrap_or(true),
            validation_errors: ValidationError::read_all(value),
            conflict_at: optional(value, "conflict_at"),
            updated_by: text(value, "updated_by"),
            updated_at: text(value, "updated_at"),
            deleted_at: optional(value, "deleted_at"),
            purge_at: optional(value, "purge_at"),
        }
    }
}

/// A page of flows.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct WsPage {
    /// The flows of the page.
    pub items: Vec<WsFlow>,
    /// How many match in all.
    pub total: i64,
    /// The page (1-based).
    pub page: i64,
    /// Flows per page.
    pub limit: i64,
}

/// What to list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WsQuery {
    /// 1-based page.
    pub page: i64,
    /// Flows per page (at most 100).
    pub limit: i64,
    /// Only this status (empty: all).
    pub status: String,
    /// Only this account (empty: all).
    pub account_id: String,
    /// Only names holding this text.
    pub text: String,
    /// `-updated`, `updated`, `name`, `-name`, `-created`.
    pub sort: String,
    /// The trash instead.
    pub trash: bool,
}

impl Default for WsQuery {
    fn default() -> Self {
        WsQuery {
            page: 1,
            limit: 20,
            status: String::new(),
            account_id: String::new(),
            text: String::new(),
            sort: "-updated".to_owned(),
            trash: false,
        }
    }
}

impl WsQuery {
    /// The query string.
    pub fn to_query(&self) -> String {
        let mut parts = vec![format!("page={}", self.page), format!("limit={}", self.limit)];
        for (key, value) in [
            ("status", &self.status),
            ("account_id", &self.account_id),
            ("q", &self.text),
            ("sort", &self.sort),
        ] {
            if !value.trim().is_empty() {
                parts.push(format!("{key}={}", encode_query(value.trim())));
            }
        }
        if self.trash {
            parts.push("trash=1".to_owned());
        }
        parts.join("&")
    }
}

/// A saved state of a flow.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct WsVersion {
    /// The revision it was.
    pub revision: i64,
    /// The flow's name then.
    pub name: String,
    /// `created`, `autosave`, `named`, `saved_to_whatsapp`, `published`, `restored`, `synced`.
    pub reason: String,
    /// The user's name for it.
    pub label: Option<String>,
    /// Who.
    pub author: String,
    /// When (RFC 3339).
    pub created_at: String,
    /// Meta's errors when it was saved to WhatsApp.
    pub whatsapp_errors: Option<usize>,
}

impl WsVersion {
    fn read(value: &Value) -> Self {
        WsVersion {
            revision: value.get("revision").and_then(Value::as_i64).unwrap_or_default(),
            name: text(value, "name"),
            reason: text(value, "reason"),
            label: optional(value, "label"),
            author: text(value, "author"),
            created_at: text(value, "created_at"),
            whatsapp_errors: value.get("validation_errors").and_then(Value::as_array).map(Vec::len),
        }
    }

    /// The reason for people.
    pub fn reason_label(&self) -> &'static str {
        match self.reason.as_str() {
            "created" => "Created",
            "autosave" => "Autosaved",
            "named" => "Named version",
            "saved_to_whatsapp" => "Saved to WhatsApp",
            "published" => "Published",
            "restored" => "Restored",
            "synced" => "From WhatsApp",
            _ => "Saved",
        }
    }
}

/// What a sync did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SyncReport {
    /// Flows looked at.
    pub synced: u64,
    /// New to the workspace.
    pub new: u64,
    /// Changed in the workspace.
    pub updated: u64,
    /// Left as conflicts.
    pub conflicts: u64,
}

/// A refused or failed workspace call: the error for people, the workspace's stable `code`,
/// and, for a stale revision, the flow as it is now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WsError {
    /// What to tell people (boxed: errors travel far and are rare).
    pub error: Box<ApiError>,
    /// `stale_revision`, `read_only`, `name_taken`, … (empty when no answer came).
    pub code: String,
    /// The flow as it is now (`stale_revision`), boxed: errors travel far and are rare.
    pub current: Option<Box<WsFlow>>,
}

impl WsError {
    fn offline(cause: String) -> Self {
        WsError { error: Box::new(ApiError::offline(cause)), code: String::new(), current: None }
    }

    /// Reads the workspace's error envelope.
    pub fn read(status: u16, body: &str) -> Self {
        let parsed = flow_model::json::read(body).ok();
        let Some(error) = parsed.as_ref().and_then(|value| value.get("error")).filter(|e| e.is_object())
        else {
            return WsError {
                error: Box::new(ApiError::from_answer(status, body)),
                code: String::new(),
                current: None,
            };
        };
        let kind = match status {
            401 => ErrorKind::Unauthorized,
            403 => ErrorKind::Forbidden,
            404 => ErrorKind::NotFound,
            413 => ErrorKind::TooLarge,
            502 | 504 => ErrorKind::Upstream,
            500..=599 => ErrorKind::Server,
            _ => ErrorKind::Refused,
        };
        let api = ApiError {
            kind,
            status: Some(status),
            message: text(error, "message"),
            trace_id: optional(error, "trace_id"),
            graph: None,
        };
        WsError {
            error: Box::new(api),
            code: text(error, "code"),
            current: error.get("current").map(|flow| Box::new(WsFlow::read(flow))),
        }
    }

    /// Whether no answer came (the change waits to be sent again).
    pub fn is_offline(&self) -> bool {
        self.error.kind == ErrorKind::Offline
    }

    /// The message for people.
    pub fn for_people(&self) -> String {
        match self.error.kind {
            // The workspace's own messages already say what happened and what to do (a role's
            // refusal says which role it takes).
            ErrorKind::NotFound | ErrorKind::Refused | ErrorKind::Forbidden => {
                let mut text = self.error.message.clone();
                if !text.ends_with('.') {
                    text.push('.');
                }
                text
            }
            _ => self.error.for_people(),
        }
    }
}

/// The JSON body of a change.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct WsChange {
    /// The revision last seen.
    pub revision: i64,
    /// The new flow.json text (sent as written).
    pub text: Option<String>,
    /// A new name.
    pub name: Option<String>,
    /// New categories.
    pub categories: Option<Vec<String>>,
    /// A label: the change is then a named version.
    pub label: Option<String>,
}

impl WsChange {
    fn body(&self) -> String {
        let mut object = Map::new();
        object.insert("revision".into(), json!(self.revision));
        if let Some(name) = &self.name {
            object.insert("name".into(), json!(name));
        }
        if let Some(categories) = &self.categories {
            object.insert("categories".into(), json!(categories));
        }
        if let Some(label) = &self.label {
            object.insert("reason".into(), json!("named"));
            object.insert("label".into(), json!(label));
        }
        let head = flow_model::json::compact(&Value::Object(object));
        match &self.text {
            // The flow.json goes in as written (it is JSON): no second serialization of a
            // large flow, and the server keeps it byte for byte.
            Some(text) => format!("{},\"json_definition\":{text}}}", head.trim_end_matches('}')),
            None => head,
        }
    }
}

impl<T: Transport> Client<T> {
    fn workspace_url(&self, path: &str) -> Result<String, WsError> {
        match &self.via {
            Via::Server { origin } => Ok(format!("{origin}/api/{path}")),
            Via::Direct { .. } => Err(WsError {
                error: Box::new(ApiError::refused(
                    "The workspace is on the server: switch Connection to this server",
                )),
                code: String::new(),
                current: None,
            }),
        }
    }

    /// One workspace call; answers its `data`.
    pub(super) async fn workspace(
        &self,
        method: Method,
        path: String,
        body: Option<String>,
        user: &str,
    ) -> Result<Value, WsError> {
        let url = self.workspace_url(&path)?;
        let mut headers = Vec::new();
        if !user.trim().is_empty() {
            headers.push((USER_HEADER, encode_query(user.trim())));
        }
        if body.is_some() {
            headers.push(("Content-Type", "application/json".to_owned()));
        }
        let response = self
            .transport
            .send(HttpRequest { method, url, headers, body })
            .await
            .map_err(WsError::offline)?;
        if !(200..300).contains(&response.status) {
            return Err(WsError::read(response.status, &response.body));
        }
        match flow_model::json::read(&response.body) {
            Ok(mut value) if value.get("status").and_then(Value::as_str) == Some("success") => {
                Ok(value.get_mut("data").map(Value::take).unwrap_or(Value::Null))
            }
            _ => Err(WsError {
                error: Box::new(ApiError::unexpected(response.status, "the workspace's answer")),
                code: String::new(),
                current: None,
            }),
        }
    }

    /// The accounts the server reaches.
    pub async fn ws_accounts(&self) -> Result<Vec<WsAccount>, WsError> {
        let value = self.workspace(Method::Get, "accounts".into(), None, "").await?;
        Ok(value.as_array().map(|list| list.iter().map(WsAccount::read).collect()).unwrap_or_default())
    }

    /// Who is signed in (`GET /api/session`): the envelope's `data`.
    pub async fn ws_session(&self) -> Result<Value, WsError> {
        self.workspace(Method::Get, "session".into(), None, "").await
    }

    /// Signs out (`DELETE /api/session`).
    pub async fn ws_sign_out(&self) -> Result<Value, WsError> {
        self.workspace(Method::Delete, "session".into(), None, "").await
    }

    /// A page of flows.
    pub async fn ws_list(&self, query: &WsQuery) -> Result<WsPage, WsError> {
        let value = self.workspace(Method::Get, format!("flows?{}", query.to_query()), None, "").await?;
        let number = |key: &str| value.get(key).and_then(Value::as_i64).unwrap_or_default();
        Ok(WsPage {
            items: value
                .get("items")
                .and_then(Value::as_array)
                .map(|list| list.iter().map(WsFlow::read).collect())
                .unwrap_or_default(),
            total: number("total"),
            page: number("page"),
            limit: number("limit"),
        })
    }

    /// A flow with its flow.json (as a value).
    pub async fn ws_get(&self, id: &str) -> Result<(WsFlow, Value), WsError> {
        let mut value = self.workspace(Method::Get, format!("flows/{}", encode_query(id)), None, "").await?;
        let json = value.get_mut("json_definition").map(Value::take).unwrap_or(Value::Null);
        Ok((WsFlow::read(&value), json))
    }

    /// Creates a flow from `text` (a flow.json).
    pub async fn ws_create(
        &self,
        account_id: &str,
        name: &str,
        text: &str,
        user: &str,
    ) -> Result<WsFlow, WsError> {
        let head = flow_model::json::compact(
            &json!({ "account_id": account_id, "name": name, "categories": ["OTHER"] }),
        );
        let body = format!("{},\"json_definition\":{text}}}", head.trim_end_matches('}'));
        self.workspace(Method::Post, "flows".into(), Some(body), user).await.map(|value| WsFlow::read(&value))
    }

    /// Changes a flow if it is still at `change.revision`.
    pub async fn ws_update(&self, id: &str, change: &WsChange, user: &str) -> Result<WsFlow, WsError> {
        let path = format!("flows/{}", encode_query(id));
        self.workspace(Method::Put, path, Some(change.body()), user).await.map(|value| WsFlow::read(&value))
    }

    /// An operation on a flow with no body: `restore`, `save-to-meta`, `publish`,
    /// `deprecate`, `draft`; or `DELETE` (to the trash) with an empty `operation`.
    pub async fn ws_operation(&self, id: &str, operation: &str, user: &str) -> Result<Value, WsError> {
        let id = encode_query(id);
        if operation.is_empty() {
            return self.workspace(Method::Delete, format!("flows/{id}"), None, user).await;
        }
        self.workspace(Method::Post, format!("flows/{id}/{operation}"), Some("{}".into()), user).await
    }

    /// The versions of a flow, newest first.
    pub async fn ws_versions(&self, id: &str) -> Result<Vec<WsVersion>, WsError> {
        let value =
            self.workspace(Method::Get, format!("flows/{}/versions", encode_query(id)), None, "").await?;
        Ok(value.as_array().map(|list| list.iter().map(WsVersion::read).collect()).unwrap_or_default())
    }

    /// One version's flow.json.
    pub async fn ws_version_json(&self, id: &str, revision: i64) -> Result<Value, WsError> {
        let mut value = self
            .workspace(Method::Get, format!("flows/{}/versions/{revision}", encode_query(id)), None, "")
            .await?;
        Ok(value.get_mut("json_definition").map(Value::take).unwrap_or(Value::Null))
    }

    /// Restores a version as a new revision (refused if the flow moved past `seen`).
    pub async fn ws_restore_version(
        &self,
        id: &str,
        revision: i64,
        seen: i64,
        user: &str,
    ) -> Result<WsFlow, WsError> {
        let path = format!("flows/{}/versions/{revision}/restore", encode_query(id));
        let body = flow_model::json::compact(&json!({ "revision": seen }));
        self.workspace(Method::Post, path, Some(body), user).await.map(|value| WsFlow::read(&value))
    }

    /// Names the current state of a flow.
    pub async fn ws_name_version(&self, id: &str, label: &str, user: &str) -> Result<WsVersion, WsError> {
        let body = flow_model::json::compact(&json!({ "label": label }));
        let path = format!("flows/{}/versions", encode_query(id));
        self.workspace(Method::Post, path, Some(body), user).await.map(|value| WsVersion::read(&value))
    }

    /// Imports every flow of an account from WhatsApp.
    pub async fn ws_sync(&self, account_id: &str, user: &str) -> Result<SyncReport, WsError> {
        let body = flow_model::json::compact(&json!({ "account_id": account_id }));
        let value = self.workspace(Method::Post, "flows/sync".into(), Some(body), user).await?;
        let count = |key: &str| value.get(key).and_then(Value::as_u64).unwrap_or_default();
        Ok(SyncReport {
            synced: count("synced"),
            new: count("new"),
            updated: count("updated"),
            conflicts: count("conflicts"),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_account_is_chosen_with_its_backend() {
        let account = |backend: &str| {
            WsAccount::read(&serde_json::json!({"id": "a", "name": "Clinic", "backend": backend})).choice()
        };
        assert_eq!(account("graph"), "Clinic (Meta)");
        assert_eq!(account("sandbox"), "Clinic (Sandbox)");
        assert_eq!(account("360dialog"), "Clinic (360dialog)");
    }

    #[test]
    fn a_change_carries_the_flow_json_as_written() {
        let change = WsChange { revision: 3, text: Some("{\"n\": 1.0}".into()), ..WsChange::default() };
        assert_eq!(change.body(), "{\"revision\":3,\"json_definition\":{\"n\": 1.0}}");
        let named = WsChange {
            revision: 4,
            name: Some("Survey".into()),
            label: Some("Final".into()),
            ..WsChange::default()
        };
        assert_eq!(
            named.body(),
            "{\"revision\":4,\"name\":\"Survey\",\"reason\":\"named\",\"label\":\"Final\"}"
        );
    }

    #[test]
    fn queries_name_only_what_is_set() {
        let query = WsQuery { text: "Sign up".into(), trash: true, ..WsQuery::default() };
        assert_eq!(query.to_query(), "page=1&limit=20&q=Sign%20up&sort=-updated&trash=1");
    }

    #[test]
    fn the_envelope_gives_code_message_and_current() {
        let body = r#"{"status":"error","error":{"code":"stale_revision","message":"Ana saved this flow meanwhile","trace_id":"t9",
            "current":{"id":"f","revision":4,"updated_by":"Ana","has_unsaved_changes":true}}}"#;
        let error = WsError::read(409, body);
        assert_eq!(error.code, "stale_revision");
        assert_eq!(
            error.current.as_ref().map(|flow| (flow.revision, flow.updated_by.as_str())),
            Some((4, "Ana"))
        );
        assert_eq!(error.for_people(), "Ana saved this flow meanwhile.");
        assert!(!error.is_offline());
        assert!(WsError::offline("TypeError".into()).is_offline());
        let other = WsError::read(502, "<html>bad gateway</html>");
        assert_eq!((other.code.as_str(), other.error.kind), ("", ErrorKind::Upstream));
    }
}
