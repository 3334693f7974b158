//! The Flow JSON validator: every rule of Meta's (§1 to §7 and Appendix B of the reference),
//! one file each under `rules/`, run over a context computed once (`context.rs`).
mod context;
pub(crate) mod rules;
mod schema;
#[cfg(all(test, not(target_arch = "wasm32")))]
mod sources;
mod strings;

use serde_json::Value;

use crate::diagnostic::{Diagnostic, SchemaProblem};
use crate::document::{Document, parse};
use crate::json::pointer;

/// Every flow-rule diagnostic of a document, in document order, with spans when the
/// document has source text (JSON-level problems come from [`parse`]).
pub fn validate(document: &Document) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    match document.root().as_object() {
        Some(root) => {
            let flow = context::Flow::new(root);
            rules::run(&flow, &mut found);
        }
        None => found.push(Diagnostic::error(
            "",
            SchemaProblem::WrongType {
                property: "(root)".to_owned(),
                expected: "object",
                found: schema::json_type(document.root()),
            },
        )),
    }
    document.locate(&mut found);
    if document.source().is_some() {
        crate::order::sort_by_key(&mut found, |diagnostic| diagnostic.span.map(|span| span.start.offset));
    } else {
        let root = document.root();
        crate::order::sort_by_cached_key(&mut found, |diagnostic| order_key(root, &diagnostic.pointer));
    }
    found
}

/// The position of each token of `pointer` among its siblings: sorting by it puts pointers
/// in document order without source text.
fn order_key(root: &Value, pointer: &str) -> Vec<usize> {
    let mut key = Vec::new();
    let mut value = root;
    for token in pointer::tokens(pointer).into_iter().flatten() {
        let (position, next) = match value {
            Value::Object(map) => match map.iter().position(|(name, _)| *name == token) {
                Some(position) => (position, map.get(token.as_ref())),
                None => (usize::MAX, None),
            },
            Value::Array(items) => {
                let index = pointer::array_index(&token).unwrap_or(usize::MAX);
                (index, items.get(index))
            }
            _ => (usize::MAX, None),
        };
        key.push(position);
        match next {
            Some(next) => value = next,
            None => break,
        }
    }
    key
}

/// Everything known about one flow.json input: the document (when it is JSON) and all
/// diagnostics, JSON-level and flow-level, in document order with their spans.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    /// The document, when the input is JSON within the limits.
    pub document: Option<crate::Document>,
    /// All diagnostics in document order.
    pub diagnostics: Vec<Diagnostic>,
}

impl Report {
    /// No errors (warnings allowed).
    pub fn is_valid(&self) -> bool {
        self.document.is_some() && !self.diagnostics.iter().any(Diagnostic::is_error)
    }

    /// How many errors.
    pub fn error_count(&self) -> usize {
        self.diagnostics.iter().filter(|diagnostic| diagnostic.is_error()).count()
    }
}

/// Parses and validates `input`: the one call for the CLI, the server and the editor.
pub fn check(input: impl AsRef<[u8]>) -> Report {
    let parsed = parse(input);
    let mut diagnostics = parsed.diagnostics;
    if let Some(document) = &parsed.document {
        diagnostics.extend(validate(document));
    }
    // Document order: by where the text starts; diagnostics without a place go first, as they
    // concern the whole document. The sort is stable, so rules keep their order on ties.
    crate::order::sort_by_key(&mut diagnostics, |diagnostic| diagnostic.span.map(|span| span.start.offset));
    Report { document: parsed.document, diagnostics }
}

/// Whether `input` is a flow Meta would accept (warnings allowed).
pub fn is_valid(input: impl AsRef<[u8]>) -> bool {
    check(input).is_valid()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn without_source_text_diagnostics_follow_the_document() {
        let document = Document::from_value(json!({
            "version": "7.3",
            "screens": [{"id": "B", "title": "", "layout": {"type": "SingleColumnLayout", "children": []}, "x": 1},
                        {"id": "A1", "title": "T", "layout": {"type": "SingleColumnLayout", "children": []}}]
        }));
        let pointers: Vec<_> = validate(&document).into_iter().map(|d| d.pointer).collect();
        let mut sorted = pointers.clone();
        sorted.sort_by_key(|pointer| order_key(document.root(), pointer));
        assert_eq!(pointers, sorted);
        assert!(pointers.iter().any(|p| p == "/screens/1/id"));
    }

    #[test]
    fn a_root_that_is_not_an_object_is_one_error() {
        let report = check("[1]");
        assert_eq!(report.diagnostics.len(), 1);
        assert!(!report.is_valid());
    }
}
