//! What tests/endpoint.rs and tests/endpoint_mock.rs share: two key pairs, made once per test
//! binary (RSA key generation is slow), and the cross-check with Node's `crypto` (`whatsapp.mjs`
//! beside this file).
use std::io::Write as _;
use std::process::{Command, Stdio};
use std::sync::OnceLock;

use flowsmith_server::endpoint::PrivateKey;
use serde_json::Value;

/// The endpoint's key.
pub fn key() -> &'static PrivateKey {
    static KEY: OnceLock<PrivateKey> = OnceLock::new();
    KEY.get_or_init(|| PrivateKey::generate().unwrap())
}

/// A key that is not the endpoint's.
pub fn other_key() -> &'static PrivateKey {
    static KEY: OnceLock<PrivateKey> = OnceLock::new();
    KEY.get_or_init(|| PrivateKey::generate().unwrap())
}

/// Runs one operation of `whatsapp.mjs` on `input` and returns its result.
pub fn node(operation: &str, input: Value) -> Value {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/endpoint/whatsapp.mjs");
    let mut child = Command::new("node")
        .arg(script)
        .arg(operation)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|error| {
            panic!("the cross-check needs Node (`node` on PATH, Node 20 on our machines): {error}")
        });
    child.stdin.take().unwrap().write_all(input.to_string().as_bytes()).unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "node {operation} failed: {}", String::from_utf8_lossy(&output.stderr));
    serde_json::from_slice(&output.stdout).unwrap()
}
