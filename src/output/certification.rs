//! `certification.xlsx`: a one-page, print-ready certification of eligibles
//! to the Chief (Duties B; Examinations B and C; Form of papers: Letter,
//! 1-inch margins, signed).

use super::xlsx::{fit, ROW_MAX};
use crate::certify::Certification;
use chrono::Datelike;
use rust_xlsxwriter::{
    DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, XlsxError,
};

/// The workbook's bytes. Every text from the inputs or exam.toml is cut to
/// what a cell holds (`fit`: the whole text is in certification.csv and the
/// list of record); what is left to fail (more names than a sheet has rows,
/// about 1,048,550, which no Board will ask for) is an error, not a panic.
pub fn workbook(c: &Certification) -> Result<Vec<u8>, String> {
    build(c).map_err(|e| {
        format!(
            "certification.xlsx cannot be built for {} names: {e}",
            c.entries.len()
        )
    })
}

fn build(c: &Certification) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let when = ExcelDateTime::from_ymd(
        c.date.year() as u16,
        c.date.month() as u8,
        c.date.day() as u8,
    )?;
    wb.set_properties(
        &DocProperties::new()
            .set_title(format!(
                "Certification of eligibles {} {}",
                c.exam_id, c.date
            ))
            .set_author(&c.board_name)
            .set_creation_datetime(&when),
    );
    let ws = wb.add_worksheet();
    ws.set_name("Certification")?;
    let base = Format::new().set_font_size(10);
    let bold = base.clone().set_bold();
    let title = base.clone().set_bold().set_font_size(14);
    let subtitle = base.clone().set_bold().set_font_size(12);
    let wrap = base.clone().set_text_wrap().set_align(FormatAlign::Top);
    let header = base
        .clone()
        .set_bold()
        .set_text_wrap()
        .set_border_bottom(FormatBorder::Thin)
        .set_background_color(0xE7E6E6)
        .set_align(FormatAlign::Top);
    let cell = base.clone().set_align(FormatAlign::Top);
    let center = cell.clone().set_align(FormatAlign::Center);
    let date = base
        .clone()
        .set_num_format("yyyy-mm-dd")
        .set_align(FormatAlign::Left);
    let number = cell.clone().set_num_format("0.00");
    let signature = base.clone().set_border_bottom(FormatBorder::Thin);

    let widths = [7.0, 6.0, 12.0, 15.0, 13.0, 9.0, 10.0, 40.0, 11.0];
    for (i, w) in widths.iter().enumerate() {
        ws.set_column_width(i as u16, *w)?;
    }
    let last = widths.len() as u16 - 1;
    let mut row = 0u32;
    ws.merge_range(row, 0, row, last, &fit(&c.board_name), &title)?;
    row += 1;
    if !c.board_city.is_empty() {
        ws.merge_range(row, 0, row, last, &fit(&c.board_city), &base)?;
        row += 1;
    }
    row += 1;
    ws.merge_range(row, 0, row, last, "Certification of eligibles", &subtitle)?;
    row += 1;
    let pairs: Vec<(&str, String)> = vec![
        ("To", "the Chief of Police, the appointing authority".into()),
        ("Examination", format!("{} — {}", c.exam_id, c.position)),
        (
            "List",
            format!(
                "{}, established {}{}",
                if c.ranked {
                    "ranked in order of merit"
                } else {
                    "qualified candidates"
                },
                c.list_established,
                c.list_expires
                    .as_deref()
                    .map(|e| format!(", valid through {e}"))
                    .unwrap_or_default()
            ),
        ),
        ("Vacancies (N)", c.vacancies.to_string()),
        (
            "Names (K)",
            match c.size {
                Some(k) if c.short() => format!(
                    "{k} asked; {} certified (the list is short)",
                    c.entries.len()
                ),
                Some(k) => k.to_string(),
                None => format!("{} (every active qualified candidate)", c.entries.len()),
            },
        ),
    ];
    for (label, value) in pairs {
        ws.merge_range(row, 0, row, 1, label, &bold)?;
        ws.merge_range(row, 2, row, last, &fit(&value), &base)?;
        row += 1;
    }
    ws.merge_range(row, 0, row, 1, "Date", &bold)?;
    ws.merge_range(row, 2, row, 3, "", &date)?;
    ws.write_datetime_with_format(row, 2, when, &date)?;
    row += 2;

    let headers = [
        "Position",
        "Rank",
        "Applicant ID",
        "Last name",
        "First name",
        if c.ranked { "Final score" } else { "Raw score" },
        "Clearance",
        "Missing clearances",
        "Residence",
    ];
    for (i, h) in headers.iter().enumerate() {
        ws.write_string_with_format(row, i as u16, *h, &header)?;
    }
    ws.set_row_height(row, 27)?;
    row += 1;
    for e in &c.entries {
        ws.write_number_with_format(row, 0, e.window_position as f64, &center)?;
        match e.rank {
            Some(r) => ws.write_number_with_format(row, 1, r as f64, &center)?,
            None => ws.write_string_with_format(
                row,
                1,
                if e.internal { "internal" } else { "" },
                &cell,
            )?,
        };
        ws.write_string_with_format(row, 2, fit(&e.applicant_id), &cell)?;
        ws.write_string_with_format(row, 3, fit(&e.last_name), &cell)?;
        ws.write_string_with_format(row, 4, fit(&e.first_name), &cell)?;
        match e.final_score.parse::<f64>() {
            Ok(x) => ws.write_number_with_format(row, 5, x, &number)?,
            Err(_) => ws.write_string_with_format(row, 5, fit(&e.final_score), &cell)?,
        };
        ws.write_string_with_format(
            row,
            6,
            if e.clearance.cleared {
                "cleared"
            } else {
                "pending"
            },
            &cell,
        )?;
        ws.write_string_with_format(row, 7, fit(&e.clearance.missing.join("\n")), &wrap)?;
        ws.write_string_with_format(row, 8, e.residence_note, &wrap)?;
        let lines = e.clearance.missing.join("; ").chars().count() / 44 + 1;
        ws.set_row_height(row, (13.0 * lines as f64 + 2.0).min(ROW_MAX))?;
        row += 1;
    }
    if c.entries.is_empty() {
        ws.merge_range(
            row,
            0,
            row,
            last,
            "No active name remains on the list.",
            &base,
        )?;
        row += 1;
    }
    row += 1;
    let mut notes = c.notes();
    notes.push("Clearance: fingerprinting and every agency's check dated within the Board's limit before this date (Background). Residence in Missouri is a condition of employment, not a ground (Citizenship).".into());
    if c.ranked {
        notes
            .push("The appointing authority selects from the names above (Examinations C).".into());
    }
    for n in notes {
        ws.merge_range(row, 0, row, last, &fit(&n), &wrap)?;
        ws.set_row_height(
            row,
            (13.0 * (n.chars().count() / 110 + 1) as f64 + 2.0).min(ROW_MAX),
        )?;
        row += 1;
    }
    row += 2;
    ws.merge_range(row, 0, row, 3, "", &signature)?;
    ws.merge_range(row, 5, row, last, "", &signature)?;
    ws.set_row_height(row, 24)?;
    row += 1;
    let secretary = if c.secretary.is_empty() {
        "Secretary".to_string()
    } else {
        c.secretary.clone()
    };
    ws.merge_range(
        row,
        0,
        row,
        3,
        &fit(&format!("{secretary}, for the {}", c.board_name)),
        &base,
    )?;
    ws.merge_range(
        row,
        5,
        row,
        last,
        "Received by the Chief of Police (date)",
        &base,
    )?;

    ws.set_paper_size(1);
    ws.set_margins(1.0, 1.0, 1.35, 1.35, 1.0, 1.0);
    ws.set_portrait();
    ws.set_print_fit_to_pages(1, 1);
    ws.set_header(format!(
        "&R{} certification {}",
        super::xlsx::hf(&c.exam_id),
        c.date
    ));
    ws.set_footer("&CPage &P of &N");
    wb.save_to_buffer()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::certify::{ClearanceCheck, Entry, TieCut};

    fn entry(pos: u32, name: &str) -> Entry {
        Entry {
            window_position: pos,
            rank: Some(pos),
            applicant_id: format!("10{pos:02}"),
            last_name: name.to_string(),
            first_name: name.to_string(),
            final_score: "86.80".into(),
            internal: false,
            clearance: ClearanceCheck {
                cleared: false,
                missing: vec![name.to_string()],
            },
            residence_note: "",
        }
    }

    /// Names from the applicants' files are unbounded and the tie-cut note
    /// holds five of them: every text is cut to what a cell holds (Excel:
    /// 32,767 characters) instead of failing, as it once did, with a panic.
    #[test]
    fn texts_longer_than_a_cell_holds_are_cut_not_a_panic() {
        let long = "Sorensen ".repeat(2_000); // 18,000 characters
        let c = Certification {
            exam_id: "PO-2027-01".into(),
            position: "Police Officer".into(),
            ranked: true,
            date: chrono::NaiveDate::from_ymd_opt(2027, 5, 3).expect("a date"),
            vacancies: 1,
            size: Some(3),
            active: 3,
            entries: (1..=3).map(|i| entry(i, &long)).collect(),
            tie_cut: Some(TieCut {
                last_in: entry(3, &long),
                first_out_id: "1004".into(),
                first_out_name: long.clone(),
                first_out_rank: Some(4),
                key: "raw_score".into(),
            }),
            board_name: long.clone(),
            board_city: long.repeat(2),
            secretary: long.clone(),
            list_established: "2027-04-15".into(),
            list_expires: Some("2029-04-15".into()),
        };
        let book = workbook(&c).expect("a workbook, every text cut to fit");
        assert!(book.starts_with(b"PK"));
    }
}
