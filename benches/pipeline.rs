//! Micro-benchmarks of the hot stages on a generated exam (csv inputs).
//! Run by hand: `cargo bench`; CI only compiles them.

use meritlist::Exec;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn main() {
    divan::main();
}

/// Writes a deterministic exam of `n` applicants and returns its exam file.
fn generate(dir: &Path, n: usize) -> PathBuf {
    let exam = dir.join("exam.toml");
    std::fs::write(
        &exam,
        r#"[exam]
id = "BENCH"
position = "Police Officer"
rank = "officer"
application_deadline = 2026-09-30
list_established = 2026-11-20

[inputs]
applicants = "applicants.csv"
scores = ["written.csv", "oral.csv"]

[[components]]
name = "written"
weight = 0.6
pass_mark = 70

[[components]]
name = "oral"
weight = 0.4
columns = ["oral_r1", "oral_r2", "oral_r3"]
pass_mark = 70
"#,
    )
    .unwrap();
    let (mut a, mut w, mut o) = (
        String::from("applicant_id,last_name,first_name,received_on,signed,us_citizen,certified_officer,highest_degree\n"),
        String::from("applicant_id,written\n"),
        String::from("applicant_id,oral_r1,oral_r2,oral_r3\n"),
    );
    let mut s: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = |m: u64| {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        s % m
    };
    for i in 0..n {
        let id = 100_000 + i;
        let day = 1 + next(30);
        let deg = ["", "AA", "BS", "MS"][next(4) as usize];
        writeln!(
            a,
            "{id},Last{},First{},2026-09-{day:02},yes,yes,{},{deg}",
            next(5000),
            next(500),
            if next(5) == 0 { "yes" } else { "no" }
        )
        .unwrap();
        writeln!(w, "{id},{}.{}", 55 + next(45), next(10)).unwrap();
        writeln!(
            o,
            "{id},{},{},{}",
            60 + next(40),
            60 + next(40),
            60 + next(40)
        )
        .unwrap();
    }
    std::fs::write(dir.join("applicants.csv"), a).unwrap();
    std::fs::write(dir.join("written.csv"), w).unwrap();
    std::fs::write(dir.join("oral.csv"), o).unwrap();
    exam
}

#[divan::bench(args = [1_000, 10_000])]
fn ingest(bencher: divan::Bencher, n: usize) {
    let dir = tempfile::tempdir().unwrap();
    let exam = meritlist::exam::load(&generate(dir.path(), n)).unwrap();
    bencher.bench(|| meritlist::ingest::read(&exam).unwrap());
}

#[divan::bench(args = [1_000, 10_000])]
fn rules(bencher: divan::Bencher, n: usize) {
    let dir = tempfile::tempdir().unwrap();
    let exam = meritlist::exam::load(&generate(dir.path(), n)).unwrap();
    let data = meritlist::ingest::read(&exam).unwrap();
    bencher.bench(|| meritlist::evaluate_all(&exam, &data, Exec::Parallel));
}

#[divan::bench(args = [1_000, 10_000])]
fn rank(bencher: divan::Bencher, n: usize) {
    let dir = tempfile::tempdir().unwrap();
    let exam = meritlist::exam::load(&generate(dir.path(), n)).unwrap();
    let data = meritlist::ingest::read(&exam).unwrap();
    let evals = meritlist::evaluate_all(&exam, &data, Exec::Parallel);
    bencher.bench(|| meritlist::rank::rank(&exam, &data.applicants, &evals));
}

#[divan::bench(args = [1_000, 10_000])]
fn write(bencher: divan::Bencher, n: usize) {
    let dir = tempfile::tempdir().unwrap();
    let scoring = meritlist::run_scoring(&generate(dir.path(), n), Exec::Parallel).unwrap();
    let out = dir.path().join("out");
    bencher.bench(|| {
        let _ = std::fs::remove_dir_all(&out);
        meritlist::output::write(
            &scoring.scored(),
            &out,
            meritlist::output::Options::default(),
        )
        .unwrap()
    });
}
