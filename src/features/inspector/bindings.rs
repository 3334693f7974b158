//! What a binding-capable field can refer to: the screen's data fields, its form field names,
//! and other screens' (`${screen.ID.…}`).
use flow_model::model::Flow;
use serde_json::Value;

/// Every binding offered on screen `screen` of `root`, the screen's own first.
pub fn suggestions(root: &Value, screen: usize) -> Vec<String> {
    let mut own = Vec::new();
    let mut global = Vec::new();
    let Some(flow) = Flow::from_value(root) else { return own };
    for candidate in flow.screens() {
        let id = candidate.id().unwrap_or_default();
        let data_fields: Vec<&str> = candidate.data().map(|data| data.names().collect()).unwrap_or_default();
        let form_fields: Vec<&str> = candidate.form_fields().collect();
        if candidate.index() == screen {
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
    let screen = Flow::from_value(root).and_then(|flow| flow.screen_at(screen));
    screen.map(|screen| screen.form_fields().map(str::to_owned).collect()).unwrap_or_default()
}

/// The data model field names of screen `screen`.
pub fn data_fields(root: &Value, screen: usize) -> Vec<String> {
    let data = Flow::from_value(root).and_then(|flow| flow.screen_at(screen)?.data());
    data.map(|data| data.names().map(str::to_owned).collect()).unwrap_or_default()
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
