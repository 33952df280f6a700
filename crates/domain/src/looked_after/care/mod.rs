//! Entering care, placement moves and changes of legal status, and ceasing care, as a worker
//! records them: Hearth makes the SSDA903 episodes itself. Entering care starts a period of care
//! and its first episode (RNE "S"); a change ends the current episode that day (REC "X1") and
//! starts the next with the reason for the new episode worked out from what changed, copying
//! what did not; ceasing care ends the current episode and the period with a REC other than X1.
//!
//! Codes and rules are the SSDA903's (specs/statutory-data.md §1.4, rules-903-2025-26.tsv); each
//! rule enforced here cites its DfE rule id. The 903 validator (`returns::ssda903`) checks the
//! same rules on a whole return; here they refuse a single change before it is saved.

use chrono::{Datelike, Months, NaiveDate};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::Episode;
use super::adoption::{self, AdoptionDecision};
use crate::calendar::collection_year;
use crate::codes::CodeList;
use crate::validate::FieldError;

mod codes;
mod placement;
pub(crate) use codes::is;
pub use codes::*;
use placement::status_misfit;
pub use placement::{postcode_well_formed, urn_well_formed};

fn years_old(dob: NaiveDate, on: NaiveDate) -> i32 {
    let mut age = on.year() - dob.year();
    if (on.month(), on.day()) < (dob.month(), dob.day()) {
        age -= 1;
    }
    age
}

// --- What a worker records ---

/// Where the child lives: the placement as the forms record it. Empty strings are "none".
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewPlacement {
    /// PLACE (`placement_type`).
    #[serde(default)]
    pub placement: String,
    /// PLACE_PROVIDER (`provider`); empty for temporary and Z1x placements.
    #[serde(default)]
    pub provider: String,
    /// The placement's postcode (PL_POST).
    #[serde(default)]
    pub postcode: String,
    /// The Ofsted URN: SC and 6 digits, 7 digits, or XXXXXXX when the provider is not inspected
    /// by Ofsted; empty for placement types without one.
    #[serde(default)]
    pub urn: String,
    /// The carer's or the home's name.
    #[serde(default)]
    pub carer: String,
    /// Whether the placement was planned (false: an emergency or unplanned move).
    #[serde(default)]
    pub planned: Option<bool>,
}

/// Entering care: a manager's decision, with the rationale, the legal status, the category of
/// need and the first placement. It starts a period of care and its first episode (RNE "S").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewCarePeriod {
    pub started_on: NaiveDate,
    /// LS (`legal_status`); not V3 or V4.
    pub legal_status: String,
    /// N1-N8; holds for the whole period (903 rule 504).
    pub category_of_need: String,
    /// The manager's rationale for the decision.
    pub rationale: String,
    pub placement: NewPlacement,
    /// PREV_PERM: the permanence the child had before care (P1 adoption, P2 special
    /// guardianship, P3 a child arrangements or residence order, P4 one of those but which is not
    /// known, Z1 none); required for care starting from 1 April 2016 (903 rules 630, 634).
    #[serde(default)]
    pub previous_permanence: String,
    /// LA_PERM: the council that arranged it (its 3-digit DfE code, or WAL, SCO, NUK, NIR),
    /// where known; none with Z1 (635).
    #[serde(default)]
    pub previous_permanence_la: String,
    /// DATE_PERM: the date of the order, where known; none with Z1 (635).
    #[serde(default)]
    pub previous_permanence_on: Option<NaiveDate>,
}

/// The previous permanence options (PREV_PERM).
pub const PREVIOUS_PERMANENCE: &[(&str, &str)] = &[
    ("P1", "Adopted"),
    ("P2", "A special guardianship order"),
    (
        "P3",
        "A child arrangements order naming who the child lives with (or a residence order)",
    ),
    ("P4", "One of these, but which is not known"),
    ("Z1", "None of these"),
];

/// Whether a value is an LA_PERM: a 3-digit DfE council code, or WAL, SCO, NUK or NIR.
pub fn la_code_well_formed(v: &str) -> bool {
    let v = v.trim();
    (v.len() == 3 && v.bytes().all(|b| b.is_ascii_digit()))
        || ["WAL", "SCO", "NUK", "NIR"]
            .iter()
            .any(|c| c.eq_ignore_ascii_case(v))
}

/// What changed: the placement, the legal status, or both on the same day.
pub const CHANGE_KINDS: &[(&str, &str)] = &[
    ("placement", "Placement move"),
    ("legal_status", "Change of legal status"),
    ("both", "Both, on the same day"),
];

/// A placement move or a change of legal status (or both), from a date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CareChange {
    pub changed_on: NaiveDate,
    /// "placement", "legal_status" or "both".
    pub kind: String,
    /// The new legal status, when it changes.
    #[serde(default)]
    pub legal_status: String,
    /// The new placement, when it changes.
    #[serde(default)]
    pub placement: NewPlacement,
    /// For a placement move: whether the carer stays the same (a carer moving house, a change
    /// of provider or URN): RNE T or U rather than P or B.
    #[serde(default)]
    pub same_carer: Option<bool>,
    /// REASON_PLACE_CHANGE, recorded on the episode that ends (rules 225, 226).
    #[serde(default)]
    pub reason_place_change: String,
}

/// Ceasing care: the end date and why (REC, not X1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CeaseCare {
    pub ended_on: NaiveDate,
    /// REC (`reason_ceased`).
    pub reason_ceased: String,
}

/// What the checks need to know about the child: today, their date of birth and their episodes
/// so far (oldest first, as the child's record holds them).
#[derive(Debug, Clone, Copy)]
pub struct CareContext<'a> {
    pub today: NaiveDate,
    pub date_of_birth: Option<NaiveDate>,
    pub episodes: &'a [Episode],
    /// The child's decisions to place for adoption, oldest first.
    pub adoption: &'a [AdoptionDecision],
}

impl CareContext<'_> {
    /// The open episode, if the child is looked after.
    pub fn current(&self) -> Option<&Episode> {
        self.episodes.iter().rev().find(|e| e.ended_on.is_none())
    }
}

fn date_checks(
    e: &mut Vec<FieldError>,
    field: &str,
    label: &str,
    on: NaiveDate,
    ctx: &CareContext<'_>,
) {
    if on > ctx.today {
        e.push(FieldError::new(
            field,
            format!("{label} must be today or in the past"),
        ));
    }
    if let Some(dob) = ctx.date_of_birth
        && on < dob
    {
        e.push(FieldError::new(
            field,
            format!("{label} must be on or after the child's date of birth"),
        ));
    }
}

fn code(
    e: &mut Vec<FieldError>,
    field: &str,
    list: &CodeList,
    v: &str,
    on: NaiveDate,
    missing: &str,
) {
    if v.trim().is_empty() {
        e.push(FieldError::new(field, missing));
    } else if !list.is_valid(&v.trim().to_uppercase(), collection_year(on)) {
        e.push(FieldError::new(
            field,
            format!("{:?} is not a {} code", v.trim(), list.name),
        ));
    }
}

fn legal_status_checks(e: &mut Vec<FieldError>, ls: &str, on: NaiveDate) {
    if is(ls, SHORT_BREAKS) {
        // Short breaks are an agreed series of stays (SI 2010/959 reg 48), recorded as their own
        // episodes or agreements, not as a period of care with a full placement.
        e.push(FieldError::new(
            "legal_status",
            "Short breaks (V3 or V4) are not recorded as a placement: record them as short breaks",
        ));
    } else {
        code(
            e,
            "legal_status",
            legal_status(),
            ls,
            on,
            "Select the legal status",
        );
    }
}

impl NewCarePeriod {
    pub fn validate(&self, ctx: &CareContext<'_>) -> Vec<FieldError> {
        let mut e = Vec::new();
        let on = self.started_on;
        date_checks(&mut e, "started", "The date care started", on, ctx);
        if ctx.current().is_some() {
            e.push(FieldError::new(
                "started",
                "The child is already looked after: record a placement move or change of legal status instead",
            ));
        } else if let Some(last) = ctx.episodes.iter().filter_map(|x| x.ended_on).max()
            && on <= last
        {
            // 431: a new period of care starts after the previous one ended.
            e.push(FieldError::new(
                "started",
                "The date care started must be after the last period of care ended",
            ));
        }
        legal_status_checks(&mut e, &self.legal_status, on);
        code(
            &mut e,
            "category_of_need",
            category_of_need(),
            &self.category_of_need,
            on,
            "Select the category of need",
        );
        if self.rationale.trim().is_empty() {
            e.push(FieldError::new(
                "rationale",
                "Enter the management rationale for the decision",
            ));
        } else if self.rationale.chars().count() > 20_000 {
            e.push(FieldError::new(
                "rationale",
                "This must be 20,000 characters or fewer",
            ));
        }
        self.placement
            .checks(&mut e, self.legal_status.trim(), "S", on, ctx);
        adoption::episode_checks(
            &mut e,
            ctx.adoption,
            self.placement.placement.trim(),
            self.legal_status.trim(),
            on,
            true,
            true,
        );
        self.previous_permanence_checks(&mut e, ctx);
        e
    }

    fn previous_permanence_checks(&self, e: &mut Vec<FieldError>, ctx: &CareContext<'_>) {
        let code = self.previous_permanence.trim().to_uppercase();
        let la = self.previous_permanence_la.trim();
        // 634: only for care starting on or after 1 April 2016 (630: then it is required).
        let from = NaiveDate::from_ymd_opt(2016, 4, 1).expect("a real date");
        if self.started_on < from {
            if !code.is_empty() || !la.is_empty() || self.previous_permanence_on.is_some() {
                e.push(FieldError::new(
                    "previous_permanence",
                    "Previous permanence is recorded only for care starting on or after 1 April 2016: leave it blank",
                ));
            }
            return;
        }
        if !PREVIOUS_PERMANENCE.iter().any(|(c, _)| *c == code) {
            e.push(FieldError::new(
                "previous_permanence",
                "Select whether the child was adopted or under a special guardianship or child arrangements order before",
            ));
            return;
        }
        if code == "Z1" {
            // 635: no council or date without a previous order.
            if !la.is_empty() || self.previous_permanence_on.is_some() {
                e.push(FieldError::new(
                    "previous_permanence",
                    "With no previous permanence, leave the council and date of the order blank",
                ));
            }
            return;
        }
        if !la.is_empty() && !la_code_well_formed(la) {
            e.push(FieldError::new(
                "previous_permanence_la",
                "Enter the council's 3-digit DfE code, or WAL, SCO, NUK or NIR",
            ));
        }
        if let Some(d) = self.previous_permanence_on {
            if d > self.started_on {
                e.push(FieldError::new(
                    "previous_permanence_on",
                    "The date of the order must be before care started",
                ));
            } else if ctx.date_of_birth.is_some_and(|dob| d < dob) {
                e.push(FieldError::new(
                    "previous_permanence_on",
                    "The date of the order must be on or after the child's date of birth",
                ));
            }
        }
    }
}

/// The reason for the new episode (RNE) a change makes: L legal status only; P placement and
/// carer; T placement, same carer; B legal status, placement and carer; U legal status and
/// placement, same carer (§1.4).
pub fn reason_new(kind: &str, same_carer: bool) -> Option<&'static str> {
    match (kind, same_carer) {
        ("legal_status", _) => Some("L"),
        ("placement", false) => Some("P"),
        ("placement", true) => Some("T"),
        ("both", false) => Some("B"),
        ("both", true) => Some("U"),
        _ => None,
    }
}

impl CareChange {
    pub fn changes_placement(&self) -> bool {
        matches!(self.kind.as_str(), "placement" | "both")
    }
    pub fn changes_legal_status(&self) -> bool {
        matches!(self.kind.as_str(), "legal_status" | "both")
    }
    /// The RNE of the episode it starts (None for an unknown kind).
    pub fn rne(&self) -> Option<&'static str> {
        reason_new(&self.kind, self.same_carer.unwrap_or(false))
    }

    pub fn validate(&self, ctx: &CareContext<'_>) -> Vec<FieldError> {
        let mut e = Vec::new();
        let on = self.changed_on;
        date_checks(&mut e, "changed", "The date of the change", on, ctx);
        let Some(current) = ctx.current() else {
            e.push(FieldError::new(
                "changed",
                "The child is not looked after: record entering care first",
            ));
            return e;
        };
        if on < current.started_on {
            e.push(FieldError::new(
                "changed",
                format!(
                    "The date of the change must be on or after the current episode began ({})",
                    current.started_on.format("%-d %B %Y")
                ),
            ));
        }
        let Some(rne) = self.rne() else {
            e.push(FieldError::new("kind", "Select what changed"));
            return e;
        };
        let ls = if self.changes_legal_status() {
            legal_status_checks(&mut e, &self.legal_status, on);
            if self
                .legal_status
                .trim()
                .eq_ignore_ascii_case(&current.legal_status)
            {
                // 434/436: the legal status changes on L, B and U.
                e.push(FieldError::new(
                    "legal_status",
                    "Select a legal status different from the current one",
                ));
            }
            self.legal_status.trim().to_string()
        } else {
            current.legal_status.clone()
        };
        if self.changes_placement() {
            if self.same_carer.is_none() {
                e.push(FieldError::new(
                    "same_carer",
                    "Select whether the carer stays the same",
                ));
            }
            self.placement.checks(&mut e, &ls, rne, on, ctx);
            let p = &self.placement;
            let same = p.placement.trim().eq_ignore_ascii_case(&current.placement)
                && p.postcode.replace(' ', "").eq_ignore_ascii_case(
                    &current
                        .placement_postcode
                        .clone()
                        .unwrap_or_default()
                        .replace(' ', ""),
                )
                && p.urn
                    .trim()
                    .eq_ignore_ascii_case(current.urn.as_deref().unwrap_or(""))
                && p.provider
                    .trim()
                    .eq_ignore_ascii_case(current.provider.as_deref().unwrap_or(""));
            if same {
                // 435/436: a placement change changes the type, postcode, URN or provider.
                e.push(FieldError::new(
                    "placement",
                    "Nothing about the placement has changed: enter the new placement",
                ));
            }
            // 225: a change of placement records its reason on the episode that ends; 226: not
            // for a move into or out of a temporary placement. (The brief has the reason required
            // for changes from 2023; the spec does not date rule 225, so it is required for every
            // change recorded here: UNCONFIRMED for back-dated changes before 2023.)
            let temporary = is(&current.placement, TEMPORARY) || is(&p.placement, TEMPORARY);
            let reason = self.reason_place_change.trim();
            if temporary {
                if !reason.is_empty() {
                    e.push(FieldError::new(
                        "reason_place_change",
                        "A move into or out of a temporary placement has no reason for the change: leave it blank",
                    ));
                }
            } else {
                code(
                    &mut e,
                    "reason_place_change",
                    reason_place_change(),
                    reason,
                    on,
                    "Select the reason for the placement change",
                );
                // 234: no move into custody for a child under 10.
                if is(reason, &["CUSTOD"])
                    && let Some(dob) = ctx.date_of_birth
                    && years_old(dob, on) < 10
                {
                    e.push(FieldError::new(
                        "reason_place_change",
                        "A child under 10 cannot change placement because of custody",
                    ));
                }
            }
        } else {
            if !self.reason_place_change.trim().is_empty() {
                // 1009/225: the reason is for a change of placement only.
                e.push(FieldError::new(
                    "reason_place_change",
                    "A change of legal status only has no reason for a placement change: leave it blank",
                ));
            }
            // The placement stays: the new legal status must fit it (378, 408).
            if !e.iter().any(|x| x.field == "legal_status")
                && let Some(msg) = status_misfit(&current.placement, &ls)
            {
                e.push(FieldError::new("legal_status", msg));
            }
        }
        let place = if self.changes_placement() {
            self.placement.placement.trim()
        } else {
            current.placement.as_str()
        };
        adoption::episode_checks(
            &mut e,
            ctx.adoption,
            place,
            ls.trim(),
            on,
            self.changes_placement(),
            self.changes_legal_status(),
        );
        e
    }
}

impl CeaseCare {
    pub fn validate(&self, ctx: &CareContext<'_>) -> Vec<FieldError> {
        let mut e = Vec::new();
        let on = self.ended_on;
        date_checks(&mut e, "ended", "The date care ended", on, ctx);
        let Some(current) = ctx.current() else {
            e.push(FieldError::new("ended", "The child is not looked after"));
            return e;
        };
        if on < current.started_on {
            e.push(FieldError::new(
                "ended",
                format!(
                    "The date care ended must be on or after the current episode began ({})",
                    current.started_on.format("%-d %B %Y")
                ),
            ));
        }
        let rec = self.reason_ceased.trim();
        if rec.eq_ignore_ascii_case("X1") {
            e.push(FieldError::new(
                "reason_ceased",
                "X1 is not a reason care ended: record a placement move or change of legal status instead",
            ));
            return e;
        }
        code(
            &mut e,
            "reason_ceased",
            reason_ceased(),
            rec,
            on,
            "Select why care ended",
        );
        let place = current.placement.as_str();
        // 381: care does not end in a temporary placement.
        if is(place, TEMPORARY) {
            e.push(FieldError::new(
                "reason_ceased",
                "Care cannot end in a temporary placement: record the return to the usual placement first",
            ));
        }
        // 390: adopted children were placed for adoption (A3-A6).
        if is(rec, &["E11", "E12"]) && !is(place, &["A3", "A4", "A5", "A6"]) {
            e.push(FieldError::new(
                "reason_ceased",
                "Adoption ends a placement for adoption (A3 to A6)",
            ));
        }
        // 516: a special guardianship order to former foster carers ends a foster placement.
        if is(rec, &["E45", "E46"]) && !is(place, &["U1", "U2", "U3", "U4", "U5", "U6"]) {
            e.push(FieldError::new(
                "reason_ceased",
                "A special guardianship order to former foster carers ends a foster placement (U1 to U6)",
            ));
        }
        if let Some(dob) = ctx.date_of_birth {
            let age = years_old(dob, on);
            // 386 (adoption) and 407 (SGO) before 18; 387 (E5, E6) 14 or over; 389 (E7) 16 or
            // over; 460 (E17) 18 or over.
            let wrong = (is(rec, &["E11", "E12", "E45", "E46", "E47", "E48"]) && age >= 18)
                || (is(rec, &["E5", "E6"]) && age < 14)
                || (is(rec, &["E7"]) && age < 16)
                || (is(rec, &["E17"]) && age < 18);
            if wrong {
                e.push(FieldError::new(
                    "reason_ceased",
                    format!("This reason does not fit a child aged {age}"),
                ));
            }
        }
        adoption::cease_checks(&mut e, ctx.adoption, &rec.to_uppercase(), on);
        e
    }
}

// --- What Hearth makes of it ---

/// An episode as Hearth records it, with the placement details the 903 does not hold.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CareEpisode {
    pub id: Uuid,
    pub period_id: Uuid,
    pub child_id: Uuid,
    pub started_on: NaiveDate,
    pub ended_on: Option<NaiveDate>,
    /// RNE.
    pub reason_new: String,
    /// LS.
    pub legal_status: String,
    /// PLACE.
    pub placement: String,
    pub provider: Option<String>,
    pub placement_postcode: Option<String>,
    pub urn: Option<String>,
    /// REC.
    pub reason_ceased: Option<String>,
    pub reason_place_change: Option<String>,
    /// The carer's or home's name (episodes loaded in bulk have none).
    pub carer: Option<String>,
    pub planned: Option<bool>,
}

/// A period of care as Hearth records it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CarePeriod {
    pub id: Uuid,
    pub child_id: Uuid,
    pub started_on: NaiveDate,
    pub ended_on: Option<NaiveDate>,
    pub category_of_need: String,
    /// The manager's rationale for the decision to start it (periods loaded in bulk have none).
    pub rationale: Option<String>,
    pub decided_by: Option<Uuid>,
    /// PREV_PERM, LA_PERM and DATE_PERM as recorded on entering care (none for periods loaded
    /// in bulk or recorded before Hearth held them).
    #[serde(default)]
    pub previous_permanence: Option<String>,
    #[serde(default)]
    pub previous_permanence_la: Option<String>,
    #[serde(default)]
    pub previous_permanence_on: Option<NaiveDate>,
}

/// What a change saved: the period and its episodes (oldest first).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CareRecord {
    pub period: CarePeriod,
    pub episodes: Vec<CareEpisode>,
}

/// The new episode a change starts, from the current one: what changed from the change, the
/// rest copied (the category of need is the period's). `id` and `period` are the store's.
pub fn next_episode(
    current: &Episode,
    change: &CareChange,
    id: Uuid,
) -> (Episode, Option<String>, Option<bool>) {
    let none = |s: &str| (!s.trim().is_empty()).then(|| s.trim().to_string());
    let mut next = Episode {
        id,
        period_id: current.period_id,
        child_id: current.child_id,
        started_on: change.changed_on,
        ended_on: None,
        reason_new: change.rne().unwrap_or("P").to_string(),
        legal_status: current.legal_status.clone(),
        placement: current.placement.clone(),
        provider: current.provider.clone(),
        placement_postcode: current.placement_postcode.clone(),
        urn: current.urn.clone(),
        reason_ceased: None,
        reason_place_change: None,
    };
    if change.changes_legal_status() {
        next.legal_status = change.legal_status.trim().to_uppercase();
    }
    let (mut carer, mut planned) = (None, None);
    if change.changes_placement() {
        let p = &change.placement;
        next.placement = p.placement.trim().to_uppercase();
        next.provider = none(&p.provider).map(|s| s.to_uppercase());
        next.placement_postcode = none(&p.postcode).map(|s| s.to_uppercase());
        next.urn = none(&p.urn).map(|s| s.to_uppercase());
        carer = none(&p.carer);
        planned = p.planned;
    }
    (next, carer, planned)
}

/// Placement stability as the child's page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stability {
    /// Placement moves (new episodes with RNE P, T, U or B) in the 12 months to today. Moves into
    /// and out of temporary placements count; whether DfE's stability measure counts them is
    /// UNCONFIRMED.
    pub moves_last_12_months: usize,
    /// When the child's current placement began (legal-status-only changes do not move them).
    pub current_placement_since: Option<NaiveDate>,
    /// Days in the current placement, to today.
    pub days_in_current_placement: Option<i64>,
}

/// Placement stability from a child's episodes (oldest first).
pub fn stability(episodes: &[Episode], today: NaiveDate) -> Stability {
    let year_ago = today
        .checked_sub_months(Months::new(12))
        .expect("dates in the record are far from chrono's limits");
    let moves_last_12_months = episodes
        .iter()
        .filter(|e| is(&e.reason_new, &["P", "T", "U", "B"]))
        .filter(|e| e.started_on > year_ago && e.started_on <= today)
        .count();
    let mut since = None;
    if let Some(k) = episodes.iter().rposition(|e| e.ended_on.is_none()) {
        let mut i = k;
        while i > 0
            && is(&episodes[i].reason_new, &["L"])
            && episodes[i - 1].period_id == episodes[i].period_id
        {
            i -= 1;
        }
        since = Some(episodes[i].started_on);
    }
    Stability {
        moves_last_12_months,
        current_placement_since: since,
        days_in_current_placement: since.map(|s| (today - s).num_days()),
    }
}

#[cfg(test)]
mod tests;
