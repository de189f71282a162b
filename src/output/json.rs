//! `result.json`, the list of record, written as it is built: the exam and
//! the list first, then one applicant a line (compact, so a million
//! applicants stay readable and small), then the audit block. It is
//! ordinary JSON: `certify` and `explain` read it back whole.

use crate::record::{ApplicantRecord, Head};
use std::io::{self, Write};

pub struct JsonWriter<W: Write> {
    out: W,
    first: bool,
    /// One applicant's line, reused: serialised here, then written whole.
    line: Vec<u8>,
}

fn indented(value: &impl serde::Serialize) -> String {
    let text = serde_json::to_string_pretty(value).expect("the record serialises");
    text.replace('\n', "\n  ")
}

impl<W: Write> JsonWriter<W> {
    pub fn new(mut out: W, head: &Head, ids: &[&str]) -> io::Result<Self> {
        writeln!(out, "{{")?;
        writeln!(out, "  \"format\": {},", crate::record::FORMAT_VERSION)?;
        writeln!(out, "  \"exam\": {},", indented(&head.exam))?;
        write!(out, "  \"list\": [")?;
        for (k, chunk) in ids.chunks(10).enumerate() {
            let line: Vec<String> = chunk
                .iter()
                .map(|id| serde_json::to_string(id).expect("text serialises"))
                .collect();
            write!(
                out,
                "{}\n    {}",
                if k == 0 { "" } else { "," },
                line.join(", ")
            )?;
        }
        writeln!(out, "{}],", if ids.is_empty() { "" } else { "\n  " })?;
        write!(out, "  \"applicants\": [")?;
        Ok(JsonWriter {
            out,
            first: true,
            line: Vec::new(),
        })
    }

    pub fn applicant(&mut self, a: &ApplicantRecord) -> io::Result<()> {
        self.line.clear();
        self.line
            .extend_from_slice(if self.first { b"\n    " } else { b",\n    " });
        serde_json::to_writer(&mut self.line, a).expect("the record serialises");
        self.out.write_all(&self.line)?;
        self.first = false;
        Ok(())
    }

    pub fn finish(mut self, head: &Head) -> io::Result<W> {
        writeln!(self.out, "{}],", if self.first { "" } else { "\n  " })?;
        writeln!(self.out, "  \"audit\": {}", indented(&head.audit))?;
        writeln!(self.out, "}}")?;
        Ok(self.out)
    }
}
