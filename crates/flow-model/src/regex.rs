//! Checking TextInput `pattern`s, which Meta evaluates as JavaScript regular expressions.
//!
//! Natively (the CLI, the server) the `regress` feature checks them with regress, an
//! ECMAScript regex engine. In the browser the app plugs in the browser's own engine with
//! [`set_checker`] and builds flow-model without regress: its Unicode tables would add about
//! 100 KB (gzip) to the bundle for what `new RegExp()` already does.
use std::sync::OnceLock;

/// A function that says why a pattern is not a valid JavaScript regular expression.
pub type Checker = fn(&str) -> Result<(), String>;

static CHECKER: OnceLock<Checker> = OnceLock::new();

/// Sets how patterns are checked (once; later calls return `false` and change nothing).
pub fn set_checker(checker: Checker) -> bool {
    CHECKER.set(checker).is_ok()
}

/// Whether `pattern` compiles, or `None` when no checker is available (flow-model built
/// without regress and no checker set).
pub fn check(pattern: &str) -> Option<Result<(), String>> {
    if let Some(checker) = CHECKER.get() {
        return Some(checker(pattern));
    }
    #[cfg(feature = "regress")]
    {
        Some(regress::Regex::new(pattern).map(|_| ()).map_err(|error| error.to_string()))
    }
    #[cfg(not(feature = "regress"))]
    {
        None
    }
}

#[cfg(all(test, feature = "regress"))]
mod tests {
    #[test]
    fn javascript_syntax_is_accepted_and_errors_say_why() {
        assert_eq!(super::check(r"^\d{3}-(?<rest>[A-Z]+)$"), Some(Ok(())));
        assert!(matches!(super::check("(unclosed"), Some(Err(reason)) if !reason.is_empty()));
    }
}
