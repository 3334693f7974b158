//! `flowsmith user add|list|set-role|remove|reset-password`: the users who may sign in to
//! `flowsmith serve`, kept in the workspace's database (the same `--data-dir` or
//! `--database-url` as `serve`). Every change is in the audit log as done by `cli`.
use std::io::Read as _;
use std::path::PathBuf;
use std::process::ExitCode;

use flowsmith_server::auth::{Auth, AuthSettings, Role, audit_entry, random_token};
use flowsmith_server::workspace::store::{DatabaseUrl, Location, Store};
use flowsmith_server::workspace::time::rfc3339;

/// Manage the users who may sign in to `flowsmith serve`.
#[derive(Debug, clap::Args)]
pub struct UserArgs {
    #[command(subcommand)]
    command: UserCommand,
    /// Folder of the workspace's database, as for `flowsmith serve`.
    #[arg(long, env = "FLOWSMITH_DATA_DIR", default_value = "flowsmith-data", global = true)]
    data_dir: PathBuf,
    /// The workspace's database URL, as for `flowsmith serve` (instead of --data-dir).
    #[arg(long, env = "FLOWSMITH_DATABASE_URL", hide_env_values = true, global = true)]
    database_url: Option<DatabaseUrl>,
}

#[derive(Debug, clap::Subcommand)]
enum UserCommand {
    /// Add a user. Without --password-stdin a password is generated and printed once.
    Add {
        /// The name they sign in with.
        name: String,
        /// What they may do: viewer, editor, publisher or admin.
        #[arg(long, value_enum)]
        role: Role,
        /// Read the password from standard input (one line).
        #[arg(long)]
        password_stdin: bool,
    },
    /// List the users and their roles.
    List,
    /// Change a user's role, for all accounts or with --account for one (their sessions end).
    SetRole {
        /// The user.
        name: String,
        /// The new role.
        #[arg(value_enum)]
        role: Role,
        /// Only on this account (the workspace's id or WhatsApp's `…WA`), instead of their role
        /// for all.
        #[arg(long)]
        account: Option<String>,
    },
    /// Take back a user's role on one account: their role for all applies there again.
    UnsetRole {
        /// The user.
        name: String,
        /// The account.
        #[arg(long)]
        account: String,
    },
    /// Remove a user (their sessions end).
    Remove {
        /// The user.
        name: String,
    },
    /// Set a new password (their sessions end). Without --password-stdin one is generated and
    /// printed once.
    ResetPassword {
        /// The user.
        name: String,
        /// Read the password from standard input (one line).
        #[arg(long)]
        password_stdin: bool,
    },
}

/// Runs the command; the exit status is 0 when done, 1 when refused or failed.
pub fn run(args: UserArgs) -> ExitCode {
    super::block_on(execute(args))
}

/// The password: from standard input, or a fresh one to print.
fn password(from_stdin: bool) -> Result<(String, bool), String> {
    if !from_stdin {
        return Ok((random_token()[..20].to_owned(), true));
    }
    let mut text = String::new();
    std::io::stdin()
        .take(64 * 1024)
        .read_to_string(&mut text)
        .map_err(|error| format!("cannot read the password: {error}"))?;
    let line = text.strip_suffix('\n').unwrap_or(&text);
    Ok((line.strip_suffix('\r').unwrap_or(line).to_owned(), false))
}

async fn execute(args: UserArgs) -> Result<(), String> {
    let location = match args.database_url {
        Some(url) => Location::Url(url),
        None => Location::DataDir(args.data_dir),
    };
    let store = Store::open(&location).await?;
    let auth = Auth::new(store, AuthSettings::default());
    let result = change(&auth, args.command).await;
    auth.store().close().await;
    result
}

async fn change(auth: &Auth, command: UserCommand) -> Result<(), String> {
    let refused = |error: flowsmith_server::workspace::WorkspaceError| error.message();
    let (action, detail) = match command {
        UserCommand::List => {
            let users = auth.users().await.map_err(refused)?;
            if users.is_empty() {
                println!(
                    "No users: anyone who reaches the server uses it without signing in (on loopback only)."
                );
            }
            for user in users {
                let accounts = auth.account_roles(&user).await.map_err(refused)?;
                let accounts: Vec<String> = accounts
                    .iter()
                    .map(|(account, role)| format!("{} on {account}", role.as_str()))
                    .collect();
                let more =
                    if accounts.is_empty() { String::new() } else { format!("\t({})", accounts.join(", ")) };
                println!("{}\t{}\tsince {}{more}", user.name, user.role.as_str(), rfc3339(user.created_at));
            }
            return Ok(());
        }
        UserCommand::Add { name, role, password_stdin } => {
            let (password, generated) = password(password_stdin)?;
            let user = auth.add_user(&name, role, &password).await.map_err(refused)?;
            println!("Added {} ({}).", user.name, role.as_str());
            if generated {
                println!("Password (shown once): {password}");
            }
            ("user_add", format!("user {} {}", user.name, role.as_str()))
        }
        UserCommand::SetRole { name, role, account: Some(account) } => {
            let user = auth.set_account_role(&name, &account, Some(role)).await.map_err(refused)?;
            println!("{} is now {} on {account}; their sessions ended.", user.name, role.as_str());
            ("user_change", format!("user {} role {} on {account}", user.name, role.as_str()))
        }
        UserCommand::UnsetRole { name, account } => {
            let user = auth.set_account_role(&name, &account, None).await.map_err(refused)?;
            println!("{} has their role for all on {account} again; their sessions ended.", user.name);
            ("user_change", format!("user {} role none on {account}", user.name))
        }
        UserCommand::SetRole { name, role, account: None } => {
            let user = auth.set_role(&name, role).await.map_err(refused)?;
            println!("{} is now {}; their sessions ended.", user.name, role.as_str());
            ("user_change", format!("user {} role {}", user.name, role.as_str()))
        }
        UserCommand::Remove { name } => {
            let user = auth.remove_user(&name).await.map_err(refused)?;
            println!("Removed {}.", user.name);
            ("user_remove", format!("user {}", user.name))
        }
        UserCommand::ResetPassword { name, password_stdin } => {
            let (password, generated) = password(password_stdin)?;
            let user = auth.set_password(&name, &password).await.map_err(refused)?;
            println!("New password set for {}; their sessions ended.", user.name);
            if generated {
                println!("Password (shown once): {password}");
            }
            ("user_change", format!("user {} password", user.name))
        }
    };
    let mut entry = audit_entry("cli", action, "ok");
    entry.detail = Some(detail);
    auth.audit(entry).await;
    Ok(())
}
