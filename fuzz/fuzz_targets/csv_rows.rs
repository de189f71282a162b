//! The CSV row parser: first byte → delimiter, the rest → `rows.csv` →
//! `meritlist::ingest::table::stream`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    meritlist_fuzz::csv_rows(meritlist_fuzz::process_scratch(), data);
});
