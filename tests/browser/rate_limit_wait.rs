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
