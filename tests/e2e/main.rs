//! End-to-end tests: the built app, served by a real `flowsmith serve`, driven in headless
//! Chromium. Ignored by plain `cargo test`; `cargo xtask test` runs them after building.
#![cfg(not(target_arch = "wasm32"))]

mod auth;
mod bench;
mod client;
mod connections;
mod editor;
mod endpoint;
mod graph;
mod graph_bench;
mod layout;
mod library;
mod messages;
mod preview;
mod responses;
mod support;
mod workspace;

use std::time::Duration;

use fantoccini::Locator;

#[tokio::test]
#[ignore = "needs the built app and chromedriver: run by `cargo xtask test`"]
async fn served_app_shows_the_sample_flow_screens() {
    let (_server, url) = support::start_server();
    let (_driver, client) = support::start_browser().await;

    client.goto(&url).await.expect("the app loads");
    client
        .wait()
        .at_most(Duration::from_secs(20))
        .for_element(Locator::Css("[data-testid=screen-title]"))
        .await
        .expect("the screen list renders");
    let mut titles = Vec::new();
    for element in client.find_all(Locator::Css("[data-testid=screen-title]")).await.expect("titles") {
        titles.push(element.text().await.expect("a title's text"));
    }
    client.close().await.expect("the session closes");
    assert_eq!(titles, ["Book appointment", "Your details", "Confirm booking"]);
}
