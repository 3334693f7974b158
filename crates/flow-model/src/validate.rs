//! The Flow JSON validator: every rule of Meta's, one file each under `validate/rules/`.
use crate::diagnostic::Diagnostic;
use crate::document::{Document, parse};

/// Every flow-rule diagnostic of a document (JSON-level problems come from [`parse`]).
///
/// The rules land with the validator work (issue 3); until then this finds nothing.
pub fn validate(document: &Document) -> Vec<Diagnostic> {
    let _ = document;
    Vec::new()
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
        let mut found = validate(document);
        document.locate(&mut found);
        diagnostics.extend(found);
    }
    // Document order: by where the text starts; diagnostics without a place go first, as they
    // concern the whole document. The sort is stable, so rules keep their order on ties.
    diagnostics.sort_by_key(|diagnostic| diagnostic.span.map(|span| span.start.offset));
    Report { document: parsed.document, diagnostics }
}
