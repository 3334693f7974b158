//! The workspace API (`/api/accounts`, `/api/flows…`, `/api/events`) on a real server in
//! sandbox mode, each test on SQLite and on PostgreSQL: every route, and every refusal
//! changing nothing.
mod common;

use common::{Server, assert_error, client, databases, engine, json, start, workspace_config};
use futures_util::StreamExt as _;
use serde_json::{Value, json};

/// A flow.json whose exact text matters: a decimal written `1.0`, an exponent, keys out of
/// alphabetical order, and indentation of its own.
const EXACT: &str = "{\n    \"version\": \"7.2\",\n    \"zeta\": 1.0,\n    \"alpha\": 1e2,\n    \"screens\": [{\"id\": \"A\", \"title\": \"Hi\", \"terminal\": true, \"layout\": {\"type\": \"SingleColumnLayout\", \"children\": [{\"type\": \"Footer\", \"label\": \"Go\", \"on-click-action\": {\"name\": \"complete\", \"payload\": {}}}]}}]\n}";

/// A valid flow with `text` in it (so versions differ).
fn valid(text: &str) -> String {
    format!(
        "{{\"version\": \"7.2\", \"screens\": [{{\"id\": \"A\", \"title\": \"Hi\", \"terminal\": true, \"layout\": {{\"type\": \"SingleColumnLayout\", \"children\": [{{\"type\": \"TextBody\", \"text\": \"{text}\"}}, {{\"type\": \"Footer\", \"label\": \"Go\", \"on-click-action\": {{\"name\": \"complete\", \"payload\": {{}}}}}}]}}}}]}}"
    )
}

struct Workspace {
    server: Server,
}

impl Workspace {
    async fn start(name: &str, database: &Option<String>) -> Workspace {
        Workspace { server: start(workspace_config(name, database)).await }
    }

    fn url(&self, path: &str) -> String {
        self.server.at(path)
    }

    async fn get(&self, path: &str) -> (u16, Value) {
        json(client().get(self.url(path)).send().await.unwrap()).await
    }

    async fn send(&self, method: reqwest::Method, path: &str, body: &str) -> (u16, Value) {
        let request = client()
            .request(method, self.url(path))
            .header("content-type", "application/json")
            .header("x-flowsmith-user", "Ana")
            .body(body.to_owned());
        json(request.send().await.unwrap()).await
    }

    async fn post(&self, path: &str, body: &str) -> (u16, Value) {
        self.send(reqwest::Method::POST, path, body).await
    }

    async fn put(&self, path: &str, body: &str) -> (u16, Value) {
        self.send(reqwest::Method::PUT, path, body).await
    }

    /// The workspace id of the sandbox account `external` (`sandbox1WA`, `sandbox2WA`).
    async fn account(&self, external: &str) -> String {
        let (status, body) = self.get("/api/accounts").await;
        assert_eq!(status, 200, "{body}");
        body["data"]
            .as_array()
            .unwrap()
            .iter()
            .find(|account| account["external_id"] == external)
            .unwrap_or_else(|| panic!("no {external}: {body}"))["id"]
            .as_str()
            .unwrap()
            .to_owned()
    }

    /// Creates a flow; answers its data.
    async fn create(&self, account: &str, name: &str, text: &str) -> Value {
        let body = format!(
            "{{\"account_id\": \"{account}\", \"name\": \"{name}\", \"categories\": [\"SURVEY\"], \"json_definition\": {text}}}"
        );
        let (status, created) = self.post("/api/flows", &body).await;
        assert_eq!(status, 201, "{created}");
        created["data"].clone()
    }

    async fn flow(&self, id: &str) -> Value {
        let (status, body) = self.get(&format!("/api/flows/{id}")).await;
        assert_eq!(status, 200, "{body}");
        body["data"].clone()
    }

    async fn text(&self, path: &str) -> String {
        client().get(self.url(path)).send().await.unwrap().text().await.unwrap()
    }
}

fn id(flow: &Value) -> String {
    flow["id"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn accounts_are_the_sandboxes_wabas() {
    for database in databases("accounts").await {
        let workspace = Workspace::start("accounts", &database).await;
        let (status, body) = workspace.get("/api/accounts").await;
        assert_eq!(status, 200, "{body}");
        let accounts = body["data"].as_array().unwrap();
        assert_eq!(accounts.len(), 2, "{}: {body}", engine(&database));
        let clinic = accounts.iter().find(|account| account["external_id"] == "sandbox1WA").unwrap();
        assert_eq!(clinic["name"], "Sandbox Clinic");
        assert_eq!(clinic["backend"], "sandbox");
        assert_eq!(clinic["waba_id"], "102290129340398");
        // Asked again, the same ids (accounts are kept, not made anew).
        let again = workspace.account("sandbox1WA").await;
        assert_eq!(clinic["id"], again.as_str());
        let (status, body) = workspace.get("/api/accounts?refresh=1").await;
        assert_eq!((status, body["data"].as_array().unwrap().len()), (200, 2));
    }
}

#[tokio::test]
async fn a_flow_is_kept_exactly_as_written() {
    for database in databases("exact").await {
        let workspace = Workspace::start("exact", &database).await;
        let account = workspace.account("sandbox1WA").await;
        let created = workspace.create(&account, "Exact", EXACT).await;
        assert_eq!((created["revision"].as_i64(), created["status"].as_str()), (Some(1), Some("DRAFT")));
        assert_eq!(created["has_unsaved_changes"], true);
        let flow_id = id(&created);
        assert_eq!(
            workspace.text(&format!("/api/flows/{flow_id}/flow.json")).await,
            EXACT,
            "{}",
            engine(&database)
        );
        // In the envelope too: the member holds the text as written.
        let raw = workspace.text(&format!("/api/flows/{flow_id}")).await;
        assert!(raw.contains(&format!("\"json_definition\":{EXACT}}}}}")), "{raw}");
        // Sent as a string, the flow.json is the string's text.
        let body = json!({"revision": 1, "json_definition": "{\"version\":\"7.2\",\"n\":10.50}"}).to_string();
        let (status, changed) = workspace.put(&format!("/api/flows/{flow_id}"), &body).await;
        assert_eq!(status, 200, "{changed}");
        assert_eq!(
            workspace.text(&format!("/api/flows/{flow_id}/flow.json")).await,
            "{\"version\":\"7.2\",\"n\":10.50}"
        );
    }
}

#[tokio::test]
async fn lists_page_filter_and_sort() {
    for database in databases("list").await {
        let workspace = Workspace::start("list", &database).await;
        let clinic = workspace.account("sandbox1WA").await;
        let shop = workspace.account("sandbox2WA").await;
        for index in 0..7 {
            let account = if index % 2 == 0 { &clinic } else { &shop };
            workspace.create(account, &format!("Survey {index}"), &valid("x")).await;
        }
        workspace.create(&clinic, "Ünïcode Order", &valid("x")).await;
        let (status, page) = workspace.get("/api/flows?limit=3&page=2&sort=name").await;
        assert_eq!(status, 200, "{page}");
        let names: Vec<&str> =
            page["data"]["items"].as_array().unwrap().iter().map(|f| f["name"].as_str().unwrap()).collect();
        assert_eq!(names, ["Survey 3", "Survey 4", "Survey 5"], "{}", engine(&database));
        assert_eq!(
            (page["data"]["total"].as_i64(), page["data"]["page"].as_i64(), page["data"]["limit"].as_i64()),
            (Some(8), Some(2), Some(3))
        );
        // No flow.json in lists.
        assert!(page["data"]["items"][0].get("json_definition").is_none());
        let (_, shop_only) = workspace.get(&format!("/api/flows?account_id={shop}&limit=100")).await;
        assert_eq!(shop_only["data"]["total"], 3);
        let (_, found) = workspace.get("/api/flows?q=%C3%BCN%C3%AFCODE").await;
        assert_eq!(found["data"]["items"][0]["name"], "Ünïcode Order", "{found}");
        // `%` and `_` are searched for, not wildcards.
        let (_, none) = workspace.get("/api/flows?q=%25").await;
        assert_eq!(none["data"]["total"], 0, "{none}");
        let (_, drafts) = workspace.get("/api/flows?status=DRAFT").await;
        assert_eq!(drafts["data"]["total"], 8);
        let (_, published) = workspace.get("/api/flows?status=published").await;
        assert_eq!(published["data"]["total"], 0);
        // Every filter at once: the store numbers only the parameters given.
        let (_, all) = workspace
            .get(&format!("/api/flows?status=draft&account_id={clinic}&q=SURVEY&sort=-name&limit=2&page=2"))
            .await;
        let names: Vec<&str> =
            all["data"]["items"].as_array().unwrap().iter().map(|f| f["name"].as_str().unwrap()).collect();
        assert_eq!((all["data"]["total"].as_i64(), names), (Some(4), vec!["Survey 2", "Survey 0"]), "{all}");
        let (_, newest) = workspace.get("/api/flows?limit=1").await;
        assert_eq!(newest["data"]["items"][0]["name"], "Ünïcode Order", "newest change first");
        for (query, field) in [
            ("limit=101", "limit"),
            ("limit=0", "limit"),
            ("page=0", "page"),
            ("page=two", "page"),
            ("status=LIVE", "status"),
            ("sort=random", "sort"),
        ] {
            let (status, body) = workspace.get(&format!("/api/flows?{query}")).await;
            assert_error(status, &body, 400, "invalid_request");
            assert_eq!(body["error"]["field"], field, "{query}: {body}");
        }
    }
}

#[tokio::test]
async fn a_stale_revision_is_refused_and_nothing_is_overwritten() {
    for database in databases("stale").await {
        let workspace = Workspace::start("stale", &database).await;
        let account = workspace.account("sandbox1WA").await;
        let flow_id = id(&workspace.create(&account, "Shared", &valid("first")).await);
        let path = format!("/api/flows/{flow_id}");
        let (status, body) = workspace
            .put(&path, &format!("{{\"revision\": 1, \"json_definition\": {}}}", valid("Ana's")))
            .await;
        assert_eq!((status, body["data"]["revision"].as_i64()), (200, Some(2)), "{body}");
        // A colleague who last read revision 1.
        let (status, body) = workspace
            .put(&path, &format!("{{\"revision\": 1, \"json_definition\": {}}}", valid("Bo's")))
            .await;
        let message = assert_error(status, &body, 409, "stale_revision");
        assert!(
            message.contains("Ana saved this flow meanwhile") && message.contains("revision 2"),
            "{message}"
        );
        assert_eq!(body["error"]["current"]["revision"], 2);
        assert_eq!(body["error"]["current"]["updated_by"], "Ana");
        assert_eq!(
            workspace.text(&format!("{path}/flow.json")).await,
            valid("Ana's"),
            "{}",
            engine(&database)
        );
        // Two clients saving the same revision at once: exactly one wins.
        let saves = (0..6).map(|index| {
            let body =
                format!("{{\"revision\": 2, \"json_definition\": {}}}", valid(&format!("writer {index}")));
            let url = workspace.url(&path);
            async move {
                let response = client()
                    .put(url)
                    .header("content-type", "application/json")
                    .body(body)
                    .send()
                    .await
                    .unwrap();
                response.status().as_u16()
            }
        });
        let mut statuses = futures_util::future::join_all(saves).await;
        statuses.sort_unstable();
        assert_eq!(statuses, [200, 409, 409, 409, 409, 409], "{}", engine(&database));
        assert_eq!(workspace.flow(&flow_id).await["revision"], 3);
    }
}

#[tokio::test]
async fn bad_requests_get_the_envelope_and_change_nothing() {
    for database in databases("refusals").await {
        let workspace = Workspace::start("refusals", &database).await;
        let account = workspace.account("sandbox1WA").await;
        let flow_id = id(&workspace.create(&account, "Kept", &valid("kept")).await);
        let path = format!("/api/flows/{flow_id}");
        let (status, body) = workspace.put(&path, "{\"revision\": 1, \"json_definition\": ").await;
        assert_error(status, &body, 400, "invalid_json");
        let (status, body) =
            workspace.put(&path, "{\"revision\": 1, \"json_definition\": \"{not json\"}").await;
        let message = assert_error(status, &body, 400, "invalid_json");
        assert!(message.contains("line 1"), "{message}");
        let (status, body) = workspace.put(&path, &format!("{{\"json_definition\": {}}}", valid("x"))).await;
        assert_error(status, &body, 400, "invalid_request");
        assert_eq!(body["error"]["field"], "revision");
        let (status, body) = workspace.put(&path, "{\"revision\": 1, \"json_definition\": [1, 2]}").await;
        assert_error(status, &body, 400, "invalid_request");
        let response = client()
            .put(workspace.url(&path))
            .header("content-type", "text/plain")
            .body("{}")
            .send()
            .await
            .unwrap();
        let (status, body) = json(response).await;
        assert_error(status, &body, 415, "unsupported_media_type");
        // Over 10 MB: refused whole.
        let huge = format!(
            "{{\"revision\": 1, \"json_definition\": {{\"version\": \"7.2\", \"pad\": \"{}\"}}}}",
            "x".repeat(10 * 1024 * 1024)
        );
        let (status, body) = workspace.put(&path, &huge).await;
        assert!(status == 413, "{status} {body}");
        let (status, body) = workspace
            .post(
                "/api/flows",
                &json!({"account_id": "nope", "name": "x", "json_definition": {}}).to_string(),
            )
            .await;
        assert_error(status, &body, 404, "not_found");
        let (status, body) = workspace
            .post(
                "/api/flows",
                &json!({"account_id": account, "name": "Kept", "json_definition": {}}).to_string(),
            )
            .await;
        let message = assert_error(status, &body, 409, "name_taken");
        assert!(message.contains("already called 'Kept'"), "{message}");
        let (status, body) = workspace.post("/api/flows", &json!({"account_id": account, "name": "x", "categories": ["MARKETING"], "json_definition": {}}).to_string()).await;
        assert_error(status, &body, 400, "invalid_request");
        let (status, body) = workspace
            .post(
                "/api/flows",
                &json!({"account_id": account, "name": " ", "json_definition": {}}).to_string(),
            )
            .await;
        assert_error(status, &body, 400, "invalid_request");
        let (status, body) = workspace.get("/api/flows/does-not-exist").await;
        assert_error(status, &body, 404, "not_found");
        let (status, body) = workspace.get("/api/flows/..%2F..%2Fetc").await;
        assert_error(status, &body, 404, "not_found");
        // Nothing changed.
        let flow = workspace.flow(&flow_id).await;
        assert_eq!(flow["revision"], 1, "{}", engine(&database));
        assert_eq!(workspace.text(&format!("{path}/flow.json")).await, valid("kept"));
        let (_, list) = workspace.get("/api/flows").await;
        assert_eq!(list["data"]["total"], 1);
    }
}

#[tokio::test]
async fn the_trash_keeps_a_flow_until_it_is_restored() {
    for database in databases("trash").await {
        let workspace = Workspace::start("trash", &database).await;
        let account = workspace.account("sandbox1WA").await;
        let flow_id = id(&workspace.create(&account, "Binned", &valid("x")).await);
        let response = client().delete(workspace.url(&format!("/api/flows/{flow_id}"))).send().await.unwrap();
        let (status, body) = json(response).await;
        assert_eq!(status, 200, "{body}");
        assert!(body["data"]["purge_at"].is_string(), "{body}");
        let (_, live) = workspace.get("/api/flows").await;
        assert_eq!(live["data"]["total"], 0);
        let (_, trash) = workspace.get("/api/flows?trash=1").await;
        assert_eq!(trash["data"]["items"][0]["id"], flow_id.as_str(), "{}", engine(&database));
        let (status, body) = workspace
            .put(
                &format!("/api/flows/{flow_id}"),
                &format!("{{\"revision\": 1, \"json_definition\": {}}}", valid("y")),
            )
            .await;
        assert_error(status, &body, 409, "read_only");
        // Its name is free meanwhile; restoring renames it if it was taken.
        workspace.create(&account, "Binned", &valid("other")).await;
        let (status, body) = workspace.post(&format!("/api/flows/{flow_id}/restore"), "").await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["data"]["name"], "Binned (restored)");
        assert_eq!(body["data"]["deleted_at"], Value::Null);
        let (_, live) = workspace.get("/api/flows").await;
        assert_eq!(live["data"]["total"], 2);
    }
}

#[tokio::test]
async fn history_lists_restores_and_names_versions() {
    for database in databases("history").await {
        let workspace = Workspace::start("history", &database).await;
        let account = workspace.account("sandbox1WA").await;
        let flow_id = id(&workspace.create(&account, "Story", &valid("one")).await);
        let path = format!("/api/flows/{flow_id}");
        let (status, body) = workspace.put(&path, &format!("{{\"revision\": 1, \"json_definition\": {}, \"reason\": \"named\", \"label\": \"First draft\"}}", valid("two"))).await;
        assert_eq!(status, 200, "{body}");
        // Two autosaves of one burst leave one version: the later.
        workspace.put(&path, &format!("{{\"revision\": 2, \"json_definition\": {}}}", valid("three"))).await;
        let (status, body) = workspace
            .put(&path, &format!("{{\"revision\": 3, \"json_definition\": {}}}", valid("four")))
            .await;
        assert_eq!(status, 200, "{body}");
        let (_, versions) = workspace.get(&format!("{path}/versions")).await;
        let kept: Vec<(i64, &str)> = versions["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|version| (version["revision"].as_i64().unwrap(), version["reason"].as_str().unwrap()))
            .collect();
        assert_eq!(kept, [(4, "autosave"), (2, "named"), (1, "created")], "{}", engine(&database));
        assert_eq!(versions["data"][1]["label"], "First draft");
        assert_eq!(versions["data"][0]["author"], "Ana");
        let (status, version) = workspace.get(&format!("{path}/versions/2")).await;
        assert_eq!(status, 200);
        assert_eq!(version["data"]["json_definition"]["screens"][0]["layout"]["children"][0]["text"], "two");
        let (status, body) = workspace.get(&format!("{path}/versions/3")).await;
        assert_error(status, &body, 404, "not_found");
        let (status, body) = workspace.post(&format!("{path}/versions/1/restore"), "{\"revision\": 4}").await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["data"]["revision"], 5);
        assert_eq!(workspace.text(&format!("{path}/flow.json")).await, valid("one"));
        let (_, versions) = workspace.get(&format!("{path}/versions")).await;
        assert_eq!(versions["data"][0]["reason"], "restored");
        assert_eq!(versions["data"][0]["label"], "from version 1");
        // A restore from a stale view is refused.
        let (status, body) = workspace.post(&format!("{path}/versions/2/restore"), "{\"revision\": 4}").await;
        assert_error(status, &body, 409, "stale_revision");
        let (status, body) =
            workspace.post(&format!("{path}/versions"), "{\"label\": \"Back to one\"}").await;
        assert_eq!((status, body["data"]["reason"].as_str()), (200, Some("named")), "{body}");
        assert_eq!(body["data"]["label"], "Back to one");
    }
}

#[tokio::test]
async fn saving_to_whatsapp_then_publishing_follows_whatsapps_rules() {
    for database in databases("lifecycle").await {
        let workspace = Workspace::start("lifecycle", &database).await;
        let account = workspace.account("sandbox2WA").await;
        let flow_id = id(&workspace.create(&account, "Go live", &valid("v1")).await);
        let path = format!("/api/flows/{flow_id}");
        let (status, body) = workspace.post(&format!("{path}/publish"), "").await;
        assert_error(status, &body, 409, "not_on_whatsapp");
        let (status, saved) = workspace.post(&format!("{path}/save-to-meta"), "").await;
        assert_eq!(status, 200, "{saved}");
        let meta_flow_id = saved["data"]["meta_flow_id"].as_str().unwrap().to_owned();
        assert_eq!(saved["data"]["validation_errors"], json!([]));
        // Saving again updates the same flow on WhatsApp: no second one.
        workspace.put(&path, &format!("{{\"revision\": 1, \"json_definition\": {}}}", valid("v2"))).await;
        let (status, body) = workspace.post(&format!("{path}/publish"), "").await;
        assert_error(status, &body, 409, "unsaved_changes");
        let (_, again) = workspace.post(&format!("{path}/save-to-meta"), "").await;
        assert_eq!(again["data"]["meta_flow_id"], meta_flow_id.as_str());
        let (_, on_whatsapp) = json(
            client()
                .get(workspace.server.flows("sandbox2WA", ""))
                .header("x-api-key", "sandbox")
                .send()
                .await
                .unwrap(),
        )
        .await;
        let same_name =
            on_whatsapp["flows"].as_array().unwrap().iter().filter(|flow| flow["name"] == "Go live").count();
        assert_eq!(same_name, 1, "{on_whatsapp}");
        let flow = workspace.flow(&flow_id).await;
        assert_eq!(
            (flow["meta_revision"].as_i64(), flow["has_unsaved_changes"].as_bool()),
            (Some(2), Some(false))
        );
        let (status, body) = workspace.post(&format!("{path}/publish"), "").await;
        assert_eq!((status, body["data"]["status"].as_str()), (200, Some("PUBLISHED")), "{body}");
        // Published: read-only here as on WhatsApp; a new draft is a new flow.
        let (status, body) =
            workspace.put(&path, &format!("{{\"revision\": 2, \"json_definition\": {}}}", valid("v3"))).await;
        let message = assert_error(status, &body, 409, "read_only");
        assert!(message.contains("new draft"), "{message}");
        let (status, body) = workspace.post(&format!("{path}/save-to-meta"), "").await;
        assert_error(status, &body, 409, "read_only");
        let (status, draft) = workspace.post(&format!("{path}/draft"), "").await;
        assert_eq!(status, 201, "{draft}");
        assert_eq!(
            (draft["data"]["name"].as_str(), draft["data"]["status"].as_str()),
            (Some("Go live (new draft)"), Some("DRAFT"))
        );
        assert_eq!(draft["data"]["meta_flow_id"], Value::Null);
        assert_eq!(draft["data"]["source_flow_id"], flow_id.as_str());
        let (_, versions) = workspace.get(&format!("{path}/versions")).await;
        assert_eq!(versions["data"][0]["reason"], "published", "{versions}");
        let (status, body) = workspace.post(&format!("{path}/deprecate"), "").await;
        assert_eq!((status, body["data"]["status"].as_str()), (200, Some("DEPRECATED")), "{body}");
        // WhatsApp's refusal comes back with its code: deprecating twice.
        let (status, body) = workspace.post(&format!("{path}/deprecate"), "").await;
        assert_error(status, &body, 422, "whatsapp_refused");
        assert!(body["error"]["meta_code"].is_u64(), "{body}");
    }
}

#[tokio::test]
async fn meta_validation_errors_are_kept_with_the_version() {
    for database in databases("meta-errors").await {
        let workspace = Workspace::start("meta-errors", &database).await;
        let account = workspace.account("sandbox1WA").await;
        let flow_id =
            id(&workspace.create(&account, "Broken", "{\"version\": \"7.2\", \"screens\": []}").await);
        let (status, saved) = workspace.post(&format!("/api/flows/{flow_id}/save-to-meta"), "").await;
        assert_eq!(status, 200, "{saved}");
        assert!(!saved["data"]["validation_errors"].as_array().unwrap().is_empty(), "{saved}");
        let flow = workspace.flow(&flow_id).await;
        assert_eq!(flow["validation_errors"], saved["data"]["validation_errors"]);
        let (_, versions) = workspace.get(&format!("/api/flows/{flow_id}/versions")).await;
        assert_eq!(versions["data"][0]["reason"], "saved_to_whatsapp");
        assert_eq!(versions["data"][0]["validation_errors"], saved["data"]["validation_errors"]);
        let (status, body) = workspace.post(&format!("/api/flows/{flow_id}/publish"), "").await;
        assert_error(status, &body, 422, "whatsapp_refused");
    }
}

#[tokio::test]
async fn sync_imports_once_and_never_overwrites_unsaved_work() {
    for database in databases("sync").await {
        let workspace = Workspace::start("sync", &database).await;
        let account = workspace.account("sandbox1WA").await;
        let sync = json!({"account_id": account}).to_string();
        let (status, report) = workspace.post("/api/flows/sync", &sync).await;
        assert_eq!(status, 200, "{report}");
        let first = report["data"].clone();
        assert!(first["new"].as_u64().unwrap() >= 3, "{first}");
        assert_eq!(first["synced"], first["new"], "{first}");
        let (_, report) = workspace.post("/api/flows/sync", &sync).await;
        assert_eq!(
            (report["data"]["new"].as_u64(), report["data"]["updated"].as_u64()),
            (Some(0), Some(0)),
            "{}: {report}",
            engine(&database)
        );
        // Imported with their flow.json, which is WhatsApp's (nothing unsaved).
        let (_, list) = workspace.get(&format!("/api/flows?account_id={account}&q=appointment")).await;
        let imported = list["data"]["items"][0].clone();
        assert_eq!(
            (imported["has_unsaved_changes"].as_bool(), imported["status"].as_str()),
            (Some(false), Some("PUBLISHED")),
            "{list}"
        );
        let text = workspace.text(&format!("/api/flows/{}/flow.json", id(&imported))).await;
        assert!(text.contains("\"screens\""), "{text}");

        // A draft changed on WhatsApp (by someone else) while nothing is unsaved here: updated.
        let (_, drafts) = workspace.get(&format!("/api/flows?account_id={account}&status=DRAFT")).await;
        let draft = drafts["data"]["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|flow| flow["meta_flow_id"].is_string())
            .unwrap()
            .clone();
        let meta_id = draft["meta_flow_id"].as_str().unwrap();
        let upload = client()
            .post(workspace.server.flows("sandbox1WA", &format!("/{meta_id}/assets")))
            .header("x-api-key", "sandbox");
        let response = upload
            .multipart(common::flow_json_form(valid("changed on WhatsApp").into_bytes()))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        let (_, report) = workspace.post("/api/flows/sync", &sync).await;
        assert_eq!(
            (report["data"]["new"].as_u64(), report["data"]["updated"].as_u64()),
            (Some(0), Some(1)),
            "{report}"
        );
        let synced = workspace.flow(&id(&draft)).await;
        assert_eq!(synced["revision"], 2);
        assert_eq!(
            workspace.text(&format!("/api/flows/{}/flow.json", id(&draft))).await,
            valid("changed on WhatsApp")
        );

        // Local work not yet saved to WhatsApp, and WhatsApp changes again: a conflict.
        let path = format!("/api/flows/{}", id(&draft));
        let (status, _) = workspace
            .put(&path, &format!("{{\"revision\": 2, \"json_definition\": {}}}", valid("mine")))
            .await;
        assert_eq!(status, 200);
        let response = client()
            .post(workspace.server.flows("sandbox1WA", &format!("/{meta_id}/assets")))
            .header("x-api-key", "sandbox")
            .multipart(common::flow_json_form(valid("theirs").into_bytes()))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        let (_, report) = workspace.post("/api/flows/sync", &sync).await;
        assert_eq!(
            (report["data"]["updated"].as_u64(), report["data"]["conflicts"].as_u64()),
            (Some(1), Some(1)),
            "{report}"
        );
        assert_eq!(workspace.text(&format!("{path}/flow.json")).await, valid("mine"), "unsaved work kept");
        assert!(workspace.flow(&id(&draft)).await["conflict_at"].is_string());
        assert_eq!(workspace.text(&format!("{path}/conflict/flow.json")).await, valid("theirs"));
        // The same conflict found again is not new.
        let (_, report) = workspace.post("/api/flows/sync", &sync).await;
        assert_eq!(report["data"]["updated"], 0, "{report}");
        let (status, resolved) = workspace
            .post(&format!("{path}/conflict"), "{\"resolution\": \"theirs\", \"revision\": 3}")
            .await;
        assert_eq!(status, 200, "{resolved}");
        assert_eq!(
            (resolved["data"]["revision"].as_i64(), resolved["data"]["has_unsaved_changes"].as_bool()),
            (Some(4), Some(false))
        );
        assert_eq!(workspace.text(&format!("{path}/flow.json")).await, valid("theirs"));
        let (_, version) = workspace.get(&format!("{path}/versions/3")).await;
        assert_eq!(
            version["data"]["json_definition"]["screens"][0]["layout"]["children"][0]["text"], "mine",
            "mine kept as a version"
        );
        let (status, body) =
            workspace.post(&format!("{path}/conflict"), "{\"resolution\": \"mine\", \"revision\": 4}").await;
        assert_error(status, &body, 409, "no_conflict");
        let (status, body) =
            workspace.post("/api/flows/sync", &json!({"account_id": "unknown"}).to_string()).await;
        assert_error(status, &body, 404, "not_found");
    }
}

/// Reads SSE events (`event:` name and `data:` JSON) from a response until `until` matches one.
async fn read_events(
    response: reqwest::Response,
    until: impl Fn(&str, &Value) -> bool,
) -> Vec<(String, Value, Option<String>)> {
    let mut stream = response.bytes_stream();
    let mut buffer = String::new();
    let mut events = Vec::new();
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(30);
    loop {
        let chunk = tokio::time::timeout_at(deadline, stream.next())
            .await
            .expect("the event arrives")
            .unwrap()
            .unwrap();
        buffer.push_str(&String::from_utf8_lossy(&chunk));
        while let Some(end) = buffer.find("\n\n") {
            let block: String = buffer.drain(..end + 2).collect();
            let (mut name, mut data, mut event_id) = (String::new(), String::new(), None);
            for line in block.lines() {
                if let Some(value) = line.strip_prefix("event:") {
                    name = value.trim().to_owned();
                } else if let Some(value) = line.strip_prefix("data:") {
                    data.push_str(value.trim());
                } else if let Some(value) = line.strip_prefix("id:") {
                    event_id = Some(value.trim().to_owned());
                }
            }
            if name.is_empty() {
                continue;
            }
            let value: Value = serde_json::from_str(&data).unwrap_or(Value::Null);
            let done = until(&name, &value);
            events.push((name, value, event_id));
            if done {
                return events;
            }
        }
    }
}

#[tokio::test]
async fn events_announce_changes_and_resume_after_the_last_one_seen() {
    for database in databases("events").await {
        let workspace = Workspace::start("events", &database).await;
        let account = workspace.account("sandbox1WA").await;
        let response = client().get(workspace.url("/api/events")).send().await.unwrap();
        assert_eq!(response.headers()["content-type"], "text/event-stream");
        let listening = tokio::spawn(read_events(response, |name, _| name == "flow.changed"));
        // The stream is open once `ready` is sent; give it a moment to subscribe first.
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        let flow_id = id(&workspace.create(&account, "Announced", &valid("x")).await);
        workspace
            .put(
                &format!("/api/flows/{flow_id}"),
                &format!("{{\"revision\": 1, \"json_definition\": {}}}", valid("y")),
            )
            .await;
        let events = listening.await.unwrap();
        let names: Vec<&str> = events.iter().map(|(name, _, _)| name.as_str()).collect();
        assert_eq!(names, ["ready", "flow.created", "flow.changed"], "{}", engine(&database));
        let (_, changed, changed_id) = &events[2];
        assert_eq!(
            (changed["flow_id"].as_str(), changed["revision"].as_i64(), changed["actor"].as_str()),
            (Some(flow_id.as_str()), Some(2), Some("Ana"))
        );
        let created_id = events[1].2.clone().unwrap();
        // Reconnecting after the first: the second is replayed.
        let response = client()
            .get(workspace.url("/api/events"))
            .header("last-event-id", created_id)
            .send()
            .await
            .unwrap();
        let replayed = read_events(response, |name, _| name == "flow.changed").await;
        assert_eq!(replayed.last().unwrap().2, *changed_id);
    }
}
