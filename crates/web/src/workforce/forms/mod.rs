//! The workforce's forms, declared on the one form path ([`On::Staff`]): a joiner (started in a
//! team), a mover (a change of team, job, hours or employment), a leaver (the last day, why and
//! where to) and an absence. Administrators and workforce leads only; the store validates as
//! the domain does and audits each change in the same transaction. Supervision and co-working
//! are declared beside them ([`supervision`], [`co_working`]).

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

mod co_working;
mod supervision;

pub use co_working::{AddCoWorker, CoWorking, CoWorkingBody, CoWorkingSaved, EndCoWorking};
pub use supervision::{RecordSupervision, SupervisionFile};

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
