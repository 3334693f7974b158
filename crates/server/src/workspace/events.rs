//! What happened in the workspace, announced to every open app (`GET /api/events`,
//! Server-Sent Events) on every server that shares the workspace.
//!
//! Each change is written to the event log in the transaction that makes it, and announced
//! once committed: to this server's subscribers directly, and, on PostgreSQL, to the other
//! servers through `NOTIFY` sent inside that transaction (PostgreSQL delivers it at commit, in
//! commit order, and never for a rolled-back change). Each server listens on its own
//! connection and passes on what the others announce; its own notifications carry its origin
//! token and are skipped, since it announced them already. Progress notices (a sync's) are not
//! logged and travel the same way.
use std::sync::Arc;
use std::time::Duration;

use serde_json::{Map, Value, json};
use sqlx::AnyConnection;
use tokio::sync::broadcast;

use super::store::{self, Engine, Event, Store, StoreResult};
use super::time::rfc3339;

/// PostgreSQL's channel.
const CHANNEL: &str = "flowsmith_events";

/// Announcements kept for slow subscribers before they skip ahead.
const BACKLOG: usize = 1024;

/// One announcement: the log entry's id (absent for progress notices), its kind, its JSON.
#[derive(Debug, Clone, PartialEq)]
pub struct Notice {
    /// The event log's id, the SSE `id:` (a reconnecting client resumes after it).
    pub id: Option<i64>,
    /// The SSE `event:` name.
    pub kind: String,
    /// The SSE `data:`.
    pub data: Value,
}

impl Notice {
    /// The announcement of a logged event.
    pub fn of(event: &Event) -> Notice {
        let mut data = match serde_json::from_str::<Value>(&event.detail) {
            Ok(Value::Object(map)) => map,
            _ => Map::new(),
        };
        data.insert("id".to_owned(), json!(event.id));
        data.insert("kind".to_owned(), json!(event.kind));
        data.insert("actor".to_owned(), json!(event.actor));
        data.insert("at".to_owned(), json!(rfc3339(event.at)));
        if let Some(account) = &event.account_id {
            data.insert("account_id".to_owned(), json!(account));
        }
        if let Some(flow) = &event.flow_id {
            data.insert("flow_id".to_owned(), json!(flow));
        }
        if let Some(revision) = event.revision {
            data.insert("revision".to_owned(), json!(revision));
        }
        Notice { id: Some(event.id), kind: event.kind.clone(), data: Value::Object(data) }
    }
}

/// The subscribers of this server, and its way to the others.
#[derive(Clone)]
pub struct Hub {
    sender: broadcast::Sender<Arc<Notice>>,
    origin: Arc<str>,
    engine: Engine,
}

impl Hub {
    /// A hub for `store`; on PostgreSQL it starts listening to the other servers.
    pub fn new(store: &Store) -> Hub {
        let (sender, _) = broadcast::channel(BACKLOG);
        let hub = Hub { sender, origin: Arc::from(crate::ids::token(16)), engine: store.engine() };
        if store.engine() == Engine::Postgres {
            tokio::spawn(listen(hub.clone(), store.url().to_owned()));
        }
        hub
    }

    /// A new subscriber.
    pub fn subscribe(&self) -> broadcast::Receiver<Arc<Notice>> {
        self.sender.subscribe()
    }

    /// Writes `event` to the log in `connection`'s transaction and, on PostgreSQL, tells the
    /// other servers at commit. Announce the answer here with [`Hub::announce`] once committed.
    pub async fn record(&self, connection: &mut AnyConnection, event: &Event) -> StoreResult<Event> {
        let logged = store::insert_event(connection, event).await?;
        if self.engine == Engine::Postgres {
            self.notify(connection, &Notice::of(&logged)).await?;
        }
        Ok(logged)
    }

    /// Tells this server's subscribers.
    pub fn announce(&self, notice: Notice) {
        // No subscriber is not an error.
        let _ = self.sender.send(Arc::new(notice));
    }

    /// Tells every server's subscribers something that is not logged (a sync's progress).
    pub async fn broadcast(&self, store: &Store, notice: Notice) {
        if self.engine == Engine::Postgres
            && let Ok(mut connection) = store.pool().acquire().await
            && let Err(error) = self.notify(&mut connection, &notice).await
        {
            tracing::warn!(%error, "a progress notice could not reach the other servers");
        }
        self.announce(notice);
    }

    async fn notify(&self, connection: &mut AnyConnection, notice: &Notice) -> StoreResult<()> {
        let payload =
            json!({ "origin": &*self.origin, "id": notice.id, "kind": notice.kind, "data": notice.data });
        sqlx::query("SELECT pg_notify($1, $2)")
            .bind(CHANNEL)
            .bind(flow_model::json::compact(&payload))
            .execute(&mut *connection)
            .await?;
        Ok(())
    }
}

/// Passes on what the other servers announce, reconnecting after a lost connection.
async fn listen(hub: Hub, url: String) {
    let mut delay = Duration::from_millis(250);
    loop {
        match sqlx::postgres::PgListener::connect(&url).await {
            Ok(mut listener) => match listener.listen(CHANNEL).await {
                Ok(()) => {
                    delay = Duration::from_millis(250);
                    loop {
                        match listener.recv().await {
                            Ok(notification) => hub.pass_on(notification.payload()),
                            Err(error) => {
                                tracing::warn!(%error, "lost the workspace's event channel; reconnecting");
                                break;
                            }
                        }
                    }
                }
                Err(error) => tracing::warn!(%error, "cannot listen to the workspace's event channel"),
            },
            Err(error) => tracing::warn!(%error, "cannot connect to listen to the workspace's events"),
        }
        tokio::time::sleep(delay).await;
        delay = (delay * 2).min(Duration::from_secs(10));
    }
}

impl Hub {
    fn pass_on(&self, payload: &str) {
        let Ok(value) = serde_json::from_str::<Value>(payload) else { return };
        if value.get("origin").and_then(Value::as_str) == Some(&*self.origin) {
            return;
        }
        let Some(kind) = value.get("kind").and_then(Value::as_str) else { return };
        let notice = Notice {
            id: value.get("id").and_then(Value::as_i64),
            kind: kind.to_owned(),
            data: value.get("data").cloned().unwrap_or(Value::Null),
        };
        self.announce(notice);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_notice_carries_the_event_and_its_detail() {
        let event = Event {
            id: 7,
            at: 0,
            actor: "ana".to_owned(),
            kind: "flow.changed".to_owned(),
            account_id: Some("a".to_owned()),
            flow_id: Some("f".to_owned()),
            revision: Some(3),
            detail: "{\"name\":\"Survey\"}".to_owned(),
        };
        let notice = Notice::of(&event);
        assert_eq!(notice.id, Some(7));
        assert_eq!(
            notice.data,
            json!({"name": "Survey", "id": 7, "kind": "flow.changed", "actor": "ana",
                "at": "1970-01-01T00:00:00.000Z", "account_id": "a", "flow_id": "f", "revision": 3})
        );
    }
}
