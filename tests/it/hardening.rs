//! The bad-input catalogue (issue 7): one committed exam folder per case
//! under `tests/fixtures/bad/`, each a small complete exam with exactly one
//! defect, written by `tests/fixtures/bad/make.py`. Each test copies its
//! folder, runs the real binary, and asserts the decided behaviour: exit 2
//! with the exact place (file, sheet and cell, or CSV row and column) and
//! nothing written; or exit 0 where the decision is to read the file as it
//! stands (hidden rows, a formula's saved value, ...). The README beside the
//! fixtures gives every case, its decision and why. Cases that
//! `errors.rs` already pins are listed there with the test that pins them,
//! and only checked here as committed files (`referenced_fixtures_…`).

use crate::common::*;
use std::path::PathBuf;
use std::process::Command;

// ---------------------------------------------------------------------------
// Helpers

fn bad_dir() -> PathBuf {
    repo().join("tests/fixtures/bad")
}

/// A copy of one case's exam folder.
fn case(name: &str) -> Dir {
    let from = bad_dir().join(name);
    assert!(from.is_dir(), "no fixture folder {}", from.display());
    let dir = Dir::new();
    copy_dir(&from, dir.tmp.path());
    dir
}

/// `score` must refuse with exit 2 and write nothing, and `check` must
/// report exactly the same; returns stderr.
fn refused(name: &str) -> String {
    let dir = case(name);
    let run = dir.score();
    let err = run.invalid().to_string();
    assert!(
        dir.out_files().is_empty(),
        "score wrote {:?} although the input is invalid",
        dir.out_files()
    );
    let check = dir.run(&["check", "exam.toml"]);
    assert_eq!(check.code, 2, "check: {}", check.stderr);
    assert_eq!(check.stderr, err, "check and score report differently");
    err
}

/// `score` must succeed; returns the folder to inspect.
fn accepted(name: &str) -> Dir {
    let dir = case(name);
    dir.score().ok();
    dir
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

#[track_caller]
fn count(err: &str, n: usize) {
    let line = if n == 1 {
        "1 problem found; nothing was written.".to_string()
    } else {
        format!("{n} problems found; nothing was written.")
    };
    has(err, &line);
}

fn status(dir: &Dir, id: &str) -> String {
    dir.field("scores.csv", id, "status")
}

// ---------------------------------------------------------------------------
// Workbooks that cannot be opened

#[test]
fn truncated_xlsx_names_the_file_as_damaged() {
    let err = refused("xlsx-truncated");
    has(
        &err,
        "written.xlsx: cannot open the workbook (is it damaged, or not really this file type?)",
    );
    count(&err, 1);
}

#[test]
fn xlsx_whose_sheet_xml_breaks_off_names_the_file_and_sheet() {
    // The workbook opens; its sheet's XML ends in the middle of row 3.
    let err = refused("xlsx-damaged-sheet-xml");
    has(&err, "written.xlsx, sheet Scores: ");
    has(&err, "damaged");
    lacks(&err, "cannot open the workbook");
    count(&err, 1);
}

#[test]
fn xlsx_without_its_sheet_part_names_the_file_and_sheet() {
    let err = refused("xlsx-missing-sheet-part");
    has(&err, "written.xlsx, sheet Scores: ");
    has(&err, "damaged");
    lacks(&err, "cannot open the workbook");
    count(&err, 1);
}

#[test]
fn xlsx_with_a_shared_string_past_the_table_names_the_file_and_sheet() {
    let err = refused("xlsx-shared-string-out-of-range");
    has(&err, "written.xlsx, sheet Scores: ");
    has(&err, "damaged");
    lacks(&err, "cannot open the workbook");
    count(&err, 1);
}

#[test]
fn password_protected_workbook_says_so_and_asks_for_an_unprotected_copy() {
    let err = refused("xlsx-encrypted");
    has(
        &err,
        "written.xlsx: the workbook is password-protected or encrypted; save an unprotected copy",
    );
    count(&err, 1);
}

/// Found by fuzzing (fuzz/README.md, finding 6): on a password-protected
/// workbook cut off part way (an interrupted copy), calamine panicked in its
/// compound-file reader, and meritlist said "internal error ... a bug in
/// meritlist" with exit 1. A damaged file is the user's to replace: exit 2,
/// the file named, nothing written, like any other damaged workbook.
#[test]
fn truncated_password_protected_workbook_names_the_file_as_damaged() {
    let damaged = "written.xlsx: cannot open the workbook (is it damaged, or not really this file type?): the spreadsheet reader stopped on it (";
    let err = refused("xlsx-encrypted-truncated");
    has(&err, damaged);
    has(&err, "slice index");
    lacks(&err, "internal error");
    count(&err, 1);
    // Cut elsewhere, calamine fails on another line (an assertion on a
    // sector's length); the report is the same.
    let whole = std::fs::read(bad_dir().join("xlsx-encrypted/written.xlsx")).unwrap();
    for cut in [514, 642] {
        let dir = case("xlsx-encrypted-truncated");
        dir.write_bytes("written.xlsx", &whole[..cut]);
        let run = dir.score();
        let err = run.invalid();
        has(err, damaged);
        has(err, "assertion");
        lacks(err, "internal error");
        count(err, 1);
        assert!(dir.out_files().is_empty());
    }
}

#[test]
fn word_document_named_xlsx_names_the_file() {
    let err = refused("xlsx-is-a-word-document");
    has(
        &err,
        "written.xlsx: cannot open the workbook (is it damaged, or not really this file type?)",
    );
    count(&err, 1);
}

/// Not a defect: an Excel 97-2003 workbook is read as an xlsx is (a title
/// line above the header, a number, a number stored as text; a column no
/// component reads is ignored). No other test reads a real .xls.
#[test]
fn excel_97_2003_workbook_is_read_like_an_xlsx() {
    let dir = accepted("xls-workbook");
    assert_eq!(dir.field("scores.csv", "1001", "written"), "80.00");
    assert_eq!(dir.field("scores.csv", "1002", "written"), "90.50");
    assert_eq!(dir.field("scores.csv", "1002", "final_score"), "90.30");
}

/// Not a defect: an Excel binary workbook (.xlsb) is read as an xlsx is,
/// with a defined name calamine writes out when it opens the file. No
/// other test reads a real .xlsb.
#[test]
fn excel_binary_workbook_is_read_like_an_xlsx() {
    let dir = accepted("xlsb-workbook");
    assert_eq!(dir.field("scores.csv", "1001", "written"), "80.00");
    assert_eq!(dir.field("scores.csv", "1002", "written"), "90.50");
    assert_eq!(dir.field("scores.csv", "1002", "final_score"), "90.30");
}

// fuzz/README.md findings 22-24: calamine's .xlsb reader writes out every
// defined name's formula when it opens the file, inserting brackets one at
// a time at the front (25 s for the 2 KB file) and calling itself for a
// formula inside a formula (10,000 deep: the stack overflowed, abort), and
// holds the shared strings whole (1.5 GB for the 1 MB file).
#[test]
fn xlsb_that_would_take_minutes_or_gigabytes_or_the_stack_is_refused() {
    for (case_name, expected) in [
        (
            "xlsb-name-formula-quadratic",
            "its defined names' formulas would take the spreadsheet reader more than 64 MB of text or 4 thousand million steps to write out, which it does when it opens the file: no real workbook's take a thousandth of that; the file is damaged or was not written by a spreadsheet program: ask for a fresh copy, or save it as .xlsx",
        ),
        (
            "xlsb-name-formula-nested",
            "a defined name's formula holds formulas nested more than 64 deep, which the spreadsheet reader writes out by calling itself once for each, and would run out of stack; no spreadsheet program writes this; the file is damaged: ask for a fresh copy",
        ),
        (
            "xlsb-record-cut-off",
            "its part xl/worksheets/sheet1.bin is cut off inside a record that claims 268,435,455 bytes where 0 are left, and the spreadsheet reader would set aside room for all of it first; the file is damaged: ask for a fresh copy",
        ),
        (
            "xlsb-shared-strings-huge",
            "its parts read when it is opened (the workbook, shared strings and styles) come to 953 MB unpacked, more than the 128 MB meritlist lets the spreadsheet reader hold (an exam's workbook needs some tens of MB at most); the file is damaged or was not written by a spreadsheet program: ask for a fresh copy",
        ),
    ] {
        let dir = case(case_name);
        let err = score_with_memory_limit(&dir).invalid().to_string();
        has(
            &err,
            &format!("written.xlsb: cannot open the workbook (is it damaged, or not really this file type?): {expected}"),
        );
        count(&err, 1);
        assert!(dir.out_files().is_empty(), "{case_name}");
        assert_eq!(refused(case_name), err);
    }
}

#[test]
fn xlsx_workbook_named_xls_names_the_file() {
    let err = refused("xls-is-really-xlsx");
    has(
        &err,
        "written.xls: cannot open the workbook (is it damaged, or not really this file type?)",
    );
    count(&err, 1);
}

#[test]
fn web_page_saved_as_xls_names_the_file() {
    let err = refused("xls-is-really-html");
    has(
        &err,
        "written.xls: cannot open the workbook (is it damaged, or not really this file type?)",
    );
    count(&err, 1);
}

// ---------------------------------------------------------------------------
// Sheets

#[test]
fn sheet_named_in_another_case_is_read() {
    // `written.xlsx#scores` for the sheet "Scores": Excel itself treats
    // sheet names without regard to case.
    let dir = accepted("sheet-name-other-case");
    assert_eq!(dir.field("scores.csv", "1002", "written"), "90.00");
}

#[test]
fn empty_sheet_names_the_sheet() {
    let err = refused("sheet-empty");
    has(
        &err,
        "written.xlsx, sheet Scores: expected a header row with an applicant_id column, found the sheet is empty",
    );
    count(&err, 1);
}

#[test]
fn empty_csv_says_the_file_is_empty() {
    let err = refused("csv-empty");
    has(
        &err,
        "written.csv: expected a header row with an applicant_id column, found an empty file",
    );
    lacks(&err, "sheet");
    count(&err, 1);
}

#[test]
fn hidden_first_sheet_is_not_read_by_default() {
    // Last cycle's scores sit in a hidden first sheet with the same
    // headers: reading it would fail both applicants without a word.
    let err = refused("first-sheet-hidden");
    has(
        &err,
        "written.xlsx: the first sheet, \"Lookup\", is hidden; name the sheet to read in the exam file",
    );
    has(&err, "written.xlsx#Scores");
    count(&err, 1);
}

// ---------------------------------------------------------------------------
// Merged cells, hidden rows and columns

#[test]
fn merged_title_above_the_header_is_fine() {
    let dir = accepted("merged-title-above-header");
    assert_eq!(dir.field("scores.csv", "1001", "written"), "80.00");
    assert_eq!(dir.field("scores.csv", "1002", "written"), "90.00");
}

#[test]
fn merged_header_cells_name_the_range() {
    // "Written" centred over B1:C1; the scores are under C, which has no
    // header of its own: read as it stands, everyone would be incomplete.
    let err = refused("merged-header-cells");
    has(
        &err,
        "written.xlsx, sheet Scores, cell B1: the cells B1:C1 are merged",
    );
    count(&err, 1);
}

#[test]
fn merged_data_cells_name_the_range() {
    // One score merged down over two applicants: only B2 holds a value.
    let err = refused("merged-data-cells");
    has(
        &err,
        "written.xlsx, sheet Scores, cell B2: the cells B2:B3 are merged",
    );
    count(&err, 1);
}

/// The same in an .xls, read whole rather than cell by cell: its merges
/// were not looked at before.
#[test]
fn merged_data_cells_in_an_xls_name_the_range() {
    let err = refused("xls-merged-data-cells");
    has(
        &err,
        "written.xls, sheet Scores, cell B2: the cells B2:B3 are merged",
    );
    count(&err, 1);
}

#[test]
fn hidden_rows_are_read_like_any_row() {
    let dir = accepted("hidden-rows");
    assert_eq!(dir.field("scores.csv", "1002", "written"), "90.00");
    assert_eq!(status(&dir, "1002"), "eligible");
}

#[test]
fn hidden_columns_are_read_like_any_column() {
    let dir = accepted("hidden-columns");
    assert_eq!(dir.field("scores.csv", "1001", "written"), "80.00");
    assert_eq!(dir.field("scores.csv", "1002", "written"), "90.00");
}

// ---------------------------------------------------------------------------
// Formulas

#[test]
fn formula_without_a_saved_value_names_its_cell() {
    // `<f>45*2</f>` and no `<v>`: a file written by a program that does
    // not calculate. Read as blank, 1002 would be incomplete.
    let err = refused("formula-without-cached-value");
    has(
        &err,
        "written.xlsx, sheet Scores, cell B3: expected a score from 0 to 100 for written, found a formula",
    );
    has(&err, "no saved value");
    count(&err, 1);
}

#[test]
fn formula_with_a_saved_value_reads_the_value() {
    let dir = accepted("formula-with-cached-value");
    assert_eq!(dir.field("scores.csv", "1002", "written"), "90.00");
}

// ---------------------------------------------------------------------------
// Size claims

/// Runs `meritlist score` under a 1 GiB address-space limit: a reader that
/// sized anything by the sheet's claimed dimension (16,384 × 1,048,576
/// cells) would fail to allocate.
fn score_with_memory_limit(dir: &Dir) -> Run {
    let out = Command::new("sh")
        .arg("-c")
        // A minute at most: an input that made a reader go round for ever
        // fails here (exit 124) rather than holding up the test run.
        .arg("ulimit -v 1048576 && exec timeout 60 \"$0\" score exam.toml -o out")
        .arg(env!("CARGO_BIN_EXE_meritlist"))
        .current_dir(dir.tmp.path())
        .env("RAYON_NUM_THREADS", "2")
        .output()
        .expect("run meritlist");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

#[test]
fn sheet_claiming_a_huge_dimension_is_read_in_bounded_memory() {
    let dir = case("huge-dimension");
    score_with_memory_limit(&dir).ok();
    assert_eq!(dir.field("scores.csv", "1002", "written"), "90.00");
}

#[test]
fn stray_cell_at_the_last_cell_of_the_sheet_is_ignored_in_bounded_memory() {
    let dir = case("stray-cell-far-away");
    score_with_memory_limit(&dir).ok();
    assert_eq!(dir.field("scores.csv", "1002", "written"), "90.00");
}

// Found by fuzzing (fuzz/README.md, findings 1, 3 and 4): positions no
// spreadsheet program writes are refused at the sheet, in bounded memory.

#[test]
fn cell_past_the_last_column_is_refused_in_bounded_memory() {
    let dir = case("cell-past-last-column");
    let err = score_with_memory_limit(&dir).invalid().to_string();
    has(
        &err,
        "written.xlsx, sheet Scores: a cell in row 2 is stored past column XFD, the last column a sheet can have; the file is damaged or was not written by a spreadsheet program",
    );
    count(&err, 1);
    assert!(dir.out_files().is_empty());
    assert_eq!(refused("cell-past-last-column"), err);
}

// Found by fuzzing (fuzz/README.md, finding 5): calamine reserved room for
// the claimed number of shared strings before reading one, and the failed
// allocation aborted the process with no message (exit 134).
#[test]
fn shared_strings_table_claiming_trillions_is_refused_not_an_abort() {
    let dir = case("shared-strings-count-huge");
    let err = score_with_memory_limit(&dir).invalid().to_string();
    has(
        &err,
        "written.xlsx: its shared-strings table (xl/sharedStrings.xml) claims 99999999999999 strings, more than its 223 bytes can hold; the file is damaged or was not written by a spreadsheet program",
    );
    count(&err, 1);
    assert!(dir.out_files().is_empty());
    assert_eq!(refused("shared-strings-count-huge"), err);
}

// Found by fuzzing (fuzz/README.md, finding 30): the same claim in a
// table whose declared size is short of what it unpacks to. The zip reader
// fails the read that passes the declared size, giving none of it;
// calamine reads 8 KB at a time and has the claim before that, while the
// scan read 64 KB at a time and saw nothing: the old binary aborted.
#[test]
fn shared_strings_table_failing_after_its_claim_is_refused_not_an_abort() {
    let dir = case("shared-strings-declared-short");
    let err = score_with_memory_limit(&dir).invalid().to_string();
    has(
        &err,
        "written.xlsx: its shared-strings table (xl/sharedStrings.xml) claims 99999999999999 strings, more than its 8192 bytes can hold; the file is damaged or was not written by a spreadsheet program",
    );
    count(&err, 1);
    assert!(dir.out_files().is_empty());
    assert_eq!(refused("shared-strings-declared-short"), err);
}

// Found reviewing the readers of a part after fuzzing found finding 30
// (fuzz/README.md, finding 31): the .xlsb check read the workbook part
// through `take` to its end, and lost the last read whole when the part
// runs past its declared size; calamine had read a name 10,000 deep from
// that stretch and run out of stack (the old binary: exit 134).
#[test]
fn xlsb_workbook_part_failing_after_a_nested_name_is_refused_not_an_abort() {
    let dir = case("xlsb-workbook-declared-short");
    let err = score_with_memory_limit(&dir).invalid().to_string();
    has(
        &err,
        "written.xlsb: cannot open the workbook (is it damaged, or not really this file type?): a defined name's formula holds formulas nested more than 64 deep",
    );
    count(&err, 1);
    assert!(dir.out_files().is_empty());
    assert_eq!(refused("xlsb-workbook-declared-short"), err);
}

// Found writing whole-file seeds for the xlsb_rows fuzz target (fuzz/
// README.md, finding 32): the zip reader checks a part's checksum only
// when its end is read, and calamine stops reading a part where its data
// ends. One changed byte in a stored part was read without a word: the old
// binary took 1002's late application as on time, and 1001's 80 as 30.
#[test]
fn workbook_part_failing_its_checksum_is_refused_not_read() {
    for (case_name, file, part) in [
        (
            "xlsx-part-checksum-wrong",
            "applicants.xlsx",
            "xl/workbook.xml",
        ),
        (
            "xlsb-part-checksum-wrong",
            "written.xlsb",
            "xl/worksheets/sheet1.bin",
        ),
    ] {
        let dir = case(case_name);
        let err = score_with_memory_limit(&dir).invalid().to_string();
        has(
            &err,
            &format!("{file}: cannot open the workbook (is it damaged, or not really this file type?): its part {part} is damaged: its contents do not match the checksum recorded for it, so what it holds cannot be trusted; ask for a fresh copy"),
        );
        count(&err, 1);
        assert!(dir.out_files().is_empty(), "{case_name}");
        assert_eq!(refused(case_name), err);
    }
}

// Found by fuzzing (fuzz/README.md, finding 7): calamine followed a
// compound file's chain of sectors that loops back on itself, growing a
// buffer until the memory was gone (an 11 KB file took every gigabyte).
#[test]
fn compound_file_whose_sectors_loop_is_refused_in_bounded_memory() {
    let expected = "cannot open the workbook (is it damaged, or not really this file type?): its table of sectors is damaged: the chain through sector 1 comes back to sector 1 and never ends (no spreadsheet program writes this)";
    let dir = case("xls-compound-file-loop");
    let err = score_with_memory_limit(&dir).invalid().to_string();
    has(&err, &format!("written.xls: {expected}"));
    count(&err, 1);
    assert!(dir.out_files().is_empty());
    assert_eq!(refused("xls-compound-file-loop"), err);
    // The same file named .xlsx (calamine opens a compound file to see
    // whether it is a password-protected workbook): the same answer.
    let dir = case("xls-compound-file-loop");
    let bytes = std::fs::read(dir.path("written.xls")).unwrap();
    dir.write_bytes("written.xlsx", &bytes);
    let exam = dir
        .read("exam.toml")
        .replace("written.xls\"", "written.xlsx\"");
    dir.write("exam.toml", &exam);
    let err = score_with_memory_limit(&dir).invalid().to_string();
    has(&err, &format!("written.xlsx: {expected}"));
    count(&err, 1);
}

// Found by fuzzing (fuzz/README.md, finding 8): calamine reserved room for
// every cell an .xls sheet's DIMENSIONS record claims before reading one,
// and the process aborted on the allocation, naming no file.
#[test]
fn xls_sheet_claiming_more_rows_than_an_xls_has_is_refused_in_bounded_memory() {
    let dir = case("xls-dimensions-claim-huge");
    let err = score_with_memory_limit(&dir).invalid().to_string();
    has(
        &err,
        "written.xls: cannot open the workbook (is it damaged, or not really this file type?): its sheet 1 claims 4,294,967,280 rows and 2 columns, more than an .xls sheet has (65,536 rows, 256 columns); no spreadsheet program writes this: ask for a fresh copy, or open it in Excel or LibreOffice and save it as .xlsx",
    );
    count(&err, 1);
    assert!(dir.out_files().is_empty());
    assert_eq!(refused("xls-dimensions-claim-huge"), err);
}

// Found by fuzzing (fuzz/README.md, finding 9): calamine holds an .xls
// sheet as one block from its first cell to its farthest, so one number in
// column 60,001 asked for gigabytes.
#[test]
fn xls_cell_far_away_is_refused_in_bounded_memory() {
    let dir = case("xls-cell-far-away");
    let err = score_with_memory_limit(&dir).invalid().to_string();
    has(
        &err,
        "written.xls: cannot open the workbook (is it damaged, or not really this file type?): its sheets span 3,932,225,536 cells from their first cells to their farthest (sheet 1: A1 to CJSS65536), more than the 4,194,304 (65,536 rows × 64 columns) meritlist reads from an .xls, whose reader holds every cell of the span in memory; save it as .xlsx, which is read cell by cell, or delete a stray entry far from the data; a damaged file: ask for a fresh copy",
    );
    count(&err, 1);
    assert!(dir.out_files().is_empty());
    assert_eq!(refused("xls-cell-far-away"), err);
}

// fuzz/README.md finding 16: calamine's .xls reader gives every cell that
// shows a shared string its own copy; this 620 KB file's 40,000 copies of
// one 32,767-letter string (1.3 GB) aborted the process under this limit.
#[test]
fn xls_shared_string_in_many_cells_is_refused_in_bounded_memory() {
    let dir = case("xls-shared-string-in-many-cells");
    let err = score_with_memory_limit(&dir).invalid().to_string();
    has(
        &err,
        "written.xls: cannot open the workbook (is it damaged, or not really this file type?): its cells would hold up to 1,250 MB of text when read (counted to the end of sheet 1), more than the 64 MB meritlist reads from an .xls, whose reader gives every cell its own copy of a string the workbook shares among cells; save it as .xlsx, which is read cell by cell; if the file is damaged, ask for a fresh copy",
    );
    count(&err, 1);
    assert!(dir.out_files().is_empty());
    assert_eq!(refused("xls-shared-string-in-many-cells"), err);
}

// fuzz/README.md findings 17-19: calamine's .xls reader writes out a
// formula's spaces one at a time at the front of its text, takes the
// shared strings' CONTINUE records one at a time from the front of a list,
// and reads a sheet again for every time the workbook names its start; the
// time grows with the square of the input's length (the old binary:
// 510 s for the 68 KB formula, 17.6 s and 5.0 s for the 1 MB files).
#[test]
fn xls_that_would_take_minutes_to_open_is_refused_at_once() {
    for (case_name, expected) in [
        (
            "xls-formula-spaces-quadratic",
            "its formulas would take the .xls reader more than 4 thousand million steps to write out as text (counted to the end of sheet 1; the longest at B3), which it does for every formula when it opens the file: no real formula takes a thousandth of that; the file is damaged or was not written by a spreadsheet program: ask for a fresh copy, or save it as .xlsx",
        ),
        (
            "xls-sheet-named-many-times",
            "its 1,000 sheets' records overlap (a sheet starts inside another), so that the .xls reader would read 21.0 MB of records from a workbook of 1.0 MB, reading each sheet from its start to its end; the file is damaged or was not written by a spreadsheet program: ask for a fresh copy, or open it in Excel or LibreOffice and save it as .xlsx",
        ),
        (
            "xls-shared-strings-continued-too-often",
            "its shared strings run on into 250,000 CONTINUE records, more than the 16,384 (134 MB of text) meritlist lets the .xls reader take, which handles each at a cost that grows with their number; the file is damaged or was not written by a spreadsheet program: ask for a fresh copy, or open it in Excel or LibreOffice and save it as .xlsx",
        ),
    ] {
        let dir = case(case_name);
        let err = score_with_memory_limit(&dir).invalid().to_string();
        has(
            &err,
            &format!("written.xls: cannot open the workbook (is it damaged, or not really this file type?): {expected}"),
        );
        count(&err, 1);
        assert!(dir.out_files().is_empty(), "{case_name}");
        assert_eq!(refused(case_name), err);
    }
}

// fuzz/README.md findings 20, 21 and 26-28: calamine reserves room for
// shared formulas up to the number a formula gives (the 2 KB file filled
// 22 GB and was killed), writes a shared formula out again for every cell
// that shares it (the 54 KB file: 1 GB of formula text, 25 s), and lists
// every merged cell (20,000,000 in a 1.2 MB file: 2 GB); the checks must
// reach a sheet stored outside the worksheets' folder (28) and the
// worksheets after a part that cannot be opened (27).
#[test]
fn xlsx_shared_formulas_calamine_cannot_afford_are_refused_in_bounded_memory() {
    for (case_name, expected) in [
        (
            "xlsx-shared-formula-numbered-huge",
            "its part xl/worksheets/sheet1.xml numbers a shared formula 1,000,000,000, and the spreadsheet reader would first reserve room for that many shared formulas (some 37 GB); a spreadsheet program numbers them from 0, one for each group of cells that share a formula, and meritlist reads at most 1,048,576; the file is damaged or was not written by a spreadsheet program: ask for a fresh copy",
        ),
        (
            "xlsx-merged-cells-huge",
            "its part xl/worksheets/sheet1.xml lists 2,000,002 merged cells, more than the 1,048,576 meritlist lets the spreadsheet reader hold (a sheet of applicants has a few); the file is damaged or was not written by a spreadsheet program: ask for a fresh copy",
        ),
        (
            "xlsx-sheet-outside-worksheets-merged-huge",
            "its part xl/data/scores.xml lists 2,000,002 merged cells, more than the 1,048,576 meritlist lets the spreadsheet reader hold (a sheet of applicants has a few); the file is damaged or was not written by a spreadsheet program: ask for a fresh copy",
        ),
        (
            "xlsx-sheet-without-target",
            "its part xl/ numbers a shared formula 1,000,000,000, and the spreadsheet reader would first reserve room for that many shared formulas (some 37 GB); a spreadsheet program numbers them from 0, one for each group of cells that share a formula, and meritlist reads at most 1,048,576; the file is damaged or was not written by a spreadsheet program: ask for a fresh copy",
        ),
        (
            "xlsx-damaged-part-before-worksheets",
            "its part xl/worksheets/sheet1.xml numbers a shared formula 1,000,000,000, and the spreadsheet reader would first reserve room for that many shared formulas (some 37 GB); a spreadsheet program numbers them from 0, one for each group of cells that share a formula, and meritlist reads at most 1,048,576; the file is damaged or was not written by a spreadsheet program: ask for a fresh copy",
        ),
        (
            "xlsx-shared-formula-copied-huge",
            "its part xl/worksheets/sheet1.xml has cells that share formulas the spreadsheet reader would write out again for every cell, more than 128 MB of formula text in all (a million cells sharing a formula of 100 characters come to 100 MB); the file is damaged or was not written by a spreadsheet program: ask for a fresh copy",
        ),
    ] {
        let dir = case(case_name);
        let err = score_with_memory_limit(&dir).invalid().to_string();
        has(
            &err,
            &format!("written.xlsx: cannot open the workbook (is it damaged, or not really this file type?): {expected}"),
        );
        count(&err, 1);
        assert!(dir.out_files().is_empty(), "{case_name}");
        assert_eq!(refused(case_name), err);
    }
}

// Found by reading calamine's .ods reader (fuzz/README.md, findings 11-13):
// it copies out rows and cells marked as repeated, and runs of spaces, in
// full, and reads on for ever past the end of a table. Each file is under
// 1 KB; each aborted the process or never finished.
#[test]
fn ods_that_would_take_gigabytes_or_never_finish_is_refused_in_bounded_memory() {
    for (case_name, expected) in [
        (
            "ods-rows-repeated-huge",
            "its sheets would fill more than 4,194,304 cells (65,536 rows × 64 columns) when read, as the .ods reader copies out rows and cells marked as repeated and holds them all, far more than an exam's file; save it as .xlsx, which is read cell by cell; if the file is damaged, ask for a fresh copy",
        ),
        (
            "ods-spaces-huge",
            "its cells would hold more than 64 MB of text when read, as the .ods reader copies out rows and cells marked as repeated, and runs of spaces, far more than an exam's file",
        ),
        (
            "ods-cut-inside-table",
            "its content.xml ends inside a table, and the .ods reader would read on for ever; the file is cut off or damaged: ask for a fresh copy, or open it in LibreOffice and save it again",
        ),
    ] {
        let dir = case(case_name);
        let err = score_with_memory_limit(&dir).invalid().to_string();
        has(
            &err,
            &format!("written.ods: cannot open the workbook (is it damaged, or not really this file type?): {expected}"),
        );
        count(&err, 1);
        assert!(dir.out_files().is_empty(), "{case_name}");
        assert_eq!(refused(case_name), err);
    }
}

// Found by reading calamine's .xlsx reader (fuzz/README.md, finding 14):
// the XML reader holds each tag and run of text whole, and one letter
// repeated deflates a thousand to one. Each file is about 300 KB and holds
// a 300 MB piece (a cell's text; an attribute); each aborted the process
// under this limit.
#[test]
fn workbook_with_a_piece_of_xml_too_long_to_hold_is_refused_in_bounded_memory() {
    for (case_name, file, part) in [
        (
            "xlsx-cell-text-huge",
            "written.xlsx",
            "xl/worksheets/sheet1.xml",
        ),
        ("ods-attribute-huge", "written.ods", "content.xml"),
    ] {
        let dir = case(case_name);
        let err = score_with_memory_limit(&dir).invalid().to_string();
        has(
            &err,
            &format!("{file}: cannot open the workbook (is it damaged, or not really this file type?): its part {part} holds a single piece of XML (a tag or a run of text) longer than 64 MB, far longer than any spreadsheet program writes (a cell holds at most 32,767 characters), and the spreadsheet reader would hold all of it at once; the file is damaged or was not written by a spreadsheet program: ask for a fresh copy"),
        );
        count(&err, 1);
        assert!(dir.out_files().is_empty(), "{case_name}");
        assert_eq!(refused(case_name), err);
    }
}

// The same kind: calamine holds every shared string (and style) when it
// opens a workbook; 1.5 GB of shared strings in a 4 MB file aborted the
// process under this limit. The catalogue's file holds 135 MB (140,000 strings of 1,000 letters).
#[test]
fn workbook_whose_shared_strings_are_too_large_to_hold_is_refused_in_bounded_memory() {
    let dir = case("xlsx-shared-strings-huge");
    let err = score_with_memory_limit(&dir).invalid().to_string();
    has(
        &err,
        "written.xlsx: cannot open the workbook (is it damaged, or not really this file type?): its parts other than the worksheets come to 135 MB unpacked (the largest, xl/sharedStrings.xml, 135 MB), more than the 128 MB meritlist lets the spreadsheet reader hold when it opens a workbook (shared strings, styles and the like; an exam's workbook needs some tens of MB at most); the file is damaged or was not written by a spreadsheet program: ask for a fresh copy",
    );
    count(&err, 1);
    assert!(dir.out_files().is_empty());
    assert_eq!(refused("xlsx-shared-strings-huge"), err);
}

#[test]
fn cell_reference_too_long_for_calamine_is_refused_not_a_panic() {
    let err = refused("cell-reference-overflows");
    has(
        &err,
        "written.xlsx, sheet Scores: a cell is stored past row 1,048,576, the last row a sheet can have",
    );
    lacks(&err, "internal error");
    count(&err, 1);
}

#[test]
fn rows_stored_out_of_order_are_refused_not_dropped() {
    let err = refused("rows-out-of-order");
    has(
        &err,
        "written.xlsx, sheet Scores: row 1 is stored after row 2, out of order",
    );
    count(&err, 1);
}

#[test]
fn a_data_row_sorted_above_the_header_is_refused_not_dropped() {
    let err = refused("data-row-above-header");
    has(
        &err,
        "written.xlsx, sheet Scores, row 1: this row is above the header row (row 2) but looks like an applicant's: ID \"1001\" and values under 2 of the header's 2 columns (\"applicant_id\", \"written\"); rows above the header are read as a title and skipped, so this applicant would be lost. Move the row below the header row",
    );
    count(&err, 1);
}

#[test]
fn an_applicant_typed_above_the_header_is_refused_not_dropped() {
    let err = refused("applicant-row-above-header");
    has(
        &err,
        "applicants.csv, row 2: this row is above the header row (row 3) but looks like an applicant's: ID \"1001\" and values under 10 of the header's 12 columns (\"applicant_id\", \"last_name\", \"first_name\", \"delivery\", …)",
    );
    // The title line above it is not: a title is skipped as before.
    lacks(&err, "row 1:");
    // Its score rows now name an unknown applicant: the same cause.
    has(&err, "written.csv, row 2, column applicant_id: expected an applicant_id from the applicants file (applicants.csv), found 1001, which is not there");
    count(&err, 3);
}

#[test]
fn csv_with_cr_only_line_endings_is_read_and_rows_numbered() {
    let err = refused("csv-cr-only-line-endings");
    has(
        &err,
        "written.csv, row 3, column written: expected a score from 0 to 100 for written, found \"9O\"",
    );
    count(&err, 1);
}

// ---------------------------------------------------------------------------
// Dates

#[test]
fn committed_1904_workbook_reads_its_dates() {
    // Hand-written 1904-system workbook (errors.rs converts one made by the
    // harness): received on the deadline is on time, the day after is late.
    let dir = accepted("date1904");
    assert_eq!(status(&dir, "1001"), "eligible");
    assert_eq!(dir.field("not-eligible.csv", "1002", "codes"), "A7-LATE");
}

#[test]
fn received_date_decades_after_the_list_date_is_refused() {
    // 2086 for 2026: a typo that would otherwise disqualify as late.
    let err = refused("received-decades-after-deadline");
    has(
        &err,
        "applicants.csv, row 3, column received_on: expected a date on or before the list date (2026-11-20)",
    );
    has(&err, "2086-09-01");
    count(&err, 1);
}

#[test]
fn postmark_after_the_received_date_is_refused() {
    // Received 29 September (on time), postmark typed 29 October: the
    // filing date would be the impossible postmark, and late.
    let err = refused("postmark-after-received");
    has(
        &err,
        "applicants.csv, row 3, column postmarked_on: expected a postmark date on or before the received date (2026-09-29)",
    );
    has(&err, "2026-10-29");
    count(&err, 1);
}

#[test]
fn birth_date_after_the_deadline_is_refused() {
    let err = refused("birth-date-after-deadline");
    has(
        &err,
        "applicants.csv, row 3, column date_of_birth: expected a date of birth before the application deadline (2026-09-30)",
    );
    has(&err, "2036-05-01");
    count(&err, 1);
}

// ---------------------------------------------------------------------------
// Score cells

#[test]
fn date_cell_in_a_score_column_is_refused_not_read_as_its_serial() {
    let err = refused("date-cell-in-score-column");
    has(
        &err,
        "written.xlsx, sheet Scores, cell B3: expected a score from 0 to 100 for written, found the date 1900-03-30",
    );
    count(&err, 1);
}

#[test]
fn number_text_with_a_thousands_separator_is_refused() {
    // "1,250" is 1250 in Missouri and 1.25 in much of Europe.
    let err = refused("thousands-separator-text");
    has(
        &err,
        "written.xlsx, sheet Scores, cell B3: expected a score from 0 to 2000 for written, found \"1,250\"",
    );
    count(&err, 1);
}

#[test]
fn numbers_stored_as_text_are_read() {
    let dir = accepted("number-stored-as-text");
    assert_eq!(dir.field("scores.csv", "1001", "written"), "80.00");
    assert_eq!(dir.field("scores.csv", "1002", "written"), "90.50");
}

#[test]
fn decimal_comma_in_a_csv_is_refused() {
    let err = refused("decimal-comma-csv");
    has(
        &err,
        "written.csv, row 3, column written: expected a score from 0 to 100 for written, found \"85,5\"",
    );
    count(&err, 1);
}

#[test]
fn percent_text_in_a_score_is_refused() {
    let err = refused("score-percent-text");
    has(
        &err,
        "written.csv, row 3, column written: expected a score from 0 to 100 for written, found \"85%\"",
    );
    count(&err, 1);
}

#[test]
fn logical_cell_in_a_score_is_refused() {
    let err = refused("score-logical-cell");
    has(
        &err,
        "written.xlsx, sheet Scores, cell B3: expected a score from 0 to 100 for written, found the logical value TRUE",
    );
    count(&err, 1);
}

// ---------------------------------------------------------------------------
// CSV encodings, delimiters and quoting

#[test]
fn stray_utf8_lead_byte_names_the_row() {
    let err = refused("csv-bad-utf8-byte");
    has(
        &err,
        "oral.csv, row 3: expected UTF-8 text, found the byte 0xC3 that UTF-8 does not allow (save the file as \"CSV UTF-8\")",
    );
    count(&err, 1);
}

#[test]
fn utf16_csv_names_row_1_and_asks_for_utf8() {
    let err = refused("csv-utf16");
    has(
        &err,
        "written.csv, row 1: expected UTF-8 text, found the byte 0xFF that UTF-8 does not allow (save the file as \"CSV UTF-8\")",
    );
    count(&err, 1);
}

#[test]
fn semicolon_csv_without_a_delimiter_says_how_to_give_one() {
    let err = refused("csv-semicolon-undeclared");
    has(
        &err,
        "written.csv: expected a header row with an applicant_id column, found no such header in the first ten non-blank rows",
    );
    has(&err, "{ path = \"written.csv\", delimiter = \";\" }");
    count(&err, 1);
}

#[test]
fn row_with_another_delimiter_names_the_row() {
    let err = refused("csv-mixed-delimiters");
    has(
        &err,
        "written.csv, row 3: expected fields separated by \",\" as in the header row (row 1), found a row separated by \";\"",
    );
    lacks(&err, "which is not there");
    count(&err, 1);
}

#[test]
fn quote_never_closed_names_the_field_where_it_opens() {
    let err = refused("csv-unclosed-quote");
    has(&err, "written.csv, row 2, column written: ");
    has(&err, "never closed");
    count(&err, 1);
}

#[test]
fn row_with_more_fields_than_the_header_names_the_row() {
    // 90 typed as "9,0": read as it stands, 1002 would score 9 and fail.
    let err = refused("csv-extra-fields");
    has(
        &err,
        "written.csv, row 3: expected at most 2 fields, as in the header row (row 1), found 3",
    );
    count(&err, 1);
}

#[test]
fn vendor_summary_row_is_an_unknown_applicant() {
    let err = refused("csv-trailing-summary-row");
    has(
        &err,
        "written.csv, row 4, column applicant_id: expected an applicant_id from the applicants file (applicants.csv), found Average, which is not there",
    );
    count(&err, 1);
}

// ---------------------------------------------------------------------------
// Applicant IDs

#[test]
fn blank_and_space_only_ids_name_their_cells() {
    let err = refused("applicants-blank-id");
    has(
        &err,
        "applicants.xlsx, sheet Applicants, cell A3: expected an applicant_id, found a blank cell",
    );
    has(
        &err,
        "applicants.xlsx, sheet Applicants, cell A4: expected an applicant_id, found a blank cell",
    );
    count(&err, 2);
}

#[test]
fn ids_differing_only_in_case_are_refused_naming_both_rows() {
    let err = refused("applicants-id-case");
    has(
        &err,
        "applicants.csv, row 3, column applicant_id: expected a unique applicant_id, found a12, which differs from A12 (row 2) only in case or spaces",
    );
    count(&err, 1);
}

#[test]
fn ids_differing_only_in_inner_spaces_are_refused_naming_both_rows() {
    let err = refused("applicants-id-inner-space");
    has(
        &err,
        "applicants.csv, row 3, column applicant_id: expected a unique applicant_id, found A 12, which differs from A12 (row 2) only in case or spaces",
    );
    count(&err, 1);
}

#[test]
fn score_id_in_another_case_is_unknown_and_names_the_applicants_id() {
    let err = refused("scores-id-case");
    has(
        &err,
        "written.csv, row 2, column applicant_id: expected an applicant_id from the applicants file (applicants.csv), found a12, which is not there (the applicants file has A12, which differs only in case or spaces)",
    );
    count(&err, 1);
}

#[test]
fn score_id_that_lost_its_leading_zeros_names_the_applicants_id() {
    let err = refused("scores-id-leading-zeros");
    has(
        &err,
        "written.xlsx, sheet Scores, cell A2: expected an applicant_id from the applicants file (applicants.csv), found 42, which is not there (the applicants file has 00042",
    );
    has(
        &err,
        "written.xlsx, sheet Scores, cell A3: expected an applicant_id from the applicants file (applicants.csv), found 43, which is not there (the applicants file has 00043",
    );
    count(&err, 2);
}

#[test]
fn two_rows_for_one_applicant_in_a_score_sheet_name_the_second_cell() {
    let err = refused("scores-duplicate-row-xlsx");
    has(
        &err,
        "written.xlsx, sheet Scores, cell A4: expected one row per applicant, found 1001 again (first on row 2)",
    );
    count(&err, 1);
}

// ---------------------------------------------------------------------------
// The exam file

#[test]
fn typo_in_an_inputs_key_names_it_and_the_missing_key() {
    let err = refused("exam-inputs-key-typo");
    has(
        &err,
        "exam.toml, line 10, key `inputs.score`: unknown key (did you mean `scores`?)",
    );
    has(&err, "exam.toml, key `inputs.scores`: missing required key");
    count(&err, 2);
}

#[test]
fn typo_in_a_component_type_names_the_key_and_the_values() {
    let err = refused("exam-component-type-typo");
    has(
        &err,
        "exam.toml, line 25, key `components[2].type`: expected one of \"scored\", \"pass_fail\", found \"passfail\"",
    );
    count(&err, 1);
}

#[test]
fn typo_in_the_rank_names_the_key_and_the_ladder() {
    let err = refused("exam-rank-typo");
    has(
        &err,
        "exam.toml, line 4, key `exam.rank`: expected one of \"officer\", \"corporal\", \"sergeant\", \"lieutenant\", \"captain\", \"major\", \"deputy_chief\", found \"oficer\"",
    );
    count(&err, 1);
}

#[test]
fn exam_file_text_longer_than_1000_characters_is_refused() {
    let err = refused("exam-text-too-long");
    has(
        &err,
        "exam.toml, line 24, key `board.secretary`: expected a text of at most 1000 characters, found one of 1035",
    );
    count(&err, 1);
}

#[test]
fn list_that_would_expire_after_the_year_9999_is_refused() {
    let err = refused("exam-list-expires-after-9999");
    has(
        &err,
        "exam.toml, line 6, key `exam.list_established`: a list established on 9999-12-31 and valid for 24 months would expire after the year 9999; check the year",
    );
    count(&err, 1);
}

#[test]
fn sheet_named_on_a_csv_names_the_file() {
    let err = refused("exam-sheet-on-csv");
    has(
        &err,
        "exam.toml, line 10, key `inputs.scores[0]`: the sheet \"Sheet1\" is named for written.csv, but a CSV file has no sheets: remove it",
    );
    count(&err, 1);
}

#[test]
fn delimiter_given_for_a_workbook_names_the_file() {
    let err = refused("exam-delimiter-on-xlsx");
    has(
        &err,
        "exam.toml, line 10, key `inputs.scores[0].delimiter`: a delimiter is given for written.xlsx, but a spreadsheet has none: remove it (delimiters are for CSV files)",
    );
    count(&err, 1);
}

#[test]
fn unsupported_file_type_names_the_file_and_the_types() {
    let err = refused("exam-unsupported-extension");
    has(
        &err,
        "exam.toml, line 10, key `inputs.scores[0]`: expected a spreadsheet (.xlsx, .xlsm, .xls, .xlsb, .ods) or a CSV file (.csv, .tsv, .txt), found written.pdf, a file ending in \"pdf\"",
    );
    count(&err, 1);
}

#[test]
fn exam_file_with_a_byte_order_mark_is_read() {
    // Windows Notepad saves "UTF-8 with BOM".
    let dir = accepted("exam-with-bom");
    assert_eq!(status(&dir, "1001"), "eligible");
}

#[test]
fn latin1_exam_file_names_the_line_and_the_byte() {
    let err = refused("exam-latin1");
    has(
        &err,
        "exam.toml, line 3: expected UTF-8 text, found the byte 0xED",
    );
    count(&err, 1);
}

// ---------------------------------------------------------------------------
// Outputs: cells a spreadsheet would run as formulas

/// A CSV field a spreadsheet would take for a formula.
fn formula_like(field: &str) -> bool {
    field.starts_with(['=', '+', '-', '@', '\t', '\r'])
}

#[test]
fn csv_outputs_neutralise_names_a_spreadsheet_would_run_as_formulas() {
    let dir = accepted("formula-in-names");
    dir.run(&[
        "certify",
        "out",
        "--vacancies",
        "1",
        "--date",
        "2026-12-01",
        "-o",
        "cert",
    ])
    .ok();
    // Every CSV the Board opens in a spreadsheet: no field may start a
    // formula.
    for f in [
        "out/eligibility-list.csv",
        "out/not-eligible.csv",
        "out/scores.csv",
        "out/notices/index.csv",
        "cert/certification.csv",
    ] {
        for (i, row) in parse_csv(&dir.read(f)).iter().enumerate().skip(1) {
            for field in row {
                assert!(
                    !formula_like(field),
                    "{f}, row {}: the field {field:?} would run as a formula",
                    i + 1
                );
            }
        }
    }
    // Neutralised with a leading apostrophe, the text otherwise kept.
    assert_eq!(
        dir.field("scores.csv", "1001", "last_name"),
        "'=HYPERLINK(\"http://example.com/x\",\"Able\")"
    );
    assert_eq!(dir.field("scores.csv", "1002", "last_name"), "'@SUM(A1)");
    assert_eq!(dir.field("scores.csv", "1002", "first_name"), "'+Pat");
    assert_eq!(dir.field("not-eligible.csv", "1003", "last_name"), "'-Cole");
    assert_eq!(
        dir.field("eligibility-list.csv", "1002", "last_name"),
        "'@SUM(A1)"
    );
    // The list of record keeps the names as filed.
    let json = dir.read("out/result.json");
    assert!(json.contains("\"last_name\":\"@SUM(A1)\""), "{json}");
    assert!(json.contains("\"first_name\":\"+Pat\""), "{json}");
    assert!(json.contains("\"last_name\":\"-Cole\""), "{json}");
}

#[test]
fn xlsx_output_keeps_formula_like_names_as_text_cells() {
    use calamine::{Data, Reader, Xlsx};
    let dir = accepted("formula-in-names");
    let mut wb: Xlsx<_> = calamine::open_workbook(dir.path("out/eligibility-list.xlsx")).unwrap();
    let range = wb.worksheet_range("Scores").unwrap();
    let texts: Vec<String> = range
        .cells()
        .filter_map(|(_, _, d)| match d {
            Data::String(s) => Some(s.clone()),
            _ => None,
        })
        .collect();
    // A text cell is never run, so the workbook shows the name as filed.
    for name in ["@SUM(A1)", "+Pat", "-Cole"] {
        assert!(texts.iter().any(|t| t == name), "{name} not in {texts:?}");
    }
    let formulas = wb.worksheet_formula("Scores").unwrap();
    assert!(
        formulas.cells().all(|(_, _, f)| f.is_empty()),
        "the Scores sheet holds formulas"
    );
}

// ---------------------------------------------------------------------------
// A panic is an internal error, never a backtrace

#[test]
fn a_hand_edited_record_is_refused_before_code_relies_on_it() {
    // A list of record whose applicant's date of birth was edited by hand
    // into an impossible date: once `explain` reached code that assumes the
    // record holds only dates it wrote, and panicked; list::load now checks
    // every date first. (A panic itself is reported as an internal error:
    // safety::a_panic_is_an_internal_error_with_exit_1_and_no_backtrace
    // injects one, in debug builds.)
    let dir = Dir::new();
    dir.write(
        "exam.toml",
        &format!("{EXAM}\n[requirements]\nmin_age = 21\n"),
    );
    dir.write(
        "applicants.csv",
        &format!(
            "{},date_of_birth\n{},1990-04-12\n",
            APPLICANTS_HEADER.trim_end(),
            applicant("1001", "Able").trim_end()
        ),
    );
    dir.write("written.csv", "applicant_id,written\n1001,80\n");
    dir.write(
        "oral.csv",
        "applicant_id,oral_r1,oral_r2,oral_r3\n1001,80,80,80\n",
    );
    dir.score().ok();
    let json = dir.read("out/result.json");
    assert!(json.contains("\"date_of_birth\":\"1990-04-12\""));
    dir.write(
        "out/result.json",
        &json.replace(
            "\"date_of_birth\":\"1990-04-12\"",
            "\"date_of_birth\":\"1990-04-31\"",
        ),
    );
    let run = dir.run_env(
        &["explain", "out", "--applicant", "1001"],
        &[("RUST_BACKTRACE", "1")],
    );
    lacks(&run.stderr, "panicked at");
    lacks(&run.stderr, "stack backtrace");
    lacks(&run.stderr, "RUST_BACKTRACE");
    assert_eq!(run.code, 2, "{}", run.stderr);
    has(&run.stderr, "result.json");
    has(&run.stderr, "1990-04-31");
}

// ---------------------------------------------------------------------------
// The catalogue itself

/// Cases whose behaviour `errors.rs` pins on inputs the harness writes:
/// here only their committed fixture is checked, with the message that
/// test expects.
const REFERENCED: [(&str, &str); 9] = [
    (
        "xlsx-not-a-zip",
        "written.xlsx: cannot open the workbook (is it damaged, or not really this file type?)",
    ),
    (
        "sheet-missing",
        "written.xlsx: expected a sheet named \"Results\", found only \"Scores\"",
    ),
    (
        "formula-cached-error",
        "written.xlsx, sheet Scores, cell B3: expected a score from 0 to 100 for written, found the error value #N/A",
    ),
    (
        "score-negative",
        "written.csv, row 3, column written: expected a score from 0 to 100 for written, found \"-1\"",
    ),
    (
        "score-above-max",
        "written.csv, row 3, column written: expected a score from 0 to 100 for written, found \"100.5\"",
    ),
    (
        "csv-latin1",
        "applicants.csv, row 3: expected UTF-8 text, found the byte 0xF1 that UTF-8 does not allow (save the file as \"CSV UTF-8\")",
    ),
    (
        "header-duplicate-after-normalisation",
        "written.csv, row 1, column WRITTEN: the column written appears twice (\"Written\" and \"WRITTEN\"); keep one",
    ),
    (
        "applicants-id-surrounding-spaces",
        "applicants.csv, row 3, column applicant_id: expected a unique applicant_id, found A12 again (first on row 2)",
    ),
    (
        "exam-typo-key",
        "exam.toml, line 5, key `exam.decimal`: unknown key (did you mean `decimals`?)",
    ),
];

#[test]
fn referenced_fixtures_are_refused_as_errors_rs_pins() {
    for (name, message) in REFERENCED {
        let err = refused(name);
        has(&err, message);
        count(&err, 1);
    }
}

#[test]
fn every_fixture_folder_is_in_the_readme_and_every_readme_case_has_a_folder() {
    let readme = std::fs::read_to_string(bad_dir().join("README.md")).unwrap();
    let mut listed: Vec<String> = readme
        .lines()
        .filter(|l| l.starts_with("| `"))
        .filter_map(|l| l[3..].split('`').next().map(String::from))
        .collect();
    listed.sort();
    listed.dedup();
    let mut folders: Vec<String> = std::fs::read_dir(bad_dir())
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().unwrap().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    folders.sort();
    assert_eq!(listed, folders);
}
