//! The front door to assessment through the pages: a front-door worker records a contact about
//! two siblings, a manager decides with direction and rationale, a social worker assesses and
//! visits, the manager authorises; role checks, GOV.UK errors and the chronology along the way.

use axum::http::StatusCode;
use chrono::Datelike;
use domain::access::{AuditAction, Role};
use store::{Actor, NewRelationship, NewWorker};

use crate::{Browser, TestApp, date};

fn today() -> chrono::NaiveDate {
    domain::calendar::uk_now().date()
}

fn id_from(location: &str, prefix: &str) -> String {
    location
        .strip_prefix(prefix)
        .unwrap_or_else(|| panic!("{location} does not start with {prefix}"))
        .split(['?', '#'])
        .next()
        .unwrap()
        .to_string()
}

fn date_fields(prefix: &str, d: chrono::NaiveDate) -> Vec<(String, String)> {
    vec![
        (format!("{prefix}-day"), d.day().to_string()),
        (format!("{prefix}-month"), d.month().to_string()),
        (format!("{prefix}-year"), d.year().to_string()),
    ]
}

async fn post(
    t: &TestApp,
    path: &str,
    who: &Browser,
    fields: Vec<(String, String)>,
) -> crate::Resp {
    let mut all = vec![("csrf_token".to_string(), who.csrf.clone())];
    all.extend(fields);
    let f: Vec<(&str, &str)> = all.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    t.post_form(path, Some(who), &f).await
}

/// An assessment written by the Assessment Framework's sections.
pub(crate) const FRAMEWORK: [(&str, &str); 6] = [
    (
        "developmental_needs",
        "Amy is behind with speech; attendance 81%.",
    ),
    (
        "parenting_capacity",
        "Basic care is met, warmth is lacking.",
    ),
    (
        "family_environment",
        "Overcrowded flat; father recently unemployed.",
    ),
    (
        "child_views",
        "Amy said she is hungry at school and likes her teacher.",
    ),
    ("parents_views", "Mother wants help with housing."),
    (
        "analysis",
        "Needs met only in part: a child in need plan will help.",
    ),
];

fn kv(k: &str, v: &str) -> (String, String) {
    (k.to_string(), v.to_string())
}

#[tokio::test]
async fn from_contact_to_authorised_assessment_through_the_pages() {
    let t = TestApp::new().await;
    let team = t
        .store
        .create_team(Actor::SYSTEM, "Assessment team")
        .await
        .unwrap();
    let sw_worker = t
        .store
        .create_worker(
            Actor::SYSTEM,
            NewWorker {
                name: "Sol Worker".into(),
                team_id: Some(team.id),
                role_title: "Social worker".into(),
                agency: false,
                started: date(2020, 1, 1),
            },
        )
        .await
        .unwrap();
    t.user("fd", Role::FrontDoor, None).await;
    t.user("tm", Role::TeamManager, None).await;
    t.user("sw", Role::SocialWorker, Some(sw_worker.id)).await;
    let (fd, tm, sw) = (
        t.sign_in("fd").await,
        t.sign_in("tm").await,
        t.sign_in("sw").await,
    );
    let amy = t.child("Amy", "Brook", false).await;
    let ben = t.child("Ben", "Brook", false).await;
    let secret = t.child("Cy", "Hidden", true).await;
    t.store
        .add_relationship(
            Actor::SYSTEM,
            NewRelationship {
                person_id: ben,
                kind: "sibling".into(),
                related_person_id: amy,
                from: None,
            },
        )
        .await
        .unwrap();

    // The contact form offers the child's brother too.
    let form = t
        .get(&format!("/contacts/new?child={amy}"), Some(&fd))
        .await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    assert!(form.body.contains("Ben Brook") && form.body.contains(&format!("value=\"{ben}\"")));
    // A restricted child's record stays closed to the front door, and that is audited.
    let r = t
        .get(&format!("/contacts/new?child={secret}"), Some(&fd))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // Social workers do not record front-door contacts.
    assert_eq!(
        t.get(&format!("/contacts/new?child={amy}"), Some(&sw))
            .await
            .status,
        StatusCode::FORBIDDEN
    );

    // A contact with errors: shown the GOV.UK way, nothing saved.
    let mut bad = vec![
        kv("child", &amy.to_string()),
        kv("children", &amy.to_string()),
        kv("received_time", "25:99"),
        kv("source", "2A"),
        kv("contact_name", "Ms Head"),
        kv("consent", "given"),
    ];
    bad.extend(date_fields("received", today()));
    let r = post(&t, "/contacts", &fd, bad).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("govuk-error-summary"));
    assert!(r.body.contains("Enter the time as hours and minutes"));
    assert!(
        r.body
            .contains("Enter the reason for the contact and the concerns")
    );
    assert!(t.store.front_door_queue().await.unwrap().is_empty());

    let mut good = vec![
        kv("child", &amy.to_string()),
        kv("children", &amy.to_string()),
        kv("children", &ben.to_string()),
        kv("received_time", "09:00"),
        kv("source", "2A"),
        kv("contact_name", "Ms Head"),
        kv("contact_agency", "Oak Primary School"),
        kv("reason", "Both children said there was no food at home."),
        kv("consent", "given"),
    ];
    // Yesterday, so that the times are in the past whenever the test runs.
    let yesterday = today().pred_opt().unwrap();
    good.extend(date_fields("received", yesterday));
    let r = post(&t, "/contacts", &fd, good).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let contact = id_from(r.location(), "/contacts/");
    let c = t.get(r.location(), Some(&fd)).await;
    assert_eq!(c.status, StatusCode::OK);
    assert!(c.body.contains("Contact recorded") && c.body.contains("Oak Primary School"));
    assert!(
        c.body.contains("Waiting for a manager"),
        "front door cannot decide"
    );

    let q = t.get("/front-door", Some(&fd)).await;
    assert_eq!(q.status, StatusCode::OK);
    assert!(q.body.contains("Amy Brook, Ben Brook") || q.body.contains("Ben Brook, Amy Brook"));
    assert!(q.body.contains("Within timescale") || q.body.contains("Due today"));
    assert_eq!(
        t.get("/front-door", Some(&sw)).await.status,
        StatusCode::FORBIDDEN
    );

    // A partner check.
    let mut check = vec![
        kv("agency", "police"),
        kv("summary", "No police involvement."),
    ];
    check.extend(date_fields("requested", today()));
    check.extend(date_fields("check_received", today()));
    let r = post(&t, &format!("/contacts/{contact}/checks"), &fd, check).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);

    // Only a manager decides, and only with direction and rationale.
    let decision = |direction: &str| {
        let mut f = vec![
            kv("version", "1"),
            kv("outcome", "referral"),
            kv("decided_time", "10:00"),
            kv("direction", direction),
            kv("rationale", "Neglect concerns about two young children."),
            kv("quality", "good"),
        ];
        f.extend(date_fields("decided", yesterday));
        f
    };
    let r = post(
        &t,
        &format!("/contacts/{contact}/decision"),
        &fd,
        decision("Assess"),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = post(
        &t,
        &format!("/contacts/{contact}/decision"),
        &tm,
        decision(""),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains("Enter the manager&#x27;s direction")
            || r.body.contains("Enter the manager's direction"),
        "{}",
        r.body
    );
    assert_eq!(
        t.store.front_door_queue().await.unwrap().len(),
        1,
        "nothing saved"
    );
    let r = post(
        &t,
        &format!("/contacts/{contact}/decision"),
        &tm,
        decision("Single assessment by the assessment team."),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert!(t.store.front_door_queue().await.unwrap().is_empty());
    let c = t.get(&format!("/contacts/{contact}"), Some(&tm)).await;
    assert!(c.body.contains("Decided within 1 working day") && c.body.contains("Test tm"));

    // The referral is on Amy's page; a social worker starts the assessment.
    t.store
        .allocate(Actor::SYSTEM, amy, sw_worker.id, today())
        .await
        .unwrap();
    let page = t
        .get(&format!("/children/{amy}?section=all"), Some(&sw))
        .await;
    assert!(page.body.contains("Start assessment"), "{}", page.body);
    let rec = t
        .store
        .view_child_record(Actor::SYSTEM, amy, "test")
        .await
        .unwrap();
    let referral = rec.front_door.referrals[0].id.to_string();
    let r = t
        .get(
            &format!("/children/{amy}/assessments/new?referral={referral}"),
            Some(&sw),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("45 working days from the referral"));
    let mut start = vec![kv("referral_id", &referral)];
    start.extend(date_fields("started", today()));
    let r = post(&t, &format!("/children/{amy}/assessments"), &sw, start).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let assessment = id_from(r.location(), "/assessments/");

    // It is on the worker's list of work due.
    let w = t.get("/work", Some(&sw)).await;
    assert_eq!(w.status, StatusCode::OK);
    assert!(
        w.body.contains("Assessment") && w.body.contains("Amy Brook"),
        "{}",
        w.body
    );
    assert!(!w.body.contains("Front-door decision"));

    // Completing: "no factors" with another factor is refused; then a good completion.
    let completion = |factors: &[&str]| {
        let mut f = vec![
            kv("version", "1"),
            kv("outcome", "cin_plan"),
            kv("summary", "Neglect; parents engaging."),
        ];
        for (name, text) in FRAMEWORK {
            f.push(kv(name, text));
        }
        f.extend(factors.iter().map(|x| kv("factors", x)));
        f.extend(date_fields("completed", today()));
        f
    };
    let r = post(
        &t,
        &format!("/assessments/{assessment}/completion"),
        &sw,
        completion(&["21", "16A"]),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("cannot be selected with other factors"));
    let r = post(
        &t,
        &format!("/assessments/{assessment}/completion"),
        &sw,
        completion(&["16A", "4B"]),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    // The worker cannot authorise their own assessment; the manager does.
    let r = post(
        &t,
        &format!("/assessments/{assessment}/authorisation"),
        &sw,
        vec![kv("version", "2")],
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // Without the page's version it is not saved unchecked (issue 20).
    let r = post(
        &t,
        &format!("/assessments/{assessment}/authorisation"),
        &tm,
        vec![],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("did not say which version"));
    // Authorising cannot be undone: the manager checks it and comments before it is saved.
    let r = post(
        &t,
        &format!("/assessments/{assessment}/authorisation"),
        &tm,
        vec![kv("version", "2")],
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("Check before you authorise the assessment"));
    assert!(r.body.contains("cannot be changed or returned"));
    assert!(r.body.contains(r#"name="confirmed" value="yes""#));
    let r = post(
        &t,
        &format!("/assessments/{assessment}/authorisation"),
        &tm,
        vec![
            kv("version", "2"),
            kv("confirmed", "yes"),
            kv("reason", " "),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("Enter your comment on the assessment"));
    assert!(r.body.contains("govuk-error-summary"));
    assert!(
        t.get(&format!("/api/assessments/{assessment}"), Some(&tm))
            .await
            .body
            .contains(r#""authorised_on":null"#),
        "nothing saved before it is confirmed"
    );
    let r = post(
        &t,
        &format!("/assessments/{assessment}/authorisation"),
        &tm,
        vec![
            kv("version", "2"),
            kv("confirmed", "yes"),
            kv("reason", "Thorough; the plan follows from the analysis."),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let a = t
        .get(&format!("/assessments/{assessment}"), Some(&sw))
        .await;
    assert!(a.body.contains("Authorised") && a.body.contains("Neglect"));
    assert!(a.body.contains("the plan follows from the analysis"));
    assert!(a.body.contains("Basic care is met, warmth is lacking"));

    // A visit to a child who cannot yet speak needs what was observed.
    let visit = |observation: &str| {
        let mut f = vec![
            kv("kind", "visit"),
            kv("child_seen", "yes"),
            kv("seen_alone", "no"),
            kv("observation", observation),
            kv("text", "Home visit after school."),
        ];
        f.extend(date_fields("date", today()));
        f
    };
    let r = post(&t, &format!("/children/{amy}/notes"), &sw, visit("")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains("Enter the child&#x27;s own words")
            || r.body.contains("Enter the child's own words")
    );
    let r = post(
        &t,
        &format!("/children/{amy}/notes"),
        &sw,
        visit("Amy showed me her room and her drawings."),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    // Oversight is for managers.
    let mut o = vec![
        kv("kind", "oversight"),
        kv("decision", "CIN plan"),
        kv("rationale", "Needs met with support"),
    ];
    o.extend(date_fields("date", today()));
    assert_eq!(
        post(&t, &format!("/children/{amy}/notes"), &sw, o.clone())
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        post(&t, &format!("/children/{amy}/notes"), &tm, o)
            .await
            .status,
        StatusCode::SEE_OTHER
    );

    let page = t
        .get(&format!("/children/{amy}?section=all"), Some(&sw))
        .await;
    for want in [
        "Contact from Ms Head",
        "Referral to children",
        "Single assessment authorised",
        "Observed: Amy showed me her room",
        "Decision: CIN plan",
    ] {
        assert!(
            page.body.contains(want),
            "{want} missing from the child's page"
        );
    }
    assert!(page.body.contains("also about Ben Brook"));

    // Referral quality by agency: the school's referral was rated good.
    let q = t.get("/front-door/referral-quality", Some(&tm)).await;
    assert_eq!(q.status, StatusCode::OK);
    assert!(
        q.body.contains("Schools") && q.body.contains("100%"),
        "{}",
        q.body
    );
    assert_eq!(
        t.get("/front-door/referral-quality", Some(&sw))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let bad = t
        .get("/front-door/referral-quality?from=yesterday", Some(&tm))
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);

    // Views and refusals are in the audit log.
    let views = t.audit(AuditAction::View).await;
    assert!(
        views
            .iter()
            .any(|v| v.entity_type == "contact" && v.person_id == Some(ben))
    );
    let denied = t.audit(AuditAction::Denied).await;
    assert!(
        denied
            .iter()
            .any(|d| d.detail.contains("record front-door decisions"))
    );
    assert!(denied.iter().any(|d| d.detail.contains("restricted")));
}
