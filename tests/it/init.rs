//! `meritlist init` through the binary: a new exam folder that `check` and
//! `score` accept once an example row is in, and that is never overwritten.

use crate::common::*;

#[test]
fn init_then_check_and_score_with_the_example_row() {
    let dir = Dir::new();
    let run = dir.run(&[
        "init",
        "po",
        "--example",
        "--deadline",
        "2027-02-26",
        "--established",
        "2027-04-15",
    ]);
    run.ok();
    for f in [
        "exam.toml",
        "applicants.xlsx",
        "scores.xlsx",
        "determinations.xlsx",
        "clearances.xlsx",
    ] {
        assert!(dir.exists(&format!("po/{f}")), "{f}");
    }
    let check = dir.run(&["check", "po/exam.toml"]);
    assert!(
        check
            .ok()
            .stdout
            .contains("1 applicant in 4 input files; no problems found."),
        "{}",
        check.stdout
    );
    dir.run(&["score", "po/exam.toml", "-o", "out"]).ok();
    assert_eq!(
        dir.csv("eligibility-list.csv").len(),
        2,
        "the example applicant is on the list"
    );
}

#[test]
fn init_without_example_checks_clean_and_says_the_file_is_empty() {
    let dir = Dir::new();
    dir.run(&["init", "sgt", "--rank", "sergeant", "--promotional"])
        .ok();
    let exam = dir.read("sgt/exam.toml");
    assert!(exam.contains("rank = \"sergeant\""));
    assert!(exam.contains("kind = \"promotional\""));
    assert!(
        exam.contains("name = \"performance\""),
        "promotional exams weigh performance ratings (Examinations A)"
    );
    let check = dir.run(&["check", "sgt/exam.toml"]);
    assert!(
        check
            .ok()
            .stderr
            .contains("the applicants file has no applicants yet"),
        "{}",
        check.stderr
    );
}

#[test]
fn init_above_sergeant_makes_a_qualified_list() {
    let dir = Dir::new();
    dir.run(&["init", "lt", "--rank", "lieutenant", "--promotional"])
        .ok();
    assert!(dir.read("lt/exam.toml").contains("list = \"qualified\""));
}

#[test]
fn init_never_overwrites_a_file() {
    let dir = Dir::new();
    dir.write("po/exam.toml", "# mine\n");
    let err = dir.run(&["init", "po"]).invalid().to_string();
    assert!(
        err.contains("init never overwrites a file and wrote nothing"),
        "{err}"
    );
    assert_eq!(dir.read("po/exam.toml"), "# mine\n");
    assert!(!dir.exists("po/applicants.xlsx"));
}
