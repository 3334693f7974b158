//! A strict JSON (RFC 8259) reader that builds a `serde_json::Value` and, in the same pass, the
//! text range of every value. Hand-written because no maintained crate gives both spans and a
//! `serde_json::Value` in one pass with a depth bound (see ARCHITECTURE.md).
use serde_json::{Map, Number, Value};

use crate::diagnostic::SyntaxProblem;

/// Deepest nesting of objects and arrays we read. Real flows nest about 20 deep; the bound
/// keeps a hostile input from overflowing the stack (parsing and dropping are recursive).
pub const MAX_DEPTH: usize = 128;

/// The text range of one value, in pre-order: a value's descendants follow it directly.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Node {
    /// Byte offset where the value starts.
    pub start: u32,
    /// Byte offset just after the value.
    pub end: u32,
    /// Byte range of the member's key, quotes included, for object members (else 0..0).
    pub key_start: u32,
    /// End of the key range.
    pub key_end: u32,
    /// How many nodes follow this one inside it (its whole subtree, not just its children).
    pub descendants: u32,
}

/// A fatal problem at a byte offset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    Syntax(SyntaxProblem, usize),
    TooDeep(usize),
}

/// A duplicate key: non-fatal, the last value wins (as in JavaScript's `JSON.parse`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Duplicate {
    pub key: String,
    pub key_start: usize,
    pub key_end: usize,
}

pub struct Output {
    pub value: Value,
    pub nodes: Vec<Node>,
    pub duplicates: Vec<Duplicate>,
    /// The offset where each line but the first starts. In valid JSON every line break is
    /// whitespace between tokens, so the parser notes them as it skips whitespace instead of
    /// scanning the text again (that scan was a sixth of parsing a large flow).
    pub line_starts: Vec<usize>,
}

/// Reads `text` (offsets are relative to it; callers strip a byte order mark first).
pub fn parse(text: &str) -> Result<Output, Failure> {
    let mut parser = Parser {
        bytes: text.as_bytes(),
        text,
        pos: 0,
        depth: 0,
        nodes: Vec::new(),
        duplicates: Vec::new(),
        line_starts: Vec::new(),
    };
    // Pre-size: about one value per 12 bytes, and one line per 24, of typical flow JSON.
    parser.nodes.reserve(text.len() / 12);
    parser.line_starts.reserve(text.len() / 24);
    parser.skip_whitespace();
    if parser.pos == parser.bytes.len() {
        return Err(Failure::Syntax(SyntaxProblem::Empty, 0));
    }
    let value = parser.value()?;
    parser.skip_whitespace();
    if parser.pos != parser.bytes.len() {
        return Err(Failure::Syntax(SyntaxProblem::TrailingCharacters, parser.pos));
    }
    Ok(Output { value, nodes: parser.nodes, duplicates: parser.duplicates, line_starts: parser.line_starts })
}

struct Parser<'a> {
    bytes: &'a [u8],
    text: &'a str,
    pos: usize,
    depth: usize,
    nodes: Vec<Node>,
    duplicates: Vec<Duplicate>,
    line_starts: Vec<usize>,
}

/// Inserts a member; when the key was already there (it keeps its place, takes the new value),
/// returns the key and the value it replaced.
fn insert_returning_duplicate(
    map: &mut Map<String, Value>,
    key: String,
    value: Value,
) -> Option<(String, Value)> {
    match map.entry(key) {
        serde_json::map::Entry::Vacant(entry) => {
            entry.insert(value);
            None
        }
        serde_json::map::Entry::Occupied(mut entry) => {
            let old = entry.insert(value);
            Some((entry.key().clone(), old))
        }
    }
}

/// How many spaces `bytes` starts with, counted eight at a time as one 64-bit word.
fn space_run(bytes: &[u8]) -> usize {
    const SPACES: u64 = 0x2020_2020_2020_2020;
    let mut chunks = bytes.chunks_exact(8);
    let mut done = 0;
    for chunk in chunks.by_ref() {
        let mut word = [0; 8];
        word.copy_from_slice(chunk);
        // The first byte that is not a space is the lowest non-zero byte of the difference.
        let other = u64::from_le_bytes(word) ^ SPACES;
        if other != 0 {
            return done + (other.trailing_zeros() / 8) as usize;
        }
        done += 8;
    }
    let rest = chunks.remainder();
    done + rest.iter().position(|&byte| byte != b' ').unwrap_or(rest.len())
}

/// How many bytes at the start of `bytes` a string holds as they are: up to the first quote,
/// backslash or control character (or the end). Eight bytes at a time, as one 64-bit word
/// (SWAR): a byte-by-byte scan was the larger part of reading strings.
fn string_run(bytes: &[u8]) -> usize {
    let mut chunks = bytes.chunks_exact(8);
    let mut done = 0;
    for chunk in chunks.by_ref() {
        let mut word = [0; 8];
        word.copy_from_slice(chunk);
        let word = u64::from_le_bytes(word);
        // Bytes below 0x20: those that borrow when 0x20 is taken away, and had no high bit.
        let stops = bytes_equal(word, b'"')
            | bytes_equal(word, b'\\')
            | (word.wrapping_sub(ONES * 0x20) & !word & HIGHS);
        if stops != 0 {
            return done + (stops.trailing_zeros() / 8) as usize;
        }
        done += 8;
    }
    let rest = chunks.remainder();
    done + rest.iter().position(|&byte| byte == b'"' || byte == b'\\' || byte < 0x20).unwrap_or(rest.len())
}

/// The byte 0x01 in every byte of a word.
const ONES: u64 = 0x0101_0101_0101_0101;
/// The high bit of every byte of a word.
const HIGHS: u64 = 0x8080_8080_8080_8080;

/// The high bit of each byte of `word` (eight bytes, little-endian) that equals `byte`; exact
/// for the lowest such byte (a borrow can only mark bytes above a marked one), so non-zero
/// exactly when one does and `trailing_zeros() / 8` is the first one's position.
pub(crate) fn bytes_equal(word: u64, byte: u8) -> u64 {
    let zeroed = word ^ (ONES * u64::from(byte));
    zeroed.wrapping_sub(ONES) & !zeroed & HIGHS
}

fn offset(value: usize) -> u32 {
    // Inputs are capped at 10 MB before parsing, far below u32::MAX.
    u32::try_from(value).unwrap_or(u32::MAX)
}

impl Parser<'_> {
    fn fail<T>(&self, problem: SyntaxProblem, at: usize) -> Result<T, Failure> {
        Err(Failure::Syntax(problem, at))
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    /// Skips whitespace. Most calls find none, or the one space after a colon: both are
    /// decided here, inline; runs of whitespace go to [`Parser::skip_whitespace_run`].
    #[inline(always)]
    fn skip_whitespace(&mut self) {
        match self.bytes.get(self.pos) {
            Some(byte) if *byte > b' ' => {}
            Some(b' ') if self.bytes.get(self.pos + 1).is_some_and(|byte| *byte > b' ') => self.pos += 1,
            _ => self.skip_whitespace_run(),
        }
    }

    fn skip_whitespace_run(&mut self) {
        while let Some(byte) = self.peek() {
            match byte {
                b' ' => {
                    // Indentation, most of the whitespace of pretty JSON, comes in runs.
                    self.pos += space_run(self.bytes.get(self.pos..).unwrap_or_default());
                    continue;
                }
                b'\t' => {}
                b'\n' => self.line_starts.push(self.pos + 1),
                // A carriage return ends a line unless a line feed follows (then that one does).
                b'\r' if self.bytes.get(self.pos + 1) != Some(&b'\n') => self.line_starts.push(self.pos + 1),
                b'\r' => {}
                _ => break,
            }
            self.pos += 1;
        }
    }

    /// One value at the current position (whitespace already skipped), with its node.
    fn value(&mut self) -> Result<Value, Failure> {
        let index = self.nodes.len();
        let start = self.pos;
        self.nodes.push(Node { start: offset(start), end: 0, key_start: 0, key_end: 0, descendants: 0 });
        let value = match self.peek() {
            None => return self.fail(SyntaxProblem::UnexpectedEnd, self.pos),
            Some(b'{') => self.object()?,
            Some(b'[') => self.array()?,
            Some(b'"') => Value::String(self.string()?),
            Some(b't') => self.literal(b"true", Value::Bool(true))?,
            Some(b'f') => self.literal(b"false", Value::Bool(false))?,
            Some(b'n') => self.literal(b"null", Value::Null)?,
            Some(b'-' | b'0'..=b'9') => Value::Number(self.number()?),
            Some(_) => return self.fail(SyntaxProblem::ExpectedValue, self.pos),
        };
        let descendants = offset(self.nodes.len() - index - 1);
        if let Some(node) = self.nodes.get_mut(index) {
            node.end = offset(self.pos);
            node.descendants = descendants;
        }
        Ok(value)
    }

    fn enter(&mut self) -> Result<(), Failure> {
        self.depth += 1;
        if self.depth > MAX_DEPTH { Err(Failure::TooDeep(self.pos)) } else { Ok(()) }
    }

    fn object(&mut self) -> Result<Value, Failure> {
        self.enter()?;
        let object_index = self.nodes.len() - 1;
        self.pos += 1; // '{'
        self.skip_whitespace();
        if self.peek() == Some(b'}') {
            self.pos += 1;
            self.depth -= 1;
            return Ok(Value::Object(Map::new()));
        }
        let mut map = Map::new();
        // Repeated keys (member position, key): rare, so their bookkeeping comes after.
        let mut repeated = Vec::new();
        for member in 0.. {
            match self.peek() {
                Some(b'"') => {}
                Some(b'}') => return self.fail(SyntaxProblem::TrailingComma, self.pos),
                None => return self.fail(SyntaxProblem::UnexpectedEnd, self.pos),
                Some(_) => return self.fail(SyntaxProblem::ExpectedKey, self.pos),
            }
            let key_start = self.pos;
            let key = self.string()?;
            let key_end = self.pos;
            self.skip_whitespace();
            match self.peek() {
                Some(b':') => self.pos += 1,
                None => return self.fail(SyntaxProblem::UnexpectedEnd, self.pos),
                Some(_) => return self.fail(SyntaxProblem::ExpectedColon, self.pos),
            }
            self.skip_whitespace();
            let member_index = self.nodes.len();
            let value = self.value()?;
            if let Some(node) = self.nodes.get_mut(member_index) {
                node.key_start = offset(key_start);
                node.key_end = offset(key_end);
            }
            // For an existing key this keeps its position and takes the new value.
            if let Some((key, _)) = insert_returning_duplicate(&mut map, key, value) {
                repeated.push((member, key));
            }
            self.skip_whitespace();
            match self.peek() {
                Some(b',') => {
                    self.pos += 1;
                    self.skip_whitespace();
                }
                Some(b'}') => {
                    self.pos += 1;
                    break;
                }
                None => return self.fail(SyntaxProblem::UnexpectedEnd, self.pos),
                Some(_) => return self.fail(SyntaxProblem::ExpectedCommaOrObjectEnd, self.pos),
            }
        }
        self.depth -= 1;
        if !repeated.is_empty() {
            self.replace_duplicates(object_index, &map, &repeated);
        }
        Ok(Value::Object(map))
    }

    /// Keeps the node list in the map's order when repeated keys replaced earlier values (each
    /// entry keeps the place of its first member and takes the subtree of its last), and
    /// reports the repeated members. `repeated` lists them (member position, key) in order.
    /// Linear in the object's size, however many keys repeat.
    fn replace_duplicates(
        &mut self,
        object_index: usize,
        map: &Map<String, Value>,
        repeated: &[(usize, String)],
    ) {
        let entries: std::collections::HashMap<&str, usize> =
            map.keys().enumerate().map(|(entry, key)| (key.as_str(), entry)).collect();
        // The members' subtrees follow the object's node, in member order; each member's
        // entry: members that were not repeats took the next entry in turn.
        let mut last = vec![None; map.len()];
        let mut repeats = repeated.iter().peekable();
        let mut next_entry = 0;
        let mut start = object_index + 1;
        for member in 0.. {
            let Some(node) = self.nodes.get(start).copied() else { break };
            let range = start..start + 1 + node.descendants as usize;
            start = range.end;
            let entry = match repeats.next_if(|(position, _)| *position == member) {
                Some((_, key)) => {
                    self.duplicates.push(Duplicate {
                        key: key.clone(),
                        key_start: node.key_start as usize,
                        key_end: node.key_end as usize,
                    });
                    entries.get(key.as_str()).copied()
                }
                None => {
                    next_entry += 1;
                    Some(next_entry - 1)
                }
            };
            if let Some(slot) = entry.and_then(|entry| last.get_mut(entry)) {
                *slot = Some(range);
            }
        }
        let mut ordered = Vec::with_capacity(self.nodes.len() - object_index - 1);
        for range in last.into_iter().flatten() {
            ordered.extend_from_slice(self.nodes.get(range).unwrap_or_default());
        }
        self.nodes.truncate(object_index + 1);
        self.nodes.extend(ordered);
    }

    fn array(&mut self) -> Result<Value, Failure> {
        self.enter()?;
        self.pos += 1; // '['
        self.skip_whitespace();
        if self.peek() == Some(b']') {
            self.pos += 1;
            self.depth -= 1;
            return Ok(Value::Array(Vec::new()));
        }
        let mut items = Vec::new();
        loop {
            if self.peek() == Some(b']') {
                return self.fail(SyntaxProblem::TrailingComma, self.pos);
            }
            items.push(self.value()?);
            self.skip_whitespace();
            match self.peek() {
                Some(b',') => {
                    self.pos += 1;
                    self.skip_whitespace();
                }
                Some(b']') => {
                    self.pos += 1;
                    break;
                }
                None => return self.fail(SyntaxProblem::UnexpectedEnd, self.pos),
                Some(_) => return self.fail(SyntaxProblem::ExpectedCommaOrArrayEnd, self.pos),
            }
        }
        self.depth -= 1;
        Ok(Value::Array(items))
    }

    fn literal(&mut self, word: &[u8], value: Value) -> Result<Value, Failure> {
        if self.bytes.get(self.pos..self.pos + word.len()) == Some(word) {
            self.pos += word.len();
            Ok(value)
        } else {
            self.fail(SyntaxProblem::InvalidLiteral, self.pos)
        }
    }

    /// A string starting at the opening quote; leaves the position after the closing quote.
    fn string(&mut self) -> Result<String, Failure> {
        let opening = self.pos;
        self.pos += 1;
        let start = self.pos;
        // Fast path: no escapes, copy the slice as is. The scan over the slice (rather than
        // byte by byte through `peek`) is what keeps large flows within their time budget.
        self.pos = start + string_run(self.bytes.get(start..).unwrap_or_default());
        match self.peek() {
            None => return self.fail(SyntaxProblem::UnterminatedString, opening),
            Some(b'"') => {
                let text = self.text.get(start..self.pos).unwrap_or_default().to_owned();
                self.pos += 1;
                return Ok(text);
            }
            Some(b'\\') => {}
            Some(_) => return self.fail(SyntaxProblem::ControlCharacterInString, self.pos),
        }
        let mut text = String::with_capacity(self.pos - start + 16);
        text.push_str(self.text.get(start..self.pos).unwrap_or_default());
        loop {
            match self.peek() {
                None => return self.fail(SyntaxProblem::UnterminatedString, opening),
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(text);
                }
                Some(b'\\') => self.escape(&mut text)?,
                Some(byte) if byte < 0x20 => {
                    return self.fail(SyntaxProblem::ControlCharacterInString, self.pos);
                }
                Some(_) => {
                    let run_start = self.pos;
                    self.pos += string_run(self.bytes.get(run_start..).unwrap_or_default());
                    text.push_str(self.text.get(run_start..self.pos).unwrap_or_default());
                }
            }
        }
    }

    fn escape(&mut self, text: &mut String) -> Result<(), Failure> {
        let at = self.pos;
        self.pos += 1; // '\'
        let Some(kind) = self.peek() else { return self.fail(SyntaxProblem::UnterminatedString, at) };
        self.pos += 1;
        let character = match kind {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => {
                let unit = self.hex4(at)?;
                match unit {
                    0xD800..=0xDBFF => {
                        // A high surrogate must be followed by an escaped low surrogate.
                        if self.bytes.get(self.pos..self.pos + 2) != Some(b"\\u") {
                            return self.fail(SyntaxProblem::LoneSurrogate, at);
                        }
                        self.pos += 2;
                        let low = self.hex4(at)?;
                        if !(0xDC00..=0xDFFF).contains(&low) {
                            return self.fail(SyntaxProblem::LoneSurrogate, at);
                        }
                        let code = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
                        char::from_u32(code).ok_or(Failure::Syntax(SyntaxProblem::LoneSurrogate, at))?
                    }
                    0xDC00..=0xDFFF => return self.fail(SyntaxProblem::LoneSurrogate, at),
                    _ => char::from_u32(unit).ok_or(Failure::Syntax(SyntaxProblem::InvalidEscape, at))?,
                }
            }
            _ => return self.fail(SyntaxProblem::InvalidEscape, at),
        };
        text.push(character);
        Ok(())
    }

    fn hex4(&mut self, escape_at: usize) -> Result<u32, Failure> {
        let digits = self
            .bytes
            .get(self.pos..self.pos + 4)
            .ok_or(Failure::Syntax(SyntaxProblem::InvalidEscape, escape_at))?;
        let mut unit = 0;
        for digit in digits {
            let value = (*digit as char)
                .to_digit(16)
                .ok_or(Failure::Syntax(SyntaxProblem::InvalidEscape, escape_at))?;
            unit = unit * 16 + value;
        }
        self.pos += 4;
        Ok(unit)
    }

    fn digits(&mut self) -> usize {
        let start = self.pos;
        while let Some(b'0'..=b'9') = self.peek() {
            self.pos += 1;
        }
        self.pos - start
    }

    fn number(&mut self) -> Result<Number, Failure> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        match self.peek() {
            Some(b'0') => {
                self.pos += 1;
                if let Some(b'0'..=b'9') = self.peek() {
                    return self.fail(SyntaxProblem::InvalidNumber, start);
                }
            }
            Some(b'1'..=b'9') => {
                self.digits();
            }
            _ => return self.fail(SyntaxProblem::InvalidNumber, start),
        }
        let mut integer = true;
        if self.peek() == Some(b'.') {
            integer = false;
            self.pos += 1;
            if self.digits() == 0 {
                return self.fail(SyntaxProblem::InvalidNumber, start);
            }
        }
        if let Some(b'e' | b'E') = self.peek() {
            integer = false;
            self.pos += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.pos += 1;
            }
            if self.digits() == 0 {
                return self.fail(SyntaxProblem::InvalidNumber, start);
            }
        }
        let literal = self.text.get(start..self.pos).unwrap_or_default();
        if integer {
            if let Ok(value) = literal.parse::<u64>() {
                return Ok(Number::from(value));
            }
            if let Ok(value) = literal.parse::<i64>() {
                return Ok(Number::from(value));
            }
        }
        // Beyond 64-bit integers, or with a fraction or exponent: a double, as JavaScript reads it.
        crate::number::parse(literal)
            .and_then(Number::from_f64)
            .ok_or(Failure::Syntax(SyntaxProblem::NumberOutOfRange, start))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn whitespace_runs_of_any_length() {
        for length in 0..40 {
            let spaces = " ".repeat(length);
            let text = format!(
                "{{{spaces}\"a\"{spaces}:{spaces}\t{spaces}[{spaces}1 ,\n{spaces}2{spaces}]{spaces}}}{spaces}"
            );
            let output = parse(&text).unwrap();
            assert_eq!(output.value, json!({"a": [1, 2]}), "{length}");
            let one = text.find('1').unwrap();
            assert_eq!(output.nodes[2].start as usize, one, "{length}");
            assert_eq!(output.line_starts, [text.find('\n').unwrap() + 1], "{length}");
        }
    }

    fn problem(text: &str) -> Failure {
        match parse(text) {
            Ok(output) => panic!("{text:?} parsed as {:?}", output.value),
            Err(failure) => failure,
        }
    }

    #[test]
    fn reads_every_kind_of_value() {
        let output =
            parse(r#" {"a": [1, -2.5, 1e3, true, false, null], "b": "x\"\u00e9\ud83d\ude00"} "#).unwrap();
        assert_eq!(output.value, json!({"a": [1, -2.5, 1000.0, true, false, null], "b": "x\"é😀"}));
        assert_eq!(output.nodes.len(), 9);
        assert_eq!(output.nodes[0].descendants, 8);
    }

    #[test]
    fn rejects_what_strict_json_rejects() {
        use SyntaxProblem::*;
        let cases = [
            ("", Empty),
            ("{", UnexpectedEnd),
            ("{\"a\": 1,}", TrailingComma),
            ("[1,]", TrailingComma),
            ("{a: 1}", ExpectedKey),
            ("{\"a\" 1}", ExpectedColon),
            ("{\"a\": 1 \"b\": 2}", ExpectedCommaOrObjectEnd),
            ("[1 2]", ExpectedCommaOrArrayEnd),
            ("\"abc", UnterminatedString),
            ("\"a\tb\"", ControlCharacterInString),
            ("\"\\x\"", InvalidEscape),
            ("\"\\ud800\"", LoneSurrogate),
            ("\"\\udc00\"", LoneSurrogate),
            ("01", InvalidNumber),
            ("1.", InvalidNumber),
            ("-", InvalidNumber),
            ("1e", InvalidNumber),
            ("1e999", NumberOutOfRange),
            ("{} x", TrailingCharacters),
            ("nul", InvalidLiteral),
            ("+1", ExpectedValue),
        ];
        for (text, expected) in cases {
            assert!(matches!(problem(text), Failure::Syntax(ref found, _) if *found == expected), "{text:?}");
        }
    }

    #[test]
    fn nesting_beyond_the_bound_is_refused_without_overflowing() {
        let deep = "[".repeat(100_000);
        assert!(matches!(problem(&deep), Failure::TooDeep(_)));
        let ok = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        assert!(parse(&ok).is_ok());
    }

    #[test]
    fn a_duplicate_key_keeps_the_last_value_in_the_first_place() {
        let output = parse(r#"{"a": {"x": 1}, "b": 2, "a": [3]}"#).unwrap();
        assert_eq!(serde_json::to_string(&output.value).unwrap(), r#"{"a":[3],"b":2}"#);
        assert_eq!(output.duplicates.len(), 1);
        // Nodes follow the map: root, a=[3], 3, b=2.
        let starts: Vec<u32> = output.nodes.iter().map(|node| node.start).collect();
        assert_eq!(starts, [0, 29, 30, 21]);
        assert_eq!(output.nodes[0].descendants, 3);
    }

    #[test]
    fn repeated_keys_keep_their_first_place_and_last_value() {
        let text = r#"{"a": 1, "b": {"x": 1}, "a": 2, "c": 3, "b": [4], "a": 5}"#;
        let output = parse(text).unwrap();
        assert_eq!(serde_json::to_string(&output.value).unwrap(), r#"{"a":5,"b":[4],"c":3}"#);
        let keys: Vec<&str> = output.duplicates.iter().map(|duplicate| duplicate.key.as_str()).collect();
        assert_eq!(keys, ["a", "b", "a"]);
        let spans: Vec<&str> =
            output.duplicates.iter().map(|duplicate| &text[duplicate.key_start..duplicate.key_end]).collect();
        assert_eq!(spans, [r#""a""#, r#""b""#, r#""a""#]);
        // Nodes follow the map: root, a=5, b=[4], 4, c=3.
        let values: Vec<&str> =
            output.nodes.iter().map(|node| &text[node.start as usize..node.end as usize]).collect();
        assert_eq!(values, [text, "5", "[4]", "4", "3"]);
        assert_eq!(output.nodes[0].descendants, 4);
        assert!(output.duplicates[0].key_start < output.duplicates[1].key_start);
    }

    #[test]
    fn many_repeated_keys_take_linear_time() {
        let members: Vec<String> = (0..200_000).map(|i| format!("\"k{}\": {i}", i % 1000)).collect();
        let text = format!("{{{}}}", members.join(","));
        let output = parse(&text).unwrap();
        assert_eq!(output.value.as_object().map(|map| map.len()), Some(1000));
        assert_eq!(output.duplicates.len(), 199_000);
        assert_eq!(output.nodes.len(), 1001);
    }

    #[test]
    fn string_runs_stop_at_the_first_special_byte() {
        for length in 0..20 {
            for stop in [b'"', b'\\', b'\n', 0x1f, 0] {
                let mut bytes = vec![b'a'; length];
                bytes.push(stop);
                bytes.extend_from_slice(b"\"\\ \x7f\x80\xff");
                assert_eq!(string_run(&bytes), length, "{length} {stop}");
            }
            // Bytes around the special ones (0x1f, 0x21, 0x5b, 0x5d, 0x7f and above) do not stop.
            let plain: Vec<u8> = [0x20u8, 0x21, 0x23, 0x5b, 0x5d, 0x7f, 0x80, 0xa0, 0xdc, 0xff]
                .iter()
                .cycle()
                .take(length)
                .copied()
                .collect();
            assert_eq!(string_run(&plain), length);
        }
    }

    #[test]
    fn big_integers_become_doubles_as_in_javascript() {
        let output = parse("[18446744073709551615, -9223372036854775808, 18446744073709551616]").unwrap();
        assert_eq!(output.value[0], json!(u64::MAX));
        assert_eq!(output.value[1], json!(i64::MIN));
        assert_eq!(output.value[2].as_f64(), Some(18446744073709551616.0));
    }
}
