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
//!
//! A cell may also show one of the workbook's shared strings (the SST
//! record, read at open), and calamine gives every such cell its own copy
//! of the string: one 32,767-letter string shown in 40,000 cells of a
//! 620 KB file is 1.3 GB of text (fuzz/README.md finding 16). The text the
//! sheets' cells would hold is counted (each shared string's length read
//! from the SST as calamine reads it, CONTINUE records and all) and bounded
//! to 64 MB, as the `.ods` reader's is.

/// An `.xls` sheet's last row and column, counted from 1.
const ROWS: u64 = 65_536;
const COLS: u64 = 256;
/// The cells calamine may lay out for one workbook's sheets, in all: each
/// takes 32 bytes, and 24 in the block of formulas.
const CELLS: u64 = ROWS * 64;
/// The text calamine may hold in one workbook's cells, in all (64 MB):
/// far more than any exam's file, and as much as an `.ods` may hold; the
/// same again for its formulas' text.
const TEXT: u64 = 64 << 20;
/// The bytes calamine may move writing out a workbook's formulas
/// ([`xls_formula`]), in all: 4 GiB, a second or so; real formulas move a
/// few times their own length.
const MOVED: u64 = 4 << 30;
/// How far calamine may read the sheets' records, in all, beyond the
/// stream's length: sheets do not overlap, so their records come to the
/// stream's length at most, but a workbook may name one sheet's start any
/// number of times, and calamine reads it again for each (fuzz/README.md
/// finding 19). Four times the stream and 16 MB leave room for a damaged
/// sheet with no end record, read on through the sheets after it.
const REREAD: u64 = 16 << 20;

/// The Continue records an SST may run on into: calamine takes each from
/// the front of a list of them, moving the rest, so a 10 MB file of empty
/// ones would take a quarter of an hour (fuzz/README.md finding 18).
/// 16,384 hold 134 MB of strings.
const PIECES: usize = 16_384;

use super::cfb::{word as u32_at, Layout};
use super::xls_formula::{self, Names};
use crate::error::cell_ref;

/// What calamine, reading this workbook stream, lays out: refused if it
/// would reserve or lay out more than an `.xls` can hold.
pub fn layout(stream: &[u8]) -> Layout {
    let mut starts = Vec::new();
    // calamine's reading of text, until a CodePage record says otherwise.
    let mut utf16 = true;
    let mut strings = Vec::new();
    // A name or sheet name is at most 255 characters, each at most 6 bytes
    // as calamine decodes them (widened to two, each up to three); a
    // missing one is written #REF!.
    let mut names = Names {
        name: 5,
        sheet: 4,
        biff8: true,
    };
    for record in Records(stream) {
        // A broken record: calamine fails before it reads any sheet.
        let Ok(Record { typ, data, cont }) = record else {
            return Layout::Fails;
        };
        match typ {
            // BoundSheet8: where a sheet's records start, and its name.
            0x0085 if data.len() >= 4 => {
                starts.push(u32_at(data, 0) as usize);
                if let Some(&cch) = data.get(6) {
                    names.sheet = names.sheet.max(6 * cch as u64);
                }
            }
            // BOF: the BIFF version, as calamine's `parse_bof` reads it.
            0x0809 => {
                let Some(version) = data.get(..2) else {
                    return Layout::Fails;
                };
                names.biff8 = match u16_at(version, 0) {
                    0x0200 | 0x0002 | 0x0007 | 0x0300 | 0x0400 | 0x0500 => false,
                    0 => !(data.len() >= 4 && u16_at(data, 2) == 0x1000),
                    _ => true,
                };
            }
            // Lbl: a defined name, which a formula may show.
            0x0018 if data.len() >= 4 => names.name = names.name.max(6 * data[3] as u64),
            // CodePage: 1200 (and 21010) is UTF-16 (little-endian),
            // calamine's default.
            0x0042 if data.len() >= 2 => utf16 = matches!(u16_at(data, 0), 1200 | 21010),
            // SST: the shared strings. One calamine cannot read fails the
            // whole workbook.
            0x00FC => {
                let pieces = Pieces { data, cont };
                if pieces.count() > PIECES {
                    return Layout::Refused(format!(
                        "its shared strings run on into {} CONTINUE records, more than the {} (134 MB of text) meritlist lets the .xls reader take, which handles each at a cost that grows with their number; the file is damaged or was not written by a spreadsheet program: ask for a fresh copy, or open it in Excel or LibreOffice and save it as .xlsx",
                        group(pieces.count() as u64),
                        group(PIECES as u64),
                    ));
                }
                match shared_strings(pieces, utf16) {
                    Some(sizes) => strings = sizes,
                    None => return Layout::Fails,
                }
            }
            0x000A => break, // EOF
            _ => {}
        }
    }
    let mut total = 0u64;
    let mut walked = 0u64;
    let walk_bound = 4 * stream.len() as u64 + REREAD;
    let mut text = 0u64;
    let mut formula_text = 0u64;
    let mut moved = 0u64;
    let mut sheets = Vec::new();
    let starts_count = starts.len();
    for (i, start) in starts.into_iter().enumerate() {
        // A start past the stream's end: calamine panics there, and reads
        // no later sheet.
        let Some(records) = stream.get(start..) else {
            return Layout::Fails;
        };
        let sheet = Sheet::walk(records, &strings, utf16, &names).map_err(|claim| {
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
        walked += sheet.walked;
        if walked > walk_bound {
            return Layout::Refused(format!(
                "its {} sheets' records overlap (a sheet starts inside another), so that the .xls reader would read {} of records from a workbook of {}, reading each sheet from its start to its end; the file is damaged or was not written by a spreadsheet program: ask for a fresh copy, or open it in Excel or LibreOffice and save it as .xlsx",
                group(starts_count as u64),
                megabytes(walked),
                megabytes(stream.len() as u64),
            ));
        }
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
        text = text.saturating_add(sheet.text);
        if text > TEXT {
            return Layout::Refused(format!(
                "its cells would hold up to {} MB of text when read (counted to the end of sheet {}), more than the {} MB meritlist reads from an .xls, whose reader gives every cell its own copy of a string the workbook shares among cells; save it as .xlsx, which is read cell by cell; if the file is damaged, ask for a fresh copy",
                group(text.div_ceil(1 << 20)),
                i + 1,
                TEXT >> 20,
            ));
        }
        formula_text = formula_text.saturating_add(sheet.formula_text);
        if formula_text > TEXT {
            return Layout::Refused(format!(
                "its formulas would come to up to {} MB of text when read (counted to the end of sheet {}), more than the {} MB meritlist reads from an .xls, whose reader writes out every formula of every sheet when it opens the file; save it as .xlsx, which is read cell by cell; if the file is damaged, ask for a fresh copy",
                group(formula_text.div_ceil(1 << 20)),
                i + 1,
                TEXT >> 20,
            ));
        }
        moved = moved.saturating_add(sheet.moved);
        if moved > MOVED {
            return Layout::Refused(format!(
                "its formulas would take the .xls reader more than {} thousand million steps to write out as text (counted to the end of sheet {}; the longest at {}), which it does for every formula when it opens the file: no real formula takes a thousandth of that; the file is damaged or was not written by a spreadsheet program: ask for a fresh copy, or save it as .xlsx",
                MOVED / 1_000_000_000,
                i + 1,
                sheet.costliest.map_or_else(String::new, |(row, col)| cell_ref(row, col)),
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
/// `text` is at least the bytes of text (UTF-8, as Rust holds it) of its
/// cells' values.
/// `formula_text` is at least that of its formulas, `moved` at least the
/// bytes calamine moves writing them out; `costliest` is the cell of the
/// formula that moves the most. `each_formula` holds the text of the first
/// [`KEPT`] formulas one by one, for the agreement check.
#[derive(Default, Debug)]
pub struct Sheet {
    pub cells: Span,
    pub formulas: Span,
    pub text: u64,
    pub formula_text: u64,
    pub moved: u64,
    costliest: Option<(u32, u32)>,
    most_moved: u64,
    pub each_formula: Vec<((u32, u32), u64)>,
    /// The bytes of records read, from its start to where calamine stops.
    walked: u64,
}

/// The formulas of a sheet whose text is kept one by one (1 MB).
const KEPT: usize = 65_536;

impl Sheet {
    /// The sheet whose records start `records`, or the rows and columns
    /// a DIMENSIONS record claims beyond an `.xls` sheet's. `strings` are
    /// the shared strings' sizes, as [`shared_strings`] gives them.
    fn walk(
        records: &[u8],
        strings: &[u64],
        utf16: bool,
        names: &Names,
    ) -> Result<Sheet, (u64, u64)> {
        let mut sheet = Sheet::default();
        let mut seen_bof = false;
        let mut nested = 0usize;
        // A String record gives the value of the last formula's cell.
        let mut formula_cell = (0u32, 0u32);
        // A text value's own characters take at most two bytes each when
        // stored one byte each and read as UTF-16 (Latin-1, widened), at
        // most three for two bytes; six for a byte read in another code page
        // (widened to two, each at most three).
        let per_byte = if utf16 { 3 } else { 6 };
        let mut walk = Records(records);
        for record in walk.by_ref() {
            let Ok(Record { typ, data, .. }) = record else {
                break;
            };
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
                    sheet.text += match typ {
                        // Label, RString: text of its own, in the record.
                        0x0204 | 0x00D6 => per_byte * data.len() as u64,
                        // LabelSst: a copy of shared string number isst.
                        0x00FD if data.len() >= 10 => {
                            let isst = u32_at(data, 6) as usize;
                            strings.get(isst).copied().unwrap_or(0)
                        }
                        _ => 0,
                    };
                }
                // String: the value of the formula before it.
                0x0207 => {
                    sheet.cells.add(formula_cell);
                    sheet.text += per_byte * data.len() as u64;
                }
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
                    // calamine writes out the formula of a record of 20
                    // bytes or more, from byte 20.
                    if let Some(rgce) = data.get(20..) {
                        let cost = xls_formula::cost(rgce, names);
                        sheet.formula_text += cost.text;
                        if sheet.each_formula.len() < KEPT {
                            sheet.each_formula.push((formula_cell, cost.text));
                        }
                        sheet.moved = sheet.moved.saturating_add(cost.moved);
                        if cost.moved > sheet.most_moved {
                            sheet.most_moved = cost.moved;
                            sheet.costliest = Some(formula_cell);
                        }
                    }
                }
                0x000A => break, // EOF
                _ => {}
            }
        }
        sheet.walked = (records.len() - walk.0.len()) as u64;
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

/// 1,572,864 bytes as "1.5 MB".
fn megabytes(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / (1 << 20) as f64)
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

/// One record as calamine's `RecordIter` gives it: its type, its data, and
/// the CONTINUE records (0x003C) that follow it, whole (type, length and
/// data each), which hold the rest of a long record's data.
#[derive(Debug, PartialEq)]
struct Record<'a> {
    typ: u16,
    data: &'a [u8],
    cont: &'a [u8],
}

/// calamine's `RecordIter`: a record is a 2-byte type, a 2-byte length and
/// its data; the Continue records after it go with it. `Err` where
/// calamine's fails (the stream ends inside a record); calamine stops
/// there, and so does every walk here.
struct Records<'a>(&'a [u8]);

impl<'a> Iterator for Records<'a> {
    type Item = Result<Record<'a>, ()>;

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
        let cont = self.0;
        // calamine's test: a Continue record counts only with more than its
        // 4-byte head left in the stream.
        while self.0.len() > 4 && u16_at(self.0, 0) == 0x003C {
            let len = u16_at(self.0, 2) as usize;
            if self.0.len() < len + 4 {
                return Some(Err(()));
            }
            self.0 = &self.0[len + 4..];
        }
        let cont = &cont[..cont.len() - self.0.len()];
        Some(Ok(Record { typ, data, cont }))
    }
}

/// A record's data read on into its Continue records, as calamine's
/// `Record` reads it (`data` what is left of the piece being read, `cont`
/// the Continue records not yet begun).
struct Pieces<'a> {
    data: &'a [u8],
    cont: &'a [u8],
}

impl Pieces<'_> {
    /// calamine's `continue_record`: the next Continue record's data, if
    /// there is one. [`Records`] has checked their lengths.
    fn next_piece(&mut self) -> bool {
        if self.cont.len() < 4 {
            return false;
        }
        let len = u16_at(self.cont, 2) as usize;
        self.data = &self.cont[4..4 + len];
        self.cont = &self.cont[4 + len..];
        true
    }

    /// How many Continue records are left.
    fn count(&self) -> usize {
        let mut rest = Pieces {
            data: &[],
            cont: self.cont,
        };
        let mut n = 0;
        while rest.next_piece() {
            n += 1;
        }
        n
    }

    /// calamine's `skip`: `None` where it fails.
    fn skip(&mut self, mut len: usize) -> Option<()> {
        while len > 0 {
            if self.data.is_empty() && !self.next_piece() {
                return None;
            }
            let l = len.min(self.data.len());
            self.data = &self.data[l..];
            len -= l;
        }
        Some(())
    }

    /// The next `n` bytes of this piece, `None` if it is shorter (where
    /// calamine panics, which fails the workbook).
    fn take(&mut self, n: usize) -> Option<&[u8]> {
        let (head, rest) = self.data.split_at_checked(n)?;
        self.data = rest;
        Some(head)
    }
}

/// The size of each shared string calamine reads from an SST record
/// (`parse_sst`, `read_rich_extended_string`, `read_dbcs`): at least its
/// length in UTF-8, exactly for a workbook in UTF-16 (calamine's default,
/// and what Excel writes). `None` where calamine fails.
fn shared_strings(mut r: Pieces, utf16: bool) -> Option<Vec<u64>> {
    r.take(8)?; // cstTotal, cstUnique
    let mut sizes = Vec::new();
    while !r.data.is_empty() || r.next_piece() {
        if r.data.is_empty() {
            sizes.push(0); // an empty Continue record: an empty string
            continue;
        }
        let head = r.take(3)?;
        let (mut chars, flags) = (u16_at(head, 0) as usize, head[2]);
        let runs = if flags & 0x8 != 0 {
            u16_at(r.take(2)?, 0) as usize
        } else {
            0
        };
        // cbExtRst, an i32 read as a usize: a negative one cannot be skipped.
        let ext = if flags & 0x4 != 0 {
            i32::from_le_bytes(r.take(4)?.try_into().ok()?) as usize
        } else {
            0
        };
        let mut wide = flags & 0x1 != 0;
        let mut size = 0u64;
        while chars > 0 {
            let n = if wide {
                chars.min(r.data.len() / 2)
            } else {
                chars.min(r.data.len())
            };
            let stored = r.take(if wide { 2 * n } else { n })?;
            size += decoded(stored, wide, utf16);
            chars -= n;
            if chars > 0 {
                // The string goes on in the next Continue record, which
                // starts with a fresh flags byte.
                if !r.next_piece() {
                    return None;
                }
                wide = r.take(1)?[0] & 0x1 != 0;
            }
        }
        r.skip(runs * 4)?;
        r.skip(ext)?;
        sizes.push(size);
    }
    Some(sizes)
}

/// At least the UTF-8 length of `stored` as calamine decodes it: one byte
/// per character (`wide` false), widened to two with a zero high byte, or
/// two bytes per character; then decoded in the workbook's code page. In
/// UTF-16 a widened byte is a Latin-1 letter (one or two bytes) and a
/// 16-bit unit at most three bytes (a pair of them four); encoding_rs
/// reads a stretch starting with the UTF-8 mark as UTF-8, at most three
/// bytes a byte. In any other code page a byte, or the zero beside it, is
/// at most three.
fn decoded(stored: &[u8], wide: bool, utf16: bool) -> u64 {
    let n = stored.len() as u64;
    match (utf16, wide) {
        (true, false) => stored.iter().map(|&b| 1 + u64::from(b >= 0x80)).sum(),
        (true, true) if !stored.starts_with(&[0xEF, 0xBB, 0xBF]) => n / 2 * 3,
        (_, true) => 3 * n,
        (false, false) => 6 * n,
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

    /// An SST record: its 8-byte head, then `body` cut into the record's
    /// data and Continue records at `cuts` (offsets into `body`).
    fn sst(body: &[u8], cuts: &[usize]) -> Vec<u8> {
        let mut data = vec![0; 8];
        let mut from = 0;
        let mut out = Vec::new();
        for &cut in cuts.iter().chain([&body.len()]) {
            data.extend(&body[from..cut]);
            out.extend(record(if from == 0 { 0x00FC } else { 0x003C }, &data));
            data.clear();
            from = cut;
        }
        out
    }

    fn sizes(sst: &[u8], utf16: bool) -> Option<Vec<u64>> {
        let Some(Ok(r)) = Records(sst).next() else {
            panic!("one record")
        };
        shared_strings(
            Pieces {
                data: r.data,
                cont: r.cont,
            },
            utf16,
        )
    }

    /// An XLUnicodeRichExtendedString: `cch`, flags, then `rest`.
    fn string(cch: u16, flags: u8, rest: &[u8]) -> Vec<u8> {
        let mut s = cch.to_le_bytes().to_vec();
        s.push(flags);
        s.extend(rest);
        s
    }

    // fuzz/README.md finding 16.
    #[test]
    fn shared_strings_are_measured_as_calamine_reads_them() {
        // One-byte characters (Latin-1 in UTF-16: "é" takes two bytes),
        // and two-byte ones ("Ω" takes two, "€" three).
        let mut body = string(3, 0, b"a\xE9b");
        body.extend(string(2, 1, &[0xA9, 0x03, 0xAC, 0x20]));
        assert_eq!(sizes(&sst(&body, &[]), true), Some(vec![4, 6]));
        // In another code page a byte may take up to three, widened to two.
        assert_eq!(sizes(&sst(&body, &[]), false), Some(vec![18, 12]));
        // A string cut by a Continue record resumes after a flags byte of
        // its own: here two one-byte characters, then two two-byte ones.
        let mut body = string(4, 0, b"ab");
        body.extend([1, 0x41, 0, 0x42, 0]);
        body.extend(string(1, 0, b"z"));
        assert_eq!(sizes(&sst(&body, &[5]), true), Some(vec![8, 1]));
        // Formatting runs (4 bytes each) and an ExtRst are skipped, across
        // Continue records too; an empty Continue record is an empty string.
        let mut body = string(2, 0x8 | 0x4, &[2, 0, 3, 0, 0, 0]);
        body.extend(b"xy");
        body.extend([0; 8 + 3]);
        let cut = body.len() - 5;
        body.extend(string(1, 0, b"q"));
        let mut three = sst(&body, &[cut]);
        three.extend(record(0x003C, &[]));
        assert_eq!(sizes(&three, true), Some(vec![2, 1]));
        // calamine's test: the last 4 bytes of the stream are no Continue.
        three.extend(record(0x00FC, &[0; 3]));
        assert_eq!(sizes(&three, true), Some(vec![2, 1, 0]));
        // Where calamine fails or panics, so does the count: a cut head,
        // characters past the last Continue record, a Continue record with
        // no flags byte, a negative ExtRst, runs past the end.
        assert_eq!(sizes(&sst(&[], &[]), true), Some(vec![]));
        assert_eq!(sizes(&record(0x00FC, &[0; 7]), true), None);
        assert_eq!(sizes(&sst(&string(3, 0, b"ab"), &[]), true), None);
        assert_eq!(sizes(&sst(&[1, 0], &[]), true), None);
        assert_eq!(sizes(&sst(&string(3, 0, b"ab"), &[5, 5]), true), None);
        let negative = string(1, 0x4, &[0xFF, 0xFF, 0xFF, 0xFF, b'a']);
        assert_eq!(sizes(&sst(&negative, &[]), true), None);
        assert_eq!(sizes(&sst(&string(1, 0x8, &[9, 0, b'a']), &[]), true), None);
        assert_eq!(sizes(&sst(&string(1, 0x8, &[9]), &[]), true), None);
    }

    // fuzz/README.md finding 16.
    #[test]
    fn text_shared_among_cells_past_64_mb_is_refused() {
        // 32,767 letters, in five records (each piece after the first
        // starts with its flags byte).
        let mut long = string(32_767, 0, &[b'x'; 7_997]);
        for _ in 0..4 {
            long.push(0);
            long.extend([b'x'; 6_000]);
        }
        long.extend([b'x'; 770]);
        let cuts: Vec<usize> = (0..4).map(|i| 8_000 + i * 6_001).collect();
        let globals = sst(&long, &cuts);
        let label_sst = |row: u16, col: u16, isst: u32| {
            let mut d = row.to_le_bytes().to_vec();
            d.extend(col.to_le_bytes());
            d.extend([0, 0]);
            d.extend(isst.to_le_bytes());
            record(0x00FD, &d)
        };
        // 2,048 copies of 32,767 letters: 64 MB less 2,048 bytes.
        let cells = |n: u32| -> Vec<u8> {
            (0..n)
                .flat_map(|i| label_sst((i / 32) as u16, (i % 32) as u16, 0))
                .collect()
        };
        let with_sst = |globals: &[u8], sheets: &[Vec<u8>]| {
            let w = workbook(sheets);
            // The SST goes among the workbook's own records, after its BOF;
            // the sheets' offsets move by its length.
            let bof = record(0x0809, &BOF).len();
            let mut out = w[..bof].to_vec();
            out.extend(globals);
            let mut rest = w[bof..].to_vec();
            let mut at = 0;
            while at < rest.len() && u16_at(&rest, at) == 0x0085 {
                let pos = u32_at(&rest, at + 4) + globals.len() as u32;
                rest[at + 4..at + 8].copy_from_slice(&pos.to_le_bytes());
                at += 4 + u16_at(&rest, at + 2) as usize;
            }
            out.extend(rest);
            out
        };
        let Layout::Sheets(s) = layout(&with_sst(&globals, &[cells(2_048)])) else {
            panic!("2,048 copies pass")
        };
        assert_eq!(s[0].text, 2_048 * 32_767);
        // One more cell, on a second sheet: the text counts across sheets.
        let p = check(&with_sst(&globals, &[cells(2_048), cells(1)])).expect("refused");
        assert_eq!(
            p,
            "its cells would hold up to 65 MB of text when read (counted to the end of sheet 2), more than the 64 MB meritlist reads from an .xls, whose reader gives every cell its own copy of a string the workbook shares among cells; save it as .xlsx, which is read cell by cell; if the file is damaged, ask for a fresh copy"
        );
        // A string number past the table gives calamine no cell, and no text.
        let mut stray = cells(2_048);
        stray.extend(label_sst(0, 40, 1));
        assert!(check(&with_sst(&globals, &[stray])).is_none());
        // A table calamine cannot read fails the workbook.
        let broken = record(0x00FC, &[0; 4]);
        assert!(matches!(
            layout(&with_sst(&broken, &[cells(1)])),
            Layout::Fails
        ));
    }

    // fuzz/README.md finding 19.
    #[test]
    fn a_sheet_named_again_and_again_is_refused_before_it_is_read_again() {
        // One sheet of 1 MB of records calamine passes over, and the
        // workbook naming where it starts `n` times.
        let body: Vec<u8> = (0..262_144).flat_map(|_| record(0x0099, &[])).collect();
        let named = |n: usize| {
            let w = workbook(std::slice::from_ref(&body));
            let bof = record(0x0809, &BOF).len();
            let bound = w[bof..bof + 13].to_vec();
            let shift = (n - 1) * bound.len();
            let mut out = w[..bof].to_vec();
            for _ in 0..n {
                let mut b = bound.clone();
                let pos = u32_at(&b, 4) + shift as u32;
                b[4..8].copy_from_slice(&pos.to_le_bytes());
                out.extend(b);
            }
            out.extend(&w[bof + 13..]);
            out
        };
        let Layout::Sheets(s) = layout(&named(2)) else {
            panic!("twice passes")
        };
        assert_eq!(s.len(), 2);
        assert_eq!(s[1].walked, (1 << 20) + 4 + 16 + 4); // BOF, records, EOF
        let p = check(&named(30)).expect("thirty times");
        assert!(
            p.starts_with("its 30 sheets' records overlap (a sheet starts inside another), so that the .xls reader would read 21.0 MB of records from a workbook of 1.0 MB"),
            "{p}"
        );
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
