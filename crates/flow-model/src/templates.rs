//! Flows written by us, bundled with every build: the starting points offered by the editor.
//! Each is valid at Flow JSON 7.3 with zero diagnostics (checked by the crate's tests).

/// A bundled flow to start from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Template {
    /// Stable identifier, e.g. `appointment-booking`.
    pub id: &'static str,
    /// Name shown to people.
    pub name: &'static str,
    /// One sentence on what the flow does.
    pub description: &'static str,
    /// The Flows API category that fits it (e.g. `APPOINTMENT_BOOKING`).
    pub category: &'static str,
    /// The flow.json text.
    pub json: &'static str,
}

/// A three-screen appointment booking flow (Flow JSON 7.3): pick a department, date and time,
/// enter contact details, confirm.
pub const APPOINTMENT_BOOKING: &str = include_str!("../templates/appointment-booking.json");

/// Every bundled template, the empty flow first.
pub const ALL: &[Template] = &[
    Template {
        id: "empty",
        name: "Empty flow",
        description: "One terminal screen with a heading and a Footer: the smallest valid flow.",
        category: "OTHER",
        json: include_str!("../templates/empty.json"),
    },
    Template {
        id: "sign-up",
        name: "Sign-up",
        description: "Create an account: name, email, password and consent, then a welcome screen.",
        category: "SIGN_UP",
        json: include_str!("../templates/sign-up.json"),
    },
    Template {
        id: "appointment-booking",
        name: "Appointment booking",
        description: "Pick a department, a date and a time, enter contact details, confirm.",
        category: "APPOINTMENT_BOOKING",
        json: APPOINTMENT_BOOKING,
    },
    Template {
        id: "survey",
        name: "Survey",
        description: "A satisfaction rating, multiple-choice follow-ups and free comments.",
        category: "SURVEY",
        json: include_str!("../templates/survey.json"),
    },
    Template {
        id: "lead-generation",
        name: "Lead generation",
        description: "Qualify interest and budget, then collect contact details with consent.",
        category: "LEAD_GENERATION",
        json: include_str!("../templates/lead-generation.json"),
    },
    Template {
        id: "customer-support",
        name: "Customer support",
        description: "Route a request by topic and collect a description with optional photos.",
        category: "CUSTOMER_SUPPORT",
        json: include_str!("../templates/customer-support.json"),
    },
];

/// The template with this id.
pub fn find(id: &str) -> Option<&'static Template> {
    ALL.iter().find(|template| template.id == id)
}
