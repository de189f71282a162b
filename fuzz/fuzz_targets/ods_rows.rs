//! The ods ingest: bytes → `rows.ods` → OpenDocument spreadsheet → rows
//! (`meritlist::ingest::table::stream`).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    meritlist_fuzz::ods_rows(meritlist_fuzz::process_scratch(), data);
});
