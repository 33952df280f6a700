//! The workforce's forms, declared on the one form path ([`On::Staff`]): a joiner (started in a
//! team), a mover (a change of team, job, hours or employment), a leaver (the last day, why and
//! where to) and an absence. Administrators and workforce leads only; the store validates as
//! the domain does and audits each change in the same transaction.

use async_trait::async_trait;
use domain::validate::FieldError;
use domain::workforce::supervision::{CaseDiscussion, NewSupervision, Supervision};
use domain::workforce::{
    Absence, AbsenceReason, Destination, LeavingReason, NewAbsence, NewJoiner, NewLeaver, NewMove,
    OrgRole, StaffMember, Team,
};
use store::{Actor, StoreError};
use uuid::Uuid;

use crate::AppState;
use crate::auth::Session;
use crate::error::AppError;
use crate::forms::path::{CaseForm, On, Staff, Subject, Target, valid};
use crate::forms::{Field, FormData, FormSpec};
use crate::policy::Action;

/// A worker's file as a form opens it, with the teams to choose from.
pub struct StaffFile {
    pub member: StaffMember,
    pub teams: Vec<Team>,
}

#[async_trait]
impl Subject for StaffFile {
    fn caption(&self) -> String {
        self.member.worker.name.clone()
    }
    async fn open(
        state: &AppState,
        _session: &Session,
        t: &Target,
        _what: &str,
    ) -> Result<Self, AppError> {
        Ok(StaffFile {
            member: state.store.staff_member(t.id).await?,
            teams: state.store.list_teams().await?,
        })
    }
}

/// The team a joiner starts in, with every team to choose from.
pub struct JoiningTeam {
    pub team: Team,
    pub teams: Vec<Team>,
}

#[async_trait]
impl Subject for JoiningTeam {
    fn caption(&self) -> String {
        self.team.name.clone()
    }
    async fn open(
        state: &AppState,
        _session: &Session,
        t: &Target,
        _what: &str,
    ) -> Result<Self, AppError> {
        let teams = state.store.list_teams().await?;
        let team = teams
            .iter()
            .find(|x| x.id == t.id)
            .cloned()
            .ok_or(AppError::NotFound { api: false })?;
        Ok(JoiningTeam { team, teams })
    }
}

fn team_items(teams: &[Team]) -> Vec<(String, String)> {
    teams
        .iter()
        .map(|t| (t.id.to_string(), t.name.clone()))
        .collect()
}

fn org_role_items() -> Vec<(String, String)> {
    OrgRole::ALL
        .iter()
        .map(|r| (r.as_str().to_string(), r.label().to_string()))
        .collect()
}

fn employment_items() -> Vec<(String, String)> {
    vec![
        ("employed".into(), "Employed by the council".into()),
        ("agency".into(), "Agency (locum)".into()),
    ]
}

fn read_team(form: &FormData, errors: &mut Vec<FieldError>) -> Option<Option<Uuid>> {
    let v = form.get("team_id");
    if v.is_empty() {
        errors.push(FieldError::new("team_id", "Choose the team"));
        return None;
    }
    match Uuid::parse_str(&v) {
        Ok(id) => Some(Some(id)),
        Err(_) => {
            errors.push(FieldError::new("team_id", "Choose a team from the list"));
            None
        }
    }
}

fn read_org_role(form: &FormData, errors: &mut Vec<FieldError>) -> Option<OrgRole> {
    let r = OrgRole::parse(&form.get("org_role"));
    if r.is_none() {
        errors.push(FieldError::new(
            "org_role",
            "Select the worker's role in the workforce census",
        ));
    }
    r
}

fn read_agency(form: &FormData, errors: &mut Vec<FieldError>) -> Option<bool> {
    match form.get("agency").as_str() {
        "employed" => Some(false),
        "agency" => Some(true),
        _ => {
            errors.push(FieldError::new(
                "agency",
                "Select whether the worker is employed by the council or from an agency",
            ));
            None
        }
    }
}

fn read_fte(form: &FormData, errors: &mut Vec<FieldError>) -> Option<f64> {
    match form.get("fte").trim().parse::<f64>() {
        Ok(v) if v.is_finite() => Some(v),
        _ => {
            errors.push(FieldError::new(
                "fte",
                "Enter the full-time equivalent as a number, for example 1 or 0.8",
            ));
            None
        }
    }
}

/// An optional date (blank for none), which may be in the future.
fn optional_date(
    form: &FormData,
    k: &str,
    label: &str,
    errors: &mut Vec<FieldError>,
) -> Option<Option<chrono::NaiveDate>> {
    match form.parts(k).parse(k, label) {
        Ok(d) => Some(d),
        Err(e) => {
            errors.push(e);
            None
        }
    }
}

/// A required date, which may be in the future.
fn required_date(
    form: &FormData,
    k: &str,
    label: &str,
    errors: &mut Vec<FieldError>,
) -> Option<chrono::NaiveDate> {
    match optional_date(form, k, label, errors)? {
        Some(d) => Some(d),
        None => {
            errors.push(FieldError::new(
                k,
                format!("Enter the {}", label.to_lowercase()),
            ));
            None
        }
    }
}

/// A joiner, starting in the team the path names.
pub struct AddJoiner;

#[async_trait]
impl CaseForm for AddJoiner {
    type Record = JoiningTeam;
    type Input = NewJoiner;
    type Body = NewJoiner;
    type Saved = StaffMember;
    const PAGE: &'static str = "/workforce/teams/{id}/joiners";
    const API: &'static str = "/api/workforce/teams/{id}/joiners";
    const ON: On = On::Staff(Staff::Team);
    const ACTION: Action = Action::ManageWorkforce;
    const WHAT: &'static str = "record a joiner";
    const SUMMARY: &'static str = "Record a joiner: a worker starting in the service, with their file (registration, role, hours, ASYE)";
    const FALLBACK: &'static str = "name";
    const TODAY: &'static [&'static str] = &["started"];

    fn spec(t: &Target, rec: &JoiningTeam) -> Result<FormSpec, AppError> {
        Ok(FormSpec::standalone(
            rec.team.name.clone(),
            "Record a joiner",
            ("Back to the workforce", "/workforce"),
            Self::PAGE.replace("{id}", &t.id.to_string()),
            "Save the joiner",
            vec![
                Field::Input("name", "Name", ""),
                Field::Select("team_id", "Team", team_items(&rec.teams)),
                Field::Input(
                    "role_title",
                    "Job title",
                    "For example, social worker or senior practitioner",
                ),
                Field::Radios("org_role", "Role in the workforce census", org_role_items()),
                Field::Radios("agency", "Employment", employment_items()),
                Field::Input(
                    "fte",
                    "Full-time equivalent",
                    "1 for full time, 0.8 for four days a week",
                ),
                Field::Input(
                    "swe_number",
                    "Social Work England registration number",
                    "For example, SW123456. Leave blank for a worker who is not a registered social worker",
                ),
                Field::Date("started", "Start date"),
                Field::Date(
                    "asye_started",
                    "ASYE began (newly qualified social workers only)",
                ),
                Field::Date("asye_ended", "ASYE ends"),
            ],
        ))
    }

    fn initial(t: &Target, _rec: &JoiningTeam) -> Result<FormData, AppError> {
        Ok(FormData::default()
            .with_today(Self::TODAY)
            .set("team_id", &t.id.to_string())
            .set("fte", "1"))
    }

    fn read(
        form: &FormData,
        _t: &Target,
        _rec: &JoiningTeam,
    ) -> Result<NewJoiner, Vec<FieldError>> {
        let mut e = Vec::new();
        let team = read_team(form, &mut e);
        let org_role = read_org_role(form, &mut e);
        let agency = read_agency(form, &mut e);
        let fte = read_fte(form, &mut e);
        let started = required_date(form, "started", "Start date", &mut e);
        let asye_started = optional_date(form, "asye_started", "ASYE began", &mut e);
        let asye_ended = optional_date(form, "asye_ended", "ASYE ends", &mut e);
        let swe = form.get("swe_number");
        let input = (|| {
            Some(NewJoiner {
                name: form.get("name"),
                team_id: team?,
                role_title: form.get("role_title"),
                org_role: org_role?,
                agency: agency?,
                fte: fte?,
                swe_number: Some(swe.trim().to_string()).filter(|s| !s.is_empty()),
                started: started?,
                asye_started: asye_started?,
                asye_ended: asye_ended?,
            })
        })();
        valid(e, input, NewJoiner::validate)
    }

    fn from_body(mut b: NewJoiner, t: &Target) -> Result<NewJoiner, Vec<FieldError>> {
        b.team_id = b.team_id.or(Some(t.id));
        Ok(b)
    }

    async fn save(
        state: &AppState,
        actor: Actor,
        _t: &Target,
        j: NewJoiner,
    ) -> Result<StaffMember, StoreError> {
        state.store.add_joiner(actor, j).await
    }

    fn done(_t: &Target, saved: &StaffMember) -> String {
        format!("/workforce/workers/{}?saved=joiner", saved.worker.id)
    }
}

/// A mover: a change of team, job, hours or employment from a date.
pub struct RecordMove;

#[async_trait]
impl CaseForm for RecordMove {
    type Record = StaffFile;
    type Input = NewMove;
    type Body = NewMove;
    type Saved = StaffMember;
    const PAGE: &'static str = "/workforce/workers/{id}/move";
    const API: &'static str = "/api/workforce/workers/{id}/moves";
    const ON: On = On::Staff(Staff::Worker);
    const ACTION: Action = Action::ManageWorkforce;
    const WHAT: &'static str = "record a move";
    const SUMMARY: &'static str = "Record a mover: a worker's change of team, job, hours or employment from a date (kept in their history)";
    const FALLBACK: &'static str = "moved_on";
    const CREATED: bool = false;
    const TODAY: &'static [&'static str] = &["moved_on"];

    fn spec(t: &Target, rec: &StaffFile) -> Result<FormSpec, AppError> {
        if rec.member.worker.left.is_some() {
            return Err(AppError::NotFound { api: false });
        }
        let href = format!("/workforce/workers/{}", t.id);
        Ok(FormSpec::standalone(
            rec.member.worker.name.clone(),
            "Record a move",
            ("Back to the worker", &href),
            Self::PAGE.replace("{id}", &t.id.to_string()),
            "Save the move",
            vec![
                Field::Date("moved_on", "Date of the move"),
                Field::Select("team_id", "Team", team_items(&rec.teams)),
                Field::Input("role_title", "Job title", ""),
                Field::Radios("org_role", "Role in the workforce census", org_role_items()),
                Field::Radios("agency", "Employment", employment_items()),
                Field::Input(
                    "fte",
                    "Full-time equivalent",
                    "1 for full time, 0.8 for four days a week",
                ),
            ],
        ))
    }

    fn initial(_t: &Target, rec: &StaffFile) -> Result<FormData, AppError> {
        let m = &rec.member;
        Ok(FormData::default()
            .with_today(Self::TODAY)
            .set(
                "team_id",
                &m.worker.team_id.map(|t| t.to_string()).unwrap_or_default(),
            )
            .set("role_title", &m.worker.role_title)
            .set("org_role", m.org_role.as_str())
            .set(
                "agency",
                if m.worker.agency {
                    "agency"
                } else {
                    "employed"
                },
            )
            .set("fte", &m.fte.to_string()))
    }

    fn read(form: &FormData, _t: &Target, rec: &StaffFile) -> Result<NewMove, Vec<FieldError>> {
        let mut e = Vec::new();
        let moved_on = required_date(form, "moved_on", "Date of the move", &mut e);
        let team = read_team(form, &mut e);
        let org_role = read_org_role(form, &mut e);
        let agency = read_agency(form, &mut e);
        let fte = read_fte(form, &mut e);
        let input = (|| {
            Some(NewMove {
                moved_on: moved_on?,
                team_id: team?,
                role_title: form.get("role_title"),
                org_role: org_role?,
                fte: fte?,
                agency: agency?,
            })
        })();
        valid(e, input, |m| m.validate(&rec.member))
    }

    fn from_body(b: NewMove, _t: &Target) -> Result<NewMove, Vec<FieldError>> {
        Ok(b)
    }

    async fn save(
        state: &AppState,
        actor: Actor,
        t: &Target,
        m: NewMove,
    ) -> Result<StaffMember, StoreError> {
        state.store.record_move(actor, t.id, m).await
    }

    fn done(t: &Target, _saved: &StaffMember) -> String {
        format!("/workforce/workers/{}?saved=move", t.id)
    }
}

/// A leaver: the last day, the reason and where they went.
pub struct RecordLeaver;

#[async_trait]
impl CaseForm for RecordLeaver {
    type Record = StaffFile;
    type Input = NewLeaver;
    type Body = NewLeaver;
    type Saved = StaffMember;
    const PAGE: &'static str = "/workforce/workers/{id}/leaving";
    const API: &'static str = "/api/workforce/workers/{id}/leaving";
    const ON: On = On::Staff(Staff::Worker);
    const ACTION: Action = Action::ManageWorkforce;
    const WHAT: &'static str = "record a leaver";
    const SUMMARY: &'static str = "Record a leaver: the worker's last day, why they left and where they went (including agency work)";
    const FALLBACK: &'static str = "left";
    const CREATED: bool = false;

    fn spec(t: &Target, rec: &StaffFile) -> Result<FormSpec, AppError> {
        if rec.member.worker.left.is_some() {
            return Err(AppError::NotFound { api: false });
        }
        let href = format!("/workforce/workers/{}", t.id);
        Ok(FormSpec::standalone(
            rec.member.worker.name.clone(),
            "Record a leaver",
            ("Back to the worker", &href),
            Self::PAGE.replace("{id}", &t.id.to_string()),
            "Save the leaver",
            vec![
                Field::Date("left", "Last day in the service"),
                Field::Radios(
                    "reason",
                    "Why they left",
                    LeavingReason::ALL.iter().map(|r| (r.as_str().to_string(), r.label().to_string())).collect(),
                ),
                Field::Radios(
                    "destination",
                    "Where they went",
                    Destination::ALL.iter().map(|r| (r.as_str().to_string(), r.label().to_string())).collect(),
                ),
            ],
        )
        .intro("The worker's cases stay allocated to them until a manager reallocates them: check their caseload on the worker's page."))
    }

    fn read(form: &FormData, _t: &Target, rec: &StaffFile) -> Result<NewLeaver, Vec<FieldError>> {
        let mut e = Vec::new();
        let left = required_date(form, "left", "Last day in the service", &mut e);
        let reason = LeavingReason::parse(&form.get("reason"));
        if reason.is_none() {
            e.push(FieldError::new("reason", "Select why the worker left"));
        }
        let destination = Destination::parse(&form.get("destination"));
        if destination.is_none() {
            e.push(FieldError::new(
                "destination",
                "Select where the worker went, or not known",
            ));
        }
        let input = (|| {
            Some(NewLeaver {
                left: left?,
                reason: reason?,
                destination: destination?,
            })
        })();
        valid(e, input, |l| {
            l.validate(&rec.member, crate::forms::fields::today())
        })
    }

    fn from_body(b: NewLeaver, _t: &Target) -> Result<NewLeaver, Vec<FieldError>> {
        Ok(b)
    }

    async fn save(
        state: &AppState,
        actor: Actor,
        t: &Target,
        l: NewLeaver,
    ) -> Result<StaffMember, StoreError> {
        state.store.record_leaver(actor, t.id, l).await
    }

    fn done(t: &Target, _saved: &StaffMember) -> String {
        format!("/workforce/workers/{}?saved=leaver", t.id)
    }
}

/// An absence: the days, the working days lost and why.
pub struct RecordAbsence;

#[async_trait]
impl CaseForm for RecordAbsence {
    type Record = StaffFile;
    type Input = NewAbsence;
    type Body = NewAbsence;
    type Saved = Absence;
    const PAGE: &'static str = "/workforce/workers/{id}/absences";
    const API: &'static str = "/api/workforce/workers/{id}/absences";
    const ON: On = On::Staff(Staff::Worker);
    const ACTION: Action = Action::ManageWorkforce;
    const WHAT: &'static str = "record an absence";
    const SUMMARY: &'static str =
        "Record a worker's absence: the first and last day, the working days lost and the reason";
    const FALLBACK: &'static str = "first_day";

    fn spec(t: &Target, rec: &StaffFile) -> Result<FormSpec, AppError> {
        let href = format!("/workforce/workers/{}", t.id);
        Ok(FormSpec::standalone(
            rec.member.worker.name.clone(),
            "Record an absence",
            ("Back to the worker", &href),
            Self::PAGE.replace("{id}", &t.id.to_string()),
            "Save the absence",
            vec![
                Field::Date("first_day", "First day absent"),
                Field::Date("last_day", "Last day absent (leave blank while it goes on)"),
                Field::Input(
                    "working_days_lost",
                    "Working days lost",
                    "Whole or half days, for example 3 or 2.5",
                ),
                Field::Radios(
                    "reason",
                    "Reason",
                    AbsenceReason::ALL
                        .iter()
                        .map(|r| (r.as_str().to_string(), r.label().to_string()))
                        .collect(),
                ),
            ],
        ))
    }

    fn read(form: &FormData, _t: &Target, rec: &StaffFile) -> Result<NewAbsence, Vec<FieldError>> {
        let mut e = Vec::new();
        let first = form.date("first_day", "First day absent", &mut e);
        let last = optional_date(form, "last_day", "Last day absent", &mut e);
        let days = match form.get("working_days_lost").trim().parse::<f64>() {
            Ok(v) if v.is_finite() => Some(v),
            _ => {
                e.push(FieldError::new(
                    "working_days_lost",
                    "Enter the working days lost as a number, for example 3 or 2.5",
                ));
                None
            }
        };
        let reason = AbsenceReason::parse(&form.get("reason"));
        if reason.is_none() {
            e.push(FieldError::new(
                "reason",
                "Select the reason for the absence",
            ));
        }
        let input = (|| {
            Some(NewAbsence {
                first_day: first?,
                last_day: last?,
                working_days_lost: days?,
                reason: reason?,
            })
        })();
        valid(e, input, |a| {
            a.validate(&rec.member, crate::forms::fields::today())
        })
    }

    fn from_body(b: NewAbsence, _t: &Target) -> Result<NewAbsence, Vec<FieldError>> {
        Ok(b)
    }

    async fn save(
        state: &AppState,
        actor: Actor,
        t: &Target,
        a: NewAbsence,
    ) -> Result<Absence, StoreError> {
        state.store.record_absence(actor, t.id, a).await
    }

    fn done(t: &Target, _saved: &Absence) -> String {
        format!("/workforce/workers/{}?saved=absence", t.id)
    }
}

/// What the supervision form opens: the worker's file, the supervisor (the manager's own
/// worker record) and the cases the worker holds today, to discuss.
pub struct SupervisionFile {
    pub member: StaffMember,
    pub supervisor: Option<Uuid>,
    pub cases: Vec<(Uuid, String)>,
}

#[async_trait]
impl Subject for SupervisionFile {
    fn caption(&self) -> String {
        self.member.worker.name.clone()
    }
    async fn open(
        state: &AppState,
        session: &Session,
        t: &Target,
        what: &str,
    ) -> Result<Self, AppError> {
        let member = state.store.staff_member(t.id).await?;
        let today = crate::forms::fields::today();
        let mut ids: Vec<Uuid> = state
            .store
            .cases_held(today)
            .await?
            .into_iter()
            .filter(|h| h.worker_id == t.id)
            .map(|h| h.child_id)
            .collect();
        ids.sort_unstable();
        ids.dedup();
        let mut cases = Vec::new();
        for id in &ids {
            cases.push((*id, state.store.get_person(*id).await?.full_name()));
        }
        cases.sort_by(|a, b| a.1.cmp(&b.1));
        // The names of the worker's cases are shown to choose from: an access entry each.
        crate::guard::log_disclosure(
            state,
            session,
            "supervision",
            ids,
            &format!("{what}: the worker's cases offered to discuss in supervision"),
        )
        .await?;
        Ok(SupervisionFile {
            member,
            supervisor: session.user.worker_id,
            cases,
        })
    }
}

/// How many cases one session's form has room to discuss.
const DISCUSSIONS: usize = 3;
const CASE: [&str; DISCUSSIONS] = ["case_1", "case_2", "case_3"];
const DECISION: [&str; DISCUSSIONS] = ["decision_1", "decision_2", "decision_3"];
const RATIONALE: [&str; DISCUSSIONS] = ["rationale_1", "rationale_2", "rationale_3"];
const CASE_LABEL: [&str; DISCUSSIONS] = [
    "First case discussed",
    "Second case discussed",
    "Third case discussed",
];

/// A supervision session, recorded by the supervisor (a manager).
pub struct RecordSupervision;

#[async_trait]
impl CaseForm for RecordSupervision {
    type Record = SupervisionFile;
    type Input = NewSupervision;
    type Body = NewSupervision;
    type Saved = Supervision;
    const PAGE: &'static str = "/workforce/workers/{id}/supervision";
    const API: &'static str = "/api/workforce/workers/{id}/supervision";
    const ON: On = On::Staff(Staff::Worker);
    const ACTION: Action = Action::Oversee;
    const WHAT: &'static str = "record supervision";
    const SUMMARY: &'static str = "Record a supervision session: its reflective notes (kept to the worker's file) and the cases discussed, each written onto the child's record as management oversight";
    const FALLBACK: &'static str = "reflection";
    const TODAY: &'static [&'static str] = &["held_on"];

    fn spec(t: &Target, rec: &SupervisionFile) -> Result<FormSpec, AppError> {
        if rec.member.worker.left.is_some() {
            return Err(AppError::NotFound { api: false });
        }
        let href = format!("/workforce/workers/{}", t.id);
        let cases: Vec<(String, String)> = rec
            .cases
            .iter()
            .map(|(id, name)| (id.to_string(), name.clone()))
            .collect();
        let mut fields = vec![
            Field::Date("held_on", "Date of the session"),
            Field::Textarea(
                "reflection",
                "Reflective notes",
                "Kept to the worker's file: seen by the worker, their supervisor and their team's manager only",
            ),
        ];
        for i in 0..DISCUSSIONS {
            fields.push(Field::Select(CASE[i], CASE_LABEL[i], cases.clone()));
            fields.push(Field::Textarea(DECISION[i], "Decision", ""));
            fields.push(Field::Textarea(RATIONALE[i], "Rationale", ""));
        }
        Ok(FormSpec::standalone(
            rec.member.worker.name.clone(),
            "Record supervision",
            ("Back to the worker", &href),
            Self::PAGE.replace("{id}", &t.id.to_string()),
            "Save the session",
            fields,
        )
        .intro("Each case discussed is written onto the child's record as management oversight, with its decision and rationale. Leave a case blank if fewer were discussed."))
    }

    fn read(
        form: &FormData,
        _t: &Target,
        rec: &SupervisionFile,
    ) -> Result<NewSupervision, Vec<FieldError>> {
        let mut e = Vec::new();
        let held_on = form.date("held_on", "Date of the session", &mut e);
        if rec.supervisor.is_none() {
            e.push(FieldError::new(
                "reflection",
                "Your account is not linked to a worker, so it cannot be recorded as the supervisor: ask an administrator to link it",
            ));
        }
        let mut discussions = Vec::new();
        for i in 0..DISCUSSIONS {
            let case = form.get(CASE[i]);
            let (decision, rationale) = (form.get(DECISION[i]), form.get(RATIONALE[i]));
            if case.is_empty() {
                if !decision.trim().is_empty() || !rationale.trim().is_empty() {
                    e.push(FieldError::new(
                        CASE[i],
                        "Choose the case the decision is about",
                    ));
                }
                continue;
            }
            match Uuid::parse_str(&case)
                .ok()
                .filter(|c| rec.cases.iter().any(|(id, _)| id == c))
            {
                Some(child_id) => discussions.push(CaseDiscussion {
                    child_id,
                    decision,
                    rationale,
                }),
                None => e.push(FieldError::new(CASE[i], "Choose a case from the list")),
            }
        }
        let input = (|| {
            Some(NewSupervision {
                held_on: held_on?,
                supervisor_id: rec.supervisor?,
                reflection: form.get("reflection"),
                discussions,
            })
        })();
        // The domain names discussions by their place among those given: renumber to the form's.
        let places: Vec<usize> = (0..DISCUSSIONS)
            .filter(|i| !form.get(CASE[*i]).is_empty())
            .collect();
        valid(e, input, |s| {
            s.validate(&rec.member, crate::forms::fields::today())
                .into_iter()
                .map(|mut err| {
                    // The supervisor is the manager signed in: no field of its own on the page.
                    if err.field == "supervisor" {
                        err.field = "reflection".into();
                    }
                    for (k, names) in [
                        ("case_", &CASE),
                        ("decision_", &DECISION),
                        ("rationale_", &RATIONALE),
                    ] {
                        if let Some(n) = err
                            .field
                            .strip_prefix(k)
                            .and_then(|n| n.parse::<usize>().ok())
                            && let Some(place) = places.get(n - 1)
                        {
                            err.field = names[*place].to_string();
                        }
                    }
                    err
                })
                .collect()
        })
    }

    fn from_body(b: NewSupervision, _t: &Target) -> Result<NewSupervision, Vec<FieldError>> {
        Ok(b)
    }

    async fn save(
        state: &AppState,
        actor: Actor,
        t: &Target,
        s: NewSupervision,
    ) -> Result<Supervision, StoreError> {
        state.store.record_supervision(actor, t.id, s).await
    }

    fn done(t: &Target, _saved: &Supervision) -> String {
        format!("/workforce/workers/{}?saved=supervision", t.id)
    }
}

/// A child's record with the workers who might co-work it.
pub struct CoWorking {
    pub record: store::ChildRecord,
    pub staff: Vec<StaffMember>,
    pub co_workers: Vec<(Uuid, String, chrono::NaiveDate)>,
}

#[async_trait]
impl Subject for CoWorking {
    fn caption(&self) -> String {
        self.record.person.full_name()
    }
    async fn open(
        state: &AppState,
        session: &Session,
        t: &Target,
        what: &str,
    ) -> Result<Self, AppError> {
        let record = store::ChildRecord::open(state, session, t, what).await?;
        let today = crate::forms::fields::today();
        Ok(CoWorking {
            record,
            staff: state
                .store
                .staff()
                .await?
                .into_iter()
                .filter(|s| s.in_post(today) && s.case_holding())
                .collect(),
            co_workers: state.store.co_workers(t.child).await?,
        })
    }
}

/// Co-working as the API takes it.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
pub struct CoWorkingBody {
    pub worker_id: Uuid,
    pub from: chrono::NaiveDate,
}

/// A second worker on a child's case (a manager's decision, as allocation is).
pub struct AddCoWorker;

#[async_trait]
impl CaseForm for AddCoWorker {
    type Record = CoWorking;
    type Input = CoWorkingBody;
    type Body = CoWorkingBody;
    type Saved = CoWorkingSaved;
    const PAGE: &'static str = "/children/{id}/co-workers";
    const API: &'static str = "/api/children/{id}/co-workers";
    const ON: On = On::Child;
    const ACTION: Action = Action::Allocate;
    const WHAT: &'static str = "add a co-worker";
    const SUMMARY: &'static str = "Add a second worker on a child's case (co-working), counted in caseloads as the council decides";
    const FALLBACK: &'static str = "worker_id";
    const TODAY: &'static [&'static str] = &["from"];

    fn spec(t: &Target, rec: &CoWorking) -> Result<FormSpec, AppError> {
        let workers: Vec<(String, String)> = rec
            .staff
            .iter()
            .map(|s| (s.worker.id.to_string(), s.worker.name.clone()))
            .collect();
        let now: Vec<String> = rec.co_workers.iter().map(|(_, n, _)| n.clone()).collect();
        let mut spec = FormSpec::new(
            &rec.record,
            "Add a co-worker",
            Self::PAGE.replace("{id}", &t.child.to_string()),
            "Add the co-worker",
            vec![
                Field::Select("worker_id", "Co-worker", workers),
                Field::Date("from", "Co-working from"),
            ],
        );
        if !now.is_empty() {
            spec = spec.summary(vec![("Co-working now", now.join(", "))]);
        }
        Ok(spec)
    }

    fn read(
        form: &FormData,
        _t: &Target,
        _rec: &CoWorking,
    ) -> Result<CoWorkingBody, Vec<FieldError>> {
        let mut e = Vec::new();
        let worker = Uuid::parse_str(&form.get("worker_id")).ok();
        if worker.is_none() {
            e.push(FieldError::new("worker_id", "Choose the co-worker"));
        }
        let from = form.date("from", "Co-working from", &mut e);
        match (worker, from) {
            (Some(worker_id), Some(from)) if e.is_empty() => Ok(CoWorkingBody { worker_id, from }),
            _ => Err(e),
        }
    }

    fn from_body(b: CoWorkingBody, _t: &Target) -> Result<CoWorkingBody, Vec<FieldError>> {
        Ok(b)
    }

    async fn save(
        state: &AppState,
        actor: Actor,
        t: &Target,
        b: CoWorkingBody,
    ) -> Result<CoWorkingSaved, StoreError> {
        state
            .store
            .add_co_worker(actor, t.child, b.worker_id, b.from)
            .await?;
        Ok(CoWorkingSaved {
            child_id: t.child,
            worker_id: b.worker_id,
        })
    }

    fn done(t: &Target, _saved: &CoWorkingSaved) -> String {
        crate::forms::path::to_child(t.child, "co-worker")
    }
}

/// The co-working saved.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct CoWorkingSaved {
    pub child_id: Uuid,
    pub worker_id: Uuid,
}

/// The end of a co-working (the last day).
pub struct EndCoWorking;

#[async_trait]
impl CaseForm for EndCoWorking {
    type Record = CoWorking;
    type Input = CoWorkingBody;
    type Body = CoWorkingBody;
    type Saved = CoWorkingSaved;
    const PAGE: &'static str = "/children/{id}/co-workers/end";
    const API: &'static str = "/api/children/{id}/co-workers/end";
    const ON: On = On::Child;
    const ACTION: Action = Action::Allocate;
    const WHAT: &'static str = "end co-working";
    const SUMMARY: &'static str =
        "End a second worker's co-working on a child's case (`from` is the last day)";
    const FALLBACK: &'static str = "worker_id";
    const CREATED: bool = false;
    const TODAY: &'static [&'static str] = &["from"];

    fn spec(t: &Target, rec: &CoWorking) -> Result<FormSpec, AppError> {
        if rec.co_workers.is_empty() {
            return Err(AppError::NotFound { api: false });
        }
        let workers: Vec<(String, String)> = rec
            .co_workers
            .iter()
            .map(|(id, n, _)| (id.to_string(), n.clone()))
            .collect();
        Ok(FormSpec::new(
            &rec.record,
            "End co-working",
            Self::PAGE.replace("{id}", &t.child.to_string()),
            "End the co-working",
            vec![
                Field::Select("worker_id", "Co-worker", workers),
                Field::Date("from", "Last day of co-working"),
            ],
        ))
    }

    fn read(
        form: &FormData,
        _t: &Target,
        _rec: &CoWorking,
    ) -> Result<CoWorkingBody, Vec<FieldError>> {
        let mut e = Vec::new();
        let worker = Uuid::parse_str(&form.get("worker_id")).ok();
        if worker.is_none() {
            e.push(FieldError::new("worker_id", "Choose the co-worker"));
        }
        let from = form.date("from", "Last day of co-working", &mut e);
        match (worker, from) {
            (Some(worker_id), Some(from)) if e.is_empty() => Ok(CoWorkingBody { worker_id, from }),
            _ => Err(e),
        }
    }

    fn from_body(b: CoWorkingBody, _t: &Target) -> Result<CoWorkingBody, Vec<FieldError>> {
        Ok(b)
    }

    async fn save(
        state: &AppState,
        actor: Actor,
        t: &Target,
        b: CoWorkingBody,
    ) -> Result<CoWorkingSaved, StoreError> {
        state
            .store
            .end_co_working(actor, t.child, b.worker_id, b.from)
            .await?;
        Ok(CoWorkingSaved {
            child_id: t.child,
            worker_id: b.worker_id,
        })
    }

    fn done(t: &Target, _saved: &CoWorkingSaved) -> String {
        crate::forms::path::to_child(t.child, "co-working-ended")
    }
}
