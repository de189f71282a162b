//! Errors and exit codes.
//!
//! Input problems are *collected*, never raised one at a time: a merit list
//! with one row missing is wrong, so every stage gathers all of its problems
//! and the run refuses to write anything when there is at least one
//! (SPEC section 1: exit 2, nothing written).

use std::fmt;
use std::path::PathBuf;

/// Where a problem was found, as precisely as the input allows.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Place {
    /// A whole file (`applicants.csv`).
    File { file: String },
    /// A key of the exam file, with the line it stands on when known.
    Key {
        file: String,
        line: Option<usize>,
        key: String,
    },
    /// A spreadsheet cell: `applicants.xlsx, sheet Applicants, cell D17`.
    Cell {
        file: String,
        sheet: String,
        row: u32,
        col: u32,
    },
    /// A line of a text file (the exam file's syntax errors).
    Line { file: String, line: usize },
    /// A whole spreadsheet row.
    SheetRow {
        file: String,
        sheet: String,
        row: u32,
    },
    /// A whole sheet.
    Sheet { file: String, sheet: String },
    /// A CSV field: `applicants.csv, row 12, column signed`.
    CsvField {
        file: String,
        row: u64,
        col: u32,
        header: String,
    },
    /// A whole CSV row.
    CsvRow { file: String, row: u64 },
}

/// Spreadsheet column letters for a zero-based column index (0 → `A`, 27 → `AB`).
pub fn column_letters(mut col: u32) -> String {
    let mut out = Vec::new();
    loop {
        out.push(b'A' + (col % 26) as u8);
        if col < 26 {
            break;
        }
        col = col / 26 - 1;
    }
    out.reverse();
    // Cannot fail: every byte pushed is b'A' + (col % 26), an ASCII capital: valid UTF-8.
    String::from_utf8(out).expect("ASCII letters only")
}

/// A cell reference such as `D17` for zero-based row and column.
pub fn cell_ref(row: u32, col: u32) -> String {
    format!("{}{}", column_letters(col), row + 1)
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Place::File { file } => write!(f, "{file}"),
            Place::Key { file, line, key } => match line {
                Some(l) => write!(f, "{file}, line {l}, key `{key}`"),
                None => write!(f, "{file}, key `{key}`"),
            },
            Place::Cell {
                file,
                sheet,
                row,
                col,
            } => write!(f, "{file}, sheet {sheet}, cell {}", cell_ref(*row, *col)),
            Place::Line { file, line } => write!(f, "{file}, line {line}"),
            Place::SheetRow { file, sheet, row } => {
                write!(f, "{file}, sheet {sheet}, row {}", row + 1)
            }
            Place::Sheet { file, sheet } => write!(f, "{file}, sheet {sheet}"),
            Place::CsvField {
                file,
                row,
                col,
                header,
            } => {
                if header.is_empty() {
                    write!(f, "{file}, row {row}, column {}", column_letters(*col))
                } else {
                    write!(f, "{file}, row {row}, column {header}")
                }
            }
            Place::CsvRow { file, row } => write!(f, "{file}, row {row}"),
        }
    }
}

/// One thing wrong with the input, and where.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Problem {
    pub place: Place,
    pub message: String,
}

impl Problem {
    pub fn new(place: Place, message: impl Into<String>) -> Self {
        Problem {
            place,
            message: message.into(),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.place, self.message)
    }
}

/// Everything that can stop a command.
#[derive(Debug)]
pub enum Error {
    /// Invalid input: every problem found, in a stable order. Exit 2.
    Input(Vec<Problem>),
    /// Bad usage (wrong option values, refused overwrite). Exit 2.
    Usage(String),
    /// An I/O failure outside the inputs' content. Exit 1.
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
    /// Anything else. Exit 1.
    Other(String),
}

impl Error {
    pub fn io(path: impl Into<PathBuf>, error: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            error,
        }
    }

    /// The exit code this error maps to (SPEC section 1).
    pub fn exit_code(&self) -> ExitCode {
        match self {
            Error::Input(_) | Error::Usage(_) => ExitCode::InvalidInput,
            Error::Io { .. } | Error::Other(_) => ExitCode::Failure,
        }
    }

    /// Builds an input error from collected problems, sorted and de-duplicated
    /// so that the report is the same whatever order threads found them in.
    pub fn from_problems(mut problems: Vec<Problem>) -> Self {
        problems.sort();
        problems.dedup();
        Error::Input(problems)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Input(problems) => {
                for p in problems {
                    writeln!(f, "{p}")?;
                }
                let n = problems.len();
                write!(
                    f,
                    "{n} problem{} found; nothing was written.",
                    if n == 1 { "" } else { "s" }
                )
            }
            Error::Usage(m) => write!(f, "{m}"),
            Error::Io { path, error } => write!(f, "{}: {error}", path.display()),
            Error::Other(m) => write!(f, "{m}"),
        }
    }
}

impl std::error::Error for Error {}

pub type Result<T> = std::result::Result<T, Error>;

/// The process exit codes, converted in one place (SPEC section 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitCode {
    Success = 0,
    Failure = 1,
    InvalidInput = 2,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_letters_follow_spreadsheet_convention() {
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(27), "AB");
        assert_eq!(column_letters(701), "ZZ");
        assert_eq!(column_letters(702), "AAA");
        assert_eq!(cell_ref(16, 3), "D17");
    }
}
