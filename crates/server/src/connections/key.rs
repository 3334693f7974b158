//! The server key that seals credentials at rest, and where it comes from.
//!
//! A key is 32 random bytes, written as base64 (`openssl rand -base64 32`): in
//! `FLOWSMITH_SECRET_KEY`, or in the key file `secret.key` of the data folder, which the first
//! start creates (mode 0600) and no start ever overwrites. A file other users may read, or one
//! that cannot be read or does not hold a key, stops the server with a message saying which.
//!
//! Sealing is XChaCha20-Poly1305 (RustCrypto's `chacha20poly1305`): a random 24-byte nonce per
//! encryption (so random nonces never repeat in practice, however many times a credential is
//! replaced), the connection's row id as associated data (a ciphertext moved to another row
//! does not open), stored as base64 of nonce and ciphertext. Each sealed value is stored with
//! the fingerprint of the key that sealed it ([`ServerKey::id`]), so a server started with
//! another key says so instead of failing to authenticate.
use std::fmt;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use base64::Engine as _;
use chacha20poly1305::aead::{Aead as _, KeyInit as _, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use sha2::{Digest as _, Sha256};

use crate::config::Secret;

/// The key file's name in the data folder.
pub const KEY_FILE: &str = "secret.key";
/// Where `flowsmith secret rotate` writes the new key before the database takes it.
pub const PENDING_KEY_FILE: &str = "secret.key.new";
/// The environment variable that holds the key instead of the file.
pub const KEY_ENV: &str = "FLOWSMITH_SECRET_KEY";
/// How long a key is, in bytes.
pub const KEY_BYTES: usize = 32;
const NONCE_BYTES: usize = 24;

/// The key credentials are sealed with; `Debug` shows only its fingerprint.
pub struct ServerKey {
    cipher: XChaCha20Poly1305,
    id: String,
}

impl fmt::Debug for ServerKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ServerKey({})", self.id)
    }
}

/// A credential sealed under a key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sealed {
    /// base64 of nonce and ciphertext.
    pub text: String,
    /// The fingerprint of the key that sealed it.
    pub key_id: String,
}

/// Why a sealed credential did not open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OpenError {
    /// It was sealed under another key (its fingerprint, and this server's).
    OtherKey {
        /// The key it was sealed with.
        sealed_with: String,
        /// This server's key.
        server: String,
    },
    /// The same key, but the ciphertext was changed, cut, or moved from another row.
    Tampered,
}

impl fmt::Display for OpenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OpenError::OtherKey { sealed_with, server } => write!(
                f,
                "it was stored under the server key {sealed_with}, and this server's key is {server}: \
                 start the server with the key it was stored with ({KEY_ENV} or the data folder's \
                 {KEY_FILE}), or add the credential again"
            ),
            OpenError::Tampered => f.write_str(
                "its stored ciphertext does not decrypt under this server's key (it was changed or \
                 damaged in the database): add the credential again",
            ),
        }
    }
}

impl ServerKey {
    /// A fresh random key and its text (base64), to keep.
    pub fn generate() -> (ServerKey, Secret) {
        let mut bytes = [0_u8; KEY_BYTES];
        // getrandom only fails where the OS has no randomness at all; no key can be made then.
        getrandom::fill(&mut bytes).expect("the operating system's random number generator");
        let text = base64::engine::general_purpose::STANDARD.encode(bytes);
        (ServerKey::from_bytes(&bytes), Secret::new(text))
    }

    /// The key written as `text` (base64 of 32 bytes, standard or URL-safe alphabet, padded or
    /// not; surrounding whitespace ignored). The error never repeats the text.
    pub fn parse(text: &str) -> Result<ServerKey, String> {
        let trimmed = text.trim().trim_end_matches('=');
        let bytes = base64::engine::general_purpose::STANDARD_NO_PAD
            .decode(trimmed)
            .or_else(|_| base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(trimmed))
            .map_err(|_| "is not base64".to_owned())?;
        let bytes: [u8; KEY_BYTES] = bytes
            .try_into()
            .map_err(|bytes: Vec<u8>| format!("holds {} bytes, not {KEY_BYTES}", bytes.len()))?;
        Ok(ServerKey::from_bytes(&bytes))
    }

    fn from_bytes(bytes: &[u8; KEY_BYTES]) -> ServerKey {
        let mut digest = Sha256::new();
        digest.update(b"flowsmith server key id\0");
        digest.update(bytes);
        let id = digest.finalize()[..8].iter().map(|byte| format!("{byte:02x}")).collect();
        ServerKey { cipher: XChaCha20Poly1305::new(bytes.into()), id }
    }

    /// The key's fingerprint: 16 hex digits of a SHA-256 of it (it tells keys apart and says
    /// nothing of the key).
    pub fn id(&self) -> &str {
        &self.id
    }

    /// Seals `plaintext` for the row `row_id`, under a fresh random nonce.
    pub fn seal(&self, row_id: &str, plaintext: &str) -> Sealed {
        let mut nonce = [0_u8; NONCE_BYTES];
        getrandom::fill(&mut nonce).expect("the operating system's random number generator");
        let payload = Payload { msg: plaintext.as_bytes(), aad: row_id.as_bytes() };
        // Encryption fails only for messages of more than 256 GB.
        let ciphertext =
            self.cipher.encrypt(XNonce::from_slice(&nonce), payload).expect("a credential fits the cipher");
        let mut stored = nonce.to_vec();
        stored.extend_from_slice(&ciphertext);
        Sealed { text: base64::engine::general_purpose::STANDARD.encode(stored), key_id: self.id.clone() }
    }

    /// Opens what [`ServerKey::seal`] sealed for `row_id`.
    pub fn open(&self, row_id: &str, sealed: &Sealed) -> Result<Secret, OpenError> {
        if sealed.key_id != self.id {
            return Err(OpenError::OtherKey { sealed_with: sealed.key_id.clone(), server: self.id.clone() });
        }
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(&sealed.text)
            .map_err(|_| OpenError::Tampered)?;
        if bytes.len() < NONCE_BYTES {
            return Err(OpenError::Tampered);
        }
        let (nonce, ciphertext) = bytes.split_at(NONCE_BYTES);
        let plain = self
            .cipher
            .decrypt(XNonce::from_slice(nonce), Payload { msg: ciphertext, aad: row_id.as_bytes() })
            .map_err(|_| OpenError::Tampered)?;
        String::from_utf8(plain).map(Secret::new).map_err(|_| OpenError::Tampered)
    }

    /// What a server key rotation does to one sealed value: `sealed` opened with this (the old)
    /// key and sealed again with `new`; `None` when it is under `new` already (a rotation that
    /// stopped before the key file moved). Every table of secrets rotates through this.
    pub fn reseal(
        &self,
        new: &ServerKey,
        row_id: &str,
        sealed: &Sealed,
    ) -> Result<Option<Sealed>, OpenError> {
        match self.open(row_id, sealed) {
            Ok(secret) => Ok(Some(new.seal(row_id, secret.expose()))),
            Err(OpenError::OtherKey { .. }) if sealed.key_id == new.id() => Ok(None),
            Err(error) => Err(error),
        }
    }
}

/// Where a server's key came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeySource {
    /// `FLOWSMITH_SECRET_KEY`.
    Environment,
    /// This key file (created now when `created`).
    File {
        /// The file.
        path: PathBuf,
        /// Whether this start created it.
        created: bool,
    },
}

/// The server's key: from `from_env` (`FLOWSMITH_SECRET_KEY`) when set, else from the key file
/// in `data_dir`, created with a fresh key when there is none.
pub fn load(data_dir: &Path, from_env: Option<&Secret>) -> Result<(ServerKey, KeySource), String> {
    if let Some(text) = from_env {
        let key = ServerKey::parse(text.expose()).map_err(|problem| {
            format!(
                "{KEY_ENV} {problem}: it must be 32 random bytes in base64, e.g. the output of \
                 `openssl rand -base64 32`"
            )
        })?;
        return Ok((key, KeySource::Environment));
    }
    let path = data_dir.join(KEY_FILE);
    let pending = data_dir.join(PENDING_KEY_FILE);
    if pending.exists() {
        return Err(format!(
            "a key rotation was interrupted ('{}' exists): run `flowsmith secret rotate` again with the \
             same --data-dir and --database-url to finish it",
            pending.display()
        ));
    }
    match read_key_file(&path)? {
        Some(key) => Ok((key, KeySource::File { path, created: false })),
        None => {
            std::fs::create_dir_all(data_dir).map_err(|error| {
                format!("cannot create the data folder '{}': {error}", data_dir.display())
            })?;
            let (key, text) = ServerKey::generate();
            match write_key_file(&path, &text) {
                Ok(()) => Ok((key, KeySource::File { path, created: true })),
                // Another process created it first: use theirs.
                Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => {
                    let key =
                        read_key_file(&path)?.ok_or_else(|| format!("'{}' vanished", path.display()))?;
                    Ok((key, KeySource::File { path, created: false }))
                }
                Err(error) => Err(format!("cannot create the server key file '{}': {error}", path.display())),
            }
        }
    }
}

/// The key in the file at `path`, `None` when there is no file. Refuses a file other users may
/// read, one that cannot be read, and one that does not hold a key.
pub fn read_key_file(path: &Path) -> Result<Option<ServerKey>, String> {
    let shown = path.display();
    let metadata = match std::fs::metadata(path) {
        Ok(metadata) => metadata,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(error) => return Err(format!("cannot read the server key file '{shown}': {error}")),
    };
    if !metadata.is_file() {
        return Err(format!("the server key file '{shown}' is not a file: move it away, or set {KEY_ENV}"));
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = metadata.permissions().mode() & 0o777;
        if mode & 0o077 != 0 {
            return Err(format!(
                "the server key file '{shown}' can be read by other users (mode {mode:03o}): \
                 run `chmod 600 '{shown}'` and start again"
            ));
        }
    }
    let text = std::fs::read_to_string(path)
        .map_err(|error| format!("cannot read the server key file '{shown}': {error}"))?;
    ServerKey::parse(&text).map(Some).map_err(|problem| {
        format!(
            "the server key file '{shown}' {problem}: it must hold 32 bytes in base64 on one line; \
             restore it from a backup (the stored credentials need it)"
        )
    })
}

/// Writes `text` as a new key file at `path` (mode 0600 from the start; never over an
/// existing file), flushed to disk.
pub fn write_key_file(path: &Path, text: &Secret) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    file.write_all(text.expose().as_bytes())?;
    file.write_all(b"\n")?;
    file.sync_all()?;
    sync_dir(path)
}

/// Flushes the folder of `path` (a new or renamed entry in it survives a crash).
pub fn sync_dir(path: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    if let Some(dir) = path.parent() {
        let dir = if dir.as_os_str().is_empty() { Path::new(".") } else { dir };
        std::fs::File::open(dir)?.sync_all()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_values_open_only_for_their_row_under_their_key() {
        let (key, text) = ServerKey::generate();
        let sealed = key.seal("row-1", "pk_live_123");
        assert!(!sealed.text.contains("pk_live"));
        assert_eq!(key.open("row-1", &sealed).unwrap().expose(), "pk_live_123");
        assert_ne!(key.seal("row-1", "pk_live_123").text, sealed.text, "a fresh nonce each time");
        assert_eq!(key.open("row-2", &sealed), Err(OpenError::Tampered));
        let mut flipped = base64::engine::general_purpose::STANDARD.decode(&sealed.text).unwrap();
        let last = flipped.len() - 1;
        flipped[last] ^= 1;
        let tampered = Sealed {
            text: base64::engine::general_purpose::STANDARD.encode(flipped),
            key_id: sealed.key_id.clone(),
        };
        assert_eq!(key.open("row-1", &tampered), Err(OpenError::Tampered));
        let (other, _) = ServerKey::generate();
        assert!(matches!(other.open("row-1", &sealed), Err(OpenError::OtherKey { .. })));
        // The text reads back as the same key.
        assert_eq!(ServerKey::parse(text.expose()).unwrap().id(), key.id());
        assert_eq!(format!("{key:?}"), format!("ServerKey({})", key.id()));
    }

    #[test]
    fn keys_are_32_bytes_of_base64() {
        let (_, text) = ServerKey::generate();
        let url_safe = text.expose().replace('+', "-").replace('/', "_");
        assert!(ServerKey::parse(&format!("  {url_safe}\n")).is_ok());
        assert_eq!(ServerKey::parse("c2hvcnQ=").unwrap_err(), "holds 5 bytes, not 32");
        assert_eq!(ServerKey::parse("not base64!").unwrap_err(), "is not base64");
    }
}
