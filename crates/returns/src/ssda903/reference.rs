//! The reference data some 903 rules need besides the return: a postcode directory (each
//! postcode's Ordnance Survey grid reference and local authority, from which a placement's
//! distance from home, its local authority and whether it is in or out of the council's area are
//! worked out), Ofsted's lists of children's homes and social care providers (what each URN may be
//! used for), and the council's own local authority code.
//!
//! Local authority codes here are ONS GSS codes of the upper tier (the council with children's
//! services): a unitary authority, metropolitan district or London borough (E06, E08, E09) is its
//! own upper tier; a district in a two-tier county (E07) belongs to its county (E10). That is how
//! DfE's tools derive `PL_LA` (the district's upper tier-authority), and the council's own code
//! given with `--la` is compared with it, so it is the council's GSS code (for example the form
//! `E08000016`), not the 3-digit DfE LA number used in `LA_PERM`. Postcodes outside England give
//! `SCO`, `WAL` or `NIR`, and Channel Islands and Isle of Man postcodes `NUK` (outside the UK).

use std::collections::HashMap;

use chrono::NaiveDate;

use super::ReadError;

/// A postcode without spaces, upper case, packed into an integer (at most 8 characters).
fn postcode_key(v: &str) -> Option<u64> {
    let mut key = 0u64;
    let mut n = 0;
    for b in v.bytes() {
        if b == b' ' {
            continue;
        }
        if !b.is_ascii_alphanumeric() || n == 8 {
            return None;
        }
        key = (key << 8) | u64::from(b.to_ascii_uppercase());
        n += 1;
    }
    (n > 0).then_some(key)
}

/// A postcode as the rules compare it: spaces removed, upper case.
pub fn normalise_postcode(v: &str) -> String {
    v.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// The first bytes of a postcode directory in Hearth's compact form.
const COMPACT_MAGIC: &[u8] = b"HEARTH-POSTCODES-1\n";

/// Marks a postcode with no grid reference.
const NO_GRID: u64 = 0xFF_FFFF;

/// Postcodes with their grid reference and placement LA, for looking up the postcodes of a
/// return. Held compactly (16 bytes a postcode, so a full ONS directory of about 2.7 million
/// postcodes takes about 45 MB), sorted for binary search.
#[derive(Clone, Default)]
pub struct PostcodeDirectory {
    /// (postcode key, easting:24 | northing:24 | LA index:16), sorted by key.
    entries: Vec<(u64, u64)>,
    /// The placement LA values (`PL_LA`) by index.
    las: Vec<String>,
}

impl std::fmt::Debug for PostcodeDirectory {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "PostcodeDirectory({} postcodes, {} LAs)",
            self.entries.len(),
            self.las.len()
        )
    }
}

/// What the directory knows of a postcode.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Place<'a> {
    /// Easting and northing in metres, where the postcode has a grid reference.
    pub grid: Option<(u32, u32)>,
    /// The placement LA (`PL_LA`): an upper-tier GSS code, or SCO, WAL, NIR or NUK; None where the
    /// directory gives no LA.
    pub la: Option<&'a str>,
}

/// The column names a postcode directory may use for each thing (lower case): the ONS Postcode
/// Directory (ONSPD), the National Statistics Postcode Lookup (NSPL) and their newer spellings.
const PC_POSTCODE: &[&str] = &["pcds", "pcd", "pcd2", "pcd7", "pcd8", "postcode"];
const PC_EAST: &[&str] = &["oseast1m", "east1m", "easting", "eastings"];
const PC_NORTH: &[&str] = &["osnrth1m", "north1m", "northing", "northings"];
const PC_DISTRICT: &[&str] = &["oslaua", "laua", "ladcd", "lad", "ltla"];
const PC_COUNTY: &[&str] = &["oscty", "cty", "ctycd"];
const PC_UPPER: &[&str] = &["utla", "utlacd"];

/// The first header matching one of the names, or a name followed by a two-digit year and "cd"
/// (for example `lad25cd`, `cty24cd`).
fn find_col(header: &[String], names: &[&str]) -> Option<usize> {
    for n in names {
        if let Some(i) = header.iter().position(|h| h == n) {
            return Some(i);
        }
    }
    for n in names {
        let stem = n.trim_end_matches("cd");
        if let Some(i) = header.iter().position(|h| {
            h.strip_prefix(stem)
                .and_then(|r| r.strip_suffix("cd"))
                .is_some_and(|y| y.len() == 2 && y.bytes().all(|b| b.is_ascii_digit()))
        }) {
            return Some(i);
        }
    }
    None
}

/// Splits a CSV line into the byte ranges of its first `n` fields (a quoted field without its
/// quotes; a doubled quote inside one is left as it is, as no directory value has one).
fn split_fields(line: &[u8], n: usize, out: &mut Vec<(usize, usize)>) -> Result<(), &'static str> {
    out.clear();
    let mut i = 0;
    while out.len() < n {
        if line.get(i) == Some(&b'"') {
            let start = i + 1;
            let mut j = start;
            let end = loop {
                let k = j + line[j..]
                    .iter()
                    .position(|b| *b == b'"')
                    .ok_or("a quoted value is not closed")?;
                if line.get(k + 1) == Some(&b'"') {
                    j = k + 2;
                } else {
                    break k;
                }
            };
            out.push((start, end));
            i = end + 1;
            match line.get(i) {
                None => break,
                Some(b',') => i += 1,
                Some(_) => return Err("a quoted value is followed by more than a comma"),
            }
        } else {
            let end = line[i..]
                .iter()
                .position(|b| *b == b',')
                .map_or(line.len(), |p| i + p);
            out.push((i, end));
            if end == line.len() {
                break;
            }
            i = end + 1;
        }
    }
    Ok(())
}

/// The placement LA value for a directory's district, county and upper-tier codes: the upper
/// tier where the directory gives it, else the county where it is a non-metropolitan county
/// council (E10; metropolitan counties, E11, have no council), else the district.
fn placement_la(district: &str, county: &str, upper: &str) -> Option<String> {
    let (upper, county) = (upper.trim(), county.trim());
    let pick = if !upper.is_empty() && !upper.ends_with("99999999") {
        upper
    } else if county.len() == 9
        && county
            .get(..3)
            .is_some_and(|p| p.eq_ignore_ascii_case("E10"))
    {
        county
    } else {
        district
    };
    let code = pick.trim().to_ascii_uppercase();
    match code.as_bytes().first() {
        None => None,
        Some(b'S') => Some("SCO".into()),
        Some(b'W') => Some("WAL".into()),
        Some(b'N') => Some("NIR".into()),
        Some(b'L' | b'M') => Some("NUK".into()),
        // A pseudo-code for England with no district is no LA.
        Some(_) if code.ends_with("99999999") => None,
        Some(_) => Some(code),
    }
}

impl PostcodeDirectory {
    /// Reads a postcode directory CSV (ONSPD or NSPL, or any CSV with a postcode column, the
    /// grid reference columns `oseast1m`/`osnrth1m` and the district column `oslaua`/`laua`, and
    /// optionally the county column `oscty`/`cty` to find a district's upper tier). Only the
    /// columns needed are kept. A blank grid reference is allowed (some postcodes have none);
    /// a value that is not a whole number of metres, or a row with no postcode, is an error.
    pub fn read(file: &str, data: impl std::io::Read) -> Result<PostcodeDirectory, ReadError> {
        let err = |row: Option<usize>, column: Option<&str>, reason: String| ReadError {
            file: file.to_string(),
            row,
            column: column.map(str::to_string),
            reason,
        };
        // A directory is large (an ONSPD CSV is over a gigabyte): lines are split only as far
        // as the last column needed.
        use std::io::BufRead;
        let mut input = std::io::BufReader::with_capacity(1 << 20, data);
        let mut buf = Vec::new();
        let mut fields = Vec::new();
        let mut next_line = |buf: &mut Vec<u8>| -> Result<bool, String> {
            buf.clear();
            let n = input
                .read_until(b'\n', buf)
                .map_err(|e| format!("not readable: {e}"))?;
            while buf.last().is_some_and(|b| *b == b'\n' || *b == b'\r') {
                buf.pop();
            }
            Ok(n > 0)
        };
        match next_line(&mut buf) {
            Ok(true) => {}
            Ok(false) => return Err(err(None, None, "the file is empty".into())),
            Err(e) => return Err(err(Some(1), None, e)),
        }
        split_fields(&buf, usize::MAX, &mut fields)
            .map_err(|e| err(Some(1), None, e.to_string()))?;
        let header: Vec<String> = fields
            .iter()
            .map(|(a, b)| {
                String::from_utf8_lossy(&buf[*a..*b])
                    .trim()
                    .trim_start_matches('\u{feff}')
                    .trim_matches('"')
                    .to_ascii_lowercase()
            })
            .collect();
        let need = |names: &[&str], what: &str| {
            find_col(&header, names).ok_or_else(|| {
                err(
                    Some(1),
                    None,
                    format!("no {what} column (expected one of: {})", names.join(", ")),
                )
            })
        };
        let pc = need(PC_POSTCODE, "postcode")?;
        let east = need(PC_EAST, "easting")?;
        let north = need(PC_NORTH, "northing")?;
        let district = need(PC_DISTRICT, "local authority district")?;
        let county = find_col(&header, PC_COUNTY);
        let upper = find_col(&header, PC_UPPER);
        let used = 1 + [
            Some(pc),
            Some(east),
            Some(north),
            Some(district),
            county,
            upper,
        ]
        .into_iter()
        .flatten()
        .max()
        .expect("columns found");
        let mut dir = PostcodeDirectory::default();
        let mut la_index: HashMap<Option<String>, u64> = HashMap::new();
        let mut line = 1;
        let mut last_codes = (String::from("\0"), String::new(), String::new());
        let mut last_li = 0;
        loop {
            match next_line(&mut buf) {
                Ok(true) => {}
                Ok(false) => break,
                Err(e) => return Err(err(Some(line + 1), None, e)),
            }
            line += 1;
            if buf.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            split_fields(&buf, used, &mut fields).map_err(|e| err(Some(line), None, e.into()))?;
            let get = |i: usize| -> &str {
                fields
                    .get(i)
                    .and_then(|(a, b)| std::str::from_utf8(&buf[*a..*b]).ok())
                    .map(str::trim)
                    .unwrap_or("")
            };
            let name = &header[pc];
            let key = postcode_key(get(pc)).ok_or_else(|| {
                err(
                    Some(line),
                    Some(name),
                    if get(pc).is_empty() {
                        "no postcode".into()
                    } else {
                        format!("{:?} is not a postcode", get(pc))
                    },
                )
            })?;
            let metres = |i: usize, max: u64| -> Result<Option<u64>, ReadError> {
                let v = get(i);
                if v.is_empty() {
                    return Ok(None);
                }
                match v.parse::<u64>() {
                    Ok(n) if n < max => Ok(Some(n)),
                    _ => Err(err(
                        Some(line),
                        Some(&header[i]),
                        format!("{v:?} is not a grid reference in metres"),
                    )),
                }
            };
            let e = metres(east, NO_GRID)?;
            let n = metres(north, NO_GRID)?;
            let grid = match (e, n) {
                // ONSPD writes 0 (with grid quality 9) where a postcode has no grid reference.
                (Some(e), Some(n)) if e > 0 || n > 0 => (e << 24) | n,
                _ => (NO_GRID << 24) | NO_GRID,
            };
            let codes = (
                get(district),
                county.map(get).unwrap_or(""),
                upper.map(get).unwrap_or(""),
            );
            // Neighbouring postcodes are mostly in the same LA: reuse the last one's.
            let li =
                if last_codes.0 == codes.0 && last_codes.1 == codes.1 && last_codes.2 == codes.2 {
                    last_li
                } else {
                    let la = placement_la(codes.0, codes.1, codes.2);
                    let next = la_index.len() as u64;
                    let li = *la_index.entry(la.clone()).or_insert_with(|| {
                        dir.las.push(la.unwrap_or_default());
                        next
                    });
                    last_codes = (
                        codes.0.to_string(),
                        codes.1.to_string(),
                        codes.2.to_string(),
                    );
                    last_li = li;
                    li
                };
            if li > u64::from(u16::MAX) {
                return Err(err(
                    Some(line),
                    Some(&header[district]),
                    "more than 65,535 different local authorities".into(),
                ));
            }
            dir.entries.push((key, (grid << 16) | li));
        }
        // Sort by postcode; where one is repeated, the first row counts.
        dir.entries.sort_by_key(|(k, _)| *k);
        dir.entries.dedup_by_key(|(k, _)| *k);
        dir.entries.shrink_to_fit();
        Ok(dir)
    }

    /// Writes the directory in Hearth's compact form (what it holds in memory, about 16 bytes a
    /// postcode), which [`PostcodeDirectory::read_compact`] loads far faster than the CSV.
    pub fn write_compact(&self, mut w: impl std::io::Write) -> std::io::Result<()> {
        w.write_all(COMPACT_MAGIC)?;
        w.write_all(&(self.las.len() as u64).to_le_bytes())?;
        for la in &self.las {
            w.write_all(&[la.len() as u8])?;
            w.write_all(la.as_bytes())?;
        }
        w.write_all(&(self.entries.len() as u64).to_le_bytes())?;
        let mut buf = Vec::with_capacity(16 * 65_536);
        for chunk in self.entries.chunks(65_536) {
            buf.clear();
            for (k, v) in chunk {
                buf.extend_from_slice(&k.to_le_bytes());
                buf.extend_from_slice(&v.to_le_bytes());
            }
            w.write_all(&buf)?;
        }
        Ok(())
    }

    /// Reads a directory written by [`PostcodeDirectory::write_compact`].
    pub fn read_compact(file: &str, data: &[u8]) -> Result<PostcodeDirectory, ReadError> {
        let bad = |reason: &str| ReadError {
            file: file.to_string(),
            row: None,
            column: None,
            reason: format!("not a compact postcode directory: {reason}"),
        };
        let mut rest = data
            .strip_prefix(COMPACT_MAGIC)
            .ok_or_else(|| bad("no header"))?;
        let mut take = |n: usize| -> Result<&[u8], ReadError> {
            if rest.len() < n {
                return Err(bad("cut short"));
            }
            let (a, b) = rest.split_at(n);
            rest = b;
            Ok(a)
        };
        let u64_at = |b: &[u8]| u64::from_le_bytes(b.try_into().expect("8 bytes"));
        let n_las = u64_at(take(8)?) as usize;
        let mut las = Vec::with_capacity(n_las.min(65_536));
        for _ in 0..n_las {
            let len = take(1)?[0] as usize;
            let la = std::str::from_utf8(take(len)?).map_err(|_| bad("an LA code is not text"))?;
            las.push(la.to_string());
        }
        let n = u64_at(take(8)?) as usize;
        let body = take(n.checked_mul(16).ok_or_else(|| bad("too many postcodes"))?)?;
        let entries: Vec<(u64, u64)> = body
            .chunks_exact(16)
            .map(|c| (u64_at(&c[..8]), u64_at(&c[8..])))
            .collect();
        if entries.windows(2).any(|w| w[0].0 >= w[1].0)
            || entries
                .iter()
                .any(|(_, v)| (v & 0xFFFF) as usize >= las.len())
        {
            return Err(bad(
                "its postcodes are out of order or name an LA it does not have",
            ));
        }
        Ok(PostcodeDirectory { entries, las })
    }

    /// Whether a file's first bytes are those of the compact form.
    pub fn is_compact(data_start: &[u8]) -> bool {
        data_start.starts_with(COMPACT_MAGIC)
    }

    /// Builds a directory from (postcode, easting, northing, LA code) rows; for fixtures and
    /// synthetic data. The LA code is taken as the upper tier.
    pub fn from_rows<'a>(
        rows: impl IntoIterator<Item = (&'a str, Option<(u32, u32)>, &'a str)>,
    ) -> PostcodeDirectory {
        let mut csv = String::from("pcds,oseast1m,osnrth1m,laua\n");
        for (pc, grid, la) in rows {
            let (e, n) = grid.map(|(e, n)| (e.to_string(), n.to_string())).unzip();
            csv.push_str(&format!(
                "{pc},{},{},{la}\n",
                e.unwrap_or_default(),
                n.unwrap_or_default()
            ));
        }
        PostcodeDirectory::read("fixture", csv.as_bytes()).expect("fixture rows are valid")
    }

    /// How many postcodes the directory holds.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// What the directory knows of a postcode (spaces and case ignored); None where it is not in
    /// the directory.
    pub fn get(&self, postcode: &str) -> Option<Place<'_>> {
        let key = postcode_key(postcode)?;
        let i = self.entries.binary_search_by_key(&key, |(k, _)| *k).ok()?;
        let v = self.entries[i].1;
        let (grid, la) = (v >> 16, (v & 0xFFFF) as usize);
        let (e, n) = (grid >> 24, grid & NO_GRID);
        let la = self.las[la].as_str();
        Some(Place {
            grid: (e != NO_GRID && n != NO_GRID).then_some((e as u32, n as u32)),
            la: (!la.is_empty()).then_some(la),
        })
    }
}

/// What an Ofsted list says of one provider (by URN).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Provider {
    /// The 903 placement types the provider may be used for (`PLACE`), upper case.
    pub place_codes: Vec<String>,
    /// The 903 placement provider codes it may be recorded with (`PLACE_PROVIDER`).
    pub provider_codes: Vec<String>,
    /// The setting's postcode, normalised (no spaces, upper case), where given.
    pub postcode: Option<String>,
    /// The date it closed or was deregistered, where it has.
    pub closed: Option<NaiveDate>,
}

/// The Ofsted provider lists, by URN (upper case).
#[derive(Clone, Default)]
pub struct ProviderList {
    pub providers: HashMap<String, Provider>,
}

impl std::fmt::Debug for ProviderList {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ProviderList({} providers)", self.providers.len())
    }
}

/// Provider list column names (lower case, spaces and underscores ignored) for each thing, as
/// Ofsted's published "Children's homes" and "Social care providers" lists name them.
const PR_URN: &[&str] = &["urn"];
const PR_PLACE: &[&str] = &[
    "placementcode",
    "providerplacementcode",
    "place",
    "placecodes",
];
const PR_PROVIDER: &[&str] = &[
    "placementprovidercode",
    "providercode",
    "placeprovider",
    "providercodes",
];
const PR_POSTCODE: &[&str] = &["settingpostcode", "settingaddresspostcode", "postcode"];
const PR_CLOSED: &[&str] = &["deregistrationdate", "closeddate", "closed", "regend"];

fn squash(h: &str) -> String {
    h.trim()
        .trim_start_matches('\u{feff}')
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '_' && *c != '-')
        .flat_map(char::to_lowercase)
        .collect()
}

/// A date in a provider list: dd/mm/yyyy, yyyy-mm-dd (with or without a time after it).
fn list_date(v: &str) -> Option<NaiveDate> {
    let v = v.trim();
    let day = v.split([' ', 'T']).next().unwrap_or("");
    NaiveDate::parse_from_str(day, "%d/%m/%Y")
        .or_else(|_| NaiveDate::parse_from_str(day, "%Y-%m-%d"))
        .ok()
}

/// One sheet of a provider list: a name (for errors) and its rows of cells as text, dates as
/// dd/mm/yyyy.
pub struct Sheet {
    pub name: String,
    pub rows: Vec<Vec<String>>,
}

impl ProviderList {
    /// Reads one provider list file: an Excel workbook as Ofsted publishes it, or CSV (see
    /// [`ProviderList::add_file`]).
    pub fn read(file: &str, data: &[u8]) -> Result<ProviderList, ReadError> {
        let mut list = ProviderList::default();
        list.add_file(file, data)?;
        Ok(list)
    }

    /// Adds the providers of one file to the list. An Excel workbook (Ofsted's published
    /// "Children's homes" list, with a "Provider information" sheet or the "Settings and
    /// Inspection Info" and "Address Details" sheets, or the "Social care providers" list with
    /// its current and closed providers sheets) is read sheet by sheet, each sheet with a URN
    /// column and at least one other column used adding to the providers (other sheets are
    /// passed over); any other file is read as one CSV sheet (see [`ProviderList::add_sheet`]).
    pub fn add_file(&mut self, file: &str, data: &[u8]) -> Result<(), ReadError> {
        if data.starts_with(b"PK\x03\x04") || data.starts_with(b"\xD0\xCF\x11\xE0") {
            return self.add_workbook(file, data);
        }
        let mut rdr = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(data);
        let mut rows = Vec::new();
        for (i, rec) in rdr.records().enumerate() {
            let rec = rec.map_err(|e| ReadError {
                file: file.to_string(),
                row: Some(i + 1),
                column: None,
                reason: format!("not readable as CSV: {e}"),
            })?;
            rows.push(rec.iter().map(str::to_string).collect());
        }
        self.add_sheet(
            file,
            &Sheet {
                name: String::new(),
                rows,
            },
        )
    }

    fn add_workbook(&mut self, file: &str, data: &[u8]) -> Result<(), ReadError> {
        use calamine::{Data, Reader};
        let err = |reason: String| ReadError {
            file: file.to_string(),
            row: None,
            column: None,
            reason,
        };
        let mut book = calamine::open_workbook_auto_from_rs(std::io::Cursor::new(data))
            .map_err(|e| err(format!("not readable as a workbook: {e}")))?;
        let excel_epoch = NaiveDate::from_ymd_opt(1899, 12, 30).expect("valid");
        let mut used = 0;
        for name in book.sheet_names() {
            let range = book
                .worksheet_range(&name)
                .map_err(|e| err(format!("sheet {name} not readable: {e}")))?;
            // Rows above the first used cell are left out of the range; put them back so that
            // errors give the sheet's own row numbers.
            let above = range.start().map_or(0, |(row, _)| row as usize);
            let rows = std::iter::repeat_n(&[][..], above)
                .chain(range.rows())
                .map(|r| {
                    r.iter()
                        .map(|c| match c {
                            Data::Empty | Data::Error(_) => String::new(),
                            Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => {
                                s.clone()
                            }
                            Data::Int(i) => i.to_string(),
                            // Whole numbers (URNs typed as numbers) without a decimal point.
                            Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => {
                                (*f as i64).to_string()
                            }
                            Data::Float(f) => f.to_string(),
                            Data::Bool(b) => b.to_string(),
                            Data::DateTime(d) => excel_epoch
                                .checked_add_days(chrono::Days::new(d.as_f64().max(0.0) as u64))
                                .map(|d| d.format("%d/%m/%Y").to_string())
                                .unwrap_or_default(),
                        })
                        .collect()
                })
                .collect();
            let sheet = Sheet { name, rows };
            match self.add_sheet(file, &sheet) {
                Ok(()) => used += 1,
                // A sheet of something else (notes, a key) is passed over.
                Err(e)
                    if e.row.is_none()
                        || (e.column.is_none()
                            && e.reason.starts_with("a URN column but none")) => {}
                Err(e) => return Err(e),
            }
        }
        if used == 0 {
            return Err(err(
                "no sheet has a URN column with placement codes, provider codes, setting \
                 postcodes or closure dates"
                    .into(),
            ));
        }
        Ok(())
    }

    /// Adds the providers of one sheet. Its header is the first row with a `URN` column (Ofsted's
    /// workbooks have title rows above it). The other columns are each optional, so that a sheet
    /// with only URN and postcode (the children's homes list's "Address Details") fills in what
    /// another sheet left out: the placement codes (`Placement code` or `Provider Placement
    /// Code`), provider codes (`Placement provider code` or `Provider Code`), postcode (`Setting
    /// postcode` or `Setting Address Postcode`) and closure date (`Deregistration date` or
    /// `Closed Date`). Codes may be separated by commas, slashes or spaces. A sheet with a
    /// URN column but none of the others is an error, as are a bad date and a bad code.
    pub fn add_sheet(&mut self, file: &str, sheet: &Sheet) -> Result<(), ReadError> {
        let place = if sheet.name.is_empty() {
            file.to_string()
        } else {
            format!("{file} (sheet {})", sheet.name)
        };
        let err = |row: usize, column: Option<&str>, reason: String| ReadError {
            file: place.clone(),
            row: Some(row),
            column: column.map(str::to_string),
            reason,
        };
        let Some(h) = sheet
            .rows
            .iter()
            .position(|r| r.iter().any(|c| PR_URN.contains(&squash(c).as_str())))
        else {
            return Err(ReadError {
                file: place.clone(),
                row: None,
                column: None,
                reason: "no URN column in any row".into(),
            });
        };
        let header: Vec<String> = sheet.rows[h].iter().map(|c| squash(c)).collect();
        let col = |names: &[&str]| {
            names
                .iter()
                .find_map(|n| header.iter().position(|c| c == n))
        };
        let urn = col(PR_URN).expect("found above");
        let (pl, pr, pc, cl) = (
            col(PR_PLACE),
            col(PR_PROVIDER),
            col(PR_POSTCODE),
            col(PR_CLOSED),
        );
        if pl.is_none() && pr.is_none() && pc.is_none() && cl.is_none() {
            return Err(err(
                h + 1,
                None,
                "a URN column but none of placement code, provider code, setting postcode or \
                 closed/deregistration date"
                    .into(),
            ));
        }
        let name = |i: usize| sheet.rows[h][i].trim().to_string();
        for (k, r) in sheet.rows.iter().enumerate().skip(h + 1) {
            let line = k + 1;
            let get = |i: Option<usize>| i.and_then(|i| r.get(i)).map(|v| v.trim()).unwrap_or("");
            let id = get(Some(urn)).to_ascii_uppercase();
            if id.is_empty() {
                continue;
            }
            let codes =
                |i: Option<usize>, ok: fn(&str) -> bool| -> Result<Vec<String>, ReadError> {
                    let mut v = Vec::new();
                    for c in get(i).split([',', '/', ' ', ';']).filter(|c| !c.is_empty()) {
                        let c = c.to_ascii_uppercase();
                        if !ok(&c) {
                            return Err(err(
                                line,
                                Some(&name(i.expect("has a value"))),
                                format!("{c:?} is not a 903 code"),
                            ));
                        }
                        v.push(c);
                    }
                    Ok(v)
                };
            let place_codes = codes(pl, |c| {
                (2..=3).contains(&c.len())
                    && c.as_bytes()[0].is_ascii_uppercase()
                    && c.as_bytes()[1..].iter().all(u8::is_ascii_digit)
            })?;
            let provider_codes = codes(pr, |c| {
                c.len() == 3 && c.starts_with("PR") && c.as_bytes()[2].is_ascii_digit()
            })?;
            let postcode = Some(normalise_postcode(get(pc))).filter(|p| !p.is_empty());
            let closed = match get(cl) {
                "" => None,
                v => Some(list_date(v).ok_or_else(|| {
                    err(
                        line,
                        Some(&name(cl.expect("has a value"))),
                        format!("{v:?} is not a date (dd/mm/yyyy or yyyy-mm-dd)"),
                    )
                })?),
            };
            let p = self.providers.entry(id).or_default();
            for c in place_codes {
                if !p.place_codes.contains(&c) {
                    p.place_codes.push(c);
                }
            }
            for c in provider_codes {
                if !p.provider_codes.contains(&c) {
                    p.provider_codes.push(c);
                }
            }
            if p.postcode.is_none() {
                p.postcode = postcode;
            }
            if p.closed.is_none() {
                p.closed = closed;
            }
        }
        Ok(())
    }

    pub fn get(&self, urn: &str) -> Option<&Provider> {
        self.providers.get(&urn.trim().to_ascii_uppercase())
    }

    pub fn len(&self) -> usize {
        self.providers.len()
    }

    pub fn is_empty(&self) -> bool {
        self.providers.is_empty()
    }
}

/// The reference data given for a validation; any part may be missing, and the rules needing it
/// are then reported as skipped.
#[derive(Debug, Clone, Default)]
pub struct Reference {
    pub postcodes: Option<PostcodeDirectory>,
    pub providers: Option<ProviderList>,
    /// The council's own upper-tier GSS code (see the module notes), upper case.
    pub la: Option<String>,
}

/// Checks a council's LA code: an ONS GSS code of an English upper-tier authority (E06, E08,
/// E09 or E10 and six digits). Returns it upper case.
pub fn check_la_code(code: &str) -> Result<String, String> {
    let c = code.trim().to_ascii_uppercase();
    let b = c.as_bytes();
    if b.len() == 9
        && c.get(..3)
            .is_some_and(|p| ["E06", "E08", "E09", "E10"].contains(&p))
        && b[3..].iter().all(u8::is_ascii_digit)
    {
        Ok(c)
    } else {
        Err(format!(
            "{code:?} is not the ONS GSS code of an English council with children's services \
             (E06, E08, E09 or E10 then six digits, for example E08000016)"
        ))
    }
}
