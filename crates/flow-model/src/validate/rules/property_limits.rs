//! §4: characters, item counts, number ranges and image sizes within the catalog's limits.
//! Characters are counted as JavaScript does (UTF-16 code units), as Meta checks them. An image
//! over the size Meta only recommends (Image `src`, 300 KB) is a warning, and so is text over a
//! limit Meta documents but its own examples exceed (EmbeddedLink `text`, 25 characters).
use serde_json::Value;

use super::super::context::Flow;
use super::super::schema::{self, At, Described, base64_size, char_count, is_dynamic};

#[cfg(all(test, not(target_arch = "wasm32")))]
use super::super::sources::{Builder, Code, Docs, Ours, Page, Report, error, warning};
use crate::catalog::{Format, Kind, Limits, Property};
use crate::diagnostic::{Diagnostic, SchemaProblem};

/// What this rule reports, and on whose authority (`validate/sources.rs`).
#[cfg(all(test, not(target_arch = "wasm32")))]
pub(super) const REPORTS: &[Report] = &[
    error(
        "Schema::TooLong",
        Code::MaxCharsRequired,
        "text within its character limit",
        &[Docs(Page::Components, "each component's \"Limits and restrictions\"")],
    ),
    warning(
        "Schema::LongerThanDocumented",
        Code::MaxCharsRequired,
        "an EmbeddedLink text of more than 25 characters",
        &[
            Docs(Page::Components, "Embedded Link: 25 characters"),
            Ours("Meta's own sign-in template has a link of 30 characters"),
        ],
    ),
    error(
        "Schema::TooFewItems",
        Code::MinItemsRequired,
        "lists have their fewest items",
        &[
            Docs(Page::Components, "each component's \"Limits and restrictions\""),
            Builder(
                "the per-component WAFlowJSON…ComponentSchemaV500 to V701: closed objects, required properties, types, enums, formats",
            ),
        ],
    ),
    error(
        "Schema::TooManyItems",
        Code::MaxItemsRequired,
        "lists have at most their most items",
        &[
            Docs(Page::Components, "each component's \"Limits and restrictions\""),
            Builder(
                "the per-component WAFlowJSON…ComponentSchemaV500 to V701: closed objects, required properties, types, enums, formats",
            ),
        ],
    ),
    error(
        "Schema::EmptyComponents",
        Code::InvalidPropertyValue,
        "If `then` holds at least one component",
        &[
            Docs(Page::Components, "If: an empty then is an error"),
            Docs(Page::ErrorCodes, "Expected array to contain at least one component"),
        ],
    ),
    error(
        "Schema::BelowMinimum",
        Code::MinimumValueRequired,
        "numbers at least their minimum",
        &[
            Docs(Page::Components, "each component's \"Limits and restrictions\""),
            Builder(
                "the per-component WAFlowJSON…ComponentSchemaV500 to V701: closed objects, required properties, types, enums, formats",
            ),
        ],
    ),
    error(
        "Schema::AboveMaximum",
        Code::MaximumValueRequired,
        "numbers at most their maximum",
        &[
            Docs(Page::Components, "each component's \"Limits and restrictions\""),
            Builder(
                "the per-component WAFlowJSON…ComponentSchemaV500 to V701: closed objects, required properties, types, enums, formats",
            ),
        ],
    ),
    error(
        "Schema::ImageTooLarge",
        Code::InvalidPropertyValue,
        "list item and NavigationList images within their size",
        &[
            Docs(Page::Components, "each component's \"Limits and restrictions\""),
            Docs(Page::Changelog, "6.0: list-item images 300 KB -> 100 KB"),
        ],
    ),
    warning(
        "Schema::ImageOverRecommended",
        Code::InvalidPropertyValue,
        "an Image over the 300 KB Meta recommends",
        &[Docs(Page::Components, "Image: recommended image size up to 300 KB")],
    ),
];

pub(super) fn check(flow: &Flow<'_>, described: &Described<'_>, out: &mut Vec<Diagnostic>) {
    for (key, value, property) in described.members(flow) {
        let Some(property) = property else { continue };
        // Without limits there is nothing to check (and no need to read the value).
        if property.limits == Limits::default() {
            continue;
        }
        // The property's name is the key (already in cache, unlike the key's text).
        if described.is_type_key(property.name) {
            continue;
        }
        if is_dynamic(property, value, flow.version) {
            continue;
        }
        let Some(kind) = schema::resolve_kind(&property.kind, value) else { continue };
        let base = At::Object(&described.at);
        check_value(flow, property, kind, value, At::Key(&base, key), out);
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
    let limits = &property.limits;
    let name = || property.name.to_owned();
    match (kind, value) {
        (Kind::String(format), Value::String(text)) => {
            // A string has no more UTF-16 units than UTF-8 bytes: most need no counting.
            if let Some(max) = limits.max_chars.filter(|max| text.len() > *max as usize) {
                let found = char_count(text);
                if found > max as usize && limits.max_chars_advised {
                    out.push(Diagnostic::warning(
                        at.pointer(flow),
                        SchemaProblem::LongerThanDocumented { property: name(), max, found },
                    ));
                } else if found > max as usize {
                    out.push(Diagnostic::error(
                        at.pointer(flow),
                        SchemaProblem::TooLong { property: name(), max, found },
                    ));
                }
            }
            if let (Format::Image, Some(max)) = (format, limits.max_kilobytes)
                && let Some(bytes) = base64_size(text)
                && bytes > max as usize * 1024
            {
                out.push(Diagnostic::error(
                    at.pointer(flow),
                    SchemaProblem::ImageTooLarge {
                        max_kilobytes: max,
                        found_kilobytes: bytes.div_ceil(1024),
                    },
                ));
            }
            if let (Format::Image, Some(recommended)) = (format, limits.recommended_kilobytes)
                && text.len() > recommended as usize * 1024
                && let Some(bytes) = base64_size(text)
                && bytes > recommended as usize * 1024
            {
                out.push(Diagnostic::warning(
                    at.pointer(flow),
                    SchemaProblem::ImageOverRecommended {
                        recommended_kilobytes: recommended,
                        found_kilobytes: bytes.div_ceil(1024),
                    },
                ));
            }
        }
        (Kind::List(item), Value::Array(items)) => {
            if let Some(min) = limits.min_items.filter(|min| items.len() < *min as usize) {
                out.push(Diagnostic::error(
                    at.pointer(flow),
                    SchemaProblem::TooFewItems { property: name(), min },
                ));
            }
            if let Some(max) = limits.max_items.filter(|max| items.len() > *max as usize) {
                out.push(Diagnostic::error(
                    at.pointer(flow),
                    SchemaProblem::TooManyItems { property: name(), max },
                ));
            }
            // Item limits: characters of each string of a list of strings.
            if let Kind::String(_) = item {
                let item_property = Property {
                    limits: crate::catalog::Limits { min_items: None, max_items: None, ..*limits },
                    ..*property
                };
                for (index, inner) in items.iter().enumerate() {
                    check_value(flow, &item_property, item, inner, At::Index(&at, index), out);
                }
            }
        }
        (Kind::Components, Value::Array(items))
            if limits.min_items.is_some_and(|min| items.len() < min as usize) =>
        {
            out.push(Diagnostic::error(
                at.pointer(flow),
                SchemaProblem::EmptyComponents { property: name() },
            ));
        }
        (Kind::Number | Kind::Integer, Value::Number(number)) => {
            let Some(number) = number.as_f64() else { return };
            if let Some(minimum) = limits.minimum.filter(|minimum| number < *minimum) {
                out.push(Diagnostic::error(
                    at.pointer(flow),
                    SchemaProblem::BelowMinimum { property: name(), minimum },
                ));
            }
            if let Some(maximum) = limits.maximum.filter(|maximum| number > *maximum) {
                out.push(Diagnostic::error(
                    at.pointer(flow),
                    SchemaProblem::AboveMaximum { property: name(), maximum },
                ));
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{C0, C1, expect_each as expect, screen};
    use super::*;
    use crate::diagnostic::Code;
    use serde_json::json;

    #[test]
    fn characters_items_and_ranges() {
        let long = "x".repeat(81);
        let options: Vec<_> = (0..21).map(|i| json!({"id": i.to_string(), "title": "T"})).collect();
        let flow = screen(
            "7.3",
            json!([{"type": "TextHeading", "text": long},
                   {"type": "CheckboxGroup", "name": "c", "label": "C", "data-source": options, "max-selected-items": 1},
                   {"type": "PhotoPicker", "name": "p", "label": "P", "max-file-size-kb": 30000},
                   {"type": "TextBody", "text": ["ok", "y".repeat(4097)]},
                   {"type": "TextHeading", "text": "${data.long_text_is_fine_when_it_is_a_binding_even_past_eighty_characters_x}"}]),
        );
        expect(
            check,
            &flow,
            &[
                (Code::MaxCharsRequired, &format!("{C0}/text")),
                (Code::MaxItemsRequired, &format!("{C1}/data-source")),
                (Code::MinimumValueRequired, &format!("{C1}/max-selected-items")),
                (Code::MaximumValueRequired, "/screens/0/layout/children/2/max-file-size-kb"),
                (Code::MaxCharsRequired, "/screens/0/layout/children/3/text/1"),
            ],
        );
    }

    #[test]
    fn images_over_the_recommended_size_are_warnings() {
        let kilobytes = |size: usize| "A".repeat((size * 1024).div_ceil(3) * 4);
        let flow = screen(
            "7.3",
            json!([{"type": "Image", "src": kilobytes(301)}, {"type": "Image", "src": kilobytes(300)}]),
        );
        expect(check, &flow, &[(Code::InvalidPropertyValue, &format!("{C0}/src"))]);
    }

    #[test]
    fn empty_if_branch_and_large_item_images() {
        let big = "A".repeat(140 * 1024);
        let flow = screen(
            "7.3",
            json!([{"type": "If", "condition": "${data.a}", "then": []},
                   {"type": "RadioButtonsGroup", "name": "r", "label": "R", "data-source": [{"id": "a", "title": "A", "image": big}]}]),
        );
        expect(
            check,
            &flow,
            &[
                (Code::InvalidPropertyValue, &format!("{C0}/then")),
                (Code::InvalidPropertyValue, &format!("{C1}/data-source/0/image")),
            ],
        );
    }
}
