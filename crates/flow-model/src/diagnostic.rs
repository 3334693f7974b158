//! Diagnostics: what is wrong with a flow, where, and how Meta names it.
use std::fmt;

use crate::catalog::ActionName;
use crate::expression::ExpressionError;
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

/// Why JSON text could not be read. Each is fatal: no document comes out.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SyntaxProblem {
    /// The text is empty or only whitespace.
    Empty,
    /// The text ends in the middle of a value.
    UnexpectedEnd,
    /// A value was expected (object, array, string, number, true, false or null).
    ExpectedValue,
    /// An object member must start with a double-quoted key.
    ExpectedKey,
    /// A `:` must follow an object key.
    ExpectedColon,
    /// After an object member, a `,` or `}` must follow.
    ExpectedCommaOrObjectEnd,
    /// After an array item, a `,` or `]` must follow.
    ExpectedCommaOrArrayEnd,
    /// A `,` directly before `}` or `]`.
    TrailingComma,
    /// A string without its closing quote.
    UnterminatedString,
    /// A raw control character (below U+0020) inside a string.
    ControlCharacterInString,
    /// A backslash escape JSON does not know.
    InvalidEscape,
    /// A `\u` escape of a lone UTF-16 surrogate, which text cannot hold.
    LoneSurrogate,
    /// A number not written as JSON allows (e.g. `01`, `1.`, `+1`, `.5`).
    InvalidNumber,
    /// A number too large to represent (beyond a 64-bit float).
    NumberOutOfRange,
    /// Something other than whitespace after the top-level value.
    TrailingCharacters,
    /// The characters `true`, `false` or `null` misspelled.
    InvalidLiteral,
}

impl fmt::Display for SyntaxProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            SyntaxProblem::Empty => "the text is empty",
            SyntaxProblem::UnexpectedEnd => "the text ends in the middle of a value",
            SyntaxProblem::ExpectedValue => {
                "expected a value (object, array, string, number, true, false or null)"
            }
            SyntaxProblem::ExpectedKey => "expected a double-quoted property name",
            SyntaxProblem::ExpectedColon => "expected ':' after the property name",
            SyntaxProblem::ExpectedCommaOrObjectEnd => "expected ',' or '}' after the property",
            SyntaxProblem::ExpectedCommaOrArrayEnd => "expected ',' or ']' after the item",
            SyntaxProblem::TrailingComma => "trailing comma: remove the ',' before the closing bracket",
            SyntaxProblem::UnterminatedString => "the string has no closing '\"'",
            SyntaxProblem::ControlCharacterInString => {
                "control character in a string: write it as an escape such as \\n or \\t"
            }
            SyntaxProblem::InvalidEscape => "invalid escape in a string",
            SyntaxProblem::LoneSurrogate => {
                "a \\u escape of a lone UTF-16 surrogate, which is not a character"
            }
            SyntaxProblem::InvalidNumber => "invalid number",
            SyntaxProblem::NumberOutOfRange => "number out of range",
            SyntaxProblem::TrailingCharacters => "unexpected characters after the end of the JSON value",
            SyntaxProblem::InvalidLiteral => "invalid literal: expected true, false or null",
        })
    }
}

/// What is wrong, with the facts the message is made from. The code and the message both
/// derive from it, so the same problem is always worded the same way.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Problem {
    /// The text is not JSON.
    Syntax(SyntaxProblem),
    /// The input is larger than Meta accepts.
    TooLarge {
        /// Size of the input in bytes.
        size: usize,
        /// The limit in bytes.
        limit: usize,
    },
    /// Objects and arrays nest deeper than we read.
    TooDeep {
        /// The maximum nesting depth.
        limit: usize,
    },
    /// The input is not UTF-8 text.
    InvalidUtf8,
    /// The text starts with a UTF-8 byte order mark, which JSON parsers may reject.
    ByteOrderMark,
    /// The same property twice in one object: only the last value is kept.
    DuplicateKey {
        /// The repeated property name.
        key: String,
    },

    /// `version` is missing.
    MissingVersion,
    /// `version` is not a version Meta offers.
    UnknownVersion {
        /// The value as written (JSON for non-strings).
        version: String,
    },
    /// `version` is frozen: the flow loads but cannot be published.
    FrozenVersion {
        /// The version.
        version: Version,
    },
    /// `data_api_version` has a value this Flow JSON version does not accept.
    InvalidDataApiVersion {
        /// The value as written.
        found: String,
        /// The Flow JSON version.
        version: Version,
        /// The values accepted.
        allowed: &'static [&'static str],
    },
    /// `data_channel_uri` is not part of Flow JSON since 3.0.
    DataChannelUri,
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
    },
    /// A required property is missing.
    MissingProperty {
        /// The property.
        property: String,
    },
    /// A property is required because of another one.
    RequiredFor {
        /// The missing property.
        property: &'static str,
        /// What needs it, e.g. `data_exchange action`, `property 'data_api_version'`.
        needed_by: &'static str,
    },
    /// A value of the wrong JSON type.
    WrongType {
        /// The property.
        property: String,
        /// The expected type.
        expected: &'static str,
        /// The type found.
        found: &'static str,
    },
    /// A string where a boolean or number is expected that is not a binding either.
    NotDynamicFormat {
        /// The property.
        property: String,
        /// The expected type.
        expected: &'static str,
    },
    /// A property that must be a binding (e.g. Switch `value`) is not one.
    BindingRequired {
        /// The property.
        property: String,
    },
    /// A string that is not one of the allowed values.
    NotInEnum {
        /// The property.
        property: String,
        /// The allowed values.
        allowed: &'static [&'static str],
    },
    /// A string over its character limit.
    TooLong {
        /// The property.
        property: String,
        /// The limit.
        max: u32,
        /// The length found.
        found: usize,
    },
    /// A string over the character limit Meta documents, where Meta's own examples go over it
    /// too (a warning).
    LongerThanDocumented {
        /// The property.
        property: String,
        /// The documented limit.
        max: u32,
        /// The length found.
        found: usize,
    },
    /// An array with too few items.
    TooFewItems {
        /// The property.
        property: String,
        /// The minimum.
        min: u32,
    },
    /// An array with too many items.
    TooManyItems {
        /// The property.
        property: String,
        /// The maximum.
        max: u32,
    },
    /// A list of components that must not be empty.
    EmptyComponents {
        /// The property.
        property: String,
    },
    /// A number under its minimum.
    BelowMinimum {
        /// The property.
        property: String,
        /// The minimum.
        minimum: f64,
    },
    /// A number over its maximum.
    AboveMaximum {
        /// The property.
        property: String,
        /// The maximum.
        maximum: f64,
    },
    /// An empty or blank string (6.0+, titles 5.0+).
    Blank {
        /// The property.
        property: String,
    },
    /// An input `name` written as a binding or an expression (6.0+).
    DynamicName {
        /// The property.
        property: String,
    },
    /// A string not in the format the property takes.
    InvalidFormat {
        /// The property.
        property: String,
        /// The format, e.g. `YYYY-MM-DD`, `uri`, `regex`.
        format: &'static str,
    },
    /// A value that does not match a pattern.
    PatternMismatch {
        /// The property (or key) concerned.
        property: String,
        /// The pattern.
        pattern: &'static str,
    },
    /// `pattern` of a TextInput is not a valid JavaScript regular expression.
    InvalidRegex {
        /// Why, as the regex engine says it.
        reason: String,
    },
    /// An image that is not base64.
    InvalidBase64,
    /// A base64 image larger than its limit.
    ImageTooLarge {
        /// The limit in kilobytes.
        max_kilobytes: u32,
        /// The decoded size in kilobytes.
        found_kilobytes: usize,
    },
    /// A `null` in an action payload: Flow data has no null.
    NullValue,
    /// A base64 image in a format WhatsApp may not show (not PNG or JPEG).
    ImageFormat {
        /// The property.
        property: &'static str,
        /// The format found.
        format: &'static str,
    },
    /// A base64 image larger than Meta recommends (accepted, but slow to load).
    ImageOverRecommended {
        /// The recommended size in kilobytes.
        recommended_kilobytes: u32,
        /// The decoded size in kilobytes.
        found_kilobytes: usize,
    },
    /// `screens` has more than 100 screens.
    TooManyScreens {
        /// How many.
        found: usize,
    },
    /// A screen id with characters other than letters and underscores.
    ScreenIdPattern {
        /// The id.
        id: String,
        /// 7.0+: not only underscores, and no commas.
        strict: bool,
    },
    /// `SUCCESS` (any case) is reserved.
    ReservedScreenId {
        /// The id as written.
        id: String,
    },
    /// Two screens with one id.
    DuplicateScreenId {
        /// The id.
        id: String,
    },
    /// `success` on a screen that is not terminal.
    SuccessOnlyOnTerminal,
    /// Every terminal screen has `success: false`.
    NoSuccessfulTerminal,
    /// `refresh_on_back: true` in a flow without `data_api_version`.
    RefreshOnBackWithoutEndpoint,
    /// A `sensitive` entry that names no component of the screen.
    InvalidSensitiveField {
        /// The entry.
        field: String,
    },
    /// No screen is terminal.
    MissingTerminalScreen,
    /// A terminal screen without a Footer.
    MissingFooterOnTerminal {
        /// The screen id.
        screen: String,
    },
    /// The Footer of a terminal screen does not end the flow (7.3+).
    TerminalFooterAction {
        /// The action found.
        found: String,
        /// Whether the flow has an endpoint (then data_exchange is allowed too).
        endpoint: bool,
    },
    /// A `type` that is no component.
    UnknownComponent {
        /// The type as written.
        found: String,
    },
    /// A component newer than the flow's version.
    ComponentTooNew {
        /// The component.
        component: &'static str,
        /// The first version with it.
        since: Version,
        /// The flow's version.
        version: Version,
    },
    /// A component in a list it may not sit in.
    NotAllowedIn {
        /// The component.
        component: &'static str,
        /// The container, e.g. `Form`, `Switch`, `nested If`.
        parent: &'static str,
    },
    /// Before 4.0, inputs sit inside a Form.
    InputOutsideForm {
        /// The component.
        component: &'static str,
    },
    /// More than 50 components on a screen.
    TooManyComponents {
        /// The limit.
        max: u32,
        /// How many.
        found: usize,
    },
    /// More of one component type on a screen than allowed.
    TooManyOfType {
        /// The component type(s), e.g. `Footer`, `PhotoPicker or DocumentPicker`.
        component: String,
        /// The limit.
        max: u32,
        /// How many (the most over If/Switch branches).
        found: usize,
    },
    /// More of one component type in the flow than allowed.
    TooManyInFlow {
        /// The component type.
        component: &'static str,
        /// The limit.
        max: u32,
        /// How many.
        found: usize,
    },
    /// RichText shares its screen.
    RichTextPlacement {
        /// 6.3+: a Footer may stay.
        footer_allowed: bool,
        /// Before 6.0 Meta names this INVALID_RICHTEXT_PLACEMENT.
        legacy: bool,
    },
    /// NavigationList on a terminal screen, or beside other components.
    NavigationListPlacement {
        /// On a terminal screen (else: beside other components).
        terminal: bool,
    },
    /// An input outside the screen's Form.
    ComponentOutsideForm {
        /// The component.
        component: String,
    },
    /// A Footer outside the Form reads `${form.…}`.
    FooterOutsideFormReadsForm,
    /// Two inputs of one screen with one name.
    DuplicateName {
        /// The name.
        name: String,
    },
    /// Form `init-values` for a media picker.
    NativeInInitValues {
        /// The picker's name.
        name: String,
    },
    /// A Form `init-values` / `error-messages` key that names no input of the Form (7.0+).
    UnusedFormValue {
        /// The key.
        key: String,
        /// `init-values` or `error-messages`.
        property: &'static str,
    },
    /// A minimum greater than its maximum.
    MinGreaterThanMax {
        /// The minimum's property.
        min: &'static str,
        /// The maximum's property.
        max: &'static str,
        /// The component type.
        component: &'static str,
        /// The component's name.
        name: String,
    },
    /// Footer `left-caption` without `right-caption` or the other way round.
    CaptionDependency {
        /// The caption present.
        present: &'static str,
        /// The caption missing.
        missing: &'static str,
    },
    /// Footer `center-caption` together with `left-caption` / `right-caption`.
    CenterCaptionExclusive,
    /// Data-source items mixing images and colors.
    ImageAndColor,
    /// An action set both on the component and on its items.
    ActionAtBothLevels {
        /// The action property.
        event: &'static str,
    },
    /// NavigationList without `on-click-action` on the list or on every item.
    NavigationListActionMissing,
    /// NavigationList item `end` with `media-size: large`.
    EndWithLargeMedia,
    /// More than one NavigationList item with a badge.
    MultipleBadges,
    /// TextInput `pattern` with an `input-type` it does not apply to.
    PatternInputType {
        /// The input type.
        input_type: String,
    },
    /// A CalendarPicker property that exists only in range mode.
    RangeModeOnly {
        /// The property.
        property: &'static str,
    },
    /// A CalendarPicker property in the other mode's shape.
    CalendarModeShape {
        /// The property.
        property: &'static str,
        /// Range mode (object expected) or single mode (object not allowed).
        range: bool,
    },
    /// `min-days` greater than `max-days`.
    MinMaxDays,
    /// A date range that ends before it starts, or a date outside the allowed range.
    DateRange {
        /// The property.
        property: String,
    },
    /// A DatePicker before 5.0: its millisecond timestamps are read in the phone's time zone.
    TimeZoneUnsafeDatePicker {
        /// The flow's version.
        version: Version,
    },
    /// An `init-value` that is not a date in the expected format.
    InitDateFormat {
        /// The expected format.
        format: &'static str,
    },
    /// If inside If more than 3 levels deep.
    IfNesting,
    /// A Footer in one branch of an If but not the other.
    FooterInIfBranches,
    /// A Footer in some cases of a Switch but not all.
    FooterInSwitchCases,
    /// A Switch without cases.
    EmptySwitchCases,
    /// A problem with a field of a screen's data model.
    ScreenData {
        /// The field (dotted path inside the model).
        field: String,
        /// What is wrong.
        problem: DataModelProblem,
    },
    /// A `${data.…}` the screen's data model does not declare.
    MissingDynamicData {
        /// The binding.
        reference: String,
        /// The screen id.
        screen: String,
        /// In an action payload (Meta names it differently).
        in_payload: bool,
    },
    /// A binding whose declared type does not fit where it is used.
    DynamicDataType {
        /// The binding.
        reference: String,
        /// The types that would fit.
        expected: String,
        /// The declared type.
        found: String,
    },
    /// A list of items bound to data whose declared item schema lacks a property the
    /// component's items need.
    ItemSchemaMissing {
        /// The binding.
        reference: String,
        /// The item property (dotted path).
        property: String,
    },
    /// A list of items bound to data whose item schema declares a property the items need
    /// with another type.
    ItemSchemaType {
        /// The binding.
        reference: String,
        /// The item property (dotted path).
        property: String,
        /// The type the component needs.
        expected: &'static str,
        /// The declared type.
        found: String,
    },
    /// An `__example__` item of a bound list without a property the component's items need.
    ExampleItemIncomplete {
        /// The binding.
        reference: String,
        /// The component.
        component: &'static str,
        /// The item property (dotted path).
        property: String,
    },
    /// A data model field or input name with a character Meta advises against (`-`, space,
    /// backtick, `'`).
    FieldNameCharacters {
        /// The name.
        name: String,
        /// The name with those characters replaced by `_`.
        suggestion: String,
    },
    /// A component's `on-select-action` in 6.0 to 6.3, where it also runs when the screen opens.
    SelectActionOnRender {
        /// The flow's version.
        version: Version,
    },
    /// Markdown the component shows as written, or not at all.
    UnsupportedMarkdown {
        /// The component.
        component: &'static str,
        /// What it does not render.
        feature: MarkdownFeature,
    },
    /// A binding that reads into an array's item schema.
    ArrayDereference {
        /// The binding.
        reference: String,
    },
    /// A `${form.…}` that names no input of the screen.
    MissingFormComponent {
        /// The binding.
        reference: String,
        /// The screen id.
        screen: String,
        /// In an action payload.
        in_payload: bool,
    },
    /// A `${form.…}` naming the Form itself.
    FormContainerReference,
    /// A `${screen.X…}` whose screen does not exist.
    UnknownScreenReference {
        /// The binding.
        reference: String,
        /// The screen id.
        screen: String,
    },
    /// A `${screen.X…}` that names the current screen.
    SelfScreenReference {
        /// The binding.
        reference: String,
    },
    /// A `${screen.X…}` in a version before global references (4.0).
    GlobalReferenceTooOld {
        /// The binding.
        reference: String,
        /// The flow's version.
        version: Version,
    },
    /// A string that mixes text and a binding: shown literally, not filled in.
    MixedBinding {
        /// The property.
        property: String,
        /// The value rewritten as a nested expression (6.0+).
        suggestion: Option<String>,
        /// In RichText Meta rejects it.
        rich_text: bool,
    },
    /// A nested expression before 6.0: shown literally.
    ExpressionTooOld {
        /// The property.
        property: String,
    },
    /// `${…}` that is not a valid binding.
    InvalidBinding {
        /// The text.
        text: String,
    },
    /// A nested expression or condition that does not parse or type-check.
    Expression {
        /// The property.
        property: String,
        /// What is wrong.
        error: ExpressionError,
    },
    /// An action a property does not accept (in this version).
    ActionNotAllowed {
        /// The action as written.
        action: String,
        /// The property, e.g. `on-click-action`.
        event: &'static str,
        /// The component (or `data-source item`).
        owner: String,
        /// The actions accepted.
        allowed: Vec<ActionName>,
    },
    /// A navigate action to a screen that does not exist.
    UnknownNextScreen {
        /// The id.
        id: String,
    },
    /// A navigate action to its own screen.
    SameScreenNavigation {
        /// The id.
        id: String,
    },
    /// Navigate payload fields the next screen does not declare.
    PayloadFieldsNotInDataModel {
        /// The fields.
        fields: Vec<String>,
    },
    /// Next screen data model fields the navigate payload does not give.
    DataModelFieldsNotInPayload {
        /// The fields.
        fields: Vec<String>,
    },
    /// A navigate action without payload to a screen with a data model.
    MissingNavigatePayload {
        /// The next screen.
        screen: String,
    },
    /// A navigate payload value whose type differs from the next screen's declaration.
    NavigatePayloadType {
        /// The field.
        field: String,
        /// The declared type.
        expected: String,
        /// The type given.
        found: String,
    },
    /// A media picker value in a navigate payload.
    MediaInNavigatePayload,
    /// A media picker value nested inside a payload value.
    MediaNotTopLevel,
    /// The pickers of a complete payload allow more files or bytes than a message carries.
    MediaPayloadTooLarge {
        /// Files allowed by the pickers.
        files: u64,
        /// Kilobytes allowed by the pickers (sum of their max-file-size-kb).
        kilobytes: u64,
    },
    /// `complete` on a screen that is not terminal.
    CompleteNotTerminal,
    /// `update_data` on a screen without data model.
    UpdateDataNoDataModel {
        /// The screen id.
        screen: String,
    },
    /// `update_data` keys the screen's data model does not declare.
    UpdateDataUnknownFields {
        /// The screen id.
        screen: String,
        /// The keys.
        fields: Vec<String>,
    },
    /// `update_data` setting a key to its own value.
    UpdateDataSelf,
    /// A binding in a payload expression that does not resolve (7.2+).
    PayloadPropertyMissing {
        /// The binding.
        reference: String,
    },
    /// A routing model problem (§7).
    Routing(RoutingProblem),
}

impl Problem {
    /// Meta's code for this problem.
    pub fn code(&self) -> Code {
        match self {
            Problem::Syntax(_)
            | Problem::TooLarge { .. }
            | Problem::TooDeep { .. }
            | Problem::InvalidUtf8
            | Problem::ByteOrderMark
            | Problem::DuplicateKey { .. } => Code::InvalidFlowJson,
            Problem::MissingVersion => Code::MissingFlowJsonVersion,
            Problem::UnknownVersion { .. } => Code::InvalidFlowJsonVersion,
            Problem::FrozenVersion { .. } => Code::UnsupportedFlowJsonVersion,
            Problem::InvalidDataApiVersion { .. } => Code::InvalidDataApiVersion,
            Problem::DataChannelUri | Problem::UnknownProperty { .. } => Code::InvalidPropertyKey,
            Problem::MissingProperty { .. }
            | Problem::RequiredFor { .. }
            | Problem::NavigationListActionMissing => Code::MissingRequiredProperty,
            Problem::WrongType { .. } => Code::InvalidPropertyType,
            Problem::NotDynamicFormat { .. }
            | Problem::BindingRequired { .. }
            | Problem::Blank { .. }
            | Problem::DynamicName { .. }
            | Problem::PatternMismatch { .. }
            | Problem::ScreenIdPattern { .. }
            | Problem::InvalidBinding { .. }
            | Problem::FieldNameCharacters { .. } => Code::PatternMismatch,
            Problem::NotInEnum { .. } | Problem::ActionNotAllowed { .. } => Code::InvalidEnumValue,
            Problem::TooLong { .. } | Problem::LongerThanDocumented { .. } => Code::MaxCharsRequired,
            Problem::TooFewItems { .. } => Code::MinItemsRequired,
            Problem::TooManyItems { .. } => Code::MaxItemsRequired,
            Problem::BelowMinimum { .. } => Code::MinimumValueRequired,
            Problem::AboveMaximum { .. } => Code::MaximumValueRequired,
            Problem::InvalidFormat { .. } | Problem::InvalidRegex { .. } => Code::InvalidPropertyValueFormat,
            Problem::EmptyComponents { .. }
            | Problem::InvalidBase64
            | Problem::ImageTooLarge { .. }
            | Problem::ImageOverRecommended { .. }
            | Problem::ImageFormat { .. }
            | Problem::NullValue
            | Problem::UnsupportedMarkdown { .. }
            | Problem::SelectActionOnRender { .. }
            | Problem::NoSuccessfulTerminal
            | Problem::RefreshOnBackWithoutEndpoint
            | Problem::TerminalFooterAction { .. }
            | Problem::UnknownComponent { .. }
            | Problem::ComponentTooNew { .. }
            | Problem::TooManyInFlow { .. }
            | Problem::UnusedFormValue { .. }
            | Problem::MultipleBadges
            | Problem::PatternInputType { .. }
            | Problem::Expression { .. } => Code::InvalidPropertyValue,
            Problem::TooManyScreens { .. } => Code::MaxScreensNumber,
            Problem::ReservedScreenId { .. } => Code::ScreenIdIsReservedKeyword,
            Problem::DuplicateScreenId { .. } => Code::DuplicateScreenIds,
            Problem::SuccessOnlyOnTerminal | Problem::CenterCaptionExclusive => {
                Code::NotKeywordSchemaValidationFailed
            }
            Problem::InvalidSensitiveField { .. } => Code::InvalidSensitiveField,
            Problem::MissingTerminalScreen => Code::MissingTerminalScreen,
            Problem::MissingFooterOnTerminal { .. } => Code::MissingFooterOnTerminalScreen,
            Problem::NotAllowedIn { .. } | Problem::NavigationListPlacement { .. } => {
                Code::InvalidComponentPlacement
            }
            Problem::RichTextPlacement { legacy: true, .. } => Code::InvalidRichtextPlacement,
            Problem::RichTextPlacement { legacy: false, .. } => Code::InvalidComponentPlacement,
            Problem::InputOutsideForm { .. } => Code::KeywordOneOf,
            Problem::TooManyComponents { .. } => Code::MaxAllowedComponentsPerScreen,
            Problem::TooManyOfType { .. } => Code::ComponentTypeMaxNumberPerScreen,
            Problem::ComponentOutsideForm { .. } => Code::ComponentsOutsideForm,
            Problem::FooterOutsideFormReadsForm
            | Problem::MissingFormComponent { in_payload: true, .. }
            | Problem::MissingDynamicData { in_payload: true, .. }
            | Problem::FormContainerReference
            | Problem::MediaInNavigatePayload
            | Problem::MediaNotTopLevel
            | Problem::MediaPayloadTooLarge { .. } => Code::InvalidOnClickActionPayload,
            Problem::DuplicateName { .. } => Code::DuplicateFormComponentNames,
            Problem::NativeInInitValues { .. } => Code::NativeComponentInFormInitValues,
            Problem::MinGreaterThanMax { .. } => Code::MinValueGreaterThanMax,
            Problem::CaptionDependency { .. } => Code::InvalidDependencies,
            Problem::ImageAndColor => Code::DataSourceItemsHaveBothImageAndColor,
            Problem::ActionAtBothLevels { .. } => Code::DuplicatePropetyForCondition,
            Problem::EndWithLargeMedia | Problem::RangeModeOnly { .. } => {
                Code::InvalidPropertyNameForCondition
            }
            Problem::CalendarModeShape { range: true, .. } => Code::MissingCalendarPickerRangeModeProp,
            Problem::CalendarModeShape { range: false, .. } => Code::UnexpectedCalendarPickerRangeModeProp,
            Problem::MinMaxDays => Code::InvalidMinMaxDays,
            Problem::DateRange { .. } => Code::InvalidDateRange,
            Problem::TimeZoneUnsafeDatePicker { .. } => Code::InvalidPropertyValue,
            Problem::InitDateFormat { .. } => Code::InvalidDateSingleInitValueFormat,
            Problem::IfNesting => Code::MaximumIfNesting,
            Problem::FooterInIfBranches => Code::MissingFooterInIfElseBranches,
            Problem::FooterInSwitchCases => Code::MissingFooterInSwitchBranches,
            Problem::EmptySwitchCases => Code::EmptySwitchCases,
            Problem::ScreenData { problem: DataModelProblem::MissingExample, .. } => {
                Code::MissingRequiredProperty
            }
            Problem::ScreenData { .. } => Code::InvalidScreenData,
            Problem::MissingDynamicData { in_payload: false, .. }
            | Problem::MissingFormComponent { in_payload: false, .. }
            | Problem::DynamicDataType { .. }
            | Problem::ArrayDereference { .. }
            | Problem::UnknownScreenReference { .. }
            | Problem::SelfScreenReference { .. }
            | Problem::GlobalReferenceTooOld { .. }
            | Problem::ItemSchemaMissing { .. }
            | Problem::ItemSchemaType { .. } => Code::InvalidScreenDynamicData,
            Problem::ExampleItemIncomplete { .. } => Code::InvalidScreenData,
            Problem::MixedBinding { .. } | Problem::ExpressionTooOld { .. } => Code::InvalidTextDynamicData,
            Problem::UnknownNextScreen { .. } | Problem::SameScreenNavigation { .. } => {
                Code::InvalidNavigateActionNextScreenName
            }
            Problem::PayloadFieldsNotInDataModel { .. }
            | Problem::DataModelFieldsNotInPayload { .. }
            | Problem::NavigatePayloadType { .. } => Code::InvalidNavigateActionPayload,
            Problem::MissingNavigatePayload { .. } => Code::MissingNavigationActionPayload,
            Problem::CompleteNotTerminal => Code::InvalidCompleteAction,
            Problem::UpdateDataNoDataModel { .. }
            | Problem::UpdateDataUnknownFields { .. }
            | Problem::UpdateDataSelf => Code::InvalidUpdateDataActionPayload,
            Problem::PayloadPropertyMissing { .. } => Code::InvalidActionPayloadProperty,
            Problem::Routing(_) => Code::InvalidRoutingModel,
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::Syntax(problem) => write!(f, "Flow JSON is not valid JSON: {problem}."),
            Problem::TooLarge { size, limit } => {
                write!(f, "Flow JSON is {} but the limit is {}.", human_size(*size), human_size(*limit))
            }
            Problem::TooDeep { limit } => {
                write!(f, "Flow JSON nests objects and arrays more than {limit} levels deep.")
            }
            Problem::InvalidUtf8 => f.write_str("Flow JSON is not UTF-8 text."),
            Problem::ByteOrderMark => {
                f.write_str("Flow JSON starts with a byte order mark; save the file as UTF-8 without BOM.")
            }
            Problem::DuplicateKey { key } => {
                write!(
                    f,
                    "Property '{key}' appears more than once in this object; only the last value counts."
                )
            }
            Problem::MissingVersion => f.write_str("Flow JSON version is not specified."),
            Problem::UnknownVersion { version } => write!(
                f,
                "Given Flow JSON version {version} is not supported. Publishable versions: {}.",
                Publishable
            ),
            Problem::FrozenVersion { version } => write!(
                f,
                "Flow JSON version '{version}' is frozen: flows with it cannot be published. Move the flow to version {}.",
                Version::LATEST
            ),
            Problem::InvalidDataApiVersion { found, version, allowed } => write!(
                f,
                "No supported Data API version found for given Flow JSON version: {found} is not one of {} for Flow JSON {version}.",
                List(allowed)
            ),
            Problem::DataChannelUri => f.write_str(
                "Property 'data_channel_uri' is no longer supported in Flow JSON as of version '3.0'. Set the endpoint with the Flows API's 'endpoint_uri' instead.",
            ),
            Problem::UnknownProperty { property, owner, since, inside_form } => {
                write!(f, "Property '{property}' is not allowed in {owner}.")?;
                if *inside_form {
                    f.write_str(" Inside a Form, use the Form's 'init-values' and 'error-messages'.")?;
                } else if let Some(since) = since {
                    write!(f, " It is available from Flow JSON version {since}.")?;
                }
                Ok(())
            }
            Problem::MissingProperty { property } => write!(f, "Required property '{property}' is missing."),
            Problem::RequiredFor { property, needed_by } => {
                write!(f, "The property '{property}' is required for {needed_by}.")
            }
            Problem::WrongType { property, expected, found } => {
                write!(f, "Expected property '{property}' to be of type '{expected}' but found '{found}'.")
            }
            Problem::NotDynamicFormat { property, expected } => {
                write!(f, "Property '{property}' should be of type '{expected}' or have dynamic data format.")
            }
            Problem::BindingRequired { property } => write!(
                f,
                "Property '{property}' should have dynamic data format, e.g. ${{data.field}} or ${{form.name}}."
            ),
            Problem::NotInEnum { property, allowed } => {
                write!(f, "Invalid value found for property '{property}'. Value should be one of: {}.", List(allowed))
            }
            Problem::TooLong { property, max, found } => write!(
                f,
                "Property '{property}' should have at most '{max}' characters but has {found}."
            ),
            Problem::LongerThanDocumented { property, max, found } => write!(
                f,
                "Property '{property}' has {found} characters, more than the {max} Meta's documentation gives: phones may cut it short. Meta's own examples go over it, so publishing is not blocked."
            ),
            Problem::TooFewItems { property, min } => {
                write!(f, "Property '{property}' should have at least '{min}' items.")
            }
            Problem::TooManyItems { property, max } => {
                write!(f, "Property '{property}' should have at most '{max}' items.")
            }
            Problem::EmptyComponents { property } => {
                write!(f, "Expected array to contain at least one component in property '{property}'.")
            }
            Problem::BelowMinimum { property, minimum } => {
                write!(f, "The minimum value allowed for property '{property}' is {}.", crate::number::format(*minimum))
            }
            Problem::AboveMaximum { property, maximum } => {
                write!(f, "The maximum value allowed for property '{property}' is {}.", crate::number::format(*maximum))
            }
            Problem::Blank { property } => {
                write!(f, "Property '{property}' should not be blank or an empty string.")
            }
            Problem::DynamicName { property } => write!(
                f,
                "Property '{property}' should not be dynamic data or enclosed in backticks: names are fixed."
            ),
            Problem::InvalidFormat { property, format } => {
                write!(f, "Property '{property}' should be in '{format}' format.")
            }
            Problem::PatternMismatch { property, pattern } => {
                write!(f, "Property '{property}' should match the pattern '{pattern}'.")
            }
            Problem::InvalidRegex { reason } => {
                write!(f, "Property 'pattern' should be in 'regex' format: {reason}.")
            }
            Problem::InvalidBase64 => f.write_str("Image source is not in a valid base64 format."),
            Problem::ImageTooLarge { max_kilobytes, found_kilobytes } => write!(
                f,
                "The image is {found_kilobytes} KB but at most {max_kilobytes} KB is allowed."
            ),
            Problem::NullValue => f.write_str(
                "Flows reject null values: omit the key, or send an empty value ('', 0, false, [] or {}).",
            ),
            Problem::ImageFormat { property, format } => write!(
                f,
                "The image in '{property}' is {format}, but Flow images are JPEG or PNG: WebP is not shown on iPhones before iOS 14, and other formats may not be shown at all. Convert it to PNG or JPEG."
            ),
            Problem::ImageOverRecommended { recommended_kilobytes, found_kilobytes } => write!(
                f,
                "The image is {found_kilobytes} KB; Meta recommends at most {recommended_kilobytes} KB. Large images make the screen slow to open: shrink or compress it."
            ),
            Problem::TooManyScreens { found } => {
                write!(f, "Maximum number of screens allowed per Flow is 100 but found {found}.")
            }
            Problem::ScreenIdPattern { id, strict } => {
                write!(f, "Screen id '{id}' should only consist of alphabets and underscores")?;
                f.write_str(if *strict { ", and not only underscores." } else { "." })
            }
            Problem::ReservedScreenId { id } => {
                write!(f, "Screen id cannot be '{id}' since it is a reserved keyword.")
            }
            Problem::DuplicateScreenId { id } => write!(f, "Duplicate screen id found: '{id}'."),
            Problem::SuccessOnlyOnTerminal => {
                f.write_str("Property 'success' can only be specified on a terminal screen.")
            }
            Problem::NoSuccessfulTerminal => f.write_str(
                "At least one terminal screen must end the flow successfully, but 'success' is false on all of them.",
            ),
            Problem::RefreshOnBackWithoutEndpoint => f.write_str(
                "Property 'refresh_on_back' can be true only when property 'data_api_version' is set.",
            ),
            Problem::InvalidSensitiveField { field } => write!(
                f,
                "Sensitive field '{field}' is not the name of a component on this screen."
            ),
            Problem::MissingTerminalScreen => f.write_str("Terminal screen is required but not provided."),
            Problem::MissingFooterOnTerminal { screen } => {
                write!(f, "Footer component is missing on terminal screen(s) [{screen}].")
            }
            Problem::TerminalFooterAction { found, endpoint } => write!(
                f,
                "The Footer of a terminal screen must end the flow with 'complete'{} but uses '{found}'.",
                if *endpoint { " or 'data_exchange'" } else { "" }
            ),
            Problem::UnknownComponent { found } => write!(
                f,
                "Invalid value found for property 'type': '{found}' is not a component."
            ),
            Problem::ComponentTooNew { component, since, version } => write!(
                f,
                "Invalid value found for property 'type': '{component}' needs Flow JSON version {since} or later, this flow uses {version}."
            ),
            Problem::NotAllowedIn { component, parent } => {
                write!(f, "Component '{component}' is not allowed in {parent}.")
            }
            Problem::InputOutsideForm { component } => {
                write!(f, "Property '{component}' must be defined inside parent property 'Form'.")
            }
            Problem::TooManyComponents { max, found } => write!(
                f,
                "Maximum number of components allowed per screen is {max} but found {found}."
            ),
            Problem::TooManyOfType { component, max, found } => write!(
                f,
                "Maximum number of {component} allowed per screen is {max} but found {found}."
            ),
            Problem::TooManyInFlow { component, max, found } => {
                write!(f, "Maximum number of {component} allowed per Flow is {max} but found {found}.")
            }
            Problem::RichTextPlacement { footer_allowed: false, .. } => f.write_str(
                "RichText cannot be used with other components: it must be the only component on the screen.",
            ),
            Problem::RichTextPlacement { footer_allowed: true, .. } => f.write_str(
                "RichText can either be the only component on the screen or it can be paired exclusively with the Footer component.",
            ),
            Problem::NavigationListPlacement { terminal: true } => {
                f.write_str("NavigationList cannot be used on a terminal screen.")
            }
            Problem::NavigationListPlacement { terminal: false } => f.write_str(
                "NavigationList cannot be used with other components: a screen with a NavigationList holds only NavigationLists.",
            ),
            Problem::ComponentOutsideForm { component } => write!(
                f,
                "Component '{component}' is not allowed outside Form when Form component is present."
            ),
            Problem::FooterOutsideFormReadsForm => {
                f.write_str("Footer placed outside Form component is not allowed to reference form data.")
            }
            Problem::DuplicateName { name } => write!(f, "Duplicate name found for Form components: '{name}'."),
            Problem::NativeInInitValues { name } => {
                write!(f, "Property 'init-values' should not contain value for components: [{name}].")
            }
            Problem::UnusedFormValue { key, property } => write!(
                f,
                "The property '{key}' is declared but not used in the {property}: no input of the Form is named '{key}'."
            ),
            Problem::MinGreaterThanMax { min, max, component, name } => {
                write!(f, "'{min}' cannot be greater than '{max}' for {component} '{name}'.")
            }
            Problem::CaptionDependency { present, missing } => {
                write!(f, "Footer should have property {missing} when property {present} is present.")
            }
            Problem::CenterCaptionExclusive => f.write_str(
                "Properties 'center-caption' and [left-caption, right-caption] must be present exclusively at Footer.",
            ),
            Problem::ImageAndColor => f.write_str(
                "Data source items must all use either image attributes or color attributes, not both.",
            ),
            Problem::ActionAtBothLevels { event } => write!(
                f,
                "The '{event}' property cannot be used at both the component and data-source levels."
            ),
            Problem::NavigationListActionMissing => f.write_str(
                "Required property 'on-click-action' is missing: set it on the NavigationList or on every list item.",
            ),
            Problem::EndWithLargeMedia => {
                f.write_str("Property 'end' is not allowed in list items when 'media-size' is 'large'.")
            }
            Problem::MultipleBadges => f.write_str("Only one item of a NavigationList can have a badge."),
            Problem::PatternInputType { input_type } => write!(
                f,
                "Property 'pattern' applies only to input-type text, number, password or passcode, not '{input_type}'."
            ),
            Problem::RangeModeOnly { property } => {
                write!(f, "Property '{property}' can only be used when 'mode' is 'range'.")
            }
            Problem::CalendarModeShape { property, range: true } => write!(
                f,
                "In range mode, property '{property}' must be an object with 'start-date' and 'end-date'."
            ),
            Problem::CalendarModeShape { property, range: false } => {
                write!(f, "In single mode, property '{property}' cannot be a range object.")
            }
            Problem::MinMaxDays => f.write_str("'min-days' cannot be greater than 'max-days'."),
            Problem::DateRange { property } => write!(
                f,
                "The dates of '{property}' are out of range: a range cannot end before it starts, and dates must lie between 'min-date' and 'max-date'."
            ),
            Problem::InitDateFormat { format } => write!(f, "The date field must be in the format '{format}'."),
            Problem::TimeZoneUnsafeDatePicker { version } => write!(
                f,
                "In Flow JSON {version}, DatePicker dates are timestamps read in the phone's time zone: someone in another time zone than the business sees and picks a different day. From version 5.0 dates are 'YYYY-MM-DD' and time-zone safe; move the flow to version {}.",
                Version::LATEST
            ),
            Problem::IfNesting => f.write_str("The 'If' component can only be nested up to 3 levels deep."),
            Problem::FooterInIfBranches => f.write_str(
                "Footer component must be present in all branches of 'If' component if it exists in any one branch.",
            ),
            Problem::FooterInSwitchCases => f.write_str(
                "Footer component must be present in all cases of 'Switch' component if it exists in any one case.",
            ),
            Problem::EmptySwitchCases => f.write_str("The 'cases' property of a Switch component cannot be empty."),
            Problem::ScreenData { field, problem } => problem.fmt_for(field, f),
            Problem::MissingDynamicData { reference, screen, in_payload: false } => write!(
                f,
                "Missing dynamic data '{reference}' in the data model of screen '{screen}'."
            ),
            Problem::MissingDynamicData { reference, screen, in_payload: true } => write!(
                f,
                "Missing dynamic data '{reference}' in the data model for screen {screen}."
            ),
            Problem::DynamicDataType { reference, expected, found } => write!(
                f,
                "Expected '{reference}' to be of type '{expected}' but the data model declares '{found}'."
            ),
            Problem::ArrayDereference { reference } => write!(
                f,
                "'{reference}' is invalid as 'items' is defined in an array schema in the data model."
            ),
            Problem::MissingFormComponent { reference, screen, .. } => {
                write!(f, "Missing Form component {reference} for screen '{screen}'.")
            }
            Problem::FormContainerReference => f.write_str("Value of 'Form' component cannot be used in form binding."),
            Problem::UnknownScreenReference { reference, screen } => {
                write!(f, "'{reference}' refers to screen '{screen}', which does not exist.")
            }
            Problem::SelfScreenReference { reference } => write!(
                f,
                "'{reference}' represents current screen. Convert expression to local referencing, e.g. ${{data.field}}."
            ),
            Problem::ItemSchemaMissing { reference, property } => write!(
                f,
                "Data model schema is invalid for '{reference}'. Missing schema for '{property}': declare it in the field's 'items.properties'."
            ),
            Problem::ItemSchemaType { reference, property, expected, found } => write!(
                f,
                "Data model schema is invalid for '{reference}'. Expected '{property}' of its items to be of type '{expected}' but found '{found}'."
            ),
            Problem::ExampleItemIncomplete { reference, component, property } => write!(
                f,
                "This example item of '{reference}' has no '{property}', which every item of {component} needs: the preview cannot show it, and the data sent at run time must have it."
            ),
            Problem::SelectActionOnRender { version } => write!(
                f,
                "In Flow JSON {version} a component's 'on-select-action' also runs when the screen opens, before anything is selected. From version 7.0 it runs only on selection; move the flow to 7.0 or later, or make the action harmless when nothing is selected."
            ),
            Problem::UnsupportedMarkdown { component, feature } => match feature {
                MarkdownFeature::Heading | MarkdownFeature::Image | MarkdownFeature::Table => write!(
                    f,
                    "{component} with markdown renders bold, italic, strikethrough, lists and links, but not {}: they are shown as written. Use a TextHeading, an Image or RichText instead.",
                    match feature {
                        MarkdownFeature::Heading => "headings",
                        MarkdownFeature::Image => "images",
                        _ => "tables",
                    }
                ),
                MarkdownFeature::LinkedImage => f.write_str(
                    "RichText shows only images embedded as base64 (data:image/png;base64,…, also jpeg and webp): this image is not shown.",
                ),
                MarkdownFeature::NestedList => {
                    f.write_str("RichText lists are one level deep: this nested item is not shown as a sub-list.")
                }
            },
            Problem::FieldNameCharacters { name, suggestion } => write!(
                f,
                "Field name '{name}' has a character Meta advises against in dynamic data names ('-', space, backtick or \"'\"): bindings and expressions may not read it. Use letters, digits and underscores, e.g. '{suggestion}'."
            ),
            Problem::GlobalReferenceTooOld { reference, version } => write!(
                f,
                "'{reference}' reads another screen, which needs Flow JSON version 4.0 or later; version {version} takes it as plain text. Pass the value in the navigate payload instead, or move the flow to version {}.",
                Version::LATEST
            ),
            Problem::MixedBinding { property, rich_text: true, .. } => write!(
                f,
                "String interpolation is not supported by RichText: property '{property}' mixes text and dynamic data."
            ),
            Problem::MixedBinding { property, suggestion, rich_text: false } => {
                write!(
                    f,
                    "Property '{property}' mixes text and dynamic data: WhatsApp shows it literally, without the values."
                )?;
                match suggestion {
                    Some(suggestion) => write!(f, " Use a nested expression instead: {suggestion}"),
                    None => f.write_str(" Nested expressions need Flow JSON 6.0; before, give the whole text as data."),
                }
            }
            Problem::ExpressionTooOld { property } => write!(
                f,
                "Property '{property}' is written as a nested expression, which needs Flow JSON 6.0: this version shows it literally."
            ),
            Problem::InvalidBinding { text } => write!(
                f,
                "'{text}' is not valid dynamic data: write ${{data.field}}, ${{form.name}} or ${{screen.SCREEN_ID.data.field}}."
            ),
            Problem::Expression { property, error } => {
                write!(f, "Invalid value found for property '{property}': {error}")
            }
            Problem::ActionNotAllowed { action, event, owner, allowed } => write!(
                f,
                "Action '{action}' is not allowed in '{event}' of {owner}. Value should be one of: {}.",
                List(allowed)
            ),
            Problem::UnknownNextScreen { id } => write!(f, "Unknown screen ids found: [{id}]."),
            Problem::SameScreenNavigation { id } => {
                write!(f, "Same screen navigation is not allowed. Loop detected at [{id}].")
            }
            Problem::PayloadFieldsNotInDataModel { fields } => {
                write!(f, "Following fields are missing in the next screen's data model: {}.", List(fields))
            }
            Problem::DataModelFieldsNotInPayload { fields } => write!(
                f,
                "Following fields are expected in the next screen's data model but missing in payload: {}.",
                List(fields)
            ),
            Problem::MissingNavigatePayload { screen } => write!(
                f,
                "Navigate action payload is missing: screen '{screen}' declares a data model, so the payload must give its fields."
            ),
            Problem::NavigatePayloadType { field, expected, found } => write!(
                f,
                "Expected '{field}' to be of type '{expected}' as the next screen's data model declares, but found '{found}'."
            ),
            Problem::MediaInNavigatePayload => f.write_str(
                "Media picker values are not allowed in a navigate action payload; read them on a later screen with ${screen.SCREEN_ID.form.name}.",
            ),
            Problem::MediaNotTopLevel => f.write_str(
                "Media picker values can only be used as a top-level value of the payload, e.g. \"photos\": \"${form.photos}\".",
            ),
            Problem::MediaPayloadTooLarge { files, kilobytes } => write!(
                f,
                "The media pickers in this payload allow {files} files and {kilobytes} KB, but a response carries at most 10 files and 100 MiB (102400 KB)."
            ),
            Problem::CompleteNotTerminal => {
                f.write_str("On-click-action 'complete' can only be configured on a terminal screen.")
            }
            Problem::UpdateDataNoDataModel { screen } => write!(f, "No data model is defined in the screen '{screen}'."),
            Problem::UpdateDataUnknownFields { screen, fields } => write!(
                f,
                "Following fields are missing in the screen '{screen}' data model: {}.",
                List(fields)
            ),
            Problem::UpdateDataSelf => {
                f.write_str("Attempting to update a key with its own value is redundant and not allowed.")
            }
            Problem::PayloadPropertyMissing { reference } => {
                write!(f, "The following property {reference} does not exist in the screen data model.")
            }
            Problem::Routing(problem) => problem.fmt(f),
        }
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

/// Markdown a text component does not render (§4.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum MarkdownFeature {
    /// `# Heading` in TextBody or TextCaption.
    Heading,
    /// `![alt](source)` in TextBody or TextCaption.
    Image,
    /// A table in TextBody or TextCaption.
    Table,
    /// A RichText image that is not embedded as base64.
    LinkedImage,
    /// A RichText list inside a list.
    NestedList,
}

/// What is wrong with a field of a screen's data model (§6.4).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum DataModelProblem {
    /// The field is not an object.
    NotAnObject,
    /// No `type`.
    MissingType,
    /// `type` is not a string.
    TypeNotString,
    /// `type` is not a JSON Schema type.
    UnknownType {
        /// The type as written.
        found: String,
    },
    /// No `__example__` (required on every top-level field).
    MissingExample,
    /// `__example__` below the top level.
    NestedExample,
    /// An array schema without `items`.
    MissingItems,
    /// `items` that is neither an object nor a boolean.
    ItemsType,
    /// `required` is not an array of strings.
    RequiredNotArray,
    /// `__example__` does not match the declared schema.
    ExampleMismatch {
        /// Where inside the example, as a dotted path (empty: the example itself).
        at: String,
        /// What the schema expects there.
        expected: String,
    },
    /// Too deeply nested to check.
    TooDeep,
}

impl DataModelProblem {
    fn fmt_for(&self, field: &str, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DataModelProblem::NotAnObject => {
                write!(f, "Expected the data model property '{field}' to be of type object.")
            }
            DataModelProblem::MissingType => {
                write!(f, "Missing the definition of property 'type' for '{field}'.")
            }
            DataModelProblem::TypeNotString => {
                write!(f, "Expected the property 'type' of '{field}' to be of type string.")
            }
            DataModelProblem::UnknownType { found } => write!(
                f,
                "Invalid data model schema for '{field}': type '{found}' should be one of [string, number, integer, boolean, object, array]."
            ),
            DataModelProblem::MissingExample => {
                write!(f, "Required property '__example__' is missing for '{field}'.")
            }
            DataModelProblem::NestedExample => write!(
                f,
                "Property '__example__' is allowed only as a top level property of data model, not in '{field}'."
            ),
            DataModelProblem::MissingItems => {
                write!(f, "Missing the schema for property 'items' in array '{field}'.")
            }
            DataModelProblem::ItemsType => {
                write!(f, "Expected the property 'items' of '{field}' to be of type boolean or object.")
            }
            DataModelProblem::RequiredNotArray => {
                write!(f, "Expected property 'required' of '{field}' to be an array of strings.")
            }
            DataModelProblem::ExampleMismatch { at, expected } => {
                if at.is_empty() {
                    write!(f, "Invalid data model schema. The __example__ of '{field}' should be {expected}.")
                } else {
                    write!(
                        f,
                        "Invalid data model schema. The __example__ of '{field}' at '{at}' should be {expected}."
                    )
                }
            }
            DataModelProblem::TooDeep => {
                write!(f, "The data model of '{field}' nests too deeply to check.")
            }
        }
    }
}

/// A routing model problem (§7.1). "Endpoint" rules apply to flows with `routing_model`,
/// the others to the routes derived from navigate actions.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum RoutingProblem {
    /// Screens neither keys nor destinations of the routing model.
    MissingScreens(Vec<String>),
    /// Keys or destinations that are not screens.
    InvalidScreens(Vec<String>),
    /// A screen routing to itself.
    Loop(Vec<String>),
    /// More than 10 destinations from one screen.
    TooManyBranches {
        /// The screens.
        screens: Vec<String>,
        /// Derived from navigate actions.
        derived: bool,
    },
    /// A→B and B→A.
    BackwardRoute {
        /// A.
        from: String,
        /// B.
        to: String,
    },
    /// Every screen has an inbound edge.
    NoEntryScreen {
        /// Derived from navigate actions.
        derived: bool,
    },
    /// Screens not connected to the first one.
    NotConnected {
        /// The screens.
        screens: Vec<String>,
        /// Derived from navigate actions.
        derived: bool,
    },
    /// A screen that is not terminal and leads to no other screen (a warning).
    DeadEnd {
        /// The screen id.
        screen: String,
    },
    /// A screen linked to the others that no path from an entry screen reaches (a warning).
    Unreachable {
        /// The screen id.
        screen: String,
    },
    /// Screens that lead back to each other (a warning; Meta rejects only some cycles).
    Cycle(Vec<String>),
    /// A navigate action without a route.
    MissingRoute {
        /// The screen of the action.
        from: String,
        /// The next screen.
        to: String,
    },
}

impl fmt::Display for RoutingProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RoutingProblem::MissingScreens(screens) => {
                write!(f, "Following screens are missing in the routing model: {}.", List(screens))
            }
            RoutingProblem::InvalidScreens(screens) => {
                write!(f, "Invalid screens found in the routing model: {}.", List(screens))
            }
            RoutingProblem::Loop(screens) => {
                write!(f, "Loop detected in the routing model for screens: {}.", List(screens))
            }
            RoutingProblem::TooManyBranches { screens, derived } => {
                write!(f, "Number of branches exceeds the max limit of 10 for screens: {}.", List(screens))?;
                if *derived { f.write_str(" Reduce navigate actions for the screen.") } else { Ok(()) }
            }
            RoutingProblem::BackwardRoute { from, to } => write!(
                f,
                "Backward route [{to}->{from}] corresponding to forward route [{from}->{to}] is not allowed: the back button already returns."
            ),
            RoutingProblem::NoEntryScreen { derived: false } => f.write_str(
                "No entry screen found in the routing model. Expected a screen with no inbound edges as the entry screen.",
            ),
            RoutingProblem::NoEntryScreen { derived: true } => f.write_str(
                "No entry screen found. Add a screen that is not used as the next screen in any of the navigate actions.",
            ),
            RoutingProblem::NotConnected { screens, derived: false } => write!(
                f,
                "Following screens are not connected with the rest of the screens: {}.",
                List(screens)
            ),
            RoutingProblem::NotConnected { screens, derived: true } => write!(
                f,
                "Following screens are not connected with the rest of the screens via navigate screen action: {}.",
                List(screens)
            ),
            RoutingProblem::DeadEnd { screen } => write!(
                f,
                "Screen '{screen}' leads nowhere: it is not terminal and no action or route goes on from it, so people get stuck there. Add a navigate action or make it terminal."
            ),
            RoutingProblem::Unreachable { screen } => write!(
                f,
                "No path from the entry screen reaches screen '{screen}': people never see it. Navigate to it from a screen they reach."
            ),
            RoutingProblem::Cycle(screens) => write!(
                f,
                "Screens {} lead back to each other: people can go round in circles. Routes should move forward and end at a terminal screen.",
                List(screens)
            ),
            RoutingProblem::MissingRoute { from, to } => write!(
                f,
                "Missing direct route from screen '{from}' to screen '{to}' in the routing model, while it exists in the navigate screen action of screen '{from}'."
            ),
        }
    }
}

/// `[a, b, c]`, as Meta writes lists in messages.
struct List<'a, T>(&'a [T]);

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
struct Publishable;

impl fmt::Display for Publishable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        List(Version::PUBLISHABLE).fmt(f)
    }
}

fn human_size(bytes: usize) -> String {
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
    pub fn error(pointer: impl Into<String>, problem: Problem) -> Self {
        Diagnostic { severity: Severity::Error, pointer: pointer.into(), span: None, problem }
    }

    /// A warning at `pointer`.
    pub fn warning(pointer: impl Into<String>, problem: Problem) -> Self {
        Diagnostic { severity: Severity::Warning, pointer: pointer.into(), span: None, problem }
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
        let message = Problem::TooLarge { size: 11 * 1024 * 1024, limit: 10 * 1024 * 1024 }.to_string();
        assert!(message.contains("11.0 MB") && message.contains("10.0 MB"), "{message}");
    }
}
