//! Reading one input file into a uniform table of cells: spreadsheets
//! through calamine, CSV through the csv crate. This layer knows nothing of
//! applicants or scores; it finds the header row, keeps every cell's place
//! for messages, and reports what it cannot read.

use crate::error::{Place, Problem};
use crate::exam::InputSpec;
use crate::fields::normalise_header;
use calamine::{Data, Reader};
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

/// A file's data rows under its header row.
#[derive(Debug, Clone)]
pub struct Table {
    /// The file as named in the exam file.
    pub file: String,
    pub origin: Origin,
    pub header_row: u64,
    pub columns: Vec<Column>,
    pub rows: Vec<Row>,
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

/// A file read from disk: its bytes' hash and its table, or its problems.
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

/// Reads an input file, hashes it, and finds its header row: the first row,
/// among the first ten non-blank rows, holding the `applicant_id` header or
/// one of its aliases (SPEC 3).
pub fn load(spec: &InputSpec, aliases: &[(String, String)]) -> Loaded {
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
    let raw = match ext.as_str() {
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
                read_csv(&spec.display, &bytes, delim)
            }
        }
        "xlsx" | "xlsm" | "xls" | "xlsb" | "ods" => {
            if spec.delimiter.is_some() {
                Err(vec![Problem::new(
                    file_place.clone(),
                    "a delimiter was given but the file is a spreadsheet, not a CSV",
                )])
            } else {
                read_sheet(spec, &ext, bytes.as_slice())
            }
        }
        other => Err(vec![Problem::new(
            file_place.clone(),
            format!(
                "expected a spreadsheet (.xlsx, .xlsm, .xls, .xlsb, .ods) or a CSV file (.csv, .tsv, .txt), found a file ending in \"{other}\""
            ),
        )]),
    };
    let table = raw.and_then(|(origin, rows)| find_header(&spec.display, origin, rows, aliases));
    Loaded { sha256, table }
}

/// Raw rows: (1-based row number, first column index, cells).
type RawRows = Vec<(u64, u32, Vec<Cell>)>;

fn read_csv(file: &str, bytes: &[u8], delimiter: u8) -> Result<(Origin, RawRows), Vec<Problem>> {
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
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    let mut record = csv::StringRecord::new();
    // Row numbers are the file's line numbers (blank lines count), found
    // from each record's byte offset: the reader's own line count does not
    // include the blank lines it skips, nor CRLF pairs consistently.
    let newlines: Vec<usize> = text
        .bytes()
        .enumerate()
        .filter(|(_, b)| *b == b'\n')
        .map(|(i, _)| i)
        .collect();
    let bytes = text.as_bytes();
    let line_at = |mut offset: usize| -> u64 {
        while offset < bytes.len() && (bytes[offset] == b'\n' || bytes[offset] == b'\r') {
            offset += 1;
        }
        newlines.partition_point(|&n| n < offset) as u64 + 1
    };
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {
                let line = record
                    .position()
                    .map(|p| line_at(p.byte() as usize))
                    .unwrap_or(0);
                let cells = record
                    .iter()
                    .map(|f| {
                        if f.is_empty() {
                            Cell::Empty
                        } else {
                            Cell::Text(f.to_string())
                        }
                    })
                    .collect();
                rows.push((line, 0, cells));
            }
            Err(e) => {
                let line = e
                    .position()
                    .map(|p| line_at(p.byte() as usize))
                    .unwrap_or(0);
                return Err(vec![Problem::new(
                    Place::CsvRow {
                        file: file.to_string(),
                        row: line,
                    },
                    format!("cannot read the CSV: {e}"),
                )]);
            }
        }
    }
    Ok((Origin::Csv, rows))
}

fn read_sheet(
    spec: &InputSpec,
    ext: &str,
    bytes: &[u8],
) -> Result<(Origin, RawRows), Vec<Problem>> {
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
    let range = book.worksheet_range(&sheet).map_err(|e| {
        fail(format!(
            "cannot read sheet \"{sheet}\": {}",
            describe_open_error(&e.to_string())
        ))
    })?;
    let (row0, col0) = range.start().unwrap_or((0, 0));
    let mut rows = Vec::with_capacity(range.height());
    for (i, r) in range.rows().enumerate() {
        let cells: Vec<Cell> = r.iter().map(convert).collect();
        rows.push((row0 as u64 + i as u64 + 1, col0, cells));
    }
    Ok((Origin::Sheet(sheet), rows))
}

fn describe_open_error(e: &str) -> String {
    let lower = e.to_lowercase();
    if lower.contains("password") || lower.contains("encrypt") {
        format!("the workbook is password-protected or encrypted; save an unprotected copy ({e})")
    } else {
        format!("cannot open the workbook (is it damaged, or not really this file type?): {e}")
    }
}

fn convert(d: &Data) -> Cell {
    match d {
        Data::Empty => Cell::Empty,
        Data::String(s) => Cell::Text(s.clone()),
        Data::Int(i) => Cell::Int(*i),
        Data::Float(f) => Cell::Float(*f),
        Data::Bool(b) => Cell::Bool(*b),
        Data::DateTime(dt) => {
            if dt.is_duration() {
                Cell::Float(dt.as_f64())
            } else if dt.as_f64() < 1.0 {
                // A time of day with no date part (serial below 1): shown
                // as the time, never read as the epoch's day.
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
        Data::DateTimeIso(s) => Cell::Text(s.clone()),
        Data::DurationIso(s) => Cell::Text(s.clone()),
        Data::Error(e) => Cell::Error(e.to_string()),
    }
}

fn find_header(
    file: &str,
    origin: Origin,
    rows: RawRows,
    aliases: &[(String, String)],
) -> Result<Table, Vec<Problem>> {
    let is_id = |key: &str| {
        key == "applicant_id"
            || aliases
                .iter()
                .any(|(canon, alias)| canon == "applicant_id" && alias == key)
    };
    let mut header_at = None;
    for (i, (_, _, cells)) in rows
        .iter()
        .enumerate()
        .filter(|(_, (_, _, cells))| cells.iter().any(|c| !c.is_blank()))
        .take(10)
    {
        if cells.iter().any(|c| is_id(&normalise_header(&c.display()))) {
            header_at = Some(i);
            break;
        }
    }
    let Some(h) = header_at else {
        let alias_note: Vec<_> = aliases
            .iter()
            .filter(|(c, _)| c == "applicant_id")
            .map(|(_, a)| format!("\"{a}\""))
            .collect();
        let place = match &origin {
            Origin::Sheet(s) => Place::Sheet {
                file: file.to_string(),
                sheet: s.clone(),
            },
            Origin::Csv => Place::File {
                file: file.to_string(),
            },
        };
        let found = if rows.iter().all(|(_, _, c)| c.iter().all(Cell::is_blank)) {
            "the sheet is empty".to_string()
        } else {
            "no such header in the first ten non-blank rows".to_string()
        };
        return Err(vec![Problem::new(
            place,
            format!(
                "expected a header row with an applicant_id column{}, found {found}",
                if alias_note.is_empty() {
                    String::new()
                } else {
                    format!(" (or {})", alias_note.join(", "))
                }
            ),
        )]);
    };
    let mut rows = rows;
    let data = rows.split_off(h + 1);
    let (header_row, col0, header_cells) = rows.pop().expect("the header row exists");
    let columns: Vec<Column> = header_cells
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
    let width = columns.len();
    let rows = data
        .into_iter()
        .filter(|(_, _, cells)| cells.iter().any(|c| !c.is_blank()))
        .map(|(number, c0, mut cells)| {
            // Spreadsheet rows share the range's first column; CSV rows
            // may be ragged. Align every row with the header's columns;
            // data past the last header is in no column and is ignored.
            debug_assert_eq!(c0, col0);
            cells.resize(width.max(cells.len()), Cell::Empty);
            cells.truncate(width);
            Row { number, cells }
        })
        .collect();
    Ok(Table {
        file: file.to_string(),
        origin,
        header_row,
        columns,
        rows,
    })
}
