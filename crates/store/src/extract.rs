//! Everything the performance report needs from the record, in one read.

use async_trait::async_trait;

use crate::Result;

#[async_trait]
pub trait Extract: Send + Sync {
    /// Everything the performance report needs from the record, in one read.
    async fn extract(&self) -> Result<domain::extract::RecordExtract>;
    /// What the SSDA903 return for the collection year ending 31 March `year` needs, in one
    /// read: the children looked after at some time in the year or with a care leaver's row for
    /// it, with their periods, episodes, reviews, missing episodes, the year's health and care
    /// leaver rows, and their allocations to workers. Not audited here: the caller writes one
    /// entry for the export as a whole.
    async fn looked_after_export(&self, year: i32) -> Result<domain::extract::LookedAfterExport>;
    /// The same for one child: what their part of the return would be (for the 903 findings on
    /// the child's page; the caller has opened the child's record, which is the access entry).
    async fn looked_after_export_for(
        &self,
        year: i32,
        child: uuid::Uuid,
    ) -> Result<domain::extract::LookedAfterExport>;
}

// The SQL, written once and expanded for each backend by `crate::sql::backend!` in a module
// of its own beside the other capabilities' (it uses the shared row types and helpers there).
macro_rules! sql {
    ($store:ty) => {
        use $crate::extract::Extract as ExtractRepository;

        /// [`Extract::looked_after_export`], for everyone or (`child`) one child: each query then
        /// reads only that child's rows.
        async fn looked_after_export_of(conn: &mut Conn, year: i32, child: Option<Uuid>) -> Result<domain::extract::LookedAfterExport, StoreError> {
                use domain::extract::*;
                use domain::looked_after::*;
                let start = NaiveDate::from_ymd_opt(year - 1, 4, 1).ok_or_else(|| StoreError::Invalid { field: "year", message: format!("no such collection year {year}") })?;
                let end = NaiveDate::from_ymd_opt(year, 3, 31).ok_or_else(|| StoreError::Invalid { field: "year", message: format!("no such collection year {year}") })?;
                // `AND <column> = $n` when the export is for one child.
                let only = |column: &str, n: u32| match child {
                    Some(_) => format!(" AND {column} = ${n}"),
                    None => String::new(),
                };
                macro_rules! scoped {
                    ($q:expr) => {{
                        let q = $q;
                        match child { Some(c) => q.bind(c), None => q }
                    }};
                }
                let periods = scoped!(sqlx::query(sqlx::AssertSqlSafe(format!("SELECT id, child_id, started_on, ended_on, category_of_need, previous_permanence, previous_permanence_la, previous_permanence_on FROM cla_period WHERE 1 = 1{} ORDER BY started_on, created_at", only("child_id", 1)))))
                    .fetch_all(&mut *conn).await?.iter()
                    .map(|r| Ok((Period {
                        id: r.try_get("id")?,
                        child_id: r.try_get("child_id")?,
                        started_on: r.try_get("started_on")?,
                        ended_on: r.try_get("ended_on")?,
                        category_of_need: r.try_get("category_of_need")?,
                    }, r.try_get::<Option<String>, _>("previous_permanence")?.map(|code| Ok::<_, sqlx::Error>(PreviousPermanence {
                        period_id: r.try_get("id")?,
                        child_id: r.try_get("child_id")?,
                        code,
                        la: r.try_get("previous_permanence_la")?,
                        on: r.try_get("previous_permanence_on")?,
                    })).transpose()?)))
                    .collect::<Result<Vec<_>, sqlx::Error>>()?
                    .into_iter()
                    .filter(|(p, _): &(Period, _)| p.started_on <= end && p.ended_on.is_none_or(|e| e >= start))
                    .collect::<Vec<_>>();
                let previous_permanence: Vec<PreviousPermanence> = periods.iter().filter_map(|(_, pp)| pp.clone()).collect();
                let periods: Vec<Period> = periods.into_iter().map(|(p, _)| p).collect();
                let care_leavers = super::care_leavers::oc3_rows(conn, child, Some(year)).await?;
                let wanted: std::collections::HashSet<Uuid> = periods.iter().map(|p| p.child_id)
                    .chain(care_leavers.iter().map(|l| l.child_id)).collect();
                let period_ids: std::collections::HashSet<Uuid> = periods.iter().map(|p| p.id).collect();
                let mut homes: std::collections::HashMap<Uuid, String> = std::collections::HashMap::new();
                for r in scoped!(sqlx::query(sqlx::AssertSqlSafe(format!("SELECT person_id, postcode FROM address WHERE to_date IS NULL{} ORDER BY from_date, created_at", only("person_id", 1))))).fetch_all(&mut *conn).await? {
                    let id: Uuid = r.try_get("person_id")?;
                    if wanted.contains(&id) {
                        homes.insert(id, r.try_get("postcode")?);
                    }
                }
                let mut born: std::collections::HashMap<Uuid, Vec<NaiveDate>> = std::collections::HashMap::new();
                for r in scoped!(sqlx::query(sqlx::AssertSqlSafe(format!(
                    "SELECT r.person_id, p.date_of_birth FROM relationship r JOIN person p ON p.id = r.related_person_id \
                     WHERE r.kind = 'parent' AND p.date_of_birth IS NOT NULL{} ORDER BY p.date_of_birth", only("r.person_id", 1),
                )))).fetch_all(&mut *conn).await? {
                    let id: Uuid = r.try_get("person_id")?;
                    if wanted.contains(&id) {
                        born.entry(id).or_default().push(r.try_get("date_of_birth")?);
                    }
                }
                let mut uasc_ended: std::collections::HashMap<Uuid, NaiveDate> = std::collections::HashMap::new();
                for r in scoped!(sqlx::query(sqlx::AssertSqlSafe(format!("SELECT child_id, ceased_on FROM uasc_status_end WHERE 1 = 1{}", only("child_id", 1)))))
                    .fetch_all(&mut *conn).await? {
                    uasc_ended.insert(r.try_get("child_id")?, r.try_get("ceased_on")?);
                }
                let mut children = Vec::new();
                for r in scoped!(sqlx::query(sqlx::AssertSqlSafe(format!("SELECT id, council_child_id, sex, date_of_birth, ethnicity, upn, uasc FROM person WHERE kind = 'child'{} ORDER BY created_at, id", only("id", 1)))))
                    .fetch_all(&mut *conn).await? {
                    let id: Uuid = r.try_get("id")?;
                    if !wanted.contains(&id) {
                        continue;
                    }
                    children.push(ExportChild {
                        id,
                        council_child_id: r.try_get("council_child_id")?,
                        sex: r.try_get("sex")?,
                        date_of_birth: r.try_get("date_of_birth")?,
                        ethnicity: r.try_get("ethnicity")?,
                        upn: r.try_get("upn")?,
                        uasc: r.try_get("uasc")?,
                        uasc_ceased_on: uasc_ended.remove(&id),
                        home_postcode: homes.remove(&id),
                        own_children_born: born.remove(&id).unwrap_or_default(),
                    });
                }
                let episodes = scoped!(sqlx::query(sqlx::AssertSqlSafe(format!("SELECT * FROM cla_episode WHERE 1 = 1{} ORDER BY started_on, created_at", only("child_id", 1)))))
                    .fetch_all(&mut *conn).await?.iter()
                    .map(super::looked_after::episode_from_row)
                    .collect::<Result<Vec<_>, sqlx::Error>>()?
                    .into_iter()
                    .filter(|e: &Episode| period_ids.contains(&e.period_id))
                    .collect();
                let reviews = scoped!(sqlx::query(sqlx::AssertSqlSafe(format!("SELECT id, child_id, held_on, participation FROM cla_review WHERE 1 = 1{} ORDER BY held_on, created_at", only("child_id", 1)))))
                    .fetch_all(&mut *conn).await?.iter()
                    .map(|r| Ok(Review {
                        id: r.try_get("id")?,
                        child_id: r.try_get("child_id")?,
                        held_on: r.try_get("held_on")?,
                        participation: r.try_get("participation")?,
                    }))
                    .collect::<Result<Vec<_>, sqlx::Error>>()?
                    .into_iter()
                    .filter(|x: &Review| wanted.contains(&x.child_id) && x.held_on >= start && x.held_on <= end)
                    .collect();
                let missing = scoped!(sqlx::query(sqlx::AssertSqlSafe(format!("SELECT id, child_id, started_on, ended_on, kind FROM cla_missing WHERE 1 = 1{} ORDER BY started_on, created_at", only("child_id", 1)))))
                    .fetch_all(&mut *conn).await?.iter()
                    .map(|r| Ok(Missing {
                        id: r.try_get("id")?,
                        child_id: r.try_get("child_id")?,
                        started_on: r.try_get("started_on")?,
                        ended_on: r.try_get("ended_on")?,
                        kind: r.try_get("kind")?,
                    }))
                    .collect::<Result<Vec<_>, sqlx::Error>>()?
                    .into_iter()
                    .filter(|m: &Missing| wanted.contains(&m.child_id) && m.started_on <= end && m.ended_on.is_none_or(|x| x >= start))
                    .collect();
                let health = scoped!(sqlx::query(sqlx::AssertSqlSafe(format!("SELECT id, child_id, year, health_assessment, dental_check, immunisations, sdq_score, sdq_reason FROM cla_health WHERE year = $1{}", only("child_id", 2)))).bind(year))
                    .fetch_all(&mut *conn).await?.iter()
                    .map(|r| Ok(HealthYear {
                        id: r.try_get("id")?,
                        child_id: r.try_get("child_id")?,
                        year: r.try_get::<i32, _>("year")?,
                        health_assessment: r.try_get("health_assessment")?,
                        dental_check: r.try_get("dental_check")?,
                        immunisations_up_to_date: r.try_get("immunisations")?,
                        sdq_score: r.try_get::<Option<i32>, _>("sdq_score")?,
                        sdq_reason: r.try_get("sdq_reason")?,
                    }))
                    .collect::<Result<Vec<_>, sqlx::Error>>()?
                    .into_iter()
                    .filter(|h: &HealthYear| wanted.contains(&h.child_id))
                    .collect();
                let allocations = scoped!(sqlx::query(sqlx::AssertSqlSafe(format!("SELECT id, child_id, worker_id, from_date, to_date FROM allocation WHERE role = 'social_worker'{} ORDER BY from_date, created_at", only("child_id", 1)))))
                    .fetch_all(&mut *conn).await?.iter()
                    .map(|r| Ok(domain::person::Allocation {
                        id: r.try_get("id")?,
                        child_id: r.try_get("child_id")?,
                        worker_id: r.try_get("worker_id")?,
                        from: r.try_get("from_date")?,
                        to: r.try_get("to_date")?,
                    }))
                    .collect::<Result<Vec<_>, sqlx::Error>>()?
                    .into_iter()
                    .filter(|a: &domain::person::Allocation| wanted.contains(&a.child_id))
                    .collect();
                let workers = sqlx::query("SELECT id, role_title, team_id, left_on FROM worker")
                    .fetch_all(&mut *conn).await?.iter()
                    .map(|r| Ok(ExportWorker { id: r.try_get("id")?, role_title: r.try_get("role_title")?, team_id: r.try_get("team_id")?, left: r.try_get("left_on")? }))
                    .collect::<Result<Vec<_>, sqlx::Error>>()?;
                let adoption = super::looked_after::load_adoption_of(&mut *conn, child).await?
                    .into_iter().filter(|d| wanted.contains(&d.child_id)).collect();
                // Convictions and substance misuse entered in error are not returned.
                let oc2_in_error = super::correction::in_error_ids(&mut *conn, &crate::looked_after::reviews::OC2_EVENT).await?;
                let oc2_events = super::looked_after::load_oc2_events(&mut *conn, child).await?
                    .into_iter().filter(|x| wanted.contains(&x.child_id) && !oc2_in_error.contains(&x.id)).collect();
                Ok(LookedAfterExport { year, children, periods, episodes, reviews, missing, health, care_leavers, allocations, workers, adoption, previous_permanence, oc2_events })
            }

        #[async_trait::async_trait]
        impl ExtractRepository for $store {
            async fn extract(&self) -> Result<domain::extract::RecordExtract> {
                use domain::extract::*;
                let mut conn = self.list_pool.acquire().await?;
                let mut children: std::collections::HashMap<Uuid, Vec<Uuid>> = std::collections::HashMap::new();
                for r in sqlx::query("SELECT contact_id, person_id FROM contact_child").fetch_all(&mut *conn).await? {
                    children.entry(r.try_get("contact_id")?).or_default().push(r.try_get("person_id")?);
                }
                let contacts = sqlx::query("SELECT id, received_at, decision_due, decided_at, outcome FROM contact")
                    .fetch_all(&mut *conn).await?.iter()
                    .map(|r| {
                        let id: Uuid = r.try_get("id")?;
                        Ok(ContactRow {
                            id,
                            children: children.remove(&id).unwrap_or_default(),
                            received_at: r.try_get("received_at")?,
                            decision_due: r.try_get("decision_due")?,
                            decided_at: r.try_get("decided_at")?,
                            outcome: r.try_get("outcome")?,
                        })
                    })
                    .collect::<Result<Vec<_>, sqlx::Error>>()?;
                let early_help_starts = sqlx::query("SELECT child_id, started_on FROM early_help")
                    .fetch_all(&mut *conn).await?.iter()
                    .map(|r| Ok((r.try_get("child_id")?, r.try_get("started_on")?)))
                    .collect::<Result<Vec<_>, sqlx::Error>>()?;
                let referrals = sqlx::query(
                    "SELECT r.id, r.child_id, r.referral_date, r.closed_on, r.closure_reason, \
                     NOT EXISTS (SELECT 1 FROM assessment a WHERE a.referral_id = r.id) AS no_assessment FROM referral r",
                )
                .fetch_all(&mut *conn).await?.iter()
                .map(|r| Ok(ReferralRow {
                    id: r.try_get("id")?,
                    child: r.try_get("child_id")?,
                    date: r.try_get("referral_date")?,
                    closed_on: r.try_get("closed_on")?,
                    closure_reason: r.try_get("closure_reason")?,
                    no_assessment: r.try_get("no_assessment")?,
                }))
                .collect::<Result<Vec<_>, sqlx::Error>>()?;
                let assessments = sqlx::query("SELECT child_id, started_on, authorised_on FROM assessment")
                    .fetch_all(&mut *conn).await?.iter()
                    .map(|r| Ok(AssessmentRow { child: r.try_get("child_id")?, started: r.try_get("started_on")?, authorised: r.try_get("authorised_on")? }))
                    .collect::<Result<Vec<_>, sqlx::Error>>()?;
                let s47s = sqlx::query(
                    "SELECT s.child_id, s.started_on, (SELECT MIN(c.held_on) FROM conference c WHERE c.s47_id = s.id) AS icpc FROM s47 s",
                )
                .fetch_all(&mut *conn).await?.iter()
                .map(|r| Ok(S47Row { child: r.try_get("child_id")?, started: r.try_get("started_on")?, icpc: r.try_get("icpc")? }))
                .collect::<Result<Vec<_>, sqlx::Error>>()?;
                let mut reviews: std::collections::HashMap<Uuid, Vec<NaiveDate>> = std::collections::HashMap::new();
                for r in sqlx::query("SELECT plan_id, held_on FROM conference WHERE kind = 'review' AND plan_id IS NOT NULL ORDER BY held_on").fetch_all(&mut *conn).await? {
                    reviews.entry(r.try_get("plan_id")?).or_default().push(r.try_get("held_on")?);
                }
                let cp_plans = sqlx::query("SELECT id, child_id, started_on, ended_on, initial_category, repeat_plan FROM cp_plan")
                    .fetch_all(&mut *conn).await?.iter()
                    .map(|r| {
                        let id: Uuid = r.try_get("id")?;
                        Ok(CpPlanRow {
                            child: r.try_get("child_id")?,
                            started: r.try_get("started_on")?,
                            ended: r.try_get("ended_on")?,
                            initial_category: r.try_get("initial_category")?,
                            repeat: r.try_get("repeat_plan")?,
                            reviews: reviews.remove(&id).unwrap_or_default(),
                        })
                    })
                    .collect::<Result<Vec<_>, sqlx::Error>>()?;
                let visits_seen = sqlx::query("SELECT child_id, note_date, seen_alone FROM note WHERE kind = 'visit' AND child_seen = $1 AND entered_in_error_at IS NULL")
                    .bind(true)
                    .fetch_all(&mut *conn).await?.iter()
                    .map(|r| Ok((r.try_get("child_id")?, r.try_get("note_date")?, r.try_get::<Option<bool>, _>("seen_alone")?.unwrap_or(false))))
                    .collect::<Result<Vec<_>, sqlx::Error>>()?;
                let workers = sqlx::query("SELECT id, role_title, agency, started, left_on FROM worker")
                    .fetch_all(&mut *conn).await?.iter()
                    .map(|r| Ok(WorkerRow { id: r.try_get("id")?, role_title: r.try_get("role_title")?, agency: r.try_get("agency")?, started: r.try_get("started")?, left: r.try_get("left_on")? }))
                    .collect::<Result<Vec<_>, sqlx::Error>>()?;
                let allocations = sqlx::query("SELECT child_id, worker_id, from_date, to_date FROM allocation WHERE role = 'social_worker'")
                    .fetch_all(&mut *conn).await?.iter()
                    .map(|r| Ok((r.try_get("child_id")?, r.try_get("worker_id")?, r.try_get("from_date")?, r.try_get("to_date")?)))
                    .collect::<Result<Vec<_>, sqlx::Error>>()?;
                let dobs = sqlx::query("SELECT id, date_of_birth FROM person WHERE kind = 'child' AND date_of_birth IS NOT NULL")
                    .fetch_all(&mut *conn).await?.iter()
                    .map(|r| Ok((r.try_get("id")?, r.try_get("date_of_birth")?)))
                    .collect::<Result<Vec<_>, sqlx::Error>>()?;
                let cla_episodes = sqlx::query("SELECT child_id, started_on, ended_on, reason_new, legal_status, placement, reason_ceased FROM cla_episode")
                    .fetch_all(&mut *conn).await?.iter()
                    .map(|r| Ok(ClaEpisodeRow {
                        child: r.try_get("child_id")?,
                        started: r.try_get("started_on")?,
                        ended: r.try_get("ended_on")?,
                        reason_new: r.try_get("reason_new")?,
                        legal_status: r.try_get("legal_status")?,
                        placement: r.try_get("placement")?,
                        reason_ceased: r.try_get("reason_ceased")?,
                    }))
                    .collect::<Result<Vec<_>, sqlx::Error>>()?;
                let cla_missing = sqlx::query("SELECT child_id, started_on FROM cla_missing")
                    .fetch_all(&mut *conn).await?.iter()
                    .map(|r| Ok((r.try_get("child_id")?, r.try_get("started_on")?)))
                    .collect::<Result<Vec<_>, sqlx::Error>>()?;
                let cla_health = sqlx::query("SELECT child_id, year, health_assessment, dental_check, immunisations, sdq_score FROM cla_health")
                    .fetch_all(&mut *conn).await?.iter()
                    .map(|r| Ok(HealthRow {
                        child: r.try_get("child_id")?,
                        year: r.try_get::<i32, _>("year")?,
                        health_assessment: r.try_get::<Option<NaiveDate>, _>("health_assessment")?.is_some(),
                        dental_check: r.try_get::<Option<NaiveDate>, _>("dental_check")?.is_some(),
                        immunisations: r.try_get("immunisations")?,
                        sdq_score: r.try_get::<Option<i32>, _>("sdq_score")?,
                    }))
                    .collect::<Result<Vec<_>, sqlx::Error>>()?;
                let care_leavers = super::care_leavers::oc3_rows(&mut conn, None, None).await?.into_iter()
                    .map(|l| LeaverRow { child: l.child_id, year: l.year, activity: l.activity, accommodation: l.accommodation })
                    .collect();
                let peps = sqlx::query("SELECT child_id, reviewed_on FROM pep_review")
                    .fetch_all(&mut *conn).await?.iter()
                    .map(|r| Ok((r.try_get("child_id")?, r.try_get("reviewed_on")?)))
                    .collect::<Result<Vec<_>, sqlx::Error>>()?;
                Ok(RecordExtract {
                    contacts, early_help_starts, referrals, assessments, s47s, cp_plans, visits_seen, workers, allocations,
                    dobs, cla_episodes, cla_missing, cla_health, care_leavers, peps,
                    private_fostering: super::private_fostering::extract_rows(&mut conn).await?,
                    audits: super::quality::extract_rows(&mut conn).await?,
                })
            }

            async fn looked_after_export(&self, year: i32) -> Result<domain::extract::LookedAfterExport> {
                let mut conn = self.list_pool.acquire().await?;
                looked_after_export_of(&mut conn, year, None).await
            }

            async fn looked_after_export_for(&self, year: i32, child: Uuid) -> Result<domain::extract::LookedAfterExport> {
                let mut conn = self.list_pool.acquire().await?;
                looked_after_export_of(&mut conn, year, Some(child)).await
            }
        }
    };
}
pub(crate) use sql;
