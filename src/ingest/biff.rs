//! A guard in front of calamine's reader of an `.xls` workbook's stream
//! (BIFF records). calamine reads every sheet of an `.xls` when it opens
//! the file and lays each one out whole, as a dense block from its first
//! cell to its farthest, so two damaged numbers in a 5.6 KB file made it ask
//! for more memory than any machine has, and the process aborted with no
//! word of which file was at fault (fuzz/README.md findings 8 and 9):
//!
//! - a sheet's DIMENSIONS record claims its size, and calamine reserves room
//!   for every cell of the claim before reading one (515 GB asked for);
//! - a cell stored in column 65,000 (an `.xls` has 256) stretches the block
//!   to it (22.8 GB asked for).
//!
//! An `.xls` sheet has at most 65,536 rows and 256 columns, so a claim
//! beyond that is refused as damage: no spreadsheet program writes one.
//! The blocks a workbook's sheets would take are bounded more tightly, to
//! 65,536 rows × 64 columns in all (a full-height sheet of 64 columns, far
//! more than any exam's file; about 300 MB with the copy calamine hands
//! out, and the exam's files are read at the same time): a real sheet that
//! large, or a stray entry far from the data, is better read as `.xlsx`,
//! cell by cell, and the message says so. The records are walked as calamine walks them: the workbook's
//! own records up to their end, then each sheet from where the workbook
//! says it starts, with a chart's records inside a sheet skipped. Where
//! calamine would stop at a broken record this walk keeps counting, which
//! can only make it stricter with a file calamine refuses anyway.

/// An `.xls` sheet's last row and column, counted from 1.
const ROWS: u64 = 65_536;
const COLS: u64 = 256;
/// The cells calamine may lay out for one workbook's sheets, in all: each
/// takes 32 bytes, and 24 in the block of formulas.
const CELLS: u64 = ROWS * 64;

use super::cfb::{word as u32_at, Layout};
use crate::error::cell_ref;

/// What calamine, reading this workbook stream, lays out: refused if it
/// would reserve or lay out more than an `.xls` can hold.
pub fn layout(stream: &[u8]) -> Layout {
    let mut starts = Vec::new();
    for record in Records(stream) {
        // A broken record: calamine fails before it reads any sheet.
        let Ok((typ, data)) = record else {
            return Layout::Fails;
        };
        match typ {
            // BoundSheet8: where a sheet's records start.
            0x0085 if data.len() >= 4 => starts.push(u32_at(data, 0) as usize),
            0x000A => break, // EOF
            _ => {}
        }
    }
    let mut total = 0u64;
    let mut sheets = Vec::new();
    for (i, start) in starts.into_iter().enumerate() {
        // A start past the stream's end: calamine panics there, and reads
        // no later sheet.
        let Some(records) = stream.get(start..) else {
            return Layout::Fails;
        };
        let sheet = Sheet::walk(records).map_err(|claim| {
            format!(
                "its sheet {} claims {} and {}, more than an .xls sheet has (65,536 rows, 256 columns); no spreadsheet program writes this: ask for a fresh copy, or open it in Excel or LibreOffice and save it as .xlsx",
                i + 1,
                count(claim.0, "row"),
                count(claim.1, "column")
            )
        });
        let sheet = match sheet {
            Ok(sheet) => sheet,
            Err(problem) => return Layout::Refused(problem),
        };
        total = total.saturating_add(sheet.cells.area() + sheet.formulas.area());
        if total > CELLS {
            let span = sheet.cells.join(&sheet.formulas);
            return Layout::Refused(format!(
                "its sheets span {} cells from their first cells to their farthest (sheet {}: {} to {}), more than the {} (65,536 rows × 64 columns) meritlist reads from an .xls, whose reader holds every cell of the span in memory; save it as .xlsx, which is read cell by cell, or delete a stray entry far from the data; a damaged file: ask for a fresh copy",
                group(total),
                i + 1,
                span.first(),
                span.last(),
                group(CELLS),
            ));
        }
        sheets.push(sheet);
    }
    Layout::Sheets(sheets)
}

/// A problem if [`layout`] refuses the stream.
#[cfg(test)]
fn check(stream: &[u8]) -> Option<String> {
    match layout(stream) {
        Layout::Refused(problem) => Some(problem),
        _ => None,
    }
}

/// What calamine lays out for one sheet: the block of its cells (values)
/// and the block of its formulas, each a dense range from the nearest
/// cell to the farthest. Each block here holds calamine's (it counts
/// every cell calamine might).
#[derive(Default, Debug)]
pub struct Sheet {
    pub cells: Span,
    pub formulas: Span,
}

impl Sheet {
    /// The sheet whose records start `records`, or the rows and columns
    /// a DIMENSIONS record claims beyond an `.xls` sheet's.
    fn walk(records: &[u8]) -> Result<Sheet, (u64, u64)> {
        let mut sheet = Sheet::default();
        let mut seen_bof = false;
        let mut nested = 0usize;
        // A String record gives the value of the last formula's cell.
        let mut formula_cell = (0u32, 0u32);
        for record in Records(records) {
            let Ok((typ, data)) = record else { break };
            if nested > 0 {
                // A chart or other substream inside the sheet: skipped.
                match typ {
                    0x0809 => nested += 1,
                    0x000A => nested -= 1,
                    _ => {}
                }
                continue;
            }
            let at = |d: &[u8]| (u16_at(d, 0) as u32, u16_at(d, 2) as u32);
            match typ {
                0x0809 if seen_bof => nested += 1, // BOF of a substream
                0x0809 => seen_bof = true,         // the sheet's own BOF
                0x0200 => {
                    if let Some((rows, cols)) = dimensions(data) {
                        if rows > ROWS || cols > COLS {
                            return Err((rows, cols));
                        }
                    }
                }
                // Number, Label, RString, BoolErr, RK, LabelSst: one cell.
                0x0203 | 0x0204 | 0x00D6 | 0x0205 | 0x027E | 0x00FD if data.len() >= 4 => {
                    sheet.cells.add(at(data));
                }
                // String: the value of the formula before it.
                0x0207 => sheet.cells.add(formula_cell),
                // MulRk: a run of cells from a first column, one per
                // 6 bytes between the 4-byte head and the 2-byte tail.
                0x00BD if data.len() >= 6 => {
                    let (row, first) = at(data);
                    let n = (data.len() - 6).div_ceil(6) as u32;
                    if n > 0 {
                        sheet.cells.add((row, first));
                        sheet.cells.add((row, first + n - 1));
                    }
                }
                // Formula: a formula, and usually its value.
                0x0006 if data.len() >= 4 => {
                    formula_cell = at(data);
                    sheet.cells.add(formula_cell);
                    sheet.formulas.add(formula_cell);
                }
                0x000A => break, // EOF
                _ => {}
            }
        }
        Ok(sheet)
    }
}

/// The rows and columns for which calamine reserves room on reading a
/// DIMENSIONS record (its `parse_dimensions`, then the count it takes,
/// with u32 arithmetic that wraps as the release build's does); `None`
/// for a length it refuses.
fn dimensions(d: &[u8]) -> Option<(u64, u64)> {
    let (first_row, row_end, mut first_col, col_end) = match d.len() {
        10 => (
            u16_at(d, 0) as u32,
            u16_at(d, 2) as u32,
            u16_at(d, 4) as u32,
            u16_at(d, 6) as u32,
        ),
        14 | 16 => (
            u32_at(d, 0),
            u32_at(d, 4),
            u16_at(d, 8) as u32,
            u16_at(d, 10) as u32,
        ),
        _ => return None,
    };
    if first_col > 0xFF || col_end < first_col {
        first_col = 0;
    }
    let (last_row, last_col) = if row_end >= 1 && col_end >= 1 {
        (row_end - 1, col_end - 1)
    } else {
        (first_row, first_col)
    };
    let count = |first: u32, last: u32| last.wrapping_sub(first).wrapping_add(1) as u64;
    Some((count(first_row, last_row), count(first_col, last_col)))
}

/// The smallest block holding some cells (rows and columns from 0).
#[derive(Default, Clone, Copy, Debug)]
pub struct Span(Option<((u32, u32), (u32, u32))>);

impl Span {
    /// Whether the block holds the cell at `(row, col)`.
    pub fn holds(&self, (row, col): (u32, u32)) -> bool {
        self.0
            .is_some_and(|(lo, hi)| (lo.0..=hi.0).contains(&row) && (lo.1..=hi.1).contains(&col))
    }

    fn add(&mut self, (row, col): (u32, u32)) {
        self.0 = Some(match self.0 {
            None => ((row, col), (row, col)),
            Some((lo, hi)) => (
                (lo.0.min(row), lo.1.min(col)),
                (hi.0.max(row), hi.1.max(col)),
            ),
        });
    }

    fn join(mut self, other: &Span) -> Span {
        if let Some((lo, hi)) = other.0 {
            self.add(lo);
            self.add(hi);
        }
        self
    }

    /// How many cells calamine's dense range for it holds.
    fn area(&self) -> u64 {
        self.0.map_or(0, |(lo, hi)| {
            (hi.0 - lo.0 + 1) as u64 * (hi.1 - lo.1 + 1) as u64
        })
    }

    fn first(&self) -> String {
        self.0
            .map_or_else(String::new, |((row, col), _)| cell_ref(row, col))
    }

    fn last(&self) -> String {
        self.0
            .map_or_else(String::new, |(_, (row, col))| cell_ref(row, col))
    }
}

/// "1 row", "65,537 rows".
fn count(n: u64, what: &str) -> String {
    format!("{} {what}{}", group(n), if n == 1 { "" } else { "s" })
}

/// 1234567 as "1,234,567".
pub(super) fn group(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn u16_at(d: &[u8], at: usize) -> u16 {
    u16::from_le_bytes([d[at], d[at + 1]])
}

/// calamine's `RecordIter`: a record is a 2-byte type, a 2-byte length and
/// its data; the Continue records (0x003C) after it are passed over with
/// it. `Err` where calamine's fails (the stream ends inside a record);
/// calamine stops there, and so does every walk here.
struct Records<'a>(&'a [u8]);

impl<'a> Iterator for Records<'a> {
    type Item = Result<(u16, &'a [u8]), ()>;

    fn next(&mut self) -> Option<Self::Item> {
        let s = self.0;
        if s.len() < 4 {
            return (!s.is_empty()).then_some(Err(()));
        }
        let typ = u16_at(s, 0);
        let len = u16_at(s, 2) as usize;
        if s.len() < len + 4 {
            return Some(Err(()));
        }
        let data = &s[4..len + 4];
        self.0 = &s[len + 4..];
        while self.0.len() > 4 && u16_at(self.0, 0) == 0x003C {
            let len = u16_at(self.0, 2) as usize;
            if self.0.len() < len + 4 {
                return Some(Err(()));
            }
            self.0 = &self.0[len + 4..];
        }
        Some(Ok((typ, data)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(typ: u16, data: &[u8]) -> Vec<u8> {
        let mut r = typ.to_le_bytes().to_vec();
        r.extend((data.len() as u16).to_le_bytes());
        r.extend(data);
        r
    }

    fn cell(typ: u16, row: u16, col: u16, rest: usize) -> Vec<u8> {
        let mut d = row.to_le_bytes().to_vec();
        d.extend(col.to_le_bytes());
        d.resize(4 + rest, 0);
        record(typ, &d)
    }

    fn dims(rows: (u32, u32), cols: (u16, u16)) -> Vec<u8> {
        let mut d = rows.0.to_le_bytes().to_vec();
        d.extend(rows.1.to_le_bytes());
        d.extend(cols.0.to_le_bytes());
        d.extend(cols.1.to_le_bytes());
        d.extend([0, 0]);
        record(0x0200, &d)
    }

    const BOF: [u8; 16] = [0, 6, 16, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];

    /// A workbook stream: its globals (a BoundSheet per sheet), then the
    /// sheets, each given as the records between its BOF and EOF.
    fn workbook(sheets: &[Vec<u8>]) -> Vec<u8> {
        let bound = |pos: u32| {
            let mut d = pos.to_le_bytes().to_vec();
            d.extend([0, 0, 1, 0, b'S']);
            record(0x0085, &d)
        };
        let head = record(0x0809, &BOF).len() + bound(0).len() * sheets.len() + 4;
        let mut pos = head;
        let mut globals = record(0x0809, &BOF);
        let mut bodies = Vec::new();
        for s in sheets {
            globals.extend(bound(pos as u32));
            let mut body = record(0x0809, &BOF);
            body.extend(s);
            body.extend(record(0x000A, &[]));
            pos += body.len();
            bodies.extend(body);
        }
        globals.extend(record(0x000A, &[]));
        assert_eq!(globals.len(), head);
        globals.extend(bodies);
        globals
    }

    #[test]
    fn a_sheet_within_an_xls_sheets_limits_passes() {
        let mut s = dims((0, 65_536), (0, 256));
        s.extend(cell(0x0203, 0, 0, 10));
        s.extend(cell(0x0203, 65_535, 63, 10));
        assert_eq!(check(&workbook(&[s])), None);
        assert_eq!(check(&workbook(&[])), None);
        assert_eq!(check(b""), None);
    }

    // fuzz/README.md finding 8.
    #[test]
    fn a_dimensions_claim_past_an_xls_sheet_is_refused() {
        let p = check(&workbook(&[dims((0, 65_537), (0, 1))])).expect("65,537 rows");
        assert!(
            p.starts_with("its sheet 1 claims 65,537 rows and 1 column, more than an .xls sheet has (65,536 rows, 256 columns); no spreadsheet program writes this"),
            "{p}"
        );
        let p = check(&workbook(&[vec![], dims((0, 1), (0, 257))])).expect("257 columns");
        assert!(
            p.starts_with("its sheet 2 claims 1 row and 257 columns"),
            "{p}"
        );
        // A first row past the last wraps round, in calamine's arithmetic,
        // to four thousand million rows.
        let p = check(&workbook(&[dims((9, 5), (0, 1))])).expect("wrapped");
        assert!(p.contains("claims 4,294,967,292 rows"), "{p}");
        // A first column past 255 is read as 0 (calamine's rule).
        assert_eq!(check(&workbook(&[dims((0, 1), (300, 256))])), None);
        // The 10-byte form (BIFF5 and before).
        let short = record(0x0200, &[0, 0, 0xFF, 0xFF, 0, 0, 0x01, 0x01, 0, 0]);
        let p = check(&workbook(&[short])).expect("257 columns");
        assert!(p.contains("claims 65,535 rows and 257 columns"), "{p}");
        // A length calamine refuses is left to it.
        assert_eq!(dimensions(&[0; 12]), None);
    }

    // fuzz/README.md finding 9.
    #[test]
    fn cells_spread_past_what_is_read_from_an_xls_are_refused() {
        let mut s = cell(0x0204, 0, 0, 3);
        s.extend(cell(0x027E, 65_535, 300, 6));
        let p = check(&workbook(&[s])).expect("column 301");
        assert_eq!(
            p,
            "its sheets span 19,726,336 cells from their first cells to their farthest (sheet 1: A1 to KO65536), more than the 4,194,304 (65,536 rows × 64 columns) meritlist reads from an .xls, whose reader holds every cell of the span in memory; save it as .xlsx, which is read cell by cell, or delete a stray entry far from the data; a damaged file: ask for a fresh copy"
        );
        // Two sheets, each within the bound, but not together; the values'
        // block and the formulas' block both count.
        let mut full = cell(0x0203, 0, 0, 10);
        full.extend(cell(0x00FD, 65_535, 63, 6));
        assert_eq!(check(&workbook(&[full.clone()])), None);
        let p = check(&workbook(&[full.clone(), vec![], full.clone()]));
        assert!(p.expect("two sheets").contains("(sheet 3: A1 to BL65536)"));
        let mut formula = full.clone();
        formula.extend(cell(0x0006, 5, 5, 16));
        assert!(check(&workbook(&[formula])).is_some());
        // A MulRk run counts to its last column.
        let mut run = cell(0x0203, 0, 0, 10);
        run.extend(cell(0x00BD, 65_535, 60, 6 * 10 + 2));
        let p = check(&workbook(&[run])).expect("a run to column 70");
        assert!(p.contains("A1 to BR65536"), "{p}");
        // A String record is placed at the last formula's cell.
        let mut string = cell(0x0203, 0, 0, 10);
        string.extend(cell(0x0006, 65_535, 300, 16));
        string.extend(record(0x0207, &[0, 0, 0]));
        assert!(check(&workbook(&[string])).is_some());
    }

    #[test]
    fn a_charts_records_inside_a_sheet_are_skipped_as_calamine_skips_them() {
        let mut s = cell(0x0203, 0, 0, 10);
        s.extend(record(0x0809, &BOF));
        s.extend(cell(0x0203, 65_535, 9_000, 10));
        s.extend(dims((0, 99_999_999), (0, 9_999)));
        s.extend(record(0x000A, &[]));
        s.extend(cell(0x0203, 3, 3, 10));
        assert_eq!(check(&workbook(&[s])), None);
        // Continue records go with the record before them.
        let mut c = cell(0x0203, 0, 0, 10);
        c.extend(record(0x003C, &cell(0x0203, 65_535, 9_000, 10)));
        assert_eq!(check(&workbook(&[c])), None);
    }

    #[test]
    fn a_stream_that_ends_inside_a_record_stops_the_walk() {
        let mut s = cell(0x0203, 0, 0, 10);
        s.extend([0x03, 0x02, 0xFF, 0xFF]); // longer than what is left
        s.extend(cell(0x0203, 65_535, 9_000, 10));
        assert_eq!(check(&workbook(&[s])), None);
        // In the workbook's own records: calamine reads no sheet.
        let mut w = workbook(&[cell(0x0203, 65_535, 9_000, 10)]);
        let at = record(0x0809, &BOF).len();
        w[at + 2] = 0xFF;
        w[at + 3] = 0xFF;
        assert_eq!(check(&w), None);
        assert_eq!(Records(&[1, 0, 0]).next(), Some(Err(())));
    }

    #[test]
    fn references_and_counts_read_as_in_a_spreadsheet() {
        assert_eq!(cell_ref(0, 0), "A1");
        assert_eq!(cell_ref(65_535, 255), "IV65536");
        assert_eq!(cell_ref(9, 26), "AA10");
        assert_eq!(cell_ref(0, 16_383), "XFD1");
        assert_eq!(group(0), "0");
        assert_eq!(group(999), "999");
        assert_eq!(group(1_000), "1,000");
        assert_eq!(group(16_777_216), "16,777,216");
    }
}
