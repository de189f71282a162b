//! The xls ingest: bytes → `rows.xls` → Excel 97-2003 workbook → rows
//! (`meritlist::ingest::table::stream`).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    meritlist_fuzz::xls_rows(meritlist_fuzz::process_scratch(), data);
});
