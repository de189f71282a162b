//! `eligibility-list.xlsx`: the list of record as a print-ready workbook
//! (Form of papers: Letter paper, 1-inch margins; the header row repeated on
//! every page, one page wide, "Page N of M" in the footer), with the
//! certification lines under the list for the Secretary to sign.
//!
//! Scores are number cells shown with exactly `decimals` places. A workbook
//! can only hold binary doubles; the exact figures are in the CSVs and
//! `result.json`, and every figure here displays identically to them.

use crate::record::{ApplicantRecord, Head, ListEntry};
use crate::rules::Status;
use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{
    DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError,
};
use std::path::Path;

pub const SHEETS: [&str; 4] = ["Eligibility List", "Not Eligible", "Scores", "Audit"];

/// The most data rows a sheet can hold: Excel's 1,048,576 rows less the
/// header and a closing note. Larger lists are whole in the CSVs.
pub const MAX_ROWS: u32 = 1_048_574;

struct Styles {
    header: Format,
    text: Format,
    wrap: Format,
    number: Format,
    integer: Format,
    date: Format,
    title: Format,
    label: Format,
    signature: Format,
}

fn styles(decimals: u32) -> Styles {
    let places = if decimals == 0 {
        "0".to_string()
    } else {
        format!("0.{}", "0".repeat(decimals as usize))
    };
    let base = Format::new().set_font_size(10);
    Styles {
        header: base
            .clone()
            .set_bold()
            .set_text_wrap()
            .set_align(FormatAlign::Top)
            .set_border_bottom(FormatBorder::Thin)
            .set_background_color(0xE7E6E6),
        text: base.clone().set_align(FormatAlign::Top),
        wrap: base.clone().set_text_wrap().set_align(FormatAlign::Top),
        number: base
            .clone()
            .set_num_format(&places)
            .set_align(FormatAlign::Top),
        integer: base
            .clone()
            .set_num_format("0")
            .set_align(FormatAlign::Top)
            .set_align(FormatAlign::Center),
        date: base
            .clone()
            .set_num_format("yyyy-mm-dd")
            .set_align(FormatAlign::Left),
        title: base.clone().set_bold().set_font_size(11),
        label: base.clone().set_bold(),
        signature: base.clone().set_border_bottom(FormatBorder::Thin),
    }
}

/// Escapes text for an Excel page header or footer, where `&` starts a code.
/// A text for a page header or footer: `&` escaped, and cut to 40
/// characters (with "…"), since Excel holds at most 255 characters in a
/// header or footer, codes included, and rust_xlsxwriter drops a longer one
/// (with a message on stderr). Four texts of 40 and the codes fit.
pub(crate) fn hf(s: &str) -> String {
    const MAX: usize = 40;
    let escaped = s.replace('&', "&&");
    if escaped.chars().count() <= MAX {
        return escaped;
    }
    // Cut by characters as written (`&&` counts two), never inside `&&`.
    let mut out = String::new();
    let mut n = 0;
    for c in s.chars() {
        let w = if c == '&' { 2 } else { 1 };
        if n + w > MAX - 1 {
            break;
        }
        if c == '&' {
            out.push_str("&&");
        } else {
            out.push(c);
        }
        n += w;
    }
    out.push('…');
    out
}

fn parse_date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

fn excel_date(d: NaiveDate) -> ExcelDateTime {
    // Cannot fail: every date passed comes from the exam, which exam::parse keeps within
    // 1900..=9999 (dates, and list_expires via its 9999 check), Excel's range.
    ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)
        .expect("dates of record are within Excel's range")
}

/// Letter paper (Form of papers B: 8½ × 11 in), every margin at least one
/// inch — the page header and footer print on the 1-inch line and the body
/// starts below them — one page wide, the header row repeated and frozen,
/// the exam and position in the page header, "Page N of M" in the footer.
fn page_setup(ws: &mut Worksheet, r: &Head, title: &str, landscape: bool) -> Result<(), XlsxError> {
    ws.set_paper_size(1);
    ws.set_margins(1.0, 1.0, 1.35, 1.35, 1.0, 1.0);
    if landscape {
        ws.set_landscape();
    } else {
        ws.set_portrait();
    }
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(0, 0)?;
    ws.set_freeze_panes(1, 0)?;
    ws.set_header(format!(
        "&L&\"-,Bold\"{} — {}&R{} {}",
        hf(&r.exam.position),
        hf(title),
        hf(&r.exam.id),
        hf(&r.audit.rules.board_name),
    ));
    ws.set_footer(format!(
        "&L{}, list established {}&CPage &P of &N&R{}",
        hf(&r.exam.id),
        hf(&r.exam.list_established),
        hf(&r.exam.position),
    ));
    Ok(())
}

fn header_row(ws: &mut Worksheet, s: &Styles, headers: &[&str]) -> Result<(), XlsxError> {
    for (c, h) in headers.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &s.header)?;
    }
    ws.set_row_height(0, 27)?;
    Ok(())
}

/// Each data column's style, given once for the column: the data cells are
/// written without one and take their column's (Excel does the same for a
/// cell without a style of its own), so the sheet shows what it showed
/// when every cell carried its style, and rust_xlsxwriter no longer hashes
/// a whole `Format` for each of millions of cells (about 15% of all CPU at
/// 1,000,000 applicants; issue 6). A blank cell below the data shows the
/// column's style too: nothing visible (no border, no fill).
fn column_formats(ws: &mut Worksheet, formats: &[&Format]) -> Result<(), XlsxError> {
    for (c, f) in formats.iter().enumerate() {
        ws.set_column_format(c as u16, f)?;
    }
    Ok(())
}

fn number(ws: &mut Worksheet, row: u32, col: u16, v: &Option<String>) -> Result<(), XlsxError> {
    // No figure: nothing is written; the column's style shows the same.
    if let Some(text) = v {
        // The published text is exact; the cell shows it with the same
        // places (its column's number format).
        // Cannot fail: every figure is num::fixed's text of a Decimal (digits, an optional
        // leading '-' and '.'), which f64's FromStr accepts.
        let x: f64 = text.parse().expect("published figures are decimal text");
        ws.write_number(row, col, x)?;
    }
    Ok(())
}

/// Column widths that follow the longest text seen, within bounds.
struct Widths(Vec<(usize, f64, f64)>);

impl Widths {
    fn new(bounds: &[(f64, f64)]) -> Self {
        Widths(bounds.iter().map(|(lo, hi)| (0, *lo, *hi)).collect())
    }
    fn see(&mut self, col: usize, text: &str) {
        if let Some(w) = self.0.get_mut(col) {
            w.0 = w.0.max(text.chars().count());
        }
    }
    fn apply(&self, ws: &mut Worksheet) -> Result<(), XlsxError> {
        for (c, (longest, lo, hi)) in self.0.iter().enumerate() {
            ws.set_column_width(c as u16, (*longest as f64 + 2.0).clamp(*lo, *hi))?;
        }
        Ok(())
    }
}

/// Writes `eligibility-list.xlsx` row by row in constant memory: each sheet
/// streams to a temporary file, whatever the number of applicants.
pub struct WorkbookWriter {
    wb: Workbook,
    s: Styles,
    ranked: bool,
    sheets: [Sheet; 3],
}

/// How far a data sheet is written.
struct Sheet {
    rows: u32,
    widths: Widths,
    truncated: bool,
}

impl Sheet {
    fn new(widths: Widths) -> Self {
        Sheet {
            rows: 0,
            widths,
            truncated: false,
        }
    }

    /// The next data row, or `None` when the sheet is full.
    fn next_row(&mut self) -> Option<u32> {
        if self.rows >= MAX_ROWS {
            self.truncated = true;
            return None;
        }
        self.rows += 1;
        Some(self.rows)
    }
}

/// The rows of the list sheet, in list order. With [`NotEligibleRows`] and
/// [`ScoreRows`] it can be filled on a thread of its own (issue 6): the
/// sheets are independent until the workbook is saved.
pub struct ListRows<'a> {
    list: (&'a mut Worksheet, &'a mut Sheet),
    ranked: bool,
}

/// The rows of the Not Eligible sheet, in natural ID order.
pub struct NotEligibleRows<'a> {
    not_eligible: (&'a mut Worksheet, &'a mut Sheet),
}

/// The rows of the Scores sheet, in natural ID order.
pub struct ScoreRows<'a> {
    scores: (&'a mut Worksheet, &'a mut Sheet),
}

const LIST: usize = 0;
const NOT_ELIGIBLE: usize = 1;
const SCORES: usize = 2;

impl WorkbookWriter {
    /// Starts the workbook; its temporary files go in `tempdir`.
    pub fn new(head: &Head, tempdir: &Path) -> Result<Self, XlsxError> {
        let s = styles(head.exam.decimals);
        let mut wb = Workbook::new();
        wb.set_tempdir(tempdir)?;
        // Excel's own level: about half the save time of the default (6)
        // for a file about 5% larger (issue 6; rust_xlsxwriter's guide).
        wb.set_zip_compression_level(3);
        // Cannot fail: `head` is Scored::head's, whose list_established is dates::iso of the
        // exam's date (1900..=9999): YYYY-MM-DD, as parse_date reads.
        let established =
            parse_date(&head.exam.list_established).expect("the record's dates are valid");
        wb.set_properties(
            &DocProperties::new()
                .set_title(format!(
                    "{} eligibility list {}",
                    head.exam.position, head.exam.id
                ))
                .set_author(&head.audit.rules.board_name)
                .set_creation_datetime(&excel_date(established)),
        );
        let ranked = head.exam.list == "ranked";
        let comps: Vec<&str> = head
            .audit
            .rules
            .components
            .iter()
            .map(|c| c.name.as_str())
            .collect();

        let ws = wb.add_worksheet_with_constant_memory()?;
        ws.set_name(SHEETS[0])?;
        let list_headers: Vec<&str> = if ranked {
            vec![
                "Rank",
                "Applicant ID",
                "Last name",
                "First name",
                "Raw score",
                "Officer points",
                "Degree points",
                "Preference points",
                "Final score",
                "Score rank",
                "Tie-break",
            ]
        } else {
            vec![
                "Applicant ID",
                "Last name",
                "First name",
                "Internal",
                "Raw score",
            ]
        };
        header_row(ws, &s, &list_headers)?;
        if ranked {
            let (i, t, n) = (&s.integer, &s.text, &s.number);
            column_formats(ws, &[i, t, t, t, n, n, n, n, n, i, t])?;
        } else {
            let (t, n) = (&s.text, &s.number);
            column_formats(ws, &[t, t, t, t, n])?;
        }
        page_setup(
            ws,
            head,
            if ranked {
                "Eligibility List"
            } else {
                "Qualified List"
            },
            ranked,
        )?;
        let list_widths = if ranked {
            Widths::new(&[
                (6.0, 6.0),
                (12.0, 20.0),
                (10.0, 28.0),
                (10.0, 28.0),
                (9.0, 9.0),
                (9.0, 9.0),
                (9.0, 9.0),
                (10.0, 10.0),
                (9.0, 9.0),
                (7.0, 7.0),
                (16.0, 18.0),
            ])
        } else {
            Widths::new(&[
                (12.0, 20.0),
                (10.0, 28.0),
                (10.0, 28.0),
                (9.0, 9.0),
                (9.0, 9.0),
            ])
        };

        let ws = wb.add_worksheet_with_constant_memory()?;
        ws.set_name(SHEETS[1])?;
        header_row(
            ws,
            &s,
            &[
                "Applicant ID",
                "Last name",
                "First name",
                "Status",
                "Codes",
                "Reasons",
            ],
        )?;
        let (t, w) = (&s.text, &s.wrap);
        column_formats(ws, &[t, t, t, t, w, w])?;
        page_setup(ws, head, "Not Eligible", true)?;
        let ne_widths = Widths::new(&[
            (12.0, 20.0),
            (10.0, 24.0),
            (10.0, 20.0),
            (12.0, 12.0),
            (10.0, 22.0),
            (70.0, 70.0),
        ]);

        let ws = wb.add_worksheet_with_constant_memory()?;
        ws.set_name(SHEETS[2])?;
        let mut headers: Vec<&str> = vec!["Applicant ID", "Last name", "First name", "Status"];
        headers.extend(comps.iter());
        headers.extend(["Raw score", "Preference points", "Final score"]);
        header_row(ws, &s, &headers)?;
        let mut formats = vec![&s.text; 4];
        formats.extend(head.audit.rules.components.iter().map(|c| {
            if c.kind == "pass_fail" {
                &s.text
            } else {
                &s.number
            }
        }));
        formats.extend([&s.number; 3]);
        column_formats(ws, &formats)?;
        page_setup(ws, head, "Scores", true)?;
        let mut bounds = vec![(12.0, 20.0), (10.0, 24.0), (10.0, 20.0), (12.0, 12.0)];
        bounds.extend(comps.iter().map(|c| {
            let w = (c.chars().count() as f64 + 2.0).clamp(9.0, 16.0);
            (w, w)
        }));
        bounds.extend([(9.0, 9.0), (10.0, 10.0), (9.0, 9.0)]);
        let sc_widths = Widths::new(&bounds);

        let ws = wb.add_worksheet();
        ws.set_name(SHEETS[3])?;
        // The data sheets may be filled by two threads at once (`rows`).
        // A format takes the next style index when first used, so the
        // threads must use none that is new, or the styles would be
        // numbered in whichever order they ran (found by the byte-identical
        // rerun tests): their cells take their columns' formats, all given
        // above, on this thread, in a fixed order.
        Ok(WorkbookWriter {
            wb,
            s,
            ranked,
            sheets: [
                Sheet::new(list_widths),
                Sheet::new(ne_widths),
                Sheet::new(sc_widths),
            ],
        })
    }

    /// The data sheets' row writers, to be filled at once.
    pub fn rows(&mut self) -> (ListRows<'_>, NotEligibleRows<'_>, ScoreRows<'_>) {
        let [list, not_eligible, scores] = &mut self.sheets;
        let [ws_list, ws_ne, ws_scores, ..] = self.wb.worksheets_mut().as_mut_slice() else {
            unreachable!("new() adds the four sheets")
        };
        (
            ListRows {
                list: (ws_list, list),
                ranked: self.ranked,
            },
            NotEligibleRows {
                not_eligible: (ws_ne, not_eligible),
            },
            ScoreRows {
                scores: (ws_scores, scores),
            },
        )
    }

    /// Closes the sheets — the certification under the list, the audit
    /// sheet — and saves the workbook to `path`.
    pub fn finish(mut self, head: &Head, path: &Path) -> Result<(), XlsxError> {
        let s = &self.s;
        for (i, note) in [
            (LIST, "The list continues in eligibility-list.csv: a sheet holds at most 1,048,574 names."),
            (NOT_ELIGIBLE, "The list continues in not-eligible.csv: a sheet holds at most 1,048,574 rows."),
            (SCORES, "The scores continue in scores.csv: a sheet holds at most 1,048,574 rows."),
        ] {
            let ws = self.wb.worksheet_from_index(i)?;
            let sheet = &mut self.sheets[i];
            if sheet.truncated {
                ws.write_string_with_format(sheet.rows + 1, 0, note, &s.label)?;
                sheet.rows += 1;
            }
            sheet.widths.apply(ws)?;
        }
        if self.sheets[NOT_ELIGIBLE].rows == 0 {
            let ws = self.wb.worksheet_from_index(NOT_ELIGIBLE)?;
            ws.write_string_with_format(1, 0, "Every applicant is eligible.", &s.text)?;
        }
        let listed = self.sheets[LIST].rows;
        let ranked = self.ranked;
        let ws = self.wb.worksheet_from_index(LIST)?;
        certification_block(ws, head, s, listed, ranked)?;
        let ws = self.wb.worksheet_from_index(3)?;
        audit_sheet(ws, head, s)?;
        page_setup(ws, head, "Audit", false)?;
        // Created owner-only (it holds personnel data), not made so after
        // the save: a file readable by all for the whole save is not
        // private. Synced, as the CSVs are, before it is renamed into place.
        let mut file = super::create_private(path)?;
        self.wb.save_to_writer(&mut file)?;
        file.sync_all()?;
        Ok(())
    }
}

/// The most a cell holds, in UTF-16 units (Excel's limit; rust_xlsxwriter
/// refuses a longer string).
const CELL_MAX: usize = 32_767;

/// Excel's tallest row, in points: a taller one is not opened as asked.
pub(crate) const ROW_MAX: f64 = 409.0;

/// Text from the applicants' files as a cell can hold it: a name or a
/// Board note longer than Excel's limit (a damaged file, notes joined for
/// one ground) is cut, saying so, instead of failing the whole run. The
/// CSVs and result.json keep the text whole.
pub(crate) fn fit(s: &str) -> std::borrow::Cow<'_, str> {
    // UTF-8 takes at least as many bytes as UTF-16 takes units.
    if s.len() <= CELL_MAX || s.encode_utf16().count() <= CELL_MAX {
        return std::borrow::Cow::Borrowed(s);
    }
    const CUT: &str = " … [cut: a cell holds 32,767 characters; the whole text is in result.json]";
    let room = CELL_MAX - CUT.encode_utf16().count();
    let mut units = 0;
    let end = s
        .char_indices()
        .find(|(_, c)| {
            units += c.len_utf16();
            units > room
        })
        .map_or(s.len(), |(i, _)| i);
    std::borrow::Cow::Owned(format!("{}{CUT}", &s[..end]))
}

impl ListRows<'_> {
    /// A row of the list, in list order.
    pub fn list_row(&mut self, a: &ListEntry) -> Result<(), XlsxError> {
        let (ws, sheet) = (&mut *self.list.0, &mut *self.list.1);
        let Some(row) = sheet.next_row() else {
            return Ok(());
        };
        let w = &mut sheet.widths;
        if self.ranked {
            ws.write_number(row, 0, a.rank.unwrap_or(0) as f64)?;
            ws.write_string(row, 1, fit(&a.applicant_id))?;
            ws.write_string(row, 2, fit(&a.last_name))?;
            ws.write_string(row, 3, fit(&a.first_name))?;
            number(ws, row, 4, &a.raw_score)?;
            number(ws, row, 5, &a.officer_points)?;
            number(ws, row, 6, &a.degree_points)?;
            number(ws, row, 7, &a.preference_points)?;
            number(ws, row, 8, &a.final_score)?;
            ws.write_number(row, 9, a.score_rank.unwrap_or(0) as f64)?;
            ws.write_string(row, 10, a.tie_break.as_deref().unwrap_or(""))?;
            w.see(1, &a.applicant_id);
            w.see(2, &a.last_name);
            w.see(3, &a.first_name);
        } else {
            ws.write_string(row, 0, fit(&a.applicant_id))?;
            ws.write_string(row, 1, fit(&a.last_name))?;
            ws.write_string(row, 2, fit(&a.first_name))?;
            ws.write_string(row, 3, crate::record::yn(a.internal))?;
            number(ws, row, 4, &a.raw_score)?;
            w.see(0, &a.applicant_id);
            w.see(1, &a.last_name);
            w.see(2, &a.first_name);
        }
        Ok(())
    }
}

impl NotEligibleRows<'_> {
    /// An applicant in natural ID order: a row of Not Eligible unless
    /// eligible.
    pub fn not_eligible(&mut self, a: &ApplicantRecord) -> Result<(), XlsxError> {
        if a.status != Status::Eligible {
            let (ws, sheet) = (&mut *self.not_eligible.0, &mut *self.not_eligible.1);
            if let Some(row) = sheet.next_row() {
                let w = &mut sheet.widths;
                ws.write_string(row, 0, fit(&a.applicant_id))?;
                ws.write_string(row, 1, fit(&a.last_name))?;
                ws.write_string(row, 2, fit(&a.first_name))?;
                ws.write_string(row, 3, a.status.as_str())?;
                ws.write_string(row, 4, fit(&a.codes.join("\n")))?;
                let reasons: Vec<&str> = a.reasons.iter().map(|x| x.text.as_str()).collect();
                ws.write_string(row, 5, fit(&reasons.join("\n")))?;
                // Rows grow with their wrapped reasons; a hint for viewers
                // that do not fit row heights themselves. A row of one line
                // (or none) keeps the default height (15 points, what the
                // hint would say): a height per row was 4% of all CPU at
                // 1,000,000 applicants, in rust_xlsxwriter's table of row
                // heights.
                let lines: usize = a
                    .reasons
                    .iter()
                    .map(|x| x.text.chars().count() / 80 + 1)
                    .sum::<usize>()
                    .max(a.codes.len());
                if lines > 1 {
                    ws.set_row_height(row, (13.0 * lines as f64 + 2.0).min(ROW_MAX))?;
                }
                w.see(0, &a.applicant_id);
                w.see(1, &a.last_name);
                w.see(2, &a.first_name);
                for c in &a.codes {
                    w.see(4, c);
                }
            }
        }
        Ok(())
    }
}

impl ScoreRows<'_> {
    /// An applicant in natural ID order: a row of Scores.
    pub fn applicant(&mut self, a: &ApplicantRecord) -> Result<(), XlsxError> {
        let (ws, sheet) = (&mut *self.scores.0, &mut *self.scores.1);
        if let Some(row) = sheet.next_row() {
            let w = &mut sheet.widths;
            ws.write_string(row, 0, fit(&a.applicant_id))?;
            ws.write_string(row, 1, fit(&a.last_name))?;
            ws.write_string(row, 2, fit(&a.first_name))?;
            ws.write_string(row, 3, a.status.as_str())?;
            for (j, c) in a.components.iter().enumerate() {
                let col = 4 + j as u16;
                match c.value.as_deref() {
                    Some(v @ ("pass" | "fail")) => {
                        ws.write_string(row, col, v)?;
                    }
                    _ => number(ws, row, col, &c.value)?,
                }
            }
            let base = 4 + a.components.len() as u16;
            number(ws, row, base, &a.raw_score)?;
            number(ws, row, base + 1, &a.preference_points)?;
            number(ws, row, base + 2, &a.final_score)?;
            w.see(0, &a.applicant_id);
            w.see(1, &a.last_name);
            w.see(2, &a.first_name);
        }
        Ok(())
    }
}

/// The certification under the list (Duties B; Form of papers C: signed).
fn certification_block(
    ws: &mut Worksheet,
    r: &Head,
    s: &Styles,
    listed: u32,
    ranked: bool,
) -> Result<(), XlsxError> {
    let rules = &r.audit.rules;
    // Cannot fail: `r` is Scored::head's, whose list_established is dates::iso of the
    // exam's date (1900..=9999): YYYY-MM-DD, as parse_date reads.
    let established = parse_date(&r.exam.list_established).expect("the record's dates are valid");
    let mut row = listed + 2;
    // Keep the certification on one page with the end of the list: a
    // landscape Letter page with these margins holds about 26 rows under
    // the repeated header, and the block takes about 13; when it would not
    // fit under the last rows, the last three names go over with it.
    const ROWS_PER_PAGE: u32 = 26;
    const BLOCK_ROWS: u32 = 13;
    if listed > ROWS_PER_PAGE - BLOCK_ROWS
        && (listed % ROWS_PER_PAGE) + BLOCK_ROWS + 1 > ROWS_PER_PAGE
    {
        ws.set_page_breaks(&[listed - 2])?;
    }
    if listed == 0 {
        ws.write_string_with_format(1, 0, "No applicant is eligible.", &s.text)?;
    }
    let last_col: u16 = if ranked { 10 } else { 4 };
    let line = |ws: &mut Worksheet, row: u32, text: &str, f: &Format| -> Result<(), XlsxError> {
        ws.merge_range(row, 0, row, last_col, text, f)?;
        Ok(())
    };
    let what = if ranked {
        format!(
            "The {listed} applicants listed on this sheet, in order of merit (Examinations C), are certified as the eligibility list for {} ({}).",
            r.exam.position, r.exam.id
        )
    } else {
        format!(
            "The {listed} applicants listed on this sheet are certified as qualified for {} ({}) (Examinations B).",
            r.exam.position, r.exam.id
        )
    };
    line(
        ws,
        row,
        &format!("Certified by the {}", rules.board_name),
        &s.title,
    )?;
    row += 1;
    line(ws, row, &what, &s.wrap)?;
    ws.set_row_height(row, 27)?;
    row += 1;
    ws.merge_range(row, 0, row, 1, "List established", &s.label)?;
    ws.merge_range(row, 2, row, 3, "", &s.date)?;
    ws.write_datetime_with_format(row, 2, excel_date(established), &s.date)?;
    row += 1;
    ws.merge_range(row, 0, row, 1, "Valid through", &s.label)?;
    match r.exam.list_expires.as_deref().and_then(parse_date) {
        Some(d) => {
            ws.merge_range(row, 2, row, 3, "", &s.date)?;
            ws.write_datetime_with_format(row, 2, excel_date(d), &s.date)?;
        }
        None => {
            ws.merge_range(row, 2, row, 3, "no expiry", &s.text)?;
        }
    }
    row += 3;
    ws.merge_range(row, 0, row, 3, "", &s.signature)?;
    ws.set_row_height(row, 24)?;
    row += 1;
    let secretary = if rules.board_secretary.is_empty() {
        "Secretary".to_string()
    } else {
        rules.board_secretary.clone()
    };
    line(ws, row, &secretary, &s.text)?;
    row += 1;
    line(ws, row, &format!("for the {}", rules.board_name), &s.text)?;
    row += 2;
    ws.merge_range(row, 0, row, 3, "", &s.signature)?;
    ws.set_row_height(row, 24)?;
    row += 1;
    line(ws, row, "Date signed", &s.text)?;
    Ok(())
}

fn audit_sheet(ws: &mut Worksheet, r: &Head, s: &Styles) -> Result<(), XlsxError> {
    header_row(ws, s, &["Item", "Value"])?;
    ws.set_row_height(0, 15)?;
    ws.set_column_width(0, 36)?;
    ws.set_column_width(1, 72)?;
    let a = &r.audit;
    let rules = &a.rules;
    let mut rows: Vec<(String, Cell)> = Vec::new();
    let t = |s: &str| Cell::Text(s.to_string());
    let d = |s: &str| {
        parse_date(s)
            .map(Cell::Date)
            .unwrap_or_else(|| Cell::Text(s.to_string()))
    };
    rows.push((
        "Made by".into(),
        Cell::Text(format!("{} version {}", a.tool, a.version)),
    ));
    rows.push((
        "Examination".into(),
        Cell::Text(format!(
            "{} — {} ({}, {})",
            r.exam.id,
            r.exam.position,
            r.exam.rank.replace('_', " "),
            r.exam.kind
        )),
    ));
    rows.push((
        "Kind of list".into(),
        t(if r.exam.list == "ranked" {
            "ranked in order of merit (Examinations C)"
        } else {
            "qualified or not (Examinations B)"
        }),
    ));
    rows.push((
        "Sworn position".into(),
        t(if r.exam.sworn {
            "yes: U.S. citizenship required (Citizenship)"
        } else {
            "no"
        }),
    ));
    rows.push((
        "Application deadline".into(),
        d(&r.exam.application_deadline),
    ));
    rows.push(("List established".into(), d(&r.exam.list_established)));
    rows.push((
        "List valid through".into(),
        match &r.exam.list_expires {
            Some(x) => d(x),
            None => t("no expiry"),
        },
    ));
    rows.push((
        "Applicants".into(),
        Cell::Text(format!(
            "{} in all: {} eligible, {} failed, {} incomplete, {} disqualified",
            a.counts.applicants,
            a.counts.eligible,
            a.counts.failed,
            a.counts.incomplete,
            a.counts.disqualified
        )),
    ));
    for c in &rules.components {
        let text = if c.kind == "scored" {
            let mut x = format!(
                "scored, weight {}, raw maximum {} scaled to 0–100",
                c.weight.as_deref().unwrap_or(""),
                c.max.as_deref().unwrap_or("")
            );
            if let Some(p) = &c.pass_mark {
                x.push_str(&format!(", pass mark {p}"));
            }
            if c.columns.len() > 1 {
                x.push_str(&format!(
                    ", mean of {} raters ({})",
                    c.columns.len(),
                    c.columns.join(", ")
                ));
            }
            x
        } else {
            "pass or fail".to_string()
        };
        rows.push((format!("Component: {}", c.name), Cell::Text(text)));
    }
    if r.exam.list == "ranked" {
        let deg: Vec<String> = rules
            .preference_degree
            .iter()
            .map(|(k, v)| format!("{k} {v}"))
            .collect();
        rows.push(("Preference points".into(), Cell::Text(if rules.preference_apply_to == "none" {
            "none given (apply_to = none)".to_string()
        } else {
            format!(
                "to eligible applicants only: certified officer {}; highest degree only: {} (Examinations D)",
                rules.preference_certified_officer,
                deg.join(", ")
            )
        })));
        let mut keys = rules.tie_break.clone();
        if !keys.iter().any(|k| k == "lottery") {
            keys.push("lottery".into());
        }
        rows.push((
            "Tie-break order".into(),
            Cell::Text(format!("final score, then {}", keys.join(", "))),
        ));
        rows.push((
            "Lottery seed".into(),
            Cell::Text(format!(
                "\"{}\" (key: SHA-256 of seed, a colon and the applicant ID; lower first)",
                a.lottery_seed
            )),
        ));
    }
    if let Some(m) = rules.min_age {
        rows.push((
            "Minimum age".into(),
            Cell::Text(format!(
                "{m} on the application deadline (Disqualification A.1)"
            )),
        ));
    }
    rows.push((
        "Scores published to".into(),
        Cell::Text(format!(
            "{} decimal places, rounded half away from zero",
            r.exam.decimals
        )),
    ));
    rows.push((
        format!("Exam file {}", a.exam_file.path),
        Cell::Text(format!("SHA-256 {}", a.exam_file.sha256)),
    ));
    for f in &a.inputs {
        let name = match &f.sheet {
            Some(sh) => format!("{} (sheet {sh})", f.path),
            None => f.path.clone(),
        };
        rows.push((
            format!("Input: {} {}", f.role, name),
            Cell::Text(format!("SHA-256 {}", f.sha256)),
        ));
    }
    rows.push(("How to verify".into(), t("Each SHA-256 fingerprint identifies the exact file this list was made from; recompute it (e.g. sha256sum FILE) to show that a file is unchanged.")));
    for (i, (label, value)) in rows.iter().enumerate() {
        let row = i as u32 + 1;
        ws.write_string_with_format(row, 0, label, &s.wrap)?;
        match value {
            Cell::Text(v) => {
                ws.write_string_with_format(row, 1, v, &s.wrap)?;
                let lines = v
                    .chars()
                    .count()
                    .div_ceil(80)
                    .max(label.chars().count().div_ceil(38));
                if lines > 1 {
                    ws.set_row_height(row, 13.0 * lines as f64 + 2.0)?;
                }
            }
            Cell::Date(dt) => {
                ws.write_datetime_with_format(row, 1, excel_date(*dt), &s.date)?;
            }
        }
    }
    Ok(())
}

enum Cell {
    Text(String),
    Date(NaiveDate),
}

#[cfg(test)]
mod tests {
    use super::hf;

    /// Excel holds at most 255 characters in a page header, and
    /// rust_xlsxwriter drops a longer one: each text in it is cut to 40.
    #[test]
    fn a_page_header_text_is_cut_to_40_characters_and_escaped() {
        assert_eq!(hf("Police Officer"), "Police Officer");
        assert_eq!(hf("A & B"), "A && B");
        let ands = hf(&"&".repeat(100));
        assert_eq!(ands, format!("{}…", "&&".repeat(19)));
        let long = "Board of Police Commissioners of the City ".repeat(5);
        let cut = hf(&long);
        assert_eq!(cut.chars().count(), 40);
        assert!(cut.ends_with('…'));
        // Four such texts and the header's codes stay within Excel's 255.
        let header = format!("&L&\"-,Bold\"{cut} — {cut}&R{cut} {cut}");
        assert!(header.chars().count() <= 255, "{}", header.chars().count());
    }
}
