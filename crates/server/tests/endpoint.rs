//! WhatsApp Flows' endpoint contract (`flowsmith_server::endpoint`): round trips of every action,
//! each way a request or answer can be wrong, key reading in every PEM form, and a cross-check
//! both ways against an independent implementation with Node's `crypto` (`tests/endpoint/whatsapp.mjs`).
//! Node is on every machine that runs these tests (Node 20): without it they fail.
#[path = "endpoint/shared.rs"]
mod shared;

use flowsmith_server::endpoint::payload::SUCCESS_SCREEN;
use flowsmith_server::endpoint::{
    Action, ContractError, EncryptedRequest, PrivateKey, PublicKey, Request, Response, decrypt_request,
    decrypt_response, encrypt_request, encrypt_response, sign, verify,
};
use serde_json::{Map, Value, json};
use shared::{key, node, other_key};

const TOKEN: &str = "flow-token-7f3a";
const SECRET: &[u8] = b"the app secret";

fn object(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(map) => map,
        other => panic!("not an object: {other}"),
    }
}

/// Every request WhatsApp sends, each with an answer an endpoint gives to it.
fn exchanges() -> Vec<(Request, Response)> {
    vec![
        (Request::ping(), Response::active()),
        (
            Request::init(TOKEN),
            Response::screen("APPOINTMENT", object(json!({"department": [{"id": "shop", "title": "Shop"}]}))),
        ),
        (
            Request::data_exchange(
                TOKEN,
                "APPOINTMENT",
                object(json!({"department": "shop", "date": "2026-12-07"})),
            ),
            Response::screen(
                "SUMMARY",
                object(json!({"summary": "Shop, 7 December", "error_message": "Only mornings"})),
            ),
        ),
        (
            Request::back(TOKEN, "APPOINTMENT"),
            Response::screen("APPOINTMENT", object(json!({"is_date_enabled": true}))),
        ),
        (
            Request::data_exchange(TOKEN, "SUMMARY", object(json!({"confirm": true}))),
            Response::success(TOKEN, object(json!({"appointment": "A-12"}))),
        ),
        (
            Request::error_notification(
                Action::DataExchange,
                TOKEN,
                "SUMMARY",
                "INVALID_SCREEN",
                "No screen SUMARY",
            ),
            Response::acknowledged(),
        ),
    ]
}

#[test]
fn every_action_round_trips_request_and_answer() {
    let public = key().public_key();
    for (request, response) in exchanges() {
        let (encrypted, tester_key) = encrypt_request(&public, &request).unwrap();
        let body = encrypted.to_body();
        let (received, endpoint_key): (Request, _) =
            decrypt_request(key(), &EncryptedRequest::from_body(body.as_bytes()).unwrap()).unwrap();
        assert_eq!(received, request);
        let answer = encrypt_response(&endpoint_key, &response).unwrap();
        let read: Response = decrypt_response(&tester_key, &answer).unwrap();
        assert_eq!(read, response, "answer to {:?}", request.action);
    }
}

#[test]
fn payloads_have_the_documented_shapes() {
    assert_eq!(serde_json::to_value(Request::ping()).unwrap(), json!({"version": "3.0", "action": "ping"}));
    assert_eq!(
        serde_json::to_value(Request::init(TOKEN)).unwrap(),
        json!({"version": "3.0", "action": "INIT", "flow_token": TOKEN})
    );
    assert_eq!(serde_json::to_value(Response::active()).unwrap(), json!({"data": {"status": "active"}}));
    assert_eq!(
        serde_json::to_value(Response::acknowledged()).unwrap(),
        json!({"data": {"acknowledged": true}})
    );
    let success = Response::success(TOKEN, object(json!({"appointment": "A-12"})));
    assert_eq!(
        serde_json::to_value(&success).unwrap(),
        json!({"screen": "SUCCESS", "data": {"extension_message_response": {"params": {"appointment": "A-12", "flow_token": TOKEN}}}})
    );
    assert_eq!(success.completion_params().unwrap()["flow_token"], TOKEN);
    assert_eq!(Response::screen(SUCCESS_SCREEN, Map::new()).completion_params(), None);

    // What Meta documents an error notification to be, and a data API 4.0 request.
    let notification: Request =
        serde_json::from_value(json!({"version": "3.0", "flow_token": TOKEN, "action": "INIT",
        "data": {"error": "INVALID_SCREEN_TRANSITION", "error_message": "..."}}))
        .unwrap();
    assert_eq!(notification.error().unwrap().error, "INVALID_SCREEN_TRANSITION");
    assert_eq!(Request::init(TOKEN).error(), None);
    let signed: Request =
        serde_json::from_value(json!({"version": "3.0", "action": "data_exchange", "screen": "A",
        "data": {}, "flow_token": TOKEN, "flow_token_signature": "eyJhbGciOiJIUzI1NiJ9.e30.sig"}))
        .unwrap();
    assert_eq!(signed.flow_token_signature.as_deref(), Some("eyJhbGciOiJIUzI1NiJ9.e30.sig"));
    let unknown = serde_json::from_value::<Request>(json!({"version": "3.0", "action": "NEXT"})).unwrap_err();
    assert!(unknown.to_string().contains("NEXT"), "{unknown}");
}

fn sealed_ping() -> (EncryptedRequest, flowsmith_server::endpoint::ResponseKey) {
    encrypt_request(&key().public_key(), &Request::ping()).unwrap()
}

fn decrypt(request: &EncryptedRequest) -> Result<Value, ContractError> {
    decrypt_request::<Value>(key(), request).map(|(payload, _)| payload)
}

fn base64(bytes: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

fn unbase64(text: &str) -> Vec<u8> {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.decode(text).unwrap()
}

#[test]
fn a_tampered_payload_fails_its_tag() {
    let (mut request, _) = sealed_ping();
    let mut sealed = unbase64(&request.encrypted_flow_data);
    sealed[3] ^= 0x01;
    request.encrypted_flow_data = base64(&sealed);
    let error = decrypt(&request).unwrap_err();
    assert_eq!(error, ContractError::Tag { what: "request" });
    assert_eq!(error.status(), 421);
    assert!(error.to_string().contains("tag mismatch"), "{error}");

    request.encrypted_flow_data = base64(&sealed[..10]);
    assert_eq!(decrypt(&request).unwrap_err(), ContractError::TooShort { what: "request", found: 10 });
}

#[test]
fn a_request_for_another_key_is_the_421_case() {
    let (request, _) = encrypt_request(&other_key().public_key(), &Request::ping()).unwrap();
    let error = decrypt(&request).unwrap_err();
    assert_eq!(error, ContractError::KeyUnwrap);
    assert_eq!(error.status(), 421);
    assert!(error.to_string().contains("another public key"), "{error}");
}

#[test]
fn a_wrong_iv_is_named_by_length_or_fails_the_tag() {
    let (mut request, _) = sealed_ping();
    request.initial_vector = base64(&[7u8; 12]);
    let error = decrypt(&request).unwrap_err();
    assert_eq!(error, ContractError::IvLength { found: 12 });
    assert!(error.to_string().contains("initial_vector is 12 bytes"), "{error}");
    request.initial_vector = base64(&[7u8; 16]);
    assert_eq!(decrypt(&request).unwrap_err(), ContractError::Tag { what: "request" });
}

#[test]
fn a_field_that_is_not_base64_is_named() {
    let (request, _) = sealed_ping();
    for field in ["encrypted_flow_data", "encrypted_aes_key", "initial_vector"] {
        let mut body = serde_json::to_value(&request).unwrap();
        body[field] = json!("not base64!");
        let broken: EncryptedRequest = serde_json::from_value(body).unwrap();
        let error = decrypt(&broken).unwrap_err();
        assert_eq!(error, ContractError::Base64 { field });
        assert_eq!(error.to_string(), format!("{field} is not base64"));
    }
    let error = EncryptedRequest::from_body(br#"{"encrypted_flow_data": "AA=="}"#).unwrap_err();
    assert!(error.to_string().contains("missing field `encrypted_aes_key`"), "{error}");
    assert_eq!(error.status(), 421);
}

#[test]
fn an_answer_with_another_key_or_the_request_iv_is_named() {
    let (_, tester_key) = sealed_ping();
    let (_, stranger) = sealed_ping();
    let answer = encrypt_response(&stranger, &Response::active()).unwrap();
    assert_eq!(
        decrypt_response::<Value>(&tester_key, &answer).unwrap_err(),
        ContractError::Tag { what: "response" }
    );
    assert_eq!(decrypt_response::<Value>(&tester_key, "<html>").unwrap_err(), ContractError::ResponseBase64);
}

#[test]
fn signatures_verify_and_each_failure_is_named() {
    let body = br#"{"encrypted_flow_data":"..."}"#;
    let header = sign(SECRET, body);
    assert!(header.starts_with("sha256=") && header.len() == 7 + 64, "{header}");
    verify(SECRET, body, &header).unwrap();
    verify(SECRET, body, &header.to_uppercase().replace("SHA256=", "sha256=")).unwrap();
    assert_eq!(verify(b"another secret", body, &header).unwrap_err(), ContractError::SignatureMismatch);
    assert_eq!(verify(SECRET, b"{}", &header).unwrap_err(), ContractError::SignatureMismatch);
    for malformed in ["", "sha1=abc", &header[7..], &header[..40], &format!("sha256={}", "zz".repeat(32))] {
        let error = verify(SECRET, body, malformed).unwrap_err();
        assert_eq!(error, ContractError::SignatureFormat, "{malformed:?}");
        assert_eq!(error.status(), 432);
    }
}

#[test]
fn generated_keys_write_and_read_back() {
    let private = key();
    let public = private.public_key();
    assert_eq!(public.bits(), 2048);
    let pem = private.to_pem().unwrap();
    assert!(pem.starts_with("-----BEGIN PRIVATE KEY-----"), "{pem}");
    assert_eq!(PrivateKey::from_pem(&pem, None).unwrap().public_key(), public);
    let locked = private.to_encrypted_pem("open sesame").unwrap();
    assert!(locked.starts_with("-----BEGIN ENCRYPTED PRIVATE KEY-----"), "{locked}");
    assert_eq!(PrivateKey::from_pem(&locked, Some("open sesame")).unwrap().public_key(), public);
    assert_eq!(PrivateKey::from_pem(&locked, None).unwrap_err(), ContractError::PassphraseNeeded);
    assert_eq!(
        PrivateKey::from_pem(&locked, Some("open sesami")).unwrap_err(),
        ContractError::WrongPassphrase
    );
    let spki = public.to_pem().unwrap();
    assert!(spki.starts_with("-----BEGIN PUBLIC KEY-----"), "{spki}");
    assert_eq!(PublicKey::from_pem(&spki).unwrap(), public);
    // As keys arrive from environment variables, "\n" written out.
    assert_eq!(PublicKey::from_pem(&spki.replace('\n', "\\n")).unwrap(), public);
    assert!(format!("{private:?}").contains("RSA-2048") && !format!("{private:?}").contains("BEGIN"));
}

#[test]
fn a_key_that_cannot_be_read_says_what_it_is() {
    let public_pem = key().public_key().to_pem().unwrap();
    let error = PrivateKey::from_pem(&public_pem, None).unwrap_err();
    assert!(
        error.to_string().starts_with("this is a public key (SPKI), not a private key; expected"),
        "{error}"
    );
    let error = PublicKey::from_pem(&key().to_pem().unwrap()).unwrap_err();
    assert!(error.to_string().contains("a private key (PRIVATE KEY), not a public key"), "{error}");
    let error = PrivateKey::from_pem("MIIEvQIBADANBgkqhkiG9w0BAQEFAASC", None).unwrap_err();
    assert!(error.to_string().starts_with("not a PEM key: expected -----BEGIN PRIVATE KEY-----"), "{error}");
    let error = PrivateKey::from_pem("-----BEGIN CERTIFICATE-----\nMII=\n-----END CERTIFICATE-----\n", None)
        .unwrap_err();
    assert!(error.to_string().starts_with("this is a certificate, not a key"), "{error}");
    // What `openssl pkcs12` writes before the block is left out.
    let bagged = format!("Bag Attributes\n    localKeyID: 01 00 00 00\n{}", key().to_pem().unwrap());
    assert_eq!(PrivateKey::from_pem(&bagged, None).unwrap().public_key(), key().public_key());
    let error = PrivateKey::from_pem(
        "-----BEGIN OPENSSH PRIVATE KEY-----\nb3Bl\n-----END OPENSSH PRIVATE KEY-----",
        None,
    )
    .unwrap_err();
    assert!(
        error.to_string().starts_with("this is an OpenSSH key (ssh-keygen's format); expected"),
        "{error}"
    );
    let broken = "-----BEGIN RSA PRIVATE KEY-----\nMIIBOgIBAAJBAK==\n-----END RSA PRIVATE KEY-----\n";
    let error = PrivateKey::from_pem(broken, None).unwrap_err();
    assert!(error.to_string().starts_with("not a valid PKCS#1 RSA key: "), "{error}");
}

// The cross-check with Node's `crypto`.

#[test]
fn node_as_whatsapp_and_rust_as_the_endpoint_agree() {
    let public_pem = key().public_key().to_pem().unwrap();
    for (request, response) in exchanges() {
        let sent = node("encrypt-request", json!({"publicKey": public_pem, "payload": request}));
        let body: EncryptedRequest = serde_json::from_value(sent["body"].clone()).unwrap();
        let (received, endpoint_key): (Request, _) = decrypt_request(key(), &body).unwrap();
        assert_eq!(received, request);
        let answer = encrypt_response(&endpoint_key, &response).unwrap();
        let read =
            node("decrypt-response", json!({"aesKey": sent["aesKey"], "iv": sent["iv"], "body": answer}));
        assert_eq!(read, serde_json::to_value(&response).unwrap(), "answer to {:?}", request.action);
    }
}

#[test]
fn rust_as_whatsapp_and_node_as_the_endpoint_agree() {
    let private_pem = key().to_pem().unwrap();
    for (request, response) in exchanges() {
        let (body, tester_key) = encrypt_request(&key().public_key(), &request).unwrap();
        let received = node("decrypt-request", json!({"privateKey": private_pem, "body": body}));
        assert_eq!(received["payload"], serde_json::to_value(&request).unwrap());
        let answer = node(
            "encrypt-response",
            json!({"aesKey": received["aesKey"], "iv": received["iv"], "response": response}),
        );
        let read: Response = decrypt_response(&tester_key, answer.as_str().unwrap()).unwrap();
        assert_eq!(read, response, "answer to {:?}", request.action);
    }
}

#[test]
fn node_finds_what_rust_names() {
    let public_pem = key().public_key().to_pem().unwrap();
    // An endpoint that answers with the request's IV.
    let (body, tester_key) = encrypt_request(&key().public_key(), &Request::ping()).unwrap();
    let received = node("decrypt-request", json!({"privateKey": key().to_pem().unwrap(), "body": body}));
    let answer = node(
        "encrypt-response",
        json!({"aesKey": received["aesKey"], "iv": received["iv"], "response": Response::active(), "invert": false}),
    );
    let error = decrypt_response::<Value>(&tester_key, answer.as_str().unwrap()).unwrap_err();
    assert_eq!(error, ContractError::ResponseIvNotInverted);
    assert!(error.to_string().contains("every bit inverted"), "{error}");
    // A payload that is not JSON.
    let sent = node("encrypt-request", json!({"publicKey": public_pem, "plain": "ping"}));
    let body: EncryptedRequest = serde_json::from_value(sent["body"].clone()).unwrap();
    let error = decrypt(&body).unwrap_err();
    assert!(matches!(error, ContractError::Json { what: "request", .. }), "{error:?}");
    assert_eq!(error.status(), 400);
    // The same signature as Node's HMAC.
    let text = body.to_body();
    assert_eq!(
        node("sign", json!({"secret": "the app secret", "body": text})),
        json!(sign(SECRET, text.as_bytes()))
    );
}

#[test]
fn keys_in_every_form_node_writes_are_read() {
    let passphrase = "open sesame";
    let forms = [
        (json!({"type": "pkcs1"}), json!({"type": "pkcs1"}), None),
        (json!({"type": "pkcs8"}), json!({"type": "spki"}), None),
        (
            json!({"type": "pkcs8", "cipher": "aes-256-cbc", "passphrase": passphrase}),
            json!({"type": "spki"}),
            Some(passphrase),
        ),
        // What `openssl genrsa -des3` writes since OpenSSL 3, as in Meta's instructions.
        (
            json!({"type": "pkcs8", "cipher": "des-ede3-cbc", "passphrase": passphrase}),
            json!({"type": "spki"}),
            Some(passphrase),
        ),
    ];
    for (private_encoding, public_encoding, given) in forms {
        let pair = node("keygen", json!({"private": private_encoding, "public": public_encoding}));
        let private = PrivateKey::from_pem(pair["privateKey"].as_str().unwrap(), given)
            .unwrap_or_else(|error| panic!("{private_encoding}: {error}"));
        let public = PublicKey::from_pem(pair["publicKey"].as_str().unwrap()).unwrap();
        assert_eq!(private.public_key(), public, "{private_encoding}");
        let (body, _) = encrypt_request(&public, &Request::ping()).unwrap();
        let (payload, _): (Request, _) = decrypt_request(&private, &body).unwrap();
        assert_eq!(payload, Request::ping());
    }

    // And Node (OpenSSL) reads the passphrase-protected key this module writes.
    let locked = key().to_encrypted_pem(passphrase).unwrap();
    let (body, _) = encrypt_request(&key().public_key(), &Request::ping()).unwrap();
    let received =
        node("decrypt-request", json!({"privateKey": locked, "passphrase": passphrase, "body": body}));
    assert_eq!(received["payload"], json!({"version": "3.0", "action": "ping"}));

    let legacy = node(
        "keygen",
        json!({"private": {"type": "pkcs1", "cipher": "aes-256-cbc", "passphrase": passphrase},
        "public": {"type": "spki"}}),
    );
    let error = PrivateKey::from_pem(legacy["privateKey"].as_str().unwrap(), Some(passphrase)).unwrap_err();
    assert_eq!(error, ContractError::LegacyEncrypted);
    assert!(error.to_string().contains("openssl pkcs8 -topk8"), "{error}");

    let elliptic =
        node("keygen", json!({"type": "ec", "private": {"type": "pkcs8"}, "public": {"type": "spki"}}));
    let error = PrivateKey::from_pem(elliptic["privateKey"].as_str().unwrap(), None).unwrap_err();
    assert!(
        error.to_string().starts_with("not a valid PKCS#8 RSA key: it holds a key of another algorithm"),
        "{error}"
    );
    let error = PublicKey::from_pem(elliptic["publicKey"].as_str().unwrap()).unwrap_err();
    assert!(
        error.to_string().starts_with("not a valid SPKI RSA key: it holds a key of another algorithm"),
        "{error}"
    );
}
