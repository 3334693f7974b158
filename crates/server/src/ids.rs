//! Identifiers: what an id from a URL may look like, and fresh random ones.

/// Whether `id` may be a partner, WABA account or flow id: 1 to 64 ASCII letters, digits, `-`
/// or `_`. Anything else (dots, slashes, percent signs, spaces) never reaches a store or an
/// upstream URL.
pub fn is_valid(id: &str) -> bool {
    (1..=64).contains(&id.len())
        && id.bytes().all(|byte| byte.is_ascii_alphanumeric() || byte == b'-' || byte == b'_')
}

/// Random bytes from the operating system. Without them no token is safe to hand out, so a
/// failure (which Linux does not have once booted) stops the request.
fn random_bytes<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    if let Err(error) = getrandom::fill(&mut bytes) {
        panic!("the operating system gave no random bytes: {error}");
    }
    bytes
}

/// A token of `length` letters and digits (about 5.95 bits each), for links and trace ids.
pub fn token(length: usize) -> String {
    const ALPHABET: &[u8; 62] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let mut out = String::with_capacity(length);
    while out.len() < length {
        for byte in random_bytes::<32>() {
            // 248 = 4 × 62: rejecting the rest keeps every character equally likely.
            if byte < 248 && out.len() < length {
                out.push(char::from(ALPHABET[usize::from(byte) % 62]));
            }
        }
    }
    out
}

/// A request id: a random prefix drawn once per process and a counter, 20 characters, unique
/// within a run and across runs in practice, and no system call per request.
pub fn request_id() -> String {
    use std::sync::OnceLock;
    use std::sync::atomic::{AtomicU64, Ordering};
    static PREFIX: OnceLock<String> = OnceLock::new();
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let prefix = PREFIX.get_or_init(|| token(10));
    format!("{prefix}{:010}", COUNTER.fetch_add(1, Ordering::Relaxed) % 10_000_000_000)
}

/// A flow id shaped like Meta's: 16 digits, not starting with 0.
pub fn flow_id() -> String {
    let number = u64::from_le_bytes(random_bytes::<8>()) % 9_000_000_000_000_000 + 1_000_000_000_000_000;
    number.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_from_urls_are_plain() {
        assert!(is_valid("sandbox1WA") && is_valid("1234567890123456") && is_valid("a-b_c"));
        for hostile in ["", "..", "a/b", "a%2Fb", "a b", "a\nb", "é", &"x".repeat(65)] {
            assert!(!is_valid(hostile), "{hostile:?}");
        }
    }

    #[test]
    fn fresh_ids_have_their_shape() {
        let id = flow_id();
        assert_eq!(id.len(), 16, "{id}");
        assert!(!id.starts_with('0') && id.bytes().all(|b| b.is_ascii_digit()));
        let token = token(40);
        assert_eq!(token.len(), 40);
        assert!(token.bytes().all(|b| b.is_ascii_alphanumeric()));
        assert_ne!(token, self::token(40));
        let (first, second) = (request_id(), request_id());
        assert_eq!((first.len(), second.len()), (20, 20));
        assert!(first != second && is_valid(&first), "{first} {second}");
    }
}
