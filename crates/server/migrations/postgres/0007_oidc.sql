-- Single sign-on (OpenID Connect). Times are milliseconds since the Unix epoch (UTC). Kept in
-- step with ../sqlite/0007_oidc.sql: the same tables, columns and meanings.

-- Who a person is at an identity provider: its issuer and their subject there. A user created
-- at their first single sign-on is found by this, never by name (the provider's names could
-- otherwise take over a user added by hand). Removed with the user.
CREATE TABLE user_identities (
    issuer TEXT NOT NULL,
    subject TEXT NOT NULL,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (issuer, subject)
);
CREATE INDEX user_identities_by_user ON user_identities (user_id);

-- Sign-ins sent to the identity provider and not yet back: kept in the database, not in one
-- server's memory, so the provider may send the browser back to any server of the workspace.
-- Found by the SHA-256 of the `state` parameter, bound to the browser that started it by the
-- SHA-256 of a cookie, taken (deleted) at the first return so a state cannot be replayed.
CREATE TABLE oidc_logins (
    state_sha256 TEXT PRIMARY KEY,
    browser_sha256 TEXT NOT NULL,
    pkce_verifier TEXT NOT NULL,
    nonce TEXT NOT NULL,
    next TEXT NOT NULL,
    expires_at BIGINT NOT NULL
);
