//! Looked after children, as a part of the repository: the periods of care, reviews, missing
//! episodes and personal education plan reviews on a child's record. They are loaded in bulk
//! (see [`crate::bulk`]); the store reads them for the child's page.

// The SQL, written once and expanded for each backend by `crate::sql::backend!` in a module of its
// own beside the other capabilities' (it uses the shared row types and helpers there).
pub mod care;
pub mod plans;
pub mod reviews;

// The loader of the child's page's part: the SQL, expanded for each backend by
// `crate::sql::backend!`.
macro_rules! sql {
    ($store:ty) => {
        use domain::looked_after::*;

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
            .map(|r| {
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
            })
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
            Ok(LookedAfter {
                episodes,
                reviews,
                missing,
                peps,
            })
        }
    };
}
pub(crate) use sql;
