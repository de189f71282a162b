//! Replays the committed fuzz corpora (`fuzz/corpus/<target>/`) through the
//! very functions the fuzz targets call (`fuzz/src/lib.rs`, included here),
//! on stable and without libFuzzer: every input must be read without a
//! panic (errors are expected). `cargo test` runs it; see `fuzz/README.md`
//! for running the fuzzers themselves.

#[path = "../fuzz/src/lib.rs"]
#[allow(dead_code)]
mod harness;

use std::path::{Path, PathBuf};

/// The corpus files of one target, sorted by name. A target without its
/// corpus folder fails: the corpora are committed.
fn corpus(target: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/corpus")
        .join(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .map(|e| e.expect("a corpus entry").path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    assert!(!files.is_empty(), "{} holds no input", dir.display());
    files
}

/// Runs `body` on every corpus input of `target`, naming the input that
/// panicked (the panic itself is printed by the default hook above it).
fn replay(target: &str, body: impl Fn(&Path, &[u8])) {
    let scratch = tempfile::tempdir().expect("a scratch folder");
    for file in corpus(target) {
        let bytes = std::fs::read(&file).expect("read a corpus input");
        let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            body(scratch.path(), &bytes)
        }));
        if run.is_err() {
            panic!(
                "fuzz target {target} panicked on {} (reproduce: cargo fuzz run {target} {})",
                file.display(),
                file.display()
            );
        }
    }
}

#[test]
fn exam_file_corpus() {
    replay("exam_file", |_, data| harness::exam_file(data));
}

#[test]
fn csv_rows_corpus() {
    replay("csv_rows", harness::csv_rows);
}

#[test]
fn xlsx_rows_corpus() {
    replay("xlsx_rows", harness::xlsx_rows);
}

#[test]
fn xls_rows_corpus() {
    replay("xls_rows", harness::xls_rows);
}

#[test]
fn ods_rows_corpus() {
    replay("ods_rows", harness::ods_rows);
}

/// The default parts of `xlsb_parts` (an empty input) make a workbook
/// meritlist reads: the header and both applicants' rows, no problem.
#[test]
fn xlsb_parts_default_is_a_readable_workbook() {
    let scratch = tempfile::tempdir().expect("a scratch folder");
    let path = scratch.path().join("rows.xlsb");
    std::fs::write(&path, harness::xlsb_zip(b"")).expect("write");
    let spec = meritlist::exam::InputSpec {
        display: "rows.xlsb".into(),
        path,
        sheet: None,
        delimiter: None,
    };
    let mut rows = Vec::new();
    let loaded = meritlist::ingest::table::stream(&spec, &[], |_, batch| {
        rows.extend(batch.iter().map(|r| format!("{:?}", r.cells)));
    });
    let table = loaded.table.expect("read without problems");
    assert_eq!(table.header_row, 1);
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert!(
        rows[0].contains("1001") && rows[1].contains("1002"),
        "{rows:?}"
    );
}

#[test]
fn xlsb_parts_corpus() {
    replay("xlsb_parts", harness::xlsb_parts);
}

#[test]
fn xlsb_rows_corpus() {
    replay("xlsb_rows", harness::xlsb_rows);
}

#[test]
fn xlsx_parts_corpus() {
    replay("xlsx_parts", harness::xlsx_parts);
}

/// The seed whose relationships make the content-types part the sheet (two
/// merged cells, `Target="/[CONTENT_TYPES].xml"`): calamine reads it as a sheet
/// and lists its merges, and the worksheet checks take it
/// (`xlsx_sheets_disagreement`, which the `xlsx_parts` target asks of
/// every input, finds no sheet of merges outside the parts they read).
#[test]
fn xlsx_parts_seed_with_a_sheet_outside_the_folder_is_read_by_the_checks() {
    let seed = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fuzz/corpus/xlsx_parts/seed-sheet-in-content-types-part"),
    )
    .unwrap();
    let given = harness::split_n(&seed, harness::XLSX_PARTS.len());
    let entries: Vec<(&str, &[u8])> = harness::XLSX_PARTS
        .iter()
        .enumerate()
        .map(|(i, (n, d))| (*n, harness::part_or(&given, i, d)))
        .collect();
    let zip = harness::stored_zip(&entries);
    let mut book: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(&zip)).expect("calamine opens it");
    let merges = book
        .merge_cells_by_sheet_name("Applicants")
        .expect("the sheet");
    assert_eq!(
        merges.len(),
        2,
        "calamine reads the content-types part as the sheet"
    );
    assert_eq!(meritlist::ingest::xlsx_sheets_disagreement(&zip), None);
}

#[test]
fn ingest_exam_corpus() {
    replay("ingest_exam", harness::ingest_exam);
}

/// The structure-aware targets' helpers are right: the stored zip is one a
/// zip reader accepts with its checksums, and the default parts make a
/// workbook and an exam that read cleanly (so that the fuzzers start from
/// valid inputs, not from errors).
#[test]
fn harness_defaults_are_valid() {
    let scratch = tempfile::tempdir().expect("a scratch folder");
    let entries: Vec<(&str, &[u8])> = harness::XLSX_PARTS
        .iter()
        .map(|(n, d)| (*n, d.as_bytes()))
        .collect();
    let zip = harness::stored_zip(&entries);
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(&zip)).expect("a valid zip");
    for (name, data) in &entries {
        let mut f = archive.by_name(name).expect("every part present");
        let mut read = Vec::new();
        std::io::Read::read_to_end(&mut f, &mut read).expect("checksum verified");
        assert_eq!(&read, data);
    }
    let path = scratch.path().join("rows.xlsx");
    std::fs::write(&path, &zip).unwrap();
    let spec = meritlist::exam::InputSpec {
        display: "rows.xlsx".into(),
        path,
        sheet: None,
        delimiter: None,
    };
    let mut rows = 0;
    let loaded = meritlist::ingest::table::stream(&spec, &[], |_, r| rows += r.len());
    let table = loaded.table.expect("the default workbook reads");
    assert_eq!(table.columns.len(), 3);
    assert_eq!(rows, 2);

    let exam_path = scratch.path().join("exam.toml");
    std::fs::write(&exam_path, harness::INGEST_EXAM).unwrap();
    for (name, data) in harness::INGEST_FILES {
        std::fs::write(scratch.path().join(name), data).unwrap();
    }
    let scoring = meritlist::run_scoring(&exam_path, meritlist::Exec::Sequential)
        .unwrap_or_else(|e| panic!("the default ingest_exam inputs score:\n{e}"));
    assert_eq!(scoring.data.applicants.len(), 3);
    assert_eq!(
        harness::split_parts(b"a\n%%\nb\n%%\n\n%%\nc"),
        vec![&b"a"[..], b"b", b"", b"c"]
    );
}
