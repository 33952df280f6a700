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

pub(crate) const fn always(code: &'static str, label: &'static str) -> Code {
    Code {
        code,
        label,
        valid_from: None,
        valid_to: None,
    }
}
pub(crate) const fn from(year: u16, code: &'static str, label: &'static str) -> Code {
    Code {
        code,
        label,
        valid_from: Some(year),
        valid_to: None,
    }
}
pub(crate) const fn until(year: u16, code: &'static str, label: &'static str) -> Code {
    Code {
        code,
        label,
        valid_from: None,
        valid_to: Some(year),
    }
}

pub(crate) fn list(
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

/// Where a contact or referral came from (CIN census `ReferralSource`; also Annex A List 1).
pub fn referral_source() -> &'static CodeList {
    static L: OnceLock<CodeList> = OnceLock::new();
    list(
        &L,
        "referral source",
        &[
            always("1A", "Individual: family member, relative or carer"),
            always(
                "1B",
                "Individual: acquaintance (including neighbours and childminders)",
            ),
            always("1C", "Individual: self"),
            always("1D", "Individual: other (including strangers and MPs)"),
            always("2A", "Schools"),
            always("2B", "Education services"),
            always("3A", "Health: GP"),
            always("3B", "Health: health visitor"),
            always("3C", "Health: school nurse"),
            always("3D", "Health: other primary health services"),
            always("3E", "Health: A&E"),
            always("3F", "Health: other (for example a hospice)"),
            always("4", "Housing (local authority or housing association)"),
            always(
                "5A",
                "LA services: social care (for example adult social care)",
            ),
            always("5B", "LA services: other internal"),
            always("5C", "LA services: external (another local authority)"),
            always("5D", "LA services: early help"),
            always("6", "Police"),
            always(
                "7",
                "Other legal agency (courts, probation, immigration, Cafcass, prison)",
            ),
            always(
                "8",
                "Other (children's centres, independent providers, voluntary sector)",
            ),
            always("9", "Anonymous"),
            always("10", "Unknown"),
        ],
    )
}

/// The front door's decision on a contact (Hearth's list; a referral or a strategy discussion
/// starts a CIN census referral).
pub fn front_door_outcome() -> &'static CodeList {
    static L: OnceLock<CodeList> = OnceLock::new();
    list(
        &L,
        "front door outcome",
        &[
            always("nfa", "No further action"),
            always("advice", "Advice and information"),
            always("early_help", "Early help (Family Help)"),
            always("referral", "Referral to children's social care"),
            always("strategy", "Strategy discussion"),
        ],
    )
}

/// Consent to share information with partners at the front door.
pub fn consent() -> &'static CodeList {
    static L: OnceLock<CodeList> = OnceLock::new();
    list(
        &L,
        "consent",
        &[
            always("given", "Consent given"),
            always("refused", "Consent refused"),
            always(
                "not_sought",
                "Not sought: sharing without consent to safeguard the child",
            ),
        ],
    )
}

/// Partner agencies asked for information at the front door.
pub fn partner_agency() -> &'static CodeList {
    static L: OnceLock<CodeList> = OnceLock::new();
    list(
        &L,
        "partner agency",
        &[
            always("police", "Police"),
            always("health", "Health"),
            always("school", "School or education"),
            always("probation", "Probation"),
            always("housing", "Housing"),
            always("early_help", "Early help"),
            always("other", "Other"),
        ],
    )
}

/// The front door's rating of a referral's quality, fed back to the referring agency.
pub fn referral_quality() -> &'static CodeList {
    static L: OnceLock<CodeList> = OnceLock::new();
    list(
        &L,
        "referral quality",
        &[
            always(
                "good",
                "Good: clear concerns, consent and the child's details",
            ),
            always("adequate", "Adequate: some information missing"),
            always("poor", "Poor: concerns or consent unclear"),
        ],
    )
}

/// Factors identified at assessment (CIN census `AssessmentFactors`).
pub fn assessment_factor() -> &'static CodeList {
    static L: OnceLock<CodeList> = OnceLock::new();
    list(
        &L,
        "assessment factor",
        &[
            always("1A", "Alcohol misuse: child"),
            always("1B", "Alcohol misuse: parent or carer"),
            always("1C", "Alcohol misuse: another person in the household"),
            always("2A", "Drug misuse: child"),
            always("2B", "Drug misuse: parent or carer"),
            always("2C", "Drug misuse: another person in the household"),
            always("3A", "Domestic abuse: child"),
            always("3B", "Domestic abuse: parent or carer"),
            always("3C", "Domestic abuse: another person in the household"),
            always("4A", "Mental health: child"),
            always("4B", "Mental health: parent or carer"),
            always("4C", "Mental health: another person in the household"),
            always("5A", "Learning disability: child"),
            always("5B", "Learning disability: parent or carer"),
            always("5C", "Learning disability: another person in the household"),
            always("6A", "Physical disability or illness: child"),
            always("6B", "Physical disability or illness: parent or carer"),
            always(
                "6C",
                "Physical disability or illness: another person in the household",
            ),
            always("7A", "Young carer"),
            always(
                "8B",
                "Privately fostered: overseas child intending to return",
            ),
            always("8C", "Privately fostered: overseas child intending to stay"),
            always(
                "8D",
                "Privately fostered: UK child in an educational placement",
            ),
            always(
                "8E",
                "Privately fostered: UK child, alternative family arrangement",
            ),
            always("8F", "Privately fostered: other"),
            always("9A", "Unaccompanied asylum-seeking child"),
            always("10A", "Going or being missing"),
            always("11A", "Child sexual exploitation"),
            always("12A", "Trafficking"),
            always("13A", "Gangs"),
            always("14A", "Socially unacceptable behaviour"),
            always("15A", "Self-harm"),
            always("16A", "Neglect"),
            always("17A", "Emotional abuse"),
            always("18B", "Physical abuse: child on child"),
            always("18C", "Physical abuse: adult on child"),
            always("19B", "Sexual abuse: child on child"),
            always("19C", "Sexual abuse: adult on child"),
            always("20", "Other"),
            always("21", "No factors identified"),
            always("22A", "Female genital mutilation"),
            always("23A", "Abuse linked to faith or belief"),
            always("24A", "Child criminal exploitation"),
        ],
    )
}

/// What a single assessment concluded (Hearth's list; closures map to CIN RC8 and RC9).
pub fn assessment_outcome() -> &'static CodeList {
    static L: OnceLock<CodeList> = OnceLock::new();
    list(
        &L,
        "assessment outcome",
        &[
            always("nfa", "No further action (closed after assessment)"),
            always("early_help", "Step down to early help"),
            always("cin_plan", "Child in need plan"),
            always(
                "strategy",
                "Strategy discussion (child protection concerns)",
            ),
            always("looked_after", "Child to become looked after"),
        ],
    )
}

/// Category of need (903 `CIN`, CIN census `PrimaryNeedCode`; N9 and N0 are CIN census only).
pub fn primary_need() -> &'static CodeList {
    static L: OnceLock<CodeList> = OnceLock::new();
    list(
        &L,
        "primary need",
        &[
            always("N1", "Abuse or neglect"),
            always("N2", "Child's disability"),
            always("N3", "Parental illness or disability"),
            always("N4", "Family in acute stress"),
            always("N5", "Family dysfunction"),
            always("N6", "Socially unacceptable behaviour"),
            always("N7", "Low income"),
            always("N8", "Absent parenting"),
            always(
                "N9",
                "Cases other than children in need (adoption support only)",
            ),
            always("N0", "Not stated"),
        ],
    )
}

/// Why a child in need episode closed (CIN census `ReasonForClosure`).
pub fn closure_reason() -> &'static CodeList {
    static L: OnceLock<CodeList> = OnceLock::new();
    list(
        &L,
        "closure reason",
        &[
            always("RC1", "Adopted"),
            always("RC2", "Died"),
            always("RC3", "Child arrangements order"),
            always("RC4", "Special guardianship order"),
            always("RC5", "Transferred to another local authority"),
            always("RC6", "Transferred to adult social care"),
            always(
                "RC7",
                "Services ceased for any other reason, including no longer in need",
            ),
            always("RC8", "Case closed after assessment, no further action"),
            always(
                "RC9",
                "Case closed after assessment, referred to early help",
            ),
        ],
    )
}

/// Category of abuse on a child protection plan (CIN census).
pub fn abuse_category() -> &'static CodeList {
    static L: OnceLock<CodeList> = OnceLock::new();
    list(
        &L,
        "category of abuse",
        &[
            always("NEG", "Neglect"),
            always("PHY", "Physical abuse"),
            always("SAB", "Sexual abuse"),
            always("EMO", "Emotional abuse"),
            always("MUL", "Multiple (no longer recommended)"),
        ],
    )
}

/// How a section 47 enquiry concluded (Hearth's list; an ICPC is required for "icpc").
pub fn s47_outcome() -> &'static CodeList {
    static L: OnceLock<CodeList> = OnceLock::new();
    list(
        &L,
        "section 47 outcome",
        &[
            always(
                "icpc",
                "Concerns substantiated: initial child protection conference",
            ),
            always(
                "cin",
                "Concerns substantiated, child not at continuing risk: child in need plan",
            ),
            always("nfa", "Concerns not substantiated: no further action"),
        ],
    )
}

/// Agencies at strategy discussions, conferences and core groups.
pub fn meeting_agency() -> &'static CodeList {
    static L: OnceLock<CodeList> = OnceLock::new();
    list(
        &L,
        "agency",
        &[
            always("social_care", "Children's social care"),
            always("police", "Police"),
            always("health", "Health"),
            always("school", "School or education"),
            always("probation", "Probation"),
            always("housing", "Housing"),
            always("early_help", "Early help"),
            always("parent", "Parent or carer"),
            always("child", "The child"),
            always("other", "Other"),
        ],
    )
}

/// Why an early help episode ended.
pub fn early_help_end() -> &'static CodeList {
    static L: OnceLock<CodeList> = OnceLock::new();
    list(
        &L,
        "early help ending",
        &[
            always("needs_met", "Needs met"),
            always("step_up", "Step up to children's social care"),
            always("declined", "Family declined or disengaged"),
            always("moved", "Moved away"),
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
        for l in [
            sex(),
            ethnicity(),
            disability(),
            relationship(),
            referral_source(),
            front_door_outcome(),
            consent(),
            partner_agency(),
            referral_quality(),
            assessment_factor(),
            assessment_outcome(),
            primary_need(),
            closure_reason(),
            abuse_category(),
            s47_outcome(),
            meeting_agency(),
            early_help_end(),
        ] {
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
        assert_eq!(referral_source().current(2026).count(), 22);
        assert_eq!(assessment_factor().current(2026).count(), 42);
        assert!(
            !assessment_factor().is_valid("18A", 2026),
            "18A and 19A are withdrawn"
        );
    }
}
