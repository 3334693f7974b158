//! Data given to a screen from outside the flow (a message's first screen, an endpoint's
//! answer) held against the screen's data model, as WhatsApp's client holds it: the model is a
//! JSON Schema where only `required` names must be present (`payload-schema-error`,
//! flow-json.md §10.2). So a missing `required` field, a wrong type and a value outside `enum`
//! are errors; a declared field left out (the screen shows nothing where it uses it) and a
//! field the model does not declare (nothing can use it) are warnings.
use serde_json::{Map, Value};

use crate::diagnostic::Severity;
use crate::model::{DataModel, key};
use crate::validate::rules::data_model;

/// What is wrong with one field of the data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DataProblemKind {
    /// A `required` field of the data model is not given.
    RequiredField,
    /// A declared field is not given.
    UnsetField,
    /// A given field the data model does not declare.
    UndeclaredField,
    /// A given value does not match the data model.
    Mismatch {
        /// What the data model expects, e.g. "of type 'integer'".
        expected: String,
    },
}

/// One problem: the field's path inside the data (`amount`, `items[0]`, `address.city`), how
/// bad it is, and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataProblem {
    /// The path inside the data.
    pub field: String,
    /// See the module's header.
    pub severity: Severity,
    /// What is wrong.
    pub kind: DataProblemKind,
}

/// Every problem of `data` as the data of a screen whose data model is `model` (`None`: the
/// screen declares no data, so every given field is undeclared). Declared fields first, in the
/// model's order, then undeclared ones in the data's order; names in `allowed` are never
/// undeclared (an endpoint's `error_message`).
pub fn problems(
    model: Option<DataModel<'_>>,
    data: &Map<String, Value>,
    allowed: &[&str],
) -> Vec<DataProblem> {
    let mut found = Vec::new();
    let required: Vec<&str> = model
        .and_then(|model| model.object().get(key::REQUIRED))
        .and_then(Value::as_array)
        .map(|names| names.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    for declared in model.iter().flat_map(|model| model.fields()) {
        let Some(value) = data.get(declared.name) else {
            let (severity, kind) = if required.contains(&declared.name) {
                (Severity::Error, DataProblemKind::RequiredField)
            } else {
                (Severity::Warning, DataProblemKind::UnsetField)
            };
            found.push(DataProblem { field: declared.name.to_owned(), severity, kind });
            continue;
        };
        let mut inner = String::new();
        if let Some(expected) = data_model::mismatch(declared.schema, value, &mut inner, 0) {
            let field = match inner.as_str() {
                "" => declared.name.to_owned(),
                index if index.starts_with('[') => format!("{}{index}", declared.name),
                inner => format!("{}.{inner}", declared.name),
            };
            found.push(DataProblem {
                field,
                severity: Severity::Error,
                kind: DataProblemKind::Mismatch { expected },
            });
        }
    }
    for name in data.keys() {
        if model.and_then(|model| model.field(name)).is_none() && !allowed.contains(&name.as_str()) {
            found.push(DataProblem {
                field: name.clone(),
                severity: Severity::Warning,
                kind: DataProblemKind::UndeclaredField,
            });
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::model::Flow;

    fn check(data: Value, allowed: &[&str]) -> Vec<(String, Severity, DataProblemKind)> {
        let flow = json!({"version": "7.0", "screens": [{"id": "A", "data": {
            "name": {"type": "string", "__example__": "Ada"},
            "count": {"type": "integer", "__example__": 1},
            "tags": {"type": "array", "items": {"type": "string"}, "__example__": ["x"]},
            "required": ["name"]
        }, "layout": {"type": "SingleColumnLayout", "children": []}}]});
        let model =
            Flow::from_value(&flow).and_then(|flow| flow.screen("A")).and_then(|screen| screen.data());
        let data = data.as_object().cloned().unwrap_or_default();
        problems(model, &data, allowed).into_iter().map(|p| (p.field, p.severity, p.kind)).collect()
    }

    #[test]
    fn required_missing_and_wrong_types_are_errors_the_rest_warnings() {
        let found = check(json!({"count": "2", "tags": [1], "extra": true}), &[]);
        assert_eq!(found[0], ("name".to_owned(), Severity::Error, DataProblemKind::RequiredField));
        assert_eq!((found[1].0.as_str(), found[1].1), ("count", Severity::Error));
        assert_eq!((found[2].0.as_str(), found[2].1), ("tags[0]", Severity::Error));
        assert_eq!(found[3], ("extra".to_owned(), Severity::Warning, DataProblemKind::UndeclaredField));
        assert_eq!(found.len(), 4);
    }

    #[test]
    fn allowed_names_are_not_undeclared_and_unset_fields_are_warnings() {
        let found = check(json!({"name": "Ada", "error_message": "Try again"}), &["error_message"]);
        assert_eq!(
            found,
            vec![
                ("count".to_owned(), Severity::Warning, DataProblemKind::UnsetField),
                ("tags".to_owned(), Severity::Warning, DataProblemKind::UnsetField),
            ]
        );
    }
}
