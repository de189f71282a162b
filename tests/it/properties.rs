//! Invariants over random exams (proptest): shuffled input rows and any
//! thread count give byte-identical outputs, exact ties included; every
//! applicant ends in exactly one status; the counts add up; statuses, scores,
//! points and the order of the list agree with an oracle worked out from the
//! generated exam alone; points never lift a failing applicant onto a list;
//! renaming the inputs changes nothing but the audit block; `certify` names
//! N+2..3N (three for one vacancy).
//!
//! The oracle ([`expect`]) reads only the generated [`Person`]s and SPEC
//! 4.1-4.3, in integer hundredths: nothing of meritlist's code is used to
//! compute what meritlist should say.

use crate::common::*;
use meritlist::output::Options;
use meritlist::rules::Status;
use meritlist::{build_record, run_scoring, Exec};
use proptest::prelude::*;
use std::path::Path;

#[derive(Debug, Clone)]
struct Person {
    mail: bool,
    /// Day offset of the filing date (the postmark when mailed).
    received: u32,
    postmark_delta: u32,
    signed: bool,
    citizen: bool,
    officer: bool,
    degree: usize,
    /// Hundredths: 7000 is 70.00.
    written: Option<u32>,
    oral: Option<[u32; 3]>,
    agility: Option<bool>,
    finding: Option<u8>,
    clearance: Option<Clearance>,
}

/// Day offsets of an applicant's fingerprinting and of the four agencies'
/// checks (None: not cleared).
#[derive(Debug, Clone)]
struct Clearance {
    fingerprinted: u32,
    agencies: [Option<u32>; 4],
}

fn clearance() -> impl Strategy<Value = Option<Clearance>> {
    prop::option::weighted(
        0.5,
        (
            60u32..95,
            prop::array::uniform4(prop::option::weighted(0.9, 60u32..95)),
        )
            .prop_map(|(fingerprinted, agencies)| Clearance {
                fingerprinted,
                agencies,
            }),
    )
}

/// Any applicant: late, unsigned, missing or failed results, findings.
fn person() -> impl Strategy<Value = Person> {
    (
        (
            any::<bool>(),
            0u32..40,
            0u32..5,
            prop::bool::weighted(0.95),
            prop::bool::weighted(0.95),
        ),
        (any::<bool>(), 0usize..6),
        (
            prop::option::weighted(0.9, 5000u32..10001),
            prop::option::weighted(0.9, [50u32..101, 50u32..101, 50u32..101]),
            prop::option::weighted(0.95, prop::bool::weighted(0.9)),
            prop::option::weighted(0.05, 1u8..10),
        ),
        clearance(),
    )
        .prop_map(
            |(
                (mail, received, postmark_delta, signed, citizen),
                (officer, degree),
                (written, oral, agility, finding),
                clearance,
            )| Person {
                mail,
                received,
                postmark_delta,
                signed,
                citizen,
                officer,
                degree,
                written,
                oral: oral.map(|o| [o[0], o[1], o[2]]),
                agility,
                finding,
                clearance,
            },
        )
}

/// An applicant drawn from small sets of scores, points and filing dates,
/// so that exact final-score ties are common and often go down to the
/// filing date and the lottery.
fn tie_person() -> impl Strategy<Value = Person> {
    (
        (
            any::<bool>(),
            prop::sample::select(vec![2u32, 9, 29]),
            0u32..3,
        ),
        (any::<bool>(), 0usize..6),
        (
            prop::sample::select(vec![7000u32, 7300, 8000, 8300]),
            prop::sample::select(vec![60u32, 63, 80]),
            prop::bool::weighted(0.9),
        ),
        clearance(),
    )
        .prop_map(
            |(
                (mail, received, postmark_delta),
                (officer, degree),
                (written, oral, agility),
                clearance,
            )| {
                Person {
                    mail,
                    received,
                    postmark_delta,
                    signed: true,
                    citizen: true,
                    officer,
                    degree,
                    written: Some(written),
                    oral: Some([oral; 3]),
                    agility: Some(agility),
                    finding: None,
                    clearance,
                }
            },
        )
}

/// An eligible certified officer (3 points and more) whose scores leave room
/// for +3.00 on every component.
fn eligible_officer() -> impl Strategy<Value = Person> {
    (
        (any::<bool>(), 0u32..30, 0u32..3, 0usize..6),
        (7000u32..9701, [60u32..98, 60u32..98, 60u32..98]),
        clearance(),
    )
        .prop_map(
            |((mail, received, postmark_delta, degree), (written, oral), clearance)| Person {
                mail,
                received,
                postmark_delta,
                signed: true,
                citizen: true,
                officer: true,
                degree,
                written: Some(written),
                oral: Some([oral[0], oral[1], oral[2]]),
                agility: Some(true),
                finding: None,
                clearance,
            },
        )
}

/// A certified officer (at least 3 points) who passes everything but one
/// pass mark, missed by at most 3.00: if points were added before the pass
/// marks were applied, this applicant would be lifted onto the list.
fn near_miss() -> impl Strategy<Value = Person> {
    (
        eligible_officer(),
        any::<bool>(),
        1u32..301,
        171u32..180,
        0usize..3,
    )
        .prop_map(|(mut p, on_written, under, oral_sum, turn)| {
            if on_written {
                // 67.00 ..= 69.99 against a pass mark of 70.
                p.written = Some(7000 - under);
            } else {
                // A mean of 57.00 ..= 59.67 against a pass mark of 60.
                let third = oral_sum / 3;
                let mut o = [third, third, oral_sum - 2 * third];
                o.rotate_left(turn);
                p.oral = Some(o);
            }
            p
        })
}

/// Random applicants, then for each eligible certified officer drawn: a
/// twin (a tie down to the lottery), the same applicant filed on another
/// day (a tie down to the filing date) and one with every score 3.00 higher
/// and no officer points (the same final score, separated by the raw
/// score). Every case has all three kinds of tie by construction.
fn tied_exam() -> impl Strategy<Value = Vec<Person>> {
    (
        prop::collection::vec(prop_oneof![person(), tie_person()], 0..24),
        prop::collection::vec((eligible_officer(), 1u32..30), 1..3),
    )
        .prop_map(|(mut people, families)| {
            for (base, shift) in families {
                let twin = base.clone();
                let mut other_day = base.clone();
                other_day.mail = false;
                other_day.received = (base.received + shift) % 30;
                let mut higher = base.clone();
                higher.officer = false;
                higher.written = base.written.map(|w| w + 300);
                higher.oral = base.oral.map(|o| o.map(|v| v + 3));
                people.extend([base, twin, other_day, higher]);
            }
            people
        })
}

const DEGREES: [&str; 6] = ["", "AA", "B.S.", "Master's", "Ph.D.", "MBA"];
/// Examinations D: associate 1, bachelor 2, master 3; a doctorate earns the
/// master's points (README, "Readings"); an MBA is a master's degree.
const DEGREE_POINTS: [i64; 6] = [0, 1, 2, 3, 3, 3];
/// The application deadline, 2026-09-30, as a day offset.
const DEADLINE: u32 = 29;
const WRITTEN_MARK: i64 = 7000;
const ORAL_MARK: i64 = 6000;
const SEED: &str = "seed";

fn day(offset: u32) -> String {
    // Days from 2026-09-01; the deadline is 2026-09-30.
    let d = chrono::NaiveDate::from_ymd_opt(2026, 9, 1).unwrap() + chrono::Days::new(offset as u64);
    d.format("%Y-%m-%d").to_string()
}

/// The names of an exam's files, relative to the exam folder.
#[derive(Debug, Clone)]
struct Files {
    exam: String,
    applicants: String,
    written: String,
    oral: String,
    agility: String,
    determinations: String,
    clearances: String,
}

impl Files {
    fn standard() -> Files {
        Files {
            exam: "exam.toml".into(),
            applicants: "applicants.csv".into(),
            written: "written.csv".into(),
            oral: "oral.csv".into(),
            agility: "agility.csv".into(),
            determinations: "determinations.csv".into(),
            clearances: "clearances.csv".into(),
        }
    }
}

/// The Board's certification window in exam.toml.
#[derive(Debug, Clone, Copy)]
enum Window {
    Min,
    Max,
    Size(u32),
}

impl Window {
    fn toml(self) -> String {
        match self {
            Window::Min => "\"min\"".into(),
            Window::Max => "\"max\"".into(),
            Window::Size(k) => k.to_string(),
        }
    }
    /// As the list of record states it (`audit.rules.window`), which is what
    /// `certify::window_size` is given.
    fn text(self) -> String {
        match self {
            Window::Min => "min".into(),
            Window::Max => "max".into(),
            Window::Size(k) => k.to_string(),
        }
    }
}

/// Writes the exam; `order` permutes the rows of every input file.
fn write_exam(dir: &Dir, people: &[Person], order: &[usize], seed: &str) {
    write_exam_with(dir, people, order, seed, &Files::standard(), Window::Min);
}

fn write_exam_with(
    dir: &Dir,
    people: &[Person],
    order: &[usize],
    seed: &str,
    files: &Files,
    window: Window,
) {
    dir.write(
        &files.exam,
        &format!(
            r#"[exam]
id = "P-1"
position = "Police Officer"
rank = "officer"
application_deadline = 2026-09-30
list_established = 2026-11-20

[inputs]
applicants = "{applicants}"
scores = ["{written}", "{oral}", "{agility}"]
determinations = "{determinations}"
clearances = "{clearances}"

[[components]]
name = "written"
weight = 0.55
pass_mark = 70

[[components]]
name = "oral"
weight = 0.45
columns = ["oral_r1", "oral_r2", "oral_r3"]
pass_mark = 60

[[components]]
name = "agility"
type = "pass_fail"

[ranking]
tie_break = ["raw_score", "filing_date", "lottery"]
lottery_seed = "{seed}"

[certification]
window = {window}
"#,
            applicants = files.applicants,
            written = files.written,
            oral = files.oral,
            agility = files.agility,
            determinations = files.determinations,
            clearances = files.clearances,
            window = window.toml(),
        ),
    );
    let mut a = String::from(APPLICANTS_HEADER);
    let mut w = String::from("applicant_id,written\n");
    let mut o = String::from("applicant_id,oral_r1,oral_r2,oral_r3\n");
    let mut g = String::from("applicant_id,agility\n");
    let mut d = String::from("applicant_id,ground,note\n");
    let mut c = String::from("applicant_id,fingerprinted_on,FBI,Missouri State Highway Patrol,St. Louis County Police Department,Chesterfield Police Department\n");
    for &i in order {
        let p = &people[i];
        let id = 1000 + i;
        let (delivery, received, postmark) = if p.mail {
            ("mail", day(p.received + p.postmark_delta), day(p.received))
        } else {
            ("online", day(p.received), String::new())
        };
        a.push_str(&format!(
            "{id},Name{},First{},{delivery},{received},{postmark},{},{},MO,{},{},no\n",
            i % 7,
            i % 3,
            if p.signed { "yes" } else { "no" },
            if p.citizen { "yes" } else { "no" },
            if p.officer { "yes" } else { "no" },
            DEGREES[p.degree],
        ));
        match p.written {
            Some(v) => w.push_str(&format!("{id},{}.{:02}\n", v / 100, v % 100)),
            None => w.push_str(&format!("{id},absent\n")),
        }
        match p.oral {
            Some([x, y, z]) => o.push_str(&format!("{id},{x},{y},{z}\n")),
            None => o.push_str(&format!("{id},,,\n")),
        }
        if let Some(pass) = p.agility {
            g.push_str(&format!("{id},{}\n", if pass { "pass" } else { "fail" }));
        }
        if let Some(f) = p.finding {
            d.push_str(&format!("{id},A{f},finding\n"));
        }
        if let Some(cl) = &p.clearance {
            c.push_str(&format!("{id},{}", day(cl.fingerprinted)));
            for ag in cl.agencies {
                c.push(',');
                if let Some(x) = ag {
                    c.push_str(&day(x));
                }
            }
            c.push('\n');
        }
    }
    dir.write(&files.applicants, &a);
    dir.write(&files.written, &w);
    dir.write(&files.oral, &o);
    dir.write(&files.agility, &g);
    dir.write(&files.determinations, &d);
    dir.write(&files.clearances, &c);
}

// ---------------------------------------------------------------------------
// The oracle: SPEC 4.1-4.3 from the generated applicants alone.

/// What the spec says about one generated applicant, in hundredths.
#[derive(Debug, Clone)]
struct Expected {
    id: String,
    status: Status,
    codes: Vec<String>,
    /// Scaled component values (max 100, so the value itself; the oral
    /// panel's mean of three, rounded half away from zero).
    written: Option<i64>,
    oral: Option<i64>,
    agility: Option<bool>,
    raw: Option<i64>,
    officer_points: i64,
    degree_points: i64,
    filing: u32,
    lottery: String,
    clearance: Option<Clearance>,
}

impl Expected {
    /// Examinations A and SPEC 4.1: every scored component at or above its
    /// pass mark on its own scaled value, and the pass/fail component
    /// passed. Points play no part.
    fn passes_exam(&self) -> bool {
        self.written.is_some_and(|w| w >= WRITTEN_MARK)
            && self.oral.is_some_and(|o| o >= ORAL_MARK)
            && self.agility == Some(true)
    }
    fn points(&self) -> i64 {
        self.officer_points + self.degree_points
    }
    fn final_score(&self) -> i64 {
        self.raw.expect("an eligible applicant has a raw score") + self.points()
    }
}

fn hundredths(v: i64) -> String {
    format!("{}.{:02}", v / 100, v % 100)
}

fn lottery_key(seed: &str, id: &str) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(format!("{seed}:{id}").as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// SPEC 4.1-4.2 for applicant `i` (ID 1000 + i).
fn expect(p: &Person, i: usize) -> Expected {
    let id = (1000 + i).to_string();
    let written = p.written.map(i64::from);
    // The mean of three raters in hundredths, rounded half away from zero
    // (a third is never a half: remainders 1 and 2 round down and up).
    let oral = p.oral.map(|[x, y, z]| (i64::from(x + y + z) * 100 + 1) / 3);
    // Σ weight × rounded scaled value, rounded: 0.55 and 0.45 in hundredths.
    let raw = match (written, oral) {
        (Some(w), Some(o)) => Some((55 * w + 45 * o + 50) / 100),
        _ => None,
    };
    let mut dq: Vec<String> = Vec::new();
    if !p.citizen {
        dq.push("CITIZENSHIP".into());
    }
    if let Some(f) = p.finding.filter(|f| *f <= 6) {
        dq.push(format!("A{f}"));
    }
    // Filing of papers: the postmark for mail, else the received date; on
    // the deadline is on time.
    if p.received > DEADLINE {
        dq.push("A7-LATE".into());
    }
    if !p.signed {
        dq.push("A7-UNSIGNED".into());
    }
    if let Some(f) = p.finding.filter(|f| *f >= 7) {
        dq.push(format!("A{f}"));
    }
    let mut failed: Vec<String> = Vec::new();
    let mut missing: Vec<String> = Vec::new();
    match written {
        None => missing.push("MISSING-written".into()),
        Some(w) if w < WRITTEN_MARK => failed.push("FAILED-written".into()),
        _ => {}
    }
    match oral {
        None => missing.push("MISSING-oral".into()),
        Some(o) if o < ORAL_MARK => failed.push("FAILED-oral".into()),
        _ => {}
    }
    match p.agility {
        None => missing.push("MISSING-agility".into()),
        Some(false) => failed.push("FAILED-agility".into()),
        Some(true) => {}
    }
    let (status, codes) = if !dq.is_empty() {
        (Status::Disqualified, dq)
    } else if !failed.is_empty() {
        failed.extend(missing);
        (Status::Failed, failed)
    } else if !missing.is_empty() {
        (Status::Incomplete, missing)
    } else {
        (Status::Eligible, Vec::new())
    };
    Expected {
        lottery: lottery_key(SEED, &id),
        id,
        status,
        codes,
        written,
        oral,
        agility: p.agility,
        raw,
        officer_points: if p.officer { 300 } else { 0 },
        degree_points: DEGREE_POINTS[p.degree] * 100,
        filing: p.received,
        clearance: p.clearance.clone(),
    }
}

fn expect_all(people: &[Person]) -> Vec<Expected> {
    people
        .iter()
        .enumerate()
        .map(|(i, p)| expect(p, i))
        .collect()
}

/// SPEC 4.3: eligible applicants by final score, then raw score (higher
/// first), filing date (earlier first), lottery key (ascending).
fn expected_list(all: &[Expected]) -> Vec<&Expected> {
    let mut list: Vec<&Expected> = all
        .iter()
        .filter(|e| e.status == Status::Eligible)
        .collect();
    list.sort_by(|x, y| {
        y.final_score()
            .cmp(&x.final_score())
            .then(y.raw.cmp(&x.raw))
            .then(x.filing.cmp(&y.filing))
            .then(x.lottery.cmp(&y.lottery))
    });
    list
}

/// The tie-break key that separates `below` from `above` ("" when their
/// final scores differ).
fn separating_key(above: &Expected, below: &Expected) -> &'static str {
    if above.final_score() != below.final_score() {
        ""
    } else if above.raw != below.raw {
        "raw_score"
    } else if above.filing != below.filing {
        "filing_date"
    } else {
        "lottery"
    }
}

/// SPEC 6 and Background: the clearance status on 2026-12-01 (day 91), the
/// default 30 days back (day 61) counting: `cleared`, or `pending` and what
/// is missing or out of date.
fn expected_clearance(e: &Expected) -> (&'static str, String) {
    const AGENCIES: [&str; 4] = [
        "FBI",
        "Missouri State Highway Patrol",
        "St. Louis County Police Department",
        "Chesterfield Police Department",
    ];
    let fresh = |d: Option<u32>| d.is_some_and(|d| (61..=91).contains(&d));
    let mut missing: Vec<&str> = Vec::new();
    if !fresh(e.clearance.as_ref().map(|c| c.fingerprinted)) {
        missing.push("fingerprinting");
    }
    for (i, agency) in AGENCIES.iter().enumerate() {
        if !fresh(e.clearance.as_ref().and_then(|c| c.agencies[i])) {
            missing.push(agency);
        }
    }
    let status = if missing.is_empty() {
        "cleared"
    } else {
        "pending"
    };
    (status, missing.join(";"))
}

// ---------------------------------------------------------------------------

/// Every output file (with the input hashes blanked, so that runs over
/// reordered inputs can be compared byte for byte), by relative path.
fn outputs(dir: &Dir, exec: Exec, threads: usize) -> Vec<(String, Vec<u8>)> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap();
    let out = dir.path(&format!("out-{threads}"));
    pool.install(|| {
        let mut scoring =
            run_scoring(&dir.path("exam.toml"), exec).expect("a generated exam is valid");
        for f in &mut scoring.data.files {
            f.sha256.clear();
        }
        meritlist::output::write(&scoring.scored(), &out, Options::default()).unwrap();
    });
    let mut files = Vec::new();
    collect(&out, &out, &mut files);
    files.sort();
    files
}

fn collect(root: &Path, dir: &Path, files: &mut Vec<(String, Vec<u8>)>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            collect(root, &p, files);
        } else {
            let rel = p.strip_prefix(root).unwrap().to_string_lossy().into_owned();
            files.push((rel, std::fs::read(&p).unwrap()));
        }
    }
}

/// Every applicant's `tie_break` in a result.json.
fn tie_breaks(result_json: &[u8]) -> Vec<String> {
    let v: serde_json::Value = serde_json::from_slice(result_json).unwrap();
    v["applicants"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|a| a["tie_break"].as_str().map(String::from))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 40, .. ProptestConfig::default() })]

    /// SPEC 5: the same inputs give byte-identical outputs on any number of
    /// threads, and reordering rows changes nothing but the input hashes —
    /// here with exact ties down to the raw score, the filing date and the
    /// lottery in every case, so that a tie broken by input order (or by
    /// thread timing) changes the list.
    #[test]
    fn shuffled_rows_and_thread_counts_give_identical_outputs(
        people in tied_exam(),
        perm_seed in any::<u64>(),
        threads in 1usize..5,
    ) {
        let dir = Dir::new();
        let n = people.len();
        let identity: Vec<usize> = (0..n).collect();
        write_exam(&dir, &people, &identity, SEED);
        let reference = outputs(&dir, Exec::Sequential, 1);

        // The ties are there (by construction), so the comparison below is
        // not vacuous.
        let json = &reference.iter().find(|(f, _)| f == "result.json").unwrap().1;
        let keys = tie_breaks(json);
        for key in ["raw_score", "filing_date", "lottery"] {
            prop_assert!(keys.iter().any(|k| k == key), "no tie broken by {}: {:?}", key, keys);
        }

        // A deterministic shuffle from the seed.
        let mut order = identity.clone();
        let mut s = perm_seed | 1;
        for i in (1..n).rev() {
            s ^= s << 13; s ^= s >> 7; s ^= s << 17;
            order.swap(i, (s % (i as u64 + 1)) as usize);
        }
        let shuffled = Dir::new();
        write_exam(&shuffled, &people, &order, SEED);
        let got = outputs(&shuffled, Exec::Parallel, threads);
        prop_assert_eq!(reference.len(), got.len());
        for ((name, a), (name_b, b)) in reference.iter().zip(&got) {
            prop_assert_eq!(name, name_b);
            prop_assert!(a == b, "{} differs after shuffling rows / with {} threads", name, threads);
        }
    }

    #[test]
    fn every_applicant_ends_in_exactly_one_status_and_counts_add_up(
        people in prop::collection::vec(person(), 1..40),
    ) {
        let dir = Dir::new();
        let order: Vec<usize> = (0..people.len()).collect();
        write_exam(&dir, &people, &order, SEED);
        let r = build_record(&dir.path("exam.toml"), Exec::Parallel).unwrap();
        let c = &r.audit.counts;
        prop_assert_eq!(r.applicants.len(), people.len());
        prop_assert_eq!(c.applicants, people.len());
        prop_assert_eq!(c.eligible + c.failed + c.incomplete + c.disqualified, people.len());
        for s in Status::ALL {
            let n = r.applicants.iter().filter(|a| a.status == s).count();
            prop_assert_eq!(n, c.get(s));
        }
        // The list holds exactly the eligible applicants, ranked 1..n, with
        // final scores never increasing.
        prop_assert_eq!(r.list.len(), c.eligible);
        let mut last: Option<rust_decimal::Decimal> = None;
        for (i, id) in r.list.iter().enumerate() {
            let a = r.applicants.iter().find(|a| &a.applicant_id == id).unwrap();
            prop_assert_eq!(a.status, Status::Eligible);
            prop_assert_eq!(a.rank, Some(i as u32 + 1));
            let f: rust_decimal::Decimal = a.final_score.as_ref().unwrap().parse().unwrap();
            if let Some(l) = last { prop_assert!(f <= l); }
            last = Some(f);
        }
        for a in r.applicants.iter().filter(|a| a.status != Status::Eligible) {
            prop_assert!(a.preference_points.is_none() && a.final_score.is_none() && a.rank.is_none());
            prop_assert!(!a.codes.is_empty());
        }
    }

    /// Examinations C and D, SPEC 4.1 ("points can never lift an applicant
    /// onto a list: pass and status are decided before points"; README,
    /// "Readings"): every listed applicant passes every pass mark on their
    /// own scaled component values and the pass/fail component, by the
    /// oracle. Every case holds certified officers who miss one pass mark
    /// by at most 3.00, whom their 3+ points would lift if points were
    /// applied first; they must be failed and off the list.
    #[test]
    fn preference_points_never_lift_a_failing_applicant_onto_a_list(
        others in prop::collection::vec(prop_oneof![person(), near_miss()], 0..30),
        lifted in prop::collection::vec(near_miss(), 1..4),
    ) {
        let people: Vec<Person> = others.iter().chain(&lifted).cloned().collect();
        let expected = expect_all(&people);
        // Not vacuous: each constructed applicant fails one mark by less
        // than their own points.
        for e in &expected[others.len()..] {
            let lifted_written = e.written.unwrap() + e.points() >= WRITTEN_MARK;
            let lifted_oral = e.oral.unwrap() + e.points() >= ORAL_MARK;
            prop_assert!(!e.passes_exam() && lifted_written && lifted_oral, "{:?}", e);
        }
        let dir = Dir::new();
        let order: Vec<usize> = (0..people.len()).collect();
        write_exam(&dir, &people, &order, SEED);
        let r = build_record(&dir.path("exam.toml"), Exec::Parallel).unwrap();
        for id in &r.list {
            let e = expected.iter().find(|e| &e.id == id).unwrap();
            prop_assert!(e.passes_exam(), "{} is on the list but misses a pass mark: {:?}", id, e);
        }
        for e in &expected[others.len()..] {
            let a = r.applicants.iter().find(|a| a.applicant_id == e.id).unwrap();
            prop_assert!(!r.list.contains(&e.id), "{} was lifted onto the list: {:?}", e.id, e);
            prop_assert_eq!(a.status, Status::Failed, "{}", e.id);
            prop_assert_eq!(&a.codes, &e.codes);
        }
        // Non-eligible applicants have no points and no final score.
        for a in r.applicants.iter().filter(|a| a.status != Status::Eligible) {
            prop_assert!(a.officer_points.is_none() && a.degree_points.is_none());
            prop_assert!(a.preference_points.is_none() && a.final_score.is_none() && a.rank.is_none());
        }
    }

    /// SPEC 4.1-4.3 against the oracle: every applicant's status and codes,
    /// component values, raw score, points and final score, and the list's
    /// order, ranks, score ranks and tie-break keys.
    #[test]
    fn statuses_scores_and_order_agree_with_an_independent_oracle(
        people in prop::collection::vec(
            prop_oneof![3 => person(), 2 => tie_person(), 1 => near_miss()], 1..40),
    ) {
        let expected = expect_all(&people);
        let dir = Dir::new();
        let order: Vec<usize> = (0..people.len()).collect();
        write_exam(&dir, &people, &order, SEED);
        let r = build_record(&dir.path("exam.toml"), Exec::Parallel).unwrap();
        prop_assert_eq!(r.applicants.len(), expected.len());
        for e in &expected {
            let a = r.applicants.iter().find(|a| a.applicant_id == e.id).unwrap();
            prop_assert_eq!(a.status, e.status, "{}", e.id);
            prop_assert_eq!(&a.codes, &e.codes, "{}", e.id);
            let value = |name: &str| a.components.iter().find(|c| c.component == name).and_then(|c| c.value.clone());
            if e.status != Status::Disqualified {
                prop_assert_eq!(value("written"), e.written.map(hundredths), "{}", e.id);
                prop_assert_eq!(value("oral"), e.oral.map(hundredths), "{}", e.id);
                prop_assert_eq!(value("agility"), e.agility.map(|p| (if p { "pass" } else { "fail" }).to_string()), "{}", e.id);
            }
            if e.status == Status::Eligible {
                prop_assert_eq!(a.raw_score.clone(), e.raw.map(hundredths), "{}", e.id);
                prop_assert_eq!(a.officer_points.clone(), Some(hundredths(e.officer_points)), "{}", e.id);
                prop_assert_eq!(a.degree_points.clone(), Some(hundredths(e.degree_points)), "{}", e.id);
                prop_assert_eq!(a.preference_points.clone(), Some(hundredths(e.points())), "{}", e.id);
                prop_assert_eq!(a.final_score.clone(), Some(hundredths(e.final_score())), "{}", e.id);
            }
        }
        let list = expected_list(&expected);
        let ids: Vec<&str> = list.iter().map(|e| e.id.as_str()).collect();
        prop_assert_eq!(r.list.iter().map(String::as_str).collect::<Vec<_>>(), ids);
        let mut score_rank = 0;
        for (i, e) in list.iter().enumerate() {
            let a = r.applicants.iter().find(|a| a.applicant_id == e.id).unwrap();
            let key = if i == 0 { "" } else { separating_key(list[i - 1], e) };
            if i == 0 || key.is_empty() {
                score_rank = i as u32 + 1;
            }
            prop_assert_eq!(a.rank, Some(i as u32 + 1), "{}", e.id);
            prop_assert_eq!(a.score_rank, Some(score_rank), "{}", e.id);
            prop_assert_eq!(a.tie_break.as_deref().unwrap_or(""), key, "{}", e.id);
            prop_assert_eq!(a.lottery_key.as_deref(), Some(e.lottery.as_str()), "{}", e.id);
        }
    }
}

#[test]
fn binary_output_is_byte_identical_at_one_and_two_threads() {
    let dir = Dir::example("police-officer-mini");
    dir.run_env(
        &["score", "exam.toml", "-o", "one"],
        &[("RAYON_NUM_THREADS", "1")],
    )
    .ok();
    dir.run_env(
        &["score", "exam.toml", "-o", "two"],
        &[("RAYON_NUM_THREADS", "2")],
    )
    .ok();
    for f in [
        "eligibility-list.csv",
        "not-eligible.csv",
        "scores.csv",
        "result.json",
    ] {
        assert_eq!(
            dir.read(&format!("one/{f}")),
            dir.read(&format!("two/{f}")),
            "{f}"
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, .. ProptestConfig::default() })]

    /// Raising one of any applicant's scores (the written score, or one
    /// oral rater's) never lowers their standing (Examinations C: order of
    /// merit): an applicant on the list stays on it at the same rank or
    /// higher; one who was not may come onto it (a pass mark now met) but
    /// never leaves a better status for a worse one.
    #[test]
    fn raising_a_score_never_lowers_a_rank(
        people in prop::collection::vec(person(), 2..30),
        pick in any::<prop::sample::Index>(),
        which in 0usize..4,
        raise in 1u32..3000,
    ) {
        let dir = Dir::new();
        let order: Vec<usize> = (0..people.len()).collect();
        write_exam(&dir, &people, &order, SEED);
        let before = build_record(&dir.path("exam.toml"), Exec::Sequential).unwrap();
        // Applicants with the chosen score: written (0) or rater 1..3.
        let has = |p: &Person| if which == 0 { p.written.is_some() } else { p.oral.is_some() };
        let candidates: Vec<usize> = (0..people.len()).filter(|&i| has(&people[i])).collect();
        prop_assume!(!candidates.is_empty());
        let i = candidates[pick.index(candidates.len())];
        let mut raised = people.clone();
        match (which, &mut raised[i]) {
            (0, p) => p.written = p.written.map(|w| (w + raise).min(10000)),
            (r, p) => {
                if let Some(o) = p.oral.as_mut() {
                    o[r - 1] = (o[r - 1] + 1 + raise / 30).min(100);
                }
            }
        }
        let dir2 = Dir::new();
        write_exam(&dir2, &raised, &order, SEED);
        let after = build_record(&dir2.path("exam.toml"), Exec::Sequential).unwrap();
        let id = (1000 + i).to_string();
        let find = |r: &meritlist::record::ListOfRecord| {
            let a = r.applicants.iter().find(|a| a.applicant_id == id).expect("every applicant has a record");
            (a.status, a.rank)
        };
        let ((s0, r0), (s1, r1)) = (find(&before), find(&after));
        if s0 == Status::Eligible {
            prop_assert_eq!(s1, Status::Eligible, "left the list");
            prop_assert!(r1 <= r0, "rank {:?} → {:?}", r0, r1);
        } else if s0 != Status::Failed {
            // Disqualified, or incomplete (no score fails): a raised score
            // cannot change that.
            prop_assert_eq!(s1, s0);
        } else {
            // A pass mark now met: still failed, on the list, or incomplete
            // (failed hid a missing component), never disqualified.
            prop_assert!(s1 != Status::Disqualified, "{:?} → {:?}", s0, s1);
        }
    }
}

// ---------------------------------------------------------------------------
// Renaming the inputs (SPEC 5: the audit block names each input file and
// its hash; nothing else may depend on a file's name).

/// New names for every input and for the exam file: in a subfolder or not,
/// with spaces, parentheses and letters outside ASCII, or the standard names
/// swapped between roles (the applicants in `written.csv`, and so on).
fn renamed_files() -> impl Strategy<Value = Files> {
    let swapped = Files {
        exam: "applicants.toml".into(),
        applicants: "written.csv".into(),
        written: "oral.csv".into(),
        oral: "agility.csv".into(),
        agility: "determinations.csv".into(),
        determinations: "clearances.csv".into(),
        clearances: "applicants.csv".into(),
    };
    let folder = prop::sample::select(vec!["", "inputs/", "Vendor files/", "2026 cycle/raw/"]);
    let stem = prop::sample::select(vec!["vendor-report", "Export (final)", "résultats", "x"]);
    let named = (
        folder,
        prop::collection::vec(stem, 6),
        prop::sample::select(vec!["board rules.toml", "PO-2026-01.toml", "règles.toml"]),
    )
        .prop_map(|(folder, stems, exam)| {
            let name = |i: usize, role: &str| format!("{folder}{}-{i}-{role}.csv", stems[i]);
            Files {
                exam: exam.to_string(),
                applicants: name(0, "a"),
                written: name(1, "w"),
                oral: name(2, "o"),
                agility: name(3, "g"),
                determinations: name(4, "d"),
                clearances: name(5, "c"),
            }
        });
    prop_oneof![1 => Just(swapped), 3 => named]
}

/// Every file under `root`, by relative path with `/` separators.
fn tree(root: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    let mut files = Vec::new();
    collect(root, root, &mut files);
    files
        .into_iter()
        .map(|(rel, bytes)| (rel.replace('\\', "/"), bytes))
        .collect()
}

/// The parts of a zip container, by name.
fn zip_parts(bytes: &[u8]) -> std::collections::BTreeMap<String, Vec<u8>> {
    use std::io::Read;
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    (0..z.len())
        .map(|i| {
            let mut f = z.by_index(i).unwrap();
            let mut data = Vec::new();
            f.read_to_end(&mut data).unwrap();
            (f.name().unwrap().to_string(), data)
        })
        .collect()
}

/// The part holding the workbook's `Audit` sheet, found through
/// xl/workbook.xml and its relationships.
fn audit_sheet_part(parts: &std::collections::BTreeMap<String, Vec<u8>>) -> String {
    let text = |name: &str| String::from_utf8(parts[name].clone()).unwrap();
    let attr = |element: &str, name: &str| -> String {
        let start = element
            .find(&format!(" {name}=\""))
            .unwrap_or_else(|| panic!("{name} in {element}"))
            + name.len()
            + 3;
        element[start..start + element[start..].find('"').unwrap()].to_string()
    };
    let workbook = text("xl/workbook.xml");
    let sheet = workbook
        .split("<sheet ")
        .skip(1)
        .find(|s| s.contains("name=\"Audit\""))
        .expect("an Audit sheet");
    let rid = attr(&format!(" {sheet}"), "r:id");
    let rels = text("xl/_rels/workbook.xml.rels");
    let rel = rels
        .split("<Relationship ")
        .skip(1)
        .find(|r| r.contains(&format!("Id=\"{rid}\"")))
        .expect("the Audit sheet's relationship");
    let target = attr(&format!(" {rel}"), "Target");
    format!("xl/{}", target.trim_start_matches("/xl/"))
}

/// The cell values of every sheet but `Audit`, with its name.
fn sheets_but_audit(path: &Path) -> Vec<(String, Vec<Vec<calamine::Data>>)> {
    use calamine::Reader;
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook(path).unwrap();
    let names = wb.sheet_names();
    assert_eq!(
        names,
        ["Eligibility List", "Not Eligible", "Scores", "Audit"]
    );
    names
        .into_iter()
        .filter(|n| n != "Audit")
        .map(|n| {
            let range = wb.worksheet_range(&n).unwrap();
            let rows = range.rows().map(|r| r.to_vec()).collect();
            (n, rows)
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, .. ProptestConfig::default() })]

    /// SPEC 5: renaming every input file (and the exam file) changes nothing
    /// but the audit block (the file names and the exam file's hash): every
    /// CSV, every notice and letter byte for byte; result.json byte for byte
    /// up to its audit block, and the audit block but for the names and the
    /// exam file's hash; the workbook's every sheet but Audit (its cell values, and every part of
    /// the container but the Audit sheet and its shared strings).
    #[test]
    fn renaming_every_input_file_changes_nothing_but_the_audit_block(
        people in prop::collection::vec(prop_oneof![person(), tie_person()], 1..30),
        files in renamed_files(),
    ) {
        let order: Vec<usize> = (0..people.len()).collect();
        let a = Dir::new();
        write_exam(&a, &people, &order, SEED);
        a.run(&["score", "exam.toml", "-o", "out", "--letters"]).ok();
        let b = Dir::new();
        write_exam_with(&b, &people, &order, SEED, &files, Window::Min);
        b.run(&["score", &files.exam, "-o", "out", "--letters"]).ok();

        let (ta, tb) = (tree(&a.path("out")), tree(&b.path("out")));
        prop_assert_eq!(ta.keys().collect::<Vec<_>>(), tb.keys().collect::<Vec<_>>());
        prop_assert!(ta.contains_key("eligibility-list.xlsx") && ta.contains_key("result.json"));
        let mut docs = 0;
        for (name, x) in &ta {
            let y = &tb[name];
            if name == "result.json" {
                // The audit block is the last member; everything before it
                // is the same bytes.
                let cut = |j: &[u8]| {
                    let at = j.windows(12).position(|w| w == b"\n  \"audit\": ").expect("an audit block");
                    j[..at].to_vec()
                };
                prop_assert!(cut(x) == cut(y), "result.json differs before its audit block");
                let mut ja: serde_json::Value = serde_json::from_slice(x).unwrap();
                let mut jb: serde_json::Value = serde_json::from_slice(y).unwrap();
                // In the audit block the inputs keep their roles, order and
                // hashes (their bytes did not change); only the names, and the
                // exam file's name and hash, differ.
                let names: Vec<String> = jb["audit"]["inputs"].as_array().unwrap().iter()
                    .map(|f| f["path"].as_str().unwrap().to_string()).collect();
                let mut want = vec![files.applicants.clone(), files.written.clone(), files.oral.clone(),
                    files.agility.clone(), files.determinations.clone(), files.clearances.clone()];
                want.sort();
                let mut got = names.clone();
                got.sort();
                prop_assert_eq!(got, want);
                prop_assert_eq!(jb["audit"]["exam_file"]["path"].as_str(), Some(files.exam.as_str()));
                for j in [&mut ja, &mut jb] {
                    for f in j["audit"]["inputs"].as_array_mut().unwrap() {
                        f["path"] = serde_json::Value::Null;
                    }
                    j["audit"]["exam_file"]["path"] = serde_json::Value::Null;
                    j["audit"]["exam_file"]["sha256"] = serde_json::Value::Null;
                }
                prop_assert_eq!(&ja, &jb);
            } else if name == "eligibility-list.xlsx" {
                prop_assert_eq!(sheets_but_audit(&a.path("out/eligibility-list.xlsx")),
                    sheets_but_audit(&b.path("out/eligibility-list.xlsx")));
                let (pa, pb) = (zip_parts(x), zip_parts(y));
                let audit = audit_sheet_part(&pa);
                prop_assert_eq!(&audit, &audit_sheet_part(&pb));
                prop_assert_eq!(pa.keys().collect::<Vec<_>>(), pb.keys().collect::<Vec<_>>());
                // The shared strings are the Audit sheet's (the other sheets
                // write their text inline); the values of those sheets are
                // compared through calamine above.
                for (part, bytes) in &pa {
                    if part != &audit && part != "xl/sharedStrings.xml" {
                        prop_assert!(bytes == &pb[part], "eligibility-list.xlsx part {} differs", part);
                    }
                }
            } else {
                // The CSVs, notices/index.csv, notices/*.docx, letters/*.docx.
                docs += name.ends_with(".docx") as usize;
                prop_assert!(x == y, "{} differs after renaming the inputs", name);
            }
        }
        // Every applicant has a results letter.
        prop_assert!(docs >= people.len());
    }
}

// ---------------------------------------------------------------------------
// Certification windows (Examinations C; SPEC 6).

/// SPEC 6: the window for N vacancies, or None where `certify` must refuse:
/// N = 1 is always 3 names (`--size` may only say 3); for N ≥ 2 `--size`,
/// else the exam's window (`min` N+2, `max` 3N, an integer as given), which
/// must lie in N+2..=3N.
fn examinations_c(n: u32, window: Window, size: Option<u32>) -> Option<u32> {
    if n == 0 {
        return None;
    }
    let (lo, hi) = if n == 1 { (3, 3) } else { (n + 2, 3 * n) };
    let k = match (size, window) {
        (Some(k), _) => k,
        (None, _) if n == 1 => 3,
        (None, Window::Min) => lo,
        (None, Window::Max) => hi,
        (None, Window::Size(k)) => k,
    };
    (lo..=hi).contains(&k).then_some(k)
}

fn window_setting() -> impl Strategy<Value = Window> {
    prop_oneof![
        Just(Window::Min),
        Just(Window::Max),
        (3u32..40).prop_map(Window::Size)
    ]
}

/// N, and a `--size` that is often inside N+2..=3N (or 3) and sometimes not.
fn request() -> impl Strategy<Value = (u32, Option<u32>)> {
    (1u32..13).prop_flat_map(|n| {
        let (lo, hi) = if n == 1 { (3, 3) } else { (n + 2, 3 * n) };
        (
            Just(n),
            prop_oneof![
                2 => Just(None),
                2 => (lo..=hi).prop_map(Some),
                1 => (0u32..45).prop_map(Some),
            ],
        )
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, .. ProptestConfig::default() })]

    /// Examinations C, at the unit: `window_size` gives exactly the window
    /// SPEC 6 describes, and refuses exactly the sizes outside N+2..=3N (or
    /// other than 3 for one vacancy). An error where a window is due fails.
    #[test]
    fn window_size_is_the_examinations_c_window_and_errs_only_outside_it(
        (n, size) in prop_oneof![Just(0u32), 1u32..5, 5u32..300].prop_flat_map(|n| {
            let (lo, hi) = if n == 1 { (3, 3) } else { (n + 2, (3 * n).max(n + 2)) };
            (Just(n), prop_oneof![
                1 => Just(None),
                // Inside the range: a window is due.
                2 => (lo..=hi).prop_map(Some),
                1 => (0u32..1000).prop_map(Some),
                1 => (0u32..8).prop_map(Some),
            ])
        }),
        window in prop_oneof![window_setting(), (3u32..1000).prop_map(Window::Size)],
    ) {
        let got = meritlist::certify::window_size(n, &window.text(), size);
        match examinations_c(n, window, size) {
            Some(k) => {
                prop_assert_eq!(got.clone(), Ok(k), "n {} window {:?} size {:?}", n, window, size);
                if n == 1 { prop_assert_eq!(k, 3); } else { prop_assert!(n + 2 <= k && k <= 3 * n); }
            }
            None => prop_assert!(got.is_err(), "n {} window {:?} size {:?} gave {:?}", n, window, size, got),
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 16, .. ProptestConfig::default() })]

    /// Examinations C end to end: `meritlist score`, then `meritlist
    /// certify --vacancies N [--size K]` certifies the top K names of the
    /// list in rank order, K = 3 for one vacancy and N+2 ≤ K ≤ 3N for
    /// several, or every eligible applicant when fewer (saying the list is
    /// short); a size outside the range is refused (exit 2) and nothing is
    /// written.
    #[test]
    fn certify_names_the_top_n_plus_2_to_3n_or_3_for_one_vacancy(
        people in prop_oneof![
            2 => prop::collection::vec(prop_oneof![1 => person(), 3 => tie_person()], 0..36),
            // One final score for all: every window that is not short cuts
            // a tie (by filing date or lottery).
            1 => prop::collection::vec(tie_person().prop_map(|mut p| {
                (p.written, p.oral, p.officer, p.degree) = (Some(8000), Some([80; 3]), false, 0);
                p
            }), 0..20),
        ],
        window in window_setting(),
        requests in prop::collection::vec(request(), 3),
    ) {
        let expected = expect_all(&people);
        let list = expected_list(&expected);
        let dir = Dir::new();
        let order: Vec<usize> = (0..people.len()).collect();
        write_exam_with(&dir, &people, &order, SEED, &Files::standard(), window);
        dir.score().ok();
        for (j, (n, size)) in requests.into_iter().enumerate() {
            let cert = format!("cert-{j}");
            let (n_text, size_text) = (n.to_string(), size.map(|k| k.to_string()));
            let mut args = vec!["certify", "out", "--vacancies", n_text.as_str(), "--date", "2026-12-01", "-o", cert.as_str()];
            if let Some(k) = &size_text {
                args.extend(["--size", k.as_str()]);
            }
            let run = dir.run(&args);
            let what = format!("N {n}, window {window:?}, size {size:?}, {} eligible", list.len());
            match examinations_c(n, window, size) {
                None => {
                    prop_assert_eq!(run.code, 2, "{}: {}", what, run.stderr);
                    prop_assert!(run.stderr.contains("Examinations C"), "{}: {}", what, run.stderr);
                    prop_assert!(!dir.exists(&cert), "{}", what);
                }
                Some(k) => {
                    prop_assert_eq!(run.code, 0, "{}: {}", what, run.stderr);
                    let rows = parse_csv(&dir.read(&format!("{cert}/certification.csv")));
                    let names = &rows[1..];
                    let m = names.len();
                    // The ordinance's bounds, capped by the eligible.
                    if n == 1 {
                        prop_assert_eq!(m, 3.min(list.len()), "{}", what);
                    } else {
                        prop_assert!(m >= (n as usize + 2).min(list.len()) && m <= 3 * n as usize, "{}: {} names", what, m);
                    }
                    prop_assert_eq!(m, (k as usize).min(list.len()), "{}", what);
                    // The top of the list, in order.
                    for (i, row) in names.iter().enumerate() {
                        prop_assert_eq!(&row[0], &(i + 1).to_string(), "{}", what);
                        prop_assert_eq!(&row[1], &(i + 1).to_string(), "{}", what);
                        prop_assert_eq!(&row[2], &list[i].id, "{}", what);
                        prop_assert_eq!(&row[5], &hundredths(list[i].final_score()), "{}", what);
                        let (clearance, missing) = expected_clearance(list[i]);
                        prop_assert_eq!(&row[6], clearance, "{}: {:?}", what, list[i]);
                        prop_assert_eq!(&row[7], &missing, "{}: {:?}", what, list[i]);
                    }
                    prop_assert_eq!(run.stderr.contains("The list is short"), m < k as usize, "{}: {}", what, run.stderr);
                    // A tie cut at the window's edge is stated, with its key.
                    let cut = m > 0 && m < list.len() && list[m - 1].final_score() == list[m].final_score();
                    prop_assert_eq!(run.stderr.contains("A tie was cut"), cut, "{}: {}", what, run.stderr);
                    if cut {
                        let key = separating_key(list[m - 1], list[m]);
                        prop_assert!(run.stderr.contains(&format!("the tie-break key `{key}`")), "{}: {}", what, run.stderr);
                    }
                }
            }
        }
    }
}
