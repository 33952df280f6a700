//! Looked after children, as a part of the repository: the periods of care, reviews, missing
//! episodes and personal education plan reviews on a child's record. They are loaded in bulk
//! (see [`crate::bulk`]); the store reads them for the child's page.

// The SQL, written once and expanded for each backend by `crate::sql::backend!` in a module of its
// own beside the other capabilities' (it uses the shared row types and helpers there).
pub mod adoption;
pub mod care;
pub mod plans;
pub mod reviews;

// The loader of the child's page's part: the SQL, expanded for each backend by
// `crate::sql::backend!`.
macro_rules! sql {
    ($store:ty) => {
        use domain::looked_after::*;

        /// An episode of care as the 903 holds it.
        pub(super) fn episode_from_row(r: &Row) -> Result<Episode, sqlx::Error> {
            Ok(Episode {
                id: r.try_get("id")?,
                period_id: r.try_get("period_id")?,
                child_id: r.try_get("child_id")?,
                started_on: r.try_get("started_on")?,
                ended_on: r.try_get("ended_on")?,
                reason_new: r.try_get("reason_new")?,
                legal_status: r.try_get("legal_status")?,
                placement: r.try_get("placement")?,
                provider: r.try_get("provider")?,
                placement_postcode: r.try_get("placement_postcode")?,
                urn: r.try_get("urn")?,
                reason_ceased: r.try_get("reason_ceased")?,
                reason_place_change: r.try_get("reason_place_change")?,
            })
        }

        /// A child's periods of care, for the child's page (read in the caller's transaction).
        pub(super) async fn load_for_child(
            conn: &mut Conn,
            id: Uuid,
        ) -> Result<LookedAfter, StoreError> {
            let episodes = sqlx::query(
                "SELECT * FROM cla_episode WHERE child_id = $1 ORDER BY started_on, created_at",
            )
            .bind(id)
            .fetch_all(&mut *conn)
            .await?
            .iter()
            .map(episode_from_row)
            .collect::<Result<Vec<_>, sqlx::Error>>()?;
            let reviews =
                sqlx::query("SELECT * FROM cla_review WHERE child_id = $1 ORDER BY held_on")
                    .bind(id)
                    .fetch_all(&mut *conn)
                    .await?
                    .iter()
                    .map(|r| {
                        Ok(Review {
                            id: r.try_get("id")?,
                            child_id: r.try_get("child_id")?,
                            held_on: r.try_get("held_on")?,
                            participation: r.try_get("participation")?,
                        })
                    })
                    .collect::<Result<Vec<_>, sqlx::Error>>()?;
            let missing =
                sqlx::query("SELECT * FROM cla_missing WHERE child_id = $1 ORDER BY started_on")
                    .bind(id)
                    .fetch_all(&mut *conn)
                    .await?
                    .iter()
                    .map(|r| {
                        Ok(Missing {
                            id: r.try_get("id")?,
                            child_id: r.try_get("child_id")?,
                            started_on: r.try_get("started_on")?,
                            ended_on: r.try_get("ended_on")?,
                            kind: r.try_get("kind")?,
                        })
                    })
                    .collect::<Result<Vec<_>, sqlx::Error>>()?;
            let peps =
                sqlx::query("SELECT * FROM pep_review WHERE child_id = $1 ORDER BY reviewed_on")
                    .bind(id)
                    .fetch_all(&mut *conn)
                    .await?
                    .iter()
                    .map(|r| {
                        Ok(Pep {
                            id: r.try_get("id")?,
                            child_id: r.try_get("child_id")?,
                            reviewed_on: r.try_get("reviewed_on")?,
                        })
                    })
                    .collect::<Result<Vec<_>, sqlx::Error>>()?;
            let adoption = load_adoption(conn, id).await?;
            let uasc_ended = load_uasc_end(conn, id).await?;
            Ok(LookedAfter {
                episodes,
                reviews,
                missing,
                peps,
                adoption,
                uasc_ended,
            })
        }

        fn adoption_match_from_row(r: &Row) -> Result<adoption::AdoptionMatch, sqlx::Error> {
            Ok(adoption::AdoptionMatch {
                id: r.try_get("id")?,
                decision_id: r.try_get("decision_id")?,
                matched_on: r.try_get("matched_on")?,
                adopters: r.try_get::<i32, _>("adopters")?,
                adopters_sex: r.try_get("adopters_sex")?,
                adopters_legal_status: r.try_get("adopters_legal_status")?,
                foster_carers: r.try_get("foster_carers")?,
            })
        }

        /// Decisions to place for adoption with their matches, oldest first: a child's, or
        /// (`None`) everyone's; not those entered in error (nor their matches).
        pub(super) async fn load_adoption_of(
            conn: &mut Conn,
            child: Option<Uuid>,
        ) -> Result<Vec<adoption::AdoptionDecision>, StoreError> {
            let (decisions, matches) = match child {
                Some(id) => (
                    sqlx::query("SELECT * FROM cla_adoption_decision WHERE child_id = $1 AND entered_in_error_at IS NULL ORDER BY decided_on, created_at")
                        .bind(id).fetch_all(&mut *conn).await?,
                    sqlx::query("SELECT * FROM cla_adoption_match WHERE child_id = $1")
                        .bind(id).fetch_all(&mut *conn).await?,
                ),
                None => (
                    sqlx::query("SELECT * FROM cla_adoption_decision WHERE entered_in_error_at IS NULL ORDER BY decided_on, created_at")
                        .fetch_all(&mut *conn).await?,
                    sqlx::query("SELECT * FROM cla_adoption_match").fetch_all(&mut *conn).await?,
                ),
            };
            let mut matches: std::collections::HashMap<Uuid, adoption::AdoptionMatch> = matches
                .iter()
                .map(|r| adoption_match_from_row(r).map(|m| (m.decision_id, m)))
                .collect::<Result<_, sqlx::Error>>()?;
            decisions
                .iter()
                .map(|r| {
                    let id: Uuid = r.try_get("id")?;
                    Ok(adoption::AdoptionDecision {
                        id,
                        child_id: r.try_get("child_id")?,
                        decided_on: r.try_get("decided_on")?,
                        ceased_on: r.try_get("ceased_on")?,
                        reason_ceased: r.try_get("reason_ceased")?,
                        matched: matches.remove(&id),
                    })
                })
                .collect::<Result<Vec<_>, sqlx::Error>>()
                .map_err(StoreError::from)
        }

        /// Convictions and substance misuse, oldest first: a child's, or (`None`) everyone's.
        pub(super) async fn load_oc2_events(
            conn: &mut Conn,
            child: Option<Uuid>,
        ) -> Result<Vec<health::Oc2Event>, StoreError> {
            let rows = match child {
                Some(id) => sqlx::query("SELECT * FROM cla_oc2_event WHERE child_id = $1 ORDER BY happened_on, created_at")
                    .bind(id).fetch_all(&mut *conn).await?,
                None => sqlx::query("SELECT * FROM cla_oc2_event ORDER BY happened_on, created_at")
                    .fetch_all(&mut *conn).await?,
            };
            rows.iter()
                .map(|r| {
                    Ok(health::Oc2Event {
                        id: r.try_get("id")?,
                        child_id: r.try_get("child_id")?,
                        kind: r.try_get("kind")?,
                        happened_on: r.try_get("happened_on")?,
                        intervention_received: r.try_get("intervention_received")?,
                        intervention_offered: r.try_get("intervention_offered")?,
                        note: r.try_get("note")?,
                    })
                })
                .collect::<Result<Vec<_>, sqlx::Error>>()
                .map_err(StoreError::from)
        }

        /// When a child's UASC status ended, where recorded.
        pub(super) async fn load_uasc_end(conn: &mut Conn, child: Uuid) -> Result<Option<UascEnd>, StoreError> {
            let r = sqlx::query("SELECT ceased_on, reason FROM uasc_status_end WHERE child_id = $1")
                .bind(child).fetch_optional(&mut *conn).await?;
            Ok(match r {
                Some(r) => Some(UascEnd { ceased_on: r.try_get("ceased_on")?, reason: r.try_get("reason")? }),
                None => None,
            })
        }

        /// A child's decisions to place for adoption, oldest first.
        pub(super) async fn load_adoption(
            conn: &mut Conn,
            child: Uuid,
        ) -> Result<Vec<adoption::AdoptionDecision>, StoreError> {
            load_adoption_of(conn, Some(child)).await
        }
    };
}
pub(crate) use sql;
