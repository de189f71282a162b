//! Writing the outputs of `score` (SPEC 5). Every file is rendered in memory
//! first, so an error in rendering leaves OUTDIR untouched; each file is then
//! written to a temporary name in OUTDIR and renamed into place.

pub mod certification;
pub mod csv;
pub mod notices;
pub mod xlsx;

use crate::error::{Error, Result};
use crate::record::ListOfRecord;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The files `score` writes, by name.
pub const LIST_FILES: [&str; 5] = [
    "eligibility-list.csv",
    "eligibility-list.xlsx",
    "not-eligible.csv",
    "scores.csv",
    "result.json",
];

/// Renders every output of the list of record: `(file name, bytes)`.
pub fn render(record: &ListOfRecord) -> Vec<(String, Vec<u8>)> {
    let mut json = serde_json::to_vec_pretty(record).expect("the record serialises");
    json.push(b'\n');
    vec![
        ("eligibility-list.csv".into(), csv::eligibility_list(record)),
        ("not-eligible.csv".into(), csv::not_eligible(record)),
        ("scores.csv".into(), csv::scores(record)),
        ("eligibility-list.xlsx".into(), xlsx::workbook(record)),
        ("result.json".into(), json),
    ]
}

/// Refuses an OUTDIR that already holds a list unless `force`.
pub fn check_outdir(outdir: &Path, force: bool) -> Result<()> {
    if outdir.exists() && !outdir.is_dir() {
        return Err(Error::Usage(format!(
            "{} exists and is not a folder; name a folder for the outputs",
            outdir.display()
        )));
    }
    if !force {
        let existing: Vec<&str> = LIST_FILES
            .iter()
            .copied()
            .filter(|f| outdir.join(f).exists())
            .collect();
        if !existing.is_empty() {
            return Err(Error::Usage(format!(
                "{} already holds a list ({}); a list of record is never overwritten by accident: use another folder, or --force to replace it",
                outdir.display(),
                existing.join(", ")
            )));
        }
    }
    Ok(())
}

/// Writes each file to a temporary name in `outdir`, then renames them all
/// into place. On failure every temporary file is removed.
pub fn write_atomically(outdir: &Path, files: &[(String, Vec<u8>)]) -> Result<()> {
    fs::create_dir_all(outdir).map_err(|e| Error::io(outdir, e))?;
    let mut temps: Vec<(PathBuf, PathBuf)> = Vec::new();
    let cleanup = |temps: &[(PathBuf, PathBuf)]| {
        for (t, _) in temps {
            let _ = fs::remove_file(t);
        }
    };
    for (name, bytes) in files {
        let target = outdir.join(name);
        if let Some(parent) = target.parent() {
            if let Err(e) = fs::create_dir_all(parent) {
                cleanup(&temps);
                return Err(Error::io(parent, e));
            }
        }
        let file_name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let temp = target.with_file_name(format!(".{file_name}.meritlist-tmp"));
        let result = (|| -> std::io::Result<()> {
            let mut f = fs::File::create(&temp)?;
            f.write_all(bytes)?;
            f.sync_all()
        })();
        temps.push((temp.clone(), target));
        if let Err(e) = result {
            cleanup(&temps);
            return Err(Error::io(temp, e));
        }
    }
    for (i, (temp, target)) in temps.iter().enumerate() {
        if let Err(e) = fs::rename(temp, target) {
            cleanup(&temps[i..]);
            return Err(Error::io(target, e));
        }
    }
    Ok(())
}
