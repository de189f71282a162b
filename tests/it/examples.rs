//! The worked examples of `shared/examples/`, copied into `tests/examples/`,
//! run through the real binary and compared whole with their expected
//! outputs.

use crate::common::*;

#[test]
fn police_officer_mini_scores_exactly_as_worked_by_hand() {
    let dir = Dir::scored_example("police-officer-mini");
    for f in ["eligibility-list.csv", "not-eligible.csv", "scores.csv"] {
        assert_eq!(
            dir.read(&format!("out/{f}")),
            dir.read(&format!("expected/{f}")),
            "{f} differs from the worked example"
        );
    }
}

#[test]
fn police_officer_mini_from_xlsx_inputs_gives_the_same_lists() {
    // The same example with every input converted to a real workbook:
    // numeric IDs as number cells, dates as date cells.
    let src = Dir::example("police-officer-mini");
    let dir = Dir::new();
    for name in ["applicants", "written", "oral", "agility", "clearances"] {
        let rows = parse_csv(&src.read(&format!("{name}.csv")));
        let cells: Vec<Vec<X>> = rows
            .iter()
            .enumerate()
            .map(|(i, r)| {
                r.iter()
                    .map(|v| {
                        if i == 0 || v.is_empty() {
                            if v.is_empty() {
                                X::Blank
                            } else {
                                X::T(v.clone())
                            }
                        } else if let Ok(n) = v.parse::<f64>() {
                            X::N(n)
                        } else if v.len() == 10 && v.as_bytes()[4] == b'-' {
                            let y = v[0..4].parse().unwrap();
                            let m = v[5..7].parse().unwrap();
                            let d = v[8..10].parse().unwrap();
                            X::D(y, m, d)
                        } else {
                            X::T(v.clone())
                        }
                    })
                    .collect()
            })
            .collect();
        dir.xlsx(&format!("{name}.xlsx"), &[("Sheet1", cells)]);
    }
    let exam = src.read("exam.toml").replace(".csv", ".xlsx");
    dir.write("exam.toml", &exam);
    dir.score().ok();
    for f in ["eligibility-list.csv", "not-eligible.csv", "scores.csv"] {
        assert_eq!(
            dir.read(&format!("out/{f}")),
            src.read(&format!("expected/{f}")),
            "{f} differs when the inputs are xlsx"
        );
    }
}
