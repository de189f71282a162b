//! Times each stage of `score` on an exam (by hand, for BENCHMARKS.md).
//!
//!     cargo run --release --example stages -- big/exam.toml
use std::time::Instant;

fn main() {
    let exam_path = std::path::PathBuf::from(std::env::args().nth(1).expect("an exam.toml"));
    let t = Instant::now();
    let exam = meritlist::exam::load(&exam_path).unwrap();
    let data = meritlist::ingest::read(&exam).unwrap();
    eprintln!("ingest   {:>8.3} s", t.elapsed().as_secs_f64());
    let t = Instant::now();
    let evals = meritlist::evaluate_all(&exam, &data, meritlist::Exec::Parallel);
    eprintln!("rules    {:>8.3} s", t.elapsed().as_secs_f64());
    let t = Instant::now();
    let placements = meritlist::rank::rank(&exam, &data.applicants, &evals);
    eprintln!("rank     {:>8.3} s", t.elapsed().as_secs_f64());
    let t = Instant::now();
    let record = meritlist::record::build(&exam, "", &data, &evals, &placements, &[]);
    eprintln!("record   {:>8.3} s", t.elapsed().as_secs_f64());
    for (name, f) in [
        (
            "eligibility-list.csv",
            meritlist::output::csv::eligibility_list as fn(&_) -> Vec<u8>,
        ),
        ("not-eligible.csv", meritlist::output::csv::not_eligible),
        ("scores.csv", meritlist::output::csv::scores),
        ("eligibility-list.xlsx", meritlist::output::xlsx::workbook),
    ] {
        let t = Instant::now();
        let b = f(&record);
        eprintln!(
            "{name:<22} {:>8.3} s  {} bytes",
            t.elapsed().as_secs_f64(),
            b.len()
        );
    }
    let t = Instant::now();
    let j = serde_json::to_vec_pretty(&record).unwrap();
    eprintln!(
        "result.json            {:>8.3} s  {} bytes",
        t.elapsed().as_secs_f64(),
        j.len()
    );
}
