//! Graph analysis, data-driven: each `suite/fixtures/graph/NAME.json` has its expected analysis in
//! `NAME.txt` beside it. `FLOW_MODEL_BLESS=1 cargo test -p flow-model --test tests graph`
//! rewrites the expectations after a deliberate change (read the diff before committing).
use std::fmt::Write;

use flow_model::graph::{Graph, analyze};
use flow_model::{Document, parse};
use serde_json::json;
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

/// The analysis as stable text: one line per fact, edges in the graph's order.
fn render(graph: &Graph) -> String {
    let list = |ids: &[String]| if ids.is_empty() { "-".to_owned() } else { ids.join(", ") };
    let mut text = String::new();
    let nodes: Vec<String> = graph.nodes.iter().map(|node| format!("{} {}", node.id, node.pointer)).collect();
    let _ = writeln!(text, "nodes: {}", list(&nodes));
    let _ = writeln!(text, "entry: {}", list(&graph.entry));
    let _ = writeln!(text, "terminal: {}", list(&graph.terminal));
    let _ = writeln!(text, "unreachable: {}", list(&graph.unreachable));
    let _ = writeln!(text, "dead ends: {}", list(&graph.dead_ends));
    let cycles: Vec<String> = graph.cycles.iter().map(|cycle| format!("[{}]", cycle.join(", "))).collect();
    let _ = writeln!(text, "cycles: {}", list(&cycles));
    let _ = writeln!(text, "edges:");
    for edge in &graph.edges {
        let _ = write!(text, "  {} -> {} {:?} at {}", edge.from, edge.to, edge.kind, edge.pointer);
        if let Some(component) = &edge.component {
            let _ = write!(text, " in {component}");
        }
        if edge.decided_by_endpoint() {
            text.push_str(" (decided by the endpoint)");
        }
        if !edge.target_exists {
            text.push_str(" (no such screen)");
        }
        text.push('\n');
    }
    text
}

fn check(name: &str, input: &str, expected: &str) {
    let document = parse(input).document.expect("fixture is JSON");
    let actual = render(&analyze(&document));
    #[cfg(not(target_arch = "wasm32"))]
    if std::env::var_os("FLOW_MODEL_BLESS").is_some() {
        let path = format!("{}/tests/suite/fixtures/graph/{name}.txt", env!("CARGO_MANIFEST_DIR"));
        std::fs::write(path, &actual).expect("write the expectation");
        return;
    }
    assert_eq!(actual, expected, "fixtures/graph/{name}: analysis differs from {name}.txt");
}

macro_rules! fixtures {
    ($($test:ident => $name:literal,)*) => {$(
        #[test]
        fn $test() {
            check(
                $name,
                include_str!(concat!("fixtures/graph/", $name, ".json")),
                include_str!(concat!("fixtures/graph/", $name, ".txt")),
            );
        }
    )*};
}

fixtures! {
    linear_flow_with_an_optin_side_screen => "linear",
    endpoint_flow_with_routing_model_and_data_exchange => "endpoint",
    cycles_self_loops_and_an_unreachable_island => "cycles",
    dangling_targets_duplicate_ids_and_garbage => "dangling-and-odd",
}

#[test]
fn the_appointment_template_is_a_chain_to_its_terminal_screen() {
    let document = parse(flow_model::templates::APPOINTMENT_BOOKING).document.unwrap();
    let graph = analyze(&document);
    assert_eq!(graph.entry, ["APPOINTMENT"]);
    assert_eq!(graph.terminal, ["SUMMARY"]);
    assert!(graph.unreachable.is_empty() && graph.dead_ends.is_empty() && graph.cycles.is_empty());
}

#[test]
fn documents_that_are_not_flows_give_an_empty_graph() {
    for value in [json!(null), json!([]), json!({"screens": {}}), json!({"screens": [1, "x", []]})] {
        assert_eq!(analyze(&Document::from_value(value)), Graph::default());
    }
}

#[test]
fn a_long_chain_is_analysed_without_recursion() {
    let screens: Vec<_> = (0..2000)
        .map(|index| {
            let next = format!("S_{}", letters(index + 1));
            json!({"id": format!("S_{}", letters(index)), "layout": {"children": [
                {"type": "Footer", "on-click-action": {"name": "navigate", "next": {"name": next}}}
            ]}})
        })
        .collect();
    let graph = analyze(&Document::from_value(json!({"screens": screens})));
    assert_eq!(graph.entry, ["S_A"]);
    assert_eq!(graph.edges.len(), 2000);
    assert!(graph.unreachable.is_empty() && graph.cycles.is_empty());
    assert_eq!(graph.dead_ends.len(), 1);
}

fn letters(mut index: usize) -> String {
    let mut text = String::new();
    loop {
        text.insert(0, char::from(b'A' + (index % 26) as u8));
        index /= 26;
        if index == 0 {
            return text;
        }
    }
}
