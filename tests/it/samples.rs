//! The sample exam folders a new user runs first (`samples/`), scored by the
//! real binary and compared whole with the outputs worked out by hand in
//! each folder's `expected/` (see its README.md).

use crate::common::*;

fn check_sample(name: &str) {
    let dir = Dir::new();
    copy_dir(&repo().join("samples").join(name), dir.tmp.path());
    let run = dir.score();
    run.ok();
    for f in ["eligibility-list.csv", "not-eligible.csv", "scores.csv"] {
        assert_eq!(
            dir.read(&format!("out/{f}")),
            dir.read(&format!("expected/{f}")),
            "samples/{name}: {f} differs from expected/{f}"
        );
    }
    // The summary adds up to the applicants file.
    let scores = dir.csv("scores.csv");
    assert!(
        run.stdout
            .contains(&format!("{} applicants = ", scores.len() - 1)),
        "{}",
        run.stdout
    );
}

#[test]
fn sample_police_officer_xlsx_entrance_exam() {
    check_sample("police-officer");
}

#[test]
fn sample_sergeant_csv_promotional_exam() {
    check_sample("sergeant");
}

#[test]
fn sample_lieutenant_qualified_list() {
    check_sample("lieutenant");
}

#[test]
fn samples_pass_check() {
    for name in ["police-officer", "sergeant", "lieutenant"] {
        let dir = Dir::new();
        copy_dir(&repo().join("samples").join(name), dir.tmp.path());
        let run = dir.run(&["check", "exam.toml"]);
        run.ok();
        assert!(run.stdout.contains("no problems found"), "{}", run.stdout);
        assert!(!dir.exists("out"));
    }
}
