//! Evaluating dynamic values at run time, as WhatsApp does when it shows a screen: bindings
//! (`${data.x}`, `${form.x}`, `${screen.S.data.x}`) and nested expressions (§6.2). The phone
//! preview uses it for every dynamic property, If conditions, Switch values and action payloads.
//!
//! The caller says what a binding reads (`lookup`); a binding that reads nothing is `null`,
//! which shows as empty text, counts as `false` and as `0` in arithmetic. Expressions are read
//! by the validator's grammar (`expression::parse`), which computes their values here and their
//! types there: a broken one gives the same message the validator does.
//!
//! ```
//! use flow_model::evaluate::{evaluate_text, display};
//! use serde_json::{json, Value};
//!
//! let data = json!({"name": "Ana", "age": 20});
//! let mut lookup = |r: flow_model::expression::Reference<'_>| {
//!     flow_model::evaluate::lookup_path(&data, r.path).cloned()
//! };
//! let greeting = evaluate_text("`'Hello ' ${data.name}`", &mut lookup).unwrap();
//! assert_eq!(display(&greeting), "Hello Ana");
//! assert_eq!(evaluate_text("`${data.age} >= 18`", &mut lookup), Ok(Value::Bool(true)));
//! ```
use serde_json::{Map, Number, Value};

use crate::expression::{self, Dynamic, ExpressionError, Meaning, Reference, Token, Type};

/// What a binding reads, or `None` when it reads nothing.
pub type Lookup<'l> = dyn FnMut(Reference<'_>) -> Option<Value> + 'l;

/// The value at a dotted path (`user.address.city`) inside `root`; numeric segments index
/// arrays.
pub fn lookup_path<'v>(root: &'v Value, path: &str) -> Option<&'v Value> {
    path.split('.').try_fold(root, |value, segment| match value {
        Value::Object(object) => object.get(segment),
        Value::Array(items) => segment.parse::<usize>().ok().and_then(|index| items.get(index)),
        _ => None,
    })
}

/// The value a string property stands for: the text itself when it is literal (text that mixes
/// a `${…}` with other text is shown as written, as WhatsApp does), what a binding reads
/// (`null` when nothing), or the result of a nested expression.
pub fn evaluate_text(text: &str, lookup: &mut Lookup<'_>) -> Result<Value, ExpressionError> {
    match expression::classify(text) {
        Dynamic::Binding(reference) => Ok(lookup(reference).unwrap_or(Value::Null)),
        Dynamic::Expression(inner) => evaluate(inner, lookup),
        Dynamic::Literal | Dynamic::Interpolated | Dynamic::InvalidBinding => {
            Ok(Value::String(text.to_owned()))
        }
    }
}

/// A JSON value with every string in it evaluated (action payloads, init-values): objects and
/// arrays keep their shape. The first expression that does not evaluate is the error.
pub fn evaluate_value(value: &Value, lookup: &mut Lookup<'_>) -> Result<Value, ExpressionError> {
    // Documents are at most `json::MAX_DEPTH` deep, which bounds this recursion.
    Ok(match value {
        Value::String(text) => evaluate_text(text, lookup)?,
        Value::Array(items) => {
            Value::Array(items.iter().map(|item| evaluate_value(item, lookup)).collect::<Result<_, _>>()?)
        }
        Value::Object(object) => Value::Object(
            object
                .iter()
                .map(|(key, item)| Ok((key.clone(), evaluate_value(item, lookup)?)))
                .collect::<Result<Map<String, Value>, ExpressionError>>()?,
        ),
        other => other.clone(),
    })
}

/// Evaluates the text between the backticks of a nested expression (or an If condition):
/// one pass of the expression grammar ([`expression::parse`]) with both meanings, the
/// checker's types (bindings are of unknown type, so only what is wrong whatever the data is
/// an error, worded as the validator words it) and the values.
pub fn evaluate(text: &str, lookup: &mut Lookup<'_>) -> Result<Value, ExpressionError> {
    let mut unknown = |_: Reference<'_>| Type::Unknown;
    let mut meaning = (expression::Types { resolve: &mut unknown }, Values { lookup });
    expression::parse(text, &mut meaning).map(|(_, value)| value)
}

/// How a value shows as text: strings as they are, numbers as JavaScript prints them,
/// `true`/`false`, nothing for `null`, JSON for arrays and objects.
pub fn display(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(text) => text.clone(),
        Value::Bool(value) => value.to_string(),
        Value::Number(number) => crate::number::format(number.as_f64().unwrap_or_default()),
        other => crate::json::compact(other),
    }
}

/// Whether a value counts as true (JavaScript's truthiness: `false`, `null`, `0` and `""` are
/// false).
pub fn truthy(value: &Value) -> bool {
    match value {
        Value::Null => false,
        Value::Bool(value) => *value,
        Value::Number(number) => number.as_f64().is_some_and(|n| n != 0.0 && !n.is_nan()),
        Value::String(text) => !text.is_empty(),
        Value::Array(_) | Value::Object(_) => true,
    }
}

fn number(value: f64) -> Value {
    Number::from_f64(value).map_or(Value::Null, Value::Number)
}

fn as_number(value: &Value) -> f64 {
    match value {
        Value::Number(number) => number.as_f64().unwrap_or_default(),
        Value::String(text) => crate::number::parse(text.trim()).unwrap_or_default(),
        Value::Bool(value) => f64::from(u8::from(*value)),
        _ => 0.0,
    }
}

fn equal(left: &Value, right: &Value) -> bool {
    match (left, right) {
        (Value::Number(a), Value::Number(b)) => a.as_f64() == b.as_f64(),
        _ => left == right,
    }
}

/// `\'` and `\\` in a single-quoted literal.
fn unescape(raw: &str) -> String {
    let mut text = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(next) = chars.next() {
                text.push(next);
            }
        } else {
            text.push(c);
        }
    }
    text
}

/// The evaluator's meaning of an expression: its value, computed as WhatsApp does (§6.2).
struct Values<'r, 'l> {
    lookup: &'r mut Lookup<'l>,
}

impl<'a> Meaning<'a> for Values<'_, '_> {
    type Value = Value;

    fn literal(&mut self, literal: &Token<'a>) -> Value {
        match literal {
            Token::String(raw) => Value::String(unescape(raw)),
            Token::Number(text) => number(crate::number::parse(text).unwrap_or_default()),
            Token::Boolean(value) => Value::Bool(*value),
            _ => Value::Null,
        }
    }

    fn binding(&mut self, reference: Reference<'a>) -> Value {
        (self.lookup)(reference).unwrap_or(Value::Null)
    }

    fn unary(&mut self, operator: &'static str, operand: Value) -> Result<Value, ExpressionError> {
        Ok(if operator == "!" { Value::Bool(!truthy(&operand)) } else { number(-as_number(&operand)) })
    }

    fn binary(
        &mut self,
        operator: &'static str,
        left: Value,
        right: Value,
    ) -> Result<Value, ExpressionError> {
        let (a, b) = (as_number(&left), as_number(&right));
        Ok(match operator {
            "||" => Value::Bool(truthy(&left) || truthy(&right)),
            "&&" => Value::Bool(truthy(&left) && truthy(&right)),
            "==" => Value::Bool(equal(&left, &right)),
            "!=" => Value::Bool(!equal(&left, &right)),
            "<" => Value::Bool(a < b),
            "<=" => Value::Bool(a <= b),
            ">" => Value::Bool(a > b),
            ">=" => Value::Bool(a >= b),
            "+" => number(a + b),
            "-" => number(a - b),
            "*" => number(a * b),
            // §6.2: division and modulo by zero (or null) give 0.
            _ if b == 0.0 => number(0.0),
            "/" => number(a / b),
            _ => number(a % b),
        })
    }

    fn concatenate(&mut self, left: Value, right: Value) -> Result<Value, ExpressionError> {
        let mut text = match left {
            Value::String(text) => text,
            other => display(&other),
        };
        text.push_str(&display(&right));
        Ok(Value::String(text))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn run(text: &str) -> Result<Value, ExpressionError> {
        let data = json!({"name": "Ana", "age": 20, "flag": true, "user": {"city": "Porto"}, "list": [1, 2]});
        let form = json!({"accept": false});
        evaluate(text, &mut |reference| {
            let root = match reference.source {
                expression::Source::Data => &data,
                expression::Source::Form => &form,
            };
            lookup_path(root, reference.path).cloned()
        })
    }

    #[test]
    fn paths_read_objects_and_arrays() {
        let value = json!({"a": {"b": [10, {"c": "x"}]}});
        assert_eq!(lookup_path(&value, "a.b.1.c"), Some(&json!("x")));
        assert_eq!(lookup_path(&value, "a.b.7"), None);
        assert_eq!(lookup_path(&value, "a.z"), None);
    }

    #[test]
    fn operators_follow_the_reference_semantics() {
        assert_eq!(run("${data.age} / 0"), Ok(json!(0.0)));
        assert_eq!(run("'it\\'s ' ${data.user.city}"), Ok(json!("it's Porto")));
        assert_eq!(run("!${form.accept} && ${data.flag}"), Ok(json!(true)));
        assert_eq!(run("-3 + ${data.age}"), Ok(json!(17.0)));
        assert_eq!(display(&run("${data.age} % 7").unwrap()), "6");
        assert_eq!(display(&run("${data.age} * 3 + 1").unwrap()), "61");
        assert_eq!(run("'Per person: ' ${data.age} / 8 ' each'"), Ok(json!("Per person: 2.5 each")));
    }

    #[test]
    fn broken_expressions_say_why() {
        assert_eq!(run("${data.age} = 3"), Err(ExpressionError::InvalidOperator { operator: "=".into() }));
        assert_eq!(run(""), Err(ExpressionError::Empty));
    }

    #[test]
    fn display_and_truthiness_are_javascript_like() {
        assert_eq!(display(&json!(2.5)), "2.5");
        assert_eq!(display(&json!(3.0)), "3");
        assert_eq!(display(&Value::Null), "");
        assert!(!truthy(&json!("")) && truthy(&json!([])) && !truthy(&json!(0)));
    }
}
