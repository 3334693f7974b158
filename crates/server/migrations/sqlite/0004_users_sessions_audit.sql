-- Sign-in, roles and the audit trail. Times are milliseconds since the Unix epoch (UTC). Kept in
-- step with ../postgres/0004_users_sessions_audit.sql: the same tables, columns and meanings.

-- People who sign in. `name_key` is the name lowercased, so "Ana" and "ana" are one user.
-- `role` holds for every account but those `user_account_roles` names.
CREATE TABLE users (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    name_key TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

-- A user's role on one account (the workspace's account id), instead of their role for all.
CREATE TABLE user_account_roles (
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    account_id TEXT NOT NULL,
    role TEXT NOT NULL,
    PRIMARY KEY (user_id, account_id)
);

-- A session is found by the SHA-256 of its cookie's token: the token itself is never stored,
-- so a copy of the database signs no one in.
CREATE TABLE sessions (
    token_sha256 TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX sessions_by_user ON sessions (user_id);

-- Failed sign-ins per user name (`user:NAME`) and per address (`addr:IP`), so that every server
-- of a workspace slows and refuses the same guesses.
CREATE TABLE sign_in_failures (
    key TEXT PRIMARY KEY,
    failures INTEGER NOT NULL,
    last_at INTEGER NOT NULL
);

CREATE TABLE audit (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at INTEGER NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    account TEXT,
    flow TEXT,
    outcome TEXT NOT NULL,
    detail TEXT
);
CREATE INDEX audit_by_time ON audit (at, id);
