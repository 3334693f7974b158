//! Flows written by us, bundled with every build: the starting points offered by the editor.

/// A three-screen appointment booking flow (Flow JSON 7.3): pick a department, date and time,
/// enter contact details, confirm. Valid with zero diagnostics.
pub const APPOINTMENT_BOOKING: &str = include_str!("../templates/appointment-booking.json");
