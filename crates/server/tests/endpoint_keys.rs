//! Accounts' endpoint keys (issue 21, item 2), each test on SQLite and on PostgreSQL: admins
//! generate a pair or import a private key in each PEM form (a wrong form says which it is);
//! the private key is sealed at rest (in no database byte or row) and downloads once; viewers,
//! editors and admins get what their role allows, and the audit log has each change; the public
//! key reaches WhatsApp through the account's backend (the sandbox's Partner-shaped API, and
//! Meta's Graph API played by a second server's Graph sandbox) and reads back `VALID`; a server
//! key rotation re-seals the private keys.
mod common;

use common::{
    KEY, Server, assert_error, call, client, databases, engine, sandbox_config, start, workspace_config,
};
use flowsmith_server::auth::Role;
use flowsmith_server::config::Secret;
use flowsmith_server::connections::key::{self, KEY_FILE, ServerKey};
use flowsmith_server::endpoint::account_key::store as key_store;
use flowsmith_server::endpoint::{PrivateKey, PublicKey};
use flowsmith_server::workspace::store::Store;
use flowsmith_server::{Mode, ServeConfig, Settings};
use rsa::pkcs1::EncodeRsaPrivateKey as _;
use rsa::pkcs8::DecodePrivateKey as _;
use serde_json::{Value, json};

const PASSWORD: &str = "a long enough password";
/// Meta's id of the sandbox's first WABA.
const CLINIC: &str = "102290129340398";

/// A user of each role, named after it; answers their session cookies (viewer, editor, admin).
async fn team(server: &Server) -> [String; 3] {
    for role in [Role::Viewer, Role::Editor, Role::Admin] {
        server.state.auth().add_user(role.as_str(), role, PASSWORD).await.unwrap();
    }
    let mut cookies = Vec::new();
    for name in ["viewer", "editor", "admin"] {
        cookies.push(common::session_cookie(server, name, PASSWORD).await);
    }
    cookies.try_into().unwrap()
}

/// The workspace's id of the account whose backend id is `external_id`.
async fn account_id(server: &Server, cookie: &str, external_id: &str) -> String {
    let (status, accounts, text) = call(server, "GET", "/api/accounts?refresh=1", cookie, None).await;
    assert_eq!(status, 200, "{text}");
    let account = accounts["data"].as_array().unwrap().iter().find(|a| a["external_id"] == external_id);
    account.unwrap_or_else(|| panic!("{text}"))["id"].as_str().unwrap().to_owned()
}

/// The key row as stored, read with the server's own store.
async fn stored(settings: &Settings, account: &str) -> key_store::KeyRow {
    let store = Store::open(&settings.workspace).await.unwrap();
    let mut connection = store.pool().acquire().await.unwrap();
    let row = key_store::key(&mut connection, account, "").await.unwrap().expect("a stored key");
    drop(connection);
    store.close().await;
    row
}

/// The base64 lines of a PEM (its secret part).
fn body_lines(pem: &str) -> Vec<&str> {
    pem.lines().filter(|line| !line.starts_with("-----") && line.len() >= 40).collect()
}

/// No line of `pem`'s body is in any file of `dir` (the SQLite workspace) or, on PostgreSQL,
/// in any row of `endpoint_keys` as text.
async fn assert_not_at_rest(pem: &str, dir: &std::path::Path, database: &Option<String>) {
    let lines = body_lines(pem);
    assert!(lines.len() > 10, "{pem}");
    let mut searched = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() {
            let bytes = std::fs::read(&path).unwrap();
            for line in &lines {
                let found = bytes.windows(line.len()).any(|window| window == line.as_bytes());
                assert!(!found, "a line of the private key is in {}", path.display());
            }
            searched += 1;
        }
    }
    assert!(searched >= 2, "the data folder's files were searched");
    if let Some(url) = database {
        use sqlx::{Connection as _, Row as _};
        let mut connection = sqlx::PgConnection::connect(url).await.unwrap();
        let rows: Vec<String> = sqlx::query("SELECT t::text FROM endpoint_keys t")
            .fetch_all(&mut connection)
            .await
            .unwrap()
            .iter()
            .map(|row| row.get(0))
            .collect();
        assert!(!rows.is_empty());
        for row in rows {
            assert!(lines.iter().all(|line| !row.contains(line)), "the private key is in a row: {row}");
        }
    }
}

/// The audit log's entries of `action` (newest first).
async fn audit(server: &Server, admin: &str, action: &str) -> Vec<Value> {
    let (status, log, text) = call(server, "GET", &format!("/api/audit?action={action}"), admin, None).await;
    assert_eq!(status, 200, "{text}");
    assert!(!text.contains("PRIVATE KEY") && !text.contains("PUBLIC KEY"), "{text}");
    log["data"]["items"].as_array().unwrap().clone()
}

#[tokio::test]
async fn an_admin_generates_a_key_whose_private_half_is_sealed_and_leaves_once() {
    for database in databases("endpoint_keys").await {
        let at = engine(&database);
        let config = workspace_config("endpoint-keys", &database);
        let settings = Settings::from_config(&config).unwrap();
        let data_dir = config.data_dir.clone();
        let server = start(config).await;
        let [viewer, editor, admin] = team(&server).await;
        let account = account_id(&server, &admin, common::WABA1).await;
        let path = format!("/api/accounts/{account}/endpoint-key");

        // None yet; editors may read, only admins make one.
        let (status, none, _) = call(&server, "GET", &path, &editor, None).await;
        assert!(
            assert_error(status, &none, 404, "not_found").contains("no endpoint key yet"),
            "{at}: {none}"
        );
        let (status, refused, _) = call(&server, "GET", &path, &viewer, None).await;
        assert_error(status, &refused, 403, "forbidden");
        let generate = json!({"generate": true});
        let (status, refused, _) = call(&server, "POST", &path, &editor, Some(generate.clone())).await;
        assert_error(status, &refused, 403, "forbidden");
        let (status, made, text) = call(&server, "POST", &path, &admin, Some(generate.clone())).await;
        assert_eq!(status, 201, "{at}: {text}");
        let made = made["data"].clone();
        let public = PublicKey::from_pem(made["public_key_pem"].as_str().unwrap()).unwrap();
        assert_eq!(public.bits(), 2048);
        let fingerprint = made["fingerprint"].as_str().unwrap().to_owned();
        assert!(fingerprint.starts_with("SHA256:") && fingerprint.len() == 7 + 64, "{made}");
        assert_eq!(
            (&made["origin"], &made["created_by"], &made["downloaded"], &made["uploaded"], &made["usable"]),
            (&json!("generated"), &json!("admin"), &json!(false), &json!(false), &json!(true)),
            "{made}"
        );
        assert!(!text.contains("PRIVATE KEY"), "{text}");
        // A second one only when asked to replace.
        let (status, refused, _) = call(&server, "POST", &path, &admin, Some(generate)).await;
        assert!(assert_error(status, &refused, 409, "read_only").contains("\"replace\": true"), "{refused}");
        let (status, shown, _) = call(&server, "GET", &path, &editor, None).await;
        assert_eq!((status, &shown["data"]["fingerprint"]), (200, &json!(fingerprint)), "{shown}");

        // Sealed: the stored text is ciphertext, under this server's key.
        let row = stored(&settings, &account).await;
        assert!(
            !row.sealed.text.contains("PRIVATE") && row.public_key_pem.contains("BEGIN PUBLIC KEY"),
            "{at}"
        );
        assert_eq!(row.sealed.key_id, server.state.connections().key_id());

        // The private key: not for editors; once for an admin; then refused, saying who took it.
        let download = format!("{path}/download");
        let (status, refused, _) = call(&server, "GET", &download, &editor, None).await;
        assert_error(status, &refused, 403, "forbidden");
        let (status, file, text) = call(&server, "GET", &download, &admin, None).await;
        assert_eq!(status, 200, "{at}: {text}");
        let pem = file["data"]["private_key_pem"].as_str().unwrap().to_owned();
        assert!(pem.starts_with("-----BEGIN PRIVATE KEY-----"), "{pem}");
        assert_eq!(PrivateKey::from_pem(&pem, None).unwrap().public_key(), public);
        let (status, again, _) = call(&server, "GET", &download, &admin, None).await;
        let message = assert_error(status, &again, 409, "read_only");
        assert!(message.contains("downloaded already, by admin"), "{message}");
        assert_not_at_rest(&pem, &data_dir, &database).await;
        let (_, shown, text) = call(&server, "GET", &path, &editor, None).await;
        assert_eq!(
            (&shown["data"]["downloaded"], &shown["data"]["downloaded_by"]),
            (&json!(true), &json!("admin"))
        );
        assert!(!text.contains(body_lines(&pem)[3]), "{text}");

        // Uploaded to the sandbox (its stand-in of Meta's call), which reports it VALID.
        let (status, refused, _) = call(&server, "POST", &format!("{path}/upload"), &editor, None).await;
        assert_error(status, &refused, 403, "forbidden");
        let (status, uploaded, text) = call(&server, "POST", &format!("{path}/upload"), &admin, None).await;
        assert_eq!(status, 200, "{at}: {text}");
        assert_eq!(
            (&uploaded["data"]["uploaded"], &uploaded["data"]["signature_status"]),
            (&json!(true), &json!("VALID")),
            "{uploaded}"
        );
        let (status, held, text) = call(&server, "GET", &format!("{path}/whatsapp"), &editor, None).await;
        assert_eq!(status, 200, "{text}");
        assert_eq!(
            (&held["data"]["signature_status"], &held["data"]["matches_ours"], &held["data"]["fingerprint"]),
            (&json!("VALID"), &json!(true), &json!(fingerprint)),
            "{held}"
        );

        // A role on one account: an admin of the clinic only may make the clinic's key, not the shop's.
        let auth = server.state.auth();
        auth.add_user("clinic", Role::Viewer, PASSWORD).await.unwrap();
        auth.set_account_role("clinic", &account, Some(Role::Admin)).await.unwrap();
        let clinic = common::session_cookie(&server, "clinic", PASSWORD).await;
        let shop = account_id(&server, &admin, common::WABA2).await;
        let replace = json!({"generate": true, "replace": true});
        let (status, _, text) = call(
            &server,
            "POST",
            &format!("/api/accounts/{shop}/endpoint-key"),
            &clinic,
            Some(replace.clone()),
        )
        .await;
        assert_eq!(status, 403, "{text}");
        let (status, made_again, text) = call(&server, "POST", &path, &clinic, Some(replace)).await;
        assert_eq!((status, &made_again["data"]["downloaded"]), (201, &json!(false)), "{text}");

        // The audit log: each change, refusals included, with the account and the fingerprint.
        let created = audit(&server, &admin, "endpoint_key_create").await;
        let outcomes: Vec<(&str, &str)> =
            created.iter().map(|e| (e["actor"].as_str().unwrap(), e["outcome"].as_str().unwrap())).collect();
        assert_eq!(
            outcomes,
            [
                ("clinic", "ok"),
                ("clinic", "denied"),
                ("admin", "refused"),
                ("admin", "ok"),
                ("editor", "denied")
            ],
            "{created:?}"
        );
        // Refusals of the handler name the account too (a role refused by the guard has only the path).
        assert_eq!((&created[2]["account"], &created[3]["account"]), (&json!(account), &json!(account)));
        assert_eq!(created[1]["account"], shop.as_str());
        assert!(created[3]["detail"].as_str().unwrap().contains(&fingerprint), "{created:?}");
        let downloads = audit(&server, &admin, "endpoint_key_download").await;
        let outcomes: Vec<&str> = downloads.iter().map(|e| e["outcome"].as_str().unwrap()).collect();
        assert_eq!(outcomes, ["refused", "ok", "denied"], "{downloads:?}");
        assert_eq!(audit(&server, &admin, "endpoint_key_upload").await.len(), 2);
    }
}

#[tokio::test]
async fn keys_are_imported_in_every_pem_form_and_a_wrong_form_says_which_it_is() {
    let private = PrivateKey::generate().unwrap();
    let pkcs8 = private.to_pem().unwrap();
    let pkcs1 = rsa::RsaPrivateKey::from_pkcs8_pem(&pkcs8)
        .unwrap()
        .to_pkcs1_pem(rsa::pkcs8::LineEnding::LF)
        .unwrap()
        .to_string();
    let encrypted = private.to_encrypted_pem("open sesame").unwrap();
    let fingerprint =
        flowsmith_server::endpoint::account_key::fingerprint(&private.public_key().to_pem().unwrap());
    for database in databases("endpoint_keys_import").await {
        let at = engine(&database);
        let config = workspace_config("endpoint-keys-import", &database);
        let data_dir = config.data_dir.clone();
        let server = start(config).await;
        let [_, editor, admin] = team(&server).await;
        let account = account_id(&server, &admin, common::WABA1).await;
        let path = format!("/api/accounts/{account}/endpoint-key");

        let (status, refused, _) =
            call(&server, "POST", &path, &editor, Some(json!({"private_key_pem": pkcs8}))).await;
        assert_error(status, &refused, 403, "forbidden");
        for (form, body) in [
            ("PKCS#8", json!({"private_key_pem": pkcs8})),
            ("PKCS#1", json!({"private_key_pem": pkcs1, "replace": true})),
            (
                "encrypted PKCS#8",
                json!({"private_key_pem": encrypted, "passphrase": "open sesame", "replace": true}),
            ),
            // As keys arrive from environment variables: "\n" written out.
            ("escaped", json!({"private_key_pem": pkcs1.replace('\n', "\\n"), "replace": true})),
        ] {
            let (status, imported, text) = call(&server, "POST", &path, &admin, Some(body)).await;
            assert_eq!(status, 201, "{at}, {form}: {text}");
            assert_eq!(
                (&imported["data"]["fingerprint"], &imported["data"]["origin"]),
                (&json!(fingerprint), &json!("imported")),
                "{form}"
            );
        }
        assert_not_at_rest(&pkcs8, &data_dir, &database).await;

        // A key that cannot be read says which form it is and which were expected, never quoting it.
        let public_pem = private.public_key().to_pem().unwrap();
        let other_size = rsa::RsaPrivateKey::new(&mut aes_gcm::aead::OsRng, 1024).unwrap();
        let small =
            rsa::pkcs8::EncodePrivateKey::to_pkcs8_pem(&other_size, rsa::pkcs8::LineEnding::LF).unwrap();
        for (body, field, words) in [
            (
                json!({"private_key_pem": public_pem}),
                "private_key_pem",
                "this is a public key (SPKI), not a private key",
            ),
            (
                json!({"private_key_pem": "-----BEGIN RSA PRIVATE KEY-----\nMIIBOgIBAAJBAK==\n-----END RSA PRIVATE KEY-----"}),
                "private_key_pem",
                "PKCS#1",
            ),
            (
                json!({"private_key_pem": "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC"}),
                "private_key_pem",
                "not a PEM key",
            ),
            (json!({"private_key_pem": encrypted}), "passphrase", "passphrase"),
            (json!({"private_key_pem": encrypted, "passphrase": "open sesami"}), "passphrase", "passphrase"),
            (json!({"private_key_pem": small.as_str()}), "private_key_pem", "RSA-1024"),
            (json!({}), "private_key_pem", "generate"),
        ] {
            // The account has a key: each would replace it, were it readable.
            let mut body = body;
            body["replace"] = json!(true);
            let (status, refused, text) = call(&server, "POST", &path, &admin, Some(body.clone())).await;
            let message = assert_error(status, &refused, 400, "invalid_request");
            assert_eq!(refused["error"]["field"], field, "{at}: {body}: {text}");
            assert!(message.contains(words), "{body}: {message}");
            for line in body_lines(&pkcs8).iter().chain(body_lines(&encrypted).iter()) {
                assert!(!text.contains(line), "the key is quoted: {text}");
            }
        }
        // The last good import is still the key.
        let (_, shown, _) = call(&server, "GET", &path, &editor, None).await;
        assert_eq!(shown["data"]["fingerprint"], fingerprint.as_str(), "{shown}");
    }
}

#[tokio::test]
async fn the_public_key_reaches_whatsapp_through_the_graph_api_and_reads_valid() {
    for database in databases("endpoint_keys_graph").await {
        let at = engine(&database);
        let meta = start(sandbox_config("endpoint-keys-meta")).await;
        let mut config: ServeConfig = sandbox_config("endpoint-keys-graph");
        config.mode = Some(Mode::Graph);
        config.graph_url = meta.at("/sandbox/graph/v21.0");
        config.graph_token = Some(Secret::new(KEY));
        config.waba_ids = vec![CLINIC.to_owned()];
        config.database_url = database.as_ref().map(|url| url.parse().unwrap());
        let server = start(config).await;
        let account = account_id(&server, "", CLINIC).await;
        let path = format!("/api/accounts/{account}/endpoint-key");

        // Before any upload, WhatsApp holds no key.
        let (status, made, text) = call(&server, "POST", &path, "", Some(json!({"generate": true}))).await;
        assert_eq!(status, 201, "{at}: {text}");
        let fingerprint = made["data"]["fingerprint"].clone();
        let (status, held, text) = call(&server, "GET", &format!("{path}/whatsapp"), "", None).await;
        assert_eq!(status, 200, "{at}: {text}");
        assert_eq!(
            (&held["data"]["public_key_pem"], &held["data"]["matches_ours"]),
            (&Value::Null, &json!(false))
        );

        let (status, uploaded, text) = call(&server, "POST", &format!("{path}/upload"), "", None).await;
        assert_eq!(status, 200, "{at}: {text}");
        assert_eq!(uploaded["data"]["signature_status"], "VALID", "{uploaded}");
        let (_, held, _) = call(&server, "GET", &format!("{path}/whatsapp"), "", None).await;
        assert_eq!(
            (&held["data"]["signature_status"], &held["data"]["matches_ours"], &held["data"]["fingerprint"]),
            (&json!("VALID"), &json!(true), &fingerprint),
            "{held}"
        );
        // Meta's call itself, on the other server's sandbox: the phone number holds our key.
        let phone = format!("{}/{CLINIC}0/whatsapp_business_encryption", meta.at("/sandbox/graph/v21.0"));
        let response = client().get(&phone).bearer_auth(KEY).send().await.unwrap();
        let body: Value = response.json().await.unwrap();
        assert_eq!(
            body["data"][0]["business_public_key"].as_str(),
            made["data"]["public_key_pem"].as_str(),
            "{body}"
        );
        // The number registered again at Meta (played by the sandbox's control route): the key
        // it holds reads MISMATCH, still ours, until it is uploaded again.
        let register = meta.at(&format!("/sandbox/control/phone_numbers/{CLINIC}0/register"));
        let response = client().post(&register).header("x-api-key", KEY).send().await.unwrap();
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["business_public_key_signature_status"], "MISMATCH", "{body}");
        let (_, held, _) = call(&server, "GET", &format!("{path}/whatsapp"), "", None).await;
        assert_eq!(
            (&held["data"]["signature_status"], &held["data"]["matches_ours"]),
            (&json!("MISMATCH"), &json!(true)),
            "{held}"
        );
        let (status, uploaded, text) = call(&server, "POST", &format!("{path}/upload"), "", None).await;
        assert_eq!(status, 200, "{at}: {text}");
        assert_eq!(uploaded["data"]["signature_status"], "VALID", "{uploaded}");
        let unknown = meta.at("/sandbox/control/phone_numbers/999990/register");
        let response = client().post(&unknown).header("x-api-key", KEY).send().await.unwrap();
        assert_eq!(response.status(), 404);
        // A key WhatsApp would not take is refused as Meta does (code 100).
        let refused = client()
            .post(&phone)
            .bearer_auth(KEY)
            .header("content-type", "application/x-www-form-urlencoded")
            .body("business_public_key=-----BEGIN+PUBLIC+KEY-----%0AAAAA%0A-----END+PUBLIC+KEY-----")
            .send()
            .await
            .unwrap();
        assert_eq!(refused.status(), 400);
        let body: Value = refused.json().await.unwrap();
        assert_eq!(body["error"]["code"], 100, "{body}");

        // A new pair: WhatsApp still holds the old key, which is no longer ours.
        let replace = json!({"generate": true, "replace": true});
        let (status, _, _) = call(&server, "POST", &path, "", Some(replace)).await;
        assert_eq!(status, 201);
        let (_, held, _) = call(&server, "GET", &format!("{path}/whatsapp"), "", None).await;
        assert_eq!(
            (&held["data"]["matches_ours"], &held["data"]["fingerprint"]),
            (&json!(false), &fingerprint)
        );
        let (_, shown, _) = call(&server, "GET", &path, "", None).await;
        assert_eq!(
            (&shown["data"]["uploaded"], &shown["data"]["signature_status"]),
            (&json!(false), &Value::Null)
        );
    }
}

#[tokio::test]
async fn a_server_key_rotation_reseals_the_private_keys() {
    for database in databases("endpoint_keys_rotate").await {
        let config = workspace_config("endpoint-keys-rotate", &database);
        let settings = Settings::from_config(&config).unwrap();
        let data_dir = config.data_dir.clone();
        let server = start(config).await;
        let account = account_id(&server, "", common::WABA1).await;
        let path = format!("/api/accounts/{account}/endpoint-key");
        let (status, made, _) = call(&server, "POST", &path, "", Some(json!({"generate": true}))).await;
        assert_eq!(status, 201);
        drop(server);

        let old = key::read_key_file(&data_dir.join(KEY_FILE)).unwrap().unwrap();
        let (new, _) = ServerKey::generate();
        let store = Store::open(&settings.workspace).await.unwrap();
        assert_eq!(flowsmith_server::connections::rotate(&store, &old, &new).await.unwrap(), 1);
        store.close().await;
        let row = stored(&settings, &account).await;
        assert_eq!(row.sealed.key_id, new.id());
        let pem = new.open(&format!("endpoint-key:{account}"), &row.sealed).unwrap();
        let public = PrivateKey::from_pem(pem.expose(), None).unwrap().public_key();
        assert_eq!(Some(public.to_pem().unwrap().as_str()), made["data"]["public_key_pem"].as_str());
    }
}
