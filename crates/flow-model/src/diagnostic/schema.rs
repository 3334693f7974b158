//! Problems of a property's presence, type, format and limits, as Meta's schemas state them (§4).
use std::fmt;

use super::List;
use crate::version::Version;

family! {
    /// Problems of a property's presence, type, format and limits, as Meta's schemas state them (§4).
    pub enum SchemaProblem in Schema {
        /// A property the schema does not have (Meta's schemas are closed).
        UnknownProperty {
            /// The property.
            property: String,
            /// What it is in: `TextInput` component, screen, flow, action, ….
            owner: Owner,
            /// The first version with the property, when it exists in a later one.
            since: Option<Version>,
            /// The property exists but only outside a Form (`init-value`, `error-message`).
            inside_form: bool,
        } => Code::InvalidPropertyKey, |f| {
            write!(f, "Property '{property}' is not allowed in {owner}.")?;
            if *inside_form {
                f.write_str(" Inside a Form, use the Form's 'init-values' and 'error-messages'.")?;
            } else if let Some(since) = since {
                write!(f, " It is available from Flow JSON version {since}.")?;
            }
            Ok(())
        };
        /// A required property is missing.
        MissingProperty {
            /// The property.
            property: String,
        } => Code::MissingRequiredProperty, |f| {
            write!(f, "Required property '{property}' is missing.")
        };
        /// A property is required because of another one.
        RequiredFor {
            /// The missing property.
            property: &'static str,
            /// What needs it, e.g. `data_exchange action`, `property 'data_api_version'`.
            needed_by: &'static str,
        } => Code::MissingRequiredProperty, |f| {
            write!(f, "The property '{property}' is required for {needed_by}.")
        };
        /// A value of the wrong JSON type.
        WrongType {
            /// The property.
            property: String,
            /// The expected type.
            expected: &'static str,
            /// The type found.
            found: &'static str,
        } => Code::InvalidPropertyType, |f| {
            write!(f, "Expected property '{property}' to be of type '{expected}' but found '{found}'.")
        };
        /// A string where a boolean or number is expected that is not a binding either.
        NotDynamicFormat {
            /// The property.
            property: String,
            /// The expected type.
            expected: &'static str,
        } => Code::PatternMismatch, |f| {
            write!(f, "Property '{property}' should be of type '{expected}' or have dynamic data format.")
        };
        /// A property that must be a binding (e.g. Switch `value`) is not one.
        BindingRequired {
            /// The property.
            property: String,
        } => Code::PatternMismatch, |f| {
            write!(
                f,
                "Property '{property}' should have dynamic data format, e.g. ${{data.field}} or ${{form.name}}."
            )
        };
        /// A string that is not one of the allowed values.
        NotInEnum {
            /// The property.
            property: String,
            /// The allowed values.
            allowed: &'static [&'static str],
        } => Code::InvalidEnumValue, |f| {
            write!(f, "Invalid value found for property '{property}'. Value should be one of: {}.", List(allowed))
        };
        /// A string over its character limit.
        TooLong {
            /// The property.
            property: String,
            /// The limit.
            max: u32,
            /// The length found.
            found: usize,
        } => Code::MaxCharsRequired, |f| {
            write!(
                f,
                "Property '{property}' should have at most '{max}' characters but has {found}."
            )
        };
        /// A string over the character limit Meta documents, where Meta's own examples go over it
        /// too (a warning).
        LongerThanDocumented {
            /// The property.
            property: String,
            /// The documented limit.
            max: u32,
            /// The length found.
            found: usize,
        } => Code::MaxCharsRequired, |f| {
            write!(
                f,
                "Property '{property}' has {found} characters, more than the {max} Meta's documentation gives: phones may cut it short. Meta's own examples go over it, so publishing is not blocked."
            )
        };
        /// An array with too few items.
        TooFewItems {
            /// The property.
            property: String,
            /// The minimum.
            min: u32,
        } => Code::MinItemsRequired, |f| {
            write!(f, "Property '{property}' should have at least '{min}' items.")
        };
        /// An array with too many items.
        TooManyItems {
            /// The property.
            property: String,
            /// The maximum.
            max: u32,
        } => Code::MaxItemsRequired, |f| {
            write!(f, "Property '{property}' should have at most '{max}' items.")
        };
        /// A list of components that must not be empty.
        EmptyComponents {
            /// The property.
            property: String,
        } => Code::InvalidPropertyValue, |f| {
            write!(f, "Expected array to contain at least one component in property '{property}'.")
        };
        /// A number under its minimum.
        BelowMinimum {
            /// The property.
            property: String,
            /// The minimum.
            minimum: f64,
        } => Code::MinimumValueRequired, |f| {
            write!(f, "The minimum value allowed for property '{property}' is {}.", crate::number::format(*minimum))
        };
        /// A number over its maximum.
        AboveMaximum {
            /// The property.
            property: String,
            /// The maximum.
            maximum: f64,
        } => Code::MaximumValueRequired, |f| {
            write!(f, "The maximum value allowed for property '{property}' is {}.", crate::number::format(*maximum))
        };
        /// An empty or blank string (6.0+, titles 5.0+).
        Blank {
            /// The property.
            property: String,
        } => Code::PatternMismatch, |f| {
            write!(f, "Property '{property}' should not be blank or an empty string.")
        };
        /// An input `name` written as a binding or an expression (6.0+).
        DynamicName {
            /// The property.
            property: String,
        } => Code::PatternMismatch, |f| {
            write!(
                f,
                "Property '{property}' should not be dynamic data or enclosed in backticks: names are fixed."
            )
        };
        /// A string not in the format the property takes.
        InvalidFormat {
            /// The property.
            property: String,
            /// The format, e.g. `YYYY-MM-DD`, `uri`, `regex`.
            format: &'static str,
        } => Code::InvalidPropertyValueFormat, |f| {
            write!(f, "Property '{property}' should be in '{format}' format.")
        };
        /// A value that does not match a pattern.
        PatternMismatch {
            /// The property (or key) concerned.
            property: String,
            /// The pattern.
            pattern: &'static str,
        } => Code::PatternMismatch, |f| {
            write!(f, "Property '{property}' should match the pattern '{pattern}'.")
        };
        /// `pattern` of a TextInput is not a valid JavaScript regular expression.
        InvalidRegex {
            /// Why, as the regex engine says it.
            reason: String,
        } => Code::InvalidPropertyValueFormat, |f| {
            write!(f, "Property 'pattern' should be in 'regex' format: {reason}.")
        };
        /// An image that is not base64.
        InvalidBase64 => Code::InvalidPropertyValue, |f| {
            f.write_str("Image source is not in a valid base64 format.")
        };
        /// A base64 image larger than its limit.
        ImageTooLarge {
            /// The limit in kilobytes.
            max_kilobytes: u32,
            /// The decoded size in kilobytes.
            found_kilobytes: usize,
        } => Code::InvalidPropertyValue, |f| {
            write!(
                f,
                "The image is {found_kilobytes} KB but at most {max_kilobytes} KB is allowed."
            )
        };
        /// A `null` in an action payload: Flow data has no null.
        NullValue => Code::InvalidPropertyValue, |f| {
            f.write_str(
                "Flows reject null values: omit the key, or send an empty value ('', 0, false, [] or {}).",
            )
        };
        /// A base64 image in a format WhatsApp may not show (not PNG or JPEG).
        ImageFormat {
            /// The property.
            property: &'static str,
            /// The format found.
            format: &'static str,
        } => Code::InvalidPropertyValue, |f| {
            write!(
                f,
                "The image in '{property}' is {format}, but Flow images are JPEG or PNG: WebP is not shown on iPhones before iOS 14, and other formats may not be shown at all. Convert it to PNG or JPEG."
            )
        };
        /// A base64 image larger than Meta recommends (accepted, but slow to load).
        ImageOverRecommended {
            /// The recommended size in kilobytes.
            recommended_kilobytes: u32,
            /// The decoded size in kilobytes.
            found_kilobytes: usize,
        } => Code::InvalidPropertyValue, |f| {
            write!(
                f,
                "The image is {found_kilobytes} KB; Meta recommends at most {recommended_kilobytes} KB. Large images make the screen slow to open: shrink or compress it."
            )
        };
    }
}

/// What a problem sits in, for messages: `Property 'x' is not allowed in {owner}.`
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Owner {
    /// The root object.
    Flow,
    /// A screen.
    Screen,
    /// A screen's `layout`.
    Layout,
    /// A component of this type.
    Component(String),
    /// An object inside a component's property (e.g. a data-source item).
    Part {
        /// The property holding the object.
        property: String,
        /// The component type.
        component: String,
    },
    /// An action with this name.
    Action(String),
    /// The `next` of a navigate action.
    Next,
}

impl fmt::Display for Owner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Owner::Flow => f.write_str("the Flow JSON root"),
            Owner::Screen => f.write_str("a screen"),
            Owner::Layout => f.write_str("'layout'"),
            Owner::Component(component) => write!(f, "'{component}' component"),
            Owner::Part { property, component } => write!(f, "'{property}' of '{component}' component"),
            Owner::Action(name) => write!(f, "'{name}' action"),
            Owner::Next => f.write_str("'next' of a navigate action"),
        }
    }
}
