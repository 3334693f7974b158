//! The SQL of sent messages, flow responses and 360dialog's webhook paths (migration 0008,
//! both engines), in the workspace store's one code path ([`crate::workspace::store`]).
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row as _};

use crate::workspace::store::StoreResult;

/// A flow message sent to a phone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SentMessage {
    /// The workspace's id.
    pub id: String,
    /// The workspace's flow.
    pub flow_id: String,
    /// The account it was sent from.
    pub account_id: String,
    /// The phone, E.164 digits without `+`.
    pub to_phone: String,
    /// The `flow_token` sent with it (the reply carries it back).
    pub flow_token: Option<String>,
    /// WhatsApp's id of the message (`wamid.…`), once the backend answered.
    pub message_id: Option<String>,
    /// `draft` or `published`.
    pub mode: String,
    /// Who sent it.
    pub sent_by: String,
    /// When.
    pub sent_at: i64,
    /// `accepted` (by the backend), `sent`, `delivered`, `read` or `failed`.
    pub status: String,
    /// When it took that status (WhatsApp's time for updates).
    pub status_at: i64,
    /// Why it failed, as WhatsApp said.
    pub status_detail: Option<String>,
}

const SENT_COLUMNS: &str = "id, flow_id, account_id, to_phone, flow_token, message_id, mode, sent_by, sent_at, \
                            status, status_at, status_detail";

fn sent_from(row: &AnyRow) -> StoreResult<SentMessage> {
    Ok(SentMessage {
        id: row.try_get(0)?,
        flow_id: row.try_get(1)?,
        account_id: row.try_get(2)?,
        to_phone: row.try_get(3)?,
        flow_token: row.try_get(4)?,
        message_id: row.try_get(5)?,
        mode: row.try_get(6)?,
        sent_by: row.try_get(7)?,
        sent_at: row.try_get(8)?,
        status: row.try_get(9)?,
        status_at: row.try_get(10)?,
        status_detail: row.try_get(11)?,
    })
}

/// Records a sent message.
pub async fn insert_sent(connection: &mut AnyConnection, sent: &SentMessage) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO sent_messages (id, flow_id, account_id, to_phone, flow_token, message_id, mode, sent_by,
             sent_at, status, status_at, status_detail)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
    )
    .bind(&sent.id)
    .bind(&sent.flow_id)
    .bind(&sent.account_id)
    .bind(&sent.to_phone)
    .bind(sent.flow_token.as_deref())
    .bind(sent.message_id.as_deref())
    .bind(&sent.mode)
    .bind(&sent.sent_by)
    .bind(sent.sent_at)
    .bind(&sent.status)
    .bind(sent.status_at)
    .bind(sent.status_detail.as_deref())
    .execute(&mut *connection)
    .await?;
    Ok(())
}

/// What was sent of a flow, newest first, at most `limit`.
pub async fn sent_of_flow(
    connection: &mut AnyConnection,
    flow_id: &str,
    limit: i64,
) -> StoreResult<Vec<SentMessage>> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {SENT_COLUMNS} FROM sent_messages WHERE flow_id = $1 ORDER BY sent_at DESC, id DESC LIMIT $2"
    )))
    .bind(flow_id)
    .bind(limit)
    .fetch_all(&mut *connection)
    .await?;
    rows.iter().map(sent_from).collect()
}

/// The sent message WhatsApp knows as `message_id`.
pub async fn sent_by_message_id(
    connection: &mut AnyConnection,
    message_id: &str,
) -> StoreResult<Option<SentMessage>> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {SENT_COLUMNS} FROM sent_messages WHERE message_id = $1"
    )))
    .bind(message_id)
    .fetch_optional(&mut *connection)
    .await?;
    row.as_ref().map(sent_from).transpose()
}

/// The newest message sent with `flow_token`: to `phone` if one was, else to anyone (a token
/// may be shared by a campaign); only of `account` when given.
pub async fn sent_by_token(
    connection: &mut AnyConnection,
    flow_token: &str,
    phone: &str,
    account: Option<&str>,
) -> StoreResult<Option<SentMessage>> {
    let account_filter = if account.is_some() { " AND account_id = $3" } else { "" };
    let mut query = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {SENT_COLUMNS} FROM sent_messages WHERE flow_token = $1{account_filter}
         ORDER BY CASE WHEN to_phone = $2 THEN 0 ELSE 1 END, sent_at DESC, id DESC LIMIT 1"
    )))
    .bind(flow_token)
    .bind(phone);
    if let Some(account) = account {
        query = query.bind(account);
    }
    let row = query.fetch_optional(&mut *connection).await?;
    row.as_ref().map(sent_from).transpose()
}

/// How far along a status is: a status update never moves a message back (WhatsApp may
/// deliver `read` before `delivered`).
pub fn status_rank(status: &str) -> i64 {
    match status {
        "sent" => 1,
        "delivered" => 2,
        "read" => 3,
        "failed" => 4,
        _ => 0,
    }
}

/// Moves the message WhatsApp knows as `message_id` to `status` if that is further along;
/// answers whether it did.
pub async fn update_status(
    connection: &mut AnyConnection,
    message_id: &str,
    status: &str,
    at: i64,
    detail: Option<&str>,
) -> StoreResult<bool> {
    let done = sqlx::query(
        "UPDATE sent_messages SET status = $2, status_at = $3, status_detail = $4
         WHERE message_id = $1 AND (CASE status WHEN 'sent' THEN 1 WHEN 'delivered' THEN 2 WHEN 'read' THEN 3
             WHEN 'failed' THEN 4 ELSE 0 END) < $5",
    )
    .bind(message_id)
    .bind(status)
    .bind(at)
    .bind(detail)
    .bind(status_rank(status))
    .execute(&mut *connection)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// A completed flow, as WhatsApp delivered it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlowResponse {
    /// The workspace's id.
    pub id: String,
    /// WhatsApp's id of the inbound reply (a delivery sent again has the same).
    pub message_id: String,
    /// The flow it answers; `None` when it matched no sent message.
    pub flow_id: Option<String>,
    /// The account it came to, when known.
    pub account_id: Option<String>,
    /// The sent message it answers.
    pub sent_message_id: Option<String>,
    /// Who answered (E.164 digits, as WhatsApp gives `from`).
    pub phone: String,
    /// The `flow_token` inside the answer.
    pub flow_token: Option<String>,
    /// `response_json` as WhatsApp sent it (a JSON object as text).
    pub response_json: String,
    /// WhatsApp's time of the reply.
    pub replied_at: Option<i64>,
    /// When this server received it.
    pub received_at: i64,
}

const RESPONSE_COLUMNS: &str = "id, message_id, flow_id, account_id, sent_message_id, phone, flow_token, \
                                response_json, replied_at, received_at";

fn response_from(row: &AnyRow) -> StoreResult<FlowResponse> {
    Ok(FlowResponse {
        id: row.try_get(0)?,
        message_id: row.try_get(1)?,
        flow_id: row.try_get(2)?,
        account_id: row.try_get(3)?,
        sent_message_id: row.try_get(4)?,
        phone: row.try_get(5)?,
        flow_token: row.try_get(6)?,
        response_json: row.try_get(7)?,
        replied_at: row.try_get(8)?,
        received_at: row.try_get(9)?,
    })
}

/// Records a response; answers `false` when one with its `message_id` is already recorded (a
/// delivery sent again), which is left as it was.
pub async fn insert_response(connection: &mut AnyConnection, response: &FlowResponse) -> StoreResult<bool> {
    let done = sqlx::query(
        "INSERT INTO flow_responses (id, message_id, flow_id, account_id, sent_message_id, phone, flow_token,
             response_json, replied_at, received_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
         ON CONFLICT (message_id) DO NOTHING",
    )
    .bind(&response.id)
    .bind(&response.message_id)
    .bind(response.flow_id.as_deref())
    .bind(response.account_id.as_deref())
    .bind(response.sent_message_id.as_deref())
    .bind(&response.phone)
    .bind(response.flow_token.as_deref())
    .bind(&response.response_json)
    .bind(response.replied_at)
    .bind(response.received_at)
    .execute(&mut *connection)
    .await?;
    let inserted = done.rows_affected() == 1;
    if inserted && let Some(flow_id) = &response.flow_id {
        sqlx::query(
            "INSERT INTO flow_response_days (flow_id, day, responses) VALUES ($1, $2, 1)
             ON CONFLICT (flow_id, day) DO UPDATE SET responses = flow_response_days.responses + 1",
        )
        .bind(flow_id)
        .bind(response.received_at.div_euclid(DAY_MS))
        .execute(&mut *connection)
        .await?;
    }
    Ok(inserted)
}

/// A day in milliseconds.
const DAY_MS: i64 = 86_400_000;

/// Which responses of a flow: received in `[from, to)` (milliseconds), a page of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ResponseQuery {
    /// Received at or after.
    pub from: Option<i64>,
    /// Received before.
    pub to: Option<i64>,
    /// Responses to skip (newest first).
    pub offset: i64,
    /// At most this many.
    pub limit: i64,
}

impl ResponseQuery {
    /// The time condition after `flow_id = $1`, with its values from `$2`.
    fn filter(&self) -> (String, Vec<i64>) {
        let mut filter = String::from("flow_id = $1");
        let mut values = Vec::new();
        for (condition, value) in [(" AND received_at >= ", self.from), (" AND received_at < ", self.to)] {
            if let Some(value) = value {
                values.push(value);
                filter.push_str(condition);
                filter.push_str(&format!("${}", values.len() + 1));
            }
        }
        (filter, values)
    }
}

/// A page of a flow's responses, newest first (how many match in all is the sum of
/// [`counts_per_day`]: one pass over the index fewer).
pub async fn responses(
    connection: &mut AnyConnection,
    flow_id: &str,
    query: &ResponseQuery,
) -> StoreResult<Vec<FlowResponse>> {
    let (filter, values) = query.filter();
    // The page's ids from the index alone, then only those rows (as the flows list does):
    // skipping 100,000 responses then never reads their `response_json`.
    let (limit, offset) = (values.len() + 2, values.len() + 3);
    let mut page = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {RESPONSE_COLUMNS} FROM flow_responses WHERE id IN \
         (SELECT id FROM flow_responses WHERE {filter} ORDER BY received_at DESC, id DESC LIMIT ${limit} OFFSET ${offset}) \
         ORDER BY received_at DESC, id DESC"
    )))
    .bind(flow_id);
    for value in &values {
        page = page.bind(*value);
    }
    let rows = page.bind(query.limit).bind(query.offset).fetch_all(&mut *connection).await?;
    rows.iter().map(response_from).collect()
}

/// How many responses of a flow arrived each UTC day in the query's time range: (the day's
/// first millisecond, count), oldest first. Whole days are read from `flow_response_days`; a
/// range's partial first and last days are counted from the responses (at most a day of them).
pub async fn counts_per_day(
    connection: &mut AnyConnection,
    flow_id: &str,
    query: &ResponseQuery,
) -> StoreResult<Vec<(i64, i64)>> {
    let (from, to) = (query.from.unwrap_or(i64::MIN), query.to.unwrap_or(i64::MAX));
    if from >= to {
        return Ok(Vec::new());
    }
    // Whole days: [first, end) in days; `None` bounds are open.
    let first = query.from.map(|from| from.div_euclid(DAY_MS) + i64::from(from.rem_euclid(DAY_MS) != 0));
    let end = query.to.map(|to| to.div_euclid(DAY_MS));
    let mut counts = Vec::new();
    if first.zip(end).is_some_and(|(first, end)| first >= end) {
        // Within one day or two partial ones: few enough to count.
        counts.extend(count_days(connection, flow_id, from, to).await?);
    } else {
        if let (Some(from), Some(first)) = (query.from, first)
            && from < first * DAY_MS
        {
            counts.extend(count_days(connection, flow_id, from, first * DAY_MS).await?);
        }
        let mut filter = String::from("flow_id = $1");
        let mut values = Vec::new();
        for (condition, value) in [(" AND day >= ", first), (" AND day < ", end)] {
            if let Some(value) = value {
                values.push(value);
                filter.push_str(&format!("{condition}${}", values.len() + 1));
            }
        }
        let mut select = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT day, responses FROM flow_response_days WHERE {filter} ORDER BY day"
        )))
        .bind(flow_id);
        for value in values {
            select = select.bind(value);
        }
        for row in select.fetch_all(&mut *connection).await? {
            counts.push((row.try_get::<i64, _>(0)? * DAY_MS, row.try_get(1)?));
        }
        if let (Some(to), Some(end)) = (query.to, end)
            && to > end * DAY_MS
        {
            counts.extend(count_days(connection, flow_id, end * DAY_MS, to).await?);
        }
    }
    counts.retain(|(_, count)| *count > 0);
    Ok(counts)
}

/// Responses of a flow received in `[from, to)`, counted per day from the responses.
async fn count_days(
    connection: &mut AnyConnection,
    flow_id: &str,
    from: i64,
    to: i64,
) -> StoreResult<Vec<(i64, i64)>> {
    let rows = sqlx::query(
        "SELECT received_at / 86400000 AS day, COUNT(*) FROM flow_responses
         WHERE flow_id = $1 AND received_at >= $2 AND received_at < $3 GROUP BY day ORDER BY day",
    )
    .bind(flow_id)
    .bind(from)
    .bind(to)
    .fetch_all(&mut *connection)
    .await?;
    rows.iter().map(|row| Ok((row.try_get::<i64, _>(0)? * DAY_MS, row.try_get(1)?))).collect()
}

/// Gives `account_id` a new secret webhook path (its SHA-256), replacing the old one.
pub async fn set_webhook_secret(
    connection: &mut AnyConnection,
    account_id: &str,
    secret_sha256: &str,
    by: &str,
    at: i64,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO account_webhooks (account_id, secret_sha256, created_by, created_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (account_id) DO UPDATE SET secret_sha256 = excluded.secret_sha256,
             created_by = excluded.created_by, created_at = excluded.created_at",
    )
    .bind(account_id)
    .bind(secret_sha256)
    .bind(by)
    .bind(at)
    .execute(&mut *connection)
    .await?;
    Ok(())
}

/// The account whose webhook path has this secret (by its SHA-256).
pub async fn account_of_webhook_secret(
    connection: &mut AnyConnection,
    secret_sha256: &str,
) -> StoreResult<Option<String>> {
    let row = sqlx::query("SELECT account_id FROM account_webhooks WHERE secret_sha256 = $1")
        .bind(secret_sha256)
        .fetch_optional(&mut *connection)
        .await?;
    row.map(|row| row.try_get(0)).transpose().map_err(Into::into)
}

/// The workspace's account whose WhatsApp Business Account id is `waba_id` (Meta's
/// deliveries name it as `entry[].id`).
pub async fn account_of_waba(connection: &mut AnyConnection, waba_id: &str) -> StoreResult<Option<String>> {
    let row = sqlx::query("SELECT id FROM accounts WHERE waba_id = $1 ORDER BY id LIMIT 1")
        .bind(waba_id)
        .fetch_optional(&mut *connection)
        .await?;
    row.map(|row| row.try_get(0)).transpose().map_err(Into::into)
}

/// The workspace's account that a WhatsApp id names: its WABA id (Meta's) or its id at the
/// backend (the sandbox's and 360dialog's `waba_accounts/{id}`).
pub async fn account_of_whatsapp_id(connection: &mut AnyConnection, id: &str) -> StoreResult<Option<String>> {
    let row =
        sqlx::query("SELECT id FROM accounts WHERE waba_id = $1 OR external_id = $1 ORDER BY id LIMIT 1")
            .bind(id)
            .fetch_optional(&mut *connection)
            .await?;
    row.map(|row| row.try_get(0)).transpose().map_err(Into::into)
}
