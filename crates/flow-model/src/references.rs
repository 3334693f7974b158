//! Where a flow names its screens: navigate actions, the routing model and `${screen.ID...}`
//! bindings. Renaming a screen rewrites them; removing one reports them; the graph draws them.
use serde_json::{Map, Value};

use crate::catalog::ActionName;
use crate::document::Document;
use crate::json::pointer;
use crate::model::key;
use crate::walk;

/// How a place in the document names a screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ReferenceKind {
    /// `next.name` of a navigate action (of a Footer, EmbeddedLink, OptIn, NavigationList or
    /// NavigationList item).
    NavigateTarget,
    /// A key of `routing_model`: the screen routes from there.
    RoutingSource,
    /// An entry of a `routing_model` list: the screen is routed to.
    RoutingDestination,
    /// A `${screen.ID.data...}` or `${screen.ID.form...}` binding inside a string, including
    /// backtick expressions and If conditions.
    Binding,
}

impl ReferenceKind {
    /// A short description for people, e.g. in a "delete screen" confirmation.
    pub fn describe(self) -> &'static str {
        match self {
            ReferenceKind::NavigateTarget => "navigate action",
            ReferenceKind::RoutingSource => "routing model entry",
            ReferenceKind::RoutingDestination => "routing model route",
            ReferenceKind::Binding => "binding",
        }
    }
}

/// One place that names a screen.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ScreenReference {
    /// What kind of reference it is.
    pub kind: ReferenceKind,
    /// JSON Pointer of the string that names the screen (for a routing source, of its list).
    pub pointer: String,
    /// The id of the screen the reference sits in (`None` in the routing model).
    pub in_screen: Option<String>,
}

/// A navigate action found in a screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct NavigateAction<'a> {
    /// Index of the screen in `screens`.
    pub screen: usize,
    /// Pointer of the action object.
    pub action: String,
    /// Pointer of the component that holds it, when it sits in one.
    pub component: Option<String>,
    /// The type of that component.
    pub component_kind: Option<&'a str>,
    /// `next.name`.
    pub target: &'a str,
}

/// One step of a path: a member name or an array index.
#[derive(Clone, Copy)]
enum Token<'a> {
    Key(&'a str),
    Index(usize),
}

/// Every string in `value`, and every action object (an object with a string `name`), in
/// document order, with a way to write its pointer (`at` and the path below it) when wanted:
/// a flow has many values and few are looked for. Iterative: nesting cannot overflow the stack.
fn visit<'a>(value: &'a Value, at: &str, mut found: impl FnMut(&dyn Fn() -> String, &'a Value)) {
    let mut path: Vec<Token<'a>> = Vec::new();
    // (value, its depth below `value`, the token that leads to it)
    let mut pending = vec![(value, 0usize, None)];
    let pointer_of = |path: &[Token<'_>]| {
        let mut pointer = at.to_owned();
        for token in path {
            match token {
                Token::Key(key) => pointer::push(&mut pointer, key),
                Token::Index(index) => pointer.push_str(&format!("/{index}")),
            }
        }
        pointer
    };
    while let Some((value, depth, token)) = pending.pop() {
        path.truncate(depth.saturating_sub(1));
        if let Some(token) = token {
            path.push(token);
        }
        let interesting = |child: &Value| child.is_object() || child.is_array() || child.is_string();
        match value {
            Value::String(_) => found(&|| pointer_of(&path), value),
            Value::Object(map) => {
                if map.get(key::NAME).is_some_and(Value::is_string) {
                    found(&|| pointer_of(&path), value);
                }
                for (key, child) in map.iter().rev().filter(|(_, child)| interesting(child)) {
                    pending.push((child, depth + 1, Some(Token::Key(key))));
                }
            }
            Value::Array(items) => {
                for (index, child) in items.iter().enumerate().rev().filter(|(_, child)| interesting(child)) {
                    pending.push((child, depth + 1, Some(Token::Index(index))));
                }
            }
            Value::Null | Value::Bool(_) | Value::Number(_) => {}
        }
    }
}

/// The screens of a document as (index, object), skipping anything that is not an object.
pub(crate) fn screens(root: &Value) -> impl Iterator<Item = (usize, &Map<String, Value>)> {
    root.get(key::SCREENS)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
        .filter_map(|(index, screen)| screen.as_object().map(|screen| (index, screen)))
}

/// The id of a screen object.
pub(crate) fn screen_id(screen: &Map<String, Value>) -> Option<&str> {
    screen.get(key::ID).and_then(Value::as_str)
}

/// Every `name` action object (e.g. navigate, data_exchange) in the screens, in
/// document order, with the component holding it: the innermost component whose pointer is a
/// prefix of the action's.
pub(crate) fn actions(root: &Value, name: ActionName) -> Vec<Action<'_>> {
    let mut found = Vec::new();
    for (index, screen) in screens(root) {
        let screen_pointer = pointer::join(key::SCREENS_AT, index);
        let components = walk::components(screen, &screen_pointer);
        let mut actions = Vec::new();
        for (key, value) in screen {
            visit(value, &pointer::join(&screen_pointer, key), |at, value| {
                let named = |action: &&Map<String, Value>| {
                    action.get(key::NAME).and_then(Value::as_str) == Some(name.as_str())
                };
                if let Some(action) = value.as_object().filter(named) {
                    actions.push((at(), action));
                }
            });
        }
        if actions.is_empty() {
            continue;
        }
        let pointers: Vec<String> =
            components.iter().map(|component| components.pointer(component)).collect();
        for (at, action) in actions {
            let holder = components
                .iter()
                .zip(&pointers)
                .filter(|(_, pointer)| crate::edit::is_within(&at, pointer))
                .max_by_key(|(_, pointer)| pointer.len())
                .map(|(component, pointer)| Holder { pointer: pointer.clone(), kind: component.kind });
            found.push(Action { screen: index, pointer: at, holder, action });
        }
    }
    found
}

/// An action object found in a screen.
pub(crate) struct Action<'a> {
    /// Index of the screen in `screens`.
    pub screen: usize,
    /// Pointer of the action object.
    pub pointer: String,
    /// The innermost component that holds it, when it sits in one.
    pub holder: Option<Holder<'a>>,
    /// The action object.
    pub action: &'a Map<String, Value>,
}

/// The component that holds an action.
pub(crate) struct Holder<'a> {
    /// Its JSON Pointer.
    pub pointer: String,
    /// Its `type`, when a string.
    pub kind: Option<&'a str>,
}

/// Every navigate action with a string target, in document order.
pub(crate) fn navigate_actions(root: &Value) -> Vec<NavigateAction<'_>> {
    actions(root, ActionName::Navigate)
        .into_iter()
        .filter_map(|Action { screen, pointer, holder, action }| {
            let target = action.get(key::NEXT)?.get(key::NAME)?.as_str()?;
            Some(NavigateAction {
                screen,
                action: pointer,
                component: holder.as_ref().map(|holder| holder.pointer.clone()),
                component_kind: holder.and_then(|holder| holder.kind),
                target,
            })
        })
        .collect()
}

/// The `${screen.ID.` prefix of a global binding to screen `id`.
pub(crate) fn binding_prefix(id: &str) -> String {
    format!("${{screen.{id}.")
}

impl Document {
    /// Every place that names the screen `id`: navigate targets and bindings in document
    /// order, then the routing model in its order. What a "delete screen" confirmation lists.
    pub fn screen_references(&self, id: &str) -> Vec<ScreenReference> {
        let root = self.root();
        let prefix = binding_prefix(id);
        let mut found = Vec::new();
        visit(root, "", |at, value| {
            let kind = match value {
                Value::String(text) if text.contains(&prefix) => ReferenceKind::Binding,
                Value::Object(action) if is_navigate_to(action, id) => ReferenceKind::NavigateTarget,
                _ => return,
            };
            let at = at();
            let pointer = match kind {
                ReferenceKind::NavigateTarget => format!("{at}/{}/{}", key::NEXT, key::NAME),
                _ => at.clone(),
            };
            found.push(ScreenReference { kind, in_screen: screen_holding(root, &at), pointer });
        });
        found.extend(routing_references(root, id));
        found
    }
}

/// The id of the screen a pointer lies in.
fn screen_holding(root: &Value, at: &str) -> Option<String> {
    let mut tokens = pointer::tokens(at)?;
    if tokens.next()? != key::SCREENS {
        return None;
    }
    let index = pointer::array_index(&tokens.next()?)?;
    let screen = root.get(key::SCREENS)?.get(index)?.as_object()?;
    screen_id(screen).map(str::to_owned)
}

fn is_navigate_to(action: &Map<String, Value>, id: &str) -> bool {
    action.get(key::NAME).and_then(Value::as_str) == Some(ActionName::Navigate.as_str())
        && action.get(key::NEXT).and_then(|next| next.get(key::NAME)).and_then(Value::as_str) == Some(id)
}

fn routing_references(root: &Value, id: &str) -> Vec<ScreenReference> {
    let mut found = Vec::new();
    let Some(routing) = root.get(key::ROUTING_MODEL).and_then(Value::as_object) else { return found };
    for (source, destinations) in routing {
        let list = pointer::join(key::ROUTING_MODEL_AT, source);
        if source == id {
            found.push(ScreenReference {
                kind: ReferenceKind::RoutingSource,
                pointer: list.clone(),
                in_screen: None,
            });
        }
        for (index, destination) in destinations.as_array().into_iter().flatten().enumerate() {
            if destination.as_str() == Some(id) {
                found.push(ScreenReference {
                    kind: ReferenceKind::RoutingDestination,
                    pointer: pointer::join(&list, index),
                    in_screen: None,
                });
            }
        }
    }
    found
}
