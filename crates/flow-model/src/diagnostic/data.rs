//! Problems of dynamic data: data models, bindings, nested expressions (§6).
use std::fmt;

use crate::expression::ExpressionError;
use crate::version::Version;

family! {
    /// Problems of dynamic data: data models, bindings, nested expressions (§6).
    pub enum DataProblem in Data {
        /// A problem with a field of a screen's data model.
        ScreenData {
            /// The field (dotted path inside the model).
            field: String,
            /// What is wrong.
            problem: DataModelProblem,
        } => match problem {
            DataModelProblem::MissingExample => Code::MissingRequiredProperty,
            _ => Code::InvalidScreenData,
        }, |f| {
            problem.fmt_for(field, f)
        };
        /// A `${data.…}` the screen's data model does not declare.
        MissingDynamicData {
            /// The binding.
            reference: String,
            /// The screen id.
            screen: String,
            /// In an action payload (Meta names it differently).
            in_payload: bool,
        } => if *in_payload {
            Code::InvalidOnClickActionPayload
        } else {
            Code::InvalidScreenDynamicData
        }, |f| {
            if *in_payload {
                write!(f, "Missing dynamic data '{reference}' in the data model for screen {screen}.")
            } else {
                write!(f, "Missing dynamic data '{reference}' in the data model of screen '{screen}'.")
            }
        };
        /// A binding whose declared type does not fit where it is used.
        DynamicDataType {
            /// The binding.
            reference: String,
            /// The types that would fit.
            expected: String,
            /// The declared type.
            found: String,
        } => Code::InvalidScreenDynamicData, |f| {
            write!(
                f,
                "Expected '{reference}' to be of type '{expected}' but the data model declares '{found}'."
            )
        };
        /// A list of items bound to data whose declared item schema lacks a property the
        /// component's items need.
        ItemSchemaMissing {
            /// The binding.
            reference: String,
            /// The item property (dotted path).
            property: String,
        } => Code::InvalidScreenDynamicData, |f| {
            write!(
                f,
                "Data model schema is invalid for '{reference}'. Missing schema for '{property}': declare it in the field's 'items.properties'."
            )
        };
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
        } => Code::InvalidScreenDynamicData, |f| {
            write!(
                f,
                "Data model schema is invalid for '{reference}'. Expected '{property}' of its items to be of type '{expected}' but found '{found}'."
            )
        };
        /// An `__example__` item of a bound list without a property the component's items need.
        ExampleItemIncomplete {
            /// The binding.
            reference: String,
            /// The component.
            component: &'static str,
            /// The item property (dotted path).
            property: String,
        } => Code::InvalidScreenData, |f| {
            write!(
                f,
                "This example item of '{reference}' has no '{property}', which every item of {component} needs: the preview cannot show it, and the data sent at run time must have it."
            )
        };
        /// A data model field or input name with a character Meta advises against (`-`, space,
        /// backtick, `'`).
        FieldNameCharacters {
            /// The name.
            name: String,
            /// The name with those characters replaced by `_`.
            suggestion: String,
        } => Code::PatternMismatch, |f| {
            write!(
                f,
                "Field name '{name}' has a character Meta advises against in dynamic data names ('-', space, backtick or \"'\"): bindings and expressions may not read it. Use letters, digits and underscores, e.g. '{suggestion}'."
            )
        };
        /// A binding that reads into an array's item schema.
        ArrayDereference {
            /// The binding.
            reference: String,
        } => Code::InvalidScreenDynamicData, |f| {
            write!(
                f,
                "'{reference}' is invalid as 'items' is defined in an array schema in the data model."
            )
        };
        /// A `${form.…}` that names no input of the screen.
        MissingFormComponent {
            /// The binding.
            reference: String,
            /// The screen id.
            screen: String,
            /// In an action payload.
            in_payload: bool,
        } => if *in_payload {
            Code::InvalidOnClickActionPayload
        } else {
            Code::InvalidScreenDynamicData
        }, |f| {
            write!(f, "Missing Form component {reference} for screen '{screen}'.")
        };
        /// A `${form.…}` naming the Form itself.
        FormContainerReference => Code::InvalidOnClickActionPayload, |f| {
            f.write_str("Value of 'Form' component cannot be used in form binding.")
        };
        /// A `${screen.X…}` whose screen does not exist.
        UnknownScreenReference {
            /// The binding.
            reference: String,
            /// The screen id.
            screen: String,
        } => Code::InvalidScreenDynamicData, |f| {
            write!(f, "'{reference}' refers to screen '{screen}', which does not exist.")
        };
        /// A `${screen.X…}` that names the current screen.
        SelfScreenReference {
            /// The binding.
            reference: String,
        } => Code::InvalidScreenDynamicData, |f| {
            write!(
                f,
                "'{reference}' represents current screen. Convert expression to local referencing, e.g. ${{data.field}}."
            )
        };
        /// A `${screen.X…}` in a version before global references (4.0).
        GlobalReferenceTooOld {
            /// The binding.
            reference: String,
            /// The flow's version.
            version: Version,
        } => Code::InvalidScreenDynamicData, |f| {
            write!(
                f,
                "'{reference}' reads another screen, which needs Flow JSON version 4.0 or later; version {version} takes it as plain text. Pass the value in the navigate payload instead, or move the flow to version {}.",
                Version::LATEST
            )
        };
        /// A string that mixes text and a binding: shown literally, not filled in.
        MixedBinding {
            /// The property.
            property: String,
            /// The value rewritten as a nested expression (6.0+).
            suggestion: Option<String>,
            /// In RichText Meta rejects it.
            rich_text: bool,
        } => Code::InvalidTextDynamicData, |f| {
            write!(
                f,
                "Property '{property}' mixes text and dynamic data: WhatsApp shows it literally, without the values."
            )?;
            match suggestion {
                Some(suggestion) => write!(f, " Use a nested expression instead: {suggestion}"),
                None => f.write_str(" Nested expressions need Flow JSON 6.0; before, give the whole text as data."),
            }
        };
        /// A nested expression before 6.0: shown literally.
        ExpressionTooOld {
            /// The property.
            property: String,
        } => Code::InvalidTextDynamicData, |f| {
            write!(
                f,
                "Property '{property}' is written as a nested expression, which needs Flow JSON 6.0: this version shows it literally."
            )
        };
        /// `${…}` that is not a valid binding.
        InvalidBinding {
            /// The text.
            text: String,
        } => Code::PatternMismatch, |f| {
            write!(
                f,
                "'{text}' is not valid dynamic data: write ${{data.field}}, ${{form.name}} or ${{screen.SCREEN_ID.data.field}}."
            )
        };
        /// A nested expression or condition that does not parse or type-check.
        Expression {
            /// The property.
            property: String,
            /// What is wrong.
            error: ExpressionError,
        } => Code::InvalidPropertyValue, |f| {
            write!(f, "Invalid value found for property '{property}': {error}")
        };
    }
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
