//! Adoption, as the agency records it: the decision that the child should be placed for adoption
//! (the agency decision maker's, which is also the date adoption was decided to be in the child's
//! best interests: 903 rule 523), its reversal when the child should no longer be placed (with
//! the reason, RD1–RD4), and the match with adopters (the 903's AD1 items). The placement order
//! is a change of legal status to E1, the placement with adopters a placement move to A3–A6 and
//! the adoption order ceasing care with E11 or E12: those are episodes of care
//! ([`super::care`]), which check against the decisions here so the return is always right.
//!
//! Codes are the SSDA903's (specs/statutory-data.md §1.4, "Adoption items", REASON_PLACED_CEASED);
//! each check cites its 903 rule.

use std::sync::OnceLock;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::Episode;
use crate::codes::{CodeList, always};
use crate::validate::FieldError;

/// The adopters' sexes (SEX_ADOPTR).
pub fn adopters_sex() -> &'static CodeList {
    static L: OnceLock<CodeList> = OnceLock::new();
    L.get_or_init(|| CodeList {
        name: "adopters' sex",
        codes: vec![
            always("M1", "Single male adopter"),
            always("F1", "Single female adopter"),
            always("MM", "Male couple"),
            always("FF", "Female couple"),
            always("MF", "Male and female couple"),
        ],
    })
}

/// The adopters' legal status (LS_ADOPTR).
pub fn adopters_legal_status() -> &'static CodeList {
    static L: OnceLock<CodeList> = OnceLock::new();
    L.get_or_init(|| CodeList {
        name: "adopters' legal status",
        codes: vec![
            always("L0", "Single adopter"),
            always("L11", "Married couple, different genders"),
            always("L12", "Married couple, same gender"),
            always("L2", "Civil partners"),
            always("L3", "Unmarried couple, different genders"),
            always("L4", "Unmarried couple, same gender"),
        ],
    })
}

/// Why the child should no longer be placed for adoption (REASON_PLACED_CEASED).
pub fn reason_no_longer_placed() -> &'static CodeList {
    static L: OnceLock<CodeList> = OnceLock::new();
    L.get_or_init(|| CodeList {
        name: "reason the child should no longer be placed for adoption",
        codes: vec![
            always("RD1", "The child's needs changed"),
            always("RD2", "The court did not make a placement order"),
            always("RD3", "Prospective adopters could not be found"),
            always("RD4", "Any other reason"),
        ],
    })
}

/// The match with adopters, on a decision to place.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AdoptionMatch {
    pub id: Uuid,
    pub decision_id: Uuid,
    pub matched_on: NaiveDate,
    /// 1 or 2 (NB_ADOPTR).
    pub adopters: i32,
    /// SEX_ADOPTR.
    pub adopters_sex: String,
    /// LS_ADOPTR.
    pub adopters_legal_status: String,
    /// Adopted by the child's former foster carers (FOSTER_CARE).
    pub foster_carers: bool,
}

/// A decision that the child should be placed for adoption, with its end and the match.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AdoptionDecision {
    pub id: Uuid,
    pub child_id: Uuid,
    pub decided_on: NaiveDate,
    /// When it was decided the child should no longer be placed.
    pub ceased_on: Option<NaiveDate>,
    /// RD1–RD4, with `ceased_on`.
    pub reason_ceased: Option<String>,
    #[serde(rename = "match")]
    pub matched: Option<AdoptionMatch>,
}

/// A decision to place as it is corrected: its date, and when and why it ceased (the match with
/// adopters is its own record).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DecisionDates {
    pub decided_on: NaiveDate,
    #[serde(default)]
    pub ceased_on: Option<NaiveDate>,
    /// RD1–RD4, with `ceased_on`.
    #[serde(default)]
    pub reason_ceased: Option<String>,
}

impl DecisionDates {
    /// Dates not in the future, the end on or after the decision, an end with its reason (a
    /// code of REASON_PLACED_CEASED) and a reason with its end.
    pub fn validate(&self, today: NaiveDate) -> Vec<FieldError> {
        let mut e = Vec::new();
        if self.decided_on > today {
            e.push(FieldError::new(
                "decided",
                "The date of the decision must be today or in the past",
            ));
        }
        let reason = self
            .reason_ceased
            .as_deref()
            .map(str::trim)
            .filter(|r| !r.is_empty());
        match (self.ceased_on, reason) {
            (Some(c), _) if c > today => e.push(FieldError::new(
                "ceased",
                "The date the child should no longer be placed must be today or in the past",
            )),
            (Some(c), _) if c < self.decided_on => e.push(FieldError::new(
                "ceased",
                "The date the child should no longer be placed must be on or after the decision",
            )),
            (Some(_), None) => e.push(FieldError::new(
                "reason_ceased",
                "Select why the child should no longer be placed for adoption",
            )),
            (None, Some(_)) => e.push(FieldError::new(
                "ceased",
                "Enter the date the child should no longer be placed, or leave the reason blank",
            )),
            _ => {}
        }
        if let Some(r) = reason
            && !reason_no_longer_placed().is_valid(r, 0)
        {
            e.push(FieldError::new(
                "reason_ceased",
                "Select why the child should no longer be placed for adoption",
            ));
        }
        e
    }
}

impl From<&AdoptionDecision> for DecisionDates {
    fn from(d: &AdoptionDecision) -> Self {
        DecisionDates {
            decided_on: d.decided_on,
            ceased_on: d.ceased_on,
            reason_ceased: d.reason_ceased.clone(),
        }
    }
}

/// The decision in force (not reversed), if any: at most one is (903 rules 579, 583).
pub fn open_decision(decisions: &[AdoptionDecision]) -> Option<&AdoptionDecision> {
    decisions.iter().rev().find(|d| d.ceased_on.is_none())
}

/// What is being recorded.
pub const STEP_KINDS: &[(&str, &str)] = &[
    (
        "decision",
        "The decision that the child should be placed for adoption",
    ),
    ("match", "The match with adopters"),
    (
        "reversal",
        "The decision that the child should no longer be placed for adoption",
    ),
];

/// A step of the adoption journey: a decision to place, the match, or a reversal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AdoptionStep {
    /// "decision", "match" or "reversal".
    pub kind: String,
    /// The date of the decision, the match or the reversal.
    pub on: NaiveDate,
    /// For a match: 1 or 2 adopters.
    #[serde(default)]
    pub adopters: Option<i32>,
    /// For a match: SEX_ADOPTR.
    #[serde(default)]
    pub adopters_sex: String,
    /// For a match: LS_ADOPTR.
    #[serde(default)]
    pub adopters_legal_status: String,
    /// For a match: whether the adopters are the child's foster carers.
    #[serde(default)]
    pub foster_carers: Option<bool>,
    /// For a reversal: RD1–RD4.
    #[serde(default)]
    pub reason: String,
}

/// What the checks need: today, the child's episodes (oldest first) and their decisions.
#[derive(Debug, Clone, Copy)]
pub struct AdoptionContext<'a> {
    pub today: NaiveDate,
    pub episodes: &'a [Episode],
    pub decisions: &'a [AdoptionDecision],
}

fn fmt(d: NaiveDate) -> String {
    d.format("%-d %B %Y").to_string()
}

/// Whether a number of adopters, their sexes and their legal status agree (511, 514–524).
fn adopters_agree(n: i32, sex: &str, ls: &str) -> Option<&'static str> {
    let single = matches!(sex, "M1" | "F1");
    if (n == 2) == single {
        return Some("The adopters' sex does not match the number of adopters");
    }
    let fits = match ls {
        "L0" => single,
        "L3" | "L11" => sex == "MF",
        "L4" | "L12" => matches!(sex, "MM" | "FF"),
        "L2" => !single,
        _ => true,
    };
    (!fits).then_some("The adopters' legal status does not match their sexes")
}

/// The adopters: one or two, their sexes and legal status agreeing (511, 514–524), and whether
/// they are the child's foster carers.
fn check_adopters(
    e: &mut Vec<FieldError>,
    adopters: Option<i32>,
    sex: &str,
    ls: &str,
    foster_carers: Option<bool>,
) {
    let n = adopters;
    if !matches!(n, Some(1 | 2)) {
        e.push(FieldError::new(
            "adopters",
            "Select whether there are one or two adopters",
        ));
    }
    let sex = sex.trim().to_uppercase();
    let ls = ls.trim().to_uppercase();
    let sex_ok = adopters_sex().is_valid(&sex, 0);
    let ls_ok = adopters_legal_status().is_valid(&ls, 0);
    if !sex_ok {
        e.push(FieldError::new("adopters_sex", "Select the adopters' sex"));
    }
    if !ls_ok {
        e.push(FieldError::new(
            "adopters_legal_status",
            "Select the adopters' legal status",
        ));
    }
    if let (Some(n @ (1 | 2)), true, true) = (n, sex_ok, ls_ok)
        && let Some(msg) = adopters_agree(n, &sex, &ls)
    {
        let field = if msg.contains("number") {
            "adopters_sex"
        } else {
            "adopters_legal_status"
        };
        e.push(FieldError::new(field, msg));
    }
    if foster_carers.is_none() {
        e.push(FieldError::new(
            "foster_carers",
            "Select whether the adopters are the child's foster carers",
        ));
    }
}

/// A match with adopters as it is corrected (the decision it is on is not changed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MatchDetails {
    pub matched_on: NaiveDate,
    pub adopters: i32,
    pub adopters_sex: String,
    pub adopters_legal_status: String,
    pub foster_carers: bool,
}

impl MatchDetails {
    pub fn validate(&self, today: NaiveDate) -> Vec<FieldError> {
        let mut e = Vec::new();
        if self.matched_on > today {
            e.push(FieldError::new(
                "matched",
                "The date of the match must be today or in the past",
            ));
        }
        check_adopters(
            &mut e,
            Some(self.adopters),
            &self.adopters_sex,
            &self.adopters_legal_status,
            Some(self.foster_carers),
        );
        e
    }
}

impl From<&AdoptionMatch> for MatchDetails {
    fn from(m: &AdoptionMatch) -> Self {
        MatchDetails {
            matched_on: m.matched_on,
            adopters: m.adopters,
            adopters_sex: m.adopters_sex.clone(),
            adopters_legal_status: m.adopters_legal_status.clone(),
            foster_carers: m.foster_carers,
        }
    }
}

impl AdoptionStep {
    pub fn validate(&self, ctx: &AdoptionContext<'_>) -> Vec<FieldError> {
        let mut e = Vec::new();
        let on = self.on;
        if on > ctx.today {
            e.push(FieldError::new(
                "on",
                "The date must be today or in the past",
            ));
        }
        let open = open_decision(ctx.decisions);
        match self.kind.as_str() {
            "decision" => {
                // A decision about a child in care: on or after the current period began.
                let current = ctx.episodes.iter().rev().find(|x| x.ended_on.is_none());
                let period_start = current.and_then(|c| {
                    ctx.episodes
                        .iter()
                        .filter(|x| x.period_id == c.period_id)
                        .map(|x| x.started_on)
                        .min()
                });
                match period_start {
                    None => e.push(FieldError::new(
                        "on",
                        "The child is not looked after: a decision to place for adoption is for a child in care",
                    )),
                    Some(s) if on < s => e.push(FieldError::new(
                        "on",
                        format!(
                            "The date of the decision must be on or after the child entered care ({})",
                            fmt(s)
                        ),
                    )),
                    Some(_) => {}
                }
                // 579, 583: one decision at a time, each after the last was reversed.
                if let Some(d) = open {
                    e.push(FieldError::new(
                        "kind",
                        format!(
                            "A decision to place for adoption made on {} is still in force: record its reversal first",
                            fmt(d.decided_on)
                        ),
                    ));
                } else if let Some(last) = ctx.decisions.iter().filter_map(|d| d.ceased_on).max()
                    && on < last
                {
                    e.push(FieldError::new(
                        "on",
                        format!(
                            "The date of the decision must be on or after the last decision was reversed ({})",
                            fmt(last)
                        ),
                    ));
                }
            }
            "match" => {
                let Some(d) = open else {
                    e.push(FieldError::new(
                        "kind",
                        "There is no decision to place for adoption in force: record the decision first",
                    ));
                    return e;
                };
                if d.matched.is_some() {
                    e.push(FieldError::new(
                        "kind",
                        "The child is already matched with adopters on this decision",
                    ));
                }
                if on < d.decided_on {
                    e.push(FieldError::new(
                        "on",
                        format!(
                            "The date of the match must be on or after the decision to place ({})",
                            fmt(d.decided_on)
                        ),
                    ));
                }
                check_adopters(
                    &mut e,
                    self.adopters,
                    &self.adopters_sex,
                    &self.adopters_legal_status,
                    self.foster_carers,
                );
            }
            "reversal" => {
                let Some(d) = open else {
                    e.push(FieldError::new(
                        "kind",
                        "There is no decision to place for adoption in force to reverse",
                    ));
                    return e;
                };
                // 522: a decision stops on or after it was made.
                if on < d.decided_on {
                    e.push(FieldError::new(
                        "on",
                        format!(
                            "The date must be on or after the decision to place ({})",
                            fmt(d.decided_on)
                        ),
                    ));
                }
                if !reason_no_longer_placed().is_valid(self.reason.trim(), 0) {
                    e.push(FieldError::new(
                        "reason",
                        "Select why the child should no longer be placed for adoption",
                    ));
                }
                // A child placed with adopters leaves that placement before the plan ends.
                if let Some(c) = ctx.episodes.iter().rev().find(|x| x.ended_on.is_none())
                    && super::care::is(&c.placement, super::care::PLACED_FOR_ADOPTION)
                {
                    e.push(FieldError::new(
                        "kind",
                        "The child is placed for adoption: record the placement move first",
                    ));
                }
            }
            _ => e.push(FieldError::new("kind", "Select what you are recording")),
        }
        e
    }
}

/// The care checks that depend on adoption (the 903's adoption rules), for a new episode with
/// placement `place` and legal status `ls` from `on`: placed for adoption (A3–A6) or under a
/// placement order (E1) only with a decision to place in force made on or before (551, 552, 553,
/// 554, 521).
pub fn episode_checks(
    e: &mut Vec<FieldError>,
    decisions: &[AdoptionDecision],
    place: &str,
    ls: &str,
    on: NaiveDate,
    changes_placement: bool,
    changes_legal_status: bool,
) {
    use super::care::{PLACED_FOR_ADOPTION, is};
    let open = open_decision(decisions);
    let checks = [
        (
            changes_placement && is(place, PLACED_FOR_ADOPTION),
            "placement",
            "A placement for adoption",
        ),
        (
            changes_legal_status && is(ls, &["E1"]),
            "legal_status",
            "A placement order",
        ),
    ];
    for (applies, field, what) in checks {
        if !applies {
            continue;
        }
        match open {
            None => e.push(FieldError::new(
                field,
                format!("{what} needs the decision that the child should be placed for adoption: record it first"),
            )),
            Some(d) if d.decided_on > on => e.push(FieldError::new(
                field,
                format!(
                    "{what} must be on or after the decision to place for adoption ({})",
                    fmt(d.decided_on)
                ),
            )),
            Some(_) => {}
        }
    }
}

/// The ceasing-care checks that depend on adoption: an adopted child (E11, E12) was matched
/// before the adoption order, on the decision in force (601, 582, 558); a child with a decision
/// in force who leaves care otherwise needs the reversal recorded first (557).
pub fn cease_checks(
    e: &mut Vec<FieldError>,
    decisions: &[AdoptionDecision],
    rec: &str,
    on: NaiveDate,
) {
    use super::care::is;
    let open = open_decision(decisions);
    if is(rec, &["E11", "E12"]) {
        match open.and_then(|d| d.matched.as_ref()) {
            None => e.push(FieldError::new(
                "reason_ceased",
                "An adoption needs the decision to place and the match with adopters: record them first",
            )),
            Some(m) if m.matched_on >= on => e.push(FieldError::new(
                "ended",
                format!(
                    "The adoption order must be after the match with adopters ({})",
                    fmt(m.matched_on)
                ),
            )),
            Some(_) => {}
        }
    } else if !rec.is_empty()
        && let Some(d) = open
    {
        e.push(FieldError::new(
            "reason_ceased",
            format!(
                "The decision to place for adoption of {} is in force: record that the child should no longer be placed for adoption first",
                fmt(d.decided_on)
            ),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn episode(from: NaiveDate, place: &str, ls: &str) -> Episode {
        Episode {
            id: Uuid::nil(),
            period_id: Uuid::nil(),
            child_id: Uuid::nil(),
            started_on: from,
            ended_on: None,
            reason_new: "S".into(),
            legal_status: ls.into(),
            placement: place.into(),
            provider: Some("PR1".into()),
            placement_postcode: None,
            urn: None,
            reason_ceased: None,
            reason_place_change: None,
        }
    }

    fn step(kind: &str, on: NaiveDate) -> AdoptionStep {
        AdoptionStep {
            kind: kind.into(),
            on,
            adopters: Some(2),
            adopters_sex: "MF".into(),
            adopters_legal_status: "L11".into(),
            foster_carers: Some(false),
            reason: "RD3".into(),
        }
    }

    fn decision(
        on: NaiveDate,
        ceased: Option<NaiveDate>,
        matched: Option<NaiveDate>,
    ) -> AdoptionDecision {
        AdoptionDecision {
            id: Uuid::nil(),
            child_id: Uuid::nil(),
            decided_on: on,
            ceased_on: ceased,
            reason_ceased: ceased.map(|_| "RD1".into()),
            matched: matched.map(|m| AdoptionMatch {
                id: Uuid::nil(),
                decision_id: Uuid::nil(),
                matched_on: m,
                adopters: 1,
                adopters_sex: "F1".into(),
                adopters_legal_status: "L0".into(),
                foster_carers: false,
            }),
        }
    }

    fn fields(e: &[FieldError]) -> Vec<&str> {
        e.iter().map(|x| x.field.as_str()).collect()
    }

    #[test]
    fn a_decision_is_for_a_child_in_care_one_at_a_time() {
        let today = day(2026, 3, 1);
        let eps = [episode(day(2025, 4, 7), "U4", "C2")];
        let ctx = |d: &'static [AdoptionDecision]| AdoptionContext {
            today,
            episodes: &eps,
            decisions: d,
        };
        assert!(
            step("decision", day(2025, 6, 1))
                .validate(&ctx(&[]))
                .is_empty()
        );
        // Before care began.
        assert_eq!(
            fields(&step("decision", day(2025, 4, 6)).validate(&ctx(&[]))),
            ["on"]
        );
        // Not in care.
        let none = AdoptionContext {
            today,
            episodes: &[],
            decisions: &[],
        };
        assert_eq!(
            fields(&step("decision", day(2025, 6, 1)).validate(&none)),
            ["on"]
        );
        // One in force already (579/583), or dated before the last reversal.
        let open = vec![decision(day(2025, 5, 1), None, None)];
        let e = step("decision", day(2025, 6, 1)).validate(&AdoptionContext {
            today,
            episodes: &eps,
            decisions: &open,
        });
        assert_eq!(fields(&e), ["kind"]);
        let reversed = vec![decision(day(2025, 5, 1), Some(day(2025, 8, 1)), None)];
        let e = step("decision", day(2025, 7, 1)).validate(&AdoptionContext {
            today,
            episodes: &eps,
            decisions: &reversed,
        });
        assert_eq!(fields(&e), ["on"]);
        // The future.
        let e = step("decision", day(2026, 3, 2)).validate(&ctx(&[]));
        assert_eq!(fields(&e), ["on"]);
    }

    #[test]
    fn a_match_follows_the_decision_with_adopters_who_agree() {
        let today = day(2026, 3, 1);
        let eps = [episode(day(2025, 4, 7), "U4", "E1")];
        let open = vec![decision(day(2025, 5, 1), None, None)];
        let ctx = AdoptionContext {
            today,
            episodes: &eps,
            decisions: &open,
        };
        assert!(step("match", day(2025, 9, 1)).validate(&ctx).is_empty());
        assert_eq!(
            fields(&step("match", day(2025, 4, 30)).validate(&ctx)),
            ["on"]
        );
        // 511: two adopters are a couple; 514: L0 is a single adopter; 520: L11 is MF.
        let mut s = step("match", day(2025, 9, 1));
        s.adopters_sex = "F1".into();
        assert_eq!(fields(&s.validate(&ctx)), ["adopters_sex"]);
        let mut s = step("match", day(2025, 9, 1));
        s.adopters_sex = "FF".into();
        assert_eq!(fields(&s.validate(&ctx)), ["adopters_legal_status"]);
        let mut s = step("match", day(2025, 9, 1));
        s.adopters = None;
        s.foster_carers = None;
        s.adopters_sex = "X".into();
        assert_eq!(
            fields(&s.validate(&ctx)),
            ["adopters", "adopters_sex", "foster_carers"]
        );
        // No decision, or matched already.
        let none = AdoptionContext {
            today,
            episodes: &eps,
            decisions: &[],
        };
        assert_eq!(
            fields(&step("match", day(2025, 9, 1)).validate(&none)),
            ["kind"]
        );
        let matched = vec![decision(day(2025, 5, 1), None, Some(day(2025, 8, 1)))];
        let ctx = AdoptionContext {
            today,
            episodes: &eps,
            decisions: &matched,
        };
        assert_eq!(
            fields(&step("match", day(2025, 9, 1)).validate(&ctx)),
            ["kind"]
        );
    }

    #[test]
    fn a_reversal_ends_the_decision_in_force() {
        let today = day(2026, 3, 1);
        let eps = [episode(day(2025, 4, 7), "U4", "C2")];
        let open = vec![decision(day(2025, 5, 1), None, None)];
        let ctx = AdoptionContext {
            today,
            episodes: &eps,
            decisions: &open,
        };
        assert!(step("reversal", day(2025, 5, 1)).validate(&ctx).is_empty());
        // 522.
        assert_eq!(
            fields(&step("reversal", day(2025, 4, 30)).validate(&ctx)),
            ["on"]
        );
        let mut s = step("reversal", day(2025, 6, 1));
        s.reason = "RD9".into();
        assert_eq!(fields(&s.validate(&ctx)), ["reason"]);
        // Placed with adopters: move the child first.
        let placed = [episode(day(2025, 4, 7), "A4", "E1")];
        let ctx = AdoptionContext {
            today,
            episodes: &placed,
            decisions: &open,
        };
        assert_eq!(
            fields(&step("reversal", day(2025, 6, 1)).validate(&ctx)),
            ["kind"]
        );
        let none = AdoptionContext {
            today,
            episodes: &eps,
            decisions: &[],
        };
        assert_eq!(
            fields(&step("reversal", day(2025, 6, 1)).validate(&none)),
            ["kind"]
        );
    }

    #[test]
    fn placements_for_adoption_and_orders_need_the_decision() {
        let open = vec![decision(day(2025, 5, 1), None, None)];
        let mut e = Vec::new();
        episode_checks(&mut e, &[], "A4", "E1", day(2025, 6, 1), true, true);
        assert_eq!(fields(&e), ["placement", "legal_status"]);
        let mut e = Vec::new();
        episode_checks(&mut e, &open, "A4", "E1", day(2025, 4, 1), true, true);
        assert_eq!(fields(&e), ["placement", "legal_status"]);
        let mut e = Vec::new();
        episode_checks(&mut e, &open, "A4", "E1", day(2025, 5, 1), true, true);
        assert!(e.is_empty());
        // A legal status change under an existing adoptive placement checks only the order.
        let mut e = Vec::new();
        episode_checks(&mut e, &[], "A4", "C2", day(2025, 6, 1), false, true);
        assert!(e.is_empty());
    }

    #[test]
    fn adoption_ends_care_after_the_match_and_other_endings_need_the_reversal() {
        let matched = vec![decision(day(2025, 5, 1), None, Some(day(2025, 8, 1)))];
        let unmatched = vec![decision(day(2025, 5, 1), None, None)];
        let mut e = Vec::new();
        cease_checks(&mut e, &matched, "E11", day(2026, 1, 10));
        assert!(e.is_empty());
        let mut e = Vec::new();
        cease_checks(&mut e, &matched, "E12", day(2025, 8, 1));
        assert_eq!(fields(&e), ["ended"]);
        let mut e = Vec::new();
        cease_checks(&mut e, &unmatched, "E11", day(2026, 1, 10));
        assert_eq!(fields(&e), ["reason_ceased"]);
        let mut e = Vec::new();
        cease_checks(&mut e, &unmatched, "E4A", day(2026, 1, 10));
        assert_eq!(fields(&e), ["reason_ceased"]);
        let mut e = Vec::new();
        cease_checks(&mut e, &[], "E4A", day(2026, 1, 10));
        assert!(e.is_empty());
    }
}
