-- The channel API key of a 360dialog account: 360dialog's messaging API
-- (`POST https://waba-v2.360dialog.io/messages`) sends only with the channel's own
-- `D360-API-KEY`, not the partner key. Kept in step with ../postgres/0010_channel_keys.sql.
--
-- Sealed like the connections' credentials (0006): `key_sealed` is base64 of a random 24-byte
-- nonce and its XChaCha20-Poly1305 ciphertext, with `channel_key:` and the account's id as
-- associated data, under the server key whose fingerprint is `key_id`. `key_last4` is all that
-- is ever shown. One key per account; storing another replaces it.
CREATE TABLE channel_keys (
    account_id TEXT PRIMARY KEY REFERENCES accounts (id),
    key_sealed TEXT NOT NULL,
    key_id TEXT NOT NULL,
    key_last4 TEXT NOT NULL,
    set_by TEXT NOT NULL,
    set_at INTEGER NOT NULL
);
