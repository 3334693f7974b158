//! The component catalog: one description of every Flow JSON component (§3.3, §4) and of what
//! each version allows. The validator, the editor's inspector forms, the palette and the phone
//! preview all read it, so every limit and enum of a component is written here and nowhere else.
//!
//! ```
//! use flow_model::catalog::{self, Event, ActionName, Parent};
//! use flow_model::Version;
//!
//! let text_input = catalog::component("TextInput").unwrap();
//! let label = text_input.property("label", Version::V7_3).unwrap();
//! assert_eq!(label.limits.max_chars, Some(20));
//! assert!(label.is_required(Version::V7_3));
//! assert!(text_input.property("pattern", Version::V6_1).is_none()); // 6.2+
//!
//! let footer = catalog::allowed_actions("Footer", Event::OnClick, Version::V7_3);
//! assert!(footer.contains(&ActionName::Complete));
//! assert!(catalog::allowed_children(Parent::Form, Version::V7_3).any(|c| c.name == "TextInput"));
//! ```
mod components;
pub mod prop;

use std::fmt;

use crate::model::key;
use crate::version::Version;

pub use components::COMPONENTS;

/// One component type, e.g. `TextInput`.
#[derive(Debug)]
pub struct Component {
    /// The `type` value, e.g. `"TextInput"`.
    pub name: &'static str,
    /// One line for the palette.
    pub summary: &'static str,
    /// The palette group.
    pub category: Category,
    /// The first version with the component.
    pub since: Version,
    /// Every property, `type` excluded, in the order the inspector shows them. A property
    /// whose shape changed between versions is listed once per shape, with disjoint
    /// [`Property::since`] / [`Property::until`] ranges: use [`Component::properties`].
    pub properties: &'static [Property],
    /// Where the component may sit.
    pub parents: Parents,
    /// The most of this component one screen may hold.
    pub per_screen: Option<ScreenLimit>,
    /// The most of this component one flow may hold.
    pub per_flow: Option<u32>,
    /// The type of the value an input gives `${form.NAME}`, for inputs.
    pub value: Option<ValueType>,
}

/// Palette groups.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Category {
    /// Headings, body text, captions, rich text.
    Text,
    /// Text fields, choices, dates, opt-ins.
    Input,
    /// Photo and document pickers.
    Media,
    /// Images and carousels.
    Image,
    /// Footer, links and navigation lists.
    Navigation,
    /// Form, If and Switch: components that hold components.
    Container,
}

/// The type of a value, as the data model and type checks name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ValueType {
    /// A string (also dates as `"YYYY-MM-DD"`).
    String,
    /// What is typed into a TextInput: a string, but a number in expressions when its
    /// `input-type` is `number` (see [`ValueType::in_expressions`]).
    Text,
    /// A number.
    Number,
    /// `true` or `false`.
    Boolean,
    /// An array of strings.
    StringArray,
    /// A date (`"YYYY-MM-DD"`) or, in CalendarPicker's range mode, `{start-date, end-date}`.
    DateOrRange,
    /// Uploaded media: an array of media descriptions.
    Media,
}

impl ValueType {
    /// The JSON type names a value of this type may have.
    pub fn json_types(self) -> &'static [&'static str] {
        match self {
            ValueType::String | ValueType::Text => &["string"],
            ValueType::Number => &["number"],
            ValueType::Boolean => &["boolean"],
            ValueType::StringArray | ValueType::Media => &["array"],
            ValueType::DateOrRange => &["string", "object"],
        }
    }
}

impl ValueType {
    /// The type of the value `${form.NAME}` reads in a nested expression, for the input
    /// `component`: a TextInput whose `input-type` is `number` gives a number (Meta's
    /// nested-expression examples compare it with `18` and subtract it from `2024`), one whose
    /// input type is a binding may give either (`None`: not known statically).
    pub fn in_expressions(self, component: &serde_json::Map<String, serde_json::Value>) -> Option<ValueType> {
        match (self, component.get(prop::INPUT_TYPE).and_then(serde_json::Value::as_str)) {
            (ValueType::Text, Some("number")) => Some(ValueType::Number),
            (ValueType::Text, Some(input_type))
                if input_type.starts_with("${") || input_type.starts_with('`') =>
            {
                None
            }
            (ValueType::Text, _) => Some(ValueType::String),
            (other, _) => Some(other),
        }
    }
}

impl fmt::Display for ValueType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ValueType::String | ValueType::Text => "string",
            ValueType::Number => "number",
            ValueType::Boolean => "boolean",
            ValueType::StringArray | ValueType::Media => "array",
            ValueType::DateOrRange => "string or object",
        })
    }
}

/// A per-screen maximum (§3.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScreenLimit {
    /// At most this many on one screen (If/Switch branches count as alternatives).
    pub max: u32,
    /// The first version with the limit.
    pub since: Version,
    /// Other component types counted together with this one (the media pickers share one).
    pub shared_with: &'static [&'static str],
}

/// The lists a component can sit in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Parent {
    /// `layout.children` of a screen.
    Layout,
    /// `children` of a Form.
    Form,
    /// `then` or `else` of an If.
    If,
    /// A case of a Switch.
    Switch,
}

impl Parent {
    /// The name people know the place by.
    pub fn as_str(self) -> &'static str {
        match self {
            Parent::Layout => key::LAYOUT,
            Parent::Form => "Form",
            Parent::If => "If",
            Parent::Switch => "Switch",
        }
    }
}

/// From which version a component may sit in each kind of list (`None`: never).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Parents {
    /// Directly in the screen layout.
    pub layout: Option<Version>,
    /// In a Form's children.
    pub form: Option<Version>,
    /// In an If branch (a Footer only in a top-level If, and then in both branches).
    pub if_branch: Option<Version>,
    /// In a Switch case.
    pub switch_case: Option<Version>,
}

impl Parents {
    /// The first version in which the component may sit in `parent`.
    pub fn since(&self, parent: Parent) -> Option<Version> {
        match parent {
            Parent::Layout => self.layout,
            Parent::Form => self.form,
            Parent::If => self.if_branch,
            Parent::Switch => self.switch_case,
        }
    }
}

/// One property of a component (or of an object inside one, such as a data-source item).
#[derive(Debug, Clone, Copy)]
pub struct Property {
    /// The key, e.g. `"label"`.
    pub name: &'static str,
    /// What values it takes.
    pub kind: Kind,
    /// Required from this version on (`None`: optional).
    pub required_since: Option<Version>,
    /// Whether a binding (`${data.x}`, `${form.x}`, `${screen.S.data.x}`) or, from 6.0, a
    /// nested expression may stand for the value.
    pub dynamic: bool,
    /// The first version with the property.
    pub since: Version,
    /// The first version without it (its shape changed: see the next entry of the same name).
    pub until: Option<Version>,
    /// Only on a component that is not inside a Form (`init-value`, `error-message`).
    pub outside_form_only: bool,
    /// Limits of the value.
    pub limits: Limits,
    /// The value used when the property is absent, as the inspector shows it.
    pub default: Option<&'static str>,
}

/// Limits of a property's value; `None` means unlimited.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Limits {
    /// Most characters of a string (of each string, for lists of strings).
    pub max_chars: Option<u32>,
    /// Fewest items of an array.
    pub min_items: Option<u32>,
    /// Most items of an array.
    pub max_items: Option<u32>,
    /// Smallest number.
    pub minimum: Option<f64>,
    /// Largest number.
    pub maximum: Option<f64>,
    /// Largest decoded size of a base64 image, in kilobytes.
    pub max_kilobytes: Option<u32>,
    /// Largest decoded size of a base64 image Meta recommends, in kilobytes: larger images
    /// are accepted (a warning), but slow the screen down.
    pub recommended_kilobytes: Option<u32>,
    /// `max_chars` is the limit Meta's documentation gives, but Meta's own examples go over
    /// it, so longer text is a warning rather than an error.
    pub max_chars_advised: bool,
}

/// What values a property takes.
#[derive(Debug, Clone, Copy)]
pub enum Kind {
    /// A string, possibly in a particular format.
    String(Format),
    /// `true` or `false`.
    Boolean,
    /// Any JSON number.
    Number,
    /// A whole number.
    Integer,
    /// One of these strings.
    Enum(&'static [&'static str]),
    /// An array whose items are all of one kind.
    List(&'static Kind),
    /// A closed object with these properties.
    Object(&'static [Property]),
    /// An object whose keys are free and whose values are of one kind.
    Map(&'static Kind),
    /// Any JSON value (but `null`, which Flow JSON never accepts).
    Any,
    /// An action object; the actions allowed and from which version.
    Action(&'static [AllowedAction]),
    /// An array of components.
    Components,
    /// Switch cases: an object of component arrays.
    Cases,
    /// One of several kinds (e.g. a string, or from 5.1 a string or a list of strings).
    OneOf(&'static [Kind]),
}

impl Kind {
    /// How the kind is named in messages, e.g. `string`, `array`.
    pub fn type_name(&self) -> &'static str {
        match self {
            Kind::String(_) | Kind::Enum(_) => "string",
            Kind::Boolean => "boolean",
            Kind::Number => "number",
            Kind::Integer => "integer",
            Kind::List(_) | Kind::Components => "array",
            Kind::Object(_) | Kind::Map(_) | Kind::Action(_) | Kind::Cases => "object",
            Kind::Any => "any",
            Kind::OneOf(kinds) => match kinds {
                [Kind::String(_), Kind::List(_)] => "string or array",
                [Kind::Boolean, Kind::String(_)] => "boolean or string",
                [Kind::String(_), Kind::Object(_)] | [Kind::String(_), Kind::Map(_)] => "string or object",
                [Kind::Boolean, Kind::Object(_)] => "boolean or object",
                _ => "one of several types",
            },
        }
    }
}

/// Special string formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// Any text.
    Text,
    /// An input's `name`: from 6.0 neither a binding nor an expression.
    Name,
    /// A date: `"YYYY-MM-DD"` from 5.0, a millisecond timestamp before.
    Date,
    /// A JavaScript regular expression, without the slashes.
    Regex,
    /// A base64-encoded image.
    Image,
    /// `#RRGGBB`.
    HexColor,
}

/// An action a property accepts, from a version on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AllowedAction {
    /// The action.
    pub action: ActionName,
    /// The first version in which the property accepts it.
    pub since: Version,
}

/// The names of actions (§5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ActionName {
    /// Go to another screen.
    Navigate,
    /// End the flow and send the payload to the business.
    Complete,
    /// Send the payload to the business endpoint.
    DataExchange,
    /// Change the current screen's data (6.0+).
    UpdateData,
    /// Open a web page (6.0+).
    OpenUrl,
}

impl ActionName {
    /// Every action.
    pub const ALL: &'static [ActionName] = &[
        ActionName::Navigate,
        ActionName::Complete,
        ActionName::DataExchange,
        ActionName::UpdateData,
        ActionName::OpenUrl,
    ];

    /// The `name` value, e.g. `"data_exchange"`.
    pub fn as_str(self) -> &'static str {
        match self {
            ActionName::Navigate => "navigate",
            ActionName::Complete => "complete",
            ActionName::DataExchange => "data_exchange",
            ActionName::UpdateData => "update_data",
            ActionName::OpenUrl => "open_url",
        }
    }

    /// The action for a `name` value.
    pub fn parse(name: &str) -> Option<ActionName> {
        ActionName::ALL.iter().copied().find(|action| action.as_str() == name)
    }

    /// The first version with the action.
    pub fn since(self) -> Version {
        match self {
            ActionName::UpdateData | ActionName::OpenUrl => Version::V6_0,
            _ => Version::V1_0,
        }
    }
}

impl fmt::Display for ActionName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The properties that hold actions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Event {
    /// `on-click-action`.
    OnClick,
    /// `on-select-action`.
    OnSelect,
    /// `on-unselect-action`.
    OnUnselect,
}

impl Event {
    /// Every event.
    pub const ALL: &'static [Event] = &[Event::OnClick, Event::OnSelect, Event::OnUnselect];

    /// The property name, e.g. `"on-click-action"`.
    pub fn property(self) -> &'static str {
        match self {
            Event::OnClick => prop::ON_CLICK_ACTION,
            Event::OnSelect => prop::ON_SELECT_ACTION,
            Event::OnUnselect => prop::ON_UNSELECT_ACTION,
        }
    }

    /// The event of a property name.
    pub fn from_property(name: &str) -> Option<Event> {
        Event::ALL.iter().copied().find(|event| event.property() == name)
    }
}

impl Component {
    /// Whether the component exists in `version`.
    pub fn is_available(&self, version: Version) -> bool {
        self.since <= version
    }

    /// The properties of the component in `version`, in inspector order.
    pub fn properties(&self, version: Version) -> impl Iterator<Item = &'static Property> + use<> {
        self.properties.iter().filter(move |property| property.is_available(version))
    }

    /// One property as it is in `version`.
    pub fn property(&self, name: &str, version: Version) -> Option<&'static Property> {
        find_property(self.properties, name, version)
    }

    /// Whether the component may sit in `parent` in `version`.
    pub fn allowed_in(&self, parent: Parent, version: Version) -> bool {
        self.parents.since(parent).is_some_and(|since| since <= version)
    }

    /// The actions its `event` property accepts in `version` (empty without such property).
    pub fn allowed_actions(&self, event: Event, version: Version) -> Vec<ActionName> {
        self.property(event.property(), version).map(|p| p.allowed_actions(version)).unwrap_or_default()
    }

    /// Whether the component is an input: it has a `name` and a value in `${form.NAME}`.
    pub fn is_input(&self) -> bool {
        self.value.is_some()
    }

    /// Whether the component is a container (Form, If, Switch).
    pub fn is_container(&self) -> bool {
        self.category == Category::Container
    }
}

/// The property `name` of `properties` as it is in `version`.
pub fn find_property(
    properties: &'static [Property],
    name: &str,
    version: Version,
) -> Option<&'static Property> {
    properties.iter().find(|property| same(property.name, name) && property.is_available(version))
}

/// Whether `properties` has `name` in any version, and the first such version.
pub fn first_version_of(properties: &'static [Property], name: &str) -> Option<Version> {
    properties.iter().filter(|property| property.name == name).map(|property| property.since).min()
}

impl Property {
    /// Whether the property exists in `version`.
    pub fn is_available(&self, version: Version) -> bool {
        self.since <= version && self.until.is_none_or(|until| version < until)
    }

    /// Whether the property must be present in `version`.
    pub fn is_required(&self, version: Version) -> bool {
        self.required_since.is_some_and(|since| since <= version)
    }

    /// The actions an action property accepts in `version` (empty for other kinds).
    pub fn allowed_actions(&self, version: Version) -> Vec<ActionName> {
        match self.kind {
            Kind::Action(allowed) => allowed
                .iter()
                .filter(|allowed| allowed.since <= version)
                .map(|allowed| allowed.action)
                .collect(),
            _ => Vec::new(),
        }
    }

    // Builders for the tables in `components.rs`.

    const fn new(name: &'static str, kind: Kind) -> Property {
        Property {
            name,
            kind,
            required_since: None,
            dynamic: false,
            since: Version::V1_0,
            until: None,
            outside_form_only: false,
            limits: Limits {
                max_chars: None,
                min_items: None,
                max_items: None,
                minimum: None,
                maximum: None,
                max_kilobytes: None,
                recommended_kilobytes: None,
                max_chars_advised: false,
            },
            default: None,
        }
    }

    const fn required(self) -> Property {
        Property { required_since: Some(Version::V1_0), ..self }
    }

    const fn required_since(self, version: Version) -> Property {
        Property { required_since: Some(version), ..self }
    }

    const fn dynamic(self) -> Property {
        Property { dynamic: true, ..self }
    }

    const fn since(self, version: Version) -> Property {
        Property { since: version, ..self }
    }

    const fn until(self, version: Version) -> Property {
        Property { until: Some(version), ..self }
    }

    const fn outside_form_only(self) -> Property {
        Property { outside_form_only: true, ..self }
    }

    const fn max_chars(self, max: u32) -> Property {
        Property { limits: Limits { max_chars: Some(max), ..self.limits }, ..self }
    }

    /// A character limit Meta documents but its own examples exceed (a warning).
    const fn advised_max_chars(self, max: u32) -> Property {
        Property { limits: Limits { max_chars: Some(max), max_chars_advised: true, ..self.limits }, ..self }
    }

    const fn items(self, min: u32, max: u32) -> Property {
        Property { limits: Limits { min_items: Some(min), max_items: Some(max), ..self.limits }, ..self }
    }

    const fn min_items(self, min: u32) -> Property {
        Property { limits: Limits { min_items: Some(min), ..self.limits }, ..self }
    }

    const fn max_items(self, max: u32) -> Property {
        Property { limits: Limits { max_items: Some(max), ..self.limits }, ..self }
    }

    const fn minimum(self, min: f64) -> Property {
        Property { limits: Limits { minimum: Some(min), ..self.limits }, ..self }
    }

    const fn range(self, min: f64, max: f64) -> Property {
        Property { limits: Limits { minimum: Some(min), maximum: Some(max), ..self.limits }, ..self }
    }

    const fn max_kilobytes(self, max: u32) -> Property {
        Property { limits: Limits { max_kilobytes: Some(max), ..self.limits }, ..self }
    }

    const fn recommended_kilobytes(self, max: u32) -> Property {
        Property { limits: Limits { recommended_kilobytes: Some(max), ..self.limits }, ..self }
    }

    const fn default(self, value: &'static str) -> Property {
        Property { default: Some(value), ..self }
    }
}

/// The component of a `type` value, e.g. `catalog::component("TextInput")`.
pub fn component(name: &str) -> Option<&'static Component> {
    COMPONENTS.iter().find(|component| same(component.name, name))
}

/// String equality without a call to `memcmp`: names are short and mostly differ early, and
/// the validator compares them in its hot loops.
#[inline]
pub(crate) fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).all(|(x, y)| x == y)
}

/// Every component, in palette order.
pub fn components() -> impl Iterator<Item = &'static Component> {
    COMPONENTS.iter()
}

/// The components that exist in `version`, in palette order.
pub fn available(version: Version) -> impl Iterator<Item = &'static Component> {
    COMPONENTS.iter().filter(move |component| component.is_available(version))
}

/// The actions `component`'s `event` property accepts in `version` (empty for an unknown
/// component or one without that property).
pub fn allowed_actions(component: &str, event: Event, version: Version) -> Vec<ActionName> {
    self::component(component).map(|found| found.allowed_actions(event, version)).unwrap_or_default()
}

/// The components that may sit in `container` in `version`, in palette order.
pub fn allowed_children(container: Parent, version: Version) -> impl Iterator<Item = &'static Component> {
    available(version).filter(move |component| component.allowed_in(container, version))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_component_is_found_by_name_and_names_are_unique() {
        for (index, component) in COMPONENTS.iter().enumerate() {
            assert!(std::ptr::eq(super::component(component.name).unwrap(), component));
            assert!(COMPONENTS[..index].iter().all(|other| other.name != component.name));
        }
        assert!(super::component("Carousel").is_none());
        assert_eq!(COMPONENTS.len(), 24);
    }

    #[test]
    fn property_versions_never_overlap() {
        fn check(owner: &str, properties: &'static [Property]) {
            for (index, property) in properties.iter().enumerate() {
                for other in &properties[..index] {
                    if other.name == property.name {
                        let disjoint = other.until.is_some_and(|until| until <= property.since)
                            || property.until.is_some_and(|until| until <= other.since);
                        assert!(disjoint, "{owner}.{} has overlapping versions", property.name);
                    }
                }
                match property.kind {
                    Kind::Object(inner) | Kind::List(&Kind::Object(inner)) => check(property.name, inner),
                    _ => {}
                }
            }
        }
        for component in COMPONENTS {
            check(component.name, component.properties);
        }
    }

    #[test]
    fn versions_gate_components_properties_and_actions() {
        let text_body = component("TextBody").unwrap();
        assert!(matches!(text_body.property("text", Version::V5_0).unwrap().kind, Kind::String(_)));
        assert!(matches!(text_body.property("text", Version::V5_1).unwrap().kind, Kind::OneOf(_)));
        assert!(text_body.property("markdown", Version::V5_0).is_none());
        assert_eq!(
            allowed_actions("OptIn", Event::OnClick, Version::V5_1),
            [ActionName::DataExchange, ActionName::Navigate]
        );
        assert!(allowed_actions("OptIn", Event::OnClick, Version::V6_0).contains(&ActionName::OpenUrl));
        assert!(allowed_actions("ChipsSelector", Event::OnSelect, Version::V7_0).is_empty());
        assert!(!component("ChipsSelector").unwrap().allowed_in(Parent::If, Version::V7_0));
        assert!(component("ChipsSelector").unwrap().allowed_in(Parent::If, Version::V7_1));
        assert!(!allowed_children(Parent::Form, Version::V7_3).any(|c| c.name == "RichText"));
        assert!(!allowed_children(Parent::Switch, Version::V7_3).any(|c| c.name == "If"));
        assert_eq!(available(Version::V5_1).count(), 20);
    }
}
