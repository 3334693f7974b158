//! §4.1: the markdown each text component renders. RichText shows images only when embedded as
//! base64 (`data:image/png;base64,…`, also jpeg and webp) and lists one level deep; TextBody and
//! TextCaption with `markdown: true` render bold, italic, strikethrough, lists and links, but
//! no headings, images or tables, which they show as written. Warnings: Meta accepts the text.
use serde_json::Value;

use super::super::context::{Flow, member};
use crate::catalog::prop;

#[cfg(all(test, not(target_arch = "wasm32")))]
use super::super::sources::{Code, Docs, Page, Report, warning};
use crate::diagnostic::{ComponentProblem, Diagnostic, MarkdownFeature};
use crate::expression::{self, Dynamic};
use crate::json::pointer;

/// What this rule reports, and on whose authority (`validate/sources.rs`).
#[cfg(all(test, not(target_arch = "wasm32")))]
pub(super) const REPORTS: &[Report] = &[warning(
    "Component::UnsupportedMarkdown",
    Code::InvalidPropertyValue,
    "markdown a component shows as written (headings, images, tables in TextBody and TextCaption; linked images and nested lists in RichText)",
    &[Docs(Page::Components, "Rich Text, \"Supported syntax\"; Additional capabilities for Text components")],
)];

pub(super) fn check(flow: &Flow<'_>, out: &mut Vec<Diagnostic>) {
    // The context noted the RichTexts and the text components with `markdown: true`.
    for (screen, component) in &flow.markdown {
        let Some(screen) = flow.screens.get(*screen) else { continue };
        let Some(node) = screen.components.get(*component) else { continue };
        let rich = node.is("RichText");
        let markdown = (node.is("TextBody") || node.is("TextCaption"))
            && member(node.at.component, prop::MARKDOWN) == Some(&Value::Bool(true));
        if !(rich || markdown) {
            continue;
        }
        let Some(spec) = node.spec else { continue };
        let mut report = |at: &dyn Fn() -> String, text: &str| {
            // Bound text is checked where it comes from, not here.
            if !matches!(expression::classify(text), Dynamic::Literal) {
                return;
            }
            for feature in unsupported(text, rich) {
                out.push(Diagnostic::warning(
                    at(),
                    ComponentProblem::UnsupportedMarkdown { component: spec.name, feature },
                ));
            }
        };
        let at = || pointer::join(&screen.pointer_of(node), prop::TEXT);
        match member(node.at.component, prop::TEXT) {
            Some(Value::String(text)) => report(&at, text),
            Some(Value::Array(lines)) => {
                for (index, line) in lines.iter().enumerate() {
                    if let Value::String(line) = line {
                        report(&|| pointer::join(&at(), index), line);
                    }
                }
            }
            _ => {}
        }
    }
}

/// What `text` uses that the component does not render (each at most once), in RichText
/// (`rich`) or in TextBody / TextCaption.
fn unsupported(text: &str, rich: bool) -> Vec<MarkdownFeature> {
    let mut found = Vec::new();
    let mut note = |feature| {
        if !found.contains(&feature) {
            found.push(feature);
        }
    };
    for line in text.lines() {
        let trimmed = line.trim_start();
        if rich {
            if line.len() - trimmed.len() >= 2 && is_list_item(trimmed) {
                note(MarkdownFeature::NestedList);
            }
        } else {
            if is_heading(trimmed) {
                note(MarkdownFeature::Heading);
            }
            if is_table_separator(trimmed) {
                note(MarkdownFeature::Table);
            }
        }
        for source in image_sources(line) {
            if !rich {
                note(MarkdownFeature::Image);
            } else if !is_embedded_image(source) {
                note(MarkdownFeature::LinkedImage);
            }
        }
    }
    found
}

/// `# Title` to `###### Title`.
fn is_heading(line: &str) -> bool {
    let hashes = line.bytes().take_while(|b| *b == b'#').count();
    (1..=6).contains(&hashes) && line.as_bytes().get(hashes).is_some_and(|b| *b == b' ')
}

/// `- item`, `+ item`, `* item`, `1. item`.
fn is_list_item(line: &str) -> bool {
    let bytes = line.as_bytes();
    match bytes.first() {
        Some(b'-' | b'+' | b'*') => bytes.get(1) == Some(&b' '),
        Some(b'0'..=b'9') => {
            let digits = bytes.iter().take_while(|b| b.is_ascii_digit()).count();
            bytes.get(digits) == Some(&b'.') && bytes.get(digits + 1) == Some(&b' ')
        }
        _ => false,
    }
}

/// The line under a table's header: `---|---`, `| :--- | ---: |`.
fn is_table_separator(line: &str) -> bool {
    let line = line.trim_end();
    line.contains('|')
        && line.contains("---")
        && line.bytes().all(|b| matches!(b, b'|' | b'-' | b':' | b' ' | b'\t'))
}

/// The sources of the images `![alt](source)` of a line.
fn image_sources(line: &str) -> impl Iterator<Item = &str> {
    line.match_indices("![").filter_map(move |(start, _)| {
        let rest = line.get(start + 2..)?;
        let open = rest.find("](")?;
        let source = rest.get(open + 2..)?;
        let close = source.find(')')?;
        source.get(..close).map(str::trim)
    })
}

/// An image RichText shows: PNG, JPEG or WebP as a base64 data URI.
fn is_embedded_image(source: &str) -> bool {
    ["data:image/png;base64,", "data:image/jpeg;base64,", "data:image/jpg;base64,", "data:image/webp;base64,"]
        .iter()
        .any(|prefix| source.starts_with(prefix))
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{C0, C1, expect, screen};
    use super::*;
    use crate::diagnostic::Code;
    use serde_json::json;

    #[test]
    fn what_text_bodies_do_not_render() {
        let flow = screen(
            "7.3",
            json!([{"type": "TextBody", "markdown": true, "text": "# Title\n\n| a | b |\n|---|---|\n| 1 | 2 |"},
                   {"type": "TextCaption", "markdown": true, "text": ["**bold** and [a link](https://example.com)", "![logo](data:image/png;base64,AAAA)"]},
                   {"type": "TextBody", "text": "# not markdown: shown as written, as asked"}]),
        );
        expect(
            check,
            &flow,
            &[
                (Code::InvalidPropertyValue, &format!("{C0}/text")),
                (Code::InvalidPropertyValue, &format!("{C0}/text")),
                (Code::InvalidPropertyValue, &format!("{C1}/text/1")),
            ],
        );
    }

    #[test]
    fn what_rich_text_does_not_render() {
        let flow = screen(
            "7.3",
            json!([{"type": "RichText", "text": [
                "# Title", "![ok](data:image/jpeg;base64,AAAA)", "![remote](https://example.com/a.png)",
                "- one", "  - nested", "${data.not_checked_here}"]}]),
        );
        expect(
            check,
            &flow,
            &[
                (Code::InvalidPropertyValue, &format!("{C0}/text/2")),
                (Code::InvalidPropertyValue, &format!("{C0}/text/4")),
            ],
        );
    }
}
