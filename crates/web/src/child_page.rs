//! The child's page and the API's view of the whole record: one projection of the record
//! (`store::ChildRecord`), composed from each capability's section. This module and `lib.rs` are
//! the only ones that depend on several capabilities.

use crate::AppState;
use crate::api::ApiError;
use crate::auth::Session;
use crate::codes as person_codes;
use crate::error::AppError;
use crate::forms::fields::fmt_date;
use crate::forms::fields::fmt_datetime;
use crate::forms::fields::label;
use crate::forms::fields::today;
use crate::guard::open_child;
use crate::policy::Action;
use crate::policy::check_role;
use axum::Json;
use axum::extract::Path;
use axum::extract::Query;
use axum::extract::State;
use axum::response::Html;
use domain::access::Role;
use domain::case_notes::NoteKind;
use domain::child_protection::ConferenceKind;
use domain::codes;
use domain::codes::CodeList;
use domain::person::PersonKind;
use domain::timescales::Rag;
use minijinja::Value;
use minijinja::context;
use serde::Deserialize;
use serde::Serialize;
use store::ChildRecord;
use utoipa::ToSchema;

/// The journey sections of the child's page, and what the user may do there.
pub fn journey_sections(rec: &store::ChildRecord, session: &Session) -> Value {
    let today = today();
    let age = rec.person.age_on(today);
    let in_care = rec
        .looked_after
        .episodes
        .iter()
        .any(|e| e.ended_on.is_none());
    let disabled = rec.person.details.disabilities.iter().any(|d| d != "NONE");
    let contacts: Vec<Value> = rec
        .front_door.contacts
        .iter()
        .map(|c| {
            context! {
                id => c.id.to_string(),
                received => fmt_datetime(c.received_at),
                source => label(codes::referral_source(), &c.source),
                decision => c.decision.as_ref().map(|d| label(codes::front_door_outcome(), &d.outcome)),
                rag_label => Rag::of(c.decision_due, today).label(),
                rag_class => Rag::of(c.decision_due, today).tag_class(),
            }
        })
        .collect();
    let referrals: Vec<Value> = rec
        .front_door
        .referrals
        .iter()
        .map(|r| {
            let a = rec.assessments.iter().find(|a| a.referral_id == r.id);
            context! {
                id => r.id.to_string(),
                closed => r.closed_on.map(fmt_date),
                closure => r.closure_reason.as_deref().map(|c| label(codes::closure_reason(), c)),
                date => fmt_date(r.referral_date),
                source => label(codes::referral_source(), &r.source),
                re_referral => r.re_referral,
                previous => r.previous_referral.map(fmt_date),
                assessment => a.map(|a| a.id.to_string()),
            }
        })
        .collect();
    let assessments: Vec<Value> = rec
        .assessments
        .iter()
        .map(|a| {
            let (status, class) = match (a.completed_on, a.authorised_on) {
                (_, Some(_)) => ("Authorised", "govuk-tag--green"),
                (Some(_), None) => ("Awaiting authorisation", "govuk-tag--blue"),
                (None, None) => {
                    let rag = Rag::of(a.due_on, today);
                    (rag.label(), rag.tag_class())
                }
            };
            context! {
                id => a.id.to_string(),
                started => fmt_date(a.started_on),
                due => fmt_date(a.due_on),
                completed => a.completed_on.map(fmt_date),
                status,
                class,
            }
        })
        .collect();
    // Visits entered in error are not counted.
    let visits = || {
        rec.notes.iter().filter(|n| {
            n.note.kind == NoteKind::Visit
                && !domain::correction::entered_in_error(&rec.corrections, "note", n.id)
        })
    };
    let last_visit = visits().map(|n| n.note.date).max();
    let last_seen_alone = visits()
        .filter(|n| n.note.seen_alone == Some(true))
        .map(|n| n.note.date)
        .max();
    let u = &session.user;
    let notes: Vec<Value> = rec
        .notes
        .iter()
        .map(|n| {
            let may = check_role(u, crate::case_notes::pages::note_action(n.note.kind)).is_ok();
            context! {
                id => n.id.to_string(),
                kind => n.note.kind.label(),
                date => fmt_date(n.note.date),
                by => n.recorded_by.clone(),
                corrections => crate::forms::correct::view::<crate::case_notes::corrections::NoteCorrection>(rec, n.id, &n.note, may),
            }
        })
        .collect();
    context! {
        contacts,
        referrals,
        assessments,
        notes,
        last_visit => last_visit.map(fmt_date),
        last_seen_alone => last_seen_alone.map(fmt_date),
        may_contact => check_role(u, Action::RecordContact).is_ok(),
        may_casework => check_role(u, Action::RecordCasework).is_ok(),
        may_oversee => check_role(u, Action::Oversee).is_ok(),
        // Only the actions that fit the child: early help is for children (under 18) not in
        // care; private fostering for a child under 16 (under 18 if disabled) not in care.
        fits_early_help => age.is_none_or(|a| a < 18) && !in_care,
        fits_private_fostering => age.is_none_or(|a| a < if disabled { 18 } else { 16 }) && !in_care,
    }
}

/// The casework sections of the child's page.
pub fn casework_sections(rec: &store::ChildRecord) -> Value {
    let cp = &rec.child_protection;
    let label = |l: &CodeList, code: &str| l.label(code).unwrap_or(code).to_string();
    let open_plan = cp.cp_plans.iter().find(|p| p.ended_on.is_none());
    let t = today();
    context! {
        early_help => rec.early_help.iter().map(|e| context! {
            id => e.id.to_string(), started => fmt_date(e.started_on), lead => e.lead.clone(),
            ended => e.ended_on.map(fmt_date), end_reason => e.end_reason.as_deref().map(|r| label(codes::early_help_end(), r)),
            origin => match e.origin.as_str() { "front_door" => "from the front door", "step_down" => "stepped down after assessment", _ => "" },
        }).collect::<Vec<_>>(),
        early_help_open => rec.early_help.iter().any(|e| e.ended_on.is_none()),
        cin_plans => rec.cin_plans.iter().map(|p| context! {
            id => p.id.to_string(), started => fmt_date(p.started_on), ended => p.ended_on.map(fmt_date),
            need => label(codes::primary_need(), &p.primary_need), actions => p.actions.len(), overdue => p.actions_overdue(t),
        }).collect::<Vec<_>>(),
        s47s => cp.s47s.iter().map(|s| context! {
            id => s.id.to_string(), started => fmt_date(s.started_on), due => fmt_date(s.icpc_due),
            outcome => s.outcome.as_deref().map(|o| label(codes::s47_outcome(), o)),
        }).collect::<Vec<_>>(),
        conferences => cp.conferences.iter().map(|k| context! {
            kind => if k.kind == ConferenceKind::Initial { "Initial" } else { "Review" },
            held => fmt_date(k.held_on), due => fmt_date(k.due_on), late => k.held_on > k.due_on,
            outcome => match (&k.category, k.plan) { (Some(cat), true) => format!("Plan: {}", label(codes::abuse_category(), cat)), _ => "No plan".to_string() },
            agencies => k.agencies.iter().map(|a| label(codes::meeting_agency(), a)).collect::<Vec<_>>().join(", "),
        }).collect::<Vec<_>>(),
        cp_plan => open_plan.map(|p| context! {
            id => p.id.to_string(), started => fmt_date(p.started_on),
            category => label(codes::abuse_category(), &p.latest_category),
            repeat => p.repeat,
            next_review => p.next_review_due().map(fmt_date),
            core_group_due => p.first_core_group_due().map(fmt_date),
            core_groups => p.core_groups.len(),
        }),
        icpc_pending => cp.s47s.iter().any(|s| s.outcome.as_deref() == Some("icpc") && !cp.conferences.iter().any(|k| k.kind == ConferenceKind::Initial && k.held_on >= s.started_on)),
        past_plans => cp.cp_plans.iter().filter(|p| p.ended_on.is_some()).map(|p| context! {
            started => fmt_date(p.started_on), ended => p.ended_on.map(fmt_date), category => label(codes::abuse_category(), &p.initial_category),
        }).collect::<Vec<_>>(),
    }
}

pub(crate) fn summary_row(key: &str, value: String) -> Value {
    context! { key => context! { text => key }, value => context! { text => value } }
}

pub(crate) fn display_date(d: Option<chrono::NaiveDate>) -> String {
    d.map(|d| d.format("%-d %B %Y").to_string())
        .unwrap_or_else(|| "Not known".into())
}

/// Where the child is on their journey today, from their record: the banner's lines.
pub(crate) fn case_status(rec: &ChildRecord) -> domain::work::CaseStatus {
    let open_episode = rec
        .looked_after
        .episodes
        .iter()
        .find(|e| e.ended_on.is_none());
    let looked_after = open_episode.and_then(|open| {
        rec.looked_after
            .episodes
            .iter()
            .filter(|e| e.period_id == open.period_id)
            .map(|e| e.started_on)
            .min()
    });
    let cp = rec
        .child_protection
        .cp_plans
        .iter()
        .find(|p| p.ended_on.is_none());
    domain::work::CaseStatus {
        cp_plan: cp.map(|p| p.started_on),
        cp_category: cp.map(|p| p.latest_category.clone()),
        looked_after,
        legal_status: open_episode.map(|e| e.legal_status.clone()),
        cin_plan: rec
            .cin_plans
            .iter()
            .filter(|p| p.ended_on.is_none())
            .map(|p| p.started_on)
            .min(),
        open_referral: rec
            .front_door
            .referrals
            .iter()
            .filter(|r| r.closed_on.is_none())
            .map(|r| r.referral_date)
            .min(),
        early_help: rec
            .early_help
            .iter()
            .filter(|e| e.ended_on.is_none())
            .map(|e| e.started_on)
            .min(),
        private_fostering: rec
            .private_fostering
            .iter()
            .filter(|a| a.ended_on.is_none())
            .map(|a| a.notified_on)
            .min(),
        care_leaver: rec.care_leavers.current_adviser().is_some(),
        restricted: rec.person.details.restricted,
    }
}

pub(crate) fn record_context(rec: &ChildRecord) -> Value {
    let d = &rec.person.details;
    let today = chrono::Utc::now().date_naive();
    let age_words = d
        .date_of_birth
        .and_then(|b| domain::person::age_text(b, today));
    let age = age_words
        .as_ref()
        .map(|a| format!(" (age {a})"))
        .unwrap_or_default();
    let dob = match (d.date_of_birth, d.expected_date_of_birth) {
        (Some(b), _) => format!("{}{age}", display_date(Some(b))),
        (None, Some(e)) => format!("Unborn: expected {}", display_date(Some(e))),
        _ => "Not known".into(),
    };
    let disabilities = if d.disabilities.is_empty() {
        "Not recorded".to_string()
    } else {
        d.disabilities
            .iter()
            .map(|c| person_codes::disability_label(c))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let summary_rows = vec![
        summary_row("Date of birth", dob),
        summary_row("Sex", person_codes::sex_label(&d.sex)),
        summary_row(
            "Ethnicity",
            if d.ethnicity.is_empty() {
                "Not recorded".into()
            } else {
                person_codes::ethnicity_label(&d.ethnicity)
            },
        ),
        summary_row("Disabilities", disabilities),
        summary_row(
            "Unaccompanied asylum-seeking child",
            if d.uasc { "Yes".into() } else { "No".into() },
        ),
        summary_row(
            "Current address",
            rec.current_address()
                .map(|a| format!("{}, {} {}", a.line1, a.town, a.postcode))
                .unwrap_or_else(|| "Not recorded".into()),
        ),
    ];
    let ids = &d.identifiers;
    let or_none = |v: &Option<String>| v.clone().unwrap_or_else(|| "Not recorded".into());
    let identifier_rows = vec![
        summary_row("Council child ID", or_none(&ids.council_child_id)),
        summary_row(
            "NHS number",
            ids.nhs_number
                .as_deref()
                .map(format_nhs)
                .unwrap_or_else(|| "Not recorded".into()),
        ),
        summary_row("UPN", or_none(&ids.upn)),
        summary_row("Former UPN", or_none(&ids.former_upn)),
    ];
    let relationships: Vec<Value> = rec
        .relationships
        .iter()
        .map(|r| {
            let kind = person_codes::relationship_label(&r.relationship.kind);
            let relationship = if r.other_is_subject { kind } else { format!("{} is their {}", rec.person.details.given_name, kind.to_lowercase()) };
            context! {
                name => r.other.full_name(),
                link => (r.other.kind == PersonKind::Child && !r.other.id.is_nil()).then(|| format!("/children/{}", r.other.id)),
                relationship,
                dob => r.other.date_of_birth.map(|d| d.to_string()),
            }
        })
        .collect();
    let status = case_status(rec);
    let adviser = rec.care_leavers.current_adviser();
    let social_worker = rec.allocations.iter().find(|a| {
        a.allocation.to.is_none() && adviser.is_none_or(|p| p.worker_id != a.allocation.worker_id)
    });
    let banner = context! {
        age => age_words,
        born => d.date_of_birth.map(|b| display_date(Some(b))),
        expected => d.expected_date_of_birth.filter(|_| d.date_of_birth.is_none()).map(|e| display_date(Some(e))),
        status => status.lines(),
        worker => social_worker.map(|a| a.worker_name.clone()),
        team => social_worker.and_then(|a| a.team_name.clone()),
        adviser => adviser.map(|a| a.worker_name.clone()),
        council_child_id => ids.council_child_id.clone(),
        nhs => ids.nhs_number.as_deref().map(format_nhs),
        address => rec.current_address().map(|a| format!("{}, {} {}", a.line1, a.town, a.postcode)),
    };
    context! {
        id => rec.person.id.to_string(),
        name => rec.person.full_name(),
        title => rec.person.full_name(),
        banner,
        p => context! {
            council_child_id => ids.council_child_id.clone(),
            restricted => d.restricted,
        },
        summary_rows,
        identifier_rows,
        relationships,
        addresses => Value::from_serialize(&rec.addresses),
        allocation => Value::from_serialize(rec.current_allocation()),
        chronology => Value::from_serialize(&rec.chronology),
    }
}

pub(crate) fn format_nhs(n: &str) -> String {
    if n.len() == 10 {
        format!("{} {} {}", &n[..3], &n[3..6], &n[6..])
    } else {
        n.to_string()
    }
}

#[derive(Deserialize)]
pub struct ShowParams {
    saved: Option<String>,
    /// The section of the record: "summary" (the default), "casework", "care", "chronology",
    /// "viewers" (managers) or "all" (the whole record on one page, for printing).
    section: Option<String>,
    /// Chronology filters: one type of entry, the period ("3m", "6m", "12m"), significant
    /// events only ("yes").
    #[serde(rename = "type")]
    kind: Option<String>,
    period: Option<String>,
    significant: Option<String>,
}

/// The sections of the child's page, in order.
const SECTIONS: [(&str, &str); 6] = [
    ("summary", "Summary and family"),
    ("casework", "Casework"),
    ("care", "Care and leaving care"),
    ("chronology", "Chronology"),
    ("viewers", "Who has viewed"),
    ("all", "Whole record"),
];

/// Where a saved form's confirmation is shown: the section holding what was saved.
fn section_of_saved(saved: &str) -> &'static str {
    match saved {
        "care_entered"
        | "care_changed"
        | "care_ceased"
        | "permanence"
        | "pep"
        | "adoption"
        | "oc2_event"
        | "uasc_end"
        | "health_check"
        | "personal_adviser"
        | "pathway_plan"
        | "keeping_in_touch"
        | "leaving_care_status"
        | "needs_assessment"
        | "support_to_25"
        | "pathway_progress" => "care",
        "visit" | "case_note" | "oversight" | "early_help" | "early_help_ended" | "stepped_up"
        | "closed" | "strategy" | "s47" | "conference" | "core_group" | "pf_notified"
        | "pf_visit" | "pf_assessed" | "pf_ended" => "casework",
        _ => "summary",
    }
}

/// The chronology as filtered, and the filter's choices.
fn chronology_view(rec: &ChildRecord, q: &ShowParams) -> Value {
    let today = today();
    let kind = q.kind.as_deref().filter(|k| !k.is_empty());
    let significant = q.significant.as_deref() == Some("yes");
    let months = match q.period.as_deref() {
        Some("3m") => Some(3),
        Some("6m") => Some(6),
        Some("12m") => Some(12),
        _ => None,
    };
    let since = months.and_then(|m| today.checked_sub_months(chrono::Months::new(m)));
    let mut types: Vec<&str> = rec.chronology.iter().map(|e| e.category.as_str()).collect();
    types.sort_unstable();
    types.dedup();
    let entries: Vec<&domain::chronology::ChronologyEntry> = rec
        .chronology
        .iter()
        .filter(|e| kind.is_none_or(|k| e.category == k))
        .filter(|e| !significant || domain::chronology::is_significant(e))
        .filter(|e| since.is_none_or(|s| e.date >= s))
        .collect();
    context! {
        entries => Value::from_serialize(&entries),
        types => types.iter().map(|t| context! { value => t, selected => kind == Some(*t) }).collect::<Vec<_>>(),
        period => q.period.clone().unwrap_or_default(),
        significant,
        filtered => kind.is_some() || significant || since.is_some(),
        total => rec.chronology.len(),
    }
}

pub async fn show(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
    Query(q): Query<ShowParams>,
) -> Result<Html<String>, AppError> {
    let rec = open_child(
        &state,
        &session,
        &id,
        "/children/{id}",
        "child's page",
        false,
    )
    .await?;
    let saved = match q.saved.as_deref() {
        Some("created") => Some("Child added"),
        Some("updated") => Some("Details saved"),
        Some("corrected") => Some("Correction saved"),
        Some("allocated") => Some("Worker allocated"),
        Some("co-worker") => Some("Co-worker added"),
        Some("co-working-ended") => Some("Co-working ended"),
        Some("address") => Some("Address saved"),
        Some("family") => Some("Family member added"),
        Some("visit") => Some("Visit recorded"),
        Some("case_note") => Some("Case note added"),
        Some("oversight") => Some("Management oversight recorded"),
        Some("early_help") => Some("Early help started"),
        Some("early_help_ended") => Some("Early help ended"),
        Some("care_entered") => Some("Entering care recorded"),
        Some("care_changed") => Some("Placement move or change of legal status recorded"),
        Some("care_ceased") => Some("Ceasing care recorded"),
        Some("permanence") => Some("Permanence plan recorded"),
        Some("pep") => Some("Personal education plan recorded"),
        Some("adoption") => Some("Adoption decision or match recorded"),
        Some("oc2_event") => Some("Conviction or substance misuse recorded"),
        Some("uasc_end") => Some("End of UASC status recorded"),
        Some("health_check") => Some("Health check recorded"),
        Some("stepped_up") => Some("Stepped up: a contact is on the front-door queue"),
        Some("closed") => Some("Child in need episode closed"),
        Some("strategy") => Some("Strategy discussion recorded"),
        Some("s47") => Some("Section 47 outcome recorded"),
        Some("conference") => Some("Conference recorded"),
        Some("core_group") => Some("Core group recorded"),
        Some("pf_notified") => Some("Private fostering notification recorded"),
        Some("pf_visit") => Some("Private fostering visit recorded"),
        Some("pf_assessed") => Some("Private fostering assessment recorded"),
        Some("pf_ended") => Some("Private fostering arrangement ended"),
        Some("personal_adviser") => Some("Personal adviser allocated"),
        Some("pathway_plan") => Some("Pathway plan recorded"),
        Some("keeping_in_touch") => Some("Keeping in touch recorded"),
        Some("leaving_care_status") => Some("Activity and accommodation recorded"),
        Some("needs_assessment") => Some("Needs assessment recorded"),
        Some("support_to_25") => Some("Request for support to 25 recorded"),
        Some("pathway_progress") => Some("Progress on the pathway plan recorded"),
        _ => None,
    };
    let manager = session.user.role == Role::TeamManager;
    let section = match q.section.as_deref() {
        Some(s) if SECTIONS.iter().any(|(c, _)| *c == s) && (s != "viewers" || manager) => s,
        _ => q
            .saved
            .as_deref()
            .map(section_of_saved)
            .unwrap_or("summary"),
    };
    let all = section == "all";
    let sec = context! {
        summary => all || section == "summary",
        casework => all || section == "casework",
        care => all || section == "care",
        chronology => all || section == "chronology",
        viewers => all || section == "viewers",
        name => section,
    };
    let sections: Vec<Value> = SECTIONS
        .iter()
        .filter(|(c, _)| *c != "viewers" || manager)
        .map(|(c, l)| context! { code => c, label => l, current => *c == section })
        .collect();
    let chronology_filtered = chronology_view(&rec, &q);
    let ctx = record_context(&rec);
    let journey = crate::child_page::journey_sections(&rec, &session);
    let casework = crate::child_page::casework_sections(&rec);
    let looked_after = crate::looked_after::section(&rec, &session);
    let care_summary = crate::looked_after::summary(&state, &session, &rec).await?;
    let care_return = crate::looked_after::return_findings(&state, &rec).await?;
    let private_fostering = crate::private_fostering::section(&rec);
    let viewers = if manager {
        Some(recent_viewers(&state, rec.person.id).await?)
    } else {
        None
    };
    let care_leavers = crate::care_leavers::section(
        &rec,
        check_role(&session.user, Action::RecordCasework).is_ok(),
    );
    // A second worker on the case (co-working), beside the allocated social worker.
    let co_workers: Vec<minijinja::Value> = state
        .store
        .co_workers(rec.person.id)
        .await?
        .into_iter()
        .map(|(_, name, from)| context! { name, from => crate::forms::fields::fmt_date(from) })
        .collect();
    state.templates.page(
        "child_page/show.html",
        Some(&session),
        context! { saved, may_allocate => manager, co_workers, sec, sections, chronology_filtered, viewers, journey, casework, looked_after, care_summary, care_return, private_fostering, care_leavers, ..ctx },
    )
}

/// Who has viewed the child's record lately, for managers: the last 10 people (each with when
/// they last viewed it and how many views of the last 200), from the access log. The full list
/// is the audit log's, searched by the child.
async fn recent_viewers(
    state: &AppState,
    child: uuid::Uuid,
) -> Result<Vec<minijinja::Value>, AppError> {
    let entries = state
        .store
        .audit_entries(&store::AuditQuery {
            person_id: Some(child),
            action: Some(domain::access::AuditAction::View),
            limit: 200,
            ..Default::default()
        })
        .await?;
    let mut seen: Vec<(Option<uuid::Uuid>, chrono::DateTime<chrono::Utc>, usize)> = Vec::new();
    for e in &entries {
        if let Some(s) = seen.iter_mut().find(|(who, ..)| *who == e.actor) {
            s.2 += 1;
        } else if seen.len() < 10 {
            seen.push((e.actor, e.at, 1));
        }
    }
    let users = state.store.list_users().await?;
    Ok(seen
        .into_iter()
        .map(|(who, at, views)| {
            let user = who.and_then(|id| users.iter().find(|u| u.id == id));
            context! {
                name => user.map(|u| u.display_name.clone()).unwrap_or_else(|| "Hearth (system)".into()),
                role => user.map(|u| u.role.label()).unwrap_or(""),
                when => domain::calendar::uk_local(at).format("%-d %B %Y at %H:%M").to_string(),
                views,
            }
        })
        .collect())
}

#[derive(Serialize, ToSchema)]
pub struct CaseworkJson {
    pub journey: JourneyJson,
    pub casework: CaseworkSectionsJson,
}

/// The front door, assessments and notes on a child's record, newest first.
#[derive(Serialize, ToSchema)]
pub struct JourneyJson {
    pub contacts: Vec<domain::front_door::Contact>,
    pub referrals: Vec<domain::front_door::Referral>,
    pub assessments: Vec<domain::assessment::Assessment>,
    pub notes: Vec<domain::case_notes::Note>,
    /// Corrections to the child's records (amended with the earlier version, entered in
    /// error), oldest first: a note with one entered in error is not counted.
    pub corrections: Vec<domain::correction::Correction>,
}

/// Early help, child in need plans and child protection on a child's record, newest first.
#[derive(Serialize, ToSchema)]
pub struct CaseworkSectionsJson {
    pub early_help: Vec<domain::early_help::EarlyHelp>,
    pub cin_plans: Vec<domain::child_in_need::CinPlan>,
    pub strategies: Vec<domain::child_protection::Strategy>,
    pub s47s: Vec<domain::child_protection::S47>,
    pub conferences: Vec<domain::child_protection::Conference>,
    pub cp_plans: Vec<domain::child_protection::CpPlan>,
}

/// A child's journey and casework: contacts, referrals, assessments, notes, early help, plans and
/// child protection (an access entry on the child's record).
#[utoipa::path(get, path = "/api/children/{id}/casework",
    responses((status = 200, body = CaseworkJson), (status = 403, body = ApiError), (status = 404, body = ApiError)))]
pub(crate) async fn get_casework(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
) -> Result<Json<CaseworkJson>, AppError> {
    let rec = open_child(
        &state,
        &session,
        &id,
        "/api/children/{id}/casework",
        "GET /api/children/casework",
        true,
    )
    .await?;
    let cp = rec.child_protection;
    Ok(Json(CaseworkJson {
        journey: JourneyJson {
            contacts: rec.front_door.contacts,
            referrals: rec.front_door.referrals,
            assessments: rec.assessments,
            notes: rec.notes,
            corrections: rec.corrections,
        },
        casework: CaseworkSectionsJson {
            early_help: rec.early_help,
            cin_plans: rec.cin_plans,
            strategies: cp.strategies,
            s47s: cp.s47s,
            conferences: cp.conferences,
            cp_plans: cp.cp_plans,
        },
    }))
}

#[derive(utoipa::OpenApi)]
#[openapi(
    paths(get_casework),
    components(schemas(CaseworkJson, JourneyJson, CaseworkSectionsJson))
)]
pub struct Doc;
