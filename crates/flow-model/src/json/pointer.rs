//! JSON Pointer (RFC 6901) tokens: `~0` is `~`, `~1` is `/`.
use std::borrow::Cow;
use std::fmt::Write as _;

/// The unescaped tokens of a pointer, or `None` when it does not start with `/` (the empty
/// pointer, the whole document, has no tokens).
pub fn tokens(pointer: &str) -> Option<impl Iterator<Item = Cow<'_, str>>> {
    let rest = if pointer.is_empty() { None } else { Some(pointer.strip_prefix('/')?) };
    Some(rest.into_iter().flat_map(|rest| rest.split('/')).map(unescape))
}

fn unescape(token: &str) -> Cow<'_, str> {
    if token.contains('~') {
        Cow::Owned(token.replace("~1", "/").replace("~0", "~"))
    } else {
        Cow::Borrowed(token)
    }
}

/// A token as it is written in a pointer.
pub fn escape(token: &str) -> Cow<'_, str> {
    if needs_escape(token) {
        Cow::Owned(token.replace('~', "~0").replace('/', "~1"))
    } else {
        Cow::Borrowed(token)
    }
}

/// Whether a token holds `~` or `/` (a byte scan: tokens are short, and a pattern of two
/// characters sets up a general searcher).
fn needs_escape(token: &str) -> bool {
    token.bytes().any(|byte| byte == b'~' || byte == b'/')
}

/// Appends one token to a pointer.
pub fn push(pointer: &mut String, token: &str) {
    pointer.push('/');
    pointer.push_str(&escape(token));
}

/// `pointer` with one more token.
pub fn join(pointer: &str, token: impl std::fmt::Display) -> String {
    // The token is written in place (no string of its own), and escaped only when needed.
    let mut joined = String::with_capacity(pointer.len() + 24);
    joined.push_str(pointer);
    joined.push('/');
    let start = joined.len();
    let _ = write!(joined, "{token}");
    if let Some(written) = joined.get(start..).filter(|written| needs_escape(written)) {
        let escaped = escape(written).into_owned();
        joined.truncate(start);
        joined.push_str(&escaped);
    }
    joined
}

/// An array index token: digits only, no leading zero (RFC 6901).
pub fn array_index(token: &str) -> Option<usize> {
    if token.is_empty()
        || (token.len() > 1 && token.starts_with('0'))
        || !token.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    token.parse().ok()
}

/// The parent pointer and the last token (unescaped), or `None` for the whole document.
pub fn split_last(pointer: &str) -> Option<(&str, Cow<'_, str>)> {
    let (parent, last) = pointer.rsplit_once('/')?;
    Some((parent, unescape(last)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_round_trips() {
        let mut pointer = String::new();
        push(&mut pointer, "a/b");
        push(&mut pointer, "m~n");
        push(&mut pointer, "");
        assert_eq!(pointer, "/a~1b/m~0n/");
        let found: Vec<_> = tokens(&pointer).unwrap().collect();
        assert_eq!(found, ["a/b", "m~n", ""]);
        assert_eq!(tokens("").unwrap().count(), 0);
        assert!(tokens("no-slash").is_none());
        assert_eq!(split_last("/a/b~1c"), Some(("/a", Cow::Borrowed("b/c"))));
        assert_eq!(join("/screens", 3), "/screens/3");
    }

    #[test]
    fn array_indexes_are_plain_decimal() {
        assert_eq!(array_index("0"), Some(0));
        assert_eq!(array_index("12"), Some(12));
        assert_eq!(array_index("012"), None);
        assert_eq!(array_index("-1"), None);
        assert_eq!(array_index(""), None);
    }
}
