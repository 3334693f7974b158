//! Problems of the text itself: it is no JSON, or no JSON we read (§8.2 `INVALID_FLOW_JSON`).
use std::fmt;

use super::human_size;

family! {
    /// Problems of the text itself: it is no JSON, or no JSON we read (§8.2 `INVALID_FLOW_JSON`).
    pub enum JsonProblem in Json {
        /// The text is not JSON.
        Syntax {
            /// What is wrong with it.
            problem: SyntaxProblem,
        } => Code::InvalidFlowJson, |f| {
            write!(f, "Flow JSON is not valid JSON: {problem}.")
        };
        /// The input is larger than Meta accepts.
        TooLarge {
            /// Size of the input in bytes.
            size: usize,
            /// The limit in bytes.
            limit: usize,
        } => Code::InvalidFlowJson, |f| {
            write!(f, "Flow JSON is {} but the limit is {}.", human_size(*size), human_size(*limit))
        };
        /// Objects and arrays nest deeper than we read.
        TooDeep {
            /// The maximum nesting depth.
            limit: usize,
        } => Code::InvalidFlowJson, |f| {
            write!(f, "Flow JSON nests objects and arrays more than {limit} levels deep.")
        };
        /// The input is not UTF-8 text.
        InvalidUtf8 => Code::InvalidFlowJson, |f| {
            f.write_str("Flow JSON is not UTF-8 text.")
        };
        /// The text starts with a UTF-8 byte order mark, which JSON parsers may reject.
        ByteOrderMark => Code::InvalidFlowJson, |f| {
            f.write_str("Flow JSON starts with a byte order mark; save the file as UTF-8 without BOM.")
        };
        /// The same property twice in one object: only the last value is kept.
        DuplicateKey {
            /// The repeated property name.
            key: String,
        } => Code::InvalidFlowJson, |f| {
            write!(
                f,
                "Property '{key}' appears more than once in this object; only the last value counts."
            )
        };
    }
}

/// Why JSON text could not be read. Each is fatal: no document comes out.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SyntaxProblem {
    /// The text is empty or only whitespace.
    Empty,
    /// The text ends in the middle of a value.
    UnexpectedEnd,
    /// A value was expected (object, array, string, number, true, false or null).
    ExpectedValue,
    /// An object member must start with a double-quoted key.
    ExpectedKey,
    /// A `:` must follow an object key.
    ExpectedColon,
    /// After an object member, a `,` or `}` must follow.
    ExpectedCommaOrObjectEnd,
    /// After an array item, a `,` or `]` must follow.
    ExpectedCommaOrArrayEnd,
    /// A `,` directly before `}` or `]`.
    TrailingComma,
    /// A string without its closing quote.
    UnterminatedString,
    /// A raw control character (below U+0020) inside a string.
    ControlCharacterInString,
    /// A backslash escape JSON does not know.
    InvalidEscape,
    /// A `\u` escape of a lone UTF-16 surrogate, which text cannot hold.
    LoneSurrogate,
    /// A number not written as JSON allows (e.g. `01`, `1.`, `+1`, `.5`).
    InvalidNumber,
    /// A number too large to represent (beyond a 64-bit float).
    NumberOutOfRange,
    /// Something other than whitespace after the top-level value.
    TrailingCharacters,
    /// The characters `true`, `false` or `null` misspelled.
    InvalidLiteral,
}

impl fmt::Display for SyntaxProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            SyntaxProblem::Empty => "the text is empty",
            SyntaxProblem::UnexpectedEnd => "the text ends in the middle of a value",
            SyntaxProblem::ExpectedValue => {
                "expected a value (object, array, string, number, true, false or null)"
            }
            SyntaxProblem::ExpectedKey => "expected a double-quoted property name",
            SyntaxProblem::ExpectedColon => "expected ':' after the property name",
            SyntaxProblem::ExpectedCommaOrObjectEnd => "expected ',' or '}' after the property",
            SyntaxProblem::ExpectedCommaOrArrayEnd => "expected ',' or ']' after the item",
            SyntaxProblem::TrailingComma => "trailing comma: remove the ',' before the closing bracket",
            SyntaxProblem::UnterminatedString => "the string has no closing '\"'",
            SyntaxProblem::ControlCharacterInString => {
                "control character in a string: write it as an escape such as \\n or \\t"
            }
            SyntaxProblem::InvalidEscape => "invalid escape in a string",
            SyntaxProblem::LoneSurrogate => {
                "a \\u escape of a lone UTF-16 surrogate, which is not a character"
            }
            SyntaxProblem::InvalidNumber => "invalid number",
            SyntaxProblem::NumberOutOfRange => "number out of range",
            SyntaxProblem::TrailingCharacters => "unexpected characters after the end of the JSON value",
            SyntaxProblem::InvalidLiteral => "invalid literal: expected true, false or null",
        })
    }
}
