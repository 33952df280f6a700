//! The bulk loader's SQL, written once and expanded for each backend beside the repository
//! (it uses the repository macro's row types and helpers): multi-row INSERTs in chunks that stay
//! under both drivers' limits on bound parameters, all in one transaction.

macro_rules! bulk_impl {
    ($store:ty, $db:ty) => {
        use $crate::bulk::{BulkCouncil, BulkCounts, BulkLoad};

        /// Inserts `rows` with one multi-row INSERT per chunk; `head` is "INSERT INTO t (cols) ".
        async fn insert_rows<T>(
            conn: &mut Conn,
            head: &'static str,
            cols: usize,
            rows: impl IntoIterator<Item = T>,
            mut bind: impl FnMut(&mut sqlx::query_builder::Separated<'_, $db, &'static str>, T),
        ) -> Result<u64, sqlx::Error> {
            // SQLite allows 32,766 bound parameters per statement, PostgreSQL 65,535.
            const MAX_PARAMS: usize = 30_000;
            let per = (MAX_PARAMS / cols).max(1);
            let mut rows = rows.into_iter().peekable();
            let mut n = 0;
            while rows.peek().is_some() {
                let chunk: Vec<T> = rows.by_ref().take(per).collect();
                let mut qb: sqlx::QueryBuilder<$db> = sqlx::QueryBuilder::new(head);
                qb.push_values(chunk, |mut b, row| bind(&mut b, row));
                n += qb.build().execute(&mut *conn).await?.rows_affected();
            }
            Ok(n)
        }

        #[async_trait::async_trait]
        impl BulkLoad for $store {
            async fn load_synthetic(&self, actor: Actor, c: &BulkCouncil, description: &str) -> Result<BulkCounts> {
                let at = now();
                // Nested records, flattened before the first await.
                let contact_children: Vec<(Uuid, Uuid)> = c.contacts.iter().flat_map(|x| x.children.iter().map(move |ch| (x.id, ch.person_id))).collect();
                let checks: Vec<&domain::front_door::PartnerCheck> = c.contacts.iter().flat_map(|x| x.checks.iter()).collect();
                let actions: Vec<(Uuid, usize, &domain::child_in_need::PlanAction)> =
                    c.cin_plans.iter().flat_map(|p| p.actions.iter().enumerate().map(move |(i, a)| (p.id, i, a))).collect();
                let reviews: Vec<(Uuid, &domain::child_in_need::PlanReview)> = c.cin_plans.iter().flat_map(|p| p.reviews.iter().map(move |r| (p.id, r))).collect();
                let core_groups: Vec<(Uuid, &domain::child_protection::CoreGroup)> = c.cp_plans.iter().flat_map(|p| p.core_groups.iter().map(move |g| (p.id, g))).collect();
                let pf_visits: Vec<&domain::private_fostering::Visit> = c.pf_arrangements.iter().flat_map(|a| a.visits.iter()).collect();
                let mut tx = self.tx().await?;
                let conn: &mut Conn = &mut tx;
                let mut k = BulkCounts::default();
                k.teams = insert_rows(conn, "INSERT INTO team (id, name, created_at) ", 3, &c.teams, |b, t| {
                    b.push_bind(t.id).push_bind(t.name.clone()).push_bind(at);
                }).await?;
                let files: std::collections::HashMap<Uuid, &domain::workforce::StaffMember> =
                    c.worker_files.iter().map(|f| (f.worker.id, f)).collect();
                k.workers = insert_rows(conn,
                    "INSERT INTO worker (id, name, team_id, role_title, agency, started, left_on, created_at, \
                     swe_number, org_role, fte, asye_started, asye_ended, leaving_reason, leaving_destination) ", 15, &c.workers, |b, w| {
                    let f = files.get(&w.id);
                    b.push_bind(w.id).push_bind(w.name.clone()).push_bind(w.team_id).push_bind(w.role_title.clone())
                        .push_bind(w.agency).push_bind(w.started).push_bind(w.left).push_bind(at)
                        .push_bind(f.and_then(|f| f.swe_number.clone()))
                        .push_bind(f.map_or("case_holder", |f| f.org_role.as_str()))
                        .push_bind(f.map_or(1.0, |f| f.fte))
                        .push_bind(f.and_then(|f| f.asye_started))
                        .push_bind(f.and_then(|f| f.asye_ended))
                        .push_bind(f.and_then(|f| f.leaving_reason).map(|r| r.as_str()))
                        .push_bind(f.and_then(|f| f.destination).map(|d| d.as_str()));
                }).await?;
                let moves: Vec<(Uuid, &domain::workforce::Move)> =
                    c.worker_files.iter().flat_map(|f| f.moves.iter().map(move |m| (f.worker.id, m))).collect();
                k.worker_moves = insert_rows(conn,
                    "INSERT INTO worker_move (id, worker_id, moved_on, from_team_id, team_id, role_title, org_role, fte, agency, created_at) ", 10, moves, |b, (w, m)| {
                    b.push_bind(m.id).push_bind(w).push_bind(m.moved_on).push_bind(m.from_team_id).push_bind(m.team_id)
                        .push_bind(m.role_title.clone()).push_bind(m.org_role.as_str()).push_bind(m.fte).push_bind(m.agency).push_bind(at);
                }).await?;
                let absences: Vec<(Uuid, &domain::workforce::Absence)> =
                    c.worker_files.iter().flat_map(|f| f.absences.iter().map(move |a| (f.worker.id, a))).collect();
                k.worker_absences = insert_rows(conn,
                    "INSERT INTO worker_absence (id, worker_id, first_day, last_day, working_days_lost, reason, created_at) ", 7, absences, |b, (w, a)| {
                    b.push_bind(a.id).push_bind(w).push_bind(a.first_day).push_bind(a.last_day).push_bind(a.working_days_lost)
                        .push_bind(a.reason.as_str()).push_bind(at);
                }).await?;
                k.supervisions = insert_rows(conn,
                    "INSERT INTO supervision (id, worker_id, supervisor_id, held_on, reflection, recorded_by, created_at) ", 7, &c.supervisions, |b, x| {
                    b.push_bind(x.id).push_bind(x.worker_id).push_bind(x.supervisor_id).push_bind(x.held_on)
                        .push_bind(x.reflection.clone()).push_bind(None::<Uuid>).push_bind(at);
                }).await?;
                k.people = insert_rows(conn,
                    "INSERT INTO person (id, kind, given_name, family_name, date_of_birth, expected_date_of_birth, sex, ethnicity, \
                     disabilities, council_child_id, nhs_number, upn, former_upn, uasc, restricted, version, created_at, updated_at, family_key, given_key) ",
                    20, &c.people, |b, p| {
                    let d = &p.details;
                    b.push_bind(p.id).push_bind(d.kind.as_str()).push_bind(d.given_name.clone()).push_bind(d.family_name.clone())
                        .push_bind(d.date_of_birth).push_bind(d.expected_date_of_birth).push_bind(d.sex.clone()).push_bind(d.ethnicity.clone())
                        .push_bind(Json(d.disabilities.clone())).push_bind(d.identifiers.council_child_id.clone())
                        .push_bind(d.identifiers.nhs_number.clone()).push_bind(d.identifiers.upn.clone()).push_bind(d.identifiers.former_upn.clone())
                        .push_bind(d.uasc).push_bind(d.restricted).push_bind(p.version).push_bind(p.created_at).push_bind(p.updated_at)
                        .push_bind(domain::person::phonetic::soundex(&d.family_name).unwrap_or_default())
                        .push_bind(domain::person::phonetic::soundex(&d.given_name).unwrap_or_default());
                }).await?;
                k.addresses = insert_rows(conn, "INSERT INTO address (id, person_id, line1, line2, town, postcode, from_date, to_date, created_at) ", 9, &c.addresses, |b, a| {
                    b.push_bind(a.id).push_bind(a.person_id).push_bind(a.line1.clone()).push_bind(a.line2.clone()).push_bind(a.town.clone())
                        .push_bind(a.postcode.clone()).push_bind(a.from).push_bind(a.to).push_bind(at);
                }).await?;
                k.relationships = insert_rows(conn, "INSERT INTO relationship (id, person_id, kind, related_person_id, from_date, to_date, created_at) ", 7, &c.relationships, |b, r| {
                    b.push_bind(r.id).push_bind(r.person_id).push_bind(r.kind.clone()).push_bind(r.related_person_id)
                        .push_bind(r.from).push_bind(r.to).push_bind(at);
                }).await?;
                k.allocations = insert_rows(conn, "INSERT INTO allocation (id, child_id, worker_id, from_date, to_date, created_at) ", 6, &c.allocations, |b, a| {
                    b.push_bind(a.id).push_bind(a.child_id).push_bind(a.worker_id).push_bind(a.from).push_bind(a.to).push_bind(at);
                }).await?;
                k.adviser_allocations = insert_rows(conn, "INSERT INTO allocation (id, child_id, worker_id, from_date, to_date, created_at, role) ", 7, &c.adviser_allocations, |b, a| {
                    b.push_bind(a.id).push_bind(a.child_id).push_bind(a.worker_id).push_bind(a.from).push_bind(a.to).push_bind(at).push_bind("personal_adviser");
                }).await?;
                k.contacts = insert_rows(conn,
                    "INSERT INTO contact (id, received_at, source, contact_name, contact_agency, reason, consent, decision_due, outcome, \
                     decided_at, direction, rationale, quality, quality_comment, version, created_at) ",
                    16, &c.contacts, |b, x| {
                    let d = x.decision.as_ref();
                    b.push_bind(x.id).push_bind(x.received_at).push_bind(x.source.clone()).push_bind(x.contact_name.clone())
                        .push_bind(x.contact_agency.clone()).push_bind(x.reason.clone()).push_bind(x.consent.clone()).push_bind(x.decision_due)
                        .push_bind(d.map(|d| d.outcome.clone())).push_bind(d.map(|d| d.decided_at)).push_bind(d.map(|d| d.direction.clone()))
                        .push_bind(d.map(|d| d.rationale.clone())).push_bind(d.and_then(|d| d.quality.clone()))
                        .push_bind(d.map(|d| d.quality_comment.clone())).push_bind(x.version).push_bind(at);
                }).await?;
                k.contact_children = insert_rows(conn, "INSERT INTO contact_child (contact_id, person_id) ", 2,
                    contact_children, |b, (cid, pid)| {
                    b.push_bind(cid).push_bind(pid);
                }).await?;
                k.partner_checks = insert_rows(conn, "INSERT INTO partner_check (id, contact_id, agency, requested_on, received_on, summary, created_at) ", 7,
                    checks, |b, p| {
                    b.push_bind(p.id).push_bind(p.contact_id).push_bind(p.agency.clone()).push_bind(p.requested_on)
                        .push_bind(p.received_on).push_bind(p.summary.clone()).push_bind(at);
                }).await?;
                let ratings: Vec<(Uuid, &domain::front_door::RiskAssessment)> = c.contacts.iter().flat_map(|x| x.ratings.iter().map(move |r| (x.id, r))).collect();
                k.risk_ratings = insert_rows(conn, "INSERT INTO contact_risk (id, contact_id, rating, reason, immediate_safety, rated_at, rated_by, created_at) ", 8,
                    &ratings, |b, (cid, r)| {
                    b.push_bind(Uuid::now_v7()).push_bind(*cid).push_bind(r.rating.as_str()).push_bind(r.reason.clone())
                        .push_bind(r.immediate_safety).push_bind(r.rated_at).push_bind(None::<Uuid>).push_bind(at);
                }).await?;
                k.referrals = insert_rows(conn,
                    "INSERT INTO referral (id, child_id, contact_id, referral_date, source, re_referral, previous_referral, closed_on, closure_reason, primary_need, created_at) ",
                    11, &c.referrals, |b, r| {
                    let x = &r.referral;
                    b.push_bind(x.id).push_bind(x.child_id).push_bind(x.contact_id).push_bind(x.referral_date).push_bind(x.source.clone())
                        .push_bind(x.re_referral).push_bind(x.previous_referral).push_bind(x.closed_on).push_bind(x.closure_reason.clone())
                        .push_bind(r.primary_need.clone()).push_bind(at);
                }).await?;
                k.assessments = insert_rows(conn,
                    "INSERT INTO assessment (id, child_id, referral_id, started_on, due_on, completed_on, factors, outcome, summary, authorised_on, version, created_at, \
                     developmental_needs, parenting_capacity, family_environment, child_views, parents_views, analysis, authorised_comment) ",
                    19, &c.assessments, |b, a| {
                    let f = &a.framework;
                    b.push_bind(a.id).push_bind(a.child_id).push_bind(a.referral_id).push_bind(a.started_on).push_bind(a.due_on)
                        .push_bind(a.completed_on).push_bind(Json(a.factors.clone())).push_bind(a.outcome.clone()).push_bind(a.summary.clone())
                        .push_bind(a.authorised_on).push_bind(a.version).push_bind(at)
                        .push_bind(f.developmental_needs.clone()).push_bind(f.parenting_capacity.clone()).push_bind(f.family_environment.clone())
                        .push_bind(f.child_views.clone()).push_bind(f.parents_views.clone()).push_bind(f.analysis.clone())
                        .push_bind(a.authorised_comment.clone());
                }).await?;
                k.notes = insert_rows(conn,
                    "INSERT INTO note (id, child_id, kind, note_date, child_seen, seen_alone, childs_words, observation, body, decision, rationale, created_at) ",
                    12, &c.notes, |b, n| {
                    let x = &n.note;
                    b.push_bind(n.id).push_bind(n.child_id).push_bind(x.kind.as_str()).push_bind(x.date).push_bind(x.child_seen)
                        .push_bind(x.seen_alone).push_bind(x.childs_words.clone()).push_bind(x.observation.clone()).push_bind(x.text.clone())
                        .push_bind(x.decision.clone()).push_bind(x.rationale.clone()).push_bind(at);
                }).await?;
                k.early_help = insert_rows(conn,
                    "INSERT INTO early_help (id, child_id, started_on, lead, reason, origin, ended_on, end_reason, end_note, step_up_contact, created_at) ",
                    11, &c.early_help, |b, e| {
                    b.push_bind(e.id).push_bind(e.child_id).push_bind(e.started_on).push_bind(e.lead.clone()).push_bind(e.reason.clone())
                        .push_bind(e.origin.clone()).push_bind(e.ended_on).push_bind(e.end_reason.clone()).push_bind(e.end_note.clone())
                        .push_bind(e.step_up_contact).push_bind(at);
                }).await?;
                k.cin_plans = insert_rows(conn, "INSERT INTO cin_plan (id, child_id, referral_id, started_on, ended_on, primary_need, created_at, end_reason) ", 8, &c.cin_plans, |b, p| {
                    b.push_bind(p.id).push_bind(p.child_id).push_bind(p.referral_id).push_bind(p.started_on).push_bind(p.ended_on)
                        .push_bind(p.primary_need.clone()).push_bind(at).push_bind(p.end_reason.clone());
                }).await?;
                k.plan_actions = insert_rows(conn, "INSERT INTO plan_action (id, plan_id, seq, need, action, owner, due_on, status, progress, created_at) ", 10,
                    actions, |b, (pid, i, a)| {
                    b.push_bind(a.id).push_bind(pid).push_bind(i as i64 + 1).push_bind(a.need.clone()).push_bind(a.action.clone())
                        .push_bind(a.owner.clone()).push_bind(a.due_on).push_bind(a.status.clone()).push_bind(a.progress.clone()).push_bind(at);
                }).await?;
                let mut review_no = 0u128;
                k.plan_reviews = insert_rows(conn, "INSERT INTO plan_review (id, plan_id, held_on, summary, created_at) ", 5,
                    reviews, |b, (pid, r)| {
                    review_no += 1;
                    b.push_bind(child_row_id(pid, review_no)).push_bind(pid).push_bind(r.held_on).push_bind(r.summary.clone()).push_bind(at);
                }).await?;
                k.strategies = insert_rows(conn, "INSERT INTO strategy (id, child_id, referral_id, held_on, agencies, s47, notes, created_at) ", 8, &c.strategies, |b, s| {
                    b.push_bind(s.id).push_bind(s.child_id).push_bind(s.referral_id).push_bind(s.held_on).push_bind(Json(s.agencies.clone()))
                        .push_bind(s.s47).push_bind(s.notes.clone()).push_bind(at);
                }).await?;
                k.s47s = insert_rows(conn, "INSERT INTO s47 (id, child_id, strategy_id, started_on, icpc_due, completed_on, outcome, created_at) ", 8, &c.s47s, |b, s| {
                    b.push_bind(s.id).push_bind(s.child_id).push_bind(s.strategy_id).push_bind(s.started_on).push_bind(s.icpc_due)
                        .push_bind(s.completed_on).push_bind(s.outcome.clone()).push_bind(at);
                }).await?;
                k.cp_plans = insert_rows(conn,
                    "INSERT INTO cp_plan (id, child_id, started_on, ended_on, initial_category, latest_category, end_reason, repeat_plan, created_at) ",
                    9, &c.cp_plans, |b, p| {
                    b.push_bind(p.id).push_bind(p.child_id).push_bind(p.started_on).push_bind(p.ended_on).push_bind(p.initial_category.clone())
                        .push_bind(p.latest_category.clone()).push_bind(p.end_reason.clone()).push_bind(p.repeat).push_bind(at);
                }).await?;
                k.conferences = insert_rows(conn,
                    "INSERT INTO conference (id, child_id, kind, s47_id, plan_id, held_on, due_on, agencies, plan, category, created_at) ",
                    11, &c.conferences, |b, bc| {
                    let x = &bc.conference;
                    b.push_bind(x.id).push_bind(x.child_id).push_bind(x.kind.as_str()).push_bind(bc.s47_id).push_bind(x.plan_id)
                        .push_bind(x.held_on).push_bind(x.due_on).push_bind(Json(x.agencies.clone())).push_bind(x.plan)
                        .push_bind(x.category.clone()).push_bind(at);
                }).await?;
                let mut group_no = 0u128;
                k.core_groups = insert_rows(conn, "INSERT INTO core_group (id, plan_id, held_on, agencies, notes, created_at) ", 6,
                    core_groups, |b, (pid, g)| {
                    group_no += 1;
                    b.push_bind(child_row_id(pid, group_no)).push_bind(pid).push_bind(g.held_on).push_bind(Json(g.agencies.clone()))
                        .push_bind(g.notes.clone()).push_bind(at);
                }).await?;
                let adoption_matches: Vec<(Uuid, &domain::looked_after::adoption::AdoptionMatch)> =
                    c.cla_adoption.iter().filter_map(|d| d.matched.as_ref().map(|m| (d.child_id, m))).collect();
                let previous: std::collections::HashMap<Uuid, &domain::looked_after::PreviousPermanence> =
                    c.cla_previous_permanence.iter().map(|x| (x.period_id, x)).collect();
                k.cla_periods = insert_rows(conn, "INSERT INTO cla_period (id, child_id, started_on, ended_on, category_of_need, created_at, \
                     previous_permanence, previous_permanence_la, previous_permanence_on) ", 9,
                    &c.cla_periods, |b, p| {
                    let pp = previous.get(&p.id);
                    b.push_bind(p.id).push_bind(p.child_id).push_bind(p.started_on).push_bind(p.ended_on).push_bind(p.category_of_need.clone()).push_bind(at)
                        .push_bind(pp.map(|x| x.code.clone())).push_bind(pp.and_then(|x| x.la.clone())).push_bind(pp.and_then(|x| x.on));
                }).await?;
                k.cla_adoption_decisions = insert_rows(conn,
                    "INSERT INTO cla_adoption_decision (id, child_id, decided_on, ceased_on, reason_ceased, recorded_by, created_at) ", 7,
                    &c.cla_adoption, |b, d| {
                    b.push_bind(d.id).push_bind(d.child_id).push_bind(d.decided_on).push_bind(d.ceased_on).push_bind(d.reason_ceased.clone())
                        .push_bind(None::<Uuid>).push_bind(at);
                }).await?;
                k.cla_adoption_matches = insert_rows(conn,
                    "INSERT INTO cla_adoption_match (id, decision_id, child_id, matched_on, adopters, adopters_sex, adopters_legal_status, foster_carers, \
                     recorded_by, created_at) ", 10,
                    &adoption_matches, |b, (child, m)| {
                    b.push_bind(m.id).push_bind(m.decision_id).push_bind(*child).push_bind(m.matched_on).push_bind(m.adopters)
                        .push_bind(m.adopters_sex.clone()).push_bind(m.adopters_legal_status.clone()).push_bind(m.foster_carers)
                        .push_bind(None::<Uuid>).push_bind(at);
                }).await?;
                k.cla_episodes = insert_rows(conn,
                    "INSERT INTO cla_episode (id, period_id, child_id, started_on, ended_on, reason_new, legal_status, placement, provider, \
                     placement_postcode, urn, reason_ceased, reason_place_change, created_at) ",
                    14, &c.cla_episodes, |b, e| {
                    b.push_bind(e.id).push_bind(e.period_id).push_bind(e.child_id).push_bind(e.started_on).push_bind(e.ended_on)
                        .push_bind(e.reason_new.clone()).push_bind(e.legal_status.clone()).push_bind(e.placement.clone())
                        .push_bind(e.provider.clone()).push_bind(e.placement_postcode.clone()).push_bind(e.urn.clone())
                        .push_bind(e.reason_ceased.clone()).push_bind(e.reason_place_change.clone()).push_bind(at);
                }).await?;
                k.cla_reviews = insert_rows(conn, "INSERT INTO cla_review (id, child_id, held_on, participation, created_at) ", 5,
                    &c.cla_reviews, |b, r| {
                    b.push_bind(r.id).push_bind(r.child_id).push_bind(r.held_on).push_bind(r.participation.clone()).push_bind(at);
                }).await?;
                k.cla_health = insert_rows(conn,
                    "INSERT INTO cla_health (id, child_id, year, health_assessment, dental_check, immunisations, sdq_score, sdq_reason, created_at) ",
                    9, &c.cla_health, |b, h| {
                    b.push_bind(h.id).push_bind(h.child_id).push_bind(h.year).push_bind(h.health_assessment).push_bind(h.dental_check)
                        .push_bind(h.immunisations_up_to_date).push_bind(h.sdq_score).push_bind(h.sdq_reason.clone()).push_bind(at);
                }).await?;
                k.cla_missing = insert_rows(conn, "INSERT INTO cla_missing (id, child_id, started_on, ended_on, kind, created_at) ", 6,
                    &c.cla_missing, |b, m| {
                    b.push_bind(m.id).push_bind(m.child_id).push_bind(m.started_on).push_bind(m.ended_on).push_bind(m.kind.clone()).push_bind(at);
                }).await?;
                k.care_leavers = insert_rows(conn,
                    "INSERT INTO care_leaver_year (id, child_id, year, in_touch, activity, accommodation, created_at) ", 7,
                    &c.care_leavers, |b, l| {
                    b.push_bind(l.id).push_bind(l.child_id).push_bind(l.year).push_bind(l.in_touch.clone())
                        .push_bind(l.activity.clone()).push_bind(l.accommodation.clone()).push_bind(at);
                }).await?;
                k.leaving_care_contacts = insert_rows(conn,
                    "INSERT INTO leaving_care_contact (id, child_id, contact_on, seen, place, words, in_touch, created_at) ", 8,
                    &c.leaving_care_contacts, |b, l| {
                    b.push_bind(l.id).push_bind(l.child_id).push_bind(l.contact_on).push_bind(l.seen).push_bind(l.place.clone())
                        .push_bind(l.words.clone()).push_bind(l.in_touch.clone()).push_bind(at);
                }).await?;
                k.leaving_care_statuses = insert_rows(conn,
                    "INSERT INTO leaving_care_status (id, child_id, from_on, activity, accommodation, suitable, created_at) ", 7,
                    &c.leaving_care_statuses, |b, l| {
                    b.push_bind(l.id).push_bind(l.child_id).push_bind(l.from).push_bind(l.activity.clone())
                        .push_bind(l.accommodation.clone()).push_bind(l.suitable).push_bind(at);
                }).await?;
                k.leaving_care_needs = insert_rows(conn,
                    "INSERT INTO leaving_care_needs (id, child_id, assessed_on, areas, findings, views, created_at) ", 7,
                    &c.leaving_care_needs, |b, n| {
                    b.push_bind(n.id).push_bind(n.child_id).push_bind(n.assessed_on).push_bind(n.areas.join(","))
                        .push_bind(n.findings.clone()).push_bind(n.views.clone()).push_bind(at);
                }).await?;
                k.pathway_plans = insert_rows(conn,
                    "INSERT INTO pathway_plan (id, child_id, plan_date, views, goals, review_due, superseded_by, superseded_on, created_at) ", 9,
                    &c.pathway_plans, |b, p| {
                    b.push_bind(p.id).push_bind(p.child_id).push_bind(p.plan_date).push_bind(p.views.clone()).push_bind(p.goals.clone())
                        .push_bind(p.review_due).push_bind(p.superseded_by).push_bind(p.superseded_on).push_bind(at);
                }).await?;
                let actions: Vec<(Uuid, Uuid, i32, &domain::care_leavers::PathwayAction)> = c.pathway_plans.iter()
                    .flat_map(|p| p.actions.iter().enumerate().map(move |(i, a)| (p.id, p.child_id, i as i32, a)))
                    .collect();
                k.pathway_actions = insert_rows(conn,
                    "INSERT INTO pathway_action (id, plan_id, child_id, position, action, owner, due_on, status, progress, created_at) ", 10,
                    &actions, |b, (plan, child, i, a)| {
                    b.push_bind(a.id).push_bind(*plan).push_bind(*child).push_bind(*i).push_bind(a.action.clone()).push_bind(a.owner.clone())
                        .push_bind(a.due_on).push_bind(a.status.clone()).push_bind(a.progress.clone()).push_bind(at);
                }).await?;
                k.peps = insert_rows(conn, "INSERT INTO pep_review (id, child_id, reviewed_on, created_at) ", 4,
                    &c.peps, |b, p| {
                    b.push_bind(p.id).push_bind(p.child_id).push_bind(p.reviewed_on).push_bind(at);
                }).await?;
                k.pf_arrangements = insert_rows(conn,
                    "INSERT INTO pf_arrangement (id, child_id, notified_on, notified_by, starts_on, expected_end, carer_relationship, carer, reason, \
                     assessed_on, suitability, ended_on, end_reason, end_notified_on, created_at) ", 15,
                    &c.pf_arrangements, |b, a| {
                    b.push_bind(a.id).push_bind(a.child_id).push_bind(a.notified_on).push_bind(a.notified_by.clone()).push_bind(a.starts_on)
                        .push_bind(a.expected_end).push_bind(a.carer_relationship.clone()).push_bind(a.carer.clone()).push_bind(a.reason.clone())
                        .push_bind(a.assessed_on).push_bind(a.suitability.clone()).push_bind(a.ended_on).push_bind(a.end_reason.clone())
                        .push_bind(a.end_notified_on).push_bind(at);
                }).await?;
                k.pf_visits = insert_rows(conn,
                    "INSERT INTO pf_visit (id, arrangement_id, child_id, visited_on, kind, child_seen, seen_alone, not_alone_reason, childs_words, \
                     observation, report, created_at) ", 12,
                    &pf_visits, |b, v| {
                    b.push_bind(v.id).push_bind(v.arrangement_id).push_bind(v.child_id).push_bind(v.visited_on).push_bind(v.kind.as_str())
                        .push_bind(v.child_seen).push_bind(v.seen_alone).push_bind(v.not_alone_reason.clone()).push_bind(v.childs_words.clone())
                        .push_bind(v.observation.clone()).push_bind(v.report.clone()).push_bind(at);
                }).await?;
                k.users = insert_rows(conn, "INSERT INTO app_user (id, username, display_name, role, worker_id, password_hash, active, created_at) ", 8,
                    &c.users, |b, u| {
                    b.push_bind(u.id).push_bind(u.username.clone()).push_bind(u.display_name.clone()).push_bind(u.role.as_str())
                        .push_bind(None::<Uuid>).push_bind("!").push_bind(true).push_bind(at);
                }).await?;
                k.audit_programmes = insert_rows(conn,
                    "INSERT INTO audit_programme (id, theme, scope, team_id, period_start, period_end, method, seed, size, created_by, created_at) ", 11,
                    &c.audit_programmes, |b, p| {
                    b.push_bind(p.id).push_bind(p.theme.clone()).push_bind(p.scope.as_str()).push_bind(p.team_id).push_bind(p.period_start)
                        .push_bind(p.period_end).push_bind(if p.seed.is_some() { "random" } else { "chosen" }).push_bind(p.seed.map(|s| s as i64))
                        .push_bind(p.size.map(|s| s as i32)).push_bind(p.created_by).push_bind(p.created_at);
                }).await?;
                let programme_auditors: Vec<(Uuid, Uuid)> = c.audit_programmes.iter().flat_map(|p| p.auditors.iter().map(move |a| (p.id, *a))).collect();
                insert_rows(conn, "INSERT INTO audit_programme_auditor (programme_id, user_id) ", 2, programme_auditors, |b, (p, u)| {
                    b.push_bind(p).push_bind(u);
                }).await?;
                let samples: Vec<(Uuid, usize, Uuid, Uuid)> = c.audit_programmes.iter()
                    .flat_map(|p| p.sample.iter().enumerate().map(move |(i, (child, auditor))| (p.id, i, *child, *auditor))).collect();
                k.audit_samples = insert_rows(conn, "INSERT INTO audit_sample (programme_id, child_id, position, auditor_id) ", 4, samples, |b, (p, i, child, auditor)| {
                    b.push_bind(p).push_bind(child).push_bind(i as i32).push_bind(auditor);
                }).await?;
                // The grade as given: the first moderation's change of it, or the grade as it stands.
                let given = |a: &domain::quality::Audit, domain: &str, now: domain::quality::Grade| {
                    a.moderations.iter().flat_map(|m| m.changes.iter()).find(|c| c.domain == domain).map(|c| c.from).unwrap_or(now)
                };
                k.audits = insert_rows(conn,
                    "INSERT INTO case_file_audit (id, programme_id, child_id, auditor_id, overall_given, overall, worker_conversation, family_views, \
                     audited_on, team_id, created_at) ", 11,
                    &c.audits, |b, a| {
                    b.push_bind(a.id).push_bind(a.programme_id).push_bind(a.child_id).push_bind(a.auditor_id)
                        .push_bind(given(a, "overall", a.overall).as_str()).push_bind(a.overall.as_str()).push_bind(a.worker_conversation.clone())
                        .push_bind(a.family_views.clone()).push_bind(a.audited_on).push_bind(a.team_id).push_bind(at);
                }).await?;
                let grades: Vec<(&domain::quality::Audit, usize, &domain::quality::DomainGrade)> =
                    c.audits.iter().flat_map(|a| a.grades.iter().enumerate().map(move |(i, g)| (a, i, g))).collect();
                k.audit_grades = insert_rows(conn, "INSERT INTO audit_grade (audit_id, domain, position, grade_given, grade, evidence) ", 6,
                    grades, |b, (a, i, g)| {
                    b.push_bind(a.id).push_bind(g.domain.clone()).push_bind(i as i32 + 1).push_bind(given(a, &g.domain, g.grade).as_str())
                        .push_bind(g.grade.as_str()).push_bind(g.evidence.clone());
                }).await?;
                let moderations: Vec<(Uuid, &domain::quality::Moderation)> = c.audits.iter().flat_map(|a| a.moderations.iter().map(move |m| (a.id, m))).collect();
                k.audit_moderations = insert_rows(conn,
                    "INSERT INTO audit_moderation (id, audit_id, moderator_id, agreed, changes, reason, created_at) ", 7,
                    moderations, |b, (audit_id, m)| {
                    b.push_bind(m.id).push_bind(audit_id).push_bind(m.moderator_id).push_bind(m.agreed).push_bind(Json(m.changes.clone()))
                        .push_bind(m.reason.clone()).push_bind(m.at);
                }).await?;
                let learning: Vec<&domain::quality::LearningAction> = c.audits.iter().flat_map(|a| a.actions.iter()).collect();
                k.learning_actions = insert_rows(conn,
                    "INSERT INTO learning_action (id, audit_id, child_id, action, owner_worker_id, due_on, done_on, created_at) ", 8,
                    learning, |b, x| {
                    b.push_bind(x.id).push_bind(x.audit_id).push_bind(x.child_id).push_bind(x.action.clone()).push_bind(x.owner_worker_id)
                        .push_bind(x.due_on).push_bind(x.done_on).push_bind(at);
                }).await?;
                audit(conn, actor, AuditAction::Create, "synthetic_council", None, None, None, Some(to_json(&k)),
                    &format!("synthetic data loaded: {description}")).await?;
                tx.commit().await?;
                // Fresh statistics for the planner: without them PostgreSQL may scan a freshly
                // loaded table (contact_child, on the child's page) until autovacuum analyses it.
                sqlx::query("ANALYZE").execute(&self.pool).await?;
                self.after_analyze().await?;
                Ok(k)
            }
        }

        /// An id for a row the council does not name (reviews, core groups): derived from its
        /// parent's id and its position, so a load is deterministic.
        fn child_row_id(parent: Uuid, n: u128) -> Uuid {
            Uuid::from_u128(parent.as_u128() ^ n.rotate_left(64) ^ 0x5eed)
        }
    };
}
pub(crate) use bulk_impl;
