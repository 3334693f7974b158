//! `flowsmith fmt`: rewrites flow.json files in the pretty style, losslessly.
use std::fs::{self, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use flow_model::{Style, parse};

use super::{Status, read, shown};

/// Rewrite flow.json files in the pretty style, losslessly.
///
/// The pretty style: two-space indentation, one property per line, a final newline. Lossless: values, key order and unknown properties are kept. A file that is not valid JSON,
/// or that repeats a property (only the last value would be kept), is left untouched with an
/// error. Files are replaced atomically, so a full disk never truncates one. Exit status: 0
/// when all is well, 1 when a file is not valid JSON or, with --check, would change, 2 when a
/// file cannot be read or written.
#[derive(Debug, Clone, clap::Args)]
pub struct FmtArgs {
    /// Change nothing; list the files that are not formatted and exit with status 1 if any.
    #[arg(long, conflicts_with = "stdout")]
    pub check: bool,
    /// Print the formatted files to standard output instead of rewriting them.
    #[arg(long)]
    pub stdout: bool,
    /// The flow.json files to format; `-` reads standard input and prints to standard output.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
}

/// Runs `flowsmith fmt`.
pub fn run(args: &FmtArgs) -> Status {
    args.files.iter().map(|path| format_file(args, path)).max().unwrap_or(Status::Ok)
}

fn format_file(args: &FmtArgs, path: &Path) -> Status {
    let name = shown(path);
    let input = match read(path) {
        Ok(input) => input,
        Err(error) => {
            eprintln!("flowsmith fmt: cannot read {name}: {error}");
            return Status::Io;
        }
    };
    let formatted = match formatted(&input.bytes) {
        Ok(formatted) => formatted,
        Err(reason) => {
            eprintln!("flowsmith fmt: {name}{reason}; the file is left untouched");
            return Status::Problem;
        }
    };
    if args.check {
        if formatted.as_bytes() == input.bytes {
            return Status::Ok;
        }
        println!("{name}: not formatted");
        return Status::Problem;
    }
    if args.stdout || path.as_os_str() == "-" {
        let mut out = io::stdout().lock();
        return match out.write_all(formatted.as_bytes()).and_then(|()| out.flush()) {
            Ok(()) => Status::Ok,
            Err(_) => Status::Io,
        };
    }
    if formatted.as_bytes() == input.bytes {
        // Already formatted: leave the file (and its modification time) alone.
        return Status::Ok;
    }
    match write_atomically(path, formatted.as_bytes()) {
        Ok(()) => Status::Ok,
        Err(error) => {
            eprintln!("flowsmith fmt: cannot write {name}: {error}; the file is left untouched");
            Status::Io
        }
    }
}

/// The pretty text of `bytes`, or why it cannot be formatted without losing anything (as
/// `:LINE:COLUMN: message`, to follow the file name).
fn formatted(bytes: &[u8]) -> Result<String, String> {
    let parsed = parse(bytes);
    let blocking =
        parsed.diagnostics.iter().find(|diagnostic| diagnostic.is_error() || diagnostic.is_lossy());
    if let Some(diagnostic) = blocking {
        let place = diagnostic
            .span
            .map(|span| format!(":{}:{}", span.start.line, span.start.column))
            .unwrap_or_default();
        let mut reason = format!("{place}: {}", diagnostic.message());
        if diagnostic.is_lossy() {
            reason.push_str(" Formatting would drop the earlier value");
        }
        return Err(reason);
    }
    let document = parsed.document.ok_or_else(|| ": not a JSON document".to_owned())?;
    let mut text = document.to_json(Style::Pretty);
    text.push('\n');
    Ok(text)
}

/// Replaces `path` with `contents` so that readers see the old file or the new one, never a
/// part: write a temporary file beside it, flush it to disk, then rename it over the original.
/// A symbolic link is followed, so the link stays a link.
fn write_atomically(path: &Path, contents: &[u8]) -> io::Result<()> {
    let target = fs::canonicalize(path)?;
    let directory = target.parent().unwrap_or(Path::new("."));
    let file_name = target.file_name().map(|name| name.to_string_lossy().into_owned()).unwrap_or_default();
    let temporary = directory.join(format!(".{file_name}.flowsmith-fmt-{}.tmp", std::process::id()));
    let written = (|| {
        let mut file = OpenOptions::new().write(true).create_new(true).open(&temporary)?;
        file.set_permissions(fs::metadata(&target)?.permissions())?;
        file.write_all(contents)?;
        file.sync_all()?;
        fs::rename(&temporary, &target)
    })();
    if written.is_err() {
        let _ = fs::remove_file(&temporary);
    }
    written
}
