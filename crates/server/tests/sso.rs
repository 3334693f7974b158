//! Single sign-on on a real server in sandbox mode, each test on SQLite and on PostgreSQL:
//! OpenID Connect against a small identity provider started by the tests (discovery, keys,
//! an authorize endpoint that sends the browser straight back with a code, a token endpoint
//! that checks PKCE and signs RS256 ID tokens), and a reverse proxy's `--auth-header`.
mod common;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::extract::{Form, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use base64::Engine as _;
use common::{Server, databases, json, start_connected, workspace_config};
use flowsmith_server::auth::Role;
use flowsmith_server::config::Secret;
use flowsmith_server::{ServeConfig, Settings};
use openidconnect::core::{
    CoreIdToken, CoreIdTokenClaims, CoreJsonWebKeySet, CoreJwsSigningAlgorithm, CoreRsaPrivateSigningKey,
};
use openidconnect::{AccessToken, JsonWebKeyId, PrivateSigningKey as _};
use serde_json::{Value, json};
use sha2::{Digest as _, Sha256};

const CLIENT_ID: &str = "flowsmith-test";
const CLIENT_SECRET: &str = "the client's secret";
const PASSWORD: &str = "a long enough password";

/// What the provider does on its next sign-ins.
#[derive(Clone)]
struct Behaviour {
    subject: String,
    username: String,
    /// The ID token carries a nonce other than the one asked for.
    wrong_nonce: bool,
    /// The ID token is signed by a key the provider does not publish.
    other_key: bool,
    /// The person refuses (`error=access_denied`).
    deny: bool,
}

struct Pending {
    nonce: String,
    challenge: String,
    redirect_uri: String,
}

struct Provider {
    issuer: String,
    behaviour: Mutex<Behaviour>,
    codes: Mutex<HashMap<String, Pending>>,
    key: CoreRsaPrivateSigningKey,
    other: CoreRsaPrivateSigningKey,
}

fn signing_key(pem: &str) -> CoreRsaPrivateSigningKey {
    CoreRsaPrivateSigningKey::from_pem(pem, Some(JsonWebKeyId::new("test-key".to_owned()))).unwrap()
}

async fn discovery(State(provider): State<Arc<Provider>>) -> Json<Value> {
    let issuer = &provider.issuer;
    Json(json!({
        "issuer": issuer,
        "authorization_endpoint": format!("{issuer}/authorize"),
        "token_endpoint": format!("{issuer}/token"),
        "jwks_uri": format!("{issuer}/jwks"),
        "response_types_supported": ["code"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
    }))
}

async fn jwks(State(provider): State<Arc<Provider>>) -> Json<CoreJsonWebKeySet> {
    Json(CoreJsonWebKeySet::new(vec![provider.key.as_verification_key()]))
}

async fn authorize(
    State(provider): State<Arc<Provider>>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let field = |name: &str| query.get(name).cloned().unwrap_or_default();
    let (redirect_uri, state) = (field("redirect_uri"), field("state"));
    assert_eq!(field("client_id"), CLIENT_ID);
    assert_eq!(field("response_type"), "code");
    assert!(field("scope").split(' ').any(|scope| scope == "openid"), "{query:?}");
    assert_eq!(field("code_challenge_method"), "S256", "PKCE");
    if provider.behaviour.lock().unwrap().deny {
        return Redirect::to(&format!("{redirect_uri}?error=access_denied&state={state}")).into_response();
    }
    let code = uuid::Uuid::new_v4().to_string();
    let pending = Pending {
        nonce: field("nonce"),
        challenge: field("code_challenge"),
        redirect_uri: redirect_uri.clone(),
    };
    provider.codes.lock().unwrap().insert(code.clone(), pending);
    let state = percent_encoding::utf8_percent_encode(&state, percent_encoding::NON_ALPHANUMERIC);
    Redirect::to(&format!("{redirect_uri}?code={code}&state={state}")).into_response()
}

fn token_error(error: &str) -> Response {
    (StatusCode::BAD_REQUEST, Json(json!({"error": error}))).into_response()
}

async fn token(
    State(provider): State<Arc<Provider>>,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let basic = base64::engine::general_purpose::STANDARD.encode(format!(
        "{}:{}",
        form_encode(CLIENT_ID),
        form_encode(CLIENT_SECRET)
    ));
    if headers.get("authorization").and_then(|value| value.to_str().ok()) != Some(&format!("Basic {basic}")) {
        return token_error("invalid_client");
    }
    let field = |name: &str| form.get(name).cloned().unwrap_or_default();
    let Some(pending) = provider.codes.lock().unwrap().remove(&field("code")) else {
        return token_error("invalid_grant");
    };
    let challenge =
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(Sha256::digest(field("code_verifier")));
    if field("grant_type") != "authorization_code"
        || field("redirect_uri") != pending.redirect_uri
        || challenge != pending.challenge
    {
        return token_error("invalid_grant");
    }
    let behaviour = provider.behaviour.lock().unwrap().clone();
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
    let nonce = if behaviour.wrong_nonce { "another nonce".to_owned() } else { pending.nonce };
    let claims: CoreIdTokenClaims = serde_json::from_value(json!({
        "iss": provider.issuer,
        "aud": [CLIENT_ID],
        "exp": now + 300,
        "iat": now,
        "sub": behaviour.subject,
        "nonce": nonce,
        "preferred_username": behaviour.username,
    }))
    .unwrap();
    let access_token = AccessToken::new(format!("access-{}", uuid::Uuid::new_v4()));
    let key = if behaviour.other_key { &provider.other } else { &provider.key };
    let id_token = CoreIdToken::new(
        claims,
        key,
        CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256,
        Some(&access_token),
        None,
    )
    .unwrap();
    Json(json!({
        "access_token": access_token.secret(),
        "token_type": "Bearer",
        "expires_in": 300,
        "id_token": id_token.to_string(),
    }))
    .into_response()
}

/// `application/x-www-form-urlencoded` of a client credential, as RFC 6749 §2.3.1 asks.
fn form_encode(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

/// The identity provider on a free loopback port.
struct RunningProvider {
    provider: Arc<Provider>,
    _task: tokio::task::JoinHandle<()>,
}

impl RunningProvider {
    async fn start() -> RunningProvider {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let issuer = format!("http://{}", listener.local_addr().unwrap());
        let provider = Arc::new(Provider {
            issuer,
            behaviour: Mutex::new(Behaviour {
                subject: "subject-ana".to_owned(),
                username: "ana".to_owned(),
                wrong_nonce: false,
                other_key: false,
                deny: false,
            }),
            codes: Mutex::new(HashMap::new()),
            key: signing_key(include_str!("support/oidc/provider.pem")),
            other: signing_key(include_str!("support/oidc/other.pem")),
        });
        let router = Router::new()
            .route("/.well-known/openid-configuration", get(discovery))
            .route("/jwks", get(jwks))
            .route("/authorize", get(authorize))
            .route("/token", post(token))
            .with_state(Arc::clone(&provider));
        let task = tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
        RunningProvider { provider, _task: task }
    }

    fn set(&self, change: impl FnOnce(&mut Behaviour)) {
        change(&mut self.provider.behaviour.lock().unwrap());
    }
}

/// A server on `database` using `provider` for single sign-on.
async fn server(name: &str, database: &Option<String>, provider: &RunningProvider) -> Server {
    let mut config = workspace_config(name, database);
    config.oidc_issuer = Some(provider.provider.issuer.clone());
    config.oidc_client_id = Some(CLIENT_ID.to_owned());
    config.oidc_client_secret = Some(Secret::new(CLIENT_SECRET));
    start_connected(Settings::from_config(&config).unwrap()).await
}

/// A browser: follows redirects and keeps cookies.
fn browser() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder().cookie_store(true).no_proxy().build().unwrap()
}

/// A browser that stops at each redirect (its cookies kept in `jar`).
fn stepping_browser(jar: &Arc<reqwest::cookie::Jar>) -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .cookie_provider(Arc::clone(jar))
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .build()
        .unwrap()
}

/// Who `client` is signed in as on `server` (`null` when nobody).
async fn who(server: &Server, client: &reqwest::Client) -> Value {
    let (status, body) = json(client.get(server.at("/api/session")).send().await.unwrap()).await;
    assert_eq!(status, 200, "{body}");
    body["data"]["user"].clone()
}

/// Signs in through the provider, following every redirect; answers where it ended.
async fn sign_in(server: &Server, client: &reqwest::Client, next: &str) -> url::Url {
    let start = format!("{}?next={}", server.at("/api/session/oidc"), form_encode(next));
    let response = client.get(start).send().await.unwrap();
    assert_eq!(response.status(), 200, "{}", response.url());
    response.url().clone()
}

/// The `sso_error` the sign-in page was given, if the browser ended there.
fn sso_error(url: &url::Url) -> Option<String> {
    assert_eq!(url.path(), "/signin", "{url}");
    url.query_pairs().find(|(name, _)| name == "sso_error").map(|(_, value)| value.into_owned())
}

/// The `Location` of a redirect.
fn location(response: &reqwest::Response) -> String {
    assert!(response.status().is_redirection(), "{}", response.status());
    response.headers()["location"].to_str().unwrap().to_owned()
}

async fn count(server: &Server, sql: &'static str) -> i64 {
    let pool = server.state.workspace().store().pool();
    sqlx::query_as::<_, (i64,)>(sql).fetch_one(pool).await.unwrap().0
}

#[tokio::test]
async fn single_sign_on_creates_the_user_once_with_the_default_role() {
    for database in databases("sso_round_trip").await {
        let provider = RunningProvider::start().await;
        let server = server("sso-round-trip", &database, &provider).await;
        // A user an admin added by hand, with the name the provider will give: not taken over.
        server.state.auth().add_user("ana", Role::Admin, PASSWORD).await.unwrap();
        let (_, session) = json(browser().get(server.at("/api/session")).send().await.unwrap()).await;
        assert_eq!(session["data"]["single_sign_on"], "/api/session/oidc", "{session}");
        let page = browser().get(server.at("/signin")).send().await.unwrap().text().await.unwrap();
        assert!(page.contains("data-testid=\"sign-in-sso\""), "the page has the button");

        let client = browser();
        let landed = sign_in(&server, &client, "/some/client/route?x=1").await;
        assert_eq!((landed.path(), landed.query()), ("/some/client/route", Some("x=1")), "back to next");
        let user = who(&server, &client).await;
        assert_eq!((&user["name"], &user["role"]), (&json!("ana-2"), &json!("viewer")), "{user}");
        assert_eq!(client.get(server.at("/api/flows")).send().await.unwrap().status(), 200);

        // Another browser, the same person: the same user, no new one.
        let users = count(&server, "SELECT COUNT(*) FROM users").await;
        let again = browser();
        sign_in(&server, &again, "/").await;
        assert_eq!(who(&server, &again).await["name"], "ana-2");
        assert_eq!(count(&server, "SELECT COUNT(*) FROM users").await, users);
        assert_eq!(count(&server, "SELECT COUNT(*) FROM oidc_logins").await, 0, "each sign-in taken");
        // The password user is untouched, and SSO users have no password.
        assert_eq!(who(&server, &client).await["name"], "ana-2");
        let response = browser()
            .post(server.at("/api/session"))
            .json(&json!({"username": "ana-2", "password": "none"}))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 401);

        // A next of another site is not followed.
        assert_eq!(sign_in(&server, &browser(), "https://evil.test/").await.path(), "/");

        // The default role is a flag; the audit log has the creation and the sign-ins.
        let admin = browser();
        let response = admin
            .post(server.at("/api/session"))
            .json(&json!({"username": "ana", "password": PASSWORD}))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        let (_, log) = json(
            admin.get(server.at("/api/audit?action=sign_in&actor=ana-2&outcome=ok")).send().await.unwrap(),
        )
        .await;
        let items = log["data"]["items"].as_array().unwrap();
        assert_eq!(items.len(), 3, "{log}");
        assert!(items[0]["detail"].as_str().unwrap().starts_with("single sign-on"), "{log}");
        let (_, log) = json(admin.get(server.at("/api/audit?action=user_add")).send().await.unwrap()).await;
        assert!(log["data"]["items"][0]["detail"].as_str().unwrap().contains("role viewer"), "{log}");
    }
}

#[tokio::test]
async fn the_default_role_of_new_users_is_a_flag() {
    let provider = RunningProvider::start().await;
    let mut config = workspace_config("sso-role", &None);
    config.oidc_issuer = Some(provider.provider.issuer.clone());
    config.oidc_client_id = Some(CLIENT_ID.to_owned());
    config.oidc_client_secret = Some(Secret::new(CLIENT_SECRET));
    config.sso_default_role = Role::Editor;
    let server = start_connected(Settings::from_config(&config).unwrap()).await;
    let client = browser();
    sign_in(&server, &client, "/").await;
    assert_eq!(who(&server, &client).await["role"], "editor");
}

#[tokio::test]
async fn single_sign_on_refuses_wrong_replayed_and_forged_answers() {
    for database in databases("sso_refusals").await {
        let provider = RunningProvider::start().await;
        let server = server("sso-refusals", &database, &provider).await;
        let start = server.at("/api/session/oidc?next=/after");

        // Step by step: start, the provider, the way back.
        let jar = Arc::new(reqwest::cookie::Jar::default());
        let client = stepping_browser(&jar);
        let to_provider = location(&client.get(&start).send().await.unwrap());
        assert!(to_provider.starts_with(&provider.provider.issuer), "{to_provider}");
        let back = location(&client.get(&to_provider).send().await.unwrap());
        assert!(back.starts_with(&server.at("/api/session/oidc/callback?code=")), "{back}");
        let binding =
            reqwest::cookie::CookieStore::cookies(&*jar, &server.at("/api/session/oidc").parse().unwrap())
                .unwrap()
                .to_str()
                .unwrap()
                .to_owned();
        // A wrong state, in the right browser.
        let wrong = back.replace("state=", "state=x");
        let response = client.get(&wrong).send().await.unwrap();
        assert_eq!(location(&response), "/signin?sso_error=state&next=%2F");
        // The right one signs in and goes to next.
        let response = client.get(&back).send().await.unwrap();
        assert_eq!(location(&response), "/after");
        assert!(who(&server, &client).await["name"] == "ana");
        // Replayed, even with the browser's binding cookie: refused.
        let replay = stepping_browser(&Arc::new(reqwest::cookie::Jar::default()));
        let response = replay.get(&back).header("cookie", &binding).send().await.unwrap();
        assert!(location(&response).starts_with("/signin?sso_error=state"));
        assert!(who(&server, &replay).await.is_null());

        // Started in one browser, completed in another (a link sent to a victim): refused.
        let victim = browser();
        let jar = Arc::new(reqwest::cookie::Jar::default());
        let attacker = stepping_browser(&jar);
        let to_provider = location(&attacker.get(&start).send().await.unwrap());
        let back = location(&attacker.get(&to_provider).send().await.unwrap());
        let landed = victim.get(&back).send().await.unwrap().url().clone();
        assert_eq!(sso_error(&landed).as_deref(), Some("state"));
        assert!(who(&server, &victim).await.is_null());

        // Too slow: the sign-in expired before the browser came back.
        let jar = Arc::new(reqwest::cookie::Jar::default());
        let slow = stepping_browser(&jar);
        let to_provider = location(&slow.get(&start).send().await.unwrap());
        sqlx::query("UPDATE oidc_logins SET expires_at = 1")
            .execute(server.state.workspace().store().pool())
            .await
            .unwrap();
        let back = location(&slow.get(&to_provider).send().await.unwrap());
        assert_eq!(
            location(&slow.get(&back).send().await.unwrap()),
            "/signin?sso_error=expired&next=%2Fafter"
        );

        // An ID token with another nonce, one signed by a key the provider does not publish,
        // and a person who refuses: each lands on the sign-in page, signed out.
        for (change, code) in [
            ((|b: &mut Behaviour| b.wrong_nonce = true) as fn(&mut Behaviour), "token"),
            (|b: &mut Behaviour| b.other_key = true, "token"),
            (|b: &mut Behaviour| b.deny = true, "denied"),
        ] {
            provider.set(|b| {
                *b = Behaviour {
                    subject: "subject-cy".to_owned(),
                    username: "cy".to_owned(),
                    wrong_nonce: false,
                    other_key: false,
                    deny: false,
                }
            });
            provider.set(change);
            let client = browser();
            let landed = sign_in(&server, &client, "/after").await;
            assert_eq!(sso_error(&landed).as_deref(), Some(code), "{landed}");
            assert_eq!(landed.query_pairs().find(|(name, _)| name == "next").unwrap().1, "/after");
            assert!(who(&server, &client).await.is_null(), "{code}");
        }
        assert_eq!(count(&server, "SELECT COUNT(*) FROM users WHERE name = 'cy'").await, 0, "nobody made");
        let refused =
            count(&server, "SELECT COUNT(*) FROM audit WHERE action = 'sign_in' AND outcome = 'denied'")
                .await;
        assert_eq!(refused, 7, "every refusal audited");
    }
}

#[tokio::test]
async fn an_unreachable_provider_is_said_on_the_sign_in_page() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let issuer = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let mut config = workspace_config("sso-unreachable", &None);
    config.oidc_issuer = Some(issuer);
    config.oidc_client_id = Some(CLIENT_ID.to_owned());
    let server = start_connected(Settings::from_config(&config).unwrap()).await;
    let landed = sign_in(&server, &browser(), "/x").await;
    assert_eq!(sso_error(&landed).as_deref(), Some("unavailable"));
}

#[tokio::test]
async fn oidc_flags_are_checked() {
    let check = |change: fn(&mut ServeConfig)| {
        let mut config = ServeConfig::new("dist");
        change(&mut config);
        Settings::from_config(&config).err().map(|error| error.to_string())
    };
    let error = check(|c| c.oidc_issuer = Some("http://idp.example.com".to_owned())).unwrap();
    assert!(error.contains("--oidc-client-id"), "{error}");
    let error = check(|c| {
        c.oidc_issuer = Some("http://idp.example.com".to_owned());
        c.oidc_client_id = Some(CLIENT_ID.to_owned());
    })
    .unwrap();
    assert!(error.contains("must be https"), "{error}");
    assert_eq!(
        check(|c| {
            c.oidc_issuer = Some("https://idp.example.com/realms/team".to_owned());
            c.oidc_client_id = Some(CLIENT_ID.to_owned());
        }),
        None
    );
    let error = check(|c| c.auth_header = Some("X-Forwarded-User".to_owned())).unwrap();
    assert!(error.contains("needs --trusted-proxy"), "{error}");
}

/// A server taking `X-Forwarded-User` from `trusted` proxies.
async fn behind_proxy(name: &str, database: &Option<String>, trusted: &str) -> Server {
    let mut config = workspace_config(name, database);
    config.auth_header = Some("X-Forwarded-User".to_owned());
    config.trusted_proxies = vec![trusted.parse().unwrap()];
    start_connected(Settings::from_config(&config).unwrap()).await
}

#[tokio::test]
async fn the_proxy_header_is_believed_only_from_trusted_proxies() {
    for database in databases("sso_header").await {
        let server = behind_proxy("sso-header", &database, "127.0.0.0/8").await;
        let client = common::client();
        let as_bo = |path: &str| client.get(server.at(path)).header("x-forwarded-user", "bo");
        let (status, body) = json(as_bo("/api/session").send().await.unwrap()).await;
        assert_eq!(status, 200);
        assert_eq!(
            (&body["data"]["user"]["name"], &body["data"]["user"]["role"]),
            (&json!("bo"), &json!("viewer"))
        );
        assert_eq!(as_bo("/api/flows").send().await.unwrap().status(), 200);
        // Without the header (and no user yet besides bo): sign-in is required.
        assert_eq!(client.get(server.at("/api/flows")).send().await.unwrap().status(), 401);
        // The role is the user's: a viewer may not add users.
        let response = client
            .post(server.at("/api/users"))
            .header("x-forwarded-user", "bo")
            .json(&json!({"name": "x", "role": "admin", "password": PASSWORD}))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 403);
        // Two names: refused, not guessed.
        let response = as_bo("/api/flows").header("x-forwarded-user", "admin").send().await.unwrap();
        assert_eq!(response.status(), 401);
        // The same-origin check still applies to changes.
        server.state.auth().set_role("bo", Role::Editor).await.unwrap();
        let response = client
            .post(server.at("/api/flows"))
            .header("x-forwarded-user", "bo")
            .header("origin", "https://evil.test")
            .json(&json!({}))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 403);
        assert_eq!(count(&server, "SELECT COUNT(*) FROM users").await, 1);

        // Proxies elsewhere are trusted, this address is not: the header is ignored.
        let server = behind_proxy("sso-header-untrusted", &database, "10.0.0.0/8").await;
        let untrusted = |path: &str| client.get(server.at(path)).header("x-forwarded-user", "admin");
        let (status, body) = json(untrusted("/api/session").send().await.unwrap()).await;
        assert_eq!((status, &body["data"]["user"]), (200, &Value::Null), "{body}");
        assert_eq!(body["data"]["sign_in_required"], true, "sign-in is on with single sign-on");
        assert_eq!(untrusted("/api/flows").send().await.unwrap().status(), 401);
        assert_eq!(count(&server, "SELECT COUNT(*) FROM users WHERE name = 'admin'").await, 0, "nobody made");
    }
}
