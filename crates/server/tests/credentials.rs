//! Credentials (issue 18, item 5), each test on SQLite and on PostgreSQL: admins add, list,
//! replace and remove connections; the key is in no answer, audit line, database byte or row,
//! or log line (every test logs at trace level into one buffer, searched at the end of each);
//! the key file is made 0600 once and a bad one stops the server; a changed ciphertext or
//! another server key is named, not a panic; an account of a stored connection is reached
//! through the workspace and the proxy, and `flowsmith secret rotate` re-encrypts and keeps it so.
mod common;

use std::path::Path;
use std::sync::{Mutex, Once};

use base64::Engine as _;
use common::{
    Server, WABA1, assert_error, call, client, databases, flow_json_form, json, sandbox_config,
    workspace_config,
};
use flowsmith_server::auth::Role;
use flowsmith_server::config::Secret;
use flowsmith_server::connections::key::{self, KEY_FILE, OpenError, PENDING_KEY_FILE, ServerKey};
use flowsmith_server::connections::store as connection_store;
use flowsmith_server::proxy::asset::AssetPolicy;
use flowsmith_server::workspace::store::Store;
use flowsmith_server::{AppState, ServeConfig, ServeError, Settings};
use serde_json::json;

const PASSWORD: &str = "a long enough password";
const KEY_ONE: &str = "pk_team_one_5c1e7a9b3d";
const KEY_TWO: &str = "pk_team_two_8f2d4b6a1c";

static LOGS: Mutex<Vec<u8>> = Mutex::new(Vec::new());

struct Captured;

impl std::io::Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        LOGS.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Every log line of this test binary, at trace level, in [`LOGS`].
fn capture_logs() {
    static INIT: Once = Once::new();
    INIT.call_once(|| {
        tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_writer(|| Captured)
            .with_ansi(false)
            .init();
    });
}

/// Asserts that no log line so far holds any of `secrets` (and that something was logged).
fn assert_not_logged(secrets: &[&str]) {
    let logs = String::from_utf8_lossy(&LOGS.lock().unwrap()).into_owned();
    assert!(logs.contains("request"), "nothing was captured");
    for secret in secrets {
        assert!(!logs.contains(secret), "{secret} is in the logs");
    }
}

/// Starts `config` with local asset links allowed (a second server's sandbox serves them).
async fn start(config: ServeConfig) -> Server {
    common::start_with(config, Some(AssetPolicy::local_for_tests(&["127.0.0.1"]))).await
}

/// A user of each role, named after it.
async fn add_team(server: &Server) {
    for role in [Role::Viewer, Role::Editor, Role::Admin] {
        server.state.auth().add_user(role.as_str(), role, PASSWORD).await.unwrap();
    }
}

fn assert_absent(text: &str, what: &str) {
    for secret in [KEY_ONE, KEY_TWO] {
        assert!(!text.contains(secret), "{secret} in {what}: {text}");
    }
}

/// Every byte of every file under `dir`, searched for the keys.
fn assert_absent_from_files(dir: &Path) {
    let mut searched = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() {
            let bytes = std::fs::read(&path).unwrap();
            for secret in [KEY_ONE, KEY_TWO] {
                let found = bytes.windows(secret.len()).any(|window| window == secret.as_bytes());
                assert!(!found, "{secret} in {}", path.display());
            }
            searched += 1;
        }
    }
    assert!(searched >= 2, "the database files were searched");
}

/// Every row of every table of the PostgreSQL database `url`, as text, searched for the keys.
async fn assert_absent_from_rows(url: &str) {
    use sqlx::{Connection as _, Row as _};
    let mut connection = sqlx::PgConnection::connect(url).await.unwrap();
    let tables: Vec<String> =
        sqlx::query("SELECT table_name::text FROM information_schema.tables WHERE table_schema = 'public'")
            .fetch_all(&mut connection)
            .await
            .unwrap()
            .iter()
            .map(|row| row.get(0))
            .collect();
    assert!(tables.iter().any(|table| table == "connections"), "{tables:?}");
    for table in tables {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!("SELECT t::text FROM \"{table}\" t")))
            .fetch_all(&mut connection)
            .await
            .unwrap();
        for row in rows {
            assert_absent(&row.get::<String, _>(0), &format!("the table {table}"));
        }
    }
}

#[tokio::test]
async fn admins_manage_connections_and_the_key_never_leaves_the_server() {
    capture_logs();
    for database in databases("cred_manage").await {
        let config = workspace_config("cred-manage", &database);
        let data = config.data_dir.clone();
        let server = start(config).await;
        add_team(&server).await;
        let admin = common::session_cookie(&server, "admin", PASSWORD).await;
        let body = json!({"kind": "360dialog", "name": "Team", "partner_id": "teamPA", "api_key": KEY_ONE});
        let (status, added, text) =
            call(&server, "POST", "/api/connections", &admin, Some(body.clone())).await;
        assert_eq!(status, 201, "{text}");
        assert_absent(&text, "the answer to POST");
        let connection = &added["data"];
        assert_eq!(
            (
                &connection["name"],
                &connection["partner_id"],
                &connection["api_key_last4"],
                &connection["source"]
            ),
            (&json!("Team"), &json!("teamPA"), &json!("9b3d"), &json!("stored")),
            "{added}"
        );
        assert_eq!((&connection["usable"], &connection["created_by"]), (&json!(true), &json!("admin")));
        let id = connection["id"].as_str().unwrap().to_owned();

        // Listed with the connection from flags (the sandbox), neither with its key.
        let (status, list, text) = call(&server, "GET", "/api/connections", &admin, None).await;
        assert_eq!(status, 200, "{text}");
        assert_absent(&text, "the list");
        let items = list["data"].as_array().unwrap();
        assert_eq!(
            (items.len(), &items[0]["source"], &items[0]["kind"]),
            (2, &json!("flags"), &json!("sandbox"))
        );
        assert_eq!(items[1]["id"], id.as_str());

        // One connection per partner.
        let (status, refused, _) = call(&server, "POST", "/api/connections", &admin, Some(body)).await;
        assert_error(status, &refused, 409, "name_taken");

        // Replaced: a new key, then a new name with the key kept.
        let path = format!("/api/connections/{id}");
        let new_key = json!({"name": "Team", "partner_id": "teamPA", "api_key": KEY_TWO});
        let (status, replaced, text) = call(&server, "PUT", &path, &admin, Some(new_key)).await;
        assert_eq!((status, &replaced["data"]["api_key_last4"]), (200, &json!("6a1c")), "{text}");
        assert_absent(&text, "the answer to PUT");
        let renamed = json!({"name": "Team (EU)", "partner_id": "teamPA"});
        let (status, replaced, text) = call(&server, "PUT", &path, &admin, Some(renamed)).await;
        assert_eq!(status, 200, "{text}");
        assert_eq!(
            (&replaced["data"]["name"], &replaced["data"]["api_key_last4"]),
            (&json!("Team (EU)"), &json!("6a1c"))
        );
        // A bad body is refused without quoting the key.
        let bad = json!({"name": "Team", "partner_id": KEY_ONE, "api_key": [KEY_ONE]});
        let (status, refused, text) = call(&server, "PUT", &path, &admin, Some(bad)).await;
        assert_error(status, &refused, 400, "invalid_request");
        assert_absent(&text, "a refusal");
        // The connection from flags is not stored.
        let (status, refused, _) = call(&server, "DELETE", "/api/connections/flags", &admin, None).await;
        assert_error(status, &refused, 409, "read_only");

        // Editors and viewers may neither read nor change connections.
        for name in ["editor", "viewer"] {
            let cookie = common::session_cookie(&server, name, PASSWORD).await;
            let (status, refused, _) = call(&server, "GET", "/api/connections", &cookie, None).await;
            assert_error(status, &refused, 403, "forbidden");
            let (status, refused, _) = call(&server, "DELETE", &path, &cookie, None).await;
            assert_error(status, &refused, 403, "forbidden");
        }

        // The audit log has each change with the key's last four characters only.
        let (_, log, text) = call(&server, "GET", "/api/audit?limit=1000", &admin, None).await;
        assert_absent(&text, "the audit log");
        let actions: Vec<(&str, &str, &str)> = log["data"]["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|entry| entry["action"].as_str().unwrap().starts_with("credential_"))
            .map(|entry| {
                (
                    entry["action"].as_str().unwrap(),
                    entry["outcome"].as_str().unwrap(),
                    entry["actor"].as_str().unwrap(),
                )
            })
            .collect();
        assert!(actions.contains(&("credential_add", "ok", "admin")), "{actions:?}");
        assert!(actions.contains(&("credential_add", "refused", "admin")), "{actions:?}");
        assert!(actions.contains(&("credential_change", "ok", "admin")), "{actions:?}");
        assert!(actions.contains(&("credential_remove", "denied", "editor")), "{actions:?}");
        assert!(text.contains("key …9b3d") && text.contains("key …6a1c"), "{text}");
        let (_, _, csv) = call(&server, "GET", "/api/audit?format=csv&limit=1000", &admin, None).await;
        assert_absent(&csv, "the audit CSV");

        // Removed.
        let (status, _, text) = call(&server, "DELETE", &path, &admin, None).await;
        assert_eq!(status, 200, "{text}");
        let (_, list, _) = call(&server, "GET", "/api/connections", &admin, None).await;
        assert_eq!(list["data"].as_array().unwrap().len(), 1, "{list}");
        let (status, refused, _) = call(&server, "DELETE", &path, &admin, None).await;
        assert_error(status, &refused, 404, "not_found");

        // The admins' page manages them (its script is allowed by its hash).
        let page = client().get(server.at("/admin")).send().await.unwrap();
        assert!(page.headers()["content-security-policy"].to_str().unwrap().contains("'sha256-"));
        let page = page.text().await.unwrap();
        assert!(
            page.contains("data-testid=\"admin-connections\"") && page.contains("/api/connections"),
            "{page}"
        );

        // Nowhere in the database.
        match &database {
            None => assert_absent_from_files(&data),
            Some(url) => assert_absent_from_rows(url).await,
        }
    }
    assert_not_logged(&[KEY_ONE, KEY_TWO]);
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[cfg(unix)]
fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

#[cfg(unix)]
#[tokio::test]
async fn the_key_file_is_made_0600_once_and_a_bad_one_stops_the_server() {
    let dir = common::temp_dir("cred-keyfile");
    let path = dir.join(KEY_FILE);
    let (key, source) = key::load(&dir, None).unwrap();
    assert_eq!(source, key::KeySource::File { path: path.clone(), created: true });
    assert_eq!(mode(&path), 0o600);
    let written = std::fs::read_to_string(&path).unwrap();
    let (again, source) = key::load(&dir, None).unwrap();
    assert_eq!((again.id(), source), (key.id(), key::KeySource::File { path: path.clone(), created: false }));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), written, "never rewritten");

    // Readable by others: refused, and left as it is.
    set_mode(&path, 0o644);
    let error = key::load(&dir, None).unwrap_err();
    assert!(error.contains("can be read by other users") && error.contains("chmod 600"), "{error}");
    let mut config = sandbox_config("cred-keyfile-serve");
    config.data_dir = dir.clone();
    let settings = Settings::from_config(&config).unwrap();
    let refused = AppState::new(settings, "127.0.0.1:0".parse().unwrap()).await.err().expect("refused");
    assert!(matches!(refused, ServeError::SecretKey(_)), "{refused}");
    assert!(refused.to_string().contains("chmod 600"), "{refused}");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), written);
    set_mode(&path, 0o600);

    // Malformed: refused, never replaced.
    let broken = common::temp_dir("cred-keyfile-broken");
    std::fs::write(broken.join(KEY_FILE), "not a key\n").unwrap();
    set_mode(&broken.join(KEY_FILE), 0o600);
    let error = key::load(&broken, None).unwrap_err();
    assert!(error.contains("must hold 32 bytes in base64"), "{error}");
    assert_eq!(std::fs::read_to_string(broken.join(KEY_FILE)).unwrap(), "not a key\n");

    // Unreadable (a folder where the file should be).
    let unreadable = common::temp_dir("cred-keyfile-unreadable");
    std::fs::create_dir(unreadable.join(KEY_FILE)).unwrap();
    let error = key::load(&unreadable, None).unwrap_err();
    assert!(error.contains("is not a file"), "{error}");

    // A malformed FLOWSMITH_SECRET_KEY is named and not repeated.
    let error = key::load(&dir, Some(&Secret::new("hunter2-not-a-key"))).unwrap_err();
    assert!(error.contains("FLOWSMITH_SECRET_KEY") && !error.contains("hunter2"), "{error}");

    // An interrupted rotation stops the server until it is finished.
    std::fs::write(dir.join(PENDING_KEY_FILE), written).unwrap();
    let error = key::load(&dir, None).unwrap_err();
    assert!(error.contains("flowsmith secret rotate"), "{error}");
}

/// The stored rows, read with the server's own store.
async fn stored_rows(settings: &Settings) -> Vec<connection_store::ConnectionRow> {
    let store = Store::open(&settings.workspace).await.unwrap();
    let mut connection = store.pool().acquire().await.unwrap();
    let rows = connection_store::connections(&mut connection).await.unwrap();
    drop(connection);
    store.close().await;
    rows
}

#[tokio::test]
async fn a_changed_ciphertext_or_another_server_key_is_named_not_a_panic() {
    capture_logs();
    for database in databases("cred_tamper").await {
        let config = workspace_config("cred-tamper", &database);
        let server = start(config.clone()).await;
        add_team(&server).await;
        let admin = common::session_cookie(&server, "admin", PASSWORD).await;
        let body = json!({"name": "Clinic chain", "partner_id": "clinicPA", "api_key": KEY_ONE});
        let (status, _, text) = call(&server, "POST", "/api/connections", &admin, Some(body)).await;
        assert_eq!(status, 201, "{text}");

        // Another server key: the connection is listed, unusable, and says why.
        let mut other = config.clone();
        other.secret_key = Some(ServerKey::generate().1);
        let elsewhere = start(other).await;
        let admin_there = common::session_cookie(&elsewhere, "admin", PASSWORD).await;
        let (_, list, text) = call(&elsewhere, "GET", "/api/connections", &admin_there, None).await;
        let problem = list["data"][1]["problem"].as_str().unwrap_or_else(|| panic!("{text}"));
        assert_eq!(list["data"][1]["usable"], false);
        assert!(
            problem.contains("'Clinic chain' cannot be used")
                && problem.contains("stored under the server key"),
            "{problem}"
        );
        // The proxy says the same for that partner.
        let (status, answer, text) =
            call(&elsewhere, "GET", "/api/v2/partners/clinicPA/channels", &admin_there, None).await;
        assert_eq!(status, 502, "{text}");
        assert!(answer["meta"]["developer_message"].as_str().unwrap().contains("Clinic chain"), "{text}");

        // A changed ciphertext under the right key.
        let settings = Settings::from_config(&config).unwrap();
        let row = stored_rows(&settings).await.remove(0);
        let mut bytes = base64::engine::general_purpose::STANDARD.decode(&row.sealed.text).unwrap();
        let last = bytes.len() - 1;
        bytes[last] ^= 0x01;
        let store = Store::open(&settings.workspace).await.unwrap();
        sqlx::query("UPDATE connections SET secret_sealed = $1 WHERE id = $2")
            .bind(base64::engine::general_purpose::STANDARD.encode(bytes))
            .bind(&row.id)
            .execute(store.pool())
            .await
            .unwrap();
        store.close().await;
        let restarted = start(config.clone()).await;
        let cookie = common::session_cookie(&restarted, "admin", PASSWORD).await;
        let (_, list, text) = call(&restarted, "GET", "/api/connections", &cookie, None).await;
        let problem = list["data"][1]["problem"].as_str().unwrap_or_else(|| panic!("{text}"));
        assert!(problem.contains("'Clinic chain'") && problem.contains("changed or damaged"), "{problem}");
        assert_absent(&text, "the list");
    }
    assert_not_logged(&[KEY_ONE]);
}

/// A second server in sandbox mode whose sandbox takes `KEY_ONE`: a 360dialog stand-in, with
/// a flow only it has.
async fn upstream() -> Server {
    let mut config = sandbox_config("cred-upstream");
    config.sandbox_api_key = Secret::new(KEY_ONE);
    let upstream = common::start(config).await;
    let (status, created) = json(
        client()
            .post(upstream.flows(WABA1, ""))
            .json(&json!({"name": "Only on the team's partner", "categories": ["OTHER"]}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 200, "{created}");
    let id = created["id"].as_str().unwrap();
    let form = flow_json_form(flow_model::templates::APPOINTMENT_BOOKING.into());
    let response =
        client().post(upstream.flows(WABA1, &format!("/{id}/assets"))).multipart(form).send().await.unwrap();
    assert_eq!(response.status(), 200);
    upstream
}

/// Through the workspace: the connection's account of `sandbox1WA` is listed, syncs, and lists
/// the upstream's own flow; the proxy sends its partner to it.
async fn assert_reached(server: &Server, cookie: &str, connection: &str) {
    let (status, accounts, text) = call(server, "GET", "/api/accounts?refresh=1", cookie, None).await;
    assert_eq!(status, 200, "{text}");
    let account = accounts["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|account| account["connection_id"] == connection && account["external_id"] == WABA1)
        .unwrap_or_else(|| panic!("no account of the connection: {text}"));
    assert_eq!(account["backend"], "360dialog");
    let id = account["id"].as_str().unwrap();
    let (status, report, text) =
        call(server, "POST", "/api/flows/sync", cookie, Some(json!({"account_id": id}))).await;
    assert_eq!(status, 200, "{text}");
    assert!(report["data"]["synced"].as_u64().unwrap() >= 1, "{report}");
    let (status, list, text) =
        call(server, "GET", &format!("/api/flows?account_id={id}&q=only%20on"), cookie, None).await;
    assert_eq!(
        (status, &list["data"]["items"][0]["name"]),
        (200, &json!("Only on the team's partner")),
        "{text}"
    );
    let flows = format!("/api/v2/partners/{}/waba_accounts/{WABA1}/flows", common::PARTNER);
    let (status, _, text) = call(server, "GET", &flows, cookie, None).await;
    assert_eq!(status, 200, "{text}");
    assert!(text.contains("Only on the team's partner"), "the stored connection's partner: {text}");
    assert_absent(&text, "a proxied answer");
}

/// Runs `flowsmith secret rotate` on `config`'s database with `env`; answers the exit code and output.
fn rotate(config: &ServeConfig, env: &[(&str, &str)]) -> (Option<i32>, String) {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_flowsmith"));
    command.args(["secret", "rotate", "--data-dir"]).arg(&config.data_dir);
    if let Some(url) = &config.database_url {
        command.args(["--database-url", url.expose()]);
    }
    command
        .env_remove("FLOWSMITH_DATABASE_URL")
        .env_remove("FLOWSMITH_SECRET_KEY")
        .env_remove("FLOWSMITH_NEW_SECRET_KEY");
    for (name, value) in env {
        command.env(name, value);
    }
    let output = command.output().unwrap();
    let text =
        format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    (output.status.code(), text)
}

#[tokio::test]
async fn an_account_of_a_stored_connection_is_reached_and_rotation_keeps_it_so() {
    capture_logs();
    let upstream = upstream().await;
    for database in databases("cred_rotate").await {
        let mut config = workspace_config("cred-rotate", &database);
        config.upstream_url = format!("{}/sandbox", upstream.url);
        let server = start(config.clone()).await;
        server.state.auth().add_user("admin", Role::Admin, PASSWORD).await.unwrap();
        let cookie = common::session_cookie(&server, "admin", PASSWORD).await;
        let body = json!({"name": "Team", "partner_id": common::PARTNER, "api_key": KEY_ONE});
        let (status, added, text) = call(&server, "POST", "/api/connections", &cookie, Some(body)).await;
        assert_eq!(status, 201, "{text}");
        let connection = added["data"]["id"].as_str().unwrap().to_owned();
        assert_reached(&server, &cookie, &connection).await;
        drop(server);

        let path = config.data_dir.join(KEY_FILE);
        let old = key::read_key_file(&path).unwrap().unwrap();
        let (code, text) = rotate(&config, &[]);
        assert_eq!(code, Some(0), "{text}");
        assert!(text.contains("Re-encrypted 1 stored credential"), "{text}");
        assert_absent(&text, "the command's output");
        let new = key::read_key_file(&path).unwrap().unwrap();
        assert_ne!(old.id(), new.id());
        #[cfg(unix)]
        assert_eq!(mode(&path), 0o600);
        assert!(!config.data_dir.join(PENDING_KEY_FILE).exists());
        let settings = Settings::from_config(&config).unwrap();
        let row = stored_rows(&settings).await.remove(0);
        assert_eq!(row.sealed.key_id, new.id());
        assert!(matches!(old.open(&row.id, &row.sealed), Err(OpenError::OtherKey { .. })));
        assert_eq!(new.open(&row.id, &row.sealed).unwrap().expose(), KEY_ONE);

        // The server, restarted with the new key file, still reaches the accounts.
        let server = start(config.clone()).await;
        let cookie = common::session_cookie(&server, "admin", PASSWORD).await;
        let (_, list, _) = call(&server, "GET", "/api/connections", &cookie, None).await;
        assert_eq!(list["data"][1]["usable"], true, "{list}");
        assert_reached(&server, &cookie, &connection).await;
        let (_, log, _) = call(&server, "GET", "/api/audit?action=credential_rotate", &cookie, None).await;
        assert_eq!(log["data"]["items"][0]["actor"], "cli", "{log}");
    }
    assert_not_logged(&[KEY_ONE]);
}

#[tokio::test]
async fn rotation_with_the_environment_takes_the_old_and_the_new_key() {
    let (_, first) = ServerKey::generate();
    let (second_key, second) = ServerKey::generate();
    let mut config = workspace_config("cred-rotate-env", &None);
    config.secret_key = Some(first.clone());
    let server = start(config.clone()).await;
    let admin = server.state.connections();
    let input = flowsmith_server::connections::ConnectionInput {
        name: "Team".to_owned(),
        kind: flowsmith_server::connections::Kind::Dialog360 { partner_id: "teamPA".to_owned() },
        secret: Some(Secret::new(KEY_TWO)),
    };
    admin.add("cli", input).await.unwrap();
    drop(server);
    assert!(!config.data_dir.join(KEY_FILE).exists(), "no key file with FLOWSMITH_SECRET_KEY");

    let (code, text) = rotate(&config, &[("FLOWSMITH_SECRET_KEY", first.expose())]);
    assert_eq!(code, Some(1), "{text}");
    assert!(text.contains("FLOWSMITH_NEW_SECRET_KEY"), "{text}");
    let (_, third) = ServerKey::generate();
    let (code, text) = rotate(
        &config,
        &[("FLOWSMITH_SECRET_KEY", third.expose()), ("FLOWSMITH_NEW_SECRET_KEY", second.expose())],
    );
    assert_eq!(code, Some(1), "the wrong old key changes nothing: {text}");
    assert!(text.contains("'Team' cannot be re-encrypted"), "{text}");
    let (code, text) = rotate(
        &config,
        &[("FLOWSMITH_SECRET_KEY", first.expose()), ("FLOWSMITH_NEW_SECRET_KEY", second.expose())],
    );
    assert_eq!(code, Some(0), "{text}");
    assert!(!config.data_dir.join(KEY_FILE).exists());
    let settings = Settings::from_config(&config).unwrap();
    let row = stored_rows(&settings).await.remove(0);
    assert_eq!(second_key.open(&row.id, &row.sealed).unwrap().expose(), KEY_TWO);

    for (key, usable) in [(second, true), (first, false)] {
        config.secret_key = Some(key);
        let server = start(config.clone()).await;
        let stored = server.state.connections().stored().await.unwrap();
        assert_eq!(stored[0].problem().is_none(), usable, "{:?}", stored[0].problem());
    }
}

#[tokio::test]
async fn an_interrupted_rotation_is_finished_or_started_over_by_running_it_again() {
    let config = workspace_config("cred-interrupted", &None);
    let server = start(config.clone()).await;
    let input = flowsmith_server::connections::ConnectionInput {
        name: "Team".to_owned(),
        kind: flowsmith_server::connections::Kind::Dialog360 { partner_id: "teamPA".to_owned() },
        secret: Some(Secret::new(KEY_ONE)),
    };
    server.state.connections().add("cli", input).await.unwrap();
    drop(server);
    let (path, pending) = (config.data_dir.join(KEY_FILE), config.data_dir.join(PENDING_KEY_FILE));
    let settings = Settings::from_config(&config).unwrap();
    let old = key::read_key_file(&path).unwrap().unwrap();

    // Stopped after the commit, before the rename: the database uses the pending key.
    let (new, text) = ServerKey::generate();
    key::write_key_file(&pending, &text).unwrap();
    let store = Store::open(&settings.workspace).await.unwrap();
    assert_eq!(flowsmith_server::connections::rotate(&store, &old, &new).await, Ok(1));
    store.close().await;
    let refused =
        AppState::new(settings.clone(), "127.0.0.1:0".parse().unwrap()).await.err().expect("refused");
    assert!(refused.to_string().contains("flowsmith secret rotate"), "{refused}");
    let (code, output) = rotate(&config, &[]);
    assert_eq!(code, Some(0), "{output}");
    assert!(output.contains("Finished an interrupted rotation"), "{output}");
    assert_eq!(key::read_key_file(&path).unwrap().unwrap().id(), new.id());
    assert!(!pending.exists());

    // Stopped before the commit: the pending key is of no use and a new rotation runs.
    let (unused, text) = ServerKey::generate();
    key::write_key_file(&pending, &text).unwrap();
    let (code, output) = rotate(&config, &[]);
    assert_eq!(code, Some(0), "{output}");
    assert!(output.contains("Re-encrypted 1 stored credential"), "{output}");
    let current = key::read_key_file(&path).unwrap().unwrap();
    assert!(current.id() != new.id() && current.id() != unused.id());
    let row = stored_rows(&settings).await.remove(0);
    assert_eq!(current.open(&row.id, &row.sealed).unwrap().expose(), KEY_ONE);
    let server = start(config).await;
    assert!(server.state.connections().stored().await.unwrap()[0].problem().is_none());
}

#[tokio::test]
async fn the_partner_of_the_flags_is_not_stored_again() {
    let mut config = workspace_config("cred-flags-partner", &None);
    config.upstream_url = "http://127.0.0.1:9".to_owned();
    config.partner_api_key = Some(Secret::new(KEY_TWO));
    config.partner_id = Some("flagPA".to_owned());
    let server = start(config).await;
    let connections = server.state.connections();
    let input = |partner: &str| flowsmith_server::connections::ConnectionInput {
        name: "Again".to_owned(),
        kind: flowsmith_server::connections::Kind::Dialog360 { partner_id: partner.to_owned() },
        secret: Some(Secret::new(KEY_ONE)),
    };
    let refused = connections.add("admin", input("flagPA")).await.err().expect("refused");
    assert_eq!(refused.code(), "name_taken", "{}", refused.message());
    assert!(connections.add("admin", input("otherPA")).await.is_ok());
    let listed = connections.all().await.unwrap();
    assert_eq!(listed[0].to_json()["api_key_last4"], "6a1c", "the flags' key, by its last four characters");
}
