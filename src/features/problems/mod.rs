//! Problems: the diagnostics of the open flow, indexed by screen, component and property, and
//! the panel that lists them.
mod index;
mod panel;

pub use index::{Counts, ProblemIndex, problem_index};
pub use panel::{ProblemsPanel, select_problem};
