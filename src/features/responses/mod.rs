//! What people answered a flow (issue 20): a table of its responses (time, phone as the
//! server shows it to this user, one column per field of `response_json`, `sensitive` fields
//! masked by the server), paged, filtered by days, with the count of each day as a small bar
//! list and the CSV export as a download link. Opened from a flow's row on the Flows page.
//!
//! `ResponsesPanel` loads ([`crate::api::responses`]); `ResponsesView` only draws a loaded
//! page, so the browser tests mount it with a page of their own.
mod panel;
mod per_day;
mod view;

pub use panel::ResponsesPanel;
pub use per_day::PerDay;
pub use view::ResponsesView;
