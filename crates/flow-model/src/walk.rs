//! Every component of a screen, in document order, with where it sits.
use std::fmt::Write as _;

use serde_json::{Map, Value};

use crate::json::{member, pointer};
use crate::model::key;

/// The list a component sits in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place<'a> {
    /// `layout.children` of the screen.
    Layout,
    /// `children` of a Form.
    Form,
    /// `then` of an If.
    IfThen,
    /// `else` of an If.
    IfElse,
    /// One case of a Switch, with the case key.
    SwitchCase(&'a str),
}

/// One component of a screen.
#[derive(Debug, Clone, PartialEq)]
pub struct ComponentAt<'a> {
    /// The component object.
    pub component: &'a Map<String, Value>,
    /// Its `type`, when that is a string.
    pub kind: Option<&'a str>,
    /// The list it sits in.
    pub place: Place<'a>,
    /// Index (in the same list of components) of the Form, If or Switch it sits in directly.
    pub parent: Option<usize>,
    /// Its position in the list it sits in.
    pub index: usize,
}

impl ComponentAt<'_> {
    /// Indexes of the containers around this component, innermost first.
    pub fn ancestors<'s>(&self, all: &'s [ComponentAt<'_>]) -> impl Iterator<Item = usize> + 's {
        std::iter::successors(self.parent, move |index| {
            all.get(*index).and_then(|component| component.parent)
        })
    }

    /// Appends the tokens from its container (or the screen) to it, e.g. `/children/3`.
    fn push_tokens(&self, pointer: &mut String) {
        match self.place {
            Place::Layout => {
                pointer::push(pointer, key::LAYOUT);
                pointer::push(pointer, key::CHILDREN);
            }
            Place::Form => pointer::push(pointer, key::CHILDREN),
            Place::IfThen => pointer::push(pointer, key::THEN),
            Place::IfElse => pointer::push(pointer, key::ELSE),
            Place::SwitchCase(case) => {
                pointer::push(pointer, key::CASES);
                pointer::push(pointer, case);
            }
        }
        let _ = write!(pointer, "/{}", self.index);
    }
}

/// The JSON Pointer of `component`, a component of the screen at `screen_pointer`, from its
/// place and index and those of its containers (`container` looks them up by index). Pointers
/// are built on demand: most components never need one, and building one for each costs more
/// than validating them.
pub fn pointer_with<'c, 'a: 'c>(
    screen_pointer: &str,
    component: &'c ComponentAt<'a>,
    container: impl Fn(usize) -> Option<&'c ComponentAt<'a>>,
) -> String {
    let mut chain = vec![component];
    let mut next = component.parent;
    while let Some(index) = next {
        let Some(found) = container(index) else { break };
        chain.push(found);
        // Containers come before what they hold, so indexes decrease; anything else is not a
        // list from `components` and must not loop.
        next = found.parent.filter(|parent| *parent < index);
    }
    let mut pointer = String::with_capacity(screen_pointer.len() + 20 * chain.len());
    pointer.push_str(screen_pointer);
    for component in chain.iter().rev() {
        component.push_tokens(&mut pointer);
    }
    pointer
}

/// Every component of one screen, in document order (from [`components`]). Derefs to the list;
/// [`Components::pointer`] gives a component's JSON Pointer.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Components<'a> {
    screen_pointer: String,
    list: Vec<ComponentAt<'a>>,
}

impl<'a> Components<'a> {
    /// The JSON Pointer of `component`, one of these components.
    pub fn pointer(&self, component: &ComponentAt<'a>) -> String {
        pointer_with(&self.screen_pointer, component, |index| self.list.get(index))
    }

    /// The pointer of the screen they were walked from, as given to [`components`].
    pub fn screen_pointer(&self) -> &str {
        &self.screen_pointer
    }
}

impl<'a> std::ops::Deref for Components<'a> {
    type Target = [ComponentAt<'a>];

    fn deref(&self) -> &Self::Target {
        &self.list
    }
}

impl<'a> IntoIterator for Components<'a> {
    type Item = ComponentAt<'a>;
    type IntoIter = std::vec::IntoIter<ComponentAt<'a>>;

    fn into_iter(self) -> Self::IntoIter {
        self.list.into_iter()
    }
}

impl<'s, 'a> IntoIterator for &'s Components<'a> {
    type Item = &'s ComponentAt<'a>;
    type IntoIter = std::slice::Iter<'s, ComponentAt<'a>>;

    fn into_iter(self) -> Self::IntoIter {
        self.list.iter()
    }
}

/// Every component of `screen` (the screen object at `screen_pointer`) in document order,
/// containers before what they contain. Anything that is not an object is skipped. Iterative:
/// nesting depth cannot overflow the stack.
pub fn components<'a>(screen: &'a Map<String, Value>, screen_pointer: &str) -> Components<'a> {
    // Room for Meta's maximum of 50 components per screen (and the Form around them).
    let mut found = Vec::with_capacity(64);
    let layout = member(screen, key::LAYOUT).and_then(Value::as_object);
    if let Some(children) = layout.and_then(|layout| member(layout, key::CHILDREN)) {
        walk(children, &mut found);
    }
    Components { screen_pointer: screen_pointer.to_owned(), list: found }
}

fn walk<'a>(children: &'a Value, found: &mut Vec<ComponentAt<'a>>) {
    let Some(items) = children.as_array() else { return };
    // Pending items, popped last-first: (item, its place, its container, its position). Items
    // are pushed in reverse so that the stack pops them in document order; a component's own
    // lists are pushed right after it is recorded, so they come before its next sibling.
    let mut stack: Vec<(&'a Value, Place<'a>, Option<usize>, usize)> = Vec::with_capacity(items.len());
    let push_list = |stack: &mut Vec<_>, list: Option<&'a Value>, place, parent| {
        if let Some(items) = list.and_then(Value::as_array) {
            stack.extend(items.iter().enumerate().rev().map(|(index, item)| (item, place, parent, index)));
        }
    };
    push_list(&mut stack, Some(children), Place::Layout, None);
    while let Some((item, place, parent, position)) = stack.pop() {
        let Some(component) = item.as_object() else { continue };
        let kind = member(component, key::TYPE).and_then(Value::as_str);
        let index = found.len();
        found.push(ComponentAt { component, kind, place, parent, index: position });
        match kind {
            Some("If") => {
                // `else` is pushed first so that `then` pops first.
                push_list(&mut stack, member(component, key::ELSE), Place::IfElse, Some(index));
                push_list(&mut stack, member(component, key::THEN), Place::IfThen, Some(index));
            }
            Some("Switch") => {
                if let Some(cases) = member(component, key::CASES).and_then(Value::as_object) {
                    for (key, list) in cases.iter().rev() {
                        push_list(&mut stack, Some(list), Place::SwitchCase(key.as_str()), Some(index));
                    }
                }
            }
            Some("Form") => push_list(&mut stack, member(component, key::CHILDREN), Place::Form, Some(index)),
            _ => {}
        }
    }
}

/// Where a JSON Pointer lands in a flow: which screen, which component (the innermost one
/// containing it) and which property of that component.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Target {
    /// Index of the screen in `screens`, when the pointer is inside one.
    pub screen: Option<usize>,
    /// Pointer of the innermost component containing the pointer.
    pub component: Option<String>,
    /// Pointer of the component's property containing the pointer (e.g. `…/label`).
    pub property: Option<String>,
}

/// Finds the screen, component and property a pointer (e.g. from a diagnostic, or the cursor
/// in the JSON text) belongs to.
pub fn target_of(root: &Value, at: &str) -> Target {
    let mut target = Target::default();
    let Some(mut tokens) = pointer::tokens(at) else { return target };
    if tokens.next().as_deref() != Some(key::SCREENS) {
        return target;
    }
    let Some(index) = tokens.next().and_then(|token| pointer::array_index(&token)) else { return target };
    let Some(screen) =
        root.get(key::SCREENS).and_then(|screens| screens.get(index)).and_then(Value::as_object)
    else {
        return target;
    };
    target.screen = Some(index);
    let screen_pointer = pointer::join(key::SCREENS_AT, index);
    let inside =
        |outer: &str| at == outer || at.strip_prefix(outer).is_some_and(|rest| rest.starts_with('/'));
    let all = components(screen, &screen_pointer);
    let innermost = all
        .iter()
        .map(|component| all.pointer(component))
        .filter(|pointer| inside(pointer))
        .max_by_key(String::len);
    if let Some(component) = innermost {
        let rest = at.get(component.len()..).unwrap_or_default();
        if let Some(first) = rest.strip_prefix('/').and_then(|rest| rest.split('/').next()) {
            target.property = Some(format!("{component}/{first}"));
        }
        target.component = Some(component);
    }
    target
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn target_of_finds_screen_innermost_component_and_property() {
        let root = json!({"screens": [{"id": "A"}, {"id": "B", "layout": {"children": [
            {"type": "Form", "name": "f", "children": [{"type": "TextInput", "name": "n", "label": "L"}]}
        ]}}]});
        let target = target_of(&root, "/screens/1/layout/children/0/children/0/label");
        assert_eq!(target.screen, Some(1));
        assert_eq!(target.component.as_deref(), Some("/screens/1/layout/children/0/children/0"));
        assert_eq!(target.property.as_deref(), Some("/screens/1/layout/children/0/children/0/label"));
        let form = target_of(&root, "/screens/1/layout/children/0/name");
        assert_eq!(form.component.as_deref(), Some("/screens/1/layout/children/0"));
        assert_eq!(target_of(&root, "/screens/0/title"), Target { screen: Some(0), ..Target::default() });
        assert_eq!(target_of(&root, "/version"), Target::default());
        assert_eq!(target_of(&root, "/screens/9"), Target::default());
    }

    #[test]
    fn walks_containers_in_document_order_with_places_and_parents() {
        let screen = json!({"layout": {"children": [
            {"type": "Form", "name": "f", "children": [
                {"type": "If", "condition": "${form.x}", "then": [{"type": "TextBody"}], "else": [{"type": "TextCaption"}]},
                {"type": "Footer"}
            ]},
            {"type": "Switch", "value": "${data.y}", "cases": {"a": [{"type": "Image"}], "b~/": [{"type": "OptIn"}]}}
        ]}});
        let found = components(screen.as_object().unwrap(), "/screens/0");
        let pointers: Vec<String> = found.iter().map(|c| found.pointer(c)).collect();
        let summary: Vec<_> =
            found.iter().zip(&pointers).map(|(c, p)| (c.kind.unwrap(), p.as_str(), c.parent)).collect();
        assert_eq!(
            summary,
            [
                ("Form", "/screens/0/layout/children/0", None),
                ("If", "/screens/0/layout/children/0/children/0", Some(0)),
                ("TextBody", "/screens/0/layout/children/0/children/0/then/0", Some(1)),
                ("TextCaption", "/screens/0/layout/children/0/children/0/else/0", Some(1)),
                ("Footer", "/screens/0/layout/children/0/children/1", Some(0)),
                ("Switch", "/screens/0/layout/children/1", None),
                ("Image", "/screens/0/layout/children/1/cases/a/0", Some(5)),
                ("OptIn", "/screens/0/layout/children/1/cases/b~0~1/0", Some(5)),
            ]
        );
        assert_eq!(found[3].place, Place::IfElse);
        assert_eq!(found[7].place, Place::SwitchCase("b~/"));
        assert_eq!(found[2].ancestors(&found).collect::<Vec<_>>(), [1, 0]);
    }
}
