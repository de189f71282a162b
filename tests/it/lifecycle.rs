//! The list's life after scoring: `certify`, `record` and `explain` through
//! the real binary (SPEC 6 and 7; Examinations B and C; Background; Initial
//! review).

use crate::common::*;
use std::io::Read;

fn sample(name: &str) -> Dir {
    let dir = Dir::new();
    copy_dir(&repo().join("samples").join(name), dir.tmp.path());
    dir.score().ok();
    dir
}

fn journal(dir: &Dir) -> String {
    std::fs::read_to_string(dir.path("out/journal.jsonl")).unwrap_or_default()
}

#[test]
fn worked_example_certify_record_certify() {
    let dir = Dir::scored_example("police-officer-mini");
    dir.run(&[
        "certify",
        "out",
        "--vacancies",
        "1",
        "--date",
        "2027-05-03",
        "-o",
        "cert1",
    ])
    .ok();
    assert_eq!(
        dir.read("cert1/certification.csv"),
        dir.read("expected/certify-1-vacancy/certification.csv")
    );
    let run = dir.run(&[
        "record",
        "out",
        "--applicant",
        "1001",
        "--event",
        "appointed",
        "--date",
        "2027-05-10",
    ]);
    run.ok();
    assert!(
        run.stdout
            .contains("initial review period: 12 months, ending 2028-05-10"),
        "{}",
        run.stdout
    );
    dir.run(&[
        "certify",
        "out",
        "--vacancies",
        "2",
        "--date",
        "2027-05-17",
        "-o",
        "cert2",
    ])
    .ok();
    assert_eq!(
        dir.read("cert2/certification.csv"),
        dir.read("expected/certify-2-vacancies/certification.csv")
    );
}

#[test]
fn sample_police_officer_certifications_and_the_tie_cut_at_the_edge() {
    let dir = sample("police-officer");
    dir.run(&[
        "certify",
        "out",
        "--vacancies",
        "1",
        "--date",
        "2026-12-01",
        "-o",
        "cert1",
    ])
    .ok();
    assert_eq!(
        dir.read("cert1/certification.csv"),
        dir.read("expected/certify-1-vacancy/certification.csv")
    );
    dir.run(&[
        "record",
        "out",
        "--applicant",
        "26032",
        "--event",
        "appointed",
        "--date",
        "2026-12-03",
    ])
    .ok();
    let run = dir.run(&[
        "certify",
        "out",
        "--vacancies",
        "5",
        "--size",
        "10",
        "--date",
        "2026-12-04",
        "-o",
        "cert5",
    ]);
    run.ok();
    assert_eq!(
        dir.read("cert5/certification.csv"),
        dir.read("expected/certify-5-vacancies/certification.csv")
    );
    assert!(
        run.stderr.contains("A tie was cut at the edge of the window: Kirsten Sorensen (rank 11) and Joseph Mwangi (rank 12) have the same final score, 86.80; the tie-break key `raw_score` placed Kirsten Sorensen inside the window."),
        "{}",
        run.stderr
    );
    let sheet = xlsx_text(&dir, "cert5/certification.xlsx");
    assert!(
        sheet.contains("A tie was cut at the edge of the window"),
        "the workbook states the tie too"
    );
}

#[test]
fn sample_sergeant_and_lieutenant_certifications() {
    let dir = sample("sergeant");
    dir.run(&[
        "certify",
        "out",
        "--vacancies",
        "1",
        "--date",
        "2026-11-02",
        "-o",
        "cert1",
    ])
    .ok();
    assert_eq!(
        dir.read("cert1/certification.csv"),
        dir.read("expected/certify-1-vacancy/certification.csv")
    );
    let dir = sample("lieutenant");
    let run = dir.run(&[
        "certify",
        "out",
        "--vacancies",
        "1",
        "--date",
        "2026-12-10",
        "-o",
        "cert1",
    ]);
    run.ok();
    assert_eq!(
        dir.read("cert1/certification.csv"),
        dir.read("expected/certify-1-vacancy/certification.csv")
    );
    assert!(run
        .stderr
        .contains("candidates from within the Department first (Examinations B)"));
}

#[test]
fn examinations_b_size_does_not_apply_to_a_qualified_list() {
    let dir = sample("lieutenant");
    let err = dir
        .run(&[
            "certify",
            "out",
            "--vacancies",
            "1",
            "--size",
            "3",
            "--date",
            "2026-12-10",
            "-o",
            "c",
        ])
        .invalid()
        .to_string();
    assert!(
        err.contains("--size does not apply to a qualified list"),
        "{err}"
    );
    assert!(!dir.exists("c"));
}

#[test]
fn examinations_c_window_outside_n_plus_2_to_3n_is_refused_with_the_range() {
    let dir = Dir::scored_example("police-officer-mini");
    let err = dir
        .run(&[
            "certify",
            "out",
            "--vacancies",
            "2",
            "--size",
            "7",
            "--date",
            "2027-05-03",
            "-o",
            "c",
        ])
        .invalid()
        .to_string();
    assert!(err.contains("--size 7 is outside the allowed range: for 2 vacancies from 4 to 6 names (N + 2 to 3N, Examinations C)"), "{err}");
    let err = dir
        .run(&[
            "certify",
            "out",
            "--vacancies",
            "1",
            "--size",
            "4",
            "--date",
            "2027-05-03",
            "-o",
            "c",
        ])
        .invalid()
        .to_string();
    assert!(err.contains("for 1 vacancy the top 3 names"), "{err}");
    assert!(!dir.exists("c"));
}

#[test]
fn examinations_c_window_max_and_integer_from_the_exam_file() {
    let dir = Dir::example("police-officer-mini");
    let exam = dir.read("exam.toml") + "\n[certification]\nwindow = \"max\"\n";
    dir.write("exam.toml", &exam);
    dir.score().ok();
    // 2 vacancies, max = 3N = 6, but only 5 on the list: a short list.
    let run = dir.run(&[
        "certify",
        "out",
        "--vacancies",
        "2",
        "--date",
        "2027-05-03",
        "-o",
        "c",
    ]);
    run.ok();
    assert_eq!(dir.csv("../c/certification.csv").len(), 6);
    assert!(
        run.stderr.contains(
            "The list is short: it has 5 active names for a window of 6; all are certified."
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn a_list_is_refused_after_it_expires_and_valid_on_its_last_day() {
    let dir = Dir::example("police-officer-mini");
    // Established 2027-04-15, valid 1 month: through 2027-05-15.
    let exam = dir.read("exam.toml").replace(
        "list_established = 2027-04-15",
        "list_established = 2027-04-15\nlist_valid_months = 1",
    );
    dir.write("exam.toml", &exam);
    dir.score().ok();
    dir.run(&[
        "certify",
        "out",
        "--vacancies",
        "1",
        "--date",
        "2027-05-15",
        "-o",
        "c1",
    ])
    .ok();
    let err = dir
        .run(&[
            "certify",
            "out",
            "--vacancies",
            "1",
            "--date",
            "2027-05-16",
            "-o",
            "c2",
        ])
        .invalid()
        .to_string();
    assert!(err.contains("the list expired after 2027-05-15"), "{err}");
    let err = dir
        .run(&[
            "record",
            "out",
            "--applicant",
            "1009",
            "--event",
            "declined",
            "--date",
            "2027-05-16",
        ])
        .invalid()
        .to_string();
    assert!(err.contains("the list expired after 2027-05-15"), "{err}");
    assert_eq!(journal(&dir), "");
}

#[test]
fn list_valid_months_clamps_to_the_end_of_the_month() {
    let dir = Dir::example("police-officer-mini");
    let exam = dir.read("exam.toml").replace(
        "list_established = 2027-04-15",
        "list_established = 2027-05-31\nlist_valid_months = 9",
    );
    dir.write("exam.toml", &exam);
    dir.score().ok();
    // 2027-05-31 + 9 months = 2028-02-29 (a leap year).
    assert!(dir
        .read("out/result.json")
        .contains("\"list_expires\": \"2028-02-29\""));
    dir.run(&[
        "certify",
        "out",
        "--vacancies",
        "1",
        "--date",
        "2028-02-29",
        "-o",
        "c1",
    ])
    .ok();
    dir.run(&[
        "certify",
        "out",
        "--vacancies",
        "1",
        "--date",
        "2028-03-01",
        "-o",
        "c2",
    ])
    .invalid();
}

#[test]
fn background_clearance_recency_at_the_day_boundaries() {
    // Alvarez's oldest clearance is fingerprinting on 2027-04-20; the limit
    // is 30 days: cleared through 2027-05-20, pending from 2027-05-21; and
    // not cleared before the last check (2027-04-30) exists.
    let dir = Dir::scored_example("police-officer-mini");
    let status = |date: &str| {
        let out = format!("c-{date}");
        dir.run(&[
            "certify",
            "out",
            "--vacancies",
            "1",
            "--date",
            date,
            "-o",
            &out,
        ])
        .ok();
        let rows = parse_csv(&dir.read(&format!("{out}/certification.csv")));
        (rows[1][6].clone(), rows[1][7].clone())
    };
    assert_eq!(status("2027-05-20"), ("cleared".into(), "".into()));
    assert_eq!(
        status("2027-05-21"),
        ("pending".into(), "fingerprinting".into())
    );
    assert_eq!(
        status("2027-04-29"),
        ("pending".into(), "Chesterfield Police Department".into())
    );
    assert_eq!(status("2027-04-30"), ("cleared".into(), "".into()));
}

#[test]
fn journal_removed_never_reappears_and_declined_stays() {
    let dir = Dir::scored_example("police-officer-mini");
    let run = dir.run(&DECLINE);
    run.ok();
    assert!(
        run.stdout
            .contains("stays on the list; declined 1 time, passed over 0 times"),
        "{}",
        run.stdout
    );
    dir.run(&[
        "record",
        "out",
        "--applicant",
        "1009",
        "--event",
        "passed_over",
        "--date",
        "2027-05-02",
    ])
    .ok();
    dir.run(&[
        "record",
        "out",
        "--applicant",
        "1007",
        "--event",
        "removed",
        "--date",
        "2027-05-05",
        "--note",
        "moved away",
    ])
    .ok();
    let ids = |date: &str| {
        let out = format!("c-{date}");
        dir.run(&[
            "certify",
            "out",
            "--vacancies",
            "1",
            "--date",
            date,
            "-o",
            &out,
        ])
        .ok();
        parse_csv(&dir.read(&format!("{out}/certification.csv")))[1..]
            .iter()
            .map(|r| r[2].clone())
            .collect::<Vec<_>>()
    };
    // Before the removal the past certification is reproduced; after it,
    // Garcia never reappears; Ivanov, who declined, stays.
    assert_eq!(ids("2027-05-04"), ["1001", "1009", "1007"]);
    assert_eq!(ids("2027-05-05"), ["1001", "1009", "1002"]);
    assert_eq!(ids("2027-06-30"), ["1001", "1009", "1002"]);
    let before = journal(&dir);
    let err = dir
        .run(&[
            "record",
            "out",
            "--applicant",
            "1007",
            "--event",
            "declined",
            "--date",
            "2027-05-06",
        ])
        .invalid()
        .to_string();
    assert!(
        err.contains("already left the list: removed on 2027-05-05"),
        "{err}"
    );
    assert_eq!(journal(&dir), before, "journal unchanged");
    let explain = dir.run(&["explain", "out", "--applicant", "1007"]);
    explain.ok();
    assert!(
        explain
            .stdout
            .contains("2027-05-05 removed; note: moved away"),
        "{}",
        explain.stdout
    );
}

#[test]
fn record_refuses_unknown_and_non_eligible_applicants_and_a_second_appointment() {
    let dir = Dir::scored_example("police-officer-mini");
    let err = dir
        .run(&[
            "record",
            "out",
            "--applicant",
            "9999",
            "--event",
            "declined",
            "--date",
            "2027-05-01",
        ])
        .invalid()
        .to_string();
    assert!(
        err.contains("applicant 9999 is not in the list of record"),
        "{err}"
    );
    let err = dir
        .run(&[
            "record",
            "out",
            "--applicant",
            "1003",
            "--event",
            "appointed",
            "--date",
            "2027-05-01",
        ])
        .invalid()
        .to_string();
    assert!(
        err.contains("is not on the list: their status is disqualified (A7-LATE)"),
        "{err}"
    );
    let err = dir
        .run(&[
            "record",
            "out",
            "--applicant",
            "1001",
            "--event",
            "hired",
            "--date",
            "2027-05-01",
        ])
        .invalid()
        .to_string();
    assert!(
        err.contains("expected appointed, declined, passed_over, removed or withdrawn"),
        "{err}"
    );
    dir.run(&[
        "record",
        "out",
        "--applicant",
        "1001",
        "--event",
        "appointed",
        "--date",
        "2027-05-10",
    ])
    .ok();
    let err = dir
        .run(&[
            "record",
            "out",
            "--applicant",
            "1001",
            "--event",
            "appointed",
            "--date",
            "2027-05-11",
        ])
        .invalid()
        .to_string();
    assert!(
        err.contains("already left the list: appointed on 2027-05-10"),
        "{err}"
    );
    assert_eq!(journal(&dir).lines().count(), 1);
}

#[test]
fn background_appointment_needs_clearance_or_an_override() {
    let dir = Dir::scored_example("police-officer-mini");
    let err = dir
        .run(&[
            "record",
            "out",
            "--applicant",
            "1009",
            "--event",
            "appointed",
            "--date",
            "2027-05-10",
        ])
        .invalid()
        .to_string();
    assert!(err.contains("is not cleared on 2027-05-10: missing or older than 30 days: Missouri State Highway Patrol"), "{err}");
    assert_eq!(journal(&dir), "");
    let run = dir.run(&[
        "record",
        "out",
        "--applicant",
        "1009",
        "--event",
        "appointed",
        "--date",
        "2027-05-10",
        "--override",
        "MSHP check confirmed by phone",
    ]);
    run.ok();
    assert!(
        run.stdout
            .contains("override: MSHP check confirmed by phone"),
        "{}",
        run.stdout
    );
    let j = journal(&dir);
    assert!(
        j.contains("\"override\":\"MSHP check confirmed by phone\""),
        "{j}"
    );
    assert!(j.contains("\"review_period_ends\":\"2028-05-10\""), "{j}");
}

#[test]
fn initial_review_ends_twelve_months_later_across_month_ends_and_leap_days() {
    let dir = Dir::example("police-officer-mini");
    dir.write(
        "clearances.csv",
        "applicant_id,fingerprinted_on,FBI,Missouri State Highway Patrol,St. Louis County Police Department,Chesterfield Police Department\n\
         1001,2028-02-20,2028-02-20,2028-02-20,2028-02-20,2028-02-20\n\
         1009,2028-01-30,2028-01-30,2028-01-30,2028-01-30,2028-01-30\n",
    );
    dir.score().ok();
    let run = dir.run(&[
        "record",
        "out",
        "--applicant",
        "1001",
        "--event",
        "appointed",
        "--date",
        "2028-02-29",
    ]);
    assert!(
        run.ok().stdout.contains("ending 2029-02-28"),
        "{}",
        run.stdout
    );
    let run = dir.run(&[
        "record",
        "out",
        "--applicant",
        "1009",
        "--event",
        "appointed",
        "--date",
        "2028-01-31",
    ]);
    assert!(
        run.ok().stdout.contains("ending 2029-01-31"),
        "{}",
        run.stdout
    );
}

#[test]
fn concurrent_record_calls_lose_no_event_and_appoint_once() {
    let dir = Dir::scored_example("police-officer-mini");
    let bin = env!("CARGO_BIN_EXE_meritlist");
    let mut children = Vec::new();
    for (id, event) in [
        ("1009", "declined"),
        ("1007", "passed_over"),
        ("1002", "declined"),
        ("1004", "passed_over"),
        ("1001", "appointed"),
        ("1001", "appointed"),
        ("1001", "appointed"),
    ] {
        let child = std::process::Command::new(bin)
            .args([
                "record",
                "out",
                "--applicant",
                id,
                "--event",
                event,
                "--date",
                "2027-05-10",
            ])
            .current_dir(dir.tmp.path())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        children.push(child);
    }
    let codes: Vec<i32> = children
        .into_iter()
        .map(|mut c| c.wait().unwrap().code().unwrap())
        .collect();
    assert_eq!(codes.iter().filter(|c| **c == 0).count(), 5, "{codes:?}");
    let j = journal(&dir);
    let lines: Vec<serde_json::Value> = j
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 5, "{j}");
    let mut seqs: Vec<u64> = lines.iter().map(|v| v["seq"].as_u64().unwrap()).collect();
    seqs.sort();
    assert_eq!(seqs, [1, 2, 3, 4, 5]);
    assert_eq!(
        lines.iter().filter(|v| v["event"] == "appointed").count(),
        1
    );
}

#[test]
fn explain_walks_through_status_scores_points_and_rank() {
    let dir = Dir::scored_example("police-officer-mini");
    let run = dir.run(&["explain", "out", "--applicant", "1007"]);
    let text = run.ok().stdout.clone();
    for want in [
        "1007 Luis Garcia — eligible (PO-2027-01, Police Officer)",
        "Filed on 2027-02-03, the date received",
        "oral: raters 90, 91, 89 (mean of 3) of 100, scaled to 90.00",
        "Raw score: 0.6 × 72.00 + 0.4 × 90.00 = 79.20",
        "Certified police officer (Ch. 590 RSMo): yes → 3.00",
        "Highest degree: doctorate → 3.00",
        "Final score: 79.20 + 6.00 = 85.20",
        "Rank 3 of 5; score rank 2",
        "Tied on final score with Olga Ivanov (rank 2), who is placed above by `raw_score` (raw score 83.20 against 79.20).",
        "Journal: no events.",
    ] {
        assert!(text.contains(want), "missing {want:?} in:\n{text}");
    }
    let text = dir
        .run(&["explain", "out", "--applicant", "1003"])
        .ok()
        .stdout
        .clone();
    assert!(
        text.contains(
            "A7-LATE: application filed 2027-02-27 (received), after the deadline 2027-02-26"
        ),
        "{text}"
    );
    assert!(text.contains("late for the deadline 2027-02-26"), "{text}");
    let text = dir
        .run(&["explain", "out", "--applicant", "1012"])
        .ok()
        .stdout
        .clone();
    assert!(
        text.contains("written: no result") && text.contains("MISSING-oral"),
        "{text}"
    );
    dir.run(&["explain", "out", "--applicant", "77"]).invalid();
}

#[test]
fn commands_on_a_folder_without_a_list_say_so() {
    let dir = Dir::new();
    let err = dir
        .run(&[
            "certify",
            "nothing",
            "--vacancies",
            "1",
            "--date",
            "2027-05-03",
            "-o",
            "c",
        ])
        .invalid()
        .to_string();
    assert!(
        err.contains("holds no list of record (result.json)"),
        "{err}"
    );
}

#[test]
fn form_of_papers_certification_workbook_is_one_letter_page_and_reproducible() {
    let dir = Dir::scored_example("police-officer-mini");
    dir.run(&[
        "certify",
        "out",
        "--vacancies",
        "2",
        "--date",
        "2027-05-03",
        "-o",
        "a",
    ])
    .ok();
    dir.run(&[
        "certify",
        "out",
        "--vacancies",
        "2",
        "--date",
        "2027-05-03",
        "-o",
        "b",
    ])
    .ok();
    assert_eq!(
        std::fs::read(dir.path("a/certification.xlsx")).unwrap(),
        std::fs::read(dir.path("b/certification.xlsx")).unwrap()
    );
    let ws = zip_part(&dir, "a/certification.xlsx", "xl/worksheets/sheet1.xml");
    assert!(ws.contains(r#"paperSize="1""#));
    // Fit to one page wide and one tall (1 × 1 is the default, so the
    // attributes are left out).
    assert!(
        ws.contains(r#"<pageSetUpPr fitToPage="1"/>"#),
        "fit to page"
    );
    assert!(
        !ws.contains("fitToHeight=") && !ws.contains("fitToWidth="),
        "one page wide and tall"
    );
    assert!(ws.contains(
        r#"<pageMargins left="1" right="1" top="1.35" bottom="1.35" header="1" footer="1""#
    ));
    let text = xlsx_text(&dir, "a/certification.xlsx");
    for want in [
        "Certification of eligibles",
        "the Chief of Police, the appointing authority",
        "Vacancies (N)",
        "Names (K)",
        "Ivanov",
        "Received by the Chief of Police (date)",
    ] {
        assert!(text.contains(want), "{want}");
    }
    // A second certification into the same folder is refused.
    dir.run(&[
        "certify",
        "out",
        "--vacancies",
        "2",
        "--date",
        "2027-05-03",
        "-o",
        "a",
    ])
    .invalid();
}

fn zip_part(dir: &Dir, file: &str, part: &str) -> String {
    let f = std::fs::File::open(dir.path(file)).unwrap();
    let mut z = zip::ZipArchive::new(f).unwrap();
    let mut s = String::new();
    z.by_name(part).unwrap().read_to_string(&mut s).unwrap();
    s
}

fn xlsx_text(dir: &Dir, file: &str) -> String {
    zip_part(dir, file, "xl/sharedStrings.xml")
}
