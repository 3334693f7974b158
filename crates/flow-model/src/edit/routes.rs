//! Routes between screens: what drawing an arrow from one screen to another in the graph does.
use serde_json::{Map, Value, json};

use super::screens::screen_index;
use super::{Change, Edit, EditError, Scope, Transaction, check_depth};
use crate::catalog::{ActionName, prop};
use crate::document::Document;
use crate::json::pointer;
use crate::model::key;
use crate::walk;

impl Document {
    /// Adds the route `from` → `to` as one undo step: to the routing model when the flow has
    /// one (a screen without an entry gets one; a route already there stays once), and, when
    /// `footer_payload` is given, makes the first Footer of `from` navigate to `to` with that
    /// payload (none when empty), replacing its action; a screen without a Footer gets one
    /// at the end of its layout.
    pub fn add_route(
        &mut self,
        from: &str,
        to: &str,
        footer_payload: Option<Map<String, Value>>,
    ) -> Result<Edit, EditError> {
        let screen = screen_index(self.root(), from)?;
        screen_index(self.root(), to)?;
        if from == to {
            return Err(EditError::RouteToItself { id: from.to_owned() });
        }
        let mut changes = Vec::new();
        if let Some(routing) = self.root().get(key::ROUTING_MODEL) {
            let routing = routing
                .as_object()
                .ok_or_else(|| EditError::NotAnObject { pointer: key::ROUTING_MODEL_AT.to_owned() })?;
            match routing.get(from) {
                None => changes.push(Change::InsertMember {
                    object: key::ROUTING_MODEL_AT.to_owned(),
                    index: routing.len(),
                    key: from.to_owned(),
                    value: json!([to]),
                }),
                Some(Value::Array(routes)) if routes.iter().any(|route| route.as_str() == Some(to)) => {}
                Some(Value::Array(routes)) => changes.push(Change::InsertItem {
                    array: pointer::join(key::ROUTING_MODEL_AT, from),
                    index: routes.len(),
                    value: Value::from(to),
                }),
                Some(_) => {
                    return Err(EditError::NotAList { pointer: pointer::join(key::ROUTING_MODEL_AT, from) });
                }
            }
        }
        if let Some(payload) = footer_payload {
            let mut action = json!({
                (key::NAME): ActionName::Navigate.as_str(),
                (key::NEXT): {(key::TYPE): key::SCREEN, (key::NAME): to}
            });
            if let (false, Some(object)) = (payload.is_empty(), action.as_object_mut()) {
                object.insert(key::PAYLOAD.to_owned(), Value::Object(payload));
            }
            changes.push(self.footer_action_change(screen, action)?);
        }
        let mut transaction = Transaction::new(self);
        for change in changes {
            transaction.apply(change)?;
        }
        Ok(transaction.commit(Scope::Structure))
    }

    /// The change that gives the first Footer of screen `screen` the action `action`, or adds
    /// a Footer with it at the end of the screen's layout.
    fn footer_action_change(&self, screen: usize, action: Value) -> Result<Change, EditError> {
        let screen_pointer = pointer::join(key::SCREENS_AT, screen);
        let object = self
            .root()
            .get(key::SCREENS)
            .and_then(|screens| screens.get(screen))
            .and_then(Value::as_object)
            .ok_or(EditError::NotAScreen)?;
        let components = walk::components(object, &screen_pointer);
        if let Some(footer) = components.iter().find(|c| c.kind == Some("Footer")) {
            let footer_pointer = components.pointer(footer);
            let at = pointer::join(&footer_pointer, prop::ON_CLICK_ACTION);
            check_depth(&at, &action)?;
            return Ok(match footer.component.get(prop::ON_CLICK_ACTION) {
                Some(_) => Change::Replace { at, value: action },
                None => Change::InsertMember {
                    object: footer_pointer,
                    index: footer.component.len(),
                    key: prop::ON_CLICK_ACTION.to_owned(),
                    value: action,
                },
            });
        }
        let list = pointer::join(&pointer::join(&screen_pointer, key::LAYOUT), key::CHILDREN);
        let length = object
            .get(key::LAYOUT)
            .and_then(|layout| layout.get(key::CHILDREN))
            .and_then(Value::as_array)
            .map(Vec::len)
            .ok_or_else(|| EditError::NotAList { pointer: list.clone() })?;
        let component =
            json!({(key::TYPE): "Footer", (prop::LABEL): "Continue", (prop::ON_CLICK_ACTION): action});
        check_depth(&list, &component)?;
        Ok(Change::InsertItem { array: list, index: length, value: component })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn flow(routing: bool) -> Document {
        let mut root = json!({"version": "7.3", "screens": [
            {"id": "A", "layout": {"type": "SingleColumnLayout", "children": [
                {"type": "Form", "name": "f", "children": [
                    {"type": "Footer", "label": "Next", "on-click-action": {"name": "data_exchange", "payload": {}}}]}]}},
            {"id": "B", "layout": {"type": "SingleColumnLayout", "children": []}},
            {"id": "C", "terminal": true, "layout": {"type": "SingleColumnLayout", "children": []}}
        ]});
        if routing {
            root["routing_model"] = json!({"A": ["C"]});
        }
        Document::from_value(root)
    }

    #[test]
    fn a_route_goes_into_the_routing_model_and_undoes_whole() {
        let mut document = flow(true);
        let before = document.root().clone();
        let undo = document.add_route("A", "B", None).unwrap();
        assert_eq!(document.root()["routing_model"], json!({"A": ["C", "B"]}));
        let undo_b = document.add_route("B", "C", None).unwrap();
        assert_eq!(document.root()["routing_model"], json!({"A": ["C", "B"], "B": ["C"]}));
        document.apply(undo_b).unwrap();
        document.apply(undo).unwrap();
        assert_eq!(document.root(), &before);
        let again = document.add_route("A", "C", None).unwrap();
        assert!(again.is_empty(), "a route already there is not added twice");
    }

    #[test]
    fn the_footer_can_navigate_too() {
        let mut document = flow(true);
        let payload: Map<String, Value> = [("x".to_owned(), Value::from("${form.x}"))].into_iter().collect();
        document.add_route("A", "B", Some(payload)).unwrap();
        let footer = "/screens/0/layout/children/0/children/0/on-click-action";
        assert_eq!(
            document.get(footer),
            Some(
                &json!({"name": "navigate", "next": {"type": "screen", "name": "B"}, "payload": {"x": "${form.x}"}})
            )
        );
        let undo = document.add_route("B", "C", Some(Map::new())).unwrap();
        assert_eq!(
            document.get("/screens/1/layout/children/0"),
            Some(
                &json!({"type": "Footer", "label": "Continue", "on-click-action": {"name": "navigate", "next": {"type": "screen", "name": "C"}}})
            )
        );
        document.apply(undo).unwrap();
        assert_eq!(document.get("/screens/1/layout/children"), Some(&json!([])));
    }

    #[test]
    fn without_routing_model_only_the_footer_changes() {
        let mut document = flow(false);
        document.add_route("B", "C", Some(Map::new())).unwrap();
        assert!(document.root().get("routing_model").is_none());
        assert_eq!(document.get("/screens/1/layout/children/0/type"), Some(&json!("Footer")));
    }

    #[test]
    fn unknown_screens_and_loops_are_refused_and_change_nothing() {
        let mut document = flow(true);
        let before = document.root().clone();
        assert_eq!(document.add_route("A", "X", None), Err(EditError::ScreenNotFound { id: "X".into() }));
        assert_eq!(document.add_route("A", "A", None), Err(EditError::RouteToItself { id: "A".into() }));
        assert_eq!(document.root(), &before);
    }
}
