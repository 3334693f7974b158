//! Sign-in (`/api/session`), users (`/api/users`, admins) and the audit log (`/api/audit`,
//! admins; `?format=csv` for a spreadsheet), in the workspace API's envelope; and the sign-in
//! page (`/signin`, server-rendered, outside the app's bundles).
//!
//! | route | what |
//! | --- | --- |
//! | `POST /api/session` `{username, password}` | signs in: sets the cookie, answers the user |
//! | `GET /api/session` | `{user, sign_in_required, insecure_no_auth, single_sign_on}` (`user` null when none; `single_sign_on` the path that starts an OpenID Connect sign-in, or null) |
//! | `GET /api/session/oidc?next=`, `GET /api/session/oidc/callback` | single sign-on ([`super::sso::oidc`]) |
//! | `DELETE /api/session` | signs out (ends the session, clears the cookie) |
//! | `GET /api/users`, `POST /api/users` `{name, role, password}` | users |
//! | `PATCH /api/users/{name}` `{role?, password?}` or `{account, role}` (`none` takes it back), `DELETE /api/users/{name}` | change, remove |
//! | `GET /api/audit?actor=&action=&account=&flow=&outcome=&since=&until=&before=&limit=&format=csv` | the log, newest first |
use axum::Router;
use axum::extract::{Path, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use serde::Deserialize;
use serde_json::{Value, json};

use super::layer::{AuditTarget, client_address, is_https, session_cookie};
use super::store::{AuditEntry, AuditQuery, User};
use super::{Auth, COOKIE, Principal, Role, audit_entry};
use crate::workspace::WorkspaceError;
use crate::workspace::error::success;
use crate::workspace::routes::{body, parse};
use crate::workspace::time::rfc3339;

type Result<T> = std::result::Result<T, WorkspaceError>;

/// The most audit lines a page holds.
pub const MAX_AUDIT_LIMIT: i64 = 1000;

/// The API routes of sign-in, users and the audit log.
pub fn router(auth: Auth) -> Router {
    Router::new()
        .route("/api/session", get(who).post(sign_in).delete(sign_out))
        .route("/api/session/oidc", get(super::sso::oidc::start))
        .route(super::sso::oidc::CALLBACK_PATH, get(super::sso::oidc::callback))
        .route("/api/users", get(list_users).post(add_user))
        .route("/api/users/{name}", axum::routing::patch(change_user).delete(remove_user))
        .route("/api/audit", get(audit))
        .with_state(auth)
}

fn user_json(user: &User) -> Value {
    json!({
        "name": user.name,
        "role": user.role.as_str(),
        "created_at": rfc3339(user.created_at),
        "updated_at": rfc3339(user.updated_at),
    })
}

pub(crate) fn cookie(token: &str, max_age: u64, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    let text = format!("{COOKIE}={token}; HttpOnly; SameSite=Lax; Path=/; Max-Age={max_age}{secure}");
    HeaderValue::from_str(&text).unwrap_or_else(|_| HeaderValue::from_static("flowsmith_session=; Max-Age=0"))
}

async fn who(State(auth): State<Auth>, request: Request) -> Result<Response> {
    let required = auth.sign_in_required().await?;
    let mut user = None;
    if let Some(principal) = request.extensions().get::<Principal>() {
        // The roles on single accounts, with WhatsApp's id of each (the app knows accounts by
        // either), so the app can disable what the server would refuse and say why.
        let mut accounts = Vec::new();
        for (account, role) in &principal.accounts {
            let external_id = auth.external_account_id(account).await?;
            accounts
                .push(json!({ "account_id": account, "external_id": external_id, "role": role.as_str() }));
        }
        let mut item = user_json(&principal.user);
        item["accounts"] = json!(accounts);
        user = Some(item);
    }
    Ok(success(
        StatusCode::OK,
        json!({
            "user": user,
            "sign_in_required": required,
            "insecure_no_auth": auth.insecure() && !required,
            "single_sign_on": auth.oidc().map(|_| "/api/session/oidc"),
        }),
    ))
}

#[derive(Deserialize)]
struct SignInBody {
    #[serde(alias = "name")]
    username: String,
    password: String,
}

async fn sign_in(State(auth): State<Auth>, request: Request) -> Result<Response> {
    let address = client_address(&auth, &request);
    let secure = is_https(&auth, &request);
    let bytes = body(request).await?;
    let parsed: SignInBody = parse(&bytes)?;
    let mut entry = audit_entry(parsed.username.trim(), "sign_in", "ok");
    entry.detail = address.map(|address| address.to_string());
    match auth.sign_in(&parsed.username, &parsed.password, address).await {
        Ok(signed_in) => {
            entry.actor = signed_in.user.name.clone();
            auth.audit(entry).await;
            let mut response = success(StatusCode::OK, json!({ "user": user_json(&signed_in.user) }));
            let max_age = auth.settings().lifetime.as_secs();
            response.headers_mut().insert(header::SET_COOKIE, cookie(&signed_in.token, max_age, secure));
            response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            Ok(response)
        }
        Err(error) => {
            entry.outcome = match error {
                WorkspaceError::InvalidCredentials => "denied",
                WorkspaceError::TooManyAttempts { .. } => "refused",
                _ => "failed",
            }
            .to_owned();
            auth.audit(entry).await;
            Err(error)
        }
    }
}

async fn sign_out(State(auth): State<Auth>, request: Request) -> Result<Response> {
    let secure = is_https(&auth, &request);
    let token = session_cookie(request.headers()).map(str::to_owned);
    if let Some(token) = token {
        auth.sign_out(&token).await?;
    }
    if let Some(principal) = request.extensions().get::<Principal>() {
        auth.audit(audit_entry(&principal.user.name, "sign_out", "ok")).await;
    }
    let mut response = success(StatusCode::OK, json!({ "user": null }));
    response.headers_mut().insert(header::SET_COOKIE, cookie("", 0, secure));
    Ok(response)
}

async fn list_users(State(auth): State<Auth>) -> Result<Response> {
    let mut listed = Vec::new();
    for user in auth.users().await? {
        let mut item = user_json(&user);
        let accounts = auth.account_roles(&user).await?;
        item["accounts"] = json!(
            accounts
                .iter()
                .map(|(account, role)| json!({ "account_id": account, "role": role.as_str() }))
                .collect::<Vec<_>>()
        );
        listed.push(item);
    }
    Ok(success(StatusCode::OK, json!(listed)))
}

fn role_field(text: &str) -> Result<Role> {
    Role::parse(text).ok_or_else(|| {
        WorkspaceError::invalid("role", format!("'{text}' is not one of viewer, editor, publisher, admin"))
    })
}

fn noted(mut response: Response, name: &str) -> Response {
    response
        .extensions_mut()
        .insert(AuditTarget { detail: Some(format!("user {name}")), ..AuditTarget::default() });
    response
}

#[derive(Deserialize)]
struct AddUserBody {
    name: String,
    role: String,
    password: String,
}

async fn add_user(State(auth): State<Auth>, request: Request) -> Result<Response> {
    let bytes = body(request).await?;
    let parsed: AddUserBody = parse(&bytes)?;
    let user = auth.add_user(&parsed.name, role_field(&parsed.role)?, &parsed.password).await?;
    Ok(noted(success(StatusCode::CREATED, user_json(&user)), &user.name))
}

#[derive(Deserialize)]
struct ChangeUserBody {
    role: Option<String>,
    password: Option<String>,
    /// With `role`: the role on this account only (`none` takes it back).
    account: Option<String>,
}

async fn change_user(
    State(auth): State<Auth>,
    Path(name): Path<String>,
    request: Request,
) -> Result<Response> {
    let bytes = body(request).await?;
    let parsed: ChangeUserBody = parse(&bytes)?;
    if parsed.role.is_none() && parsed.password.is_none() {
        return Err(WorkspaceError::invalid("body", "send a role, a password or both"));
    }
    if let (Some(account), Some(role)) = (&parsed.account, &parsed.role) {
        let role = if role == "none" { None } else { Some(role_field(role)?) };
        let user = auth.set_account_role(&name, account, role).await?;
        let what = format!("{} on {account}: {}", user.name, role.map_or("none", Role::as_str));
        return Ok(noted(success(StatusCode::OK, user_json(&user)), &what));
    }
    let role = parsed.role.as_deref().map(role_field).transpose()?;
    let mut user = None;
    if let Some(password) = &parsed.password {
        user = Some(auth.set_password(&name, password).await?);
    }
    if let Some(role) = role {
        user = Some(auth.set_role(&name, role).await?);
    }
    let user = user.ok_or_else(|| WorkspaceError::invalid("body", "send a role, a password or both"))?;
    Ok(noted(success(StatusCode::OK, user_json(&user)), &user.name))
}

async fn remove_user(State(auth): State<Auth>, Path(name): Path<String>) -> Result<Response> {
    let user = auth.remove_user(&name).await?;
    Ok(noted(success(StatusCode::OK, user_json(&user)), &user.name))
}

/// A time filter: RFC 3339 (`2026-12-01T00:00:00Z`) or milliseconds since the epoch.
pub(crate) fn time_filter(field: &'static str, text: &str) -> Result<i64> {
    if let Ok(millis) = text.parse::<i64>() {
        return Ok(millis);
    }
    time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339)
        .map(|at| i64::try_from(at.unix_timestamp_nanos() / 1_000_000).unwrap_or(i64::MAX))
        .map_err(|_| {
            WorkspaceError::invalid(field, format!("'{text}' is not a time like 2026-12-01T00:00:00Z"))
        })
}

fn audit_query(query: Option<&str>) -> Result<AuditQuery> {
    let value = |name: &str| crate::sandbox::query_value(query, name).filter(|value| !value.is_empty());
    let limit = match value("limit") {
        None => 100,
        Some(text) => {
            text.parse::<i64>().ok().filter(|limit| (1..=MAX_AUDIT_LIMIT).contains(limit)).ok_or_else(
                || WorkspaceError::invalid("limit", format!("must be between 1 and {MAX_AUDIT_LIMIT}")),
            )?
        }
    };
    Ok(AuditQuery {
        actor: value("actor"),
        action: value("action"),
        account: value("account"),
        flow: value("flow"),
        outcome: value("outcome"),
        since: value("since").map(|text| time_filter("since", &text)).transpose()?,
        until: value("until").map(|text| time_filter("until", &text)).transpose()?,
        before_id: value("before")
            .map(|text| {
                text.parse::<i64>()
                    .map_err(|_| WorkspaceError::invalid("before", "must be an audit line's id"))
            })
            .transpose()?,
        limit,
    })
}

fn audit_json(entry: &AuditEntry) -> Value {
    json!({
        "id": entry.id,
        "at": rfc3339(entry.at),
        "actor": entry.actor,
        "action": entry.action,
        "account": entry.account,
        "flow": entry.flow,
        "outcome": entry.outcome,
        "detail": entry.detail,
    })
}

/// One CSV field (RFC 4180): quoted when it holds a comma, quote or line break; a leading
/// `=`, `+`, `-` or `@` gets a `'` so a spreadsheet never runs it as a formula.
pub(crate) fn csv_field(text: &str) -> String {
    let text = if text.starts_with(['=', '+', '-', '@']) { format!("'{text}") } else { text.to_owned() };
    if text.contains([',', '"', '\n', '\r']) { format!("\"{}\"", text.replace('"', "\"\"")) } else { text }
}

fn audit_csv(entries: &[AuditEntry]) -> String {
    let mut out = String::from("id,at,actor,action,account,flow,outcome,detail\r\n");
    for entry in entries {
        let fields = [
            entry.id.to_string(),
            rfc3339(entry.at),
            entry.actor.clone(),
            entry.action.clone(),
            entry.account.clone().unwrap_or_default(),
            entry.flow.clone().unwrap_or_default(),
            entry.outcome.clone(),
            entry.detail.clone().unwrap_or_default(),
        ];
        out.push_str(&fields.iter().map(|field| csv_field(field)).collect::<Vec<_>>().join(","));
        out.push_str("\r\n");
    }
    out
}

async fn audit(State(auth): State<Auth>, request: Request) -> Result<Response> {
    let query = audit_query(request.uri().query())?;
    let csv =
        crate::sandbox::query_value(request.uri().query(), "format").is_some_and(|format| format == "csv");
    let mut connection = auth.store().pool().acquire().await?;
    let entries = super::store::audit(&mut connection, &query).await?;
    if csv {
        let mut response = (StatusCode::OK, audit_csv(&entries)).into_response();
        let headers = response.headers_mut();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/csv; charset=utf-8"));
        headers.insert(
            header::CONTENT_DISPOSITION,
            HeaderValue::from_static("attachment; filename=\"flowsmith-audit.csv\""),
        );
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        return Ok(response);
    }
    let next = (entries.len() as i64 == query.limit).then(|| entries.last().map(|entry| entry.id)).flatten();
    Ok(success(
        StatusCode::OK,
        json!({ "items": entries.iter().map(audit_json).collect::<Vec<_>>(), "next_before": next }),
    ))
}

/// The sign-in page: plain HTML with a small script that posts the form as JSON to
/// `/api/session` and then goes to `next` (a path of this server only). Served outside the
/// app's bundles so the editor's budget pays nothing for it.
pub async fn sign_in_page(State(policy): State<HeaderValue>) -> Response {
    let mut response = Html(SIGN_IN_PAGE).into_response();
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    response.headers_mut().insert(header::CONTENT_SECURITY_POLICY, policy);
    response
}

/// Users and the audit log for admins (`/admin`): plain HTML and a script over `/api/users` and
/// `/api/audit`, like the sign-in page; the API decides who may use it.
pub async fn admin_page(State(policy): State<HeaderValue>) -> Response {
    sign_in_page(State(policy)).await.map(|_| axum::body::Body::from(ADMIN_PAGE))
}

/// The admin page; its script is allowed by its hash in the page's own policy.
pub const ADMIN_PAGE: &str = include_str!("admin.html");

/// The page; its script is allowed by its hash in the page's own policy ([`crate::statics::page_policy`]).
pub const SIGN_IN_PAGE: &str = include_str!("signin.html");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_and_defuses_formulas() {
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("=HYPERLINK(1)"), "'=HYPERLINK(1)");
    }

    #[test]
    fn audit_queries_are_checked() {
        let query = audit_query(Some("actor=ana&since=2026-12-01T00:00:00Z&limit=5")).unwrap();
        assert_eq!((query.actor.as_deref(), query.limit), (Some("ana"), 5));
        assert_eq!(query.since, Some(1_795_392_000_000 + 8 * 86_400_000));
        assert!(audit_query(Some("limit=0")).is_err());
        assert!(audit_query(Some("since=yesterday")).is_err());
    }
}
