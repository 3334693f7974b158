//! `flowsmith`: serves the Flowsmith app, the team's workspace, the Partner API proxy and the
//! local sandbox; validates and formats flow.json files; manages the users who sign in and the
//! key that encrypts stored credentials.
mod cli;

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use flowsmith_server::{ServeConfig, serve};

// Measured in BENCHMARKS.md: glibc's allocator cost the proxy a fifth of its cycles.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(name = "flowsmith", version, about = "Flowsmith: a visual builder for WhatsApp Flows")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the app on a local address.
    Serve(Box<ServeConfig>),
    // The help texts of these five are the doc comments of their argument structs.
    Validate(cli::validate::ValidateArgs),
    Fmt(cli::fmt::FmtArgs),
    User(cli::user::UserArgs),
    Secret(cli::secret::SecretArgs),
    Endpoint(cli::endpoint::EndpointArgs),
}

/// Logs to standard error, at the level `FLOWSMITH_LOG` says (info by default).
fn log_to_stderr() {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("FLOWSMITH_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .init();
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let command = match cli.command {
        Command::Validate(args) => return cli::validate::run(&args).into(),
        Command::Fmt(args) => return cli::fmt::run(&args).into(),
        Command::User(args) => return cli::user::run(args),
        Command::Secret(args) => return cli::secret::run(args),
        Command::Endpoint(args) => {
            log_to_stderr();
            return cli::endpoint::run(args);
        }
        Command::Serve(config) => config,
    };
    log_to_stderr();
    let result = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(flowsmith_server::ServeError::Runtime)
        .and_then(|runtime| runtime.block_on(serve(*command)));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("flowsmith: {error}");
            ExitCode::FAILURE
        }
    }
}
