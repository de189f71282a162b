//! Input errors (SPEC sections 2 and 3): every class of problem in the exam
//! file and in the input files is refused with exit 2, nothing written, and
//! a message naming the exact place (file, sheet and cell, or CSV row and
//! column, or exam-file key), what was expected and what was found. The
//! positive cases pin the readings the spec promises (title lines skipped,
//! aliases, date systems, numeric IDs, …).

use crate::common::*;

// ---------------------------------------------------------------------------
// Helpers

/// `score` must refuse with exit 2 and write nothing; returns stderr.
fn refused(dir: &Dir) -> String {
    let run = dir.score();
    let err = run.invalid().to_string();
    assert!(
        dir.out_files().is_empty(),
        "score wrote {:?} although the input is invalid",
        dir.out_files()
    );
    err
}

/// `check` must refuse with exit 2 and write nothing; returns stderr.
fn check_refused(dir: &Dir) -> String {
    let run = dir.run(&["check", "exam.toml"]);
    let err = run.invalid().to_string();
    assert!(!dir.exists("out"), "check created an output folder");
    err
}

#[track_caller]
fn has(err: &str, needle: &str) {
    assert!(
        err.contains(needle),
        "stderr does not contain\n    {needle}\nstderr was:\n{err}"
    );
}

#[track_caller]
fn lacks(err: &str, needle: &str) {
    assert!(
        !err.contains(needle),
        "stderr should not contain\n    {needle}\nstderr was:\n{err}"
    );
}

/// The closing line: how many problems were found.
#[track_caller]
fn count(err: &str, n: usize) {
    let line = if n == 1 {
        "1 problem found; nothing was written.".to_string()
    } else {
        format!("{n} problems found; nothing was written.")
    };
    has(err, &line);
}

/// A clean small exam: applicants 1001 and 1002, both scored and eligible.
fn clean(dir: &Dir, extra: &str) {
    small_exam(
        dir,
        extra,
        &[applicant("1001", "Able"), applicant("1002", "Baker")],
        &["1001,80", "1002,90"],
        &["1001,80,80,80", "1002,90,90,90"],
    );
}

/// The small exam's text with `lines` added to `[inputs]` and `extra`
/// appended at the end.
fn exam_with_inputs(lines: &str, extra: &str) -> String {
    let scores = "scores = [\"written.csv\", \"oral.csv\"]\n";
    assert!(EXAM.contains(scores));
    format!(
        "{}{extra}",
        EXAM.replacen(scores, &format!("{scores}{lines}"), 1)
    )
}

/// The small exam's text with its `scores` entry replaced.
fn exam_with_scores(scores_value: &str, extra: &str) -> String {
    let scores = "scores = [\"written.csv\", \"oral.csv\"]\n";
    format!(
        "{}{extra}",
        EXAM.replacen(scores, &format!("scores = {scores_value}\n"), 1)
    )
}

const APP_HEAD: [&str; 8] = [
    "applicant_id",
    "last_name",
    "first_name",
    "delivery",
    "received_on",
    "postmarked_on",
    "signed",
    "us_citizen",
];

fn head(cols: &[&'static str]) -> Vec<X> {
    cols.iter().map(|c| X::S(c)).collect()
}

/// An applicants.xlsx row (columns of `APP_HEAD`): on time unless
/// `received` says otherwise, signed, citizen.
fn app(id: X, last: &'static str, received: X) -> Vec<X> {
    vec![
        id,
        X::S(last),
        X::S("Pat"),
        X::S("online"),
        received,
        X::Blank,
        X::S("yes"),
        X::S("yes"),
    ]
}

/// The small exam with applicants read from `applicants.xlsx` (sheet
/// `Sheet1`, these rows) and the given CSV written/oral rows.
fn xlsx_applicants(dir: &Dir, rows: Vec<Vec<X>>, written: &[&str], oral: &[&str]) {
    small_exam(dir, "", &[], written, oral);
    dir.write(
        "exam.toml",
        &EXAM.replace("applicants.csv", "applicants.xlsx"),
    );
    dir.xlsx("applicants.xlsx", &[("Sheet1", rows)]);
}

fn status(dir: &Dir, id: &str) -> String {
    dir.field("scores.csv", id, "status")
}

fn codes(dir: &Dir, id: &str) -> String {
    dir.field("not-eligible.csv", id, "codes")
}

// ---------------------------------------------------------------------------
// `check` on clean and broken folders

#[test]
fn check_on_a_clean_folder_exits_0_and_writes_nothing() {
    let dir = Dir::new();
    clean(&dir, "");
    let run = dir.run(&["check", "exam.toml"]);
    run.ok();
    assert!(
        run.stdout
            .contains("T-2026-01: 2 applicants in 3 input files; no problems found."),
        "stdout: {}",
        run.stdout
    );
    assert!(!dir.exists("out"));
    let files: Vec<String> = std::fs::read_dir(dir.tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(files.len(), 4, "check wrote something: {files:?}");
}

#[test]
fn check_reports_every_input_problem_with_exit_2() {
    let dir = Dir::new();
    small_exam(
        &dir,
        "",
        &[
            applicant("1001", "Able"),
            "1002,Baker,Pat,online,2026-09-01,,maybe,yes,MO,no,,no\n".to_string(),
        ],
        &["1001,80", "1002,101"],
        &["1001,80,80,80", "1002,90,90,90"],
    );
    let err = check_refused(&dir);
    has(
        &err,
        "applicants.csv, row 3, column signed: expected yes or no (also y/n, true/false, t/f, 1/0, x) in signed, found \"maybe\"",
    );
    has(
        &err,
        "written.csv, row 3, column written: expected a score from 0 to 100 for written, found \"101\"",
    );
    count(&err, 2);
}

#[test]
fn check_reports_exam_file_problems_with_exit_2() {
    let dir = Dir::new();
    clean(&dir, "");
    dir.write("exam.toml", &EXAM.replace("weight = 0.4", "weight = 0.3"));
    let err = check_refused(&dir);
    has(&err, "exam.toml, key `components.weight`: the weights of the scored components must sum to exactly 1, found 0.9 (written 0.6 + oral 0.3)");
    count(&err, 1);
}

#[test]
fn missing_exam_file_is_an_input_error_naming_it() {
    let dir = Dir::new();
    let err = refused(&dir);
    has(&err, "exam.toml: cannot read the exam file");
    let err = check_refused(&dir);
    has(&err, "exam.toml: cannot read the exam file");
}

// ---------------------------------------------------------------------------
// The exam file (SPEC 2)

#[test]
fn exam_unknown_key_names_the_key_and_suggests_the_right_one() {
    let dir = Dir::new();
    clean(&dir, "");
    // Line 5 of the exam file.
    dir.write(
        "exam.toml",
        &EXAM.replace("rank = \"officer\"\n", "rank = \"officer\"\ndecimal = 3\n"),
    );
    let err = refused(&dir);
    has(
        &err,
        "exam.toml, line 5, key `exam.decimal`: unknown key (did you mean `decimals`?); the keys allowed here are: id, position, rank,",
    );
    count(&err, 1);
}

#[test]
fn component_unknown_key_names_the_component_key_and_suggests() {
    let dir = Dir::new();
    clean(&dir, "");
    // Line 15: `pass_mark` of the first component misspelt.
    dir.write(
        "exam.toml",
        &EXAM.replacen("pass_mark = 70", "pas_mark = 70", 1),
    );
    let err = refused(&dir);
    has(
        &err,
        "exam.toml, line 15, key `components[0].pas_mark`: unknown key (did you mean `pass_mark`?)",
    );
    count(&err, 1);
}

#[test]
fn unknown_top_level_table_names_the_table_and_suggests() {
    let dir = Dir::new();
    clean(&dir, "[rankng]\ntie_break = [\"lottery\"]\n");
    let err = refused(&dir);
    has(
        &err,
        "exam.toml, line 22, key `rankng`: unknown key (did you mean `ranking`?)",
    );
    count(&err, 1);
}

#[test]
fn exam_wrong_types_name_the_key_the_type_expected_and_the_value_found() {
    let dir = Dir::new();
    clean(&dir, "");
    let exam = EXAM
        .replace(
            "list_established = 2026-11-20\n",
            "list_established = 2026-11-20\ndecimals = \"2\"\n",
        )
        .replacen("weight = 0.6", "weight = \"0.6\"", 1);
    dir.write("exam.toml", &exam);
    let err = refused(&dir);
    has(
        &err,
        "exam.toml, line 7, key `exam.decimals`: expected a whole number from 0 to 6, found text \"2\"",
    );
    has(
        &err,
        "exam.toml, line 15, key `components[0].weight`: expected a number, found text \"0.6\"",
    );
    count(&err, 2);
}

#[test]
fn exam_date_of_the_wrong_type_names_the_key() {
    let dir = Dir::new();
    clean(&dir, "");
    dir.write(
        "exam.toml",
        &EXAM.replace(
            "application_deadline = 2026-09-30",
            "application_deadline = \"30 Sept 2026\"",
        ),
    );
    let err = refused(&dir);
    has(
        &err,
        "exam.toml, line 5, key `exam.application_deadline`: expected a date written YYYY-MM-DD, found text \"30 Sept 2026\"",
    );
    count(&err, 1);
}

#[test]
fn exam_weights_not_summing_to_one_names_the_key() {
    let dir = Dir::new();
    clean(&dir, "");
    dir.write("exam.toml", &EXAM.replace("weight = 0.4", "weight = 0.3"));
    let err = refused(&dir);
    has(
        &err,
        "exam.toml, key `components.weight`: the weights of the scored components must sum to exactly 1, found 0.9 (written 0.6 + oral 0.3)",
    );
    count(&err, 1);
    // `check` reports exactly the same.
    assert_eq!(check_refused(&dir), err);
}

#[test]
fn exam_weights_are_read_as_written_so_point_seven_two_one_sum_to_one() {
    // 0.7 + 0.2 + 0.1 is 0.9999999999999999 in binary floating point.
    let dir = Dir::new();
    small_exam(
        &dir,
        "",
        &[applicant("1001", "Able")],
        &[],
        &["1001,80,80,80"],
    );
    dir.write("written.csv", "applicant_id,written,essay\n1001,80,90\n");
    let exam = EXAM
        .replace("weight = 0.6", "weight = 0.7")
        .replace("weight = 0.4", "weight = 0.2")
        + "\n[[components]]\nname = \"essay\"\nweight = 0.1\n";
    dir.write("exam.toml", &exam);
    dir.score().ok();
    // 0.7 × 80 + 0.2 × 80 + 0.1 × 90 = 81
    assert_eq!(dir.field("scores.csv", "1001", "raw_score"), "81.00");
}

#[test]
fn component_named_twice_names_the_key() {
    let dir = Dir::new();
    clean(&dir, "");
    dir.write(
        "exam.toml",
        &EXAM.replace("name = \"oral\"", "name = \"Written\""),
    );
    let err = refused(&dir);
    has(
        &err,
        "exam.toml, key `components[1].name`: the component \"Written\" is named twice",
    );
    count(&err, 1);
}

#[test]
fn component_no_score_file_provides_names_the_component_and_the_files() {
    let dir = Dir::new();
    clean(
        &dir,
        "\n[[components]]\nname = \"agility\"\ntype = \"pass_fail\"\n",
    );
    let err = refused(&dir);
    has(
        &err,
        "exam.toml, key `components[2]`: no score file provides the component agility (looked for the column agility in written.csv, oral.csv)",
    );
    count(&err, 1);
}

#[test]
fn component_in_two_score_files_names_both_files() {
    let dir = Dir::new();
    clean(&dir, "");
    dir.write(
        "oral.csv",
        "applicant_id,oral_r1,oral_r2,oral_r3,written\n1001,80,80,80,80\n1002,90,90,90,90\n",
    );
    let err = refused(&dir);
    has(
        &err,
        "exam.toml, key `components[0]`: the component written is read from only one file, but written.csv and oral.csv all have its column(s)",
    );
    count(&err, 1);
}

#[test]
fn tie_break_on_an_unknown_component_names_the_key() {
    let dir = Dir::new();
    clean(
        &dir,
        "\n[ranking]\ntie_break = [\"component:writen\", \"lottery\"]\n",
    );
    let err = refused(&dir);
    has(
        &err,
        "exam.toml, line 24, key `ranking.tie_break[0]`: `component:writen` names no component of this exam; the scored components are: component:written, component:oral",
    );
    count(&err, 1);
}

#[test]
fn tie_break_on_a_pass_fail_component_names_the_key() {
    let dir = Dir::new();
    clean(
        &dir,
        "\n[[components]]\nname = \"agility\"\ntype = \"pass_fail\"\n\n[ranking]\ntie_break = [\"raw_score\", \"component:agility\"]\n",
    );
    dir.write("exam.toml", &{
        let e = dir.read("exam.toml");
        e.replace(
            "scores = [\"written.csv\", \"oral.csv\"]",
            "scores = [\"written.csv\", \"oral.csv\", \"agility.csv\"]",
        )
    });
    dir.write(
        "agility.csv",
        "applicant_id,agility\n1001,pass\n1002,pass\n",
    );
    let err = refused(&dir);
    has(
        &err,
        "exam.toml, line 28, key `ranking.tie_break[1]`: `component:agility` names a pass/fail component; a tie-break needs a scored component",
    );
    count(&err, 1);
}

#[test]
fn lottery_anywhere_but_last_names_the_key() {
    let dir = Dir::new();
    clean(
        &dir,
        "\n[ranking]\ntie_break = [\"raw_score\", \"lottery\", \"filing_date\"]\n",
    );
    let err = refused(&dir);
    has(
        &err,
        "exam.toml, line 24, key `ranking.tie_break[1]`: `lottery` must be the last tie-break key",
    );
    count(&err, 1);
}

#[test]
fn window_integer_below_three_names_the_key() {
    let dir = Dir::new();
    clean(&dir, "\n[certification]\nwindow = 2\n");
    let err = refused(&dir);
    has(
        &err,
        "exam.toml, line 24, key `certification.window`: expected \"min\" (N+2 names), \"max\" (3N names) or a whole number of names of at least 3, found a whole number 2",
    );
    count(&err, 1);
}

#[test]
fn window_integer_three_is_accepted() {
    let dir = Dir::new();
    clean(&dir, "\n[certification]\nwindow = 3\n");
    dir.score().ok();
}

#[test]
fn preference_points_with_more_places_than_decimals_name_the_key() {
    let dir = Dir::new();
    clean(
        &dir,
        "\n[preference]\ncertified_officer = 3\ndegree = { bachelor = 0.125 }\n",
    );
    let err = refused(&dir);
    has(
        &err,
        "exam.toml, line 25, key `preference.degree.bachelor`: 0.125 has more decimal places than the exam's `decimals` (2) allows",
    );
    count(&err, 1);
}

#[test]
fn preference_points_are_judged_on_the_value_so_three_fifty_is_fine_with_two_places() {
    let dir = Dir::new();
    small_exam(
        &dir,
        "\n[preference]\ncertified_officer = 3.50\ndegree = { master = 2.250 }\n",
        &["1001,Able,Pat,online,2026-09-01,,yes,yes,MO,yes,MS,no\n".to_string()],
        &["1001,80"],
        &["1001,80,80,80"],
    );
    dir.score().ok();
    // 80 + 3.50 + 2.25
    assert_eq!(dir.field("scores.csv", "1001", "preference_points"), "5.75");
    assert_eq!(dir.field("scores.csv", "1001", "final_score"), "85.75");
}

#[test]
fn preference_points_follow_the_exams_decimals() {
    // With decimals = 1, 0.25 needs two places: an error; 3.0 is fine.
    let dir = Dir::new();
    clean(
        &dir,
        "\n[preference]\ncertified_officer = 3.0\ndegree = { associate = 0.25 }\n",
    );
    dir.write(
        "exam.toml",
        &dir.read("exam.toml").replace(
            "list_established = 2026-11-20\n",
            "list_established = 2026-11-20\ndecimals = 1\n",
        ),
    );
    let err = refused(&dir);
    has(
        &err,
        "key `preference.degree.associate`: 0.25 has more decimal places than the exam's `decimals` (1) allows",
    );
    lacks(&err, "preference.certified_officer");
    count(&err, 1);
}

#[test]
fn missing_required_fields_are_each_named_by_key() {
    let dir = Dir::new();
    clean(&dir, "");
    let exam = EXAM
        .replace("id = \"T-2026-01\"\n", "")
        .replace("application_deadline = 2026-09-30\n", "")
        .replace("applicants = \"applicants.csv\"\n", "");
    dir.write("exam.toml", &exam);
    let err = refused(&dir);
    has(
        &err,
        "exam.toml, key `exam.id`: missing required key: the exam id, e.g. \"PO-2026-01\"",
    );
    has(
        &err,
        "exam.toml, key `exam.application_deadline`: missing required key: a date written YYYY-MM-DD",
    );
    has(
        &err,
        "exam.toml, key `inputs.applicants`: missing required key: the applicants file, e.g. \"applicants.xlsx\"",
    );
    count(&err, 3);
}

#[test]
fn missing_inputs_table_and_list_established_are_named() {
    let dir = Dir::new();
    clean(&dir, "");
    let exam = EXAM.replace("list_established = 2026-11-20\n", "").replace(
        "[inputs]\napplicants = \"applicants.csv\"\nscores = [\"written.csv\", \"oral.csv\"]\n",
        "",
    );
    dir.write("exam.toml", &exam);
    let err = refused(&dir);
    has(
        &err,
        "exam.toml, key `exam.list_established`: missing required key",
    );
    has(
        &err,
        "exam.toml, key `inputs`: missing required table [inputs]",
    );
    count(&err, 2);
}

#[test]
fn invalid_toml_syntax_names_the_line() {
    let dir = Dir::new();
    clean(&dir, "");
    dir.write(
        "exam.toml",
        &EXAM.replace(
            "position = \"Police Officer\"",
            "position = \"Police Officer",
        ),
    );
    let err = refused(&dir);
    has(&err, "exam.toml, line 3");
    has(&err, "not valid TOML: ");
    count(&err, 1);
}

#[test]
fn toml_key_written_twice_names_the_line_of_the_second() {
    let dir = Dir::new();
    clean(&dir, "");
    dir.write(
        "exam.toml",
        &EXAM.replace(
            "rank = \"officer\"\n",
            "rank = \"officer\"\nrank = \"sergeant\"\n",
        ),
    );
    let err = refused(&dir);
    has(&err, "exam.toml, line 5");
    has(&err, "not valid TOML: ");
    count(&err, 1);
}

// ---------------------------------------------------------------------------
// Input files: reading (SPEC 3)

#[test]
fn missing_input_file_names_the_file() {
    let dir = Dir::new();
    clean(&dir, "");
    std::fs::remove_file(dir.path("oral.csv")).unwrap();
    let err = refused(&dir);
    has(&err, "oral.csv: the file does not exist (looked for ");
    // A component whose file cannot be read is not also "provided by no file".
    lacks(&err, "no score file provides");
    count(&err, 1);
}

#[test]
fn missing_sheet_names_the_file_the_sheet_asked_for_and_the_sheets_found() {
    let dir = Dir::new();
    clean(&dir, "");
    dir.xlsx(
        "written.xlsx",
        &[
            (
                "Results",
                vec![
                    head(&["applicant_id", "written"]),
                    vec![X::I(1001), X::I(80)],
                ],
            ),
            ("Notes", vec![vec![X::S("nothing")]]),
        ],
    );
    dir.write(
        "exam.toml",
        &exam_with_scores("[\"written.xlsx#Nope\", \"oral.csv\"]", ""),
    );
    let err = refused(&dir);
    has(
        &err,
        "written.xlsx: expected a sheet named \"Nope\", found only \"Results\", \"Notes\"",
    );
    count(&err, 1);
    // `check` reports exactly the same.
    assert_eq!(check_refused(&dir), err);
}

#[test]
fn a_named_sheet_that_exists_is_read() {
    let dir = Dir::new();
    clean(&dir, "");
    dir.xlsx(
        "written.xlsx",
        &[
            ("Cover", vec![vec![X::S("Written exam, fall 2026")]]),
            (
                "Results",
                vec![
                    head(&["applicant_id", "written"]),
                    vec![X::I(1001), X::I(75)],
                    vec![X::I(1002), X::N(88.5)],
                ],
            ),
        ],
    );
    dir.write(
        "exam.toml",
        &exam_with_scores("[\"written.xlsx#Results\", \"oral.csv\"]", ""),
    );
    dir.score().ok();
    assert_eq!(dir.field("scores.csv", "1001", "written"), "75.00");
    assert_eq!(dir.field("scores.csv", "1002", "written"), "88.50");
}

#[test]
fn no_header_row_in_the_first_ten_non_blank_rows_names_the_file() {
    let dir = Dir::new();
    clean(&dir, "");
    let mut w = String::new();
    for i in 1..=10 {
        w.push_str(&format!("Vendor report line {i},\n"));
    }
    w.push_str("applicant_id,written\n1001,80\n1002,90\n");
    dir.write("written.csv", &w);
    let err = refused(&dir);
    has(
        &err,
        "written.csv: expected a header row with an applicant_id column, found no such header in the first ten non-blank rows",
    );
    count(&err, 1);
}

#[test]
fn no_header_row_in_a_sheet_names_the_sheet() {
    let dir = Dir::new();
    clean(&dir, "");
    dir.xlsx(
        "written.xlsx",
        &[(
            "Scores",
            vec![head(&["Candidate", "Written"]), vec![X::I(1001), X::I(80)]],
        )],
    );
    dir.write(
        "exam.toml",
        &exam_with_scores("[\"written.xlsx\", \"oral.csv\"]", ""),
    );
    let err = refused(&dir);
    has(
        &err,
        "written.xlsx, sheet Scores: expected a header row with an applicant_id column, found no such header in the first ten non-blank rows",
    );
    count(&err, 1);
}

#[test]
fn header_as_the_tenth_non_blank_row_is_found_and_blank_lines_do_not_count() {
    let dir = Dir::new();
    clean(&dir, "");
    let mut w = String::new();
    for i in 1..=9 {
        w.push_str(&format!("Vendor report line {i},\n\n"));
    }
    w.push_str("applicant_id,written\n1001,80\n1002,90\n");
    dir.write("written.csv", &w);
    dir.score().ok();
    assert_eq!(dir.field("scores.csv", "1002", "written"), "90.00");
}

#[test]
fn vendor_title_lines_above_the_header_are_skipped() {
    let dir = Dir::new();
    clean(&dir, "");
    dir.xlsx(
        "written.xlsx",
        &[(
            "Results",
            vec![
                vec![X::S("Acme Testing Co. — Police Officer written exam")],
                vec![X::S("Report run"), X::D(2026, 10, 15)],
                vec![],
                head(&["Applicant ID", "Written"]),
                vec![X::I(1001), X::I(72)],
                vec![X::I(1002), X::I(91)],
            ],
        )],
    );
    dir.write(
        "exam.toml",
        &exam_with_scores("[\"written.xlsx\", \"oral.csv\"]", ""),
    );
    dir.score().ok();
    assert_eq!(dir.field("scores.csv", "1001", "written"), "72.00");
    assert_eq!(dir.field("scores.csv", "1002", "written"), "91.00");
}

#[test]
fn cells_below_title_lines_keep_their_spreadsheet_references() {
    let dir = Dir::new();
    clean(&dir, "");
    dir.xlsx(
        "written.xlsx",
        &[(
            "Results",
            vec![
                vec![X::S("Acme Testing Co.")],
                vec![],
                head(&["Applicant ID", "Written"]),
                vec![X::I(1001), X::I(72)],
                vec![X::I(1002), X::S("ninety")],
            ],
        )],
    );
    dir.write(
        "exam.toml",
        &exam_with_scores("[\"written.xlsx\", \"oral.csv\"]", ""),
    );
    let err = refused(&dir);
    has(
        &err,
        "written.xlsx, sheet Results, cell B5: expected a score from 0 to 100 for written, found \"ninety\"",
    );
    count(&err, 1);
}

#[test]
fn a_sheet_not_starting_at_a1_keeps_its_true_cell_references() {
    // Column A and row 1 empty: the used range starts at B2.
    let dir = Dir::new();
    clean(&dir, "");
    dir.xlsx(
        "written.xlsx",
        &[(
            "Results",
            vec![
                vec![],
                vec![X::Blank, X::S("applicant_id"), X::S("written")],
                vec![X::Blank, X::I(1001), X::I(72)],
                vec![X::Blank, X::I(1002), X::I(120)],
            ],
        )],
    );
    dir.write(
        "exam.toml",
        &exam_with_scores("[\"written.xlsx\", \"oral.csv\"]", ""),
    );
    let err = refused(&dir);
    has(
        &err,
        "written.xlsx, sheet Results, cell C4: expected a score from 0 to 100 for written, found the number 120",
    );
    count(&err, 1);
}

#[test]
fn csv_row_numbers_count_blank_lines() {
    // SPEC 3: the first line of a CSV is row 1, blank lines count.
    let dir = Dir::new();
    clean(&dir, "");
    dir.write(
        "applicants.csv",
        &format!(
            "{APPLICANTS_HEADER}\n{}\n\n1002,Baker,Pat,online,2026-09-01,,maybe,yes,MO,no,,no\n",
            applicant("1001", "Able")
        ),
    );
    // Line 1 header, 2 blank, 3 Able, 4 and 5 blank, 6 Baker.
    let err = refused(&dir);
    has(
        &err,
        "applicants.csv, row 6, column signed: expected yes or no (also y/n, true/false, t/f, 1/0, x) in signed, found \"maybe\"",
    );
    count(&err, 1);
}

#[test]
fn csv_row_numbers_are_right_with_windows_line_endings() {
    // Excel saves "CSV UTF-8" with CRLF line endings.
    let dir = Dir::new();
    clean(&dir, "");
    let text = format!(
        "{APPLICANTS_HEADER}{}1002,Baker,Pat,online,2026-09-01,,maybe,yes,MO,no,,no\n",
        applicant("1001", "Able")
    )
    .replace('\n', "\r\n");
    dir.write("applicants.csv", &text);
    let err = refused(&dir);
    has(
        &err,
        "applicants.csv, row 3, column signed: expected yes or no (also y/n, true/false, t/f, 1/0, x) in signed, found \"maybe\"",
    );
    count(&err, 1);
}

#[test]
fn csv_row_numbers_count_a_quoted_line_break_and_title_lines() {
    let dir = Dir::new();
    clean(&dir, "");
    dir.write(
        "written.csv",
        "Acme Testing Co.\nWritten exam\napplicant_id,written\n1001,\"80\n\"\n1002,ninety\n",
    );
    // Line 3 header; 1001's record spans lines 4-5; 1002 on line 6.
    let err = refused(&dir);
    has(
        &err,
        "written.csv, row 6, column written: expected a score from 0 to 100 for written, found \"ninety\"",
    );
    count(&err, 1);
}

#[test]
fn alias_in_inputs_columns_reads_a_vendor_header_and_the_canonical_still_works() {
    let dir = Dir::new();
    clean(
        &dir,
        "\n[inputs.columns]\napplicant_id = \"Cand #\"\nwritten = \"Written Exam Score\"\n",
    );
    // The alias in one file, the canonical header in the others.
    dir.write(
        "written.csv",
        "CAND #,Written exam score\n1001,84\n1002,90\n",
    );
    dir.score().ok();
    assert_eq!(dir.field("scores.csv", "1001", "written"), "84.00");
    assert_eq!(dir.field("scores.csv", "1001", "oral"), "80.00");
}

#[test]
fn missing_required_column_names_the_header_row() {
    let dir = Dir::new();
    clean(&dir, "");
    let text = dir
        .read("applicants.csv")
        .lines()
        .map(|l| {
            let mut f: Vec<&str> = l.split(',').collect();
            f.remove(6); // signed
            f.join(",") + "\n"
        })
        .collect::<String>();
    dir.write("applicants.csv", &text);
    let err = refused(&dir);
    has(
        &err,
        "applicants.csv, row 1: expected a column named signed, found only: \"applicant_id\", \"last_name\", \"first_name\", \"delivery\", \"received_on\", \"postmarked_on\", \"us_citizen\"",
    );
    count(&err, 1);
}

#[test]
fn missing_required_column_in_a_sheet_names_the_sheet_and_row() {
    let dir = Dir::new();
    xlsx_applicants(
        &dir,
        vec![
            vec![X::S("Applicants, fall 2026")],
            head(&[
                "applicant_id",
                "last_name",
                "first_name",
                "received_on",
                "signed",
            ]),
            vec![
                X::I(1001),
                X::S("Able"),
                X::S("Pat"),
                X::D(2026, 9, 1),
                X::S("yes"),
            ],
        ],
        &["1001,80"],
        &["1001,80,80,80"],
    );
    let err = refused(&dir);
    has(
        &err,
        "applicants.xlsx, sheet Sheet1, row 2: expected a column named us_citizen (the position is sworn, so citizenship must be known: Citizenship), found only:",
    );
    count(&err, 1);
}

#[test]
fn duplicate_column_after_normalisation_names_the_second_header_cell() {
    let dir = Dir::new();
    let mut h = head(&APP_HEAD);
    h.push(X::S("Last  Name"));
    let mut r = app(X::I(1001), "Able", X::D(2026, 9, 1));
    r.push(X::S("Able"));
    xlsx_applicants(&dir, vec![h, r], &["1001,80"], &["1001,80,80,80"]);
    let err = refused(&dir);
    has(
        &err,
        "applicants.xlsx, sheet Sheet1, cell I1: the column last_name appears twice (\"last_name\" and \"Last  Name\"); keep one",
    );
    count(&err, 1);
    // `check` reports exactly the same.
    assert_eq!(check_refused(&dir), err);
}

#[test]
fn duplicate_component_column_in_a_score_file_names_the_header_cell() {
    let dir = Dir::new();
    clean(&dir, "");
    dir.write(
        "oral.csv",
        "applicant_id,oral_r1,oral_r2,oral_r3,Oral R1\n1001,80,80,80,80\n1002,90,90,90,90\n",
    );
    let err = refused(&dir);
    has(
        &err,
        "oral.csv, row 1, column Oral R1: the column oral_r1 appears twice (\"oral_r1\" and \"Oral R1\"); keep one",
    );
    count(&err, 1);
}

#[test]
fn invalid_utf8_csv_names_the_row() {
    let dir = Dir::new();
    clean(&dir, "");
    let mut bytes = format!("{APPLICANTS_HEADER}{}", applicant("1001", "Able")).into_bytes();
    bytes.extend_from_slice(b"1002,Jos\xe9,Pat,online,2026-09-01,,yes,yes,MO,no,,no\n");
    dir.write_bytes("applicants.csv", &bytes);
    let err = refused(&dir);
    has(
        &err,
        "applicants.csv, row 3: expected UTF-8 text, found the byte 0xE9 that UTF-8 does not allow (save the file as \"CSV UTF-8\")",
    );
}

#[test]
fn an_unreadable_applicants_file_is_one_problem_not_every_score_id_unknown() {
    // When the applicants file cannot be read there is nothing to check the
    // score files' IDs against: reporting each of them as "not in the
    // applicants file" buries the one real problem.
    let dir = Dir::new();
    clean(&dir, "");
    let mut bytes = APPLICANTS_HEADER.as_bytes().to_vec();
    bytes.extend_from_slice(b"1001,Jos\xe9,Pat,online,2026-09-01,,yes,yes,MO,no,,no\n");
    dir.write_bytes("applicants.csv", &bytes);
    let err = refused(&dir);
    has(&err, "applicants.csv, row 2: expected UTF-8 text");
    lacks(&err, "which is not there");
    count(&err, 1);
}

#[test]
fn a_missing_applicants_file_is_one_problem_not_every_score_id_unknown() {
    let dir = Dir::new();
    clean(&dir, "");
    std::fs::remove_file(dir.path("applicants.csv")).unwrap();
    let err = refused(&dir);
    has(&err, "applicants.csv: the file does not exist (looked for ");
    lacks(&err, "which is not there");
    count(&err, 1);
}

#[test]
fn an_applicants_file_without_a_header_is_one_problem_not_every_score_id_unknown() {
    let dir = Dir::new();
    clean(&dir, "");
    dir.write(
        "applicants.csv",
        "id,last_name,first_name\n1001,Able,Pat\n1002,Baker,Pat\n",
    );
    let err = refused(&dir);
    has(
        &err,
        "applicants.csv: expected a header row with an applicant_id column, found no such header in the first ten non-blank rows",
    );
    lacks(&err, "which is not there");
    count(&err, 1);
}

#[test]
fn csv_with_a_byte_order_mark_reads_its_first_header() {
    let dir = Dir::new();
    clean(&dir, "");
    dir.write(
        "applicants.csv",
        &format!("\u{feff}{}", dir.read("applicants.csv")),
    );
    dir.write(
        "written.csv",
        "\u{feff}Applicant ID,Written\n1001,80\n1002,90\n",
    );
    dir.score().ok();
    assert_eq!(status(&dir, "1001"), "eligible");
    assert_eq!(dir.field("scores.csv", "1002", "written"), "90.00");
}

#[test]
fn a_txt_score_file_with_a_semicolon_delimiter_is_read() {
    let dir = Dir::new();
    clean(&dir, "");
    dir.write(
        "exam.toml",
        &exam_with_scores(
            "[\"written.csv\", { path = \"oral.txt\", delimiter = \";\" }]",
            "",
        ),
    );
    dir.write(
        "oral.txt",
        "applicant_id;oral_r1;oral_r2;oral_r3\n1001;70;80;90\n1002;85;85;86\n",
    );
    std::fs::remove_file(dir.path("oral.csv")).unwrap();
    dir.score().ok();
    assert_eq!(dir.field("scores.csv", "1001", "oral"), "80.00");
    assert_eq!(dir.field("scores.csv", "1002", "oral"), "85.33");
}

#[test]
fn a_tsv_score_file_is_read_with_tabs() {
    let dir = Dir::new();
    clean(&dir, "");
    dir.write(
        "exam.toml",
        &exam_with_scores("[\"written.tsv\", \"oral.csv\"]", ""),
    );
    dir.write("written.tsv", "applicant_id\twritten\n1001\t77\n1002\t78\n");
    dir.score().ok();
    assert_eq!(dir.field("scores.csv", "1001", "written"), "77.00");
}

// ---------------------------------------------------------------------------
// Applicants: typed cells (SPEC 3.1)

#[test]
fn blank_required_cell_names_its_cell() {
    let dir = Dir::new();
    let mut r2 = app(X::I(1002), "Baker", X::D(2026, 9, 1));
    r2[1] = X::Blank; // last_name, B3
    let mut r3 = app(X::I(1003), "Cole", X::D(2026, 9, 1));
    r3[4] = X::S("   "); // received_on, E4
    xlsx_applicants(
        &dir,
        vec![
            head(&APP_HEAD),
            app(X::I(1001), "Able", X::D(2026, 9, 1)),
            r2,
            r3,
        ],
        &["1001,80"],
        &["1001,80,80,80"],
    );
    let err = refused(&dir);
    has(
        &err,
        "applicants.xlsx, sheet Sheet1, cell B3: expected last_name, found a blank cell (it is required)",
    );
    has(
        &err,
        "applicants.xlsx, sheet Sheet1, cell E4: expected a date (a date cell, YYYY-MM-DD or MM/DD/YYYY) in received_on, found a blank cell (it is required)",
    );
    count(&err, 2);
    // `check` reports exactly the same.
    assert_eq!(check_refused(&dir), err);
}

#[test]
fn blank_signed_cell_is_an_error_not_unsigned() {
    let dir = Dir::new();
    small_exam(
        &dir,
        "",
        &[
            applicant("1001", "Able"),
            "1002,Baker,Pat,online,2026-09-01,,,yes,MO,no,,no\n".to_string(),
        ],
        &["1001,80", "1002,80"],
        &["1001,80,80,80", "1002,80,80,80"],
    );
    let err = refused(&dir);
    has(
        &err,
        "applicants.csv, row 3, column signed: expected yes or no (also y/n, true/false, t/f, 1/0, x) in signed, found a blank cell (it is required)",
    );
    count(&err, 1);
}

#[test]
fn blank_us_citizen_is_an_error_for_a_sworn_position_only() {
    let dir = Dir::new();
    small_exam(
        &dir,
        "",
        &["1001,Able,Pat,online,2026-09-01,,yes,,MO,no,,no\n".to_string()],
        &["1001,80"],
        &["1001,80,80,80"],
    );
    let err = refused(&dir);
    has(
        &err,
        "applicants.csv, row 2, column us_citizen: expected yes or no (also y/n, true/false, t/f, 1/0, x) in us_citizen, found a blank cell (it is required)",
    );
    count(&err, 1);
    // A civilian position skips the citizenship rule.
    dir.write(
        "exam.toml",
        &EXAM.replace(
            "rank = \"officer\"\n",
            "rank = \"officer\"\nsworn = false\n",
        ),
    );
    dir.score().ok();
    assert_eq!(status(&dir, "1001"), "eligible");
}

#[test]
fn bad_boolean_names_its_cell_and_what_was_found() {
    let dir = Dir::new();
    let mut r1 = app(X::I(1001), "Able", X::D(2026, 9, 1));
    r1[6] = X::S("signed"); // G2
    let mut r2 = app(X::I(1002), "Baker", X::D(2026, 9, 1));
    r2[7] = X::I(2); // H3
    let mut r3 = app(X::I(1003), "Cole", X::D(2026, 9, 1));
    r3[6] = X::B(true); // a logical cell reads
    r3[7] = X::I(1);
    xlsx_applicants(
        &dir,
        vec![head(&APP_HEAD), r1, r2, r3],
        &["1003,80"],
        &["1003,80,80,80"],
    );
    let err = refused(&dir);
    has(
        &err,
        "applicants.xlsx, sheet Sheet1, cell G2: expected yes or no (also y/n, true/false, t/f, 1/0, x) in signed, found \"signed\"",
    );
    has(
        &err,
        "applicants.xlsx, sheet Sheet1, cell H3: expected yes or no (also y/n, true/false, t/f, 1/0, x) in us_citizen, found the number 2",
    );
    count(&err, 2);
}

#[test]
fn bad_degree_names_its_cell() {
    let dir = Dir::new();
    small_exam(
        &dir,
        "",
        &[
            "1001,Able,Pat,online,2026-09-01,,yes,yes,MO,no,Master's Degree,no\n".to_string(),
            "1002,Baker,Pat,online,2026-09-01,,yes,yes,MO,no,GED,no\n".to_string(),
        ],
        &["1001,80"],
        &["1001,80,80,80"],
    );
    let err = refused(&dir);
    has(
        &err,
        "applicants.csv, row 3, column highest_degree: expected a degree: none, associate (AA, AS, AAS), bachelor (BA, BS, BSc, BBA, BSW, BSCJ), master (MA, MS, MSc, MBA, MPA, MEd, MCJ, MSCJ, MSW) or doctorate (PhD, EdD, JD, DPA) in highest_degree, found \"GED\"",
    );
    count(&err, 1);
}

#[test]
fn bad_delivery_names_its_cell() {
    let dir = Dir::new();
    small_exam(
        &dir,
        "",
        &["1001,Able,Pat,fax,2026-09-01,,yes,yes,MO,no,,no\n".to_string()],
        &["1001,80"],
        &["1001,80,80,80"],
    );
    let err = refused(&dir);
    has(
        &err,
        "applicants.csv, row 2, column delivery: expected mail (mailed, by mail, US mail, USPS, postal) or personal (in person, hand, hand delivered, online, email, blank) in delivery, found \"fax\"",
    );
    count(&err, 1);
}

#[test]
fn mail_without_a_postmark_names_the_postmark_cell() {
    let dir = Dir::new();
    small_exam(
        &dir,
        "",
        &[
            "1001,Able,Pat,US Mail,2026-10-02,2026-09-30,yes,yes,MO,no,,no\n".to_string(),
            "1002,Baker,Pat,USPS,2026-09-01,,yes,yes,MO,no,,no\n".to_string(),
        ],
        &["1001,80"],
        &["1001,80,80,80"],
    );
    let err = refused(&dir);
    has(
        &err,
        "applicants.csv, row 3, column postmarked_on: expected the postmark date (delivery is by mail, so it is filed on the postmark date: Filing of papers) in postmarked_on, found a blank cell (it is required)",
    );
    count(&err, 1);
}

#[test]
fn bad_date_text_names_its_cell() {
    let dir = Dir::new();
    small_exam(
        &dir,
        "",
        &[
            "1001,Able,Pat,online,Sept 1 2026,,yes,yes,MO,no,,no\n".to_string(),
            "1002,Baker,Pat,online,2026-02-30,,yes,yes,MO,no,,no\n".to_string(),
            "1003,Cole,Pat,online,2026-09-01 lunch,,yes,yes,MO,no,,no\n".to_string(),
        ],
        &[],
        &[],
    );
    let err = refused(&dir);
    let e = "column received_on: expected a date (a date cell, YYYY-MM-DD or MM/DD/YYYY) in received_on, found";
    has(&err, &format!("applicants.csv, row 2, {e} \"Sept 1 2026\""));
    has(&err, &format!("applicants.csv, row 3, {e} \"2026-02-30\""));
    has(
        &err,
        &format!("applicants.csv, row 4, {e} \"2026-09-01 lunch\""),
    );
    count(&err, 3);
}

#[test]
fn plain_number_in_a_csv_date_column_is_an_error_not_a_serial_date() {
    let dir = Dir::new();
    small_exam(
        &dir,
        "",
        &["1001,Able,Pat,online,46266,,yes,yes,MO,no,,no\n".to_string()],
        &["1001,80"],
        &["1001,80,80,80"],
    );
    let err = refused(&dir);
    has(
        &err,
        "applicants.csv, row 2, column received_on: expected a date (a date cell, YYYY-MM-DD or MM/DD/YYYY) in received_on, found \"46266\"",
    );
    count(&err, 1);
}

#[test]
fn plain_number_cell_in_a_sheet_date_column_is_an_error_not_a_serial_date() {
    let dir = Dir::new();
    xlsx_applicants(
        &dir,
        vec![
            head(&APP_HEAD),
            app(X::I(1001), "Able", X::I(46266)),
            app(X::I(1002), "Baker", X::N(46266.5)),
        ],
        &["1001,80"],
        &["1001,80,80,80"],
    );
    let err = refused(&dir);
    has(
        &err,
        "applicants.xlsx, sheet Sheet1, cell E2: expected a date (a date cell, YYYY-MM-DD or MM/DD/YYYY) in received_on, found the number 46266",
    );
    has(
        &err,
        "applicants.xlsx, sheet Sheet1, cell E3: expected a date (a date cell, YYYY-MM-DD or MM/DD/YYYY) in received_on, found the number 46266.5",
    );
    count(&err, 2);
}

#[test]
fn two_digit_year_is_an_error() {
    let dir = Dir::new();
    small_exam(
        &dir,
        "",
        &["1001,Able,Pat,online,9/1/26,,yes,yes,MO,no,,no\n".to_string()],
        &["1001,80"],
        &["1001,80,80,80"],
    );
    let err = refused(&dir);
    has(
        &err,
        "applicants.csv, row 2, column received_on: expected a date (a date cell, YYYY-MM-DD or MM/DD/YYYY) in received_on, found \"9/1/26\"",
    );
    count(&err, 1);
}

#[test]
fn two_digit_year_is_an_error_in_a_text_cell_of_a_sheet() {
    let dir = Dir::new();
    xlsx_applicants(
        &dir,
        vec![head(&APP_HEAD), app(X::I(1001), "Able", X::S("26-09-01"))],
        &["1001,80"],
        &["1001,80,80,80"],
    );
    let err = refused(&dir);
    has(
        &err,
        "applicants.xlsx, sheet Sheet1, cell E2: expected a date (a date cell, YYYY-MM-DD or MM/DD/YYYY) in received_on, found \"26-09-01\"",
    );
    count(&err, 1);
}

#[test]
fn slash_dates_follow_mdy_by_default() {
    // 30/09/2026 is not a month/day/year date.
    let dir = Dir::new();
    small_exam(
        &dir,
        "",
        &["1001,Able,Pat,online,30/09/2026,,yes,yes,MO,no,,no\n".to_string()],
        &["1001,80"],
        &["1001,80,80,80"],
    );
    let err = refused(&dir);
    has(
        &err,
        "applicants.csv, row 2, column received_on: expected a date (a date cell, YYYY-MM-DD or MM/DD/YYYY) in received_on, found \"30/09/2026\"",
    );
}

#[test]
fn dmy_date_order_reads_day_first_slash_dates() {
    let dir = Dir::new();
    small_exam(
        &dir,
        "",
        &[
            // 30 September: on the deadline, on time.
            "1001,Able,Pat,online,30/09/2026,,yes,yes,MO,no,,no\n".to_string(),
            // 1 October (10 January if read month-first): late.
            "1002,Baker,Pat,online,01/10/2026 16:45,,yes,yes,MO,no,,no\n".to_string(),
        ],
        &["1001,80", "1002,90"],
        &["1001,80,80,80", "1002,90,90,90"],
    );
    dir.write("exam.toml", &exam_with_inputs("date_order = \"dmy\"\n", ""));
    dir.score().ok();
    assert_eq!(status(&dir, "1001"), "eligible");
    assert_eq!(status(&dir, "1002"), "disqualified");
    assert_eq!(codes(&dir, "1002"), "A7-LATE");
}

#[test]
fn dmy_error_message_states_the_day_first_form() {
    let dir = Dir::new();
    small_exam(
        &dir,
        "",
        &["1001,Able,Pat,online,09/30/2026,,yes,yes,MO,no,,no\n".to_string()],
        &["1001,80"],
        &["1001,80,80,80"],
    );
    dir.write("exam.toml", &exam_with_inputs("date_order = \"dmy\"\n", ""));
    let err = refused(&dir);
    has(
        &err,
        "applicants.csv, row 2, column received_on: expected a date (a date cell, YYYY-MM-DD or DD/MM/YYYY) in received_on, found \"09/30/2026\"",
    );
}

fn date_system_case(date1904: bool) -> Dir {
    let dir = Dir::new();
    let rows = vec![
        head(&APP_HEAD),
        app(X::I(1001), "Able", X::D(2026, 9, 30)),
        app(X::I(1002), "Baker", X::D(2026, 10, 1)),
    ];
    xlsx_applicants(
        &dir,
        rows.clone(),
        &["1001,80", "1002,90"],
        &["1001,80,80,80", "1002,90,90,90"],
    );
    if date1904 {
        let bytes = to_1904(&xlsx_bytes(&[("Sheet1", rows)]), &["E2", "E3"]);
        dir.write_bytes("applicants.xlsx", &bytes);
    }
    dir.score().ok();
    dir
}

#[test]
fn date_cells_read_the_same_in_the_1900_and_1904_date_systems() {
    for date1904 in [false, true] {
        let dir = date_system_case(date1904);
        assert_eq!(status(&dir, "1001"), "eligible", "1904 system: {date1904}");
        assert_eq!(status(&dir, "1002"), "disqualified", "1904: {date1904}");
        assert_eq!(codes(&dir, "1002"), "A7-LATE", "1904: {date1904}");
    }
    assert_eq!(
        date_system_case(false).read("out/scores.csv"),
        date_system_case(true).read("out/scores.csv")
    );
}

#[test]
fn date_time_cell_gives_its_date() {
    let dir = Dir::new();
    xlsx_applicants(
        &dir,
        vec![
            head(&APP_HEAD),
            // Late afternoon on the deadline: on time.
            app(X::I(1001), "Able", X::Dt(2026, 9, 30, 16, 45)),
            // Just after midnight: late.
            app(X::I(1002), "Baker", X::Dt(2026, 10, 1, 0, 5)),
        ],
        &["1001,80", "1002,90"],
        &["1001,80,80,80", "1002,90,90,90"],
    );
    dir.score().ok();
    assert_eq!(status(&dir, "1001"), "eligible");
    assert_eq!(codes(&dir, "1002"), "A7-LATE");
}

#[test]
fn numeric_id_cell_1042_reads_as_1042_and_matches_the_csv_id() {
    let dir = Dir::new();
    xlsx_applicants(
        &dir,
        vec![
            head(&APP_HEAD),
            app(X::I(1042), "Able", X::D(2026, 9, 1)),
            app(X::N(1043.0), "Baker", X::D(2026, 9, 1)),
        ],
        &["1042,80", "1043,90"],
        &["1042,80,80,80", "1043,90,90,90"],
    );
    dir.score().ok();
    let ids: Vec<String> = dir.csv("scores.csv")[1..]
        .iter()
        .map(|r| r[0].clone())
        .collect();
    assert_eq!(ids, ["1042", "1043"]);
    assert_eq!(status(&dir, "1042"), "eligible");
    assert_eq!(dir.field("scores.csv", "1042", "written"), "80.00");
    assert_eq!(dir.field("scores.csv", "1043", "oral"), "90.00");
}

#[test]
fn numeric_id_cells_in_a_score_sheet_match_text_ids() {
    let dir = Dir::new();
    clean(&dir, "");
    dir.xlsx(
        "written.xlsx",
        &[(
            "Sheet1",
            vec![
                head(&["applicant_id", "written"]),
                vec![X::N(1001.0), X::I(70)],
                vec![X::I(1002), X::N(95.5)],
            ],
        )],
    );
    dir.write(
        "exam.toml",
        &exam_with_scores("[\"written.xlsx\", \"oral.csv\"]", ""),
    );
    dir.score().ok();
    assert_eq!(dir.field("scores.csv", "1001", "written"), "70.00");
    assert_eq!(dir.field("scores.csv", "1002", "written"), "95.50");
}

#[test]
fn duplicate_id_in_the_applicants_file_names_the_second_cell() {
    let dir = Dir::new();
    small_exam(
        &dir,
        "",
        &[
            applicant("1001", "Able"),
            applicant("1002", "Baker"),
            applicant(" 1001 ", "Cole"),
        ],
        &["1001,80"],
        &["1001,80,80,80"],
    );
    let err = refused(&dir);
    has(
        &err,
        "applicants.csv, row 4, column applicant_id: expected a unique applicant_id, found 1001 again (first on row 2)",
    );
    count(&err, 1);
}

#[test]
fn duplicate_numeric_and_text_id_in_a_sheet_are_the_same_id() {
    let dir = Dir::new();
    xlsx_applicants(
        &dir,
        vec![
            head(&APP_HEAD),
            app(X::I(1042), "Able", X::D(2026, 9, 1)),
            app(X::S("1042"), "Baker", X::D(2026, 9, 1)),
        ],
        &["1042,80"],
        &["1042,80,80,80"],
    );
    let err = refused(&dir);
    has(
        &err,
        "applicants.xlsx, sheet Sheet1, cell A3: expected a unique applicant_id, found 1042 again (first on row 2)",
    );
    count(&err, 1);
}

#[test]
fn error_cell_in_a_read_applicants_column_names_its_cell() {
    let dir = Dir::new();
    let mut r = app(X::I(1001), "Able", X::D(2026, 9, 1));
    r[2] = X::E("#REF!"); // first_name, C2
    xlsx_applicants(&dir, vec![head(&APP_HEAD), r], &[], &[]);
    let err = refused(&dir);
    has(
        &err,
        "applicants.xlsx, sheet Sheet1, cell C2: expected first_name, found the error value #REF!",
    );
    count(&err, 1);
}

#[test]
fn error_cell_in_an_ignored_column_is_fine() {
    let dir = Dir::new();
    let mut h = head(&APP_HEAD);
    h.push(X::S("Recruiter notes"));
    let mut r1 = app(X::I(1001), "Able", X::D(2026, 9, 1));
    r1.push(X::E("#N/A"));
    let mut r2 = app(X::I(1002), "Baker", X::D(2026, 9, 1));
    r2.push(X::E("#DIV/0!"));
    xlsx_applicants(
        &dir,
        vec![h, r1, r2],
        &["1001,80", "1002,90"],
        &["1001,80,80,80", "1002,90,90,90"],
    );
    dir.write(
        "written.csv",
        "applicant_id,written,vendor_check\n1001,80,#N/A\n1002,90,#VALUE!\n",
    );
    dir.score().ok();
    assert_eq!(status(&dir, "1001"), "eligible");
    assert_eq!(dir.field("scores.csv", "1002", "written"), "90.00");
}

// ---------------------------------------------------------------------------
// Scores (SPEC 3.2)

#[test]
fn numbers_with_stray_spaces_are_read() {
    let dir = Dir::new();
    clean(&dir, "");
    dir.write(
        "written.csv",
        "applicant_id,written\n 1001 , 85 \n1002,\u{a0}90.5\u{a0}\n",
    );
    dir.write(
        "oral.csv",
        "applicant_id,oral_r1,oral_r2,oral_r3\n1001, 90 ,80 , 70\n1002,\t90,90,90\n",
    );
    dir.score().ok();
    assert_eq!(dir.field("scores.csv", "1001", "written"), "85.00");
    assert_eq!(dir.field("scores.csv", "1001", "oral"), "80.00");
    assert_eq!(dir.field("scores.csv", "1002", "written"), "90.50");
}

#[test]
fn score_above_max_or_negative_names_its_cell() {
    let dir = Dir::new();
    clean(&dir, "");
    dir.write(
        "exam.toml",
        &EXAM.replacen("weight = 0.6\n", "weight = 0.6\nmax = 50\n", 1),
    );
    dir.write("written.csv", "applicant_id,written\n1001,50.5\n1002,-1\n");
    dir.write(
        "oral.csv",
        "applicant_id,oral_r1,oral_r2,oral_r3\n1001,80,100.01,80\n1002,90,90,90\n",
    );
    let err = refused(&dir);
    has(
        &err,
        "written.csv, row 2, column written: expected a score from 0 to 50 for written, found \"50.5\"",
    );
    has(
        &err,
        "written.csv, row 3, column written: expected a score from 0 to 50 for written, found \"-1\"",
    );
    has(
        &err,
        "oral.csv, row 2, column oral_r2: expected a score from 0 to 100 for oral (oral_r2), found \"100.01\"",
    );
    count(&err, 3);
}

#[test]
fn score_above_max_in_a_sheet_names_its_cell() {
    let dir = Dir::new();
    clean(&dir, "");
    dir.xlsx(
        "oral.xlsx",
        &[(
            "Panel",
            vec![
                head(&["applicant_id", "oral_r1", "oral_r2", "oral_r3"]),
                vec![X::I(1001), X::I(80), X::I(80), X::I(80)],
                vec![X::I(1002), X::I(90), X::N(-0.5), X::I(90)],
            ],
        )],
    );
    dir.write(
        "exam.toml",
        &exam_with_scores("[\"written.csv\", \"oral.xlsx#Panel\"]", ""),
    );
    let err = refused(&dir);
    has(
        &err,
        "oral.xlsx, sheet Panel, cell C3: expected a score from 0 to 100 for oral (oral_r2), found the number -0.5",
    );
    count(&err, 1);
}

#[test]
fn non_numeric_score_names_its_cell() {
    let dir = Dir::new();
    clean(&dir, "");
    dir.write(
        "oral.csv",
        "applicant_id,oral_r1,oral_r2,oral_r3\n1001,80,eighty,80\n1002,90,90,90\n",
    );
    let err = refused(&dir);
    has(
        &err,
        "oral.csv, row 2, column oral_r2: expected a score from 0 to 100 for oral (oral_r2), found \"eighty\"",
    );
    count(&err, 1);
}

#[test]
fn error_cell_in_a_read_score_column_names_its_cell() {
    let dir = Dir::new();
    clean(&dir, "");
    dir.xlsx(
        "written.xlsx",
        &[(
            "Sheet1",
            vec![
                head(&["applicant_id", "written"]),
                vec![X::I(1001), X::I(80)],
                vec![X::I(1002), X::E("#N/A")],
            ],
        )],
    );
    dir.write(
        "exam.toml",
        &exam_with_scores("[\"written.xlsx\", \"oral.csv\"]", ""),
    );
    let err = refused(&dir);
    has(
        &err,
        "written.xlsx, sheet Sheet1, cell B3: expected a score from 0 to 100 for written, found the error value #N/A",
    );
    count(&err, 1);
    // `check` reports exactly the same.
    assert_eq!(check_refused(&dir), err);
}

#[test]
fn error_text_in_a_csv_score_column_is_an_error() {
    let dir = Dir::new();
    clean(&dir, "");
    dir.write(
        "oral.csv",
        "applicant_id,oral_r1,oral_r2,oral_r3\n1001,#N/A,80,80\n1002,90,90,#DIV/0!\n",
    );
    let err = refused(&dir);
    has(
        &err,
        "oral.csv, row 2, column oral_r1: expected a score from 0 to 100 for oral (oral_r1), found the error value #N/A",
    );
    has(
        &err,
        "oral.csv, row 3, column oral_r3: expected a score from 0 to 100 for oral (oral_r3), found the error value #DIV/0!",
    );
    count(&err, 2);
}

#[test]
fn bad_pass_fail_value_names_its_cell() {
    let dir = Dir::new();
    clean(&dir, "");
    dir.write(
        "exam.toml",
        &exam_with_scores(
            "[\"written.csv\", \"oral.csv\", \"agility.csv\"]",
            "\n[[components]]\nname = \"agility\"\ntype = \"pass_fail\"\n",
        ),
    );
    dir.write(
        "agility.csv",
        "applicant_id,agility\n1001,Pass\n1002,maybe\n",
    );
    let err = refused(&dir);
    has(
        &err,
        "agility.csv, row 3, column agility: expected pass or fail for agility (pass/fail, p/f, yes/no, or absent/blank for no result), found \"maybe\"",
    );
    count(&err, 1);
}

#[test]
fn partial_raters_are_an_error_at_the_absent_cell() {
    let dir = Dir::new();
    clean(&dir, "");
    dir.write(
        "oral.csv",
        "applicant_id,oral_r1,oral_r2,oral_r3\n1001,80,absent,80\n1002,,90,90\n",
    );
    let err = refused(&dir);
    has(
        &err,
        "oral.csv, row 2, column oral_r2: expected a score from 0 to 100 for oral from every rater, found \"absent\" while the other raters scored this applicant (a missing rater must be resolved, not averaged away)",
    );
    has(
        &err,
        "oral.csv, row 3, column oral_r1: expected a score from 0 to 100 for oral from every rater, found a blank cell while the other raters scored this applicant",
    );
    count(&err, 2);
}

#[test]
fn partial_raters_in_a_sheet_name_the_blank_cell() {
    let dir = Dir::new();
    clean(&dir, "");
    dir.xlsx(
        "oral.xlsx",
        &[(
            "Sheet1",
            vec![
                head(&["applicant_id", "oral_r1", "oral_r2", "oral_r3"]),
                vec![X::I(1001), X::I(80), X::I(80), X::I(80)],
                vec![X::I(1002), X::I(90), X::I(90), X::Blank],
            ],
        )],
    );
    dir.write(
        "exam.toml",
        &exam_with_scores("[\"written.csv\", \"oral.xlsx\"]", ""),
    );
    let err = refused(&dir);
    has(
        &err,
        "oral.xlsx, sheet Sheet1, cell D3: expected a score from 0 to 100 for oral from every rater, found a blank cell while the other raters scored this applicant",
    );
    count(&err, 1);
}

#[test]
fn all_raters_absent_is_no_result_and_the_applicant_is_incomplete() {
    let dir = Dir::new();
    clean(&dir, "");
    dir.write(
        "oral.csv",
        "applicant_id,oral_r1,oral_r2,oral_r3\n1001,80,80,80\n1002,Absent,,No Show\n",
    );
    dir.score().ok();
    assert_eq!(status(&dir, "1002"), "incomplete");
    assert_eq!(codes(&dir, "1002"), "MISSING-oral");
    assert_eq!(dir.field("scores.csv", "1002", "oral"), "");
    assert_eq!(dir.field("scores.csv", "1002", "written"), "90.00");
    assert_eq!(dir.field("scores.csv", "1002", "raw_score"), "");
}

#[test]
fn unknown_applicant_in_a_score_file_names_the_id_cell() {
    let dir = Dir::new();
    clean(&dir, "");
    dir.write(
        "written.csv",
        "applicant_id,written\n1001,80\n9999,70\n1002,90\n",
    );
    let err = refused(&dir);
    has(
        &err,
        "written.csv, row 3, column applicant_id: expected an applicant_id from the applicants file (applicants.csv), found 9999, which is not there",
    );
    count(&err, 1);
}

#[test]
fn same_id_twice_in_a_score_file_names_the_second_row() {
    let dir = Dir::new();
    clean(&dir, "");
    dir.write(
        "written.csv",
        "applicant_id,written\n1001,80\n1002,90\n1001,80\n",
    );
    let err = refused(&dir);
    has(
        &err,
        "written.csv, row 4, column applicant_id: expected one row per applicant, found 1001 again (first on row 2)",
    );
    count(&err, 1);
}

#[test]
fn score_file_without_applicant_id_column_names_the_file() {
    let dir = Dir::new();
    clean(&dir, "");
    dir.write("written.csv", "candidate,written\n1001,80\n1002,90\n");
    let err = refused(&dir);
    has(
        &err,
        "written.csv: expected a header row with an applicant_id column, found no such header in the first ten non-blank rows",
    );
    count(&err, 1);
}

// ---------------------------------------------------------------------------
// Determinations (SPEC 3.3)

fn with_determinations(dir: &Dir, text: &str) {
    clean(dir, "");
    dir.write(
        "exam.toml",
        &exam_with_inputs("determinations = \"determinations.csv\"\n", ""),
    );
    dir.write("determinations.csv", text);
}

#[test]
fn unknown_applicant_in_determinations_names_the_id_cell() {
    let dir = Dir::new();
    with_determinations(
        &dir,
        "applicant_id,ground,note\n1001,A4,record\n1009,A4,record\n",
    );
    let err = refused(&dir);
    has(
        &err,
        "determinations.csv, row 3, column applicant_id: expected an applicant_id from the applicants file (applicants.csv), found 1009, which is not there",
    );
    count(&err, 1);
}

#[test]
fn bad_ground_names_its_cell() {
    let dir = Dir::new();
    with_determinations(
        &dir,
        "applicant_id,ground,note\n1001,B1,x\n1002,A10,y\n1002,,z\n",
    );
    let err = refused(&dir);
    let e = "column ground: expected a ground of Disqualification A: A1 to A9 (also DQ-A1 …) in ground, found";
    has(&err, &format!("determinations.csv, row 2, {e} \"B1\""));
    has(&err, &format!("determinations.csv, row 3, {e} \"A10\""));
    has(
        &err,
        &format!("determinations.csv, row 4, {e} a blank cell"),
    );
    count(&err, 3);
}

#[test]
fn ground_with_dq_prefix_in_any_case_is_accepted() {
    let dir = Dir::new();
    with_determinations(
        &dir,
        "applicant_id,ground,note,decided_on\n1002,DQ-a4,arrest record,2026-10-20\n1002,a4,same finding,\n",
    );
    dir.score().ok();
    assert_eq!(status(&dir, "1002"), "disqualified");
    assert_eq!(codes(&dir, "1002"), "A4");
    assert_eq!(status(&dir, "1001"), "eligible");
}

#[test]
fn determinations_without_a_ground_column_name_the_header_row() {
    let dir = Dir::new();
    with_determinations(&dir, "applicant_id,finding\n1001,A4\n");
    let err = refused(&dir);
    has(
        &err,
        "determinations.csv, row 1: expected a column named ground, found only: \"applicant_id\", \"finding\"",
    );
    count(&err, 1);
}

// ---------------------------------------------------------------------------
// Clearances (SPEC 3.4)

const CLEAR_HEAD: &str = "applicant_id,fingerprinted_on,FBI,Missouri State Highway Patrol,St. Louis County Police Department,Chesterfield Police Department\n";

fn with_clearances(dir: &Dir, text: &str) {
    clean(dir, "");
    dir.write(
        "exam.toml",
        &exam_with_inputs("clearances = \"clearances.csv\"\n", ""),
    );
    dir.write("clearances.csv", text);
}

#[test]
fn clean_clearances_are_accepted() {
    let dir = Dir::new();
    with_clearances(
        &dir,
        &format!("{CLEAR_HEAD}1001,2026-11-01,2026-11-02,2026-11-03,,\n"),
    );
    dir.score().ok();
}

#[test]
fn unknown_applicant_in_clearances_names_the_id_cell() {
    let dir = Dir::new();
    with_clearances(
        &dir,
        &format!("{CLEAR_HEAD}1001,2026-11-01,2026-11-02,2026-11-03,,\n2001,2026-11-01,,,,\n"),
    );
    let err = refused(&dir);
    has(
        &err,
        "clearances.csv, row 3, column applicant_id: expected an applicant_id from the applicants file (applicants.csv), found 2001, which is not there",
    );
    count(&err, 1);
}

#[test]
fn missing_agency_column_in_clearances_names_the_agency() {
    let dir = Dir::new();
    with_clearances(
        &dir,
        "applicant_id,fingerprinted_on,FBI,St. Louis County Police Department,Chesterfield Police Department\n1001,2026-11-01,,,\n",
    );
    let err = refused(&dir);
    has(
        &err,
        "clearances.csv, row 1: expected a column named missouri_state_highway_patrol (the clearance date from Missouri State Highway Patrol; Background), found only: \"applicant_id\", \"fingerprinted_on\", \"FBI\", \"St. Louis County Police Department\", \"Chesterfield Police Department\"",
    );
    count(&err, 1);
}

#[test]
fn bad_clearance_date_names_its_cell() {
    let dir = Dir::new();
    with_clearances(&dir, &format!("{CLEAR_HEAD}1001,2026-11-01,cleared,,,\n"));
    let err = refused(&dir);
    has(
        &err,
        "clearances.csv, row 2, column FBI: expected a clearance date (a date cell, YYYY-MM-DD or MM/DD/YYYY) or a blank cell for FBI, found \"cleared\"",
    );
    count(&err, 1);
}

// ---------------------------------------------------------------------------
// Every problem at once

#[test]
fn every_problem_in_a_file_is_reported_at_once() {
    let dir = Dir::new();
    small_exam(
        &dir,
        "",
        &[
            "1001,Able,Pat,online,2026-09-01,,perhaps,yes,MO,no,,no\n".to_string(),
            "1002,Baker,Pat,online,2026-13-01,,yes,yes,MO,no,,no\n".to_string(),
            "1003,Cole,Pat,online,2026-09-01,,yes,yes,MO,no,Diploma,no\n".to_string(),
        ],
        &[],
        &[],
    );
    let err = refused(&dir);
    has(&err, "applicants.csv, row 2, column signed: expected yes or no (also y/n, true/false, t/f, 1/0, x) in signed, found \"perhaps\"");
    has(&err, "applicants.csv, row 3, column received_on: expected a date (a date cell, YYYY-MM-DD or MM/DD/YYYY) in received_on, found \"2026-13-01\"");
    has(
        &err,
        "applicants.csv, row 4, column highest_degree: expected a degree: none,",
    );
    has(&err, "found \"Diploma\"");
    count(&err, 3);
    assert_eq!(
        err.lines().count(),
        4,
        "three messages and the count:\n{err}"
    );
}

#[test]
fn problems_in_several_files_are_all_reported_in_a_stable_order() {
    let dir = Dir::new();
    small_exam(
        &dir,
        "",
        &[
            applicant("1001", "Able"),
            "1002,Baker,Pat,online,2026-09-01,,yes,yes,MO,no,,maybe\n".to_string(),
        ],
        &["1001,eighty", "1003,90"],
        &["1001,80,,80", "1002,90,90,90"],
    );
    let err = refused(&dir);
    let expected = [
        "applicants.csv, row 3, column internal: expected yes or no (also y/n, true/false, t/f, 1/0, x) in internal, found \"maybe\"",
        "oral.csv, row 2, column oral_r2: expected a score from 0 to 100 for oral from every rater, found a blank cell while the other raters scored this applicant (a missing rater must be resolved, not averaged away)",
        "written.csv, row 2, column written: expected a score from 0 to 100 for written, found \"eighty\"",
        "written.csv, row 3, column applicant_id: expected an applicant_id from the applicants file (applicants.csv), found 1003, which is not there",
        "4 problems found; nothing was written.",
    ];
    let lines: Vec<&str> = err
        .trim_end()
        .lines()
        .map(|l| l.strip_prefix("error: ").unwrap_or(l))
        .collect();
    assert_eq!(lines, expected);
    // The same through `check`, and on every run.
    let again = check_refused(&dir);
    assert_eq!(again, err);
}

// ---------------------------------------------------------------------------
// Rows that are not blank, and applicants without a row

#[test]
fn a_row_with_only_an_id_is_not_blank_and_its_required_cells_are_named() {
    let dir = Dir::new();
    clean(&dir, "");
    dir.write(
        "applicants.csv",
        &format!("{}1003\n", dir.read("applicants.csv")),
    );
    let err = refused(&dir);
    has(&err, "applicants.csv, row 4, column last_name: expected last_name, found a blank cell (it is required)");
    has(&err, "applicants.csv, row 4, column first_name: expected first_name, found a blank cell (it is required)");
    has(&err, "applicants.csv, row 4, column received_on: expected a date (a date cell, YYYY-MM-DD or MM/DD/YYYY) in received_on, found a blank cell (it is required)");
    has(&err, "applicants.csv, row 4, column signed: expected yes or no (also y/n, true/false, t/f, 1/0, x) in signed, found a blank cell (it is required)");
    has(&err, "applicants.csv, row 4, column us_citizen: expected yes or no (also y/n, true/false, t/f, 1/0, x) in us_citizen, found a blank cell (it is required)");
    count(&err, 5);
}

#[test]
fn score_row_without_an_id_names_the_id_cell() {
    let dir = Dir::new();
    clean(&dir, "");
    dir.write(
        "written.csv",
        "applicant_id,written\n1001,80\n,90\n#N/A,70\n1002,90\n",
    );
    let err = refused(&dir);
    has(
        &err,
        "written.csv, row 3, column applicant_id: expected an applicant_id, found a blank cell",
    );
    has(
        &err,
        "written.csv, row 4, column applicant_id: expected an applicant_id, found ",
    );
    has(&err, "#N/A");
    count(&err, 2);
}

#[test]
fn a_damaged_workbook_names_the_file() {
    let dir = Dir::new();
    clean(&dir, "");
    dir.write("written.xlsx", &dir.read("written.csv"));
    dir.write(
        "exam.toml",
        &exam_with_scores("[\"written.xlsx\", \"oral.csv\"]", ""),
    );
    let err = refused(&dir);
    has(
        &err,
        "written.xlsx: cannot open the workbook (is it damaged, or not really this file type?)",
    );
    count(&err, 1);
}

#[test]
fn an_applicant_missing_from_a_score_file_or_with_only_an_id_there_has_no_result() {
    let dir = Dir::new();
    small_exam(
        &dir,
        "",
        &[
            applicant("1001", "Able"),
            applicant("1002", "Baker"),
            applicant("1003", "Cole"),
        ],
        &["1001,80", "1002"],
        &["1001,80,80,80", "1002,90,90,90", "1003,90,90,90"],
    );
    dir.score().ok();
    assert_eq!(status(&dir, "1001"), "eligible");
    assert_eq!(status(&dir, "1002"), "incomplete");
    assert_eq!(codes(&dir, "1002"), "MISSING-written");
    assert_eq!(status(&dir, "1003"), "incomplete");
    assert_eq!(codes(&dir, "1003"), "MISSING-written");
}

/// A message quotes what the input holds; a control character there (an
/// ESC that would recolour or clear the terminal, a line break inside a
/// quoted CSV cell) is shown as `\u{XX}`, so each problem stays on its
/// own line and nothing in a file drives the terminal.
#[test]
fn control_characters_in_quoted_input_are_shown_escaped_one_problem_a_line() {
    let dir = Dir::new();
    clean(&dir, "");
    dir.write(
        "written.csv",
        "applicant_id,written\n1001,8\u{1b}[2J0\n1002,\"9\n0\"\n",
    );
    let err = refused(&dir);
    assert!(!err.contains('\u{1b}'), "a raw ESC reached stderr:\n{err}");
    has(&err, "found \"8\\u{1B}[2J0\"");
    has(&err, "found \"9\\u{A}0\"");
    count(&err, 2);
    assert_eq!(
        err.lines().count(),
        3,
        "one line a problem, then the count:\n{err}"
    );
}
