//! The lifecycle of a flow: the state table of partner-api.md §5 as one pure function.
//!
//! Where the material is silent ([S] cells) the sandbox decides, and says so here:
//! - editing (metadata or flow.json) a THROTTLED or BLOCKED flow: refused with 139001, as
//!   Meta's status table lists them as not editable; fix the endpoint's health first;
//! - deprecating a DRAFT that has a published version (DRAFT*): allowed, as its published
//!   version is live; the flow becomes DEPRECATED;
//! - deleting a DRAFT*: refused with 139004, as it would take a published flow away;
//! - cloning a THROTTLED, BLOCKED or DEPRECATED flow: allowed, the copy is a new DRAFT;
//! - migrating: copies keep their status (DRAFT and DRAFT* as DRAFT; PUBLISHED, THROTTLED
//!   and BLOCKED as PUBLISHED, since health is measured per flow; DEPRECATED as DEPRECATED).
use crate::error::GraphError;

/// A flow's status as the API reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Never published, or edited since it was (then it has a published version).
    Draft,
    /// Live.
    Published,
    /// Live, limited by Meta's health monitoring.
    Throttled,
    /// Not sendable, set by Meta's health monitoring.
    Blocked,
    /// Retired for good.
    Deprecated,
}

impl Status {
    /// Meta's spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Draft => "DRAFT",
            Status::Published => "PUBLISHED",
            Status::Throttled => "THROTTLED",
            Status::Blocked => "BLOCKED",
            Status::Deprecated => "DEPRECATED",
        }
    }

    /// The status for Meta's spelling.
    pub fn parse(text: &str) -> Option<Status> {
        Some(match text {
            "DRAFT" => Status::Draft,
            "PUBLISHED" => Status::Published,
            "THROTTLED" => Status::Throttled,
            "BLOCKED" => Status::Blocked,
            "DEPRECATED" => Status::Deprecated,
            _ => return None,
        })
    }
}

/// Where a flow stands: its status, and whether a version of it was ever published (a DRAFT
/// with one is the table's DRAFT*).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct State {
    /// The reported status.
    pub status: Status,
    /// Whether a published version exists.
    pub has_published: bool,
}

impl State {
    /// A new flow.
    pub const NEW: State = State { status: Status::Draft, has_published: false };
    /// A flow live since it was published.
    pub const PUBLISHED: State = State { status: Status::Published, has_published: true };
}

/// What the publish operation needs to know besides the state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Publishable {
    /// A flow.json was uploaded.
    pub has_json: bool,
    /// How many validation errors it has.
    pub errors: usize,
    /// The flow talks to an endpoint (its JSON has `data_api_version`) but none is set.
    pub missing_endpoint: bool,
}

/// An operation that may change a flow's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operation {
    /// PATCH: name, categories, endpoint_uri.
    UpdateMetadata,
    /// POST assets: a new flow.json.
    UploadJson,
    /// POST publish.
    Publish(Publishable),
    /// POST deprecate.
    Deprecate,
    /// DELETE.
    Delete,
    /// Create with `clone_flow_id` = this flow: the state of the copy.
    CloneSource,
    /// `migrate_flows` with this flow in the source WABA: the state of the copy.
    MigrateSource,
    /// The sandbox's control endpoint: what Meta's health monitoring would do.
    ForceStatus(Status),
}

/// What an allowed operation leads to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The flow's new state (for clone and migrate: the new copy's state).
    Becomes(State),
    /// The flow is gone.
    Deleted,
}

/// Why the control endpoint refused.
pub const NOT_MONITORED: &str = "Only published flows are monitored: force THROTTLED, BLOCKED or PUBLISHED on a \
                                 PUBLISHED, THROTTLED or BLOCKED flow";

/// The state table: what `operation` does to a flow in `state`, or Meta's error.
pub fn apply(state: State, operation: Operation) -> Result<Outcome, Refusal> {
    use Status::{Blocked, Deprecated, Draft, Published, Throttled};
    let becomes = |state| Ok(Outcome::Becomes(state));
    match operation {
        Operation::UpdateMetadata | Operation::UploadJson => match state.status {
            Draft => becomes(state),
            Published => becomes(State { status: Draft, has_published: true }),
            Throttled | Blocked => Err(Refusal::Graph(GraphError::new(
                139001,
                "Flow can't be updated",
                format!(
                    "The flow is {}: Meta's health monitoring holds it; fix its endpoint first, or clone it",
                    state.status.as_str()
                ),
            ))),
            Deprecated => Err(Refusal::Graph(GraphError::new(
                139001,
                "Flow can't be updated",
                "The flow is deprecated; clone it to make a new one",
            ))),
        },
        Operation::Publish(check) => match state.status {
            Draft if !check.has_json => Err(Refusal::Graph(GraphError::new(
                139002,
                "Publishing Flow with validation errors",
                "The flow has no flow.json yet; upload one first",
            ))),
            Draft if check.errors > 0 => Err(Refusal::Graph(GraphError::new(
                139002,
                "Publishing Flow with validation errors",
                format!(
                    "The flow.json has {} validation error(s); fix them and upload it again",
                    check.errors
                ),
            ))),
            Draft if check.missing_endpoint => Err(Refusal::Graph(GraphError::new(
                139002,
                "Publishing without specifying endpoint_uri is forbidden",
                "The flow uses an endpoint (data_api_version): set its endpoint_uri first",
            ))),
            Draft => becomes(State::PUBLISHED),
            Published | Throttled | Blocked | Deprecated => Err(Refusal::Graph(GraphError::new(
                139002,
                "Publishing Flow in invalid state",
                format!("Only drafts can be published; this flow is {}", state.status.as_str()),
            ))),
        },
        Operation::Deprecate => match state.status {
            Draft if !state.has_published => Err(Refusal::Graph(GraphError::new(
                139003,
                "Can't deprecate unpublished flow",
                "Only published flows can be deprecated; delete the draft instead",
            ))),
            Draft | Published | Throttled | Blocked => {
                becomes(State { status: Deprecated, has_published: true })
            }
            Deprecated => Err(Refusal::Graph(GraphError::new(
                139003,
                "Flow is already deprecated",
                "The flow is already deprecated",
            ))),
        },
        Operation::Delete => match state.status {
            Draft if !state.has_published => Ok(Outcome::Deleted),
            _ => Err(Refusal::Graph(GraphError::new(
                139004,
                "Can't delete published Flow",
                "Only drafts that were never published can be deleted; deprecate the flow instead",
            ))),
        },
        Operation::CloneSource => becomes(State::NEW),
        Operation::MigrateSource => match state.status {
            Draft => becomes(State::NEW),
            Published | Throttled | Blocked => becomes(State::PUBLISHED),
            Deprecated => becomes(State { status: Deprecated, has_published: true }),
        },
        Operation::ForceStatus(target) => match (state.status, target) {
            (Published | Throttled | Blocked, Published | Throttled | Blocked) => {
                becomes(State { status: target, has_published: true })
            }
            _ => Err(Refusal::Control(NOT_MONITORED)),
        },
    }
}

/// Why an operation was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// Meta's answer.
    Graph(GraphError),
    /// The sandbox control endpoint's own refusal (a wrong request, 400).
    Control(&'static str),
}

impl From<Refusal> for crate::error::ApiError {
    fn from(refusal: Refusal) -> Self {
        match refusal {
            Refusal::Graph(error) => crate::error::ApiError::Graph(error),
            Refusal::Control(message) => crate::error::ApiError::wrong_payload(message),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Status::*;

    const DRAFT: State = State::NEW;
    const DRAFT_STAR: State = State { status: Draft, has_published: true };
    const PUBLISHED: State = State::PUBLISHED;
    const THROTTLED: State = State { status: Throttled, has_published: true };
    const BLOCKED: State = State { status: Blocked, has_published: true };
    const DEPRECATED: State = State { status: Deprecated, has_published: true };
    const COLUMNS: [State; 6] = [DRAFT, DRAFT_STAR, PUBLISHED, THROTTLED, BLOCKED, DEPRECATED];
    const READY: Publishable = Publishable { has_json: true, errors: 0, missing_endpoint: false };

    fn code(result: Result<Outcome, Refusal>) -> Option<u32> {
        match result {
            Err(Refusal::Graph(error)) => Some(error.code),
            _ => None,
        }
    }

    #[test]
    fn every_cell_of_the_state_table() {
        // One row per operation, one entry per column (DRAFT, DRAFT*, PUBLISHED, THROTTLED, BLOCKED,
        // DEPRECATED): the state after, or Meta's error code.
        let rows: [(Operation, [Result<State, u32>; 6]); 7] = [
            (
                Operation::UpdateMetadata,
                [Ok(DRAFT), Ok(DRAFT_STAR), Ok(DRAFT_STAR), Err(139001), Err(139001), Err(139001)],
            ),
            (
                Operation::UploadJson,
                [Ok(DRAFT), Ok(DRAFT_STAR), Ok(DRAFT_STAR), Err(139001), Err(139001), Err(139001)],
            ),
            (
                Operation::Publish(READY),
                [Ok(PUBLISHED), Ok(PUBLISHED), Err(139002), Err(139002), Err(139002), Err(139002)],
            ),
            (
                Operation::Deprecate,
                [Err(139003), Ok(DEPRECATED), Ok(DEPRECATED), Ok(DEPRECATED), Ok(DEPRECATED), Err(139003)],
            ),
            (Operation::Delete, [Ok(DRAFT), Err(139004), Err(139004), Err(139004), Err(139004), Err(139004)]),
            (Operation::CloneSource, [Ok(DRAFT), Ok(DRAFT), Ok(DRAFT), Ok(DRAFT), Ok(DRAFT), Ok(DRAFT)]),
            (
                Operation::MigrateSource,
                [Ok(DRAFT), Ok(DRAFT), Ok(PUBLISHED), Ok(PUBLISHED), Ok(PUBLISHED), Ok(DEPRECATED)],
            ),
        ];
        for (operation, cells) in rows {
            for (state, expected) in COLUMNS.into_iter().zip(cells) {
                let result = apply(state, operation);
                match expected {
                    Ok(_) if operation == Operation::Delete => assert_eq!(result, Ok(Outcome::Deleted)),
                    Ok(after) => {
                        assert_eq!(result, Ok(Outcome::Becomes(after)), "{operation:?} on {state:?}")
                    }
                    Err(expected) => assert_eq!(code(result), Some(expected), "{operation:?} on {state:?}"),
                }
            }
        }
    }

    #[test]
    fn publish_checks_come_in_order() {
        let no_json = Publishable { has_json: false, ..READY };
        let errors = Publishable { errors: 2, ..READY };
        let endpoint = Publishable { missing_endpoint: true, ..READY };
        for (check, words) in
            [(no_json, "no flow.json"), (errors, "2 validation error(s)"), (endpoint, "endpoint_uri")]
        {
            match apply(DRAFT, Operation::Publish(check)) {
                Err(Refusal::Graph(error)) => {
                    assert_eq!(error.code, 139002);
                    assert!(error.detail.contains(words), "{error:?}");
                }
                other => panic!("{other:?}"),
            }
        }
    }

    #[test]
    fn health_monitoring_moves_only_live_flows() {
        for from in [PUBLISHED, THROTTLED, BLOCKED] {
            for target in [Published, Throttled, Blocked] {
                let after = apply(from, Operation::ForceStatus(target));
                assert_eq!(after, Ok(Outcome::Becomes(State { status: target, has_published: true })));
            }
        }
        for from in [DRAFT, DRAFT_STAR, DEPRECATED] {
            assert_eq!(apply(from, Operation::ForceStatus(Throttled)), Err(Refusal::Control(NOT_MONITORED)));
        }
    }
}
