//! The supervision form: a session recorded by the supervisor, with the cases discussed (each
//! a management oversight entry on the child's record).

use super::*;

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
