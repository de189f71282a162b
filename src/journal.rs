//! The list's journal (`OUTDIR/journal.jsonl`, SPEC 7): append-only, one
//! event a line. The list of record (`result.json`) is never rewritten; the
//! current list is the record plus the journal (Secretary: the custodian of
//! the Board's records; Examinations C: lists kept current).

use crate::dates::add_months_clamped;
use crate::error::{Error, Result};
use crate::record::{ApplicantRecord, ListOfRecord};
use crate::rules::Status;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::Path;

pub const JOURNAL: &str = "journal.jsonl";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// Leaves the list; starts the 12-month initial review period.
    Appointed,
    /// Stays on the list; counted.
    Declined,
    /// Stays on the list; counted.
    PassedOver,
    /// Leaves the list.
    Removed,
    /// Leaves the list.
    Withdrawn,
}

impl EventKind {
    pub const ALL: [(&'static str, EventKind); 5] = [
        ("appointed", EventKind::Appointed),
        ("declined", EventKind::Declined),
        ("passed_over", EventKind::PassedOver),
        ("removed", EventKind::Removed),
        ("withdrawn", EventKind::Withdrawn),
    ];

    pub fn parse(s: &str) -> Option<EventKind> {
        let k = s.trim().to_lowercase().replace(['-', ' '], "_");
        EventKind::ALL
            .iter()
            .find(|(n, _)| *n == k)
            .map(|(_, e)| *e)
    }

    pub fn as_str(self) -> &'static str {
        EventKind::ALL
            .iter()
            .find(|(_, e)| *e == self)
            .map(|(n, _)| *n)
            .unwrap_or("appointed")
    }

    /// Whether the applicant leaves the list with this event.
    pub fn leaves(self) -> bool {
        matches!(
            self,
            EventKind::Appointed | EventKind::Removed | EventKind::Withdrawn
        )
    }
}

/// One journal line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    /// 1, 2, 3 … in the order recorded.
    pub seq: u64,
    pub applicant_id: String,
    pub event: EventKind,
    pub date: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
    /// Why an appointment was recorded without a `cleared` clearance.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub r#override: String,
    /// For `appointed`: the last day of the 12-month initial review period.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review_period_ends: Option<String>,
}

impl Event {
    pub fn date(&self) -> NaiveDate {
        crate::list::date(&self.date)
    }
}

/// Reads the journal; a missing journal is empty.
pub fn read(outdir: &Path) -> Result<Vec<Event>> {
    let path = outdir.join(JOURNAL);
    match std::fs::read_to_string(&path) {
        Ok(text) => parse(&path, &text),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Vec::new()),
        Err(e) => Err(Error::io(path, e)),
    }
}

fn parse(path: &Path, text: &str) -> Result<Vec<Event>> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let e: Event = serde_json::from_str(line).map_err(|e| {
            Error::Other(format!(
                "{}, line {}: the journal is damaged ({e}); it is the Board's record: restore it from a backup rather than edit it",
                path.display(),
                i + 1
            ))
        })?;
        out.push(e);
    }
    Ok(out)
}

/// The 12-month initial review period's last day (Initial review A): the
/// same day a year later, clamped to the month's end (29 Feb → 28 Feb).
pub fn review_period_end(appointed: NaiveDate) -> NaiveDate {
    // Cannot fail for a date the CLI takes (main's parse_date: years 1900..=9999), whose
    // next year chrono holds. Only a date from December 262141 on (a library caller's) has none.
    add_months_clamped(appointed, 12).expect("a year later is a valid date")
}

/// What `record` is asked to write.
#[derive(Debug, Clone)]
pub struct Request {
    pub applicant_id: String,
    pub event: EventKind,
    pub date: NaiveDate,
    pub note: String,
    pub r#override: Option<String>,
}

/// What `record` did: the event written, and counts for the message.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub event: Event,
    pub applicant: ApplicantRecord,
    /// Declined and passed-over counts after this event.
    pub declined: usize,
    pub passed_over: usize,
    pub clearance: crate::certify::ClearanceCheck,
}

/// Validates a request against the list of record and the journal, then
/// appends it. The journal is locked from the read to the write, so two
/// `record` calls at once can neither lose an event nor both appoint.
pub fn record(outdir: &Path, list: &ListOfRecord, req: &Request) -> Result<Recorded> {
    let path = outdir.join(JOURNAL);
    // The journal is appended to in place, so a link there would put the
    // Board's record of appointments wherever it points: refused.
    if std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink()) {
        return Err(Error::Usage(format!(
            "{} is a link to another file, not the list's journal; meritlist writes the journal only in the list's own folder: remove the link",
            path.display()
        )));
    }
    let mut options = OpenOptions::new();
    options.read(true).append(true).create(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600); // the Board's record of personnel events
    }
    // And one made between the check and the open is not followed (libc
    // is a dependency on Linux only; elsewhere the check above stands).
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NOFOLLOW);
    }
    let mut file = options.open(&path).map_err(|e| Error::io(&path, e))?;
    file.lock().map_err(|e| Error::io(&path, e))?;
    let result = record_locked(&mut file, &path, list, req);
    let _ = file.unlock();
    result
}

fn record_locked(
    file: &mut File,
    path: &Path,
    list: &ListOfRecord,
    req: &Request,
) -> Result<Recorded> {
    let mut text = String::new();
    file.seek(SeekFrom::Start(0))
        .map_err(|e| Error::io(path, e))?;
    file.read_to_string(&mut text)
        .map_err(|e| Error::io(path, e))?;
    let events = parse(path, &text)?;

    let id = req.applicant_id.trim();
    let Some(a) = list.applicants.iter().find(|a| a.applicant_id == id) else {
        return Err(Error::Usage(format!(
            "applicant {id} is not in the list of record for {} ({} applicants); check the ID",
            list.exam.id, list.audit.counts.applicants
        )));
    };
    if a.status != Status::Eligible {
        return Err(Error::Usage(format!(
            "applicant {id} ({} {}) is not on the list: their status is {} ({}); events are recorded only for applicants on the list",
            a.first_name,
            a.last_name,
            a.status.as_str(),
            a.codes.join(";")
        )));
    }
    let established = crate::list::date(&list.exam.list_established);
    if req.date < established {
        return Err(Error::Usage(format!(
            "{} is before the list was established ({established}); an event must be on or after that date",
            req.date
        )));
    }
    if let Some(exp) = list.exam.list_expires.as_deref() {
        let exp = crate::list::date(exp);
        if req.date > exp {
            return Err(Error::Usage(format!(
                "the list expired after {exp}; no event can be recorded on {} (Examinations C: lists are kept current by a new examination)",
                req.date
            )));
        }
    }
    let mine: Vec<&Event> = events.iter().filter(|e| e.applicant_id == id).collect();
    if let Some(left) = mine.iter().find(|e| e.event.leaves()) {
        return Err(Error::Usage(format!(
            "applicant {id} ({} {}) already left the list: {} on {} (journal entry {}); nothing recorded",
            a.first_name,
            a.last_name,
            left.event.as_str(),
            left.date,
            left.seq
        )));
    }
    let clearance = crate::certify::clearance_on(list, a, req.date);
    let mut review_period_ends = None;
    let mut override_reason = String::new();
    if req.event == EventKind::Appointed {
        match (&clearance.cleared, &req.r#override) {
            (true, _) => {}
            (false, Some(reason)) if !reason.trim().is_empty() => {
                override_reason = reason.trim().to_string();
            }
            (false, _) => {
                return Err(Error::Usage(format!(
                    "applicant {id} ({} {}) is not cleared on {}: missing or older than {} days: {} (Background: fingerprinting and clearance immediately prior to appointment). Record the clearances and score again, or give --override \"reason\"",
                    a.first_name,
                    a.last_name,
                    req.date,
                    list.audit.rules.clearance_max_age_days,
                    clearance.missing.join("; ")
                )));
            }
        }
        review_period_ends = Some(crate::dates::iso(review_period_end(req.date)));
    } else if req.r#override.is_some() {
        return Err(Error::Usage(
            "--override applies only to an appointment without a cleared background check".into(),
        ));
    }
    let event = Event {
        seq: events.iter().map(|e| e.seq).max().unwrap_or(0) + 1,
        applicant_id: id.to_string(),
        event: req.event,
        date: crate::dates::iso(req.date),
        note: req.note.trim().to_string(),
        r#override: override_reason,
        review_period_ends,
    };
    // Cannot fail: `Event` derives Serialize over strings, integers, a unit enum and an
    // Option<String>: no map keys or custom impls serde_json could refuse; output is a String.
    let mut line = serde_json::to_string(&event).expect("an event serialises");
    line.push('\n');
    // A journal whose last line lost its newline still gets whole lines.
    if !text.is_empty() && !text.ends_with('\n') {
        line.insert(0, '\n');
    }
    file.write_all(line.as_bytes())
        .map_err(|e| Error::io(path, e))?;
    file.sync_all().map_err(|e| Error::io(path, e))?;
    let count =
        |k: EventKind| mine.iter().filter(|e| e.event == k).count() + usize::from(req.event == k);
    Ok(Recorded {
        declined: count(EventKind::Declined),
        passed_over: count(EventKind::PassedOver),
        applicant: a.clone(),
        event,
        clearance,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn initial_review_period_is_twelve_months_clamped() {
        assert_eq!(review_period_end(d("2027-05-10")), d("2028-05-10"));
        assert_eq!(review_period_end(d("2028-02-29")), d("2029-02-28"));
        assert_eq!(review_period_end(d("2027-01-31")), d("2028-01-31"));
        assert_eq!(review_period_end(d("2027-12-31")), d("2028-12-31"));
    }

    #[test]
    fn events_parse_in_any_case() {
        assert_eq!(EventKind::parse("Passed-Over"), Some(EventKind::PassedOver));
        assert_eq!(EventKind::parse("appointed"), Some(EventKind::Appointed));
        assert_eq!(EventKind::parse("hired"), None);
        assert!(EventKind::Withdrawn.leaves());
        assert!(!EventKind::Declined.leaves());
    }
}
