//! Browser measurements of the routing graph on 100 screens: the layout (User Timing measures
//! the app records around it), opening the view, and the work per frame while zooming with
//! the wheel and panning with the pointer (from each requestAnimationFrame until the task
//! after that frame's style, layout and paint). Run by `cargo xtask bench`; they print figures
//! and assert nothing about time.
use crate::graph::open_flow;
use crate::support::{self, Page};

/// In-page: open the graph, time until its nodes are in the DOM and the next frame painted.
const OPEN: &str = r#"
const [done] = arguments;
const macrotask = () => new Promise((resolve) => { const channel = new MessageChannel(); channel.port1.onmessage = resolve; channel.port2.postMessage(0); });
const frame = () => new Promise((resolve) => requestAnimationFrame(() => resolve()));
const start = performance.now();
document.querySelector('[data-testid=workspace-graph]').click();
await macrotask();
const rendered = performance.now() - start;
await frame();
await macrotask();
done({ rendered, painted: performance.now() - start, nodes: document.querySelectorAll('[data-testid=graph-node]').length, edges: document.querySelectorAll('[data-testid=graph-edge-path]').length });
"#;

/// In-page: `count` frames of wheel zoom, then of pointer panning; per frame, the time from
/// the animation frame (where the event is sent) to the task after the frame is painted.
const FRAMES: &str = r#"
const [count, done] = arguments;
const frame = () => new Promise((resolve) => requestAnimationFrame(resolve));
const macrotask = () => new Promise((resolve) => { const channel = new MessageChannel(); channel.port1.onmessage = resolve; channel.port2.postMessage(0); });
const viewport = document.querySelector('[data-testid=graph-viewport]');
const svg = document.querySelector('[data-testid=graph-svg]');
const rect = viewport.getBoundingClientRect();
const cx = rect.left + rect.width / 2, cy = rect.top + rect.height / 2;
async function measure(step) {
  const work = [], intervals = [];
  let last = null;
  for (let i = 0; i < count; i++) {
    const t = await frame();
    if (last !== null) intervals.push(t - last);
    last = t;
    const start = performance.now();
    step(i);
    await macrotask();
    work.push(performance.now() - start);
  }
  return { work, intervals };
}
const zoom = await measure((i) => viewport.dispatchEvent(new WheelEvent('wheel',
  { deltaY: (Math.floor(i / 20) % 2 ? 1 : -1) * 30, clientX: cx, clientY: cy, bubbles: true, cancelable: true })));
const pointer = { pointerId: 7, button: 0, isPrimary: true, bubbles: true };
svg.dispatchEvent(new PointerEvent('pointerdown', { ...pointer, clientX: cx, clientY: cy }));
const pan = await measure((i) => svg.dispatchEvent(new PointerEvent('pointermove',
  { ...pointer, clientX: cx + Math.sin(i / 8) * 300, clientY: cy + Math.cos(i / 8) * 150 })));
svg.dispatchEvent(new PointerEvent('pointerup', { ...pointer, clientX: cx, clientY: cy }));
done({ zoom, pan, zoomLevel: document.querySelector('[data-testid=graph-zoom]').textContent });
"#;

fn sorted(values: &serde_json::Value) -> Vec<f64> {
    let mut values: Vec<f64> =
        values.as_array().into_iter().flatten().filter_map(serde_json::Value::as_f64).collect();
    values.sort_by(f64::total_cmp);
    values
}

fn summary(values: &[f64]) -> String {
    let at =
        |p: f64| values.get(((values.len() as f64 - 1.0) * p).round() as usize).copied().unwrap_or(f64::NAN);
    format!(
        "median {:.1} ms, p95 {:.1} ms, max {:.1} ms",
        at(0.5),
        at(0.95),
        values.last().copied().unwrap_or(f64::NAN)
    )
}

async fn frames(page: &Page<'_>, what: &str) {
    let result = page
        .client
        .execute_async(FRAMES, vec![serde_json::Value::from(120)])
        .await
        .expect("the frames script runs");
    println!("{what} at {}:", result["zoomLevel"].as_str().unwrap_or("?"));
    println!("  wheel zoom, work per frame (120 frames): {}", summary(&sorted(&result["zoom"]["work"])));
    println!("  wheel zoom, frame intervals: {}", summary(&sorted(&result["zoom"]["intervals"])));
    println!("  pointer pan, work per frame (120 frames): {}", summary(&sorted(&result["pan"]["work"])));
    println!("  pointer pan, frame intervals: {}", summary(&sorted(&result["pan"]["intervals"])));
}

async fn measure_flow(routes: usize) {
    let flow = flow_model::samples::routing_flow(100, routes);
    let edges =
        flow_model::parse(&flow).document.map(|d| flow_model::analyze(&d).edges.len()).unwrap_or_default();
    let (_server, url) = support::start_server();
    let (_driver, client) = support::start_browser().await;
    let page = Page { client: &client };
    client.goto(&url).await.expect("the app loads");
    page.find("[data-testid=screen-list]").await;
    open_flow(&page, &flow).await;
    page.until("the flow opens", "document.querySelector('[data-screen-id=SCREEN_CV]')").await;
    println!("flow: samples::routing_flow(100, {routes}): 100 screens, {edges} edges");
    let open = client.execute_async(OPEN, Vec::new()).await.expect("the open script runs");
    println!(
        "open the graph: {:.1} ms to the DOM, {:.1} ms to the first painted frame ({} nodes, {} edge paths)",
        open["rendered"].as_f64().unwrap_or(f64::NAN),
        open["painted"].as_f64().unwrap_or(f64::NAN),
        open["nodes"],
        open["edges"]
    );
    for _ in 0..10 {
        page.click("[data-testid=graph-tidy]").await;
    }
    let layouts = page
        .script(
            "return performance.getEntriesByName('flowsmith:graph-layout').map((entry) => entry.duration);",
        )
        .await;
    println!("layout from scratch (open + 10 × Tidy up): {}", summary(&sorted(&layouts)));
    frames(&page, "the whole flow in view").await;
    // Zoom in to about 100% (labels shown).
    for _ in 0..12 {
        let level = page.texts("[data-testid=graph-zoom]").await.concat();
        if level.trim_end_matches('%').parse::<f64>().unwrap_or(100.0) >= 90.0 {
            break;
        }
        page.click("[data-testid=graph-zoom-in]").await;
    }
    frames(&page, "close up").await;
    client.close().await.expect("the session closes");
}

#[tokio::test]
#[ignore = "a measurement: run by `cargo xtask bench`"]
async fn bench_graph_of_100_screens() {
    measure_flow(2).await;
    measure_flow(4).await;
}
