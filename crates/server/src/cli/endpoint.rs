//! `flowsmith endpoint`: a mock of a flow's endpoint speaking WhatsApp's encrypted contract
//! (`flowsmith_server::endpoint::mock`), answering from the preview's mock answers.
use std::io::Write as _;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use flow_model::mock::MockAnswers;
use flowsmith_server::config::Secret;
use flowsmith_server::endpoint::PrivateKey;
use flowsmith_server::endpoint::mock::{MockEndpoint, router};

use super::{read, shown};

/// Serve a mock endpoint for a flow, encrypted as WhatsApp calls it.
///
/// Answers WhatsApp's requests for the flow as the preview's mock answers say: `ping` is
/// active, `INIT` opens the first screen with its `__example__` data, each `data_exchange` gets
/// the answer written for its screen or the next screen of the routing model, `SUCCESS` at the
/// end; a request it cannot decrypt gets 421. Plain HTTP: put it behind an HTTPS tunnel or proxy
/// to register it with Meta (README: "A mock endpoint").
#[derive(Debug, Clone, clap::Args)]
pub struct EndpointArgs {
    /// The flow's flow.json.
    #[arg(long, value_name = "FILE")]
    pub flow: PathBuf,
    /// The business's RSA private key, PEM: PKCS#8 (BEGIN PRIVATE KEY), PKCS#8 with a
    /// passphrase (BEGIN ENCRYPTED PRIVATE KEY) or PKCS#1 (BEGIN RSA PRIVATE KEY). Its public
    /// half is what you upload to WhatsApp; it is printed at start.
    #[arg(long, value_name = "FILE")]
    pub private_key: PathBuf,
    /// The passphrase of an encrypted private key. Prefer the environment variable. Never logged.
    #[arg(long, env = "FLOWSMITH_KEY_PASSPHRASE", hide_env_values = true)]
    pub passphrase: Option<Secret>,
    /// The preview's mock answers: its Data & endpoint settings as JSON, {"custom_data": "…",
    /// "mocks": {"SCREEN_ID": {"screen": "NEXT", "data": {…}}}} (texts as typed or objects).
    #[arg(long, value_name = "FILE")]
    pub answers: Option<PathBuf>,
    /// The Meta app's secret: requests must then carry a valid X-Hub-Signature-256 (432
    /// otherwise). Prefer the environment variable. Never logged.
    #[arg(long, env = "FLOWSMITH_APP_SECRET", hide_env_values = true)]
    pub app_secret: Option<Secret>,
    /// TCP port to listen on (0 picks a free port).
    #[arg(long, env = "FLOWSMITH_ENDPOINT_PORT", default_value_t = 8081)]
    pub port: u16,
    /// Address to listen on. The loopback default suits a tunnel or a proxy on this machine.
    #[arg(long, env = "FLOWSMITH_ENDPOINT_BIND", default_value_t = IpAddr::V4(Ipv4Addr::LOCALHOST))]
    pub bind: IpAddr,
}

/// Runs `flowsmith endpoint` until interrupted: exit status 1 when it cannot start, with why.
pub fn run(args: EndpointArgs) -> ExitCode {
    let mock = match load(&args) {
        Ok(mock) => mock,
        Err(message) => {
            eprintln!("flowsmith endpoint: {message}");
            return ExitCode::FAILURE;
        }
    };
    let public_key = mock.private_key.public_key().to_pem().unwrap_or_default();
    let address = SocketAddr::new(args.bind, args.port);
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("flowsmith endpoint: cannot start the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    let served = runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(address)
            .await
            .map_err(|error| format!("cannot listen on {address}: {error}"))?;
        let bound = listener.local_addr().map_err(|error| error.to_string())?;
        // The first line is the address (tests and scripts read it); then what to upload. A
        // reader gone away (a script that read the address) is no reason to stop serving.
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "flowsmith endpoint: listening on http://{bound}");
        let _ = writeln!(
            out,
            "The public key to upload to WhatsApp (whatsapp_business_encryption):\n{public_key}"
        );
        let _ = out.flush();
        drop(out);
        axum::serve(listener, router(Arc::new(mock)))
            .with_graceful_shutdown(flowsmith_server::shutdown_signal())
            .await
            .map_err(|error| error.to_string())
    });
    match served {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("flowsmith endpoint: {message}");
            ExitCode::FAILURE
        }
    }
}

/// Reads the flow, the key and the answers; each failure says which file and what is wrong.
fn load(args: &EndpointArgs) -> Result<MockEndpoint, String> {
    let flow_text = read_text(&args.flow, "the flow")?;
    let flow = flow_model::json::read(&flow_text)
        .map_err(|error| format!("{} is not JSON: {error}", shown(&args.flow)))?;
    let screens = flow_model::model::Flow::from_value(&flow).map_or(0, |view| view.screen_count());
    if screens == 0 {
        return Err(format!("{}: the flow has no screens to answer with", shown(&args.flow)));
    }
    let report = flow_model::check(&flow_text);
    let errors = report.diagnostics.iter().filter(|diagnostic| diagnostic.is_error()).count();
    if errors > 0 {
        eprintln!(
            "flowsmith endpoint: warning: {} has {errors} error(s) (flowsmith validate {0} shows them); \
             WhatsApp will not publish it, but the mock answers for it",
            shown(&args.flow)
        );
    }
    let key_text = std::fs::read_to_string(&args.private_key)
        .map_err(|error| format!("cannot read the private key {}: {error}", shown(&args.private_key)))?;
    let passphrase = args.passphrase.as_ref().map(Secret::expose);
    let private_key = PrivateKey::from_pem(&key_text, passphrase)
        .map_err(|error| format!("cannot use the private key {}: {error}", shown(&args.private_key)))?;
    let answers = match &args.answers {
        None => MockAnswers::default(),
        Some(path) => {
            let text = read_text(path, "the answers")?;
            let settings = flow_model::json::read(&text)
                .map_err(|error| format!("{} is not JSON: {error}", shown(path)))?;
            let answers = MockAnswers::from_settings(&settings);
            let mut problems: Vec<String> = answers.problems.iter().map(ToString::to_string).collect();
            problems.extend(answers.unknown_screens(&flow).into_iter().map(|screen| {
                format!("There is an answer for {screen}, and the flow has no screen {screen}.")
            }));
            if !problems.is_empty() {
                return Err(format!("{}:\n  {}", shown(path), problems.join("\n  ")));
            }
            answers
        }
    };
    let app_secret = args.app_secret.clone().filter(|secret| !secret.expose().trim().is_empty());
    Ok(MockEndpoint { flow, answers, private_key, app_secret })
}

fn read_text(path: &Path, what: &str) -> Result<String, String> {
    let input = read(path).map_err(|error| format!("cannot read {what} {}: {error}", shown(path)))?;
    if input.size > input.bytes.len() {
        return Err(format!("{} is over {} bytes: not {what}", shown(path), input.bytes.len() - 1));
    }
    String::from_utf8(input.bytes).map_err(|_| format!("{} is not UTF-8 text", shown(path)))
}
