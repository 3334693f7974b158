//! The app's files, with `index.html` for the editor's client routes, `embed/index.html` for
//! the preview at `/embed` and `flows/index.html` for the Flows page at `/flows` (bundles of
//! their own), and the security headers every response carries (a Content Security Policy
//! derived from the built pages).
use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use sha2::{Digest, Sha256};
use tower::ServiceExt;
use tower_http::services::{ServeDir, ServeFile};

use crate::config::Settings;
use crate::error::ApiError;

/// Meta's web preview host: the `preview_url` of flows in 360dialog mode, shown in an iframe.
pub const META_PREVIEW_ORIGIN: &str = "https://business.facebook.com";

/// The built app.
#[derive(Clone)]
pub struct AppFiles {
    files: ServeDir,
    index: ServeFile,
    /// The preview page, when the build has one (`embed/index.html`).
    embed: Option<ServeFile>,
    /// The Flows page, when the build has one (`flows/index.html`).
    flows: Option<ServeFile>,
    /// For the policy of each page served, from the pages as they are then.
    settings: Arc<Settings>,
    /// A warning every page shows at its top (serving others without sign-in).
    warning: Option<&'static str>,
}

/// Where the preview page and its files are served (`/embed`, `/embed?flow=…`, `/embed/…`).
pub const EMBED_PATH: &str = "/embed";

impl AppFiles {
    /// Serves the app folder of `settings`, whose `index.html` answers client routes and
    /// whose `embed/index.html` answers `/embed`.
    pub fn new(settings: Arc<Settings>) -> Self {
        let dir: &Path = &settings.app_dir;
        let embed = dir.join("embed").join("index.html");
        let flows = dir.join("flows").join("index.html");
        // The build writes `.br` and `.gz` copies of the code and styles (precompress.rs in the
        // xtask): they go to browsers that accept them; nothing is compressed per request.
        AppFiles {
            files: ServeDir::new(dir).precompressed_br().precompressed_gzip(),
            index: ServeFile::new(dir.join("index.html")),
            embed: embed.is_file().then(|| ServeFile::new(embed)),
            flows: flows.is_file().then(|| ServeFile::new(flows)),
            settings: Arc::clone(&settings),
            warning: None,
        }
    }

    /// Every page (HTML) also shows `warning` at its top, as plain HTML: no app bundle pays
    /// for it, and it shows before the app has loaded.
    pub fn with_warning(mut self, warning: Option<&'static str>) -> Self {
        self.warning = warning;
        self
    }
}

/// Whether a path is the preview page itself (not one of its files).
fn is_embed_page(path: &str) -> bool {
    path == EMBED_PATH || path == "/embed/" || path == "/embed/index.html"
}

/// Where the Flows page is served (`/flows`, `/flows?history=…`, its files under `/flows/`).
pub const FLOWS_PATH: &str = "/flows";

/// Whether a path is the Flows page itself (not one of its files).
fn is_flows_page(path: &str) -> bool {
    path == FLOWS_PATH || path == "/flows/" || path == "/flows/index.html"
}

/// GET and HEAD of the app's files. A path that tries to leave the folder (`..`, encoded
/// separators, backslashes, NUL) is refused with 400; a missing path without a file extension
/// is a client route and gets `index.html`; a missing file gets 404.
///
/// A page (HTML) gets the policy of the pages as they are now: a rebuild of the app while the
/// server runs changes the hashes of their inline loaders, and a policy read at start would
/// then block the new loader and leave the page blank.
pub async fn app_files(State(files): State<AppFiles>, request: Request) -> Response {
    let settings = Arc::clone(&files.settings);
    let warning = files.warning;
    let path = request.uri().path().to_owned();
    let mut response = serve_app_file(files, request).await;
    let is_page = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|kind| kind.as_bytes().starts_with(b"text/html"));
    if is_page {
        let policy = SecurityHeaders::new(&settings).content_security_policy();
        response.headers_mut().insert(header::CONTENT_SECURITY_POLICY, policy);
        let plain =
            response.status() == StatusCode::OK && !response.headers().contains_key(header::CONTENT_ENCODING);
        if let Some(warning) = warning.filter(|_| plain) {
            response = with_banner(response, warning).await;
        }
    }
    // A file named by its content's hash never changes: browsers and proxies keep it a year.
    // Anything else (pages, files without a hash) is asked again each time (ETag/Last-Modified).
    if response.status() == StatusCode::OK && !response.headers().contains_key(header::CACHE_CONTROL) {
        let policy = if is_hashed(&path) { IMMUTABLE } else { HeaderValue::from_static("no-cache") };
        response.headers_mut().insert(header::CACHE_CONTROL, policy);
    }
    // The body depends on Accept-Encoding (the precompressed copies): caches must know.
    response.headers_mut().append(header::VARY, HeaderValue::from_static("accept-encoding"));
    response
}

async fn serve_app_file(files: AppFiles, request: Request) -> Response {
    if !matches!(*request.method(), Method::GET | Method::HEAD) {
        return ApiError::MethodNotAllowed.into_response();
    }
    let path = request.uri().path().to_owned();
    if !is_safe_path(&path) {
        return ApiError::wrong_payload("This path is not allowed").into_response();
    }
    let client_route = !path.rsplit('/').next().unwrap_or_default().contains('.');
    let page = match &path {
        path if is_embed_page(path) => files.embed.as_ref(),
        path if is_flows_page(path) => files.flows.as_ref(),
        _ => None,
    };
    if let Some(page) = page {
        let mut response = match page.clone().oneshot(request).await {
            Ok(response) => response.map(axum::body::Body::new),
            Err(never) => match never {},
        };
        response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
        return response;
    }
    let (parts, body) = request.into_parts();
    let head = Request::from_parts(parts.clone(), axum::body::Body::empty());
    let response = match files.files.oneshot(Request::from_parts(parts, body)).await {
        Ok(response) => response.map(axum::body::Body::new),
        Err(never) => match never {},
    };
    if response.status() != StatusCode::NOT_FOUND {
        return response;
    }
    if !client_route {
        return ApiError::NotFound("No such file".to_owned()).into_response();
    }
    let mut response = match files.index.oneshot(head).await {
        Ok(response) => response.map(axum::body::Body::new),
        Err(never) => match never {},
    };
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    response
}

/// The page with `warning` in a banner at the top of its body (the app mounts after it).
async fn with_banner(response: Response, warning: &str) -> Response {
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 1024 * 1024).await else {
        return ApiError::NotFound("The page could not be read".to_owned()).into_response();
    };
    let page = String::from_utf8_lossy(&bytes);
    let banner = format!(
        "<div role=\"alert\" data-testid=\"server-warning\" style=\"background:#b00020;color:#fff;padding:.4rem .75rem;\
         font:14px/1.4 system-ui,sans-serif\">{}</div>",
        warning.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
    );
    let page = match page.find("<body").and_then(|start| page[start..].find('>').map(|end| start + end + 1)) {
        Some(at) => format!("{}{banner}{}", &page[..at], &page[at..]),
        // No body tag: the parser puts what follows the head in the body.
        None => format!("{page}{banner}"),
    };
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, axum::body::Body::from(page))
}

/// `Cache-Control` of a file whose name holds its content's hash.
const IMMUTABLE: HeaderValue = HeaderValue::from_static("public, max-age=31536000, immutable");

/// Whether a path names a file by its content's hash, as Trunk writes them: a part of a name
/// that is `-` and 15 or 16 lowercase hexadecimal digits (`flowsmith-app-6e53060ad7a31c2c.js`,
/// `…_bg.wasm`, `snippets/leptos-1a2b…/inline0.js`).
fn is_hashed(path: &str) -> bool {
    path.split('/').any(|segment| {
        segment.split('-').skip(1).any(|part| {
            let digits = part.split(['.', '_']).next().unwrap_or_default();
            (15..=16).contains(&digits.len())
                && digits.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        })
    })
}

/// Whether a request path stays inside the app folder once decoded.
fn is_safe_path(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    if lower.contains("%2f") || lower.contains("%5c") || lower.contains("%00") {
        return false;
    }
    let decoded: Vec<u8> = percent_encoding::percent_decode_str(path).collect();
    !decoded.contains(&b'\\')
        && !decoded.contains(&0)
        && decoded.split(|byte| *byte == b'/').all(|segment| segment != b".." && segment != b".")
}

/// The headers added to every response: the CSP, `X-Content-Type-Options: nosniff` and a
/// referrer policy (`lib.rs` sets them with tower-http's `SetResponseHeader` layers).
#[derive(Debug, Clone)]
pub struct SecurityHeaders {
    csp: HeaderValue,
}

/// `X-Content-Type-Options` on every response.
pub const NOSNIFF: HeaderValue = HeaderValue::from_static("nosniff");

/// `Referrer-Policy` on every response.
pub const REFERRER_POLICY: HeaderValue = HeaderValue::from_static("same-origin");

impl SecurityHeaders {
    /// The policy for this configuration and the app's pages (`index.html`, the preview's
    /// `embed/index.html` and the Flows page's `flows/index.html`, read now: at start for every
    /// response, again for each page served).
    pub fn new(settings: &Settings) -> Self {
        let mut pages = std::fs::read_to_string(settings.app_dir.join("index.html")).unwrap_or_default();
        for page in ["embed", "flows"] {
            pages.push_str(
                &std::fs::read_to_string(settings.app_dir.join(page).join("index.html")).unwrap_or_default(),
            );
        }
        let csp = content_security_policy(settings, &pages);
        SecurityHeaders {
            csp: HeaderValue::from_str(&csp)
                .unwrap_or_else(|_| HeaderValue::from_static("default-src 'self'")),
        }
    }

    /// The `Content-Security-Policy` value.
    pub fn content_security_policy(&self) -> HeaderValue {
        self.csp.clone()
    }
}

/// The policy of a page served from memory (the sign-in page): this configuration's, with the
/// page's own inline scripts allowed by their hashes.
pub fn page_policy(settings: &Settings, page: &str) -> HeaderValue {
    HeaderValue::from_str(&content_security_policy(settings, page))
        .unwrap_or_else(|_| HeaderValue::from_static("default-src 'self'"))
}

/// Only this server's own code, styles and data; the wasm module; the preview iframe (the
/// sandbox's is same-origin, 360dialog's is Meta's); framing by the configured origins only.
fn content_security_policy(settings: &Settings, index_html: &str) -> String {
    let mut scripts = vec!["'self'".to_owned(), "'wasm-unsafe-eval'".to_owned()];
    // Trunk writes the loader of the wasm module inline; allow exactly that script.
    scripts.extend(inline_scripts(index_html).map(|script| {
        let digest = Sha256::digest(script.as_bytes());
        format!("'sha256-{}'", base64::engine::general_purpose::STANDARD.encode(digest))
    }));
    let mut connect = vec!["'self'".to_owned()];
    if let crate::config::Origins::List(origins) = &settings.cors_origins {
        connect.extend(origins.iter().filter_map(|origin| origin.to_str().ok().map(str::to_owned)));
    }
    connect.push(settings.upstream_origin.clone());
    // The preview fetches flows (`/embed?flow=`) and test-endpoint answers from these.
    connect.extend(settings.preview_origins.iter().cloned());
    let mut ancestors = vec!["'self'".to_owned()];
    ancestors.extend(settings.frame_ancestors.iter().cloned());
    let mut frames = vec!["'self'".to_owned(), META_PREVIEW_ORIGIN.to_owned()];
    frames.extend(settings.preview_frame_origin());
    format!(
        "default-src 'self'; script-src {}; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; \
         font-src 'self' data:; connect-src {}; frame-src {}; frame-ancestors {}; \
         object-src 'none'; base-uri 'none'; form-action 'self'",
        scripts.join(" "),
        connect.join(" "),
        frames.join(" "),
        ancestors.join(" "),
    )
}

/// The bodies of `<script>` elements without `src`.
fn inline_scripts(html: &str) -> impl Iterator<Item = &str> {
    html.split("<script").skip(1).filter_map(|rest| {
        let (attributes, rest) = rest.split_once('>')?;
        if attributes.contains("src=") {
            return None;
        }
        let (body, _) = rest.split_once("</script>")?;
        Some(body)
    })
}

/// The folder's `index.html`, or why it is missing.
pub fn index_of(dir: &Path) -> Option<PathBuf> {
    let index = dir.join("index.html");
    index.is_file().then_some(index)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn traversal_is_refused_in_every_spelling() {
        assert!(is_safe_path("/app.js") && is_safe_path("/embed") && is_safe_path("/a/b.c"));
        for path in
            ["/../x", "/a/../../x", "/%2e%2e/x", "/..%2fx", "/%2E%2E%5Cx", "/a\\..\\x", "/x%00", "/./x"]
        {
            assert!(!is_safe_path(path), "{path}");
        }
    }

    #[test]
    fn inline_scripts_are_found_and_external_ones_skipped() {
        let html = r#"<script src="/a.js"></script><script type="module">init()</script>"#;
        assert_eq!(inline_scripts(html).collect::<Vec<_>>(), vec!["init()"]);
    }

    #[test]
    fn hashed_names_are_told_apart() {
        for hashed in [
            "/flowsmith-app-6e53060ad7a31c2c.js",
            "/flowsmith-app-6e53060ad7a31c2c_bg.wasm",
            "/flows/flows-2a1cf8c772c621c.css",
            "/snippets/leptos-dom-1a2b3c4d5e6f7a8b/inline0.js",
        ] {
            assert!(is_hashed(hashed), "{hashed}");
        }
        for plain in ["/index.html", "/code-editor.js", "/flows/", "/app-1234.js", "/x-6E53060AD7A31C2C.js"] {
            assert!(!is_hashed(plain), "{plain}");
        }
    }

    #[test]
    fn policy_names_frame_ancestors_and_inline_hashes() {
        let mut config = crate::config::ServeConfig::new("dist");
        config.frame_ancestors = vec!["https://crm.example.com".to_owned()];
        let settings = Settings::from_config(&config).unwrap();
        let policy = content_security_policy(&settings, "<script>x</script>");
        assert!(policy.contains("frame-ancestors 'self' https://crm.example.com;"), "{policy}");
        assert!(policy.contains("'sha256-LXEWQrcmsEQBYnyp+6wy9chTD7GQPMTbAiWHF5IaSIE='"), "{policy}");
        assert!(policy.contains("frame-src 'self' https://business.facebook.com"), "{policy}");
    }

    #[test]
    fn a_graph_sandbox_on_loopback_may_be_framed_and_meta_always() {
        let mut config = crate::config::ServeConfig::new("dist");
        config.mode = Some(crate::config::Mode::Graph);
        config.graph_token = Some(crate::config::Secret::new("EAAG-token"));
        config.waba_ids = vec!["42".to_owned()];
        let policy = content_security_policy(&Settings::from_config(&config).unwrap(), "");
        assert!(policy.contains("frame-src 'self' https://business.facebook.com;"), "{policy}");
        config.graph_url = "http://127.0.0.1:8080/sandbox/graph/v21.0".to_owned();
        let policy = content_security_policy(&Settings::from_config(&config).unwrap(), "");
        assert!(
            policy.contains("frame-src 'self' https://business.facebook.com http://127.0.0.1:8080;"),
            "{policy}"
        );
    }

    #[test]
    fn preview_origins_may_be_fetched_from() {
        let mut config = crate::config::ServeConfig::new("dist");
        config.preview_origins = vec!["http://localhost:3000".to_owned()];
        let settings = Settings::from_config(&config).unwrap();
        let policy = content_security_policy(&settings, "");
        assert!(
            policy.contains("connect-src 'self' https://hub.360dialog.io http://localhost:3000;"),
            "{policy}"
        );
    }

    #[test]
    fn the_preview_page_is_embed_and_its_files_are_files() {
        assert!(is_embed_page("/embed") && is_embed_page("/embed/"));
        assert!(!is_embed_page("/embed/flowsmith-embed.js") && !is_embed_page("/embedded"));
        assert!(
            is_flows_page("/flows")
                && is_flows_page("/flows/")
                && !is_flows_page("/flows/flowsmith-flows.js")
        );
    }
}
