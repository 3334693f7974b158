//! The `flowsmith` server: the app's static files, `GET /healthz`, and graceful shutdown.
//!
//! `app()` builds the whole `Router` so that tests drive it without a socket; `serve()` binds,
//! prints the URL and runs until Ctrl-C or SIGTERM.
use std::io;
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;

use axum::{Json, Router, routing::get};
use serde_json::json;
use tokio::net::TcpListener;
use tower_http::services::{ServeDir, ServeFile};
use tower_http::trace::TraceLayer;

/// How `flowsmith serve` is configured: flags, or the environment variables named here.
#[derive(Debug, Clone, clap::Args)]
pub struct ServeConfig {
    /// Address to listen on. Keep the loopback default unless the app must be reachable from
    /// other machines.
    #[arg(long, env = "FLOWSMITH_BIND", default_value = "127.0.0.1")]
    pub bind: IpAddr,
    /// TCP port to listen on (0 picks a free port).
    #[arg(long, env = "FLOWSMITH_PORT", default_value_t = 8080)]
    pub port: u16,
    /// Folder of the built app (Trunk's output, with index.html).
    #[arg(long, env = "FLOWSMITH_APP_DIR", default_value = "dist")]
    pub app_dir: PathBuf,
}

/// Why the server could not start. Each message says what happened and what to do.
#[derive(Debug)]
pub enum ServeError {
    /// The app folder has no index.html.
    AppDirMissing(PathBuf),
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
            Self::AppDirMissing(dir) => write!(
                f,
                "app folder '{}' has no index.html: build the app with `cargo xtask serve`, \
                 or point --app-dir (FLOWSMITH_APP_DIR) at a Trunk build",
                dir.display()
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

/// The whole HTTP surface: health check, then the app's files with `index.html` for any other
/// path (the app routes on the client, e.g. `/embed`).
pub fn app(config: &ServeConfig) -> Router {
    let index = config.app_dir.join("index.html");
    let files = ServeDir::new(&config.app_dir).fallback(ServeFile::new(index));
    Router::new().route("/healthz", get(healthz)).fallback_service(files).layer(TraceLayer::new_for_http())
}

async fn healthz() -> Json<serde_json::Value> {
    Json(json!({ "status": "ok", "version": env!("CARGO_PKG_VERSION") }))
}

/// Checks the configuration, then binds the address. Split from [`serve`] so tests can bind
/// port 0 and learn the address.
pub async fn bind(config: &ServeConfig) -> Result<TcpListener, ServeError> {
    if !config.app_dir.join("index.html").is_file() {
        return Err(ServeError::AppDirMissing(config.app_dir.clone()));
    }
    let address = SocketAddr::new(config.bind, config.port);
    TcpListener::bind(address).await.map_err(|error| match error.kind() {
        io::ErrorKind::AddrInUse => ServeError::AddressInUse(address),
        _ => ServeError::Bind(address, error),
    })
}

/// Binds, prints the URL, and serves until Ctrl-C or SIGTERM, finishing requests in flight.
pub async fn serve(config: ServeConfig) -> Result<(), ServeError> {
    let listener = bind(&config).await?;
    let address = listener.local_addr().map_err(ServeError::Serve)?;
    println!("flowsmith: serving http://{address}/ (app from {})", config.app_dir.display());
    axum::serve(listener, app(&config))
        .with_graceful_shutdown(shutdown_signal())
        .await
        .map_err(ServeError::Serve)?;
    println!("flowsmith: stopped");
    Ok(())
}

async fn shutdown_signal() {
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
