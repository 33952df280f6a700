//! The record as the performance report reads it. Reading the whole record (about 2 s for the
//! 50,000-child demo) for every view of the report would hold a core per viewer; instead one
//! reading is kept for [`crate::Config::report_refresh`] and shared. Only one reading runs at a
//! time: viewers who arrive while the record is being read wait for that reading rather than
//! starting their own. The report built from a reading for a period is kept with the reading
//! (building it takes about a second at that size), and is built off the request workers. The
//! page says when the figures were taken.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use metrics::{Context, Events, Period, Report};
use tokio::sync::Mutex;

use crate::AppState;
use crate::error::AppError;

/// One reading of the record, and when it was taken.
#[derive(Clone)]
pub struct Snapshot {
    pub events: Arc<Events>,
    pub taken: DateTime<Utc>,
    /// Reports built from this reading, by period and context (the last few asked for).
    built: Arc<std::sync::Mutex<Vec<(Period, Context, Arc<Report>)>>>,
}

/// How many periods' reports one reading keeps.
const KEPT_REPORTS: usize = 8;

impl Snapshot {
    /// The report for `period` from this reading: built once, off the request workers.
    pub async fn report(&self, period: Period, ctx: Context) -> Result<Arc<Report>, AppError> {
        let found = self
            .built
            .lock()
            .map_err(|_| AppError::Internal("the report cache was poisoned".into()))?
            .iter()
            .find(|(p, c, _)| *p == period && *c == ctx)
            .map(|(_, _, r)| r.clone());
        if let Some(r) = found {
            return Ok(r);
        }
        let events = self.events.clone();
        let report = Arc::new(
            tokio::task::spawn_blocking(move || metrics::build(&events, period, &ctx))
                .await
                .map_err(|e| AppError::Internal(format!("building the report: {e}")))?,
        );
        let mut built = self
            .built
            .lock()
            .map_err(|_| AppError::Internal("the report cache was poisoned".into()))?;
        if built.len() >= KEPT_REPORTS {
            built.remove(0);
        }
        built.push((period, ctx, report.clone()));
        Ok(report)
    }
}

/// The last reading, shared by every viewer of the report.
#[derive(Default)]
pub struct Snapshots {
    last: Mutex<Option<Snapshot>>,
}

impl Snapshots {
    /// The last reading if it is younger than the council's refresh interval, or a new one.
    pub async fn get(&self, state: &AppState) -> Result<Snapshot, AppError> {
        let refresh = state.config.report_refresh;
        // Held while reading: one reading at a time, the others wait for it.
        let mut last = self.last.lock().await;
        if let Some(s) = last.as_ref() {
            if !refresh.is_zero() && Utc::now() - s.taken < refresh {
                return Ok(s.clone());
            }
        }
        let taken = Utc::now();
        let events = Arc::new(Events::from_record(&state.store.extract().await?));
        let s = Snapshot {
            events,
            taken,
            built: Arc::default(),
        };
        *last = Some(s.clone());
        Ok(s)
    }
}
