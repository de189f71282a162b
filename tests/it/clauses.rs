//! One test per rule, each named after the ordinance clause it proves
//! (labels from the index table of `shared/ordinance.md`; rules from SPEC
//! section 4, outputs from section 5). Expected values are worked by hand in
//! the comments so a reader can check them.
//!
//! Unless a test says otherwise the exam is `common::EXAM`: deadline
//! 2026-09-30, list established 2026-11-20, `written` (weight 0.6, max 100,
//! pass mark 70) and `oral` (weight 0.4, three raters, pass mark 70), two
//! decimals, default seed = the exam id `T-2026-01`.

use crate::common::*;
use serde_json::Value as Json;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::Path;

// ---------------------------------------------------------------------------
// Helpers local to these tests.

const APPLICANT_FIELDS: [(&str, &str); 12] = [
    ("applicant_id", ""),
    ("last_name", ""),
    ("first_name", "Pat"),
    ("delivery", "online"),
    ("received_on", "2026-09-01"),
    ("postmarked_on", ""),
    ("signed", "yes"),
    ("us_citizen", "yes"),
    ("state_of_residence", "MO"),
    ("certified_officer", "no"),
    ("highest_degree", ""),
    ("internal", "no"),
];

/// An applicants.csv row (in `APPLICANTS_HEADER` order) with the defaults of
/// `common::applicant` and the given fields changed.
fn ap(id: &str, last: &str, set: &[(&str, &str)]) -> String {
    for (k, _) in set {
        assert!(
            APPLICANT_FIELDS.iter().any(|(f, _)| f == k),
            "no applicant field {k}"
        );
    }
    let vals: Vec<String> = APPLICANT_FIELDS
        .iter()
        .map(|(f, d)| match *f {
            "applicant_id" => id.to_string(),
            "last_name" => last.to_string(),
            _ => set
                .iter()
                .find(|(k, _)| k == f)
                .map(|(_, v)| v.to_string())
                .unwrap_or_else(|| d.to_string()),
        })
        .collect();
    format!("{}\n", vals.join(","))
}

/// Scores for one applicant: `(id, written, oral)`. `written` is the cell
/// (blank allowed), or `-` for no row; `oral` is one value given by all
/// three raters, `a,b,c` for three different raters, blank for three blank
/// cells, or `-` for no row.
type S<'a> = (&'a str, &'a str, &'a str);

/// Writes the small exam: `EXAM` with `edits` (each `(from, to)` must match)
/// and `extra` appended, the applicants rows, and the score files.
fn setup(dir: &Dir, edits: &[(&str, &str)], extra: &str, applicants: &[String], scores: &[S]) {
    let mut written: Vec<String> = Vec::new();
    let mut oral: Vec<String> = Vec::new();
    for (id, w, o) in scores {
        if *w != "-" {
            written.push(format!("{id},{w}"));
        }
        if *o != "-" {
            if o.contains(',') {
                oral.push(format!("{id},{o}"));
            } else {
                oral.push(format!("{id},{o},{o},{o}"));
            }
        }
    }
    let w: Vec<&str> = written.iter().map(String::as_str).collect();
    let o: Vec<&str> = oral.iter().map(String::as_str).collect();
    small_exam(dir, "", applicants, &w, &o);
    dir.write("exam.toml", &exam_text(edits, extra));
}

fn exam_text(edits: &[(&str, &str)], extra: &str) -> String {
    let mut e = EXAM.to_string();
    for (from, to) in edits {
        assert!(e.contains(from), "EXAM has no {from:?}");
        e = e.replacen(from, to, 1);
    }
    e.push_str(extra);
    e
}

/// An edit adding a line to the `[exam]` table.
fn exam_key(line: &'static str) -> (&'static str, String) {
    (
        "list_established = 2026-11-20\n",
        format!("list_established = 2026-11-20\n{line}\n"),
    )
}

const SCORES_LINE: &str = "scores = [\"written.csv\", \"oral.csv\"]\n";

/// Setup with owned edit targets.
fn setup_e(dir: &Dir, edits: &[(&str, String)], extra: &str, applicants: &[String], scores: &[S]) {
    let e: Vec<(&str, &str)> = edits.iter().map(|(a, b)| (*a, b.as_str())).collect();
    setup(dir, &e, extra, applicants, scores);
}

/// The edit that adds a determinations file to `[inputs]`.
fn with_determinations() -> (&'static str, String) {
    (
        SCORES_LINE,
        format!("{SCORES_LINE}determinations = \"determinations.csv\"\n"),
    )
}

fn determinations(dir: &Dir, rows: &[&str]) {
    let mut t = "applicant_id,ground,note,decided_on\n".to_string();
    for r in rows {
        t.push_str(r);
        t.push('\n');
    }
    dir.write("determinations.csv", &t);
}

/// Rewrites applicants.csv with a `date_of_birth` column: `(row, dob)`.
fn applicants_with_dob(dir: &Dir, rows: &[(String, &str)]) {
    let mut t = format!("{},date_of_birth\n", APPLICANTS_HEADER.trim_end());
    for (r, dob) in rows {
        t.push_str(&format!("{},{dob}\n", r.trim_end()));
    }
    dir.write("applicants.csv", &t);
}

/// `(status, codes)` of an applicant in not-eligible.csv.
fn not_eligible(dir: &Dir, id: &str) -> (String, String) {
    (
        dir.field("not-eligible.csv", id, "status"),
        dir.field("not-eligible.csv", id, "codes"),
    )
}

fn pair(status: &str, codes: &str) -> (String, String) {
    (status.to_string(), codes.to_string())
}

/// The IDs in a CSV output, in file order.
fn ids(dir: &Dir, name: &str) -> Vec<String> {
    let rows = dir.csv(name);
    let c = rows[0].iter().position(|h| h == "applicant_id").unwrap();
    rows[1..].iter().map(|r| r[c].clone()).collect()
}

fn on_list(dir: &Dir, id: &str) -> bool {
    dir.row("eligibility-list.csv", id).is_some()
}

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// SPEC 4.3: lower-case hex SHA-256 of `seed + ":" + id`.
fn lottery(seed: &str, id: &str) -> String {
    sha256_hex(format!("{seed}:{id}").as_bytes())
}

fn result_json(dir: &Dir) -> Json {
    serde_json::from_str(&dir.read("out/result.json")).expect("result.json is JSON")
}

/// Every file under `root`, by relative path, with its bytes.
fn all_files(root: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(base: &Path, p: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for e in std::fs::read_dir(p).unwrap() {
            let e = e.unwrap();
            let path = e.path();
            if e.file_type().unwrap().is_dir() {
                walk(base, &path, out);
            } else {
                let rel = path
                    .strip_prefix(base)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                out.insert(rel, std::fs::read(&path).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(root, root, &mut out);
    out
}

const LIST_HEADER: &str = "rank,applicant_id,last_name,first_name,raw_score,officer_points,degree_points,preference_points,final_score,score_rank,tie_break\n";
const SCORES_HEADER: &str =
    "applicant_id,last_name,first_name,status,written,oral,raw_score,preference_points,final_score\n";

// ---------------------------------------------------------------------------
// Citizenship

#[test]
fn citizenship_non_citizen_is_disqualified_for_sworn_position() {
    let dir = Dir::new();
    setup(
        &dir,
        &[],
        "",
        &[
            ap("1", "Adams", &[("us_citizen", "no")]),
            ap("2", "Baker", &[]),
        ],
        &[("1", "95", "95"), ("2", "80", "80")],
    );
    dir.score().ok();
    assert_eq!(not_eligible(&dir, "1"), pair("disqualified", "CITIZENSHIP"));
    let reasons = dir.field("not-eligible.csv", "1", "reasons");
    assert!(
        reasons.contains("Citizenship"),
        "cites the clause: {reasons}"
    );
    assert!(!on_list(&dir, "1"));
    // 2 alone on the list: 0.6 × 80 + 0.4 × 80 = 80.00.
    assert_eq!(
        dir.read("out/eligibility-list.csv"),
        format!("{LIST_HEADER}1,2,Baker,Pat,80.00,0.00,0.00,0.00,80.00,1,\n")
    );
}

#[test]
fn citizenship_does_not_apply_to_civilian_positions() {
    // sworn = false: a non-citizen, and one whose citizenship is not given
    // (us_citizen is required only for sworn positions), are both eligible.
    let dir = Dir::new();
    setup_e(
        &dir,
        &[exam_key("sworn = false")],
        "",
        &[
            ap("1", "Adams", &[("us_citizen", "no")]),
            ap("2", "Baker", &[("us_citizen", "")]),
        ],
        &[("1", "90", "90"), ("2", "80", "80")],
    );
    dir.score().ok();
    assert_eq!(
        dir.read("out/not-eligible.csv"),
        "applicant_id,last_name,first_name,status,codes,reasons\n"
    );
    assert_eq!(
        dir.read("out/eligibility-list.csv"),
        format!(
            "{LIST_HEADER}\
             1,1,Adams,Pat,90.00,0.00,0.00,0.00,90.00,1,\n\
             2,2,Baker,Pat,80.00,0.00,0.00,0.00,80.00,2,\n"
        )
    );
}

// ---------------------------------------------------------------------------
// Disqualification A.1

#[test]
fn a1_requirement_underage_on_deadline() {
    // min_age 21 on the deadline 2026-09-30:
    // 1 born 2005-09-30 turns 21 on the deadline itself: meets it;
    // 2 born 2005-10-01 is 20 on the deadline: A1-REQUIREMENT;
    // 3 born 1990-01-01: meets it.
    let dir = Dir::new();
    setup(
        &dir,
        &[],
        "\n[requirements]\nmin_age = 21\n",
        &[],
        &[("1", "80", "80"), ("2", "90", "90"), ("3", "85", "85")],
    );
    applicants_with_dob(
        &dir,
        &[
            (ap("1", "Adams", &[]), "2005-09-30"),
            (ap("2", "Baker", &[]), "2005-10-01"),
            (ap("3", "Clark", &[]), "1990-01-01"),
        ],
    );
    dir.score().ok();
    assert_eq!(
        not_eligible(&dir, "2"),
        pair("disqualified", "A1-REQUIREMENT")
    );
    let reasons = dir.field("not-eligible.csv", "2", "reasons");
    assert!(reasons.contains("A.1"), "cites the clause: {reasons}");
    assert_eq!(ids(&dir, "eligibility-list.csv"), vec!["3", "1"]);
    assert_eq!(ids(&dir, "not-eligible.csv"), vec!["2"]);
}

#[test]
fn a1_requirement_leap_day_birthday() {
    // Born 2004-02-29; in the common year 2025 the 21st birthday falls on
    // 1 March. Deadline 2025-02-28: 20 years old → A1-REQUIREMENT.
    // Deadline 2025-03-01: 21 → meets it. Born 2004-02-28 is 21 on
    // 2025-02-28 in both runs.
    for (deadline, leapling_ok) in [("2025-02-28", false), ("2025-03-01", true)] {
        let dir = Dir::new();
        let dl = format!("application_deadline = {deadline}\n");
        setup_e(
            &dir,
            &[
                ("application_deadline = 2026-09-30\n", dl),
                (
                    "list_established = 2026-11-20\n",
                    "list_established = 2025-04-01\n".to_string(),
                ),
            ],
            "\n[requirements]\nmin_age = 21\n",
            &[],
            &[("1", "80", "80"), ("2", "80", "80")],
        );
        applicants_with_dob(
            &dir,
            &[
                (
                    ap("1", "Leap", &[("received_on", "2025-02-01")]),
                    "2004-02-29",
                ),
                (
                    ap("2", "Eve", &[("received_on", "2025-02-01")]),
                    "2004-02-28",
                ),
            ],
        );
        dir.score().ok();
        assert_eq!(
            dir.field("scores.csv", "1", "status"),
            if leapling_ok {
                "eligible"
            } else {
                "disqualified"
            },
            "deadline {deadline}"
        );
        if !leapling_ok {
            assert_eq!(
                not_eligible(&dir, "1"),
                pair("disqualified", "A1-REQUIREMENT")
            );
        }
        assert_eq!(
            dir.field("scores.csv", "2", "status"),
            "eligible",
            "deadline {deadline}"
        );
    }
}

// ---------------------------------------------------------------------------
// Disqualification A.1–A.9 (Board findings)

#[test]
fn a1_to_a6_board_findings_each_disqualify_with_their_clause() {
    // Grounds written as the Board's clerk might: any case, DQ- prefix; a
    // ground found twice counts once (4 has A4 twice).
    let dir = Dir::new();
    let apps: Vec<String> = ["Adams", "Baker", "Clark", "Davis", "Evans", "Fox", "Gray"]
        .iter()
        .enumerate()
        .map(|(i, n)| ap(&(i + 1).to_string(), n, &[]))
        .collect();
    setup_e(
        &dir,
        &[with_determinations()],
        "",
        &apps,
        &[
            ("1", "90", "90"),
            ("2", "90", "90"),
            ("3", "90", "90"),
            ("4", "90", "90"),
            ("5", "90", "90"),
            ("6", "90", "90"),
            ("7", "80", "80"),
        ],
    );
    determinations(
        &dir,
        &[
            "1,A1,no valid driver's licence,2026-10-15",
            "2,a2,,",
            "3,DQ-A3,,2026-10-15",
            "4,dq-a4,false statement on employment history,",
            "4,A4,found again at the second review,2026-10-20",
            "5,A5,,",
            "6,A6,,",
        ],
    );
    dir.score().ok();
    for n in 1..=6 {
        let id = n.to_string();
        assert_eq!(
            not_eligible(&dir, &id),
            pair("disqualified", &format!("A{n}")),
            "applicant {id}"
        );
        let reasons = dir.field("not-eligible.csv", &id, "reasons");
        assert!(
            reasons.contains(&format!("Disqualification A.{n}")),
            "applicant {id} cites Disqualification A.{n}: {reasons}"
        );
        assert!(!on_list(&dir, &id));
    }
    assert_eq!(ids(&dir, "eligibility-list.csv"), vec!["7"]);
}

#[test]
fn a7_late_hand_delivered() {
    // Hand delivered (received date counts, the postmark is irrelevant):
    // 1 received 2026-10-01, one day after the deadline: A7-LATE, though
    // its envelope shows 2026-09-29.
    let dir = Dir::new();
    setup(
        &dir,
        &[],
        "",
        &[
            ap(
                "1",
                "Adams",
                &[
                    ("delivery", "hand delivered"),
                    ("received_on", "2026-10-01"),
                    ("postmarked_on", "2026-09-29"),
                ],
            ),
            ap(
                "2",
                "Baker",
                &[("delivery", "personal"), ("received_on", "2026-09-29")],
            ),
        ],
        &[("1", "95", "95"), ("2", "80", "80")],
    );
    dir.score().ok();
    assert_eq!(not_eligible(&dir, "1"), pair("disqualified", "A7-LATE"));
    let reasons = dir.field("not-eligible.csv", "1", "reasons");
    assert!(
        reasons.contains("Disqualification A.7") && reasons.contains("Filing of papers"),
        "cites Disqualification A.7 and Filing of papers: {reasons}"
    );
    assert_eq!(ids(&dir, "eligibility-list.csv"), vec!["2"]);
}

#[test]
fn a7_mailed_application_files_on_postmark_date() {
    // Filing of papers: mail is filed on the postmark date.
    // 1 postmarked 2026-09-30 (the deadline), received 2026-10-03: on time.
    // 2 postmarked 2026-10-01, received 2026-10-02: late.
    let dir = Dir::new();
    setup(
        &dir,
        &[],
        "",
        &[
            ap(
                "1",
                "Adams",
                &[
                    ("delivery", "mail"),
                    ("received_on", "2026-10-03"),
                    ("postmarked_on", "2026-09-30"),
                ],
            ),
            ap(
                "2",
                "Baker",
                &[
                    ("delivery", "mail"),
                    ("received_on", "2026-10-02"),
                    ("postmarked_on", "2026-10-01"),
                ],
            ),
        ],
        &[("1", "80", "80"), ("2", "80", "80")],
    );
    dir.score().ok();
    assert_eq!(dir.field("scores.csv", "1", "status"), "eligible");
    assert_eq!(not_eligible(&dir, "2"), pair("disqualified", "A7-LATE"));
    let reasons = dir.field("not-eligible.csv", "2", "reasons");
    assert!(
        reasons.contains("2026-10-01"),
        "names the postmark date: {reasons}"
    );
}

#[test]
fn a7_postmark_after_receipt_is_refused_not_a_late_filing() {
    // Postmarked 2026-10-01 but received 2026-09-30: impossible, so a
    // typing error to correct, never a ground (README, "where SPEC.md is
    // silent").
    let dir = Dir::new();
    setup(
        &dir,
        &[],
        "",
        &[ap(
            "3",
            "Clark",
            &[
                ("delivery", "mail"),
                ("received_on", "2026-09-30"),
                ("postmarked_on", "2026-10-01"),
            ],
        )],
        &[("3", "80", "80")],
    );
    let err = dir.score().invalid().to_string();
    assert!(
        err.contains("expected a postmark date on or before the received date (2026-09-30), found \"2026-10-01\""),
        "{err}"
    );
}

#[test]
fn a7_filed_on_deadline_is_on_time() {
    // Received on the deadline 2026-09-30, also late in the afternoon (a
    // time after the date is ignored): on time. 2026-10-01 is late.
    let dir = Dir::new();
    setup(
        &dir,
        &[],
        "",
        &[
            ap("1", "Adams", &[("received_on", "2026-09-30")]),
            ap("2", "Baker", &[("received_on", "2026-09-30T23:59:00")]),
            ap("3", "Clark", &[("received_on", "2026-10-01")]),
        ],
        &[("1", "80", "80"), ("2", "80", "80"), ("3", "80", "80")],
    );
    dir.score().ok();
    assert_eq!(dir.field("scores.csv", "1", "status"), "eligible");
    assert_eq!(dir.field("scores.csv", "2", "status"), "eligible");
    assert_eq!(not_eligible(&dir, "3"), pair("disqualified", "A7-LATE"));
}

#[test]
fn a7_unsigned() {
    // Every "no" spelling is unsigned; "x" is signed.
    let dir = Dir::new();
    setup(
        &dir,
        &[],
        "",
        &[
            ap("1", "Adams", &[("signed", "no")]),
            ap("2", "Baker", &[("signed", "N")]),
            ap("3", "Clark", &[("signed", "0")]),
            ap("4", "Davis", &[("signed", "False")]),
            ap("5", "Evans", &[("signed", "x")]),
        ],
        &[
            ("1", "80", "80"),
            ("2", "80", "80"),
            ("3", "80", "80"),
            ("4", "80", "80"),
            ("5", "80", "80"),
        ],
    );
    dir.score().ok();
    for id in ["1", "2", "3", "4"] {
        assert_eq!(
            not_eligible(&dir, id),
            pair("disqualified", "A7-UNSIGNED"),
            "applicant {id}"
        );
    }
    assert!(dir
        .field("not-eligible.csv", "1", "reasons")
        .contains("Disqualification A.7"));
    assert_eq!(ids(&dir, "eligibility-list.csv"), vec!["5"]);
}

#[test]
fn a8_own_request() {
    let dir = Dir::new();
    setup_e(
        &dir,
        &[with_determinations()],
        "",
        &[ap("1", "Adams", &[]), ap("2", "Baker", &[])],
        &[("1", "80", "80"), ("2", "80", "80")],
    );
    determinations(&dir, &["2,A8,withdrew by letter,2026-10-20"]);
    dir.score().ok();
    assert_eq!(not_eligible(&dir, "2"), pair("disqualified", "A8"));
    assert!(dir
        .field("not-eligible.csv", "2", "reasons")
        .contains("Disqualification A.8"));
    assert_eq!(ids(&dir, "eligibility-list.csv"), vec!["1"]);
}

#[test]
fn a9_ample_better_qualified() {
    // The Board's A9 finding disqualifies even the top scorer (2: 99.00).
    let dir = Dir::new();
    setup_e(
        &dir,
        &[with_determinations()],
        "",
        &[ap("1", "Adams", &[]), ap("2", "Baker", &[])],
        &[("1", "80", "80"), ("2", "99", "99")],
    );
    determinations(&dir, &["2,DQ-A9,,"]);
    dir.score().ok();
    assert_eq!(not_eligible(&dir, "2"), pair("disqualified", "A9"));
    assert!(dir
        .field("not-eligible.csv", "2", "reasons")
        .contains("Disqualification A.9"));
    assert_eq!(
        dir.read("out/eligibility-list.csv"),
        format!("{LIST_HEADER}1,1,Adams,Pat,80.00,0.00,0.00,0.00,80.00,1,\n")
    );
}

#[test]
fn disqualification_codes_in_clause_order() {
    // 1: not a citizen, 20 on the deadline (born 2006-01-01), received
    //    2026-10-02 in person, unsigned; the Board found A8 and A4 (listed
    //    in that order); failed the written too (50) — only grounds show.
    // 2: 20 on the deadline, mailed with postmark 2026-10-01 (late); the
    //    Board found A9, A7 and A1 (in that order).
    let dir = Dir::new();
    setup_e(
        &dir,
        &[with_determinations()],
        "\n[requirements]\nmin_age = 21\n",
        &[],
        &[("1", "50", "80"), ("2", "80", "80"), ("3", "80", "80")],
    );
    applicants_with_dob(
        &dir,
        &[
            (
                ap(
                    "1",
                    "Adams",
                    &[
                        ("us_citizen", "no"),
                        ("received_on", "2026-10-02"),
                        ("signed", "no"),
                    ],
                ),
                "2006-01-01",
            ),
            (
                ap(
                    "2",
                    "Baker",
                    &[
                        ("delivery", "usps"),
                        ("received_on", "2026-10-03"),
                        ("postmarked_on", "2026-10-01"),
                    ],
                ),
                "2006-01-01",
            ),
            (ap("3", "Clark", &[]), "1990-05-05"),
        ],
    );
    determinations(&dir, &["1,A8,,", "1,A4,,", "2,A9,,", "2,A7,,", "2,A1,,"]);
    dir.score().ok();
    assert_eq!(
        not_eligible(&dir, "1"),
        pair(
            "disqualified",
            "CITIZENSHIP;A1-REQUIREMENT;A4;A7-LATE;A7-UNSIGNED;A8"
        )
    );
    assert_eq!(
        not_eligible(&dir, "2"),
        pair("disqualified", "A1-REQUIREMENT;A1;A7-LATE;A7;A9")
    );
    assert_eq!(ids(&dir, "eligibility-list.csv"), vec!["3"]);
}

#[test]
fn disqualified_lists_only_grounds_not_exam_results() {
    // 1 is unsigned, failed the written (50) and has no oral: disqualified
    // with A7-UNSIGNED only. Its scores.csv row still shows its published
    // values (written 50.00, oral empty), no raw score (a component is
    // missing), and no points or final score.
    let dir = Dir::new();
    setup(
        &dir,
        &[],
        "",
        &[
            ap(
                "1",
                "Adams",
                &[("signed", "no"), ("certified_officer", "yes")],
            ),
            ap("2", "Baker", &[]),
        ],
        &[("1", "50", "absent"), ("2", "80", "80")],
    );
    dir.score().ok();
    let rows = dir.csv("not-eligible.csv");
    assert_eq!(rows.len(), 2, "only 1 is not eligible");
    assert_eq!(
        rows[1][..5],
        ["1", "Adams", "Pat", "disqualified", "A7-UNSIGNED"]
    );
    let reasons = &rows[1][5];
    assert!(
        !reasons.contains("written") && !reasons.contains("oral"),
        "no exam results among the reasons: {reasons}"
    );
    assert_eq!(
        dir.read("out/scores.csv"),
        format!(
            "{SCORES_HEADER}\
             1,Adams,Pat,disqualified,50.00,,,,\n\
             2,Baker,Pat,eligible,80.00,80.00,80.00,0.00,80.00\n"
        )
    );
}

// ---------------------------------------------------------------------------
// Examinations A

#[test]
fn examinations_a_failed_below_pass_mark() {
    // The pass mark (70) is compared with the ROUNDED scaled value:
    // 1 written 69.99 → 69.99 < 70: FAILED-written.
    // 2 written 69.995 → 70.00 (half away from zero) ≥ 70: passes;
    //   raw 0.6 × 70.00 + 0.4 × 80.00 = 42 + 32 = 74.00.
    // 3 written 70 → passes; raw 74.00.
    // 4 oral raters 69, 70, 70.985 → mean 209.985 / 3 = 69.995 → 70.00:
    //   passes; raw 0.6 × 80 + 0.4 × 70 = 48 + 28 = 76.00.
    // 5 oral raters 69, 70, 70.97 → mean 209.97 / 3 = 69.99: FAILED-oral;
    //   raw 48 + 0.4 × 69.99 = 48 + 27.996 = 75.996 → 76.00.
    let dir = Dir::new();
    setup(
        &dir,
        &[],
        "",
        &[
            ap("1", "Adams", &[]),
            ap("2", "Baker", &[]),
            ap("3", "Clark", &[]),
            ap("4", "Davis", &[]),
            ap("5", "Evans", &[]),
        ],
        &[
            ("1", "69.99", "80"),
            ("2", "69.995", "80"),
            ("3", "70", "80"),
            ("4", "80", "69,70,70.985"),
            ("5", "80", "69,70,70.97"),
        ],
    );
    dir.score().ok();
    assert_eq!(
        dir.read("out/scores.csv"),
        format!(
            "{SCORES_HEADER}\
             1,Adams,Pat,failed,69.99,80.00,73.99,,\n\
             2,Baker,Pat,eligible,70.00,80.00,74.00,0.00,74.00\n\
             3,Clark,Pat,eligible,70.00,80.00,74.00,0.00,74.00\n\
             4,Davis,Pat,eligible,80.00,70.00,76.00,0.00,76.00\n\
             5,Evans,Pat,failed,80.00,69.99,76.00,,\n"
        )
    );
    // 1: 0.6 × 69.99 + 32 = 41.994 + 32 = 73.994 → 73.99 (above).
    assert_eq!(not_eligible(&dir, "1"), pair("failed", "FAILED-written"));
    assert_eq!(not_eligible(&dir, "5"), pair("failed", "FAILED-oral"));
    assert!(dir
        .field("not-eligible.csv", "1", "reasons")
        .contains("Examinations A"));
}

/// The small exam plus a pass/fail `agility` component read from
/// agility.csv (`id,value` rows).
fn with_agility(dir: &Dir, agility: &[&str]) {
    let mut e = exam_text(
        &[(
            SCORES_LINE,
            "scores = [\"written.csv\", \"oral.csv\", \"agility.csv\"]\n",
        )],
        "\n[[components]]\nname = \"agility\"\ntype = \"pass_fail\"\n",
    );
    e.push('\n');
    dir.write("exam.toml", &e);
    let mut t = "applicant_id,agility\n".to_string();
    for r in agility {
        t.push_str(r);
        t.push('\n');
    }
    dir.write("agility.csv", &t);
}

#[test]
fn examinations_a_failed_then_missing_codes() {
    // Components declared written, oral, agility.
    // 1: written 60 (fail), oral absent, agility fail →
    //    FAILED-written;FAILED-agility;MISSING-oral (failures first, each
    //    group in declaration order).
    // 2: written missing, oral 60 (fail), agility pass →
    //    FAILED-oral;MISSING-written.
    // 3: agility "F", the rest passing → FAILED-agility.
    let dir = Dir::new();
    setup(
        &dir,
        &[],
        "",
        &[
            ap("1", "Adams", &[]),
            ap("2", "Baker", &[]),
            ap("3", "Clark", &[]),
            ap("4", "Davis", &[]),
        ],
        &[
            ("1", "60", "absent"),
            ("2", "", "60"),
            ("3", "80", "80"),
            ("4", "80", "80"),
        ],
    );
    with_agility(&dir, &["1,fail", "2,pass", "3,F", "4,P"]);
    dir.score().ok();
    assert_eq!(
        not_eligible(&dir, "1"),
        pair("failed", "FAILED-written;FAILED-agility;MISSING-oral")
    );
    assert_eq!(
        not_eligible(&dir, "2"),
        pair("failed", "FAILED-oral;MISSING-written")
    );
    assert_eq!(not_eligible(&dir, "3"), pair("failed", "FAILED-agility"));
    assert_eq!(ids(&dir, "eligibility-list.csv"), vec!["4"]);
}

#[test]
fn examinations_a_incomplete_missing_in_declaration_order() {
    // The score files are listed oral first, but codes follow the order the
    // components are declared (written, oral, agility).
    // 1: no written row at all, oral absent ("no show"), agility pending →
    //    MISSING-written;MISSING-oral;MISSING-agility.
    // 2: passes what it took, no agility row → MISSING-agility.
    let dir = Dir::new();
    setup(
        &dir,
        &[],
        "",
        &[
            ap("1", "Adams", &[]),
            ap("2", "Baker", &[]),
            ap("3", "Clark", &[]),
        ],
        &[("1", "-", "no show"), ("2", "80", "80"), ("3", "80", "80")],
    );
    with_agility(&dir, &["1,pending", "3,pass"]);
    let e = dir.read("exam.toml").replace(
        "scores = [\"written.csv\", \"oral.csv\", \"agility.csv\"]",
        "scores = [\"agility.csv\", \"oral.csv\", \"written.csv\"]",
    );
    dir.write("exam.toml", &e);
    dir.score().ok();
    assert_eq!(
        not_eligible(&dir, "1"),
        pair("incomplete", "MISSING-written;MISSING-oral;MISSING-agility")
    );
    assert_eq!(
        not_eligible(&dir, "2"),
        pair("incomplete", "MISSING-agility")
    );
    // 2 has every scored component: its raw score exists (80.00), but as it
    // is not eligible it has no points and no final score.
    assert_eq!(
        dir.row("scores.csv", "2").unwrap(),
        [
            ("applicant_id", "2"),
            ("last_name", "Baker"),
            ("first_name", "Pat"),
            ("status", "incomplete"),
            ("written", "80.00"),
            ("oral", "80.00"),
            ("agility", ""),
            ("raw_score", "80.00"),
            ("preference_points", ""),
            ("final_score", ""),
        ]
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .to_vec()
    );
    assert_eq!(ids(&dir, "eligibility-list.csv"), vec!["3"]);
}

#[test]
fn examinations_a_scaling_with_max() {
    // written max 150, oral max 50 (three raters: their mean, then scaled,
    // rounded once).
    // 1: written 127 → 127 × 100 / 150 = 84.666… → 84.67;
    //    oral 40, 41, 43 → mean 41.333… → × 100 / 50 = 82.666… → 82.67
    //    (rounding the mean first would give 41.33 × 2 = 82.66);
    //    raw 0.6 × 84.67 + 0.4 × 82.67 = 50.802 + 33.068 = 83.870 → 83.87.
    // 2: written 100 → 66.666… → 66.67 < 70: FAILED-written;
    //    oral 50, 50, 50 → 100.00; raw 40.002 + 40 = 80.002 → 80.00.
    // 3: written 150 → 100.00; oral 35, 35, 35 → 70.00 (passes);
    //    raw 60 + 28 = 88.00.
    let dir = Dir::new();
    setup(
        &dir,
        &[
            ("weight = 0.6\n", "weight = 0.6\nmax = 150\n"),
            ("weight = 0.4\n", "weight = 0.4\nmax = 50\n"),
        ],
        "",
        &[
            ap("1", "Adams", &[]),
            ap("2", "Baker", &[]),
            ap("3", "Clark", &[]),
        ],
        &[
            ("1", "127", "40,41,43"),
            ("2", "100", "50"),
            ("3", "150", "35"),
        ],
    );
    dir.score().ok();
    assert_eq!(
        dir.read("out/scores.csv"),
        format!(
            "{SCORES_HEADER}\
             1,Adams,Pat,eligible,84.67,82.67,83.87,0.00,83.87\n\
             2,Baker,Pat,failed,66.67,100.00,80.00,,\n\
             3,Clark,Pat,eligible,100.00,70.00,88.00,0.00,88.00\n"
        )
    );
    assert_eq!(not_eligible(&dir, "2"), pair("failed", "FAILED-written"));
}

#[test]
fn examinations_a_raw_score_rounds_half_away_from_zero() {
    // Weights 0.5 / 0.5 so that a raw score can land on a midpoint.
    // 1: written 80.01, oral 80.00 → raw 0.5 × 80.01 + 0.5 × 80.00 = 80.005
    //    → 80.01 (half away from zero; half-to-even would give 80.00).
    // 2: written 80.005 → 80.01 (the component rounds half away too);
    //    raw from the ROUNDED values: 0.5 × 80.01 + 40 = 80.005 → 80.01
    //    (from the unrounded 80.005 it would be 80.0025 → 80.00).
    // 3: written 80.025 → 80.03 (half-to-even would give 80.02);
    //    oral 80, 80, 80.01 → mean 80.00333… → 80.00;
    //    raw 40.015 + 40 = 80.015 → 80.02.
    let dir = Dir::new();
    setup(
        &dir,
        &[
            ("weight = 0.6\n", "weight = 0.5\n"),
            ("weight = 0.4\n", "weight = 0.5\n"),
        ],
        "",
        &[
            ap("1", "Adams", &[]),
            ap("2", "Baker", &[]),
            ap("3", "Clark", &[]),
        ],
        &[
            ("1", "80.01", "80"),
            ("2", "80.005", "80"),
            ("3", "80.025", "80,80,80.01"),
        ],
    );
    dir.score().ok();
    assert_eq!(
        dir.read("out/scores.csv"),
        format!(
            "{SCORES_HEADER}\
             1,Adams,Pat,eligible,80.01,80.00,80.01,0.00,80.01\n\
             2,Baker,Pat,eligible,80.01,80.00,80.01,0.00,80.01\n\
             3,Clark,Pat,eligible,80.03,80.00,80.02,0.00,80.02\n"
        )
    );
}

// ---------------------------------------------------------------------------
// Examinations B

#[test]
fn examinations_b_qualified_list_internal_first_then_names() {
    // Lieutenant: above Sergeant, so the list is "qualified" by default.
    // Eligible: internal 1 Zimmer, 9 Baker Pat, 10 Baker Pat; external
    // 2 adams Pat, 4 Adams Al, 7 Baker Cy. Not listed: 6 (internal, fails).
    // Order: internal first, then last name and first name in lower case,
    // then ID in natural order:
    //   9 Baker Pat, 10 Baker Pat (9 < 10 naturally; "10" < "9" as text),
    //   1 Zimmer,
    //   4 Adams Al, 2 adams Pat ("adams" = "adams", "al" < "pat"),
    //   7 Baker Cy (case-sensitive order would put it before "adams").
    // Scores do not order the list; points are never given (certified
    // officers and degrees notwithstanding).
    let dir = Dir::new();
    setup(
        &dir,
        &[
            (
                "position = \"Police Officer\"",
                "position = \"Police Lieutenant\"",
            ),
            ("rank = \"officer\"", "rank = \"lieutenant\""),
        ],
        "",
        &[
            ap(
                "1",
                "Zimmer",
                &[("internal", "yes"), ("certified_officer", "yes")],
            ),
            ap("2", "adams", &[("highest_degree", "Master's")]),
            ap("4", "Adams", &[("first_name", "Al")]),
            ap("6", "Able", &[("internal", "yes")]),
            ap("7", "Baker", &[("first_name", "Cy")]),
            ap("9", "Baker", &[("internal", "y")]),
            ap("10", "Baker", &[("internal", "yes")]),
        ],
        &[
            ("1", "95", "95"),
            ("2", "80", "80"),
            ("4", "85", "85"),
            ("6", "60", "90"),
            ("7", "90", "90"),
            ("9", "75", "75"),
            ("10", "70", "70"),
        ],
    );
    dir.score().ok();
    assert_eq!(
        dir.read("out/eligibility-list.csv"),
        "applicant_id,last_name,first_name,internal,raw_score\n\
         9,Baker,Pat,yes,75.00\n\
         10,Baker,Pat,yes,70.00\n\
         1,Zimmer,Pat,yes,95.00\n\
         4,Adams,Al,no,85.00\n\
         2,adams,Pat,no,80.00\n\
         7,Baker,Cy,no,90.00\n"
    );
    // 6: 0.6 × 60 + 0.4 × 90 = 36 + 36 = 72.00.
    assert_eq!(
        dir.read("out/scores.csv"),
        format!(
            "{SCORES_HEADER}\
             1,Zimmer,Pat,eligible,95.00,95.00,95.00,,\n\
             2,adams,Pat,eligible,80.00,80.00,80.00,,\n\
             4,Adams,Al,eligible,85.00,85.00,85.00,,\n\
             6,Able,Pat,failed,60.00,90.00,72.00,,\n\
             7,Baker,Cy,eligible,90.00,90.00,90.00,,\n\
             9,Baker,Pat,eligible,75.00,75.00,75.00,,\n\
             10,Baker,Pat,eligible,70.00,70.00,70.00,,\n"
        )
    );
}

// ---------------------------------------------------------------------------
// Examinations C
//
// Lottery keys with the default seed (the exam id), `T-2026-01:<id>`:
//   1 ffeb85…, 2 aba94f…, 3 d92147…, 4 78534c…
// so the lottery orders 4, 2, 3, 1. The tie tests make 3 win by the key
// under test against 2, which both the lottery and ID order put first.

#[test]
fn examinations_c_ranked_by_final_score() {
    // 1: raw 90.00, no points → 90.00.
    // 2: raw 85.00, certified officer 3 + master 3 → 91.00.
    // 3: raw 80.00, bachelor 2 → 82.00.
    // 4: raw 88.00 (written 88, oral 88), associate 1 → 89.00.
    // Final scores differ: tie_break empty; score_rank = rank.
    let dir = Dir::new();
    setup(
        &dir,
        &[],
        "",
        &[
            ap("1", "Adams", &[]),
            ap(
                "2",
                "Baker",
                &[("certified_officer", "yes"), ("highest_degree", "MS")],
            ),
            ap("3", "Clark", &[("highest_degree", "BA")]),
            ap("4", "Davis", &[("highest_degree", "AS")]),
        ],
        &[
            ("1", "90", "90"),
            ("2", "85", "85"),
            ("3", "80", "80"),
            ("4", "88", "88"),
        ],
    );
    dir.score().ok();
    assert_eq!(
        dir.read("out/eligibility-list.csv"),
        format!(
            "{LIST_HEADER}\
             1,2,Baker,Pat,85.00,3.00,3.00,6.00,91.00,1,\n\
             2,1,Adams,Pat,90.00,0.00,0.00,0.00,90.00,2,\n\
             3,4,Davis,Pat,88.00,0.00,1.00,1.00,89.00,3,\n\
             4,3,Clark,Pat,80.00,0.00,2.00,2.00,82.00,4,\n"
        )
    );
}

#[test]
fn examinations_c_tie_broken_by_raw_score() {
    // 2: raw 85.00 + certified officer 3 = 88.00.
    // 3: raw 86.00 + bachelor 2 = 88.00.
    // Same final score: raw_score (higher first) puts 3 ahead.
    let dir = Dir::new();
    setup(
        &dir,
        &[],
        "",
        &[
            ap("2", "Baker", &[("certified_officer", "yes")]),
            ap("3", "Clark", &[("highest_degree", "bachelor")]),
        ],
        &[("2", "85", "85"), ("3", "86", "86")],
    );
    dir.score().ok();
    assert_eq!(
        dir.read("out/eligibility-list.csv"),
        format!(
            "{LIST_HEADER}\
             1,3,Clark,Pat,86.00,0.00,2.00,2.00,88.00,1,\n\
             2,2,Baker,Pat,85.00,3.00,0.00,3.00,88.00,1,raw_score\n"
        )
    );
}

#[test]
fn examinations_c_tie_broken_by_filing_date() {
    // Both 80.00 raw and final. 3 mailed, postmarked 2026-09-05 (received
    // 2026-09-20); 2 delivered online 2026-09-10. Filing dates 09-05 and
    // 09-10: 3 ahead (by received date 2 would be).
    let dir = Dir::new();
    setup(
        &dir,
        &[],
        "",
        &[
            ap("2", "Baker", &[("received_on", "2026-09-10")]),
            ap(
                "3",
                "Clark",
                &[
                    ("delivery", "mail"),
                    ("received_on", "2026-09-20"),
                    ("postmarked_on", "2026-09-05"),
                ],
            ),
        ],
        &[("2", "80", "80"), ("3", "80", "80")],
    );
    dir.score().ok();
    assert_eq!(
        dir.read("out/eligibility-list.csv"),
        format!(
            "{LIST_HEADER}\
             1,3,Clark,Pat,80.00,0.00,0.00,0.00,80.00,1,\n\
             2,2,Baker,Pat,80.00,0.00,0.00,0.00,80.00,1,filing_date\n"
        )
    );
}

#[test]
fn examinations_c_tie_broken_by_component() {
    // tie_break = component:written, then raw_score, then lottery.
    // 3: written 90, oral 80 → 54 + 32 = 86.00.
    // 2: written 80, oral 95 → 48 + 38 = 86.00.
    // 1: written 80, oral 95 → 86.00.
    // 3 leads on written (90 > 80): tie_break "component:written". 2 and 1
    // are equal on every key; the lottery (2 aba9… < 1 ffeb…) separates
    // them: "lottery".
    let dir = Dir::new();
    setup(
        &dir,
        &[],
        "\n[ranking]\ntie_break = [\"component:written\", \"raw_score\", \"lottery\"]\n",
        &[
            ap("1", "Adams", &[]),
            ap("2", "Baker", &[]),
            ap("3", "Clark", &[]),
        ],
        &[("1", "80", "95"), ("2", "80", "95"), ("3", "90", "80")],
    );
    dir.score().ok();
    assert!(lottery("T-2026-01", "2") < lottery("T-2026-01", "1"));
    assert_eq!(
        dir.read("out/eligibility-list.csv"),
        format!(
            "{LIST_HEADER}\
             1,3,Clark,Pat,86.00,0.00,0.00,0.00,86.00,1,\n\
             2,2,Baker,Pat,86.00,0.00,0.00,0.00,86.00,1,component:written\n\
             3,1,Adams,Pat,86.00,0.00,0.00,0.00,86.00,1,lottery\n"
        )
    );
}

#[test]
fn examinations_c_component_tie_break_compares_published_values() {
    // written 90.004 (3) and 90.001 (2) are both published as 90.00: the
    // component key cannot separate them, the lottery does (2 before 3).
    // raw: 0.6 × 90.00 + 0.4 × 80.00 = 54 + 32 = 86.00 for both.
    let dir = Dir::new();
    setup(
        &dir,
        &[],
        "\n[ranking]\ntie_break = [\"component:written\", \"lottery\"]\n",
        &[ap("2", "Baker", &[]), ap("3", "Clark", &[])],
        &[("2", "90.001", "80"), ("3", "90.004", "80")],
    );
    dir.score().ok();
    assert!(lottery("T-2026-01", "2") < lottery("T-2026-01", "3"));
    assert_eq!(
        dir.read("out/eligibility-list.csv"),
        format!(
            "{LIST_HEADER}\
             1,2,Baker,Pat,86.00,0.00,0.00,0.00,86.00,1,\n\
             2,3,Clark,Pat,86.00,0.00,0.00,0.00,86.00,1,lottery\n"
        )
    );
}

#[test]
fn examinations_c_tie_broken_by_lottery() {
    // tie_break = ["lottery"] only, seed "Board meeting 2026-11-20". Five
    // applicants all at 80.00 final, with different raw scores (5: 77.00 +
    // 3 officer points) and filing dates — neither counts here. The
    // expected order is computed from SHA-256(seed + ":" + id), ascending.
    let seed = "Board meeting 2026-11-20";
    let dir = Dir::new();
    setup(
        &dir,
        &[],
        &format!("\n[ranking]\ntie_break = [\"lottery\"]\nlottery_seed = \"{seed}\"\n"),
        &[
            ap("1", "Adams", &[("received_on", "2026-09-01")]),
            ap("2", "Baker", &[("received_on", "2026-09-02")]),
            ap("3", "Clark", &[("received_on", "2026-09-03")]),
            ap("4", "Davis", &[("received_on", "2026-09-04")]),
            ap("5", "Evans", &[("certified_officer", "yes")]),
        ],
        &[
            ("1", "80", "80"),
            ("2", "80", "80"),
            ("3", "80", "80"),
            ("4", "80", "80"),
            ("5", "77", "77"),
        ],
    );
    dir.score().ok();
    let mut order = vec!["1", "2", "3", "4", "5"];
    order.sort_by_key(|id| lottery(seed, id));
    let row = |id: &str| match id {
        "1" => "Adams,Pat,80.00,0.00,0.00,0.00,80.00",
        "2" => "Baker,Pat,80.00,0.00,0.00,0.00,80.00",
        "3" => "Clark,Pat,80.00,0.00,0.00,0.00,80.00",
        "4" => "Davis,Pat,80.00,0.00,0.00,0.00,80.00",
        _ => "Evans,Pat,77.00,3.00,0.00,3.00,80.00",
    };
    let mut expected = LIST_HEADER.to_string();
    for (i, id) in order.iter().enumerate() {
        let tb = if i == 0 { "" } else { "lottery" };
        expected.push_str(&format!("{},{id},{},1,{tb}\n", i + 1, row(id)));
    }
    assert_eq!(dir.read("out/eligibility-list.csv"), expected);
    // The seed is not the ID order nor the filing order here.
    assert_ne!(order, vec!["1", "2", "3", "4", "5"]);
}

#[test]
fn examinations_c_lottery_applied_even_when_not_listed() {
    // tie_break = ["raw_score"]: 1 and 2 are equal on it; the lottery still
    // orders them (2 aba9… before 1 ffeb…), and it is the key that
    // separated them.
    let dir = Dir::new();
    setup(
        &dir,
        &[],
        "\n[ranking]\ntie_break = [\"raw_score\"]\n",
        &[ap("1", "Adams", &[]), ap("2", "Baker", &[])],
        &[("1", "80", "80"), ("2", "80", "80")],
    );
    dir.score().ok();
    assert!(lottery("T-2026-01", "2") < lottery("T-2026-01", "1"));
    assert_eq!(
        dir.read("out/eligibility-list.csv"),
        format!(
            "{LIST_HEADER}\
             1,2,Baker,Pat,80.00,0.00,0.00,0.00,80.00,1,\n\
             2,1,Adams,Pat,80.00,0.00,0.00,0.00,80.00,1,lottery\n"
        )
    );
}

#[test]
fn examinations_c_score_rank_is_competition_rank() {
    // Finals 90 (1), 85 (2), 85 (3), 80 (4): score_rank 1, 2, 2, 4. 2 and 3
    // tie on every key but the lottery (2 aba9… < 3 d921…).
    let dir = Dir::new();
    setup(
        &dir,
        &[],
        "",
        &[
            ap("1", "Adams", &[]),
            ap("2", "Baker", &[]),
            ap("3", "Clark", &[]),
            ap("4", "Davis", &[]),
        ],
        &[
            ("1", "90", "90"),
            ("2", "85", "85"),
            ("3", "85", "85"),
            ("4", "80", "80"),
        ],
    );
    dir.score().ok();
    assert_eq!(
        dir.read("out/eligibility-list.csv"),
        format!(
            "{LIST_HEADER}\
             1,1,Adams,Pat,90.00,0.00,0.00,0.00,90.00,1,\n\
             2,2,Baker,Pat,85.00,0.00,0.00,0.00,85.00,2,\n\
             3,3,Clark,Pat,85.00,0.00,0.00,0.00,85.00,2,lottery\n\
             4,4,Davis,Pat,80.00,0.00,0.00,0.00,80.00,4,\n"
        )
    );
}

// ---------------------------------------------------------------------------
// Examinations D

#[test]
fn examinations_d_officer_and_highest_degree_only() {
    // All raw 80.00. Points: certified officer 3, plus the highest degree
    // only (not associate + bachelor + master = 6):
    // 1 officer + "Master's Degree" → 3 + 3 = 6 → 86.00
    // 2 "B.S." → 2 → 82.00
    // 3 "AA" → 1 → 81.00
    // 4 officer, no degree → 3 → 83.00
    // 5 nothing → 0 → 80.00
    let dir = Dir::new();
    setup(
        &dir,
        &[],
        "",
        &[
            ap(
                "1",
                "Adams",
                &[
                    ("certified_officer", "yes"),
                    ("highest_degree", "Master's Degree"),
                ],
            ),
            ap("2", "Baker", &[("highest_degree", "B.S.")]),
            ap("3", "Clark", &[("highest_degree", "AA")]),
            ap("4", "Davis", &[("certified_officer", "Y")]),
            ap("5", "Evans", &[("highest_degree", "none")]),
        ],
        &[
            ("1", "80", "80"),
            ("2", "80", "80"),
            ("3", "80", "80"),
            ("4", "80", "80"),
            ("5", "80", "80"),
        ],
    );
    dir.score().ok();
    assert_eq!(
        dir.read("out/eligibility-list.csv"),
        format!(
            "{LIST_HEADER}\
             1,1,Adams,Pat,80.00,3.00,3.00,6.00,86.00,1,\n\
             2,4,Davis,Pat,80.00,3.00,0.00,3.00,83.00,2,\n\
             3,2,Baker,Pat,80.00,0.00,2.00,2.00,82.00,3,\n\
             4,3,Clark,Pat,80.00,0.00,1.00,1.00,81.00,4,\n\
             5,5,Evans,Pat,80.00,0.00,0.00,0.00,80.00,5,\n"
        )
    );
}

#[test]
fn examinations_d_doctorate_earns_master_points() {
    // "Ph.D." and "JD" are doctorates: the master's 3 points, not 0.
    // 1: raw 80.00 + 3 = 83.00; 2: raw 79.00 + 3 + 3 = 85.00.
    let dir = Dir::new();
    setup(
        &dir,
        &[],
        "",
        &[
            ap("1", "Adams", &[("highest_degree", "Ph.D.")]),
            ap(
                "2",
                "Baker",
                &[("highest_degree", "JD"), ("certified_officer", "yes")],
            ),
        ],
        &[("1", "80", "80"), ("2", "79", "79")],
    );
    dir.score().ok();
    assert_eq!(
        dir.read("out/eligibility-list.csv"),
        format!(
            "{LIST_HEADER}\
             1,2,Baker,Pat,79.00,3.00,3.00,6.00,85.00,1,\n\
             2,1,Adams,Pat,80.00,0.00,3.00,3.00,83.00,2,\n"
        )
    );
}

#[test]
fn examinations_d_no_points_for_failing_applicants() {
    // Every applicant a certified officer with a master's (6 points if
    // eligible). Only 1 is eligible.
    // 1 eligible: 80.00 + 6 = 86.00.
    // 2 failed written (60): raw 36 + 36 = 72.00; no points, no final.
    // 3 incomplete (oral absent): no raw, no points.
    // 4 disqualified (unsigned): raw 80.00, no points.
    // 5 written 69.99 < 70: raw 41.994 + 36 = 77.994 → 77.99; 77.99 + 6
    //   would beat 1's 80 raw — points never lift anyone onto the list.
    let dir = Dir::new();
    let pts: &[(&str, &str)] = &[("certified_officer", "yes"), ("highest_degree", "MA")];
    let mut unsigned = pts.to_vec();
    unsigned.push(("signed", "no"));
    setup(
        &dir,
        &[],
        "",
        &[
            ap("1", "Adams", pts),
            ap("2", "Baker", pts),
            ap("3", "Clark", pts),
            ap("4", "Davis", &unsigned),
            ap("5", "Evans", pts),
        ],
        &[
            ("1", "80", "80"),
            ("2", "60", "90"),
            ("3", "80", "absent"),
            ("4", "80", "80"),
            ("5", "69.99", "90"),
        ],
    );
    dir.score().ok();
    assert_eq!(
        dir.read("out/eligibility-list.csv"),
        format!("{LIST_HEADER}1,1,Adams,Pat,80.00,3.00,3.00,6.00,86.00,1,\n")
    );
    assert_eq!(
        dir.read("out/scores.csv"),
        format!(
            "{SCORES_HEADER}\
             1,Adams,Pat,eligible,80.00,80.00,80.00,6.00,86.00\n\
             2,Baker,Pat,failed,60.00,90.00,72.00,,\n\
             3,Clark,Pat,incomplete,80.00,,,,\n\
             4,Davis,Pat,disqualified,80.00,80.00,80.00,,\n\
             5,Evans,Pat,failed,69.99,90.00,77.99,,\n"
        )
    );
    // The list of record agrees: no points for anyone not eligible.
    let r = result_json(&dir);
    for a in r["applicants"].as_array().unwrap() {
        if a["applicant_id"] != "1" {
            for k in [
                "officer_points",
                "degree_points",
                "preference_points",
                "final_score",
            ] {
                assert!(
                    a.get(k).is_none_or(Json::is_null),
                    "{} has {k} = {}",
                    a["applicant_id"],
                    a[k]
                );
            }
        }
    }
}

#[test]
fn examinations_d_apply_to_none_gives_zero() {
    // apply_to = "none": eligible applicants get 0 points; final = raw.
    // 1: raw 80.00, officer + master → 0 → 80.00; 2: raw 82.00 → 82.00.
    let dir = Dir::new();
    setup(
        &dir,
        &[],
        "\n[preference]\napply_to = \"none\"\n",
        &[
            ap(
                "1",
                "Adams",
                &[("certified_officer", "yes"), ("highest_degree", "master")],
            ),
            ap("2", "Baker", &[]),
        ],
        &[("1", "80", "80"), ("2", "82", "82")],
    );
    dir.score().ok();
    assert_eq!(
        dir.read("out/eligibility-list.csv"),
        format!(
            "{LIST_HEADER}\
             1,2,Baker,Pat,82.00,0.00,0.00,0.00,82.00,1,\n\
             2,1,Adams,Pat,80.00,0.00,0.00,0.00,80.00,2,\n"
        )
    );
}

#[test]
fn examinations_d_custom_partial_degree_table_keeps_defaults() {
    // [preference] certified_officer = 5, degree = { bachelor = 2.5 }: the
    // other degrees keep associate 1, master 3, doctorate 3.
    // All raw 80.00:
    // 1 bachelor → 2.50 → 82.50      2 associate → 1.00 → 81.00
    // 3 master → 3.00 → 83.00        4 doctorate → 3.00 + officer 5 → 88.00
    let dir = Dir::new();
    setup(
        &dir,
        &[],
        "\n[preference]\ncertified_officer = 5\ndegree = { bachelor = 2.5 }\n",
        &[
            ap("1", "Adams", &[("highest_degree", "bachelor")]),
            ap("2", "Baker", &[("highest_degree", "associate")]),
            ap("3", "Clark", &[("highest_degree", "master")]),
            ap(
                "4",
                "Davis",
                &[
                    ("highest_degree", "doctorate"),
                    ("certified_officer", "yes"),
                ],
            ),
        ],
        &[
            ("1", "80", "80"),
            ("2", "80", "80"),
            ("3", "80", "80"),
            ("4", "80", "80"),
        ],
    );
    dir.score().ok();
    assert_eq!(
        dir.read("out/eligibility-list.csv"),
        format!(
            "{LIST_HEADER}\
             1,4,Davis,Pat,80.00,5.00,3.00,8.00,88.00,1,\n\
             2,3,Clark,Pat,80.00,0.00,3.00,3.00,83.00,2,\n\
             3,1,Adams,Pat,80.00,0.00,2.50,2.50,82.50,3,\n\
             4,2,Baker,Pat,80.00,0.00,1.00,1.00,81.00,4,\n"
        )
    );
}

// ---------------------------------------------------------------------------
// Filing of papers; Citizenship (residence)

#[test]
fn filing_of_papers_mail_aliases() {
    // Mail forms: filed on the postmark (2026-09-30, on time) though
    // received 2026-10-05. Personal forms (and blank): filed on the received
    // date 2026-10-01 (late) though postmarked 2026-09-29.
    let mail = [
        "mail", "mailed", "by mail", "us mail", "usps", "postal", "USPS", "By Mail", "US  Mail",
        "Postal",
    ];
    let personal = [
        "personal",
        "in person",
        "hand",
        "hand delivered",
        "online",
        "email",
        "",
        "In Person",
        "EMAIL",
    ];
    let mut apps = Vec::new();
    let mut scores: Vec<(String, &str, &str)> = Vec::new();
    for (i, m) in mail.iter().enumerate() {
        let id = format!("{}", 100 + i);
        apps.push(ap(
            &id,
            "Mailer",
            &[
                ("delivery", m),
                ("received_on", "2026-10-05"),
                ("postmarked_on", "2026-09-30"),
            ],
        ));
        scores.push((id, "80", "80"));
    }
    for (i, p) in personal.iter().enumerate() {
        let id = format!("{}", 200 + i);
        apps.push(ap(
            &id,
            "Walker",
            &[
                ("delivery", p),
                ("received_on", "2026-10-01"),
                ("postmarked_on", "2026-09-29"),
            ],
        ));
        scores.push((id, "80", "80"));
    }
    let s: Vec<S> = scores
        .iter()
        .map(|(a, b, c)| (a.as_str(), *b, *c))
        .collect();
    let dir = Dir::new();
    setup(&dir, &[], "", &apps, &s);
    dir.score().ok();
    for (i, m) in mail.iter().enumerate() {
        let id = format!("{}", 100 + i);
        assert_eq!(
            dir.field("scores.csv", &id, "status"),
            "eligible",
            "delivery {m:?} is mail, filed on the postmark"
        );
    }
    for (i, p) in personal.iter().enumerate() {
        let id = format!("{}", 200 + i);
        assert_eq!(
            not_eligible(&dir, &id),
            pair("disqualified", "A7-LATE"),
            "delivery {p:?} is personal, filed on the received date"
        );
    }
}

#[test]
fn state_of_residence_is_not_a_ground() {
    // Citizenship: Missouri residence is a condition of employment, never a
    // disqualification.
    let dir = Dir::new();
    let states = ["IL", "Illinois", "", "KS", "mo", "Missouri"];
    let apps: Vec<String> = states
        .iter()
        .enumerate()
        .map(|(i, s)| ap(&(i + 1).to_string(), "Adams", &[("state_of_residence", s)]))
        .collect();
    let ids_: Vec<String> = (1..=states.len()).map(|i| i.to_string()).collect();
    let s: Vec<S> = ids_.iter().map(|id| (id.as_str(), "80", "80")).collect();
    setup(&dir, &[], "", &apps, &s);
    dir.score().ok();
    assert_eq!(
        dir.read("out/not-eligible.csv"),
        "applicant_id,last_name,first_name,status,codes,reasons\n"
    );
    assert_eq!(dir.csv("eligibility-list.csv").len(), 1 + states.len());
}

// ---------------------------------------------------------------------------
// Secretary (custodian of completed examinations): the audit block

/// A mixed exam with determinations and clearances: 8 applicants,
/// 3 eligible (1, 2, 3), 2 failed (4, 5), 1 incomplete (6),
/// 2 disqualified (7 unsigned, 8 A4 and A6 findings).
fn mixed_exam(dir: &Dir) {
    setup_e(
        dir,
        &[(
            SCORES_LINE,
            format!(
                "{SCORES_LINE}determinations = \"determinations.csv\"\nclearances = \"clearances.csv\"\n"
            ),
        )],
        "",
        &[
            ap("1", "Adams", &[("highest_degree", "BS")]),
            ap("2", "Baker", &[("certified_officer", "yes")]),
            ap("3", "Clark", &[]),
            ap("4", "Davis", &[]),
            ap("5", "Evans", &[]),
            ap("6", "Fox", &[]),
            ap("7", "Gray", &[("signed", "no")]),
            ap("8", "Hill", &[]),
        ],
        &[
            ("1", "80", "80"),
            ("2", "80", "80"),
            ("3", "80", "80"),
            ("4", "60", "80"),
            ("5", "80", "65,66,70"),
            ("6", "80", "absent"),
            ("7", "90", "90"),
            ("8", "90", "90"),
        ],
    );
    determinations(dir, &["8,A4,,2026-10-15", "8,A6,,2026-10-16"]);
    dir.write(
        "clearances.csv",
        "applicant_id,fingerprinted_on,FBI,Missouri State Highway Patrol,St. Louis County Police Department,Chesterfield Police Department\n\
         1,2026-11-01,2026-11-02,2026-11-03,2026-11-04,2026-11-05\n\
         2,2026-11-01,,2026-11-03,2026-11-04,2026-11-05\n",
    );
}

/// Every object in `v`, recursively.
fn objects(v: &Json, out: &mut Vec<serde_json::Map<String, Json>>) {
    match v {
        Json::Object(m) => {
            out.push(m.clone());
            for x in m.values() {
                objects(x, out);
            }
        }
        Json::Array(a) => a.iter().for_each(|x| objects(x, out)),
        _ => {}
    }
}

fn strings(v: &Json, out: &mut Vec<String>) {
    match v {
        Json::String(s) => out.push(s.clone()),
        Json::Object(m) => m.values().for_each(|x| strings(x, out)),
        Json::Array(a) => a.iter().for_each(|x| strings(x, out)),
        _ => {}
    }
}

#[test]
fn secretary_audit_block_hashes_every_input() {
    let dir = Dir::new();
    mixed_exam(&dir);
    dir.score().ok();
    let r = result_json(&dir);
    let audit = &r["audit"];
    assert!(audit.is_object(), "result.json has an audit block");
    let mut objs = Vec::new();
    objects(audit, &mut objs);
    let files = [
        "exam.toml",
        "applicants.csv",
        "written.csv",
        "oral.csv",
        "determinations.csv",
        "clearances.csv",
    ];
    let mut expected_hashes = Vec::new();
    for f in files {
        let h = sha256_hex(&std::fs::read(dir.path(f)).unwrap());
        // An object of the audit block names the file and its SHA-256.
        assert!(
            objs.iter().any(|o| {
                o.values().any(|v| v == f) && o.values().any(|v| *v == Json::String(h.clone()))
            }),
            "the audit block gives {f} with its sha256 {h}:\n{audit:#}"
        );
        expected_hashes.push(h);
    }
    expected_hashes.sort();
    // No other file hashes, none twice.
    let mut all = Vec::new();
    strings(audit, &mut all);
    let mut hex64: Vec<String> = all
        .into_iter()
        .filter(|s| s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit()))
        .collect();
    hex64.sort();
    assert_eq!(hex64, expected_hashes);
    // Tool version, exam id, lottery seed (default: the exam id).
    assert_eq!(audit["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(audit["exam_id"], "T-2026-01");
    assert_eq!(audit["lottery_seed"], "T-2026-01");
    // Counts by status: 3 eligible + 2 failed + 1 incomplete +
    // 2 disqualified = 8.
    let c = &audit["counts"];
    assert_eq!(c["applicants"], 8);
    assert_eq!(c["eligible"], 3);
    assert_eq!(c["failed"], 2);
    assert_eq!(c["incomplete"], 1);
    assert_eq!(c["disqualified"], 2);
}

fn shuffle_rows(dir: &Dir, name: &str) {
    // Header kept; the data rows reversed.
    let text = dir.read(name);
    let mut lines: Vec<&str> = text.lines().collect();
    let header = lines.remove(0);
    lines.reverse();
    let mut out = format!("{header}\n");
    for l in lines {
        out.push_str(l);
        out.push('\n');
    }
    assert_ne!(out, text);
    dir.write(name, &out);
}

#[test]
fn secretary_reordering_rows_changes_only_the_hash() {
    let base = Dir::new();
    mixed_exam(&base);
    base.score().ok();
    let before = all_files(&base.path("out"));
    for input in [
        "applicants.csv",
        "written.csv",
        "oral.csv",
        "determinations.csv",
        "clearances.csv",
    ] {
        let dir = Dir::new();
        mixed_exam(&dir);
        let old_hash = sha256_hex(&std::fs::read(dir.path(input)).unwrap());
        shuffle_rows(&dir, input);
        let new_hash = sha256_hex(&std::fs::read(dir.path(input)).unwrap());
        dir.score().ok();
        let after = all_files(&dir.path("out"));
        assert_eq!(
            before.keys().collect::<Vec<_>>(),
            after.keys().collect::<Vec<_>>(),
            "same files after reordering {input}"
        );
        for (name, bytes) in &before {
            let got = &after[name];
            if name == "result.json" {
                let b = String::from_utf8(bytes.clone()).unwrap();
                let a = String::from_utf8(got.clone()).unwrap();
                assert_eq!(b.matches(&old_hash).count(), 1, "{input}'s hash once");
                assert!(!a.contains(&old_hash));
                assert_eq!(
                    a,
                    b.replace(&old_hash, &new_hash),
                    "result.json differs beyond {input}'s hash"
                );
            } else if name.ends_with(".xlsx") && bytes != got {
                // The workbook's Audit sheet repeats the audit block: the
                // same parts, equal once the hash is replaced.
                let b = zip_entries(bytes);
                let a = zip_entries(got);
                assert_eq!(
                    b.iter().map(|(n, _)| n).collect::<Vec<_>>(),
                    a.iter().map(|(n, _)| n).collect::<Vec<_>>(),
                    "{name}: the same parts after reordering {input}"
                );
                for ((part, pb), (_, pa)) in b.iter().zip(&a) {
                    let pb = String::from_utf8_lossy(pb).replace(&old_hash, &new_hash);
                    let pa = String::from_utf8_lossy(pa).into_owned();
                    assert!(pa == pb, "{name}!{part} differs beyond {input}'s hash");
                }
            } else {
                assert!(
                    bytes == got,
                    "{name} changed when the rows of {input} were reordered"
                );
            }
        }
    }
}

/// The parts of a zip container (xlsx, docx) in stored order, decompressed.
fn zip_entries(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    use std::io::Read;
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip container");
    (0..z.len())
        .map(|i| {
            let mut f = z.by_index(i).unwrap();
            let name = f.name().unwrap().to_string();
            let mut data = Vec::new();
            f.read_to_end(&mut data).unwrap();
            (name, data)
        })
        .collect()
}

// ---------------------------------------------------------------------------
// Section 4.2: every applicant in exactly one status

#[test]
fn counts_add_up_to_the_applicants_file() {
    let dir = Dir::new();
    mixed_exam(&dir);
    dir.score().ok();
    let n = 8;
    let list = dir.csv("eligibility-list.csv").len() - 1;
    let not = dir.csv("not-eligible.csv").len() - 1;
    let scores = dir.csv("scores.csv").len() - 1;
    assert_eq!((list, not), (3, 5));
    assert_eq!(list + not, n);
    assert_eq!(scores, n);
    let c = &result_json(&dir)["audit"]["counts"];
    let sum: u64 = ["eligible", "failed", "incomplete", "disqualified"]
        .iter()
        .map(|k| c[k].as_u64().unwrap())
        .sum();
    assert_eq!(sum, n as u64);
    assert_eq!(c["applicants"], n as u64);
    assert_eq!(c["eligible"], list as u64);
}

#[test]
fn every_applicant_in_exactly_one_status() {
    let dir = Dir::new();
    mixed_exam(&dir);
    dir.score().ok();
    let expected = [
        ("1", "eligible"),
        ("2", "eligible"),
        ("3", "eligible"),
        ("4", "failed"),
        ("5", "failed"),
        ("6", "incomplete"),
        ("7", "disqualified"),
        ("8", "disqualified"),
    ];
    let list = ids(&dir, "eligibility-list.csv");
    let not = ids(&dir, "not-eligible.csv");
    assert_eq!(ids(&dir, "scores.csv"), expected.map(|(i, _)| i).to_vec());
    for (id, status) in expected {
        assert_eq!(dir.field("scores.csv", id, "status"), status, "{id}");
        let on = list.iter().filter(|x| *x == id).count();
        let off = not.iter().filter(|x| *x == id).count();
        assert_eq!(on + off, 1, "{id} appears once across the two lists");
        assert_eq!(on == 1, status == "eligible", "{id}");
        if off == 1 {
            assert_eq!(dir.field("not-eligible.csv", id, "status"), status);
        }
    }
    let r = result_json(&dir);
    for a in r["applicants"].as_array().unwrap() {
        let id = a["applicant_id"].as_str().unwrap();
        let want = expected.iter().find(|(i, _)| *i == id).unwrap().1;
        assert_eq!(a["status"], want, "result.json status of {id}");
    }
}

#[test]
fn ids_sort_in_natural_order() {
    // Digits-only IDs by value (equal values by text: "0009" < "9"), before
    // the others in code-point order ("A-1" < "B-2" < "c-1"). (IDs that
    // differ only in case are refused: see hardening.rs.)
    let dir = Dir::new();
    setup(
        &dir,
        &[],
        "",
        &[
            ap("B-2", "Baker", &[]),
            ap("10", "Ten", &[]),
            ap("c-1", "Lower", &[]),
            ap("A-1", "Adams", &[]),
            ap("9", "Nine", &[]),
            ap("0009", "Zeros", &[]),
        ],
        &[
            ("B-2", "50", "80"),
            ("10", "50", "80"),
            ("c-1", "80", "80"),
            ("A-1", "80", "80"),
            ("9", "80", "80"),
            ("0009", "50", "80"),
        ],
    );
    dir.score().ok();
    assert_eq!(
        ids(&dir, "scores.csv"),
        vec!["0009", "9", "10", "A-1", "B-2", "c-1"]
    );
    assert_eq!(ids(&dir, "not-eligible.csv"), vec!["0009", "10", "B-2"]);
}

#[test]
fn scores_written_with_exactly_decimals_places() {
    // Written 81.5, oral 75, 78, 77 (mean 76.666…), certified officer (3).
    // decimals = 1: written 81.5, oral 76.7; raw 0.6 × 81.5 + 0.4 × 76.7 =
    //   48.9 + 30.68 = 79.58 → 79.6; points 3.0; final 82.6.
    // decimals = 3: written 81.500, oral 76.667; raw 48.9 + 30.6668 =
    //   79.5668 → 79.567; points 3.000; final 82.567.
    // 2 (written 80, oral 80, no points) for a second row:
    //   80.0 / 80.000 everywhere, points 0.0 / 0.000.
    for (places, expected_list, expected_scores) in [
        (
            "decimals = 1",
            "1,1,Adams,Pat,79.6,3.0,0.0,3.0,82.6,1,\n\
             2,2,Baker,Pat,80.0,0.0,0.0,0.0,80.0,2,\n",
            "1,Adams,Pat,eligible,81.5,76.7,79.6,3.0,82.6\n\
             2,Baker,Pat,eligible,80.0,80.0,80.0,0.0,80.0\n",
        ),
        (
            "decimals = 3",
            "1,1,Adams,Pat,79.567,3.000,0.000,3.000,82.567,1,\n\
             2,2,Baker,Pat,80.000,0.000,0.000,0.000,80.000,2,\n",
            "1,Adams,Pat,eligible,81.500,76.667,79.567,3.000,82.567\n\
             2,Baker,Pat,eligible,80.000,80.000,80.000,0.000,80.000\n",
        ),
    ] {
        let dir = Dir::new();
        setup_e(
            &dir,
            &[exam_key(places)],
            "",
            &[
                ap("1", "Adams", &[("certified_officer", "yes")]),
                ap("2", "Baker", &[]),
            ],
            &[("1", "81.5", "75,78,77"), ("2", "80", "80")],
        );
        dir.score().ok();
        assert_eq!(
            dir.read("out/eligibility-list.csv"),
            format!("{LIST_HEADER}{expected_list}"),
            "{places}"
        );
        assert_eq!(
            dir.read("out/scores.csv"),
            format!("{SCORES_HEADER}{expected_scores}"),
            "{places}"
        );
    }
}

// ---------------------------------------------------------------------------
// Secretary: the list of record is never overwritten by accident

#[test]
fn existing_list_refused_without_force() {
    let dir = Dir::new();
    setup(
        &dir,
        &[],
        "",
        &[ap("1", "Adams", &[]), ap("2", "Baker", &[])],
        &[("1", "80", "80"), ("2", "90", "90")],
    );
    dir.score().ok();
    let before = all_files(&dir.path("out"));
    assert!(before.contains_key("result.json"));
    // New scores, scored again into the same folder without --force.
    dir.write("written.csv", "applicant_id,written\n1,99\n2,70\n");
    let run = dir.score();
    let err = run.invalid();
    assert!(err.contains("--force"), "says how to replace it: {err}");
    assert_eq!(
        all_files(&dir.path("out")),
        before,
        "nothing changed in out/"
    );
}

#[test]
fn force_replaces_the_list() {
    let dir = Dir::new();
    setup(
        &dir,
        &[],
        "",
        &[ap("1", "Adams", &[]), ap("2", "Baker", &[])],
        &[("1", "80", "80"), ("2", "90", "90")],
    );
    dir.score().ok();
    assert_eq!(ids(&dir, "eligibility-list.csv"), vec!["2", "1"]);
    // 1: 0.6 × 99 + 0.4 × 80 = 59.4 + 32 = 91.40; 2: 42 + 36 = 78.00.
    dir.write("written.csv", "applicant_id,written\n1,99\n2,70\n");
    dir.run(&["score", "exam.toml", "-o", "out", "--force"])
        .ok();
    assert_eq!(
        dir.read("out/eligibility-list.csv"),
        format!(
            "{LIST_HEADER}\
             1,1,Adams,Pat,91.40,0.00,0.00,0.00,91.40,1,\n\
             2,2,Baker,Pat,78.00,0.00,0.00,0.00,78.00,2,\n"
        )
    );
    let files = all_files(&dir.path("out"));
    assert!(
        files.keys().all(|k| !k.contains("tmp")),
        "no temporary files left: {:?}",
        files.keys().collect::<Vec<_>>()
    );
}

#[test]
fn examinations_b_and_c_list_kind_follows_rank() {
    // Examinations C: Sergeant and below → ranked; Examinations B: above
    // Sergeant → qualified; `list` set in the exam file wins.
    for (rank, list, ranked) in [
        ("officer", "", true),
        ("corporal", "", true),
        ("sergeant", "", true),
        ("lieutenant", "", false),
        ("captain", "", false),
        ("major", "", false),
        ("deputy_chief", "", false),
        ("captain", "list = \"ranked\"\n", true),
        ("sergeant", "list = \"qualified\"\n", false),
    ] {
        let dir = Dir::new();
        let r = format!("rank = \"{rank}\"\n{list}");
        setup_e(
            &dir,
            &[("rank = \"officer\"\n", r)],
            "",
            &[ap("1", "Adams", &[])],
            &[("1", "80", "80")],
        );
        dir.score().ok();
        let header = dir.csv("eligibility-list.csv")[0].join(",");
        let want = if ranked {
            LIST_HEADER.trim_end()
        } else {
            "applicant_id,last_name,first_name,internal,raw_score"
        };
        assert_eq!(header, want, "rank {rank} {list}");
    }
}

#[test]
fn secretary_same_inputs_same_bytes_on_any_number_of_threads() {
    // The mixed exam scored on one thread and on eight: byte-identical.
    let one = Dir::new();
    mixed_exam(&one);
    one.run_env(
        &["score", "exam.toml", "-o", "out"],
        &[("RAYON_NUM_THREADS", "1")],
    )
    .ok();
    let many = Dir::new();
    mixed_exam(&many);
    many.run_env(
        &["score", "exam.toml", "-o", "out"],
        &[("RAYON_NUM_THREADS", "8")],
    )
    .ok();
    assert_eq!(all_files(&one.path("out")), all_files(&many.path("out")));
}
