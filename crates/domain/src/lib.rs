//! Hearth's domain: the record's types, statutory code lists, the working-day calendar for
//! England and the statutory timescales. No I/O.

pub mod calendar;
pub mod casework;
pub mod cla;
pub mod codes;
pub mod extract;
pub mod identifiers;
pub mod journey;
pub mod private_fostering;
pub mod record;
pub mod timescales;
pub mod validate;
