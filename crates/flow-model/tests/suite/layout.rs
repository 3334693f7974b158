//! The routing graph's layout, checked on every graph fixture, every template and generated
//! flows (a dense routing model of 100 screens, a long chain): no two nodes overlap, the same
//! input gives the same picture, and adding a screen moves no other screen.
use flow_model::layout::{Arrangement, Options, Point, arrange, overlap};
use flow_model::{Document, analyze, parse, samples, templates};
use serde_json::{Value, json};
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

/// Every input: (name, document).
fn inputs() -> Vec<(String, Document)> {
    let mut inputs: Vec<(String, Document)> = [
        ("linear", include_str!("fixtures/graph/linear.json")),
        ("endpoint", include_str!("fixtures/graph/endpoint.json")),
        ("cycles", include_str!("fixtures/graph/cycles.json")),
        ("dangling-and-odd", include_str!("fixtures/graph/dangling-and-odd.json")),
    ]
    .into_iter()
    .map(|(name, text)| (name.to_owned(), parse(text).document.expect("fixture is JSON")))
    .collect();
    for template in templates::ALL {
        inputs.push((template.id.to_owned(), parse(template.json).document.expect("template is JSON")));
    }
    for (name, text) in [
        ("routing 100x3", samples::routing_flow(100, 3)),
        ("routing 100x6", samples::routing_flow(100, 6)),
        ("chain of 60", samples::maximal_flow(60, 2)),
    ] {
        inputs.push((name.to_owned(), parse(&text).document.expect("sample is JSON")));
    }
    inputs
}

fn fresh(document: &Document) -> Arrangement {
    arrange(&analyze(document), |_| None, &Options::default())
}

fn assert_no_overlap(name: &str, arrangement: &Arrangement) {
    let options = Options::default();
    for (index, a) in arrangement.nodes.iter().enumerate() {
        assert!(a.at.x.is_finite() && a.at.y.is_finite(), "{name}: {} has no position", a.id);
        for b in arrangement.nodes.iter().skip(index + 1) {
            assert!(
                !overlap(a.at, b.at, &options, 0.0),
                "{name}: {} at {:?} overlaps {} at {:?}",
                a.id,
                a.at,
                b.id,
                b.at
            );
        }
    }
}

#[test]
fn no_two_nodes_overlap() {
    for (name, document) in inputs() {
        let arrangement = fresh(&document);
        assert_eq!(arrangement.edges.len(), analyze(&document).edges.len(), "{name}: one link per edge");
        assert_no_overlap(&name, &arrangement);
    }
}

#[test]
fn the_same_flow_gives_the_same_picture() {
    for (name, document) in inputs() {
        assert_eq!(fresh(&document), fresh(&document), "{name}");
        let reparsed = parse(document.to_json(flow_model::Style::Compact)).document.expect("JSON");
        assert_eq!(fresh(&document), fresh(&reparsed), "{name}: after a round trip");
    }
}

#[test]
fn routes_go_left_to_right() {
    let document = parse(include_str!("fixtures/graph/linear.json")).document.expect("JSON");
    let arrangement = fresh(&document);
    let x = |id: &str| arrangement.nodes.iter().find(|node| node.id == id).map(|node| node.at.x).unwrap();
    let graph = analyze(&document);
    for edge in graph.edges.iter().filter(|edge| edge.target_exists) {
        assert!(x(&edge.from) < x(&edge.to), "{} -> {} points left", edge.from, edge.to);
    }
}

/// The document with one more screen, `NEW_SCREEN`, which the first screen navigates to.
fn with_one_more_screen(document: &Document) -> Document {
    let mut root = document.root().clone();
    let Some(screens) = root.get_mut("screens").and_then(Value::as_array_mut) else {
        return document.clone();
    };
    screens.push(json!({"id": "NEW_SCREEN", "title": "New", "terminal": true, "layout": {"type": "SingleColumnLayout", "children": []}}));
    if let Some(children) =
        screens.first_mut().and_then(|s| s.pointer_mut("/layout/children")).and_then(Value::as_array_mut)
    {
        children.insert(0, json!({"type": "EmbeddedLink", "text": "More", "on-click-action": {"name": "navigate", "next": {"type": "screen", "name": "NEW_SCREEN"}}}));
    }
    Document::from_value(root)
}

#[test]
fn adding_a_screen_moves_no_other_screen() {
    for (name, document) in inputs() {
        let before = fresh(&document);
        let kept = |id: &str| before.nodes.iter().find(|node| node.id == id).map(|node| node.at);
        let bigger = with_one_more_screen(&document);
        let after = arrange(&analyze(&bigger), kept, &Options::default());
        for node in &before.nodes {
            let now = after.nodes.iter().find(|other| other.id == node.id).map(|other| other.at);
            assert_eq!(now, Some(node.at), "{name}: {} moved", node.id);
        }
        assert_no_overlap(&name, &after);
        let new = after.nodes.iter().find(|node| node.id == "NEW_SCREEN").expect("the new screen is placed");
        let first = after.nodes.first().expect("a first screen");
        assert!(new.at.x > first.at.x, "{name}: the new screen is right of the screen leading to it");
    }
}

#[test]
fn kept_positions_stay_even_when_they_overlap() {
    let document = parse(templates::APPOINTMENT_BOOKING).document.expect("JSON");
    let here = Point { x: 5.0, y: 7.0 };
    let arrangement = arrange(&analyze(&document), |_| Some(here), &Options::default());
    assert!(arrangement.nodes.iter().all(|node| node.at == here), "what a person placed is theirs");
}

#[test]
fn dangling_targets_get_a_node_of_their_own() {
    let document = Document::from_value(json!({"screens": [
        {"id": "A", "layout": {"children": [{"type": "Footer", "on-click-action": {"name": "navigate", "next": {"name": "GONE"}}}]}}
    ]}));
    let arrangement = fresh(&document);
    let ids: Vec<(&str, bool)> =
        arrangement.nodes.iter().map(|node| (node.id.as_str(), node.missing)).collect();
    assert_eq!(ids, [("A", false), ("GONE", true)]);
    assert_eq!(arrangement.edges, [(0, 1)]);
}

#[test]
fn an_empty_flow_has_an_empty_picture() {
    assert_eq!(fresh(&Document::from_value(json!({}))), Arrangement::default());
}
