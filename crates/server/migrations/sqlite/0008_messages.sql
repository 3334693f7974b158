-- Flow messages sent to phones, what people answered, and where 360dialog delivers those
-- answers. Times are milliseconds since the Unix epoch (UTC). Kept in step with
-- ../postgres/0008_messages.sql: the same tables, columns and meanings.

-- A `type: flow` message sent to a phone. `message_id` is WhatsApp's id of it (`wamid.…`),
-- which the replies name in `context.id` and the status updates in `id`; `status` moves
-- forward only (accepted, sent, delivered, read; failed), with the time WhatsApp gave.
-- Purging a flow from the trash purges what was sent of it and the answers.
CREATE TABLE sent_messages (
    id TEXT PRIMARY KEY,
    flow_id TEXT NOT NULL REFERENCES flows (id) ON DELETE CASCADE,
    account_id TEXT NOT NULL REFERENCES accounts (id),
    to_phone TEXT NOT NULL,
    flow_token TEXT,
    message_id TEXT,
    mode TEXT NOT NULL,
    sent_by TEXT NOT NULL,
    sent_at INTEGER NOT NULL,
    status TEXT NOT NULL,
    status_at INTEGER NOT NULL,
    status_detail TEXT
);
CREATE UNIQUE INDEX sent_messages_by_message ON sent_messages (message_id) WHERE message_id IS NOT NULL;
CREATE INDEX sent_messages_by_token ON sent_messages (flow_token, sent_at) WHERE flow_token IS NOT NULL;
CREATE INDEX sent_messages_by_flow ON sent_messages (flow_id, sent_at);

-- A completed flow (`nfm_reply`). `message_id` is WhatsApp's id of the inbound reply: unique,
-- so a delivery WhatsApp sends again is recorded once. `flow_id` is NULL when the reply
-- matched no sent message (kept, so an answer is never lost; not listed under any flow).
-- `replied_at` is WhatsApp's time of the reply, `received_at` ours.
CREATE TABLE flow_responses (
    id TEXT PRIMARY KEY,
    message_id TEXT NOT NULL UNIQUE,
    flow_id TEXT REFERENCES flows (id) ON DELETE CASCADE,
    account_id TEXT REFERENCES accounts (id),
    sent_message_id TEXT REFERENCES sent_messages (id) ON DELETE SET NULL,
    phone TEXT NOT NULL,
    flow_token TEXT,
    response_json TEXT NOT NULL,
    replied_at INTEGER,
    received_at INTEGER NOT NULL
);
-- A flow's page of responses, newest first, from the index alone.
CREATE INDEX flow_responses_by_flow ON flow_responses (flow_id, received_at, id);

-- How many responses each flow received each UTC day (`day`: days since the epoch), counted as
-- each is recorded: the counts per day of 100,000 responses then read a row per day, not every
-- response (BENCHMARKS.md).
CREATE TABLE flow_response_days (
    flow_id TEXT NOT NULL REFERENCES flows (id) ON DELETE CASCADE,
    day INTEGER NOT NULL,
    responses INTEGER NOT NULL,
    PRIMARY KEY (flow_id, day)
);

-- The secret path 360dialog delivers an account's webhooks to (`/webhooks/360dialog/{secret}`):
-- 360dialog does not sign deliveries, so the unguessable path is the check. Only its SHA-256
-- is kept; making a new one replaces the old.
CREATE TABLE account_webhooks (
    account_id TEXT PRIMARY KEY REFERENCES accounts (id),
    secret_sha256 TEXT NOT NULL UNIQUE,
    created_by TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
