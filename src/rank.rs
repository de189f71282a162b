//! Ranking (SPEC 4.3). A ranked list orders eligible applicants by final
//! score, then by the Board's tie-break keys, then by the lottery, which is
//! always applied last: a total order on exact decimals, so no thread count
//! or input order can change a list. A qualified list (Examinations B) puts
//! internal candidates first, then names.

use crate::exam::{Exam, ListKind, TieKey};
use crate::fields::natural_cmp;
use crate::ingest::Applicant;
use crate::rules::{Evaluation, Status, Value};
use rayon::prelude::*;
use std::cmp::Ordering;

/// The lottery key: lower-case hex SHA-256 of `seed + ":" + applicant_id`.
pub fn lottery_key(seed: &str, id: &str) -> String {
    crate::ingest::table::sha256_hex(format!("{seed}:{id}").as_bytes())
}

/// A ranked applicant's place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placement {
    /// Index into the dataset's applicants.
    pub index: usize,
    pub rank: u32,
    pub score_rank: u32,
    /// The key that separated this applicant from the one above; empty when
    /// their final scores differ and for rank 1.
    pub tie_break: String,
}

struct Entry<'a> {
    index: usize,
    a: &'a Applicant,
    e: &'a Evaluation,
    lottery: String,
}

/// Compares two entries on one tie-break key: `Less` puts `x` first.
fn compare_on(exam: &Exam, key: &TieKey, x: &Entry, y: &Entry) -> Ordering {
    match key {
        TieKey::RawScore => y.e.raw_score.cmp(&x.e.raw_score),
        TieKey::FilingDate => x.e.filing_date.cmp(&y.e.filing_date),
        TieKey::Component(name) => {
            // Cannot fail: exam::parse (Reader::ranking) makes TieKey::Component only for a name
            // found among this exam's scored components, and refuses the exam otherwise.
            let i = exam
                .components
                .iter()
                .position(|c| &c.name == name)
                .expect("tie-break components are checked when the exam is loaded");
            let v = |e: &Evaluation| match &e.values[i] {
                Value::Scored(s) => Some(*s),
                _ => None,
            };
            v(y.e).cmp(&v(x.e))
        }
        TieKey::Lottery => x.lottery.cmp(&y.lottery),
    }
}

/// The key chain actually applied: the configured keys, then the lottery.
fn chain(exam: &Exam) -> Vec<TieKey> {
    let mut keys = exam.tie_break.clone();
    if !keys.contains(&TieKey::Lottery) {
        keys.push(TieKey::Lottery);
    }
    keys
}

/// Orders the eligible applicants of a ranked list. The comparison is total:
/// the lottery separates any two distinct IDs, and the ID itself is the last
/// resort for the (impossible) equal hash.
pub fn rank(exam: &Exam, applicants: &[Applicant], evals: &[Evaluation]) -> Vec<Placement> {
    debug_assert_eq!(exam.list, ListKind::Ranked);
    let keys = chain(exam);
    // In parallel (a SHA-256 for every eligible applicant, then the sort):
    // the order is total, so it is the same on any number of threads.
    let mut entries: Vec<Entry> = applicants
        .par_iter()
        .zip(evals)
        .enumerate()
        .filter(|(_, (_, e))| e.status == Status::Eligible)
        .map(|(index, (a, e))| Entry {
            index,
            a,
            e,
            lottery: lottery_key(&exam.lottery_seed, &a.id),
        })
        .collect();
    let cmp = |x: &Entry, y: &Entry| {
        y.e.final_score
            .cmp(&x.e.final_score)
            .then_with(|| {
                keys.iter()
                    .map(|k| compare_on(exam, k, x, y))
                    .find(|o| o.is_ne())
                    .unwrap_or(Ordering::Equal)
            })
            .then_with(|| natural_cmp(&x.a.id, &y.a.id))
    };
    entries.par_sort_by(cmp);

    let mut out: Vec<Placement> = Vec::with_capacity(entries.len());
    for (i, x) in entries.iter().enumerate() {
        let (score_rank, tie_break) = if i == 0 {
            (1, String::new())
        } else {
            let above = &entries[i - 1];
            if above.e.final_score != x.e.final_score {
                (i as u32 + 1, String::new())
            } else {
                let key = keys
                    .iter()
                    .find(|k| compare_on(exam, k, above, x).is_ne())
                    .map(|k| k.label())
                    .unwrap_or_else(|| "lottery".into());
                (out[i - 1].score_rank, key)
            }
        };
        out.push(Placement {
            index: x.index,
            rank: i as u32 + 1,
            score_rank,
            tie_break,
        });
    }
    out
}

/// Orders the eligible applicants of a qualified list (Examinations B):
/// internal candidates first, then last and first name in lower case, then
/// applicant ID. Returns indexes into `applicants`.
pub fn qualified_order(applicants: &[Applicant], evals: &[Evaluation]) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..applicants.len())
        .filter(|i| evals[*i].status == Status::Eligible)
        .collect();
    idx.par_sort_by(|&i, &j| {
        let (a, b) = (&applicants[i], &applicants[j]);
        b.internal
            .cmp(&a.internal)
            .then_with(|| a.last_name.to_lowercase().cmp(&b.last_name.to_lowercase()))
            .then_with(|| {
                a.first_name
                    .to_lowercase()
                    .cmp(&b.first_name.to_lowercase())
            })
            .then_with(|| natural_cmp(&a.id, &b.id))
    });
    idx
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lottery_key_is_sha256_of_seed_colon_id() {
        // printf 'Board meeting 2027-04-15:1009' | sha256sum
        assert_eq!(
            lottery_key("Board meeting 2027-04-15", "1009"),
            "f7db65ba79edcf0f1c0174468b622ed2365bf790ed9fcd5e2004567da3de225f"
        );
    }
}
