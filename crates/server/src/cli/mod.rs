//! The command-line tools of `flowsmith`: `validate` and `fmt`, for flow.json files.
//!
//! Exit statuses follow one rule for both: 0 when all is well, 1 when a file has a problem
//! (an error in it, or, with `fmt --check`, a change to make), 2 when a file cannot be read
//! or written. The worst status of all files wins.
pub mod endpoint;
pub mod fmt;
pub mod secret;
pub mod user;
pub mod validate;

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;
use std::process::ExitCode;

use flow_model::MAX_INPUT_BYTES;

/// How a run of a command went, from best to worst.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Status {
    /// Every file is fine.
    Ok = 0,
    /// A file has a problem.
    Problem = 1,
    /// A file cannot be read or written.
    Io = 2,
}

impl From<Status> for ExitCode {
    fn from(status: Status) -> Self {
        ExitCode::from(status as u8)
    }
}

/// A file as read: at most one byte more than Meta's limit (the rest cannot change the
/// verdict), and its real size.
pub struct Input {
    /// The bytes read.
    pub bytes: Vec<u8>,
    /// The size of the whole file.
    pub size: usize,
}

/// Reads `path` (`-` is standard input) without reading more than the limit allows.
pub fn read(path: &Path) -> io::Result<Input> {
    let limit = MAX_INPUT_BYTES as u64 + 1;
    let mut bytes = Vec::new();
    if path.as_os_str() == "-" {
        io::stdin().lock().take(limit).read_to_end(&mut bytes)?;
        let size = bytes.len();
        return Ok(Input { bytes, size });
    }
    let file = File::open(path)?;
    let size = file.metadata().map(|metadata| metadata.len()).unwrap_or(0);
    file.take(limit).read_to_end(&mut bytes)?;
    let size = usize::try_from(size).unwrap_or(usize::MAX).max(bytes.len());
    Ok(Input { bytes, size })
}

/// Runs `work` (a command on the workspace's database) on a runtime of its own: exit status
/// 0 when it succeeds, 1 with its message printed when it does not.
pub fn block_on(work: impl std::future::Future<Output = Result<(), String>>) -> ExitCode {
    let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("flowsmith: cannot start the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(work) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("flowsmith: {message}");
            ExitCode::FAILURE
        }
    }
}

/// How a path is shown: `-` is `<stdin>`.
pub fn shown(path: &Path) -> String {
    if path.as_os_str() == "-" { "<stdin>".to_owned() } else { path.display().to_string() }
}
