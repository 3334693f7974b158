//! Where to draw each screen of the routing graph: a layered layout, left to right.
//!
//! Sugiyama's method, compact: reverse the edges that close cycles (depth-first, in document
//! order), give each screen a layer (longest path from the entries), cut long edges into
//! one-layer segments through invisible lane nodes, order each layer by barycenters to reduce
//! crossings (keeping the order with the fewest), then place each layer vertically as close
//! to its neighbours as the gaps allow (isotonic regression, so the order is kept exactly).
//!
//! Stability: a layout can be made around positions a person already sees (`kept`). Kept
//! nodes do not move; the others go next to their kept neighbours, in the first free place.
//! Adding a screen therefore never moves another one. Everything depends only on the input
//! order: the same graph gives the same picture.
use std::collections::HashMap;

use crate::graph::Graph;

/// A point in layout coordinates (pixels at zoom 1). A node's position is its top-left corner.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Point {
    /// Left to right.
    pub x: f64,
    /// Top to bottom.
    pub y: f64,
}

/// Node size and gaps, in layout pixels. Every node has the same size.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Options {
    /// Width of a node.
    pub node_width: f64,
    /// Height of a node.
    pub node_height: f64,
    /// Horizontal space between two layers.
    pub layer_gap: f64,
    /// Vertical space between two nodes of a layer.
    pub node_gap: f64,
}

impl Options {
    /// The node cards of the graph view: 220 × 96 pixels.
    pub const CARDS: Options =
        Options { node_width: 220.0, node_height: 96.0, layer_gap: 150.0, node_gap: 36.0 };
}

impl Default for Options {
    fn default() -> Self {
        Options::CARDS
    }
}

/// One node of an [`Arrangement`].
#[derive(Debug, Clone, PartialEq)]
pub struct PlacedNode {
    /// The screen id (or the id a dangling edge names).
    pub id: String,
    /// Whether no screen has this id: a node drawn for the target of a dangling edge.
    pub missing: bool,
    /// Top-left corner.
    pub at: Point,
}

/// The routing graph placed for drawing.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Arrangement {
    /// The graph's screens in its order, then one node per missing target id (in the order
    /// the edges first name them).
    pub nodes: Vec<PlacedNode>,
    /// For each edge of the graph (same order): the indexes of its two nodes in `nodes`.
    pub edges: Vec<(usize, usize)>,
}

/// Places the nodes of `graph`. `kept` gives the positions to keep (by id): such nodes stay
/// where they are and the others are placed around them; with nothing kept, the whole graph
/// is laid out afresh.
pub fn arrange(graph: &Graph, kept: impl Fn(&str) -> Option<Point>, options: &Options) -> Arrangement {
    let mut ids: Vec<(String, bool)> = graph.nodes.iter().map(|node| (node.id.clone(), false)).collect();
    let mut index_of: HashMap<String, usize> =
        ids.iter().enumerate().map(|(index, (id, _))| (id.clone(), index)).collect();
    let mut index = |id: &str, ids: &mut Vec<(String, bool)>| -> usize {
        if let Some(&found) = index_of.get(id) {
            return found;
        }
        ids.push((id.to_owned(), true));
        index_of.insert(id.to_owned(), ids.len() - 1);
        ids.len() - 1
    };
    let mut edges = Vec::with_capacity(graph.edges.len());
    for edge in &graph.edges {
        let from = index(&edge.from, &mut ids);
        let to = index(&edge.to, &mut ids);
        edges.push((from, to));
    }
    let pinned: Vec<Option<Point>> = ids.iter().map(|(id, _)| kept(id)).collect();
    let positions = layout(ids.len(), &edges, &pinned, options);
    let nodes =
        ids.into_iter().zip(positions).map(|((id, missing), at)| PlacedNode { id, missing, at }).collect();
    Arrangement { nodes, edges }
}

/// Positions (top-left corners) for `count` nodes linked by `edges` (from, to). Self-loops,
/// repeated edges and indexes out of range are ignored. `pinned[i]`, when given, is where
/// node `i` stays.
pub fn layout(
    count: usize,
    edges: &[(usize, usize)],
    pinned: &[Option<Point>],
    options: &Options,
) -> Vec<Point> {
    let mut links: Vec<(usize, usize)> =
        edges.iter().copied().filter(|&(from, to)| from != to && from < count && to < count).collect();
    let mut seen = std::collections::HashSet::new();
    links.retain(|link| seen.insert(*link));
    let fresh = layered(count, &links, options);
    if pinned.iter().take(count).all(Option::is_none) {
        return fresh;
    }
    place_around(count, &links, pinned, &fresh, options)
}

/// Whether two nodes at `a` and `b` overlap, with `margin` of space required between them.
pub fn overlap(a: Point, b: Point, options: &Options, margin: f64) -> bool {
    (a.x - b.x).abs() < options.node_width + margin && (a.y - b.y).abs() < options.node_height + margin
}

fn get<T: Copy + Default>(values: &[T], at: usize) -> T {
    values.get(at).copied().unwrap_or_default()
}

/// Reverses the edges that close a cycle: an edge to a node still on the depth-first path.
/// The search starts from nodes without inbound edges, then from the rest, in index order.
fn break_cycles(count: usize, links: &[(usize, usize)]) -> Vec<(usize, usize)> {
    let mut successors: Vec<Vec<usize>> = vec![Vec::new(); count];
    let mut inbound = vec![false; count];
    for &(from, to) in links {
        if let Some(list) = successors.get_mut(from) {
            list.push(to);
        }
        if let Some(flag) = inbound.get_mut(to) {
            *flag = true;
        }
    }
    // 0: not seen, 1: on the path, 2: done.
    let mut state = vec![0u8; count];
    let mut backward = std::collections::HashSet::new();
    let starts = (0..count).filter(|&n| !get(&inbound, n)).chain((0..count).filter(|&n| get(&inbound, n)));
    for start in starts {
        if get(&state, start) != 0 {
            continue;
        }
        let mut stack = vec![(start, 0usize)];
        if let Some(slot) = state.get_mut(start) {
            *slot = 1;
        }
        while let Some(frame) = stack.last_mut() {
            let (node, position) = *frame;
            frame.1 += 1;
            match successors.get(node).and_then(|next| next.get(position)).copied() {
                Some(next) => match get(&state, next) {
                    0 => {
                        if let Some(slot) = state.get_mut(next) {
                            *slot = 1;
                        }
                        stack.push((next, 0));
                    }
                    1 => {
                        backward.insert((node, next));
                    }
                    _ => {}
                },
                None => {
                    if let Some(slot) = state.get_mut(node) {
                        *slot = 2;
                    }
                    stack.pop();
                }
            }
        }
    }
    let mut acyclic: Vec<(usize, usize)> = links
        .iter()
        .map(|&(from, to)| if backward.contains(&(from, to)) { (to, from) } else { (from, to) })
        .collect();
    let mut seen = std::collections::HashSet::new();
    acyclic.retain(|link| seen.insert(*link));
    acyclic
}

/// Layers by longest path from the sources; a source moves right next to its nearest
/// successor, so side branches do not start far to the left of where they join.
fn ranks(count: usize, acyclic: &[(usize, usize)]) -> Vec<usize> {
    let mut successors: Vec<Vec<usize>> = vec![Vec::new(); count];
    let mut waiting = vec![0usize; count];
    for &(from, to) in acyclic {
        if let Some(list) = successors.get_mut(from) {
            list.push(to);
        }
        if let Some(n) = waiting.get_mut(to) {
            *n += 1;
        }
    }
    let mut rank = vec![0usize; count];
    let mut ready: Vec<usize> = (0..count).rev().filter(|&n| get(&waiting, n) == 0).collect();
    let mut order = Vec::with_capacity(count);
    while let Some(node) = ready.pop() {
        order.push(node);
        let here = get(&rank, node);
        for &next in successors.get(node).into_iter().flatten() {
            if let Some(r) = rank.get_mut(next) {
                *r = (*r).max(here + 1);
            }
            if let Some(n) = waiting.get_mut(next) {
                *n -= 1;
                if *n == 0 {
                    ready.push(next);
                }
            }
        }
    }
    let mut inbound = vec![false; count];
    for &(_, to) in acyclic {
        if let Some(flag) = inbound.get_mut(to) {
            *flag = true;
        }
    }
    for &node in order.iter().rev() {
        let nearest = successors.get(node).into_iter().flatten().map(|&next| get(&rank, next)).min();
        if let (false, Some(nearest)) = (get(&inbound, node), nearest)
            && let Some(r) = rank.get_mut(node)
        {
            *r = nearest.saturating_sub(1).max(*r);
        }
    }
    rank
}

/// The full layered layout (no pins).
fn layered(count: usize, links: &[(usize, usize)], options: &Options) -> Vec<Point> {
    let acyclic = break_cycles(count, links);
    let rank = ranks(count, &acyclic);
    // Virtual nodes: the real ones, then lane nodes of long edges.
    let mut layer_of = rank.clone();
    let mut segments = Vec::new();
    for &(from, to) in &acyclic {
        let mut previous = from;
        for layer in get(&rank, from) + 1..get(&rank, to) {
            layer_of.push(layer);
            segments.push((previous, layer_of.len() - 1));
            previous = layer_of.len() - 1;
        }
        segments.push((previous, to));
    }
    let total = layer_of.len();
    let mut preds: Vec<Vec<usize>> = vec![Vec::new(); total];
    let mut succs: Vec<Vec<usize>> = vec![Vec::new(); total];
    for &(from, to) in &segments {
        if let Some(list) = succs.get_mut(from) {
            list.push(to);
        }
        if let Some(list) = preds.get_mut(to) {
            list.push(from);
        }
    }
    let layer_count = layer_of.iter().max().map_or(0, |max| max + 1);
    let mut layers: Vec<Vec<usize>> = vec![Vec::new(); layer_count];
    for (node, &layer) in layer_of.iter().enumerate() {
        if let Some(list) = layers.get_mut(layer) {
            list.push(node);
        }
    }
    let layers = order_layers(layers, &preds, &succs, total);
    let heights: Vec<f64> = (0..total).map(|n| if n < count { options.node_height } else { 0.0 }).collect();
    let centers = place_vertically(&layers, &preds, &succs, &heights, count, options);
    let top = (0..count).map(|n| get(&centers, n) - options.node_height / 2.0).fold(f64::INFINITY, f64::min);
    let top = if top.is_finite() { top } else { 0.0 };
    (0..count)
        .map(|n| Point {
            x: get(&rank, n) as f64 * (options.node_width + options.layer_gap),
            y: get(&centers, n) - options.node_height / 2.0 - top,
        })
        .collect()
}

/// Barycenter sweeps, down then up, keeping the order with the fewest crossings.
fn order_layers(
    mut layers: Vec<Vec<usize>>,
    preds: &[Vec<usize>],
    succs: &[Vec<usize>],
    total: usize,
) -> Vec<Vec<usize>> {
    let mut position = vec![0usize; total];
    let index_positions = |layers: &[Vec<usize>], position: &mut [usize]| {
        for layer in layers {
            for (at, &node) in layer.iter().enumerate() {
                if let Some(slot) = position.get_mut(node) {
                    *slot = at;
                }
            }
        }
    };
    index_positions(&layers, &mut position);
    let mut best = layers.clone();
    let mut fewest = crossings(&layers, succs, &position);
    for sweep in 0..12 {
        let down = sweep % 2 == 0;
        let count = layers.len();
        for step in 1..count {
            let at = if down { step } else { count - 1 - step };
            let neighbours = if down { preds } else { succs };
            let Some(layer) = layers.get_mut(at) else { continue };
            let mut keyed: Vec<(f64, usize)> = layer
                .iter()
                .map(|&node| {
                    let around = neighbours.get(node).map_or(&[][..], Vec::as_slice);
                    let key = if around.is_empty() {
                        get(&position, node) as f64
                    } else {
                        around.iter().map(|&n| get(&position, n) as f64).sum::<f64>() / around.len() as f64
                    };
                    (key, node)
                })
                .collect();
            crate::order::sort_by(&mut keyed, |a, b| a.0.total_cmp(&b.0));
            *layer = keyed.into_iter().map(|(_, node)| node).collect();
            for (index, &node) in layer.iter().enumerate() {
                if let Some(slot) = position.get_mut(node) {
                    *slot = index;
                }
            }
        }
        let now = crossings(&layers, succs, &position);
        if now < fewest {
            fewest = now;
            best = layers.clone();
        }
        if fewest == 0 {
            break;
        }
    }
    best
}

/// How many pairs of segments cross between consecutive layers (inversions, counted with a
/// Fenwick tree).
fn crossings(layers: &[Vec<usize>], succs: &[Vec<usize>], position: &[usize]) -> usize {
    let mut total = 0;
    for (layer, next) in layers.iter().zip(layers.iter().skip(1)) {
        let mut pairs: Vec<(usize, usize)> = layer
            .iter()
            .flat_map(|&node| {
                succs.get(node).into_iter().flatten().map(move |&to| (get(position, node), get(position, to)))
            })
            .collect();
        crate::order::sort(&mut pairs);
        let mut tree = vec![0usize; next.len() + 1];
        for (seen, &(_, to)) in pairs.iter().enumerate() {
            // Segments already seen that end below `to` cross this one.
            let mut at = to + 1;
            let mut not_above = 0;
            while at > 0 {
                not_above += get(&tree, at);
                at &= at - 1;
            }
            total += seen - not_above;
            let mut at = to + 1;
            while at < tree.len() {
                if let Some(slot) = tree.get_mut(at) {
                    *slot += 1;
                }
                at += at & at.wrapping_neg();
            }
        }
    }
    total
}

/// Vertical centers: each layer placed as close as it can to the mean of its neighbours'
/// centers, keeping its order and the gaps (sweeps down and up).
fn place_vertically(
    layers: &[Vec<usize>],
    preds: &[Vec<usize>],
    succs: &[Vec<usize>],
    heights: &[f64],
    real: usize,
    options: &Options,
) -> Vec<f64> {
    let total = heights.len();
    let gap = |a: usize, b: usize| {
        let space = if a < real || b < real { options.node_gap } else { options.node_gap / 3.0 };
        (get(heights, a) + get(heights, b)) / 2.0 + space
    };
    let mut center = vec![0.0f64; total];
    for layer in layers {
        let mut y = 0.0;
        for (index, &node) in layer.iter().enumerate() {
            if index > 0 {
                y += gap(get(layer, index - 1), node);
            }
            if let Some(slot) = center.get_mut(node) {
                *slot = y;
            }
        }
    }
    for sweep in 0..8 {
        let down = sweep % 2 == 0;
        let count = layers.len();
        for step in 0..count {
            let at = if down { step } else { count - 1 - step };
            let Some(layer) = layers.get(at) else { continue };
            let neighbours = if down { preds } else { succs };
            let wish: Vec<f64> = layer
                .iter()
                .map(|&node| {
                    let around = neighbours.get(node).map_or(&[][..], Vec::as_slice);
                    if around.is_empty() {
                        get(&center, node)
                    } else {
                        around.iter().map(|&n| get(&center, n)).sum::<f64>() / around.len() as f64
                    }
                })
                .collect();
            let spacing: Vec<f64> = layer.windows(2).map(|pair| gap(get(pair, 0), get(pair, 1))).collect();
            for (&node, y) in layer.iter().zip(closest_in_order(&wish, &spacing)) {
                if let Some(slot) = center.get_mut(node) {
                    *slot = y;
                }
            }
        }
    }
    center
}

/// The positions closest (least squares) to `wish` that keep the order and at least
/// `spacing[i]` between item `i` and `i + 1`: pool-adjacent-violators on the wishes shifted
/// by the cumulative spacing.
fn closest_in_order(wish: &[f64], spacing: &[f64]) -> Vec<f64> {
    let mut offset = Vec::with_capacity(wish.len());
    let mut sum = 0.0;
    for index in 0..wish.len() {
        if index > 0 {
            sum += get(spacing, index - 1);
        }
        offset.push(sum);
    }
    // Blocks of (mean, size).
    let mut blocks: Vec<(f64, usize)> = Vec::new();
    for (target, shift) in wish.iter().zip(&offset) {
        let mut block = (target - shift, 1usize);
        while let Some(&(mean, size)) = blocks.last() {
            if mean < block.0 {
                break;
            }
            blocks.pop();
            let merged = size + block.1;
            block = ((mean * size as f64 + block.0 * block.1 as f64) / merged as f64, merged);
        }
        blocks.push(block);
    }
    blocks
        .into_iter()
        .flat_map(|(mean, size)| std::iter::repeat_n(mean, size))
        .zip(offset)
        .map(|(z, shift)| z + shift)
        .collect()
}

/// Keeps the pinned nodes and puts each other one next to its placed neighbours (to the
/// right of its predecessors, or to the left of its successors), in the nearest free place
/// of that column; nodes without placed neighbours keep their fresh position when it is
/// free, or go below everything.
fn place_around(
    count: usize,
    links: &[(usize, usize)],
    pinned: &[Option<Point>],
    fresh: &[Point],
    options: &Options,
) -> Vec<Point> {
    let mut placed: Vec<Option<Point>> = (0..count).map(|n| pinned.get(n).copied().flatten()).collect();
    let mut pending: Vec<usize> = (0..count).filter(|&n| get(&placed, n).is_none()).collect();
    crate::order::sort_by(&mut pending, |&a, &b| {
        let (pa, pb) = (get(fresh, a), get(fresh, b));
        pa.x.total_cmp(&pb.x).then(pa.y.total_cmp(&pb.y)).then(a.cmp(&b))
    });
    let step = options.node_width + options.layer_gap;
    for node in pending {
        let of = |ends: &mut dyn Iterator<Item = usize>| -> Vec<Point> {
            ends.filter_map(|other| get(&placed, other)).collect()
        };
        let before = of(&mut links.iter().filter(|link| link.1 == node).map(|link| link.0));
        let after = of(&mut links.iter().filter(|link| link.0 == node).map(|link| link.1));
        let mean_y = |points: &[Point]| points.iter().map(|p| p.y).sum::<f64>() / points.len() as f64;
        let wish = if !before.is_empty() {
            Some(Point { x: before.iter().map(|p| p.x).fold(f64::MIN, f64::max) + step, y: mean_y(&before) })
        } else if !after.is_empty() {
            Some(Point { x: after.iter().map(|p| p.x).fold(f64::MAX, f64::min) - step, y: mean_y(&after) })
        } else {
            None
        };
        let spot = match wish {
            Some(wish) => free_spot(wish, &placed, options),
            None => {
                let own = get(fresh, node);
                if placed.iter().flatten().any(|other| overlap(own, *other, options, options.node_gap / 2.0))
                {
                    let bottom = placed.iter().flatten().map(|p| p.y).fold(f64::MIN, f64::max);
                    free_spot(
                        Point { x: own.x, y: bottom + options.node_height + options.node_gap },
                        &placed,
                        options,
                    )
                } else {
                    own
                }
            }
        };
        if let Some(slot) = placed.get_mut(node) {
            *slot = Some(spot);
        }
    }
    placed.into_iter().map(Option::unwrap_or_default).collect()
}

/// The free place nearest to `wish` in its column, searching down and up by half a node.
fn free_spot(wish: Point, placed: &[Option<Point>], options: &Options) -> Point {
    let margin = options.node_gap / 2.0;
    let step = (options.node_height + options.node_gap) / 2.0;
    let free =
        |candidate: Point| !placed.iter().flatten().any(|other| overlap(candidate, *other, options, margin));
    for k in 0..(4 * placed.len() + 4) {
        let distance = k.div_ceil(2) as f64 * step;
        let y = if k % 2 == 1 { wish.y + distance } else { wish.y - distance };
        let candidate = Point { x: wish.x, y };
        if free(candidate) {
            return candidate;
        }
    }
    let bottom = placed.iter().flatten().map(|p| p.y).fold(wish.y, f64::max);
    Point { x: wish.x, y: bottom + options.node_height + options.node_gap }
}
