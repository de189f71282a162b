//! Reading one input file into a uniform table of cells: spreadsheets
//! through calamine, CSV through the csv crate. This layer knows nothing of
//! applicants or scores; it finds the header row, keeps every cell's place
//! for messages, and reports what it cannot read.

use crate::error::{Place, Problem};
use crate::exam::InputSpec;
use crate::fields::normalise_header;
use calamine::{Data, DataRef, Reader};
use chrono::NaiveDate;
use sha2::{Digest, Sha256};
use std::io::Cursor;

/// One cell's content, before any field gives it a type.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Int(i64),
    /// A spreadsheet number cell; see `num::from_cell_float`.
    Float(f64),
    Bool(bool),
    /// A spreadsheet date cell (either date system), its date part.
    Date(NaiveDate),
    /// A spreadsheet error value such as `#N/A`.
    Error(String),
}

impl Cell {
    pub fn is_blank(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(s) => s.trim().is_empty(),
            _ => false,
        }
    }

    /// The cell as a person sees it, for messages and text fields.
    pub fn display(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(s) => s.clone(),
            Cell::Int(i) => i.to_string(),
            Cell::Float(f) => {
                if f.fract() == 0.0 && f.abs() < 1e15 {
                    format!("{}", *f as i64)
                } else {
                    format!("{f}")
                }
            }
            Cell::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
            Cell::Date(d) => d.format("%Y-%m-%d").to_string(),
            Cell::Error(e) => e.clone(),
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
        }
    }
}

fn truncate(s: &str, max: usize) -> String {
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
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut s = String::with_capacity(64);
    for b in digest {
        s.push_str(&format!("{b:02x}"));
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
pub fn stream<F>(spec: &InputSpec, aliases: &[(String, String)], consume: F) -> Loaded
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
            };
        }
    };
    let sha256 = sha256_hex(&bytes);
    let ext = spec
        .path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    let mut header = HeaderFinder::new(&spec.display, aliases, consume);
    let read = match ext.as_str() {
        "csv" | "txt" | "tsv" => {
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
        "xlsx" | "xlsm" | "xls" | "xlsb" | "ods" => {
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
    let table = read.and_then(|()| header.finish());
    Loaded { sha256, table }
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
            // Align the row with the header's columns; data past the last
            // header is in no column and is ignored.
            let width = table.columns.len();
            let offset = col0 as i64 - self.col0 as i64;
            let mut aligned = vec![Cell::Empty; width];
            for (i, c) in cells.into_iter().enumerate() {
                let at = i as i64 + offset;
                if at >= 0 && (at as usize) < width {
                    aligned[at as usize] = c;
                }
            }
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
        let table = Table {
            file: self.file.to_string(),
            origin: self.origin.clone().unwrap_or(Origin::Csv),
            header_row: number,
            columns,
        };
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
                let found = if !self.any_cell {
                    "the sheet is empty".to_string()
                } else {
                    "no such header in the first ten non-blank rows".to_string()
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
            let line = bytes[..e.valid_up_to()]
                .iter()
                .filter(|b| **b == b'\n')
                .count() as u64
                + 1;
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
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(bytes);
    let mut record = csv::ByteRecord::new();
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
            line += bytes[counted_to..offset]
                .iter()
                .filter(|b| **b == b'\n')
                .count() as u64;
            counted_to = offset;
        }
        line
    };
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {
                let number = record
                    .position()
                    .map(|p| line_at(p.byte() as usize))
                    .unwrap_or(0);
                let cells = record
                    .iter()
                    .map(|f| {
                        if f.is_empty() {
                            Cell::Empty
                        } else {
                            // The whole text was checked as UTF-8 above and
                            // fields split at ASCII bytes only.
                            Cell::Text(String::from_utf8_lossy(f).into_owned())
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

fn read_sheet<F: FnMut(&Table, Vec<Row>)>(
    spec: &InputSpec,
    ext: &str,
    bytes: &[u8],
    out: &mut HeaderFinder<'_, F>,
) -> Result<(), Vec<Problem>> {
    let file = spec.display.clone();
    let fail = |what: String| vec![Problem::new(Place::File { file: file.clone() }, what)];
    let cursor = Cursor::new(bytes);
    let mut book: calamine::Sheets<Cursor<&[u8]>> = match ext {
        "xlsx" | "xlsm" => calamine::open_workbook_from_rs(cursor)
            .map(calamine::Sheets::Xlsx)
            .map_err(|e| describe_open_error(&e.to_string())),
        "xls" => calamine::open_workbook_from_rs(cursor)
            .map(calamine::Sheets::Xls)
            .map_err(|e| describe_open_error(&e.to_string())),
        "xlsb" => calamine::open_workbook_from_rs(cursor)
            .map(calamine::Sheets::Xlsb)
            .map_err(|e| describe_open_error(&e.to_string())),
        _ => calamine::open_workbook_from_rs(cursor)
            .map(calamine::Sheets::Ods)
            .map_err(|e| describe_open_error(&e.to_string())),
    }
    .map_err(fail)?;
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
            Some(n) => n.clone(),
            None => return Err(fail("the workbook has no sheets".into())),
        },
    };
    out.origin = Some(Origin::Sheet(sheet.clone()));
    let cannot = |e: String| {
        fail(format!(
            "cannot read sheet \"{sheet}\": {}",
            describe_open_error(&e)
        ))
    };
    match &mut book {
        // Large workbooks are read a cell at a time, never as a whole
        // in-memory range.
        calamine::Sheets::Xlsx(x) => {
            let mut cells = x
                .worksheet_cells_reader(&sheet)
                .map_err(|e| cannot(e.to_string()))?;
            let mut rows = RowAssembler::default();
            while let Some(c) = cells.next_cell().map_err(|e| cannot(e.to_string()))? {
                let (r, col) = c.get_position();
                rows.push(r, col, convert_ref(c.get_value()), out);
            }
            rows.flush(out);
        }
        calamine::Sheets::Xlsb(x) => {
            let mut cells = x
                .worksheet_cells_reader(&sheet)
                .map_err(|e| cannot(e.to_string()))?;
            let mut rows = RowAssembler::default();
            while let Some(c) = cells.next_cell().map_err(|e| cannot(e.to_string()))? {
                let (r, col) = c.get_position();
                rows.push(r, col, convert_ref(c.get_value()), out);
            }
            rows.flush(out);
        }
        other => {
            let range = other
                .worksheet_range(&sheet)
                .map_err(|e| cannot(e.to_string()))?;
            let (row0, col0) = range.start().unwrap_or((0, 0));
            for (i, r) in range.rows().enumerate() {
                let cells: Vec<Cell> = r.iter().map(convert).collect();
                out.row(row0 as u64 + i as u64 + 1, col0, cells);
            }
        }
    }
    Ok(())
}

/// Gathers streamed cells into rows. Rows that hold no cell are absent
/// from the stream, which is the same as blank.
#[derive(Default)]
struct RowAssembler {
    row: Option<u32>,
    first_col: u32,
    cells: Vec<Cell>,
}

impl RowAssembler {
    fn push<F: FnMut(&Table, Vec<Row>)>(
        &mut self,
        r: u32,
        c: u32,
        cell: Cell,
        out: &mut HeaderFinder<'_, F>,
    ) {
        if self.row != Some(r) {
            self.flush(out);
            self.row = Some(r);
            self.first_col = 0;
        }
        if c as usize >= self.cells.len() {
            self.cells.resize(c as usize + 1, Cell::Empty);
        }
        self.cells[c as usize] = cell;
    }

    fn flush<F: FnMut(&Table, Vec<Row>)>(&mut self, out: &mut HeaderFinder<'_, F>) {
        if let Some(r) = self.row.take() {
            let cells = std::mem::take(&mut self.cells);
            out.row(r as u64 + 1, self.first_col, cells);
        }
    }
}

fn describe_open_error(e: &str) -> String {
    let lower = e.to_lowercase();
    if lower.contains("password") || lower.contains("encrypt") {
        format!("the workbook is password-protected or encrypted; save an unprotected copy ({e})")
    } else {
        format!("cannot open the workbook (is it damaged, or not really this file type?): {e}")
    }
}

fn convert_datetime(dt: &calamine::ExcelDateTime) -> Cell {
    if dt.is_duration() {
        Cell::Float(dt.as_f64())
    } else if dt.as_f64() < 1.0 {
        // A time of day with no date part (serial below 1): shown as the
        // time, never read as the epoch's day.
        let (_, _, _, h, m, ..) = dt.to_ymd_hms_milli();
        Cell::Text(format!("{h:02}:{m:02} (a time, with no date)"))
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
        Data::String(s) => Cell::Text(s.clone()),
        Data::Int(i) => Cell::Int(*i),
        Data::Float(f) => Cell::Float(*f),
        Data::Bool(b) => Cell::Bool(*b),
        Data::DateTime(dt) => convert_datetime(dt),
        Data::DateTimeIso(s) => Cell::Text(s.clone()),
        Data::DurationIso(s) => Cell::Text(s.clone()),
        Data::Error(e) => Cell::Error(e.to_string()),
    }
}

fn convert_ref(d: &DataRef<'_>) -> Cell {
    match d {
        DataRef::Empty => Cell::Empty,
        DataRef::String(s) => Cell::Text(s.clone()),
        DataRef::SharedString(s) => Cell::Text(s.to_string()),
        DataRef::Int(i) => Cell::Int(*i),
        DataRef::Float(f) => Cell::Float(*f),
        DataRef::Bool(b) => Cell::Bool(*b),
        DataRef::DateTime(dt) => convert_datetime(dt),
        DataRef::DateTimeIso(s) => Cell::Text(s.clone()),
        DataRef::DurationIso(s) => Cell::Text(s.clone()),
        DataRef::Error(e) => Cell::Error(e.to_string()),
    }
}
