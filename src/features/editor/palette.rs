use flow_model::json::pointer;
use leptos::prelude::*;
use serde_json::{Value, json};

use crate::state::{EditorState, Selection};

/// Names of inputs already used in the document (fresh names avoid duplicates).
fn used_names(root: &Value) -> Vec<String> {
    let mut names = Vec::new();
    let mut pending = vec![root];
    while let Some(value) = pending.pop() {
        match value {
            Value::Object(map) => {
                if let Some(Value::String(name)) = map.get("name") {
                    names.push(name.clone());
                }
                pending.extend(map.values());
            }
            Value::Array(items) => pending.extend(items),
            _ => {}
        }
    }
    names
}

/// A name like `text_input`, `text_input_2`… not used yet.
pub fn fresh_name(used: &[String], kind: &str) -> String {
    let mut base = String::new();
    for (index, character) in kind.chars().enumerate() {
        if character.is_uppercase() && index > 0 {
            base.push('_');
        }
        base.extend(character.to_lowercase());
    }
    if !used.contains(&base) {
        return base;
    }
    (2..).map(|n| format!("{base}_{n}")).find(|candidate| !used.contains(candidate)).unwrap_or(base)
}

/// A new component of `kind` with its required properties filled in with placeholders, so
/// that it is valid (or close to it) the moment it is added.
pub fn new_component(kind: &str, used: &[String]) -> Value {
    let name = fresh_name(used, kind);
    let options =
        json!([{ "id": "first", "title": "First option" }, { "id": "second", "title": "Second option" }]);
    match kind {
        "TextHeading" => json!({ "type": kind, "text": "Heading" }),
        "TextSubheading" => json!({ "type": kind, "text": "Subheading" }),
        "TextBody" => json!({ "type": kind, "text": "Text" }),
        "TextCaption" => json!({ "type": kind, "text": "Caption" }),
        "RichText" => json!({ "type": kind, "text": ["Rich **text**"] }),
        "TextInput" => json!({ "type": kind, "name": name, "label": "Label", "input-type": "text" }),
        "TextArea" => json!({ "type": kind, "name": name, "label": "Label" }),
        "Dropdown" | "RadioButtonsGroup" | "CheckboxGroup" | "ChipsSelector" => {
            json!({ "type": kind, "name": name, "label": "Label", "data-source": options })
        }
        "DatePicker" | "CalendarPicker" => json!({ "type": kind, "name": name, "label": "Date" }),
        "OptIn" => json!({ "type": kind, "name": name, "label": "I agree" }),
        "PhotoPicker" => json!({ "type": kind, "name": name, "label": "Photos" }),
        "DocumentPicker" => json!({ "type": kind, "name": name, "label": "Documents" }),
        "Footer" => json!({ "type": kind, "label": "Continue", "on-click-action": { "name": "complete" } }),
        "EmbeddedLink" => {
            json!({ "type": kind, "text": "Learn more", "on-click-action": { "name": "open_url", "url": "https://example.com" } })
        }
        "Image" => json!({ "type": kind, "src": "", "alt-text": "Image" }),
        "ImageCarousel" => json!({ "type": kind, "images": [] }),
        "NavigationList" => json!({ "type": kind, "name": name, "list-items": [] }),
        "Form" => json!({ "type": kind, "name": name, "children": [] }),
        "If" => json!({ "type": kind, "condition": "${data.show}", "then": [] }),
        "Switch" => json!({ "type": kind, "value": "${data.choice}", "cases": { "first": [] } }),
        _ => json!({ "type": kind }),
    }
}

/// Inserts a new component of `kind` at `index` of `list` and selects it.
pub fn insert_new(state: EditorState, kind: &str, list: &str, index: usize) {
    let used = state.document.with_untracked(|document| used_names(document.root()));
    let component = new_component(kind, &used);
    if state.edit(|document| document.insert_component(list, index, component)) {
        let screen = state.selection.get_untracked().screen;
        state.selection.set(Selection { screen, component: Some(pointer::join(list, index)), field: None });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fresh_names_follow_the_type_and_avoid_used_ones() {
        let used = vec!["text_input".to_owned(), "text_input_2".to_owned()];
        assert_eq!(fresh_name(&used, "TextInput"), "text_input_3");
        assert_eq!(fresh_name(&used, "RadioButtonsGroup"), "radio_buttons_group");
    }

    #[test]
    fn new_inputs_have_a_name_and_a_label() {
        let component = new_component("Dropdown", &[]);
        assert_eq!(component["name"], "dropdown");
        assert_eq!(component["label"], "Label");
        assert_eq!(component["data-source"].as_array().map(Vec::len), Some(2));
    }
}
