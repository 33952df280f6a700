//! The performance report: the indicators managers and councillors scrutinise every month,
//! computed for any period from Hearth's record or from imported returns (SSDA903 and CIN census),
//! with 12-month trends, published comparators (England, region, statistical neighbours) and a
//! RAG against them, and the children behind each figure.

pub mod catalogue;
pub mod compute;
pub mod events;
pub mod quality;
pub mod report;
pub mod scrutiny;

pub use catalogue::{Indicator, catalogue};
pub use compute::{Context, Figure, Outcome, Period, compute};
pub use events::Events;
pub use report::{Report, build};

#[cfg(test)]
mod tests;
