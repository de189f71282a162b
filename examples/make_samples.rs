//! Writes the input files of the sample exams under `samples/`.
//!
//! ```text
//! cargo run --example make_samples -- samples
//! ```
//!
//! Three realistic exam folders. Each also holds a hand-written `exam.toml`,
//! `README.md` and `expected/` (the outputs worked out by hand from SPEC.md
//! section 4); this program writes only the input files beside them:
//!
//! - `police-officer/`: an entrance exam, every input an `.xlsx` workbook
//!   (a testing vendor's score report with title lines above the header, an
//!   oral board on a named sheet, agility, Board findings, clearances);
//! - `sergeant/`: a promotional exam, every input a `.csv` (one with a BOM,
//!   one `;`-delimited, slash dates in month/day/year order);
//! - `lieutenant/`: a qualified-list exam, applicants in `.xlsx`, scores in
//!   `.csv`.
//!
//! The output is byte-identical on every run: the data are fixed tables in
//! this file and every workbook carries the same creation time. The
//! READMEs and `expected/` outputs are worked out from these tables: change
//! a score here and they must change with it.
//!
//! This program deliberately does not use the meritlist library: the samples
//! are an independent check of it.

use std::error::Error;
use std::fs;
use std::path::{Path, PathBuf};

use chrono::{Datelike, NaiveDate, NaiveDateTime, Timelike};
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, FormatBorder, Workbook};

type Res<T> = Result<T, Box<dyn Error>>;

fn main() {
    let root = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "samples".to_string());
    if let Err(err) = run(Path::new(&root)) {
        eprintln!("make_samples: {err}");
        std::process::exit(1);
    }
}

fn run(root: &Path) -> Res<()> {
    police_officer(&root.join("police-officer"))?;
    sergeant(&root.join("sergeant"))?;
    lieutenant(&root.join("lieutenant"))?;
    Ok(())
}

// ---------------------------------------------------------------------------
// Tables
//
// Each table is text: one record a line, fields separated by `|`, the first
// line the header exactly as it appears in the file. In a score table `-`
// means "this applicant has no row in that file" (not the same as a blank
// cell, which is a row with no result).
// ---------------------------------------------------------------------------

/// A parsed `|` table: header and rows of fields.
struct Table {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Table {
    fn parse(text: &str) -> Table {
        let mut lines = text.lines().filter(|l| !l.trim().is_empty());
        let split = |l: &str| {
            l.split('|')
                .map(|f| f.trim().to_string())
                .collect::<Vec<_>>()
        };
        let header = split(lines.next().expect("a table has a header line"));
        let rows: Vec<Vec<String>> = lines.map(split).collect();
        for row in &rows {
            assert_eq!(
                row.len(),
                header.len(),
                "table row has the wrong field count: {row:?}"
            );
        }
        Table { header, rows }
    }

    /// The index of a header, which must exist.
    fn col(&self, name: &str) -> usize {
        self.header
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("no column {name:?} in table"))
    }

    /// `last, first` for an applicant ID, from an applicants table.
    fn name_of(&self, id: &str) -> (String, String) {
        let (i, l, f) = (
            self.col("Applicant ID"),
            self.col("Last Name"),
            self.col("First Name"),
        );
        let row = self
            .rows
            .iter()
            .find(|r| r[i] == id)
            .unwrap_or_else(|| panic!("score row for unknown applicant {id}"));
        (row[l].clone(), row[f].clone())
    }
}

// ---------------------------------------------------------------------------
// Cells and writers
// ---------------------------------------------------------------------------

/// How a table column is written into a workbook.
#[derive(Clone, Copy)]
enum Kind {
    /// Always a text cell (names, ZIP codes, codes).
    Text,
    /// A number cell when the field is a number, else a text cell
    /// (IDs, scores, and markers such as `absent`).
    Auto,
    /// A date cell (`YYYY-MM-DD`) or a date-time cell (`YYYY-MM-DD HH:MM`).
    Date,
}

/// One cell of a workbook.
enum Cell {
    Blank,
    Text(String),
    Number(f64),
    Date(NaiveDate),
    DateTime(NaiveDateTime),
}

fn cell(kind: Kind, field: &str) -> Res<Cell> {
    if field.is_empty() {
        return Ok(Cell::Blank);
    }
    Ok(match kind {
        Kind::Text => Cell::Text(field.to_string()),
        Kind::Auto => match field.parse::<f64>() {
            Ok(x) => Cell::Number(x),
            Err(_) => Cell::Text(field.to_string()),
        },
        Kind::Date => {
            if field.len() > 10 {
                Cell::DateTime(NaiveDateTime::parse_from_str(field, "%Y-%m-%d %H:%M")?)
            } else {
                Cell::Date(NaiveDate::parse_from_str(field, "%Y-%m-%d")?)
            }
        }
    })
}

/// One worksheet to write: optional title lines, then a header row and data.
struct Sheet {
    name: &'static str,
    titles: Vec<String>,
    header: Vec<String>,
    kinds: Vec<Kind>,
    rows: Vec<Vec<String>>,
    widths: Vec<f64>,
}

impl Sheet {
    /// A sheet holding a whole table, with one kind letter per column
    /// (`T` text, `A` auto, `D` date).
    fn from_table(name: &'static str, table: &Table, kinds: &str, widths: &[f64]) -> Sheet {
        Sheet {
            name,
            titles: Vec::new(),
            header: table.header.clone(),
            kinds: parse_kinds(kinds, table.header.len()),
            rows: table.rows.clone(),
            widths: widths.to_vec(),
        }
    }

    /// A sheet of plain text lines (an instructions page).
    fn notes(name: &'static str, lines: &[&str]) -> Sheet {
        Sheet {
            name,
            titles: lines.iter().map(|l| l.to_string()).collect(),
            header: Vec::new(),
            kinds: Vec::new(),
            rows: Vec::new(),
            widths: vec![100.0],
        }
    }
}

fn parse_kinds(kinds: &str, n: usize) -> Vec<Kind> {
    let out: Vec<Kind> = kinds
        .chars()
        .map(|c| match c {
            'T' => Kind::Text,
            'A' => Kind::Auto,
            'D' => Kind::Date,
            other => panic!("unknown column kind {other:?}"),
        })
        .collect();
    assert_eq!(out.len(), n, "one kind letter per column");
    out
}

/// The fixed creation time stamped into every workbook, so that reruns are
/// byte-identical (rust_xlsxwriter otherwise stamps the current time).
fn creation_time() -> Res<ExcelDateTime> {
    Ok(ExcelDateTime::from_ymd(2026, 11, 20)?.and_hms(9, 0, 0)?)
}

fn excel_date(d: NaiveDate) -> Res<ExcelDateTime> {
    Ok(ExcelDateTime::from_ymd(
        d.year() as u16,
        d.month() as u8,
        d.day() as u8,
    )?)
}

fn write_xlsx(path: &Path, title: &str, sheets: &[Sheet]) -> Res<()> {
    let mut workbook = Workbook::new();
    let properties = DocProperties::new()
        .set_title(title)
        .set_author("Police Personnel Board (sample data)")
        .set_creation_datetime(&creation_time()?);
    workbook.set_properties(&properties);

    let bold = Format::new().set_bold();
    let heading = Format::new()
        .set_bold()
        .set_border_bottom(FormatBorder::Thin);
    let date = Format::new().set_num_format("mm/dd/yyyy");
    let date_time = Format::new().set_num_format("mm/dd/yyyy hh:mm");

    for sheet in sheets {
        let ws = workbook.add_worksheet();
        ws.set_name(sheet.name)?;
        for (c, w) in sheet.widths.iter().enumerate() {
            ws.set_column_width(c as u16, *w)?;
        }
        let mut r: u32 = 0;
        for line in &sheet.titles {
            ws.write_string_with_format(r, 0, line, &bold)?;
            r += 1;
        }
        if sheet.header.is_empty() {
            continue;
        }
        for (c, h) in sheet.header.iter().enumerate() {
            ws.write_string_with_format(r, c as u16, h, &heading)?;
        }
        ws.set_freeze_panes(r + 1, 0)?;
        r += 1;
        for row in &sheet.rows {
            for (c, field) in row.iter().enumerate() {
                let c = c as u16;
                match cell(sheet.kinds[c as usize], field)? {
                    Cell::Blank => {}
                    Cell::Text(s) => {
                        ws.write_string(r, c, &s)?;
                    }
                    Cell::Number(x) => {
                        ws.write_number(r, c, x)?;
                    }
                    Cell::Date(d) => {
                        ws.write_datetime_with_format(r, c, &excel_date(d)?, &date)?;
                    }
                    Cell::DateTime(t) => {
                        let dt =
                            excel_date(t.date())?.and_hms(t.hour() as u16, t.minute() as u8, 0)?;
                        ws.write_datetime_with_format(r, c, &dt, &date_time)?;
                    }
                }
            }
            r += 1;
        }
    }
    workbook.save(path)?;
    Ok(())
}

/// Writes header and rows as CSV with `\n` line ends; `bom` prepends the
/// UTF-8 byte-order mark that Excel's "CSV UTF-8" export writes.
fn write_csv(
    path: &Path,
    header: &[String],
    rows: &[Vec<String>],
    delimiter: u8,
    bom: bool,
) -> Res<()> {
    let mut bytes: Vec<u8> = Vec::new();
    if bom {
        bytes.extend_from_slice(b"\xEF\xBB\xBF");
    }
    {
        let mut w = csv::WriterBuilder::new()
            .delimiter(delimiter)
            .terminator(csv::Terminator::Any(b'\n'))
            .from_writer(&mut bytes);
        w.write_record(header)?;
        for row in rows {
            w.write_record(row)?;
        }
        w.flush()?;
    }
    fs::write(path, bytes)?;
    Ok(())
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

fn dir(path: &Path) -> Res<PathBuf> {
    fs::create_dir_all(path)?;
    Ok(path.to_path_buf())
}

// ---------------------------------------------------------------------------
// police-officer: entrance exam PO-2026-01, every input xlsx
// ---------------------------------------------------------------------------

/// The applications received for Police Officer, as HR keyed them in.
const PO_APPLICANTS: &str = "
Applicant ID|Last Name|First Name|Address|City|State|ZIP|Delivery|Received On|Postmarked On|Signed|US Citizen|State of Residence|Date of Birth|Certified Officer|Highest Degree|Internal
26001|Okonkwo|Adaeze|1418 Baxter Rd|Chesterfield|MO|63017|Online|2026-08-04||Yes|Yes|MO|1999-05-17|No|Bachelor's Degree|No
26002|Brennan|Patrick|702 Woodsmill Cove Dr|Town and Country|MO|63017|Online|2026-08-11||Yes|Yes|MO|2001-11-02|No||No
26003|Vasquez|Ricardo|16 Meadowbrook Ln|Ballwin|MO|63011|Email|2026-08-19||Yes|Yes|MO|1997-03-28|No|Associate|No
26004|Thibodeaux|Claire|2250 Clarkson Rd Apt 4B|Chesterfield|MO|63017|In Person|2026-10-01 08:15||Yes|Yes|MO|1995-07-09|No|Master's|No
26005|Kowalski|Nathan|||||Personal|2026-09-22||No|Yes|MO|2000-01-14|No||No
26006|Haddad|Samir|935 Des Peres Rd|Des Peres|MO|63131|Online|2026-08-27||Yes|No|MO|1996-12-03|No|B.S.|No
26007|Lindqvist|Erik|14 Forest Crest Dr|Wildwood|MO|63040|Online|2026-09-02||Yes|Yes|MO|1990-06-21|No|Ph.D.|No
26008|Washington|Darnell|5543 Kings Grant Ct|Fenton|MO|63026|USPS|2026-09-10|2026-09-08|Yes|Yes|MO|1993-09-15|Yes||No
26009|Nakamura|Kenji|88 Conway Ridge|Chesterfield|MO|63017|Online|2026-08-15||Yes|Yes|Missouri|1991-02-11|Yes|M.C.J.|No
26010|Reyes|Isabella|311 Kehrs Mill Rd|Ballwin|MO|63011|Online|2026-09-18||Yes|Yes|MO|2005-10-01|No||No
26011|Patel|Priya|4120 Wild Horse Creek Rd|Chesterfield|MO|63005|Online|2026-09-25||Yes|Yes|MO|2005-09-30|No|B.S.|No
26012|Fitzgerald|Molly|27 Ladue Pointe Dr|Creve Coeur|MO|63141|Online|2026-08-30||Yes|Yes|MO|2004-02-29|No|A.A.S.|No
26013|O'Brien|Sean|1210 Ridgecrest Dr|Ellisville|MO|63021|Online|2026-09-05||Yes|Yes|MO|1998-08-08|No||No
26014|Mbeki|Thandiwe|9 Chesterfield Lakes Dr|Chesterfield|MO|63017|Online|2026-08-22||Yes|Yes|MO|1996-04-30|No|Bachelor|No
26015|Castellano|Marco|640 Big Bend Rd|Manchester|MO|63021|Online|2026-09-12||Yes|Yes|MO|1989-12-19|Yes||No
26016|Hughes|Brianna|3300 Hickory Manor Dr|Eureka|MO|63025|Online|2026-09-01||Yes|Yes|MO|2002-07-04|No|BA|No
26017|Abernathy|Cole|57 Arbor Lake Ct|O'Fallon|MO|63366|Personal|2026-09-16||Yes|Yes|MO|1994-01-23|Yes||No
26018|Dubois|Jean-Luc|1701 Olive Blvd Apt 12|Creve Coeur|MO|63141|Online|2026-08-28||Yes|Yes|MO|1999-10-10|No|BS|No
26019|Sandoval|Lucia|208 Clayton Rd|Chesterfield|MO|63017|Online|2026-09-09||Yes|Yes|MO|2000-06-12|No|Associate's|No
26020|Kessler|Tyler|1544 Kiefer Creek Rd|Ballwin|MO|63021|Online|2026-09-03||Yes|Yes|MO|2003-03-03|No||No
26021|Harper|Jasmine|412 N Main St|Edwardsville|IL|62025|Online|2026-08-18||Yes|Yes|IL|1998-11-29|No|AAS|No
26022|Mwangi|Joseph|77 Timberlake Manor Pkwy|Chesterfield|MO|63017|Online|2026-08-06||Yes|Yes|MO|1992-05-05|Yes|AA|No
26023|Sorensen|Kirsten|19 Whitehall Ct|Wildwood|MO|63011|Online|2026-09-20||Yes|Yes|MO|1997-01-30|No||No
26024|Delgado|Alejandro|1003 Woodsmill Rd|Chesterfield|MO|63017|Online|2026-09-14||Yes|Yes|MO|1996-10-22|No|Bachelor's|No
26025|Whitfield|Grace|2680 Grand Vista Dr|Wildwood|MO|63038|Mail|2026-09-15|2026-09-12|Yes|Yes|MO|1999-02-14|No|B.A.|No
26026|Kaur|Harpreet|450 Lamplighter Ln|Maryland Heights|MO|63043|Online|2026-08-25||Yes|Yes|MO|1994-09-09|No|M.S.|No
26027|Osei|Kwame|1221 Country Club Ln|St. Charles|MO|63303|Hand Delivered|2026-09-30||Yes|Yes|MO|1998-04-04|No||No
26028|Bianchi|Francesca|36 Holloway Rd|Ballwin|MO|63011|US Mail|2026-10-02|2026-09-30|Yes|Yes|MO|2000-12-12|No||No
26029|Thompson|Marcus|815 Trailhead Dr|Chesterfield|MO|63005|Online|2026-08-08||Yes|Yes|MO|1995-03-17|No|BSCJ|Yes
26030|Alvarado|Sofia|||||Online|2026-09-21||Yes|Yes|MO|2002-08-16|No||No
26031|Yilmaz|Emre|3 Schoettler Valley Dr|Chesterfield|MO|63017|Email|2026-09-11||Yes|Yes|MO|2001-01-07|No|A.A.|No
26032|Cooper|Dakota|4470 Highway K|O'Fallon|MO|63368|Personal|2026-08-13||Yes|Yes|MO|1992-10-30|Yes|B.A.|No
26033|Nguyen|Linh|9020 Manchester Rd|Brentwood|MO|63144|Online|2026-09-07||Yes|Yes|MO|2000-03-25|No|Bachelors|No
26034|Ramirez|Diego|602 N Kirkwood Rd|Kirkwood|MO|63122|USPS|2026-09-26|2026-09-24|Yes|Yes|MO|1997-07-27|No||No
26035|Adeyemi|Folake|17 Stonebury Ct|Chesterfield|MO|63005|Online|2026-08-20||Yes|Yes|MO|1993-06-06|No|M.P.A.|No
26036|Schneider|Luke|1010 Bopp Rd|Des Peres|MO|63131|Online|2026-09-29||Yes|Yes|MO|2004-05-19|No||No
26037|Rosen|Hannah|255 Chesterfield Village Pkwy|Chesterfield|MO|63017|Online|2026-09-04||Yes|Yes|MO|1998-12-01|No|Bachelor's Degree|No
26038|Begay|Marissa|||||Online|2026-09-17||Yes|Yes|MO|2001-09-23|No|AAS|No
26039|Ferreira|Gabriel|88 Eatherton Rd|Wildwood|MO|63040|Personal|2026-09-10||Yes|Yes|MO|1999-04-11|No||No
26040|Wójcik|Agnieszka|1930 Wildhorse Parkway Dr|Chesterfield|MO|63005|Online|2026-08-29||Yes|Yes|MO|1996-01-26|No|B.S.|No
";

/// Results by applicant: written items correct (of 150), the three oral
/// raters, physical agility. `-` = no row in that file.
const PO_SCORES: &str = "
id|written|r1|r2|r3|agility
26001|138|90|92|91|Pass
26002|118|78|80|76|Pass
26003|124|84|80|83|Pass
26004|141|93|95|92|Pass
26005|121|80|81|79|Pass
26006|-|-|-|-|-
26007|127|86|84|88|Pass
26008|130|88|85|87|Pass
26009|125|81|84|84|Pass
26010|126|85|83|84|Pass
26011|129|82|85|83|Pass
26012|116|81|79|80|Pass
26013|128|83|84|85|Pass
26014|133|88|86|90|Pass
26015|99|75|78|74|Pass
26016|101|82|80|84|Pass
26017|119|66|70|68|Pass
26018|131|85|87|84|Fail
26019|125|absent|absent|absent|Pass
26020|No Show|-|-|-|Fail
26021|137|88|90|89|Pass
26022|123|83|85|84|Pass
26023|132|84|86|85|Pass
26024|126|79|80|81|Pass
26025|117|88|89|90|Pass
26026|122|82|80|81|Pass
26027|120|79|81|80|Pass
26028|114|85|86|87|Pass
26029|119|84|85|83|Pass
26030|128|75|77|76|Pass
26031|110|77|74|76|Pass
26032|134|91|89|93|Pass
26033|112|72|74|73|Pass
26034|108|78|76|77|Pass
26035|136|87|85|86|Pass
26036|105|72|71|73|Pass
26037|131|80|83|82|Pass
26038|115|70|69|71|Pass
26039|104|80|78|79|Pass
26040|127|88|90|89|Pass
";

/// The Board's findings under Disqualification A (minutes of 2026-11-05).
const PO_DETERMINATIONS: &str = "
Applicant ID|Ground|Note|Decided On
26013|A4|Omitted a 2023 arrest (St. Charles County) from the application|2026-11-05
26013|DQ-A4|Misstated dates of prior employment on the application|2026-11-05
26014|A8|Withdrew by letter received 2026-10-28; accepted a position elsewhere|2026-11-05
26015|a6|Dismissed for cause by a previous employer (2024), per background investigation|2026-11-05
";

/// Fingerprinting and the four agency checks (Background), as of the list
/// date. The suggested certification date in the README is 2026-12-01, so
/// dates before 2026-11-01 are out of date then.
const PO_CLEARANCES: &str = "
Applicant ID|Last Name|Fingerprinted On|FBI|Missouri State Highway Patrol|St. Louis County Police Department|Chesterfield Police Department
26001|Okonkwo|2026-11-09|2026-11-13|2026-11-12|2026-11-16|2026-11-10
26007|Lindqvist|2026-11-10||2026-11-13|2026-11-17|2026-11-12
26008|Washington|2026-11-09|2026-11-12|2026-11-12|2026-11-13|2026-11-10
26009|Nakamura|2026-11-09|2026-11-16||2026-11-13|2026-11-11
26021|Harper|2026-11-10|2026-11-16|2026-11-13|2026-11-17|2026-11-12
26032|Cooper|2026-11-09|2026-11-12|2026-11-11|2026-11-16|2026-11-10
26035|Adeyemi|2026-10-05|2026-10-09|2026-10-08|2026-10-12|2026-10-07
";

fn police_officer(out: &Path) -> Res<()> {
    let out = dir(out)?;
    let applicants = Table::parse(PO_APPLICANTS);
    let scores = Table::parse(PO_SCORES);

    // applicants.xlsx: one sheet, canonical-ish human headers, real date cells.
    write_xlsx(
        &out.join("applicants.xlsx"),
        "Police Officer applications, PO-2026-01",
        &[Sheet::from_table(
            "Applicants",
            &applicants,
            "ATTTTTTTDDTTTDTTT",
            &[
                12.0, 14.0, 12.0, 28.0, 16.0, 6.0, 8.0, 14.0, 16.0, 14.0, 8.0, 10.0, 10.0, 13.0,
                10.0, 18.0, 8.0,
            ],
        )],
    )?;

    // written.xlsx: the testing vendor's report, two title lines above its
    // own header; "Candidate Number" and "Number Correct" are mapped in
    // exam.toml [inputs.columns].
    let mut rows = Vec::new();
    for (k, s) in scores.rows.iter().enumerate() {
        if s[1] == "-" {
            continue;
        }
        let (last, first) = applicants.name_of(&s[0]);
        let form = if k % 2 == 0 { "A" } else { "B" };
        rows.push(vec![
            s[0].clone(),
            last,
            first,
            form.to_string(),
            s[1].clone(),
        ]);
    }
    write_xlsx(
        &out.join("written.xlsx"),
        "Written examination score report",
        &[Sheet {
            name: "Score Report",
            titles: strings(&[
                "Metro Public Safety Testing, Inc. - Candidate Score Report",
                "Client: Chesterfield Police Personnel Board | Police Officer Written Examination (150 items) | Administered 10/17/2026",
            ]),
            header: strings(&["Candidate Number", "Last Name", "First Name", "Test Form", "Number Correct"]),
            kinds: parse_kinds("ATTTA", 5),
            rows,
            widths: vec![18.0, 14.0, 12.0, 10.0, 16.0],
        }],
    )?;

    // oral.xlsx: instructions first, the ratings on sheet "Panel".
    let panel_days = ["2026-10-27", "2026-10-28", "2026-10-29"];
    let mut rows = Vec::new();
    for (k, s) in scores.rows.iter().enumerate() {
        if s[2] == "-" {
            continue;
        }
        let (last, first) = applicants.name_of(&s[0]);
        rows.push(vec![
            s[0].clone(),
            format!("{last}, {first}"),
            s[2].clone(),
            s[3].clone(),
            s[4].clone(),
            panel_days[k * 3 / scores.rows.len()].to_string(),
        ]);
    }
    write_xlsx(
        &out.join("oral.xlsx"),
        "Oral board ratings",
        &[
            Sheet::notes(
                "Instructions",
                &[
                    "Oral board - Police Officer PO-2026-01",
                    "Each of the three raters scores every candidate from 0 to 100 on sheet Panel.",
                    "Enter \"absent\" for a candidate who did not appear; do not average a missing rater away.",
                    "Return the completed workbook to the Board Secretary.",
                ],
            ),
            Sheet {
                name: "Panel",
                titles: Vec::new(),
                header: strings(&["Applicant ID", "Applicant", "Oral R1", "Oral R2", "Oral R3", "Panel Date"]),
                kinds: parse_kinds("ATAAAD", 6),
                rows,
                widths: vec![12.0, 24.0, 9.0, 9.0, 9.0, 12.0],
            },
        ],
    )?;

    // agility.xlsx: pass/fail with the event date and the proctor's note.
    let mut rows = Vec::new();
    for (k, s) in scores.rows.iter().enumerate() {
        if s[5] == "-" {
            continue;
        }
        let (last, _) = applicants.name_of(&s[0]);
        let day = if k % 2 == 0 {
            "2026-10-10"
        } else {
            "2026-10-11"
        };
        let note = match s[5].as_str() {
            "Fail" => "Did not complete 1.5-mile run within standard",
            _ => "",
        };
        rows.push(vec![
            s[0].clone(),
            last,
            day.to_string(),
            s[5].clone(),
            note.to_string(),
        ]);
    }
    write_xlsx(
        &out.join("agility.xlsx"),
        "Physical agility results",
        &[Sheet {
            name: "Agility",
            titles: Vec::new(),
            header: strings(&["Applicant ID", "Last Name", "Test Date", "Agility", "Notes"]),
            kinds: parse_kinds("ATDTT", 5),
            rows,
            widths: vec![12.0, 14.0, 12.0, 9.0, 44.0],
        }],
    )?;

    let determinations = Table::parse(PO_DETERMINATIONS);
    write_xlsx(
        &out.join("determinations.xlsx"),
        "Board findings under Disqualification A",
        &[Sheet::from_table(
            "Findings",
            &determinations,
            "ATTD",
            &[12.0, 8.0, 70.0, 12.0],
        )],
    )?;

    let clearances = Table::parse(PO_CLEARANCES);
    write_xlsx(
        &out.join("clearances.xlsx"),
        "Background clearances",
        &[Sheet::from_table(
            "Clearances",
            &clearances,
            "ATDDDDD",
            &[12.0, 14.0, 16.0, 12.0, 16.0, 18.0, 18.0],
        )],
    )?;
    Ok(())
}

// ---------------------------------------------------------------------------
// sergeant: promotional exam SGT-2026-01, every input csv
// ---------------------------------------------------------------------------

/// Applications for Sergeant: all internal, dates partly in m/d/yyyy.
const SGT_APPLICANTS: &str = "
Applicant ID|Last Name|First Name|Badge|Address|City|State|ZIP|Delivery|Received On|Postmarked On|Signed|US Citizen|State of Residence|Certified Officer|Highest Degree|Internal
S-101|Okafor|Chidi|412|1630 Clarkson Rd|Chesterfield|MO|63017|Personal|2026-08-03||Yes|Yes|MO|Yes|MS|Yes
S-102|Lindgren|Amy|377|22 Greenbriar Hills Dr|Kirkwood|MO|63122|Email|2026-08-05||Yes|Yes|MO|Yes|Master's|Yes
S-103|Morales|Hector|455|901 Clayton Rd|Ballwin|MO|63011|Personal|2026-08-10||Yes|Yes|MO|Yes||Yes
S-104|Fairbanks|Dale|298|14 Wilmas Ct|Wildwood|MO|63038||2026-08-11||Yes|Yes|MO|Yes|Associate's|Yes
S-105|Chu|Vivian|503|733 Chesterfield Pkwy W|Chesterfield|MO|63017|Email|2026-08-12||Yes|Yes|MO|Yes|BS|Yes
S-106|Benedetti|Paul|321|58 Sycamore Ln|Eureka|MO|63025|Personal|8/21/2026||Yes|Yes|MO|Yes|none|Yes
S-107|Jefferson|Tanya|468|3409 Hawk Ridge Trl|Wildwood|MO|63040|Email|2026-08-14||Yes|Yes|MO|Yes|Bachelor's|Yes
S-108|Kozlov|Dmitri|511|12 Ladue Ridge Ct|Town and Country|MO|63017|Personal|2026-08-17||Yes|Yes|MO|Yes|BA|Yes
S-109|Gallagher|Erin|440|205 Lindy Blvd|Ballwin|MO|63021|Email|2026-08-18||Yes|Yes|MO|Yes|B.S.|Yes
S-110|Mahmoud|Youssef|389|16 Pinewood Dr|Maryland Heights|MO|63043|Personal|2026-08-19||Yes|Yes|MO|Yes|MPA|Yes
S-111|Pruitt|Wesley|266|4 Cedar Brook Ct|Fenton|MO|63026|Personal|2026-08-20||Yes|Yes|MO|Yes||Yes
S-112|Tanaka|Rena|497|1122 Whispering Oaks Dr|Chesterfield|MO|63017|Email|2026-08-21||Yes|Yes|MO|Yes|BS|Yes
S-113|Oyelaran|Tunde|482|77 Brookhaven Dr|Ellisville|MO|63021|Personal|08/27/2026 4:45 PM||Yes|Yes|MO|Yes|AA|Yes
S-114|Hargrove|Shannon|429|2301 Wild Horse Meadows Dr|Chesterfield|MO|63005|Email|2026-08-24||Yes|Yes|MO|Yes|BA|Yes
S-115|Villanueva|Carlos|356|840 Meramec Station Rd|Valley Park|MO|63088|Personal|2026-08-24||Yes|Yes|MO|Yes||Yes
S-116|Strickland|Brent|301|19 Oak Bluff Ct|Eureka|MO|63025||2026-08-25||Yes|Yes|MO|Yes|Associate|Yes
S-117|Novak|Petra|418|6 Kendall Bluff Ct|Chesterfield|MO|63017|Email|2026-08-25||Yes|Yes|MO|Yes|BS|Yes
S-118|Rahman|Farhan|522|1401 Woodsmill Rd|Town and Country|MO|63017|Personal|2026-08-26||Yes|Yes|MO|Yes||Yes
S-119|McKenzie|Douglas|284|300 Forest Ave|Webster Groves|MO|63119|Email|2026-08-26||Yes|Yes|MO|Yes|BSCJ|Yes
S-120|Ibarra|Natalia|536|55 Autumn Leaf Dr|Ballwin|MO|63011|Personal|2026-08-27||Yes|Yes||Yes||Yes
S-121|Whitaker|Jerome|347|721 Manchester Rd|Ballwin|MO|63011|Personal|09/01/2026||Yes|Yes|MO|Yes|BS|Yes
S-122|Sato|Emily|544|9 Long Meadow Ct|Chesterfield|MO|63005|Email|2026-08-28||Yes|Yes|MO|Yes|B.S.|Yes
S-123|Lebeau|Andre|392|3115 Ridge Manor Ct|Wildwood|MO|63040|Personal|2026-08-28||Yes|Yes|MO|Yes||Yes
S-124|Quinlan|Maureen|405|417 Woodlyn Crossing|Ellisville|MO|63021|Email|2026-08-28||Yes|Yes|MO|Yes|BA|Yes
S-125|Esposito|Frank|259|64 Seven Trails Dr|Ballwin|MO|63011|Personal|2026-08-13||Yes|Yes|MO|Yes|MSCJ|Yes
";

/// Results: written (vendor-scaled 0-100), three assessment-center
/// assessors, the last annual performance rating (1.00-5.00).
const SGT_SCORES: &str = "
id|written|a1|a2|a3|rating
S-101|91|88|90|87|4.60
S-102|81.5|78|80|82|4.10
S-103|76|74|77|75|3.70
S-104|84|85|83|86|4.30
S-105|93|90|92|91|4.75
S-106|72|75|73|74|3.60
S-107|80|83|84|85|4.25
S-108|64.5|80|78|79|3.90
S-109|78|80|82|81|3.80
S-110|87.5|84|85|87|4.40
S-111|79|77|79|80|3.95
S-112|86|81|83|82|4.15
S-113|82|86|84|85|4.05
S-114|88|79|80|81|4.00
S-115|74|78|76|77|3.50
S-116|81|65|68|66|3.85
S-117|85|83|82|84|4.20
S-118|90|87|86|88|4.50
S-119|77.5|79|81|80|3.75
S-120|83|77|78|79|4.20
S-121|89|88|87|89|4.35
S-122|70|72|71|74|3.40
S-123|88.5|83|85|84|4.45
S-124|84|86|85|87|N/A
S-125|75|80|79|81|3.65
";

fn sergeant(out: &Path) -> Res<()> {
    let out = dir(out)?;
    let applicants = Table::parse(SGT_APPLICANTS);
    let scores = Table::parse(SGT_SCORES);
    let comma = b',';

    write_csv(
        &out.join("applicants.csv"),
        &applicants.header,
        &applicants.rows,
        comma,
        false,
    )?;

    // written.csv: saved from Excel as "CSV UTF-8", so it starts with a BOM.
    let rows: Vec<Vec<String>> = scores
        .rows
        .iter()
        .map(|s| {
            let (last, first) = applicants.name_of(&s[0]);
            vec![s[0].clone(), last, first, s[1].clone()]
        })
        .collect();
    write_csv(
        &out.join("written.csv"),
        &strings(&["Applicant ID", "Last Name", "First Name", "Written"]),
        &rows,
        comma,
        true,
    )?;

    // assessment.csv: the assessment center's three assessors.
    let rows: Vec<Vec<String>> = scores
        .rows
        .iter()
        .enumerate()
        .map(|(k, s)| {
            let day = if k < 13 { "2026-10-06" } else { "2026-10-07" };
            vec![
                s[0].clone(),
                s[2].clone(),
                s[3].clone(),
                s[4].clone(),
                day.to_string(),
            ]
        })
        .collect();
    write_csv(
        &out.join("assessment.csv"),
        &strings(&[
            "Applicant ID",
            "Assessor 1",
            "Assessor 2",
            "Assessor 3",
            "Exercise Date",
        ]),
        &rows,
        comma,
        false,
    )?;

    // performance.csv: HR's export, `;`-delimited, names as "Last, First".
    let rows: Vec<Vec<String>> = scores
        .rows
        .iter()
        .map(|s| {
            let (last, first) = applicants.name_of(&s[0]);
            let period = if s[5] == "N/A" {
                "none (military leave)"
            } else {
                "2025-07-01 to 2026-06-30"
            };
            vec![
                s[0].clone(),
                format!("{last}, {first}"),
                period.to_string(),
                s[5].clone(),
            ]
        })
        .collect();
    write_csv(
        &out.join("performance.csv"),
        &strings(&[
            "Applicant ID",
            "Employee",
            "Rating Period",
            "Overall Rating",
        ]),
        &rows,
        b';',
        false,
    )?;

    write_csv(
        &out.join("determinations.csv"),
        &strings(&["applicant_id", "ground", "note", "decided_on"]),
        &[strings(&[
            "S-117",
            "A6",
            "Unsatisfactory service record: sustained Internal Affairs finding, case IA-2025-014",
            "10/14/2026",
        ])],
        comma,
        false,
    )?;
    Ok(())
}

// ---------------------------------------------------------------------------
// lieutenant: qualified list LT-2026-01, applicants xlsx, scores csv
// ---------------------------------------------------------------------------

const LT_APPLICANTS: &str = "
Applicant ID|Last Name|First Name|Current Agency|Address|City|State|ZIP|Delivery|Received On|Postmarked On|Signed|US Citizen|State of Residence|Certified Officer|Highest Degree|Internal
96|Hollister|Grant|Chesterfield PD|118 Windsor Crossing Dr|Chesterfield|MO|63017|Personal|2026-09-21||Yes|Yes|MO|Yes|BS|Yes
97|Deane|Rebecca|Chesterfield PD|45 Chatsworth Ct|Town and Country|MO|63017|Personal|2026-09-24||Yes|Yes|MO|Yes|MPA|Yes
98|DeWitt|Marcus|Chesterfield PD|2209 Hampton Park Dr|Wildwood|MO|63038|Email|2026-10-01||Yes|Yes|MO|Yes|BA|Yes
99|Brown|Michael|Kirkwood PD|512 Geyer Rd|Kirkwood|MO|63122|Online|2026-09-18||Yes|Yes|MO|Yes|MS|No
100|Brown|Michael|Maryland Heights PD|2910 Fee Fee Rd|Maryland Heights|MO|63043|Online|2026-10-05||Yes|Yes|MO|Yes|BS|No
101|Nguyen|Thanh|Chesterfield PD|37 Baxter Lakes Ct|Ballwin|MO|63011|Email|2026-10-08||Yes|Yes|MO|Yes|BS|Yes
102|Nguyen|Anh|Chesterfield PD|1406 Castle Pines Dr|Chesterfield|MO|63017|Personal|2026-10-13||Yes|Yes|MO|Yes|Associate|Yes
103|Muñoz|Elena|Chesterfield PD|800 Kehrs Mill Rd|Chesterfield|MO|63005|Personal|2026-10-15||Yes|Yes|MO|Yes|Master's|Yes
104|Murphy|Colleen|O'Fallon PD|19 Belleau Creek Rd|O'Fallon|MO|63366|Mail|2026-10-14|2026-10-12|Yes|Yes|MO|Yes|BS|No
105|Abbott|Steven|Belleville PD (IL)|211 S Illinois St|Belleville|IL|62220|Online|2026-10-02||Yes|Yes|IL|No|BA|No
106|Castillo|Roberto|Florissant PD|1580 N Highway 67|Florissant|MO|63031|Mail|2026-10-21|2026-10-19|Yes|Yes|MO|Yes|MS|No
107|Ellison|Tara|Ballwin PD|7 Kennedy Rd|Ballwin|MO|63011|Online|2026-10-16||Yes|Yes|MO|Yes||No
";

const LT_SCORES: &str = "
applicant_id|written|oral
96|84|88
97|91|87
98|78|82
99|86|79
100|80|85
101|88|90
102|75|80
103|82.5|86
104|90|92
105|79|65
106|85|83
107|72|76
";

fn lieutenant(out: &Path) -> Res<()> {
    let out = dir(out)?;
    let applicants = Table::parse(LT_APPLICANTS);
    write_xlsx(
        &out.join("applicants.xlsx"),
        "Police Lieutenant applications, LT-2026-01",
        &[Sheet::from_table(
            "Applicants",
            &applicants,
            "ATTTTTTTTDDTTTTTT",
            &[
                12.0, 12.0, 12.0, 20.0, 24.0, 16.0, 6.0, 8.0, 10.0, 12.0, 14.0, 8.0, 10.0, 10.0,
                10.0, 12.0, 8.0,
            ],
        )],
    )?;
    let scores = Table::parse(LT_SCORES);
    write_csv(
        &out.join("scores.csv"),
        &scores.header,
        &scores.rows,
        b',',
        false,
    )?;
    Ok(())
}
