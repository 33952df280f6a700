//! One event model for every source: the case record, a CIN census or an SSDA903 return become
//! the same lists of contacts, referrals, assessments, enquiries, plans, care episodes and so on,
//! so each indicator is defined once. Children are identified by the source's own identifier (the
//! record's id, `LAchildID`, the 903 `CHILD`).

use std::collections::{BTreeSet, HashMap};

use chrono::{NaiveDate, NaiveDateTime};
use domain::extract::RecordExtract;

use crate::catalogue::Source;

#[derive(Debug, Clone, PartialEq)]
pub struct Contact {
    pub children: Vec<String>,
    pub received: NaiveDateTime,
    pub due: NaiveDate,
    pub decided: Option<NaiveDateTime>,
    pub outcome: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Referral {
    pub child: String,
    pub date: NaiveDate,
    pub closed: Option<NaiveDate>,
    pub closure_reason: Option<String>,
    pub nfa: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Assessment {
    pub child: String,
    pub start: NaiveDate,
    pub authorised: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct S47 {
    pub child: String,
    pub start: NaiveDate,
    pub icpc: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CpPlan {
    pub child: String,
    pub start: NaiveDate,
    pub end: Option<NaiveDate>,
    pub initial_category: String,
    /// The child had an earlier plan (as the source says).
    pub repeat: bool,
    pub reviews: Vec<NaiveDate>,
}

/// A care episode (903 Episodes).
#[derive(Debug, Clone, PartialEq)]
pub struct Episode {
    pub child: String,
    pub start: NaiveDate,
    pub end: Option<NaiveDate>,
    pub rne: String,
    pub ls: String,
    pub place: String,
    pub rec: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Worker {
    pub id: String,
    pub social_worker: bool,
    pub agency: bool,
    pub started: NaiveDate,
    pub left: Option<NaiveDate>,
}

/// The OC2 record of a child looked after continuously for 12 months at 31 March.
#[derive(Debug, Clone, PartialEq)]
pub struct Oc2 {
    /// The 31 March the cohort is taken at.
    pub year_end: NaiveDate,
    pub child: String,
    pub dob: Option<NaiveDate>,
    pub health_assessment: bool,
    pub teeth: bool,
    pub immunisations: bool,
    pub sdq: Option<u32>,
}

/// The OC3 record of a care leaver (the year of their 17th to 21st birthday).
#[derive(Debug, Clone, PartialEq)]
pub struct Oc3 {
    /// The 31 March ending the year of the birthday.
    pub year_end: NaiveDate,
    pub child: String,
    pub dob: Option<NaiveDate>,
    pub activity: String,
    pub accommodation: String,
}

/// A private fostering arrangement: when the council was told, when it started, when it ended,
/// and the visits at which the child was seen.
#[derive(Debug, Clone, PartialEq)]
pub struct PrivateFostering {
    pub child: String,
    pub notified: NaiveDate,
    pub starts: NaiveDate,
    pub ended: Option<NaiveDate>,
    pub seen: Vec<NaiveDate>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Events {
    pub sources: BTreeSet<Source>,
    pub contacts: Vec<Contact>,
    pub early_help: Vec<(String, NaiveDate)>,
    pub referrals: Vec<Referral>,
    pub assessments: Vec<Assessment>,
    pub s47s: Vec<S47>,
    pub cp_plans: Vec<CpPlan>,
    /// Visits at which the child was seen.
    pub visits: Vec<(String, NaiveDate)>,
    pub workers: Vec<Worker>,
    /// (child, worker, from, to).
    pub allocations: Vec<(String, String, NaiveDate, Option<NaiveDate>)>,
    pub episodes: Vec<Episode>,
    pub dob: HashMap<String, NaiveDate>,
    /// (child, start of a missing or away episode).
    pub missing: Vec<(String, NaiveDate)>,
    /// (child, social worker id, from, to).
    pub social_workers: Vec<(String, String, NaiveDate, Option<NaiveDate>)>,
    /// (child, date of the decision to place for adoption).
    pub placed_for_adoption: Vec<(String, NaiveDate)>,
    /// Personal education plan reviews: (child, date).
    pub peps: Vec<(String, NaiveDate)>,
    /// Private fostering arrangements.
    pub private_fostering: Vec<PrivateFostering>,
    /// OC2 cohorts and OC3 care leavers, of one or more years.
    pub oc2: Vec<Oc2>,
    pub oc3: Vec<Oc3>,
    /// Case file audits (the record's only: no return holds them).
    pub audits: Vec<CaseFileAudit>,
}

/// A case file audit: the child, the day it was recorded, its overall grade and each domain's
/// (as they stand after moderation).
#[derive(Debug, Clone, PartialEq)]
pub struct CaseFileAudit {
    pub child: String,
    pub on: NaiveDate,
    pub overall: domain::quality::Grade,
    pub grades: Vec<(String, domain::quality::Grade)>,
}

impl Events {
    /// The case record's events.
    pub fn from_record(x: &RecordExtract) -> Events {
        let mut e = Events {
            sources: [Source::Record].into(),
            ..Default::default()
        };
        e.contacts = x
            .contacts
            .iter()
            .map(|c| Contact {
                children: c.children.iter().map(|k| k.to_string()).collect(),
                received: c.received_at,
                due: c.decision_due,
                decided: c.decided_at,
                outcome: c.outcome.clone(),
            })
            .collect();
        e.early_help = x
            .early_help_starts
            .iter()
            .map(|(c, d)| (c.to_string(), *d))
            .collect();
        e.referrals = x
            .referrals
            .iter()
            .map(|r| Referral {
                child: r.child.to_string(),
                date: r.date,
                closed: r.closed_on,
                closure_reason: r.closure_reason.clone(),
                // No assessment started, and closed: no further action after the referral.
                nfa: r.no_assessment && r.closed_on.is_some(),
            })
            .collect();
        e.assessments = x
            .assessments
            .iter()
            .map(|a| Assessment {
                child: a.child.to_string(),
                start: a.started,
                authorised: a.authorised,
            })
            .collect();
        e.s47s = x
            .s47s
            .iter()
            .map(|s| S47 {
                child: s.child.to_string(),
                start: s.started,
                icpc: s.icpc,
            })
            .collect();
        e.cp_plans = x
            .cp_plans
            .iter()
            .map(|p| CpPlan {
                child: p.child.to_string(),
                start: p.started,
                end: p.ended,
                initial_category: p.initial_category.clone(),
                repeat: p.repeat,
                reviews: p.reviews.clone(),
            })
            .collect();
        e.visits = x
            .visits_seen
            .iter()
            .map(|(c, d, _)| (c.to_string(), *d))
            .collect();
        e.workers = x
            .workers
            .iter()
            .map(|w| Worker {
                id: w.id.to_string(),
                social_worker: w.role_title.to_lowercase().contains("social worker"),
                agency: w.agency,
                started: w.started,
                left: w.left,
            })
            .collect();
        e.allocations = x
            .allocations
            .iter()
            .map(|(c, w, f, t)| (c.to_string(), w.to_string(), *f, *t))
            .collect();
        // Children looked after and care leavers.
        e.dob = x.dobs.iter().map(|(c, d)| (c.to_string(), *d)).collect();
        e.episodes = x
            .cla_episodes
            .iter()
            .map(|p| Episode {
                child: p.child.to_string(),
                start: p.started,
                end: p.ended,
                rne: p.reason_new.clone(),
                ls: p.legal_status.clone(),
                place: p.placement.clone(),
                rec: p.reason_ceased.clone().unwrap_or_default(),
            })
            .collect();
        e.episodes
            .sort_by(|a, b| a.child.cmp(&b.child).then(a.start.cmp(&b.start)));
        e.peps = x.peps.iter().map(|(c, d)| (c.to_string(), *d)).collect();
        e.audits = x
            .audits
            .iter()
            .map(|a| CaseFileAudit {
                child: a.child.to_string(),
                on: a.audited_on,
                overall: a.overall,
                grades: a.grades.clone(),
            })
            .collect();
        e.private_fostering = x
            .private_fostering
            .iter()
            .map(|a| PrivateFostering {
                child: a.child.to_string(),
                notified: a.notified,
                starts: a.starts,
                ended: a.ended,
                seen: a.seen.clone(),
            })
            .collect();
        e.missing = x
            .cla_missing
            .iter()
            .map(|(c, d)| (c.to_string(), *d))
            .collect();
        // The record's allocations are the children's social workers.
        e.social_workers = x
            .allocations
            .iter()
            .map(|(c, w, f, t)| (c.to_string(), w.to_string(), *f, *t))
            .collect();
        // The OC2 cohorts and care leavers of every year; the report takes the latest 31 March
        // in its period.
        let march = |y: i32| NaiveDate::from_ymd_opt(y, 3, 31);
        {
            e.oc2 = x
                .cla_health
                .iter()
                .filter_map(|h| march(h.year).map(|m| (m, h)))
                .map(|(year_end, h)| Oc2 {
                    year_end,
                    child: h.child.to_string(),
                    dob: e.dob.get(&h.child.to_string()).copied(),
                    health_assessment: h.health_assessment,
                    teeth: h.dental_check,
                    immunisations: h.immunisations,
                    sdq: h.sdq_score.and_then(|s| u32::try_from(s).ok()),
                })
                .collect();
            e.oc3 = x
                .care_leavers
                .iter()
                .filter_map(|l| march(l.year).map(|m| (m, l)))
                .map(|(year_end, l)| Oc3 {
                    year_end,
                    child: l.child.to_string(),
                    dob: e.dob.get(&l.child.to_string()).copied(),
                    activity: l.activity.clone().unwrap_or_default(),
                    accommodation: l.accommodation.clone().unwrap_or_default(),
                })
                .collect();
        }
        e
    }

    /// Adds a CIN census's events (one census covers one collection year).
    pub fn add_cin(&mut self, census: &returns::cin::model::Census) {
        self.sources.insert(Source::Cin);
        for c in &census.children {
            let Some(id) = c.la_child_id.clone() else {
                continue;
            };
            if let Some(b) = c.birth_date {
                self.dob.insert(id.clone(), b);
            }
            for d in &c.cin_details {
                let Some(date) = d.referral_date else {
                    continue;
                };
                self.referrals.push(Referral {
                    child: id.clone(),
                    date,
                    closed: d.closure_date,
                    closure_reason: d.reason_for_closure.clone(),
                    nfa: d.referral_nfa == Some(true),
                });
                for a in &d.assessments {
                    if let Some(start) = a.start {
                        self.assessments.push(Assessment {
                            child: id.clone(),
                            start,
                            authorised: a.authorisation,
                        });
                    }
                }
                for s in &d.section47 {
                    if let Some(start) = s.start {
                        self.s47s.push(S47 {
                            child: id.clone(),
                            start,
                            icpc: s.date_of_initial_cpc,
                        });
                    }
                }
                for p in &d.cpps {
                    if let Some(start) = p.start {
                        self.cp_plans.push(CpPlan {
                            child: id.clone(),
                            start,
                            end: p.end,
                            initial_category: p.initial_category.clone().unwrap_or_default(),
                            repeat: p.previous_plans.is_some_and(|n| n > 0),
                            reviews: p.reviews.iter().filter_map(|r| r.date).collect(),
                        });
                    }
                }
            }
        }
    }

    /// Adds an SSDA903 return's events. `year_end` is the 31 March it describes.
    pub fn add_903(&mut self, ret: &returns::ssda903::Return, year_end: NaiveDate) {
        use returns::ssda903::{Table, rules::date};
        self.sources.insert(Source::Ssda903);
        let cell = |t: Table, r: &Vec<String>, col: &str| -> String {
            r.get(t.col(col))
                .map(|v| v.trim().to_string())
                .unwrap_or_default()
        };
        for r in ret.rows(Table::Header) {
            if let Some(d) = date(&cell(Table::Header, r, "DOB")) {
                self.dob.insert(cell(Table::Header, r, "CHILD"), d);
            }
        }
        let t = Table::Episodes;
        for r in ret.rows(t) {
            let Some(start) = date(&cell(t, r, "DECOM")) else {
                continue;
            };
            self.episodes.push(Episode {
                child: cell(t, r, "CHILD"),
                start,
                end: date(&cell(t, r, "DEC")),
                rne: cell(t, r, "RNE").to_uppercase(),
                ls: cell(t, r, "LS").to_uppercase(),
                place: cell(t, r, "PLACE").to_uppercase(),
                rec: cell(t, r, "REC").to_uppercase(),
            });
        }
        self.episodes
            .sort_by(|a, b| a.child.cmp(&b.child).then(a.start.cmp(&b.start)));
        let t = Table::Missing;
        for r in ret.rows(t) {
            if let Some(s) = date(&cell(t, r, "MIS_START")) {
                self.missing.push((cell(t, r, "CHILD"), s));
            }
        }
        let t = Table::SwEpisodes;
        for r in ret.rows(t) {
            if let Some(s) = date(&cell(t, r, "SW_DECOM")) {
                self.social_workers.push((
                    cell(t, r, "CHILD"),
                    cell(t, r, "SW_ID"),
                    s,
                    date(&cell(t, r, "SW_DEC")),
                ));
            }
        }
        let t = Table::PlacedAdoption;
        for r in ret.rows(t) {
            if let Some(s) = date(&cell(t, r, "DATE_PLACED")) {
                self.placed_for_adoption.push((cell(t, r, "CHILD"), s));
            }
        }
        let flag = |v: String| v == "1";
        let t = Table::Oc2;
        for r in ret.rows(t) {
            self.oc2.push(Oc2 {
                year_end,
                child: cell(t, r, "CHILD"),
                dob: date(&cell(t, r, "DOB")),
                health_assessment: flag(cell(t, r, "HEALTH_ASSESSMENT")),
                teeth: flag(cell(t, r, "TEETH_CHECK")),
                immunisations: flag(cell(t, r, "IMMUNISATIONS")),
                sdq: cell(t, r, "SDQ_SCORE").parse().ok().filter(|n| *n <= 40),
            });
        }
        let t = Table::Oc3;
        for r in ret.rows(t) {
            self.oc3.push(Oc3 {
                year_end,
                child: cell(t, r, "CHILD"),
                dob: date(&cell(t, r, "DOB")),
                activity: cell(t, r, "ACTIV").to_uppercase(),
                accommodation: cell(t, r, "ACCOM").to_uppercase(),
            });
        }
    }
}
