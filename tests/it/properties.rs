//! Invariants over random exams (proptest): shuffled input rows and any
//! thread count give byte-identical outputs; every applicant ends in exactly
//! one status; the counts add up; the parallel path equals the sequential
//! reference.

use crate::common::*;
use meritlist::output::Options;
use meritlist::rules::Status;
use meritlist::{build_record, run_scoring, Exec};
use proptest::prelude::*;

#[derive(Debug, Clone)]
struct Person {
    mail: bool,
    received: u32,
    postmark_delta: u32,
    signed: bool,
    citizen: bool,
    officer: bool,
    degree: usize,
    written: Option<u32>,
    oral: Option<[u32; 3]>,
    agility: Option<bool>,
    finding: Option<u8>,
}

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
    )
        .prop_map(
            |(
                (mail, received, postmark_delta, signed, citizen),
                (officer, degree),
                (written, oral, agility, finding),
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
            },
        )
}

const DEGREES: [&str; 6] = ["", "AA", "B.S.", "Master's", "Ph.D.", "MBA"];

fn day(offset: u32) -> String {
    // Days from 2026-09-01; the deadline is 2026-09-30.
    let d = chrono::NaiveDate::from_ymd_opt(2026, 9, 1).unwrap() + chrono::Days::new(offset as u64);
    d.format("%Y-%m-%d").to_string()
}

/// Writes the exam; `order` permutes the rows of every input file.
fn write_exam(dir: &Dir, people: &[Person], order: &[usize], seed: &str) {
    dir.write(
        "exam.toml",
        &format!(
            r#"[exam]
id = "P-1"
position = "Police Officer"
rank = "officer"
application_deadline = 2026-09-30
list_established = 2026-11-20

[inputs]
applicants = "applicants.csv"
scores = ["written.csv", "oral.csv", "agility.csv"]
determinations = "determinations.csv"

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
"#
        ),
    );
    let mut a = String::from(APPLICANTS_HEADER);
    let mut w = String::from("applicant_id,written\n");
    let mut o = String::from("applicant_id,oral_r1,oral_r2,oral_r3\n");
    let mut g = String::from("applicant_id,agility\n");
    let mut d = String::from("applicant_id,ground,note\n");
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
    }
    dir.write("applicants.csv", &a);
    dir.write("written.csv", &w);
    dir.write("oral.csv", &o);
    dir.write("agility.csv", &g);
    dir.write("determinations.csv", &d);
}

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

fn collect(root: &std::path::Path, dir: &std::path::Path, files: &mut Vec<(String, Vec<u8>)>) {
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

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, .. ProptestConfig::default() })]

    #[test]
    fn shuffled_rows_and_thread_counts_give_identical_outputs(
        people in prop::collection::vec(person(), 1..40),
        perm_seed in any::<u64>(),
        threads in 1usize..5,
    ) {
        let dir = Dir::new();
        let n = people.len();
        let identity: Vec<usize> = (0..n).collect();
        write_exam(&dir, &people, &identity, "seed");
        let reference = outputs(&dir, Exec::Sequential, 1);

        // A deterministic shuffle from the seed.
        let mut order = identity.clone();
        let mut s = perm_seed | 1;
        for i in (1..n).rev() {
            s ^= s << 13; s ^= s >> 7; s ^= s << 17;
            order.swap(i, (s % (i as u64 + 1)) as usize);
        }
        let shuffled = Dir::new();
        write_exam(&shuffled, &people, &order, "seed");
        let got = outputs(&shuffled, Exec::Parallel, threads);
        prop_assert_eq!(reference.len(), got.len());
        for ((name, a), (_, b)) in reference.iter().zip(&got) {
            prop_assert!(a == b, "{} differs after shuffling rows / with {} threads", name, threads);
        }
    }

    #[test]
    fn every_applicant_ends_in_exactly_one_status_and_counts_add_up(
        people in prop::collection::vec(person(), 1..40),
    ) {
        let dir = Dir::new();
        let order: Vec<usize> = (0..people.len()).collect();
        write_exam(&dir, &people, &order, "seed");
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
        // Points never lift anyone onto a list: non-eligible applicants have
        // no points and no final score.
        for a in r.applicants.iter().filter(|a| a.status != Status::Eligible) {
            prop_assert!(a.preference_points.is_none() && a.final_score.is_none() && a.rank.is_none());
            prop_assert!(!a.codes.is_empty());
        }
    }
}

#[test]
fn binary_output_is_byte_identical_at_one_and_two_threads() {
    let dir = Dir::new();
    copy_dir(
        &repo().join("tests/examples/police-officer-mini"),
        dir.tmp.path(),
    );
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

    /// Raising one eligible applicant's written score never lowers their
    /// rank (Examinations C: order of merit).
    #[test]
    fn raising_a_score_never_lowers_a_rank(
        people in prop::collection::vec(person(), 2..30),
        pick in any::<prop::sample::Index>(),
        raise in 1u32..3000,
    ) {
        let dir = Dir::new();
        let order: Vec<usize> = (0..people.len()).collect();
        write_exam(&dir, &people, &order, "seed");
        let before = build_record(&dir.path("exam.toml"), Exec::Sequential).unwrap();
        let eligible: Vec<usize> = (0..people.len())
            .filter(|i| before.applicants.iter().any(|a| a.applicant_id == (1000 + i).to_string() && a.status == Status::Eligible))
            .collect();
        prop_assume!(!eligible.is_empty());
        let i = eligible[pick.index(eligible.len())];
        let mut raised = people.clone();
        let w = raised[i].written.expect("eligible applicants have a written score");
        raised[i].written = Some((w + raise).min(10000));
        let dir2 = Dir::new();
        write_exam(&dir2, &raised, &order, "seed");
        let after = build_record(&dir2.path("exam.toml"), Exec::Sequential).unwrap();
        let id = (1000 + i).to_string();
        let rank = |r: &meritlist::record::ListOfRecord| r.applicants.iter().find(|a| a.applicant_id == id).and_then(|a| a.rank);
        prop_assert!(rank(&after).is_some(), "still on the list");
        prop_assert!(rank(&after) <= rank(&before), "rank {:?} → {:?}", rank(&before), rank(&after));
    }
}

#[test]
fn renaming_an_input_file_changes_nothing_but_the_audit_block() {
    let dir = Dir::new();
    copy_dir(
        &repo().join("tests/examples/police-officer-mini"),
        dir.tmp.path(),
    );
    dir.score().ok();
    std::fs::rename(dir.path("written.csv"), dir.path("vendor-report.csv")).unwrap();
    dir.write(
        "exam.toml",
        &dir.read("exam.toml")
            .replace("\"written.csv\"", "\"vendor-report.csv\""),
    );
    // The exam file itself changed (its hash is in the audit block too).
    dir.run(&["score", "exam.toml", "-o", "renamed"]).ok();
    for f in [
        "eligibility-list.csv",
        "not-eligible.csv",
        "scores.csv",
        "notices/index.csv",
    ] {
        assert_eq!(
            dir.read(&format!("out/{f}")),
            dir.read(&format!("renamed/{f}")),
            "{f}"
        );
    }
    let strip = |s: String| -> serde_json::Value {
        let mut v: serde_json::Value = serde_json::from_str(&s).unwrap();
        v.as_object_mut().unwrap().remove("audit");
        v
    };
    assert_eq!(
        strip(dir.read("out/result.json")),
        strip(dir.read("renamed/result.json"))
    );
    assert!(dir
        .read("renamed/result.json")
        .contains("\"path\": \"vendor-report.csv\""));
}
