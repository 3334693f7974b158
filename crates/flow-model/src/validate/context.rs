//! What every rule needs, computed once per validation: the version whose rules apply, the
//! screens with their components (walked once), every action with where it sits, every object
//! the catalog describes and every string that may read data.
//!
//! Places are kept as indexes ([`Where`]) and turned into JSON Pointers only when a rule
//! reports something: a valid flow needs no pointer at all, and formatting one per component,
//! object and string was a third of the validator's time.
use std::collections::HashMap;
use std::fmt::Write as _;

use serde_json::{Map, Value};

use super::strings::{Checked, StringAt};
use crate::catalog::prop;
use crate::catalog::{self, ActionName, Event, Kind};
use crate::expression::{Reference, Source, Type};
pub(crate) use crate::json::member;
use crate::json::pointer;
use crate::model;
use crate::model::key;
use crate::version::Version;
use crate::walk::{self, ComponentAt, Place};

/// A flow being validated.
pub(crate) struct Flow<'a> {
    /// The root object.
    pub root: &'a Map<String, Value>,
    /// The version whose rules apply (see [`Version::rules`]).
    pub version: Version,
    /// The flow declares `data_api_version`: it talks to an endpoint.
    pub endpoint: bool,
    /// Every screen object of `screens`, in order (non-objects are skipped).
    pub screens: Vec<Screen<'a>>,
    /// Screen index by id (the first screen with the id).
    pub ids: HashMap<&'a str, usize>,
    /// Every action of every component, in document order.
    pub actions: Vec<ActionAt<'a>>,
    /// (screen, component) of each input whose `name` has a character Meta advises against
    /// (for the `field_names` rule: noted while the component is visited, so that rule needs
    /// no pass of its own over every component).
    pub odd_names: Vec<(usize, usize)>,
    /// (screen, component) of each RichText, and of each text component with `markdown: true`
    /// (for the `markdown` rule, likewise).
    pub markdown: Vec<(usize, usize)>,
    /// Every string that may read data (bindings, expressions, If conditions), in order.
    pub strings: Vec<super::strings::StringAt<'a>>,
    /// Every object the catalog describes (components and the objects inside them), in order.
    pub described: Vec<super::schema::Described<'a>>,
    /// The catalog property of each member of each described object, in member order: a
    /// component's are `props[node.props..]`, as many as its members. Resolved once for all
    /// rules.
    pub props: Vec<Option<&'static catalog::Property>>,
    /// The tokens of every [`Where`] below a component or screen.
    pub tokens: Vec<Token<'a>>,
    /// The bindings read by the strings checked as expressions (see [`StringAt::checked`]).
    pub references: Vec<Reference<'a>>,
    /// The required properties, in the flow's version, of each list of properties the
    /// described objects have (a dozen lists for thousands of objects).
    required: Vec<(&'static [catalog::Property], Vec<&'static catalog::Property>)>,
    /// Where in `required` each list is, by [`slot`] of its address (first come): most
    /// lookups take one comparison.
    required_slots: [Option<usize>; SLOTS],
}

/// Size of [`Flow::required_slots`].
const SLOTS: usize = 64;

/// The slot of a list of properties, from its address (the lists are statics).
fn slot(list: &'static [catalog::Property]) -> usize {
    (list.as_ptr() as usize / std::mem::align_of::<catalog::Property>()) % SLOTS
}

/// What [`Flow::new`] gathers while it visits each component once (its members are then in
/// cache): the catalog property of each member, the tokens of places, the described objects,
/// the strings that may read data and the actions.
#[derive(Default)]
pub(crate) struct Gathered<'a> {
    pub props: Vec<Option<&'static catalog::Property>>,
    pub tokens: Vec<Token<'a>>,
    pub described: Vec<super::schema::Described<'a>>,
    pub strings: Vec<super::strings::StringAt<'a>>,
    pub actions: Vec<ActionAt<'a>>,
    pub odd_names: Vec<(usize, usize)>,
    pub markdown: Vec<(usize, usize)>,
    /// Scratch: the tokens from a component to what is being gathered.
    pub path: Vec<Token<'a>>,
}

/// For each component of the catalog (by position), its properties in the flow's version,
/// listed when one is first met: looking members up in these short lists, rather than in every
/// shape of every property, was most of the time spent gathering.
#[derive(Default)]
struct Available {
    lists: Vec<Option<Vec<(&'static str, &'static catalog::Property)>>>,
}

impl Available {
    /// The component of type `kind` and its properties in `version`.
    fn component(
        &mut self,
        kind: &str,
        version: Version,
    ) -> Option<(&'static catalog::Component, &[(&'static str, &'static catalog::Property)])> {
        let index = catalog::COMPONENTS.iter().position(|component| catalog::same(component.name, kind))?;
        let spec = catalog::COMPONENTS.get(index)?;
        if self.lists.len() <= index {
            self.lists.resize(index + 1, None);
        }
        let available = self.lists.get_mut(index)?.get_or_insert_with(|| {
            spec.properties
                .iter()
                .filter(|property| property.is_available(version))
                .map(|property| (property.name, property))
                .collect()
        });
        Some((spec, available))
    }
}

/// A place in a screen (the screen itself, a component, or something below either), turned
/// into a JSON Pointer by [`Flow::pointer`] only when a diagnostic needs one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Where {
    /// Index in [`Flow::screens`].
    pub screen: usize,
    /// Index in the screen's components; `None`: below the screen itself.
    pub component: Option<usize>,
    /// The tokens after the component (or screen): `Flow::tokens[start..end]`.
    pub tokens: (usize, usize),
}

/// One token of a JSON Pointer, unescaped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Token<'a> {
    /// An object member.
    Key(&'a str),
    /// An array item.
    Index(usize),
}

impl Token<'_> {
    /// Appends the token to a pointer.
    pub fn push_to(self, pointer: &mut String) {
        match self {
            Token::Key(key) => pointer::push(pointer, key),
            Token::Index(index) => {
                let _ = write!(pointer, "/{index}");
            }
        }
    }
}

/// A screen being validated.
pub(crate) struct Screen<'a> {
    /// `/screens/N`.
    pub pointer: String,
    /// The screen object.
    pub object: &'a Map<String, Value>,
    /// Its `id`, when a string.
    pub id: Option<&'a str>,
    /// `terminal: true`.
    pub terminal: bool,
    /// Its `data` object.
    pub data: Option<&'a Map<String, Value>>,
    /// Its components in document order.
    pub components: Vec<Node<'a>>,
    /// The components by `name`.
    names: Names<'a>,
}

/// Items by name, to find the first of a name (in item order) without a scan each time when
/// there are many: names are looked up for every `${form.…}` binding, sensitive field and
/// initial value, which on a large screen grew with the square of its size.
pub(crate) struct Names<'a> {
    /// (name, position) sorted, when there are more than [`Names::SCAN`] items; else empty.
    sorted: Vec<(&'a str, usize)>,
}

impl<'a> Names<'a> {
    /// Up to this many items (Meta allows 50 components per screen), a scan is cheaper.
    const SCAN: usize = 64;

    /// An index of `names` (each item's name, when it has one, in item order).
    pub fn new(names: impl ExactSizeIterator<Item = Option<&'a str>>) -> Names<'a> {
        if names.len() <= Names::SCAN {
            return Names { sorted: Vec::new() };
        }
        let mut sorted: Vec<(&'a str, usize)> =
            names.enumerate().filter_map(|(position, name)| name.map(|name| (name, position))).collect();
        sorted.sort_unstable();
        Names { sorted }
    }

    /// The position of the first item named `name`; `names` gives each item's name, in the
    /// order given to [`Names::new`].
    pub fn first(&self, name: &str, mut names: impl Iterator<Item = Option<&'a str>>) -> Option<usize> {
        if self.sorted.is_empty() {
            return names.position(|found| found.is_some_and(|found| catalog::same(found, name)));
        }
        let start = self.sorted.partition_point(|(found, _)| *found < name);
        self.sorted.get(start).filter(|(found, _)| *found == name).map(|(_, position)| *position)
    }
}

/// A component being validated.
pub(crate) struct Node<'a> {
    /// Where it is.
    pub at: ComponentAt<'a>,
    /// Its catalog entry, for known types.
    pub spec: Option<&'static catalog::Component>,
    /// It sits inside a Form (at any depth).
    pub in_form: bool,
    /// Its `name`, when a string.
    pub name: Option<&'a str>,
    /// Where its members' properties start in [`Flow::props`].
    pub props: usize,
}

/// An action object and where it is.
pub(crate) struct ActionAt<'a> {
    /// Index in [`Flow::screens`].
    pub screen: usize,
    /// Index in the screen's components.
    pub component: usize,
    /// Which property holds it.
    pub event: Event,
    /// The list-item property it sits in (`data-source`, `list-items`), when on an item.
    pub item: Option<&'static str>,
    /// Pointer to the action object.
    pub pointer: String,
    /// The action object.
    pub action: &'a Map<String, Value>,
    /// Its `name`, when known.
    pub name: Option<ActionName>,
}

impl<'a> ActionAt<'a> {
    /// `payload`, when an object.
    pub fn payload(&self) -> Option<&'a Map<String, Value>> {
        model::Action::of(self.action).payload().and_then(Value::as_object)
    }

    /// The screen id of a navigate action's `next.name`.
    pub fn next_screen(&self) -> Option<&'a str> {
        model::Action::of(self.action).next()
    }
}

/// How a binding resolves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Resolved<'a> {
    /// Found, with its declared JSON Schema type name (when declared).
    Found(Option<&'a str>),
    /// An input of the screen, with the type of its value.
    Input(Type),
    /// `${data.x}` not declared by the screen's data model.
    MissingData,
    /// `${form.x}` naming no input.
    MissingInput,
    /// `${form.x}` naming the Form itself.
    FormContainer,
    /// Reads into an array's items.
    ArrayDereference,
    /// `${screen.X…}` with no screen X.
    UnknownScreen,
    /// `${screen.X…}` where X is the current screen.
    SelfScreen,
}

impl<'a> Flow<'a> {
    pub fn new(root: &'a Map<String, Value>) -> Flow<'a> {
        let flow = model::Flow::of(root);
        let version = flow.version().map_or(Version::LATEST, Version::rules);
        let endpoint = flow.is_endpoint_flow();
        let mut gathered = Gathered::default();
        let mut available = Available::default();
        let count = flow.screen_count();
        let mut screens = Vec::with_capacity(count);
        // Room for Meta's maximum of 50 components per screen: growing these lists as they
        // fill copied them over and over.
        let components = count * 64;
        gathered.props.reserve(components * 6);
        gathered.described.reserve(components * 2);
        gathered.tokens.reserve(components * 2);
        gathered.strings.reserve(components / 4);
        gathered.actions.reserve(count * 4);
        for view in flow.screens() {
            let screen = Screen::new(view, screens.len(), version, &mut gathered, &mut available);
            screens.push(screen);
        }
        let mut ids = HashMap::with_capacity(screens.len());
        for (index, screen) in screens.iter().enumerate() {
            if let Some(id) = screen.id {
                ids.entry(id).or_insert(index);
            }
        }
        let mut flow = Flow {
            root,
            version,
            endpoint,
            screens,
            ids,
            actions: gathered.actions,
            odd_names: gathered.odd_names,
            markdown: gathered.markdown,
            strings: gathered.strings,
            described: gathered.described,
            props: gathered.props,
            tokens: gathered.tokens,
            references: Vec::new(),
            required: Vec::new(),
            required_slots: [None; SLOTS],
        };
        for described in &flow.described {
            let list = described.properties;
            if flow.required_index(list).is_none() {
                let required = list
                    .iter()
                    .filter(|property| property.is_required(version) && property.is_available(version));
                flow.required.push((list, required.collect()));
                if let Some(free @ None) = flow.required_slots.get_mut(slot(list)) {
                    *free = Some(flow.required.len() - 1);
                }
            }
        }
        // Expressions resolve bindings against every screen: checked once all are known.
        let mut references = Vec::new();
        let checked: Vec<Option<Checked>> = flow
            .strings
            .iter()
            .map(|string| {
                string.expression().map(|text| Checked::new(&flow, string.screen, text, &mut references))
            })
            .collect();
        for (string, checked) in flow.strings.iter_mut().zip(checked) {
            string.checked = checked;
        }
        flow.references = references;
        flow
    }

    /// The If condition of component `index` of screen `screen`, when it was collected.
    pub fn condition_of(&self, screen: usize, index: usize) -> Option<&StringAt<'a>> {
        // The strings are in document order: by screen, then component.
        let start = self
            .strings
            .partition_point(|string| (string.at.screen, string.at.component) < (screen, Some(index)));
        self.strings
            .get(start..)
            .unwrap_or_default()
            .iter()
            .take_while(|string| string.at.screen == screen && string.at.component == Some(index))
            .find(|string| string.is_condition() && string.whole)
    }

    /// The required properties of `list` in the flow's version (a list some described object
    /// has).
    pub fn required_of(&self, list: &'static [catalog::Property]) -> &[&'static catalog::Property] {
        let found = self.required_index(list).and_then(|index| self.required.get(index));
        found.map(|(_, required)| required.as_slice()).unwrap_or_default()
    }

    fn required_index(&self, list: &'static [catalog::Property]) -> Option<usize> {
        let is =
            |index: &usize| self.required.get(*index).is_some_and(|(known, _)| std::ptr::eq(*known, list));
        match self.required_slots.get(slot(list)).copied().flatten() {
            Some(index) if is(&index) => Some(index),
            _ => (0..self.required.len()).find(is),
        }
    }

    /// The bindings `checked` read, in order.
    pub fn references_of(&self, checked: &Checked) -> &[Reference<'a>] {
        self.references.get(checked.references.0..checked.references.1).unwrap_or_default()
    }

    /// The JSON Pointer of `at`.
    pub fn pointer(&self, at: &Where) -> String {
        let Some(screen) = self.screens.get(at.screen) else { return String::new() };
        let mut pointer = match at.component.and_then(|index| screen.components.get(index)) {
            Some(node) => screen.pointer_of(node),
            None => screen.pointer.clone(),
        };
        for token in self.tokens.get(at.tokens.0..at.tokens.1).unwrap_or_default() {
            token.push_to(&mut pointer);
        }
        pointer
    }

    /// The screen with `id`.
    pub fn screen(&self, id: &str) -> Option<&Screen<'a>> {
        self.ids.get(id).and_then(|index| self.screens.get(*index))
    }

    /// The screen whose data or inputs `reference`, used on screen `screen`, reads.
    #[inline]
    pub fn target(&self, screen: usize, reference: &Reference<'_>) -> Result<&Screen<'a>, Resolved<'a>> {
        let Some(current) = self.screens.get(screen) else { return Err(Resolved::UnknownScreen) };
        match reference.screen {
            None => Ok(current),
            Some(id) if Some(id) == current.id => Err(Resolved::SelfScreen),
            Some(id) => self.screen(id).ok_or(Resolved::UnknownScreen),
        }
    }

    /// How `reference`, used on screen `screen`, resolves.
    pub fn resolve(&self, screen: usize, reference: &Reference<'_>) -> Resolved<'a> {
        let target = match self.target(screen, reference) {
            Ok(target) => target,
            Err(resolved) => return resolved,
        };
        match reference.source {
            Source::Data => target.resolve_data(reference.path),
            Source::Form => target.resolve_input(reference.field()),
        }
    }

    /// The expression type of `reference` on screen `screen` ([`Type::Unknown`] when it does
    /// not resolve: rules about resolution report that separately).
    pub fn type_of(&self, screen: usize, reference: &Reference<'_>) -> Type {
        match self.resolve(screen, reference) {
            Resolved::Found(Some(name)) => Type::from_schema(name),
            Resolved::Input(ty) => ty,
            _ => Type::Unknown,
        }
    }
}

impl<'a> Screen<'a> {
    /// Screen `index` of [`Flow::screens`], at `pointer`. Each component is visited once,
    /// and everything the rules need from its members is gathered then.
    fn new(
        view: model::Screen<'a>,
        index: usize,
        version: Version,
        gathered: &mut Gathered<'a>,
        available: &mut Available,
    ) -> Screen<'a> {
        let (object, pointer) = (view.object(), view.pointer());
        super::strings::gather_title(index, object, gathered);
        let walked = walk::components(object, "");
        let mut components: Vec<Node<'a>> = Vec::with_capacity(walked.len());
        gathered.props.reserve(walked.len() * 6);
        for at in walked {
            let in_form = at.place == Place::Form
                || at.parent.and_then(|parent| components.get(parent)).is_some_and(|parent| parent.in_form);
            let start = gathered.props.len();
            let mut name = None;
            // The first property of the name available in the version, as `Component::property`.
            let (spec, properties) = match at.kind.and_then(|kind| available.component(kind, version)) {
                Some((spec, properties)) => (Some(spec), properties),
                None => (None, [].as_slice()),
            };
            let mut markdown = false;
            for (key, value) in at.component {
                let property = properties.iter().find(|(name, _)| catalog::same(name, key));
                gathered.props.push(property.map(|(_, property)| *property));
                if key == key::NAME {
                    name = value.as_str();
                } else if key == prop::MARKDOWN {
                    markdown = *value == Value::Bool(true);
                }
            }
            let component = components.len();
            if let Some(spec) = spec {
                if spec.value.is_some() && name.is_some_and(super::rules::is_discouraged_name) {
                    gathered.odd_names.push((index, component));
                }
                if spec.category == catalog::Category::Text && (markdown || spec.name == "RichText") {
                    gathered.markdown.push((index, component));
                }
            }
            components.push(Node { at, spec, in_form, name, props: start });
            if let Some(node) = components.last() {
                super::schema::gather(version, index, component, node, gathered);
                super::strings::gather(index, component, node, gathered);
                gather_actions(index, component, &pointer, &components, gathered);
            }
        }
        Screen {
            pointer,
            id: view.id(),
            terminal: view.is_terminal(),
            data: view.data().map(|data| data.object()),
            object,
            names: Names::new(components.iter().map(|node| node.name)),
            components,
        }
    }

    /// The JSON Pointer of `node`, one of this screen's components.
    pub fn pointer_of(&self, node: &Node<'a>) -> String {
        walk::pointer_with(&self.pointer, &node.at, |index| self.components.get(index).map(|node| &node.at))
    }

    /// The screen id for messages (`?` when missing).
    pub fn label(&self) -> String {
        self.id.unwrap_or("?").to_owned()
    }

    /// Whether a Form is on the screen.
    pub fn has_form(&self) -> bool {
        self.components.iter().any(|node| node.at.kind == Some("Form"))
    }

    /// How `${data.PATH}` resolves in this screen's data model.
    #[inline]
    pub fn resolve_data(&self, path: &str) -> Resolved<'a> {
        match self.declaration(path) {
            Ok(Some(schema)) => Resolved::Found(get(schema, key::TYPE).and_then(Value::as_str)),
            Ok(None) => Resolved::Found(None),
            Err(resolved) => resolved,
        }
    }

    /// The schema declaring `${data.PATH}` in this screen's data model: `Ok(None)` inside an
    /// object without declared properties (anything goes), `Err` when it does not resolve.
    #[inline]
    pub fn declaration(&self, path: &str) -> Result<Option<&'a Value>, Resolved<'a>> {
        let mut segments = path.split('.');
        let Some(schema) = segments.next().and_then(|field| member(self.data?, field)) else {
            return Err(Resolved::MissingData);
        };
        let mut schema = schema;
        for segment in segments {
            match get(schema, key::TYPE).and_then(Value::as_str) {
                Some("array") => return Err(Resolved::ArrayDereference),
                Some("object") | None => {}
                Some(_) => return Err(Resolved::MissingData),
            }
            match get(schema, key::PROPERTIES).and_then(|properties| get(properties, segment)) {
                Some(inner) => schema = inner,
                None if get(schema, key::PROPERTIES).is_none() => return Ok(None),
                None => return Err(Resolved::MissingData),
            }
        }
        Ok(Some(schema))
    }

    /// The first component named `name`.
    pub fn named(&self, name: &str) -> Option<&Node<'a>> {
        let position = self.names.first(name, self.components.iter().map(|node| node.name));
        position.and_then(|position| self.components.get(position))
    }

    /// The components directly in component `index` (its branches, cases or children), in
    /// document order. A container's contents follow it directly, so the scan stops at the
    /// first component outside it.
    pub fn children(&self, index: usize) -> impl Iterator<Item = &Node<'a>> {
        self.components
            .get(index + 1..)
            .unwrap_or_default()
            .iter()
            .take_while(move |node| node.at.parent.is_some_and(|parent| parent >= index))
            .filter(move |node| node.at.parent == Some(index))
    }

    /// How `${form.NAME}` resolves on this screen.
    pub fn resolve_input(&self, name: &str) -> Resolved<'a> {
        let Some(node) = self.named(name) else {
            return Resolved::MissingInput;
        };
        match node.spec {
            Some(spec) if spec.name == "Form" => Resolved::FormContainer,
            Some(spec) => {
                Resolved::Input(match spec.value.and_then(|value| value.in_expressions(node.at.component)) {
                    Some(catalog::ValueType::String | catalog::ValueType::Text) => Type::String,
                    Some(catalog::ValueType::Number) => Type::Number,
                    Some(catalog::ValueType::Boolean) => Type::Boolean,
                    Some(catalog::ValueType::StringArray | catalog::ValueType::Media) => Type::Array,
                    Some(catalog::ValueType::DateOrRange) | None => Type::Unknown,
                })
            }
            None => Resolved::Input(Type::Unknown),
        }
    }
}

impl<'a> Node<'a> {
    /// The `name`, when a string.
    pub fn name(&self) -> Option<&'a str> {
        self.name
    }

    /// Whether this is the component `name`.
    pub fn is(&self, name: &str) -> bool {
        self.spec.is_some_and(|spec| catalog::same(spec.name, name))
    }
}

/// Member `key` of `schema`, when an object. (`Value::get` hashes the key; data model objects
/// are small enough to scan.)
pub(crate) fn get<'a>(schema: &'a Value, key: &str) -> Option<&'a Value> {
    schema.as_object().and_then(|object| member(object, key))
}

/// Gathers the actions of component `index` of screen `screen` (at `screen_pointer`), the last
/// of `components` so far.
fn gather_actions<'a>(
    screen: usize,
    index: usize,
    screen_pointer: &str,
    components: &[Node<'a>],
    gathered: &mut Gathered<'a>,
) {
    let Some(node) = components.get(index) else { return };
    let Some(spec) = node.spec.filter(|spec| !spec.is_container()) else { return };
    if !spec.properties.iter().any(|property| holds_actions(&property.kind)) {
        return;
    }
    let component = node.at.component;
    // Built when the component holds an action: most hold none.
    let mut node_pointer = None;
    let pointer_of =
        || walk::pointer_with(screen_pointer, &node.at, |index| components.get(index).map(|node| &node.at));
    for (key, value) in component {
        if let Some(event) = Event::from_property(key) {
            let base = node_pointer.get_or_insert_with(pointer_of);
            push_action(&mut gathered.actions, screen, index, event, None, base, key, value);
        }
    }
    // Item-level actions of data-source / list-items.
    for part in [prop::DATA_SOURCE, prop::LIST_ITEMS] {
        let Some(items) = member(component, part).and_then(Value::as_array) else { continue };
        let is_list = spec.properties.iter().any(|p| p.name == part && holds_actions(&p.kind));
        if !is_list {
            continue;
        }
        for (item_index, item) in items.iter().enumerate() {
            let Some(item) = item.as_object() else { continue };
            for (key, value) in item {
                if let Some(event) = Event::from_property(key) {
                    let node_pointer = node_pointer.get_or_insert_with(pointer_of);
                    let base = format!("{node_pointer}/{part}/{item_index}");
                    push_action(&mut gathered.actions, screen, index, event, Some(part), &base, key, value);
                }
            }
        }
    }
}

/// Whether values of `kind` are or hold actions.
fn holds_actions(kind: &Kind) -> bool {
    match kind {
        Kind::Action(_) => true,
        Kind::List(Kind::Object(properties)) => {
            properties.iter().any(|property| matches!(property.kind, Kind::Action(_)))
        }
        _ => false,
    }
}

#[allow(clippy::too_many_arguments)]
fn push_action<'a>(
    actions: &mut Vec<ActionAt<'a>>,
    screen: usize,
    component: usize,
    event: Event,
    item: Option<&'static str>,
    base: &str,
    key: &str,
    value: &'a Value,
) {
    let Some(action) = value.as_object() else { return };
    actions.push(ActionAt {
        screen,
        component,
        event,
        item,
        pointer: pointer::join(base, key),
        action,
        name: model::Action::of(action).name(),
    });
}
