//! From JSON Pointers to text ranges and back, for text read by [`super::parser`].
use serde_json::Value;

use super::parser::Node;
use super::pointer;
use crate::diagnostic::{Location, Span};

/// The text a document was read from, with the range of every value in it.
#[derive(Debug, Clone, PartialEq)]
pub struct Source {
    text: String,
    /// Bytes skipped before the JSON (a byte order mark); node offsets are relative to the rest.
    prefix: usize,
    nodes: Vec<Node>,
    line_starts: Vec<usize>,
}

impl Source {
    pub(crate) fn new(text: String, prefix: usize, nodes: Vec<Node>) -> Self {
        let line_starts = line_starts(&text);
        Source { text, prefix, nodes, line_starts }
    }

    /// The text of a successful parse, with the line starts the parser noted (offsets in the
    /// JSON after `prefix`, the first line's excluded).
    pub(crate) fn parsed(text: String, prefix: usize, nodes: Vec<Node>, lines: &[usize]) -> Self {
        let mut line_starts = Vec::with_capacity(lines.len() + 1);
        line_starts.push(0);
        line_starts.extend(lines.iter().map(|start| prefix + start));
        Source { text, prefix, nodes, line_starts }
    }

    /// The text, exactly as read.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Line and column of a byte offset (clamped to the text and to a character boundary).
    pub fn location(&self, offset: usize) -> Location {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line_index = self.line_starts.partition_point(|start| *start <= offset).saturating_sub(1);
        let line_start = self.line_starts.get(line_index).copied().unwrap_or(0);
        let column = self.text.get(line_start..offset).map_or(0, |text| text.chars().count());
        Location { offset, line: line_index + 1, column: column + 1 }
    }

    /// The byte offset of a 1-based line and column (columns in characters), clamped to the
    /// line's end and to the text.
    pub fn offset(&self, line: usize, column: usize) -> usize {
        let Some(start) = line.checked_sub(1).and_then(|index| self.line_starts.get(index)).copied() else {
            return self.text.len();
        };
        let end = self.line_starts.get(line).copied().unwrap_or(self.text.len());
        let line_text = self.text.get(start..end).unwrap_or_default();
        let within = line_text
            .char_indices()
            .nth(column.saturating_sub(1))
            .map_or(line_text.trim_end_matches(['\n', '\r']).len(), |(index, _)| index);
        start + within
    }

    fn span_of(&self, start: u32, end: u32) -> Span {
        Span {
            start: self.location(self.prefix + start as usize),
            end: self.location(self.prefix + end as usize),
        }
    }

    /// The node of the value at `pointer` in `root`, which must be the value read from this text.
    fn node_index(&self, root: &Value, pointer: &str) -> Option<usize> {
        let mut value = root;
        let mut index = 0;
        for token in pointer::tokens(pointer)? {
            let position = match value {
                Value::Object(map) => {
                    let position = map.keys().position(|key| *key == token)?;
                    value = map.get(token.as_ref())?;
                    position
                }
                Value::Array(items) => {
                    let position = pointer::array_index(&token)?;
                    value = items.get(position)?;
                    position
                }
                _ => return None,
            };
            let mut child = index + 1;
            for _ in 0..position {
                child += 1 + self.nodes.get(child)?.descendants as usize;
            }
            index = child;
        }
        Some(index)
    }

    /// The range of the value at `pointer`.
    pub fn span(&self, root: &Value, pointer: &str) -> Option<Span> {
        let node = self.nodes.get(self.node_index(root, pointer)?)?;
        Some(self.span_of(node.start, node.end))
    }

    /// The range of the property name for an object member at `pointer` (quotes included);
    /// for array items and the root, the value's range.
    pub fn key_span(&self, root: &Value, pointer: &str) -> Option<Span> {
        let node = self.nodes.get(self.node_index(root, pointer)?)?;
        if node.key_end > node.key_start {
            Some(self.span_of(node.key_start, node.key_end))
        } else {
            Some(self.span_of(node.start, node.end))
        }
    }

    /// The pointer of the innermost value whose range (or key) contains the byte `offset`.
    pub fn pointer_at_offset(&self, root: &Value, offset: usize) -> String {
        let offset = offset.saturating_sub(self.prefix);
        let contains = |node: &Node| {
            let start = if node.key_end > node.key_start { node.key_start } else { node.start } as usize;
            start <= offset && offset < node.end as usize
        };
        let mut path = String::new();
        let mut value = root;
        let mut index = 0;
        loop {
            let mut child = index + 1;
            let mut found = None;
            let children: Box<dyn Iterator<Item = (String, &Value)>> = match value {
                Value::Object(map) => Box::new(map.iter().map(|(key, value)| (key.clone(), value))),
                Value::Array(items) => {
                    Box::new(items.iter().enumerate().map(|(i, value)| (i.to_string(), value)))
                }
                _ => break,
            };
            for (token, child_value) in children {
                let Some(node) = self.nodes.get(child) else { break };
                if contains(node) {
                    found = Some((token, child_value, child));
                    break;
                }
                child += 1 + node.descendants as usize;
            }
            match found {
                Some((token, child_value, child_index)) => {
                    pointer::push(&mut path, &token);
                    value = child_value;
                    index = child_index;
                }
                None => break,
            }
        }
        path
    }
}

/// Byte offsets where lines start: after `\n`, after `\r\n`, and after a lone `\r`.
fn line_starts(text: &str) -> Vec<usize> {
    let bytes = text.as_bytes();
    let mut starts = vec![0];
    let mut index = 0;
    while index < bytes.len() {
        match bytes.get(index) {
            Some(b'\n') => starts.push(index + 1),
            Some(b'\r') if bytes.get(index + 1) != Some(&b'\n') => starts.push(index + 1),
            _ => {}
        }
        index += 1;
    }
    starts
}

#[cfg(test)]
mod tests {
    use super::super::parser;
    use super::*;

    fn source(text: &str) -> (Source, Value) {
        let output = parser::parse(text).unwrap();
        (Source::new(text.to_owned(), 0, output.nodes), output.value)
    }

    #[test]
    fn the_parser_notes_the_lines_a_scan_finds() {
        for text in ["{}", "{\n  \"a\": [1,\r\n 2],\r \"b\": \"x\"\n}\n", "\r\n[\r\r\n]\n\n", "\u{feff} [\n]"]
        {
            let prefix = if text.starts_with('\u{feff}') { 3 } else { 0 };
            let output = parser::parse(&text[prefix..]).unwrap();
            let scanned = Source::new(text.to_owned(), prefix, Vec::new());
            let parsed = Source::parsed(text.to_owned(), prefix, output.nodes, &output.line_starts);
            assert_eq!(parsed.line_starts, scanned.line_starts, "{text:?}");
        }
    }

    fn text_of(source: &Source, span: Span) -> &str {
        &source.text()[span.start.offset..span.end.offset]
    }

    #[test]
    fn spans_of_values_and_keys() {
        let text = "{\n  \"screens\": [\n    {\"id\": \"A\", \"title\": \"Ünïcode\"},\n    {\"id\": \"B~/\"}\n  ]\n}";
        let (source, root) = source(text);
        let span = source.span(&root, "/screens/0/title").unwrap();
        assert_eq!(text_of(&source, span), "\"Ünïcode\"");
        assert_eq!((span.start.line, span.start.column), (3, 26));
        assert_eq!((span.end.line, span.end.column), (3, 35));
        let key = source.key_span(&root, "/screens/1/id").unwrap();
        assert_eq!(text_of(&source, key), "\"id\"");
        assert_eq!(source.span(&root, "").map(|span| span.start.offset), Some(0));
        assert_eq!(source.span(&root, "/screens/2"), None);
        assert_eq!(source.span(&root, "/nope"), None);
    }

    #[test]
    fn innermost_pointer_at_a_position() {
        let text = "{\"a\": {\"b~c\": [10, {\"d/e\": true}]}, \"z\": 1}";
        let (source, root) = source(text);
        let at = |needle: &str| source.pointer_at_offset(&root, text.find(needle).unwrap());
        assert_eq!(at("true"), "/a/b~0c/1/d~1e");
        assert_eq!(at("10"), "/a/b~0c/0");
        assert_eq!(at("\"d/e\""), "/a/b~0c/1/d~1e");
        assert_eq!(at("\"z\""), "/z");
        assert_eq!(source.pointer_at_offset(&root, 0), "");
    }

    #[test]
    fn lines_end_at_lf_crlf_and_lone_cr() {
        let (source, _) = source("[1,\r\n2,\r3,\n4]");
        let lines: Vec<usize> = ["1", "2", "3", "4"]
            .iter()
            .map(|digit| source.location(source.text().find(digit).unwrap()).line)
            .collect();
        assert_eq!(lines, [1, 2, 3, 4]);
        assert_eq!(source.offset(3, 1), source.text().find('3').unwrap());
        assert_eq!(source.offset(99, 1), source.text().len());
    }
}
