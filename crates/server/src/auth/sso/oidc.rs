//! OpenID Connect sign-in: the authorization code flow with PKCE, `state` and `nonce`.
//!
//! `GET /api/session/oidc?next=/path` makes a sign-in (a PKCE verifier, a state, a nonce), keeps
//! it in the database for [`LOGIN_EXPIRY_MS`] (any server of the workspace may see the browser
//! come back), binds it to the browser by a cookie ([`BROWSER_COOKIE`]: a sign-in started by
//! another page cannot be completed in this browser), and sends the browser to the provider.
//! `GET /api/session/oidc/callback?code=…&state=…` takes the sign-in (once: a replayed state
//! finds nothing), exchanges the code with the verifier, verifies the ID token (signature by
//! the provider's published keys, issuer, audience, expiry, nonce), finds or creates the user
//! ([`super::Identity`]) and opens a session as a password sign-in does. Every failure lands
//! on the sign-in page with `?sso_error=CODE` ([`SsoError::code`]), which says what happened.
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use openidconnect::core::{CoreAuthenticationFlow, CoreClient, CoreProviderMetadata};
use openidconnect::{
    AccessTokenHash, AuthorizationCode, ClientId, ClientSecret, CsrfToken, EndpointMaybeSet, EndpointNotSet,
    EndpointSet, IssuerUrl, Nonce, OAuth2TokenResponse as _, PkceCodeChallenge, PkceCodeVerifier,
    RedirectUrl, Scope, TokenResponse as _,
};
use url::Url;

use super::Identity;
use super::http::HttpClient;
use crate::auth::layer::{client_address, cookie_named, is_https};
use crate::auth::store::{self, OidcLogin};
use crate::auth::{Auth, audit_entry, random_token, token_hash};
use crate::config::Secret;
use crate::workspace::WorkspaceError;
use crate::workspace::store::now_ms;

/// How long a sign-in sent to the provider may take to come back.
pub const LOGIN_EXPIRY_MS: i64 = 10 * 60 * 1000;
/// The provider's metadata and keys are read again after this long (keys rotate).
const METADATA_FOR_MS: i64 = 15 * 60 * 1000;
/// The cookie binding a sign-in under way to the browser that started it.
pub const BROWSER_COOKIE: &str = "flowsmith_sso";
/// Where the provider sends the browser back, under the public URL.
pub const CALLBACK_PATH: &str = "/api/session/oidc/callback";

/// The OpenID Connect flags, checked.
#[derive(Debug, Clone)]
pub struct OidcSettings {
    /// The issuer URL, exactly as the provider names itself.
    pub issuer: String,
    /// This server's client id there.
    pub client_id: String,
    /// Its client secret (none for a public client).
    pub client_secret: Option<Secret>,
    /// `<public URL>/api/session/oidc/callback` (set once the public URL is known).
    pub redirect_url: Option<Url>,
}

type Client = CoreClient<
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointMaybeSet,
    EndpointMaybeSet,
>;

/// The identity provider: its settings, an HTTP client, and its metadata as last read.
pub struct Oidc {
    settings: OidcSettings,
    http: Result<HttpClient, String>,
    metadata: tokio::sync::Mutex<Option<(i64, CoreProviderMetadata)>>,
}

/// Why a single sign-on failed; [`SsoError::code`] is what the sign-in page is told.
#[derive(Debug)]
pub enum SsoError {
    /// The provider cannot be reached or its metadata read (the message says why, for the log).
    Unavailable(String),
    /// The provider says the person refused or may not sign in (`access_denied`).
    Denied,
    /// The provider answered with another error.
    Failed(String),
    /// No sign-in under way has this state (wrong, already used, or of another browser).
    State,
    /// The sign-in took longer than [`LOGIN_EXPIRY_MS`].
    Expired,
    /// The code exchange failed or the ID token is not valid (the message says why).
    Token(String),
    /// The person cannot become a user here (the message says why).
    Refused(String),
}

impl SsoError {
    /// The code the sign-in page explains (`signin.html`).
    pub fn code(&self) -> &'static str {
        match self {
            SsoError::Unavailable(_) => "unavailable",
            SsoError::Denied => "denied",
            SsoError::Failed(_) => "failed",
            SsoError::State => "state",
            SsoError::Expired => "expired",
            SsoError::Token(_) => "token",
            SsoError::Refused(_) => "refused",
        }
    }

    fn detail(&self) -> &str {
        match self {
            SsoError::Unavailable(detail)
            | SsoError::Failed(detail)
            | SsoError::Token(detail)
            | SsoError::Refused(detail) => detail,
            SsoError::Denied => "the provider refused",
            SsoError::State => "no sign-in under way with this state in this browser",
            SsoError::Expired => "the sign-in took too long",
        }
    }
}

impl Oidc {
    /// The provider of `settings` (nothing is fetched until the first sign-in).
    pub fn new(settings: OidcSettings) -> Oidc {
        Oidc { settings, http: HttpClient::new(), metadata: tokio::sync::Mutex::new(None) }
    }

    fn http(&self) -> Result<&HttpClient, SsoError> {
        self.http.as_ref().map_err(|message| SsoError::Unavailable(message.clone()))
    }

    /// The provider's discovery document and keys, read at most every [`METADATA_FOR_MS`].
    async fn metadata(&self) -> Result<CoreProviderMetadata, SsoError> {
        let mut cached = self.metadata.lock().await;
        let now = now_ms();
        if let Some((read_at, metadata)) = cached.as_ref()
            && now - read_at < METADATA_FOR_MS
        {
            return Ok(metadata.clone());
        }
        let issuer = IssuerUrl::new(self.settings.issuer.clone())
            .map_err(|error| SsoError::Unavailable(format!("--oidc-issuer: {error}")))?;
        let metadata = CoreProviderMetadata::discover_async(issuer, self.http()?).await.map_err(|error| {
            SsoError::Unavailable(format!("discovery at {}: {error}", self.settings.issuer))
        })?;
        *cached = Some((now, metadata.clone()));
        Ok(metadata)
    }

    async fn client(&self) -> Result<Client, SsoError> {
        let metadata = self.metadata().await?;
        let redirect =
            self.settings.redirect_url.as_ref().ok_or_else(|| {
                SsoError::Unavailable("no redirect URL (the public URL is unknown)".to_owned())
            })?;
        let redirect = RedirectUrl::new(redirect.to_string())
            .map_err(|error| SsoError::Unavailable(format!("redirect URL: {error}")))?;
        Ok(CoreClient::from_provider_metadata(
            metadata,
            ClientId::new(self.settings.client_id.clone()),
            self.settings.client_secret.as_ref().map(|secret| ClientSecret::new(secret.expose().to_owned())),
        )
        .set_redirect_uri(redirect))
    }

    /// A new sign-in: the provider's URL to send the browser to, and what to keep until it
    /// comes back (state, nonce, PKCE verifier).
    async fn begin(&self) -> Result<(Url, CsrfToken, Nonce, PkceCodeVerifier), SsoError> {
        let client = self.client().await?;
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let (url, state, nonce) = client
            .authorize_url(
                CoreAuthenticationFlow::AuthorizationCode,
                CsrfToken::new_random,
                Nonce::new_random,
            )
            .add_scope(Scope::new("profile".to_owned()))
            .add_scope(Scope::new("email".to_owned()))
            .set_pkce_challenge(challenge)
            .url();
        Ok((url, state, nonce, verifier))
    }

    /// Exchanges `code` and verifies the ID token against `nonce`: who signed in.
    async fn finish(&self, code: String, verifier: String, nonce: String) -> Result<Identity, SsoError> {
        let client = self.client().await?;
        let token = client
            .exchange_code(AuthorizationCode::new(code))
            .map_err(|error| SsoError::Unavailable(format!("the provider has no token endpoint: {error}")))?
            .set_pkce_verifier(PkceCodeVerifier::new(verifier))
            .request_async(self.http()?)
            .await
            .map_err(|error| SsoError::Token(token_error(&error)))?;
        let id_token =
            token.id_token().ok_or_else(|| SsoError::Token("the token answer has no ID token".to_owned()))?;
        let verifier = client.id_token_verifier();
        let claims = id_token
            .claims(&verifier, &Nonce::new(nonce))
            .map_err(|error| SsoError::Token(format!("the ID token is not valid: {error}")))?;
        if let Some(expected) = claims.access_token_hash() {
            let signing = id_token
                .signing_alg()
                .and_then(|alg| id_token.signing_key(&verifier).map(|key| (alg, key)))
                .map_err(|error| SsoError::Token(format!("the ID token is not valid: {error}")))?;
            let actual = AccessTokenHash::from_token(token.access_token(), signing.0, signing.1)
                .map_err(|error| SsoError::Token(format!("the access token's hash: {error}")))?;
            if actual != *expected {
                return Err(SsoError::Token("the access token does not match the ID token".to_owned()));
            }
        }
        let mut names = Vec::new();
        names.extend(claims.preferred_username().map(|name| name.as_str().to_owned()));
        names.extend(claims.email().map(|email| email.as_str().to_owned()));
        names.extend(claims.name().and_then(|name| name.get(None)).map(|name| name.as_str().to_owned()));
        Ok(Identity {
            issuer: claims.issuer().as_str().to_owned(),
            subject: claims.subject().as_str().to_owned(),
            names,
        })
    }
}

/// What the log may say of a failed code exchange: never the answer's body (it may hold tokens).
fn token_error<E: std::error::Error + 'static>(
    error: &openidconnect::RequestTokenError<
        E,
        openidconnect::StandardErrorResponse<openidconnect::core::CoreErrorResponseType>,
    >,
) -> String {
    match error {
        openidconnect::RequestTokenError::ServerResponse(response) => {
            format!("the provider refused the code: {}", response.error().as_ref())
        }
        openidconnect::RequestTokenError::Request(error) => format!("the token request failed: {error}"),
        openidconnect::RequestTokenError::Parse(_, _) => "the token answer cannot be read".to_owned(),
        openidconnect::RequestTokenError::Other(message) => format!("the token request failed: {message}"),
    }
}

/// `next` if it is a path of this server (`/…`, not `//host` or `/\host`, no spaces or
/// control characters, which browsers drop), else `/`.
pub fn same_origin_path(next: Option<&str>) -> String {
    match next {
        Some(path)
            if path.starts_with('/')
                && !path.starts_with("//")
                && !path.starts_with("/\\")
                && !path.chars().any(|c| c.is_control() || c.is_whitespace())
                && path.len() <= 2048 =>
        {
            path.to_owned()
        }
        _ => "/".to_owned(),
    }
}

fn query(request: &Request, name: &str) -> Option<String> {
    crate::sandbox::query_value(request.uri().query(), name)
}

/// The browser's binding cookie: 32 random bytes in base64url, as [`random_token`] makes them.
fn cookie_value(request: &Request, name: &str) -> Option<String> {
    cookie_named(request.headers(), name)
        .filter(|value| {
            value.len() == 43 && value.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
        .map(str::to_owned)
}

fn redirect(location: &str) -> Response {
    let mut response = StatusCode::SEE_OTHER.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::LOCATION,
        HeaderValue::from_str(location).unwrap_or_else(|_| HeaderValue::from_static("/signin")),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// The sign-in page telling what went wrong, then going on to `next`.
fn to_sign_in_page(error: &SsoError, next: &str) -> Response {
    let next = percent_encoding::utf8_percent_encode(next, percent_encoding::NON_ALPHANUMERIC);
    redirect(&format!("/signin?sso_error={}&next={next}", error.code()))
}

fn not_configured() -> Response {
    WorkspaceError::NotFound("Single sign-on is not configured on this server (--oidc-issuer)".to_owned())
        .into_response()
}

/// `GET /api/session/oidc?next=/path`: to the provider.
pub async fn start(State(auth): State<Auth>, request: Request) -> Response {
    let Some(oidc) = auth.oidc() else { return not_configured() };
    let next = same_origin_path(query(&request, "next").as_deref());
    let browser = cookie_value(&request, BROWSER_COOKIE).unwrap_or_else(random_token);
    let secure = is_https(&auth, &request);
    let (url, state, nonce, verifier) = match oidc.begin().await {
        Ok(begun) => begun,
        Err(error) => {
            tracing::warn!(reason = error.detail(), "single sign-on cannot start");
            return to_sign_in_page(&error, &next);
        }
    };
    let login = OidcLogin {
        state_sha256: token_hash(state.secret()),
        browser_sha256: token_hash(&browser),
        pkce_verifier: verifier.secret().clone(),
        nonce: nonce.secret().clone(),
        next,
        expires_at: now_ms() + LOGIN_EXPIRY_MS,
    };
    let kept = async {
        let mut connection = auth.store().pool().acquire().await?;
        store::insert_oidc_login(&mut connection, &login).await
    };
    if let Err(error) = kept.await {
        return WorkspaceError::from(error).into_response();
    }
    let mut response = redirect(url.as_str());
    let secure = if secure { "; Secure" } else { "" };
    let cookie = format!(
        "{BROWSER_COOKIE}={browser}; HttpOnly; SameSite=Lax; Path=/api/session/oidc; Max-Age={}{secure}",
        LOGIN_EXPIRY_MS / 1000
    );
    if let Ok(cookie) = HeaderValue::from_str(&cookie) {
        response.headers_mut().insert(header::SET_COOKIE, cookie);
    }
    response
}

/// `GET /api/session/oidc/callback?code=…&state=…` (or `?error=…`): back from the provider.
pub async fn callback(State(auth): State<Auth>, request: Request) -> Response {
    let Some(oidc) = auth.oidc() else { return not_configured() };
    let address = client_address(&auth, &request);
    let secure = is_https(&auth, &request);
    let browser = cookie_value(&request, BROWSER_COOKIE);
    let (state, code, error) = (query(&request, "state"), query(&request, "code"), query(&request, "error"));
    let mut next = "/".to_owned();
    let outcome = async {
        let state = state.ok_or(SsoError::State)?;
        let mut connection =
            auth.store().pool().acquire().await.map_err(|e| SsoError::Failed(e.to_string()))?;
        let login = store::take_oidc_login(&mut connection, &token_hash(&state))
            .await
            .map_err(|e| SsoError::Failed(e.to_string()))?
            .ok_or(SsoError::State)?;
        drop(connection);
        next = login.next.clone();
        if browser.is_none_or(|browser| token_hash(&browser) != login.browser_sha256) {
            return Err(SsoError::State);
        }
        if login.expires_at <= now_ms() {
            return Err(SsoError::Expired);
        }
        match (error.as_deref(), code) {
            (Some("access_denied"), _) => Err(SsoError::Denied),
            (Some(error), _) => Err(SsoError::Failed(format!("the provider answered {error}"))),
            (None, None) => Err(SsoError::Failed("the provider sent no code".to_owned())),
            (None, Some(code)) => oidc.finish(code, login.pkce_verifier, login.nonce).await,
        }
    };
    let identity = match outcome.await {
        Ok(identity) => identity,
        Err(error) => return refused(&auth, &error, address, &next).await,
    };
    let user = match auth.identity_user(&identity).await {
        Ok(user) => user,
        Err(error) => return refused(&auth, &SsoError::Refused(error.message()), address, &next).await,
    };
    let signed_in = async {
        let mut connection = auth.store().pool().acquire().await?;
        auth.start_session(&mut connection, user).await
    };
    let signed_in = match signed_in.await {
        Ok(signed_in) => signed_in,
        Err(error) => return WorkspaceError::from(error).into_response(),
    };
    let mut entry = audit_entry(&signed_in.user.name, "sign_in", "ok");
    entry.detail = Some(with_address("single sign-on", address));
    auth.audit(entry).await;
    let mut response = redirect(&next);
    let max_age = auth.settings().lifetime.as_secs();
    response
        .headers_mut()
        .append(header::SET_COOKIE, crate::auth::routes::cookie(&signed_in.token, max_age, secure));
    // The browser's binding has served.
    let cleared = format!("{BROWSER_COOKIE}=; HttpOnly; SameSite=Lax; Path=/api/session/oidc; Max-Age=0");
    if let Ok(cleared) = HeaderValue::from_str(&cleared) {
        response.headers_mut().append(header::SET_COOKIE, cleared);
    }
    response
}

fn with_address(what: &str, address: Option<std::net::IpAddr>) -> String {
    match address {
        Some(address) => format!("{what}, {address}"),
        None => what.to_owned(),
    }
}

/// Logs and audits a failed single sign-on, and sends the browser to the sign-in page.
async fn refused(auth: &Auth, error: &SsoError, address: Option<std::net::IpAddr>, next: &str) -> Response {
    tracing::warn!(code = error.code(), reason = error.detail(), "single sign-on refused");
    let outcome = if matches!(error, SsoError::Unavailable(_)) { "failed" } else { "denied" };
    let mut entry = audit_entry("anonymous", "sign_in", outcome);
    entry.detail = Some(with_address(&format!("single sign-on: {}", error.code()), address));
    auth.audit(entry).await;
    to_sign_in_page(error, next)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_is_a_path_of_this_server_only() {
        assert_eq!(same_origin_path(Some("/flows?x=1#a")), "/flows?x=1#a");
        for foreign in ["https://evil.test/", "//evil.test", "/\\evil.test", "/\t/evil.test", "flows", ""] {
            assert_eq!(same_origin_path(Some(foreign)), "/", "{foreign:?}");
        }
        assert_eq!(same_origin_path(None), "/");
    }
}
