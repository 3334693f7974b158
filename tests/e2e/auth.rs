//! Sign-in end to end: once a user exists, the app sends a browser without a session to the
//! server's sign-in page and comes back to where it was; what a viewer may not do is disabled
//! in the app, which says why (the server's refusals are tested in `crates/server/tests/auth.rs`).
use flowsmith::api::{Client, Via};

use crate::client::Native;
use crate::support::{self, Page};

const VALID: &str = flow_model::templates::APPOINTMENT_BOOKING;
pub(crate) const PASSWORD: &str = "a long enough password";

/// Signs in on the sign-in page the browser was sent to.
pub(crate) async fn sign_in(page: &Page<'_>, name: &str, password: &str) {
    page.until("the sign-in page", "location.pathname == '/signin'").await;
    page.fill("[data-testid=sign-in-username]", name).await;
    page.fill("[data-testid=sign-in-password]", password).await;
    page.click("[data-testid=sign-in-submit]").await;
}

#[tokio::test]
#[ignore = "needs the built app and chromedriver: run by `cargo xtask test`"]
async fn sign_in_and_a_viewer_cannot_publish() {
    let data_dir = support::fresh_data_dir();
    let (_server, url) = support::start_server_in(&data_dir, &[]);
    // Before any user exists (loopback: no sign-in), a flow saved to WhatsApp, ready to publish.
    let api = Client::new(Native::new(), Via::Server { origin: url.clone() });
    let accounts = api.ws_accounts().await.expect("accounts");
    let account = accounts.iter().find(|account| account.external_id == "sandbox1WA").expect("the clinic");
    let flow = api.ws_create(&account.id, "Signed", VALID, "Ana").await.expect("created");
    api.ws_operation(&flow.id, "save-to-meta", "Ana").await.expect("saved to WhatsApp");
    // Users added from the command line while the server runs turn sign-in on.
    support::add_user(&data_dir, "vera", "viewer", PASSWORD);
    support::add_user(&data_dir, "admin", "admin", PASSWORD);

    let (_driver, client) = support::start_browser().await;
    let page = Page { client: &client };
    let editor = format!("{url}/?flow={}", flow.id);
    page.client.goto(&editor).await.expect("the app loads");
    sign_in(&page, "vera", "not the password").await;
    page.until(
        "the refusal",
        "document.querySelector('[data-testid=sign-in-error]').textContent.includes('Wrong user name or password')",
    )
    .await;
    sign_in(&page, "vera", PASSWORD).await;
    // Back where the browser was going: the flow in the editor.
    page.until(
        "the flow in the editor",
        "document.querySelector('[data-testid=draft-name]')?.textContent == 'Signed'",
    )
    .await;
    let cookie_visible = page.script("return document.cookie.includes('flowsmith_session')").await;
    assert_eq!(cookie_visible, false, "the session cookie is HttpOnly");

    // What the role does not allow is disabled and says why; what it allows is not.
    let publish = "document.querySelector('[data-testid=publish]')";
    page.until(
        "publish disabled for a viewer",
        &format!("{publish}.disabled && {publish}.title.includes('publisher role')"),
    )
    .await;
    let title = page.script(&format!("return {publish}.title")).await;
    assert_eq!(title, "This needs the publisher role; vera is viewer here. An admin can change it.");
    let save = "document.querySelector('[data-testid=save-remote]')";
    assert_eq!(
        page.script(&format!("return {save}.disabled && {save}.title.includes('editor role')")).await,
        true
    );
    page.until(
        "the viewer's signed-in name",
        "document.querySelector('[data-testid=sign-out]')?.textContent == 'vera'",
    )
    .await;
    // The Flows page: History and Open for everyone, the changes disabled with why.
    page.client.goto(&format!("{url}/flows")).await.expect("the Flows page loads");
    page.until("the flow's row", "document.querySelector('[data-testid=ws-flow-rename]')?.disabled === true")
        .await;
    assert_eq!(
        page.script("return document.querySelector('[data-testid=ws-flow-open]').disabled").await,
        false
    );
    let sync = "document.querySelector('[data-testid=ws-sync]')";
    assert_eq!(
        page.script(&format!("return {sync}.disabled && {sync}.title.includes('publisher role')")).await,
        true
    );
    // Signing out ends the session and goes back to the sign-in page.
    page.client.goto(&editor).await.expect("the app loads");
    page.click("[data-testid=sign-out]").await;
    page.until("the sign-in page", "location.pathname == '/signin'").await;
    page.client.goto(&editor).await.expect("the app loads");
    page.until("asked to sign in again", "location.pathname == '/signin'").await;
    let status = api.ws_get(&flow.id).await;
    assert!(status.is_err(), "without a session the API client is refused too");
}

#[tokio::test]
#[ignore = "needs the built app and chromedriver: run by `cargo xtask test`"]
async fn serving_others_without_sign_in_is_said_in_the_app() {
    let (_server, url) = support::start_server_with(&["--bind", "0.0.0.0", "--insecure-no-auth"]);
    let url = url.replace("0.0.0.0", "127.0.0.1");
    let (_driver, client) = support::start_browser().await;
    let page = Page { client: &client };
    page.client.goto(&url).await.expect("the app loads");
    page.find("[data-testid=screen-list]").await;
    let warning = page.texts("[data-testid=server-warning]").await.join("");
    assert!(warning.contains("--insecure-no-auth") && warning.contains("flowsmith user add"), "{warning}");
}

/// A server with one admin, `ada`, signed in on its admin page in a fresh browser: the server,
/// the browser's driver and the browser.
async fn admin_signed_in() -> (support::Process, support::Process, fantoccini::Client) {
    let data_dir = support::fresh_data_dir();
    support::add_user(&data_dir, "ada", "admin", PASSWORD);
    let (server, url) = support::start_server_in(&data_dir, &[]);
    let (driver, client) = support::start_browser().await;
    let page = Page { client: &client };
    page.client.goto(&format!("{url}/admin")).await.expect("the admin page loads");
    sign_in(&page, "ada", PASSWORD).await;
    (server, driver, client)
}

#[tokio::test]
#[ignore = "needs the built app and chromedriver: run by `cargo xtask test`"]
async fn an_admin_adds_a_user_and_a_connection_and_the_audit_lists_them() {
    let (_server, _driver, client) = admin_signed_in().await;
    let page = Page { client: &client };
    page.until(
        "back on the admin page",
        "document.querySelector('[data-testid=admin-users] tr[data-name=ada]')",
    )
    .await;
    page.fill("[data-testid=admin-add-name]", "bea").await;
    page.choose("[data-testid=admin-add-role]", "editor").await;
    page.fill("[data-testid=admin-add-password]", "bea's long password").await;
    page.click("[data-testid=admin-add-submit]").await;
    page.until("the new user", "document.querySelector('[data-testid=admin-users] tr[data-name=bea]')").await;
    let row = page.texts("[data-testid=admin-users] tr[data-name=bea] td").await;
    assert_eq!(row[..2], ["bea".to_owned(), "editor".to_owned()]);
    // A role on one account: publisher on the first account listed, shown in her row.
    let bea = "[data-testid=admin-users] tr[data-name=bea]";
    page.choose(&format!("{bea} select[aria-label='Role of bea on the account']"), "publisher").await;
    page.click(&format!("{bea} button:nth-of-type(2)")).await;
    page.until(
        "her role on one account",
        &format!("document.querySelector('{bea} td:nth-child(3)')?.textContent.endsWith(': publisher')"),
    )
    .await;
    page.until(
        "the audit line",
        "[...document.querySelectorAll('[data-testid=admin-audit] tr')].some(r => r.textContent.includes('user_add') && r.textContent.includes('user bea'))",
    )
    .await;
    let audit = page.texts("[data-testid=admin-audit] tr").await.join("\n");
    assert!(audit.contains("sign_in"), "{audit}");

    // A 360dialog partner's connection: the key is shown by its last four characters only,
    // and the page keeps it nowhere once sent.
    const KEY: &str = "pk_e2e_partner_key_4f2a";
    page.fill("[data-testid=admin-connect-name]", "Team partner").await;
    page.fill("[data-testid=admin-connect-partner]", "teamPA").await;
    page.fill("[data-testid=admin-connect-key]", KEY).await;
    page.click("[data-testid=admin-connect-submit]").await;
    page.until(
        "the new connection",
        "[...document.querySelectorAll('[data-testid=admin-connections] tr')].some(r => r.textContent.includes('Team partner'))",
    )
    .await;
    let rows = page.texts("[data-testid=admin-connections] tr").await.join("\n");
    assert!(rows.contains("teamPA") && rows.contains("…4f2a"), "{rows}");
    assert!(!page.keeps(KEY).await, "the key stays nowhere in the page or the browser's storage");
    page.until(
        "the credential's audit line",
        "[...document.querySelectorAll('[data-testid=admin-audit] tr')].some(r => r.textContent.includes('credential_add') && r.textContent.includes('…4f2a'))",
    )
    .await;
}

/// The admin page's endpoint key through its life on WhatsApp: made, uploaded (`VALID`), the
/// number registered again at Meta (the sandbox's control route plays it: `MISMATCH`, which the
/// page says how to mend), uploaded again (`VALID`).
#[tokio::test]
#[ignore = "needs the built app and chromedriver: run by `cargo xtask test`"]
async fn an_admin_sees_a_mismatched_endpoint_key_and_uploads_it_again() {
    let (_server, _driver, client) = admin_signed_in().await;
    let page = Page { client: &client };
    let row = "[data-testid=admin-endpoint-keys] tr:first-child";
    page.until(
        "the accounts' keys",
        &format!("document.querySelector('{row} [data-testid=admin-key-generate]')"),
    )
    .await;
    page.click(&format!("{row} [data-testid=admin-key-generate]")).await;
    page.until("a key pair", &format!("document.querySelector('{row} [data-testid=admin-key-upload]')"))
        .await;
    let message = |words: &str| {
        format!("document.querySelector('[data-testid=admin-message]').textContent.includes('{words}')")
    };
    page.click(&format!("{row} [data-testid=admin-key-upload]")).await;
    page.until("uploaded", &message("Uploaded the public key")).await;
    page.click(&format!("{row} [data-testid=admin-key-status]")).await;
    page.until("valid", &message("holds this key, status VALID")).await;

    // Both sandbox WABAs' numbers registered again (Graph ids: the WABA's Meta id and a 0),
    // asked from the page: the control route wants an admin's session, as every route here.
    page.script(
        "window.registered = Promise.all(['1022901293403980', '1022901293403990'].map((number) => \
         fetch('/sandbox/control/phone_numbers/' + number + '/register', \
         { method: 'POST', headers: { 'X-API-Key': 'sandbox' } }).then((answer) => answer.status))) \
         .then((statuses) => { window.registered = statuses.join(); });",
    )
    .await;
    page.until("both registered", "window.registered === '200,200'").await;
    page.click(&format!("{row} [data-testid=admin-key-status]")).await;
    page.until(
        "mismatch",
        &message("status MISMATCH: the number was registered again; upload the key again"),
    )
    .await;
    page.until(
        "the row says it",
        &format!("document.querySelector('{row}').textContent.includes('MISMATCH')"),
    )
    .await;
    page.click(&format!("{row} [data-testid=admin-key-upload]")).await;
    page.until("uploaded again", &message("Uploaded the public key")).await;
    page.click(&format!("{row} [data-testid=admin-key-status]")).await;
    page.until("valid again", &message("holds this key, status VALID")).await;
}
