//! A placement's own checks, and those against the legal status it is under: provider, Ofsted
//! URN, postcode, carer, the placement types a legal status allows and the ages placement types
//! need (each citing its 903 rule).

use chrono::NaiveDate;

use super::{
    CareContext, NO_PROVIDER, NO_URN, NewPlacement, TEMPORARY, code, is, placement_type, provider,
    years_old,
};
use crate::calendar::collection_year;
use crate::validate::FieldError;

/// Whether a URN is well formed: SC and 6 digits, 7 digits, or XXXXXXX (rule 1008, §1.2).
pub fn urn_well_formed(v: &str) -> bool {
    let v = v.trim().to_ascii_uppercase();
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    v == "XXXXXXX"
        || (v.len() == 8 && v.starts_with("SC") && digits(&v[2..]))
        || (v.len() == 7 && digits(&v))
}

pub use crate::person::postcode_well_formed;

/// Whether a placement type may be under a legal status: why not, if it may not.
pub(super) fn status_misfit(place: &str, ls: &str) -> Option<&'static str> {
    // 378: a child placed with parents (P1) is not accommodated under section 20 (V2).
    if is(place, &["P1"]) && is(ls, &["V2"]) {
        return Some(
            "A child accommodated under section 20 (V2) cannot be placed with parents (P1)",
        );
    }
    // 408: placed for adoption under a placement order (A5, A6) needs the order (E1).
    if is(place, &["A5", "A6"]) && !is(ls, &["E1"]) {
        return Some(
            "A placement for adoption under a placement order (A5 or A6) needs legal status E1",
        );
    }
    None
}

impl NewPlacement {
    /// The placement's own checks, and those against the legal status it is under, on `on`.
    /// `rne` is the reason for the new episode it starts.
    pub(super) fn checks(
        &self,
        e: &mut Vec<FieldError>,
        ls: &str,
        rne: &str,
        on: NaiveDate,
        ctx: &CareContext<'_>,
    ) {
        let upper = self.placement.trim().to_uppercase();
        let place = upper.as_str();
        code(
            e,
            "placement",
            placement_type(),
            place,
            on,
            "Select the placement type",
        );
        let place_ok = placement_type().is_valid(place, collection_year(on));
        // Provider: none for temporary and Z1x placements (213), one for every other (526).
        let provider_code = self.provider.trim();
        if place_ok && is(place, NO_PROVIDER) {
            if !provider_code.is_empty() {
                e.push(FieldError::new(
                    "provider",
                    "A temporary or other placement has no placement provider: leave it blank",
                ));
            }
        } else if place_ok {
            code(
                e,
                "provider",
                provider(),
                provider_code,
                on,
                "Select the placement provider",
            );
            let bad = |pr: &str, places: &[&str]| is(provider_code, &[pr]) && is(place, places);
            let foster_etc = [
                "A3", "A4", "A5", "A6", "K1", "K2", "P1", "U1", "U2", "U3", "U4", "U5", "U6",
            ];
            // 527, 528 (PR1, PR2), 529 (PR3), 530, 531 (PR4, PR5): providers that cannot run the
            // placement type; 550: PR0 (parents) only with P1.
            if bad("PR1", &["P1", "R2", "R5"])
                || bad("PR2", &["P1", "R2", "R5"])
                || bad("PR3", &foster_etc)
                || bad("PR4", &["P1"])
                || bad("PR5", &["P1"])
                || (is(provider_code, &["PR0"]) && !is(place, &["P1"]))
            {
                e.push(FieldError::new(
                    "provider",
                    format!("A placement of type {place} cannot have provider {provider_code}"),
                ));
            }
        }
        // URN: required for placement types that have one (218), none for those that do not
        // (222, XXXXXXX excepted); well formed (1008).
        let urn = self.urn.trim();
        if place_ok && is(place, NO_URN) {
            if !urn.is_empty() && !urn.eq_ignore_ascii_case("XXXXXXX") {
                e.push(FieldError::new(
                    "urn",
                    format!("A placement of type {place} has no Ofsted URN: leave it blank"),
                ));
            }
        } else if place_ok && urn.is_empty() {
            e.push(FieldError::new(
                "urn",
                "Enter the Ofsted URN (XXXXXXX if the provider is not inspected by Ofsted)",
            ));
        } else if place_ok && !urn_well_formed(urn) {
            e.push(FieldError::new(
                "urn",
                "Enter the Ofsted URN as SC and 6 digits, 7 digits, or XXXXXXX",
            ));
        }
        // 392b/392c: a placement postcode, well formed.
        if self.postcode.trim().is_empty() {
            e.push(FieldError::new(
                "postcode",
                "Enter the placement's postcode",
            ));
        } else if !postcode_well_formed(&self.postcode) {
            e.push(FieldError::new(
                "postcode",
                "Enter a real postcode, like AA1 1AA",
            ));
        }
        if self.carer.trim().is_empty() {
            e.push(FieldError::new(
                "carer",
                "Enter the carer's name or the home's name",
            ));
        } else if self.carer.chars().count() > 200 {
            e.push(FieldError::new(
                "carer",
                "The carer's or home's name must be 200 characters or fewer",
            ));
        }
        if self.planned.is_none() {
            e.push(FieldError::new(
                "planned",
                "Select whether the placement was planned",
            ));
        }
        if !place_ok {
            return;
        }
        if let Some(msg) = status_misfit(place, ls) {
            e.push(FieldError::new("placement", msg));
        }
        // 217: placed for adoption with current foster carers (A3, A5) keeps the carer: the new
        // episode's RNE is S, T or U.
        if is(place, &["A3", "A5"]) && !is(rne, &["S", "T", "U"]) {
            e.push(FieldError::new(
                "same_carer",
                "A placement for adoption with current foster carers (A3 or A5) keeps the same carer",
            ));
        }
        // 380: a temporary placement starts with a move to a new carer (RNE P or B); a period of
        // care cannot start with one.
        if is(place, TEMPORARY) && !is(rne, &["P", "B"]) {
            let (field, msg) = if rne == "S" {
                (
                    "placement",
                    "A period of care cannot start with a temporary placement",
                )
            } else {
                (
                    "same_carer",
                    "A temporary placement is a move to a different carer",
                )
            };
            e.push(FieldError::new(field, msg));
        }
        // Ages for placement types: K3 16 or over (371), P3 14 or over (374), R5 10 or over
        // (372), S1 4 or over (373).
        if let Some(dob) = ctx.date_of_birth {
            let age = years_old(dob, on);
            for (codes, min) in [
                (&["K3", "H5"][..], 16),
                (&["P3"][..], 14),
                (&["R5"][..], 10),
                (&["S1"][..], 4),
            ] {
                if is(place, codes) && age < min {
                    e.push(FieldError::new(
                        "placement",
                        format!("A child must be {min} or over for a placement of type {place}"),
                    ));
                }
            }
        }
    }
}
