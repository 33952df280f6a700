//! The synthetic council's integration tests: calibration against England's figures, the CIN
//! census from the journeys, and loading into the store.

mod calibration;
mod census;
mod load;
mod record_report;
mod ssda903;
