//! The CSV views of the list of record (SPEC 5). Columns and their order are
//! the contract; keep them in sync with SPEC section 5 and the examples.

use crate::record::{ApplicantRecord, ListOfRecord};
use crate::rules::Status;

fn writer() -> csv::Writer<Vec<u8>> {
    csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new())
}

fn finish(w: csv::Writer<Vec<u8>>) -> Vec<u8> {
    w.into_inner().expect("writing to memory cannot fail")
}

fn opt(s: &Option<String>) -> &str {
    s.as_deref().unwrap_or("")
}

fn by_id<'a>(r: &'a ListOfRecord, id: &str) -> &'a ApplicantRecord {
    r.applicants
        .iter()
        .find(|a| a.applicant_id == id)
        .expect("every listed ID is an applicant of the record")
}

/// `eligibility-list.csv`.
pub fn eligibility_list(r: &ListOfRecord) -> Vec<u8> {
    let mut w = writer();
    let index: std::collections::HashMap<&str, &ApplicantRecord> = r
        .applicants
        .iter()
        .map(|a| (a.applicant_id.as_str(), a))
        .collect();
    let get = |id: &str| index.get(id).copied().unwrap_or_else(|| by_id(r, id));
    if r.exam.list == "ranked" {
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
        ])
        .expect("memory");
        for id in &r.list {
            let a = get(id);
            let rank = a.rank.map(|v| v.to_string()).unwrap_or_default();
            let score_rank = a.score_rank.map(|v| v.to_string()).unwrap_or_default();
            w.write_record([
                rank.as_str(),
                &a.applicant_id,
                &a.last_name,
                &a.first_name,
                opt(&a.raw_score),
                opt(&a.officer_points),
                opt(&a.degree_points),
                opt(&a.preference_points),
                opt(&a.final_score),
                &score_rank,
                opt(&a.tie_break),
            ])
            .expect("memory");
        }
    } else {
        w.write_record([
            "applicant_id",
            "last_name",
            "first_name",
            "internal",
            "raw_score",
        ])
        .expect("memory");
        for id in &r.list {
            let a = get(id);
            w.write_record([
                a.applicant_id.as_str(),
                &a.last_name,
                &a.first_name,
                crate::record::yn(a.internal),
                opt(&a.raw_score),
            ])
            .expect("memory");
        }
    }
    finish(w)
}

/// `not-eligible.csv`: sorted by applicant_id (the record's order).
pub fn not_eligible(r: &ListOfRecord) -> Vec<u8> {
    let mut w = writer();
    w.write_record([
        "applicant_id",
        "last_name",
        "first_name",
        "status",
        "codes",
        "reasons",
    ])
    .expect("memory");
    for a in r.applicants.iter().filter(|a| a.status != Status::Eligible) {
        let reasons: Vec<&str> = a.reasons.iter().map(|x| x.text.as_str()).collect();
        w.write_record([
            a.applicant_id.as_str(),
            &a.last_name,
            &a.first_name,
            a.status.as_str(),
            &a.codes.join(";"),
            &reasons.join("; "),
        ])
        .expect("memory");
    }
    finish(w)
}

/// `scores.csv`: every applicant, sorted by applicant_id.
pub fn scores(r: &ListOfRecord) -> Vec<u8> {
    let mut w = writer();
    let mut header: Vec<String> = ["applicant_id", "last_name", "first_name", "status"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    header.extend(r.audit.rules.components.iter().map(|c| c.name.clone()));
    header.extend(["raw_score", "preference_points", "final_score"].map(String::from));
    w.write_record(&header).expect("memory");
    for a in &r.applicants {
        let mut row: Vec<&str> = vec![
            &a.applicant_id,
            &a.last_name,
            &a.first_name,
            a.status.as_str(),
        ];
        row.extend(a.components.iter().map(|c| opt(&c.value)));
        row.push(opt(&a.raw_score));
        row.push(opt(&a.preference_points));
        row.push(opt(&a.final_score));
        w.write_record(&row).expect("memory");
    }
    finish(w)
}
