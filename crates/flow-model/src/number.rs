//! Decimal numbers written as text (`1.5`, `-2e3`, `.5`) read as `f64`, correctly rounded: JSON
//! numbers beyond 64-bit integers or with a fraction, and numbers typed into fields.
//!
//! Natively (the CLI, the server) the `float` feature reads them with Rust's own parser. In the
//! browser the app plugs in JavaScript's `parseFloat` with [`set_parser`] and builds flow-model
//! without the feature: Rust's parser carries a 10 KB table of powers of five into the bundle
//! for what the browser already does, with the same result (both round correctly).
use std::sync::OnceLock;

/// A function that reads a text [`is_decimal`] accepts.
pub type Parser = fn(&str) -> f64;

static PARSER: OnceLock<Parser> = OnceLock::new();

/// Sets how decimals are read (once; later calls return `false` and change nothing).
pub fn set_parser(parser: Parser) -> bool {
    PARSER.set(parser).is_ok()
}

/// Whether `text` is a decimal number: an optional sign, digits with an optional fraction (or a
/// fraction alone: `.5`, or digits and a point: `5.`), and an optional exponent. Words such as
/// `inf` or `NaN` and hexadecimal are not numbers here.
pub fn is_decimal(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut at = usize::from(matches!(bytes.first(), Some(b'+' | b'-')));
    let digits = |at: &mut usize| {
        let start = *at;
        while bytes.get(*at).is_some_and(u8::is_ascii_digit) {
            *at += 1;
        }
        *at - start
    };
    let mut mantissa = digits(&mut at);
    if bytes.get(at) == Some(&b'.') {
        at += 1;
        mantissa += digits(&mut at);
    }
    if mantissa == 0 {
        return false;
    }
    if matches!(bytes.get(at), Some(b'e' | b'E')) {
        at += 1;
        if matches!(bytes.get(at), Some(b'+' | b'-')) {
            at += 1;
        }
        if digits(&mut at) == 0 {
            return false;
        }
    }
    at == bytes.len()
}

/// The value of a decimal (infinite when it is too large for an `f64`), or `None` when `text`
/// is not one ([`is_decimal`]) or when flow-model is built without `float` and no parser is set.
pub fn parse(text: &str) -> Option<f64> {
    if !is_decimal(text) {
        return None;
    }
    if let Some(parser) = PARSER.get() {
        return Some(parser(text));
    }
    #[cfg(feature = "float")]
    {
        text.parse::<f64>().ok()
    }
    // Built without the feature, decimals are read only through a parser set with `set_parser`
    // (the app sets the browser's at start): nothing else here rounds correctly.
    #[cfg(not(feature = "float"))]
    {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::is_decimal;

    #[test]
    fn decimals_are_told_from_other_text() {
        for text in ["0", "-1", "+1.5", "1.", ".5", "-.5", "1e5", "2.5E-3", "1.e2", "007"] {
            assert!(is_decimal(text), "{text}");
        }
        for text in
            ["", "-", ".", "e5", "1e", "1e+", "1.2.3", "inf", "NaN", "0x10", " 1", "1 ", "1_000", "--1"]
        {
            assert!(!is_decimal(text), "{text}");
        }
    }

    #[test]
    #[cfg(feature = "float")]
    fn values_are_correctly_rounded() {
        use super::parse;
        assert_eq!(parse("0.1"), Some(0.1));
        assert_eq!(parse("-2.5e-3"), Some(-0.0025));
        assert_eq!(parse(".5"), Some(0.5));
        assert_eq!(parse("18446744073709551616"), Some(18_446_744_073_709_551_616.0));
        assert_eq!(parse("1e999"), Some(f64::INFINITY));
        assert_eq!(parse("inf"), None);
    }
}
