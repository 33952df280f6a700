//! The workforce on both backends: joiners with their file, movers with the history kept,
//! leavers with their reason and destination, absences; refusals naming the field and saving
//! nothing; every change audited; nothing deleted.

use domain::access::AuditAction;
use domain::workforce::{
    AbsenceReason, Destination, LeavingReason, NewAbsence, NewJoiner, NewLeaver, NewMove, OrgRole,
};
use store::{Actor, AuditQuery, StoreError};

use crate::{Fixture, conformance, date};

fn joiner(team: Option<uuid::Uuid>) -> NewJoiner {
    NewJoiner {
        name: "Sam Okafor".into(),
        team_id: team,
        role_title: "Social worker".into(),
        org_role: OrgRole::CaseHolder,
        agency: false,
        fte: 0.8,
        swe_number: Some("sw 1234567".into()),
        started: date(2025, 9, 1),
        asye_started: Some(date(2025, 9, 1)),
        asye_ended: Some(date(2026, 8, 31)),
    }
}

fn invalid_field(e: StoreError) -> &'static str {
    match e {
        StoreError::Invalid { field, .. } => field,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

conformance!(joiners_movers_and_leavers_keep_their_history);
async fn joiners_movers_and_leavers_keep_their_history(f: &Fixture) {
    let s = &f.store;
    let a = s
        .create_team(Actor::SYSTEM, "Assessment team")
        .await
        .unwrap();
    let b = s
        .create_team(Actor::SYSTEM, "Children in care")
        .await
        .unwrap();
    let sam = s
        .add_joiner(Actor::SYSTEM, joiner(Some(a.id)))
        .await
        .unwrap();
    assert_eq!(sam.swe_number.as_deref(), Some("SW1234567"));
    assert_eq!(sam.fte, 0.8);
    assert!(sam.in_asye(date(2026, 1, 1)));
    assert_eq!(s.staff_member(sam.worker.id).await.unwrap(), sam);

    let moved = s
        .record_move(
            Actor::SYSTEM,
            sam.worker.id,
            NewMove {
                moved_on: date(2026, 1, 5),
                team_id: Some(b.id),
                role_title: "Social worker".into(),
                org_role: OrgRole::CaseHolder,
                fte: 1.0,
                agency: false,
            },
        )
        .await
        .unwrap();
    assert_eq!(moved.worker.team_id, Some(b.id));
    assert_eq!(moved.fte, 1.0);
    assert_eq!(moved.moves.len(), 2, "the start, then the move");
    assert_eq!(moved.moves[0].team_id, Some(a.id));
    assert_eq!(moved.moves[1].from_team_id, Some(a.id));
    let before = moved.at(date(2025, 12, 1));
    assert_eq!((before.team_id, before.fte), (Some(a.id), 0.8));
    let after = moved.at(date(2026, 1, 5));
    assert_eq!((after.team_id, after.fte), (Some(b.id), 1.0));

    s.record_absence(
        Actor::SYSTEM,
        sam.worker.id,
        NewAbsence {
            first_day: date(2026, 2, 2),
            last_day: Some(date(2026, 2, 4)),
            working_days_lost: 2.5,
            reason: AbsenceReason::Sickness,
        },
    )
    .await
    .unwrap();

    let left = s
        .record_leaver(
            Actor::SYSTEM,
            sam.worker.id,
            NewLeaver {
                left: date(2026, 3, 27),
                reason: LeavingReason::Resignation,
                destination: Destination::AgencyWork,
            },
        )
        .await
        .unwrap();
    assert_eq!(left.worker.left, Some(date(2026, 3, 27)));
    assert_eq!(left.destination, Some(Destination::AgencyWork));
    assert_eq!(left.absences.len(), 1);
    assert_eq!(left.absences[0].working_days_lost, 2.5);
    let all = s.staff().await.unwrap();
    assert_eq!(all, vec![left.clone()]);

    // Leaving twice, or moving after leaving, is refused.
    let again = s
        .record_leaver(
            Actor::SYSTEM,
            sam.worker.id,
            NewLeaver {
                left: date(2026, 3, 30),
                reason: LeavingReason::Other,
                destination: Destination::NotKnown,
            },
        )
        .await
        .unwrap_err();
    assert_eq!(invalid_field(again), "left");
    assert_eq!(s.staff_member(sam.worker.id).await.unwrap(), left);

    let log = s
        .audit_entries(&AuditQuery {
            limit: 100,
            ..Default::default()
        })
        .await
        .unwrap();
    let mine: Vec<(&str, AuditAction)> = log
        .iter()
        .filter(|e| e.entity_type.starts_with("worker"))
        .map(|e| (e.detail.as_str(), e.action))
        .collect();
    for want in [
        "joiner: worker started",
        "mover: team, job, hours or employment changed",
        "leaver: worker left",
    ] {
        assert!(
            mine.iter().any(|(d, _)| *d == want),
            "{want} missing from {mine:?}"
        );
    }
    assert!(mine.iter().any(|(d, _)| d.starts_with("absence recorded")));
    let leaver = log
        .iter()
        .find(|e| e.detail == "leaver: worker left")
        .unwrap();
    assert!(leaver.before.as_ref().unwrap()["worker"]["left"].is_null());
    assert_eq!(leaver.after.as_ref().unwrap()["destination"], "agency_work");

    for sql in [
        "DELETE FROM worker",
        "DELETE FROM worker_move",
        "DELETE FROM worker_absence",
    ] {
        let err = f.raw_execute(sql).await.expect_err(sql);
        assert!(err.to_string().contains("never deleted"), "{sql}: {err}");
    }
}

conformance!(refusals_name_the_field_and_save_nothing);
async fn refusals_name_the_field_and_save_nothing(f: &Fixture) {
    let s = &f.store;
    let mut bad = joiner(None);
    bad.fte = 0.0;
    assert_eq!(
        invalid_field(s.add_joiner(Actor::SYSTEM, bad).await.unwrap_err()),
        "fte"
    );
    let unknown_team = joiner(Some(uuid::Uuid::now_v7()));
    assert_eq!(
        invalid_field(s.add_joiner(Actor::SYSTEM, unknown_team).await.unwrap_err()),
        "team_id"
    );
    assert!(s.staff().await.unwrap().is_empty());

    let sam = s.add_joiner(Actor::SYSTEM, joiner(None)).await.unwrap();
    let no_change = NewMove {
        moved_on: date(2026, 1, 5),
        team_id: None,
        role_title: "Social worker".into(),
        org_role: OrgRole::CaseHolder,
        fte: 0.8,
        agency: false,
    };
    assert_eq!(
        invalid_field(
            s.record_move(Actor::SYSTEM, sam.worker.id, no_change)
                .await
                .unwrap_err()
        ),
        "team_id"
    );
    let too_long = NewAbsence {
        first_day: date(2026, 2, 2),
        last_day: Some(date(2026, 2, 3)),
        working_days_lost: 3.0,
        reason: AbsenceReason::Training,
    };
    assert_eq!(
        invalid_field(
            s.record_absence(Actor::SYSTEM, sam.worker.id, too_long)
                .await
                .unwrap_err()
        ),
        "working_days_lost"
    );
    assert_eq!(s.staff_member(sam.worker.id).await.unwrap(), sam);
    assert!(matches!(
        s.staff_member(uuid::Uuid::now_v7()).await,
        Err(StoreError::NotFound(_))
    ));
}

conformance!(standards_co_working_and_supervision_are_kept_and_audited);
async fn standards_co_working_and_supervision_are_kept_and_audited(f: &Fixture) {
    use domain::workforce::caseload::Standards;
    use domain::workforce::supervision::{CaseDiscussion, NewSupervision};
    let s = &f.store;
    // The council's standards: the defaults, then changed (audited); a bad one refused.
    assert_eq!(s.workforce_standards().await.unwrap(), Standards::default());
    let mine = Standards {
        asye_limit: 10,
        co_working: 1.0,
        ..Standards::default()
    };
    s.set_workforce_standards(Actor::SYSTEM, mine)
        .await
        .unwrap();
    assert_eq!(s.workforce_standards().await.unwrap(), mine);
    let bad = Standards {
        asye_limit: 0,
        ..mine
    };
    assert_eq!(
        invalid_field(
            s.set_workforce_standards(Actor::SYSTEM, bad)
                .await
                .unwrap_err()
        ),
        "asye_limit"
    );
    assert_eq!(s.workforce_standards().await.unwrap(), mine);

    let team = s
        .create_team(Actor::SYSTEM, "Assessment team")
        .await
        .unwrap();
    let sam = s
        .add_joiner(Actor::SYSTEM, joiner(Some(team.id)))
        .await
        .unwrap();
    let mut m = joiner(Some(team.id));
    m.name = "Tom Manager".into();
    m.org_role = OrgRole::FirstLineManager;
    m.asye_started = None;
    m.asye_ended = None;
    m.started = date(2020, 1, 6);
    let tom = s.add_joiner(Actor::SYSTEM, m).await.unwrap();
    let kid = s
        .create_person(
            Actor::SYSTEM,
            crate::child("Ada", "Held", date(2016, 4, 1), "W1"),
        )
        .await
        .unwrap();
    let other = s
        .create_person(
            Actor::SYSTEM,
            crate::child("Bo", "Elsewhere", date(2017, 4, 1), "W2"),
        )
        .await
        .unwrap();
    // Co-working needs an allocated social worker first, and not the same worker twice.
    assert_eq!(
        invalid_field(
            s.add_co_worker(Actor::SYSTEM, kid.id, tom.worker.id, date(2025, 10, 1))
                .await
                .unwrap_err()
        ),
        "worker_id"
    );
    s.allocate(Actor::SYSTEM, kid.id, sam.worker.id, date(2025, 9, 8))
        .await
        .unwrap();
    assert_eq!(
        invalid_field(
            s.add_co_worker(Actor::SYSTEM, kid.id, sam.worker.id, date(2025, 10, 1))
                .await
                .unwrap_err()
        ),
        "worker_id"
    );
    s.add_co_worker(Actor::SYSTEM, kid.id, tom.worker.id, date(2025, 10, 1))
        .await
        .unwrap();
    let held = s.cases_held(date(2025, 11, 3)).await.unwrap();
    assert_eq!(held.len(), 2);
    assert!(
        held.iter()
            .any(|h| h.worker_id == tom.worker.id && h.co_working)
    );
    assert!(
        held.iter()
            .any(|h| h.worker_id == sam.worker.id && !h.co_working && !h.cp_plan)
    );
    assert!(
        s.cases_held(date(2025, 9, 1)).await.unwrap().is_empty(),
        "before the allocation"
    );
    assert_eq!(s.co_workers(kid.id).await.unwrap().len(), 1);
    s.end_co_working(Actor::SYSTEM, kid.id, tom.worker.id, date(2025, 12, 1))
        .await
        .unwrap();
    assert!(s.co_workers(kid.id).await.unwrap().is_empty());
    assert_eq!(s.cases_held(date(2025, 12, 2)).await.unwrap().len(), 1);

    // Supervision: a case not held by the worker is refused, saving nothing.
    let session = |child| NewSupervision {
        held_on: date(2026, 1, 5),
        supervisor_id: tom.worker.id,
        reflection: "Reflected on a hard visit and what support helps".into(),
        discussions: vec![CaseDiscussion {
            child_id: child,
            decision: "Hold a strategy discussion this week".into(),
            rationale: "A new bruise that the explanation does not fit".into(),
        }],
    };
    assert_eq!(
        invalid_field(
            s.record_supervision(Actor::SYSTEM, sam.worker.id, session(other.id))
                .await
                .unwrap_err()
        ),
        "case_1"
    );
    assert!(s.supervisions_of(sam.worker.id).await.unwrap().is_empty());
    let rec = s
        .view_child_record(Actor::SYSTEM, other.id, "test")
        .await
        .unwrap();
    assert!(rec.notes.is_empty());

    let done = s
        .record_supervision(Actor::SYSTEM, sam.worker.id, session(kid.id))
        .await
        .unwrap();
    assert_eq!(done.cases.len(), 1);
    let list = s.supervisions_of(sam.worker.id).await.unwrap();
    assert_eq!(list, vec![done.clone()]);
    assert_eq!(
        s.last_supervisions().await.unwrap().get(&sam.worker.id),
        Some(&date(2026, 1, 5))
    );
    // The discussion is management oversight on the child's record.
    let rec = s
        .view_child_record(Actor::SYSTEM, kid.id, "test")
        .await
        .unwrap();
    let note = rec.notes.iter().find(|n| n.id == done.cases[0].1).unwrap();
    assert_eq!(note.note.kind, domain::case_notes::NoteKind::Oversight);
    assert_eq!(note.note.decision, "Hold a strategy discussion this week");
    assert!(
        note.note
            .text
            .contains("supervision of Sam Okafor by Tom Manager"),
        "{}",
        note.note.text
    );
    let log = s
        .audit_entries(&AuditQuery {
            person_id: Some(kid.id),
            ..Default::default()
        })
        .await
        .unwrap();
    for want in [
        "co-worker added",
        "co-working ended",
        "management oversight recorded (case discussed in supervision)",
    ] {
        assert!(log.iter().any(|e| e.detail == want), "{want}");
    }
    let all = s
        .audit_entries(&AuditQuery {
            limit: 200,
            ..Default::default()
        })
        .await
        .unwrap();
    let entry = all
        .iter()
        .find(|e| e.detail == "supervision recorded")
        .unwrap();
    assert!(
        !entry
            .after
            .as_ref()
            .unwrap()
            .to_string()
            .contains("hard visit"),
        "the reflective notes stay out of the audit log"
    );
    assert!(
        all.iter()
            .any(|e| e.detail == "workforce standards changed")
    );
    for sql in ["DELETE FROM supervision", "DELETE FROM supervision_case"] {
        let err = f.raw_execute(sql).await.expect_err(sql);
        assert!(err.to_string().contains("never deleted"), "{sql}: {err}");
    }
}

conformance!(a_bulk_load_keeps_the_workers_files_absences_and_supervision);
async fn a_bulk_load_keeps_the_workers_files_absences_and_supervision(f: &Fixture) {
    use domain::workforce::supervision::Supervision;
    use domain::workforce::{Absence, Move, StaffMember, Team, Worker};
    let s = &f.store;
    let team = Team {
        id: uuid::Uuid::now_v7(),
        name: "Assessment team".into(),
    };
    let w = |name: &str, left| Worker {
        id: uuid::Uuid::now_v7(),
        name: name.into(),
        team_id: Some(team.id),
        role_title: "Social worker".into(),
        agency: false,
        started: date(2024, 9, 2),
        left,
    };
    let (sam, tom, plain) = (
        w("Sam", Some(date(2026, 3, 31))),
        w("Tom", None),
        w("Pat", None),
    );
    let file = StaffMember {
        worker: sam.clone(),
        org_role: OrgRole::CaseHolder,
        fte: 0.8,
        swe_number: Some("SW123".into()),
        asye_started: Some(date(2024, 9, 2)),
        asye_ended: Some(date(2025, 9, 1)),
        leaving_reason: Some(LeavingReason::Resignation),
        destination: Some(Destination::AgencyWork),
        moves: vec![Move {
            id: uuid::Uuid::now_v7(),
            moved_on: date(2024, 9, 2),
            from_team_id: None,
            team_id: Some(team.id),
            role_title: "Social worker".into(),
            org_role: OrgRole::CaseHolder,
            fte: 0.8,
            agency: false,
        }],
        absences: vec![Absence {
            id: uuid::Uuid::now_v7(),
            first_day: date(2025, 1, 6),
            last_day: Some(date(2025, 1, 8)),
            working_days_lost: 3.0,
            reason: AbsenceReason::Sickness,
        }],
    };
    let session = Supervision {
        id: uuid::Uuid::now_v7(),
        worker_id: sam.id,
        supervisor_id: tom.id,
        held_on: date(2025, 2, 3),
        reflection: "Reflected on the week".into(),
        cases: vec![],
    };
    let council = store::BulkCouncil {
        teams: vec![team],
        workers: vec![sam.clone(), tom, plain.clone()],
        worker_files: vec![file.clone()],
        supervisions: vec![session.clone()],
        ..Default::default()
    };
    let counts = s
        .load_synthetic(Actor::SYSTEM, &council, "workforce")
        .await
        .unwrap();
    assert_eq!(
        (
            counts.worker_moves,
            counts.worker_absences,
            counts.supervisions
        ),
        (1, 1, 1)
    );
    let loaded = s.staff_member(sam.id).await.unwrap();
    assert_eq!(loaded, file);
    assert_eq!(s.supervisions_of(sam.id).await.unwrap(), vec![session]);
    let p = s.staff_member(plain.id).await.unwrap();
    assert_eq!(
        (p.org_role, p.fte, p.swe_number),
        (OrgRole::CaseHolder, 1.0, None)
    );
}
