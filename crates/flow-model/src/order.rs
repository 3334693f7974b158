//! Sorting through one compiled sort. `slice::sort_by` is compiled anew for every element type
//! and comparison (a few KB of wasm each); these functions sort positions through a `dyn`
//! comparison instead, so the crate and the app share one compiled sort: a dozen call sites
//! had cost the browser bundle about 10 KB gzip. All sorts here are stable.
//!
//! Not for the hot paths whose speed is budgeted per element (the validator's name index keeps
//! `sort_unstable`): the `dyn` call costs a few nanoseconds per comparison.
use std::cmp::Ordering;

/// Sorts `items` stably by `compare`.
pub fn sort_by<T>(items: &mut Vec<T>, compare: impl Fn(&T, &T) -> Ordering) {
    if items.len() < 2 {
        return;
    }
    let mut positions: Vec<u32> = (0..items.len() as u32).collect();
    let slice = items.as_slice();
    sort_positions(&mut positions, &|a, b| match (slice.get(a as usize), slice.get(b as usize)) {
        (Some(a), Some(b)) => compare(a, b),
        _ => Ordering::Equal,
    });
    permute(items, &positions);
}

/// Sorts `items` stably by `key`, computed for each comparison.
pub fn sort_by_key<T, K: Ord>(items: &mut Vec<T>, key: impl Fn(&T) -> K) {
    sort_by(items, |a, b| key(a).cmp(&key(b)));
}

/// Sorts `items` stably by `key`, computed once per item.
pub fn sort_by_cached_key<T, K: Ord>(items: &mut Vec<T>, key: impl Fn(&T) -> K) {
    let keys: Vec<K> = items.iter().map(key).collect();
    let mut positions: Vec<u32> = (0..items.len() as u32).collect();
    sort_positions(&mut positions, &|a, b| keys.get(a as usize).cmp(&keys.get(b as usize)));
    permute(items, &positions);
}

/// Sorts `items` stably in their natural order.
pub fn sort<T: Ord>(items: &mut Vec<T>) {
    sort_by(items, T::cmp);
}

/// The one compiled sort.
#[inline(never)]
fn sort_positions(positions: &mut [u32], compare: &dyn Fn(u32, u32) -> Ordering) {
    positions.sort_by(|a, b| compare(*a, *b));
}

/// Puts `items` in the order of `positions` (a permutation of their indices).
fn permute<T>(items: &mut Vec<T>, positions: &[u32]) {
    let mut slots: Vec<Option<T>> = std::mem::take(items).into_iter().map(Some).collect();
    items.extend(positions.iter().filter_map(|&at| slots.get_mut(at as usize).and_then(Option::take)));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_like_the_standard_library_and_keeps_ties_in_order() {
        let pairs: Vec<(u8, u32)> = (0..500u32).map(|n| ((n * 7919 % 13) as u8, n)).collect();
        let mut ours = pairs.clone();
        sort_by_key(&mut ours, |pair| pair.0);
        let mut std = pairs.clone();
        std.sort_by_key(|pair| pair.0);
        assert_eq!(ours, std);
        let mut cached = pairs.clone();
        sort_by_cached_key(&mut cached, |pair| pair.0);
        assert_eq!(cached, std);
        let mut words = vec!["pear", "apple", "fig", "apple"];
        sort(&mut words);
        assert_eq!(words, ["apple", "apple", "fig", "pear"]);
        let mut reversed = vec![1.5, -2.0, 3.25];
        sort_by(&mut reversed, |a: &f64, b| b.total_cmp(a));
        assert_eq!(reversed, [3.25, 1.5, -2.0]);
        let mut empty: Vec<u8> = Vec::new();
        sort(&mut empty);
        assert!(empty.is_empty());
    }
}
