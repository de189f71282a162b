//! The `meritlist` command line: a thin layer over the library.

// Issue 7: no bare `unwrap` outside tests. An `expect` is allowed only where
// an invariant makes failure impossible, with a comment saying which.
#![cfg_attr(not(test), deny(clippy::unwrap_used))]

use clap::{Parser, Subcommand};
use meritlist::error::{Error, ExitCode};
use meritlist::journal::{EventKind, Request};
use meritlist::rules::Status;
use meritlist::Exec;
use std::path::PathBuf;

// Scoring a large exam allocates many small strings (cells, reasons,
// formatted figures); mimalloc serves them markedly faster than the system
// allocator (see BENCHMARKS.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

const ABOUT: &str = "Ranked, certifiable eligibility lists for a Police Personnel Board.

Examples:
  meritlist init exams/po-2027 --deadline 2027-02-26 --established 2027-04-15
  meritlist check samples/police-officer/exam.toml
  meritlist score samples/police-officer/exam.toml -o out/po
  meritlist certify out/po --vacancies 2 --date 2026-12-01 -o out/po/cert-2026-12-01
  meritlist record out/po --applicant 26032 --event appointed --date 2026-12-03
  meritlist explain out/po --applicant 26022";

#[derive(Parser, Debug)]
#[command(name = "meritlist", version, about = ABOUT, long_about = ABOUT)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Create an exam folder: exam.toml with the ordinance defaults (each
    /// line commented with its meaning and clause) and input templates with
    /// notes and dropdowns.
    ///
    /// Never overwrites a file. Edit the lines marked EDIT, fill in the
    /// templates, then run `meritlist check DIR/exam.toml`.
    ///
    /// Examples:
    ///   meritlist init exams/po-2027 --deadline 2027-02-26 --established 2027-04-15
    ///   meritlist init exams/sgt-2027 --rank sergeant --promotional
    ///   meritlist init exams/lt-2027 --rank lieutenant --promotional
    #[command(verbatim_doc_comment)]
    Init {
        /// The folder to create (it may exist, but none of the files may).
        dir: PathBuf,
        /// officer, corporal, sergeant, lieutenant, captain, major or
        /// deputy_chief. Above sergeant the list is a qualified list.
        #[arg(long, default_value = "officer", value_parser = parse_rank)]
        rank: meritlist::exam::Rank,
        /// A promotional exam: adds the performance-rating component.
        #[arg(long)]
        promotional: bool,
        /// A civilian (non-sworn) position: no citizenship rule.
        #[arg(long)]
        civilian: bool,
        /// The exam's id, printed on every output.
        #[arg(long)]
        id: Option<String>,
        /// The position as printed on documents.
        #[arg(long)]
        position: Option<String>,
        /// The application deadline, YYYY-MM-DD.
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
        deadline: Option<chrono::NaiveDate>,
        /// The date the list will be established, YYYY-MM-DD.
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
        established: Option<chrono::NaiveDate>,
        /// A minimum age on the deadline (Disqualification A.1).
        #[arg(long, value_name = "YEARS")]
        min_age: Option<u32>,
        /// Fill in one example applicant, to try check and score at once.
        #[arg(long)]
        example: bool,
    },
    /// Read and validate the exam file and every input; write nothing.
    ///
    /// Every problem is printed, each with its file, sheet and cell (or CSV
    /// row and column), what was expected and what was found. Exit 0 when
    /// clean, 2 otherwise.
    ///
    /// Example: meritlist check samples/police-officer/exam.toml
    #[command(verbatim_doc_comment)]
    Check {
        /// The exam file (exam.toml).
        exam: PathBuf,
    },
    /// Score the exam and write the list of record and its reports.
    ///
    /// Writes eligibility-list.csv and .xlsx, not-eligible.csv, scores.csv,
    /// result.json and notices/ (one notice per disqualified applicant) to
    /// OUTDIR. Nothing is written if any input has a problem.
    ///
    /// Example: meritlist score samples/police-officer/exam.toml -o out/po
    #[command(verbatim_doc_comment)]
    Score {
        /// The exam file (exam.toml).
        exam: PathBuf,
        /// The folder for the outputs.
        #[arg(short = 'o', long = "out", value_name = "OUTDIR")]
        out: PathBuf,
        /// Replace a list already in OUTDIR (refused once events are recorded
        /// in its journal).
        #[arg(long)]
        force: bool,
        /// Also write a results letter to every applicant (letters/).
        #[arg(long)]
        letters: bool,
        /// Print nothing but errors and notes.
        #[arg(short, long)]
        quiet: bool,
    },
    /// Certify the names for N vacancies from the current list.
    ///
    /// One vacancy: the top three names. N vacancies: the exam's window
    /// (N+2 by default), or --size K with N+2 <= K <= 3N (Examinations C).
    /// A qualified list certifies every active qualified candidate, internal
    /// candidates first. Each name shows its clearance on the date.
    ///
    /// Example: meritlist certify out/po --vacancies 2 --date 2026-12-01 -o out/po/cert-1
    #[command(verbatim_doc_comment)]
    Certify {
        /// The folder `score` wrote (the list of record and its journal).
        outdir: PathBuf,
        /// How many vacancies to fill.
        #[arg(long, value_name = "N")]
        vacancies: u32,
        /// How many names to certify (N+2 to 3N), instead of the exam's window.
        #[arg(long, value_name = "K")]
        size: Option<u32>,
        /// The certification date, YYYY-MM-DD (default: today).
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
        date: Option<chrono::NaiveDate>,
        /// The folder for certification.csv and certification.xlsx.
        #[arg(short = 'o', long = "out", value_name = "CERTDIR")]
        out: PathBuf,
        /// Replace a certification already in CERTDIR.
        #[arg(long)]
        force: bool,
    },
    /// Record a list event in the journal: appointed, declined, passed_over,
    /// removed or withdrawn.
    ///
    /// `appointed` needs a cleared background check on the date unless
    /// --override gives the reason, and prints the end of the 12-month
    /// initial review period. `declined` and `passed_over` keep the applicant
    /// on the list; the others take them off it.
    ///
    /// Example: meritlist record out/po --applicant 26032 --event appointed --date 2026-12-03
    #[command(verbatim_doc_comment)]
    Record {
        /// The folder `score` wrote.
        outdir: PathBuf,
        /// The applicant's ID.
        #[arg(long, value_name = "ID")]
        applicant: String,
        /// appointed, declined, passed_over, removed or withdrawn.
        #[arg(long, value_name = "EVENT", value_parser = parse_event)]
        event: EventKind,
        /// The event's date, YYYY-MM-DD.
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
        date: chrono::NaiveDate,
        /// A note kept with the event.
        #[arg(long, value_name = "TEXT", default_value = "")]
        note: String,
        /// Appoint without a cleared background check, for this reason.
        #[arg(long = "override", value_name = "REASON")]
        override_reason: Option<String>,
    },
    /// Explain, clause by clause, how one applicant's status, scores, points
    /// and rank were reached, and list their journal events.
    ///
    /// Example: meritlist explain out/po --applicant 26022
    #[command(verbatim_doc_comment)]
    Explain {
        /// The folder `score` wrote.
        outdir: PathBuf,
        /// The applicant's ID.
        #[arg(long, value_name = "ID")]
        applicant: String,
    },
}

/// A progress bar on stderr, shown only on a terminal, only without
/// --quiet, and only once a run has taken more than a second: short runs and
/// redirected output stay quiet.
struct Bar {
    bar: indicatif::ProgressBar,
    start: std::time::Instant,
    enabled: bool,
    shown: std::sync::atomic::AtomicBool,
}

impl Bar {
    fn new(quiet: bool) -> Bar {
        use std::io::IsTerminal;
        let bar = indicatif::ProgressBar::hidden();
        Bar {
            bar,
            start: std::time::Instant::now(),
            enabled: !quiet && std::io::stderr().is_terminal(),
            shown: std::sync::atomic::AtomicBool::new(false),
        }
    }

    fn show_if_slow(&self) {
        use std::sync::atomic::Ordering;
        if self.enabled
            && self.start.elapsed() > std::time::Duration::from_secs(1)
            && !self.shown.swap(true, Ordering::Relaxed)
        {
            self.bar
                .set_draw_target(indicatif::ProgressDrawTarget::stderr());
            self.bar
                .enable_steady_tick(std::time::Duration::from_millis(200));
        }
    }

    fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

impl meritlist::Progress for Bar {
    fn stage(&self, name: &str, total: Option<u64>) {
        let style = match total {
            Some(n) => {
                self.bar.set_length(n);
                self.bar.set_position(0);
                indicatif::ProgressStyle::with_template(
                    "{spinner} {msg} [{bar:30}] {pos}/{len} ({eta})",
                )
            }
            None => indicatif::ProgressStyle::with_template("{spinner} {msg} ({elapsed})"),
        };
        if let Ok(style) = style {
            self.bar.set_style(style.progress_chars("=> "));
        }
        self.bar.set_message(name.to_string());
        self.show_if_slow();
    }

    fn advance(&self, n: u64) {
        self.bar.inc(n);
        self.show_if_slow();
    }
}

fn parse_date(s: &str) -> Result<chrono::NaiveDate, String> {
    use chrono::Datelike;
    let d = chrono::NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .map_err(|_| format!("expected a date written YYYY-MM-DD, found {s:?}"))?;
    // Dates are printed in workbooks, which hold 1900..9999.
    if !(1900..=9999).contains(&d.year()) {
        return Err(format!("expected a date from 1900 to 9999, found {s:?}"));
    }
    Ok(d)
}

fn parse_rank(s: &str) -> Result<meritlist::exam::Rank, String> {
    let k = s.trim().to_lowercase().replace([' ', '-'], "_");
    meritlist::exam::Rank::ALL
        .iter()
        .find(|(n, _)| *n == k)
        .map(|(_, r)| *r)
        .ok_or_else(|| {
            format!("expected officer, corporal, sergeant, lieutenant, captain, major or deputy_chief, found {s:?}")
        })
}

fn parse_event(s: &str) -> Result<EventKind, String> {
    EventKind::parse(s).ok_or_else(|| {
        format!("expected appointed, declined, passed_over, removed or withdrawn, found {s:?}")
    })
}

fn main() {
    meritlist::tune_allocator();
    // A panic is a bug, never the user's fault: say so in a sentence, with
    // where it happened, instead of a raw backtrace; the temporary files of
    // an unfinished run are removed as the stack unwinds.
    std::panic::set_hook(Box::new(|info| {
        // calamine panicked on a damaged spreadsheet: that is reported as
        // the file's problem, with the rest, not as a bug.
        if meritlist::ingest::table::in_foreign_reader() {
            return;
        }
        let what = meritlist::panic_message(info.payload()).unwrap_or("unknown");
        let at = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        eprintln!(
            "internal error: {what}{at}.\nThis is a bug in meritlist {}, not a problem with your files. The command did not finish: what it had begun writing is removed, and a list it was replacing is refused until it is scored again. Please report it with the command you ran and, if you can, the exam folder.",
            env!("CARGO_PKG_VERSION")
        );
    }));
    // The hook is set first, so that even a panic while the command line is
    // parsed is reported so.
    let code = match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| run(Cli::parse()))) {
        Ok(Ok(())) => ExitCode::Success,
        Ok(Err(e)) => {
            report(&e);
            e.exit_code()
        }
        Err(_) => ExitCode::Failure,
    };
    std::process::exit(code as i32);
}

/// Prints an error: each input problem on a line of its own.
fn report(e: &Error) {
    match e {
        Error::Input(problems) => {
            for p in problems {
                eprintln!("error: {}", printable(&p.to_string(), false));
            }
            let n = problems.len();
            eprintln!(
                "{n} problem{} found; nothing was written.",
                if n == 1 { "" } else { "s" }
            );
        }
        // Of these, only an internal error's runs over lines on purpose.
        other => eprintln!("error: {}", printable(&other.to_string(), true)),
    }
}

/// A message as the terminal is given it: each control character (a line
/// break unless `lines`, a tab, an escape sequence's ESC, DEL) written as
/// `\u{XX}`. Messages quote what the input holds (a cell's text, a
/// damaged workbook's part name, a path), and a line break there would
/// split a problem over lines, an ESC could recolour or retitle the
/// terminal.
fn printable(message: &str, lines: bool) -> String {
    let mut out = String::with_capacity(message.len());
    for c in message.chars() {
        if c.is_control() && !(lines && c == '\n') {
            out.push_str(&format!("\\u{{{:X}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

fn run(cli: Cli) -> Result<(), Error> {
    match cli.command {
        Command::Init {
            dir,
            rank,
            promotional,
            civilian,
            id,
            position,
            deadline,
            established,
            min_age,
            example,
        } => {
            let opts = meritlist::init::InitOptions {
                rank,
                promotional,
                sworn: !civilian,
                id,
                position,
                application_deadline: deadline,
                list_established: established,
                min_age,
                example,
            };
            let files = meritlist::init::init(&dir, &opts)?;
            println!("created {} in {}:", files.join(", "), dir.display());
            println!(
                "  1. edit the lines marked EDIT in {}",
                dir.join("exam.toml").display()
            );
            println!("  2. fill in the templates (each header has a note saying what it takes)");
            println!("  3. meritlist check {}", dir.join("exam.toml").display());
            Ok(())
        }
        Command::Check { exam } => {
            let report = meritlist::check(&exam)?;
            println!(
                "{}: {} applicant{} in {} input files; no problems found.",
                report.exam.id,
                report.applicants,
                if report.applicants == 1 { "" } else { "s" },
                report.files
            );
            if report.applicants == 0 {
                eprintln!(
                    "note: the applicants file has no applicants yet: fill in {}",
                    report.exam.inputs.applicants.display
                );
            }
            Ok(())
        }
        Command::Score {
            exam,
            out,
            force,
            letters,
            quiet,
        } => {
            let opts = meritlist::output::Options { force, letters };
            let bar = Bar::new(quiet);
            let r = meritlist::score(&exam, &out, opts, Exec::Parallel, &bar);
            bar.finish();
            let r = r?;
            if !quiet {
                let c = &r.counts;
                println!(
                    "{} ({}): {} applicants = {} eligible + {} failed + {} incomplete + {} disqualified",
                    r.exam_id,
                    r.position,
                    c.applicants,
                    c.get(Status::Eligible),
                    c.get(Status::Failed),
                    c.get(Status::Incomplete),
                    c.get(Status::Disqualified)
                );
                println!(
                    "{} list of {} written to {}",
                    r.list,
                    r.listed,
                    out.display()
                );
                println!(
                    "{} notice{} of disqualification written to {}",
                    r.written.notices,
                    if r.written.notices == 1 { "" } else { "s" },
                    out.join("notices").display()
                );
                if letters {
                    println!(
                        "{} results letters written to {}",
                        r.written.letters,
                        out.join("letters").display()
                    );
                }
            }
            if !r.written.missing_address.is_empty() {
                eprintln!(
                    "note: no complete mailing address for {} applicant{} (their documents say so): {}",
                    r.written.missing_address.len(),
                    if r.written.missing_address.len() == 1 { "" } else { "s" },
                    r.written.missing_address.join(", ")
                );
            }
            Ok(())
        }
        Command::Certify {
            outdir,
            vacancies,
            size,
            date,
            out,
            force,
        } => {
            // The one clock read: a certification made today. Pass --date to
            // reproduce a past certification.
            let on = date.unwrap_or_else(|| chrono::Local::now().date_naive());
            let c = meritlist::certify(&outdir, vacancies, size, on, &out, force)?;
            for n in c.notes() {
                eprintln!("note: {}", printable(&n, false));
            }
            println!(
                "{} certified on {} for {} vacanc{}: {} name{} written to {}",
                c.exam_id,
                c.date,
                c.vacancies,
                if c.vacancies == 1 { "y" } else { "ies" },
                c.entries.len(),
                if c.entries.len() == 1 { "" } else { "s" },
                out.display()
            );
            for e in &c.entries {
                let clearance = if e.clearance.cleared {
                    ", cleared".to_string()
                } else {
                    format!(", pending: {}", e.clearance.missing.join("; "))
                };
                let residence = if e.residence_note.is_empty() {
                    String::new()
                } else {
                    format!(", {}", e.residence_note)
                };
                println!(
                    "  {:>2}. {} {} {} ({}){clearance}{residence}",
                    e.window_position, e.applicant_id, e.first_name, e.last_name, e.final_score
                );
            }
            Ok(())
        }
        Command::Record {
            outdir,
            applicant,
            event,
            date,
            note,
            override_reason,
        } => {
            let r = meritlist::record_event(
                &outdir,
                &Request {
                    applicant_id: applicant,
                    event,
                    date,
                    note,
                    r#override: override_reason,
                },
            )?;
            let a = &r.applicant;
            println!(
                "recorded: {} {} {} {} on {} (journal entry {})",
                a.applicant_id,
                a.first_name,
                a.last_name,
                r.event.event.as_str().replace('_', " "),
                r.event.date,
                r.event.seq
            );
            if let Some(end) = &r.event.review_period_ends {
                println!("initial review period: 12 months, ending {end} (Initial review)");
                if !r.event.r#override.is_empty() {
                    println!(
                        "appointed without a cleared background check (missing: {}); override: {}",
                        r.clearance.missing.join("; "),
                        r.event.r#override
                    );
                }
            }
            let times = |n: usize| if n == 1 { "time" } else { "times" };
            match r.event.event {
                EventKind::Declined | EventKind::PassedOver => println!(
                    "stays on the list; declined {} {}, passed over {} {}",
                    r.declined,
                    times(r.declined),
                    r.passed_over,
                    times(r.passed_over)
                ),
                _ => println!("leaves the list"),
            }
            Ok(())
        }
        Command::Explain { outdir, applicant } => {
            print!("{}", meritlist::explain(&outdir, &applicant)?);
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn cli_definition_is_consistent() {
        use clap::CommandFactory;
        super::Cli::command().debug_assert();
    }
}
