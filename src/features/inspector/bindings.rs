//! What a binding-capable field can refer to: the screen's data fields, its form field names,
//! and other screens' (`${screen.ID.…}`).
use flow_model::walk::components;
use serde_json::Value;

/// Every binding offered on screen `screen` of `root`, the screen's own first.
pub fn suggestions(root: &Value, screen: usize) -> Vec<String> {
    let mut own = Vec::new();
    let mut global = Vec::new();
    let Some(screens) = root.get("screens").and_then(Value::as_array) else { return own };
    for (index, candidate) in screens.iter().enumerate() {
        let Some(object) = candidate.as_object() else { continue };
        let id = object.get("id").and_then(Value::as_str).unwrap_or_default();
        let data_fields: Vec<&str> = object
            .get("data")
            .and_then(Value::as_object)
            .map(|data| data.keys().filter(|key| *key != "required").map(String::as_str).collect())
            .unwrap_or_default();
        let form_fields: Vec<String> = components(object, "")
            .iter()
            .filter(|component| component.kind != Some("Form"))
            .filter_map(|component| {
                component.component.get("name").and_then(Value::as_str).map(str::to_owned)
            })
            .collect();
        if index == screen {
            own.extend(data_fields.iter().map(|field| format!("${{data.{field}}}")));
            own.extend(form_fields.iter().map(|field| format!("${{form.{field}}}")));
        } else if !id.is_empty() {
            global.extend(data_fields.iter().map(|field| format!("${{screen.{id}.data.{field}}}")));
            global.extend(form_fields.iter().map(|field| format!("${{screen.{id}.form.{field}}}")));
        }
    }
    own.extend(global);
    own
}

/// The form field names of screen `screen` (inputs with a `name`, Forms excluded).
pub fn form_fields(root: &Value, screen: usize) -> Vec<String> {
    root.get("screens")
        .and_then(|screens| screens.get(screen))
        .and_then(Value::as_object)
        .map(|object| {
            components(object, "")
                .iter()
                .filter(|component| component.kind != Some("Form"))
                .filter_map(|component| {
                    component.component.get("name").and_then(Value::as_str).map(str::to_owned)
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The data model field names of screen `screen`.
pub fn data_fields(root: &Value, screen: usize) -> Vec<String> {
    root.get("screens")
        .and_then(|screens| screens.get(screen))
        .and_then(|screen| screen.get("data"))
        .and_then(Value::as_object)
        .map(|data| data.keys().filter(|key| *key != "required").cloned().collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn own_fields_first_then_other_screens() {
        let root = json!({"screens": [
            {"id": "A", "layout": {"children": [{"type": "Form", "name": "f", "children": [{"type": "TextInput", "name": "email"}]}]}},
            {"id": "B", "data": {"email": {"type": "string", "__example__": "x"}, "required": ["email"]}, "layout": {"children": []}}
        ]});
        assert_eq!(suggestions(&root, 1), ["${data.email}", "${screen.A.form.email}"]);
        assert_eq!(suggestions(&root, 0), ["${form.email}", "${screen.B.data.email}"]);
        assert_eq!(form_fields(&root, 0), ["email"]);
        assert_eq!(data_fields(&root, 1), ["email"]);
    }
}
