//! The list of record (`result.json`): the exam, every applicant with status,
//! reasons, scores and rank, and the audit block. Every other output is a
//! view of it, and `certify` and `explain` read it back (Secretary: the
//! custodian of completed examinations; it is never rewritten).
//!
//! Figures are written as text with exactly `decimals` places, never as JSON
//! numbers, so that no reader converts them through binary floating point.

use crate::dates::iso;
use crate::exam::{ApplyTo, ComponentKind, DateOrder, Exam, Window};
use crate::fields::yes_no;
use crate::ingest::{Dataset, InputFile};
use crate::num::fixed;
use crate::rank::{lottery_key, Placement};
use crate::rules::{Evaluation, Reason, Status, Value};
use serde::{Deserialize, Serialize};

pub const FORMAT_VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ListOfRecord {
    pub format: u32,
    pub exam: ExamRecord,
    /// IDs in list order: by rank on a ranked list, in certification order
    /// on a qualified list.
    pub list: Vec<String>,
    /// Every applicant, in natural ID order.
    pub applicants: Vec<ApplicantRecord>,
    pub audit: Audit,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExamRecord {
    pub id: String,
    pub position: String,
    pub rank: String,
    pub kind: String,
    pub sworn: bool,
    pub list: String,
    pub application_deadline: String,
    pub list_established: String,
    pub list_valid_months: u32,
    /// The last day the list is valid; absent when it does not expire.
    pub list_expires: Option<String>,
    pub decimals: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ComponentValue {
    pub component: String,
    /// `87.50`, `pass`, `fail`; absent without a result.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// The raw values read, one per rater column, as written (scored
    /// components with a result only), so the scaling can be retraced.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub raw: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FindingRecord {
    pub ground: String,
    pub note: String,
    pub decided_on: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AgencyClearance {
    pub agency: String,
    pub cleared_on: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClearanceRecord {
    pub fingerprinted_on: Option<String>,
    pub agencies: Vec<AgencyClearance>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ApplicantRecord {
    pub applicant_id: String,
    pub last_name: String,
    pub first_name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub address: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub city: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub state: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub zip: String,
    pub delivery: String,
    pub received_on: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub postmarked_on: Option<String>,
    pub filing_date: String,
    pub signed: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub us_citizen: Option<bool>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub state_of_residence: String,
    pub certified_officer: bool,
    pub highest_degree: String,
    pub internal: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_of_birth: Option<String>,
    pub status: Status,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub codes: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reasons: Vec<Reason>,
    pub components: Vec<ComponentValue>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub raw_score: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub officer_points: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub degree_points: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preference_points: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub final_score: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rank: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score_rank: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tie_break: Option<String>,
    /// Position on a qualified list (internal candidates first).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub list_position: Option<u32>,
    /// The lottery key of a ranked eligible applicant, so anyone can check a
    /// lottery tie-break.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lottery_key: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub findings: Vec<FindingRecord>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clearance: Option<ClearanceRecord>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FileHash {
    pub role: String,
    pub path: String,
    pub sheet: Option<String>,
    pub sha256: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Counts {
    pub applicants: usize,
    pub eligible: usize,
    pub failed: usize,
    pub incomplete: usize,
    pub disqualified: usize,
}

impl Counts {
    pub fn get(&self, s: Status) -> usize {
        match s {
            Status::Eligible => self.eligible,
            Status::Failed => self.failed,
            Status::Incomplete => self.incomplete,
            Status::Disqualified => self.disqualified,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ComponentRule {
    pub name: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub weight: Option<String>,
    pub max: Option<String>,
    pub pass_mark: Option<String>,
    pub columns: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Rules {
    pub components: Vec<ComponentRule>,
    pub preference_certified_officer: String,
    pub preference_degree: Vec<(String, String)>,
    pub preference_apply_to: String,
    pub min_age: Option<u32>,
    pub tie_break: Vec<String>,
    pub lottery_seed: String,
    pub window: String,
    pub clearance_max_age_days: u32,
    pub clearance_agencies: Vec<String>,
    pub hearing_request_days: u32,
    pub date_order: String,
    pub column_aliases: Vec<(String, String)>,
    pub board_name: String,
    pub board_city: String,
    pub board_address: String,
    pub board_secretary: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Audit {
    pub tool: String,
    pub version: String,
    pub exam_id: String,
    pub exam_file: FileHash,
    pub inputs: Vec<FileHash>,
    pub lottery_seed: String,
    pub rules: Rules,
    pub counts: Counts,
}

/// An applicant as the eligibility list shows them (its CSV and its
/// workbook sheet): the same values as their [`ApplicantRecord`].
#[derive(Debug, Clone, PartialEq)]
pub struct ListEntry {
    pub applicant_id: String,
    pub last_name: String,
    pub first_name: String,
    pub internal: bool,
    pub raw_score: Option<String>,
    pub officer_points: Option<String>,
    pub degree_points: Option<String>,
    pub preference_points: Option<String>,
    pub final_score: Option<String>,
    pub rank: Option<u32>,
    pub score_rank: Option<u32>,
    pub tie_break: Option<String>,
}

/// The evaluated exam, from which the list of record is built one
/// applicant at a time: at a million applicants the whole record would not
/// fit the memory budget, so outputs are written from this in chunks.
pub struct Scored<'a> {
    pub exam: &'a Exam,
    pub data: &'a Dataset,
    pub evals: &'a [Evaluation],
    pub placements: &'a [Placement],
    pub qualified: &'a [usize],
    pub exam_sha256: &'a str,
    place_of: Vec<Option<u32>>,
    qpos: Vec<Option<u32>>,
}

/// The parts of the record that are not per applicant.
pub struct Head {
    pub exam: ExamRecord,
    /// Indexes into the applicants, in list order.
    pub list: Vec<usize>,
    pub audit: Audit,
}

impl<'a> Scored<'a> {
    pub fn new(
        exam: &'a Exam,
        exam_sha256: &'a str,
        data: &'a Dataset,
        evals: &'a [Evaluation],
        placements: &'a [Placement],
        qualified: &'a [usize],
    ) -> Self {
        let mut place_of = vec![None; data.applicants.len()];
        for (k, p) in placements.iter().enumerate() {
            place_of[p.index] = Some(k as u32);
        }
        let mut qpos = vec![None; data.applicants.len()];
        for (pos, i) in qualified.iter().enumerate() {
            qpos[*i] = Some(pos as u32 + 1);
        }
        Scored {
            exam,
            data,
            evals,
            placements,
            qualified,
            exam_sha256,
            place_of,
            qpos,
        }
    }

    pub fn len(&self) -> usize {
        self.data.applicants.len()
    }

    pub fn is_empty(&self) -> bool {
        self.data.applicants.is_empty()
    }

    /// What the eligibility list shows of applicant `i`: for the list's
    /// pass, which would otherwise build each listed applicant's whole
    /// record a second time (issue 6). [`Scored::applicant`] takes these
    /// fields from here, so the list and the record cannot disagree.
    pub fn list_entry(&self, i: usize) -> ListEntry {
        let dp = self.exam.decimals;
        let f = |d: rust_decimal::Decimal| fixed(d, dp);
        let (a, e) = (&self.data.applicants[i], &self.evals[i]);
        let p = self.place_of[i].map(|k| &self.placements[k as usize]);
        ListEntry {
            applicant_id: a.id.clone(),
            last_name: a.last_name.clone(),
            first_name: a.first_name.clone(),
            internal: a.internal,
            raw_score: e.raw_score.map(f),
            officer_points: e.officer_points.map(f),
            degree_points: e.degree_points.map(f),
            preference_points: e.preference_points.map(f),
            final_score: e.final_score.map(f),
            rank: p.map(|p| p.rank),
            score_rank: p.map(|p| p.score_rank),
            tie_break: p.map(|p| p.tie_break.clone()),
        }
    }

    /// One applicant's record (in natural ID order).
    pub fn applicant(&self, i: usize) -> ApplicantRecord {
        let exam = self.exam;
        let data = self.data;
        let dp = exam.decimals;
        let f = |d: rust_decimal::Decimal| fixed(d, dp);
        let (a, e) = (&data.applicants[i], &self.evals[i]);
        let placed = self.place_of[i].is_some();
        let qpos = &self.qpos;
        let reasons = crate::rules::reasons(exam, a, &data.findings[i], e);
        let entry = self.list_entry(i);

        ApplicantRecord {
            applicant_id: entry.applicant_id,
            last_name: entry.last_name,
            first_name: entry.first_name,
            address: a.address.clone(),
            city: a.city.clone(),
            state: a.state.clone(),
            zip: a.zip.clone(),
            delivery: a.delivery.as_str().into(),
            received_on: iso(a.received_on),
            postmarked_on: a.postmarked_on.map(iso),
            filing_date: iso(e.filing_date),
            signed: a.signed,
            us_citizen: a.us_citizen,
            state_of_residence: a.state_of_residence.clone(),
            certified_officer: a.certified_officer,
            highest_degree: a.highest_degree.as_str().into(),
            internal: entry.internal,
            date_of_birth: a.date_of_birth.map(iso),
            status: e.status,
            codes: reasons.iter().map(|r| r.code.clone()).collect(),
            reasons,
            components: exam
                .components
                .iter()
                .zip(&e.values)
                .zip(data.results.iter().map(|col| &col[i]))
                .map(|((c, v), raw)| ComponentValue {
                    raw: match raw {
                        crate::ingest::RawResult::Scored(vals) => {
                            vals.iter().map(|d| crate::num::text(*d)).collect()
                        }
                        _ => Vec::new(),
                    },
                    component: c.name.clone(),
                    value: match v {
                        Value::Missing => None,
                        Value::Scored(s) => Some(f(*s)),
                        Value::Pass(true) => Some("pass".into()),
                        Value::Pass(false) => Some("fail".into()),
                    },
                })
                .collect(),
            raw_score: entry.raw_score,
            officer_points: entry.officer_points,
            degree_points: entry.degree_points,
            preference_points: entry.preference_points,
            final_score: entry.final_score,
            rank: entry.rank,
            score_rank: entry.score_rank,
            tie_break: entry.tie_break,
            list_position: qpos[i],
            lottery_key: placed.then(|| lottery_key(&exam.lottery_seed, &a.id)),
            findings: data.findings[i]
                .iter()
                .map(|g| FindingRecord {
                    ground: format!("A{}", g.ground.0),
                    note: g.note.clone(),
                    decided_on: g.decided_on.map(iso),
                })
                .collect(),
            clearance: data.clearances[i].as_ref().map(|c| ClearanceRecord {
                fingerprinted_on: c.fingerprinted_on.map(iso),
                agencies: exam
                    .certification
                    .clearance_agencies
                    .iter()
                    .zip(&c.agencies)
                    .map(|(name, d)| AgencyClearance {
                        agency: name.clone(),
                        cleared_on: d.map(iso),
                    })
                    .collect(),
            }),
        }
    }

    pub fn head(&self) -> Head {
        let exam = self.exam;
        let data = self.data;
        let evals = self.evals;
        let list: Vec<usize> = if self.placements.is_empty() {
            self.qualified.to_vec()
        } else {
            self.placements.iter().map(|p| p.index).collect()
        };
        let count = |s: Status| evals.iter().filter(|e| e.status == s).count();
        Head {
            exam: ExamRecord {
                id: exam.id.clone(),
                position: exam.position.clone(),
                rank: exam.rank.as_str().into(),
                kind: exam.kind.as_str().into(),
                sworn: exam.sworn,
                list: exam.list.as_str().into(),
                application_deadline: iso(exam.application_deadline),
                list_established: iso(exam.list_established),
                list_valid_months: exam.list_valid_months,
                list_expires: exam.list_expires().map(iso),
                decimals: exam.decimals,
            },
            list,
            audit: Audit {
                tool: "meritlist".into(),
                version: env!("CARGO_PKG_VERSION").into(),
                exam_id: exam.id.clone(),
                exam_file: FileHash {
                    role: "exam".into(),
                    path: exam
                        .file
                        .file_name()
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_default(),
                    sheet: None,
                    sha256: self.exam_sha256.into(),
                },
                inputs: data.files.iter().map(file_hash).collect(),
                lottery_seed: exam.lottery_seed.clone(),
                rules: rules(exam),
                counts: Counts {
                    applicants: evals.len(),
                    eligible: count(Status::Eligible),
                    failed: count(Status::Failed),
                    incomplete: count(Status::Incomplete),
                    disqualified: count(Status::Disqualified),
                },
            },
        }
    }

    /// The whole list of record in memory (small exams, tests, notices).
    pub fn record(&self) -> ListOfRecord {
        let head = self.head();
        let applicants: Vec<ApplicantRecord> = (0..self.len()).map(|i| self.applicant(i)).collect();
        ListOfRecord {
            format: FORMAT_VERSION,
            exam: head.exam,
            list: head
                .list
                .iter()
                .map(|i| self.data.applicants[*i].id.clone())
                .collect(),
            applicants,
            audit: head.audit,
        }
    }
}

/// Assembles the whole list of record from the evaluated dataset.
pub fn build(
    exam: &Exam,
    exam_sha256: &str,
    data: &Dataset,
    evals: &[Evaluation],
    placements: &[Placement],
    qualified: &[usize],
) -> ListOfRecord {
    Scored::new(exam, exam_sha256, data, evals, placements, qualified).record()
}

fn file_hash(f: &InputFile) -> FileHash {
    FileHash {
        role: f.role.into(),
        path: f.path.clone(),
        sheet: f.sheet.clone(),
        sha256: f.sha256.clone(),
    }
}

fn rules(exam: &Exam) -> Rules {
    let p = &exam.preference;
    let n = |d: rust_decimal::Decimal| d.normalize().to_string();
    Rules {
        components: exam
            .components
            .iter()
            .map(|c| {
                let scored = c.kind == ComponentKind::Scored;
                ComponentRule {
                    name: c.name.clone(),
                    kind: if scored { "scored" } else { "pass_fail" }.into(),
                    weight: scored.then(|| c.weight.to_string()),
                    max: scored.then(|| c.max.to_string()),
                    pass_mark: c.pass_mark.map(|m| m.to_string()),
                    columns: c.columns.clone(),
                }
            })
            .collect(),
        preference_certified_officer: n(p.certified_officer),
        preference_degree: vec![
            ("associate".into(), n(p.associate)),
            ("bachelor".into(), n(p.bachelor)),
            ("master".into(), n(p.master)),
            ("doctorate".into(), n(p.doctorate)),
        ],
        preference_apply_to: match p.apply_to {
            ApplyTo::Passing => "passing",
            ApplyTo::None => "none",
        }
        .into(),
        min_age: exam.min_age,
        tie_break: exam.tie_break.iter().map(|k| k.label()).collect(),
        lottery_seed: exam.lottery_seed.clone(),
        window: match exam.certification.window {
            Window::Min => "min".into(),
            Window::Max => "max".into(),
            Window::Size(k) => k.to_string(),
        },
        clearance_max_age_days: exam.certification.clearance_max_age_days,
        clearance_agencies: exam.certification.clearance_agencies.clone(),
        hearing_request_days: exam.hearing_request_days,
        date_order: match exam.inputs.date_order {
            DateOrder::Mdy => "mdy",
            DateOrder::Dmy => "dmy",
        }
        .into(),
        column_aliases: exam.inputs.aliases.clone(),
        board_name: exam.board.name.clone(),
        board_city: exam.board.city.clone(),
        board_address: exam.board.address.clone(),
        board_secretary: exam.board.secretary.clone(),
    }
}

/// `yes`/`no` for CSV outputs.
pub fn yn(b: bool) -> &'static str {
    yes_no(b)
}
