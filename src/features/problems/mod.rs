//! Problems: the diagnostics of the open flow, indexed by screen, component and property, and
//! the panel that lists them; Meta's validation errors of the last save beside them.
mod index;
mod panel;
mod remote;

pub use index::{Counts, ProblemIndex, problem_index};
pub use panel::{ProblemsPanel, select_problem};
pub use remote::{REMOTE_KEY, RemoteProblem, remote_problems};
