//! Sign-in, roles, the audit log and requests from other sites, on a real server in sandbox
//! mode, each test on SQLite and on PostgreSQL: the modes, cookies, expiry, sign-out, sessions
//! ended by changes, failed sign-ins slowed and refused, the route table (every route × no
//! session and each role), cross-site requests, the audit log, and `flowsmith user`.
mod common;

use std::net::SocketAddr;

use common::{Server, assert_error, client, databases, json, sandbox_config, workspace_config};
use flowsmith_server::auth::access::{ANY, Access, RULES, graph_operation, partner_operation};
use flowsmith_server::auth::{Role, Throttle};
use flowsmith_server::{AppState, ServeConfig, ServeError, Settings, app};
use serde_json::{Value, json};

const PASSWORD: &str = "a long enough password";

use common::start_connected as start_settings;

async fn start(config: ServeConfig) -> Server {
    start_settings(Settings::from_config(&config).unwrap()).await
}

/// A server on `database` with one user of each role (named after it).
async fn team(name: &str, database: &Option<String>) -> Server {
    let server = start(workspace_config(name, database)).await;
    for role in Role::ALL {
        server.state.auth().add_user(role.as_str(), role, PASSWORD).await.unwrap();
    }
    server
}

/// Signs in; answers the status, the body and the session cookie's `Set-Cookie`.
async fn sign_in_as(server: &Server, name: &str, password: &str) -> (u16, Value, Option<String>) {
    let response = client()
        .post(server.at("/api/session"))
        .json(&json!({"username": name, "password": password}))
        .send()
        .await
        .unwrap();
    let cookie = response.headers().get("set-cookie").map(|value| value.to_str().unwrap().to_owned());
    let (status, body) = json(response).await;
    (status, body, cookie)
}

/// The `name=value` part of a `Set-Cookie`.
fn cookie_pair(set_cookie: &str) -> String {
    set_cookie.split(';').next().unwrap().to_owned()
}

/// Signs in as `name`; answers the `Cookie` header to send.
async fn session(server: &Server, name: &str) -> String {
    let (status, body, cookie) = sign_in_as(server, name, PASSWORD).await;
    assert_eq!(status, 200, "{body}");
    cookie_pair(&cookie.unwrap())
}

async fn get(server: &Server, path: &str, cookie: Option<&str>) -> (u16, Value) {
    let mut request = client().get(server.at(path));
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    json(request.send().await.unwrap()).await
}

async fn post(server: &Server, path: &str, cookie: &str, body: Value) -> (u16, Value) {
    json(client().post(server.at(path)).header("cookie", cookie).json(&body).send().await.unwrap()).await
}

#[tokio::test]
async fn loopback_without_users_needs_no_sign_in() {
    for database in databases("auth_open").await {
        let server = start(workspace_config("auth-open", &database)).await;
        let (status, body) = get(&server, "/api/flows", None).await;
        assert_eq!(status, 200, "{body}");
        let (status, body) = get(&server, "/api/session", None).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(
            body["data"],
            json!({"user": null, "sign_in_required": false, "insecure_no_auth": false, "single_sign_on": null})
        );
        let (status, _) = get(&server, "/flowsmith/config", None).await;
        assert_eq!(status, 200);
    }
}

#[tokio::test]
async fn a_reachable_server_without_users_refuses_to_start_unless_told_insecure() {
    let mut config = sandbox_config("auth-reachable");
    config.bind = "0.0.0.0".parse().unwrap();
    let settings = Settings::from_config(&config).unwrap();
    let address: SocketAddr = "0.0.0.0:0".parse().unwrap();
    let error = AppState::new(settings, address).await.err().expect("refused");
    assert!(matches!(error, ServeError::NoUser(_)), "{error}");
    let message = error.to_string();
    assert!(
        message.contains("flowsmith user add NAME --role admin") && message.contains("--insecure-no-auth"),
        "{message}"
    );

    config.insecure_no_auth = true;
    let settings = Settings::from_config(&config).unwrap();
    let state = AppState::new(settings.clone(), address).await.unwrap();
    // The app is told, so it can say it.
    let response = tower::ServiceExt::oneshot(
        app(state),
        axum::http::Request::get("/flowsmith/config")
            .header("host", "127.0.0.1")
            .body(axum::body::Body::empty())
            .unwrap(),
    )
    .await
    .unwrap();
    let bytes = axum::body::to_bytes(response.into_body(), 1 << 20).await.unwrap();
    let config_json: Value = serde_json::from_slice(&bytes).unwrap();
    assert!(
        config_json["auth"]["warning"].as_str().is_some_and(|w| w.contains("--insecure-no-auth")),
        "{config_json}"
    );
    // Every page shows it at its top, before and without the app.
    let response = tower::ServiceExt::oneshot(
        app(AppState::new(settings.clone(), address).await.unwrap()),
        axum::http::Request::get("/").header("host", "127.0.0.1").body(axum::body::Body::empty()).unwrap(),
    )
    .await
    .unwrap();
    let page = String::from_utf8(axum::body::to_bytes(response.into_body(), 1 << 20).await.unwrap().to_vec())
        .unwrap();
    assert!(page.starts_with("<!doctype html><title>Flowsmith</title>"), "{page}");
    assert!(page.contains("data-testid=\"server-warning\"") && page.contains("--insecure-no-auth"), "{page}");

    // Once a user exists, the same server starts without the flag, and requires sign-in.
    let user_config = ServeConfig { insecure_no_auth: false, ..config };
    let store = flowsmith_server::workspace::store::Store::open(&settings.workspace).await.unwrap();
    flowsmith_server::auth::Auth::new(store, Default::default())
        .add_user("ana", Role::Admin, PASSWORD)
        .await
        .unwrap();
    assert!(AppState::new(Settings::from_config(&user_config).unwrap(), address).await.is_ok());
}

#[tokio::test]
async fn once_a_user_exists_only_public_routes_answer_without_a_session() {
    for database in databases("auth_closed").await {
        let server = start(workspace_config("auth-closed", &database)).await;
        let (status, _) = get(&server, "/api/flows", None).await;
        assert_eq!(status, 200, "no user yet");
        server.state.auth().add_user("ana", Role::Viewer, PASSWORD).await.unwrap();
        for path in [
            "/api/flows",
            "/api/accounts",
            "/flowsmith/config",
            "/api/v2/partners/sandboxPA/channels",
            "/sandbox/api/v2/partners/sandboxPA/channels",
            "/api/events",
        ] {
            let (status, body) = get(&server, path, None).await;
            let message = assert_error(status, &body, 401, "sign_in_required");
            assert!(message.contains("/signin"), "{message}");
        }
        for path in ["/healthz", "/api/session"] {
            let (status, body) = get(&server, path, None).await;
            assert_eq!(status, 200, "{path}: {body}");
        }
        for path in ["/", "/signin", "/admin", "/app.js", "/some/client/route"] {
            let response = client().get(server.at(path)).send().await.unwrap();
            assert_eq!(response.status(), 200, "{path}");
        }
        let admin = client().get(server.at("/admin")).send().await.unwrap();
        assert!(admin.headers()["content-security-policy"].to_str().unwrap().contains("'sha256-"));
        assert!(admin.text().await.unwrap().contains("data-testid=\"admin-users\""));
        let page = client().get(server.at("/signin")).send().await.unwrap();
        let policy = page.headers()["content-security-policy"].to_str().unwrap().to_owned();
        assert!(page.text().await.unwrap().contains("data-testid=\"sign-in-form\""));
        assert!(policy.contains("'sha256-"), "the page's script is allowed by its hash: {policy}");
    }
}

#[tokio::test]
async fn sign_in_sets_a_strict_cookie_and_sign_out_ends_the_session() {
    for database in databases("auth_cookie").await {
        let server = team("auth-cookie", &database).await;
        let (status, body, cookie) = sign_in_as(&server, "Editor", PASSWORD).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["data"]["user"]["name"], "editor");
        assert_eq!(body["data"]["user"]["role"], "editor");
        let set_cookie = cookie.unwrap();
        for flag in ["HttpOnly", "SameSite=Lax", "Path=/", "Max-Age="] {
            assert!(set_cookie.contains(flag), "{set_cookie}");
        }
        assert!(!set_cookie.contains("Secure"), "plain http: {set_cookie}");
        let cookie = cookie_pair(&set_cookie);
        let token = cookie.split_once('=').unwrap().1.to_owned();
        assert!(token.len() >= 43, "{token}");

        let (status, body) = get(&server, "/api/session", Some(&cookie)).await;
        assert_eq!((status, &body["data"]["user"]["name"]), (200, &json!("editor")), "{body}");
        assert_eq!(body["data"]["sign_in_required"], true);
        assert_eq!(get(&server, "/api/flows", Some(&cookie)).await.0, 200);

        // The database holds the token's hash, never the token.
        let mut connection = server.state.workspace().store().pool().acquire().await.unwrap();
        let stored: Vec<(String,)> =
            sqlx::query_as("SELECT token_sha256 FROM sessions").fetch_all(&mut *connection).await.unwrap();
        assert!(!stored.is_empty() && stored.iter().all(|(hash,)| hash != &token && hash.len() == 64));

        let response =
            client().delete(server.at("/api/session")).header("cookie", &cookie).send().await.unwrap();
        let cleared = response.headers()["set-cookie"].to_str().unwrap().to_owned();
        assert!(cleared.contains("Max-Age=0"), "{cleared}");
        assert_eq!(response.status(), 200);
        let (status, body) = get(&server, "/api/flows", Some(&cookie)).await;
        assert_error(status, &body, 401, "sign_in_required");
    }
}

#[tokio::test]
async fn the_cookie_is_secure_over_https() {
    // Told by a flag.
    let mut config = sandbox_config("auth-secure");
    config.secure_cookies = true;
    let server = start(config).await;
    server.state.auth().add_user("ana", Role::Viewer, PASSWORD).await.unwrap();
    let (_, _, cookie) = sign_in_as(&server, "ana", PASSWORD).await;
    assert!(cookie.unwrap().contains("; Secure"));

    // Told by a trusted proxy, and only by one.
    for (trusted, secure) in [("127.0.0.1", true), ("10.9.9.9", false)] {
        let mut config = sandbox_config("auth-proxy");
        config.trusted_proxies = vec![trusted.parse::<std::net::IpAddr>().unwrap().into()];
        let server = start(config).await;
        server.state.auth().add_user("ana", Role::Viewer, PASSWORD).await.unwrap();
        let response = client()
            .post(server.at("/api/session"))
            .header("x-forwarded-proto", "https")
            .json(&json!({"username": "ana", "password": PASSWORD}))
            .send()
            .await
            .unwrap();
        let cookie = response.headers()["set-cookie"].to_str().unwrap().to_owned();
        assert_eq!(cookie.contains("; Secure"), secure, "{trusted}: {cookie}");
    }
}

#[tokio::test]
async fn sessions_end_when_idle_or_old_and_when_the_password_or_role_changes() {
    for database in databases("auth_expiry").await {
        let server = team("auth-expiry", &database).await;
        let pool = server.state.workspace().store().pool().clone();
        let expire = |sql: &'static str| {
            let pool = pool.clone();
            async move { sqlx::query(sql).execute(&pool).await.unwrap() }
        };
        let cookie = session(&server, "viewer").await;
        expire("UPDATE sessions SET expires_at = 1").await;
        assert_eq!(get(&server, "/api/flows", Some(&cookie)).await.0, 401, "past its lifetime");

        let cookie = session(&server, "viewer").await;
        expire("UPDATE sessions SET last_seen_at = 1").await;
        assert_eq!(get(&server, "/api/flows", Some(&cookie)).await.0, 401, "idle too long");

        // Two sessions of one user (two browsers): a new password ends both.
        let (first, second) = (session(&server, "editor").await, session(&server, "editor").await);
        let other = session(&server, "viewer").await;
        server.state.auth().set_password("editor", "another long password").await.unwrap();
        assert_eq!(get(&server, "/api/flows", Some(&first)).await.0, 401);
        assert_eq!(get(&server, "/api/flows", Some(&second)).await.0, 401);
        assert_eq!(get(&server, "/api/flows", Some(&other)).await.0, 200, "others keep theirs");
        assert_eq!(sign_in_as(&server, "editor", PASSWORD).await.0, 401, "the old password");

        server.state.auth().set_role("viewer", Role::Publisher).await.unwrap();
        assert_eq!(get(&server, "/api/flows", Some(&other)).await.0, 401, "a role change ends sessions");
        let (_, body, _) = sign_in_as(&server, "viewer", PASSWORD).await;
        assert_eq!(body["data"]["user"]["role"], "publisher");

        // The hourly purge forgets ended sessions.
        expire("UPDATE sessions SET expires_at = 1").await;
        assert!(server.state.auth().purge().await.unwrap() >= 1);
        let (left,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM sessions").fetch_one(&pool).await.unwrap();
        assert_eq!(left, 0);
    }
}

/// An open `/api/events` stream ends when its session does, here by signing out in another
/// request; one of another user goes on.
#[tokio::test]
async fn an_event_stream_ends_with_its_session() {
    use futures_util::StreamExt as _;
    for database in databases("auth_stream").await {
        let server = team("auth-stream", &database).await;
        let open = |cookie: String| {
            let request = client().get(server.at("/api/events")).header("cookie", cookie);
            async move {
                let response = request.send().await.unwrap();
                assert_eq!(response.status(), 200);
                let mut stream = response.bytes_stream();
                let first = stream.next().await.unwrap().unwrap();
                assert!(String::from_utf8_lossy(&first).contains("event: ready"), "{first:?}");
                stream
            }
        };
        let (leaving, staying) = (session(&server, "viewer").await, session(&server, "editor").await);
        let mut ended = open(leaving.clone()).await;
        let mut kept = open(staying.clone()).await;
        let response =
            client().delete(server.at("/api/session")).header("cookie", &leaving).send().await.unwrap();
        assert_eq!(response.status(), 200);
        // A guard against hanging, not a measure: the stream ends within its check interval.
        let guard = std::time::Duration::from_secs(60);
        loop {
            match tokio::time::timeout(guard, ended.next())
                .await
                .expect("the stream of the ended session ends")
            {
                None | Some(Err(_)) => break,
                Some(Ok(_)) => {}
            }
        }
        // The other session's stream still carries events: a change made now arrives.
        let (status, body) = post(
            &server,
            "/api/flows",
            &staying,
            json!({"account_id": first_account(&server, &staying).await, "name": "After sign-out",
                   "categories": ["OTHER"], "json_definition": "{\"version\": \"7.3\", \"screens\": []}"}),
        )
        .await;
        assert_eq!(status, 201, "{body}");
        let mut seen = String::new();
        while !seen.contains("After sign-out") {
            let chunk = tokio::time::timeout(guard, kept.next()).await.expect("the event arrives");
            seen.push_str(&String::from_utf8_lossy(&chunk.expect("the stream goes on").unwrap()));
        }
    }
}

/// The id of the first account the server lists.
async fn first_account(server: &Server, cookie: &str) -> String {
    let (status, body) = get(server, "/api/accounts", Some(cookie)).await;
    assert_eq!(status, 200, "{body}");
    body["data"][0]["id"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn failed_sign_ins_are_refused_alike_for_users_who_exist_and_who_do_not() {
    for database in databases("auth_brute").await {
        let mut settings = Settings::from_config(&workspace_config("auth-brute", &database)).unwrap();
        settings.auth.throttle = Throttle {
            user_slow_after: 3,
            user_refuse_after: 3,
            address_slow_after: 6,
            address_refuse_after: 6,
            ..Throttle::default()
        };
        let server = start_settings(settings).await;
        server.state.auth().add_user("ana", Role::Admin, PASSWORD).await.unwrap();
        let without_trace = |mut body: Value| {
            body["error"]["trace_id"] = Value::Null;
            body
        };
        let mut answers = Vec::new();
        for name in ["ana", "nobody"] {
            for _ in 0..3 {
                let (status, body, cookie) = sign_in_as(&server, name, "wrong password!").await;
                assert_error(status, &body, 401, "invalid_credentials");
                assert!(cookie.is_none());
                answers.push(without_trace(body));
            }
        }
        assert!(answers.iter().all(|answer| answer == &answers[0]), "{answers:?}");
        // Refused now, even with the right password, and the same answer for both names.
        let response = client()
            .post(server.at("/api/session"))
            .json(&json!({"username": "ana", "password": PASSWORD}))
            .send()
            .await
            .unwrap();
        assert!(response.headers().get("retry-after").is_some());
        let (status, refused) = json(response).await;
        assert_error(status, &refused, 429, "too_many_attempts");
        let (status, other, _) = sign_in_as(&server, "nobody", PASSWORD).await;
        assert_error(status, &other, 429, "too_many_attempts");
        // Per address too: a fresh name from the same address is refused.
        let (status, body, _) = sign_in_as(&server, "carol", PASSWORD).await;
        assert_error(status, &body, 429, "too_many_attempts");
    }
}

/// A path for `pattern`, with its parameters filled in.
fn concrete(pattern: &str, flow: &str) -> String {
    pattern
        .replace("{partner_id}", "sandboxPA")
        .replace("{waba_account_id}", "sandbox1WA")
        .replace("{flow_id}", "123")
        .replace("{version}", "v21.0")
        .replace("{id}", flow)
        .replace("{revision}", "1")
        .replace("{token}", "abc")
        .replace("{name}", "nobody")
        .replace("{secret}", "not-a-webhook-secret")
        .replace("{*rest}", "x")
}

/// The Partner API operations, as `(method, path after /api/v2/)`.
const PARTNER_OPERATIONS: &[(&str, &str)] = &[
    ("GET", "partners/sandboxPA/channels"),
    ("GET", "partners/sandboxPA/waba_accounts/sandbox1WA/flows"),
    ("POST", "partners/sandboxPA/waba_accounts/sandbox1WA/flows"),
    ("POST", "partners/sandboxPA/waba_accounts/sandbox1WA/flows/migrate_flows"),
    ("GET", "partners/sandboxPA/waba_accounts/sandbox1WA/flows/123"),
    ("PATCH", "partners/sandboxPA/waba_accounts/sandbox1WA/flows/123"),
    ("DELETE", "partners/sandboxPA/waba_accounts/sandbox1WA/flows/123"),
    ("GET", "partners/sandboxPA/waba_accounts/sandbox1WA/flows/123/assets"),
    ("POST", "partners/sandboxPA/waba_accounts/sandbox1WA/flows/123/assets"),
    ("POST", "partners/sandboxPA/waba_accounts/sandbox1WA/flows/123/publish"),
    ("GET", "partners/sandboxPA/waba_accounts/sandbox1WA/flows/123/preview"),
    ("POST", "partners/sandboxPA/waba_accounts/sandbox1WA/flows/123/deprecate"),
    ("GET", "partners/sandboxPA/not-an-operation"),
];

/// Every route of the access table × (no session, each role) → 401, 403 or through.
#[tokio::test]
async fn the_route_table_every_route_times_every_role() {
    for database in databases("auth_table").await {
        let server = team("auth-table", &database).await;
        let mut cookies = vec![(None, None)];
        for role in Role::ALL {
            cookies.push((Some(role), Some(session(&server, role.as_str()).await)));
        }
        let mut cases: Vec<(String, String, Access)> = Vec::new();
        for (pattern, method, rule) in RULES {
            let methods: Vec<&str> = if *method == ANY { vec!["GET", "POST"] } else { vec![method] };
            for method in methods {
                match rule.access {
                    Access::PartnerOperation if *pattern == "/api/v2/{*rest}" => {
                        for (operation_method, path) in PARTNER_OPERATIONS {
                            let segments: Vec<&str> = path.split('/').collect();
                            let access =
                                partner_operation(&operation_method.parse().unwrap(), &segments).access;
                            cases.push((operation_method.to_string(), format!("/api/v2/{path}"), access));
                        }
                        break;
                    }
                    Access::PartnerOperation => {
                        let path = concrete(pattern, "f");
                        let segments: Vec<&str> = path["/sandbox/api/v2/".len()..].split('/').collect();
                        let access = partner_operation(&method.parse().unwrap(), &segments).access;
                        cases.push((method.to_owned(), path, access));
                    }
                    Access::GraphOperation => {
                        let path = concrete(pattern, "f");
                        let segments: Vec<&str> = path["/sandbox/graph/v21.0/".len()..].split('/').collect();
                        let access = graph_operation(&method.parse().unwrap(), &segments, None).access;
                        cases.push((method.to_owned(), path.clone(), access));
                        if method == "GET" && segments.len() == 1 {
                            // A new preview link changes state: editors.
                            let query = "fields=preview.invalidate(true)";
                            let access =
                                graph_operation(&"GET".parse().unwrap(), &segments, Some(query)).access;
                            cases.push((method.to_owned(), format!("{path}?{query}"), access));
                        }
                    }
                    access => cases.push((method.to_owned(), concrete(pattern, "f"), access)),
                }
            }
        }
        assert!(cases.len() > RULES.len(), "{}", cases.len());
        // Signing out ends the sessions the other cases use: last.
        cases.sort_by_key(|(method, path, _)| method == "DELETE" && path == "/api/session");
        for (method, path, access) in &cases {
            for (role, cookie) in &cookies {
                let mut request = client().request(method.parse().unwrap(), server.at(path));
                if let Some(cookie) = cookie {
                    request = request.header("cookie", cookie);
                }
                if method != "GET" {
                    request = request.header("content-type", "application/json").body("{}");
                }
                if path.starts_with("/sandbox/graph/") {
                    request = request.header("authorization", format!("Bearer {}", common::KEY));
                } else if path.starts_with("/sandbox/") {
                    request = request.header("x-api-key", common::KEY);
                }
                let response = request.send().await.unwrap();
                let status = response.status().as_u16();
                let stream =
                    response.headers().get("content-type").is_some_and(|kind| kind == "text/event-stream");
                // An event stream never ends: its status is the answer.
                let body = if stream { String::new() } else { response.text().await.unwrap() };
                // A webhook refuses a caller without its own proof (token, signature, path),
                // whoever is signed in.
                if *access == Access::Webhook {
                    assert!(
                        matches!(status, 401 | 403 | 404 | 503),
                        "{method} {path} as {role:?}: {status} {body}"
                    );
                }
                let expected = match (access, role) {
                    (Access::Public | Access::Webhook, _) => None,
                    (_, None) => Some(401),
                    (Access::Role(needed), Some(role)) if role < needed => Some(403),
                    _ => None,
                };
                // The guard's refusals, told from the routes' own 401/403 (a wrong sandbox key,
                // a wrong password) by their codes.
                let code =
                    serde_json::from_str::<Value>(&body).ok().map(|body| body["error"]["code"].clone());
                let refused = code.is_some_and(|code| code == "sign_in_required" || code == "forbidden");
                match expected {
                    Some(expected) => {
                        assert_eq!(status, expected, "{method} {path} as {role:?}: {body}");
                        assert!(refused, "{method} {path} as {role:?}: {body}");
                    }
                    None => {
                        assert!(!refused && status != 500, "{method} {path} as {role:?}: {status} {body}")
                    }
                }
            }
        }
    }
}

#[tokio::test]
async fn requests_from_other_sites_are_refused() {
    for database in databases("auth_csrf").await {
        let server = team("auth-csrf", &database).await;
        let cookie = session(&server, "admin").await;
        let flows = server.at("/api/flows");
        let create = json!({"account_id": "x", "name": "n", "json_definition": {}}).to_string();
        // A form another site posts with the user's cookie.
        let response = client()
            .post(&flows)
            .header("cookie", &cookie)
            .header("origin", "https://evil.test")
            .header("sec-fetch-site", "cross-site")
            .header("content-type", "application/x-www-form-urlencoded")
            .body("name=n")
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 403);
        // A fetch with credentials from another site.
        let response = client()
            .post(&flows)
            .header("cookie", &cookie)
            .header("origin", "https://evil.test")
            .header("sec-fetch-site", "cross-site")
            .header("sec-fetch-mode", "cors")
            .header("content-type", "application/json")
            .body(create.clone())
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 403);
        // Without Origin, the browser's Sec-Fetch-Site still tells.
        for site in ["cross-site", "same-site"] {
            let response = client()
                .delete(server.at("/api/session"))
                .header("cookie", &cookie)
                .header("sec-fetch-site", site)
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), 403, "{site}");
        }
        // A preview link followed from another site does not make a new one.
        let preview =
            server.at("/api/v2/partners/sandboxPA/waba_accounts/sandbox1WA/flows/1/preview?invalidate=true");
        let response = client()
            .get(&preview)
            .header("cookie", &cookie)
            .header("sec-fetch-site", "cross-site")
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 403);
        // The session still works from our own pages.
        assert_eq!(get(&server, "/api/session", Some(&cookie)).await.1["data"]["user"]["name"], "admin");
        let origin = server.url.clone();
        let response = client()
            .post(&flows)
            .header("cookie", &cookie)
            .header("origin", &origin)
            .header("sec-fetch-site", "same-origin")
            .header("content-type", "application/json")
            .body(create)
            .send()
            .await
            .unwrap();
        assert_ne!(response.status(), 403);
    }
}

#[tokio::test]
async fn the_audit_log_records_who_did_what_and_exports_csv() {
    for database in databases("auth_audit").await {
        let server = team("auth-audit", &database).await;
        let (admin, publisher, viewer) = (
            session(&server, "admin").await,
            session(&server, "publisher").await,
            session(&server, "viewer").await,
        );
        assert_eq!(sign_in_as(&server, "viewer", "not the password").await.0, 401);
        let (_, accounts) = get(&server, "/api/accounts", Some(&publisher)).await;
        let account = accounts["data"][0]["id"].as_str().unwrap().to_owned();
        let flow_json = json!({"version": "7.2", "screens": [{"id": "A", "title": "Hi", "terminal": true,
            "layout": {"type": "SingleColumnLayout", "children": [{"type": "Footer", "label": "Go",
            "on-click-action": {"name": "complete", "payload": {}}}]}}]});
        let (status, created) = post(
            &server,
            "/api/flows",
            &publisher,
            json!({"account_id": account, "name": "Audited", "categories": ["SURVEY"], "json_definition": flow_json}),
        )
        .await;
        assert_eq!(status, 201, "{created}");
        let id = created["data"]["id"].as_str().unwrap().to_owned();
        let (status, body) =
            post(&server, &format!("/api/flows/{id}/save-to-meta"), &publisher, json!({})).await;
        assert_eq!(status, 200, "{body}");
        // A viewer may not publish: refused, and recorded.
        let (status, body) = post(&server, &format!("/api/flows/{id}/publish"), &viewer, json!({})).await;
        let message = assert_error(status, &body, 403, "forbidden");
        assert!(message.contains("publisher"), "{message}");
        let (status, body) = post(&server, &format!("/api/flows/{id}/publish"), &publisher, json!({})).await;
        assert_eq!(status, 200, "{body}");

        let (status, body) = get(&server, "/api/audit?action=publish", Some(&admin)).await;
        assert_eq!(status, 200, "{body}");
        let items = body["data"]["items"].as_array().unwrap();
        assert_eq!(items.len(), 2, "{body}");
        assert_eq!((&items[0]["actor"], &items[0]["outcome"]), (&json!("publisher"), &json!("ok")));
        assert_eq!((&items[1]["actor"], &items[1]["outcome"]), (&json!("viewer"), &json!("denied")));
        assert_eq!(items[0]["flow"], json!(id));
        assert_eq!(items[0]["account"], json!(account));
        let (_, saved) =
            get(&server, "/api/audit?action=save_to_whatsapp&actor=publisher", Some(&admin)).await;
        assert_eq!(saved["data"]["items"].as_array().unwrap().len(), 1, "{saved}");
        let (_, failed) = get(&server, "/api/audit?action=sign_in&outcome=denied", Some(&admin)).await;
        assert_eq!(failed["data"]["items"][0]["actor"], "viewer", "{failed}");
        let (_, signed) = get(&server, "/api/audit?action=sign_in&outcome=ok&limit=2", Some(&admin)).await;
        assert_eq!(signed["data"]["items"].as_array().unwrap().len(), 2);
        assert!(signed["data"]["next_before"].is_i64(), "{signed}");

        let response = client()
            .get(server.at("/api/audit?format=csv&action=publish"))
            .header("cookie", &admin)
            .send()
            .await
            .unwrap();
        assert_eq!(response.headers()["content-type"], "text/csv; charset=utf-8");
        let csv = response.text().await.unwrap();
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines[0], "id,at,actor,action,account,flow,outcome,detail");
        assert_eq!(lines.len(), 3, "{csv}");
        assert!(lines[1].contains(",publisher,publish,") && lines[1].contains(",ok,"), "{csv}");

        let (status, body) = get(&server, "/api/audit", Some(&publisher)).await;
        assert_error(status, &body, 403, "forbidden");
    }
}

#[tokio::test]
async fn admins_manage_users_in_the_app_and_the_last_admin_stays() {
    for database in databases("auth_users").await {
        let server = team("auth-users", &database).await;
        let admin = session(&server, "admin").await;
        let (status, body) = post(
            &server,
            "/api/users",
            &admin,
            json!({"name": "Bea", "role": "editor", "password": PASSWORD}),
        )
        .await;
        assert_eq!(status, 201, "{body}");
        let (status, body) = post(
            &server,
            "/api/users",
            &admin,
            json!({"name": "bea", "role": "editor", "password": PASSWORD}),
        )
        .await;
        assert_error(status, &body, 409, "name_taken");
        let (status, body) =
            post(&server, "/api/users", &admin, json!({"name": "Cy", "role": "root", "password": PASSWORD}))
                .await;
        assert_error(status, &body, 400, "invalid_request");
        let (status, body) =
            post(&server, "/api/users", &admin, json!({"name": "Cy", "role": "viewer", "password": "short"}))
                .await;
        assert_error(status, &body, 400, "invalid_request");
        let bea = session(&server, "bea").await;
        let response = client()
            .patch(server.at("/api/users/bea"))
            .header("cookie", &admin)
            .json(&json!({"role": "viewer"}))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        assert_eq!(get(&server, "/api/flows", Some(&bea)).await.0, 401, "role change ends her session");
        let (_, users) = get(&server, "/api/users", Some(&admin)).await;
        let names: Vec<&str> =
            users["data"].as_array().unwrap().iter().map(|u| u["name"].as_str().unwrap()).collect();
        assert_eq!(names, ["admin", "Bea", "editor", "publisher", "viewer"]);
        let response =
            client().delete(server.at("/api/users/admin")).header("cookie", &admin).send().await.unwrap();
        let (status, body) = json(response).await;
        let message = assert_error(status, &body, 409, "read_only");
        assert!(message.contains("last admin"), "{message}");
        let (_, log) = get(&server, "/api/audit?action=user_add&outcome=ok", Some(&admin)).await;
        assert_eq!(log["data"]["items"][0]["detail"], "201 user Bea", "{log}");
    }
}

#[test]
fn the_user_command_adds_lists_changes_and_removes() {
    let data = common::temp_dir("auth-cli");
    let run = |args: &[&str], stdin: &str| {
        use std::io::Write as _;
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_flowsmith"))
            .arg("user")
            .args(args)
            .arg("--data-dir")
            .arg(&data)
            .env_remove("FLOWSMITH_DATABASE_URL")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
        let output = child.wait_with_output().unwrap();
        let text =
            format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
        (output.status.code(), text)
    };
    let (code, text) =
        run(&["add", "ana", "--role", "admin", "--password-stdin"], "a long enough password\n");
    assert_eq!(code, Some(0), "{text}");
    let (code, text) = run(&["add", "bo", "--role", "viewer"], "");
    assert_eq!(code, Some(0), "{text}");
    assert!(text.contains("Password (shown once): "), "{text}");
    let (code, text) =
        run(&["add", "Ana", "--role", "viewer", "--password-stdin"], "another long password\n");
    assert_eq!(code, Some(1), "{text}");
    assert!(text.contains("already a user named"), "{text}");
    let (code, text) = run(&["add", "cy", "--role", "viewer", "--password-stdin"], "short\n");
    assert_eq!((code, text.contains("at least 10 characters")), (Some(1), true), "{text}");
    assert_eq!(run(&["set-role", "bo", "editor"], "").0, Some(0));
    let (code, text) = run(&["set-role", "bo", "publisher", "--account", "sandbox1WA"], "");
    assert_eq!((code, text.contains("No account 'sandbox1WA'")), (Some(1), true), "never served: {text}");
    assert_eq!(run(&["reset-password", "bo", "--password-stdin"], "a new long password\n").0, Some(0));
    let (code, text) = run(&["list"], "");
    assert_eq!(code, Some(0));
    assert!(text.contains("ana\tadmin") && text.contains("bo\teditor"), "{text}");
    let (code, text) = run(&["remove", "ana"], "");
    assert_eq!(code, Some(1), "the last admin stays: {text}");
    assert_eq!(run(&["remove", "bo"], "").0, Some(0));
    let (code, text) = run(&["remove", "bo"], "");
    assert_eq!((code, text.contains("No user named 'bo'")), (Some(1), true), "{text}");
}

#[tokio::test]
async fn a_role_on_one_account_replaces_the_role_for_all_there() {
    for database in databases("auth_accounts").await {
        let server = team("auth-accounts", &database).await;
        let auth = server.state.auth();
        auth.add_user("pat", Role::Viewer, PASSWORD).await.unwrap();
        auth.add_user("eve", Role::Editor, PASSWORD).await.unwrap();
        let admin = session(&server, "admin").await;
        // The workspace learns its accounts when first asked.
        let (_, accounts) = get(&server, "/api/accounts", Some(&admin)).await;
        auth.set_account_role("pat", "sandbox1WA", Some(Role::Publisher)).await.unwrap();
        auth.set_account_role("eve", "sandbox2WA", Some(Role::Viewer)).await.unwrap();
        let id_of = |external: &str| {
            accounts["data"].as_array().unwrap().iter().find(|a| a["external_id"] == external).unwrap()["id"]
                .as_str()
                .unwrap()
                .to_owned()
        };
        let (clinic, shop) = (id_of("sandbox1WA"), id_of("sandbox2WA"));
        let flow_json = json!({"version": "7.2", "screens": [{"id": "A", "title": "Hi", "terminal": true,
            "layout": {"type": "SingleColumnLayout", "children": [{"type": "Footer", "label": "Go",
            "on-click-action": {"name": "complete", "payload": {}}}]}}]});
        let create = |account: &str, name: &str| json!({"account_id": account, "name": name, "categories": ["SURVEY"], "json_definition": flow_json});
        let mut flows = Vec::new();
        for (account, name) in [(&clinic, "In the clinic"), (&shop, "In the shop")] {
            let (status, body) = post(&server, "/api/flows", &admin, create(account, name)).await;
            assert_eq!(status, 201, "{body}");
            let id = body["data"]["id"].as_str().unwrap().to_owned();
            assert_eq!(
                post(&server, &format!("/api/flows/{id}/save-to-meta"), &admin, json!({})).await.0,
                200
            );
            flows.push(id);
        }
        let pat = session(&server, "pat").await;
        // A publisher on the clinic, a viewer elsewhere.
        let (status, body) =
            post(&server, &format!("/api/flows/{}/publish", flows[1]), &pat, json!({})).await;
        assert_error(status, &body, 403, "forbidden");
        let (status, body) =
            post(&server, &format!("/api/flows/{}/publish", flows[0]), &pat, json!({})).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(post(&server, "/api/flows", &pat, create(&clinic, "Pat's")).await.0, 201);
        let (status, body) = post(&server, "/api/flows", &pat, create(&shop, "Pat's")).await;
        assert_error(status, &body, 403, "forbidden");
        let (status, body) = post(&server, "/api/flows/sync", &pat, json!({"account_id": shop})).await;
        assert_error(status, &body, 403, "forbidden");
        // The Partner API front decides by the account in its path.
        let partner = "/api/v2/partners/sandboxPA/waba_accounts";
        let (status, body) =
            post(&server, &format!("{partner}/sandbox2WA/flows/migrate_flows"), &pat, json!({})).await;
        assert_error(status, &body, 403, "forbidden");
        let (status, _) =
            post(&server, &format!("{partner}/sandbox1WA/flows/migrate_flows"), &pat, json!({})).await;
        assert_ne!(status, 403);
        // A lower role on one account: an editor who only views the shop.
        let eve = session(&server, "eve").await;
        let change = json!({"revision": 2, "name": "Renamed"});
        let response = client()
            .put(server.at(&format!("/api/flows/{}", flows[1])))
            .header("cookie", &eve)
            .json(&change)
            .send()
            .await
            .unwrap();
        let (status, body) = json(response).await;
        assert_error(status, &body, 403, "forbidden");
        // Changing it ends her sessions; the admins' list shows it.
        auth.set_account_role("eve", "sandbox2WA", None).await.unwrap();
        assert_eq!(get(&server, "/api/flows", Some(&eve)).await.0, 401);
        let (_, users) = get(&server, "/api/users", Some(&admin)).await;
        let pat_listed =
            users["data"].as_array().unwrap().iter().find(|u| u["name"] == "pat").unwrap().clone();
        assert_eq!(pat_listed["accounts"], json!([{"account_id": clinic, "role": "publisher"}]));
        // She is told her own roles, with WhatsApp's id of each account (the app disables by it).
        let (_, who) = get(&server, "/api/session", Some(&pat)).await;
        assert_eq!(
            who["data"]["user"]["accounts"],
            json!([{"account_id": clinic, "external_id": "sandbox1WA", "role": "publisher"}])
        );
        let response = client()
            .patch(server.at("/api/users/pat"))
            .header("cookie", &admin)
            .json(&json!({"account": "nowhereWA", "role": "editor"}))
            .send()
            .await
            .unwrap();
        let (status, body) = json(response).await;
        assert_error(status, &body, 404, "not_found");
    }
}
