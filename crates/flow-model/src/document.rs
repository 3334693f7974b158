use serde_json::{Map, Value};

/// A parsed flow.json: the JSON value exactly as written (key order and unknown keys kept).
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    root: Value,
}

/// What [`parse`] read: the document when the text is JSON, and the syntax errors otherwise.
#[derive(Debug, Clone, PartialEq)]
pub struct Parsed {
    /// The document, when the text is valid JSON.
    pub document: Option<Document>,
    /// Why the text could not be read, with the place it happened.
    pub errors: Vec<SyntaxError>,
}

/// A JSON syntax error at a 1-based line and column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    /// What is wrong, for people.
    pub message: String,
    /// 1-based line of the error.
    pub line: usize,
    /// 1-based column of the error.
    pub column: usize,
}

/// One screen as the screen list shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScreenSummary {
    /// The screen `id` (empty when missing).
    pub id: String,
    /// The screen `title` (empty when missing).
    pub title: String,
    /// The `type` of every component of the screen's layout in document order, containers
    /// (Form, If, Switch) before what they contain.
    pub component_types: Vec<String>,
}

/// Reads flow.json text. Never fails: syntax errors come back in [`Parsed::errors`].
pub fn parse(text: &str) -> Parsed {
    match serde_json::from_str::<Value>(text) {
        Ok(root) => Parsed { document: Some(Document { root }), errors: Vec::new() },
        Err(error) => Parsed {
            document: None,
            errors: vec![SyntaxError {
                message: error.to_string(),
                line: error.line().max(1),
                column: error.column().max(1),
            }],
        },
    }
}

impl Document {
    /// The screens in document order; anything that is not a screen object is skipped.
    pub fn screens(&self) -> Vec<ScreenSummary> {
        let Some(screens) = self.root.get("screens").and_then(Value::as_array) else {
            return Vec::new();
        };
        screens.iter().filter_map(Value::as_object).map(summarize_screen).collect()
    }

    /// The `version` string, when present.
    pub fn version(&self) -> Option<&str> {
        self.root.get("version").and_then(Value::as_str)
    }
}

fn summarize_screen(screen: &Map<String, Value>) -> ScreenSummary {
    let text = |key: &str| screen.get(key).and_then(Value::as_str).unwrap_or_default().to_owned();
    let mut component_types = Vec::new();
    if let Some(children) = screen.get("layout").and_then(|layout| layout.get("children")) {
        collect_component_types(children, &mut component_types);
    }
    ScreenSummary { id: text("id"), title: text("title"), component_types }
}

/// Pre-order walk through containers: a Form's children, both branches of an If, every case of
/// a Switch. Iterative, so a hostile nesting depth cannot overflow the stack.
fn collect_component_types(children: &Value, types: &mut Vec<String>) {
    let mut pending: Vec<&Value> = Vec::new();
    push_in_order(&mut pending, std::iter::once(children));
    while let Some(component) = pending.pop() {
        types.push(component.get("type").and_then(Value::as_str).unwrap_or("?").to_owned());
        let nested: Vec<&Value> = match component.get("type").and_then(Value::as_str) {
            Some("If") => ["then", "else"].iter().filter_map(|key| component.get(*key)).collect(),
            Some("Switch") => component
                .get("cases")
                .and_then(Value::as_object)
                .map(|cases| cases.values().collect())
                .unwrap_or_default(),
            _ => component.get("children").into_iter().collect(),
        };
        push_in_order(&mut pending, nested.into_iter());
    }
}

/// Pushes the components of each list so that popping yields them in document order.
fn push_in_order<'a>(stack: &mut Vec<&'a Value>, lists: impl Iterator<Item = &'a Value>) {
    let components: Vec<&Value> = lists.filter_map(Value::as_array).flatten().collect();
    stack.extend(components.into_iter().rev());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syntax_error_keeps_line_and_column() {
        let parsed = parse("{\n  \"version\": \"7.3\",\n}");
        assert!(parsed.document.is_none());
        assert_eq!((parsed.errors[0].line, parsed.errors[0].column), (3, 1));
    }
}
