//! §4: every property value has its kind's JSON type, an allowed enum value, the string format
//! of its kind (dates, colors, base64 images; a WebP, GIF or SVG image is a warning), is not
//! blank (6.0+), and an input `name` is neither a binding nor an expression (6.0+). A boolean
//! or number property given a string accepts only a binding or an expression.
use serde_json::Value;

use super::super::context::Flow;
use super::super::schema::{
    self, At, Described, base64_size, date_format, is_blank, is_date, is_hex_color, json_type,
};

#[cfg(all(test, not(target_arch = "wasm32")))]
use super::super::sources::{Builder, Code, Docs, Page, Report, error, warning};
use crate::catalog::{Format, Kind, Property};
use crate::diagnostic::{Diagnostic, SchemaProblem};
use crate::expression::{self, Dynamic};
use crate::version::{Feature, Version};

/// What this rule reports, and on whose authority (`validate/sources.rs`).
#[cfg(all(test, not(target_arch = "wasm32")))]
pub(super) const REPORTS: &[Report] = &[
    error(
        "Schema::WrongType",
        Code::InvalidPropertyType,
        "each property has its JSON type",
        &[Builder(
            "the per-component WAFlowJSON…ComponentSchemaV500 to V701: closed objects, required properties, types, enums, formats",
        )],
    ),
    error(
        "Schema::NotDynamicFormat",
        Code::PatternMismatch,
        "a boolean or number given as a string is a binding or an expression",
        &[
            Builder(
                "the per-component WAFlowJSON…ComponentSchemaV500 to V701: closed objects, required properties, types, enums, formats",
            ),
            Docs(Page::ErrorCodes, "should be of type 't' or have dynamic data format"),
        ],
    ),
    error(
        "Schema::NotInEnum",
        Code::InvalidEnumValue,
        "an enum property has one of its values",
        &[Builder(
            "the per-component WAFlowJSON…ComponentSchemaV500 to V701: closed objects, required properties, types, enums, formats",
        )],
    ),
    error(
        "Schema::Blank",
        Code::PatternMismatch,
        "strings are not blank (6.0+)",
        &[
            Docs(Page::Changelog, "6.0: string properties may not be empty or blank"),
            Builder(
                "the per-component WAFlowJSON…ComponentSchemaV500 to V701: closed objects, required properties, types, enums, formats",
            ),
        ],
    ),
    error(
        "Schema::DynamicName",
        Code::PatternMismatch,
        "an input `name` is neither a binding nor an expression (6.0+)",
        &[
            Docs(Page::FlowJson, "Nested Expressions: not in name and type"),
            Builder(
                "the per-component WAFlowJSON…ComponentSchemaV500 to V701: closed objects, required properties, types, enums, formats",
            ),
        ],
    ),
    error(
        "Schema::InvalidFormat",
        Code::InvalidPropertyValueFormat,
        "dates in the version's format",
        &[
            Docs(Page::Components, "DatePicker and CalendarPicker: date formats"),
            Builder(
                "the per-component WAFlowJSON…ComponentSchemaV500 to V701: closed objects, required properties, types, enums, formats",
            ),
        ],
    ),
    error(
        "Schema::PatternMismatch",
        Code::PatternMismatch,
        "colors are `#RRGGBB`",
        &[Builder("WAFlowJSONConstants: hex color pattern")],
    ),
    error(
        "Schema::InvalidBase64",
        Code::InvalidPropertyValue,
        "images are base64",
        &[
            Docs(Page::ErrorCodes, "Image source is not in a valid base64 format"),
            Builder(
                "the per-component WAFlowJSON…ComponentSchemaV500 to V701: closed objects, required properties, types, enums, formats",
            ),
        ],
    ),
    warning(
        "Schema::ImageFormat",
        Code::InvalidPropertyValue,
        "an image is JPEG or PNG (WebP is not shown before iOS 14)",
        &[
            Docs(Page::Components, "Image: supported image formats JPEG, PNG"),
            Docs(Page::Components, "CheckboxGroup: WebP not supported on iOS < 14"),
        ],
    ),
];

/// §4.6, §4.3: images are JPEG or PNG (Image's documented formats), and WebP is not shown on
/// iPhones before iOS 14. Meta checks only that the text is base64, so a WebP, GIF or SVG
/// image passes its validator and then is not shown: a warning, recognised by the base64 of
/// each format's first bytes.
const IMAGE_SIGNATURES: &[(&str, &str)] = &[
    // "RIFF": WebP's container.
    ("UklGR", "WebP"),
    // "GIF8".
    ("R0lGOD", "GIF"),
    // "<svg" and "<?xml".
    ("PHN2Zy", "SVG"),
    ("PD94bW", "SVG"),
];

pub(super) fn check(flow: &Flow<'_>, described: &Described<'_>, out: &mut Vec<Diagnostic>) {
    for (key, value, property) in described.members(flow) {
        let Some(property) = property else { continue };
        // The property's name is the key (already in cache, unlike the key's text).
        if described.is_type_key(property.name) {
            continue;
        }
        let base = At::Object(&described.at);
        check_value(flow, property, &property.kind, value, At::Key(&base, key), out);
    }
}

fn check_value(
    flow: &Flow<'_>,
    property: &Property,
    kind: &Kind,
    value: &Value,
    at: At<'_>,
    out: &mut Vec<Diagnostic>,
) {
    let version = flow.version;
    let name = || property.name.to_owned();
    if let Value::String(text) = value
        && property.dynamic
    {
        match expression::classify(text) {
            Dynamic::Binding(_) => return,
            // Expressions are checked by the `expressions` rule; before 6.0 they are text.
            Dynamic::Expression(_) if version.supports(Feature::NestedExpressions) => return,
            _ => {}
        }
    }
    let Some(kind) = schema::resolve_kind(kind, value) else {
        let problem = match (kind, value) {
            (Kind::Boolean | Kind::Number | Kind::Integer, Value::String(_)) if property.dynamic => {
                SchemaProblem::NotDynamicFormat { property: name(), expected: kind.type_name() }
            }
            _ => SchemaProblem::WrongType {
                property: name(),
                expected: kind.type_name(),
                found: json_type(value),
            },
        };
        out.push(Diagnostic::error(at.pointer(flow), problem));
        return;
    };
    match (kind, value) {
        (Kind::String(format), Value::String(text)) => {
            if let Some(problem) = string_problem(version, property, *format, text) {
                out.push(Diagnostic::error(at.pointer(flow), problem));
            } else if *format == Format::Image
                && let Some((_, found)) =
                    IMAGE_SIGNATURES.iter().find(|(signature, _)| text.starts_with(signature))
            {
                out.push(Diagnostic::warning(
                    at.pointer(flow),
                    SchemaProblem::ImageFormat { property: property.name, format: found },
                ));
            }
        }
        (Kind::Enum(allowed), Value::String(text)) if !allowed.contains(&text.as_str()) => {
            out.push(Diagnostic::error(
                at.pointer(flow),
                SchemaProblem::NotInEnum { property: name(), allowed },
            ));
        }
        (Kind::List(item), Value::Array(items)) => {
            let item_property = Property { dynamic: false, ..*property };
            for (index, inner) in items.iter().enumerate() {
                check_value(flow, &item_property, item, inner, At::Index(&at, index), out);
            }
        }
        (Kind::Map(inner_kind), Value::Object(map)) => {
            for (key, inner) in map {
                check_value(flow, property, inner_kind, inner, At::Key(&at, key), out);
            }
        }
        _ => {}
    }
}

fn string_problem(
    version: Version,
    property: &Property,
    format: Format,
    text: &str,
) -> Option<SchemaProblem> {
    let name = || property.name.to_owned();
    if version.supports(Feature::NonBlankStrings) && is_blank(text) {
        return Some(SchemaProblem::Blank { property: name() });
    }
    match format {
        Format::Text | Format::Regex => None,
        Format::Name => {
            let dynamic = matches!(expression::classify(text), Dynamic::Binding(_) | Dynamic::Expression(_));
            (version.supports(Feature::StaticNames) && dynamic)
                .then(|| SchemaProblem::DynamicName { property: name() })
        }
        Format::Date => (!is_date(text, version))
            .then(|| SchemaProblem::InvalidFormat { property: name(), format: date_format(version) }),
        Format::HexColor => (!is_hex_color(text))
            .then(|| SchemaProblem::PatternMismatch { property: name(), pattern: "^#([A-Fa-f0-9]{6})$" }),
        Format::Image => base64_size(text).is_none().then_some(SchemaProblem::InvalidBase64),
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{C0, C1, expect_each as expect, screen};
    use super::*;
    use crate::diagnostic::Code;
    use serde_json::json;

    #[test]
    fn types_enums_and_dynamic_values() {
        let flow = screen(
            "7.3",
            json!([{"type": "TextBody", "text": 3, "font-weight": "heavy", "strikethrough": "yes", "visible": "${data.v}"},
                   {"type": "TextInput", "name": "${data.n}", "label": "", "max-chars": "`${data.m} + 1`", "input-type": "${data.t}"}]),
        );
        expect(
            check,
            &flow,
            &[
                (Code::InvalidPropertyType, &format!("{C0}/text")),
                (Code::InvalidEnumValue, &format!("{C0}/font-weight")),
                (Code::PatternMismatch, &format!("{C0}/strikethrough")),
                (Code::PatternMismatch, &format!("{C1}/name")),
                (Code::PatternMismatch, &format!("{C1}/label")),
            ],
        );
    }

    #[test]
    fn formats_and_versions() {
        let flow = screen(
            "7.3",
            json!([{"type": "DatePicker", "name": "d", "label": "D", "min-date": "01/02/2024", "max-date": "2024-02-30"},
                   {"type": "Dropdown", "name": "x", "label": "X", "data-source": [{"id": "a", "title": "A", "color": "red", "image": "%%"}]}]),
        );
        expect(
            check,
            &flow,
            &[
                (Code::InvalidPropertyValueFormat, &format!("{C0}/min-date")),
                (Code::InvalidPropertyValueFormat, &format!("{C0}/max-date")),
                (Code::PatternMismatch, &format!("{C1}/data-source/0/color")),
                (Code::InvalidPropertyValue, &format!("{C1}/data-source/0/image")),
            ],
        );
        // Before 6.0, blank strings and dynamic names pass; text bodies may be lists from 5.1.
        let old = screen(
            "5.1",
            json!([{"type": "TextInput", "name": "${data.n}", "label": " "}, {"type": "TextBody", "text": ["a", "b"]}]),
        );
        expect(check, &old, &[]);
        let older = screen("5.0", json!([{"type": "TextBody", "text": ["a"]}]));
        expect(check, &older, &[(Code::InvalidPropertyType, &format!("{C0}/text"))]);
    }

    #[test]
    fn images_are_png_or_jpeg() {
        let flow = screen(
            "7.3",
            json!([{"type": "Image", "src": "UklGRiQAAABXRUJQVlA4IBgAAAAwAQCdASoBAAEAAwA0JaQAA3AA/vuUAAA="},
                   {"type": "RadioButtonsGroup", "name": "r", "label": "R", "data-source": [
                       {"id": "a", "title": "A", "image": "R0lGODlhAQABAAAAACw="},
                       {"id": "b", "title": "B", "image": "iVBORw0KGgo="},
                       {"id": "c", "title": "C", "image": "/9j/4AAQSkZJRg=="},
                       {"id": "d", "title": "D", "image": "${data.image}"}]}]),
        );
        expect(
            check,
            &flow,
            &[
                (Code::InvalidPropertyValue, &format!("{C0}/src")),
                (Code::InvalidPropertyValue, &format!("{C1}/data-source/0/image")),
            ],
        );
    }
}
