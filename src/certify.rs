//! Certification (SPEC 6; Examinations B and C; Background): the window of
//! names from the current list for N vacancies, with each name's clearance
//! status on the certification date.

use crate::error::{Error, Result};
use crate::list::{date, CurrentList};
use crate::record::{ApplicantRecord, ListOfRecord};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use std::cmp::Ordering;
use std::str::FromStr;

/// An applicant's background clearance on a date (Background: fingerprints
/// and every agency's check "immediately prior to certification").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClearanceCheck {
    pub cleared: bool,
    /// `fingerprinting`, then the agencies as named in `clearance_agencies`,
    /// missing or out of date.
    pub missing: Vec<String>,
}

/// Cleared when fingerprinting and every agency have a date d with
/// `on - clearance_max_age_days <= d <= on`.
pub fn clearance_on(list: &ListOfRecord, a: &ApplicantRecord, on: NaiveDate) -> ClearanceCheck {
    let rules = &list.audit.rules;
    let oldest = on - chrono::Days::new(rules.clearance_max_age_days as u64);
    let fresh = |d: Option<&String>| d.map(|s| date(s)).is_some_and(|d| oldest <= d && d <= on);
    let mut missing = Vec::new();
    let c = a.clearance.as_ref();
    if !fresh(c.and_then(|c| c.fingerprinted_on.as_ref())) {
        missing.push("fingerprinting".to_string());
    }
    for agency in &rules.clearance_agencies {
        let d = c
            .and_then(|c| c.agencies.iter().find(|x| &x.agency == agency))
            .and_then(|x| x.cleared_on.as_ref());
        if !fresh(d) {
            missing.push(agency.clone());
        }
    }
    ClearanceCheck {
        cleared: missing.is_empty(),
        missing,
    }
}

/// `outside Missouri` where a state of residence is given and is neither
/// `MO` nor `Missouri` (Citizenship: residence is a condition of employment,
/// never a ground).
pub fn residence_note(a: &ApplicantRecord) -> &'static str {
    let s = a.state_of_residence.trim();
    if s.is_empty() || s.eq_ignore_ascii_case("mo") || s.eq_ignore_ascii_case("missouri") {
        ""
    } else {
        "outside Missouri"
    }
}

/// The most vacancies one certification may be asked for (written out as
/// "1,000,000" in `window_size`'s message; a test holds the two together).
pub const VACANCIES_MAX: u32 = 1_000_000;

/// The number of names for N vacancies (Examinations C): one vacancy, the
/// top three; several, the Board's `window` (`min` N+2, `max` 3N, or a
/// number), `size` overriding; always within N+2..3N.
pub fn window_size(
    vacancies: u32,
    window: &str,
    size: Option<u32>,
) -> std::result::Result<u32, String> {
    if vacancies == 0 {
        return Err("--vacancies must be at least 1".into());
    }
    // No list holds a million names; past this 3N would overflow (and a
    // count this large is a typing error, not a request).
    if vacancies > VACANCIES_MAX {
        return Err(format!(
            "--vacancies must be at most 1,000,000, found {vacancies}"
        ));
    }
    let (lo, hi) = if vacancies == 1 {
        (3, 3)
    } else {
        // Within u32: vacancies <= VACANCIES_MAX, checked above.
        (vacancies + 2, vacancies * 3)
    };
    let range = if lo == hi {
        format!("for 1 vacancy the top {lo} names (Examinations C)")
    } else {
        format!("for {vacancies} vacancies from {lo} to {hi} names (N + 2 to 3N, Examinations C)")
    };
    let k = match size {
        Some(k) => k,
        None if vacancies == 1 => 3,
        None => match window {
            "min" => lo,
            "max" => hi,
            n => n.parse::<u32>().map_err(|_| {
                format!("the exam's certification window {n:?} is not min, max or a number")
            })?,
        },
    };
    if k < lo || k > hi {
        let what = if size.is_some() {
            "--size"
        } else {
            "the exam's certification window"
        };
        return Err(format!("{what} {k} is outside the allowed range: {range}"));
    }
    Ok(k)
}

/// One certified name.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub window_position: u32,
    pub rank: Option<u32>,
    pub applicant_id: String,
    pub last_name: String,
    pub first_name: String,
    /// The final score; on a qualified list the raw score.
    pub final_score: String,
    pub internal: bool,
    pub clearance: ClearanceCheck,
    pub residence_note: &'static str,
}

/// A tie cut at the window's edge.
#[derive(Debug, Clone, PartialEq)]
pub struct TieCut {
    pub last_in: Entry,
    pub first_out_id: String,
    pub first_out_name: String,
    pub first_out_rank: Option<u32>,
    pub key: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Certification {
    pub exam_id: String,
    pub position: String,
    pub ranked: bool,
    pub date: NaiveDate,
    pub vacancies: u32,
    /// The window size asked for (ranked lists).
    pub size: Option<u32>,
    pub active: usize,
    pub entries: Vec<Entry>,
    pub tie_cut: Option<TieCut>,
    pub board_name: String,
    pub board_city: String,
    pub secretary: String,
    pub list_established: String,
    pub list_expires: Option<String>,
}

impl Certification {
    /// Fewer active entries than the window asks for.
    pub fn short(&self) -> bool {
        self.size.is_some_and(|k| (self.entries.len() as u32) < k)
    }

    /// The sentences stated on stderr and in the workbook.
    pub fn notes(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.short() {
            out.push(format!(
                "The list is short: it has {} active name{} for a window of {}; all are certified.",
                self.active,
                if self.active == 1 { "" } else { "s" },
                self.size.unwrap_or(0)
            ));
        }
        if let Some(t) = &self.tie_cut {
            out.push(format!(
                "A tie was cut at the edge of the window: {} {} (rank {}) and {} (rank {}) have the same final score, {}; the tie-break key `{}` placed {} {} inside the window.",
                t.last_in.first_name,
                t.last_in.last_name,
                t.last_in.rank.map(|r| r.to_string()).unwrap_or_default(),
                t.first_out_name,
                t.first_out_rank.map(|r| r.to_string()).unwrap_or_default(),
                t.last_in.final_score,
                t.key,
                t.last_in.first_name,
                t.last_in.last_name,
            ));
        }
        if !self.ranked {
            out.push("A qualified list: every active qualified candidate is certified, candidates from within the Department first (Examinations B).".into());
        }
        out
    }
}

fn dec(s: &Option<String>) -> Option<Decimal> {
    s.as_deref().and_then(|v| Decimal::from_str(v).ok())
}

/// The tie-break key that separates `above` from `below` on the list
/// (SPEC 4.3), read from the list of record.
pub fn separating_key(
    list: &ListOfRecord,
    above: &ApplicantRecord,
    below: &ApplicantRecord,
) -> String {
    let mut keys = list.audit.rules.tie_break.clone();
    if !keys.iter().any(|k| k == "lottery") {
        keys.push("lottery".into());
    }
    for k in keys {
        let ord = match k.as_str() {
            "raw_score" => dec(&below.raw_score).cmp(&dec(&above.raw_score)),
            "filing_date" => above.filing_date.cmp(&below.filing_date),
            "lottery" => above.lottery_key.cmp(&below.lottery_key),
            other => {
                let name = other.trim_start_matches("component:");
                let v = |a: &ApplicantRecord| {
                    a.components
                        .iter()
                        .find(|c| c.component == name)
                        .and_then(|c| dec(&c.value))
                };
                v(below).cmp(&v(above))
            }
        };
        if ord != Ordering::Equal {
            return k;
        }
    }
    "lottery".into()
}

/// The window of names for `vacancies` on `on`.
pub fn certify(
    current: &CurrentList,
    vacancies: u32,
    size: Option<u32>,
    on: NaiveDate,
) -> Result<Certification> {
    let r = &current.record;
    let established = date(&r.exam.list_established);
    if on < established {
        return Err(Error::Usage(format!(
            "the list was established on {established}; it cannot be certified on {on}, before it existed"
        )));
    }
    if let Some(exp) = current.expired_on(on) {
        return Err(Error::Usage(format!(
            "the list expired after {exp} (established {established}, valid {} months); it cannot be certified on {on}. A new examination is needed.",
            r.exam.list_valid_months
        )));
    }
    let ranked = r.exam.list == "ranked";
    let active = current.active_on(on);
    let (k, window): (Option<u32>, Vec<&ApplicantRecord>) = if ranked {
        let k = window_size(vacancies, &r.audit.rules.window, size).map_err(Error::Usage)?;
        (Some(k), active.iter().take(k as usize).copied().collect())
    } else {
        if vacancies == 0 {
            return Err(Error::Usage("--vacancies must be at least 1".into()));
        }
        if size.is_some() {
            return Err(Error::Usage(
                "--size does not apply to a qualified list: every active qualified candidate is certified (Examinations B)".into(),
            ));
        }
        (None, active.clone())
    };
    let entry = |i: usize, a: &ApplicantRecord| Entry {
        window_position: i as u32 + 1,
        rank: a.rank,
        applicant_id: a.applicant_id.clone(),
        last_name: a.last_name.clone(),
        first_name: a.first_name.clone(),
        final_score: if ranked {
            a.final_score.clone()
        } else {
            a.raw_score.clone()
        }
        .unwrap_or_default(),
        internal: a.internal,
        clearance: clearance_on(r, a, on),
        residence_note: residence_note(a),
    };
    let entries: Vec<Entry> = window
        .iter()
        .enumerate()
        .map(|(i, a)| entry(i, a))
        .collect();
    let tie_cut = match (ranked, window.last(), active.get(window.len())) {
        (true, Some(last), Some(next)) if last.final_score == next.final_score => Some(TieCut {
            // Cannot fail: `window.last()` is Some in this arm, and `entries` has one entry per
            // name of `window`.
            last_in: entries.last().cloned().expect("the window is not empty"),
            first_out_id: next.applicant_id.clone(),
            first_out_name: format!("{} {}", next.first_name, next.last_name),
            first_out_rank: next.rank,
            key: separating_key(r, last, next),
        }),
        _ => None,
    };
    Ok(Certification {
        exam_id: r.exam.id.clone(),
        position: r.exam.position.clone(),
        ranked,
        date: on,
        vacancies,
        size: k,
        active: active.len(),
        entries,
        tie_cut,
        board_name: r.audit.rules.board_name.clone(),
        board_city: r.audit.rules.board_city.clone(),
        secretary: r.audit.rules.board_secretary.clone(),
        list_established: r.exam.list_established.clone(),
        list_expires: r.exam.list_expires.clone(),
    })
}

/// `certification.csv` (SPEC 6).
pub fn csv(c: &Certification) -> Vec<u8> {
    let mut w = ::csv::WriterBuilder::new()
        .terminator(::csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    w.write_record([
        "window_position",
        "rank",
        "applicant_id",
        "last_name",
        "first_name",
        "final_score",
        "clearance",
        "missing_clearances",
        "residence_note",
    ])
    // Into memory (a Vec): it cannot fail.
    .expect("memory");
    for e in &c.entries {
        w.write_record([
            e.window_position.to_string().as_str(),
            &e.rank.map(|r| r.to_string()).unwrap_or_default(),
            &crate::output::csv::safe(&e.applicant_id),
            &crate::output::csv::safe(&e.last_name),
            &crate::output::csv::safe(&e.first_name),
            &e.final_score,
            if e.clearance.cleared {
                "cleared"
            } else {
                "pending"
            },
            &crate::output::csv::safe(&e.clearance.missing.join(";")),
            e.residence_note,
        ])
        // Into memory: it cannot fail (the Vec grows or the process aborts).
        // Nor can csv's length check: like the header, the record has nine fields.
        .expect("memory");
    }
    // Flushing into a Vec cannot fail.
    w.into_inner().expect("memory")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn examinations_c_one_vacancy_is_the_top_three_names() {
        assert_eq!(window_size(1, "min", None), Ok(3));
        assert_eq!(window_size(1, "max", None), Ok(3));
        assert_eq!(window_size(1, "7", None), Ok(3));
        assert_eq!(window_size(1, "min", Some(3)), Ok(3));
        assert!(window_size(1, "min", Some(4))
            .unwrap_err()
            .contains("top 3 names"));
    }

    #[test]
    fn examinations_c_several_vacancies_between_n_plus_2_and_3n() {
        assert_eq!(window_size(2, "min", None), Ok(4));
        assert_eq!(window_size(2, "max", None), Ok(6));
        assert_eq!(window_size(5, "10", None), Ok(10));
        assert_eq!(window_size(5, "min", Some(15)), Ok(15));
        let e = window_size(5, "min", Some(16)).unwrap_err();
        assert!(e.contains("from 7 to 15 names"), "{e}");
        let e = window_size(5, "min", Some(6)).unwrap_err();
        assert!(e.contains("--size 6 is outside the allowed range"), "{e}");
        let e = window_size(2, "9", None).unwrap_err();
        assert!(e.contains("the exam's certification window 9"), "{e}");
        assert!(window_size(0, "min", None).is_err());
    }

    /// A --vacancies beyond any list once overflowed 3N (a panic in a debug
    /// build, a wrong window in release): it is refused, saying the bound.
    #[test]
    fn a_huge_vacancy_count_is_refused_not_an_overflow() {
        assert_eq!(
            window_size(VACANCIES_MAX, "max", None),
            Ok(3 * VACANCIES_MAX)
        );
        assert!(window_size(VACANCIES_MAX + 1, "min", None)
            .unwrap_err()
            .starts_with("--vacancies must be at most 1,000,000, found"));
        let e = window_size(2_000_000_000, "min", None).unwrap_err();
        assert_eq!(e, "--vacancies must be at most 1,000,000, found 2000000000");
        assert!(window_size(u32::MAX, "max", Some(7)).is_err());
    }

    proptest! {
        #[test]
        fn window_is_always_within_the_ordinance_bounds(n in 1u32..200, k in 0u32..700, pick in 0usize..4) {
            let window = ["min", "max", "5", "12"][pick];
            let size = if k % 3 == 0 { None } else { Some(k) };
            let (lo, hi) = if n == 1 { (3, 3) } else { (n + 2, 3 * n) };
            match window_size(n, window, size) {
                Ok(got) => prop_assert!(got >= lo && got <= hi, "{got} outside {lo}..={hi}"),
                // An error only for a size or an exam window outside the
                // bounds, never for min, max or a size within them.
                Err(e) => {
                    let asked = size.or(window.parse().ok());
                    prop_assert!(
                        asked.is_some_and(|k| k < lo || k > hi),
                        "refused n={n} window={window} size={size:?}: {e}"
                    );
                }
            }
        }
    }
}
