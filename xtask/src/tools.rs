//! Installs what the pipelines need, and skips what is present at the right version.
//!
//! Cargo-installed tools go to `$CARGO_HOME/bin` (default `~/.cargo/bin`), which every command
//! we run gets at the front of its PATH. System packages come from apt when running as root.
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::pipeline::{Failure, show};

pub const TRUNK_VERSION: &str = "0.21.14";
const WASM_TARGET: &str = "wasm32-unknown-unknown";

/// What a release build of the app uses.
pub struct BuildTools {
    pub trunk: PathBuf,
    /// Absent on a machine where binaryen could not be installed: the build skips wasm-opt.
    pub wasm_opt: Option<PathBuf>,
}

pub fn workspace_root() -> PathBuf {
    let xtask_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    xtask_dir.parent().unwrap_or(xtask_dir).to_owned()
}

fn cargo_bin_dir() -> PathBuf {
    let cargo_home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| std::env::var_os("HOME").map(PathBuf::from).unwrap_or_default().join(".cargo"));
    cargo_home.join("bin")
}

/// PATH with the cargo-installed tools first, so Trunk and cargo's test runner find them.
fn tool_path() -> std::ffi::OsString {
    let mut dirs = vec![cargo_bin_dir()];
    if let Some(path) = std::env::var_os("PATH") {
        dirs.extend(std::env::split_paths(&path));
    }
    std::env::join_paths(dirs).unwrap_or_default()
}

/// A command for `program` with the tools on PATH, run from the workspace root.
pub fn command(program: impl AsRef<std::ffi::OsStr>) -> Command {
    let mut command = Command::new(program);
    command.env("PATH", tool_path()).current_dir(workspace_root());
    command
}

/// `cargo`, the same cargo that runs this xtask.
pub fn cargo() -> Command {
    command(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
}

fn find(name: &str) -> Option<PathBuf> {
    std::env::split_paths(&tool_path()).map(|dir| dir.join(name)).find(|path| path.is_file())
}

/// The first line a tool prints for `--version`, when it runs at all.
fn version_line(program: &Path) -> Option<String> {
    let output = Command::new(program).arg("--version").output().ok()?;
    let text = String::from_utf8_lossy(&output.stdout);
    let text = if text.trim().is_empty() { String::from_utf8_lossy(&output.stderr) } else { text };
    text.lines().next().map(|line| line.trim().to_owned())
}

pub fn run(command: &mut Command) -> Result<(), Failure> {
    let shown = show(command);
    println!("$ {shown}");
    let status = command.status().map_err(|error| Failure::new(format!("cannot run `{shown}`: {error}")))?;
    if status.success() { Ok(()) } else { Err(Failure::new(format!("`{shown}` exited with {status}"))) }
}

fn present(what: &str) {
    println!("    ok  {what}");
}

pub fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|output| String::from_utf8_lossy(&output.stdout).trim() == "0")
}

static APT_UPDATED: AtomicBool = AtomicBool::new(false);

/// Installs Debian packages when we are root on a system with apt; says what to install otherwise.
pub fn apt_install(packages: &[&str], purpose: &str) -> Result<(), Failure> {
    let manual = format!(
        "{purpose} needs the Debian/Ubuntu packages {} (or your system's equivalents); install them and run again",
        packages.join(" ")
    );
    if !is_root() || find("apt-get").is_none() {
        return Err(Failure::new(manual));
    }
    if !APT_UPDATED.swap(true, Ordering::SeqCst) {
        run(command("apt-get").args(["update", "-q"]))?;
    }
    run(command("apt-get")
        .args(["install", "-y", "-q"])
        .args(packages)
        .env("DEBIAN_FRONTEND", "noninteractive"))
    .map_err(|failure| Failure::new(format!("{failure}\n{manual}")))
}

fn cargo_install(krate: &str, version: &str, locked: bool, minutes: u32) -> Result<(), Failure> {
    println!("    installing {krate} {version} with cargo install (about {minutes} minutes here)");
    let mut install = cargo();
    install.args(["install", krate, "--version", &format!("={version}")]);
    if locked {
        install.arg("--locked");
    }
    run(&mut install)
}

/// wrk, the load generator of the proxy benchmarks (from apt when missing).
pub fn ensure_wrk() -> Result<(), Failure> {
    match find("wrk") {
        Some(_) => {
            present("wrk");
            Ok(())
        }
        None => apt_install(&["wrk"], "the proxy benchmarks"),
    }
}

/// rustfmt and clippy, which `cargo xtask test` runs; components of the active toolchain.
fn ensure_components() -> Result<(), Failure> {
    for (component, probe) in [("rustfmt", "fmt"), ("clippy", "clippy")] {
        let works = cargo().args([probe, "--version"]).output().is_ok_and(|output| output.status.success());
        if works {
            present(component);
        } else {
            run(command("rustup").args(["component", "add", component]))?;
        }
    }
    Ok(())
}

fn ensure_wasm_target() -> Result<(), Failure> {
    let installed = command("rustup").args(["target", "list", "--installed"]).output().map_err(|error| {
        Failure::new(format!(
            "cannot run rustup ({error}): install the {WASM_TARGET} target for your Rust toolchain"
        ))
    })?;
    if String::from_utf8_lossy(&installed.stdout).lines().any(|line| line.trim() == WASM_TARGET) {
        present(WASM_TARGET);
        return Ok(());
    }
    run(command("rustup").args(["target", "add", WASM_TARGET]))
}

fn ensure_trunk() -> Result<PathBuf, Failure> {
    let wanted = format!("trunk {TRUNK_VERSION}");
    if let Some(trunk) = find("trunk").filter(|trunk| version_line(trunk).as_deref() == Some(wanted.as_str()))
    {
        present(&wanted);
        return Ok(trunk);
    }
    // 0.22 needs a newer rustc than this project's toolchain: pin the version and its lockfile.
    cargo_install("trunk", TRUNK_VERSION, true, 10)?;
    find("trunk").ok_or_else(|| Failure::new("trunk was installed but is not in $CARGO_HOME/bin"))
}

/// The wasm-bindgen version Cargo.lock resolved: the CLI must match it exactly.
pub fn locked_wasm_bindgen_version(lockfile: &str) -> Option<String> {
    let mut lines = lockfile.lines();
    while let Some(line) = lines.next() {
        if line.trim() == "name = \"wasm-bindgen\"" {
            let version = lines.next()?.trim().strip_prefix("version = \"")?.strip_suffix('"')?;
            return Some(version.to_owned());
        }
    }
    None
}

/// The `[tools] wasm_bindgen` pin of Trunk.toml.
pub fn trunk_wasm_bindgen_pin(trunk_toml: &str) -> Option<String> {
    trunk_toml.lines().find_map(|line| {
        let value = line.trim().strip_prefix("wasm_bindgen")?.trim().strip_prefix('=')?.trim();
        Some(value.trim_matches('"').to_owned())
    })
}

fn ensure_wasm_bindgen() -> Result<(), Failure> {
    let root = workspace_root();
    let read = |name: &str| {
        std::fs::read_to_string(root.join(name))
            .map_err(|error| Failure::new(format!("cannot read {name}: {error}")))
    };
    let version = locked_wasm_bindgen_version(&read("Cargo.lock")?)
        .ok_or_else(|| Failure::new("Cargo.lock has no wasm-bindgen package"))?;
    let pin = trunk_wasm_bindgen_pin(&read("Trunk.toml")?);
    if pin.as_deref() != Some(version.as_str()) {
        return Err(Failure::new(format!(
            "Trunk.toml pins wasm_bindgen = {pin:?} but Cargo.lock has {version}: set `wasm_bindgen = \"{version}\"` under [tools] in Trunk.toml"
        )));
    }
    let matches = |tool: &str| {
        find(tool)
            .and_then(|path| version_line(&path))
            .is_some_and(|line| line == format!("{tool} {version}"))
    };
    if matches("wasm-bindgen") && matches("wasm-bindgen-test-runner") {
        present(&format!("wasm-bindgen {version} (and wasm-bindgen-test-runner)"));
        return Ok(());
    }
    // Without --locked: with it, dependency resolution of wasm-bindgen-cli fails on this toolchain.
    cargo_install("wasm-bindgen-cli", &version, false, 3)
}

/// npm packages used at build time (esbuild, CodeMirror, binaryen), pinned by package-lock.json. `npm ci`
/// runs only when the lockfile changed since the last install.
fn ensure_npm_packages() -> Result<(), Failure> {
    let root = workspace_root();
    let lockfile = std::fs::read(root.join("package-lock.json"))
        .map_err(|error| Failure::new(format!("cannot read package-lock.json: {error}")))?;
    let stamp = root.join("node_modules/.flowsmith-installed-lock");
    if std::fs::read(&stamp).is_ok_and(|installed| installed == lockfile) {
        present("npm packages of package-lock.json");
        return Ok(());
    }
    if find("npm").is_none() {
        return Err(Failure::new(
            "npm is not on PATH: install Node.js 20 or newer with npm (Debian/Ubuntu: nodejs npm)",
        ));
    }
    run(command("npm").args(["ci", "--no-audit", "--no-fund"]))?;
    std::fs::write(&stamp, lockfile)
        .map_err(|error| Failure::new(format!("cannot write {}: {error}", stamp.display())))
}

/// wasm-opt from npm's binaryen. Debian's binaryen 108 is not used: it writes the export of
/// wasm-bindgen's externref table with the wrong table index, and the page fails to start.
fn wasm_opt() -> Option<PathBuf> {
    let wasm_opt = workspace_root().join("node_modules/.bin/wasm-opt");
    let version = Command::new(&wasm_opt).arg("--version").env("PATH", tool_path()).output();
    match version {
        Ok(output) if output.status.success() => {
            present(String::from_utf8_lossy(&output.stdout).trim());
            Some(wasm_opt)
        }
        _ => {
            println!("    note: {} does not run, so the build skips wasm-opt", wasm_opt.display());
            None
        }
    }
}

/// The standard library's source and the crates it depends on, which the release build
/// compiles with the app (`bundle::SIZE_OPTIONS`). Trunk runs Cargo offline, so those crates
/// are fetched here first (on a fresh machine the build otherwise fails: "no matching package
/// named `object`"). The library's manifest uses unstable Cargo options, hence
/// `RUSTC_BOOTSTRAP` as in the build.
fn ensure_std_sources() -> Result<(), Failure> {
    let sysroot = command("rustc")
        .args(["--print", "sysroot"])
        .output()
        .map_err(|error| Failure::new(format!("cannot run rustc ({error})")))?;
    let library =
        PathBuf::from(String::from_utf8_lossy(&sysroot.stdout).trim()).join("lib/rustlib/src/rust/library");
    if library.join("Cargo.lock").is_file() {
        present("rust-src");
    } else {
        run(command("rustup").args(["component", "add", "rust-src"]))?;
    }
    run(cargo()
        .args(["fetch", "--locked", "--quiet", "--manifest-path"])
        .arg(library.join("Cargo.toml"))
        .env("RUSTC_BOOTSTRAP", "1"))
}

/// Everything a release build of the app needs.
pub fn ensure_build_tools() -> Result<BuildTools, Failure> {
    ensure_components()?;
    ensure_wasm_target()?;
    ensure_std_sources()?;
    let trunk = ensure_trunk()?;
    ensure_wasm_bindgen()?;
    // npm packages: the code editor bundle (esbuild, CodeMirror) and wasm-opt (binaryen).
    ensure_npm_packages()?;
    let wasm_opt = wasm_opt();
    Ok(BuildTools { trunk, wasm_opt })
}

/// Chromium and its chromedriver for browser and end-to-end tests; returns the chromedriver.
pub fn ensure_chromium() -> Result<PathBuf, Failure> {
    let browser = || find("chromium").or_else(|| find("chromium-browser"));
    if browser().is_none() || find("chromedriver").is_none() {
        apt_install(&["chromium", "chromium-driver"], "the browser and end-to-end tests")?;
    }
    let browser = browser().ok_or_else(|| Failure::new("chromium is not on PATH after installing it"))?;
    let chromedriver = find("chromedriver")
        .ok_or_else(|| Failure::new("chromedriver is not on PATH after installing it"))?;
    present(&version_line(&browser).unwrap_or_else(|| "chromium".to_owned()));
    present(&version_line(&chromedriver).unwrap_or_else(|| "chromedriver".to_owned()));
    Ok(chromedriver)
}

/// A command on the nightly toolchain (through rustup), without the variables of the stable
/// cargo that runs this xtask, which would otherwise pin the toolchain.
fn nightly_cargo() -> Command {
    let mut cargo = command("cargo");
    cargo.arg("+nightly").env_remove("RUSTUP_TOOLCHAIN").env_remove("CARGO").env_remove("RUSTC");
    cargo
}

/// The nightly toolchain and cargo-fuzz, for `cargo xtask fuzz`.
pub fn ensure_cargo_fuzz() -> Result<(), Failure> {
    let nightly = nightly_cargo().arg("--version").output().is_ok_and(|output| output.status.success());
    if nightly {
        present("nightly toolchain");
    } else {
        run(command("rustup").args(["toolchain", "install", "nightly", "--profile", "minimal"]))?;
    }
    let fuzz =
        nightly_cargo().args(["fuzz", "--version"]).output().is_ok_and(|output| output.status.success());
    if fuzz {
        present("cargo-fuzz");
        return Ok(());
    }
    println!("    installing cargo-fuzz with cargo install (about 2 minutes here)");
    run(cargo().args(["install", "cargo-fuzz", "--locked"]))
}

/// `cargo +nightly fuzz run TARGET` for `seconds`, from the workspace root (where `fuzz/` is).
pub fn cargo_fuzz_run(target: &str, seconds: u64) -> Command {
    let mut fuzz = nightly_cargo();
    fuzz.args(["fuzz", "run", target, "--", &format!("-max_total_time={seconds}")]);
    fuzz
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_locked_wasm_bindgen_version_not_its_siblings() {
        let lockfile = "[[package]]\nname = \"wasm-bindgen-backend\"\nversion = \"0.2.1\"\n\n\
                        [[package]]\nname = \"wasm-bindgen\"\nversion = \"0.2.130\"\n";
        assert_eq!(locked_wasm_bindgen_version(lockfile).as_deref(), Some("0.2.130"));
    }

    #[test]
    fn trunk_toml_pins_the_locked_wasm_bindgen() {
        let root = workspace_root();
        let lockfile = std::fs::read_to_string(root.join("Cargo.lock")).unwrap();
        let trunk_toml = std::fs::read_to_string(root.join("Trunk.toml")).unwrap();
        assert_eq!(trunk_wasm_bindgen_pin(&trunk_toml), locked_wasm_bindgen_version(&lockfile));
    }
}
