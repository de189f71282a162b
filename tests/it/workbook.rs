//! `eligibility-list.xlsx`: read back with calamine and compared cell by
//! cell with the CSVs; its print setup (Form of papers) checked in the
//! workbook's XML; byte-identical on a rerun.

use crate::common::*;
use calamine::{Data, Reader, Xlsx};
use std::io::Read;

fn scored_sample(name: &str) -> Dir {
    let dir = Dir::new();
    copy_dir(&repo().join("samples").join(name), dir.tmp.path());
    dir.score().ok();
    dir
}

fn sheet(dir: &Dir, name: &str) -> Vec<Vec<Data>> {
    let mut wb: Xlsx<_> = calamine::open_workbook(dir.path("out/eligibility-list.xlsx")).unwrap();
    let range = wb.worksheet_range(name).unwrap();
    range.rows().map(|r| r.to_vec()).collect()
}

/// A cell as the CSV writes it: numbers with the exam's places.
fn as_csv(d: &Data, places: usize) -> String {
    match d {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Float(f) => format!("{f:.places$}"),
        Data::Int(i) => i.to_string(),
        other => panic!("unexpected cell {other:?}"),
    }
}

fn xml(dir: &Dir, part: &str) -> String {
    let f = std::fs::File::open(dir.path("out/eligibility-list.xlsx")).unwrap();
    let mut z = zip::ZipArchive::new(f).unwrap();
    let mut s = String::new();
    z.by_name(part).unwrap().read_to_string(&mut s).unwrap();
    s
}

#[test]
fn workbook_sheets_hold_the_same_cells_as_the_csvs() {
    let dir = scored_sample("police-officer");
    let wb: Xlsx<_> = calamine::open_workbook(dir.path("out/eligibility-list.xlsx")).unwrap();
    assert_eq!(
        wb.sheet_names(),
        ["Eligibility List", "Not Eligible", "Scores", "Audit"]
    );

    // Eligibility List: the data rows equal eligibility-list.csv, integers
    // (rank, score rank) without places.
    let csv = dir.csv("eligibility-list.csv");
    let grid = sheet(&dir, "Eligibility List");
    for (i, row) in csv.iter().enumerate().skip(1) {
        let got: Vec<String> = grid[i]
            .iter()
            .enumerate()
            .map(|(c, d)| as_csv(d, if c == 0 || c == 9 { 0 } else { 2 }))
            .collect();
        assert_eq!(&got, row, "Eligibility List row {}", i + 1);
    }
    // Under the list: the certification lines.
    let below: Vec<String> = grid[csv.len()..]
        .iter()
        .flat_map(|r| {
            r.iter().filter_map(|d| match d {
                Data::String(s) => Some(s.clone()),
                _ => None,
            })
        })
        .collect();
    assert!(
        below
            .iter()
            .any(|s| s == "Certified by the Police Personnel Board"),
        "{below:?}"
    );
    assert!(
        below.iter().any(|s| s == "Linda M. Hartwell, Secretary"),
        "{below:?}"
    );
    assert!(below.iter().any(|s| s == "List established"));
    assert!(below.iter().any(|s| s == "Valid through"));

    // Scores: every row equals scores.csv.
    let csv = dir.csv("scores.csv");
    let grid = sheet(&dir, "Scores");
    assert_eq!(grid.len(), csv.len());
    for (i, row) in csv.iter().enumerate().skip(1) {
        let got: Vec<String> = grid[i].iter().map(|d| as_csv(d, 2)).collect();
        assert_eq!(&got, row, "Scores row {}", i + 1);
    }

    // Not Eligible: same people, status, codes (one per line) and reasons.
    let csv = dir.csv("not-eligible.csv");
    let grid = sheet(&dir, "Not Eligible");
    assert_eq!(grid.len(), csv.len());
    for (i, row) in csv.iter().enumerate().skip(1) {
        let got: Vec<String> = grid[i].iter().map(|d| as_csv(d, 2)).collect();
        assert_eq!(got[..4], row[..4]);
        assert_eq!(got[4].replace('\n', ";"), row[4]);
        assert_eq!(got[5].replace('\n', "; "), row[5]);
    }
}

#[test]
fn workbook_dates_are_date_cells_and_scores_show_exact_places() {
    let dir = scored_sample("police-officer");
    let grid = sheet(&dir, "Audit");
    let established = grid
        .iter()
        .find(|r| matches!(&r[0], Data::String(s) if s == "List established"))
        .expect("an established row");
    match &established[1] {
        Data::DateTime(dt) => {
            let (y, m, d, ..) = dt.to_ymd_hms_milli();
            assert_eq!((y, m, d), (2026, 11, 20));
        }
        other => panic!("expected a date cell, found {other:?}"),
    }
    let styles = xml(&dir, "xl/styles.xml");
    assert!(
        styles.contains(r#"formatCode="0.00""#),
        "scores shown with 2 places"
    );
    assert!(
        styles.contains(r#"formatCode="yyyy\-mm\-dd""#)
            || styles.contains(r#"formatCode="yyyy-mm-dd""#)
    );
}

#[test]
fn form_of_papers_every_sheet_is_letter_with_one_inch_margins() {
    let dir = scored_sample("police-officer");
    let workbook = xml(&dir, "xl/workbook.xml");
    for i in 1..=4 {
        let ws = xml(&dir, &format!("xl/worksheets/sheet{i}.xml"));
        assert!(ws.contains(r#"paperSize="1""#), "sheet{i}: Letter paper");
        assert!(
            ws.contains(
                r#"<pageMargins left="1" right="1" top="1.35" bottom="1.35" header="1" footer="1"/>"#
            ),
            "sheet{i}: 1-inch margins"
        );
        assert!(
            ws.contains(r#"<pageSetUpPr fitToPage="1"/>"#),
            "sheet{i}: fit to page"
        );
        assert!(
            ws.contains(r#"fitToHeight="0""#),
            "sheet{i}: one page wide, any number of pages tall"
        );
        assert!(
            ws.contains(r#"<pane ySplit="1" topLeftCell="A2""#),
            "sheet{i}: frozen header"
        );
        assert!(
            ws.contains("Page &amp;P of &amp;N"),
            "sheet{i}: page N of M in the footer"
        );
        assert!(
            ws.contains("PO-2026-01"),
            "sheet{i}: exam id in header/footer"
        );
        assert!(
            ws.contains("Police Officer"),
            "sheet{i}: position in header/footer"
        );
    }
    // The header row repeats on every printed page.
    for (i, name) in ["'Eligibility List'", "'Not Eligible'", "Scores", "Audit"]
        .iter()
        .enumerate()
    {
        let title = format!("<definedName name=\"_xlnm.Print_Titles\" localSheetId=\"{i}\">{name}!$1:$1</definedName>");
        assert!(
            workbook.contains(&title),
            "{name}: print titles\n{workbook}"
        );
    }
}

#[test]
fn workbook_is_byte_identical_on_rerun() {
    let dir = scored_sample("sergeant");
    dir.run(&["score", "exam.toml", "-o", "again"]).ok();
    assert_eq!(
        std::fs::read(dir.path("out/eligibility-list.xlsx")).unwrap(),
        std::fs::read(dir.path("again/eligibility-list.xlsx")).unwrap()
    );
    // Its creation time is the list's established date, not the clock.
    let established = dir.read("out/result.json");
    let v: serde_json::Value = serde_json::from_str(&established).unwrap();
    let date = v["exam"]["list_established"].as_str().unwrap();
    assert!(xml(&dir, "docProps/core.xml").contains(&format!(
        "<dcterms:created xsi:type=\"dcterms:W3CDTF\">{date}T00:00:00Z"
    )));
}

#[test]
fn qualified_list_workbook_has_internal_column() {
    let dir = scored_sample("lieutenant");
    let grid = sheet(&dir, "Eligibility List");
    let header: Vec<String> = grid[0].iter().map(|d| as_csv(d, 0)).collect();
    assert_eq!(
        header,
        [
            "Applicant ID",
            "Last name",
            "First name",
            "Internal",
            "Raw score"
        ]
    );
    let csv = dir.csv("eligibility-list.csv");
    for (i, row) in csv.iter().enumerate().skip(1) {
        let got: Vec<String> = grid[i].iter().map(|d| as_csv(d, 2)).collect();
        assert_eq!(&got, row);
    }
}

/// A name longer than a cell holds (a damaged file: 40,000 characters) is
/// cut in the workbook, saying so, and kept whole in the CSVs and
/// result.json; before, the run failed as an internal error. So is a
/// certification of it.
#[test]
fn text_longer_than_a_cell_holds_is_cut_in_the_workbook_only() {
    let dir = Dir::new();
    let long = "é".repeat(20_000) + &"x".repeat(20_000);
    small_exam(
        &dir,
        "",
        &[applicant("1001", &long), applicant("1002", "Baker")],
        &["1001,80", "1002,90"],
        &["1001,80,80,80", "1002,90,90,90"],
    );
    dir.score().ok();
    let list = sheet(&dir, "Eligibility List");
    let cell = list
        .iter()
        .flatten()
        .filter_map(|d| match d {
            Data::String(s) if s.starts_with("éé") => Some(s.clone()),
            _ => None,
        })
        .next()
        .expect("the long name in the list");
    assert!(cell
        .ends_with(" … [cut: a cell holds 32,767 characters; the whole text is in result.json]"));
    assert_eq!(cell.encode_utf16().count(), 32_767);
    assert!(
        cell.starts_with(&long[..40_000]),
        "cut within the é's: {}",
        cell.len()
    );
    assert_eq!(dir.field("eligibility-list.csv", "1001", "last_name"), long);
    dir.run(&["certify", "out", "--vacancies", "1", "-o", "cert"])
        .ok();
}
