-- Each account's RSA key pair for WhatsApp Flows' endpoint contract (endpoint/account_key/).
-- Times are milliseconds since the Unix epoch (UTC). Kept in step with
-- ../postgres/0009_endpoint_keys.sql: the same table, columns and meanings.
--
-- The public key is kept as SPKI PEM (what WhatsApp takes) with its fingerprint (SHA-256 of
-- its DER). The private key is only in `private_sealed`: its PKCS#8 PEM sealed like the
-- connections' credentials (XChaCha20-Poly1305, base64 of nonce and ciphertext, the text
-- `endpoint-key:<account id>` as associated data) under the server key whose fingerprint is
-- `key_id`. `origin` is `generated` or `imported`. `downloaded_at` set: the private key
-- was handed out once and never is again. `uploaded_at`: when this public key was last sent
-- to WhatsApp through the account's backend, and `signature_status` what WhatsApp said of it
-- last (`VALID` or `MISMATCH`). A new key pair replaces the row.
CREATE TABLE endpoint_keys (
    account_id TEXT PRIMARY KEY REFERENCES accounts (id),
    public_key_pem TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    private_sealed TEXT NOT NULL,
    key_id TEXT NOT NULL,
    origin TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    downloaded_by TEXT,
    downloaded_at INTEGER,
    uploaded_by TEXT,
    uploaded_at INTEGER,
    signature_status TEXT,
    status_checked_at INTEGER
);
