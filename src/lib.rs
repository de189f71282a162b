//! meritlist: ranked, certifiable eligibility lists for a Police Personnel
//! Board, from exam score spreadsheets, under the Board's ordinance.
//!
//! The pipeline, one module per stage: [`exam`] (the adopted rules) →
//! [`ingest`] (every input read and checked) → [`rules`] (status, scores,
//! points) → [`rank`] → [`record`] (the list of record) → [`output`].

// Issue 7: no bare `unwrap` outside tests. An `expect` is allowed only where
// an invariant makes failure impossible, with a comment saying which.
#![cfg_attr(not(test), deny(clippy::unwrap_used))]

pub mod certify;
pub mod dates;
pub mod error;
pub mod exam;
pub mod explain;
pub mod fields;
pub mod ingest;
pub mod init;
pub mod journal;
pub mod list;
pub mod num;
pub mod output;
pub mod rank;
pub mod record;
pub mod rules;

use error::{Error, Result};
use exam::{Exam, ListKind};
use ingest::Dataset;
use rayon::prelude::*;
use record::ListOfRecord;
use rules::Evaluation;
use std::path::Path;

/// Feedback on a long run (the binary draws a progress bar on a terminal).
/// Implementations must not change what is computed or written.
pub trait Progress: Sync {
    /// A new stage: its name, and how many steps it has when known.
    fn stage(&self, name: &str, total: Option<u64>);
    /// `n` more steps of the current stage are done.
    fn advance(&self, n: u64);
}

/// No feedback.
pub struct Silent;

impl Progress for Silent {
    fn stage(&self, _: &str, _: Option<u64>) {}
    fn advance(&self, _: u64) {}
}

/// How independent work is run. The sequential path is the reference the
/// tests compare the parallel one against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exec {
    Sequential,
    Parallel,
}

/// What `check` found in a clean exam folder.
#[derive(Debug, Clone)]
pub struct CheckReport {
    pub exam: Exam,
    pub applicants: usize,
    pub files: usize,
}

/// Reads and validates the exam file and every input; writes nothing.
pub fn check(exam_path: &Path) -> Result<CheckReport> {
    let exam = exam::load(exam_path)?;
    let data = ingest::read(&exam)?;
    let report = CheckReport {
        applicants: data.applicants.len(),
        files: data.files.len(),
        exam,
    };
    free_in_background(data);
    Ok(report)
}

/// The message a panic was raised with (`panic!("…")`, a failed
/// `assert!`), when it has one.
pub fn panic_message(payload: &(dyn std::any::Any + Send)) -> Option<&str> {
    payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
}

/// A scoped thread's result; a panic on it goes on unwinding here, so that
/// it is reported as the run's internal error (exit 1).
pub(crate) fn joined<T>(thread: std::thread::ScopedJoinHandle<'_, T>) -> T {
    thread
        .join()
        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
}

/// Frees a large value (every applicant's data) on a thread of its own, so
/// that the command's answer does not wait for millions of small frees on
/// one core at the very end of a run (4.7% of `check`'s CPU at 1,000,000
/// applicants in perf; its effect on wall time was within the machine's
/// noise; issue 6). The program may exit first: the system takes the
/// memory back either way. Nothing is written or read by the freeing.
fn free_in_background<T: Send + 'static>(value: T) {
    // If no thread can be started, the value comes back inside the error
    // and is freed here, as it would have been anyway.
    let _ = std::thread::Builder::new()
        .name("meritlist-free".into())
        .spawn(move || drop(value));
}

/// Applies the rules to every applicant.
pub fn evaluate_all(exam: &Exam, data: &Dataset, exec: Exec) -> Vec<Evaluation> {
    let one = |i: usize| {
        let results: Vec<&ingest::RawResult> = data.results.iter().map(|c| &c[i]).collect();
        rules::evaluate(exam, &data.applicants[i], &results, &data.findings[i])
    };
    match exec {
        Exec::Sequential => (0..data.applicants.len()).map(one).collect(),
        Exec::Parallel => (0..data.applicants.len())
            .into_par_iter()
            .map(one)
            .collect(),
    }
}

/// The scored exam: everything the outputs are made from.
pub struct Scoring {
    pub exam: Exam,
    pub exam_sha256: String,
    pub data: Dataset,
    pub evals: Vec<Evaluation>,
    pub placements: Vec<rank::Placement>,
    pub qualified: Vec<usize>,
}

impl Scoring {
    pub fn scored(&self) -> record::Scored<'_> {
        record::Scored::new(
            &self.exam,
            &self.exam_sha256,
            &self.data,
            &self.evals,
            &self.placements,
            &self.qualified,
        )
    }
}

/// Validates every input, applies the rules and ranks. Writes nothing.
pub fn run_scoring(exam_path: &Path, exec: Exec) -> Result<Scoring> {
    let (exam, exam_bytes) = read_exam(exam_path)?;
    scoring_of(exam, &exam_bytes, exec)
}

/// Reads and parses the exam file; also gives its bytes, for the audit.
fn read_exam(exam_path: &Path) -> Result<(Exam, Vec<u8>)> {
    let exam_bytes = std::fs::read(exam_path).map_err(|e| {
        Error::Input(vec![error::Problem::new(
            error::Place::File {
                file: exam_path.display().to_string(),
            },
            format!("cannot read the exam file: {e}"),
        )])
    })?;
    let exam = exam::parse(exam_path, &exam_bytes)?;
    Ok((exam, exam_bytes))
}

/// Scores a parsed exam: reads its inputs, applies the rules, ranks.
fn scoring_of(exam: Exam, exam_bytes: &[u8], exec: Exec) -> Result<Scoring> {
    let data = ingest::read(&exam)?;
    let evals = evaluate_all(&exam, &data, exec);
    let (placements, qualified) = match exam.list {
        ListKind::Ranked => (rank::rank(&exam, &data.applicants, &evals), Vec::new()),
        ListKind::Qualified => (Vec::new(), rank::qualified_order(&data.applicants, &evals)),
    };
    Ok(Scoring {
        exam_sha256: ingest::table::sha256_hex(exam_bytes),
        exam,
        data,
        evals,
        placements,
        qualified,
    })
}

/// Scores the exam and builds the whole list of record in memory (tests,
/// small exams). Writes nothing.
pub fn build_record(exam_path: &Path, exec: Exec) -> Result<ListOfRecord> {
    Ok(run_scoring(exam_path, exec)?.scored().record())
}

/// What `score` did, for its summary.
#[derive(Debug, Clone)]
pub struct ScoreSummary {
    pub exam_id: String,
    pub position: String,
    pub list: &'static str,
    pub listed: usize,
    pub counts: record::Counts,
    pub written: output::Written,
}

/// The `score` command: scores the exam and writes the list of record and
/// its reports to `outdir` (refusing an existing list unless `force`).
pub fn score(
    exam_path: &Path,
    outdir: &Path,
    opts: output::Options,
    exec: Exec,
    progress: &dyn Progress,
) -> Result<ScoreSummary> {
    let (exam, exam_bytes) = read_exam(exam_path)?;
    output::check_inputs_apart(&exam, outdir)?;
    output::check_outdir(outdir, opts.force)?;
    progress.stage("reading and checking the inputs", None);
    let scoring = scoring_of(exam, &exam_bytes, exec)?;
    let scored = scoring.scored();
    let written = output::write_with_progress(&scored, outdir, opts, progress)?;
    let head = scored.head();
    let summary = ScoreSummary {
        exam_id: scoring.exam.id.clone(),
        position: scoring.exam.position.clone(),
        list: scoring.exam.list.as_str(),
        listed: head.list.len(),
        counts: head.audit.counts,
        written,
    };
    free_in_background(scoring);
    Ok(summary)
}

/// The `certify` command: the window of names for `vacancies` on `on`,
/// written to `certdir` as `certification.csv` and `certification.xlsx`.
pub fn certify(
    outdir: &Path,
    vacancies: u32,
    size: Option<u32>,
    on: chrono::NaiveDate,
    certdir: &Path,
    force: bool,
) -> Result<certify::Certification> {
    let lock = output::FolderLock::shared(outdir);
    let current = list::CurrentList::open(outdir)?;
    drop(lock);
    let c = certify::certify(&current, vacancies, size, on)?;
    if certdir.exists() && !certdir.is_dir() {
        return Err(Error::Usage(format!(
            "{} exists and is not a folder",
            certdir.display()
        )));
    }
    output::create_private_dir_all(certdir).map_err(|e| Error::io(certdir, e))?;
    // Two certifications into one folder at once would clear each other's
    // temporary files and could leave one's CSV beside the other's
    // workbook: the folder is held while it is checked and written.
    let _lock = output::FolderLock::exclusive_now(certdir)?;
    if !force && certdir.join("certification.csv").exists() {
        return Err(Error::Usage(format!(
            "{} already holds a certification; use another folder, or --force to replace it",
            certdir.display()
        )));
    }
    let files = vec![
        ("certification.csv".to_string(), certify::csv(&c)),
        (
            "certification.xlsx".to_string(),
            output::certification::workbook(&c).map_err(Error::Other)?,
        ),
    ];
    output::write_files(certdir, &files)?;
    Ok(c)
}

/// The `record` command: appends an event to the list's journal.
pub fn record_event(outdir: &Path, req: &journal::Request) -> Result<journal::Recorded> {
    let _lock = output::FolderLock::shared(outdir);
    let record = list::load(outdir)?;
    journal::record(outdir, &record, req)
}

/// The `explain` command's text.
pub fn explain(outdir: &Path, applicant: &str) -> Result<String> {
    let lock = output::FolderLock::shared(outdir);
    let current = list::CurrentList::open(outdir)?;
    drop(lock);
    explain::explain(&current, applicant)
}

/// `mi_option_purge_delay` in mimalloc 3's `mi_option_e` (mimalloc.h; the
/// Rust bindings name the options around it, 14 and 16, but not this one).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// For a program whose global allocator is `mimalloc::MiMalloc` (the
/// binary, `examples/stages`), at its start.
///
/// mimalloc hands freed memory back to the system after 10 ms. Scoring frees
/// and reallocates hundreds of megabytes a second (a chunk of records, its
/// rows, its notices), so each chunk faulted fresh pages that the kernel
/// zeroed first: at 1,000,000 applicants that was about a tenth of all CPU
/// time (perf: `clear_page_erms` under page faults). Held for a second, the
/// memory is reused instead, and peak memory is unchanged (no purge at all
/// raised it by 10%). BENCHMARKS.md, issue 6.
///
/// Transparent huge pages are turned off for the process (Linux). With
/// them, every first touch of fresh memory faulted in and zeroed 2 MB at
/// once, and memory handed back and taken again was zeroed again: at
/// 1,000,000 applicants the kernel's `clear_page_erms` under huge-page
/// faults was a tenth of all CPU time, and the run's system time halved
/// without them (2.2-3.5 s less CPU, peak memory 3% lower; BENCHMARKS.md).
pub fn tune_allocator() {
    // SAFETY: PR_SET_THP_DISABLE takes an integer flag and changes only
    // how the kernel backs this process's future anonymous memory; a
    // kernel that does not know it returns an error, which leaves things
    // as they were.
    #[cfg(target_os = "linux")]
    unsafe {
        let zero: libc::c_ulong = 0;
        libc::prctl(
            libc::PR_SET_THP_DISABLE,
            1 as libc::c_ulong,
            zero,
            zero,
            zero,
        );
    }
    // SAFETY: mi_option_get and mi_option_set only read and store an
    // option's value; any value is valid for this option, and mimalloc reads
    // it when it next purges. The check of the documented default (10 ms)
    // guards the option's number against another mimalloc version.
    unsafe {
        if libmimalloc_sys::mi_option_get(MI_OPTION_PURGE_DELAY) == 10 {
            libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 1000);
        }
    }
}
