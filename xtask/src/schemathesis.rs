//! Schemathesis (issue 19) against the sandbox of a debug `flowsmith serve`: both seed specs
//! (the copies in `crates/server/tests/contract/`), every phase including the stateful one, a
//! fixed seed and a bounded number of examples, failing on any server error or any response
//! that breaks its schema.
//!
//! Schemathesis runs from a venv in `target/schemathesis/venv`, installed from
//! `xtask/schemathesis-requirements.txt` (every package pinned exactly) when missing or at
//! another version. The specs it reads are patched copies in `target/schemathesis/` (see
//! [`overlay_partner`] and [`overlay_graph`]): each overlay corrects the seed where it
//! contradicts Meta's documented behaviour, the same overlays the contract tests apply.
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{Value, json};

use crate::pipeline::{Failure, Step};
use crate::server_bench::Server;
use crate::tools;

pub const VERSION: &str = "4.32.5";
/// The sandbox's key (`--sandbox-api-key`'s default).
const KEY: &str = "sandbox";
/// Test cases per operation and phase: the whole step stays within a few minutes on 2 cores.
const MAX_EXAMPLES: &str = "25";
const SEED: &str = "19";
/// A server error or a body outside its schema fails the step. `status_code_conformance` is
/// left out: the seeds list no error answers (Graph lists none at all), yet the sandbox must
/// answer 400/401/404 as the real APIs do. `content_type_conformance` holds: every answer is JSON.
const CHECKS: &str = "not_a_server_error,response_schema_conformance,content_type_conformance";

fn dir() -> PathBuf {
    tools::workspace_root().join("target/schemathesis")
}

fn venv_bin(program: &str) -> PathBuf {
    dir().join("venv/bin").join(program)
}

/// The pinned schemathesis, installed into its venv unless already there.
pub fn ensure() -> Result<PathBuf, Failure> {
    let schemathesis = venv_bin("schemathesis");
    let installed = Command::new(&schemathesis)
        .arg("--version")
        .output()
        .is_ok_and(|output| String::from_utf8_lossy(&output.stdout).contains(VERSION));
    if installed {
        println!("    ok  schemathesis {VERSION}");
        return Ok(schemathesis);
    }
    let venv = dir().join("venv");
    let _ = std::fs::remove_dir_all(&venv);
    tools::run(tools::command("python3").arg("-m").arg("venv").arg(&venv)).map_err(|failure| {
        Failure::new(format!("{failure}\nschemathesis needs Python 3.9+ with venv (Debian: python3-venv)"))
    })?;
    let requirements = tools::workspace_root().join("xtask/schemathesis-requirements.txt");
    tools::run(
        tools::command(venv_bin("pip"))
            .args(["install", "--quiet", "--no-deps", "--requirement"])
            .arg(requirements),
    )?;
    Ok(schemathesis)
}

/// Meta's validation errors carry `pointers` objects (flow-json.md §8.1), with a path and a
/// place; 360dialog passes them through, and its seed's `FlowAssetUpdateError` forbids them.
fn pointers() -> Value {
    let position = json!({"type": "integer"});
    json!({
        "type": "array",
        "items": {"type": "object", "additionalProperties": false, "required": ["path"], "properties": {
            "path": {"type": "string"}, "line_start": position, "line_end": position,
            "column_start": position, "column_end": position}}
    })
}

/// The Partner API seed with Meta's `pointers` allowed in asset validation errors.
fn overlay_partner(spec: &mut Value) {
    spec["components"]["schemas"]["FlowAssetUpdateError"]["properties"]["pointers"] = pointers();
}

/// The Graph seed with `FlowValidationError.pointers` as Meta sends them (objects, not strings).
fn overlay_graph(spec: &mut Value) {
    spec["components"]["schemas"]["FlowValidationError"]["properties"]["pointers"] = pointers();
}

/// One seed spec and how to reach the sandbox's answer to it.
struct Target {
    name: &'static str,
    spec: &'static str,
    overlay: fn(&mut Value),
    /// Appended to the server's URL: where the spec's paths start.
    base: &'static str,
    header: String,
}

fn targets() -> [Target; 2] {
    [
        Target {
            name: "360dialog Partner API",
            spec: "360dialog-partner-flows.openapi.json",
            overlay: overlay_partner,
            base: "/sandbox",
            header: format!("X-API-Key: {KEY}"),
        },
        Target {
            name: "Meta Graph API",
            spec: "meta-graph-flows.openapi.json",
            overlay: overlay_graph,
            base: "/sandbox/graph/v21.0",
            header: format!("Authorization: Bearer {KEY}"),
        },
    ]
}

/// Writes the patched copy of a seed under `target/schemathesis/`.
fn patched(target: &Target) -> Result<PathBuf, Failure> {
    let source = tools::workspace_root().join("crates/server/tests/contract").join(target.spec);
    let text = std::fs::read_to_string(&source)
        .map_err(|error| Failure::new(format!("cannot read {}: {error}", source.display())))?;
    let mut spec: Value = serde_json::from_str(&text)
        .map_err(|error| Failure::new(format!("{} is not JSON: {error}", source.display())))?;
    (target.overlay)(&mut spec);
    let path = dir().join(target.spec);
    std::fs::write(&path, spec.to_string())
        .map_err(|error| Failure::new(format!("cannot write {}: {error}", path.display())))?;
    Ok(path)
}

/// A debug `flowsmith serve --mode sandbox` on a free port, with a fresh data folder.
fn sandbox(folder: &Path) -> Result<Server, Failure> {
    let _ = std::fs::remove_dir_all(folder);
    std::fs::create_dir_all(folder.join("app")).map_err(|error| Failure::new(error.to_string()))?;
    std::fs::write(folder.join("app/index.html"), "<!doctype html>\n")
        .map_err(|error| Failure::new(error.to_string()))?;
    let mut command = Command::new(tools::workspace_root().join("target/debug/flowsmith"));
    command
        .args(["serve", "--mode", "sandbox", "--port", "0", "--sandbox-api-key", KEY])
        .arg("--app-dir")
        .arg(folder.join("app"))
        .arg("--data-dir")
        .arg(folder.join("data"))
        .env("FLOWSMITH_LOG", "warn");
    Server::start(command)
}

/// Runs schemathesis on both seeds against one fresh sandbox; any failure fails the step,
/// after schemathesis has printed its report.
pub fn run(step: &mut Step, schemathesis: &Path) -> Result<(), Failure> {
    std::fs::create_dir_all(dir()).map_err(|error| Failure::new(error.to_string()))?;
    let folder = dir().join("sandbox");
    let server = sandbox(&folder)?;
    for target in targets() {
        println!("--- {}", target.name);
        let spec = patched(&target)?;
        step.run(
            tools::command(schemathesis)
                .arg("run")
                .arg(&spec)
                .args(["--url", &format!("{}{}", server.url, target.base)])
                .args(["--header", &target.header])
                .args(["--checks", CHECKS])
                .args(["--phases", "examples,coverage,fuzzing,stateful"])
                .args(["--max-examples", MAX_EXAMPLES, "--seed", SEED])
                .args(["--workers", "2", "--no-color"])
                .args(["--generation-database", "none"]),
        )?;
    }
    drop(server);
    let _ = std::fs::remove_dir_all(&folder);
    Ok(())
}
