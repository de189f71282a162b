//! Generates a realistic exam of N applicants, deterministic from a seed,
//! for measuring meritlist at scale (BENCHMARKS.md).
//!
//!     cargo run --release --example gen -- --applicants 1000000 --format xlsx --seed 7 -o big/
//!
//! Writes exam.toml and applicants, written (a testing vendor's 150-item
//! test), oral (three raters), agility (pass/fail), determinations and
//! clearances files, as csv or xlsx (date cells, numeric IDs).

use chrono::{Days, NaiveDate};
use clap::{Parser, ValueEnum};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

#[derive(Parser)]
struct Args {
    /// How many applicants.
    #[arg(long, default_value_t = 10_000)]
    applicants: usize,
    /// csv or xlsx.
    #[arg(long, value_enum, default_value_t = Fmt::Csv)]
    format: Fmt,
    /// The random seed: the same seed gives the same files.
    #[arg(long, default_value_t = 7)]
    seed: u64,
    /// The folder to write.
    #[arg(short = 'o', long = "out")]
    out: PathBuf,
    /// xlsx only: keep text in the workbook's shared-strings table, as
    /// Excel does, instead of in the cells (inline strings).
    #[arg(long)]
    shared_strings: bool,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Fmt {
    Csv,
    Xlsx,
}

/// xorshift64*: small, fast, deterministic.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn chance(&mut self, per_thousand: u64) -> bool {
        self.below(1000) < per_thousand
    }
}

const LAST: [&str; 24] = [
    "Smith",
    "Johnson",
    "Williams",
    "Brown",
    "Jones",
    "Garcia",
    "Miller",
    "Davis",
    "Rodriguez",
    "Martinez",
    "Hernandez",
    "Lopez",
    "Gonzalez",
    "Wilson",
    "Anderson",
    "Thomas",
    "Taylor",
    "Moore",
    "Jackson",
    "Martin",
    "Lee",
    "Perez",
    "Thompson",
    "O'Neil",
];
const FIRST: [&str; 20] = [
    "James",
    "Mary",
    "Robert",
    "Patricia",
    "John",
    "Jennifer",
    "Michael",
    "Linda",
    "David",
    "Elizabeth",
    "William",
    "Barbara",
    "Richard",
    "Susan",
    "Joseph",
    "Jessica",
    "Thomas",
    "Sarah",
    "Chris",
    "Karen",
];
const DEGREES: [&str; 7] = ["", "", "", "AA", "Bachelor's", "M.S.", "Ph.D."];
const AGENCIES: [&str; 4] = [
    "FBI",
    "Missouri State Highway Patrol",
    "St. Louis County Police Department",
    "Chesterfield Police Department",
];

#[derive(Clone)]
enum V {
    S(String),
    N(f64),
    D(NaiveDate),
    Blank,
}

struct Table {
    name: &'static str,
    header: Vec<String>,
    rows: Vec<Vec<V>>,
}

fn main() {
    let args = Args::parse();
    std::fs::create_dir_all(&args.out).expect("create the output folder");
    let mut rng = Rng(args.seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let deadline = NaiveDate::from_ymd_opt(2026, 9, 30).unwrap();
    let start = NaiveDate::from_ymd_opt(2026, 7, 1).unwrap();
    let n = args.applicants;
    let h = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let mut applicants = Table {
        name: "applicants",
        header: h(&[
            "Applicant ID",
            "Last Name",
            "First Name",
            "Address",
            "City",
            "State",
            "Zip",
            "Delivery",
            "Received On",
            "Postmarked On",
            "Signed",
            "US Citizen",
            "State of Residence",
            "Certified Officer",
            "Highest Degree",
            "Internal",
            "Date of Birth",
        ]),
        rows: Vec::with_capacity(n),
    };
    let mut written = Table {
        name: "written",
        header: h(&["Candidate Number", "Number Correct"]),
        rows: Vec::with_capacity(n),
    };
    let mut oral = Table {
        name: "oral",
        header: h(&["Applicant ID", "Oral R1", "Oral R2", "Oral R3"]),
        rows: Vec::with_capacity(n),
    };
    let mut agility = Table {
        name: "agility",
        header: h(&["Applicant ID", "Agility"]),
        rows: Vec::with_capacity(n),
    };
    let mut determinations = Table {
        name: "determinations",
        header: h(&["Applicant ID", "Ground", "Note", "Decided On"]),
        rows: Vec::new(),
    };
    let mut ch = h(&["Applicant ID", "Fingerprinted On"]);
    ch.extend(AGENCIES.iter().map(|s| s.to_string()));
    let mut clearances = Table {
        name: "clearances",
        header: ch,
        rows: Vec::new(),
    };

    for i in 0..n {
        let id = V::N((1_000_000 + i) as f64);
        let received = start + Days::new(rng.below(95));
        let mail = rng.chance(120);
        let postmark = if mail {
            V::D(received - Days::new(1 + rng.below(4)))
        } else {
            V::Blank
        };
        let born = NaiveDate::from_ymd_opt(
            1975 + rng.below(31) as i32,
            1 + rng.below(12) as u32,
            1 + rng.below(28) as u32,
        )
        .unwrap();
        let yn = |b: bool| V::S(if b { "yes" } else { "no" }.into());
        applicants.rows.push(vec![
            id.clone(),
            V::S(LAST[rng.below(LAST.len() as u64) as usize].into()),
            V::S(FIRST[rng.below(FIRST.len() as u64) as usize].into()),
            V::S(format!("{} Main St", 1 + rng.below(9999))),
            V::S("Chesterfield".into()),
            V::S("MO".into()),
            V::S("63017".into()),
            V::S(if mail { "mail" } else { "online" }.into()),
            V::D(received.min(deadline + Days::new(3))),
            postmark,
            yn(!rng.chance(5)),
            yn(!rng.chance(8)),
            V::S(if rng.chance(40) { "IL" } else { "MO" }.into()),
            yn(rng.chance(150)),
            V::S(DEGREES[rng.below(DEGREES.len() as u64) as usize].into()),
            yn(false),
            V::D(born),
        ]);
        let wid = id.clone();
        if rng.chance(15) {
            written.rows.push(vec![wid, V::S("No Show".into())]);
        } else {
            written
                .rows
                .push(vec![wid, V::N((70 + rng.below(81)) as f64)]);
        }
        if rng.chance(10) {
            oral.rows.push(vec![
                id.clone(),
                V::S("absent".into()),
                V::S("absent".into()),
                V::S("absent".into()),
            ]);
        } else {
            let base = 55 + rng.below(40);
            oral.rows.push(vec![
                id.clone(),
                V::N((base + rng.below(6)) as f64),
                V::N((base + rng.below(6)) as f64),
                V::N((base + rng.below(6)) as f64),
            ]);
        }
        agility.rows.push(vec![
            id.clone(),
            V::S(if rng.chance(40) { "Fail" } else { "Pass" }.into()),
        ]);
        if rng.chance(5) {
            determinations.rows.push(vec![
                id.clone(),
                V::S(format!("A{}", 2 + rng.below(5))),
                V::S("Board finding".into()),
                V::D(NaiveDate::from_ymd_opt(2026, 11, 5).unwrap()),
            ]);
        }
        if rng.chance(300) {
            let d = NaiveDate::from_ymd_opt(2026, 11, 1).unwrap() + Days::new(rng.below(20));
            let mut row = vec![id.clone(), V::D(d)];
            row.extend((0..4).map(|_| {
                if rng.chance(100) {
                    V::Blank
                } else {
                    V::D(d + Days::new(rng.below(5)))
                }
            }));
            clearances.rows.push(row);
        }
    }
    let ext = if args.format == Fmt::Csv {
        "csv"
    } else {
        "xlsx"
    };
    for t in [
        &applicants,
        &written,
        &oral,
        &agility,
        &determinations,
        &clearances,
    ] {
        let path = args.out.join(format!("{}.{ext}", t.name));
        match args.format {
            Fmt::Csv => write_csv(&path, t),
            Fmt::Xlsx => write_xlsx(&path, t, args.shared_strings),
        }
    }
    let exam = format!(
        r#"# Generated by `cargo run --release --example gen -- --applicants {n} --format {ext} --seed {seed}{sst}`
[exam]
id = "GEN-{seed}"
position = "Police Officer"
rank = "officer"
application_deadline = 2026-09-30
list_established = 2026-11-20

[inputs]
applicants = "applicants.{ext}"
scores = ["written.{ext}", "oral.{ext}", "agility.{ext}"]
determinations = "determinations.{ext}"
clearances = "clearances.{ext}"

[inputs.columns]
applicant_id = "Candidate Number"
written = "Number Correct"

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
"#,
        seed = args.seed,
        sst = if args.shared_strings {
            " --shared-strings"
        } else {
            ""
        }
    );
    std::fs::write(args.out.join("exam.toml"), exam).expect("write exam.toml");
    eprintln!("wrote {n} applicants as {ext} to {}", args.out.display());
}

fn text(v: &V) -> String {
    match v {
        V::S(s) => s.clone(),
        V::N(x) => format!("{x}"),
        V::D(d) => d.format("%Y-%m-%d").to_string(),
        V::Blank => String::new(),
    }
}

fn write_csv(path: &Path, t: &Table) {
    let mut out = String::with_capacity(t.rows.len() * 64);
    out.push_str(&t.header.join(","));
    out.push('\n');
    for r in &t.rows {
        for (i, v) in r.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            let s = text(v);
            if s.contains(',') || s.contains('"') {
                let _ = write!(out, "\"{}\"", s.replace('"', "\"\""));
            } else {
                out.push_str(&s);
            }
        }
        out.push('\n');
    }
    std::fs::write(path, out).expect("write csv");
}

fn write_xlsx(path: &Path, t: &Table, shared_strings: bool) {
    let mut wb = Workbook::new();
    wb.set_properties(
        &rust_xlsxwriter::DocProperties::new()
            .set_creation_datetime(&ExcelDateTime::from_ymd(2026, 11, 20).unwrap()),
    );
    let date = Format::new().set_num_format("yyyy-mm-dd");
    // Both stream rows to a temporary file; low memory keeps the text in
    // the shared-strings table, as Excel writes it.
    let ws = if shared_strings {
        wb.add_worksheet_with_low_memory()
    } else {
        wb.add_worksheet_with_constant_memory()
    }
    .expect("a temporary folder for the worksheet");
    ws.set_name("Sheet1").unwrap();
    for (c, h) in t.header.iter().enumerate() {
        ws.write_string(0, c as u16, h).unwrap();
    }
    for (r, row) in t.rows.iter().enumerate() {
        let r = r as u32 + 1;
        for (c, v) in row.iter().enumerate() {
            let c = c as u16;
            match v {
                V::S(s) => {
                    ws.write_string(r, c, s).unwrap();
                }
                V::N(x) => {
                    ws.write_number(r, c, *x).unwrap();
                }
                V::D(d) => {
                    use chrono::Datelike;
                    let dt =
                        ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)
                            .unwrap();
                    ws.write_datetime_with_format(r, c, &dt, &date).unwrap();
                }
                V::Blank => {}
            }
        }
    }
    wb.save(path).expect("write xlsx");
}
