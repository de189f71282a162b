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
/// sectors in a loop; `None` for any other file, or one too damaged to
/// assemble the table (calamine then reports it).
pub fn loop_in_chains(bytes: &[u8]) -> Option<String> {
    if bytes.len() < 512 || bytes[..8] != MAGIC {
        return None;
    }
    let size: usize = match u16::from_le_bytes([bytes[30], bytes[31]]) {
        9 => 512,
        12 => 4096,
        _ => return None,
    };
    let mut sectors = Sectors {
        data: Vec::new(),
        unread: bytes.get(size..)?,
        size,
        last: bytes.len() / size,
    };
    // The DIFAT: 109 entries in the header, then a chain of sectors, each
    // holding entries and, last, the next sector's number.
    let mut difat = words(&bytes[76..512])?;
    let mut next = u32::from_le_bytes([bytes[68], bytes[69], bytes[70], bytes[71]]);
    let mut hops = 0;
    while next < MARKS {
        hops += 1;
        if hops > sectors.last + 1 {
            return None; // calamine refuses a DIFAT chain this long
        }
        difat.extend(words(sectors.get(next)?)?);
        next = difat.pop()?;
    }
    let mut fat = Vec::new();
    for id in difat.into_iter().filter(|id| *id < DIFSECT) {
        fat.extend(words(sectors.get(id)?)?);
    }
    find_loop(&fat, sectors.last)
}

/// A sector's bytes as calamine's `Sectors::get` gives them. The file is
/// read in order into a buffer as far as a sector asked for ends; past the
/// file's end the buffer is filled with zeros, and the sector that crosses
/// the end comes back short, but every later request inside the buffer
/// gets the zeros. A sector number past `last` is an error there.
struct Sectors<'a> {
    data: Vec<u8>,
    unread: &'a [u8],
    size: usize,
    last: usize,
}

impl Sectors<'_> {
    fn get(&mut self, id: u32) -> Option<&[u8]> {
        let id = id as usize;
        if id > self.last {
            return None;
        }
        let start = id * self.size;
        let end = start + self.size;
        if end > self.data.len() {
            let have = self.data.len();
            let n = self.unread.len().min(end - have);
            self.data.extend_from_slice(&self.unread[..n]);
            self.unread = &self.unread[n..];
            let read = self.data.len();
            self.data.resize(end, 0);
            if read < end {
                // calamine panics on a start past what it read.
                return self.data.get(start..read);
            }
        }
        Some(&self.data[start..end])
    }
}

/// Little-endian 32-bit words; `None` for a length calamine panics on.
fn words(s: &[u8]) -> Option<Vec<u32>> {
    s.len().is_multiple_of(4).then(|| {
        s.chunks_exact(4)
            .map(|w| u32::from_le_bytes([w[0], w[1], w[2], w[3]]))
            .collect()
    })
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

    const END: u32 = 0xFFFF_FFFE;
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
        assert_eq!(loop_in_chains(&ok), None);
        // Entries past the file's sectors are not followed.
        let mut fat = vec![FATSECT, END];
        fat.extend([FREE; 100]);
        fat[90] = 90;
        assert_eq!(loop_in_chains(&compound(&fat, 1)), None);
    }

    #[test]
    fn a_chain_that_comes_back_is_a_loop() {
        let own = compound(&[FATSECT, 1], 1);
        let p = loop_in_chains(&own).expect("a sector that is its own next");
        assert!(p.contains("comes back to sector 1"), "{p}");
        let long = compound(&[FATSECT, 2, 3, 4, 2], 4);
        let p = loop_in_chains(&long).expect("2 -> 3 -> 4 -> 2");
        assert!(
            p.contains("the chain through sector 1 comes back to sector 2"),
            "{p}"
        );
    }

    #[test]
    fn other_files_are_left_to_calamine() {
        assert_eq!(loop_in_chains(b""), None);
        assert_eq!(loop_in_chains(b"PK\x03\x04 a zip"), None);
        assert_eq!(loop_in_chains(&vec![0u8; 4096]), None);
        // Cut inside the FAT sector at an odd length: calamine panics on
        // the short sector (and that is caught, fuzz/README.md finding 6).
        let whole = compound(&[FATSECT, 2, END], 2);
        assert_eq!(loop_in_chains(&whole[..602]), None);
        // Cut at a whole number of words, the short table is what calamine
        // uses, and a loop in it is found. Here the directory's sector is
        // past the cut: calamine reads it as empty, again and again.
        let cut = compound(&[FATSECT, 1], 1);
        let p = loop_in_chains(&cut[..700]).expect("a loop in the short table");
        assert!(p.contains("comes back to sector 1"), "{p}");
        // The sector that crosses the end comes back short, but a later
        // request inside the buffer gets zeros, as calamine's does: entry 1
        // of a table read as zeros points at sector 0.
        let mut s = super::Sectors {
            data: Vec::new(),
            unread: &[1, 2, 3, 4, 5, 6],
            size: 4,
            last: 9,
        };
        assert_eq!(s.get(1), Some(&[5u8, 6][..]));
        assert_eq!(s.get(1), Some(&[5u8, 6, 0, 0][..]));
        assert_eq!(s.get(0), Some(&[1u8, 2, 3, 4][..]));
        assert_eq!(s.get(2), Some(&[][..])); // starts at the end read
        assert_eq!(s.get(4), None); // starts past it: calamine panics
        assert_eq!(s.get(10), None);
        // An unknown sector size.
        let mut odd = compound(&[FATSECT, 1], 1);
        odd[30] = 10;
        assert_eq!(loop_in_chains(&odd), None);
    }
}
