//! Statutory returns for children's social care in England: read, write and validate the
//! SSDA903 (children looked after) return and the CIN census, working on return files alone
//! (no web, no store).
//!
//! Modules:
//! - [`findings`]: the validation finding type shared by every return, and its outputs
//!   (terminal summary, CSV, Excel workbook).

pub mod cin;
pub mod csww;
mod dates;
pub mod findings;
pub mod ssda903;
