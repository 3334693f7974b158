//! Flow messages sent to phones and what people answered (issue 20): the record of sent
//! messages (`store.rs`, written by sending), WhatsApp's webhook deliveries (`webhook.rs`:
//! Meta's signature, the Cloud API's shape), the responses as people see them
//! (`responses.rs`: masking, CSV) and the routes (`routes.rs`).
//!
//! Decisions, each tested in `tests/webhooks.rs`:
//! - a delivery is recorded whole in one transaction, or not at all; it is acknowledged (200)
//!   only once it is on disk, so WhatsApp's retry covers any failure;
//! - a reply is matched to the sent message it answers by `context.id`, else by the
//!   `flow_token` inside `response_json` (the newest message with that token, to the same phone
//!   if there is one, of the same account when the delivery names it); a reply that matches
//!   nothing is kept with no flow, so no answer is lost, and listed under no flow;
//! - a reply WhatsApp delivers again (same inbound message id) is recorded once;
//! - status updates move a sent message forward only (sent, delivered, read; failed);
//! - phones are shown whole to publishers and admins of the flow's account, and masked
//!   (`+44 ••••••12 34`) to viewers and editors; `sensitive` fields are masked for everyone,
//!   in the API and the CSV (the database keeps what WhatsApp sent).
pub mod responses;
pub mod routes;
pub mod sandbox;
pub mod send;
pub mod store;
pub mod webhook;

use std::sync::Arc;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::config::Secret;
use crate::error::{json_response, request_id};
use crate::workspace::store::{Store, StoreError, now_ms};
use crate::workspace::{Actor, WorkspaceError};
use responses::Lens;
use store::{FlowResponse, ResponseQuery, SentMessage};
use webhook::Delivery;

/// The largest webhook delivery read (Meta's carry at most a few hundred updates).
pub const DELIVERY_LIMIT: usize = 1024 * 1024;
/// The longest `hub.challenge` echoed.
const MAX_CHALLENGE: usize = 256;

/// How the webhooks are configured (`--app-secret`, `--webhook-verify-token`,
/// `--webhook-forward-url`).
#[derive(Debug, Clone, Default)]
pub struct WebhookSettings {
    /// Meta's app secret: deliveries to `/webhooks/whatsapp` are signed with it, and so are
    /// the ones this server forwards.
    pub app_secret: Option<Secret>,
    /// The token Meta's verification request must show.
    pub verify_token: Option<Secret>,
    /// Where replies the sandbox completes are forwarded, signed (the sandbox's test phone).
    pub forward_url: Option<url::Url>,
    /// The URL people reach this server at (for the 360dialog path's whole URL).
    pub public_url: Option<url::Url>,
}

/// Why a webhook call is refused: the webhook routes' one error type, in the workspace's
/// envelope (`{"status": "error", "error": {code, message, trace_id}}`).
#[derive(Debug)]
pub enum WebhookError {
    /// 503 `webhook_not_configured`: the flag this needs is not set (the message names it).
    NotConfigured(&'static str),
    /// 403 `verification_failed`: Meta's handshake with a wrong token or mode.
    VerificationFailed,
    /// 401 `invalid_signature`: `X-Hub-Signature-256` missing or wrong.
    InvalidSignature(&'static str),
    /// 404 `not_found`: no account has this webhook path.
    UnknownPath,
    /// 400 `malformed_delivery`.
    Malformed(String),
    /// 413 `delivery_too_large`.
    TooLarge,
    /// 507 `storage_full`, 503 `storage_unavailable` or 500 `internal`: the database failed
    /// (nothing was recorded; WhatsApp sends it again).
    Storage(StoreError),
}

impl WebhookError {
    fn status(&self) -> StatusCode {
        match self {
            WebhookError::NotConfigured(_) => StatusCode::SERVICE_UNAVAILABLE,
            WebhookError::VerificationFailed => StatusCode::FORBIDDEN,
            WebhookError::InvalidSignature(_) => StatusCode::UNAUTHORIZED,
            WebhookError::UnknownPath => StatusCode::NOT_FOUND,
            WebhookError::Malformed(_) => StatusCode::BAD_REQUEST,
            WebhookError::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            WebhookError::Storage(StoreError::Full(_)) => StatusCode::INSUFFICIENT_STORAGE,
            WebhookError::Storage(StoreError::Other(_)) => StatusCode::INTERNAL_SERVER_ERROR,
            WebhookError::Storage(_) => StatusCode::SERVICE_UNAVAILABLE,
        }
    }

    fn code(&self) -> &'static str {
        match self {
            WebhookError::NotConfigured(_) => "webhook_not_configured",
            WebhookError::VerificationFailed => "verification_failed",
            WebhookError::InvalidSignature(_) => "invalid_signature",
            WebhookError::UnknownPath => "not_found",
            WebhookError::Malformed(_) => "malformed_delivery",
            WebhookError::TooLarge => "delivery_too_large",
            WebhookError::Storage(StoreError::Full(_)) => "storage_full",
            WebhookError::Storage(StoreError::Other(_)) => "internal",
            WebhookError::Storage(_) => "storage_unavailable",
        }
    }

    fn message(&self) -> String {
        match self {
            WebhookError::NotConfigured(flag) => {
                format!("This server takes no WhatsApp webhooks until it is started with {flag}")
            }
            WebhookError::VerificationFailed => {
                "hub.verify_token does not match --webhook-verify-token (or hub.mode is not subscribe)"
                    .to_owned()
            }
            WebhookError::InvalidSignature(why) => format!("{why}; nothing was recorded"),
            WebhookError::UnknownPath => "No account has this webhook path".to_owned(),
            WebhookError::Malformed(why) => {
                format!("Not a WhatsApp webhook delivery: {why}; nothing was recorded")
            }
            WebhookError::TooLarge => {
                format!("A delivery may be at most {} KiB; nothing was recorded", DELIVERY_LIMIT / 1024)
            }
            WebhookError::Storage(_) => {
                "The database cannot record this delivery right now; nothing was recorded, send it again"
                    .to_owned()
            }
        }
    }
}

impl From<StoreError> for WebhookError {
    fn from(error: StoreError) -> Self {
        WebhookError::Storage(error)
    }
}

impl From<sqlx::Error> for WebhookError {
    fn from(error: sqlx::Error) -> Self {
        WebhookError::Storage(StoreError::from(error))
    }
}

impl IntoResponse for WebhookError {
    fn into_response(self) -> Response {
        let trace_id = request_id();
        match &self {
            WebhookError::Storage(cause) => {
                tracing::error!(trace_id, %cause, "cannot record a webhook delivery")
            }
            _ => tracing::info!(trace_id, code = self.code(), "webhook call refused"),
        }
        let body = json!({"status": "error", "error": {
            "code": self.code(), "message": self.message(), "trace_id": trace_id}});
        json_response(self.status(), &body)
    }
}

/// What recording a delivery did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Recorded {
    /// Replies recorded now.
    pub responses: usize,
    /// Replies already recorded (a delivery sent again).
    pub replays: usize,
    /// Sent messages whose status moved on.
    pub statuses: usize,
}

/// A page of a flow's responses as one reader sees them.
#[derive(Debug, Clone)]
pub struct ResponsesPage {
    /// The responses, newest first.
    pub items: Vec<FlowResponse>,
    /// How many match in all.
    pub total: i64,
    /// (a UTC day's first millisecond, responses that day), oldest first.
    pub per_day: Vec<(i64, i64)>,
    /// How the reader sees them.
    pub lens: Lens,
}

/// Sent messages and responses (cheap to clone).
#[derive(Clone)]
pub struct Messages {
    store: Store,
    settings: Arc<WebhookSettings>,
    forwarder: Option<reqwest::Client>,
    recorder: tokio::sync::mpsc::Sender<Job>,
}

/// A delivery waiting for the writer, and where its outcome goes.
struct Job {
    delivery: Delivery,
    account: Option<String>,
    done: tokio::sync::oneshot::Sender<Result<Recorded, WebhookError>>,
}

/// Deliveries waiting for the writer at most (more wait to be queued).
const QUEUE: usize = 4096;
/// Deliveries one transaction writes at most.
const MAX_BATCH: usize = 512;

/// The writer of deliveries: every delivery waiting, in one transaction.
async fn write_deliveries(store: Store, mut jobs: tokio::sync::mpsc::Receiver<Job>) {
    let mut batch = Vec::with_capacity(MAX_BATCH);
    while jobs.recv_many(&mut batch, MAX_BATCH).await > 0 {
        match write_batch(&store, &batch).await {
            Ok(recorded) => {
                for (job, recorded) in batch.drain(..).zip(recorded) {
                    let _ = job.done.send(Ok(recorded));
                }
            }
            Err(error) => {
                tracing::error!(%error, deliveries = batch.len(), "cannot record webhook deliveries");
                for job in batch.drain(..) {
                    let copy = match &error {
                        StoreError::Full(message) => StoreError::Full(message.clone()),
                        StoreError::Unavailable(message) => StoreError::Unavailable(message.clone()),
                        StoreError::Unique(message) => StoreError::Unique(message.clone()),
                        StoreError::Other(message) => StoreError::Other(message.clone()),
                    };
                    let _ = job.done.send(Err(WebhookError::Storage(copy)));
                }
            }
        }
    }
}

async fn write_batch(store: &Store, batch: &[Job]) -> Result<Vec<Recorded>, StoreError> {
    let now = now_ms();
    let mut transaction = store.write().await?;
    let mut all = Vec::with_capacity(batch.len());
    for job in batch {
        all.push(write_delivery(&mut transaction, &job.delivery, job.account.as_deref(), now).await?);
    }
    transaction.commit().await?;
    Ok(all)
}

async fn write_delivery(
    transaction: &mut sqlx::AnyConnection,
    delivery: &Delivery,
    account: Option<&str>,
    now: i64,
) -> Result<Recorded, StoreError> {
    let mut recorded = Recorded::default();
    for reply in &delivery.replies {
        let scope = match (account, &reply.waba_id) {
            (Some(account), _) => Some(account.to_owned()),
            (None, Some(waba)) => store::account_of_waba(transaction, waba).await?,
            (None, None) => None,
        };
        let mut sent = match &reply.context_id {
            Some(id) => store::sent_by_message_id(transaction, id).await?,
            None => None,
        };
        if sent.is_none()
            && let Some(token) = &reply.flow_token
        {
            sent = store::sent_by_token(transaction, token, &reply.from, scope.as_deref()).await?;
        }
        let response = FlowResponse {
            id: uuid::Uuid::new_v4().to_string(),
            message_id: reply.message_id.clone(),
            flow_id: sent.as_ref().map(|sent| sent.flow_id.clone()),
            account_id: sent.as_ref().map(|sent| sent.account_id.clone()).or(scope),
            sent_message_id: sent.as_ref().map(|sent| sent.id.clone()),
            phone: reply.from.clone(),
            flow_token: reply.flow_token.clone(),
            response_json: reply.response_json.clone(),
            replied_at: reply.timestamp,
            received_at: now,
        };
        if store::insert_response(transaction, &response).await? {
            recorded.responses += 1;
        } else {
            recorded.replays += 1;
        }
    }
    for status in &delivery.statuses {
        let at = status.timestamp.unwrap_or(now);
        if store::update_status(transaction, &status.message_id, &status.status, at, status.detail.as_deref())
            .await?
        {
            recorded.statuses += 1;
        }
    }
    Ok(recorded)
}

impl Messages {
    /// Sent messages and responses in `store`, webhooks configured by `settings`; starts the
    /// writer of deliveries (call it in the runtime).
    pub fn new(store: Store, settings: WebhookSettings) -> Result<Messages, String> {
        let forwarder = match &settings.forward_url {
            Some(_) => Some(crate::proxy::http_client(reqwest::redirect::Policy::none())?),
            None => None,
        };
        let (recorder, jobs) = tokio::sync::mpsc::channel(QUEUE);
        tokio::spawn(write_deliveries(store.clone(), jobs));
        Ok(Messages { store, settings: Arc::new(settings), forwarder, recorder })
    }

    /// The settings.
    pub fn settings(&self) -> &WebhookSettings {
        &self.settings
    }

    /// Meta's verification handshake: with `hub.mode=subscribe` and the right
    /// `hub.verify_token`, the `hub.challenge` to echo.
    pub fn handshake(&self, query: Option<&str>) -> Result<String, WebhookError> {
        let expected = self
            .settings
            .verify_token
            .as_ref()
            .ok_or(WebhookError::NotConfigured("--webhook-verify-token"))?;
        let value = |name: &str| crate::sandbox::query_value(query, name);
        let token = value("hub.verify_token").unwrap_or_default();
        // Compared first and whole, whatever the mode, so the time tells nothing.
        let token_matches = expected.matches(token.as_bytes());
        let challenge = value("hub.challenge").unwrap_or_default();
        if !token_matches
            || value("hub.mode").as_deref() != Some("subscribe")
            || challenge.len() > MAX_CHALLENGE
        {
            return Err(WebhookError::VerificationFailed);
        }
        Ok(challenge)
    }

    /// Checks Meta's `X-Hub-Signature-256` of a delivery's raw body.
    pub fn check_signature(&self, body: &[u8], header: Option<&[u8]>) -> Result<(), WebhookError> {
        let secret = self.settings.app_secret.as_ref().ok_or(WebhookError::NotConfigured("--app-secret"))?;
        let header = header.ok_or(WebhookError::InvalidSignature("X-Hub-Signature-256 is missing"))?;
        if webhook::verify(secret.expose(), body, header) {
            Ok(())
        } else {
            Err(WebhookError::InvalidSignature(
                "X-Hub-Signature-256 does not sign this body with the app secret",
            ))
        }
    }

    /// The account whose 360dialog webhook path has `secret`.
    pub async fn account_of_path(&self, secret: &str) -> Result<String, WebhookError> {
        if !crate::ids::is_valid(secret) {
            return Err(WebhookError::UnknownPath);
        }
        let mut connection = self.store.pool().acquire().await?;
        store::account_of_webhook_secret(&mut connection, &crate::auth::token_hash(secret))
            .await?
            .ok_or(WebhookError::UnknownPath)
    }

    /// Gives an account a new 360dialog webhook path (the old one stops working); answers its
    /// secret, which is shown this once (only its SHA-256 is kept).
    pub async fn new_webhook_path(&self, actor: &Actor, account_id: &str) -> Result<String, WorkspaceError> {
        let mut transaction = self.store.write().await?;
        if crate::workspace::store::account(&mut transaction, account_id).await?.is_none() {
            return Err(WorkspaceError::NotFound(format!("No account {account_id} in this workspace")));
        }
        let secret = crate::auth::random_token();
        let hash = crate::auth::token_hash(&secret);
        store::set_webhook_secret(&mut transaction, account_id, &hash, &actor.0, now_ms()).await?;
        transaction.commit().await?;
        Ok(secret)
    }

    /// Records what a delivery says, whole or not at all, and answers once it is on disk.
    /// `account` is the account the delivery came for, when its path says (360dialog); else
    /// the WABA it names, if known.
    ///
    /// Deliveries are written by one task, which takes every delivery waiting and writes them
    /// in one transaction (a group commit): a commit is on disk before it is acknowledged
    /// (SQLite's `synchronous=FULL`), and one commit per delivery held SQLite to about 250
    /// deliveries a second (BENCHMARKS.md). A failed transaction fails every delivery in it,
    /// and WhatsApp sends each again.
    pub async fn record(
        &self,
        delivery: Delivery,
        account: Option<String>,
    ) -> Result<Recorded, WebhookError> {
        if delivery.replies.is_empty() && delivery.statuses.is_empty() {
            return Ok(Recorded::default());
        }
        let (done, outcome) = tokio::sync::oneshot::channel();
        let stopped =
            || WebhookError::Storage(StoreError::Unavailable("the delivery writer stopped".to_owned()));
        self.recorder.send(Job { delivery, account, done }).await.map_err(|_| stopped())?;
        outcome.await.map_err(|_| stopped())?
    }

    /// The workspace's account of a WABA (by Meta's id or the backend's), if it has one.
    pub async fn account_of_waba(&self, waba: &str) -> Result<Option<String>, WorkspaceError> {
        let mut connection = self.store.pool().acquire().await?;
        Ok(store::account_of_whatsapp_id(&mut connection, waba).await?)
    }

    /// Records a message as sent (by `POST /api/messages`).
    pub async fn record_sent(&self, sent: &SentMessage) -> Result<(), WorkspaceError> {
        let mut transaction = self.store.write().await?;
        store::insert_sent(&mut transaction, sent).await?;
        transaction.commit().await?;
        Ok(())
    }

    /// What was sent of a flow, newest first.
    pub async fn sent_of_flow(&self, flow_id: &str, limit: i64) -> Result<Vec<SentMessage>, WorkspaceError> {
        let mut connection = self.store.pool().acquire().await?;
        Ok(store::sent_of_flow(&mut connection, flow_id, limit).await?)
    }

    /// A page of a flow's responses, with the counts per day, as `reader` sees them (`None`:
    /// no sign-in on this server, everything shown).
    pub async fn responses(
        &self,
        flow_id: &str,
        query: &ResponseQuery,
        reader: Option<&crate::auth::Principal>,
    ) -> Result<ResponsesPage, WorkspaceError> {
        let mut connection = self.store.pool().acquire().await?;
        let flow = crate::workspace::store::flow(&mut connection, flow_id, true, "")
            .await?
            .ok_or_else(|| WorkspaceError::NotFound(format!("No flow {flow_id} in this workspace")))?;
        let full_phone = reader
            .is_none_or(|reader| reader.role_on(Some(&flow.account_id)) >= crate::auth::Role::Publisher);
        let lens = Lens {
            full_phone,
            sensitive: responses::sensitive_keys(flow.json_definition.as_deref().unwrap_or_default()),
        };
        let items = store::responses(&mut connection, flow_id, query).await?;
        let per_day = store::counts_per_day(&mut connection, flow_id, query).await?;
        let total = per_day.iter().map(|(_, count)| count).sum();
        Ok(ResponsesPage { items, total, per_day, lens })
    }

    /// POSTs `body` to `--webhook-forward-url`, signed with the app secret as Meta signs its
    /// deliveries, so a business's own webhook code can be tried offline; answers the status
    /// it got. For the sandbox's completed flows.
    pub async fn forward(&self, body: Vec<u8>) -> Result<u16, String> {
        let (Some(client), Some(url)) = (&self.forwarder, &self.settings.forward_url) else {
            return Err("no --webhook-forward-url".to_owned());
        };
        let secret = self.settings.app_secret.as_ref().ok_or("--webhook-forward-url needs --app-secret")?;
        let signature = webhook::sign(secret.expose(), &body);
        let response = client
            .post(url.clone())
            .header(axum::http::header::CONTENT_TYPE, "application/json")
            .header(webhook::SIGNATURE_HEADER, signature)
            .body(body)
            .send()
            .await
            .map_err(|error| format!("cannot forward to {url}: {error}"))?;
        Ok(response.status().as_u16())
    }
}
