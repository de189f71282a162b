//! `meritlist init DIR`: scaffolds an exam folder (SPEC section 1).
//!
//! Writes an `exam.toml` holding every key with the ordinance defaults, each
//! line commented with what it means and the clause it comes from (Duties C:
//! the exam file is the Board's adopted rules), and four input templates on
//! the Board's forms (Application): `applicants.xlsx`, `scores.xlsx`,
//! `determinations.xlsx` and `clearances.xlsx`. Each template holds the
//! header row with the canonical names, a note on every header saying what
//! the field is and what it accepts, dropdown validation for the coded
//! columns (yes/no, degree, delivery, ground, pass/fail), date validation on
//! the date columns, number ranges on the score columns, a frozen header row
//! and the Form of papers print setup (Letter paper, 1-inch margins, one page
//! wide, header row repeated). A second sheet, `Column guide`, prints the
//! same explanations, since notes do not print.
//!
//! `init` never overwrites: if any file it would write already exists it
//! refuses and writes nothing. The output is byte-identical for the same
//! options (no clock is read; the workbooks' creation date is the list date).

use crate::error::{Error, Result};
use crate::exam::{ListKind, Rank, DEFAULT_AGENCIES};
use crate::fields::normalise_header;
use chrono::{Datelike, Days, NaiveDate};
use rust_xlsxwriter::{
    DataValidation, DataValidationErrorStyle, DataValidationRule, DocProperties, ExcelDateTime,
    Format, FormatAlign, FormatBorder, Formula, Note, Workbook, Worksheet, XlsxError,
};
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The files `init` writes, in the order written.
pub const FILES: [&str; 5] = [
    "exam.toml",
    "applicants.xlsx",
    "scores.xlsx",
    "determinations.xlsx",
    "clearances.xlsx",
];

/// Placeholder dates written when none are given. They are deliberately in
/// the past: an exam file left unedited disqualifies every real application
/// as late and yields an already expired list, so it cannot slip through
/// unnoticed, where a plausible date could.
pub const PLACEHOLDER_DEADLINE: (i32, u32, u32) = (2000, 1, 31);
pub const PLACEHOLDER_ESTABLISHED: (i32, u32, u32) = (2000, 3, 31);

/// What kind of exam folder to make.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InitOptions {
    /// The rank on the ladder; above Sergeant the list is `qualified`
    /// (Examinations B), at Sergeant and below `ranked` (Examinations C).
    pub rank: Rank,
    /// A promotional exam (`kind = "promotional"`): adds the scored
    /// `performance` component (Examinations A: performance ratings for
    /// promotions) and drops physical agility.
    pub promotional: bool,
    /// A sworn position: the citizenship rule applies and the applicants
    /// template has a `us_citizen` column (Citizenship). `false` for a
    /// civilian position.
    pub sworn: bool,
    /// `[exam] id`; default from the rank and the deadline's year
    /// (`PO-2026-01`), or `PO-YYYY-01` without a deadline.
    pub id: Option<String>,
    /// `[exam] position`; default from the rank (`Police Officer`), or
    /// `Civilian Position` when not sworn.
    pub position: Option<String>,
    /// `[exam] application_deadline`; default [`PLACEHOLDER_DEADLINE`],
    /// marked in the file as a placeholder to edit.
    pub application_deadline: Option<NaiveDate>,
    /// `[exam] list_established`; default [`PLACEHOLDER_ESTABLISHED`] (or the
    /// deadline when a later deadline is given), marked as a placeholder.
    pub list_established: Option<NaiveDate>,
    /// `[requirements] min_age` (Disqualification A.1); when set, the
    /// applicants template's `date_of_birth` is required. Default: none (the
    /// key is written commented out).
    pub min_age: Option<u32>,
    /// `--example`: writes one example row in `applicants.xlsx`,
    /// `scores.xlsx` and `clearances.xlsx` (an eligible applicant, so that
    /// `check` and `score` have something to show); `determinations.xlsx`
    /// stays empty, since any finding there disqualifies. The row is marked
    /// to be deleted before real use.
    pub example: bool,
}

impl Default for InitOptions {
    /// The Police Officer entrance examination.
    fn default() -> Self {
        InitOptions {
            rank: Rank::Officer,
            promotional: false,
            sworn: true,
            id: None,
            position: None,
            application_deadline: None,
            list_established: None,
            min_age: None,
            example: false,
        }
    }
}

/// Creates the exam folder; returns the files written (relative names).
/// Refuses (Error::Usage, nothing written) if any target file already exists.
pub fn init(dir: &Path, opts: &InitOptions) -> Result<Vec<String>> {
    let plan = Plan::new(opts)?;
    if dir.exists() && !dir.is_dir() {
        return Err(Error::Usage(format!(
            "{} exists and is not a folder; name a folder for the new exam",
            dir.display()
        )));
    }
    refuse_existing(dir)?;

    let toml = exam_toml(&plan);
    // The generated file must load with the real loader: a failure here is
    // a bug in init, never the user's doing.
    crate::exam::parse(&dir.join("exam.toml"), toml.as_bytes()).map_err(|e| {
        Error::Other(format!(
            "internal error: the generated exam.toml does not load:\n{e}"
        ))
    })?;
    let built = (|| -> std::result::Result<Vec<Vec<u8>>, XlsxError> {
        Ok(vec![
            workbook(&plan, &applicants_template(&plan))?,
            workbook(&plan, &scores_template(&plan))?,
            workbook(&plan, &determinations_template(&plan))?,
            workbook(&plan, &clearances_template(&plan))?,
        ])
    })()
    .map_err(|e| Error::Other(format!("internal error building a template: {e}")))?;
    let mut files: Vec<(&str, Vec<u8>)> = vec![(FILES[0], toml.into_bytes())];
    files.extend(FILES[1..].iter().copied().zip(built));

    fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let mut written: Vec<PathBuf> = Vec::new();
    for (name, bytes) in &files {
        let path = dir.join(name);
        // create_new: never replaces a file, even one that appeared since
        // the check above.
        let mut created = false;
        let result = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .and_then(|mut f| {
                created = true;
                f.write_all(bytes)?;
                f.sync_all()
            });
        if let Err(e) = result {
            // Only what this call created is removed: a half-written file
            // and the ones before it.
            if created {
                let _ = fs::remove_file(&path);
            }
            for p in &written {
                let _ = fs::remove_file(p);
            }
            return Err(if e.kind() == std::io::ErrorKind::AlreadyExists {
                Error::Usage(format!(
                    "{} appeared while the exam folder was being made; init never overwrites a file, and wrote nothing",
                    path.display()
                ))
            } else {
                Error::io(path, e)
            });
        }
        written.push(path);
    }
    Ok(files.iter().map(|(n, _)| n.to_string()).collect())
}

fn refuse_existing(dir: &Path) -> Result<()> {
    let existing: Vec<&str> = FILES
        .iter()
        .copied()
        .filter(|f| dir.join(f).symlink_metadata().is_ok())
        .collect();
    if existing.is_empty() {
        return Ok(());
    }
    Err(Error::Usage(format!(
        "{} already holds {}; init never overwrites a file and wrote nothing: use a new folder, or move {} away first",
        dir.display(),
        existing.join(", "),
        if existing.len() == 1 { "it" } else { "them" }
    )))
}

// ---------------------------------------------------------------------------
// The plan: the options resolved.
// ---------------------------------------------------------------------------

/// One examination component as `init` writes it.
#[derive(Debug, Clone)]
struct Comp {
    name: &'static str,
    /// `Some((weight, pass mark))` for a scored component.
    scored: Option<(&'static str, Option<&'static str>)>,
    /// Rater columns; empty = the component's name.
    raters: &'static [&'static str],
    /// What the component is, for comments and notes.
    what: &'static str,
    /// The example row's value(s).
    example: &'static [&'static str],
}

impl Comp {
    fn columns(&self) -> Vec<&'static str> {
        if self.raters.is_empty() {
            vec![self.name]
        } else {
            self.raters.to_vec()
        }
    }
}

#[derive(Debug, Clone)]
struct Plan {
    rank: Rank,
    promotional: bool,
    sworn: bool,
    list: ListKind,
    id: String,
    id_placeholder: bool,
    position: String,
    /// A civilian position's title cannot be guessed from the rank.
    position_placeholder: bool,
    deadline: NaiveDate,
    deadline_placeholder: bool,
    established: NaiveDate,
    established_placeholder: bool,
    min_age: Option<u32>,
    example: bool,
    components: Vec<Comp>,
}

fn ymd((y, m, d): (i32, u32, u32)) -> NaiveDate {
    // Cannot fail: called only with constant, valid dates: PLACEHOLDER_DEADLINE,
    // PLACEHOLDER_ESTABLISHED, 1900-01-01 and 2099-12-31.
    NaiveDate::from_ymd_opt(y, m, d).expect("a valid constant date")
}

impl Plan {
    fn new(o: &InitOptions) -> Result<Plan> {
        let usage = |m: String| Err(Error::Usage(m));
        if let Some(id) = &o.id {
            if id.trim().is_empty() {
                return usage("expected an exam id such as PO-2026-01, found empty text".into());
            }
        }
        if let Some(p) = &o.position {
            if p.trim().is_empty() {
                return usage(
                    "expected a position such as \"Police Officer\", found empty text".into(),
                );
            }
        }
        if let Some(a) = o.min_age {
            if !(1..=99).contains(&a) {
                return usage(format!(
                    "expected a minimum age from 1 to 99 years, found {a}"
                ));
            }
        }
        let deadline = o
            .application_deadline
            .unwrap_or_else(|| ymd(PLACEHOLDER_DEADLINE));
        let established = match (o.list_established, o.application_deadline) {
            (Some(e), _) => e,
            (None, Some(d)) if d > ymd(PLACEHOLDER_ESTABLISHED) => d,
            _ => ymd(PLACEHOLDER_ESTABLISHED),
        };
        if established < deadline {
            return usage(format!(
                "the list cannot be established ({established}) before the application deadline ({deadline})"
            ));
        }
        if deadline.year() < 1900 || established.year() > 9999 {
            return usage(format!(
                "expected dates from 1900 to 9999, found {deadline} and {established}"
            ));
        }
        let (abbr, title) = match o.rank {
            Rank::Officer => ("PO", "Police Officer"),
            Rank::Corporal => ("CPL", "Police Corporal"),
            Rank::Sergeant => ("SGT", "Police Sergeant"),
            Rank::Lieutenant => ("LT", "Police Lieutenant"),
            Rank::Captain => ("CPT", "Police Captain"),
            Rank::Major => ("MAJ", "Police Major"),
            Rank::DeputyChief => ("DC", "Deputy Chief of Police"),
        };
        let (abbr, title) = if o.sworn {
            (abbr, title)
        } else {
            ("CIV", "Civilian Position")
        };
        let id = match &o.id {
            Some(id) => id.trim().to_string(),
            None => match o.application_deadline {
                Some(d) => format!("{abbr}-{}-01", d.year()),
                None => format!("{abbr}-YYYY-01"),
            },
        };
        let components = if o.promotional {
            vec![WRITTEN_PROMO, ORAL_PROMO, PERFORMANCE]
        } else {
            vec![WRITTEN, ORAL, AGILITY]
        };
        Ok(Plan {
            rank: o.rank,
            promotional: o.promotional,
            sworn: o.sworn,
            list: o.rank.default_list(),
            id_placeholder: o.id.is_none(),
            position_placeholder: o.position.is_none() && !o.sworn,
            id,
            position: o
                .position
                .as_ref()
                .map(|p| p.trim().to_string())
                .unwrap_or_else(|| title.to_string()),
            deadline,
            deadline_placeholder: o.application_deadline.is_none(),
            established,
            established_placeholder: o.list_established.is_none(),
            min_age: o.min_age,
            example: o.example,
            components,
        })
    }

    fn ranked(&self) -> bool {
        self.list == ListKind::Ranked
    }
}

// The components of Examinations A that the templates carry. Weights and pass
// marks are the Board's rules (Duties C); the ordinance sets none. The
// entrance set is SPEC section 2's example.
const WRITTEN: Comp = Comp {
    name: "written",
    scored: Some(("0.6", Some("70"))),
    raters: &[],
    what: "the written examination",
    example: &["86"],
};
const ORAL: Comp = Comp {
    name: "oral",
    scored: Some(("0.4", Some("70"))),
    raters: &["oral_r1", "oral_r2", "oral_r3"],
    what: "the oral examination",
    example: &["84", "80", "82"],
};
const AGILITY: Comp = Comp {
    name: "agility",
    scored: None,
    raters: &[],
    what: "the physical agility test",
    example: &["pass"],
};
const WRITTEN_PROMO: Comp = Comp {
    scored: Some(("0.4", Some("70"))),
    ..WRITTEN
};
const ORAL_PROMO: Comp = Comp {
    scored: Some(("0.4", Some("70"))),
    ..ORAL
};
const PERFORMANCE: Comp = Comp {
    name: "performance",
    scored: Some(("0.2", None)),
    raters: &[],
    what: "the performance rating",
    example: &["90"],
};

// ---------------------------------------------------------------------------
// exam.toml
// ---------------------------------------------------------------------------

/// A TOML basic string.
fn q(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for ch in s.chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Builds the file line by line, trailing comments aligned.
struct Toml(String);

const COMMENT_COLUMN: usize = 36;

impl Toml {
    /// A line of TOML with its comment.
    fn line(&mut self, code: &str, comment: &str) {
        let pad = COMMENT_COLUMN.saturating_sub(code.chars().count()).max(1);
        self.0.push_str(code);
        self.0.push_str(&" ".repeat(pad));
        self.0.push_str("# ");
        self.0.push_str(comment);
        self.0.push('\n');
    }

    /// A comment paragraph, wrapped at 78 columns.
    fn para(&mut self, text: &str) {
        let mut line = String::from("#");
        for word in text.split_whitespace() {
            if line.len() > 1 && line.chars().count() + 1 + word.chars().count() > 78 {
                self.0.push_str(&line);
                self.0.push('\n');
                line = String::from("#");
            }
            line.push(' ');
            line.push_str(word);
        }
        self.0.push_str(&line);
        self.0.push('\n');
    }

    fn blank(&mut self) {
        self.0.push('\n');
    }
}

/// The `exam.toml` text `init` writes for these options.
pub fn exam_toml_for(opts: &InitOptions) -> Result<String> {
    Ok(exam_toml(&Plan::new(opts)?))
}

fn exam_toml(p: &Plan) -> String {
    let mut t = Toml(String::new());
    let edit = |placeholder: bool, s: &str| {
        if placeholder {
            format!("EDIT: {s}")
        } else {
            s.to_string()
        }
    };
    t.para(&format!(
        "{} {} examination: the Police Personnel Board's adopted rules for this examination (Duties C). Written by `meritlist init` with the ordinance defaults. Change the lines marked EDIT, fill in the four spreadsheets (each header has a note saying what it takes), then run `meritlist check exam.toml`. Numbers are read exactly as written (0.6 is 0.6); dates are written YYYY-MM-DD, without quotes.",
        p.position,
        if p.promotional { "promotional" } else { "entrance" }
    ));
    t.blank();

    t.line("[exam]", "the examination (Duties B)");
    t.line(
        &format!("id = {}", q(&p.id)),
        &edit(p.id_placeholder, "the exam's id, printed on every output"),
    );
    t.line(
        &format!("position = {}", q(&p.position)),
        &edit(
            p.position_placeholder,
            "the position, as printed on documents",
        ),
    );
    t.line(
        &format!("rank = {}", q(p.rank.as_str())),
        "officer corporal sergeant lieutenant captain major deputy_chief",
    );
    t.line(
        &format!(
            "kind = {}",
            q(if p.promotional {
                "promotional"
            } else {
                "entrance"
            })
        ),
        "\"entrance\" or \"promotional\" (Examinations A)",
    );
    t.line(
        &format!("sworn = {}", p.sworn),
        if p.sworn {
            "sworn: applicants must be U.S. citizens (Citizenship)"
        } else {
            "civilian: no citizenship rule (Citizenship)"
        },
    );
    t.line(
        &format!("list = {}", q(p.list.as_str())),
        if p.ranked() {
            "in order of merit: Sergeant and below (Examinations C)"
        } else {
            "qualified or not: above Sergeant (Examinations B)"
        },
    );
    if p.deadline_placeholder || p.established_placeholder {
        t.para("EDIT the dates below: they are placeholders in the year 2000, so that a file left unedited cannot pass unnoticed (every application would be late, the list long expired).");
    }
    t.line(
        &format!("application_deadline = {}", p.deadline),
        &edit(
            p.deadline_placeholder,
            "filed later = late (Disqualification A.7, Filing of papers)",
        ),
    );
    t.line(
        &format!("list_established = {}", p.established),
        &edit(
            p.established_placeholder,
            "the date on the list and its notices (Duties B)",
        ),
    );
    t.line(
        "list_valid_months = 24",
        "months the list stays current; 0 = no expiry (Board rule)",
    );
    t.line(
        "decimals = 2",
        "decimal places of every published score and point",
    );
    t.blank();

    t.line(
        "[inputs]",
        "files, relative to this one; \"#Sheet\" names the sheet",
    );
    t.line(
        "applicants = \"applicants.xlsx#Applicants\"",
        "one row per applicant (Application)",
    );
    t.line(
        "scores = [\"scores.xlsx#Scores\"]",
        "exam results (Examinations A); more files may be listed",
    );
    t.line(
        "determinations = \"determinations.xlsx#Determinations\"",
        "the Board's findings (Disqualification A)",
    );
    t.line(
        "clearances = \"clearances.xlsx#Clearances\"",
        "fingerprint and clearance dates (Background)",
    );
    t.line(
        "date_order = \"mdy\"",
        "slash dates: \"mdy\" 9/30/2026 or \"dmy\" 30/9/2026",
    );
    t.blank();
    t.line(
        "[inputs.columns]",
        "aliases: canonical name = the header another file uses",
    );
    t.line(
        "# applicant_id = \"Candidate Number\"",
        "e.g. a test vendor's ID header",
    );
    t.blank();

    t.para("The examination components (Examinations A). The weights of the scored components must add up to exactly 1; weights and pass marks are the Board's rules (Duties C). Each component needs its column(s) in scores.xlsx. The other parts of Examinations A (psychological evaluation, drug screen, credit check, background investigation) can be added as pass/fail components: a [[components]] table with name = \"psychological\" and type = \"pass_fail\", and a column psychological in scores.xlsx.");
    for c in &p.components {
        t.blank();
        t.line("[[components]]", &format!("{} (Examinations A)", c.what));
        t.line(
            &format!("name = {}", q(c.name)),
            &if c.raters.is_empty() {
                format!("the column {} in scores.xlsx", c.name)
            } else {
                "its name in lists and reasons".to_string()
            },
        );
        match c.scored {
            Some((weight, pass_mark)) => {
                t.line("type = \"scored\"", "\"scored\" or \"pass_fail\"");
                t.line(
                    &format!("weight = {weight}"),
                    "share of the raw score; scored weights sum to 1",
                );
                t.line(
                    "max = 100",
                    if c.name == "performance" {
                        "top of the rating scale (5 for 1-5); scaled to 0..100"
                    } else {
                        "raw maximum (150 for 150 items); scaled to 0..100"
                    },
                );
                if !c.raters.is_empty() {
                    let cols: Vec<String> = c.raters.iter().map(|r| q(r)).collect();
                    t.line(
                        &format!("columns = [{}]", cols.join(", ")),
                        "one per rater; the score is their mean",
                    );
                }
                match pass_mark {
                    Some(m) => t.line(
                        &format!("pass_mark = {m}"),
                        "lowest passing scaled score; delete for none",
                    ),
                    None => t.line(
                        "# pass_mark = 70",
                        "none: the rating counts but fails no one",
                    ),
                }
            }
            None => t.line(
                "type = \"pass_fail\"",
                "pass or fail; a fail fails the examination",
            ),
        }
    }
    t.blank();

    t.line(
        "[preference]",
        if p.ranked() {
            "points for eligible applicants (Examinations D)"
        } else {
            "no points on a qualified list (Examinations B, D)"
        },
    );
    t.line(
        "certified_officer = 3",
        "certified officer, Ch. 590 RSMo (Examinations D.1)",
    );
    t.para("A doctorate earns the master's points: a higher degree than the ordinance names, and only the highest degree counts.");
    t.line(
        "degree = { associate = 1, bachelor = 2, master = 3, doctorate = 3 }",
        "Examinations D.2, D.3",
    );
    t.line(
        "apply_to = \"passing\"",
        "\"passing\" (eligible applicants) or \"none\"",
    );
    t.blank();

    t.line(
        "[requirements]",
        "preliminary requirements (Disqualification A.1)",
    );
    match p.min_age {
        Some(a) => t.line(
            &format!("min_age = {a}"),
            "age on the deadline; needs date_of_birth",
        ),
        None => t.line("# min_age = 21", "age on the deadline; needs date_of_birth"),
    }
    t.blank();

    t.line("[board]", "printed on notices and lists");
    t.line("name = \"Police Personnel Board\"", "the letterhead");
    t.line(
        "city = \"\"",
        "EDIT: e.g. \"City of Chesterfield, Missouri\"",
    );
    t.line(
        "address = \"\"",
        "EDIT: where papers are filed (Filing of papers)",
    );
    t.line(
        "secretary = \"\"",
        "EDIT: under the signature line (Secretary)",
    );
    t.blank();

    t.line(
        "[notices]",
        "notices to disqualified applicants (Notice of disqualification)",
    );
    t.line(
        "hearing_request_days = 10",
        "days after the list date to ask to be heard (Board rule)",
    );
    t.blank();

    t.line(
        "[ranking]",
        if p.ranked() {
            "ties in final score: Board rules (the ordinance sets none)"
        } else {
            "Board rules; no ranks on a qualified list (Examinations B)"
        },
    );
    t.line(
        "tie_break = [\"raw_score\", \"filing_date\", \"lottery\"]",
        "filing date: Filing of papers; lottery last",
    );
    // Left to its default (the exam id as finally edited), so that a seed
    // copied from a placeholder id cannot stay behind.
    t.line(
        &format!(
            "# lottery_seed = {}",
            q(&format!("Board meeting {}", p.established))
        ),
        "default: the exam id; with the seed anyone can re-draw",
    );
    t.blank();

    t.line(
        "[certification]",
        "names certified to the Chief (Examinations C, Background)",
    );
    t.line(
        "window = \"min\"",
        "N vacancies: \"min\" N+2, \"max\" 3N, or a number (Examinations C)",
    );
    t.line(
        "clearance_max_age_days = 30",
        "older at certification = out of date (Background)",
    );
    t.line(
        "clearance_agencies = [",
        "(Background) a date column each in clearances.xlsx:",
    );
    for a in DEFAULT_AGENCIES {
        t.line(&format!("  {},", q(a)), &normalise_header(a));
    }
    t.0.push_str("]\n");
    t.0
}

// ---------------------------------------------------------------------------
// The templates.
// ---------------------------------------------------------------------------

/// What a column holds, which decides its validation and cell format.
#[derive(Debug, Clone, PartialEq)]
enum Kind {
    /// The applicant ID: text, unique in the sheet unless `repeats`.
    Id {
        repeats: bool,
    },
    Text,
    /// Text kept as typed (a ZIP code's leading zero).
    Code,
    Date,
    YesNo,
    Degree,
    Delivery,
    Ground,
    Score {
        max: u32,
    },
    PassFail,
}

/// A value in the example row.
#[derive(Debug, Clone)]
enum Ex {
    S(String),
    D(NaiveDate),
    Blank,
}

#[derive(Debug, Clone)]
struct Column {
    name: String,
    kind: Kind,
    /// Required / optional, in words.
    need: String,
    /// What the field means and what it does.
    meaning: String,
    /// The values accepted.
    values: String,
    clause: String,
    width: f64,
    example: Ex,
}

#[derive(Debug, Clone)]
struct Template {
    sheet: &'static str,
    /// The file name, for titles.
    file: &'static str,
    /// What the file is, for the page header and the guide.
    title: &'static str,
    about: String,
    columns: Vec<Column>,
    /// Columns kept in view when scrolling right (the ID and names).
    frozen_cols: u16,
    landscape: bool,
}

fn col(
    name: &str,
    kind: Kind,
    need: &str,
    meaning: impl Into<String>,
    values: impl Into<String>,
    clause: &str,
    example: Ex,
) -> Column {
    let width = match &kind {
        Kind::Date => 11.0,
        Kind::YesNo | Kind::PassFail => 7.0,
        Kind::Score { .. } => 8.0,
        Kind::Ground => 8.0,
        Kind::Degree => 11.0,
        Kind::Delivery => 10.0,
        Kind::Id { .. } => 13.0,
        Kind::Text | Kind::Code => 12.0,
    };
    Column {
        name: name.to_string(),
        // Never narrower than the bold 10-point header, so it is not cut
        // (a width unit is a digit of the 11-point default font).
        width: f64::max(width, (name.chars().count() as f64 * 0.9 + 1.5).ceil()),
        kind,
        need: need.to_string(),
        meaning: meaning.into(),
        values: values.into(),
        clause: clause.to_string(),
        example,
    }
}

const YES_NO_VALUES: &str =
    "yes or no from the list (meritlist also reads y/n, true/false, t/f, 1/0 and x for yes).";
const DATE_VALUES: &str =
    "A date: type it as 2026-09-30 (or 9/30/2026 as exam.toml's date_order says).";

fn days_before(d: NaiveDate, n: u64) -> NaiveDate {
    d.checked_sub_days(Days::new(n)).unwrap_or(d)
}

fn years_before(d: NaiveDate, n: i32) -> NaiveDate {
    NaiveDate::from_ymd_opt(d.year() - n, d.month(), d.day().min(28)).unwrap_or(d)
}

fn id_column(p: &Plan, repeats: bool, meaning: &str) -> Column {
    // No example finding: any row in determinations.xlsx disqualifies.
    let example = if repeats { Ex::Blank } else { ex_s(p, "1001") };
    col(
        "applicant_id",
        Kind::Id { repeats },
        "required",
        meaning,
        if repeats {
            "Text; the ID as in applicants.xlsx. A number such as 1042 reads as 1042."
        } else {
            "Text, unique in this sheet (a repeated ID is refused); a number such as 1042 reads as 1042."
        },
        "Application",
        example,
    )
}

fn ex_s(p: &Plan, s: &str) -> Ex {
    if p.example {
        Ex::S(s.to_string())
    } else {
        Ex::Blank
    }
}

fn ex_d(p: &Plan, d: NaiveDate) -> Ex {
    if p.example {
        Ex::D(d)
    } else {
        Ex::Blank
    }
}

fn applicants_template(p: &Plan) -> Template {
    let points = if p.ranked() {
        ""
    } else {
        " No points are given on a qualified list (Examinations B)."
    };
    let mut cols = vec![
        id_column(
            p,
            false,
            "The applicant's ID, used in every file of this exam.",
        ),
        col(
            "last_name",
            Kind::Text,
            "required",
            "Family name, as on the application.",
            "Text.",
            "Application",
            ex_s(p, "Example"),
        ),
        col(
            "first_name",
            Kind::Text,
            "required",
            "Given name.",
            "Text.",
            "Application",
            ex_s(p, "Delete this row"),
        ),
        col(
            "address",
            Kind::Text,
            "optional",
            "Street address, for the written notice of disqualification.",
            "Text.",
            "Notice of disqualification",
            ex_s(p, "100 Main Street"),
        ),
        col(
            "city",
            Kind::Text,
            "optional",
            "City of the mailing address.",
            "Text.",
            "Notice of disqualification",
            ex_s(p, "Anytown"),
        ),
        col(
            "state",
            Kind::Code,
            "optional",
            "State of the mailing address.",
            "Two-letter code, e.g. MO.",
            "Notice of disqualification",
            ex_s(p, "MO"),
        ),
        col(
            "zip",
            Kind::Code,
            "optional",
            "ZIP code of the mailing address.",
            "Text (a leading zero is kept).",
            "Notice of disqualification",
            ex_s(p, "63000"),
        ),
        col(
            "delivery",
            Kind::Delivery,
            "optional (blank = personal)",
            "How the application was filed. Its filing date is the postmark date when mailed, and the date received otherwise.",
            "personal, mail, online or email from the list (meritlist also reads in person, hand delivered, by mail, US mail, USPS, postal; any case). Online and email count as personal.",
            "Filing of papers",
            ex_s(p, "personal"),
        ),
        col(
            "received_on",
            Kind::Date,
            "required",
            "The date the Secretary received the application.",
            DATE_VALUES,
            "Filing of papers; Disqualification A.7",
            ex_d(p, days_before(p.deadline, 14)),
        ),
        col(
            "postmarked_on",
            Kind::Date,
            "required when delivery is mail",
            "The postmark date on the mailing envelope: the filing date of a mailed application.",
            DATE_VALUES,
            "Filing of papers; Disqualification A.7",
            Ex::Blank,
        ),
        col(
            "signed",
            Kind::YesNo,
            "required (a blank cell is an error, not \"no\")",
            "Whether the application form is signed. An unsigned application is disqualified.",
            YES_NO_VALUES,
            "Disqualification A.7; Form of papers C",
            ex_s(p, "yes"),
        ),
    ];
    if p.sworn {
        cols.push(col(
            "us_citizen",
            Kind::YesNo,
            "required (sworn position)",
            "Whether the applicant is a citizen of the United States. Sworn personnel must be; \"no\" disqualifies.",
            YES_NO_VALUES,
            "Citizenship",
            ex_s(p, "yes"),
        ));
    }
    cols.extend([
        col(
            "state_of_residence",
            Kind::Code,
            "optional",
            "The state the applicant lives in. Not a ground for disqualification: sworn personnel must live in Missouri during employment, so the certification notes an applicant living outside Missouri.",
            "Two-letter code or state name, e.g. MO or Missouri.",
            "Citizenship",
            ex_s(p, "MO"),
        ),
        col(
            "certified_officer",
            Kind::YesNo,
            "optional (blank = no)",
            format!("A certified police officer under Ch. 590 RSMo: 3 preference points.{points}"),
            YES_NO_VALUES,
            "Examinations D.1",
            ex_s(p, "no"),
        ),
        col(
            "highest_degree",
            Kind::Degree,
            "optional (blank = none)",
            format!("The highest degree earned. Only the highest counts (not cumulative): associate 1, bachelor 2, master 3, doctorate 3 preference points.{points}"),
            "none, associate, bachelor, master or doctorate from the list (meritlist also reads AA, AS, BA, BS, MA, MS, MBA, MPA, PhD, EdD, JD and the like).",
            "Examinations D.2, D.3",
            ex_s(p, "bachelor"),
        ),
        col(
            "internal",
            Kind::YesNo,
            "optional (blank = no)",
            "A current member of the Department. On a qualified list internal candidates are certified first.",
            YES_NO_VALUES,
            "Examinations B",
            ex_s(p, if p.promotional { "yes" } else { "no" }),
        ),
        col(
            "date_of_birth",
            Kind::Date,
            if p.min_age.is_some() {
                "required (exam.toml sets min_age)"
            } else {
                "optional; required when exam.toml sets min_age"
            },
            "Date of birth, to check the minimum age on the application deadline.",
            DATE_VALUES,
            "Disqualification A.1",
            ex_d(
                p,
                years_before(p.deadline, p.min_age.unwrap_or(21) as i32 + 9),
            ),
        ),
    ]);
    // Names and addresses are wider than the defaults.
    for c in &mut cols {
        c.width = match c.name.as_str() {
            "last_name" => 16.0,
            "first_name" => 15.0,
            "address" => 22.0,
            "city" => 14.0,
            "state" => 6.0,
            "zip" => 7.0,
            _ => c.width,
        };
    }
    Template {
        sheet: "Applicants",
        file: "applicants.xlsx",
        title: "Applicants",
        about: "One row per applicant, copied from the application forms filed with the Board Secretary (Application).".into(),
        columns: cols,
        frozen_cols: 3,
        landscape: true,
    }
}

fn scores_template(p: &Plan) -> Template {
    let mut cols = vec![
        id_column(p, false, "The applicant's ID, as in applicants.xlsx; one row per applicant."),
        col(
            "last_name",
            Kind::Text,
            "optional, for reading only",
            "For the person entering scores: meritlist takes names from applicants.xlsx and does not read this column.",
            "Text.",
            "",
            ex_s(p, "Example"),
        ),
        col(
            "first_name",
            Kind::Text,
            "optional, for reading only",
            "For the person entering scores: meritlist takes names from applicants.xlsx and does not read this column.",
            "Text.",
            "",
            ex_s(p, "Delete this row"),
        ),
    ];
    cols[1].width = 16.0;
    cols[2].width = 15.0;
    for c in &p.components {
        let n = c.raters.len();
        for (i, name) in c.columns().into_iter().enumerate() {
            let example = ex_s(p, c.example[i]);
            let column = match c.scored {
                Some((weight, pass_mark)) => {
                    let mut meaning = if n > 1 {
                        format!(
                            "Rater {}'s score on {}. The {} score is the mean of the {n} raters' scores.",
                            i + 1,
                            c.what,
                            c.name
                        )
                    } else {
                        if c.name == "performance" {
                            "The applicant's performance rating, as a number on the rating scale: for promotional appointments performance ratings shall also be considered.".to_string()
                        } else {
                            format!("The raw score on {}.", c.what)
                        }
                    };
                    meaning.push_str(&format!(
                        " Scaled to 0..100; weight {weight}{}.",
                        match pass_mark {
                            Some(m) => format!(", pass mark {m}"),
                            None => String::new(),
                        }
                    ));
                    let mut values = "A number from 0 to 100 (the component's max in exam.toml). Leave the cell blank, or type absent, when there is no result.".to_string();
                    if n > 1 {
                        values.push_str(" All raters or none: one rater blank while the others scored is an error.");
                    }
                    col(
                        name,
                        Kind::Score { max: 100 },
                        "column required; a blank cell = no result",
                        meaning,
                        values,
                        "Examinations A",
                        example,
                    )
                }
                None => col(
                    name,
                    Kind::PassFail,
                    "column required; a blank cell = no result",
                    format!("The result of {}; a fail fails the examination.", c.what),
                    "pass or fail from the list; absent or blank = no result (meritlist also reads p/f, yes/no).",
                    "Examinations A",
                    example,
                ),
            };
            cols.push(column);
        }
    }
    let names: Vec<&str> = p.components.iter().map(|c| c.name).collect();
    Template {
        sheet: "Scores",
        file: "scores.xlsx",
        title: "Scores",
        about: format!(
            "One row per applicant with the examination results ({}), as the components in exam.toml say (Examinations A).",
            names.join(", ")
        ),
        columns: cols,
        frozen_cols: 3,
        landscape: false,
    }
}

const GROUNDS: [&str; 9] = [
    "A1: lacking a preliminary requirement of the position",
    "A2: unable to perform the bona fide requirements, with no reasonable accommodation",
    "A3: conflicting interests (criminal background, business interests)",
    "A4: a false statement on the application",
    "A5: political pressure or bribery",
    "A6: dismissed for just cause or unsatisfactory service record",
    "A7: application late or unsigned, found on review",
    "A8: at the applicant's own request",
    "A9: an ample number of better qualified candidates",
];

fn determinations_template(p: &Plan) -> Template {
    let cols = vec![
        id_column(
            p,
            true,
            "The applicant the Board's finding is about. One row per finding; an applicant may have several.",
        ),
        col(
            "ground",
            Kind::Ground,
            "required",
            "The ground of Disqualification A the Board found. The applicant is disqualified and sent a notice.",
            format!(
                "A1 to A9 from the list (also DQ-A1 and the like):\n{}",
                GROUNDS.join("\n")
            ),
            "Disqualification A",
            Ex::Blank,
        ),
        col(
            "note",
            Kind::Text,
            "optional",
            "The Board's record of the finding, quoted in the notice of disqualification.",
            "Text.",
            "Notice of disqualification",
            Ex::Blank,
        ),
        col(
            "decided_on",
            Kind::Date,
            "optional",
            "The date the Board made the finding.",
            DATE_VALUES,
            "Secretary",
            Ex::Blank,
        ),
    ];
    let mut cols = cols;
    cols[2].width = 60.0;
    Template {
        sheet: "Determinations",
        file: "determinations.xlsx",
        title: "Board determinations",
        about: "The Board's findings of grounds for disqualification, one row per finding (Disqualification A). Leave it empty when there are none.".into(),
        columns: cols,
        frozen_cols: 1,
        landscape: false,
    }
}

fn clearances_template(p: &Plan) -> Template {
    let mut cols = vec![
        id_column(
            p,
            false,
            "The applicant's ID, as in applicants.xlsx; one row per applicant.",
        ),
        col(
            "fingerprinted_on",
            Kind::Date,
            "column required; a blank cell = not yet",
            "The date the Department fingerprinted the applicant.",
            DATE_VALUES,
            "Background",
            ex_d(p, days_before(p.established, 10)),
        ),
    ];
    for a in DEFAULT_AGENCIES {
        cols.push(col(
            &normalise_header(a),
            Kind::Date,
            "column required; a blank cell = not cleared",
            format!("The date {a} cleared the applicant. It counts at certification when at most 30 days old (clearance_max_age_days)."),
            DATE_VALUES,
            "Background",
            ex_d(p, days_before(p.established, 7)),
        ));
    }
    Template {
        sheet: "Clearances",
        file: "clearances.xlsx",
        title: "Background clearances",
        about: "Fingerprinting and clearance dates, one row per applicant, checked immediately prior to certification of appointment (Background).".into(),
        columns: cols,
        frozen_cols: 1,
        landscape: true,
    }
}

// ---------------------------------------------------------------------------
// Writing a template workbook.
// ---------------------------------------------------------------------------

/// The last row data validation covers (Excel's last row, zero-based).
const LAST_ROW: u32 = 1_048_575;

fn excel_date(d: NaiveDate) -> std::result::Result<ExcelDateTime, XlsxError> {
    ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)
}

/// Escapes text for an Excel page header or footer, where `&` starts a code.
fn hf(s: &str) -> String {
    s.replace('&', "&&")
}

/// The text of a header's note.
fn note_text(c: &Column) -> String {
    let mut s = format!("{} ({})\n{}\n{}", c.name, c.need, c.meaning, c.values);
    if !c.clause.is_empty() {
        s.push_str(&format!("\nOrdinance: {}", c.clause));
    }
    s
}

/// A note box tall enough for its text (Tahoma 8: about 50 characters a line
/// at 330 pixels, 12 pixels a line).
fn note(c: &Column) -> Note {
    let text = note_text(c);
    let lines: usize = text
        .lines()
        .map(|l| l.chars().count().div_ceil(50).max(1))
        .sum();
    Note::new(text)
        .set_author("meritlist")
        .add_author_prefix(false)
        .set_width(330)
        .set_height((lines as u32) * 12 + 14)
}

fn list_validation(
    items: &[&str],
    title: &str,
    message: &str,
    style: DataValidationErrorStyle,
) -> std::result::Result<DataValidation, XlsxError> {
    DataValidation::new()
        .allow_list_strings(items)?
        .set_input_title(title)?
        .set_input_message(message)?
        .set_error_title(title)?
        .set_error_message(message)
        .map(|v| v.set_error_style(style))
}

fn validation(c: &Column, letter: &str) -> std::result::Result<Option<DataValidation>, XlsxError> {
    use DataValidationErrorStyle::{Stop, Warning};
    Ok(Some(match &c.kind {
        Kind::YesNo => list_validation(&["yes", "no"], "yes or no", "Choose yes or no.", Stop)?,
        Kind::Degree => list_validation(
            &["none", "associate", "bachelor", "master", "doctorate"],
            "Highest degree",
            "Choose the highest degree earned: none, associate, bachelor, master or doctorate.",
            Stop,
        )?,
        Kind::Delivery => list_validation(
            &["personal", "mail", "online", "email"],
            "How it was filed",
            "Choose personal, mail, online or email. A mailed application is filed on its postmark date (give postmarked_on).",
            Stop,
        )?,
        Kind::Ground => list_validation(
            &["A1", "A2", "A3", "A4", "A5", "A6", "A7", "A8", "A9"],
            "Ground (Disqualification A)",
            "Choose the ground A1 to A9 of Disqualification A (see the note on the header).",
            Stop,
        )?,
        Kind::PassFail => list_validation(
            &["pass", "fail", "absent"],
            "pass or fail",
            "Choose pass or fail; absent (or blank) when there is no result.",
            Stop,
        )?,
        Kind::Date => DataValidation::new()
            .allow_date(DataValidationRule::Between(
                excel_date(ymd((1900, 1, 1)))?,
                excel_date(ymd((2099, 12, 31)))?,
            ))
            .set_input_title("Date")?
            .set_input_message("Type a date, e.g. 2026-09-30.")?
            .set_error_title("Not a date")?
            .set_error_message("Expected a date, e.g. 2026-09-30.")?,
        Kind::Score { max } => DataValidation::new()
            .allow_decimal_number(DataValidationRule::Between(0.0, f64::from(*max)))
            .set_input_title("Score")?
            .set_input_message(format!(
                "A number from 0 to {max}; blank (or absent) when there is no result."
            ))?
            .set_error_title("Score out of range")?
            .set_error_message(format!(
                "Expected a number from 0 to {max}. Keep this entry only if it is absent (no result)."
            ))?
            .set_error_style(Warning),
        Kind::Id { repeats: false } => DataValidation::new()
            .allow_custom(Formula::new(format!(
                "=COUNTIF(${letter}:${letter},{letter}2)=1"
            )))
            .set_error_title("Repeated applicant_id")?
            .set_error_message("This applicant_id is already in this sheet: one row per applicant.")?,
        Kind::Id { repeats: true } | Kind::Text | Kind::Code => return Ok(None),
    }))
}

fn workbook(p: &Plan, t: &Template) -> std::result::Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    wb.set_properties(
        &DocProperties::new()
            .set_title(format!("{} {} template: {}", p.id, p.position, t.title))
            .set_author("Police Personnel Board")
            .set_comment("Written by meritlist init; check with `meritlist check exam.toml`.")
            .set_creation_datetime(&excel_date(p.established)?),
    );
    let base = Format::new().set_font_size(10).set_align(FormatAlign::Top);
    let header = base
        .clone()
        .set_bold()
        .set_border_bottom(FormatBorder::Thin)
        .set_background_color(0xE7E6E6);
    let text = base.clone().set_num_format("@");
    let date = base
        .clone()
        .set_num_format("yyyy-mm-dd")
        .set_align(FormatAlign::Left);

    let ws = wb.add_worksheet();
    ws.set_name(t.sheet)?;
    ws.set_default_note_author("meritlist");
    for (i, c) in t.columns.iter().enumerate() {
        let ci = i as u16;
        let letter = crate::error::column_letters(i as u32);
        let cell = match c.kind {
            Kind::Date => &date,
            Kind::Id { .. } | Kind::Text | Kind::Code => &text,
            _ => &base,
        };
        ws.set_column_width(ci, c.width)?;
        ws.set_column_format(ci, cell)?;
        ws.write_string_with_format(0, ci, &c.name, &header)?;
        ws.insert_note(0, ci, &note(c))?;
        if let Some(v) = validation(c, &letter)? {
            ws.add_data_validation(1, ci, LAST_ROW, ci, &v)?;
        }
        // The example row has the column's own format, so that typing over
        // it instead of deleting it leaves nothing odd behind.
        let ex = cell;
        match &c.example {
            // A score is a number cell, as a rater's sheet would hold it.
            Ex::S(s) if matches!(c.kind, Kind::Score { .. }) => {
                // Cannot fail: only a scored component gets a Score column, and its example is
                // that component's `example` constant: "86", "84", "80", "82" or "90".
                let x: f64 = s.parse().expect("example scores are numbers");
                ws.write_number_with_format(1, ci, x, ex)?;
            }
            Ex::S(s) => {
                ws.write_string_with_format(1, ci, s, ex)?;
            }
            Ex::D(d) => {
                ws.write_date_with_format(1, ci, &excel_date(*d)?, ex)?;
            }
            Ex::Blank => {}
        }
    }
    ws.set_row_height(0, 16)?;
    page_setup(ws, p, t, t.landscape)?;
    ws.set_freeze_panes(1, t.frozen_cols)?;
    ws.set_print_gridlines(true);

    guide_sheet(wb.add_worksheet(), p, t, &base, &header)?;
    wb.save_to_buffer()
}

/// Letter paper, 1-inch margins, one page wide, header row repeated on every
/// page (Form of papers B); the exam in the page header, "Page N of M" below.
fn page_setup(
    ws: &mut Worksheet,
    p: &Plan,
    t: &Template,
    landscape: bool,
) -> std::result::Result<(), XlsxError> {
    ws.set_paper_size(1); // Letter, 8½ × 11 in (Form of papers B)
    ws.set_margins(1.0, 1.0, 1.0, 1.0, 0.5, 0.5);
    if landscape {
        ws.set_landscape();
    } else {
        ws.set_portrait();
    }
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(0, 0)?;
    ws.set_header(format!(
        "&L&\"-,Bold\"{} — {}&R{}",
        hf(&p.position),
        hf(t.title),
        hf(&p.id)
    ));
    ws.set_footer(format!(
        "&L{}&CPage &P of &N&R{}",
        hf(t.file),
        hf("Police Personnel Board")
    ));
    Ok(())
}

/// Lines a wrapped cell of `width` (character units) needs for `text` at
/// 10 points: a greedy word wrap, erring on the side of one line too many
/// so that nothing is cut off when printed.
fn wrapped_lines(text: &str, width: f64) -> u32 {
    let per_line = (width * 1.2).floor().max(1.0) as usize;
    let mut lines = 0;
    for para in text.split('\n') {
        let mut len = 0usize;
        lines += 1;
        for word in para.split_whitespace() {
            let w = word.chars().count();
            if len == 0 {
                len = w;
            } else if len + 1 + w <= per_line {
                len += 1 + w;
            } else {
                lines += 1;
                len = w;
            }
            while len > per_line {
                lines += 1;
                len -= per_line;
            }
        }
    }
    lines
}

/// Row height in points for a row of wrapped 10-point text.
fn row_height(lines: u32) -> f64 {
    f64::from(lines) * 12.75 + 2.0
}

/// The `Column guide` sheet: every column's note, printable (notes are not
/// printed). Never read by meritlist: exam.toml names the data sheet.
fn guide_sheet(
    ws: &mut Worksheet,
    p: &Plan,
    t: &Template,
    base: &Format,
    header: &Format,
) -> std::result::Result<(), XlsxError> {
    ws.set_name("Column guide")?;
    let wrap = base.clone().set_text_wrap();
    let bold = wrap.clone().set_bold();
    let title = base.clone().set_bold().set_font_size(12);
    // The names column fits the longest name; a long one (the clearance
    // agencies) turns the page to landscape to keep the text column wide.
    let longest = t
        .columns
        .iter()
        .map(|c| c.name.chars().count())
        .max()
        .unwrap_or(0);
    let first = f64::max(16.0, (longest as f64 * 0.95 + 2.0).ceil());
    let landscape = first > 20.0;
    let total = if landscape { 122.0 } else { 93.0 };
    let widths = [first, 15.0, total - first - 30.0, 15.0];
    ws.merge_range(
        0,
        0,
        0,
        3,
        &format!("{}: {} — {} {}", t.file, t.title, p.id, p.position),
        &title,
    )?;
    ws.set_row_height(0, 18)?;
    ws.merge_range(1, 0, 1, 3, &t.about, &wrap)?;
    ws.set_row_height(1, row_height(wrapped_lines(&t.about, total)))?;
    let heads = [
        "Column",
        "Required?",
        "What it holds; values accepted",
        "Ordinance",
    ];
    for (i, (h, w)) in heads.iter().zip(widths).enumerate() {
        ws.write_string_with_format(3, i as u16, *h, header)?;
        ws.set_column_width(i as u16, w)?;
    }
    for (i, c) in t.columns.iter().enumerate() {
        let r = 4 + i as u32;
        let cells = [
            c.name.clone(),
            c.need.clone(),
            format!("{} {}", c.meaning, c.values),
            c.clause.clone(),
        ];
        let mut lines = 1;
        for (j, text) in cells.iter().enumerate() {
            ws.write_string_with_format(r, j as u16, text, if j == 0 { &bold } else { &wrap })?;
            lines = lines.max(wrapped_lines(text, widths[j]));
        }
        ws.set_row_height(r, row_height(lines))?;
    }
    let last = 4 + t.columns.len() as u32;
    let footnote = "The header row of the first sheet must keep these names (any case and spacing also reads, e.g. \"Applicant ID\"); columns with other names are ignored. Delete any example row before real use. Check the filled-in files with: meritlist check exam.toml";
    ws.merge_range(last + 1, 0, last + 1, 3, footnote, &wrap)?;
    ws.set_row_height(last + 1, row_height(wrapped_lines(footnote, total)))?;
    page_setup(ws, p, t, landscape)?;
    ws.set_repeat_rows(3, 3)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::Status;
    use calamine::{Data, Reader, Xlsx};
    use std::io::Read;

    fn read_headers(path: &Path, sheet: &str) -> Vec<String> {
        let mut book: Xlsx<_> = calamine::open_workbook(path).expect("open");
        let range = book.worksheet_range(sheet).expect("sheet");
        range
            .rows()
            .next()
            .expect("a header row")
            .iter()
            .map(|c| match c {
                Data::String(s) => s.clone(),
                other => panic!("header is not text: {other:?}"),
            })
            .collect()
    }

    fn sheet_xml(path: &Path) -> String {
        let f = fs::File::open(path).expect("open");
        let mut z = zip::ZipArchive::new(f).expect("zip");
        let mut s = String::new();
        z.by_name("xl/worksheets/sheet1.xml")
            .expect("sheet1")
            .read_to_string(&mut s)
            .expect("read");
        s
    }

    const APPLICANT_HEADERS: [&str; 17] = [
        "applicant_id",
        "last_name",
        "first_name",
        "address",
        "city",
        "state",
        "zip",
        "delivery",
        "received_on",
        "postmarked_on",
        "signed",
        "us_citizen",
        "state_of_residence",
        "certified_officer",
        "highest_degree",
        "internal",
        "date_of_birth",
    ];

    #[test]
    fn init_then_check_passes_with_the_example_row() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("po");
        let opts = InitOptions {
            example: true,
            ..InitOptions::default()
        };
        let files = init(&dir, &opts).expect("init");
        assert_eq!(files, FILES.to_vec());
        let report = crate::check(&dir.join("exam.toml")).expect("check passes");
        assert_eq!(report.applicants, 1);
        assert_eq!(report.files, 4);
        // The example applicant is eligible: the example row is a sound
        // model of a filled-in row, not merely a readable one.
        let record =
            crate::build_record(&dir.join("exam.toml"), crate::Exec::Sequential).expect("score");
        assert_eq!(record.applicants.len(), 1);
        assert_eq!(record.applicants[0].status, Status::Eligible);
        assert_eq!(record.list, vec!["1001".to_string()]);

        // Example scores are number cells, dates date cells, IDs text.
        let mut book: Xlsx<_> = calamine::open_workbook(dir.join("scores.xlsx")).unwrap();
        let scores = book.worksheet_range("Scores").unwrap();
        assert_eq!(scores.get_value((1, 0)), Some(&Data::String("1001".into())));
        assert_eq!(scores.get_value((1, 3)), Some(&Data::Float(86.0)));
        let mut book: Xlsx<_> = calamine::open_workbook(dir.join("applicants.xlsx")).unwrap();
        let applicants = book.worksheet_range("Applicants").unwrap();
        assert!(matches!(
            applicants.get_value((1, 8)),
            Some(Data::DateTime(_))
        ));
    }

    #[test]
    fn a_fresh_folder_checks_clean_with_no_applicants() {
        let tmp = tempfile::tempdir().unwrap();
        init(tmp.path(), &InitOptions::default()).expect("init");
        let report = crate::check(&tmp.path().join("exam.toml")).expect("check passes");
        assert_eq!(report.applicants, 0);
        assert_eq!(report.files, 4);
    }

    #[test]
    fn the_exam_file_holds_the_ordinance_defaults() {
        let tmp = tempfile::tempdir().unwrap();
        init(tmp.path(), &InitOptions::default()).unwrap();
        let text = fs::read_to_string(tmp.path().join("exam.toml")).unwrap();
        // Every key line carries a comment.
        for line in text.lines() {
            let code = line.trim();
            if code.is_empty() || code.starts_with('#') || code == "]" {
                continue;
            }
            assert!(line.contains(" # "), "line without a comment: {line}");
        }
        let e = crate::exam::load(&tmp.path().join("exam.toml")).unwrap();
        assert_eq!(e.id, "PO-YYYY-01");
        assert_eq!(e.position, "Police Officer");
        assert_eq!(e.list, ListKind::Ranked);
        assert!(e.sworn);
        assert_eq!(e.list_valid_months, 24);
        assert_eq!(e.decimals, 2);
        assert_eq!(e.application_deadline, ymd(PLACEHOLDER_DEADLINE));
        assert_eq!(e.list_established, ymd(PLACEHOLDER_ESTABLISHED));
        let p = &e.preference;
        let d = rust_decimal::Decimal::from;
        assert_eq!(
            (
                p.certified_officer,
                p.associate,
                p.bachelor,
                p.master,
                p.doctorate
            ),
            (d(3), d(1), d(2), d(3), d(3))
        );
        assert_eq!(p.apply_to, crate::exam::ApplyTo::Passing);
        assert_eq!(e.min_age, None);
        assert_eq!(e.hearing_request_days, 10);
        assert_eq!(
            e.tie_break,
            vec![
                crate::exam::TieKey::RawScore,
                crate::exam::TieKey::FilingDate,
                crate::exam::TieKey::Lottery
            ]
        );
        assert_eq!(e.lottery_seed, e.id);
        assert_eq!(e.certification.window, crate::exam::Window::Min);
        assert_eq!(e.certification.clearance_max_age_days, 30);
        assert_eq!(
            e.certification.clearance_agencies,
            DEFAULT_AGENCIES.to_vec()
        );
        assert_eq!(e.board.name, "Police Personnel Board");
        let names: Vec<&str> = e.components.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["written", "oral", "agility"]);
    }

    #[test]
    fn every_template_header_is_exactly_canonical() {
        let tmp = tempfile::tempdir().unwrap();
        init(tmp.path(), &InitOptions::default()).unwrap();
        let d = tmp.path();
        assert_eq!(
            read_headers(&d.join("applicants.xlsx"), "Applicants"),
            APPLICANT_HEADERS
        );
        assert_eq!(
            read_headers(&d.join("scores.xlsx"), "Scores"),
            [
                "applicant_id",
                "last_name",
                "first_name",
                "written",
                "oral_r1",
                "oral_r2",
                "oral_r3",
                "agility"
            ]
        );
        assert_eq!(
            read_headers(&d.join("determinations.xlsx"), "Determinations"),
            ["applicant_id", "ground", "note", "decided_on"]
        );
        assert_eq!(
            read_headers(&d.join("clearances.xlsx"), "Clearances"),
            [
                "applicant_id",
                "fingerprinted_on",
                "fbi",
                "missouri_state_highway_patrol",
                "st_louis_county_police_department",
                "chesterfield_police_department"
            ]
        );
        for f in &FILES[1..] {
            let path = d.join(f);
            let book: Xlsx<_> = calamine::open_workbook(&path).unwrap();
            let first = book.sheet_names()[0].clone();
            for h in read_headers(&path, &first) {
                assert_eq!(normalise_header(&h), h, "{f}: {h} is not canonical");
            }
            // The data sheet comes first, so the file also reads without
            // a `#Sheet` in exam.toml.
            assert_ne!(first, "Column guide");
        }
    }

    /// The `<dataValidation>` elements of a sheet: (sqref, type, formula1).
    fn validations(xml: &str) -> Vec<(String, String, String)> {
        let attr = |tag: &str, name: &str| -> String {
            let key = format!(" {name}=\"");
            tag.find(&key)
                .map(|i| {
                    let rest = &tag[i + key.len()..];
                    rest[..rest.find('"').unwrap()].to_string()
                })
                .unwrap_or_default()
        };
        xml.split("<dataValidation ")
            .skip(1)
            .map(|chunk| {
                let tag = format!(" {}", &chunk[..chunk.find('>').unwrap()]);
                let f1 = chunk
                    .split("<formula1>")
                    .nth(1)
                    .map(|r| r[..r.find("</formula1>").unwrap()].to_string())
                    .unwrap_or_default();
                (attr(&tag, "sqref"), attr(&tag, "type"), f1)
            })
            .collect()
    }

    fn validation_of(v: &[(String, String, String)], letter: &str) -> (String, String) {
        let want = format!("{letter}2:{letter}1048576");
        v.iter()
            .find(|(sq, _, _)| *sq == want)
            .map(|(_, t, f)| (t.clone(), f.clone()))
            .unwrap_or_else(|| panic!("no validation on {want}: {v:?}"))
    }

    #[test]
    fn dropdowns_and_ranges_are_in_the_sheet_xml() {
        let tmp = tempfile::tempdir().unwrap();
        init(tmp.path(), &InitOptions::default()).unwrap();
        let d = tmp.path();
        let yes_no = ("list".to_string(), "\"yes,no\"".to_string());
        let date = |v: &[(String, String, String)], l: &str| {
            assert_eq!(validation_of(v, l).0, "date", "column {l}");
        };

        let xml = sheet_xml(&d.join("applicants.xlsx"));
        let v = validations(&xml);
        let at = |name: &str| {
            let i = APPLICANT_HEADERS.iter().position(|h| *h == name).unwrap();
            crate::error::column_letters(i as u32)
        };
        for f in ["signed", "us_citizen", "certified_officer", "internal"] {
            assert_eq!(validation_of(&v, &at(f)), yes_no, "{f}");
        }
        assert_eq!(
            validation_of(&v, &at("highest_degree")),
            (
                "list".into(),
                "\"none,associate,bachelor,master,doctorate\"".into()
            )
        );
        assert_eq!(
            validation_of(&v, &at("delivery")),
            ("list".into(), "\"personal,mail,online,email\"".into())
        );
        for f in ["received_on", "postmarked_on", "date_of_birth"] {
            date(&v, &at(f));
        }
        assert_eq!(validation_of(&v, "A").0, "custom");
        assert!(
            xml.contains("ySplit=\"1\"") && xml.contains("state=\"frozen\""),
            "frozen header row"
        );
        assert!(xml.contains("paperSize=\"1\""), "Letter paper");
        assert!(xml.contains("fitToHeight=\"0\""), "fit to width");
        assert!(
            xml.contains("<pageMargins left=\"1\" right=\"1\" top=\"1\" bottom=\"1\""),
            "1-inch margins"
        );

        let v = validations(&sheet_xml(&d.join("scores.xlsx")));
        for l in ["D", "E", "F", "G"] {
            let (t, f) = validation_of(&v, l);
            assert_eq!(t, "decimal", "column {l}");
            assert_eq!(f, "0");
        }
        assert_eq!(
            validation_of(&v, "H"),
            ("list".into(), "\"pass,fail,absent\"".into())
        );

        let v = validations(&sheet_xml(&d.join("determinations.xlsx")));
        assert_eq!(
            validation_of(&v, "B"),
            ("list".into(), "\"A1,A2,A3,A4,A5,A6,A7,A8,A9\"".into())
        );
        date(&v, "D");

        let v = validations(&sheet_xml(&d.join("clearances.xlsx")));
        for l in ["B", "C", "D", "E", "F"] {
            date(&v, l);
        }

        // A note on every header.
        let f = fs::File::open(d.join("applicants.xlsx")).unwrap();
        let mut z = zip::ZipArchive::new(f).unwrap();
        let mut comments = String::new();
        z.by_name("xl/comments1.xml")
            .unwrap()
            .read_to_string(&mut comments)
            .unwrap();
        for (i, h) in APPLICANT_HEADERS.iter().enumerate() {
            let r = format!("ref=\"{}1\"", crate::error::column_letters(i as u32));
            assert!(comments.contains(&r), "no note on {h}");
        }
    }

    #[test]
    fn init_refuses_to_overwrite_and_writes_nothing() {
        let tmp = tempfile::tempdir().unwrap();
        let d = tmp.path();
        fs::write(d.join("scores.xlsx"), b"the Board's scores").unwrap();
        let err = init(d, &InitOptions::default()).unwrap_err();
        assert!(matches!(err, Error::Usage(_)), "{err:?}");
        assert!(err.to_string().contains("scores.xlsx"), "{err}");
        assert_eq!(
            fs::read(d.join("scores.xlsx")).unwrap(),
            b"the Board's scores"
        );
        let left: Vec<_> = fs::read_dir(d).unwrap().collect();
        assert_eq!(left.len(), 1, "nothing else written");

        // A second init over a complete folder is refused too, untouched.
        let again = tmp.path().join("again");
        init(&again, &InitOptions::default()).unwrap();
        let before = fs::read(again.join("exam.toml")).unwrap();
        assert!(matches!(
            init(&again, &InitOptions::default()),
            Err(Error::Usage(_))
        ));
        assert_eq!(fs::read(again.join("exam.toml")).unwrap(), before);
    }

    #[test]
    fn output_is_byte_identical() {
        let tmp = tempfile::tempdir().unwrap();
        let opts = InitOptions {
            example: true,
            ..InitOptions::default()
        };
        init(&tmp.path().join("a"), &opts).unwrap();
        init(&tmp.path().join("b"), &opts).unwrap();
        for f in FILES {
            assert_eq!(
                fs::read(tmp.path().join("a").join(f)).unwrap(),
                fs::read(tmp.path().join("b").join(f)).unwrap(),
                "{f}"
            );
        }
    }

    #[test]
    fn exam_kind_options_shape_the_folder() {
        let tmp = tempfile::tempdir().unwrap();
        let date = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        // Sergeant, promotional: ranked, with performance ratings.
        let sgt = tmp.path().join("sgt");
        init(
            &sgt,
            &InitOptions {
                rank: Rank::Sergeant,
                promotional: true,
                application_deadline: Some(date("2026-08-28")),
                list_established: Some(date("2026-10-23")),
                min_age: Some(21),
                example: true,
                ..InitOptions::default()
            },
        )
        .unwrap();
        let report = crate::check(&sgt.join("exam.toml")).expect("sergeant checks");
        let e = report.exam;
        assert_eq!(e.id, "SGT-2026-01");
        assert_eq!(e.position, "Police Sergeant");
        assert_eq!(e.kind, crate::exam::ExamKind::Promotional);
        assert_eq!(e.list, ListKind::Ranked);
        assert_eq!(e.min_age, Some(21));
        let names: Vec<&str> = e.components.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["written", "oral", "performance"]);
        assert_eq!(
            read_headers(&sgt.join("scores.xlsx"), "Scores")[3..],
            ["written", "oral_r1", "oral_r2", "oral_r3", "performance"]
        );
        let r = crate::build_record(&sgt.join("exam.toml"), crate::Exec::Sequential).unwrap();
        assert_eq!(r.applicants[0].status, Status::Eligible);

        // Lieutenant: above Sergeant the list is qualified (Examinations B).
        let lt = tmp.path().join("lt");
        init(
            &lt,
            &InitOptions {
                rank: Rank::Lieutenant,
                promotional: true,
                example: true,
                ..InitOptions::default()
            },
        )
        .unwrap();
        let e = crate::check(&lt.join("exam.toml")).unwrap().exam;
        assert_eq!(e.list, ListKind::Qualified);
        assert_eq!(e.id, "LT-YYYY-01");

        // A civilian position: no citizenship column.
        let civ = tmp.path().join("civ");
        init(
            &civ,
            &InitOptions {
                sworn: false,
                position: Some("Communications Specialist".into()),
                id: Some("CS-2026-02".into()),
                example: true,
                ..InitOptions::default()
            },
        )
        .unwrap();
        let e = crate::check(&civ.join("exam.toml")).unwrap().exam;
        assert!(!e.sworn);
        assert_eq!(e.position, "Communications Specialist");
        assert_eq!(e.lottery_seed, "CS-2026-02");
        let h = read_headers(&civ.join("applicants.xlsx"), "Applicants");
        assert!(!h.iter().any(|h| h == "us_citizen"));
    }

    #[test]
    fn bad_options_are_usage_errors_and_write_nothing() {
        let tmp = tempfile::tempdir().unwrap();
        let d = tmp.path().join("x");
        let date = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        for opts in [
            InitOptions {
                id: Some("  ".into()),
                ..InitOptions::default()
            },
            InitOptions {
                application_deadline: Some(date("2026-09-30")),
                list_established: Some(date("2026-09-01")),
                ..InitOptions::default()
            },
            InitOptions {
                min_age: Some(0),
                ..InitOptions::default()
            },
        ] {
            assert!(matches!(init(&d, &opts), Err(Error::Usage(_))));
            assert!(!d.exists());
        }
        // Quotes and backslashes in the id survive the TOML.
        let opts = InitOptions {
            id: Some("PO \"fall\" \\ 2026".into()),
            ..InitOptions::default()
        };
        init(&d, &opts).unwrap();
        let e = crate::exam::load(&d.join("exam.toml")).unwrap();
        assert_eq!(e.id, "PO \"fall\" \\ 2026");
    }
}
