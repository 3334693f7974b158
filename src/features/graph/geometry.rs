//! Geometry of the graph view: edge curves, hit tests, moving the selection with the arrow
//! keys, fitting the graph into the view, zooming around a point. Pure, tested natively.
use flow_model::layout::{Options, Point};
use flow_model::number::fixed;

/// The size of a node card (the layout's options).
pub const NODES: Options = Options::CARDS;

/// Zoom limits.
pub const MIN_ZOOM: f64 = 0.1;
/// Zoom limits.
pub const MAX_ZOOM: f64 = 2.5;

/// The view's pan and zoom: screen = graph × `k` + (`x`, `y`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Transform {
    /// Horizontal offset in screen pixels.
    pub x: f64,
    /// Vertical offset in screen pixels.
    pub y: f64,
    /// Zoom factor.
    pub k: f64,
}

impl Default for Transform {
    fn default() -> Self {
        Transform { x: 24.0, y: 24.0, k: 1.0 }
    }
}

impl Transform {
    /// The graph point under a view point.
    pub fn to_graph(self, x: f64, y: f64) -> Point {
        Point { x: (x - self.x) / self.k, y: (y - self.y) / self.k }
    }

    /// Zoomed by `factor` keeping the graph point under view point (`x`, `y`) in place.
    pub fn zoom_at(self, factor: f64, x: f64, y: f64) -> Transform {
        let k = (self.k * factor).clamp(MIN_ZOOM, MAX_ZOOM);
        let anchor = self.to_graph(x, y);
        Transform { x: x - anchor.x * k, y: y - anchor.y * k, k }
    }

    /// The CSS `transform` of the drawing's plane (origin at its top-left corner).
    pub fn css(self) -> String {
        format!("translate({}px, {}px) scale({})", fixed(self.x, 1), fixed(self.y, 1), fixed(self.k, 4))
    }
}

/// The smallest rectangle holding every node: (left, top, right, bottom).
pub fn bounds(positions: &[Point]) -> Option<(f64, f64, f64, f64)> {
    let first = positions.first()?;
    let mut b = (first.x, first.y, first.x, first.y);
    for p in positions {
        b = (b.0.min(p.x), b.1.min(p.y), b.2.max(p.x), b.3.max(p.y));
    }
    Some((b.0, b.1, b.2 + NODES.node_width, b.3 + NODES.node_height))
}

/// The transform that shows every node in a view of `width` × `height`, with a margin, never
/// zoomed in past 100%.
pub fn fit(positions: &[Point], width: f64, height: f64) -> Transform {
    let Some((left, top, right, bottom)) = bounds(positions) else { return Transform::default() };
    let margin = 32.0;
    let k = ((width - 2.0 * margin) / (right - left))
        .min((height - 2.0 * margin) / (bottom - top))
        .clamp(MIN_ZOOM, 1.0);
    let k = if k.is_finite() { k } else { 1.0 };
    Transform {
        x: (width - (right - left) * k) / 2.0 - left * k,
        y: (height - (bottom - top) * k) / 2.0 - top * k,
        k,
    }
}

/// The first view of a graph: all of it when it can be read whole, else its start (the
/// entries, on the left) at the smallest zoom where cards stay readable.
pub fn first_view(positions: &[Point], width: f64, height: f64) -> Transform {
    const READABLE: f64 = 0.4;
    let whole = fit(positions, width, height);
    match bounds(positions) {
        Some((left, top, _, bottom)) if whole.k < READABLE => {
            let middle = (top + bottom) / 2.0;
            let y = (height / 2.0 - middle * READABLE).min(32.0 - top * READABLE);
            Transform { x: 32.0 - left * READABLE, y, k: READABLE }
        }
        _ => whole,
    }
}

/// The drawing's box in graph coordinates (left, top, width, height): every node with room
/// around for arcs and findings, in steps of 500 so that it rarely changes.
pub fn canvas(positions: &[Point]) -> (f64, f64, f64, f64) {
    let (left, top, right, bottom) = bounds(positions).unwrap_or((0.0, 0.0, 0.0, 0.0));
    let step = 500.0;
    let (left, top) = (((left - 400.0) / step).floor() * step, ((top - 400.0) / step).floor() * step);
    let (right, bottom) = (((right + 400.0) / step).ceil() * step, ((bottom + 400.0) / step).ceil() * step);
    (left, top, right - left, bottom - top)
}

/// Whether every node is inside the view at `transform`.
pub fn fits(positions: &[Point], transform: Transform, width: f64, height: f64) -> bool {
    bounds(positions).is_none_or(|(left, top, right, bottom)| {
        let (a, b) = (transform.x + left * transform.k, transform.y + top * transform.k);
        let (c, d) = (transform.x + right * transform.k, transform.y + bottom * transform.k);
        a >= 0.0 && b >= 0.0 && c <= width && d <= height
    })
}

/// The node under a graph point (the topmost: the last drawn).
pub fn node_at(positions: &[Point], at: Point) -> Option<usize> {
    positions.iter().rposition(|p| {
        at.x >= p.x && at.x <= p.x + NODES.node_width && at.y >= p.y && at.y <= p.y + NODES.node_height
    })
}

/// An arrow key's direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// ←
    Left,
    /// →
    Right,
    /// ↑
    Up,
    /// ↓
    Down,
}

impl Direction {
    /// The direction of an arrow key's `key` value.
    pub fn from_key(key: &str) -> Option<Direction> {
        match key {
            "ArrowLeft" => Some(Direction::Left),
            "ArrowRight" => Some(Direction::Right),
            "ArrowUp" => Some(Direction::Up),
            "ArrowDown" => Some(Direction::Down),
            _ => None,
        }
    }
}

/// The nearest node from node `from` in `direction`: among the nodes whose center lies that
/// way (within 60° of it), the closest, counting sideways distance double.
pub fn step(positions: &[Point], from: usize, direction: Direction) -> Option<usize> {
    let here = positions.get(from)?;
    positions
        .iter()
        .enumerate()
        .filter(|(index, _)| *index != from)
        .filter_map(|(index, p)| {
            let (dx, dy) = (p.x - here.x, p.y - here.y);
            let (ahead, aside) = match direction {
                Direction::Right => (dx, dy),
                Direction::Left => (-dx, dy),
                Direction::Down => (dy, dx),
                Direction::Up => (-dy, dx),
            };
            (ahead > 0.5 && aside.abs() <= ahead * 1.8).then_some((index, ahead + 2.0 * aside.abs()))
        })
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(index, _)| index)
}

/// An edge's curve from node `from` to node `to` (top-left corners): the `d` attribute and
/// where its label goes. `lane` spreads edges between the same two nodes apart. Forward
/// edges run from the right side to the left side; backward edges and loops arc over.
pub fn edge_path(from: Point, to: Point, same_node: bool, lane: (usize, usize)) -> (String, Point) {
    let (w, h) = (NODES.node_width, NODES.node_height);
    let spread = (lane.0 as f64 - (lane.1.max(1) - 1) as f64 / 2.0) * 14.0;
    let start = Point { x: from.x + w, y: from.y + h / 2.0 + spread };
    let end = Point { x: to.x, y: to.y + h / 2.0 + spread };
    let (c1, c2) = if same_node {
        let lift = h / 2.0 + 40.0 + lane.0 as f64 * 14.0;
        (Point { x: start.x + 70.0, y: start.y - lift }, Point { x: end.x - 70.0, y: end.y - lift })
    } else if end.x > start.x + 24.0 {
        let pull = ((end.x - start.x) / 2.0).max(40.0);
        (Point { x: start.x + pull, y: start.y }, Point { x: end.x - pull, y: end.y })
    } else {
        // Backward: out to the right, over the top, in from the left.
        let lift = h + 30.0 + lane.0 as f64 * 14.0;
        let top = start.y.min(end.y) - lift;
        (Point { x: start.x + 120.0, y: top }, Point { x: end.x - 120.0, y: top })
    };
    let d = format!(
        "M{} {}C{} {} {} {} {} {}",
        fixed(start.x, 1),
        fixed(start.y, 1),
        fixed(c1.x, 1),
        fixed(c1.y, 1),
        fixed(c2.x, 1),
        fixed(c2.y, 1),
        fixed(end.x, 1),
        fixed(end.y, 1)
    );
    // The curve's midpoint (t = 1/2).
    let label = Point {
        x: (start.x + 3.0 * c1.x + 3.0 * c2.x + end.x) / 8.0,
        y: (start.y + 3.0 * c1.y + 3.0 * c2.y + end.y) / 8.0,
    };
    (d, label)
}

#[cfg(test)]
mod tests {
    use super::*;

    const fn p(x: f64, y: f64) -> Point {
        Point { x, y }
    }

    #[test]
    fn zooming_keeps_the_point_under_the_pointer() {
        let t = Transform { x: 10.0, y: 20.0, k: 1.0 };
        let under = t.to_graph(300.0, 200.0);
        let zoomed = t.zoom_at(1.5, 300.0, 200.0);
        let after = zoomed.to_graph(300.0, 200.0);
        assert!((under.x - after.x).abs() < 1e-9 && (under.y - after.y).abs() < 1e-9);
        assert_eq!(t.zoom_at(100.0, 0.0, 0.0).k, MAX_ZOOM);
    }

    #[test]
    fn fit_shows_everything() {
        let positions = [p(0.0, 0.0), p(3000.0, 1200.0), p(-200.0, 400.0)];
        let t = fit(&positions, 800.0, 600.0);
        assert!(fits(&positions, t, 800.0, 600.0));
        assert!(!fits(&positions, Transform::default(), 800.0, 600.0));
        assert_eq!(fit(&[p(0.0, 0.0)], 800.0, 600.0).k, 1.0, "never zoomed in past 100%");
        let small = [p(0.0, 0.0), p(600.0, 300.0)];
        assert_eq!(first_view(&small, 800.0, 600.0), fit(&small, 800.0, 600.0), "small enough to read whole");
        let long: Vec<Point> = (0..100).map(|i| p(i as f64 * 370.0, 0.0)).collect();
        let start = first_view(&long, 800.0, 600.0);
        assert!(start.k >= 0.4 && start.to_graph(0.0, 300.0).x < 0.0, "a long flow opens at its start");
    }

    #[test]
    fn arrows_go_to_the_nearest_node_that_way() {
        let positions = [p(0.0, 0.0), p(300.0, 0.0), p(300.0, 150.0), p(600.0, 300.0), p(0.0, 150.0)];
        assert_eq!(step(&positions, 0, Direction::Right), Some(1));
        assert_eq!(step(&positions, 1, Direction::Down), Some(2));
        assert_eq!(step(&positions, 2, Direction::Left), Some(4));
        assert_eq!(step(&positions, 0, Direction::Left), None);
        assert_eq!(step(&positions, 0, Direction::Up), None);
    }

    #[test]
    fn hit_tests_find_the_node_under_a_point() {
        let positions = [p(0.0, 0.0), p(300.0, 0.0)];
        assert_eq!(node_at(&positions, p(310.0, 10.0)), Some(1));
        assert_eq!(node_at(&positions, p(250.0, 10.0)), None);
    }

    #[test]
    fn edges_leave_right_and_enter_left_and_backward_ones_arc_over() {
        let (d, label) = edge_path(p(0.0, 0.0), p(400.0, 0.0), false, (0, 1));
        assert!(d.starts_with("M220.0 48.0C") && d.ends_with("400.0 48.0"), "{d}");
        assert!(label.x > 220.0 && label.x < 400.0);
        let (_, back) = edge_path(p(400.0, 0.0), p(0.0, 0.0), false, (0, 1));
        assert!(back.y < 0.0, "a backward edge goes over the nodes");
        let (a, _) = edge_path(p(0.0, 0.0), p(400.0, 0.0), false, (0, 2));
        let (b, _) = edge_path(p(0.0, 0.0), p(400.0, 0.0), false, (1, 2));
        assert_ne!(a, b, "parallel edges are apart");
    }
}
