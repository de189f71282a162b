//! `explain`: how one applicant's status, scores, points and rank were
//! reached, clause by clause, in plain words, read from the list of record
//! and the journal.

use crate::certify::separating_key;
use crate::error::{Error, Result};
use crate::list::CurrentList;
use crate::rules::Status;
use std::fmt::Write;

pub fn explain(current: &CurrentList, id: &str) -> Result<String> {
    let r = &current.record;
    let id = id.trim();
    let a = current.applicant(id).ok_or_else(|| {
        Error::Usage(format!(
            "applicant {id} is not in the list of record for {}; check the ID",
            r.exam.id
        ))
    })?;
    let rules = &r.audit.rules;
    let mut o = String::new();
    let w = &mut o;
    let _ = writeln!(
        w,
        "{} {} {} — {} ({}, {})",
        a.applicant_id,
        a.first_name,
        a.last_name,
        a.status.as_str(),
        r.exam.id,
        r.exam.position
    );
    let _ = writeln!(w);
    let _ = writeln!(w, "Application");
    let how = if a.delivery == "mail" {
        format!(
            "on {}, the postmark date (mailed; received {})",
            a.postmarked_on.as_deref().unwrap_or("?"),
            a.received_on
        )
    } else {
        format!(
            "on {}, the date received (delivered, not mailed)",
            a.received_on
        )
    };
    let on_time = if a.filing_date.as_str() <= r.exam.application_deadline.as_str() {
        "on time"
    } else {
        "late"
    };
    let _ = writeln!(
        w,
        "  Filed {}, {on_time} for the deadline {} (Filing of papers; Disqualification A.7).",
        how, r.exam.application_deadline
    );
    let _ = writeln!(
        w,
        "  Signed: {} (Disqualification A.7).",
        crate::record::yn(a.signed)
    );
    if r.exam.sworn {
        let _ = writeln!(
            w,
            "  U.S. citizen: {} (Citizenship: required for sworn positions).",
            a.us_citizen.map(crate::record::yn).unwrap_or("not stated")
        );
    }
    if let (Some(min), Some(dob)) = (rules.min_age, a.date_of_birth.as_deref()) {
        let age = crate::dates::age_on(
            crate::list::date(dob),
            crate::list::date(&r.exam.application_deadline),
        );
        let _ = writeln!(
            w,
            "  Born {dob}: age {age} on the deadline; the minimum is {min} (Disqualification A.1)."
        );
    }
    for f in &a.findings {
        let _ = writeln!(
            w,
            "  Board finding {}{}{} (Disqualification {}).",
            f.ground,
            f.decided_on
                .as_deref()
                .map(|d| format!(" of {d}"))
                .unwrap_or_default(),
            if f.note.is_empty() {
                String::new()
            } else {
                format!(": {}", f.note)
            },
            f.ground.replacen('A', "A.", 1)
        );
    }

    let _ = writeln!(w);
    let _ = writeln!(w, "Examination components (Examinations A)");
    for (c, rule) in a.components.iter().zip(&rules.components) {
        let line = match (&c.value, rule.kind.as_str()) {
            (None, _) => "no result".to_string(),
            (Some(v), "pass_fail") => v.clone(),
            (Some(v), _) => {
                let max = rule.max.as_deref().unwrap_or("100");
                let raw = if c.raw.len() > 1 {
                    format!("raters {} (mean of {})", c.raw.join(", "), c.raw.len())
                } else {
                    c.raw.join("")
                };
                let mark = rule
                    .pass_mark
                    .as_deref()
                    .map(|m| format!("; pass mark {m}"))
                    .unwrap_or_default();
                format!("{raw} of {max}, scaled to {v} on 0–100 (× 100 / {max}, rounded to {} places){mark}", r.exam.decimals)
            }
        };
        let _ = writeln!(w, "  {}: {line}", c.component);
    }
    if let Some(raw) = &a.raw_score {
        let terms: Vec<String> = a
            .components
            .iter()
            .zip(&rules.components)
            .filter(|(_, rule)| rule.kind == "scored")
            .map(|(c, rule)| {
                format!(
                    "{} × {}",
                    rule.weight.as_deref().unwrap_or(""),
                    c.value.as_deref().unwrap_or("")
                )
            })
            .collect();
        let _ = writeln!(
            w,
            "  Raw score: {} = {raw} (rounded half away from zero).",
            terms.join(" + ")
        );
    } else {
        let _ = writeln!(w, "  Raw score: none (a scored component has no result).");
    }

    let _ = writeln!(w);
    let _ = writeln!(w, "Status: {}", a.status.as_str());
    match a.status {
        Status::Eligible => {
            let _ = writeln!(
                w,
                "  No ground for disqualification; every component passed and has a result."
            );
        }
        _ => {
            for reason in &a.reasons {
                let _ = writeln!(w, "  {}: {}", reason.code, reason.text);
            }
            if a.status == Status::Disqualified {
                let _ = writeln!(w, "  Only the grounds are listed for a disqualified applicant; the notice of disqualification offers a hearing (Notice of disqualification).");
            }
        }
    }

    if a.status == Status::Eligible && r.exam.list == "ranked" {
        let _ = writeln!(w);
        let _ = writeln!(
            w,
            "Preference points (Examinations D; given to eligible applicants only)"
        );
        let _ = writeln!(
            w,
            "  Certified police officer (Ch. 590 RSMo): {} → {}",
            crate::record::yn(a.certified_officer),
            a.officer_points.as_deref().unwrap_or("")
        );
        let _ = writeln!(
            w,
            "  Highest degree: {} → {} (degrees are not cumulative)",
            a.highest_degree,
            a.degree_points.as_deref().unwrap_or("")
        );
        let _ = writeln!(
            w,
            "  Final score: {} + {} = {}",
            a.raw_score.as_deref().unwrap_or(""),
            a.preference_points.as_deref().unwrap_or(""),
            a.final_score.as_deref().unwrap_or("")
        );
        let _ = writeln!(w);
        let _ = writeln!(w, "Rank (Examinations C)");
        let pos = r.list.iter().position(|x| x == &a.applicant_id);
        let _ = writeln!(
            w,
            "  Rank {} of {}; score rank {} (rank on final score alone).",
            a.rank.unwrap_or(0),
            r.list.len(),
            a.score_rank.unwrap_or(0)
        );
        if let Some(p) = pos {
            let neighbour = |i: usize| current.applicant(&r.list[i]);
            if p > 0 {
                if let Some(up) = neighbour(p - 1) {
                    if up.final_score == a.final_score {
                        let key = separating_key(r, up, a);
                        let _ = writeln!(w, "  Tied on final score with {} {} (rank {}), who is placed above by `{key}`{}.", up.first_name, up.last_name, up.rank.unwrap_or(0), key_detail(&key, up, a));
                    }
                }
            }
            if let Some(down) = (p + 1 < r.list.len()).then(|| neighbour(p + 1)).flatten() {
                if down.final_score == a.final_score {
                    let key = separating_key(r, a, down);
                    let _ = writeln!(w, "  Tied on final score with {} {} (rank {}), who is placed below by `{key}`{}.", down.first_name, down.last_name, down.rank.unwrap_or(0), key_detail(&key, a, down));
                }
            }
        }
        if a.tie_break.as_deref() == Some("lottery") || r.list.len() > 1 {
            let _ = writeln!(
                w,
                "  Lottery key (SHA-256 of \"{}:{}\"): {}",
                rules.lottery_seed,
                a.applicant_id,
                a.lottery_key.as_deref().unwrap_or("")
            );
        }
    } else if a.status == Status::Eligible {
        let _ = writeln!(w);
        let _ = writeln!(w, "Qualified list (Examinations B)");
        let _ = writeln!(w, "  Certified as qualified; position {} of {} (internal candidates first: internal = {}).", a.list_position.unwrap_or(0), r.list.len(), crate::record::yn(a.internal));
    }

    let _ = writeln!(w);
    let mine: Vec<_> = current
        .events
        .iter()
        .filter(|e| e.applicant_id == a.applicant_id)
        .collect();
    if mine.is_empty() {
        let _ = writeln!(w, "Journal: no events.");
    } else {
        let _ = writeln!(w, "Journal");
        for e in mine {
            let mut line = format!("  {} {}", e.date, e.event.as_str().replace('_', " "));
            if let Some(end) = &e.review_period_ends {
                line.push_str(&format!(
                    "; initial review period ends {end} (Initial review)"
                ));
            }
            if !e.r#override.is_empty() {
                line.push_str(&format!("; clearance overridden: {}", e.r#override));
            }
            if !e.note.is_empty() {
                line.push_str(&format!("; note: {}", e.note));
            }
            let _ = writeln!(w, "{line}");
        }
    }
    Ok(o)
}

fn key_detail(
    key: &str,
    above: &crate::record::ApplicantRecord,
    below: &crate::record::ApplicantRecord,
) -> String {
    match key {
        "raw_score" => format!(
            " (raw score {} against {})",
            above.raw_score.as_deref().unwrap_or(""),
            below.raw_score.as_deref().unwrap_or("")
        ),
        "filing_date" => format!(
            " (filed {} against {})",
            above.filing_date, below.filing_date
        ),
        "lottery" => " (lower lottery key first)".to_string(),
        k => {
            let name = k.trim_start_matches("component:");
            let v = |a: &crate::record::ApplicantRecord| {
                a.components
                    .iter()
                    .find(|c| c.component == name)
                    .and_then(|c| c.value.clone())
                    .unwrap_or_default()
            };
            format!(" ({name} {} against {})", v(above), v(below))
        }
    }
}
