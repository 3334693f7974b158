//! §1.3: the root object is closed; `data_channel_uri` is gone since 3.0; `data_api_version`
//! takes the values of the flow's version and needs a `routing_model`. A `routing_model`
//! without `data_api_version` is fine: Meta states only the other direction, and its Flow JSON
//! page and templates use `routing_model` alone (`tests/corpus/7.3/routing-model-without-endpoint.json`).
use serde_json::Value;

use super::super::context::Flow;
use super::super::schema::json_type;
use crate::model::key;

#[cfg(all(test, not(target_arch = "wasm32")))]
use super::super::sources::{Builder, Code, Docs, Page, Report, error};
use crate::diagnostic::{Diagnostic, FlowProblem, Owner, SchemaProblem};
use crate::version::Feature;

/// What this rule reports, and on whose authority (`validate/sources.rs`).
#[cfg(all(test, not(target_arch = "wasm32")))]
pub(super) const REPORTS: &[Report] = &[
    error(
        "Schema::UnknownProperty",
        Code::InvalidPropertyKey,
        "the root object has only Flow JSON's properties (and Meta's `meta.lead_gen_ai`)",
        &[Builder("WAFlowJSONRootSchema: the root object, closed")],
    ),
    error(
        "Schema::WrongType",
        Code::InvalidPropertyType,
        "`screens` is an array, `routing_model` and `meta` objects",
        &[Builder("WAFlowJSONRootSchema: the root object, closed")],
    ),
    error(
        "Flow::DataChannelUri",
        Code::InvalidPropertyKey,
        "no `data_channel_uri` from 3.0",
        &[
            Docs(
                Page::FlowJson,
                "Top-level Flow JSON properties: data_channel_uri is not supported as of 3.0",
            ),
            Docs(Page::ErrorCodes, "data_channel_uri message"),
        ],
    ),
    error(
        "Flow::InvalidDataApiVersion",
        Code::InvalidDataApiVersion,
        "`data_api_version` is 3.0 (or 4.0 from 7.3)",
        &[
            Docs(Page::FlowJson, "Top-level Flow JSON properties: data_api_version"),
            Docs(Page::Changelog, "Data API 4.0, 11 Nov 2025"),
            Builder("WAFlowJSONRootSchema: the root object, closed"),
        ],
    ),
    error(
        "Schema::RequiredFor",
        Code::MissingRequiredProperty,
        "`data_api_version` needs a `routing_model` (not the other way round: Meta's examples use routing_model alone)",
        &[
            Docs(
                Page::ErrorCodes,
                "The property 'routing_model' is required for property 'data_api_version'",
            ),
            Builder("WAFlowJSONRoutingModelValidator"),
        ],
    ),
    error(
        "Schema::MissingProperty",
        Code::MissingRequiredProperty,
        "`screens` is present",
        &[
            Docs(Page::FlowJson, "Top-level Flow JSON properties: screens is required"),
            Builder("WAFlowJSONRootSchema: the root object, closed"),
        ],
    ),
];

/// The root properties (the `meta` object is accepted as Meta's own builder writes it).
const ROOT_KEYS: &[&str] = &[
    key::VERSION,
    key::SCREENS,
    key::ROUTING_MODEL,
    key::DATA_API_VERSION,
    key::DATA_CHANNEL_URI,
    key::META,
];

/// The Data API versions a flow may declare, by Flow JSON version.
pub(crate) fn data_api_versions(flow: &Flow<'_>) -> &'static [&'static str] {
    if flow.version.supports(Feature::DataApi4) { &["3.0", "4.0"] } else { &["3.0"] }
}

pub(super) fn check(flow: &Flow<'_>, out: &mut Vec<Diagnostic>) {
    for (key, value) in flow.root {
        let pointer = crate::json::pointer::join("", key);
        match key.as_str() {
            key::DATA_CHANNEL_URI if !flow.version.supports(Feature::DataChannelUri) => {
                out.push(Diagnostic::error(pointer, FlowProblem::DataChannelUri));
            }
            key::SCREENS if !value.is_array() => out.push(wrong_type(pointer, key::SCREENS, "array", value)),
            key::ROUTING_MODEL if !value.is_object() => {
                out.push(wrong_type(pointer, key::ROUTING_MODEL, "object", value))
            }
            key::META => match value {
                Value::Object(meta) => {
                    for (name, inner) in meta {
                        let inner_pointer = crate::json::pointer::join(&pointer, name);
                        if name != key::LEAD_GEN_AI {
                            out.push(unknown(
                                inner_pointer,
                                name,
                                Owner::Part { property: key::META.into(), component: "Flow".into() },
                            ));
                        } else if !inner.is_boolean() {
                            out.push(wrong_type(inner_pointer, key::LEAD_GEN_AI, "boolean", inner));
                        }
                    }
                }
                other => out.push(wrong_type(pointer, key::META, "object", other)),
            },
            key::DATA_API_VERSION => {
                let allowed = data_api_versions(flow);
                match value.as_str() {
                    Some(found) if allowed.contains(&found) => {}
                    _ => out.push(Diagnostic::error(
                        pointer,
                        FlowProblem::InvalidDataApiVersion {
                            found: crate::json::compact(value),
                            version: flow.version,
                            allowed,
                        },
                    )),
                }
            }
            known if ROOT_KEYS.contains(&known) => {}
            _ => out.push(unknown(pointer, key, Owner::Flow)),
        }
    }
    if flow.root.contains_key(key::DATA_API_VERSION) && !flow.root.contains_key(key::ROUTING_MODEL) {
        out.push(Diagnostic::error(
            "",
            SchemaProblem::RequiredFor {
                property: key::ROUTING_MODEL,
                needed_by: "property 'data_api_version'",
            },
        ));
    }
    if !flow.root.contains_key(key::SCREENS) {
        out.push(Diagnostic::error("", SchemaProblem::MissingProperty { property: key::SCREENS.into() }));
    }
}

fn wrong_type(pointer: String, property: &str, expected: &'static str, value: &Value) -> Diagnostic {
    Diagnostic::error(
        pointer,
        SchemaProblem::WrongType { property: property.into(), expected, found: json_type(value) },
    )
}

fn unknown(pointer: String, property: &str, owner: Owner) -> Diagnostic {
    Diagnostic::error(
        pointer,
        SchemaProblem::UnknownProperty { property: property.into(), owner, since: None, inside_form: false },
    )
}

#[cfg(test)]
mod tests {
    use super::super::test_support::expect;
    use super::*;
    use crate::diagnostic::Code;
    use serde_json::json;

    #[test]
    fn closed_root_and_its_types() {
        let flow =
            json!({"version": "7.3", "screens": {}, "extra": 1, "meta": {"lead_gen_ai": 1, "x": true}});
        expect(
            check,
            &flow,
            &[
                (Code::InvalidPropertyType, "/screens"),
                (Code::InvalidPropertyKey, "/extra"),
                (Code::InvalidPropertyType, "/meta/lead_gen_ai"),
                (Code::InvalidPropertyKey, "/meta/x"),
            ],
        );
        expect(check, &json!({"version": "7.3"}), &[(Code::MissingRequiredProperty, "")]);
    }

    #[test]
    fn data_channel_uri_is_gone_since_3_0() {
        let flow = json!({"version": "6.0", "screens": [], "data_channel_uri": "https://x"});
        expect(check, &flow, &[(Code::InvalidPropertyKey, "/data_channel_uri")]);
        expect(check, &json!({"version": "2.1", "screens": [], "data_channel_uri": "https://x"}), &[]);
    }

    #[test]
    fn data_api_version_values_and_its_routing_model() {
        let four = json!({"version": "7.2", "screens": [], "data_api_version": "4.0", "routing_model": {}});
        expect(check, &four, &[(Code::InvalidDataApiVersion, "/data_api_version")]);
        let ok = json!({"version": "7.3", "screens": [], "data_api_version": "4.0", "routing_model": {}});
        expect(check, &ok, &[]);
        let alone = json!({"version": "7.3", "screens": [], "data_api_version": "3.0"});
        expect(check, &alone, &[(Code::MissingRequiredProperty, "")]);
        // Meta's Flow JSON page and templates use a routing model without an endpoint.
        let routing = json!({"version": "7.3", "screens": [], "routing_model": {}});
        expect(check, &routing, &[]);
    }
}
