//! Waits for Meta's rate limit of ordinary calls: the server tells of them as `whatsapp.waiting`
//! events (the app's calls through its proxy, and a workspace flow's save to WhatsApp, publish
//! and deprecate), naming the WhatsApp account as the app's paths do and, for a workspace
//! flow's calls, the flow. A wait shows beside the account or flow it concerns until its
//! seconds are over or a later wait replaces it; a wait elsewhere is none of this page's
//! business.
use std::sync::atomic::{AtomicU64, Ordering};

use leptos::prelude::*;
use serde_json::Value;

use crate::components::{RateLimitNotice, RateLimitWait};

/// A wait the server told of, and what it concerns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountWait {
    /// The WhatsApp account (360dialog's channel id or Meta's WABA id, as in the app's paths).
    pub account: String,
    /// The workspace flow whose call waits, if it was one.
    pub flow: Option<String>,
    /// How long, in words.
    pub wait: RateLimitWait,
    /// Tells two equal waits apart, so the end of the first does not hide the second.
    told: u64,
}

static TOLD: AtomicU64 = AtomicU64::new(0);

impl AccountWait {
    /// The wait of a `whatsapp.waiting` event's data; `None` when it tells of none.
    pub fn of_notice(data: &Value) -> Option<AccountWait> {
        let text = |key: &str| data.get(key).and_then(Value::as_str).map(str::to_owned);
        Some(AccountWait {
            account: text("account_id").unwrap_or_default(),
            flow: text("flow_id"),
            wait: RateLimitWait::of_notice(data)?,
            told: TOLD.fetch_add(1, Ordering::Relaxed),
        })
    }

    /// Whether it concerns `account` (empty: none chosen) or the workspace flow `flow`.
    pub fn concerns(&self, account: &str, flow: Option<&str>) -> bool {
        (!account.is_empty() && self.account == account) || (flow.is_some() && self.flow.as_deref() == flow)
    }
}

/// Shows `wait` in `slot` until its seconds are over (unless a later one replaced it).
pub fn hold(slot: RwSignal<Option<AccountWait>>, wait: AccountWait) {
    let seconds = wait.wait.seconds.max(1);
    let told = wait.told;
    slot.set(Some(wait));
    set_timeout(
        move || {
            // The page may have gone meanwhile: then there is nothing to clear.
            let _ = slot.try_update(|shown| {
                if shown.as_ref().is_some_and(|shown| shown.told == told) {
                    *shown = None;
                }
            });
        },
        std::time::Duration::from_secs(seconds),
    );
}

/// The wait in `slot` when it concerns `account` or the workspace flow `flow`.
#[component]
pub fn AccountWaitNotice(
    /// Where the page keeps the last wait told (not `slot`: a word Leptos keeps for itself).
    told: RwSignal<Option<AccountWait>>,
    /// The WhatsApp account shown.
    #[prop(into)]
    account: Signal<String>,
    /// The workspace flow shown, if any.
    #[prop(into, optional)]
    flow: Signal<Option<String>>,
    /// The line's `data-testid`.
    testid: &'static str,
) -> impl IntoView {
    let wait = Signal::derive(move || {
        told.get().filter(|wait| wait.concerns(&account.get(), flow.get().as_deref())).map(|wait| wait.wait)
    });
    view! { <RateLimitNotice wait=wait testid=testid /> }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_wait_concerns_its_account_or_its_flow() {
        let told = json!({"account_id": "WA1", "flow_id": "f1", "waiting_s": 12,
            "message": "waiting 12 s for Meta's rate limit"});
        let wait = AccountWait::of_notice(&told).unwrap();
        assert_eq!(wait.wait.seconds, 12);
        assert!(wait.concerns("WA1", None));
        assert!(wait.concerns("", Some("f1")));
        assert!(!wait.concerns("WA2", Some("f2")));
        assert!(!wait.concerns("", None));
        let other = AccountWait::of_notice(&json!({"account_id": "WA1", "waiting_s": 12})).unwrap();
        assert_ne!(wait.told, other.told);
        assert!(AccountWait::of_notice(&json!({"account_id": "WA1"})).is_none());
    }
}
