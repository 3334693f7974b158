//! Typed, read-only views of a flow: [`Flow`], [`Screen`], [`Component`] (every type, with
//! Form, If and Switch nesting) and [`Action`]. They borrow the document's JSON value and copy
//! nothing; anything missing or of the wrong type reads as `None` (the validator says why).
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
use crate::json::pointer;
use crate::version::Version;

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
        root.as_object().map(|root| Flow { root })
    }

    /// The root object.
    pub fn object(&self) -> &'a Map<String, Value> {
        self.root
    }

    /// `version` as written.
    pub fn version_text(&self) -> Option<&'a str> {
        self.root.get("version").and_then(Value::as_str)
    }

    /// `version`, when it is `major.minor`.
    pub fn version(&self) -> Option<Version> {
        self.version_text().and_then(Version::parse)
    }

    /// `data_api_version`.
    pub fn data_api_version(&self) -> Option<&'a str> {
        self.root.get("data_api_version").and_then(Value::as_str)
    }

    /// Whether the flow talks to an endpoint (it declares `data_api_version`).
    pub fn is_endpoint_flow(&self) -> bool {
        self.root.contains_key("data_api_version")
    }

    /// The routing model: each screen id with the screen ids it may lead to.
    pub fn routing_model(&self) -> impl Iterator<Item = (&'a str, Vec<&'a str>)> + use<'a> {
        let model = self.root.get("routing_model").and_then(Value::as_object);
        model.into_iter().flatten().map(|(from, to)| {
            let to =
                to.as_array().map(|to| to.iter().filter_map(Value::as_str).collect()).unwrap_or_default();
            (from.as_str(), to)
        })
    }

    /// The screens, in order (entries that are not objects are skipped; indexes stay those of
    /// `screens`).
    pub fn screens(&self) -> impl Iterator<Item = Screen<'a>> + use<'a> {
        let screens = self.root.get("screens").and_then(Value::as_array);
        screens
            .into_iter()
            .flatten()
            .enumerate()
            .filter_map(|(index, screen)| screen.as_object().map(|object| Screen { index, object }))
    }

    /// The first screen with `id`.
    pub fn screen(&self, id: &str) -> Option<Screen<'a>> {
        self.screens().find(|screen| screen.id() == Some(id))
    }
}

/// One screen.
#[derive(Debug, Clone, Copy)]
pub struct Screen<'a> {
    index: usize,
    object: &'a Map<String, Value>,
}

impl<'a> Screen<'a> {
    /// Its index in `screens`.
    pub fn index(&self) -> usize {
        self.index
    }

    /// `/screens/N`.
    pub fn pointer(&self) -> String {
        pointer::join("/screens", self.index)
    }

    /// The screen object.
    pub fn object(&self) -> &'a Map<String, Value> {
        self.object
    }

    /// `id`.
    pub fn id(&self) -> Option<&'a str> {
        self.object.get("id").and_then(Value::as_str)
    }

    /// `title` (it may be dynamic).
    pub fn title(&self) -> Option<Dyn<'a, &'a str>> {
        let title = self.object.get("title").and_then(Value::as_str)?;
        Some(if dynamic_text(title) { Dyn::Dynamic(title) } else { Dyn::Static(title) })
    }

    /// `terminal` (default false).
    pub fn is_terminal(&self) -> bool {
        self.object.get("terminal").and_then(Value::as_bool).unwrap_or(false)
    }

    /// `success` (default true; only meaningful on terminal screens).
    pub fn is_success(&self) -> bool {
        self.object.get("success").and_then(Value::as_bool).unwrap_or(true)
    }

    /// `refresh_on_back` (default false).
    pub fn refresh_on_back(&self) -> bool {
        self.object.get("refresh_on_back").and_then(Value::as_bool).unwrap_or(false)
    }

    /// The names in `sensitive`.
    pub fn sensitive(&self) -> impl Iterator<Item = &'a str> + use<'a> {
        let list = self.object.get("sensitive").and_then(Value::as_array);
        list.into_iter().flatten().filter_map(Value::as_str)
    }

    /// The data model (`data`).
    pub fn data(&self) -> Option<DataModel<'a>> {
        self.object.get("data").and_then(Value::as_object).map(|fields| DataModel { fields })
    }

    /// `layout.type`.
    pub fn layout_type(&self) -> Option<&'a str> {
        self.object.get("layout")?.get("type")?.as_str()
    }

    /// The components of `layout.children` (containers hold the rest).
    pub fn children(&self) -> Components<'a> {
        Components::of(self.object.get("layout").and_then(|layout| layout.get("children")))
    }

    /// Every component of the screen in document order, containers before their contents.
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
        self.schema.get("type").and_then(Value::as_str)
    }

    /// The `__example__` value, which the preview shows.
    pub fn example(&self) -> Option<&'a Value> {
        self.schema.get("__example__")
    }
}

impl<'a> DataModel<'a> {
    /// The declared fields (the `required` list excluded).
    pub fn fields(&self) -> impl Iterator<Item = Field<'a>> + use<'a> {
        self.fields.iter().filter(|(name, _)| *name != "required").filter_map(|(name, schema)| {
            schema.as_object().map(|schema| Field { name: name.as_str(), schema })
        })
    }

    /// The field `name`.
    pub fn field(&self, name: &str) -> Option<Field<'a>> {
        self.fields().find(|field| field.name == name)
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
}

impl<'a> Iterator for Components<'a> {
    type Item = Component<'a>;

    fn next(&mut self) -> Option<Component<'a>> {
        self.items.by_ref().find_map(|item| item.as_object().map(|object| Component { object }))
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
    TextHeading(Component<'a>),
    TextSubheading(Component<'a>),
    TextBody(Component<'a>),
    TextCaption(Component<'a>),
    RichText(Component<'a>),
    TextInput(Component<'a>),
    TextArea(Component<'a>),
    CheckboxGroup(Component<'a>),
    RadioButtonsGroup(Component<'a>),
    Dropdown(Component<'a>),
    ChipsSelector(Component<'a>),
    DatePicker(Component<'a>),
    CalendarPicker(Component<'a>),
    OptIn(Component<'a>),
    PhotoPicker(Component<'a>),
    DocumentPicker(Component<'a>),
    Footer(Component<'a>),
    EmbeddedLink(Component<'a>),
    Image(Component<'a>),
    ImageCarousel(Component<'a>),
    NavigationList(Component<'a>),
    Form(Form<'a>),
    If(If<'a>),
    Switch(Switch<'a>),
    /// A `type` the catalog does not know, or none.
    Unknown(Component<'a>),
}

impl<'a> Component<'a> {
    /// The component object.
    pub fn object(&self) -> &'a Map<String, Value> {
        self.object
    }

    /// `type`.
    pub fn type_name(&self) -> Option<&'a str> {
        self.object.get("type").and_then(Value::as_str)
    }

    /// Its catalog entry.
    pub fn spec(&self) -> Option<&'static catalog::Component> {
        self.type_name().and_then(catalog::component)
    }

    /// The component by type.
    pub fn kind(self) -> ComponentKind<'a> {
        let c = self;
        match self.type_name().unwrap_or_default() {
            "TextHeading" => ComponentKind::TextHeading(c),
            "TextSubheading" => ComponentKind::TextSubheading(c),
            "TextBody" => ComponentKind::TextBody(c),
            "TextCaption" => ComponentKind::TextCaption(c),
            "RichText" => ComponentKind::RichText(c),
            "TextInput" => ComponentKind::TextInput(c),
            "TextArea" => ComponentKind::TextArea(c),
            "CheckboxGroup" => ComponentKind::CheckboxGroup(c),
            "RadioButtonsGroup" => ComponentKind::RadioButtonsGroup(c),
            "Dropdown" => ComponentKind::Dropdown(c),
            "ChipsSelector" => ComponentKind::ChipsSelector(c),
            "DatePicker" => ComponentKind::DatePicker(c),
            "CalendarPicker" => ComponentKind::CalendarPicker(c),
            "OptIn" => ComponentKind::OptIn(c),
            "PhotoPicker" => ComponentKind::PhotoPicker(c),
            "DocumentPicker" => ComponentKind::DocumentPicker(c),
            "Footer" => ComponentKind::Footer(c),
            "EmbeddedLink" => ComponentKind::EmbeddedLink(c),
            "Image" => ComponentKind::Image(c),
            "ImageCarousel" => ComponentKind::ImageCarousel(c),
            "NavigationList" => ComponentKind::NavigationList(c),
            "Form" => ComponentKind::Form(Form { component: c }),
            "If" => ComponentKind::If(If { component: c }),
            "Switch" => ComponentKind::Switch(Switch { component: c }),
            _ => ComponentKind::Unknown(c),
        }
    }

    /// A property's raw value.
    pub fn get(&self, property: &str) -> Option<&'a Value> {
        self.object.get(property)
    }

    /// A string property (`label`, `text`, …), static or dynamic.
    pub fn text(&self, property: &str) -> Option<Dyn<'a, &'a str>> {
        let text = self.object.get(property)?.as_str()?;
        Some(if dynamic_text(text) { Dyn::Dynamic(text) } else { Dyn::Static(text) })
    }

    /// The lines of a text that may be a string or (5.1+) a list of strings.
    pub fn lines(&self, property: &str) -> Vec<&'a str> {
        match self.object.get(property) {
            Some(Value::String(text)) => vec![text.as_str()],
            Some(Value::Array(lines)) => lines.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        }
    }

    /// A boolean property (`visible`, `required`, …), static or a binding.
    pub fn boolean(&self, property: &str) -> Option<Dyn<'a, bool>> {
        match self.object.get(property)? {
            Value::Bool(value) => Some(Dyn::Static(*value)),
            Value::String(text) if dynamic_text(text) => Some(Dyn::Dynamic(text)),
            _ => None,
        }
    }

    /// A number property (`max-chars`, `width`, …), static or a binding.
    pub fn number(&self, property: &str) -> Option<Dyn<'a, f64>> {
        match self.object.get(property)? {
            Value::Number(number) => number.as_f64().map(Dyn::Static),
            Value::String(text) if dynamic_text(text) => Some(Dyn::Dynamic(text)),
            _ => None,
        }
    }

    /// `name` of an input (or Form).
    pub fn name(&self) -> Option<&'a str> {
        self.object.get("name").and_then(Value::as_str)
    }

    /// `visible` (default true).
    pub fn visible(&self) -> Dyn<'a, bool> {
        self.boolean("visible").unwrap_or(Dyn::Static(true))
    }

    /// The objects of a list property (`data-source`, `list-items`, `images`) when written in
    /// the flow (not a binding).
    pub fn items(&self, property: &str) -> impl Iterator<Item = &'a Map<String, Value>> + use<'a> {
        let list = self.object.get(property).and_then(Value::as_array);
        list.into_iter().flatten().filter_map(Value::as_object)
    }

    /// The action of `event` on the component.
    pub fn action(&self, event: Event) -> Option<Action<'a>> {
        self.object.get(event.property()).and_then(Action::new)
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
        Components::of(self.component.get("children"))
    }

    /// `init-values`, when an object.
    pub fn init_values(&self) -> Option<&'a Map<String, Value>> {
        self.component.get("init-values").and_then(Value::as_object)
    }

    /// `error-messages`, when an object.
    pub fn error_messages(&self) -> Option<&'a Map<String, Value>> {
        self.component.get("error-messages").and_then(Value::as_object)
    }
}

/// An If.
#[derive(Debug, Clone, Copy)]
pub struct If<'a> {
    component: Component<'a>,
}

impl<'a> If<'a> {
    /// The If as a plain component.
    pub fn component(&self) -> Component<'a> {
        self.component
    }

    /// `condition`: a boolean (6.0+) or an expression string.
    pub fn condition(&self) -> Option<Dyn<'a, bool>> {
        match self.component.get("condition")? {
            Value::Bool(value) => Some(Dyn::Static(*value)),
            Value::String(text) => Some(Dyn::Dynamic(text)),
            _ => None,
        }
    }

    /// `then`.
    pub fn then(&self) -> Components<'a> {
        Components::of(self.component.get("then"))
    }

    /// `else`.
    pub fn otherwise(&self) -> Components<'a> {
        Components::of(self.component.get("else"))
    }
}

/// A Switch.
#[derive(Debug, Clone, Copy)]
pub struct Switch<'a> {
    component: Component<'a>,
}

impl<'a> Switch<'a> {
    /// The Switch as a plain component.
    pub fn component(&self) -> Component<'a> {
        self.component
    }

    /// `value`, a binding.
    pub fn value(&self) -> Option<&'a str> {
        self.component.get("value").and_then(Value::as_str)
    }

    /// The cases, in order, with their components.
    pub fn cases(&self) -> impl Iterator<Item = (&'a str, Components<'a>)> + use<'a> {
        let cases = self.component.get("cases").and_then(Value::as_object);
        cases.into_iter().flatten().map(|(key, list)| (key.as_str(), Components::of(Some(list))))
    }
}

/// An action (§5).
#[derive(Debug, Clone, Copy)]
pub enum Action<'a> {
    /// Go to `next`, with a payload for its data model.
    Navigate {
        /// The next screen id.
        next: Option<&'a str>,
        /// `payload`.
        payload: Option<&'a Map<String, Value>>,
    },
    /// End the flow, sending the payload.
    Complete {
        /// `payload`.
        payload: Option<&'a Map<String, Value>>,
    },
    /// Send the payload to the endpoint.
    DataExchange {
        /// `payload`.
        payload: Option<&'a Map<String, Value>>,
    },
    /// Change the current screen's data.
    UpdateData {
        /// `payload`.
        payload: Option<&'a Map<String, Value>>,
    },
    /// Open a web page.
    OpenUrl {
        /// `url`.
        url: Option<&'a str>,
    },
    /// An action object whose name is missing or unknown.
    Unknown(&'a Map<String, Value>),
}

impl<'a> Action<'a> {
    /// The action of an action object.
    pub fn new(value: &'a Value) -> Option<Action<'a>> {
        let object = value.as_object()?;
        let payload = object.get("payload").and_then(Value::as_object);
        let name = object.get("name").and_then(Value::as_str).and_then(ActionName::parse);
        Some(match name {
            Some(ActionName::Navigate) => Action::Navigate {
                next: object.get("next").and_then(|next| next.get("name")).and_then(Value::as_str),
                payload,
            },
            Some(ActionName::Complete) => Action::Complete { payload },
            Some(ActionName::DataExchange) => Action::DataExchange { payload },
            Some(ActionName::UpdateData) => Action::UpdateData { payload },
            Some(ActionName::OpenUrl) => Action::OpenUrl { url: object.get("url").and_then(Value::as_str) },
            None => Action::Unknown(object),
        })
    }

    /// The action's name, when known.
    pub fn name(&self) -> Option<ActionName> {
        match self {
            Action::Navigate { .. } => Some(ActionName::Navigate),
            Action::Complete { .. } => Some(ActionName::Complete),
            Action::DataExchange { .. } => Some(ActionName::DataExchange),
            Action::UpdateData { .. } => Some(ActionName::UpdateData),
            Action::OpenUrl { .. } => Some(ActionName::OpenUrl),
            Action::Unknown(_) => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

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
        let ComponentKind::Form(form) = children[2].kind() else { panic!("a Form") };
        assert_eq!(form.init_values().unwrap().len(), 1);
        let input = form.children().next().unwrap();
        assert!(matches!(input.kind(), ComponentKind::TextInput(_)));
        assert_eq!(input.boolean("required"), Some(Dyn::Dynamic("${data.req}")));
        assert_eq!(input.number("max-chars"), Some(Dyn::Static(5.0)));
        assert_eq!(input.visible(), Dyn::Static(true));
        assert_eq!(input.spec().unwrap().name, "TextInput");
        let footer = form.children().nth(1).unwrap();
        let (event, action) = footer.actions().next().unwrap();
        assert_eq!(event, Event::OnClick);
        assert!(matches!(action, Action::Navigate { next: Some("B"), .. }));
        assert_eq!(a.components().len(), 7);
        let b = flow.screen("B").unwrap();
        assert!(b.is_terminal() && !b.is_success());
    }
}
