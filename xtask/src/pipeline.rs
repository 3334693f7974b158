//! Named steps that stop at the first failure, with timings and the test runners' summaries.
use std::fmt;
use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Why a command or step failed, said for people.
#[derive(Debug)]
pub struct Failure(String);

impl Failure {
    pub fn new(message: impl Into<String>) -> Self {
        Self(message.into())
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A run of named steps (`cargo xtask test` is one pipeline).
pub struct Pipeline {
    name: &'static str,
    started: Instant,
    timings: Vec<(&'static str, Duration)>,
    summaries: Vec<String>,
}

/// What a step's body uses to run commands.
#[derive(Default)]
pub struct Step {
    summaries: Vec<String>,
}

impl Pipeline {
    pub fn new(name: &'static str) -> Self {
        Self { name, started: Instant::now(), timings: Vec::new(), summaries: Vec::new() }
    }

    /// Runs one step; a failure names the step and ends the pipeline.
    pub fn step<T>(
        &mut self,
        name: &'static str,
        body: impl FnOnce(&mut Step) -> Result<T, Failure>,
    ) -> Result<T, Failure> {
        println!("\n==> {}: {name}", self.name);
        let started = Instant::now();
        let mut step = Step::default();
        let result = body(&mut step);
        let elapsed = started.elapsed();
        self.timings.push((name, elapsed));
        self.summaries.extend(step.summaries.into_iter().map(|line| format!("{name}: {line}")));
        match result {
            Ok(value) => {
                println!("==> {}: {name} ok ({})", self.name, format_duration(elapsed));
                Ok(value)
            }
            Err(failure) => {
                self.print_summaries();
                Err(Failure::new(format!("{} failed at step '{name}': {failure}", self.name)))
            }
        }
    }

    /// Prints the timings, then the runners' summary lines last.
    pub fn finish(&self) {
        println!("\n==> {}: all steps passed in {}", self.name, format_duration(self.started.elapsed()));
        for (name, elapsed) in &self.timings {
            println!("    {name:<18} {}", format_duration(*elapsed));
        }
        self.print_summaries();
    }

    fn print_summaries(&self) {
        if !self.summaries.is_empty() {
            println!();
            for line in &self.summaries {
                println!("{line}");
            }
        }
    }
}

impl Step {
    /// Runs a command with the terminal as its output; a non-zero exit is a failure.
    pub fn run(&mut self, command: &mut Command) -> Result<(), Failure> {
        let shown = show(command);
        println!("$ {shown}");
        let status =
            command.status().map_err(|error| Failure::new(format!("cannot run `{shown}`: {error}")))?;
        if status.success() { Ok(()) } else { Err(Failure::new(format!("`{shown}` exited with {status}"))) }
    }

    /// Runs a test command, passing its output through and keeping each test binary's
    /// `test result:` line (labelled with the binary) for the pipeline's closing summary.
    pub fn run_tests(&mut self, command: &mut Command) -> Result<(), Failure> {
        let shown = show(command);
        println!("$ {shown}");
        // One pipe for stdout and stderr keeps cargo's "Running <binary>" lines (stderr) in
        // order with the runner's "test result:" lines (stdout).
        let (reader, writer) =
            std::io::pipe().map_err(|error| Failure::new(format!("cannot create a pipe: {error}")))?;
        let writer_for_stderr =
            writer.try_clone().map_err(|error| Failure::new(format!("cannot clone a pipe: {error}")))?;
        let mut child = command
            .stdout(writer)
            .stderr(writer_for_stderr)
            .stdin(Stdio::null())
            .spawn()
            .map_err(|error| Failure::new(format!("cannot run `{shown}`: {error}")))?;
        // Drop our copies of the write end so the reader sees end-of-file when the child exits.
        command.stdout(Stdio::null()).stderr(Stdio::null());
        let mut binary = String::from("tests");
        let mut out = std::io::stdout();
        for line in BufReader::new(reader).lines() {
            let Ok(line) = line else { break };
            let _ = writeln!(out, "{line}");
            let trimmed = line.trim();
            // cargo's "Running <target> (<path>)", not the browser runner's "Running headless tests".
            if let Some(running) = trimmed.strip_prefix("Running ").filter(|rest| rest.ends_with(')')) {
                binary = label_of(running);
            } else if let Some(doc) = trimmed.strip_prefix("Doc-tests ") {
                binary = format!("{doc} doc-tests");
            } else if trimmed.starts_with("test result:")
                && !trimmed.contains(" 0 passed; 0 failed; 0 ignored")
            {
                self.summaries.push(format!("{binary}: {trimmed}"));
            }
        }
        let status =
            child.wait().map_err(|error| Failure::new(format!("cannot wait for `{shown}`: {error}")))?;
        if status.success() { Ok(()) } else { Err(Failure::new(format!("`{shown}` exited with {status}"))) }
    }
}

/// `unittests src/lib.rs (target/debug/deps/flow_model-0a1b2c)` becomes `flow_model unittests src/lib.rs`.
fn label_of(running: &str) -> String {
    let (what, path) = running.split_once(" (").unwrap_or((running, ""));
    let file = path.trim_end_matches(')').rsplit('/').next().unwrap_or_default();
    let crate_name = file.rsplit_once('-').map_or(file, |(name, _hash)| name);
    let crate_name = crate_name.trim_end_matches(".wasm");
    if crate_name.is_empty() { what.to_owned() } else { format!("{crate_name} {what}") }
}

/// Runs a long-lived child (the server) in the foreground. Ctrl-C reaches it directly (same
/// process group) and it shuts down gracefully; we only wait for it rather than dying first.
pub fn run_until_interrupted(command: &mut Command) -> Result<(), Failure> {
    let shown = show(command);
    println!("$ {shown}");
    ctrlc::set_handler(|| {}).map_err(|error| Failure::new(format!("cannot handle Ctrl-C: {error}")))?;
    let status = command.status().map_err(|error| Failure::new(format!("cannot run `{shown}`: {error}")))?;
    // An interrupted server exits 0 after a graceful shutdown; anything else is its own error,
    // already printed by it.
    if status.success() { Ok(()) } else { Err(Failure::new(format!("`{shown}` exited with {status}"))) }
}

pub fn show(command: &Command) -> String {
    let mut shown = command.get_program().to_string_lossy().into_owned();
    for arg in command.get_args() {
        shown.push(' ');
        shown.push_str(&arg.to_string_lossy());
    }
    shown
}

pub fn format_duration(duration: Duration) -> String {
    let seconds = duration.as_secs();
    if seconds >= 60 {
        format!("{}m{:02}s", seconds / 60, seconds % 60)
    } else {
        format!("{:.1}s", duration.as_secs_f64())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_name_the_crate_and_the_target() {
        assert_eq!(
            label_of("unittests src/lib.rs (target/debug/deps/flow_model-0a1b2c3d)"),
            "flow_model unittests src/lib.rs"
        );
        assert_eq!(
            label_of("tests/tests.rs (target/wasm32-unknown-unknown/debug/deps/tests-0a1b2c.wasm)"),
            "tests tests/tests.rs"
        );
    }
}
