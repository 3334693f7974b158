//! Typed, read-only views of a flow: [`Flow`], [`Screen`], [`DataModel`], [`Component`] (by
//! kind, with Form, If and Switch nesting) and [`Action`]. They borrow the document's JSON
//! value and copy nothing; anything missing or of the wrong type reads as `None` (the validator
//! says why). The app reads flows through these views; the structural key names of Flow JSON
//! are written once, in [`key`] (component properties are named by the
//! [catalog](crate::catalog)).
//!
//! ```
//! use flow_model::model::{ComponentKind, Flow};
//!
//! let document = flow_model::parse(flow_model::templates::APPOINTMENT_BOOKING).document.unwrap();
//! let flow = Flow::new(&document).unwrap();
//! let first = flow.screens().next().unwrap();
//! assert_eq!(first.id(), Some("APPOINTMENT"));
//! let ComponentKind::Form(form) = first.children().next().unwrap().kind() else { panic!() };
//! assert_eq!(form.children().count(), 5);
//! ```
use serde_json::{Map, Value};

use crate::catalog::{self, ActionName, Event};
use crate::document::Document;
use crate::expression::{self, Dynamic};
use crate::json::{member, pointer};
use crate::version::Version;

/// Defines key name constants, each with its doc, and `ALL`, every name defined, in order
/// (what `model::tests::each_key_is_written_once` checks). `NAME, NAME_AT = "text"` also
/// defines the JSON Pointer of a member of the flow (`/text`).
macro_rules! key_names {
    ($($(#[$doc:meta])* $name:ident $(, $at:ident)? = $text:literal;)*) => {
        $(
            $(#[$doc])*
            pub const $name: &str = $text;
            $(
                /// The JSON Pointer of the member.
                pub const $at: &str = concat!("/", $text);
            )?
        )*
        /// Every key name defined here, in order.
        pub const ALL: &[&str] = &[$($name),*];
    };
}
pub(crate) use key_names;

/// The key names of Flow JSON's structure (the flow, screens, containers, actions, data
/// models), written here once. Component properties are in the catalog.
pub mod key {
    key_names! {
        /// The flow's `version`.
        VERSION, VERSION_AT = "version";
        /// The flow's `data_api_version`.
        DATA_API_VERSION, DATA_API_VERSION_AT = "data_api_version";
        /// The flow's `routing_model`.
        ROUTING_MODEL, ROUTING_MODEL_AT = "routing_model";
        /// The flow's `screens`.
        SCREENS, SCREENS_AT = "screens";
        /// The flow's `data_channel_uri` (until 3.0).
        DATA_CHANNEL_URI, DATA_CHANNEL_URI_AT = "data_channel_uri";
        /// The flow's `meta` object, as Meta's builder writes it.
        META, META_AT = "meta";
        /// The one member of `meta`, `lead_gen_ai`.
        LEAD_GEN_AI = "lead_gen_ai";

        /// A screen's `id`.
        ID = "id";
        /// A screen's `title`.
        TITLE = "title";
        /// A screen's `terminal`.
        TERMINAL = "terminal";
        /// A screen's `success`.
        SUCCESS = "success";
        /// A screen's `refresh_on_back`.
        REFRESH_ON_BACK = "refresh_on_back";
        /// A screen's `sensitive` field names.
        SENSITIVE = "sensitive";
        /// A screen's data model, `data`.
        DATA = "data";
        /// A data model's `required` list (not a field).
        REQUIRED = "required";
        /// A data model field's example value, `__example__`.
        EXAMPLE = "__example__";
        /// An object field's `properties` in a data model.
        PROPERTIES = "properties";
        /// An array field's `items` in a data model.
        ITEMS = "items";
        /// A data model field's allowed values, `enum`.
        ENUM = "enum";
        /// A screen's `layout`.
        LAYOUT = "layout";
        /// The `type` of a layout, a component or a data model field.
        TYPE = "type";
        /// The `children` of a layout or a Form.
        CHILDREN = "children";
        /// An input's or a Form's `name`; an action's `name`; `next.name`.
        NAME = "name";
        /// A component's `visible`.
        VISIBLE = "visible";
        /// A Form's `init-values`.
        INIT_VALUES = "init-values";
        /// A Form's `error-messages`.
        ERROR_MESSAGES = "error-messages";
        /// An input's `init-value`.
        INIT_VALUE = "init-value";
        /// An input's `error-message`.
        ERROR_MESSAGE = "error-message";
        /// An If's `condition`.
        CONDITION = "condition";
        /// An If's `then` branch.
        THEN = "then";
        /// An If's `else` branch.
        ELSE = "else";
        /// A Switch's `value`.
        VALUE = "value";
        /// A Switch's `cases`.
        CASES = "cases";
        /// A navigate action's `next`.
        NEXT = "next";
        /// The one `type` of a navigate action's `next`, `screen`.
        SCREEN = "screen";
        /// An action's `payload`.
        PAYLOAD = "payload";
        /// An open_url action's `url`.
        URL = "url";
    }
}

/// `parts` one after the other (`[..].concat()` pulls a generic joiner into the app's bundle).
fn joined(parts: &[&str]) -> String {
    let mut text = String::new();
    for part in parts {
        text.push_str(part);
    }
    text
}

/// A member of an object. Not inlined: the views' accessors are each a call to it (the
/// smallest code for the app's bundle).
#[inline(never)]
fn get<'a>(object: &'a Map<String, Value>, key: &str) -> Option<&'a Value> {
    member(object, key)
}

/// A string member of an object.
#[inline(never)]
fn text<'a>(object: &'a Map<String, Value>, key: &str) -> Option<&'a str> {
    get(object, key).and_then(Value::as_str)
}

/// A value that is either written in the flow or read at run time from a binding or a nested
/// expression.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Dyn<'a, T> {
    /// Written in the flow.
    Static(T),
    /// A binding (`${data.x}`) or nested expression, as written.
    Dynamic(&'a str),
}

fn dynamic_text(text: &str) -> bool {
    matches!(expression::classify(text), Dynamic::Binding(_) | Dynamic::Expression(_))
}

/// The whole flow.
#[derive(Debug, Clone, Copy)]
pub struct Flow<'a> {
    root: &'a Map<String, Value>,
}

impl<'a> Flow<'a> {
    /// The flow of a document whose root is an object.
    pub fn new(document: &'a Document) -> Option<Flow<'a>> {
        Flow::from_value(document.root())
    }

    /// The flow of a JSON value that is an object.
    pub fn from_value(root: &'a Value) -> Option<Flow<'a>> {
        root.as_object().map(Flow::of)
    }

    /// The flow of its root object.
    pub fn of(root: &'a Map<String, Value>) -> Flow<'a> {
        Flow { root }
    }

    /// The root object.
    pub fn object(&self) -> &'a Map<String, Value> {
        self.root
    }

    /// `version` as written.
    pub fn version_text(&self) -> Option<&'a str> {
        text(self.root, key::VERSION)
    }

    /// `version`, when it is `major.minor`.
    pub fn version(&self) -> Option<Version> {
        self.version_text().and_then(Version::parse)
    }

    /// `data_api_version`.
    pub fn data_api_version(&self) -> Option<&'a str> {
        text(self.root, key::DATA_API_VERSION)
    }

    /// Whether the flow talks to an endpoint (it declares `data_api_version`).
    pub fn is_endpoint_flow(&self) -> bool {
        get(self.root, key::DATA_API_VERSION).is_some()
    }

    /// Whether the flow declares a `routing_model`.
    pub fn has_routing_model(&self) -> bool {
        get(self.root, key::ROUTING_MODEL).is_some()
    }

    /// The routing model: each screen id with the screen ids it may lead to.
    pub fn routing_model(&self) -> impl Iterator<Item = (&'a str, Vec<&'a str>)> + use<'a> {
        let model = get(self.root, key::ROUTING_MODEL).and_then(Value::as_object);
        model.into_iter().flatten().map(|(from, to)| {
            let to =
                to.as_array().map(|to| to.iter().filter_map(Value::as_str).collect()).unwrap_or_default();
            (from.as_str(), to)
        })
    }

    /// The routes the routing model declares from `from`, as written (`None` without one).
    pub fn routes_from(&self, from: &str) -> Option<&'a [Value]> {
        get(self.root, key::ROUTING_MODEL)?.get(from)?.as_array().map(Vec::as_slice)
    }

    /// `/routing_model/FROM/N`, the pointer of a route.
    pub fn route_pointer(from: &str, index: usize) -> String {
        pointer::join(&pointer::join(key::ROUTING_MODEL_AT, from), index)
    }

    /// The screens, in order (entries that are not objects are skipped; indexes stay those of
    /// `screens`).
    pub fn screens(&self) -> Screens<'a> {
        let list = get(self.root, key::SCREENS).and_then(Value::as_array);
        Screens { items: list.map_or(&[][..], Vec::as_slice).iter().enumerate() }
    }

    /// How many entries `screens` has (0 when it is not a list).
    pub fn screen_count(&self) -> usize {
        get(self.root, key::SCREENS).and_then(Value::as_array).map_or(0, Vec::len)
    }

    /// The screen at `index` of `screens`, when it is an object.
    pub fn screen_at(&self, index: usize) -> Option<Screen<'a>> {
        let object = get(self.root, key::SCREENS)?.get(index)?.as_object()?;
        Some(Screen { index, object })
    }

    /// The first screen with `id`.
    pub fn screen(&self, id: &str) -> Option<Screen<'a>> {
        self.screens().find(|screen| screen.id() == Some(id))
    }

    /// The screens' ids, in order (screens without one left out).
    pub fn screen_ids(&self) -> impl Iterator<Item = &'a str> + use<'a> {
        self.screens().filter_map(|screen| screen.id())
    }
}

/// The screens of a flow, in order (see [`Flow::screens`]).
#[derive(Debug, Clone)]
pub struct Screens<'a> {
    items: std::iter::Enumerate<std::slice::Iter<'a, Value>>,
}

impl<'a> Iterator for Screens<'a> {
    type Item = Screen<'a>;

    fn next(&mut self) -> Option<Screen<'a>> {
        self.items.by_ref().find_map(|(index, item)| item.as_object().map(|object| Screen { index, object }))
    }
}

/// One screen.
#[derive(Debug, Clone, Copy)]
pub struct Screen<'a> {
    index: usize,
    object: &'a Map<String, Value>,
}

impl<'a> Screen<'a> {
    /// The screen object at `index` of `screens`.
    pub fn new(index: usize, object: &'a Map<String, Value>) -> Screen<'a> {
        Screen { index, object }
    }

    /// Its index in `screens`.
    pub fn index(&self) -> usize {
        self.index
    }

    /// `/screens/N`.
    pub fn pointer(&self) -> String {
        Screen::pointer_of(self.index)
    }

    /// `/screens/N`, the pointer of the screen at `index`.
    pub fn pointer_of(index: usize) -> String {
        pointer::join(key::SCREENS_AT, index)
    }

    /// The screen object.
    pub fn object(&self) -> &'a Map<String, Value> {
        self.object
    }

    /// `id`.
    pub fn id(&self) -> Option<&'a str> {
        text(self.object, key::ID)
    }

    /// `title` as written (it may be dynamic: see [`Screen::title`]).
    pub fn title_text(&self) -> Option<&'a str> {
        text(self.object, key::TITLE)
    }

    /// `title` (it may be dynamic).
    pub fn title(&self) -> Option<Dyn<'a, &'a str>> {
        let title = self.title_text()?;
        Some(if dynamic_text(title) { Dyn::Dynamic(title) } else { Dyn::Static(title) })
    }

    /// `terminal` (default false).
    pub fn is_terminal(&self) -> bool {
        get(self.object, key::TERMINAL).and_then(Value::as_bool).unwrap_or(false)
    }

    /// `success` (default true; only meaningful on terminal screens).
    pub fn is_success(&self) -> bool {
        get(self.object, key::SUCCESS).and_then(Value::as_bool).unwrap_or(true)
    }

    /// `refresh_on_back` (default false).
    pub fn refresh_on_back(&self) -> bool {
        get(self.object, key::REFRESH_ON_BACK).and_then(Value::as_bool).unwrap_or(false)
    }

    /// The names in `sensitive`.
    pub fn sensitive(&self) -> impl Iterator<Item = &'a str> + use<'a> {
        let list = get(self.object, key::SENSITIVE).and_then(Value::as_array);
        list.map_or(&[][..], Vec::as_slice).iter().filter_map(Value::as_str)
    }

    /// The data model (`data`).
    pub fn data(&self) -> Option<DataModel<'a>> {
        get(self.object, key::DATA).and_then(Value::as_object).map(|fields| DataModel { fields })
    }

    /// `layout.type`.
    pub fn layout_type(&self) -> Option<&'a str> {
        get(self.object, key::LAYOUT)?.get(key::TYPE)?.as_str()
    }

    /// The components of `layout.children` (containers hold the rest).
    pub fn children(&self) -> Components<'a> {
        self.layout_children().unwrap_or_else(|| Components::of(None))
    }

    /// The components of `layout.children`; `None` when it is not a list.
    pub fn layout_children(&self) -> Option<Components<'a>> {
        let children = get(self.object, key::LAYOUT).and_then(|layout| layout.get(key::CHILDREN))?;
        children.is_array().then(|| Components::of(Some(children)))
    }

    /// `/layout/children`, the pointer of [`Screen::children`] below the screen's.
    pub fn children_pointer(at: &str) -> String {
        joined(&[at, "/", key::LAYOUT, "/", key::CHILDREN])
    }

    /// Every component of the screen in document order, containers before their contents
    /// (every If branch and Switch case).
    pub fn every_component(&self) -> impl Iterator<Item = Component<'a>> + use<'a> {
        crate::walk::components(self.object, "")
            .into_iter()
            .map(|found| Component { object: found.component })
    }

    /// The names of the screen's form fields: every component with a `name` (Forms excluded),
    /// in document order.
    pub fn form_fields(&self) -> impl Iterator<Item = &'a str> + use<'a> {
        let named = self.every_component().filter(|c| !matches!(c.kind(), ComponentKind::Form(_)));
        named.filter_map(|c| c.name())
    }

    /// Every component of the screen in document order with its JSON Pointer, containers
    /// before their contents.
    pub fn components(&self) -> Vec<(String, Component<'a>)> {
        let all = crate::walk::components(self.object, &self.pointer());
        all.iter().map(|found| (all.pointer(found), Component { object: found.component })).collect()
    }
}

/// A screen's data model.
#[derive(Debug, Clone, Copy)]
pub struct DataModel<'a> {
    fields: &'a Map<String, Value>,
}

/// One declared field of a data model.
#[derive(Debug, Clone, Copy)]
pub struct Field<'a> {
    /// The field name.
    pub name: &'a str,
    /// Its JSON Schema.
    pub schema: &'a Map<String, Value>,
}

impl<'a> Field<'a> {
    /// The declared `type`.
    pub fn type_name(&self) -> Option<&'a str> {
        text(self.schema, key::TYPE)
    }

    /// The `__example__` value, which the preview shows.
    pub fn example(&self) -> Option<&'a Value> {
        get(self.schema, key::EXAMPLE)
    }
}

impl<'a> DataModel<'a> {
    /// The data model object.
    pub fn object(&self) -> &'a Map<String, Value> {
        self.fields
    }

    /// The declared fields (the `required` list excluded).
    pub fn fields(&self) -> impl Iterator<Item = Field<'a>> + use<'a> {
        self.fields.iter().filter(|(name, _)| *name != key::REQUIRED).filter_map(|(name, schema)| {
            schema.as_object().map(|schema| Field { name: name.as_str(), schema })
        })
    }

    /// The names of the declared fields, whatever their schema (the `required` list
    /// excluded).
    pub fn names(&self) -> impl Iterator<Item = &'a str> + use<'a> {
        self.fields.keys().map(String::as_str).filter(|name| *name != key::REQUIRED)
    }

    /// The field `name`.
    pub fn field(&self, name: &str) -> Option<Field<'a>> {
        self.fields().find(|field| field.name == name)
    }

    /// The data a screen starts with when nothing sent it any: each field's `__example__`.
    pub fn examples(&self) -> Map<String, Value> {
        self.fields().filter_map(|field| Some((field.name.to_owned(), field.example()?.clone()))).collect()
    }
}

/// A list of components (layout children, Form children, If branches, Switch cases).
#[derive(Debug, Clone)]
pub struct Components<'a> {
    items: std::slice::Iter<'a, Value>,
}

impl<'a> Components<'a> {
    fn of(list: Option<&'a Value>) -> Components<'a> {
        let items: &'a [Value] = list.and_then(Value::as_array).map_or(&[], Vec::as_slice);
        Components { items: items.iter() }
    }

    /// Every entry of the list with its index: `None` for one that is not a component
    /// object (which the iterator itself skips).
    pub fn entries(self) -> impl Iterator<Item = (usize, Option<Component<'a>>)> {
        self.items.enumerate().map(|(index, item)| (index, Component::from_value(item)))
    }
}

impl<'a> Iterator for Components<'a> {
    type Item = Component<'a>;

    fn next(&mut self) -> Option<Component<'a>> {
        self.items.by_ref().find_map(Component::from_value)
    }
}

/// One component of any type.
#[derive(Debug, Clone, Copy)]
pub struct Component<'a> {
    object: &'a Map<String, Value>,
}

/// A component by type. Leaf components are read through [`Component`]'s accessors (the
/// [catalog](crate::catalog) lists their properties); containers have their own views.
#[derive(Debug, Clone, Copy)]
#[allow(missing_docs)]
pub enum ComponentKind<'a> {
    Form(Form<'a>),
    If(If<'a>),
    Switch(Switch<'a>),
    /// Any other component (the catalog's entry, when it knows the type, says which).
    Leaf(Component<'a>),
}

impl<'a> Component<'a> {
    /// The component of a component object.
    pub fn new(object: &'a Map<String, Value>) -> Component<'a> {
        Component { object }
    }

    /// The component of a JSON value that is an object.
    pub fn from_value(value: &'a Value) -> Option<Component<'a>> {
        value.as_object().map(Component::new)
    }

    /// The component object.
    pub fn object(&self) -> &'a Map<String, Value> {
        self.object
    }

    /// `type`.
    pub fn type_name(&self) -> Option<&'a str> {
        text(self.object, key::TYPE)
    }

    /// Its catalog entry.
    pub fn spec(&self) -> Option<&'static catalog::Component> {
        self.type_name().and_then(catalog::component)
    }

    /// Whether the catalog knows it as an input (it holds a value under its `name`).
    pub fn is_input(&self) -> bool {
        self.spec().is_some_and(catalog::Component::is_input)
    }

    /// The component by kind: the containers with their views, every other as a leaf.
    pub fn kind(self) -> ComponentKind<'a> {
        match self.type_name() {
            Some("Form") => ComponentKind::Form(Form { component: self }),
            Some("If") => ComponentKind::If(If { component: self }),
            Some("Switch") => ComponentKind::Switch(Switch { component: self }),
            _ => ComponentKind::Leaf(self),
        }
    }

    /// A property's raw value.
    pub fn get(&self, property: &str) -> Option<&'a Value> {
        get(self.object, property)
    }

    /// Whether the property is written.
    pub fn has(&self, property: &str) -> bool {
        self.get(property).is_some()
    }

    /// A string property as written (a binding stays as written).
    pub fn str(&self, property: &str) -> Option<&'a str> {
        text(self.object, property)
    }

    /// A string property (`label`, `text`, …), static or dynamic.
    pub fn text(&self, property: &str) -> Option<Dyn<'a, &'a str>> {
        let text = self.str(property)?;
        Some(if dynamic_text(text) { Dyn::Dynamic(text) } else { Dyn::Static(text) })
    }

    /// The lines of a text that may be a string or (5.1+) a list of strings.
    pub fn lines(&self, property: &str) -> Vec<&'a str> {
        match self.get(property) {
            Some(Value::String(text)) => vec![text.as_str()],
            Some(Value::Array(lines)) => lines.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        }
    }

    /// A boolean property (`visible`, `required`, …), static or a binding.
    pub fn boolean(&self, property: &str) -> Option<Dyn<'a, bool>> {
        match self.get(property)? {
            Value::Bool(value) => Some(Dyn::Static(*value)),
            Value::String(text) if dynamic_text(text) => Some(Dyn::Dynamic(text)),
            _ => None,
        }
    }

    /// A number property (`max-chars`, `width`, …), static or a binding.
    pub fn number(&self, property: &str) -> Option<Dyn<'a, f64>> {
        match self.get(property)? {
            Value::Number(number) => number.as_f64().map(Dyn::Static),
            Value::String(text) if dynamic_text(text) => Some(Dyn::Dynamic(text)),
            _ => None,
        }
    }

    /// `name` of an input (or Form).
    pub fn name(&self) -> Option<&'a str> {
        self.str(key::NAME)
    }

    /// `visible` as written (absent: always shown).
    pub fn visible_value(&self) -> Option<&'a Value> {
        self.get(key::VISIBLE)
    }

    /// `visible` (default true).
    pub fn visible(&self) -> Dyn<'a, bool> {
        self.boolean(key::VISIBLE).unwrap_or(Dyn::Static(true))
    }

    /// `init-value` of an input outside a Form.
    pub fn init_value(&self) -> Option<&'a Value> {
        self.get(key::INIT_VALUE)
    }

    /// `error-message` of an input outside a Form.
    pub fn error_message(&self) -> Option<&'a Value> {
        self.get(key::ERROR_MESSAGE)
    }

    /// The objects of a list property (`data-source`, `list-items`, `images`) when written in
    /// the flow (not a binding).
    pub fn items(&self, property: &str) -> impl Iterator<Item = &'a Map<String, Value>> + use<'a> {
        let list = self.get(property).and_then(Value::as_array);
        list.map_or(&[][..], Vec::as_slice).iter().filter_map(Value::as_object)
    }

    /// The action of `event` on the component.
    pub fn action(&self, event: Event) -> Option<Action<'a>> {
        self.get(event.property()).and_then(Action::new)
    }

    /// Every action on the component, with its event.
    pub fn actions(&self) -> impl Iterator<Item = (Event, Action<'a>)> + use<'a> {
        let component = *self;
        Event::ALL.iter().filter_map(move |event| component.action(*event).map(|action| (*event, action)))
    }
}

/// A Form.
#[derive(Debug, Clone, Copy)]
pub struct Form<'a> {
    component: Component<'a>,
}

impl<'a> Form<'a> {
    /// `component` read as a Form (whatever its `type`: [`Component::kind`] checks it).
    pub fn new(component: Component<'a>) -> Form<'a> {
        Form { component }
    }

    /// The Form as a plain component.
    pub fn component(&self) -> Component<'a> {
        self.component
    }

    /// `name`.
    pub fn name(&self) -> Option<&'a str> {
        self.component.name()
    }

    /// `children`.
    pub fn children(&self) -> Components<'a> {
        Components::of(self.component.get(key::CHILDREN))
    }

    /// The pointer of [`Form::children`], below the Form's at `at`.
    pub fn children_pointer(at: &str) -> String {
        joined(&[at, "/", key::CHILDREN])
    }

    /// `init-values` as written (an object, or a binding of one).
    pub fn init_values(&self) -> Option<&'a Value> {
        self.component.get(key::INIT_VALUES)
    }

    /// `error-messages` as written (an object, or a binding of one).
    pub fn error_messages(&self) -> Option<&'a Value> {
        self.component.get(key::ERROR_MESSAGES)
    }
}

/// An If.
#[derive(Debug, Clone, Copy)]
pub struct If<'a> {
    component: Component<'a>,
}

impl<'a> If<'a> {
    /// `component` read as an If (whatever its `type`: [`Component::kind`] checks it).
    pub fn new(component: Component<'a>) -> If<'a> {
        If { component }
    }

    /// The If as a plain component.
    pub fn component(&self) -> Component<'a> {
        self.component
    }

    /// `condition` as written: a boolean (6.0+) or an expression string.
    pub fn condition_value(&self) -> Option<&'a Value> {
        self.component.get(key::CONDITION)
    }

    /// `condition`: a boolean (6.0+) or an expression string.
    pub fn condition(&self) -> Option<Dyn<'a, bool>> {
        match self.condition_value()? {
            Value::Bool(value) => Some(Dyn::Static(*value)),
            Value::String(text) => Some(Dyn::Dynamic(text)),
            _ => None,
        }
    }

    /// `then`.
    pub fn then(&self) -> Components<'a> {
        self.branch(true)
    }

    /// `else`.
    pub fn otherwise(&self) -> Components<'a> {
        self.branch(false)
    }

    /// `then` when the condition `holds`, else `else`.
    pub fn branch(&self, holds: bool) -> Components<'a> {
        Components::of(self.component.get(If::branch_key(holds)))
    }

    /// The pointer of [`If::branch`], below the If's at `at`.
    pub fn branch_pointer(at: &str, holds: bool) -> String {
        joined(&[at, "/", If::branch_key(holds)])
    }

    fn branch_key(holds: bool) -> &'static str {
        if holds { key::THEN } else { key::ELSE }
    }
}

/// A Switch.
#[derive(Debug, Clone, Copy)]
pub struct Switch<'a> {
    component: Component<'a>,
}

impl<'a> Switch<'a> {
    /// `component` read as a Switch (whatever its `type`: [`Component::kind`] checks it).
    pub fn new(component: Component<'a>) -> Switch<'a> {
        Switch { component }
    }

    /// The Switch as a plain component.
    pub fn component(&self) -> Component<'a> {
        self.component
    }

    /// `value`, a binding.
    pub fn value(&self) -> Option<&'a str> {
        self.component.str(key::VALUE)
    }

    /// The cases, in order, with their components.
    pub fn cases(&self) -> impl Iterator<Item = (&'a str, Components<'a>)> + use<'a> {
        let cases = self.component.get(key::CASES).and_then(Value::as_object);
        cases.into_iter().flatten().map(|(key, list)| (key.as_str(), Components::of(Some(list))))
    }

    /// The cases' values, in order.
    pub fn case_names(&self) -> CaseNames<'a> {
        CaseNames { keys: self.component.get(key::CASES).and_then(Value::as_object).map(Map::keys) }
    }

    /// The components of the case `value` (none when no case matches).
    pub fn case(&self, value: &str) -> Components<'a> {
        Components::of(self.component.get(key::CASES).and_then(|cases| cases.get(value)))
    }

    /// The pointer of [`Switch::case`], below the Switch's at `at`.
    pub fn case_pointer(at: &str, value: &str) -> String {
        joined(&[at, "/", key::CASES, "/", &pointer::escape(value)])
    }
}

/// The values of a Switch's cases, in order (see [`Switch::case_names`]).
#[derive(Debug, Clone)]
pub struct CaseNames<'a> {
    keys: Option<serde_json::map::Keys<'a>>,
}

impl<'a> Iterator for CaseNames<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        self.keys.as_mut()?.next().map(String::as_str)
    }
}

/// An action object (§5): `name`, `next`, `payload`, `url`.
#[derive(Debug, Clone, Copy)]
pub struct Action<'a> {
    object: &'a Map<String, Value>,
}

impl<'a> Action<'a> {
    /// The action of an action object (`None` when `value` is not an object).
    pub fn new(value: &'a Value) -> Option<Action<'a>> {
        value.as_object().map(Action::of)
    }

    /// The action of an action object.
    pub fn of(object: &'a Map<String, Value>) -> Action<'a> {
        Action { object }
    }

    /// The action object.
    pub fn object(&self) -> &'a Map<String, Value> {
        self.object
    }

    /// `name` as written (`None` when missing or not a string).
    pub fn name_text(&self) -> Option<&'a str> {
        text(self.object, key::NAME)
    }

    /// `name`, when it is an action WhatsApp knows.
    pub fn name(&self) -> Option<ActionName> {
        self.name_text().and_then(ActionName::parse)
    }

    /// Whether the action leaves the screen or sends its data (navigate, complete,
    /// data_exchange): WhatsApp checks the screen's inputs first.
    pub fn sends_form(&self) -> bool {
        matches!(self.name(), Some(ActionName::Navigate | ActionName::Complete | ActionName::DataExchange))
    }

    /// `next.name`: the screen a navigate action goes to.
    pub fn next(&self) -> Option<&'a str> {
        get(self.object, key::NEXT).and_then(|next| next.get(key::NAME)).and_then(Value::as_str)
    }

    /// `payload` as written (an object, or a binding of one).
    pub fn payload(&self) -> Option<&'a Value> {
        get(self.object, key::PAYLOAD)
    }

    /// `url` of open_url.
    pub fn url(&self) -> Option<&'a str> {
        text(self.object, key::URL)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// Issue 17: each Flow JSON key name is written in one place. `key_names!` registers
    /// every constant of `model::key`, `catalog::prop` and `message::key` in their `ALL`, so
    /// a name written twice, in one of them or in several, is found here.
    #[test]
    fn each_key_is_written_once() {
        assert!(key::ALL.contains(&key::SCREENS) && key::ALL.contains(&key::SCREEN));
        assert!(catalog::prop::ALL.contains(&catalog::prop::LABEL));
        let mut written = std::collections::HashMap::new();
        let mut twice = Vec::new();
        let modules = [
            ("model::key", key::ALL),
            ("catalog::prop", catalog::prop::ALL),
            ("message::key", crate::message::key::ALL),
        ];
        for (module, names) in modules {
            for name in names {
                if let Some(first) = written.insert(*name, module) {
                    twice.push(format!("{name:?} in {first} and {module}"));
                }
            }
        }
        assert_eq!(twice, Vec::<String>::new(), "key names written twice");
    }

    #[test]
    fn views_read_screens_components_and_actions() {
        let value = json!({"version": "7.3", "data_api_version": "3.0", "routing_model": {"A": ["B"]}, "screens": [
            {"id": "A", "title": "`'Hi ' ${data.name}`", "data": {"name": {"type": "string", "__example__": "Ana"}, "required": ["name"]},
             "layout": {"type": "SingleColumnLayout", "children": [
                {"type": "If", "condition": "${data.show}", "then": [{"type": "TextBody", "text": ["a", "b"]}], "else": []},
                {"type": "Switch", "value": "${data.kind}", "cases": {"x": [{"type": "Image", "src": "AAAA"}]}},
                {"type": "Form", "name": "f", "init-values": {"n": "x"}, "children": [
                    {"type": "TextInput", "name": "n", "label": "N", "required": "${data.req}", "max-chars": 5},
                    {"type": "Footer", "label": "Go", "on-click-action": {"name": "navigate", "next": {"type": "screen", "name": "B"}, "payload": {}}}
                ]},
                7
             ]}},
            {"id": "B", "terminal": true, "success": false}
        ]});
        let flow = Flow::from_value(&value).unwrap();
        assert_eq!(flow.version(), Some(Version::V7_3));
        assert!(flow.is_endpoint_flow());
        assert_eq!(flow.routing_model().collect::<Vec<_>>(), [("A", vec!["B"])]);
        let a = flow.screen("A").unwrap();
        assert!(matches!(a.title(), Some(Dyn::Dynamic(_))));
        assert_eq!(a.data().unwrap().fields().map(|f| f.name).collect::<Vec<_>>(), ["name"]);
        assert_eq!(a.data().unwrap().field("name").unwrap().type_name(), Some("string"));
        let children: Vec<_> = a.children().collect();
        assert_eq!(children.len(), 3);
        let ComponentKind::If(branch) = children[0].kind() else { panic!("an If") };
        assert_eq!(branch.then().next().unwrap().lines("text"), ["a", "b"]);
        assert_eq!(branch.otherwise().count(), 0);
        let ComponentKind::Switch(switch) = children[1].kind() else { panic!("a Switch") };
        assert_eq!(switch.cases().map(|(key, list)| (key, list.count())).collect::<Vec<_>>(), [("x", 1)]);
        assert_eq!(switch.case_names().collect::<Vec<_>>(), ["x"]);
        let ComponentKind::Form(form) = children[2].kind() else { panic!("a Form") };
        assert_eq!(form.init_values(), Some(&json!({"n": "x"})));
        let input = form.children().next().unwrap();
        assert!(matches!(input.kind(), ComponentKind::Leaf(_)) && input.is_input());
        assert_eq!(input.boolean("required"), Some(Dyn::Dynamic("${data.req}")));
        assert_eq!(input.number("max-chars"), Some(Dyn::Static(5.0)));
        assert_eq!(input.visible(), Dyn::Static(true));
        assert_eq!(input.spec().unwrap().name, "TextInput");
        let footer = form.children().nth(1).unwrap();
        let (event, action) = footer.actions().next().unwrap();
        assert_eq!(event, Event::OnClick);
        assert_eq!((action.name(), action.next()), (Some(ActionName::Navigate), Some("B")));
        assert!(action.sends_form() && action.payload().is_some() && action.url().is_none());
        assert_eq!(a.components().len(), 7);
        assert_eq!(a.every_component().count(), 7);
        assert_eq!(a.data().unwrap().examples(), *json!({"name": "Ana"}).as_object().unwrap());
        assert_eq!(switch.case("x").count(), 1);
        assert_eq!(switch.case("y").count(), 0);
        assert_eq!(Switch::case_pointer("/s", "a/b"), "/s/cases/a~1b");
        assert_eq!(If::branch_pointer("/i", false), "/i/else");
        let entries: Vec<_> = a.children().entries().map(|(index, c)| (index, c.is_some())).collect();
        assert_eq!(entries, [(0, true), (1, true), (2, true), (3, false)]);
        assert_eq!(flow.screen_ids().collect::<Vec<_>>(), ["A", "B"]);
        assert_eq!((flow.screen_count(), flow.screen_at(1).map(|s| s.index())), (2, Some(1)));
        assert_eq!(flow.routes_from("A").map(<[Value]>::len), Some(1));
        let b = flow.screen("B").unwrap();
        assert!(b.is_terminal() && !b.is_success());
    }
}
