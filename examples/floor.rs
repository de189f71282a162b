//! The I/O floor for BENCHMARKS.md: the time to read an exam's inputs
//! (calamine for spreadsheets, the csv crate for CSVs) and to write the same
//! outputs meritlist wrote (the CSVs with the csv crate, the workbook with
//! rust_xlsxwriter, result.json and the notices as bytes) and nothing else:
//! no validation, no rules, no ranking.
//!
//!     cargo run --release --example floor -- big/exam.toml OUTDIR
//!
//! OUTDIR is a folder `meritlist score` wrote for that exam; the floor
//! writes copies of its files to OUTDIR/../floor-out.

use calamine::{Reader, Xlsx};
use rayon::prelude::*;
use rust_xlsxwriter::{Format, Workbook};
use std::path::{Path, PathBuf};
use std::time::Instant;

fn read_input(path: &Path, sheet: Option<&str>, delimiter: Option<u8>) -> usize {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_lowercase();
    if ext == "xlsx" || ext == "xlsm" {
        let mut wb: Xlsx<_> = calamine::open_workbook(path).expect("open workbook");
        let name = sheet
            .map(String::from)
            .unwrap_or_else(|| wb.sheet_names()[0].clone());
        let mut cells = wb.worksheet_cells_reader(&name).expect("sheet");
        let mut n = 0;
        while let Some(_c) = cells.next_cell().expect("cell") {
            n += 1;
        }
        n
    } else {
        let bytes = std::fs::read(path).expect("read csv");
        let mut r = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(delimiter.unwrap_or(b','))
            .from_reader(&bytes[..]);
        let mut rec = csv::ByteRecord::new();
        let mut n = 0;
        while r.read_byte_record(&mut rec).expect("record") {
            n += rec.len();
        }
        n
    }
}

/// CPU seconds (user, system) this process has used, from /proc (Linux;
/// zeros elsewhere): the floor's timed part is reported in CPU as well as
/// wall time, so that the two programs' work can be compared on a busy
/// machine.
fn cpu() -> (f64, f64) {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // The fields after the command's closing parenthesis; utime and stime
    // are the 12th and 13th of them, in clock ticks (100 a second).
    let rest = stat.rsplit_once(')').map(|(_, r)| r).unwrap_or("");
    let f: Vec<f64> = rest
        .split_whitespace()
        .map(|x| x.parse().unwrap_or(0.0))
        .collect();
    let tick = |i: usize| f.get(i).copied().unwrap_or(0.0) / 100.0;
    (tick(11), tick(12))
}

fn load_csv(path: &Path) -> Vec<csv::StringRecord> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_path(path)
        .expect("open output csv")
        .records()
        .map(|r| r.expect("record"))
        .collect()
}

fn files_in(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    match std::fs::read_dir(dir) {
        Err(_) => Vec::new(),
        Ok(rd) => rd
            .map(|e| e.unwrap().path())
            .map(|p| {
                let b = std::fs::read(&p).unwrap();
                (p, b)
            })
            .collect(),
    }
}

fn main() {
    let mut args = std::env::args().skip(1);
    let exam_path = PathBuf::from(args.next().expect("EXAM.toml"));
    let outdir = PathBuf::from(args.next().expect("OUTDIR written by meritlist score"));
    let exam = meritlist::exam::load(&exam_path).expect("exam");
    let dest = outdir.with_file_name("floor-out");
    let _ = std::fs::remove_dir_all(&dest);
    std::fs::create_dir_all(dest.join("notices")).unwrap();

    // Untimed: the outputs to write again.
    let csvs: Vec<(&str, Vec<csv::StringRecord>)> =
        ["eligibility-list.csv", "not-eligible.csv", "scores.csv"]
            .into_iter()
            .map(|n| (n, load_csv(&outdir.join(n))))
            .collect();
    let json = std::fs::read(outdir.join("result.json")).unwrap();
    let notices = files_in(&outdir.join("notices"));

    let cpu0 = cpu();
    let t = Instant::now();
    let mut inputs: Vec<(PathBuf, Option<String>, Option<u8>)> = vec![(
        exam.inputs.applicants.path.clone(),
        exam.inputs.applicants.sheet.clone(),
        exam.inputs.applicants.delimiter,
    )];
    for s in exam
        .inputs
        .scores
        .iter()
        .chain(&exam.inputs.determinations)
        .chain(&exam.inputs.clearances)
    {
        inputs.push((s.path.clone(), s.sheet.clone(), s.delimiter));
    }
    let cells: usize = inputs
        .par_iter()
        .map(|(p, s, d)| read_input(p, s.as_deref(), *d))
        .sum();
    let read = t.elapsed();

    let t = Instant::now();
    // The CSVs, the JSON and the workbook at once, as meritlist writes them.
    rayon::scope(|scope| {
        scope.spawn(|_| {
            for (name, rows) in &csvs {
                let mut w = csv::WriterBuilder::new()
                    .terminator(csv::Terminator::Any(b'\n'))
                    .from_path(dest.join(name))
                    .unwrap();
                for r in rows {
                    w.write_record(r).unwrap();
                }
                w.flush().unwrap();
                // The same durability as meritlist: on disk before renaming.
                w.into_inner().unwrap().sync_all().unwrap();
            }
            let mut f = std::fs::File::create(dest.join("result.json")).unwrap();
            std::io::Write::write_all(&mut f, &json).unwrap();
            f.sync_all().unwrap();
        });
        scope.spawn(|_| {
            let mut wb = Workbook::new();
            let number = Format::new().set_num_format("0.00");
            for (name, rows) in &csvs {
                let ws = wb.add_worksheet_with_constant_memory().unwrap();
                ws.set_name(name.trim_end_matches(".csv")).unwrap();
                // As meritlist styles its cells: once per column (here, a
                // number format where the first row holds a number), the
                // cells written without a format of their own.
                if let Some(first) = rows.get(1) {
                    for (c, v) in first.iter().enumerate() {
                        if v.parse::<f64>().is_ok() {
                            ws.set_column_format(c as u16, &number).unwrap();
                        }
                    }
                }
                for (r, rec) in rows.iter().enumerate().take(1_048_575) {
                    for (c, v) in rec.iter().enumerate() {
                        match v.parse::<f64>() {
                            Ok(x) if r > 0 => ws.write_number(r as u32, c as u16, x).unwrap(),
                            _ => ws.write_string(r as u32, c as u16, v).unwrap(),
                        };
                    }
                }
            }
            // As meritlist saves it (the same bytes need the same level).
            wb.set_zip_compression_level(3);
            wb.save(dest.join("eligibility-list.xlsx")).unwrap();
        });
    });
    notices.par_iter().for_each(|(p, b)| {
        std::fs::write(dest.join("notices").join(p.file_name().unwrap()), b).unwrap();
    });
    let write = t.elapsed();
    let cpu1 = cpu();
    println!(
        "floor: read {:.3} s ({cells} cells) + write {:.3} s = {:.3} s",
        read.as_secs_f64(),
        write.as_secs_f64(),
        (read + write).as_secs_f64()
    );
    println!(
        "floor cpu: user {:.2} s, system {:.2} s",
        cpu1.0 - cpu0.0,
        cpu1.1 - cpu0.1
    );
}
