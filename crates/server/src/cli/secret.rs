//! `flowsmith secret rotate`: re-encrypts every stored credential under a new server key, in
//! one transaction of the workspace's database (the same `--data-dir` or `--database-url` as
//! `serve`), then puts the new key in place.
//!
//! With the key file (`secret.key` in the data folder), a new key is made (or taken from
//! `FLOWSMITH_NEW_SECRET_KEY`) and written beside it as `secret.key.new` (0600) before the
//! database changes; once the transaction commits, that file replaces the old one by a rename,
//! which is atomic. If the command stops in between, `serve` refuses to start and running the
//! command again finishes (the database already uses the new key) or starts over (it does not).
//! With `FLOWSMITH_SECRET_KEY`, no file is touched: the old key is that variable and the new one
//! `FLOWSMITH_NEW_SECRET_KEY`; the servers are then restarted with the new one.
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use flowsmith_server::auth::{Auth, AuthSettings, audit_entry};
use flowsmith_server::config::Secret;
use flowsmith_server::connections::key::{self, KEY_ENV, KEY_FILE, PENDING_KEY_FILE, ServerKey};
use flowsmith_server::connections::{self, store as connection_store};
use flowsmith_server::workspace::store::{DatabaseUrl, Location, Store};

/// Manage the key that encrypts the credentials admins store.
#[derive(Debug, clap::Args)]
pub struct SecretArgs {
    #[command(subcommand)]
    command: SecretCommand,
    /// Folder of the workspace's database and of the key file, as for `flowsmith serve`.
    #[arg(long, env = "FLOWSMITH_DATA_DIR", default_value = "flowsmith-data", global = true)]
    data_dir: PathBuf,
    /// The workspace's database URL, as for `flowsmith serve` (instead of --data-dir).
    #[arg(long, env = "FLOWSMITH_DATABASE_URL", hide_env_values = true, global = true)]
    database_url: Option<DatabaseUrl>,
}

#[derive(Debug, clap::Subcommand)]
enum SecretCommand {
    /// Re-encrypt every stored credential under a new key, then replace the key file (or, with
    /// FLOWSMITH_SECRET_KEY, use FLOWSMITH_NEW_SECRET_KEY). Restart the servers afterwards.
    Rotate {
        /// The current key, when it is not the key file (as for `flowsmith serve`).
        #[arg(long, env = "FLOWSMITH_SECRET_KEY", hide_env_values = true)]
        secret_key: Option<Secret>,
        /// The new key (32 random bytes in base64, e.g. `openssl rand -base64 32`); required
        /// with FLOWSMITH_SECRET_KEY, made up when the key file is used.
        #[arg(long, env = "FLOWSMITH_NEW_SECRET_KEY", hide_env_values = true)]
        new_secret_key: Option<Secret>,
    },
}

/// Runs the command; the exit status is 0 when done, 1 when refused or failed.
pub fn run(args: SecretArgs) -> ExitCode {
    super::block_on(execute(args))
}

fn parse(name: &str, text: &Secret) -> Result<ServerKey, String> {
    ServerKey::parse(text.expose()).map_err(|problem| {
        format!("{name} {problem}: it must be 32 random bytes in base64 (`openssl rand -base64 32`)")
    })
}

async fn execute(args: SecretArgs) -> Result<(), String> {
    let SecretCommand::Rotate { secret_key, new_secret_key } = args.command;
    let location = match args.database_url {
        Some(url) => Location::Url(url),
        None => Location::DataDir(args.data_dir.clone()),
    };
    let store = Store::open(&location).await?;
    let result = match secret_key.filter(|key| !key.expose().trim().is_empty()) {
        Some(old) => {
            let new = new_secret_key.ok_or_else(|| {
                format!(
                    "{KEY_ENV} is set: give the new key in FLOWSMITH_NEW_SECRET_KEY (e.g. `openssl rand -base64 32`)"
                )
            })?;
            let (old, new) = (parse(KEY_ENV, &old)?, parse("FLOWSMITH_NEW_SECRET_KEY", &new)?);
            rotate_in_database(&store, &old, &new).await.map(|count| {
                println!(
                    "Re-encrypted {count} stored credential(s) under the key {} (was {}). Restart every \
                     server of this workspace with {KEY_ENV} set to the new key.",
                    new.id(),
                    old.id()
                );
                (count, old.id().to_owned(), new.id().to_owned())
            })
        }
        None => rotate_key_file(&store, &args.data_dir, new_secret_key.as_ref()).await,
    };
    if let Ok((count, old, new)) = &result {
        let auth = Auth::new(store.clone(), AuthSettings::default());
        let mut entry = audit_entry("cli", "credential_rotate", "ok");
        entry.detail = Some(format!("{count} credential(s) re-encrypted, key {old} → {new}"));
        auth.audit(entry).await;
    }
    store.close().await;
    result.map(|_| ())
}

async fn rotate_in_database(store: &Store, old: &ServerKey, new: &ServerKey) -> Result<usize, String> {
    if old.id() == new.id() {
        return Err("the new key is the current key: give another".to_owned());
    }
    connections::rotate(store, old, new).await
}

/// Rotation with the key file: see the module's documentation for the order of steps.
async fn rotate_key_file(
    store: &Store,
    data_dir: &Path,
    given: Option<&Secret>,
) -> Result<(usize, String, String), String> {
    let path = data_dir.join(KEY_FILE);
    let pending = data_dir.join(PENDING_KEY_FILE);
    let old = key::read_key_file(&path)?.ok_or_else(|| {
        format!(
            "there is no key file '{}' to rotate (and {KEY_ENV} is not set): `flowsmith serve` creates it \
             on first start",
            path.display()
        )
    })?;
    if let Some(interrupted) = key::read_key_file(&pending)? {
        if database_uses(store, interrupted.id()).await? {
            finish(&pending, &path)?;
            println!(
                "Finished an interrupted rotation: the key file '{}' now holds the key {} the database uses.",
                path.display(),
                interrupted.id()
            );
            return Ok((0, old.id().to_owned(), interrupted.id().to_owned()));
        }
        std::fs::remove_file(&pending)
            .map_err(|error| format!("cannot remove the unused '{}': {error}", pending.display()))?;
    }
    let (new, text) = match given {
        Some(text) => (parse("FLOWSMITH_NEW_SECRET_KEY", text)?, text.clone()),
        None => ServerKey::generate(),
    };
    key::write_key_file(&pending, &text)
        .map_err(|error| format!("cannot write the new key to '{}': {error}", pending.display()))?;
    let count = match rotate_in_database(store, &old, &new).await {
        Ok(count) => count,
        Err(message) => {
            // Nothing changed in the database: the new key is of no use.
            let _ = std::fs::remove_file(&pending);
            return Err(message);
        }
    };
    finish(&pending, &path)?;
    println!(
        "Re-encrypted {count} stored credential(s) under the key {} (was {}), now in '{}'. Restart the \
         servers that use this data folder.",
        new.id(),
        old.id(),
        path.display()
    );
    Ok((count, old.id().to_owned(), new.id().to_owned()))
}

/// Whether any stored credential is sealed under the key `id`.
async fn database_uses(store: &Store, id: &str) -> Result<bool, String> {
    let mut connection = store.pool().acquire().await.map_err(|error| error.to_string())?;
    let rows = connection_store::connections(&mut connection).await.map_err(|error| error.to_string())?;
    Ok(rows.iter().any(|row| row.sealed.key_id == id))
}

/// Puts the new key in place of the old (a rename: atomic), on disk.
fn finish(pending: &Path, path: &Path) -> Result<(), String> {
    std::fs::rename(pending, path).and_then(|()| key::sync_dir(path)).map_err(|error| {
        format!(
            "the database now uses the new key, but '{}' could not replace '{}': {error}; move it there \
                 yourself before starting the server",
            pending.display(),
            path.display()
        )
    })
}
