//! Statutory code lists, each entry valid for a range of collection years. A collection year is
//! named by its end year: 2026 is 1 April 2025 to 31 March 2026. Sources: the DfE CIN census and
//! SSDA903 guides, summarised in the project's `specs/statutory-data.md` (sections 1.4 and 2.3).
//!
//! Relationship types are Hearth's own list (no statutory list exists); they have no year limits.

use std::sync::OnceLock;

/// One code in a list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Code {
    pub code: &'static str,
    pub label: &'static str,
    /// First collection year the code is valid in (None: always was).
    pub valid_from: Option<u16>,
    /// Last collection year the code is valid in (None: still valid).
    pub valid_to: Option<u16>,
}

impl Code {
    pub fn valid_in(&self, year: u16) -> bool {
        self.valid_from.is_none_or(|f| year >= f) && self.valid_to.is_none_or(|t| year <= t)
    }
}

/// A named list of codes.
#[derive(Debug, Clone)]
pub struct CodeList {
    pub name: &'static str,
    pub codes: Vec<Code>,
}

impl CodeList {
    /// Is `code` in the list for collection year `year`?
    pub fn is_valid(&self, code: &str, year: u16) -> bool {
        self.codes
            .iter()
            .any(|c| c.code == code && c.valid_in(year))
    }
    /// The label of a code in any year (for showing old records).
    pub fn label(&self, code: &str) -> Option<&'static str> {
        self.codes
            .iter()
            .rev()
            .find(|c| c.code == code)
            .map(|c| c.label)
    }
    /// The codes valid in `year`, in list order (for select boxes and radios).
    pub fn current(&self, year: u16) -> impl Iterator<Item = &Code> {
        self.codes.iter().filter(move |c| c.valid_in(year))
    }
}

const fn always(code: &'static str, label: &'static str) -> Code {
    Code {
        code,
        label,
        valid_from: None,
        valid_to: None,
    }
}
const fn from(year: u16, code: &'static str, label: &'static str) -> Code {
    Code {
        code,
        label,
        valid_from: Some(year),
        valid_to: None,
    }
}
const fn until(year: u16, code: &'static str, label: &'static str) -> Code {
    Code {
        code,
        label,
        valid_from: None,
        valid_to: Some(year),
    }
}

fn list(
    cell: &'static OnceLock<CodeList>,
    name: &'static str,
    codes: &[Code],
) -> &'static CodeList {
    cell.get_or_init(|| CodeList {
        name,
        codes: codes.to_vec(),
    })
}

/// A child's sex as recorded for the CIN census (`Sex`) and the SSDA903 (`SEX`). From 2024/25
/// (collection year 2025) both use M/F/U; before, the CIN used GenderCurrent 1/2/0/9 and the 903
/// used 1/2.
pub fn sex() -> &'static CodeList {
    static L: OnceLock<CodeList> = OnceLock::new();
    list(
        &L,
        "sex",
        &[
            from(2025, "M", "Male"),
            from(2025, "F", "Female"),
            from(2025, "U", "Unknown or unborn"),
            until(2024, "1", "Male"),
            until(2024, "2", "Female"),
            until(2024, "0", "Not recorded or unborn"),
            until(2024, "9", "Indeterminate"),
        ],
    )
}

/// Ethnicity: the DfE's 20 codes, shared by the 903, the CIN census and Annex A.
pub fn ethnicity() -> &'static CodeList {
    static L: OnceLock<CodeList> = OnceLock::new();
    list(
        &L,
        "ethnicity",
        &[
            always("WBRI", "White British"),
            always("WIRI", "White Irish"),
            always("WOTH", "Any other White background"),
            always("WIRT", "Traveller of Irish heritage"),
            always("WROM", "Gypsy/Roma"),
            always("MWBC", "White and Black Caribbean"),
            always("MWBA", "White and Black African"),
            always("MWAS", "White and Asian"),
            always("MOTH", "Any other mixed background"),
            always("AIND", "Indian"),
            always("APKN", "Pakistani"),
            always("ABAN", "Bangladeshi"),
            always("AOTH", "Any other Asian background"),
            always("BCRB", "Caribbean"),
            always("BAFR", "African"),
            always("BOTH", "Any other Black background"),
            always("CHNE", "Chinese"),
            always("OOTH", "Any other ethnic group"),
            always("REFU", "Refused"),
            always("NOBT", "Information not yet obtained"),
        ],
    )
}

/// Disability (CIN census): several per child; NONE stands alone (rule 8790).
pub fn disability() -> &'static CodeList {
    static L: OnceLock<CodeList> = OnceLock::new();
    list(
        &L,
        "disability",
        &[
            always("NONE", "No disability"),
            always("MOB", "Mobility"),
            always("HAND", "Hand function"),
            always("PC", "Personal care"),
            always("INC", "Incontinence"),
            always("COMM", "Communication"),
            always("LD", "Learning"),
            always("HEAR", "Hearing"),
            always("VIS", "Vision"),
            always("BEH", "Behaviour (including ADHD)"),
            always("CON", "Consciousness (seizures)"),
            always("AUT", "Diagnosed autism or Asperger's syndrome"),
            always(
                "DDA",
                "Other disability under the Disability Discrimination Act",
            ),
        ],
    )
}

/// Relationships between people on the record (Hearth's own list). A relationship reads
/// "person is the <label> of related person": a mother is the `parent` of her child.
pub fn relationship() -> &'static CodeList {
    static L: OnceLock<CodeList> = OnceLock::new();
    list(
        &L,
        "relationship",
        &[
            always("parent", "Parent"),
            always("step_parent", "Step-parent"),
            always("sibling", "Sibling"),
            always("half_sibling", "Half-sibling"),
            always("step_sibling", "Step-sibling"),
            always("grandparent", "Grandparent"),
            always("other_relative", "Other relative"),
            always("foster_carer", "Foster carer"),
            always("kinship_carer", "Kinship carer"),
            always("special_guardian", "Special guardian"),
            always("adoptive_parent", "Adoptive parent"),
            always("parents_partner", "Parent's partner"),
            always("friend", "Family friend"),
            always("other", "Other"),
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sex_codes_change_in_2024_25() {
        assert!(sex().is_valid("M", 2026));
        assert!(sex().is_valid("U", 2025));
        assert!(!sex().is_valid("1", 2026), "1/2 stopped after 2023/24");
        assert!(sex().is_valid("1", 2024));
        assert!(!sex().is_valid("M", 2024));
        assert_eq!(
            sex().current(2026).map(|c| c.code).collect::<Vec<_>>(),
            ["M", "F", "U"]
        );
        assert_eq!(sex().label("2"), Some("Female"));
    }

    #[test]
    fn lists_have_the_dfe_sizes_and_no_duplicates() {
        assert_eq!(ethnicity().current(2026).count(), 20);
        assert_eq!(disability().current(2026).count(), 13);
        for l in [sex(), ethnicity(), disability(), relationship()] {
            let mut seen = std::collections::HashSet::new();
            for c in &l.codes {
                assert!(seen.insert(c.code), "{} repeats {}", l.name, c.code);
            }
        }
        assert!(
            !ethnicity().is_valid("wbri", 2026),
            "codes are case-sensitive"
        );
        assert_eq!(
            disability().label("AUT"),
            Some("Diagnosed autism or Asperger's syndrome")
        );
        assert_eq!(relationship().label("nope"), None);
    }
}
