//! The guard around every API route: finds the route's rule ([`super::access`]), reads the
//! session cookie, refuses (401 without a session when sign-in is required, 403 for a role
//! that may not), and records audited calls with their outcome.
use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, MatchedPath, Request, State};
use axum::http::{HeaderMap, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::access::{self, Access, Rule};
use super::{Auth, COOKIE, audit_entry};
use crate::workspace::WorkspaceError;
use crate::workspace::store::StoreError;

/// What a handler that knows more than the path can tell the audit log (set as a response
/// extension): the account of a sync, for one.
#[derive(Debug, Clone, Default)]
pub struct AuditTarget {
    /// The account concerned.
    pub account: Option<String>,
    /// The flow concerned.
    pub flow: Option<String>,
    /// More (the user a change concerned).
    pub detail: Option<String>,
}

/// The value of the session cookie, if the request has one.
pub fn session_cookie(headers: &HeaderMap) -> Option<&str> {
    cookie_named(headers, COOKIE)
}

/// The value of the cookie `name`, if the request has one (not empty).
pub fn cookie_named<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.trim_matches('"'))
        .filter(|value| !value.is_empty())
}

/// The address the request came from: the peer, or, when the peer is a trusted proxy, the
/// last address of `X-Forwarded-For` that is not one.
pub fn client_address(auth: &Auth, request: &Request) -> Option<IpAddr> {
    let peer = request.extensions().get::<ConnectInfo<SocketAddr>>().map(|info| info.0.ip())?;
    let settings = auth.settings();
    if !settings.is_trusted_proxy(peer) {
        return Some(peer);
    }
    let forwarded = request
        .headers()
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .filter_map(|item| item.trim().parse::<IpAddr>().ok())
        .collect::<Vec<_>>();
    Some(forwarded.into_iter().rev().find(|address| !settings.is_trusted_proxy(*address)).unwrap_or(peer))
}

/// Whether the request reached us over https: always with `--secure-cookies` (or an https
/// public URL), else when a trusted proxy says so in `X-Forwarded-Proto`.
pub fn is_https(auth: &Auth, request: &Request) -> bool {
    if auth.settings().secure_cookies {
        return true;
    }
    let peer = request.extensions().get::<ConnectInfo<SocketAddr>>().map(|info| info.0.ip());
    peer.is_some_and(|peer| auth.settings().is_trusted_proxy(peer))
        && request.headers().get("x-forwarded-proto").and_then(|value| value.to_str().ok()).is_some_and(
            |proto| proto.split(',').next().is_some_and(|first| first.trim().eq_ignore_ascii_case("https")),
        )
}

fn rule_of(request: &Request) -> Option<(Rule, Option<String>, Option<String>)> {
    let pattern = request.extensions().get::<MatchedPath>()?.as_str();
    let rule = access::rule(request.method(), pattern)?;
    let path = request.uri().path();
    if rule.access == Access::GraphOperation {
        // `/sandbox/graph/{version}/…`
        let rest = path.strip_prefix("/sandbox/graph/")?.split_once('/')?.1;
        let segments: Vec<&str> = rest.split('/').collect();
        let (account, flow) = access::graph_target(&segments);
        return Some((
            access::graph_operation(request.method(), &segments, request.uri().query()),
            account,
            flow,
        ));
    }
    if rule.access != Access::PartnerOperation {
        let flow = path
            .strip_prefix("/api/flows/")
            .and_then(|rest| rest.split('/').next())
            .filter(|id| *id != "sync")
            .map(str::to_owned);
        return Some((rule, None, flow));
    }
    let rest = path.strip_prefix("/sandbox").unwrap_or(path).strip_prefix("/api/v2/")?;
    let segments: Vec<&str> = rest.split('/').collect();
    let (account, flow) = access::partner_target(&segments);
    Some((access::partner_operation(request.method(), &segments), account, flow))
}

/// The guard (a route layer of the API router, so the matched route is known).
pub async fn guard(State(auth): State<Auth>, mut request: Request, next: Next) -> Response {
    let Some((rule, account, flow)) = rule_of(&request) else {
        let pattern = request.extensions().get::<MatchedPath>().map(MatchedPath::as_str);
        if pattern.is_some_and(access::is_known) {
            return crate::error::ApiError::MethodNotAllowed.into_response();
        }
        tracing::error!(path = request.uri().path(), method = %request.method(), "a route has no access rule");
        // Refused to everyone, in every mode: a route cannot be added without deciding who may call it.
        return WorkspaceError::Storage(StoreError::Other("a route has no access rule".to_owned()))
            .into_response();
    };
    // A trusted proxy's header names the user (`--auth-header`); else the session cookie.
    // Owned: a borrow of the request (whose body is not `Sync`) cannot cross an await.
    let proxied = match super::sso::header::proxied_name(&auth, &request) {
        Some(Ok(name)) => Some(name),
        Some(Err(refusal)) => return refusal.into_response(),
        None => None,
    };
    let token = if proxied.is_some() { None } else { session_cookie(request.headers()).map(str::to_owned) };
    let principal = match (&proxied, &token) {
        (Some(name), _) => match auth.proxied_user(name).await {
            Ok(principal) => Some(principal),
            Err(error) => return error.into_response(),
        },
        (None, Some(token)) => match auth.session(token).await {
            Ok(principal) => principal,
            Err(error) => return WorkspaceError::from(error).into_response(),
        },
        (None, None) => None,
    };
    let Access::Role(needed) = rule.access else {
        if let Some(principal) = principal {
            request.extensions_mut().insert(principal);
        }
        return next.run(request).await;
    };
    let required = match auth.sign_in_required().await {
        Ok(required) => required,
        Err(error) => return WorkspaceError::from(error).into_response(),
    };
    // Only audited routes name who acted (most requests are reads).
    let actor = rule.audit.map(|_| {
        principal.as_ref().map_or_else(
            || crate::workspace::routes::header_actor(request.headers()),
            |p| p.user.name.clone(),
        )
    });
    let refusal = match &principal {
        _ if !required => None,
        None => Some(WorkspaceError::SignInRequired(
            "Sign in first: this server requires a session (POST /api/session, or the sign-in page at /signin)"
                .to_owned(),
        )),
        Some(principal) if principal.accounts.is_empty() => principal.require_on(None, needed).err(),
        Some(principal) => match concerned_account(&auth, account.as_deref(), flow.as_deref()).await {
            Ok(Some(account)) => principal.require_on(Some(&account), needed).err(),
            // No account in the path (create and sync name theirs in the body, and check it).
            Ok(None) if principal.best_role() >= needed => None,
            Ok(None) => principal.require_on(None, needed).err(),
            Err(error) => Some(WorkspaceError::from(error)),
        },
    };
    if let Some(principal) = principal {
        request.extensions_mut().insert(principal);
    }
    let signed_in = required && request.extensions().get::<super::Principal>().is_some();
    let mut response = match refusal {
        Some(refusal) => refusal.into_response(),
        None => next.run(request).await,
    };
    if let Some(token) = token.filter(|_| signed_in && is_event_stream(&response)) {
        response = response.map(|body| end_with_session(body, auth.clone(), token));
    }
    if let (Some(action), Some(actor)) = (rule.audit, actor) {
        let target = response.extensions().get::<AuditTarget>().cloned().unwrap_or_default();
        record(&auth, &actor, action, Target { account, flow, status: response.status() }, target).await;
    }
    response
}

/// How often an open event stream asks whether its session is still open.
const STREAM_SESSION_CHECK: std::time::Duration = std::time::Duration::from_secs(5);

fn is_event_stream(response: &Response) -> bool {
    response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.starts_with("text/event-stream"))
}

/// An event stream (`/api/events`) outlives the request that opened it: it ends when its
/// session does (signed out, expired, or ended by a password or role change), at the latest
/// [`STREAM_SESSION_CHECK`] later, and when the check cannot be made (the browser reconnects
/// and is asked to sign in again if need be).
fn end_with_session(body: axum::body::Body, auth: Auth, token: String) -> axum::body::Body {
    use futures_util::StreamExt as _;
    let mut check = tokio::time::interval(STREAM_SESSION_CHECK);
    check.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let state = (body.into_data_stream(), auth, token, check);
    let stream = futures_util::stream::unfold(state, |(mut data, auth, token, mut check)| async move {
        loop {
            tokio::select! {
                chunk = data.next() => return chunk.map(|chunk| (chunk, (data, auth, token, check))),
                _ = check.tick() => {
                    if !matches!(auth.is_open(&token).await, Ok(true)) {
                        return None;
                    }
                }
            }
        }
    });
    axum::body::Body::from_stream(stream)
}

/// The workspace's id of the account a request's path concerns: the account of WhatsApp's
/// (`…WA`) in a Partner API path, or the account of the workspace's flow in `/api/flows/{id}/…`.
async fn concerned_account(
    auth: &Auth,
    account: Option<&str>,
    flow: Option<&str>,
) -> Result<Option<String>, StoreError> {
    let mut connection = auth.store().pool().acquire().await?;
    match (account, flow) {
        (Some(account), _) => super::store::account_id(&mut connection, account).await,
        (None, Some(flow)) => super::store::account_of_flow(&mut connection, flow).await,
        (None, None) => Ok(None),
    }
}

/// What the path said an audited call concerned, and how it ended.
struct Target {
    account: Option<String>,
    flow: Option<String>,
    status: axum::http::StatusCode,
}

async fn record(auth: &Auth, actor: &str, action: &str, from_path: Target, target: AuditTarget) {
    let Target { account, flow, status } = from_path;
    let outcome = match status.as_u16() {
        200..=399 => "ok",
        401 | 403 => "denied",
        400..=499 => "refused",
        _ => "failed",
    };
    let mut entry = audit_entry(actor, action, outcome);
    entry.flow = target.flow.or(flow);
    entry.account = target.account.or(account);
    if entry.account.is_none()
        && let Some(flow) = &entry.flow
        && let Ok(mut connection) = auth.store().pool().acquire().await
    {
        entry.account = super::store::account_of_flow(&mut connection, flow).await.ok().flatten();
    }
    entry.detail = Some(match target.detail {
        Some(detail) => format!("{} {detail}", status.as_u16()),
        None => status.as_u16().to_string(),
    });
    auth.audit(entry).await;
}
