//! The business's RSA key pair: generated (2048 bits, as Meta requires), and read from every PEM
//! form people have: private keys as PKCS#1 (`BEGIN RSA PRIVATE KEY`), PKCS#8 (`BEGIN PRIVATE
//! KEY`) or PKCS#8 with a passphrase (`BEGIN ENCRYPTED PRIVATE KEY`, what `openssl genrsa -des3`
//! writes since OpenSSL 3, Meta's own example); public keys as SPKI (`BEGIN PUBLIC KEY`, what
//! Meta takes) or PKCS#1 (`BEGIN RSA PUBLIC KEY`). A key that cannot be read says which form it
//! is and which was expected.
use std::fmt;
use std::sync::Arc;

use aes_gcm::aead::OsRng;
use aes_gcm::aead::rand_core::RngCore as _;
use aws_lc_rs::rsa::{OAEP_SHA256_MGF1SHA256, OaepPrivateDecryptingKey, PrivateDecryptingKey};
use rsa::pkcs1::{DecodeRsaPrivateKey as _, DecodeRsaPublicKey as _};
use rsa::pkcs8::der::pem::PemLabel as _;
use rsa::pkcs8::{DecodePrivateKey as _, DecodePublicKey as _, EncodePrivateKey as _};
use rsa::pkcs8::{EncodePublicKey as _, EncryptedPrivateKeyInfo, LineEnding, PrivateKeyInfo, pkcs5::pbes2};
use rsa::traits::PublicKeyParts as _;
use rsa::{RsaPrivateKey, RsaPublicKey};

use super::contract::ContractError;

/// The size Meta requires of the business's key.
pub const KEY_BITS: usize = 2048;
const PBKDF2_ITERATIONS: u32 = 600_000;

const PRIVATE_FORMS: &str = "-----BEGIN PRIVATE KEY----- (PKCS#8), -----BEGIN ENCRYPTED PRIVATE KEY----- \
     (PKCS#8 with a passphrase) or -----BEGIN RSA PRIVATE KEY----- (PKCS#1)";
const PUBLIC_FORMS: &str =
    "-----BEGIN PUBLIC KEY----- (SPKI, what Meta takes) or -----BEGIN RSA PUBLIC KEY----- (PKCS#1)";

/// A business's RSA private key. `Debug` shows only its size.
///
/// Held twice: as `rsa`'s key, which reads and writes every PEM form, and as AWS-LC's, which
/// unwraps the AES keys strangers send in constant time (RUSTSEC-2023-0071: `rsa` 0.9's
/// private-key operation is not; ARCHITECTURE.md) and ten times faster (BENCHMARKS.md).
#[derive(Clone)]
pub struct PrivateKey {
    key: RsaPrivateKey,
    unwrap: Arc<OaepPrivateDecryptingKey>,
}

/// A business's RSA public key.
#[derive(Clone, PartialEq, Eq)]
pub struct PublicKey(RsaPublicKey);

impl fmt::Debug for PrivateKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PrivateKey(RSA-{})", self.key.size() * 8)
    }
}

impl fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PublicKey(RSA-{})", self.0.size() * 8)
    }
}

impl PrivateKey {
    /// A new RSA-2048 key pair.
    pub fn generate() -> Result<Self, ContractError> {
        let key = RsaPrivateKey::new(&mut OsRng, KEY_BITS)
            .map_err(|error| ContractError::Rsa(error.to_string()))?;
        PrivateKey::new(key, "generated")
    }

    /// Reads a PEM private key; `passphrase` opens an encrypted PKCS#8 key and is ignored by the
    /// other forms.
    pub fn from_pem(text: &str, passphrase: Option<&str>) -> Result<Self, ContractError> {
        let text = unescape(text);
        let (label, block) = pem_block(&text).ok_or(ContractError::NotPem { expected: PRIVATE_FORMS })?;
        let key = match label {
            "RSA PRIVATE KEY" if block.contains("Proc-Type:") => {
                return Err(ContractError::LegacyEncrypted);
            }
            "RSA PRIVATE KEY" => RsaPrivateKey::from_pkcs1_pem(block)
                .map_err(|error| ContractError::Key { form: "PKCS#1", detail: error.to_string() })?,
            "PRIVATE KEY" => RsaPrivateKey::from_pkcs8_pem(block)
                .map_err(|error| ContractError::Key { form: "PKCS#8", detail: not_rsa(error.to_string()) })?,
            "ENCRYPTED PRIVATE KEY" => {
                let passphrase = passphrase.ok_or(ContractError::PassphraseNeeded)?;
                RsaPrivateKey::from_pkcs8_encrypted_pem(block, passphrase)
                    .map_err(|error| encrypted_error(&error))?
            }
            other => {
                return Err(ContractError::KeyForm { found: describe(other), expected: PRIVATE_FORMS });
            }
        };
        let form = match label {
            "RSA PRIVATE KEY" => "PKCS#1",
            "PRIVATE KEY" => "PKCS#8",
            _ => "encrypted PKCS#8",
        };
        PrivateKey::new(key, form)
    }

    /// Both forms of `key` (`form` names where it came from, for the error).
    fn new(key: RsaPrivateKey, form: &'static str) -> Result<Self, ContractError> {
        let unusable = |detail: String| ContractError::Key { form, detail };
        let der = key.to_pkcs8_der().map_err(|error| unusable(error.to_string()))?;
        let unwrap = PrivateDecryptingKey::from_pkcs8(der.as_bytes())
            .map_err(|error| {
                let bits = key.size() * 8;
                unusable(format!(
                    "an RSA-{bits} key, which AWS-LC refuses ({error}); Meta requires RSA-{KEY_BITS}"
                ))
            })
            .and_then(|key| {
                OaepPrivateDecryptingKey::new(key).map_err(|error| unusable(error.to_string()))
            })?;
        Ok(PrivateKey { key, unwrap: Arc::new(unwrap) })
    }

    /// The public half, to upload to Meta and to give the tester.
    pub fn public_key(&self) -> PublicKey {
        PublicKey(self.key.to_public_key())
    }

    /// The key as unencrypted PKCS#8 PEM.
    pub fn to_pem(&self) -> Result<String, ContractError> {
        self.key
            .to_pkcs8_pem(LineEnding::LF)
            .map(|pem| pem.to_string())
            .map_err(|error| ContractError::Rsa(error.to_string()))
    }

    /// The key as PKCS#8 PEM encrypted with a passphrase: PBES2 with PBKDF2-HMAC-SHA256 and
    /// AES-256-CBC, what OpenSSL writes and every library reads (scrypt, the crate's default, is
    /// not read by Java's or older OpenSSL's), at OWASP's 600,000 iterations.
    pub fn to_encrypted_pem(&self, passphrase: &str) -> Result<String, ContractError> {
        let failed = |error: &dyn fmt::Display| ContractError::Rsa(error.to_string());
        let mut salt = [0u8; 16];
        let mut iv = [0u8; 16];
        OsRng.fill_bytes(&mut salt);
        OsRng.fill_bytes(&mut iv);
        let params = pbes2::Parameters::pbkdf2_sha256_aes256cbc(PBKDF2_ITERATIONS, &salt, &iv)
            .map_err(|error| failed(&error))?;
        let der = self.key.to_pkcs8_der().map_err(|error| failed(&error))?;
        let info = PrivateKeyInfo::try_from(der.as_bytes()).map_err(|error| failed(&error))?;
        let sealed = info.encrypt_with_params(params, passphrase).map_err(|error| failed(&error))?;
        sealed
            .to_pem(EncryptedPrivateKeyInfo::PEM_LABEL, LineEnding::LF)
            .map(|pem| pem.to_string())
            .map_err(|error| failed(&error))
    }

    /// Unwraps an AES key wrapped with RSA-OAEP (SHA-256 for the hash and MGF1), in constant
    /// time: a padding error and a wrong key take the same path, and the caller answers both
    /// with the same bare 421.
    pub(super) fn unwrap_oaep_sha256(&self, wrapped: &[u8]) -> Result<Vec<u8>, ContractError> {
        let mut plain = vec![0u8; self.unwrap.min_output_size()];
        let found = self
            .unwrap
            .decrypt(&OAEP_SHA256_MGF1SHA256, wrapped, &mut plain, None)
            .map_err(|_| ContractError::KeyUnwrap)?;
        Ok(found.to_vec())
    }
}

impl PublicKey {
    /// Reads a PEM public key.
    pub fn from_pem(text: &str) -> Result<Self, ContractError> {
        let text = unescape(text);
        let (label, block) = pem_block(&text).ok_or(ContractError::NotPem { expected: PUBLIC_FORMS })?;
        let key = match label {
            "PUBLIC KEY" => RsaPublicKey::from_public_key_pem(block)
                .map_err(|error| ContractError::Key { form: "SPKI", detail: not_rsa(error.to_string()) })?,
            "RSA PUBLIC KEY" => RsaPublicKey::from_pkcs1_pem(block)
                .map_err(|error| ContractError::Key { form: "PKCS#1", detail: error.to_string() })?,
            other => {
                return Err(ContractError::KeyForm { found: describe(other), expected: PUBLIC_FORMS });
            }
        };
        Ok(PublicKey(key))
    }

    /// The key as SPKI PEM (`BEGIN PUBLIC KEY`), the form Meta's
    /// `whatsapp_business_encryption` takes.
    pub fn to_pem(&self) -> Result<String, ContractError> {
        self.0.to_public_key_pem(LineEnding::LF).map_err(|error| ContractError::Rsa(error.to_string()))
    }

    /// The key's size in bits (Meta requires 2048).
    pub fn bits(&self) -> usize {
        self.0.size() * 8
    }

    pub(super) fn rsa(&self) -> &RsaPublicKey {
        &self.0
    }
}

/// Keys kept in environment variables or JSON often arrive with `\n` written out.
fn unescape(text: &str) -> std::borrow::Cow<'_, str> {
    if text.contains("\\n") && !text.trim().contains('\n') {
        std::borrow::Cow::Owned(text.replace("\\n", "\n"))
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

/// The first PEM block: its label and its text from `-----BEGIN` to the end of its `-----END`
/// line (whatever comes before or after, such as OpenSSL's "Bag Attributes", is left out).
fn pem_block(text: &str) -> Option<(&str, &str)> {
    let start = text.find("-----BEGIN ")?;
    let rest = &text[start + "-----BEGIN ".len()..];
    let label = &rest[..rest.find("-----")?];
    let end_marker = format!("-----END {label}-----");
    let end = text[start..].find(&end_marker).map_or(text.len(), |at| start + at + end_marker.len());
    Some((label, &text[start..end]))
}

fn describe(label: &str) -> String {
    match label {
        "PUBLIC KEY" => "a public key (SPKI), not a private key".to_owned(),
        "RSA PUBLIC KEY" => "a public key (PKCS#1), not a private key".to_owned(),
        "PRIVATE KEY" | "ENCRYPTED PRIVATE KEY" | "RSA PRIVATE KEY" => {
            format!("a private key ({label}), not a public key")
        }
        "CERTIFICATE" => "a certificate, not a key".to_owned(),
        "OPENSSH PRIVATE KEY" => "an OpenSSH key (ssh-keygen's format)".to_owned(),
        "EC PRIVATE KEY" => "an elliptic-curve key, not an RSA key".to_owned(),
        other => format!("a PEM block \"{other}\""),
    }
}

/// PKCS#8 and SPKI hold any algorithm: a key of another one fails on its OID.
fn not_rsa(detail: String) -> String {
    if detail.contains("OID") || detail.contains("algorithm") {
        format!("it holds a key of another algorithm than RSA ({detail})")
    } else {
        detail
    }
}

fn encrypted_error(error: &rsa::pkcs8::Error) -> ContractError {
    match error {
        rsa::pkcs8::Error::EncryptedPrivateKey(rsa::pkcs8::pkcs5::Error::UnsupportedAlgorithm { oid }) => {
            ContractError::Key {
                form: "encrypted PKCS#8",
                detail: format!(
                    "it is encrypted with an algorithm not read here ({oid}); re-encrypt it: \
                     openssl pkcs8 -topk8 -v2 aes-256-cbc -in key.pem -out key.p8.pem"
                ),
            }
        }
        // A wrong passphrase shows as a padding error or, rarely, as garbage that is not DER.
        _ => ContractError::WrongPassphrase,
    }
}
