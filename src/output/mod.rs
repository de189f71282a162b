//! Writing the outputs of `score` (SPEC 5). Every file is written under a
//! temporary name in OUTDIR, streamed a chunk of applicants at a time so
//! that memory stays flat at any size; only when all are complete are they
//! renamed into place. On any error the temporary files are removed and the
//! list already in OUTDIR, if any, is untouched.

pub mod certification;
pub mod csv;
pub mod json;
pub mod notices;
mod wordml;
pub mod xlsx;

use crate::error::{Error, Result};
use crate::record::{ApplicantRecord, ListEntry, ListOfRecord, Scored};
use crate::rules::Status;
use rayon::prelude::*;
use std::fs;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::sync::Arc;

/// The files `score` writes, by name.
pub const LIST_FILES: [&str; 5] = [
    "eligibility-list.csv",
    "eligibility-list.xlsx",
    "not-eligible.csv",
    "scores.csv",
    "result.json",
];

/// The folders of documents `score` writes.
pub const DOCUMENT_DIRS: [&str; 2] = ["notices", "letters"];

/// How many applicants' records are built at once and handed to the
/// writers before the next chunk.
const CHUNK: usize = 8192;

/// What `score` is asked to write besides the list.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Replace a list already in OUTDIR.
    pub force: bool,
    /// Also write a results letter to every applicant (`letters/`).
    pub letters: bool,
}

/// What was written, for the run's summary.
#[derive(Debug, Clone, Default)]
pub struct Written {
    pub notices: usize,
    pub letters: usize,
    /// Applicants whose notice or letter has no complete mailing address.
    pub missing_address: Vec<String>,
}

/// Refuses an OUTDIR that already holds a list unless `force`, and a list
/// with a journal even with `force`: events recorded against a list of
/// record must never be carried over to a new one.
pub fn check_outdir(outdir: &Path, force: bool) -> Result<()> {
    if outdir.exists() && !outdir.is_dir() {
        return Err(Error::Usage(format!(
            "{} exists and is not a folder; name a folder for the outputs",
            outdir.display()
        )));
    }
    // A notices/ or letters/ folder is replaced whole: one left without
    // its list is as much a list's as the files.
    // So is what a stopped `score` set aside (Staging::commit).
    let existing: Vec<String> = LIST_FILES
        .iter()
        .chain(&DOCUMENT_DIRS)
        .flat_map(|f| [f.to_string(), set_aside_name(f)])
        .filter(|f| outdir.join(f).exists())
        .collect();
    if existing.is_empty() {
        return Ok(());
    }
    if !force {
        return Err(Error::Usage(format!(
            "{} already holds a list ({}); a list of record is never overwritten by accident: use another folder, or --force to replace it",
            outdir.display(),
            existing.join(", ")
        )));
    }
    if outdir.join(crate::journal::JOURNAL).exists() {
        return Err(Error::Usage(format!(
            "{} holds a list whose journal records events (appointments, removals); --force would attach them to a different list. Score into a new folder: the old list and its journal stay the Board's record (Secretary)",
            outdir.display()
        )));
    }
    Ok(())
}

/// Refuses an OUTDIR where writing the list would replace one of the
/// exam's own files: with `--force`, an input named `scores.csv` in OUTDIR
/// was replaced by the output of that name, and an input inside a
/// `notices/` or `letters/` folder there went with the folder. Inputs are
/// never modified: the Secretary is custodian of the completed
/// examinations (ordinance, Secretary). A file is the same file whatever
/// name reaches it (a link, another case on a case-insensitive disk):
/// compared by identity.
pub fn check_inputs_apart<'a>(exam: &'a crate::exam::Exam, outdir: &Path) -> Result<()> {
    let inputs = &exam.inputs;
    let exam_name = exam.file.display().to_string();
    let mut files: Vec<(&str, &str, &Path)> = vec![("exam file", &exam_name, &exam.file)];
    let spec = |what, s: &'a crate::exam::InputSpec| (what, s.display.as_str(), s.path.as_path());
    files.push(spec("applicants file", &inputs.applicants));
    files.extend(inputs.scores.iter().map(|s| spec("score file", s)));
    files.extend(
        inputs
            .determinations
            .iter()
            .map(|s| spec("determinations file", s)),
    );
    files.extend(inputs.clearances.iter().map(|s| spec("clearances file", s)));
    let mut problems = Vec::new();
    // Each output under its own name, its temporary name and the name it
    // is set aside under while the list is replaced: all are written over
    // or removed.
    let outputs: Vec<(String, String)> = LIST_FILES
        .iter()
        .map(|f| (f.to_string(), f.to_string()))
        .chain(
            DOCUMENT_DIRS
                .iter()
                .map(|d| (d.to_string(), format!("{d}/ folder"))),
        )
        .flat_map(|(name, shown)| {
            [name.clone(), temp_name(&name), set_aside_name(&name)].map(|n| (n, shown.clone()))
        })
        .collect();
    for (what, name, input) in files {
        let at = fs::canonicalize(input).ok();
        let replaced = outputs
            .iter()
            .find(|(n, _)| {
                let out = outdir.join(n);
                same_file(input, &out)
                    || at.as_ref().is_some_and(|at| {
                        out.is_dir() && fs::canonicalize(&out).is_ok_and(|dir| at.starts_with(dir))
                    })
            })
            .map(|(_, shown)| shown.clone());
        if let Some(output) = replaced {
            problems.push(format!(
                "the {what} {name} would be replaced by the list's {output}"
            ));
        }
    }
    if problems.is_empty() {
        return Ok(());
    }
    Err(Error::Usage(format!(
        "{}, in {}; meritlist never modifies its inputs: write the outputs to another folder (-o), or move the input elsewhere",
        problems.join("; "),
        outdir.display()
    )))
}

/// Whether two paths name one existing file.
fn same_file(a: &Path, b: &Path) -> bool {
    let (Ok(ma), Ok(mb)) = (fs::metadata(a), fs::metadata(b)) else {
        return false;
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        ma.dev() == mb.dev() && ma.ino() == mb.ino()
    }
    #[cfg(not(unix))]
    {
        let _ = (ma, mb);
        matches!((fs::canonicalize(a), fs::canonicalize(b)), (Ok(x), Ok(y)) if x == y)
    }
}

/// Creates a file readable and writable by its owner only: the outputs hold
/// personnel data (names, addresses, scores, grounds).
///
/// Always a new file (`create_new`): an old file would keep its
/// permissions, readable by all, and a symbolic link would be followed,
/// writing the list wherever it points; either is refused. Temporary names
/// are cleared first by [`Staging`], which owns them.
pub(crate) fn create_private(path: &Path) -> std::io::Result<fs::File> {
    let mut o = fs::OpenOptions::new();
    o.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(0o600);
    }
    o.open(path)
}

/// Removes whatever is at a temporary name of ours (a leftover of a killed
/// run, or something put there): a file, a folder with its contents, or a
/// symbolic link itself (never what it points to).
fn clear(path: &Path) -> std::io::Result<()> {
    debug_assert!(path.to_string_lossy().ends_with(".meritlist-tmp"));
    match fs::symlink_metadata(path) {
        Ok(m) if m.is_dir() => fs::remove_dir_all(path),
        Ok(_) => fs::remove_file(path),
        Err(_) => Ok(()),
    }
}

/// Creates `dir` and any missing parent, each folder the run creates open
/// to its owner only: the notices' and letters' file names are applicants'
/// IDs, so a folder others can list says who was disqualified. A folder
/// that already exists (an OUTDIR the Board made) keeps its permissions.
pub fn create_private_dir_all(dir: &Path) -> std::io::Result<()> {
    private_dir().recursive(true).create(dir)
}

/// A folder builder whose folders are open to their owner only.
fn private_dir() -> fs::DirBuilder {
    let mut b = fs::DirBuilder::new();
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        b.mode(0o700);
    }
    b
}

/// A lock on a list's folder, so that two meritlist commands never
/// interleave on one list: `score` holds it alone while it puts a list in
/// place (two runs at once would clear each other's temporary files and
/// could leave one run's CSV beside the other's workbook); `record`,
/// `certify` and `explain` share it while they read the list (and
/// `record` while it appends to the journal), so they never see a list
/// half replaced. `certify` holds its certification's folder alone while
/// it writes there, for the same reason as `score`.
///
/// The folder itself is locked (`flock` on Unix), so nothing is left in
/// it, and the lock goes with the process that holds it: a killed run
/// leaves no stale lock. Where folders cannot be locked (not Unix, or a
/// file system without locks) the commands run unlocked, as before.
#[must_use = "the folder is unlocked when this is dropped"]
pub struct FolderLock {
    _folder: Option<fs::File>,
}

impl FolderLock {
    /// The folder alone, now, or an error (exit 2) naming it: for `score`,
    /// where a second run into one folder is a mistake to report, not to
    /// wait for.
    pub fn exclusive_now(dir: &Path) -> Result<FolderLock> {
        let Some(f) = Self::open(dir) else {
            return Ok(FolderLock { _folder: None });
        };
        match f.try_lock() {
            Ok(()) => Ok(FolderLock { _folder: Some(f) }),
            Err(fs::TryLockError::WouldBlock) => Err(Error::Usage(format!(
                "{} is in use by another meritlist command (a score or certify writing there, or a record, certify or explain reading a list there); run this one when it has finished",
                dir.display()
            ))),
            Err(fs::TryLockError::Error(_)) => Ok(FolderLock { _folder: None }),
        }
    }

    /// Shared with other readers, waiting while a `score` writes the
    /// folder.
    pub fn shared(dir: &Path) -> FolderLock {
        let folder = Self::open(dir).filter(|f| f.lock_shared().is_ok());
        FolderLock { _folder: folder }
    }

    /// The folder opened for locking; `None` where it cannot be (no such
    /// folder: the command's own checks report that).
    fn open(dir: &Path) -> Option<fs::File> {
        #[cfg(unix)]
        {
            fs::File::open(dir)
                .ok()
                .filter(|f| f.metadata().is_ok_and(|m| m.is_dir()))
        }
        #[cfg(not(unix))]
        {
            let _ = dir;
            None
        }
    }
}

/// Writes `bytes` to a new owner-only file.
pub fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut f = create_private(path)?;
    f.write_all(bytes)
}

/// Fault injection for the tests of atomic writing (debug builds only):
/// `MERITLIST_INJECT=<point>` makes the run fail at that point, as a full
/// disk or a crash would. Release builds compile this to nothing.
fn inject(point: &str) -> Result<()> {
    #[cfg(debug_assertions)]
    if let Ok(p) = std::env::var("MERITLIST_INJECT") {
        if p == point {
            return Err(Error::io(
                point,
                std::io::Error::other("injected failure (test)"),
            ));
        }
    }
    inject_panic(point);
    Ok(())
}

/// The panic half of [`inject`], for a point that cannot fail with an
/// error (debug builds only): `MERITLIST_INJECT=panic:<point>` panics
/// there.
pub(crate) fn inject_panic(point: &str) {
    #[cfg(debug_assertions)]
    if std::env::var("MERITLIST_INJECT").is_ok_and(|p| p == format!("panic:{point}")) {
        panic!("injected panic (test) at {point}");
    }
    let _ = point;
}

/// Temporary files and folders in OUTDIR, removed unless committed.
struct Staging {
    outdir: PathBuf,
    files: Vec<(PathBuf, PathBuf)>,
    dirs: Vec<(PathBuf, PathBuf)>,
    committed: bool,
}

impl Staging {
    fn new(outdir: &Path) -> Staging {
        Staging {
            outdir: outdir.to_path_buf(),
            files: Vec::new(),
            dirs: Vec::new(),
            committed: false,
        }
    }

    fn file(&mut self, name: &str) -> Result<(PathBuf, BufWriter<fs::File>)> {
        let temp = self.path(name)?;
        let f = create_private(&temp).map_err(|e| Error::io(&temp, e))?;
        Ok((temp, BufWriter::with_capacity(1 << 20, f)))
    }

    /// A cleared temporary name for `name`, to be created new.
    fn path(&mut self, name: &str) -> Result<PathBuf> {
        let temp = self.outdir.join(temp_name(name));
        clear(&temp).map_err(|e| Error::io(&temp, e))?;
        self.files.push((temp.clone(), self.outdir.join(name)));
        Ok(temp)
    }

    fn dir(&mut self, name: &str) -> Result<PathBuf> {
        let temp = self.outdir.join(temp_name(name));
        // A leftover of a killed run is removed; a link there is removed,
        // not followed.
        clear(&temp).map_err(|e| Error::io(&temp, e))?;
        // Not recursive: a folder that appeared since is refused, not used.
        private_dir()
            .create(&temp)
            .map_err(|e| Error::io(&temp, e))?;
        self.dirs.push((temp.clone(), self.outdir.join(name)));
        Ok(temp)
    }

    /// Renames everything into place; a document folder replaces the old
    /// one whole, so no stale notice survives a `--force`.
    fn commit(mut self, stale_dirs: &[&str]) -> Result<()> {
        // Two steps, so that a failure part-way leaves the previous list
        // whole: every old file and folder is first moved aside; only then
        // are the new ones renamed into place. On any failure the new ones
        // are removed and the old ones moved back.
        let mut moves: Vec<(PathBuf, PathBuf)> = self
            .files
            .iter()
            .chain(&self.dirs)
            .map(|(temp, target)| (temp.clone(), target.clone()))
            .collect();
        for d in stale_dirs {
            let p = self.outdir.join(d);
            if p.exists() {
                moves.push((PathBuf::new(), p));
            }
        }
        // result.json, the list of record that certify, record and explain
        // read, is set aside first and placed last: a run stopped part-way
        // (a crash, a power cut) leaves no result.json but new files, and
        // those commands refuse the folder (list::load).
        moves.sort_by_key(|(_, target)| target.file_name() != Some("result.json".as_ref()));
        let aside = |target: &Path| {
            let name = target
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            target.with_file_name(set_aside_name(&name))
        };
        let mut set_aside: Vec<PathBuf> = Vec::new();
        let mut placed: Vec<PathBuf> = Vec::new();
        let result = (|| -> Result<()> {
            for (_, target) in &moves {
                if target.exists() {
                    let old = aside(target);
                    remove_any(&old);
                    fs::rename(target, &old).map_err(|e| Error::io(target, e))?;
                    set_aside.push(target.clone());
                }
            }
            for (temp, target) in moves.iter().rev() {
                if temp.as_os_str().is_empty() {
                    continue; // a stale folder: only removed
                }
                fs::rename(temp, target).map_err(|e| Error::io(target, e))?;
                placed.push(target.clone());
                inject("commit")?;
            }
            Ok(())
        })();
        match result {
            Ok(()) => {
                // The renames reach the disk before the old list goes. A
                // file system that cannot sync a folder is left to its own
                // schedule.
                sync_folder(&self.outdir);
                // Also what a stopped run left set aside (with --force),
                // a stale folder's included even when the folder is gone;
                // result.json's last.
                for d in stale_dirs {
                    remove_any(&aside(&self.outdir.join(d)));
                }
                for (_, target) in moves.iter().rev() {
                    remove_any(&aside(target));
                }
                self.committed = true;
                Ok(())
            }
            Err(e) => {
                for target in &placed {
                    remove_any(target);
                }
                for target in &set_aside {
                    let _ = fs::rename(aside(target), target);
                }
                Err(e)
            }
        }
    }
}

/// Syncs a folder's entries to the disk (Unix; a no-op elsewhere).
fn sync_folder(dir: &Path) {
    #[cfg(unix)]
    if let Ok(d) = fs::File::open(dir) {
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

/// The name an output is written under until it is renamed into place.
fn temp_name(name: &str) -> String {
    format!(".{name}.meritlist-tmp")
}

/// The name a file of the list takes while `score` replaces it.
pub fn set_aside_name(file: &str) -> String {
    format!(".{file}.meritlist-old")
}

/// Removes a file or a folder, if there.
fn remove_any(p: &Path) {
    if p.is_dir() {
        let _ = fs::remove_dir_all(p);
    } else {
        let _ = fs::remove_file(p);
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            for (temp, _) in &self.files {
                let _ = fs::remove_file(temp);
            }
            for (temp, _) in &self.dirs {
                let _ = fs::remove_dir_all(temp);
            }
        }
    }
}

fn io_err(path: &Path) -> impl Fn(std::io::Error) -> Error + '_ {
    move |e| Error::io(path, e)
}

fn csv_err(path: &Path) -> impl Fn(::csv::Error) -> Error + '_ {
    move |e| Error::Other(format!("{}: {e}", path.display()))
}

fn xlsx_err(path: &Path) -> impl Fn(rust_xlsxwriter::XlsxError) -> Error + '_ {
    move |e| Error::Other(format!("{}: {e}", path.display()))
}

/// Writes every output of `score` to `outdir`.
pub fn write(scored: &Scored, outdir: &Path, opts: Options) -> Result<Written> {
    write_with_progress(scored, outdir, opts, &crate::Silent)
}

/// As [`write`], reporting progress.
pub fn write_with_progress(
    scored: &Scored,
    outdir: &Path,
    opts: Options,
    progress: &dyn crate::Progress,
) -> Result<Written> {
    create_private_dir_all(outdir).map_err(io_err(outdir))?;
    let _lock = FolderLock::exclusive_now(outdir)?;
    // Again, now that no other command can write the folder: `score`
    // checked it before scoring, and another run may have put a list
    // there since.
    check_outdir(outdir, opts.force)?;
    let head = scored.head();
    let mut st = Staging::new(outdir);

    let (p_list, f_list) = st.file("eligibility-list.csv")?;
    let (p_ne, f_ne) = st.file("not-eligible.csv")?;
    let (p_sc, f_sc) = st.file("scores.csv")?;
    let (p_json, f_json) = st.file("result.json")?;
    let p_xlsx = st.path("eligibility-list.xlsx")?;
    let mut list = csv::EligibilityList::new(f_list, &head).map_err(csv_err(&p_list))?;
    let mut not_eligible = csv::NotEligible::new(f_ne).map_err(csv_err(&p_ne))?;
    let mut scores = csv::Scores::new(f_sc, &head).map_err(csv_err(&p_sc))?;
    let ids: Vec<&str> = head
        .list
        .iter()
        .map(|i| scored.data.applicants[*i].id.as_str())
        .collect();
    let mut json = json::JsonWriter::new(f_json, &head, &ids).map_err(io_err(&p_json))?;
    let mut book = xlsx::WorkbookWriter::new(&head, outdir).map_err(xlsx_err(&p_xlsx))?;

    let letters_dir = if opts.letters {
        Some(st.dir("letters")?)
    } else {
        None
    };
    let mut written = Written::default();

    let n = scored.len();
    progress.stage(
        "writing the list and its reports",
        Some((n + head.list.len()) as u64),
    );
    // A pipeline over the chunks of applicants (issue 6): this thread builds
    // each chunk's records and writes them to the CSVs and result.json,
    // while three threads of their own fill the workbook's data sheets, one
    // a sheet (the longest tasks). The disqualified applicants' notices are
    // made afterwards, while the workbook is compressed. Every file, and
    // every sheet, is still written in one order by one thread, so the
    // bytes are the same whatever the timing.
    //
    // Records are built on the thread that frees them: freeing memory
    // another thread allocated costs the allocator several times more (the
    // records' frees were 5% of all CPU at 1,000,000 applicants, built on
    // rayon's threads and freed on the sheets').
    let build = |range: std::ops::Range<usize>| -> Arc<Vec<ApplicantRecord>> {
        Arc::new(range.map(|i| scored.applicant(i)).collect())
    };
    let build_list = |chunk: &[usize]| -> Vec<ListEntry> {
        chunk.iter().map(|i| scored.list_entry(*i)).collect()
    };
    let ranges: Vec<std::ops::Range<usize>> = (0..n)
        .step_by(CHUNK)
        .map(|s| s..(s + CHUNK).min(n))
        .collect();
    let list_chunks: Vec<&[usize]> = head.list.chunks(CHUNK).collect();
    let notices_dir = st.dir("notices")?;
    let mut disqualified: Vec<ApplicantRecord> = Vec::new();
    // The exam, the list and the rules the documents cite; the applicants
    // come by chunk. (A letter gives a rank "of" the list's length: a
    // record holding only a chunk made that "of 0".)
    let doc_record = ListOfRecord {
        format: crate::record::FORMAT_VERSION,
        exam: head.exam.clone(),
        list: ids.iter().map(|id| id.to_string()).collect(),
        applicants: Vec::new(),
        audit: head.audit.clone(),
    };
    let mut notice_writer = notices::DocumentWriter::notices(&doc_record);
    let mut letter_writer = opts
        .letters
        .then(|| notices::DocumentWriter::letters(&doc_record));
    // Set when the list's thread or the applicants' pass fails, so that the
    // other stops at its next chunk instead of writing on for nothing.
    let failed = std::sync::atomic::AtomicBool::new(false);
    std::thread::scope(|sc| -> Result<()> {
        // The workbook's data sheets are filled by three threads of their
        // own, one a sheet. Scores and Not Eligible take the chunks of
        // applicants the pass below builds; the list's thread builds its
        // own entries, in list order, and writes the list's CSV beside its
        // sheet, from the start (it used to wait for the applicants' pass,
        // leaving a core idle for a second at 1,000,000; issue 6).
        let (list_rows, ne_rows, score_rows) = book.rows();
        let (tx_ne, rx_ne) = std::sync::mpsc::sync_channel::<Arc<Vec<ApplicantRecord>>>(2);
        let (tx_scores, rx_scores) = std::sync::mpsc::sync_channel::<Arc<Vec<ApplicantRecord>>>(2);
        let mut tx = Some((tx_ne, tx_scores));
        let p_book = &p_xlsx;
        let p_list = &p_list;
        let list_chunks = &list_chunks;
        let failed = &failed;
        let list_sheet = sc.spawn(
            move || -> Result<csv::EligibilityList<BufWriter<fs::File>>> {
                let mut rows = list_rows;
                let result = (|| -> Result<()> {
                    for chunk in list_chunks {
                        if failed.load(Ordering::Relaxed) {
                            break;
                        }
                        let records = build_list(chunk);
                        for a in records.iter() {
                            rows.list_row(a).map_err(xlsx_err(p_book))?;
                            list.row(a).map_err(csv_err(p_list))?;
                        }
                        progress.advance(records.len() as u64);
                    }
                    Ok(())
                })();
                if result.is_err() {
                    failed.store(true, Ordering::Relaxed);
                }
                result.map(|()| list)
            },
        );
        let ne_sheet = sc.spawn(move || -> Result<()> {
            let mut rows = ne_rows;
            for records in rx_ne {
                for a in records.iter() {
                    rows.not_eligible(a).map_err(xlsx_err(p_book))?;
                }
            }
            Ok(())
        });
        let scores_sheet = sc.spawn(move || -> Result<()> {
            let mut rows = score_rows;
            for records in rx_scores {
                for a in records.iter() {
                    rows.applicant(a).map_err(xlsx_err(p_book))?;
                }
            }
            Ok(())
        });
        let main = (|| -> Result<()> {
            // Every applicant, in natural ID order, a chunk at a time. A
            // chunk the sheets' threads are done with is freed here, where
            // it was built; the last few go with whichever thread is last.
            let mut spent: std::collections::VecDeque<Arc<Vec<ApplicantRecord>>> =
                Default::default();
            for range in &ranges {
                if failed.load(Ordering::Relaxed) {
                    // The list's thread reports its own error.
                    return Err(Error::Other("a writer of the workbook stopped".into()));
                }
                let records = build(range.clone());
                send(&tx, &records)?;
                for a in records.iter() {
                    scores.row(a).map_err(csv_err(&p_sc))?;
                    not_eligible.row(a).map_err(csv_err(&p_ne))?;
                    json.applicant(a).map_err(io_err(&p_json))?;
                }
                // Their notices are rendered while the workbook is saved.
                disqualified.extend(
                    records
                        .iter()
                        .filter(|a| a.status == Status::Disqualified)
                        .cloned(),
                );
                if let (Some(dir), Some(writer)) = (&letters_dir, &mut letter_writer) {
                    let docs = writer.render(&records);
                    written.letters += write_documents(dir, "letters/", docs)?;
                }
                progress.advance(records.len() as u64);
                spent.push_back(records);
                while spent.front().is_some_and(|r| Arc::strong_count(r) == 1) {
                    spent.pop_front();
                }
            }
            inject("write")?;
            // The sheets' threads have all their rows.
            drop(tx.take());
            flush(not_eligible.finish().map_err(csv_err(&p_ne))?, &p_ne)?;
            flush(scores.finish().map_err(csv_err(&p_sc))?, &p_sc)?;
            flush(json.finish(&head).map_err(io_err(&p_json))?, &p_json)?;
            Ok(())
        })();
        if main.is_err() {
            failed.store(true, Ordering::Relaxed);
        }
        // The sheets' threads end when their channels close.
        drop(tx);
        // A sheet's own error first: the other threads stop with an error of
        // their own when they cannot hand over their rows.
        let list = crate::joined(list_sheet)?;
        crate::joined(ne_sheet)?;
        crate::joined(scores_sheet)?;
        main?;
        progress.stage("finishing the files", None);
        flush(list.finish().map_err(csv_err(p_list))?, p_list)
    })?;
    // Every row is written: the workbook is closed and saved (compressing
    // it is one long task on one thread) while the notices of
    // disqualification (Notice of disqualification) are rendered and written
    // on the others.
    progress.stage(
        "saving the workbook; writing the notices of disqualification",
        Some(disqualified.len() as u64),
    );
    let (saved, notices) = std::thread::scope(|sc| {
        let saver =
            sc.spawn(|| -> Result<()> { book.finish(&head, &p_xlsx).map_err(xlsx_err(&p_xlsx)) });
        let notices = (|| -> Result<usize> {
            let mut count = 0;
            for chunk in disqualified.chunks(1024) {
                let docs = notice_writer.render(chunk);
                count += write_documents(&notices_dir, "notices/", docs)?;
                progress.advance(chunk.len() as u64);
            }
            // Its index (the count is of notices only).
            let docs = notice_writer.finish();
            written.missing_address.extend(docs.missing_address);
            write_documents(&notices_dir, "notices/", docs.files)?;
            Ok(count)
        })();
        (crate::joined(saver), notices)
    });
    saved?;
    written.notices = notices?;
    if let (Some(dir), Some(writer)) = (&letters_dir, letter_writer) {
        let docs = writer.finish();
        written.missing_address.extend(docs.missing_address);
        write_documents(dir, "letters/", docs.files)?;
    }
    // Each applicant once, in natural ID order (a notice and a letter may
    // name the same one).
    written
        .missing_address
        .sort_by(|a, b| crate::fields::natural_cmp(a, b));
    written.missing_address.dedup();

    st.commit(if opts.letters { &[] } else { &["letters"] })?;
    Ok(written)
}

/// Hands a chunk of applicants to the Not Eligible and Scores sheets'
/// threads. A send fails only when a thread has stopped on an error, which
/// its join reports (this error is then never shown).
type Senders = Option<(
    std::sync::mpsc::SyncSender<Arc<Vec<ApplicantRecord>>>,
    std::sync::mpsc::SyncSender<Arc<Vec<ApplicantRecord>>>,
)>;

fn send(tx: &Senders, records: &Arc<Vec<ApplicantRecord>>) -> Result<()> {
    let stopped = || Error::Other("a writer of the workbook stopped".into());
    if let Some((tx_ne, tx_scores)) = tx {
        tx_scores.send(Arc::clone(records)).map_err(|_| stopped())?;
        tx_ne.send(Arc::clone(records)).map_err(|_| stopped())?;
    }
    Ok(())
}

fn flush(mut w: BufWriter<fs::File>, path: &Path) -> Result<()> {
    w.flush().map_err(io_err(path))?;
    let f = w
        .into_inner()
        .map_err(|e| Error::io(path, e.into_error()))?;
    f.sync_all().map_err(io_err(path))
}

/// Writes documents (`<prefix><file>`, bytes) into `dir`, in parallel;
/// returns how many.
fn write_documents(dir: &Path, prefix: &str, files: Vec<(String, Vec<u8>)>) -> Result<usize> {
    files.par_iter().try_for_each(|(name, bytes)| {
        let p = dir.join(name.strip_prefix(prefix).unwrap_or(name));
        write_private(&p, bytes).map_err(io_err(&p))
    })?;
    Ok(files.len())
}

/// Writes small files (a certification) each to a temporary name in `dir`,
/// then renames them all into place; on failure the temporary files go.
pub fn write_files(dir: &Path, files: &[(String, Vec<u8>)]) -> Result<()> {
    create_private_dir_all(dir).map_err(io_err(dir))?;
    let mut st = Staging::new(dir);
    for (name, bytes) in files {
        let (path, mut f) = st.file(name)?;
        f.write_all(bytes).map_err(io_err(&path))?;
        flush(f, &path)?;
    }
    st.commit(&[])
}
