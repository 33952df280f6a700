//! Quality assurance: case file audits. An audit programme has a theme, a scope (a team, the
//! whole service, or a stage of the journey), a period and its auditors; its sample is drawn at
//! random from a recorded seed (so it can be drawn again) or chosen. Each audit grades the
//! council's template of domains (kept in the database, changed without code), with evidence,
//! an overall grade, the conversation with the worker and the views of the child or family. A
//! second auditor moderates (agrees, or changes grades with a reason, kept); learning actions
//! follow for a worker with a due date. An auditor never audits a case they hold or manage.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::validate::FieldError;

/// The four grades Ofsted uses, best first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Grade {
    Outstanding,
    Good,
    RequiresImprovement,
    Inadequate,
}

impl Grade {
    pub const ALL: [Grade; 4] = [
        Grade::Outstanding,
        Grade::Good,
        Grade::RequiresImprovement,
        Grade::Inadequate,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Grade::Outstanding => "outstanding",
            Grade::Good => "good",
            Grade::RequiresImprovement => "requires_improvement",
            Grade::Inadequate => "inadequate",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Grade::Outstanding => "Outstanding",
            Grade::Good => "Good",
            Grade::RequiresImprovement => "Requires improvement",
            Grade::Inadequate => "Inadequate",
        }
    }
    pub fn parse(s: &str) -> Option<Grade> {
        Grade::ALL.into_iter().find(|g| g.as_str() == s)
    }
    /// Good or outstanding: the share an improvement board watches.
    pub fn good_or_better(self) -> bool {
        matches!(self, Grade::Outstanding | Grade::Good)
    }
}

/// Which cases a programme audits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ScopeKind {
    /// Children allocated to a worker in one team.
    Team,
    /// Every child allocated to a worker.
    Service,
    /// Children on a child protection plan during the period.
    CpPlans,
    /// Children in care during the period.
    InCare,
    /// Children whose front-door contact was decided in the period.
    Contacts,
}

impl ScopeKind {
    pub const ALL: [ScopeKind; 5] = [
        ScopeKind::Team,
        ScopeKind::Service,
        ScopeKind::CpPlans,
        ScopeKind::InCare,
        ScopeKind::Contacts,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            ScopeKind::Team => "team",
            ScopeKind::Service => "service",
            ScopeKind::CpPlans => "cp_plans",
            ScopeKind::InCare => "in_care",
            ScopeKind::Contacts => "contacts",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            ScopeKind::Team => "Children allocated in one team",
            ScopeKind::Service => "Children allocated across the service",
            ScopeKind::CpPlans => "Children on child protection plans in the period",
            ScopeKind::InCare => "Children in care in the period",
            ScopeKind::Contacts => "Front-door contacts decided in the period",
        }
    }
    pub fn parse(s: &str) -> Option<ScopeKind> {
        ScopeKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// How the sample is drawn.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "method")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Sampling {
    /// `size` cases at random from the eligible cases, drawn from `seed` (recorded, so the
    /// same seed and the same eligible cases draw the same sample).
    Random { size: u32, seed: u64 },
    /// Cases chosen by the quality lead.
    Chosen { children: Vec<Uuid> },
}

/// A programme as entered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewProgramme {
    pub theme: String,
    pub scope: ScopeKind,
    /// The team, for a team scope.
    pub team_id: Option<Uuid>,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    /// The auditors' user ids.
    pub auditors: Vec<Uuid>,
    pub sampling: Sampling,
}

/// The most cases one programme samples.
pub const MAX_SAMPLE: u32 = 200;

impl NewProgramme {
    pub fn validate(&self) -> Vec<FieldError> {
        let mut e = Vec::new();
        if self.theme.trim().is_empty() {
            e.push(FieldError::new("theme", "Enter the theme of the audit"));
        }
        if self.scope == ScopeKind::Team && self.team_id.is_none() {
            e.push(FieldError::new("team_id", "Select the team to audit"));
        }
        if self.period_end < self.period_start {
            e.push(FieldError::new(
                "period_end",
                "The end of the period must be on or after its start",
            ));
        }
        if self.auditors.is_empty() {
            e.push(FieldError::new("auditors", "Select at least one auditor"));
        }
        match &self.sampling {
            Sampling::Random { size, .. } if *size == 0 || *size > MAX_SAMPLE => {
                e.push(FieldError::new(
                    "size",
                    format!("Enter a sample size from 1 to {MAX_SAMPLE}"),
                ))
            }
            Sampling::Chosen { children } if children.is_empty() => {
                e.push(FieldError::new("children", "Choose at least one case"))
            }
            _ => {}
        }
        e
    }
}

/// Draws `size` of the eligible cases from `seed`: the eligible cases are put in order first
/// (so the order they were read in does not matter), then a partial Fisher–Yates shuffle picks
/// the sample, in the order drawn. Fewer eligible cases than `size`: all of them.
pub fn draw_sample(eligible: &[Uuid], size: u32, seed: u64) -> Vec<Uuid> {
    let mut cases: Vec<Uuid> = eligible.to_vec();
    cases.sort();
    cases.dedup();
    let take = (size as usize).min(cases.len());
    let mut rng = crate::rng::Rng::new(seed);
    for i in 0..take {
        let j = i + rng.below((cases.len() - i) as u64) as usize;
        cases.swap(i, j);
    }
    cases.truncate(take);
    cases
}

/// Who an auditor is, for the conflict-of-interest rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditorFacts {
    pub user_id: Uuid,
    /// The worker the auditor is, when they are one.
    pub worker_id: Option<Uuid>,
    /// The teams the auditor manages (a team manager's own team).
    pub manages_teams: Vec<Uuid>,
}

/// Who holds a case: its allocated workers and their teams.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CaseHolders {
    pub workers: Vec<Uuid>,
    pub teams: Vec<Uuid>,
}

/// Why an auditor may not audit a case: they hold it (an allocated worker) or manage it (the
/// manager of an allocated worker's team). None when they may.
pub fn conflict_of_interest(auditor: &AuditorFacts, case: &CaseHolders) -> Option<&'static str> {
    if auditor.worker_id.is_some_and(|w| case.workers.contains(&w)) {
        Some("An auditor may not audit a case allocated to them")
    } else if auditor.manages_teams.iter().any(|t| case.teams.contains(t)) {
        Some("An auditor may not audit a case held in a team they manage")
    } else {
        None
    }
}

/// A programme as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Programme {
    pub id: Uuid,
    pub theme: String,
    pub scope: ScopeKind,
    pub team_id: Option<Uuid>,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    /// "random" or "chosen".
    pub method: String,
    /// The recorded seed of a random sample.
    pub seed: Option<u64>,
    pub size: Option<u32>,
    pub auditors: Vec<Uuid>,
    pub sample: Vec<SampledCase>,
    pub created_at: DateTime<Utc>,
}

/// One case in a programme's sample, with the auditor assigned to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SampledCase {
    pub child_id: Uuid,
    pub child_name: String,
    pub auditor_id: Uuid,
    pub auditor_name: String,
    /// The audit of the case, once recorded.
    pub audit_id: Option<Uuid>,
}

/// One domain of the council's audit template.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TemplateDomain {
    /// A short name that does not change ("voice_of_child").
    pub key: String,
    pub label: String,
    /// What the auditor looks for.
    pub hint: String,
    pub position: i32,
    pub active: bool,
}

impl TemplateDomain {
    pub fn validate(&self) -> Vec<FieldError> {
        let mut e = Vec::new();
        if self.key.is_empty() || !self.key.chars().all(|c| c.is_ascii_lowercase() || c == '_') {
            e.push(FieldError::new(
                "key",
                "Enter a short name in lower case letters and underscores",
            ));
        }
        if self.label.trim().is_empty() {
            e.push(FieldError::new("label", "Enter the domain's name"));
        }
        e
    }
}

/// A domain's label inside a sentence: its first letter in lower case, unless it begins an
/// abbreviation ("SMART plans").
pub fn in_sentence(label: &str) -> String {
    let mut chars = label.chars();
    match (chars.next(), chars.next()) {
        (Some(a), Some(b)) if !b.is_uppercase() => a
            .to_lowercase()
            .chain(label[a.len_utf8()..].chars())
            .collect(),
        _ => label.to_string(),
    }
}

/// The template the council starts with: its domains can be changed, added or retired
/// without code (they are rows of `audit_domain`).
pub const DEFAULT_DOMAINS: &[(&str, &str)] = &[
    ("management_oversight", "Management oversight and direction"),
    (
        "voice_of_child",
        "The voice of the child, including pre-verbal children",
    ),
    ("smart_plans", "SMART plans"),
    ("timeliness", "Timeliness"),
    ("multi_agency", "Multi-agency working"),
    ("risk", "Risk"),
    ("impact", "Impact for the child"),
];

/// One domain's grade with its evidence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DomainGrade {
    pub domain: String,
    pub grade: Grade,
    pub evidence: String,
}

/// An audit as entered by its auditor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewAudit {
    pub child_id: Uuid,
    pub grades: Vec<DomainGrade>,
    pub overall: Grade,
    /// The conversation with the worker about the audit.
    pub worker_conversation: String,
    /// The views of the child or family, where gathered.
    pub family_views: String,
}

impl NewAudit {
    /// Every active domain of the template graded once, with evidence; nothing else graded.
    pub fn validate(&self, template: &[TemplateDomain]) -> Vec<FieldError> {
        let mut e = Vec::new();
        for d in template.iter().filter(|d| d.active) {
            let field = format!("grade_{}", d.key);
            match self.grades.iter().find(|g| g.domain == d.key) {
                None => e.push(FieldError::new(
                    &field,
                    format!("Select a grade for {}", in_sentence(&d.label)),
                )),
                Some(g) if g.evidence.trim().is_empty() => e.push(FieldError::new(
                    &format!("evidence_{}", d.key),
                    format!("Enter the evidence for {}", in_sentence(&d.label)),
                )),
                _ => {}
            }
        }
        for (i, g) in self.grades.iter().enumerate() {
            if !template.iter().any(|d| d.active && d.key == g.domain) {
                e.push(FieldError::new(
                    "grades",
                    format!("{} is not a domain of the audit template", g.domain),
                ));
            } else if self.grades[..i].iter().any(|h| h.domain == g.domain) {
                e.push(FieldError::new(
                    "grades",
                    format!("{} is graded more than once", g.domain),
                ));
            }
        }
        if self.worker_conversation.trim().is_empty() {
            e.push(FieldError::new(
                "worker_conversation",
                "Enter what was discussed with the worker",
            ));
        }
        e
    }
}

/// A change of grade made in moderation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GradeChange {
    /// A domain's key, or "overall".
    pub domain: String,
    pub from: Grade,
    pub to: Grade,
}

/// A second auditor's moderation: agreed (no changes), or grades changed, with a reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewModeration {
    /// The grades the moderator gives (domain key or "overall" to grade); only those that
    /// differ are changes.
    pub grades: Vec<ModeratedGrade>,
    pub reason: String,
}

/// A grade a moderator gives: a domain's key, or "overall".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ModeratedGrade {
    pub domain: String,
    pub grade: Grade,
}

/// A moderation as kept with the audit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Moderation {
    pub id: Uuid,
    pub moderator_id: Uuid,
    pub agreed: bool,
    pub changes: Vec<GradeChange>,
    pub reason: String,
    pub at: DateTime<Utc>,
}

/// The changes a moderation makes to an audit's grades (`current`, including "overall").
pub fn moderation_changes(
    current: &[(String, Grade)],
    m: &NewModeration,
) -> Result<Vec<GradeChange>, FieldError> {
    let mut changes = Vec::new();
    for ModeratedGrade { domain, grade: to } in &m.grades {
        let Some((_, from)) = current.iter().find(|(d, _)| d == domain) else {
            return Err(FieldError::new(
                "grades",
                format!("{domain} is not graded on this audit"),
            ));
        };
        if from != to {
            changes.push(GradeChange {
                domain: domain.clone(),
                from: *from,
                to: *to,
            });
        }
    }
    if !changes.is_empty() && m.reason.trim().is_empty() {
        return Err(FieldError::new(
            "reason",
            "Enter the reason for changing the grades",
        ));
    }
    Ok(changes)
}

/// A case file audit as stored: its grades as they stand after moderation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Audit {
    pub id: Uuid,
    pub programme_id: Uuid,
    pub child_id: Uuid,
    pub auditor_id: Uuid,
    pub grades: Vec<DomainGrade>,
    pub overall: Grade,
    pub worker_conversation: String,
    pub family_views: String,
    pub audited_on: NaiveDate,
    /// The team of the child's worker when audited, for themes.
    pub team_id: Option<Uuid>,
    pub moderations: Vec<Moderation>,
    pub actions: Vec<LearningAction>,
}

/// A learning action from an audit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewLearningAction {
    pub action: String,
    /// The worker (or manager) who owns it.
    pub owner_worker_id: Uuid,
    pub due_on: NaiveDate,
}

impl NewLearningAction {
    pub fn validate(&self, audited_on: NaiveDate) -> Vec<FieldError> {
        let mut e = Vec::new();
        if self.action.trim().is_empty() {
            e.push(FieldError::new("action", "Enter the learning action"));
        }
        if self.due_on < audited_on {
            e.push(FieldError::new(
                "due_on",
                "The due date must be on or after the audit",
            ));
        }
        e
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LearningAction {
    pub id: Uuid,
    pub audit_id: Uuid,
    pub child_id: Uuid,
    pub action: String,
    pub owner_worker_id: Uuid,
    pub due_on: NaiveDate,
    pub done_on: Option<NaiveDate>,
}

/// Themes: grades counted by domain and team, and the share good or better.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GradeCounts {
    /// Outstanding, good, requires improvement, inadequate.
    pub counts: [u32; 4],
}

impl GradeCounts {
    pub fn add(&mut self, g: Grade) {
        self.counts[Grade::ALL.iter().position(|x| *x == g).expect("a grade")] += 1;
    }
    pub fn total(&self) -> u32 {
        self.counts.iter().sum()
    }
    /// Percent good or better, rounded; None when nothing is graded.
    pub fn good_or_better_percent(&self) -> Option<u32> {
        let t = self.total();
        (t > 0).then(|| ((self.counts[0] + self.counts[1]) * 100 + t / 2) / t)
    }
}

/// One row of the themes: a domain (or "overall") in a team (None: every team).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ThemeRow {
    pub domain: String,
    pub team_id: Option<Uuid>,
    pub grades: GradeCounts,
}

/// Grades of the audits by domain and team, with every team's total per domain, and the
/// overall grades the same way ("overall").
pub fn themes(audits: &[Audit]) -> Vec<ThemeRow> {
    let mut rows: Vec<ThemeRow> = Vec::new();
    let mut add = |domain: &str, team: Option<Uuid>, g: Grade| {
        for t in [team, None] {
            match rows
                .iter_mut()
                .find(|r| r.domain == domain && r.team_id == t)
            {
                Some(r) => r.grades.add(g),
                None => {
                    let mut grades = GradeCounts::default();
                    grades.add(g);
                    rows.push(ThemeRow {
                        domain: domain.to_string(),
                        team_id: t,
                        grades,
                    });
                }
            }
            if team.is_none() {
                break;
            }
        }
    };
    for a in audits {
        for g in &a.grades {
            add(&g.domain, a.team_id, g.grade);
        }
        add("overall", a.team_id, a.overall);
    }
    rows
}

mod trends;
pub use trends::{
    DomainCounts, Quarter, QuarterRow, Weakness, by_quarter, recurring_weaknesses, weak,
};

#[cfg(test)]
mod tests;
