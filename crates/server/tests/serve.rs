//! `flowsmith serve`: static app, health check, security headers, bad paths, and the errors
//! people see when it cannot start.
mod common;

use std::net::{IpAddr, Ipv4Addr};

use common::{app_dir, assert_envelope, client, json, sandbox_config, start, temp_dir};

use flowsmith_server::{ServeConfig, ServeError, Settings, bind};

#[tokio::test]
async fn healthz_answers_ok_with_a_request_id() {
    let server = start(sandbox_config("healthz")).await;
    let response = client().get(server.at("/healthz")).send().await.unwrap();
    let id = response.headers()["x-request-id"].to_str().unwrap().to_owned();
    assert!(id.len() >= 16, "{id}");
    let (status, body) = json(response).await;
    assert_eq!((status, body["status"].as_str()), (200, Some("ok")));
    // A caller's plain id is kept; a hostile one is replaced.
    let kept = client().get(server.at("/healthz")).header("x-request-id", "abc-123").send().await.unwrap();
    assert_eq!(kept.headers()["x-request-id"], "abc-123");
    let replaced = client().get(server.at("/healthz")).header("x-request-id", "a b/c").send().await.unwrap();
    assert_ne!(replaced.headers()["x-request-id"], "a b/c");
}

#[tokio::test]
async fn hashed_files_are_kept_a_year_and_the_rest_asked_again() {
    let config = sandbox_config("cache");
    std::fs::write(config.app_dir.join("flowsmith-app-6e53060ad7a31c2c_bg.wasm"), b"\0asm").unwrap();
    let server = start(config).await;
    for (path, expected) in [
        ("/flowsmith-app-6e53060ad7a31c2c_bg.wasm", "public, max-age=31536000, immutable"),
        ("/", "no-cache"),
        ("/index.html", "no-cache"),
        ("/a/client/route", "no-cache"),
        ("/app.js", "no-cache"),
    ] {
        let response = client().get(server.at(path)).send().await.unwrap();
        assert_eq!(response.status(), 200, "{path}");
        assert_eq!(response.headers()["cache-control"], expected, "{path}");
    }
}

#[tokio::test]
async fn serves_app_files_and_index_for_client_routes() {
    let server = start(sandbox_config("files")).await;
    let response = client().get(server.at("/app.js")).send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.text().await.unwrap(), "export {}");
    for route in ["/", "/embed", "/embed?flow=x", "/library/flows"] {
        let response = client().get(server.at(route)).send().await.unwrap();
        assert_eq!(response.status(), 200, "{route}");
        assert!(response.text().await.unwrap().contains("<title>Flowsmith</title>"), "{route}");
    }
    let (status, body) = json(client().get(server.at("/missing.js")).send().await.unwrap()).await;
    assert_envelope(status, &body, 404);
}

/// The build writes `.br` and `.gz` copies of every file (xtask/src/precompress.rs): each
/// browser gets the smallest encoding it accepts, with the original's type.
#[tokio::test]
async fn precompressed_copies_are_sent_to_browsers_that_accept_them() {
    let config = sandbox_config("precompressed");
    std::fs::write(config.app_dir.join("app.wasm"), b"\0asm raw").unwrap();
    std::fs::write(config.app_dir.join("app.wasm.gz"), b"gzip bytes").unwrap();
    std::fs::write(config.app_dir.join("app.wasm.br"), b"brotli bytes").unwrap();
    let server = start(config).await;
    for (accepted, encoding, body) in [
        ("gzip, deflate, br, zstd", Some("br"), "brotli bytes"),
        ("gzip", Some("gzip"), "gzip bytes"),
        ("identity", None, "\0asm raw"),
    ] {
        let response =
            client().get(server.at("/app.wasm")).header("accept-encoding", accepted).send().await.unwrap();
        assert_eq!(response.status(), 200, "{accepted}");
        let headers = response.headers().clone();
        assert_eq!(headers["content-type"], "application/wasm", "{accepted}");
        assert_eq!(
            headers.get("content-encoding").map(|value| value.to_str().unwrap()),
            encoding,
            "{accepted}"
        );
        assert!(headers["vary"].to_str().unwrap().contains("accept-encoding"), "{accepted}");
        assert_eq!(response.text().await.unwrap(), body, "{accepted}");
    }
}

#[tokio::test]
async fn the_preview_page_answers_embed_with_its_own_files_and_script_hash() {
    let config = sandbox_config("embed");
    let embed = config.app_dir.join("embed");
    std::fs::create_dir_all(&embed).unwrap();
    std::fs::write(
        embed.join("index.html"),
        "<!doctype html><title>Flowsmith preview</title><script type=\"module\">import('/embed/e.js');</script>",
    )
    .unwrap();
    std::fs::write(embed.join("e.js"), "export const embed = 1;").unwrap();
    let server = start(config).await;
    for route in ["/embed", "/embed?flow=%2Fsandbox%2Fpreview%2Fx%2Fflow.json", "/embed/", "/embed#flow=abc"]
    {
        let response = client().get(server.at(route)).send().await.unwrap();
        assert_eq!(response.status(), 200, "{route}");
        let csp = response.headers()["content-security-policy"].to_str().unwrap().to_owned();
        // Both pages' inline loaders are allowed: the editor's and the preview's.
        assert_eq!(csp.matches("'sha256-").count(), 2, "{csp}");
        assert!(response.text().await.unwrap().contains("<title>Flowsmith preview</title>"), "{route}");
    }
    let script = client().get(server.at("/embed/e.js")).send().await.unwrap();
    assert_eq!(script.text().await.unwrap(), "export const embed = 1;");
    let editor = client().get(server.at("/library")).send().await.unwrap();
    assert!(editor.text().await.unwrap().contains("<title>Flowsmith</title>"));
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let mut config = sandbox_config("headers");
    config.frame_ancestors = vec!["https://crm.example.com".to_owned()];
    let server = start(config).await;
    for path in ["/", "/healthz", "/api/v2/nothing"] {
        let response = client().get(server.at(path)).send().await.unwrap();
        let headers = response.headers();
        assert_eq!(headers["x-content-type-options"], "nosniff", "{path}");
        let csp = headers["content-security-policy"].to_str().unwrap();
        assert!(csp.contains("default-src 'self'"), "{csp}");
        assert!(csp.contains("frame-ancestors 'self' https://crm.example.com;"), "{csp}");
        assert!(csp.contains("frame-src 'self' https://business.facebook.com"), "{csp}");
        // The inline loader script of index.html is allowed by its hash, nothing else inline.
        assert!(csp.contains("'sha256-"), "{csp}");
        assert!(!csp.contains("script-src 'self' 'unsafe-inline'"), "{csp}");
    }
}

#[tokio::test]
async fn a_rebuilt_app_is_allowed_its_new_loader_without_a_restart() {
    let config = sandbox_config("rebuilt");
    let index = config.app_dir.join("index.html");
    let page = |script: &str| {
        format!("<!doctype html><title>Flowsmith</title><script type=\"module\">{script}</script>")
    };
    std::fs::write(&index, page("import('/a.js');")).unwrap();
    let server = start(config).await;
    let policy = |response: &reqwest::Response| {
        response.headers()["content-security-policy"].to_str().unwrap().to_owned()
    };
    let first = policy(&client().get(server.at("/")).send().await.unwrap());
    // Trunk rebuilds the app while the server runs: the loader, and so its hash, change.
    std::fs::write(&index, page("import('/b.js');")).unwrap();
    for route in ["/", "/library/flows"] {
        let now = policy(&client().get(server.at(route)).send().await.unwrap());
        assert_ne!(now, first, "{route}: the page's policy follows the page");
        assert_eq!(now.matches("'sha256-").count(), 1, "{now}");
    }
    // Other answers keep the policy read at start; they run no script.
    let health = client().get(server.at("/healthz")).send().await.unwrap();
    assert_eq!(policy(&health), first);
}

/// Sends `path` byte for byte (HTTP clients normalise `..` and `%2e%2e` away).
async fn raw_get(server: &common::Server, path: &str) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(server.url.trim_start_matches("http://")).await.unwrap();
    let request = format!("GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).await.unwrap();
    answer
}

#[tokio::test]
async fn path_traversal_is_refused_with_the_envelope() {
    let server = start(sandbox_config("traversal")).await;
    for path in [
        "/../../etc/passwd",
        "/..%2f..%2fetc/passwd",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/a/..%5c..%5cCargo.toml",
        "/x%00.js",
        "/./index.html",
    ] {
        let answer = raw_get(&server, path).await;
        assert!(answer.starts_with("HTTP/1.1 400"), "{path}: {answer}");
        assert!(answer.contains("\"http_code\":400") && !answer.contains("root:"), "{path}: {answer}");
    }
}

#[tokio::test]
async fn config_tells_the_app_the_mode_and_partner() {
    let server = start(sandbox_config("config")).await;
    let (status, body) = json(client().get(server.at("/flowsmith/config")).send().await.unwrap()).await;
    assert_eq!(status, 200);
    assert_eq!(body["mode"], "sandbox");
    assert_eq!(body["partner_id"], "sandboxPA");
    assert_eq!(body["api_base"], "/api/v2");
    let (status, body) = json(client().get(server.at("/flowsmith/nothing")).send().await.unwrap()).await;
    assert_envelope(status, &body, 404);
}

#[tokio::test]
async fn missing_app_folder_is_named_with_what_to_do() {
    let missing = std::env::temp_dir().join("flowsmith-no-such-dist");
    let settings = Settings::from_config(&ServeConfig::new(&missing)).unwrap();
    let error = bind(&settings).await.unwrap_err();
    assert!(matches!(error, ServeError::AppDirMissing(_)));
    let message = error.to_string();
    assert!(message.contains("flowsmith-no-such-dist") && message.contains("cargo xtask serve"), "{message}");
}

#[tokio::test]
async fn port_in_use_is_named_with_what_to_do() {
    let mut config = ServeConfig::new(app_dir("port"));
    config.bind = IpAddr::V4(Ipv4Addr::LOCALHOST);
    config.port = 0;
    let first = bind(&Settings::from_config(&config).unwrap()).await.unwrap();
    config.port = first.local_addr().unwrap().port();
    let error = bind(&Settings::from_config(&config).unwrap()).await.unwrap_err();
    assert!(matches!(error, ServeError::AddressInUse(_)));
    let message = error.to_string();
    assert!(
        message.contains(&format!("127.0.0.1:{}", config.port)) && message.contains("--port"),
        "{message}"
    );
}

#[tokio::test]
async fn unusable_data_folders_are_named_at_start() {
    let file = temp_dir("datafile").join("not-a-folder");
    std::fs::write(&file, "x").unwrap();
    let garbage = temp_dir("garbage");
    std::fs::write(garbage.join(flowsmith_server::sandbox::DATABASE_FILE), vec![7u8; 8192]).unwrap();
    for (dir, words) in [
        (file, "is a file"),
        (std::path::PathBuf::from("/proc/flowsmith-cannot-create"), "cannot create the data folder"),
        (garbage, "not a SQLite database"),
    ] {
        let mut config = sandbox_config("datadir");
        config.data_dir = dir;
        let settings = Settings::from_config(&config).unwrap();
        let address = "127.0.0.1:0".parse().unwrap();
        let Err(error) = flowsmith_server::AppState::new(settings, address).await else {
            panic!("{words}: opened")
        };
        let message = error.to_string();
        assert!(message.contains(words) && message.contains("--data-dir"), "{message}");
    }
}
