//! Problems of components: where they sit, how many, and the rules of each (§3, §4).
use crate::version::Version;

family! {
    /// Problems of components: where they sit, how many, and the rules of each (§3, §4).
    pub enum ComponentProblem in Component {
        /// A `type` that is no component.
        UnknownComponent {
            /// The type as written.
            found: String,
        } => Code::InvalidPropertyValue, |f| {
            write!(
                f,
                "Invalid value found for property 'type': '{found}' is not a component."
            )
        };
        /// A component newer than the flow's version.
        ComponentTooNew {
            /// The component.
            component: &'static str,
            /// The first version with it.
            since: Version,
            /// The flow's version.
            version: Version,
        } => Code::InvalidPropertyValue, |f| {
            write!(
                f,
                "Invalid value found for property 'type': '{component}' needs Flow JSON version {since} or later, this flow uses {version}."
            )
        };
        /// A component in a list it may not sit in.
        NotAllowedIn {
            /// The component.
            component: &'static str,
            /// The container, e.g. `Form`, `Switch`, `nested If`.
            parent: &'static str,
        } => Code::InvalidComponentPlacement, |f| {
            write!(f, "Component '{component}' is not allowed in {parent}.")
        };
        /// Before 4.0, inputs sit inside a Form.
        InputOutsideForm {
            /// The component.
            component: &'static str,
        } => Code::KeywordOneOf, |f| {
            write!(f, "Property '{component}' must be defined inside parent property 'Form'.")
        };
        /// More than 50 components on a screen.
        TooManyComponents {
            /// The limit.
            max: u32,
            /// How many.
            found: usize,
        } => Code::MaxAllowedComponentsPerScreen, |f| {
            write!(
                f,
                "Maximum number of components allowed per screen is {max} but found {found}."
            )
        };
        /// More of one component type on a screen than allowed.
        TooManyOfType {
            /// The component type(s), e.g. `Footer`, `PhotoPicker or DocumentPicker`.
            component: String,
            /// The limit.
            max: u32,
            /// How many (the most over If/Switch branches).
            found: usize,
        } => Code::ComponentTypeMaxNumberPerScreen, |f| {
            write!(
                f,
                "Maximum number of {component} allowed per screen is {max} but found {found}."
            )
        };
        /// More of one component type in the flow than allowed.
        TooManyInFlow {
            /// The component type.
            component: &'static str,
            /// The limit.
            max: u32,
            /// How many.
            found: usize,
        } => Code::InvalidPropertyValue, |f| {
            write!(f, "Maximum number of {component} allowed per Flow is {max} but found {found}.")
        };
        /// RichText shares its screen.
        RichTextPlacement {
            /// 6.3+: a Footer may stay.
            footer_allowed: bool,
            /// Before 6.0 Meta names this INVALID_RICHTEXT_PLACEMENT.
            legacy: bool,
        } => if *legacy {
            Code::InvalidRichtextPlacement
        } else {
            Code::InvalidComponentPlacement
        }, |f| {
            if *footer_allowed {
                f.write_str(
                    "RichText can either be the only component on the screen or it can be paired exclusively with the Footer component.",
                )
            } else {
                f.write_str("RichText cannot be used with other components: it must be the only component on the screen.")
            }
        };
        /// NavigationList on a terminal screen, or beside other components.
        NavigationListPlacement {
            /// On a terminal screen (else: beside other components).
            terminal: bool,
        } => Code::InvalidComponentPlacement, |f| {
            if *terminal {
                f.write_str("NavigationList cannot be used on a terminal screen.")
            } else {
                f.write_str(
                    "NavigationList cannot be used with other components: a screen with a NavigationList holds only NavigationLists.",
                )
            }
        };
        /// An input outside the screen's Form.
        ComponentOutsideForm {
            /// The component.
            component: String,
        } => Code::ComponentsOutsideForm, |f| {
            write!(
                f,
                "Component '{component}' is not allowed outside Form when Form component is present."
            )
        };
        /// A Footer outside the Form reads `${form.…}`.
        FooterOutsideFormReadsForm => Code::InvalidOnClickActionPayload, |f| {
            f.write_str("Footer placed outside Form component is not allowed to reference form data.")
        };
        /// Two inputs of one screen with one name.
        DuplicateName {
            /// The name.
            name: String,
        } => Code::DuplicateFormComponentNames, |f| {
            write!(f, "Duplicate name found for Form components: '{name}'.")
        };
        /// Form `init-values` for a media picker.
        NativeInInitValues {
            /// The picker's name.
            name: String,
        } => Code::NativeComponentInFormInitValues, |f| {
            write!(f, "Property 'init-values' should not contain value for components: [{name}].")
        };
        /// A Form `init-values` / `error-messages` key that names no input of the Form (7.0+).
        UnusedFormValue {
            /// The key.
            key: String,
            /// `init-values` or `error-messages`.
            property: &'static str,
        } => Code::InvalidPropertyValue, |f| {
            write!(
                f,
                "The property '{key}' is declared but not used in the {property}: no input of the Form is named '{key}'."
            )
        };
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
        } => Code::MinValueGreaterThanMax, |f| {
            write!(f, "'{min}' cannot be greater than '{max}' for {component} '{name}'.")
        };
        /// Footer `left-caption` without `right-caption` or the other way round.
        CaptionDependency {
            /// The caption present.
            present: &'static str,
            /// The caption missing.
            missing: &'static str,
        } => Code::InvalidDependencies, |f| {
            write!(f, "Footer should have property {missing} when property {present} is present.")
        };
        /// Footer `center-caption` together with `left-caption` / `right-caption`.
        CenterCaptionExclusive => Code::NotKeywordSchemaValidationFailed, |f| {
            f.write_str(
                "Properties 'center-caption' and [left-caption, right-caption] must be present exclusively at Footer.",
            )
        };
        /// Data-source items mixing images and colors.
        ImageAndColor => Code::DataSourceItemsHaveBothImageAndColor, |f| {
            f.write_str(
                "Data source items must all use either image attributes or color attributes, not both.",
            )
        };
        /// An action set both on the component and on its items.
        ActionAtBothLevels {
            /// The action property.
            event: &'static str,
        } => Code::DuplicatePropetyForCondition, |f| {
            write!(
                f,
                "The '{event}' property cannot be used at both the component and data-source levels."
            )
        };
        /// NavigationList without `on-click-action` on the list or on every item.
        NavigationListActionMissing => Code::MissingRequiredProperty, |f| {
            f.write_str(
                "Required property 'on-click-action' is missing: set it on the NavigationList or on every list item.",
            )
        };
        /// NavigationList item `end` with `media-size: large`.
        EndWithLargeMedia => Code::InvalidPropertyNameForCondition, |f| {
            f.write_str("Property 'end' is not allowed in list items when 'media-size' is 'large'.")
        };
        /// More than one NavigationList item with a badge.
        MultipleBadges => Code::InvalidPropertyValue, |f| {
            f.write_str("Only one item of a NavigationList can have a badge.")
        };
        /// TextInput `pattern` with an `input-type` it does not apply to.
        PatternInputType {
            /// The input type.
            input_type: String,
        } => Code::InvalidPropertyValue, |f| {
            write!(
                f,
                "Property 'pattern' applies only to input-type text, number, password or passcode, not '{input_type}'."
            )
        };
        /// A CalendarPicker property that exists only in range mode.
        RangeModeOnly {
            /// The property.
            property: &'static str,
        } => Code::InvalidPropertyNameForCondition, |f| {
            write!(f, "Property '{property}' can only be used when 'mode' is 'range'.")
        };
        /// A CalendarPicker property in the other mode's shape.
        CalendarModeShape {
            /// The property.
            property: &'static str,
            /// Range mode (object expected) or single mode (object not allowed).
            range: bool,
        } => if *range {
            Code::MissingCalendarPickerRangeModeProp
        } else {
            Code::UnexpectedCalendarPickerRangeModeProp
        }, |f| {
            if *range {
                write!(f, "In range mode, property '{property}' must be an object with 'start-date' and 'end-date'.")
            } else {
                write!(f, "In single mode, property '{property}' cannot be a range object.")
            }
        };
        /// `min-days` greater than `max-days`.
        MinMaxDays => Code::InvalidMinMaxDays, |f| {
            f.write_str("'min-days' cannot be greater than 'max-days'.")
        };
        /// A date range that ends before it starts, or a date outside the allowed range.
        DateRange {
            /// The property.
            property: String,
        } => Code::InvalidDateRange, |f| {
            write!(
                f,
                "The dates of '{property}' are out of range: a range cannot end before it starts, and dates must lie between 'min-date' and 'max-date'."
            )
        };
        /// A DatePicker before 5.0: its millisecond timestamps are read in the phone's time zone.
        TimeZoneUnsafeDatePicker {
            /// The flow's version.
            version: Version,
        } => Code::InvalidPropertyValue, |f| {
            write!(
                f,
                "In Flow JSON {version}, DatePicker dates are timestamps read in the phone's time zone: someone in another time zone than the business sees and picks a different day. From version 5.0 dates are 'YYYY-MM-DD' and time-zone safe; move the flow to version {}.",
                Version::LATEST
            )
        };
        /// An `init-value` that is not a date in the expected format.
        InitDateFormat {
            /// The expected format.
            format: &'static str,
        } => Code::InvalidDateSingleInitValueFormat, |f| {
            write!(f, "The date field must be in the format '{format}'.")
        };
        /// If inside If more than 3 levels deep.
        IfNesting => Code::MaximumIfNesting, |f| {
            f.write_str("The 'If' component can only be nested up to 3 levels deep.")
        };
        /// A Footer in one branch of an If but not the other.
        FooterInIfBranches => Code::MissingFooterInIfElseBranches, |f| {
            f.write_str(
                "Footer component must be present in all branches of 'If' component if it exists in any one branch.",
            )
        };
        /// A Footer in some cases of a Switch but not all.
        FooterInSwitchCases => Code::MissingFooterInSwitchBranches, |f| {
            f.write_str(
                "Footer component must be present in all cases of 'Switch' component if it exists in any one case.",
            )
        };
        /// A Switch without cases.
        EmptySwitchCases => Code::EmptySwitchCases, |f| {
            f.write_str("The 'cases' property of a Switch component cannot be empty.")
        };
        /// A component's `on-select-action` in 6.0 to 6.3, where it also runs when the screen opens.
        SelectActionOnRender {
            /// The flow's version.
            version: Version,
        } => Code::InvalidPropertyValue, |f| {
            write!(
                f,
                "In Flow JSON {version} a component's 'on-select-action' also runs when the screen opens, before anything is selected. From version 7.0 it runs only on selection; move the flow to 7.0 or later, or make the action harmless when nothing is selected."
            )
        };
        /// Markdown the component shows as written, or not at all.
        UnsupportedMarkdown {
            /// The component.
            component: &'static str,
            /// What it does not render.
            feature: MarkdownFeature,
        } => Code::InvalidPropertyValue, |f| {
            match feature {
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
            }
        };
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
