//! Reading one 903 CSV table into rows.
//!
//! Nearly every 903 file is plain: valid UTF-8 with no quoted values. Such a file is split by hand
//! in one pass over its bytes, each value copied once into its cell. Any other file (one with a
//! `"` anywhere, or not valid UTF-8) is read by the `csv` crate, as before. The two give the same
//! rows and the same errors, because on a plain file the `csv` crate's reading is exactly this:
//! a UTF-8 byte order mark at the start is dropped, CR, LF and CRLF each end a record, empty lines
//! are no records, and values are the text between commas.

use super::{ReadError, Rows, Table, identify};

fn error(file: &str, row: Option<usize>, reason: String) -> ReadError {
    ReadError {
        file: file.to_string(),
        row,
        column: None,
        reason,
    }
}

/// Reads one CSV table.
pub fn read_table(file: &str, data: &[u8]) -> Result<(Table, Rows), ReadError> {
    // `contains` on bytes is a memchr.
    match std::str::from_utf8(data) {
        Ok(text) if !data.contains(&b'"') => read_plain(file, text),
        _ => read_general(file, data),
    }
}

/// The records of a plain file, one at a time, as the values between commas.
struct Plain<'a> {
    text: &'a str,
    at: usize,
}

impl<'a> Plain<'a> {
    /// The next record's values into `out` (cleared first); false at the end of the file.
    fn next(&mut self, out: &mut Vec<&'a str>) -> bool {
        out.clear();
        let bytes = self.text.as_bytes();
        let mut start = self.at;
        let mut k = self.at;
        while k < bytes.len() {
            match bytes[k] {
                b',' => {
                    out.push(&self.text[start..k]);
                    start = k + 1;
                }
                b'\n' | b'\r' => {
                    if out.is_empty() && start == k {
                        // An empty line is no record.
                        start = k + 1;
                    } else {
                        out.push(&self.text[start..k]);
                        self.at = k + 1;
                        return true;
                    }
                }
                _ => {}
            }
            k += 1;
        }
        self.at = bytes.len();
        if out.is_empty() && start == bytes.len() {
            return false;
        }
        out.push(&self.text[start..]);
        true
    }
}

/// Reads a plain file (valid UTF-8, no `"`).
fn read_plain(file: &str, text: &str) -> Result<(Table, Rows), ReadError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut records = Plain { text, at: 0 };
    let mut values = Vec::new();
    if !records.next(&mut values) {
        return Err(error(file, None, "the file is empty".into()));
    }
    let header: Vec<String> = values.iter().map(|v| v.to_string()).collect();
    let (table, positions) = identify(file, &header)?;
    // About one row a line; the estimate only saves the vector growing.
    let lines = text.len() / 48 + 1;
    let mut rows = Vec::with_capacity(lines);
    let mut i = 0;
    while records.next(&mut values) {
        let line = i + 2;
        i += 1;
        if values.iter().all(|v| v.trim().is_empty()) {
            continue;
        }
        if values.len() != header.len() {
            return Err(error(
                file,
                Some(line),
                format!(
                    "{} values where the header has {} columns",
                    values.len(),
                    header.len()
                ),
            ));
        }
        rows.push(
            positions
                .iter()
                .map(|p| super::facts::trim(values[*p]).to_string())
                .collect(),
        );
    }
    rows.shrink_to_fit();
    Ok((table, Rows { rows }))
}

/// Reads any other file with the `csv` crate (quoted values, or bytes that are not UTF-8, which
/// it reports with where they are).
fn read_general(file: &str, data: &[u8]) -> Result<(Table, Rows), ReadError> {
    let err = |row: Option<usize>, reason: String| error(file, row, reason);
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(data);
    let mut records = rdr.records();
    let header = match records.next() {
        Some(Ok(h)) => h.iter().map(str::to_string).collect::<Vec<_>>(),
        Some(Err(e)) => return Err(err(Some(1), format!("not readable as CSV: {e}"))),
        None => return Err(err(None, "the file is empty".into())),
    };
    let (table, positions) = identify(file, &header)?;
    let mut rows = Vec::new();
    for (i, rec) in records.enumerate() {
        let line = i + 2;
        let rec = rec.map_err(|e| err(Some(line), format!("not readable as CSV: {e}")))?;
        if rec.iter().all(|v| v.trim().is_empty()) {
            continue;
        }
        if rec.len() != header.len() {
            return Err(err(
                Some(line),
                format!(
                    "{} values where the header has {} columns",
                    rec.len(),
                    header.len()
                ),
            ));
        }
        rows.push(
            positions
                .iter()
                .map(|p| rec.get(*p).unwrap_or("").trim().to_string())
                .collect(),
        );
    }
    Ok((table, Rows { rows }))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The plain reader and the csv crate agree, row for row and error for error.
    #[test]
    fn plain_files_read_as_the_csv_crate_reads_them() {
        let header = "CHILD,DOB,REVIEW,REVIEW_CODE";
        let cases = [
            format!("{header}\n1,01/01/2010,01/06/2025,PN1\n"),
            format!("\u{feff}{header}\r\n1,01/01/2010,01/06/2025,PN1\r\n2, x ,,\r\n"),
            format!("{header}\r\r\n\n1,a,b,c\r2,d,e,f"),
            format!("{header}\n,,,\n1,a,b\n"),
            format!("{header}\n\n\n1,a,b,c,d\n"),
            format!("{header}\n 1 ,\u{a0}a\u{a0},b,c\n   \n"),
            header.to_string(),
            format!("\n\n{header}\n1,a,b,c"),
            String::new(),
            "\r\n\r\n".to_string(),
            "CHILD,DOB\n1,2\n".to_string(),
            format!("{}\n1,a,b,c\n", header.to_lowercase()),
        ];
        for case in &cases {
            assert_eq!(
                read_plain("f.csv", case),
                read_general("f.csv", case.as_bytes()),
                "{case:?}"
            );
        }
    }
}
