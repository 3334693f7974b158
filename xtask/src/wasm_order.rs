//! Puts similar functions next to each other in the optimised wasm, so gzip compresses it better.
//!
//! gzip (and zopfli) only find repeats within the last 32 KB. The app's wasm is mostly
//! monomorphised copies of a few generic functions (Leptos's view and reactive code instantiated
//! for each component, `drop_in_place` for each type), near-identical byte runs; wasm-opt orders
//! functions by call count (short call indices), which scatters those copies across 1.5 MB.
//! Ordering them by similarity takes the editor's wasm from 573.7 to about 536 KB gzip, with the
//! same code byte for byte (BENCHMARKS.md).
//!
//! How: each function body of the code section is described by its set of 4-byte runs (runs
//! found in more than [`COMMON_SHARE`] of the functions, like `local.get 0`, say little and are
//! left out; the rarer a run, the more it counts). A greedy walk starts at the largest function
//! and repeatedly places the unplaced function most similar to the last few placed ones (shared
//! runs over the square root of the candidate's run count, the latest placed weighing most).
//! The constants were tuned on the editor's wasm (each within about 1% of the best found). The order is written into the module as function names; wasm-opt's
//! `--reorder-functions-by-name` then moves the bodies and renumbers every reference to them.
//!
//! Only the sections are split and the bodies read here: the module format is simple at that
//! level, and the xtask keeps its dependencies few (it builds first on a fresh machine).
use std::collections::HashMap;
use std::ops::Range;

use crate::pipeline::Failure;

/// Runs present in more than this share of the functions are too common to tell them apart.
const COMMON_SHARE: f32 = 0.3;
/// How many of the last placed functions the next one is compared with, and how much less each
/// earlier one counts than the one after it (gzip's window holds several functions).
const WINDOW: usize = 16;
const DECAY: f32 = 0.85;

/// The module with a `name` section whose function names give the order: `wasm-opt
/// --reorder-functions-by-name` applies it. Any existing `name` section is replaced.
pub fn name_functions_in_similarity_order(module: &[u8]) -> Result<Vec<u8>, Failure> {
    let sections = sections(module)?;
    let mut imported_functions = 0;
    let mut bodies = Vec::new();
    for section in &sections {
        match section.id {
            IMPORT_SECTION => {
                imported_functions = count_imported_functions(&module[section.payload.clone()])?
            }
            CODE_SECTION => bodies = function_bodies(&module[section.payload.clone()])?,
            _ => {}
        }
    }
    let order = similarity_order(&bodies);
    let mut rank = vec![0; bodies.len()];
    for (position, &function) in order.iter().enumerate() {
        rank[function] = position;
    }
    let width = bodies.len().to_string().len();
    let names = rank.iter().map(|position| format!("{position:0width$}"));

    let mut output = module[..8].to_vec();
    for section in &sections {
        if section.id == CUSTOM_SECTION && custom_section_name(&module[section.payload.clone()])? == b"name" {
            continue;
        }
        output.extend_from_slice(&module[section.whole.clone()]);
    }
    output.extend(name_section(imported_functions, names));
    Ok(output)
}

/// Indices into `bodies` in the order they should take.
fn similarity_order(bodies: &[&[u8]]) -> Vec<usize> {
    let count = bodies.len();
    if count == 0 {
        return Vec::new();
    }
    let runs: Vec<Vec<u32>> = bodies.iter().map(|body| distinct_runs(body)).collect();
    // Each run: what sharing it is worth (log of its rarity), and the functions having it.
    let mut runs_index: HashMap<u32, (f32, Vec<u32>)> = HashMap::new();
    for (function, function_runs) in runs.iter().enumerate() {
        for &run in function_runs {
            runs_index.entry(run).or_default().1.push(function as u32);
        }
    }
    // A run in one function alone links nothing, so at least two are allowed.
    let most = ((count as f32 * COMMON_SHARE) as usize).max(2);
    runs_index.retain(|_, (_, functions)| functions.len() <= most);
    for (worth, functions) in runs_index.values_mut() {
        *worth = (count as f32 / functions.len() as f32).ln();
    }
    let weight: Vec<f32> =
        runs.iter().map(|function_runs| 1.0 / (function_runs.len().max(1) as f32).sqrt()).collect();

    // score[f] = sum over the last WINDOW placed functions p (latest first, k = 0, 1, ...) of
    // DECAY^k * shared(p, f) * weight[f], shared being the rarity-weighted count of common runs.
    let mut score = vec![0.0f32; count];
    let mut recent: std::collections::VecDeque<Vec<(u32, f32)>> = std::collections::VecDeque::new();
    let oldest_factor = DECAY.powi(WINDOW as i32);
    let mut placed = vec![false; count];
    let mut order = Vec::with_capacity(count);
    let largest = (0..count).max_by_key(|&function| (bodies[function].len(), std::cmp::Reverse(function)));
    let mut current = largest.unwrap_or(0);
    loop {
        placed[current] = true;
        order.push(current);
        if order.len() == count {
            return order;
        }
        let mut shared: HashMap<u32, f32> = HashMap::new();
        for run in &runs[current] {
            if let Some((worth, functions)) = runs_index.get(run) {
                for &function in functions {
                    *shared.entry(function).or_default() += *worth;
                }
            }
        }
        let mut similarity: Vec<(u32, f32)> =
            shared.into_iter().map(|(function, runs)| (function, runs * weight[function as usize])).collect();
        // In function order, not the hash map's (random per run): the same build, the same order.
        similarity.sort_unstable_by_key(|&(function, _)| function);
        for value in &mut score {
            *value *= DECAY;
        }
        for &(function, value) in &similarity {
            score[function as usize] += value;
        }
        recent.push_front(similarity);
        if recent.len() > WINDOW
            && let Some(dropped) = recent.pop_back()
        {
            for (function, value) in dropped {
                score[function as usize] -= oldest_factor * value;
            }
        }
        // The most similar unplaced function; the first in module order among equals (so
        // functions like nothing placed keep the compiler's order).
        let mut best = None;
        for function in 0..count {
            if !placed[function] && best.is_none_or(|(_, best_score)| score[function] > best_score) {
                best = Some((function, score[function]));
            }
        }
        current = best.map_or(0, |(function, _)| function);
    }
}

/// The distinct 4-byte runs of a body, sorted.
fn distinct_runs(body: &[u8]) -> Vec<u32> {
    let mut runs: Vec<u32> = body
        .windows(4)
        .map(|window| u32::from_le_bytes([window[0], window[1], window[2], window[3]]))
        .collect();
    runs.sort_unstable();
    runs.dedup();
    runs
}

const CUSTOM_SECTION: u8 = 0;
const IMPORT_SECTION: u8 = 2;
const CODE_SECTION: u8 = 10;

struct Section {
    id: u8,
    /// The section's bytes including its id and size.
    whole: Range<usize>,
    payload: Range<usize>,
}

fn malformed(what: &str) -> Failure {
    Failure::new(format!("cannot order the wasm's functions: {what}"))
}

fn sections(module: &[u8]) -> Result<Vec<Section>, Failure> {
    if module.len() < 8 || &module[..4] != b"\0asm" {
        return Err(malformed("not a wasm module"));
    }
    let mut sections = Vec::new();
    let mut position = 8;
    while position < module.len() {
        let start = position;
        let id = module[position];
        position += 1;
        let size = read_u32(module, &mut position)? as usize;
        let end = position
            .checked_add(size)
            .filter(|&end| end <= module.len())
            .ok_or_else(|| malformed("a section runs past the end"))?;
        sections.push(Section { id, whole: start..end, payload: position..end });
        position = end;
    }
    Ok(sections)
}

fn function_bodies(payload: &[u8]) -> Result<Vec<&[u8]>, Failure> {
    let mut position = 0;
    let count = read_u32(payload, &mut position)?;
    let mut bodies = Vec::with_capacity(count as usize);
    for _ in 0..count {
        let size = read_u32(payload, &mut position)? as usize;
        let body = payload
            .get(position..position + size)
            .ok_or_else(|| malformed("a function body runs past its section"))?;
        bodies.push(body);
        position += size;
    }
    Ok(bodies)
}

/// Imported functions come first in the function index space.
fn count_imported_functions(payload: &[u8]) -> Result<u32, Failure> {
    let mut position = 0;
    let count = read_u32(payload, &mut position)?;
    let mut functions = 0;
    for _ in 0..count {
        for _ in 0..2 {
            // Module and field names.
            let length = read_u32(payload, &mut position)? as usize;
            position += length;
        }
        let kind = read_byte(payload, &mut position)?;
        match kind {
            0x00 => {
                read_u32(payload, &mut position)?;
                functions += 1;
            }
            0x01 => {
                read_byte(payload, &mut position)?; // funcref or externref
                skip_limits(payload, &mut position)?;
            }
            0x02 => skip_limits(payload, &mut position)?,
            0x03 => position += 2, // value type, mutability
            0x04 => {
                read_byte(payload, &mut position)?;
                read_u32(payload, &mut position)?;
            }
            other => return Err(malformed(&format!("unknown import kind {other:#x}"))),
        }
    }
    Ok(functions)
}

fn skip_limits(bytes: &[u8], position: &mut usize) -> Result<(), Failure> {
    let flags = read_byte(bytes, position)?;
    read_u64(bytes, position)?;
    if flags & 1 != 0 {
        read_u64(bytes, position)?;
    }
    Ok(())
}

fn custom_section_name(payload: &[u8]) -> Result<&[u8], Failure> {
    let mut position = 0;
    let length = read_u32(payload, &mut position)? as usize;
    payload.get(position..position + length).ok_or_else(|| malformed("a custom section's name runs past it"))
}

/// A `name` section with the function names subsection only.
fn name_section(first_index: u32, names: impl Iterator<Item = String>) -> Vec<u8> {
    let mut entries = Vec::new();
    let mut count = 0;
    for (offset, name) in names.enumerate() {
        write_u32(&mut entries, first_index + offset as u32);
        write_u32(&mut entries, name.len() as u32);
        entries.extend_from_slice(name.as_bytes());
        count += 1;
    }
    let mut function_names = Vec::new();
    write_u32(&mut function_names, count);
    function_names.extend(entries);

    let mut payload = Vec::new();
    write_u32(&mut payload, 4);
    payload.extend_from_slice(b"name");
    payload.push(1); // the function names subsection
    write_u32(&mut payload, function_names.len() as u32);
    payload.extend(function_names);

    let mut section = vec![CUSTOM_SECTION];
    write_u32(&mut section, payload.len() as u32);
    section.extend(payload);
    section
}

fn read_byte(bytes: &[u8], position: &mut usize) -> Result<u8, Failure> {
    let byte = *bytes.get(*position).ok_or_else(|| malformed("unexpected end"))?;
    *position += 1;
    Ok(byte)
}

fn read_u64(bytes: &[u8], position: &mut usize) -> Result<u64, Failure> {
    let mut value = 0u64;
    for shift in (0..64).step_by(7) {
        let byte = read_byte(bytes, position)?;
        value |= u64::from(byte & 0x7f) << shift;
        if byte & 0x80 == 0 {
            return Ok(value);
        }
    }
    Err(malformed("an integer is too long"))
}

fn read_u32(bytes: &[u8], position: &mut usize) -> Result<u32, Failure> {
    u32::try_from(read_u64(bytes, position)?).map_err(|_| malformed("an integer is too large"))
}

fn write_u32(output: &mut Vec<u8>, mut value: u32) {
    loop {
        let byte = (value & 0x7f) as u8;
        value >>= 7;
        if value == 0 {
            output.push(byte);
            return;
        }
        output.push(byte | 0x80);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A module importing one function and a memory, defining the given bodies (all of type 0).
    fn module(bodies: &[&[u8]]) -> Vec<u8> {
        let mut module = b"\0asm\x01\0\0\0".to_vec();
        let section = |module: &mut Vec<u8>, id: u8, payload: Vec<u8>| {
            module.push(id);
            write_u32(module, payload.len() as u32);
            module.extend(payload);
        };
        section(&mut module, 1, vec![1, 0x60, 0, 0]);
        section(&mut module, 2, b"\x02\x01m\x01f\x00\x00\x01m\x03mem\x02\x01\x01\x02".to_vec());
        let mut functions = Vec::new();
        write_u32(&mut functions, bodies.len() as u32);
        functions.extend(std::iter::repeat_n(0, bodies.len()));
        section(&mut module, 3, functions);
        let mut code = Vec::new();
        write_u32(&mut code, bodies.len() as u32);
        for body in bodies {
            write_u32(&mut code, body.len() as u32);
            code.extend_from_slice(body);
        }
        section(&mut module, 10, code);
        section(&mut module, 0, b"\x04name\x01\x04\x01\x00\x01x".to_vec());
        module
    }

    /// Function names of the `name` section (index, name), which must be the last section.
    fn names(module: &[u8]) -> Vec<(u32, String)> {
        let sections = sections(module).unwrap();
        let last = sections.last().unwrap();
        let payload = &module[last.payload.clone()];
        assert_eq!(custom_section_name(payload).unwrap(), b"name");
        let mut position = 5;
        assert_eq!(read_byte(payload, &mut position).unwrap(), 1);
        read_u32(payload, &mut position).unwrap();
        let count = read_u32(payload, &mut position).unwrap();
        (0..count)
            .map(|_| {
                let index = read_u32(payload, &mut position).unwrap();
                let length = read_u32(payload, &mut position).unwrap() as usize;
                let name = String::from_utf8(payload[position..position + length].to_vec()).unwrap();
                position += length;
                (index, name)
            })
            .collect()
    }

    #[test]
    fn similar_functions_are_named_to_sit_together() {
        // Two families of bodies, interleaved; the largest body comes first in the order.
        let family_a: &[u8] = b"\0\x20\0\x41\x07\x6a\x20\x01\x41\x07\x6a\x6c\x0b";
        let family_a2: &[u8] = b"\0\x20\0\x41\x07\x6a\x20\x01\x41\x07\x6a\x6c\x1a\x0b";
        let family_b: &[u8] = b"\0\x23\x05\x28\x02\x10\x23\x05\x28\x02\x14\x36\x02\x0c\x0b";
        let family_b2: &[u8] = b"\0\x23\x05\x28\x02\x10\x23\x05\x28\x02\x14\x36\x02\x0c\x0b\x0b\x0b";
        let input = module(&[family_a, family_b, family_a2, family_b2]);
        let output = name_functions_in_similarity_order(&input).unwrap();

        let named = names(&output);
        // The import is function 0: the defined functions are 1 to 4.
        let indices: Vec<u32> = named.iter().map(|(index, _)| *index).collect();
        assert_eq!(indices, [1, 2, 3, 4]);
        let position = |index: u32| named.iter().find(|(at, _)| *at == index).unwrap().1.clone();
        // family_b2 is the largest: it starts, its sibling follows, then family a.
        assert_eq!(position(4), "0");
        assert_eq!(position(2), "1");
        assert_eq!(position(1), "2");
        assert_eq!(position(3), "3");

        // Everything but the name section is kept as it was; the old name section is gone.
        let input_sections = sections(&input).unwrap();
        let output_sections = sections(&output).unwrap();
        assert_eq!(output_sections.len(), input_sections.len());
        for (before, after) in input_sections.iter().zip(&output_sections).take(input_sections.len() - 1) {
            assert_eq!(input[before.whole.clone()], output[after.whole.clone()]);
        }
    }

    #[test]
    fn a_truncated_module_is_an_error() {
        let input = module(&[b"\0\x0b"]);
        let error = name_functions_in_similarity_order(&input[..input.len() - 14]).err().unwrap();
        assert!(error.to_string().contains("past"), "{error}");
        assert!(name_functions_in_similarity_order(b"not wasm").is_err());
    }
}
