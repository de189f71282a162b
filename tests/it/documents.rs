//! The documents `score` writes beside the list: notices of disqualification
//! (Notice of disqualification; Form of papers) and results letters.

use crate::common::*;
use std::io::Read;

fn docx_text(path: &std::path::Path) -> String {
    let f = std::fs::File::open(path).unwrap();
    let mut z = zip::ZipArchive::new(f).unwrap();
    let mut s = String::new();
    z.by_name("word/document.xml")
        .unwrap()
        .read_to_string(&mut s)
        .unwrap();
    s
}

fn sample(name: &str, args: &[&str]) -> (Dir, Run) {
    let dir = Dir::new();
    copy_dir(&repo().join("samples").join(name), dir.tmp.path());
    let mut a = vec!["score", "exam.toml", "-o", "out"];
    a.extend_from_slice(args);
    let run = dir.run(&a);
    assert_eq!(run.code, 0, "{}", run.stderr);
    (dir, run)
}

#[test]
fn notice_of_disqualification_for_every_disqualified_applicant() {
    let (dir, run) = sample("police-officer", &[]);
    let disqualified: Vec<String> = dir.csv("not-eligible.csv")[1..]
        .iter()
        .filter(|r| r[3] == "disqualified")
        .map(|r| r[0].clone())
        .collect();
    let index = parse_csv(&dir.read("out/notices/index.csv"));
    assert_eq!(
        index[0],
        ["applicant_id", "last_name", "first_name", "codes", "file"]
    );
    assert_eq!(
        index[1..].iter().map(|r| r[0].clone()).collect::<Vec<_>>(),
        disqualified
    );
    for id in &disqualified {
        assert!(dir.exists(&format!("out/notices/{id}.docx")), "{id}");
    }
    assert!(
        run.stdout.contains("7 notices of disqualification written"),
        "{}",
        run.stdout
    );
    // 26005 has no mailing address: not an error, but the run says so.
    assert!(
        run.stderr
            .contains("no complete mailing address for 1 applicant"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("26005"));

    let late = docx_text(&dir.path("out/notices/26004.docx"));
    for want in [
        "Disqualification A.7",
        "Filing of papers",
        "Notice of disqualification",
        "November 30, 2026",
        "Thibodeaux",
    ] {
        assert!(late.contains(want), "26004's notice lacks {want:?}");
    }
    let finding = docx_text(&dir.path("out/notices/26013.docx"));
    assert!(finding.contains("Disqualification A.4"));
    // Letter paper, 1-inch margins.
    assert!(
        late.contains(r#"<w:pgSz w:w="12240" w:h="15840""#),
        "Letter"
    );
    assert!(
        late.contains(r#"w:top="1440""#) && late.contains(r#"w:left="1440""#),
        "1-inch margins"
    );
}

#[test]
fn documents_are_byte_identical_on_rerun() {
    let (dir, _) = sample("police-officer", &["--letters"]);
    dir.run(&["score", "exam.toml", "-o", "again", "--letters"])
        .ok();
    for sub in ["notices", "letters"] {
        let mut names: Vec<_> = std::fs::read_dir(dir.path(&format!("out/{sub}")))
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        names.sort();
        for n in names {
            let a = std::fs::read(dir.path(&format!("out/{sub}")).join(&n)).unwrap();
            let b = std::fs::read(dir.path(&format!("again/{sub}")).join(&n)).unwrap();
            assert!(a == b, "{sub}/{n:?} differs");
        }
    }
}

#[test]
fn results_letters_for_every_applicant_only_when_asked() {
    let (dir, run) = sample("sergeant", &[]);
    assert!(!dir.exists("out/letters"));
    assert!(!run.stdout.contains("results letters"));
    dir.run(&["score", "exam.toml", "-o", "out", "--force", "--letters"])
        .ok();
    let index = parse_csv(&dir.read("out/letters/index.csv"));
    assert_eq!(
        index.len() - 1,
        dir.csv("scores.csv").len() - 1,
        "a letter for every applicant"
    );
    // Scoring again without --letters removes the stale letters.
    dir.run(&["score", "exam.toml", "-o", "out", "--force"])
        .ok();
    assert!(!dir.exists("out/letters"));
}

/// A listed applicant's letter gives their rank out of the whole list, the
/// same as the workbook (found in review: letters written by `score` read
/// "rank 2 of 0", the list being left out of each chunk's record).
#[test]
fn results_letters_give_the_rank_out_of_the_whole_list() {
    let (dir, _) = sample("police-officer", &["--letters"]);
    let listed = dir.csv("eligibility-list.csv").len() - 1;
    assert!(listed > 3);
    let list = dir.csv("eligibility-list.csv");
    let (rank, id) = (&list[2][0], &list[2][1]);
    let text = docx_text(&dir.path(&format!("out/letters/{id}.docx")));
    assert!(
        text.contains(&format!("at rank {rank} of {listed},")),
        "letter of {id}: {text}"
    );
    assert!(text.contains(&format!(">{rank} of {listed}<")), "{text}");
}

#[test]
fn force_replaces_notices_whole_and_is_refused_once_a_journal_exists() {
    let (dir, _) = sample("police-officer", &[]);
    dir.write("out/notices/99999.docx", "stale");
    dir.run(&["score", "exam.toml", "-o", "out", "--force"])
        .ok();
    assert!(
        !dir.exists("out/notices/99999.docx"),
        "no stale notice survives"
    );
    dir.run(&[
        "record",
        "out",
        "--applicant",
        "26001",
        "--event",
        "declined",
        "--date",
        "2026-12-01",
    ])
    .ok();
    let err = dir
        .run(&["score", "exam.toml", "-o", "out", "--force"])
        .invalid()
        .to_string();
    assert!(
        err.contains("holds a list whose journal records events"),
        "{err}"
    );
    assert!(dir.exists("out/journal.jsonl"));
}

/// A name cell may carry a control character (a bell, Excel for Mac's
/// vertical-tab line break) that XML cannot hold: the notice writes a space
/// there, so that Word opens it; and an ID starting with `-` gets a file
/// name that is neither an option nor a formula in `index.csv`.
#[test]
fn notices_hold_only_what_xml_can_and_file_names_are_safe() {
    let dir = Dir::new();
    small_exam(
        &dir,
        "",
        &[
            "-7,Bell\u{7}e,Pat\u{b}Ann,online,2026-09-01,,yes,no,MO,no,,no\n".to_string(),
            applicant("1001", "Able"),
        ],
        &["-7,80", "1001,80"],
        &["-7,80,80,80", "1001,80,80,80"],
    );
    dir.score().ok();
    let xml = docx_text(&dir.path("out/notices/_-7.docx"));
    assert!(xml.contains("Bell e") && xml.contains("Pat Ann"), "{xml}");
    assert!(
        !xml.chars()
            .any(|c| c < ' ' && !matches!(c, '\t' | '\n' | '\r')),
        "a control character XML cannot hold"
    );
    let index = dir.read("out/notices/index.csv");
    assert!(index.contains(",_-7.docx"), "{index}");
    // The list of record keeps the name as filed.
    assert!(dir
        .read("out/result.json")
        .contains("\"last_name\":\"Bell\\u0007e\""));
}
