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

/// In-page: `count` frames of dragging the inspector's splitter to and fro; per frame, the
/// time from the animation frame (where the pointer moves) to the task after the frame is
/// painted. A MutationObserver counts what changes inside the canvas meanwhile.
const DRAG_SPLITTER: &str = r#"
const [count, done] = arguments;
const frame = () => new Promise((resolve) => requestAnimationFrame(resolve));
const macrotask = () => new Promise((resolve) => { const channel = new MessageChannel(); channel.port1.onmessage = resolve; channel.port2.postMessage(0); });
const canvas = document.querySelector('[data-testid=canvas]');
let mutations = 0;
const observer = new MutationObserver((records) => { mutations += records.length; });
observer.observe(canvas, { subtree: true, childList: true, characterData: true, attributes: true });
const splitter = document.querySelector('[data-testid=splitter][aria-controls=pane-inspector]');
const rect = splitter.getBoundingClientRect();
const x = rect.left + rect.width / 2, y = rect.top + 200;
const pointer = { pointerId: 9, button: 0, isPrimary: true, bubbles: true, clientY: y };
splitter.dispatchEvent(new PointerEvent('pointerdown', { ...pointer, clientX: x }));
const work = [];
const widths = new Set();
for (let i = 0; i < count; i++) {
  await frame();
  const start = performance.now();
  document.dispatchEvent(new PointerEvent('pointermove', { ...pointer, clientX: x - Math.sin(i / 10) * 150 }));
  await macrotask();
  work.push(performance.now() - start);
  widths.add(Math.round(document.getElementById('pane-inspector').getBoundingClientRect().width));
}
document.dispatchEvent(new PointerEvent('pointerup', { ...pointer, clientX: x }));
observer.disconnect();
done({ work, mutations, widths: widths.size, cards: canvas.querySelectorAll('[data-testid=component-card]').length });
"#;

/// In-page: from each `resize` event (sent as the frame's rendering starts) to the task after
/// that frame is painted; mutations inside the canvas counted as above.
const WATCH_RESIZES: &str = r#"
const macrotask = () => new Promise((resolve) => { const channel = new MessageChannel(); channel.port1.onmessage = resolve; channel.port2.postMessage(0); });
window.resizeWork = [];
window.resizeMutations = 0;
const observer = new MutationObserver((records) => { window.resizeMutations += records.length; });
observer.observe(document.querySelector('[data-testid=canvas]'), { subtree: true, childList: true, characterData: true, attributes: true });
addEventListener('resize', () => {
  const start = performance.now();
  requestAnimationFrame(() => macrotask().then(() => window.resizeWork.push(performance.now() - start)));
});
return true;
"#;

#[tokio::test]
#[ignore = "a measurement: run by `cargo xtask bench`"]
async fn bench_layout_resize_and_splitter_on_a_maximal_flow() {
    let flow = flow_model::samples::maximal_flow(100, 50);
    let (_server, url) = support::start_server();
    let (_driver, client) = support::start_browser().await;
    let page = Page { client: &client };
    page.viewport(1440, 900).await;
    client.goto(&url).await.expect("the app loads");
    page.find("[data-testid=screen-list]").await;
    page.menu("file-menu", "paste-flow").await;
    let opened =
        client.execute_async(OPEN, vec![serde_json::Value::from(flow)]).await.expect("the flow opens");
    assert!(opened["cards"].as_u64().unwrap_or(0) > 0, "{opened}");
    page.click("[data-screen-id=SCREEN_BX] .screen-item__main").await;
    page.find("[data-testid=preview-area]").await;
    tokio::time::sleep(Duration::from_millis(500)).await;

    let dragged = client
        .execute_async(DRAG_SPLITTER, vec![serde_json::Value::from(120)])
        .await
        .expect("the drag script runs");
    let mut work: Vec<f64> =
        dragged["work"].as_array().expect("times").iter().filter_map(serde_json::Value::as_f64).collect();
    println!(
        "layout: the inspector's splitter dragged over 120 frames, {} cards on the canvas, {} widths drawn",
        dragged["cards"], dragged["widths"]
    );
    println!("  work per frame: {}", summary(&mut work));
    println!("  changes inside the canvas (MutationObserver records): {}", dragged["mutations"]);

    page.script(WATCH_RESIZES).await;
    // The window from 1920 down to 1024 px wide and back, 32 px a step.
    let widths: Vec<u32> =
        (0..=28).map(|step| 1920 - step * 32).chain((0..=28).rev().map(|step| 1920 - step * 32)).collect();
    for width in &widths {
        client.set_window_size(*width, 1000).await.expect("the window is resized");
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    let resized = page.script("return { work: window.resizeWork, mutations: window.resizeMutations }").await;
    let mut work: Vec<f64> =
        resized["work"].as_array().expect("times").iter().filter_map(serde_json::Value::as_f64).collect();
    println!(
        "layout: the window resized {} times between 1024 and 1920 px, {} frames",
        widths.len(),
        work.len()
    );
    println!("  work per frame (resize event to the task after the painted frame): {}", summary(&mut work));
    println!("  changes inside the canvas (MutationObserver records): {}", resized["mutations"]);
    client.close().await.expect("the session closes");
}
