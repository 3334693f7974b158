//! Evaluating dynamic values at run time, as WhatsApp does when it shows a screen: bindings
//! (`${data.x}`, `${form.x}`, `${screen.S.data.x}`) and nested expressions (§6.2). The phone
//! preview uses it for every dynamic property, If conditions, Switch values and action payloads.
//!
//! The caller says what a binding reads (`lookup`); a binding that reads nothing is `null`,
//! which shows as empty text, counts as `false` and as `0` in arithmetic. Expressions are first
//! checked by [`expression::check`] (so a broken one gives the same message the validator does),
//! then evaluated by a parser of the same grammar over the same tokens, bounded in the same way.
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

use crate::expression::{self, Dynamic, ExpressionError, Reference, Token, Type};

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

/// Evaluates the text between the backticks of a nested expression (or an If condition).
pub fn evaluate(text: &str, lookup: &mut Lookup<'_>) -> Result<Value, ExpressionError> {
    expression::check(text, &mut |_| Type::Unknown)?;
    let tokens: Vec<Token<'_>> =
        expression::tokenize(text)?.into_iter().filter(|token| *token != Token::Space).collect();
    // Concatenation is juxtaposition, so it needs to know where spaces were: only members
    // (literals, bindings, groups) can follow each other, which the checker has verified.
    let mut evaluator = Evaluator { tokens: &tokens, pos: 0, lookup };
    Ok(evaluator.logical_or())
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

struct Evaluator<'t, 'a, 'l, 'r> {
    tokens: &'t [Token<'a>],
    pos: usize,
    lookup: &'r mut Lookup<'l>,
}

impl Evaluator<'_, '_, '_, '_> {
    fn eat(&mut self, operators: &[&str]) -> Option<&'static str> {
        match self.tokens.get(self.pos) {
            Some(Token::Operator(found)) if operators.contains(found) => {
                self.pos += 1;
                Some(found)
            }
            _ => None,
        }
    }

    fn logical_or(&mut self) -> Value {
        let mut left = self.logical_and();
        while self.eat(&["||"]).is_some() {
            let right = self.logical_and();
            left = Value::Bool(truthy(&left) || truthy(&right));
        }
        left
    }

    fn logical_and(&mut self) -> Value {
        let mut left = self.equality();
        while self.eat(&["&&"]).is_some() {
            let right = self.equality();
            left = Value::Bool(truthy(&left) && truthy(&right));
        }
        left
    }

    fn equality(&mut self) -> Value {
        let left = self.comparison();
        let Some(operator) = self.eat(&["==", "!="]) else { return left };
        let right = self.comparison();
        Value::Bool(equal(&left, &right) == (operator == "=="))
    }

    fn comparison(&mut self) -> Value {
        let left = self.additive();
        let Some(operator) = self.eat(&["<=", ">=", "<", ">"]) else { return left };
        let right = self.additive();
        let (a, b) = (as_number(&left), as_number(&right));
        Value::Bool(match operator {
            "<=" => a <= b,
            ">=" => a >= b,
            "<" => a < b,
            _ => a > b,
        })
    }

    fn additive(&mut self) -> Value {
        let mut left = self.multiplicative();
        while let Some(operator) = self.eat(&["+", "-"]) {
            let right = self.multiplicative();
            let (a, b) = (as_number(&left), as_number(&right));
            left = number(if operator == "+" { a + b } else { a - b });
        }
        left
    }

    fn multiplicative(&mut self) -> Value {
        let mut left = self.unary();
        while let Some(operator) = self.eat(&["/", "%"]) {
            let right = self.unary();
            let (a, b) = (as_number(&left), as_number(&right));
            // §6.2: division and modulo by zero (or null) give 0.
            left = number(if b == 0.0 {
                0.0
            } else if operator == "/" {
                a / b
            } else {
                a % b
            });
        }
        left
    }

    fn unary(&mut self) -> Value {
        if self.eat(&["!"]).is_some() {
            return Value::Bool(!truthy(&self.unary()));
        }
        if self.eat(&["-"]).is_some() {
            return number(-as_number(&self.primary()));
        }
        self.concatenation()
    }

    fn concatenation(&mut self) -> Value {
        let first = self.primary();
        if !self.member_follows() {
            return first;
        }
        let mut text = display(&first);
        while self.member_follows() {
            text.push_str(&display(&self.primary()));
        }
        Value::String(text)
    }

    fn member_follows(&self) -> bool {
        matches!(
            self.tokens.get(self.pos),
            Some(Token::String(_) | Token::Number(_) | Token::Boolean(_) | Token::Binding(_) | Token::Open)
        )
    }

    fn primary(&mut self) -> Value {
        let Some(token) = self.tokens.get(self.pos).copied() else { return Value::Null };
        self.pos += 1;
        match token {
            Token::String(raw) => Value::String(unescape(raw)),
            Token::Number(text) => number(crate::number::parse(text).unwrap_or_default()),
            Token::Boolean(value) => Value::Bool(value),
            Token::Binding(reference) => (self.lookup)(reference).unwrap_or(Value::Null),
            Token::Open => {
                let inner = self.logical_or();
                if let Some(Token::Close) = self.tokens.get(self.pos) {
                    self.pos += 1;
                }
                inner
            }
            Token::Close | Token::Operator(_) | Token::Space => Value::Null,
        }
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
