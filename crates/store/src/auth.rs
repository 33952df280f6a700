//! Passwords (argon2id) and session tokens.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use rand::RngCore;
use sha2::{Digest, Sha256};

/// Hashes a password as an argon2id PHC string with a random salt.
pub fn hash_password(password: &str) -> String {
    let salt = SaltString::generate(&mut rand::rngs::OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .expect("argon2 hashing with default parameters cannot fail")
        .to_string()
}

/// Checks a password against its stored hash. A malformed hash never verifies.
pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|h| {
            Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false)
}

/// A random token (256 bits, hex) for session cookies and CSRF tokens.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// What the store keeps of a session token: its SHA-256, so a copy of the database does not hold
/// live session tokens.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Common passwords and patterns (our own list, `data/common-passwords.txt`).
const COMMON_PASSWORDS: &str = include_str!("../data/common-passwords.txt");

fn common_passwords() -> &'static std::collections::HashSet<&'static str> {
    static SET: std::sync::OnceLock<std::collections::HashSet<&'static str>> =
        std::sync::OnceLock::new();
    SET.get_or_init(|| {
        COMMON_PASSWORDS
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .collect()
    })
}

/// `text` is `part` said again and again ("passwordpassword").
fn repeats(text: &str, part: &str) -> bool {
    !part.is_empty() && text.len() % part.len() == 0 && text == part.repeat(text.len() / part.len())
}

/// Password rules for local accounts: 12 to 256 characters, not a common password or pattern
/// (with digits or punctuation around it, or said twice, or in l33t), not a run along the
/// keyboard or the alphabet, not mostly one character, and not the username.
pub fn password_problem(password: &str, username: &str) -> Option<&'static str> {
    if password.chars().count() < 12 {
        return Some("Password must be 12 characters or more");
    }
    if password.len() > 256 {
        return Some("Password must be 256 characters or fewer");
    }
    let lower = password.to_lowercase();
    let distinct: std::collections::HashSet<char> = lower.chars().collect();
    if distinct.len() < 5 {
        return Some(
            "Password must not repeat a few characters: use a few words you will remember",
        );
    }
    let user = username.trim().to_lowercase();
    if user.len() >= 3 && lower.contains(&user) {
        return Some("Password must not contain your username");
    }
    let base = lower.trim_matches(|c: char| !c.is_alphabetic());
    let unleet: String = base
        .chars()
        .map(|c| match c {
            '0' => 'o',
            '1' | '!' => 'i',
            '3' => 'e',
            '4' | '@' => 'a',
            '5' | '$' => 's',
            '7' => 't',
            c => c,
        })
        .collect();
    let common = common_passwords();
    for candidate in [lower.as_str(), base, unleet.as_str()] {
        if common.contains(candidate)
            || common.iter().any(|w| w.len() >= 4 && repeats(candidate, w))
        {
            return Some(
                "Password is too common: use a few words you will remember, not a well-known password",
            );
        }
    }
    for run in [
        "qwertyuiopasdfghjklzxcvbnm",
        "abcdefghijklmnopqrstuvwxyz",
        "12345678901234567890",
        "09876543210987654321",
    ] {
        if run.contains(lower.as_str())
            || run
                .chars()
                .rev()
                .collect::<String>()
                .contains(lower.as_str())
        {
            return Some("Password must not be a run of keys or letters");
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_verify_only_with_the_right_password() {
        let h = hash_password("correct horse battery");
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("correct horse battery", &h));
        assert!(!verify_password("correct horse batterz", &h));
        assert!(!verify_password("anything", "not a hash"));
        // Same password, different salt.
        assert_ne!(h, hash_password("correct horse battery"));
    }

    #[test]
    fn tokens_are_random_and_hashed() {
        let a = random_token();
        assert_eq!(a.len(), 64);
        assert_ne!(a, random_token());
        assert_eq!(token_hash(&a), token_hash(&a));
        assert_ne!(token_hash(&a), a);
    }

    #[test]
    fn weak_passwords_are_refused_and_a_few_words_are_not() {
        for weak in [
            "aaaaaaaaaaaa",
            "abababababab",
            "short",
            "password1234",
            "Password123456!",
            "P@55w0rd2026!",
            "passwordpassword",
            "qwertyuiopasdf",
            "1234567890123",
            "abcdefghijklm",
            "football12345",
            "ada.admin-is-me",
        ] {
            assert!(
                password_problem(weak, "ada.admin").is_some(),
                "{weak} was accepted"
            );
        }
        for ok in [
            "plum kettle harbour 42",
            "a long test password",
            "correct horse battery",
        ] {
            assert_eq!(password_problem(ok, "ada.admin"), None, "{ok}");
        }
        assert!(common_passwords().len() > 200);
    }
}
