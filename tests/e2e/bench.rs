//! Browser measurements of the editor on a maximal flow (100 screens × 50 components, about
//! 1 MB): time to open it, and time per keystroke in a property field until the model, the
//! diagnostics and the visible card are updated. Run by `cargo xtask bench`; they print
//! figures and assert nothing about time.
use std::time::Duration;

use crate::support::{self, Page};

/// In-page: paste the flow, open it, and time until every effect ran (a macrotask boundary)
/// and until the next frame was painted.
const OPEN: &str = r#"
const [text, done] = arguments;
const macrotask = () => new Promise((resolve) => { const channel = new MessageChannel(); channel.port1.onmessage = resolve; channel.port2.postMessage(0); });
const frame = () => new Promise((resolve) => requestAnimationFrame(() => resolve()));
const area = document.querySelector('[data-testid=paste-text]');
area.value = text;
area.dispatchEvent(new Event('input', { bubbles: true }));
await macrotask();
const start = performance.now();
document.querySelector('[data-testid=paste-open]').click();
await macrotask();
const updated = performance.now() - start;
await frame();
await macrotask();
done({ updated, painted: performance.now() - start, cards: document.querySelectorAll('[data-testid=component-card]').length });
"#;

/// In-page: type `count` characters into the selected component's label, one input event
/// each, timing each until every effect ran.
const TYPE: &str = r#"
const [count, done] = arguments;
const macrotask = () => new Promise((resolve) => { const channel = new MessageChannel(); channel.port1.onmessage = resolve; channel.port2.postMessage(0); });
const input = document.querySelector('[data-testid=component-inspector] [data-property=label] > input');
const times = [];
for (let i = 0; i < count; i++) {
  await macrotask();
  const start = performance.now();
  input.value = input.value + String.fromCharCode(97 + (i % 26));
  input.dispatchEvent(new Event('input', { bubbles: true }));
  await macrotask();
  times.push(performance.now() - start);
  const card = document.querySelector('[data-testid=component-card][aria-current=true] .card__heading');
  if (!input.value.startsWith(card.textContent.replace('…', ''))) { done({ error: 'card not updated: ' + card.textContent }); return; }
}
done({ times });
"#;

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted.get(index).copied().unwrap_or(f64::NAN)
}

#[tokio::test]
#[ignore = "a measurement: run by `cargo xtask bench`"]
async fn bench_editor_on_a_maximal_flow() {
    let flow = flow_model::samples::maximal_flow(100, 50);
    let (_server, url) = support::start_server();
    let (_driver, client) = support::start_browser().await;
    let page = Page { client: &client };
    client.goto(&url).await.expect("the app loads");
    page.find("[data-testid=screen-list]").await;

    let mut opens = Vec::new();
    for _ in 0..5 {
        page.menu("file-menu", "paste-flow").await;
        let result = client
            .execute_async(OPEN, vec![serde_json::Value::from(flow.clone())])
            .await
            .expect("the open script runs");
        opens.push((
            result["updated"].as_f64().unwrap_or(f64::NAN),
            result["painted"].as_f64().unwrap_or(f64::NAN),
        ));
        assert!(result["cards"].as_u64().unwrap_or(0) > 0, "the first screen's cards show: {result}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }

    // A TextInput in the middle of the flow.
    page.click("[data-screen-id=SCREEN_BX] .screen-item__main").await;
    page.click("[data-testid=component-card][data-type=TextInput]").await;
    page.find("[data-testid=component-inspector] [data-property=label] > input").await;
    let result =
        client.execute_async(TYPE, vec![serde_json::Value::from(200)]).await.expect("the typing script runs");
    assert!(result.get("error").is_none(), "{result}");
    let mut times: Vec<f64> =
        result["times"].as_array().expect("times").iter().filter_map(|t| t.as_f64()).collect();
    times.sort_by(f64::total_cmp);
    let mut open_updated: Vec<f64> = opens.iter().map(|o| o.0).collect();
    let mut open_painted: Vec<f64> = opens.iter().map(|o| o.1).collect();
    open_updated.sort_by(f64::total_cmp);
    open_painted.sort_by(f64::total_cmp);
    println!("flow: {} bytes, 100 screens x 50 components", flow.len());
    println!(
        "open (paste, 5 runs): median {:.1} ms to model and DOM, {:.1} ms to the first painted frame",
        percentile(&open_updated, 0.5),
        percentile(&open_painted, 0.5)
    );
    println!(
        "keystroke in a label (200 keys): median {:.1} ms, p95 {:.1} ms, max {:.1} ms",
        percentile(&times, 0.5),
        percentile(&times, 0.95),
        times.last().copied().unwrap_or(f64::NAN)
    );
    client.close().await.expect("the session closes");
}

/// In-page (on any page of the server): a flow's `#flow=` fragment, base64url of raw deflate.
pub const FRAGMENT: &str = r#"
const [text, done] = arguments;
const stream = new Blob([text]).stream().pipeThrough(new CompressionStream('deflate-raw'));
new Response(stream).arrayBuffer().then((buffer) => {
  let binary = '';
  const bytes = new Uint8Array(buffer);
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
  done(btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, ''));
});
"#;

/// In-page (the embed page): switch to each screen in turn through the screen picker, timing
/// each until every effect ran (model and DOM) and until the next frame was painted.
const SWITCH: &str = r#"
const [rounds, done] = arguments;
const macrotask = () => new Promise((resolve) => { const channel = new MessageChannel(); channel.port1.onmessage = resolve; channel.port2.postMessage(0); });
const frame = () => new Promise((resolve) => requestAnimationFrame(() => resolve()));
const select = document.querySelector('[data-testid=preview-screen-select]');
const ids = Array.from(select.options).map((option) => option.value);
const updated = [], painted = [];
let components = 0;
for (let round = 0; round < rounds; round++) {
  const id = ids[(round + 1) % ids.length];
  await frame();
  await macrotask();
  const start = performance.now();
  select.value = id;
  select.dispatchEvent(new Event('change', { bubbles: true }));
  await macrotask();
  updated.push(performance.now() - start);
  await frame();
  await macrotask();
  painted.push(performance.now() - start);
  const screen = document.querySelector('[data-testid=preview-screen]');
  if (screen.dataset.screenId !== id) { done({ error: 'showing ' + screen.dataset.screenId + ' not ' + id }); return; }
  components = screen.querySelectorAll('[data-pointer]').length;
}
done({ updated, painted, components });
"#;

fn summary(values: &mut [f64]) -> String {
    values.sort_by(f64::total_cmp);
    format!(
        "median {:.1} ms, p95 {:.1} ms, max {:.1} ms",
        percentile(values, 0.5),
        percentile(values, 0.95),
        values.last().copied().unwrap_or(f64::NAN)
    )
}

#[tokio::test]
#[ignore = "a measurement: run by `cargo xtask bench`"]
async fn bench_preview_switch_to_a_50_component_screen() {
    let flow = flow_model::samples::maximal_flow(10, 50);
    let (_server, url) = support::start_server();
    let (_driver, client) = support::start_browser().await;
    let page = Page { client: &client };
    client.goto(&format!("{url}/healthz")).await.expect("a page of the server");
    let fragment = client
        .execute_async(FRAGMENT, vec![serde_json::Value::from(flow.clone())])
        .await
        .expect("the fragment");
    client
        .goto(&format!("{url}/embed#flow={}", fragment.as_str().expect("text")))
        .await
        .expect("the embed page loads");
    page.find("[data-testid=preview-screen]").await;
    let result = client
        .execute_async(SWITCH, vec![serde_json::Value::from(60)])
        .await
        .expect("the switch script runs");
    assert!(result.get("error").is_none(), "{result}");
    let times = |key: &str| -> Vec<f64> {
        result[key].as_array().expect("times").iter().filter_map(serde_json::Value::as_f64).collect()
    };
    println!(
        "preview: switch screens of {} components drawn (of 50; hidden If branches are not drawn), 60 switches",
        result["components"]
    );
    println!("  to model and DOM: {}", summary(&mut times("updated")));
    println!("  to the next painted frame: {}", summary(&mut times("painted")));
    client.close().await.expect("the session closes");
}

#[tokio::test]
#[ignore = "a measurement: run by `cargo xtask bench`"]
async fn bench_embed_first_render_with_a_warm_cache() {
    let (_server, url) = support::start_server();
    let (_driver, client) = support::start_browser().await;
    let page = Page { client: &client };
    client.goto(&format!("{url}/healthz")).await.expect("a page of the server");
    let flow = flow_model::templates::APPOINTMENT_BOOKING;
    let fragment =
        client.execute_async(FRAGMENT, vec![serde_json::Value::from(flow)]).await.expect("the fragment");
    let embed = format!("{url}/embed#flow={}", fragment.as_str().expect("text"));
    let mut first = Vec::new();
    let mut loaded = Vec::new();
    for run in 0..8 {
        client.goto(&format!("{url}/healthz")).await.expect("away");
        client.goto(&embed).await.expect("the embed page loads");
        page.find("[data-testid=preview-screen]").await;
        page.until(
            "the first-render mark",
            "performance.getEntriesByName('flowsmith:first-render').length > 0",
        )
        .await;
        let timing = page
            .script(
                "const [nav] = performance.getEntriesByType('navigation'); \
                 return { first: performance.getEntriesByName('flowsmith:first-render')[0].startTime, load: nav.loadEventEnd };",
            )
            .await;
        // The first two runs fill the HTTP cache and V8's code cache for the wasm module.
        if run >= 2 {
            first.push(timing["first"].as_f64().unwrap_or(f64::NAN));
            loaded.push(timing["load"].as_f64().unwrap_or(f64::NAN));
        }
    }
    println!("embed page, warm cache (6 loads after 2 warm-up loads), time from navigation start:");
    println!("  first screen drawn: {}", summary(&mut first));
    println!("  load event end: {}", summary(&mut loaded));
    client.close().await.expect("the session closes");
}
