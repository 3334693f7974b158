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

/// `value` with `decimals` digits after the point, as `format!("{value:.N}")` writes it for the
/// figures shown here (sizes, coordinates, zoom levels), without Rust's float formatting in the
/// bundle. The value is scaled, then rounded half away from zero, so a value at or within a
/// rounding error of a tie may round the other way than Rust's exact decimal rounding (`0.25`
/// and `-3.05` to one decimal: `0.3` and `-3.1` here, `0.2` and `-3.0` there), a difference no
/// one sees in a size or a coordinate. Magnitudes beyond 10^18 / 10^decimals are written as
/// that bound; not a number is written `NaN`.
#[derive(Debug, Clone, Copy)]
pub struct Fixed {
    value: f64,
    decimals: u32,
}

/// [`Fixed`] with `decimals` digits (at most 9).
pub fn fixed(value: f64, decimals: u32) -> Fixed {
    Fixed { value, decimals: decimals.min(9) }
}

impl std::fmt::Display for Fixed {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.value.is_nan() {
            return formatter.write_str("NaN");
        }
        let scale = 10u64.pow(self.decimals);
        let limit = 1_000_000_000_000_000_000u64;
        // `as` saturates: infinite values and huge ones are written as the bound.
        let scaled = ((self.value.abs() * scale as f64).round() as u64).min(limit);
        let sign = if self.value.is_sign_negative() { "-" } else { "" };
        let (whole, fraction) = (scaled / scale, scaled % scale);
        if self.decimals == 0 {
            write!(formatter, "{sign}{whole}")
        } else {
            write!(formatter, "{sign}{whole}.{fraction:0width$}", width = self.decimals as usize)
        }
    }
}

/// `value` as JavaScript's `String(value)` writes it (flows are evaluated with JavaScript's
/// semantics, and messages show numbers as Meta does): integers without a point up to 10^21,
/// otherwise the shortest digits that read back as `value` (serde_json's writer), in plain
/// notation from 10^-6 to 10^21 and in exponent notation (`1e-7`, `1.5e+21`) beyond.
/// `NaN`, `Infinity` and `-Infinity` as JavaScript writes them; `-0` as `0`.
pub fn format(value: f64) -> String {
    if value.is_nan() {
        return "NaN".to_owned();
    }
    if value.is_infinite() {
        return if value > 0.0 { "Infinity" } else { "-Infinity" }.to_owned();
    }
    if value.fract() == 0.0 && value.abs() < 1e21 {
        // Exact below 10^21 (an `i128` holds it); `-0.0 as i128` is 0.
        return (value as i128).to_string();
    }
    let shortest = serde_json::Number::from_f64(value).map(|number| number.to_string()).unwrap_or_default();
    let (sign, unsigned) = match shortest.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", shortest.as_str()),
    };
    let (mantissa, exponent) = match unsigned.split_once(['e', 'E']) {
        Some((mantissa, exponent)) => (mantissa, exponent.parse::<i32>().unwrap_or(0)),
        None => (unsigned, 0),
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let all = format!("{whole}{fraction}");
    let significant = all.trim_start_matches('0');
    let leading = all.len() - significant.len();
    let digits = significant.trim_end_matches('0');
    // value = 0.digits × 10^point
    let point = whole.len() as i32 - leading as i32 + exponent;
    let count = digits.len() as i32;
    let body = if 0 < point && point <= 21 {
        if count <= point {
            format!("{digits}{}", "0".repeat((point - count) as usize))
        } else {
            let (left, right) = digits.split_at(point as usize);
            format!("{left}.{right}")
        }
    } else if -6 < point && point <= 0 {
        format!("0.{}{digits}", "0".repeat(-point as usize))
    } else {
        let (first, rest) = digits.split_at(1.min(digits.len()));
        let exponent = point - 1;
        let point_and_rest = if rest.is_empty() { String::new() } else { format!(".{rest}") };
        format!("{first}{point_and_rest}e{}{}", if exponent < 0 { "-" } else { "+" }, exponent.abs())
    };
    format!("{sign}{body}")
}

#[cfg(test)]
mod tests {
    use super::{fixed, format, is_decimal};

    #[test]
    fn numbers_are_written_as_javascript_writes_them() {
        // What `String(n)` gives in JavaScript.
        for (value, written) in [
            (0.1, "0.1"),
            (1.0, "1"),
            (-0.0, "0"),
            (-2.5e-3, "-0.0025"),
            (123456.789, "123456.789"),
            (0.1 + 0.2, "0.30000000000000004"),
            (1e-6, "0.000001"),
            (1.5e-6, "0.0000015"),
            (1e-7, "1e-7"),
            (-1.25e-9, "-1.25e-9"),
            (1e20, "100000000000000000000"),
            (1e21, "1e+21"),
            (1.5e22, "1.5e+22"),
            (5e-324, "5e-324"),
            (1.797_693_134_862_315_7e308, "1.7976931348623157e+308"),
            (f64::NAN, "NaN"),
            (f64::NEG_INFINITY, "-Infinity"),
        ] {
            assert_eq!(format(value), written, "{value:e}");
        }
    }

    #[test]
    fn fixed_decimals_are_written_as_rust_writes_them() {
        for (value, decimals) in [
            (12.34, 1),
            (-3.07, 1),
            (0.0, 1),
            (40.0, 1),
            (1.005, 2),
            (123.456, 0),
            (0.6, 0),
            (-0.04, 1),
            (99.99, 1),
            (1.5, 4),
            (1234567.891, 2),
        ] {
            assert_eq!(
                fixed(value, decimals).to_string(),
                format!("{value:.*}", decimals as usize),
                "{value} {decimals}"
            );
        }
        assert_eq!(fixed(0.25, 1).to_string(), "0.3", "ties round away from zero");
        assert_eq!(fixed(f64::NAN, 1).to_string(), "NaN");
        assert_eq!(fixed(f64::INFINITY, 0).to_string(), "1000000000000000000");
    }

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
