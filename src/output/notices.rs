//! Word documents for applicants (SPEC 5, `notices/`): the written notice a
//! disqualified applicant is owed (Notice of disqualification), and the
//! optional results letter to every applicant. Every document is a letter on
//! Letter paper (8½ × 11 inches) with 1-inch margins and a signature line for
//! the Secretary (Form of papers).
//!
//! Each document is first written as a plain `Letter` (blocks of text), then
//! laid out with docx-rs. Everything is a pure function of the list of
//! record: the letter date and the document properties are the list's
//! `list_established`, and paragraph IDs are numbered per document (docx-rs
//! would otherwise draw them from a per-thread counter), so the same record
//! gives byte-identical files on every run and on any thread.

use crate::record::{ApplicantRecord, ComponentRule, ListOfRecord};
use crate::rules::{Reason, Status};
use chrono::NaiveDate;
use docx_rs::{
    AlignmentType, BorderType, BreakType, Docx, FieldCharType, Footer, IndentLevel, InstrNUMPAGES,
    InstrPAGE, InstrText, Level, LevelJc, LevelText, LineSpacing, LineSpacingType, NumberFormat,
    Numbering, NumberingId, PageMargin, Paragraph, ParagraphBorder, ParagraphBorderPosition,
    ParagraphBorders, Run, RunFonts, SpecialIndentType, Start, Tab, TabLeaderType, TabValueType,
};
use rayon::prelude::*;

/// Rendered documents, and the applicants whose document lacks a usable
/// mailing address (a missing address is not an error; `score` says which).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Documents {
    /// `(path relative to OUTDIR, '/'-separated, bytes)`.
    pub files: Vec<(String, Vec<u8>)>,
    /// Applicant IDs, in the record's (natural ID) order.
    pub missing_address: Vec<String>,
}

/// `notices/<id>.docx` for every disqualified applicant, plus
/// `notices/index.csv` (`applicant_id,last_name,first_name,codes,file`, the
/// file name relative to the index), in the record's order.
pub fn notices(record: &ListOfRecord) -> Documents {
    DocumentWriter::notices(record).whole(&record.applicants)
}

/// Which documents a [`DocumentWriter`] makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// `notices/`: a notice of disqualification to each disqualified
    /// applicant.
    Notices,
    /// `letters/`: a results letter to every applicant (the notice, for a
    /// disqualified one).
    Letters,
}

/// Renders documents a chunk of applicants at a time, in the record's
/// order, as `score` writes its other files (issue 6). The file names (made
/// unique across all chunks) and the index follow the order of the chunks,
/// so the output is the same as [`notices`] or [`letters`] on the whole
/// record.
pub struct DocumentWriter<'a> {
    kind: Kind,
    ctx: Context<'a>,
    names: FileNames,
    index: csv::Writer<Vec<u8>>,
    missing_address: Vec<String>,
}

impl<'a> DocumentWriter<'a> {
    /// Notices of disqualification. `record` gives the exam, the list and
    /// the rules; its applicants are not read (they come through
    /// [`DocumentWriter::render`]).
    pub fn notices(record: &'a ListOfRecord) -> Self {
        Self::new(Kind::Notices, record)
    }

    /// Results letters (`score --letters`); as [`DocumentWriter::notices`].
    /// The letters give each listed applicant's rank out of `record.list`.
    pub fn letters(record: &'a ListOfRecord) -> Self {
        Self::new(Kind::Letters, record)
    }

    fn new(kind: Kind, record: &'a ListOfRecord) -> Self {
        let mut index = csv_writer();
        let fourth = match kind {
            Kind::Notices => "codes",
            Kind::Letters => "status",
        };
        // Into memory (csv_writer writes to a Vec): it cannot fail.
        index
            .write_record(["applicant_id", "last_name", "first_name", fourth, "file"])
            .expect("memory");
        DocumentWriter {
            kind,
            ctx: Context::new(record),
            names: FileNames::default(),
            index,
            missing_address: Vec::new(),
        }
    }

    fn folder(&self) -> &'static str {
        match self.kind {
            Kind::Notices => "notices",
            Kind::Letters => "letters",
        }
    }

    /// The documents of `applicants` (`notices/<file>` or
    /// `letters/<file>`, bytes), rendered in parallel.
    pub fn render(&mut self, applicants: &[ApplicantRecord]) -> Vec<(String, Vec<u8>)> {
        let kind = self.kind;
        let folder = self.folder();
        let mut jobs: Vec<(&ApplicantRecord, String)> = Vec::new();
        for a in applicants
            .iter()
            .filter(|a| kind == Kind::Letters || a.status == Status::Disqualified)
        {
            let file = self.names.name(&a.applicant_id);
            let codes = a.codes.join(";");
            self.index
                .write_record([
                    &*crate::output::csv::safe(&a.applicant_id),
                    &crate::output::csv::safe(&a.last_name),
                    &crate::output::csv::safe(&a.first_name),
                    match kind {
                        Kind::Notices => codes.as_str(),
                        Kind::Letters => a.status.as_str(),
                    },
                    &file,
                ])
                // Into memory (a Vec): it cannot fail.
                // Nor can csv's length check: like the header, the record has five fields.
                .expect("memory");
            if !has_mailing_address(a) {
                self.missing_address.push(a.applicant_id.clone());
            }
            jobs.push((a, format!("{folder}/{file}")));
        }
        // Each document is independent (and rendered the same on any thread).
        let ctx = &self.ctx;
        jobs.into_par_iter()
            .map(|(a, path)| (path, ctx.packer.pack_letter(&letter_to(ctx, a))))
            .collect()
    }

    /// Every document of `applicants` at once, then the index.
    fn whole(mut self, applicants: &[ApplicantRecord]) -> Documents {
        let mut files = self.render(applicants);
        let mut out = self.finish();
        files.append(&mut out.files);
        out.files = files;
        out
    }

    /// `<folder>/index.csv`, and the applicants without a mailing address.
    pub fn finish(self) -> Documents {
        Documents {
            files: vec![(format!("{}/index.csv", self.folder()), finish(self.index))],
            missing_address: self.missing_address,
        }
    }
}

/// The letter an applicant is sent: a disqualified applicant's is the
/// notice of disqualification (grounds only, no results: SPEC 4.2); anyone
/// else's gives the results.
fn letter_to(ctx: &Context, a: &ApplicantRecord) -> Letter {
    match a.status {
        Status::Disqualified => notice_letter(ctx, a),
        _ => results_letter(ctx, a),
    }
}

/// `letters/<id>.docx` for every applicant: the status in plain words, the
/// results (component values, examination score, points, final score and
/// rank) or the reasons; a disqualified applicant's letter is the notice of
/// disqualification (grounds only, no results: SPEC 4.2). Plus
/// `letters/index.csv` (`applicant_id,last_name,first_name,status,file`).
pub fn letters(record: &ListOfRecord) -> Documents {
    DocumentWriter::letters(record).whole(&record.applicants)
}

/// The last day to ask to be heard: `hearing_request_days` after
/// `list_established` (SPEC 5, `notices/`). `None` only if the record's date
/// is not `YYYY-MM-DD`.
pub fn hearing_deadline(record: &ListOfRecord) -> Option<NaiveDate> {
    parse_date(&record.exam.list_established)?.checked_add_days(chrono::Days::new(
        record.audit.rules.hearing_request_days.into(),
    ))
}

/// A street line and either a ZIP code or both city and state.
pub fn has_mailing_address(a: &ApplicantRecord) -> bool {
    let has = |s: &str| !s.trim().is_empty();
    has(&a.address) && (has(&a.zip) || (has(&a.city) && has(&a.state)))
}

// ---------------------------------------------------------------------------
// What the documents say.

/// The parts of a letter, in order; laid out by [`render`].
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Block {
    /// The Board's name (bold, larger) and the lines under it, centred.
    Letterhead {
        name: String,
        lines: Vec<String>,
    },
    Date(String),
    /// The address block; `note` is a bracketed placeholder for the
    /// Secretary when the address is missing or incomplete.
    Address {
        lines: Vec<String>,
        note: Option<String>,
    },
    Re(Vec<String>),
    /// A paragraph of spans, `(text, bold)`.
    Para(Vec<(String, bool)>),
    /// A bold line kept with what follows.
    Heading(String),
    /// A numbered list.
    List(Vec<String>),
    /// Label and value rows (the results), values right-aligned.
    Rows(Vec<(String, String)>),
    /// "Sincerely,", room to sign, the signature line and the signer.
    Closing(Vec<String>),
}

#[derive(Debug, Clone, PartialEq)]
pub(super) struct Letter {
    pub(super) blocks: Vec<Block>,
    /// Printed at the foot of every page, before the page number.
    pub(super) footer: String,
}

/// What every document of one record shares.
struct Context<'a> {
    record: &'a ListOfRecord,
    board_name: String,
    letterhead: Block,
    /// Where papers go: "the Secretary of the …, address".
    write_to: String,
    /// Where to ask questions: the letterhead's address when there is one.
    ask: String,
    signer: Vec<String>,
    list_date: String,
    /// The parts every document shares, built once.
    packer: Packer,
    deadline: String,
    exam_ref: String,
}

impl<'a> Context<'a> {
    fn new(record: &'a ListOfRecord) -> Self {
        let rules = &record.audit.rules;
        let board_name = match rules.board_name.trim() {
            "" => "Police Personnel Board".to_string(),
            n => n.to_string(),
        };
        let city = rules.board_city.trim();
        let address = rules.board_address.trim();
        let secretary = rules.board_secretary.trim();
        let lines = [city, address]
            .iter()
            .filter(|s| !s.is_empty())
            .map(|s| s.to_string())
            .collect();
        let write_to = match (address.is_empty(), city.is_empty()) {
            (false, _) => format!("the Secretary of the {board_name}, {address}"),
            (true, false) => format!("the Secretary of the {board_name}, {city}"),
            (true, true) => format!("the Secretary of the {board_name}"),
        };
        let signer = if secretary.is_empty() {
            vec!["Secretary".to_string(), board_name.clone()]
        } else if secretary.contains(&board_name) {
            vec![secretary.to_string()]
        } else {
            vec![secretary.to_string(), board_name.clone()]
        };
        let exam = &record.exam;
        Context {
            record,
            letterhead: Block::Letterhead {
                name: board_name.clone(),
                lines,
            },
            board_name,
            ask: if address.is_empty() {
                write_to.clone()
            } else {
                "the Secretary at the address above".to_string()
            },
            write_to,
            signer,
            list_date: long_date(&exam.list_established),
            packer: Packer::new(&format!("{}T00:00:00Z", exam.list_established)),
            deadline: hearing_deadline(record)
                .map(long)
                .unwrap_or_else(|| exam.list_established.clone()),
            exam_ref: format!("{} examination {}", exam.position, exam.id),
        }
    }

    fn head(&self, a: &ApplicantRecord, subject: &str) -> Vec<Block> {
        vec![
            self.letterhead.clone(),
            Block::Date(self.list_date.clone()),
            address_block(a),
            Block::Re(vec![
                subject.to_string(),
                self.exam_ref.clone(),
                format!("Applicant ID {}", a.applicant_id),
            ]),
            para(format!("Dear {}:", full_name(a))),
        ]
    }

    fn footer(&self, a: &ApplicantRecord, what: &str) -> String {
        format!(
            "{what} · {} · Applicant {}",
            self.record.exam.id, a.applicant_id
        )
    }

    fn closing(&self) -> Block {
        Block::Closing(self.signer.clone())
    }
}

fn notice_letter(ctx: &Context, a: &ApplicantRecord) -> Letter {
    let exam = &ctx.record.exam;
    let mut blocks = ctx.head(a, "Notice of disqualification");
    let grounds: Vec<String> = a
        .reasons
        .iter()
        .map(|r| ground_sentence(ctx.record, a, r))
        .collect();
    blocks.push(para(format!(
        "The {} has disqualified you from consideration for the position of {} \
         (examination {}), and your name is not on the eligibility list the Board \
         established on {}. The Board disqualified you on the following {}:",
        ctx.board_name,
        exam.position,
        exam.id,
        ctx.list_date,
        if grounds.len() == 1 {
            "ground"
        } else {
            "grounds"
        },
    )));
    blocks.push(Block::List(grounds));
    blocks.extend(hearing_paragraphs(ctx, a));
    blocks.push(ctx.closing());
    Letter {
        blocks,
        footer: ctx.footer(a, "Notice of disqualification"),
    }
}

/// The opportunity to be heard (Notice of disqualification), the date by
/// which to ask, where to write, and how papers are filed.
fn hearing_paragraphs(ctx: &Context, a: &ApplicantRecord) -> [Block; 2] {
    [
        Block::Para(vec![
            ("Your right to be heard. ".into(), true),
            (
                format!(
                    "You may be heard by the Board about this disqualification (Notice of \
                     disqualification). If you wish to be heard, send a written request to \
                     {}. Your request must be filed ",
                    ctx.write_to
                ),
                false,
            ),
            (format!("no later than {}", ctx.deadline), true),
            (".".into(), false),
        ]),
        para(format!(
            "A request delivered in person is filed on the date the Secretary receives it; a \
             request sent by mail is filed on the date of its postmark (Filing of papers). \
             Give your applicant ID ({}) and the examination number ({}). Papers filed with \
             the Board must be typewritten or hand printed on one side of paper no larger \
             than 8½ by 11 inches, with margins of at least 1 inch, and signed in ink, with \
             your name and address (Form of papers).",
            a.applicant_id, ctx.record.exam.id
        )),
    ]
}

/// One ground in plain words, addressed to the applicant, ending with its
/// clause label. Codes this module does not know are written from the
/// reason's own text.
fn ground_sentence(r: &ListOfRecord, a: &ApplicantRecord, reason: &Reason) -> String {
    let clause = &reason.clause;
    let deadline = long_date(&r.exam.application_deadline);
    let fallback = || {
        let text = reason
            .text
            .strip_suffix(&format!(" ({clause})"))
            .unwrap_or(&reason.text);
        format!("{} ({clause}).", capitalise(text))
    };
    match reason.code.as_str() {
        "CITIZENSHIP" => format!(
            "Sworn members of the Department must be citizens of the United States, and \
             your application shows that you are not a U.S. citizen ({clause})."
        ),
        "A1-REQUIREMENT" => {
            let born = a.date_of_birth.as_deref().and_then(parse_date);
            let on = parse_date(&r.exam.application_deadline);
            match (born, on, r.audit.rules.min_age) {
                (Some(born), Some(on), Some(min)) => format!(
                    "Applicants must be at least {min} years old on the application \
                     deadline, {deadline}; you were {} on that date ({clause}).",
                    crate::dates::age_on(born, on)
                ),
                _ => fallback(),
            }
        }
        "A7-LATE" => {
            let filed = long_date(&a.filing_date);
            if a.delivery == "mail" {
                format!(
                    "The application deadline was {deadline}. Your application was sent \
                     by mail, so its filing date is its postmark date, {filed}, which is \
                     after the deadline ({clause})."
                )
            } else {
                format!(
                    "The application deadline was {deadline}. Your application was not \
                     mailed, so its filing date is the date it was received, {filed}, \
                     which is after the deadline ({clause})."
                )
            }
        }
        "A7-UNSIGNED" => format!("Your application form was not signed ({clause})."),
        code => {
            let finding = code
                .strip_prefix('A')
                .and_then(|n| n.parse::<u8>().ok())
                .and_then(|n| finding_words(n).map(|w| (n, w)));
            let Some((n, words)) = finding else {
                return fallback();
            };
            let f = a.findings.iter().find(|f| f.ground == format!("A{n}"));
            let when = f.and_then(|f| f.decided_on.as_deref()).map(long_date);
            let mut s = match when {
                Some(d) => format!("On {d}, {words} ({clause})."),
                None => format!("{} ({clause}).", capitalise(words)),
            };
            if let Some(note) = f.map(|f| f.note.trim()).filter(|n| !n.is_empty()) {
                s.push_str(&format!(" The Board's record: {}", sentence(note)));
            }
            s
        }
    }
}

/// Disqualification A.1–A.9 as the Board's finding about the applicant.
fn finding_words(n: u8) -> Option<&'static str> {
    Some(match n {
        1 => "the Board found on review that you lack a preliminary requirement established for the position",
        2 => "the Board found that you are disabled or inhibited to an extent that would render you unable to perform the bona fide occupational requirements of the position, and that no reasonable accommodation can be made",
        3 => "the Board found that you have conflicting interests that may impair or compromise your effectiveness in the position, such as criminal background or business interests",
        4 => "the Board found that you made a false statement on your application",
        5 => "the Board found that you used or attempted to use political pressure or bribery to secure an advantage in the screening or appointment procedure",
        6 => "the Board found that you were previously dismissed for just cause or had an unsatisfactory service record with the City or another employer",
        7 => "the Board found on review that your application was presented after the deadline or was not signed",
        8 => "at your own request, the Board removed you from consideration",
        9 => "the Board found that an ample number of better qualified candidates are available for the position",
        _ => return None,
    })
}

fn results_letter(ctx: &Context, a: &ApplicantRecord) -> Letter {
    let r = ctx.record;
    let exam = &r.exam;
    let mut blocks = ctx.head(a, "Examination results");
    let intro = format!(
        "Thank you for taking the examination for the position of {} (examination {}). \
         The Board established the eligibility list for this examination on {}.",
        exam.position, exam.id, ctx.list_date
    );
    let validity = r
        .exam
        .list_expires
        .as_deref()
        .map(|d| format!(" The list is valid through {}.", long_date(d)))
        .unwrap_or_default();
    let questions = para(format!(
        "If you have questions about your results, write to {}, giving your applicant \
         ID ({}).",
        ctx.ask, a.applicant_id
    ));
    let ranked = exam.list == "ranked";
    match a.status {
        Status::Eligible => {
            let standing = if ranked {
                format!(
                    "You passed the examination, and your name is on the eligibility list \
                     at rank {} of {}, with a final score of {}.",
                    a.rank.map(|n| n.to_string()).unwrap_or_default(),
                    r.list.len(),
                    a.final_score.as_deref().unwrap_or(""),
                )
            } else {
                "You passed the examination, and the Board has certified you as qualified \
                 for the position (Examinations B)."
                    .to_string()
            };
            blocks.push(para(format!("{intro} {standing}")));
            blocks.push(Block::Heading("Your results".into()));
            blocks.push(Block::Rows(result_rows(r, a)));
            let notes: Vec<String> = [scale_note(r), preference_note(a), tie_note(a)]
                .into_iter()
                .flatten()
                .collect();
            if !notes.is_empty() {
                blocks.push(para(notes.join(" ")));
            }
            let how = if ranked {
                "Names are certified from the list in order of merit: when there are \
                 vacancies, the Board certifies the names at the top of the list to the Chief \
                 of Police, who appoints from among them (Examinations C)."
            } else {
                "The list for this position is not ranked: the Chief of Police selects from \
                 the qualified candidates and gives preference to candidates from within the \
                 Department (Examinations B)."
            };
            let background = clearance_sentence(r);
            blocks.push(para(format!(
                "{how}{background} A place on the list is not an offer of \
                 employment.{validity}"
            )));
        }
        Status::Failed | Status::Incomplete => {
            let failed = a.status == Status::Failed;
            let many = a.reasons.len() != 1;
            let text = if failed {
                format!(
                    "{intro} You did not pass the examination, so your name is not on the \
                     eligibility list, for the following {}:",
                    if many { "reasons" } else { "reason" }
                )
            } else {
                format!(
                    "{intro} Your examination is incomplete: no result is recorded for you \
                     on the following {}, so your name is not on the eligibility list:",
                    if many { "parts" } else { "part" }
                )
            };
            blocks.push(para(text));
            blocks.push(Block::List(
                a.reasons.iter().map(|x| result_reason(r, a, x)).collect(),
            ));
            blocks.push(Block::Heading("Your results".into()));
            blocks.push(Block::Rows(result_rows(r, a)));
            blocks.extend(scale_note(r).map(para));
        }
        Status::Disqualified => unreachable!("a disqualified applicant gets the notice"),
    }
    blocks.push(questions);
    blocks.push(ctx.closing());
    Letter {
        blocks,
        footer: ctx.footer(a, "Examination results"),
    }
}

fn scale_note(r: &ListOfRecord) -> Option<String> {
    r.audit
        .rules
        .components
        .iter()
        .any(|c| c.kind == "scored")
        .then(|| {
            "Scored parts are marked on a scale of 0 to 100; the examination score is \
             their weighted total (Examinations A)."
                .to_string()
        })
}

fn preference_note(a: &ApplicantRecord) -> Option<String> {
    let positive = |s: &Option<String>| {
        s.as_deref()
            .and_then(crate::num::parse_decimal)
            .is_some_and(|d| d > rust_decimal::Decimal::ZERO)
    };
    let officer = positive(&a.officer_points);
    let degree = positive(&a.degree_points);
    let why = match (officer, degree) {
        (false, false) => return None,
        (true, false) => "as a certified police officer".to_string(),
        (false, true) => format!("for your {} degree", a.highest_degree),
        (true, true) => format!(
            "as a certified police officer and for your {} degree",
            a.highest_degree
        ),
    };
    Some(format!(
        "Your final score includes {} preference points {why} (Examinations D).",
        a.preference_points.as_deref().unwrap_or("")
    ))
}

fn tie_note(a: &ApplicantRecord) -> Option<String> {
    let key = a.tie_break.as_deref().filter(|k| !k.is_empty())?;
    let rule = match key {
        "raw_score" => "the higher examination score first".to_string(),
        "filing_date" => "the earlier filing date first".to_string(),
        "lottery" => "a lottery drawn from the Board's published seed".to_string(),
        k => match k.strip_prefix("component:") {
            Some(c) => format!("the higher {} score first", display_name(c).to_lowercase()),
            None => k.to_string(),
        },
    };
    Some(format!(
        "Your final score is the same as that of the applicant ranked just above you; the \
         Board's tie-break rule ({rule}) placed that applicant first."
    ))
}

fn clearance_sentence(r: &ListOfRecord) -> String {
    let agencies = &r.audit.rules.clearance_agencies;
    if agencies.is_empty() {
        return String::new();
    }
    format!(
        " Before appointment, a candidate is fingerprinted and must be cleared by {} \
         (Background).",
        join_and(
            &agencies
                .iter()
                .map(|a| format!("the {a}"))
                .collect::<Vec<_>>()
        )
    )
}

/// The result rows: each component, then the scores that exist.
fn result_rows(r: &ListOfRecord, a: &ApplicantRecord) -> Vec<(String, String)> {
    let mut rows = Vec::new();
    for (rule, value) in r.audit.rules.components.iter().zip(&a.components) {
        let shown = match value.value.as_deref() {
            None => "no result".to_string(),
            Some("pass") => "pass".to_string(),
            Some("fail") => "fail".to_string(),
            Some(v) => v.to_string(),
        };
        rows.push((component_label(rule), shown));
    }
    if let Some(raw) = &a.raw_score {
        rows.push(("Examination score".into(), raw.clone()));
    }
    if a.status == Status::Eligible && r.exam.list == "ranked" {
        if let Some(p) = &a.preference_points {
            rows.push(("Preference points".into(), p.clone()));
        }
        if let Some(f) = &a.final_score {
            rows.push(("Final score".into(), f.clone()));
        }
        if let Some(rank) = a.rank {
            rows.push((
                "Rank on the list".into(),
                format!("{rank} of {}", r.list.len()),
            ));
        }
    }
    rows
}

fn component_label(c: &ComponentRule) -> String {
    let name = display_name(&c.name);
    if c.kind != "scored" {
        return format!("{name} (pass or fail)");
    }
    let mut parts = Vec::new();
    if let Some(w) = c.weight.as_deref().and_then(percent) {
        parts.push(format!("weight {w}"));
    }
    if let Some(m) = &c.pass_mark {
        parts.push(format!("pass mark {m}"));
    }
    if parts.is_empty() {
        name
    } else {
        format!("{name} ({})", parts.join(", "))
    }
}

/// A failing or missing result in plain words.
fn result_reason(r: &ListOfRecord, a: &ApplicantRecord, reason: &Reason) -> String {
    let clause = &reason.clause;
    let find = |name: &str| {
        let rule = r.audit.rules.components.iter().find(|c| c.name == name);
        let value = a
            .components
            .iter()
            .find(|c| c.component == name)
            .and_then(|c| c.value.clone());
        (rule, value)
    };
    if let Some(name) = reason.code.strip_prefix("FAILED-") {
        match find(name) {
            (Some(rule), Some(v)) if rule.kind == "scored" => {
                let mark = rule.pass_mark.as_deref().unwrap_or("");
                return format!(
                    "{}: your score of {v} is below the pass mark of {mark} ({clause}).",
                    display_name(name)
                );
            }
            (Some(_), _) => {
                return format!(
                    "{}: you did not pass this part ({clause}).",
                    display_name(name)
                )
            }
            _ => {}
        }
    } else if let Some(name) = reason.code.strip_prefix("MISSING-") {
        return format!(
            "{}: no result is recorded for you ({clause}).",
            display_name(name)
        );
    }
    let text = reason
        .text
        .strip_suffix(&format!(" ({clause})"))
        .unwrap_or(&reason.text);
    format!("{} ({clause}).", capitalise(text))
}

fn address_block(a: &ApplicantRecord) -> Block {
    let mut lines = vec![full_name(a)];
    lines.extend(
        a.address
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(String::from),
    );
    let mut last = a.city.trim().to_string();
    if !a.state.trim().is_empty() {
        if !last.is_empty() {
            last.push_str(", ");
        }
        last.push_str(a.state.trim());
    }
    if !a.zip.trim().is_empty() {
        if !last.is_empty() {
            last.push(' ');
        }
        last.push_str(a.zip.trim());
    }
    let nothing = lines.len() == 1 && last.is_empty();
    if !last.is_empty() {
        lines.push(last);
    }
    let note = if nothing {
        Some("[Mailing address not on file]".to_string())
    } else if !has_mailing_address(a) {
        Some("[Mailing address incomplete]".to_string())
    } else {
        None
    };
    Block::Address { lines, note }
}

// ---------------------------------------------------------------------------
// Small text helpers.

fn para(text: impl Into<String>) -> Block {
    Block::Para(vec![(text.into(), false)])
}

fn full_name(a: &ApplicantRecord) -> String {
    let name = format!("{} {}", a.first_name.trim(), a.last_name.trim());
    name.trim().to_string()
}

fn parse_date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

fn long(d: NaiveDate) -> String {
    d.format("%B %-d, %Y").to_string()
}

/// `2027-04-15` → `April 15, 2027`; other text unchanged.
fn long_date(s: &str) -> String {
    parse_date(s).map(long).unwrap_or_else(|| s.to_string())
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// Ends the text with a full stop unless it already ends a sentence.
fn sentence(s: &str) -> String {
    let s = s.trim();
    if s.ends_with(['.', '!', '?']) {
        s.to_string()
    } else {
        format!("{s}.")
    }
}

/// `oral_board` → `Oral board`.
fn display_name(name: &str) -> String {
    capitalise(&name.replace('_', " "))
}

/// `0.6` → `60%`.
fn percent(weight: &str) -> Option<String> {
    let w = crate::num::parse_decimal(weight)? * rust_decimal::Decimal::ONE_HUNDRED;
    Some(format!("{}%", w.normalize()))
}

fn join_and(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [a, b] => format!("{a} and {b}"),
        [rest @ .., last] => format!("{}, and {last}", rest.join(", ")),
    }
}

fn csv_writer() -> csv::Writer<Vec<u8>> {
    csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new())
}

fn finish(w: csv::Writer<Vec<u8>>) -> Vec<u8> {
    // Cannot fail: flushing a csv::Writer into a Vec<u8> does no fallible I/O.
    w.into_inner().expect("writing to memory cannot fail")
}

/// File names from applicant IDs: characters other than letters, digits,
/// `-`, `_` and `.` become `_` (an ID is free text), a leading `.` or `-`
/// gets a `_` before it (a hidden file; an option on a command line, and a
/// cell a spreadsheet would run as a formula in `index.csv`'s file column),
/// and a name already given gets `-2`, `-3`, … so that no document
/// overwrites another.
#[derive(Default)]
struct FileNames {
    used: std::collections::HashSet<String>,
}

impl FileNames {
    fn name(&mut self, id: &str) -> String {
        let mut stem: String = id
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        if stem.is_empty() || stem.starts_with(['.', '-']) {
            stem.insert(0, '_');
        }
        let mut name = format!("{stem}.docx");
        let mut n = 2;
        while !self.used.insert(name.to_lowercase()) {
            name = format!("{stem}-{n}.docx");
            n += 1;
        }
        name
    }
}

// ---------------------------------------------------------------------------
// Layout.

/// Letter paper, in twentieths of a point.
const PAGE_WIDTH: u32 = 12_240;
const PAGE_HEIGHT: u32 = 15_840;
/// One inch.
const MARGIN: i32 = 1_440;
const FONT: &str = "Times New Roman";
/// Half-points.
const BODY_SIZE: usize = 22;
const FOOTER_SIZE: usize = 18;
const NUMBERING: usize = 2;

/// Paragraphs numbered per document, so that the bytes do not depend on what
/// the thread rendered before.
struct Ids(u32);

impl Ids {
    fn p(&mut self) -> Paragraph {
        self.0 += 1;
        Paragraph::new().id(format!("{:08X}", self.0))
    }
}

/// Single line spacing, `before` and `after` in twips. The rule is written
/// out: LibreOffice reads a `w:line` without `w:lineRule` as an exact height,
/// which clips the larger letterhead.
fn spacing_around(before: u32, after: u32) -> LineSpacing {
    LineSpacing::new()
        .line_rule(LineSpacingType::Auto)
        .before(before)
        .after(after)
        .line(240)
}

fn spacing(after: u32) -> LineSpacing {
    spacing_around(0, after)
}

fn text_run(text: &str) -> Run {
    Run::new().add_text(text)
}

/// Lines of one paragraph, separated by line breaks.
fn lines_paragraph(mut p: Paragraph, lines: &[String], bold: bool) -> Paragraph {
    for (i, line) in lines.iter().enumerate() {
        let mut run = Run::new();
        if i > 0 {
            run = run.add_break(BreakType::TextWrapping);
        }
        run = run.add_text(line);
        if bold {
            run = run.bold();
        }
        p = p.add_run(run);
    }
    p
}

/// A letter laid out as a Word document (docx-rs): Letter paper, 1-inch
/// margins, the letterhead, the blocks, the page-numbered footer.
fn layout(letter: &Letter, timestamp: &str) -> Docx {
    let mut ids = Ids(0);
    let fonts = RunFonts::new()
        .ascii(FONT)
        .hi_ansi(FONT)
        .east_asia(FONT)
        .cs(FONT);
    let mut docx = Docx::new()
        .page_size(PAGE_WIDTH, PAGE_HEIGHT)
        .page_margin(
            PageMargin::new()
                .top(MARGIN)
                .bottom(MARGIN)
                .left(MARGIN)
                .right(MARGIN)
                // The footer sits on the bottom margin line, so nothing is
                // printed inside the 1-inch margins (Form of papers).
                .header(MARGIN)
                .footer(MARGIN)
                .gutter(0),
        )
        .default_fonts(fonts)
        .default_size(BODY_SIZE)
        .default_line_spacing(spacing(0))
        .created_at(timestamp)
        .updated_at(timestamp)
        .add_abstract_numbering(
            docx_rs::AbstractNumbering::new(NUMBERING).add_level(
                Level::new(
                    0,
                    Start::new(1),
                    NumberFormat::new("decimal"),
                    LevelText::new("%1."),
                    LevelJc::new("left"),
                )
                .indent(
                    Some(720),
                    Some(SpecialIndentType::Hanging(360)),
                    None,
                    None,
                ),
            ),
        )
        .add_numbering(Numbering::new(NUMBERING, NUMBERING));

    let blocks = &letter.blocks;
    for (i, block) in blocks.iter().enumerate() {
        let closing_next = matches!(blocks.get(i + 1), Some(Block::Closing(_)));
        match block {
            Block::Letterhead { name, lines } => {
                let mut p = ids
                    .p()
                    .align(AlignmentType::Center)
                    .line_spacing(spacing(40))
                    .add_run(text_run(name).bold().size(32));
                if lines.is_empty() {
                    p = rule_below(p);
                }
                docx = docx.add_paragraph(p);
                for (j, line) in lines.iter().enumerate() {
                    let mut p = ids
                        .p()
                        .align(AlignmentType::Center)
                        .line_spacing(spacing(if j + 1 == lines.len() { 120 } else { 20 }))
                        .add_run(text_run(line).size(20));
                    if j + 1 == lines.len() {
                        p = rule_below(p);
                    }
                    docx = docx.add_paragraph(p);
                }
            }
            Block::Date(d) => {
                docx = docx.add_paragraph(
                    ids.p()
                        .line_spacing(spacing_around(240, 240))
                        .add_run(text_run(d)),
                );
            }
            Block::Address { lines, note } => {
                let mut p = lines_paragraph(ids.p().line_spacing(spacing(280)), lines, false);
                if let Some(note) = note {
                    p = p.add_run(
                        Run::new()
                            .add_break(BreakType::TextWrapping)
                            .add_text(note)
                            .italic(),
                    );
                }
                docx = docx.add_paragraph(p.keep_lines(true));
            }
            Block::Re(lines) => {
                let mut p = ids
                    .p()
                    .line_spacing(spacing(240))
                    .indent(Some(720), Some(SpecialIndentType::Hanging(720)), None, None)
                    .add_tab(Tab::new().val(TabValueType::Left).pos(720))
                    .add_run(text_run("Re:").bold())
                    .add_run(Run::new().add_tab());
                p = lines_paragraph(p, lines, true);
                docx = docx.add_paragraph(p.keep_lines(true));
            }
            Block::Para(spans) => {
                let mut p = ids.p().line_spacing(spacing(160)).widow_control(true);
                for (text, bold) in spans {
                    let run = text_run(text);
                    p = p.add_run(if *bold { run.bold() } else { run });
                }
                // The last paragraph stays on the page with the signature.
                docx = docx.add_paragraph(p.keep_next(closing_next));
            }
            Block::Heading(text) => {
                docx = docx.add_paragraph(
                    ids.p()
                        .line_spacing(spacing(120))
                        .keep_next(true)
                        .add_run(text_run(text).bold()),
                );
            }
            Block::List(items) => {
                for (j, item) in items.iter().enumerate() {
                    let last = j + 1 == items.len();
                    docx = docx.add_paragraph(
                        ids.p()
                            .numbering(NumberingId::new(NUMBERING), IndentLevel::new(0))
                            .line_spacing(spacing(if last { 160 } else { 100 }))
                            .widow_control(true)
                            .add_run(text_run(item)),
                    );
                }
            }
            Block::Rows(rows) => {
                for (j, (label, value)) in rows.iter().enumerate() {
                    let last = j + 1 == rows.len();
                    docx = docx.add_paragraph(
                        ids.p()
                            .indent(Some(360), None, None, None)
                            .add_tab(
                                Tab::new()
                                    .val(TabValueType::Right)
                                    .leader(TabLeaderType::Dot)
                                    .pos(6_480),
                            )
                            .line_spacing(spacing(if last { 160 } else { 20 }))
                            .keep_next(!last)
                            .add_run(text_run(label))
                            .add_run(Run::new().add_tab().add_text(value)),
                    );
                }
            }
            Block::Closing(signer) => {
                docx = docx.add_paragraph(
                    ids.p()
                        .line_spacing(spacing(0))
                        .keep_next(true)
                        .add_run(text_run("Sincerely,")),
                );
                // Room to sign in ink above the line.
                let p = ids
                    .p()
                    .line_spacing(spacing_around(720, 0))
                    .keep_lines(true)
                    .add_run(text_run("______________________________"))
                    .add_run(Run::new().add_break(BreakType::TextWrapping));
                docx = docx.add_paragraph(lines_paragraph(p, signer, false));
            }
        }
    }

    let footer_run = |t: &str| Run::new().size(FOOTER_SIZE).add_text(t);
    // A field as Word writes it, one run per part, each in the footer's
    // size (a single run is shown in the body size by LibreOffice).
    let field = |p: Paragraph, instr: InstrText| {
        let run = || Run::new().size(FOOTER_SIZE);
        p.add_run(run().add_field_char(FieldCharType::Begin, false))
            .add_run(run().add_instr_text(instr))
            .add_run(run().add_field_char(FieldCharType::Separate, false))
            .add_run(run().add_text("1"))
            .add_run(run().add_field_char(FieldCharType::End, false))
    };
    let p = ids
        .p()
        .align(AlignmentType::Center)
        .size(FOOTER_SIZE)
        .add_run(footer_run(&format!("{} · Page ", letter.footer)));
    let p = field(p, InstrText::PAGE(InstrPAGE {})).add_run(footer_run(" of "));
    let p = field(p, InstrText::NUMPAGES(InstrNUMPAGES {}));
    let footer = Footer::new().add_paragraph(p);
    docx.footer(footer)
}

/// The whole document as docx-rs packs it: every part built and stored
/// uncompressed. The reference for [`Packer`] (tests), and how the
/// template's shared parts are made.
fn render_reference(letter: &Letter, timestamp: &str) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    // Cannot fail: the writer is an in-memory Cursor<Vec<u8>>, and the letters are
    // Packer::new's two fixed ones (or the tests'), far from any zip size limit.
    layout(letter, timestamp)
        .pack(&mut out)
        .expect("writing a document to memory cannot fail");
    out.into_inner()
}

/// The parts of a document that only its text changes.
const DOCUMENT_PART: &str = "word/document.xml";
const FOOTER_PART: &str = "word/footer1.xml";

/// Packs documents fast (issue 6): the parts every document of a run shares
/// (styles, numbering, settings, fonts, properties, relationships, …) are
/// built and deflated once, from a document with no text; each document
/// then builds only its body and its footer, deflates them, and the zip is
/// assembled around the parts already compressed, in the order docx-rs
/// writes them. docx-rs built and stored every part of every notice: about
/// 4× the time and 3× the bytes. The test
/// `packed_documents_hold_exactly_the_reference_parts` checks that every
/// part is byte-identical to what docx-rs packs.
struct Packer {
    /// Without and with a numbered list: a document that numbers a list
    /// also relates numbering.xml (docx-rs adds the relationship then).
    plain: Vec<Slot>,
    numbered: Vec<Slot>,
    /// document.xml up to its first paragraph, and from its section
    /// properties on; footer1.xml up to its paragraph, and its end — as
    /// docx-rs writes them for this run (the page size and margins).
    body_head: String,
    body_tail: String,
    footer_head: String,
    footer_tail: String,
}

/// A place in a document's zip: a part every document shares, or the
/// document's own body or footer.
enum Slot {
    Shared(Part),
    Body,
    Footer,
}

/// One part of a zip, compressed as it is stored.
struct Part {
    name: String,
    /// 8 (deflated), or 0 for a folder entry.
    method: u16,
    crc: u32,
    size: u32,
    data: Vec<u8>,
}

impl Part {
    fn deflate(name: &str, bytes: &[u8]) -> Part {
        Part {
            name: name.to_string(),
            method: 8,
            crc: crc32fast::hash(bytes),
            size: bytes.len() as u32,
            data: deflate(bytes),
        }
    }

    fn folder(name: &str) -> Part {
        Part {
            name: name.to_string(),
            method: 0,
            crc: 0,
            size: 0,
            data: Vec::new(),
        }
    }
}

/// Raw deflate at the fastest level: a notice's own parts come to about a
/// third of their size at a third of the time of level 3 (measured: 108 µs
/// a notice in all at level 1, 137 µs at level 3, 115 µs stored). One
/// compressor per thread, reset for each part: setting one up (its window
/// and tables) cost more than compressing a notice.
fn deflate(bytes: &[u8]) -> Vec<u8> {
    use flate2::{Compress, Compression, FlushCompress, Status};
    thread_local! {
        static DEFLATE: std::cell::RefCell<Compress> =
            std::cell::RefCell::new(Compress::new(Compression::new(1), false));
    }
    DEFLATE.with(|c| {
        let mut c = c.borrow_mut();
        c.reset();
        let mut out = Vec::with_capacity(bytes.len() / 2 + 64);
        loop {
            let read = c.total_in() as usize;
            match c.compress_vec(&bytes[read..], &mut out, FlushCompress::Finish) {
                Ok(Status::StreamEnd) => break,
                Ok(_) => out.reserve(out.capacity().max(1024)),
                Err(e) => unreachable!("deflate into memory cannot fail: {e}"),
            }
        }
        out
    })
}

/// The parts of a zip (a docx-rs document) in order, as stored: a name,
/// and its bytes (`None` for a folder).
fn stored_parts(zip_bytes: Vec<u8>) -> Vec<(String, Option<Vec<u8>>)> {
    let fail = "reading a zip docx-rs just wrote";
    // The expects below cannot fail: `zip_bytes` is a whole archive docx-rs (pinned in
    // Cargo.lock) just wrote for one of Packer::new's fixed letters; their only varying
    // input is the date stamp, so every test that builds a Packer runs these exact paths.
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(zip_bytes)).expect(fail);
    (0..zip.len())
        .map(|i| {
            // Cannot fail: `i < zip.len()`, an entry of the valid archive above.
            let mut part = zip.by_index(i).expect(fail);
            // Cannot fail: docx-rs names its parts with fixed ASCII paths (word/document.xml, …).
            let name = part
                .name()
                .expect("docx-rs names its parts in UTF-8")
                .into_owned();
            if part.is_dir() {
                return (name, None);
            }
            let mut bytes = Vec::new();
            // Cannot fail: the part's data, sizes and CRC are as docx-rs wrote them, in memory.
            std::io::Read::read_to_end(&mut part, &mut bytes).expect(fail);
            (name, Some(bytes))
        })
        .collect()
}

/// A zip of `parts`, in order (PKWARE's APPNOTE: local headers, the central
/// directory, its end record). Every date is 1980-01-01, as docx-rs writes
/// it: the bytes never depend on the clock.
fn write_zip<'p>(parts: impl Iterator<Item = &'p Part>, capacity: usize) -> Vec<u8> {
    const DATE_1980_01_01: u16 = (1 << 5) | 1;
    let mut out = Vec::with_capacity(capacity);
    let mut central = Vec::with_capacity(1024);
    let mut count: u16 = 0;
    let u16le = |v: &mut Vec<u8>, x: u16| v.extend_from_slice(&x.to_le_bytes());
    let u32le = |v: &mut Vec<u8>, x: u32| v.extend_from_slice(&x.to_le_bytes());
    for p in parts {
        let offset = out.len() as u32;
        let name = p.name.as_bytes();
        // The local header.
        u32le(&mut out, 0x0403_4b50);
        u16le(&mut out, 20); // version needed: 2.0 (deflate)
        u16le(&mut out, 0); // flags
        u16le(&mut out, p.method);
        u16le(&mut out, 0); // time
        u16le(&mut out, DATE_1980_01_01);
        u32le(&mut out, p.crc);
        u32le(&mut out, p.data.len() as u32);
        u32le(&mut out, p.size);
        u16le(&mut out, name.len() as u16);
        u16le(&mut out, 0); // extra field
        out.extend_from_slice(name);
        out.extend_from_slice(&p.data);
        // Its central directory entry.
        u32le(&mut central, 0x0201_4b50);
        u16le(&mut central, 20); // made by: MS-DOS, 2.0
        u16le(&mut central, 20);
        u16le(&mut central, 0);
        u16le(&mut central, p.method);
        u16le(&mut central, 0);
        u16le(&mut central, DATE_1980_01_01);
        u32le(&mut central, p.crc);
        u32le(&mut central, p.data.len() as u32);
        u32le(&mut central, p.size);
        u16le(&mut central, name.len() as u16);
        u16le(&mut central, 0); // extra field
        u16le(&mut central, 0); // comment
        u16le(&mut central, 0); // disk
        u16le(&mut central, 0); // internal attributes
        u32le(&mut central, if p.name.ends_with('/') { 0x10 } else { 0 });
        u32le(&mut central, offset);
        central.extend_from_slice(name);
        count += 1;
    }
    let at = out.len() as u32;
    out.extend_from_slice(&central);
    u32le(&mut out, 0x0605_4b50);
    u16le(&mut out, 0);
    u16le(&mut out, 0);
    u16le(&mut out, count);
    u16le(&mut out, count);
    u32le(&mut out, central.len() as u32);
    u32le(&mut out, at);
    u16le(&mut out, 0); // comment
    out
}

impl Packer {
    fn new(timestamp: &str) -> Packer {
        // Every part of `blocks` laid out by docx-rs, as it stores them.
        let stored = |blocks: Vec<Block>| -> Vec<(String, Option<Vec<u8>>)> {
            let letter = Letter {
                blocks,
                footer: String::new(),
            };
            stored_parts(render_reference(&letter, timestamp))
        };
        let template = |parts: &[(String, Option<Vec<u8>>)]| -> Vec<Slot> {
            parts
                .iter()
                .map(|(name, bytes)| match (name.as_str(), bytes) {
                    (DOCUMENT_PART, _) => Slot::Body,
                    (FOOTER_PART, _) => Slot::Footer,
                    (_, Some(bytes)) => Slot::Shared(Part::deflate(name, bytes)),
                    (_, None) => Slot::Shared(Part::folder(name)),
                })
                .collect()
        };
        // The head and tail of the body and footer come from the empty
        // letter's own parts: its body has no paragraph, its footer one.
        let plain = stored(Vec::new());
        let text = |name: &str| -> String {
            // Cannot fail: docx-rs stores word/document.xml for every document, and
            // word/footer1.xml for one with a footer (`layout` adds one); neither is a folder.
            let bytes = plain
                .iter()
                .find(|(n, _)| n == name)
                .and_then(|(_, b)| b.clone())
                .expect("docx-rs writes the part");
            // Cannot fail: docx-rs builds its XML parts as Rust strings, so they are UTF-8.
            String::from_utf8(bytes).expect("docx-rs writes UTF-8")
        };
        let split = |s: &str, at: &str| -> (String, String) {
            // Cannot fail: the body of every docx-rs document holds <w:sectPr>, and the footer
            // (one paragraph) holds "<w:p " and then </w:ftr>; the inputs are fixed, as above.
            let i = s.find(at).expect("the part docx-rs writes");
            (s[..i].to_string(), s[i..].to_string())
        };
        let (body_head, body_tail) = split(&text(DOCUMENT_PART), "<w:sectPr>");
        let (footer_head, rest) = split(&text(FOOTER_PART), "<w:p ");
        let (_, footer_tail) = split(&rest, "</w:ftr>");
        Packer {
            plain: template(&plain),
            numbered: template(&stored(vec![Block::List(vec![String::new()])])),
            body_head,
            body_tail,
            footer_head,
            footer_tail,
        }
    }

    /// The .docx of one letter: its body and footer written directly
    /// (`wordml`), the shared parts copied.
    fn pack_letter(&self, letter: &Letter) -> Vec<u8> {
        let mut body = String::with_capacity(8 * 1024);
        body.push_str(&self.body_head);
        let last = super::wordml::body(&mut body, letter);
        body.push_str(&self.body_tail);
        let mut footer = String::with_capacity(3 * 1024);
        footer.push_str(&self.footer_head);
        super::wordml::footer(&mut footer, letter, last);
        footer.push_str(&self.footer_tail);
        let template = if super::wordml::numbered(letter) {
            &self.numbered
        } else {
            &self.plain
        };
        let body = Part::deflate(DOCUMENT_PART, body.as_bytes());
        let footer = Part::deflate(FOOTER_PART, footer.as_bytes());
        let parts = template.iter().map(|slot| match slot {
            Slot::Shared(p) => p,
            Slot::Body => &body,
            Slot::Footer => &footer,
        });
        write_zip(parts, 12 * 1024)
    }
}

/// A thin rule under the letterhead, across the text width.
fn rule_below(p: Paragraph) -> Paragraph {
    let mut p = p;
    p.property = p.property.set_borders(
        ParagraphBorders::with_empty().set(
            ParagraphBorder::new(ParagraphBorderPosition::Bottom)
                .val(BorderType::Single)
                .size(6)
                .space(4),
        ),
    );
    p
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Exec;
    use std::io::Read;
    use std::path::Path;

    fn sample(rel: &str) -> ListOfRecord {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(rel);
        crate::build_record(&path, Exec::Sequential).expect("the sample scores")
    }

    fn mini() -> ListOfRecord {
        sample("tests/examples/police-officer-mini/exam.toml")
    }

    fn sergeant() -> ListOfRecord {
        sample("samples/sergeant/exam.toml")
    }

    fn part(docx: &[u8], name: &str) -> String {
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(docx)).expect("a zip archive");
        let mut s = String::new();
        zip.by_name(name)
            .expect("the part exists")
            .read_to_string(&mut s)
            .expect("UTF-8");
        s
    }

    /// The text of word/document.xml: paragraphs and line breaks as new
    /// lines, tabs as tabs, entities decoded.
    fn text(xml: &str) -> String {
        let mut out = String::new();
        let mut rest = xml;
        while let Some(start) = rest.find('<') {
            out.push_str(&rest[..start]);
            let end = rest[start..].find('>').expect("a closed tag") + start;
            let tag = &rest[start + 1..end];
            if tag == "/w:p" || tag.starts_with("w:br") {
                out.push('\n');
            } else if tag == "w:tab /" || tag == "w:tab/" {
                out.push('\t');
            }
            rest = &rest[end + 1..];
        }
        out.push_str(rest);
        out.replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&apos;", "'")
            .replace("&amp;", "&")
    }

    fn file<'a>(d: &'a Documents, name: &str) -> &'a [u8] {
        &d.files
            .iter()
            .find(|(n, _)| n == name)
            .unwrap_or_else(|| panic!("{name} is written"))
            .1
    }

    fn names(d: &Documents) -> Vec<&str> {
        d.files.iter().map(|(n, _)| n.as_str()).collect()
    }

    /// Every part of a .docx, name and bytes (CRCs checked on reading).
    fn parts(docx: &[u8]) -> Vec<(String, Vec<u8>)> {
        stored_parts(docx.to_vec())
            .into_iter()
            .map(|(name, bytes)| (name, bytes.unwrap_or_default()))
            .collect()
    }

    /// The fast packer's document holds exactly the parts docx-rs packs for
    /// the same letter, in the same order.
    #[track_caller]
    fn assert_same_parts(fast: &[u8], reference: &[u8], what: &str) {
        let (fast, reference) = (parts(fast), parts(reference));
        let names =
            |p: &[(String, Vec<u8>)]| -> Vec<String> { p.iter().map(|(n, _)| n.clone()).collect() };
        assert_eq!(names(&fast), names(&reference), "{what}");
        for ((name, got), (_, want)) in fast.iter().zip(&reference) {
            assert_eq!(
                String::from_utf8_lossy(got),
                String::from_utf8_lossy(want),
                "{what}, part {name}"
            );
        }
    }

    /// Every kind of block, in unusual combinations, with text that needs
    /// escaping (and a carriage return, which docx-rs drops): the direct
    /// writer (`wordml`) still matches docx-rs byte for byte.
    #[test]
    fn awkward_letters_pack_exactly_as_docx_rs_packs_them() {
        let odd = "Tom & \"Jerry\" <O'Brien> 1 < 2\nsecond\rline · ½ — é";
        let s = |t: &str| t.to_string();
        let letters = [
            Letter {
                blocks: vec![
                    Block::Letterhead {
                        name: s(odd),
                        lines: vec![],
                    },
                    Block::Address {
                        lines: vec![s(odd), s("")],
                        note: Some(s("[address missing]")),
                    },
                    Block::Para(vec![(s(odd), true), (s(""), false), (s("x"), false)]),
                    Block::Closing(vec![s(odd)]),
                ],
                footer: s(odd),
            },
            Letter {
                blocks: vec![
                    Block::Letterhead {
                        name: s("Board"),
                        lines: vec![s("a"), s(odd), s("c")],
                    },
                    Block::Date(s(odd)),
                    Block::Address {
                        lines: vec![s("one")],
                        note: None,
                    },
                    Block::Re(vec![s(odd), s("two"), s("three")]),
                    Block::Heading(s(odd)),
                    Block::List(vec![s(odd), s("b")]),
                    Block::Rows(vec![(s(odd), s(odd)), (s("l"), s("v"))]),
                    Block::List(vec![s("single")]),
                    Block::Rows(vec![(s("only"), s("row"))]),
                    Block::Para(vec![(s("before the closing"), false)]),
                    Block::Closing(vec![s("Name"), s("Title"), s(odd)]),
                ],
                footer: String::new(),
            },
            Letter {
                blocks: vec![Block::List(vec![]), Block::Rows(vec![])],
                footer: s("f"),
            },
        ];
        let timestamp = "2026-11-20T00:00:00Z";
        let packer = Packer::new(timestamp);
        for (i, letter) in letters.iter().enumerate() {
            assert_same_parts(
                &packer.pack_letter(letter),
                &render_reference(letter, timestamp),
                &format!("letter {i}"),
            );
        }
    }

    /// The fast packer writes, part by part and in the same order, exactly
    /// what docx-rs packs for the same letter (whose layout was checked by
    /// rendering), only compressed: every notice and results letter of
    /// every sample and the worked example.
    #[test]
    fn packed_documents_hold_exactly_the_reference_parts() {
        let (mut checked, mut numbered) = (0, 0);
        for rel in [
            "tests/examples/police-officer-mini/exam.toml",
            "samples/police-officer/exam.toml",
            "samples/sergeant/exam.toml",
            "samples/lieutenant/exam.toml",
        ] {
            let r = sample(rel);
            let ctx = Context::new(&r);
            for a in &r.applicants {
                let letter = letter_to(&ctx, a);
                let fast = ctx.packer.pack_letter(&letter);
                let timestamp = format!("{}T00:00:00Z", r.exam.list_established);
                let reference = render_reference(&letter, &timestamp);
                assert_same_parts(
                    &fast,
                    &reference,
                    &format!("{rel}: applicant {}", a.applicant_id),
                );
                assert!(fast.len() * 2 < reference.len(), "compressed");
                checked += 1;
                numbered += usize::from(
                    part(&reference, "word/_rels/document.xml.rels").contains("numbering.xml"),
                );
            }
        }
        assert!(checked > 80, "only {checked} documents checked");
        assert!(
            numbered > 0 && numbered < checked,
            "both templates used: {numbered} of {checked} number a list"
        );
    }

    #[test]
    fn one_notice_per_disqualified_applicant_and_an_index() {
        let d = notices(&mini());
        assert_eq!(
            names(&d),
            [
                "notices/1003.docx",
                "notices/1005.docx",
                "notices/1006.docx",
                "notices/index.csv"
            ]
        );
        assert_eq!(
            String::from_utf8(file(&d, "notices/index.csv").to_vec()).unwrap(),
            "applicant_id,last_name,first_name,codes,file\n\
             1003,Chen,Wei,A7-LATE,1003.docx\n\
             1005,Evans,Thomas,A7-UNSIGNED,1005.docx\n\
             1006,Fischer,Anna,CITIZENSHIP,1006.docx\n"
        );
    }

    #[test]
    fn the_mini_example_has_no_addresses_and_no_board_details() {
        let r = mini();
        let d = notices(&r);
        assert_eq!(d.missing_address, ["1003", "1005", "1006"]);
        let t = text(&part(file(&d, "notices/1003.docx"), "word/document.xml"));
        assert!(
            t.contains("Wei Chen\n[Mailing address not on file]\n"),
            "{t}"
        );
        // Fallbacks for an empty [board]: no blank gaps.
        assert!(t.starts_with("Police Personnel Board\n"), "{t}");
        assert!(
            t.contains("send a written request to the Secretary of the Police Personnel Board. Your request must be filed no later than April 25, 2027."),
            "{t}"
        );
        assert!(
            t.contains("______________________________\nSecretary\nPolice Personnel Board\n"),
            "{t}"
        );
        assert!(!t.contains(", ,") && !t.contains("  "), "{t}");
        // The letters list every applicant without an address.
        let l = letters(&r);
        assert_eq!(l.missing_address.len(), r.applicants.len());
    }

    #[test]
    fn a_notice_states_each_ground_with_its_clause_and_the_hearing_date() {
        let r = sergeant();
        let d = notices(&r);
        assert_eq!(
            names(&d),
            [
                "notices/S-117.docx",
                "notices/S-121.docx",
                "notices/index.csv"
            ]
        );
        assert!(d.missing_address.is_empty());
        assert_eq!(
            String::from_utf8(file(&d, "notices/index.csv").to_vec()).unwrap(),
            "applicant_id,last_name,first_name,codes,file\n\
             S-117,Novak,Petra,A6,S-117.docx\n\
             S-121,Whitaker,Jerome,A7-LATE,S-121.docx\n"
        );
        assert_eq!(
            hearing_deadline(&r),
            NaiveDate::from_ymd_opt(2026, 11, 2),
            "list established 2026-10-23, plus 10 days"
        );
        for (id, name) in [("S-117", "Petra Novak"), ("S-121", "Jerome Whitaker")] {
            let a = r.applicants.iter().find(|a| a.applicant_id == id).unwrap();
            let bytes = file(&d, &format!("notices/{id}.docx"));
            let xml = part(bytes, "word/document.xml");
            let t = text(&xml);
            assert!(
                t.contains(&format!(
                    "{name}\n{}\n{}, {} {}\n",
                    a.address, a.city, a.state, a.zip
                )),
                "{t}"
            );
            assert!(t.contains("Police Personnel Board\nCity of Chesterfield, Missouri\nChesterfield City Hall, 690 Chesterfield Parkway West, Chesterfield, MO 63017\n"), "{t}");
            assert!(t.contains("October 23, 2026\n"), "{t}");
            assert!(t.contains(&format!("Re:\tNotice of disqualification\nPolice Sergeant examination SGT-2026-01\nApplicant ID {id}\n")), "{t}");
            assert!(t.contains(&format!("Dear {name}:\n")), "{t}");
            for reason in &a.reasons {
                assert!(t.contains(&format!("({})", reason.clause)), "{t}");
            }
            assert!(t.contains("(Notice of disqualification)"), "{t}");
            assert!(
                t.contains("Your request must be filed no later than November 2, 2026.\n"),
                "{t}"
            );
            assert!(t.contains("the Secretary of the Police Personnel Board, Chesterfield City Hall, 690 Chesterfield Parkway West, Chesterfield, MO 63017"), "{t}");
            assert!(
                t.contains("Linda M. Hartwell, Secretary\nPolice Personnel Board\n"),
                "{t}"
            );
            assert!(
                xml.contains(r#"<w:pgSz w:w="12240" w:h="15840" />"#),
                "{xml}"
            );
            assert!(
                xml.contains(
                    r#"<w:pgMar w:top="1440" w:right="1440" w:bottom="1440" w:left="1440""#
                ),
                "{xml}"
            );
            let core = part(bytes, "docProps/core.xml");
            assert!(core.contains("2026-10-23T00:00:00Z"), "{core}");
            assert!(!core.contains("1970"), "{core}");
        }
        let t = text(&part(file(&d, "notices/S-121.docx"), "word/document.xml"));
        assert!(t.contains("The application deadline was August 28, 2026. Your application was not mailed, so its filing date is the date it was received, September 1, 2026, which is after the deadline (Disqualification A.7; Filing of papers)."), "{t}");
        let t = text(&part(file(&d, "notices/S-117.docx"), "word/document.xml"));
        assert!(t.contains("On October 14, 2026, the Board found that you were previously dismissed for just cause or had an unsatisfactory service record with the City or another employer (Disqualification A.6). The Board's record: Unsatisfactory service record: sustained Internal Affairs finding, case IA-2025-014."), "{t}");
    }

    #[test]
    fn every_ground_of_the_police_officer_sample_reads_in_plain_words() {
        let r = sample("samples/police-officer/exam.toml");
        let d = notices(&r);
        let t = |id: &str| {
            text(&part(
                file(&d, &format!("notices/{id}.docx")),
                "word/document.xml",
            ))
        };
        assert!(t("26006").contains("Sworn members of the Department must be citizens of the United States, and your application shows that you are not a U.S. citizen (Citizenship)."));
        assert!(t("26005").contains("Your application form was not signed (Disqualification A.7)."));
        assert!(t("26010").contains("Applicants must be at least 21 years old on the application deadline, September 30, 2026; you were 20 on that date (Disqualification A.1)."));
        assert!(t("26014").contains("On November 5, 2026, at your own request, the Board removed you from consideration (Disqualification A.8)."));
        assert!(t("26004").contains("filing date is the date it was received, October 1, 2026"));
        let lieutenant = sample("samples/lieutenant/exam.toml");
        let t = text(&part(
            file(&notices(&lieutenant), "notices/106.docx"),
            "word/document.xml",
        ));
        assert!(t.contains("Your application was sent by mail, so its filing date is its postmark date, October 19, 2026, which is after the deadline"), "{t}");
    }

    #[test]
    fn rendering_twice_gives_the_same_bytes_on_any_thread() {
        let r = sergeant();
        let first = (notices(&r), letters(&r));
        let second = (notices(&r), letters(&r));
        assert_eq!(first, second);
        let r2 = r.clone();
        let other = std::thread::spawn(move || (notices(&r2), letters(&r2)))
            .join()
            .unwrap();
        assert_eq!(first, other);
    }

    #[test]
    fn letters_give_every_applicant_the_status_and_results() {
        let r = mini();
        let d = letters(&r);
        assert_eq!(d.files.len(), r.applicants.len() + 1);
        let t = |id: &str| {
            text(&part(
                file(&d, &format!("letters/{id}.docx")),
                "word/document.xml",
            ))
        };
        // A disqualified applicant's letter is the notice.
        assert_eq!(
            file(&d, "letters/1003.docx"),
            file(&notices(&r), "notices/1003.docx")
        );
        let first = r.list.first().expect("a ranked list");
        let a = r
            .applicants
            .iter()
            .find(|a| &a.applicant_id == first)
            .unwrap();
        let t1 = t(first);
        assert!(t1.contains("Re:\tExamination results\n"), "{t1}");
        assert!(
            t1.contains(&format!(
                "at rank 1 of {}, with a final score of {}.",
                r.list.len(),
                a.final_score.as_deref().unwrap()
            )),
            "{t1}"
        );
        assert!(t1.contains("Written (weight 60%, pass mark 70)\t"), "{t1}");
        assert!(
            t1.contains(&format!("Rank on the list\t1 of {}\n", r.list.len())),
            "{t1}"
        );
        let failed = t("1011");
        assert!(
            failed.contains(
                "Written: your score of 65.00 is below the pass mark of 70 (Examinations A)."
            ),
            "{failed}"
        );
        assert!(t("1010").contains("Agility: you did not pass this part (Examinations A)."));
        let incomplete = t("1012");
        assert!(
            incomplete.contains("Your examination is incomplete"),
            "{incomplete}"
        );
        assert!(
            incomplete.contains("Oral: no result is recorded for you (Examinations A)."),
            "{incomplete}"
        );
        assert!(
            incomplete.contains("Written (weight 60%, pass mark 70)\tno result\n"),
            "{incomplete}"
        );
        let index = String::from_utf8(file(&d, "letters/index.csv").to_vec()).unwrap();
        assert!(
            index.starts_with("applicant_id,last_name,first_name,status,file\n1001,Alvarez,Maria,"),
            "{index}"
        );
    }

    #[test]
    fn a_qualified_list_letter_has_no_rank() {
        let r = sample("samples/lieutenant/exam.toml");
        let d = letters(&r);
        let id = r.list.first().unwrap();
        let t = text(&part(
            file(&d, &format!("letters/{id}.docx")),
            "word/document.xml",
        ));
        assert!(
            t.contains("certified you as qualified for the position (Examinations B)."),
            "{t}"
        );
        assert!(!t.contains("Rank on the list"), "{t}");
    }

    #[test]
    fn file_names_are_safe_and_distinct() {
        let mut n = FileNames::default();
        assert_eq!(n.name("1001"), "1001.docx");
        assert_eq!(n.name("A/7 x"), "A_7_x.docx");
        assert_eq!(n.name("A_7_x"), "A_7_x-2.docx");
        assert_eq!(n.name("../x"), "_.._x.docx");
        assert_eq!(n.name(""), "_.docx");
        assert_eq!(n.name("-1"), "_-1.docx");
    }

    #[test]
    fn an_address_needs_a_street_and_a_zip_or_city_and_state() {
        let mut a = mini().applicants[0].clone();
        assert!(!has_mailing_address(&a));
        a.address = "1 Main St".into();
        assert!(!has_mailing_address(&a));
        a.zip = "63017".into();
        assert!(has_mailing_address(&a));
        a.zip.clear();
        a.city = "Chesterfield".into();
        a.state = "MO".into();
        assert!(has_mailing_address(&a));
        let Block::Address { lines, note } = address_block(&a) else {
            unreachable!()
        };
        assert_eq!(lines, ["Maria Alvarez", "1 Main St", "Chesterfield, MO"]);
        assert_eq!(note, None);
    }
}
