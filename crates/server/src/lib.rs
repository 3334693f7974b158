//! The `flowsmith` server: the app's static files, the team's workspace (SQLite or PostgreSQL),
//! sign-in, roles and the audit log, the connections to WhatsApp with their encrypted
//! credentials, the Partner API (proxied to 360dialog with the key kept here, or answered by
//! the local sandbox), and graceful shutdown.
//!
//! `app()` builds the whole `Router` so that tests drive it without a socket; `serve()` binds,
//! prints the URL and runs until Ctrl-C or SIGTERM.
use std::io;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{HeaderName, Method, header};
use axum::routing::{get, post};
use axum::{Json, Router, middleware};
use serde_json::{Value, json};
use tokio::net::TcpListener;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::trace::{DefaultOnResponse, TraceLayer};

pub mod auth;
pub mod backend;
pub mod config;
pub mod connections;
pub mod endpoint;
pub mod error;
pub mod ids;
pub mod layers;
pub mod messages;
pub mod proxy;
pub mod sandbox;
pub mod statics;
pub mod workspace;

pub use config::{Mode, ServeConfig, Settings};

/// Why the server could not start. Each message says what happened and what to do.
#[derive(Debug)]
pub enum ServeError {
    /// A flag or environment variable is wrong.
    Config(String),
    /// The app folder has no index.html.
    AppDirMissing(PathBuf),
    /// The sandbox's data folder or database cannot be used.
    DataDir(String),
    /// The workspace's database cannot be used.
    Workspace(String),
    /// Other machines can reach the server and no user can sign in.
    NoUser(String),
    /// The key of stored credentials cannot be used.
    SecretKey(String),
    /// Another process holds the address.
    AddressInUse(SocketAddr),
    /// Any other failure to bind the address.
    Bind(SocketAddr, io::Error),
    /// The async runtime could not start.
    Runtime(io::Error),
    /// Serving stopped on an IO error.
    Serve(io::Error),
}

impl std::fmt::Display for ServeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Config(message) => write!(f, "{message} (see `flowsmith serve --help`)"),
            Self::AppDirMissing(dir) => write!(
                f,
                "app folder '{}' has no index.html: build the app with `cargo xtask serve`, \
                 or point --app-dir (FLOWSMITH_APP_DIR) at a Trunk build",
                dir.display()
            ),
            Self::DataDir(message) => write!(f, "{message} (--data-dir, FLOWSMITH_DATA_DIR)"),
            Self::Workspace(message) => write!(
                f,
                "{message} (the workspace is kept in --data-dir, or in --database-url / FLOWSMITH_DATABASE_URL)"
            ),
            Self::NoUser(message) => f.write_str(message),
            Self::SecretKey(message) => write!(
                f,
                "{message} (the key of stored credentials: FLOWSMITH_SECRET_KEY, or secret.key in --data-dir)"
            ),
            Self::AddressInUse(address) => write!(
                f,
                "cannot listen on {address}: the address is already in use; stop the other \
                 process or choose another port with --port (FLOWSMITH_PORT)"
            ),
            Self::Bind(address, error) => write!(
                f,
                "cannot listen on {address}: {error}; choose another address with --bind and --port"
            ),
            Self::Runtime(error) => write!(f, "cannot start the async runtime: {error}"),
            Self::Serve(error) => write!(f, "serving stopped: {error}"),
        }
    }
}

impl std::error::Error for ServeError {}

/// Everything the routes share, built once the address is known.
#[derive(Clone)]
pub struct AppState {
    settings: Arc<Settings>,
    public_url: url::Url,
    sandbox: Option<sandbox::Sandbox>,
    front: proxy::Front,
    assets: proxy::asset::AssetFetcher,
    workspace: workspace::Workspace,
    auth: auth::Auth,
    connections: connections::Connections,
    messages: messages::Messages,
    tester: endpoint::tester::Tester,
    endpoint_keys: endpoint::account_key::EndpointKeys,
    /// Printed at start and shown in the app: serving others without sign-in.
    warning: Option<&'static str>,
}

impl AppState {
    /// Opens the workspace and the sandbox (in sandbox mode) and sets up the upstream client,
    /// for a server listening on `address`.
    pub async fn new(settings: Settings, address: SocketAddr) -> Result<AppState, ServeError> {
        Self::with_asset_policy(settings, address, proxy::asset::AssetPolicy::meta()).await
    }

    /// As [`AppState::new`], fetching asset links under `policy` (tests use a local host).
    pub async fn with_asset_policy(
        settings: Settings,
        address: SocketAddr,
        policy: proxy::asset::AssetPolicy,
    ) -> Result<AppState, ServeError> {
        let public_url = match &settings.public_url {
            Some(url) => url.clone(),
            None => url::Url::parse(&format!("http://{address}"))
                .map_err(|error| ServeError::Config(format!("no URL for {address}: {error}")))?,
        };
        let policy = match &settings.backend {
            // A download link of the Graph API's own host (another Flowsmith's Graph sandbox) is
            // read like Meta's asset hosts.
            config::Backend::Graph { base, .. } => policy.with_host_of(base),
            _ => policy,
        }
        // So is one of `--graph-url`'s host, which stored Graph connections reach in any mode.
        .with_host_of(&settings.graph_url);
        let mut sandbox = None;
        let mut sandbox_target = None;
        if let config::Backend::Sandbox { api_key } = &settings.backend {
            let store = sandbox::Store::open(&settings.data_dir)
                .map_err(|sandbox::OpenError(message)| ServeError::DataDir(message))?;
            let links = sandbox::Links::new(&public_url);
            let opened = sandbox::Sandbox::new(store, api_key.clone(), links, settings.body_limit);
            sandbox_target = Some(proxy::Target::Sandbox(sandbox::router(opened.clone()), api_key.clone()));
            sandbox = Some(opened);
        }
        let sandbox_assets = sandbox.as_ref().map(|sandbox| {
            let prefix = format!("{}/sandbox/assets/", public_url.as_str().trim_end_matches('/'));
            (prefix, sandbox::router(sandbox.clone()))
        });
        let assets = proxy::asset::AssetFetcher::new(policy, settings.upstream_timeout, sandbox_assets)
            .map_err(ServeError::Config)?;
        let (kind, target, backend, flag_key): (_, _, Arc<dyn backend::Backend>, _) = match &settings.backend
        {
            config::Backend::Sandbox { api_key } | config::Backend::Upstream { api_key, .. } => {
                let (kind, target) = match (&settings.backend, sandbox_target) {
                    (config::Backend::Upstream { base, .. }, _) => {
                        let upstream = proxy::Upstream::new(
                            base.clone(),
                            api_key.clone(),
                            settings.upstream_timeout,
                            settings.body_limit,
                            settings.upstream_concurrency,
                        )
                        .map_err(ServeError::Config)?;
                        (backend::BackendKind::Dialog360, proxy::Target::Upstream(Arc::new(upstream)))
                    }
                    (_, target) => (
                        backend::BackendKind::Sandbox,
                        target.ok_or_else(|| ServeError::Config("the sandbox did not open".to_owned()))?,
                    ),
                };
                let partner =
                    backend::Partner::new(kind, target.clone(), settings.partner_id.clone(), assets.clone());
                (kind, target, Arc::new(partner), api_key)
            }
            config::Backend::Graph { base, token, waba_ids } => {
                let graph = backend::graph::Graph::new(
                    backend::graph::GraphSettings {
                        base: base.clone(),
                        token: token.clone(),
                        waba_ids: waba_ids.clone(),
                        timeout: settings.upstream_timeout,
                        retries: backend::graph::RetryPolicy::default(),
                    },
                    assets.clone(),
                )
                .map_err(ServeError::Config)?;
                let graph: Arc<dyn backend::Backend> = Arc::new(graph);
                let target = proxy::Target::Backend(Arc::clone(&graph), settings.body_limit);
                (backend::BackendKind::Graph, target, graph, token)
            }
        };
        let store =
            workspace::store::Store::open(&settings.workspace).await.map_err(ServeError::Workspace)?;
        let warning = auth::check_start(&store, &settings.auth).await.map_err(ServeError::NoUser)?;
        let (key, source) = connections::key::load(&settings.data_dir, settings.secret_key.as_ref())
            .map_err(ServeError::SecretKey)?;
        if let connections::key::KeySource::File { path, created: true } = &source {
            tracing::info!(path = %path.display(), "created the key of stored credentials (keep it with the database's backups)");
        }
        let from_flags = connections::Connection::from_flags(
            kind,
            settings.partner_id.clone(),
            flag_key,
            target.clone(),
            Arc::clone(&backend),
        );
        let reach = connections::Reach {
            base: settings.upstream_url.clone(),
            graph_base: settings.graph_url.clone(),
            timeout: settings.upstream_timeout,
            body_limit: settings.body_limit,
            concurrency: settings.upstream_concurrency,
            assets: assets.clone(),
            messaging: backend::messaging::Dialog360Messaging::new(
                settings.dialog360_messaging_url.clone(),
                settings.upstream_timeout,
            )
            .map_err(ServeError::Config)?,
        };
        let connections = connections::Connections::new(store.clone(), key, Some(from_flags), reach);
        // Says at start which stored connections cannot be opened (each is logged by name).
        connections.stored().await.map_err(|error| ServeError::Workspace(error.to_string()))?;
        let backends = backend::Backends::new(vec![backend]).with_connections(connections.clone());
        let mut auth_settings = settings.auth.clone();
        if let Some(oidc) = &mut auth_settings.oidc
            && oidc.redirect_url.is_none()
        {
            let base = public_url.as_str().trim_end_matches('/');
            oidc.redirect_url = url::Url::parse(&format!("{base}{}", auth::sso::oidc::CALLBACK_PATH)).ok();
        }
        let auth = auth::Auth::new(store.clone(), auth_settings);
        let webhooks =
            messages::WebhookSettings { public_url: Some(public_url.clone()), ..settings.webhooks.clone() };
        let messages = messages::Messages::new(store.clone(), webhooks).map_err(ServeError::Config)?;
        let workspace = workspace::Workspace::new(store.clone(), backends);
        let endpoint_keys =
            endpoint::account_key::EndpointKeys::new(store, connections.clone(), workspace.clone());
        // A server on loopback is someone's own tool: its endpoint tests may reach a mock
        // endpoint beside it (see `endpoint::tester` on private addresses).
        let tester = endpoint::tester::Tester::new(
            settings.webhooks.app_secret.clone(),
            settings.allow_private_endpoints || address.ip().is_loopback(),
        );
        let front = proxy::Front::with_connections(
            target,
            settings.partner_id.clone(),
            connections.clone(),
            workspace.clone(),
        );
        Ok(AppState {
            settings: Arc::new(settings),
            public_url,
            sandbox,
            front,
            assets,
            workspace,
            auth,
            connections,
            messages,
            tester,
            endpoint_keys,
            warning,
        })
    }

    /// The sandbox, in sandbox mode.
    pub fn sandbox(&self) -> Option<&sandbox::Sandbox> {
        self.sandbox.as_ref()
    }

    /// The workspace.
    pub fn workspace(&self) -> &workspace::Workspace {
        &self.workspace
    }

    /// Sign-in, users and the audit log.
    pub fn auth(&self) -> &auth::Auth {
        &self.auth
    }

    /// The connections to WhatsApp (from flags and stored).
    pub fn connections(&self) -> &connections::Connections {
        &self.connections
    }

    /// Sent messages and the responses to them.
    pub fn messages(&self) -> &messages::Messages {
        &self.messages
    }

    /// The URL links to this server start with.
    pub fn public_url(&self) -> &url::Url {
        &self.public_url
    }
}

/// The whole HTTP surface:
/// - `GET /healthz`, `GET /flowsmith/config` (mode and partner id, for the app);
/// - `/api/v2/…`: the Partner API operations (proxy or sandbox), everything else under `/api/` 404;
/// - `GET /flowsmith/asset?url=…`: a flow.json from an asset `download_url`;
/// - `/sandbox/…` in sandbox mode (see [`sandbox`]);
/// - the app's files, with `index.html` for client routes such as `/embed`.
///
/// Serve it with `axum::ServiceExt::into_make_service_with_connect_info` (the sign-in guard
/// needs the peer's address) or `into_make_service`. Layers, outermost first: request id,
/// timeout and security headers ([`layers::Edge`]), trace, CORS, body limit; the API routes
/// also refuse requests from foreign pages and check who may call them ([`layers::api_guard`]).
pub fn app(
    state: AppState,
) -> impl tower::Service<
    Request,
    Response = axum::response::Response,
    Error = std::convert::Infallible,
    Future = impl Send + 'static,
> + Clone
+ Send
+ Sync
+ 'static {
    let settings = Arc::clone(&state.settings);
    let policy = Arc::new(layers::OriginPolicy::new(settings.cors_origins.clone(), &state.public_url));
    let mut api = Router::new()
        .merge(auth::routes::router(state.auth.clone()))
        .merge(workspace::routes::router(state.workspace.clone()))
        .merge(connections::routes::router(state.connections.clone()))
        .merge(messages::routes::router(state.messages.clone()))
        .merge(messages::send::router(state.workspace.clone(), state.messages.clone()))
        .merge(endpoint::routes::router(state.tester.clone()))
        .merge(endpoint::account_key::routes::router(state.endpoint_keys.clone()))
        .merge(proxy::router(state.front.clone()))
        .route("/flowsmith/asset", get(proxy::asset::fetch).with_state(state.assets.clone()))
        .route("/flowsmith/config", get(flowsmith_config).with_state(state.clone()))
        .route("/flowsmith/{*rest}", axum::routing::any(|| async { not_found("No such Flowsmith route") }));
    // The 404 of `/sandbox/…` paths the sandbox does not have is a route (not the nested
    // router's fallback), so the guard covers it too.
    api = match &state.sandbox {
        Some(sandbox) => api
            .nest("/sandbox", sandbox::router(sandbox.clone()))
            .route(
                "/sandbox/control/messages/{message_id}/complete",
                post(messages::sandbox::complete).with_state(messages::sandbox::TestPhone {
                    sandbox: sandbox.clone(),
                    messages: state.messages.clone(),
                }),
            )
            .route("/sandbox/{*rest}", axum::routing::any(|| async { not_found("No such sandbox route") }))
            .merge(messages::sandbox::app_router(sandbox.clone(), state.messages.clone())),
        None => api.route(
            "/sandbox/{*rest}",
            axum::routing::any(|| async { not_found("The sandbox runs only in sandbox mode") }),
        ),
    };
    // Requests from other sites, then who is signed in and may do what.
    let guard = layers::ApiGuard { policy, auth: state.auth.clone() };
    let api = api.route_layer(middleware::from_fn_with_state(guard, layers::api_guard));
    // WhatsApp calls the webhooks from its servers: no same-origin check (each checks its
    // caller itself), but the guard, so they too must have a rule.
    let webhooks = messages::routes::webhooks(state.messages.clone())
        .route_layer(middleware::from_fn_with_state(state.auth.clone(), auth::layer::guard));
    let files = statics::AppFiles::new(Arc::clone(&settings)).with_warning(state.warning);
    let security = statics::SecurityHeaders::new(&settings);
    let routes = Router::new()
        .route("/healthz", get(healthz))
        .route(
            "/signin",
            get(auth::routes::sign_in_page)
                .with_state(statics::page_policy(&settings, auth::routes::SIGN_IN_PAGE)),
        )
        .route(
            "/admin",
            get(auth::routes::admin_page)
                .with_state(statics::page_policy(&settings, auth::routes::ADMIN_PAGE)),
        )
        .merge(api)
        .merge(webhooks)
        .fallback(get(statics::app_files).head(statics::app_files).with_state(files));
    // The layers wrap the router once, not each route (`Router::layer`): axum clones a route's
    // service, with every layer on it, for each request the route answers (BENCHMARKS.md).
    let edge = tower::ServiceBuilder::new()
        // Pages set their own, fresher policy (`statics::app_files`).
        .layer(layers::EdgeLayer::new(layers::EdgeSettings {
            timeout: settings.request_timeout,
            content_security_policy: security.content_security_policy(),
        }))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(request_span)
                .on_response(DefaultOnResponse::new().level(tracing::Level::INFO)),
        )
        .layer(cors(&settings))
        .layer(layers::BodyLimitLayer(settings.body_limit))
        .layer(DefaultBodyLimit::disable())
        .service(routes);
    // Served as it is, not as a router's fallback: that boxed the whole request's future and
    // cloned the layers into a box once more per request.
    edge
}

fn not_found(message: &str) -> error::ApiError {
    error::ApiError::NotFound(message.to_owned())
}

/// The span of one request: its id, method and path (never headers or the query).
/// Made within the request's id (`layers::Edge` calls the trace layer in its scope).
fn request_span(request: &Request) -> tracing::Span {
    let span = |id: &str| tracing::info_span!("request", id, method = %request.method(), path = request.uri().path());
    error::REQUEST_ID.try_with(|id| span(id)).unwrap_or_else(|_| span(""))
}

/// CORS for the configured origins only: preflights answered, no credentials ever (so never
/// credentials with a wildcard), `x-request-id` readable by the page.
fn cors(settings: &Settings) -> CorsLayer {
    let origins = match &settings.cors_origins {
        config::Origins::Any => AllowOrigin::any(),
        config::Origins::List(list) => AllowOrigin::list(list.clone()),
    };
    CorsLayer::new()
        .allow_origin(origins)
        .allow_methods([Method::GET, Method::POST, Method::PATCH, Method::PUT, Method::DELETE])
        .allow_headers([
            header::CONTENT_TYPE,
            header::ACCEPT,
            HeaderName::from_static(sandbox::API_KEY_HEADER),
            HeaderName::from_static(layers::REQUEST_ID_HEADER),
            HeaderName::from_static(workspace::routes::USER_HEADER),
            HeaderName::from_static("last-event-id"),
        ])
        .expose_headers([HeaderName::from_static(layers::REQUEST_ID_HEADER)])
        .max_age(std::time::Duration::from_secs(600))
}

async fn healthz() -> Json<Value> {
    Json(json!({ "status": "ok", "version": env!("CARGO_PKG_VERSION") }))
}

/// What the app needs to know about this server (never the key).
async fn flowsmith_config(State(state): State<AppState>) -> Json<Value> {
    let settings = &state.settings;
    let mut config = json!({
        "mode": settings.mode().as_str(),
        // What the app's connection badge says: Sandbox, 360dialog or Meta.
        "backend_label": settings.backend_kind().label(),
        "partner_id": settings.partner_id,
        "api_base": "/api/v2",
        "asset_endpoint": "/flowsmith/asset",
        "version": env!("CARGO_PKG_VERSION"),
        "workspace": {
            "api": "/api",
            "events": "/api/events",
            "database": state.workspace.store().engine().as_str(),
        },
    });
    config["auth"] =
        json!({ "session": "/api/session", "sign_in_page": "/signin", "warning": state.warning });
    if state.sandbox.is_some() {
        config["sandbox"] = json!({
            "api_base": "/sandbox/api/v2",
            "control": "/sandbox/control/flows/{flow_id}/status",
            "waba_accounts": ["sandbox1WA", "sandbox2WA"],
        });
    }
    Json(config)
}

/// Checks the configuration, then binds the address. Split from [`serve`] so tests can bind
/// port 0 and learn the address.
pub async fn bind(settings: &Settings) -> Result<TcpListener, ServeError> {
    if statics::index_of(&settings.app_dir).is_none() {
        return Err(ServeError::AppDirMissing(settings.app_dir.clone()));
    }
    TcpListener::bind(settings.address).await.map_err(|error| match error.kind() {
        io::ErrorKind::AddrInUse => ServeError::AddressInUse(settings.address),
        _ => ServeError::Bind(settings.address, error),
    })
}

/// Binds, opens the sandbox or the upstream, prints the URL, and serves until Ctrl-C or
/// SIGTERM, finishing requests in flight.
pub async fn serve(config: ServeConfig) -> Result<(), ServeError> {
    let settings = Settings::from_config(&config)?;
    let listener = bind(&settings).await?;
    let address = listener.local_addr().map_err(ServeError::Serve)?;
    let mode = settings.mode();
    let app_dir = settings.app_dir.clone();
    let data_dir = settings.data_dir.clone();
    let graph_url = settings.graph_url.clone();
    let state = AppState::new(settings, address).await?;
    if let Some(warning) = state.warning {
        eprintln!("flowsmith: {warning}");
        tracing::warn!("{warning}");
    }
    if let Some(oidc) = &state.auth.settings().oidc {
        // The provider must list this redirect URL for the client.
        let redirect = oidc.redirect_url.as_ref().map_or_else(String::new, url::Url::to_string);
        println!("flowsmith: single sign-on with {} (redirect URL {redirect})", oidc.issuer);
    }
    spawn_trash_purge(state.workspace.clone());
    spawn_session_purge(state.auth.clone());
    spawn_timer_keeper();
    let backend = match mode {
        Mode::Sandbox => format!("sandbox in {}", data_dir.display()),
        Mode::Dialog360 => "360dialog Partner API".to_owned(),
        Mode::Graph => format!("Meta's Graph API at {}", graph_url),
    };
    println!("flowsmith: serving http://{address}/ (app from {}, API: {backend})", app_dir.display());
    // With the peer's address (for refusing repeated failed sign-ins per address).
    let app = axum::ServiceExt::<Request>::into_make_service_with_connect_info::<SocketAddr>(app(state));
    // axum's `serve` leaves Nagle on: an answer written in more than one piece (event streams,
    // a long body streamed from upstream) would wait for the peer's acknowledgement between
    // them. (The proxied listings of the benchmarks go out in one `writev` and do not change.)
    let listener = axum::serve::ListenerExt::tap_io(listener, |connection: &mut tokio::net::TcpStream| {
        if let Err(error) = connection.set_nodelay(true) {
            tracing::debug!(%error, "cannot set TCP_NODELAY on a connection");
        }
    });
    axum::serve(listener, app).with_graceful_shutdown(shutdown_signal()).await.map_err(ServeError::Serve)?;
    println!("flowsmith: stopped");
    Ok(())
}

/// Empties the trash of what has been there for 30 days, at start and then every hour.
fn spawn_trash_purge(workspace: workspace::Workspace) {
    tokio::spawn(async move {
        let mut every = tokio::time::interval(std::time::Duration::from_secs(3600));
        loop {
            every.tick().await;
            match workspace.purge_trash().await {
                Ok(0) => {}
                Ok(purged) => tracing::info!(purged, "flows purged from the trash after 30 days"),
                Err(error) => tracing::warn!(error = %error.message(), "cannot purge the trash"),
            }
        }
    });
}

/// Keeps a timer due within half a second at all times. Tokio wakes its parked timer driver
/// (an `eventfd` write, and the parked worker thread woken on another CPU to re-arm its sleep)
/// whenever a new timer is due before the driver's next planned wake; with no timer pending,
/// that was every request's first timeout (the request's, then the backend call's). With this
/// one pending, a request's timeouts (seconds later) are filed without waking anyone, for the
/// price of two wakes a second (BENCHMARKS.md, "Server: sync through Meta's Graph API").
fn spawn_timer_keeper() {
    tokio::spawn(async {
        let mut every = tokio::time::interval(std::time::Duration::from_millis(500));
        every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            every.tick().await;
        }
    });
}

/// Forgets ended sessions, at start and then every hour.
fn spawn_session_purge(auth: auth::Auth) {
    tokio::spawn(async move {
        let mut every = tokio::time::interval(std::time::Duration::from_secs(3600));
        loop {
            every.tick().await;
            if let Err(error) = auth.purge().await {
                tracing::warn!(%error, "cannot forget ended sessions");
            }
        }
    });
}

/// Resolves on Ctrl-C or SIGTERM: `serve` and `flowsmith endpoint` stop gracefully on it.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        // If the handler cannot be installed, only SIGTERM (or killing the process) stops us.
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}
