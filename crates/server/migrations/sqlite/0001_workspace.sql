-- The workspace: WhatsApp Business Accounts, flows, their versions and the event log.
-- Times are milliseconds since the Unix epoch (UTC). Kept in step with ../postgres/0001_workspace.sql:
-- the same tables, columns and meanings; only the types of the engine differ.

CREATE TABLE accounts (
    id TEXT PRIMARY KEY,
    backend TEXT NOT NULL,
    external_id TEXT NOT NULL,
    waba_id TEXT,
    name TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (backend, external_id)
);

CREATE TABLE flows (
    id TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts (id),
    name TEXT NOT NULL,
    name_folded TEXT NOT NULL,
    categories TEXT NOT NULL,
    status TEXT NOT NULL,
    meta_flow_id TEXT,
    json_definition TEXT NOT NULL,
    revision INTEGER NOT NULL,
    meta_revision INTEGER,
    meta_json_sha256 TEXT,
    validation_errors TEXT NOT NULL DEFAULT '[]',
    conflict_json TEXT,
    conflict_at INTEGER,
    source_flow_id TEXT,
    created_by TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at INTEGER NOT NULL,
    deleted_by TEXT,
    deleted_at INTEGER
);
-- Names are unique per account among flows not in the trash (WhatsApp's rule per WABA).
CREATE UNIQUE INDEX flows_unique_name ON flows (account_id, name) WHERE deleted_at IS NULL;
CREATE UNIQUE INDEX flows_by_meta_id ON flows (account_id, meta_flow_id) WHERE meta_flow_id IS NOT NULL;
CREATE INDEX flows_by_update ON flows (updated_at, id);
CREATE INDEX flows_by_account ON flows (account_id, updated_at);

CREATE TABLE versions (
    flow_id TEXT NOT NULL REFERENCES flows (id) ON DELETE CASCADE,
    revision INTEGER NOT NULL,
    name TEXT NOT NULL,
    json_definition TEXT NOT NULL,
    reason TEXT NOT NULL,
    label TEXT,
    author TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    validation_errors TEXT,
    PRIMARY KEY (flow_id, revision)
);

CREATE TABLE events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at INTEGER NOT NULL,
    actor TEXT NOT NULL,
    kind TEXT NOT NULL,
    account_id TEXT,
    flow_id TEXT,
    revision INTEGER,
    detail TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX events_by_flow ON events (flow_id, id);
