//! Test harness: a temporary exam folder per test, input files written as
//! CSV or real xlsx workbooks, and the real `meritlist` binary run on them.

#![allow(dead_code)]

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;

/// 1009 declines an offer on 2027-05-01: an event for the journal of the
/// police-officer-mini example's list, scored into `out`.
pub const DECLINE: [&str; 8] = [
    "record",
    "out",
    "--applicant",
    "1009",
    "--event",
    "declined",
    "--date",
    "2027-05-01",
];

/// One test's folder.
pub struct Dir {
    pub tmp: tempfile::TempDir,
}

/// The result of running the binary.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn ok(&self) -> &Self {
        assert_eq!(self.code, 0, "expected success; stderr:\n{}", self.stderr);
        self
    }
    /// Asserts exit 2 and returns stderr.
    pub fn invalid(&self) -> &str {
        assert_eq!(
            self.code, 2,
            "expected exit 2 (invalid input); stdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        &self.stderr
    }
}

/// A spreadsheet cell for `Dir::xlsx`.
#[derive(Debug, Clone)]
pub enum X {
    S(&'static str),
    T(String),
    I(i64),
    N(f64),
    B(bool),
    /// A date cell (year, month, day).
    D(i32, u32, u32),
    /// A date-time cell.
    Dt(i32, u32, u32, u32, u32),
    /// A formula whose cached value is this error (`#N/A`).
    E(&'static str),
    Blank,
}

impl Dir {
    /// A folder holding a copy of the worked example `tests/examples/NAME`,
    /// not yet scored.
    pub fn example(name: &str) -> Dir {
        let dir = Dir::new();
        copy_dir(&repo().join("tests/examples").join(name), dir.tmp.path());
        dir
    }

    /// A worked example from `tests/examples/NAME`, already scored into
    /// `out/` (the run is asserted to succeed).
    pub fn scored_example(name: &str) -> Dir {
        let dir = Dir::example(name);
        dir.score().ok();
        dir
    }

    pub fn new() -> Dir {
        Dir {
            tmp: tempfile::tempdir().expect("temp dir"),
        }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.tmp.path().join(name)
    }

    pub fn write(&self, name: &str, content: &str) -> &Self {
        let p = self.path(name);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        std::fs::write(p, content).unwrap();
        self
    }

    pub fn write_bytes(&self, name: &str, content: &[u8]) -> &Self {
        std::fs::write(self.path(name), content).unwrap();
        self
    }

    pub fn read(&self, name: &str) -> String {
        std::fs::read_to_string(self.path(name))
            .unwrap_or_else(|e| panic!("cannot read {name}: {e}"))
    }

    pub fn exists(&self, name: &str) -> bool {
        self.path(name).exists()
    }

    /// Writes an xlsx workbook: sheets of rows of cells.
    pub fn xlsx(&self, name: &str, sheets: &[(&str, Vec<Vec<X>>)]) -> &Self {
        let bytes = xlsx_bytes(sheets);
        self.write_bytes(name, &bytes)
    }

    /// Runs `meritlist` with `args` in this folder.
    pub fn run(&self, args: &[&str]) -> Run {
        self.run_env(args, &[])
    }

    pub fn run_env(&self, args: &[&str], env: &[(&str, &str)]) -> Run {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_meritlist"));
        cmd.args(args).current_dir(self.tmp.path());
        for (k, v) in env {
            cmd.env(k, v);
        }
        let out = cmd.output().expect("run meritlist");
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    /// `meritlist score exam.toml -o out`.
    pub fn score(&self) -> Run {
        self.run(&["score", "exam.toml", "-o", "out"])
    }

    /// Scores and returns a CSV output as rows of fields (header included).
    pub fn csv(&self, name: &str) -> Vec<Vec<String>> {
        parse_csv(&self.read(&format!("out/{name}")))
    }

    /// The row of a CSV output for one applicant (first column or
    /// `applicant_id` column), as header → value pairs.
    pub fn row(&self, name: &str, id: &str) -> Option<Vec<(String, String)>> {
        let rows = self.csv(name);
        let header = rows[0].clone();
        let idc = header.iter().position(|h| h == "applicant_id").unwrap();
        rows[1..]
            .iter()
            .find(|r| r[idc] == id)
            .map(|r| header.iter().cloned().zip(r.iter().cloned()).collect())
    }

    pub fn field(&self, name: &str, id: &str, column: &str) -> String {
        let row = self
            .row(name, id)
            .unwrap_or_else(|| panic!("{id} is not in {name}"));
        row.into_iter()
            .find(|(h, _)| h == column)
            .unwrap_or_else(|| panic!("{name} has no column {column}"))
            .1
    }

    /// Files in `out/`, or none when it does not exist.
    pub fn out_files(&self) -> Vec<String> {
        match std::fs::read_dir(self.path("out")) {
            Err(_) => Vec::new(),
            Ok(rd) => {
                let mut v: Vec<String> = rd
                    .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                    .collect();
                v.sort();
                v
            }
        }
    }
}

pub fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    r.records()
        .map(|rec| rec.unwrap().iter().map(String::from).collect())
        .collect()
}

pub fn xlsx_bytes(sheets: &[(&str, Vec<Vec<X>>)]) -> Vec<u8> {
    use rust_xlsxwriter::{ExcelDateTime, Format, Formula, Workbook};
    let mut wb = Workbook::new();
    let date_fmt = Format::new().set_num_format("yyyy-mm-dd");
    let dt_fmt = Format::new().set_num_format("yyyy-mm-dd hh:mm");
    let props = rust_xlsxwriter::DocProperties::new()
        .set_creation_datetime(&ExcelDateTime::from_ymd(2026, 1, 1).unwrap());
    wb.set_properties(&props);
    for (name, rows) in sheets {
        let ws = wb.add_worksheet();
        ws.set_name(*name).unwrap();
        for (r, row) in rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                let (r, c) = (r as u32, c as u16);
                match cell {
                    X::S(s) => {
                        ws.write_string(r, c, *s).unwrap();
                    }
                    X::T(s) => {
                        ws.write_string(r, c, s).unwrap();
                    }
                    X::I(i) => {
                        ws.write_number(r, c, *i as f64).unwrap();
                    }
                    X::N(n) => {
                        ws.write_number(r, c, *n).unwrap();
                    }
                    X::B(b) => {
                        ws.write_boolean(r, c, *b).unwrap();
                    }
                    X::D(y, m, d) => {
                        let dt = ExcelDateTime::from_ymd(*y as u16, *m as u8, *d as u8).unwrap();
                        ws.write_datetime_with_format(r, c, &dt, &date_fmt).unwrap();
                    }
                    X::Dt(y, m, d, h, mi) => {
                        let dt = ExcelDateTime::from_ymd(*y as u16, *m as u8, *d as u8)
                            .unwrap()
                            .and_hms(*h as u16, *mi as u8, 0)
                            .unwrap();
                        ws.write_datetime_with_format(r, c, &dt, &dt_fmt).unwrap();
                    }
                    X::E(e) => {
                        ws.write_formula(r, c, Formula::new("=NA()").set_result(*e))
                            .unwrap();
                    }
                    X::Blank => {}
                }
            }
        }
    }
    wb.save_to_buffer().unwrap()
}

/// Rewrites an xlsx to the 1904 date system: the workbook flag set and every
/// date serial shifted by the 1462 days between the two epochs, so the
/// dates read the same.
pub fn to_1904(bytes: &[u8], date_cells: &[&str]) -> Vec<u8> {
    let mut zin = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..zin.len() {
        let mut f = zin.by_index(i).unwrap();
        let name = f.name().unwrap().to_string();
        let mut data = Vec::new();
        f.read_to_end(&mut data).unwrap();
        if name == "xl/workbook.xml" {
            let s = String::from_utf8(data).unwrap();
            let s = s.replacen("<workbookPr ", "<workbookPr date1904=\"1\" ", 1);
            data = s.into_bytes();
        }
        if name.starts_with("xl/worksheets/sheet") {
            let mut s = String::from_utf8(data).unwrap();
            for cell in date_cells {
                let start = s.find(&format!("<c r=\"{cell}\"")).expect("date cell");
                let v0 = s[start..].find("<v>").unwrap() + start + 3;
                let v1 = s[v0..].find("</v>").unwrap() + v0;
                let serial: f64 = s[v0..v1].parse().unwrap();
                s.replace_range(v0..v1, &format!("{}", serial - 1462.0));
            }
            data = s.into_bytes();
        }
        let opts: zip::write::SimpleFileOptions = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        out.start_file(name, opts).unwrap();
        out.write_all(&data).unwrap();
    }
    out.finish().unwrap().into_inner()
}

/// A small valid exam, csv inputs, for tests that change one thing.
/// `extra` is appended to exam.toml.
pub const EXAM: &str = r#"[exam]
id = "T-2026-01"
position = "Police Officer"
rank = "officer"
application_deadline = 2026-09-30
list_established = 2026-11-20

[inputs]
applicants = "applicants.csv"
scores = ["written.csv", "oral.csv"]

[[components]]
name = "written"
weight = 0.6
pass_mark = 70

[[components]]
name = "oral"
weight = 0.4
columns = ["oral_r1", "oral_r2", "oral_r3"]
pass_mark = 70
"#;

pub const APPLICANTS_HEADER: &str = "applicant_id,last_name,first_name,delivery,received_on,postmarked_on,signed,us_citizen,state_of_residence,certified_officer,highest_degree,internal\n";

/// An applicant row with defaults: on time, signed, citizen, MO, no points.
pub fn applicant(id: &str, last: &str) -> String {
    format!("{id},{last},Pat,online,2026-09-01,,yes,yes,MO,no,,no\n")
}

/// Writes the small exam with the given applicants rows (header added), and
/// written/oral rows (`id,written` and `id,r1,r2,r3`).
pub fn small_exam(dir: &Dir, extra: &str, applicants: &[String], written: &[&str], oral: &[&str]) {
    dir.write("exam.toml", &format!("{EXAM}{extra}"));
    let mut a = APPLICANTS_HEADER.to_string();
    for r in applicants {
        a.push_str(r);
    }
    dir.write("applicants.csv", &a);
    let mut w = "applicant_id,written\n".to_string();
    for r in written {
        w.push_str(r);
        w.push('\n');
    }
    dir.write("written.csv", &w);
    let mut o = "applicant_id,oral_r1,oral_r2,oral_r3\n".to_string();
    for r in oral {
        o.push_str(r);
        o.push('\n');
    }
    dir.write("oral.csv", &o);
}

pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).unwrap();
        }
    }
}

/// The repository root.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}
