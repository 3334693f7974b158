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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

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
