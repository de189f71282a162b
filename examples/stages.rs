//! Times each stage of `score` on an exam (by hand, for BENCHMARKS.md).
//!
//!     cargo run --release --example stages -- big/exam.toml [OUTDIR]
use meritlist::Exec;
use std::time::Instant;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Resident memory now and at its peak, from /proc (Linux).
fn mem() -> String {
    let s = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let get = |k: &str| {
        s.lines()
            .find(|l| l.starts_with(k))
            .map(|l| l[k.len()..].trim().to_string())
            .unwrap_or_default()
    };
    format!("rss {}, peak {}", get("VmRSS:"), get("VmHWM:"))
}

fn main() {
    meritlist::tune_allocator();
    let mut args = std::env::args().skip(1);
    let exam_path = std::path::PathBuf::from(args.next().expect("an exam.toml"));
    let out = args
        .next()
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| std::env::temp_dir().join("meritlist-stages"));
    let t = Instant::now();
    let exam = meritlist::exam::load(&exam_path).unwrap();
    let data = meritlist::ingest::read(&exam).unwrap();
    eprintln!("ingest   {:>8.3} s  {}", t.elapsed().as_secs_f64(), mem());
    if std::env::var_os("STAGES_INGEST_ONLY").is_some() {
        return;
    }
    let t = Instant::now();
    let evals = meritlist::evaluate_all(&exam, &data, Exec::Parallel);
    eprintln!("rules    {:>8.3} s  {}", t.elapsed().as_secs_f64(), mem());
    let t = Instant::now();
    let placements = meritlist::rank::rank(&exam, &data.applicants, &evals);
    eprintln!("rank     {:>8.3} s  {}", t.elapsed().as_secs_f64(), mem());
    let t = Instant::now();
    let scored = meritlist::record::Scored::new(&exam, "", &data, &evals, &placements, &[]);
    let _ = std::fs::remove_dir_all(&out);
    let opts = meritlist::output::Options::default();
    meritlist::output::write(&scored, &out, opts).unwrap();
    eprintln!("write    {:>8.3} s  {}", t.elapsed().as_secs_f64(), mem());
}
