//! Names as they sound, for finding a child whose name was misspelt or heard rather than read
//! ("Kowalsky" for "Kowalski", "Smyth" for "Smith"): the American Soundex code of a name (its
//! first letter and three digits for the consonants that follow, as the US National Archives
//! describe it: letters coded alike run together, and so do those separated only by H or W;
//! vowels, H, W and Y are not coded). Apostrophes, hyphens and spaces are ignored, so
//! "O'Brien" is "Obrien" and a double-barrelled name is read as one.

/// The Soundex code of `name`, or None when it has no letters of the English alphabet.
pub fn soundex(name: &str) -> Option<String> {
    let letters: Vec<char> = name
        .chars()
        .filter(|c| c.is_ascii_alphabetic())
        .map(|c| c.to_ascii_uppercase())
        .collect();
    let first = *letters.first()?;
    let digit = |c: char| match c {
        'B' | 'F' | 'P' | 'V' => Some('1'),
        'C' | 'G' | 'J' | 'K' | 'Q' | 'S' | 'X' | 'Z' => Some('2'),
        'D' | 'T' => Some('3'),
        'L' => Some('4'),
        'M' | 'N' => Some('5'),
        'R' => Some('6'),
        _ => None,
    };
    let mut code = String::from(first);
    let mut last = digit(first);
    for &c in &letters[1..] {
        if code.len() == 4 {
            break;
        }
        match digit(c) {
            // H and W do not separate letters coded alike.
            None if c == 'H' || c == 'W' => {}
            // A vowel (or Y) does: the same digit after it is coded again.
            None => last = None,
            Some(d) if Some(d) == last => {}
            Some(d) => {
                code.push(d);
                last = Some(d);
            }
        }
    }
    while code.len() < 4 {
        code.push('0');
    }
    Some(code)
}

/// Whether a search's text is a name to sound out (letters, spaces, hyphens and apostrophes,
/// at least three letters), rather than an identifier or a fragment.
pub fn is_name_like(text: &str) -> bool {
    let letters = text.chars().filter(|c| c.is_alphabetic()).count();
    letters >= 3
        && text
            .chars()
            .all(|c| c.is_alphabetic() || matches!(c, ' ' | '-' | '\'' | '’'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_national_archives_examples_and_misspellings_sound_alike() {
        // The examples the US National Archives give for the coding rules.
        assert_eq!(soundex("Robert").as_deref(), Some("R163"));
        assert_eq!(soundex("Rupert").as_deref(), Some("R163"));
        assert_eq!(soundex("Rubin").as_deref(), Some("R150"));
        assert_eq!(
            soundex("Ashcraft").as_deref(),
            Some("A261"),
            "H does not separate S and C"
        );
        assert_eq!(
            soundex("Tymczak").as_deref(),
            Some("T522"),
            "C and Z run together; after the vowel K is coded again"
        );
        assert_eq!(
            soundex("Pfister").as_deref(),
            Some("P236"),
            "the first letter's own code is not repeated"
        );
        assert_eq!(soundex("Honeyman").as_deref(), Some("H555"));
        // What a worker types for what was recorded.
        assert_eq!(soundex("Kowalsky"), soundex("Kowalski"));
        assert_eq!(soundex("Smyth"), soundex("Smith"));
        assert_eq!(soundex("O'Brien"), soundex("Obrien"));
        assert_ne!(soundex("Kowalski"), soundex("Nowak"));
        assert_eq!(soundex("123"), None);
    }

    #[test]
    fn only_names_are_sounded_out() {
        assert!(is_name_like("Kowalsky"));
        assert!(is_name_like("Alice Kowalsky"));
        assert!(is_name_like("O'Brien-Smith"));
        assert!(!is_name_like("ar"), "a fragment is matched as typed");
        assert!(!is_name_like("943 476 5919"));
        assert!(!is_name_like("T1234"));
    }
}
