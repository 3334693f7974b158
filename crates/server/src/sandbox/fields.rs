//! The `fields` query parameter of the flow operations: which members of a flow to return.
//!
//! Accepted spellings (partner-api.md §1.4 and §2.4): repeated (`fields=id&fields=name`),
//! comma-joined (`fields=id,name`), a JSON array (`fields=["id","name"]`), and Graph's
//! modifiers on `preview` (`preview.invalidate(true)`, `preview.preview_url`,
//! `preview.expires_at`), and `health_status` (also `health_status.phone_number(<id>)`). `id`
//! is always returned, as Graph does. An unknown field is a 400.
use serde_json::Value;

use crate::error::ApiError;

/// A selectable member of a flow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// `id`
    Id,
    /// `name`
    Name,
    /// `categories`
    Categories,
    /// `validation_errors`
    ValidationErrors,
    /// `status`
    Status,
    /// `json_version`
    JsonVersion,
    /// `data_api_version`
    DataApiVersion,
    /// `data_channel_uri`
    DataChannelUri,
    /// `endpoint_uri`
    EndpointUri,
    /// `preview`, optionally rotating the link.
    Preview {
        /// `preview.invalidate(true)`
        invalidate: bool,
    },
    /// `whatsapp_business_account`
    WhatsappBusinessAccount,
    /// `health_status` (also `health_status.phone_number(<id>)`): whether it can be sent.
    HealthStatus,
    /// `metric` (with any of Graph's modifiers)
    Metric,
}

/// The names accepted, in the order members are returned.
pub const AVAILABLE: &[&str] = &[
    "id",
    "name",
    "categories",
    "validation_errors",
    "status",
    "json_version",
    "data_api_version",
    "data_channel_uri",
    "endpoint_uri",
    "preview",
    "whatsapp_business_account",
    "health_status",
    "metric",
];

/// The fields returned when none are asked for.
pub const DEFAULT: &[Field] =
    &[Field::Id, Field::Name, Field::Categories, Field::ValidationErrors, Field::Status];

impl Field {
    fn rank(self) -> usize {
        match self {
            Field::Id => 0,
            Field::Name => 1,
            Field::Categories => 2,
            Field::ValidationErrors => 3,
            Field::Status => 4,
            Field::JsonVersion => 5,
            Field::DataApiVersion => 6,
            Field::DataChannelUri => 7,
            Field::EndpointUri => 8,
            Field::Preview { .. } => 9,
            Field::WhatsappBusinessAccount => 10,
            Field::HealthStatus => 11,
            Field::Metric => 12,
        }
    }

    fn parse(item: &str) -> Option<Field> {
        let (base, modifier) = match item.find(['.', '(']) {
            Some(at) => (&item[..at], Some(&item[at..])),
            None => (item, None),
        };
        let field = match base {
            "id" => Field::Id,
            "name" => Field::Name,
            "categories" => Field::Categories,
            "validation_errors" => Field::ValidationErrors,
            "status" => Field::Status,
            "json_version" => Field::JsonVersion,
            "data_api_version" => Field::DataApiVersion,
            "data_channel_uri" => Field::DataChannelUri,
            "endpoint_uri" => Field::EndpointUri,
            "whatsapp_business_account" => Field::WhatsappBusinessAccount,
            "metric" => return Some(Field::Metric),
            "health_status" => {
                let phone = modifier.is_some_and(|m| m.starts_with(".phone_number(") && m.ends_with(')'));
                return (modifier.is_none() || phone).then_some(Field::HealthStatus);
            }
            "preview" => {
                return match modifier {
                    None | Some(".preview_url" | ".expires_at" | ".invalidate(false)") => {
                        Some(Field::Preview { invalidate: false })
                    }
                    Some(".invalidate(true)") => Some(Field::Preview { invalidate: true }),
                    Some(_) => None,
                };
            }
            _ => return None,
        };
        modifier.is_none().then_some(field)
    }
}

/// The fields asked for by the `fields` values of a query, sorted and without repeats.
pub fn parse(values: &[String]) -> Result<Vec<Field>, ApiError> {
    let mut items = Vec::new();
    for value in values {
        let value = value.trim();
        if value.starts_with('[') {
            let list: Vec<String> = serde_json::from_str(value).map_err(|_| {
                ApiError::field(
                    "query",
                    "fields",
                    "Not a valid list: write fields=id,name or a JSON array of names",
                )
            })?;
            items.extend(list);
        } else {
            items.extend(value.split(',').map(str::to_owned));
        }
    }
    let mut fields = vec![Field::Id];
    for item in items.iter().map(|item| item.trim()).filter(|item| !item.is_empty()) {
        let field = Field::parse(item).ok_or_else(|| {
            ApiError::field(
                "query",
                "fields",
                format!("Unknown field '{}'. Available: {}", shorten(item), AVAILABLE.join(", ")),
            )
        })?;
        match fields.iter_mut().find(|known| known.rank() == field.rank()) {
            // `preview` and `preview.invalidate(true)` together: rotating wins.
            Some(known @ Field::Preview { invalidate: false }) => *known = field,
            Some(_) => {}
            None => fields.push(field),
        }
    }
    if fields.len() == 1 && items.iter().all(|item| item.trim().is_empty()) {
        return Ok(DEFAULT.to_vec());
    }
    fields.sort_by_key(|field| field.rank());
    Ok(fields)
}

/// At most 40 characters of user input for a message.
fn shorten(text: &str) -> String {
    text.chars().take(40).collect()
}

/// Whether the fields ask for a member.
pub fn wants(fields: &[Field], wanted: Field) -> bool {
    fields.iter().any(|field| field.rank() == wanted.rank())
}

/// Adds `value` under `key` when present.
pub fn put(object: &mut serde_json::Map<String, Value>, key: &str, value: Option<Value>) {
    if let Some(value) = value {
        object.insert(key.to_owned(), value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(values: &[&str]) -> Result<Vec<Field>, ApiError> {
        parse(&values.iter().map(|value| (*value).to_owned()).collect::<Vec<_>>())
    }

    #[test]
    fn every_spelling_gives_the_same_fields() {
        let expected = vec![Field::Id, Field::Name, Field::Status];
        assert_eq!(parsed(&["status", "name"]).unwrap(), expected);
        assert_eq!(parsed(&["name,status"]).unwrap(), expected);
        assert_eq!(parsed(&[r#"["name","status"]"#]).unwrap(), expected);
        assert_eq!(parsed(&[" name , status ,name"]).unwrap(), expected);
    }

    #[test]
    fn defaults_when_none_are_asked_for() {
        assert_eq!(parsed(&[]).unwrap(), DEFAULT);
        assert_eq!(parsed(&[""]).unwrap(), DEFAULT);
    }

    #[test]
    fn preview_modifiers() {
        assert_eq!(parsed(&["preview"]).unwrap(), vec![Field::Id, Field::Preview { invalidate: false }]);
        assert_eq!(
            parsed(&["preview.invalidate(false)", "preview.invalidate(true)"]).unwrap(),
            vec![Field::Id, Field::Preview { invalidate: true }]
        );
        assert!(parsed(&["preview.secret"]).is_err());
        assert_eq!(
            parsed(&["metric.name(ENDPOINT_REQUEST_COUNT).granularity(DAY)"]).unwrap()[1],
            Field::Metric
        );
    }

    #[test]
    fn unknown_fields_are_named() {
        let error = parsed(&["name,password"]).unwrap_err();
        assert!(error.message().contains("Unknown field 'password'"), "{}", error.message());
        assert!(parsed(&["[not json"]).is_err());
        assert!(parsed(&["name.x"]).is_err());
    }
}
