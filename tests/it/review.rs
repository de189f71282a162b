//! Review findings: each test states the behaviour SPEC.md asks for and
//! fails on the code as reviewed. Named after what it proves.

use crate::common::*;

const SCORES_LINE: &str = "scores = [\"written.csv\", \"oral.csv\"]\n";

/// The small exam (`common::EXAM`) with `lines` added to `[inputs]` and
/// `extra` appended.
fn exam_with_inputs(lines: &str, extra: &str) -> String {
    assert!(EXAM.contains(SCORES_LINE));
    format!(
        "{}{extra}",
        EXAM.replacen(SCORES_LINE, &format!("{SCORES_LINE}{lines}"), 1)
    )
}

/// Applicants 1001 (Able) and 1002 (Baker), both scored and eligible.
fn clean(dir: &Dir, extra: &str) {
    small_exam(
        dir,
        extra,
        &[applicant("1001", "Able"), applicant("1002", "Baker")],
        &["1001,80", "1002,90"],
        &["1001,80,80,80", "1002,90,90,90"],
    );
}

// ---------------------------------------------------------------------------
// SPEC 5: "reordering the rows of an input changes nothing but that input's
// hash in the audit block". Two findings of the same ground for one
// applicant (SPEC 3.3: counted once) have their notes joined in file order,
// so swapping the two rows changes the reasons in not-eligible.csv (and in
// result.json and the notice).

fn determinations_case(rows: &str) -> Dir {
    let dir = Dir::new();
    clean(&dir, "");
    dir.write(
        "exam.toml",
        &exam_with_inputs("determinations = \"determinations.csv\"\n", ""),
    );
    dir.write(
        "determinations.csv",
        &format!("applicant_id,ground,note,decided_on\n{rows}"),
    );
    dir.score().ok();
    dir
}

#[test]
fn reordering_determination_rows_of_one_ground_changes_no_output() {
    let a = determinations_case(
        "1002,A4,false employment dates,2026-10-15\n1002,A4,false address history,2026-10-16\n",
    );
    let b = determinations_case(
        "1002,A4,false address history,2026-10-16\n1002,A4,false employment dates,2026-10-15\n",
    );
    assert_eq!(a.field("not-eligible.csv", "1002", "codes"), "A4");
    assert_eq!(
        a.read("out/not-eligible.csv"),
        b.read("out/not-eligible.csv"),
        "the order of the rows of determinations.csv reached not-eligible.csv"
    );
}

// ---------------------------------------------------------------------------
// SPEC 2: "An unknown key ... is an input error (exit 2) naming the key."
// `[inputs.columns]` accepts any key: a typo in the canonical name
// (`certified_oficer`) is silently ignored, the vendor's column is then an
// unknown column, and every certified officer loses the 3 points
// (Examinations D) without a word, which can reorder the list.

#[test]
fn inputs_columns_alias_for_no_field_or_column_is_an_input_error() {
    let dir = Dir::new();
    clean(
        &dir,
        "\n[inputs.columns]\ncertified_oficer = \"POST Certified\"\n",
    );
    dir.write(
        "applicants.csv",
        "applicant_id,last_name,first_name,received_on,signed,us_citizen,POST Certified\n\
         1001,Able,Pat,2026-09-01,yes,yes,yes\n\
         1002,Baker,Pat,2026-09-01,yes,yes,no\n",
    );
    let run = dir.score();
    let err = run.invalid();
    assert!(
        err.contains("inputs.columns.certified_oficer"),
        "the message should name the key; stderr:\n{err}"
    );
    assert!(!dir.exists("out/eligibility-list.csv"));
}

// ---------------------------------------------------------------------------
// SPEC 3: "Blank rows are skipped ... Unknown columns are ignored, and so are
// error cells in them." A row whose only content is an error value in an
// ignored column (a vendor's lookup formula filled down past the data) is
// refused as a row without an applicant_id.

#[test]
fn row_holding_only_an_error_cell_in_an_ignored_column_is_skipped_as_blank() {
    let dir = Dir::new();
    clean(&dir, "");
    dir.write(
        "exam.toml",
        &EXAM.replacen("\"written.csv\"", "\"written.xlsx\"", 1),
    );
    dir.xlsx(
        "written.xlsx",
        &[(
            "Written",
            vec![
                vec![X::S("applicant_id"), X::S("written"), X::S("Roster check")],
                vec![X::I(1001), X::I(80), X::S("ok")],
                vec![X::I(1002), X::I(90), X::S("ok")],
                vec![X::Blank, X::Blank, X::E("#N/A")],
                vec![X::Blank, X::Blank, X::E("#N/A")],
            ],
        )],
    );
    let run = dir.score();
    run.ok();
    assert_eq!(dir.field("scores.csv", "1001", "written"), "80.00");
    assert_eq!(dir.field("scores.csv", "1002", "status"), "eligible");
}

// ---------------------------------------------------------------------------
// SPEC 3.2: scored values are numbers in 0..=max. The cell parser is the
// exam file's TOML number reader, which drops `_` digit separators, so the
// CSV cell `8_0` silently reads as 80 (and `7_5_0` with max 1000 as 750).

#[test]
fn score_cell_with_an_underscore_is_an_error_not_a_number() {
    let dir = Dir::new();
    clean(&dir, "");
    dir.write("written.csv", "applicant_id,written\n1001,8_0\n1002,90\n");
    let run = dir.score();
    let err = run.invalid();
    assert!(
        err.contains("written.csv, row 2, column written"),
        "stderr:\n{err}"
    );
}

// ---------------------------------------------------------------------------
// SPEC 1: bad input gives exit 2 with a sentence, never a panic. A `max`
// near the decimal range (accepted by the exam file) makes
// `rules::scaled` overflow `Decimal` multiplication and panic (exit 101).

#[test]
fn a_huge_component_max_is_refused_or_scored_never_a_panic() {
    let dir = Dir::new();
    clean(&dir, "");
    dir.write(
        "exam.toml",
        &EXAM.replacen(
            "name = \"written\"\n",
            "name = \"written\"\nmax = 1e27\n",
            1,
        ),
    );
    dir.write(
        "written.csv",
        "applicant_id,written\n1001,1e27\n1002,9e26\n",
    );
    let run = dir.score();
    assert!(
        run.code == 0 || run.code == 2,
        "expected exit 0 or 2, got {}; stderr:\n{}",
        run.code,
        run.stderr
    );
    assert!(!run.stderr.contains("panicked"), "stderr:\n{}", run.stderr);
}

// ---------------------------------------------------------------------------
// SPEC 3.1: a date column takes a date cell, a date-time cell (its date) or
// date text; "a plain number in a date column is an error, never a silent
// serial date". A time-only cell (`16:45`, serial 0.698 under a time
// format) is no date, yet reads as the epoch day 1899-12-30/31, so an
// application whose receipt was keyed as a time alone is filed in 1899:
// on time, never A7-LATE.

#[test]
fn time_only_cell_in_a_date_column_is_an_error_not_the_epoch_day() {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let dir = Dir::new();
    clean(&dir, "");
    dir.write(
        "exam.toml",
        &EXAM.replace("applicants.csv", "applicants.xlsx"),
    );
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("Sheet1").unwrap();
    let head = [
        "applicant_id",
        "last_name",
        "first_name",
        "received_on",
        "signed",
        "us_citizen",
    ];
    for (c, h) in head.iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    let date_fmt = Format::new().set_num_format("yyyy-mm-dd");
    let time_fmt = Format::new().set_num_format("hh:mm");
    for (r, (id, last)) in [(1001, "Able"), (1002, "Baker")].iter().enumerate() {
        let r = r as u32 + 1;
        ws.write_number(r, 0, *id as f64).unwrap();
        ws.write_string(r, 1, *last).unwrap();
        ws.write_string(r, 2, "Pat").unwrap();
        ws.write_string(r, 4, "yes").unwrap();
        ws.write_string(r, 5, "yes").unwrap();
    }
    ws.write_datetime_with_format(
        1,
        3,
        ExcelDateTime::from_ymd(2026, 9, 1).unwrap(),
        &date_fmt,
    )
    .unwrap();
    // 1002's receipt keyed as a time of day only.
    ws.write_datetime_with_format(2, 3, ExcelDateTime::from_hms(16, 45, 0).unwrap(), &time_fmt)
        .unwrap();
    dir.write_bytes("applicants.xlsx", &wb.save_to_buffer().unwrap());
    let run = dir.score();
    let err = run.invalid();
    assert!(
        err.contains("applicants.xlsx, sheet Sheet1, cell D3"),
        "stderr:\n{err}"
    );
}

// ---------------------------------------------------------------------------
// SPEC 1: errors "say what was expected and what was found". When a score
// file holds some but not all of a component's rater columns, the run also
// says that *no* score file provides the component, which contradicts the
// (correct) message about the missing rater column in the same output.

#[test]
fn a_partly_present_component_is_not_also_reported_as_provided_by_no_file() {
    let dir = Dir::new();
    clean(&dir, "");
    dir.write(
        "oral.csv",
        "applicant_id,oral_r1,oral_r2,oral_r_3\n1001,80,80,80\n1002,90,90,90\n",
    );
    let run = dir.score();
    let err = run.invalid();
    assert!(
        err.contains("this file has some of them but not oral_r3"),
        "stderr:\n{err}"
    );
    assert!(
        !err.contains("no score file provides the component oral"),
        "contradictory message; stderr:\n{err}"
    );
}

// ---------------------------------------------------------------------------
// Documents are print-ready: the Not eligible sheet's rows grow with their
// reasons, but Excel's tallest row is 409 points. A Board's note of 3,900
// characters on a determination asked for a row of 652 points, which
// Excel does not open as written.

#[test]
fn a_long_determination_note_never_asks_excel_for_a_row_over_409_points() {
    let note = "the Board's finding at length. ".repeat(130);
    let dir = determinations_case(&format!("1002,A4,{note},2026-10-15\n"));
    assert_eq!(dir.field("not-eligible.csv", "1002", "codes"), "A4");
    let f = std::fs::File::open(dir.path("out/eligibility-list.xlsx")).unwrap();
    let mut z = zip::ZipArchive::new(f).unwrap();
    let mut heights = Vec::new();
    for i in 0..z.len() {
        let mut part = z.by_index(i).unwrap();
        if !part.name().unwrap().starts_with("xl/worksheets/sheet") {
            continue;
        }
        let mut xml = String::new();
        std::io::Read::read_to_string(&mut part, &mut xml).unwrap();
        for h in xml.split(" ht=\"").skip(1) {
            heights.push(h[..h.find('"').unwrap()].parse::<f64>().unwrap());
        }
    }
    assert!(heights.iter().any(|h| *h > 300.0), "{heights:?}");
    assert!(heights.iter().all(|h| *h <= 409.0), "{heights:?}");
}
