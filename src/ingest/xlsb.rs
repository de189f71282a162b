//! A guard in front of calamine's reader of Excel binary workbooks
//! (`.xlsb`). calamine reads the workbook's own parts when it opens one
//! (`xl/workbook.bin`, `xl/sharedStrings.bin`, `xl/styles.bin`), and a
//! worksheet's records when asked for its cells; three things in those
//! parts cost far more than the file (fuzz/README.md findings 22-24):
//!
//! - the shared strings are held whole, however large the part unpacks:
//!   a 976 KB file took 1.5 GB;
//! - every defined name's formula (BrtName) is written out as text at
//!   open, brackets and signs inserted one at a time at the front of the
//!   text: a 1.8 KB file took 5.2 s, and the time grows with the square of
//!   the formula's length;
//! - a formula inside a formula (PtgMemFunc) is written out by calamine
//!   calling itself: 10,000 of them, nested, in a 24 KB file overflowed
//!   the stack and aborted the process.
//!
//! So, before calamine opens the file: the parts it reads at open may come
//! to 128 MB unpacked, as an `.xlsx`'s; no record of a `.bin` part may be
//! longer than 64 MB (calamine reads a record whole, and copies its text),
//! or claim more than 1 MB past its part's end (calamine sets aside room
//! for the claim first: a 832-byte file had it set aside 256 MB);
//! and the defined names' formulas are walked as calamine writes them out,
//! their text and the bytes moved bounded as an `.xls`'s formulas are
//! ([`super::xls_formula`]), and their nesting to 64 levels.

use super::xls_formula::{Cost, Operands, FUNCTION_ARGUMENTS};
use std::io::{Cursor, Read};

/// What the parts read at open may come to, unpacked (as an .xlsx's).
const OPENED: u64 = 128 << 20;
/// The longest record read (as the longest piece of XML).
const RECORD: u64 = 64 << 20;
/// How far past its part's end a record may claim to run (1 MB): a
/// damaged file's short overrun costs little.
const CLAIM: u64 = 1 << 20;
/// The defined names' formula text, in all.
const TEXT: u64 = 64 << 20;
/// The bytes moved writing the defined names' formulas out, in all.
const MOVED: u64 = 4 << 30;
/// The deepest formula inside a formula: each is a call of calamine's
/// `parse_formula` on the stack.
const DEPTH: u32 = 64;

/// The records calamine's `read_workbook` takes to follow the defined
/// names: it stops reading names at the first.
const AFTER_NAMES: [u16; 9] = [
    0x009D, 0x0225, 0x018D, 0x0180, 0x009A, 0x0252, 0x0229, 0x009B, 0x0084,
];

/// The parts calamine's `Xlsb::new` reads, as it names them (it finds a
/// part by its name in lower case, with `\` read as `/`).
const OPENED_PARTS: [&str; 4] = [
    "xl/workbook.bin",
    "xl/sharedstrings.bin",
    "xl/styles.bin",
    "xl/_rels/workbook.bin.rels",
];

/// A problem if calamine could not afford this `.xlsb`; `None` otherwise,
/// and for a file that is not a zip (calamine says what is wrong).
pub fn check(bytes: &[u8]) -> Option<String> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    let mut total = 0u64;
    for i in 0..zip.len() {
        let Ok(part) = zip.by_index_raw(i) else {
            continue;
        };
        let name = normal(&part.name().map(|n| n.to_string()).unwrap_or_default());
        if OPENED_PARTS.contains(&name.as_str()) {
            total = total.saturating_add(part.size());
        }
    }
    if total > OPENED {
        return Some(format!(
            "its parts read when it is opened (the workbook, shared strings and styles) come to {} MB unpacked, more than the {} MB meritlist lets the spreadsheet reader hold (an exam's workbook needs some tens of MB at most); the file is damaged or was not written by a spreadsheet program: ask for a fresh copy",
            total >> 20,
            OPENED >> 20
        ));
    }
    for i in 0..zip.len() {
        let Ok(part) = zip.by_index(i) else {
            continue;
        };
        let name = part.name().map(|n| n.to_string()).unwrap_or_default();
        if !name.to_ascii_lowercase().ends_with(".bin") {
            continue;
        }
        if normal(&name) == "xl/workbook.bin" {
            // Within the 128 MB just checked; a damaged part is walked as
            // far as it reads, and at least as far as calamine reads it
            // (fuzz/README.md finding 31).
            let size = part.size();
            let data = super::xml::as_far_as_it_reads(part, size, OPENED);
            if let Some(problem) = bad_record(&data[..], data.len() as u64, &name) {
                return Some(problem);
            }
            if let Some(problem) = names(&data) {
                return Some(problem);
            }
        } else {
            let size = part.size();
            if let Some(problem) = bad_record(part, size, &name) {
                return Some(problem);
            }
        }
    }
    None
}

/// A problem if a record of the part (`size` bytes, as declared) is longer
/// than [`RECORD`], or claims more than [`CLAIM`] past the part's end:
/// calamine sets aside room for a record's whole claim before it reads it
/// (a 832-byte file had it set aside 256 MB), and holds a record whole.
fn bad_record(part: impl Read, size: u64, name: &str) -> Option<String> {
    let mut r = Counted {
        inner: std::io::BufReader::new(part),
        read: 0,
    };
    loop {
        let (_, len) = header(&mut r)?;
        let left = size.saturating_sub(r.read);
        if len > left.saturating_add(CLAIM) {
            return Some(format!(
                "its part {name} is cut off inside a record that claims {} bytes where {} are left, and the spreadsheet reader would set aside room for all of it first; the file is damaged: ask for a fresh copy",
                super::biff::group(len),
                super::biff::group(left),
            ));
        }
        if len > RECORD {
            return Some(format!(
                "its part {name} holds a record of {} MB, far longer than any spreadsheet program writes, which the spreadsheet reader would hold whole; the file is damaged or was not written by a spreadsheet program: ask for a fresh copy",
                len >> 20
            ));
        }
        let skipped = std::io::copy(&mut (&mut r).take(len), &mut std::io::sink()).ok()?;
        if skipped < len {
            return None;
        }
    }
}

/// A reader that counts what it gives.
struct Counted<R> {
    inner: R,
    read: u64,
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read += n as u64;
        Ok(n)
    }
}

/// A part's name as calamine finds it.
fn normal(name: &str) -> String {
    name.replace('\\', "/").to_ascii_lowercase()
}

/// A record's type and length, as calamine's `read_type` and
/// `fill_buffer` read them: each in 7-bit groups, the type in at most two,
/// the length in at most four. `None` at the end of the part.
fn header(r: &mut impl Read) -> Option<(u16, u64)> {
    let mut byte = || {
        let mut b = [0u8];
        r.read_exact(&mut b).ok().map(|()| b[0])
    };
    let b = byte()?;
    let typ = if b & 0x80 != 0 {
        (b & 0x7F) as u16 + (((byte()? & 0x7F) as u16) << 7)
    } else {
        b as u16
    };
    let mut b = byte()?;
    let mut len = (b & 0x7F) as u64;
    for i in 1..4 {
        if b & 0x80 == 0 {
            break;
        }
        b = byte()?;
        len += ((b & 0x7F) as u64) << (7 * i);
    }
    Some((typ, len))
}

/// The records of a part held whole.
fn records(mut data: &[u8]) -> impl Iterator<Item = (u16, &[u8])> {
    std::iter::from_fn(move || {
        let (typ, len) = header(&mut data)?;
        let body = data.get(..usize::try_from(len).ok()?)?;
        data = &data[body.len()..];
        Some((typ, body))
    })
}

/// An XLWideString at the start of `d` (a 32-bit count of UTF-16 units):
/// its length in bytes as stored, and at most that of its text in UTF-8
/// (6 bytes a unit: encoding_rs reads text that starts with the UTF-8
/// mark as UTF-8, up to 3 bytes a byte).
fn wide(d: &[u8]) -> Option<(usize, u64)> {
    let units = u32::from_le_bytes(d.get(..4)?.try_into().ok()?) as usize;
    let stored = units.checked_mul(2)?.checked_add(4)?;
    d.get(..stored)?;
    Some((stored, 6 * units as u64))
}

/// A problem if the defined names' formulas in `workbook` (the part
/// `xl/workbook.bin`) cost calamine more than it can afford.
fn names(workbook: &[u8]) -> Option<String> {
    // The longest sheet name and defined name a token can write out.
    let mut longest = Longest {
        sheet: "#InvalidWorkSheet".len() as u64,
        name: 0,
    };
    for (typ, d) in records(workbook) {
        match typ {
            // BrtBundleSh: the sheet's name after its relationship's id.
            0x009C => {
                let Some(rel) = d.get(8..12) else { continue };
                let rel = u32::from_le_bytes(rel.try_into().ok()?) as usize;
                let at = 12usize.saturating_add(rel.saturating_mul(2));
                if let Some((_, text)) = d.get(at..).and_then(wide) {
                    longest.sheet = longest.sheet.max(text);
                }
            }
            0x0027 => {
                if let Some((_, text)) = d.get(9..).and_then(wide) {
                    longest.name = longest.name.max(text);
                }
            }
            _ => {}
        }
    }
    let mut cost = Cost::default();
    // calamine reads defined names only after the sheets' list ends
    // (BrtEndBundleShs) and before the first of the records that follow
    // the names; a BrtName anywhere else is passed over.
    let mut after_sheets = false;
    for (typ, d) in records(workbook) {
        if !after_sheets {
            after_sheets = typ == 0x0090;
            continue;
        }
        if AFTER_NAMES.contains(&typ) {
            break;
        }
        if typ != 0x0027 {
            continue;
        }
        // calamine's reading of BrtName: the name at byte 9, then the
        // formula's length and tokens. A record it cannot read fails the
        // workbook there.
        let (stored, _) = d.get(9..).and_then(wide)?;
        let at = 9 + stored;
        let len = u32::from_le_bytes(d.get(at..at + 4)?.try_into().ok()?) as usize;
        let rgce = d.get(at + 4..(at + 4).checked_add(len)?)?;
        let mut walk = Walk::default();
        let read = walk.tokens(rgce, &longest, 0);
        // Appending copies each byte about twice over, as the string grows.
        let moved = walk.0.moved().saturating_add(2 * walk.text());
        cost.moved = cost.moved.saturating_add(moved);
        cost.text = cost.text.saturating_add(walk.text());
        if read == Err(Halt::Deep) {
            return Some(format!(
                "a defined name's formula holds formulas nested more than {DEPTH} deep, which the spreadsheet reader writes out by calling itself once for each, and would run out of stack; no spreadsheet program writes this; the file is damaged: ask for a fresh copy"
            ));
        }
        if cost.text > TEXT || cost.moved > MOVED {
            return Some(format!(
                "its defined names' formulas would take the spreadsheet reader more than {} MB of text or {} thousand million steps to write out, which it does when it opens the file: no real workbook's take a thousandth of that; the file is damaged or was not written by a spreadsheet program: ask for a fresh copy, or save it as .xlsx",
                TEXT >> 20,
                MOVED / 1_000_000_000
            ));
        }
        if read.is_err() || (!rgce.is_empty() && walk.0.depth() != 1) {
            return None; // calamine fails the workbook at this name
        }
    }
    None
}

/// The longest sheet name and defined name, in UTF-8 bytes at most.
struct Longest {
    sheet: u64,
    name: u64,
}

/// Why a formula's walk stopped: calamine fails there (an error or a
/// panic), or it nests deeper than [`DEPTH`].
#[derive(Debug, PartialEq)]
enum Halt {
    Fails,
    Deep,
}

/// The most a cell reference writes: `$XFD$4294967296` and a column of
/// up to 4 letters.
const REF: u64 = 16;
/// The longest number calamine writes (as for an .xls).
const NUMBER: u64 = 330;
/// An external name's placeholder, EXTERNAL_WB_NAME.
const EXTERNAL: u64 = 16;

/// calamine's xlsb `parse_formula`: its tokens walked, its operators
/// counted by [`Operands`] as for an `.xls`.
#[derive(Default)]
struct Walk(Operands);

impl Walk {
    fn text(&self) -> u64 {
        self.0.text()
    }

    fn push(&mut self, len: u64) {
        self.0.push(len);
    }

    /// `Ok` if calamine reads every token; where it fails or panics (the
    /// cost so far spent), or past [`DEPTH`], why it stopped.
    fn tokens(&mut self, rgce: &[u8], longest: &Longest, depth: u32) -> Result<(), Halt> {
        if depth > DEPTH {
            return Err(Halt::Deep);
        }
        let mut r = rgce;
        let need = |r: &[u8], n: usize| {
            if r.len() >= n {
                Ok(())
            } else {
                Err(Halt::Fails)
            }
        };
        while let Some((&ptg, rest)) = r.split_first() {
            r = rest;
            match ptg {
                // Ref3d, Area3d, RefErr3d, AreaErr3d: a sheet's name and a
                // reference or #REF!.
                0x3a | 0x5a | 0x7a => {
                    need(r, 8)?;
                    self.push(longest.sheet + 2 + REF);
                    r = &r[8..];
                }
                0x3b | 0x5b | 0x7b => {
                    need(r, 14)?;
                    self.push(longest.sheet + 3 + 2 * REF);
                    r = &r[14..];
                }
                0x3c | 0x5c | 0x7c => {
                    need(r, 8)?;
                    self.push(longest.sheet + 6);
                    r = &r[8..];
                }
                0x3d | 0x5d | 0x7d => {
                    need(r, 14)?;
                    self.push(longest.sheet + 6);
                    r = &r[14..];
                }
                0x01 => {
                    self.push(0);
                    need(r, 4)?;
                    r = &r[4..];
                }
                0x03..=0x11 => self.0.binary().ok_or(Halt::Fails)?,
                0x12 | 0x13 => self.0.insert(1, 1).ok_or(Halt::Fails)?,
                0x14 => self.0.percent(),
                0x15 => self.0.insert(2, 1).ok_or(Halt::Fails)?,
                0x16 => self.push(0),
                // Str: up to 65,535 UTF-16 units (6 bytes each at most), quoted.
                0x17 => {
                    need(r, 2)?;
                    let cch = u16::from_le_bytes([r[0], r[1]]) as usize;
                    need(r, 2 + 2 * cch)?;
                    self.push(2 + 6 * cch as u64);
                    r = &r[2 + 2 * cch..];
                }
                0x18 => {
                    self.push(0);
                    need(r, 1)?;
                    let skip = match r[0] {
                        0x19 => 12,
                        0x1D => 4,
                        _ => return Err(Halt::Fails),
                    };
                    need(r, 1 + skip)?;
                    r = &r[1 + skip..];
                }
                0x19 => {
                    need(r, 1)?;
                    let etpg = r[0];
                    r = &r[1..];
                    let skip = match etpg {
                        0x01 | 0x02 | 0x08 | 0x20 | 0x21 | 0x40 | 0x41 | 0x80 => 2,
                        0x04 => 10,
                        0x10 => 2,
                        _ => return Err(Halt::Fails),
                    };
                    need(r, skip)?;
                    r = &r[skip..];
                    if etpg == 0x10 {
                        self.0.sum().ok_or(Halt::Fails)?;
                    }
                }
                0x1C => {
                    self.push(13);
                    need(r, 1)?;
                    if ![0x00, 0x07, 0x0F, 0x17, 0x1D, 0x24, 0x2A, 0x2B].contains(&r[0]) {
                        return Err(Halt::Fails);
                    }
                    r = &r[1..];
                }
                0x1D => {
                    self.push(5);
                    need(r, 1)?;
                    r = &r[1..];
                }
                0x1E => {
                    self.push(5);
                    need(r, 2)?;
                    r = &r[2..];
                }
                0x1F => {
                    self.push(NUMBER);
                    need(r, 8)?;
                    r = &r[8..];
                }
                0x20 | 0x40 | 0x60 => {
                    self.push(0);
                    need(r, 14)?;
                    r = &r[14..];
                }
                0x21 | 0x41 | 0x61 | 0x22 | 0x42 | 0x62 => {
                    let (iftab, argc) = if ptg & 0x0F == 0x02 {
                        need(r, 3)?;
                        let out = (u16::from_le_bytes([r[1], r[2]]) as usize, r[0] as usize);
                        r = &r[3..];
                        out
                    } else {
                        need(r, 2)?;
                        let iftab = u16::from_le_bytes([r[0], r[1]]) as usize;
                        // calamine: past its table (one more than it
                        // checks for) is an error or a panic.
                        let argc = *FUNCTION_ARGUMENTS.get(iftab).ok_or(Halt::Fails)?;
                        r = &r[2..];
                        (iftab, argc as usize)
                    };
                    self.0
                        .function(argc as u64, iftab < FUNCTION_ARGUMENTS.len())
                        .ok_or(Halt::Fails)?;
                }
                0x23 | 0x43 | 0x63 => {
                    need(r, 4)?;
                    self.push(longest.name);
                    r = &r[4..];
                }
                0x24 | 0x44 | 0x64 => {
                    need(r, 6)?;
                    self.push(REF);
                    r = &r[6..];
                }
                0x25 | 0x45 | 0x65 => {
                    need(r, 12)?;
                    self.push(2 * REF + 1);
                    r = &r[12..];
                }
                0x2A | 0x4A | 0x6A => {
                    self.push(5);
                    need(r, 6)?;
                    r = &r[6..];
                }
                0x2B | 0x4B | 0x6B => {
                    self.push(5);
                    need(r, 12)?;
                    r = &r[12..];
                }
                // MemFunc: a formula inside, written out by calamine
                // calling itself, then pushed whole.
                0x29 | 0x49 | 0x69 => {
                    need(r, 2)?;
                    let cce = u16::from_le_bytes([r[0], r[1]]) as usize;
                    r = &r[2..];
                    need(r, cce)?;
                    let mut inner = Walk::default();
                    let read = inner.tokens(&r[..cce], longest, depth + 1);
                    self.0.moves(inner.0.moved());
                    read?;
                    if !r[..cce].is_empty() && inner.0.depth() != 1 {
                        return Err(Halt::Fails);
                    }
                    let text = inner.text();
                    self.0.moves(text);
                    self.push(text);
                    r = &r[cce..];
                }
                0x39 | 0x59 | 0x79 => {
                    self.push(EXTERNAL);
                    need(r, 6)?;
                    r = &r[6..];
                }
                _ => return Err(Halt::Fails),
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A record as an .xlsb part holds it.
    fn record(typ: u16, data: &[u8]) -> Vec<u8> {
        let mut out = if typ >= 0x80 {
            vec![(typ & 0x7F) as u8 | 0x80, (typ >> 7) as u8]
        } else {
            vec![typ as u8]
        };
        let mut n = data.len();
        loop {
            let b = (n & 0x7F) as u8;
            n >>= 7;
            out.push(b | if n > 0 { 0x80 } else { 0 });
            if n == 0 {
                break;
            }
        }
        out.extend(data);
        out
    }

    fn wide_string(s: &str) -> Vec<u8> {
        let units: Vec<u16> = s.encode_utf16().collect();
        let mut out = (units.len() as u32).to_le_bytes().to_vec();
        out.extend(units.iter().flat_map(|u| u.to_le_bytes()));
        out
    }

    /// A workbook part with a sheet named `sheet` and defined names, each
    /// a name and its formula's tokens.
    fn workbook(sheet: &str, names: &[(&str, Vec<u8>)]) -> Vec<u8> {
        let mut bundle = vec![0; 8];
        bundle.extend(wide_string("rId1"));
        bundle.extend(wide_string(sheet));
        let mut w = record(0x009C, &bundle);
        w.extend(record(0x0090, &[]));
        for (name, rgce) in names {
            let mut d = vec![0; 9];
            d.extend(wide_string(name));
            d.extend((rgce.len() as u32).to_le_bytes());
            d.extend(rgce);
            w.extend(record(0x0027, &d));
        }
        w.extend(record(0x009D, &[0; 26]));
        w
    }

    #[test]
    fn records_are_read_as_calamine_reads_them() {
        let long = vec![7u8; 300];
        let part = [
            record(0x0027, &long),
            record(0x0090, &[]),
            record(0x009C, b"x"),
        ]
        .concat();
        let read: Vec<(u16, usize)> = records(&part).map(|(t, d)| (t, d.len())).collect();
        assert_eq!(read, [(0x0027, 300), (0x0090, 0), (0x009C, 1)]);
        // A record longer than what is left ends the walk.
        assert_eq!(records(&part[..100]).count(), 0);
        assert_eq!(bad_record(&part[..], part.len() as u64, "p"), None);
        // A length of four 7-bit groups: 2^28 - 1 bytes claimed, with
        // nothing after it (fuzzing found calamine setting aside 256 MB).
        let huge = [0x05, 0xFF, 0xFF, 0xFF, 0x7F];
        let p = bad_record(&huge[..], 5, "xl/worksheets/sheet1.bin").expect("refused");
        assert!(
            p.starts_with("its part xl/worksheets/sheet1.bin is cut off inside a record that claims 268,435,455 bytes where 0 are left"),
            "{p}"
        );
        // A short overrun is left to calamine, which says what is wrong.
        let cut = record(0x0027, &[0; 2_000]);
        assert_eq!(bad_record(&cut[..1_000], 1_000, "p"), None);
        // A record longer than 64 MB, whole.
        let mut long = vec![0x05, 0x80, 0x80, 0x80, 0x21]; // 0x21 << 21: 66 MB
        long.resize(5 + (0x21 << 21), 0);
        let p = bad_record(&long[..], long.len() as u64, "p").expect("refused");
        assert!(p.contains("holds a record of 66 MB"), "{p}");
    }

    // fuzz/README.md findings 22 and 23.
    #[test]
    fn defined_names_formulas_are_walked_as_calamine_writes_them() {
        let int = vec![0x1E, 1, 0];
        // A plain name, a reference to the sheet, a name using a name.
        let fine = workbook(
            "Scores",
            &[
                ("PassMark", int.clone()),
                ("Cell", [&[0x3A][..], &[0; 8]].concat()),
                ("Twice", vec![0x23, 1, 0, 0, 0, 0x23, 1, 0, 0, 0, 0x03]),
            ],
        );
        assert_eq!(names(&fine), None);
        // Brackets, each put in at the front: 60,000 pass, 200,000 do not.
        let brackets = |n: usize| [int.clone(), vec![0x15; n]].concat();
        assert_eq!(names(&workbook("S", &[("X", brackets(60_000))])), None);
        let p = names(&workbook("S", &[("X", brackets(200_000))])).expect("refused");
        assert!(
            p.starts_with("its defined names' formulas would take"),
            "{p}"
        );
        // Formulas inside formulas: 64 deep pass, 65 do not.
        let nested = |n: usize| {
            let mut inner = int.clone();
            for _ in 0..n {
                let mut outer = vec![0x29];
                outer.extend((inner.len() as u16).to_le_bytes());
                outer.extend(inner);
                inner = outer;
            }
            inner
        };
        assert_eq!(names(&workbook("S", &[("X", nested(64))])), None);
        let p = names(&workbook("S", &[("X", nested(65))])).expect("refused");
        assert!(p.contains("nested more than 64 deep"), "{p}");
        // A BrtName before the sheets' list ends, or after the records
        // that follow the names, is not read by calamine: it neither
        // stops the count nor counts.
        let mut early = record(0x0027, &[0; 3]);
        early.extend(workbook("S", &[("X", brackets(200_000))]));
        assert!(names(&early).is_some());
        let mut late = workbook("S", &[]);
        let mut d = vec![0; 9];
        d.extend(wide_string("X"));
        d.extend((200_003u32).to_le_bytes());
        d.extend(brackets(200_000));
        late.extend(record(0x0027, &d));
        assert_eq!(names(&late), None);
        // A formula calamine cannot read fails the workbook: the names
        // after it are not written out.
        let broken = workbook("S", &[("A", vec![0xFF]), ("X", brackets(200_000))]);
        assert_eq!(names(&broken), None);
    }

    #[test]
    fn a_names_text_is_bounded_by_the_longest_name_and_sheet() {
        let longest = Longest {
            sheet: 60,
            name: 90,
        };
        let mut walk = Walk::default();
        let tokens = [
            &[0x23, 1, 0, 0, 0][..], // a name
            &[0x3A, 0, 0, 0, 0, 0, 0, 0, 0],
            &[0x03], // name + sheet!ref
        ]
        .concat();
        assert_eq!(walk.tokens(&tokens, &longest, 0), Ok(()));
        assert_eq!(walk.text(), 90 + 2 + 60 + 2 + REF);
        // A function of two arguments (FuncVar, SUM).
        let mut walk = Walk::default();
        let sum = [&[0x1E, 1, 0, 0x1E, 2, 0][..], &[0x22, 2, 4, 0]].concat();
        assert_eq!(walk.tokens(&sum, &longest, 0), Ok(()));
        assert_eq!(walk.text(), 18 + 2 + 2 + 10);
        // Cut short, an unknown token, an operator with nothing to work on.
        for bad in [&[0x1E, 1][..], &[0xFF], &[0x03], &[0x29, 9, 0]] {
            assert_eq!(Walk::default().tokens(bad, &longest, 0), Err(Halt::Fails));
        }
    }
}
