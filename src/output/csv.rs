//! The CSV views of the list of record (SPEC 5), written row by row. Columns
//! and their order are the contract; keep them in sync with SPEC section 5
//! and the examples.

use crate::record::{ApplicantRecord, Head, ListEntry};
use crate::rules::Status;
use std::io::Write;

pub fn writer<W: Write>(out: W) -> csv::Writer<W> {
    csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(out)
}

/// A text cell made safe to open in a spreadsheet: one starting with `=`,
/// `+`, `-`, `@`, a tab or a carriage return would be run as a formula, so
/// it gets a leading apostrophe (the usual defence against CSV injection).
/// Names, IDs and reasons come from the inputs and pass through here; the
/// exact text is kept in `result.json`.
pub fn safe(s: &str) -> std::borrow::Cow<'_, str> {
    match s.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{s}").into(),
        _ => s.into(),
    }
}

fn opt(s: &Option<String>) -> &str {
    s.as_deref().unwrap_or("")
}

/// `eligibility-list.csv`: rows in list order.
pub struct EligibilityList<W: Write> {
    w: csv::Writer<W>,
    ranked: bool,
}

impl<W: Write> EligibilityList<W> {
    pub fn new(out: W, head: &Head) -> csv::Result<Self> {
        let mut w = writer(out);
        let ranked = head.exam.list == "ranked";
        if ranked {
            w.write_record([
                "rank",
                "applicant_id",
                "last_name",
                "first_name",
                "raw_score",
                "officer_points",
                "degree_points",
                "preference_points",
                "final_score",
                "score_rank",
                "tie_break",
            ])?;
        } else {
            w.write_record([
                "applicant_id",
                "last_name",
                "first_name",
                "internal",
                "raw_score",
            ])?;
        }
        Ok(EligibilityList { w, ranked })
    }

    pub fn row(&mut self, a: &ListEntry) -> csv::Result<()> {
        if self.ranked {
            let rank = a.rank.map(|v| v.to_string()).unwrap_or_default();
            let score_rank = a.score_rank.map(|v| v.to_string()).unwrap_or_default();
            self.w.write_record([
                rank.as_str(),
                &safe(&a.applicant_id),
                &safe(&a.last_name),
                &safe(&a.first_name),
                opt(&a.raw_score),
                opt(&a.officer_points),
                opt(&a.degree_points),
                opt(&a.preference_points),
                opt(&a.final_score),
                &score_rank,
                opt(&a.tie_break),
            ])
        } else {
            self.w.write_record([
                &*safe(&a.applicant_id),
                &safe(&a.last_name),
                &safe(&a.first_name),
                crate::record::yn(a.internal),
                opt(&a.raw_score),
            ])
        }
    }

    pub fn finish(self) -> csv::Result<W> {
        self.w.into_inner().map_err(|e| e.into_error().into())
    }
}

/// `not-eligible.csv`: everyone not on the list, in natural ID order.
pub struct NotEligible<W: Write> {
    w: csv::Writer<W>,
}

impl<W: Write> NotEligible<W> {
    pub fn new(out: W) -> csv::Result<Self> {
        let mut w = writer(out);
        w.write_record([
            "applicant_id",
            "last_name",
            "first_name",
            "status",
            "codes",
            "reasons",
        ])?;
        Ok(NotEligible { w })
    }

    pub fn row(&mut self, a: &ApplicantRecord) -> csv::Result<()> {
        if a.status == Status::Eligible {
            return Ok(());
        }
        let reasons: Vec<&str> = a.reasons.iter().map(|x| x.text.as_str()).collect();
        self.w.write_record([
            &*safe(&a.applicant_id),
            &safe(&a.last_name),
            &safe(&a.first_name),
            a.status.as_str(),
            &a.codes.join(";"),
            &safe(&reasons.join("; ")),
        ])
    }

    pub fn finish(self) -> csv::Result<W> {
        self.w.into_inner().map_err(|e| e.into_error().into())
    }
}

/// `scores.csv`: every applicant, in natural ID order.
pub struct Scores<W: Write> {
    w: csv::Writer<W>,
}

impl<W: Write> Scores<W> {
    pub fn new(out: W, head: &Head) -> csv::Result<Self> {
        let mut w = writer(out);
        let mut header: Vec<std::borrow::Cow<'_, str>> = vec![
            "applicant_id".into(),
            "last_name".into(),
            "first_name".into(),
            "status".into(),
        ];
        // The components' names come from exam.toml: safe, as a name is.
        header.extend(head.audit.rules.components.iter().map(|c| safe(&c.name)));
        header.extend([
            "raw_score".into(),
            "preference_points".into(),
            "final_score".into(),
        ]);
        w.write_record(header.iter().map(|h| h.as_bytes()))?;
        Ok(Scores { w })
    }

    pub fn row(&mut self, a: &ApplicantRecord) -> csv::Result<()> {
        let (id, last, first) = (
            safe(&a.applicant_id),
            safe(&a.last_name),
            safe(&a.first_name),
        );
        let mut row: Vec<&str> = vec![&id, &last, &first, a.status.as_str()];
        row.extend(a.components.iter().map(|c| opt(&c.value)));
        row.push(opt(&a.raw_score));
        row.push(opt(&a.preference_points));
        row.push(opt(&a.final_score));
        self.w.write_record(&row)
    }

    pub fn finish(self) -> csv::Result<W> {
        self.w.into_inner().map_err(|e| e.into_error().into())
    }
}

#[cfg(test)]
mod tests {
    use super::safe;

    #[test]
    fn a_cell_a_spreadsheet_would_run_gets_an_apostrophe() {
        for s in ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(safe(s), format!("'{s}"), "{s:?}");
        }
        for s in ["", "Alvarez", "O'Brien", " =x", "1001", "x=1"] {
            assert_eq!(safe(s), s, "{s:?}");
        }
    }
}
