//! Every component of a screen, in document order, with where it sits.
use serde_json::{Map, Value};

use crate::json::pointer;

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
    /// JSON Pointer to the component object.
    pub pointer: String,
    /// The component object.
    pub component: &'a Map<String, Value>,
    /// Its `type`, when that is a string.
    pub kind: Option<&'a str>,
    /// The list it sits in.
    pub place: Place<'a>,
    /// Index (in the same list of components) of the Form, If or Switch it sits in directly.
    pub parent: Option<usize>,
}

impl ComponentAt<'_> {
    /// Indexes of the containers around this component, innermost first.
    pub fn ancestors<'s>(&self, all: &'s [ComponentAt<'_>]) -> impl Iterator<Item = usize> + 's {
        std::iter::successors(self.parent, move |index| {
            all.get(*index).and_then(|component| component.parent)
        })
    }
}

/// Every component of `screen` (the screen object at `screen_pointer`) in document order,
/// containers before what they contain. Anything that is not an object is skipped. Iterative:
/// nesting depth cannot overflow the stack.
pub fn components<'a>(screen: &'a Map<String, Value>, screen_pointer: &str) -> Vec<ComponentAt<'a>> {
    let mut found = Vec::new();
    let Some(children) = screen.get("layout").and_then(|layout| layout.get("children")) else {
        return found;
    };
    // Pending lists, popped last-first: (list, its pointer, its place, its container).
    let mut pending: Vec<(&'a Value, String, Place<'a>, Option<usize>)> =
        vec![(children, format!("{screen_pointer}/layout/children"), Place::Layout, None)];
    // Components are collected per list and pushed in reverse so that the stack pops them in
    // document order; a component's own lists are pushed right after it is recorded.
    let mut stack: Vec<(&'a Value, String, Place<'a>, Option<usize>)> = Vec::new();
    while let Some((list, list_pointer, place, parent)) = pending.pop() {
        let Some(items) = list.as_array() else { continue };
        for (index, item) in items.iter().enumerate().rev() {
            stack.push((item, pointer::join(&list_pointer, index), place, parent));
        }
        while let Some((item, item_pointer, place, parent)) = stack.pop() {
            let Some(component) = item.as_object() else { continue };
            let kind = component.get("type").and_then(Value::as_str);
            let index = found.len();
            let lists: Vec<(&'a Value, String, Place<'a>)> = match kind {
                Some("If") => [("then", Place::IfThen), ("else", Place::IfElse)]
                    .into_iter()
                    .filter_map(|(key, place)| {
                        component.get(key).map(|list| (list, pointer::join(&item_pointer, key), place))
                    })
                    .collect(),
                Some("Switch") => component
                    .get("cases")
                    .and_then(Value::as_object)
                    .map(|cases| {
                        let cases_pointer = pointer::join(&item_pointer, "cases");
                        cases
                            .iter()
                            .map(|(key, list)| {
                                (list, pointer::join(&cases_pointer, key), Place::SwitchCase(key.as_str()))
                            })
                            .collect()
                    })
                    .unwrap_or_default(),
                Some("Form") => component
                    .get("children")
                    .map(|list| vec![(list, pointer::join(&item_pointer, "children"), Place::Form)])
                    .unwrap_or_default(),
                _ => Vec::new(),
            };
            found.push(ComponentAt { pointer: item_pointer, component, kind, place, parent });
            // Nested components come right after their container, before its next sibling.
            for (list, list_pointer, place) in lists.into_iter().rev() {
                if let Some(items) = list.as_array() {
                    for (nested_index, nested) in items.iter().enumerate().rev() {
                        stack.push((nested, pointer::join(&list_pointer, nested_index), place, Some(index)));
                    }
                }
            }
        }
    }
    found
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
    if tokens.next().as_deref() != Some("screens") {
        return target;
    }
    let Some(index) = tokens.next().and_then(|token| pointer::array_index(&token)) else { return target };
    let Some(screen) = root.get("screens").and_then(|screens| screens.get(index)).and_then(Value::as_object)
    else {
        return target;
    };
    target.screen = Some(index);
    let screen_pointer = pointer::join("/screens", index);
    let inside =
        |outer: &str| at == outer || at.strip_prefix(outer).is_some_and(|rest| rest.starts_with('/'));
    let innermost = components(screen, &screen_pointer)
        .into_iter()
        .filter(|component| inside(&component.pointer))
        .max_by_key(|component| component.pointer.len());
    if let Some(component) = innermost {
        let rest = at.get(component.pointer.len()..).unwrap_or_default();
        if let Some(first) = rest.strip_prefix('/').and_then(|rest| rest.split('/').next()) {
            target.property = Some(format!("{}/{first}", component.pointer));
        }
        target.component = Some(component.pointer);
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
        let summary: Vec<_> = found.iter().map(|c| (c.kind.unwrap(), c.pointer.as_str(), c.parent)).collect();
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
