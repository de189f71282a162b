//! The xlsb ingest, structure-aware: the workbook's binary parts → a valid
//! stored zip → `rows.xlsb` → `meritlist::ingest::table::stream`, behind
//! the .xlsb guard.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    meritlist_fuzz::xlsb_parts(meritlist_fuzz::process_scratch(), data);
});
