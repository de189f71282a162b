//! The current list: the list of record (`result.json`, never rewritten)
//! plus the journal's events up to a date (SPEC 6 and 7).

use crate::error::{Error, Result};
use crate::journal::{self, Event};
use crate::record::{ApplicantRecord, ListOfRecord, FORMAT_VERSION};
use chrono::NaiveDate;
use std::path::Path;

/// Parses a date the record itself wrote (`YYYY-MM-DD`).
pub fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_else(|_| {
        panic!("the list of record holds the date {s:?}, which it cannot have written")
    })
}

/// Reads `OUTDIR/result.json`.
pub fn load(outdir: &Path) -> Result<ListOfRecord> {
    let path = outdir.join("result.json");
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            // A `score` stopped while it replaced the list: result.json is
            // set aside first and placed last (output::Staging::commit), so
            // its absence beside its set-aside copy means the old list is
            // set aside whole and the new one is not complete. (With
            // result.json in place the new list is complete: what is left
            // set aside is the old one's, removed by the next score.)
            if outdir
                .join(crate::output::set_aside_name("result.json"))
                .exists()
            {
                let aside: Vec<&str> = crate::output::LIST_FILES
                    .iter()
                    .chain(&crate::output::DOCUMENT_DIRS)
                    .copied()
                    .filter(|f| outdir.join(crate::output::set_aside_name(f)).exists())
                    .collect();
                return Err(Error::Usage(format!(
                    "{} holds no complete list: a `meritlist score` into it was stopped while it replaced the list (the previous list's {} are set aside as hidden .NAME.meritlist-old files). Run the same score again with --force, or, to keep the previous list, rename each .NAME.meritlist-old back to NAME",
                    outdir.display(),
                    aside.join(", ")
                )));
            }
            return Err(Error::Usage(format!(
            "{} holds no list of record (result.json); run `meritlist score EXAM.toml -o {}` first",
            outdir.display(),
            outdir.display()
        )));
        }
        Err(e) => return Err(Error::io(path, e)),
    };
    let record: ListOfRecord = serde_json::from_str(&text).map_err(|e| {
        Error::Usage(format!(
            "{}: not a list of record meritlist can read ({e})",
            path.display()
        ))
    })?;
    if record.format != FORMAT_VERSION {
        return Err(Error::Usage(format!(
            "{}: written in list format {}, but this meritlist reads format {FORMAT_VERSION}",
            path.display(),
            record.format
        )));
    }
    // Check every date once here, so later code may rely on them.
    let dates = std::iter::once(&record.exam.list_established)
        .chain(record.exam.list_expires.iter())
        .chain(std::iter::once(&record.exam.application_deadline));
    for d in dates {
        if NaiveDate::parse_from_str(d, "%Y-%m-%d").is_err() {
            return Err(Error::Usage(format!(
                "{}: the date {d:?} is not YYYY-MM-DD",
                path.display()
            )));
        }
    }
    // Every applicant's dates too: the record may have been edited by hand,
    // and no later step should meet a date it cannot read.
    for a in &record.applicants {
        let mut dates: Vec<(&str, &str)> = vec![
            ("received_on", &a.received_on),
            ("filing_date", &a.filing_date),
        ];
        dates.extend(a.postmarked_on.as_deref().map(|d| ("postmarked_on", d)));
        dates.extend(a.date_of_birth.as_deref().map(|d| ("date_of_birth", d)));
        for f in &a.findings {
            dates.extend(f.decided_on.as_deref().map(|d| ("decided_on", d)));
        }
        if let Some(c) = &a.clearance {
            dates.extend(
                c.fingerprinted_on
                    .as_deref()
                    .map(|d| ("fingerprinted_on", d)),
            );
            for x in &c.agencies {
                dates.extend(x.cleared_on.as_deref().map(|d| ("cleared_on", d)));
            }
        }
        for (field, d) in dates {
            if NaiveDate::parse_from_str(d, "%Y-%m-%d").is_err() {
                return Err(Error::Usage(format!(
                    "{}: applicant {}'s {field} is {d:?}, not a date written YYYY-MM-DD; the list of record has been altered: restore it from the Board's copy or score again",
                    path.display(),
                    a.applicant_id
                )));
            }
        }
    }
    Ok(record)
}

/// The list and its journal, as they stand.
pub struct CurrentList {
    pub record: ListOfRecord,
    pub events: Vec<Event>,
}

impl CurrentList {
    pub fn open(outdir: &Path) -> Result<CurrentList> {
        let record = load(outdir)?;
        let events = journal::read(outdir)?;
        for e in &events {
            if NaiveDate::parse_from_str(&e.date, "%Y-%m-%d").is_err() {
                return Err(Error::Other(format!(
                    "{}: journal entry {} has the date {:?}, not YYYY-MM-DD",
                    outdir.join(journal::JOURNAL).display(),
                    e.seq,
                    e.date
                )));
            }
        }
        Ok(CurrentList { record, events })
    }

    pub fn applicant(&self, id: &str) -> Option<&ApplicantRecord> {
        self.record.applicants.iter().find(|a| a.applicant_id == id)
    }

    /// Whether the list is in force on `on` (SPEC 6: through
    /// `list_established` + `list_valid_months`, inclusive).
    pub fn expired_on(&self, on: NaiveDate) -> Option<NaiveDate> {
        let exp = self.record.exam.list_expires.as_deref().map(date)?;
        (on > exp).then_some(exp)
    }

    /// The list's entries still on it on `on`, in list order: those with an
    /// `appointed`, `removed` or `withdrawn` event dated on or before `on`
    /// have left it.
    pub fn active_on(&self, on: NaiveDate) -> Vec<&ApplicantRecord> {
        self.record
            .list
            .iter()
            .filter(|id| {
                !self
                    .events
                    .iter()
                    .any(|e| &e.applicant_id == *id && e.event.leaves() && e.date() <= on)
            })
            .filter_map(|id| self.applicant(id))
            .collect()
    }
}
