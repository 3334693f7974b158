//! A stored connection to Meta's Graph API end to end: an admin adds it on `/admin` (the token
//! shown by its last four characters only, kept nowhere in the page); the app lists its account
//! with the server's own and works on it through its Partner-shaped routes, which the server
//! answers through that connection (a second server's Graph sandbox): open a draft from the
//! library, publish it (waiting once for Meta's rate limit, shown beside the account); the
//! other server has it published.
use flowsmith::api::{Account, Client, HttpRequest, Method, Transport, Via};

use crate::auth::{PASSWORD, sign_in};
use crate::client::Native;
use crate::library::{Backend, connect, open_library, row, status_is};
use crate::support::{self, Page};

/// The stored token: the second server's sandbox key.
const TOKEN: &str = "meta-e2e-system-user-token-4b7c";

/// This server is in sandbox mode; the stored connection's account is the shop, by Meta's id.
const STORED: Backend =
    Backend { badge: "Sandbox", partner: "sandboxPA", clinic: "sandbox1WA", shop: "102290129340399" };

#[tokio::test]
#[ignore = "needs the built app and chromedriver: run by `cargo xtask test`"]
async fn an_admin_adds_a_meta_connection_and_the_designer_publishes_on_its_account() {
    // This server's port is chosen first: the second server's preview pages must let it frame them.
    let port = support::free_port();
    let (_meta, meta_url) = support::start_server_with(&[
        "--sandbox-api-key",
        TOKEN,
        "--frame-ancestor",
        &format!("http://127.0.0.1:{port}"),
    ]);
    let graph_url = format!("{meta_url}/sandbox/graph/v21.0");
    let data_dir = support::fresh_data_dir();
    support::add_user(&data_dir, "ada", "admin", PASSWORD);
    let (_server, url) = support::start_server_on(&data_dir, port, &["--graph-url", &graph_url]);
    let (_driver, client) = support::start_browser().await;
    let page = Page { client: &client };

    // The admin signs in and adds the connection: kind, name, the WABA, the token.
    client.goto(&format!("{url}/admin")).await.expect("the admin page loads");
    sign_in(&page, "ada", PASSWORD).await;
    page.until("the connections", "document.querySelector('[data-testid=admin-connections] tr')").await;
    page.choose("[data-testid=admin-connect-kind]", "graph").await;
    page.until(
        "the WABA field",
        "!document.querySelector('[data-testid=admin-connect-wabas]').closest('label').hidden",
    )
    .await;
    page.fill("[data-testid=admin-connect-name]", "Meta shop").await;
    page.fill("[data-testid=admin-connect-wabas]", STORED.shop).await;
    page.fill("[data-testid=admin-connect-key]", TOKEN).await;
    page.click("[data-testid=admin-connect-submit]").await;
    page.until(
        "the new connection",
        "[...document.querySelectorAll('[data-testid=admin-connections] tr')].some(r => r.textContent.includes('Meta shop'))",
    )
    .await;
    let rows = page.texts("[data-testid=admin-connections] tr").await.join("\n");
    assert!(rows.contains(STORED.shop) && rows.contains("…4b7c") && rows.contains("ready"), "{rows}");
    assert!(!page.keeps(TOKEN).await, "the token stays nowhere in the page or the browser's storage");

    // The designer: the stored account is offered beside the sandbox's; its flows are Meta's.
    client.goto(&url).await.expect("the app loads");
    page.find("[data-testid=screen-list]").await;
    connect(&page, &STORED, STORED.shop).await;
    // The badge says which backend the chosen account is reached through, not the server's mode.
    page.until("the Meta badge", "document.querySelector('[data-testid=mode-badge]')?.textContent == 'Meta'")
        .await;
    open_library(&page).await;
    page.until("the shop's flows", &format!("document.querySelector(\"{}\")", row("contact-us"))).await;
    page.click(&format!("{} [data-testid=flow-open]", row("appointment-booking"))).await;
    client.enter_parent_frame().await.expect("back to the editor");
    page.until(
        "opened",
        "document.querySelector('[data-testid=draft-name]')?.textContent == 'appointment-booking'",
    )
    .await;
    status_is(&page, "DRAFT").await;
    // Meta's rate limit refuses the publish once: the wait shows beside the account, as
    // progress, and the publish goes through after it.
    let limit = HttpRequest {
        method: Method::Post,
        url: format!("{meta_url}/sandbox/control/graph/rate_limit"),
        headers: vec![("Content-Type", "application/json".to_owned()), ("X-API-Key", TOKEN.to_owned())],
        body: Some(r#"{"calls": 1, "retry_after": 3}"#.to_owned()),
    };
    let limited = Native::new().send(limit).await.expect("the other server's sandbox control");
    assert_eq!(limited.status, 200, "{}", limited.body);
    page.menu("flow-menu", "publish").await;
    page.click("[data-testid=publish-confirm]").await;
    page.until(
        "the wait for Meta's rate limit",
        "document.querySelector('[data-testid=whatsapp-waiting]')?.textContent.includes('waiting 3 s for Meta')",
    )
    .await;
    assert!(
        page.texts("[role=alert]").await.iter().all(|text| text.trim().is_empty()),
        "a wait is no failure"
    );
    status_is(&page, "PUBLISHED").await;

    // Published on the other server, through Meta's Graph API.
    let meta = Client::new(Native::new(), Via::Server { origin: meta_url.clone() });
    let shop = Account { partner_id: "sandboxPA".into(), waba_id: "sandbox2WA".into() };
    let flows = meta.list_flows(&shop).await.expect("the other server's flows");
    let published = flows.iter().find(|flow| flow.name == "appointment-booking").expect("the flow");
    assert_eq!(published.status, "PUBLISHED");
}
