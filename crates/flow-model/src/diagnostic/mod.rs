//! Diagnostics: what is wrong with a flow, where, and how Meta names it. The problems come in
//! families, one file each (`json`, `flow`, `schema`, `screens`, `components`, `data`,
//! `actions`, `routing`), where each problem's fields, code and message are written side by
//! side ([`family!`]).
use std::fmt;

use crate::version::Version;

/// Defines [`Code`] with Meta's code names (§8.2 of the Flow JSON reference) in one list.
macro_rules! codes {
    ($($variant:ident => $name:literal,)*) => {
        /// Meta's name for a kind of problem, as its Flows API returns it in `validation_errors[].error`.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum Code {
            $(
                #[doc = concat!("`", $name, "`")]
                $variant,
            )*
        }

        impl Code {
            /// Every code, in declaration order.
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            /// The code as Meta writes it, e.g. `INVALID_PROPERTY_VALUE`.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Code::$variant => $name,)*
                }
            }

            /// The code for Meta's name, e.g. from a `validation_errors[].error` field.
            pub fn from_name(name: &str) -> Option<Code> {
                match name {
                    $($name => Some(Code::$variant),)*
                    _ => None,
                }
            }
        }
    };
}

codes! {
    InvalidFlowJson => "INVALID_FLOW_JSON",
    MissingFlowJsonVersion => "MISSING_FLOW_JSON_VERSION",
    InvalidFlowJsonVersion => "INVALID_FLOW_JSON_VERSION",
    UnsupportedFlowJsonVersion => "UNSUPPORTED_FLOW_JSON_VERSION",
    UnavailableFlowJsonVersion => "UNAVAILABLE_FLOW_JSON_VERSION",
    InvalidFlowJsonVersionState => "INVALID_FLOW_JSON_VERSION_STATE",
    InvalidDataApiVersion => "INVALID_DATA_API_VERSION",
    NoSupportedDataApiVersion => "NO_SUPPORTED_DATA_API_VERSION",
    InvalidPropertyKey => "INVALID_PROPERTY_KEY",
    InvalidPropertyValue => "INVALID_PROPERTY_VALUE",
    InvalidPropertyType => "INVALID_PROPERTY_TYPE",
    InvalidPropertyValueFormat => "INVALID_PROPERTY_VALUE_FORMAT",
    MissingRequiredProperty => "MISSING_REQUIRED_PROPERTY",
    MissingRequiredTypeProperty => "MISSING_REQUIRED_TYPE_PROPERTY",
    MinItemsRequired => "MIN_ITEMS_REQUIRED",
    MaxItemsRequired => "MAX_ITEMS_REQUIRED",
    MinCharsRequired => "MIN_CHARS_REQUIRED",
    MaxCharsRequired => "MAX_CHARS_REQUIRED",
    MinimumValueRequired => "MINIMUM_VALUE_REQUIRED",
    MaximumValueRequired => "MAXIMUM_VALUE_REQUIRED",
    PatternMismatch => "PATTERN_MISMATCH",
    InvalidEnumValue => "INVALID_ENUM_VALUE",
    InvalidDependencies => "INVALID_DEPENDENCIES",
    NotKeywordSchemaValidationFailed => "NOT_KEYWORD_SCHEMA_VALIDATION_FAILED",
    OneOfSchemaValidationFailed => "ONE_OF_SCHEMA_VALIDATION_FAILED",
    InvalidOneOfSchema => "INVALID_ONE_OF_SCHEMA",
    KeywordOneOf => "KEYWORD_ONE_OF",
    InvalidTypePropertyValue => "INVALID_TYPE_PROPERTY_VALUE",
    PropertyNameMismatch => "PROPERTY_NAME_MISMATCH",
    NoSchemaFound => "NO_SCHEMA_FOUND",
    InvalidSchema => "INVALID_SCHEMA",
    InvalidType => "INVALID_TYPE",
    InvalidRoutingModel => "INVALID_ROUTING_MODEL",
    InvalidNavigateActionPayload => "INVALID_NAVIGATE_ACTION_PAYLOAD",
    MissingNavigationActionPayload => "MISSING_NAVIGATION_ACTION_PAYLOAD",
    InvalidNavigateActionStaticData => "INVALID_NAVIGATE_ACTION_STATIC_DATA",
    InvalidNavigateActionNextScreenName => "INVALID_NAVIGATE_ACTION_NEXT_SCREEN_NAME",
    InvalidUpdateDataActionPayload => "INVALID_UPDATE_DATA_ACTION_PAYLOAD",
    InvalidOnClickActionPayload => "INVALID_ON_CLICK_ACTION_PAYLOAD",
    InvalidActionPayloadProperty => "INVALID_ACTION_PAYLOAD_PROPERTY",
    InvalidCompleteAction => "INVALID_COMPLETE_ACTION",
    InvalidScreenData => "INVALID_SCREEN_DATA",
    InvalidScreenDynamicData => "INVALID_SCREEN_DYNAMIC_DATA",
    InvalidTextDynamicData => "INVALID_TEXT_DYNAMIC_DATA",
    MaxAllowedComponentsPerScreen => "MAX_ALLOWED_COMPONENTS_PER_SCREEN",
    ComponentTypeMaxNumberPerScreen => "COMPONENT_TYPE_MAX_NUMBER_PER_SCREEN",
    MaxScreensNumber => "MAX_SCREENS_NUMBER",
    InvalidRichtextPlacement => "INVALID_RICHTEXT_PLACEMENT",
    InvalidComponentPlacement => "INVALID_COMPONENT_PLACEMENT",
    ScreenIdIsReservedKeyword => "SCREEN_ID_IS_RESERVED_KEYWORD",
    DuplicateScreenIds => "DUPLICATE_SCREEN_IDS",
    MissingTerminalScreen => "MISSING_TERMINAL_SCREEN",
    MissingFooterOnTerminalScreen => "MISSING_FOOTER_ON_TERMINAL_SCREEN",
    DuplicateFormComponentNames => "DUPLICATE_FORM_COMPONENT_NAMES",
    MinValueGreaterThanMax => "MIN_VALUE_GREATER_THAN_MAX",
    ComponentsOutsideForm => "COMPONENTS_OUTSIDE_FORM",
    MissingFooterInIfElseBranches => "MISSING_FOOTER_IN_IF_ELSE_BRANCHES",
    MissingFooterInSwitchBranches => "MISSING_FOOTER_IN_SWITCH_BRANCHES",
    NativeComponentInFormInitValues => "NATIVE_COMPONENT_IN_FORM_INIT_VALUES",
    DataSourceItemsHaveBothImageAndColor => "DATA_SOURCE_ITEMS_HAVE_BOTH_IMAGE_AND_COLOR",
    EmptySwitchCases => "EMPTY_SWITCH_CASES",
    MaximumIfNesting => "MAXIMUM_IF_NESTING",
    InvalidDateRange => "INVALID_DATE_RANGE",
    InvalidMinMaxDays => "INVALID_MIN_MAX_DAYS",
    InvalidDateSingleInitValueFormat => "INVALID_DATE_SINGLE_INIT_VALUE_FORMAT",
    MissingCalendarPickerRangeModeProp => "MISSING_CALENDAR_PICKER_RANGE_MODE_PROP",
    UnexpectedCalendarPickerRangeModeProp => "UNEXPECTED_CALENDAR_PICKER_RANGE_MODE_PROP",
    InvalidSensitiveField => "INVALID_SENSITIVE_FIELD",
    InvalidPropertyNameForCondition => "INVALID_PROPERTY_NAME_FOR_CONDITION",
    InvalidPropertyValueForCondition => "INVALID_PROPERTY_VALUE_FOR_CONDITION",
    // Meta's own spelling.
    DuplicatePropetyForCondition => "DUPLICATE_PROPETY_FOR_CONDITION",
    MissingCartLayout => "MISSING_CART_LAYOUT",
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How bad a diagnostic is: errors block publishing, warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Severity {
    /// Meta would reject the flow (or we are certain it breaks on devices).
    Error,
    /// Allowed, but probably not what the author meant.
    Warning,
}

impl Severity {
    /// `error` or `warning`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// A place in text: byte offset, and 1-based line and column. Columns count Unicode scalar
/// values (characters), not bytes. `\n`, `\r\n` and a lone `\r` each end a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Location {
    /// Byte offset from the start of the text.
    pub offset: usize,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
}

/// A range of text, end exclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Span {
    /// Where the range starts.
    pub start: Location,
    /// Where the range ends (exclusive).
    pub end: Location,
}

/// Defines a family of problems: each problem with its fields, Meta's code for it and its
/// message side by side, so adding a problem is one entry in one place. The code and the
/// message are expressions over the problem's fields (bound by reference); the message writes
/// to the formatter named before it. Each family is a variant of [`Problem`].
macro_rules! family {
    (
        $(#[$meta:meta])*
        pub enum $family:ident in $wrapper:ident {
            $(
                $(#[$variant_meta:meta])*
                $variant:ident $({ $($(#[$field_meta:meta])* $field:ident: $type:ty),* $(,)? })?
                    => $code:expr, |$f:ident| $message:block;
            )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum $family {
            $(
                $(#[$variant_meta])*
                $variant $({ $($(#[$field_meta])* $field: $type),* })?,
            )*
        }

        impl $family {
            /// Meta's code for the problem.
            #[allow(unused_variables)]
            pub fn code(&self) -> $crate::diagnostic::Code {
                use $crate::diagnostic::Code;
                match self {
                    $($family::$variant $({ $($field),* })? => $code,)*
                }
            }
        }

        impl ::std::fmt::Display for $family {
            #[allow(unused_variables)]
            fn fmt(&self, formatter: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                match self {
                    $($family::$variant $({ $($field),* })? => {
                        let $f = &mut *formatter;
                        $message
                    })*
                }
            }
        }

        impl From<$family> for $crate::diagnostic::Problem {
            fn from(problem: $family) -> Self {
                $crate::diagnostic::Problem::$wrapper(problem)
            }
        }
    };
}

mod actions;
mod components;
mod data;
mod flow;
mod json;
mod routing;
mod schema;
mod screens;

pub use actions::ActionProblem;
pub use components::{ComponentProblem, MarkdownFeature};
pub use data::{DataModelProblem, DataProblem};
pub use flow::FlowProblem;
pub use json::{JsonProblem, SyntaxProblem};
pub use routing::RoutingProblem;
pub use schema::{Owner, SchemaProblem};
pub use screens::ScreenProblem;

/// What is wrong, with the facts the message is made from: a problem of one family (one file
/// each under `diagnostic/`). The code and the message both derive from it, so the same
/// problem is always worded the same way.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum Problem {
    /// The text is no JSON we read.
    Json(JsonProblem),
    /// The flow as a whole: versions and root properties.
    Flow(FlowProblem),
    /// A property's presence, type, format or limits.
    Schema(SchemaProblem),
    /// Screens: their number, ids and properties.
    Screen(ScreenProblem),
    /// Components: placement, counts and their own rules.
    Component(ComponentProblem),
    /// Dynamic data: data models, bindings, expressions.
    Data(DataProblem),
    /// Actions: which, where to, what they carry.
    Action(ActionProblem),
    /// The routing model (§7).
    Routing(RoutingProblem),
}

impl Problem {
    /// Meta's code for this problem.
    pub fn code(&self) -> Code {
        match self {
            Problem::Json(problem) => problem.code(),
            Problem::Flow(problem) => problem.code(),
            Problem::Schema(problem) => problem.code(),
            Problem::Screen(problem) => problem.code(),
            Problem::Component(problem) => problem.code(),
            Problem::Data(problem) => problem.code(),
            Problem::Action(problem) => problem.code(),
            Problem::Routing(problem) => problem.code(),
        }
    }
}

/// Two problems are the same when they are of the same kind and say the same: their code and
/// their message carry every fact people are shown. (The editor compares its diagnostics on
/// every change to skip work when they stay the same; a derived comparison of every field of
/// every problem cost its bundle more than this does its time.)
impl PartialEq for Problem {
    fn eq(&self, other: &Self) -> bool {
        std::mem::discriminant(self) == std::mem::discriminant(other)
            && self.code() == other.code()
            && self.to_string() == other.to_string()
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::Json(problem) => problem.fmt(f),
            Problem::Flow(problem) => problem.fmt(f),
            Problem::Schema(problem) => problem.fmt(f),
            Problem::Screen(problem) => problem.fmt(f),
            Problem::Component(problem) => problem.fmt(f),
            Problem::Data(problem) => problem.fmt(f),
            Problem::Action(problem) => problem.fmt(f),
            Problem::Routing(problem) => problem.fmt(f),
        }
    }
}

/// `[a, b, c]`, as Meta writes lists in messages.
pub(super) struct List<'a, T>(&'a [T]);

impl<T: fmt::Display> fmt::Display for List<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[")?;
        for (index, item) in self.0.iter().enumerate() {
            if index > 0 {
                f.write_str(", ")?;
            }
            write!(f, "{item}")?;
        }
        f.write_str("]")
    }
}

/// The publishable versions, for messages.
pub(super) struct Publishable;

impl fmt::Display for Publishable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        List(Version::PUBLISHABLE).fmt(f)
    }
}

pub(super) fn human_size(bytes: usize) -> String {
    const MB: f64 = 1024.0 * 1024.0;
    if bytes >= 1024 * 1024 {
        format!("{} MB ({bytes} bytes)", crate::number::fixed(bytes as f64 / MB, 1))
    } else {
        format!("{bytes} bytes")
    }
}

/// One problem found in a flow: its code, how bad it is, where it is and what it is.
#[derive(Debug, Clone, PartialEq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// JSON Pointer (RFC 6901) to the value concerned; `""` is the whole document.
    pub pointer: String,
    /// The text range, when the document was parsed from text that is still current.
    pub span: Option<Span>,
    /// What is wrong.
    pub problem: Problem,
}

impl Diagnostic {
    /// An error at `pointer`.
    pub fn error(pointer: impl Into<String>, problem: impl Into<Problem>) -> Self {
        Diagnostic { severity: Severity::Error, pointer: pointer.into(), span: None, problem: problem.into() }
    }

    /// A warning at `pointer`.
    pub fn warning(pointer: impl Into<String>, problem: impl Into<Problem>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            pointer: pointer.into(),
            span: None,
            problem: problem.into(),
        }
    }

    /// Meta's code for the problem.
    pub fn code(&self) -> Code {
        self.problem.code()
    }

    /// The message for people, in Meta's wording where known.
    pub fn message(&self) -> String {
        self.problem.to_string()
    }

    /// Whether this diagnostic blocks publishing.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// Whether writing the document back would lose something its text says: a property given
    /// twice in one object keeps only its last value. A warning for Meta's sake, but the
    /// editor and `flowsmith fmt` take no such text, so nothing is lost without a word.
    pub fn is_lossy(&self) -> bool {
        matches!(self.problem, Problem::Json(JsonProblem::DuplicateKey { .. }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_round_trips_through_its_name() {
        for code in Code::ALL {
            assert_eq!(Code::from_name(code.as_str()), Some(*code));
        }
        assert_eq!(Code::from_name("NOT_A_CODE"), None);
    }

    #[test]
    fn size_limit_message_names_the_limit() {
        let message = JsonProblem::TooLarge { size: 11 * 1024 * 1024, limit: 10 * 1024 * 1024 }.to_string();
        assert!(message.contains("11.0 MB") && message.contains("10.0 MB"), "{message}");
    }
}
