//! The xlsx ingest, structure-aware: the workbook's XML parts → a valid
//! stored zip → `rows.xlsx` → `meritlist::ingest::table::stream`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    meritlist_fuzz::xlsx_parts(meritlist_fuzz::process_scratch(), data);
});
