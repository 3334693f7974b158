//! The team's workspace end to end, against a real `flowsmith serve`: the app's workspace
//! client natively (every call and the refusals it reads), and in Chromium: add a draft, edit
//! it, find it from another browser profile; history and restore; a change saved by someone
//! else while this browser had unsent work (the conflict dialog); an edit made offline, sent on
//! reconnect; sync of an account with its counts.
use flowsmith::api::workspace::{WsChange, WsQuery};
use flowsmith::api::{Client, ErrorKind, Via};

use crate::client::Native;
use crate::support::{self, Page};

const VALID: &str = flow_model::templates::APPOINTMENT_BOOKING;

#[tokio::test]
#[ignore = "needs the flowsmith binary: run by `cargo xtask test`"]
async fn the_workspace_client_against_the_server() {
    let (_server, url) = support::start_server();
    let client = Client::new(Native::new(), Via::Server { origin: url.clone() });
    assert!(client.server_config().await.expect("config").workspace);
    let accounts = client.ws_accounts().await.expect("accounts");
    assert_eq!(accounts.len(), 2);
    let clinic = accounts.iter().find(|account| account.external_id == "sandbox1WA").expect("the clinic");
    assert_eq!(clinic.backend, "sandbox");

    let flow = client.ws_create(&clinic.id, "Client test", VALID, "Ana").await.expect("created");
    assert_eq!((flow.revision, flow.status.as_str(), flow.unsaved), (1, "DRAFT", true));
    let (read, json) = client.ws_get(&flow.id).await.expect("read");
    assert_eq!(read.updated_by, "Ana");
    assert_eq!(json, flow_model::json::read(VALID).expect("the template parses"));

    let changed = VALID.replacen("\"version\"", "\"x_note\": \"edited\",\n  \"version\"", 1);
    let change = WsChange { revision: 1, text: Some(changed.clone()), ..WsChange::default() };
    let saved = client.ws_update(&flow.id, &change, "José").await.expect("saved");
    assert_eq!((saved.revision, saved.updated_by.as_str()), (2, "José"));
    // The same revision again: refused, with who saved meanwhile.
    let stale = client.ws_update(&flow.id, &change, "Bo").await.expect_err("stale");
    assert_eq!(stale.code, "stale_revision");
    assert_eq!(
        stale.current.as_ref().map(|flow| (flow.revision, flow.updated_by.clone())),
        Some((2, "José".to_owned()))
    );
    assert!(stale.for_people().contains("José saved this flow meanwhile"), "{}", stale.for_people());

    let page = client.ws_list(&WsQuery { text: "client".into(), ..WsQuery::default() }).await.expect("list");
    assert_eq!((page.total, page.items[0].id.as_str()), (1, flow.id.as_str()));
    let versions = client.ws_versions(&flow.id).await.expect("versions");
    assert_eq!(versions.iter().map(|v| v.revision).collect::<Vec<_>>(), [2, 1]);
    assert_eq!(versions[1].reason_label(), "Created");
    let first = client.ws_version_json(&flow.id, 1).await.expect("version 1");
    assert!(first.get("x_note").is_none());
    let restored = client.ws_restore_version(&flow.id, 1, 2, "Ana").await.expect("restored");
    assert_eq!(restored.revision, 3);
    let named = client.ws_name_version(&flow.id, "Approved", "Ana").await.expect("named");
    assert_eq!((named.revision, named.label.as_deref()), (3, Some("Approved")));

    let saved = client.ws_operation(&flow.id, "save-to-meta", "Ana").await.expect("saved to WhatsApp");
    assert!(saved["meta_flow_id"].is_string(), "{saved}");
    let published = client.ws_operation(&flow.id, "publish", "Ana").await.expect("published");
    assert_eq!(published["status"], "PUBLISHED");
    let read_only = client
        .ws_update(
            &flow.id,
            &WsChange { revision: 3, text: Some(VALID.into()), ..WsChange::default() },
            "Ana",
        )
        .await;
    assert_eq!(read_only.expect_err("read-only").code, "read_only");

    let report = client.ws_sync(&clinic.id, "Ana").await.expect("synced");
    assert!(report.new >= 3 && report.synced == report.new + 1, "{report:?}");
    let again = client.ws_sync(&clinic.id, "Ana").await.expect("synced again");
    assert_eq!((again.new, again.updated), (0, 0));

    let gone = client.ws_get("no-such-flow").await.expect_err("not found");
    assert_eq!((gone.code.as_str(), gone.error.kind), ("not_found", ErrorKind::NotFound));
    let offline = Client::new(
        Native::new(),
        Via::Server { origin: format!("http://127.0.0.1:{}", support::free_port()) },
    );
    assert!(offline.ws_accounts().await.expect_err("nothing listens").is_offline());
}

/// The app with the user's name set, ready.
async fn open_app(page: &Page<'_>, url: &str, user: &str) {
    page.client.goto(url).await.expect("the app loads");
    page.find("[data-testid=screen-list]").await;
    page.until("the workspace", "document.querySelector('[data-testid=workspace-status]')").await;
    page.script(&format!("localStorage.setItem('flowsmith-user-name', '{user}');")).await;
}

async fn status_is(page: &Page<'_>, state: &str) {
    page.until(
        &format!("the workspace status {state}"),
        &format!("document.querySelector('[data-testid=workspace-status]')?.dataset.state == '{state}'"),
    )
    .await;
}

/// Enters the Flows page the editor shows in its dialog (Flows… or History…).
async fn enter_flows_frame(page: &Page<'_>) {
    let frame = page.find("[data-testid=flows-frame]").await;
    frame.enter_frame().await.expect("the Flows page's frame");
    page.find("[data-testid=workspace-flows]").await;
}

async fn leave_frame(page: &Page<'_>) {
    page.client.enter_parent_frame().await.expect("back to the editor");
}

/// Answers the Flows page's "Add to the workspace" (its accounts listed) with `name`.
async fn answer_add(page: &Page<'_>, name: &str) {
    page.until(
        "the accounts",
        "document.querySelectorAll('[data-testid=ws-add-account] option').length == 2",
    )
    .await;
    page.fill("[data-testid=ws-add-name]", name).await;
    page.click("[data-testid=ws-add-save]").await;
}

/// Adds the open draft to the workspace under `name`: "Add to workspace…" opens the Flows
/// page's drafts tab with the question asked; once added, the editor links its draft.
async fn add_draft(page: &Page<'_>, name: &str) {
    page.click("[data-testid=workspace-add]").await;
    let frame = page.find("[data-testid=flows-frame]").await;
    frame.enter_frame().await.expect("the Flows page's frame");
    answer_add(page, name).await;
    leave_frame(page).await;
    status_is(page, "saved").await;
    page.until("the frame closed", "!document.querySelector('[data-testid=flows-frame]')").await;
}

async fn set_title(page: &Page<'_>, title: &str) {
    page.fill("[data-testid=screen-title-input]", title).await;
    status_is(page, "saved").await;
    page.until(
        "the title",
        &format!("document.querySelector('[data-testid=screen-title-input]')?.value == '{title}'"),
    )
    .await;
}

/// Opens the workspace flow `name` from Flows….
async fn open_flow(page: &Page<'_>, name: &str) {
    page.click("[data-testid=open-library]").await;
    enter_flows_frame(page).await;
    let row = format!("[data-testid=ws-flow-row][data-name='{name}']");
    page.find(&row).await;
    page.click(&format!("{row} [data-testid=ws-flow-open]")).await;
    leave_frame(page).await;
    page.until(
        "opened",
        &format!("document.querySelector('[data-testid=draft-name]')?.textContent == '{name}'"),
    )
    .await;
    status_is(page, "saved").await;
}

#[tokio::test]
#[ignore = "needs the built app and chromedriver: run by `cargo xtask test`"]
async fn a_flow_added_and_edited_here_opens_in_another_browser_with_its_history() {
    let (_server, url) = support::start_server();
    let (_driver, client) = support::start_browser().await;
    let page = Page { client: &client };
    open_app(&page, &url, "Ana").await;
    add_draft(&page, "Team booking").await;
    set_title(&page, "Pick a time slot").await;

    // Another browser profile: nothing local, the flow comes from the server.
    let (_driver2, other) = support::start_browser().await;
    let second = Page { client: &other };
    open_app(&second, &url, "Bo").await;
    open_flow(&second, "Team booking").await;
    second
        .until(
            "Ana's title",
            "document.querySelector('[data-testid=screen-title-input]')?.value == 'Pick a time slot'",
        )
        .await;

    // History: the versions with their authors; the first one restored as a new version.
    second.click("[data-testid=open-history]").await;
    enter_flows_frame(&second).await;
    second
        .until("the versions", "document.querySelectorAll('[data-testid=history-version]').length >= 2")
        .await;
    let versions = second.texts("[data-testid=history-version]").await;
    assert!(versions.iter().any(|text| text.contains("Ana")), "{versions:?}");
    second.click("[data-testid=history-version][data-revision='1']").await;
    second
        .until("the comparison", "document.querySelector('[data-testid=comparison] [data-change=changed]')")
        .await;
    let differences = second.texts("[data-testid=comparison] li").await.join("\n");
    assert!(differences.contains("title"), "{differences}");
    second.click("[data-testid=history-restore]").await;
    second
        .until(
            "restored on the server",
            "document.querySelector('[data-testid=history-message]')?.textContent.includes('restored')",
        )
        .await;
    leave_frame(&second).await;
    // The editor follows the restore: it had nothing unsent.
    second
        .until(
            "restored",
            "document.querySelector('[data-testid=screen-title-input]')?.value != 'Pick a time slot'",
        )
        .await;
    status_is(&second, "saved").await;

    // The first browser is told and follows (it had nothing unsent).
    page.until(
        "Bo's restore reaches Ana",
        "document.querySelector('[data-testid=screen-title-input]')?.value != 'Pick a time slot'",
    )
    .await;
}

#[tokio::test]
#[ignore = "needs the built app and chromedriver: run by `cargo xtask test`"]
async fn offline_work_is_sent_on_reconnect_and_a_meanwhile_save_asks_who_wins() {
    let (_server, url) = support::start_server();
    let (_driver, client) = support::start_browser().await;
    let page = Page { client: &client };
    open_app(&page, &url, "Ana").await;
    add_draft(&page, "Offline flow").await;

    // The network goes away (fetch fails as it does offline); the edit waits in this browser.
    page.script("window.__fetch = window.fetch; window.fetch = () => Promise.reject(new TypeError('Failed to fetch'));").await;
    page.fill("[data-testid=screen-title-input]", "Written offline").await;
    status_is(&page, "offline").await;
    let label = page.texts("[data-testid=workspace-status]").await.join("");
    assert!(label.starts_with("Offline:") && label.contains("waiting"), "{label}");
    page.script("window.fetch = window.__fetch; window.dispatchEvent(new Event('online'));").await;
    status_is(&page, "saved").await;
    let api = Client::new(Native::new(), Via::Server { origin: url.clone() });
    let found =
        api.ws_list(&WsQuery { text: "Offline flow".into(), ..WsQuery::default() }).await.expect("list");
    let flow_id = found.items[0].id.clone();
    let (_, json) = api.ws_get(&flow_id).await.expect("the flow");
    assert_eq!(json["screens"][0]["title"], "Written offline");

    // Offline again with an edit waiting, while a colleague saves the same flow.
    page.script("window.fetch = () => Promise.reject(new TypeError('Failed to fetch'));").await;
    page.fill("[data-testid=screen-title-input]", "Mine").await;
    status_is(&page, "offline").await;
    let (current, mut theirs) = api.ws_get(&flow_id).await.expect("the flow");
    theirs["screens"][0]["title"] = "Theirs".into();
    let change = WsChange {
        revision: current.revision,
        text: Some(flow_model::json::compact(&theirs)),
        ..WsChange::default()
    };
    api.ws_update(&flow_id, &change, "Bo").await.expect("Bo saves");
    page.script("window.fetch = window.__fetch; window.dispatchEvent(new Event('online'));").await;
    page.find("[data-testid=workspace-conflict][open]").await;
    let who = page.texts("[data-testid=workspace-conflict-who]").await.join("");
    assert!(who.contains("Bo saved") && who.contains("Offline flow"), "{who}");
    page.click("[data-testid=workspace-conflict-compare]").await;
    page.until(
        "the comparison",
        "document.querySelector('[data-testid=workspace-conflict] [data-testid=comparison] li')",
    )
    .await;
    // Keep mine: sent as a new version; theirs stays in the history.
    page.click("[data-testid=workspace-conflict-mine]").await;
    status_is(&page, "saved").await;
    let (_, json) = api.ws_get(&flow_id).await.expect("the flow");
    assert_eq!(json["screens"][0]["title"], "Mine");
    let versions = api.ws_versions(&flow_id).await.expect("versions");
    assert!(versions.iter().any(|version| version.author == "Bo"), "{versions:?}");
}

#[tokio::test]
#[ignore = "needs the built app and chromedriver: run by `cargo xtask test`"]
async fn sync_imports_an_account_with_its_counts() {
    let (_server, url) = support::start_server();
    let (_driver, client) = support::start_browser().await;
    let page = Page { client: &client };
    // The Flows page on its own (the editor shows the same page in a dialog).
    page.client.goto(&format!("{url}/flows")).await.expect("the Flows page loads");
    page.find("[data-testid=ws-empty]").await;
    page.until(
        "the accounts",
        "document.querySelectorAll('[data-testid=ws-sync-account] option').length == 2",
    )
    .await;
    page.click("[data-testid=ws-sync]").await;
    page.until("synced", "document.querySelector('[data-testid=ws-message]')?.textContent.includes('new')")
        .await;
    let outcome = page.texts("[data-testid=ws-message]").await.join("");
    assert_eq!(outcome, "4 flows on WhatsApp: 4 new, 0 updated.");
    page.until("the list", "document.querySelectorAll('[data-testid=ws-flow-row]').length == 4").await;
    page.click("[data-testid=ws-sync]").await;
    page.until(
        "synced again",
        "document.querySelector('[data-testid=ws-message]')?.textContent.includes('0 new')",
    )
    .await;
    // On its own, Open goes to the editor with the flow; a published flow opens read-only, as
    // on WhatsApp.
    page.click("[data-testid=ws-flow-row][data-name='appointment-booking'] [data-testid=ws-flow-open]").await;
    page.until(
        "the editor with the flow",
        "document.querySelector('[data-testid=draft-name]')?.textContent == 'appointment-booking'",
    )
    .await;
    page.find("[data-testid=read-only-banner]").await;
    status_is(&page, "saved").await;
}

#[tokio::test]
#[ignore = "needs the built app and chromedriver: run by `cargo xtask test`"]
async fn the_drafts_of_this_browser_open_and_rename_from_the_flows_page() {
    let (_server, url) = support::start_server();
    let (_driver, client) = support::start_browser().await;
    let page = Page { client: &client };
    open_app(&page, &url, "Ana").await;
    // A second draft: the empty template.
    page.menu("file-menu", "new-flow").await;
    page.click("[data-template=empty]").await;
    page.until(
        "the new draft",
        "document.querySelector('[data-testid=draft-name]')?.textContent == 'Empty flow'",
    )
    .await;
    // Wait until it is kept in this browser.
    tokio::time::sleep(std::time::Duration::from_millis(800)).await;

    page.menu("file-menu", "drafts").await;
    let frame = page.find("[data-testid=flows-frame]").await;
    frame.enter_frame().await.expect("the Flows page's frame");
    page.until("both drafts", "document.querySelectorAll('[data-testid=draft]').length == 2").await;
    // The open draft cannot be deleted; the other opens in the editor.
    assert_eq!(
        page.script("return document.querySelector('[data-testid=draft][data-name=\"Empty flow\"] [data-testid=draft-delete]').disabled").await,
        true
    );
    page.click("[data-testid=draft][data-name='Appointment booking'] [data-testid=draft-open]").await;
    leave_frame(&page).await;
    page.until(
        "the sample again",
        "document.querySelector('[data-testid=draft-name]')?.textContent == 'Appointment booking'",
    )
    .await;
    page.until("the sample's screens", "document.querySelector('[data-screen-id=APPOINTMENT]')").await;

    // A draft that is not open is added to the workspace from the tab: the page stays, the row
    // says where the draft is, and the workspace's list has it.
    page.menu("file-menu", "drafts").await;
    let frame = page.find("[data-testid=flows-frame]").await;
    frame.enter_frame().await.expect("the Flows page's frame");
    let empty = "[data-testid=draft][data-name='Empty flow']";
    page.click(&format!("{empty} [data-testid=draft-add]")).await;
    answer_add(&page, "Added from the tab").await;
    page.until(
        "the draft in the workspace",
        "document.querySelector(\"[data-testid=draft][data-name='Added from the tab']\")?.textContent.includes('in the workspace')",
    )
    .await;
    assert_eq!(
        page.script("return document.querySelectorAll(\"[data-testid=draft][data-name='Added from the tab'] [data-testid=draft-add]\").length").await,
        0
    );
    page.click("[data-testid=tab-workspace]").await;
    page.find("[data-testid=ws-flow-row][data-name='Added from the tab']").await;
    leave_frame(&page).await;
    status_is(&page, "unlinked").await;
}
