//! What a new sandbox holds: partner `sandboxPA` with WABA accounts `sandbox1WA` (a clinic)
//! and `sandbox2WA` (a shop), each with realistic flows in several states. `appointment-booking`
//! exists in both, so migrating it from one to the other shows a name clash.
use rusqlite::{Transaction, params};

use super::flows::{NewFlow, insert};
use super::lifecycle::{State, Status};
use super::validation;
use crate::config::SANDBOX_PARTNER_ID;
use crate::error::ApiError;

struct SeedWaba {
    id: &'static str,
    meta_id: &'static str,
    name: &'static str,
    channel: &'static str,
    client: &'static str,
    phone: &'static str,
}

const WABAS: [SeedWaba; 2] = [
    SeedWaba {
        id: "sandbox1WA",
        meta_id: "102290129340398",
        name: "Sandbox Clinic",
        channel: "sandbox1CH",
        client: "sandbox1CL",
        phone: "+15550100001",
    },
    SeedWaba {
        id: "sandbox2WA",
        meta_id: "102290129340399",
        name: "Sandbox Shop",
        channel: "sandbox2CH",
        client: "sandbox2CL",
        phone: "+15550100002",
    },
];

struct SeedFlow {
    id: &'static str,
    waba: &'static str,
    name: &'static str,
    categories: &'static [&'static str],
    status: Status,
    json: &'static str,
}

/// The seeded flows, oldest first.
const FLOWS: [SeedFlow; 6] = [
    SeedFlow {
        id: "1287346519273401",
        waba: "sandbox1WA",
        name: "sign-up",
        categories: &["SIGN_UP"],
        status: Status::Deprecated,
        json: include_str!("seed/sign-up.json"),
    },
    SeedFlow {
        id: "1287346519273402",
        waba: "sandbox1WA",
        name: "appointment-booking",
        categories: &["APPOINTMENT_BOOKING"],
        status: Status::Published,
        json: flow_model::templates::APPOINTMENT_BOOKING,
    },
    SeedFlow {
        id: "1287346519273403",
        waba: "sandbox1WA",
        name: "lead-gen",
        categories: &["LEAD_GENERATION"],
        status: Status::Draft,
        json: include_str!("seed/lead-gen.json"),
    },
    SeedFlow {
        id: "1287346519273404",
        waba: "sandbox1WA",
        name: "customer-survey",
        categories: &["SURVEY", "CUSTOMER_SUPPORT"],
        status: Status::Draft,
        json: include_str!("seed/customer-survey.json"),
    },
    SeedFlow {
        id: "1287346519273405",
        waba: "sandbox2WA",
        name: "contact-us",
        categories: &["CONTACT_US"],
        status: Status::Published,
        json: include_str!("seed/contact-us.json"),
    },
    SeedFlow {
        id: "1287346519273406",
        waba: "sandbox2WA",
        name: "appointment-booking",
        categories: &["APPOINTMENT_BOOKING", "OTHER"],
        status: Status::Draft,
        json: flow_model::templates::APPOINTMENT_BOOKING,
    },
];

/// Fills a new database.
pub fn seed(tx: &Transaction<'_>, now: i64) -> rusqlite::Result<()> {
    tx.execute("INSERT INTO partners (id, name) VALUES (?1, 'Flowsmith Sandbox')", [SANDBOX_PARTNER_ID])?;
    for waba in &WABAS {
        tx.execute(
            "INSERT INTO waba_accounts (id, partner_id, meta_id, name, currency, timezone_id, namespace,
                 channel_id, client_id, phone_number, created_at)
             VALUES (?1, ?2, ?3, ?4, 'EUR', '53', ?5, ?6, ?7, ?8, ?9)",
            params![
                waba.id,
                SANDBOX_PARTNER_ID,
                waba.meta_id,
                waba.name,
                format!("{}_namespace", waba.id.to_lowercase()),
                waba.channel,
                waba.client,
                waba.phone,
                now
            ],
        )?;
    }
    for flow in &FLOWS {
        let has_published = flow.status != Status::Draft;
        let new = NewFlow {
            name: flow.name.to_owned(),
            categories: flow.categories.iter().map(|category| (*category).to_owned()).collect(),
            endpoint_uri: None,
            state: State { status: flow.status, has_published },
            json: Some((flow.json.as_bytes().to_vec(), validation::check(flow.json.as_bytes()))),
        };
        insert(tx, flow.waba, &new, Some(flow.id), now).map_err(|error: ApiError| {
            rusqlite::Error::InvalidParameterName(format!("seeding: {error:?}"))
        })?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeded_flows_are_valid_flow_json() {
        for flow in &FLOWS {
            let checked = validation::check(flow.json.as_bytes());
            assert!(checked.errors.is_empty(), "{}: {:?}", flow.name, checked.errors);
            assert!(checked.json_version.is_some(), "{}", flow.name);
        }
    }
}
