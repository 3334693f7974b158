//! Dynamic values (§6): bindings such as `${data.name}`, `${form.email}` and
//! `${screen.WELCOME.data.id}`, and the nested expressions of 6.0+ written between backticks,
//! e.g. `` `'Hello ' ${form.name}` `` or `` `${data.age} >= 18 && ${form.accept}` ``.
//!
//! The parser is a single pass with a bounded depth: it checks syntax and operand types as it
//! reads, asking the caller for the type of each binding, and builds no tree.
use std::fmt;

/// Where a binding reads from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Source {
    /// `data`: the screen's data model.
    Data,
    /// `form`: the value of an input component.
    Form,
}

impl Source {
    /// `data` or `form`.
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Data => "data",
            Source::Form => "form",
        }
    }
}

/// A parsed binding: `${[screen.SCREEN.](data|form).field[.sub…]}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Reference<'a> {
    /// The screen of a global reference (`${screen.SCREEN.data.x}`), 4.0+.
    pub screen: Option<&'a str>,
    /// `data` or `form`.
    pub source: Source,
    /// The dotted path after `data.` / `form.`: never empty, no empty segment.
    pub path: &'a str,
    /// The whole binding text, `${` and `}` included.
    pub text: &'a str,
}

impl<'a> Reference<'a> {
    /// The first path segment: the data model field or the input name.
    pub fn field(&self) -> &'a str {
        self.path.split('.').next().unwrap_or(self.path)
    }

    /// The path segments.
    pub fn segments(&self) -> impl Iterator<Item = &'a str> + use<'a> {
        self.path.split('.')
    }
}

impl fmt::Display for Reference<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.text)
    }
}

/// Reads a whole string as one binding (nothing before `${` or after `}`).
pub fn parse_binding(text: &str) -> Option<Reference<'_>> {
    let inner = text.strip_prefix("${")?.strip_suffix('}')?;
    let (screen, rest) = match inner.strip_prefix("screen.") {
        Some(rest) => {
            let (screen, rest) = rest.split_once('.')?;
            let valid = screen.bytes().all(|b| b.is_ascii_alphabetic() || b == b'_' || b == b',');
            if !valid {
                return None;
            }
            (Some(screen), rest)
        }
        None => (None, inner),
    };
    let (source, path) = if let Some(path) = rest.strip_prefix("data.") {
        (Source::Data, path)
    } else if let Some(path) = rest.strip_prefix("form.") {
        (Source::Form, path)
    } else {
        return None;
    };
    let segment_ok = |segment: &str| {
        !segment.is_empty() && segment.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
    };
    if !path.split('.').all(segment_ok) {
        return None;
    }
    Some(Reference { screen, source, path, text })
}

/// What a string property value is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dynamic<'a> {
    /// Plain text, shown as written.
    Literal,
    /// Exactly one binding.
    Binding(Reference<'a>),
    /// A nested expression: the text between the backticks.
    Expression(&'a str),
    /// Text that mixes a `${…}` binding with other text: WhatsApp shows it literally.
    Interpolated,
    /// Looks like a binding (`${…}` is the whole value) but is not a valid one.
    InvalidBinding,
}

/// Tells what a string property value is.
pub fn classify(text: &str) -> Dynamic<'_> {
    // A byte search: `str::contains(char)` sets up a general searcher, and most values are
    // short literals.
    if !text.starts_with('`') && !text.as_bytes().contains(&b'$') {
        return Dynamic::Literal;
    }
    if let Some(inner) = text.strip_prefix('`').and_then(|rest| rest.strip_suffix('`')) {
        return Dynamic::Expression(inner);
    }
    if text.starts_with("${") && text.ends_with('}') && text.find('}') == Some(text.len() - 1) {
        return parse_binding(text).map_or(Dynamic::InvalidBinding, Dynamic::Binding);
    }
    if contains_binding(text) { Dynamic::Interpolated } else { Dynamic::Literal }
}

/// Whether `text` contains something that reads as a binding (`${data.` / `${form.` /
/// `${screen.`).
pub fn contains_binding(text: &str) -> bool {
    text.match_indices("${").any(|(at, _)| {
        let rest = text.get(at + 2..).unwrap_or_default();
        ["data.", "form.", "screen."].iter().any(|prefix| rest.starts_with(prefix))
    })
}

/// The static type of a value in an expression.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Type {
    /// Text.
    String,
    /// A number.
    Number,
    /// `true` or `false`.
    Boolean,
    /// An array (usable only where arrays are expected, never in an operator).
    Array,
    /// An object.
    Object,
    /// Not known statically (e.g. an unresolved binding): accepted everywhere.
    Unknown,
}

impl Type {
    /// The type of a data model `type` name.
    pub fn from_schema(name: &str) -> Type {
        match name {
            "string" => Type::String,
            "number" | "integer" => Type::Number,
            "boolean" => Type::Boolean,
            "array" => Type::Array,
            "object" => Type::Object,
            _ => Type::Unknown,
        }
    }

    fn is(self, expected: Type) -> bool {
        self == expected || self == Type::Unknown
    }

    fn is_scalar(self) -> bool {
        matches!(self, Type::String | Type::Number | Type::Boolean | Type::Unknown)
    }
}

impl fmt::Display for Type {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Type::String => "string",
            Type::Number => "number",
            Type::Boolean => "boolean",
            Type::Array => "array",
            Type::Object => "object",
            Type::Unknown => "unknown",
        })
    }
}

/// What is wrong with an expression (§6.2), worded for the person who wrote it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ExpressionError {
    /// Nothing between the backticks (or an empty condition).
    Empty,
    /// `()`.
    EmptyParentheses,
    /// A `(` without its `)`.
    MissingClosingParenthesis,
    /// A `)` without its `(`.
    UnexpectedClosingParenthesis,
    /// A `'` without its closing `'`.
    MissingQuote,
    /// An operator without an operand on one side.
    MissingOperand {
        /// The operator.
        operator: &'static str,
    },
    /// Two operands where an operator was expected (e.g. two comparisons side by side).
    MissingOperator,
    /// An operator the language does not have (`=`, `&`, `|`, `^`, …).
    InvalidOperator {
        /// The operator as written.
        operator: String,
    },
    /// `-` not followed by a number.
    NegativeSignWithoutNumber,
    /// Something that is not a literal, a binding, an operator or a parenthesis.
    UnexpectedText {
        /// The text.
        text: String,
    },
    /// `${…}` that is not a valid binding.
    InvalidBinding {
        /// The text.
        text: String,
    },
    /// An equality between operands of different types.
    TypeMismatch {
        /// The operator.
        operator: &'static str,
        /// Type on the left.
        left: Type,
        /// Type on the right.
        right: Type,
    },
    /// An operand of the wrong type for its operator.
    OperandType {
        /// The operator.
        operator: &'static str,
        /// What the operator takes.
        expected: Type,
        /// What it got.
        found: Type,
    },
    /// A comparison of two literals: its result is known in advance.
    LiteralComparison {
        /// The operator.
        operator: &'static str,
    },
    /// The expression has no dynamic operand (conditions need one).
    LiteralOnly,
    /// The whole expression has the wrong type for its property.
    ResultType {
        /// What the property takes.
        expected: Type,
        /// What the expression gives.
        found: Type,
    },
    /// Nested or chained beyond what we read.
    TooComplex,
}

impl fmt::Display for ExpressionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ExpressionError::Empty => f.write_str("The expression is empty."),
            ExpressionError::EmptyParentheses => f.write_str("Empty parentheses are not allowed."),
            ExpressionError::MissingClosingParenthesis => f.write_str("Missing closing parenthesis ')'."),
            ExpressionError::UnexpectedClosingParenthesis => {
                f.write_str("Unexpected closing parenthesis ')' without a matching '('.")
            }
            ExpressionError::MissingQuote => f.write_str("Missing closing quote (') of a string literal."),
            ExpressionError::MissingOperand { operator } => write!(f, "Missing operand for operator '{operator}'."),
            ExpressionError::MissingOperator => f.write_str("Missing operator between two operands."),
            ExpressionError::InvalidOperator { operator } => write!(
                f,
                "Invalid operator '{operator}'. Use ==, !=, <, <=, >, >=, &&, ||, !, +, -, *, / or %."
            ),
            ExpressionError::NegativeSignWithoutNumber => {
                f.write_str("A numerical value is expected to follow the negative sign.")
            }
            ExpressionError::UnexpectedText { text } => write!(
                f,
                "Unexpected '{text}': write text between single quotes, e.g. '{text}', and data as ${{data.field}}."
            ),
            ExpressionError::InvalidBinding { text } => write!(
                f,
                "'{text}' is not a valid reference: write ${{data.field}}, ${{form.name}} or ${{screen.SCREEN_ID.data.field}}."
            ),
            ExpressionError::TypeMismatch { operator, left, right } => write!(
                f,
                "Both sides of '{operator}' must have the same type, but the left is a {left} and the right a {right}."
            ),
            ExpressionError::OperandType { operator, expected, found } => {
                write!(f, "Operator '{operator}' expects {expected} operands but found a {found}.")
            }
            ExpressionError::LiteralComparison { operator } => write!(
                f,
                "Both sides of '{operator}' are literal values; at least one side must be dynamic data."
            ),
            ExpressionError::LiteralOnly => f.write_str(
                "The only operand is a literal value; the condition must use dynamic data such as ${data.field} or ${form.name}.",
            ),
            ExpressionError::ResultType { expected, found } => {
                write!(f, "The expression gives a {found} but a {expected} is expected here.")
            }
            ExpressionError::TooComplex => f.write_str("The expression is nested or chained too deeply."),
        }
    }
}

/// The most nested parentheses and unary operators, and operators in a chain, we read.
const MAX_NESTING: usize = 64;
const MAX_OPERATORS: usize = 512;

/// Checks the text between the backticks of a nested expression (or an If condition) and
/// returns its type. `resolve` gives the type of each binding (and may record it).
pub fn check<'t>(
    text: &'t str,
    resolve: &mut dyn FnMut(Reference<'t>) -> Type,
) -> Result<Outcome, ExpressionError> {
    let operand = parse(text, &mut Types { resolve })?;
    Ok(Outcome { result: operand.ty, dynamic: operand.dynamic })
}

/// What an expression gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Outcome {
    /// Its type.
    pub result: Type,
    /// Whether it reads any binding.
    pub dynamic: bool,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Token<'a> {
    /// A single-quoted literal: the text between the quotes, escapes as written.
    String(&'a str),
    Number(&'a str),
    Boolean(bool),
    Binding(Reference<'a>),
    Operator(&'static str),
    Open,
    Close,
    /// Whitespace between members: concatenation.
    Space,
}

/// §6.2 lists `+`, `-`, `/` and `%`; Meta's own nested-expression examples also multiply
/// (`tests/corpus/6.0/math-operators.json`), so `*` is read too.
const OPERATORS: &[&str] = &["==", "!=", "<=", ">=", "&&", "||", "<", ">", "!", "+", "-", "*", "/", "%"];

pub(crate) fn tokenize(text: &str) -> Result<Vec<Token<'_>>, ExpressionError> {
    // Room for a typical condition (`${data.x} != ''` is five tokens) without growing.
    let mut tokens = Vec::with_capacity(text.len().min(16));
    let bytes = text.as_bytes();
    let mut pos = 0;
    while let Some(&byte) = bytes.get(pos) {
        let rest = text.get(pos..).unwrap_or_default();
        match byte {
            b' ' | b'\t' | b'\n' | b'\r' => {
                let len = rest.len() - rest.trim_start().len();
                if !matches!(tokens.last(), None | Some(Token::Space)) {
                    tokens.push(Token::Space);
                }
                pos += len.max(1);
            }
            b'\'' => {
                let mut end = pos + 1;
                loop {
                    match bytes.get(end) {
                        None => return Err(ExpressionError::MissingQuote),
                        Some(b'\\') => end += 2,
                        Some(b'\'') => break,
                        Some(_) => end += 1,
                    }
                }
                tokens.push(Token::String(text.get(pos + 1..end).unwrap_or_default()));
                pos = end + 1;
            }
            b'$' if rest.starts_with("${") => {
                let Some(close) = rest.find('}') else {
                    return Err(ExpressionError::InvalidBinding { text: rest.to_owned() });
                };
                let binding = rest.get(..=close).unwrap_or(rest);
                let reference = parse_binding(binding)
                    .ok_or_else(|| ExpressionError::InvalidBinding { text: binding.to_owned() })?;
                tokens.push(Token::Binding(reference));
                pos += close + 1;
            }
            b'0'..=b'9' => {
                let len = rest.bytes().take_while(|b| b.is_ascii_digit() || *b == b'.').count();
                if rest.get(..len).is_some_and(|number| !crate::number::is_decimal(number)) {
                    return Err(ExpressionError::UnexpectedText {
                        text: rest.get(..len).unwrap_or(rest).to_owned(),
                    });
                }
                tokens.push(Token::Number(rest.get(..len).unwrap_or_default()));
                pos += len;
            }
            b'(' => {
                tokens.push(Token::Open);
                pos += 1;
            }
            b')' => {
                tokens.push(Token::Close);
                pos += 1;
            }
            _ if byte.is_ascii_alphabetic() || byte == b'_' => {
                let len = rest.bytes().take_while(|b| b.is_ascii_alphanumeric() || *b == b'_').count();
                let word = rest.get(..len).unwrap_or(rest);
                if word == "true" || word == "false" {
                    tokens.push(Token::Boolean(word == "true"));
                } else {
                    return Err(ExpressionError::UnexpectedText { text: word.to_owned() });
                }
                pos += len;
            }
            _ => {
                if let Some(operator) = OPERATORS.iter().find(|operator| rest.starts_with(**operator)) {
                    tokens.push(Token::Operator(operator));
                    pos += operator.len();
                } else {
                    let len = rest.chars().next().map_or(1, char::len_utf8);
                    let first = rest.get(..len).unwrap_or(rest);
                    return Err(if "=&|*^~?:".contains(first) {
                        // `=`, `&`, `|` alone are the usual typos of `==`, `&&`, `||`.
                        let doubled = rest.get(len..len + 1).filter(|next| "=&|*".contains(*next));
                        ExpressionError::InvalidOperator {
                            operator: format!("{first}{}", doubled.unwrap_or("")),
                        }
                    } else {
                        ExpressionError::UnexpectedText { text: first.to_owned() }
                    });
                }
            }
        }
    }
    if let Some(Token::Space) = tokens.last() {
        tokens.pop();
    }
    Ok(tokens)
}

/// What the nodes of an expression mean. The one grammar ([`parse`]) asks it for the meaning of
/// each literal, binding and operator: the checker's is the static type ([`Types`]), the
/// evaluator's the value (`evaluate::Values`), so both read the same expressions the same way.
pub(crate) trait Meaning<'a> {
    /// What a sub-expression means.
    type Value;

    /// A single-quoted string (escapes as written), a number or a boolean.
    fn literal(&mut self, literal: &Token<'a>) -> Self::Value;

    /// A binding.
    fn binding(&mut self, reference: Reference<'a>) -> Self::Value;

    /// `!operand`, or `-operand` (only before a number literal).
    fn unary(&mut self, operator: &'static str, operand: Self::Value)
    -> Result<Self::Value, ExpressionError>;

    /// `left operator right`, for every binary operator.
    fn binary(
        &mut self,
        operator: &'static str,
        left: Self::Value,
        right: Self::Value,
    ) -> Result<Self::Value, ExpressionError>;

    /// Members side by side: `'Hello ' ${form.name}`.
    fn concatenate(&mut self, left: Self::Value, right: Self::Value) -> Result<Self::Value, ExpressionError>;
}

/// Both meanings at once (the evaluator checks types as it computes values, in one pass).
impl<'a, A: Meaning<'a>, B: Meaning<'a>> Meaning<'a> for (A, B) {
    type Value = (A::Value, B::Value);

    fn literal(&mut self, literal: &Token<'a>) -> Self::Value {
        (self.0.literal(literal), self.1.literal(literal))
    }

    fn binding(&mut self, reference: Reference<'a>) -> Self::Value {
        (self.0.binding(reference), self.1.binding(reference))
    }

    fn unary(&mut self, operator: &'static str, (a, b): Self::Value) -> Result<Self::Value, ExpressionError> {
        Ok((self.0.unary(operator, a)?, self.1.unary(operator, b)?))
    }

    fn binary(
        &mut self,
        operator: &'static str,
        (left_a, left_b): Self::Value,
        (right_a, right_b): Self::Value,
    ) -> Result<Self::Value, ExpressionError> {
        Ok((self.0.binary(operator, left_a, right_a)?, self.1.binary(operator, left_b, right_b)?))
    }

    fn concatenate(
        &mut self,
        (left_a, left_b): Self::Value,
        (right_a, right_b): Self::Value,
    ) -> Result<Self::Value, ExpressionError> {
        Ok((self.0.concatenate(left_a, right_a)?, self.1.concatenate(left_b, right_b)?))
    }
}

/// A checked sub-expression: its static type, and whether it reads data.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Operand {
    ty: Type,
    /// Reads at least one binding.
    dynamic: bool,
}

/// The checker's meaning: static types (§6.2's table of operators and operand types).
pub(crate) struct Types<'r, 'a> {
    /// The type of each binding.
    pub resolve: &'r mut dyn FnMut(Reference<'a>) -> Type,
}

impl<'a> Meaning<'a> for Types<'_, 'a> {
    type Value = Operand;

    fn literal(&mut self, literal: &Token<'a>) -> Operand {
        let ty = match literal {
            Token::Number(_) => Type::Number,
            Token::Boolean(_) => Type::Boolean,
            _ => Type::String,
        };
        Operand { ty, dynamic: false }
    }

    fn binding(&mut self, reference: Reference<'a>) -> Operand {
        Operand { ty: (self.resolve)(reference), dynamic: true }
    }

    fn unary(&mut self, operator: &'static str, operand: Operand) -> Result<Operand, ExpressionError> {
        let expected = if operator == "!" { Type::Boolean } else { Type::Number };
        if !operand.ty.is(expected) {
            return Err(ExpressionError::OperandType { operator, expected, found: operand.ty });
        }
        Ok(Operand { ty: expected, ..operand })
    }

    fn binary(
        &mut self,
        operator: &'static str,
        left: Operand,
        right: Operand,
    ) -> Result<Operand, ExpressionError> {
        let dynamic = left.dynamic || right.dynamic;
        let (operands, result) = match operator {
            "&&" | "||" => (Type::Boolean, Type::Boolean),
            "==" | "!=" => {
                if !dynamic {
                    return Err(ExpressionError::LiteralComparison { operator });
                }
                for side in [left, right] {
                    if !side.ty.is_scalar() {
                        return Err(ExpressionError::OperandType {
                            operator,
                            expected: Type::String,
                            found: side.ty,
                        });
                    }
                }
                if left.ty != Type::Unknown && right.ty != Type::Unknown && left.ty != right.ty {
                    return Err(ExpressionError::TypeMismatch { operator, left: left.ty, right: right.ty });
                }
                return Ok(Operand { ty: Type::Boolean, dynamic });
            }
            "<" | "<=" | ">" | ">=" => {
                if !dynamic {
                    return Err(ExpressionError::LiteralComparison { operator });
                }
                (Type::Number, Type::Boolean)
            }
            _ => (Type::Number, Type::Number),
        };
        for side in [left, right] {
            if !side.ty.is(operands) {
                return Err(ExpressionError::OperandType { operator, expected: operands, found: side.ty });
            }
        }
        Ok(Operand { ty: result, dynamic })
    }

    fn concatenate(&mut self, left: Operand, right: Operand) -> Result<Operand, ExpressionError> {
        for side in [left, right] {
            if !side.ty.is_scalar() {
                return Err(ExpressionError::OperandType {
                    operator: "concatenation",
                    expected: Type::String,
                    found: side.ty,
                });
            }
        }
        Ok(Operand { ty: Type::String, dynamic: left.dynamic || right.dynamic })
    }
}

/// Reads `text` (between the backticks) by the one grammar of nested expressions, asking
/// `meaning` what each node means. From the loosest to the tightest:
///
/// ```text
/// or             := and ("||" and)*
/// and            := equality ("&&" equality)*
/// equality       := comparison (("==" | "!=") comparison)?
/// comparison     := concatenation (("<" | "<=" | ">" | ">=") concatenation)?
/// concatenation  := additive (additive)*          members side by side
/// additive       := multiplicative (("+" | "-") multiplicative)*
/// multiplicative := unary (("*" | "/" | "%") unary)*
/// unary          := "!" unary | "-" NUMBER | primary
/// primary        := STRING | NUMBER | BOOLEAN | BINDING | "(" or ")"
/// ```
///
/// Arithmetic binds tighter than concatenation, as in Meta's example
/// `` `'The amount per person is: ' ${data.total} / ${form.group_size}` ``.
pub(crate) fn parse<'a, M: Meaning<'a>>(text: &'a str, meaning: &mut M) -> Result<M::Value, ExpressionError> {
    let tokens = tokenize(text)?;
    if tokens.is_empty() {
        return Err(ExpressionError::Empty);
    }
    let mut parser = Parser { tokens: &tokens, pos: 0, depth: 0, operators: 0, meaning };
    let value = parser.logical_or()?;
    match parser.tokens.get(parser.pos) {
        None => Ok(value),
        Some(Token::Close) => Err(ExpressionError::UnexpectedClosingParenthesis),
        Some(_) => Err(ExpressionError::MissingOperator),
    }
}

struct Parser<'t, 'a, 'm, M> {
    tokens: &'t [Token<'a>],
    pos: usize,
    depth: usize,
    operators: usize,
    meaning: &'m mut M,
}

/// A level of the grammar.
type Level<'t, 'a, 'm, M> =
    fn(&mut Parser<'t, 'a, 'm, M>) -> Result<<M as Meaning<'a>>::Value, ExpressionError>;

impl<'t, 'a, 'm, M: Meaning<'a>> Parser<'t, 'a, 'm, M> {
    /// The next token after spaces, by reference: tokens are large (a binding holds its
    /// parts), and the parser peeks at every precedence level.
    fn peek(&self) -> Option<&'t Token<'a>> {
        let mut pos = self.pos;
        while let Some(Token::Space) = self.tokens.get(pos) {
            pos += 1;
        }
        self.tokens.get(pos)
    }

    fn skip_space(&mut self) {
        while let Some(Token::Space) = self.tokens.get(self.pos) {
            self.pos += 1;
        }
    }

    /// Consumes `operator` when it comes next.
    fn eat(&mut self, operators: &[&'static str]) -> Result<Option<&'static str>, ExpressionError> {
        match self.peek() {
            // Byte comparison: operators are one or two bytes, too short for `memcmp`.
            Some(Token::Operator(found))
                if operators.iter().any(|operator| crate::catalog::same(operator, found)) =>
            {
                self.skip_space();
                self.pos += 1;
                self.operators += 1;
                if self.operators > MAX_OPERATORS {
                    return Err(ExpressionError::TooComplex);
                }
                Ok(Some(found))
            }
            _ => Ok(None),
        }
    }

    fn operand_after(
        &mut self,
        operator: &'static str,
        next: Level<'t, 'a, 'm, M>,
    ) -> Result<M::Value, ExpressionError> {
        match self.peek() {
            None | Some(Token::Close) => Err(ExpressionError::MissingOperand { operator }),
            Some(&Token::Operator(found)) if found != "!" && found != "-" => {
                Err(ExpressionError::MissingOperand { operator })
            }
            _ => next(self),
        }
    }

    fn first_operand(&mut self, next: Level<'t, 'a, 'm, M>) -> Result<M::Value, ExpressionError> {
        match self.peek() {
            Some(&Token::Operator(operator)) if operator != "!" && operator != "-" => {
                Err(ExpressionError::MissingOperand { operator })
            }
            None => Err(ExpressionError::Empty),
            _ => next(self),
        }
    }

    /// `next (operator next)*`, left to right.
    fn chain(
        &mut self,
        operators: &[&'static str],
        next: Level<'t, 'a, 'm, M>,
    ) -> Result<M::Value, ExpressionError> {
        let mut left = self.first_operand(next)?;
        while let Some(operator) = self.eat(operators)? {
            let right = self.operand_after(operator, next)?;
            left = self.meaning.binary(operator, left, right)?;
        }
        Ok(left)
    }

    /// `next (operator next)?`: equality and comparison do not chain (`a == b == c` compares
    /// a boolean, which is an operand of the wrong type).
    fn once(
        &mut self,
        operators: &[&'static str],
        expected: Type,
        next: Level<'t, 'a, 'm, M>,
    ) -> Result<M::Value, ExpressionError> {
        let left = self.first_operand(next)?;
        let Some(operator) = self.eat(operators)? else { return Ok(left) };
        let right = self.operand_after(operator, next)?;
        let value = self.meaning.binary(operator, left, right)?;
        if let Some(Token::Operator(again)) = self.peek()
            && operators.contains(again)
        {
            return Err(ExpressionError::OperandType { operator: again, expected, found: Type::Boolean });
        }
        Ok(value)
    }

    fn logical_or(&mut self) -> Result<M::Value, ExpressionError> {
        self.chain(&["||"], Self::logical_and)
    }

    fn logical_and(&mut self) -> Result<M::Value, ExpressionError> {
        self.chain(&["&&"], Self::equality)
    }

    fn equality(&mut self) -> Result<M::Value, ExpressionError> {
        self.once(&["==", "!="], Type::String, Self::comparison)
    }

    fn comparison(&mut self) -> Result<M::Value, ExpressionError> {
        self.once(&["<=", ">=", "<", ">"], Type::Number, Self::concatenation)
    }

    /// Members side by side (`'Hello ' ${form.name}`) make a string.
    fn concatenation(&mut self) -> Result<M::Value, ExpressionError> {
        let mut result = self.first_operand(Self::additive)?;
        let mut members = 1;
        loop {
            let spaced = matches!(self.tokens.get(self.pos), Some(Token::Space));
            match self.peek() {
                Some(
                    next @ (Token::String(_)
                    | Token::Number(_)
                    | Token::Boolean(_)
                    | Token::Binding(_)
                    | Token::Open),
                ) => {
                    // A number right after a member, with no space, is more likely a missing
                    // operator than a concatenation.
                    if !spaced && matches!(next, Token::Number(_)) {
                        return Err(ExpressionError::MissingOperator);
                    }
                    members += 1;
                    if members > MAX_OPERATORS {
                        return Err(ExpressionError::TooComplex);
                    }
                    let member = self.additive()?;
                    result = self.meaning.concatenate(result, member)?;
                }
                _ => return Ok(result),
            }
        }
    }

    fn additive(&mut self) -> Result<M::Value, ExpressionError> {
        self.chain(&["+", "-"], Self::multiplicative)
    }

    fn multiplicative(&mut self) -> Result<M::Value, ExpressionError> {
        self.chain(&["*", "/", "%"], Self::unary)
    }

    fn unary(&mut self) -> Result<M::Value, ExpressionError> {
        if self.eat(&["!"])?.is_some() {
            let operand = self.nested(|parser| parser.operand_after("!", Self::unary))?;
            return self.meaning.unary("!", operand);
        }
        if self.eat(&["-"])?.is_some() {
            // Only a number literal may follow directly: `-5`, not `-${data.x}` or `- 5`.
            return match self.tokens.get(self.pos) {
                Some(token @ Token::Number(_)) => {
                    self.pos += 1;
                    let number = self.meaning.literal(token);
                    self.meaning.unary("-", number)
                }
                _ => Err(ExpressionError::NegativeSignWithoutNumber),
            };
        }
        self.primary()
    }

    fn primary(&mut self) -> Result<M::Value, ExpressionError> {
        self.skip_space();
        let Some(token) = self.tokens.get(self.pos) else {
            return Err(ExpressionError::Empty);
        };
        self.pos += 1;
        match token {
            Token::String(_) | Token::Number(_) | Token::Boolean(_) => Ok(self.meaning.literal(token)),
            Token::Binding(reference) => Ok(self.meaning.binding(*reference)),
            Token::Open => {
                if let Some(Token::Close) = self.peek() {
                    return Err(ExpressionError::EmptyParentheses);
                }
                let inner = self.nested(Self::logical_or)?;
                self.skip_space();
                match self.tokens.get(self.pos) {
                    Some(Token::Close) => {
                        self.pos += 1;
                        Ok(inner)
                    }
                    None => Err(ExpressionError::MissingClosingParenthesis),
                    Some(_) => Err(ExpressionError::MissingOperator),
                }
            }
            Token::Close => Err(ExpressionError::UnexpectedClosingParenthesis),
            Token::Operator(operator) => Err(ExpressionError::MissingOperand { operator }),
            Token::Space => Err(ExpressionError::Empty),
        }
    }

    fn nested(
        &mut self,
        inner: impl FnOnce(&mut Self) -> Result<M::Value, ExpressionError>,
    ) -> Result<M::Value, ExpressionError> {
        self.depth += 1;
        if self.depth > MAX_NESTING {
            return Err(ExpressionError::TooComplex);
        }
        let result = inner(self);
        self.depth -= 1;
        result
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn types(reference: Reference<'_>) -> Type {
        match reference.field() {
            "age" | "count" => Type::Number,
            "accept" | "flag" => Type::Boolean,
            "items" => Type::Array,
            "unknown" => Type::Unknown,
            _ => Type::String,
        }
    }

    fn run(text: &str) -> Result<Type, ExpressionError> {
        check(text, &mut types).map(|outcome| outcome.result)
    }

    #[test]
    fn bindings_parse_whole_strings_only() {
        let reference = parse_binding("${screen.WELCOME.data.user.id}").unwrap();
        assert_eq!(
            (reference.screen, reference.source, reference.path),
            (Some("WELCOME"), Source::Data, "user.id")
        );
        assert_eq!(reference.field(), "user");
        assert_eq!(parse_binding("${form.first-name}").unwrap().source, Source::Form);
        for bad in [
            "${data.}",
            "${data}",
            "${foo.x}",
            "${data.a..b}",
            "x ${data.a}",
            "${data.a} ",
            "${data.a b}",
            "${screen.A1.data.x}",
        ] {
            assert!(parse_binding(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn classify_tells_literals_bindings_expressions_and_mixed_text() {
        assert_eq!(classify("Hello"), Dynamic::Literal);
        assert!(matches!(classify("${data.name}"), Dynamic::Binding(_)));
        assert_eq!(classify("`'a' ${data.b}`"), Dynamic::Expression("'a' ${data.b}"));
        assert_eq!(classify("Hello ${data.name}"), Dynamic::Interpolated);
        assert_eq!(classify("${data.a} and ${data.b}"), Dynamic::Interpolated);
        assert_eq!(classify("${data.}"), Dynamic::InvalidBinding);
        assert_eq!(classify("Price: ${5}"), Dynamic::Literal);
    }

    #[test]
    fn valid_expressions_and_their_types() {
        assert_eq!(run("'Hello ' ${form.name}"), Ok(Type::String));
        assert_eq!(run("${data.age} >= 18 && ${form.accept}"), Ok(Type::Boolean));
        assert_eq!(run("(${data.age} + 1) / 2 % 3 - -4"), Ok(Type::Number));
        assert_eq!(run("'Product: ' (${data.age} * ${data.count})"), Ok(Type::String));
        // Arithmetic binds tighter than concatenation, as in Meta's nested-expression example.
        assert_eq!(run("'Per person: ' ${data.age} / ${data.count}"), Ok(Type::String));
        assert_eq!(run("${data.name} ' is ' ${data.age} + 1 == 'x'"), Ok(Type::Boolean));
        assert_eq!(run("!(${data.flag} || ${data.age} == 3)"), Ok(Type::Boolean));
        assert_eq!(run("${data.name} != 'x' || ${data.unknown}"), Ok(Type::Boolean));
        assert_eq!(run("'Total: ' (${data.count} + 2) ' items'"), Ok(Type::String));
        assert_eq!(run("'it\\'s' ${data.name}"), Ok(Type::String));
    }

    #[test]
    fn typical_errors() {
        let cases: &[(&str, ExpressionError)] = &[
            ("", ExpressionError::Empty),
            ("  ", ExpressionError::Empty),
            ("()", ExpressionError::EmptyParentheses),
            ("(${data.flag}", ExpressionError::MissingClosingParenthesis),
            ("${data.flag})", ExpressionError::UnexpectedClosingParenthesis),
            ("'abc", ExpressionError::MissingQuote),
            ("${data.age} >", ExpressionError::MissingOperand { operator: ">" }),
            ("&& ${data.flag}", ExpressionError::MissingOperand { operator: "&&" }),
            ("${data.age} = 3", ExpressionError::InvalidOperator { operator: "=".into() }),
            ("${data.flag} & ${data.flag}", ExpressionError::InvalidOperator { operator: "&".into() }),
            ("${data.age} ** 2", ExpressionError::MissingOperand { operator: "*" }),
            ("${data.age} ^ 2", ExpressionError::InvalidOperator { operator: "^".into() }),
            ("-${data.age}", ExpressionError::NegativeSignWithoutNumber),
            (
                "${data.name} == 3",
                ExpressionError::TypeMismatch { operator: "==", left: Type::String, right: Type::Number },
            ),
            ("1 == 1", ExpressionError::LiteralComparison { operator: "==" }),
            (
                "'a' < ${data.age}",
                ExpressionError::OperandType { operator: "<", expected: Type::Number, found: Type::String },
            ),
            (
                "${data.name} && ${data.flag}",
                ExpressionError::OperandType { operator: "&&", expected: Type::Boolean, found: Type::String },
            ),
            ("hello", ExpressionError::UnexpectedText { text: "hello".into() }),
            ("${data.}", ExpressionError::InvalidBinding { text: "${data.}".into() }),
            (
                "${data.items} == 'a'",
                ExpressionError::OperandType { operator: "==", expected: Type::String, found: Type::Array },
            ),
            ("(${data.flag}) (${data.flag}", ExpressionError::MissingClosingParenthesis),
        ];
        for (text, expected) in cases {
            assert_eq!(run(text).as_ref(), Err(expected), "{text}");
        }
    }

    #[test]
    fn literal_only_expressions_are_not_dynamic() {
        assert_eq!(check("'a' 'b'", &mut types), Ok(Outcome { result: Type::String, dynamic: false }));
        assert!(check("${data.flag}", &mut types).unwrap().dynamic);
    }

    #[test]
    fn deep_nesting_and_long_chains_are_refused_not_overflowed() {
        let deep = format!("{}${{data.flag}}{}", "(".repeat(10_000), ")".repeat(10_000));
        assert_eq!(run(&deep), Err(ExpressionError::TooComplex));
        let nots = format!("{}${{data.flag}}", "!".repeat(10_000));
        assert_eq!(run(&nots), Err(ExpressionError::TooComplex));
        let chain = vec!["${data.age}"; 5_000].join(" + ");
        assert_eq!(run(&chain), Err(ExpressionError::TooComplex));
    }
}
