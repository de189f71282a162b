//! Writes the notices of disqualification and the results letters of an exam
//! (`notices/`, `letters/`) into a folder, for proofreading and print checks.
//!
//! ```text
//! cargo run --example documents -- samples/police-officer/exam.toml /tmp/docs
//! ```
//!
//! `scripts/render-documents.sh` uses it to render the samples to PDF and
//! PNG; `meritlist score` writes the same `notices/`.

use meritlist::output::notices;
use meritlist::Exec;
use std::path::Path;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [exam, outdir] = args.as_slice() else {
        eprintln!("usage: documents EXAM.toml OUTDIR");
        return ExitCode::from(2);
    };
    let record = match meritlist::build_record(Path::new(exam), Exec::Parallel) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let notices = notices::notices(&record);
    let letters = notices::letters(&record);
    for (name, bytes) in notices.files.iter().chain(&letters.files) {
        let path = Path::new(outdir).join(name);
        let written = path
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| std::fs::write(&path, bytes));
        if let Err(e) = written {
            eprintln!("cannot write {}: {e}", path.display());
            return ExitCode::from(1);
        }
    }
    if !notices.missing_address.is_empty() {
        eprintln!(
            "notices without a mailing address: {}",
            notices.missing_address.join(", ")
        );
    }
    ExitCode::SUCCESS
}
