//! Checks on national identifiers: NHS number (modulus 11) and unique pupil number (check letter).

/// The letters a UPN check letter (and a temporary UPN's last character) may take.
const UPN_LETTERS: &[u8; 23] = b"ABCDEFGHJKLMNPQRTUVWXYZ";

/// An NHS number is 10 digits whose last digit is a modulus-11 check digit over the first nine
/// (weights 10 down to 2); a remainder giving 10 makes the number invalid. Spaces are ignored.
pub fn nhs_number_is_valid(s: &str) -> bool {
    let digits: Vec<u32> = s
        .chars()
        .filter(|c| *c != ' ')
        .map(|c| c.to_digit(10))
        .collect::<Option<_>>()
        .unwrap_or_default();
    if digits.len() != 10 {
        return false;
    }
    let sum: u32 = digits[..9]
        .iter()
        .zip((2..=10).rev())
        .map(|(d, w)| d * w)
        .sum();
    let check = match 11 - sum % 11 {
        11 => 0,
        10 => return false,
        c => c,
    };
    check == digits[9]
}

/// Normalises an NHS number to its 10 digits without spaces.
pub fn normalise_nhs_number(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// A UPN is 13 characters: a check letter, the 3-digit LA number, the 4-digit establishment
/// number, a 2-digit year of allocation, 2 serial digits, and a final serial digit (or, for a
/// temporary UPN, a letter). The check letter is the weighted sum (weights 2..=13 over characters
/// 2..=13, a letter counting as its position in the check-letter alphabet) modulo 23.
pub fn upn_is_valid(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 13 || !b[1..12].iter().all(u8::is_ascii_digit) {
        return false;
    }
    let value = |c: u8| -> Option<u32> {
        if c.is_ascii_digit() {
            Some(u32::from(c - b'0'))
        } else {
            UPN_LETTERS.iter().position(|l| *l == c).map(|p| p as u32)
        }
    };
    let mut sum = 0;
    for (i, &c) in b[1..].iter().enumerate() {
        match value(c) {
            Some(v) => sum += v * (i as u32 + 2),
            None => return false,
        }
    }
    b[0] == UPN_LETTERS[(sum % 23) as usize]
}

/// Makes a valid UPN from its 12 trailing characters (for synthetic data and tests).
pub fn upn_with_check_letter(rest: &str) -> Option<String> {
    for &l in UPN_LETTERS {
        let candidate = format!("{}{rest}", l as char);
        if upn_is_valid(&candidate) {
            return Some(candidate);
        }
    }
    None
}

/// Makes a valid NHS number from 9 leading digits, if one exists (for synthetic data and tests).
pub fn nhs_number_with_check_digit(first9: &str) -> Option<String> {
    (0..=9)
        .map(|d| format!("{first9}{d}"))
        .find(|c| nhs_number_is_valid(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nhs_numbers() {
        // 943 476 5919 is the NHS's published example of a valid number.
        assert!(nhs_number_is_valid("9434765919"));
        assert!(nhs_number_is_valid("943 476 5919"));
        assert!(!nhs_number_is_valid("9434765918"));
        assert!(!nhs_number_is_valid("943476591"));
        assert!(!nhs_number_is_valid("943476591x"));
        let made = nhs_number_with_check_digit("401023213").unwrap();
        assert!(nhs_number_is_valid(&made));
    }

    #[test]
    fn upns() {
        let made = upn_with_check_letter("820200125001").unwrap();
        assert!(upn_is_valid(&made));
        // Changing any digit breaks the check letter.
        let mut broken = made.clone().into_bytes();
        broken[5] = if broken[5] == b'9' {
            b'8'
        } else {
            broken[5] + 1
        };
        assert!(!upn_is_valid(std::str::from_utf8(&broken).unwrap()));
        assert!(!upn_is_valid("A12"));
        assert!(!upn_is_valid("A8202001250I1"));
        // A temporary UPN ends in a letter.
        let temp = upn_with_check_letter("82020012500A").unwrap();
        assert!(upn_is_valid(&temp));
    }
}
