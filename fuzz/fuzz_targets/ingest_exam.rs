//! End to end: a fixed exam file and the fuzzed input files
//! (`meritlist_fuzz::INGEST_FILES`), scored in memory
//! (`meritlist::run_scoring`, the list of record and its CSV and JSON views).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    meritlist_fuzz::ingest_exam(meritlist_fuzz::process_scratch(), data);
});
