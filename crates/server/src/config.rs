//! How `flowsmith serve` is configured: flags and environment variables (clap), then checked
//! once into [`Settings`], which is what the server runs on.
use std::fmt;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::str::FromStr;
use std::time::Duration;

use axum::http::HeaderValue;
use url::Url;

use crate::ServeError;

/// 360dialog's production host of the Partner API.
pub const DEFAULT_UPSTREAM: &str = "https://hub.360dialog.io";
/// The key the sandbox accepts unless told otherwise.
pub const DEFAULT_SANDBOX_KEY: &str = "sandbox";
/// A 10 MB flow.json (Meta's limit) plus room for the multipart envelope around it.
pub const DEFAULT_BODY_LIMIT: usize = 10 * 1024 * 1024 + 512 * 1024;
/// The partner id of the sandbox, as 360dialog shapes them (`…PA`).
pub const SANDBOX_PARTNER_ID: &str = "sandboxPA";
/// The partner id the app uses in graph mode: the Graph API has no partner, but the app's
/// Partner-shaped paths need one (`proxy/adapter.rs` answers them).
pub const GRAPH_PARTNER_ID: &str = "meta";

/// Flags of `flowsmith serve`; each also reads the environment variable named in its help.
#[derive(Debug, Clone, clap::Args)]
pub struct ServeConfig {
    /// Address to listen on. Keep the loopback default unless the app must be reachable from
    /// other machines.
    #[arg(long, env = "FLOWSMITH_BIND", default_value_t = IpAddr::V4(Ipv4Addr::LOCALHOST))]
    pub bind: IpAddr,
    /// TCP port to listen on (0 picks a free port).
    #[arg(long, env = "FLOWSMITH_PORT", default_value_t = 8080)]
    pub port: u16,
    /// Folder of the built app (Trunk's output, with index.html).
    #[arg(long, env = "FLOWSMITH_APP_DIR", default_value = "dist")]
    pub app_dir: PathBuf,
    /// `sandbox` (a local stand-in of the Partner API, stored in --data-dir) or `360dialog`
    /// (forward to --upstream-url with the partner API key). Default: `360dialog` when a key is
    /// configured, `sandbox` otherwise.
    #[arg(long, env = "FLOWSMITH_MODE")]
    pub mode: Option<Mode>,
    /// Base URL of the 360dialog Partner API (360dialog mode). Must be https, except on loopback.
    #[arg(long, env = "FLOWSMITH_UPSTREAM_URL", default_value = DEFAULT_UPSTREAM)]
    pub upstream_url: String,
    /// Base URL of Meta's Graph API with its version (graph mode). Must be https, except on
    /// loopback (e.g. another Flowsmith's Graph sandbox, `http://127.0.0.1:8080/sandbox/graph/v21.0`).
    #[arg(long, env = "FLOWSMITH_GRAPH_URL", default_value = crate::backend::graph::DEFAULT_URL)]
    pub graph_url: String,
    /// The Graph API version (`v21.0`), replacing the one at the end of --graph-url.
    #[arg(long, env = "FLOWSMITH_GRAPH_API_VERSION")]
    pub graph_api_version: Option<String>,
    /// Meta system-user token with whatsapp_business_management (graph mode). Prefer the
    /// environment variable or --graph-token-file: a flag shows in the process list. Never logged.
    #[arg(long, env = "FLOWSMITH_GRAPH_TOKEN", hide_env_values = true)]
    pub graph_token: Option<Secret>,
    /// File holding the Graph API token (surrounding whitespace is ignored).
    #[arg(long, env = "FLOWSMITH_GRAPH_TOKEN_FILE")]
    pub graph_token_file: Option<PathBuf>,
    /// Meta's id of a WhatsApp Business Account to work on (graph mode); repeat the flag or
    /// separate with commas.
    #[arg(long = "waba-id", env = "FLOWSMITH_WABA_IDS", value_delimiter = ',')]
    pub waba_ids: Vec<String>,
    /// Partner API key (360dialog mode). Prefer the environment variable or --partner-api-key-file:
    /// a flag is visible to other users of the machine in the process list. Never logged.
    #[arg(long, env = "FLOWSMITH_PARTNER_API_KEY", hide_env_values = true)]
    pub partner_api_key: Option<Secret>,
    /// File holding the partner API key (surrounding whitespace is ignored).
    #[arg(long, env = "FLOWSMITH_PARTNER_API_KEY_FILE")]
    pub partner_api_key_file: Option<PathBuf>,
    /// The key that encrypts the credentials admins store (32 random bytes in base64, e.g.
    /// `openssl rand -base64 32`). Without it, the key file `secret.key` in --data-dir is used,
    /// created (mode 0600) on first start. Servers sharing one --database-url need the same key.
    /// Prefer the environment variable: a flag shows in the process list. Never logged.
    #[arg(long, env = "FLOWSMITH_SECRET_KEY", hide_env_values = true)]
    pub secret_key: Option<Secret>,
    /// Your 360dialog partner id (`…PA`). In 360dialog mode only this partner's paths are
    /// forwarded; the app reads it from /flowsmith/config. The sandbox's partner is `sandboxPA`.
    #[arg(long, env = "FLOWSMITH_PARTNER_ID")]
    pub partner_id: Option<String>,
    /// The X-API-Key the sandbox accepts on /sandbox/api/v2/… (the app's same-origin
    /// /api/v2/… gets it added by the server).
    #[arg(long, env = "FLOWSMITH_SANDBOX_API_KEY", default_value = DEFAULT_SANDBOX_KEY, hide_env_values = true)]
    pub sandbox_api_key: Secret,
    /// Origins allowed to call this server from a browser (CORS), e.g. `https://crm.example.com`;
    /// repeat the flag or separate with commas. Default: none besides the same origin. `*` is
    /// accepted in sandbox mode only (it would lend the partner key to every web site).
    #[arg(long = "cors-origin", env = "FLOWSMITH_CORS_ORIGINS", value_delimiter = ',')]
    pub cors_origins: Vec<String>,
    /// Largest request body, in bytes or with a K/M suffix (KiB/MiB).
    #[arg(long, env = "FLOWSMITH_BODY_LIMIT", default_value_t = ByteSize(DEFAULT_BODY_LIMIT))]
    pub body_limit: ByteSize,
    /// How long to wait for the Partner API (and asset hosts) before answering 504, e.g. `30s`,
    /// `500ms`.
    #[arg(long, env = "FLOWSMITH_UPSTREAM_TIMEOUT", default_value = "30s")]
    pub upstream_timeout: Seconds,
    /// Calls to the Partner API in flight at once (360dialog mode); more wait their turn. Each
    /// holds an upstream connection and its buffers: the default bounds memory with 1,000
    /// browsers connected; raise it when many people publish at once against a slow upstream.
    #[arg(long, env = "FLOWSMITH_UPSTREAM_CONCURRENCY", default_value_t = crate::proxy::MAX_UPSTREAM_CALLS,
          value_parser = concurrency)]
    pub upstream_concurrency: usize,
    /// How long any request may take before this server answers 504 itself.
    #[arg(long, env = "FLOWSMITH_REQUEST_TIMEOUT", default_value = "60s")]
    pub request_timeout: Seconds,
    /// Folder of the workspace's and the sandbox's databases (created if missing; survives
    /// restarts).
    #[arg(long, env = "FLOWSMITH_DATA_DIR", default_value = "flowsmith-data")]
    pub data_dir: PathBuf,
    /// Keep the workspace (flows, versions, accounts) in this database instead of a SQLite file
    /// in --data-dir: `postgres://user:password@host/db`, so that several `flowsmith serve`
    /// behind a load balancer share one workspace. The password is never printed.
    #[arg(long, env = "FLOWSMITH_DATABASE_URL", hide_env_values = true)]
    pub database_url: Option<crate::workspace::store::DatabaseUrl>,
    /// The URL people reach this server at, used in the sandbox's preview and download links.
    /// Default: http:// and the address it listens on.
    #[arg(long, env = "FLOWSMITH_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// Origins allowed to show the app in a frame (CSP frame-ancestors), e.g. to embed the
    /// preview at /embed; repeat or separate with commas. Default: the same origin only.
    #[arg(long = "frame-ancestor", env = "FLOWSMITH_FRAME_ANCESTORS", value_delimiter = ',')]
    pub frame_ancestors: Vec<String>,
    /// Origins the preview (/embed) may fetch from: flows given as `/embed?flow=<url>` and a
    /// plain-JSON test endpoint answering data_exchange (CSP connect-src); repeat or separate
    /// with commas. Default: the same origin only.
    #[arg(long = "preview-origin", env = "FLOWSMITH_PREVIEW_ORIGINS", value_delimiter = ',')]
    pub preview_origins: Vec<String>,
    /// Serve an address other machines reach with no user configured: anyone who reaches the
    /// port can then publish, deprecate and delete flows with the partner key. Without it such
    /// a server refuses to start until a user exists (`flowsmith user add`).
    #[arg(long, env = "FLOWSMITH_INSECURE_NO_AUTH")]
    pub insecure_no_auth: bool,
    /// Mark the session cookie `Secure` (browsers then send it over https only). Implied by an
    /// https --public-url; behind a TLS proxy listed in --trusted-proxy, `X-Forwarded-Proto:
    /// https` does the same per request.
    #[arg(long, env = "FLOWSMITH_SECURE_COOKIES")]
    pub secure_cookies: bool,
    /// Addresses (or CIDR blocks, `10.0.0.0/8`) of reverse proxies (nginx, Caddy) whose
    /// `X-Forwarded-For` (the client's address, for refusing repeated failed sign-ins),
    /// `X-Forwarded-Proto` and --auth-header are believed; repeat or separate with commas.
    #[arg(long = "trusted-proxy", env = "FLOWSMITH_TRUSTED_PROXIES", value_delimiter = ',',
          value_parser = proxy_network)]
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// A header in which a trusted reverse proxy names the signed-in user (e.g.
    /// `X-Forwarded-User`, set by an authenticating proxy such as oauth2-proxy). Believed only
    /// from --trusted-proxy addresses (required with it); from any other address it is ignored.
    /// A name with no user yet gets one, with --sso-default-role.
    #[arg(long, env = "FLOWSMITH_AUTH_HEADER")]
    pub auth_header: Option<String>,
    /// OpenID Connect single sign-on: the identity provider's issuer URL (its
    /// `/.well-known/openid-configuration` is read from there), e.g.
    /// `https://accounts.example.com/realms/team`. Must be https, except on loopback. The
    /// provider must accept the redirect URL `<--public-url>/api/session/oidc/callback`.
    #[arg(long, env = "FLOWSMITH_OIDC_ISSUER")]
    pub oidc_issuer: Option<String>,
    /// The client id this server has at the identity provider.
    #[arg(long, env = "FLOWSMITH_OIDC_CLIENT_ID")]
    pub oidc_client_id: Option<String>,
    /// The client secret (none for a public client). Prefer the environment variable or
    /// --oidc-client-secret-file: a flag is visible in the process list. Never logged.
    #[arg(long, env = "FLOWSMITH_OIDC_CLIENT_SECRET", hide_env_values = true)]
    pub oidc_client_secret: Option<Secret>,
    /// File holding the client secret (surrounding whitespace is ignored).
    #[arg(long, env = "FLOWSMITH_OIDC_CLIENT_SECRET_FILE")]
    pub oidc_client_secret_file: Option<PathBuf>,
    /// The role of a user created at their first single sign-on (OpenID Connect or
    /// --auth-header); an admin changes it afterwards.
    #[arg(long, env = "FLOWSMITH_SSO_DEFAULT_ROLE", default_value = "viewer")]
    pub sso_default_role: crate::auth::Role,
    /// A session unused this long ends, in seconds (`28800s` is 8 hours).
    #[arg(long, env = "FLOWSMITH_SESSION_IDLE", default_value = "28800s")]
    pub session_idle: Seconds,
    /// A session ends this long after sign-in, used or not (`604800s` is 7 days).
    #[arg(long, env = "FLOWSMITH_SESSION_LIFETIME", default_value = "604800s")]
    pub session_lifetime: Seconds,
    /// The app secret of your Meta app: WhatsApp's deliveries to /webhooks/whatsapp are
    /// accepted only when signed with it (`X-Hub-Signature-256`), and the deliveries this
    /// server forwards are signed with it. Prefer the environment variable. Never logged.
    #[arg(long, env = "FLOWSMITH_APP_SECRET", hide_env_values = true)]
    pub app_secret: Option<Secret>,
    /// The verify token you give Meta when registering /webhooks/whatsapp: its verification
    /// request must show it. Never logged.
    #[arg(long, env = "FLOWSMITH_WEBHOOK_VERIFY_TOKEN", hide_env_values = true)]
    pub webhook_verify_token: Option<Secret>,
    /// Where replies to flows completed on the sandbox's test phone are also POSTed, signed
    /// with --app-secret as Meta signs its webhooks (to try your own webhook code offline).
    #[arg(long, env = "FLOWSMITH_WEBHOOK_FORWARD_URL")]
    pub webhook_forward_url: Option<String>,
    /// Let the endpoint tester call private, loopback and link-local addresses although this
    /// server listens beyond loopback (a server on loopback always may: it is someone's own
    /// tool). Off by default, so that people who may test endpoints cannot make the server call
    /// the network behind it.
    #[arg(long, env = "FLOWSMITH_ALLOW_PRIVATE_ENDPOINTS")]
    pub allow_private_endpoints: bool,
    /// 360dialog's messaging API, where 360dialog accounts send flow messages with their
    /// channel API key. Must be https, except on loopback.
    #[arg(long, env = "FLOWSMITH_DIALOG360_MESSAGING_URL", default_value = crate::backend::messaging::DEFAULT_URL)]
    pub dialog360_messaging_url: String,
}

impl ServeConfig {
    /// The defaults of every flag, serving the app in `app_dir`, ignoring the environment.
    pub fn new(app_dir: impl Into<PathBuf>) -> Self {
        ServeConfig {
            bind: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port: 8080,
            app_dir: app_dir.into(),
            mode: None,
            upstream_url: DEFAULT_UPSTREAM.to_owned(),
            graph_url: crate::backend::graph::DEFAULT_URL.to_owned(),
            graph_api_version: None,
            graph_token: None,
            graph_token_file: None,
            waba_ids: Vec::new(),
            partner_api_key: None,
            partner_api_key_file: None,
            secret_key: None,
            partner_id: None,
            sandbox_api_key: Secret::new(DEFAULT_SANDBOX_KEY),
            cors_origins: Vec::new(),
            body_limit: ByteSize(DEFAULT_BODY_LIMIT),
            upstream_timeout: Seconds(Duration::from_secs(30)),
            request_timeout: Seconds(Duration::from_secs(60)),
            upstream_concurrency: crate::proxy::MAX_UPSTREAM_CALLS,
            data_dir: PathBuf::from("flowsmith-data"),
            database_url: None,
            public_url: None,
            frame_ancestors: Vec::new(),
            preview_origins: Vec::new(),
            insecure_no_auth: false,
            allow_private_endpoints: false,
            secure_cookies: false,
            trusted_proxies: Vec::new(),
            auth_header: None,
            oidc_issuer: None,
            oidc_client_id: None,
            oidc_client_secret: None,
            oidc_client_secret_file: None,
            sso_default_role: crate::auth::Role::Viewer,
            session_idle: Seconds(Duration::from_secs(8 * 3600)),
            session_lifetime: Seconds(Duration::from_secs(7 * 24 * 3600)),
            app_secret: None,
            webhook_verify_token: None,
            webhook_forward_url: None,
            dialog360_messaging_url: crate::backend::messaging::DEFAULT_URL.to_owned(),
        }
    }
}

/// Where the Partner API calls of the app go.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Mode {
    /// The local sandbox.
    Sandbox,
    /// 360dialog's Partner API, with the key added by this server.
    #[value(name = "360dialog")]
    Dialog360,
    /// Meta's Graph API, with the system-user token added by this server.
    Graph,
}

impl Mode {
    /// `sandbox` or `360dialog`.
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Sandbox => "sandbox",
            Mode::Dialog360 => "360dialog",
            Mode::Graph => "graph",
        }
    }
}

/// A credential: shown as `[redacted]` by `Debug` and `Display`, so it cannot slip into logs.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a credential.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The credential itself, for the one place that sends it.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Compares without an early exit, so response times do not tell how much of a guess matched.
    pub fn matches(&self, candidate: &[u8]) -> bool {
        let own = self.0.as_bytes();
        let mut difference = own.len() ^ candidate.len();
        for (index, byte) in own.iter().enumerate() {
            difference |= usize::from(byte ^ candidate.get(index).copied().unwrap_or(!byte));
        }
        difference == 0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl FromStr for Secret {
    type Err = std::convert::Infallible;
    fn from_str(value: &str) -> Result<Self, Self::Err> {
        Ok(Secret(value.to_owned()))
    }
}

/// A size in bytes, written as `1048576`, `512K` or `11M` (binary units).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ByteSize(pub usize);

impl FromStr for ByteSize {
    type Err = String;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let text = text.trim();
        let lower = text.to_ascii_lowercase();
        let (digits, unit) = match lower.trim_end_matches("ib").trim_end_matches('b') {
            rest if rest.ends_with('k') => (&rest[..rest.len() - 1], 1024),
            rest if rest.ends_with('m') => (&rest[..rest.len() - 1], 1024 * 1024),
            rest => (rest, 1),
        };
        digits
            .trim()
            .parse::<usize>()
            .ok()
            .and_then(|number| number.checked_mul(unit))
            .filter(|bytes| *bytes > 0)
            .map(ByteSize)
            .ok_or_else(|| format!("'{text}' is not a size: write bytes, or a number with K or M"))
    }
}

impl fmt::Display for ByteSize {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// A duration written as `30s`, `30` (seconds) or `500ms`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Seconds(pub Duration);

impl FromStr for Seconds {
    type Err = String;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let trimmed = text.trim();
        let parsed = if let Some(millis) = trimmed.strip_suffix("ms") {
            millis.trim().parse::<u64>().ok().map(Duration::from_millis)
        } else {
            trimmed.trim_end_matches('s').trim().parse::<u64>().ok().map(Duration::from_secs)
        };
        parsed
            .filter(|duration| !duration.is_zero())
            .map(Seconds)
            .ok_or_else(|| format!("'{text}' is not a duration: write e.g. 30s or 500ms"))
    }
}

/// CORS origins: a list, or any origin (sandbox only).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origins {
    /// Only these exact origins (`scheme://host[:port]`).
    List(Vec<HeaderValue>),
    /// Every origin (`*`): never with credentials.
    Any,
}

impl Origins {
    /// Whether `origin` (an `Origin` header value) may call us.
    pub fn allows(&self, origin: &[u8]) -> bool {
        match self {
            Origins::Any => true,
            Origins::List(list) => list.iter().any(|allowed| allowed.as_bytes() == origin),
        }
    }
}

/// Where the app's Partner API calls go, with what they need.
#[derive(Debug, Clone)]
pub enum Backend {
    /// The local sandbox, stored in `data_dir`.
    Sandbox {
        /// The key it accepts.
        api_key: Secret,
    },
    /// 360dialog's Partner API.
    Upstream {
        /// Base URL, without a trailing slash.
        base: Url,
        /// The partner API key added to every forwarded call.
        api_key: Secret,
    },
    /// Meta's Graph API.
    Graph {
        /// Base URL with the version, without a trailing slash.
        base: Url,
        /// The system-user token.
        token: Secret,
        /// The WABAs worked on.
        waba_ids: Vec<String>,
    },
}

/// The checked configuration the server runs on.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Where to listen.
    pub address: SocketAddr,
    /// The built app.
    pub app_dir: PathBuf,
    /// Sandbox or 360dialog.
    pub backend: Backend,
    /// The partner the app works for (`sandboxPA` in sandbox mode).
    pub partner_id: Option<String>,
    /// CORS origins.
    pub cors_origins: Origins,
    /// Largest request body in bytes.
    pub body_limit: usize,
    /// Wait for upstream calls.
    pub upstream_timeout: Duration,
    /// Wait for any request.
    pub request_timeout: Duration,
    /// Upstream calls in flight at once.
    pub upstream_concurrency: usize,
    /// The sandbox's folder (and the workspace's, unless `database_url`).
    pub data_dir: PathBuf,
    /// Where the workspace is kept.
    pub workspace: crate::workspace::store::Location,
    /// Configured public URL; `None` means http:// and the bound address.
    pub public_url: Option<Url>,
    /// CSP frame-ancestors sources besides `'self'`.
    pub frame_ancestors: Vec<String>,
    /// Origins the preview may fetch flows and test-endpoint answers from (CSP connect-src).
    pub preview_origins: Vec<String>,
    /// The upstream's origin for the CSP's connect-src (direct mode of the app).
    pub upstream_origin: String,
    /// 360dialog's base URL, for stored connections (in either mode).
    pub upstream_url: Url,
    /// The Graph API's base URL with its version, for graph mode and stored connections.
    pub graph_url: Url,
    /// The key of stored credentials, when given (else the data folder's key file).
    pub secret_key: Option<Secret>,
    /// Sign-in: modes, cookies, sessions, failed attempts.
    pub auth: crate::auth::AuthSettings,
    /// WhatsApp's webhooks: the app secret, the verify token, where to forward.
    pub webhooks: crate::messages::WebhookSettings,
    /// `--allow-private-endpoints`.
    pub allow_private_endpoints: bool,
    /// `--dialog360-messaging-url`: where 360dialog accounts send messages.
    pub dialog360_messaging_url: Url,
}

impl Settings {
    /// Checks the flags: reads the key file, parses URLs and origins, picks the mode.
    pub fn from_config(config: &ServeConfig) -> Result<Settings, ServeError> {
        let invalid = |message: String| ServeError::Config(message);
        let api_key = partner_api_key(config)?;
        let mode = config.mode.unwrap_or(if api_key.is_some() { Mode::Dialog360 } else { Mode::Sandbox });
        let upstream = upstream_url(&config.upstream_url).map_err(invalid)?;
        let upstream_origin = upstream.origin().ascii_serialization();
        let backend = match (mode, api_key) {
            (Mode::Sandbox, _) => {
                if config.sandbox_api_key.expose().is_empty() {
                    return Err(invalid("--sandbox-api-key must not be empty".to_owned()));
                }
                Backend::Sandbox { api_key: config.sandbox_api_key.clone() }
            }
            (Mode::Dialog360, Some(api_key)) => Backend::Upstream { base: upstream.clone(), api_key },
            (Mode::Graph, _) => {
                let token =
                    secret(config.graph_token.as_ref(), config.graph_token_file.as_ref(), "Graph API token")?
                        .ok_or_else(|| {
                            invalid(
                                "graph mode needs Meta's system-user token: set FLOWSMITH_GRAPH_TOKEN or \
                             --graph-token-file"
                                    .to_owned(),
                            )
                        })?;
                let waba_ids = waba_ids(&config.waba_ids).map_err(invalid)?;
                Backend::Graph { base: graph_url(config).map_err(invalid)?, token, waba_ids }
            }
            (Mode::Dialog360, None) => {
                return Err(invalid(
                    "360dialog mode needs the partner API key: set FLOWSMITH_PARTNER_API_KEY or \
                     --partner-api-key-file, or run with --mode sandbox"
                        .to_owned(),
                ));
            }
        };
        let partner_id = match (&backend, &config.partner_id) {
            (Backend::Sandbox { .. }, _) => Some(SANDBOX_PARTNER_ID.to_owned()),
            (Backend::Upstream { .. }, Some(id)) if !crate::ids::is_valid(id) => {
                return Err(invalid(format!(
                    "--partner-id '{id}' is not a 360dialog id (letters, digits, '-' and '_')"
                )));
            }
            (Backend::Upstream { .. }, id) => id.clone(),
            (Backend::Graph { .. }, _) => Some(GRAPH_PARTNER_ID.to_owned()),
        };
        let cors_origins = cors_origins(&config.cors_origins, mode).map_err(invalid)?;
        let frame_ancestors = config
            .frame_ancestors
            .iter()
            .map(|origin| origin_of(origin))
            .collect::<Result<_, _>>()
            .map_err(|message| invalid(format!("--frame-ancestor: {message}")))?;
        let preview_origins = config
            .preview_origins
            .iter()
            .map(|origin| origin_of(origin))
            .collect::<Result<_, _>>()
            .map_err(|message| invalid(format!("--preview-origin: {message}")))?;
        let public_url = match &config.public_url {
            None => None,
            Some(text) => Some(public_url(text).map_err(invalid)?),
        };
        let auth = crate::auth::AuthSettings {
            insecure_no_auth: config.insecure_no_auth,
            loopback: config.bind.is_loopback(),
            secure_cookies: config.secure_cookies
                || public_url.as_ref().is_some_and(|url| url.scheme() == "https"),
            trusted_proxies: config.trusted_proxies.clone(),
            idle: config.session_idle.0,
            lifetime: config.session_lifetime.0,
            throttle: crate::auth::Throttle::default(),
            session_cache: crate::auth::SESSION_CACHE,
            auth_header: auth_header(config).map_err(invalid)?,
            oidc: oidc(config)?,
            sso_default_role: config.sso_default_role,
        };
        Ok(Settings {
            address: SocketAddr::new(config.bind, config.port),
            app_dir: config.app_dir.clone(),
            backend,
            partner_id,
            cors_origins,
            body_limit: config.body_limit.0,
            upstream_timeout: config.upstream_timeout.0,
            request_timeout: config.request_timeout.0,
            upstream_concurrency: config.upstream_concurrency,
            data_dir: config.data_dir.clone(),
            workspace: match &config.database_url {
                Some(url) => crate::workspace::store::Location::Url(url.clone()),
                None => crate::workspace::store::Location::DataDir(config.data_dir.clone()),
            },
            public_url,
            frame_ancestors,
            auth,
            preview_origins,
            upstream_origin,
            upstream_url: upstream,
            graph_url: graph_url(config).map_err(invalid)?,
            secret_key: config.secret_key.clone().filter(|key| !key.expose().trim().is_empty()),
            webhooks: webhooks(config).map_err(invalid)?,
            allow_private_endpoints: config.allow_private_endpoints,
            dialog360_messaging_url: messaging_url(&config.dialog360_messaging_url).map_err(invalid)?,
        })
    }

    /// Where preview links lead besides Meta, for the CSP's frame-src: in graph mode against a
    /// Graph API on loopback (another Flowsmith's Graph sandbox, the offline setup), that
    /// server's own `/embed` pages. Meta's real links are on its preview origin, always allowed.
    pub fn preview_frame_origin(&self) -> Option<String> {
        match &self.backend {
            Backend::Graph { base, .. } if is_loopback(base) => Some(base.origin().ascii_serialization()),
            _ => None,
        }
    }

    /// The backend of the accounts reached by flags.
    pub fn backend_kind(&self) -> crate::backend::BackendKind {
        match self.backend {
            Backend::Sandbox { .. } => crate::backend::BackendKind::Sandbox,
            Backend::Upstream { .. } => crate::backend::BackendKind::Dialog360,
            Backend::Graph { .. } => crate::backend::BackendKind::Graph,
        }
    }

    /// `sandbox`, `360dialog` or `graph`.
    pub fn mode(&self) -> Mode {
        match self.backend {
            Backend::Sandbox { .. } => Mode::Sandbox,
            Backend::Upstream { .. } => Mode::Dialog360,
            Backend::Graph { .. } => Mode::Graph,
        }
    }
}

/// The webhook flags: empty values are unset; forwarding needs the secret it signs with.
fn webhooks(config: &ServeConfig) -> Result<crate::messages::WebhookSettings, String> {
    let set = |value: &Option<Secret>| value.clone().filter(|value| !value.expose().trim().is_empty());
    let app_secret = set(&config.app_secret);
    let forward_url = match config.webhook_forward_url.as_deref().map(str::trim).filter(|url| !url.is_empty())
    {
        None => None,
        Some(text) => {
            let url = Url::parse(text)
                .ok()
                .filter(|url| matches!(url.scheme(), "http" | "https"))
                .ok_or_else(|| format!("--webhook-forward-url '{text}' must be an http(s) URL"))?;
            if app_secret.is_none() {
                return Err(
                    "--webhook-forward-url needs --app-secret (FLOWSMITH_APP_SECRET) to sign with".to_owned()
                );
            }
            Some(url)
        }
    };
    Ok(crate::messages::WebhookSettings {
        app_secret,
        verify_token: set(&config.webhook_verify_token),
        forward_url,
        public_url: None,
    })
}

fn partner_api_key(config: &ServeConfig) -> Result<Option<Secret>, ServeError> {
    secret(config.partner_api_key.as_ref(), config.partner_api_key_file.as_ref(), "partner API key")
}

/// A credential from its flag (or variable), else from its file; `what` names it in errors.
fn secret(value: Option<&Secret>, file: Option<&PathBuf>, what: &str) -> Result<Option<Secret>, ServeError> {
    if let Some(value) = value {
        let trimmed = value.expose().trim();
        if !trimmed.is_empty() {
            return Ok(Some(Secret::new(trimmed)));
        }
    }
    let Some(path) = file else { return Ok(None) };
    let text = std::fs::read_to_string(path).map_err(|error| {
        ServeError::Config(format!("cannot read the {what} file '{}': {error}", path.display()))
    })?;
    let key = text.trim();
    if key.is_empty() || key.contains(['\r', '\n']) {
        return Err(ServeError::Config(format!(
            "the {what} file '{}' must hold the {} alone on one line",
            path.display(),
            what.rsplit(' ').next().unwrap_or(what)
        )));
    }
    Ok(Some(Secret::new(key)))
}

/// `--trusted-proxy`: an address (`10.0.0.5`, `::1`) or a CIDR block (`10.0.0.0/8`).
fn proxy_network(text: &str) -> Result<ipnet::IpNet, String> {
    let text = text.trim();
    if let Ok(address) = text.parse::<IpAddr>() {
        return Ok(ipnet::IpNet::from(address));
    }
    text.parse::<ipnet::IpNet>()
        .map(|network| network.trunc())
        .map_err(|_| format!("'{text}' is not an address or a CIDR block like 10.0.0.0/8"))
}

/// `--auth-header`: a header name, believed only from `--trusted-proxy` addresses.
fn auth_header(config: &ServeConfig) -> Result<Option<axum::http::HeaderName>, String> {
    let Some(name) = config.auth_header.as_deref().map(str::trim).filter(|name| !name.is_empty()) else {
        return Ok(None);
    };
    let header = axum::http::HeaderName::from_bytes(name.as_bytes())
        .map_err(|_| format!("--auth-header '{name}' is not a header name"))?;
    if config.trusted_proxies.is_empty() {
        return Err(format!(
            "--auth-header {name} needs --trusted-proxy: from any address the header would sign anyone in \
             as anyone; name the reverse proxy that sets it"
        ));
    }
    Ok(Some(header))
}

/// The OpenID Connect flags, checked: issuer and client id together, the issuer https (or
/// http on loopback: the client secret and the tokens travel to it).
fn oidc(config: &ServeConfig) -> Result<Option<crate::auth::sso::oidc::OidcSettings>, ServeError> {
    let invalid = |message: String| ServeError::Config(message);
    let issuer = config.oidc_issuer.as_deref().map(str::trim).filter(|text| !text.is_empty());
    let client_id = config.oidc_client_id.as_deref().map(str::trim).filter(|text| !text.is_empty());
    let (issuer, client_id) = match (issuer, client_id) {
        (None, None) => return Ok(None),
        (Some(issuer), Some(client_id)) => (issuer, client_id),
        (Some(_), None) => return Err(invalid("--oidc-issuer needs --oidc-client-id".to_owned())),
        (None, Some(_)) => return Err(invalid("--oidc-client-id needs --oidc-issuer".to_owned())),
    };
    let url = Url::parse(issuer).map_err(|error| invalid(format!("--oidc-issuer '{issuer}': {error}")))?;
    match url.scheme() {
        "https" => {}
        "http" if is_loopback(&url) => {}
        _ => {
            return Err(invalid(format!(
                "--oidc-issuer '{issuer}' must be https (plain http only on loopback): the client secret \
                 and the tokens travel to it"
            )));
        }
    }
    let client_secret = secret(
        config.oidc_client_secret.as_ref(),
        config.oidc_client_secret_file.as_ref(),
        "OIDC client secret",
    )?;
    Ok(Some(crate::auth::sso::oidc::OidcSettings {
        issuer: issuer.to_owned(),
        client_id: client_id.to_owned(),
        client_secret,
        redirect_url: None,
    }))
}

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(name)) => name == "localhost",
        None => false,
    }
}

/// `--upstream-concurrency`: 1 to 4096 calls.
fn concurrency(text: &str) -> Result<usize, String> {
    text.trim()
        .parse::<usize>()
        .ok()
        .filter(|calls| (1..=4096).contains(calls))
        .ok_or_else(|| format!("'{text}' is not a number of calls from 1 to 4096"))
}

/// `--graph-url` with `--graph-api-version` in place of its last segment (when that is a
/// version, else added): https, or http on loopback (the token travels with every call).
fn graph_url(config: &ServeConfig) -> Result<Url, String> {
    let text = config.graph_url.trim();
    let mut url = Url::parse(text).map_err(|error| format!("--graph-url '{text}': {error}"))?;
    let secure = url.scheme() == "https" || (url.scheme() == "http" && is_loopback(&url));
    if !secure {
        return Err(format!(
            "--graph-url '{text}' must be https (plain http only on loopback): the token travels with every call"
        ));
    }
    if !url.username().is_empty() || url.password().is_some() || url.query().is_some() {
        return Err(format!("--graph-url '{text}' must not hold credentials or a query"));
    }
    let mut path = url.path().trim_end_matches('/').to_owned();
    if let Some(version) = config.graph_api_version.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
        if !is_graph_version(version) {
            return Err(format!("--graph-api-version '{version}' is not a version like v21.0"));
        }
        let last = path.rsplit('/').next().unwrap_or_default();
        if is_graph_version(last) {
            path.truncate(path.len() - last.len() - 1);
        }
        path = format!("{path}/{version}");
    }
    url.set_path(&path);
    Ok(url)
}

/// Whether `text` is a Graph API version: `v` and two numbers joined by a dot (`v21.0`).
pub fn is_graph_version(text: &str) -> bool {
    text.strip_prefix('v').and_then(|rest| rest.split_once('.')).is_some_and(|(major, minor)| {
        !major.is_empty()
            && !minor.is_empty()
            && major.bytes().all(|b| b.is_ascii_digit())
            && minor.bytes().all(|b| b.is_ascii_digit())
    })
}

/// `--waba-id`s: at least one, each an id.
fn waba_ids(ids: &[String]) -> Result<Vec<String>, String> {
    let ids: Vec<String> = ids.iter().map(|id| id.trim().to_owned()).filter(|id| !id.is_empty()).collect();
    if ids.is_empty() {
        return Err(
            "graph mode needs the WhatsApp Business Accounts to work on: --waba-id (FLOWSMITH_WABA_IDS)"
                .to_owned(),
        );
    }
    if let Some(bad) = ids.iter().find(|id| !crate::ids::is_valid(id)) {
        return Err(format!("--waba-id '{bad}' is not an id (digits, letters, '-' and '_')"));
    }
    Ok(ids)
}

/// `--dialog360-messaging-url`: https (the channel key travels with every message), plain
/// http only on loopback (tests' stubs).
fn messaging_url(text: &str) -> Result<Url, String> {
    let url =
        Url::parse(text.trim()).map_err(|error| format!("--dialog360-messaging-url '{text}': {error}"))?;
    if !(url.scheme() == "https" || (url.scheme() == "http" && is_loopback(&url))) {
        return Err(format!(
            "--dialog360-messaging-url '{text}' must be https (plain http only on loopback): the channel key \
             travels with every message"
        ));
    }
    if !url.username().is_empty() || url.password().is_some() || url.query().is_some() {
        return Err(format!("--dialog360-messaging-url '{text}' must not hold credentials or a query"));
    }
    Ok(url)
}

fn upstream_url(text: &str) -> Result<Url, String> {
    let url = Url::parse(text.trim()).map_err(|error| format!("--upstream-url '{text}': {error}"))?;
    match url.scheme() {
        "https" => {}
        "http" if is_loopback(&url) => {}
        _ => {
            return Err(format!(
                "--upstream-url '{text}' must be https (plain http only on loopback): the partner key \
                 travels with every call"
            ));
        }
    }
    if !url.username().is_empty() || url.password().is_some() || url.query().is_some() {
        return Err(format!("--upstream-url '{text}' must not hold credentials or a query"));
    }
    let mut url = url;
    let path = url.path().trim_end_matches('/').to_owned();
    url.set_path(&path);
    Ok(url)
}

fn public_url(text: &str) -> Result<Url, String> {
    let url = Url::parse(text.trim()).map_err(|error| format!("--public-url '{text}': {error}"))?;
    if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
        return Err(format!("--public-url '{text}' must be an http or https URL"));
    }
    let mut url = url;
    let path = url.path().trim_end_matches('/').to_owned();
    url.set_path(&path);
    url.set_query(None);
    url.set_fragment(None);
    Ok(url)
}

/// `https://example.com:8443` from a flag value, or why it is not an origin.
fn origin_of(text: &str) -> Result<String, String> {
    let trimmed = text.trim();
    let url =
        Url::parse(trimmed).map_err(|_| format!("'{trimmed}' is not an origin like https://example.com"))?;
    let origin = url.origin();
    if !origin.is_tuple() || !matches!(url.scheme(), "http" | "https") {
        return Err(format!("'{trimmed}' is not an origin like https://example.com"));
    }
    let serialized = origin.ascii_serialization();
    if serialized != trimmed.trim_end_matches('/') {
        return Err(format!(
            "'{trimmed}' is not an origin: write only scheme, host and port, e.g. {serialized}"
        ));
    }
    Ok(serialized)
}

fn cors_origins(values: &[String], mode: Mode) -> Result<Origins, String> {
    let values: Vec<&str> =
        values.iter().map(|value| value.trim()).filter(|value| !value.is_empty()).collect();
    if values.contains(&"*") {
        if mode != Mode::Sandbox {
            return Err(format!(
                "--cors-origin '*' is refused in {} mode: every web site could then spend your credential; \
                 list the origins instead",
                mode.as_str()
            ));
        }
        return Ok(Origins::Any);
    }
    let mut list = Vec::new();
    for value in values {
        let origin = origin_of(value).map_err(|message| format!("--cors-origin: {message}"))?;
        let header = HeaderValue::from_str(&origin).map_err(|_| format!("--cors-origin: '{value}'"))?;
        list.push(header);
    }
    Ok(Origins::List(list))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_and_durations_parse_with_units() {
        assert_eq!("1024".parse::<ByteSize>(), Ok(ByteSize(1024)));
        assert_eq!("512K".parse::<ByteSize>(), Ok(ByteSize(512 * 1024)));
        assert_eq!("11MiB".parse::<ByteSize>(), Ok(ByteSize(11 * 1024 * 1024)));
        assert!("-1".parse::<ByteSize>().is_err() && "0".parse::<ByteSize>().is_err());
        assert_eq!("30s".parse::<Seconds>(), Ok(Seconds(Duration::from_secs(30))));
        assert_eq!("250ms".parse::<Seconds>(), Ok(Seconds(Duration::from_millis(250))));
        assert!("soon".parse::<Seconds>().is_err() && "0s".parse::<Seconds>().is_err());
    }

    #[test]
    fn secrets_never_print() {
        let secret = Secret::new("abc123");
        assert_eq!(format!("{secret} {secret:?}"), "[redacted] [redacted]");
        assert!(secret.matches(b"abc123"));
        assert!(!secret.matches(b"abc12") && !secret.matches(b"abc1234") && !secret.matches(b""));
    }

    #[test]
    fn mode_follows_the_key() {
        let mut config = ServeConfig::new("dist");
        assert_eq!(Settings::from_config(&config).unwrap().mode(), Mode::Sandbox);
        config.partner_api_key = Some(Secret::new(" key "));
        let settings = Settings::from_config(&config).unwrap();
        assert_eq!(settings.mode(), Mode::Dialog360);
        assert!(!format!("{settings:?}").contains("key\""), "{settings:?}");
        config.partner_api_key = None;
        config.mode = Some(Mode::Dialog360);
        let error = Settings::from_config(&config).unwrap_err().to_string();
        assert!(error.contains("FLOWSMITH_PARTNER_API_KEY"), "{error}");
    }

    #[test]
    fn graph_mode_needs_a_token_and_accounts_and_takes_a_version() {
        let mut config = ServeConfig::new("dist");
        config.mode = Some(Mode::Graph);
        let error = Settings::from_config(&config).unwrap_err().to_string();
        assert!(error.contains("FLOWSMITH_GRAPH_TOKEN"), "{error}");
        config.graph_token = Some(Secret::new("EAAG-token"));
        let error = Settings::from_config(&config).unwrap_err().to_string();
        assert!(error.contains("--waba-id"), "{error}");
        config.waba_ids = vec!["102290129340398".to_owned(), " 42 ".to_owned()];
        let settings = Settings::from_config(&config).unwrap();
        assert_eq!((settings.mode(), settings.partner_id.as_deref()), (Mode::Graph, Some(GRAPH_PARTNER_ID)));
        let Backend::Graph { base, waba_ids, .. } = &settings.backend else {
            panic!("{:?}", settings.backend)
        };
        assert_eq!(
            (base.as_str(), waba_ids.as_slice()),
            ("https://graph.facebook.com/v21.0", &["102290129340398".to_owned(), "42".to_owned()][..])
        );
        assert!(!format!("{settings:?}").contains("EAAG-token"));
        config.graph_api_version = Some("v22.0".to_owned());
        assert_eq!(graph_url(&config).unwrap().as_str(), "https://graph.facebook.com/v22.0");
        config.graph_url = "http://127.0.0.1:8080/sandbox/graph/".to_owned();
        assert_eq!(graph_url(&config).unwrap().as_str(), "http://127.0.0.1:8080/sandbox/graph/v22.0");
        config.graph_api_version = Some("22".to_owned());
        assert!(graph_url(&config).is_err());
        config.graph_api_version = None;
        config.graph_url = "http://graph.example.com/v21.0".to_owned();
        assert!(graph_url(&config).unwrap_err().contains("https"));
        config.graph_url = "https://graph.facebook.com/v21.0".to_owned();
        config.waba_ids = vec!["../x".to_owned()];
        assert!(Settings::from_config(&config).is_err());
        assert!(is_graph_version("v21.0") && !is_graph_version("v21") && !is_graph_version("21.0"));
    }

    #[test]
    fn upstream_must_be_https_except_on_loopback() {
        assert!(messaging_url(crate::backend::messaging::DEFAULT_URL).is_ok());
        assert!(messaging_url("http://127.0.0.1:9000/messages").is_ok());
        assert!(messaging_url("http://waba-v2.360dialog.io/messages").is_err());
        assert!(upstream_url("https://hub.360dialog.io/").is_ok());
        assert!(upstream_url("http://127.0.0.1:9000").is_ok());
        assert!(upstream_url("http://hub.360dialog.io").is_err());
        assert!(upstream_url("https://user:pw@hub.360dialog.io").is_err());
    }

    #[test]
    fn origins_are_exact_and_wildcard_only_in_the_sandbox() {
        assert_eq!(origin_of("https://example.com/"), Ok("https://example.com".to_owned()));
        assert!(origin_of("https://example.com/path").is_err());
        assert!(origin_of("example.com").is_err());
        assert_eq!(cors_origins(&["*".to_owned()], Mode::Sandbox), Ok(Origins::Any));
        assert!(cors_origins(&["*".to_owned()], Mode::Dialog360).is_err());
    }
}
