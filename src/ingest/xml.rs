//! A guard in front of calamine's XML reading of zipped workbooks (`.xlsx`,
//! `.xlsm`, `.ods`, and an `.xlsb`'s XML parts). calamine reads each part
//! with quick-xml, which holds each piece of the XML it hands out (a tag
//! with its attributes, a run of text between tags, a comment) whole in a
//! buffer, and the buffer grows to fit. A part's text deflates about a
//! thousand to one when it repeats, so a 1.5 MB workbook whose one cell
//! held 1.5 GB of text aborted the process for want of memory, with no
//! message and exit 134 (fuzz/README.md, finding 14); a 16 MB one would
//! need 16 GB.
//!
//! No spreadsheet program writes a piece that long: a cell's text is at
//! most 32,767 characters in Excel. So every part that could hold a piece
//! longer than [`PIECE`] is read here first, with the same XML reader and
//! settings as calamine's, through a reader that lets no piece grow past
//! the bound; a part that needs more is refused before calamine reads it.
//! The zip reader stops a part at its declared size, so a part declared no
//! larger than the bound is passed over without reading it: only very large
//! workbooks (a worksheet of some 80,000 applicants or more) pay for this
//! reading (BENCHMARKS.md, eleventh session).

use std::io::{BufRead, Cursor, Read};

/// The longest piece of XML meritlist lets calamine hold (64 MB), and so
/// the largest part passed over unread. quick-xml's buffer is at most twice
/// it, and calamine's and meritlist's copies of a cell's text add as much
/// again, so the workbook stays within a few hundred MB.
const PIECE: u64 = 64 << 20;

/// A problem if some part of this zipped workbook holds a piece of XML
/// longer than [`PIECE`], or (an .xlsx, `xlsx`) if its parts other than its
/// worksheets come to more than [`OPENED`]; `None` otherwise, and for a
/// file that is not a zip or a part that cannot be read (calamine says
/// why, or stops there too, having held no more than what was read here).
///
/// An .xlsx's worksheet parts ([`Later::takes`]; calamine reads
/// them only when asked for a sheet's cells) are left to [`sheet`], which
/// reads them once for long pieces and for merged cells together.
pub fn check(bytes: &[u8], xlsx: bool) -> Option<String> {
    let mut package = Package::open(bytes, xlsx)?;
    package
        .long_piece(PIECE)
        .or_else(|| xlsx.then(|| package.opened_total(OPENED)).flatten())
}

/// The most an .xlsx's parts other than its worksheets may come to,
/// unpacked (128 MB). calamine reads them all when it opens the workbook
/// (shared strings, styles, the workbook, relationships) and holds what
/// they list: a shared string of a few bytes of XML takes 24 bytes or more
/// in memory, so an unbounded part lets a few MB of a zip (one string
/// repeated deflates a thousand to one) fill any machine. An exam's
/// workbook of a million applicants holds some tens of MB of them.
const OPENED: u64 = 128 << 20;

/// A zipped workbook, opened once for the checks made before calamine
/// opens it.
struct Package<'a> {
    zip: zip::ZipArchive<Cursor<&'a [u8]>>,
    later: Later,
}

/// Which parts are an .xlsx's worksheets, read only just before their
/// cells are ([`sheet`]): for an .xlsx, what the package's relationships
/// name ([`named_by_package`]); `None` for any other workbook.
struct Later(Option<Vec<String>>);

impl Later {
    /// Whether the part `name` is left for later: named as a worksheet
    /// ([`is_worksheet`]) and not named by the package's relationships.
    fn takes(&self, name: &str) -> bool {
        self.0
            .as_ref()
            .is_some_and(|named| is_worksheet(name) && !named.contains(&name.to_ascii_lowercase()))
    }
}

impl<'a> Package<'a> {
    fn open(bytes: &'a [u8], xlsx: bool) -> Option<Self> {
        let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
        let later = Later(xlsx.then(|| named_by_package(&mut zip)));
        Some(Package { zip, later })
    }

    /// A problem if the parts other than the worksheets come to more than
    /// `bound` unpacked; their declared sizes are taken, which the zip
    /// reader holds each part to, so nothing is unpacked here.
    fn opened_total(&mut self, bound: u64) -> Option<String> {
        let mut total = 0u64;
        let mut largest = (0u64, String::new());
        for i in 0..self.zip.len() {
            let Ok(part) = self.zip.by_index_raw(i) else {
                continue;
            };
            let name = part.name().map(|n| n.to_string()).unwrap_or_default();
            if self.later.takes(&name) {
                continue;
            }
            total = total.saturating_add(part.size());
            if part.size() > largest.0 {
                largest = (part.size(), name);
            }
        }
        (total > bound).then(|| {
            format!(
                "its parts other than the worksheets come to {} MB unpacked (the largest, {}, {} MB), more than the {} MB meritlist lets the spreadsheet reader hold when it opens a workbook (shared strings, styles and the like; an exam's workbook needs some tens of MB at most); the file is damaged or was not written by a spreadsheet program: ask for a fresh copy",
                total >> 20,
                largest.1,
                largest.0 >> 20,
                bound >> 20
            )
        })
    }
}

/// Every part name the package's relationships (`_rels/.rels`) could point
/// to, lower-cased: calamine opens the workbook part they name (its
/// `officeDocument`) wherever it is, so a part named like a worksheet that
/// is named here is not left for later. Every attribute of every element
/// counts, unescaped, without a leading `/` or `./`: more than calamine
/// takes, never less. Read through the same bound on pieces.
fn named_by_package(zip: &mut zip::ZipArchive<Cursor<&[u8]>>) -> Vec<String> {
    let mut named = Vec::new();
    let Some(index) = (0..zip.len()).find(|&i| {
        zip.name_for_index(i)
            .is_some_and(|n| n.is_ok_and(|n| n.eq_ignore_ascii_case("_rels/.rels")))
    }) else {
        return named;
    };
    let Ok(part) = zip.by_index(index) else {
        return named;
    };
    let mut reader = xml_reader(part, PIECE);
    let mut buf = Vec::new();
    loop {
        match next_piece(&mut reader, &mut buf) {
            Ok(quick_xml::events::Event::Start(e) | quick_xml::events::Event::Empty(e)) => {
                for attr in e.html_attributes().flatten() {
                    let raw = attr.value.to_string();
                    let value = quick_xml::escape::unescape(&raw)
                        .map(|v| v.into_owned())
                        .unwrap_or(raw);
                    let value = value.trim_start_matches("./").trim_start_matches('/');
                    named.push(value.to_ascii_lowercase());
                }
            }
            Ok(quick_xml::events::Event::Eof) | Err(_) => break,
            Ok(_) => {}
        }
    }
    named
}

/// Whether `name` is an XML part in an .xlsx's worksheets' folder, each of
/// which the worksheet pass reads (`table::vet_worksheets`).
pub fn is_in_worksheets(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.starts_with("xl/worksheets/") && lower.ends_with(".xml")
}

/// The parts of an .xlsx that calamine could read as a sheet, each of
/// which the worksheet pass reads for long pieces, merged cells and shared
/// formulas before any sheet's cells are read (`table::vet_worksheets`):
/// every part in the worksheets' folder ([`is_in_worksheets`]), and every
/// other part whose file name (after its last `/`) is the file name of a
/// value in one of the package's relationship parts (`*.rels`).
///
/// calamine reads a sheet at the path the workbook's relationships give it
/// (its `Target`, raw, after the workbook's folder, or from the root when
/// it starts with `/`; an empty one when there is none), looked up without
/// regard to case, so the part's name ends with that target where a folder
/// ends, and the two end in the same file name. Every quoted value after
/// an `=` anywhere in every part named `.rels` counts, so no arrangement of
/// the XML hides the one calamine takes, and the empty file name always
/// counts (a relationship without a target makes the workbook's folder,
/// `xl/`, the sheet: a part may be named so). When a relationship part
/// cannot be read to its end (calamine may have read its target before the
/// damage), is larger than the parts read at open may come to, or names
/// more than [`NAMED`] files or bytes of them, every part is taken.
///
/// A workbook as a spreadsheet program writes it names, besides its
/// worksheets, the parts calamine reads at open (`workbook.xml`,
/// `styles.xml`, `sharedStrings.xml`, `theme1.xml`) and its properties:
/// those are read again by the byte search, and with quick-xml only if
/// they hold the word `shared`. Until the thirteenth session every XML
/// part outside the folder was read at open for shared formulas (the
/// 1.02-1.06x of BENCHMARKS.md) and only the folder's for merged cells
/// (fuzz/README.md finding 28).
pub struct MaySheets {
    /// `None`: every part.
    file_names: Option<std::collections::HashSet<Vec<u8>>>,
}

/// The most distinct file names, and bytes of them, the relationship parts
/// may name before every part is taken (65,536; 16 MB): a workbook names
/// a few dozen.
const NAMED: usize = 1 << 16;

impl MaySheets {
    pub fn of(zip: &mut zip::ZipArchive<Cursor<&[u8]>>) -> Self {
        let mut file_names = std::collections::HashSet::from([Vec::new()]);
        let mut named_bytes = 0usize;
        let mut xml = Vec::new();
        for i in 0..zip.len() {
            let Ok(part) = zip.by_index(i) else {
                continue;
            };
            let is_rels = part
                .name()
                .is_ok_and(|n| n.to_ascii_lowercase().ends_with(".rels"));
            if !is_rels {
                continue;
            }
            xml.clear();
            let whole = part.take(OPENED + 1).read_to_end(&mut xml).is_ok();
            if !whole || xml.len() as u64 > OPENED {
                return MaySheets { file_names: None };
            }
            values_file_names(&xml, &mut file_names, &mut named_bytes);
            if file_names.len() > NAMED || named_bytes > NAMED << 8 {
                return MaySheets { file_names: None };
            }
        }
        MaySheets {
            file_names: Some(file_names),
        }
    }

    /// Whether calamine could read the part `name` as a sheet.
    pub fn takes(&self, name: &str) -> bool {
        match &self.file_names {
            None => true,
            Some(named) => is_in_worksheets(name) || named.contains(&file_name(name.as_bytes())),
        }
    }
}

/// The file name of a part's name or a relationship's target: after the
/// last `/` or `\`, lower-cased.
fn file_name(path: &[u8]) -> Vec<u8> {
    let from = path
        .iter()
        .rposition(|&b| b == b'/' || b == b'\\')
        .map_or(0, |i| i + 1);
    path[from..].to_ascii_lowercase()
}

/// The file name ([`file_name`]) of every value in `xml` that calamine's
/// attribute reading could give: after an `=` and any ASCII white space, a
/// quote, up to the next of the same quote or the end. Each quote starts
/// at most one value and a value ends at the next quote like it, so this
/// is linear in the part.
fn values_file_names(xml: &[u8], into: &mut std::collections::HashSet<Vec<u8>>, bytes: &mut usize) {
    for eq in memchr::memchr_iter(b'=', xml) {
        let mut at = eq + 1;
        while xml.get(at).is_some_and(|b| b.is_ascii_whitespace()) {
            at += 1;
        }
        let Some(&quote @ (b'"' | b'\'')) = xml.get(at) else {
            continue;
        };
        let value = &xml[at + 1..];
        let value = &value[..memchr::memchr(quote, value).unwrap_or(value.len())];
        let name = file_name(value);
        if !into.contains(&name) {
            *bytes += name.len();
            into.insert(name);
        }
    }
}

/// Whether `name` is named as an .xlsx worksheet part: only
/// `xl/worksheets/sheet<digits>.xml`, as every spreadsheet program names
/// them, since a crafted package can put the parts calamine reads when it
/// opens the file (shared strings, styles, theme) in that folder too.
pub fn is_worksheet(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    n.strip_prefix("xl/worksheets/sheet")
        .and_then(|rest| rest.strip_suffix(".xml"))
        .is_some_and(|digits| !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()))
}

impl Package<'_> {
    /// A problem if a part that is not left for later holds a piece of XML
    /// longer than `bound`.
    fn long_piece(&mut self, bound: u64) -> Option<String> {
        for i in 0..self.zip.len() {
            let Ok(part) = self.zip.by_index(i) else {
                continue;
            };
            // The declared size bounds what the zip reader gives out (it
            // fails past it), and a piece cannot be longer than its part.
            // Binary parts (an .xlsb's sheets, a macro project) are not XML.
            let name = part.name().map(|n| n.to_string()).unwrap_or_default();
            if part.size() <= bound
                || name.to_ascii_lowercase().ends_with(".bin")
                || self.later.takes(&name)
            {
                continue;
            }
            if read(part, bound, false).too_long {
                return Some(too_long_message(&name, bound));
            }
        }
        None
    }
}

fn too_long_message(name: &str, bound: u64) -> String {
    format!(
        "its part {name} holds a single piece of XML (a tag or a run of text) longer than {} MB, far longer than any spreadsheet program writes (a cell holds at most 32,767 characters), and the spreadsheet reader would hold all of it at once; the file is damaged or was not written by a spreadsheet program: ask for a fresh copy",
        bound >> 20
    )
}

/// What [`sheet`] found in a worksheet part.
#[derive(Debug, PartialEq, Clone, Copy)]
pub struct Vetted {
    /// It may hold merged cells (the bytes `mergeCell`).
    pub merges: bool,
    /// It may hold shared formulas (the bytes `shared`), to be read with
    /// [`shared_formulas`].
    pub shared: bool,
}

/// An .xlsx worksheet part (`name`, declared `size` bytes), read once
/// before its cells are: `Err` if it holds a piece of XML longer than
/// [`PIECE`] (read only when the part is larger than that), and whether it
/// holds the bytes `mergeCell` (looked for unless `look_for_merges` is
/// false) and `shared`. calamine finds a sheet's merges by a second full
/// pass over its XML (`<mergeCell>` follows the data), and most files have
/// none, so a byte search spares that pass (issue 6). A part that cannot be
/// read to its end answers what was read; the caller takes an unreadable
/// one to hold merges.
pub fn sheet<R: Read>(
    part: R,
    name: &str,
    size: u64,
    look_for_merges: bool,
) -> Result<Vetted, String> {
    sheet_within(part, name, size, look_for_merges, PIECE)
}

fn sheet_within<R: Read>(
    mut part: R,
    name: &str,
    size: u64,
    look_for_merges: bool,
    bound: u64,
) -> Result<Vetted, String> {
    if size > bound {
        let seen = read(part, bound, look_for_merges);
        return if seen.too_long {
            Err(too_long_message(name, bound))
        } else if seen.merge_count > MERGES {
            Err(too_many_merges(name, seen.merge_count))
        } else {
            Ok(Vetted {
                merges: seen.merges,
                shared: seen.shared,
            })
        };
    }
    // Chunk by chunk, with the searches carried across chunks; merged cells
    // are counted in every part, whether or not they are to be reported.
    let mut merges = Search::merges();
    let mut shared = Search::shared();
    let mut buf = vec![0u8; 1 << 16];
    let read_whole = loop {
        match part.read(&mut buf) {
            Ok(0) => break true,
            Ok(n) => {
                merges.feed(&buf[..n]);
                shared.feed(&buf[..n]);
            }
            Err(_) => break false,
        }
    };
    if merges.count > MERGES {
        return Err(too_many_merges(name, merges.count));
    }
    // A part that cannot be read to its end may hold both.
    Ok(Vetted {
        merges: look_for_merges && (merges.found || !read_whole),
        shared: shared.found || !read_whole,
    })
}

/// The most merged cells a worksheet part may list (1,048,576): calamine
/// lists them all (16 bytes each) when it reads a sheet's merges, and
/// meritlist keeps a copy; a 1.2 MB file listing 20,000,000 took 2 GB
/// (fuzz/README.md finding 26). A sheet of applicants has a few.
const MERGES: u64 = 1 << 20;

fn too_many_merges(name: &str, count: u64) -> String {
    format!(
        "its part {name} lists {} merged cells, more than the {} meritlist lets the spreadsheet reader hold (a sheet of applicants has a few); the file is damaged or was not written by a spreadsheet program: ask for a fresh copy",
        super::biff::group(count),
        super::biff::group(MERGES),
    )
}

/// The most shared formulas calamine reserves room for by a formula's
/// number (its `si`): 1,048,576 (40 MB). Excel numbers a sheet's shared
/// formulas from 0, one per group of cells.
const SHARED_INDEX: u64 = 1 << 20;

/// The most formula text calamine may copy out of shared formulas into the
/// cells that share them, in one part (128 MB): a million cells sharing a
/// formula of 100 characters.
const COPIED: u64 = 128 << 20;

/// A problem if the part (`name`) holds shared formulas calamine cannot
/// afford (fuzz/README.md findings 20 and 21): one numbered past
/// [`SHARED_INDEX`] (calamine reserves room for every number up to it
/// first: a 2.4 KB file numbering one 1,000,000,000 filled 20 GB and was
/// killed), or so much text copied out that reading its cells would take
/// minutes (calamine writes out a shared formula again, with its
/// references moved, for every cell that shares it). Read with quick-xml
/// and calamine's settings; every `<f>` element counts wherever it is,
/// and every `si` and `ref` it names, so the counts are upper bounds.
pub fn shared_formulas<R: Read>(part: R, name: &str) -> Result<(), String> {
    use quick_xml::events::Event;
    let mut reader = xml_reader(part, PIECE);
    let mut buf = Vec::new();
    let mut text_buf = Vec::new();
    // Each shared formula's text, by number: the longest given it.
    let mut templates: std::collections::HashMap<u64, u64> = Default::default();
    let mut copied = 0u64;
    loop {
        let f = match next_piece(&mut reader, &mut buf) {
            Ok(Event::Start(e)) if e.local_name().as_ref() == "f" => e.into_owned(),
            Ok(Event::Eof) | Err(_) => return Ok(()),
            Ok(_) => continue,
        };
        let (mut shared, mut anchor, mut numbers) = (false, false, Vec::new());
        for attr in super::ods::RawAttrs::of(&f) {
            let Ok((key, value)) = attr else { break };
            match key {
                "t" => shared |= value == "shared",
                "ref" => anchor = true,
                "si" => numbers.extend(shared_index(value)),
                _ => {}
            }
        }
        if shared && anchor {
            if let Some(&n) = numbers.iter().find(|&&n| n > SHARED_INDEX) {
                return Err(format!(
                    "its part {name} numbers a shared formula {}, and the spreadsheet reader would first reserve room for that many shared formulas (some {} GB); a spreadsheet program numbers them from 0, one for each group of cells that share a formula, and meritlist reads at most {}; the file is damaged or was not written by a spreadsheet program: ask for a fresh copy",
                    super::biff::group(n),
                    super::biff::group(n.saturating_mul(40) >> 30),
                    super::biff::group(SHARED_INDEX),
                ));
            }
        }
        // The formula's text, as calamine's `read_formula` takes it: the
        // text and entities up to the end of the element.
        let mut len = 0u64;
        loop {
            match next_piece(&mut reader, &mut text_buf) {
                Ok(Event::Text(t)) => len += t.len() as u64,
                Ok(Event::GeneralRef(r)) => len += r.len() as u64 + 2,
                Ok(Event::End(end)) if end.name() == f.name() => break,
                Ok(Event::Eof) | Err(_) => return Ok(()),
                Ok(_) => {}
            }
        }
        if !shared {
            continue;
        }
        // A cell sharing a formula gets its own copy of it, written out.
        let template = numbers.iter().filter_map(|n| templates.get(n)).max();
        copied = copied.saturating_add(template.copied().unwrap_or(0));
        if copied > COPIED {
            return Err(format!(
                "its part {name} has cells that share formulas the spreadsheet reader would write out again for every cell, more than {} MB of formula text in all (a million cells sharing a formula of 100 characters come to 100 MB); the file is damaged or was not written by a spreadsheet program: ask for a fresh copy",
                COPIED >> 20,
            ));
        }
        if anchor {
            for n in numbers {
                let t = templates.entry(n).or_default();
                *t = (*t).max(len);
            }
        }
    }
}

/// A shared formula's number as calamine reads it (digits only, any
/// leading zeros; `None` where it fails).
fn shared_index(value: &str) -> Option<u64> {
    if value.is_empty() || !value.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let digits = value.trim_start_matches('0');
    if digits.len() > 19 {
        return Some(u64::MAX); // past a usize: calamine fails; refused anyway
    }
    Some(digits.parse().unwrap_or(0))
}

/// A search for a word (`mergeCell`, `shared`) in a part fed a chunk at a
/// time; a counting search counts every match, the others stop at the
/// first.
struct Search {
    word: &'static [u8],
    /// The last bytes fed, which a match may begin in.
    tail: Vec<u8>,
    found: bool,
    counting: bool,
    count: u64,
}

impl Search {
    fn new(word: &'static [u8], counting: bool) -> Self {
        Search {
            word,
            tail: Vec::new(),
            found: false,
            counting,
            count: 0,
        }
    }

    /// Merged cells, counted: every `<mergeCell>` holds the word once (and
    /// `<mergeCells>` around them too), so the count bounds the merges
    /// calamine lists ([`MERGES`]).
    fn merges() -> Self {
        Search::new(b"mergeCell", true)
    }

    /// A shared formula's `t="shared"` holds it ([`shared_formulas`]).
    fn shared() -> Self {
        Search::new(b"shared", false)
    }

    fn feed(&mut self, chunk: &[u8]) {
        if chunk.is_empty() || (self.found && !self.counting) {
            return;
        }
        let keep = self.word.len() - 1;
        let count = |hay: &[u8]| memchr::memmem::find_iter(hay, self.word).count() as u64;
        // A match across the join needs at most `keep` bytes of each side,
        // and `keep` bytes hold no whole match: the tail's matches are
        // exactly those across the join.
        self.tail.extend_from_slice(&chunk[..chunk.len().min(keep)]);
        let n = count(&self.tail) + count(chunk);
        self.count += n;
        self.found |= n > 0;
        if chunk.len() >= keep {
            self.tail.clear();
            self.tail.extend_from_slice(&chunk[chunk.len() - keep..]);
        } else {
            let drop = self.tail.len().saturating_sub(keep);
            self.tail.drain(..drop);
        }
    }
}

/// What [`read`] found.
struct Seen {
    too_long: bool,
    merges: bool,
    merge_count: u64,
    shared: bool,
}

/// quick-xml over `part` with calamine's settings ([`as_calamine`]),
/// through [`Bounded`].
fn xml_reader<R: Read>(part: R, bound: u64) -> quick_xml::Reader<Bounded<R>> {
    let mut reader = quick_xml::Reader::from_reader(Bounded::new(part, bound));
    as_calamine(reader.config_mut());
    reader
}

/// calamine's settings for quick-xml (xlsx `xml_reader`, ods
/// `parse_content`), which decide where its pieces and errors fall.
pub(super) fn as_calamine(config: &mut quick_xml::reader::Config) {
    config.check_end_names = false;
    config.trim_text(false);
    config.check_comments = false;
    config.expand_empty_elements = true;
}

/// The next piece, the bound counted from its start.
fn next_piece<'b, R: Read>(
    reader: &mut quick_xml::Reader<Bounded<R>>,
    buf: &'b mut Vec<u8>,
) -> quick_xml::Result<quick_xml::events::Event<'b>> {
    buf.clear();
    reader.get_mut().since_mark = 0;
    reader.read_event_into(buf)
}

/// Whether quick-xml, reading `part` as calamine does, would hold a piece
/// longer than `bound`, and (with `look_for_merges`) whether the bytes it
/// read hold `mergeCell`. Reading stops at the first error, as calamine's
/// does.
fn read<R: Read>(part: R, bound: u64, look_for_merges: bool) -> Seen {
    let mut reader = xml_reader(part, bound);
    let mut buf = Vec::new();
    loop {
        match next_piece(&mut reader, &mut buf) {
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(_) => {}
            Err(_) => {
                // Not read to its end: calamine is left to look for merges
                // (and to say what is wrong).
                let bounded = reader.get_ref();
                return Seen {
                    too_long: bounded.tripped,
                    merges: look_for_merges,
                    merge_count: bounded.merges.count,
                    shared: bounded.shared.found,
                };
            }
        }
    }
    let bounded = reader.get_ref();
    Seen {
        too_long: false,
        merges: look_for_merges && bounded.merges.found,
        merge_count: bounded.merges.count,
        shared: bounded.shared.found,
    }
}

/// For the fuzzing harness: where the bounded reading, with a bound of
/// `piece` bytes (small, so that a fuzzer's inputs reach it), lets through
/// a piece of XML that quick-xml, reading the same part with calamine's
/// settings and no bound, holds longer than the bound, or where a part's
/// declared size, by which parts are passed over unread, is less than a
/// piece of it. Runs the package checks at that bound too (for panics).
/// `None` when they agree or `bytes` is not a zip.
#[doc(hidden)]
pub fn disagreement(bytes: &[u8], piece: u64) -> Option<String> {
    let mut package = Package::open(bytes, true)?;
    let _ = package.opened_total(piece);
    let _ = package.long_piece(piece);
    for i in 0..package.zip.len() {
        let Ok(part) = package.zip.by_index(i) else {
            continue;
        };
        let name = part.name().map(|n| n.to_string()).unwrap_or_default();
        let size = part.size();
        let seen = read(part, piece, true);
        let Ok(part) = package.zip.by_index(i) else {
            continue;
        };
        let _ = sheet_within(part, &name, size, true, piece);
        let Ok(part) = package.zip.by_index(i) else {
            continue;
        };
        let mut reader = quick_xml::Reader::from_reader(std::io::BufReader::new(part));
        as_calamine(reader.config_mut());
        let mut buf = Vec::new();
        let mut longest = 0u64;
        loop {
            buf.clear();
            match reader.read_event_into(&mut buf) {
                Ok(quick_xml::events::Event::Eof) | Err(_) => break,
                Ok(_) => longest = longest.max(buf.len() as u64),
            }
        }
        // A piece as long as the bound and one more byte passes (its end
        // is the last byte the reader is given).
        if !seen.too_long && longest > piece + 1 {
            return Some(format!(
                "{name}: a piece of {longest} bytes passed the bound of {piece}"
            ));
        }
        if longest > size {
            return Some(format!(
                "{name}: a piece of {longest} bytes in a part declared {size}"
            ));
        }
    }
    None
}

/// For the fuzzing harness: where calamine lists more merged cells for a
/// sheet of the .xlsx `bytes` than any part [`MaySheets`] takes holds the
/// word `mergeCell` (the count the worksheet checks bound): the sheet
/// calamine read would then be a part the checks pass over, or one they
/// count short. `None` when they agree, when the checks made before
/// calamine opens a workbook refuse it, or when calamine cannot open it.
#[doc(hidden)]
pub fn sheets_disagreement(bytes: &[u8]) -> Option<String> {
    super::table::before_open("xlsx", bytes).ok()?;
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    let may_be_sheets = MaySheets::of(&mut zip);
    let mut most = 0u64;
    for i in 0..zip.len() {
        let Ok(mut part) = zip.by_index(i) else {
            continue;
        };
        let name = part.name().map(|n| n.to_string()).unwrap_or_default();
        if !may_be_sheets.takes(&name) {
            continue;
        }
        let mut search = Search::merges();
        let mut buf = vec![0u8; 1 << 16];
        while let Ok(n @ 1..) = part.read(&mut buf) {
            search.feed(&buf[..n]);
        }
        most = most.max(search.count);
    }
    // Through `foreign`, as every call into calamine: it panics on some
    // damaged files (the harness's panic hook stays quiet only there).
    let mut book: calamine::Xlsx<_> = super::table::foreign(|| {
        calamine::open_workbook_from_rs::<calamine::Xlsx<_>, _>(Cursor::new(bytes))
    })
    .ok()?;
    let names = calamine::Reader::sheet_names(&book);
    let listed = names
        .into_iter()
        .filter_map(|n| {
            let merges = super::table::foreign(|| book.merge_cells_by_sheet_name(&n)).ok()?;
            Some((merges.len(), n))
        })
        .max()?;
    (listed.0 as u64 > most).then(|| {
        format!(
            "calamine lists {} merged cells for sheet {:?}, and no part the worksheet checks take holds the word more than {most} times",
            listed.0, listed.1
        )
    })
}

/// A reader that gives quick-xml no more than `bound` + 1 bytes for one
/// piece (from the last mark), then fails, so that its buffer never grows
/// past that. It holds its own buffer, so that each chunk read is searched
/// for merged cells once, whole. The buffer is as large as calamine's
/// ([`CALAMINE_CHUNK`]), so that a damaged part gives both the same bytes
/// before it fails.
struct Bounded<R> {
    inner: R,
    buf: Vec<u8>,
    pos: usize,
    filled: usize,
    bound: u64,
    since_mark: u64,
    tripped: bool,
    /// The search for merged cells, fed every chunk read.
    merges: Search,
    /// The search for shared formulas, fed every chunk read.
    shared: Search,
}

/// How much calamine asks of a part at a time: it reads every XML part of
/// an .xlsx through a `BufReader` of the default capacity (8 KB; calamine
/// 0.38, `xlsx::xml_reader`). A part that fails part-way (its data
/// unpacks to more than its declared size, or is damaged) fails on one of
/// these reads and gives nothing of it, so a reader asking for more at a
/// time sees less: the checks once read 64 KB at a time, and a worksheet
/// failing in its first 64 KB hid from them a long piece that calamine
/// read (fuzz/README.md, finding 29).
pub(super) const CALAMINE_CHUNK: usize = 8 << 10;

/// A part's bytes as far as it reads, up to `limit`: at least what
/// calamine, reading it [`CALAMINE_CHUNK`] or more at a time, gets before
/// it fails. No read asks past the part's declared size, `declared` (the
/// zip reader fails a read that passes it and gives none of that read), so
/// a part whose data runs on past that size gives all of it.
pub(super) fn as_far_as_it_reads(mut part: impl Read, declared: u64, limit: u64) -> Vec<u8> {
    let end = declared.min(limit);
    let mut data = Vec::new();
    let mut chunk = vec![0u8; CALAMINE_CHUNK];
    loop {
        let left = end.saturating_sub(data.len() as u64);
        let want = usize::try_from(left).map_or(CALAMINE_CHUNK, |l| l.min(CALAMINE_CHUNK));
        if want == 0 {
            return data;
        }
        match part.read(&mut chunk[..want]) {
            Ok(n @ 1..) => data.extend_from_slice(&chunk[..n]),
            Ok(0) | Err(_) => return data,
        }
    }
}

impl<R: Read> Bounded<R> {
    fn new(inner: R, bound: u64) -> Self {
        Bounded {
            inner,
            buf: vec![0; CALAMINE_CHUNK],
            pos: 0,
            filled: 0,
            bound,
            since_mark: 0,
            tripped: false,
            merges: Search::merges(),
            shared: Search::shared(),
        }
    }
}

impl<R: Read> Read for Bounded<R> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        let n = {
            let available = self.fill_buf()?;
            let n = available.len().min(out.len());
            out[..n].copy_from_slice(&available[..n]);
            n
        };
        self.consume(n);
        Ok(n)
    }
}

impl<R: Read> BufRead for Bounded<R> {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        let room = (self.bound + 1).saturating_sub(self.since_mark);
        if room == 0 {
            self.tripped = true;
            return Err(std::io::Error::other("a piece of XML past the bound"));
        }
        if self.pos == self.filled {
            self.filled = self.inner.read(&mut self.buf)?;
            self.pos = 0;
            self.merges.feed(&self.buf[..self.filled]);
            self.shared.feed(&self.buf[..self.filled]);
        }
        let end = usize::try_from(room).map_or(self.filled, |room| {
            self.filled.min(self.pos.saturating_add(room))
        });
        Ok(&self.buf[self.pos..end])
    }

    fn consume(&mut self, n: usize) {
        self.pos = (self.pos + n).min(self.filled);
        self.since_mark = self.since_mark.saturating_add(n as u64);
    }
}

/// A problem if a part of the zipped workbook `bytes` that a spreadsheet
/// reader interprets (XML, relationships, binary records; not pictures or
/// other media) does not unpack to what its zip headers record: its
/// checksum, or its size. calamine stops reading a part where its data
/// ends (a worksheet at `</sheetData>`, an .xlsb part at its last record),
/// and the zip reader checks a part's checksum only when its end is read,
/// so a damaged part whose damage still parses was read without a word:
/// a damaged workbook or styles part always, a worksheet whenever
/// anything follows its cells (merged cells, page margins: every sheet a
/// spreadsheet program writes), every part of an .xlsb (fuzz/README.md,
/// finding 32). Run after the checks that bound what a part may claim:
/// each part is read once more, to its declared size at most. A part the
/// zip cannot open at all (a damaged or encrypted header, an unknown
/// compression method) is left to calamine, which fails on it if it reads
/// it.
pub(super) fn damaged_part(bytes: &[u8]) -> Option<String> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    for i in 0..zip.len() {
        let Ok(mut part) = zip.by_index(i) else {
            continue;
        };
        let name = part.name().map(|n| n.to_string()).unwrap_or_default();
        let lower = name.to_ascii_lowercase();
        let interpreted = [".xml", ".rels", ".bin"].iter().any(|e| lower.ends_with(e));
        if part.is_dir() || !interpreted {
            continue;
        }
        if let Err(e) = std::io::copy(&mut part, &mut std::io::sink()) {
            let what = e.to_string();
            let how = if what.contains("checksum") {
                "its contents do not match the checksum recorded for it".to_string()
            } else if what.contains("larger than its declared") {
                format!(
                    "it unpacks to more than the {} bytes recorded for it",
                    super::biff::group(part.size())
                )
            } else {
                format!("it cannot be unpacked ({what})")
            };
            return Some(format!(
                "its part {name} is damaged: {how}, so what it holds cannot be trusted; ask for a fresh copy"
            ));
        }
    }
    None
}

/// Sets the declared (unpacked) size of a one-part zip without zip64
/// fields to `declared`, in its local header and its directory entry: a
/// part whose data runs past it fails the read that passes it. For the
/// tests of this module and of `table`.
#[cfg(test)]
pub(crate) fn declare_size(zip: &mut [u8], declared: u32) {
    let central = memchr::memmem::find(zip, b"PK\x01\x02").expect("a directory entry");
    for at in [22, central + 24] {
        zip[at..at + 4].copy_from_slice(&declared.to_le_bytes());
    }
}

/// A zip of these parts, stored (not compressed), so that reads come in
/// known chunks: for the tests of this module and of `table`.
#[cfg(test)]
pub(crate) fn stored_zip<B: AsRef<[u8]>>(parts: &[(&str, B)]) -> Vec<u8> {
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, data) in parts {
        out.start_file(*name, stored).unwrap();
        std::io::Write::write_all(&mut out, data.as_ref()).unwrap();
    }
    out.finish().unwrap().into_inner()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shared(xml: &str) -> Result<(), String> {
        shared_formulas(Cursor::new(xml.as_bytes()), "xl/worksheets/sheet1.xml")
    }

    // fuzz/README.md finding 20.
    #[test]
    fn a_shared_formula_numbered_past_a_million_is_refused() {
        let anchor = |si: &str, rest: &str| {
            format!("<sheetData><row><c><f t=\"shared\" {rest} si=\"{si}\">A1</f></c></row></sheetData>")
        };
        assert_eq!(shared(&anchor("1048576", "ref=\"A1:A2\"")), Ok(()));
        let p = shared(&anchor("1048577", "ref=\"A1:A2\"")).unwrap_err();
        assert!(
            p.starts_with("its part xl/worksheets/sheet1.xml numbers a shared formula 1,048,577, and the spreadsheet reader would first reserve room"),
            "{p}"
        );
        // Leading zeros are read past, as calamine reads them.
        assert!(shared(&anchor("0002000000", "ref=\"A1\"")).is_err());
        // A cell sharing formula 2,000,000 reserves nothing; nor does a
        // formula that is not shared, or a number calamine cannot read.
        assert_eq!(shared(&anchor("2000000", "")), Ok(()));
        let plain = "<c><f ref=\"A1\" si=\"9999999999\">A1</f></c>";
        assert_eq!(shared(plain), Ok(()));
        assert_eq!(shared(&anchor("12x", "ref=\"A1\"")), Ok(()));
        assert_eq!(shared_index("007"), Some(7));
        assert_eq!(shared_index("99999999999999999999"), Some(u64::MAX));
        assert_eq!(shared_index("+1"), None);
        assert_eq!(shared_index(""), None);
    }

    // fuzz/README.md finding 21.
    #[test]
    fn shared_formulas_copied_out_past_128_mb_are_refused() {
        let sheet = |len: usize, cells: usize| {
            let mut x = format!(
                "<sheetData><row><c><x:f t=\"shared\" ref=\"A1\" si=\"3\">{}</x:f></c></row>",
                "1".repeat(len)
            );
            for _ in 0..cells {
                x.push_str("<row><c><x:f t=\"shared\" si=\"3\"/></c></row>");
            }
            x + "</sheetData>"
        };
        // 1,280 copies of 100 KB: 125 MB; 1,343 pass 128 MB.
        assert_eq!(shared(&sheet(100 << 10, 1_280)), Ok(()));
        let p = shared(&sheet(100 << 10, 1_343)).unwrap_err();
        assert!(p.contains("more than 128 MB of formula text in all"), "{p}");
        // Entities count at their written length; a comment is no text;
        // the formula ends at its own end tag.
        let f = format!(
            "<c><f t=\"shared\" ref=\"A1\" si=\"0\">&amp;<!--{}-->{}</f></c>",
            "c".repeat(1_000),
            "1".repeat(99_995)
        );
        let copies = "<c><f t=\"shared\" si=\"0\"/></c>".repeat(1_342);
        assert_eq!(shared(&format!("{f}{copies}")), Ok(()));
        assert!(shared(&format!("{f}{copies}{copies}")).is_err());
        // A copy before the formula it shares copies nothing.
        assert_eq!(shared(&format!("{copies}{copies}{f}")), Ok(()));
    }

    #[test]
    fn every_quoted_value_in_a_relationship_part_names_a_file() {
        let mut names = std::collections::HashSet::new();
        let mut bytes = 0;
        values_file_names(
            b"<R Target=\"worksheets/Sheet1.xml\" a = 'x\\y.XML' b=\"c\" d='e=\"/f/g.xml\"' h=\"i/\" j=\"k",
            &mut names,
            &mut bytes,
        );
        assert_eq!(bytes, 28, "each name's bytes counted once");
        let mut got: Vec<_> = names
            .into_iter()
            .map(|n| String::from_utf8(n).unwrap())
            .collect();
        got.sort();
        // The value inside a value counts too (it might be calamine's,
        // were the quotes arranged otherwise); an unclosed one runs to the
        // end; a folder names the empty file name.
        assert_eq!(
            got,
            ["", "c", "g.xml", "g.xml\"", "k", "sheet1.xml", "y.xml"]
        );
        assert_eq!(file_name(b"xl\\Data/Sheet.XML"), b"sheet.xml");
        assert_eq!(file_name(b"sheet"), b"sheet");
    }

    /// `stored_zip`, with the first part's recorded sizes one byte short
    /// (local header and directory): the reader stops short of the part's
    /// end and fails its check.
    fn overlong(parts: &[(&str, &[u8])]) -> Vec<u8> {
        let mut zip = stored_zip(parts);
        for at in [18, 22] {
            zip[at] -= 1;
        }
        let dir = memchr::memmem::find(&zip, b"PK\x01\x02").unwrap();
        for at in [dir + 20, dir + 24] {
            zip[at] -= 1;
        }
        zip
    }

    fn may_sheets(zip: &[u8]) -> MaySheets {
        MaySheets::of(&mut zip::ZipArchive::new(Cursor::new(zip)).unwrap())
    }

    #[test]
    fn the_parts_calamine_could_read_as_sheets() {
        let rels = b"<Relationships><Relationship Id=\"rId1\" Target=\"../Data/Scores.xml\"/><Relationship Id=\"rId2\"/></Relationships>";
        let may = may_sheets(&stored_zip(&[("xl/_rels/workbook.xml.rels", rels)]));
        for taken in [
            "xl/worksheets/sheet1.xml",
            "xl/worksheets/anything.xml",
            "data/scores.xml",
            "elsewhere/SCORES.XML",
            // A relationship without a target names the workbook's folder.
            "xl/",
        ] {
            assert!(may.takes(taken), "{taken}");
        }
        for passed in [
            "xl/styles.xml",
            "xl/worksheets/sheet1.bin",
            "scores.xml.bak",
        ] {
            assert!(!may.takes(passed), "{passed}");
        }
        // A relationship part that cannot be read to its end: calamine may
        // have taken a target before the damage, so every part is taken.
        let may = may_sheets(&overlong(&[("xl/_rels/workbook.xml.rels", rels)]));
        assert!(may.takes("xl/styles.xml"));
        // So too when the parts name too many files.
        let many: String = (0..=NAMED)
            .map(|i| format!("<R Target=\"s{i}.xml\"/>"))
            .collect();
        let may = may_sheets(&stored_zip(&[("_rels/.rels", many.as_bytes())]));
        assert!(may.takes("xl/styles.xml"));
        let few: String = (0..NAMED - 1)
            .map(|i| format!("<R Target=\"s{i}.xml\"/>"))
            .collect();
        let may = may_sheets(&stored_zip(&[("_rels/.rels", few.as_bytes())]));
        assert!(!may.takes("xl/styles.xml") && may.takes("xl/s7.xml"));
    }

    // fuzz/README.md finding 26.
    #[test]
    fn merged_cells_are_counted_across_chunks_and_bounded() {
        let text = b"<mergeCells><mergeCell ref=\"A1:B1\"/><mergeCell ref=\"C1:D1\"/></mergeCells>";
        for size in [1, 2, 5, 9, 10, 64, text.len()] {
            let mut search = Search::merges();
            for chunk in text.chunks(size) {
                search.feed(chunk);
            }
            assert_eq!(search.count, 4, "chunks of {size}");
        }
        let many = |n: usize| {
            let mut x = b"<worksheet><mergeCells>".to_vec();
            x.extend(b"<mergeCell ref=\"A1:B1\"/>".repeat(n));
            x.extend(b"</mergeCells></worksheet>");
            x
        };
        // 1,048,574 merges and the two words of <mergeCells> pass; one
        // more does not.
        let vet = |x: &[u8]| sheet_within(Cursor::new(x), "s", x.len() as u64, false, 64 << 20);
        assert_eq!(vet(&many((1 << 20) - 2)).map(|v| v.merges), Ok(false));
        let p = vet(&many((1 << 20) - 1)).unwrap_err();
        assert!(
            p.starts_with("its part s lists 1,048,577 merged cells, more than the 1,048,576"),
            "{p}"
        );
        // A part larger than the bound on pieces, read by quick-xml, counts
        // them the same way.
        let x = many(1_000);
        assert_eq!(read(Cursor::new(&x), 100, true).merge_count, 1_002);
    }

    #[test]
    fn a_worksheet_is_searched_for_shared_formulas_as_it_is_read() {
        let xml = b"<sheetData><c><f t=\"shared\" ref=\"A1\" si=\"0\">1</f></c></sheetData>";
        // Read by quick-xml (larger than the bound), and by the byte search.
        for bound in [40, 1 << 20] {
            let vetted = sheet_within(Cursor::new(xml), "s", xml.len() as u64, true, bound);
            assert_eq!(
                vetted,
                Ok(Vetted {
                    merges: false,
                    shared: true
                }),
                "bound {bound}"
            );
        }
        let plain = b"<sheetData><c><f>1</f></c></sheetData>";
        let vetted = sheet_within(Cursor::new(plain), "s", 40, false, 1 << 20);
        assert_eq!(vetted.map(|v| v.shared), Ok(false));
    }

    #[test]
    fn the_fuzzers_check_agrees_with_quick_xml_at_a_small_bound() {
        let long_text = format!("<c><v>{}</v></c>", "7".repeat(1_000));
        let long_tag = format!("<c r=\"{}\"/>", "A".repeat(300));
        let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default();
        for (name, part) in [
            ("xl/worksheets/sheet1.xml", long_text.as_bytes()),
            ("xl/styles.xml", long_tag.as_bytes()),
            ("xl/workbook.xml", b"<workbook><sheets/></workbook>"),
        ] {
            out.start_file(name, options).unwrap();
            out.write_all(part).unwrap();
        }
        let zip = out.finish().unwrap().into_inner();
        for piece in [64, 256, 2_048] {
            assert_eq!(disagreement(&zip, piece), None, "bound {piece}");
        }
        assert_eq!(disagreement(b"not a zip", 64), None);
    }

    use std::io::Write;

    /// A zip holding one deflated part, `name`, written as `pieces`.
    fn zipped(name: &str, pieces: &[&[u8]]) -> Vec<u8> {
        let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .large_file(true);
        out.start_file(name, options).unwrap();
        for p in pieces {
            out.write_all(p).unwrap();
        }
        out.finish().unwrap().into_inner()
    }

    /// The pieces check alone, with `bound`, as [`check`] makes it.
    fn check_within(bytes: &[u8], bound: u64, xlsx: bool) -> Option<String> {
        Package::open(bytes, xlsx)?.long_piece(bound)
    }

    /// The bound on the parts read at open alone, with `bound`.
    fn opened_parts_within(bytes: &[u8], bound: u64) -> Option<String> {
        Package::open(bytes, true)?.opened_total(bound)
    }

    fn part(xml: &[u8], bound: u64) -> bool {
        read(Cursor::new(xml), bound, false).too_long
    }

    #[test]
    fn a_piece_within_the_bound_passes_and_a_longer_one_is_refused() {
        // Text between tags (the bound counts what quick-xml reads for the
        // piece: the `<` that ends it, or the `<` and `>` around a tag,
        // may count too, so the lengths stay a few bytes clear of it).
        let text = |n: usize| [b"<v>".as_slice(), &vec![b'7'; n], b"</v>"].concat();
        assert!(!part(&text(95), 100));
        assert!(part(&text(105), 100));
        // A tag, with its attributes.
        let tag = |n: usize| [b"<c r=\"".as_slice(), &vec![b'x'; n], b"\"/>"].concat();
        assert!(!part(&tag(85), 100));
        assert!(part(&tag(105), 100));
        // A `>` inside quotes does not end a tag for quick-xml; nor a `<`.
        let quoted = [b"<c r=\"".as_slice(), &b"<>".repeat(100), b"\"/>"].concat();
        assert!(part(&quoted, 100));
        // A comment runs to its `-->`, whatever it holds.
        let comment = [b"<!--".as_slice(), &b"<a>".repeat(100), b"-->"].concat();
        assert!(part(&comment, 100));
        // Many short pieces make a long part, not a long piece.
        assert!(!part(&b"<v>1</v>".repeat(1000), 100));
    }

    #[test]
    fn reading_stops_where_calamine_stops_on_an_error() {
        // An unknown `<!` markup is an error before the long text.
        let xml = [b"<a><!x>".as_slice(), &vec![b'x'; 1000]].concat();
        assert!(!part(&xml, 100));
    }

    #[test]
    fn a_long_cell_in_a_zipped_part_is_refused_naming_the_part() {
        let cell = vec![b'x'; 3000];
        let bytes = zipped(
            "xl/worksheets/sheet1.xml",
            &[
                b"<worksheet><sheetData><row><c t=\"str\"><v>",
                &cell,
                b"</v></c></row></sheetData></worksheet>",
            ],
        );
        let problem = check_within(&bytes, 1000, false).expect("refused");
        assert!(problem.contains("xl/worksheets/sheet1.xml"), "{problem}");
        assert!(problem.contains("longer than"), "{problem}");
        // Within the bound, and a part declared no larger than it, pass.
        assert_eq!(check_within(&bytes, 4000, false), None);
        let short = zipped("xl/worksheets/sheet1.xml", &[b"<worksheet/>"]);
        assert_eq!(check_within(&short, 1000, false), None);
        // Not a zip: for the other guards and calamine.
        assert_eq!(check(b"not a zip", false), None);
    }

    /// `zipped`, without zip64 fields, its part's declared size then set
    /// to `declared` ([`declare_size`]).
    fn declared_as(name: &str, xml: &[u8], declared: u32) -> Vec<u8> {
        let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        out.start_file(name, options).unwrap();
        out.write_all(xml).unwrap();
        let mut bytes = out.finish().unwrap().into_inner();
        declare_size(&mut bytes, declared);
        bytes
    }

    #[test]
    fn a_part_whose_checksum_or_size_is_wrong_is_damaged() {
        // Finding 32: one byte of a stored sheet changed after its checksum
        // was recorded; calamine stops at </sheetData> and never learns.
        let sheet = b"<worksheet><sheetData><row><c><v>80</v></c></row></sheetData><pageMargins/></worksheet>";
        let sound = stored_zip(&[("xl/worksheets/sheet1.xml", sheet.as_slice())]);
        assert_eq!(damaged_part(&sound), None);
        let at = memchr::memmem::find(&sound, b"<v>80").unwrap() + 3;
        let mut changed = sound.clone();
        changed[at] = b'3';
        let problem = damaged_part(&changed).expect("a damaged part");
        assert_eq!(
            problem,
            "its part xl/worksheets/sheet1.xml is damaged: its contents do not match the checksum recorded for it, so what it holds cannot be trusted; ask for a fresh copy"
        );
        // Data running past its declared size.
        let long = declared_as("xl/workbook.bin", &[7u8; 5_000], 4_000);
        let problem = damaged_part(&long).expect("a damaged part");
        assert!(
            problem.contains("it unpacks to more than the 4,000 bytes recorded for it"),
            "{problem}"
        );
        // A picture is not read by a reader of cells: its damage is not looked for.
        let mut picture = stored_zip(&[("xl/media/image1.png", [1u8, 2, 3].as_slice())]);
        let at = memchr::memmem::find(&picture, &[1u8, 2, 3]).unwrap();
        picture[at] = 9;
        assert_eq!(damaged_part(&picture), None);
        // Not a zip: left to calamine, which says so.
        assert_eq!(damaged_part(b"not a workbook"), None);
    }

    #[test]
    fn a_part_that_fails_part_way_is_checked_as_far_as_calamine_reads_it() {
        // Finding 29: 20 KB of XML declared as 16 KB fails on the read that
        // passes 16 KB. calamine, reading 8 KB at a time, holds the long
        // text in the first 8 KB before it fails; a 64 KB read failed at
        // once and the checks saw nothing.
        let xml = [
            b"<sst><si><t>".as_slice(),
            &vec![b'x'; 300],
            b"</t></si>",
            &b"<si><t>1</t></si>".repeat(1200),
            b"</sst>",
        ]
        .concat();
        assert!(xml.len() > 20_000);
        let bytes = declared_as("xl/sharedStrings.xml", &xml, 16 << 10);
        let problem = check_within(&bytes, 128, true).expect("refused");
        assert!(problem.contains("xl/sharedStrings.xml"), "{problem}");
        assert_eq!(disagreement(&bytes, 128), None);
        // The same as a worksheet, read by the worksheet pass.
        let bytes = declared_as("xl/worksheets/sheet1.xml", &xml, 16 << 10);
        let vetted = sheet_within(Cursor::new(&xml[..16 << 10]), "s", 16 << 10, true, 128);
        assert!(vetted.is_err(), "an intact part is refused too");
        assert_eq!(disagreement(&bytes, 128), None);
        let mut zip = zip::ZipArchive::new(Cursor::new(bytes.as_slice())).unwrap();
        let part = zip.by_index(0).unwrap();
        let Err(problem) = sheet_within(part, "xl/worksheets/sheet1.xml", 16 << 10, true, 128)
        else {
            panic!("refused");
        };
        assert!(problem.contains("longer than"), "{problem}");
    }

    #[test]
    fn a_part_is_read_as_far_as_its_declared_size() {
        // 100 KB of data declared as less (finding 31): read to its end
        // through `take`, as xlsb.rs read the workbook part, the read that
        // passes the declared size is lost whole, and it need not end
        // where calamine's 8 KB reads end.
        let xml = b"<v>1</v>".repeat(12_500);
        let mut lost = 0;
        for declared in [12_000u32, 15_000, 40_000, 70_000] {
            let bytes = declared_as("xl/workbook.bin", &xml, declared);
            let mut zip = zip::ZipArchive::new(Cursor::new(bytes.as_slice())).unwrap();
            let part = zip.by_index(0).unwrap();
            let read = as_far_as_it_reads(part, declared.into(), 1 << 20);
            assert_eq!(read, xml[..declared as usize]);
            let part = zip.by_index(0).unwrap();
            assert_eq!(as_far_as_it_reads(part, declared.into(), 100), xml[..100]);
            let part = zip.by_index(0).unwrap();
            let mut whole = Vec::new();
            assert!(part.take(1 << 20).read_to_end(&mut whole).is_err());
            lost = lost.max(declared as usize - whole.len());
        }
        // Up to some 7 KB here: more than calamine's 8 KB reads lose when
        // the declared size is not a multiple of 8 KB.
        assert!(lost > 4096, "{lost}");
    }

    #[test]
    fn binary_parts_are_not_read_as_xml() {
        let bytes = zipped("xl/worksheets/sheet1.bin", &[&vec![b'x'; 3000]]);
        assert_eq!(check_within(&bytes, 1000, false), None);
    }
    #[test]
    fn a_large_worksheet_is_read_once_for_long_pieces_and_merges() {
        let rows = b"<row><c><v>1</v></c></row>".repeat(200);
        let sheet = |middle: &[u8]| {
            [
                b"<worksheet><sheetData>".as_slice(),
                &rows,
                middle,
                &rows,
                b"</sheetData></worksheet>",
            ]
            .concat()
        };
        let merged = sheet(b"<mergeCells><mergeCell ref=\"A1:B1\"/></mergeCells>");
        let plain = sheet(b"");
        let long = sheet(
            &[
                b"<row><c t=\"str\"><v>".as_slice(),
                &vec![b'x'; 3000],
                b"</v></c></row>",
            ]
            .concat(),
        );
        for bound in [100, 1 << 20] {
            // Larger than the bound: read by quick-xml; else by the byte search.
            let read = |xml: &[u8], look| {
                sheet_within(
                    Cursor::new(xml),
                    "xl/worksheets/sheet1.xml",
                    xml.len() as u64,
                    look,
                    bound,
                )
            };
            assert_eq!(
                read(&merged, true).map(|v| v.merges),
                Ok(true),
                "bound {bound}"
            );
            assert_eq!(
                read(&plain, true).map(|v| v.merges),
                Ok(false),
                "bound {bound}"
            );
            assert_eq!(
                read(&merged, false).map(|v| v.merges),
                Ok(false),
                "bound {bound}"
            );
        }
        let read = |xml: &[u8]| {
            sheet_within(
                Cursor::new(xml),
                "xl/worksheets/sheet1.xml",
                xml.len() as u64,
                true,
                1000,
            )
        };
        let problem = read(&long).unwrap_err();
        assert!(
            problem.contains("its part xl/worksheets/sheet1.xml holds a single piece"),
            "{problem}"
        );
        // Cut off in the middle of the XML: calamine looks for merges.
        assert_eq!(
            read(&plain[..plain.len() - 30]).map(|v| v.merges),
            Ok(false)
        );
        assert_eq!(
            read(&[plain.as_slice(), b"<!x>"].concat()).map(|v| v.merges),
            Ok(true)
        );
    }

    #[test]
    fn a_merge_split_across_chunks_is_found() {
        for cut in 0..=9 {
            let mut search = Search::merges();
            let word = b"..mergeCell..";
            search.feed(&word[..2 + cut]);
            search.feed(&word[2 + cut..]);
            assert!(search.found, "cut at {cut}");
            // One byte at a time.
            let mut search = Search::merges();
            for b in word.iter() {
                search.feed(std::slice::from_ref(b));
            }
            assert!(search.found);
        }
        let mut search = Search::merges();
        search.feed(b"merge");
        search.feed(b"Cel");
        search.feed(b"x");
        assert!(!search.found);
    }

    #[test]
    fn worksheets_can_be_left_for_later() {
        let bytes = zipped(
            "xl/worksheets/sheet1.xml",
            &[b"<v>", &vec![b'x'; 3000], b"</v>"],
        );
        assert!(check_within(&bytes, 1000, false).is_some());
        assert_eq!(check_within(&bytes, 1000, true), None);
        assert!(is_worksheet("XL/Worksheets/Sheet1.XML"));
        assert!(is_worksheet("xl/worksheets/sheet12.xml"));
        assert!(!is_worksheet("xl/sharedStrings.xml"));
        // What calamine reads at open, were the workbook put in that folder.
        assert!(!is_worksheet("xl/worksheets/sharedStrings.xml"));
        assert!(!is_worksheet("xl/worksheets/styles.xml"));
        assert!(!is_worksheet("xl/worksheets/theme/theme1.xml"));
        assert!(!is_worksheet("xl/worksheets/sheet.xml"));
        assert!(!is_worksheet("xl/worksheets/_rels/sheet1.xml.rels"));
    }

    #[test]
    fn a_workbook_part_named_like_a_worksheet_is_not_left_for_later() {
        let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default();
        out.start_file("_rels/.rels", options).unwrap();
        out.write_all(b"<Relationships><Relationship Type=\"x/relationships/officeDocument\" Target=\"/xl/worksheets/&#115;heet9.xml\"/></Relationships>").unwrap();
        out.start_file("xl/worksheets/sheet9.xml", options).unwrap();
        out.write_all(&[b"<v>".as_slice(), &vec![b'x'; 3000], b"</v>"].concat())
            .unwrap();
        let bytes = out.finish().unwrap().into_inner();
        assert!(check_within(&bytes, 1000, true).is_some());
        assert!(opened_parts_within(&bytes, 2000).is_some());
    }
    #[test]
    fn the_parts_read_when_a_workbook_opens_are_bounded_together() {
        let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, len) in [
            ("xl/sharedStrings.xml", 600),
            ("xl/styles.xml", 500),
            ("xl/worksheets/sheet1.xml", 5000),
        ] {
            out.start_file(name, options).unwrap();
            out.write_all(&vec![b' '; len]).unwrap();
        }
        let bytes = out.finish().unwrap().into_inner();
        // The worksheet is not counted: 1,100 bytes.
        assert_eq!(opened_parts_within(&bytes, 1100), None);
        let problem = opened_parts_within(&bytes, 1099).expect("refused");
        assert!(
            problem.contains("(the largest, xl/sharedStrings.xml,"),
            "{problem}"
        );
        assert_eq!(check(b"not a zip", true), None);
    }
}
