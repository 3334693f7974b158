//! Who may call what: one table, [`RULES`], read by the guard ([`super::layer::guard`]) for
//! every request the API router matched, keyed by the route's pattern and the method. A route
//! without a rule is refused to everyone (500 `no_access_rule`) in every mode, so a new route
//! works nowhere until it is given one, and the route-table test (`tests/auth.rs`) then checks
//! it with no session and with each role.
//!
//! The Partner API (the front at `/api/v2/…` and the sandbox's `/sandbox/api/v2/…`) is one
//! route with many operations; [`partner_operation`] gives each its rule.
use axum::http::Method;

use super::Role;

/// What a route needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone, signed in or not.
    Public,
    /// A session whose user has at least this role (when sign-in is required).
    Role(Role),
    /// The rule of the Partner API operation the path names ([`partner_operation`]).
    PartnerOperation,
    /// Anyone, for WhatsApp's servers: the route checks its caller itself (Meta's verify
    /// token, the delivery's `X-Hub-Signature-256`, or a secret path) and has no same-origin
    /// check.
    Webhook,
    /// The rule of the sandbox's Graph API operation the path names ([`graph_operation`]).
    GraphOperation,
}

/// A route's rule: who may call it, and what the audit log calls it (when it is audited).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    /// Who.
    pub access: Access,
    /// The audit log's action, for routes every call of which is recorded.
    pub audit: Option<&'static str>,
}

const fn role(role: Role) -> Rule {
    Rule { access: Access::Role(role), audit: None }
}

const fn audited(role: Role, action: &'static str) -> Rule {
    Rule { access: Access::Role(role), audit: Some(action) }
}

const PUBLIC: Rule = Rule { access: Access::Public, audit: None };
const PARTNER: Rule = Rule { access: Access::PartnerOperation, audit: None };
const WEBHOOK: Rule = Rule { access: Access::Webhook, audit: None };
const GRAPH: Rule = Rule { access: Access::GraphOperation, audit: None };
const VIEWER: Rule = role(Role::Viewer);
const EDITOR: Rule = role(Role::Editor);
const ADMIN: Rule = role(Role::Admin);

/// Any method (for routes that answer every method alike, such as 404s).
pub const ANY: &str = "*";

/// Every guarded route (the API router and the webhooks): pattern (as axum matched it), method, rule.
pub const RULES: &[(&str, &str, Rule)] = &[
    // Sign-in itself, and the app's knowledge of the server.
    ("/api/session", "GET", PUBLIC),
    ("/api/session", "POST", PUBLIC),
    ("/api/session", "DELETE", PUBLIC),
    // Single sign-on: to the identity provider and back (`auth/sso/oidc.rs`).
    ("/api/session/oidc", "GET", PUBLIC),
    ("/api/session/oidc/callback", "GET", PUBLIC),
    ("/flowsmith/config", "GET", VIEWER),
    ("/flowsmith/asset", "GET", VIEWER),
    ("/flowsmith/{*rest}", ANY, VIEWER),
    // Users and the audit log.
    ("/api/users", "GET", ADMIN),
    ("/api/users", "POST", audited(Role::Admin, "user_add")),
    ("/api/users/{name}", "PATCH", audited(Role::Admin, "user_change")),
    ("/api/users/{name}", "DELETE", audited(Role::Admin, "user_remove")),
    ("/api/audit", "GET", ADMIN),
    // Connections to WhatsApp and their credentials.
    ("/api/connections", "GET", ADMIN),
    ("/api/connections", "POST", audited(Role::Admin, "credential_add")),
    ("/api/connections/{id}", "PUT", audited(Role::Admin, "credential_change")),
    ("/api/connections/{id}", "DELETE", audited(Role::Admin, "credential_remove")),
    ("/api/accounts/{id}/channel_key", "GET", ADMIN),
    ("/api/accounts/{id}/channel_key", "PUT", audited(Role::Admin, "channel_key_set")),
    ("/api/accounts/{id}/channel_key", "DELETE", audited(Role::Admin, "channel_key_remove")),
    // The workspace.
    ("/api/accounts", "GET", VIEWER),
    ("/api/flows", "GET", VIEWER),
    ("/api/flows", "POST", EDITOR),
    ("/api/flows/sync", "POST", audited(Role::Publisher, "sync")),
    ("/api/flows/{id}", "GET", VIEWER),
    ("/api/flows/{id}", "PUT", EDITOR),
    ("/api/flows/{id}", "DELETE", audited(Role::Editor, "trash")),
    ("/api/flows/{id}/flow.json", "GET", VIEWER),
    ("/api/flows/{id}/restore", "POST", EDITOR),
    ("/api/flows/{id}/versions", "GET", VIEWER),
    ("/api/flows/{id}/versions", "POST", EDITOR),
    ("/api/flows/{id}/versions/{revision}", "GET", VIEWER),
    ("/api/flows/{id}/versions/{revision}/restore", "POST", EDITOR),
    ("/api/flows/{id}/draft", "POST", EDITOR),
    ("/api/flows/{id}/conflict", "POST", EDITOR),
    ("/api/flows/{id}/conflict/flow.json", "GET", VIEWER),
    ("/api/flows/{id}/save-to-meta", "POST", audited(Role::Editor, "save_to_whatsapp")),
    ("/api/flows/{id}/publish", "POST", audited(Role::Publisher, "publish")),
    ("/api/flows/{id}/deprecate", "POST", audited(Role::Publisher, "deprecate")),
    ("/api/events", "GET", VIEWER),
    // What people answered, and where WhatsApp delivers it (`messages/`).
    ("/api/flows/{id}/responses", "GET", VIEWER),
    ("/api/flows/{id}/responses.csv", "GET", VIEWER),
    ("/api/accounts/{id}/webhook", "POST", audited(Role::Admin, "webhook_path")),
    ("/api/messages", "POST", audited(Role::Editor, "send_message")),
    ("/api/messages", "GET", VIEWER),
    // The sandbox's test phones in the app (sandbox mode): editors try their flows there.
    ("/api/test-phones", "GET", EDITOR),
    ("/api/test-phones/{message_id}/complete", "POST", EDITOR),
    ("/api/endpoint/exchange", "POST", EDITOR),
    // Accounts' endpoint key pairs (`endpoint/account_key/`); the handlers check the role on the account.
    ("/api/accounts/{id}/endpoint-key", "GET", EDITOR),
    ("/api/accounts/{id}/endpoint-key", "POST", audited(Role::Admin, "endpoint_key_create")),
    ("/api/accounts/{id}/endpoint-key/download", "GET", audited(Role::Admin, "endpoint_key_download")),
    ("/api/accounts/{id}/endpoint-key/upload", "POST", audited(Role::Admin, "endpoint_key_upload")),
    ("/api/accounts/{id}/endpoint-key/whatsapp", "GET", EDITOR),
    ("/api/endpoint/health", "POST", EDITOR),
    ("/webhooks/whatsapp", "GET", WEBHOOK),
    ("/webhooks/whatsapp", "POST", WEBHOOK),
    ("/webhooks/360dialog/{secret}", "POST", WEBHOOK),
    // The Partner API front, and the 404 of everything else under /api/.
    ("/api/v2/{*rest}", ANY, PARTNER),
    ("/api/{*rest}", ANY, VIEWER),
    // The sandbox (sandbox mode), or its 404 (360dialog mode).
    ("/sandbox/api/v2/partners/{partner_id}/channels", "GET", PARTNER),
    ("/sandbox/api/v2/partners/{partner_id}/waba_accounts/{waba_account_id}/flows", "GET", PARTNER),
    ("/sandbox/api/v2/partners/{partner_id}/waba_accounts/{waba_account_id}/flows", "POST", PARTNER),
    (
        "/sandbox/api/v2/partners/{partner_id}/waba_accounts/{waba_account_id}/flows/migrate_flows",
        "POST",
        PARTNER,
    ),
    ("/sandbox/api/v2/partners/{partner_id}/waba_accounts/{waba_account_id}/flows/{flow_id}", "GET", PARTNER),
    (
        "/sandbox/api/v2/partners/{partner_id}/waba_accounts/{waba_account_id}/flows/{flow_id}",
        "PATCH",
        PARTNER,
    ),
    (
        "/sandbox/api/v2/partners/{partner_id}/waba_accounts/{waba_account_id}/flows/{flow_id}",
        "DELETE",
        PARTNER,
    ),
    (
        "/sandbox/api/v2/partners/{partner_id}/waba_accounts/{waba_account_id}/flows/{flow_id}/assets",
        "GET",
        PARTNER,
    ),
    (
        "/sandbox/api/v2/partners/{partner_id}/waba_accounts/{waba_account_id}/flows/{flow_id}/assets",
        "POST",
        PARTNER,
    ),
    (
        "/sandbox/api/v2/partners/{partner_id}/waba_accounts/{waba_account_id}/flows/{flow_id}/publish",
        "POST",
        PARTNER,
    ),
    (
        "/sandbox/api/v2/partners/{partner_id}/waba_accounts/{waba_account_id}/flows/{flow_id}/preview",
        "GET",
        PARTNER,
    ),
    (
        "/sandbox/api/v2/partners/{partner_id}/waba_accounts/{waba_account_id}/flows/{flow_id}/deprecate",
        "POST",
        PARTNER,
    ),
    ("/sandbox/control/flows/{flow_id}/status", "POST", ADMIN),
    ("/sandbox/api/v2/partners/{partner_id}/waba_accounts/{waba_account_id}/messages", "POST", PARTNER),
    (
        "/sandbox/api/v2/partners/{partner_id}/waba_accounts/{waba_account_id}/whatsapp_business_encryption",
        "GET",
        PARTNER,
    ),
    (
        "/sandbox/api/v2/partners/{partner_id}/waba_accounts/{waba_account_id}/whatsapp_business_encryption",
        "POST",
        PARTNER,
    ),
    // The sandbox's Graph API (`sandbox/graph.rs`).
    ("/sandbox/graph/{version}/{id}", "GET", GRAPH),
    ("/sandbox/graph/{version}/{id}", "POST", GRAPH),
    ("/sandbox/graph/{version}/{id}", "DELETE", GRAPH),
    ("/sandbox/graph/{version}/{id}/flows", "GET", GRAPH),
    ("/sandbox/graph/{version}/{id}/flows", "POST", GRAPH),
    ("/sandbox/graph/{version}/{id}/migrate_flows", "POST", GRAPH),
    ("/sandbox/graph/{version}/{id}/assets", "GET", GRAPH),
    ("/sandbox/graph/{version}/{id}/assets", "POST", GRAPH),
    ("/sandbox/graph/{version}/{id}/publish", "POST", GRAPH),
    ("/sandbox/graph/{version}/{id}/deprecate", "POST", GRAPH),
    ("/sandbox/graph/{version}/{id}/phone_numbers", "GET", GRAPH),
    ("/sandbox/graph/{version}/{id}/messages", "POST", GRAPH),
    ("/sandbox/graph/{version}/{id}/whatsapp_business_encryption", "GET", GRAPH),
    ("/sandbox/graph/{version}/{id}/whatsapp_business_encryption", "POST", GRAPH),
    ("/sandbox/control/graph/rate_limit", "POST", ADMIN),
    ("/sandbox/control/phones", "GET", ADMIN),
    ("/sandbox/control/phone_numbers/{phone_number_id}/register", "POST", ADMIN),
    ("/sandbox/control/messages/{message_id}/complete", "POST", ADMIN),
    ("/sandbox/assets/{token}/flow.json", "GET", VIEWER),
    ("/sandbox/preview/{token}/flow.json", "GET", VIEWER),
    ("/sandbox/{*rest}", ANY, VIEWER),
];

/// Whether any method of `pattern` has a rule: a method without one on such a route is one the
/// route does not serve (every method a route serves has a rule), answered 405.
pub fn is_known(pattern: &str) -> bool {
    RULES.iter().any(|(route, _, _)| *route == pattern)
}

/// The rule of `method` on the route `pattern` (a HEAD is its GET), or `None`: no rule.
pub fn rule(method: &Method, pattern: &str) -> Option<Rule> {
    let method = if method == Method::HEAD { "GET" } else { method.as_str() };
    RULES
        .iter()
        .find(|(route, allowed, _)| *route == pattern && (*allowed == method || *allowed == ANY))
        .map(|(_, _, rule)| *rule)
}

/// The rule of a Partner API operation, from the path's segments after `/api/v2/`: reading is
/// for viewers; creating and changing a flow on WhatsApp (and preview links) for editors;
/// publishing, deprecating, deleting and migrating for publishers. What is not an operation
/// answers 404 to viewers.
pub fn partner_operation(method: &Method, segments: &[&str]) -> Rule {
    let method = if method == Method::HEAD { "GET" } else { method.as_str() };
    let flows = match (segments, method) {
        // The business public key of the account's number (the sandbox's stand-in of Meta's call).
        (["partners", _, "waba_accounts", _, "whatsapp_business_encryption"], "POST") => {
            return audited(Role::Admin, "endpoint_key_upload");
        }
        (["partners", _, "waba_accounts", _, "flows", rest @ ..], _) => rest,
        _ => return VIEWER,
    };
    match (flows, method) {
        ([], "POST") | ([_], "PATCH") | ([_, "assets"], "POST") => audited(Role::Editor, "save_to_whatsapp"),
        (["migrate_flows"], "POST") => audited(Role::Publisher, "migrate"),
        ([_], "DELETE") => audited(Role::Publisher, "delete"),
        ([_, "publish"], "POST") => audited(Role::Publisher, "publish"),
        ([_, "deprecate"], "POST") => audited(Role::Publisher, "deprecate"),
        ([_, "preview"], "GET") => EDITOR,
        _ => VIEWER,
    }
}

/// The rule of a Graph API operation of the sandbox, from the path's segments after
/// `/sandbox/graph/{version}/` and its query: the Partner API's rules for the same operations
/// (a preview asked with `preview.invalidate(true)` makes a new link: editors).
pub fn graph_operation(method: &Method, segments: &[&str], query: Option<&str>) -> Rule {
    let method = if method == Method::HEAD { "GET" } else { method.as_str() };
    match (segments, method) {
        ([_], "GET") if invalidates(query) => EDITOR,
        ([_], "POST") | ([_, "flows" | "assets"], "POST") => audited(Role::Editor, "save_to_whatsapp"),
        ([_, "migrate_flows"], "POST") => audited(Role::Publisher, "migrate"),
        ([_], "DELETE") => audited(Role::Publisher, "delete"),
        ([_, "publish"], "POST") => audited(Role::Publisher, "publish"),
        ([_, "deprecate"], "POST") => audited(Role::Publisher, "deprecate"),
        ([_, "whatsapp_business_encryption"], "POST") => audited(Role::Admin, "endpoint_key_upload"),
        _ => VIEWER,
    }
}

/// The account and the flow a Graph API path names (for the audit log).
pub fn graph_target(segments: &[&str]) -> (Option<String>, Option<String>) {
    match segments {
        [account, "flows" | "migrate_flows"] => (Some((*account).to_owned()), None),
        [flow, ..] => (None, Some((*flow).to_owned())),
        [] => (None, None),
    }
}

/// Whether a query asks for a new preview link (`invalidate=true`, or Graph's
/// `fields=preview.invalidate(true)`).
fn invalidates(query: Option<&str>) -> bool {
    crate::sandbox::query_value(query, "invalidate").is_some_and(|value| value != "false" && value != "0")
        || crate::sandbox::request::query_values(query, "fields")
            .iter()
            .any(|fields| fields.replace(' ', "").contains("invalidate(true)"))
}

/// The account and the flow a Partner API path names (for the audit log).
pub fn partner_target(segments: &[&str]) -> (Option<String>, Option<String>) {
    match segments {
        ["partners", _, "waba_accounts", account, "flows", flow, ..] if *flow != "migrate_flows" => {
            (Some((*account).to_owned()), Some((*flow).to_owned()))
        }
        ["partners", _, "waba_accounts", account, ..] => (Some((*account).to_owned()), None),
        _ => (None, None),
    }
}

/// Whether a request changes something, so that it must come from this server's own pages:
/// every method but GET, HEAD and OPTIONS, and the GETs with a side effect (a preview link
/// asked with `invalidate`, which makes a new link and kills the old one).
pub fn changes_state(method: &Method, query: Option<&str>) -> bool {
    if !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS) {
        return true;
    }
    invalidates(query)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_partner_operations_have_the_roles_of_the_issue() {
        let rule = |method: &str, path: &str| {
            let segments: Vec<&str> = path.split('/').collect();
            partner_operation(&method.parse().unwrap(), &segments)
        };
        let flows = "partners/p/waba_accounts/w/flows";
        assert_eq!(rule("GET", "partners/p/channels"), VIEWER);
        assert_eq!(rule("GET", flows), VIEWER);
        assert_eq!(rule("POST", flows).access, Access::Role(Role::Editor));
        assert_eq!(rule("PATCH", &format!("{flows}/1")).audit, Some("save_to_whatsapp"));
        assert_eq!(rule("POST", &format!("{flows}/1/assets")).access, Access::Role(Role::Editor));
        assert_eq!(rule("GET", &format!("{flows}/1/preview")), EDITOR);
        for (method, path, action) in [
            ("POST", format!("{flows}/migrate_flows"), "migrate"),
            ("DELETE", format!("{flows}/1"), "delete"),
            ("POST", format!("{flows}/1/publish"), "publish"),
            ("POST", format!("{flows}/1/deprecate"), "deprecate"),
        ] {
            assert_eq!(rule(method, &path), audited(Role::Publisher, action), "{method} {path}");
        }
        // The business public key of the number (the sandbox's stand-in of Meta's call).
        let key = "partners/p/waba_accounts/w/whatsapp_business_encryption";
        assert_eq!(rule("POST", key), audited(Role::Admin, "endpoint_key_upload"));
        assert_eq!(rule("GET", key), VIEWER);
        let segments: Vec<&str> = format!("{flows}/9/publish").leak().split('/').collect();
        assert_eq!(partner_target(&segments), (Some("w".to_owned()), Some("9".to_owned())));
    }

    #[test]
    fn unknown_routes_have_no_rule_and_head_is_get() {
        assert_eq!(rule(&Method::GET, "/api/new-thing"), None);
        assert_eq!(rule(&Method::PUT, "/api/accounts"), None);
        assert_eq!(rule(&Method::HEAD, "/api/flows"), Some(VIEWER));
        assert_eq!(rule(&Method::PATCH, "/api/v2/{*rest}"), Some(PARTNER));
    }

    #[test]
    fn side_effects_are_not_only_methods() {
        assert!(changes_state(&Method::POST, None));
        assert!(!changes_state(&Method::GET, Some("fields=preview")));
        assert!(changes_state(&Method::GET, Some("invalidate=true")));
        assert!(!changes_state(&Method::GET, Some("invalidate=false")));
        assert!(changes_state(&Method::GET, Some("fields=id,preview.invalidate(true)")));
        assert!(!changes_state(&Method::GET, Some("fields=id,preview.invalidate(false)")));
    }

    #[test]
    fn the_graph_operations_have_the_partner_operations_rules() {
        let rule = |method: &str, path: &str, query: Option<&str>| {
            let segments: Vec<&str> = path.split('/').collect();
            graph_operation(&method.parse().unwrap(), &segments, query)
        };
        assert_eq!(rule("GET", "1", Some("fields=id,name")), VIEWER);
        assert_eq!(rule("GET", "1", Some("fields=preview.invalidate(true)")), EDITOR);
        assert_eq!(rule("GET", "w/flows", None), VIEWER);
        assert_eq!(rule("POST", "w/flows", None), audited(Role::Editor, "save_to_whatsapp"));
        assert_eq!(rule("POST", "1", None), audited(Role::Editor, "save_to_whatsapp"));
        assert_eq!(rule("POST", "1/assets", None), audited(Role::Editor, "save_to_whatsapp"));
        assert_eq!(rule("POST", "w/migrate_flows", None), audited(Role::Publisher, "migrate"));
        assert_eq!(rule("DELETE", "1", None), audited(Role::Publisher, "delete"));
        assert_eq!(rule("POST", "1/publish", None), audited(Role::Publisher, "publish"));
        assert_eq!(rule("POST", "1/deprecate", None), audited(Role::Publisher, "deprecate"));
        let key = "15550000/whatsapp_business_encryption";
        assert_eq!(rule("POST", key, None), audited(Role::Admin, "endpoint_key_upload"));
        assert_eq!(rule("GET", key, None), VIEWER);
        assert_eq!(graph_target(&["w", "flows"]), (Some("w".to_owned()), None));
        assert_eq!(graph_target(&["9", "publish"]), (None, Some("9".to_owned())));
    }
}
