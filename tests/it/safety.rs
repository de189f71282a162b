//! Safety of outputs (issue 7): atomic writes under injected failures and
//! panics, owner-only files, CSV cells a spreadsheet would run as formulas,
//! inputs never modified.

use crate::common::*;

/// The mini example's certification, into `cert`.
const CERTIFY: [&str; 8] = [
    "certify",
    "out",
    "--vacancies",
    "1",
    "--date",
    "2027-05-03",
    "-o",
    "cert",
];

fn mini() -> Dir {
    Dir::example("police-officer-mini")
}

fn snapshot(dir: &Dir, sub: &str) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    fn walk(root: &std::path::Path, p: &std::path::Path, out: &mut Vec<(String, Vec<u8>)>) {
        for e in std::fs::read_dir(p).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(root, &p, out);
            } else {
                out.push((
                    p.strip_prefix(root).unwrap().display().to_string(),
                    std::fs::read(&p).unwrap(),
                ));
            }
        }
    }
    let root = dir.path(sub);
    if root.exists() {
        walk(&root, &root, &mut out);
    }
    out.sort();
    out
}

/// A run stopped dead while it replaces the list (a crash or a power cut
/// between two renames; here a panic, which skips the restoring) leaves no
/// list of record in place: certify refuses the folder and says how to
/// recover, score needs --force, and a rescore leaves nothing behind. The
/// previous list is set aside whole until then.
#[test]
#[cfg_attr(
    not(debug_assertions),
    ignore = "fault injection is compiled into debug builds only"
)]
fn a_run_stopped_while_replacing_the_list_leaves_no_list_of_record() {
    let dir = mini();
    dir.score().ok();
    let before = snapshot(&dir, "out");
    let run = dir.run_env(
        &["score", "exam.toml", "-o", "out", "--force"],
        &[("MERITLIST_INJECT", "panic:commit")],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(!dir.exists("out/result.json"), "result.json is placed last");
    let aside: Vec<_> = before
        .iter()
        .filter(|(n, _)| !n.contains('/'))
        .map(|(n, bytes)| {
            (
                n.clone(),
                std::fs::read(dir.path(&format!("out/.{n}.meritlist-old"))).ok(),
                bytes,
            )
        })
        .collect();
    assert!(
        aside
            .iter()
            .all(|(_, old, bytes)| old.as_ref() == Some(*bytes)),
        "the previous list is set aside whole"
    );
    let err = dir.run(&CERTIFY).invalid().to_string();
    assert!(err.contains("out holds no complete list: a `meritlist score` into it was stopped while it replaced the list (the previous list's eligibility-list.csv, eligibility-list.xlsx, not-eligible.csv, scores.csv, result.json, notices are set aside"), "{err}");
    let err = dir.score().invalid().to_string();
    assert!(err.contains(".result.json.meritlist-old"), "{err}");
    // A letters folder an older stopped run set aside goes too, though
    // this run writes no letters.
    dir.write("out/.letters.meritlist-old/1001.docx", "an old letter");
    dir.run(&["score", "exam.toml", "-o", "out", "--force"])
        .ok();
    assert_eq!(
        snapshot(&dir, "out"),
        before,
        "the same inputs, the same list"
    );
    assert!(!std::fs::read_dir(dir.path("out")).unwrap().any(|e| e
        .unwrap()
        .file_name()
        .to_string_lossy()
        .ends_with(".meritlist-old")));
    dir.run(&CERTIFY).ok();
}

#[test]
#[cfg_attr(
    not(debug_assertions),
    ignore = "fault injection is compiled into debug builds only"
)]
fn a_failure_mid_write_leaves_nothing_and_the_previous_list_survives() {
    let dir = mini();
    // No list yet: a failure leaves no file at all.
    let run = dir.run_env(
        &["score", "exam.toml", "-o", "out"],
        &[("MERITLIST_INJECT", "write")],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("injected failure"), "{}", run.stderr);
    assert_eq!(snapshot(&dir, "out"), vec![], "nothing half-written");
    // A previous list survives a failed --force, whole, at either point.
    dir.score().ok();
    let before = snapshot(&dir, "out");
    dir.write(
        "written.csv",
        &dir.read("written.csv").replace("1001,88", "1001,98"),
    );
    for point in ["write", "commit"] {
        let run = dir.run_env(
            &["score", "exam.toml", "-o", "out", "--force"],
            &[("MERITLIST_INJECT", point)],
        );
        assert_eq!(run.code, 1, "{point}: {}", run.stderr);
        assert_eq!(
            snapshot(&dir, "out"),
            before,
            "{point}: the previous list is untouched"
        );
    }
    // Without a failure the new list replaces it.
    dir.run(&["score", "exam.toml", "-o", "out", "--force"])
        .ok();
    assert_ne!(snapshot(&dir, "out"), before);
}

#[test]
#[cfg_attr(
    not(debug_assertions),
    ignore = "fault injection is compiled into debug builds only"
)]
fn a_panic_while_the_applicants_workbook_is_read_ends_the_run() {
    // With a workbook of applicants the other files are read meanwhile
    // and wait, parsed, for its IDs (issue 6): a panic before the IDs are
    // known must still end the run as an internal error, not leave those
    // readers waiting for ever.
    let dir = Dir::new();
    copy_dir(&repo().join("samples/police-officer"), dir.tmp.path());
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_meritlist"))
        .args(["score", "exam.toml", "-o", "out"])
        .current_dir(dir.tmp.path())
        .env("MERITLIST_INJECT", "panic:applicants")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run meritlist");
    let start = std::time::Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for meritlist") {
            break status;
        }
        if start.elapsed() > std::time::Duration::from_secs(120) {
            let _ = child.kill();
            panic!("the run did not end within 120 s: readers left waiting");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
    assert_eq!(status.code(), Some(1), "{stderr}");
    assert!(
        stderr.starts_with("internal error: injected panic (test) at applicants"),
        "{stderr}"
    );
    assert_eq!(snapshot(&dir, "out"), vec![], "nothing written");
}

#[test]
#[cfg_attr(
    not(debug_assertions),
    ignore = "fault injection is compiled into debug builds only"
)]
fn a_panic_is_an_internal_error_with_exit_1_and_no_backtrace() {
    let dir = mini();
    let run = dir.run_env(
        &["score", "exam.toml", "-o", "out"],
        &[("MERITLIST_INJECT", "panic:write"), ("RUST_BACKTRACE", "1")],
    );
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .starts_with("internal error: injected panic (test) at write"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("This is a bug in meritlist"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("Please report it"), "{}", run.stderr);
    assert!(!run.stderr.contains("stack backtrace"), "{}", run.stderr);
    assert_eq!(
        snapshot(&dir, "out"),
        vec![],
        "temporary files removed as the stack unwound"
    );
}

#[cfg(unix)]
#[test]
fn outputs_holding_personnel_data_are_readable_by_the_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let dir = mini();
    dir.run(&["score", "exam.toml", "-o", "out", "--letters"])
        .ok();
    dir.run(&DECLINE).ok();
    dir.run(&CERTIFY).ok();
    let mut checked = 0;
    for (name, _) in snapshot(&dir, "out").into_iter().chain(
        snapshot(&dir, "cert")
            .into_iter()
            .map(|(n, b)| (format!("../cert/{n}"), b)),
    ) {
        let mode = std::fs::metadata(dir.path("out").join(&name))
            .unwrap()
            .permissions()
            .mode()
            & 0o777;
        assert_eq!(mode, 0o600, "{name} is {mode:o}");
        checked += 1;
    }
    assert!(checked >= 10, "{checked}");
    // The folders the runs created too: the notices' and letters' file
    // names are applicants' IDs.
    for d in ["out", "out/notices", "out/letters", "cert"] {
        let mode = std::fs::metadata(dir.path(d)).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o700, "{d} is {mode:o}");
    }
}

/// What is already at a temporary file's name in OUTDIR (left by a killed
/// run, or put there by another user) is replaced, never opened: a file
/// readable by all would keep its permissions, and a link would be
/// followed, writing the list wherever it points.
#[test]
fn a_leftover_or_a_link_at_a_temporary_name_is_replaced_not_followed() {
    use std::os::unix::fs::PermissionsExt;
    let dir = mini();
    let out = dir.path("out");
    std::fs::create_dir(&out).unwrap();
    std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o755)).unwrap();
    let victim = dir.path("victim.txt");
    std::fs::write(&victim, "not the list").unwrap();
    std::os::unix::fs::symlink(&victim, out.join(".not-eligible.csv.meritlist-tmp")).unwrap();
    let left = out.join(".scores.csv.meritlist-tmp");
    std::fs::write(&left, "a killed run's half").unwrap();
    std::fs::set_permissions(&left, std::fs::Permissions::from_mode(0o644)).unwrap();
    std::os::unix::fs::symlink(&victim, out.join(".notices.meritlist-tmp")).unwrap();
    let run = dir.score();
    run.ok();
    assert_eq!(dir.read("victim.txt"), "not the list");
    for f in ["scores.csv", "not-eligible.csv", "notices"] {
        let p = out.join(f);
        let m = std::fs::symlink_metadata(&p).unwrap();
        assert!(!m.file_type().is_symlink(), "{f} is a link");
        let want = if m.is_dir() { 0o700 } else { 0o600 };
        assert_eq!(m.permissions().mode() & 0o777, want, "{f}");
    }
    assert!(dir.read("out/scores.csv").starts_with("applicant_id,"));
    // The Board's own OUTDIR keeps the permissions it was given.
    let mode = std::fs::metadata(&out).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o755);
    let left: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("meritlist-tmp"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn csv_cells_that_a_spreadsheet_would_run_are_neutralised() {
    let dir = mini();
    let a = dir.read("applicants.csv");
    let a = a
        .replace("1001,Alvarez,Maria", "1001,=HYPERLINK(\"http://x\"),Maria")
        .replace("1003,Chen,Wei", "1003,@SUM(A1),+Wei")
        .replace("1005,Evans,Thomas", "1005,-Evans,Thomas");
    dir.write("applicants.csv", &a);
    dir.score().ok();
    let list = dir.read("out/eligibility-list.csv");
    assert!(
        list.contains("1,1001,\"'=HYPERLINK(\"\"http://x\"\")\",Maria"),
        "{list}"
    );
    let ne = dir.read("out/not-eligible.csv");
    assert!(ne.contains("1003,'@SUM(A1),'+Wei,disqualified"), "{ne}");
    assert!(ne.contains("1005,'-Evans,Thomas"), "{ne}");
    // A component's name from exam.toml heads a column of scores.csv.
    let exam = dir
        .read("exam.toml")
        .replace("name = \"oral\"", "name = \"=oral\"");
    dir.write("exam.toml", &exam);
    std::fs::remove_dir_all(dir.path("out")).unwrap();
    let header = dir.run(&["score", "exam.toml", "-o", "out"]);
    header.ok();
    let scores = dir.read("out/scores.csv");
    assert!(
        scores.lines().next().unwrap().contains(",'=oral,"),
        "{scores}"
    );
    // The list of record keeps the names exactly as given.
    assert!(dir
        .read("out/result.json")
        .contains("\"last_name\":\"=HYPERLINK(\\\"http://x\\\")\""));
}

#[test]
fn inputs_are_never_modified() {
    let dir = mini();
    let before = snapshot(&dir, ".");
    dir.score().ok();
    dir.run(&CERTIFY).ok();
    let after: Vec<_> = snapshot(&dir, ".")
        .into_iter()
        .filter(|(n, _)| !n.starts_with("out/") && !n.starts_with("cert/"))
        .collect();
    assert_eq!(before, after);
}

/// An input where an output goes (`-o .` beside a vendor's `scores.csv`,
/// or inside a `notices/` folder there) is refused, even with `--force`:
/// writing the list would have replaced it (ordinance, Secretary).
#[test]
fn an_output_never_replaces_an_input() {
    let dir = mini();
    std::fs::rename(dir.path("written.csv"), dir.path("scores.csv")).unwrap();
    std::fs::create_dir(dir.path("notices")).unwrap();
    std::fs::rename(dir.path("oral.csv"), dir.path("notices/oral.csv")).unwrap();
    std::fs::create_dir(dir.path(".notices.meritlist-tmp")).unwrap();
    std::fs::rename(
        dir.path("agility.csv"),
        dir.path(".notices.meritlist-tmp/agility.csv"),
    )
    .unwrap();
    let exam = dir
        .read("exam.toml")
        .replace("\"written.csv\"", "\"scores.csv\"")
        .replace("\"oral.csv\"", "\"notices/oral.csv\"")
        .replace("\"agility.csv\"", "\".notices.meritlist-tmp/agility.csv\"");
    dir.write("exam.toml", &exam);
    let before = snapshot(&dir, ".");
    for force in [false, true] {
        let mut args = vec!["score", "exam.toml", "-o", "."];
        if force {
            args.push("--force");
        }
        let run = dir.run(&args);
        let err = run.invalid();
        assert!(
            err.contains(
                "error: the score file scores.csv would be replaced by the list's scores.csv; \
                 the score file notices/oral.csv would be replaced by the list's notices/ folder; \
                 the score file .notices.meritlist-tmp/agility.csv would be replaced by the list's notices/ folder, \
                 in .; meritlist never modifies its inputs"
            ),
            "{err}"
        );
        assert_eq!(before, snapshot(&dir, "."), "force: {force}");
    }
}

/// A `notices/` folder left in OUTDIR without its list is replaced whole
/// by `score`: like the list's files, only with `--force`.
#[test]
fn a_notices_folder_in_outdir_needs_force() {
    let dir = mini();
    dir.write("out/notices/keep.txt", "a letter the Secretary keeps");
    let err = dir.score().invalid().to_string();
    assert!(err.contains("already holds a list (notices)"), "{err}");
    assert_eq!(
        dir.read("out/notices/keep.txt"),
        "a letter the Secretary keeps"
    );
    dir.run(&["score", "exam.toml", "-o", "out", "--force"])
        .ok();
    assert!(!dir.exists("out/notices/keep.txt"));
}

/// A text in exam.toml is printed in cells, page headers and the
/// certification: one longer than 1,000 characters (a paste gone wrong) is
/// refused with the key, not found out by a workbook part-way through (a
/// 36,000-character secretary once failed `score` with exit 1 while it
/// wrote the workbook).
#[test]
fn an_exam_file_text_longer_than_1000_characters_is_refused() {
    let dir = mini();
    let long = "Saint Louis ".repeat(3_000);
    let exam = format!(
        "{}\n[board]\ncity = \"{long}\"\nsecretary = \"{long}\"\n",
        dir.read("exam.toml")
    );
    dir.write("exam.toml", &exam);
    let err = dir.score().invalid().to_string();
    assert!(!dir.path("out").exists());
    for key in ["board.city", "board.secretary"] {
        assert!(
            err.contains(&format!(
                "key `{key}`: expected a text of at most 1000 characters, found one of 36000"
            )),
            "{err}"
        );
    }
}

/// `record` appends to the journal in place: a link at `journal.jsonl`
/// would put the Board's record of appointments wherever it points, so it
/// is refused and the file it points to is left alone.
#[test]
fn a_link_at_the_journal_is_refused() {
    let dir = mini();
    dir.score().ok();
    let victim = dir.path("victim.txt");
    std::fs::write(&victim, "not the journal").unwrap();
    std::os::unix::fs::symlink(&victim, dir.path("out/journal.jsonl")).unwrap();
    let run = dir.run(&DECLINE);
    let err = run.invalid().to_string();
    assert!(
        err.contains("journal.jsonl is a link to another file"),
        "{err}"
    );
    assert_eq!(dir.read("victim.txt"), "not the journal");
}

/// Two commands never interleave on one list's folder: while another
/// process holds the folder (as a `score` does while it puts its list in
/// place), a second `score --force` into it is refused at once with exit 2
/// and writes nothing, and a `record` waits, then appends to the list it
/// then finds. Nothing is left in the folder by the lock.
#[cfg(unix)]
#[test]
fn a_second_command_on_a_folder_in_use_is_refused_or_waits() {
    let dir = mini();
    dir.score().ok();
    let before = snapshot(&dir, "out");
    let folder = std::fs::File::open(dir.path("out")).unwrap();
    folder.lock().unwrap();

    let run = dir.run(&["score", "exam.toml", "-o", "out", "--force"]);
    let err = run.invalid().to_string();
    assert!(
        err.contains("is in use by another meritlist command"),
        "{err}"
    );
    assert_eq!(snapshot(&dir, "out"), before, "nothing written");

    let mut record = std::process::Command::new(env!("CARGO_BIN_EXE_meritlist"))
        .args(DECLINE)
        .current_dir(dir.tmp.path())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(500));
    assert!(
        record.try_wait().unwrap().is_none(),
        "record ran while the folder was held"
    );
    assert!(!dir.exists("out/journal.jsonl"));
    folder.unlock().unwrap();
    assert!(record.wait().unwrap().success());
    assert!(dir.read("out/journal.jsonl").contains("\"declined\""));
    let names: Vec<String> = std::fs::read_dir(dir.path("out"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(names.is_empty(), "{names:?}");
}

#[test]
fn a_second_certification_into_a_folder_being_written_is_refused() {
    let dir = mini();
    dir.score().ok();
    dir.run(&CERTIFY).ok();
    let before = snapshot(&dir, "cert");
    let folder = std::fs::File::open(dir.path("cert")).unwrap();
    folder.lock().unwrap();

    let mut args = CERTIFY.to_vec();
    args.push("--force");
    let run = dir.run(&args);
    let err = run.invalid().to_string();
    assert!(
        err.contains("is in use by another meritlist command"),
        "{err}"
    );
    assert_eq!(snapshot(&dir, "cert"), before, "nothing written");
    folder.unlock().unwrap();
    dir.run(&args).ok();
}
