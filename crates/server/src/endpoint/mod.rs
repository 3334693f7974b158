//! WhatsApp Flows' endpoint contract: what WhatsApp sends a business's endpoint for a flow with
//! `data_api_version`, and what the endpoint answers (flow-json.md §10, Meta's "Implementing
//! endpoints for Flows").
//!
//! - [`contract`]: the encryption both ways (RSA-OAEP key wrap, AES-128-GCM payloads, the
//!   response under the inverted IV), `X-Hub-Signature-256`, the status codes that mean something
//!   to the client, and the one error type;
//! - [`keys`]: RSA key pairs, read from every PEM form people have and generated;
//! - [`payload`]: the decrypted requests (`ping`, `INIT`, `data_exchange`, `BACK`, error
//!   notifications) and the answers;
//! - [`tester`]: WhatsApp's side over HTTP against a business's endpoint, and the health check;
//!   [`routes`]: its API for the preview;
//! - [`account_key`]: each account's key pair, sealed at rest, downloaded once, uploaded to
//!   WhatsApp through the account's backend.
//! - [`mock`]: the endpoint's side over HTTP for one flow, answering from the preview's mock
//!   answers (`flowsmith endpoint`).
//!
//! Both sides are here: the endpoint's (decrypt the request, encrypt the answer: the mock
//! endpoint) and WhatsApp's (encrypt a request, decrypt the answer: the endpoint tester).
pub mod account_key;
pub mod contract;
pub mod keys;
pub mod mock;
pub mod payload;
pub mod routes;
pub mod tester;

pub use contract::{
    ContractError, EncryptedRequest, FLOW_TOKEN_INVALID, REFRESH_KEY, ResponseKey, SIGNATURE_HEADER,
    SIGNATURE_INVALID, decrypt_request, decrypt_response, encrypt_request, encrypt_response, sign, verify,
};
pub use keys::{PrivateKey, PublicKey};
pub use payload::{Action, ErrorNotification, Request, Response};
