//! Inspection: Ofsted's Annex A child-level lists made from the record (`annex_a`), with a
//! check of every row before they are sent (`checks`), from the plain rows the store reads
//! (`record`).

pub mod annex_a;
pub mod checks;
pub mod commentary;
pub mod record;
pub mod timeliness;

pub use annex_a::{AnnexA, Cell, Column, Kind, List, build};
pub use checks::{Finding, check};
pub use record::AnnexARecord;

#[cfg(test)]
mod tests;
