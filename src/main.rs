//! The `meritlist` command line: a thin layer over the library.

use clap::{Parser, Subcommand};
use meritlist::error::{Error, ExitCode};
use meritlist::rules::Status;
use meritlist::Exec;
use std::path::PathBuf;

const ABOUT: &str = "Ranked, certifiable eligibility lists for a Police Personnel Board.

Examples:
  meritlist check samples/police-officer/exam.toml
  meritlist score samples/police-officer/exam.toml -o out/police-officer";

#[derive(Parser, Debug)]
#[command(name = "meritlist", version, about = ABOUT, long_about = ABOUT)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Read and validate the exam file and every input; write nothing.
    ///
    /// Every problem is printed, each with its file, sheet and cell (or CSV
    /// row and column), what was expected and what was found. Exit 0 when
    /// clean, 2 otherwise.
    ///
    /// Example: meritlist check samples/police-officer/exam.toml
    Check {
        /// The exam file (exam.toml).
        exam: PathBuf,
    },
    /// Score the exam and write the list of record and its reports.
    ///
    /// Writes eligibility-list.csv, not-eligible.csv, scores.csv and
    /// result.json to OUTDIR. Nothing is written if any input has a problem.
    ///
    /// Example: meritlist score samples/police-officer/exam.toml -o out/po
    Score {
        /// The exam file (exam.toml).
        exam: PathBuf,
        /// The folder for the outputs.
        #[arg(short = 'o', long = "out", value_name = "OUTDIR")]
        out: PathBuf,
        /// Replace a list already in OUTDIR.
        #[arg(long)]
        force: bool,
        /// Print nothing but errors.
        #[arg(short, long)]
        quiet: bool,
    },
}

fn main() {
    let cli = Cli::parse();
    let code = match run(cli) {
        Ok(()) => ExitCode::Success,
        Err(e) => {
            report(&e);
            e.exit_code()
        }
    };
    std::process::exit(code as i32);
}

/// Prints an error: each input problem on a line of its own.
fn report(e: &Error) {
    match e {
        Error::Input(problems) => {
            for p in problems {
                eprintln!("error: {p}");
            }
            let n = problems.len();
            eprintln!(
                "{n} problem{} found; nothing was written.",
                if n == 1 { "" } else { "s" }
            );
        }
        other => eprintln!("error: {other}"),
    }
}

fn run(cli: Cli) -> Result<(), Error> {
    match cli.command {
        Command::Check { exam } => {
            let report = meritlist::check(&exam)?;
            println!(
                "{}: {} applicants in {} input files; no problems found.",
                report.exam.id, report.applicants, report.files
            );
            Ok(())
        }
        Command::Score {
            exam,
            out,
            force,
            quiet,
        } => {
            let record = meritlist::score(&exam, &out, force, Exec::Parallel)?;
            if !quiet {
                let c = &record.audit.counts;
                println!(
                    "{} ({}): {} applicants = {} eligible + {} failed + {} incomplete + {} disqualified",
                    record.exam.id,
                    record.exam.position,
                    c.applicants,
                    c.get(Status::Eligible),
                    c.get(Status::Failed),
                    c.get(Status::Incomplete),
                    c.get(Status::Disqualified)
                );
                println!(
                    "{} list of {} written to {}",
                    record.exam.list,
                    record.list.len(),
                    out.display()
                );
            }
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
