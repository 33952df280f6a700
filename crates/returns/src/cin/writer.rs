//! Writes a CIN census as XML, elements in the order of the DfE schema.

use std::io::Write;

use chrono::NaiveDate;

use super::model::*;

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

struct W<'a, O: Write> {
    out: &'a mut O,
    depth: usize,
}

impl<O: Write> W<'_, O> {
    fn open(&mut self, name: &str) -> std::io::Result<()> {
        writeln!(self.out, "{:indent$}<{name}>", "", indent = self.depth * 2)?;
        self.depth += 1;
        Ok(())
    }
    fn close(&mut self, name: &str) -> std::io::Result<()> {
        self.depth -= 1;
        writeln!(self.out, "{:indent$}</{name}>", "", indent = self.depth * 2)
    }
    fn leaf(&mut self, name: &str, value: Option<&str>) -> std::io::Result<()> {
        match value {
            Some(v) => writeln!(
                self.out,
                "{:indent$}<{name}>{}</{name}>",
                "",
                esc(v),
                indent = self.depth * 2
            ),
            None => Ok(()),
        }
    }
    fn date(&mut self, name: &str, value: Option<NaiveDate>) -> std::io::Result<()> {
        self.leaf(
            name,
            value.map(|d| d.format("%Y-%m-%d").to_string()).as_deref(),
        )
    }
    fn boolean(&mut self, name: &str, value: Option<bool>) -> std::io::Result<()> {
        self.leaf(name, value.map(|b| if b { "true" } else { "false" }))
    }
}

/// Writes the census.
pub fn write<O: Write>(out: &mut O, census: &Census) -> std::io::Result<()> {
    writeln!(out, "<?xml version=\"1.0\" encoding=\"utf-8\"?>")?;
    let mut w = W { out, depth: 0 };
    w.open("Message")?;
    w.open("Header")?;
    let h = &census.header;
    w.open("CollectionDetails")?;
    w.leaf("Collection", h.collection.as_deref())?;
    w.leaf("Year", h.year.as_deref())?;
    w.date("ReferenceDate", h.reference_date)?;
    w.close("CollectionDetails")?;
    w.open("Source")?;
    w.leaf("SourceLevel", h.source_level.as_deref())?;
    w.leaf("LEA", h.lea.as_deref())?;
    w.leaf("SoftwareCode", h.software_code.as_deref())?;
    w.leaf("Release", h.release.as_deref())?;
    w.leaf("SerialNo", h.serial_no.as_deref())?;
    w.leaf("DateTime", h.date_time.as_deref())?;
    w.close("Source")?;
    w.close("Header")?;
    w.open("Children")?;
    for c in &census.children {
        w.open("Child")?;
        w.open("ChildIdentifiers")?;
        w.leaf("LAchildID", c.la_child_id.as_deref())?;
        w.leaf("UPN", c.upn.as_deref())?;
        w.leaf("FormerUPN", c.former_upn.as_deref())?;
        w.leaf("UPNunknown", c.upn_unknown.as_deref())?;
        w.date("PersonBirthDate", c.birth_date)?;
        w.date("ExpectedPersonBirthDate", c.expected_birth_date)?;
        w.leaf("Sex", c.sex.as_deref())?;
        w.date("PersonDeathDate", c.death_date)?;
        w.close("ChildIdentifiers")?;
        w.open("ChildCharacteristics")?;
        w.leaf("Ethnicity", c.ethnicity.as_deref())?;
        if c.has_disabilities || !c.disabilities.is_empty() {
            w.open("Disabilities")?;
            for d in &c.disabilities {
                w.leaf("Disability", Some(&d.code))?;
            }
            w.close("Disabilities")?;
        }
        w.close("ChildCharacteristics")?;
        for e in &c.cin_details {
            w.open("CINdetails")?;
            w.date("CINreferralDate", e.referral_date)?;
            w.leaf("ReferralSource", e.referral_source.as_deref())?;
            w.leaf("PrimaryNeedCode", e.primary_need_code.as_deref())?;
            w.date("CINclosureDate", e.closure_date)?;
            w.leaf("ReasonForClosure", e.reason_for_closure.as_deref())?;
            w.date("DateOfInitialCPC", e.date_of_initial_cpc)?;
            for a in &e.assessments {
                w.open("Assessments")?;
                w.date("AssessmentActualStartDate", a.start)?;
                w.date("AssessmentInternalReviewDate", a.internal_review)?;
                w.date("AssessmentAuthorisationDate", a.authorisation)?;
                if a.has_factors || !a.factors.is_empty() {
                    w.open("FactorsIdentifiedAtAssessment")?;
                    for f in &a.factors {
                        w.leaf("AssessmentFactors", Some(f))?;
                    }
                    w.close("FactorsIdentifiedAtAssessment")?;
                }
                w.close("Assessments")?;
            }
            for p in &e.plans {
                w.open("CINPlanDates")?;
                w.date("CINPlanStartDate", p.start)?;
                w.date("CINPlanEndDate", p.end)?;
                w.close("CINPlanDates")?;
            }
            for s in &e.section47 {
                w.open("Section47")?;
                w.date("S47ActualStartDate", s.start)?;
                w.date("InitialCPCtarget", s.initial_cpc_target)?;
                w.date("DateOfInitialCPC", s.date_of_initial_cpc)?;
                w.boolean("ICPCnotRequired", s.icpc_not_required)?;
                w.close("Section47")?;
            }
            w.boolean("ReferralNFA", e.referral_nfa)?;
            for p in &e.cpps {
                w.open("ChildProtectionPlans")?;
                w.date("CPPstartDate", p.start)?;
                w.date("CPPendDate", p.end)?;
                w.leaf("InitialCategoryOfAbuse", p.initial_category.as_deref())?;
                w.leaf("LatestCategoryOfAbuse", p.latest_category.as_deref())?;
                w.leaf(
                    "NumberOfPreviousCPP",
                    p.previous_plans.map(|n| n.to_string()).as_deref(),
                )?;
                if p.has_reviews || !p.reviews.is_empty() {
                    w.open("Reviews")?;
                    for r in &p.reviews {
                        w.date("CPPreviewDate", r.date)?;
                    }
                    w.close("Reviews")?;
                }
                w.close("ChildProtectionPlans")?;
            }
            w.close("CINdetails")?;
        }
        w.close("Child")?;
    }
    w.close("Children")?;
    w.close("Message")?;
    Ok(())
}
