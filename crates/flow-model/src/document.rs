//! The flow document: a JSON value read losslessly (key order, unknown keys), and the text it
//! came from while that text still describes it.
use serde_json::Value;

use crate::diagnostic::{Diagnostic, JsonProblem, Problem, Span};
use crate::json::{self, Source, parser};
use crate::model::{Flow, Screen};

/// The largest flow.json Meta accepts (10 MB).
pub const MAX_INPUT_BYTES: usize = 10 * 1024 * 1024;

/// A flow.json document.
///
/// Invariant: `source`, when present, is the text `root` was read from; any change to `root`
/// drops it, so spans never point at stale text.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    root: Value,
    source: Option<Source>,
}

/// What [`parse`] read: the document when the input is JSON, and what is wrong with the input
/// as JSON (never the flow rules: see [`crate::validate()`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Parsed {
    /// The document, when the input is JSON within the limits.
    pub document: Option<Document>,
    /// Problems of the input as JSON, each with its span.
    pub diagnostics: Vec<Diagnostic>,
}

/// How to write JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// Two-space indentation, one property per line.
    Pretty,
    /// No whitespace at all.
    Compact,
}

/// Reads flow.json bytes. Never fails and never panics: problems come back as diagnostics.
pub fn parse(input: impl AsRef<[u8]>) -> Parsed {
    let bytes = input.as_ref();
    let failed = |diagnostic: Diagnostic| Parsed { document: None, diagnostics: vec![diagnostic] };
    if bytes.len() > MAX_INPUT_BYTES {
        return failed(Diagnostic::error(
            "",
            JsonProblem::TooLarge { size: bytes.len(), limit: MAX_INPUT_BYTES },
        ));
    }
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(error) => {
            // Place the error at the first bad byte, counting lines in the valid part before it.
            let valid =
                String::from_utf8_lossy(bytes.get(..error.valid_up_to()).unwrap_or_default()).into_owned();
            let source = Source::new(valid, 0, Vec::new());
            let at = source.location(error.valid_up_to());
            let mut diagnostic = Diagnostic::error("", JsonProblem::InvalidUtf8);
            diagnostic.span = Some(Span { start: at, end: at });
            return failed(diagnostic);
        }
    };
    let mut diagnostics = Vec::new();
    let prefix = if text.starts_with('\u{feff}') {
        diagnostics.push(Diagnostic::warning("", JsonProblem::ByteOrderMark));
        '\u{feff}'.len_utf8()
    } else {
        0
    };
    let json = text.get(prefix..).unwrap_or_default();
    match parser::parse(json) {
        Ok(output) => {
            let source = Source::parsed(text.to_owned(), prefix, output.nodes, &output.line_starts);
            for duplicate in output.duplicates {
                // A warning: JSON readers keep the last value, as JavaScript's does; nothing says
                // Meta rejects it. The first value is lost on saving, which `fmt` refuses.
                let mut diagnostic =
                    Diagnostic::warning("", JsonProblem::DuplicateKey { key: duplicate.key });
                diagnostic.span = Some(Span {
                    start: source.location(prefix + duplicate.key_start),
                    end: source.location(prefix + duplicate.key_end),
                });
                diagnostics.push(diagnostic);
            }
            let document = Document { root: output.value, source: Some(source) };
            // Point duplicate keys at their object now that the pointers can be computed.
            for diagnostic in &mut diagnostics {
                if let (Problem::Json(JsonProblem::DuplicateKey { .. }), Some(span)) =
                    (&diagnostic.problem, diagnostic.span)
                {
                    diagnostic.pointer = document.pointer_at_offset(span.start.offset);
                }
            }
            Parsed { document: Some(document), diagnostics }
        }
        Err(failure) => {
            let (problem, at) = match failure {
                parser::Failure::Syntax(problem, at) => (JsonProblem::Syntax { problem }, at),
                parser::Failure::TooDeep(at) => (JsonProblem::TooDeep { limit: parser::MAX_DEPTH }, at),
            };
            let source = Source::new(text.to_owned(), prefix, Vec::new());
            let location = source.location(prefix + at);
            let mut diagnostic = Diagnostic::error("", problem);
            diagnostic.span = Some(Span { start: location, end: location });
            diagnostics.push(diagnostic);
            Parsed { document: None, diagnostics }
        }
    }
}

impl Document {
    /// A document built in memory (no source text).
    pub fn from_value(root: Value) -> Self {
        Document { root, source: None }
    }

    /// The JSON value.
    pub fn root(&self) -> &Value {
        &self.root
    }

    /// The JSON value, to change. Drops the source text: it no longer describes the document.
    pub fn root_mut(&mut self) -> &mut Value {
        self.source = None;
        &mut self.root
    }

    /// Detaches the source text, for an edit that may put it back if it changes nothing.
    pub(crate) fn take_source(&mut self) -> Option<Source> {
        self.source.take()
    }

    /// Puts back the source text taken by [`Document::take_source`]. Only for a value that is
    /// again exactly the one the text was read into.
    pub(crate) fn restore_source(&mut self, source: Source) {
        self.source = Some(source);
    }

    /// Takes the JSON value out of the document.
    pub fn into_root(self) -> Value {
        self.root
    }

    /// The source text and its map, while they describe the document.
    pub fn source(&self) -> Option<&Source> {
        self.source.as_ref()
    }

    /// The text range of the value at `pointer`, when the document has source text.
    pub fn span(&self, pointer: &str) -> Option<Span> {
        self.source.as_ref()?.span(&self.root, pointer)
    }

    /// The text range of the property name at `pointer` (the value's range for array items).
    pub fn key_span(&self, pointer: &str) -> Option<Span> {
        self.source.as_ref()?.key_span(&self.root, pointer)
    }

    /// The pointer of the innermost value at a byte offset of the source text (`""` without
    /// source text).
    pub fn pointer_at_offset(&self, offset: usize) -> String {
        self.source.as_ref().map(|source| source.pointer_at_offset(&self.root, offset)).unwrap_or_default()
    }

    /// The pointer of the innermost value at a 1-based line and column of the source text,
    /// e.g. to place the line/column errors Meta's API returns.
    pub fn pointer_at(&self, line: usize, column: usize) -> String {
        match &self.source {
            Some(source) => source.pointer_at_offset(&self.root, source.offset(line, column)),
            None => String::new(),
        }
    }

    /// Fills each diagnostic's span from its pointer (keys for unknown-property problems are
    /// the caller's choice: this uses the value's range).
    pub fn locate(&self, diagnostics: &mut [Diagnostic]) {
        for diagnostic in diagnostics {
            if diagnostic.span.is_none() {
                diagnostic.span = self.span(&diagnostic.pointer);
            }
        }
    }

    /// The document as JSON text: same values, same key order, unknown keys kept.
    pub fn to_json(&self, style: Style) -> String {
        match style {
            // About as long as the text read, when there is one.
            Style::Pretty => json::pretty::to_string(
                &self.root,
                self.source.as_ref().map_or(4096, |source| source.text().len() + 4096),
            ),
            // Writing a `Value` to a `String` cannot fail: its map keys are strings.
            Style::Compact => serde_json::to_string(&self.root).unwrap_or_default(),
        }
    }

    /// The `version` string, when present.
    pub fn version(&self) -> Option<&str> {
        Flow::from_value(&self.root)?.version_text()
    }

    /// The screens in document order, as the screen list shows them; anything that is not a
    /// screen object is skipped.
    pub fn screens(&self) -> Vec<ScreenSummary> {
        let flow = Flow::from_value(&self.root);
        flow.map(|flow| flow.screens().map(summarize_screen).collect()).unwrap_or_default()
    }

    /// Each screen's `id` and `title` (empty when missing), in document order, skipping what
    /// is not a screen object. Unlike [`Document::screens`] it does not walk the components,
    /// so views that need only names can recompute it on every change of a large flow.
    pub fn screen_labels(&self) -> Vec<(String, String)> {
        let flow = Flow::from_value(&self.root);
        flow.map(|flow| flow.screens().map(|screen| labels(screen)).collect()).unwrap_or_default()
    }
}

/// One screen as the screen list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ScreenSummary {
    /// The screen `id` (empty when missing).
    pub id: String,
    /// The screen `title` (empty when missing).
    pub title: String,
    /// The `type` of every component of the screen's layout in document order, containers
    /// (Form, If, Switch) before what they contain.
    pub component_types: Vec<String>,
}

/// A screen's `id` and `title`, empty when missing.
fn labels(screen: Screen<'_>) -> (String, String) {
    let text = |text: Option<&str>| text.unwrap_or_default().to_owned();
    (text(screen.id()), text(screen.title_text()))
}

fn summarize_screen(screen: Screen<'_>) -> ScreenSummary {
    let component_types =
        screen.every_component().map(|component| component.type_name().unwrap_or("?").to_owned()).collect();
    let (id, title) = labels(screen);
    ScreenSummary { id, title, component_types }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{Code, SyntaxProblem};

    #[test]
    fn syntax_error_keeps_line_and_column() {
        let parsed = parse("{\n  \"version\": \"7.3\",\n}");
        assert!(parsed.document.is_none());
        let diagnostic = &parsed.diagnostics[0];
        assert_eq!(diagnostic.problem, JsonProblem::Syntax { problem: SyntaxProblem::TrailingComma }.into());
        assert_eq!(diagnostic.code(), Code::InvalidFlowJson);
        let span = diagnostic.span.unwrap();
        assert_eq!((span.start.line, span.start.column), (3, 1));
    }

    #[test]
    fn input_over_the_limit_is_refused_naming_it() {
        let parsed = parse(vec![b' '; MAX_INPUT_BYTES + 1]);
        assert!(parsed.document.is_none());
        assert!(matches!(
            parsed.diagnostics[0].problem,
            Problem::Json(JsonProblem::TooLarge { limit: MAX_INPUT_BYTES, .. })
        ));
        assert!(parsed.diagnostics[0].message().contains("10.0 MB"));
    }

    #[test]
    fn invalid_utf8_is_placed_at_the_bad_byte() {
        let parsed = parse(b"{\n  \"a\": \"\xff\"}");
        assert_eq!(parsed.diagnostics[0].problem, JsonProblem::InvalidUtf8.into());
        let span = parsed.diagnostics[0].span.unwrap();
        assert_eq!((span.start.line, span.start.column), (2, 9));
    }

    #[test]
    fn byte_order_mark_is_a_warning_and_offsets_stay_right() {
        let parsed = parse("\u{feff}{\"a\": 1}");
        let document = parsed.document.unwrap();
        assert_eq!(parsed.diagnostics.len(), 1);
        assert!(!parsed.diagnostics[0].is_error());
        let span = document.span("/a").unwrap();
        assert_eq!(&document.source().unwrap().text()[span.start.offset..span.end.offset], "1");
    }

    #[test]
    fn duplicate_key_is_a_warning_pointing_at_the_member() {
        let parsed = parse(r#"{"screens": [{"id": "A", "id": "B"}]}"#);
        let document = parsed.document.unwrap();
        assert_eq!(document.root()["screens"][0]["id"], "B");
        assert_eq!(parsed.diagnostics[0].pointer, "/screens/0/id");
        assert_eq!(parsed.diagnostics[0].severity, crate::Severity::Warning);
    }

    #[test]
    fn editing_drops_the_source_text() {
        let mut document = parse(r#"{"a": 1}"#).document.unwrap();
        assert!(document.span("/a").is_some());
        document.root_mut()["a"] = Value::from(2);
        assert!(document.span("/a").is_none());
        assert_eq!(document.to_json(Style::Compact), r#"{"a":2}"#);
    }

    #[test]
    fn pretty_output_keeps_key_order_and_unknown_keys() {
        let text = "{\"z\": 1, \"a\": {\"unknown\": [true]}, \"m\": \"é\"}";
        let document = parse(text).document.unwrap();
        assert_eq!(
            document.to_json(Style::Pretty),
            "{\n  \"z\": 1,\n  \"a\": {\n    \"unknown\": [\n      true\n    ]\n  },\n  \"m\": \"é\"\n}"
        );
    }

    #[test]
    fn meta_line_and_column_land_on_a_pointer() {
        let text = "{\n  \"screens\": [\n    {\n      \"id\": \"WELCOME\"\n    }\n  ]\n}";
        let document = parse(text).document.unwrap();
        assert_eq!(document.pointer_at(4, 13), "/screens/0/id");
        assert_eq!(document.pointer_at(4, 7), "/screens/0/id");
        assert_eq!(document.pointer_at(1, 1), "");
    }
}
