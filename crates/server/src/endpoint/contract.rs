//! The encryption of the endpoint contract, both sides, as Meta documents it (flow-json.md §10.1):
//!
//! - WhatsApp makes a fresh 128-bit AES key and a 16-byte initialisation vector per request,
//!   encrypts the JSON payload with AES-128-GCM (16-byte tag appended, no associated data) and
//!   wraps the key with the business's RSA public key (RSA-OAEP, SHA-256 for both the hash and
//!   MGF1). The body is `{encrypted_flow_data, encrypted_aes_key, initial_vector}`, each base64.
//! - The endpoint answers with the same AES key and the IV with every bit inverted; the body is the
//!   base64 of ciphertext and tag, as plain text.
//! - The body is signed: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the body, app secret>`.
//!
//! [`ContractError`]'s messages are for the person debugging (the tester's report, the mock
//! endpoint's log): an endpoint answers a request it cannot decrypt with a bare 421 whatever the
//! reason, so that a caller learns nothing about why (see [`decrypt_request`]).
use std::fmt;

use aes_gcm::AesGcm;
use aes_gcm::aead::consts::U16;
use aes_gcm::aead::generic_array::GenericArray;
use aes_gcm::aead::rand_core::RngCore as _;
use aes_gcm::aead::{Aead as _, KeyInit as _, OsRng};
use aes_gcm::aes::Aes128;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use hmac::{Hmac, Mac};
use rsa::Oaep;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use sha2::Sha256;

use super::keys::{PrivateKey, PublicKey};

/// The status an endpoint answers when it cannot decrypt a request: the client fetches the
/// business's public key again and retries.
pub const REFRESH_KEY: u16 = 421;
/// The status an endpoint answers when the flow token is invalid or expired: the client shows a
/// generic error and disables the flow's button.
pub const FLOW_TOKEN_INVALID: u16 = 427;
/// The status an endpoint answers when the request signature does not verify.
pub const SIGNATURE_INVALID: u16 = 432;
/// The header that carries the request signature.
pub const SIGNATURE_HEADER: &str = "x-hub-signature-256";

/// AES-128-GCM with the 16-byte IV WhatsApp sends (GCM derives the counter from a non-96-bit IV
/// through GHASH, as Node's and Java's implementations do).
type Cipher = AesGcm<Aes128, U16>;
const AES_KEY_BYTES: usize = 16;
const IV_BYTES: usize = 16;
const TAG_BYTES: usize = 16;

/// A request's body as WhatsApp posts it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EncryptedRequest {
    /// base64 of the AES-128-GCM ciphertext of the JSON payload, tag appended.
    pub encrypted_flow_data: String,
    /// base64 of the AES key wrapped with RSA-OAEP (SHA-256).
    pub encrypted_aes_key: String,
    /// base64 of the 16-byte initialisation vector.
    pub initial_vector: String,
}

impl EncryptedRequest {
    /// Reads a request body.
    pub fn from_body(body: &[u8]) -> Result<Self, ContractError> {
        serde_json::from_slice(body).map_err(|error| ContractError::Body(error.to_string()))
    }

    /// The body to post.
    pub fn to_body(&self) -> String {
        serde_json::to_string(self).expect("three strings serialise")
    }
}

/// What encrypts and decrypts the answer to one request: the request's AES key and IV. Its
/// `Debug` hides the key.
#[derive(Clone, PartialEq, Eq)]
pub struct ResponseKey {
    key: [u8; AES_KEY_BYTES],
    request_iv: [u8; IV_BYTES],
}

impl fmt::Debug for ResponseKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ResponseKey(..)")
    }
}

impl ResponseKey {
    fn cipher(&self) -> Cipher {
        Cipher::new(GenericArray::from_slice(&self.key))
    }

    /// The response's IV: the request's with every bit inverted.
    fn response_iv(&self) -> [u8; IV_BYTES] {
        self.request_iv.map(|byte| !byte)
    }
}

/// Why a step of the contract failed. Each message says what was wrong and, where it helps,
/// what usually causes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ContractError {
    /// The body is not `{encrypted_flow_data, encrypted_aes_key, initial_vector}`.
    Body(String),
    /// A field is not base64 (the field's name).
    Base64 { field: &'static str },
    /// The initialisation vector is not 16 bytes (its length).
    IvLength { found: usize },
    /// RSA-OAEP did not unwrap the AES key.
    KeyUnwrap,
    /// The unwrapped AES key is not 16 bytes (its length).
    AesKeyLength { found: usize },
    /// The ciphertext is shorter than the GCM tag (what: "request" or "response").
    TooShort { what: &'static str, found: usize },
    /// The GCM tag does not match.
    Tag { what: &'static str },
    /// The response decrypts with the request's IV instead of its inverse.
    ResponseIvNotInverted,
    /// The response body is not base64.
    ResponseBase64,
    /// The decrypted text is not the JSON expected (what, serde's message).
    Json { what: &'static str, detail: String },
    /// The signature header is not `sha256=` and 64 hex digits.
    SignatureFormat,
    /// The signature does not match the body and the app secret.
    SignatureMismatch,
    /// The text is not a PEM key (what was expected).
    NotPem { expected: &'static str },
    /// A PEM block of another kind than expected (what it is, what was expected).
    KeyForm { found: String, expected: &'static str },
    /// An encrypted PKCS#8 key and no passphrase.
    PassphraseNeeded,
    /// An encrypted PKCS#8 key that the passphrase does not open.
    WrongPassphrase,
    /// A PKCS#1 key encrypted the legacy OpenSSL way (`Proc-Type: 4,ENCRYPTED`).
    LegacyEncrypted,
    /// A PEM block of the right kind whose content is not a usable RSA key (its form, why).
    Key { form: &'static str, detail: String },
    /// RSA encryption or key generation failed.
    Rsa(String),
}

impl ContractError {
    /// The status an endpoint answers a request with this error: 421 for anything that stops
    /// decryption (the client refreshes the key and retries), 432 for a bad signature, 400 for a
    /// payload that decrypts but is not a request, 500 for the endpoint's own key.
    pub fn status(&self) -> u16 {
        match self {
            ContractError::Body(_)
            | ContractError::Base64 { .. }
            | ContractError::IvLength { .. }
            | ContractError::KeyUnwrap
            | ContractError::AesKeyLength { .. }
            | ContractError::TooShort { .. }
            | ContractError::Tag { .. }
            | ContractError::ResponseIvNotInverted
            | ContractError::ResponseBase64 => REFRESH_KEY,
            ContractError::SignatureFormat | ContractError::SignatureMismatch => SIGNATURE_INVALID,
            ContractError::Json { .. } => 400,
            ContractError::NotPem { .. }
            | ContractError::KeyForm { .. }
            | ContractError::PassphraseNeeded
            | ContractError::WrongPassphrase
            | ContractError::LegacyEncrypted
            | ContractError::Key { .. }
            | ContractError::Rsa(_) => 500,
        }
    }
}

impl fmt::Display for ContractError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ContractError::Body(detail) => write!(
                f,
                "the body is not an encrypted flow request {{encrypted_flow_data, encrypted_aes_key, initial_vector}}: {detail}"
            ),
            ContractError::Base64 { field } => write!(f, "{field} is not base64"),
            ContractError::IvLength { found } => write!(
                f,
                "initial_vector is {found} bytes; WhatsApp's is {IV_BYTES}"
            ),
            ContractError::KeyUnwrap => f.write_str(
                "encrypted_aes_key does not decrypt with this private key (RSA-OAEP, SHA-256): the request was \
                 encrypted for another public key, or without OAEP SHA-256; an endpoint answers 421 and \
                 the client fetches the public key again",
            ),
            ContractError::AesKeyLength { found } => write!(
                f,
                "encrypted_aes_key holds a {found}-byte key; AES-128 needs {AES_KEY_BYTES}"
            ),
            ContractError::TooShort { what, found } => write!(
                f,
                "the {what} ciphertext is {found} bytes, shorter than the {TAG_BYTES}-byte GCM tag it must end with"
            ),
            ContractError::Tag { what } => write!(
                f,
                "the {what} does not authenticate (AES-GCM tag mismatch): the ciphertext was changed, or it \
                 was encrypted with another AES key or IV"
            ),
            ContractError::ResponseIvNotInverted => f.write_str(
                "the response is encrypted with the request's IV: it must use the IV with every bit inverted",
            ),
            ContractError::ResponseBase64 => {
                f.write_str("the response body is not base64 (it must be the encrypted answer as plain text)")
            }
            ContractError::Json { what, detail } => {
                write!(f, "the decrypted {what} is not the JSON expected: {detail}")
            }
            ContractError::SignatureFormat => {
                f.write_str("X-Hub-Signature-256 is not \"sha256=\" and 64 hex digits")
            }
            ContractError::SignatureMismatch => f.write_str(
                "X-Hub-Signature-256 does not match the body: another app secret, or the body was changed",
            ),
            ContractError::NotPem { expected } => {
                write!(f, "not a PEM key: expected {expected}")
            }
            ContractError::KeyForm { found, expected } => {
                write!(f, "this is {found}; expected {expected}")
            }
            ContractError::PassphraseNeeded => f.write_str(
                "this is a PKCS#8 key with a passphrase (BEGIN ENCRYPTED PRIVATE KEY): give the passphrase",
            ),
            ContractError::WrongPassphrase => f.write_str(
                "this is a PKCS#8 key with a passphrase and the passphrase given does not open it",
            ),
            ContractError::LegacyEncrypted => f.write_str(
                "this is a PKCS#1 key encrypted the legacy OpenSSL way (Proc-Type: 4,ENCRYPTED); convert it \
                 to an encrypted PKCS#8 key: openssl pkcs8 -topk8 -v2 aes-256-cbc -in key.pem -out key.p8.pem",
            ),
            ContractError::Key { form, detail } => {
                write!(f, "not a valid {form} RSA key: {detail}")
            }
            ContractError::Rsa(detail) => write!(f, "RSA failed: {detail}"),
        }
    }
}

impl std::error::Error for ContractError {}

fn decode(field: &'static str, text: &str) -> Result<Vec<u8>, ContractError> {
    BASE64.decode(text.trim()).map_err(|_| ContractError::Base64 { field })
}

/// Encrypts a request payload as WhatsApp does, for the business's public key: a fresh AES key
/// and IV each time. Returns the body and what decrypts the answer.
pub fn encrypt_request(
    public_key: &PublicKey,
    payload: &impl Serialize,
) -> Result<(EncryptedRequest, ResponseKey), ContractError> {
    let mut key = [0u8; AES_KEY_BYTES];
    let mut request_iv = [0u8; IV_BYTES];
    OsRng.fill_bytes(&mut key);
    OsRng.fill_bytes(&mut request_iv);
    let response_key = ResponseKey { key, request_iv };
    let plain = serde_json::to_vec(payload)
        .map_err(|error| ContractError::Json { what: "request", detail: error.to_string() })?;
    let sealed = response_key
        .cipher()
        .encrypt(GenericArray::from_slice(&request_iv), plain.as_slice())
        .map_err(|_| ContractError::Rsa("AES-GCM encryption failed".to_owned()))?;
    let wrapped = public_key
        .rsa()
        .encrypt(&mut OsRng, Oaep::new::<Sha256>(), &key)
        .map_err(|error| ContractError::Rsa(error.to_string()))?;
    let request = EncryptedRequest {
        encrypted_flow_data: BASE64.encode(sealed),
        encrypted_aes_key: BASE64.encode(wrapped),
        initial_vector: BASE64.encode(request_iv),
    };
    Ok((request, response_key))
}

/// Decrypts a request as the endpoint does. Returns the payload (a `serde_json::Value` or a
/// [`Request`](super::Request)) and what encrypts the answer.
///
/// RUSTSEC-2023-0071 (Marvin): `rsa` 0.9's private-key operation is not constant-time, so the
/// unwrap is AWS-LC's (`aws-lc-rs`), whose RSA decryption is blinded, constant-time, and checks
/// the OAEP padding without branching on it ([`PrivateKey`]; ARCHITECTURE.md). And the endpoint
/// answers every failure here with the same bare 421 (no body, no reason), so OAEP padding errors
/// and tag errors look alike to a caller.
pub fn decrypt_request<T: DeserializeOwned>(
    private_key: &PrivateKey,
    request: &EncryptedRequest,
) -> Result<(T, ResponseKey), ContractError> {
    let wrapped = decode("encrypted_aes_key", &request.encrypted_aes_key)?;
    let iv = decode("initial_vector", &request.initial_vector)?;
    let sealed = decode("encrypted_flow_data", &request.encrypted_flow_data)?;
    let request_iv: [u8; IV_BYTES] =
        iv.as_slice().try_into().map_err(|_| ContractError::IvLength { found: iv.len() })?;
    let key_bytes = private_key.unwrap_oaep_sha256(&wrapped)?;
    let key: [u8; AES_KEY_BYTES] = key_bytes
        .as_slice()
        .try_into()
        .map_err(|_| ContractError::AesKeyLength { found: key_bytes.len() })?;
    let response_key = ResponseKey { key, request_iv };
    let plain = open(&response_key.cipher(), &request_iv, &sealed, "request")?;
    let payload = parse(&plain, "request")?;
    Ok((payload, response_key))
}

/// Encrypts the endpoint's answer: the request's AES key, the inverted IV; the body as base64.
pub fn encrypt_response(key: &ResponseKey, response: &impl Serialize) -> Result<String, ContractError> {
    let plain = serde_json::to_vec(response)
        .map_err(|error| ContractError::Json { what: "response", detail: error.to_string() })?;
    let sealed = key
        .cipher()
        .encrypt(GenericArray::from_slice(&key.response_iv()), plain.as_slice())
        .map_err(|_| ContractError::Rsa("AES-GCM encryption failed".to_owned()))?;
    Ok(BASE64.encode(sealed))
}

/// Decrypts an endpoint's answer as WhatsApp does. An answer encrypted with the request's IV
/// instead of its inverse (the commonest endpoint bug) is named as such.
pub fn decrypt_response<T: DeserializeOwned>(key: &ResponseKey, body: &str) -> Result<T, ContractError> {
    let sealed = BASE64.decode(body.trim()).map_err(|_| ContractError::ResponseBase64)?;
    let cipher = key.cipher();
    let plain = match open(&cipher, &key.response_iv(), &sealed, "response") {
        Err(ContractError::Tag { .. }) if open(&cipher, &key.request_iv, &sealed, "response").is_ok() => {
            return Err(ContractError::ResponseIvNotInverted);
        }
        other => other?,
    };
    parse(&plain, "response")
}

fn open(
    cipher: &Cipher,
    iv: &[u8; IV_BYTES],
    sealed: &[u8],
    what: &'static str,
) -> Result<Vec<u8>, ContractError> {
    if sealed.len() < TAG_BYTES {
        return Err(ContractError::TooShort { what, found: sealed.len() });
    }
    cipher.decrypt(GenericArray::from_slice(iv), sealed).map_err(|_| ContractError::Tag { what })
}

fn parse<T: DeserializeOwned>(plain: &[u8], what: &'static str) -> Result<T, ContractError> {
    serde_json::from_slice(plain).map_err(|error| ContractError::Json { what, detail: error.to_string() })
}

/// The `X-Hub-Signature-256` value for a body: `sha256=` and the hex HMAC-SHA256 under the app
/// secret.
pub fn sign(app_secret: &[u8], body: &[u8]) -> String {
    let mac = body_mac(app_secret, body);
    let digest = mac.finalize().into_bytes();
    let mut header = String::with_capacity(7 + 64);
    header.push_str("sha256=");
    for byte in digest {
        header.push(char::from(HEX[usize::from(byte >> 4)]));
        header.push(char::from(HEX[usize::from(byte & 0xf)]));
    }
    header
}

fn body_mac(app_secret: &[u8], body: &[u8]) -> Hmac<Sha256> {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(app_secret).expect("HMAC takes keys of any length");
    mac.update(body);
    mac
}

const HEX: &[u8; 16] = b"0123456789abcdef";

/// Checks an `X-Hub-Signature-256` value against the body, in constant time.
pub fn verify(app_secret: &[u8], body: &[u8], header: &str) -> Result<(), ContractError> {
    let digits = header.trim().strip_prefix("sha256=").ok_or(ContractError::SignatureFormat)?;
    if digits.len() != 64 {
        return Err(ContractError::SignatureFormat);
    }
    let mut expected = [0u8; 32];
    for (byte, pair) in expected.iter_mut().zip(digits.as_bytes().chunks(2)) {
        let high = hex_digit(pair[0]).ok_or(ContractError::SignatureFormat)?;
        let low = hex_digit(pair[1]).ok_or(ContractError::SignatureFormat)?;
        *byte = high << 4 | low;
    }
    let mac = body_mac(app_secret, body);
    // `verify_slice` compares in constant time (`subtle`).
    mac.verify_slice(&expected).map_err(|_| ContractError::SignatureMismatch)
}

fn hex_digit(digit: u8) -> Option<u8> {
    match digit {
        b'0'..=b'9' => Some(digit - b'0'),
        b'a'..=b'f' => Some(digit - b'a' + 10),
        b'A'..=b'F' => Some(digit - b'A' + 10),
        _ => None,
    }
}
