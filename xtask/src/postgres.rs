//! A throwaway PostgreSQL server for the workspace's tests and benchmarks: `initdb` in a
//! temporary folder (trust authentication, user `postgres`), `pg_ctl start` on a free loopback
//! port with its socket in that folder, stopped and removed when dropped. Debian's `postgresql` package is
//! installed through apt when no server binaries are found. As root, the server runs as the
//! `postgres` user (PostgreSQL refuses to run as root).
//!
//! The tests read the server's URL from `FLOWSMITH_TEST_POSTGRES` and each makes databases of
//! its own in it; `FLOWSMITH_REQUIRE_POSTGRES=1` makes them fail rather than skip without it.
use std::path::PathBuf;
use std::process::Command;

use crate::pipeline::Failure;
use crate::tools;

/// The variable the tests read the server's URL from.
pub const URL_VARIABLE: &str = "FLOWSMITH_TEST_POSTGRES";
/// Set to `1`: a test that needs PostgreSQL fails without it instead of skipping.
pub const REQUIRE_VARIABLE: &str = "FLOWSMITH_REQUIRE_POSTGRES";

/// A running throwaway server.
pub struct Postgres {
    bin: PathBuf,
    dir: PathBuf,
    as_postgres: bool,
    /// `postgres://postgres@127.0.0.1:PORT/postgres`.
    pub url: String,
}

/// The newest `/usr/lib/postgresql/<major>/bin` that has `initdb` and `pg_ctl`.
fn server_bin() -> Option<PathBuf> {
    let mut found: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(Result::ok)
        .filter_map(|entry| {
            let major: u32 = entry.file_name().to_str()?.parse().ok()?;
            let bin = entry.path().join("bin");
            (bin.join("initdb").exists() && bin.join("pg_ctl").exists()).then_some((major, bin))
        })
        .collect();
    found.sort();
    found.pop().map(|(_, bin)| bin)
}

impl Postgres {
    /// Installs PostgreSQL if needed, then starts a fresh server for the tests (fsync off).
    pub fn start() -> Result<Postgres, Failure> {
        Postgres::start_with(false)
    }

    /// The same, but writing to disk as a production server does (fsync on, PostgreSQL's
    /// default): for the benchmarks, whose figures must include the cost of a durable commit.
    pub fn start_durable() -> Result<Postgres, Failure> {
        Postgres::start_with(true)
    }

    fn start_with(durable: bool) -> Result<Postgres, Failure> {
        let bin = match server_bin() {
            Some(bin) => bin,
            None => {
                tools::apt_install(&["postgresql"], "the workspace tests on PostgreSQL")?;
                server_bin().ok_or_else(|| {
                    Failure::new("PostgreSQL was installed but no /usr/lib/postgresql/*/bin/initdb was found")
                })?
            }
        };
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .map_err(|error| Failure::new(format!("no free port for PostgreSQL: {error}")))?
            .port();
        let dir =
            std::env::temp_dir().join(format!("flowsmith-xtask-postgres-{}-{port}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir)
            .map_err(|error| Failure::new(format!("cannot create {}: {error}", dir.display())))?;
        let as_postgres = tools::is_root();
        let postgres =
            Postgres { bin, dir, as_postgres, url: format!("postgres://postgres@127.0.0.1:{port}/postgres") };
        if as_postgres {
            tools::run(Command::new("chown").arg("-R").arg("postgres:postgres").arg(&postgres.dir))?;
        }
        let data = postgres.dir.join("data");
        tools::run(
            postgres
                .command("initdb")
                .args(["-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync", "-D"])
                .arg(&data),
        )?;
        // fsync off for the tests: a test server's crash safety is not what is tested (the
        // workspace's is, by killing flowsmith, not PostgreSQL); it makes the suite several
        // times faster.
        let fsync = if durable { "on" } else { "off" };
        let options = format!(
            "-p {port} -k {} -c listen_addresses=127.0.0.1 -c fsync={fsync} -c max_connections=300",
            postgres.dir.display()
        );
        tools::run(
            postgres
                .command("pg_ctl")
                .args(["-w", "-t", "60", "-D"])
                .arg(&data)
                .arg("-l")
                .arg(postgres.dir.join("server.log"))
                .args(["-o", &options, "start"]),
        )?;
        println!("    PostgreSQL (fsync {fsync}) at {}", postgres.url);
        Ok(postgres)
    }

    /// The server's main process (`postmaster.pid`): every backend is its child.
    pub fn postmaster_pid(&self) -> Option<u32> {
        let file = std::fs::read_to_string(self.dir.join("data/postmaster.pid")).ok()?;
        file.lines().next()?.trim().parse().ok()
    }

    /// Runs `statement` with psql.
    pub fn sql(&self, statement: &str) -> Result<(), Failure> {
        tools::run(self.command("psql").args([
            "-X",
            "-q",
            "-v",
            "ON_ERROR_STOP=1",
            "-d",
            &self.url,
            "-c",
            statement,
        ]))
    }

    /// A server program, run as `postgres` when we are root.
    fn command(&self, program: &str) -> Command {
        let path = self.bin.join(program);
        if self.as_postgres {
            let mut command = Command::new("runuser");
            command.args(["-u", "postgres", "--"]).arg(path);
            command
        } else {
            Command::new(path)
        }
    }
}

impl Drop for Postgres {
    fn drop(&mut self) {
        let data = self.dir.join("data");
        let _ = self.command("pg_ctl").args(["-w", "-m", "immediate", "-D"]).arg(&data).arg("stop").output();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
