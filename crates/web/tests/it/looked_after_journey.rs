//! Whole journeys through care, recorded as a children in care team, an IRO and a virtual school
//! would record them: through the API for three children (adopted, returned home, still in care
//! after a move to a children's home) and through the pages for one (entering care to adoption).
//! The SSDA903 return exported from what they recorded validates with no errors.

use axum::http::StatusCode;
use domain::access::Role;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::api::{json_req, token};
use crate::{Browser, Resp, TestApp, date};

/// The collection year the journeys fall in: 1 April 2025 to 31 March 2026.
const YEAR: i32 = 2026;

async fn post(t: &TestApp, who: &str, path: &str, body: Value) -> Value {
    let r = t
        .send(json_req("POST", path, Some(who), body.clone()))
        .await;
    assert!(
        r.status == StatusCode::CREATED || r.status == StatusCode::OK,
        "{path} {body}: {} {}",
        r.status,
        r.body
    );
    serde_json::from_str(&r.body).unwrap()
}

async fn refused(t: &TestApp, who: &str, path: &str, body: Value) -> String {
    let r = t.send(json_req("POST", path, Some(who), body)).await;
    assert_eq!(
        r.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{path}: {}",
        r.body
    );
    let v: Value = serde_json::from_str(&r.body).unwrap();
    v["errors"][0]["field"].as_str().unwrap().to_string()
}

fn placement(place: &str, provider: &str, urn: &str, carer: &str) -> Value {
    json!({"placement": place, "provider": provider, "postcode": "ZX71 1AB", "urn": urn,
           "carer": carer, "planned": true})
}

/// The 903 for the year exported from the record, and its errors (rule codes).
async fn export_errors(t: &TestApp) -> (returns::ssda903::Return, Vec<String>) {
    let x = t.store.looked_after_export(YEAR).await.unwrap();
    let (ret, _) = returns::ssda903::from_record::from_record(&x);
    let v = returns::ssda903::validate(&ret, YEAR);
    let errors = v
        .findings
        .iter()
        .filter(|f| f.severity == returns::findings::Severity::Error)
        .map(|f| format!("{} {} {:?} {:?}", f.rule_code, f.table, f.child, f.fields))
        .collect();
    (ret, errors)
}

#[tokio::test]
async fn care_journeys_through_the_api_export_a_valid_903() {
    let t = TestApp::new().await;
    t.user("tm", Role::TeamManager, None).await;
    t.user("sw", Role::SocialWorker, None).await;
    t.user("iro", Role::Iro, None).await;
    let (tm, sw, iro) = (
        token(&t, "tm").await,
        token(&t, "sw").await,
        token(&t, "iro").await,
    );
    let worker = t.worker("Sam Social").await;
    let api = |kid: Uuid, what: &str| format!("/api/children/{kid}/{what}");

    // Ada, 2, is adopted: the decision, the placement order, the match, placed with the
    // adopters, the adoption order.
    let ada = t.child_born("Ada", "Lark", date(2023, 3, 1), false).await;
    post(&t, &sw, &api(ada, "addresses"), json!({"line1": "1 Test Row", "line2": "", "town": "Testtown", "postcode": "ZX70 2TA", "from": "2025-04-01"})).await;
    post(
        &t,
        &tm,
        &api(ada, "allocations"),
        json!({"worker_id": worker, "from": "2025-04-07"}),
    )
    .await;
    post(
        &t,
        &tm,
        &api(ada, "care/enter"),
        json!({
        "started_on": "2025-04-07", "legal_status": "C1", "category_of_need": "N1",
        "rationale": "Interim care order granted today; no safe family placement.",
        "previous_permanence": "Z1",
        "placement": placement("U4", "PR1", "SC123456", "Jo and Sam Carer")}),
    )
    .await;
    post(
        &t,
        &sw,
        &api(ada, "health"),
        json!({"kind": "initial", "done_on": "2025-04-28"}),
    )
    .await;
    post(&t, &iro, &api(ada, "care-reviews"), json!({
        "held_on": "2025-04-30", "participation": "PN0",
        "views_reason": "Ada is 2: her carers described how she has settled.",
        "recommendations": [{"action": "Complete the parenting assessment", "owner": "social worker", "due_on": "2025-06-30"}]})).await;
    // A placement order before the decision to place is refused (553).
    let to_e1 = json!({"changed_on": "2025-07-01", "kind": "legal_status", "legal_status": "E1"});
    assert_eq!(
        refused(&t, &sw, &api(ada, "care/change"), to_e1.clone()).await,
        "legal_status"
    );
    post(
        &t,
        &sw,
        &api(ada, "adoption"),
        json!({"kind": "decision", "on": "2025-06-02"}),
    )
    .await;
    post(&t, &sw, &api(ada, "care/change"), to_e1).await;
    post(
        &t,
        &iro,
        &api(ada, "care-reviews"),
        json!({
        "held_on": "2025-07-25", "participation": "PN0",
        "views_reason": "Ada is 2; observed at home with her carers."}),
    )
    .await;
    // Adopted before she is matched is refused (601).
    let adopted = json!({"ended_on": "2026-02-10", "reason_ceased": "E11"});
    let placed = json!({"changed_on": "2025-10-01", "kind": "placement",
        "placement": placement("A6", "PR1", "SC654321", "The adopters"),
        "same_carer": false, "reason_place_change": "CARPL"});
    assert_eq!(
        refused(&t, &sw, &api(ada, "care/cease"), adopted.clone()).await,
        "reason_ceased"
    );
    post(
        &t,
        &sw,
        &api(ada, "adoption"),
        json!({
        "kind": "match", "on": "2025-09-01", "adopters": 2, "adopters_sex": "MF",
        "adopters_legal_status": "L11", "foster_carers": false}),
    )
    .await;
    post(&t, &sw, &api(ada, "care/change"), placed).await;
    post(
        &t,
        &iro,
        &api(ada, "care-reviews"),
        json!({
        "held_on": "2026-01-20", "participation": "PN0",
        "views_reason": "Ada is 2; seen with her adopters."}),
    )
    .await;
    post(&t, &sw, &api(ada, "care/cease"), adopted).await;

    // Cal, 9, goes home after seven months.
    let cal = t.child_born("Cal", "Lark", date(2016, 1, 10), false).await;
    post(&t, &sw, &api(cal, "addresses"), json!({"line1": "1 Test Row", "line2": "", "town": "Testtown", "postcode": "ZX70 2TB", "from": "2025-05-01"})).await;
    post(
        &t,
        &tm,
        &api(cal, "allocations"),
        json!({"worker_id": worker, "from": "2025-05-05"}),
    )
    .await;
    post(
        &t,
        &tm,
        &api(cal, "care/enter"),
        json!({
        "started_on": "2025-05-05", "legal_status": "V2", "category_of_need": "N2",
        "rationale": "Mother in hospital; no family able to care; agreed accommodation.",
        "previous_permanence": "P3", "previous_permanence_la": "370",
        "placement": placement("U4", "PR1", "SC123457", "Pat Carer")}),
    )
    .await;
    post(
        &t,
        &iro,
        &api(cal, "care-reviews"),
        json!({
        "held_on": "2025-05-30", "participation": "PN1",
        "childs_views": "I want to go home when mum is better."}),
    )
    .await;
    post(&t, &sw, &api(cal, "pep"), json!({
        "reviewed_on": "2025-06-20", "achievements": "Settled in his new class.",
        "targets": [{"area": "Reading", "target": "Read a chapter book each week", "by_when": "2025-12-19"}],
        "signed_off_by": "Virtual school head", "signed_off_on": "2025-06-23"})).await;
    post(
        &t,
        &sw,
        &api(cal, "care/cease"),
        json!({"ended_on": "2025-12-01", "reason_ceased": "E4A"}),
    )
    .await;

    // Dee, 13, in care since 2024: the OC2 cohort. A move to a children's home, health, SDQ,
    // PEP, a missing episode with its return home interview, a conviction and substance misuse.
    let dee = t.child_born("Dee", "Lark", date(2012, 5, 1), false).await;
    // Dee came to the UK alone: an unaccompanied asylum-seeking child, granted leave in the year.
    let p = t.store.get_person(dee).await.unwrap();
    let mut details = p.details.clone();
    details.uasc = true;
    t.store
        .update_person(store::Actor::SYSTEM, dee, p.version, details)
        .await
        .unwrap();
    post(&t, &sw, &api(dee, "addresses"), json!({"line1": "1 Test Row", "line2": "", "town": "Testtown", "postcode": "ZX70 2TE", "from": "2024-08-01"})).await;
    post(
        &t,
        &tm,
        &api(dee, "allocations"),
        json!({"worker_id": worker, "from": "2024-09-02"}),
    )
    .await;
    post(
        &t,
        &tm,
        &api(dee, "care/enter"),
        json!({
        "started_on": "2024-09-02", "legal_status": "C2", "category_of_need": "N1",
        "rationale": "Full care order; long-term foster placement sought.",
        "previous_permanence": "Z1",
        "placement": placement("U6", "PR1", "SC123458", "Lee Carer")}),
    )
    .await;
    for (on, pn) in [
        ("2024-09-27", "PN1"),
        ("2024-12-20", "PN1"),
        ("2025-06-13", "PN2"),
        ("2025-12-12", "PN1"),
    ] {
        post(&t, &iro, &api(dee, "care-reviews"), json!({
            "held_on": on, "participation": pn, "childs_views": "I like my school; I miss my brother."})).await;
    }
    post(
        &t,
        &sw,
        &api(dee, "care/change"),
        json!({
        "changed_on": "2025-06-01", "kind": "placement",
        "placement": placement("K2", "PR4", "SC123459", "Oak House"),
        "same_carer": false, "reason_place_change": "CHILD"}),
    )
    .await;
    post(
        &t,
        &sw,
        &api(dee, "health"),
        json!({"kind": "review", "done_on": "2025-09-10"}),
    )
    .await;
    post(
        &t,
        &sw,
        &api(dee, "health"),
        json!({"kind": "dental", "done_on": "2025-10-01"}),
    )
    .await;
    post(
        &t,
        &sw,
        &api(dee, "sdq"),
        json!({"done_on": "2025-11-03", "score": 14}),
    )
    .await;
    post(&t, &sw, &api(dee, "pep"), json!({
        "reviewed_on": "2025-10-15", "achievements": "Joined the football team.",
        "targets": [{"area": "Attendance", "target": "Attend 95% of sessions", "by_when": "2026-02-13"}]})).await;
    let m = post(
        &t,
        &sw,
        &api(dee, "missing"),
        json!({"kind": "M", "started_on": "2025-11-10"}),
    )
    .await;
    post(&t, &sw, &format!("/api/missing/{}/return", m["id"].as_str().unwrap()), json!({
        "ended_on": "2025-11-11", "interview_offered_at": "2025-11-12T10:00:00", "interview_accepted": true})).await;
    post(
        &t,
        &sw,
        &api(dee, "offending-and-substance-misuse"),
        json!({"kind": "conviction", "happened_on": "2025-12-01"}),
    )
    .await;
    assert_eq!(
        refused(
            &t,
            &sw,
            &api(dee, "offending-and-substance-misuse"),
            json!({"kind": "substance_misuse", "happened_on": "2026-01-05"})
        )
        .await,
        "intervention_received"
    );
    post(
        &t,
        &sw,
        &api(dee, "offending-and-substance-misuse"),
        json!({
        "kind": "substance_misuse", "happened_on": "2026-01-05",
        "intervention_received": false, "intervention_offered": true}),
    )
    .await;
    post(
        &t,
        &sw,
        &api(dee, "permanence"),
        json!({
        "plan": "long_term_fostering", "agreed_on": "2024-12-20", "target_on": "2027-06-01"}),
    )
    .await;

    assert_eq!(
        refused(
            &t,
            &sw,
            &api(dee, "uasc-end"),
            json!({"ceased_on": "2030-06-01", "reason": "leave_granted"})
        )
        .await,
        "ceased"
    );
    post(
        &t,
        &sw,
        &api(dee, "uasc-end"),
        json!({"ceased_on": "2025-10-20", "reason": "leave_granted"}),
    )
    .await;

    // The return: every table the journeys fill, and no errors.
    let (ret, errors) = export_errors(&t).await;
    assert!(
        errors.is_empty(),
        "903 errors from recorded journeys: {errors:#?}"
    );
    use returns::ssda903::Table;
    let rows = |t: Table| ret.rows(t).len();
    assert_eq!(rows(Table::Header), 3);
    assert_eq!(rows(Table::Ad1), 1, "Ada's adoption");
    assert_eq!(rows(Table::PlacedAdoption), 1);
    assert_eq!(
        rows(Table::PrevPerm),
        2,
        "Ada's and Cal's care started in the year"
    );
    assert_eq!(rows(Table::Oc2), 1, "Dee, in care for 12 months");
    let oc2 = &ret.rows(Table::Oc2)[0];
    let cell = |c: &str| oc2[Table::Oc2.col(c)].as_str();
    assert_eq!(
        (
            cell("CONVICTED"),
            cell("SUBSTANCE_MISUSE"),
            cell("INTERVENTION_RECEIVED"),
            cell("INTERVENTION_OFFERED"),
            cell("SDQ_SCORE")
        ),
        ("1", "1", "0", "1", "14")
    );
    assert_eq!(rows(Table::Missing), 1);
    assert_eq!(rows(Table::Uasc), 1);
    assert_eq!(
        ret.rows(Table::Uasc)[0][Table::Uasc.col("DUC")],
        "20/10/2025"
    );
    let ad1 = &ret.rows(Table::Ad1)[0];
    assert_eq!(ad1[Table::Ad1.col("DATE_MATCH")], "01/09/2025");
    assert_eq!(ad1[Table::Ad1.col("SEX_ADOPTR")], "MF");
}

async fn form(t: &TestApp, who: &Browser, path: &str, fields: &[(&str, &str)]) -> Resp {
    let mut all = vec![("csrf_token", who.csrf.as_str())];
    all.extend_from_slice(fields);
    let r = t.post_form(path, Some(who), &all).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{path}: {}", r.body);
    r
}

fn date_fields<'a>(name: &str, d: &'a str) -> Vec<(String, &'a str)> {
    let mut p = d.split('-');
    let (y, m, day) = (p.next().unwrap(), p.next().unwrap(), p.next().unwrap());
    vec![
        (format!("{name}-year"), y),
        (format!("{name}-month"), m),
        (format!("{name}-day"), day),
    ]
}

/// A form's fields with its dates (name, yyyy-mm-dd) spelt out as the page's three boxes.
async fn page_form(
    t: &TestApp,
    who: &Browser,
    path: &str,
    dates: &[(&str, &str)],
    fields: &[(&str, &str)],
) -> Resp {
    let parts: Vec<(String, &str)> = dates.iter().flat_map(|(n, d)| date_fields(n, d)).collect();
    let mut all: Vec<(&str, &str)> = parts.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    all.extend_from_slice(fields);
    form(t, who, path, &all).await
}

#[tokio::test]
async fn a_care_journey_through_the_pages_from_entering_care_to_adoption() {
    let t = TestApp::new().await;
    t.user("tm", Role::TeamManager, None).await;
    t.user("sw", Role::SocialWorker, None).await;
    t.user("iro", Role::Iro, None).await;
    let (tm, sw, iro) = (
        t.sign_in("tm").await,
        t.sign_in("sw").await,
        t.sign_in("iro").await,
    );
    let worker = t.worker("Sam Social").await;
    let kid = t.child_born("Eli", "Wren", date(2021, 2, 1), false).await;
    let p = |what: &str| format!("/children/{kid}/{what}");
    let worker_id = worker.to_string();
    page_form(
        &t,
        &sw,
        &p("addresses"),
        &[("from", "2025-03-01")],
        &[
            ("line1", "2 Test Row"),
            ("town", "Testtown"),
            ("postcode", "ZX70 2TD"),
        ],
    )
    .await;
    page_form(
        &t,
        &tm,
        &p("allocation"),
        &[("from", "2025-04-07")],
        &[("worker_id", &worker_id)],
    )
    .await;
    page_form(
        &t,
        &tm,
        &p("care/enter"),
        &[("started", "2025-04-07")],
        &[
            ("legal_status", "C1"),
            ("category_of_need", "N1"),
            ("placement", "U4"),
            ("provider", "PR1"),
            ("carer", "Jo and Sam Carer"),
            ("postcode", "ZX71 1AB"),
            ("urn", "SC123456"),
            ("planned", "no"),
            ("previous_permanence", "Z1"),
            (
                "rationale",
                "Interim care order granted; no family able to care safely.",
            ),
        ],
    )
    .await;
    page_form(
        &t,
        &sw,
        &p("health"),
        &[("done", "2025-04-29")],
        &[("kind", "initial")],
    )
    .await;
    page_form(
        &t,
        &iro,
        &p("care-reviews"),
        &[("held", "2025-05-02")],
        &[
            ("participation", "PN1"),
            ("childs_views", "I like the dog here."),
        ],
    )
    .await;
    page_form(
        &t,
        &sw,
        &p("care/change"),
        &[("changed", "2025-05-20")],
        &[
            ("kind", "placement"),
            ("placement", "U6"),
            ("provider", "PR1"),
            ("carer", "Kit Carer"),
            ("postcode", "ZX71 1AD"),
            ("urn", "SC123457"),
            ("planned", "yes"),
            ("same_carer", "no"),
            ("reason_place_change", "CARPL"),
        ],
    )
    .await;
    page_form(
        &t,
        &sw,
        &p("missing"),
        &[("started", "2025-06-10")],
        &[("kind", "A")],
    )
    .await;
    let rec = t
        .store
        .view_child_record(store::Actor::SYSTEM, kid, "test")
        .await
        .unwrap();
    let missing = rec.looked_after.missing[0].id;
    page_form(
        &t,
        &sw,
        &format!("/missing/{missing}/return"),
        &[("ended", "2025-06-10"), ("interview_offered", "2025-06-11")],
        &[
            ("interview_offered_time", "10:00"),
            ("interview_accepted", "no"),
        ],
    )
    .await;
    page_form(
        &t,
        &sw,
        &p("sdq"),
        &[("done", "2025-07-01")],
        &[("score", "9")],
    )
    .await;
    page_form(
        &t,
        &sw,
        &p("pep"),
        &[("reviewed", "2025-07-03"), ("target1_by", "2025-12-19")],
        &[
            ("achievements", "Started nursery."),
            ("target1_area", "Speech"),
            ("target1_target", "Use two-word phrases"),
        ],
    )
    .await;
    page_form(
        &t,
        &sw,
        &p("adoption"),
        &[("on", "2025-07-10")],
        &[("kind", "decision")],
    )
    .await;
    page_form(
        &t,
        &sw,
        &p("care/change"),
        &[("changed", "2025-08-01")],
        &[("kind", "legal_status"), ("legal_status", "E1")],
    )
    .await;
    page_form(
        &t,
        &iro,
        &p("care-reviews"),
        &[("held", "2025-08-01")],
        &[
            ("participation", "PN1"),
            ("childs_views", "I want to stay with Kit."),
        ],
    )
    .await;
    page_form(
        &t,
        &sw,
        &p("adoption"),
        &[("on", "2025-09-15")],
        &[
            ("kind", "match"),
            ("adopters", "1"),
            ("adopters_sex", "F1"),
            ("adopters_legal_status", "L0"),
            ("foster_carers", "yes"),
        ],
    )
    .await;
    page_form(
        &t,
        &sw,
        &p("care/change"),
        &[("changed", "2025-09-20")],
        &[
            ("kind", "placement"),
            ("placement", "A5"),
            ("provider", "PR1"),
            ("carer", "Kit Carer"),
            ("postcode", "ZX71 1AD"),
            ("urn", "SC123458"),
            ("planned", "yes"),
            ("same_carer", "yes"),
            ("reason_place_change", "CARPL"),
        ],
    )
    .await;
    // The child's page shows the adoption and, before the adoption order, the return is clean.
    let page = t
        .get(&format!("/children/{kid}?section=all"), Some(&sw))
        .await;
    assert!(
        page.body.contains("id=\"adoption\""),
        "adoption on the child's page"
    );
    assert!(
        page.body
            .contains("matched with adopters on 15 September 2025"),
        "{}",
        page.body
    );
    page_form(
        &t,
        &iro,
        &p("care-reviews"),
        &[("held", "2026-01-30")],
        &[
            ("participation", "PN1"),
            ("childs_views", "Kit is my mum now."),
        ],
    )
    .await;
    page_form(
        &t,
        &sw,
        &p("care/cease"),
        &[("ended", "2026-02-20")],
        &[("reason_ceased", "E11")],
    )
    .await;

    let (ret, errors) = export_errors(&t).await;
    assert!(
        errors.is_empty(),
        "903 errors from a journey recorded through the pages: {errors:#?}"
    );
    use returns::ssda903::Table;
    assert_eq!(ret.rows(Table::Ad1).len(), 1);
    assert_eq!(ret.rows(Table::Ad1)[0][Table::Ad1.col("FOSTER_CARE")], "1");
    assert_eq!(ret.rows(Table::Episodes).len(), 4);
    let eps = t
        .store
        .view_child_record(store::Actor::SYSTEM, kid, "test")
        .await
        .unwrap()
        .looked_after
        .episodes;
    assert_eq!(
        eps.iter()
            .map(|e| e.reason_new.as_str())
            .collect::<Vec<_>>(),
        ["S", "P", "L", "T"]
    );
    assert_eq!(eps.last().unwrap().reason_ceased.as_deref(), Some("E11"));
}
