//! A synthetic council's case file audits load through the bulk loader on both backends: its
//! auditors' accounts (which cannot sign in until given a password), programmes with their
//! samples, audits with their grades as given and as moderated, moderations and learning
//! actions; they read back through the repository like audits recorded one by one, and reach
//! the performance report's extract.

use chrono::{DateTime, Utc};
use domain::access::Role;
use domain::person::{Allocation, Person};
use domain::quality::{
    Audit, DomainGrade, Grade, GradeChange, LearningAction, Moderation, ScopeKind,
};
use domain::workforce::{Team, Worker};
use store::bulk::BulkCouncil;
use store::{Actor, BulkProgramme, BulkUser};
use uuid::Uuid;

use crate::{Fixture, child, conformance, date};

fn id(n: u128) -> Uuid {
    Uuid::from_u128(0x0190_0000_0000_7000_8000_0000_0001_0000 | n)
}

conformance!(a_synthetic_councils_audits_load_and_read_back);
async fn a_synthetic_councils_audits_load_and_read_back(f: &Fixture) {
    let s = &f.store;
    let at = DateTime::<Utc>::from_timestamp(1_764_000_000, 0).unwrap();
    let (kid, team, worker, lead, second, prog, audit) =
        (id(1), id(2), id(3), id(4), id(5), id(6), id(7));
    let grades = vec![
        DomainGrade {
            domain: "risk".into(),
            grade: Grade::Inadequate,
            evidence: "No risk assessment".into(),
        },
        DomainGrade {
            domain: "smart_plans".into(),
            grade: Grade::Good,
            evidence: "Clear plan".into(),
        },
    ];
    let c = BulkCouncil {
        teams: vec![Team {
            id: team,
            name: "Locality".into(),
        }],
        workers: vec![Worker {
            id: worker,
            name: "Dana Social".into(),
            team_id: Some(team),
            role_title: "Social worker".into(),
            agency: false,
            started: date(2020, 1, 6),
            left: None,
        }],
        people: vec![Person {
            id: kid,
            details: child("Amy", "Reed", date(2018, 5, 1), "HC0000001"),
            version: 1,
            created_at: at,
            updated_at: at,
        }],
        allocations: vec![Allocation {
            id: id(8),
            child_id: kid,
            worker_id: worker,
            from: date(2025, 1, 12),
            to: None,
        }],
        users: vec![
            BulkUser {
                id: lead,
                username: "auditor".into(),
                display_name: "Aude Quality-Lead".into(),
                role: Role::Auditor,
            },
            BulkUser {
                id: second,
                username: "auditor.second".into(),
                display_name: "Sam Second".into(),
                role: Role::Auditor,
            },
        ],
        audit_programmes: vec![BulkProgramme {
            id: prog,
            theme: "Quarterly audit".into(),
            scope: ScopeKind::Service,
            team_id: None,
            period_start: date(2026, 1, 1),
            period_end: date(2026, 3, 31),
            seed: Some(42),
            size: Some(20),
            auditors: vec![lead, second],
            sample: vec![(kid, lead)],
            created_by: lead,
            created_at: at,
        }],
        audits: vec![Audit {
            id: audit,
            programme_id: prog,
            child_id: kid,
            auditor_id: lead,
            grades,
            overall: Grade::RequiresImprovement,
            worker_conversation: "Discussed".into(),
            family_views: String::new(),
            audited_on: date(2026, 2, 10),
            team_id: Some(team),
            moderations: vec![Moderation {
                id: id(9),
                moderator_id: second,
                agreed: false,
                changes: vec![GradeChange {
                    domain: "risk".into(),
                    from: Grade::RequiresImprovement,
                    to: Grade::Inadequate,
                }],
                reason: "No plan for the risk".into(),
                at,
            }],
            actions: vec![LearningAction {
                id: id(10),
                audit_id: audit,
                child_id: kid,
                action: "Record a risk assessment".into(),
                owner_worker_id: worker,
                due_on: date(2026, 3, 10),
                done_on: None,
            }],
        }],
        ..Default::default()
    };
    let k = s.load_synthetic(Actor::SYSTEM, &c, "audits").await.unwrap();
    assert_eq!(
        (
            k.users,
            k.audit_programmes,
            k.audit_samples,
            k.audits,
            k.audit_grades,
            k.audit_moderations,
            k.learning_actions
        ),
        (2, 1, 1, 1, 2, 1, 1)
    );
    // The programme with its recorded seed and sample, and the auditors' accounts, which
    // cannot sign in.
    let p = s.programme(prog).await.unwrap();
    assert_eq!(
        (p.seed, p.size, p.method.as_str()),
        (Some(42), Some(20), "random")
    );
    assert_eq!(p.sample[0].auditor_name, "Aude Quality-Lead");
    assert_eq!(p.sample[0].audit_id, Some(audit));
    assert!(s.audits_child(lead, kid).await.unwrap());
    let users = s.list_users().await.unwrap();
    assert!(
        users
            .iter()
            .any(|u| u.username == "auditor" && u.role == Role::Auditor)
    );
    // The audit reads back with its grades as moderated, the moderation and the action.
    let a = s.case_file_audit(audit).await.unwrap();
    assert_eq!(a.grades.len(), 2);
    assert_eq!(a.grades[0].grade, Grade::Inadequate);
    assert_eq!(a.moderations[0].changes[0].from, Grade::RequiresImprovement);
    assert_eq!(s.learning_actions_of(worker).await.unwrap().len(), 1);
    assert_eq!(
        s.audits_between(date(2026, 1, 1), date(2026, 3, 31))
            .await
            .unwrap()
            .len(),
        1
    );
    // The performance report's extract carries the audit with its grades as they stand.
    let x = s.extract().await.unwrap();
    assert_eq!(x.audits.len(), 1);
    assert_eq!(x.audits[0].overall, Grade::RequiresImprovement);
    assert!(
        x.audits[0]
            .grades
            .contains(&("risk".to_string(), Grade::Inadequate))
    );
}
