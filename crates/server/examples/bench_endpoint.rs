//! Times one encrypted round trip of WhatsApp Flows' endpoint contract, the CPU the contract adds
//! beyond the endpoint's own work (issue 21's budget: under 2 ms); figures in BENCHMARKS.md.
//! `cargo run -p flowsmith-server --example bench_endpoint [ROUNDS]`, an RSA-2048 key and a
//! `data_exchange` request and screen answer of about 1 KB each:
//! - the endpoint's side: decrypt the request (RSA-OAEP unwrap with AWS-LC; AES-GCM), encrypt the
//!   answer;
//! - the tester's side (WhatsApp's): encrypt the request (RSA-OAEP wrap; AES-GCM), decrypt the
//!   answer;
//! - the request signature, signed and verified.
mod support;

use std::time::Instant;

use flowsmith_server::endpoint::{
    PrivateKey, Request, Response, decrypt_request, decrypt_response, encrypt_request, encrypt_response,
    sign, verify,
};
use serde_json::{Map, Value, json};
use support::summary;

fn object(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(map) => map,
        _ => unreachable!("the payloads here are objects"),
    }
}

fn main() {
    let rounds: usize = std::env::args().nth(1).map_or(500, |n| n.parse().expect("ROUNDS is a number"));
    let private = PrivateKey::generate().expect("a key pair");
    let public = private.public_key();
    let slots: Vec<Value> =
        (0..12).map(|n| json!({"id": format!("slot-{n}"), "title": format!("{n}:00 to {n}:30")})).collect();
    let request = Request::data_exchange(
        "flow-token-7f3a",
        "APPOINTMENT",
        object(
            json!({"department": "shop", "location": "1", "date": "2026-12-07", "notes": "x".repeat(600)}),
        ),
    );
    let response = Response::screen("SUMMARY", object(json!({"time": slots, "is_time_enabled": true})));

    let (mut endpoint, mut decrypt, mut tester, mut signature) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for _ in 0..rounds {
        let started = Instant::now();
        let (body, tester_key) = encrypt_request(&public, &request).expect("encrypts");
        let text = body.to_body();
        let wrap = started.elapsed();

        let started = Instant::now();
        let (_, endpoint_key): (Request, _) = decrypt_request(&private, &body).expect("decrypts");
        let unwrap = started.elapsed();
        let answer = encrypt_response(&endpoint_key, &response).expect("encrypts");
        endpoint.push(started.elapsed());
        decrypt.push(unwrap);

        let started = Instant::now();
        let _: Response = decrypt_response(&tester_key, &answer).expect("decrypts");
        tester.push(wrap + started.elapsed());

        let started = Instant::now();
        let header = sign(b"the app secret", text.as_bytes());
        verify(b"the app secret", text.as_bytes(), &header).expect("verifies");
        signature.push(started.elapsed());
    }
    summary("endpoint: decrypt request + encrypt answer", endpoint);
    summary("  of which decrypt request", decrypt);
    summary("tester: encrypt request + decrypt answer", tester);
    summary("signature: sign + verify", signature);
}
