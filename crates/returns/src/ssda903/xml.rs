//! The 903 XML form: one file holding the whole return, read into the same tables as the CSV
//! form and written back from them.
//!
//! The layout (specs/statutory-data.md §1.2): a root `EXPSSDA903` holding one `CHILD` element a
//! child. Each `CHILD` holds one `HEADER` and any number of `EPISODE`s. The `HEADER` holds the
//! child's own items as direct children (`CHILDID` for CHILD, UPN, SEX, DOB, ETHNIC, the `UASC`
//! flag and `DUC`, MOTHER, MC_DOB, the OC3 items IN_TOUCH/ACTIV/ACCOM and the AD1 items
//! DATE_INT to LS_ADOPTR), the repeating groups `AREVIEW` (Reviews), `AMISSING` (Missing) and
//! `AD_PLACED` (PlacedAdoption), and at most one `PERMANENCE` (PrevPerm) and one `OC2`. An
//! `EPISODE` holds the Episodes columns, placement type as `PL`.
//!
//! How the elements become table rows, so that both forms validate alike:
//! - Every table but SWEpisodes is read, rows in file order (children in file order, each
//!   child's episodes and groups in the order written), CHILD and DOB taken from the `HEADER`.
//! - A child has a UASC row (CHILD, SEX, DOB, DUC) when its `UASC` flag is 1 or it has a `DUC`:
//!   the DUC must reach the date rules, and a DUC without the flag is rule 303's finding. The
//!   flag itself, as written, is kept in [`Return::uasc_flags`] for rules 105 and 303.
//! - A child has an OC3 (or AD1) row when any OC3 (or AD1) item has a value. Exporters write
//!   empty elements for items that do not apply, so an empty element is no row; the XML form
//!   therefore cannot hold an OC3 or AD1 row whose items are all blank.
//! - A group element is a row even when empty (`<OC2/>` is an OC2 row of blanks).
//!
//! Social worker episodes have no place in the XML: none of the sources describing the form
//! (the reference validator's reader and its example file, the spec notes) shows an element for
//! them, and the table was added to the 903 in 2023/24 as a CSV table. So an XML return carries
//! no SWEpisodes, and [`super::read_files`] accepts a CSV SWEpisodes table alongside the XML
//! file (and no other CSV table: those would be a second copy of a table the XML holds).
//!
//! Values are kept as written (trimmed), as with CSV: an unknown code or a bad date is a
//! validation finding. Only what cannot be read as this layout is a [`ReadError`], naming the
//! file, the line, the `CHILD` element (its number and CHILDID), the element and the reason.
//! The reader is a pull parser over the bytes: it never builds a document tree. It holds one
//! child's values at a time, adding them to a buffer a table, and builds the rows from those at
//! the end.

use std::collections::HashMap;
use std::io::Write;

use quick_xml::events::Event;

use super::{ReadError, Return, Rows, Table};

/// The root element.
pub const ROOT: &str = "EXPSSDA903";

/// The XML tag of a column.
fn tag(col: &str) -> &str {
    match col {
        "CHILD" => "CHILDID",
        "PLACE" => "PL",
        c => c,
    }
}

/// The HEADER's direct items, in the order written.
const HEADER_ITEMS: [&str; 18] = [
    "CHILDID",
    "UPN",
    "SEX",
    "DOB",
    "ETHNIC",
    "UASC",
    "DUC",
    "MOTHER",
    "MC_DOB",
    "IN_TOUCH",
    "ACTIV",
    "ACCOM",
    "DATE_INT",
    "DATE_MATCH",
    "FOSTER_CARE",
    "NB_ADOPTR",
    "SEX_ADOPTR",
    "LS_ADOPTR",
];
const H_CHILD: usize = 0;
const H_SEX: usize = 2;
const H_DOB: usize = 3;
const H_UASC: usize = 5;
const H_DUC: usize = 6;
/// The OC3 items, and the AD1 items, as ranges of [`HEADER_ITEMS`].
const OC3_ITEMS: std::ops::Range<usize> = 9..12;
const AD1_ITEMS: std::ops::Range<usize> = 12..18;

/// A group element inside the HEADER: one row of a table, its columns after CHILD and DOB.
struct Group {
    tag: &'static str,
    table: Table,
    /// Whether a child may have more than one.
    repeats: bool,
}

static GROUPS: [Group; 5] = [
    Group {
        tag: "AREVIEW",
        table: Table::Reviews,
        repeats: true,
    },
    Group {
        tag: "AMISSING",
        table: Table::Missing,
        repeats: true,
    },
    Group {
        tag: "AD_PLACED",
        table: Table::PlacedAdoption,
        repeats: true,
    },
    Group {
        tag: "PERMANENCE",
        table: Table::PrevPerm,
        repeats: false,
    },
    Group {
        tag: "OC2",
        table: Table::Oc2,
        repeats: false,
    },
];

/// The tables the XML form holds (all but SWEpisodes).
pub const TABLES: [Table; 10] = [
    Table::Header,
    Table::Episodes,
    Table::Reviews,
    Table::Uasc,
    Table::Oc2,
    Table::Oc3,
    Table::Ad1,
    Table::PlacedAdoption,
    Table::PrevPerm,
    Table::Missing,
];

/// The columns of a group's table that its element holds (those after CHILD and DOB).
fn group_cols(t: Table) -> &'static [&'static str] {
    &t.columns()[2..]
}

/// The columns an EPISODE holds (those after CHILD).
fn episode_cols() -> &'static [&'static str] {
    &Table::Episodes.columns()[1..]
}

/// Where a value element's text goes.
#[derive(Debug, Clone, Copy)]
enum Owner {
    Header,
    Episode,
    Group,
}

/// What an open element is.
#[derive(Debug, Clone, Copy)]
enum Open {
    Root,
    Child,
    Header,
    Episode,
    Group(usize),
    /// A value element: whose, and which of its items.
    Item(Owner, usize),
}

/// One CHILD element's values, held until it closes.
#[derive(Default)]
struct ChildVals {
    header: Option<[String; HEADER_ITEMS.len()]>,
    header_seen: u32,
    episodes: Vec<Vec<String>>,
    episode_seen: u32,
    /// Group rows in the order written: group index and values.
    groups: Vec<(usize, Vec<String>)>,
    group_seen: u32,
}

struct Reader<'a> {
    file: &'a str,
    data: &'a [u8],
    stack: Vec<(Open, &'static str)>,
    /// The number of the CHILD element being read (1-based).
    child_no: usize,
    child: ChildVals,
    text: String,
    /// The values of each table of [`TABLES`].
    cells: [Cells; TABLES.len()],
    flags: Vec<String>,
}

/// Shortens text quoted in an error message.
fn quote(s: &str) -> String {
    let s = s.trim();
    if s.chars().count() > 40 {
        format!("{:?}…", s.chars().take(40).collect::<String>())
    } else {
        format!("{s:?}")
    }
}

impl<'a> Reader<'a> {
    /// An error at byte `pos`, naming the child and the open elements.
    fn error(&self, pos: u64, element: Option<&str>, reason: impl Into<String>) -> ReadError {
        let pos = (pos as usize).min(self.data.len());
        let line = 1 + self.data[..pos].iter().filter(|b| **b == b'\n').count();
        let mut place = String::new();
        if self.stack.iter().any(|(o, _)| matches!(o, Open::Child)) {
            place.push_str(&format!("CHILD {}", self.child_no));
            if let Some(id) = self
                .child
                .header
                .as_ref()
                .map(|h| h[H_CHILD].as_str())
                .filter(|id| !id.is_empty())
            {
                place.push_str(&format!(" (CHILDID {id})"));
            }
            for (_, name) in self.stack.iter().skip(2) {
                place.push_str(" > ");
                place.push_str(name);
            }
            place.push_str(": ");
        }
        ReadError {
            file: self.file.to_string(),
            row: Some(line),
            column: element.map(str::to_string),
            reason: format!("{place}{}", reason.into()),
        }
    }

    fn top(&self) -> Option<Open> {
        self.stack.last().map(|(o, _)| *o)
    }

    /// An element opens.
    fn start(&mut self, name: &str, pos: u64) -> Result<(), ReadError> {
        let bad = |r: &Self, why: String| Err(r.error(pos, Some(name), why));
        let open = match self.top() {
            None => {
                if name != ROOT {
                    return bad(
                        self,
                        format!("the root element is <{name}>, expected <{ROOT}>"),
                    );
                }
                (Open::Root, ROOT)
            }
            Some(Open::Root) => {
                if name != "CHILD" {
                    return bad(
                        self,
                        format!("<{name}> inside <{ROOT}>, which holds only <CHILD> elements"),
                    );
                }
                self.child_no += 1;
                self.child = ChildVals::default();
                (Open::Child, "CHILD")
            }
            Some(Open::Child) => match name {
                "HEADER" => {
                    if self.child.header.is_some() {
                        return bad(self, "a second <HEADER> in this CHILD".into());
                    }
                    self.child.header = Some(Default::default());
                    (Open::Header, "HEADER")
                }
                "EPISODE" => {
                    self.child
                        .episodes
                        .push(vec![String::new(); episode_cols().len()]);
                    self.child.episode_seen = 0;
                    (Open::Episode, "EPISODE")
                }
                _ => {
                    return bad(
                        self,
                        format!("<{name}> inside <CHILD>, which holds one <HEADER> and <EPISODE>s"),
                    );
                }
            },
            Some(Open::Header) => {
                if let Some(i) = HEADER_ITEMS.iter().position(|t| *t == name) {
                    if self.child.header_seen & (1 << i) != 0 {
                        return bad(self, format!("<{name}> is given twice in this HEADER"));
                    }
                    self.child.header_seen |= 1 << i;
                    (Open::Item(Owner::Header, i), HEADER_ITEMS[i])
                } else if let Some(g) = GROUPS.iter().position(|g| g.tag == name) {
                    let group = &GROUPS[g];
                    if !group.repeats && self.child.group_seen & (1 << g) != 0 {
                        return bad(
                            self,
                            format!("a second <{name}> in this HEADER (a child has one at most)"),
                        );
                    }
                    self.child.group_seen |= 1 << g;
                    self.child
                        .groups
                        .push((g, vec![String::new(); group_cols(group.table).len()]));
                    self.child.episode_seen = 0;
                    (Open::Group(g), group.tag)
                } else {
                    let hint = match name {
                        "CHILD" => " (the child's id is <CHILDID>)",
                        _ if episode_cols().contains(&name) || name == "PL" => {
                            " (episode items belong in <EPISODE>)"
                        }
                        _ => "",
                    };
                    return bad(
                        self,
                        format!("<{name}> is not an item of the 903 HEADER{hint}"),
                    );
                }
            }
            Some(Open::Episode) => match episode_cols().iter().position(|c| tag(c) == name) {
                Some(i) => {
                    if self.child.episode_seen & (1 << i) != 0 {
                        return bad(self, format!("<{name}> is given twice in this EPISODE"));
                    }
                    self.child.episode_seen |= 1 << i;
                    (Open::Item(Owner::Episode, i), tag(episode_cols()[i]))
                }
                None => {
                    let hint = if name == "PLACE" {
                        " (the placement type is <PL>)"
                    } else {
                        ""
                    };
                    return bad(
                        self,
                        format!("<{name}> is not an item of a 903 EPISODE{hint}"),
                    );
                }
            },
            Some(Open::Group(g)) => {
                let cols = group_cols(GROUPS[g].table);
                match cols.iter().position(|c| *c == name) {
                    Some(i) => {
                        // episode_seen is reset when the group opens; groups and episodes do
                        // not nest, so it serves both.
                        if self.child.episode_seen & (1 << i) != 0 {
                            return bad(
                                self,
                                format!("<{name}> is given twice in this {}", GROUPS[g].tag),
                            );
                        }
                        self.child.episode_seen |= 1 << i;
                        (Open::Item(Owner::Group, i), cols[i])
                    }
                    None => {
                        return bad(
                            self,
                            format!(
                                "<{name}> is not an item of <{}> (its items are {})",
                                GROUPS[g].tag,
                                cols.join(", ")
                            ),
                        );
                    }
                }
            }
            Some(Open::Item(_, _)) => {
                let (_, item) = self.stack.last().expect("open");
                return bad(
                    self,
                    format!("<{name}> inside <{item}>, which holds only a value"),
                );
            }
        };
        self.stack.push(open);
        self.text.clear();
        Ok(())
    }

    /// Text (or a reference or CDATA) arrives.
    fn text(&mut self, s: &str, pos: u64) -> Result<(), ReadError> {
        match self.top() {
            Some(Open::Item(_, _)) => {
                self.text.push_str(s);
                Ok(())
            }
            _ if s.trim().is_empty() => Ok(()),
            None => Err(self.error(
                pos,
                None,
                format!("text {} outside the root element", quote(s)),
            )),
            Some(_) => {
                let (_, open) = self.stack.last().expect("open");
                Err(self.error(
                    pos,
                    Some(open),
                    format!(
                        "text {} directly inside <{open}>, which holds only elements",
                        quote(s)
                    ),
                ))
            }
        }
    }

    /// The open element closes.
    fn end(&mut self, pos: u64) -> Result<(), ReadError> {
        let Some((open, _)) = self.stack.last().copied() else {
            return Ok(());
        };
        match open {
            Open::Item(owner, i) => {
                let v = self.text.trim().to_string();
                self.text.clear();
                let c = &mut self.child;
                match owner {
                    Owner::Header => c.header.as_mut().expect("open HEADER")[i] = v,
                    Owner::Episode => c.episodes.last_mut().expect("open EPISODE")[i] = v,
                    Owner::Group => c.groups.last_mut().expect("open group").1[i] = v,
                }
            }
            Open::Child => self.finish_child(pos)?,
            _ => {}
        }
        self.stack.pop();
        Ok(())
    }

    /// A CHILD element closes: its values become table rows.
    fn finish_child(&mut self, pos: u64) -> Result<(), ReadError> {
        let c = std::mem::take(&mut self.child);
        let Some(h) = c.header else {
            return Err(self.error(pos, Some("CHILD"), "this CHILD has no <HEADER>"));
        };
        let (child, dob) = (h[H_CHILD].as_str(), h[H_DOB].as_str());
        let cells = &mut self.cells;
        let at = |t: Table| {
            TABLES
                .iter()
                .position(|x| *x == t)
                .expect("a table of the XML")
        };
        let header = &mut cells[at(Table::Header)];
        for col in Table::Header.columns() {
            let i = HEADER_ITEMS.iter().position(|t| *t == tag(col));
            header.push(&h[i.expect("a Header column is a HEADER item")]);
        }
        self.flags.push(h[H_UASC].clone());
        if h[H_UASC] == "1" || !h[H_DUC].is_empty() {
            cells[at(Table::Uasc)].push_all([child, &h[H_SEX], dob, &h[H_DUC]]);
        }
        for (table, items) in [(Table::Oc3, OC3_ITEMS), (Table::Ad1, AD1_ITEMS)] {
            if h[items.clone()].iter().any(|v| !v.is_empty()) {
                let t = &mut cells[at(table)];
                t.push_all([child, dob]);
                t.push_all(h[items].iter().map(String::as_str));
            }
        }
        let episodes = &mut cells[at(Table::Episodes)];
        for e in &c.episodes {
            episodes.push(child);
            episodes.push_all(e.iter().map(String::as_str));
        }
        for (g, vals) in &c.groups {
            let t = &mut cells[at(GROUPS[*g].table)];
            t.push_all([child, dob]);
            t.push_all(vals.iter().map(String::as_str));
        }
        Ok(())
    }
}

/// A table's values as read, in one buffer, until the rows are built at the end. Building the
/// rows table by table (as the CSV reader does) rather than child by child keeps each table's
/// strings together in memory, which makes the rules run as fast on either form.
#[derive(Default)]
struct Cells {
    text: String,
    ends: Vec<usize>,
}

impl Cells {
    fn push(&mut self, v: &str) {
        self.text.push_str(v);
        self.ends.push(self.text.len());
    }

    fn push_all<'a>(&mut self, vs: impl IntoIterator<Item = &'a str>) {
        for v in vs {
            self.push(v);
        }
    }

    /// The rows of a table of `ncols` columns.
    fn rows(&self, ncols: usize) -> Vec<Vec<String>> {
        let mut start = 0;
        self.ends
            .chunks(ncols)
            .map(|row| {
                row.iter()
                    .map(|&end| {
                        let v = self.text[start..end].to_string();
                        start = end;
                        v
                    })
                    .collect()
            })
            .collect()
    }
}

/// An element's name as text, without copying it where it is UTF-8 (names in the layout are).
fn name_of(b: &[u8]) -> std::borrow::Cow<'_, str> {
    String::from_utf8_lossy(b)
}

/// Reads the XML form of a return: every table but SWEpisodes (see the module notes), and the
/// UASC flags in [`Return::uasc_flags`].
pub fn read_xml(file: &str, data: &[u8]) -> Result<Return, ReadError> {
    let mut r = Reader {
        file,
        data,
        stack: Vec::new(),
        child_no: 0,
        child: ChildVals::default(),
        text: String::new(),
        cells: Default::default(),
        flags: Vec::new(),
    };
    if data.starts_with(&[0xFF, 0xFE]) || data.starts_with(&[0xFE, 0xFF]) {
        return Err(r.error(0, None, "the file is UTF-16; save it as UTF-8"));
    }
    let mut xml = quick_xml::Reader::from_reader(data);
    let mut seen_root = false;
    loop {
        let pos = xml.buffer_position();
        let event = match xml.read_event() {
            Ok(e) => e,
            Err(e) => {
                let at = xml.error_position();
                return Err(r.error(at, None, format!("not well-formed XML: {e}")));
            }
        };
        match event {
            Event::Start(e) | Event::Empty(e) if r.stack.is_empty() && seen_root => {
                let name = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
                return Err(r.error(
                    pos,
                    Some(&name),
                    format!("a second root element <{name}> after </{ROOT}>"),
                ));
            }
            Event::Start(e) => {
                seen_root = true;
                let local = e.local_name();
                r.start(&name_of(local.as_ref()), pos)?;
            }
            Event::Empty(e) => {
                seen_root = true;
                let local = e.local_name();
                r.start(&name_of(local.as_ref()), pos)?;
                r.end(pos)?;
            }
            Event::End(_) => r.end(pos)?,
            // Whitespace between elements (indentation) needs no decoding.
            Event::Text(t)
                if !matches!(r.top(), Some(Open::Item(_, _)))
                    && t.iter().all(u8::is_ascii_whitespace) => {}
            Event::Text(t) => {
                let s = t
                    .decode()
                    .map_err(|e| r.error(pos, None, format!("text that is not UTF-8: {e}")))?;
                r.text(&s, pos)?;
            }
            Event::CData(t) => {
                let s = t
                    .decode()
                    .map_err(|e| r.error(pos, None, format!("text that is not UTF-8: {e}")))?;
                r.text(&s, pos)?;
            }
            Event::GeneralRef(g) => {
                let name = g.decode().map_err(|e| {
                    r.error(pos, None, format!("a reference that is not UTF-8: {e}"))
                })?;
                let ch = match name.as_ref() {
                    "amp" => Some('&'),
                    "lt" => Some('<'),
                    "gt" => Some('>'),
                    "quot" => Some('"'),
                    "apos" => Some('\''),
                    _ => g.resolve_char_ref().ok().flatten(),
                };
                match ch {
                    Some(c) => r.text(c.encode_utf8(&mut [0; 4]), pos)?,
                    None => {
                        return Err(r.error(pos, None, format!("an unknown reference &{name};")));
                    }
                }
            }
            Event::Eof => {
                if !seen_root {
                    return Err(r.error(pos, None, "the file holds no XML elements"));
                }
                if let Some((_, open)) = r.stack.last() {
                    return Err(r.error(
                        pos,
                        Some(open),
                        format!("the file ends inside <{open}>: it is cut short"),
                    ));
                }
                break;
            }
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) | Event::DocType(_) => {}
        }
    }
    let mut ret = Return {
        uasc_flags: Some(r.flags),
        ..Return::default()
    };
    for (t, cells) in TABLES.iter().zip(std::mem::take(&mut r.cells)) {
        let rows = cells.rows(t.columns().len());
        drop(cells);
        ret.tables.insert(*t, Rows { rows });
    }
    Ok(ret)
}

/// A return the XML form cannot hold as it is.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("{0}")]
    Io(#[from] std::io::Error),
    /// A row the XML form has no place for, with the reason.
    #[error("{table} row {row}{}: {reason}", child.as_ref().map(|c| format!(" (CHILD {c})")).unwrap_or_default())]
    NoPlace {
        table: &'static str,
        /// 0-based row of the table.
        row: usize,
        child: Option<String>,
        reason: String,
    },
}

fn escape(s: &str) -> std::borrow::Cow<'_, str> {
    if s.bytes().any(|b| matches!(b, b'&' | b'<' | b'>')) {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .into()
    } else {
        s.into()
    }
}

/// One child's rows, found by the first pass of the writer.
#[derive(Default, Clone)]
struct Rowset {
    /// Row indexes by table (in the order of [`TABLES`]), excluding Header.
    rows: [Vec<usize>; TABLES.len()],
}

/// Checks that the XML form can hold the return, and gathers each child's rows, by Header row.
fn plan(ret: &Return) -> Result<Vec<Rowset>, WriteError> {
    let h = Table::Header;
    let header = ret.rows(h);
    let (hc, hsex, hdob) = (h.col("CHILD"), h.col("SEX"), h.col("DOB"));
    let mut first: HashMap<&str, usize> = HashMap::with_capacity(header.len());
    for (i, r) in header.iter().enumerate() {
        first.entry(r[hc].as_str()).or_insert(i);
    }
    let mut sets = vec![Rowset::default(); header.len()];
    let no_place = |t: Table, row: usize, child: &str, reason: String| WriteError::NoPlace {
        table: t.name(),
        row,
        child: (!child.is_empty()).then(|| child.to_string()),
        reason,
    };
    for (k, t) in TABLES.iter().enumerate().skip(1) {
        let t = *t;
        let cols = t.columns();
        let dob = cols.iter().position(|c| *c == "DOB");
        for (i, r) in ret.rows(t).iter().enumerate() {
            let child = r[0].as_str();
            let Some(&hi) = first.get(child) else {
                return Err(no_place(
                    t,
                    i,
                    child,
                    "the child has no Header row, and the XML form holds a child's rows inside \
                     its CHILD element"
                        .into(),
                ));
            };
            let hr = &header[hi];
            if let Some(d) = dob
                && r[d] != hr[hdob]
            {
                return Err(no_place(
                    t,
                    i,
                    child,
                    format!(
                        "DOB {:?} differs from the Header's {:?}; the XML form has one DOB a \
                         child, in its HEADER",
                        r[d], hr[hdob]
                    ),
                ));
            }
            if t == Table::Uasc && r[t.col("SEX")] != hr[hsex] {
                return Err(no_place(
                    t,
                    i,
                    child,
                    "SEX differs from the Header's; the XML form has one SEX a child".into(),
                ));
            }
            let once = matches!(
                t,
                Table::Uasc | Table::Oc3 | Table::Ad1 | Table::Oc2 | Table::PrevPerm
            );
            if once && !sets[hi].rows[k].is_empty() {
                return Err(no_place(
                    t,
                    i,
                    child,
                    format!(
                        "a second {} row for the child; the XML form holds one",
                        t.name()
                    ),
                ));
            }
            if matches!(t, Table::Oc3 | Table::Ad1) && r[2..].iter().all(|v| v.is_empty()) {
                return Err(no_place(
                    t,
                    i,
                    child,
                    format!(
                        "every {} item is blank, and the XML form has a {} row only where an \
                         item has a value",
                        t.name(),
                        t.name()
                    ),
                ));
            }
            sets[hi].rows[k].push(i);
        }
    }
    // The UASC flag: as read from XML where the return has the flags, else from the UASC table.
    if let Some(flags) = &ret.uasc_flags {
        if flags.len() != header.len() {
            return Err(no_place(
                h,
                0,
                "",
                format!(
                    "{} UASC flags for {} Header rows",
                    flags.len(),
                    header.len()
                ),
            ));
        }
        let u = TABLES.iter().position(|t| *t == Table::Uasc).expect("UASC");
        let duc = Table::Uasc.col("DUC");
        for (hi, set) in sets.iter().enumerate() {
            let child = header[hi][hc].as_str();
            match set.rows[u].first() {
                Some(&ui) if flags[hi] != "1" && ret.rows(Table::Uasc)[ui][duc].is_empty() => {
                    return Err(no_place(
                        Table::Uasc,
                        ui,
                        child,
                        "a UASC row without a DUC for a child whose UASC flag is not 1".into(),
                    ));
                }
                None if flags[hi] == "1" => {
                    return Err(no_place(h, hi, child, "UASC flag 1 but no UASC row".into()));
                }
                _ => {}
            }
        }
    }
    Ok(sets)
}

/// Writes the return as the XML form (SWEpisodes, which it has no place for, are not written:
/// see [`write_xml_dir`]). Fails, before writing anything, where the return holds something the
/// XML form cannot: rows of a child with no Header row, a DOB (or UASC SEX) differing from the
/// Header's, a second UASC, OC2, OC3, AD1 or PrevPerm row for a child, or an OC3 or AD1 row of
/// blanks. Each child's rows are written in their tables' order, so a return read from XML (with
/// a CHILDID for each child of its own) is written back as it was read; the rows of a CSV return
/// come back grouped by child, in Header order.
pub fn write_xml<W: Write>(ret: &Return, out: W) -> Result<(), WriteError> {
    let sets = plan(ret)?;
    let mut out = std::io::BufWriter::with_capacity(1 << 16, out);
    let h = Table::Header;
    writeln!(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>")?;
    writeln!(out, "<{ROOT}>")?;
    let u = TABLES.iter().position(|t| *t == Table::Uasc).expect("UASC");
    let item = |out: &mut std::io::BufWriter<W>, indent: usize, name: &str, v: &str| {
        if v.is_empty() {
            writeln!(out, "{:indent$}<{name}/>", "")
        } else {
            writeln!(out, "{:indent$}<{name}>{}</{name}>", "", escape(v))
        }
    };
    for (hi, hr) in ret.rows(h).iter().enumerate() {
        let set = &sets[hi];
        let rows = |t: Table| &set.rows[TABLES.iter().position(|x| *x == t).expect("table")];
        let first = |t: Table| rows(t).first().map(|i| ret.rows(t)[*i].as_slice());
        writeln!(out, "  <CHILD>")?;
        writeln!(out, "    <HEADER>")?;
        let uasc_row = first(Table::Uasc);
        let flag = match &ret.uasc_flags {
            Some(f) => f[hi].as_str(),
            None if set.rows[u].is_empty() => "0",
            None => "1",
        };
        let duc = uasc_row.map(|r| r[3].as_str()).unwrap_or("");
        let (oc3, ad1) = (first(Table::Oc3), first(Table::Ad1));
        for (i, name) in HEADER_ITEMS.iter().enumerate() {
            let v = match i {
                H_UASC => flag,
                H_DUC => duc,
                _ if OC3_ITEMS.contains(&i) => oc3
                    .map(|r| r[2 + i - OC3_ITEMS.start].as_str())
                    .unwrap_or(""),
                _ if AD1_ITEMS.contains(&i) => ad1
                    .map(|r| r[2 + i - AD1_ITEMS.start].as_str())
                    .unwrap_or(""),
                _ => {
                    let col = if *name == "CHILDID" { "CHILD" } else { name };
                    hr[h.col(col)].as_str()
                }
            };
            // Items of a table the child has no row in are left out.
            let absent = (OC3_ITEMS.contains(&i) && oc3.is_none())
                || (AD1_ITEMS.contains(&i) && ad1.is_none())
                || (i == H_DUC && uasc_row.is_none());
            if !absent {
                item(&mut out, 6, name, v)?;
            }
        }
        for g in &GROUPS {
            let k = TABLES.iter().position(|x| *x == g.table).expect("table");
            for &ri in &set.rows[k] {
                let r = &ret.rows(g.table)[ri];
                writeln!(out, "      <{}>", g.tag)?;
                for (c, name) in group_cols(g.table).iter().enumerate() {
                    item(&mut out, 8, name, &r[2 + c])?;
                }
                writeln!(out, "      </{}>", g.tag)?;
            }
        }
        writeln!(out, "    </HEADER>")?;
        let k = TABLES
            .iter()
            .position(|x| *x == Table::Episodes)
            .expect("table");
        for &ri in &set.rows[k] {
            let r = &ret.rows(Table::Episodes)[ri];
            writeln!(out, "    <EPISODE>")?;
            for (c, col) in episode_cols().iter().enumerate() {
                item(&mut out, 6, tag(col), &r[1 + c])?;
            }
            writeln!(out, "    </EPISODE>")?;
        }
        writeln!(out, "  </CHILD>")?;
    }
    writeln!(out, "</{ROOT}>")?;
    out.flush()?;
    Ok(())
}

/// The file name Hearth writes the XML form to.
pub const FILE_NAME: &str = "ssda903.xml";

/// Writes the return as `<dir>/ssda903.xml`, with its SWEpisodes (which the XML form has no
/// place for) beside it as `<dir>/sw_episodes.csv` where the return has that table.
pub fn write_xml_dir(ret: &Return, dir: &std::path::Path) -> Result<(), WriteError> {
    std::fs::create_dir_all(dir)?;
    let file = std::fs::File::create(dir.join(FILE_NAME))?;
    write_xml(ret, file)?;
    if let Some(sw) = ret.tables.get(&Table::SwEpisodes) {
        let mut only = Return::default();
        only.tables.insert(Table::SwEpisodes, sw.clone());
        super::write_dir(&only, dir)?;
    }
    Ok(())
}

#[cfg(test)]
#[path = "xml_tests.rs"]
mod tests;
