//! The SSDA903 code lists for care episodes (specs/statutory-data.md §1.4), with the collection
//! years they are valid in, and the placement groups the rules name.

use crate::codes::{CodeList, always, from, list, until};

/// LS: the legal status.
pub fn legal_status() -> &'static CodeList {
    static L: std::sync::OnceLock<CodeList> = std::sync::OnceLock::new();
    list(
        &L,
        "legal status",
        &[
            always("C1", "Interim care order"),
            always("C2", "Full care order"),
            // Freeing orders ended in December 2005 (rule 446's date); collection year 2006 is
            // the last that could start one.
            until(2006, "D1", "Freeing order granted"),
            always("E1", "Placement order granted"),
            always("V2", "Single period of accommodation under section 20"),
            always(
                "V3",
                "Agreed series of short-term breaks (individual episodes)",
            ),
            always("V4", "Agreed series of short-term breaks (agreements)"),
            always("L1", "Police protection, in local authority accommodation"),
            always("L2", "Emergency protection order"),
            always(
                "L3",
                "Child assessment order, in local authority accommodation",
            ),
            always(
                "J1",
                "Remanded to local authority or youth detention accommodation",
            ),
            always(
                "J2",
                "Placed in local authority accommodation under PACE 1984",
            ),
            always(
                "J3",
                "Youth rehabilitation order with residence or intensive fostering",
            ),
        ],
    )
}

/// PLACE: the placement type; the valid set changes by collection year (validator rule 146).
pub fn placement_type() -> &'static CodeList {
    static L: std::sync::OnceLock<CodeList> = std::sync::OnceLock::new();
    list(
        &L,
        "placement type",
        &[
            always(
                "A3",
                "Placed for adoption with consent, with current foster carers",
            ),
            always(
                "A4",
                "Placed for adoption with consent, not with current foster carers",
            ),
            always(
                "A5",
                "Placed for adoption under a placement order, with current foster carers",
            ),
            always(
                "A6",
                "Placed for adoption under a placement order, not with current foster carers",
            ),
            until(
                2025,
                "H5",
                "Semi-independent living not subject to children's homes regulations",
            ),
            always("K1", "Secure children's home"),
            always("K2", "Children's home"),
            from(2025, "K3", "Supported accommodation"),
            always(
                "P1",
                "With own parents or person with parental responsibility",
            ),
            until(2025, "P2", "Independent living"),
            always("P3", "Residential employment"),
            always("R1", "Residential care home"),
            always(
                "R2",
                "NHS or health trust providing medical or nursing care",
            ),
            always("R3", "Family centre or mother and baby unit"),
            always("R5", "Young offender institution or prison"),
            always("S1", "Residential school"),
            always("T0", "Temporary move of any type"),
            always("T1", "Temporary period in hospital"),
            always("T2", "Temporary absence on holiday"),
            always(
                "T3",
                "Temporary accommodation while the usual foster carer is on holiday",
            ),
            always("T4", "Temporary accommodation of seven days or less"),
            always("U1", "Foster care with a relative or friend, long term"),
            always(
                "U2",
                "Foster care with a relative or friend who is an approved adopter",
            ),
            always("U3", "Foster care with a relative or friend, other"),
            always("U4", "Foster care with another carer, long term"),
            always(
                "U5",
                "Foster care with another carer who is an approved adopter",
            ),
            always("U6", "Foster care with another carer, other"),
            until(2025, "Z1", "Other placement"),
            // Z11-Z14 replace Z1 from 2025/26; their meanings are UNCONFIRMED in the spec
            // (statutory-data.md §1.4): verify against the DfE guide before relying on the labels.
            from(
                2026,
                "Z11",
                "Other placement (Z11, meaning to be confirmed)",
            ),
            from(
                2026,
                "Z12",
                "Other placement (Z12, meaning to be confirmed)",
            ),
            from(
                2026,
                "Z13",
                "Other placement (Z13, meaning to be confirmed)",
            ),
            from(
                2026,
                "Z14",
                "Other placement (Z14, meaning to be confirmed)",
            ),
        ],
    )
}

/// PLACE_PROVIDER.
pub fn provider() -> &'static CodeList {
    static L: std::sync::OnceLock<CodeList> = std::sync::OnceLock::new();
    list(
        &L,
        "placement provider",
        &[
            always("PR0", "Parents or person with parental responsibility"),
            always("PR1", "Own local authority provision"),
            always("PR2", "Other local authority provision"),
            always("PR3", "Other public provision, for example the NHS"),
            always("PR4", "Private provision"),
            always("PR5", "Voluntary or third sector provision"),
        ],
    )
}

/// REASON_PLACE_CHANGE, recorded on the episode that ends in a change of placement.
pub fn reason_place_change() -> &'static CodeList {
    static L: std::sync::OnceLock<CodeList> = std::sync::OnceLock::new();
    list(
        &L,
        "reason for placement change",
        &[
            always("CARPL", "Change to or implementation of the care plan"),
            always(
                "CLOSE",
                "Carer resignation or closure of provision (planned)",
            ),
            always("ALLEG", "Removed because of a section 47 allegation"),
            always("STAND", "Concern about standards of care"),
            always("APPRR", "Approval or registration removed"),
            always("CREQB", "Carer asked to end it: the child's behaviour"),
            always("CREQO", "Carer asked to end it: other reasons"),
            always("CHILD", "The child asked to end it"),
            always("LAREQ", "The responsible or area authority asked to end it"),
            always("PLACE", "Change in the status of the placement only"),
            always("CUSTOD", "Custody arrangement"),
            always("OTHER", "Other"),
        ],
    )
}

/// REC: why the child ceased to be looked after (X1, "another episode follows", is Hearth's own
/// and not offered).
pub fn reason_ceased() -> &'static CodeList {
    static L: std::sync::OnceLock<CodeList> = std::sync::OnceLock::new();
    list(
        &L,
        "reason care ended",
        &[
            always("E11", "Adopted: application unopposed"),
            always("E12", "Adopted: consent dispensed with"),
            always("E2", "Died"),
            always("E3", "Care taken over by another local authority in the UK"),
            always(
                "E4A",
                "Returned home to parents or relatives as part of the care plan",
            ),
            always(
                "E4B",
                "Returned home to parents or relatives, not part of the care plan",
            ),
            always(
                "E13",
                "Left care to live with parents, relatives or others with no parental responsibility",
            ),
            always("E41", "Child arrangements order (who the child lives with)"),
            always(
                "E45",
                "Special guardianship order to former foster carers who are relatives or friends",
            ),
            always(
                "E46",
                "Special guardianship order to former foster carers who are not relatives or friends",
            ),
            always(
                "E47",
                "Special guardianship order to other carers who are relatives or friends",
            ),
            always(
                "E48",
                "Special guardianship order to other carers who are not relatives or friends",
            ),
            always("E5", "Moved to independent living with formalised support"),
            always(
                "E6",
                "Moved to independent living without formalised support",
            ),
            always(
                "E7",
                "Transferred to residential care funded by adult social care",
            ),
            always("E9", "Sentenced to custody"),
            always("E14", "Accommodation on remand ended"),
            always("E15", "Age assessment found the child to be 18 or over"),
            always("E16", "Moved abroad"),
            always("E17", "Aged 18 or over and stayed with current carers"),
            always("E8", "Ceased for any other reason"),
        ],
    )
}

/// The 903's category of need: N1-N8 (N9 and N0 are the CIN census's only, §1.4).
pub fn category_of_need() -> &'static CodeList {
    static L: std::sync::OnceLock<CodeList> = std::sync::OnceLock::new();
    L.get_or_init(|| CodeList {
        name: "category of need",
        codes: crate::codes::primary_need()
            .codes
            .iter()
            .filter(|c| !matches!(c.code, "N9" | "N0"))
            .copied()
            .collect(),
    })
}

/// Temporary placements (T0-T4).
pub const TEMPORARY: &[&str] = &["T0", "T1", "T2", "T3", "T4"];
/// Placement types with no placement provider (rule 213).
pub const NO_PROVIDER: &[&str] = &[
    "T0", "T1", "T2", "T3", "T4", "Z1", "Z11", "Z12", "Z13", "Z14",
];
/// Placement types with no Ofsted URN (rule 222). Z1 is not in the validator's 2025/26 list (it
/// is no longer valid then); it is taken here as having none, like Z11-Z14.
pub const NO_URN: &[&str] = &[
    "P1", "P3", "R1", "R2", "R5", "T0", "T1", "T2", "T3", "T4", "Z1", "Z11", "Z12", "Z13", "Z14",
];
/// Placed for adoption (A3-A6).
pub const PLACED_FOR_ADOPTION: &[&str] = &["A3", "A4", "A5", "A6"];
/// Short breaks (V3, V4): not a placement recorded on these forms.
pub const SHORT_BREAKS: &[&str] = &["V3", "V4"];

pub(crate) fn is(v: &str, set: &[&str]) -> bool {
    set.iter().any(|s| s.eq_ignore_ascii_case(v.trim()))
}
