//! The synthetic council's integration tests: calibration against England's figures, workers and
//! allocations, the CIN census and SSDA903 from the journeys, and loading into the store.

mod allocations;
mod calibration;
mod census;
mod load;
mod record_report;
mod ssda903;
