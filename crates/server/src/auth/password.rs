//! Passwords: Argon2id at OWASP's parameters (19 MiB, 2 passes, 1 lane), stored as PHC strings
//! (`$argon2id$v=19$m=19456,t=2,p=1$salt$hash`), so a later change of parameters still verifies
//! the hashes written before it.
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher as _, PasswordVerifier as _};
use argon2::{Algorithm, Argon2, Params, Version};

/// The shortest password accepted.
pub const MIN_CHARS: usize = 10;
/// The longest (Argon2 takes any length; this bounds the work a request can ask for).
pub const MAX_BYTES: usize = 1024;

fn argon2() -> Argon2<'static> {
    // OWASP Password Storage Cheat Sheet: m = 19 MiB, t = 2, p = 1.
    let params = Params::new(19 * 1024, 2, 1, None).unwrap_or(Params::DEFAULT);
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Whether `password` may be set, or why not.
pub fn check_new(password: &str) -> Result<(), String> {
    if password.chars().count() < MIN_CHARS {
        return Err(format!("the password must have at least {MIN_CHARS} characters"));
    }
    if password.len() > MAX_BYTES {
        return Err(format!("the password must be at most {MAX_BYTES} bytes"));
    }
    Ok(())
}

/// The PHC string of `password` with a fresh random salt. CPU-bound (tens of milliseconds):
/// call it on the blocking pool.
pub fn hash(password: &str) -> Result<String, String> {
    argon2()
        .hash_password(password.as_bytes())
        .map(|hash| hash.to_string())
        .map_err(|error| format!("cannot hash the password: {error}"))
}

/// Whether `password` matches `stored` (a PHC string). A hash that cannot be read matches
/// nothing. CPU-bound like [`hash`].
pub fn verify(password: &str, stored: &str) -> bool {
    if password.len() > MAX_BYTES {
        return false;
    }
    match PasswordHash::new(stored) {
        Ok(parsed) => argon2().verify_password(password.as_bytes(), &parsed).is_ok(),
        Err(_) => false,
    }
}

/// A hash no password is known for: signing in as a user who does not exist verifies against
/// it, so that the answer takes as long as for a user who does.
pub fn decoy() -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| hash(&crate::auth::random_token()).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_argon2id_at_owasp_parameters_and_verify() {
        let stored = hash("correct horse battery").unwrap();
        assert!(stored.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{stored}");
        assert!(verify("correct horse battery", &stored));
        assert!(!verify("correct horse batterY", &stored));
        assert!(!verify("correct horse battery", "not a hash"));
        assert_ne!(stored, hash("correct horse battery").unwrap(), "salted");
        assert!(!verify("anything", decoy()));
    }

    #[test]
    fn new_passwords_have_a_length() {
        assert!(check_new("short").is_err());
        assert!(check_new("long enough!").is_ok());
        assert!(check_new(&"x".repeat(MAX_BYTES + 1)).is_err());
    }
}
