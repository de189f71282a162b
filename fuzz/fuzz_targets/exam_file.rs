//! The exam file: bytes → `meritlist::exam::parse(Path::new("exam.toml"), bytes)`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    meritlist_fuzz::exam_file(data);
});
