//! `eligibility-list.xlsx`: the list of record as a print-ready workbook
//! (Form of papers: Letter paper, 1-inch margins; the header row repeated on
//! every page, one page wide, "Page N of M" in the footer), with the
//! certification lines under the list for the Secretary to sign.
//!
//! Scores are number cells shown with exactly `decimals` places. A workbook
//! can only hold binary doubles; the exact figures are in the CSVs and
//! `result.json`, and every figure here displays identically to them.

use crate::record::{ApplicantRecord, ListOfRecord};
use crate::rules::Status;
use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{
    DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError,
};
use std::collections::HashMap;

pub const SHEETS: [&str; 4] = ["Eligibility List", "Not Eligible", "Scores", "Audit"];

/// Renders the workbook; byte-identical for the same record (its creation
/// time is the list's established date, never the clock).
pub fn workbook(r: &ListOfRecord) -> Vec<u8> {
    build(r).expect("the workbook is built from validated data within Excel's limits")
}

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
fn hf(s: &str) -> String {
    s.replace('&', "&&")
}

fn parse_date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

fn excel_date(d: NaiveDate) -> ExcelDateTime {
    ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)
        .expect("dates of record are within Excel's range")
}

/// Letter paper, 1-inch margins, one page wide, header row repeated and
/// frozen, exam and position in the page header, "Page N of M" below.
fn page_setup(
    ws: &mut Worksheet,
    r: &ListOfRecord,
    title: &str,
    landscape: bool,
) -> Result<(), XlsxError> {
    ws.set_paper_size(1); // Letter, 8½ × 11 in (Form of papers B)
    ws.set_margins(1.0, 1.0, 1.0, 1.0, 0.5, 0.5);
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

/// Writes the header row and sets column widths from the content.
fn header_row(
    ws: &mut Worksheet,
    s: &Styles,
    headers: &[&str],
    widths: &[f64],
) -> Result<(), XlsxError> {
    for (c, h) in headers.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &s.header)?;
        ws.set_column_width(c as u16, widths[c])?;
    }
    Ok(())
}

fn width_for(values: impl Iterator<Item = usize>, header: &str, min: f64, max: f64) -> f64 {
    let longest = values.max().unwrap_or(0).max(header.chars().count() / 2);
    (longest as f64 + 2.0).clamp(min, max)
}

fn number(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    v: &Option<String>,
    f: &Format,
    blank: &Format,
) -> Result<(), XlsxError> {
    match v {
        Some(text) => {
            // The published text is exact; the cell shows it with the same
            // places.
            let x: f64 = text.parse().expect("published figures are decimal text");
            ws.write_number_with_format(row, col, x, f)?;
        }
        None => {
            ws.write_blank(row, col, blank)?;
        }
    }
    Ok(())
}

fn build(r: &ListOfRecord) -> Result<Vec<u8>, XlsxError> {
    let s = styles(r.exam.decimals);
    let mut wb = Workbook::new();
    let established = parse_date(&r.exam.list_established).expect("the record's dates are valid");
    let created = ExcelDateTime::from_ymd(
        established.year() as u16,
        established.month() as u8,
        established.day() as u8,
    )?;
    wb.set_properties(
        &DocProperties::new()
            .set_title(format!(
                "{} eligibility list {}",
                r.exam.position, r.exam.id
            ))
            .set_author(&r.audit.rules.board_name)
            .set_creation_datetime(&created),
    );
    let by_id: HashMap<&str, &ApplicantRecord> = r
        .applicants
        .iter()
        .map(|a| (a.applicant_id.as_str(), a))
        .collect();
    let listed: Vec<&ApplicantRecord> = r.list.iter().map(|id| by_id[id.as_str()]).collect();

    eligibility_sheet(wb.add_worksheet(), r, &s, &listed, established)?;
    not_eligible_sheet(wb.add_worksheet(), r, &s)?;
    scores_sheet(wb.add_worksheet(), r, &s)?;
    audit_sheet(wb.add_worksheet(), r, &s)?;
    wb.save_to_buffer()
}

fn eligibility_sheet(
    ws: &mut Worksheet,
    r: &ListOfRecord,
    s: &Styles,
    listed: &[&ApplicantRecord],
    established: NaiveDate,
) -> Result<(), XlsxError> {
    ws.set_name(SHEETS[0])?;
    let ranked = r.exam.list == "ranked";
    let name_w = |f: fn(&ApplicantRecord) -> &str, h: &str| {
        width_for(listed.iter().map(|a| f(a).chars().count()), h, 10.0, 28.0)
    };
    let id_w = name_w(|a| &a.applicant_id, "Applicant ID").max(12.0);
    let last_w = name_w(|a| &a.last_name, "Last name");
    let first_w = name_w(|a| &a.first_name, "First name");
    let ncols: u16 = if ranked {
        let headers = [
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
        ];
        let widths = [
            6.0, id_w, last_w, first_w, 9.0, 9.0, 9.0, 10.0, 9.0, 7.0, 16.0,
        ];
        header_row(ws, s, &headers, &widths)?;
        ws.set_row_height(0, 27)?;
        for (i, a) in listed.iter().enumerate() {
            let row = i as u32 + 1;
            ws.write_number_with_format(row, 0, a.rank.unwrap_or(0) as f64, &s.integer)?;
            ws.write_string_with_format(row, 1, &a.applicant_id, &s.text)?;
            ws.write_string_with_format(row, 2, &a.last_name, &s.text)?;
            ws.write_string_with_format(row, 3, &a.first_name, &s.text)?;
            number(ws, row, 4, &a.raw_score, &s.number, &s.text)?;
            number(ws, row, 5, &a.officer_points, &s.number, &s.text)?;
            number(ws, row, 6, &a.degree_points, &s.number, &s.text)?;
            number(ws, row, 7, &a.preference_points, &s.number, &s.text)?;
            number(ws, row, 8, &a.final_score, &s.number, &s.text)?;
            ws.write_number_with_format(row, 9, a.score_rank.unwrap_or(0) as f64, &s.integer)?;
            ws.write_string_with_format(row, 10, a.tie_break.as_deref().unwrap_or(""), &s.text)?;
        }
        headers.len() as u16
    } else {
        let headers = [
            "Applicant ID",
            "Last name",
            "First name",
            "Internal",
            "Raw score",
        ];
        let widths = [id_w, last_w, first_w, 9.0, 9.0];
        header_row(ws, s, &headers, &widths)?;
        for (i, a) in listed.iter().enumerate() {
            let row = i as u32 + 1;
            ws.write_string_with_format(row, 0, &a.applicant_id, &s.text)?;
            ws.write_string_with_format(row, 1, &a.last_name, &s.text)?;
            ws.write_string_with_format(row, 2, &a.first_name, &s.text)?;
            ws.write_string_with_format(row, 3, crate::record::yn(a.internal), &s.text)?;
            number(ws, row, 4, &a.raw_score, &s.number, &s.text)?;
        }
        headers.len() as u16
    };
    page_setup(
        ws,
        r,
        if ranked {
            "Eligibility List"
        } else {
            "Qualified List"
        },
        ranked,
    )?;

    // The certification under the list (Duties B; Form of papers C: signed).
    let rules = &r.audit.rules;
    let mut row = listed.len() as u32 + 2;
    // Keep the certification on one page with (at least the end of) the
    // list: a landscape Letter page with 1-inch margins holds about 29 rows
    // under the repeated header; the block takes about 13.
    const ROWS_PER_PAGE: u32 = 29;
    const BLOCK_ROWS: u32 = 13;
    let used_on_last_page = (listed.len() as u32) % ROWS_PER_PAGE;
    if listed.len() as u32 > ROWS_PER_PAGE - BLOCK_ROWS
        && used_on_last_page + BLOCK_ROWS + 1 > ROWS_PER_PAGE
    {
        ws.set_page_breaks(&[row])?;
    }
    if listed.is_empty() {
        ws.write_string_with_format(1, 0, "No applicant is eligible.", &s.text)?;
    }
    let last_col = ncols.saturating_sub(1).max(3);
    let line = |ws: &mut Worksheet, row: u32, text: &str, f: &Format| -> Result<(), XlsxError> {
        ws.merge_range(row, 0, row, last_col, text, f)?;
        Ok(())
    };
    let what = if ranked {
        format!(
            "The {} applicants listed on this sheet, in order of merit (Examinations C), are certified as the eligibility list for {} ({}).",
            listed.len(),
            r.exam.position,
            r.exam.id
        )
    } else {
        format!(
            "The {} applicants listed on this sheet are certified as qualified for {} ({}) (Examinations B).",
            listed.len(),
            r.exam.position,
            r.exam.id
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
    ws.merge_range(row, 0, row, 3.min(last_col), "", &s.signature)?;
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
    ws.merge_range(row, 0, row, 3.min(last_col), "", &s.signature)?;
    ws.set_row_height(row, 24)?;
    row += 1;
    line(ws, row, "Date signed", &s.text)?;
    Ok(())
}

fn not_eligible_sheet(ws: &mut Worksheet, r: &ListOfRecord, s: &Styles) -> Result<(), XlsxError> {
    ws.set_name(SHEETS[1])?;
    let rows: Vec<&ApplicantRecord> = r
        .applicants
        .iter()
        .filter(|a| a.status != Status::Eligible)
        .collect();
    let w = |f: fn(&ApplicantRecord) -> usize, h: &str, min, max| {
        width_for(rows.iter().map(|a| f(a)), h, min, max)
    };
    let headers = [
        "Applicant ID",
        "Last name",
        "First name",
        "Status",
        "Codes",
        "Reasons",
    ];
    let widths = [
        w(
            |a| a.applicant_id.chars().count(),
            "Applicant ID",
            12.0,
            20.0,
        ),
        w(|a| a.last_name.chars().count(), "Last name", 10.0, 24.0),
        w(|a| a.first_name.chars().count(), "First name", 10.0, 20.0),
        12.0,
        w(
            |a| a.codes.iter().map(|c| c.len() + 1).max().unwrap_or(0),
            "Codes",
            10.0,
            22.0,
        ),
        70.0,
    ];
    header_row(ws, s, &headers, &widths)?;
    for (i, a) in rows.iter().enumerate() {
        let row = i as u32 + 1;
        ws.write_string_with_format(row, 0, &a.applicant_id, &s.text)?;
        ws.write_string_with_format(row, 1, &a.last_name, &s.text)?;
        ws.write_string_with_format(row, 2, &a.first_name, &s.text)?;
        ws.write_string_with_format(row, 3, a.status.as_str(), &s.text)?;
        ws.write_string_with_format(row, 4, a.codes.join("\n"), &s.wrap)?;
        let reasons: Vec<&str> = a.reasons.iter().map(|x| x.text.as_str()).collect();
        ws.write_string_with_format(row, 5, reasons.join("\n"), &s.wrap)?;
        // Rows grow with their wrapped reasons; a hint for viewers that do
        // not autofit row heights.
        let lines: usize = a
            .reasons
            .iter()
            .map(|x| x.text.chars().count() / 80 + 1)
            .sum::<usize>()
            .max(a.codes.len());
        ws.set_row_height(row, 13.0 * lines.max(1) as f64 + 2.0)?;
    }
    if rows.is_empty() {
        ws.write_string_with_format(1, 0, "Every applicant is eligible.", &s.text)?;
    }
    page_setup(ws, r, "Not Eligible", true)
}

fn scores_sheet(ws: &mut Worksheet, r: &ListOfRecord, s: &Styles) -> Result<(), XlsxError> {
    ws.set_name(SHEETS[2])?;
    let comps: Vec<String> = r
        .audit
        .rules
        .components
        .iter()
        .map(|c| c.name.clone())
        .collect();
    let mut headers: Vec<String> = vec![
        "Applicant ID".into(),
        "Last name".into(),
        "First name".into(),
        "Status".into(),
    ];
    headers.extend(comps.iter().cloned());
    headers.extend(["Raw score", "Preference points", "Final score"].map(String::from));
    let w = |f: fn(&ApplicantRecord) -> usize, h: &str, min, max| {
        width_for(r.applicants.iter().map(f), h, min, max)
    };
    let mut widths = vec![
        w(
            |a| a.applicant_id.chars().count(),
            "Applicant ID",
            12.0,
            20.0,
        ),
        w(|a| a.last_name.chars().count(), "Last name", 10.0, 24.0),
        w(|a| a.first_name.chars().count(), "First name", 10.0, 20.0),
        12.0,
    ];
    widths.extend(
        comps
            .iter()
            .map(|c| (c.chars().count() as f64 + 2.0).clamp(9.0, 16.0)),
    );
    widths.extend([9.0, 10.0, 9.0]);
    let hrefs: Vec<&str> = headers.iter().map(String::as_str).collect();
    header_row(ws, s, &hrefs, &widths)?;
    ws.set_row_height(0, 27)?;
    for (i, a) in r.applicants.iter().enumerate() {
        let row = i as u32 + 1;
        ws.write_string_with_format(row, 0, &a.applicant_id, &s.text)?;
        ws.write_string_with_format(row, 1, &a.last_name, &s.text)?;
        ws.write_string_with_format(row, 2, &a.first_name, &s.text)?;
        ws.write_string_with_format(row, 3, a.status.as_str(), &s.text)?;
        for (j, c) in a.components.iter().enumerate() {
            let col = 4 + j as u16;
            match c.value.as_deref() {
                Some(v @ ("pass" | "fail")) => {
                    ws.write_string_with_format(row, col, v, &s.text)?;
                }
                _ => number(ws, row, col, &c.value, &s.number, &s.text)?,
            }
        }
        let base = 4 + comps.len() as u16;
        number(ws, row, base, &a.raw_score, &s.number, &s.text)?;
        number(ws, row, base + 1, &a.preference_points, &s.number, &s.text)?;
        number(ws, row, base + 2, &a.final_score, &s.number, &s.text)?;
    }
    page_setup(ws, r, "Scores", true)
}

fn audit_sheet(ws: &mut Worksheet, r: &ListOfRecord, s: &Styles) -> Result<(), XlsxError> {
    ws.set_name(SHEETS[3])?;
    header_row(ws, s, &["Item", "Value"], &[36.0, 72.0])?;
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
    page_setup(ws, r, "Audit", false)
}

enum Cell {
    Text(String),
    Date(NaiveDate),
}
