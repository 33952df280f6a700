//! Adoption (the decision to place, the match, the reversal), convictions and substance misuse,
//! and previous permanence, on both backends: saved with their audit entries, refusals save
//! nothing, the care forms check against the decisions, and the child's part of the 903 export
//! holds them.

use domain::access::{AuditAction, Role};
use domain::looked_after::adoption::AdoptionStep;
use domain::looked_after::care::{CareChange, CeaseCare, NewPlacement};
use domain::looked_after::health::NewOc2Event;
use store::{Actor, AuditQuery, StoreError};

use crate::looked_after_care::entering;

/// Entering care with no previous permanence (the children here are young).
pub(crate) fn entering_care() -> domain::looked_after::care::NewCarePeriod {
    domain::looked_after::care::NewCarePeriod {
        previous_permanence: "Z1".into(),
        previous_permanence_la: String::new(),
        previous_permanence_on: None,
        ..entering()
    }
}
use crate::{Fixture, child, conformance, date, user};

fn step(kind: &str, on: chrono::NaiveDate) -> AdoptionStep {
    AdoptionStep {
        kind: kind.into(),
        on,
        adopters: None,
        adopters_sex: String::new(),
        adopters_legal_status: String::new(),
        foster_carers: None,
        reason: String::new(),
    }
}

fn field_of<T: std::fmt::Debug>(r: Result<T, StoreError>) -> &'static str {
    match r {
        Err(StoreError::Invalid { field, .. }) => field,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

conformance!(adoption_is_decided_matched_and_ends_care);
async fn adoption_is_decided_matched_and_ends_care(f: &Fixture) {
    let s = &f.store;
    let tm = Actor::user(user(s, "tm", Role::TeamManager).await.id);
    let sw = Actor::user(user(s, "sw", Role::SocialWorker).await.id);
    let kid = s
        .create_person(Actor::SYSTEM, child("Ada", "Moss", date(2022, 6, 1), "C1"))
        .await
        .unwrap();
    // Not in care: no decision.
    assert_eq!(
        field_of(
            s.record_adoption_step(sw, kid.id, step("decision", date(2025, 5, 1)))
                .await
        ),
        "on"
    );
    s.enter_care(tm, kid.id, entering_care()).await.unwrap();

    // A placement order before any decision is refused (553), nothing saved.
    let to_e1 = CareChange {
        changed_on: date(2025, 6, 2),
        kind: "legal_status".into(),
        legal_status: "E1".into(),
        placement: NewPlacement::default(),
        same_carer: None,
        reason_place_change: String::new(),
    };
    assert_eq!(
        field_of(s.change_care(sw, kid.id, to_e1.clone()).await),
        "legal_status"
    );
    assert_eq!(
        s.latest_care_period(kid.id)
            .await
            .unwrap()
            .unwrap()
            .episodes
            .len(),
        1
    );

    let d = s
        .record_adoption_step(sw, kid.id, step("decision", date(2025, 5, 1)))
        .await
        .unwrap();
    assert_eq!(
        (d.decided_on, d.ceased_on, d.matched.is_none()),
        (date(2025, 5, 1), None, true)
    );
    // One decision at a time.
    assert_eq!(
        field_of(
            s.record_adoption_step(sw, kid.id, step("decision", date(2025, 5, 2)))
                .await
        ),
        "kind"
    );
    s.change_care(sw, kid.id, to_e1).await.unwrap();

    // A match whose adopters do not agree is refused; then matched.
    let mut m = step("match", date(2025, 9, 1));
    m.adopters = Some(2);
    m.adopters_sex = "F1".into();
    m.adopters_legal_status = "L11".into();
    m.foster_carers = Some(true);
    assert_eq!(
        field_of(s.record_adoption_step(sw, kid.id, m.clone()).await),
        "adopters_sex"
    );
    m.adopters_sex = "mf".into();
    let matched = s.record_adoption_step(sw, kid.id, m.clone()).await.unwrap();
    let mm = matched.matched.clone().expect("matched");
    assert_eq!(
        (
            mm.matched_on,
            mm.adopters,
            mm.adopters_sex.as_str(),
            mm.adopters_legal_status.as_str(),
            mm.foster_carers
        ),
        (date(2025, 9, 1), 2, "MF", "L11", true)
    );
    assert_eq!(
        field_of(s.record_adoption_step(sw, kid.id, m).await),
        "kind"
    );

    // Placed with the adopters (their foster carers: A5, same carer), then adopted.
    s.change_care(
        sw,
        kid.id,
        CareChange {
            changed_on: date(2025, 10, 1),
            kind: "placement".into(),
            legal_status: String::new(),
            placement: NewPlacement {
                placement: "A5".into(),
                provider: "PR1".into(),
                postcode: "ab1 2ab".into(),
                urn: "SC123456".into(),
                carer: "Jo and Sam Carer".into(),
                planned: Some(true),
            },
            same_carer: Some(true),
            reason_place_change: "CARPL".into(),
        },
    )
    .await
    .unwrap();
    // Adopted on the day of the match: refused (582).
    assert_eq!(
        field_of(
            s.cease_care(
                sw,
                kid.id,
                CeaseCare {
                    ended_on: date(2025, 9, 1),
                    reason_ceased: "E11".into()
                }
            )
            .await
        ),
        "ended"
    );
    s.cease_care(
        sw,
        kid.id,
        CeaseCare {
            ended_on: date(2026, 1, 20),
            reason_ceased: "E11".into(),
        },
    )
    .await
    .unwrap();

    // The record and the audit.
    let rec = s.view_child_record(sw, kid.id, "test").await.unwrap();
    assert_eq!(rec.looked_after.adoption.len(), 1);
    assert!(rec.looked_after.adoption[0].matched.is_some());
    let audit = s
        .audit_entries(&AuditQuery {
            person_id: Some(kid.id),
            limit: 1000,
            ..Default::default()
        })
        .await
        .unwrap();
    let kinds: Vec<&str> = audit
        .iter()
        .filter(|e| e.action == AuditAction::Create)
        .map(|e| e.entity_type.as_str())
        .collect();
    assert!(
        kinds.contains(&"cla_adoption_decision") && kinds.contains(&"cla_adoption_match"),
        "{kinds:?}"
    );

    // The child's part of the 903 for 2025/26 holds the decision, the match and previous
    // permanence; everyone's export holds the same for them.
    let x = s.looked_after_export_for(2026, kid.id).await.unwrap();
    assert_eq!(x.children.len(), 1);
    assert_eq!(x.adoption.len(), 1);
    assert_eq!(x.previous_permanence.len(), 1);
    assert_eq!(
        (
            x.previous_permanence[0].code.as_str(),
            x.previous_permanence[0].la.as_deref()
        ),
        ("Z1", None)
    );
    let all = s.looked_after_export(2026).await.unwrap();
    assert_eq!(all.adoption, x.adoption);
}

conformance!(a_reversal_ends_the_decision_and_other_endings_need_it);
async fn a_reversal_ends_the_decision_and_other_endings_need_it(f: &Fixture) {
    let s = &f.store;
    let tm = Actor::user(user(s, "tm", Role::TeamManager).await.id);
    let sw = Actor::user(user(s, "sw", Role::SocialWorker).await.id);
    let kid = s
        .create_person(Actor::SYSTEM, child("Bo", "Moss", date(2021, 6, 1), "C2"))
        .await
        .unwrap();
    s.enter_care(tm, kid.id, entering_care()).await.unwrap();
    s.record_adoption_step(sw, kid.id, step("decision", date(2025, 5, 1)))
        .await
        .unwrap();
    // Going home with the decision in force is refused (557).
    let home = CeaseCare {
        ended_on: date(2025, 12, 1),
        reason_ceased: "E4A".into(),
    };
    assert_eq!(
        field_of(s.cease_care(sw, kid.id, home.clone()).await),
        "reason_ceased"
    );
    // A reversal before the decision, or without a reason, is refused.
    let mut r = step("reversal", date(2025, 4, 30));
    r.reason = "RD1".into();
    assert_eq!(
        field_of(s.record_adoption_step(sw, kid.id, r.clone()).await),
        "on"
    );
    r.on = date(2025, 11, 1);
    r.reason = String::new();
    assert_eq!(
        field_of(s.record_adoption_step(sw, kid.id, r.clone()).await),
        "reason"
    );
    r.reason = "RD1".into();
    let reversed = s.record_adoption_step(sw, kid.id, r).await.unwrap();
    assert_eq!(
        (reversed.ceased_on, reversed.reason_ceased.as_deref()),
        (Some(date(2025, 11, 1)), Some("RD1"))
    );
    // The change is audited with the decision before and after.
    let audit = s
        .audit_entries(&AuditQuery {
            person_id: Some(kid.id),
            limit: 1000,
            ..Default::default()
        })
        .await
        .unwrap();
    let update = audit
        .iter()
        .find(|e| e.action == AuditAction::Update && e.entity_type == "cla_adoption_decision")
        .expect("the reversal's audit entry");
    assert!(update.before.is_some() && update.after.is_some());
    s.cease_care(sw, kid.id, home).await.unwrap();
    // A row cannot be deleted.
    assert!(
        f.raw_execute("DELETE FROM cla_adoption_decision")
            .await
            .is_err()
    );
}

conformance!(convictions_and_substance_misuse_are_recorded_for_the_oc2);
async fn convictions_and_substance_misuse_are_recorded_for_the_oc2(f: &Fixture) {
    let s = &f.store;
    let tm = Actor::user(user(s, "tm", Role::TeamManager).await.id);
    let sw = Actor::user(user(s, "sw", Role::SocialWorker).await.id);
    let kid = s
        .create_person(Actor::SYSTEM, child("Cy", "Moss", date(2011, 6, 1), "C3"))
        .await
        .unwrap();
    let entering_care = entering;
    let ev = |kind: &str, r: Option<bool>, o: Option<bool>| NewOc2Event {
        kind: kind.into(),
        happened_on: date(2025, 8, 1),
        intervention_received: r,
        intervention_offered: o,
        note: " Cannabis, referred to the young people's service. ".into(),
    };
    // Not in care yet.
    assert_eq!(
        field_of(
            s.record_oc2_event(sw, kid.id, ev("conviction", None, None))
                .await
        ),
        "happened"
    );
    s.enter_care(tm, kid.id, entering_care()).await.unwrap();
    assert_eq!(
        field_of(
            s.record_oc2_event(sw, kid.id, ev("substance_misuse", None, None))
                .await
        ),
        "intervention_received"
    );
    let saved = s
        .record_oc2_event(sw, kid.id, ev("substance_misuse", Some(false), Some(true)))
        .await
        .unwrap();
    assert_eq!(
        saved.note,
        "Cannabis, referred to the young people's service."
    );
    s.record_oc2_event(sw, kid.id, ev("conviction", None, None))
        .await
        .unwrap();
    let care = s.care_reviews(kid.id).await.unwrap();
    assert_eq!(
        care.oc2_events
            .iter()
            .map(|e| e.kind.as_str())
            .collect::<Vec<_>>(),
        vec!["substance_misuse", "conviction"]
    );
    let x = s.looked_after_export_for(2026, kid.id).await.unwrap();
    assert_eq!(x.oc2_events.len(), 2);
    assert!(f.raw_execute("DELETE FROM cla_oc2_event").await.is_err());
}

conformance!(uasc_status_ends_once_and_gives_the_903_its_date);
async fn uasc_status_ends_once_and_gives_the_903_its_date(f: &Fixture) {
    use domain::looked_after::UascEnd;
    let s = &f.store;
    let tm = Actor::user(user(s, "tm", Role::TeamManager).await.id);
    let sw = Actor::user(user(s, "sw", Role::SocialWorker).await.id);
    let mut details = child("Fen", "Moss", date(2009, 5, 1), "C9");
    details.uasc = true;
    let kid = s.create_person(Actor::SYSTEM, details).await.unwrap();
    let other = s
        .create_person(Actor::SYSTEM, child("Gus", "Moss", date(2009, 5, 1), "C10"))
        .await
        .unwrap();
    let end = |on, reason: &str| UascEnd {
        ceased_on: on,
        reason: reason.into(),
    };
    // Only for a child recorded as UASC; by the 18th birthday; once.
    assert_eq!(
        field_of(
            s.record_uasc_end(sw, other.id, end(date(2025, 6, 1), "leave_granted"))
                .await
        ),
        "ceased"
    );
    assert_eq!(
        field_of(
            s.record_uasc_end(sw, kid.id, end(date(2025, 6, 1), "nope"))
                .await
        ),
        "reason"
    );
    s.enter_care(tm, kid.id, entering()).await.unwrap();
    s.record_uasc_end(sw, kid.id, end(date(2025, 6, 1), "leave_granted"))
        .await
        .unwrap();
    assert_eq!(
        field_of(
            s.record_uasc_end(sw, kid.id, end(date(2025, 7, 1), "other"))
                .await
        ),
        "ceased"
    );
    let rec = s.view_child_record(sw, kid.id, "test").await.unwrap();
    assert_eq!(
        rec.looked_after.uasc_ended.map(|u| u.ceased_on),
        Some(date(2025, 6, 1))
    );
    let x = s.looked_after_export_for(2026, kid.id).await.unwrap();
    assert_eq!(x.children[0].uasc_ceased_on, Some(date(2025, 6, 1)));
    assert!(f.raw_execute("DELETE FROM uasc_status_end").await.is_err());
}
