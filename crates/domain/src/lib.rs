//! Hearth's domain: the record's types, statutory code lists, the working-day calendar for
//! England and the statutory timescales. No I/O.
//!
//! One module per capability (the stage of the child's journey it holds), with the same name in
//! `store` and `web`: [`person`], [`front_door`], [`assessment`], [`early_help`],
//! [`child_in_need`], [`child_protection`], [`looked_after`], [`private_fostering`], [`work`],
//! [`workforce`], and [`case_notes`] (visits, case notes and oversight at any stage). Shared:
//! [`access`] (users, roles, the audit log), [`calendar`], [`codes`], [`timescales`],
//! [`validate`], [`chronology`], [`extract`].

pub mod access;
pub mod assessment;
pub mod calendar;
pub mod care_leavers;
pub mod case_notes;
pub mod child_in_need;
pub mod child_protection;
pub mod chronology;
pub mod codes;
pub mod correction;
pub mod early_help;
pub mod extract;
pub mod front_door;
pub mod inspection;
pub mod looked_after;
pub mod person;
pub mod private_fostering;
pub mod quality;
pub mod rng;
mod rules;
pub mod timescales;
pub mod validate;
pub mod work;
pub mod workforce;
