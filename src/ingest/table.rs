//! Reading one input file into a uniform table of cells: spreadsheets
//! through calamine, CSV through the csv crate. This layer knows nothing of
//! applicants or scores; it finds the header row, keeps every cell's place
//! for messages, and reports what it cannot read.

use crate::error::{cell_ref, Place, Problem};
use crate::exam::InputSpec;
use crate::fields::normalise_header;
use calamine::{Data, DataRef, Reader};
use chrono::NaiveDate;
use compact_str::CompactString;
use sha2::{Digest, Sha256};
use std::io::Cursor;

/// One cell's content, before any field gives it a type.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    /// Text as written (untrimmed); short text is held inline.
    Text(CompactString),
    Int(i64),
    /// A spreadsheet number cell; see `num::from_cell_float`.
    Float(f64),
    Bool(bool),
    /// A spreadsheet date cell (either date system), its date part.
    Date(NaiveDate),
    /// A spreadsheet error value such as `#N/A`.
    Error(String),
    /// A formula whose value was never saved in the file (a workbook
    /// written by a program that does not calculate): its formula text.
    Formula(String),
}

impl Cell {
    pub fn is_blank(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(s) => crate::fields::trim(s).is_empty(),
            _ => false,
        }
    }

    /// The cell as a person sees it, for messages and text fields.
    pub fn display(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(s) => s.as_str().to_owned(),
            Cell::Int(i) => i.to_string(),
            Cell::Float(f) => {
                if f.fract() == 0.0 && f.abs() < 1e15 {
                    format!("{}", *f as i64)
                } else {
                    format!("{f}")
                }
            }
            Cell::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
            Cell::Date(d) => crate::dates::iso(*d),
            Cell::Error(e) => e.clone(),
            Cell::Formula(f) => format!("={f}"),
        }
    }

    /// How a message quotes what was found.
    pub fn found(&self) -> String {
        match self {
            Cell::Empty => "a blank cell".to_string(),
            Cell::Text(s) if s.trim().is_empty() => "a blank cell".to_string(),
            Cell::Text(s) if crate::fields::is_error_text(s) => {
                format!("the error value {}", s.trim())
            }
            Cell::Text(s) => format!("\"{}\"", truncate(s, 60)),
            Cell::Int(_) | Cell::Float(_) => format!("the number {}", self.display()),
            Cell::Bool(_) => format!("the logical value {}", self.display()),
            Cell::Date(d) => format!("the date {d}"),
            Cell::Error(e) => format!("the error value {e}"),
            Cell::Formula(f) => format!(
                "a formula (={}) with no saved value (open the file in Excel, let it calculate, and save it)",
                truncate(f, 60)
            ),
        }
    }
}

/// `s` cut to `max` characters, with "…" where it was cut: how a message
/// shows a value that may be long (a damaged cell can hold 32,767).
pub(crate) fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let t: String = s.chars().take(max).collect();
        format!("{t}…")
    }
}

/// Whether the table came from a spreadsheet or a CSV; decides how places
/// are named in messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    Sheet(String),
    Csv,
}

/// One column of the header row.
#[derive(Debug, Clone)]
pub struct Column {
    /// Absolute zero-based column index in the file.
    pub index: u32,
    /// The header as written.
    pub header: String,
    /// The normalised header.
    pub key: String,
}

#[derive(Debug, Clone)]
pub struct Row {
    /// The row number a spreadsheet shows (1-based); for CSV the line number.
    pub number: u64,
    /// Cells aligned with `Table::columns`.
    pub cells: Vec<Cell>,
}

/// A file's header: where it is and what its columns are. The data rows
/// under it are streamed in batches (see [`stream`]), never held whole.
#[derive(Debug, Clone)]
pub struct Table {
    /// The file as named in the exam file.
    pub file: String,
    pub origin: Origin,
    pub header_row: u64,
    pub columns: Vec<Column>,
    /// Merged ranges at or below the header row: (first row, first col,
    /// last row, last col), zero-based; checked against the columns read.
    pub merges: Vec<(u32, u32, u32, u32)>,
}

impl Table {
    /// The place of a cell, for messages.
    pub fn place(&self, row: u64, col: usize) -> Place {
        let c = &self.columns[col];
        match &self.origin {
            Origin::Sheet(sheet) => Place::Cell {
                file: self.file.clone(),
                sheet: sheet.clone(),
                row: (row - 1) as u32,
                col: c.index,
            },
            Origin::Csv => Place::CsvField {
                file: self.file.clone(),
                row,
                col: c.index,
                header: c.header.trim().to_string(),
            },
        }
    }

    /// The place of a whole row.
    pub fn row_place(&self, row: u64) -> Place {
        match &self.origin {
            Origin::Sheet(sheet) => Place::SheetRow {
                file: self.file.clone(),
                sheet: sheet.clone(),
                row: (row - 1) as u32,
            },
            Origin::Csv => Place::CsvRow {
                file: self.file.clone(),
                row,
            },
        }
    }

    /// The place of the table as a whole (its header row).
    pub fn header_place(&self) -> Place {
        self.row_place(self.header_row)
    }

    /// The columns whose header is `key` or one of its aliases.
    pub fn find(&self, key: &str, aliases: &[(String, String)]) -> Vec<usize> {
        self.columns
            .iter()
            .enumerate()
            .filter(|(_, c)| {
                c.key == key
                    || aliases
                        .iter()
                        .any(|(canon, alias)| canon == key && *alias == c.key)
            })
            .map(|(i, _)| i)
            .collect()
    }
}

/// What reading a file gave: its bytes' hash, and its header or problems.
pub struct Loaded {
    pub sha256: String,
    pub table: Result<Table, Vec<Problem>>,
    /// Problems with rows that were therefore not handed on (a CSV row
    /// split by another delimiter, or with more fields than the header).
    pub problems: Vec<Problem>,
}

/// The lower-case hex SHA-256 of `bytes`: file hashes, and the lottery key
/// (`rank::lottery_key`).
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// Bytes as lower-case hex: a table lookup per digit (the `{:02x}`
/// formatting it replaced, once per byte, was 2% of all CPU at 1,000,000
/// applicants: issue 6).
fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(DIGITS[(b >> 4) as usize] as char);
        s.push(DIGITS[(b & 15) as usize] as char);
    }
    s
}

/// How many rows are handed to the consumer at a time: enough to keep every
/// core busy parsing, few enough to keep memory flat at any file size.
pub const BATCH: usize = 32_768;

/// Reads an input file, hashes it, finds its header row — the first row,
/// among the first ten non-blank rows, holding the `applicant_id` header or
/// one of its aliases (SPEC 3) — and hands the non-blank rows under it to
/// `consume` in batches, in file order. `consume` is called at least once
/// (with no rows for a file without data) when the header is found.
pub fn stream<F>(spec: &InputSpec, aliases: &[(String, String)], mut consume: F) -> Loaded
where
    F: FnMut(&Table, Vec<Row>),
{
    let file_place = Place::File {
        file: spec.display.clone(),
    };
    let bytes = match std::fs::read(&spec.path) {
        Ok(b) => b,
        Err(e) => {
            let why = match e.kind() {
                std::io::ErrorKind::NotFound => format!(
                    "the file does not exist (looked for {})",
                    spec.path.display()
                ),
                _ => format!("cannot read the file: {e}"),
            };
            return Loaded {
                sha256: String::new(),
                table: Err(vec![Problem::new(file_place, why)]),
                problems: Vec::new(),
            };
        }
    };
    let ext = extension(&spec.path);
    // The file is parsed on a thread of its own while this one consumes
    // the batches (issue 6): parsing a workbook's XML is sequential, and
    // typing the rows would otherwise wait for it, and it for them. The
    // batches arrive in the file's order, so nothing depends on timing.
    let (tx, rx) = std::sync::mpsc::sync_channel::<(Table, Vec<Row>)>(2);
    let (sha256, (problems, table)) = std::thread::scope(|sc| {
        // Hashed while it is parsed.
        let hasher = sc.spawn(|| sha256_hex(&bytes));
        let reader = sc.spawn(|| {
            let mut header = HeaderFinder::new(&spec.display, aliases, move |t: &Table, rows| {
                // Fails only when the consumer has panicked, which the
                // scope then reports.
                let _ = tx.send((t.clone(), rows));
            });
            let read = match ext.as_str() {
                e if is_csv(e) => {
                    let delim = spec
                        .delimiter
                        .unwrap_or(if ext == "tsv" { b'\t' } else { b',' });
                    if spec.sheet.is_some() {
                        Err(vec![Problem::new(
                            file_place.clone(),
                            "a sheet was named (`#…`) but a CSV file has no sheets",
                        )])
                    } else {
                        read_csv(&spec.display, &bytes, delim, &mut header)
                    }
                }
                e if is_spreadsheet(e) => {
                    if spec.delimiter.is_some() {
                        Err(vec![Problem::new(
                            file_place.clone(),
                            "a delimiter was given but the file is a spreadsheet, not a CSV",
                        )])
                    } else {
                        read_sheet(spec, &ext, bytes.as_slice(), &mut header)
                    }
                }
                other => Err(vec![Problem::new(
                    file_place.clone(),
                    format!(
                        "expected a spreadsheet (.xlsx, .xlsm, .xls, .xlsb, .ods) or a CSV file (.csv, .tsv, .txt), found a file ending in \"{other}\""
                    ),
                )]),
            };
            let problems = std::mem::take(&mut header.problems);
            (problems, read.and_then(|()| header.finish()))
        });
        for (table, rows) in rx {
            consume(&table, rows);
        }
        let read = crate::joined(reader);
        let sha256 = crate::joined(hasher);
        (sha256, read)
    });
    Loaded {
        sha256,
        table,
        problems,
    }
}

/// A file's extension in lower case ("" without one): what decides how it
/// is read.
pub fn extension(path: &std::path::Path) -> String {
    path.extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase()
}

/// Whether a file with this (lower-case) extension is read as a workbook.
pub fn is_spreadsheet(ext: &str) -> bool {
    matches!(ext, "xlsx" | "xlsm" | "xls" | "xlsb" | "ods")
}

/// Whether a file with this (lower-case) extension is read as a CSV.
pub fn is_csv(ext: &str) -> bool {
    matches!(ext, "csv" | "txt" | "tsv")
}

/// Finds the header among the first rows, then batches the rows under it.
struct HeaderFinder<'a, F> {
    file: &'a str,
    aliases: &'a [(String, String)],
    consume: F,
    origin: Option<Origin>,
    /// Non-blank rows seen before the header (at most ten).
    early: Vec<(u64, u32, Vec<Cell>)>,
    table: Option<Table>,
    col0: u32,
    batch: Vec<Row>,
    any_cell: bool,
    gave_up: bool,
    problems: Vec<Problem>,
    /// Merged ranges of the sheet: (first row, first col, last row, last
    /// col), zero-based.
    merges: Vec<(u32, u32, u32, u32)>,
    delimiter: u8,
}

impl<'a, F: FnMut(&Table, Vec<Row>)> HeaderFinder<'a, F> {
    fn new(file: &'a str, aliases: &'a [(String, String)], consume: F) -> Self {
        HeaderFinder {
            file,
            aliases,
            consume,
            origin: None,
            early: Vec::new(),
            table: None,
            col0: 0,
            batch: Vec::with_capacity(1024),
            any_cell: false,
            gave_up: false,
            problems: Vec::new(),
            merges: Vec::new(),
            delimiter: b',',
        }
    }

    fn is_id(&self, key: &str) -> bool {
        key == "applicant_id"
            || self
                .aliases
                .iter()
                .any(|(canon, alias)| canon == "applicant_id" && alias == key)
    }

    /// One raw row: its 1-based number, its first column's index, its cells.
    fn row(&mut self, number: u64, col0: u32, cells: Vec<Cell>) {
        if cells.iter().all(Cell::is_blank) {
            return;
        }
        self.any_cell = true;
        if let Some(table) = &self.table {
            let width = table.columns.len();
            if table.origin == Origin::Csv {
                if let Some(p) = csv_row_shape(table, number, &cells, self.delimiter) {
                    self.problems.push(p);
                    return;
                }
            }
            // Align the row with the header's columns; data past the last
            // header (in a sheet) is in no column and is ignored.
            let offset = col0 as i64 - self.col0 as i64;
            let aligned = if offset == 0 {
                // The usual case: the row starts where the header does.
                let mut cells = cells;
                cells.resize(width, Cell::Empty);
                cells
            } else {
                let mut aligned = vec![Cell::Empty; width];
                for (i, c) in cells.into_iter().enumerate() {
                    let at = i as i64 + offset;
                    if at >= 0 && (at as usize) < width {
                        aligned[at as usize] = c;
                    }
                }
                aligned
            };
            if aligned.iter().all(Cell::is_blank) {
                return;
            }
            self.batch.push(Row {
                number,
                cells: aligned,
            });
            if self.batch.len() >= BATCH {
                let rows = std::mem::replace(&mut self.batch, Vec::with_capacity(BATCH));
                (self.consume)(table, rows);
            }
            return;
        }
        if self.gave_up {
            return;
        }
        let is_header = cells
            .iter()
            .any(|c| self.is_id(&normalise_header(&c.display())));
        if !is_header {
            self.early.push((number, col0, cells));
            if self.early.len() >= 10 {
                self.gave_up = true;
            }
            return;
        }
        let columns: Vec<Column> = cells
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let header = c.display();
                Column {
                    index: col0 + i as u32,
                    key: normalise_header(&header),
                    header,
                }
            })
            .collect();
        self.col0 = col0;
        let header0 = (number - 1) as u32;
        let table = Table {
            file: self.file.to_string(),
            origin: self.origin.clone().unwrap_or(Origin::Csv),
            header_row: number,
            columns,
            merges: self
                .merges
                .iter()
                .copied()
                .filter(|m| m.2 >= header0)
                .collect(),
        };
        // Rows above the header are read as a title and skipped; one that
        // looks like an applicant's row (a sorted sheet that took the
        // header down with it) is refused, never dropped unseen.
        let id_at = cells
            .iter()
            .position(|c| self.is_id(&normalise_header(&c.display())))
            .map(|i| col0 + i as u32);
        for (n, c0, early) in &self.early {
            if let Some(p) = data_above_header(&table, id_at, *n, *c0, early) {
                self.problems.push(p);
            }
        }
        (self.consume)(&table, Vec::new());
        self.table = Some(table);
        self.early.clear();
    }

    fn finish(mut self) -> Result<Table, Vec<Problem>> {
        match self.table.take() {
            Some(table) => {
                if !self.batch.is_empty() {
                    let rows = std::mem::take(&mut self.batch);
                    (self.consume)(&table, rows);
                }
                Ok(table)
            }
            None => {
                let alias_note: Vec<_> = self
                    .aliases
                    .iter()
                    .filter(|(c, _)| c == "applicant_id")
                    .map(|(_, a)| format!("\"{a}\""))
                    .collect();
                let place = match &self.origin {
                    Some(Origin::Sheet(s)) => Place::Sheet {
                        file: self.file.to_string(),
                        sheet: s.clone(),
                    },
                    _ => Place::File {
                        file: self.file.to_string(),
                    },
                };
                let found = match (&self.origin, self.any_cell) {
                    (Some(Origin::Sheet(_)), false) => "the sheet is empty".to_string(),
                    (_, false) => "an empty file".to_string(),
                    _ => {
                        let mut f = "no such header in the first ten non-blank rows".to_string();
                        // A header that normalises to applicant_id_… with a
                        // `;` or tab in it: the file uses another delimiter.
                        let hint = self.early.iter().find_map(|(n, _, cells)| {
                            let text = cells.first()?.display();
                            let sep = [';', '\t', '|'].into_iter().find(|c| text.contains(*c))?;
                            self.is_id(&normalise_header(text.split(sep).next()?))
                                .then_some((*n, sep))
                        });
                        if let Some((n, sep)) = hint {
                            let shown = if sep == '\t' {
                                "\\t".to_string()
                            } else {
                                sep.to_string()
                            };
                            f.push_str(&format!(
                                " (row {n} seems to be separated by \"{shown}\": give the delimiter in the exam file, {{ path = \"{}\", delimiter = \"{shown}\" }})",
                                self.file
                            ));
                        }
                        f
                    }
                };
                Err(vec![Problem::new(
                    place,
                    format!(
                        "expected a header row with an applicant_id column{}, found {found}",
                        if alias_note.is_empty() {
                            String::new()
                        } else {
                            format!(" (or {})", alias_note.join(", "))
                        }
                    ),
                )])
            }
        }
    }
}

/// A problem if a row above the header row looks like an applicant's row.
/// It must hold an ID-like value under the ID column (a digit in it, no
/// space, not a date: a vendor's title block often starts with a date, a
/// year or an exam code), and values under at least two of the header's
/// named columns and at least half of them. A narrow table (fewer than four
/// named columns: a score file) needs more, as a title line of two cells
/// fills half of it: every other value a score (a number, or pass/fail).
/// `id_at`: the ID column's index.
fn data_above_header(
    table: &Table,
    id_at: Option<u32>,
    number: u64,
    col0: u32,
    cells: &[Cell],
) -> Option<Problem> {
    let id_at = id_at?;
    let named: Vec<&Column> = table.columns.iter().filter(|c| !c.key.is_empty()).collect();
    let value = |index: u32| {
        index
            .checked_sub(col0)
            .and_then(|i| cells.get(i as usize))
            .filter(|c| !c.is_blank())
    };
    let id_cell = value(id_at)?;
    if matches!(id_cell, Cell::Date(_)) {
        return None;
    }
    let id = id_cell.display();
    let id = id.trim();
    let id_like = id.bytes().any(|b| b.is_ascii_digit())
        && !id.chars().any(char::is_whitespace)
        && !looks_like_a_date(id);
    let filled: Vec<(&Column, &Cell)> = named
        .iter()
        .filter_map(|c| value(c.index).map(|v| (*c, v)))
        .collect();
    if !id_like || filled.len() < 2 || filled.len() * 2 < named.len() {
        return None;
    }
    // A value a person would take for a score or a pass/fail mark. The words
    // are the ones a pass/fail column reads (`fields::parse_pass_fail`). The
    // number test is deliberately looser than the score reader's: "85%",
    // "1e2" or "NaN" under a score column is still an applicant's row, and
    // refusing it is the safe side of this guess. The number is only looked
    // at, never kept: nothing here reaches a score.
    let score_like = |c: &Cell| match c {
        Cell::Int(_) | Cell::Float(_) | Cell::Bool(_) => true,
        Cell::Text(t) => {
            let t = crate::fields::trim(t);
            crate::fields::parse_pass_fail(t).is_some()
                || crate::fields::trim(t.trim_end_matches('%'))
                    .parse::<f64>()
                    .is_ok()
        }
        _ => false,
    };
    if named.len() < 4
        && !filled
            .iter()
            .filter(|(c, _)| c.index != id_at)
            .all(|(_, v)| score_like(v))
    {
        return None;
    }
    let shown: Vec<String> = filled
        .iter()
        .take(4)
        .map(|(c, _)| format!("\"{}\"", c.header.trim()))
        .collect();
    let more = if filled.len() > 4 { ", …" } else { "" };
    Some(Problem::new(
        table.row_place(number),
        format!(
            "this row is above the header row (row {}) but looks like an applicant's: ID \"{id}\" and values under {} of the header's {} columns ({}{more}); rows above the header are read as a title and skipped, so this applicant would be lost. Move the row below the header row (a sort that took the header along does this), or delete it",
            table.header_row,
            filled.len(),
            named.len(),
            shown.join(", ")
        ),
    ))
}

/// Whether text reads as a date (`2026-11-20`, `11/20/2026`, `20.11.2026`):
/// digits in two or three groups split by one kind of separator, none of
/// them letters.
fn looks_like_a_date(s: &str) -> bool {
    ['-', '/', '.'].iter().any(|&sep| {
        let parts: Vec<&str> = s.split(sep).collect();
        (parts.len() == 3 || (parts.len() == 2 && sep == '/'))
            && parts
                .iter()
                .all(|p| !p.is_empty() && p.len() <= 4 && p.bytes().all(|b| b.is_ascii_digit()))
    })
}

/// A CSV data row whose shape shows it was not split as the header was:
/// a single field holding another delimiter, or a value past the header's
/// last column (a decimal comma, `9,0`, would otherwise read as 9).
fn csv_row_shape(table: &Table, number: u64, cells: &[Cell], delimiter: u8) -> Option<Problem> {
    let width = table.columns.len();
    // Made only for a problem: it copies the file's name (issue 6).
    let place = || table.row_place(number);
    let header = table.header_row;
    let name = |d: u8| {
        if d == b'\t' {
            "\\t".to_string()
        } else {
            (d as char).to_string()
        }
    };
    if width > 1 && cells.len() == 1 {
        let text = cells[0].display();
        if let Some(other) = [b';', b'\t', b'|', b',']
            .into_iter()
            .find(|d| *d != delimiter && text.as_bytes().contains(d))
        {
            return Some(Problem::new(
                place(),
                format!(
                    "expected fields separated by \"{}\" as in the header row (row {header}), found a row separated by \"{}\"",
                    name(delimiter),
                    name(other)
                ),
            ));
        }
    }
    if cells.len() > width && cells[width..].iter().any(|c| !c.is_blank()) {
        let extra: Vec<String> = cells[width..]
            .iter()
            .filter(|c| !c.is_blank())
            .map(|c| format!("\"{}\"", c.display()))
            .collect();
        return Some(Problem::new(
            place(),
            format!(
                "expected at most {width} fields, as in the header row (row {header}), found {} (the extra {}; a value with a \"{}\" in it must be in quotes)",
                cells.len(),
                extra.join(", "),
                name(delimiter)
            ),
        ));
    }
    None
}

/// Whether the byte at `i` ends a line: a `\n`, or a `\r` not followed by
/// `\n` (Excel's "CSV (Macintosh)" ends lines with a lone CR, and the csv
/// crate ends records there too). A CRLF pair counts once, at its `\n`.
fn ends_line(bytes: &[u8], i: usize) -> bool {
    match bytes[i] {
        b'\n' => true,
        b'\r' => bytes.get(i + 1) != Some(&b'\n'),
        _ => false,
    }
}

/// How many lines end within `bytes[from..to]` (see [`ends_line`]).
fn line_breaks(bytes: &[u8], from: usize, to: usize) -> u64 {
    // Only a CR or an LF can end a line: a vectorised search finds them
    // (it was a test of every byte of the file; issue 6).
    memchr::memchr2_iter(b'\n', b'\r', &bytes[from..to])
        .filter(|&i| ends_line(bytes, from + i))
        .count() as u64
}

/// The line and field where a quoted field opens that is never closed, if
/// any (the file's quotes do not pair up).
fn unclosed_quote(bytes: &[u8], delimiter: u8) -> Option<(u64, usize)> {
    // No quote at all (a vectorised search): nothing can be left open.
    if !bytes.contains(&b'"') {
        return None;
    }
    let mut line = 1u64;
    let mut field = 0usize;
    let mut in_quote = false;
    let mut opened = (0u64, 0usize);
    let mut at_field_start = true;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if in_quote {
            if b == b'"' {
                if bytes.get(i + 1) == Some(&b'"') {
                    i += 1;
                } else {
                    in_quote = false;
                }
            } else if ends_line(bytes, i) {
                line += 1;
            }
        } else if b == b'"' && at_field_start {
            in_quote = true;
            opened = (line, field);
        } else if b == delimiter {
            field += 1;
            at_field_start = true;
            i += 1;
            continue;
        } else if ends_line(bytes, i) {
            line += 1;
            field = 0;
            at_field_start = true;
            i += 1;
            continue;
        }
        if b != b'\r' {
            at_field_start = false;
        }
        i += 1;
    }
    in_quote.then_some(opened)
}

fn read_csv<F: FnMut(&Table, Vec<Row>)>(
    file: &str,
    bytes: &[u8],
    delimiter: u8,
    out: &mut HeaderFinder<'_, F>,
) -> Result<(), Vec<Problem>> {
    out.origin = Some(Origin::Csv);
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let line = line_breaks(bytes, 0, e.valid_up_to()) + 1;
            return Err(vec![Problem::new(
                Place::CsvRow {
                    file: file.to_string(),
                    row: line,
                },
                format!(
                    "expected UTF-8 text, found the byte 0x{:02X} that UTF-8 does not allow (save the file as \"CSV UTF-8\")",
                    bytes[e.valid_up_to()]
                ),
            )]);
        }
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let bytes = text.as_bytes();
    out.delimiter = delimiter;
    let unclosed = unclosed_quote(bytes, delimiter);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(bytes);
    // Read as text: the whole file was checked as UTF-8 above, so each
    // record's check (one per row, not one per field) never fails.
    let mut record = csv::StringRecord::new();
    // Row numbers are the file's line numbers (blank lines count), counted
    // from each record's byte offset: the reader's own line count does not
    // include the blank lines it skips, nor CRLF pairs consistently.
    let mut line = 1u64;
    let mut counted_to = 0usize;
    let mut line_at = |offset: usize| -> u64 {
        let mut offset = offset.min(bytes.len());
        while offset < bytes.len() && (bytes[offset] == b'\n' || bytes[offset] == b'\r') {
            offset += 1;
        }
        if offset > counted_to {
            line += line_breaks(bytes, counted_to, offset);
            counted_to = offset;
        }
        line
    };
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {
                let number = record
                    .position()
                    .map(|p| line_at(p.byte() as usize))
                    .unwrap_or(0);
                if let Some((line, field)) = unclosed {
                    if number >= line {
                        // The rest of the file is inside one field.
                        let place = match &out.table {
                            Some(t) if field < t.columns.len() => t.place(line, field),
                            _ => Place::CsvRow {
                                file: file.to_string(),
                                row: line,
                            },
                        };
                        return Err(vec![Problem::new(
                            place,
                            "a quoted field starts here and is never closed (a stray \" character?); everything after it would be read as one value",
                        )]);
                    }
                }
                let cells = record
                    .iter()
                    .map(|f| {
                        if f.is_empty() {
                            Cell::Empty
                        } else {
                            Cell::Text(CompactString::from(f))
                        }
                    })
                    .collect();
                out.row(number, 0, cells);
            }
            Err(e) => {
                let number = e
                    .position()
                    .map(|p| line_at(p.byte() as usize))
                    .unwrap_or(0);
                return Err(vec![Problem::new(
                    Place::CsvRow {
                        file: file.to_string(),
                        row: number,
                    },
                    format!("cannot read the CSV: {e}"),
                )]);
            }
        }
    }
    Ok(())
}

/// The checks made before calamine opens the workbook `bytes` (of type
/// `ext`): `Err` says what is wrong, as the file's problem.
pub(super) fn before_open(ext: &str, bytes: &[u8]) -> Result<(), String> {
    // Before calamine's XML reader holds a piece of a zipped workbook's
    // XML whole, however long, or an .xlsx's shared strings and styles
    // however many (.xls is not zipped).
    if ext != "xls" {
        if let Some(e) = super::xml::check(bytes, matches!(ext, "xlsx" | "xlsm")) {
            return Err(cannot_open(&e));
        }
    }
    if matches!(ext, "xlsx" | "xlsm") {
        check_shared_strings(bytes)?;
    }
    // Before calamine follows a compound file's chains without a bound, or
    // lays out an .xls's sheets whole.
    if let Some(e) = super::cfb::check(bytes, ext == "xls") {
        return Err(cannot_open(&e));
    }
    // Before calamine holds an .xlsb's parts read at open, its longest
    // record, or writes out its defined names' formulas.
    if ext == "xlsb" {
        if let Some(e) = super::xlsb::check(bytes) {
            return Err(cannot_open(&e));
        }
    }
    // Before calamine copies out an .ods's repeated rows and cells.
    if !matches!(ext, "xlsx" | "xlsm" | "xls" | "xlsb") {
        if let Some(e) = super::ods::check(bytes) {
            return Err(cannot_open(&e));
        }
    }
    // Last, once what each part may claim is bounded: before calamine
    // reads a part whose checksum or size it never checks.
    if ext != "xls" {
        if let Some(e) = super::xml::damaged_part(bytes) {
            return Err(cannot_open(&e));
        }
    }
    Ok(())
}

fn read_sheet<F: FnMut(&Table, Vec<Row>)>(
    spec: &InputSpec,
    ext: &str,
    bytes: &[u8],
    out: &mut HeaderFinder<'_, F>,
) -> Result<(), Vec<Problem>> {
    let file = spec.display.clone();
    let fail = |what: String| vec![Problem::new(Place::File { file: file.clone() }, what)];
    before_open(ext, bytes).map_err(fail)?;
    let cursor = Cursor::new(bytes);
    let mut book: calamine::Sheets<Cursor<&[u8]>> = match ext {
        "xlsx" | "xlsm" => {
            foreign(|| calamine::open_workbook_from_rs::<calamine::Xlsx<_>, _>(cursor))
                .map(calamine::Sheets::Xlsx)
        }
        "xls" => foreign(|| calamine::open_workbook_from_rs::<calamine::Xls<_>, _>(cursor))
            .map(calamine::Sheets::Xls),
        "xlsb" => foreign(|| calamine::open_workbook_from_rs::<calamine::Xlsb<_>, _>(cursor))
            .map(calamine::Sheets::Xlsb),
        _ => foreign(|| calamine::open_workbook_from_rs::<calamine::Ods<_>, _>(cursor))
            .map(calamine::Sheets::Ods),
    }
    .map_err(|e| fail(describe_open_error(&e)))?;
    let names = book.sheet_names();
    let sheet = match &spec.sheet {
        Some(s) => match names
            .iter()
            .find(|n| *n == s)
            .or_else(|| names.iter().find(|n| n.eq_ignore_ascii_case(s)))
        {
            Some(n) => n.clone(),
            None => {
                return Err(fail(format!(
                    "expected a sheet named \"{s}\", found only {}",
                    names
                        .iter()
                        .map(|n| format!("\"{n}\""))
                        .collect::<Vec<_>>()
                        .join(", ")
                )))
            }
        },
        None => match names.first() {
            Some(n) => {
                // Reading a hidden sheet by default would read data nobody
                // sees (last cycle's scores, a lookup table).
                let hidden = book
                    .sheets_metadata()
                    .first()
                    .is_some_and(|m| m.visible != calamine::SheetVisible::Visible);
                if hidden {
                    let visible = book
                        .sheets_metadata()
                        .iter()
                        .find(|m| m.visible == calamine::SheetVisible::Visible)
                        .map(|m| format!(", e.g. \"{}#{}\"", file, m.name))
                        .unwrap_or_default();
                    return Err(fail(format!(
                        "the first sheet, \"{n}\", is hidden; name the sheet to read in the exam file{visible}"
                    )));
                }
                n.clone()
            }
            None => return Err(fail("the workbook has no sheets".into())),
        },
    };
    out.origin = Some(Origin::Sheet(sheet.clone()));
    let sheet_place = Place::Sheet {
        file: file.clone(),
        sheet: sheet.clone(),
    };
    let cannot = |e: String| {
        vec![Problem::new(
            sheet_place.clone(),
            format!("the sheet cannot be read (is the file damaged?): {e}"),
        )]
    };
    match &mut book {
        // Large workbooks are read a cell at a time, never as a whole
        // in-memory range.
        calamine::Sheets::Xlsx(x) => {
            if vet_worksheets(bytes).map_err(|e| fail(cannot_open(&e)))? {
                out.merges =
                    spans(&foreign(|| x.merge_cells_by_sheet_name(&sheet)).map_err(cannot)?);
            }
            let mut cells = foreign(|| x.worksheet_cells_reader(&sheet)).map_err(cannot)?;
            let mut rows = RowAssembler::default();
            while let Some(c) = foreign(|| cells.next_cell_with_formula()).map_err(cannot)? {
                let (r, col) = c.pos;
                let cell = match (&c.value, c.formula) {
                    (calamine::DataRef::Empty, Some(f)) if !f.is_empty() => Cell::Formula(f),
                    (v, _) => convert_ref(v),
                };
                rows.push(r, col, cell, out)
                    .map_err(|e| vec![Problem::new(sheet_place.clone(), e)])?;
            }
            rows.flush(out);
        }
        calamine::Sheets::Xlsb(x) => {
            let mut cells = foreign(|| x.worksheet_cells_reader(&sheet)).map_err(cannot)?;
            let mut rows = RowAssembler::default();
            while let Some(c) = foreign(|| cells.next_cell()).map_err(cannot)? {
                let (r, col) = c.get_position();
                rows.push(r, col, convert_ref(c.get_value()), out)
                    .map_err(|e| vec![Problem::new(sheet_place.clone(), e)])?;
            }
            rows.flush(out);
        }
        other => {
            // .xls and .ods are read whole. Merged cells are checked as in
            // an xlsx (calamine gives an .xls workbook's, not an .ods's).
            if let calamine::Sheets::Xls(x) = other {
                out.merges =
                    spans(&foreign(|| x.merge_cells_by_sheet_name(&sheet)).map_err(cannot)?);
            }
            let range = foreign(|| other.worksheet_range(&sheet)).map_err(cannot)?;
            let (row0, col0) = range.start().unwrap_or((0, 0));
            for (i, r) in range.rows().enumerate() {
                let cells: Vec<Cell> = r.iter().map(convert).collect();
                out.row(row0 as u64 + i as u64 + 1, col0, cells);
            }
        }
    }
    Ok(())
}

/// Reads an .xlsx's worksheet parts once before any sheet's cells are read
/// (`ingest/xml.rs`, [`super::xml::sheet`]): `Err` if one holds a piece of
/// XML too long for calamine to hold, else whether any may hold merged
/// cells. Anything unexpected answers `true`, and calamine looks.
fn vet_worksheets(bytes: &[u8]) -> Result<bool, String> {
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Ok(true);
    };
    let may_be_sheets = super::xml::MaySheets::of(&mut zip);
    let mut merges = false;
    for i in 0..zip.len() {
        // A part that cannot be opened or named: calamine cannot read it
        // either (a name it cannot read fails its opening), so it is left
        // to calamine to say, and the parts after it are still read (an
        // early answer here once let one such part, anywhere, spare every
        // worksheet after it these checks).
        let Ok(part) = zip.by_index(i) else {
            merges = true;
            continue;
        };
        let Ok(name) = part.name().map(|n| n.to_string()) else {
            merges = true;
            continue;
        };
        // Any part calamine could read as a sheet is looked in for long
        // pieces, merges and shared formulas (the narrower `is_worksheet`
        // is what the bound on pieces at open left for now; a part it does
        // not take was read then too, and is read again only if large).
        if !may_be_sheets.takes(&name) {
            continue;
        }
        let size = part.size();
        // Once a merge is found, a part is read only for its pieces and
        // shared formulas.
        let vetted = super::xml::sheet(part, &name, size, !merges)?;
        merges |= vetted.merges;
        if vetted.shared {
            if let Ok(part) = zip.by_index(i) {
                super::xml::shared_formulas(part, &name)?;
            }
        }
    }
    Ok(merges)
}

/// How many shared strings a workbook may claim whatever its size:
/// calamine reserves 24 bytes for each claimed (24 MB here).
const SHARED_STRINGS_ANY_SIZE: u64 = 1_000_000;

/// calamine reserves room for as many shared strings as a workbook's
/// `sharedStrings.xml` claims (`<sst uniqueCount="N">`) before it reads
/// one. A damaged or crafted file claiming trillions made that allocation
/// fail, and a failed allocation ends the process at once: no message, no
/// report, exit 134 (fuzz/README.md, finding 5). A claim above a million
/// must fit the part: each string takes at least four bytes (`<si>`), so
/// what calamine reserves stays within six times the part's real size.
/// Every `uniqueCount` value in the part counts as a claim, wherever it
/// stands, read more loosely than calamine reads attributes, so no
/// arrangement of the XML can hide the one calamine reads; a part that
/// cannot be read to its end is judged on what could be read, which is
/// what calamine reads before it fails. `Err` says what is wrong.
fn check_shared_strings(bytes: &[u8]) -> Result<(), String> {
    use std::io::Read;
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Ok(());
    };
    for i in 0..zip.len() {
        let Ok(mut part) = zip.by_index(i) else {
            continue;
        };
        let name = part.name().map(|n| n.to_string()).unwrap_or_default();
        if !name.to_ascii_lowercase().ends_with("sharedstrings.xml") {
            continue;
        }
        let mut scan = SharedStringScan::default();
        let mut buf = Vec::new();
        // Read as calamine reads it, so that a part that fails part-way
        // gives the scan what it gives calamine: a wrong CRC fails after
        // the last byte, but a read that passes the part's declared size
        // fails whole, and a larger read than calamine's once failed
        // before the claim calamine had read (fuzz/README.md, finding 30).
        let mut chunk = vec![0u8; super::xml::CALAMINE_CHUNK];
        let mut size = 0u64;
        loop {
            // A damaged part (a wrong CRC, a truncated stream) is scanned
            // as far as it reads.
            let n = part.read(&mut chunk).unwrap_or(0);
            size += n as u64;
            buf.extend_from_slice(&chunk[..n]);
            let done = scan.feed(&buf, n == 0);
            buf.drain(..done);
            if n == 0 {
                break;
            }
        }
        if scan.claim > SHARED_STRINGS_ANY_SIZE.max(size / 4) {
            return Err(format!(
                "its shared-strings table ({name}) claims {} strings, more than its {size} bytes can hold; the file is damaged or was not written by a spreadsheet program (open it in Excel and save it again)",
                scan.claim
            ));
        }
    }
    Ok(())
}

/// The claims [`check_shared_strings`] finds in a shared-strings part, fed
/// a chunk at a time.
#[derive(Default, Debug)]
struct SharedStringScan {
    /// The largest `uniqueCount` value seen (saturating).
    claim: u64,
}

impl SharedStringScan {
    /// How far past a token's start it is read: a claim whose value does
    /// not end within it counts as the largest possible.
    const WINDOW: usize = 4096;

    /// Scans `buf`; returns how many of its bytes are done with (the rest,
    /// which may hold a token cut at the chunk's end, is scanned again
    /// with the next chunk). `last`: no more bytes come.
    fn feed(&mut self, buf: &[u8], last: bool) -> usize {
        let limit = if last {
            buf.len()
        } else {
            buf.len().saturating_sub(Self::WINDOW)
        };
        // Tokens that start before `limit`; they may end after it.
        for i in memchr::memmem::find_iter(buf, b"uniqueCount").take_while(|&i| i < limit) {
            self.claim = self.claim.max(claim_value(&buf[i + 11..]));
        }
        limit
    }
}

/// The number in `="123"` (either quote) at the start of `rest`, any
/// control byte or space allowed around the `=` (calamine allows ASCII
/// whitespace); 0 when it is not a number (calamine then reserves
/// nothing), `u64::MAX` when it may be one but does not end in view.
fn claim_value(rest: &[u8]) -> u64 {
    let view = &rest[..rest.len().min(SharedStringScan::WINDOW)];
    let mut k = 0;
    let skip = |k: &mut usize| {
        while view.get(*k).is_some_and(|&b| b <= b' ') {
            *k += 1;
        }
    };
    skip(&mut k);
    if view.get(k) != Some(&b'=') {
        return if k == view.len() { u64::MAX } else { 0 };
    }
    k += 1;
    skip(&mut k);
    let Some(&quote) = view.get(k).filter(|q| matches!(q, b'"' | b'\'')) else {
        return if k == view.len() { u64::MAX } else { 0 };
    };
    let digits = &view[k + 1..];
    let Some(end) = digits.iter().position(|&b| b == quote) else {
        return u64::MAX;
    };
    let digits = &digits[..end];
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return 0;
    }
    digits.iter().fold(0u64, |v, &d| {
        v.saturating_mul(10).saturating_add(u64::from(d - b'0'))
    })
}

/// Gathers streamed cells into rows. Rows that hold no cell are absent
/// from the stream, which is the same as blank.
#[derive(Default)]
struct RowAssembler {
    row: Option<u32>,
    first_col: u32,
    cells: Vec<Cell>,
}

/// The last row and column a workbook can hold (Excel's 1,048,576 rows and
/// 16,384 columns, A to XFD), counted from 0 as calamine gives them.
const LAST_ROW: u32 = 1_048_575;
const LAST_COL: u32 = 16_383;

impl RowAssembler {
    /// Adds one cell; refuses a cell no spreadsheet program could have
    /// written (fuzz/README.md, findings 1 and 4): one past the last column
    /// or row — growing a row to reach it would exhaust memory (a 2 KB
    /// file asked for 10 GB) — or one stored before a cell already read, as
    /// a row stored above the header would otherwise be taken for a title
    /// line and silently dropped. Excel and LibreOffice always store cells
    /// in order, row by row and left to right.
    fn push<F: FnMut(&Table, Vec<Row>)>(
        &mut self,
        r: u32,
        c: u32,
        cell: Cell,
        out: &mut HeaderFinder<'_, F>,
    ) -> Result<(), String> {
        const DAMAGED: &str = "the file is damaged or was not written by a spreadsheet program; ask for a fresh copy, or open it in Excel or LibreOffice and save it again";
        if r > LAST_ROW {
            // The number itself may have wrapped in calamine; not shown.
            return Err(format!(
                "a cell is stored past row 1,048,576, the last row a sheet can have; {DAMAGED}"
            ));
        }
        if c > LAST_COL {
            return Err(format!(
                "a cell in row {} is stored past column XFD, the last column a sheet can have; {DAMAGED}",
                r + 1
            ));
        }
        match self.row {
            Some(row) if r < row => {
                return Err(format!(
                    "row {} is stored after row {}, out of order, so it could be read in the wrong place (or taken for a title line); {DAMAGED}",
                    r + 1,
                    row + 1
                ));
            }
            // Cells come left to right, so the row reaches exactly to the
            // last one pushed.
            Some(row) if r == row && (c as usize) < self.cells.len() => {
                return Err(format!(
                    "cell {} is stored twice, or after a cell to its right; {DAMAGED}",
                    cell_ref(r, c)
                ));
            }
            Some(row) if row == r => {}
            _ => {
                self.flush(out);
                self.row = Some(r);
                self.first_col = 0;
            }
        }
        if c as usize >= self.cells.len() {
            self.cells.resize(c as usize + 1, Cell::Empty);
        }
        self.cells[c as usize] = cell;
        Ok(())
    }

    fn flush<F: FnMut(&Table, Vec<Row>)>(&mut self, out: &mut HeaderFinder<'_, F>) {
        if let Some(r) = self.row.take() {
            let cells = std::mem::take(&mut self.cells);
            out.row(r as u64 + 1, self.first_col, cells);
        }
    }
}

/// Merged ranges as the header finder takes them: (first row, first
/// column, last row, last column), from 0.
fn spans(merges: &[calamine::Dimensions]) -> Vec<(u32, u32, u32, u32)> {
    merges
        .iter()
        .map(|d| (d.start.0, d.start.1, d.end.0, d.end.1))
        .collect()
}

thread_local! {
    static IN_FOREIGN_READER: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Whether this thread is inside a call into calamine that [`foreign`]
/// guards. A panic hook asks, to stay quiet about a panic that is about to
/// be reported as the file's problem.
pub fn in_foreign_reader() -> bool {
    IN_FOREIGN_READER.with(std::cell::Cell::get)
}

/// Runs one call into calamine, the spreadsheet reader. On some damaged
/// files it panics instead of returning an error (an assertion in its
/// compound-file reader, which it tries on any .xlsx that is not a zip;
/// fuzz/README.md finding 6): the panic is caught here and its message
/// returned, to be reported as the file's problem. A panic in meritlist's
/// own code is never inside such a call, so it is still reported as a bug.
/// Returns calamine's error in its words, or the panic's message.
pub(super) fn foreign<T, E: std::fmt::Display>(
    call: impl FnOnce() -> Result<T, E>,
) -> Result<T, String> {
    let outer = IN_FOREIGN_READER.with(|f| f.replace(true));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(call));
    IN_FOREIGN_READER.with(|f| f.set(outer));
    match result {
        Ok(r) => r.map_err(|e| e.to_string()),
        Err(payload) => {
            let what = crate::panic_message(&*payload).unwrap_or("no message");
            Err(format!(
                "the spreadsheet reader stopped on it ({})",
                what.split_whitespace().collect::<Vec<_>>().join(" ")
            ))
        }
    }
}

/// The words, lower-cased, in which calamine and the zip reader refuse a
/// workbook that is password-protected or encrypted: calamine's `Password`
/// error of every format, and the zip reader's for an encrypted part
/// (`ZipError::PASSWORD_REQUIRED`, and its refusal of AES). A unit test
/// holds them to the crates' own texts.
const LOCKED: [&str; 3] = [
    "workbook is password protected",
    "password required to decrypt file",
    "aes encrypted files cannot be decrypted",
];

/// How a message says calamine could not open a workbook, from its error
/// `e`. Only the readers' own words make a workbook password-protected:
/// not any "password" or "encrypt" in what they quote, such as a part's
/// name (fuzz/README.md finding 33).
fn describe_open_error(e: &str) -> String {
    let lower = e.to_lowercase();
    if LOCKED.iter().any(|w| lower.contains(w)) {
        format!("the workbook is password-protected or encrypted; save an unprotected copy ({e})")
    } else {
        cannot_open(e)
    }
}

/// How a message gives one of meritlist's own checks before or beside
/// calamine (`before_open`, `vet_worksheets`): the file's damage, never a
/// password, whatever the part names it quotes.
fn cannot_open(e: &str) -> String {
    format!("cannot open the workbook (is it damaged, or not really this file type?): {e}")
}

fn convert_datetime(dt: &calamine::ExcelDateTime) -> Cell {
    if dt.is_duration() {
        Cell::Float(dt.as_f64())
    } else if dt.as_f64() < 1.0 {
        // A time of day with no date part (serial below 1): shown as the
        // time, never read as the epoch's day.
        let (_, _, _, h, m, ..) = dt.to_ymd_hms_milli();
        Cell::Text(format!("{h:02}:{m:02} (a time, with no date)").into())
    } else {
        let (y, m, d, ..) = dt.to_ymd_hms_milli();
        match NaiveDate::from_ymd_opt(y as i32, m as u32, d as u32) {
            Some(date) => Cell::Date(date),
            None => Cell::Error(format!("an impossible date (serial {})", dt.as_f64())),
        }
    }
}

fn convert(d: &Data) -> Cell {
    match d {
        Data::Empty => Cell::Empty,
        Data::String(s) => Cell::Text(s.into()),
        Data::Int(i) => Cell::Int(*i),
        Data::Float(f) => Cell::Float(*f),
        Data::Bool(b) => Cell::Bool(*b),
        Data::DateTime(dt) => convert_datetime(dt),
        Data::DateTimeIso(s) => Cell::Text(s.into()),
        Data::DurationIso(s) => Cell::Text(s.into()),
        Data::Error(e) => Cell::Error(e.to_string()),
    }
}

fn convert_ref(d: &DataRef<'_>) -> Cell {
    match d {
        DataRef::Empty => Cell::Empty,
        DataRef::String(s) => Cell::Text(s.into()),
        DataRef::SharedString(s) => Cell::Text((*s).into()),
        DataRef::Int(i) => Cell::Int(*i),
        DataRef::Float(f) => Cell::Float(*f),
        DataRef::Bool(b) => Cell::Bool(*b),
        DataRef::DateTime(dt) => convert_datetime(dt),
        DataRef::DateTimeIso(s) => Cell::Text(s.into()),
        DataRef::DurationIso(s) => Cell::Text(s.into()),
        DataRef::Error(e) => Cell::Error(e.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::super::xml::stored_zip as zip_of;
    use super::{check_shared_strings, claim_value, vet_worksheets, SharedStringScan};
    use std::io::Write;

    // fuzz/README.md finding 33: a damaged workbook was called
    // password-protected because a part's name in the message held
    // "encrypt". Only the readers' own words say so now.
    #[test]
    fn only_the_readers_own_words_make_a_workbook_password_protected() {
        let locked = "the workbook is password-protected or encrypted";
        let zip_error = |s| zip::result::ZipError::UnsupportedArchive(s).to_string();
        for e in [
            calamine::XlsxError::Password.to_string(),
            calamine::XlsError::Password.to_string(),
            calamine::XlsbError::Password.to_string(),
            calamine::OdsError::Password.to_string(),
            zip_error(zip::result::ZipError::PASSWORD_REQUIRED),
            zip_error("AES encrypted files cannot be decrypted without the aes-crypto feature."),
        ] {
            assert!(super::describe_open_error(&e).starts_with(locked), "{e}");
        }
        let named = "Xlsx error: File not found 'xl/worksheets/Encrypted-Password.xml'";
        assert!(super::describe_open_error(named).starts_with("cannot open the workbook"));

        // A part too large, whose name says "password" and "encrypt":
        // meritlist's own check refuses it as damage.
        let mut bytes = zip_of(&[("xl/Encrypted-Password.xml", b"<a/>")]);
        super::super::xml::declare_size(&mut bytes, 200 << 20);
        let e = super::before_open("xlsx", &bytes).unwrap_err();
        assert!(
            e.starts_with("cannot open the workbook (is it damaged"),
            "{e}"
        );
        assert!(e.contains("xl/Encrypted-Password.xml, 200 MB"), "{e}");
    }

    /// A table with these headers from column 0, the header in row 3.
    fn table(headers: &[&str]) -> super::Table {
        super::Table {
            file: "written.csv".into(),
            origin: super::Origin::Csv,
            header_row: 3,
            columns: headers
                .iter()
                .enumerate()
                .map(|(i, h)| super::Column {
                    index: i as u32,
                    header: h.to_string(),
                    key: super::normalise_header(h),
                })
                .collect(),
            merges: Vec::new(),
        }
    }

    fn cells(values: &[&str]) -> Vec<super::Cell> {
        values
            .iter()
            .map(|v| {
                if v.is_empty() {
                    super::Cell::Empty
                } else {
                    super::Cell::Text((*v).into())
                }
            })
            .collect()
    }

    /// SPEC 3: rows above the header are a title, skipped; one that looks
    /// like an applicant's row is refused, never dropped unseen.
    #[test]
    fn a_row_above_the_header_is_a_title_unless_it_looks_like_data() {
        let scores = table(&["applicant_id", "written"]);
        let applicants = table(&[
            "applicant_id",
            "last_name",
            "first_name",
            "delivery",
            "signed",
        ]);
        let above = |t: &super::Table, values: &[&str], col0: u32| {
            super::data_above_header(t, Some(0), 1, col0, &cells(values)).is_some()
        };
        // Titles: skipped.
        assert!(!above(&scores, &["Acme Testing - Police Officer 2026"], 0));
        assert!(!above(&scores, &["Exam:", "Police Officer"], 0));
        assert!(!above(&scores, &["Form A", "2026-11-01"], 0));
        assert!(!above(&scores, &["1001"], 0)); // one value: not a row
        assert!(!above(&applicants, &["1001", "Able"], 0)); // under half
        assert!(!above(&scores, &["", "1001", "80"], 1)); // no ID under the ID column
                                                          // A vendor's title lines that start with a date, a year or a code.
        assert!(!above(
            &scores,
            &["2026-11-20", "Police Officer Written Examination"],
            0
        ));
        assert!(!above(&scores, &["11/20/2026", "80"], 0));
        assert!(!above(&scores, &["2026", "Police Officer Exam"], 0));
        assert!(!above(&scores, &["PO-2026-01", "Written", "Form A"], 0));
        let dated = [
            super::Cell::Date(chrono::NaiveDate::from_ymd_opt(2026, 11, 20).unwrap()),
            super::Cell::Int(80),
        ];
        assert!(super::data_above_header(&scores, Some(0), 1, 0, &dated).is_none());
        // Applicants' rows: refused.
        assert!(above(&scores, &["1001", "80"], 0));
        assert!(above(&scores, &["PO-2026-001", "80"], 0));
        assert!(above(&scores, &["2026-001", "80.5"], 0));
        assert!(above(&scores, &["1001", "PASS"], 0));
        // Every word a pass/fail column reads, not a shorter list of its own.
        for word in ["passed", "Failed", "y", "N", "true", "x", "0"] {
            assert!(above(&scores, &["1001", word], 0), "{word}");
        }
        assert!(!above(&scores, &["1001", "absent"], 0));
        // A number the score reader would refuse still looks like a score.
        assert!(above(&scores, &["1001", "1e2"], 0));
        assert!(above(&scores, &["1001", " 85% "], 0));
        let typed = [super::Cell::Int(1001), super::Cell::Float(80.5)];
        assert!(super::data_above_header(&scores, Some(0), 1, 0, &typed).is_some());
        assert!(above(&applicants, &["1001", "Able", "Pat"], 0));
        // Without an ID column found there is nothing to judge.
        assert!(super::data_above_header(&scores, None, 1, 0, &cells(&["1001", "80"])).is_none());
        let p = super::data_above_header(&scores, Some(0), 2, 0, &cells(&["1001", "80"])).unwrap();
        assert!(p.to_string().contains("written.csv, row 2: this row is above the header row (row 3) but looks like an applicant's: ID \"1001\" and values under 2 of the header's 2 columns"), "{p}");
    }

    #[test]
    fn hex_is_two_lower_case_digits_a_byte() {
        assert_eq!(super::hex(&[]), "");
        assert_eq!(super::hex(&[0x00, 0x0f, 0xa5, 0xff]), "000fa5ff");
        let every: Vec<u8> = (0..=255).collect();
        let expected: String = every.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(super::hex(&every), expected);
    }

    #[test]
    fn a_claimed_shared_string_count_is_read_as_calamine_reads_it_or_larger() {
        for (text, claim) in [
            (&b"=\"12\""[..], 12),
            (b" = '007' ", 7),
            (b"\x0c=\x0b\"5\"", 5),
            (b"\t\r\n=\n'6'", 6),
            (b"=\"\"", 0),
            (b"=\"1 2\"", 0),
            (b"=\"-5\"", 0),
            (b"s=\"5\"", 0),
            (b"=\"99999999999999999999999\"", u64::MAX),
            (b"=\"123", u64::MAX),
            (b"  ", u64::MAX),
            (b"= ", u64::MAX),
        ] {
            assert_eq!(
                claim_value(text),
                claim,
                "{}",
                String::from_utf8_lossy(text)
            );
        }
    }

    /// Scans `xml` fed in chunks of `size` bytes, as check_shared_strings
    /// does.
    fn scan_in_chunks(xml: &[u8], size: usize) -> u64 {
        let mut scan = SharedStringScan::default();
        let mut buf = Vec::new();
        for chunk in xml.chunks(size) {
            buf.extend_from_slice(chunk);
            let done = scan.feed(&buf, false);
            buf.drain(..done);
        }
        let done = scan.feed(&buf, true);
        assert_eq!(done, buf.len());
        scan.claim
    }

    #[test]
    fn every_claim_in_a_part_is_found_whatever_the_chunks() {
        let xml = |n: usize, claim: &str| {
            let mut xml = b"<?xml version=\"1.0\"?><!-- uniqueCount=\"3\" --><x:sst xmlns:x=\"m\" count=\"9\" ".to_vec();
            xml.extend_from_slice(claim.as_bytes());
            xml.push(b'>');
            for k in 0..n {
                xml.extend_from_slice(format!("<si><t>{k} uniqueCount</t></si>").as_bytes());
            }
            xml.extend_from_slice(b"</x:sst>");
            xml
        };
        for (n, sizes) in [
            (100, vec![1, 2, 7, 13]),
            (5000, vec![4095, 4096, 4097, 65536, usize::MAX]),
        ] {
            for (claim, expected) in [
                ("uniqueCount=\"7\"", 7),
                ("uniqueCount\x0c=\"99999999999999\"", 99_999_999_999_999),
                ("uniqueCount='2'", 3),
            ] {
                let xml = xml(n, claim);
                for size in &sizes {
                    let got = scan_in_chunks(&xml, (*size).min(xml.len()));
                    assert_eq!(
                        got, expected,
                        "{claim} among {n} strings in chunks of {size}"
                    );
                }
            }
        }
    }

    /// A workbook whose shared-strings part claims `claim` strings and
    /// holds `n`; its stored bytes are mangled by `damage`.
    fn shared_strings_book(claim: &str, n: u32, damage: impl Fn(&mut Vec<u8>)) -> Vec<u8> {
        let strings: String = (0..n)
            .map(|k| format!("<si><t>{}</t></si>", k * 7919 % 100_003))
            .collect();
        let sst = format!("<sst count=\"2\" uniqueCount=\"{claim}\">{strings}</sst>");
        let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        z.start_file(
            "xl/sharedStrings.xml",
            zip::write::SimpleFileOptions::default(),
        )
        .unwrap();
        z.write_all(sst.as_bytes()).unwrap();
        let mut bytes = z.finish().unwrap().into_inner();
        damage(&mut bytes);
        bytes
    }

    #[test]
    fn a_claim_beyond_what_the_part_can_hold_is_refused_even_in_a_damaged_part() {
        let none = |_: &mut Vec<u8>| {};
        // 20,000 strings in about 390 KB: up to 97,000-odd claimed fit.
        assert!(check_shared_strings(&shared_strings_book("20000", 20_000, none)).is_ok());
        assert!(check_shared_strings(&shared_strings_book("1000000", 20_000, none)).is_ok());
        let err = check_shared_strings(&shared_strings_book("1000001", 20_000, none)).unwrap_err();
        assert!(
            err.contains("claims 1000001 strings, more than its"),
            "{err}"
        );
        // A wrong CRC (its last byte's bits flipped in the local header
        // and the central directory), and a deflate stream cut short: the
        // zip reader fails only after handing over what it read.
        let bad_crc = |b: &mut Vec<u8>| {
            let mut at = 0;
            while let Some(i) = memchr::memmem::find(&b[at..], b"PK") {
                let i = at + i;
                match b.get(i + 2..i + 4) {
                    Some([3, 4]) => b[i + 17] ^= 0xff,
                    Some([1, 2]) => b[i + 19] ^= 0xff,
                    _ => {}
                }
                at = i + 2;
            }
        };
        // A small part: all of it comes before the error, which the scan has
        // to look at as a whole.
        let book = shared_strings_book("99999999999999", 2, bad_crc);
        assert!(read_until_it_fails(&book).1, "the CRC is wrong");
        assert!(check_shared_strings(&book).is_err());
        let cut = |b: &mut Vec<u8>| {
            // The stream's last bytes, just before the central directory.
            let directory = memchr::memmem::find(b, b"PK\x01\x02").unwrap();
            b[directory - 2] ^= 0x55;
            b[directory - 3] ^= 0x55;
        };
        let book = shared_strings_book("99999999999999", 20_000, cut);
        let (read, failed) = read_until_it_fails(&book);
        assert!(
            failed && read.len() > 1000,
            "the stream fails after its start"
        );
        assert!(check_shared_strings(&book).is_err());
    }

    #[test]
    fn a_claim_read_before_the_part_fails_is_refused() {
        // Finding 30: about 40 KB of strings declared as 10,000 bytes. The
        // zip reader fails the read that passes 10,000 bytes, giving none
        // of it: calamine, reading 8 KB at a time, has the claim from the
        // first read and reserves for it (the old binary aborted); a 64 KB
        // read failed at once and the scan saw nothing.
        let declared_short = |b: &mut Vec<u8>| super::super::xml::declare_size(b, 10_000);
        let book = shared_strings_book("99999999999999", 2_000, declared_short);
        let (read, failed) = read_until_it_fails(&book);
        assert!(failed && read.len() >= 8192, "fails after 8 KB");
        let err = check_shared_strings(&book).unwrap_err();
        assert!(err.contains("claims 99999999999999 strings"), "{err}");
    }

    /// The shared-strings part's bytes as a reader gets them before an
    /// error, and whether one came.
    fn read_until_it_fails(book: &[u8]) -> (Vec<u8>, bool) {
        use std::io::Read;
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(book)).unwrap();
        let mut part = zip.by_index(0).unwrap();
        let (mut read, mut chunk) = (Vec::new(), [0u8; 4096]);
        loop {
            match part.read(&mut chunk) {
                Ok(0) => return (read, false),
                Ok(n) => read.extend_from_slice(&chunk[..n]),
                Err(_) => return (read, true),
            }
        }
    }

    #[test]
    fn merges_are_found_in_any_worksheet_even_across_read_chunks() {
        for at in [0, 100, (1 << 16) - 4, (1 << 16) - 9, 1 << 16, 3 << 16] {
            let mut sheet = vec![b' '; at];
            sheet.extend_from_slice(b"<mergeCell ref=\"A1:B1\"/>");
            sheet.extend(vec![b' '; 1000]);
            let book = zip_of(&[
                ("xl/workbook.xml", b"<workbook/>".to_vec()),
                ("xl/worksheets/sheet1.xml", vec![b' '; 70_000]),
                ("xl/worksheets/sheet2.xml", sheet),
            ]);
            assert_eq!(
                vet_worksheets(&book),
                Ok(true),
                "missed a merge at byte {at}"
            );
        }
    }

    #[test]
    fn no_merge_in_a_worksheet_means_none_to_look_for() {
        let book = zip_of(&[
            // The word elsewhere (a shared string, the workbook) is no merge.
            ("xl/sharedStrings.xml", b"<t>mergeCell</t>".to_vec()),
            ("xl/worksheets/sheet1.xml", vec![b'x'; 200_000]),
        ]);
        assert_eq!(vet_worksheets(&book), Ok(false));
        // Not a zip: calamine decides (and reports).
        assert_eq!(vet_worksheets(b"not a workbook"), Ok(true));
    }

    // fuzz/README.md finding 28.
    #[test]
    fn a_sheet_stored_outside_the_worksheets_folder_is_vetted_too() {
        let rels = |target: &str| {
            format!(
                "<Relationships><Relationship Id=\"rId1\" Target=\"{target}\"/></Relationships>"
            )
            .into_bytes()
        };
        let merges = b"<mergeCells><mergeCell ref=\"A1:B1\"/></mergeCells>".to_vec();
        let huge = b"<c><f t=\"shared\" ref=\"A1\" si=\"5000000\">1</f></c>".to_vec();
        for target in [
            "data/scores.xml",
            "/xl/data/scores.xml",
            "../xl/data/Scores.XML",
            "data\\scores.xml",
        ] {
            let book = zip_of(&[
                ("xl/_rels/workbook.xml.rels", rels(target)),
                ("xl/data/scores.xml", merges.clone()),
            ]);
            assert_eq!(vet_worksheets(&book), Ok(true), "{target}");
            let book = zip_of(&[
                ("xl/_rels/workbook.xml.rels", rels(target)),
                ("xl/data/scores.xml", huge.clone()),
            ]);
            let p = vet_worksheets(&book).unwrap_err();
            assert!(
                p.contains("xl/data/scores.xml numbers a shared formula 5,000,000"),
                "{p}"
            );
        }
        // A part no relationship names is not a sheet calamine could read:
        // the word in a shared string, a theme, a picture is no merge, and
        // such a part is not read.
        let book = zip_of(&[
            ("xl/_rels/workbook.xml.rels", rels("worksheets/sheet1.xml")),
            ("xl/data/scores.xml", merges),
            ("xl/theme/theme1.xml", huge),
            ("xl/worksheets/sheet1.xml", b"<sheetData/>".to_vec()),
        ]);
        assert_eq!(vet_worksheets(&book), Ok(false));
    }

    // fuzz/README.md finding 27.
    #[test]
    fn a_part_that_cannot_be_opened_does_not_spare_the_worksheets_after_it() {
        let huge = b"<c><f t=\"shared\" ref=\"A1\" si=\"5000000\">1</f></c>".to_vec();
        let mut book = zip_of(&[
            ("docProps/custom.xml", b"<x/>".to_vec()),
            ("xl/worksheets/sheet1.xml", huge),
        ]);
        // The first part's local header, damaged: the zip reader cannot
        // open that part, and calamine never asks for it.
        assert_eq!(&book[..4], b"PK\x03\x04");
        book[2] = 0;
        assert!(zip::ZipArchive::new(std::io::Cursor::new(&book[..]))
            .unwrap()
            .by_index(0)
            .is_err());
        let p = vet_worksheets(&book).unwrap_err();
        assert!(p.contains("numbers a shared formula 5,000,000"), "{p}");
    }
}
