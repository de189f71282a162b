//! The bodies of the fuzz targets, shared by the libFuzzer binaries in
//! `fuzz/fuzz_targets/` and by the corpus replay test `tests/fuzz_corpus.rs`
//! (which includes this file with `#[path]`, so that both run exactly the
//! same code on the same bytes). Only the public library API is used, and
//! only `std` besides it.
//!
//! Each function takes the fuzz input and a scratch folder it may write to
//! (the inputs are read from files, as the tool reads them). Errors from the
//! library are expected and ignored; a panic is a finding. The few
//! `assert!`s check contracts the rest of the pipeline relies on.

use meritlist::error::Error;
use meritlist::exam::InputSpec;
use meritlist::ingest::table::{self, Row, Table};
use std::path::{Path, PathBuf};

/// The aliases the table targets read with: `applicant_id` may also be
/// headed "Candidate No" (as a vendor's report is mapped in
/// `[inputs.columns]`).
fn aliases() -> Vec<(String, String)> {
    vec![("applicant_id".to_string(), "candidate_no".to_string())]
}

/// calamine panics on some damaged files; meritlist catches such a panic and
/// reports it as the file's problem (`table::in_foreign_reader`, fuzz/README.md
/// finding 6), as the command line's panic hook does. libFuzzer's hook would
/// abort on it first: this wraps that hook so that it stays quiet for those
/// panics only. Every other panic still aborts, and is a finding.
fn quiet_contained_panics() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let outer = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !table::in_foreign_reader() {
                outer(info);
            }
        }));
    });
}

/// A scratch folder for one fuzzing process: created once, reused by every
/// run (a folder per run would be slow). It is left behind when libFuzzer
/// exits; `rm -rf $TMPDIR/meritlist-fuzz-*` clears them.
pub fn process_scratch() -> &'static Path {
    use std::sync::OnceLock;
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("meritlist-fuzz-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("create the scratch folder");
        dir
    })
}

fn write(path: &Path, bytes: &[u8]) {
    std::fs::write(path, bytes)
        .unwrap_or_else(|e| panic!("harness: cannot write {}: {e}", path.display()));
}

/// Renders an error the way the command line does (every problem's place
/// and message), so that message formatting is exercised too.
fn render(e: &Error) -> usize {
    e.to_string().len()
}

/// What the ingest layer does with each batch, short of typing the fields:
/// every cell displayed and quoted, every place named. Checks the batch
/// contract: cells aligned with the header's columns; rows in order.
fn consume_batch(table: &Table, rows: Vec<Row>, last: &mut u64) -> usize {
    let mut n = table.header_place().to_string().len();
    for c in &table.columns {
        n += c.header.len() + c.key.len();
    }
    n += table.find("applicant_id", &aliases()).len();
    for row in &rows {
        assert_eq!(
            row.cells.len(),
            table.columns.len(),
            "row {} not aligned with the header's columns",
            row.number
        );
        // Rows come in order, below the header: a CSV's in line order
        // (with any line ending, CR-only included), a workbook's in row
        // order (a workbook storing its rows out of order is refused).
        // Both were findings; see fuzz/README.md.
        assert!(
            row.number > *last,
            "row {} handed over after row {} (header at row {})",
            row.number,
            *last,
            table.header_row
        );
        *last = row.number;
        n += table.row_place(row.number).to_string().len();
        for (col, cell) in row.cells.iter().enumerate() {
            n += cell.display().len() + cell.found().len();
            n += usize::from(cell.is_blank());
            n += table.place(row.number, col).to_string().len();
        }
    }
    n
}

/// Streams one input file the way `ingest` does and exercises every row.
fn stream_file(spec: &InputSpec) -> usize {
    let mut last = 0u64;
    let mut header = None;
    let mut n = 0usize;
    let loaded = table::stream(spec, &aliases(), |t, rows| {
        if header.is_none() {
            header = Some(t.header_row);
            last = t.header_row;
        }
        n += consume_batch(t, rows, &mut last);
    });
    n += loaded.sha256.len();
    match loaded.table {
        Ok(t) => {
            assert_eq!(
                Some(t.header_row),
                header,
                "the header returned is not the one the batches were given"
            );
        }
        Err(problems) => {
            for p in &problems {
                n += p.to_string().len();
            }
        }
    }
    n
}

/// `exam_file`: the bytes as an exam file named `exam.toml`.
pub fn exam_file(data: &[u8]) {
    match meritlist::exam::parse(Path::new("exam.toml"), data) {
        Ok(exam) => {
            let _ = exam.list_expires();
            let _ = exam.scored().count();
            for k in &exam.tie_break {
                let _ = k.label();
            }
        }
        Err(e) => {
            let _ = render(&e);
        }
    }
}

/// The delimiter a `csv_rows` input asks for with its first byte: any byte
/// the exam file accepts as `delimiter` (ASCII, not `"`, LF or CR) is used
/// as given; any other byte means the default (`,`). The rest is the file.
fn split_delimiter(data: &[u8]) -> (Option<u8>, &[u8]) {
    match data.split_first() {
        Some((&d, rest)) if d.is_ascii() && !matches!(d, b'"' | b'\n' | b'\r') => (Some(d), rest),
        Some((_, rest)) => (None, rest),
        None => (None, data),
    }
}

/// `csv_rows`: the first byte picks the delimiter (see `split_delimiter`),
/// the rest is written to `rows.csv` in `dir` and streamed.
pub fn csv_rows(dir: &Path, data: &[u8]) {
    let (delimiter, body) = split_delimiter(data);
    stream_bytes(dir, "rows.csv", body, delimiter);
}

/// `xlsx_rows`: the bytes written to `rows.xlsx` in `dir` and streamed
/// (calamine opens the workbook, its first sheet is read cell by cell),
/// after the checks `xlsx_parts` makes of the guards (`xlsx_guards`):
/// only here do the package's part names, its relationship parts and the
/// zip's own headers vary (since the fifteenth session).
pub fn xlsx_rows(dir: &Path, data: &[u8]) {
    quiet_contained_panics();
    xlsx_guards(data);
    stream_bytes(dir, "rows.xlsx", data, None);
}

/// The guards in front of calamine's .xlsx reader held to account: the
/// bound on a piece of XML (ingest/xml.rs, 64 MB, far above any input
/// here: checked at 64 to 2,048 bytes instead, picked by the input's
/// length) against quick-xml reading the parts with no bound, and,
/// whatever part the relationships make a sheet, the worksheet checks
/// reading it and counting its merged cells at least as calamine lists
/// them. A disagreement is a crash.
fn xlsx_guards(zip: &[u8]) {
    let piece = 64 << (zip.len() % 6);
    if let Some(d) = meritlist::ingest::xml_guard_disagreement(zip, piece) {
        panic!("the XML bound and quick-xml disagree: {d}");
    }
    if let Some(d) = meritlist::ingest::xlsx_sheets_disagreement(zip) {
        panic!("the worksheet checks and calamine disagree: {d}");
    }
}

/// `xls_rows`: the bytes written to `rows.xls` in `dir` and streamed:
/// calamine's reader of Excel 97-2003 workbooks (BIFF8 records in an OLE
/// compound file), which every .xls input goes through.
///
/// It also holds meritlist's guards in front of that reader to account:
/// they emulate how calamine reads the file, and a file on which calamine
/// does what they did not foresee (it opens a file they said it fails on;
/// it holds a cell outside the blocks they counted) is a crash here, so
/// that fuzzing looks for the ways past them, not only for the damage.
pub fn xls_rows(dir: &Path, data: &[u8]) {
    quiet_contained_panics();
    stream_bytes(dir, "rows.xls", data, None);
    if let Some(d) = meritlist::ingest::xls_guard_disagreement(data) {
        panic!("the .xls guards (ingest/cfb.rs, ingest/biff.rs) disagree with calamine: {d}");
    }
}

/// `ods_rows`: the bytes written to `rows.ods` in `dir` and streamed:
/// calamine's reader of OpenDocument spreadsheets (content.xml in a zip,
/// read whole), behind meritlist's guard (`ingest/ods.rs`), which is held
/// to account as `xls_rows` holds the .xls guards: a file calamine opens
/// that the guard said it fails on, or in which calamine holds more cells
/// or text than the guard counted, is a crash.
pub fn ods_rows(dir: &Path, data: &[u8]) {
    quiet_contained_panics();
    stream_bytes(dir, "rows.ods", data, None);
    if let Some(d) = meritlist::ingest::ods_guard_disagreement(data) {
        panic!("the .ods guard (ingest/ods.rs) disagrees with calamine: {d}");
    }
}

/// `xlsb_rows`: the bytes written to `rows.xlsb` in `dir` and streamed,
/// behind meritlist's .xlsb guard (`ingest/xlsb.rs`). `xlsb_parts` packs
/// its records into a sound zip; only here do the package and the zip's
/// own headers vary: a part that runs past its declared size, a wrong
/// checksum, a part compressed (sixteenth session, after finding 31,
/// which `xlsb_parts` could not reach). A stack overflow, an allocation
/// over the limit or a timeout is the finding: the guard let through a
/// file calamine cannot read safely.
pub fn xlsb_rows(dir: &Path, data: &[u8]) {
    quiet_contained_panics();
    stream_bytes(dir, "rows.xlsb", data, None);
}

/// `xlsb_parts`: the parts of an Excel binary workbook that calamine reads
/// (`xl/workbook.bin`, `xl/worksheets/sheet1.bin`, `xl/sharedStrings.bin`:
/// records, separated by `PART_SEPARATOR`; one not given, or given empty,
/// takes its default from `xlsb_default`), packed into a stored
/// `rows.xlsb` with fixed relationships and streamed, behind meritlist's
/// .xlsb guard (`ingest/xlsb.rs`). Structure-aware, as `xlsx_parts` is:
/// every mutation reaches the records.
pub fn xlsb_parts(dir: &Path, data: &[u8]) {
    quiet_contained_panics();
    stream_bytes(dir, "rows.xlsb", &xlsb_zip(data), None);
}

/// The .xlsb that `xlsb_parts` streams for the input `data`.
pub fn xlsb_zip(data: &[u8]) -> Vec<u8> {
    let parts = split_n(data, 3);
    let defaults = xlsb_default();
    let pick = |i: usize| match parts.get(i) {
        Some(p) if !p.is_empty() => *p,
        _ => defaults[i].as_slice(),
    };
    let types = br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="bin" ContentType="application/vnd.ms-excel.sheet.binary.macroEnabled.main"/></Types>"#;
    let rels = br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.bin"/></Relationships>"#;
    stored_zip(&[
        ("[Content_Types].xml", types),
        ("xl/_rels/workbook.bin.rels", rels),
        ("xl/workbook.bin", pick(0)),
        ("xl/worksheets/sheet1.bin", pick(1)),
        ("xl/sharedStrings.bin", pick(2)),
    ])
}

/// One record of an .xlsb part: its type and length in 7-bit groups with
/// a continuation bit, then its data.
fn xlsb_record(typ: u16, data: &[u8]) -> Vec<u8> {
    let mut out = if typ >= 0x80 {
        vec![(typ & 0x7F) as u8 | 0x80, (typ >> 7) as u8]
    } else {
        vec![typ as u8]
    };
    let mut n = data.len();
    loop {
        out.push((n & 0x7F) as u8 | if n >> 7 > 0 { 0x80 } else { 0 });
        n >>= 7;
        if n == 0 {
            break;
        }
    }
    out.extend_from_slice(data);
    out
}

/// An XLWideString.
fn xlsb_wide(s: &str) -> Vec<u8> {
    let units: Vec<u16> = s.encode_utf16().collect();
    let mut out = (units.len() as u32).to_le_bytes().to_vec();
    out.extend(units.iter().flat_map(|u| u.to_le_bytes()));
    out
}

/// The default parts of `xlsb_parts`: a workbook with the sheet Scores and
/// a defined name; the sheet's header (shared strings 0 and 1) and two
/// applicants' scores; the shared strings.
fn xlsb_default() -> [Vec<u8>; 3] {
    let mut bundle = vec![0; 4];
    bundle.extend(1u32.to_le_bytes());
    bundle.extend(xlsb_wide("rId1"));
    bundle.extend(xlsb_wide("Scores"));
    let mut name = vec![0; 9];
    name.extend(xlsb_wide("PassMark"));
    name.extend(3u32.to_le_bytes());
    name.extend([0x1E, 70, 0]);
    let book = [
        xlsb_record(0x0083, &[]),
        xlsb_record(0x009C, &bundle),
        xlsb_record(0x0090, &[]),
        xlsb_record(0x0027, &name),
        xlsb_record(0x009D, &[0; 26]),
        xlsb_record(0x0084, &[]),
    ]
    .concat();
    let cell = |typ: u16, col: u32, value: &[u8]| {
        let mut d = col.to_le_bytes().to_vec();
        d.extend([0; 4]);
        d.extend(value);
        xlsb_record(typ, &d)
    };
    let row = |r: u32| {
        let mut d = r.to_le_bytes().to_vec();
        d.extend([0; 13]);
        xlsb_record(0x0000, &d)
    };
    let mut dims = Vec::new();
    for v in [0u32, 2, 0, 1] {
        dims.extend(v.to_le_bytes());
    }
    let sheet = [
        xlsb_record(0x0081, &[]),
        xlsb_record(0x0094, &dims),
        xlsb_record(0x0091, &[]),
        row(0),
        cell(0x0007, 0, &0u32.to_le_bytes()),
        cell(0x0007, 1, &1u32.to_le_bytes()),
        row(1),
        cell(0x0006, 0, &xlsb_wide("1001")),
        cell(0x0005, 1, &80f64.to_le_bytes()),
        row(2),
        cell(0x0002, 0, &((1002u32 << 2) | 2).to_le_bytes()),
        cell(0x0005, 1, &90.5f64.to_le_bytes()),
        xlsb_record(0x0092, &[]),
        xlsb_record(0x0082, &[]),
    ]
    .concat();
    let mut head = 2u32.to_le_bytes().to_vec();
    head.extend(2u32.to_le_bytes());
    let mut strings = xlsb_record(0x009F, &head);
    for s in ["applicant_id", "written"] {
        let mut d = vec![0];
        d.extend(xlsb_wide(s));
        strings.extend(xlsb_record(0x0013, &d));
    }
    strings.extend(xlsb_record(0x00A0, &[]));
    [book, sheet, strings]
}

/// Writes `bytes` to `dir/name` and streams that file as an input.
fn stream_bytes(dir: &Path, name: &str, bytes: &[u8], delimiter: Option<u8>) {
    let path = dir.join(name);
    write(&path, bytes);
    let spec = InputSpec {
        display: name.to_string(),
        path,
        sheet: None,
        delimiter,
    };
    let _ = stream_file(&spec);
}

/// The fixed exam of the `ingest_exam` target: every kind of input, as CSV.
pub const INGEST_EXAM: &str = r#"[exam]
id = "FZ-2027-01"
position = "Police Officer"
rank = "officer"
kind = "entrance"
sworn = true
application_deadline = 2027-02-26
list_established = 2027-04-15

[inputs]
applicants = "applicants.csv"
scores = ["written.csv", "oral.csv", "agility.csv"]
determinations = "determinations.csv"
clearances = "clearances.csv"

[inputs.columns]
applicant_id = "Candidate No"

[[components]]
name = "written"
weight = 0.6
max = 150
pass_mark = 70

[[components]]
name = "oral"
weight = 0.4
columns = ["oral_r1", "oral_r2", "oral_r3"]
pass_mark = 70

[[components]]
name = "agility"
type = "pass_fail"

[requirements]
min_age = 21

[ranking]
tie_break = ["raw_score", "filing_date", "component:written", "lottery"]
lottery_seed = "fuzz"
"#;

/// The input files of `INGEST_EXAM`, in the order an `ingest_exam` input
/// gives them, each with the content used when the input does not give it.
pub const INGEST_FILES: [(&str, &str); 6] = [
    (
        "applicants.csv",
        "Applicant ID,Last Name,First Name,Delivery,Received On,Postmarked On,Signed,US Citizen,\
State of Residence,Certified Officer,Highest Degree,Internal,Date of Birth,Address,City,State,ZIP\n\
1001,Alvarez,Maria,online,2027-02-10,,yes,yes,MO,no,Bachelor's,no,1990-01-02,1 Main St,Chesterfield,MO,63017\n\
1002,Brooks,Daniel,mail,2027-03-01,2027-02-26,yes,yes,MO,yes,,no,02/03/1995,,,,\n\
1003,Chen,Wei,personal,2027-02-27,,y,t,IL,x,Master's,1,1985-05-06,2 Oak Ave,Ballwin,MO,63011\n",
    ),
    ("written.csv", "Candidate No,Written\n1001,120\n1002,110.5\n1003,\n"),
    (
        "oral.csv",
        "Candidate No,Oral R1,Oral R2,Oral R3\n1001,80,84,82\n1002,75,78,77\n1003,absent,absent,absent\n",
    ),
    ("agility.csv", "Candidate No,Agility\n1001,pass\n1002,pass\n1003,fail\n"),
    (
        "determinations.csv",
        "applicant_id,ground,note,decided_on\n1002,A6,\"record, sustained\",03/14/2027\n",
    ),
    (
        "clearances.csv",
        "applicant_id,fingerprinted_on,FBI,Missouri State Highway Patrol,\
St. Louis County Police Department,Chesterfield Police Department\n\
1001,2027-04-01,2027-04-02,2027-04-03,2027-04-04,2027-04-05\n",
    ),
];

/// Separates the files of an `ingest_exam` input.
pub const PART_SEPARATOR: &[u8] = b"\n%%\n";

/// Splits an `ingest_exam` input into its files' contents (at most six;
/// anything after the fifth separator belongs to the sixth file).
pub fn split_parts(data: &[u8]) -> Vec<&[u8]> {
    split_n(data, INGEST_FILES.len())
}

/// `ingest_exam`: the fixed exam `INGEST_EXAM` with the files the input
/// gives (applicants, written, oral, agility, determinations, clearances,
/// separated by `PART_SEPARATOR`; the ones it does not give, or gives
/// empty, take their defaults from `INGEST_FILES`), scored end to end as `score` does short of
/// writing: exam file, ingest, rules, ranking, the list of record and its
/// CSV views, in memory.
pub fn ingest_exam(dir: &Path, data: &[u8]) {
    quiet_contained_panics();
    let exam_path = dir.join("exam.toml");
    write(&exam_path, INGEST_EXAM.as_bytes());
    let parts = split_parts(data);
    for (i, (name, default)) in INGEST_FILES.iter().enumerate() {
        write(&dir.join(name), part_or(&parts, i, default));
    }
    let scoring = match meritlist::run_scoring(&exam_path, meritlist::Exec::Sequential) {
        Ok(s) => s,
        Err(e) => {
            let _ = render(&e);
            return;
        }
    };
    let scored = scoring.scored();
    let head = scored.head();
    let counts = &head.audit.counts;
    assert_eq!(
        counts.eligible + counts.failed + counts.incomplete + counts.disqualified,
        counts.applicants,
        "the counts by status do not add up to the applicants"
    );
    let record = scored.record();
    use meritlist::output::csv::{EligibilityList, NotEligible, Scores};
    use meritlist::output::json::JsonWriter;
    let ids: Vec<&str> = head
        .list
        .iter()
        .map(|i| scoring.data.applicants[*i].id.as_str())
        .collect();
    let mut list = EligibilityList::new(Vec::new(), &head).expect("csv to memory");
    let mut not = NotEligible::new(Vec::new()).expect("csv to memory");
    let mut scores = Scores::new(Vec::new(), &head).expect("csv to memory");
    let mut json = JsonWriter::new(Vec::new(), &head, &ids).expect("json to memory");
    for a in &record.applicants {
        scores.row(a).expect("csv to memory");
        not.row(a).expect("csv to memory");
        json.applicant(a).expect("json to memory");
    }
    for i in &head.list {
        list.row(&scored.list_entry(*i)).expect("csv to memory");
    }
    let _ = list.finish().expect("csv to memory").len()
        + not.finish().expect("csv to memory").len()
        + scores.finish().expect("csv to memory").len()
        + json.finish(&head).expect("json to memory").len();
}

/// The parts of the workbook an `xlsx_parts` input gives, in order, each
/// with the content used when the input does not give it: a one-sheet
/// workbook with shared strings, a date style and a number.
pub const XLSX_PARTS: [(&str, &str); 7] = [
    (
        "xl/worksheets/sheet1.xml",
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1:C3"/><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c></row><row r="2"><c r="A2"><v>1001</v></c><c r="B2" s="1"><v>46433</v></c><c r="C2"><v>81.5</v></c></row><row r="3"><c r="A3" t="inlineStr"><is><t>1002</t></is></c><c r="B3" t="str"><v>2027-02-10</v></c><c r="C3" t="e"><v>#N/A</v></c></row></sheetData></worksheet>"#,
    ),
    (
        "xl/sharedStrings.xml",
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="3" uniqueCount="3"><si><t>Applicant ID</t></si><si><t>Received On</t></si><si><r><t>Writ</t></r><r><t>ten</t></r></si></sst>"#,
    ),
    (
        "xl/styles.xml",
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy\-mm\-dd"/></numFmts><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="164" applyNumberFormat="1"/></cellXfs></styleSheet>"#,
    ),
    (
        "xl/workbook.xml",
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><workbookPr/><sheets><sheet name="Applicants" sheetId="1" r:id="rId1"/></sheets></workbook>"#,
    ),
    (
        "xl/_rels/workbook.xml.rels",
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#,
    ),
    (
        "[Content_Types].xml",
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>"#,
    ),
    (
        "_rels/.rels",
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#,
    ),
];

/// Splits `data` at `PART_SEPARATOR` into at most `max` parts (anything
/// after the last separator allowed belongs to the last part).
pub fn split_n(data: &[u8], max: usize) -> Vec<&[u8]> {
    let mut parts = Vec::new();
    let mut rest = data;
    while parts.len() + 1 < max {
        match rest
            .windows(PART_SEPARATOR.len())
            .position(|w| w == PART_SEPARATOR)
        {
            Some(at) => {
                parts.push(&rest[..at]);
                rest = &rest[at + PART_SEPARATOR.len()..];
            }
            None => break,
        }
    }
    parts.push(rest);
    parts
}

/// Part `i` of a split input, or `default` when the input does not give it
/// (too few parts, or an empty one: so an empty input is all defaults).
pub fn part_or<'a>(parts: &[&'a [u8]], i: usize, default: &'a str) -> &'a [u8] {
    match parts.get(i) {
        Some(p) if !p.is_empty() => p,
        _ => default.as_bytes(),
    }
}

/// CRC-32 (IEEE), as a zip entry records it.
fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for b in bytes {
        crc ^= u32::from(*b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// A zip archive of `entries`, stored (not compressed), with correct sizes
/// and checksums: what reaches calamine's XML readers is the part as given.
pub fn stored_zip(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    for (name, data) in entries {
        let offset = out.len() as u32;
        let crc = crc32(data);
        let size = data.len() as u32;
        let name_len = name.len() as u16;
        // Local file header: version 2.0, no flags, stored, 1980-01-01.
        out.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
        for v in [20u16, 0, 0, 0, 0x21] {
            out.extend_from_slice(&v.to_le_bytes());
        }
        for v in [crc, size, size] {
            out.extend_from_slice(&v.to_le_bytes());
        }
        out.extend_from_slice(&name_len.to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes());
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(data);
        // Its central directory entry.
        central.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
        for v in [20u16, 20, 0, 0, 0, 0x21] {
            central.extend_from_slice(&v.to_le_bytes());
        }
        for v in [crc, size, size] {
            central.extend_from_slice(&v.to_le_bytes());
        }
        for v in [name_len, 0, 0, 0, 0] {
            central.extend_from_slice(&v.to_le_bytes());
        }
        for v in [0u32, offset] {
            central.extend_from_slice(&v.to_le_bytes());
        }
        central.extend_from_slice(name.as_bytes());
    }
    let cd_offset = out.len() as u32;
    let cd_size = central.len() as u32;
    out.extend_from_slice(&central);
    let n = entries.len() as u16;
    out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    for v in [0u16, 0, n, n] {
        out.extend_from_slice(&v.to_le_bytes());
    }
    for v in [cd_size, cd_offset] {
        out.extend_from_slice(&v.to_le_bytes());
    }
    out.extend_from_slice(&0u16.to_le_bytes());
    out
}

/// `xlsx_parts`: the workbook's XML parts (`XLSX_PARTS`: the sheet, the
/// shared strings, the styles, the workbook, its relationships, the content
/// types, the package relationships; separated by `PART_SEPARATOR`, the ones
/// not given, or given empty, taking their defaults) packed into a valid `rows.xlsx` and
/// streamed. Unlike `xlsx_rows`, whose mutations mostly land in compressed
/// data or break the zip's checksums, every mutation here reaches the XML.
pub fn xlsx_parts(dir: &Path, data: &[u8]) {
    quiet_contained_panics();
    let parts = split_n(data, XLSX_PARTS.len());
    let entries: Vec<(&str, &[u8])> = XLSX_PARTS
        .iter()
        .enumerate()
        .map(|(i, (name, default))| (*name, part_or(&parts, i, default)))
        .collect();
    let zip = stored_zip(&entries);
    xlsx_rows(dir, &zip);
}
