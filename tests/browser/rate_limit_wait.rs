//! A wait for Meta's rate limit shows as progress: the server's notice read into a wait, shown
//! as a status line (never an alert) while it lasts, gone with the next progress.
use flowsmith::components::{RateLimitNotice, RateLimitWait};
use leptos::prelude::*;
use serde_json::json;
use wasm_bindgen_test::wasm_bindgen_test;

use crate::support::{container, texts, tick};

#[wasm_bindgen_test]
async fn a_wait_for_metas_rate_limit_shows_as_progress_until_the_next_progress() {
    let told = json!({"kind": "sync.progress", "account_id": "a1", "waiting_s": 12,
        "message": "waiting 12 s for Meta's rate limit"});
    let wait = RateLimitWait::of_notice(&told).expect("a wait");
    assert_eq!(wait.seconds, 12);
    assert_eq!(RateLimitWait::of_notice(&json!({"kind": "sync.progress", "done": 3, "total": 9})), None);
    let unworded = RateLimitWait::of_notice(&json!({"waiting_s": 4})).expect("a wait");
    assert_eq!(unworded.message, "waiting 4 s for Meta's rate limit");

    let root = container();
    let waiting = RwSignal::new(None::<RateLimitWait>);
    leptos::mount::mount_to(
        root.clone(),
        move || view! { <RateLimitNotice wait=waiting testid="waiting" /> },
    )
    .forget();
    tick().await;
    assert!(texts(&root, "[data-testid=waiting]").is_empty(), "nothing without a wait");

    waiting.set(Some(wait));
    tick().await;
    assert_eq!(texts(&root, "[data-testid=waiting]"), ["waiting 12 s for Meta's rate limit"]);
    let line = root.query_selector("[data-testid=waiting]").unwrap().unwrap();
    assert_eq!(line.get_attribute("role").as_deref(), Some("status"), "progress, not an alert");
    assert!(root.query_selector("[data-testid=waiting] progress").unwrap().is_some());
    assert!(root.query_selector("[role=alert], .field__error").unwrap().is_none(), "never a failure");

    waiting.set(None);
    tick().await;
    assert!(texts(&root, "[data-testid=waiting]").is_empty(), "gone with the next progress");
}

/// A wait of an ordinary call (`whatsapp.waiting`) shows beside the account or the workspace
/// flow it concerns, not beside another, and goes when its seconds are over.
#[wasm_bindgen_test]
async fn a_calls_wait_shows_beside_its_account_or_flow_while_it_lasts() {
    use flowsmith::features::workspace::{AccountWait, AccountWaitNotice, hold_wait};
    let root = container();
    let told = RwSignal::new(None::<AccountWait>);
    let account = RwSignal::new("WA-other".to_owned());
    let flow = RwSignal::new(None::<String>);
    leptos::mount::mount_to(
        root.clone(),
        move || view! { <AccountWaitNotice told=told account=account flow=flow testid="waiting" /> },
    )
    .forget();
    let notice = |data: serde_json::Value| AccountWait::of_notice(&data).expect("a wait");
    hold_wait(
        told,
        notice(json!({"kind": "whatsapp.waiting", "account_id": "WA1", "flow_id": "f1",
        "waiting_s": 1, "message": "waiting 1 s for Meta's rate limit"})),
    );
    tick().await;
    assert!(texts(&root, "[data-testid=waiting]").is_empty(), "another account's wait is not shown");

    flow.set(Some("f1".to_owned()));
    tick().await;
    assert_eq!(texts(&root, "[data-testid=waiting]"), ["waiting 1 s for Meta's rate limit"], "its flow");
    flow.set(None);
    account.set("WA1".to_owned());
    tick().await;
    assert_eq!(texts(&root, "[data-testid=waiting]"), ["waiting 1 s for Meta's rate limit"], "its account");

    // Over after its second (waited for, not timed).
    for _ in 0..60 {
        if texts(&root, "[data-testid=waiting]").is_empty() {
            break;
        }
        crate::support::sleep(100).await;
    }
    assert!(texts(&root, "[data-testid=waiting]").is_empty(), "gone once the wait is over");

    // A second wait told before the first ends is not cut short by the first's end.
    hold_wait(told, notice(json!({"account_id": "WA1", "waiting_s": 1})));
    crate::support::sleep(500).await;
    hold_wait(told, notice(json!({"account_id": "WA1", "waiting_s": 3})));
    crate::support::sleep(800).await;
    assert_eq!(texts(&root, "[data-testid=waiting]"), ["waiting 3 s for Meta's rate limit"]);
}
