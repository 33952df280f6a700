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
    assert_eq!(moved.moves.len(), 1);
    assert_eq!(moved.moves[0].from_team_id, Some(a.id));

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
