//! Ingest: every input file read, typed and cross-checked, with every
//! problem collected (SPEC 3). Files are read in parallel; the result does not
//! depend on the order in which threads finish.

mod biff;
mod cfb;
mod ods;
mod xls_formula;
mod xlsb;
mod xml;
#[doc(hidden)]
pub use cfb::disagreement as xls_guard_disagreement;
#[doc(hidden)]
pub use ods::disagreement as ods_guard_disagreement;
#[doc(hidden)]
pub use xml::disagreement as xml_guard_disagreement;
#[doc(hidden)]
pub use xml::sheets_disagreement as xlsx_sheets_disagreement;
pub mod table;

use crate::error::{Error, Place, Problem, Result};
use crate::exam::{Component, ComponentKind, DateOrder, Exam, InputSpec};
use crate::fields::{
    self, is_error_text, is_no_result, natural_cmp, normalise_header, parse_bool, parse_date_text,
    parse_pass_fail, Degree, Delivery, Ground,
};
use crate::num::{from_cell_float, parse_cell_decimal};
use chrono::NaiveDate;
use rayon::prelude::*;
use rust_decimal::Decimal;
use std::borrow::Cow;
use std::collections::hash_map::Entry;
use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;
use table::{Cell, Table};

/// One applicant, as the applicants file states (SPEC 3.1).
#[derive(Debug, Clone, PartialEq)]
pub struct Applicant {
    pub id: String,
    pub last_name: String,
    pub first_name: String,
    pub address: String,
    pub city: String,
    pub state: String,
    pub zip: String,
    pub delivery: Delivery,
    pub received_on: NaiveDate,
    pub postmarked_on: Option<NaiveDate>,
    pub signed: bool,
    pub us_citizen: Option<bool>,
    pub state_of_residence: String,
    pub certified_officer: bool,
    pub highest_degree: Degree,
    pub internal: bool,
    pub date_of_birth: Option<NaiveDate>,
}

impl Applicant {
    /// Filing of papers: the postmark date for mail, the received date
    /// otherwise.
    pub fn filing_date(&self) -> NaiveDate {
        match (self.delivery, self.postmarked_on) {
            (Delivery::Mail, Some(p)) => p,
            _ => self.received_on,
        }
    }
}

/// One component's result for one applicant.
#[derive(Debug, Clone, PartialEq)]
pub enum RawResult {
    /// No result (blank, absent, or missing from the file).
    Missing,
    /// The raters' values on the raw scale.
    Scored(Vec<Decimal>),
    PassFail(bool),
}

/// A Board finding (SPEC 3.3).
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub ground: Ground,
    pub note: String,
    pub decided_on: Option<NaiveDate>,
}

/// Clearance dates (SPEC 3.4); `None` = not cleared.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Clearance {
    pub fingerprinted_on: Option<NaiveDate>,
    /// In the order of `clearance_agencies`.
    pub agencies: Vec<Option<NaiveDate>>,
}

/// An input file's identity for the audit block.
#[derive(Debug, Clone, PartialEq)]
pub struct InputFile {
    pub role: &'static str,
    pub path: String,
    pub sheet: Option<String>,
    pub sha256: String,
}

/// Everything read from the inputs, sorted by applicant ID.
#[derive(Debug, Clone)]
pub struct Dataset {
    /// In natural ID order.
    pub applicants: Vec<Applicant>,
    /// `results[c][i]`: component c (declaration order), applicant i.
    pub results: Vec<Vec<RawResult>>,
    /// Findings per applicant, in ground order, each ground once.
    pub findings: Vec<Vec<Finding>>,
    pub clearances: Vec<Option<Clearance>>,
    pub files: Vec<InputFile>,
}

/// Reads and validates every input of the exam.
///
/// The applicants file is read first, streamed in batches that are parsed
/// in parallel; then every other file is read at once, each checked against
/// the applicants' IDs as its rows arrive, so that no file is ever held
/// whole in memory as cells.
pub fn read(exam: &Exam) -> Result<Dataset> {
    let inputs = &exam.inputs;
    let ctx = Ctx {
        aliases: &inputs.aliases,
        date_order: inputs.date_order,
    };
    let mut problems = Vec::new();
    let mut files = vec![];

    // Every file at once (issue 6): each is parsed on threads of its own,
    // and the rows of the other files wait, parsed, until the applicants
    // file's IDs are known (the gate), since every row is checked against
    // them. Reading a large workbook is one long sequential task; the
    // other files used to start only after it. What each file finds does
    // not depend on timing: a file's rows are still consumed in its order,
    // and the problems are sorted before they are shown.
    let others: Vec<(&'static str, &InputSpec)> = inputs
        .scores
        .iter()
        .map(|s| ("scores", s))
        .chain(inputs.determinations.iter().map(|d| ("determinations", d)))
        .chain(inputs.clearances.iter().map(|c| ("clearances", c)))
        .collect();
    let applicants_file = inputs.applicants.display.as_str();
    // Only a workbook's reading is long enough to be worth holding the
    // other files' rows meanwhile (about 450 MB at 1,000,000 applicants);
    // a CSV is read in a few seconds, and the other files start after it.
    let early = !table::is_csv(&table::extension(&inputs.applicants.path));
    let slot: OnceLock<Vec<Applicant>> = OnceLock::new();
    let gate: Gate<'_> = OnceLock::new();
    type OtherOut = (String, Option<Table>, Vec<Problem>, Other);
    let read_other = |&(role, spec): &(&'static str, &InputSpec)| -> OtherOut {
        let mut p = Vec::new();
        let (loaded, other) = match role {
            "scores" => {
                let (l, s) = read_score_file(&ctx, exam, spec, &gate, applicants_file, &mut p);
                (l, Other::Scores(s))
            }
            "determinations" => {
                let (l, f) = read_whole(&ctx, spec, &gate, |t, rows, index, out| {
                    determinations_rows(&ctx, t, rows, index, applicants_file, out, &mut p)
                });
                (l, Other::Findings(f))
            }
            _ => {
                let (l, c) = read_whole(&ctx, spec, &gate, |t, rows, index, out| {
                    clearances_rows(&ctx, exam, t, rows, index, applicants_file, out, &mut p)
                });
                (l, Other::Clearances(c))
            }
        };
        p.extend(loaded.problems);
        let table = match loaded.table {
            Ok(t) => Some(t),
            Err(e) => {
                p.extend(e);
                None
            }
        };
        (loaded.sha256, table, p, other)
    };
    // The applicants file: its problems, its IDs through the gate, and
    // its hash.
    let read_first = |problems: &mut Vec<Problem>| -> String {
        let (loaded, applicants, known_bad) =
            read_applicants(&ctx, exam, &inputs.applicants, problems);
        // For the test that a panic here ends the run (debug builds only).
        crate::output::inject_panic("applicants");
        problems.extend(loaded.problems);
        let complete = match loaded.table {
            Ok(_) => true,
            Err(p) => {
                problems.extend(p);
                false
            }
        };
        let applicants = slot.get_or_init(|| applicants);
        let _ = gate.set(Some(Ids::new(applicants, known_bad, complete)));
        loaded.sha256
    };
    // Called on a thread of a rayon pool (from a caller's parallel
    // iterator, or inside a pool's `install`), the readers' parallel work
    // would queue on the global pool while this thread waits for them:
    // there the files are read one after another, as before, and their
    // rows checked on the caller's pool.
    let threads = rayon::current_thread_index().is_none();
    let (applicants_sha256, outs): (String, Vec<OtherOut>) = if threads {
        // The global pool is made now, by a thread of normal priority: a
        // pool first used by a reader would inherit its lower priority.
        rayon::current_num_threads();
        std::thread::scope(|sc| {
            // Opens the gate empty if reading the applicants panics (or a
            // reader cannot be started), so that no reader waits for ever
            // and the panic is reported.
            struct Unblock<'g, 'a>(&'g Gate<'a>);
            impl Drop for Unblock<'_, '_> {
                fn drop(&mut self) {
                    let _ = self.0.set(None);
                }
            }
            let unblock = Unblock(&gate);
            // Plain threads, never rayon's: they wait at the gate, and the
            // applicants file's own rows are typed on rayon's threads.
            let readers: Vec<_> = others
                .iter()
                .map(|other| {
                    let (gate, read_other) = (&gate, &read_other);
                    sc.spawn(move || {
                        if early {
                            yield_to_applicants();
                        } else {
                            gate.wait();
                        }
                        read_other(other)
                    })
                })
                .collect();
            let sha = read_first(&mut problems);
            drop(unblock);
            let outs = readers.into_iter().map(crate::joined).collect();
            (sha, outs)
        })
    } else {
        let sha = read_first(&mut problems);
        // collect() keeps the input order.
        (sha, others.par_iter().map(read_other).collect())
    };
    drop(gate);
    let applicants = slot.into_inner().unwrap_or_default();
    files.push(InputFile {
        role: "applicants",
        path: inputs.applicants.display.clone(),
        sheet: inputs.applicants.sheet.clone(),
        sha256: applicants_sha256,
    });
    let n = applicants.len();

    let mut score_files = Vec::new();
    let mut findings = vec![Vec::new(); n];
    let mut clearances = vec![None; n];
    for ((role, spec), (sha256, table, p, other)) in others.iter().zip(outs) {
        files.push(InputFile {
            role,
            path: spec.display.clone(),
            sheet: spec.sheet.clone(),
            sha256,
        });
        problems.extend(p);
        match other {
            Other::Scores(s) => score_files.push((table, s)),
            Other::Findings(f) => findings = f,
            Other::Clearances(c) => clearances = c,
        }
    }

    // Each component from exactly one score file (SPEC 3.2).
    let headers: Vec<Option<&Table>> = score_files.iter().map(|(t, _)| t.as_ref()).collect();
    let accepted = assign_components(exam, &headers, &inputs.scores, &ctx, &mut problems);
    let mut results: Vec<Vec<RawResult>> = vec![Vec::new(); exam.components.len()];
    for ((_, mut s), comps) in score_files.into_iter().zip(accepted) {
        for (ci, _) in comps {
            if let Some(pos) = s.values.iter().position(|(c, _)| *c == ci) {
                results[ci] = s.values.swap_remove(pos).1;
            }
        }
    }
    for r in results.iter_mut() {
        if r.len() != n {
            *r = vec![RawResult::Missing; n];
        }
    }

    if !problems.is_empty() {
        return Err(Error::from_problems(problems));
    }
    Ok(Dataset {
        applicants,
        results,
        findings,
        clearances,
        files,
    })
}

/// What a file other than the applicants file gave.
enum Other {
    Scores(ScoreFile),
    Findings(Vec<Vec<Finding>>),
    Clearances(Vec<Option<Clearance>>),
}

/// One score file's results: for each complete component it holds, one
/// result per applicant (in `Dataset::applicants` order).
struct ScoreFile {
    values: Vec<(usize, Vec<RawResult>)>,
}

/// Lowers the calling thread's priority (Linux; the threads it starts
/// inherit it): the other files' readers then take what the applicants
/// file's reader, the longest task and the one everything waits for,
/// leaves free of the cores, instead of slowing it down.
fn yield_to_applicants() {
    // SAFETY: setpriority changes only how the kernel schedules the
    // caller; on Linux `PRIO_PROCESS, 0` names the calling thread alone
    // (a nice value is per thread there; `gettid` would need glibc 2.30).
    // A failure leaves the priority as it was.
    #[cfg(target_os = "linux")]
    unsafe {
        libc::setpriority(libc::PRIO_PROCESS, 0, 10);
    }
}

/// The applicants file's IDs, once it is read: the other files are
/// parsed meanwhile and wait here before their rows are checked. `None`
/// only when reading the applicants panicked.
type Gate<'a> = OnceLock<Option<Ids<'a>>>;

/// As [`table::stream`], handing each batch over with the applicant IDs:
/// batches parsed before the IDs are known are kept, in order, and handed
/// over once they are. Returns without consuming them if the gate opens
/// empty.
fn stream_after_ids<'a, F>(
    spec: &InputSpec,
    aliases: &[(String, String)],
    gate: &Gate<'a>,
    mut consume: F,
) -> table::Loaded
where
    F: FnMut(&Table, Vec<table::Row>, &Ids<'a>),
{
    let mut early: Vec<(Table, Vec<table::Row>)> = Vec::new();
    let loaded = table::stream(spec, aliases, |t, rows| match gate.get() {
        Some(Some(ids)) => {
            for (t0, rows0) in early.drain(..) {
                consume(&t0, rows0, ids);
            }
            consume(t, rows, ids);
        }
        _ => early.push((t.clone(), rows)),
    });
    if !early.is_empty() {
        if let Some(ids) = gate.wait() {
            for (t, rows) in early {
                consume(&t, rows, ids);
            }
        }
    }
    loaded
}

/// Applicant IDs for cross-checking the other files.
struct Ids<'a> {
    /// Valid applicants: ID → position in `Dataset::applicants`.
    index: rustc_hash::FxHashMap<&'a str, usize>,
    /// The valid applicants in that order (natural ID order), for
    /// [`Ids::get_next`].
    applicants: &'a [Applicant],
    /// Every ID the applicants file holds, valid row or not, so that a row
    /// with a problem there is not reported again as unknown elsewhere.
    known: HashSet<String>,
    /// False when the applicants file could not be read: then no ID can be
    /// called unknown, and only the real problem is reported.
    complete: bool,
    /// Loose keys of the valid IDs, built only when an ID is not found, to
    /// say which ID was probably meant.
    near: std::sync::OnceLock<rustc_hash::FxHashMap<String, String>>,
}

#[derive(Debug, Clone, Copy)]
enum Lookup {
    Found(usize),
    /// In the applicants file, on a row that has problems of its own.
    Invalid,
    Unknown,
}

impl<'a> Ids<'a> {
    /// The valid applicants (in natural ID order), the IDs of the
    /// applicants file's rows with problems, and whether that file could
    /// be read at all.
    fn new(applicants: &'a [Applicant], known: HashSet<String>, complete: bool) -> Self {
        Ids {
            index: applicants
                .iter()
                .enumerate()
                .map(|(i, a)| (a.id.as_str(), i))
                .collect(),
            applicants,
            known,
            complete,
            near: std::sync::OnceLock::new(),
        }
    }

    fn get(&self, id: &str) -> Lookup {
        match self.index.get(id) {
            Some(i) => Lookup::Found(*i),
            None if self.known.contains(id) || !self.complete => Lookup::Invalid,
            None => Lookup::Unknown,
        }
    }

    /// [`Ids::get`], trying first the applicant after `last`, the one the
    /// previous row of the file found. Score files mostly list applicants
    /// in ID order, as the applicants are kept, and one comparison of
    /// neighbouring IDs is far cheaper than a lookup in a million-entry
    /// table (issue 6: the lookups were a tenth of reading the inputs).
    /// Same answer as `get`, whatever the file's order.
    fn get_next(&self, id: &str, last: &mut Option<usize>) -> Lookup {
        let next = last.map_or(0, |i| i + 1);
        let found = match self.applicants.get(next) {
            Some(a) if a.id == id => Lookup::Found(next),
            _ => self.get(id),
        };
        if let Lookup::Found(i) = found {
            *last = Some(i);
        }
        found
    }

    /// The message for an ID no applicant has, with the ID probably meant:
    /// one differing only in case or spaces, or a digits-only ID that lost
    /// its leading zeros in a spreadsheet.
    fn unknown(&self, id: &str, applicants_file: &str) -> String {
        let near = self.near.get_or_init(|| {
            let mut m = rustc_hash::FxHashMap::default();
            for k in self.index.keys() {
                m.entry(loose_id(k).into_owned())
                    .or_insert_with(|| k.to_string());
                if !k.is_empty() && k.bytes().all(|b| b.is_ascii_digit()) {
                    m.entry(format!("#{}", k.trim_start_matches('0')))
                        .or_insert_with(|| k.to_string());
                }
            }
            m
        });
        let hint = if let Some(k) = near.get(loose_id(id).as_ref()) {
            format!(" (the applicants file has {k}, which differs only in case or spaces)")
        } else if let Some(k) = (!id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()))
            .then(|| near.get(&format!("#{}", id.trim_start_matches('0'))))
            .flatten()
        {
            format!(" (the applicants file has {k}: a spreadsheet drops the leading zeros of an ID stored as a number; format the column as text)")
        } else {
            String::new()
        };
        let id = table::truncate(id, 60);
        format!("expected an applicant_id from the applicants file ({applicants_file}), found {id}, which is not there{hint}")
    }
}

struct Ctx<'a> {
    aliases: &'a [(String, String)],
    date_order: DateOrder,
}

/// Reads typed fields from one table, reporting problems at their cells.
struct Fields {
    table: Table,
    /// Each located field's column. Looked up by name for every field of
    /// every row: a hash map, not a BTreeMap's string comparisons (issue 6).
    cols: rustc_hash::FxHashMap<&'static str, usize>,
}

impl Fields {
    /// Locates each field's column; a required field without a column, or a
    /// field found twice, is a problem at the header row.
    fn locate(
        ctx: &Ctx,
        table: &Table,
        fields: &[(&'static str, bool)],
        problems: &mut Vec<Problem>,
    ) -> Fields {
        let mut cols = rustc_hash::FxHashMap::default();
        for (name, required) in fields {
            let found = table.find(name, ctx.aliases);
            match found.as_slice() {
                [] => {
                    if *required {
                        problems.push(Problem::new(
                            table.header_place(),
                            format!(
                                "expected a column named {name}{}, found only: {}",
                                alias_hint(ctx, name),
                                header_list(table)
                            ),
                        ));
                    }
                }
                [one] => {
                    cols.insert(*name, *one);
                }
                [first, rest @ ..] => {
                    for r in rest {
                        problems.push(Problem::new(
                            table.place(table.header_row, *r),
                            format!(
                                "the column {name} appears twice (\"{}\" and \"{}\"); keep one",
                                table.columns[*first].header.trim(),
                                table.columns[*r].header.trim()
                            ),
                        ));
                    }
                    cols.insert(*name, *first);
                }
            }
        }
        Fields {
            table: table.clone(),
            cols,
        }
    }

    /// The rows with something in a column that is read (the located
    /// fields plus `extra`): a row whose only content is in ignored columns
    /// (a vendor's note, a stray error value) is blank (SPEC 3).
    fn rows_read<'r>(&self, rows: &'r [table::Row], extra: &[usize]) -> Vec<&'r table::Row> {
        rows.iter()
            .filter(|r| {
                self.cols
                    .values()
                    .chain(extra)
                    .any(|c| !r.cells[*c].is_blank())
            })
            .collect()
    }

    /// A merged range in a column that is read (the located fields plus
    /// `extra`), at or below the header row, is a problem at its first
    /// cell: a merged header hides a column's name, and merged data cells
    /// hold one value where the rows under it read blank.
    fn check_merges(&self, extra: &[usize], problems: &mut Vec<Problem>) {
        let t = &self.table;
        let header0 = (t.header_row - 1) as u32;
        let read: Vec<u32> = self
            .cols
            .values()
            .chain(extra)
            .map(|c| t.columns[*c].index)
            .collect();
        for &(r0, c0, r1, c1) in &t.merges {
            if !read.iter().any(|c| (c0..=c1).contains(c)) {
                continue;
            }
            let range = format!(
                "{}:{}",
                crate::error::cell_ref(r0, c0),
                crate::error::cell_ref(r1, c1)
            );
            let place = Place::Cell {
                file: t.file.clone(),
                sheet: match &t.origin {
                    table::Origin::Sheet(s) => s.clone(),
                    table::Origin::Csv => String::new(),
                },
                row: r0,
                col: c0,
            };
            let why = if r0 <= header0 {
                "every column of the header row needs a header of its own (unmerge the cells)"
                    .to_string()
            } else {
                format!(
                    "only {} holds a value, so the other cells would read as blank (unmerge the cells and fill in each one)",
                    crate::error::cell_ref(r0, c0)
                )
            };
            problems.push(Problem::new(
                place,
                format!("the cells {range} are merged; {why}"),
            ));
        }
    }

    /// The applicant ID in column `col`, or a problem at that cell.
    fn id_at(&self, row: &table::Row, col: usize, p: &mut Vec<Problem>) -> Option<String> {
        let cell = &row.cells[col];
        let id = id_of(cell);
        if id.is_none() {
            p.push(self.err(
                row,
                col,
                format!("expected an applicant_id, found {}", cell.found()),
            ));
        }
        id
    }

    fn has(&self, name: &str) -> bool {
        self.cols.contains_key(name)
    }

    fn cell<'r>(&self, row: &'r table::Row, name: &str) -> Option<(&'r Cell, usize)> {
        self.cols.get(name).map(|c| (&row.cells[*c], *c))
    }

    fn err(&self, row: &table::Row, col: usize, msg: String) -> Problem {
        Problem::new(self.table.place(row.number, col), msg)
    }

    /// Text; `required` makes a blank cell a problem.
    fn text(
        &self,
        row: &table::Row,
        name: &str,
        required: bool,
        p: &mut Vec<Problem>,
    ) -> Option<String> {
        let Some((cell, col)) = self.cell(row, name) else {
            return if required { None } else { Some(String::new()) };
        };
        if let Cell::Error(e) = cell {
            p.push(self.err(
                row,
                col,
                format!("expected {name}, found the error value {e}"),
            ));
            return None;
        }
        if let Cell::Text(t) = cell {
            if is_error_text(t) {
                p.push(self.err(
                    row,
                    col,
                    format!("expected {name}, found the error value {}", t.trim()),
                ));
                return None;
            }
        }
        let s = match cell {
            Cell::Text(t) => fields::trim(t).to_string(),
            other => other.display().trim().to_string(),
        };
        if s.is_empty() && required {
            p.push(self.err(
                row,
                col,
                format!("expected {name}, found a blank cell (it is required)"),
            ));
            return None;
        }
        Some(s)
    }

    /// A typed value parsed from the cell's text; `None` inside `Some` for a
    /// blank optional cell.
    fn typed<T>(
        &self,
        row: &table::Row,
        name: &str,
        required: bool,
        expected: &str,
        parse: impl Fn(&Cell) -> Option<T>,
        p: &mut Vec<Problem>,
    ) -> Option<Option<T>> {
        let Some((cell, col)) = self.cell(row, name) else {
            return if required { None } else { Some(None) };
        };
        if cell.is_blank() {
            if required {
                p.push(self.err(
                    row,
                    col,
                    format!("expected {expected} in {name}, found a blank cell (it is required)"),
                ));
                return None;
            }
            return Some(None);
        }
        match parse(cell) {
            Some(v) => Some(Some(v)),
            None => {
                p.push(self.err(
                    row,
                    col,
                    format!("expected {expected} in {name}, found {}", cell.found()),
                ));
                None
            }
        }
    }

    fn boolean(
        &self,
        row: &table::Row,
        name: &str,
        required: bool,
        p: &mut Vec<Problem>,
    ) -> Option<Option<bool>> {
        self.typed(row, name, required, fields::BOOL_EXPECTED, bool_cell, p)
    }

    fn date(
        &self,
        ctx: &Ctx,
        row: &table::Row,
        name: &str,
        required: bool,
        p: &mut Vec<Problem>,
    ) -> Option<Option<NaiveDate>> {
        let order = ctx.date_order;
        let expected = match order {
            DateOrder::Mdy => "a date (a date cell, YYYY-MM-DD or MM/DD/YYYY)",
            DateOrder::Dmy => "a date (a date cell, YYYY-MM-DD or DD/MM/YYYY)",
        };
        self.typed(row, name, required, expected, |c| date_cell(c, order), p)
    }
}

fn alias_hint(ctx: &Ctx, name: &str) -> String {
    let a: Vec<String> = ctx
        .aliases
        .iter()
        .filter(|(c, _)| c == name)
        .map(|(_, a)| format!("\"{a}\""))
        .collect();
    if a.is_empty() {
        String::new()
    } else {
        format!(" (or {})", a.join(", "))
    }
}

fn header_list(t: &Table) -> String {
    let hs: Vec<String> = t
        .columns
        .iter()
        .filter(|c| !c.header.trim().is_empty())
        .map(|c| format!("\"{}\"", c.header.trim()))
        .collect();
    if hs.is_empty() {
        "no headers".into()
    } else {
        hs.join(", ")
    }
}

fn bool_cell(c: &Cell) -> Option<bool> {
    match c {
        Cell::Bool(b) => Some(*b),
        Cell::Int(1) => Some(true),
        Cell::Int(0) => Some(false),
        Cell::Float(f) if *f == 1.0 => Some(true),
        Cell::Float(f) if *f == 0.0 => Some(false),
        Cell::Text(t) => parse_bool(t),
        _ => None,
    }
}

fn date_cell(c: &Cell, order: DateOrder) -> Option<NaiveDate> {
    match c {
        Cell::Date(d) => Some(*d),
        // A plain number in a date column is never read as a serial date.
        Cell::Text(t) => parse_date_text(t, order),
        _ => None,
    }
}

/// An ID compared loosely: lower case, every space removed.
fn loose_id(id: &str) -> Cow<'_, str> {
    // Most IDs are already loose (digits): borrowed, not copied (issue 6).
    // ASCII is decided a byte at a time: no ASCII upper case, and none of
    // the ASCII bytes `char::is_whitespace` counts.
    let already = if id.is_ascii() {
        id.bytes()
            .all(|b| !b.is_ascii_uppercase() && !fields::is_ascii_space(b))
    } else {
        id.chars()
            .all(|c| !c.is_whitespace() && c.to_lowercase().eq(std::iter::once(c)))
    };
    if already {
        return Cow::Borrowed(id);
    }
    id.chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect()
}

/// An applicant ID from a cell: text trimmed; a number cell `1042` reads as
/// `1042`, never `1042.0`.
fn id_of(cell: &Cell) -> Option<String> {
    // Error values (a cell `#N/A`, or that text in a CSV) are never IDs.
    match cell {
        Cell::Text(t) if !is_error_text(t) => {
            let s = fields::trim(t);
            (!s.is_empty()).then(|| s.to_string())
        }
        Cell::Int(_) | Cell::Float(_) => Some(cell.display()),
        _ => None,
    }
}

/// Every canonical field of the input files (SPEC 3), for checking the
/// exam file's `[inputs.columns]` keys.
pub const FIELDS: [&str; 21] = [
    "applicant_id",
    "last_name",
    "first_name",
    "address",
    "city",
    "state",
    "zip",
    "delivery",
    "received_on",
    "postmarked_on",
    "signed",
    "us_citizen",
    "state_of_residence",
    "certified_officer",
    "highest_degree",
    "internal",
    "date_of_birth",
    "ground",
    "note",
    "decided_on",
    "fingerprinted_on",
];

const APPLICANT_FIELDS: [(&str, bool); 17] = [
    ("applicant_id", true),
    ("last_name", true),
    ("first_name", true),
    ("address", false),
    ("city", false),
    ("state", false),
    ("zip", false),
    ("delivery", false),
    ("received_on", true),
    ("postmarked_on", false),
    ("signed", true),
    ("us_citizen", false),
    ("state_of_residence", false),
    ("certified_officer", false),
    ("highest_degree", false),
    ("internal", false),
    ("date_of_birth", false),
];

/// Streams the applicants file. Returns what was loaded, the valid
/// applicants in natural ID order, and the IDs of rows that had problems
/// (so other files do not call them unknown).
fn read_applicants(
    ctx: &Ctx,
    exam: &Exam,
    spec: &InputSpec,
    problems: &mut Vec<Problem>,
) -> (table::Loaded, Vec<Applicant>, HashSet<String>) {
    let mut fields: Option<Fields> = None;
    // (applicant, row number) by batch, and (ID, row number) for rows with
    // problems. Kept by batch and joined once at the end: one vector grown
    // to a million applicants was copied and faulted in again at every
    // doubling (issue 6).
    let mut ok: Vec<Vec<(Applicant, u64)>> = Vec::new();
    let mut bad: Vec<(String, u64)> = Vec::new();
    let loaded = table::stream(spec, ctx.aliases, |t, rows| {
        let f = fields.get_or_insert_with(|| {
            let f = Fields::locate(ctx, t, &APPLICANT_FIELDS, problems);
            f.check_merges(&[], problems);
            if exam.sworn && !f.has("us_citizen") {
                problems.push(Problem::new(
                    t.header_place(),
                    format!(
                        "expected a column named us_citizen (the position is sworn, so citizenship must be known: Citizenship), found only: {}",
                        header_list(t)
                    ),
                ));
            }
            if exam.min_age.is_some() && !f.has("date_of_birth") {
                problems.push(Problem::new(
                    t.header_place(),
                    format!(
                        "expected a column named date_of_birth ([requirements] min_age is set, Disqualification A.1), found only: {}",
                        header_list(t)
                    ),
                ));
            }
            f
        });
        // Rows are independent: parse them in parallel, then merge in order.
        let rows = f.rows_read(&rows, &[]);
        let id_col = f.cols.get("applicant_id").copied();
        let parsed: Vec<(Option<Applicant>, Vec<Problem>)> = rows
            .par_iter()
            .map(|row| {
                let mut p = Vec::new();
                let a = read_applicant(ctx, exam, f, row, &mut p);
                (a, p)
            })
            .collect();
        let mut batch = Vec::with_capacity(parsed.len());
        for ((a, p), row) in parsed.into_iter().zip(rows) {
            problems.extend(p);
            match a {
                Some(a) => batch.push((a, row.number)),
                None => {
                    if let Some(id) = id_col.and_then(|c| id_of(&row.cells[c])) {
                        bad.push((id, row.number));
                    }
                }
            }
        }
        ok.push(batch);
    });
    // Duplicate IDs, valid rows or not, each reported at its later row.
    let id_col = fields
        .as_ref()
        .and_then(|f| f.cols.get("applicant_id").copied());
    if let (Ok(t), Some(c)) = (&loaded.table, id_col) {
        // Grouped by a loose key (lower case, no spaces): two IDs that
        // differ only in case or spaces look like one person on paper. Rows
        // in file order, each against the first row of its key (a hash
        // table: sorting a million IDs took most of a second, issue 6).
        let mut rows: Vec<(u64, &str)> = ok
            .iter()
            .flatten()
            .map(|(a, r)| (*r, a.id.as_str()))
            .chain(bad.iter().map(|(id, r)| (*r, id.as_str())))
            .collect();
        rows.par_sort_unstable_by_key(|(r, _)| *r);
        let mut first: rustc_hash::FxHashMap<Cow<'_, str>, (&str, u64)> =
            rustc_hash::FxHashMap::with_capacity_and_hasher(rows.len(), Default::default());
        let mut dup_rows: HashSet<u64> = HashSet::new();
        for (row, id) in rows {
            let (first_id, first_row) = match first.entry(loose_id(id)) {
                Entry::Vacant(v) => {
                    v.insert((id, row));
                    continue;
                }
                Entry::Occupied(o) => *o.get(),
            };
            let msg = if id == first_id {
                format!(
                    "expected a unique applicant_id, found {} again (first on row {first_row})",
                    table::truncate(id, 60)
                )
            } else {
                format!(
                    "expected a unique applicant_id, found {}, which differs from {} (row {first_row}) only in case or spaces",
                    table::truncate(id, 60),
                    table::truncate(first_id, 60)
                )
            };
            problems.push(Problem::new(t.place(row, c), msg));
            dup_rows.insert(row);
        }
        if !dup_rows.is_empty() {
            for batch in &mut ok {
                batch.retain(|(_, r)| !dup_rows.contains(r));
            }
        }
    }
    let known_bad: HashSet<String> = bad.into_iter().map(|(id, _)| id).collect();
    let mut out: Vec<Applicant> = Vec::with_capacity(ok.iter().map(Vec::len).sum());
    for batch in ok {
        out.extend(batch.into_iter().map(|(a, _)| a));
    }
    // Files are usually in ID order already; sorting them anyway would
    // copy every applicant through a buffer as large again.
    let sorted = out
        .par_windows(2)
        .all(|w| natural_cmp(&w[0].id, &w[1].id) != std::cmp::Ordering::Greater);
    if !sorted {
        out.par_sort_by(|a, b| natural_cmp(&a.id, &b.id));
    }
    (loaded, out, known_bad)
}

fn read_applicant(
    ctx: &Ctx,
    exam: &Exam,
    f: &Fields,
    row: &table::Row,
    p: &mut Vec<Problem>,
) -> Option<Applicant> {
    let n0 = p.len();
    let id = f
        .cols
        .get("applicant_id")
        .and_then(|&col| f.id_at(row, col, p));
    let last_name = f.text(row, "last_name", true, p);
    let first_name = f.text(row, "first_name", true, p);
    let address = f.text(row, "address", false, p);
    let city = f.text(row, "city", false, p);
    let state = f.text(row, "state", false, p);
    let zip = f.text(row, "zip", false, p);
    let delivery = f
        .typed(
            row,
            "delivery",
            false,
            fields::DELIVERY_EXPECTED,
            |c| match c {
                Cell::Text(t) => Delivery::parse(t),
                _ => None,
            },
            p,
        )
        .map(|d| d.unwrap_or(Delivery::Personal));
    let received_on = f.date(ctx, row, "received_on", true, p).flatten();
    let is_mail = delivery == Some(Delivery::Mail);
    let postmarked_on = if is_mail && f.has("postmarked_on") {
        // Filing of papers: a mailed application is filed on its postmark.
        let v = f.typed(row, "postmarked_on", true, "the postmark date (delivery is by mail, so it is filed on the postmark date: Filing of papers)", |c| date_cell(c, ctx.date_order), p);
        v.flatten()
    } else if is_mail {
        if let Some((_, col)) = f.cell(row, "delivery") {
            p.push(f.err(row, col, "delivery is by mail, so a postmarked_on date is needed (Filing of papers), but the file has no postmarked_on column".into()));
        }
        None
    } else {
        f.date(ctx, row, "postmarked_on", false, p).flatten()
    };
    let signed = f.boolean(row, "signed", true, p).flatten();
    let us_citizen = f.boolean(row, "us_citizen", exam.sworn, p).flatten();
    let state_of_residence = f.text(row, "state_of_residence", false, p);
    let certified_officer = f
        .boolean(row, "certified_officer", false, p)
        .map(|b| b.unwrap_or(false));
    let highest_degree = f
        .typed(
            row,
            "highest_degree",
            false,
            fields::DEGREE_EXPECTED,
            |c| match c {
                Cell::Text(t) => Degree::parse(t),
                _ => None,
            },
            p,
        )
        .map(|d| d.unwrap_or(Degree::None));
    let internal = f
        .boolean(row, "internal", false, p)
        .map(|b| b.unwrap_or(false));
    let date_of_birth = f
        .date(ctx, row, "date_of_birth", exam.min_age.is_some(), p)
        .flatten();

    // Dates that cannot be true are typing errors, never grounds: a receipt
    // after the list was made, a postmark after the receipt, a birth after
    // the deadline would each disqualify someone for a slip of the keys.
    let mut impossible = |name: &str, expected: String| {
        if let Some((cell, col)) = f.cell(row, name) {
            p.push(f.err(
                row,
                col,
                format!("expected {expected}, found {}", cell.found()),
            ));
        }
    };
    if let Some(r) = received_on {
        if r > exam.list_established {
            impossible(
                "received_on",
                format!(
                    "a date on or before the list date ({}) in received_on",
                    exam.list_established
                ),
            );
        }
        if let Some(pm) = postmarked_on {
            if pm > r {
                impossible(
                    "postmarked_on",
                    format!("a postmark date on or before the received date ({r})"),
                );
            }
        }
    }
    if let Some(b) = date_of_birth {
        if b >= exam.application_deadline {
            impossible(
                "date_of_birth",
                format!(
                    "a date of birth before the application deadline ({})",
                    exam.application_deadline
                ),
            );
        }
    }

    if p.len() > n0 {
        return None;
    }
    Some(Applicant {
        id: id?,
        last_name: last_name?,
        first_name: first_name?,
        address: address?,
        city: city?,
        state: state?,
        zip: zip?,
        delivery: delivery?,
        received_on: received_on?,
        postmarked_on,
        signed: signed?,
        us_citizen,
        state_of_residence: state_of_residence?,
        certified_officer: certified_officer?,
        highest_degree: highest_degree?,
        internal: internal?,
        date_of_birth,
    })
}

/// A component a score file provides: its index and the file's columns.
type Provided = (usize, Vec<usize>);

/// Decides which score file provides each component: all of a component's
/// columns in one file, each component in exactly one file (SPEC 3.2).
/// Returns, per score file, the components it provides.
fn assign_components(
    exam: &Exam,
    tables: &[Option<&Table>],
    specs: &[InputSpec],
    ctx: &Ctx,
    problems: &mut Vec<Problem>,
) -> Vec<Vec<Provided>> {
    let mut per_table: Vec<Vec<Provided>> = vec![Vec::new(); tables.len()];
    // Tables with a component column, even one refused below, so that a
    // file is not also called empty of components.
    let mut has_component = vec![false; tables.len()];
    let any_unreadable = tables.iter().any(Option::is_none);
    for (ci, comp) in exam.components.iter().enumerate() {
        let mut providers = Vec::new();
        // A file with some of the component's columns has been reported
        // already; the component is then not also "provided by no file".
        let mut partial = false;
        for (ti, t) in tables.iter().enumerate() {
            let Some(t) = t else { continue };
            let keys = comp.column_keys();
            let found: Vec<Vec<usize>> = keys.iter().map(|k| t.find(k, ctx.aliases)).collect();
            let present = found.iter().filter(|f| !f.is_empty()).count();
            if present == 0 {
                continue;
            }
            has_component[ti] = true;
            if present < keys.len() {
                partial = true;
                let missing: Vec<&str> = keys
                    .iter()
                    .zip(&found)
                    .filter(|(_, f)| f.is_empty())
                    .map(|(k, _)| k.as_str())
                    .collect();
                problems.push(Problem::new(
                    t.header_place(),
                    format!(
                        "the component {} is read from the columns {}; this file has some of them but not {}",
                        comp.name,
                        keys.join(", "),
                        missing.join(", ")
                    ),
                ));
                continue;
            }
            let mut cols = Vec::new();
            for (k, f) in keys.iter().zip(&found) {
                if f.len() > 1 {
                    problems.push(Problem::new(
                        t.place(t.header_row, f[1]),
                        format!(
                            "the column {k} appears twice (\"{}\" and \"{}\"); keep one",
                            t.columns[f[0]].header.trim(),
                            t.columns[f[1]].header.trim()
                        ),
                    ));
                }
                cols.push(f[0]);
            }
            providers.push((ti, cols));
        }
        match providers.len() {
            0 => {
                if !any_unreadable && !partial {
                    let files: Vec<&str> = specs.iter().map(|s| s.display.as_str()).collect();
                    problems.push(Problem::new(
                        Place::Key {
                            file: exam.file.display().to_string(),
                            line: None,
                            key: format!("components[{ci}]"),
                        },
                        format!(
                            "no score file provides the component {} (looked for the column{} {} in {})",
                            comp.name,
                            if comp.columns.len() > 1 { "s" } else { "" },
                            comp.column_keys().join(", "),
                            files.join(", ")
                        ),
                    ));
                }
            }
            1 => {
                // Cannot fail: this arm is `providers.len() == 1`.
                let (ti, cols) = providers.pop().expect("one provider");
                per_table[ti].push((ci, cols));
            }
            _ => {
                let files: Vec<String> = providers
                    .iter()
                    .map(|(ti, _)| specs[*ti].display.clone())
                    .collect();
                problems.push(Problem::new(
                    Place::Key {
                        file: exam.file.display().to_string(),
                        line: None,
                        key: format!("components[{ci}]"),
                    },
                    format!(
                        "the component {} is read from only one file, but {} all have its column(s)",
                        comp.name,
                        files.join(" and ")
                    ),
                ));
            }
        }
    }
    for (ti, t) in tables.iter().enumerate() {
        let Some(t) = t else { continue };
        if per_table[ti].is_empty() && !has_component[ti] {
            let names: Vec<String> = exam
                .components
                .iter()
                .flat_map(|c| c.column_keys())
                .collect();
            problems.push(Problem::new(
                t.header_place(),
                format!(
                    "expected at least one component column ({}), found only: {}",
                    names.join(", "),
                    header_list(t)
                ),
            ));
        }
    }
    per_table
}

/// The components whose every column a score file has, with the columns
/// (the first, where a column appears twice; that is reported when the
/// files are assigned).
fn complete_components(exam: &Exam, t: &Table, aliases: &[(String, String)]) -> Vec<Provided> {
    exam.components
        .iter()
        .enumerate()
        .filter_map(|(ci, comp)| {
            let cols: Option<Vec<usize>> = comp
                .column_keys()
                .iter()
                .map(|k| t.find(k, aliases).first().copied())
                .collect();
            cols.map(|c| (ci, c))
        })
        .collect()
}

/// Streams one score file, checking each row's ID against the applicants
/// as it arrives. Every complete component in the file is read; which file
/// provides which component is decided once all are read.
#[allow(clippy::too_many_arguments)]
fn read_score_file(
    ctx: &Ctx,
    exam: &Exam,
    spec: &InputSpec,
    gate: &Gate<'_>,
    applicants_file: &str,
    problems: &mut Vec<Problem>,
) -> (table::Loaded, ScoreFile) {
    struct State {
        f: Fields,
        id_col: Option<usize>,
        comps: Vec<Provided>,
        /// The row each applicant was first seen on (0: not yet).
        seen: Vec<u64>,
    }
    let mut state: Option<State> = None;
    let mut values: Vec<(usize, Vec<RawResult>)> = Vec::new();
    let loaded = stream_after_ids(spec, ctx.aliases, gate, |t, rows, index| {
        let n = index.applicants.len();
        let st = state.get_or_insert_with(|| {
            let f = Fields::locate(ctx, t, &[("applicant_id", true)], problems);
            let comps = complete_components(exam, t, ctx.aliases);
            let cols: Vec<usize> = comps.iter().flat_map(|(_, c)| c.iter().copied()).collect();
            f.check_merges(&cols, problems);
            values = comps
                .iter()
                .map(|(ci, _)| (*ci, vec![RawResult::Missing; n]))
                .collect();
            State {
                id_col: f.cols.get("applicant_id").copied(),
                f,
                comps,
                seen: vec![0; n],
            }
        });
        let Some(id_col) = st.id_col else { return };
        let component_cols: Vec<usize> = st
            .comps
            .iter()
            .flat_map(|(_, cols)| cols.iter().copied())
            .collect();
        let rows = st.f.rows_read(&rows, &component_cols);
        type Parsed = (Option<(String, Lookup)>, Vec<RawResult>, Vec<Problem>);
        let f = &st.f;
        let comps = &st.comps;
        let parse = |row: &table::Row, last: &mut Option<usize>| -> Parsed {
            let mut p = Vec::new();
            let id = f.id_at(row, id_col, &mut p);
            let n0 = p.len();
            let vals: Vec<RawResult> = comps
                .iter()
                .map(|(ci, cols)| {
                    read_result(&exam.components[*ci], &f.table, row, cols, &mut p)
                        .unwrap_or(RawResult::Missing)
                })
                .collect();
            // A row with a bad cell still counts for duplicates, so its ID
            // is looked up too (here, in parallel).
            let id = match id {
                Some(id) => Some(id),
                None if p.len() > n0 => id_of(&row.cells[id_col]),
                None => None,
            };
            let id = id.map(|id| {
                let found = index.get_next(&id, last);
                (id, found)
            });
            (id, vals, p)
        };
        // In runs of consecutive rows, each row's ID looked up from the
        // applicant the row before found.
        let parsed: Vec<Parsed> = rows
            .par_chunks(512)
            .flat_map_iter(|run| {
                let mut last = None;
                run.iter().map(move |row| parse(row, &mut last))
            })
            .collect();
        for ((id, vals, p), row) in parsed.into_iter().zip(rows) {
            let had_problems = !p.is_empty();
            problems.extend(p);
            let Some((id, found)) = id else { continue };
            match found {
                Lookup::Unknown => problems.push(Problem::new(
                    f.table.place(row.number, id_col),
                    index.unknown(&id, applicants_file),
                )),
                Lookup::Invalid => {}
                Lookup::Found(i) => {
                    if st.seen[i] != 0 {
                        problems.push(Problem::new(
                            f.table.place(row.number, id_col),
                            format!(
                                "expected one row per applicant, found {} again (first on row {})",
                                table::truncate(&id, 60),
                                st.seen[i]
                            ),
                        ));
                        continue;
                    }
                    st.seen[i] = row.number;
                    if !had_problems {
                        for ((_, column), v) in values.iter_mut().zip(vals) {
                            column[i] = v;
                        }
                    }
                }
            }
        }
    });
    (loaded, ScoreFile { values })
}

/// One component's cells in one row. `None` when a cell has a problem.
fn read_result(
    comp: &Component,
    t: &Table,
    row: &table::Row,
    cols: &[usize],
    p: &mut Vec<Problem>,
) -> Option<RawResult> {
    let place = |c: usize| t.place(row.number, c);
    match comp.kind {
        ComponentKind::PassFail => {
            let c = cols[0];
            let cell = &row.cells[c];
            match cell {
                Cell::Error(e) => {
                    p.push(Problem::new(
                        place(c),
                        format!(
                            "expected pass or fail for {}, found the error value {e}",
                            comp.name
                        ),
                    ));
                    None
                }
                Cell::Text(s) if is_error_text(s) => {
                    p.push(Problem::new(
                        place(c),
                        format!(
                            "expected pass or fail for {}, found the error value {}",
                            comp.name,
                            s.trim()
                        ),
                    ));
                    None
                }
                Cell::Empty => Some(RawResult::Missing),
                Cell::Text(s) if is_no_result(s) => Some(RawResult::Missing),
                Cell::Text(s) => match parse_pass_fail(s) {
                    Some(b) => Some(RawResult::PassFail(b)),
                    None => {
                        p.push(Problem::new(place(c), format!("expected pass or fail for {} (pass/fail, p/f, yes/no, or absent/blank for no result), found {}", comp.name, cell.found())));
                        None
                    }
                },
                other => match bool_cell(other) {
                    Some(b) => Some(RawResult::PassFail(b)),
                    None => {
                        p.push(Problem::new(
                            place(c),
                            format!(
                                "expected pass or fail for {}, found {}",
                                comp.name,
                                other.found()
                            ),
                        ));
                        None
                    }
                },
            }
        }
        ComponentKind::Scored => {
            // Each rater cell: Some(value), or None for no result.
            let mut values: Vec<(usize, Option<Decimal>)> = Vec::with_capacity(cols.len());
            let mut bad = false;
            // What a cell should hold, for a problem's message; made only
            // when there is a problem (issue 6: formatting it for every
            // cell was a tenth of reading a score file).
            let expected = || {
                format!(
                    "a score from 0 to {} for {}",
                    comp.max.normalize(),
                    comp.name
                )
            };
            let what = |c: usize| {
                if cols.len() > 1 {
                    format!("{} ({})", expected(), t.columns[c].key)
                } else {
                    expected()
                }
            };
            for &c in cols {
                let cell = &row.cells[c];
                let v = match cell {
                    Cell::Empty => Ok(None),
                    Cell::Text(s) if is_no_result(s) => Ok(None),
                    Cell::Text(s) if is_error_text(s) => Err(format!(
                        "expected {}, found the error value {}",
                        what(c),
                        s.trim()
                    )),
                    Cell::Error(e) => {
                        Err(format!("expected {}, found the error value {e}", what(c)))
                    }
                    Cell::Text(s) => {
                        // Stray spaces around the number (also no-break
                        // spaces) are ignored; spaces inside it are not.
                        parse_cell_decimal(fields::trim(s))
                            .map(Some)
                            .ok_or_else(|| format!("expected {}, found {}", what(c), cell.found()))
                    }
                    Cell::Int(i) => Ok(Some(Decimal::from(*i))),
                    Cell::Float(x) => from_cell_float(*x)
                        .map(Some)
                        .ok_or_else(|| format!("expected {}, found {}", what(c), cell.found())),
                    Cell::Bool(_) | Cell::Date(_) | Cell::Formula(_) => {
                        Err(format!("expected {}, found {}", what(c), cell.found()))
                    }
                };
                match v {
                    Ok(Some(d)) if d < Decimal::ZERO || d > comp.max => {
                        p.push(Problem::new(
                            place(c),
                            format!("expected {}, found {}", what(c), cell.found()),
                        ));
                        bad = true;
                    }
                    Ok(v) => values.push((c, v)),
                    Err(m) => {
                        p.push(Problem::new(place(c), m));
                        bad = true;
                    }
                }
            }
            if bad {
                return None;
            }
            let scored = values.iter().filter(|(_, v)| v.is_some()).count();
            if scored == 0 {
                return Some(RawResult::Missing);
            }
            if scored < values.len() {
                for (c, v) in &values {
                    if v.is_none() {
                        p.push(Problem::new(
                            place(*c),
                            format!(
                                "expected {} from every rater, found {} while the other raters scored this applicant (a missing rater must be resolved, not averaged away)",
                                expected(),
                                row.cells[*c].found()
                            ),
                        ));
                    }
                }
                return None;
            }
            Some(RawResult::Scored(
                values.into_iter().filter_map(|(_, v)| v).collect(),
            ))
        }
    }
}

/// Reads a small file whole (the determinations: the Board's findings;
/// the clearances), then, once the applicant IDs are known, has `check`
/// check its rows against them into one value an applicant. Empty if the
/// gate opens empty (reading the applicants panicked).
fn read_whole<'a, T: Clone + Default>(
    ctx: &Ctx,
    spec: &InputSpec,
    gate: &Gate<'a>,
    check: impl FnOnce(&Table, &[table::Row], &Ids<'a>, &mut [T]),
) -> (table::Loaded, Vec<T>) {
    let mut all: Vec<table::Row> = Vec::new();
    let loaded = table::stream(spec, ctx.aliases, |_, rows| all.extend(rows));
    let Some(index) = gate.wait() else {
        return (loaded, Vec::new());
    };
    let mut out = vec![T::default(); index.applicants.len()];
    if let Ok(t) = &loaded.table {
        check(t, &all, index, &mut out);
    }
    (loaded, out)
}

/// Checks the determinations file's rows against the applicants.
fn determinations_rows(
    ctx: &Ctx,
    t: &Table,
    rows: &[table::Row],
    index: &Ids<'_>,
    applicants_file: &str,
    findings: &mut [Vec<Finding>],
    problems: &mut Vec<Problem>,
) {
    let f = Fields::locate(
        ctx,
        t,
        &[
            ("applicant_id", true),
            ("ground", true),
            ("note", false),
            ("decided_on", false),
        ],
        problems,
    );
    f.check_merges(&[], problems);
    if !f.has("applicant_id") || !f.has("ground") {
        return;
    }
    let mut last = None;
    for row in f.rows_read(rows, &[]) {
        let n0 = problems.len();
        let col = f.cols["applicant_id"]; // located above, or returned
        let id = f.id_at(row, col, problems);
        let ground = f
            .typed(
                row,
                "ground",
                true,
                fields::GROUND_EXPECTED,
                |c| match c {
                    Cell::Text(s) => Ground::parse(s),
                    _ => None,
                },
                problems,
            )
            .flatten();
        let note = f.text(row, "note", false, problems);
        let decided_on = f.date(ctx, row, "decided_on", false, problems).flatten();
        if problems.len() > n0 {
            continue;
        }
        let (Some(id), Some(ground), Some(note)) = (id, ground, note) else {
            continue;
        };
        match index.get_next(&id, &mut last) {
            Lookup::Unknown => problems.push(f.err(row, col, index.unknown(&id, applicants_file))),
            Lookup::Invalid => {}
            Lookup::Found(i) => {
                // The same ground twice counts once; its notes are kept.
                // Notes are joined in sorted order, never file order, so
                // reordering the file's rows changes no output.
                match findings[i].iter_mut().find(|g| g.ground == ground) {
                    Some(g) => {
                        let mut notes: Vec<&str> =
                            g.note.split("; ").filter(|n| !n.is_empty()).collect();
                        if !note.is_empty() {
                            notes.push(&note);
                        }
                        notes.sort_unstable();
                        notes.dedup();
                        g.note = notes.join("; ");
                        g.decided_on = g.decided_on.max(decided_on);
                    }
                    None => findings[i].push(Finding {
                        ground,
                        note,
                        decided_on,
                    }),
                }
                findings[i].sort_by_key(|g| g.ground);
            }
        }
    }
}

/// Checks the clearances file's rows against the applicants.
#[allow(clippy::too_many_arguments)]
fn clearances_rows(
    ctx: &Ctx,
    exam: &Exam,
    t: &Table,
    rows: &[table::Row],
    index: &Ids<'_>,
    applicants_file: &str,
    clearances: &mut [Option<Clearance>],
    problems: &mut Vec<Problem>,
) {
    let f = Fields::locate(
        ctx,
        t,
        &[("applicant_id", true), ("fingerprinted_on", true)],
        problems,
    );
    let mut agency_cols = Vec::new();
    for agency in &exam.certification.clearance_agencies {
        let key = normalise_header(agency);
        let found = t.find(&key, ctx.aliases);
        match found.first() {
            Some(c) => agency_cols.push(Some(*c)),
            None => {
                problems.push(Problem::new(
                    t.header_place(),
                    format!("expected a column named {key} (the clearance date from {agency}; Background), found only: {}", header_list(t)),
                ));
                agency_cols.push(None);
            }
        }
    }
    let agency_idx: Vec<usize> = agency_cols.iter().flatten().copied().collect();
    f.check_merges(&agency_idx, problems);
    if !f.has("applicant_id")
        || !f.has("fingerprinted_on")
        || agency_cols.iter().any(Option::is_none)
    {
        return;
    }
    let expected = match ctx.date_order {
        DateOrder::Mdy => {
            "a clearance date (a date cell, YYYY-MM-DD or MM/DD/YYYY) or a blank cell"
        }
        DateOrder::Dmy => {
            "a clearance date (a date cell, YYYY-MM-DD or DD/MM/YYYY) or a blank cell"
        }
    };
    let mut first_row: HashMap<String, u64> = HashMap::new();
    let mut last = None;
    let agency_idx: Vec<usize> = agency_cols.iter().flatten().copied().collect();
    for row in f.rows_read(rows, &agency_idx) {
        let n0 = problems.len();
        let col = f.cols["applicant_id"]; // located above, or returned
        let id = f.id_at(row, col, problems);
        let fp = f
            .date(ctx, row, "fingerprinted_on", false, problems)
            .flatten();
        let mut agencies = Vec::new();
        for (agency, c) in exam
            .certification
            .clearance_agencies
            .iter()
            .zip(&agency_cols)
        {
            // Cannot fail: the function returned above if any entry of `agency_cols` was None,
            // and `agency_cols` is not changed after that check.
            let c = c.expect("checked above");
            let cell = &row.cells[c];
            if cell.is_blank() {
                agencies.push(None);
            } else if let Some(d) = date_cell(cell, ctx.date_order) {
                agencies.push(Some(d));
            } else {
                problems.push(Problem::new(
                    t.place(row.number, c),
                    format!("expected {expected} for {agency}, found {}", cell.found()),
                ));
            }
        }
        if problems.len() > n0 {
            continue;
        }
        let Some(id) = id else { continue };
        if let Some(first) = first_row.get(&id) {
            problems.push(f.err(
                row,
                col,
                format!(
                    "expected one row per applicant, found {} again (first on row {first})",
                    table::truncate(&id, 60)
                ),
            ));
            continue;
        }
        first_row.insert(id.clone(), row.number);
        match index.get_next(&id, &mut last) {
            Lookup::Unknown => problems.push(f.err(row, col, index.unknown(&id, applicants_file))),
            Lookup::Invalid => {}
            Lookup::Found(i) => {
                clearances[i] = Some(Clearance {
                    fingerprinted_on: fp,
                    agencies,
                })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_loose_id_drops_spaces_and_case_and_borrows_an_id_already_loose() {
        for (id, loose) in [
            ("1042", "1042"),
            ("ab-12", "ab-12"),
            ("AB-12", "ab-12"),
            (" 10 42\t", "1042"),
            ("Ǆ1", "ǆ1"),
            ("ǅ1", "ǆ1"),
            ("É", "é"),
            ("", ""),
        ] {
            let got = loose_id(id);
            assert_eq!(got, loose, "{id:?}");
            assert_eq!(matches!(got, Cow::Borrowed(_)), id == loose, "{id:?}");
        }
        // The ASCII shortcut decides every ASCII character as the general
        // rule does.
        for b in 0u8..128 {
            let c = b as char;
            let general = !c.is_whitespace() && c.to_lowercase().eq(std::iter::once(c));
            let id = format!("7{c}7");
            assert_eq!(matches!(loose_id(&id), Cow::Borrowed(_)), general, "{b:#x}");
        }
    }

    fn applicant(id: &str) -> Applicant {
        Applicant {
            id: id.to_string(),
            last_name: String::new(),
            first_name: String::new(),
            address: String::new(),
            city: String::new(),
            state: String::new(),
            zip: String::new(),
            delivery: Delivery::Personal,
            received_on: NaiveDate::from_ymd_opt(2026, 9, 1).expect("a valid date"),
            postmarked_on: None,
            signed: true,
            us_citizen: Some(true),
            state_of_residence: String::new(),
            certified_officer: false,
            highest_degree: Degree::None,
            internal: false,
            date_of_birth: None,
        }
    }

    /// `get_next` is only a faster `get`: the same answer for every row,
    /// whatever order the file lists its applicants in (issue 6).
    #[test]
    fn looking_up_from_the_row_before_answers_as_the_table_does_in_any_order() {
        let applicants: Vec<Applicant> = ["A1", "A2", "A3", "B7", "C9"].map(applicant).into();
        let ids = Ids::new(&applicants, HashSet::from(["X1".to_string()]), true);
        let orders: [&[&str]; 4] = [
            &["A1", "A2", "A3", "B7", "C9"],
            &["C9", "B7", "A3", "A2", "A1"],
            &["A2", "A3", "X1", "A3", "Z0", "A1", "C9", "C9", "a2", "B7"],
            &["", "A1", "A1", "A2"],
        ];
        for order in orders {
            let mut last = None;
            for id in order {
                assert_eq!(
                    format!("{:?}", ids.get_next(id, &mut last)),
                    format!("{:?}", ids.get(id)),
                    "{id} in {order:?}"
                );
            }
        }
    }
}
