//! The exam file (`exam.toml`): the Board's adopted rules for one examination
//! (Duties C). It is read with `toml_edit`, which keeps each value's text, so
//! that numbers are taken as the decimal text written (`0.6` is exactly 0.6,
//! never a binary float), and every problem can name its key and line.
//!
//! `load` reads the raw document and resolves it into [`Exam`] with the
//! ordinance defaults filled in and every bound checked, collecting every
//! problem before refusing.

use crate::error::{Error, Place, Problem, Result};
use crate::fields::normalise_header;
use crate::num::{parse_decimal, places_needed};
use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use std::ops::Range;
use std::path::{Path, PathBuf};
use toml_edit::{Item, TableLike, Value};

/// The rank ladder, lowest first (SPEC section 2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Rank {
    Officer,
    Corporal,
    Sergeant,
    Lieutenant,
    Captain,
    Major,
    DeputyChief,
}

impl Rank {
    pub const ALL: [(&'static str, Rank); 7] = [
        ("officer", Rank::Officer),
        ("corporal", Rank::Corporal),
        ("sergeant", Rank::Sergeant),
        ("lieutenant", Rank::Lieutenant),
        ("captain", Rank::Captain),
        ("major", Rank::Major),
        ("deputy_chief", Rank::DeputyChief),
    ];

    pub fn as_str(self) -> &'static str {
        Rank::ALL
            .iter()
            .find(|(_, r)| *r == self)
            .map(|(s, _)| *s)
            .unwrap_or("officer")
    }

    /// Examinations B and C: ranked lists at Sergeant and below, qualified
    /// lists above.
    pub fn default_list(self) -> ListKind {
        if self <= Rank::Sergeant {
            ListKind::Ranked
        } else {
            ListKind::Qualified
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExamKind {
    Entrance,
    Promotional,
}

impl ExamKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ExamKind::Entrance => "entrance",
            ExamKind::Promotional => "promotional",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListKind {
    /// Examinations C: in order of merit.
    Ranked,
    /// Examinations B: qualified or not.
    Qualified,
}

impl ListKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ListKind::Ranked => "ranked",
            ListKind::Qualified => "qualified",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ComponentKind {
    Scored,
    PassFail,
}

/// One examination component (Examinations A).
#[derive(Debug, Clone, PartialEq)]
pub struct Component {
    pub name: String,
    pub kind: ComponentKind,
    /// Scored components only; the scored weights sum to exactly 1.
    pub weight: Decimal,
    /// The raw maximum, scaled to 0..100.
    pub max: Decimal,
    /// On the 0..100 scale.
    pub pass_mark: Option<Decimal>,
    /// The column(s) read, as written in the exam file (raters: their mean).
    pub columns: Vec<String>,
}

impl Component {
    /// The normalised column names this component is read from.
    pub fn column_keys(&self) -> Vec<String> {
        self.columns.iter().map(|c| normalise_header(c)).collect()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateOrder {
    Mdy,
    Dmy,
}

/// One input file entry of `[inputs]`.
#[derive(Debug, Clone, PartialEq)]
pub struct InputSpec {
    /// As written in the exam file, without `#Sheet`: used in messages.
    pub display: String,
    /// Resolved against the exam file's folder.
    pub path: PathBuf,
    pub sheet: Option<String>,
    /// CSV only; default `,` (tab for `.tsv`).
    pub delimiter: Option<u8>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Inputs {
    pub applicants: InputSpec,
    pub scores: Vec<InputSpec>,
    pub determinations: Option<InputSpec>,
    pub clearances: Option<InputSpec>,
    pub date_order: DateOrder,
    /// `(canonical, alias)`, both normalised.
    pub aliases: Vec<(String, String)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApplyTo {
    Passing,
    None,
}

/// Examinations D.
#[derive(Debug, Clone, PartialEq)]
pub struct Preference {
    pub certified_officer: Decimal,
    pub associate: Decimal,
    pub bachelor: Decimal,
    pub master: Decimal,
    /// A reading of the ordinance: a doctorate is a higher degree than the
    /// table names, so it earns the master's points by default.
    pub doctorate: Decimal,
    pub apply_to: ApplyTo,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Board {
    pub name: String,
    pub city: String,
    pub address: String,
    pub secretary: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TieKey {
    RawScore,
    FilingDate,
    Component(String),
    Lottery,
}

impl TieKey {
    /// The key exactly as written in `tie_break`.
    pub fn label(&self) -> String {
        match self {
            TieKey::RawScore => "raw_score".into(),
            TieKey::FilingDate => "filing_date".into(),
            TieKey::Component(n) => format!("component:{n}"),
            TieKey::Lottery => "lottery".into(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Window {
    Min,
    Max,
    Size(u32),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Certification {
    pub window: Window,
    pub clearance_max_age_days: u32,
    pub clearance_agencies: Vec<String>,
}

/// The resolved exam: every default filled in, every bound checked.
#[derive(Debug, Clone, PartialEq)]
pub struct Exam {
    pub id: String,
    pub position: String,
    pub rank: Rank,
    pub kind: ExamKind,
    pub sworn: bool,
    pub list: ListKind,
    pub application_deadline: NaiveDate,
    pub list_established: NaiveDate,
    /// 0 = no expiry.
    pub list_valid_months: u32,
    pub decimals: u32,
    pub inputs: Inputs,
    pub components: Vec<Component>,
    pub preference: Preference,
    /// `[requirements] min_age` (Disqualification A.1).
    pub min_age: Option<u32>,
    pub board: Board,
    pub hearing_request_days: u32,
    /// Keys as configured; `lottery` is applied last whether listed or not.
    pub tie_break: Vec<TieKey>,
    pub lottery_seed: String,
    pub certification: Certification,
    /// The exam file as named on the command line.
    pub file: PathBuf,
}

impl Exam {
    pub fn scored(&self) -> impl Iterator<Item = &Component> {
        self.components
            .iter()
            .filter(|c| c.kind == ComponentKind::Scored)
    }

    /// The last day the list is valid: `list_established` plus
    /// `list_valid_months`, the day clamped to the month's end (SPEC 6).
    pub fn list_expires(&self) -> Option<NaiveDate> {
        if self.list_valid_months == 0 {
            return None;
        }
        crate::dates::add_months_clamped(self.list_established, self.list_valid_months)
    }
}

/// The longest text the exam file may hold in one value (characters).
pub const TEXT_MAX: usize = 1_000;

pub const DEFAULT_AGENCIES: [&str; 4] = [
    "FBI",
    "Missouri State Highway Patrol",
    "St. Louis County Police Department",
    "Chesterfield Police Department",
];

/// Reads and resolves an exam file.
pub fn load(path: &Path) -> Result<Exam> {
    let bytes = std::fs::read(path).map_err(|e| {
        Error::Input(vec![Problem::new(
            Place::File {
                file: path.display().to_string(),
            },
            format!("cannot read the exam file: {e}"),
        )])
    })?;
    parse(path, &bytes)
}

/// Parses exam-file bytes; `path` names the file in messages and anchors the
/// relative input paths.
pub fn parse(path: &Path, bytes: &[u8]) -> Result<Exam> {
    let file = path.display().to_string();
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t.strip_prefix('\u{feff}').unwrap_or(t),
        Err(e) => {
            let at = e.valid_up_to();
            let line = bytes[..at].iter().filter(|b| **b == b'\n').count() + 1;
            return Err(Error::Input(vec![Problem::new(
                Place::Line { file, line },
                format!(
                    "expected UTF-8 text, found the byte 0x{:02X} (save the file as UTF-8)",
                    bytes[at]
                ),
            )]));
        }
    };
    let doc = match toml_edit::Document::parse(text) {
        Ok(d) => d,
        Err(e) => {
            let line = e.span().map(|s| line_of(text, s.start));
            let msg = e.message().trim().to_string();
            return Err(Error::Input(vec![Problem::new(
                match line {
                    Some(line) => Place::Line { file, line },
                    None => Place::File { file },
                },
                format!("not valid TOML: {msg}"),
            )]));
        }
    };
    let mut r = Reader {
        src: text,
        file,
        problems: Vec::new(),
    };
    let dir = path.parent().unwrap_or(Path::new("")).to_path_buf();
    let exam = r.exam(doc.as_table(), &dir, path);
    if r.problems.is_empty() {
        exam.ok_or_else(|| {
            Error::Other("exam file resolved without problems but incomplete".into())
        })
    } else {
        Err(Error::from_problems(r.problems))
    }
}

fn line_of(src: &str, offset: usize) -> usize {
    src[..offset.min(src.len())].matches('\n').count() + 1
}

/// Walks the document, collecting problems.
struct Reader<'a> {
    src: &'a str,
    file: String,
    problems: Vec<Problem>,
}

type Tbl<'t> = &'t dyn TableLike;

impl<'a> Reader<'a> {
    fn problem(&mut self, key: &str, span: Option<Range<usize>>, msg: impl Into<String>) {
        let line = span.map(|s| line_of(self.src, s.start));
        self.problems.push(Problem::new(
            Place::Key {
                file: self.file.clone(),
                line,
                key: key.to_string(),
            },
            msg,
        ));
    }

    fn raw(&self, span: Option<Range<usize>>) -> Option<&'a str> {
        span.and_then(|s| self.src.get(s)).map(str::trim)
    }

    fn join(path: &str, key: &str) -> String {
        if path.is_empty() {
            key.to_string()
        } else {
            format!("{path}.{key}")
        }
    }

    /// Reports keys of `t` that are not in `allowed`.
    fn unknown_keys(&mut self, t: Tbl, path: &str, allowed: &[&str]) {
        for (k, item) in t.iter() {
            if !allowed.contains(&k) {
                let hint = closest(k, allowed)
                    .map(|s| format!(" (did you mean `{s}`?)"))
                    .unwrap_or_default();
                self.problem(
                    &Self::join(path, k),
                    t.key(k).and_then(|k| k.span()).or_else(|| item.span()),
                    format!(
                        "unknown key{hint}; the keys allowed here are: {}",
                        allowed.join(", ")
                    ),
                );
            }
        }
    }

    fn table<'t>(&mut self, t: Tbl<'t>, path: &str, key: &str, required: bool) -> Option<Tbl<'t>> {
        match t.get(key) {
            None => {
                if required {
                    self.problem(
                        &Self::join(path, key),
                        None,
                        format!("missing required table [{}]", Self::join(path, key)),
                    );
                }
                None
            }
            Some(item) => match item.as_table_like() {
                Some(tt) => Some(tt),
                None => {
                    self.problem(
                        &Self::join(path, key),
                        item.span(),
                        format!("expected a table, found {}", item.type_name()),
                    );
                    None
                }
            },
        }
    }

    fn missing(&mut self, path: &str, key: &str, what: &str) {
        self.problem(
            &Self::join(path, key),
            None,
            format!("missing required key: {what}"),
        );
    }

    fn value<'t>(
        &mut self,
        t: Tbl<'t>,
        path: &str,
        key: &str,
    ) -> Option<(&'t Value, Option<Range<usize>>)> {
        let item = t.get(key)?;
        match item {
            Item::Value(v) => Some((v, v.span().or_else(|| item.span()))),
            other => {
                self.problem(
                    &Self::join(path, key),
                    other.span(),
                    format!("expected a value, found {}", other.type_name()),
                );
                None
            }
        }
    }

    /// Whether a text is short enough for the documents: every text of the
    /// exam file (a name, a title, a path) is printed in cells, headers and
    /// certifications, so one longer than [`TEXT_MAX`] (a paste gone wrong)
    /// is refused here, not found out by a workbook part-way through.
    fn bounded(&mut self, key: &str, span: Option<Range<usize>>, s: &str) -> bool {
        let n = s.chars().count();
        if n > TEXT_MAX {
            self.problem(
                key,
                span,
                format!("expected a text of at most {TEXT_MAX} characters, found one of {n}"),
            );
            return false;
        }
        true
    }

    fn string(&mut self, t: Tbl, path: &str, key: &str) -> Option<String> {
        let (v, span) = self.value(t, path, key)?;
        match v.as_str() {
            Some(s) => self
                .bounded(&Self::join(path, key), span, s)
                .then(|| s.to_string()),
            None => {
                self.problem(
                    &Self::join(path, key),
                    span,
                    format!(
                        "expected text in quotes, found {}",
                        describe(v, self.raw(v.span()))
                    ),
                );
                None
            }
        }
    }

    fn nonblank_string(
        &mut self,
        t: Tbl,
        path: &str,
        key: &str,
        required: bool,
        what: &str,
    ) -> Option<String> {
        if t.get(key).is_none() {
            if required {
                self.missing(path, key, what);
            }
            return None;
        }
        let span = t.get(key).and_then(|i| i.span());
        let s = self.string(t, path, key)?;
        if s.trim().is_empty() && required {
            self.problem(
                &Self::join(path, key),
                span,
                format!("expected {what}, found empty text"),
            );
            return None;
        }
        Some(s.trim().to_string())
    }

    fn boolean(&mut self, t: Tbl, path: &str, key: &str) -> Option<bool> {
        let (v, span) = self.value(t, path, key)?;
        match v.as_bool() {
            Some(b) => Some(b),
            None => {
                self.problem(
                    &Self::join(path, key),
                    span,
                    format!(
                        "expected true or false, found {}",
                        describe(v, self.raw(v.span()))
                    ),
                );
                None
            }
        }
    }

    /// A whole number within `lo..=hi`.
    fn integer(&mut self, t: Tbl, path: &str, key: &str, lo: i64, hi: i64) -> Option<i64> {
        let (v, span) = self.value(t, path, key)?;
        match v.as_integer() {
            Some(i) if (lo..=hi).contains(&i) => Some(i),
            Some(i) => {
                self.problem(
                    &Self::join(path, key),
                    span,
                    format!("expected a whole number from {lo} to {hi}, found {i}"),
                );
                None
            }
            None => {
                self.problem(
                    &Self::join(path, key),
                    span,
                    format!(
                        "expected a whole number from {lo} to {hi}, found {}",
                        describe(v, self.raw(v.span()))
                    ),
                );
                None
            }
        }
    }

    /// A number read as the decimal text written in the file.
    fn decimal(
        &mut self,
        t: Tbl,
        path: &str,
        key: &str,
    ) -> Option<(Decimal, Option<Range<usize>>)> {
        let (v, span) = self.value(t, path, key)?;
        let raw = self.raw(v.span());
        let parsed = match v {
            Value::Integer(_) | Value::Float(_) => raw.and_then(parse_decimal),
            _ => None,
        };
        match parsed {
            Some(d) => Some((d, span)),
            None => {
                self.problem(
                    &Self::join(path, key),
                    span,
                    format!("expected a number, found {}", describe(v, raw)),
                );
                None
            }
        }
    }

    fn date(&mut self, t: Tbl, path: &str, key: &str, required: bool) -> Option<NaiveDate> {
        if t.get(key).is_none() {
            if required {
                self.missing(path, key, "a date written YYYY-MM-DD");
            }
            return None;
        }
        let (v, span) = self.value(t, path, key)?;
        let parsed = match v {
            Value::Datetime(dt) => {
                let dt = dt.value();
                match (dt.date, dt.time) {
                    (Some(d), None) => {
                        NaiveDate::from_ymd_opt(d.year as i32, d.month as u32, d.day as u32)
                    }
                    _ => None,
                }
            }
            Value::String(s) => NaiveDate::parse_from_str(s.value().trim(), "%Y-%m-%d").ok(),
            _ => None,
        };
        if parsed.is_none() {
            self.problem(
                &Self::join(path, key),
                span.clone(),
                format!(
                    "expected a date written YYYY-MM-DD, found {}",
                    describe(v, self.raw(v.span()))
                ),
            );
        }
        // Dates of record are printed in workbooks, which hold 1900..9999.
        match parsed {
            Some(d) if !(1900..=9999).contains(&chrono::Datelike::year(&d)) => {
                self.problem(
                    &Self::join(path, key),
                    span,
                    format!("expected a date from 1900 to 9999, found {d}"),
                );
                None
            }
            other => other,
        }
    }

    fn string_list(
        &mut self,
        t: Tbl,
        path: &str,
        key: &str,
    ) -> Option<Vec<(String, Option<Range<usize>>)>> {
        let (v, span) = self.value(t, path, key)?;
        let Some(arr) = v.as_array() else {
            self.problem(
                &Self::join(path, key),
                span,
                format!(
                    "expected a list of texts in [ ], found {}",
                    describe(v, self.raw(v.span()))
                ),
            );
            return None;
        };
        let mut out = Vec::new();
        let mut ok = true;
        for (i, item) in arr.iter().enumerate() {
            match item.as_str() {
                Some(s) => {
                    let at = format!("{}[{}]", Self::join(path, key), i);
                    if self.bounded(&at, item.span().or(span.clone()), s) {
                        out.push((s.trim().to_string(), item.span()));
                    } else {
                        ok = false;
                    }
                }
                None => {
                    ok = false;
                    self.problem(
                        &format!("{}[{}]", Self::join(path, key), i),
                        item.span().or(span.clone()),
                        format!(
                            "expected text in quotes, found {}",
                            describe(item, self.raw(item.span()))
                        ),
                    );
                }
            }
        }
        ok.then_some(out)
    }

    fn exam(&mut self, root: Tbl, dir: &Path, path: &Path) -> Option<Exam> {
        self.unknown_keys(
            root,
            "",
            &[
                "exam",
                "inputs",
                "components",
                "preference",
                "requirements",
                "board",
                "notices",
                "ranking",
                "certification",
            ],
        );

        // [exam]
        let ex = self.table(root, "", "exam", true);
        let mut id = None;
        let mut position = None;
        let mut rank = None;
        let mut kind = Some(ExamKind::Entrance);
        let mut sworn = Some(true);
        let mut list = None;
        let mut deadline = None;
        let mut established = None;
        let mut valid_months = Some(24u32);
        let mut decimals = Some(2u32);
        if let Some(t) = ex {
            let p = "exam";
            self.unknown_keys(
                t,
                p,
                &[
                    "id",
                    "position",
                    "rank",
                    "kind",
                    "sworn",
                    "list",
                    "application_deadline",
                    "list_established",
                    "list_valid_months",
                    "decimals",
                ],
            );
            id = self.nonblank_string(t, p, "id", true, "the exam id, e.g. \"PO-2026-01\"");
            position = self.nonblank_string(
                t,
                p,
                "position",
                true,
                "the position, e.g. \"Police Officer\"",
            );
            rank = self.choice(t, p, "rank", &Rank::ALL, true);
            if t.contains_key("kind") {
                kind = self.choice(
                    t,
                    p,
                    "kind",
                    &[
                        ("entrance", ExamKind::Entrance),
                        ("promotional", ExamKind::Promotional),
                    ],
                    false,
                );
            }
            if t.contains_key("sworn") {
                sworn = self.boolean(t, p, "sworn");
            }
            list = self.choice(
                t,
                p,
                "list",
                &[
                    ("ranked", ListKind::Ranked),
                    ("qualified", ListKind::Qualified),
                ],
                false,
            );
            deadline = self.date(t, p, "application_deadline", true);
            established = self.date(t, p, "list_established", true);
            if t.contains_key("list_valid_months") {
                valid_months = self
                    .integer(t, p, "list_valid_months", 0, 1200)
                    .map(|v| v as u32);
            }
            if t.contains_key("decimals") {
                decimals = self.integer(t, p, "decimals", 0, 6).map(|v| v as u32);
            }
            if let (Some(d), Some(e)) = (deadline, established) {
                if e < d {
                    self.problem(
                        "exam.list_established",
                        t.get("list_established").and_then(|i| i.span()),
                        format!(
                            "the list cannot be established ({e}) before the application deadline ({d})"
                        ),
                    );
                }
            }
            // The expiry is written into the list of record as a date
            // certify and record read back (YYYY-MM-DD): it must be one.
            if let (Some(e), Some(m)) = (established, valid_months.filter(|&m| m > 0)) {
                let expires = crate::dates::add_months_clamped(e, m);
                if expires.is_none_or(|x| x.year() > 9999) {
                    self.problem(
                        "exam.list_established",
                        t.get("list_established").and_then(|i| i.span()),
                        format!(
                            "a list established on {e} and valid for {m} months would expire after the year 9999; check the year"
                        ),
                    );
                }
            }
        }

        let inputs = self.inputs(root, dir);
        let components = self.components(root);
        let places = decimals.unwrap_or(2);
        let preference = self.preference(root, places);

        // [requirements]
        let mut min_age = None;
        if let Some(t) = self.table(root, "", "requirements", false) {
            self.unknown_keys(t, "requirements", &["min_age"]);
            if t.contains_key("min_age") {
                min_age = self
                    .integer(t, "requirements", "min_age", 1, 99)
                    .map(|v| v as u32);
            }
        }

        // [board]
        let mut board = Board {
            name: "Police Personnel Board".into(),
            city: String::new(),
            address: String::new(),
            secretary: String::new(),
        };
        if let Some(t) = self.table(root, "", "board", false) {
            self.unknown_keys(t, "board", &["name", "city", "address", "secretary"]);
            for (key, slot) in [
                ("name", &mut board.name),
                ("city", &mut board.city),
                ("address", &mut board.address),
                ("secretary", &mut board.secretary),
            ] {
                if t.contains_key(key) {
                    if let Some(s) = self.string(t, "board", key) {
                        *slot = s.trim().to_string();
                    }
                }
            }
        }

        // [notices]
        let mut hearing_request_days = 10;
        if let Some(t) = self.table(root, "", "notices", false) {
            self.unknown_keys(t, "notices", &["hearing_request_days"]);
            if t.contains_key("hearing_request_days") {
                if let Some(v) = self.integer(t, "notices", "hearing_request_days", 1, 365) {
                    hearing_request_days = v as u32;
                }
            }
        }

        let (tie_break, seed) = self.ranking(root, &components);
        if let (Some(cs), Some(r)) = (&components, rank) {
            let ranked = list.unwrap_or_else(|| r.default_list()) == ListKind::Ranked;
            if ranked && !cs.iter().any(|c| c.kind == ComponentKind::Scored) {
                self.problem(
                    "components",
                    None,
                    "a ranked list (Examinations C: in order of merit) needs at least one scored component; every component here is pass/fail",
                );
            }
        }
        let certification = self.certification(root);
        if let (Some(inputs), Some(cs), Some(cert)) = (&inputs, &components, &certification) {
            self.check_aliases(inputs, cs, cert);
        }

        let (
            id,
            position,
            rank,
            kind,
            sworn,
            deadline,
            established,
            valid_months,
            decimals,
            inputs,
            components,
            preference,
            certification,
        ) = (
            id?,
            position?,
            rank?,
            kind?,
            sworn?,
            deadline?,
            established?,
            valid_months?,
            decimals?,
            inputs?,
            components?,
            preference?,
            certification?,
        );
        let tie_break = tie_break?;
        Some(Exam {
            lottery_seed: seed.unwrap_or_else(|| id.clone()),
            id,
            position,
            list: list.unwrap_or_else(|| rank.default_list()),
            rank,
            kind,
            sworn,
            application_deadline: deadline,
            list_established: established,
            list_valid_months: valid_months,
            decimals,
            inputs,
            components,
            preference,
            min_age,
            board,
            hearing_request_days,
            tie_break,
            certification,
            file: path.to_path_buf(),
        })
    }

    fn choice<T: Copy>(
        &mut self,
        t: Tbl,
        path: &str,
        key: &str,
        options: &[(&str, T)],
        required: bool,
    ) -> Option<T> {
        if t.get(key).is_none() {
            if required {
                let names: Vec<_> = options.iter().map(|(s, _)| format!("\"{s}\"")).collect();
                self.missing(path, key, &format!("one of {}", names.join(", ")));
            }
            return None;
        }
        let span = t.get(key).and_then(|i| i.span());
        let s = self.string(t, path, key)?;
        let norm = s.trim().to_lowercase().replace([' ', '-'], "_");
        match options.iter().find(|(name, _)| *name == norm) {
            Some((_, v)) => Some(*v),
            None => {
                let names: Vec<_> = options.iter().map(|(s, _)| format!("\"{s}\"")).collect();
                self.problem(
                    &Self::join(path, key),
                    span,
                    format!("expected one of {}, found \"{s}\"", names.join(", ")),
                );
                None
            }
        }
    }

    fn input_entry(&mut self, item: &Item, key: &str, dir: &Path) -> Option<InputSpec> {
        let span = item.span();
        let (text, delimiter, sheet_key) = if let Some(s) = item.as_str() {
            if !self.bounded(key, span.clone(), s) {
                return None;
            }
            (s.to_string(), None, None)
        } else if let Some(t) = item.as_table_like() {
            self.unknown_keys(t, key, &["path", "delimiter", "sheet"]);
            let p = self.nonblank_string(t, key, "path", true, "the file's path");
            let delim = if t.contains_key("delimiter") {
                let dspan = t.get("delimiter").and_then(|i| i.span());
                match self.string(t, key, "delimiter") {
                    Some(d) => {
                        let d = if d == "\\t" || d.eq_ignore_ascii_case("tab") {
                            "\t".to_string()
                        } else {
                            d
                        };
                        if d.len() == 1 && d.is_ascii() && d != "\"" && d != "\n" && d != "\r" {
                            Some(d.as_bytes()[0])
                        } else {
                            self.problem(
                                &format!("{key}.delimiter"),
                                dspan,
                                format!("expected one character such as \",\", \";\" or \"\\t\", found \"{d}\""),
                            );
                            None
                        }
                    }
                    None => None,
                }
            } else {
                None
            };
            let sheet = if t.contains_key("sheet") {
                self.nonblank_string(t, key, "sheet", true, "a sheet name")
            } else {
                None
            };
            (p?, delim, sheet)
        } else {
            self.problem(
                key,
                span,
                format!(
                    "expected a file name in quotes or {{ path = \"…\", delimiter = \"…\" }}, found {}",
                    item.type_name()
                ),
            );
            return None;
        };
        let text = text.trim().to_string();
        if text.is_empty() {
            self.problem(key, span, "expected a file name, found empty text");
            return None;
        }
        let (file, sheet) = match (text.rsplit_once('#'), sheet_key) {
            (_, Some(s)) => (text.clone(), Some(s)),
            (Some((f, s)), None) if !s.trim().is_empty() => {
                (f.trim().to_string(), Some(s.trim().to_string()))
            }
            _ => (text.clone(), None),
        };
        // What the file's kind allows is checked here, where the mistake
        // is (the reader checks it again).
        let path = dir.join(&file);
        let ext = crate::ingest::table::extension(&path);
        if crate::ingest::table::is_csv(&ext) {
            if let Some(s) = &sheet {
                self.problem(
                    key,
                    span.clone(),
                    format!("the sheet \"{s}\" is named for {file}, but a CSV file has no sheets: remove it"),
                );
            }
        } else if crate::ingest::table::is_spreadsheet(&ext) {
            if delimiter.is_some() {
                self.problem(
                    &format!("{key}.delimiter"),
                    span.clone(),
                    format!("a delimiter is given for {file}, but a spreadsheet has none: remove it (delimiters are for CSV files)"),
                );
            }
        } else {
            self.problem(
                key,
                span.clone(),
                format!("expected a spreadsheet (.xlsx, .xlsm, .xls, .xlsb, .ods) or a CSV file (.csv, .tsv, .txt), found {file}, a file ending in \"{ext}\""),
            );
        }
        Some(InputSpec {
            path,
            display: file,
            sheet,
            delimiter,
        })
    }

    fn inputs(&mut self, root: Tbl, dir: &Path) -> Option<Inputs> {
        let t = self.table(root, "", "inputs", true)?;
        let p = "inputs";
        self.unknown_keys(
            t,
            p,
            &[
                "applicants",
                "scores",
                "determinations",
                "clearances",
                "date_order",
                "columns",
            ],
        );
        let applicants = match t.get("applicants") {
            Some(i) => self.input_entry(i, "inputs.applicants", dir),
            None => {
                self.missing(
                    p,
                    "applicants",
                    "the applicants file, e.g. \"applicants.xlsx\"",
                );
                None
            }
        };
        let scores = match t.get("scores") {
            None => {
                self.missing(
                    p,
                    "scores",
                    "the score file(s), e.g. [\"written.csv\", \"oral.xlsx#Panel\"]",
                );
                None
            }
            Some(item) => {
                if let Some(arr) = item.as_array() {
                    let mut out = Vec::new();
                    let mut ok = true;
                    for (i, v) in arr.iter().enumerate() {
                        let it = Item::Value(v.clone());
                        match self.input_entry_value(v, &it, &format!("inputs.scores[{i}]"), dir) {
                            Some(s) => out.push(s),
                            None => ok = false,
                        }
                    }
                    if out.is_empty() && ok {
                        self.problem(
                            "inputs.scores",
                            item.span(),
                            "expected at least one score file, found an empty list",
                        );
                        ok = false;
                    }
                    ok.then_some(out)
                } else if let Some(aot) = item.as_array_of_tables() {
                    let mut out = Vec::new();
                    let mut ok = true;
                    for (i, tbl) in aot.iter().enumerate() {
                        let it = Item::Table(tbl.clone());
                        match self.input_entry(&it, &format!("inputs.scores[{i}]"), dir) {
                            Some(s) => out.push(s),
                            None => ok = false,
                        }
                    }
                    ok.then_some(out)
                } else {
                    self.input_entry(item, "inputs.scores", dir)
                        .map(|s| vec![s])
                }
            }
        };
        let determinations = match t.get("determinations") {
            Some(i) => Some(self.input_entry(i, "inputs.determinations", dir)?),
            None => None,
        };
        let clearances = match t.get("clearances") {
            Some(i) => Some(self.input_entry(i, "inputs.clearances", dir)?),
            None => None,
        };
        let date_order = if t.contains_key("date_order") {
            self.choice(
                t,
                p,
                "date_order",
                &[("mdy", DateOrder::Mdy), ("dmy", DateOrder::Dmy)],
                false,
            )?
        } else {
            DateOrder::Mdy
        };
        let mut aliases = Vec::new();
        if let Some(ct) = self.table(t, p, "columns", false) {
            for (k, item) in ct.iter() {
                let key = format!("inputs.columns.{k}");
                let canonical = normalise_header(k);
                let names: Vec<(String, Option<Range<usize>>)> = if let Some(s) = item.as_str() {
                    if !self.bounded(&key, item.span(), s) {
                        continue;
                    }
                    vec![(s.to_string(), item.span())]
                } else if item.as_array().is_some() {
                    self.string_list(ct, "inputs.columns", k)
                        .unwrap_or_default()
                } else {
                    self.problem(
                        &key,
                        item.span(),
                        format!(
                            "expected the header used in the files, in quotes, found {}",
                            item.type_name()
                        ),
                    );
                    continue;
                };
                for (name, span) in names {
                    let alias = normalise_header(&name);
                    if alias.is_empty() {
                        self.problem(
                            &key,
                            span,
                            format!("expected a header with letters or digits, found \"{name}\""),
                        );
                    } else {
                        aliases.push((canonical.clone(), alias));
                    }
                }
            }
            // One header cannot stand for two fields.
            let mut seen: Vec<(&String, &String)> = Vec::new();
            let mut clashes = Vec::new();
            for (c, a) in &aliases {
                if let Some((c0, _)) = seen.iter().find(|(c0, a0)| *a0 == a && *c0 != c) {
                    clashes.push(format!(
                        "the header \"{a}\" is given for both `{c0}` and `{c}`"
                    ));
                }
                seen.push((c, a));
            }
            for m in clashes {
                self.problem("inputs.columns", None, m);
            }
        }
        Some(Inputs {
            applicants: applicants?,
            scores: scores?,
            determinations,
            clearances,
            date_order,
            aliases,
        })
    }

    fn input_entry_value(
        &mut self,
        v: &Value,
        it: &Item,
        key: &str,
        dir: &Path,
    ) -> Option<InputSpec> {
        let _ = v;
        self.input_entry(it, key, dir)
    }

    fn components(&mut self, root: Tbl) -> Option<Vec<Component>> {
        let Some(item) = root.get("components") else {
            self.problem(
                "components",
                None,
                "missing required [[components]]: at least one examination component (Examinations A)",
            );
            return None;
        };
        let tables: Vec<(Item, String)> = if let Some(aot) = item.as_array_of_tables() {
            aot.iter()
                .enumerate()
                .map(|(i, t)| (Item::Table(t.clone()), format!("components[{i}]")))
                .collect()
        } else if let Some(arr) = item.as_array() {
            arr.iter()
                .enumerate()
                .map(|(i, v)| (Item::Value(v.clone()), format!("components[{i}]")))
                .collect()
        } else {
            self.problem(
                "components",
                item.span(),
                format!("expected [[components]] tables, found {}", item.type_name()),
            );
            return None;
        };
        let mut out = Vec::new();
        let mut ok = true;
        for (item, p) in &tables {
            let Some(t) = item.as_table_like() else {
                self.problem(
                    p,
                    item.span(),
                    format!("expected a table, found {}", item.type_name()),
                );
                ok = false;
                continue;
            };
            match self.component(t, p) {
                Some(c) => out.push(c),
                None => ok = false,
            }
        }
        if tables.is_empty() {
            self.problem("components", item.span(), "expected at least one component");
            ok = false;
        }
        // A component named twice, or a column read by two components.
        for (i, c) in out.iter().enumerate() {
            if out[..i]
                .iter()
                .any(|o| normalise_header(&o.name) == normalise_header(&c.name))
            {
                self.problem(
                    &format!("components[{i}].name"),
                    None,
                    format!("the component \"{}\" is named twice", c.name),
                );
                ok = false;
            }
            for col in c.column_keys() {
                if let Some(o) = out[..i].iter().find(|o| o.column_keys().contains(&col)) {
                    self.problem(
                        &format!("components[{i}].columns"),
                        None,
                        format!(
                            "the column \"{col}\" is already read by the component \"{}\"",
                            o.name
                        ),
                    );
                    ok = false;
                }
            }
        }
        if ok {
            let scored: Vec<&Component> = out
                .iter()
                .filter(|c| c.kind == ComponentKind::Scored)
                .collect();
            let sum: Decimal = scored.iter().map(|c| c.weight).sum();
            if !scored.is_empty() && sum != Decimal::ONE {
                let parts: Vec<String> = scored
                    .iter()
                    .map(|c| format!("{} {}", c.name, c.weight))
                    .collect();
                self.problem(
                    "components.weight",
                    None,
                    format!(
                        "the weights of the scored components must sum to exactly 1, found {} ({})",
                        sum.normalize(),
                        parts.join(" + ")
                    ),
                );
                ok = false;
            }
        }
        ok.then_some(out)
    }

    /// Every `[inputs.columns]` key must name a canonical field or a
    /// component column: a typo would otherwise leave the vendor's column
    /// unread and silently drop what it holds (points, a date, a score).
    fn check_aliases(&mut self, inputs: &Inputs, components: &[Component], cert: &Certification) {
        let mut known: Vec<String> = crate::ingest::FIELDS
            .iter()
            .map(|s| s.to_string())
            .collect();
        known.extend(components.iter().flat_map(|c| c.column_keys()));
        known.extend(cert.clearance_agencies.iter().map(|a| normalise_header(a)));
        let mut reported: Vec<&str> = Vec::new();
        for (canonical, _) in &inputs.aliases {
            if known.contains(canonical) || reported.contains(&canonical.as_str()) {
                continue;
            }
            reported.push(canonical);
            let allowed: Vec<&str> = known.iter().map(String::as_str).collect();
            let hint = closest(canonical, &allowed)
                .map(|s| format!(" (did you mean `{s}`?)"))
                .unwrap_or_default();
            let note = components
                .iter()
                .find(|c| normalise_header(&c.name) == *canonical && c.columns.len() > 1)
                .map(|c| {
                    format!(
                        "; the component {} is read from its rater columns {}, so alias those",
                        c.name,
                        c.column_keys().join(", ")
                    )
                })
                .unwrap_or_default();
            self.problem(
                &format!("inputs.columns.{canonical}"),
                None,
                format!("`{canonical}` is neither a field of the input files nor a component column{hint}{note}"),
            );
        }
    }

    fn component(&mut self, t: Tbl, p: &str) -> Option<Component> {
        self.unknown_keys(
            t,
            p,
            &["name", "type", "weight", "max", "pass_mark", "columns"],
        );
        let name =
            self.nonblank_string(t, p, "name", true, "the component's name, e.g. \"written\"");
        if let Some(n) = &name {
            if normalise_header(n).is_empty() {
                self.problem(
                    &format!("{p}.name"),
                    t.get("name").and_then(|i| i.span()),
                    format!("expected a name with letters or digits, found \"{n}\""),
                );
            }
        }
        let kind = if t.contains_key("type") {
            self.choice(
                t,
                p,
                "type",
                &[
                    ("scored", ComponentKind::Scored),
                    ("pass_fail", ComponentKind::PassFail),
                ],
                false,
            )
        } else {
            Some(ComponentKind::Scored)
        };
        let mut weight = None;
        let mut max = Some(Decimal::ONE_HUNDRED);
        let mut pass_mark = None;
        let mut bad = false;
        match kind {
            Some(ComponentKind::Scored) => {
                match self.decimal(t, p, "weight") {
                    Some((w, span)) => {
                        if w <= Decimal::ZERO || w > Decimal::ONE {
                            self.problem(
                                &format!("{p}.weight"),
                                span,
                                format!("expected a weight above 0 and at most 1, found {w}"),
                            );
                            bad = true;
                        } else {
                            weight = Some(w);
                        }
                    }
                    None => {
                        if !t.contains_key("weight") {
                            self.missing(p, "weight", "the scored component's weight, e.g. 0.6");
                        }
                        bad = true;
                    }
                }
                if t.contains_key("max") {
                    max = match self.decimal(t, p, "max") {
                        Some((m, _)) if m > Decimal::ZERO && m <= Decimal::from(1_000_000) => {
                            Some(m)
                        }
                        Some((m, span)) => {
                            self.problem(
                                &format!("{p}.max"),
                                span,
                                format!(
                                    "expected a raw maximum above 0 and at most 1000000, found {m}"
                                ),
                            );
                            None
                        }
                        None => None,
                    };
                }
                if t.contains_key("pass_mark") {
                    match self.decimal(t, p, "pass_mark") {
                        Some((m, _)) if m >= Decimal::ZERO && m <= Decimal::ONE_HUNDRED => {
                            pass_mark = Some(m)
                        }
                        Some((m, span)) => {
                            self.problem(&format!("{p}.pass_mark"), span, format!("expected a pass mark from 0 to 100 (on the scaled 0..100 scale), found {m}"));
                            bad = true;
                        }
                        None => bad = true,
                    }
                }
            }
            Some(ComponentKind::PassFail) => {
                for key in ["weight", "max", "pass_mark"] {
                    if t.contains_key(key) {
                        self.problem(&format!("{p}.{key}"), t.get(key).and_then(|i| i.span()), format!("a pass/fail component has no {key}; remove it or make the component type \"scored\""));
                        bad = true;
                    }
                }
                weight = Some(Decimal::ZERO);
            }
            None => bad = true,
        }
        let columns = if t.contains_key("columns") {
            match self.string_list(t, p, "columns") {
                Some(cols) if !cols.is_empty() => {
                    let mut out = Vec::new();
                    for (c, span) in cols {
                        let key = normalise_header(&c);
                        if key.is_empty() {
                            self.problem(
                                &format!("{p}.columns"),
                                span,
                                format!(
                                    "expected a column name with letters or digits, found \"{c}\""
                                ),
                            );
                            bad = true;
                        } else if out.iter().any(|o: &String| normalise_header(o) == key) {
                            self.problem(
                                &format!("{p}.columns"),
                                span,
                                format!("the column \"{c}\" is listed twice"),
                            );
                            bad = true;
                        } else {
                            out.push(c);
                        }
                    }
                    Some(out)
                }
                Some(_) => {
                    self.problem(
                        &format!("{p}.columns"),
                        t.get("columns").and_then(|i| i.span()),
                        "expected at least one column name, found an empty list",
                    );
                    None
                }
                None => None,
            }
        } else {
            name.clone().map(|n| vec![n])
        };
        if bad {
            return None;
        }
        Some(Component {
            name: name?,
            kind: kind?,
            weight: weight?,
            max: max?,
            pass_mark,
            columns: columns?,
        })
    }

    fn preference(&mut self, root: Tbl, places: u32) -> Option<Preference> {
        let d = |n: i64| Decimal::from(n);
        let mut pref = Preference {
            certified_officer: d(3),
            associate: d(1),
            bachelor: d(2),
            master: d(3),
            doctorate: d(3),
            apply_to: ApplyTo::Passing,
        };
        let Some(t) = self.table(root, "", "preference", false) else {
            return Some(pref);
        };
        self.unknown_keys(
            t,
            "preference",
            &["certified_officer", "degree", "apply_to"],
        );
        let mut ok = true;
        let mut points = |r: &mut Self, t: Tbl, path: &str, key: &str, slot: &mut Decimal| {
            if !t.contains_key(key) {
                return;
            }
            match r.decimal(t, path, key) {
                Some((v, span)) => {
                    if v < Decimal::ZERO {
                        r.problem(
                            &Self::join(path, key),
                            span,
                            format!("expected points of 0 or more, found {v}"),
                        );
                        ok = false;
                    } else if places_needed(v) > places {
                        r.problem(
                            &Self::join(path, key),
                            span,
                            format!("{v} has more decimal places than the exam's `decimals` ({places}) allows"),
                        );
                        ok = false;
                    } else {
                        *slot = v;
                    }
                }
                None => ok = false,
            }
        };
        points(
            self,
            t,
            "preference",
            "certified_officer",
            &mut pref.certified_officer,
        );
        if let Some(dt) = self.table(t, "preference", "degree", false) {
            self.unknown_keys(
                dt,
                "preference.degree",
                &["associate", "bachelor", "master", "doctorate"],
            );
            points(
                self,
                dt,
                "preference.degree",
                "associate",
                &mut pref.associate,
            );
            points(
                self,
                dt,
                "preference.degree",
                "bachelor",
                &mut pref.bachelor,
            );
            points(self, dt, "preference.degree", "master", &mut pref.master);
            points(
                self,
                dt,
                "preference.degree",
                "doctorate",
                &mut pref.doctorate,
            );
        } else if t.contains_key("degree") {
            ok = false;
        }
        if t.contains_key("apply_to") {
            match self.choice(
                t,
                "preference",
                "apply_to",
                &[("passing", ApplyTo::Passing), ("none", ApplyTo::None)],
                false,
            ) {
                Some(a) => pref.apply_to = a,
                None => ok = false,
            }
        }
        ok.then_some(pref)
    }

    fn ranking(
        &mut self,
        root: Tbl,
        components: &Option<Vec<Component>>,
    ) -> (Option<Vec<TieKey>>, Option<String>) {
        let default = vec![TieKey::RawScore, TieKey::FilingDate, TieKey::Lottery];
        let Some(t) = self.table(root, "", "ranking", false) else {
            return (Some(default), None);
        };
        self.unknown_keys(t, "ranking", &["tie_break", "lottery_seed"]);
        let seed = if t.contains_key("lottery_seed") {
            self.nonblank_string(t, "ranking", "lottery_seed", true, "the lottery seed text")
        } else {
            None
        };
        if !t.contains_key("tie_break") {
            return (Some(default), seed);
        }
        let Some(list) = self.string_list(t, "ranking", "tie_break") else {
            return (None, seed);
        };
        let mut keys = Vec::new();
        let mut ok = true;
        let n = list.len();
        for (i, (s, span)) in list.into_iter().enumerate() {
            let key = format!("ranking.tie_break[{i}]");
            let k = match s.as_str() {
                "raw_score" => TieKey::RawScore,
                "filing_date" => TieKey::FilingDate,
                "lottery" => {
                    if i + 1 != n {
                        self.problem(&key, span.clone(), "`lottery` must be the last tie-break key (it separates every tie, so no key after it could ever apply)");
                        ok = false;
                    }
                    TieKey::Lottery
                }
                other if other.starts_with("component:") => {
                    let name = &other["component:".len()..];
                    match components {
                        Some(cs) => match cs.iter().find(|c| c.name == name) {
                            Some(c) if c.kind == ComponentKind::Scored => {
                                TieKey::Component(name.to_string())
                            }
                            Some(_) => {
                                self.problem(&key, span.clone(), format!("`{other}` names a pass/fail component; a tie-break needs a scored component"));
                                ok = false;
                                continue;
                            }
                            None => {
                                let names: Vec<_> = cs
                                    .iter()
                                    .filter(|c| c.kind == ComponentKind::Scored)
                                    .map(|c| format!("component:{}", c.name))
                                    .collect();
                                self.problem(&key, span.clone(), format!("`{other}` names no component of this exam; the scored components are: {}", names.join(", ")));
                                ok = false;
                                continue;
                            }
                        },
                        None => continue,
                    }
                }
                other => {
                    self.problem(&key, span.clone(), format!("expected \"raw_score\", \"filing_date\", \"component:NAME\" or \"lottery\", found \"{other}\""));
                    ok = false;
                    continue;
                }
            };
            if keys.contains(&k) {
                self.problem(
                    &key,
                    span,
                    format!("the tie-break key \"{}\" is listed twice", k.label()),
                );
                ok = false;
                continue;
            }
            keys.push(k);
        }
        (ok.then_some(keys), seed)
    }

    fn certification(&mut self, root: Tbl) -> Option<Certification> {
        let mut c = Certification {
            window: Window::Min,
            clearance_max_age_days: 30,
            clearance_agencies: DEFAULT_AGENCIES.iter().map(|s| s.to_string()).collect(),
        };
        let Some(t) = self.table(root, "", "certification", false) else {
            return Some(c);
        };
        let p = "certification";
        self.unknown_keys(
            t,
            p,
            &["window", "clearance_max_age_days", "clearance_agencies"],
        );
        let mut ok = true;
        if let Some((v, span)) = self.value(t, p, "window") {
            match v {
                Value::String(s) if s.value() == "min" => c.window = Window::Min,
                Value::String(s) if s.value() == "max" => c.window = Window::Max,
                Value::Integer(i) if *i.value() >= 3 && *i.value() <= 10_000 => {
                    c.window = Window::Size(*i.value() as u32)
                }
                other => {
                    self.problem("certification.window", span, format!("expected \"min\" (N+2 names), \"max\" (3N names) or a whole number of names of at least 3, found {}", describe(other, self.raw(other.span()))));
                    ok = false;
                }
            }
        }
        if t.contains_key("clearance_max_age_days") {
            match self.integer(t, p, "clearance_max_age_days", 0, 3650) {
                Some(v) => c.clearance_max_age_days = v as u32,
                None => ok = false,
            }
        }
        if t.contains_key("clearance_agencies") {
            match self.string_list(t, p, "clearance_agencies") {
                Some(list) => {
                    let mut names: Vec<String> = Vec::new();
                    for (s, span) in list {
                        let key = normalise_header(&s);
                        if key.is_empty() {
                            self.problem(
                                "certification.clearance_agencies",
                                span,
                                format!("expected an agency name, found \"{s}\""),
                            );
                            ok = false;
                        } else if key == "applicant_id"
                            || key == "fingerprinted_on"
                            || names.iter().any(|n| normalise_header(n) == key)
                        {
                            self.problem("certification.clearance_agencies", span, format!("the agency \"{s}\" is listed twice or clashes with another column of the clearances file"));
                            ok = false;
                        } else {
                            names.push(s);
                        }
                    }
                    c.clearance_agencies = names;
                }
                None => ok = false,
            }
        }
        ok.then_some(c)
    }
}

/// Describes a value for a message: its kind and its text as written.
fn describe(v: &Value, raw: Option<&str>) -> String {
    let kind = match v {
        Value::String(_) => "text",
        Value::Integer(_) => "a whole number",
        Value::Float(_) => "a number",
        Value::Boolean(_) => "true/false",
        Value::Datetime(_) => "a date",
        Value::Array(_) => "a list",
        Value::InlineTable(_) => "a table",
    };
    match raw {
        Some(r) if r.len() <= 60 => format!("{kind} {r}"),
        _ => kind.to_string(),
    }
}

/// The allowed key closest to a typo, when it is close enough to suggest.
fn closest<'s>(key: &str, allowed: &[&'s str]) -> Option<&'s str> {
    allowed
        .iter()
        .map(|a| (crate::fields::edit_distance(key, a), *a))
        .filter(|(d, a)| *d <= 2.max(a.len() / 4))
        .min()
        .map(|(_, a)| a)
}
