//! Correcting a care leaver's keeping in touch contacts, changes of activity and
//! accommodation, needs assessments and requests for support to 25: the declarations for the shared correction forms ([`crate::forms::correct`]).
//! A record entered in error leaves the 903's OC3 rows, the indicators and work due; the young
//! person's page still shows it, marked.

use domain::care_leavers::{
    ACTIVITY, IN_TOUCH, KeepingInTouch, LeavingCareStatus, NEED_AREAS, NeedsAssessment,
    NewKeepingInTouch, NewLeavingCareStatus, NewNeedsAssessment, NewSupportRequest, SupportRequest,
    label,
};
use domain::validate::FieldError;
use store::ChildRecord;

use super::forms::{contact_fields, read_contact, read_status, status_fields};
use super::support::{needs_fields, read_needs, read_support, support_fields};
use crate::forms::correct::{Correcting, said};
use crate::forms::fields::fmt_date;
use crate::forms::{Field, FormData};

/// The declaration: a keeping in touch contact's correction forms.
pub struct ContactCorrection;

impl Correcting for ContactCorrection {
    const SECTION: &'static str = "care";
    type Record = NewKeepingInTouch;
    const AMEND: &'static str = "/keeping-in-touch/{id}/amend";
    const AMEND_API: &'static str = "/api/keeping-in-touch/{id}/amend";
    const IN_ERROR: &'static str = "/keeping-in-touch/{id}/entered-in-error";
    const IN_ERROR_API: &'static str = "/api/keeping-in-touch/{id}/entered-in-error";

    fn fields(_: &NewKeepingInTouch) -> Vec<Field> {
        contact_fields()
    }

    fn form(k: &NewKeepingInTouch) -> FormData {
        FormData::default()
            .set_date("contact_on", Some(k.contact_on))
            .set_yes_no("seen", Some(k.seen))
            .set("place", &k.place)
            .set("words", &k.words)
            .set("in_touch", &k.in_touch)
    }

    fn read(
        form: &FormData,
        _: &NewKeepingInTouch,
        rec: &ChildRecord,
    ) -> Result<NewKeepingInTouch, Vec<FieldError>> {
        read_contact(form, rec)
    }

    fn describe(k: &NewKeepingInTouch) -> Vec<(&'static str, String)> {
        vec![
            ("Date", fmt_date(k.contact_on)),
            ("Seen", said(Some(k.seen))),
            ("Where, or how", k.place.clone()),
            ("The young person's words", k.words.clone()),
            ("In touch", label(IN_TOUCH, &k.in_touch)),
        ]
    }
}

/// The declaration: a change of activity or accommodation's correction forms.
pub struct StatusCorrection;

impl Correcting for StatusCorrection {
    const SECTION: &'static str = "care";
    type Record = NewLeavingCareStatus;
    const AMEND: &'static str = "/leaving-care-status/{id}/amend";
    const AMEND_API: &'static str = "/api/leaving-care-status/{id}/amend";
    const IN_ERROR: &'static str = "/leaving-care-status/{id}/entered-in-error";
    const IN_ERROR_API: &'static str = "/api/leaving-care-status/{id}/entered-in-error";

    fn fields(_: &NewLeavingCareStatus) -> Vec<Field> {
        status_fields()
    }

    fn form(s: &NewLeavingCareStatus) -> FormData {
        FormData::default()
            .set_date("from", Some(s.from))
            .set("activity", s.activity.as_deref().unwrap_or_default())
            .set(
                "accommodation",
                s.accommodation.as_deref().unwrap_or_default(),
            )
            .set_yes_no("suitable", s.suitable)
    }

    fn read(
        form: &FormData,
        _: &NewLeavingCareStatus,
        rec: &ChildRecord,
    ) -> Result<NewLeavingCareStatus, Vec<FieldError>> {
        read_status(form, rec)
    }

    fn describe(s: &NewLeavingCareStatus) -> Vec<(&'static str, String)> {
        vec![
            ("From", fmt_date(s.from)),
            (
                "Main activity",
                s.activity
                    .as_deref()
                    .map(|a| label(ACTIVITY, a))
                    .unwrap_or_else(|| "Unchanged".into()),
            ),
            (
                "Accommodation",
                super::accommodation(s.accommodation.as_deref(), s.suitable, "Unchanged"),
            ),
        ]
    }
}

/// A contact as its correction forms read it.
pub(super) fn contact_record(k: &KeepingInTouch) -> NewKeepingInTouch {
    NewKeepingInTouch {
        contact_on: k.contact_on,
        seen: k.seen,
        place: k.place.clone(),
        words: k.words.clone(),
        in_touch: k.in_touch.clone(),
    }
}

/// A change of status as its correction forms read it.
pub(super) fn status_record(s: &LeavingCareStatus) -> NewLeavingCareStatus {
    NewLeavingCareStatus {
        from: s.from,
        activity: s.activity.clone(),
        accommodation: s.accommodation.clone(),
        suitable: s.suitable,
    }
}

/// The declaration: a needs assessment's correction forms.
pub struct NeedsCorrection;

impl Correcting for NeedsCorrection {
    const SECTION: &'static str = "care";
    type Record = NewNeedsAssessment;
    const AMEND: &'static str = "/needs-assessments/{id}/amend";
    const AMEND_API: &'static str = "/api/needs-assessments/{id}/amend";
    const IN_ERROR: &'static str = "/needs-assessments/{id}/entered-in-error";
    const IN_ERROR_API: &'static str = "/api/needs-assessments/{id}/entered-in-error";

    fn fields(_: &NewNeedsAssessment) -> Vec<Field> {
        needs_fields()
    }

    fn form(a: &NewNeedsAssessment) -> FormData {
        let mut f = FormData::default()
            .set_date("assessed_on", Some(a.assessed_on))
            .set("findings", &a.findings)
            .set("views", &a.views);
        for area in &a.areas {
            f = f.set("areas", area);
        }
        f
    }

    fn read(
        form: &FormData,
        _: &NewNeedsAssessment,
        rec: &ChildRecord,
    ) -> Result<NewNeedsAssessment, Vec<FieldError>> {
        read_needs(form, rec)
    }

    fn describe(a: &NewNeedsAssessment) -> Vec<(&'static str, String)> {
        vec![
            ("Assessed on", fmt_date(a.assessed_on)),
            (
                "Needs support with",
                a.areas
                    .iter()
                    .map(|x| label(NEED_AREAS, x))
                    .collect::<Vec<_>>()
                    .join("; "),
            ),
            ("What the assessment found", a.findings.clone()),
            ("The young person's views", a.views.clone()),
        ]
    }
}

/// The declaration: a request for support to 25's correction forms.
pub struct SupportCorrection;

impl Correcting for SupportCorrection {
    const SECTION: &'static str = "care";
    type Record = NewSupportRequest;
    const AMEND: &'static str = "/support-to-25/{id}/amend";
    const AMEND_API: &'static str = "/api/support-requests/{id}/amend";
    const IN_ERROR: &'static str = "/support-to-25/{id}/entered-in-error";
    const IN_ERROR_API: &'static str = "/api/support-requests/{id}/entered-in-error";

    fn fields(_: &NewSupportRequest) -> Vec<Field> {
        support_fields()
    }

    fn form(r: &NewSupportRequest) -> FormData {
        FormData::default()
            .set_date("requested_on", Some(r.requested_on))
            .set("words", &r.words)
    }

    fn read(
        form: &FormData,
        _: &NewSupportRequest,
        rec: &ChildRecord,
    ) -> Result<NewSupportRequest, Vec<FieldError>> {
        read_support(form, rec)
    }

    fn describe(r: &NewSupportRequest) -> Vec<(&'static str, String)> {
        vec![
            ("Asked for on", fmt_date(r.requested_on)),
            ("What they asked for", r.words.clone()),
        ]
    }
}

/// A needs assessment as its correction forms read it.
pub(super) fn needs_record(a: &NeedsAssessment) -> NewNeedsAssessment {
    NewNeedsAssessment {
        assessed_on: a.assessed_on,
        areas: a.areas.clone(),
        findings: a.findings.clone(),
        views: a.views.clone(),
    }
}

/// A request for support to 25 as its correction forms read it.
pub(super) fn support_record(r: &SupportRequest) -> NewSupportRequest {
    NewSupportRequest {
        requested_on: r.requested_on,
        words: r.words.clone(),
    }
}
