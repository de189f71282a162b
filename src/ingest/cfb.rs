//! A guard in front of calamine's reader of OLE compound files: the
//! container of an Excel 97-2003 `.xls` workbook, and of a password-protected
//! `.xlsx` (which calamine opens to say so). A compound file is a set of
//! 512- or 4,096-byte sectors; its allocation table (FAT) gives, for each
//! sector, the next sector of the same stream. calamine follows those chains
//! to the end mark with no bound, so a damaged table whose chain loops back
//! grows a buffer until the memory is gone: an 11 KB file took every
//! gigabyte the machine had (fuzz/README.md finding 7). No program writes a
//! loop, so one is refused as damage before calamine reads the file.
//!
//! The table is assembled the way calamine assembles it (the header's 109
//! entries of the DIFAT, then the DIFAT's own chain of sectors), so that
//! the chains checked are the chains it would follow. Anything else wrong
//! with the file is left to calamine, which reports it as an error.

/// The eight bytes every compound file starts with.
const MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// FAT values of 0xFFFFFFFA and above are marks, not sector numbers (end of
/// chain, free, a FAT or DIFAT sector).
const MARKS: u32 = 0xFFFF_FFFA;
/// A DIFAT entry below this names a FAT sector (calamine's test).
const DIFSECT: u32 = 0xFFFF_FFFC;

/// A problem if `bytes` is a compound file whose allocation table chains
/// sectors in a loop, or, when it is read as an `.xls` (`xls`), whose
/// workbook stream lays out sheets calamine cannot hold in memory
/// ([`super::biff`]); `None` for any other file, or one too damaged to
/// follow as far as calamine does (calamine then reports it).
pub fn check(bytes: &[u8], xls: bool) -> Option<String> {
    match layout(bytes, xls) {
        Layout::Refused(problem) => Some(problem),
        Layout::Fails | Layout::Sheets(_) => None,
    }
}

/// What [`check`] finds, with the sheets' layout for [`disagreement`].
fn layout(bytes: &[u8], xls: bool) -> Layout {
    if bytes.len() < 512 || bytes[..8] != MAGIC {
        return Layout::Fails;
    }
    let size: usize = match u16::from_le_bytes([bytes[30], bytes[31]]) {
        9 => 512,
        12 => 4096,
        _ => return Layout::Fails,
    };
    let last = bytes.len() / size;
    let Some(mut file) = bytes.get(size..) else {
        return Layout::Fails; // the header's sector is cut off
    };
    let mut sectors = Sectors {
        data: Vec::new(),
        size,
        last,
    };
    // The DIFAT: 109 entries in the header, then a chain of sectors, each
    // holding entries and, last, the next sector's number.
    let fat = (|| {
        let mut difat = words(&bytes[76..512])?;
        let mut next = word(bytes, 68);
        let mut hops = 0;
        while next < MARKS {
            hops += 1;
            if hops > last + 1 {
                return Err(Stop::Error); // calamine refuses a chain this long
            }
            difat.extend(words(sectors.get(next, &mut file)?)?);
            next = difat.pop().ok_or(Stop::Error)?;
        }
        let mut fat = Vec::new();
        for id in difat.into_iter().filter(|id| *id < DIFSECT) {
            fat.extend(words(sectors.get(id, &mut file)?)?);
        }
        Ok(fat)
    })();
    let Ok(fat) = fat else {
        return Layout::Fails;
    };
    if let Some(problem) = find_loop(&fat, last) {
        return Layout::Refused(problem);
    }
    if !xls {
        return Layout::Fails;
    }
    // No chain loops now, so every chain below ends.
    match workbook_stream(bytes, size, last, file, sectors, &fat) {
        Some(stream) => super::biff::layout(&stream),
        None => Layout::Fails,
    }
}

/// What calamine does with a file, as far as the guards can tell.
#[derive(Debug)]
pub enum Layout {
    /// It would loop or take more memory than an `.xls` can need: refused
    /// before calamine reads it.
    Refused(String),
    /// It fails (an error or a caught panic) before it lays out a sheet;
    /// for a file not read as an `.xls`, nothing more is known.
    Fails,
    /// It may open the `.xls`, holding these sheets: for each, in the
    /// workbook's order, blocks that contain calamine's ranges.
    Sheets(Vec<super::biff::Sheet>),
}

/// For the fuzzing harness and tests: where calamine's reading of an `.xls`
/// differs from what the guards make of it (they said it fails and it
/// opened it; it holds a sheet, a cell of one, or text in its cells or
/// formulas, the guards did not count), which would let a damaged file past them. `None` when they
/// agree, and for a file the guards refuse (calamine is not called then).
#[doc(hidden)]
pub fn disagreement(bytes: &[u8]) -> Option<String> {
    use calamine::Reader;
    let layout = layout(bytes, true);
    if let Layout::Refused(_) = layout {
        return None;
    }
    let cursor = std::io::Cursor::new(bytes);
    let mut book = super::table::foreign(|| calamine::Xls::new(cursor)).ok()?;
    let Layout::Sheets(sheets) = layout else {
        return Some("the guards say calamine fails to open it, and it opened it".into());
    };
    let names = book.sheet_names();
    if names.len() != sheets.len() {
        return Some(format!(
            "calamine found {} sheets, the guards {}",
            names.len(),
            sheets.len()
        ));
    }
    for (i, name) in names.iter().enumerate() {
        if names.iter().filter(|n| *n == name).count() > 1 {
            continue; // calamine keeps only the last sheet of a name
        }
        let cells = super::table::foreign(|| book.worksheet_range(name)).ok()?;
        let formulas = super::table::foreign(|| book.worksheet_formula(name)).ok()?;
        let text: u64 = cells
            .used_cells()
            .map(|(_, _, v)| match v {
                calamine::Data::String(s) => s.len() as u64,
                _ => 0,
            })
            .sum();
        let formula_text: u64 = formulas.used_cells().map(|(_, _, f)| f.len() as u64).sum();
        if formula_text > sheets[i].formula_text {
            return Some(format!(
                "sheet {}'s formulas come to {formula_text} bytes of text in calamine, more than the guards' {}",
                i + 1,
                sheets[i].formula_text
            ));
        }
        // Formula by formula (calamine keeps the last of a cell's).
        let origin = formulas.start().unwrap_or((0, 0));
        let each = &sheets[i].each_formula;
        let mut bounds = std::collections::HashMap::new();
        for &(at, text) in each {
            let b = bounds.entry(at).or_insert(0u64);
            *b = (*b).max(text);
        }
        for (row, col, f) in formulas.used_cells() {
            let at = (origin.0 + row as u32, origin.1 + col as u32);
            let bound = bounds.get(&at).copied();
            if each.len() < 65_536 && bound.is_none_or(|b| (f.len() as u64) > b) {
                return Some(format!(
                    "sheet {}'s formula at {at:?} is {} bytes in calamine ({f:?}), more than the guards' {bound:?}",
                    i + 1,
                    f.len()
                ));
            }
        }
        if text > sheets[i].text {
            return Some(format!(
                "sheet {}'s cells hold {text} bytes of text in calamine, more than the guards' {}",
                i + 1,
                sheets[i].text
            ));
        }
        for (what, start, end, span) in [
            ("cells", cells.start(), cells.end(), &sheets[i].cells),
            (
                "formulas",
                formulas.start(),
                formulas.end(),
                &sheets[i].formulas,
            ),
        ] {
            if let (Some(start), Some(end)) = (start, end) {
                if !span.holds(start) || !span.holds(end) {
                    return Some(format!(
                        "sheet {}'s {what} run from {start:?} to {end:?} in calamine, outside the guards' {span:?}",
                        i + 1
                    ));
                }
            }
        }
    }
    None
}

/// The little-endian 32-bit word at `at`.
pub(super) fn word(bytes: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]])
}

/// The `.xls` workbook's stream as calamine's `Cfb::new` and `get_stream`
/// give it, going on from where the table was assembled (`file` is what it
/// has not read of the file yet; `sectors` what it has): the directory's
/// chain, the mini stream and its table when the header counts one, then
/// the directory entry named "Workbook", or "Book" if that fails. A stream
/// shorter than 4,096 bytes is read from the mini stream, whose sectors
/// past the part read are read on from the same file. `None` where calamine
/// fails or panics first.
fn workbook_stream(
    bytes: &[u8],
    size: usize,
    last: usize,
    mut file: &[u8],
    mut sectors: Sectors,
    fat: &[u32],
) -> Option<Vec<u8>> {
    let version = u16::from_le_bytes([bytes[26], bytes[27]]);
    if u16::from_le_bytes([bytes[32], bytes[33]]) != 6 {
        return None; // calamine: "Invalid minisector shift"
    }
    let dir_start = word(bytes, 48);
    let mini_fat_start = word(bytes, 60);
    let mini_fat_len = word(bytes, 64) as usize;
    let directory = sectors.chain(dir_start, fat, &mut file, usize::MAX).ok()?;
    let entries: Vec<Entry> = directory
        .chunks_exact(128)
        .map(|e| Entry::new(e, size))
        .collect();
    if entries.is_empty() || (version != 3 && entries[0].start == END) {
        return None; // calamine: "Empty Root directory"
    }
    let (mini_fat, mini_stream) = if mini_fat_len > 0 {
        let stream = sectors
            .chain(entries[0].start, fat, &mut file, entries[0].len)
            .ok()?;
        let table = sectors
            .chain(mini_fat_start, fat, &mut file, mini_fat_len * size)
            .ok()?;
        (words(&table).ok()?, stream)
    } else {
        (Vec::new(), Vec::new())
    };
    let mut mini = Sectors {
        data: mini_stream,
        size: 64,
        last: (last * 8) as u32 as usize,
    };
    let mut stream = |name: &str| -> Result<Vec<u8>, Stop> {
        let entry = entries
            .iter()
            .find(|e| e.name.as_bytes().eq_ignore_ascii_case(name.as_bytes()))
            .ok_or(Stop::Error)?;
        if entry.len < 4096 {
            mini.chain(entry.start, &mini_fat, &mut file, entry.len)
        } else {
            sectors.chain(entry.start, fat, &mut file, entry.len)
        }
    };
    match stream("Workbook") {
        Ok(s) => Some(s),
        Err(Stop::Error) => stream("Book").ok(),
        Err(Stop::Panic) => None,
    }
}

/// End of a chain in the table.
const END: u32 = 0xFFFF_FFFE;

/// How calamine's reading stops where the emulation cannot go on: with an
/// error it returns (after which `get_stream("Workbook")` tries "Book"),
/// or a panic (caught by `table::foreign`; nothing more is read).
#[derive(Debug, PartialEq)]
enum Stop {
    Error,
    Panic,
}

/// A directory entry: a stream's name, first sector and length.
struct Entry {
    name: String,
    start: u32,
    len: usize,
}

impl Entry {
    /// calamine's `Directory::from_slice`. The name is decoded by the
    /// same `encoding_rs` call (which also follows a byte-order mark), up to
    /// its first NUL; the length is 32 bits in a file of 512-byte sectors
    /// and 64 in one of 4,096-byte sectors.
    fn new(e: &[u8], size: usize) -> Entry {
        let mut name = encoding_rs::UTF_16LE.decode(&e[..64]).0.into_owned();
        if let Some(l) = name.as_bytes().iter().position(|b| *b == 0) {
            name.truncate(l);
        }
        let len = if size == 512 {
            word(e, 120) as usize
        } else {
            // Cannot fail: the slice 120..128 is exactly 8 bytes (and in bounds: `e` is a
            // 128-byte chunk from `chunks_exact(128)` in the caller).
            u64::from_le_bytes(e[120..128].try_into().expect("120..128 spans 8 bytes")) as usize
        };
        Entry {
            name,
            start: word(e, 116),
            len,
        }
    }
}

/// A sector's bytes as calamine's `Sectors::get` gives them. The file is
/// read in order into a buffer as far as a sector asked for ends; past the
/// file's end the buffer is filled with zeros, and the sector that crosses
/// the end comes back short, but every later request inside the buffer
/// gets the zeros. A sector number past `last` is an error there. The mini
/// stream's sectors (64 bytes) are a second buffer of this kind, which
/// starts with the mini stream read and reads on from the same file.
struct Sectors {
    data: Vec<u8>,
    size: usize,
    last: usize,
}

impl Sectors {
    /// Sector `id`, reading what it needs from `file` (what calamine's
    /// reader has left).
    fn get(&mut self, id: u32, file: &mut &[u8]) -> Result<&[u8], Stop> {
        let id = id as usize;
        if id > self.last {
            return Err(Stop::Error);
        }
        let start = id * self.size;
        let end = start + self.size;
        if end > self.data.len() {
            let have = self.data.len();
            let n = file.len().min(end - have);
            self.data.extend_from_slice(&file[..n]);
            *file = &file[n..];
            let read = self.data.len();
            self.data.resize(end, 0);
            if read < end {
                // calamine panics on a start past what it read.
                return self.data.get(start..read).ok_or(Stop::Panic);
            }
        }
        Ok(&self.data[start..end])
    }

    /// calamine's `get_chain`: the sectors from `id` on, as `table` chains
    /// them, until the end mark or `len` bytes. A number past the table's
    /// end panics there.
    fn chain(
        &mut self,
        mut id: u32,
        table: &[u32],
        file: &mut &[u8],
        len: usize,
    ) -> Result<Vec<u8>, Stop> {
        let mut chain = Vec::new();
        while id != END {
            let sector = self.get(id, file)?;
            let n = sector.len().min(len - chain.len());
            chain.extend_from_slice(&sector[..n]);
            if chain.len() >= len {
                break;
            }
            id = *table.get(id as usize).ok_or(Stop::Panic)?;
        }
        Ok(chain)
    }
}

/// Little-endian 32-bit words; a length calamine panics on (`to_u32`'s
/// assertion) stops.
fn words(s: &[u8]) -> Result<Vec<u32>, Stop> {
    if !s.len().is_multiple_of(4) {
        return Err(Stop::Panic);
    }
    Ok(s.chunks_exact(4)
        .map(|w| u32::from_le_bytes([w[0], w[1], w[2], w[3]]))
        .collect())
}

/// A chain through the table that comes back to a sector it has passed
/// (following only sectors that exist, `0..=last`: calamine stops at one
/// past the file's end).
fn find_loop(fat: &[u32], last: usize) -> Option<String> {
    // 0: not seen; 1: on the chain being followed; 2: known to end.
    let mut state = vec![0u8; fat.len().min(last + 1)];
    for start in 0..state.len() {
        let mut id = start;
        while id < state.len() && state[id] == 0 {
            state[id] = 1;
            id = fat[id] as usize;
        }
        if id < state.len() && state[id] == 1 {
            return Some(format!(
                "its table of sectors is damaged: the chain through sector {start} comes back to sector {id} and never ends (no spreadsheet program writes this)"
            ));
        }
        let mut id = start;
        while id < state.len() && state[id] == 1 {
            state[id] = 2;
            id = fat[id] as usize;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The loop check alone (a file read as something other than `.xls`).
    fn check_loop(bytes: &[u8]) -> Option<String> {
        check(bytes, false)
    }

    const FREE: u32 = 0xFFFF_FFFF;
    const FATSECT: u32 = 0xFFFF_FFFD;

    /// A version-3 compound file (512-byte sectors): the FAT in sector 0,
    /// with `fat` as its first entries, then `sectors` more sectors.
    fn compound(fat: &[u32], sectors: usize) -> Vec<u8> {
        let mut b = vec![0u8; 512];
        b[..8].copy_from_slice(&MAGIC);
        b[24..26].copy_from_slice(&0x3Eu16.to_le_bytes());
        b[26..28].copy_from_slice(&3u16.to_le_bytes());
        b[28..30].copy_from_slice(&0xFFFEu16.to_le_bytes());
        b[30..32].copy_from_slice(&9u16.to_le_bytes());
        b[32..34].copy_from_slice(&6u16.to_le_bytes());
        b[44..48].copy_from_slice(&1u32.to_le_bytes()); // one FAT sector
        b[48..52].copy_from_slice(&1u32.to_le_bytes()); // directory at 1
        b[60..64].copy_from_slice(&END.to_le_bytes());
        b[68..72].copy_from_slice(&END.to_le_bytes()); // no DIFAT sectors
        for (i, w) in b[76..512].chunks_exact_mut(4).enumerate() {
            w.copy_from_slice(&if i == 0 { 0 } else { FREE }.to_le_bytes());
        }
        let mut table = vec![FREE; 128];
        table[..fat.len()].copy_from_slice(fat);
        for w in table {
            b.extend(w.to_le_bytes());
        }
        b.resize(512 * (2 + sectors), 0);
        b
    }

    #[test]
    fn chains_that_end_are_not_a_loop() {
        // Sector 0 the FAT, 1 the directory, 2 -> 3 -> end a stream.
        let ok = compound(&[FATSECT, END, 3, END], 3);
        assert_eq!(check_loop(&ok), None);
        // Entries past the file's sectors are not followed.
        let mut fat = vec![FATSECT, END];
        fat.extend([FREE; 100]);
        fat[90] = 90;
        assert_eq!(check_loop(&compound(&fat, 1)), None);
    }

    #[test]
    fn a_chain_that_comes_back_is_a_loop() {
        let own = compound(&[FATSECT, 1], 1);
        let p = check_loop(&own).expect("a sector that is its own next");
        assert!(p.contains("comes back to sector 1"), "{p}");
        let long = compound(&[FATSECT, 2, 3, 4, 2], 4);
        let p = check_loop(&long).expect("2 -> 3 -> 4 -> 2");
        assert!(
            p.contains("the chain through sector 1 comes back to sector 2"),
            "{p}"
        );
    }

    #[test]
    fn other_files_are_left_to_calamine() {
        assert_eq!(check_loop(b""), None);
        assert_eq!(check_loop(b"PK\x03\x04 a zip"), None);
        assert_eq!(check_loop(&vec![0u8; 4096]), None);
        // Cut inside the FAT sector at an odd length: calamine panics on
        // the short sector (and that is caught, fuzz/README.md finding 6).
        let whole = compound(&[FATSECT, 2, END], 2);
        assert_eq!(check_loop(&whole[..602]), None);
        // Cut at a whole number of words, the short table is what calamine
        // uses, and a loop in it is found. Here the directory's sector is
        // past the cut: calamine reads it as empty, again and again.
        let cut = compound(&[FATSECT, 1], 1);
        let p = check_loop(&cut[..700]).expect("a loop in the short table");
        assert!(p.contains("comes back to sector 1"), "{p}");
        // The sector that crosses the end comes back short, but a later
        // request inside the buffer gets zeros, as calamine's does: entry 1
        // of a table read as zeros points at sector 0.
        let mut s = super::Sectors {
            data: Vec::new(),
            size: 4,
            last: 9,
        };
        let f = &mut &[1u8, 2, 3, 4, 5, 6][..];
        assert_eq!(s.get(1, f), Ok(&[5u8, 6][..]));
        assert_eq!(s.get(1, f), Ok(&[5u8, 6, 0, 0][..]));
        assert_eq!(s.get(0, f), Ok(&[1u8, 2, 3, 4][..]));
        assert_eq!(s.get(2, f), Ok(&[][..])); // starts at the end read
        assert_eq!(s.get(4, f), Err(Stop::Panic)); // starts past it
        assert_eq!(s.get(10, f), Err(Stop::Error));
        // An unknown sector size.
        let mut odd = compound(&[FATSECT, 1], 1);
        odd[30] = 10;
        assert_eq!(check_loop(&odd), None);
    }
}

/// The guards on whole files: workbooks from `fuzz/seed_xls.py` (xlwt's
/// records; for the mini stream, "Book" and 4,096-byte sectors, in
/// containers it writes itself) and the catalogue.
#[cfg(test)]
mod files {
    use super::*;

    const SEEDS: [&[u8]; 7] = [
        include_bytes!("../../tests/fixtures/bad/xls-workbook/written.xls"),
        include_bytes!("../../fuzz/corpus/xls_rows/seed-xls-mini-stream.xls"),
        include_bytes!("../../fuzz/corpus/xls_rows/seed-xls-mini-stream-4096-byte-sectors.xls"),
        include_bytes!("../../fuzz/corpus/xls_rows/seed-xls-stream-named-book.xls"),
        include_bytes!("../../fuzz/corpus/xls_rows/seed-xls-4096-byte-sectors.xls"),
        include_bytes!("../../fuzz/corpus/xls_rows/seed-xls-shared-strings-continued.xls"),
        include_bytes!("../../fuzz/corpus/xls_rows/seed-xls-formulas.xls"),
    ];

    /// `bytes` with its first DIMENSIONS record (BIFF8, 14 bytes: the first
    /// sheet's) claiming `rows` rows from the first.
    fn claiming(bytes: &[u8], rows: u32) -> Vec<u8> {
        let head = [0x00, 0x02, 0x0E, 0x00];
        let at: Vec<usize> = (0..bytes.len() - 4)
            .filter(|&i| bytes[i..i + 4] == head)
            .collect();
        assert!(!at.is_empty(), "a DIMENSIONS record");
        let mut b = bytes.to_vec();
        b[at[0] + 4..at[0] + 8].copy_from_slice(&0u32.to_le_bytes());
        b[at[0] + 8..at[0] + 12].copy_from_slice(&rows.to_le_bytes());
        b
    }

    #[test]
    fn the_workbook_stream_is_found_where_calamine_finds_it() {
        for (i, seed) in SEEDS.iter().enumerate() {
            // calamine opens each, and holds nothing the guards missed.
            assert_eq!(disagreement(seed), None, "seed {i}");
            match layout(seed, true) {
                Layout::Sheets(s) => assert!(s[0].cells.holds((1, 1)), "seed {i}: {s:?}"),
                other => panic!("seed {i}: {other:?}"),
            }
            // Read as anything but an .xls, only the chains are checked.
            assert!(matches!(layout(seed, false), Layout::Fails), "seed {i}");
            // The same stream, claiming more rows than an .xls has: found
            // through the mini stream, "Book" and large sectors alike.
            assert_eq!(check(&claiming(seed, 65_536), true), None, "seed {i}");
            let p = check(&claiming(seed, 65_537), true).expect("refused");
            assert!(
                p.starts_with("its sheet 1 claims 65,537 rows"),
                "seed {i}: {p}"
            );
        }
    }

    #[test]
    fn a_file_calamine_cannot_open_is_left_to_it() {
        let seed = SEEDS[1];
        // No stream of either name.
        let mut b = seed.to_vec();
        let name: Vec<u8> = "Workbook"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        let at = (0..b.len()).find(|&i| b[i..].starts_with(&name)).unwrap();
        b[at] = b'X';
        assert!(matches!(layout(&b, true), Layout::Fails));
        assert_eq!(disagreement(&b), None);
        // Cut off inside the directory.
        assert!(matches!(layout(&seed[..1600], true), Layout::Fails));
        assert_eq!(disagreement(&seed[..1600]), None);
    }
}
