//! The audit of a sampled case, declared on the one form path: its page at
//! `/quality/audits/children/{id}?programme=…` opens the child's record (an access entry, "case
//! file audit") with the programme and the council's template, and grades each domain of the
//! template with its evidence, the overall grade, the conversation with the worker and the
//! views of the child or family. The API takes the same record as JSON.

use async_trait::async_trait;
use axum::response::{IntoResponse, Response};
use domain::quality::{Audit, DomainGrade, Grade, NewAudit, Programme, TemplateDomain};
use domain::validate::FieldError;
use minijinja::{Value, context};
use serde::Deserialize;
use store::{Actor, StoreError};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::AppState;
use crate::auth::Session;
use crate::error::AppError;
use crate::forms::FormData;
use crate::forms::errors::{errors_value, status};
use crate::forms::path::{CaseForm, On, Subject, Target};
use crate::policy::Action;

/// What the audit form opens: the child's record, the programme whose sample holds the child,
/// and the template's domains graded today.
pub struct Audited {
    pub record: store::ChildRecord,
    pub programme: Programme,
    pub domains: Vec<TemplateDomain>,
}

#[async_trait]
impl Subject for Audited {
    fn caption(&self) -> String {
        self.record.caption()
    }
    async fn open(
        state: &AppState,
        session: &Session,
        t: &Target,
        what: &str,
    ) -> Result<Self, AppError> {
        let id =
            Uuid::parse_str(&t.query.programme).map_err(|_| AppError::NotFound { api: false })?;
        let programme = match state.store.programme(id).await {
            Ok(p) => p,
            Err(StoreError::NotFound(_)) => return Err(AppError::NotFound { api: false }),
            Err(e) => return Err(e.into()),
        };
        if !programme.sample.iter().any(|c| c.child_id == t.child) {
            return Err(AppError::NotFound { api: false });
        }
        let record = store::ChildRecord::open(state, session, t, what).await?;
        let domains = state
            .store
            .audit_template()
            .await?
            .into_iter()
            .filter(|d| d.active)
            .collect();
        Ok(Audited {
            record,
            programme,
            domains,
        })
    }
}

/// The audit as the API takes it.
#[derive(Debug, Deserialize, ToSchema)]
pub struct AuditBody {
    pub programme_id: Uuid,
    pub grades: Vec<DomainGrade>,
    pub overall: Grade,
    pub worker_conversation: String,
    #[serde(default)]
    pub family_views: String,
}

/// The grades as radio items, the one posted checked.
pub(crate) fn grade_items(checked: &str) -> Vec<Value> {
    Grade::ALL
        .iter()
        .map(|g| context! { value => g.as_str(), text => g.label(), checked => checked == g.as_str() })
        .collect()
}

pub struct RecordAudit;

#[async_trait]
impl CaseForm for RecordAudit {
    type Record = Audited;
    type Input = (Uuid, NewAudit);
    type Body = AuditBody;
    type Saved = Audit;
    const PAGE: &'static str = "/quality/audits/children/{id}";
    const API: &'static str = "/api/case-file-audits/children/{id}";
    const ON: On = On::Child;
    const ACTION: Action = Action::RecordAudit;
    const WHAT: &'static str = "case file audit";
    const SUMMARY: &'static str =
        "Record the case file audit of a child in a programme's sample (its assigned auditor)";
    const FALLBACK: &'static str = "worker_conversation";

    fn check(_t: &Target, _rec: &Audited) -> Result<(), AppError> {
        Ok(())
    }

    fn read(form: &FormData, t: &Target, rec: &Audited) -> Result<Self::Input, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut grades = Vec::new();
        for d in &rec.domains {
            let field = format!("grade_{}", d.key);
            match Grade::parse(&form.get(&field)) {
                Some(grade) => grades.push(DomainGrade {
                    domain: d.key.clone(),
                    grade,
                    evidence: form.get(&format!("evidence_{}", d.key)),
                }),
                None => errors.push(FieldError::new(
                    &field,
                    format!(
                        "Select a grade for {}",
                        domain::quality::in_sentence(&d.label)
                    ),
                )),
            }
        }
        let overall = Grade::parse(&form.get("overall"));
        if overall.is_none() {
            errors.push(FieldError::new("overall", "Select the overall grade"));
        }
        let audit = NewAudit {
            child_id: t.child,
            grades,
            overall: overall.unwrap_or(Grade::Inadequate),
            worker_conversation: form.get("worker_conversation"),
            family_views: form.get("family_views"),
        };
        // Every problem once: a missing grade is named above, not again by the domain.
        for e in audit.validate(&rec.domains) {
            if !errors.iter().any(|x| x.field == e.field) && !e.field.starts_with("grade_") {
                errors.push(e);
            }
        }
        if errors.is_empty() {
            Ok((rec.programme.id, audit))
        } else {
            Err(errors)
        }
    }

    fn from_body(b: AuditBody, t: &Target) -> Result<Self::Input, Vec<FieldError>> {
        Ok((
            b.programme_id,
            NewAudit {
                child_id: t.child,
                grades: b.grades,
                overall: b.overall,
                worker_conversation: b.worker_conversation,
                family_views: b.family_views,
            },
        ))
    }

    async fn save(
        state: &AppState,
        actor: Actor,
        _t: &Target,
        (programme, audit): Self::Input,
    ) -> Result<Audit, StoreError> {
        state.store.record_audit(actor, programme, audit).await
    }

    fn done(_t: &Target, saved: &Audit) -> String {
        format!("/quality/audits/case/{}?saved=audit", saved.id)
    }

    async fn page(
        state: &AppState,
        session: &Session,
        t: &Target,
        rec: &Audited,
        form: &FormData,
        errors: &[FieldError],
    ) -> Result<Response, AppError> {
        // The summary lists the problems in the order of the fields on the page.
        let mut order: Vec<String> = Vec::new();
        for d in &rec.domains {
            order.push(format!("grade_{}", d.key));
            order.push(format!("evidence_{}", d.key));
        }
        order.extend(["overall", "worker_conversation", "family_views"].map(String::from));
        let mut errors = errors.to_vec();
        errors.sort_by_key(|e| {
            order
                .iter()
                .position(|f| *f == e.field)
                .unwrap_or(usize::MAX)
        });
        let (by_field, error_list) = errors_value(&errors, &[]);
        let domains: Vec<Value> = rec
            .domains
            .iter()
            .map(|d| {
                let grade = format!("grade_{}", d.key);
                context! {
                    key => d.key.clone(),
                    label => d.label.clone(),
                    hint => d.hint.clone(),
                    grade_name => grade.clone(),
                    evidence_name => format!("evidence_{}", d.key),
                    items => grade_items(&form.get(&grade)),
                    evidence => form.get(&format!("evidence_{}", d.key)),
                }
            })
            .collect();
        let html = state.templates.page(
            "quality/audit_form.html",
            Some(session),
            context! {
                title => "Case file audit",
                child_name => rec.record.person.full_name(),
                child_id => t.child.to_string(),
                theme => rec.programme.theme.clone(),
                programme_id => rec.programme.id.to_string(),
                action => format!("/quality/audits/children/{}?programme={}", t.child, rec.programme.id),
                domains,
                overall => grade_items(&form.get("overall")),
                worker_conversation => form.get("worker_conversation"),
                family_views => form.get("family_views"),
                errors => by_field,
                error_list,
            },
        )?;
        Ok((status(&errors), html).into_response())
    }
}
