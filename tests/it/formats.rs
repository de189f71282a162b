//! Every spreadsheet format calamine reads gives the same list: the worked
//! example with its inputs as .ods (LibreOffice), .xls (Excel 97-2003) and
//! .xlsm, compared with the expected outputs.

use crate::common::*;

#[test]
fn ods_xls_and_xlsm_inputs_give_the_same_list() {
    let dir = Dir::example("police-officer-mini");
    let fixtures = repo().join("tests/fixtures/formats");
    std::fs::copy(fixtures.join("applicants.ods"), dir.path("applicants.ods")).unwrap();
    std::fs::copy(fixtures.join("oral.xls"), dir.path("oral.xls")).unwrap();
    // An .xlsm is an .xlsx that may hold macros: the same reader.
    let written = parse_csv(&dir.read("written.csv"));
    let cells: Vec<Vec<X>> = written
        .iter()
        .enumerate()
        .map(|(i, r)| {
            r.iter()
                .map(|v| match v.parse::<f64>() {
                    Ok(n) if i > 0 => X::N(n),
                    _ if v.is_empty() => X::Blank,
                    _ => X::T(v.clone()),
                })
                .collect()
        })
        .collect();
    dir.xlsx("written.xlsm", &[("Written", cells)]);
    let exam = dir
        .read("exam.toml")
        .replace("\"applicants.csv\"", "\"applicants.ods\"")
        .replace("\"oral.csv\"", "\"oral.xls\"")
        .replace("\"written.csv\"", "\"written.xlsm\"");
    dir.write("exam.toml", &exam);
    dir.score().ok();
    for f in ["eligibility-list.csv", "not-eligible.csv", "scores.csv"] {
        assert_eq!(
            dir.read(&format!("out/{f}")),
            dir.read(&format!("expected/{f}")),
            "{f}"
        );
    }
    let json = dir.read("out/result.json");
    assert!(json.contains("\"path\": \"applicants.ods\""));
    assert!(json.contains("\"path\": \"oral.xls\""));
}
