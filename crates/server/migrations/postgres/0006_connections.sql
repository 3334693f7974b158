-- Connections an admin stores: how the server reaches WhatsApp besides the one its flags
-- configure. Kept in step with ../sqlite/0006_connections.sql: the same tables and meanings.
--
-- `kind` is the backend (`360dialog`; Meta's Graph API joins as another kind). What is not
-- secret is in columns (`partner_id`, one connection per partner) or in `settings` (JSON, for
-- kinds with more); the credential itself is only in `secret_sealed`: base64 of a random
-- 24-byte nonce and its XChaCha20-Poly1305 ciphertext, with the row's id as associated data,
-- under the server key whose fingerprint is `key_id`. `secret_last4` is what people are shown.
CREATE TABLE connections (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    partner_id TEXT,
    settings TEXT NOT NULL DEFAULT '{}',
    secret_sealed TEXT NOT NULL,
    secret_last4 TEXT NOT NULL,
    key_id TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX connections_by_partner ON connections (partner_id) WHERE partner_id IS NOT NULL;

-- The connection an account was last listed through; NULL: the connection from flags.
ALTER TABLE accounts ADD COLUMN connection_id TEXT;
