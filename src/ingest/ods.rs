//! A guard in front of calamine's reader of OpenDocument spreadsheets
//! (`.ods`). calamine reads every sheet of an `.ods` when it opens the
//! file, from the XML of its `content.xml`, and three things in that XML
//! made a file of 17 KB stop meritlist (fuzz/README.md, findings 11-13):
//!
//! - a row or cell marked as repeated (`table:number-rows-repeated`,
//!   `table:number-columns-repeated`) is copied out that many times, so a
//!   row of 100 numbers repeated 990,000 times asked for gigabytes and the
//!   process aborted;
//! - a run of spaces (`<text:s text:c="2000000000"/>`) is written out
//!   space by space: the same;
//! - a `content.xml` that ends inside a table, or inside a cell's comment,
//!   made calamine read the end of the file again and again for ever.
//!
//! A spreadsheet program writes repeats for runs of empty rows and cells
//! (to the end of the sheet) and for a few identical neighbours, which
//! calamine does not copy out or copies only a few times; so the XML is
//! read here as calamine reads it, with the same XML reader and settings,
//! counting the cells and the text calamine would hold, and the file is
//! refused before calamine reads it when either passes a bound far above
//! any exam's file, or when calamine would never finish. Where calamine
//! stops on an error, so does this reading (nothing more is held).

use std::io::{BufRead, BufReader, Cursor};

use quick_xml::events::{BytesStart, Event};
use quick_xml::name::QName;

use super::cfb::Layout;

/// calamine's caps (`ods.rs`): rows and columns in a sheet.
const MAX_ROWS: usize = 1_048_576;
const MAX_COLUMNS: usize = 16_384;

/// The cells meritlist lets calamine hold for one `.ods`, in all: as for
/// an `.xls` (65,536 rows × 64 columns), here counting every cell slot it
/// fills (the row as read, then the sheet's block of values and of
/// formulas); each takes 24 to 32 bytes.
const CELLS: u64 = 65_536 * 64;
/// The text meritlist lets calamine hold for one `.ods`, in all: every copy
/// of a cell's text and formula (64 MB).
const TEXT: u64 = 64 << 20;

/// A problem if calamine would take more than the bounds, or never finish,
/// reading this `.ods`; `None` otherwise (including a file calamine fails
/// to open: it says why).
pub fn check(bytes: &[u8]) -> Option<String> {
    match layout(bytes) {
        Layout::Refused(problem) => Some(problem),
        _ => None,
    }
}

/// What the guard finds: refused, calamine fails, or (`Sheets` empty; the
/// costs are in [`Costs`]) it may read the file.
fn layout(bytes: &[u8]) -> Layout {
    match costs(bytes) {
        Ok(_) => Layout::Sheets(Vec::new()),
        Err(Stop::Refused(problem)) => Layout::Refused(problem),
        Err(Stop::Fails) => Layout::Fails,
    }
}

/// For the fuzzing harness and tests: where calamine's reading of an `.ods`
/// differs from what the guard makes of it (it said calamine fails and it
/// opened the file; calamine holds more cells, or more text in its sheets'
/// blocks, than the guard counted). `None` when they agree, and for a file
/// the guard refuses (calamine is not called then).
#[doc(hidden)]
pub fn disagreement(bytes: &[u8]) -> Option<String> {
    use calamine::Reader;
    let counted = costs(bytes);
    if let Err(Stop::Refused(_)) = counted {
        return None;
    }
    let opened = super::table::foreign(|| calamine::Ods::<_>::new(Cursor::new(bytes)));
    let mut book = opened.ok()?;
    let Ok(counted) = counted else {
        return Some("the guard says calamine fails to open it, and it opened it".into());
    };
    let (mut cells, mut text) = (0u64, 0u64);
    for name in book.sheet_names() {
        let values = super::table::foreign(|| book.worksheet_range(&name)).ok()?;
        let formulas = super::table::foreign(|| book.worksheet_formula(&name)).ok()?;
        cells += (values.get_size().0 * values.get_size().1) as u64;
        cells += (formulas.get_size().0 * formulas.get_size().1) as u64;
        for v in values.used_cells() {
            if let calamine::Data::String(s)
            | calamine::Data::DateTimeIso(s)
            | calamine::Data::DurationIso(s) = v.2
            {
                text += s.len() as u64;
            }
        }
        text += formulas.used_cells().map(|f| f.2.len() as u64).sum::<u64>();
    }
    (cells > counted.cells || text > counted.text).then(|| {
        format!(
            "calamine holds {cells} cells and {text} bytes of text; the guard counted {} and {}",
            counted.cells, counted.text
        )
    })
}

/// What calamine holds, counted as it reads (an upper bound).
#[derive(Debug, Default, Clone, Copy)]
struct Costs {
    /// Cell slots: every value and formula pushed for a row as read, and
    /// every cell of each sheet's blocks.
    cells: u64,
    /// Bytes of text: every copy of a value's text and a formula.
    text: u64,
}

/// Why the reading stopped early.
#[derive(Debug)]
pub(super) enum Stop {
    /// calamine fails here (an error), with nothing more held.
    Fails,
    /// Past a bound, or calamine would never finish.
    Refused(String),
}

type Step<T> = Result<T, Stop>;

impl From<quick_xml::Error> for Stop {
    fn from(_: quick_xml::Error) -> Stop {
        Stop::Fails
    }
}

/// The costs of reading `bytes` as calamine's `Ods::new` does. The mimetype
/// and password checks calamine makes first are not repeated: a file they
/// refuse is only judged more strictly here.
fn costs(bytes: &[u8]) -> Step<Costs> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| Stop::Fails)?;
    let part = zip.by_name("content.xml").map_err(|_| Stop::Fails)?;
    let mut reader = quick_xml::Reader::from_reader(BufReader::new(part));
    super::xml::as_calamine(reader.config_mut());
    let mut walk = Walk {
        reader,
        costs: Costs::default(),
    };
    walk.content()?;
    Ok(walk.costs)
}

struct Walk<R> {
    reader: quick_xml::Reader<R>,
    costs: Costs,
}

/// One `table:table-row` as calamine reads it: how often it repeats, and
/// where its values and formulas are.
#[derive(Default)]
struct Row {
    repeats: u64,
    values: Line,
    formulas: Line,
}

/// A row's cells of one kind (values or formulas) as calamine holds them
/// before laying out the sheet: how many, the first and last that are not
/// empty, and the bytes of text among them.
#[derive(Default)]
struct Line {
    len: usize,
    first: Option<usize>,
    last: usize,
    text: u64,
}

impl Line {
    fn push(&mut self, n: usize, filled: bool, text: u64) {
        if filled && n > 0 {
            self.first.get_or_insert(self.len);
            self.last = self.len + n - 1;
            self.text += text * n as u64;
        }
        self.len += n;
    }
}

impl<R: BufRead> Walk<R> {
    fn add(&mut self, cells: u64, text: u64) -> Step<()> {
        self.costs.cells = self.costs.cells.saturating_add(cells);
        self.costs.text = self.costs.text.saturating_add(text);
        if self.costs.cells > CELLS {
            return Err(Stop::Refused(format!(
                "its sheets would fill more than {} cells (65,536 rows × 64 columns) when read, as the .ods reader copies out rows and cells marked as repeated and holds them all, far more than an exam's file; save it as .xlsx, which is read cell by cell; if the file is damaged, ask for a fresh copy",
                super::biff::group(CELLS)
            )));
        }
        if self.costs.text > TEXT {
            return Err(Stop::Refused(format!(
                "its cells would hold more than {} MB of text when read, as the .ods reader copies out rows and cells marked as repeated, and runs of spaces, far more than an exam's file; save it as .xlsx, which is read cell by cell; if the file is damaged, ask for a fresh copy",
                TEXT >> 20
            )));
        }
        Ok(())
    }

    fn never_ends(&self, inside: &str) -> Stop {
        Stop::Refused(format!(
            "its content.xml ends inside {inside}, and the .ods reader would read on for ever; the file is cut off or damaged: ask for a fresh copy, or open it in LibreOffice and save it again"
        ))
    }

    /// calamine's `parse_content`.
    fn content(&mut self) -> Step<()> {
        let mut buf = Vec::new();
        let mut style_name = false;
        loop {
            buf.clear();
            match self.reader.read_event_into(&mut buf)? {
                Event::Start(e) if e.name() == QName("style:style") => {
                    style_name = raw_attr(&e, "style:name")?
                        .map(decode)
                        .transpose()?
                        .is_some();
                }
                Event::Start(e) if style_name && e.name() == QName("style:table-properties") => {
                    if let Some(v) = raw_attr(&e, "table:display")? {
                        decode(v)?.parse::<bool>().map_err(|_| Stop::Fails)?;
                    }
                }
                Event::Start(e) if e.name() == QName("table:table") => {
                    raw_attr(&e, "table:style-name")?.map(decode).transpose()?;
                    if let Some(v) = raw_attr(&e, "table:name")? {
                        decode(v)?;
                        self.table()?;
                    }
                }
                Event::Start(e) if e.name() == QName("table:named-expressions") => {
                    self.named_expressions()?;
                }
                Event::Eof => return Ok(()),
                _ => {}
            }
        }
    }

    /// calamine's `read_named_expressions`: only its errors matter here.
    fn named_expressions(&mut self) -> Step<()> {
        let mut buf = Vec::new();
        loop {
            buf.clear();
            match self.reader.read_event_into(&mut buf)? {
                Event::Start(e)
                    if e.name() == QName("table:named-range")
                        || e.name() == QName("table:named-expression") =>
                {
                    for attr in RawAttrs::of(&e) {
                        let (key, value) = attr?;
                        if matches!(
                            key,
                            "table:name" | "table:cell-range-address" | "table:expression"
                        ) {
                            decode(value)?;
                        }
                    }
                }
                Event::End(e)
                    if e.name() == QName("table:named-range")
                        || e.name() == QName("table:named-expression") => {}
                Event::End(e) if e.name() == QName("table:named-expressions") => return Ok(()),
                _ => return Err(Stop::Fails),
            }
        }
    }

    /// calamine's `read_table`, then its `get_range` for the values and
    /// for the formulas.
    fn table(&mut self) -> Step<()> {
        let mut rows: Vec<Row> = Vec::new();
        let mut total_rows = 0usize;
        let mut buf = Vec::new();
        loop {
            buf.clear();
            match self.reader.read_event_into(&mut buf)? {
                Event::Start(e) if e.name() == QName("table:table-row") => {
                    let repeats: usize = match raw_attr(&e, "table:number-rows-repeated")? {
                        Some(v) => decode(v)?.parse().map_err(|_| Stop::Fails)?,
                        None => 1,
                    };
                    let repeats = repeats.min(MAX_ROWS.saturating_sub(total_rows));
                    total_rows = total_rows.saturating_add(repeats);
                    let mut row = self.row()?;
                    row.repeats = repeats as u64;
                    rows.push(row);
                }
                Event::End(e) if e.name() == QName("table:table") => break,
                // calamine's loop takes the end of the file as one more
                // event to pass over, and asks for the next for ever.
                Event::Eof => return Err(self.never_ends("a table")),
                _ => {}
            }
        }
        fn values(r: &Row) -> &Line {
            &r.values
        }
        fn formulas(r: &Row) -> &Line {
            &r.formulas
        }
        for kind in [values as fn(&Row) -> &Line, formulas] {
            let (cells, text) = block(&rows, kind);
            self.add(cells, text)?;
        }
        Ok(())
    }

    /// calamine's `read_row`: the cells it pushes for one row element.
    fn row(&mut self) -> Step<Row> {
        let mut row = Row::default();
        let mut empty_repeats = 0usize;
        let mut buf = Vec::new();
        loop {
            buf.clear();
            match self.reader.read_event_into(&mut buf)? {
                Event::Start(e)
                    if e.name() == QName("table:table-cell")
                        || e.name() == QName("table:covered-table-cell") =>
                {
                    let repeats: usize = match raw_attr(&e, "table:number-columns-repeated")? {
                        Some(v) => v.parse().map_err(|_| Stop::Fails)?,
                        None => 1,
                    };
                    let cell = self.cell(&e)?;
                    let room = MAX_COLUMNS.saturating_sub(row.values.len);
                    let empties = empty_repeats.min(room);
                    row.values.push(empties, false, 0);
                    row.formulas.push(empties, false, 0);
                    self.add(2 * empties as u64, 0)?;
                    empty_repeats = 0;
                    let room = MAX_COLUMNS.saturating_sub(row.values.len);
                    let repeats = repeats.min(room);
                    if cell.value.is_none() && cell.formula == 0 {
                        empty_repeats = repeats;
                    } else {
                        let text = cell.value.unwrap_or(0);
                        row.values.push(repeats, cell.value.is_some(), text);
                        row.formulas.push(repeats, cell.formula > 0, cell.formula);
                        let n = repeats as u64;
                        self.add(2 * n, n.saturating_mul(text + cell.formula))?;
                    }
                    if !cell.closed {
                        let mut skip = Vec::new();
                        self.reader
                            .read_to_end_into(e.name(), &mut skip)
                            .map_err(|_| Stop::Fails)?;
                    }
                }
                Event::End(e) if e.name() == QName("table:table-row") => return Ok(row),
                _ => return Err(Stop::Fails),
            }
        }
    }

    /// calamine's `get_datatype`: whether the cell holds a value (and the
    /// bytes of its text, 0 for a number), the bytes of its formula, and
    /// whether its end was read.
    fn cell(&mut self, e: &BytesStart<'_>) -> Step<Cell> {
        let (mut is_string, mut is_error, mut set) = (false, false, false);
        let mut value: Option<u64> = None;
        let mut empty_string = false;
        let mut formula = 0u64;
        for attr in RawAttrs::of(e) {
            let (key, v) = attr?;
            match key {
                // calamine fails on a number it cannot read; counting on
                // past one is only stricter.
                "office:value" if !set => {
                    value = Some(0);
                    set = true;
                }
                "office:string-value" | "office:date-value" | "office:time-value" if !set => {
                    let text = decode(v)?;
                    empty_string = key == "office:string-value" && text.is_empty();
                    value = Some(text.len() as u64);
                    set = true;
                }
                "office:boolean-value" if !set => {
                    value = Some(0);
                    set = true;
                }
                "office:value-type" if !set => is_string = v == "string",
                "calcext:value-type" => is_error = v == "error",
                "table:formula" => formula = decode(v)?.len() as u64,
                _ => {}
            }
        }
        if !((!set && is_string) || (is_error && empty_string)) {
            return Ok(Cell {
                value,
                formula,
                closed: false,
            });
        }
        // The text is the element's content, read to the cell's end.
        let mut text = 0u64;
        let mut first_paragraph = true;
        let mut buf = Vec::new();
        loop {
            buf.clear();
            match self.reader.read_event_into(&mut buf)? {
                Event::Text(t) => text += t.xml10_content().len() as u64,
                Event::GeneralRef(_) => text += 4, // one character at most
                Event::End(e)
                    if e.name() == QName("table:table-cell")
                        || e.name() == QName("table:covered-table-cell") =>
                {
                    return Ok(Cell {
                        value: Some(text),
                        formula,
                        closed: true,
                    });
                }
                Event::Start(e) if e.name() == QName("office:annotation") => loop {
                    let mut inner = Vec::new();
                    match self.reader.read_event_into(&mut inner)? {
                        Event::End(e) if e.name() == QName("office:annotation") => break,
                        Event::Eof => return Err(self.never_ends("a comment on a cell")),
                        _ => {}
                    }
                },
                Event::Start(e) if e.name() == QName("text:p") => {
                    if !first_paragraph {
                        text += 1;
                    }
                    first_paragraph = false;
                }
                Event::Start(e) if e.name() == QName("text:s") => {
                    // calamine's count is an i32: 1 without the attribute.
                    let count: i32 = match raw_attr(&e, "text:c")? {
                        Some(v) => decode(v)?.parse().map_err(|_| Stop::Fails)?,
                        None => 1,
                    };
                    text += count.max(0) as u64;
                }
                Event::Start(e)
                    if e.name() == QName("text:tab") || e.name() == QName("text:line-break") =>
                {
                    text += 1;
                }
                Event::Eof => return Err(Stop::Fails),
                _ => {}
            }
            // The text is built up in one string before it is copied.
            if text > TEXT {
                self.add(0, text)?;
            }
        }
    }
}

/// A cell as [`Walk::cell`] reads it.
struct Cell {
    value: Option<u64>,
    formula: u64,
    closed: bool,
}

/// The cell slots and text bytes of calamine's `get_range` for one kind of
/// cell: the block from the first row with a filled cell to the last, and
/// from the first filled column to the last, each row copied out as often
/// as it repeats (an upper bound: calamine also stops at 100,000,000).
fn block(rows: &[Row], kind: fn(&Row) -> &Line) -> (u64, u64) {
    let filled: Vec<usize> = (0..rows.len())
        .filter(|&i| kind(&rows[i]).first.is_some())
        .collect();
    let (Some(&top), Some(&bottom)) = (filled.first(), filled.last()) else {
        return (0, 0);
    };
    let left = filled
        .iter()
        .filter_map(|&i| kind(&rows[i]).first)
        .min()
        .unwrap_or(0);
    let right = filled
        .iter()
        .map(|&i| kind(&rows[i]).last)
        .max()
        .unwrap_or(0);
    let width = (right + 1 - left) as u64;
    let (mut height, mut text) = (0u64, 0u64);
    for row in &rows[top..=bottom] {
        height = height.saturating_add(row.repeats);
        text = text.saturating_add(row.repeats.saturating_mul(kind(row).text));
    }
    // Room is made first for the block's rows as read, before repeats.
    let reserved = ((bottom + 1 - top) as u64).saturating_mul(width);
    (height.saturating_mul(width).saturating_add(reserved), text)
}

/// An attribute's value with XML entities unescaped (calamine's
/// `decode_attr`).
fn decode(v: &str) -> Step<String> {
    Ok(quick_xml::escape::unescape(v)
        .map_err(|_| Stop::Fails)?
        .into_owned())
}

/// calamine's `raw_attr`: the first attribute named `name`; a malformed
/// attribute before it is an error.
fn raw_attr<'a>(e: &'a BytesStart<'_>, name: &str) -> Step<Option<&'a str>> {
    for attr in RawAttrs::of(e) {
        let (key, value) = attr?;
        if key == name {
            return Ok(Some(value));
        }
    }
    Ok(None)
}

/// calamine's `RawAttrIter` (`attrs.rs`), which reads attributes its own
/// way: a key runs to the next `=`, its value is quoted; a key without `=`
/// or an unquoted value is an error, and ends the attributes.
pub(super) struct RawAttrs<'a> {
    raw: &'a str,
    pos: usize,
}

impl<'a> RawAttrs<'a> {
    pub(super) fn of(e: &'a BytesStart<'_>) -> Self {
        RawAttrs {
            raw: e.attributes_raw(),
            pos: 0,
        }
    }
}

impl<'a> Iterator for RawAttrs<'a> {
    type Item = Result<(&'a str, &'a str), Stop>;

    fn next(&mut self) -> Option<Self::Item> {
        let (raw, bytes) = (self.raw, self.raw.as_bytes());
        let mut pos = self.pos;
        while pos < bytes.len() && bytes[pos].is_ascii_whitespace() {
            pos += 1;
        }
        if pos >= bytes.len() {
            self.pos = pos;
            return None;
        }
        let key_start = pos;
        while pos < bytes.len() && bytes[pos] != b'=' {
            pos += 1;
        }
        if pos >= bytes.len() {
            self.pos = bytes.len();
            return Some(Err(Stop::Fails));
        }
        let key = raw[key_start..pos].trim_ascii_end();
        pos += 1;
        while pos < bytes.len() && bytes[pos].is_ascii_whitespace() {
            pos += 1;
        }
        let quote = match bytes.get(pos) {
            Some(&q) if q == b'"' || q == b'\'' => q,
            _ => {
                self.pos = bytes.len();
                return Some(Err(Stop::Fails));
            }
        };
        pos += 1;
        let start = pos;
        while pos < bytes.len() && bytes[pos] != quote {
            pos += 1;
        }
        let value = &raw[start..pos];
        if pos < bytes.len() {
            pos += 1;
        }
        self.pos = pos;
        Some(Ok((key, value)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    /// An `.ods` whose one sheet holds `rows` (the XML of its rows), or,
    /// with `whole`, whose content.xml is `rows` itself.
    fn ods_with(rows: &str, whole: bool) -> Vec<u8> {
        let content = if whole {
            rows.to_string()
        } else {
            format!(
                r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet><table:table table:name="Scores">{rows}</table:table></office:spreadsheet></office:body></office:document-content>"#
            )
        };
        let mut z = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let stored = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        let parts = [
            ("mimetype", "application/vnd.oasis.opendocument.spreadsheet".to_string()),
            (
                "META-INF/manifest.xml",
                r#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/></manifest:manifest>"#.to_string(),
            ),
            ("content.xml", content),
        ];
        for (name, text) in parts {
            z.start_file(name, stored).unwrap();
            z.write_all(text.as_bytes()).unwrap();
        }
        z.finish().unwrap().into_inner()
    }

    fn ods(rows: &str) -> Vec<u8> {
        ods_with(rows, false)
    }

    const HEADER: &str = r#"<table:table-row><table:table-cell office:value-type="string"><text:p>applicant_id</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>written</text:p></table:table-cell></table:table-row>"#;

    fn number_row(repeats: u64, cells: u64, value: &str) -> String {
        format!(
            r#"<table:table-row table:number-rows-repeated="{repeats}"><table:table-cell table:number-columns-repeated="{cells}" office:value-type="float" office:value="{value}"/></table:table-row>"#
        )
    }

    #[test]
    fn files_a_spreadsheet_program_writes_pass() {
        let libreoffice = include_bytes!("../../tests/fixtures/formats/applicants.ods");
        let read = costs(libreoffice).expect("read");
        assert!(read.cells > 0 && read.cells < 10_000, "{read:?}");
        assert_eq!(disagreement(libreoffice), None);
        // The rows and cells to the end of the sheet, as LibreOffice
        // writes them: repeated, empty, never copied out.
        let tail = r#"<table:table-row table:number-rows-repeated="1048570"><table:table-cell table:number-columns-repeated="16384"/></table:table-row>"#;
        let file = ods(&format!("{HEADER}{}{tail}", number_row(1, 2, "80")));
        let read = costs(&file).expect("read");
        assert!(read.cells < 100, "{read:?}");
        assert_eq!(disagreement(&file), None);
        // A few identical neighbours, as LibreOffice also writes them.
        let file = ods(&format!("{HEADER}{}", number_row(40, 2, "0")));
        assert_eq!(check(&file), None);
        assert_eq!(disagreement(&file), None);
    }

    // fuzz/README.md finding 11.
    #[test]
    fn repeats_copied_out_past_the_bound_are_refused() {
        let file = ods(&format!("{HEADER}{}", number_row(990_000, 100, "1")));
        let p = check(&file).expect("99,000,000 cells");
        assert!(
            p.starts_with("its sheets would fill more than 4,194,304 cells (65,536 rows × 64 columns) when read"),
            "{p}"
        );
        // Just within: 32,768 rows of 63 numbers.
        let file = ods(&number_row(32_768, 63, "1"));
        assert_eq!(check(&file), None);
        assert_eq!(disagreement(&file), None);
        // Cells pushed out to the last column, row after row.
        let far = r#"<table:table-row><table:table-cell table:number-columns-repeated="16383"/><table:table-cell office:value-type="float" office:value="1"/></table:table-row>"#;
        assert!(check(&ods(&far.repeat(300))).is_some());
    }

    // fuzz/README.md finding 12.
    #[test]
    fn text_copied_out_past_the_bound_is_refused() {
        let spaces = r#"<table:table-row><table:table-cell office:value-type="string"><text:p>a<text:s text:c="2000000000"/>b</text:p></table:table-cell></table:table-row>"#;
        let p = check(&ods(spaces)).expect("2,000,000,000 spaces");
        assert!(
            p.starts_with("its cells would hold more than 64 MB of text when read"),
            "{p}"
        );
        // A long text repeated across a row and down the sheet.
        let text = "x".repeat(10_000);
        let row = format!(
            r#"<table:table-row table:number-rows-repeated="200"><table:table-cell table:number-columns-repeated="60" office:value-type="string" office:string-value="{text}"/></table:table-row>"#
        );
        assert!(check(&ods(&row)).is_some());
        // A few spaces, as a spreadsheet program writes them.
        let few = spaces.replace("2000000000", "3");
        assert_eq!(check(&ods(&few)), None);
        assert_eq!(disagreement(&ods(&few)), None);
    }

    // fuzz/README.md finding 13.
    #[test]
    fn content_that_ends_where_calamine_would_read_for_ever_is_refused() {
        let content = r#"<office:document-content><office:body><office:spreadsheet><table:table table:name="S"><table:table-row><table:table-cell office:value-type="float" office:value="1"/></table:table-row>"#;
        let p = check(&ods_with(content, true)).expect("cut inside the table");
        assert!(p.starts_with("its content.xml ends inside a table"), "{p}");
        let comment = r#"<office:document-content><office:body><office:spreadsheet><table:table table:name="S"><table:table-row><table:table-cell office:value-type="string"><office:annotation><text:p>note"#;
        let p = check(&ods_with(comment, true)).expect("cut inside a comment");
        assert!(
            p.starts_with("its content.xml ends inside a comment on a cell"),
            "{p}"
        );
        // Cut inside a row, calamine stops with an error: left to it.
        let row = r#"<office:document-content><office:body><office:spreadsheet><table:table table:name="S"><table:table-row>"#;
        assert!(matches!(layout(&ods_with(row, true)), Layout::Fails));
        // A table without a name is not read.
        let unnamed = r#"<office:document-content><table:table><table:table-row>"#;
        assert!(matches!(
            layout(&ods_with(unnamed, true)),
            Layout::Sheets(_)
        ));
    }

    #[test]
    fn where_calamine_fails_the_reading_stops() {
        // Text between cells: calamine expects only cells in a row.
        let spaced = format!("<table:table-row> {}</table:table-row>", "");
        assert!(matches!(layout(&ods(&spaced)), Layout::Fails));
        assert_eq!(disagreement(&ods(&spaced)), None);
        // A repeat count that is not a number.
        let odd = number_row(1, 1, "1").replace(
            r#"table:number-rows-repeated="1""#,
            r#"table:number-rows-repeated="x""#,
        );
        assert!(matches!(layout(&ods(&odd)), Layout::Fails));
        // Not a zip, or no content.xml.
        assert!(matches!(layout(b"not a zip"), Layout::Fails));
        // calamine's way with attributes: a key runs to the next '=', so
        // "oops" makes no error, but an unquoted value does.
        let odd = number_row(1, 1, "1").replace("<table:table-row ", "<table:table-row oops ");
        assert!(matches!(layout(&ods(&odd)), Layout::Sheets(_)));
        let bad = number_row(1, 1, "1").replace("<table:table-row ", "<table:table-row a=1 ");
        assert!(matches!(layout(&ods(&bad)), Layout::Fails));
        assert_eq!(disagreement(&ods(&bad)), None);
    }
}
