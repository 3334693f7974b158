//! The graph view's state: the analysis, the layout and the scene as memos of the editor
//! state, the positions people gave nodes (kept with the draft under the `graph` extra, never
//! in flow.json), and the view's own signals (pan and zoom, the edge selected, a drag).
use std::collections::HashMap;
use std::sync::Arc;

use flow_model::layout::{Arrangement, Point, arrange};
use flow_model::{Graph, analyze};
use leptos::prelude::*;
use serde_json::{Map, Value};

use super::geometry::{NODES, Transform};
use super::scene::Scene;
use crate::features::problems::ProblemIndex;
use crate::state::EditorState;

/// The key of the graph's data kept with the draft.
pub const EXTRA: &str = "graph";

/// Positions kept with the draft: `{"positions": {"SCREEN_ID": [x, y], ...}}`.
pub fn kept_positions(extra: Option<&Value>) -> HashMap<String, Point> {
    let Some(positions) = extra.and_then(|extra| extra.get("positions")).and_then(Value::as_object) else {
        return HashMap::new();
    };
    positions
        .iter()
        .filter_map(|(id, at)| {
            let x = at.get(0)?.as_f64()?;
            let y = at.get(1)?.as_f64()?;
            (x.is_finite() && y.is_finite()).then(|| (id.clone(), Point { x, y }))
        })
        .collect()
}

/// The extra keeping `positions` (by id), rounded to whole pixels.
pub fn positions_extra<'a>(positions: impl Iterator<Item = (&'a str, Point)>) -> Value {
    let map: Map<String, Value> =
        positions.map(|(id, at)| (id.to_owned(), serde_json::json!([at.x.round(), at.y.round()]))).collect();
    let mut extra = Map::new();
    extra.insert("positions".to_owned(), Value::Object(map));
    Value::Object(extra)
}

/// Runs `work` as a User Timing measure named `name` (seen in the browser's performance
/// panel, and read by the graph benchmark).
pub fn timed<T>(name: &str, work: impl FnOnce() -> T) -> T {
    let performance = web_sys::window().and_then(|window| window.performance());
    let start = format!("{name}:start");
    if let Some(performance) = &performance {
        let _ = performance.mark(&start);
    }
    let value = work();
    if let Some(performance) = &performance {
        let _ = performance.measure_with_start_mark(name, &start);
        performance.clear_marks_with_mark_name(&start);
    }
    value
}

/// A layout, and the draft and generation of "tidy up" it belongs to.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Layout {
    /// Bumped by "tidy up": earlier positions are forgotten.
    pub generation: u64,
    /// The draft laid out: another draft starts afresh.
    pub draft: String,
    /// Where each node is.
    pub arrangement: Arrangement,
}

/// A pointer gesture in progress.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub enum Gesture {
    /// Nothing.
    #[default]
    Idle,
    /// Dragging the background: the pointer and the transform where it started.
    Pan { x: f64, y: f64, from: Transform },
    /// Pressing a node: where the pointer and the node were, and whether it moved.
    Node { index: usize, x: f64, y: f64, at: Point, moved: bool },
    /// Drawing a new route from a node's handle.
    Connect { from: usize },
    /// Two fingers: their distance and the transform when the second one came down.
    Pinch { distance: f64, from: Transform },
}

/// Everything the graph view's components share (all signals: `Copy`).
#[derive(Clone, Copy)]
pub struct GraphState {
    /// The screen graph of the document.
    pub graph: Memo<Arc<Graph>>,
    /// Where each node is (without a drag in progress).
    pub layout: Memo<Arc<Layout>>,
    /// Cards, edges and overlays.
    pub scene: Memo<Arc<Scene>>,
    /// Node positions as shown (with the node being dragged where the pointer is).
    pub positions: Memo<Arc<Vec<Point>>>,
    /// Pan and zoom.
    pub transform: RwSignal<Transform>,
    /// The node being dragged and where.
    pub drag: RwSignal<Option<(usize, Point)>>,
    /// A route being drawn: from which node, to which graph point.
    pub connecting: RwSignal<Option<(usize, Point)>>,
    /// The selected edge.
    pub selected_edge: RwSignal<Option<usize>>,
    /// Whether the analysis overlays show.
    pub overlays: RwSignal<bool>,
    /// "Tidy up" presses.
    pub relayout: RwSignal<u64>,
    /// The view's size in pixels.
    pub size: RwSignal<(f64, f64)>,
    /// The gesture in progress.
    pub gesture: StoredValue<Gesture>,
    /// Pointers down, for pinch: (id, x, y).
    pub pointers: StoredValue<Vec<(i32, f64, f64)>>,
    /// Whether the view is being panned or zoomed (the drawing then moves as one layer).
    pub moving: RwSignal<bool>,
    /// Counts pan and zoom steps, so that only the last one ends `moving`.
    pub moves: StoredValue<u64>,
}

impl GraphState {
    /// The graph view's state over the editor's `state`, with `index` for problem counts.
    pub fn new(state: EditorState, index: Signal<Arc<ProblemIndex>>) -> Self {
        let graph = Memo::new(move |_| Arc::new(state.document.with(analyze)));
        let saved = state.extra(EXTRA);
        let relayout = RwSignal::new(0u64);
        let layout = Memo::new(move |previous: Option<&Arc<Layout>>| {
            let generation = relayout.get();
            let draft = state.draft.with(|draft| draft.id.clone());
            let kept = saved.with(|extra| kept_positions(extra.as_ref()));
            let earlier: HashMap<&str, Point> = previous
                .filter(|layout| layout.generation == generation && layout.draft == draft)
                .map(|layout| {
                    layout.arrangement.nodes.iter().map(|node| (node.id.as_str(), node.at)).collect()
                })
                .unwrap_or_default();
            let arrangement = timed("flowsmith:graph-layout", || {
                graph.with(|graph| {
                    arrange(graph, |id| kept.get(id).or_else(|| earlier.get(id)).copied(), &NODES)
                })
            });
            Arc::new(Layout { generation, draft, arrangement })
        });
        let drag = RwSignal::new(None::<(usize, Point)>);
        let positions = Memo::new(move |_| {
            let mut positions: Vec<Point> =
                layout.with(|layout| layout.arrangement.nodes.iter().map(|node| node.at).collect());
            if let Some((index, at)) = drag.get()
                && let Some(slot) = positions.get_mut(index)
            {
                *slot = at;
            }
            Arc::new(positions)
        });
        let scene = Memo::new(move |_| {
            let index = index.get();
            let counts = |screen: usize| {
                index.screens.get(&screen).map_or((0, 0), |counts| (counts.errors, counts.warnings))
            };
            state.document.with(|document| {
                graph.with(|graph| {
                    layout.with(|layout| {
                        Arc::new(Scene::new(
                            document,
                            graph,
                            &layout.arrangement,
                            &index.diagnostics,
                            &counts,
                        ))
                    })
                })
            })
        });
        GraphState {
            graph,
            layout,
            scene,
            positions,
            transform: RwSignal::new(Transform::default()),
            drag,
            connecting: RwSignal::new(None),
            selected_edge: RwSignal::new(None),
            overlays: RwSignal::new(true),
            relayout,
            size: RwSignal::new((800.0, 600.0)),
            gesture: StoredValue::new(Gesture::Idle),
            pointers: StoredValue::new(Vec::new()),
            moving: RwSignal::new(false),
            moves: StoredValue::new(0),
        }
    }

    /// Keeps the positions shown now with the draft (when they changed), with `moved` placed
    /// at `at`: called when a card is dropped, a screen added from the graph, and the graph
    /// closed, so that the next time it opens (or the draft is reopened) nothing has moved.
    pub fn keep_positions(&self, state: EditorState, moved: Option<(&str, Point)>) {
        let extra =
            self.layout.with_untracked(|layout| {
                let nodes = layout.arrangement.nodes.iter().filter(|node| !node.missing);
                let all = nodes.map(|node| match moved {
                    Some((id, at)) if id == node.id => (node.id.as_str(), at),
                    _ => (node.id.as_str(), node.at),
                });
                positions_extra(all.chain(
                    moved.filter(|(id, _)| !layout.arrangement.nodes.iter().any(|node| node.id == *id)),
                ))
            });
        if state.extras.with_untracked(|extras| extras.get(EXTRA) != Some(&extra)) {
            state.set_extra(EXTRA, Some(extra));
        }
    }

    /// Sets the pan and zoom. While the view moves, the drawing is one composited layer that
    /// the browser moves without painting it again; a moment after the last step it is drawn
    /// afresh at the new zoom, sharp.
    pub fn move_view(&self, transform: Transform) {
        self.transform.set(transform);
        if !self.moving.get_untracked() {
            self.moving.set(true);
        }
        let step = self.moves.try_update_value(|moves| {
            *moves += 1;
            *moves
        });
        let (moving, moves) = (self.moving, self.moves);
        set_timeout(
            move || {
                if moves.try_get_value() == step {
                    moving.set(false);
                }
            },
            std::time::Duration::from_millis(200),
        );
    }

    /// Forgets every position: the next layout is made afresh.
    pub fn tidy_up(&self, state: EditorState) {
        state.set_extra(EXTRA, None);
        self.relayout.update(|generation| *generation += 1);
    }

    /// The index of the node showing screen `screen`.
    pub fn node_of_screen(&self, screen: usize) -> Option<usize> {
        self.scene.with_untracked(|scene| scene.nodes.iter().position(|node| node.screen == Some(screen)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_round_trip_through_the_draft_and_bad_ones_are_skipped() {
        let extra = positions_extra([("A", Point { x: 10.4, y: -3.6 })].into_iter());
        assert_eq!(extra, serde_json::json!({"positions": {"A": [10.0, -4.0]}}));
        let kept = kept_positions(Some(&extra));
        assert_eq!(kept.get("A"), Some(&Point { x: 10.0, y: -4.0 }));
        let odd = serde_json::json!({"positions": {"A": "x", "B": [1], "C": [1, 2]}});
        assert_eq!(kept_positions(Some(&odd)).len(), 1);
        assert!(kept_positions(None).is_empty());
    }
}
