//! Streaming reader for the CIN census XML: a pull parser (quick-xml), one child at a time, so a
//! national file never needs a document tree in memory.

use std::borrow::Cow;
use std::io::BufRead;

use chrono::NaiveDate;
use quick_xml::events::Event;

use super::model::*;

/// Something in the file that cannot be read, with where it is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{path}{}: {reason}", child.as_ref().map(|c| format!(" (child {c})")).unwrap_or_default())]
pub struct ReadError {
    /// Element path, e.g. `Message/Children/Child[3]/CINdetails[1]/CINreferralDate`.
    pub path: String,
    /// The LAchildID of the child being read, when known.
    pub child: Option<String>,
    pub reason: String,
}

/// The census's element names: an element's name is one of these, borrowed rather than copied
/// (names are read for every element of every child).
const KNOWN: &[&str] = &[
    "Message",
    "Header",
    "CollectionDetails",
    "Collection",
    "Year",
    "ReferenceDate",
    "Source",
    "SourceLevel",
    "LEA",
    "SoftwareCode",
    "Release",
    "SerialNo",
    "DateTime",
    "Children",
    "Child",
    "ChildIdentifiers",
    "LAchildID",
    "UPN",
    "FormerUPN",
    "UPNunknown",
    "PersonBirthDate",
    "ExpectedPersonBirthDate",
    "Sex",
    "GenderCurrent",
    "PersonDeathDate",
    "ChildCharacteristics",
    "Ethnicity",
    "Disabilities",
    "Disability",
    "CINdetails",
    "CINreferralDate",
    "ReferralSource",
    "PrimaryNeedCode",
    "CINclosureDate",
    "ReasonForClosure",
    "DateOfInitialCPC",
    "ReferralNFA",
    "Assessments",
    "AssessmentActualStartDate",
    "AssessmentInternalReviewDate",
    "AssessmentAuthorisationDate",
    "FactorsIdentifiedAtAssessment",
    "AssessmentFactors",
    "CINPlanDates",
    "CINPlanStartDate",
    "CINPlanEndDate",
    "Section47",
    "S47ActualStartDate",
    "InitialCPCtarget",
    "ICPCnotRequired",
    "ChildProtectionPlans",
    "CPPstartDate",
    "CPPendDate",
    "InitialCategoryOfAbuse",
    "LatestCategoryOfAbuse",
    "NumberOfPreviousCPP",
    "CPPreviewDate",
    "Reviews",
];

/// An element's local name (without its namespace prefix).
fn local(name: &[u8]) -> Cow<'static, str> {
    static BY_NAME: std::sync::OnceLock<foldhash::HashMap<&[u8], &str>> =
        std::sync::OnceLock::new();
    let known = BY_NAME.get_or_init(|| KNOWN.iter().map(|k| (k.as_bytes(), *k)).collect());
    // Most names have no prefix: they are found as they are, without looking for a ':' (no
    // known name has one).
    if let Some(k) = known.get(name) {
        return Cow::Borrowed(k);
    }
    let tail = name
        .iter()
        .rposition(|b| *b == b':')
        .map_or(name, |i| &name[i + 1..]);
    if let Some(k) = known.get(tail) {
        return Cow::Borrowed(k);
    }
    let s = String::from_utf8_lossy(name);
    Cow::Owned(match s.rsplit_once(':') {
        Some((_, l)) => l.to_string(),
        None => s.into_owned(),
    })
}

/// A date written YYYY-MM-DD with every digit (the census's form), parsed by hand: chrono's
/// format parser is several times slower, and dates are most of a census. Other forms chrono
/// accepts are left to it.
fn iso_date(v: &str) -> Option<NaiveDate> {
    let b = v.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    crate::dates::from_digits(&b[..4], &b[5..7], &b[8..])
}

/// The elements whose children [`State::end`] reads.
const PARENTS: &[&str] = &[
    "CollectionDetails",
    "Source",
    "ChildIdentifiers",
    "ChildCharacteristics",
    "Disabilities",
    "CINdetails",
    "Assessments",
    "FactorsIdentifiedAtAssessment",
    "CINPlanDates",
    "Section47",
    "ChildProtectionPlans",
    "Reviews",
];

struct State {
    stack: Vec<Cow<'static, str>>,
    child_no: usize,
    cin_no: usize,
    text: String,
    header: Header,
    child: Option<Child>,
    counters: Counters,
}

impl State {
    fn path(&self) -> String {
        let mut out = String::new();
        for (i, s) in self.stack.iter().enumerate() {
            if i > 0 {
                out.push('/');
            }
            out.push_str(s);
            if s == "Child" {
                out.push_str(&format!("[{}]", self.child_no));
            }
            if s == "CINdetails" {
                out.push_str(&format!("[{}]", self.cin_no));
            }
        }
        out
    }

    fn error(&self, reason: impl Into<String>) -> ReadError {
        ReadError {
            path: self.path(),
            child: self.child.as_ref().and_then(|c| c.la_child_id.clone()),
            reason: reason.into(),
        }
    }

    fn parent(&self) -> &str {
        self.stack
            .len()
            .checked_sub(2)
            .map(|i| &*self.stack[i])
            .unwrap_or("")
    }

    fn value(&self) -> Option<String> {
        let v = self.text.trim();
        (!v.is_empty()).then(|| v.to_string())
    }

    fn date(&self) -> Result<Option<NaiveDate>, ReadError> {
        let v = self.text.trim();
        if v.is_empty() {
            return Ok(None);
        }
        iso_date(v)
            .or_else(|| NaiveDate::parse_from_str(v, "%Y-%m-%d").ok())
            .map(Some)
            .ok_or_else(|| self.error(format!("{v:?} is not a date (expected YYYY-MM-DD)")))
    }

    fn boolean(&self) -> Result<Option<bool>, ReadError> {
        match self.value().as_deref() {
            None => Ok(None),
            Some("true" | "1") => Ok(Some(true)),
            Some("false" | "0") => Ok(Some(false)),
            Some(v) => Err(self.error(format!("{v:?} is not true, false, 1 or 0"))),
        }
    }

    fn child(&mut self) -> Result<&mut Child, ReadError> {
        if self.child.is_none() {
            return Err(self.error("this element belongs inside a <Child>"));
        }
        Ok(self.child.as_mut().expect("checked above"))
    }

    fn episode(&mut self) -> Result<&mut CinDetails, ReadError> {
        // The error (its element path) is built only when there is one: this is called for
        // every element of every episode.
        if self.child.as_ref().is_none_or(|c| c.cin_details.is_empty()) {
            return Err(match self.child {
                None => self.error("this element belongs inside a <Child>"),
                Some(_) => self.error("this element belongs inside <CINdetails>"),
            });
        }
        Ok(self
            .child
            .as_mut()
            .and_then(|c| c.cin_details.last_mut())
            .expect("checked above"))
    }

    fn start(&mut self, name: &str) -> Result<(), ReadError> {
        if self.stack.len() == 1 && self.stack[0] != "Message" {
            return Err(self.error(format!(
                "the root element is <{}>, expected <Message>",
                self.stack[0]
            )));
        }
        match name {
            "Child" => {
                self.child_no += 1;
                self.child = Some(Child {
                    row: self.child_no - 1,
                    ..Default::default()
                });
            }
            "Disabilities" => self.child()?.has_disabilities = true,
            "CINdetails" => {
                self.cin_no += 1;
                let row = self.counters.next(Module::CinDetails);
                self.child()?.cin_details.push(CinDetails {
                    row,
                    ..Default::default()
                });
            }
            "Assessments" => {
                let row = self.counters.next(Module::Assessments);
                self.episode()?.assessments.push(Assessment {
                    row,
                    ..Default::default()
                });
            }
            "FactorsIdentifiedAtAssessment" => match self.episode()?.assessments.last_mut() {
                Some(a) => a.has_factors = true,
                None => return Err(self.error("factors belong inside <Assessments>")),
            },
            "CINPlanDates" => {
                let row = self.counters.next(Module::CinPlanDates);
                self.episode()?.plans.push(CinPlan {
                    row,
                    ..Default::default()
                });
            }
            "Section47" => {
                let row = self.counters.next(Module::Section47);
                self.episode()?.section47.push(Section47 {
                    row,
                    ..Default::default()
                });
            }
            "ChildProtectionPlans" => {
                let row = self.counters.next(Module::ChildProtectionPlans);
                self.episode()?.cpps.push(ChildProtectionPlan {
                    row,
                    ..Default::default()
                });
            }
            "Reviews" => match self.episode()?.cpps.last_mut() {
                Some(p) => p.has_reviews = true,
                None => {
                    return Err(self.error("<Reviews> belongs inside <ChildProtectionPlans>"));
                }
            },
            _ => {}
        }
        Ok(())
    }

    /// Assigns a leaf element's text. Returns a finished child when `</Child>` closes.
    fn end(&mut self, name: &str) -> Result<Option<Child>, ReadError> {
        // The parent's name as a constant, so that matching on it holds no borrow of the stack.
        let parent = PARENTS
            .iter()
            .find(|p| **p == self.parent())
            .copied()
            .unwrap_or("");
        match (parent, name) {
            (_, "Child") => return Ok(self.child.take()),
            ("CollectionDetails", "Collection") => self.header.collection = self.value(),
            ("CollectionDetails", "Year") => self.header.year = self.value(),
            ("CollectionDetails", "ReferenceDate") => self.header.reference_date = self.date()?,
            ("Source", "SourceLevel") => self.header.source_level = self.value(),
            ("Source", "LEA") => self.header.lea = self.value(),
            ("Source", "SoftwareCode") => self.header.software_code = self.value(),
            ("Source", "Release") => self.header.release = self.value(),
            ("Source", "SerialNo") => self.header.serial_no = self.value(),
            ("Source", "DateTime") => self.header.date_time = self.value(),
            ("ChildIdentifiers", field) => {
                let v = self.value();
                let date = matches!(
                    field,
                    "PersonBirthDate" | "ExpectedPersonBirthDate" | "PersonDeathDate"
                )
                .then(|| self.date())
                .transpose()?
                .flatten();
                let c = self.child()?;
                match field {
                    "LAchildID" => c.la_child_id = v,
                    "UPN" => c.upn = v,
                    "FormerUPN" => c.former_upn = v,
                    "UPNunknown" => c.upn_unknown = v,
                    "PersonBirthDate" => c.birth_date = date,
                    "ExpectedPersonBirthDate" => c.expected_birth_date = date,
                    "Sex" | "GenderCurrent" => c.sex = v,
                    "PersonDeathDate" => c.death_date = date,
                    _ => {}
                }
            }
            ("ChildCharacteristics", "Ethnicity") => {
                let v = self.value();
                self.child()?.ethnicity = v;
            }
            ("Disabilities", "Disability") => {
                let code = self.value().unwrap_or_default();
                let row = self.counters.next(Module::Disabilities);
                self.child()?.disabilities.push(Coded { row, code });
            }
            ("CINdetails", field) => {
                let v = self.value();
                match field {
                    "CINreferralDate" => self.episode()?.referral_date = self.date()?,
                    "ReferralSource" => self.episode()?.referral_source = v,
                    "PrimaryNeedCode" => self.episode()?.primary_need_code = v,
                    "CINclosureDate" => self.episode()?.closure_date = self.date()?,
                    "ReasonForClosure" => self.episode()?.reason_for_closure = v,
                    "DateOfInitialCPC" => self.episode()?.date_of_initial_cpc = self.date()?,
                    "ReferralNFA" => self.episode()?.referral_nfa = self.boolean()?,
                    _ => {}
                }
            }
            ("Assessments", field) => {
                let d = matches!(
                    field,
                    "AssessmentActualStartDate"
                        | "AssessmentInternalReviewDate"
                        | "AssessmentAuthorisationDate"
                )
                .then(|| self.date())
                .transpose()?
                .flatten();
                if let Some(a) = self.episode()?.assessments.last_mut() {
                    match field {
                        "AssessmentActualStartDate" => a.start = d,
                        "AssessmentInternalReviewDate" => a.internal_review = d,
                        "AssessmentAuthorisationDate" => a.authorisation = d,
                        _ => {}
                    }
                }
            }
            ("FactorsIdentifiedAtAssessment", "AssessmentFactors") => {
                let v = self.value().unwrap_or_default();
                if let Some(a) = self.episode()?.assessments.last_mut() {
                    a.factors.push(v);
                }
            }
            ("CINPlanDates", field) => {
                let d = self.date()?;
                if let Some(p) = self.episode()?.plans.last_mut() {
                    match field {
                        "CINPlanStartDate" => p.start = d,
                        "CINPlanEndDate" => p.end = d,
                        _ => {}
                    }
                }
            }
            ("Section47", field) => {
                let (d, b) = if field == "ICPCnotRequired" {
                    (None, self.boolean()?)
                } else {
                    (self.date()?, None)
                };
                if let Some(s) = self.episode()?.section47.last_mut() {
                    match field {
                        "S47ActualStartDate" => s.start = d,
                        "InitialCPCtarget" => s.initial_cpc_target = d,
                        "DateOfInitialCPC" => s.date_of_initial_cpc = d,
                        "ICPCnotRequired" => s.icpc_not_required = b,
                        _ => {}
                    }
                }
            }
            ("ChildProtectionPlans", field) => {
                let v = self.value();
                let d = matches!(field, "CPPstartDate" | "CPPendDate")
                    .then(|| self.date())
                    .transpose()?
                    .flatten();
                let n = if field == "NumberOfPreviousCPP" {
                    match &v {
                        Some(s) => Some(
                            s.parse::<i64>()
                                .map_err(|_| self.error(format!("{s:?} is not a whole number")))?,
                        ),
                        None => None,
                    }
                } else {
                    None
                };
                if let Some(p) = self.episode()?.cpps.last_mut() {
                    match field {
                        "CPPstartDate" => p.start = d,
                        "CPPendDate" => p.end = d,
                        "InitialCategoryOfAbuse" => p.initial_category = v,
                        "LatestCategoryOfAbuse" => p.latest_category = v,
                        "NumberOfPreviousCPP" => p.previous_plans = n,
                        _ => {}
                    }
                }
            }
            ("Reviews", "CPPreviewDate") => {
                let d = self.date()?;
                let row = self.counters.next(Module::Reviews);
                if let Some(p) = self.episode()?.cpps.last_mut() {
                    p.reviews.push(Review { row, date: d });
                }
            }
            _ => {}
        }
        Ok(None)
    }
}

/// Reads a census, calling `on_child` for each child as soon as it is complete. Returns the
/// header (which precedes the children in a valid file).
pub fn read_streaming<R: BufRead>(
    input: R,
    mut on_child: impl FnMut(&Header, Child),
) -> Result<Header, ReadError> {
    let mut reader = quick_xml::Reader::from_reader(input);
    let mut buf = Vec::with_capacity(1024);
    let mut st = State {
        stack: Vec::new(),
        child_no: 0,
        cin_no: 0,
        text: String::new(),
        header: Header::default(),
        child: None,
        counters: Counters::default(),
    };
    let mut seen_root = false;
    loop {
        let event = reader.read_event_into(&mut buf).map_err(|e| {
            let mut err = st.error(format!(
                "malformed XML at byte {}: {e}",
                reader.buffer_position()
            ));
            if err.path.is_empty() {
                err.path = "(document)".into();
            }
            err
        })?;
        match event {
            Event::Start(e) => {
                let name = local(e.name().as_ref());
                if st.stack.is_empty() {
                    if seen_root {
                        return Err(st.error("a second root element after </Message>"));
                    }
                    seen_root = true;
                    if name != "Message" {
                        return Err(ReadError {
                            path: name.to_string(),
                            child: None,
                            reason: format!("the root element is <{name}>, expected <Message>"),
                        });
                    }
                }
                st.stack.push(name.clone());
                st.text.clear();
                st.start(&name)?;
            }
            Event::Empty(e) => {
                let name = local(e.name().as_ref());
                st.stack.push(name.clone());
                st.text.clear();
                st.start(&name)?;
                if let Some(child) = st.end(&name)? {
                    on_child(&st.header, child);
                }
                st.stack.pop();
            }
            Event::Text(t) => {
                let s = t
                    .decode()
                    .map_err(|e| st.error(format!("text is not valid UTF-8: {e}")))?;
                st.text.push_str(&s);
            }
            Event::CData(t) => {
                st.text.push_str(&String::from_utf8_lossy(&t));
            }
            Event::GeneralRef(r) => {
                let name = r
                    .decode()
                    .map_err(|e| st.error(format!("bad entity: {e}")))?;
                let ch = match name.as_ref() {
                    "amp" => Some('&'),
                    "lt" => Some('<'),
                    "gt" => Some('>'),
                    "quot" => Some('"'),
                    "apos" => Some('\''),
                    n if n.starts_with("#x") => u32::from_str_radix(&n[2..], 16)
                        .ok()
                        .and_then(char::from_u32),
                    n if n.starts_with('#') => n[1..].parse().ok().and_then(char::from_u32),
                    _ => None,
                };
                match ch {
                    Some(c) => st.text.push(c),
                    None => return Err(st.error(format!("unknown entity &{name};"))),
                }
            }
            Event::End(e) => {
                let name = local(e.name().as_ref());
                match st.stack.last() {
                    Some(open) if *open == name => {}
                    Some(open) => return Err(st.error(format!("</{name}> closes <{open}>"))),
                    None => return Err(st.error(format!("</{name}> has no opening tag"))),
                }
                if let Some(child) = st.end(&name)? {
                    on_child(&st.header, child);
                }
                if name == "Child" {
                    st.cin_no = 0;
                }
                st.stack.pop();
                st.text.clear();
            }
            Event::Eof => {
                if !seen_root {
                    return Err(ReadError {
                        path: "(document)".into(),
                        child: None,
                        reason: "the file has no XML elements".into(),
                    });
                }
                if !st.stack.is_empty() {
                    return Err(st.error(format!(
                        "the file ends inside <{}>: it is truncated",
                        st.stack.last().expect("non-empty")
                    )));
                }
                break;
            }
            _ => {}
        }
        buf.clear();
    }
    Ok(st.header)
}

/// Reads a whole census into memory (typed records, not a document tree).
pub fn read<R: BufRead>(input: R) -> Result<Census, ReadError> {
    let mut children = Vec::new();
    let header = read_streaming(input, |_, c| children.push(c))?;
    Ok(Census { header, children })
}
