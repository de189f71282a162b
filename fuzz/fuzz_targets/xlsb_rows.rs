//! The xlsb ingest, whole files: bytes → `rows.xlsb` →
//! `meritlist::ingest::table::stream`, behind the .xlsb guard. Unlike
//! `xlsb_parts`, the zip itself varies (declared sizes, checksums,
//! compression).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    meritlist_fuzz::xlsb_rows(meritlist_fuzz::process_scratch(), data);
});
