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
    // Cannot fail: the values (ExamRecord, Audit) derive Serialize over strings, integers,
    // bools, Vecs, tuples and Options: no map keys or custom impls serde_json could refuse.
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
            // Cannot fail: a &str always serialises (to a JSON string).
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
        applicant_line(a, &mut self.line);
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

/// One applicant's record as compact JSON, byte for byte what
/// `serde_json::to_writer` writes for it (the same fields in the same
/// order, the same ones left out, the same escapes), written directly: at a
/// million applicants serde's way, which escapes every key again for every
/// record, was 6% of all CPU (issue 6). The tests compare the two on every
/// sample's records and on generated records with every kind of text.
pub fn applicant_line(a: &ApplicantRecord, out: &mut Vec<u8>) {
    let mut o = Obj::new(out);
    o.str("applicant_id", &a.applicant_id);
    o.str("last_name", &a.last_name);
    o.str("first_name", &a.first_name);
    o.nonempty("address", &a.address);
    o.nonempty("city", &a.city);
    o.nonempty("state", &a.state);
    o.nonempty("zip", &a.zip);
    o.str("delivery", &a.delivery);
    o.str("received_on", &a.received_on);
    o.some("postmarked_on", &a.postmarked_on);
    o.str("filing_date", &a.filing_date);
    o.bool("signed", a.signed);
    if let Some(b) = a.us_citizen {
        o.bool("us_citizen", b);
    }
    o.nonempty("state_of_residence", &a.state_of_residence);
    o.bool("certified_officer", a.certified_officer);
    o.str("highest_degree", &a.highest_degree);
    o.bool("internal", a.internal);
    o.some("date_of_birth", &a.date_of_birth);
    o.str("status", a.status.as_str());
    if !a.codes.is_empty() {
        o.key("codes");
        o.list(&a.codes, |out, c| string(out, c));
    }
    if !a.reasons.is_empty() {
        o.key("reasons");
        o.list(&a.reasons, |out, r| {
            let mut o = Obj::new(out);
            o.str("code", &r.code);
            o.str("clause", &r.clause);
            o.str("text", &r.text);
            o.end();
        });
    }
    o.key("components");
    o.list(&a.components, |out, c| {
        let mut o = Obj::new(out);
        o.str("component", &c.component);
        o.some("value", &c.value);
        if !c.raw.is_empty() {
            o.key("raw");
            o.list(&c.raw, |out, r| string(out, r));
        }
        o.end();
    });
    o.some("raw_score", &a.raw_score);
    o.some("officer_points", &a.officer_points);
    o.some("degree_points", &a.degree_points);
    o.some("preference_points", &a.preference_points);
    o.some("final_score", &a.final_score);
    o.number("rank", a.rank);
    o.number("score_rank", a.score_rank);
    o.some("tie_break", &a.tie_break);
    o.number("list_position", a.list_position);
    o.some("lottery_key", &a.lottery_key);
    if !a.findings.is_empty() {
        o.key("findings");
        o.list(&a.findings, |out, f| {
            let mut o = Obj::new(out);
            o.str("ground", &f.ground);
            o.str("note", &f.note);
            o.or_null("decided_on", &f.decided_on);
            o.end();
        });
    }
    if let Some(c) = &a.clearance {
        o.key("clearance");
        let mut oc = Obj::new(o.out);
        oc.or_null("fingerprinted_on", &c.fingerprinted_on);
        oc.key("agencies");
        oc.list(&c.agencies, |out, g| {
            let mut o = Obj::new(out);
            o.str("agency", &g.agency);
            o.or_null("cleared_on", &g.cleared_on);
            o.end();
        });
        oc.end();
    }
    o.end();
}

/// A JSON object being written: its members, comma-separated.
struct Obj<'o> {
    out: &'o mut Vec<u8>,
    first: bool,
}

impl<'o> Obj<'o> {
    fn new(out: &'o mut Vec<u8>) -> Self {
        out.push(b'{');
        Obj { out, first: true }
    }

    /// A member's key (the keys are plain ASCII: no escapes).
    fn key(&mut self, k: &str) {
        if !self.first {
            self.out.push(b',');
        }
        self.first = false;
        self.out.push(b'"');
        self.out.extend_from_slice(k.as_bytes());
        self.out.extend_from_slice(b"\":");
    }

    fn str(&mut self, k: &str, v: &str) {
        self.key(k);
        string(self.out, v);
    }

    /// Left out when empty (`skip_serializing_if = "String::is_empty"`).
    fn nonempty(&mut self, k: &str, v: &str) {
        if !v.is_empty() {
            self.str(k, v);
        }
    }

    /// Left out when absent (`skip_serializing_if = "Option::is_none"`).
    fn some(&mut self, k: &str, v: &Option<String>) {
        if let Some(v) = v {
            self.str(k, v);
        }
    }

    /// `null` when absent.
    fn or_null(&mut self, k: &str, v: &Option<String>) {
        match v {
            Some(v) => self.str(k, v),
            None => {
                self.key(k);
                self.out.extend_from_slice(b"null");
            }
        }
    }

    fn bool(&mut self, k: &str, v: bool) {
        self.key(k);
        self.out
            .extend_from_slice(if v { b"true" } else { b"false" });
    }

    /// Left out when absent.
    fn number(&mut self, k: &str, v: Option<u32>) {
        if let Some(v) = v {
            self.key(k);
            self.out.extend_from_slice(v.to_string().as_bytes());
        }
    }

    fn list<T>(&mut self, items: &[T], mut each: impl FnMut(&mut Vec<u8>, &T)) {
        self.out.push(b'[');
        for (k, item) in items.iter().enumerate() {
            if k > 0 {
                self.out.push(b',');
            }
            each(self.out, item);
        }
        self.out.push(b']');
    }

    fn end(self) {
        self.out.push(b'}');
    }
}

/// A JSON string with serde_json's escapes: `\"`, `\\`, the short forms
/// `\b \t \n \f \r`, `\u00xx` for any other byte below 0x20; everything
/// else as it is.
fn string(out: &mut Vec<u8>, s: &str) {
    out.push(b'"');
    let bytes = s.as_bytes();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let short = match b {
            b'"' => b'"',
            b'\\' => b'\\',
            0x08 => b'b',
            b'\t' => b't',
            b'\n' => b'n',
            0x0C => b'f',
            b'\r' => b'r',
            0..=0x1F => 0,
            _ => continue,
        };
        out.extend_from_slice(&bytes[start..i]);
        start = i + 1;
        if short != 0 {
            out.extend_from_slice(&[b'\\', short]);
        } else {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.extend_from_slice(&[
                b'\\',
                b'u',
                b'0',
                b'0',
                HEX[(b >> 4) as usize],
                HEX[(b & 15) as usize],
            ]);
        }
    }
    out.extend_from_slice(&bytes[start..]);
    out.push(b'"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::{AgencyClearance, ClearanceRecord, ComponentValue, FindingRecord};
    use crate::rules::{Reason, Status};
    use proptest::prelude::*;

    fn same_as_serde(a: &ApplicantRecord) {
        let mut ours = Vec::new();
        applicant_line(a, &mut ours);
        let serde = serde_json::to_vec(a).unwrap();
        assert_eq!(
            String::from_utf8_lossy(&ours),
            String::from_utf8_lossy(&serde)
        );
    }

    #[test]
    fn every_samples_record_is_written_as_serde_writes_it() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
        for exam in ["police-officer", "sergeant", "lieutenant"] {
            let scoring =
                crate::run_scoring(&root.join(exam).join("exam.toml"), crate::Exec::Sequential)
                    .unwrap();
            let record = scoring.scored().record();
            assert!(!record.applicants.is_empty());
            for a in &record.applicants {
                same_as_serde(a);
            }
        }
    }

    /// Text of every kind JSON escapes, and some it does not.
    fn text() -> impl Strategy<Value = String> {
        prop_oneof![
            Just(String::new()),
            "[a-zA-Z0-9 ]{1,12}",
            "[\u{0}-\u{7f}]{0,12}",
            "[\"\\\\\u{0}-\u{1f}\u{7f}é€😀\u{2028}]{0,8}",
        ]
    }

    fn opt_text() -> impl Strategy<Value = Option<String>> {
        proptest::option::of(text())
    }

    prop_compose! {
        fn component()(
            component in text(),
            value in opt_text(),
            raw in proptest::collection::vec(text(), 0..3),
        ) -> ComponentValue {
            ComponentValue { component, value, raw }
        }
    }

    prop_compose! {
        fn reason()(code in text(), clause in text(), text in text()) -> Reason {
            Reason { code, clause, text }
        }
    }

    prop_compose! {
        fn finding()(ground in text(), note in text(), decided_on in opt_text()) -> FindingRecord {
            FindingRecord { ground, note, decided_on }
        }
    }

    prop_compose! {
        fn clearance()(
            fingerprinted_on in opt_text(),
            agencies in proptest::collection::vec(
                (text(), opt_text()).prop_map(|(agency, cleared_on)| AgencyClearance { agency, cleared_on }),
                0..3,
            ),
        ) -> ClearanceRecord {
            ClearanceRecord { fingerprinted_on, agencies }
        }
    }

    prop_compose! {
        fn names()(
            n in proptest::collection::vec(text(), 11),
        ) -> Vec<String> {
            n
        }
    }

    prop_compose! {
        fn record()(
            t in names(),
            o in proptest::collection::vec(opt_text(), 10),
            b in proptest::collection::vec(any::<bool>(), 4),
            us_citizen in proptest::option::of(any::<bool>()),
            status in prop_oneof![
                Just(Status::Eligible),
                Just(Status::Failed),
                Just(Status::Incomplete),
                Just(Status::Disqualified),
            ],
            codes in proptest::collection::vec(text(), 0..3),
            reasons in proptest::collection::vec(reason(), 0..3),
            components in proptest::collection::vec(component(), 0..4),
            n in proptest::collection::vec(proptest::option::of(any::<u32>()), 3),
            findings in proptest::collection::vec(finding(), 0..3),
            clearance in proptest::option::of(clearance()),
        ) -> ApplicantRecord {
            ApplicantRecord {
                applicant_id: t[0].clone(),
                last_name: t[1].clone(),
                first_name: t[2].clone(),
                address: t[3].clone(),
                city: t[4].clone(),
                state: t[5].clone(),
                zip: t[6].clone(),
                delivery: t[7].clone(),
                received_on: t[8].clone(),
                postmarked_on: o[0].clone(),
                filing_date: t[9].clone(),
                signed: b[0],
                us_citizen,
                state_of_residence: t[10].clone(),
                certified_officer: b[1],
                highest_degree: t[0].clone(),
                internal: b[2],
                date_of_birth: o[1].clone(),
                status,
                codes,
                reasons,
                components,
                raw_score: o[2].clone(),
                officer_points: o[3].clone(),
                degree_points: o[4].clone(),
                preference_points: o[5].clone(),
                final_score: o[6].clone(),
                rank: n[0],
                score_rank: n[1],
                tie_break: o[7].clone(),
                list_position: n[2],
                lottery_key: o[8].clone(),
                findings,
                clearance: if b[3] { clearance } else { None },
            }
        }
    }

    proptest! {
        #[test]
        fn any_record_is_written_as_serde_writes_it(a in record()) {
            let mut ours = Vec::new();
            applicant_line(&a, &mut ours);
            prop_assert_eq!(ours, serde_json::to_vec(&a).unwrap());
        }
    }

    #[test]
    fn every_byte_below_0x80_is_escaped_as_serde_escapes_it() {
        for b in 0u8..0x80 {
            let s = format!("a{}b", b as char);
            let mut ours = Vec::new();
            string(&mut ours, &s);
            assert_eq!(ours, serde_json::to_vec(&s).unwrap(), "{b:#x}");
        }
    }
}
