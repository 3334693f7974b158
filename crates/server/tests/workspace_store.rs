//! The workspace's store, the same suite on SQLite and on PostgreSQL: migrations, accounts,
//! the compare-and-swap of revisions, names, versions, the event log, the trash, and a full
//! disk that leaves nothing half-written.
mod common;

use std::sync::Arc;

use common::{databases, engine, temp_dir};
use flowsmith_server::backend::{
    AccountRef, Backend, BackendError, BackendKind, BackendResult, Backends, CreatedFlow, FailureKind,
    NewRemoteFlow, RemoteAccount, RemoteFlow,
};
use flowsmith_server::workspace::store::{
    self, Change, DatabaseUrl, Event, ListQuery, Location, NewFlow, Sort, Store, StoreError, Version,
};
use flowsmith_server::workspace::{Actor, Create, FlowText, Workspace, WorkspaceError};
use serde_json::Value;

/// The workspace of a test: a SQLite file in a fresh folder, or a fresh PostgreSQL database.
fn location(name: &str, database: &Option<String>) -> Location {
    match database {
        None => Location::DataDir(temp_dir(name)),
        Some(url) => Location::Url(DatabaseUrl::parse(url).unwrap()),
    }
}

fn new_flow<'a>(id: &'a str, account: &'a str, name: &'a str, text: &'a str) -> NewFlow<'a> {
    NewFlow {
        id,
        account_id: account,
        name,
        categories: "[\"OTHER\"]",
        status: "DRAFT",
        meta_flow_id: None,
        json_definition: text,
        meta_json_sha256: None,
        validation_errors: "[]",
        source_flow_id: None,
        author: "Ana",
        now: 1_000,
    }
}

fn query() -> ListQuery {
    ListQuery {
        page: 1,
        limit: 100,
        status: None,
        account_id: None,
        text: None,
        trash: false,
        sort: Sort::NameAsc,
        reach: None,
    }
}

#[tokio::test]
async fn migrations_apply_once_and_a_reopened_store_keeps_everything() {
    for database in databases("store-reopen").await {
        let location = location("store-reopen", &database);
        let store = Store::open(&location).await.unwrap();
        let mut transaction = store.write().await.unwrap();
        let account =
            store::upsert_account(&mut transaction, "sandbox", None, "w1WA", Some("1"), "Clinic", 5)
                .await
                .unwrap();
        store::insert_flow(&mut transaction, &new_flow("f1", &account.id, "Kept", "{}")).await.unwrap();
        transaction.commit().await.unwrap();
        store.close().await;
        let store = Store::open(&location).await.unwrap();
        let mut connection = store.pool().acquire().await.unwrap();
        let flow = store::flow(&mut connection, "f1", true, "").await.unwrap().unwrap();
        assert_eq!(
            (flow.name.as_str(), flow.json_definition.as_deref()),
            ("Kept", Some("{}")),
            "{}",
            engine(&database)
        );
        let applied: i64 = sqlx::Row::get(
            &sqlx::query("SELECT COUNT(*) FROM _sqlx_migrations").fetch_one(&mut *connection).await.unwrap(),
            0,
        );
        // Each of the engine's migrations once, though the store was opened twice.
        let files =
            std::fs::read_dir(format!("{}/migrations/{}", env!("CARGO_MANIFEST_DIR"), engine(&database)))
                .unwrap()
                .filter(|entry| {
                    entry.as_ref().is_ok_and(|entry| entry.path().extension().is_some_and(|e| e == "sql"))
                })
                .count();
        assert_eq!(usize::try_from(applied).unwrap(), files, "{}", engine(&database));
    }
}

#[tokio::test]
async fn accounts_are_kept_by_backend_and_external_id() {
    for database in databases("store-accounts").await {
        let store = Store::open(&location("store-accounts", &database)).await.unwrap();
        let mut connection = store.pool().acquire().await.unwrap();
        let first =
            store::upsert_account(&mut connection, "sandbox", None, "w1WA", None, "Clinic", 1).await.unwrap();
        let renamed =
            store::upsert_account(&mut connection, "sandbox", None, "w1WA", Some("42"), "Clinic II", 2)
                .await
                .unwrap();
        assert_eq!(first.id, renamed.id, "{}", engine(&database));
        assert_eq!((renamed.name.as_str(), renamed.waba_id.as_deref()), ("Clinic II", Some("42")));
        let other =
            store::upsert_account(&mut connection, "360dialog", None, "w1WA", None, "Same id elsewhere", 3)
                .await
                .unwrap();
        assert_ne!(other.id, first.id);
        assert_eq!(store::accounts(&mut connection).await.unwrap().len(), 2);
        assert_eq!(store::account(&mut connection, &first.id).await.unwrap(), Some(renamed));
    }
}

#[tokio::test]
async fn a_change_applies_only_at_the_revision_its_writer_saw() {
    for database in databases("store-cas").await {
        let store = Store::open(&location("store-cas", &database)).await.unwrap();
        let mut connection = store.pool().acquire().await.unwrap();
        let account =
            store::upsert_account(&mut connection, "sandbox", None, "w", None, "A", 1).await.unwrap();
        store::insert_flow(&mut connection, &new_flow("f", &account.id, "Flow", "{\"a\": 1}")).await.unwrap();
        let change = |expected, text| Change {
            expected,
            name: None,
            categories: None,
            json_definition: Some(text),
            author: "Bo",
            now: 2_000,
        };
        assert_eq!(
            store::change_flow(&mut connection, "f", &change(1, "{\"a\": 2}")).await.unwrap(),
            Some(2)
        );
        assert_eq!(
            store::change_flow(&mut connection, "f", &change(1, "{\"a\": 3}")).await.unwrap(),
            None,
            "{}",
            engine(&database)
        );
        let flow = store::flow(&mut connection, "f", true, "").await.unwrap().unwrap();
        assert_eq!(
            (flow.revision, flow.json_definition.as_deref(), flow.updated_by.as_str()),
            (2, Some("{\"a\": 2}"), "Bo")
        );
        // A name change alone moves the revision too, and keeps the text.
        let rename = Change {
            expected: 2,
            name: Some("Renamed"),
            categories: None,
            json_definition: None,
            author: "Bo",
            now: 3_000,
        };
        assert_eq!(store::change_flow(&mut connection, "f", &rename).await.unwrap(), Some(3));
        let flow = store::flow(&mut connection, "f", true, "").await.unwrap().unwrap();
        assert_eq!((flow.name.as_str(), flow.json_definition.as_deref()), ("Renamed", Some("{\"a\": 2}")));
        // In the trash, nothing changes.
        store::set_trashed(&mut connection, "f", Some(("Bo", 4_000)), None).await.unwrap();
        assert_eq!(store::change_flow(&mut connection, "f", &change(3, "{}")).await.unwrap(), None);
    }
}

#[tokio::test]
async fn names_are_unique_per_account_outside_the_trash() {
    for database in databases("store-names").await {
        let store = Store::open(&location("store-names", &database)).await.unwrap();
        let mut connection = store.pool().acquire().await.unwrap();
        let one =
            store::upsert_account(&mut connection, "sandbox", None, "one", None, "One", 1).await.unwrap();
        let two =
            store::upsert_account(&mut connection, "sandbox", None, "two", None, "Two", 1).await.unwrap();
        store::insert_flow(&mut connection, &new_flow("a", &one.id, "Survey", "{}")).await.unwrap();
        store::insert_flow(&mut connection, &new_flow("b", &two.id, "Survey", "{}")).await.unwrap();
        let clash = store::insert_flow(&mut connection, &new_flow("c", &one.id, "Survey", "{}")).await;
        assert!(matches!(clash, Err(StoreError::Unique(_))), "{}: {clash:?}", engine(&database));
        assert!(store::name_taken(&mut connection, &one.id, "Survey", None).await.unwrap());
        assert!(!store::name_taken(&mut connection, &one.id, "Survey", Some("a")).await.unwrap());
        store::set_trashed(&mut connection, "a", Some(("Ana", 5)), None).await.unwrap();
        store::insert_flow(&mut connection, &new_flow("c", &one.id, "Survey", "{}")).await.unwrap();
        let mut trash = query();
        trash.trash = true;
        let (trashed, total) = store::list_flows(&mut connection, &trash).await.unwrap();
        assert_eq!((trashed[0].id.as_str(), total), ("a", 1));
    }
}

#[tokio::test]
async fn versions_and_events_keep_their_order() {
    for database in databases("store-log").await {
        let store = Store::open(&location("store-log", &database)).await.unwrap();
        let mut connection = store.pool().acquire().await.unwrap();
        let account =
            store::upsert_account(&mut connection, "sandbox", None, "w", None, "A", 1).await.unwrap();
        store::insert_flow(&mut connection, &new_flow("f", &account.id, "Flow", "{}")).await.unwrap();
        for revision in 1..=3 {
            let version = Version {
                flow_id: "f".to_owned(),
                revision,
                name: "Flow".to_owned(),
                json_definition: Some(format!("{{\"r\": {revision}}}")),
                reason: "autosave".to_owned(),
                label: None,
                author: "Ana".to_owned(),
                created_at: revision * 10,
                validation_errors: None,
            };
            store::insert_version(&mut connection, &version).await.unwrap();
        }
        store::delete_version(&mut connection, "f", 2).await.unwrap();
        assert!(
            store::mark_version(&mut connection, "f", 3, "named", Some("Final"), Some("[]")).await.unwrap()
        );
        assert!(!store::mark_version(&mut connection, "f", 2, "named", None, None).await.unwrap());
        let versions = store::versions(&mut connection, "f").await.unwrap();
        let kept: Vec<(i64, &str)> = versions.iter().map(|v| (v.revision, v.reason.as_str())).collect();
        assert_eq!(kept, [(3, "named"), (1, "autosave")], "{}", engine(&database));
        assert_eq!(versions[0].json_definition, None, "lists carry no text");
        let third = store::version(&mut connection, "f", 3).await.unwrap().unwrap();
        assert_eq!(
            (third.json_definition.as_deref(), third.label.as_deref()),
            (Some("{\"r\": 3}"), Some("Final"))
        );
        let mut ids = Vec::new();
        for kind in ["flow.created", "flow.changed", "flow.deleted"] {
            let event = Event {
                id: 0,
                at: 7,
                actor: "Ana".to_owned(),
                kind: kind.to_owned(),
                account_id: Some(account.id.clone()),
                flow_id: Some("f".to_owned()),
                revision: Some(1),
                detail: "{}".to_owned(),
            };
            ids.push(store::insert_event(&mut connection, &event).await.unwrap().id);
        }
        assert!(ids.windows(2).all(|pair| pair[0] < pair[1]), "{ids:?}");
        let after = store::events_after(&mut connection, ids[0], 10).await.unwrap();
        let kinds: Vec<&str> = after.iter().map(|event| event.kind.as_str()).collect();
        assert_eq!(kinds, ["flow.changed", "flow.deleted"]);
    }
}

#[tokio::test]
async fn the_trash_is_purged_after_its_time_with_the_versions() {
    for database in databases("store-purge").await {
        let store = Store::open(&location("store-purge", &database)).await.unwrap();
        let mut connection = store.pool().acquire().await.unwrap();
        let account =
            store::upsert_account(&mut connection, "sandbox", None, "w", None, "A", 1).await.unwrap();
        for (id, trashed_at) in [("old", Some(100)), ("recent", Some(10_000)), ("live", None)] {
            store::insert_flow(&mut connection, &new_flow(id, &account.id, id, "{}")).await.unwrap();
            let version = Version {
                flow_id: id.to_owned(),
                revision: 1,
                name: id.to_owned(),
                json_definition: Some("{}".to_owned()),
                reason: "created".to_owned(),
                label: None,
                author: "Ana".to_owned(),
                created_at: 1,
                validation_errors: None,
            };
            store::insert_version(&mut connection, &version).await.unwrap();
            if let Some(at) = trashed_at {
                store::set_trashed(&mut connection, id, Some(("Ana", at)), None).await.unwrap();
            }
        }
        assert_eq!(store::purge_trash(&mut connection, 5_000).await.unwrap(), 1, "{}", engine(&database));
        assert!(store::flow(&mut connection, "old", false, "").await.unwrap().is_none());
        assert!(store::versions(&mut connection, "old").await.unwrap().is_empty());
        assert!(store::flow(&mut connection, "recent", false, "").await.unwrap().is_some());
        assert_eq!(store::versions(&mut connection, "live").await.unwrap().len(), 1);
    }
}

/// A backend that is configured but must not be called: the store tests reach no WhatsApp.
struct Unreachable;

#[async_trait::async_trait]
impl Backend for Unreachable {
    fn kind(&self) -> BackendKind {
        BackendKind::Sandbox
    }
    async fn accounts(&self) -> BackendResult<Vec<RemoteAccount>> {
        Ok(vec![RemoteAccount { external_id: "w1WA".to_owned(), waba_id: None, name: "Clinic".to_owned() }])
    }
    async fn flows(&self, _: &AccountRef) -> BackendResult<Vec<RemoteFlow>> {
        Err(BackendError::new(FailureKind::Unavailable, "not in this test"))
    }
    async fn flow_json(&self, _: &AccountRef, _: &str) -> BackendResult<Option<String>> {
        Err(BackendError::new(FailureKind::Unavailable, "not in this test"))
    }
    async fn flow(&self, _: &AccountRef, _: &str, _: &[String]) -> BackendResult<Value> {
        Err(BackendError::new(FailureKind::Unavailable, "not in this test"))
    }
    async fn assets(&self, _: &AccountRef, _: &str) -> BackendResult<Vec<Value>> {
        Err(BackendError::new(FailureKind::Unavailable, "not in this test"))
    }
    async fn create(&self, _: &AccountRef, _: &NewRemoteFlow) -> BackendResult<CreatedFlow> {
        Err(BackendError::new(FailureKind::Unavailable, "not in this test"))
    }
    async fn preview(&self, _: &AccountRef, _: &str, _: bool) -> BackendResult<Value> {
        Err(BackendError::new(FailureKind::Unavailable, "not in this test"))
    }
    async fn delete(&self, _: &AccountRef, _: &str) -> BackendResult<()> {
        Err(BackendError::new(FailureKind::Unavailable, "not in this test"))
    }
    async fn migrate(&self, _: &AccountRef, _: &AccountRef, _: Option<&[String]>) -> BackendResult<Value> {
        Err(BackendError::new(FailureKind::Unavailable, "not in this test"))
    }
    async fn update_metadata(&self, _: &AccountRef, _: &str, _: &str, _: &[String]) -> BackendResult<()> {
        Err(BackendError::new(FailureKind::Unavailable, "not in this test"))
    }
    async fn upload_flow_json(&self, _: &AccountRef, _: &str, _: &str) -> BackendResult<Vec<Value>> {
        Err(BackendError::new(FailureKind::Unavailable, "not in this test"))
    }
    async fn publish(&self, _: &AccountRef, _: &str) -> BackendResult<()> {
        Err(BackendError::new(FailureKind::Unavailable, "not in this test"))
    }
    async fn deprecate(&self, _: &AccountRef, _: &str) -> BackendResult<()> {
        Err(BackendError::new(FailureKind::Unavailable, "not in this test"))
    }
    async fn send_message(&self, _: &AccountRef, _: &Value) -> BackendResult<String> {
        Err(BackendError::new(FailureKind::Unavailable, "not in this test"))
    }
    async fn upload_public_key(&self, _: &AccountRef, _: &str) -> BackendResult<()> {
        Err(BackendError::new(FailureKind::Unavailable, "not in this test"))
    }
    async fn public_key(&self, _: &AccountRef) -> BackendResult<flowsmith_server::backend::PublicKeyStatus> {
        Err(BackendError::new(FailureKind::Unavailable, "not in this test"))
    }
}

#[tokio::test]
async fn a_full_disk_refuses_the_write_and_leaves_nothing_half_written() {
    // SQLite's size cap stands for the full disk (PostgreSQL's own disk is not ours to fill).
    let location = Location::DataDir(temp_dir("store-full"));
    let store = Store::open_capped(&location, Some(400 * 1024)).await.unwrap();
    let workspace = Workspace::new(store.clone(), Backends::new(vec![Arc::new(Unreachable)]));
    let account = workspace.accounts(true).await.unwrap().remove(0);
    let actor = Actor("Ana".to_owned());
    let text = |n: usize| FlowText::new(format!("{{\"pad\": \"{}\"}}", "x".repeat(n)), usize::MAX).unwrap();
    let create = |name: String, size| Create {
        account_id: account.id.clone(),
        name,
        categories: vec!["OTHER".to_owned()],
        json_definition: text(size),
    };
    let kept = workspace.create(&actor, create("small".to_owned(), 100)).await.unwrap();
    let mut refused = None;
    for index in 0..40 {
        match workspace.create(&actor, create(format!("big {index}"), 60 * 1024)).await {
            Ok(_) => {}
            Err(error) => {
                refused = Some(error);
                break;
            }
        }
    }
    let error = refused.expect("the cap is reached");
    assert!(matches!(error, WorkspaceError::Storage(StoreError::Full(_))), "{error:?}");
    assert_eq!(error.status(), 507);
    assert!(error.message().contains("disk is full; nothing was saved"), "{}", error.message());
    // Every flow that exists has its first version and its event: nothing half-written.
    let mut connection = store.pool().acquire().await.unwrap();
    let (flows, total) = store::list_flows(&mut connection, &query()).await.unwrap();
    for flow in &flows {
        assert_eq!(store::versions(&mut connection, &flow.id).await.unwrap().len(), 1, "{}", flow.name);
    }
    let created = store::events_after(&mut connection, 0, 1000).await.unwrap();
    assert_eq!(created.len() as i64, total);
    // What was there is still readable and can still change within the space left.
    let flow = workspace.get(&kept.id).await.unwrap();
    assert_eq!(flow.json_definition.as_deref(), Some(text(100).as_str()));
}
