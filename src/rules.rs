//! The Board's rules applied to one applicant (SPEC 4.1 and 4.2): scaled
//! component values, raw score, pass, status with every reason, and
//! preference points. Each rule cites its clause of the ordinance.

use crate::exam::{ApplyTo, Component, ComponentKind, Exam, ListKind};
use crate::fields::{Degree, Delivery, Ground};
use crate::ingest::{Applicant, Finding, RawResult};
use crate::num::{div_round, fixed, round};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// The four statuses (SPEC 4.2), in the order they are decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Disqualified,
    Failed,
    Incomplete,
    Eligible,
}

impl Status {
    pub const ALL: [Status; 4] = [
        Status::Eligible,
        Status::Failed,
        Status::Incomplete,
        Status::Disqualified,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Disqualified => "disqualified",
            Status::Failed => "failed",
            Status::Incomplete => "incomplete",
            Status::Eligible => "eligible",
        }
    }
}

/// One reason for a status: its code, the clause it rests on, and plain words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reason {
    pub code: String,
    pub clause: String,
    pub text: String,
}

impl Reason {
    fn new(code: impl Into<String>, clause: &str, text: impl Into<String>) -> Self {
        let clause = clause.to_string();
        // `text (clause)`, appended in place (one reason or more for most
        // applicants at a million; issue 6).
        let mut text = text.into();
        text.reserve(clause.len() + 3);
        text.push_str(" (");
        text.push_str(&clause);
        text.push(')');
        Reason {
            code: code.into(),
            clause,
            text,
        }
    }
}

/// Why an applicant has their status, kept compact (no text) for every
/// applicant and rendered to a [`Reason`] only when a record is written:
/// at a million applicants the rendered text would not fit the memory
/// budget. In the order SPEC 4.2 lists the codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cause {
    /// Citizenship.
    Citizenship,
    /// Disqualification A.1: under `min_age` on the deadline.
    UnderAge { age: i32 },
    /// A Board finding on ground A1..A9.
    Finding(u8),
    /// Disqualification A.7; Filing of papers.
    Late,
    /// Disqualification A.7.
    Unsigned,
    /// Examinations A: a component failed (index in declaration order).
    Failed(usize),
    /// Examinations A: a component without a result.
    Missing(usize),
}

/// One component's published value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    Missing,
    /// The mean of the raters scaled to 0..100, rounded to `decimals`.
    Scored(Decimal),
    Pass(bool),
}

/// Everything the rules decide about one applicant.
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation {
    pub values: Vec<Value>,
    pub raw_score: Option<Decimal>,
    pub status: Status,
    /// Every reason for the status, in SPEC 4.2's order (see [`reasons`]).
    pub reasons: Vec<Cause>,
    pub officer_points: Option<Decimal>,
    pub degree_points: Option<Decimal>,
    pub preference_points: Option<Decimal>,
    pub final_score: Option<Decimal>,
    pub filing_date: NaiveDate,
}

/// Scales a scored component (Examinations A): the mean of its raters,
/// `value × 100 / max`, rounded half away from zero to `decimals`. Computed
/// as one exact division so that no intermediate rounding can move it.
pub fn scaled(comp: &Component, raters: &[Decimal], decimals: u32) -> Decimal {
    let sum: Decimal = raters.iter().copied().sum();
    let denominator = Decimal::from(raters.len() as u64) * comp.max;
    div_round(sum * Decimal::ONE_HUNDRED, denominator, decimals)
}

/// The raw score: Σ weight × rounded scaled value, rounded to `decimals`;
/// it exists only when every scored component has a result (SPEC 4.1).
pub fn raw_score(exam: &Exam, values: &[Value]) -> Option<Decimal> {
    let mut total = Decimal::ZERO;
    let mut any = false;
    for (comp, v) in exam.components.iter().zip(values) {
        if comp.kind != ComponentKind::Scored {
            continue;
        }
        match v {
            Value::Scored(s) => {
                total += comp.weight * *s;
                any = true;
            }
            _ => return None,
        }
    }
    any.then(|| round(total, exam.decimals))
}

/// Examinations D: the certified-officer points, and the points of the
/// highest degree only (not cumulative).
pub fn preference_points(exam: &Exam, a: &Applicant) -> (Decimal, Decimal) {
    let p = &exam.preference;
    if p.apply_to == ApplyTo::None {
        return (Decimal::ZERO, Decimal::ZERO);
    }
    let officer = if a.certified_officer {
        p.certified_officer
    } else {
        Decimal::ZERO
    };
    let degree = match a.highest_degree {
        Degree::None => Decimal::ZERO,
        Degree::Associate => p.associate,
        Degree::Bachelor => p.bachelor,
        Degree::Master => p.master,
        // A reading of the ordinance: a doctorate is higher than the highest
        // degree the table names (README, "Readings").
        Degree::Doctorate => p.doctorate,
    };
    (officer, degree)
}

fn clause_of(g: Ground) -> String {
    format!("Disqualification A.{}", g.0)
}

fn finding_text(g: Ground) -> &'static str {
    match g.0 {
        1 => "the Board found a preliminary requirement for the position lacking",
        2 => "the Board found a disability or inhibition that renders the applicant unable to perform the bona fide occupational requirements of the position, with no reasonable accommodation",
        3 => "the Board found conflicting interests that may impair effectiveness, including criminal background or business interests",
        4 => "the Board found a false statement on the application",
        5 => "the Board found use or attempted use of political pressure or bribery",
        6 => "the Board found a previous dismissal for just cause or an unsatisfactory service record",
        7 => "the Board found on review that the application was presented beyond the deadline or not signed",
        8 => "disqualified at the applicant's own request",
        _ => "the Board found an ample number of better qualified candidates available",
    }
}

fn finding_reason(f: &Finding) -> Reason {
    let mut text = finding_text(f.ground).to_string();
    if let Some(d) = f.decided_on {
        text.push_str(&format!(" on {d}"));
    }
    if !f.note.is_empty() {
        text.push_str(&format!(": {}", f.note));
    }
    Reason::new(format!("A{}", f.ground.0), &clause_of(f.ground), text)
}

/// The grounds for disqualification, in clause order (SPEC 4.2).
fn grounds(exam: &Exam, a: &Applicant, findings: &[Finding]) -> Vec<Cause> {
    let mut out = Vec::new();
    // Citizenship: sworn personnel must be citizens of the United States.
    if exam.sworn && a.us_citizen == Some(false) {
        out.push(Cause::Citizenship);
    }
    // Disqualification A.1: a preliminary requirement (minimum age on the
    // application deadline).
    if let (Some(min), Some(born)) = (exam.min_age, a.date_of_birth) {
        let age = crate::dates::age_on(born, exam.application_deadline);
        if age < min as i32 {
            out.push(Cause::UnderAge { age });
        }
    }
    let found = |g: u8| findings.iter().any(|f| f.ground.0 == g);
    out.extend((1..=6).filter(|g| found(*g)).map(Cause::Finding));
    // Disqualification A.7 with Filing of papers: the filing date is the
    // postmark for mail, the received date otherwise; on the deadline is on
    // time.
    if a.filing_date() > exam.application_deadline {
        out.push(Cause::Late);
    }
    if !a.signed {
        out.push(Cause::Unsigned);
    }
    out.extend((7..=9).filter(|g| found(*g)).map(Cause::Finding));
    out
}

/// The reasons of an evaluation in plain words, each citing its clause.
pub fn reasons(exam: &Exam, a: &Applicant, findings: &[Finding], e: &Evaluation) -> Vec<Reason> {
    e.reasons
        .iter()
        .map(|cause| match *cause {
            Cause::Citizenship => Reason::new(
                "CITIZENSHIP",
                "Citizenship",
                "not a U.S. citizen; sworn personnel must be citizens",
            ),
            Cause::UnderAge { age } => Reason::new(
                "A1-REQUIREMENT",
                "Disqualification A.1",
                format!(
                    "age {age} on the application deadline {} (born {}), below the minimum age {}",
                    exam.application_deadline,
                    a.date_of_birth.map(|d| d.to_string()).unwrap_or_default(),
                    exam.min_age.unwrap_or(0)
                ),
            ),
            Cause::Finding(g) => {
                // Cannot fail: `grounds` makes Cause::Finding(g) only when `findings` holds one
                // with ground g, and the caller (record.rs) passes the findings[i] `evaluate` got.
                let f = findings
                    .iter()
                    .find(|f| f.ground.0 == g)
                    .expect("a finding cause is made only from a finding");
                finding_reason(f)
            }
            Cause::Late => {
                let how = match a.delivery {
                    Delivery::Mail => "postmarked",
                    Delivery::Personal => "received",
                };
                Reason::new(
                    "A7-LATE",
                    "Disqualification A.7; Filing of papers",
                    format!(
                        "application filed {} ({how}), after the deadline {}",
                        a.filing_date(),
                        exam.application_deadline
                    ),
                )
            }
            Cause::Unsigned => Reason::new(
                "A7-UNSIGNED",
                "Disqualification A.7",
                "application form not signed",
            ),
            Cause::Missing(c) => {
                let comp = &exam.components[c];
                Reason::new(
                    format!("MISSING-{}", comp.name),
                    "Examinations A",
                    format!("no result for {}", comp.name),
                )
            }
            Cause::Failed(c) => {
                let comp = &exam.components[c];
                let text = match (&e.values[c], comp.pass_mark) {
                    (Value::Scored(s), Some(mark)) => format!(
                        "{} {} is below the pass mark {}",
                        comp.name,
                        fixed(*s, exam.decimals),
                        mark
                    ),
                    _ => format!("failed the {} component", comp.name),
                };
                Reason::new(format!("FAILED-{}", comp.name), "Examinations A", text)
            }
        })
        .collect()
}

/// Applies every rule to one applicant.
pub fn evaluate(
    exam: &Exam,
    a: &Applicant,
    results: &[&RawResult],
    findings: &[Finding],
) -> Evaluation {
    let values: Vec<Value> = exam
        .components
        .iter()
        .zip(results)
        .map(|(comp, r)| match r {
            RawResult::Missing => Value::Missing,
            RawResult::Scored(raters) => Value::Scored(scaled(comp, raters, exam.decimals)),
            RawResult::PassFail(p) => Value::Pass(*p),
        })
        .collect();
    let raw = raw_score(exam, &values);

    let mut failed = Vec::new();
    let mut missing = Vec::new();
    for (i, (comp, v)) in exam.components.iter().zip(&values).enumerate() {
        // Examinations A: each component examined; a pass mark on the
        // rounded scaled value.
        match v {
            Value::Missing => missing.push(Cause::Missing(i)),
            Value::Pass(false) => failed.push(Cause::Failed(i)),
            Value::Scored(s) => {
                if comp.pass_mark.is_some_and(|mark| *s < mark) {
                    failed.push(Cause::Failed(i));
                }
            }
            Value::Pass(true) => {}
        }
    }

    let dq = grounds(exam, a, findings);
    let (status, reasons) = if !dq.is_empty() {
        (Status::Disqualified, dq)
    } else if !failed.is_empty() {
        failed.extend(missing);
        (Status::Failed, failed)
    } else if !missing.is_empty() {
        (Status::Incomplete, missing)
    } else {
        (Status::Eligible, Vec::new())
    };

    // Examinations D: points only for eligible applicants, decided after
    // status, so that points can never lift anyone onto a list; none on a
    // qualified list (Examinations B).
    let (mut officer_points, mut degree_points, mut preference, mut final_score) =
        (None, None, None, None);
    if status == Status::Eligible && exam.list == ListKind::Ranked {
        let (o, d) = preference_points(exam, a);
        officer_points = Some(o);
        degree_points = Some(d);
        preference = Some(o + d);
        final_score = raw.map(|r| r + o + d);
    }
    Evaluation {
        values,
        raw_score: raw,
        status,
        reasons,
        officer_points,
        degree_points,
        preference_points: preference,
        final_score,
        filing_date: a.filing_date(),
    }
}
