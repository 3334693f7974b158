//! `flowsmith validate`: every diagnostic of each file, as snippets for people or as JSON.
use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};

use codespan_reporting::diagnostic::{Diagnostic as Snippet, Label};
use codespan_reporting::files::SimpleFile;
use codespan_reporting::term::termcolor::{ColorChoice, StandardStream};
use codespan_reporting::term::{self, Config};
use flow_model::diagnostic::JsonProblem;
use flow_model::{Diagnostic, MAX_INPUT_BYTES, Report, Severity, check};
use serde_json::{Value, json};

use super::{Status, read, shown};

/// Check flow.json files against Meta's Flow JSON rules.
///
/// Prints every error and warning with the lines of the file it concerns. Exit status: 0 when
/// every file is valid (warnings allowed), 1 when any file has an error, 2 when a file cannot
/// be read.
#[derive(Debug, Clone, clap::Args)]
pub struct ValidateArgs {
    /// How to print the diagnostics.
    ///
    /// `human`: each diagnostic with a source snippet and a caret. `json`: one JSON array with
    /// one object per file: {"path", "valid", "diagnostics": [{"code", "severity", "message",
    /// "pointer", "line_start", "column_start", "line_end", "column_end"}]} (lines and columns
    /// 1-based; a diagnostic of the whole document has pointer "" and line 1, column 1).
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// The flow.json files to check; `-` reads standard input.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
}

/// How `validate` prints its findings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Source snippets with carets, for people.
    Human,
    /// One JSON array, for tools.
    Json,
}

/// One file's outcome: its report, or why it could not be read.
struct Checked {
    path: String,
    source: String,
    outcome: Result<Report, io::Error>,
}

/// Runs `flowsmith validate`.
pub fn run(args: &ValidateArgs) -> Status {
    let checked: Vec<Checked> = args.files.iter().map(|path| check_file(path)).collect();
    let status = checked
        .iter()
        .map(|file| match &file.outcome {
            Err(_) => Status::Io,
            Ok(report) if !report.is_valid() => Status::Problem,
            Ok(_) => Status::Ok,
        })
        .max()
        .unwrap_or(Status::Ok);
    let printed = match args.format {
        Format::Human => print_human(&checked),
        Format::Json => print_json(&checked),
    };
    match printed {
        Ok(()) => status,
        // Standard output closed (e.g. piped into `head`): nothing more to say.
        Err(_) => status.max(Status::Io),
    }
}

fn check_file(path: &Path) -> Checked {
    let outcome = read(path).map(|input| {
        if input.size > MAX_INPUT_BYTES {
            // Only the start was read: name the real size.
            let problem = JsonProblem::TooLarge { size: input.size, limit: MAX_INPUT_BYTES };
            return (
                input.bytes,
                Report { document: None, diagnostics: vec![Diagnostic::error("", problem)] },
            );
        }
        let report = check(&input.bytes);
        (input.bytes, report)
    });
    match outcome {
        Ok((bytes, report)) => Checked {
            path: shown(path),
            source: String::from_utf8_lossy(&bytes).into_owned(),
            outcome: Ok(report),
        },
        Err(error) => Checked { path: shown(path), source: String::new(), outcome: Err(error) },
    }
}

fn print_human(checked: &[Checked]) -> io::Result<()> {
    let color = if io::stdout().is_terminal() { ColorChoice::Auto } else { ColorChoice::Never };
    let stdout = StandardStream::stdout(color);
    let mut out = stdout.lock();
    let config = Config::default();
    let (mut invalid, mut unreadable) = (0, 0);
    for file in checked {
        let report = match &file.outcome {
            Ok(report) => report,
            Err(error) => {
                unreadable += 1;
                eprintln!("flowsmith validate: cannot read {}: {error}", file.path);
                continue;
            }
        };
        let source = SimpleFile::new(file.path.as_str(), file.source.as_str());
        for diagnostic in &report.diagnostics {
            let snippet = snippet(diagnostic, file.source.len());
            term::emit(&mut out, &config, &source, &snippet).map_err(io::Error::other)?;
        }
        let errors = report.error_count();
        let warnings = report.diagnostics.len() - errors;
        if !report.is_valid() {
            invalid += 1;
        }
        let verdict = if report.is_valid() { "valid" } else { "invalid" };
        writeln!(
            out,
            "{}: {verdict} ({}, {})",
            file.path,
            count(errors, "error"),
            count(warnings, "warning")
        )?;
    }
    if checked.len() > 1 {
        writeln!(
            out,
            "\nchecked {}: {} invalid, {} unreadable",
            count(checked.len(), "file"),
            invalid,
            unreadable
        )?;
    }
    out.flush()
}

fn count(number: usize, noun: &str) -> String {
    if number == 1 { format!("1 {noun}") } else { format!("{number} {noun}s") }
}

/// A diagnostic as codespan renders it: code, message, the span as the primary label, and
/// the JSON Pointer as a note.
fn snippet(diagnostic: &Diagnostic, source_len: usize) -> Snippet<()> {
    let snippet = match diagnostic.severity {
        Severity::Error => Snippet::error(),
        Severity::Warning => Snippet::warning(),
    };
    let mut snippet = snippet.with_code(diagnostic.code().as_str()).with_message(diagnostic.message());
    if let Some(span) = diagnostic.span {
        let start = span.start.offset.min(source_len);
        let end = span.end.offset.clamp(start, source_len);
        snippet = snippet.with_labels(vec![Label::primary((), start..end)]);
    }
    let place = if diagnostic.pointer.is_empty() {
        "in the whole document".to_owned()
    } else {
        format!("at {}", diagnostic.pointer)
    };
    snippet.with_notes(vec![place])
}

fn print_json(checked: &[Checked]) -> io::Result<()> {
    let files: Vec<Value> = checked
        .iter()
        .map(|file| match &file.outcome {
            Ok(report) => json!({
                "path": file.path,
                "valid": report.is_valid(),
                "diagnostics": report.diagnostics.iter().map(diagnostic_json).collect::<Vec<_>>(),
            }),
            Err(error) => {
                eprintln!("flowsmith validate: cannot read {}: {error}", file.path);
                json!({
                    "path": file.path,
                    "valid": false,
                    "error": format!("cannot read the file: {error}"),
                    "diagnostics": [],
                })
            }
        })
        .collect();
    let mut out = io::stdout().lock();
    serde_json::to_writer_pretty(&mut out, &files).map_err(io::Error::other)?;
    writeln!(out)?;
    out.flush()
}

fn diagnostic_json(diagnostic: &Diagnostic) -> Value {
    let (start, end) = match diagnostic.span {
        Some(span) => ((span.start.line, span.start.column), (span.end.line, span.end.column)),
        None => ((1, 1), (1, 1)),
    };
    json!({
        "code": diagnostic.code().as_str(),
        "severity": diagnostic.severity.as_str(),
        "message": diagnostic.message(),
        "pointer": diagnostic.pointer,
        "line_start": start.0,
        "column_start": start.1,
        "line_end": end.0,
        "column_end": end.1,
    })
}
