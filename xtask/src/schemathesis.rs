//! Schemathesis (issue 19) against the sandbox of a debug `flowsmith serve`: both seed specs
//! (the copies in `crates/server/tests/contract/`), every phase including the stateful one, a
//! fixed seed and a bounded number of examples, failing on any server error or any response
//! that breaks its schema.
//!
//! Schemathesis runs from a venv in `target/schemathesis/venv`, installed from
//! `xtask/schemathesis-requirements.txt` (every package pinned exactly) when missing or at
//! another version. The specs it reads are patched copies in `target/schemathesis/` (see
//! [`overlay_partner`] and [`overlay_graph`]): each overlay corrects the seed where it
//! contradicts Meta's documented behaviour or leaves error answers out, as the contract tests
//! do. A config file beside each holds the path parameters to the sandbox's seeded accounts.
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{Value, json};

use crate::pipeline::{Failure, Step};
use crate::server_bench::Server;
use crate::tools;

pub const VERSION: &str = "4.32.5";
/// The sandbox's key (`--sandbox-api-key`'s default).
const KEY: &str = "sandbox";
/// Test cases per operation and phase: the step takes about a minute here (2 shared cores).
const MAX_EXAMPLES: &str = "100";
const SEED: &str = "19";
/// A server error, a body outside its schema, an undeclared status or a non-JSON answer fails
/// the step; so does, in the stateful phase, a deleted flow still answering
/// (`use_after_free`) or a created one missing (`ensure_resource_availability`). Left out:
/// `positive_data_acceptance` (Meta refuses schema-valid requests the seeds cannot express:
/// unknown `fields`, empty names, lifecycle refusals such as publishing a published flow) and
/// the auth-probing checks (the sandbox has one key and no per-object access).
const CHECKS: &str = "not_a_server_error,response_schema_conformance,status_code_conformance,\
content_type_conformance,use_after_free,ensure_resource_availability";

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

/// Makes `schema` the answer of every status an operation does not list.
fn default_error(spec: &mut Value, schema: &str) {
    let error = json!({"description": "an error", "content": {"application/json": {
        "schema": {"$ref": format!("#/components/schemas/{schema}")}}}});
    if let Some(paths) = spec["paths"].as_object_mut() {
        for operation in
            paths.values_mut().filter_map(Value::as_object_mut).flat_map(|path| path.values_mut())
        {
            if let Some(responses) = operation.get_mut("responses").and_then(Value::as_object_mut) {
                responses.entry("default").or_insert_with(|| error.clone());
            }
        }
    }
}

/// The Partner API seed with Meta's `pointers` allowed in asset validation errors, and its error
/// envelope `DefaultHttpError` as the answer of statuses an operation does not list (401, 403,
/// 413, 415: a missing key, a body too large or not multipart), as the contract test checks them.
fn overlay_partner(spec: &mut Value) {
    spec["components"]["schemas"]["FlowAssetUpdateError"]["properties"]["pointers"] = pointers();
    default_error(spec, "DefaultHttpError");
}

/// The Graph seed with `FlowValidationError.pointers` as Meta sends them (objects, not strings),
/// and Graph's error object (Meta's "Handling errors" page) as every operation's `default`
/// answer: the seed lists no error answers at all, so without it no error body would be checked
/// and every 400/404 would count as an undeclared status.
fn overlay_graph(spec: &mut Value) {
    spec["components"]["schemas"]["FlowValidationError"]["properties"]["pointers"] = pointers();
    spec["components"]["schemas"]["GraphError"] = json!({
        "type": "object", "required": ["error"], "additionalProperties": false,
        "properties": {"error": {
            "type": "object", "required": ["message", "type", "code", "fbtrace_id"],
            "properties": {
                "message": {"type": "string"}, "type": {"type": "string"}, "code": {"type": "integer"},
                "error_subcode": {"type": "integer"}, "error_user_title": {"type": "string"},
                "error_user_msg": {"type": "string"}, "fbtrace_id": {"type": "string"}}}}
    });
    default_error(spec, "GraphError");
}

/// One seed spec and how to reach the sandbox's answer to it.
struct Target {
    name: &'static str,
    spec: &'static str,
    overlay: fn(&mut Value),
    /// Appended to the server's URL: where the spec's paths start.
    base: &'static str,
    header: String,
    /// Path parameters held to the sandbox's seed accounts (`sandbox/seed.rs`): drawn at random
    /// they only ever meet 404, and the stateful phase never gets a flow to follow links from.
    parameters: &'static [(&'static str, &'static str)],
    /// The flow the operations matching `regex` act on, when nothing in the spec links them to a
    /// created flow: a seeded draft, so publish, preview, assets and deprecate meet a real flow.
    flow: Option<(&'static str, &'static str, &'static str)>,
}

fn targets() -> [Target; 2] {
    [
        Target {
            name: "360dialog Partner API",
            spec: "360dialog-partner-flows.openapi.json",
            overlay: overlay_partner,
            base: "/sandbox",
            header: format!("X-API-Key: {KEY}"),
            parameters: &[("partner_id", "sandboxPA"), ("waba_account_id", "sandbox1WA")],
            // `lead-gen`, a draft of `sandbox1WA`.
            flow: Some(("/(assets|preview|publish|deprecate)$", "flow_external_id", "1287346519273403")),
        },
        Target {
            name: "Meta Graph API",
            spec: "meta-graph-flows.openapi.json",
            overlay: overlay_graph,
            base: "/sandbox/graph/v21.0",
            header: format!("Authorization: Bearer {KEY}"),
            // Meta's id of `sandbox1WA`.
            parameters: &[("waba-id", "102290129340398")],
            // The stateful phase links Graph's create to every `/{flow-id}` operation.
            flow: None,
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

/// The schemathesis config of a target: its fixed path parameters.
fn config(target: &Target) -> Result<PathBuf, Failure> {
    let mut text = String::from("[parameters]\n");
    for (name, value) in target.parameters {
        text.push_str(&format!("\"path.{name}\" = \"{value}\"\n"));
    }
    if let Some((regex, name, value)) = target.flow {
        text.push_str(&format!(
            "\n[[operations]]\ninclude-path-regex = '{regex}'\nparameters = {{ \"path.{name}\" = \"{value}\" }}\n"
        ));
    }
    let path = dir().join(target.spec.replace(".openapi.json", ".toml"));
    std::fs::write(&path, text)
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
        let config = config(&target)?;
        step.run(
            tools::command(schemathesis)
                // Its cache (`.schemathesis/`) is written in the working folder: under target/,
                // never in the work tree.
                .current_dir(dir())
                .arg("--config-file")
                .arg(config)
                .arg("run")
                .arg(&spec)
                .args(["--url", &format!("{}{}", server.url, target.base)])
                .args(["--header", &target.header])
                .args(["--checks", CHECKS])
                .args(["--phases", "examples,coverage,fuzzing,stateful"])
                .args(["--max-examples", MAX_EXAMPLES, "--seed", SEED])
                // One worker: with two, schemathesis 4.32.5 once failed with a KeyError in its
                // own data generation (not a finding about the sandbox).
                .args(["--workers", "1", "--no-color"])
                .args(["--generation-database", "none"]),
        )?;
    }
    drop(server);
    let _ = std::fs::remove_dir_all(&folder);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seed(target: &Target) -> Value {
        let path = tools::workspace_root().join("crates/server/tests/contract").join(target.spec);
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
    }

    #[test]
    fn every_operation_of_both_seeds_gets_its_error_envelope_and_meta_pointers() {
        let expected = [("DefaultHttpError", "FlowAssetUpdateError"), ("GraphError", "FlowValidationError")];
        for (target, (error, validation)) in targets().iter().zip(expected) {
            let mut spec = seed(target);
            (target.overlay)(&mut spec);
            let schemas = &spec["components"]["schemas"];
            assert!(schemas[error].is_object(), "{}: no {error}", target.name);
            assert_eq!(
                schemas[validation]["properties"]["pointers"]["items"]["type"], "object",
                "{}",
                target.name
            );
            let operations: Vec<&Value> = spec["paths"]
                .as_object()
                .unwrap()
                .values()
                .flat_map(|path| path.as_object().unwrap().values())
                .collect();
            assert!(!operations.is_empty());
            for operation in operations {
                let default =
                    &operation["responses"]["default"]["content"]["application/json"]["schema"]["$ref"];
                assert_eq!(default, &json!(format!("#/components/schemas/{error}")), "{}", target.name);
            }
        }
    }
}
